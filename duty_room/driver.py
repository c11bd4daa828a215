"""Textual's Linux terminal driver, made to end like the rest when its terminal goes away (the SSH
link drops). Textual 8.2.8's own left a dashboard alive after its terminal, asleep and deaf to
SIGTERM and SIGHUP (tests/test_stop_signals.py):

- its output thread died of the first write that failed (a hung-up terminal answers EIO, a closed
  pipe EPIPE), and 30 frames later the dashboard's thread waited for room in its queue forever;
- every SIGCONT started its terminal mode again, stopped before or not (the kernel sends SIGCONT with
  the SIGHUP of a dropped link; `kill -CONT` and a shell's `fg` send it too): a second output thread
  and a second reader of the keys beside the first, typed keys shared out between the two.

A terminal that can no longer be written ends the dashboard as a dropped link's SIGHUP does, even
where SIGHUP was set aside (`trap '' HUP`), at its next write (the clock's minute at the latest):
nobody is left to see it or type to it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import IO, Any

from textual.drivers.linux_driver import LinuxDriver
from textual.message import Message


class _Output:
    """The terminal as Textual's output thread writes to it: once a write fails the rest are dropped
    (nobody is there to read them), so the thread lives on, emptying its queue, and the dashboard
    can still end."""

    def __init__(self, file: IO[str], on_lost: Callable[[], object]) -> None:
        self._file = file
        self._on_lost = on_lost
        self.lost = False

    def write(self, text: str) -> None:
        if not self.lost:
            try:
                self._file.write(text)
            except OSError:
                self._lose()

    def flush(self) -> None:
        if not self.lost:
            try:
                self._file.flush()
            except OSError:
                self._lose()

    def _lose(self) -> None:
        self.lost = True
        self._on_lost()

    def fileno(self) -> int:
        return self._file.fileno()


class LinkDriver(LinuxDriver):
    """Textual's Linux driver; its output survives a lost terminal, and only a stop is resumed."""

    class TerminalLost(Message):
        """The terminal can no longer be written (posted to the app once, from the output thread)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Textual's name for what its output thread writes to (pinned in tests/test_textual_private.py).
        if self._file is not None:
            lost = self.TerminalLost()
            output = _Output(self._file, on_lost=lambda: self._app.post_message(lost))
            self._file = output  # type: ignore[assignment]
        self._suspended = False

    def suspend_application_mode(self) -> None:
        super().suspend_application_mode()
        self._suspended = True

    def resume_application_mode(self) -> None:
        if self._suspended:  # a SIGCONT to a dashboard that was not stopped has nothing to resume
            self._suspended = False
            super().resume_application_mode()
