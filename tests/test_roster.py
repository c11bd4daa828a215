"""Store functions behind the roster forms (store/roster.py): each one transaction, refused with a reason."""

from __future__ import annotations

import hashlib
from datetime import date, time, timedelta

import pytest
from pydantic import ValidationError

from store import clock
from store.deadlines import DeadlineRules
from store.i18n import validation_message
from store.models import (
    Grid,
    GridWorker,
    Household,
    Recurrence,
    ServiceSchedule,
    Visit,
    VisitPlan,
    WorkerRole,
)
from store.refusal import FieldsRefused, Refused
from store.roster import (
    add_worker,
    edit_worker,
    move_household,
    plan_visits,
    put_schedule,
    retire_worker,
    retired_workers,
    schedule_from_form,
)
from store.storage import RETIRED, RecordNotFound, Store, check_store
from store.workbook import import_tables

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
    with pytest.raises(ValidationError) as invalid:  # every bad field at once, in words, before the lock
        add_worker(small_store, name=" ", role=WorkerRole.GRID_WORKER, phone="12345", grid_id="")
    reasons = {str(e["loc"][0]): validation_message(e, "zh") for e in invalid.value.errors()}
    assert reasons["name"] == reasons["grid_id"] == "必填" and reasons["phone"].startswith(
        "12345 是热线、报警等服务号码"
    )
    assert set(reasons) == {"name", "phone", "grid_id"}


def test_retire_a_worker_hands_over_the_plans(small_store: Store) -> None:
    with pytest.raises(Refused) as refused:
        retire_worker(small_store, "w1", TODAY)
    assert refused.value.key == "worker_has_plans"
    assert small_store.get(GridWorker, "w1")
    successor = add_worker(
        small_store, name="李娟", role=WorkerRole.MICRO_WORKER, phone="13600001111", grid_id="dc-M01"
    )
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
    schedule = ServiceSchedule(
        id="sc-new",
        kind="meal_delivery",
        title="午餐送餐",
        community_id="dongcheng",
        place="日间照料中心",
        start=time(11),
        end=time(12),
        recurrence="daily",
        household_ids=["h1"],
    )
    put_schedule(small_store, schedule)
    put_schedule(small_store, schedule.model_copy(update={"household_ids": ["h1", "h3"]}))
    assert small_store.get(ServiceSchedule, "sc-new").household_ids == ["h1", "h3"]
    with pytest.raises(Refused):
        put_schedule(small_store, schedule.model_copy(update={"household_ids": ["h99"]}))
    with pytest.raises(Refused) as refused:
        put_schedule(small_store, schedule.model_copy(update={"community_id": "dc"}))
    assert "dongcheng 东城花园社区" in refused.value.message("zh")


def test_a_schedule_added_after_todays_session_ended_begins_tomorrow(small_store: Store) -> None:
    """Added at 09:30 with no first day, a 06:30 service's session today was late (迟到) at once, on
    the panel, in the header's count and the hand-over: nobody had been meant to hold a session over
    before the schedule existed. Its first day is tomorrow; one still going on (09:00-10:00), or to
    come, holds today's; a first day typed stays, in the future or today (a session held before it
    was entered can still be marked done)."""
    from store.schedule import sessions_on

    today = clock.now().date()  # 2026-11-28, 09:30
    rules = DeadlineRules()

    def added(sid: str, start: int, end: int, **more: object) -> ServiceSchedule:
        schedule = ServiceSchedule(
            id=sid,
            kind="meal_delivery",
            title=f"送餐{sid}",
            community_id="dongcheng",
            place="日间照料中心",
            start=time(start),
            end=time(end),
            recurrence="daily",
            **more,
        )
        return put_schedule(small_store, schedule, new=True)

    assert added("sc-over", 6, 7).starts_on == today + timedelta(days=1)
    assert added("sc-over-dated", 6, 7, starts_on=today).starts_on == today
    assert added("sc-now", 9, 10).starts_on is None
    assert added("sc-later", 11, 12).starts_on is None
    assert added("sc-next-week", 6, 7, starts_on=today + timedelta(days=7)).starts_on == today + timedelta(days=7)
    ids = {s.schedule_id for s in sessions_on(small_store, today, rules)}
    assert {"sc-now", "sc-later", "sc-over-dated"} <= ids and not ids & {"sc-over", "sc-next-week"}
    tomorrow = {s.schedule_id for s in sessions_on(small_store, today + timedelta(days=1), rules)}
    assert {"sc-over", "sc-over-dated", "sc-now", "sc-later"} <= tomorrow


