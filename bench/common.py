"""Shared set-up for the benchmarks: a township-scale store built once and reused."""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from store import clock  # noqa: E402
from store.demo import build_demo  # noqa: E402
from store.storage import Store  # noqa: E402

# -2: schedules, occupied_on; -3: day files (schema 2); -4: 25 cases a file, archives by month (schema 3);
# -5: households one file a grid (schema 3 still: unreleased), so -4 stays for older checkouts;
# -6: schema 4 (duty-log 记录人, 来访/巡查), which checkouts of schema 3 refuse: they keep -5
DEFAULT_TOWNSHIP = Path("/tmp/duty-room-bench/township-6")


def township_store(path: Path = DEFAULT_TOWNSHIP) -> Store:
    """The township-scale store, built again when the bench built it on another day: its visits,
    sessions and deadlines are laid out around the day it was built, and the benches measure today's.

    Only a store the bench built (``NAME.built-on`` beside it) is ever built again: any other one
    named with --store is measured as it is, never cleared. A missing one is built (and marked)."""
    store = Store(path, actor="bench")
    built_on = path.parent / f"{path.name}.built-on"
    today = clock.now().date().isoformat()
    if store.exists() and not built_on.exists():
        print(f"{path}: not built by the bench (no {built_on.name}): measured as it is", flush=True)
        return store
    if store.exists() and built_on.read_text() != today:
        print(f"{path} was built on another day: building it again", flush=True)
        store.clear()
    if not store.exists():
        started = time.perf_counter()
        print(f"building the township-scale store in {path} ...", flush=True)
        path.mkdir(parents=True, exist_ok=True)
        built_on.write_text("building")  # ours from the start: one cut short is built again next time
        # Built as at noon at the earliest: run at night, today would have no visits to measure.
        now = clock.now()
        clock.freeze(max(now, clock.at(now.date(), 12)))
        try:
            summary = build_demo(store, scale="township")
        finally:
            clock.unfreeze()
        print(f"  built in {time.perf_counter() - started:.1f} s: {summary}", flush=True)
        built_on.write_text(today)
    return store


def timed(call: Callable[[], object], rounds: int) -> list[float]:
    """Seconds per call of ``call``, ``rounds`` times."""
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return samples


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
