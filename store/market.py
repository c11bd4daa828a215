"""Market stalls (地摊经济): fees and reductions in whole fen, arrears, permit review, payments
and today's occupancy. Every refused move raises ``Refused`` with its reason before any write.
"""

# No `from __future__ import annotations`: string annotations cost each start (see store/models.py).
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Any, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .models import (
    MOST_FEN,
    FeeReduction,
    PermitEvent,
    PermitStatus,
    Stall,
    StallPayment,
    StallPermit,
    StallRate,
)
from .refusal import Refused
from .storage import Store, Transaction
from .text import ascii_numerals
from .values import valueclass

# ---------------------------------------------------------------------------
# Money: always integer fen, shown as yuan by string arithmetic.


class FeeRules(BaseModel):
    """Reductions in percent off the monthly fee (the report: 残疾人、退伍军人等特殊群体实行摊位费减免).

    Configurable: ``[fees.reduction_percent]`` in the config file.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    reduction_percent: dict[FeeReduction, int] = Field(
        default_factory=lambda: {FeeReduction.NONE: 0, FeeReduction.DISABLED: 50, FeeReduction.VETERAN: 30}
    )

    @field_validator("reduction_percent")
    @classmethod
    def _percentages(cls, value: dict[FeeReduction, int]) -> dict[FeeReduction, int]:
        bad = {r.value: p for r, p in value.items() if not 0 <= p <= 100}
        if bad:
            raise ValueError(f"a reduction is a percentage from 0 to 100, not {bad}")
        return value

    def percent_off(self, reduction: FeeReduction) -> int:
        return self.reduction_percent.get(reduction, 0)


def monthly_due_fen(stall: Stall, rules: FeeRules | None = None) -> int:
    """The fee a holder owes per month after any reduction, in whole fen (rounded half up)."""
    percent_paid = 100 - (rules or FeeRules()).percent_off(stall.reduction)
    return (stall.monthly_fee_fen * percent_paid + 50) // 100


def due_in(stall: Stall, month: str, rules: FeeRules | None = None) -> int:
    """What the holder owes for ``month`` ('YYYY-MM'), in fen: the due of the rate in force that
    month (``Stall.rates``; the first also covers the months before it), set when the rate was, so
    neither a later fee nor later percentages change it. A stall with no rate history: its present
    fee and reduction at today's percentages (``monthly_due_fen``), for every month."""
    if not stall.rates:
        return monthly_due_fen(stall, rules)
    rate = stall.rates[0]
    for later in stall.rates[1:]:
        if later.from_month > month:
            break
        rate = later
    return rate.due_fen


def with_rate(previous: Stall | None, stall: Stall, month: str, rules: FeeRules | None = None) -> Stall:
    """``stall`` as it is to be stored over ``previous``: when its fee or reduction changed, the new
    rate goes into its history from ``month`` (the month of the change: the clerk's rule, the new fee
    is owed from the month it is set), with the due at the percentages in force now. An entry
    already from that month is corrected, not doubled. A stall that had no history first gets the
    rate it had (from its holder's first month, or the month before), so its past keeps it. Every
    writer of a stall's fee or reduction (an import, an application, 退摊) goes through here."""
    if previous is None or (stall.monthly_fee_fen, stall.reduction) == (previous.monthly_fee_fen, previous.reduction):
        return stall
    rates = list(previous.rates)
    if not rates:
        before = month_before(month)
        since = month_key(previous.held_since) if previous.held_since is not None else before
        rates = [_rate(previous, min(since, before), rules)]
    rates = rate_changes([*(r for r in rates if r.from_month < month), _rate(stall, month, rules)])
    return stall.model_copy(update={"rates": rates})


def rate_changes(rates: Sequence[StallRate]) -> list[StallRate]:
    """A rate history without the entries that change nothing: one the same as the entry before it
    (a fee changed and back in one month, a spot given up and taken the same month at the same
    reduction) owes what that one owed, and shown it read as a change."""
    kept: list[StallRate] = []
    for rate in rates:
        if not kept or rate.model_copy(update={"from_month": kept[-1].from_month}) != kept[-1]:
            kept.append(rate)
    return kept


def holders_payments(stall: Stall, payments: Iterable[StallPayment]) -> list[StallPayment]:
    """The present holder's payments of ``payments``: their months, from the one they took the spot
    in (as their arrears count them); a vacant spot's holder has none."""
    since = month_key(stall.held_since) if stall.held_since else ""
    return [p for p in payments if p.stall_id == stall.id and p.period >= since] if stall.holder_name else []


