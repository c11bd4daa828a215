"""A write from a form acts only on the record as the form showed it (``expected``).

Every store function a form or the status choice writes through takes the record as the officer's
screen showed it; under the transaction lock the store compares it with the record as it is
(``Transaction.as_seen``) and refuses (``changed_meanwhile``) when another desk changed it since,
writing nothing; a step that change made illegal is refused for that reason instead. With the record as it is now, the same write goes through. Without ``expected``
(the command line, imports) nothing changes.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import date, time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from store import clock
from store.deadlines import DeadlineRules
from store.duty_models import IncidentCategory, ReportStage
from store.dutylog import find_incident, open_incident, report_incident
from store.lifecycle import Action, change_status, check, perform
from store.market import PermitAction, apply_for_stall, change_permit, release_stall, set_occupied
from store.models import (
    FeeReduction,
    GridWorker,
    Household,
    Petition,
    PetitionStatus,
    ServiceSchedule,
    ServiceSession,
    Stall,
    StallPermit,
    WorkerRole,
)
from store.refusal import Refused
from store.roster import edit_worker, move_household, put_schedule, retire_worker
from store.schedule import SessionRef, cancel, check_in, complete
from store.storage import Store

from conftest import FROZEN_NOW, add_children_schedule, build_small_store, elsewhere, store_bytes


def refused_and_nothing_written(store: Store, write: Callable[[], object]) -> None:
    before = store_bytes(store.root)
    with pytest.raises(Refused) as refused:
        write()
    assert refused.value.key == "changed_meanwhile"
    assert "此件已被他人更新" in refused.value.message("zh")
    assert store_bytes(store.root) == before


def session(store: Store, session_id: str) -> ServiceSession:
    today = clock.now().date()
    return next(s for s in store.all(ServiceSession, today.isoformat()) if s.id == session_id)


def permit(store: Store) -> StallPermit:
    return store.get(StallPermit, "pm-1")


def stall(store: Store) -> Stall:
    return store.get(Stall, "yl-01")


# Each write path a form takes: (what the form showed, another desk's change, the form's write with expected).
Shown = Callable[[Store], Any]
Change = Callable[[Store], object]
Write = Callable[[Store, Any], object]


PATHS: dict[str, tuple[Shown, Change, Write]] = {
    "a case's step (督办 on a case another desk just dispatched)": (
        lambda s: s.get(Petition, "MK261127-002"),
        lambda o: perform(o, "MK261127-002", Action.DISPATCH, assignee="综合执法队"),
        lambda s, seen: perform(s, "MK261127-002", Action.SUPERVISE, note="请加快", expected=seen),
    ),
    "the status choice (改状态)": (
        lambda s: s.get(Petition, "MK261127-001"),
        lambda o: perform(o, "MK261127-001", Action.SUPERVISE, note="县里催办"),
        lambda s, seen: change_status(s, "MK261127-001", PetitionStatus.ACCEPTED, expected=seen),
    ),
    "a permit's step": (
        permit,
        lambda o: suspended_and_reinstated(o),  # 有效 again, as shown, but not the permit shown
        lambda s, seen: change_permit(s, "yl-01", PermitAction.SUSPEND, note="占道经营", expected=seen),
    ),
    "a stall's release (退摊)": (
        stall,
        lambda o: set_occupied(o, "yl-01", False),
        lambda s, seen: release_stall(s, "yl-01", "不做了", expected=seen),
    ),
    "a session's completion": (
        lambda s: session(s, "sv0"),
        lambda o: check_in(o, SessionRef(clock.now().date(), "sv0"), DeadlineRules()),
        lambda s, seen: complete(s, SessionRef(clock.now().date(), "sv0"), 12, DeadlineRules(), expected=seen),
    ),
    "a session's cancellation": (
        lambda s: session(s, "sv1"),
        lambda o: _retitle_session(o, "sv1"),
        lambda s, seen: cancel(s, SessionRef(clock.now().date(), "sv1"), "天气原因", DeadlineRules(), expected=seen),
    ),
    "a household's move": (
        lambda s: s.get(Household, "h1"),
        lambda o: move_household(o, "h1", "dc-B01", clock.now().date()),
        lambda s, seen: move_household(s, "h1", "dc-L1", clock.now().date(), expected=seen),
    ),
    "a worker's retirement": (
        lambda s: s.get(GridWorker, "w1"),
        lambda o: edit_worker(o, "w1", phone="13900001111"),
        lambda s, seen: retire_worker(s, "w1", clock.now().date(), hand_over_to="w2", expected=seen),
    ),
    "a worker's edit": (
        lambda s: s.get(GridWorker, "w1"),
        lambda o: edit_worker(o, "w1", name="王秀芝"),
        lambda s, seen: edit_worker(s, "w1", role=WorkerRole.GRID_WORKER, expected=seen),
    ),
    "a schedule's edit": (
        lambda s: s.get(ServiceSchedule, "sc-sci"),
        lambda o: put_schedule(o, o.get(ServiceSchedule, "sc-sci").model_copy(update={"place": "党群服务中心"})),
        lambda s, seen: put_schedule(s, seen.model_copy(update={"start": time(15)}), expected=seen),
    ),
}


def suspended_and_reinstated(store: Store) -> None:
    change_permit(store, "yl-01", PermitAction.SUSPEND, note="卫生检查不合格")
    change_permit(store, "yl-01", PermitAction.REINSTATE, note="已整改")


def _retitle_session(store: Store, session_id: str) -> None:
    """Another writer moves the session (its place): still one that can be cancelled."""
    day = clock.now().date().isoformat()
    with store.transaction() as tx:
        found = next(s for s in tx.all(ServiceSession, day) if s.id == session_id)
        tx.put(found.model_copy(update={"place": "党群服务中心"}), day)


def prepared(root: Path) -> Store:
    """The small store, a schedule, a second worker (to hand visits to), and a stall that owes nothing
    (held since this month: one that can be released)."""
    store = build_small_store(root)
    add_children_schedule(store)
    store.put(GridWorker(id="w2", name="李建军", role="grid_worker", phone="13912340000", grid_id="dc-B01"))
    store.put(stall(store).model_copy(update={"held_since": date(2026, 11, 1)}))
    return store


@pytest.mark.parametrize("name", list(PATHS))
def test_a_write_on_a_record_changed_since_it_was_shown_is_refused_and_writes_nothing(
    name: str, tmp_path: Path, frozen_clock: str
) -> None:
    shown, change, write = PATHS[name]
    store = prepared(tmp_path / "store")
    seen = shown(store)
    change(elsewhere(store))
    now = shown(store)
    assert now != seen, "the other desk's change must change the record"
    refused_and_nothing_written(store, lambda: write(store, seen))
    # As it is now (the form showed it since): the same write goes through.
    before = store_bytes(store.root)
    write(store, now)
    assert store_bytes(store.root) != before


@pytest.mark.parametrize("name", list(PATHS))
def test_a_write_on_the_record_as_shown_goes_through(name: str, tmp_path: Path, frozen_clock: str) -> None:
    shown, _, write = PATHS[name]
    store = prepared(tmp_path / "store")
    before = store_bytes(store.root)
    write(store, shown(store))
    assert store_bytes(store.root) != before


def test_a_change_in_the_same_instant_is_still_another_version(small_store: Store) -> None:
    """The clock is frozen: the two desks' writes carry the same updated_at. The record is the version."""
    perform(small_store, "MK261127-001", Action.SUPERVISE, note="本台督办")
    seen = small_store.get(Petition, "MK261127-001")
    perform(elsewhere(small_store), "MK261127-001", Action.SUPERVISE, note="县里催办")
    assert small_store.get(Petition, "MK261127-001").updated_at == seen.updated_at
    refused_and_nothing_written(small_store, lambda: perform(small_store, "MK261127-001", Action.ACCEPT, expected=seen))


