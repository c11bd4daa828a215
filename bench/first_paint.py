"""Time and bytes to the first full paint of the dashboard, beside a bare Textual app.

    python bench/first_paint.py [--store DIR] [--runs 5]

Runs each program in a pseudo-terminal read by pyte (as over SSH) at 80x24 and 120x40 and
stops the clock when the screen shows data (the dashboard: its petitions with case ids; the
baseline: its Static text). The screen is looked at as the bytes arrive, after every 2 KB that
pyte has read: it used to be looked at every 0.1 s, which rounded both figures up to the next
tenth of a second, and only after pyte had parsed all of a read of up to 64 KB — at pyte's ~1 MB/s
that added up to ~90 ms after the data's bytes had arrived, more for the bigger screen. Bytes are what the program wrote to the terminal, raw and
zlib-compressed (roughly what `ssh -C` sends).

Bytecode: the project's own modules are compiled first (`compileall`), as an installed copy's
are; site-packages were compiled by pip. So PYTHONDONTWRITEBYTECODE does not make every run
compile the source again.
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import sys
import tempfile
import textwrap
import time
import zlib
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


def measure(argv: list[str], marker: str, size: tuple[int, int], env: dict[str, str]) -> tuple[float, int, int]:
    started = time.perf_counter()
    term = Terminal(argv, size[0], size[1], env)
    try:
        if not term.wait_for_bytes(marker, seconds=60):
            raise SystemExit(f"never saw {marker!r} from {argv}:\n{term.text()}")
        elapsed = time.perf_counter() - started
        term.pump(0.3)  # let the paint finish
        return elapsed, len(term.raw), len(zlib.compress(bytes(term.raw), 6))
    finally:
        term.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", type=Path, default=None, help="default: the township-scale bench store")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--lite", action="store_true", help="measure the dashboard's --lite profile")
    args = parser.parse_args()
    store_dir = args.store or township_store().root
    for package in ("store", "duty_room", "widgets"):
        compileall.compile_dir(ROOT / package, quiet=1)
    env = {**os.environ, "TERM": "xterm-256color", "LANG": "C.UTF-8", "PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryDirectory() as tmp:
        bare = Path(tmp) / "bare.py"
        bare.write_text(BARE_APP, encoding="utf-8")
        for size in ((80, 24), (120, 40)):
            env_size = {**env, "COLUMNS": str(size[0]), "LINES": str(size[1])}
            base: list[tuple[float, int, int]] = []
            ours: list[tuple[float, int, int]] = []
            for _ in range(args.runs):  # taking turns, so that the machine's noise falls on both alike
                base.append(measure([sys.executable, str(bare)], "bare app ready", size, env_size))
                ours.append(
                    measure(
                        [
                            sys.executable,
                            "-m",
                            "duty_room",
                            "--store",
                            str(store_dir),
                            *(["--lite"] if args.lite else []),
                        ],
                        "MK",
                        size,
                        env_size,
                    )
                )
            bt, bb, bz = (statistics.median(x[i] for x in base) for i in range(3))
            ot, ob, oz = (statistics.median(x[i] for x in ours) for i in range(3))
            print(
                f"{size[0]}x{size[1]}  bare Textual app : {bt:6.2f} s  {bb / 1000:6.1f} KB raw  {bz / 1000:5.1f} KB zlib"
            )
            print(
                f"{size[0]}x{size[1]}  duty-room{' --lite' if args.lite else '       '}: {ot:6.2f} s  {ob / 1000:6.1f} KB raw  {oz / 1000:5.1f} KB zlib"
            )
            print(
                f"{size[0]}x{size[1]}  ratio            : {ot / bt:6.2f} x  {ob / bb:6.2f} x raw  {oz / bz:5.2f} x zlib  (median of {args.runs})"
            )


if __name__ == "__main__":
    main()
