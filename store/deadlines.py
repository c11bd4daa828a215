"""Due times of cases: from priority and category, counted in hours or in working days.

Defaults follow common 12345 practice: emergencies and risks to life or property, feedback in
2 hours; water, power, gas, heating 24 hours; general cases 5 working days; complex cases 15
working days. Working days skip weekends and public holidays, and count the make-up working
days (调休上班) that fall on weekends. The holidays and make-up days are China's published ones
(the State Council's yearly notice, as packaged by ``chinese-calendar``); the configuration can
add days or override a published one, and can switch the published calendar off.
"""

# No `from __future__ import annotations`: string annotations cost each start (see store/models.py).
from datetime import date, datetime, timedelta
from typing import Self

from chinese_calendar import constants as official
from pydantic import BaseModel, ConfigDict, Field, model_validator

from .clock import as_local
from .models import Category, Priority


class TimeLimit(BaseModel):
    """Either calendar hours or working days, not both."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    hours: int | None = Field(default=None, ge=1, le=24 * 90)
    working_days: int | None = Field(default=None, ge=1, le=90)

    @model_validator(mode="after")
    def _one_unit(self) -> Self:
        if (self.hours is None) == (self.working_days is None):
            raise ValueError("give a time limit in hours or in working_days, exactly one of them")
        return self


def _default_priority_limits() -> dict[Priority, TimeLimit]:
    return {
        Priority.EMERGENCY: TimeLimit(hours=2),
        Priority.URGENT: TimeLimit(hours=24),
        Priority.NORMAL: TimeLimit(working_days=5),
        Priority.COMPLEX: TimeLimit(working_days=15),
    }


def _default_category_limits() -> dict[Category, TimeLimit]:
    # Gas is a utility and a risk: never slower than the 24-hour utility limit.
    return {Category.GAS: TimeLimit(hours=24)}


class SchoolBreak(BaseModel):
    """寒假 / 暑假: school days stop (四点半小课堂, 护学岗), working days do not."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    first: date
    last: date

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.last < self.first:
            raise ValueError(f"a school break ends ({self.last}) before it starts ({self.first})")
        return self


# Years the packaged official calendar covers; outside them only weekends (and the config) count.
OFFICIAL_YEARS = frozenset(day.year for day in official.holidays)


class DeadlineRules(BaseModel):
    """Time limits and the official calendar (holidays, 调休 make-up days, school breaks)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    by_priority: dict[Priority, TimeLimit] = Field(default_factory=_default_priority_limits)
    by_category: dict[Category, TimeLimit] = Field(default_factory=_default_category_limits)
    holidays: frozenset[date] = frozenset()
    makeup_workdays: frozenset[date] = frozenset()  # weekend days worked in exchange for a holiday
    max_extension_working_days: int = Field(default=10, ge=0, le=60)
    school_breaks: tuple[SchoolBreak, ...] = ()
    # China's published holidays and 调休 days; the two lists above add to it and win over it.
    official_calendar: bool = True

    @model_validator(mode="after")
    def _every_priority(self) -> Self:
        missing = [p.value for p in Priority if p not in self.by_priority]
        if missing:
            raise ValueError(f"by_priority needs a limit for: {', '.join(missing)}")
        overlap = self.holidays & self.makeup_workdays
        if overlap:
            raise ValueError(f"a day cannot be both a holiday and a make-up working day: {min(overlap)}")
        return self

    def is_school_day(self, day: date) -> bool:
        """A working day outside the school breaks (寒暑假)."""
        return self.is_working_day(day) and not any(b.first <= day <= b.last for b in self.school_breaks)

    def is_working_day(self, day: date) -> bool:
        if day in self.makeup_workdays:
            return True
        if day in self.holidays:
            return False
        if self.official_calendar:
            if day in official.workdays:
                return True
            if day in official.holidays:
                return False
        return day.weekday() < 5

    def uncovered_years(self, first: date, days: int = 60) -> list[int]:
        """Years between ``first`` and ``days`` later that neither the packaged official calendar
        nor the configured holidays know: there only weekends would be days off."""
        if not self.official_calendar:
            return []
        known = OFFICIAL_YEARS | {d.year for d in self.holidays} | {d.year for d in self.makeup_workdays}
        years = range(first.year, (first + timedelta(days=days)).year + 1)
        return [year for year in years if year not in known]

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """The same clock time on the ``days``-th working day after ``start``'s day."""
        day = start.date()
        counted = 0
        while counted < days:
            day += timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        return start.replace(year=day.year, month=day.month, day=day.day)

    def apply(self, start: datetime, limit: TimeLimit) -> datetime:
        start = as_local(start)
        if limit.hours is not None:
            return start + timedelta(hours=limit.hours)
        assert limit.working_days is not None
        return self.add_working_days(start, limit.working_days)

    def due_at(self, created: datetime, category: Category, priority: Priority) -> datetime:
        """The earlier of the priority's limit and the category's (if it has one)."""
        due = self.apply(created, self.by_priority[priority])
        if category in self.by_category:
            due = min(due, self.apply(created, self.by_category[category]))
        return due
