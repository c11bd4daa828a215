"""A full-screen list on top of the dashboard: a grid's households, the 一表全清 roster, who is out.

Renders the rows and header lines it is given and posts ``TableScreen.ActionRequested`` for each
key the caller declared (with the row under the cursor); the caller writes, then calls ``show``
with fresh rows. Keys are declared per screen, so each list has its own, and each is listed in the
screen's bottom border: no hidden keys.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import ClassVar, Self

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Static

from .fit_line import PartLines
from .help_key import HELP_KEYS, toggle_help
from .keyed_table import Column, KeyedTable, Row
from .screen_footer import CompactFooter
from .specs import ListAction as ListAction
from .status_line import StatusLine

# What the bottom border takes besides its subtitle: a corner, a rule cell and a space on each side.
BORDER_CELLS = 6


class TableScreen(ModalScreen[None]):
    """A full-screen keyed table with header lines and the list's own keys in its border."""

    DEFAULT_CSS = """
    TableScreen {
        align: center middle;
        /* Opaque: the list covers the whole screen, and a translucent modal would composite the
           dashboard behind it into every frame (~100 ms a frame at 120x40 on the township store). */
        background: $background;
    }
    TableScreen #list-box {
        width: 100%;
        height: 1fr;
        border: thick $accent;
        border-subtitle-align: left;
        background: $surface;
    }
    TableScreen #list-header {
        height: auto;
        max-height: 5;  /* at 80 columns a grid's six workers take three lines, a whole worker each */
        padding: 0 1;
    }
    TableScreen #list-table {
        height: 1fr;
    }
    TableScreen.ascii #list-box {
        border: ascii $accent;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q", "close", "Close", id="list.close"), HELP_KEYS]

    class ActionRequested(Message):
        """A list key was pressed: ``action`` names it, ``row_key`` is the row under the cursor."""

        def __init__(self, screen: TableScreen, action: str, row_key: str | None) -> None:
            super().__init__()
            self.screen = screen
            self.action = action
            self.row_key = row_key

    def __new__(
        cls,
        kind: str,
        title: str,
        columns: Sequence[str | Column],
        actions: Sequence[ListAction] = (),
        *,
        close_hint: str = "Esc",
    ) -> Self:
        """A screen of a subclass whose BINDINGS are this list's keys: declared bindings, so a
        keymap moves them like any other, with no write to Textual's private binding map."""
        return super().__new__(_with_keys(cls, tuple(actions)))  # type: ignore[return-value]  # a subclass of cls

    def __init__(
        self,
        kind: str,
        title: str,
        columns: Sequence[str | Column],
        actions: Sequence[ListAction] = (),
        *,
        close_hint: str = "Esc",
    ) -> None:
        """A list of ``kind`` (the caller's name for it) with these columns and keys. Enter on a row
        (the table's own key, in the Footer) posts ``ActionRequested`` named ``open``."""
        super().__init__(classes="table-screen")
        self.kind = kind  # what the caller shows here, e.g. "households:<grid id>"
        self.title_text = title
        self.actions = list(actions)
        self.header = self._header_of(Text(""))
        self.table = KeyedTable(columns, id="list-table")
        self._close_hint = close_hint
        self.shown = False  # rows were shown (the list is not loading its first rows any more)
        self._composed = False

    def compose(self) -> ComposeResult:
        """Header lines over the table, in a bordered box."""
        self._composed = True
        with Vertical(id="list-box"):
            yield self.header
            yield self.table
        yield StatusLine(id="status")  # what a key here set off (a refused reveal): the dashboard's is covered
        yield CompactFooter()  # this screen's own keys, not the dashboard's behind it

    def on_mount(self) -> None:
        """Focus the rows; list the keys in the border once the keymap is applied."""
        box = self.query_one("#list-box")
        box.border_title = Content(self.title_text)  # a grid's name as typed: a str is read as markup
        self.table.focus()
        self.call_after_refresh(self._show_hints)

    def on_resize(self) -> None:
        self.call_after_refresh(self._show_hints)  # the border is wider or narrower: fit the hints again

    def _show_hints(self) -> None:
        """The keys in the bottom border, as they are bound now (after any keymap). The close key
        goes last, and is left out when the border has no room for it: the Footer shows it too
        (at 80 columns a grid's household list cut its own last key to "Es…")."""
        bound = {ab.binding.id: key for key, ab in self.active_bindings.items() if ab.binding.id}
        hints = [
            f"{self.app.get_key_display(Binding(bound.get(a.binding_id, a.key), ''))} {a.description}"
            for a in self.actions
            if a.offered
        ]
        box = self.query_one("#list-box")
        room = box.size.width - BORDER_CELLS
        shown = " · ".join([*hints, self._close_hint])
        if hints and cell_len(shown) > room:
            shown = " · ".join(hints)
        box.border_subtitle = Content(shown)

    @staticmethod
    def _header_of(header: Text) -> Static:
        """Header lines broken only between their parts (a count, a worker's role, name and phone)."""
        return Static(PartLines(header), id="list-header", markup=False)

    def _set_header(self, header: Text) -> None:
        """Header lines, measured again when they are laid out: given to a header not yet composed
        as its first content, and left alone when they are the same.

        Textual measures a widget again only when a layout is asked while none is pending: an update
        while one is pending (an update before the screen was up, not yet acted on) keeps the height
        measured in between. The loading line was set that way, and the rows' header, coming back on
        the event loop at any moment, was drawn in the loading line's one line for good when it came
        right after the screen's first layout (a grid's households without two of their header
        lines, now and then under load)."""
        if not self._composed:
            self.header = self._header_of(header)
        elif PartLines(header) != self.header.content:
            self.header.update(PartLines(header))

    @property
    def header_text(self) -> Text:
        """The header lines as given (the screen shows them broken between their parts)."""
        content = self.header.content
        return content.text if isinstance(content, PartLines) else Text(str(content))

    def show_loading(self, header: Text) -> None:
        """A line to show until the first rows come (read elsewhere); ``show`` replaces it. No column
        headings meanwhile: they are fitted to the rows, and would change when the rows come."""
        if not self.shown:
            self._set_header(header)
            self.table.show_headings(False)

    def show(self, header: Text, rows: Sequence[Row], title: str | None = None) -> int:
        """Show new header lines and rows; returns how many table cells changed."""
        self.shown = True
        self._set_header(header)
        self.table.show_headings(True)
        if title is not None:
            self.title_text = title
            self.query_one("#list-box").border_title = Content(title)
        return self.table.sync(rows)

    @property
    def cursor_key(self) -> str | None:
        """The key of the row under the cursor."""
        return self.table.cursor_key

    def action_request(self, name: str) -> None:
        """Post ``ActionRequested`` for the declared key ``name``."""
        self.post_message(self.ActionRequested(self, name, self.table.cursor_key))

    @on(KeyedTable.RowSelected)
    def _row_selected(self, event: KeyedTable.RowSelected) -> None:
        event.stop()
        self.post_message(self.ActionRequested(self, "open", event.key))

    def action_toggle_help(self) -> None:
        toggle_help(self)

    def action_close(self) -> None:
        """Close the list."""
        self.dismiss(None)


@cache
def _with_keys(base: type[TableScreen], actions: tuple[ListAction, ...]) -> type[TableScreen]:
    """``base`` with a binding for each action: one class per set of keys, made once."""
    if not actions:
        return base
    # The table's own keys (j/k move the cursor) come first: an action on one would never be reached.
    taken = {key for binding in KeyedTable.BINDINGS if isinstance(binding, Binding) for key in binding.key.split(",")}
    if clash := sorted(a.key for a in actions if a.key in taken):
        raise ValueError(f"list keys {clash} are the table's own keys")
    bindings: list[BindingType] = [
        Binding(a.key, f"request('{a.name}')", a.description, show=False, system=not a.offered, id=a.binding_id)
        for a in actions
    ]
    # Same name, so the CSS type selector "TableScreen" and DEFAULT_CSS apply unchanged.
    return type(base.__name__, (base,), {"BINDINGS": bindings, "__module__": base.__module__})
