"""A table of rows given by key that repaints only the cells that changed (a virtual list).

Learned from Dolphie and Toolong: a live panel must not rebuild itself every refresh (flicker,
lost cursor, kilobytes over SSH for one changed word). Built on Textual's line API: a
``ScrollView`` whose ``render_line`` draws one line from a cache of rendered rows keyed by row
key. Rows live in fixed slots (slot i shows the i-th row given); ``sync`` compares each slot with
what it shows and refreshes only the regions of the cells that differ, so a case that moves up the
list costs the cells between its old and new place, not the whole table. The cursor follows its
row's key, not its slot.

Column widths fit the widget: a free-text column (``Column(shrink=True)``) gives up its width
first, ending in "…", then a label column that may give way after it (``Column(shrink=True,
after_free_text=True)``, a case's category), so short columns such as a status or an amount of
money are never cut; a cell a row marks ``whole`` (an incident's report due in the log's free-text
column) is never cut either. When even that is too wide, the columns marked ``drop`` are left out,
lowest first (a stall's goods and holder in a third of the screen), rather than push a column off
the edge. The widths are laid out again whenever the widget's width changes (zoom, a resized
terminal): a wider widget shows the left-out columns again.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar, NamedTuple

from rich.cells import cell_len, get_character_cell_size
from rich.control import strip_control_codes
from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

CELL_PADDING = 1  # blank cells either side of a cell's text


def ellipsize(text: Text, width: int) -> Text:
    """Cut ``text`` (in place) to at most ``width`` cells ending in "…" right after the last
    character that fits, and return it; text that fits is left as it is.

    Rich's ``truncate(overflow="ellipsis")`` pads a wide character that does not fit with a space,
    so 1号楼楼道灯 in 10 cells read ``1号楼楼道 …``; here it is ``1号楼楼道…`` and the cell left over
    is the caller's padding, after the ellipsis."""
    if text.cell_len <= width:
        return text
    room, kept = max(width - 1, 0), 0
    for index, char in enumerate(text.plain):
        room -= get_character_cell_size(char)
        if room < 0:
            break
        kept = index + 1
    text.plain = text.plain[:kept] + ("…" if width > 0 else "")
    return text


@dataclass(frozen=True, eq=False, repr=False)  # never compared or shown: fewer methods to compile
class Row:
    """One row of a ``KeyedTable``: a stable key (a case id, a grid id, a stall id) and its cells.
    ``whole`` names the columns where this row's cell is never cut although the column's others
    may be (a time among free text): the column's floor is at least that cell's width."""

    key: str
    cells: tuple[Text, ...]
    whole: frozenset[int] = frozenset()

    @property
    def size(self) -> int:
        """How many cells the row has."""
        return len(self.cells)

    @functools.cached_property
    def widths(self) -> tuple[int, ...]:
        """Each cell's width in terminal cells. Measuring Chinese text is slow (~6 µs a cell, 70 ms
        for a list of 1,800 households): a list read in a worker is measured there (``measured``)."""
        return tuple(text.cell_len for text in self.cells)


class LazyRow(Row):
    """A row whose ``Text`` cells are made when first needed: painted, or compared with a newer
    row of its key. Its widths are measured from each cell's text, given (``plain``, exactly what
    the made cell holds). A table of hundreds of rows paints a screenful: its first show made every
    row's cells only to measure them (a township's 337 open cases: ~16 M instructions of the
    first frame)."""

    _plain: tuple[str, ...]
    _make: Callable[[], tuple[Text, ...]]

    def __init__(
        self,
        key: str,
        plain: tuple[str, ...],
        make: Callable[[], tuple[Text, ...]],
        whole: frozenset[int] = frozenset(),
    ) -> None:
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "whole", whole)
        object.__setattr__(self, "_plain", plain)
        object.__setattr__(self, "_make", make)

    @functools.cached_property
    def cells(self) -> tuple[Text, ...]:
        return self._make()

    @property
    def size(self) -> int:
        return len(self._plain)

    @functools.cached_property
    def widths(self) -> tuple[int, ...]:
        # As ``Text`` keeps it: control codes stripped (a cell's text has none: display_safe).
        return tuple(cell_len(strip_control_codes(text)) for text in self._plain)


