"""The case desk (store.lifecycle): which steps are legal, what they do, that refused steps write
nothing; intake (draft/register) and the de-identification helpers (store.masking)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest
from pydantic import ValidationError

from store import clock, i18n, storage
from store.clock import TZ
from store.deadlines import DeadlineRules
from store.lifecycle import (
    INTAKE_REFUSALS,
    RULES,
    TRANSITIONS,
    Action,
    DuplicateCase,
    IllegalTransition,
    allowed_actions,
    apply_action,
    change_status,
    check,
    draft,
    perform,
    register,
)
from store.masking import log_reveal, mask_name, mask_phone
from store.models import (
    AuditEntry,
    Grid,
    Level,
    Petition,
    PetitionEvent,
    PetitionStatus,
    Satisfaction,
    Supervision,
)
from store.refusal import Refused
from store.storage import Store

from conftest import store_bytes

S = PetitionStatus
NOW = datetime(2026, 11, 28, 9, 30, tzinfo=TZ)  # Saturday
ACTOR = "officer-li"
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> datetime:
    clock.freeze(NOW.isoformat())
    return NOW


def set_now(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> datetime:
    clock.freeze(moment.isoformat())
    return moment


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "store", actor=ACTOR)


def case(id: str = "P1", status: S = S.NEW, **changes: Any) -> Petition:
    """A case in any status, consistent with the model's rules; not overdue unless told."""
    data: dict[str, Any] = {
        "id": id,
        "title": "楼道灯不亮",
        "channel": "hotline",
        "category": "infrastructure",
        "community_id": "dongcheng",
        "status": status,
        "assignee": "" if status in (S.NEW, S.ACCEPTED) else "综合执法队",
        "created_at": NOW - timedelta(days=1),
        "due_at": NOW + timedelta(days=2),
        "closed_at": None if status.is_open else NOW - timedelta(hours=1),
        "duplicate_of": "P0" if status is S.MERGED else None,
        "satisfaction": Satisfaction.SATISFIED if status is S.CLOSED else None,
        "solved": True if status is S.CLOSED else None,
    }
    data.update(changes)
    return Petition.model_validate(data)


# ---------------------------------------------------------------------------
# The rule table, written out independently of RULES

OPEN_BEFORE_RESOLVED = frozenset({S.NEW, S.ACCEPTED, S.DISPATCHED, S.RETURNED, S.IN_PROGRESS})
EXPECTED: dict[Action, tuple[frozenset[S], S | None]] = {
    Action.ACCEPT: (frozenset({S.NEW}), S.ACCEPTED),
    Action.DISPATCH: (frozenset({S.ACCEPTED}), S.DISPATCHED),
    Action.REDISPATCH: (frozenset({S.RETURNED}), S.DISPATCHED),
    Action.START: (frozenset({S.DISPATCHED}), S.IN_PROGRESS),
    Action.RETURN: (frozenset({S.DISPATCHED, S.IN_PROGRESS}), S.RETURNED),
    Action.RESOLVE: (frozenset({S.IN_PROGRESS}), S.RESOLVED),
    Action.FOLLOW_UP: (frozenset({S.RESOLVED}), S.CLOSED),
    Action.REDO: (frozenset({S.RESOLVED}), S.IN_PROGRESS),
    Action.REOPEN: (frozenset({S.CLOSED}), S.IN_PROGRESS),
    Action.CANCEL: (OPEN_BEFORE_RESOLVED, S.CANCELLED),
    Action.MERGE: (OPEN_BEFORE_RESOLVED, S.MERGED),
    Action.ESCALATE: (OPEN_BEFORE_RESOLVED, None),
    Action.SUPERVISE: (OPEN_BEFORE_RESOLVED, None),
    Action.EXTEND_REQUEST: (OPEN_BEFORE_RESOLVED - {S.NEW}, None),
    Action.EXTEND_GRANT: (OPEN_BEFORE_RESOLVED - {S.NEW}, None),
    Action.EXTEND_DENY: (OPEN_BEFORE_RESOLVED - {S.NEW}, None),
}
NEEDS_NOTE = {
    Action.RETURN,
    Action.REDO,
    Action.REOPEN,
    Action.CANCEL,
    Action.ESCALATE,
    Action.EXTEND_REQUEST,
    Action.EXTEND_DENY,
}
NEEDS_ASSIGNEE = {Action.DISPATCH, Action.REDISPATCH}

# Parameters that make each action acceptable apart from the case's state.
PARAMS: dict[Action, dict[str, Any]] = {
    Action.ACCEPT: {},
    Action.DISPATCH: {"assignee": "王秀兰", "assignee_id": "w1"},
    Action.REDISPATCH: {"assignee": "综合执法队"},
    Action.START: {},
    Action.RETURN: {"note": "不属本网格"},
    Action.RESOLVE: {"note": "已更换灯泡"},
    Action.FOLLOW_UP: {"satisfaction": Satisfaction.SATISFIED},
    Action.REDO: {"note": "办结质量不合格"},
    Action.REOPEN: {"note": "问题复发"},
    Action.CANCEL: {"note": "群众撤回"},
    Action.MERGE: {"duplicate_of": "T1"},
    Action.ESCALATE: {"note": "楼栋调解不成"},
    Action.SUPERVISE: {},
    Action.EXTEND_REQUEST: {"days": 3, "note": "等待配件"},
    Action.EXTEND_GRANT: {},
    Action.EXTEND_DENY: {"note": "理由不充分"},
}
ALL_PAIRS = [(action, status) for action in Action for status in S]


def test_rule_table_matches_the_case_desk_rules():
    assert set(RULES) == set(Action)
    for action, (sources, to) in EXPECTED.items():
        rule = RULES[action]
        assert rule.action is action
        assert rule.sources == sources, action
        assert rule.to is to, action
        assert rule.needs_note is (action in NEEDS_NOTE), action
        assert rule.needs_assignee is (action in NEEDS_ASSIGNEE), action


