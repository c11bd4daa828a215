"""What a live dashboard costs on the wire: one status change made elsewhere, and idle time.

    python bench/live.py [--changes 6] [--idle 65] [--against OTHER_CHECKOUT]

Builds the demo township with a frozen clock, runs the dashboard in a pseudo-terminal read by
pyte at 80x24 and 120x40, then from this process (another writer, as a second desk or the CLI
would be) changes the status of a case that keeps its place in the list, and measures the bytes
the dashboard sent and the time until the new status is on its screen. Idle bytes are counted
over --idle seconds and scaled to a minute. Baseline in the same run: a bare Textual app's first
paint (a Header, a Static and a Footer); the floor for one changed word is under 100 bytes.

The idle figure depends on the hour: the header's clock turns each minute, and so does any countdown
on screen that counts minutes or hours (a case's 剩NN分 or 超期NN时, the next report's 剩NN分). So the bench says where
the idle bytes went: each row the dashboard wrote, its bytes (the bytes that follow a cursor move to
that row), and what changed on it between the screens before and after, by kind: ``clock``,
``countdown``, ``other`` (e.g. a case that crossed its deadline moving up the list), or ``unchanged``
(a row sent again as it was: a regression to look for).
Each program starts with ``python -P``: this checkout's code is measured, wherever the bench is run from.

The same, with the hour chosen: a minute that turns an hour on the frozen clock (the demo's list at
09:30 → 10:30: every 超期NN时 and 剩N时 on it ticks, and the header's clock), measured by moving the
dashboard's frozen clock on an hour (SIGUSR2, as ``tests/frozen_cli.py``); and a minute that turns
only the clock (SIGUSR1). Unlike the real clock's idle, these do not depend on when the bench runs.

``--against DIR``: another checkout (``git worktree add --detach DIR main``) measured in the same
run, one after the other for each figure (its code on PYTHONPATH and first on sys.path), with the
ratio of each figure to its figure.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import signal
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
# The dashboard with its clock frozen at argv[2], a checkout's code (argv[1]) first on sys.path; SIGUSR1
# and SIGUSR2 move the clock on a minute and an hour (as tests/frozen_cli.py, which older checkouts lack).
FROZEN_LAUNCHER = (
    "import signal, sys\n"
    "from datetime import timedelta\n"
    "sys.path.insert(0, sys.argv[1])\n"
    "from duty_room.cli import main\n"
    "from store import clock\n"
    "clock.freeze(sys.argv[2])\n"
    "signal.signal(signal.SIGUSR1, lambda *_: clock.freeze(clock.now() + timedelta(minutes=1)))\n"
    "signal.signal(signal.SIGUSR2, lambda *_: clock.freeze(clock.now() + timedelta(hours=1)))\n"
    "sys.argv = ['duty-room', *sys.argv[3:]]\n"
    "main()\n"
)
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


# A cursor move (CUP, 1-based row;column), where Textual begins each run of cells it repaints.
CURSOR_MOVE = re.compile(rb"\x1b\[(\d+);(\d+)H")
SYNC = (b"\x1b[?2026h", b"\x1b[?2026l")  # a frame's begin and end
CLOCK = re.compile(r"\d{1,2}:\d{2}")
# A time left or past due, in minutes or hours (words.py "due.left", "due.overdue", "duty.next_due").
COUNTDOWN = ("剩", "超期", "left", "late")


def bytes_by_row(sent: bytes) -> dict[int | None, int]:
    """The bytes of ``sent`` by the screen row (0-based) they were written to: each run of bytes
    after a cursor move counts for the move's row; what comes before the first move (frame markers,
    cursor shape) counts for ``None``, and so do the markers around each frame (synchronized output)."""
    frame = sum(len(marker) * sent.count(marker) for marker in SYNC)
    for marker in SYNC:
        sent = sent.replace(marker, b"")
    rows: dict[int | None, int] = {None: frame}
    row: int | None = None
    start = 0
    for move in CURSOR_MOVE.finditer(sent):
        rows[row] = rows.get(row, 0) + move.start() - start
        row, start = int(move.group(1)) - 1, move.start()
    rows[row] = rows.get(row, 0) + len(sent) - start
    return {row: n for row, n in rows.items() if n}


def changed_words(before: str, after: str) -> tuple[str, str]:
    """The words (runs without a blank) of one row that hold every changed character, before and
    after. Rows as pyte's ``display`` gives them: a wide character is one string index, so
    ``before`` and ``after`` are compared cell by cell only while their wide characters stand alike."""
    if len(before) != len(after):
        return before.strip(), after.strip()
    changed = [x for x, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    if not changed:
        return "", ""
    start, stop = changed[0], changed[-1] + 1
    while start > 0 and not (before[start - 1].isspace() and after[start - 1].isspace()):
        start -= 1
    while stop < len(before) and not (before[stop].isspace() and after[stop].isspace()):
        stop += 1
    return before[start:stop].strip(), after[start:stop].strip()


def change_kind(before: str, after: str) -> str:
    """What changed on a row: ``clock`` (a time of day turned), ``countdown`` (a 剩… or 超期… changed),
    ``other``, or ``unchanged`` (the row was sent again as it was)."""
    old, new = changed_words(before, after)
    if not old and not new:
        return "unchanged"
    if any(word in old or word in new for word in COUNTDOWN):
        return "countdown"
    return "clock" if CLOCK.fullmatch(old) and CLOCK.fullmatch(new) else "other"


def idle_report(before: list[str], after: list[str], sent: bytes, seconds: float) -> str:
    """Where a minute's idle bytes went: by kind, then each row written, with what changed on it."""
    per_minute = 60 / seconds
    kinds: dict[str, float] = {}
    rows = []
    for row, n in sorted(bytes_by_row(sent).items(), key=lambda item: -1 if item[0] is None else item[0]):
        if row is None or row >= len(after):
            kind, note = "frame", ""
        else:
            kind = change_kind(before[row], after[row])
            old, new = changed_words(before[row], after[row])
            note = f" {old} → {new}" if kind != "unchanged" else ""
        kinds[kind] = kinds.get(kind, 0) + n * per_minute
        rows.append(f"row {row if row is not None else '-'} {n * per_minute:.0f} B {kind}{note}")
    order = ("clock", "countdown", "other", "unchanged", "frame")
    if not rows:
        return "nothing sent"
    split = ", ".join(f"{kind} {kinds[kind]:.0f}" for kind in order if kind in kinds)
    return f"{split} B/min; rows: {'; '.join(rows)}"


