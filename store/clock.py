"""The one clock of the app: timezone-aware, Asia/Shanghai, freezable for tests and demos.

`DUTY_ROOM_NOW` (an ISO time, e.g. ``2026-11-28T09:30:00+08:00``) freezes the clock so
snapshot tests and screenshots are deterministic.
"""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Shanghai")
FROZEN_ENV = "DUTY_ROOM_NOW"


def now() -> datetime:
    frozen = os.environ.get(FROZEN_ENV)
    if frozen:
        return as_local(datetime.fromisoformat(frozen))
    return datetime.now(TZ)


def today() -> date:
    return now().date()


def as_local(moment: datetime) -> datetime:
    """Naive times are taken as Beijing time; aware ones are converted to it."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=TZ)
    return moment.astimezone(TZ)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def start_of_day(day: date) -> datetime:
    return at(day, 0)


def end_of_day(day: date) -> datetime:
    return start_of_day(day) + timedelta(days=1)
