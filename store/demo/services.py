"""Services (一老一小): the recurring schedules, and today's sessions as the duty room recorded them so far."""

from __future__ import annotations

from datetime import timedelta

from .. import clock
from ..deadlines import DeadlineRules
from ..models import Recurrence, ServiceSchedule, ServiceSession, SessionState
from ..schedule import day_sessions
from ..storage import Store
from . import data
from .common import DemoBuild

RECURRENCE = {"all": Recurrence.DAILY, "school": Recurrence.SCHOOL_DAYS, "weekend": Recurrence.WEEKENDS}


def seed_services(build: DemoBuild, store: Store) -> None:
    schedules = [
        ServiceSchedule(
            id=f"sc-{i:02d}",
            kind=plan.kind,
            title=plan.title,
            community_id=plan.community,
            place=plan.place,
            start=plan.start,
            end=plan.end,
            recurrence=Recurrence.WEEKLY if plan.weekdays else RECURRENCE[plan.when],
            weekdays=list(plan.weekdays),
            staff=list(plan.staff),
            household_ids=_elderly(build, plan),
            starts_on=data.SERVICES_START,
        )
        for i, plan in enumerate(data.SERVICES, start=1)
    ]
    build.write(store, schedules=schedules, services=_recorded_today(build, schedules))


def _elderly(build: DemoBuild, plan: data.ServicePlan) -> list[str]:
    """The first ``plan.elderly`` elderly households of the community, those with a preferred tag first."""
    if not plan.elderly:
        return []
    town = build.town
    pool = [h for p in town.micro_by_community[plan.community] for h in town.households_by_grid[p.grid.id] if h.elderly]
    first = [h for h in pool if any(t in h.tags for t in plan.prefer)][: plan.elderly]
    rest = [h for h in pool if not any(t in h.tags for t in plan.prefer)]
    return [h.id for h in (first + rest)[: plan.elderly]]


def _recorded_today(build: DemoBuild, schedules: list[ServiceSchedule]) -> list[ServiceSession]:
    """Done or checked in so far; one cancelled; the last one due by now left unchecked, so it shows as late."""
    rng = build.rng
    today = build.today
    now = build.now
    now_t = now.time()
    sessions_today = day_sessions(schedules, [], today, DeadlineRules())
    kind, community, reason = data.CANCELLED_SESSION

    def cancelled(session: ServiceSession) -> bool:
        return session.kind is kind and session.community_id == community

    past = [s for s in sessions_today if s.end <= now_t and not cancelled(s)]
    late = max(past, key=lambda s: (s.end, s.id)) if past else None
    recorded = []
    for session in sessions_today:
        fields: dict[str, object]
        if cancelled(session):
            fields = {"state": SessionState.CANCELLED, "cancel_reason": reason}
        elif session is late or session.start > now_t:
            continue  # nothing recorded yet
        else:
            start = clock.at(today, session.start.hour, session.start.minute)
            fields = {"checked_in_at": min(start + timedelta(minutes=rng.randint(*data.CHECK_IN_MINUTES)), now)}
            if session.end <= now_t:
                served = len(session.household_ids) if session.household_ids else rng.randint(*data.SERVED_WALK_IN)
                fields.update(
                    state=SessionState.DONE,
                    served=served,
                    done_at=clock.at(today, session.end.hour, session.end.minute),
                )
            else:
                fields.update(state=SessionState.CHECKED_IN)
        recorded.append(session.model_copy(update=fields))
    return recorded
