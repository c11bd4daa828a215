"""Due times of cases (store.deadlines): calendar hours, working days, holidays and make-up days."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from pydantic import ValidationError

from store.clock import TZ
from store.deadlines import DeadlineRules, TimeLimit
from store.models import Category, Priority

# National Day 2026: Thursday 1 to Wednesday 7 October off; Sunday 27 September and
# Saturday 10 October are make-up working days (调休上班).
NATIONAL_DAY = frozenset(date(2026, 10, d) for d in range(1, 8))
MAKEUP = frozenset({date(2026, 9, 27), date(2026, 10, 10)})
# These tests are about the configured days, so the packaged official calendar is off in them;
# the official calendar has its own tests below.
HOLIDAY_RULES = DeadlineRules(holidays=NATIONAL_DAY, makeup_workdays=MAKEUP, official_calendar=False)
PLAIN = DeadlineRules(official_calendar=False)


def at(year: int, month: int, day: int, hour: int = 9, minute: int = 30) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TZ)


def test_calendar_fixture_days_are_what_the_tests_assume():
    assert date(2026, 11, 28).weekday() == 5  # Saturday
    assert date(2026, 9, 27).weekday() == 6  # Sunday
    assert date(2026, 10, 10).weekday() == 5  # Saturday
    assert date(2026, 10, 1).weekday() == 3  # Thursday


# ---------------------------------------------------------------------------
# Hours are calendar hours


@pytest.mark.parametrize(
    ("priority", "expected"),
    [(Priority.EMERGENCY, at(2026, 11, 28, 11, 30)), (Priority.URGENT, at(2026, 11, 29, 9, 30))],
)
def test_hour_limits_are_calendar_hours_over_a_weekend(priority: Priority, expected: datetime):
    # Saturday morning: a 24-hour case is due on Sunday, weekends are not skipped.
    assert DeadlineRules().due_at(at(2026, 11, 28), Category.INFRASTRUCTURE, priority) == expected


def test_hour_limits_ignore_holidays_too():
    created = at(2026, 9, 30, 20, 0)  # the evening before National Day
    assert HOLIDAY_RULES.due_at(created, Category.OTHER, Priority.URGENT) == at(2026, 10, 1, 20, 0)
    rules = DeadlineRules(
        by_priority={**DeadlineRules().by_priority, Priority.URGENT: TimeLimit(hours=72)}, holidays=NATIONAL_DAY
    )
    assert rules.due_at(created, Category.OTHER, Priority.URGENT) == at(2026, 10, 3, 20, 0)


# ---------------------------------------------------------------------------
# Working days


def test_saturday_case_with_five_working_days_is_due_next_friday_same_time():
    created = at(2026, 11, 28, 9, 30)  # Saturday
    due = DeadlineRules().due_at(created, Category.INFRASTRUCTURE, Priority.NORMAL)
    assert due == at(2026, 12, 4, 9, 30)
    assert due.weekday() == 4


def test_sunday_case_is_also_due_next_friday():
    assert DeadlineRules().due_at(at(2026, 11, 29, 18, 5), Category.OTHER, Priority.NORMAL) == at(2026, 12, 4, 18, 5)


def test_weekday_case_skips_the_weekend():
    # Thursday + 5 working days: Fri, Mon, Tue, Wed, Thu.
    assert DeadlineRules().due_at(at(2026, 11, 26, 16, 45), Category.OTHER, Priority.NORMAL) == at(2026, 12, 3, 16, 45)


def test_complex_case_fifteen_working_days():
    # Monday 2 November + 15 working days = three whole weeks later, Monday 23 November.
    assert DeadlineRules().due_at(at(2026, 11, 2), Category.OTHER, Priority.COMPLEX) == at(2026, 11, 23)


def test_across_the_national_day_week():
    created = at(2026, 9, 30, 10, 0)  # Wednesday, last working day before the holiday
    # 8 Oct Thu (1), 9 Fri (2), 10 Sat make-up (3), 12 Mon (4), 13 Tue (5).
    assert HOLIDAY_RULES.due_at(created, Category.OTHER, Priority.NORMAL) == at(2026, 10, 13, 10, 0)
    # Without the make-up Saturday the same case is a day later.
    holidays_only = DeadlineRules(holidays=NATIONAL_DAY, official_calendar=False)
    assert holidays_only.due_at(created, Category.OTHER, Priority.NORMAL) == at(2026, 10, 14, 10, 0)
    # And without any holidays only the weekend is skipped.
    assert PLAIN.due_at(created, Category.OTHER, Priority.NORMAL) == at(2026, 10, 7, 10, 0)


def test_case_received_during_the_holiday():
    created = at(2026, 10, 3, 8, 0)  # Saturday inside the holiday
    # 8 Thu, 9 Fri, 10 Sat (make-up), 12 Mon, 13 Tue.
    assert HOLIDAY_RULES.due_at(created, Category.OTHER, Priority.NORMAL) == at(2026, 10, 13, 8, 0)


def test_makeup_sunday_counts_as_a_working_day():
    rules = HOLIDAY_RULES
    assert rules.is_working_day(date(2026, 9, 27))
    assert not PLAIN.is_working_day(date(2026, 9, 27))
    # Friday 25 September + 1 working day is the make-up Sunday, not Monday.
    assert rules.add_working_days(at(2026, 9, 25, 14, 0), 1) == at(2026, 9, 27, 14, 0)
    # Saturday 26 September + 2 working days: Sunday 27 (make-up), Monday 28.
    assert rules.add_working_days(at(2026, 9, 26, 14, 0), 2) == at(2026, 9, 28, 14, 0)
    assert PLAIN.add_working_days(at(2026, 9, 26, 14, 0), 2) == at(2026, 9, 29, 14, 0)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 9, 25), True),  # Friday
        (date(2026, 9, 26), False),  # Saturday
        (date(2026, 9, 27), True),  # Sunday, make-up
        (date(2026, 9, 30), True),  # Wednesday
        (date(2026, 10, 1), False),  # Thursday, holiday
        (date(2026, 10, 5), False),  # Monday, holiday
        (date(2026, 10, 7), False),  # Wednesday, holiday
        (date(2026, 10, 8), True),  # Thursday
        (date(2026, 10, 10), True),  # Saturday, make-up
        (date(2026, 10, 11), False),  # Sunday
    ],
)
def test_is_working_day(day: date, working: bool):
    assert HOLIDAY_RULES.is_working_day(day) is working


def test_add_working_days_keeps_clock_time_and_zone():
    start = at(2026, 11, 27, 23, 59)  # Friday, one minute to midnight
    due = DeadlineRules().add_working_days(start, 1)
    assert due == at(2026, 11, 30, 23, 59)
    assert due.tzinfo is start.tzinfo


def test_working_days_counted_in_beijing_time_for_utc_input():
    # 2026-11-27 17:00 UTC is Saturday 28 November 01:00 in Beijing: due Friday 4 December 01:00 Beijing.
    created = datetime(2026, 11, 27, 17, 0, tzinfo=UTC)
    due = DeadlineRules().due_at(created, Category.OTHER, Priority.NORMAL)
    assert due == at(2026, 12, 4, 1, 0)
    assert due.utcoffset() == timedelta(hours=8)


def test_naive_time_is_taken_as_beijing_time():
    due = DeadlineRules().due_at(datetime(2026, 11, 28, 9, 30), Category.OTHER, Priority.NORMAL)
    assert due == at(2026, 12, 4, 9, 30)
    assert due.utcoffset() == timedelta(hours=8)


# ---------------------------------------------------------------------------
# Category limits: the earlier of the two


@pytest.mark.parametrize(
    ("priority", "expected"),
    [
        (Priority.EMERGENCY, at(2026, 11, 28, 11, 30)),  # 2 h beats the gas 24 h
        (Priority.URGENT, at(2026, 11, 29, 9, 30)),
        (Priority.NORMAL, at(2026, 11, 29, 9, 30)),  # gas: 24 h, not 5 working days
        (Priority.COMPLEX, at(2026, 11, 29, 9, 30)),
    ],
)
def test_gas_is_never_slower_than_24_hours(priority: Priority, expected: datetime):
    assert DeadlineRules().due_at(at(2026, 11, 28), Category.GAS, priority) == expected


def test_by_category_gives_the_earlier_of_the_two_limits():
    rules = DeadlineRules(by_category={Category.SANITATION: TimeLimit(working_days=1)})
    friday = at(2026, 11, 27, 10, 0)
    # urgent: 24 h (Saturday 10:00) is earlier than 1 working day (Monday 10:00).
    assert rules.due_at(friday, Category.SANITATION, Priority.URGENT) == at(2026, 11, 28, 10, 0)
    # complex: 1 working day (Monday) is earlier than 15 working days.
    assert rules.due_at(friday, Category.SANITATION, Priority.COMPLEX) == at(2026, 11, 30, 10, 0)
    # Categories without a limit follow the priority only; gas has no limit in these rules.
    assert rules.due_at(friday, Category.OTHER, Priority.COMPLEX) == at(2026, 12, 18, 10, 0)
    assert rules.due_at(friday, Category.GAS, Priority.NORMAL) == at(2026, 12, 4, 10, 0)


# ---------------------------------------------------------------------------
# Validation of the rules themselves


@pytest.mark.parametrize("kwargs", [{}, {"hours": 24, "working_days": 5}])
def test_time_limit_needs_exactly_one_unit(kwargs: dict[str, int]):
    with pytest.raises(ValidationError, match="exactly one"):
        TimeLimit(**kwargs)


@pytest.mark.parametrize("kwargs", [{"hours": 0}, {"working_days": 0}, {"working_days": 91}, {"hours": -1}])
def test_time_limit_out_of_range(kwargs: dict[str, int]):
    with pytest.raises(ValidationError):
        TimeLimit(**kwargs)


def test_time_limit_single_units_accepted():
    assert TimeLimit(hours=2).working_days is None
    assert TimeLimit(working_days=5).hours is None


def test_rules_refuse_a_missing_priority():
    limits = {p: TimeLimit(hours=24) for p in Priority if p is not Priority.COMPLEX}
    with pytest.raises(ValidationError, match="complex"):
        DeadlineRules(by_priority=limits)


def test_rules_refuse_a_day_both_holiday_and_makeup():
    with pytest.raises(ValidationError, match="2026-10-01"):
        DeadlineRules(holidays=NATIONAL_DAY, makeup_workdays=MAKEUP | {date(2026, 10, 1)})


def test_rules_refuse_unknown_keys():
    with pytest.raises(ValidationError):
        DeadlineRules(holiday=NATIONAL_DAY)  # type: ignore[call-arg]


def test_default_rules():
    rules = DeadlineRules()
    assert rules.by_priority == {
        Priority.EMERGENCY: TimeLimit(hours=2),
        Priority.URGENT: TimeLimit(hours=24),
        Priority.NORMAL: TimeLimit(working_days=5),
        Priority.COMPLEX: TimeLimit(working_days=15),
    }
    assert rules.by_category == {Category.GAS: TimeLimit(hours=24)}
    assert rules.max_extension_working_days == 10


# ---------------------------------------------------------------------------
# The official calendar (chinese-calendar), with nothing in the config
#
# The State Council's 2026 notice: 国庆节 and 中秋节 together, Thursday 1 to Wednesday 7 October
# off; Sunday 20 September and Saturday 10 October worked (调休上班). 中秋 itself is Friday
# 25 to Sunday 27 September, so 27 September is NOT a make-up day in the real 2026 calendar.


def test_packaged_calendar_knows_2026():
    from store.deadlines import OFFICIAL_YEARS

    assert 2026 in OFFICIAL_YEARS


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 9, 20), True),  # Sunday, 调休上班 for National Day
        (date(2026, 9, 25), False),  # Friday, 中秋节
        (date(2026, 9, 30), True),  # Wednesday
        (date(2026, 10, 1), False),  # Thursday, 国庆节
        (date(2026, 10, 7), False),  # Wednesday, last day of the holiday
        (date(2026, 10, 8), True),  # Thursday
        (date(2026, 10, 10), True),  # Saturday, 调休上班
        (date(2026, 10, 11), False),  # Sunday
    ],
)
def test_official_calendar_without_config(day: date, working: bool):
    assert DeadlineRules().is_working_day(day) is working


def test_deadline_across_national_day_from_the_packaged_calendar():
    created = at(2026, 9, 30, 10, 0)  # Wednesday, last working day before the holiday
    # 8 Oct Thu (1), 9 Fri (2), 10 Sat 调休 (3), 12 Mon (4), 13 Tue (5).
    assert DeadlineRules().due_at(created, Category.OTHER, Priority.NORMAL) == at(2026, 10, 13, 10, 0)
    # Received on the holiday's Saturday: the same count from 8 October.
    assert DeadlineRules().due_at(at(2026, 10, 3, 8, 0), Category.OTHER, Priority.NORMAL) == at(2026, 10, 13, 8, 0)
    # One working day after Friday 9 October is the 调休 Saturday.
    assert DeadlineRules().add_working_days(at(2026, 10, 9, 15, 0), 1) == at(2026, 10, 10, 15, 0)
    # Switched off, only the weekend is skipped.
    assert PLAIN.due_at(created, Category.OTHER, Priority.NORMAL) == at(2026, 10, 7, 10, 0)


def test_config_adds_and_overrides_official_days():
    # A local day off (added), and the official 调休 Saturday given off locally (override).
    rules = DeadlineRules(holidays=frozenset({date(2026, 10, 9), date(2026, 10, 10)}))
    assert not rules.is_working_day(date(2026, 10, 9))
    assert not rules.is_working_day(date(2026, 10, 10))
    # An official holiday worked locally.
    assert DeadlineRules(makeup_workdays=frozenset({date(2026, 10, 7)})).is_working_day(date(2026, 10, 7))
    assert DeadlineRules().is_working_day(date(2026, 10, 8))  # the others are untouched


def test_uncovered_years_are_named():
    from store.deadlines import OFFICIAL_YEARS

    last = max(OFFICIAL_YEARS)
    rules = DeadlineRules()
    assert rules.uncovered_years(date(last, 6, 1)) == []
    assert rules.uncovered_years(date(last, 12, 1)) == [last + 1]
    # Holidays configured for the next year cover it; a switched-off calendar never warns.
    assert DeadlineRules(holidays=frozenset({date(last + 1, 1, 1)})).uncovered_years(date(last, 12, 1)) == []
    assert PLAIN.uncovered_years(date(last, 12, 1)) == []