@pytest.mark.parametrize(
    ("status", "targets"),
    [
        (S.NEW, [S.ACCEPTED, S.CANCELLED]),
        (S.ACCEPTED, [S.DISPATCHED, S.CANCELLED]),
        (S.DISPATCHED, [S.IN_PROGRESS, S.RETURNED, S.CANCELLED]),
        (S.IN_PROGRESS, [S.RETURNED, S.RESOLVED, S.CANCELLED]),
        (S.RETURNED, [S.DISPATCHED, S.CANCELLED]),
        (S.RESOLVED, [S.CLOSED, S.IN_PROGRESS]),
        (S.CLOSED, [S.IN_PROGRESS]),
        (S.CANCELLED, []),
        (S.MERGED, []),
    ],
)
def test_transitions_offer_each_target_once_and_never_merge(status: S, targets: list[S]):
    steps = TRANSITIONS[status]
    assert [step.to for step in steps] == targets
    assert "merge" not in [step.action for step in steps]


def favourable(status: S, action: Action) -> Petition:
    """A case in ``status`` meeting every extra condition of ``action`` (overdue for supervise, …)."""
    changes: dict[str, Any] = {}
    if action is Action.SUPERVISE:
        changes["due_at"] = NOW - timedelta(hours=1)
    if action in (Action.EXTEND_GRANT, Action.EXTEND_DENY):
        changes["extension_days"] = 3
    return case("P1", status, **changes)


@pytest.mark.parametrize(("action", "status"), ALL_PAIRS, ids=[f"{a.value}-{s.value}" for a, s in ALL_PAIRS])
def test_check_accepts_exactly_the_rule_sources(action: Action, status: S):
    petition = favourable(status, action)
    if status in EXPECTED[action][0]:
        assert check(petition, action, NOW) is RULES[action]
        assert action in allowed_actions(petition, NOW)
    else:
        with pytest.raises(IllegalTransition) as info:
            check(petition, action, NOW)
        assert info.value.key == "action_state"
        assert info.value.params == {"action": action, "current": status}
        assert action not in allowed_actions(petition, NOW)


@pytest.mark.parametrize(("action", "status"), ALL_PAIRS, ids=[f"{a.value}-{s.value}" for a, s in ALL_PAIRS])
def test_perform_every_action_from_every_status(store: Store, action: Action, status: S):
    with store.transaction() as tx:
        tx.put(favourable(status, action))
        tx.put(case("T1", S.IN_PROGRESS))  # a merge target
    before_files = store_bytes(store.root)
    before = store.get(Petition, "P1")
    sources, to = EXPECTED[action]
    if status not in sources:
        with pytest.raises(IllegalTransition) as info:
            perform(store, "P1", action, **PARAMS[action])
        assert info.value.key == "action_state"
        assert store_bytes(store.root) == before_files
        return
    updated = perform(store, "P1", action, **PARAMS[action])
    assert updated.status is (to if to is not None else status)
    assert updated.history[:-1] == before.history
    event = updated.history[-1]
    assert (event.actor, event.action, event.at) == (ACTOR, action.value, NOW)
    assert (event.from_status, event.to_status) == (status, updated.status)
    assert store.get(Petition, "P1") == updated
    assert updated.updated_by == ACTOR


# ---------------------------------------------------------------------------
# The extra conditions


@pytest.mark.parametrize("status", sorted(OPEN_BEFORE_RESOLVED))
def test_escalate_refused_at_township_level(store: Store, status: S):
    assert check(case(status=status, level=Level.COMMUNITY), Action.ESCALATE, NOW)
    store.put(case(status=status, level=Level.TOWNSHIP))
    before = store_bytes(store.root)
    with pytest.raises(IllegalTransition) as info:
        perform(store, "P1", Action.ESCALATE, note="再升级")
    assert info.value.key == "escalate_top"
    assert "乡镇" in info.value.message("zh")
    assert store_bytes(store.root) == before


@pytest.mark.parametrize("status", sorted(OPEN_BEFORE_RESOLVED))
@pytest.mark.parametrize(
    ("due", "card", "key"),
    [
        (NOW + timedelta(minutes=1), Supervision.NONE, "supervise_not_overdue"),
        (NOW, Supervision.NONE, "supervise_not_overdue"),  # due right now is not overdue yet
        (NOW + timedelta(days=3), Supervision.YELLOW, "supervise_not_overdue"),
        (NOW - timedelta(minutes=1), Supervision.RED, "supervise_max"),
        (NOW - timedelta(minutes=1), Supervision.NONE, None),
        (NOW - timedelta(hours=20), Supervision.YELLOW, None),
    ],
)
def test_supervise_only_overdue_and_below_red(status: S, due: datetime, card: Supervision, key: str | None):
    petition = case(status=status, due_at=due, supervision=card)
    if key is None:
        check(petition, Action.SUPERVISE, NOW)
        assert apply_action(petition, Action.SUPERVISE, actor=ACTOR, now=NOW).supervision is not card
    else:
        with pytest.raises(IllegalTransition) as info:
            check(petition, Action.SUPERVISE, NOW)
        assert info.value.key == key


@pytest.mark.parametrize("status", sorted(OPEN_BEFORE_RESOLVED - {S.NEW}))
@pytest.mark.parametrize(
    ("due", "pending", "key"),
    [
        (NOW + timedelta(days=1), 2, "extension_pending"),
        (NOW - timedelta(minutes=1), None, "extension_late"),
        (NOW, None, None),  # at the deadline itself it may still be asked for
        (NOW + timedelta(days=1), None, None),
    ],
)
def test_extension_request_refused_when_pending_or_overdue(
    status: S, due: datetime, pending: int | None, key: str | None
):
    petition = case(status=status, due_at=due, extension_days=pending)
    if key is None:
        check(petition, Action.EXTEND_REQUEST, NOW)
    else:
        with pytest.raises(IllegalTransition) as info:
            check(petition, Action.EXTEND_REQUEST, NOW)
        assert info.value.key == key


