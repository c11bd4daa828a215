"""Grid visits (网格走访): the 一表全清 roster, households of a grid, who is out today, and the
民情日志 entry that marks a visit done."""

# No `from __future__ import annotations`: string annotations cost each start (see store/models.py).
from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import NamedTuple

from .masking import mask_name
from .models import Grid, GridWorker, Household, SpecialTag, Visit, VisitPlan
from .refusal import Refused
from .storage import RecordNotFound, Store


def household_address(h: Household) -> str:
    """楼栋-单元-房号, as the grid's wall map writes it: 3-2-501."""
    return h.address


def case_address(building: str, unit: str, household: Household | None, *, reveal: bool) -> list[tuple[str, str]]:
    """Where a case is, below its grid, as (field, value): the 楼栋 and 单元 typed when it was
    registered, and the household it was raised at on a visit (楼栋-单元-房号 and the head's name,
    masked unless revealed). The dashboard's detail and `petition show` say the same."""
    shown = [(name, value) for name, value in (("building", building), ("unit", unit)) if value]
    if household is not None:
        head = household.head_name if reveal else mask_name(household.head_name)
        shown.append(("household", f"{household_address(household)} {head}"))
    return shown


def grids_below(grids: list[Grid], grid_id: str) -> set[str]:
    """The grid and every grid under it."""
    children: dict[str | None, list[str]] = defaultdict(list)
    for grid in grids:
        children[grid.parent_id].append(grid.id)
    found, stack = set(), [grid_id]
    while stack:
        current = stack.pop()
        if current not in found:
            found.add(current)
            stack.extend(children.get(current, []))
    return found


def grid_tree(grids: list[Grid], community_id: str | None = None) -> list[tuple[Grid, int]]:
    """(grid, depth) in tree order: 大网格 → 支部网格 → 微网格, siblings by id."""
    chosen = [g for g in grids if community_id is None or g.community_id == community_id]
    ids = {g.id for g in chosen}
    children: dict[str | None, list[Grid]] = defaultdict(list)
    for grid in chosen:  # a grid whose parent is missing is shown as a top grid, not lost
        children[grid.parent_id if grid.parent_id in ids else None].append(grid)
    out: list[tuple[Grid, int]] = []

    def walk(parent: str | None, depth: int) -> None:
        for grid in sorted(children.get(parent, []), key=lambda g: (g.community_id, g.id)):
            out.append((grid, depth))
            walk(grid.id, depth + 1)

    walk(None, 0)
    return out


class RosterEntry(NamedTuple):
    """One line of the 一表全清 roster: a grid with its people and households."""

    grid: Grid
    depth: int
    workers: tuple[GridWorker, ...]
    households: int  # in this grid and below
    special: dict[SpecialTag, int]  # special-population households, this grid and below


def roster(store: Store, community_id: str) -> list[RosterEntry]:
    grids = store.all(Grid)
    tree = grid_tree(grids, community_id)
    workers: dict[str, list[GridWorker]] = defaultdict(list)
    for worker in store.all(GridWorker):
        workers[worker.grid_id].append(worker)
    parents = {g.id: g.parent_id for g in grids}
    households: dict[str, int] = defaultdict(int)
    special: dict[str, dict[SpecialTag, int]] = defaultdict(lambda: defaultdict(int))
    for household in store.all(Household):
        grid_id: str | None = household.grid_id
        while grid_id is not None:  # roll up the tree
            households[grid_id] += 1
            for tag in household.tags:
                special[grid_id][tag] += 1
            grid_id = parents.get(grid_id)
    return [
        RosterEntry(
            grid,
            depth,
            tuple(sorted(workers[grid.id], key=lambda w: (w.role.value, w.id))),
            households[grid.id],
            dict(special[grid.id]),
        )
        for grid, depth in tree
    ]


class HouseholdVisit(NamedTuple):
    """A household in a grid, with today's plan and visit (if any)."""

    household: Household
    planned: bool
    worker: GridWorker | None  # who should visit today (the plan), or who did
    visit: Visit | None


