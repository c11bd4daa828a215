"""Time and bytes to the first full paint of the dashboard, beside a bare Textual app.

    python bench/first_paint.py [--store DIR] [--runs 5] [--against OTHER_CHECKOUT]

Runs each program in a pseudo-terminal read by pyte (as over SSH) at 80x24 and 120x40 and
stops the clock when the screen shows data (the dashboard: its petitions with case ids; the
baseline: its Static text), and again when every panel is filled: the dashboard reads what its
first frame shows (the header, panel 1's cases) before it, and the rest right after it, while the
other panels say 读取中 (for the bare app the two are the same moment). The screen is looked at as the bytes arrive, after every 2 KB that
pyte has read: it used to be looked at every 0.1 s, which rounded both figures up to the next
tenth of a second, and only after pyte had parsed all of a read of up to 64 KB — at pyte's ~1 MB/s
that added up to ~90 ms after the data's bytes had arrived, more for the bigger screen. Bytes are what the program wrote to the terminal, raw and
zlib-compressed (roughly what `ssh -C` sends).

On a shared, busy machine the wall times wander by a third from one run to the next; with
``--instructions`` each program also runs once under valgrind's callgrind, and is stopped (SIGTERM:
callgrind writes its count as the program ends) as soon as its first frame with data has arrived
and nothing more has come for 20 ms: the count of instructions executed up to the first frame,
the same whatever else the machine is doing, the steady figure to compare two versions by. (It was
read with ``callgrind_control --dump`` before, which let the program run on while the dump was
asked for: under load, what the dashboard does after its first frame was counted too.)
That count still takes in part of what runs after the frame before the terminal is quiet for
20 ms (the same code: 2,346 M in one run, 2,583 M in the next); so each program is also counted to
the first frame's write and not an instruction more (``frame_stop.py`` ends it there), the steady
figure: "instructions to the first frame's write".

``--against DIR``: another checkout of the project (``git worktree add --detach DIR main``) is
measured in the same run, taking turns with this one and the bare app, and both ratios are printed.
Each program starts with ``python -P`` and PYTHONPATH set to its checkout: ``-m`` alone puts the
current directory first on sys.path, so run from another checkout the bench measured that one's code.

Bytecode: the project's own modules are compiled first (`compileall`), as an installed copy's
are; site-packages were compiled by pip. So PYTHONDONTWRITEBYTECODE does not make every run
compile the source again.
"""

from __future__ import annotations

import argparse
import compileall
import os
import re
import shutil
import signal
import statistics
import sys
import tempfile
import textwrap
import time
import zlib
from collections.abc import Callable
from pathlib import Path

from common import ROOT, township_store

from tools.ptyterm import Terminal

BARE_APP = textwrap.dedent(
    """
    from textual.app import App
    from textual.widgets import Footer, Header, Static

    class Bare(App):
        BINDINGS = [("q", "quit", "Quit")]
        def compose(self):
            yield Header()
            yield Static("bare app ready")
            yield Footer()

    Bare().run()
    """
)


# What the dashboard shows while the rest after its first frame is being read (duty_room/live.py:
# _fill): a panel's 读取中…, panel 1's rates …/…/…. The bare app shows none of it.
FILLING = ("读取中", "…/…")


def filled(marker: str) -> Callable[[str], bool]:
    """The screen shows ``marker`` and every panel's data (nothing still being read)."""
    return lambda screen: marker in screen and not any(mark in screen for mark in FILLING)


def measure(argv: list[str], marker: str, size: tuple[int, int], env: dict[str, str]) -> tuple[float, float, int, int]:
    """Seconds to the first frame with data (``marker``), to every panel filled, and the bytes
    (raw, zlib) written by 0.3 s after that."""
    started = time.perf_counter()
    term = Terminal(argv, size[0], size[1], env)
    try:
        if not term.wait_for_bytes(marker, seconds=60):
            raise SystemExit(f"never saw {marker!r} from {argv}:\n{term.text()}")
        first = time.perf_counter() - started
        if not term.wait_until(filled(marker), seconds=60):
            raise SystemExit(f"never saw every panel filled from {argv}:\n{term.text()}")
        whole = time.perf_counter() - started
        term.pump(0.3)  # let the paint finish
        return first, whole, len(term.raw), len(zlib.compress(bytes(term.raw), 6))
    finally:
        term.close()