@pytest.mark.parametrize("status", sorted(OPEN_BEFORE_RESOLVED - {S.NEW}))
@pytest.mark.parametrize("action", [Action.EXTEND_GRANT, Action.EXTEND_DENY])
def test_grant_and_deny_need_a_pending_request(store: Store, status: S, action: Action):
    store.put(case(status=status))
    before = store_bytes(store.root)
    with pytest.raises(IllegalTransition) as info:
        perform(store, "P1", action, **PARAMS[action])
    assert info.value.key == "extension_none"
    assert store_bytes(store.root) == before
    # Overdue does not matter for a decision on a pending request.
    check(case(status=status, extension_days=2, due_at=NOW - timedelta(days=1)), action, NOW)


@pytest.mark.parametrize("status", sorted(OPEN_BEFORE_RESOLVED))
def test_merge_refused_for_a_case_that_has_duplicates(store: Store, status: S):
    with store.transaction() as tx:
        tx.put(case("P1", status, duplicates=["D1"]))
        tx.put(case("T1", S.NEW))
    before = store_bytes(store.root)
    with pytest.raises(IllegalTransition) as info:
        perform(store, "P1", Action.MERGE, duplicate_of="T1")
    assert info.value.key == "merge_has_duplicates"
    assert "1" in info.value.message("zh")
    assert store_bytes(store.root) == before


# ---------------------------------------------------------------------------
# Notes and assignees


@pytest.mark.parametrize("action", sorted(NEEDS_NOTE))
@pytest.mark.parametrize("note", ["", "   ", "\n\t"])
def test_steps_needing_a_note_refuse_a_blank_one(store: Store, action: Action, note: str):
    status = next(iter(sorted(EXPECTED[action][0])))
    store.put(favourable(status, action))
    before = store_bytes(store.root)
    with pytest.raises(IllegalTransition) as info:
        perform(store, "P1", action, **{**PARAMS[action], "note": note})
    assert info.value.key == "needs_note"
    assert info.value.message("zh") == f"「{i18n.t('action.' + action.value)}」需要填写原因"
    assert store_bytes(store.root) == before


@pytest.mark.parametrize("action", sorted(NEEDS_ASSIGNEE))
@pytest.mark.parametrize("assignee", ["", "  "])
def test_dispatch_refuses_a_blank_assignee(store: Store, action: Action, assignee: str):
    status = S.ACCEPTED if action is Action.DISPATCH else S.RETURNED
    store.put(case(status=status, assignee=""))
    before = store_bytes(store.root)
    with pytest.raises(IllegalTransition) as info:
        perform(store, "P1", action, assignee=assignee)
    assert info.value.key == "needs_assignee"
    assert store_bytes(store.root) == before


def test_follow_up_needs_a_rating(store: Store):
    store.put(case(status=S.RESOLVED))
    before = store_bytes(store.root)
    with pytest.raises(IllegalTransition) as info:
        perform(store, "P1", Action.FOLLOW_UP)
    assert info.value.key == "needs_rating"
    assert store_bytes(store.root) == before


def test_apply_action_is_pure():
    petition = case(status=S.NEW)
    dumped = petition.model_dump()
    updated = apply_action(petition, Action.ACCEPT, actor=ACTOR, now=NOW)
    assert petition.model_dump() == dumped
    assert petition.history == [] and petition.status is S.NEW
    assert updated.status is S.ACCEPTED and len(updated.history) == 1


# ---------------------------------------------------------------------------
# A full walk through the store


INTAKE = {
    "title": "楼道灯不亮",
    "channel": "hotline",
    "category": "infrastructure",
    "community_id": "dongcheng",
    "grid_id": "dc-M01",
    "building": "1号楼",
    "unit": "1单元",
    "reporter_name": "李小明",
    "reporter_phone": "13812341234",
    "description": "3号楼2单元楼道灯坏了一周。",
}


class Walker:
    """Takes steps through the store and checks each appends exactly one event."""

    def __init__(self, store: Store, case_id: str, monkeypatch: pytest.MonkeyPatch):
        self.store, self.id, self.monkeypatch = store, case_id, monkeypatch
        self.now = clock.now()

    def step(self, action: Action, *, to: S, note: str | None = None, **params: Any) -> Petition:
        self.now = set_now(self.monkeypatch, self.now + timedelta(minutes=30))
        before = self.store.get(Petition, self.id)
        if note is not None:
            params["note"] = note
        updated = perform(self.store, self.id, action, **params)
        assert updated.status is to
        assert len(updated.history) == len(before.history) + 1
        assert updated.history[: len(before.history)] == before.history  # append-only
        event = updated.history[-1]
        assert (event.at, event.actor, event.action) == (self.now, self.store.actor, action.value)
        assert (event.from_status, event.to_status) == (before.status, to)
        if note is not None:
            assert note in event.note
        assert Store(self.store.root).get(Petition, self.id) == updated  # what another process reads
        return updated

    def refused(self, action: Action, key: str, **params: Any) -> IllegalTransition:
        before = store_bytes(self.store.root)
        with pytest.raises(IllegalTransition) as info:
            perform(self.store, self.id, action, **params)
        assert info.value.key == key
        assert store_bytes(self.store.root) == before
        return info.value


