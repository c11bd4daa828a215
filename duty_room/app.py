"""The duty-room dashboard: composes the header, the panels, the status line and the Footer, holds
the dashboard's own keys, and reloads when the store changes or the minute turns. Each panel owns its
keys and forms (duty_room/panels/); where messages, errors and typed keys go: routing.py."""

from __future__ import annotations

import gc
from datetime import datetime

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.geometry import Size
from textual.reactive import reactive
from textual.screen import Screen

from duty_room import words
from store import clock
from store.queries import Dashboard, dashboard, first_frame
from store.storage import Store, StoreError
from widgets.help_key import PagedHelpApp
from widgets.screen_footer import CompactFooter
from widgets.status_line import StatusLine

from .config import Settings
from .dashboard_screen import DashboardScreen
from .desk import Desk, Saved, guarded
from .header import DashboardHeader
from .localize import localize_bindings
from .palette import PaletteApp
from .panels import PANEL_TYPES, DeskPanel
from .panels.deck import PanelDeck
from .routing import RoutingApp
from .status import Status
from .terminal import ASCII_KEYS, WALL_MAP_DARK, WALL_MAP_LIGHT, draw_scrollbars_in_ascii, terminal_speaks_utf8
from .watcher import StoreWatcher


class DutyRoomApp(RoutingApp, PaletteApp, PagedHelpApp):
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = True
    # Zoomed (z), the status line stays under the panel: what a key did, a refusal, a failed export.
    ALLOW_IN_MAXIMIZED_VIEW = "Footer, StatusLine"

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
        Binding("ctrl+p", "command_palette", "Commands", show=False, priority=True, id="app.palette"),
        Binding("ctrl+r", "refresh", "Refresh", show=False, id="panel.refresh"),
    ]

    ansi_theme_dark = reactive(WALL_MAP_DARK, init=False)
    ansi_theme_light = reactive(WALL_MAP_LIGHT, init=False)

    def __init__(self, store: Store, settings: Settings | None = None) -> None:
        settings = settings or Settings(store=store.root)
        localize_bindings(settings.lang)  # before any widget or screen copies its bindings
        # Lite: the terminal's own 16 colours, far fewer bytes per cell.
        super().__init__(ansi_color=True if settings.lite else None)
        self.store = store
        self.settings = settings
        self.ascii = settings.ascii if settings.ascii is not None else not terminal_speaks_utf8()
        draw_scrollbars_in_ascii(self.ascii)
        self.lang = settings.lang
        self.desk = Desk(self, store, settings, ascii_only=self.ascii)
        self.present = self.desk.present
        self.help_words = (self.desk.t("help.page"), self.desk.t("help.next"), self.desk.t("help.close"))
        self._seen_generation = -1
        self._seen_minute: tuple[int, int] | None = None
        self._sized: Size | None = None
        self._watching = False
        self.status = Status(self, self.desk)
        self.status_messages = self.status.said
        self.handled_errors = self.status.handled_errors
        # Looked up when called: tests replace poll.
        self.watcher = StoreWatcher(
            self,
            store,
            committed=lambda: self.poll(),
            touched=lambda: self.recheck(),
            poll_seconds=settings.refresh_seconds,
        )
        if settings.keymap:
            self.set_keymap(settings.keymap)
        self.title = words.t("app.title", self.lang)

    def get_key_display(self, binding: Binding) -> str:
        """A key as the Footer and `?` show it: Textual's words, in ASCII on an ASCII terminal."""
        shown = super().get_key_display(binding)
        return shown.translate(ASCII_KEYS) if self.ascii else shown

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
        # Read before the first frame (empty panels painted again with data cost a whole screen of
        # bytes), only what it must show: the header and panel 1. The rest follows in _fill.
        try:
            self.store.bytes_later = True  # the per-record cache's bytes: made once the frame is on screen
            try:
                data = first_frame(self.store, clock.now(), duty_rules=self.settings.duty)
            finally:
                self.store.bytes_later = False
            self.show(data)
        except StoreError as exc:
            self.status.unreadable(exc)
            return
        # What was read lives as long as the dashboard: frozen, a full collection does not walk it
        # holding the interpreter lock (no key or repaint meanwhile). cli.main ran without the
        # collector until here.
        gc.freeze()
        gc.enable()
        self.set_interval(self.settings.refresh_seconds, self.poll)
        self.call_after_refresh(self._fill)

    def on_unmount(self) -> None:
        self.watcher.stop()
        gc.unfreeze()  # in a process that goes on (tests), the dashboard's garbage can be collected

    def get_default_screen(self) -> Screen[None]:
        return DashboardScreen(id="_default")

    def on_resize(self, event: events.Resize) -> None:
        if self._sized == event.size:  # the driver says the size again once it starts
            event.prevent_default()  # App._on_resize would pass it to the screen all the same
            return
        self._sized = event.size
        if self.deck.fit(event.size.width) and self.data is not None:
            self.show(self.data)

    @property
    def escape_to_minimize(self) -> bool:
        # Zoomed, Esc restores the panel only where no key claims it: in the filter it clears the
        # filter, over the help it closes them, as the Footer says (Textual's restore came first).
        escape = self.screen.active_bindings.get("escape")
        return escape is None or not escape.enabled

    def on_panel_deck_refitted(self) -> None:
        if self.data is not None:
            self.show(self.data)

    @property
    def deck(self) -> PanelDeck:
        return self.query_one(PanelDeck)

    @property
    def active(self) -> str:
        return self.deck.active

    def panel(self, name: str) -> DeskPanel:
        return self.query_one(f"#{name}", DeskPanel)

    @property
    def active_panel(self) -> DeskPanel:
        return self.deck.active_panel

    # -- live data -------------------------------------------------------------------

    def poll(self) -> None:
        """Cheap check: has the store changed, or has the minute turned (ages, due times, clock)?"""
        now = clock.now()
        minute = (now.hour, now.minute)
        try:
            generation = self.store.generation()
        except StoreError as exc:
            self.status.unreadable(exc)
            return
        if generation != self._seen_generation or minute != self._seen_minute:
            self.reload()

    def recheck(self) -> None:
        """A store file changed with no commit: read it and look at every file again for damage."""
        self.status.look_again()
        self.reload()

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def reload(self) -> None:
        self._read_and_show()

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def _fill(self) -> None:
        """The rest of the dashboard, right after the first frame: read, as that was, without the
        collector (it would walk the growing heap again and again), frozen once read."""
        collecting = gc.isenabled()
        gc.disable()
        self.store.bytes_later = True
        try:
            self._read_and_show(filling=True)
        finally:
            self.store.bytes_later = False
            gc.freeze()
            if collecting:
                gc.enable()

    def _read_and_show(self, *, filling: bool = False) -> None:
        now = clock.now()
        try:
            data = self.load(now)
        except Exception as error:  # noqa: BLE001 - a store fault or a bug in a query: said, the old data stays
            self.call_from_thread(self._not_read, error, filling)
            return
        self.call_from_thread(self.show, data)

    def _not_read(self, error: Exception, filling: bool) -> None:
        """A read failed; the data on screen stays. If it was the rest after the first frame, typed
        keys stop waiting for it (the next reload tries again)."""
        if isinstance(error, StoreError):
            self.status.unreadable(error)
        else:
            self.report_error(error)
        if filling and self.data is not None and not self.data.complete:
            self.desk.unread = True
            for panel in self.deck.panels:
                panel.draw(self.data)
            self._start_watching()

    def _start_watching(self) -> None:
        """Only once the whole dashboard is on screen: the watcher's imports (watchfiles, anyio)
        would take the interpreter lock from the first frame and the read after it."""
        if not self._watching:
            self._watching = True
            self.call_after_refresh(self.watcher.start)

    def load(self, now: datetime) -> Dashboard:
        return dashboard(
            self.store,
            now,
            calendar=self.settings.deadlines,
            fee_rules=self.settings.fees,
            duty_rules=self.settings.duty,
        )

    def show(self, data: Dashboard) -> None:
        if data.generation < self._seen_generation:  # begun before a newer one was shown
            return
        store_changed = data.generation != self._seen_generation
        self.desk.set_data(data)
        self._seen_generation = data.generation
        self._seen_minute = (data.now.hour, data.now.minute)
        self.query_one("#header", DashboardHeader).show(data, self.deck.columns)
        if data.complete:  # not the first frame's part: the look for damaged files waits for the rest
            self.status.shown(data.generation, data.now.date())
            self._start_watching()
        self.deck.show(data, store_changed=store_changed)
        if store_changed:  # an open form says what another desk's write changed
            self.desk.data_changed(data)

    def action_refresh(self) -> None:
        self.reload()

    # -- panels ------------------------------------------------------------------------

    def action_focus_panel(self, name: str) -> None:
        self.deck.active = name

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Lite: a field's cursor does not blink (each blink repaints it). Here, where focus bubbles
        up from every screen, so the palette's own field is covered too."""
        if self.settings.lite and hasattr(event.widget, "cursor_blink"):
            event.widget.cursor_blink = False

    def action_zoom(self) -> None:
        self.deck.zoom()

    @on(Saved)
    @guarded
    def _saved(self) -> None:
        self.desk.wrote()  # keys typed next wait for the reload's data
        self.reload()
