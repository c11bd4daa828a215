"""`duty-room summary` from a cold process, beside `python -c "import textual"` in the same run.

    python bench/cold_start.py [--store DIR] [--runs 9]

Issue 13: the on-call digest over SSH (`ssh host duty-room summary`) should start about as fast
as importing Textual (goal: at most 1.2x), and needs no Textual or Rich at all. Each run is a
fresh interpreter; the two programs take turns so the machine's noise falls on both alike. The
figure is the median wall time to exit, on the demo store (built in a temporary folder) and on
the township-scale bench store. Each program starts with ``python -P``: this checkout's code is
measured, wherever the bench is run from (``-m`` and ``-c`` put the current directory first).

A third program shows the floor while every record read is validated through pydantic: a process
that imports pydantic and defines the store's models (`import store.models`: those the first read
needs are built, the rest when first read), and reads nothing.
If the floor alone is near 1.2x, the goal cannot be met by reading less or importing less of our
own code.

On a shared, busy machine the wall times wander by a third from one run to the next; with
``--instructions`` each program also runs once under valgrind's callgrind, which counts the
instructions it executes (the same count whatever else the machine is doing): their ratio is the
steady figure to compare two versions by (it leaves out waiting for the disk, which is little here,
the files being in the page cache).

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
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, township_store

from store.demo import build_demo
from store.storage import Store


def wall(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - started


def instructions(argv: list[str], env: dict[str, str]) -> float:
    """Millions of instructions ``argv`` executes (valgrind's callgrind; the system's malloc, a fixed hash seed)."""
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *argv],
        env={**env, "PYTHONMALLOC": "malloc", "PYTHONHASHSEED": "0"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    found = re.search(r"Collected : ([0-9]+)", done.stderr)
    if found is None:
        raise SystemExit(f"valgrind counted nothing for {argv}:\n{done.stderr}")
    return int(found.group(1)) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", type=Path, default=None, help="default: the township-scale bench store")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--instructions", action="store_true", help="also count instructions (valgrind)")
    args = parser.parse_args()
    if args.instructions and shutil.which("valgrind") is None:
        raise SystemExit("--instructions needs valgrind")
    for package in ("store", "duty_room", "widgets"):
        compileall.compile_dir(ROOT / package, quiet=1)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LANG": "C.UTF-8"}
    with tempfile.TemporaryDirectory(prefix="duty-room-cold-") as tmp:
        demo = Store(Path(tmp) / "demo", actor="bench")
        build_demo(demo)
        stores = [("demo store", demo.root), ("township store", args.store or township_store().root)]
        baseline = [sys.executable, "-P", "-c", "import textual"]
        floor = [sys.executable, "-P", "-c", "import store.models"]
        for label, root in stores:
            summary = [sys.executable, "-P", "-m", "duty_room", "--store", str(root), "summary"]
            wall(summary, env)  # once, so that the store's files are in the page cache for both
            base: list[float] = []
            ours: list[float] = []
            least: list[float] = []
            for _ in range(args.runs):
                base.append(wall(baseline, env))
                ours.append(wall(summary, env))
                least.append(wall(floor, env))
            bt, ot, ft = statistics.median(base), statistics.median(ours), statistics.median(least)
            print(
                f"{label:15} python -c 'import textual': {bt * 1000:6.0f} ms   duty-room summary: {ot * 1000:6.0f} ms"
                f"   ratio {ot / bt:4.2f}x  (median of {args.runs}; goal <= 1.2x)"
            )
            print(
                f"{'':15} floor, python -c 'import store.models' (pydantic and the models, nothing read): "
                f"{ft * 1000:4.0f} ms   ratio {ft / bt:4.2f}x"
            )
            if args.instructions:
                bi, oi, fi = (instructions(argv, env) for argv in (baseline, summary, floor))
                print(
                    f"{'':15} instructions: import textual {bi:6.0f} M   summary {oi:6.0f} M ({oi / bi:4.2f}x)"
                    f"   floor {fi:6.0f} M ({fi / bi:4.2f}x)"
                )


if __name__ == "__main__":
    main()
