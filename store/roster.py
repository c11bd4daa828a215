"""Keeping the roster current between imports: the store side of the dashboard's small forms.

Add, edit or retire a grid worker; move a household to another grid; plan a grid's visits for a
day by rule; add or change a 一老一小 schedule. Each is one store transaction (checked under the
lock, all or nothing) and refuses with a reason (``Refused``) instead of writing something the
import would reject: the same referential rules as store/workbook.py.

Each change goes into the record's own history (``RosterEvent``: who, when, what: the fields as
they were and became, a phone masked, and the visit plans that went with it). A retired worker
is not deleted: the record moves to workers/retired.json with its history, out of every roster
reader's way. A visit plan is a new record each time, stamped with who made it and when.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from pydantic import ValidationError

from . import i18n
from .clock import at
from .i18n import Lang
from .masking import mask_phone
from .models import (
    Community,
    FieldChange,
    Grid,
    GridWorker,
    Household,
    Record,
    RosterEvent,
    ServiceSchedule,
    Stall,
    Visit,
    VisitPlan,
    WorkerRole,
)
from .refusal import FieldsRefused, Refused
from .storage import RETIRED, Store, Transaction
from .visiting import grids_below

# Who visits a household when a plan is made: the worker closest to it, micro-grid worker first.
VISITOR_ROLES = (WorkerRole.MICRO_WORKER, WorkerRole.GRID_WORKER, WorkerRole.GRID_CHIEF)
PLAN_AHEAD_DAYS = 60  # how far ahead plans are moved with a retired worker or a moved household
SPECIAL_EVERY_DAYS = 7  # the default rule: a special household is visited at least weekly …
OTHERS_EVERY_DAYS = 30  # … any other at least monthly
PLAN_RULE_MAX = 366
UNTRACKED = frozenset({"id", "updated_at", "updated_by", "history", "retired_on"})  # not "what changed"
SHOWN_MAX = 200  # a list field's value in an event is cut here (household lists run long)


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


def community_named(tx: Store | Transaction, typed: str) -> str:
    """The id of the community typed as its id (dongcheng, DongCheng) or its name (东城花园社区), by
    every command that takes one (`list --community` too, reading the store without a transaction);
    anything else refused naming the known ones (community_unknown)."""
    communities = tx.all(Community)
    found = next((c for c in communities if typed in (c.id, c.name)), None)
    found = found or next((c for c in communities if c.id.casefold() == typed.strip().casefold()), None)
    if found is None:
        raise Refused("community_unknown", id=typed, known=known_list(communities))
    return found.id


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
    other = next((w for w in tx.all(GridWorker) if w.phone == phone and w.id != worker_id), None)
    if other is not None:
        raise Refused("phone_taken", id=other.id)


def new_id(prefix: str, *parts: object) -> str:
    return f"{prefix}-{hashlib.sha1(repr(parts).encode()).hexdigest()[:10]}"


# -- history -------------------------------------------------------------------------------------


def shown(name: str, value: object) -> str:
    """A field's value as an event keeps it: stable keys for enums, 07:30, a phone masked."""
    if value is None:
        return ""
    if isinstance(value, StrEnum):
        text = value.value
    elif isinstance(value, time):
        text = f"{value:%H:%M}"
    elif isinstance(value, date):
        text = value.isoformat()
    elif isinstance(value, list):
        text = "、".join(shown(name, v) for v in value)
    else:
        text = str(value)
    if name == "phone":
        text = mask_phone(text)
    return text if len(text) <= SHOWN_MAX else text[: SHOWN_MAX - 1] + "…"


def changes_between(before: Record, after: Record) -> list[FieldChange]:
    """The fields that differ, in the model's order (who and when are the event's own)."""
    return [
        FieldChange(name=name, before=shown(name, getattr(before, name)), after=shown(name, getattr(after, name)))
        for name in type(after).model_fields
        if name not in UNTRACKED and getattr(before, name) != getattr(after, name)
    ]


def event(tx: Transaction, action: str, changes: Iterable[FieldChange] = (), **more: Any) -> RosterEvent:
    return RosterEvent(at=tx.now, actor=tx.store.actor, action=action, changes=list(changes), **more)


# -- grid workers --------------------------------------------------------------------------------


def numbered_id(prefix: str, taken: Collection[str]) -> str:
    """The next ``w-0042`` none of ``taken`` is: the id of a record known by personal data shown
    masked (a worker by the phone, 138****1234). Every desk sees ids: a hash of the phone gave the
    hidden digits back to 10,000 guesses."""
    n = len(taken) + 1
    while f"{prefix}-{n:04d}" in taken:
        n += 1
    return f"{prefix}-{n:04d}"


