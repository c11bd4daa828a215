"""Test-only launcher: the real `duty-room` command with its clock frozen. Never installed.

    python tests/frozen_cli.py 2026-11-28T09:30:00+08:00 [duty-room arguments...]

The clock stays where it is put, except that SIGUSR1 moves it on a minute and SIGUSR2 an hour:
a test or a bench makes a countdown tick (the header's clock, 剩NN分, 超期NN时) when it chooses.

The production command has no way to set the clock (an officer could back-date a step or file a
reveal under an old audit month); tests, screenshots and benchmarks that run it in a subprocess
freeze it here, in Python, before calling the same entry point.
"""

from __future__ import annotations

import signal
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout, run from anywhere

from duty_room.cli import main  # noqa: E402
from store import clock  # noqa: E402

if __name__ == "__main__":
    moment, *arguments = sys.argv[1:]
    clock.freeze(moment)
    for number, step in ((signal.SIGUSR1, timedelta(minutes=1)), (signal.SIGUSR2, timedelta(hours=1))):
        signal.signal(number, lambda _number, _frame, step=step: clock.freeze(clock.now() + step))
    sys.argv = ["duty-room", *arguments]
    main()
