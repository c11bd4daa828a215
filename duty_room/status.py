"""The status line: everything said to the officer (no toast over the panels), and where a fault goes:
a refusal, a store fault or a bug is one line and the dashboard runs on; a damaged file stays named."""

from __future__ import annotations

import gc
import logging
from datetime import date
from functools import partial
from typing import Any

from textual.app import App
from textual.notifications import SeverityLevel
from textual.screen import Screen

from store.refusal import Refused
from store.storage import StoreError
from widgets.status_line import StatusLine

from .desk import Desk
from .exits import exit_code_for

# What a lasting fault in the status line means, by its banner.
REFUSED = {"store.damaged_banner": "store.damaged_refused", "store.unreadable_banner": "store.unreadable_refused"}
log = logging.getLogger("duty_room")


class Status:
    """What the app says, in the status line of every screen that has one, and the faults it reports there."""

    def __init__(self, app: App[Any], desk: Desk) -> None:
        self.app = app
        self.desk = desk
        self.said: list[str] = []  # everything said in the status line, in order
        self.handled_errors: list[BaseException] = []  # bugs caught while running (logged, shown)
        self._checked_generation = -1  # the generation the last look for damaged files was of
        self._looked = False
        self._problems_shown = ""
        self.banner = ""  # the lasting fault pinned on every status line (a damaged file), or ""
        self._said_on: tuple[str, Screen[Any]] | None = None  # the last refusal said over the dashboard, and where
        self._damage_said: tuple[str, str] | None = None  # a refusal that named a damaged file, and the file
        self.fatal_error: str | None = None  # why the dashboard could not open: printed once the terminal is back

    def say(self, text: str, severity: SeverityLevel) -> None:
        """The dashboard's status line, and that of a list or detail covering it, where the officer is looking."""
        self.said.append(text)
        # A refusal (a warning, an error) stays until something newer is said; it is about where it
        # was said: it goes when the officer leaves that screen, closing it or opening another view
        # over it (``left``), and one on the dashboard when another panel becomes the active one
        # (``panel_left``).
        stack = self.app.screen_stack
        self._said_on = (text, stack[-1]) if severity != "information" and stack else None
        # A refusal that names a damaged file (Desk.refuse) goes once the file reads again (``_show_problems``);
        # over the fault's own line, which names the file too, it shows instead of it for a while, not before it.
        damaged, self.desk.refused_damage = self.desk.refused_damage, ""
        self._damage_said = (text, damaged) if damaged else None
        for screen in self.app.screen_stack:  # none before compose or after the screens are gone
            for line in screen.query("#status"):
                if isinstance(line, StatusLine):
                    line.say(text, severity, alone=bool(damaged) and damaged in self.banner)

    def left(self, screen: Screen[Any]) -> None:
        """``screen`` was closed, or another view opened over it: a refusal said on it was about what
        it showed and no longer shows (the status line goes back to what is pinned there, a damaged
        file's line)."""
        if self._said_on is not None and self._said_on[1] is screen:
            self._unsay(self._said_on[0])

    def panel_left(self) -> None:
        """Another panel is the active one: a refusal said on the dashboard was about the one left."""
        if self._said_on is not None and self._said_on[1] is self.app.screen_stack[0]:
            self._unsay(self._said_on[0])

    def _unsay(self, text: str) -> None:
        """``text`` no longer said on any status line (what is pinned there shows again)."""
        if self._said_on is not None and self._said_on[0] == text:
            self._said_on = None
        for left in self.app.screen_stack:
            for line in left.query("#status").results(StatusLine):
                if line.said == text:
                    line.clear()

    def clear(self) -> None:
        """A form shows a refusal: the status line no longer says an earlier write's 已记录."""
        for screen in self.app.screen_stack:
            for line in screen.query("#status").results(StatusLine):
                line.clear()

    def report_error(self, error: Exception) -> None:
        """An error out of a key's action, a handler or a callback. A refusal or a store fault is said
        like a refused write, so an action reads the store without its own try; a bug must not close
        an officer's dashboard: logged, one line, run on."""
        if isinstance(error, (Refused, StoreError)):
            self.desk.refuse(error)
            return
        log.error("unexpected error", exc_info=error)
        self.handled_errors.append(error)
        self.app.notify(self.desk.t("desk.unexpected").format(type(error).__name__), severity="error")

    # -- damaged store files ----------------------------------------------------------------

    def unreadable(self, error: StoreError) -> None:
        """The store cannot be read. At start the app stops with one line (``fatal_error``, exit 2);
        while it runs the last data stays and the file stays named until the next good load's look
        clears it: quitting would lose half-typed forms."""
        if self.desk.data is None:
            self.fatal_error = f"duty-room: {error.message(self.desk.lang)}"
            self.app.exit(return_code=exit_code_for(error))  # README: Exit codes
            return
        self._checked_generation = -1
        self._show_problems([error], -1, banner="store.unreadable_banner")

    def look_again(self) -> None:
        """A store file changed with no commit: the next data shown looks at every file again."""
        self._checked_generation = -1

    def shown(self, generation: int, day: date) -> None:
        """Data of ``generation`` is shown: once per change of the store, look for damaged files (only
        now: the look would take the interpreter lock from the first frame)."""
        if generation != self._checked_generation:
            self._checked_generation = generation
            self.app.call_after_refresh(self._start_look, generation, day)

    def _start_look(self, generation: int, day: date) -> None:
        look = partial(self._look, generation, day)
        self.app.run_worker(look, thread=True, exclusive=True, group="problems", exit_on_error=False)

    def _look(self, generation: int, day: date) -> None:
        """Is a file the panels do not read damaged too? Validating every table takes seconds: it runs
        beside the dashboard. The first look's reads stay in the cache, so, as the first load's, they
        are read without the collector and frozen (DutyRoomApp.on_mount); later looks re-read only the
        files that changed and freeze nothing (a freeze keeps the cyclic garbage of the moment)."""
        store = self.desk.store
        first = not self._looked
        self._looked = True
        collecting = gc.isenabled()
        if first:
            gc.disable()
        try:
            if first:
                store.make_bytes()  # of what the first load read (see DutyRoomApp.on_mount)
            problems = store.problems(day)
        except Exception as error:  # noqa: BLE001 - a bug in the check: reported, the dashboard goes on
            self.app.call_from_thread(self.report_error, error)
            return
        finally:
            if first:
                gc.freeze()
                if collecting:
                    gc.enable()
        self.app.call_from_thread(self._show_problems, problems, generation)

    def _show_problems(
        self, problems: list[StoreError], generation: int, *, banner: str = "store.damaged_banner"
    ) -> None:
        """A damaged or unreadable store file stays named until it is sound again."""
        if generation != self._checked_generation:  # the store has changed since: a newer look is coming
            return
        t = self.desk.t
        said = [self.desk.store_words(problem).rstrip("。.") for problem in problems[:2]]
        words = t("punct.semi").join(said)
        if self._damage_said is not None:  # a refusal named a damaged file: once it reads again, the refusal goes
            text, damaged = self._damage_said
            if not any(damaged in self.desk.store_words(problem) for problem in problems):
                self._damage_said = None
                self._unsay(text)
            else:  # the fault's own line names it too: the refusal shows instead of it, for a while
                for screen in self.app.screen_stack:
                    for line in screen.query("#status").results(StatusLine):
                        line.alone(text)
        if words == self._problems_shown:
            return
        self._problems_shown = words
        more = t("check.more").format(len(problems) - 2) if len(problems) > 2 else ""
        # The file and what is wrong first, what to do last: short of room, the line leaves out the
        # clauses between.
        semi = t("punct.semi")
        cause, _, todo = words.rpartition(semi) if semi in words else (words, "", "")
        banner = (
            semi.join([t(banner).format(cause), t(REFUSED[banner])] + ([todo] if todo else [])) + more if words else ""
        )
        if banner:
            self.said.append(banner)
        # On every screen's line: a list or a detail over the dashboard shows the same stale data.
        self.banner = banner
        for screen in self.app.screen_stack:
            for line in screen.query("#status").results(StatusLine):
                line.pin(banner)

    def line_mounted(self, line: StatusLine) -> None:
        """A list or a detail opened while a fault lasts: its line says the fault too."""
        line.joiner = self.desk.t("punct.stop")  # the dashboard's: a list's or a detail's said "… . …" in Chinese
        if self.banner and line.pinned != self.banner:
            line.pin(self.banner)
