"""What every dashboard panel shares: its keys are its own, active only while it has focus; it
writes only through ``Desk.submit``."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import events, on
from textual.actions import parse
from textual.app import SystemCommand
from textual.binding import Binding

from store.queries import Dashboard
from store.text import display_safe
from widgets.keyed_table import Column, KeyedTable
from widgets.panel import Panel
from widgets.specs import DetailContent, ListAction

from ..desk import Desk, guarded, keys_of
from ..presenters import Presenter
from .intake import ask_intake

if TYPE_CHECKING:  # the screens are imported when the first opens, not before the first frame (widgets/specs.py)
    from widgets.detail import DetailScreen
    from widgets.table_screen import TableScreen


class DeskPanel(Panel):
    """One panel: subclasses set NAME (its id), NUMBER (the key that opens it) and KEYS."""

    NAME: ClassVar[str]
    NUMBER: ClassVar[int]
    # (key, name) of the panel's own steps: ``action_step(name)``, remappable as ``<GROUP>.<name>``.
    KEYS: ClassVar[tuple[tuple[str, str], ...]] = ()
    GROUP: ClassVar[str] = ""
    QUIET: ClassVar[frozenset[str]] = frozenset()  # steps kept out of the Footer (80 columns)
    VIEWING: ClassVar[frozenset[str]] = frozenset()  # steps that write nothing: a viewer keeps them
    # (key, name) of each list's keys by the list's name, remappable as ``list.<name>``: declared
    # here, not where the list opens, so a [keymap] is checked against them.
    LIST_KEYS: ClassVar[Mapping[str, tuple[tuple[str, str], ...]]] = {}
    LIST_VIEWING: ClassVar[frozenset[str]] = frozenset()
    # Steps not about the selected row (a new record, a filter, the sort): in the palette by their name alone.
    UNSELECTED: ClassVar[frozenset[str]] = frozenset()
    # Its data is read for the first frame (store/queries.py: first_frame); the others' right after.
    FIRST_FRAME: ClassVar[bool] = False

    BINDINGS = [
        # 登记 works on every panel; panel 1 shows it in the Footer, the others keep room for their own keys.
        Binding("n", "new_petition", "New", show=False, id="petition.new"),
    ]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # Before Textual's own hook, which merges the class's BINDINGS once.
        if cls.KEYS and "BINDINGS" not in cls.__dict__:
            cls.BINDINGS = [
                Binding(key, f"step('{name}')", name, show=name not in cls.QUIET, id=f"{cls.GROUP}.{name}")
                for key, name in cls.KEYS
            ]
        super().__init_subclass__(**kwargs)

    def __init__(self, desk: Desk, *, filter_placeholder: str | None = None) -> None:
        super().__init__(self.NUMBER, self.columns(desk.present), id=self.NAME, filter_placeholder=filter_placeholder)
        self.desk = desk
        self.lists: list[TableScreen] = []  # lists this panel opened, redrawn when the store changes
        self.details: dict[DetailScreen, tuple[str, bool]] = {}  # details open: their key, revealed or not

    # -- what a subclass provides --------------------------------------------------------

    @classmethod
    def columns(cls, p: Presenter) -> Sequence[str | Column]:
        raise NotImplementedError

    def render_data(self, data: Dashboard) -> int:
        """Show the data; returns the number of table cells that changed."""
        raise NotImplementedError

    def draw(self, data: Dashboard) -> int:
        """``render_data``; or, while only the first frame's data is there and this panel's is not
        in it, its summary line saying it is being read (or could not be): no rows, no headings."""
        if data.complete or self.FIRST_FRAME:
            return self.render_data(data)
        p = self.desk.present
        said = p.t("summary.unread" if self.desk.unread else "summary.loading")
        return self.show_waiting(p.summary_line(self.NUMBER, f"panel.{self.NAME}", said, alarm=False))

    def open_row(self, key: str) -> None:
        """Enter on a row: its detail (a panel whose rows open lists says otherwise)."""
        self.open_detail(key)

    def selected_subject(self) -> str:
        """The selected row in words, for the palette ("收费 · 玉兰商业街 3")."""
        return ""

    def action_step(self, name: str) -> None:
        """One of the panel's own keys."""

    def fill_list(self, screen: TableScreen) -> None:
        """(Re)draw a list this panel opened."""

    def list_action(self, screen: TableScreen, action: str, row_key: str | None) -> None:
        """A key of a list this panel opened."""

    def detail_content(self, key: str, *, reveal: bool) -> DetailContent | None:
        return None

    # -- shared behaviour --------------------------------------------------------------------

    @property
    def data(self) -> Dashboard | None:
        return self.desk.data

    @property
    def t(self) -> Callable[[str], str]:
        return self.desk.t

    def list_actions(self, name: str) -> list[ListAction]:
        """The keys of the list ``name`` (LIST_KEYS). A viewer is not offered those that write, nor a
        desk whose reveal would be refused the reveal, but each is still bound: typed, it is refused
        in words (``list_key``, ``Desk.reveal``), as on the panels, not ignored."""
        return [
            ListAction(
                key,
                action,
                self.t(f"key.list.{action}"),
                offered=self.desk.reveals
                if action == "reveal"
                else not self.desk.read_only or action in self.LIST_VIEWING,
            )
            for key, action in self.LIST_KEYS[name]
        ]

    def list_key(self, screen: TableScreen, action: str, row_key: str | None) -> None:
        """A key typed on a list this panel opened: a viewer's that writes is refused in words here,
        the rest go to ``list_action``."""
        if self.desk.read_only and action != "open" and action not in self.LIST_VIEWING:
            self.refuse_read_only()
        else:
            self.list_action(screen, action, row_key)

    def refuse_read_only(self) -> None:
        """A viewer's key that writes, on a panel's rows or a list: said, in the status line."""
        self.desk.app.notify(self.t("readonly.refused"), severity="warning", timeout=8)

    def close_hint(self) -> str:
        """How a list's border names its close key ("Esc 返回", or the key a keymap put there)."""
        return self.t("list.close").format(key=self.desk.present.key("list.close", "Esc"))

    def redraw(self) -> None:
        """Show the last data again, after a change of this panel's own sort or filter."""
        if self.data is not None:
            self.draw(self.data)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A viewer neither sees nor runs a key that writes."""
        if not self.desk.read_only:
            return True
        if action == "step":
            return parameters[:1] != () and parameters[0] in self.VIEWING
        return action not in {"new_petition", "change_status", "case"}

    @classmethod
    def own_bindings(cls) -> list[Binding]:
        """The bindings this panel declares (its BINDINGS and its bases' from DeskPanel on), as declared."""
        panels = [c for c in reversed(cls.__mro__) if issubclass(c, DeskPanel)]
        return list(Binding.make_bindings(b for c in panels for b in c.__dict__.get("BINDINGS", ())))

    def on_key(self, event: events.Key) -> None:
        """A viewer's key that writes (where a ``[keymap]`` put it) is neither shown nor bound
        (``check_action``); typed on the rows it is refused in words, as ``p`` is in a detail."""
        if not self.desk.read_only or self.app.focused is not self.table:
            return
        for binding in self.own_bindings():
            _, action, parameters = parse(binding.action)
            keys = keys_of((self.desk.settings.keymap.get(binding.id) if binding.id else None) or binding.key)
            if event.key in keys and self.check_action(action, parameters) is False:
                event.stop()
                event.prevent_default()
                self.refuse_read_only()
                return

    def action_new_petition(self) -> None:
        ask_intake(self.desk)

    @on(KeyedTable.RowSelected)
    @guarded
    def _row_selected(self, event: KeyedTable.RowSelected) -> None:
        event.stop()
        key = self.table.cursor_key
        if key is not None:
            self.open_row(key)

    def commands(self) -> Iterable[SystemCommand]:
        """The panel's keys for the command palette, named for what is selected."""
        # One line, as the panel shows it (⏎): an incident's log line is its title over its description,
        # and the palette showed 更正 · 张庄桥梁垮塌 with 桥面塌陷两 on a line of its own.
        subject = display_safe(self.selected_subject())
        for key, name in self.KEYS:
            if self.check_action("step", (name,)) is False:
                continue
            named = subject and name not in self.UNSELECTED
            title = self.t(f"key.{self.GROUP}.{name}") + (f" · {subject}" if named else "")
            shown = self.desk.present.key(f"{self.GROUP}.{name}", key)
            yield SystemCommand(title, f"[{shown}]", lambda n=name: self.action_step(n))
        if self.check_action("new_petition", ()) is not False:  # n works on every panel (a viewer's: no)
            new = self.desk.present.key("petition.new", "n")
            yield SystemCommand(self.t("intake.heading"), f"[{new}]", self.action_new_petition)

    def open_detail(self, key: str) -> None:
        content = self.detail_content(key, reveal=False)
        if content is not None:
            # A desk whose reveal would be refused is not offered p; typed, it is refused in words.
            from ..screens import DetailScreen, UnrevealingDetailScreen

            screen = DetailScreen(content) if self.desk.reveals else UnrevealingDetailScreen(content)
            self.details[screen] = (key, False)

            def closed(_: None) -> None:
                self.details.pop(screen, None)

            self.desk.app.push_screen(screen, closed)

    def reveal_detail(self, screen: DetailScreen, subject: str) -> None:
        """``p`` in a detail: unmask for a permitted user; every attempt is logged. Pressed again on a
        detail already revealed, nothing more is shown: no second reveal in the log."""
        if self.details.get(screen, ("", False))[1]:
            return
        key = subject.partition(":")[2]
        self.desk.reveal(subject, lambda: self._show_revealed(screen, key))

    def _show_revealed(self, screen: DetailScreen, key: str) -> None:
        content = self.detail_content(key, reveal=True)
        if content is not None and screen.is_attached:
            self.details[screen] = (key, True)  # stays revealed while open, through other desks' changes
            screen.show(content)

    def open_list(self, kind: str, title: str, columns: Sequence[str | Column]) -> None:
        """Open one of this panel's lists: ``kind`` is its name (a key of LIST_KEYS, whose keys it
        binds), a colon and what it lists; its border names its close key. Redrawn on every change."""
        name = kind.partition(":")[0]
        actions = self.list_actions(name) if name in self.LIST_KEYS else []
        from ..screens import TableScreen

        screen = TableScreen(kind, title, columns, actions, close_hint=self.close_hint())
        self.lists.append(screen)
        self.desk.open_list(screen, on_close=lambda: self.lists.remove(screen))
        self.fill_list(screen)

    @staticmethod
    def unreadable(screen: TableScreen) -> None:
        """A list whose rows could not be read (``Desk.read`` said why): it stops saying it is loading."""
        if screen.is_attached and not screen.shown:
            screen.show(Text(""), [])

    def refill_lists(self) -> None:
        """The store changed (here or at another desk): redraw the lists and details this panel opened."""
        for screen in list(self.lists):
            self.fill_list(screen)
        for detail, (key, revealed) in list(self.details.items()):
            content = self.detail_content(key, reveal=revealed)
            if content is not None and detail.is_attached:  # a record gone (archived) keeps its last view
                detail.show(content)
