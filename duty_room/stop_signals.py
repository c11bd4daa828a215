"""SIGTERM (`kill`, a service stop) and SIGHUP (the SSH link dropped) end a command or the dashboard
the way Ctrl+C does: one line in the interface language, an exit code of its own (exits.py), the
terminal given back and a store write whole or not made at all. Their default killed the process
where it stood: no line, the terminal left in the dashboard's screen, a transaction undone only by
the next writer.

Imported by `python -m duty_room` before anything else: nothing here but the standard library.
"""

from __future__ import annotations

import signal
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # asyncio is loaded only by the dashboard
    import asyncio
    from collections.abc import Callable

STOPPING = (signal.SIGTERM, signal.SIGHUP)


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP, raised in the main thread: a KeyboardInterrupt, so every path that lets
    Ctrl+C go (a transaction undone, a lock given up, the line said) lets this go the same way."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _raise(signum: int, frame: object) -> None:
    raise Stopped(signum)


def install() -> None:
    """Stop on SIGTERM and SIGHUP by raising ``Stopped``. A signal the caller set aside (`nohup`
    ignores SIGHUP) or handles itself stays as it was."""
    for signum in STOPPING:
        if signal.getsignal(signum) is signal.SIG_DFL:
            signal.signal(signum, _raise)


def hand_to_loop(loop: asyncio.AbstractEventLoop, stop: Callable[[int], None]) -> tuple[int, ...]:
    """While an event loop runs (the dashboard), a stopping signal calls ``stop`` on it instead of
    raising wherever the loop happens to be; the signals handed over, for ``take_back``."""
    handed = tuple(int(signum) for signum in STOPPING if signal.getsignal(signum) is _raise)
    for signum in handed:
        loop.add_signal_handler(signum, stop, signum)
    return handed


def take_back(loop: asyncio.AbstractEventLoop, handed: tuple[int, ...]) -> None:
    for signum in handed:
        loop.remove_signal_handler(signum)
        signal.signal(signum, _raise)
