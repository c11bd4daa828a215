"""The store watcher: the dashboard wakes at once when another desk commits (inotify, ``watchfiles``);
the app's poll stays as the fallback where inotify is not available."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.worker import get_current_worker

from store.storage import MANIFEST, Store

log = logging.getLogger("duty_room")


class StoreWatcher:
    """Follows the store's files in a thread worker: a commit calls ``committed``, a file changed with
    no commit (by hand: the manifest stays) ``touched``, both on the app's thread."""

    def __init__(
        self,
        app: App[Any],
        store: Store,
        *,
        committed: Callable[[], None],
        touched: Callable[[], None],
        poll_seconds: float,
    ) -> None:
        self.app = app
        self.store = store
        self.committed = committed
        self.touched = touched
        self.poll_seconds = poll_seconds
        self._stop = threading.Event()

    def start(self) -> None:
        self.app.run_worker(self.watch, thread=True, exclusive=True, group="watch", exit_on_error=False)

    def stop(self) -> None:
        """The app is closing: the watch ends at its next wait."""
        self._stop.set()

    def watch(self) -> None:
        """Wake at once when another desk commits (the manifest is replaced last); bursts are coalesced.
        A file changed with no commit is read again at once too, so a damage is named without waiting."""
        worker = get_current_worker()
        watching = False
        stop = self._stop
        store = self.store

        class Stop:  # watchfiles asks this between waits: the app is closing, or the worker cancelled
            @staticmethod
            def is_set() -> bool:
                return worker.is_cancelled or stop.is_set()

        try:
            from watchfiles import watch

            for changes in watch(
                store.root,
                watch_filter=lambda _change, path: store.watched_name(path) is not None,
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
                if not watching or any(store.watched_name(path) == MANIFEST for _, path in changes):
                    self.app.call_from_thread(self.committed)  # the first time: what changed before the watch began
                elif changes:  # only files the manifest did not follow: a hand's doing (or a commit's first half)
                    self.app.call_from_thread(self.touched)
                watching = True
        except Exception as error:  # noqa: BLE001 - no inotify here: the poll carries on alone
            log.warning("store watch unavailable (%s); polling every %.1f s", error, self.poll_seconds)
