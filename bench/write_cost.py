"""Cost of one case status change on the township-scale store, beside baselines of the same run.

    python bench/write_cost.py [--rounds 30] [--store DIR]

* ours: store.lifecycle.change_status (flock, re-read, validate, journaled atomic replace with
  fsyncs, manifest) on a case being worked on in the township store;
* baseline D: the same change on the demo store (~40 live cases). Issue 13: the cost of a write
  must not grow with the number of cases open or recently closed, so township / demo should be
  near 1. The two stores take turns, round by round, so the machine's noise falls on both alike.
  Measured twice: one desk alone (its cache is warm), and two desks taking turns on the case
  (each write follows the other desk's, as at a real duty room: the file changed under the cache);
* baseline A: a plain TinyDB (default JSONStorage) update of one record when all 20,000 cases
  sit in one file, as a naive store would keep them;
* baseline B: a plain TinyDB update of one record in a copy of the file our write rewrites.

The script uses only the store's public API, so it runs unchanged in an older checkout (copy it
into that checkout's bench/ and run it there, with a store of that checkout's layout).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

import orjson
from common import DEFAULT_TOWNSHIP, folder_size, median_ms, township_store
from tinydb import Query, TinyDB

from store.demo import build_demo
from store.lifecycle import change_status
from store.models import Petition, PetitionStatus
from store.storage import RECORDS, Store

S = PetitionStatus


def live_files(store: Store) -> dict[Path, list[str]]:
    """The files of live cases (petitions.json, or the day files petitions/2026-11-28.json) and their ids."""
    candidates = [store.root / "petitions.json", *sorted((store.root / "petitions").glob("[0-9]*.json"))]
    return {
        path: [doc["id"] for doc in orjson.loads(path.read_bytes())[RECORDS].values()]
        for path in candidates
        if path.exists()
    }


def case_file(store: Store, case_id: str) -> Path:
    return next(path for path, ids in live_files(store).items() if case_id in ids)


class Desk:
    """One status change at a time on one case, alternating 办结 / 重办, through the given stores in turn."""

    def __init__(self, stores: list[Store], case_id: str):
        self.stores = stores
        self.case_id = case_id
        self.turn = 0
        self.samples: list[float] = []

    def write(self) -> None:
        store = self.stores[self.turn % len(self.stores)]
        target = S.RESOLVED if self.turn % 2 == 0 else S.IN_PROGRESS
        started = time.perf_counter()
        change_status(store, self.case_id, target, note="" if target is S.RESOLVED else "bench: redo")
        self.samples.append(time.perf_counter() - started)
        self.turn += 1


def worked_on(store: Store) -> Petition:
    """A case being worked on, from the file holding the most live cases (the busiest day); of
    those, the one with the shortest history (each write adds an event, and costs with its length)."""
    working = {p.id: p for p in store.all(Petition) if p.status is S.IN_PROGRESS}
    busiest = max((ids for ids in live_files(store).values() if working.keys() & set(ids)), key=len)
    return min((working[i] for i in busiest if i in working), key=lambda p: (len(p.history), p.id))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--store", type=Path, default=DEFAULT_TOWNSHIP)
    args = parser.parse_args()
    rounds = args.rounds + args.rounds % 2  # even: each case ends as it began
    with tempfile.TemporaryDirectory() as tmp:
        # A copy: the built store stays as built, so every run changes a case with the same history.
        town = Store(shutil.copytree(township_store(args.store).root, Path(tmp) / "township"), actor="bench")
        demo = Store(Path(tmp) / "demo", actor="bench")
        build_demo(demo)
        town_case, demo_case = worked_on(town), worked_on(demo)
        # The first write of a store written by an older duty-room rewrites its layout: not measured.
        change_status(town, town_case.id, S.RESOLVED)
        change_status(town, town_case.id, S.IN_PROGRESS, note="bench: redo")
        active, size = len(town.all(Petition)), case_file(town, town_case.id).stat().st_size
        archived = sum(len(town.all(Petition, p)) for p in town.partitions(Petition) if p.startswith("archive-"))
        print(
            f"township: {active} live cases; the case's file {case_file(town, town_case.id).name} is "
            f"{size / 1000:.0f} KB; {archived} archived; {folder_size(town.root) / 1e6:.1f} MB in all"
        )
        print(
            f"demo:     {len(demo.all(Petition))} live cases; the case's file "
            f"{case_file(demo, demo_case.id).name} is {case_file(demo, demo_case.id).stat().st_size / 1000:.0f} KB"
        )

        results = {}
        for scenario, desks in (("one desk", 1), ("two desks taking turns", 2)):
            ours = Desk([Store(town.root, actor=f"desk{i}") for i in range(desks)], town_case.id)
            base = Desk([Store(demo.root, actor=f"desk{i}") for i in range(desks)], demo_case.id)
            for desk in (ours, base):  # a first write per desk warms its cache, as a running dashboard's is
                for _ in range(desks * 2):
                    desk.write()
                desk.samples.clear()
            for i in range(rounds):
                for desk in (ours, base) if i % 2 == 0 else (base, ours):
                    desk.write()
            results[scenario] = (median_ms(ours.samples), median_ms(base.samples))

        town_file = case_file(town, town_case.id)
        everything = [p.model_dump(mode="json") for p in town.all_partitions(Petition)]
        # baseline A: every case in one default TinyDB file
        one_file = Path(tmp) / "all.json"
        db = TinyDB(one_file)
        db.table(RECORDS).insert_multiple(everything)
        naive = _time_updates(db, town_case.id, rounds)
        size_a = one_file.stat().st_size
        db.close()
        # baseline B: the same file ours rewrites, with plain TinyDB
        copy = Path(tmp) / "copy.json"
        shutil.copy(town_file, copy)
        db = TinyDB(copy)
        plain_same = _time_updates(db, town_case.id, rounds)
        db.close()

    a, b = median_ms(naive), median_ms(plain_same)
    print(f"baseline A  plain TinyDB, all {len(everything)} cases in one file ({size_a / 1e6:.1f} MB): {a:8.1f} ms")
    print(f"baseline B  plain TinyDB, the file ours rewrites ({town_file.name}):        {b:8.1f} ms")
    for scenario, (o, d) in results.items():
        print(
            f"{scenario:24s} township {o:6.1f} ms   demo (baseline D) {d:6.1f} ms   "
            f"township / demo = {o / d:.2f}   / A = {o / a:.3f}   / B = {o / b:.2f}"
        )
    print(f"(medians of {rounds} each)")


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