def test_an_incident_report_acts_only_on_the_incident_as_shown(small_store: Store) -> None:
    incident = open_incident(small_store, title="车库燃气泄漏", category=IncidentCategory.ACCIDENT)
    report_incident(elsewhere(small_store), incident.id, ReportStage.PHONE, to="县应急局")
    refused_and_nothing_written(
        small_store,
        lambda: report_incident(small_store, incident.id, ReportStage.WRITTEN, to="县应急局", expected=incident),
    )
    now = find_incident(small_store, incident.id)
    reported = report_incident(small_store, incident.id, ReportStage.WRITTEN, to="县应急局", expected=now)
    assert [r.stage for r in reported.reports] == [ReportStage.PHONE, ReportStage.WRITTEN]


def test_a_stall_applied_for_meanwhile_is_refused_as_taken(tmp_path: Path, frozen_clock: str) -> None:
    """Another desk's application took the spot the form showed vacant: the application is no longer
    legal on the spot as it is now, and that is the reason said, not that it changed."""
    small_store = prepared(tmp_path / "store")
    release_stall(small_store, "yl-01", "不做了")
    vacant = stall(small_store)
    apply_for_stall(
        elsewhere(small_store),
        "yl-01",
        holder_name="钱七",
        holder_phone=None,
        goods="水果",
        reduction=FeeReduction.NONE,
    )
    refused_for("stall_taken")(
        small_store,
        lambda: apply_for_stall(
            small_store,
            "yl-01",
            holder_name="孙八",
            holder_phone=None,
            goods="早点",
            reduction=FeeReduction.NONE,
            expected=vacant,
        ),
    )
    assert stall(small_store).holder_name == "钱七"


