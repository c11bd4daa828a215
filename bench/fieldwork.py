"""Panels 2-4 on the township-scale store: write costs beside plain TinyDB, and the reads a
reload and a drill-down make beside the petitions desk's own reads.

    python bench/fieldwork.py [--rounds 30]

Writes (median of --rounds, each a full locked transaction: flock, re-read, validate, atomic
replace with fsync, manifest):
* record_visit into today's visits file (~1,500 visits a day), beside a plain TinyDB insert into
  a copy of the same file;
* record_payment into this year's payments file, beside a plain TinyDB insert into a copy of it;
* move_household (roster: a household to another grid) on a copy of the store, beside plain TinyDB
  moving the record between copies of the two grids' files (households/<grid>.json, the files the
  move rewrites), and beside a plain TinyDB update of one record in a copy of the whole register in
  one file, as households.json kept it before schema 3 (10 MB on the township store).

Reads (median, warm: the store's per-file cache is what a running dashboard has):
* the whole dashboard reload, and the parts issue 4 added to it (stall roster with fee totals,
  who is out, the 一老一小 timeline and the next session), beside open_petitions — the read the
  dashboard already made for panel 1;
* a large grid's household list and a community's 一表全清 roster, beside reading the households.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import orjson
from common import median_ms, timed, township_store
from tinydb import TinyDB

from store import clock
from store.deadlines import DeadlineRules
from store.market import month_key, record_payment, stall_roster
from store.models import Grid, GridLevel, Household, Stall, StallPayment, Visit
from store.queries import dashboard, open_petitions, todays_schedule
from store.roster import move_household
from store.schedule import upcoming
from store.storage import RECORDS, Store
from store.visiting import grid_households, record_visit, roster, workers_today


def plain_inserts(path: Path, record: dict, rounds: int) -> list[float]:
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "copy.json"
        shutil.copy(path, copy)
        db = TinyDB(copy)
        table = db.table(RECORDS)
        samples = []
        for i in range(rounds):
            started = time.perf_counter()
            table.insert({**record, "id": f"{record['id']}-{i}"})
            samples.append(time.perf_counter() - started)
        db.close()
    return samples


def plain_moves(store: Store, household_id: str, home: str, away: str, tmp: Path, rounds: int) -> list[float]:
    """A household moved back and forth between copies of its two grids' files, plain TinyDB: taken
    out of one file and put in the other (each an in-place rewrite, no lock, no fsync)."""
    files = {
        grid: TinyDB(shutil.copy(store.path_for(Household, grid), tmp / f"plain-{grid}.json")) for grid in (home, away)
    }
    tables = {grid: db.table(RECORDS) for grid, db in files.items()}
    where = next(grid for grid, table in tables.items() if any(d["id"] == household_id for d in table.all()))

    def move() -> None:
        nonlocal where
        to = away if where == home else home
        (doc,) = tables[where].search(lambda d: d["id"] == household_id)
        tables[where].remove(doc_ids=[doc.doc_id])
        tables[to].insert({**doc, "grid_id": to})
        where = to

    samples = timed(move, rounds)
    for db in files.values():
        db.close()
    return samples


def plain_update_in_one_file(
    store: Store, household_id: str, home: str, away: str, tmp: Path, rounds: int
) -> list[float]:
    """The register as one file (every household, as households.json kept it before schema 3): a
    plain TinyDB update of one record's grid."""
    records = {str(n): h.model_dump(mode="json") for n, h in enumerate(store.all(Household), start=1)}
    path = tmp / "households.json"
    path.write_bytes(orjson.dumps({RECORDS: records}))
    plain = TinyDB(path)
    table = plain.table(RECORDS)
    doc_id = next(d.doc_id for d in table.all() if d["id"] == household_id)
    grids = iter([home, away] * rounds)
    samples = timed(lambda: table.update({"grid_id": next(grids)}, doc_ids=[doc_id]), rounds)
    plain.close()
    return samples