def test_a_new_workers_id_tells_nothing_of_the_phone(small_store: Store) -> None:
    """Every desk sees worker ids; the phone is shown masked (138****1234): an id made from the phone
    gave the four hidden digits back to anyone trying 10,000 guesses against it."""
    first = add_worker(small_store, name="李娟", role=WorkerRole.GRID_WORKER, phone="13600001111", grid_id="dc-B01")
    second = add_worker(small_store, name="王强", role=WorkerRole.GRID_WORKER, phone="13600002222", grid_id="dc-B01")
    for worker in (first, second):
        assert worker.id.startswith("w-")
        assert worker.id[2:] != hashlib.sha1(repr((worker.phone,)).encode()).hexdigest()[:10]
    assert first.id != second.id
    retire_worker(small_store, second.id, TODAY)
    third = add_worker(small_store, name="赵敏", role=WorkerRole.GRID_WORKER, phone="13600003333", grid_id="dc-B01")
    assert third.id not in {first.id, second.id}  # a retired worker's id is not given again


def test_an_imported_workers_id_tells_nothing_of_the_phone(small_store: Store) -> None:
    """A worker row without an id is matched by its phone; a new one gets the next number, not a hash
    of the phone (two rows with one phone are still one worker, said so)."""
    header = [["编号", "姓名", "职务", "手机", "所属网格"], ["id", "name", "role", "phone", "grid_id"]]
    sheet = [*header, ["", "李娟", "网格员", "13600001111", "dc-B01"], ["", "王强", "网格员", "13600002222", "dc-B01"]]
    report = import_tables(small_store, {"网格员": sheet})
    assert report.written, report.errors
    workers = {w.phone: w.id for w in small_store.all(GridWorker)}
    for phone in ("13600001111", "13600002222"):
        assert workers[phone].startswith("w-")
        assert workers[phone][2:] != hashlib.sha1(repr((phone,)).encode()).hexdigest()[:10]
    assert len(set(workers.values())) == len(workers)
    again = import_tables(small_store, {"网格员": sheet})  # matched by phone: the same workers, unchanged
    assert again.written and {w.phone: w.id for w in small_store.all(GridWorker)} == workers
    twice = [*header, ["", "赵敏", "网格员", "13600003333", "dc-B01"], ["", "赵敏", "网格员", "13600003333", "dc-B01"]]
    refused = import_tables(small_store, {"网格员": twice})
    assert not refused.written and any("手机" in e for e in refused.errors)


# -- each change in the record's history: who, when, what ----------------------------------------


def test_a_workers_history_says_who_changed_what_and_when(small_store: Store) -> None:
    worker = add_worker(small_store, name="李娟", role=WorkerRole.GRID_WORKER, phone="１３６00001111", grid_id="dc-B01")
    assert worker.phone == "13600001111" and worker.id == "w-" + worker.id[2:]
    [added] = small_store.get(GridWorker, worker.id).history
    assert (added.action, added.actor, added.at.isoformat(), added.changes) == (
        "add",
        "duty-officer",
        "2026-11-28T09:30:00+08:00",
        [],
    )
    edit_worker(small_store, worker.id, phone="13600002222", role=WorkerRole.MICRO_WORKER, name="李娟")
    _, edited = small_store.get(GridWorker, worker.id).history
    assert edited.action == "edit"
    assert [(c.name, c.before, c.after) for c in edited.changes] == [
        ("role", "grid_worker", "micro_worker"),
        ("phone", "136****1111", "136****2222"),
    ]  # the name did not change
    with pytest.raises(Refused) as refused:
        edit_worker(small_store, worker.id, name="李娟")
    assert refused.value.key == "no_change"
    assert len(small_store.get(GridWorker, worker.id).history) == 2


def test_a_full_width_phone_is_the_same_phone(small_store: Store) -> None:
    with pytest.raises(Refused) as refused:  # w1's number typed with a Chinese input method
        add_worker(
            small_store, name="重复", role=WorkerRole.GRID_WORKER, phone="１３９１２３４５６７８", grid_id="dc-B01"
        )
    assert refused.value.key == "phone_taken"


def test_history_is_append_only(small_store: Store) -> None:
    worker = add_worker(small_store, name="李娟", role=WorkerRole.GRID_WORKER, phone="13600001111", grid_id="dc-B01")
    with pytest.raises(ValueError, match="append-only"):
        small_store.put(worker.model_copy(update={"history": []}))