def idle_bytes_per_minute(
    store_dir: Path | None, size: tuple[int, int], env: dict[str, str], seconds: float
) -> tuple[float, str]:
    """Bytes a screen sends while nothing changes, with the real clock (so the minute turns), and
    where they went (``idle_report``)."""
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
        before, screen = len(term.raw), list(term.screen.display)
        term.pump(seconds)
        sent = bytes(term.raw[before:])
        return len(sent) * 60 / seconds, idle_report(screen, list(term.screen.display), sent, seconds)
    finally:
        term.close()


def frozen_dashboard(root: Path, store_dir: Path, size: tuple[int, int], env: dict[str, str]) -> Terminal:
    """The dashboard of checkout ``root`` on ``store_dir`` in a pseudo-terminal, its clock frozen at FROZEN."""
    argv = [sys.executable, "-P", "-c", FROZEN_LAUNCHER, str(root), FROZEN, "--store", str(store_dir)]
    return Terminal(argv, size[0], size[1], {**env, "PYTHONPATH": str(root)})


def status_changes(
    root: Path, store_dir: Path, writer: Store, case: Petition, size: tuple[int, int], env: dict[str, str], changes: int
) -> tuple[bytes, list[int], list[float]]:
    """The first paint's bytes, then the bytes and the delay of each status change made by ``writer``."""
    term = frozen_dashboard(root, store_dir, size, env)
    try:
        if not term.wait_for(case.id, 30):
            raise SystemExit(term.text())
        term.pump(1.0)
        first_paint = bytes(term.raw)
        sizes, delays = [], []
        jitter = random.Random(7)
        for _ in range(changes):
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
        return first_paint, sizes, delays
    finally:
        term.close()