def test_full_walk(small_store: Store, monkeypatch: pytest.MonkeyPatch):
    store = small_store
    created = register(store, INTAKE)
    assert created.id == "MK261128-001"
    assert created.status is S.NEW
    (create_event,) = created.history
    assert (create_event.action, create_event.actor, create_event.to_status) == ("create", "duty-officer", S.NEW)
    w = Walker(store, created.id, monkeypatch)

    w.step(Action.ACCEPT, to=S.ACCEPTED)
    w.refused(Action.DISPATCH, "needs_assignee")
    dispatched = w.step(Action.DISPATCH, to=S.DISPATCHED, assignee="王秀兰", assignee_id="w1")
    assert (dispatched.assignee, dispatched.assignee_id) == ("王秀兰", "w1")
    assert dispatched.history[-1].note == "王秀兰"  # the assignee is the note when none is given
    w.step(Action.START, to=S.IN_PROGRESS)
    w.refused(Action.RETURN, "needs_note")
    w.refused(Action.RETURN, "needs_note", note="  ")
    w.step(Action.RETURN, to=S.RETURNED, note="不属本网格，请重新派单")
    redispatched = w.step(Action.REDISPATCH, to=S.DISPATCHED, assignee="综合执法队")
    assert (redispatched.assignee, redispatched.assignee_id) == ("综合执法队", None)
    w.step(Action.START, to=S.IN_PROGRESS)
    w.step(Action.RESOLVE, to=S.RESOLVED, note="已更换灯泡")

    back = w.step(Action.FOLLOW_UP, to=S.IN_PROGRESS, satisfaction=Satisfaction.UNSATISFIED)
    assert back.history[-1].satisfaction is Satisfaction.UNSATISFIED
    assert back.history[-1].solved is False
    assert back.satisfaction is None and back.solved is None and back.closed_at is None

    w.step(Action.RESOLVE, to=S.RESOLVED, note="重新布线")
    closed = w.step(Action.FOLLOW_UP, to=S.CLOSED, satisfaction=Satisfaction.SATISFIED)
    assert closed.closed_at == w.now
    assert closed.satisfaction is Satisfaction.SATISFIED and closed.solved is True
    assert (closed.history[-1].satisfaction, closed.history[-1].solved) == (Satisfaction.SATISFIED, True)

    w.refused(Action.REOPEN, "needs_note")
    reopened = w.step(Action.REOPEN, to=S.IN_PROGRESS, note="灯又坏了")
    assert reopened.satisfaction is None and reopened.solved is None and reopened.closed_at is None

    assert [e.action for e in reopened.history] == [
        "create",
        "accept",
        "dispatch",
        "start",
        "return",
        "redispatch",
        "start",
        "resolve",
        "follow_up",
        "resolve",
        "follow_up",
        "reopen",
    ]
    assert all(e.actor == "duty-officer" for e in reopened.history)
    times = [e.at for e in reopened.history]
    assert times == sorted(times) and len(set(times)) == len(times)


def test_escalate_building_community_township(store: Store, monkeypatch: pytest.MonkeyPatch):
    store.put(case(status=S.IN_PROGRESS))
    w = Walker(store, "P1", monkeypatch)
    w.refused(Action.ESCALATE, "needs_note")
    first = w.step(Action.ESCALATE, to=S.IN_PROGRESS, note="楼栋调解不成")
    assert first.level is Level.COMMUNITY
    assert first.history[-1].note == "楼栋→社区: 楼栋调解不成"
    w.refused(Action.ESCALATE, "needs_note", note="")
    second = w.step(Action.ESCALATE, to=S.IN_PROGRESS, note="社区无权处理")
    assert second.level is Level.TOWNSHIP
    assert second.history[-1].note == "社区→乡镇: 社区无权处理"
    error = w.refused(Action.ESCALATE, "escalate_top", note="还要升级")
    assert error.message("zh") == "P1：已在最高层级「乡镇」，不能再升级"
    assert store.get(Petition, "P1").level is Level.TOWNSHIP


def test_supervise_yellow_red_then_refused(store: Store, monkeypatch: pytest.MonkeyPatch):
    store.put(case(status=S.DISPATCHED, due_at=NOW + timedelta(hours=2)))
    w = Walker(store, "P1", monkeypatch)
    w.refused(Action.SUPERVISE, "supervise_not_overdue")
    set_now(monkeypatch, NOW + timedelta(hours=3))
    w.now = NOW + timedelta(hours=3)
    assert w.step(Action.SUPERVISE, to=S.DISPATCHED).supervision is Supervision.YELLOW
    assert w.step(Action.SUPERVISE, to=S.DISPATCHED).supervision is Supervision.RED
    w.refused(Action.SUPERVISE, "supervise_max")
    assert store.get(Petition, "P1").supervision is Supervision.RED


def test_extension_request_grant_and_deny(store: Store, monkeypatch: pytest.MonkeyPatch):
    due = datetime(2026, 11, 30, 17, 0, tzinfo=TZ)  # Monday
    store.put(case(status=S.IN_PROGRESS, due_at=due))
    w = Walker(store, "P1", monkeypatch)
    limit = DeadlineRules().max_extension_working_days
    assert limit == 10
    for days in (None, 0, -1, limit + 1):
        error = w.refused(Action.EXTEND_REQUEST, "extension_days", days=days, note="等待配件")
        assert str(limit) in error.message("zh")
    w.refused(Action.EXTEND_REQUEST, "needs_note", days=3)

    requested = w.step(Action.EXTEND_REQUEST, to=S.IN_PROGRESS, days=3, note="等待配件")
    assert requested.extension_days == 3 and requested.due_at == due
    assert requested.history[-1].note == "+3: 等待配件"
    w.refused(Action.EXTEND_REQUEST, "extension_pending", days=2, note="再申请")

    granted = w.step(Action.EXTEND_GRANT, to=S.IN_PROGRESS)
    # Monday + 3 working days = Thursday, same clock time.
    assert granted.due_at == datetime(2026, 12, 3, 17, 0, tzinfo=TZ)
    assert granted.due_at == DeadlineRules().add_working_days(due, 3)
    assert granted.extension_days is None
    w.refused(Action.EXTEND_GRANT, "extension_none")

    w.step(Action.EXTEND_REQUEST, to=S.IN_PROGRESS, days=limit, note="需要协调")
    w.refused(Action.EXTEND_DENY, "needs_note")
    denied = w.step(Action.EXTEND_DENY, to=S.IN_PROGRESS, note="理由不充分")
    assert denied.extension_days is None and denied.due_at == granted.due_at
    w.refused(Action.EXTEND_DENY, "extension_none", note="again")

    # Once overdue, an extension can no longer be asked for.
    set_now(monkeypatch, granted.due_at + timedelta(minutes=1))
    w.refused(Action.EXTEND_REQUEST, "extension_late", days=1, note="太晚了")


