"""A dashboard panel: a one-line summary over a keyed table. Renders what it is given."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from .keyed_table import KeyedTable, Row


class Panel(Vertical):
    """Maximizable as a whole (zoom), so the summary stays above the zoomed table."""

    ALLOW_MAXIMIZE = True

    def __init__(self, number: int, columns: Sequence[str], *, id: str) -> None:
        super().__init__(id=id, classes="panel")
        self.number = number
        self.summary = Static("", classes="panel-summary", markup=False)
        self.table = KeyedTable(columns, id=f"{id}-table")

    def compose(self) -> ComposeResult:
        yield self.summary
        yield self.table

    def show(self, summary: Text, rows: Sequence[Row]) -> int:
        """Show a new summary and rows; returns the number of table cells that changed."""
        self.summary.update(summary)
        return self.table.sync(rows)
