"""一老一小 schedules: which recurring services occur on a day, their phase now, and the three
things the duty room records about a session: check-in, completion (with how many were served)
and cancellation (with a reason).

A day's timeline is computed from the schedules; a session record is written only when someone
acts on it (its id is ``<schedule id>.<yyyymmdd>``), so nothing has to "generate" tomorrow's
sessions and two dashboards can never create the same session twice.
"""

# No `from __future__ import annotations`: string annotations cost each start (see store/models.py).
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import NamedTuple

from .clock import at
from .deadlines import DeadlineRules
from .models import Audience, Recurrence, ServiceSchedule, ServiceSession, SessionState
from .refusal import Refused
from .storage import Store, Transaction

LATE_AFTER = timedelta(minutes=10)  # nobody checked in this long after the start: late
NEXT_WITHIN = timedelta(minutes=60)  # starts within this: next
EARLIEST_CHECK_IN = timedelta(minutes=60)  # a check-in earlier than this before the start is a mistake
LOOK_AHEAD_DAYS = 8  # how far `upcoming` looks for the next session (a week covers every recurrence)


class SessionPhase(StrEnum):
    CHECKED_IN = "checked_in"  # 已签到 before its start (from an hour before): the staff are there, not begun
    NOW = "now"
    ENDED = "ended"  # checked in and past its end, not marked 完成: nothing is going on, it awaits its 完成
    NEXT = "next"
    LATER = "later"
    LATE = "late"
    DONE = "done"
    CANCELLED = "cancelled"


def occurs_on(schedule: ServiceSchedule, day: date, calendar: DeadlineRules) -> bool:
    """Does the schedule hold a session on ``day``? School days follow the official calendar
    (a 调休 Saturday is a school day; a public holiday is not) minus the school breaks (寒暑假)."""
    if schedule.starts_on and day < schedule.starts_on:
        return False
    if schedule.ends_on and day > schedule.ends_on:
        return False
    match schedule.recurrence:
        case Recurrence.DAILY:
            return True
        case Recurrence.SCHOOL_DAYS:
            return calendar.is_school_day(day)
        case Recurrence.WEEKENDS:
            return not calendar.is_working_day(day)
        case Recurrence.WEEKLY:
            return day.weekday() in schedule.weekdays


def session_id(schedule_id: str, day: date) -> str:
    return f"{schedule_id}.{day:%Y%m%d}"


def planned_session(schedule: ServiceSchedule, day: date) -> ServiceSession:
    """The session a schedule holds on ``day``, before anyone has acted on it."""
    return ServiceSession(
        id=session_id(schedule.id, day),
        day=day,
        kind=schedule.kind,
        title=schedule.title,
        community_id=schedule.community_id,
        place=schedule.place,
        start=schedule.start,
        end=schedule.end,
        schedule_id=schedule.id,
        staff=schedule.staff,
        household_ids=schedule.household_ids,
    )


def day_sessions(
    schedules: list[ServiceSchedule], recorded: list[ServiceSession], day: date, calendar: DeadlineRules
) -> list[ServiceSession]:
    """Every session of ``day``: the recorded ones, plus each scheduled one nobody has touched yet."""
    by_id = {s.id: s for s in recorded}
    sessions = [
        by_id.pop(key) if (key := session_id(sc.id, day)) in by_id else planned_session(sc, day)
        for sc in schedules
        if occurs_on(sc, day, calendar)
    ]
    sessions += by_id.values()  # one-off sessions, and those of a schedule since changed
    return sorted(sessions, key=lambda s: (s.start, s.id))


def sessions_on(store: Store, day: date, calendar: DeadlineRules) -> list[ServiceSession]:
    return day_sessions(store.all(ServiceSchedule), store.all(ServiceSession, day.isoformat()), day, calendar)