def _rate(stall: Stall, month: str, rules: FeeRules | None) -> StallRate:
    return StallRate(
        from_month=month,
        monthly_fee_fen=stall.monthly_fee_fen,
        reduction=stall.reduction,
        due_fen=monthly_due_fen(stall, rules),
    )


def fen_to_yuan(fen: int, cents: Literal["always", "auto"] = "always") -> str:
    """12345 -> '123.45' exactly, no float. With cents="auto", whole yuan drop the '.00'."""
    sign = "-" if fen < 0 else ""
    yuan, rest = divmod(abs(fen), 100)
    if cents == "auto" and rest == 0:
        return f"{sign}{yuan}"
    return f"{sign}{yuan}.{rest:02d}"


def money(fen: int) -> str:
    """An amount as the officer reads it: 268600 -> '¥2,686', 12345 -> '¥123.45' (thousands
    grouped, whole yuan without '.00'). Every amount said in text (the panels, `summary`, the
    hand-over) is written by this one; forms and details show fen_to_yuan's plain digits."""
    yuan, cents = divmod(abs(fen), 100)
    return f"{'-' if fen < 0 else ''}¥{yuan:,}" + (f".{cents:02d}" if cents else "")


def yuan_to_fen(text: str) -> int:
    """'123.4' -> 12340, '¥50' -> 5000; no float on the way. Raises Refused on anything else,
    saying what is wrong: nothing typed, a negative amount (金额须大于 0), more than a record
    holds (金额过大：最多 100,000 元, ``MOST_FEN``), or not an amount at all (看不懂)."""
    # Full-width digits (１５０．５) are what a Chinese input method may type; beyond those only
    # ASCII digits count (str.isdigit would also accept ² and ①).
    cleaned = ascii_numerals(text).replace("￥", "¥").strip().removesuffix("元").strip()
    negative = False
    while cleaned[:1] in ("-", "¥") and cleaned:  # ¥50, -5, -¥5, ¥-5
        negative = negative or cleaned[0] == "-"
        cleaned = cleaned[1:].strip()
    if not cleaned and not negative:  # nothing typed: asked for, not called unreadable (金额「」看不懂)
        raise Refused("amount_required")
    if not re.fullmatch(r"[0-9]+(\.[0-9]{1,2})?", cleaned):
        raise Refused("amount_format", text=text)
    whole, dot, part = cleaned.partition(".")
    # Read, then said as what it is (not "unreadable"): below zero, or more than a record holds.
    if negative:
        raise Refused("amount_negative", text=text)
    most = f"{MOST_FEN // 100:,}"
    if len(whole.lstrip("0")) > len(str(MOST_FEN)):  # not turned into a number thousands of digits long
        raise Refused("amount_too_large", text=text, most=most)
    fen = int(whole) * 100 + int(part.ljust(2, "0") if dot else 0)
    if fen > MOST_FEN:
        raise Refused("amount_too_large", text=text, most=most)
    return fen


def month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def month_before(month: str) -> str:
    year, number = int(month[:4]), int(month[5:])
    return f"{year - 1:04d}-12" if number == 1 else f"{year:04d}-{number - 1:02d}"


def months_between(first: str, last: str) -> list[str]:
    """Every 'YYYY-MM' from first to last inclusive."""
    # Counted as months since year 0, each month's text made once per process (it was made twice
    # per month and compared as text: ~60 months for each of a township's 33 stalls, every load).
    start = int(first[:4]) * 12 + int(first[5:]) - 1
    end = int(last[:4]) * 12 + int(last[5:]) - 1
    return [_MONTH_TEXT.get(index) or _month_text(index) for index in range(start, end + 1)]


_MONTH_TEXT: dict[int, str] = {}  # months since year 0 -> 'YYYY-MM'


def _month_text(index: int) -> str:
    text = _MONTH_TEXT[index] = f"{index // 12:04d}-{index % 12 + 1:02d}"
    return text


# ---------------------------------------------------------------------------
# Permits


def permit_status(permit: StallPermit, today: date) -> PermitStatus:
    """The state that counts today: an approved, valid or suspended permit past its expiry date is
    expired (a suspended one cannot be reinstated then, only renewed)."""
    lapses = (PermitStatus.APPROVED, PermitStatus.VALID, PermitStatus.SUSPENDED)
    if permit.status in lapses and permit.expires_on and permit.expires_on < today:
        return PermitStatus.EXPIRED
    return permit.status


