"""Duty roster: today's leader and staff of the duty room (值班表)."""

from __future__ import annotations

from ..models import DutyShift
from ..storage import Store
from . import data
from .common import DemoBuild


def seed_duty_roster(build: DemoBuild, store: Store) -> None:
    staff = build.rng.sample(data.DUTY_STAFF, data.DUTY_STAFF_PER_DAY)
    shift = DutyShift(id=f"duty-{build.today:%Y%m%d}", day=build.today, leader=build.rng.choice(data.DUTY_LEADERS),
                      staff=staff)
    build.write(store, duty=[shift])