def session_phase(session: ServiceSession, now: datetime) -> SessionPhase:
    if session.state is SessionState.CANCELLED:
        return SessionPhase.CANCELLED
    if session.state is SessionState.DONE:
        return SessionPhase.DONE
    start = at(session.day, session.start.hour, session.start.minute)
    if session.state is SessionState.CHECKED_IN:
        # Checked in early (签到 opens an hour before): not going on until its start, as it cannot
        # be completed before then (check_complete); 进行 showed it under way half an hour early.
        # Past its end it is no longer going on (进行 said so all afternoon): it awaits its 完成.
        if now >= at(session.day, session.end.hour, session.end.minute):
            return SessionPhase.ENDED
        return SessionPhase.NOW if now >= start else SessionPhase.CHECKED_IN
    if session.day < now.date() or now >= start + LATE_AFTER:
        return SessionPhase.LATE
    if now >= start - NEXT_WITHIN:
        return SessionPhase.NEXT
    return SessionPhase.LATER


def late_by(session: ServiceSession, now: datetime) -> timedelta | None:
    """How late the session started: a fact that stays once the session is checked in, completed
    or cancelled (签到 after its start + ``LATE_AFTER``, or 完成 or 取消 with no check-in after
    that), so the day's count and the shift's hand-over keep it: cancelling a missed session does
    not wipe its lateness. A session still late now (phase LATE) is late by the time gone since its
    start. None: on time, not due yet, cancelled ahead of time, or cancelled before cancellations
    recorded their time."""
    start = at(session.day, session.start.hour, session.start.minute)
    match session.state:
        case SessionState.CHECKED_IN | SessionState.DONE if session.checked_in_at is not None:
            began = session.checked_in_at
        case SessionState.DONE if session.done_at is not None:
            began = session.done_at  # completed without a check-in: it began no later than that
        case SessionState.CANCELLED if session.checked_in_at is not None:
            began = session.checked_in_at
        case SessionState.CANCELLED if session.cancelled_at is not None:
            began = session.cancelled_at  # nobody had come when it was called off
        case SessionState.SCHEDULED:
            return now - start if session_phase(session, now) is SessionPhase.LATE else None
        case _:
            return None
    return began - start if began >= start + LATE_AFTER else None


class NextSessions(NamedTuple):
    """The next session not yet started, for everyone and for each half of 一老一小."""

    any: ServiceSession | None
    elderly: ServiceSession | None
    children: ServiceSession | None

    def of(self, audience: Audience | None) -> ServiceSession | None:
        return {None: self.any, Audience.ELDERLY: self.elderly, Audience.CHILDREN: self.children}[audience]


def next_sessions(store: Store, now: datetime, calendar: DeadlineRules) -> NextSessions:
    """The next sessions not yet started, looking past midnight into the coming days: one walk
    over the days answers all three."""
    schedules = store.all(ServiceSchedule)
    found: dict[Audience | None, ServiceSession] = {}
    for offset in range(LOOK_AHEAD_DAYS):
        day = now.date() + timedelta(days=offset)
        recorded = store.all(ServiceSession, day.isoformat())  # a session may be cancelled days ahead
        for session in day_sessions(schedules, recorded, day, calendar):
            if session.state is SessionState.SCHEDULED and at(day, session.start.hour, session.start.minute) > now:
                found.setdefault(None, session)
                found.setdefault(session.audience, session)
        if len(found) == 3:
            break
    return NextSessions(found.get(None), found.get(Audience.ELDERLY), found.get(Audience.CHILDREN))


def upcoming(
    store: Store, now: datetime, calendar: DeadlineRules, audience: Audience | None = None
) -> ServiceSession | None:
    """The next session not yet started (of one audience, if given)."""
    return next_sessions(store, now, calendar).of(audience)


# ---------------------------------------------------------------------------
# Recording what happened


class SessionRef(NamedTuple):
    """Which session: its day and id (a scheduled one may not have a record yet)."""

    day: date
    id: str


