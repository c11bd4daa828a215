"""Cost of `petition add` and of one status change on the township store, as the CLI pays them.

    python bench/add_cost.py [--rounds 15] [--store DIR]

Each round uses a fresh Store (no reader cache), as a `duty-room petition add` process does.

* ours: store.lifecycle.register / change_status;
* baseline: a plain TinyDB insert / update in a copy of the same active petitions file (what the
  locking, validation, journal and fsyncs add).
Run it with PYTHONPATH pointing at another checkout to compare two versions of the store.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from common import DEFAULT_TOWNSHIP, median_ms, township_store
from tinydb import Query, TinyDB

from store.lifecycle import change_status, register
from store.models import Petition, PetitionStatus
from store.storage import RECORDS, Store


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--store", type=Path, default=DEFAULT_TOWNSHIP)
    args = parser.parse_args()
    store = township_store(args.store)
    active = store.all(Petition)
    community = active[0].community_id
    adds, changes = [], []
    case = next(p for p in active if p.status is PetitionStatus.IN_PROGRESS)
    stamp = time.time_ns()
    for i in range(args.rounds):
        fresh = Store(store.root, actor="bench")
        started = time.perf_counter()
        register(fresh, {"title": f"bench {stamp} {i}", "channel": "hotline", "category": "other",
                         "community_id": community})
        adds.append(time.perf_counter() - started)
        fresh = Store(store.root, actor="bench")
        target = PetitionStatus.RESOLVED if i % 2 == 0 else PetitionStatus.IN_PROGRESS
        started = time.perf_counter()
        change_status(fresh, case.id, target, note="" if target is PetitionStatus.RESOLVED else "bench: redo")
        changes.append(time.perf_counter() - started)
    if args.rounds % 2:
        change_status(store, case.id, PetitionStatus.IN_PROGRESS, note="bench: redo")

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "active.json"
        shutil.copy(store.path_for(Petition), copy)
        db = TinyDB(copy)
        table = db.table(RECORDS)
        inserts, updates = [], []
        template = active[0].model_dump(mode="json")
        for i in range(args.rounds):
            started = time.perf_counter()
            table.insert({**template, "id": f"bench-{i}"})
            inserts.append(time.perf_counter() - started)
            started = time.perf_counter()
            table.update({"status": "resolved" if i % 2 == 0 else "in_progress"}, Query().id == case.id)
            updates.append(time.perf_counter() - started)
        db.close()

    a, b = median_ms(adds), median_ms(inserts)
    c, d = median_ms(changes), median_ms(updates)
    print(f"petition add, fresh process:  {a:7.1f} ms   plain TinyDB insert, same file: {b:6.1f} ms   ratio {a / b:.2f}")
    print(f"status change, fresh process: {c:7.1f} ms   plain TinyDB update, same file: {d:6.1f} ms   ratio {c / d:.2f}")


if __name__ == "__main__":
    main()