# -- a step no longer legal on the record as it is now: that reason, at once ---------------------------
#
# The store checks the step on the record as it is under the lock before it refuses it as changed: a
# step another desk's change made illegal is refused for what the record is now (the reason the next
# save would give), with nothing written; only a step still legal is refused as changed_meanwhile.


def refused_for(key: str) -> Callable[[Store, Callable[[], object]], None]:
    def check(store: Store, write: Callable[[], object]) -> None:
        before = store_bytes(store.root)
        with pytest.raises(Refused) as refused:
            write()
        assert refused.value.key == key, refused.value.message("zh")
        assert store_bytes(store.root) == before

    return check


ILLEGAL_NOW: dict[str, tuple[Shown, Change, Write, str, str]] = {
    "派单 on a case another desk just dispatched": (
        lambda s: s.get(Petition, "MK261127-002"),
        lambda o: perform(o, "MK261127-002", Action.DISPATCH, assignee="综合执法队"),
        lambda s, seen: perform(s, "MK261127-002", Action.DISPATCH, assignee="综合执法队", expected=seen),
        "action_state",
        "MK261127-002：「已派单」的案件不能「派单」",
    ),
    "改状态 to a status the case has reached meanwhile": (
        lambda s: s.get(Petition, "MK261127-002"),
        lambda o: perform(o, "MK261127-002", Action.DISPATCH, assignee="综合执法队"),
        lambda s, seen: change_status(s, "MK261127-002", PetitionStatus.DISPATCHED, expected=seen),
        "transition",
        "「已派单」的案件不能改为「已派单」",
    ),
    "a permit suspended meanwhile, suspended again": (
        permit,
        lambda o: change_permit(o, "yl-01", PermitAction.SUSPEND, note="卫生检查不合格"),
        lambda s, seen: change_permit(s, "yl-01", PermitAction.SUSPEND, note="占道经营", expected=seen),
        "permit_move",
        "暂停",
    ),
    "退摊 of a spot released meanwhile": (
        stall,
        lambda o: release_stall(o, "yl-01", "不做了"),
        lambda s, seen: release_stall(s, "yl-01", "不做了", expected=seen),
        "release_no_holder",
        "",
    ),
    "a session cancelled meanwhile, cancelled again": (
        lambda s: session(s, "sv0"),
        lambda o: cancel(o, SessionRef(clock.now().date(), "sv0"), "停电", DeadlineRules()),
        lambda s, seen: cancel(s, SessionRef(clock.now().date(), "sv0"), "天气原因", DeadlineRules(), expected=seen),
        "session_finished",
        "",
    ),
    "a household moved meanwhile to the grid chosen": (
        lambda s: s.get(Household, "h1"),
        lambda o: move_household(o, "h1", "dc-B01", clock.now().date()),
        lambda s, seen: move_household(s, "h1", "dc-B01", clock.now().date(), expected=seen),
        "same_grid",
        "",
    ),
}


