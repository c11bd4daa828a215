"""Market stalls (store.market): money in whole fen, permit review, payments, occupancy and the
roster's arrears and totals."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings, strategies as st

from store import clock, market
from store.clock import at
from store.market import (
    FeeRules,
    PermitAction,
    StallView,
    apply_for_stall,
    change_permit,
    fen_to_yuan,
    money,
    monthly_due_fen,
    next_permit_action,
    payment_default,
    permit_status,
    record_payment,
    release_stall,
    set_occupied,
    stall_roster,
    with_rate,
    yuan_to_fen,
)
from store.models import (
    MOST_FEN,
    FeeReduction,
    PermitEvent,
    PermitStatus,
    Stall,
    StallPayment,
    StallPermit,
    StallRate,
)
from store.refusal import Refused
from store.storage import Store

TODAY = date(2026, 11, 28)  # a Saturday
NOW = at(TODAY, 9, 30)
ACTOR = "officer-li"
P = PermitStatus
A = PermitAction


@pytest.fixture(autouse=True)
def frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    clock.freeze(NOW.isoformat())


def set_now(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> datetime:
    clock.freeze(moment.isoformat())
    return moment


def stall(id: str = "s1", fee: int = 15000, reduction: FeeReduction = FeeReduction.NONE, **changes: Any) -> Stall:
    data: dict[str, Any] = {
        "id": id,
        "market": "玉兰商业街",
        "community_id": "yulan",
        "number": 1,
        "holder_name": "赵六",
        "monthly_fee_fen": fee,
        "reduction": reduction,
    }
    data.update(changes)
    return Stall.model_validate(data)


def permit(status: PermitStatus = P.APPLIED, **changes: Any) -> StallPermit:
    data: dict[str, Any] = {
        "id": "pm-1",
        "stall_id": "s1",
        "holder_name": "赵六",
        "status": status,
        "applied_on": date(2026, 11, 1),
    }
    data.update(changes)
    return StallPermit.model_validate(data)


def make_store(root: Path, *records: Any) -> Store:
    store = Store(root, actor=ACTOR)
    with store.transaction() as tx:
        for record in records:
            tx.put(record)
    return store


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def refused(call: Any, *args: Any, **kwargs: Any) -> Refused:
    with pytest.raises(Refused) as info:
        call(*args, **kwargs)
    return info.value


def current_permit(store: Store) -> StallPermit:
    return store.get(StallPermit, "pm-1")


# ---------------------------------------------------------------------------
# Money


@pytest.mark.parametrize(
    ("fee", "reduction", "due"),
    [
        (15000, FeeReduction.NONE, 15000),
        (15000, FeeReduction.DISABLED, 7500),  # 15000 * 50 / 100
        (15000, FeeReduction.VETERAN, 10500),  # 15000 * 70 / 100
        (12345, FeeReduction.VETERAN, 8642),  # 12345 * 70 = 864150 -> 8641.50 rounds up
        (12345, FeeReduction.DISABLED, 6173),  # 12345 * 50 = 617250 -> 6172.50 rounds up
        (12344, FeeReduction.VETERAN, 8641),  # 864080 -> 8640.80 rounds up
        (12341, FeeReduction.VETERAN, 8639),  # 863870 -> 8638.70 rounds up
        (12342, FeeReduction.VETERAN, 8639),  # 863940 -> 8639.40 rounds down
        (1, FeeReduction.DISABLED, 1),  # 0.5 fen rounds up
        (0, FeeReduction.DISABLED, 0),
    ],
)
def test_monthly_due_applies_the_default_reduction_rounded_half_up(fee: int, reduction: FeeReduction, due: int):
    result = monthly_due_fen(stall(fee=fee, reduction=reduction))
    assert result == due
    assert type(result) is int


def test_reductions_are_configurable():
    rules = FeeRules(reduction_percent={FeeReduction.DISABLED: 100, FeeReduction.VETERAN: 10})
    assert monthly_due_fen(stall(fee=15000, reduction=FeeReduction.DISABLED), rules) == 0
    assert monthly_due_fen(stall(fee=15000, reduction=FeeReduction.VETERAN), rules) == 13500
    assert monthly_due_fen(stall(fee=15000, reduction=FeeReduction.NONE), rules) == 15000


def test_a_reduction_missing_from_the_rules_takes_nothing_off():
    rules = FeeRules(reduction_percent={FeeReduction.DISABLED: 100})
    assert monthly_due_fen(stall(fee=12345, reduction=FeeReduction.VETERAN), rules) == 12345


@pytest.mark.parametrize(
    ("fen", "cents", "text"),
    [
        (12345, "always", "123.45"),
        (5, "always", "0.05"),
        (0, "always", "0.00"),
        (-150, "always", "-1.50"),
        (-5, "always", "-0.05"),
        (10000, "always", "100.00"),
        (10000, "auto", "100"),
        (10050, "auto", "100.50"),
        (-10000, "auto", "-100"),
        (123456789012, "always", "1234567890.12"),
    ],
)
def test_fen_to_yuan_is_exact(fen: int, cents: Any, text: str):
    assert fen_to_yuan(fen, cents) == text


@pytest.mark.parametrize(
    ("fen", "text"),
    [
        (268600, "¥2,686"),
        (15405200, "¥154,052"),
        (12345, "¥123.45"),
        (123456789, "¥1,234,567.89"),
        (5, "¥0.05"),
        (0, "¥0"),
        (-5, "-¥0.05"),
        (-268600, "-¥2,686"),
    ],
)
def test_money_is_one_way_to_write_an_amount(fen: int, text: str):
    """The panel's fee line, `summary` and the hand-over write amounts the same way."""
    assert money(fen) == text


@pytest.mark.parametrize(
    ("text", "fen"),
    [
        ("150", 15000),
        ("75.5", 7550),
        ("75.50", 7550),
        ("0.05", 5),
        ("0.1", 10),
        ("¥12.30", 1230),
        ("￥12.30", 1230),
        ("12元", 1200),
        (" 12.3元 ", 1230),
        ("0", 0),
        ("100000", 10_000_000),  # the most a record holds (MOST_FEN)
        ("0100000.00", 10_000_000),
        ("１５０．５", 15050),  # full-width, as a Chinese input method may type it
    ],
)
def test_yuan_to_fen_reads_yuan_exactly(text: str, fen: int):
    result = yuan_to_fen(text)
    assert result == fen
    assert type(result) is int


@pytest.mark.parametrize(
    "text",
    ["abc", "1.234", "-", "--", "-abc", "1e3", "1,000", "5.", ".5", "1.2.3", "12 3", "nan", "inf", "0x10", "-1e3"],
)
def test_yuan_to_fen_refuses_anything_else(text: str):
    error = refused(yuan_to_fen, text)
    assert error.key == "amount_format"
    assert "{" not in error.message("zh") and "{" not in error.message("en")


@pytest.mark.parametrize("text", ["-5", "-0.5", "－５", "-¥5", "¥-5", " -12元 "])
def test_a_negative_amount_is_said_so_not_called_unreadable(text: str):
    """-5 was refused as 金额「-5」看不懂: it was read; what is wrong is its sign."""
    error = refused(yuan_to_fen, text)
    assert error.key == "amount_negative"
    assert (error.message("zh"), error.message("en")) == ("金额必须大于 0", "the amount must be more than 0")


