"""Cost of one case status change on the township-scale store, beside two baselines.

    python bench/write_cost.py [--rounds 30]

* ours: store.lifecycle.change_status (flock, re-read, validate, atomic replace, fsync, manifest)
* baseline A: a plain TinyDB (default JSONStorage) update of one record when all 20,000 cases
  sit in one file, as a naive store would keep them;
* baseline B: a plain TinyDB update of one record in a copy of our active petitions file
  (same data size as ours: what the locking, validation and fsync add).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from common import folder_size, median_ms, township_store
from tinydb import Query, TinyDB

from store.lifecycle import change_status
from store.models import Petition, PetitionStatus
from store.storage import RECORDS


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    store = township_store()
    active = store.all(Petition)
    archived = sum(len(store.all(Petition, p)) for p in store.partitions(Petition))
    print(f"store: {len(active)} cases in petitions.json ({(store.root / 'petitions.json').stat().st_size / 1e6:.2f} MB), "
          f"{archived} archived, {folder_size(store.root) / 1e6:.1f} MB in all")

    # ours: alternate 办结 / 重办 on one case in progress, each a full locked transaction
    case = next(p for p in active if p.status is PetitionStatus.IN_PROGRESS)
    ours = []
    for i in range(args.rounds):
        target = PetitionStatus.RESOLVED if i % 2 == 0 else PetitionStatus.IN_PROGRESS
        started = time.perf_counter()
        change_status(store, case.id, target, note="" if target is PetitionStatus.RESOLVED else "bench: redo")
        ours.append(time.perf_counter() - started)

    with tempfile.TemporaryDirectory() as tmp:
        # baseline A: every case in one default TinyDB file
        everything = [p.model_dump(mode="json") for p in store.all_partitions(Petition)]
        one_file = Path(tmp) / "all.json"
        db = TinyDB(one_file)
        db.table(RECORDS).insert_multiple(everything)
        naive = _time_updates(db, case.id, args.rounds)
        size_a = one_file.stat().st_size
        db.close()
        # baseline B: the same active file ours rewrites, with plain TinyDB
        copy = Path(tmp) / "active.json"
        shutil.copy(store.path_for(Petition), copy)
        db = TinyDB(copy)
        plain_same = _time_updates(db, case.id, args.rounds)
        db.close()

    a, b, o = median_ms(naive), median_ms(plain_same), median_ms(ours)
    print(f"baseline A  plain TinyDB, all {len(everything)} cases in one file ({size_a / 1e6:.1f} MB): {a:8.1f} ms")
    print(f"baseline B  plain TinyDB, our active file only:                   {b:8.1f} ms")
    print(f"duty-room   change_status (lock+validate+atomic+fsync+manifest):  {o:8.1f} ms")
    print(f"ratio ours / A = {o / a:.2f}   ours / B = {o / b:.2f}   (median of {args.rounds})")


def _time_updates(db: TinyDB, case_id: str, rounds: int) -> list[float]:
    table = db.table(RECORDS)
    samples = []
    for i in range(rounds):
        started = time.perf_counter()
        table.update({"status": "resolved" if i % 2 == 0 else "in_progress"}, Query().id == case_id)
        samples.append(time.perf_counter() - started)
    return samples


if __name__ == "__main__":
    main()