@functools.cache
def _in_column(column: int) -> Style:
    """The style that names a cell's column (``_render_row``), made once a column."""
    return Style.from_meta({"column": column})


def measured(rows: list[Row]) -> list[Row]:
    """``rows`` with their widths measured now: call it where the rows are made off the screen's
    thread, so showing them does not measure every cell while no key or repaint can run."""
    for row in rows:
        _ = row.widths
    return rows


class Column(NamedTuple):
    """A column heading; ``shrink`` marks free text that may be cut (with "…") to fit the width,
    down to ``min_width`` cells (four Chinese characters by default: still tells rows apart).
    ``after_free_text`` marks a shrinking column that gives way only once every free-text column
    is at its floor (a category: cut last, never below its heading's width). ``drop`` marks a
    column that is left out when the table does not fit with every shrinking column at its floor,
    the lowest ``drop`` first (a name the detail shows: the columns that are never cut stay on
    screen); a wider widget (zoom) shows it again."""

    label: str
    shrink: bool = False
    min_width: int = 8
    after_free_text: bool = False
    drop: int | None = None

    @property
    def floor(self) -> int | None:
        """The narrowest this column may become, or None if it is never cut."""
        if not self.shrink:
            return None
        if self.after_free_text:  # its heading stays whole
            return max(self.min_width, Text(self.label).cell_len)
        return self.min_width


def same_text(a: Text, b: Text) -> bool:
    """Whether two cells look the same: ``Text ==`` ignores the base style (an overdue case's
    red id and its plain id compare equal)."""
    return a == b and a.style == b.style and a.justify == b.justify


def fit_widths(
    natural: Sequence[int],
    floors: Sequence[int | None],
    available: int,
    later: Sequence[bool] = (),
    drop: Sequence[int | None] = (),
) -> list[int | None]:
    """Column text widths that fit ``available`` cells, shrinking only columns with a floor, and
    leaving out (None) columns with a ``drop`` order when shrinking is not enough.

    ``natural`` is each column's widest text; ``floors`` the narrowest a column may become, or
    None for a column that is never cut; ``later`` marks the shrinkable columns that give way only
    once the others are at their floors. Shrinkable columns give up width widest first (so two
    free-text columns end up even). If the table is still wider than ``available`` (the blank after
    the last column may fall off the edge: it holds no text), the column with the lowest ``drop``
    is left out and the widths are fitted again, until it fits or none is left to drop; the others
    keep their natural width even when the table is then wider than ``available`` (it scrolls
    sideways).
    """
    count = len(natural)
    gives_way_later = [*later, *[False] * (count - len(later))]
    drop_order = [*drop, *[None] * (count - len(drop))]
    to_drop = sorted((order, i) for i, order in enumerate(drop_order) if order is not None)
    left_out: set[int] = set()
    while True:
        widths: list[int | None] = [None if i in left_out else w for i, w in enumerate(natural)]
        excess = sum(w + 2 * CELL_PADDING for w in widths if w is not None) - available
        for turn in (False, True):
            while excess > 0:
                candidates = [
                    i
                    for i, w in enumerate(widths)
                    if w is not None and (floor := floors[i]) is not None and w > floor and gives_way_later[i] is turn
                ]
                if not candidates:
                    break
                widest = max(candidates, key=lambda i: widths[i] or 0)
                widths[widest] = (widths[widest] or 0) - 1
                excess -= 1
        if excess <= CELL_PADDING or not to_drop:
            return widths
        left_out.add(to_drop.pop(0)[1])


class _PaintState(NamedTuple):
    """What a table's lines are painted with; the cached lines are dropped when it changes."""

    base: Style  # the widget's own (``rich_style``)
    focused: bool
    width: int
    cursor: Style
    header: Style