class PermitAction(StrEnum):
    APPROVE = "approve"  # 审核通过: 申请中 → 已批准
    ISSUE = "issue"  # 发证: 已批准 → 有效
    SUSPEND = "suspend"  # 暂停 (a reason is required)
    REINSTATE = "reinstate"  # 恢复: 暂停 → 有效
    RENEW = "renew"  # 重新申请: 过期 → 申请中


_PERMIT_MOVES: dict[PermitAction, tuple[frozenset[PermitStatus], PermitStatus]] = {
    PermitAction.APPROVE: (frozenset({PermitStatus.APPLIED}), PermitStatus.APPROVED),
    PermitAction.ISSUE: (frozenset({PermitStatus.APPROVED}), PermitStatus.VALID),
    PermitAction.SUSPEND: (frozenset({PermitStatus.APPROVED, PermitStatus.VALID}), PermitStatus.SUSPENDED),
    PermitAction.REINSTATE: (frozenset({PermitStatus.SUSPENDED}), PermitStatus.VALID),
    PermitAction.RENEW: (frozenset({PermitStatus.EXPIRED}), PermitStatus.APPLIED),
}


def next_permit_action(permit: StallPermit | None, today: date) -> PermitAction | None:
    """The step forward from this state (the "approve" key): review, issue, reinstate or renew."""
    if permit is None:
        return None
    return {
        PermitStatus.APPLIED: PermitAction.APPROVE,
        PermitStatus.APPROVED: PermitAction.ISSUE,
        PermitStatus.SUSPENDED: PermitAction.REINSTATE,
        PermitStatus.EXPIRED: PermitAction.RENEW,
    }.get(permit_status(permit, today))


def _latest_permit(tx: Transaction, stall_id: str) -> StallPermit | None:
    permits = [p for p in tx.all(StallPermit) if p.stall_id == stall_id]
    return max(permits, key=lambda p: (p.applied_on, p.id), default=None)


def end_of_year(day: date) -> date:
    return date(day.year, 12, 31)


def check_permit_move(permit: StallPermit | None, action: PermitAction, today: date) -> PermitStatus:
    """The permit's state today if ``action`` may move it; else ``Refused`` with the reason. The
    dashboard asks before it opens the step's form (no reason typed for a move that cannot be)."""
    if permit is None:
        raise Refused("permit_none")
    current = permit_status(permit, today)
    if current is PermitStatus.EXPIRED and action is not PermitAction.RENEW:
        raise Refused("permit_expired", expired=f"{permit.expires_on}")
    if current not in _PERMIT_MOVES[action][0]:
        raise Refused("permit_move", action=action, status=current)
    return current


def change_permit(
    store: Store,
    stall_id: str,
    action: PermitAction,
    *,
    note: str = "",
    expires_on: date | None = None,
    expected: StallPermit | None = None,
) -> StallPermit:
    """Move the stall's current permit one step, or refuse with the reason. ``expected``: the permit
    as the officer's form showed it; changed since, refused (``Transaction.as_seen``)."""
    with store.transaction() as tx:
        permit = tx.as_seen(_latest_permit(tx, stall_id), expected)
        today = tx.now.date()
        current = check_permit_move(permit, action, today)
        assert permit is not None  # (checked)
        target = _PERMIT_MOVES[action][1]
        if action is PermitAction.SUSPEND and not note.strip():
            raise Refused("permit_needs_reason")
        update: dict[str, object] = {"status": target}
        if action is PermitAction.APPROVE:
            expiry = expires_on or end_of_year(today)
            if expiry < today:
                raise Refused("permit_expiry_past", expires=f"{expiry}")
            update.update(expires_on=expiry, reviewed_by=store.actor)
        if action is PermitAction.RENEW:
            update.update(applied_on=today, expires_on=None, reviewed_by="")
        event = PermitEvent(
            at=tx.now, actor=store.actor, action=action.value, from_status=current, to_status=target, note=note.strip()
        )
        update["history"] = [*permit.history, event]
        return tx.put(StallPermit.model_validate({**permit.model_dump(), **update}, context={"new_expiry": True}))