def tick_bytes(
    root: Path, store_dir: Path, size: tuple[int, int], env: dict[str, str], signal_number: int, shows: str
) -> tuple[int, str]:
    """The bytes the dashboard sends when its frozen clock moves on (``signal_number``) until
    ``shows`` is on screen and it has gone quiet, and where they went (``idle_report``, as one minute)."""
    term = frozen_dashboard(root, store_dir, size, env)
    try:
        if not term.wait_for("MK", 30):
            raise SystemExit(term.text())
        term.settle(1.0)
        before, screen = len(term.raw), list(term.screen.display)
        os.kill(term.pid, signal_number)
        if not term.wait_for(shows, 15):
            raise SystemExit(term.text())
        term.settle(1.0)
        sent = bytes(term.raw[before:])
        return len(sent), idle_report(screen, list(term.screen.display), sent, 60)
    finally:
        term.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--changes", type=int, default=6)
    parser.add_argument(
        "--idle", type=float, default=65.0, help="seconds of idle to count (over a minute: a clock tick); 0: none"
    )
    parser.add_argument(
        "--against", type=Path, default=None, help="another checkout, measured one after the other with this one"
    )
    args = parser.parse_args()
    checkouts = {"this": ROOT, **({"against": args.against.resolve()} if args.against else {})}
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
                "COLUMNS": str(size[0]),
                "LINES": str(size[1]),
            }
            at = f"{size[0]}x{size[1]}"
            figures: dict[str, dict[str, float]] = {}
            for name, root in checkouts.items():
                label = f"{at}  ({name}: {root})"
                raw, sizes, delays = status_changes(root, store_dir, writer, case, size, env, args.changes)
                hour, hour_where = tick_bytes(root, store_dir, size, env, signal.SIGUSR2, "10:30")
                minute, minute_where = tick_bytes(root, store_dir, size, env, signal.SIGUSR1, "09:31")
                figures[name] = {"change": statistics.median(sizes), "hour": hour, "minute": minute}
                print(
                    f"{label} first paint: {len(raw) / 1000:.1f} KB raw, {len(zlib.compress(raw, 6)) / 1000:.1f} KB zlib"
                )
                print(
                    f"{label} one status change from another process: median {statistics.median(sizes):.0f} B "
                    f"(max {max(sizes)} B), on screen after median {statistics.median(delays) * 1000:.0f} ms "
                    f"(max {max(delays) * 1000:.0f} ms; poll interval {Settings().refresh_seconds} s)"
                )
                print(f"{label} a minute that turns the hour, frozen clock 09:30 → 10:30: {hour} B")
                print(f"{label}   where it went: {hour_where}")
                print(f"{label} a minute that turns only the clock, 09:30 → 09:31: {minute} B ({minute_where})")
                if args.idle > 0:
                    env_root = {**env, "PYTHONPATH": str(root)}
                    idle, where = idle_bytes_per_minute(live_store, size, env_root, args.idle)
                    figures[name]["idle"] = idle
                    print(f"{label} idle with the real clock: {idle:.0f} B/min")
                    print(f"{label}   where it went: {where}")
            if args.idle > 0:
                bare_idle, _ = idle_bytes_per_minute(None, size, env, args.idle)
                print(f"{at}  bare Textual app idle: {bare_idle:.0f} B/min")
            if "against" in figures:
                ratios = ", ".join(
                    f"{figure} {figures['against'][figure]:.0f} → {ours:.0f} B ({figures['against'][figure] / ours:.2f}x)"
                    for figure, ours in figures["this"].items()
                    if ours
                )
                print(f"{at}  against → this: {ratios}")


if __name__ == "__main__":
    main()
