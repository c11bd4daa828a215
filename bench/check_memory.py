"""Peak memory of `duty-room check` at 10x the township's history, beside a same-run baseline.

    python bench/check_memory.py [--cases 200000]

The store is synthetic (written directly, not by the demo builder): ``--cases`` closed cases in
three yearly archives, each with an eight-event history and a description like the demo's.

* ours: ``check_store`` streams each file (ijson) and keeps only ids;
* baseline: ``Store.check()``, which validates through the reader cache and so keeps every
  validated record (what `duty-room check` did before).
Each runs in its own process; the figure is that process's peak RSS.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.synthetic import write_archives  # noqa: E402

FOLDER = Path("/tmp/duty-room-bench/check-10x")

MEASURE = """
import resource, sys, time
from store.storage import Store, check_store
started = time.perf_counter()
if sys.argv[2] == "ours":
    report = check_store(sys.argv[1])
    assert report.ok, report.findings[:3]
    records = report.records
else:
    records = len(Store(sys.argv[1]).check())  # files read
print(records, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, time.perf_counter() - started)
"""


def build(folder: Path, cases: int) -> int:
    if (folder / "manifest.json").exists():
        return sum(p.stat().st_size for p in folder.rglob("*.json"))
    years = (2023, 2024, 2025)
    return write_archives(folder, {year: cases // len(years) for year in years}, log=True)


def measure(folder: Path, which: str) -> tuple[int, float, float]:
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(folder), which], capture_output=True, text=True, check=True, cwd=ROOT
    )
    records, rss_kb, seconds = done.stdout.split()
    return int(records), int(rss_kb) / 1024, float(seconds)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=200_000)
    args = parser.parse_args()
    folder = FOLDER.with_name(f"{FOLDER.name}-{args.cases}")
    started = time.perf_counter()
    size = build(folder, args.cases)
    print(f"store: {args.cases} archived cases, {size / 1e6:.0f} MB ({time.perf_counter() - started:.0f} s)")
    ours = measure(folder, "ours")
    base = measure(folder, "baseline")
    print(f"ours (streaming check_store): {ours[0]} records, peak RSS {ours[1]:.0f} MB, {ours[2]:.1f} s")
    print(f"baseline (Store.check, keeps records): {base[0]} files, peak RSS {base[1]:.0f} MB, {base[2]:.1f} s")
    print(f"ratio: memory {ours[1] / base[1]:.3f}x, time {ours[2] / base[2]:.2f}x")


if __name__ == "__main__":
    main()
