"""The duty-room dashboard: four live panels over one store.

Wiring only. Each panel (duty_room/panels/) owns its keys, rows, details and forms; every write
goes through ``Desk.submit`` (duty_room/desk.py). This module composes the panels, the header
and the Footer, follows the store (a ~200-byte manifest poll; a changed generation or a new
minute reloads in a worker thread) and hands the data to the panels, which redraw only what
changed.
"""

from __future__ import annotations

import gc
import locale
import logging
import os
import sys
import threading
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import cast

from platformdirs import user_downloads_path
from rich.align import Align
from rich.terminal_theme import TerminalTheme
from rich.text import Text
from textual import events, on, work
from textual._ansi_theme import ALABASTER, MONOKAI
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.command import CommandList, CommandPalette
from textual.containers import Container, Horizontal
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Static
from textual.widgets.option_list import Option
from textual.worker import Worker, get_current_worker

from duty_room import words
from store import clock
from store.errors import environment_error
from store.queries import Dashboard, dashboard
from store.refusal import Refused
from store.storage import MANIFEST, Store, StoreError
from widgets.choice_modal import ChoiceModal
from widgets.detail import DetailScreen
from widgets.form import FormScreen
from widgets.help_key import HelpPageWords, PagedHelpPanel, toggle_help
from widgets.screen_footer import CompactFooter
from widgets.status_line import StatusLine
from widgets.table_screen import TableScreen

from .config import Settings
from .desk import Desk, Saved, guarded
from .exports import ExportRefused, export_target, publish
from .localize import localize_bindings
from .panels import PANEL_TYPES, DeskPanel
from .textual_words import PALETTE_NO_MATCHES, PALETTE_PLACEHOLDER, QUIT_HINT, palette_words
from .typeahead import TypeAhead, read_escape_then_key_as_two_keys

# What a lasting fault in the status line means, by its banner.
REFUSED = {"store.damaged_banner": "store.damaged_refused", "store.unreadable_banner": "store.unreadable_refused"}
NARROW_BELOW = 100  # columns: under this, one panel at a time with one-line summaries of the others
log = logging.getLogger("duty_room")


def as_plain(text: str) -> str:
    """``text`` for a place that reads markup (the palette), shown exactly as it is."""
    return text.replace("[", "\\[")


def _with_colours(theme: TerminalTheme, **colours: tuple[int, int, int]) -> TerminalTheme:
    """``theme`` with some of its 16 colours replaced, by index name (``blue``, ``bright_yellow``)."""
    names = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]
    names += [f"bright_{name}" for name in names]
    palette: list[tuple[int, int, int]] = [theme.ansi_colors[index] for index in range(16)]
    for name, colour in colours.items():
        palette[names.index(name)] = colour
    return TerminalTheme(theme.background_color, theme.foreground_color, palette[:8], palette[8:])


# The wall map's key (独居 red, 残疾 yellow, 行动不便 blue, 孤寡 green) painted in those colours. Textual
# paints the terminal's named colours from its own palettes, where blue is purple (157,101,255) and,
# dark, yellow orange (253,151,31): blue is a blue here (only the key uses it), and the key's yellow,
# bright_yellow (used nowhere else), a yellow in either theme. Lite uses the terminal's own colours.
WALL_MAP_DARK = _with_colours(MONOKAI, blue=(59, 142, 234), bright_blue=(59, 142, 234))
WALL_MAP_LIGHT = _with_colours(ALABASTER, bright_yellow=(184, 150, 0))


class Palette(CommandPalette):
    """Textual's command palette, its words in the interface language: the search prompt, and the
    line that says a search matched nothing (Textual's own ``No matches found`` in either language)."""

    def __init__(self, placeholder: str, no_matches: str) -> None:
        super().__init__(placeholder=placeholder, id="--command-palette")
        self.no_matches = no_matches

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Textual's own (textual/command.py, 8.x), with our words: it adds the line after a short wait.
        # Private, but Textual (8.2.8, its newest) has no public way to give the line other words:
        # tests/test_textual_private.py fails if Textual changes this method or stops calling it.
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                line = Align.center(Text(self.no_matches, style="not bold"))
                self.query_one(CommandList).add_option(Option(line, disabled=True, id=self._NO_MATCHES))
                self._list_visible = True
            else:  # discovering (nothing typed): no commands to offer is not said
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)