def instructions(
    argv: list[str],
    marker: str,
    size: tuple[int, int],
    env: dict[str, str],
    *,
    whole: bool = False,
    at_write: bool = False,
) -> float:
    """Millions of instructions ``argv`` executed until ``marker`` was on its screen (valgrind's
    callgrind); ``whole``: until every panel was filled too; ``at_write``: until the write that
    holds ``marker`` and not an instruction more (``frame_stop.py``: the same from run to run)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        if at_write:  # [python, -P, ...] -> [python, -P, frame_stop.py, marker, ...]
            argv = [*argv[:2], str(Path(__file__).with_name("frame_stop.py")), marker, *argv[2:]]
        counted = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", *argv]
        term = Terminal(counted, size[0], size[1], {**env, "PYTHONMALLOC": "malloc", "PYTHONHASHSEED": "0"})
        try:
            if at_write:
                if not term.wait_closed(seconds=600):  # it ends itself, at that write
                    raise SystemExit(f"never saw {marker!r} from {argv} under valgrind")
            else:
                shown = filled(marker) if whole else (lambda screen: marker in screen)
                if not term.wait_until(shown, seconds=600):
                    raise SystemExit(f"never saw {marker!r} from {argv} under valgrind")
                term.settle(quiet=0.02, seconds=5)  # the rest of the frame
                os.kill(term.pid, signal.SIGTERM)  # neither Textual nor duty-room handles it: the program ends
                term.pump(60)
        finally:
            term.close()
        return _counted(out)


def _counted(out: Path) -> float:
    found = re.search(r"^(?:summary|totals): ([0-9]+)", out.read_text(errors="replace"), re.MULTILINE)
    if found is None:
        raise SystemExit(f"callgrind wrote no count in {out}")
    return int(found.group(1)) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", type=Path, default=None, help="default: the township-scale bench store")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--lite", action="store_true", help="measure the dashboard's --lite profile")
    parser.add_argument("--instructions", action="store_true", help="also count instructions (valgrind)")
    parser.add_argument(
        "--against",
        type=Path,
        default=None,
        help="another checkout of the project, measured taking turns with this one",
    )
    args = parser.parse_args()
    if args.instructions and shutil.which("valgrind") is None:
        raise SystemExit("--instructions needs valgrind")
    store_dir = args.store or township_store().root
    checkouts = {"this": ROOT, **({"against": args.against.resolve()} if args.against else {})}
    for root in checkouts.values():
        for package in ("store", "duty_room", "widgets"):
            compileall.compile_dir(root / package, quiet=1)
    env = {**os.environ, "TERM": "xterm-256color", "LANG": "C.UTF-8"}
    # -P: neither the current directory (-m) nor the script's puts another checkout's code first.
    our_argv = [sys.executable, "-P", "-m", "duty_room", "--store", str(store_dir), *(["--lite"] if args.lite else [])]
    with tempfile.TemporaryDirectory() as tmp:
        bare = Path(tmp) / "bare.py"
        bare.write_text(BARE_APP, encoding="utf-8")
        bare_argv = [sys.executable, "-P", str(bare)]
        for size in ((80, 24), (120, 40)):
            env_size = {**env, "COLUMNS": str(size[0]), "LINES": str(size[1])}
            envs = {name: {**env_size, "PYTHONPATH": str(root)} for name, root in checkouts.items()}
            base: list[tuple[float, float, int, int]] = []
            ours: dict[str, list[tuple[float, float, int, int]]] = {name: [] for name in checkouts}
            for _ in range(args.runs):  # taking turns, so that the machine's noise falls on all alike
                base.append(measure(bare_argv, "bare app ready", size, env_size))
                for name in checkouts:
                    ours[name].append(measure(our_argv, "MK", size, envs[name]))
            bt, bw, bb, bz = (statistics.median(x[i] for x in base) for i in range(4))
            print(
                f"{size[0]}x{size[1]}  bare Textual app : {bt:6.2f} s  {bb / 1000:6.1f} KB raw  {bz / 1000:5.1f} KB zlib"
            )
            for name, root in checkouts.items():
                ot, ow, ob, oz = (statistics.median(x[i] for x in ours[name]) for i in range(4))
                label = f"duty-room{' --lite' if args.lite else ''} ({name}: {root})"
                print(
                    f"{size[0]}x{size[1]}  {label}: {ot:6.2f} s first frame with data, {ow:6.2f} s every panel filled"
                    f"  {ob / 1000:6.1f} KB raw  {oz / 1000:5.1f} KB zlib"
                )
                print(
                    f"{size[0]}x{size[1]}  ratio ({name}){'':5}: {ot / bt:6.2f} x first frame  {ow / bw:6.2f} x filled"
                    f"  {ob / bb:6.2f} x raw  {oz / bz:5.2f} x zlib  (median of {args.runs})"
                )
            if args.instructions:
                bi = instructions(bare_argv, "bare app ready", size, env_size)
                bw = instructions(bare_argv, "bare app ready", size, env_size, at_write=True)
                counts = {}
                for name in checkouts:  # in turn too, next to the bare app's count
                    counts[name] = (
                        instructions(our_argv, "MK", size, envs[name]),
                        instructions(our_argv, "MK", size, envs[name], whole=True),
                        instructions(our_argv, "MK", size, envs[name], at_write=True),
                    )
                for name, (oi, wi, ow) in counts.items():
                    print(
                        f"{size[0]}x{size[1]}  instructions ({name}): bare app {bi:6.0f} M  duty-room {oi:6.0f} M first"
                        f" frame, {wi:6.0f} M every panel filled  ratio {oi / bi:4.2f} x / {wi / bi:4.2f} x"
                    )
                    print(
                        f"{size[0]}x{size[1]}  instructions to the first frame's write ({name}): bare app {bw:6.0f} M"
                        f"  duty-room {ow:6.0f} M  ratio {ow / bw:4.2f} x"
                    )


if __name__ == "__main__":
    main()
