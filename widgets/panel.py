"""A dashboard panel: a summary line, an optional detail line and filter, over a keyed table.

Renders what it is given; a typed filter is posted as ``Panel.FilterChanged`` for the caller to
apply (the panel does not know what its rows mean).
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static

from .keyed_table import KeyedTable, Row


class FilterInput(Input):
    BINDINGS = [Binding("escape", "close", "Close filter", id="filter.close")]

    def action_close(self) -> None:
        panel = next(a for a in self.ancestors if isinstance(a, Panel))
        panel.close_filter()


class Panel(Vertical):
    """Maximizable as a whole (zoom), so the summary stays above the zoomed table."""

    ALLOW_MAXIMIZE = True

    class FilterChanged(Message):
        def __init__(self, panel: Panel, text: str) -> None:
            super().__init__()
            self.panel = panel
            self.text = text

    def __init__(self, number: int, columns: Sequence[str], *, id: str, filter_placeholder: str = "") -> None:
        super().__init__(id=id, classes="panel")
        self.number = number
        self.summary = Static("", classes="panel-summary", markup=False)
        self.detail = Static("", classes="panel-detail", markup=False)
        self.filter_input = FilterInput(placeholder=filter_placeholder, classes="panel-filter")
        self.table = KeyedTable(columns, id=f"{id}-table")
        self._shown_summary: Text | None = None
        self._shown_detail: Text | None = None

    def compose(self) -> ComposeResult:
        yield self.summary
        yield self.detail
        yield self.filter_input
        yield self.table

    def on_mount(self) -> None:
        self.detail.display = False
        self.filter_input.display = False

    def show(self, summary: Text, rows: Sequence[Row], detail: Text | None = None) -> int:
        """Show a new summary (and detail line) and rows; returns the number of table cells changed.

        Lines that did not change are not touched: an unchanged line costs no bytes on the wire.
        """
        # One-line widgets of fixed height: redraw in place, no layout pass (which would also
        # repaint the table's scrollbars).
        if summary != self._shown_summary:
            self.summary.update(summary, layout=False)
            self._shown_summary = summary
        if detail is not None and detail != self._shown_detail:
            self.detail.update(detail, layout=False)
            self.detail.display = True
            self._shown_detail = detail
        return self.table.sync(rows)

    @property
    def filter_text(self) -> str:
        return self.filter_input.value if self.filter_input.display else ""

    def open_filter(self) -> None:
        self.filter_input.display = True
        self.filter_input.focus()

    def close_filter(self) -> None:
        self.filter_input.value = ""
        self.filter_input.display = False
        self.table.focus()
        self.post_message(self.FilterChanged(self, ""))

    @on(Input.Changed, ".panel-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.FilterChanged(self, event.value))

    @on(Input.Submitted, ".panel-filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.table.focus()  # keep the filter, go back to the rows