def grid_households(
    store: Store, day: date, grid_id: str, *, special_unvisited_only: bool = False
) -> list[HouseholdVisit]:
    """The grid's households (and those below it): planned and not yet visited first, special
    households first within that, then the rest by address."""
    below = grids_below(store.all(Grid), grid_id)
    plans = {p.household_id: p for p in store.all(VisitPlan, day.isoformat()) if p.grid_id in below}
    visits = {v.household_id: v for v in store.all(Visit, day.isoformat())}
    workers = {w.id: w for w in store.all(GridWorker)}
    rows = []
    for household in store.all(Household):
        if household.grid_id not in below:
            continue
        visit = visits.get(household.id)
        if special_unvisited_only and (not household.tags or visit is not None):
            continue
        plan = plans.get(household.id)
        worker_id = visit.worker_id if visit else plan.worker_id if plan else None
        rows.append(HouseholdVisit(household, plan is not None, workers.get(worker_id or ""), visit))

    def order(row: HouseholdVisit) -> tuple[bool, bool, str, str, str, str]:
        h = row.household
        waiting = row.planned and row.visit is None
        return (not waiting, not h.tags, h.building, h.unit, h.room, h.id)

    return sorted(rows, key=order)


RECENT_VISIT_DAYS = 14  # a household's detail shows its 民情日志 of the last two weeks


def recent_visits(store: Store, household_id: str, today: date, days: int = RECENT_VISIT_DAYS) -> list[Visit]:
    """A household's visits from ``today`` back ``days`` days, newest first (the log is a file a day)."""
    found = []
    for offset in range(days):
        found += [
            v for v in store.all(Visit, (today - timedelta(days=offset)).isoformat()) if v.household_id == household_id
        ]
    return sorted(found, key=lambda v: v.at, reverse=True)


class WorkerDay(NamedTuple):
    """Who is out today: a grid worker's plan and logged visits for the day."""

    worker: GridWorker
    grid: str
    planned: int
    visited: int
    last_visit: datetime | None

    @property
    def out(self) -> bool:
        return self.visited > 0


def workers_today(store: Store, day: date) -> list[WorkerDay]:
    """Every worker with visits planned or logged today: those with nothing logged first."""
    grids = {g.id: g.name for g in store.all(Grid)}
    planned: dict[str, int] = defaultdict(int)
    for plan in store.all(VisitPlan, day.isoformat()):
        planned[plan.worker_id] += 1
    visited: dict[str, int] = defaultdict(int)
    last: dict[str, datetime] = {}
    for visit in store.all(Visit, day.isoformat()):
        visited[visit.worker_id] += 1
        last[visit.worker_id] = max(last.get(visit.worker_id, visit.at), visit.at)
    rows = [
        WorkerDay(w, grids.get(w.grid_id, w.grid_id), planned[w.id], visited[w.id], last.get(w.id))
        for w in store.all(GridWorker)
        if planned[w.id] or visited[w.id]
    ]
    return sorted(rows, key=lambda r: (r.out, -(r.planned - r.visited), r.worker.id))


def workers_out(store: Store, day: date) -> tuple[int, int]:
    """(workers with a visit logged on ``day``, workers with visits planned or logged on ``day``): the
    counts of ``workers_today`` from the day's plans and visits alone. The roster is not read: the
    dashboard's first frame needs only these two numbers, and validating a township's ~1,000 grid
    workers was ~60 million instructions of it. (A plan never names a worker who has left the
    roster, ``retire_worker`` hands it over or drops it; a visit logged by one who left later the
    same day is counted, as the visit was made.)"""
    expected = {plan.worker_id for plan in store.all(VisitPlan, day.isoformat())}
    out = {visit.worker_id for visit in store.all(Visit, day.isoformat())}
    return len(out), len(expected | out)


def record_visit(store: Store, household_id: str, worker_id: str, note: str, *, grid_id: str | None = None) -> Visit:
    """Mark a household visited today: the 民情日志 entry. Refused if the household was already
    visited today (the entry is shown instead of a second one), or the note is empty. ``grid_id``:
    the grid the household was listed under, where it is looked for first (one file, not every
    grid's); the visit takes the grid the household is in when it is written."""
    if not note.strip():
        raise Refused("visit_needs_note")
    with store.transaction() as tx:
        today = tx.now.date()
        try:
            household = tx.get(Household, household_id, likely=grid_id)
        except RecordNotFound:
            raise Refused("household_unknown", id=household_id) from None
        worker = next((w for w in tx.all(GridWorker) if w.id == worker_id), None)
        if worker is None:
            raise Refused("worker_unknown", id=worker_id)
        done = next((v for v in tx.all(Visit, today.isoformat()) if v.household_id == household_id), None)
        if done is not None:
            raise Refused("visit_twice", at=f"{done.at:%H:%M}")
        visit = Visit(
            id=f"vs-{today:%Y%m%d}-{household_id}",
            day=today,
            at=tx.now,
            grid_id=household.grid_id,
            household_id=household_id,
            worker_id=worker_id,
            note=note.strip(),
        )
        return tx.put(visit)
