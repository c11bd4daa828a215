"""Fieldwork: today's visit plans (走访计划) and the visits of the 民情日志, today's and past days'."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from .. import clock
from ..models import GridWorker, Household, Visit, VisitPlan, WorkerRole
from ..storage import Store
from . import data
from .common import DemoBuild


def seed_visits(build: DemoBuild, store: Store) -> None:
    plans = _plans(build)
    today = _visits_today(build, plans)  # drawn before the history, listed after it
    build.write(store, visit_plans=plans, visits=_history(build) + today)


def _plans(build: DemoBuild) -> list[VisitPlan]:
    """Each micro grid's worker plans a few households (all special-tag ones in 东城花园)."""
    rng = build.rng
    town = build.town
    today = build.today
    plans: list[VisitPlan] = []
    for place in town.micro_places:
        households = town.households_by_grid[place.grid.id]
        worker = town.grid_worker[place.grid.id]
        if build.scale == "demo" and place.community == "dongcheng":
            tagged = [h for h in households if h.tags]
            others = [h for h in households if not h.tags]
            chosen = tagged + rng.sample(others, max(0, min(len(others), data.DEMO_DONGCHENG_PLANS - len(tagged))))
        else:
            want = data.DEMO_PLANS_PER_MICRO if build.scale == "demo" else data.TOWNSHIP_PLANS_PER_MICRO
            chosen = rng.sample(households, min(want, len(households)))
        chosen.sort(key=lambda h: h.id)
        for household in chosen:
            plans.append(
                VisitPlan(
                    id=f"vp-{today:%Y%m%d}-{len(plans) + 1:04d}",
                    day=today,
                    grid_id=place.grid.id,
                    household_id=household.id,
                    worker_id=worker.id,
                    tags=household.tags,
                )
            )
    return plans


def _visits_today(build: DemoBuild, plans: list[VisitPlan]) -> list[Visit]:
    """About half of today's plans are done, between 08:00 and now: one worker, one visit at a
    time (distinct minutes)."""
    rng = build.rng
    today = build.today
    start = clock.at(today, 8)
    span = int((build.floor_now - start).total_seconds() // 60)
    done: list[tuple[datetime, VisitPlan]] = []
    if span >= 1:
        by_grid: dict[str, list[VisitPlan]] = {}
        for plan in plans:
            by_grid.setdefault(plan.grid_id, []).append(plan)
        for grid_plans in by_grid.values():
            k = min(span, sum(1 for _ in grid_plans if rng.random() < 0.5))
            minutes = sorted(rng.sample(range(span), k))
            for minute, plan in zip(minutes, rng.sample(grid_plans, k), strict=True):
                done.append((start + timedelta(minutes=minute), plan))
    done.sort(key=lambda item: (item[0], item[1].id))
    by_id = {h.id: h for h in build.town.households}
    return [
        Visit(
            id=f"v-{today:%Y%m%d}-{n:04d}",
            day=today,
            at=at,
            grid_id=plan.grid_id,
            household_id=plan.household_id,
            worker_id=plan.worker_id,
            note=_note(build, by_id[plan.household_id]),
        )
        for n, (at, plan) in enumerate(done, start=1)
    ]


def _history(build: DemoBuild) -> list[Visit]:
    """A few visits per grid on each of the previous days."""
    days = data.DEMO_VISIT_HISTORY_DAYS if build.scale == "demo" else data.TOWNSHIP_VISIT_HISTORY_DAYS
    visits: list[Visit] = []
    for back in range(days, 0, -1):
        day = build.today - timedelta(days=back)
        items = _demo_day(build, day) if build.scale == "demo" else _township_day(build, day)
        items.sort(key=lambda item: (item[0], item[2].id))
        for n, (at, grid_id, household, worker) in enumerate(items, start=1):
            visits.append(
                Visit(
                    id=f"v-{day:%Y%m%d}-{n:04d}",
                    day=day,
                    at=at,
                    grid_id=grid_id,
                    household_id=household.id,
                    worker_id=worker.id,
                    note=_note(build, household),
                )
            )
    return visits


_Item = tuple[datetime, str, Household, GridWorker]


def _demo_day(build: DemoBuild, day: date) -> list[_Item]:
    rng = build.rng
    town = build.town
    items: list[_Item] = []
    for place in town.micro_places:
        for household in rng.sample(town.households_by_grid[place.grid.id], rng.randint(2, 4)):
            minute = rng.randrange(8 * 60 + 30, 17 * 60 + 30)
            items.append(
                (clock.at(day, minute // 60, minute % 60), place.grid.id, household, town.grid_worker[place.grid.id])
            )
    return items


def _township_day(build: DemoBuild, day: date) -> list[_Item]:
    rng = build.rng
    town = build.town
    items: list[_Item] = []
    for _ in range(rng.randint(*data.TOWNSHIP_VISITS_PER_DAY)):
        place = rng.choice(town.micro_places)
        household = rng.choice(town.households_by_grid[place.grid.id])
        minute = rng.randrange(8 * 60, 18 * 60)
        items.append(
            (clock.at(day, minute // 60, minute % 60), place.grid.id, household, _visitor(build, place.grid.id))
        )
    return items


def _visitor(build: DemoBuild, grid_id: str) -> GridWorker:
    extra = [w for w in build.town.grid_extra.get(grid_id, ()) if w.role is not WorkerRole.LIAISON]
    if extra and build.rng.random() < 0.4:
        return build.rng.choice(extra)
    return build.town.grid_worker[grid_id]


def _note(build: DemoBuild, household: Household) -> str:
    rng = build.rng
    if household.tags and rng.random() < 0.6:
        return rng.choice(data.TAG_NOTES[rng.choice(household.tags)])
    if household.elderly and rng.random() < 0.6:
        return rng.choice(data.ELDERLY_NOTES)
    return rng.choice(data.VISIT_NOTES)