def apply_for_stall(
    store: Store,
    stall_id: str,
    *,
    holder_name: str,
    holder_phone: str | None,
    goods: str,
    reduction: FeeReduction,
    expected: Stall | None = None,
    rules: FeeRules | None = None,
) -> StallPermit:
    """A new holder applies for a vacant spot (申请): the spot is theirs pending review, the permit
    申请中. Refused for a spot someone holds (their permit is renewed, not re-applied for).
    ``expected``: the spot as the officer's form showed it; changed since, refused (``Transaction.as_seen``).

    Raises pydantic's ValidationError naming the bad field (a phone that is not one, an empty name).
    """
    with store.transaction() as tx:
        stall = tx.as_seen(_stall(tx, stall_id), expected)
        if stall.holder_name:
            raise Refused("stall_taken", stall=stall.number)
        today = tx.now.date()
        taken = Stall.model_validate(
            {
                **stall.model_dump(),
                "holder_name": holder_name.strip(),
                "holder_phone": holder_phone or None,
                "goods": goods.strip(),
                "reduction": reduction,
                "occupied_on": None,
                "held_since": today,
            }
        )
        if not taken.holder_name:
            raise Refused("apply_needs_name")
        count = sum(1 for p in tx.all(StallPermit) if p.stall_id == stall_id)
        permit = StallPermit(
            id=f"pm-{stall_id}-{count + 1}",
            stall_id=stall_id,
            holder_name=taken.holder_name,
            status=PermitStatus.APPLIED,
            applied_on=today,
            history=[PermitEvent(at=tx.now, actor=store.actor, action="apply", to_status=PermitStatus.APPLIED)],
        )
        tx.put(with_rate(stall, taken, month_key(today), rules))
        return tx.put(permit)


def release_stall(
    store: Store, stall_id: str, reason: str, rules: FeeRules | None = None, *, expected: Stall | None = None
) -> Stall:
    """退摊: the holder gives up the spot. Their permit ends today (过期, with the reason in its
    history) and the spot is vacant for a new application. Refused while fees are owed: they are
    settled first, as a collector would insist. ``expected``: the spot as the officer's form showed
    it; changed since, refused (``Transaction.as_seen``).
    """
    if not reason.strip():
        raise Refused("release_needs_reason")
    with store.transaction() as tx:
        stall = tx.as_seen(_stall(tx, stall_id), expected)
        if not stall.holder_name:
            raise Refused("release_no_holder", stall=stall.number)
        today = tx.now.date()
        payments = [p for year in store.partitions(StallPayment) for p in tx.all(StallPayment, year)]
        paid = StallPayment.figures_of(payments)["paid_for"]  # stall id -> period -> fen, as stall_roster sums
        owed = _arrears(stall, paid.get(stall_id, {}), today, rules)[0]
        if owed:
            raise Refused("release_owes", owed=fen_to_yuan(owed))
        permit = _latest_permit(tx, stall_id)
        if permit is not None and permit_status(permit, today) is not PermitStatus.EXPIRED:
            event = PermitEvent(
                at=tx.now,
                actor=store.actor,
                action="release",
                from_status=permit.status,
                to_status=PermitStatus.EXPIRED,
                note=reason.strip(),
            )
            tx.put(
                permit.model_copy(
                    update={"status": PermitStatus.EXPIRED, "expires_on": today, "history": [*permit.history, event]}
                )
            )
        vacant = stall.model_copy(
            update={
                "holder_name": "",
                "holder_phone": None,
                "goods": "",
                "reduction": FeeReduction.NONE,
                "occupied_on": None,
                "held_since": None,
            }
        )
        return tx.put(with_rate(stall, vacant, month_key(today), rules))


# ---------------------------------------------------------------------------
# Payments and occupancy


def _stall(tx: Transaction, stall_id: str) -> Stall:
    stall = next((s for s in tx.all(Stall) if s.id == stall_id), None)
    if stall is None:
        raise Refused("stall_unknown", id=stall_id)
    return stall


def typed_period(period: str) -> str:
    """The month a payment is for, as typed (YYYY-MM; ２０２６－１１ as a Chinese input method types
    it); anything else refused (pay_period_format)."""
    period = ascii_numerals(period).strip()
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", period):
        raise Refused("pay_period_format", period=period)
    return period