class KeyedTable(ScrollView, can_focus=True):
    """Rows addressed by a stable key, a row cursor that follows its key, one header line.

    Give it rows with ``sync``; read the row under the cursor with ``cursor_key``. Enter (or a
    click) posts ``KeyedTable.RowSelected``.
    """

    DEFAULT_CSS = """
    KeyedTable {
        height: 1fr;
        background: $surface;
        color: $foreground;
        scrollbar-size-vertical: 1;

        &:focus {
            background-tint: $foreground 5%;
            & > .keyed-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .keyed-table--header {
                background-tint: $foreground 5%;
            }
        }
        & > .keyed-table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .keyed-table--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .keyed-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"keyed-table--header", "keyed-table--cursor"}
    """
    | Class | Description |
    | :- | :- |
    | `keyed-table--header` | The header line. |
    | `keyed-table--cursor` | The row under the cursor. |
    """

    # Every key has an id, so a [keymap] can move it (j/k keep the ids they had before).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Detail", id="panel.detail"),
        Binding("j", "cursor_down", "Down", show=False, id="table.down"),
        Binding("k", "cursor_up", "Up", show=False, id="table.up"),
        Binding("down", "cursor_down", "Down", show=False, id="table.cursor_down"),
        Binding("up", "cursor_up", "Up", show=False, id="table.cursor_up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="table.page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="table.page_up"),
        Binding("home,ctrl+home", "first", "First row", show=False, id="table.first"),
        Binding("end,ctrl+end", "last", "Last row", show=False, id="table.last"),
        Binding("left", "scroll_left", "Scroll left", show=False, id="table.left"),
        Binding("right", "scroll_right", "Scroll right", show=False, id="table.right"),
    ]

    # Its own message, not a DataTable.RowSelected: that made every dashboard import Textual's
    # DataTable before its first frame (~16 M instructions) for handlers no code of ours writes.
    class RowSelected(Message):
        """Enter (or a click) on a row: ``table`` and the row's ``key``."""

        def __init__(self, table: KeyedTable, cursor_row: int, key: str) -> None:
            super().__init__()
            self.table = table
            self.key = key
            self.cursor_row = cursor_row

        @property
        def control(self) -> KeyedTable:
            """The table the row is in."""
            return self.table

    def __init__(self, columns: Sequence[str | Column], *, id: str | None = None, classes: str | None = None) -> None:
        """A table with these column headings; a heading given as a plain string is not shrunk
        unless no column is marked ``shrink``, in which case the widest column is the free text."""
        super().__init__(id=id, classes=classes)
        self._columns: tuple[Column, ...] = ()
        self._rows: list[Row] = []  # what each slot shows
        self._slot_of: dict[str, int] = {}
        self._cursor = 0
        self._wanted: str | None = None  # a row to put the cursor on as soon as a sync shows it
        self._widths: list[int | None] = []  # text width of each column, as laid out (None: left out)
        self._offsets: list[int] = []  # x of each column's first cell
        self._laid_out_for = -1  # the width the columns were fitted to
        self._line_cache: dict[tuple[str, bool], Strip] = {}  # (row key, under cursor) -> line
        self._header: Strip | None = None
        self._headings_shown = True
        self._style_state: _PaintState | None = None  # as the last render_lines found them
        self._afresh = False  # the next sync measures the columns from its rows alone
        self.set_columns(columns)

    # -- reading -----------------------------------------------------------------

    @property
    def keys(self) -> list[str]:
        """The row keys, top to bottom."""
        return [row.key for row in self._rows]

    @property
    def cursor_row(self) -> int:
        """The slot (0 = top row) of the cursor."""
        return self._cursor

    @property
    def cursor_key(self) -> str | None:
        """The key of the row under the cursor, or None when the table is empty."""
        if not 0 <= self._cursor < len(self._rows):
            return None
        return self._rows[self._cursor].key

    @property
    def column_widths(self) -> list[int | None]:
        """Each column's text width as laid out now (without the cell padding); None for a column
        left out (``Column.drop``)."""
        return list(self._widths)

    def cell(self, key: str, column: int) -> Text:
        """The text shown in row ``key``, column ``column``."""
        slot = self._slot_of.get(key)
        if slot is None:
            raise KeyError(key)
        return self._rows[slot].cells[column]

    # -- writing -----------------------------------------------------------------

    def set_columns(self, columns: Sequence[str | Column]) -> None:
        """Start again with these column headings and no rows."""
        given = [c if isinstance(c, Column) else Column(c) for c in columns]
        self._columns_inferred = not any(c.shrink and not c.after_free_text for c in given)
        self._columns = tuple(given)
        self._measure_nothing_yet()
        self._rows = []
        self._slot_of = {}
        self._cursor = 0
        self._relayout()

    def measure_afresh(self) -> None:
        """The next ``sync`` measures the columns from the rows it is given alone, as a table just
        made would: a column may narrow then (widths otherwise only grow, see ``_measure``). For a
        change of the rows as a whole, such as a new day's, not for a countdown's tick."""
        self._afresh = True

    def _measure_nothing_yet(self) -> None:
        self._widest = [Text(c.label).cell_len for c in self._columns]  # each column's widest text so far
        self._widest_whole = [0] * len(self._columns)  # each column's widest cell a row marks whole

    def show_headings(self, shown: bool) -> None:
        """Show the column headings on the header line (True), or leave it blank: the columns are
        fitted to the rows, so headings drawn before the rows come (fitted to none) would change
        when they do: a column left out, one cut, every one moved."""
        if shown != self._headings_shown:
            self._headings_shown = shown
            self._header = None
            self.refresh(Region(0, 0, max(self.size.width, 1), 1))

    def sync(self, rows: Sequence[Row]) -> int:
        """Make the table show ``rows``; returns how many cells had to change.

        Only the regions of changed cells (and the old and new line of a moved cursor) are
        refreshed: an unchanged cell costs no bytes on the wire.
        """
        kept = self.cursor_key
        before = self._rows
        before_rows = {row.key: row for row in before}  # (a row's cells are made only to be compared)
        self._rows = list(rows)
        self._slot_of = {row.key: slot for slot, row in enumerate(self._rows)}
        afresh, self._afresh = self._afresh, False
        if afresh:
            self._measure_nothing_yet()
        for row in self._rows:
            old_row = before_rows.get(row.key)
            new_or_changed = old_row is None or not all(map(same_text, old_row.cells, row.cells))
            if new_or_changed:
                self._forget(row.key)
            if new_or_changed or afresh:
                self._measure(row)  # only a new or changed row can widen a column (afresh: each row)
        for key in before_rows.keys() - self._slot_of.keys():
            self._forget(key)

        old_cursor = self._cursor
        if self._wanted is not None and self._wanted in self._slot_of:
            self._cursor = self._slot_of[self._wanted]
            self._wanted = None
        elif kept is not None and kept in self._slot_of:
            self._cursor = self._slot_of[kept]
        else:
            self._cursor = min(self._cursor, max(len(self._rows) - 1, 0))

        changed = 0
        relaid = self._relayout()
        for slot in range(max(len(before), len(self._rows))):
            if slot >= len(before) or slot >= len(self._rows):  # a row come or gone: its cells are not made here
                changed += (before[slot] if slot < len(before) else self._rows[slot]).size
                if not relaid:
                    self._refresh_slot(slot)
                continue
            old, new = before[slot].cells, self._rows[slot].cells
            for column, (was, now) in enumerate(zip(old, new, strict=True)):
                if not same_text(was, now):
                    changed += 1
                    if not relaid:
                        self._refresh_cell(slot, column)
        if self._cursor != old_cursor:
            if not relaid:
                self._refresh_slot(old_cursor)
                self._refresh_slot(self._cursor)
            self._scroll_to_cursor()
        return changed

    def select_key(self, key: str) -> None:
        """Put the cursor on row ``key``: now if it is shown, else as soon as a ``sync`` shows it
        (a record just created, before the reload that brings it; or one a filter hides until it is
        cleared). Moving the cursor in between forgets it."""
        slot = self._slot_of.get(key)
        if slot is None:
            self._wanted = key
        else:
            self.move_cursor(row=slot)

    def move_cursor(self, *, row: int, animate: bool = False, scroll: bool = True) -> None:
        """Put the cursor on slot ``row`` (clamped to the rows there are)."""
        self._wanted = None
        target = min(max(row, 0), max(len(self._rows) - 1, 0))
        if target != self._cursor:
            self._refresh_slot(self._cursor)
            self._cursor = target
            self._refresh_slot(target)
        if scroll:
            self._scroll_to_cursor(animate=animate)

    # -- actions -----------------------------------------------------------------

    def action_cursor_down(self) -> None:
        """Move the cursor one row down."""
        self.move_cursor(row=self._cursor + 1)

    def action_cursor_up(self) -> None:
        """Move the cursor one row up."""
        self.move_cursor(row=self._cursor - 1)

    def action_page_down(self) -> None:
        """Move the cursor down by a screenful of rows."""
        self.move_cursor(row=self._cursor + self._rows_in_view())

    def action_page_up(self) -> None:
        """Move the cursor up by a screenful of rows."""
        self.move_cursor(row=self._cursor - self._rows_in_view())

    def action_first(self) -> None:
        """Move the cursor to the first row."""
        self.move_cursor(row=0)

    def action_last(self) -> None:
        """Move the cursor to the last row."""
        self.move_cursor(row=len(self._rows) - 1)

    def action_select_cursor(self) -> None:
        """Post ``RowSelected`` for the row under the cursor."""
        key = self.cursor_key
        if key is not None:
            self.post_message(self.RowSelected(self, self._cursor, key))

    def on_click(self, event: events.Click) -> None:
        """A click on a row puts the cursor there and selects it, as a DataTable does."""
        offset = event.get_content_offset(self)
        if offset is None or offset.y == 0:
            return  # outside the rows, or on the header
        slot = offset.y - 1 + round(self.scroll_y)
        if slot < len(self._rows):
            self.move_cursor(row=slot)
            self.action_select_cursor()
            event.stop()

    # -- layout ------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        """A wider (zoomed) or narrower widget lays its columns out again."""
        if self._relayout():
            self._scroll_to_cursor()

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True) -> bool:
        """A layout gave the table a new size: Textual's ScrollView asks to repaint the whole of it
        at its old size, a request only the table's next refresh hands to the compositor, with
        whatever changed then (a tick's one cell: the whole table sent again, ~1 KB at 120x40; the
        rest of the dashboard's data comes so, its panels' lines moving the tables). The layout
        that resized it repaints all of it now (the compositor repaints every widget whose place
        changed), so that request is dropped here; any asked for after it (the scrollbars that
        came or went) is kept."""
        before = self.outer_size
        resized = super()._size_updated(size, virtual_size, container_size, layout)
        if self.outer_size != before:
            self._repaint_regions.discard(before.region)
        return resized

    def _available_width(self) -> int:
        return self.scrollable_content_region.width

    def _measure(self, row: Row) -> None:
        """Widen each column's widest text to fit ``row``. Widths only grow (until set_columns or measure_afresh), as
        a DataTable's do: a due time going from "剩10时" to "剩9时" must not move every column and
        repaint the whole table. Measured once per new or changed row, not on every layout."""
        widest = self._widest
        for column, width in enumerate(row.widths):
            if width > widest[column]:
                widest[column] = width
        for column in row.whole:
            self._widest_whole[column] = max(self._widest_whole[column], row.widths[column])

    def _relayout(self, *, repaint: bool = True) -> bool:
        """Fit the column widths to the rows and the widget's width; True if any column moved."""
        natural = list(self._widest)
        floors = [
            None if (floor := c.floor) is None else max(floor, whole)
            for c, whole in zip(self._columns, self._widest_whole, strict=True)
        ]
        later = [c.after_free_text for c in self._columns]
        drop = [c.drop for c in self._columns]
        if self._columns_inferred and natural:
            # No free-text column was marked: the widest other than a later one is taken to be it.
            widest = max((i for i in range(len(natural)) if not later[i]), key=lambda i: natural[i], default=None)
            if widest is not None:
                floors[widest] = self._columns[widest].min_width
        # The scrollable width is the table at its narrowest, which does not depend on the
        # widget's width: fitting the columns never changes it, so it never costs a layout pass
        # (and a repaint of the whole screen) on the first paint or a zoom.
        # The blank after the last column may fall off the edge: it holds no text to scroll to.
        # Its narrowest leaves out every column that may be left out.
        kept = [(n, f) for n, f, d in zip(natural, floors, drop, strict=True) if d is None]
        narrowest = sum(min(n, f) if f is not None else n for n, f in kept)
        self.virtual_size = Size(max(narrowest + (2 * len(kept) - 1) * CELL_PADDING, 0), len(self._rows) + 1)
        available = self._available_width()
        widths: list[int | None] = (
            fit_widths(natural, floors, available, later, drop) if available > 0 else list(natural)
        )
        self._laid_out_for = available
        if widths == self._widths:
            return False
        self._widths = widths
        self._offsets = []
        x = 0
        for width in widths:
            self._offsets.append(x)
            if width is not None:
                x += width + 2 * CELL_PADDING
        self._line_cache.clear()
        self._header = None
        if repaint:
            self.refresh()
        return True

    def _rows_in_view(self) -> int:
        return max(self.scrollable_content_region.height - 1, 1)

    def _scroll_to_cursor(self, animate: bool = False) -> None:
        top = round(self.scroll_y)
        in_view = self._rows_in_view()
        # force: the scroll happens after the next refresh, and a table that had no scrollbar
        # (a filter down to a few rows, now cleared) may still have none then, which would
        # silently drop the scroll and leave the cursor's row out of view.
        if self._cursor < top:
            self.scroll_to(y=self._cursor, animate=animate, force=True)
        elif self._cursor >= top + in_view:
            self.scroll_to(y=self._cursor - in_view + 1, animate=animate, force=True)

    # -- painting ----------------------------------------------------------------

    def _forget(self, key: str) -> None:
        self._line_cache.pop((key, False), None)
        self._line_cache.pop((key, True), None)

    def _refresh_slot(self, slot: int) -> None:
        """Repaint one row's whole line (the cursor moved on or off it, or it came or went)."""
        y = slot + 1 - round(self.scroll_y)
        self.refresh(Region(0, y, max(self.size.width, 1), 1))

    def _refresh_cell(self, slot: int, column: int) -> None:
        """Repaint one cell: only these characters go over the wire (with ``partial_update.CellChopsUpdate``:
        Textual's own update sends the line from the table's left edge up to the cell's end)."""
        width = self._widths[column]
        if width is None:  # left out: not on screen
            return
        y = slot + 1 - round(self.scroll_y)
        x = self._offsets[column] - round(self.scroll_x)
        self.refresh(Region(x, y, width + 2 * CELL_PADDING, 1))

    def notify_style_update(self) -> None:
        """A new theme or CSS: drop the rendered lines."""
        super().notify_style_update()
        self._line_cache.clear()
        self._header = None

    def _paint_state(self) -> _PaintState:
        return _PaintState(
            self.rich_style,
            self.has_focus,
            self.size.width,
            self.get_component_rich_style("keyed-table--cursor"),
            self.get_component_rich_style("keyed-table--header"),
        )

    def render_lines(self, crop: Region) -> list[Strip]:
        """Render the lines in ``crop``; the cache is dropped if focus or styles changed."""
        state = self._paint_state()
        if state != self._style_state:
            self._style_state = state
            self._line_cache.clear()
            self._header = None
        # Laid out since the last sync (the Resize event comes after this first paint), or a
        # scrollbar came or went: fit the columns now, so the rows are not painted twice.
        if (
            self._available_width() != self._laid_out_for
            and self._relayout(repaint=False)
            and not crop.contains_region(self.size.region)
        ):
            self.refresh()
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        """Line ``y`` of the widget: the header, then the rows from the scroll position.

        Its style and width as ``render_lines`` found them for this paint: ``rich_style`` walks
        every ancestor's styles on each call, and a table's blank lines asked for it one by one
        (~20 M instructions of a first frame at 120x40, four panels still empty)."""
        state = self._style_state or self._paint_state()
        width = state.width
        scroll_x = round(self.scroll_x)
        if y == 0:
            if not self._headings_shown:
                return Strip.blank(width, state.base)
            if self._header is None:
                self._header = self._render_row(
                    [Text(c.label) for c in self._columns], state.base + state.header, Style.null(), width
                )
            line = self._header
        else:
            slot = y - 1 + round(self.scroll_y)
            if slot >= len(self._rows):
                return Strip.blank(width, state.base)
            line = self._row_line(slot, state)
        return line.crop(scroll_x, scroll_x + width)

    def _row_line(self, slot: int, state: _PaintState | None = None) -> Strip:
        state = state or self._style_state or self._paint_state()
        row = self._rows[slot]
        under_cursor = slot == self._cursor
        cache_key = (row.key, under_cursor)
        line = self._line_cache.get(cache_key)
        if line is None:
            if under_cursor:
                cursor = state.cursor
                # The cursor's colour wins over a cell's own (as in a DataTable); its background does not.
                line = self._render_row(
                    row.cells, state.base + cursor, Style.from_color(color=cursor.color), state.width
                )
            else:
                line = self._render_row(row.cells, state.base, Style.null(), state.width)
            self._line_cache[cache_key] = line
        return line

    def _render_row(self, cells: Sequence[Text], style: Style, post_style: Style, width: int) -> Strip:
        """One line: each cell padded and cut to its column, then the style to the widget's edge."""
        segments: list[Segment] = []  # the cells' one after another, made into one Strip (not one a cell, then joined)
        for column, (text, cell_width) in enumerate(zip(cells, self._widths, strict=False)):
            if cell_width is None:  # left out (Column.drop)
                continue
            # The column in each cell's style (sends no bytes) keeps one run of text per cell, as a
            # DataTable draws it: an SVG screenshot places runs by their first cell, so CJK
            # columns stay aligned there.
            segments += self._render_cell(text, cell_width, style, post_style + _in_column(column))
        total = max(sum(w + 2 * CELL_PADDING for w in self._widths if w is not None), width)
        return Strip(segments).adjust_cell_length(total, style + post_style)

    def _render_cell(self, text: Text, width: int, style: Style, post_style: Style) -> list[Segment]:
        """One cell, segment for segment what Rich's ``render_lines`` of the padded text gives
        (justify, "…" overflow, the text's own style over the row's), at a third of its cost:
        a township's first frame renders thousands of cells. Its segments, not a ``Strip``: a row
        joins its cells' into one (a Strip each, made twice over to simplify it, then joined, cost
        ~4 M instructions of the first frame at 120x40)."""
        console = self.app.console
        justify = text.justify
        if justify == "full" or "\n" in text.plain or "\t" in text.plain:  # rare: let Rich lay it out
            if text.cell_len > width:
                text = text.copy()
                text.overflow = "ellipsis"
            options = self.app.console_options.update(width=width + 2 * CELL_PADDING, height=1, no_wrap=True)
            [rendered] = console.render_lines(Padding(text, (0, CELL_PADDING)), options, style=style, pad=True)
            return list(Segment.simplify(Segment.apply_style(rendered, post_style=post_style)))
        line = text.copy()
        if justify in ("right", "center"):  # as Rich's Lines.justify does
            line.rstrip()
        if line.cell_len > width:
            ellipsize(line, width)
        if justify == "right":
            line.pad_left(width - line.cell_len)
        elif justify == "center":
            line.pad_left((width - line.cell_len) // 2)
            line.pad_right(width - line.cell_len)
        elif justify == "left":
            line.pad_right(width - line.cell_len)
        text_style = style + console.get_style(text.style, default=Style.null())
        body = [segment for segment in Segment.apply_style(line.render(console, end=""), text_style) if segment.text]
        pad = " " * CELL_PADDING
        segments = [Segment(pad, style), *body, Segment(" " * (width - line.cell_len) + pad, style)]
        return list(Segment.simplify(Segment.apply_style(segments, post_style=post_style)))
