"""Keeping the roster current between imports: the store side of the dashboard's small forms.

Add, edit or retire a grid worker; move a household to another grid; plan a grid's visits for a
day by rule; add or change a 一老一小 schedule. Each is one store transaction (checked under the
lock, all or nothing) and refuses with a reason (``Refused``) instead of writing something the
import would reject: the same referential rules as store/workbook.py. These records carry no
history list of their own, so the record's ``updated_by`` / ``updated_at`` stamp (set by the store)
is their trail.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from .models import (
    Community,
    Grid,
    GridWorker,
    Household,
    Record,
    ServiceSchedule,
    Stall,
    Visit,
    VisitPlan,
    WorkerRole,
)
from .refusal import Refused
from .storage import Store, Transaction
from .visiting import grids_below

# Who visits a household when a plan is made: the worker closest to it, micro-grid worker first.
VISITOR_ROLES = (WorkerRole.MICRO_WORKER, WorkerRole.GRID_WORKER, WorkerRole.GRID_CHIEF)
PLAN_AHEAD_DAYS = 60  # how far ahead plans are moved with a retired worker or a moved household


def known_list(records: Iterable[Record], limit: int = 8) -> str:
    """``dongcheng 东城花园社区, yulan 玉兰社区, …``: what an unknown id could have been."""
    shown = []
    for record in records:
        name = getattr(record, "name", None) or getattr(record, "title", None)
        if isinstance(record, Household | GridWorker):
            name = None  # personal data stays out of messages
        if isinstance(record, Stall):
            name = f"{record.market}{record.number}号"
        shown.append(f"{record.id} {name}" if name else record.id)
    if not shown:
        return "—"
    return ", ".join(shown[:limit]) + (", …" if len(shown) > limit else "")


def _grid(tx: Transaction, grid_id: str) -> Grid:
    grids = tx.all(Grid)
    found = next((g for g in grids if g.id == grid_id), None)
    if found is None:
        raise Refused("grid_unknown", id=grid_id, known=known_list(grids))
    return found


def _worker(tx: Transaction, worker_id: str) -> GridWorker:
    workers = tx.all(GridWorker)
    found = next((w for w in workers if w.id == worker_id), None)
    if found is None:
        raise Refused("worker_unknown", id=worker_id)
    return found


def _phone_free(tx: Transaction, phone: str, worker_id: str) -> None:
    other = next((w for w in tx.all(GridWorker) if w.phone == phone.strip() and w.id != worker_id), None)
    if other is not None:
        raise Refused("phone_taken", id=other.id)


def new_id(prefix: str, *parts: object) -> str:
    return f"{prefix}-{hashlib.sha1(repr(parts).encode()).hexdigest()[:10]}"


def add_worker(store: Store, *, name: str, role: WorkerRole, phone: str, grid_id: str,
               worker_id: str | None = None) -> GridWorker:
    with store.transaction() as tx:
        _grid(tx, grid_id)
        _phone_free(tx, phone, worker_id or "")
        record_id = worker_id or new_id("w", phone)
        if any(w.id == record_id for w in tx.all(GridWorker)):
            raise Refused("id_taken", id=record_id)
        return tx.put(GridWorker(id=record_id, name=name, role=role, phone=phone, grid_id=grid_id))


def edit_worker(store: Store, worker_id: str, *, name: str | None = None, role: WorkerRole | None = None,
                phone: str | None = None, grid_id: str | None = None) -> GridWorker:
    """Change what is given; a worker moved to another grid keeps their planned visits."""
    with store.transaction() as tx:
        worker = _worker(tx, worker_id)
        if grid_id is not None:
            _grid(tx, grid_id)
        if phone is not None:
            _phone_free(tx, phone, worker_id)
        changes = {k: v for k, v in {"name": name, "role": role, "phone": phone, "grid_id": grid_id}.items()
                   if v is not None}
        return tx.put(GridWorker.model_validate({**worker.model_dump(), **changes}))


def _future_plans(tx: Transaction, today: date) -> list[tuple[str, VisitPlan]]:
    plans: list[tuple[str, VisitPlan]] = []
    for offset in range(PLAN_AHEAD_DAYS + 1):
        partition = (today + timedelta(days=offset)).isoformat()
        plans.extend((partition, p) for p in tx.all(VisitPlan, partition))
    return plans


def retire_worker(store: Store, worker_id: str, today: date, *, hand_over_to: str | None = None) -> int:
    """Take a worker off the roster. Their plans from today on go to ``hand_over_to``; without
    one, a worker who still has plans is refused. Returns how many plans were handed over.
    Past visits keep the worker's id (the 民情日志 says who went)."""
    with store.transaction() as tx:
        _worker(tx, worker_id)
        successor = _worker(tx, hand_over_to) if hand_over_to is not None else None
        if successor is not None and successor.id == worker_id:
            raise Refused("hand_over_self")
        theirs = [(part, p) for part, p in _future_plans(tx, today) if p.worker_id == worker_id]
        if theirs and successor is None:
            raise Refused("worker_has_plans", n=len(theirs))
        for partition, plan in theirs:
            assert successor is not None
            tx.put(plan.model_copy(update={"worker_id": successor.id}), partition)
        tx.delete(GridWorker, worker_id)
        return len(theirs)


