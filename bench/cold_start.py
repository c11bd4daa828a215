"""`duty-room summary` from a cold process, beside `python -c "import textual"` in the same run.

    python bench/cold_start.py [--store DIR] [--runs 9] [--instructions] [--against CHECKOUT]

Issue 13: the on-call digest over SSH (`ssh host duty-room summary`) should start about as fast
as importing Textual (goal: at most 1.2x), and needs no Textual or Rich at all. Each run is a
fresh interpreter; the programs take turns so the machine's noise falls on all alike. The figure
is the median wall time to exit, on the demo store (built in a temporary folder) and on the
township-scale bench store.

Two more programs show the floor while every record read is validated through pydantic, each
reading nothing: one imports pydantic as the store does (the names store/ and the settings import),
the other defines the store's models too (`import store.models`: those the first read needs are
built, the rest when first read). If the floor is near 1.2x, the
goal cannot be met by reading less or importing less of our own code.

--against CHECKOUT: another checkout's `summary` and models take turns with this one's in the same
loop (the same interpreter and site-packages), the way to compare two versions on a busy machine.
Every program runs with `python -P` and PYTHONPATH set to its checkout: without -P, `-m` and `-c`
put the current folder first on sys.path, so run from another checkout it measured that one's code.

On a shared, busy machine the wall times wander by a third from one run to the next; with
``--instructions`` each program also runs once under valgrind's callgrind, which counts the
instructions it executes (the same count whatever else the machine is doing): their ratio is the
steady figure to compare two versions by (it leaves out waiting for the disk, which is little here,
the files being in the page cache).

Bytecode: each checkout's own modules are compiled first (`compileall`), as an installed copy's
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


# What store/ and the settings import of pydantic, and nothing built: the floor's first half.
PYDANTIC_ALONE = (
    "from pydantic import AfterValidator, AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field, "
    "GetPydanticSchema, StrictInt, StrictStr, StringConstraints, TypeAdapter, ValidationError, field_validator, "
    "model_validator; from pydantic_core import core_schema"
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", type=Path, default=None, help="default: the township-scale bench store")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--instructions", action="store_true", help="also count instructions (valgrind)")
    parser.add_argument("--against", type=Path, default=None, help="another checkout, taking turns with this one")
    args = parser.parse_args()
    if args.instructions and shutil.which("valgrind") is None:
        raise SystemExit("--instructions needs valgrind")
    checkouts = {"this": ROOT, **({"against": args.against.resolve()} if args.against else {})}
    for checkout in checkouts.values():
        for package in ("store", "duty_room", "widgets"):
            compileall.compile_dir(checkout / package, quiet=1)
    envs = {name: {**os.environ, "PYTHONPATH": str(path), "LANG": "C.UTF-8"} for name, path in checkouts.items()}
    python = [sys.executable, "-P"]
    with tempfile.TemporaryDirectory(prefix="duty-room-cold-") as tmp:
        demo = Store(Path(tmp) / "demo", actor="bench")
        build_demo(demo)
        stores = [("demo store", demo.root), ("township store", args.store or township_store().root)]
        for label, root in stores:
            programs = {"import textual": ([*python, "-c", "import textual"], envs["this"])}
            for name, env in envs.items():
                at = "" if name == "this" else f" ({checkouts[name]})"
                programs[f"summary{at}"] = ([*python, "-m", "duty_room", "--store", str(root), "summary"], env)
            programs["floor: pydantic alone"] = ([*python, "-c", PYDANTIC_ALONE], envs["this"])
            for name, env in envs.items():
                at = "" if name == "this" else f" ({checkouts[name]})"
                programs[f"floor: pydantic and the models{at}"] = ([*python, "-c", "import store.models"], env)
            for argv, env in programs.values():
                wall(argv, env)  # once, so that the store's files are in the page cache for all
            times: dict[str, list[float]] = {name: [] for name in programs}
            for _ in range(args.runs):
                for name, (argv, env) in programs.items():
                    times[name].append(wall(argv, env))
            base = statistics.median(times["import textual"])
            counts = (
                {name: instructions(argv, env) for name, (argv, env) in programs.items()} if args.instructions else {}
            )
            print(f"{label} (median of {args.runs}; goal: summary <= 1.2x import textual)")
            for name in programs:
                took = statistics.median(times[name])
                line = f"  {name:45} {took * 1000:6.0f} ms {took / base:5.2f}x"
                if counts:
                    line += f"   {counts[name]:6.0f} M instructions {counts[name] / counts['import textual']:5.2f}x"
                print(line, flush=True)


if __name__ == "__main__":
    main()