def test_extension_follows_the_rules_given(store: Store, monkeypatch: pytest.MonkeyPatch):
    due = datetime(2026, 11, 30, 17, 0, tzinfo=TZ)  # Monday
    rules = DeadlineRules(holidays=frozenset({datetime(2026, 12, 1).date()}), max_extension_working_days=2)
    store.put(case(status=S.DISPATCHED, due_at=due))
    w = Walker(store, "P1", monkeypatch)
    w.refused(Action.EXTEND_REQUEST, "extension_days", days=3, note="等待配件", rules=rules)
    w.step(Action.EXTEND_REQUEST, to=S.DISPATCHED, days=2, note="等待配件", rules=rules)
    granted = w.step(Action.EXTEND_GRANT, to=S.DISPATCHED, rules=rules)
    # Tuesday 1 December is a holiday: Wednesday (1), Thursday (2).
    assert granted.due_at == datetime(2026, 12, 3, 17, 0, tzinfo=TZ)
    assert granted.due_at == rules.add_working_days(due, 2)


# ---------------------------------------------------------------------------
# Merge through the store


def merge_store(store: Store) -> None:
    with store.transaction() as tx:
        tx.put(case("DUP", S.ACCEPTED))
        tx.put(case("ORIG", S.IN_PROGRESS, duplicates=["OLD"]))
        tx.put(case("DONE", S.CLOSED))
        tx.put(case("GONE", S.CANCELLED))


def test_merge_marks_duplicate_and_original_in_one_transaction(store: Store):
    merge_store(store)
    generation = store.generation()
    merged = perform(store, "DUP", Action.MERGE, duplicate_of="ORIG")
    assert merged.status is S.MERGED
    assert merged.duplicate_of == "ORIG"
    assert merged.closed_at == NOW
    assert merged.history[-1].action == "merge" and merged.history[-1].note == "ORIG"
    original = store.get(Petition, "ORIG")
    assert original.duplicates == ["OLD", "DUP"]
    assert original.status is S.IN_PROGRESS
    assert original.history == []  # the original's own history is unchanged
    assert original.updated_by == ACTOR and original.updated_at == NOW
    assert store.generation() == generation + 1  # one transaction, one write of the cases' day file
    assert store.manifest()["files"]["petitions/2026-11-27.json"] == generation + 1
    # The merged case is final: it cannot be merged again, nor change status.
    with pytest.raises(IllegalTransition):
        perform(store, "DUP", Action.MERGE, duplicate_of="ORIG")
    with pytest.raises(IllegalTransition) as info:
        change_status(store, "DUP", S.IN_PROGRESS)
    assert info.value.key == "final"


@pytest.mark.parametrize(
    ("target", "key"),
    [
        ("DUP", "merge_target"),
        ("", "merge_target"),
        (None, "merge_target"),
        ("NOPE", "merge_missing"),
        ("DONE", "merge_closed"),
        ("GONE", "merge_closed"),
    ],
)
def test_merge_refusals_write_nothing(store: Store, target: str | None, key: str):
    merge_store(store)
    before = store_bytes(store.root)
    params = {} if target is None else {"duplicate_of": target}
    with pytest.raises(IllegalTransition) as info:
        perform(store, "DUP", Action.MERGE, **params)
    assert info.value.key == key
    assert store_bytes(store.root) == before


def test_merge_into_itself_refused_by_apply_action_too():
    with pytest.raises(IllegalTransition) as info:
        apply_action(case("P1"), Action.MERGE, actor=ACTOR, now=NOW, duplicate_of="P1")
    assert info.value.key == "merge_target"


def test_merge_into_a_merged_case_refused(store: Store):
    merge_store(store)
    store.put(case("OTHER", S.NEW))
    perform(store, "OTHER", Action.MERGE, duplicate_of="ORIG")
    before = store_bytes(store.root)
    with pytest.raises(IllegalTransition) as info:
        perform(store, "DUP", Action.MERGE, duplicate_of="OTHER")
    assert info.value.key == "merge_closed"
    assert store_bytes(store.root) == before


# ---------------------------------------------------------------------------
# change_status: the single legal step to a target


@pytest.mark.parametrize(
    ("status", "target", "action"),
    [
        (S.NEW, S.ACCEPTED, "accept"),
        (S.NEW, S.CANCELLED, "cancel"),
        (S.ACCEPTED, S.DISPATCHED, "dispatch"),
        (S.DISPATCHED, S.IN_PROGRESS, "start"),
        (S.DISPATCHED, S.RETURNED, "return"),
        (S.IN_PROGRESS, S.RETURNED, "return"),
        (S.IN_PROGRESS, S.RESOLVED, "resolve"),
        (S.RETURNED, S.DISPATCHED, "redispatch"),
        (S.RESOLVED, S.CLOSED, "follow_up"),
        (S.RESOLVED, S.IN_PROGRESS, "redo"),
        (S.CLOSED, S.IN_PROGRESS, "reopen"),
    ],
)
def test_change_status_picks_the_single_legal_step(store: Store, status: S, target: S, action: str):
    store.put(case(status=status))
    updated = change_status(store, "P1", target, note="说明", assignee="王秀兰")
    assert updated.status is target
    (event,) = updated.history
    assert (event.action, event.from_status, event.to_status, event.actor) == (action, status, target, ACTOR)


