"""The duty-room dashboard: composes the header, the panels, the status line and the Footer, and holds
the dashboard's own keys. Each panel owns its keys and forms (duty_room/panels/); the data read and
kept current: live.py; where messages, errors and typed keys go: routing.py."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.geometry import Size
from textual.screen import Screen

from duty_room import words
from store.storage import Store
from widgets.help_key import PagedHelpApp
from widgets.screen_footer import CompactFooter
from widgets.status_line import StatusLine

from .config import Settings, unknown_environment_note
from .dashboard_screen import DashboardScreen
from .desk import Desk
from .driver import LinkApp
from .header import DashboardHeader
from .live import LiveApp
from .localize import localize_bindings
from .palette import PaletteApp
from .panels import PANEL_TYPES
from .panels.deck import DeckApp, PanelDeck
from .routing import RoutingApp
from .status import Status
from .terminal import TerminalApp, draws_in_ascii
from .watcher import StoreWatcher


class DutyRoomApp(LiveApp, RoutingApp, PaletteApp, DeckApp, PagedHelpApp, LinkApp, TerminalApp):
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = True

    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark", "help", "Help", id="app.help"),
        # F1 is the help key in a form (`?` is typed there), so here too; the Footer keeps its room.
        Binding("f1", "help", "Help", show=False, id="app.help_f1"),
        Binding("escape", "close_help", "Close help", show=False, id="app.close_help"),
        *[
            Binding(
                str(panel.NUMBER), f"focus_panel('{panel.NAME}')", panel.NAME, show=False, id=f"panel.{panel.NUMBER}"
            )
            for panel in PANEL_TYPES
        ],
        Binding("z", "zoom", "Zoom", id="panel.zoom"),
        # Zoomed, the same key (its id too, so a keymap moves both) says what it does then: 还原.
        Binding("z", "restore", "Restore", id="panel.zoom"),
        Binding("ctrl+p", "command_palette", "Commands", show=False, priority=True, id="app.palette"),
        Binding("ctrl+r", "refresh", "Refresh", show=False, id="panel.refresh"),
    ]

    def __init__(self, store: Store, settings: Settings) -> None:
        ascii_only = draws_in_ascii(settings.ascii)
        localize_bindings(settings.lang, ascii_only=ascii_only)  # before any widget or screen copies its bindings
        super().__init__(ascii_only=ascii_only, lite=settings.lite)
        self.store = store
        self.settings = settings
        self.lang = settings.lang
        self.desk = Desk(self, store, settings, ascii_only=self.ascii)
        self.present = self.desk.present
        self.help_words = (self.desk.t("help.page"), self.desk.t("help.next"), self.desk.t("help.close"))
        self._sized: Size | None = None
        self.status = Status(self, self.desk)
        # Looked up when called: tests replace poll.
        self.watcher = StoreWatcher(
            self,
            store,
            committed=lambda: self.commit_seen(),
            touched=lambda: self.recheck(),
            poll_seconds=settings.refresh_seconds,
        )
        if settings.keymap:
            self.set_keymap(settings.keymap)
        self.title = words.t("app.title", self.lang)

    # -- layout -------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield DashboardHeader(self.present, actor=self.store.actor, read_only=self.settings.read_only, id="header")
        yield PanelDeck(self.desk, columns=self.size.width, lite=self.settings.lite)
        yield StatusLine(joiner=self.desk.t("punct.stop"), id="status")
        yield CompactFooter()  # compact at every width: the active panel's keys fit 80 columns

    def on_mount(self) -> None:
        if self.settings.lite:
            self.theme = "ansi-dark"
        self.set_class(self.ascii, "ascii")  # the boxes opened over the dashboard too (app.tcss)
        self.screen.set_class(self.ascii, "ascii")
        self.screen.set_class(self.settings.lite, "lite")
        self.deck.watch_active(self.deck.active)
        self.watch(self.deck, "active", lambda _name: self.status.panel_left(), init=False)
        self.show_first_frame()
        unknown = unknown_environment_note(self.lang)
        if unknown:  # said on stderr too, but the dashboard's screen is drawn over it at once
            self.notify(unknown, severity="warning")

    def get_default_screen(self) -> Screen[None]:
        return DashboardScreen(id="_default")

    def on_resize(self, event: events.Resize) -> None:
        if self._sized == event.size:  # the driver says the size again once it starts
            event.prevent_default()  # App._on_resize would pass it to the screen all the same
            return
        self._sized = event.size
        if self.deck.fit(event.size.width) and self.data is not None:
            self.show(self.data)

    def on_panel_deck_refitted(self) -> None:
        if self.data is not None:
            self.show(self.data)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Lite: a field's cursor does not blink (each blink repaints it). Here, where focus bubbles
        up from every screen, so the palette's own field is covered too."""
        if self.settings.lite and hasattr(event.widget, "cursor_blink"):
            event.widget.cursor_blink = False
