"""A DataTable that is given rows by key and changes only what changed.

Learned from Dolphie: a live panel must not rebuild itself every refresh (flicker, lost
cursor, bytes on a slow link). ``sync`` updates changed cells in place; only when the set or
order of rows changes does it rebuild, and then it keeps the cursor on the same row key.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable


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
        self._column_keys: list = []
        self._keys: list[str] = []
        self._cells: dict[str, tuple[Text, ...]] = {}
        self.last_changed_cells = 0

    def on_mount(self) -> None:
        if not self._column_keys:
            self.set_columns(self._column_labels)

    def set_columns(self, labels: Sequence[str]) -> None:
        self._column_labels = tuple(labels)
        self.clear(columns=True)
        self._column_keys = [self.add_column(label, key=f"c{index}") for index, label in enumerate(labels)]
        self._keys = []
        self._cells = {}

    @property
    def cursor_key(self) -> str | None:
        if not self._keys or not 0 <= self.cursor_row < len(self._keys):
            return None
        return self._keys[self.cursor_row]

    def sync(self, rows: Sequence[Row]) -> int:
        """Make the table show ``rows``; returns how many cells had to change."""
        if not self._column_keys:  # data can arrive before this table's Mount event has run
            self.set_columns(self._column_labels)
        keys = [row.key for row in rows]
        if keys != self._keys:
            changed = self._rebuild(rows, keys)
        else:
            changed = 0
            for row in rows:
                old = self._cells[row.key]
                for index, (before, after) in enumerate(zip(old, row.cells, strict=True)):
                    if before != after:
                        self.update_cell(row.key, self._column_keys[index], after)
                        changed += 1
        self._cells = {row.key: row.cells for row in rows}
        self.last_changed_cells = changed
        return changed

    def _rebuild(self, rows: Sequence[Row], keys: list[str]) -> int:
        kept_key = self.cursor_key
        kept_row = self.cursor_row
        scroll_y = self.scroll_y
        self.clear()
        for row in rows:
            self.add_row(*row.cells, key=row.key)
        self._keys = keys
        if rows:
            target = keys.index(kept_key) if kept_key in keys else min(kept_row, len(keys) - 1)
            self.scroll_to(y=scroll_y, animate=False, immediate=True)
            self.move_cursor(row=max(target, 0), animate=False, scroll=True)
        return sum(len(row.cells) for row in rows)