def test_change_status_redispatch_keeps_the_assignee(store: Store):
    store.put(case(status=S.RETURNED, assignee="综合执法队"))
    updated = change_status(store, "P1", S.DISPATCHED)
    assert updated.assignee == "综合执法队"


def test_change_status_follow_up_defaults_to_satisfied(store: Store):
    store.put(case(status=S.RESOLVED))
    closed = change_status(store, "P1", S.CLOSED)
    assert closed.satisfaction is Satisfaction.SATISFIED and closed.solved is True


def test_change_status_unsatisfied_redo_records_the_rating(store: Store):
    store.put(case(status=S.RESOLVED))
    back = change_status(store, "P1", S.IN_PROGRESS, satisfaction=Satisfaction.UNSATISFIED)
    assert back.history[-1].action == "follow_up"
    assert back.history[-1].satisfaction is Satisfaction.UNSATISFIED


def test_change_status_illegal_target_names_allowed_statuses_in_chinese(store: Store):
    store.put(case(status=S.NEW))
    before = store_bytes(store.root)
    with pytest.raises(IllegalTransition) as info:
        change_status(store, "P1", S.RESOLVED)
    error = info.value
    assert error.key == "transition"
    assert error.params["allowed"] == (S.ACCEPTED, S.CANCELLED)
    zh = error.message("zh")
    assert zh == "「待受理」的案件不能改为「已办结」；可以改为：已受理 / 已撤销"
    assert HAN.search(zh) and not re.search(r"[A-Za-z]", zh)
    en = error.message("en")
    assert str(error) == en
    assert "accepted / cancelled" in en and not HAN.search(en)
    assert store_bytes(store.root) == before


@pytest.mark.parametrize("status", [S.CANCELLED, S.MERGED])
def test_change_status_of_a_final_case(store: Store, status: S):
    store.put(case(status=status))
    with pytest.raises(IllegalTransition) as info:
        change_status(store, "P1", S.IN_PROGRESS, note="x")
    assert info.value.key == "final"
    assert info.value.message("zh").startswith("「" + {"cancelled": "已撤销", "merged": "已合并"}[status.value])


def test_every_refusal_has_both_languages():
    refusals = 0
    for action, status in ALL_PAIRS:
        if status in EXPECTED[action][0]:
            continue
        with pytest.raises(IllegalTransition) as info:
            check(favourable(status, action), action, NOW)
        zh, en = info.value.message("zh"), info.value.message("en")
        assert HAN.search(zh) and not HAN.search(en), (action, status)
        assert i18n.label(status, "zh") in zh and i18n.t(f"action.{action.value}", "zh") in zh
        assert "{" not in zh and "{" not in en and "refused." not in zh
        refusals += 1
    assert refusals == sum(len(S) - len(sources) for sources, _ in EXPECTED.values())


# ---------------------------------------------------------------------------
# Intake


def field_errors(error: ValidationError) -> set[str]:
    return {str(e["loc"][0]) for e in error.errors()}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "长" * 81}, "title"),
        ({"reporter_phone": "12345"}, "reporter_phone"),
        ({"title": "\x1b[31m红色"}, "title"),
        ({"title": "响铃\x07"}, "title"),
        ({"description": "描述\x1b[2J"}, "description"),
        ({"description": "描述\x07"}, "description"),
        ({"reporter_name": "李\x1b]0;x\x07"}, "reporter_name"),
        ({"category": "weather"}, "category"),
        ({"priority": "soon"}, "priority"),
        ({"channel": "pigeon"}, "channel"),
    ],
)
def test_draft_refuses_bad_fields(changes: dict[str, str], field: str):
    with pytest.raises(ValidationError) as info:
        draft({**INTAKE, **changes}, actor=ACTOR, now=NOW)
    assert field_errors(info.value) == {field}


def test_draft_refuses_several_bad_fields_at_once():
    with pytest.raises(ValidationError) as info:
        draft({**INTAKE, "title": "", "reporter_phone": "12345"}, actor=ACTOR, now=NOW)
    assert field_errors(info.value) == {"title", "reporter_phone"}


def test_draft_title_at_limit_is_accepted():
    assert len(draft({**INTAKE, "title": "长" * 80}, actor=ACTOR, now=NOW).title) == 80


@pytest.mark.parametrize("extra", [{"status": "closed"}, {"id": "X1"}, {"due_at": NOW}, {"hacker": 1}])
def test_draft_refuses_unknown_fields(extra: dict[str, Any]):
    with pytest.raises(ValueError, match="not intake fields") as info:
        draft({**INTAKE, **extra}, actor=ACTOR, now=NOW)
    assert next(iter(extra)) in str(info.value)


def test_draft_ignores_empty_optional_fields():
    petition = draft({**INTAKE, "reporter_phone": "", "grid_id": None, "priority": ""}, actor=ACTOR, now=NOW)
    assert petition.reporter_phone is None and petition.grid_id is None
    assert petition.priority.value == "normal"


def test_rich_markup_is_stored_literally(small_store: Store):
    created = register(small_store, {**INTAKE, "title": "[red]x[/]", "description": "[bold]楼顶[/bold] 漏水"})
    stored = Store(small_store.root).get(Petition, created.id)
    assert stored.title == "[red]x[/]"
    assert stored.description == "[bold]楼顶[/bold] 漏水"
    assert b'"title":"[red]x[/]"' in small_store.path_for(Petition, "2026-11-28").read_bytes()  # today's cases


