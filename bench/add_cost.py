"""Cost of `petition add` and of one status change on the township store, as the CLI pays them.

    python bench/add_cost.py [--rounds 15] [--store DIR]

Each round uses a fresh Store (no reader cache), as a `duty-room petition add` process does.

* ours: store.lifecycle.register / change_status;
* baseline: a plain TinyDB insert / update in a copy of the file each write changes (today's day
  file, the case's day file; petitions.json in a store of the old layout): what the locking,
  validation, journal and fsyncs add.
Works on a copy of the store. Uses only the store's public API (and write_cost.py's helpers):
copy both into an older checkout's bench/ to compare two versions of the store.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from common import DEFAULT_TOWNSHIP, median_ms, township_store
from tinydb import Query, TinyDB
from write_cost import case_file, worked_on

from store import clock
from store.lifecycle import change_status, register
from store.models import Petition, PetitionStatus
from store.storage import RECORDS, Store


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--store", type=Path, default=DEFAULT_TOWNSHIP)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        # A copy: the built store stays as built (the adds would pile up in today's file).
        store = Store(shutil.copytree(township_store(args.store).root, Path(tmp) / "township"), actor="bench")
        with store.transaction():  # a store of an older layout is rewritten by its first write: not measured
            pass
        active = store.all(Petition)
        community = active[0].community_id
        case = worked_on(store)
        # The files the two writes change, as they were before: where a new case goes, the case's own.
        legacy = store.root / "petitions.json"
        today = legacy if legacy.exists() else store.root / "petitions" / f"{clock.now().date().isoformat()}.json"
        add_file, change_file = Path(tmp) / "add.json", Path(tmp) / "change.json"
        if today.exists():
            shutil.copy(today, add_file)
        shutil.copy(case_file(store, case.id), change_file)
        adds, changes = [], []
        stamp = time.time_ns()
        for i in range(args.rounds):
            fresh = Store(store.root, actor="bench")
            started = time.perf_counter()
            register(
                fresh,
                {"title": f"bench {stamp} {i}", "channel": "hotline", "category": "other", "community_id": community},
            )
            adds.append(time.perf_counter() - started)
            fresh = Store(store.root, actor="bench")
            target = PetitionStatus.RESOLVED if i % 2 == 0 else PetitionStatus.IN_PROGRESS
            started = time.perf_counter()
            change_status(fresh, case.id, target, note="" if target is PetitionStatus.RESOLVED else "bench: redo")
            changes.append(time.perf_counter() - started)

        inserts, updates = [], []
        template = active[0].model_dump(mode="json")
        db = TinyDB(add_file)
        for i in range(args.rounds):
            started = time.perf_counter()
            db.table(RECORDS).insert({**template, "id": f"bench-{i}"})
            inserts.append(time.perf_counter() - started)
        db.close()
        db = TinyDB(change_file)
        for i in range(args.rounds):
            started = time.perf_counter()
            db.table(RECORDS).update({"status": "resolved" if i % 2 == 0 else "in_progress"}, Query().id == case.id)
            updates.append(time.perf_counter() - started)
        db.close()

    a, b = median_ms(adds), median_ms(inserts)
    c, d = median_ms(changes), median_ms(updates)
    print(
        f"petition add, fresh process:  {a:7.1f} ms   plain TinyDB insert, same file: {b:6.1f} ms   ratio {a / b:.2f}"
    )
    print(
        f"status change, fresh process: {c:7.1f} ms   plain TinyDB update, same file: {d:6.1f} ms   ratio {c / d:.2f}"
    )


if __name__ == "__main__":
    main()