@pytest.mark.parametrize(
    "text", ["100000.01", "10000000", "123456789", "9" * 5000], ids=["100000.01", "10000000", "123456789", "5000 nines"]
)
def test_an_amount_too_large_says_the_most_not_unreadable(text: str):
    """An amount far too large (10000000) was refused as 看不懂; one of ¥100,000.01–¥9,999,999.99 was
    read, then refused by the record's own limit. Both now name the most a record holds."""
    error = refused(yuan_to_fen, text)
    assert error.key == "amount_too_large"
    assert error.message("zh") == "金额过大：最多 100,000 元"
    assert error.message("en") == "the amount is too large: at most 100,000 yuan"
    limits = [getattr(m, "le", None) for m in StallPayment.model_fields["amount_fen"].metadata]
    assert MOST_FEN == 10_000_000 and MOST_FEN in limits  # the record's own limit


def test_an_empty_amount_is_asked_for_not_called_unreadable():
    """金额「」看不懂 read like a fault of the form: nothing typed is said as such."""
    for text in ("", "  ", "¥", "元"):
        error = refused(yuan_to_fen, text)
        assert error.key == "amount_required"
        assert error.message("zh") == "请填写金额（元），如 150"


@pytest.mark.parametrize("text", ["²", "①", "1.²"])
def test_yuan_to_fen_refuses_digit_like_characters(text: str):
    assert refused(yuan_to_fen, text).key == "amount_format"


def test_ten_fen_a_thousand_times_is_exactly_a_hundred_yuan():
    total = sum(yuan_to_fen("0.10") for _ in range(1000))
    assert total == 10000 and type(total) is int
    assert yuan_to_fen("0.1") + yuan_to_fen("0.2") == yuan_to_fen("0.3")  # where floats give 0.30000000000000004
    assert fen_to_yuan(total) == "100.00"


@pytest.mark.parametrize("fen", [0, 1, 5, 10, 99, 100, 101, 12345, 10_000_000])
def test_fen_survive_a_round_trip_through_yuan_text(fen: int):
    assert yuan_to_fen(fen_to_yuan(fen)) == fen
    assert yuan_to_fen(fen_to_yuan(fen, "auto")) == fen


# ---------------------------------------------------------------------------
# Permits


@pytest.mark.parametrize("status", [P.VALID, P.APPROVED])
def test_permit_past_its_expiry_counts_as_expired(status: PermitStatus):
    assert permit_status(permit(status, expires_on=TODAY - timedelta(days=1)), TODAY) is P.EXPIRED


@pytest.mark.parametrize("status", [P.VALID, P.APPROVED])
def test_permit_on_its_expiry_day_is_still_in_force(status: PermitStatus):
    assert permit_status(permit(status, expires_on=TODAY), TODAY) is status
    assert permit_status(permit(status, expires_on=None), TODAY) is status


@pytest.mark.parametrize(
    ("status", "expires_on", "action"),
    [
        (P.APPLIED, None, A.APPROVE),
        (P.APPROVED, date(2026, 12, 31), A.ISSUE),
        (P.VALID, date(2026, 12, 31), None),
        (P.SUSPENDED, date(2026, 12, 31), A.REINSTATE),
        (P.EXPIRED, date(2026, 1, 31), A.RENEW),
        (P.VALID, date(2026, 11, 27), A.RENEW),  # valid on file, expired today
        (P.APPROVED, date(2026, 11, 27), A.RENEW),
    ],
)
def test_next_permit_action_per_status(status: PermitStatus, expires_on: date | None, action: PermitAction | None):
    assert next_permit_action(permit(status, expires_on=expires_on), TODAY) is action


def test_no_permit_has_no_next_action():
    assert next_permit_action(None, TODAY) is None


def test_permit_walks_from_application_to_valid_and_back(tmp_path: Path):
    store = make_store(tmp_path / "s", stall(), permit(P.APPLIED))

    approved = change_permit(store, "s1", A.APPROVE)
    assert (approved.status, approved.expires_on, approved.reviewed_by) == (P.APPROVED, date(2026, 12, 31), ACTOR)
    assert approved.history == [
        PermitEvent(at=NOW, actor=ACTOR, action="approve", from_status=P.APPLIED, to_status=P.APPROVED)
    ]

    issued = change_permit(store, "s1", A.ISSUE)
    suspended = change_permit(store, "s1", A.SUSPEND, note="  占道超出划线  ")
    reinstated = change_permit(store, "s1", A.REINSTATE)

    steps = [approved, issued, suspended, reinstated]
    assert [p.status for p in steps] == [P.APPROVED, P.VALID, P.SUSPENDED, P.VALID]
    assert [(e.from_status, e.to_status) for e in reinstated.history] == [
        (P.APPLIED, P.APPROVED),
        (P.APPROVED, P.VALID),
        (P.VALID, P.SUSPENDED),
        (P.SUSPENDED, P.VALID),
    ]
    assert suspended.history[-1].note == "占道超出划线"
    for earlier, later in pairwise(steps):
        assert later.history[:-1] == earlier.history  # append-only, one event a step
    assert current_permit(store) == reinstated
    assert reinstated.expires_on == date(2026, 12, 31)  # issuing and reinstating keep the expiry


def test_approve_takes_an_explicit_expiry(tmp_path: Path):
    store = make_store(tmp_path / "s", stall(), permit(P.APPLIED))
    assert change_permit(store, "s1", A.APPROVE, expires_on=date(2027, 6, 30)).expires_on == date(2027, 6, 30)


def test_approve_expiring_today_is_allowed(tmp_path: Path):
    store = make_store(tmp_path / "s", stall(), permit(P.APPLIED))
    assert change_permit(store, "s1", A.APPROVE, expires_on=TODAY).status is P.APPROVED


def assert_refused_and_unchanged(store: Store, key: str, action: PermitAction, **kwargs: Any) -> Refused:
    before = files(store.root)
    error = refused(change_permit, store, "s1", action, **kwargs)
    assert error.key == key
    assert files(store.root) == before
    return error


def test_suspend_needs_a_note(tmp_path: Path):
    store = make_store(tmp_path / "s", stall(), permit(P.VALID, expires_on=date(2026, 12, 31)))
    assert_refused_and_unchanged(store, "permit_needs_reason", A.SUSPEND)
    assert_refused_and_unchanged(store, "permit_needs_reason", A.SUSPEND, note="   ")
    assert current_permit(store).status is P.VALID


def test_approve_with_an_expiry_in_the_past_is_refused(tmp_path: Path):
    store = make_store(tmp_path / "s", stall(), permit(P.APPLIED))
    assert_refused_and_unchanged(store, "permit_expiry_past", A.APPROVE, expires_on=TODAY - timedelta(days=1))


def test_approving_a_valid_permit_is_refused(tmp_path: Path):
    store = make_store(tmp_path / "s", stall(), permit(P.VALID, expires_on=date(2026, 12, 31)))
    error = assert_refused_and_unchanged(store, "permit_move", A.APPROVE)
    assert "{" not in error.message("zh") and "有效" in error.message("zh")


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (P.APPLIED, A.ISSUE),
        (P.APPLIED, A.REINSTATE),
        (P.APPROVED, A.APPROVE),
        (P.SUSPENDED, A.ISSUE),
        (P.VALID, A.RENEW),
        (P.APPLIED, A.RENEW),
    ],
)
def test_moves_from_the_wrong_state_are_refused(tmp_path: Path, status: PermitStatus, action: PermitAction):
    store = make_store(tmp_path / "s", stall(), permit(status, expires_on=date(2026, 12, 31)))
    assert_refused_and_unchanged(store, "permit_move", action, note="理由")


def test_stall_without_a_permit_is_refused(tmp_path: Path):
    store = make_store(tmp_path / "s", stall())
    assert_refused_and_unchanged(store, "permit_none", A.APPROVE)