def test_register_assigns_ids_per_day(small_store: Store, monkeypatch: pytest.MonkeyPatch):
    first = register(small_store, INTAKE)
    second = register(small_store, {**INTAKE, "title": "井盖丢失"})
    assert (first.id, second.id) == ("MK261128-001", "MK261128-002")
    # small_store's cases are MK261127-00x: yesterday's sequence does not affect today's.
    set_now(monkeypatch, NOW + timedelta(days=1))
    assert register(small_store, INTAKE).id == "MK261129-001"
    set_now(monkeypatch, NOW + timedelta(hours=1))
    assert register(small_store, INTAKE).id == "MK261128-003"
    ids = [p.id for p in small_store.all(Petition)]
    assert len(ids) == len(set(ids))


def test_register_ids_continue_after_gapped_cases_from_the_days_counter(small_store: Store):
    with small_store.transaction() as tx:
        tx.put(case("MK261128-007", S.NEW, community_id="dongcheng"))
    assert register(small_store, INTAKE).id == "MK261128-008"
    # The day's counter (in the manifest), not a scan of the files, gives the next number: a case
    # that left the active file does not free its number, and the archive is never read.
    with small_store.transaction() as tx:
        tx.delete(Petition, "MK261128-008")
    assert small_store.manifest()["counters"]["MK261128"] == 8
    assert register(small_store, {**INTAKE, "title": "井盖丢失"}).id == "MK261128-009"


def test_a_busy_days_cases_fill_25_a_file_and_a_retry_is_still_found(small_store: Store):
    ids = [register(small_store, {**INTAKE, "title": f"井盖丢失 {n}"}).id for n in range(1, 28)]
    assert ids == [f"MK261128-{n:03d}" for n in range(1, 28)]
    assert [p for p in small_store.live_partitions(Petition) if p.startswith("2026-11-28")] == [
        "2026-11-28",
        "2026-11-28.2",
    ]
    assert [p.id for p in small_store.all(Petition, "2026-11-28.2")] == ["MK261128-026", "MK261128-027"]
    with pytest.raises(DuplicateCase) as info:  # the retry of the 27th, kept in the day's second file
        register(small_store, {**INTAKE, "title": "井盖丢失 27"})
    assert info.value.existing.id == "MK261128-027"
    # A store written before the day's counter: the next number follows every file of the day.
    manifest = orjson.loads((small_store.root / "manifest.json").read_bytes())
    del manifest["counters"]["MK261128"]
    (small_store.root / "manifest.json").write_bytes(orjson.dumps(manifest))
    assert register(Store(small_store.root, actor="duty-officer"), {**INTAKE, "title": "路灯"}).id == "MK261128-028"


def test_register_stamps_creation_and_history(small_store: Store):
    created = register(small_store, INTAKE)
    assert created.created_at == NOW
    assert created.updated_by == "duty-officer" and created.updated_at == NOW
    assert created.history == [PetitionEvent(at=NOW, actor="duty-officer", action="create", to_status=S.NEW)]
    assert created.reporter_phone == "13812341234"
    assert small_store.get(Petition, created.id) == created


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"community_id": "nowhere"}, "community_id"),
        ({"community_id": "yulan"}, "grid_id"),  # dc-M01 belongs to dongcheng
        ({"grid_id": "zz-1"}, "grid_id"),
    ],
)
def test_register_refuses_unknown_community_or_foreign_grid(small_store: Store, changes: dict[str, str], field: str):
    before = store_bytes(small_store.root)
    with pytest.raises(Refused) as info:
        register(small_store, {**INTAKE, **changes})
    assert INTAKE_REFUSALS[info.value.key] == field
    assert info.value.message("zh").startswith(("没有", "网格「"))  # in the interface language, not English
    assert store_bytes(small_store.root) == before


def test_register_without_grid_is_accepted_in_a_known_community(small_store: Store):
    created = register(small_store, {**INTAKE, "community_id": "yulan", "grid_id": None})
    assert created.community_id == "yulan" and created.grid_id is None


def test_register_invalid_fields_write_nothing(small_store: Store):
    before = store_bytes(small_store.root)
    with pytest.raises(ValidationError):
        register(small_store, {**INTAKE, "title": "\x1b[31m"})
    assert store_bytes(small_store.root) == before


@pytest.mark.parametrize(
    ("category", "priority", "due"),
    [
        ("infrastructure", "normal", datetime(2026, 12, 4, 9, 30, tzinfo=TZ)),  # Saturday + 5 working days
        ("gas", "normal", NOW + timedelta(hours=24)),  # gas: 24 h even at normal priority
        ("gas", "complex", NOW + timedelta(hours=24)),
        ("gas", "emergency", NOW + timedelta(hours=2)),
        ("sanitation", "urgent", NOW + timedelta(hours=24)),
        ("property", "complex", datetime(2026, 12, 18, 9, 30, tzinfo=TZ)),
    ],
)
def test_register_due_time_follows_deadline_rules(small_store: Store, category: str, priority: str, due: datetime):
    created = register(small_store, {**INTAKE, "category": category, "priority": priority})
    assert created.due_at == due
    assert created.due_at == DeadlineRules().due_at(NOW, created.category, created.priority)


def test_register_uses_the_rules_given(small_store: Store):
    rules = DeadlineRules(holidays=frozenset({datetime(2026, 12, 4).date()}))
    created = register(small_store, INTAKE, rules=rules)
    assert created.due_at == datetime(2026, 12, 7, 9, 30, tzinfo=TZ)  # Friday off: Monday