def _free_worker_id(tx: Transaction) -> str:
    return numbered_id("w", {w.id for w in tx.all(GridWorker)} | {w.id for w in tx.all(GridWorker, RETIRED)})


def add_worker(
    store: Store, *, name: str, role: WorkerRole, phone: str, grid_id: str, worker_id: str | None = None
) -> GridWorker:
    # Every bad field at once, before the lock; then what only the store knows.
    draft = GridWorker(id=worker_id or "draft", name=name, role=role, phone=phone, grid_id=grid_id)
    with store.transaction() as tx:
        _grid(tx, grid_id)
        _phone_free(tx, draft.phone, worker_id or "")
        if worker_id is not None:
            if any(w.id == worker_id for w in [*tx.all(GridWorker), *tx.all(GridWorker, RETIRED)]):
                raise Refused("id_taken", id=worker_id)
        record_id = worker_id or _free_worker_id(tx)
        return tx.put(draft.model_copy(update={"id": record_id, "history": [event(tx, "add")]}))


def edit_worker(
    store: Store,
    worker_id: str,
    *,
    name: str | None = None,
    role: WorkerRole | None = None,
    phone: str | None = None,
    grid_id: str | None = None,
    expected: GridWorker | None = None,
) -> GridWorker:
    """Change what is given; a worker moved to another grid keeps their planned visits.
    ``expected``: the worker as the caller's form showed them; changed since (another desk's edit),
    refused rather than written over with what the form still held."""
    with store.transaction() as tx:
        worker = tx.as_seen(_worker(tx, worker_id), expected)
        changes = {
            k: v for k, v in {"name": name, "role": role, "phone": phone, "grid_id": grid_id}.items() if v is not None
        }
        updated = GridWorker.model_validate({**worker.model_dump(), **changes})
        if grid_id is not None:
            _grid(tx, grid_id)
        if phone is not None:
            _phone_free(tx, updated.phone, worker_id)
        diff = changes_between(worker, updated)
        if phone is not None and not any(c.name == "phone" for c in diff):
            # A phone typed as it was is written too (masked both sides): "nothing changed" for the
            # stored number alone would confirm a guess to a desk that may not reveal it.
            diff.append(
                FieldChange(name="phone", before=shown("phone", worker.phone), after=shown("phone", worker.phone))
            )
        if not diff:
            raise Refused("no_change")
        return tx.put(updated.model_copy(update={"history": [*worker.history, event(tx, "edit", diff)]}))


def _future_plans(tx: Transaction, today: date) -> list[tuple[str, VisitPlan]]:
    plans: list[tuple[str, VisitPlan]] = []
    for offset in range(PLAN_AHEAD_DAYS + 1):
        partition = (today + timedelta(days=offset)).isoformat()
        plans.extend((partition, p) for p in tx.all(VisitPlan, partition))
    return plans


def future_plans(store: Store, worker_id: str, today: date) -> int:
    """How many visits ``worker_id`` has planned from today on (what a retirement hands over)."""
    return sum(
        p.worker_id == worker_id
        for offset in range(PLAN_AHEAD_DAYS + 1)
        for p in store.all(VisitPlan, (today + timedelta(days=offset)).isoformat())
    )


def retire_worker(
    store: Store, worker_id: str, today: date, *, hand_over_to: str | None = None, expected: GridWorker | None = None
) -> int:
    """Take a worker off the roster. Their plans from today on go to ``hand_over_to``; without
    one, a worker who still has plans is refused. Returns how many plans were handed over.
    The record moves to workers/retired.json with a "retire" event; past visits keep the
    worker's id (the 民情日志 says who went). ``expected``: the worker as the officer's form showed
    them; changed since, refused (``Transaction.as_seen``)."""
    with store.transaction() as tx:
        worker = tx.as_seen(_worker(tx, worker_id), expected)
        successor = _worker(tx, hand_over_to) if hand_over_to is not None else None
        if successor is not None and successor.id == worker_id:
            raise Refused("hand_over_self")
        theirs = [(part, p) for part, p in _future_plans(tx, today) if p.worker_id == worker_id]
        if theirs and successor is None:
            raise Refused("worker_has_plans", n=len(theirs))
        for partition, plan in theirs:
            assert successor is not None
            tx.put(plan.model_copy(update={"worker_id": successor.id}), partition)
        retire = event(tx, "retire", plans=len(theirs), plans_to=successor.id if theirs and successor else None)
        tx.put(worker.model_copy(update={"retired_on": today, "history": [*worker.history, retire]}))  # to RETIRED
        tx.delete(GridWorker, worker_id)
        return len(theirs)