def _current(tx: Transaction, ref: SessionRef, calendar: DeadlineRules) -> ServiceSession:
    recorded = tx.all(ServiceSession, ref.day.isoformat())
    found = next((s for s in recorded if s.id == ref.id), None)
    if found is not None:
        return found
    schedule_id, _, stamp = ref.id.rpartition(".")
    schedule = next((s for s in tx.all(ServiceSchedule) if s.id == schedule_id), None)
    if schedule is None or stamp != f"{ref.day:%Y%m%d}" or not occurs_on(schedule, ref.day, calendar):
        raise Refused("session_unknown", id=ref.id)
    return planned_session(schedule, ref.day)


SERVED_MAX = 10_000  # people served by one session: more is a typing slip


def check_in(
    store: Store, ref: SessionRef, calendar: DeadlineRules, *, expected: ServiceSession | None = None
) -> ServiceSession:
    """签到: the staff are there and the session has begun. ``expected``: the session as the
    officer's panel showed it when i was pressed; changed since (another desk moved it), refused
    (``Transaction.as_seen``), as a form's save is."""
    with store.transaction() as tx:
        session = tx.as_seen(_current(tx, ref, calendar), expected)
        if session.state is not SessionState.SCHEDULED:
            raise Refused("session_not_scheduled", state=session.state)
        if session.day != tx.now.date():
            raise Refused("session_other_day", day=session.day.isoformat())
        start = at(session.day, session.start.hour, session.start.minute)
        if tx.now < start - EARLIEST_CHECK_IN:
            raise Refused("session_too_early", start=f"{session.start:%H:%M}")
        if tx.now >= at(session.day, session.end.hour, session.end.minute):
            # Checking in after the end would turn a missed session green: it is completed (or
            # cancelled) instead, and its late mark stays.
            raise Refused("session_over", end=f"{session.end:%H:%M}")
        return tx.put(session.model_copy(update={"state": SessionState.CHECKED_IN, "checked_in_at": tx.now}))


def check_unfinished(session: ServiceSession) -> None:
    """A session done or cancelled takes no more steps: the dashboard asks before a step's form opens
    (and says so on an open form when another desk finishes it); ``cancel`` again under the lock."""
    if session.state in (SessionState.DONE, SessionState.CANCELLED):
        raise Refused("session_finished", state=session.state)


def check_complete(session: ServiceSession, now: datetime) -> None:
    """Refused unless ``session`` can be completed at ``now``: one done or cancelled, or not begun
    yet, cannot. The dashboard asks before its form opens; ``complete`` again under the lock."""
    check_unfinished(session)
    if now < at(session.day, session.start.hour, session.start.minute):
        raise Refused("session_not_started", start=f"{session.start:%H:%M}")


def complete(
    store: Store, ref: SessionRef, served: int, calendar: DeadlineRules, *, expected: ServiceSession | None = None
) -> ServiceSession:
    """完成: the session is over; ``served`` people were served (for home services, households).
    ``expected``: the session as the officer's form showed it; changed since, refused (``Transaction.as_seen``)."""
    with store.transaction() as tx:
        session = tx.as_seen(_current(tx, ref, calendar), expected)
        check_complete(session, tx.now)
        if served < 0:
            raise Refused("served_negative")
        if served > SERVED_MAX:
            raise Refused("served_format", most=SERVED_MAX)
        return tx.put(
            ServiceSession.model_validate(
                {**session.model_dump(), "state": SessionState.DONE, "served": served, "done_at": tx.now}
            )
        )


def cancel(
    store: Store, ref: SessionRef, reason: str, calendar: DeadlineRules, *, expected: ServiceSession | None = None
) -> ServiceSession:
    """取消, with the reason the people who expected it will be told. ``expected``: the session as
    the officer's form showed it; changed since, refused (``Transaction.as_seen``)."""
    if not reason.strip():
        raise Refused("cancel_needs_reason")
    with store.transaction() as tx:
        session = tx.as_seen(_current(tx, ref, calendar), expected)
        check_unfinished(session)
        return tx.put(
            ServiceSession.model_validate(
                {
                    **session.model_dump(),
                    "state": SessionState.CANCELLED,
                    "cancel_reason": reason.strip(),
                    "cancelled_at": tx.now,
                }
            )
        )
