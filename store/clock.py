"""The one clock of the app: timezone-aware, Asia/Shanghai.

Nobody running the command can set it: a time that could be chosen by the caller would let
anyone back-date a case step or file a reveal under an old audit month. Tests, screenshots and
benchmarks freeze it from Python (``clock.freeze(moment)``, the ``frozen_clock`` fixture, or
``tests/frozen_cli.py`` for a subprocess), never through the environment.
"""

from __future__ import annotations

import os
import sysconfig
import zoneinfo
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo


def _beijing() -> ZoneInfo:
    """Asia/Shanghai from the system's zone files (root's) or the tzdata package installed with the
    app, never from ``PYTHONTZPATH``: a folder of the caller's own with an Asia/Shanghai at +14:00 in
    it moved "today", every deadline and the month a reveal is filed under."""
    asked = zoneinfo.TZPATH
    built_in = [path for path in (sysconfig.get_config_var("TZPATH") or "").split(os.pathsep) if os.path.isabs(path)]
    zoneinfo.reset_tzpath(to=built_in)
    try:
        ZoneInfo.clear_cache(only_keys=["Asia/Shanghai"])  # (one looked up before this, in the caller's folder)
        return ZoneInfo("Asia/Shanghai")
    finally:
        zoneinfo.reset_tzpath(to=asked)  # nobody else's lookups changed


TZ = _beijing()

_frozen: datetime | None = None


def now() -> datetime:
    if _frozen is not None:
        return _frozen
    return datetime.now(TZ)


def freeze(moment: datetime | str) -> datetime:
    """Stop the clock at ``moment`` (an aware or naive Beijing time, or its ISO text): tests only."""
    global _frozen
    _frozen = as_local(datetime.fromisoformat(moment) if isinstance(moment, str) else moment)
    return _frozen


def unfreeze() -> None:
    global _frozen
    _frozen = None


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
