"""Store functions behind the roster forms (store/roster.py): each one transaction, refused with a reason."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from store.models import (
    Grid,
    GridWorker,
    Household,
    ServiceSchedule,
    Visit,
    VisitPlan,
    WorkerRole,
)
from store.refusal import Refused
from store.roster import (
    add_worker,
    edit_worker,
    move_household,
    plan_visits,
    put_schedule,
    retire_worker,
)
from store.storage import RecordNotFound, Store

TODAY = date(2026, 11, 28)  # conftest's frozen clock


def test_add_and_edit_a_worker(small_store: Store) -> None:
    worker = add_worker(small_store, name="李娟", role=WorkerRole.GRID_WORKER, phone="13600001111", grid_id="dc-B01")
    assert small_store.get(GridWorker, worker.id).updated_by == "duty-officer"
    with pytest.raises(Refused) as refused:
        add_worker(small_store, name="重复", role=WorkerRole.GRID_WORKER, phone="13912345678", grid_id="dc-B01")
    assert refused.value.key == "phone_taken" and "w1" in refused.value.message("en")
    with pytest.raises(Refused) as refused:
        add_worker(small_store, name="某", role=WorkerRole.GRID_WORKER, phone="13600002222", grid_id="dc")
    assert "known: dc-L1 第一大网格" in refused.value.message("en")
    moved = edit_worker(small_store, worker.id, grid_id="dc-M01", role=WorkerRole.MICRO_WORKER)
    assert (moved.grid_id, moved.role, moved.name) == ("dc-M01", WorkerRole.MICRO_WORKER, "李娟")
    with pytest.raises(Refused):
        edit_worker(small_store, worker.id, phone="13912345678")
    with pytest.raises(ValueError):  # the model's own checks still apply
        edit_worker(small_store, worker.id, phone="12345")
    assert small_store.get(GridWorker, worker.id).phone == "13600001111"


def test_retire_a_worker_hands_over_the_plans(small_store: Store) -> None:
    with pytest.raises(Refused) as refused:
        retire_worker(small_store, "w1", TODAY)
    assert refused.value.key == "worker_has_plans"
    assert small_store.get(GridWorker, "w1")
    successor = add_worker(small_store, name="李娟", role=WorkerRole.MICRO_WORKER, phone="13600001111", grid_id="dc-M01")
    assert retire_worker(small_store, "w1", TODAY, hand_over_to=successor.id) == 5
    with pytest.raises(RecordNotFound):
        small_store.get(GridWorker, "w1")
    assert {p.worker_id for p in small_store.all(VisitPlan, TODAY.isoformat())} == {successor.id}
    assert small_store.get(Visit, "v1", TODAY.isoformat()).worker_id == "w1"  # the log keeps who went


def test_move_a_household(small_store: Store) -> None:
    with small_store.transaction() as tx:
        tx.put(Grid(id="dc-M02", community_id="dongcheng", level="micro", name="1号楼2单元", parent_id="dc-B01"))
        tx.put(GridWorker(id="w2", name="赵敏", role="micro_worker", phone="13900002222", grid_id="dc-M02"))
    moved = move_household(small_store, "h2", "dc-M02", TODAY)
    assert moved.grid_id == "dc-M02" and small_store.get(Household, "h2").updated_by == "duty-officer"
    plan = next(p for p in small_store.all(VisitPlan, TODAY.isoformat()) if p.household_id == "h2")
    assert (plan.grid_id, plan.worker_id) == ("dc-M02", "w2")
    with pytest.raises(Refused):
        move_household(small_store, "h2", "dc-M02", TODAY)
    with pytest.raises(Refused):
        move_household(small_store, "h2", "nowhere", TODAY)


def test_plan_visits_by_rule(small_store: Store) -> None:
    tomorrow = TODAY + timedelta(days=1)
    # h0 was visited today; h1 and h3 are living alone. Special every 7 days, others every 30.
    added = plan_visits(small_store, "dc-L1", tomorrow, special_every_days=7, others_every_days=30)
    assert sorted(p.household_id for p in added) == ["h1", "h2", "h3", "h4"]
    assert all(p.worker_id == "w1" and p.grid_id == "dc-M01" for p in added)
    assert next(p for p in added if p.household_id == "h1").tags == ["living_alone"]
    assert plan_visits(small_store, "dc-L1", tomorrow) == []  # already planned: nothing twice
    # A week on, h0 (no tags, visited 8 days ago) is not due; the special households are.
    later = TODAY + timedelta(days=8)
    assert sorted(p.household_id for p in plan_visits(small_store, "dc-M01", later)) == ["h1", "h2", "h3", "h4"]
    with pytest.raises(Refused):
        plan_visits(small_store, "dc-L1", tomorrow, special_every_days=40, others_every_days=30)


def test_add_and_change_a_schedule(small_store: Store) -> None:
    schedule = ServiceSchedule(id="sc-new", kind="meal_delivery", title="午餐送餐", community_id="dongcheng",
                               place="日间照料中心", start=time(11), end=time(12), recurrence="daily", household_ids=["h1"])
    put_schedule(small_store, schedule)
    put_schedule(small_store, schedule.model_copy(update={"household_ids": ["h1", "h3"]}))
    assert small_store.get(ServiceSchedule, "sc-new").household_ids == ["h1", "h3"]
    with pytest.raises(Refused):
        put_schedule(small_store, schedule.model_copy(update={"household_ids": ["h99"]}))
    with pytest.raises(Refused) as refused:
        put_schedule(small_store, schedule.model_copy(update={"community_id": "dc"}))
    assert "dongcheng 东城花园社区" in refused.value.message("zh")
