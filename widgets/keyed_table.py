"""A DataTable that is given rows by key and repaints only the cells that changed.

Learned from Dolphie and Toolong: a live panel must not rebuild itself every refresh (flicker,
lost cursor, kilobytes over SSH for one changed word). Rows live in fixed slots (slot i shows
the i-th row given); a refresh compares each slot's cells with what it shows and repaints only
the cells that differ, so a case that moves up the list costs the lines between its old and
new place, not the whole table. The cursor follows its row's key, not its slot.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, RowKey


@dataclass(frozen=True)
class Row:
    key: str
    cells: tuple[Text, ...]


class KeyedTable(DataTable[Text]):
    """Rows are identified by a stable key (a case id, a grid id, a stall id)."""

    BINDINGS = [
        Binding("enter", "select_cursor", "Detail", id="panel.detail"),
        Binding("j", "cursor_down", "Down", show=False, id="table.down"),
        Binding("k", "cursor_up", "Up", show=False, id="table.up"),
    ]

    def __init__(self, columns: Sequence[str], *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, cursor_type="row", zebra_stripes=False, cell_padding=1)
        self._column_labels = tuple(columns)
        self._column_keys: list[ColumnKey] = []
        self._rows: list[Row] = []  # what each slot shows
        self.last_changed_cells = 0

    def on_mount(self) -> None:
        if not self._column_keys:
            self.set_columns(self._column_labels)

    def set_columns(self, labels: Sequence[str]) -> None:
        self._column_labels = tuple(labels)
        self.clear(columns=True)
        self._column_keys = [self.add_column(label, key=f"c{index}") for index, label in enumerate(labels)]
        self._rows = []

    # -- reading -----------------------------------------------------------------

    @property
    def keys(self) -> list[str]:
        """The row keys, top to bottom."""
        return [row.key for row in self._rows]

    @property
    def cursor_key(self) -> str | None:
        if not 0 <= self.cursor_row < len(self._rows):
            return None
        return self._rows[self.cursor_row].key

    def cell(self, key: str, column: int) -> Text:
        """The text shown in row ``key``, column ``column``."""
        for row in self._rows:
            if row.key == key:
                return row.cells[column]
        raise KeyError(key)

    # -- writing -----------------------------------------------------------------

    def sync(self, rows: Sequence[Row]) -> int:
        """Make the table show ``rows``; returns how many cells had to change."""
        if not self._column_keys:  # data can arrive before this table's Mount event has run
            self.set_columns(self._column_labels)
        kept = self.cursor_key
        changed = 0
        for slot, row in enumerate(rows):
            if slot < len(self._rows):
                for column, (before, after) in enumerate(zip(self._rows[slot].cells, row.cells, strict=True)):
                    if before != after:
                        self._set_cell(slot, column, after)
                        changed += 1
            else:
                self.add_row(*row.cells, key=str(slot))
                changed += len(row.cells)
        for slot in range(len(rows), len(self._rows)):
            self.remove_row(str(slot))
        self._rows = list(rows)
        if kept is not None and kept in self.keys and self.keys.index(kept) != self.cursor_row:
            self.move_cursor(row=self.keys.index(kept), animate=False, scroll=True)
        self.last_changed_cells = changed
        return changed

    def _set_cell(self, slot: int, column: int, value: Text) -> None:
        """Change one cell and repaint only that cell.

        DataTable.update_cell repaints the whole visible table; here only the cell's region is
        marked dirty, so only those characters go over the wire. A value wider than its column falls
        back to update_cell so the column can grow.
        """
        column_key = self._column_keys[column]
        if value.cell_len > self.columns[column_key].content_width:
            self.update_cell(str(slot), column_key, value, update_width=True)
            return
        self._data[RowKey(str(slot))][column_key] = value  # DataTable's own cell store
        self._update_count += 1  # DataTable keys its render caches on this count
        self.refresh_coordinate(Coordinate(slot, column))