def test_a_retired_worker_is_kept_with_the_retirement_in_their_history(small_store: Store) -> None:
    successor = add_worker(
        small_store, name="李娟", role=WorkerRole.MICRO_WORKER, phone="13600001111", grid_id="dc-M01"
    )
    assert retire_worker(small_store, "w1", TODAY, hand_over_to=successor.id) == 5
    [retired] = retired_workers(small_store)
    assert (retired.id, retired.retired_on, retired.phone) == ("w1", TODAY, "13912345678")
    [event] = retired.history
    assert (event.action, event.actor, event.plans, event.plans_to) == ("retire", "duty-officer", 5, successor.id)
    assert [w.id for w in small_store.all(GridWorker)] == [successor.id]  # off the roster
    assert check_store(small_store.root).findings == []
    # The retired number is free again; an id the retired worker had is never given twice.
    again = add_worker(small_store, name="王秀兰", role=WorkerRole.MICRO_WORKER, phone="13912345678", grid_id="dc-M01")
    assert again.id != "w1"
    with pytest.raises(Refused):
        add_worker(
            small_store,
            name="王秀兰",
            role=WorkerRole.MICRO_WORKER,
            phone="13900000000",
            grid_id="dc-M01",
            worker_id="w1",
        )


def test_an_import_that_names_a_retired_worker_brings_them_back_with_their_history(small_store: Store) -> None:
    successor = add_worker(
        small_store, name="李娟", role=WorkerRole.MICRO_WORKER, phone="13600001111", grid_id="dc-M01"
    )
    retire_worker(small_store, "w1", TODAY, hand_over_to=successor.id)
    sheet = [
        ["编号", "姓名", "职务", "手机", "所属网格"],
        ["id", "name", "role", "phone", "grid_id"],
        ["w1", "王秀兰", "微网格员", "13912345678", "dc-M01"],
    ]
    report = import_tables(small_store, {"网格员": sheet})
    assert report.written, report.errors
    back = small_store.get(GridWorker, "w1")
    assert [e.action for e in back.history] == ["retire", "reinstate"] and back.retired_on is None
    assert small_store.all(GridWorker, RETIRED) == []
    assert check_store(small_store.root).findings == []


def test_a_moved_household_keeps_the_move_and_its_plans_in_its_history(small_store: Store) -> None:
    with small_store.transaction() as tx:
        tx.put(Grid(id="dc-M02", community_id="dongcheng", level="micro", name="1号楼2单元", parent_id="dc-B01"))
        tx.put(GridWorker(id="w2", name="赵敏", role="micro_worker", phone="13900002222", grid_id="dc-M02"))
        tx.put(Grid(id="dc-M03", community_id="dongcheng", level="micro", name="1号楼3单元", parent_id="dc-B01"))
    move_household(small_store, "h2", "dc-M02", TODAY)
    [moved] = small_store.get(Household, "h2").history
    assert (moved.action, moved.actor, moved.plans, moved.plans_to) == ("move", "duty-officer", 1, "w2")
    assert [(c.name, c.before, c.after) for c in moved.changes] == [("grid_id", "dc-M01", "dc-M02")]
    # Nobody visits dc-M03's households but w1 up the tree... who is in dc-M01, not above it: dropped.
    move_household(small_store, "h2", "dc-M03", TODAY)
    last = small_store.get(Household, "h2").history[-1]
    assert (last.plans, last.plans_to) == (1, None)
    assert not any(p.household_id == "h2" for p in small_store.all(VisitPlan, TODAY.isoformat()))


def test_a_changed_schedule_says_what_changed(small_store: Store) -> None:
    schedule = ServiceSchedule(
        id="sc-new",
        kind="meal_delivery",
        title="午餐送餐",
        community_id="dongcheng",
        place="日间照料中心",
        start=time(11),
        end=time(12),
        recurrence="daily",
    )
    put_schedule(small_store, schedule)
    put_schedule(
        small_store,
        schedule.model_copy(update={"start": time(11, 30), "recurrence": Recurrence.WEEKLY, "weekdays": [1, 3]}),
    )
    added, edited = small_store.get(ServiceSchedule, "sc-new").history
    assert (added.action, edited.action, edited.actor) == ("add", "edit", "duty-officer")
    assert [(c.name, c.before, c.after) for c in edited.changes] == [
        ("start", "11:00", "11:30"),
        ("recurrence", "daily", "weekly"),
        ("weekdays", "", "1、3"),
    ]
    with pytest.raises(Refused) as refused:  # the same again: nothing to record
        put_schedule(small_store, small_store.get(ServiceSchedule, "sc-new"))
    assert refused.value.key == "no_change"
    with pytest.raises(Refused) as refused:  # an add never overwrites a schedule that has its id
        put_schedule(small_store, schedule.model_copy(update={"title": "另一个"}), new=True)
    assert refused.value.key == "id_taken"
    forged = small_store.get(ServiceSchedule, "sc-new").model_copy(update={"title": "新名称", "history": []})
    assert len(put_schedule(small_store, forged).history) == 3  # the caller cannot rewrite the history


