"""一老一小 schedules (store.schedule): which days a recurring service occurs, its phase at a
clock time, the next session, the day's timeline, and check-in / complete / cancel."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from store import clock
from store.clock import at
from store.deadlines import DeadlineRules
from store.i18n import label
from store.models import (
    Audience,
    Community,
    Recurrence,
    ServiceKind,
    ServiceSchedule,
    ServiceSession,
    SessionState,
)
from store.queries import todays_schedule
from store.refusal import Refused
from store.schedule import (
    SessionPhase,
    SessionRef,
    cancel,
    check_in,
    complete,
    day_sessions,
    late_by,
    occurs_on,
    session_id,
    session_phase,
    sessions_on,
    upcoming,
)
from store.storage import Store

FRI = date(2026, 11, 27)
SAT = date(2026, 11, 28)
SUN = date(2026, 11, 29)
MON = date(2026, 11, 30)
TUE = date(2026, 12, 1)
HOLIDAY_THU = date(2026, 10, 1)  # 国庆, a Thursday
MAKEUP_SAT = date(2026, 10, 10)  # 调休上班, a Saturday
CALENDAR = DeadlineRules(holidays=frozenset({HOLIDAY_THU}), makeup_workdays=frozenset({MAKEUP_SAT}))
PLAIN = DeadlineRules()

GUARD = "sc-guard"  # 护学岗, school days 07:10 (children)
SPORTS = "sc-sports"  # 羽毛球, weekends 09:00 (children)
MEAL = "sc-meal"  # 入户送餐, daily 11:00 (elderly)


@pytest.fixture(autouse=True)
def frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    clock.freeze(at(SAT, 9, 30).isoformat())


def set_now(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> datetime:
    clock.freeze(moment.isoformat())
    return moment


def schedule(
    id: str = GUARD,
    recurrence: Recurrence = Recurrence.SCHOOL_DAYS,
    start: time = time(7, 10),
    kind: ServiceKind = ServiceKind.SCHOOL_GUARD,
    **changes: Any,
) -> ServiceSchedule:
    end = (datetime.combine(SAT, start) + timedelta(minutes=50)).time()
    data: dict[str, Any] = {
        "id": id,
        "kind": kind,
        "title": "护学岗",
        "community_id": "yulan",
        "place": "玉兰小学东门",
        "start": start,
        "end": end,
        "recurrence": recurrence,
    }
    data.update(changes)
    return ServiceSchedule.model_validate(data)


def guard() -> ServiceSchedule:
    return schedule()


def sports() -> ServiceSchedule:
    return schedule(SPORTS, Recurrence.WEEKENDS, time(9, 0), ServiceKind.SPORTS, title="羽毛球")


def meal() -> ServiceSchedule:
    return schedule(
        MEAL, Recurrence.DAILY, time(11, 0), ServiceKind.MEAL_DELIVERY, title="入户送餐", community_id="dongcheng"
    )


def session(day: date = MON, start: time = time(7, 10), **changes: Any) -> ServiceSession:
    end = (datetime.combine(day, start) + timedelta(minutes=1)).time()
    data: dict[str, Any] = {
        "id": f"one-off.{day:%Y%m%d}.{start:%H%M}",
        "day": day,
        "kind": ServiceKind.SCHOOL_GUARD,
        "title": "护学岗",
        "community_id": "yulan",
        "place": "玉兰小学东门",
        "start": start,
        "end": end,
    }
    data.update(changes)
    return ServiceSession.model_validate(data)


def make_store(root: Path, *schedules: ServiceSchedule) -> Store:
    store = Store(root, actor="officer-li")
    with store.transaction() as tx:
        tx.put(Community(id="yulan", name="玉兰社区", township="孟轲乡"))
        for item in schedules:
            tx.put(item)
    return store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return make_store(tmp_path / "store", guard(), sports(), meal())


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def refused(call: Any, *args: Any) -> Refused:
    with pytest.raises(Refused) as info:
        call(*args)
    return info.value


# ---------------------------------------------------------------------------
# occurs_on


@pytest.mark.parametrize("day", [FRI, SAT, SUN, HOLIDAY_THU, MAKEUP_SAT])
def test_daily_occurs_every_day_including_weekends_and_holidays(day: date):
    assert occurs_on(meal(), day, CALENDAR)


@pytest.mark.parametrize(
    ("day", "expected"),
    [(FRI, True), (MON, True), (SAT, False), (SUN, False), (HOLIDAY_THU, False), (MAKEUP_SAT, True)],
    ids=["friday", "monday", "saturday", "sunday", "holiday-thursday", "makeup-saturday"],
)
def test_school_days_follow_the_official_calendar(day: date, expected: bool):
    assert occurs_on(guard(), day, CALENDAR) is expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [(FRI, False), (MON, False), (SAT, True), (SUN, True), (HOLIDAY_THU, True), (MAKEUP_SAT, False)],
    ids=["friday", "monday", "saturday", "sunday", "holiday-thursday", "makeup-saturday"],
)
def test_weekends_are_the_days_off_of_the_calendar(day: date, expected: bool):
    assert occurs_on(sports(), day, CALENDAR) is expected


def test_school_days_and_weekends_partition_every_day():
    for offset in range(-70, 30):
        day = SAT + timedelta(days=offset)
        assert occurs_on(guard(), day, CALENDAR) != occurs_on(sports(), day, CALENDAR), day


@pytest.mark.parametrize(
    ("day", "expected"),
    [(TUE, True), (date(2026, 12, 2), False), (date(2026, 12, 3), True), (SAT, True), (SUN, False), (MON, False)],
)
def test_weekly_occurs_on_listed_weekdays_only(day: date, expected: bool):
    calligraphy = schedule("sc-art", Recurrence.WEEKLY, time(14, 30), ServiceKind.CALLIGRAPHY, weekdays=[1, 3, 5])
    assert occurs_on(calligraphy, day, CALENDAR) is expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [(FRI, False), (SAT, True), (SUN, True), (MON, True), (TUE, False)],
)
def test_starts_on_and_ends_on_bound_the_schedule_inclusively(day: date, expected: bool):
    bounded = schedule(MEAL, Recurrence.DAILY, time(11), ServiceKind.MEAL_DELIVERY, starts_on=SAT, ends_on=MON)
    assert occurs_on(bounded, day, PLAIN) is expected


# ---------------------------------------------------------------------------
# session_phase


@pytest.mark.parametrize(
    ("hour", "minute", "phase"),
    [
        (5, 0, SessionPhase.LATER),
        (6, 9, SessionPhase.LATER),  # 61 minutes before 07:10
        (6, 10, SessionPhase.NEXT),  # exactly an hour before
        (7, 10, SessionPhase.NEXT),
        (7, 19, SessionPhase.NEXT),  # start + 9 min
        (7, 20, SessionPhase.LATE),  # start + 10 min
        (12, 0, SessionPhase.LATE),
    ],
)
def test_phase_of_an_untouched_session_follows_the_clock(hour: int, minute: int, phase: SessionPhase):
    assert session_phase(session(MON), at(MON, hour, minute)) is phase


def test_checked_in_session_is_now_from_its_start_until_its_end():
    """Checked in early (签到 opens an hour before the start), a session showed 进行 (going on) half an
    hour before it began, though it cannot be completed before its start: it is 已签到 until then.
    Past its end it showed 进行 all the same, all afternoon and into the night (a 09:00–11:30 class
    at 13:31, counted in the panel's 进行3): it is 待完成, over and waiting to be marked 完成."""
    checked = session(MON, state=SessionState.CHECKED_IN, checked_in_at=at(MON, 6, 40))  # 07:10–07:11
    assert session_phase(checked, at(MON, 6, 40)) is SessionPhase.CHECKED_IN
    assert session_phase(checked, at(MON, 7, 9)) is SessionPhase.CHECKED_IN
    assert session_phase(checked, at(MON, 7, 10)) is SessionPhase.NOW  # 07:10, its start
    assert session_phase(checked, at(MON, 7, 11)) is SessionPhase.ENDED  # 07:11, its end
    assert session_phase(checked, at(MON, 23, 0)) is SessionPhase.ENDED
    assert session_phase(checked, at(TUE, 0, 30)) is SessionPhase.ENDED
    assert label(SessionPhase.ENDED) == "待完成"


@pytest.mark.parametrize(
    ("changes", "phase"),
    [
        ({"state": SessionState.DONE, "served": 12}, SessionPhase.DONE),
        ({"state": SessionState.CANCELLED, "cancel_reason": "下雨"}, SessionPhase.CANCELLED),
    ],
)
def test_done_and_cancelled_stay_so_before_during_and_after(changes: dict[str, Any], phase: SessionPhase):
    finished = session(MON, **changes)
    for moment in (at(MON, 5), at(MON, 7, 12), at(MON, 20), at(TUE, 8)):
        assert session_phase(finished, moment) is phase


def test_untouched_session_of_a_previous_day_is_late_even_within_ten_minutes():
    night = session(SUN, time(23, 58))
    now = at(MON, 0, 1)  # only 3 minutes after its start, but on the next day
    assert session_phase(night, now) is SessionPhase.LATE


def test_session_of_tomorrow_is_later():
    assert session_phase(session(TUE), at(MON, 23, 30)) is SessionPhase.LATER


# ---------------------------------------------------------------------------
# upcoming


def test_friday_night_the_next_session_is_saturday_weekend_one(tmp_path: Path):
    store = make_store(tmp_path / "s", guard(), sports())
    found = upcoming(store, at(FRI, 23, 30), PLAIN)
    assert found is not None
    assert (found.id, found.day, found.start) == (session_id(SPORTS, SAT), SAT, time(9))


def test_sunday_night_the_next_session_is_monday_school_day(tmp_path: Path):
    store = make_store(tmp_path / "s", guard(), sports())
    found = upcoming(store, at(SUN, 23, 50), PLAIN)
    assert found is not None and found.id == session_id(GUARD, MON)


def test_a_monday_holiday_turns_sunday_night_next_into_the_weekend_session(tmp_path: Path):
    store = make_store(tmp_path / "s", guard(), sports())
    found = upcoming(store, at(SUN, 23, 50), DeadlineRules(holidays=frozenset({MON})))
    assert found is not None and found.id == session_id(SPORTS, MON)


def test_just_after_midnight_the_same_days_first_session_is_next(tmp_path: Path):
    store = make_store(tmp_path / "s", guard(), sports())
    found = upcoming(store, at(SAT, 0, 5), PLAIN)
    assert found is not None and found.id == session_id(SPORTS, SAT)


def test_a_session_that_has_started_is_not_upcoming(tmp_path: Path):
    store = make_store(tmp_path / "s", guard(), sports())
    found = upcoming(store, at(SAT, 9, 0), PLAIN)
    assert found is not None and found.id == session_id(SPORTS, SUN)


@pytest.mark.parametrize(
    ("audience", "expected"),
    [
        (None, session_id(GUARD, MON)),
        (Audience.CHILDREN, session_id(GUARD, MON)),
        (Audience.ELDERLY, session_id(MEAL, MON)),
    ],
)
def test_audience_filter_considers_only_that_half(store: Store, audience: Audience | None, expected: str):
    found = upcoming(store, at(MON, 6, 0), PLAIN, audience)
    assert found is not None and found.id == expected


def test_audience_follows_the_service_kind():
    elderly = {
        ServiceKind.MEAL_DELIVERY,
        ServiceKind.HOME_CARE,
        ServiceKind.ERRANDS,
        ServiceKind.ART_TROUPE,
        ServiceKind.CALLIGRAPHY,
        ServiceKind.CLASS,
    }
    for kind in ServiceKind:
        expected = Audience.ELDERLY if kind in elderly else Audience.CHILDREN
        assert session(kind=kind).audience is expected, kind


def test_a_checked_in_session_today_is_skipped(store: Store, monkeypatch: pytest.MonkeyPatch):
    now = set_now(monkeypatch, at(MON, 7, 5))
    check_in(store, SessionRef(MON, session_id(GUARD, MON)), PLAIN)
    children = upcoming(store, now, PLAIN, Audience.CHILDREN)
    assert children is not None and children.id == session_id(GUARD, TUE)
    anyone = upcoming(store, now, PLAIN)
    assert anyone is not None and anyone.id == session_id(MEAL, MON)


def test_a_cancelled_session_today_is_skipped(store: Store, monkeypatch: pytest.MonkeyPatch):
    now = set_now(monkeypatch, at(MON, 6, 0))
    cancel(store, SessionRef(MON, session_id(GUARD, MON)), "学校停课", PLAIN)
    found = upcoming(store, now, PLAIN, Audience.CHILDREN)
    assert found is not None and found.id == session_id(GUARD, TUE)


def test_a_session_cancelled_in_advance_is_not_upcoming(tmp_path: Path):
    store = make_store(tmp_path / "s", guard())
    cancelled = cancel(store, SessionRef(MON, session_id(GUARD, MON)), "学校停课", PLAIN)  # written on Saturday
    assert cancelled.state is SessionState.CANCELLED
    assert sessions_on(store, MON, PLAIN)[0].state is SessionState.CANCELLED
    found = upcoming(store, at(FRI, 23, 30), PLAIN)
    assert found is not None and found.id == session_id(GUARD, TUE)


# ---------------------------------------------------------------------------
# day_sessions


def test_recorded_session_replaces_the_planned_one_with_the_same_id():
    recorded = session(
        MON, id=session_id(GUARD, MON), schedule_id=GUARD, state=SessionState.CHECKED_IN, checked_in_at=at(MON, 7, 5)
    )
    sessions = day_sessions([guard(), meal()], [recorded], MON, PLAIN)
    guards = [s for s in sessions if s.id == session_id(GUARD, MON)]
    assert guards == [recorded]
    assert len(sessions) == 2


def test_untouched_scheduled_sessions_are_planned_from_the_schedule():
    [planned] = day_sessions([guard()], [], MON, PLAIN)
    assert (planned.id, planned.schedule_id, planned.state) == ("sc-guard.20261130", GUARD, SessionState.SCHEDULED)
    assert (planned.day, planned.start, planned.place) == (MON, time(7, 10), "玉兰小学东门")


def test_one_off_sessions_are_kept_and_all_are_ordered_by_start():
    one_off = session(MON, time(8, 0), id="talk-1", kind=ServiceKind.CLASS, title="反诈课堂")
    early = session(MON, time(6, 30), id="early-1")
    sessions = day_sessions([meal(), guard(), sports()], [one_off, early], MON, PLAIN)
    assert [s.id for s in sessions] == ["early-1", session_id(GUARD, MON), "talk-1", session_id(MEAL, MON)]


def test_a_recorded_session_of_a_schedule_not_occurring_that_day_is_kept():
    moved = session(MON, time(9, 0), id=session_id(SPORTS, MON), schedule_id=SPORTS)
    sessions = day_sessions([sports()], [moved], MON, PLAIN)
    assert sessions == [moved]


def test_todays_schedule_gives_each_session_its_phase_and_community(store: Store):
    views = todays_schedule(store, at(MON, 7, 25), PLAIN)
    assert [(v.session.id, v.phase, v.community) for v in views] == [
        (session_id(GUARD, MON), SessionPhase.LATE, "玉兰社区"),
        (session_id(MEAL, MON), SessionPhase.LATER, "dongcheng"),  # no Community record: the id is shown
    ]


# ---------------------------------------------------------------------------
# check_in / complete / cancel

GUARD_MON = SessionRef(MON, session_id(GUARD, MON))


def test_check_in_writes_a_checked_in_record_with_the_time(store: Store, monkeypatch: pytest.MonkeyPatch):
    now = set_now(monkeypatch, at(MON, 7, 5))
    assert store.all(ServiceSession, MON.isoformat()) == []
    result = check_in(store, GUARD_MON, PLAIN)
    [stored] = store.all(ServiceSession, MON.isoformat())
    assert stored == result
    assert (stored.id, stored.state, stored.checked_in_at) == (GUARD_MON.id, SessionState.CHECKED_IN, now)
    assert stored.updated_by == "officer-li"


def test_check_in_opens_exactly_an_hour_before_start(store: Store, monkeypatch: pytest.MonkeyPatch):
    set_now(monkeypatch, at(MON, 6, 10))
    assert check_in(store, GUARD_MON, PLAIN).state is SessionState.CHECKED_IN


def test_check_in_twice_is_refused(store: Store, monkeypatch: pytest.MonkeyPatch):
    set_now(monkeypatch, at(MON, 7, 5))
    check_in(store, GUARD_MON, PLAIN)
    before = files(store.root)
    error = refused(check_in, store, GUARD_MON, PLAIN)
    assert error.key == "session_not_scheduled"
    assert files(store.root) == before


def test_check_in_more_than_an_hour_early_is_refused(store: Store, monkeypatch: pytest.MonkeyPatch):
    set_now(monkeypatch, at(MON, 6, 9))
    before = files(store.root)
    error = refused(check_in, store, GUARD_MON, PLAIN)
    assert error.key == "session_too_early"
    assert "07:10" in error.message("en") and "07:10" in error.message("zh")
    assert files(store.root) == before


def test_check_in_for_another_day_is_refused(store: Store, monkeypatch: pytest.MonkeyPatch):
    set_now(monkeypatch, at(MON, 7, 5))
    before = files(store.root)
    for ref in (SessionRef(TUE, session_id(GUARD, TUE)), SessionRef(FRI, session_id(GUARD, FRI))):
        assert refused(check_in, store, ref, PLAIN).key == "session_other_day"
    assert files(store.root) == before


@pytest.mark.parametrize(
    "ref",
    [
        SessionRef(MON, "sc-nothing.20261130"),  # no such schedule
        SessionRef(SUN, session_id(GUARD, SUN)),  # the schedule does not occur on Sunday
        SessionRef(MON, session_id(GUARD, TUE)),  # id of another day
        SessionRef(MON, "sc-guard"),  # no date stamp
    ],
    ids=["unknown-schedule", "not-occurring", "stamp-mismatch", "no-stamp"],
)
def test_unknown_session_is_refused(store: Store, monkeypatch: pytest.MonkeyPatch, ref: SessionRef):
    set_now(monkeypatch, at(ref.day, 7, 5))
    before = files(store.root)
    for action in (
        lambda: check_in(store, ref, PLAIN),
        lambda: complete(store, ref, 3, PLAIN),
        lambda: cancel(store, ref, "下雨", PLAIN),
    ):
        assert refused(action).key == "session_unknown"
    assert files(store.root) == before


def test_complete_straight_from_scheduled_after_start(store: Store, monkeypatch: pytest.MonkeyPatch):
    now = set_now(monkeypatch, at(MON, 8, 5))
    result = complete(store, GUARD_MON, 12, PLAIN)
    [stored] = store.all(ServiceSession, MON.isoformat())
    assert stored == result
    assert (stored.state, stored.served, stored.done_at, stored.checked_in_at) == (SessionState.DONE, 12, now, None)


def test_complete_after_check_in_keeps_the_check_in_time(store: Store, monkeypatch: pytest.MonkeyPatch):
    checked_at = set_now(monkeypatch, at(MON, 7, 5))
    check_in(store, GUARD_MON, PLAIN)
    done_at = set_now(monkeypatch, at(MON, 8, 0))
    result = complete(store, GUARD_MON, 0, PLAIN)
    assert (result.state, result.served, result.checked_in_at, result.done_at) == (
        SessionState.DONE,
        0,
        checked_at,
        done_at,
    )


def test_complete_before_start_is_refused(store: Store, monkeypatch: pytest.MonkeyPatch):
    set_now(monkeypatch, at(MON, 7, 9))
    before = files(store.root)
    assert refused(complete, store, GUARD_MON, 5, PLAIN).key == "session_not_started"
    assert files(store.root) == before


def test_complete_with_negative_served_is_refused(store: Store, monkeypatch: pytest.MonkeyPatch):
    set_now(monkeypatch, at(MON, 8, 5))
    before = files(store.root)
    assert refused(complete, store, GUARD_MON, -1, PLAIN).key == "served_negative"
    assert files(store.root) == before


@pytest.mark.parametrize("finish", ["complete", "cancel"])
def test_complete_and_cancel_of_a_finished_session_are_refused(
    store: Store, monkeypatch: pytest.MonkeyPatch, finish: str
):
    set_now(monkeypatch, at(MON, 8, 5))
    if finish == "complete":
        complete(store, GUARD_MON, 12, PLAIN)
    else:
        cancel(store, GUARD_MON, "下雨", PLAIN)
    before = files(store.root)
    assert refused(complete, store, GUARD_MON, 3, PLAIN).key == "session_finished"
    assert refused(cancel, store, GUARD_MON, "再取消", PLAIN).key == "session_finished"
    assert refused(check_in, store, GUARD_MON, PLAIN).key == "session_not_scheduled"
    assert files(store.root) == before


def test_cancel_records_the_stripped_reason(store: Store, monkeypatch: pytest.MonkeyPatch):
    set_now(monkeypatch, at(MON, 6, 0))
    cancel(store, GUARD_MON, "  学校停课  ", PLAIN)
    [stored] = store.all(ServiceSession, MON.isoformat())
    assert (stored.id, stored.state, stored.cancel_reason) == (GUARD_MON.id, SessionState.CANCELLED, "学校停课")


@pytest.mark.parametrize("reason", ["", "   ", "\t\n"])
def test_cancel_needs_a_reason_and_writes_nothing(store: Store, monkeypatch: pytest.MonkeyPatch, reason: str):
    set_now(monkeypatch, at(MON, 6, 0))
    before = files(store.root)
    assert refused(cancel, store, GUARD_MON, reason, PLAIN).key == "cancel_needs_reason"
    assert store.all(ServiceSession, MON.isoformat()) == []
    assert files(store.root) == before


def test_cancel_refusal_leaves_an_existing_record_as_it_was(store: Store, monkeypatch: pytest.MonkeyPatch):
    set_now(monkeypatch, at(MON, 7, 5))
    check_in(store, GUARD_MON, PLAIN)
    before = store.all(ServiceSession, MON.isoformat())
    assert refused(cancel, store, GUARD_MON, " ", PLAIN).key == "cancel_needs_reason"
    assert store.all(ServiceSession, MON.isoformat()) == before


@pytest.mark.parametrize(
    "error",
    [
        Refused("session_not_scheduled", state=SessionState.CHECKED_IN),
        Refused("session_finished", state=SessionState.DONE),
        Refused("session_too_early", start="07:10"),
        Refused("session_other_day", day="2026-12-01"),
        Refused("session_unknown", id="x.20261130"),
        Refused("cancel_needs_reason"),
        Refused("served_negative"),
    ],
    ids=lambda e: e.key,
)
def test_refusal_messages_are_filled_in_both_languages(error: Refused):
    for lang in ("zh", "en"):
        text = error.message(lang)
        assert text and "{" not in text and "}" not in text
        assert not text.startswith("refused."), text  # a catalogue entry exists
    assert error.message("zh") != error.message("en")


def test_refusal_message_shows_the_state_label():
    """A second check-in of a session checked in before its start (listed 已签到) was refused as
    这场活动进行中: the state's word said what the phase may not be. Checked in is what it is."""
    error = Refused("session_not_scheduled", state=SessionState.CHECKED_IN)
    assert "已签到" in error.message("zh") and "进行中" not in error.message("zh")
    assert "checked in" in error.message("en")
    assert str(error) == error.message("en")


def test_school_days_stop_in_the_school_break_but_daily_services_do_not():
    from store.deadlines import SchoolBreak

    calendar = DeadlineRules(school_breaks=(SchoolBreak(first=date(2027, 1, 18), last=date(2027, 2, 21)),))
    guard = ServiceSchedule(
        id="sc-g",
        kind="school_guard",
        title="护学岗",
        community_id="c1",
        place="玉兰小学东门",
        start=time(7, 10),
        end=time(8),
        recurrence="school_days",
    )
    meals = ServiceSchedule(
        id="sc-m",
        kind="meal_delivery",
        title="入户送餐",
        community_id="c1",
        place="日间照料中心",
        start=time(11),
        end=time(12, 30),
        recurrence="daily",
    )
    assert occurs_on(guard, date(2027, 1, 15), calendar)  # the Friday before the break
    assert not occurs_on(guard, date(2027, 1, 18), calendar)  # a Monday in the break
    assert not occurs_on(guard, date(2027, 2, 21), calendar)  # its last day
    assert occurs_on(guard, date(2027, 2, 22), calendar)  # school again
    assert occurs_on(meals, date(2027, 1, 18), calendar)
    assert calendar.is_working_day(date(2027, 1, 18))  # the desk's deadlines still count it


def test_a_school_break_that_ends_before_it_starts_is_refused():
    from pydantic import ValidationError

    from store.deadlines import SchoolBreak

    with pytest.raises(ValidationError, match="before it starts"):
        SchoolBreak(first=date(2027, 2, 21), last=date(2027, 1, 18))


def test_lateness_stays_once_checked_in_or_completed(store: Store, monkeypatch: pytest.MonkeyPatch):
    """迟到记录保留: a check-in after start + 10 minutes, or a completion with none, leaves the
    late phase (nothing left to do) but keeps how late it started; on time, or cancelled, is not."""
    set_now(monkeypatch, at(MON, 7, 35))  # 护学岗 07:10: 25 minutes late
    [view] = [v for v in todays_schedule(store, clock.now(), PLAIN) if v.session.id == GUARD_MON.id]
    assert (view.phase, view.late_by, view.was_late) == (SessionPhase.LATE, timedelta(minutes=25), True)
    check_in(store, GUARD_MON, PLAIN)
    set_now(monkeypatch, at(MON, 7, 55))  # before its end at 08:00
    [view] = [v for v in todays_schedule(store, clock.now(), PLAIN) if v.session.id == GUARD_MON.id]
    assert (view.phase, view.late_by) == (SessionPhase.NOW, timedelta(minutes=25))
    done = complete(store, GUARD_MON, 12, PLAIN)
    assert late_by(done, at(TUE, 9, 0)) == timedelta(minutes=25)  # the next day too

    one = session()  # 07:10
    checked = one.model_copy(update={"state": SessionState.CHECKED_IN, "checked_in_at": at(MON, 7, 19)})
    assert late_by(checked, at(MON, 8, 0)) is None  # within the ten minutes
    done_unchecked = one.model_copy(update={"state": SessionState.DONE, "served": 3, "done_at": at(MON, 7, 40)})
    assert late_by(done_unchecked, at(MON, 8, 0)) == timedelta(minutes=30)
    cancelled = one.model_copy(update={"state": SessionState.CANCELLED, "cancel_reason": "下雨"})
    assert late_by(cancelled, at(MON, 8, 0)) is None  # a record from before cancellations had a time
    called_off = cancelled.model_copy(update={"cancelled_at": at(MON, 7, 55)})
    assert late_by(called_off, at(MON, 8, 0)) == timedelta(minutes=45)  # nobody had come by 07:55
    assert late_by(called_off.model_copy(update={"cancelled_at": at(MON, 6, 0)}), at(MON, 8, 0)) is None
    checked_then_off = called_off.model_copy(update={"checked_in_at": at(MON, 7, 15)})
    assert late_by(checked_then_off, at(MON, 8, 0)) is None  # it began on time
