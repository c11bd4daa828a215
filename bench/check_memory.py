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
from datetime import datetime, timedelta
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from store import storage  # noqa: E402
from store.models import Petition, PetitionEvent, PetitionStatus  # noqa: E402

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
    (folder / "petitions").mkdir(parents=True, exist_ok=True)
    files = {}
    years = (2023, 2024, 2025)
    per_year = cases // len(years)
    total = 0
    for year in years:
        closed = datetime.fromisoformat(f"{year}-06-15T10:00:00+08:00")
        template = Petition(
            id="X", title="小区路灯损坏多日无人维修", description="居民反映小区东门路灯损坏，夜间出行不便。" * 4,
            channel="hotline", category="infrastructure", community_id="dongcheng", status=PetitionStatus.CLOSED,
            created_at=closed - timedelta(days=3), due_at=closed, closed_at=closed, reporter_name="李小明",
            reporter_phone="13812341234", assignee="综合执法队",
            history=[PetitionEvent(at=closed - timedelta(days=3, hours=-i), actor="duty-officer", action="accept",
                                   note="已联系物业公司处理") for i in range(8)],
        ).model_dump(mode="json")
        records = {str(i + 1): {**template, "id": f"MK{year % 100:02d}0101-{i:06d}"} for i in range(per_year)}
        meta = {"1": {"schema": storage.SCHEMA_VERSION, "generation": 1, "table": "petitions"}}
        payload = orjson.dumps({"records": records, "_meta": meta})
        (folder / "petitions" / f"archive-{year}.json").write_bytes(payload)
        files[f"petitions/archive-{year}.json"] = 1
        total += len(payload)
        del records, payload
        print(f"  archive-{year}: {per_year} cases", flush=True)
    (folder / "manifest.json").write_bytes(orjson.dumps({"schema": storage.SCHEMA_VERSION, "generation": 1,
                                                         "files": files}))
    return total


def measure(folder: Path, which: str) -> tuple[int, float, float]:
    done = subprocess.run([sys.executable, "-c", MEASURE, str(folder), which], capture_output=True, text=True,
                          check=True, cwd=ROOT)
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