def record_payment(
    store: Store, stall_id: str, period: str, amount_fen: int, collector: str, rules: FeeRules | None = None
) -> StallPayment:
    """Record a fee payment. Refused for a spot with no holder, a free spot, a month more than one
    ahead or before the present holder took the spot, or more than is still owed for the month
    (which is how a payment typed twice shows)."""
    with store.transaction() as tx:
        stall = _stall(tx, stall_id)
        if not stall.holder_name:
            raise Refused("pay_no_holder", stall=stall.number)
        period = typed_period(period)
        due = due_in(stall, period, rules)  # the month's own rate: a later fee does not reach back
        if due == 0:
            raise Refused("pay_free_stall")
        if period > month_key(tx.now.date().replace(day=28) + timedelta(days=5)):
            raise Refused("pay_future", period=period)
        if stall.held_since is not None and period < month_key(stall.held_since):
            # not this holder's month: it would count in the totals and never in their arrears
            raise Refused("pay_before_holder", period=period, since=month_key(stall.held_since))
        year = period[:4]
        already = sum(p.amount_fen for p in tx.all(StallPayment, year) if p.stall_id == stall_id and p.period == period)
        if amount_fen <= 0:
            raise Refused("pay_amount")
        if already + amount_fen > due:
            raise Refused("pay_too_much", period=period, owed=fen_to_yuan(due - already))
        count = sum(1 for p in tx.all(StallPayment, year) if p.stall_id == stall_id)
        payment = StallPayment(
            id=f"pay-{stall_id}-{period}-{count + 1}",
            stall_id=stall_id,
            period=period,
            amount_fen=amount_fen,
            paid_at=tx.now,
            collector=collector,
        )
        return tx.put(payment)


def set_occupied(store: Store, stall_id: str, occupied: bool, *, expected: Stall | None = None) -> Stall:
    """Mark the spot occupied (出摊) or vacant today. Occupied needs a holder with a valid permit.
    ``expected``: the spot as the officer's panel showed it when m was pressed; changed since,
    refused (``Transaction.as_seen``), as a form's save is."""
    with store.transaction() as tx:
        stall = tx.as_seen(_stall(tx, stall_id), expected)
        today = tx.now.date()
        if occupied:
            if not stall.holder_name:
                raise Refused("occupy_no_holder", stall=stall.number)
            permit = _latest_permit(tx, stall_id)
            status = permit_status(permit, today) if permit else None
            if status is not PermitStatus.VALID:
                raise Refused("occupy_no_permit", status=status or "—")
        return tx.put(stall.model_copy(update={"occupied_on": today if occupied else None}))


# ---------------------------------------------------------------------------
# The roster


@valueclass
@dataclass(frozen=True, eq=False, repr=False)
class StallView:
    stall: Stall
    permit: StallPermit | None
    permit_status: PermitStatus | None  # as it counts today (expiry applied)
    due_fen: int  # monthly fee after reduction, this month
    arrears_fen: int
    unpaid_periods: tuple[str, ...]  # oldest first
    occupied: bool
    paid_fen: Mapping[str, int] = field(default_factory=dict)  # the present holder's months: fen paid each
    # The due of each unpaid month, this month and next, where it is not ``due_fen`` (a rate since changed).
    due_by_month: Mapping[str, int] = field(default_factory=dict)

    def due_in(self, month: str) -> int:
        """The month's due (``due_in`` of the stall) for the months a payment may be for."""
        return self.due_by_month.get(month, self.due_fen)


def _arrears(stall: Stall, paid: dict[str, int], today: date, rules: FeeRules | None) -> tuple[int, list[str]]:
    """(fen owed, unpaid months oldest first): every month from the one the present holder took the
    spot in (``held_since``) up to last month not paid in full (the current month is due during the
    month). A holder who never paid owes from that month too. Only a spot stored without its start
    date (an old store, a sheet's empty 起租日期) counts from the holder's first payment. Each
    month is owed at its own rate (``due_in``)."""
    first: str | None
    if stall.held_since is not None:  # an earlier holder's months are not this holder's debt
        first = month_key(stall.held_since)
        paid = {m: fen for m, fen in paid.items() if m >= first}
    else:
        first = min(paid, default=None)
    if not (stall.holder_name and first):
        return 0, []
    last_month = month_key(today.replace(day=1) - timedelta(days=1))
    dues = {m: due_in(stall, m, rules) for m in months_between(first, last_month)}
    unpaid = [m for m, due in dues.items() if paid.get(m, 0) < due]
    return sum(dues[m] - paid.get(m, 0) for m in unpaid), unpaid


class FeeTotals(NamedTuple):
    month_fen: int  # collected this calendar month
    year_fen: int
    to_date_fen: int
    payments: int


def payment_figures(store: Store, *, kept: bool = False) -> list[dict[str, Any]]:
    """Each payments file's figures (``StallPayment.figures_of``), main file first, made of its
    records, each validated; ``kept``: as the file keeps them where it can (``Store.figures``,
    none of its records validated: `summary`, which reads every year's payments for two lines)."""
    files = []
    for partition in (None, *store.partitions(StallPayment)):
        sums = store.figures(StallPayment, partition) if kept else None
        files.append(sums if sums is not None else StallPayment.figures_of(store.all(StallPayment, partition)))
    return files


