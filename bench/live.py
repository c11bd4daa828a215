"""What a live dashboard costs on the wire: one status change made elsewhere, and idle time.

    python bench/live.py [--changes 6] [--idle 65]

Builds the demo township with a frozen clock, runs the dashboard in a pseudo-terminal read by
pyte at 80x24 and 120x40, then from this process (another writer, as a second desk or the CLI
would be) changes the status of a case that keeps its place in the list, and measures the bytes
the dashboard sent and the time until the new status is on its screen. Idle bytes are counted
over --idle seconds and scaled to a minute. Baseline in the same run: a bare Textual app's first
paint (a Header, a Static and a Footer); the floor for one changed word is under 100 bytes.
Each program starts with ``python -P``: this checkout's code is measured, wherever the bench is run from.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import zlib
from pathlib import Path

from common import ROOT

from duty_room.config import Settings
from store import clock
from store.demo import build_demo
from store.lifecycle import change_status
from store.models import Petition, PetitionStatus
from store.queries import open_petitions
from store.storage import Store
from tools.ptyterm import Terminal

FROZEN = "2026-11-28T09:30:00+08:00"
FROZEN_CLI = ROOT / "tests" / "frozen_cli.py"
CYCLE = {
    PetitionStatus.DISPATCHED: PetitionStatus.IN_PROGRESS,
    PetitionStatus.IN_PROGRESS: PetitionStatus.RETURNED,
    PetitionStatus.RETURNED: PetitionStatus.DISPATCHED,
}
LABEL = {PetitionStatus.DISPATCHED: "已派单", PetitionStatus.IN_PROGRESS: "处置中", PetitionStatus.RETURNED: "已退回"}


BARE_APP = (
    "from textual.app import App\n"
    "from textual.widgets import Footer, Header, Static\n"
    "class Bare(App):\n"
    "    def compose(self):\n"
    "        yield Header()\n"
    "        yield Static('bare app ready')\n"
    "        yield Footer()\n"
    "Bare().run()\n"
)


def idle_bytes_per_minute(store_dir: Path | None, size: tuple[int, int], env: dict[str, str], seconds: float) -> float:
    """Bytes a screen sends while nothing changes, with the real clock (so the minute turns)."""
    live_env = env
    if store_dir is None:
        argv, marker = [sys.executable, "-P", "-c", BARE_APP], "bare app ready"
    else:
        argv, marker = [sys.executable, "-P", "-m", "duty_room", "--store", str(store_dir)], "MK"
    term = Terminal(argv, size[0], size[1], live_env)
    try:
        if not term.wait_for(marker, 30):
            raise SystemExit(term.text())
        term.pump(1.0)
        before = len(term.raw)
        term.pump(seconds)
        return (len(term.raw) - before) * 60 / seconds
    finally:
        term.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--changes", type=int, default=6)
    parser.add_argument(
        "--idle", type=float, default=65.0, help="seconds of idle to count (over a minute: a clock tick)"
    )
    args = parser.parse_args()
    clock.freeze(FROZEN)
    with tempfile.TemporaryDirectory() as tmp:
        store_dir = Path(tmp) / "demo"
        build_demo(Store(store_dir, actor="bench"))
        writer = Store(store_dir, actor="other-desk")
        # For idle time, a demo dated by the real clock (the frozen one would age all at once).
        live_store = Path(tmp) / "live"
        clock.unfreeze()
        build_demo(Store(live_store, actor="bench"))
        clock.freeze(FROZEN)
        # An overdue case being worked on: its status changes, its place in the list does not.
        case = next(v.petition for v in open_petitions(writer, clock.now()) if v.petition.status in CYCLE)
        for size in ((80, 24), (120, 40)):
            env = {
                **os.environ,
                "TERM": "xterm-256color",
                "LANG": "C.UTF-8",
                "PYTHONPATH": str(ROOT),
                "COLUMNS": str(size[0]),
                "LINES": str(size[1]),
            }
            # The dashboard at the same frozen time, through the tests' launcher (the command has no clock setting).
            term = Terminal(
                [sys.executable, "-P", str(FROZEN_CLI), FROZEN, "--store", str(store_dir)], size[0], size[1], env
            )
            try:
                if not term.wait_for(case.id, 30):
                    raise SystemExit(term.text())
                term.pump(1.0)
                first_paint = len(term.raw)
                sizes, delays = [], []
                jitter = random.Random(7)
                for _ in range(args.changes):
                    term.pump(jitter.uniform(0, 1))  # not in step with the dashboard's poll timer
                    current = writer.get(Petition, case.id).status
                    target = CYCLE[current]
                    before = len(term.raw)
                    started = time.perf_counter()
                    note = "bench" if target is PetitionStatus.RETURNED else ""
                    change_status(writer, case.id, target, note=note)
                    [row] = [y for y, line in enumerate(term.screen.display) if case.id in line]
                    while LABEL[target] not in term.screen.display[row] and time.perf_counter() - started < 5:
                        term.pump(0.01)
                    delays.append(time.perf_counter() - started)
                    term.pump(0.5)  # anything sent after the change showed
                    sizes.append(len(term.raw) - before)
            finally:
                term.close()
            idle = idle_bytes_per_minute(live_store, size, env, args.idle)
            raw = bytes(term.raw[:first_paint])
            print(
                f"{size[0]}x{size[1]}  first paint: {first_paint / 1000:.1f} KB raw, {len(zlib.compress(raw, 6)) / 1000:.1f} KB zlib"
            )
            print(
                f"{size[0]}x{size[1]}  one status change from another process: median {statistics.median(sizes):.0f} B "
                f"(max {max(sizes)} B), on screen after median {statistics.median(delays) * 1000:.0f} ms "
                f"(max {max(delays) * 1000:.0f} ms; poll interval {Settings().refresh_seconds} s)"
            )
            bare_idle = idle_bytes_per_minute(None, size, env, args.idle)
            print(
                f"{size[0]}x{size[1]}  idle with the real clock: {idle:.0f} B/min; bare Textual app: {bare_idle:.0f} B/min"
            )


if __name__ == "__main__":
    main()