# ---------------------------------------------------------------------------
# Masking and the logged reveal


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13812341234", "138****1234"),
        ("0393-1234567", "0393****67"),
        ("12345", "12345"),  # a service line names no one (a caller's, from the hotline)
        ("110", "110"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_phone(phone: str | None, masked: str):
    assert mask_phone(phone) == masked


@pytest.mark.parametrize(("name", "masked"), [("李小明", "李**"), ("欧阳小明", "欧***"), ("王五", "王*"), ("", "")])
def test_mask_name(name: str, masked: str):
    assert mask_name(name) == masked


def audit_entries(store: Store) -> list[AuditEntry]:
    return store.all(AuditEntry, "2026-11")


def test_granted_reveal_adds_event_and_audit_entry(small_store: Store):
    before = small_store.get(Petition, "MK261127-001")
    entry = log_reveal(small_store, "petitions:MK261127-001", ["name", "phone"], True)
    assert (entry.actor, entry.action, entry.subject, entry.allowed, entry.at) == (
        "duty-officer",
        "reveal",
        "petitions:MK261127-001",
        True,
        NOW,
    )
    assert entry.fields == ["name", "phone"]
    assert (small_store.root / "audit" / "2026-11.json").exists()
    assert audit_entries(Store(small_store.root)) == [entry]
    after = small_store.get(Petition, "MK261127-001")
    assert after.history[:-1] == before.history
    event = after.history[-1]
    assert (event.action, event.actor, event.at) == ("reveal", "duty-officer", NOW)
    assert event.from_status is event.to_status is before.status
    assert event.note == "name, phone"


def test_refused_reveal_is_audited_without_an_event(small_store: Store):
    petitions_before = small_store.path_for(Petition, "2026-11-27").read_bytes()
    entry = log_reveal(small_store, "petitions:MK261127-002", ["phone"], False)
    assert entry.allowed is False
    assert small_store.path_for(Petition, "2026-11-27").read_bytes() == petitions_before
    assert [e.allowed for e in audit_entries(small_store)] == [False]
    # Attempts accumulate in the month's partition, granted or not.
    log_reveal(small_store, "petitions:MK261127-002", ["phone"], True)
    log_reveal(small_store, "petitions:MK261127-002", ["phone"], False)
    assert sorted(e.allowed for e in audit_entries(small_store)) == [False, False, True]
    assert [e.action for e in small_store.get(Petition, "MK261127-002").history] == ["reveal"]


def test_audit_is_kept_by_month(small_store: Store, monkeypatch: pytest.MonkeyPatch):
    log_reveal(small_store, "petitions:MK261127-001", ["phone"], False)
    set_now(monkeypatch, datetime(2026, 12, 1, 8, 0, tzinfo=TZ))
    log_reveal(small_store, "petitions:MK261127-001", ["phone"], False)
    assert small_store.partitions(AuditEntry) == ["2026-11", "2026-12"]
    assert len(small_store.all(AuditEntry, "2026-12")) == 1


def test_reveal_of_another_record_is_audited_only(small_store: Store):
    petitions_before = small_store.path_for(Petition, "2026-11-27").read_bytes()
    log_reveal(small_store, "households:h1", ["phone"], True)
    assert small_store.path_for(Petition, "2026-11-27").read_bytes() == petitions_before
    assert [e.subject for e in audit_entries(small_store)] == ["households:h1"]


def test_reveal_of_an_archived_case_is_audited(small_store: Store):
    """`petition show --reveal` finds archived cases too: the attempt must still be logged."""
    old = case(
        "MK261001-001",
        S.CLOSED,
        created_at=NOW - timedelta(days=60),
        due_at=NOW - timedelta(days=55),
        closed_at=NOW - timedelta(days=50),
    )
    with small_store.transaction() as tx:
        tx.put(old)
        assert tx.archive_closed_petitions() == 1
    entry = log_reveal(small_store, "petitions:MK261001-001", ["phone"], True)
    assert entry.allowed is True
    assert audit_entries(small_store) == [entry]
    archived = small_store.get(Petition, "MK261001-001", "archive-2026-10")
    assert [e.action for e in archived.history] == ["reveal"]
    assert "MK261001-001" not in [p.id for p in small_store.all(Petition)]  # it stays in the archive


def test_reveal_files_are_valid_json(small_store: Store):
    log_reveal(small_store, "petitions:MK261127-001", ["phone"], True)
    data = orjson.loads((small_store.root / "audit" / "2026-11.json").read_bytes())
    assert len(data[storage.RECORDS]) == 1


def test_register_refuses_a_building_or_unit_where_the_grid_has_no_household(small_store: Store) -> None:
    """登记 took 1号楼2单元 on the 1号楼1单元 micro grid without a word: the case went to a grid worker
    whose households live elsewhere. The grid's households say where it is (its building and unit,
    and those of the grids under it); the field that contradicts them is refused, in its words."""
    before = store_bytes(small_store.root)
    refused = {}
    for fields, key in (
        ({"unit": "2单元"}, "unit_outside_grid"),
        ({"building": "3号楼", "unit": "1单元"}, "building_outside_grid"),
        ({"grid_id": "dc-B01", "building": "1", "unit": "第二单元"}, "unit_outside_grid"),  # a branch: its micro grids'
    ):
        with pytest.raises(Refused) as caught:
            register(small_store, {**INTAKE, **fields})
        assert caught.value.key == key
        assert INTAKE_REFUSALS[key] == ("unit" if key.startswith("unit") else "building")
        refused[key] = caught.value
    assert store_bytes(small_store.root) == before
    assert refused["unit_outside_grid"].message("zh") == "网格「1号楼支部网格」的住户在1号楼1单元，不在1号楼2单元"
    assert refused["building_outside_grid"].message("en") == (
        "grid '1号楼1单元' has its households in building 1 unit 1, not in building 3"
    )
    # The same place however it is written; a grid with no household on the register is not judged.
    for building, unit in (("1号楼", "1单元"), ("一栋", "第1单元"), ("１", ""), ("", "1"), ("", "")):
        register(small_store, {**INTAKE, "title": f"楼道灯不亮{building}{unit}", "building": building, "unit": unit})
    with small_store.transaction() as tx:
        tx.put(Grid(id="dc-M02", community_id="dongcheng", level="micro", name="1号楼2单元", parent_id="dc-B01"))
    register(small_store, {**INTAKE, "title": "井盖丢失", "grid_id": "dc-M02", "unit": "2单元"})