def stall_roster(
    store: Store, today: date, rules: FeeRules | None = None, *, for_summary: bool = False
) -> tuple[list[StallView], FeeTotals]:
    """Each spot with its permit and arrears, and the fees collected. ``for_summary``: what
    `summary` prints, the arrears and the fees, the payments' figures as their files keep them
    (``payment_figures``); no permit read (each spot's is None).

    Arrears: every month from the one the holder took the spot in up to last month not paid in
    full (the current month is due during the month, so it is not yet owed).
    """
    permits: dict[str, StallPermit] = {}
    permit: StallPermit | None  # each stall's below may have none
    for permit in () if for_summary else store.all(StallPermit):
        known = permits.get(permit.stall_id)
        if known is None or (permit.applied_on, permit.id) >= (known.applied_on, known.id):
            permits[permit.stall_id] = permit
    paid: dict[str, dict[str, int]] = {}  # stall id -> period -> fen paid (a month may be paid in parts)
    paid_in: dict[str, int] = {}  # the month paid in -> fen
    count = 0
    for sums in payment_figures(store, kept=for_summary):
        for stall_id, periods in sums["paid_for"].items():
            mine = paid.setdefault(stall_id, {})
            for period, fen in periods.items():
                mine[period] = mine.get(period, 0) + fen
        for month, fen in sums["paid_in"].items():
            paid_in[month] = paid_in.get(month, 0) + fen
        count += sums["count"]
    views = []
    this_month = month_key(today)
    next_month = month_key(today.replace(day=28) + timedelta(days=5))
    for stall in sorted(store.all(Stall), key=lambda s: (s.market, s.number)):
        due = due_in(stall, this_month, rules)
        arrears, unpaid = _arrears(stall, paid.get(stall.id, {}), today, rules)
        by_month = {m: due_in(stall, m, rules) for m in (*unpaid, next_month)} if stall.rates else {}
        since = month_key(stall.held_since) if stall.held_since else ""
        holders = {m: fen for m, fen in paid.get(stall.id, {}).items() if m >= since} if stall.holder_name else {}
        permit = permits.get(stall.id)
        views.append(
            StallView(
                stall=stall,
                permit=permit,
                permit_status=permit_status(permit, today) if permit else None,
                due_fen=due,
                arrears_fen=arrears,
                unpaid_periods=tuple(unpaid),
                occupied=stall.occupied(today),
                paid_fen=holders,
                due_by_month={m: fen for m, fen in by_month.items() if fen != due},
            )
        )
    year = f"{today.year:04d}-"
    return views, FeeTotals(
        month_fen=paid_in.get(this_month, 0),
        year_fen=sum(fen for month, fen in paid_in.items() if month.startswith(year)),
        to_date_fen=sum(paid_in.values()),
        payments=count,
    )


def releasable(view: StallView) -> None:
    """退摊 needs a holder who owes nothing: the dashboard asks before its form opens, and says so on
    an open form when another desk's change makes it so (``release_stall`` again under the lock)."""
    if not view.stall.holder_name:
        raise Refused("release_no_holder", stall=view.stall.number)
    if view.arrears_fen:
        raise Refused("release_owes", owed=fen_to_yuan(view.arrears_fen))


def payable(view: StallView, today: date) -> tuple[str, int]:
    """The payment the dashboard's form offers (``payment_default``); refused when there is none to
    take: no holder, a free spot, or every month a payment may be for paid in full."""
    if not view.stall.holder_name:  # there is no form to fill for nobody
        raise Refused("pay_no_holder", stall=view.stall.number)
    default = payment_default(view, today)
    if default is None:
        if view.due_fen:
            raise Refused("pay_paid_up", period=month_key(today.replace(day=28) + timedelta(days=5)))
        raise Refused("pay_free_stall")
    return default


def payment_default(view: StallView, today: date) -> tuple[str, int] | None:
    """The payment a collector most likely takes next, as (month, fen): the oldest month still owed
    with what is left of it; if nothing is owed, the first of this month and next not yet paid in
    full, with what is left of it. None when there is nothing to take (a free spot, or paid up to
    next month: a month beyond is refused)."""
    this_month = month_key(today)
    next_month = month_key(today.replace(day=28) + timedelta(days=5))
    for month in (*view.unpaid_periods, this_month, next_month):
        left = view.due_in(month) - view.paid_fen.get(month, 0)
        if left > 0:
            return month, left
    return None