def terminal_speaks_utf8() -> bool:
    """Box-drawing characters need a UTF-8 terminal; under another locale, draw with ASCII."""
    encoding = (getattr(sys.stdout, "encoding", None) or locale.getpreferredencoding(False) or "").lower()
    return "utf" in encoding.replace("-", "")


class DutyRoomApp(App[None]):
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = True
    # Zoomed (z), the status line stays under the panel: what a key did, a refusal, a failed export.
    ALLOW_IN_MAXIMIZED_VIEW = "Footer, StatusLine"

    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark", "help", "Help", id="app.help"),
        # F1 is the help key in a form (`?` is typed there), so here too: in help beside `?` ("? f1 帮助");
        # the Footer keeps its room for the panel's keys (forms, details and lists show f1 in theirs).
        Binding("f1", "help", "Help", show=False, id="app.help_f1"),
        # `?` pages a long help; Esc closes it at once, whichever page it shows.
        Binding("escape", "close_help", "Close help", show=False, id="app.close_help"),
        Binding("tab", "next_panel", "Next panel", show=False, id="panel.next"),
        Binding("shift+tab", "previous_panel", "Previous panel", show=False, id="panel.previous"),
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

    active: reactive[str] = reactive(PANEL_TYPES[0].NAME, init=False)
    ansi_theme_dark = reactive(WALL_MAP_DARK, init=False)
    ansi_theme_light = reactive(WALL_MAP_LIGHT, init=False)

    def __init__(self, store: Store, settings: Settings | None = None) -> None:
        settings = settings or Settings(store=store.root)
        localize_bindings(settings.lang)  # before any widget or screen copies its bindings
        # Lite: the terminal's own 16 colours (and far fewer bytes per cell), see also cli.py.
        super().__init__(ansi_color=True if settings.lite else None)
        self.store = store
        self.settings = settings
        self.ascii = settings.ascii if settings.ascii is not None else not terminal_speaks_utf8()
        self.lang = settings.lang
        self.desk = Desk(self, store, settings, ascii_only=self.ascii)
        self.present = self.desk.present
        self._seen_generation = -1
        self._seen_minute: tuple[int, int] | None = None
        self.fatal_error: str | None = None  # printed plainly after the terminal is restored
        self._width = 0
        self._shown: dict[str, Text] = {}
        self.status_messages: list[str] = []  # everything said in the status line, in order
        self.handled_errors: list[BaseException] = []  # bugs caught while running (logged, shown)
        read_escape_then_key_as_two_keys()  # Esc then a key in one read: two keys, as typed
        self.typeahead = TypeAhead(
            self,
            self._dispatch_typed,
            self._coming,
            lambda n: self.notify(self.desk.t("keys.dropped").format(n), severity="warning"),
        )
        self._reload_after_write = False
        self._written_generation = -1  # the store's generation after this desk's last write
        self._stop_watching = threading.Event()
        self._problems: list[StoreError] = []  # damaged files found at start or on a reload
        self._checked_generation = -1
        self._looked = False  # the first look for damaged files has begun (look_for_problems)
        self._problems_shown = ""
        if settings.keymap:
            self.set_keymap(settings.keymap)
        self.title = words.t("app.title", self.lang)

    @property
    def data(self) -> Dashboard | None:
        return self.desk.data

    # -- layout -------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="header"):
            yield Static("", id="head-title", markup=False)
            yield Static("", id="clock", markup=False)
            yield Static("", id="headline", markup=False)
        # Born with the classes of this width and of the active panel: set after mounting, each
        # restyled all five panels' widgets once more before the first frame (at 80x24, ~30 ms).
        self._width = self.size.width
        with Container(id="panels", classes="narrow" if self._narrow(self._width) else ""):
            for panel_type in PANEL_TYPES:
                panel = panel_type(self.desk)
                panel.set_class(panel.NAME == self.active, "-active")
                yield panel
        yield StatusLine(joiner=self.desk.t("punct.stop"), id="status")
        # Compact at every width: the active panel's keys fit 80 columns, and keys born compact
        # cost no style pass each time the Footer is rebuilt (widgets/screen_footer.py).
        yield CompactFooter()

    def on_mount(self) -> None:
        if self.settings.lite:
            self.theme = "ansi-dark"
        self.screen.set_class(self.ascii, "ascii")
        self.screen.set_class(self.settings.lite, "lite")
        self.watch_active(self.active)
        self._fit_to_width(self.size.width)
        # The first load is done before the first frame: painting empty panels and then painting
        # them again with data would cost a whole extra screen of bytes on a slow link.
        try:
            self.store.bytes_later = True  # the per-record cache's keys: made once the frame is on screen
            try:
                data = self.load(clock.now())
            finally:
                self.store.bytes_later = False
            self.show(data)
        except StoreError as exc:
            self.fail(exc)
            return
        # What the first load read (a township's 40,000 households, its visits...) lives as long as
        # the dashboard. Left to the cyclic garbage collector, every full collection walks all of it,
        # holding the interpreter lock: 100-400 ms in which no key, timer or repaint runs, whichever
        # thread (a list's worker, a reload) set it off. Frozen, collections skip it; what it frees
        # later (a record replaced in the cache) is freed by its reference count as before, and
        # on_unmount gives it all back to the collector. The command runs without the collector until
        # here (duty_room/cli.py: main): it is turned on, for everything made from now on.
        gc.freeze()
        gc.enable()
        self.set_interval(self.settings.refresh_seconds, self.poll)
        # After the first frame: the watcher's thread imports watchfiles (and anyio, multiprocessing)
        # and would take the interpreter lock from the first frame's layout and paint.
        self.call_after_refresh(self.watch_store)

    def on_unmount(self) -> None:
        self._stop_watching.set()
        # Back to the collector: in a process that goes on (the tests run many dashboards), what was
        # frozen, garbage of the dashboard included, can be collected again.
        gc.unfreeze()

    @work(thread=True, exclusive=True, group="watch", exit_on_error=False)
    def watch_store(self) -> None:
        """Wake at once when another desk commits: the manifest is replaced last (inotify).

        Bursts are coalesced (a change, then 20 ms of quiet); the interval poll stays as the
        fallback where inotify is not available (some network or container filesystems). A store
        file changed with no commit (edited or damaged by hand: the manifest stays as it was) is
        read again at once too (``recheck``): the status line names it if it is damaged, where it
        was said only at the next commit or Ctrl+R.
        """
        worker = get_current_worker()
        watching = False

        class Stop:  # watchfiles asks this between waits: the app is closing, or the worker cancelled
            @staticmethod
            def is_set() -> bool:
                return worker.is_cancelled or self._stop_watching.is_set()

        try:
            from watchfiles import watch

            for changes in watch(
                self.store.root,
                watch_filter=lambda _change, path: self.store.watched_name(path) is not None,
                recursive=True,
                debounce=200,
                step=20,
                stop_event=Stop(),
                raise_interrupt=False,
                rust_timeout=200,
                yield_on_timeout=True,
            ):
                if Stop.is_set():
                    return
                if not watching or any(self.store.watched_name(path) == MANIFEST for _, path in changes):
                    self.call_from_thread(self.poll)  # a commit; the first time: what changed before the watch began
                elif changes:  # only files the manifest did not follow: a hand's doing (or a commit's first half)
                    self.call_from_thread(self.recheck)
                watching = True
        except Exception as error:  # noqa: BLE001 - no inotify here: the poll carries on alone
            log.warning("store watch unavailable (%s); polling every %.1f s", error, self.settings.refresh_seconds)

    def on_resize(self, event: events.Resize) -> None:
        self._fit_to_width(event.size.width)

    def _fit_to_width(self, width: int) -> None:
        if width == self._width:  # the Resize that follows mount: the first frame is already laid out
            return
        self._width = width  # during a Resize event self.size still holds the old size
        self.query_one("#panels").set_class(self._narrow(width), "narrow")
        if self.data is not None:
            self.show(self.data)

    def _narrow(self, width: int) -> bool:
        # Lite shows one panel at a time at any width: less to repaint, fewer bytes.
        return width < NARROW_BELOW or self.settings.lite

    @property
    def panels(self) -> list[DeskPanel]:
        return list(self.query(DeskPanel))

    def panel(self, name: str) -> DeskPanel:
        return self.query_one(f"#{name}", DeskPanel)

    @property
    def active_panel(self) -> DeskPanel:
        return self.panel(self.active)

    # -- live data -------------------------------------------------------------------

    def poll(self) -> None:
        """Cheap check: has the store changed, or has the minute turned (ages, due times, clock)?"""
        now = clock.now()
        minute = (now.hour, now.minute)
        try:
            generation = self.store.generation()
        except StoreError as exc:
            self.fail(exc)
            return
        if generation != self._seen_generation or minute != self._seen_minute:
            self.reload()

    def recheck(self) -> None:
        """A store file changed with no commit: read it again now and look at every file again
        (one the panels do not read too), as after a damage found by a reload: a damaged file is
        named in the status line, the last good data stays, and a sound one clears the line."""
        self._checked_generation = -1
        self.reload()

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def reload(self) -> None:
        now = clock.now()
        try:
            data = self.load(now)
        except StoreError as exc:
            self.call_from_thread(self.fail, exc)
            return
        except Exception as error:  # noqa: BLE001 - a bug in a query: reported, the old data stays
            self.call_from_thread(self.report_error, error)
            return
        self.call_from_thread(self.show, data)

    def load(self, now: datetime) -> Dashboard:
        return dashboard(
            self.store,
            now,
            calendar=self.settings.deadlines,
            fee_rules=self.settings.fees,
            duty_rules=self.settings.duty,
        )

    @work(thread=True, exclusive=True, group="problems", exit_on_error=False)
    def look_for_problems(self, generation: int, day: date) -> None:
        """Is a file the panels do not read damaged too? Validating every table (40,000 households
        on a township) takes seconds, so it runs beside the dashboard, never before its first frame.

        The first look (at start) reads every table: what it reads stays in the store's cache as
        long as the dashboard runs, like the first load, so it is frozen too (see on_mount). Else
        every full collection afterwards walked the 40,000 validated households, 100-300 ms with the
        interpreter lock held, whenever a list's worker or a reload set one off; and it runs without
        the collector, which would walk the growing heap again and again meanwhile. Later looks
        (after a change) re-read only the files that changed, and freeze nothing: a freeze keeps
        whatever cyclic garbage exists then (a list closed a moment ago) until the app closes.
        """
        first = not self._looked
        self._looked = True
        collecting = gc.isenabled()
        if first:
            gc.disable()
        try:
            if first:
                self.store.make_bytes()  # of what the first load read (see on_mount)
            problems = self.store.problems(day)
        except Exception as error:  # noqa: BLE001 - a bug in the check: reported, the dashboard goes on
            self.call_from_thread(self.report_error, error)
            return
        finally:
            if first:
                gc.freeze()
                if collecting:
                    gc.enable()
        self.call_from_thread(self._show_problems, problems, generation)

    def fail(self, error: StoreError) -> None:
        """The store cannot be read (a damaged file, a permission, a missing folder).

        At start there is nothing to show: the app stops with one line naming the file, in the
        interface's language (exit 2). While running, the last data read stays on screen and the
        status line names the file until it is sound again (the store refuses every write that
        needs it): quitting would take every officer's dashboard down, half-typed forms with it.
        """
        if self.data is None:
            self.fatal_error = f"duty-room: {error.message(self.lang)}"
            self.exit(return_code=2)
            return
        self._checked_generation = -1  # the next good load looks at every file again, clearing the line
        self._show_problems([error], -1, banner="store.unreadable_banner")

    def show(self, data: Dashboard) -> None:
        if data.generation < self._seen_generation:  # a reload begun before a newer one was shown
            return
        p = self.present
        store_changed = data.generation != self._seen_generation
        self.desk.data = data
        self._seen_generation = data.generation
        self._seen_minute = (data.now.hour, data.now.minute)
        h = data.headline
        title, counts = p.header(
            h, self.store.actor, data.now, width=self._width, duty=data.duty, read_only=self.settings.read_only
        )
        self._update_if_changed("#head-title", title, layout=True)  # its width changes once a day, or with the counts
        self._update_if_changed("#clock", p.header_clock(data.now))
        self._update_if_changed("#headline", counts)
        if data.generation >= self._written_generation:  # not a reload begun before the write
            self._reload_after_write = False
        if data.generation != self._checked_generation:  # once per change of the store
            self._checked_generation = data.generation
            # Once the screen shows this data: the look validates every table in a thread, which
            # would take the interpreter lock from the first frame's layout and paint.
            self.call_after_refresh(self.look_for_problems, data.generation, data.now.date())
        narrow = self._narrow(self._width)
        for panel in self.panels:  # a narrow screen shows the others as their summary lines: no rows made
            panel.rows_shown = not narrow or panel.NAME == self.active
        for panel in self.panels:
            panel.render_data(data)
        if store_changed:  # another desk's write shows in an open list too, and an open form says it
            for panel in self.panels:
                panel.refill_lists()
            self.desk.data_changed(data)

    def _show_problems(
        self, problems: list[StoreError], generation: int, *, banner: str = "store.damaged_banner"
    ) -> None:
        """A damaged or unreadable store file stays named in the status line until it is sound again
        (the store refuses every write that needs it; everything else goes on)."""
        if generation != self._checked_generation:  # the store has changed since: a newer look is coming
            return
        self._problems = problems
        # Files named from the store's folder (petitions/2026-11-27.json): a whole path left no room
        # in the line for what is wrong with the file.
        inside = f"{self.desk.store.root}{os.sep}"
        said = [problem.message(self.lang).replace(inside, "").rstrip("。.") for problem in self._problems[:2]]
        words = self.desk.t("punct.semi").join(said)
        if words == self._problems_shown:
            return
        self._problems_shown = words
        more = self.desk.t("check.more").format(len(self._problems) - 2) if len(self._problems) > 2 else ""
        # Which file and what is wrong with it first, what that means next, what to do last (请从备份恢复):
        # the status line, short of room, leaves out the clauses between the first and the last. With
        # what it means first, an 80- or 120-column line lost the file's name.
        semi = self.desk.t("punct.semi")
        cause, _, todo = words.rpartition(semi) if semi in words else (words, "", "")
        banner = (
            semi.join([self.desk.t(banner).format(cause), self.desk.t(REFUSED[banner])] + ([todo] if todo else []))
            + more
            if words
            else ""
        )
        if banner:
            self.status_messages.append(banner)
        self.query_one("#status", StatusLine).pin(banner)

    def _update_if_changed(self, selector: str, text: Text, *, layout: bool = False) -> None:
        """An unchanged line costs no bytes on the wire: only touch what differs.

        Without ``layout`` the new text is drawn in place: a layout pass would also repaint
        every table's scrollbars (kilobytes a minute for a clock tick).
        """
        if self._shown.get(selector) != text:
            self.query_one(selector, Static).update(text, layout=layout)
            self._shown[selector] = text

    def action_refresh(self) -> None:
        self.reload()

    # -- panels ------------------------------------------------------------------------

    def watch_active(self, name: str) -> None:
        narrow = self._narrow(self._width)
        for panel in self.panels:
            panel.set_class(panel.NAME == name, "-active")
            panel.rows_shown = not narrow or panel.NAME == name
        panel = self.panel(name)
        panel.rows_now()  # its rows, if made later while it showed only its summary line
        if self.screen.maximized is not None:
            self.screen.maximize(panel.table)
        # Focus now, not after the next refresh: keys typed right after "2" must reach panel 2.
        panel.table.screen.set_focus(panel.table)
        self.refresh_bindings()

    def action_focus_panel(self, name: str) -> None:
        self.active = name

    def _step_panel(self, step: int) -> None:
        names = [panel.NAME for panel in PANEL_TYPES]
        self.active = names[(names.index(self.active) + step) % len(names)]

    def action_next_panel(self) -> None:
        self._step_panel(1)

    def action_previous_panel(self) -> None:
        self._step_panel(-1)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """A click (or anything else) that focuses a panel's table makes it the active panel.

        Lite: a field's cursor does not blink. Each blink repaints the field: with a form or the
        filter open, 250-330 bytes a second while nothing else changes. Done here, where focus
        bubbles up from every screen, so Textual's own fields (the palette's) are covered too.
        """
        if self.settings.lite and hasattr(event.widget, "cursor_blink"):  # an Input, a TextArea...
            event.widget.cursor_blink = False  # the cursor stays shown, steady
        for panel in self.panels:
            if event.widget is panel.table:
                self.active = panel.NAME

    def action_zoom(self) -> None:
        if self.screen.maximized is not None:
            self.screen.minimize()
        else:
            self.screen.maximize(self.active_panel.table)

    def action_help(self) -> None:
        toggle_help(self.screen)  # shown: its next page, hidden after the last

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "close_help":  # Esc means nothing else on the dashboard: only while help shows
            return bool(self.screen.query("HelpPanel"))
        return True

    def action_close_help(self) -> None:
        self.action_hide_help_panel()

    def action_show_help_panel(self) -> None:
        """Textual's keys panel with a last line, when it is more than a page, that says so (widgets/help_key.py)."""
        if not self.screen.query("HelpPanel"):
            t = self.present.t
            self.screen.mount(PagedHelpPanel(HelpPageWords(t("help.page"), t("help.next"), t("help.close"))))

    def deliver_screenshot(
        self, filename: str | None = None, path: str | None = None, time_format: str | None = None
    ) -> str | None:
        """The palette's 截图, said in the interface's words: Textual's own said 'Screenshot: Failed to
        save screenshot' in English (its downloads folder, ~/Downloads, missing) or its path in markup.
        Saved in the downloads folder if there is one, else the home folder; run as the service
        account (an officer through sudo), in the export folder, readable by its group
        (duty_room/exports.py; by the officer alone when they may reveal): the service account's home
        is its own."""
        t = self.desk.t
        exports = self.settings.export_folder
        if exports is not None:
            try:
                folder = export_target(self.settings, path) if path else exports
            except ExportRefused as refused:
                self.notify(str(refused), severity="error")
                return None
        else:
            folder = Path(path) if path else user_downloads_path()
            if not folder.is_dir():
                folder = Path.home()
        try:
            saved = self.save_screenshot(filename, str(folder), time_format)
            # One who may reveal may have personal data on screen: theirs alone (exports.publish).
            publish(self.settings, Path(saved), personal=self.settings.may_reveal())
        except ExportRefused as refused:
            self.notify(str(refused), severity="error")
            return None
        except OSError as exc:
            why = environment_error(exc).why(self.lang)
            self.notify(t("screenshot.failed").format(why=why, path=folder), severity="error")
            return None
        self.notify(t("screenshot.saved").format(saved))
        return saved

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The active panel's keys, named for its selected row, and the dashboard's own, while the
        dashboard is what the officer looks at. Over a form, a list or a detail they acted on the
        panel's row hidden beneath (a step for the dashboard's case from a list of other cases)."""
        t = self.desk.t
        if screen is self.screen_stack[0]:
            for command in self.active_panel.commands():
                # The palette reads titles and help as markup: a case's title or a stall's goods with
                # "[/b]" in it failed the palette (MarkupError), "[red]" coloured it, "[a]" vanished.
                yield command._replace(title=as_plain(command.title), help=as_plain(command.help))
            for panel_type in PANEL_TYPES:
                yield SystemCommand(
                    t("cmd.focus").format(t(f"panel.{panel_type.NAME}")),
                    "",
                    lambda name=panel_type.NAME: self.action_focus_panel(name),
                )
            yield SystemCommand(t("cmd.zoom"), "", self.action_zoom)
        yield SystemCommand(t("cmd.refresh"), "", self.action_refresh)
        for command in super().get_system_commands(screen):  # Textual's own, in our words
            words = palette_words(command.title, self.lang)
            if words is not None:
                yield SystemCommand(words[0], words[1], command.callback, command.discover)

    def action_command_palette(self) -> None:
        """Textual's palette, its search prompt in our words."""
        if self.use_command_palette and not CommandPalette.is_open(cast("App[object]", self)):
            said = 0 if self.lang == "zh" else 1
            self.push_screen(Palette(PALETTE_PLACEHOLDER[said], PALETTE_NO_MATCHES[said]))

    def action_help_quit(self) -> None:
        """Ctrl+C does not quit (it copies in an input): say which key does, in our words."""
        keys = [key for key, active in self.active_bindings.items() if active.binding.action in ("quit", "app.quit")]
        if keys:  # our own q before Textual's ctrl+q
            key = min(keys, key=len)
            self.notify(QUIT_HINT[0 if self.lang == "zh" else 1].format(key=key))

    # -- the status line, instead of toasts ----------------------------------------------

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Everything said to the officer goes to the status line (no toast over the panels): the
        dashboard's, and that of a list or detail covering it, where the officer is looking."""
        text = f"{title}: {message}" if title else message
        self.status_messages.append(text)
        for screen in self.screen_stack:  # none before compose or after the screens are gone
            for line in screen.query("#status"):
                if isinstance(line, StatusLine):
                    line.say(text, severity)

    def report_error(self, error: Exception) -> None:
        """An error out of a key's action, a handler or a callback. A refusal or a store fault (a
        damaged file, a full disk, a lock held too long) is said in the status line like a refused
        write, so an action reads the store without its own try. Anything else is a bug, which must
        not close the dashboard of an officer on duty: log it, say one line, run on."""
        if isinstance(error, (Refused, StoreError)):
            self.desk.refuse(error)
            return
        log.error("unexpected error", exc_info=error)
        self.handled_errors.append(error)
        self.notify(self.desk.t("desk.unexpected").format(type(error).__name__), severity="error")

    async def run_action(self, action, default_namespace=None, namespaces=None) -> bool:
        """Every key's action (and the palette's) runs here: a bug in one is reported, not fatal.

        An exception that reached Textual's message loop would stop that widget's loop for good.
        """
        try:
            return await super().run_action(action, default_namespace, namespaces)
        except Exception as error:  # noqa: BLE001 - the one place that keeps the app alive
            if self.data is None:
                raise
            self.report_error(error)
            return True

    def _handle_exception(self, error: Exception) -> None:
        """Callbacks (call_later, timers) that fail: reported once the dashboard is up; before, exit."""
        if self.data is None:
            super()._handle_exception(error)
        else:
            self.report_error(error)

    # -- keys typed ahead: a burst acts exactly as the same keys typed slowly (typeahead.py) --

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded and self.data is not None:
            await self.typeahead.take(event)
        else:
            await super().on_event(event)

    async def _dispatch_typed(self, event: events.Event) -> None:
        await super().on_event(event)

    def _coming(self) -> bool:
        """Something a typed key may act on is still coming: a list's first rows, a write, the reload after it."""
        screen = self.screen
        return (isinstance(screen, TableScreen) and not screen.shown) or self.desk.busy or self._reload_after_write

    @property
    def typing_settled(self) -> bool:
        """No typed key is held and what the last one set off is handled (tests wait for this)."""
        return self.typeahead.settled

    # -- what comes back from screens and workers: to the desk or the panel that opened them --

    @on(FormScreen.Submitted)
    @guarded
    def _form_submitted(self, event: FormScreen.Submitted) -> None:
        self.desk.form_submitted(event.form, event.values)

    @on(ChoiceModal.Confirmed)
    @guarded
    def _choice_confirmed(self, event: ChoiceModal.Confirmed) -> None:
        self.desk.choice_confirmed(event.modal, event.answer)

    @on(FormScreen.Marked)
    @on(ChoiceModal.Marked)
    def _form_refused(self) -> None:
        # A form shows a refusal: the status line beneath no longer says an earlier write's 已记录
        # (a damaged file's pinned line stays).
        for screen in self.screen_stack:
            for line in screen.query("#status").results(StatusLine):
                line.clear()

    @on(Saved)
    @guarded
    def _saved(self) -> None:
        # Keys typed next wait for data with the write on screen: a reload begun before the write
        # can still finish after it, and its rows are the old ones.
        self._reload_after_write = True
        try:
            self._written_generation = self.store.generation()
        except StoreError:
            self._written_generation = -1  # the reload will say what is wrong; any data releases the keys
        self.reload()

    @on(Worker.StateChanged)
    @guarded
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        self.desk.worker_changed(event.worker, event.state)

    def _owner(self, screen: Screen) -> DeskPanel | None:
        return next((panel for panel in self.panels if screen in panel.lists), None)

    @on(TableScreen.ActionRequested)
    @guarded
    def _list_action(self, event: TableScreen.ActionRequested) -> None:
        owner = self._owner(event.screen)
        if owner is not None:
            owner.list_action(event.screen, event.action, event.row_key)

    @on(DetailScreen.RevealRequested)
    @guarded
    def _reveal(self, event: DetailScreen.RevealRequested) -> None:
        name = event.subject.partition(":")[0]
        owner = next((panel for panel in self.panels if panel.NAME == name), None)
        if owner is not None:
            owner.reveal_detail(event.screen, event.subject)


def run(store: Store, settings: Settings) -> int:
    app = DutyRoomApp(store, settings)
    app.run()
    if app.fatal_error:
        print(app.fatal_error, file=sys.stderr)
    return app.return_code or 0