def retired_workers(store: Store) -> list[GridWorker]:
    """Who has left the roster, with their history (workers/retired.json)."""
    return store.all(GridWorker, RETIRED)


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


def move_household(
    store: Store, household_id: str, grid_id: str, today: date, *, expected: Household | None = None
) -> Household:
    """Move a household to another grid; its plans from today on go to the new grid's visitor
    (dropped when nobody visits there: the event says so). ``expected``: the household as the
    officer's form showed it; changed since, refused (``Transaction.as_seen``)."""
    with store.transaction() as tx:
        household = next((h for h in tx.all(Household) if h.id == household_id), None)
        if household is None:
            raise Refused("household_unknown", id=household_id)
        tx.as_seen(household, expected)
        _grid(tx, grid_id)
        if household.grid_id == grid_id:
            raise Refused("same_grid")
        visitor = visitor_for(grid_id, {g.id: g for g in tx.all(Grid)}, tx.all(GridWorker))
        moved = 0
        for partition, plan in _future_plans(tx, today):
            if plan.household_id == household_id:
                moved += 1
                if visitor is None:
                    tx.delete(VisitPlan, plan.id, partition)
                else:
                    tx.put(plan.model_copy(update={"grid_id": grid_id, "worker_id": visitor.id}), partition)
        updated = household.model_copy(update={"grid_id": grid_id})
        move = event(
            tx,
            "move",
            changes_between(household, updated),
            plans=moved,
            plans_to=visitor.id if moved and visitor else None,
        )
        return tx.put(updated.model_copy(update={"history": [*household.history, move]}))


def plan_visits(
    store: Store,
    grid_id: str,
    day: date,
    *,
    special_every_days: int = SPECIAL_EVERY_DAYS,
    others_every_days: int = OTHERS_EVERY_DAYS,
) -> list[VisitPlan]:
    """Plan ``day``'s visits for a grid and the grids below it, by rule: a household with a special
    tag (独居, 残疾, …) when it has not been visited for ``special_every_days``, any other when not for
    ``others_every_days``. Households already planned that day are left as they are; each plan goes
    to the visitor of the household's own grid. Returns the plans added (each stamped with who
    made it and when)."""
    if not 1 <= special_every_days <= others_every_days <= PLAN_RULE_MAX:
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
            plan = VisitPlan(
                id=f"vp-{day:%Y%m%d}-{household.id}"[:40],
                day=day,
                grid_id=household.grid_id,
                household_id=household.id,
                worker_id=visitor.id,
                tags=list(household.tags),
            )
            added.append(tx.put(plan))
        return added


def put_schedule(
    store: Store, schedule: ServiceSchedule, *, new: bool = False, expected: ServiceSchedule | None = None
) -> ServiceSchedule:
    """Add a 一老一小 schedule, or change one (same id). The community and households must exist.
    ``new``: only add (an id another desk has just taken is refused, not overwritten). ``expected``:
    the schedule as the caller's form showed it; changed since (another desk's edit), refused rather
    than written over. The history is the store's: what the caller's record carries there is ignored."""
    with store.transaction() as tx:
        communities = tx.all(Community)
        if not any(c.id == schedule.community_id for c in communities):
            raise Refused("community_unknown", id=schedule.community_id, known=known_list(communities))
        known = {h.id for h in tx.all(Household)} if schedule.household_ids else set()
        missing = [h for h in schedule.household_ids if h not in known]
        if missing:
            raise Refused("household_unknown", id=", ".join(missing[:5]))
        previous = next((s for s in tx.all(ServiceSchedule) if s.id == schedule.id), None)
        if previous is not None and new:
            raise Refused("id_taken", id=schedule.id)
        tx.as_seen(previous, expected)
        if previous is None:
            first = first_day_to_come(schedule, tx.now)
            return tx.put(schedule.model_copy(update={"starts_on": first, "history": [event(tx, "add")]}))
        diff = changes_between(previous, schedule)
        if not diff:
            raise Refused("no_change")
        return tx.put(schedule.model_copy(update={"history": [*previous.history, event(tx, "edit", diff)]}))


