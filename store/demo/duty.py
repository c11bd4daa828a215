"""Duty roster: today's leader and staff of the duty room (值班表)."""

from __future__ import annotations

from ..dutylog_demo import seed_duty_room
from ..models import DutyShift
from ..storage import Store
from . import data
from .common import DemoBuild


def seed_duty_roster(build: DemoBuild, store: Store) -> None:
    staff = build.rng.sample(data.DUTY_STAFF, data.DUTY_STAFF_PER_DAY)
    shift = DutyShift(
        id=f"duty-{build.today:%Y%m%d}", day=build.today, leader=build.rng.choice(data.DUTY_LEADERS), staff=staff
    )
    build.write(store, duty=[shift])


def seed_duty_log(build: DemoBuild, store: Store) -> None:
    """The duty room's own week: shifts with a swap, log entries and one open incident (store/dutylog_demo.py)."""
    seed_duty_room(store, build.today)
