"""Test-only launcher: the real `duty-room` command with its clock frozen. Never installed.

    python tests/frozen_cli.py 2026-11-28T09:30:00+08:00 [duty-room arguments...]

The production command has no way to set the clock (an officer could back-date a step or file a
reveal under an old audit month); tests, screenshots and benchmarks that run it in a subprocess
freeze it here, in Python, before calling the same entry point.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout, run from anywhere

from duty_room.cli import main  # noqa: E402
from store import clock  # noqa: E402

if __name__ == "__main__":
    moment, *arguments = sys.argv[1:]
    clock.freeze(moment)
    sys.argv = ["duty-room", *arguments]
    main()
