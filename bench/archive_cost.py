"""Cost of a write that moves closed cases to the archive: month archives beside year archives.

    python bench/archive_cost.py [--rounds 5] [--store DIR]

A case closed more than 30 days ago leaves its day file with the next write, which reads,
validates and rewrites the archive it goes to. Archives were by year (archive-2026.json: 9 MB on
the township store, 90 MB at ten times the intake); they are by month now (archive-2026-10.json).
Both layouts are made from a copy of the bench store (its archives regrouped by year or by month,
as raw JSON), and the same writes are timed on each, taking turns, the clock frozen one day on so
that a day's closings are due:

* cold: the first write of a fresh Store (a CLI process, or a dashboard's first write that day);
* warm: the next write of that Store six hours later, moving the closings of those six hours.

The year layout is timed with the code's old rule patched in (archive_partition by year).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from collections import defaultdict
from datetime import timedelta
from pathlib import Path
from typing import Any

import orjson
from common import DEFAULT_TOWNSHIP, median_ms, township_store
from write_cost import worked_on

from store import clock, storage
from store.lifecycle import change_status
from store.models import Petition, PetitionStatus
from store.storage import META, RECORDS, Store

S = PetitionStatus
RULES = {
    "year": lambda petition: f"archive-{petition.closed_at.year}",
    "month": storage.archive_partition,
}


def regroup_archives(root: Path, width: int) -> None:
    """Rewrite every archive file as one file per ``closed_at[:width]`` (4: year, 7: month)."""
    folder = root / Petition.table
    manifest = orjson.loads((root / storage.MANIFEST).read_bytes())
    groups: dict[str, list[Any]] = defaultdict(list)
    for path in sorted(folder.glob("archive-*.json")):
        for doc in orjson.loads(path.read_bytes())[RECORDS].values():
            groups[doc["closed_at"][:width]].append(doc)
        path.unlink()
        manifest["files"].pop(f"{Petition.table}/{path.name}", None)
    for key, docs in groups.items():
        name = f"archive-{key}.json"
        body = {
            RECORDS: {str(i): doc for i, doc in enumerate(docs, 1)},
            META: {"1": {"schema": storage.SCHEMA_VERSION, "generation": 1, "table": Petition.table}},
        }
        (folder / name).write_bytes(orjson.dumps(body))
        manifest["files"][f"{Petition.table}/{name}"] = 1
    (root / storage.MANIFEST).write_bytes(orjson.dumps(manifest))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--store", type=Path, default=DEFAULT_TOWNSHIP)
    args = parser.parse_args()
    base = township_store(args.store).root
    real_rule = storage.archive_partition
    start = clock.now() + timedelta(days=1)
    samples: dict[tuple[str, str], list[float]] = defaultdict(list)
    moved: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="duty-room-archive-") as tmp:
        prepared = {}
        for layout, width in (("year", 4), ("month", 7)):
            prepared[layout] = shutil.copytree(base, Path(tmp) / f"prepared-{layout}")
            regroup_archives(prepared[layout], width)
        biggest = {
            layout: max((p.stat().st_size for p in (root / Petition.table).glob("archive-*.json")), default=0)
            for layout, root in prepared.items()
        }
        for round_ in range(args.rounds):
            for layout in ("year", "month") if round_ % 2 == 0 else ("month", "year"):
                root = shutil.copytree(prepared[layout], Path(tmp) / f"round-{round_}-{layout}")
                storage.archive_partition = RULES[layout]  # type: ignore[assignment]
                try:
                    store = Store(root, actor="bench")
                    case = worked_on(store)
                    before = len(store.all(Petition))
                    clock.freeze(start)
                    started = time.perf_counter()
                    change_status(store, case.id, S.RESOLVED)
                    samples[(layout, "cold")].append(time.perf_counter() - started)
                    clock.freeze(start + timedelta(hours=6))
                    started = time.perf_counter()
                    change_status(store, case.id, S.IN_PROGRESS, note="bench: redo")
                    samples[(layout, "warm")].append(time.perf_counter() - started)
                    moved[layout] = before - len(Store(root).all(Petition))
                finally:
                    storage.archive_partition = real_rule
                    clock.unfreeze()
                shutil.rmtree(root)
    print(
        f"biggest archive file: by year {biggest['year'] / 1e6:.1f} MB, by month {biggest['month'] / 1e6:.1f} MB; "
        f"cases moved by the two writes: {moved}"
    )
    for step in ("cold", "warm"):
        year, month = median_ms(samples[("year", step)]), median_ms(samples[("month", step)])
        print(
            f"{step}: archives by year {year:8.1f} ms   by month {month:8.1f} ms   month / year = {month / year:.2f}"
            f"  (median of {args.rounds})"
        )


if __name__ == "__main__":
    main()