def line(name: str, ours: list[float], base_name: str, base: list[float]) -> None:
    o, b = median_ms(ours), median_ms(base)
    print(f"{name:<44} {o:8.1f} ms   {base_name:<44} {b:8.1f} ms   ratio {o / b:5.2f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    rounds = args.rounds
    store = township_store()
    now = clock.now()
    today = now.date()
    calendar = DeadlineRules()
    visits_file = store.path_for(Visit, today.isoformat())
    print(
        f"today's visits: {len(store.all(Visit, today.isoformat()))} in {visits_file.name} "
        f"({visits_file.stat().st_size / 1e6:.2f} MB); households: {len(store.all(Household))}"
    )

    # -- writes ---------------------------------------------------------------------------
    visited = {v.household_id for v in store.all(Visit, today.isoformat())}
    fresh = [h for h in store.all(Household) if h.id not in visited][:rounds]
    worker = store.all(Visit, today.isoformat())[0].worker_id
    homes = iter(fresh)
    ours_visit = timed(
        lambda: record_visit(
            store, (home := next(homes)).id, worker, "bench: 入户走访，一切正常", grid_id=home.grid_id
        ),
        rounds,
    )
    sample_visit = store.all(Visit, today.isoformat())[-1].model_dump(mode="json")
    line(
        "record_visit (today's visits file)",
        ours_visit,
        "plain TinyDB insert, same file",
        plain_inserts(store.path_for(Visit, today.isoformat()), sample_visit, rounds),
    )

    held = [s for s in store.all(Stall) if s.holder_name and s.monthly_fee_fen]
    # One fen at a time into next month (paid in advance), so every round is a legal new payment.
    target = held[0]
    period = month_key(today.replace(day=28) + timedelta(days=5))
    payments_file = store.path_for(StallPayment, period[:4])
    already = sum(
        p.amount_fen for p in store.all(StallPayment, period[:4]) if p.stall_id == target.id and p.period == period
    )
    if already + rounds > target.monthly_fee_fen // 2:
        raise SystemExit(f"the bench stall has {period} nearly paid: delete {store.root} to rebuild the bench store")
    ours_pay = timed(lambda: record_payment(store, target.id, period, 1, "bench"), rounds)
    sample_pay = store.all(StallPayment, period[:4])[-1].model_dump(mode="json")
    # Paid a month ahead: in December that is next year's file, with only these rounds in it.
    held_now = len(store.all(StallPayment, period[:4]))
    line(
        f"record_payment ({period[:4]}'s payments file, {held_now})",
        ours_pay,
        "plain TinyDB insert, same file",
        plain_inserts(payments_file, sample_pay, rounds),
    )

    with tempfile.TemporaryDirectory() as tmp:
        copy = Store(shutil.copytree(store.root, Path(tmp) / "store"), actor="bench")
        household = copy.all(Household)[100]
        grids = {g.id: g for g in copy.all(Grid)}
        home = grids[household.grid_id]
        leaves = {g.parent_id for g in grids.values()}
        away = next(
            g for g in grids.values() if g.community_id == home.community_id and g.id not in leaves and g.id != home.id
        )
        started = time.perf_counter()
        move_household(Store(copy.root, actor="bench"), household.id, away.id, today)  # a fresh Store: a CLI process
        cold = time.perf_counter() - started
        moves = iter([home.id, away.id] * rounds)
        ours_move = timed(lambda: move_household(copy, household.id, next(moves), today), min(rounds, 10))
        plain_move = plain_moves(copy, household.id, home.id, away.id, Path(tmp), min(rounds, 10))
        one_file = plain_update_in_one_file(copy, household.id, home.id, away.id, Path(tmp), min(rounds, 10))
    line("move_household (two grid files, warm)", ours_move, "plain TinyDB move, the same two files", plain_move)
    line("move_household (two grid files, warm)", ours_move, "plain TinyDB update, the register in 1 file", one_file)
    print(f"  move_household with a fresh Store (cold): {cold * 1000:.0f} ms")

    # -- reads ----------------------------------------------------------------------------
    dashboard(store, now)  # warm the per-file caches, as a running dashboard has them
    base = timed(lambda: open_petitions(store, now), rounds)
    line(
        "dashboard reload (all four panels)",
        timed(lambda: dashboard(store, now), rounds),
        "open_petitions (panel 1's read)",
        base,
    )
    line("  stall roster + fee totals", timed(lambda: stall_roster(store, today), rounds), "open_petitions", base)
    line("  who is out today", timed(lambda: workers_today(store, today), rounds), "open_petitions", base)
    line(
        "  一老一小 timeline + next session",
        timed(lambda: (todays_schedule(store, now, calendar), upcoming(store, now, calendar)), rounds),
        "open_petitions",
        base,
    )

    large = next(g for g in store.all(Grid) if g.level is GridLevel.LARGE)
    # Baseline: one pass over the (cached) households, the least any per-grid list must do.
    one_pass = timed(lambda: [h for h in store.all(Household) if h.grid_id == large.id], rounds)
    line(
        f"households of large grid {large.id}",
        timed(lambda: grid_households(store, today, large.id), rounds),
        "one pass over 40,000 households",
        one_pass,
    )
    line(
        f"roster (一表全清) of {large.community_id}",
        timed(lambda: roster(store, large.community_id), rounds),
        "one pass over 40,000 households",
        one_pass,
    )
    rows = len(grid_households(store, today, large.id))
    print(
        f"(the large grid has {rows} households; median of {rounds}; "
        f"spread of the reload: {statistics.pstdev(timed(lambda: dashboard(store, now), 5)) * 1000:.1f} ms)"
    )


if __name__ == "__main__":
    main()