def test_an_edit_of_a_record_another_desk_changed_since_the_form_opened_is_refused(small_store: Store) -> None:
    """A form writes the whole record back (every field it shows): another desk's edit in between
    would be written over with what the form still held, so the store refuses it (``expected``)."""
    shown = small_store.get(GridWorker, "w1")
    edit_worker(Store(small_store.root, actor="desk-2"), "w1", name="王秀芝")
    with pytest.raises(Refused) as refused:
        edit_worker(small_store, "w1", name="王秀兰", role=WorkerRole.GRID_WORKER, expected=shown)
    assert refused.value.key == "changed_meanwhile"
    now = small_store.get(GridWorker, "w1")
    assert (now.name, now.role, len(now.history)) == ("王秀芝", WorkerRole.MICRO_WORKER, 1)
    edit_worker(small_store, "w1", role=WorkerRole.GRID_WORKER, expected=now)  # as it is now: saved
    assert small_store.get(GridWorker, "w1").role is WorkerRole.GRID_WORKER

    schedule = ServiceSchedule(
        id="sc-new",
        kind="meal_delivery",
        title="午餐送餐",
        community_id="dongcheng",
        place="日间照料中心",
        start=time(11),
        end=time(12),
        recurrence="daily",
    )
    shown_schedule = put_schedule(small_store, schedule)
    put_schedule(Store(small_store.root, actor="desk-2"), shown_schedule.model_copy(update={"place": "党群服务中心"}))
    with pytest.raises(Refused) as refused:
        put_schedule(small_store, shown_schedule.model_copy(update={"start": time(11, 30)}), expected=shown_schedule)
    assert refused.value.key == "changed_meanwhile"
    assert small_store.get(ServiceSchedule, "sc-new").place == "党群服务中心"
    assert small_store.get(ServiceSchedule, "sc-new").start == time(11)


def test_the_schedule_form_reads_text_and_names_every_bad_field() -> None:
    values = {
        "kind": "after_school",
        "title": "四点半小课堂",
        "community_id": "dongcheng",
        "place": "党群服务中心",
        "start": "16:30",
        "end": "18：00",
        "recurrence": "weekly",
        "weekdays": "周一、周三",
        "staff": "刘红、王建华",
        "starts_on": "2026-12-01",
        "ends_on": "",
    }
    schedule = schedule_from_form(values, schedule_id="sc-x")
    assert (schedule.end, schedule.weekdays, schedule.staff, schedule.ends_on) == (
        time(18),
        [0, 2],
        ["刘红", "王建华"],
        None,
    )
    with pytest.raises(FieldsRefused) as refused:
        schedule_from_form(
            {**values, "start": "25:00", "end": "16:00", "weekdays": "", "title": " "}, schedule_id="sc-x"
        )
    assert set(refused.value.errors) == {"start", "weekdays", "title"}
    assert "07:30" in refused.value.errors["start"]
    with pytest.raises(FieldsRefused) as refused:
        schedule_from_form(
            {**values, "end": "16:00", "recurrence": "daily", "ends_on": "2026-11-01"}, schedule_id="sc-x"
        )
    assert refused.value.errors == {
        "end": "结束时间须晚于开始时间",
        "recurrence": "「每周」须填每周几，其他重复方式不填",
        "ends_on": "结束日期早于开始日期",
    }
    with pytest.raises(FieldsRefused) as refused:  # written as asked, but no such day: said as such
        schedule_from_form({**values, "starts_on": "2026-02-30", "ends_on": "2026-13-01"}, schedule_id="sc-x")
    assert refused.value.errors == {
        "starts_on": "日历上没有 2026-02-30 这一天",
        "ends_on": "日历上没有 2026-13-01 这一天",
    }


def test_the_schedule_form_reads_full_width_digits_and_refuses_other_scripts() -> None:
    """Dates and times typed with a Chinese input method (２０２７－０６－３０, ０７：３０) were refused;
    now they read as their ASCII twins. Another script's digits are still refused, not misread."""
    values = {
        "kind": "after_school",
        "title": "四点半小课堂",
        "community_id": "dongcheng",
        "place": "党群服务中心",
        "start": "１６：３０",
        "end": "１８：００",
        "recurrence": "weekly",
        "weekdays": "周１、周３",
        "staff": "刘红",
        "starts_on": "２０２６－１２－０１",
        "ends_on": "２０２７－０６－３０",
    }
    schedule = schedule_from_form(values, schedule_id="sc-x")
    assert (schedule.start, schedule.end, schedule.weekdays) == (time(16, 30), time(18), [0, 2])
    assert (schedule.starts_on, schedule.ends_on) == (date(2026, 12, 1), date(2027, 6, 30))
    with pytest.raises(FieldsRefused) as refused:
        schedule_from_form({**values, "ends_on": "٢٠٢٧-٠٦-٣٠", "start": "١٦:٣٠"}, schedule_id="sc-x")
    assert set(refused.value.errors) == {"ends_on", "start"}