def first_day_to_come(schedule: ServiceSchedule, now: datetime) -> date | None:
    """A schedule added ``now`` with no first day holds no session that was over before it existed:
    its first day is tomorrow if today's session has ended. Added at 09:30, a 06:30 service's
    session today was 迟到 at once (nobody checked in), on the panel, the header and the hand-over,
    though nobody had ever been meant to hold it. A first day typed stays, today or earlier too (a
    session held before it was entered can still be marked done), as does a last day before tomorrow."""
    today = now.date()
    if schedule.starts_on is not None or (schedule.ends_on is not None and schedule.ends_on <= today):
        return schedule.starts_on
    if now >= at(today, schedule.end.hour, schedule.end.minute):
        return today + timedelta(days=1)
    return schedule.starts_on


# -- the schedule form ---------------------------------------------------------------------------

SCHEDULE_FIELDS = (
    "kind",
    "title",
    "community_id",
    "place",
    "start",
    "end",
    "recurrence",
    "weekdays",
    "staff",
    "starts_on",
    "ends_on",
)  # what the form edits; a schedule's households are kept as they are


def _model_reason(error: Mapping[str, Any], lang: Lang) -> str:
    """A pydantic error in the UI language (the models word their own rules in English)."""
    text = i18n.validation_message(error, lang)
    return i18n.t(f"model.{text}", lang) if f"model.{text}" in i18n.keys() else text


def schedule_to_form(schedule: ServiceSchedule | None) -> dict[str, str]:
    """The form's text of each of ``schedule``'s fields (none: all blank), as the spreadsheet writes
    it (times 07:30, weekdays 周二、周四, dates 2026-12-01, staff joined with 、; a choice as its
    label): what ``schedule_from_form`` reads back."""
    from .workbook import SHEET_BY_KEY, to_cell  # workbook imports this module

    if schedule is None:
        return dict.fromkeys(SCHEDULE_FIELDS, "")
    spec = SHEET_BY_KEY[ServiceSchedule.table]
    return {key: str(to_cell(spec.column(key), getattr(schedule, key))) for key in SCHEDULE_FIELDS}


def schedule_from_form(
    values: Mapping[str, str], *, schedule_id: str, previous: ServiceSchedule | None = None, lang: Lang = "zh"
) -> ServiceSchedule:
    """A schedule from the form's text (times 07:30, weekdays 周二、周四, dates 2026-12-01, staff
    split on 、 — the spreadsheet's own rules), checked at once without the store. Raises
    ``FieldsRefused`` naming every bad field; whole-record rules are pinned to the field to fix."""
    from .workbook import SHEET_BY_KEY, CellError, from_cell  # workbook imports this module

    spec = SHEET_BY_KEY[ServiceSchedule.table]
    errors: dict[str, str] = {}
    data: dict[str, Any] = {"id": schedule_id, "household_ids": list(previous.household_ids) if previous else []}
    for key in SCHEDULE_FIELDS:
        text = values.get(key, "").strip()
        column = spec.column(key)
        if not text:
            data[key] = [] if key in ("weekdays", "staff") else None if key in ("starts_on", "ends_on") else ""
            if column.required:
                errors[key] = i18n.t("invalid.required", lang)
            continue
        if key in ("kind", "recurrence", "community_id", "title", "place"):
            data[key] = text  # choices give stable keys; the model checks them
            continue
        try:
            data[key] = from_cell(column, text, text)
        except CellError as exc:
            errors[key] = i18n.t(exc.key, lang).format(**exc.params)
    start, end = data.get("start"), data.get("end")
    if isinstance(start, time) and isinstance(end, time) and end <= start:
        errors.setdefault("end", i18n.t("model.a session must end after it starts", lang))
    weekly = data.get("recurrence") == "weekly"
    if "weekdays" not in errors and weekly != bool(data.get("weekdays")):
        errors.setdefault(
            "weekdays" if weekly else "recurrence",
            i18n.t("model.a weekly schedule, and only a weekly schedule, lists its weekdays", lang),
        )
    first, last = data.get("starts_on"), data.get("ends_on")
    if isinstance(first, date) and isinstance(last, date) and last < first:
        errors.setdefault("ends_on", i18n.t("model.the schedule ends before it starts", lang))
    if not errors:
        try:
            return ServiceSchedule.model_validate(data)
        except ValidationError as exc:
            for item in exc.errors():
                key = str(item["loc"][0]) if item["loc"] else "recurrence"
                errors.setdefault(key if key in SCHEDULE_FIELDS else "title", _model_reason(item, lang))
    raise FieldsRefused(errors)


def new_schedule_id(community_id: str, title: str, taken: Iterable[str]) -> str:
    """The id an import would give (community, title), unless taken."""
    used = set(taken)
    candidate, n = new_id("sc", community_id, title), 0
    while candidate in used:
        n += 1
        candidate = new_id("sc", community_id, title, n)
    return candidate