@pytest.mark.parametrize("action", [A.APPROVE, A.ISSUE, A.SUSPEND, A.REINSTATE])
def test_an_expired_permit_must_be_renewed(tmp_path: Path, action: PermitAction):
    store = make_store(tmp_path / "s", stall(), permit(P.APPROVED, expires_on=TODAY - timedelta(days=1)))
    error = assert_refused_and_unchanged(store, "permit_expired", action, note="理由")
    assert "2026-11-27" in error.message("en")


def test_reinstating_a_suspended_permit_past_its_expiry_is_refused(tmp_path: Path):
    store = make_store(tmp_path / "s", stall(), permit(P.SUSPENDED, expires_on=TODAY - timedelta(days=1)))
    assert_refused_and_unchanged(store, "permit_expired", A.REINSTATE)


def test_permit_expiring_while_valid_is_renewed_to_a_fresh_application(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    store = make_store(tmp_path / "s", stall(), permit(P.APPLIED))
    change_permit(store, "s1", A.APPROVE)
    issued = change_permit(store, "s1", A.ISSUE)
    later = set_now(monkeypatch, at(date(2027, 1, 2), 10, 0))
    assert permit_status(issued, later.date()) is P.EXPIRED
    assert_refused_and_unchanged(store, "permit_expired", A.APPROVE)

    renewed = change_permit(store, "s1", A.RENEW)
    assert (renewed.status, renewed.applied_on, renewed.expires_on, renewed.reviewed_by) == (
        P.APPLIED,
        later.date(),
        None,
        "",
    )
    assert renewed.history[:-1] == issued.history
    assert (renewed.history[-1].from_status, renewed.history[-1].to_status, renewed.history[-1].at) == (
        P.EXPIRED,
        P.APPLIED,
        later,
    )
    assert change_permit(store, "s1", A.APPROVE).expires_on == date(2027, 12, 31)


def test_change_permit_acts_on_the_latest_application(tmp_path: Path):
    old = permit(P.EXPIRED, id="pm-0", applied_on=date(2025, 1, 5), expires_on=date(2025, 12, 31))
    store = make_store(tmp_path / "s", stall(), old, permit(P.APPLIED))
    assert change_permit(store, "s1", A.APPROVE).id == "pm-1"
    untouched = store.get(StallPermit, "pm-0")
    assert (untouched.status, untouched.history) == (P.EXPIRED, [])


# ---------------------------------------------------------------------------
# Payments


def payments(store: Store) -> list[StallPayment]:
    return store.all_partitions(StallPayment)


def test_payment_is_recorded_in_fen_with_time_and_collector(tmp_path: Path):
    store = make_store(tmp_path / "s", stall())
    payment = record_payment(store, "s1", "2026-11", 15000, "王会计")
    assert (payment.stall_id, payment.period, payment.amount_fen, payment.paid_at, payment.collector) == (
        "s1",
        "2026-11",
        15000,
        NOW,
        "王会计",
    )
    assert payments(store) == [payment]


@pytest.mark.parametrize(
    ("spot", "key"),
    [
        (stall(holder_name=""), "pay_no_holder"),
        (stall(fee=0), "pay_free_stall"),
    ],
    ids=["no-holder", "free"],
)
def test_payment_for_a_spot_nobody_pays_for_is_refused(tmp_path: Path, spot: Stall, key: str):
    store = make_store(tmp_path / "s", spot)
    before = files(store.root)
    assert refused(record_payment, store, "s1", "2026-11", 100, "王会计").key == key
    assert files(store.root) == before


def test_payment_for_a_fully_reduced_stall_is_refused(tmp_path: Path):
    store = make_store(tmp_path / "s", stall(reduction=FeeReduction.DISABLED))
    rules = FeeRules(reduction_percent={FeeReduction.DISABLED: 100})
    assert refused(record_payment, store, "s1", "2026-11", 100, "王会计", rules).key == "pay_free_stall"
    assert payments(store) == []


@pytest.mark.parametrize("period", ["2026-13", "2026-00", "2026-1", "202611", "2026/11", "26-11", "", "2026-11-01"])
def test_payment_with_a_bad_period_is_refused(tmp_path: Path, period: str):
    store = make_store(tmp_path / "s", stall())
    assert refused(record_payment, store, "s1", period, 100, "王会计").key == "pay_period_format"
    assert payments(store) == []


def test_next_month_may_be_paid_ahead_but_not_the_one_after(tmp_path: Path):
    store = make_store(tmp_path / "s", stall())
    assert record_payment(store, "s1", "2026-12", 15000, "王会计").period == "2026-12"
    before = files(store.root)
    assert refused(record_payment, store, "s1", "2027-01", 15000, "王会计").key == "pay_future"
    assert files(store.root) == before


def test_in_december_january_of_next_year_may_be_paid_ahead(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    set_now(monkeypatch, at(date(2026, 12, 31), 16, 0))
    store = make_store(tmp_path / "s", stall())
    assert record_payment(store, "s1", "2027-01", 15000, "王会计").period == "2027-01"
    assert refused(record_payment, store, "s1", "2027-02", 15000, "王会计").key == "pay_future"


def test_a_month_before_the_holder_took_the_spot_is_refused(tmp_path: Path):
    """A payment for a month before the present holder took the spot (a mistyped year: 2025-10
    for 2026-10) was recorded and counted in the totals, yet never cleared the holder's arrears:
    the money was filed where nobody owed it. Now refused, naming the month they took it."""
    store = make_store(tmp_path / "s", stall(held_since=date(2026, 3, 15)))
    before = files(store.root)
    error = refused(record_payment, store, "s1", "2026-02", 15000, "王会计")
    assert error.key == "pay_before_holder"
    assert "2026-03" in error.message("zh") and "2026-02" in error.message("zh")
    assert files(store.root) == before
    assert record_payment(store, "s1", "2026-03", 15000, "王会计").period == "2026-03"  # the month they took it


def test_paying_the_same_month_twice_is_refused(tmp_path: Path):
    store = make_store(tmp_path / "s", stall(reduction=FeeReduction.VETERAN))
    record_payment(store, "s1", "2026-10", 10500, "王会计")
    before = files(store.root)
    error = refused(record_payment, store, "s1", "2026-10", 10500, "王会计")
    assert error.key == "pay_too_much"
    assert "0.00" in error.message("en")
    assert files(store.root) == before


def test_paying_more_than_the_reduced_due_is_refused(tmp_path: Path):
    store = make_store(tmp_path / "s", stall(reduction=FeeReduction.DISABLED))
    error = refused(record_payment, store, "s1", "2026-10", 7501, "王会计")
    assert error.key == "pay_too_much"
    assert "75.00" in error.message("en")
    assert payments(store) == []


@pytest.mark.parametrize("amount", [0, -100])
def test_payment_must_be_positive(tmp_path: Path, amount: int):
    store = make_store(tmp_path / "s", stall())
    assert refused(record_payment, store, "s1", "2026-11", amount, "王会计").key == "pay_amount"


def test_payment_for_an_unknown_stall_is_refused(tmp_path: Path):
    store = make_store(tmp_path / "s", stall())
    assert refused(record_payment, store, "s9", "2026-11", 100, "王会计").key == "stall_unknown"


def test_two_halves_pay_the_month(tmp_path: Path):
    store = make_store(tmp_path / "s", stall(reduction=FeeReduction.DISABLED))  # due 7500
    record_payment(store, "s1", "2026-09", 7500, "王会计")  # first paid month
    record_payment(store, "s1", "2026-10", 3750, "王会计")
    [view], _ = stall_roster(store, TODAY)
    assert (view.unpaid_periods, view.arrears_fen) == (("2026-10",), 3750)
    record_payment(store, "s1", "2026-10", 3750, "王会计")
    [view], _ = stall_roster(store, TODAY)
    assert (view.unpaid_periods, view.arrears_fen) == ((), 0)
    assert refused(record_payment, store, "s1", "2026-10", 1, "王会计").key == "pay_too_much"


def test_payment_ids_are_unique(tmp_path: Path):
    store = make_store(tmp_path / "s", stall(), stall("s2", number=2))
    made = [
        record_payment(store, "s1", "2026-10", 5000, "王会计"),
        record_payment(store, "s1", "2026-11", 5000, "王会计"),
        record_payment(store, "s1", "2026-10", 5000, "王会计"),
        record_payment(store, "s2", "2026-10", 5000, "王会计"),
        record_payment(store, "s1", "2025-12", 5000, "王会计"),
        record_payment(store, "s1", "2026-10", 5000, "王会计"),
    ]
    ids = [p.id for p in made]
    assert len(set(ids)) == len(ids)
    assert sorted(p.id for p in payments(store)) == sorted(ids)  # none overwrote another


# ---------------------------------------------------------------------------
# Occupancy


def test_no_holder_cannot_be_marked_occupied(tmp_path: Path):
    store = make_store(tmp_path / "s", stall(holder_name=""), permit(P.VALID))
    before = files(store.root)
    assert refused(set_occupied, store, "s1", True).key == "occupy_no_holder"
    assert files(store.root) == before


@pytest.mark.parametrize(
    ("status", "expires_on"),
    [
        (P.SUSPENDED, date(2026, 12, 31)),
        (P.EXPIRED, date(2026, 10, 31)),
        (P.APPLIED, None),
        (P.APPROVED, date(2026, 12, 31)),
        (P.VALID, date(2026, 11, 27)),
    ],
    ids=["suspended", "expired", "applied", "approved", "valid-but-past-expiry"],
)
def test_only_a_valid_permit_may_trade(tmp_path: Path, status: PermitStatus, expires_on: date | None):
    store = make_store(tmp_path / "s", stall(), permit(status, expires_on=expires_on))
    before = files(store.root)
    assert refused(set_occupied, store, "s1", True).key == "occupy_no_permit"
    assert files(store.root) == before


def test_no_permit_at_all_cannot_trade(tmp_path: Path):
    store = make_store(tmp_path / "s", stall())
    error = refused(set_occupied, store, "s1", True)
    assert error.key == "occupy_no_permit"
    assert "{" not in error.message("zh")


def test_occupied_is_for_today_only(tmp_path: Path):
    store = make_store(tmp_path / "s", stall(), permit(P.VALID, expires_on=TODAY))
    marked = set_occupied(store, "s1", True)
    saved = store.get(Stall, "s1")
    assert saved == marked and saved.occupied_on == TODAY
    assert saved.occupied(TODAY)
    assert not saved.occupied(TODAY + timedelta(days=1))
    [view], _ = stall_roster(store, TODAY)
    assert view.occupied
    [view], _ = stall_roster(store, TODAY + timedelta(days=1))
    assert not view.occupied


@pytest.mark.parametrize("spot", [stall(holder_name="", occupied_on=TODAY), stall(occupied_on=TODAY)])
def test_vacant_is_always_allowed(tmp_path: Path, spot: Stall):
    store = make_store(tmp_path / "s", spot, permit(P.SUSPENDED))
    vacated = set_occupied(store, "s1", False)
    assert vacated.occupied_on is None
    assert not store.get(Stall, "s1").occupied(TODAY)


# ---------------------------------------------------------------------------
# Roster


def paid(period: str, amount: int, when: datetime = NOW, stall_id: str = "s1", n: int = 0) -> StallPayment:
    return StallPayment(
        id=f"p-{stall_id}-{period}-{amount}-{n}",
        stall_id=stall_id,
        period=period,
        amount_fen=amount,
        paid_at=when,
        collector="王会计",
    )


def test_arrears_count_unpaid_months_since_the_first_payment_at_the_reduced_rate(tmp_path: Path):
    store = make_store(tmp_path / "s", stall(reduction=FeeReduction.DISABLED), paid("2026-08", 7500))
    [view], _ = stall_roster(store, TODAY)
    assert view.due_fen == 7500
    assert view.unpaid_periods == ("2026-09", "2026-10")  # November is due during November
    assert view.arrears_fen == 15000


def test_a_partly_paid_month_owes_the_rest(tmp_path: Path):
    store = make_store(
        tmp_path / "s",
        stall(reduction=FeeReduction.DISABLED),
        paid("2026-08", 7500),
        paid("2026-09", 3000),
        paid("2026-10", 7500),
    )
    [view], _ = stall_roster(store, TODAY)
    assert (view.unpaid_periods, view.arrears_fen) == (("2026-09",), 4500)


def test_arrears_cross_the_new_year_oldest_first(tmp_path: Path):
    store = make_store(
        tmp_path / "s",
        stall(fee=12345, reduction=FeeReduction.VETERAN),  # due 8642
        paid("2026-10", 8642),
        paid("2026-11", 42),
    )
    [view], _ = stall_roster(store, date(2027, 2, 3))
    assert view.unpaid_periods == ("2026-11", "2026-12", "2027-01")
    assert view.arrears_fen == (8642 - 42) + 8642 + 8642


def test_current_month_paid_ahead_clears_nothing_before_it(tmp_path: Path):
    store = make_store(tmp_path / "s", stall(), paid("2026-09", 15000), paid("2026-11", 15000))
    [view], _ = stall_roster(store, TODAY)
    assert (view.unpaid_periods, view.arrears_fen) == (("2026-10",), 15000)


def test_arrears_follow_configured_rules(tmp_path: Path):
    store = make_store(tmp_path / "s", stall(reduction=FeeReduction.VETERAN), paid("2026-09", 100))
    rules = FeeRules(reduction_percent={FeeReduction.VETERAN: 100})
    [view], _ = stall_roster(store, TODAY, rules)
    assert (view.due_fen, view.arrears_fen, view.unpaid_periods) == (0, 0, ())


def test_roster_shows_the_latest_permit_as_it_counts_today(tmp_path: Path):
    old = permit(P.VALID, id="pm-0", applied_on=date(2025, 1, 1), expires_on=date(2025, 12, 31))
    new = permit(P.VALID, applied_on=date(2026, 1, 2), expires_on=date(2026, 11, 27))
    store = make_store(tmp_path / "s", stall(), old, new)
    [view], _ = stall_roster(store, TODAY)
    assert view.permit == store.get(StallPermit, "pm-1")
    assert view.permit_status is P.EXPIRED


def test_fee_totals_sum_by_payment_time_exactly(tmp_path: Path):
    beijing_nov_first = datetime(2026, 10, 31, 16, 30, tzinfo=UTC)  # 2026-11-01 00:30 in Beijing
    store = make_store(
        tmp_path / "s",
        stall(),
        paid("2026-11", 1001, at(date(2026, 11, 5), 10)),
        paid("2026-10", 2345, at(date(2026, 11, 20), 15)),  # a late payment counts when it was paid
        paid("2026-10", 507, beijing_nov_first),
        paid("2026-09", 333, at(date(2026, 10, 31), 23, 59)),
        paid("2025-12", 700, at(date(2025, 12, 31), 23, 59)),
        paid("2026-01", 11, at(date(2026, 1, 1), 0, 0)),
    )
    _, totals = stall_roster(store, TODAY)
    assert totals.month_fen == 1001 + 2345 + 507
    assert totals.year_fen == 1001 + 2345 + 507 + 333 + 11
    assert totals.to_date_fen == 1001 + 2345 + 507 + 333 + 700 + 11
    assert totals.payments == 6
    assert all(type(v) is int for v in (totals.month_fen, totals.year_fen, totals.to_date_fen))


def test_the_roster_makes_each_months_text_once_not_once_a_stall(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Issue 13: the months since each holder took the spot (~60 for each of a township's 33 stalls)
    were written out as text twice each, stall after stall, at every load; each month's text is
    made once, and the arrears are the same."""
    made: list[int] = []
    make = market._month_text
    monkeypatch.setattr(market, "_MONTH_TEXT", {})
    monkeypatch.setattr(market, "_month_text", lambda index: made.append(index) or make(index))
    since = date(2024, 11, 3)
    store = make_store(
        tmp_path / "s",
        *(stall(id=f"s{n}", number=n, held_since=since) for n in range(1, 4)),
        paid("2026-10", 15000, stall_id="s2"),
    )
    views, _ = stall_roster(store, TODAY)
    assert sorted(made) == sorted(set(made)) and len(made) == 24  # 2024-11 .. 2026-10
    assert [len(v.unpaid_periods) for v in views] == [24, 23, 24]
    assert views[1].unpaid_periods[-1] == "2026-09" and views[0].arrears_fen == 24 * 15000


# ---------------------------------------------------------------------------
# A new holder's application for a vacant spot


def test_application_takes_the_vacant_spot_pending_review(tmp_path: Path):
    store = make_store(tmp_path / "s", stall(holder_name="", occupied_on=date(2026, 11, 28)))
    made = apply_for_stall(
        store, "s1", holder_name=" 钱七 ", holder_phone="13912345678", goods="烤红薯", reduction=FeeReduction.VETERAN
    )
    assert (made.status, made.applied_on, made.holder_name) == (P.APPLIED, date(2026, 11, 28), "钱七")
    assert [(e.action, e.to_status, e.actor) for e in made.history] == [("apply", P.APPLIED, ACTOR)]
    spot = store.get(Stall, "s1")
    assert (spot.holder_name, spot.holder_phone, spot.goods, spot.reduction) == (
        "钱七",
        "13912345678",
        "烤红薯",
        FeeReduction.VETERAN,
    )
    assert spot.occupied_on is None  # nobody trades on a permit under review
    assert next_permit_action(store.get(StallPermit, made.id), date(2026, 11, 28)) is PermitAction.APPROVE


def test_application_for_a_held_spot_is_refused_and_writes_nothing(tmp_path: Path):
    store = make_store(tmp_path / "s", stall())
    before = files(store.root)
    error = refused(
        apply_for_stall, store, "s1", holder_name="钱七", holder_phone=None, goods="", reduction=FeeReduction.NONE
    )
    assert error.key == "stall_taken" and "1" in error.message("zh")
    assert files(store.root) == before


def test_application_with_a_bad_phone_or_no_name_is_refused(tmp_path: Path):
    from pydantic import ValidationError

    store = make_store(tmp_path / "s", stall(holder_name=""))
    before = files(store.root)
    with pytest.raises(ValidationError) as info:
        apply_for_stall(store, "s1", holder_name="钱七", holder_phone="12345", goods="", reduction=FeeReduction.NONE)
    assert info.value.errors()[0]["loc"] == ("holder_phone",)
    assert (
        refused(
            apply_for_stall, store, "s1", holder_name="  ", holder_phone=None, goods="", reduction=FeeReduction.NONE
        ).key
        == "apply_needs_name"
    )
    assert files(store.root) == before


def test_a_second_application_after_the_spot_was_freed_gets_its_own_permit(tmp_path: Path):
    store = make_store(tmp_path / "s", stall(holder_name=""), permit(P.EXPIRED, holder_name="旧摊主"))
    made = apply_for_stall(store, "s1", holder_name="钱七", holder_phone=None, goods="", reduction=FeeReduction.NONE)
    assert made.id != "pm-1" and store.get(StallPermit, "pm-1").status is P.EXPIRED


# ---------------------------------------------------------------------------
# Releasing a spot (退摊)


def test_release_ends_the_permit_and_frees_the_spot(tmp_path: Path):
    store = make_store(
        tmp_path / "s",
        stall(occupied_on=date(2026, 11, 28), held_since=date(2026, 11, 1)),  # nothing owed yet
        permit(P.VALID, expires_on=date(2026, 12, 31)),
    )
    freed = release_stall(store, "s1", "  摊主回老家  ")
    assert (freed.holder_name, freed.holder_phone, freed.occupied_on, freed.held_since) == ("", None, None, None)
    ended = current_permit(store)
    assert (ended.status, ended.expires_on) == (P.EXPIRED, date(2026, 11, 28))
    assert (ended.history[-1].action, ended.history[-1].note) == ("release", "摊主回老家")
    made = apply_for_stall(store, "s1", holder_name="钱七", holder_phone=None, goods="", reduction=FeeReduction.NONE)
    assert made.status is P.APPLIED


def test_release_is_refused_while_fees_are_owed_or_without_reason_or_holder(tmp_path: Path):
    store = make_store(
        tmp_path / "s",
        stall(),
        stall("s2", number=2, holder_name=""),
        StallPayment(
            id="p1",
            stall_id="s1",
            period="2026-09",
            amount_fen=15000,
            paid_at=datetime(2026, 9, 3, 10, tzinfo=clock.TZ),
            collector="王会计",
        ),
    )
    before = files(store.root)
    error = refused(release_stall, store, "s1", "不干了")
    assert error.key == "release_owes" and "150.00" in error.message("zh")  # October is unpaid
    assert refused(release_stall, store, "s1", " ").key == "release_needs_reason"
    assert refused(release_stall, store, "s2", "不干了").key == "release_no_holder"
    assert files(store.root) == before


def test_a_new_holder_does_not_inherit_the_old_holders_months(tmp_path: Path):
    """Arrears count from the month the present holder took the spot: the months between the old
    holder's last payment and the new holder's start are not the new holder's debt."""
    old_paid = StallPayment(
        id="p1",
        stall_id="s1",
        period="2026-03",
        amount_fen=15000,
        paid_at=datetime(2026, 3, 3, 10, tzinfo=clock.TZ),
        collector="王会计",
    )
    new_paid = StallPayment(
        id="p2",
        stall_id="s1",
        period="2026-10",
        amount_fen=15000,
        paid_at=datetime(2026, 10, 3, 10, tzinfo=clock.TZ),
        collector="王会计",
    )
    store = make_store(tmp_path / "s", stall(holder_name="钱七", held_since=date(2026, 10, 1)), old_paid, new_paid)
    [view], _ = stall_roster(store, date(2026, 11, 28))
    assert (view.arrears_fen, view.unpaid_periods) == (0, ())
    store.put(stall(holder_name="钱七", held_since=None))  # without the start date: March to October looks owed
    [view], _ = stall_roster(store, date(2026, 11, 28))
    assert view.unpaid_periods == ("2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09")


@pytest.mark.parametrize("percent", [-10, 101])
def test_a_reduction_outside_0_to_100_percent_is_refused(percent: int):
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="0 to 100"):
        FeeRules(reduction_percent={FeeReduction.DISABLED: percent})


def test_a_month_typed_with_full_width_digits_is_paid(tmp_path: Path):
    """２０２６－１０ (a Chinese input method's digits and minus) was refused as not a month."""
    store = make_store(tmp_path / "s", stall())
    made = record_payment(store, "s1", "２０２６－１０", yuan_to_fen("１５０"), ACTOR)
    assert (made.period, made.amount_fen) == ("2026-10", 15000)
    assert refused(record_payment, store, "s1", "٢٠٢٦-١١", 100, ACTOR).key == "pay_period_format"


def test_a_holder_who_never_paid_owes_from_the_month_they_took_the_spot(tmp_path: Path):
    """Arrears started at a holder's first payment, so one who never paid owed nothing and could
    give the spot up. Now they run from the month the holder took the spot (held_since)."""
    store = make_store(tmp_path / "s", stall(held_since=date(2026, 9, 15)), permit(P.VALID))
    [view], _ = stall_roster(store, TODAY)
    assert (view.unpaid_periods, view.arrears_fen) == (("2026-09", "2026-10"), 30000)
    error = refused(release_stall, store, "s1", "不干了")
    assert error.key == "release_owes" and "300.00" in error.message("zh")
    store.put(stall(held_since=date(2026, 11, 2)))  # took the spot this month: nothing owed yet
    [view], _ = stall_roster(store, TODAY)
    assert (view.unpaid_periods, view.arrears_fen) == ((), 0)


# ---------------------------------------------------------------------------
# A stall's rate history: a new fee or reduction counts from the month it is set, not back


def change_rate(store: Store, rules: FeeRules | None = None, **changes: Any) -> Stall:
    """Change the stall's fee or reduction as an import does: through ``with_rate``, this month."""
    with store.transaction() as tx:
        before = tx.get(Stall, "s1")
        after = Stall.model_validate({**before.model_dump(), **changes})
        return tx.put(with_rate(before, after, tx.now.strftime("%Y-%m"), rules))


def paid_in_full(since: str, until: str, fee: int) -> list[StallPayment]:
    from store.market import months_between

    return [paid(m, fee, when=at(date(int(m[:4]), int(m[5:]), 3), 10)) for m in months_between(since, until)]


def test_a_raised_fee_counts_from_this_month_not_for_the_months_paid_before(tmp_path: Path):
    """玉01 held since 2022-07 at 120, every month paid in full; raised to 150 in November 2026.
    Before: its arrears became ¥1,560 (30 yuan for each of 52 months) and 退摊 was refused."""
    spot = stall(fee=12000, held_since=date(2022, 7, 1))
    store = make_store(tmp_path / "s", spot, *paid_in_full("2022-07", "2026-10", 12000))
    [view], _ = stall_roster(store, TODAY)
    assert (view.due_fen, view.arrears_fen) == (12000, 0)

    changed = change_rate(store, monthly_fee_fen=15000)
    assert changed.rates == [
        StallRate(from_month="2022-07", monthly_fee_fen=12000, due_fen=12000),
        StallRate(from_month="2026-11", monthly_fee_fen=15000, due_fen=15000),
    ]
    [view], _ = stall_roster(store, TODAY)
    assert (view.due_fen, view.arrears_fen, view.unpaid_periods) == (15000, 0, ())
    assert payment_default(view, TODAY) == ("2026-11", 15000)  # the new month owes 150
    assert refused(record_payment, store, "s1", "2026-10", 1, ACTOR).key == "pay_too_much"  # paid in full at 120
    record_payment(store, "s1", "2026-11", 15000, ACTOR)
    # December: November is past and paid at its own 150, October at its 120.
    [view], _ = stall_roster(store, date(2026, 12, 2))
    assert (view.arrears_fen, view.unpaid_periods) == (0, ())
    assert release_stall(store, "s1", "回老家").holder_name == ""  # refused for ¥1,560 before


def test_a_month_before_a_raise_left_unpaid_owes_its_old_rate(tmp_path: Path):
    store = make_store(tmp_path / "s", stall(fee=12000, held_since=date(2026, 8, 1)), paid("2026-08", 12000))
    change_rate(store, monthly_fee_fen=15000)
    [view], _ = stall_roster(store, TODAY)
    assert (view.unpaid_periods, view.arrears_fen) == (("2026-09", "2026-10"), 24000)
    assert payment_default(view, TODAY) == ("2026-09", 12000)
    record_payment(store, "s1", "2026-09", 12000, ACTOR)  # the whole of September at 120: taken
    [view], _ = stall_roster(store, date(2027, 1, 5))  # November and December at 150
    assert (view.unpaid_periods, view.arrears_fen) == (("2026-10", "2026-11", "2026-12"), 12000 + 15000 + 15000)


def test_a_reduction_granted_from_a_month_leaves_the_months_before_at_the_full_fee(tmp_path: Path):
    store = make_store(
        tmp_path / "s", stall(held_since=date(2026, 8, 1)), paid("2026-08", 15000), paid("2026-09", 15000)
    )
    changed = change_rate(store, reduction=FeeReduction.DISABLED)
    assert changed.rates[-1] == StallRate(
        from_month="2026-11", monthly_fee_fen=15000, reduction=FeeReduction.DISABLED, due_fen=7500
    )
    [view], _ = stall_roster(store, TODAY)
    assert (view.due_fen, view.unpaid_periods, view.arrears_fen) == (7500, ("2026-10",), 15000)  # not 7500
    assert refused(record_payment, store, "s1", "2026-11", 7501, ACTOR).key == "pay_too_much"
    record_payment(store, "s1", "2026-10", 15000, ACTOR)


def test_a_rate_keeps_the_due_it_was_set_with_when_the_percentages_change(tmp_path: Path):
    """[fees.reduction_percent] changed later does not rewrite a month that had its rate set."""
    store = make_store(tmp_path / "s", stall(held_since=date(2026, 8, 1)), *paid_in_full("2026-08", "2026-10", 15000))
    change_rate(store, reduction=FeeReduction.VETERAN)  # 30 % off: 105 from November
    later = FeeRules(reduction_percent={FeeReduction.VETERAN: 50})
    [view], _ = stall_roster(store, date(2027, 1, 5), later)
    assert (view.due_fen, view.unpaid_periods, view.arrears_fen) == (10500, ("2026-11", "2026-12"), 21000)
    change_rate(store, later, monthly_fee_fen=16000)  # the next rate is set at the new percentages
    assert store.get(Stall, "s1").rates[-1].due_fen == 8000


def test_a_stall_stored_without_a_rate_history_has_one_rate_for_every_month(tmp_path: Path):
    """An existing store (and the demo): no history is the present rate since ever, as before."""
    store = make_store(tmp_path / "s", stall(fee=12000, held_since=date(2026, 8, 1)), paid("2026-08", 12000))
    assert store.get(Stall, "s1").rates == []
    [view], _ = stall_roster(store, TODAY)
    assert (view.unpaid_periods, view.arrears_fen) == (("2026-09", "2026-10"), 24000)
    store.put(stall(fee=12000, held_since=date(2026, 8, 1), goods="水果"))  # nothing about the rate: no history
    assert store.get(Stall, "s1").rates == []


def test_a_rate_set_twice_in_one_month_is_corrected_not_doubled(tmp_path: Path):
    store = make_store(tmp_path / "s", stall(fee=12000, held_since=date(2026, 8, 1)))
    change_rate(store, monthly_fee_fen=1500)  # a slip: 15 for 150
    change_rate(store, monthly_fee_fen=15000)
    assert [(r.from_month, r.monthly_fee_fen) for r in store.get(Stall, "s1").rates] == [
        ("2026-08", 12000),
        ("2026-11", 15000),
    ]


def test_an_application_and_a_release_set_the_rate_from_their_month(tmp_path: Path):
    store = make_store(tmp_path / "s", stall(holder_name="", fee=15000))
    apply_for_stall(store, "s1", holder_name="钱七", holder_phone=None, goods="", reduction=FeeReduction.VETERAN)
    assert [(r.from_month, r.reduction, r.due_fen) for r in store.get(Stall, "s1").rates] == [
        ("2026-10", FeeReduction.NONE, 15000),
        ("2026-11", FeeReduction.VETERAN, 10500),
    ]
    release_stall(store, "s1", "回老家")  # the same month: back to the rate before, no entry that changes nothing
    assert store.get(Stall, "s1").rates == [StallRate(from_month="2026-10", monthly_fee_fen=15000, due_fen=15000)]
    assert store.get(Stall, "s1").reduction is FeeReduction.NONE


@pytest.mark.parametrize(
    ("rates", "match"),
    [
        ([("2026-03", 100, 100), ("2026-01", 100, 100)], "oldest first"),
        ([("2026-03", 100, 100), ("2026-03", 200, 200)], "one entry a month"),
        ([("2026-3", 100, 100)], "pattern"),
        ([("2026-03", -1, 0)], "greater than or equal to 0"),
        ([("2026-03", 100, 101)], "more than its fee"),
    ],
)
def test_a_rate_history_out_of_order_doubled_or_not_whole_fen_is_refused(rates: list[tuple[str, int, int]], match: str):
    from pydantic import ValidationError

    entries = [{"from_month": m, "monthly_fee_fen": fee, "due_fen": due} for m, fee, due in rates]
    with pytest.raises(ValidationError, match=match):
        stall(rates=entries)
    with pytest.raises(ValidationError):
        StallRate.model_validate({"from_month": "2026-03", "monthly_fee_fen": 150.5, "due_fen": 100})


def test_the_store_refuses_a_new_fee_without_its_rate_or_a_rewritten_past(tmp_path: Path):
    store = make_store(tmp_path / "s", stall(fee=12000, held_since=date(2026, 8, 1)))
    with pytest.raises(ValueError, match="not in its rate history"):
        store.put(stall(fee=15000, held_since=date(2026, 8, 1)))
    change_rate(store, monthly_fee_fen=15000)
    rewritten = [StallRate(from_month="2026-08", monthly_fee_fen=15000, due_fen=15000)]
    with pytest.raises(ValueError, match="rate history changed"):
        store.put(stall(fee=15000, held_since=date(2026, 8, 1), rates=rewritten))
    with pytest.raises(ValueError, match="append-only"):
        store.put(
            stall(
                fee=16000,
                held_since=date(2026, 8, 1),
                rates=[*rewritten, StallRate(from_month="2026-12", monthly_fee_fen=16000, due_fen=16000)],
            )
        )


# ---------------------------------------------------------------------------
# The payment form's default: what is left of the oldest month owed, else the next month not paid


def test_the_default_payment_is_what_is_left_of_the_oldest_month_owed(tmp_path: Path):
    store = make_store(
        tmp_path / "s", stall(held_since=date(2026, 9, 1)), paid("2026-09", 5000), paid("2026-10", 15000)
    )
    [view], _ = stall_roster(store, TODAY)
    assert view.paid_fen == {"2026-09": 5000, "2026-10": 15000}
    assert payment_default(view, TODAY) == ("2026-09", 10000)
    record_payment(store, "s1", *payment_default(view, TODAY), ACTOR)  # accepted as offered


def test_with_nothing_owed_the_default_is_the_next_month_not_paid(tmp_path: Path):
    """Demo 玉01 with November paid was offered 2026-11 / 120 again, refused as 「只欠 ¥0.00」."""
    store = make_store(
        tmp_path / "s", stall(held_since=date(2026, 10, 1)), paid("2026-10", 15000), paid("2026-11", 15000)
    )
    [view], _ = stall_roster(store, TODAY)
    assert payment_default(view, TODAY) == ("2026-12", 15000)
    record_payment(store, "s1", "2026-12", 15000, ACTOR)
    [view], _ = stall_roster(store, TODAY)
    assert payment_default(view, TODAY) is None  # paid up to next month: a month beyond is refused
    store = make_store(tmp_path / "t", stall(held_since=date(2026, 10, 1)), paid("2026-10", 15000))
    [view], _ = stall_roster(store, TODAY)
    assert payment_default(view, TODAY) == ("2026-11", 15000)


def test_a_free_spot_has_no_default_payment(tmp_path: Path):
    store = make_store(tmp_path / "s", stall(held_since=date(2026, 10, 1)))
    [view], _ = stall_roster(store, TODAY, FeeRules(reduction_percent={FeeReduction.NONE: 100}))
    assert payment_default(view, TODAY) is None


@settings(max_examples=200, deadline=None)
@given(
    due=st.integers(min_value=1, max_value=10**7),
    parts=st.lists(st.tuples(st.integers(min_value=0, max_value=13), st.integers(min_value=1, max_value=10**7))),
)
def test_the_default_payment_is_always_one_the_store_accepts_and_fills_its_month(
    due: int, parts: list[tuple[int, int]]
) -> None:
    """Whatever was paid before, in whole fen: the default is for a month from the holder's first
    to next month, in whole fen, never more than the month still owes, and it leaves it paid in full."""
    months = ["2025-10", "2025-11", "2025-12", *(f"2026-{m:02d}" for m in range(1, 13))]
    paid_fen: dict[str, int] = {}
    for index, amount in parts:  # as record_payment allows: never more than a month owes
        month = months[index]
        paid_fen[month] = min(due, paid_fen.get(month, 0) + amount)
    last_month = "2026-10"
    unpaid = tuple(m for m in months if m <= last_month and paid_fen.get(m, 0) < due)
    view = StallView(stall(), None, None, due, sum(due - paid_fen.get(m, 0) for m in unpaid), unpaid, False, paid_fen)
    default = payment_default(view, TODAY)
    if default is None:
        assert not unpaid and paid_fen.get("2026-11") == due and paid_fen.get("2026-12") == due
        return
    month, amount = default
    assert type(amount) is int and 0 < amount <= due
    assert paid_fen.get(month, 0) + amount == due
    assert month == (unpaid[0] if unpaid else "2026-11" if paid_fen.get("2026-11", 0) < due else "2026-12")


# ---------------------------------------------------------------------------
# Properties of the fee arithmetic (hypothesis)

fees = st.integers(min_value=0, max_value=MOST_FEN)
percents = st.integers(min_value=0, max_value=100)


@settings(max_examples=500)
@given(fee=fees, percent=percents, more=percents)
def test_a_reduction_is_never_negative_never_more_than_the_fee_and_rounds_half_up_every_time(
    fee: int, percent: int, more: int
) -> None:
    """The fee after a reduction is whole fen from 0 to the fee, within half a fen of the exact
    amount, a half always to the payer's cost (never one way here and the other there), and a
    larger reduction never asks more."""
    rules = FeeRules(reduction_percent={FeeReduction.DISABLED: percent, FeeReduction.VETERAN: max(percent, more)})
    due = monthly_due_fen(stall(fee=fee, reduction=FeeReduction.DISABLED), rules)
    exact_times_100 = fee * (100 - percent)  # the exact fee after the reduction, in hundredths of a fen
    assert type(due) is int and 0 <= due <= fee
    assert -50 < due * 100 - exact_times_100 <= 50  # half up: -0.5 < rounded - exact <= +0.5
    assert monthly_due_fen(stall(fee=fee, reduction=FeeReduction.VETERAN), rules) <= due
    assert monthly_due_fen(stall(fee=fee), rules) == fee  # no reduction, no rounding
    if percent == 100:
        assert due == 0


@given(first=st.dates(date(2000, 1, 1), date(2099, 12, 31)), last=st.dates(date(2000, 1, 1), date(2099, 12, 31)))
def test_months_between_is_every_month_once_in_order(first: date, last: date) -> None:
    from store.market import month_key, months_between

    months = months_between(month_key(first), month_key(last))
    span = (last.year * 12 + last.month) - (first.year * 12 + first.month) + 1
    assert len(months) == max(span, 0)
    if months:
        assert months[0] == month_key(first) and months[-1] == month_key(last)
    for earlier, later in pairwise(months):
        year, month = int(earlier[:4]), int(earlier[5:])
        assert later == (f"{year + 1:04d}-01" if month == 12 else f"{year:04d}-{month + 1:02d}")


@settings(max_examples=40, deadline=None)
@given(
    fee=st.integers(min_value=1, max_value=MOST_FEN),
    reduction=st.sampled_from(list(FeeReduction)),
    cuts=st.lists(st.floats(min_value=0, max_value=1, exclude_max=True), max_size=5),
)
def test_a_month_paid_in_parts_is_paid_in_full_and_not_a_fen_more(
    tmp_path_factory: pytest.TempPathFactory, fee: int, reduction: FeeReduction, cuts: list[float]
) -> None:
    """Any split of a month's fee into parts in whole fen is taken part by part, the parts sum to the
    fee, the month is then paid (not owed), and one fen more is refused."""
    due = monthly_due_fen(stall(fee=fee, reduction=reduction))
    if due == 0:
        return
    points = sorted({0, due, *(int(due * c) for c in cuts)})
    parts = [b - a for a, b in pairwise(points) if b > a]
    store = make_store(
        tmp_path_factory.mktemp("parts"), stall(fee=fee, reduction=reduction, held_since=date(2026, 10, 1))
    )
    for part in parts:
        record_payment(store, "s1", "2026-10", part, "王会计")
    [view], totals = stall_roster(store, TODAY)
    assert sum(parts) == due == totals.to_date_fen and totals.payments == len(parts)
    assert "2026-10" not in view.unpaid_periods and view.arrears_fen == 0
    assert refused(record_payment, store, "s1", "2026-10", 1, "王会计").key == "pay_too_much"


@settings(max_examples=60, deadline=None)
@given(
    fee=st.integers(min_value=0, max_value=100_000),
    reduction=st.sampled_from(list(FeeReduction)),
    since=st.dates(date(2024, 1, 1), date(2027, 6, 30)),
    payments=st.lists(
        st.tuples(st.integers(min_value=0, max_value=40), st.integers(min_value=1, max_value=200_000)), max_size=12
    ),
    holder=st.booleans(),
    history=st.dictionaries(
        st.integers(min_value=0, max_value=40),
        st.tuples(st.integers(min_value=0, max_value=100_000), st.sampled_from(list(FeeReduction)), percents),
        max_size=6,
    ),
)
def test_arrears_are_never_negative_and_are_the_unpaid_rest_of_the_holders_past_months(
    tmp_path_factory: pytest.TempPathFactory,
    fee: int,
    reduction: FeeReduction,
    since: date,
    payments: list[tuple[int, int]],
    holder: bool,
    history: dict[int, tuple[int, FeeReduction, int]],
) -> None:
    """Whatever was paid (even more than a month asks, as an old store leaves it) and whatever the
    rate history (fees and reductions from any months, each with the due set then), the arrears are
    the sum of what each unpaid month still owes at its own rate, never below zero: months from the
    one the holder took the spot in to last month, oldest first; none for a spot with no holder."""
    from store.market import month_key, months_between

    months = months_between("2024-01", "2027-05")
    records = [
        paid(months[index], amount, n=n) for n, (index, amount) in enumerate(payments)
    ]  # stored as they are: record_payment's limits are not what is tested here
    rates = [
        StallRate(from_month=months[i], monthly_fee_fen=f, reduction=r, due_fen=(f * (100 - off) + 50) // 100)
        for i, (f, r, off) in sorted(history.items())
    ]
    if rates:  # the stall's own fee and reduction are its last rate's
        fee, reduction = rates[-1].monthly_fee_fen, rates[-1].reduction
    spot = stall(fee=fee, reduction=reduction, held_since=since, holder_name="赵六" if holder else "", rates=rates)
    store = make_store(tmp_path_factory.mktemp("arrears"), spot, *records)
    [view], _ = stall_roster(store, TODAY)

    def due(month: str) -> int:  # the rate in force: the latest from that month or before, else the first
        if not rates:
            return monthly_due_fen(spot)
        return ([r for r in rates if r.from_month <= month] or rates[:1])[-1].due_fen

    paid_by_month: dict[str, int] = {}
    for record in records:
        paid_by_month[record.period] = paid_by_month.get(record.period, 0) + record.amount_fen
    assert view.arrears_fen >= 0
    assert view.arrears_fen == sum(due(m) - paid_by_month.get(m, 0) for m in view.unpaid_periods)
    assert all(paid_by_month.get(m, 0) < due(m) for m in view.unpaid_periods)
    assert list(view.unpaid_periods) == sorted(view.unpaid_periods)
    assert all(month_key(since) <= m <= "2026-10" for m in view.unpaid_periods)
    expected = [m for m in months_between(month_key(since), "2026-10") if paid_by_month.get(m, 0) < due(m)]
    assert list(view.unpaid_periods) == (expected if holder else [])
    assert view.due_fen == due("2026-11")


@settings(max_examples=60, deadline=None)
@given(
    fee=st.integers(min_value=0, max_value=100_000),
    changes=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=3),  # months after the one before
            st.integers(min_value=0, max_value=100_000),
            st.sampled_from(list(FeeReduction)),
            percents,
        ),
        max_size=8,
    ),
)
def test_a_change_of_rate_never_changes_what_a_month_before_it_owes(
    fee: int, changes: list[tuple[int, int, FeeReduction, int]]
) -> None:
    """Any run of fee and reduction changes, a month apart or several in one month, at any
    percentages: each month before a change owes what it owed before it, the month of the change
    and after owe the new due, and the history stays valid (oldest first, one entry a month)."""
    from store.market import due_in, months_between

    current = stall(fee=fee, held_since=date(2025, 1, 1))
    month_index = 0
    months = months_between("2025-01", "2027-12")
    for step, new_fee, reduction, off in changes:
        month_index += step
        month = months[month_index]
        rules = FeeRules(reduction_percent={reduction: off})
        before = {m: due_in(current, m, rules) for m in months}  # (read at the percentages in force)
        after = with_rate(
            current, current.model_copy(update={"monthly_fee_fen": new_fee, "reduction": reduction}), month, rules
        )
        after = Stall.model_validate(after.model_dump())  # the store's validation
        after.check_update(current)
        new_due = monthly_due_fen(after, rules)
        same = (new_fee, reduction) == (current.monthly_fee_fen, current.reduction)  # no change: no new rate
        for m in months:
            assert due_in(after, m, rules) == (before[m] if m < month or same else new_due)
        current = after


@settings(max_examples=500)
@given(fen=st.integers(min_value=0, max_value=MOST_FEN))
def test_every_amount_survives_yuan_text_and_a_spreadsheet_number_cell(fen: int) -> None:
    """Yuan text both ways (the forms), and the sheet's fee cell read back as text or as the number
    a clerk's Excel makes of it (float yuan): the same whole fen."""
    from store.workbook import SHEET_BY_KEY, from_cell, to_cell

    assert yuan_to_fen(fen_to_yuan(fen)) == fen == yuan_to_fen(fen_to_yuan(fen, "auto"))
    column = SHEET_BY_KEY["stalls"].column("monthly_fee_fen")
    cell = to_cell(column, fen)
    assert from_cell(column, cell) == fen
    assert from_cell(column, float(str(cell))) == fen
    assert from_cell(column, fen / 100) == fen
