"""A dashboard panel: a summary line, an optional detail line and filter, over a keyed table.

Renders what it is given; a typed filter is posted as ``Panel.FilterChanged`` for the caller to
apply (the panel does not know what its rows mean).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cached_property
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input

from .fit_line import FitLine, Versions
from .help_key import HELP_KEY, toggle_help
from .keyed_table import Column, KeyedTable, Row
from .line_input import LineInput


class FilterInput(LineInput):
    """The panel's filter line; Escape clears and closes it. ``?`` and ``q`` are typed into it,
    so its Footer shows F1 for help (as a form's does) beside Esc."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close filter", id="filter.close"),
        # As Enter: the filter kept, back to its rows (not the dashboard's Tab, the next panel).
        Binding("tab", "rows", "To the rows", show=False, id="filter.rows"),
        HELP_KEY,
    ]

    def action_toggle_help(self) -> None:
        toggle_help(self.screen)

    def action_close(self) -> None:
        """Clear the filter and go back to the rows."""
        self._panel.close_filter()

    def action_rows(self) -> None:
        """Keep the filter and go back to the rows."""
        self._panel.table.focus()

    @property
    def _panel(self) -> Panel:
        return next(a for a in self.ancestors if isinstance(a, Panel))


class Panel(Vertical):
    """A bordered panel: summary line, optional detail line and filter, then a ``KeyedTable``.

    Maximizable as a whole (zoom), so the summary stays above the zoomed table. The caller marks
    the panel in use with the ``-active`` class.
    """

    DEFAULT_CSS = """
    Panel {
        height: 1fr;
        border: round $primary-darken-2;
    }
    Panel.-active {
        border: round $accent;
    }
    Panel .panel-summary {
        height: 1;
        padding: 0 1;
    }
    /* One line: what does not fit ends in …, rather than wrapping onto a second line no one sees
       (at 120x40 panel 5's 下一报送 lost its time so, and panel 4's fees their last words). */
    Panel .panel-detail {
        height: 1;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    /* :focus too: Textual's own `Input:focus` (a tall border) outranks the plain rule, and a
       one-row filter with a two-row border had no row left for the text being typed. */
    Panel .panel-filter, Panel .panel-filter:focus {
        height: 1;
        border: none;
        padding: 0 1;
        background: $boost;
    }
    """

    ALLOW_MAXIMIZE = True

    class FilterChanged(Message):
        """The filter's text changed (to "" when it was closed)."""

        def __init__(self, panel: Panel, text: str) -> None:
            super().__init__()
            self.panel = panel
            self.text = text

    def __init__(
        self, number: int, columns: Sequence[str | Column], *, id: str, filter_placeholder: str | None = None
    ) -> None:
        """Panel ``number`` with a table of ``columns`` (see ``KeyedTable``); with a filter line if
        given its ``filter_placeholder``, mounted when first opened (``open_filter``): composed, it
        was an ``Input`` parsed, styled and mounted before the first frame (~37 M instructions of
        the dashboard's 2,050 M at 120x40) that the first frame never shows."""
        super().__init__(id=id, classes="panel")
        self.number = number
        self.summary = FitLine(classes="panel-summary")
        self.detail = FitLine(classes="panel-detail")
        self._filter_placeholder = filter_placeholder
        self.table = KeyedTable(columns, id=f"{id}-table")
        # False while the caller hides the table (a narrow screen shows this panel as its summary
        # line): rows given as a function are then made only when it is shown (``rows_now``).
        self.rows_shown = True
        self._rows_later: Callable[[], Sequence[Row]] | None = None

    def compose(self) -> ComposeResult:
        """Summary, detail line, filter, table."""
        yield self.summary
        yield self.detail
        yield self.table

    @cached_property
    def filter_input(self) -> FilterInput:
        """The filter line, made when first asked for (only a panel given a ``filter_placeholder``
        has one), hidden and not mounted until ``open_filter``."""
        line = FilterInput(placeholder=self._filter_placeholder or "", classes="panel-filter")
        line.display = False
        return line

    def on_mount(self) -> None:
        """The detail line is hidden until used."""
        self.detail.display = False

    def show(
        self,
        summary: Versions,
        rows: Sequence[Row] | Callable[[], Sequence[Row]],
        detail: Versions | None = None,
    ) -> int:
        """Show a new summary (and detail line) and rows; returns the number of table cells changed.

        A line is one ``Text``, or several fullest first: it shows the first that fits the panel's
        width (``FitLine``). Lines that did not change are not touched: an unchanged line costs no
        bytes on the wire. ``rows`` may be a function making them: while the table is hidden
        (``rows_shown`` False) it is called only once the table is shown (``rows_now``), so a
        panel seen as its summary line does not make and measure rows no one sees (a township's
        381 grids, ~60 M instructions of the first frame at 80x24).
        """
        # One-line widgets of fixed height: redraw in place, no layout pass (which would also
        # repaint the table's scrollbars).
        self.summary.show(summary)
        self.table.show_headings(True)
        if detail is not None and self.detail.show(detail):
            self.detail.display = True
        if callable(rows):
            if not self.rows_shown:
                self._rows_later = rows
                return 0
            rows = rows()
        self._rows_later = None
        return self.table.sync(rows)

    def show_waiting(self, summary: Versions) -> int:
        """Show only a summary line (the panel's rows are still being read, or could not be): no
        rows, and no column headings, which are fitted to the rows and would change when they come.
        ``show`` brings the headings back."""
        self.summary.show(summary)
        self.table.show_headings(False)
        self._rows_later = None
        return self.table.sync([])

    def rows_now(self) -> int:
        """The table is shown: make and show the rows given while it was hidden, if any."""
        self.rows_shown = True
        make, self._rows_later = self._rows_later, None
        return 0 if make is None else self.table.sync(make())

    @property
    def filter_text(self) -> str:
        """The filter typed, or "" when the filter is closed or was never opened (asked for then,
        the ``Input`` was made before the first frame only to say it was empty)."""
        opened = "filter_input" in self.__dict__  # made when first asked for (``filter_input``)
        return self.filter_input.value if opened and self.filter_input.display else ""

    def open_filter(self) -> None:
        """Show the filter line (mounted the first time, above the table) and focus it."""
        if self.filter_input.parent is None:
            self.mount(self.filter_input, before=self.table)
        self.filter_input.display = True
        self.filter_input.focus()

    def close_filter(self) -> None:
        """Clear and hide the filter, back to the rows, and say so with ``FilterChanged``."""
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
