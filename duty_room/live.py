"""The dashboard's live data: ``LiveApp``, a base of the app. The first frame's read, the rest right
after it, and the reload loop (``poll`` → ``reload`` → ``load`` → ``show``) when the store changes,
the minute turns or a write of ours was saved."""

from __future__ import annotations

import gc
from datetime import datetime
from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import App

from store import clock
from store.queries import Dashboard, dashboard, first_frame
from store.storage import Store, StoreError

from .config import Settings
from .desk import Desk, Saved, guarded
from .header import DashboardHeader
from .panels.deck import PanelDeck
from .status import Status
from .watcher import StoreWatcher


class LiveApp(App[None]):
    """An app that shows the store's data and keeps it current: read in workers, shown on the loop."""

    desk: Desk
    store: Store
    settings: Settings
    status: Status
    watcher: StoreWatcher

    def __init__(self, **app_options: Any) -> None:
        super().__init__(**app_options)
        self._seen_generation = -1
        self._seen_minute: tuple[int, int] | None = None
        self._watching = False
        # the last read failed (a damaged or missing file): the watcher's next wake-up reads again, even
        # with the generation unchanged (the manifest mended by hand keeps its generation)
        self._read_failed = False
        # the listed files missing when the data on screen was read: one missing since keeps that data
        self._missing_shown: frozenset[Path] = frozenset()

    @property
    def deck(self) -> PanelDeck:
        return self.query_one(PanelDeck)

    def show_first_frame(self) -> None:
        """Read before the first frame (empty panels painted again with data cost a whole screen of
        bytes), only what it must show: the header and panel 1. The rest follows in ``_fill``."""
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
        """The dashboard is ending: no more reads, nothing kept frozen."""
        self.watcher.stop()
        gc.unfreeze()  # in a process that goes on (tests), the dashboard's garbage can be collected

    def poll(self) -> None:
        """Cheap check: has the store changed, or has the minute turned (ages, due times, clock)?"""
        now = clock.now()
        minute = (now.hour, now.minute)
        try:
            generation = self.store.generation()
        except StoreError as exc:
            self._read_failed = True
            self.status.unreadable(exc)
            return
        if generation != self._seen_generation or minute != self._seen_minute:
            self.reload()

    def commit_seen(self) -> None:
        """The watcher saw the manifest replaced: a commit, or the manifest put back by hand. After a
        failed read the store is read again even at the generation on screen; the timer's poll does
        not (every half second, a whole reload of a damaged store, on every desk)."""
        if self._read_failed:
            self.reload()
        else:
            self.poll()

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
            missing = {error.path: error for error in self.store.missing_listed()}
            gone = [error for path, error in missing.items() if path not in self._missing_shown]
            if gone and not filling and self.desk.data is not None:
                # A listed file deleted since the data on screen was read reads as empty: its records
                # would vanish from the panels, as if closed. Kept as a damaged file keeps them; missing
                # at start, the dashboard shows what there is and names it (Status.shown's look).
                raise gone[0]
        except Exception as error:  # noqa: BLE001 - a store fault or a bug in a query: said, the old data stays
            self.call_from_thread(self._not_read, error, filling)
            return
        self._missing_shown = frozenset(missing)
        self.call_from_thread(self.show, data)

    def _not_read(self, error: Exception, filling: bool) -> None:
        """A read failed; the data on screen stays. If it was the rest after the first frame, typed
        keys stop waiting for it (the next reload tries again)."""
        self._read_failed = True
        if isinstance(error, StoreError):
            self.status.unreadable(error)
        else:
            self.status.report_error(error)
        data = self.desk.data
        if filling and data is not None and not data.complete:
            self.desk.unread = True
            for panel in self.deck.panels:
                panel.draw(data)
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
        self._read_failed = False
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

    @on(Saved)
    @guarded
    def _saved(self) -> None:
        self.desk.wrote()  # keys typed next wait for the reload's data
        self.reload()