@pytest.mark.parametrize("name", list(ILLEGAL_NOW))
def test_a_step_no_longer_legal_on_the_record_as_it_is_now_is_refused_for_that_at_once(
    name: str, tmp_path: Path, frozen_clock: str
) -> None:
    shown, change, write, key, words = ILLEGAL_NOW[name]
    store = prepared(tmp_path / "store")
    seen = shown(store)
    change(elsewhere(store))
    assert shown(store) != seen, "the other desk's change must change the record"
    with pytest.raises(Refused) as on_the_new_record:  # what the next save would say
        write(store, shown(store))
    assert on_the_new_record.value.key == key
    refused_for(key)(store, lambda: write(store, seen))
    with pytest.raises(Refused) as refused:
        write(store, seen)
    assert refused.value.message("zh") == on_the_new_record.value.message("zh")
    assert words in refused.value.message("zh")


def test_an_incident_closed_meanwhile_is_refused_as_closed(small_store: Store) -> None:
    incident = open_incident(small_store, title="车库燃气泄漏", category=IncidentCategory.ACCIDENT)
    report_incident(elsewhere(small_store), incident.id, ReportStage.FINAL, to="县应急局")
    refused_for("duty_incident_closed")(
        small_store,
        lambda: report_incident(small_store, incident.id, ReportStage.WRITTEN, to="县应急局", expected=incident),
    )


# -- any number of other desks' steps between the form's read and its save ----------------------------

STEPS = [Action.SUPERVISE, Action.ACCEPT, Action.EXTEND_REQUEST]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    before=st.lists(st.sampled_from(STEPS), max_size=2),
    between=st.lists(st.sampled_from(STEPS), max_size=2),
)
def test_a_step_goes_through_exactly_when_nothing_changed_since_the_form_read_the_case(
    before: list[Action], between: list[Action]
) -> None:
    """Other desks' steps before the form read the case are on the form and change nothing; any one
    after it (a legal one; an illegal one writes nothing and is no change) refuses the save: as
    changed while 督办 is still legal on the case as it is now, else for what the case is now."""
    clock.freeze(FROZEN_NOW)
    with tempfile.TemporaryDirectory() as folder:
        store = build_small_store(Path(folder) / "store")
        other = elsewhere(store)

        def step(action: Action) -> bool:
            try:
                perform(other, "MK261127-001", action, note="他人", days=3)
            except Refused:
                return False
            return True

        for action in before:
            step(action)
        seen = store.get(Petition, "MK261127-001")
        changed = [step(action) for action in between]
        write = lambda: perform(store, "MK261127-001", Action.SUPERVISE, note="本台", expected=seen)  # noqa: E731
        if any(changed):
            try:  # the step on the case as it is now: legal, refused as changed; else for what it is
                check(store.get(Petition, "MK261127-001"), Action.SUPERVISE, clock.now())
            except Refused as illegal:
                refused_for(illegal.key)(store, write)
            else:
                refused_and_nothing_written(store, write)
        else:  # as shown: written, or refused for what the case is (a third 督办), never as changed
            try:
                assert write().history[-1].actor == "duty-officer"
            except Refused as refused:
                assert refused.key != "changed_meanwhile"
