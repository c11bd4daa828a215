"""Shared set-up for the benchmarks: a township-scale store built once and reused."""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from store.demo import build_demo  # noqa: E402
from store.storage import Store  # noqa: E402

# -2: schedules, occupied_on; -3: day files (schema 2); -4: 25 cases a file, archives by month (schema 3);
# -5: households one file a grid (schema 3 still: unreleased), so -4 stays for older checkouts
DEFAULT_TOWNSHIP = Path("/tmp/duty-room-bench/township-5")


def township_store(path: Path = DEFAULT_TOWNSHIP) -> Store:
    store = Store(path, actor="bench")
    if not store.exists():
        started = time.perf_counter()
        print(f"building the township-scale store in {path} ...", flush=True)
        summary = build_demo(store, scale="township")
        print(f"  built in {time.perf_counter() - started:.1f} s: {summary}", flush=True)
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
