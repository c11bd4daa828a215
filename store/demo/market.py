"""Market: 玉兰商业街's 25 stalls since July 2022 and 锦华社区's weekend market, with permits and monthly fees."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from .. import clock
from ..models import FeeReduction, PermitEvent, PermitStatus, Stall, StallPayment, StallPermit
from ..storage import Store
from . import data
from .common import DemoBuild, mobile, month_add, person_name

# The review steps that led to each status (申请 → 审核 → 发证 → …).
_ISSUED = [
    ("approve", PermitStatus.APPLIED, PermitStatus.APPROVED),
    ("issue", PermitStatus.APPROVED, PermitStatus.VALID),
]
REVIEW_STEPS: dict[PermitStatus, list[tuple[str, PermitStatus, PermitStatus]]] = {
    PermitStatus.APPLIED: [],
    PermitStatus.APPROVED: _ISSUED[:1],
    PermitStatus.VALID: _ISSUED,
    PermitStatus.SUSPENDED: [*_ISSUED, ("suspend", PermitStatus.VALID, PermitStatus.SUSPENDED)],
    PermitStatus.EXPIRED: _ISSUED,
}


def seed_market(build: DemoBuild, store: Store) -> None:
    stalls: list[Stall] = []
    permits: list[StallPermit] = []
    payments: list[StallPayment] = []
    _yulan(build, stalls, permits, payments)
    _weekend_market(build, stalls, permits, payments)
    build.write(store, stalls=stalls, permits=permits, payments=payments)


def _yulan(build: DemoBuild, stalls: list[Stall], permits: list[StallPermit], payments: list[StallPayment]) -> None:
    rng = build.rng
    today = build.today
    this_month = (today.year, today.month)
    for number in range(1, len(data.YULAN_GOODS) + 1):
        stall_id = f"yl-{number:02d}"
        fee = data.YULAN_FEES_FEN[number % len(data.YULAN_FEES_FEN)]
        reduction = data.YULAN_REDUCTIONS.get(number, FeeReduction.NONE)
        held = number not in data.YULAN_VACANT
        status = data.YULAN_PERMITS.get(number, PermitStatus.VALID)
        holder = person_name(rng) if held else ""
        occupied = held and status is PermitStatus.VALID and rng.random() < data.YULAN_OCCUPIED_SHARE
        start = month_add(*data.YULAN_OPENED, max(0, number - data.YULAN_FIRST_WAVE))
        stalls.append(
            Stall(
                id=stall_id,
                market=data.YULAN_MARKET,
                community_id="yulan",
                number=number,
                goods=data.YULAN_GOODS[number - 1] if held else "",
                holder_name=holder,
                holder_phone=mobile(rng) if held else None,
                reduction=reduction,
                monthly_fee_fen=fee,
                occupied_on=today if occupied else None,
                held_since=date(*start, 1) if held else None,
            )
        )
        if held:
            applied = date(*start, 1) - timedelta(days=rng.randint(5, 20))
            expires: date | None = date(today.year, 12, 31)
            if status is PermitStatus.APPLIED:
                applied, expires = today - timedelta(days=rng.randint(1, 6)), None
            elif status is PermitStatus.APPROVED:
                applied = today - timedelta(days=rng.randint(10, 20))
            elif status is PermitStatus.EXPIRED:
                y, m = month_add(*this_month, -2)
                expires = date(y, m, 1) - timedelta(days=1)
            permits.append(
                StallPermit(
                    id=f"pm-{stall_id}",
                    stall_id=stall_id,
                    holder_name=holder,
                    status=status,
                    applied_on=applied,
                    expires_on=expires,
                    reviewed_by="" if status is PermitStatus.APPLIED else data.REVIEW_OFFICE,
                    history=_permit_history(applied, status, build.now),
                )
            )
        last = month_add(*this_month, -data.YULAN_VACANT[number]) if number in data.YULAN_VACANT else this_month
        behind = data.YULAN_ARREARS.get(number, 0)
        amount = fee * data.REDUCED_SHARE[reduction] // 100
        owed_from = month_add(*this_month, -behind) if behind else month_add(*this_month, 1)
        payments += _monthly_payments(
            build, stall_id, amount, start, min(last, month_add(*owed_from, -1)), data.YULAN_COLLECTOR
        )


def _weekend_market(
    build: DemoBuild, stalls: list[Stall], permits: list[StallPermit], payments: list[StallPayment]
) -> None:
    rng = build.rng
    today = build.today
    this_month = (today.year, today.month)
    weekend = today.weekday() >= 5
    for number, goods in enumerate(data.WEEKEND_GOODS, start=1):
        stall_id = f"jh-{number:02d}"
        holder = person_name(rng)
        fee = data.WEEKEND_RECYCLING_FEE_FEN if goods == "电子产品回收" else data.WEEKEND_FEE_FEN
        reduction = FeeReduction.VETERAN if number == data.WEEKEND_VETERAN_STALL else FeeReduction.NONE
        applied = today - timedelta(days=rng.randint(120, 400))
        # Reviewed and issued within days: the holder takes the spot, and owes its fee, from the next month.
        took = date(*month_add(applied.year, applied.month, 1), 1)
        phone = mobile(rng)
        occupied = weekend and rng.random() < data.WEEKEND_OCCUPIED_SHARE
        stalls.append(
            Stall(
                id=stall_id,
                market=data.WEEKEND_MARKET,
                community_id="jinhua",
                number=number,
                goods=goods,
                holder_name=holder,
                holder_phone=phone,
                monthly_fee_fen=fee,
                reduction=reduction,
                occupied_on=today if occupied else None,
                held_since=took,
            )
        )
        permits.append(
            StallPermit(
                id=f"pm-{stall_id}",
                stall_id=stall_id,
                holder_name=holder,
                status=PermitStatus.VALID,
                applied_on=applied,
                expires_on=date(today.year, 12, 31),
                reviewed_by=data.WEEKEND_REVIEWER,
                history=_permit_history(applied, PermitStatus.VALID, build.now),
            )
        )
        amount = fee * data.REDUCED_SHARE[reduction] // 100
        last_paid = month_add(*this_month, -2) if number == data.WEEKEND_BEHIND_STALL else this_month
        payments += _monthly_payments(
            build, stall_id, amount, (took.year, took.month), last_paid, data.WEEKEND_COLLECTOR
        )


def _monthly_payments(
    build: DemoBuild, stall_id: str, amount: int, first: tuple[int, int], last: tuple[int, int], collector: str
) -> list[StallPayment]:
    """One payment a month from ``first`` to ``last`` (inclusive), early in the month, none in the future."""
    rng = build.rng
    payments = []
    y, m = first
    while (y, m) <= last:
        paid = clock.at(date(y, m, rng.randint(1, 10)), rng.randint(9, 16), rng.randrange(60))
        if paid < build.now:
            payments.append(
                StallPayment(
                    id=f"pay-{stall_id}-{y}-{m:02d}",
                    stall_id=stall_id,
                    period=f"{y}-{m:02d}",
                    amount_fen=amount,
                    paid_at=paid,
                    collector=collector,
                )
            )
        y, m = month_add(y, m, 1)
    return payments


def _permit_history(applied: date, status: PermitStatus, now: datetime) -> list[PermitEvent]:
    """The review steps that led to ``status``, three days apart, none after now."""
    start = clock.at(applied, 9, 0)
    events = [PermitEvent(at=start, actor="摊主", action="apply", to_status=PermitStatus.APPLIED)]
    for n, (action, before, after) in enumerate(REVIEW_STEPS[status], start=1):
        moment = min(start + timedelta(days=3 * n), now)
        note = data.SUSPEND_NOTE if action == "suspend" else ""
        events.append(
            PermitEvent(
                at=moment, actor=data.REVIEW_OFFICE, action=action, from_status=before, to_status=after, note=note
            )
        )
    return events