def visitor_for(grid_id: str, grids: dict[str, Grid], workers: list[GridWorker]) -> GridWorker | None:
    """The worker who visits a household of ``grid_id``: that grid's micro-grid worker, grid worker
    or chief, else the same up the tree."""
    by_grid: dict[str, list[GridWorker]] = defaultdict(list)
    for worker in workers:
        by_grid[worker.grid_id].append(worker)
    current: str | None = grid_id
    while current is not None:
        for role in VISITOR_ROLES:
            found = sorted((w for w in by_grid[current] if w.role is role), key=lambda w: w.id)
            if found:
                return found[0]
        grid = grids.get(current)
        current = grid.parent_id if grid is not None else None
    return None


def move_household(store: Store, household_id: str, grid_id: str, today: date) -> Household:
    """Move a household to another grid; its plans from today on go to the new grid's visitor."""
    with store.transaction() as tx:
        household = next((h for h in tx.all(Household) if h.id == household_id), None)
        if household is None:
            raise Refused("household_unknown", id=household_id)
        _grid(tx, grid_id)
        if household.grid_id == grid_id:
            raise Refused("same_grid")
        visitor = visitor_for(grid_id, {g.id: g for g in tx.all(Grid)}, tx.all(GridWorker))
        for partition, plan in _future_plans(tx, today):
            if plan.household_id == household_id:
                if visitor is None:
                    tx.delete(VisitPlan, plan.id, partition)
                else:
                    tx.put(plan.model_copy(update={"grid_id": grid_id, "worker_id": visitor.id}), partition)
        return tx.put(household.model_copy(update={"grid_id": grid_id}))


def plan_visits(store: Store, grid_id: str, day: date, *, special_every_days: int = 7,
                others_every_days: int = 30) -> list[VisitPlan]:
    """Plan ``day``'s visits for a grid and the grids below it, by rule: a household with a special
    tag (独居, 残疾, …) when it has not been visited for ``special_every_days``, any other when not for
    ``others_every_days``. Households already planned that day are left as they are; each plan goes
    to the visitor of the household's own grid. Returns the plans added."""
    if not 1 <= special_every_days <= others_every_days <= 366:
        raise Refused("plan_rule", special=special_every_days, others=others_every_days)
    with store.transaction() as tx:
        _grid(tx, grid_id)
        grids = {g.id: g for g in tx.all(Grid)}
        below = grids_below(list(grids.values()), grid_id)
        households = [h for h in tx.all(Household) if h.grid_id in below]
        last_visit: dict[str, date] = {}
        for offset in range(1, others_every_days + 1):  # the visit log, one file a day
            for visit in tx.all(Visit, (day - timedelta(days=offset)).isoformat()):
                last_visit.setdefault(visit.household_id, visit.day)
        partition = day.isoformat()
        planned = {p.household_id for p in tx.all(VisitPlan, partition)}
        workers = tx.all(GridWorker)
        added = []
        for household in sorted(households, key=lambda h: h.id):
            if household.id in planned:
                continue
            every = special_every_days if household.tags else others_every_days
            last = last_visit.get(household.id)
            if last is not None and (day - last).days < every:
                continue
            visitor = visitor_for(household.grid_id, grids, workers)
            if visitor is None:
                continue  # nobody to send: the 一表全清 roster shows the gap
            plan = VisitPlan(id=f"vp-{day:%Y%m%d}-{household.id}"[:40], day=day, grid_id=household.grid_id,
                             household_id=household.id, worker_id=visitor.id, tags=list(household.tags))
            added.append(tx.put(plan))
        return added


def put_schedule(store: Store, schedule: ServiceSchedule) -> ServiceSchedule:
    """Add a 一老一小 schedule, or change one (same id). The community and households must exist."""
    with store.transaction() as tx:
        communities = tx.all(Community)
        if not any(c.id == schedule.community_id for c in communities):
            raise Refused("community_unknown", id=schedule.community_id, known=known_list(communities))
        known = {h.id for h in tx.all(Household)} if schedule.household_ids else set()
        missing = [h for h in schedule.household_ids if h not in known]
        if missing:
            raise Refused("household_unknown", id=", ".join(missing[:5]))
        return tx.put(schedule)


