"""Textual's Linux terminal driver, made to end like the rest when its terminal goes away (the SSH
link drops). Textual 8.2.8's own left a dashboard alive after its terminal, asleep and deaf to
SIGTERM and SIGHUP (tests/test_stop_signals.py):

- its output thread died of the first write that failed (a hung-up terminal answers EIO, a closed
  pipe EPIPE), and 30 frames later the dashboard's thread waited for room in its queue forever;
- every SIGCONT started its terminal mode again, stopped before or not (the kernel sends SIGCONT with
  the SIGHUP of a dropped link; `kill -CONT` and a shell's `fg` send it too): a second output thread
  and a second reader of the keys beside the first, typed keys shared out between the two;
- its key reader, on a hung-up terminal (every read an empty one at once), spun a core until the
  dashboard ended: with SIGHUP set aside (`trap '' HUP`, a parent that ignores it) no signal came,
  and only the next write that failed ended it (the clock's minute; never, with nothing to draw).
  Textual's own fix is not released (Textualize/textual#6690, open: stop reading, keep running).

A terminal that hangs up, or can no longer be written, ends the dashboard as a dropped link's SIGHUP
does, SIGHUP set aside or not: nobody is left to see it or type to it (``LinkApp``, a base of the app).
"""

from __future__ import annotations

import asyncio
import select
import signal
import threading
from collections.abc import Callable
from typing import IO, Any

from textual.app import App
from textual.driver import Driver
from textual.drivers.linux_driver import LinuxDriver
from textual.message import Message

from . import stop_signals
from .exits import exit_code_for_signal


class _Output:
    """The terminal as Textual's output thread writes to it: once a write fails the rest are dropped
    (nobody is there to read them), so the thread lives on, emptying its queue, and the dashboard
    can still end."""

    def __init__(self, file: IO[str], on_lost: Callable[[], object]) -> None:
        self._file = file
        self._on_lost = on_lost
        self.lost = False

    def write(self, text: str) -> None:
        self._unless_lost(self._file.write, text)

    def flush(self) -> None:
        self._unless_lost(self._file.flush)

    def _unless_lost(self, call: Callable[..., object], *args: str) -> None:
        if not self.lost:
            try:
                call(*args)
            except OSError:
                self.lost = True
                self._on_lost()

    def fileno(self) -> int:
        return self._file.fileno()


class _InputEnds(threading.Event):
    """What Textual's key reader asks before each wait for keys (``while not exit_event.is_set()``):
    set as Textual sets it, or once the terminal has hung up. A hung-up terminal reports POLLHUP to
    a poll that asks for nothing else (one system call a wait, 0.1 s apart when idle), so the reader
    stops instead of spinning on its empty reads, and ``on_hang_up`` is called once."""

    def __init__(self, fileno: int, on_hang_up: Callable[[], object]) -> None:
        super().__init__()
        self._hang_up = select.poll()
        self._hang_up.register(fileno, 0)  # POLLHUP and POLLERR are reported all the same
        self._on_hang_up = on_hang_up
        self.hung_up = False

    def is_set(self) -> bool:
        if super().is_set() or self.hung_up:
            return True
        if self._hang_up.poll(0):
            self.hung_up = True
            self._on_hang_up()
        return self.hung_up


class LinkDriver(LinuxDriver):
    """Textual's Linux driver; its output survives a lost terminal, and only a stop is resumed."""

    class TerminalLost(Message):
        """The terminal has hung up or can no longer be written (posted to the app from the thread
        that found it: the key reader, the output thread, or both)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Textual's names for what its output thread writes to and what its key reader asks before
        # each wait (both pinned in tests/test_textual_private.py).
        if self._file is not None:
            self._file = _Output(self._file, on_lost=self._lost)  # type: ignore[assignment]
        self.exit_event = _InputEnds(self.fileno, on_hang_up=self._lost)
        self._suspended = False

    def _lost(self) -> None:
        self._app.post_message(self.TerminalLost())

    def suspend_application_mode(self) -> None:
        super().suspend_application_mode()
        self._suspended = True

    def resume_application_mode(self) -> None:
        if self._suspended:  # a SIGCONT to a dashboard that was not stopped has nothing to resume
            self._suspended = False
            super().resume_application_mode()


class LinkApp(App[None]):
    """An app on ``LinkDriver`` (where Textual picks its Linux driver) that SIGTERM and SIGHUP, handed to
    its loop (stop_signals.py), end as `q` does, a lost terminal as SIGHUP; drawn again when continued."""

    stopped_by: int | None = None  # SIGTERM or SIGHUP ended it: cli.py says so as for Ctrl+C
    _signals: tuple[int, ...] = ()  # those handed to its loop

    def get_driver_class(self) -> type[Driver]:  # (another where Textual picks another)
        chosen = super().get_driver_class()
        return LinkDriver if chosen is LinuxDriver else chosen

    def on_load(self) -> None:
        # (cli.main installed the handlers): the terminal given back, a write under way finished, cli says it
        self._signals = stop_signals.hand_to_loop(asyncio.get_running_loop(), self._stop_by_signal)

    def _stop_by_signal(self, signum: int) -> None:
        self.stopped_by = signum
        self.exit(return_code=exit_code_for_signal(signum))

    def on_link_driver_terminal_lost(self) -> None:
        if self.stopped_by is None:  # (a SIGTERM already ending it keeps its own exit code)
            self._stop_by_signal(signal.SIGHUP)  # its screen gone: ended as on the dropped link's SIGHUP

    def on_driver_signal_resume(self) -> None:
        """Continued after a stop (SIGTSTP, then fg): the terminal cleared the screen as the driver went
        back into it, and the same size is no resize here (the app's and ``DashboardScreen``'s
        ``on_resize``): without this only what changed later was drawn, on a blank screen."""
        for screen in self.screen_stack:
            screen.refresh(layout=True)

    def on_unmount(self) -> None:
        stop_signals.take_back(asyncio.get_running_loop(), self._signals)
