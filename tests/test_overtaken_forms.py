"""A form left open while another desk (another dashboard, the command line) changes its record.

The form says so at once, in one line under its title, as soon as the dashboard's reload brings
the change (desk.Watch): what the record is now and, when its save would be refused now, that it
will be; what was typed stays, and the save is still refused by the store with nothing written.
A form whose record did not change shows nothing new. A save pressed before the change was shown
is refused too (the store is given the record as the form showed it), and the next one, once the
form shows the record as it is, acts on it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import time, timedelta

import pytest
from textual.widgets import Input, OptionList, Select, Static

from duty_room.app import DutyRoomApp
from store import clock
from store.duty_models import IncidentCategory, LogKind, ReportStage
from store.dutylog import (
    correct_entry,
    find_entry,
    find_shift,
    log_entry,
    open_incident,
    plan_shift,
    report_incident,
    shift_at,
    shift_id_for,
)
from store.handover import find_handover
from store.lifecycle import Action, next_steps, perform, register
from store.market import PermitAction, change_permit, record_payment, set_occupied
from store.models import (
    GridWorker,
    Household,
    Petition,
    PetitionStatus,
    ServiceSchedule,
    ServiceSession,
    SessionState,
    Stall,
    StallPermit,
    Visit,
    WorkerRole,
)
from store.queries import Dashboard
from store.roster import edit_worker, move_household, put_schedule
from store.schedule import SessionRef, cancel
from store.storage import Store
from store.visiting import record_visit
from widgets.choice_modal import ChoiceModal
from widgets.form import FormScreen
from widgets.table_screen import TableScreen

from conftest import OTHER, add_children_schedule, elsewhere, store_bytes
from pilot import NARROW, dashboard, desk_panel, screen_text, settled, shows


def notice(screen: FormScreen | ChoiceModal) -> str:
    """The form's line about its record, "" while it is hidden."""
    line = screen.query_one("#form-notice" if isinstance(screen, FormScreen) else "#choice-notice", Static)
    return str(line.render()) if line.has_class("-shown") else ""


def subtitle(screen: FormScreen | ChoiceModal) -> str:
    return str(
        screen.query_one("#form-subtitle" if isinstance(screen, FormScreen) else "#choice-subtitle", Static).content
    )


async def open_form(app: DutyRoomApp, pilot, *keys: str) -> FormScreen:  # noqa: ANN001
    await pilot.press(*keys)
    await settled(app, pilot)
    form = app.screen
    assert isinstance(form, FormScreen), f"{keys} opened {type(form).__name__}"
    return form


async def arrives(app: DutyRoomApp, pilot, store: Store) -> None:  # noqa: ANN001
    """The other desk's change reaches this dashboard (inotify, then a reload) and is shown."""
    generation = store.generation()
    await shows(app, pilot, lambda data: data.generation >= generation)
    await settled(app, pilot)


async def refused_and_nothing_written(app: DutyRoomApp, pilot, form: FormScreen, store: Store) -> None:  # noqa: ANN001
    before = store_bytes(store.root)
    await pilot.press("ctrl+s")
    await settled(app, pilot)
    assert app.screen is form  # still open, what was typed still in it
    assert store_bytes(store.root) == before


def case_on_screen(app: DutyRoomApp, case_id: str, status: PetitionStatus) -> Callable[[Dashboard], bool]:
    return lambda data: any(v.petition.id == case_id and v.petition.status is status for v in data.petitions)


async def select_case(app: DutyRoomApp, pilot, case_id: str) -> None:  # noqa: ANN001
    table = desk_panel(app, "petitions").table
    table.move_cursor(row=table.keys.index(case_id))
    await pilot.pause()


# -- panel 1: a step's form and the status choice ------------------------------------------------


async def test_a_step_form_says_at_once_that_another_desk_moved_its_case(small_store: Store) -> None:
    async with dashboard(small_store, NARROW) as (app, pilot):
        await select_case(app, pilot, "MK261127-002")  # 已受理
        form = await open_form(app, pilot, "d")
        await pilot.press(*"执法")
        assert notice(form) == "" and subtitle(form) == "当前状态：已受理"

        perform(elsewhere(small_store), "MK261127-002", Action.DISPATCH, assignee="综合执法队")
        await arrives(app, pilot, small_store)

        line = "此件已被他人更新：现为「已派单」，承办：综合执法队，保存将被拒绝"
        assert app.screen is form and notice(form) == line
        assert subtitle(form) == "当前状态：已派单"
        assert line in screen_text(app)  # on one line of the form at 80x24
        assert form.query_one("#field-assignee", Input).value == "执法"  # what was typed stays
        await refused_and_nothing_written(app, pilot, form, small_store)
        assert "「已派单」的案件不能「派单」" in str(form.query_one("#form-error").render())
    case = small_store.get(Petition, "MK261127-002")
    assert [(e.action, e.actor) for e in case.history] == [("dispatch", OTHER)]


async def test_a_step_still_legal_after_another_desks_change_says_so_without_refusal(small_store: Store) -> None:
    async with dashboard(small_store) as (app, pilot):
        await select_case(app, pilot, "MK261127-001")  # 待受理, overdue
        form = await open_form(app, pilot, "u")  # 督办: legal on any open case not yet resolved
        perform(elsewhere(small_store), "MK261127-001", Action.ACCEPT)
        await arrives(app, pilot, small_store)
        assert notice(form) == "此件已被他人更新：现为「已受理」"
        assert subtitle(form) == "当前状态：已受理；督办：黄牌督办"


async def test_a_form_whose_case_did_not_change_shows_nothing_and_saves(small_store: Store) -> None:
    async with dashboard(small_store) as (app, pilot):
        await select_case(app, pilot, "MK261127-002")
        form = await open_form(app, pilot, "d")
        await pilot.press(*"执法")
        # Another case of the same day's file changes: this form's case did not.
        perform(elsewhere(small_store), "MK261127-001", Action.ACCEPT)
        await arrives(app, pilot, small_store)
        assert app.screen is form and notice(form) == ""
        assert subtitle(form) == "当前状态：已受理"
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        assert not isinstance(app.screen, FormScreen)
    assert small_store.get(Petition, "MK261127-002").status is PetitionStatus.DISPATCHED


async def test_the_status_choice_offers_the_steps_legal_from_where_another_desk_moved_the_case(
    small_store: Store,
) -> None:
    async with dashboard(small_store) as (app, pilot):
        await select_case(app, pilot, "MK261127-002")  # 已受理
        await pilot.press("c")
        await settled(app, pilot)
        modal = app.screen
        assert isinstance(modal, ChoiceModal)
        modal.query_one("#choice-note", Input).focus()
        await pilot.press(*"已电话联系")
        perform(elsewhere(small_store), "MK261127-002", Action.DISPATCH, assignee="综合执法队")
        await arrives(app, pilot, small_store)

        assert app.screen is modal
        assert notice(modal) == "此件已被他人更新：现为「已派单」，承办：综合执法队"
        assert subtitle(modal) == "当前状态：已派单"
        offered = [modal.query_one(OptionList).get_option_at_index(i).id for i in range(len(modal.choices))]
        assert offered == [step.to.value for step in next_steps(PetitionStatus.DISPATCHED)]
        assert modal.query_one("#choice-note", Input).value == "已电话联系"
        await pilot.press("enter")  # the first step legal now, with the note typed before
        await settled(app, pilot)
    case = small_store.get(Petition, "MK261127-002")
    assert case.status is next_steps(PetitionStatus.DISPATCHED)[0].to
    assert (case.history[-1].actor, case.history[-1].note) == ("duty-officer", "已电话联系")


# -- panel 3: a session's form ----------------------------------------------------------------------


async def test_a_session_form_says_another_desk_cancelled_the_session(small_store: Store) -> None:
    today = clock.now().date()
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("3")
        table = desk_panel(app, "services").table
        table.move_cursor(row=table.keys.index("sv1"))
        form = await open_form(app, pilot, "x")
        await pilot.press(*"天气原因")
        cancel(elsewhere(small_store), SessionRef(today, "sv1"), "送餐车故障", app.settings.deadlines)
        await arrives(app, pilot, small_store)
        assert notice(form) == "此件已被他人更新：现为「已取消」，保存将被拒绝"
        assert form.query_one("#field-reason", Input).value == "天气原因"
        await refused_and_nothing_written(app, pilot, form, small_store)
    session = next(s for s in small_store.all(ServiceSession, today.isoformat()) if s.id == "sv1")
    assert (session.cancel_reason, session.updated_by) == ("送餐车故障", OTHER)


# -- panel 4: a stall's forms -----------------------------------------------------------------------


async def test_a_permit_form_says_another_desk_suspended_the_permit(small_store: Store) -> None:
    async with dashboard(small_store) as (app, pilot):
        form = await open_form(app, pilot, "4", "s")  # 暂停 on 玉兰商业街 1, its permit 有效
        assert subtitle(form) == "准入证现为「有效」"
        await pilot.press(*"占道经营")
        change_permit(elsewhere(small_store), "yl-01", PermitAction.SUSPEND, note="卫生检查不合格")
        await arrives(app, pilot, small_store)
        assert notice(form).startswith("此件已被他人更新：摊主 赵*，准入证「暂停」，欠费 ¥")
        assert notice(form).endswith("，保存将被拒绝")
        assert subtitle(form) == "准入证现为「暂停」"
        await refused_and_nothing_written(app, pilot, form, small_store)


async def test_a_payment_form_shows_what_is_owed_after_another_desk_took_a_payment(small_store: Store) -> None:
    async with dashboard(small_store) as (app, pilot):
        form = await open_form(app, pilot, "4", "y")
        before = subtitle(form)
        period = form.query_one("#field-period", Input).value
        record_payment(elsewhere(small_store), "yl-01", period, 15000, "王会计", app.settings.fees)
        await arrives(app, pilot, small_store)
        assert notice(form).startswith("此件已被他人更新：摊主 赵*，准入证「有效」，欠费 ¥")
        assert "保存将被拒绝" not in notice(form)  # another month is still owed
        assert subtitle(form) != before and period not in subtitle(form)


# -- panel 2: a household's visit -------------------------------------------------------------------


async def household_form(app: DutyRoomApp, pilot, key: str) -> FormScreen:  # noqa: ANN001
    """Panel 2's households of the first grid, on h1, and the form ``key`` opens there (v: 走访登记, m: 迁户)."""
    await pilot.press("2", "down", "down", "down", "enter")
    await settled(app, pilot)
    households = app.screen
    assert isinstance(households, TableScreen) and households.table.cursor_key == "h1"
    return await open_form(app, pilot, key)


def new_grids_visitor(store: Store) -> None:
    """A worker in dc-B01, who takes h1's planned visit when another desk moves h1 there."""
    with store.transaction() as tx:
        tx.put(GridWorker(id="w9", name="赵敏", role="grid_worker", phone="13900002222", grid_id="dc-B01"))


async def test_a_visit_form_says_another_desk_logged_the_visit(small_store: Store) -> None:
    today = clock.now().date()
    async with dashboard(small_store) as (app, pilot):
        form = await household_form(app, pilot, "v")
        await pilot.press(*"老人身体好")
        record_visit(elsewhere(small_store), "h1", "w1", "送去冬衣")
        await arrives(app, pilot, small_store)
        assert notice(form) == "此件已被他人更新：今天 09:30 已有走访登记，保存将被拒绝"
        await refused_and_nothing_written(app, pilot, form, small_store)
    [visit] = [v for v in small_store.all(Visit, today.isoformat()) if v.household_id == "h1"]
    assert (visit.note, visit.updated_by) == ("送去冬衣", OTHER)


async def test_a_visit_form_says_another_desk_moved_the_household(small_store: Store) -> None:
    """Two desks on one grid's households: one moved a household to another grid while the other
    had its 走访登记 form open. The household left the list under the form, the form said nothing,
    and its save logged the visit under the other grid (by the old grid's worker, the default) with
    no word that the household had moved. The form now says so at once, as a form on a moved
    household's own record does; the visit is still its to log (a move does not refuse it)."""
    today = clock.now().date()
    new_grids_visitor(small_store)
    async with dashboard(small_store) as (app, pilot):
        form = await household_form(app, pilot, "v")
        await pilot.press(*"老人身体好")
        move_household(elsewhere(small_store), "h1", "dc-B01", today)
        await arrives(app, pilot, small_store)
        assert notice(form).startswith("此件已被他人更新："), notice(form)
        assert "迁户" in notice(form) and "1号楼支部网格" in notice(form), notice(form)
        assert "计划转给 赵敏" in notice(form), notice(form)  # the worker by name: it said w9
        assert "保存将被拒绝" not in notice(form)
        await pilot.press("ctrl+s")
        await settled(app, pilot)
    [visit] = [v for v in small_store.all(Visit, today.isoformat()) if v.household_id == "h1"]
    assert (visit.note, visit.grid_id) == ("老人身体好", "dc-B01")


async def test_a_move_form_names_the_worker_another_desks_move_gave_the_plans_to(small_store: Store) -> None:
    new_grids_visitor(small_store)
    async with dashboard(small_store) as (app, pilot):
        form = await household_form(app, pilot, "m")
        move_household(elsewhere(small_store), "h1", "dc-B01", clock.now().date())
        await arrives(app, pilot, small_store)
        assert "计划转给 赵敏" in notice(form), notice(form)  # it said w9


async def test_a_worker_form_says_what_another_desk_changed_and_never_writes_it_back(small_store: Store) -> None:
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("2", "r")
        await settled(app, pilot)
        roster = app.screen
        assert isinstance(roster, TableScreen)
        roster.table.move_cursor(row=roster.table.keys.index("w1"))
        form = await open_form(app, pilot, "e")
        edit_worker(elsewhere(small_store), "w1", name="王秀芝")
        await arrives(app, pilot, small_store)
        assert notice(form) == f"此件已被他人更新：11-28 09:30 {OTHER} 修改：姓名 王秀兰→王秀芝"
        # The form still holds 王秀兰; nothing typed, its save changes nothing of the worker as they are now.
        await refused_and_nothing_written(app, pilot, form, small_store)
        assert "没有改动" in str(form.query_one("#form-error").render())
    worker = small_store.get(GridWorker, "w1")
    assert (worker.name, [e.actor for e in worker.history]) == ("王秀芝", [OTHER])


async def test_a_schedule_form_saves_what_was_typed_over_another_desks_change(small_store: Store) -> None:
    add_children_schedule(small_store)
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("3")
        desk_panel(app, "services").table.move_cursor(row=2)
        form = await open_form(app, pilot, "e")
        put_schedule(
            elsewhere(small_store),
            small_store.get(ServiceSchedule, "sc-sci").model_copy(update={"place": "党群服务中心"}),
        )
        await arrives(app, pilot, small_store)
        assert notice(form) == f"此件已被他人更新：11-28 09:30 {OTHER} 修改：地点 科普馆→党群服务中心"
        assert form.query_one("#field-place", Input).value == "科普馆"  # as the form opened
        form.query_one("#field-start", Input).value = "15:00"
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        assert app.screen is not form, str(form.query_one("#form-error").render())
    # What was typed (the start), over the schedule as the form showed it since (the other desk's place).
    schedule = small_store.get(ServiceSchedule, "sc-sci")
    assert (schedule.place, schedule.start) == ("党群服务中心", time(15))
    assert [e.actor for e in schedule.history] == [OTHER, "duty-officer"]


# -- panel 5: an incident's report, the handover ----------------------------------------------------


async def test_a_report_form_says_another_desk_reported_the_incident(small_store: Store) -> None:
    incident = open_incident(small_store, title="车库燃气泄漏", category=IncidentCategory.ACCIDENT)
    async with dashboard(small_store) as (app, pilot):
        form = await open_form(app, pilot, "5", "r")
        report_incident(elsewhere(small_store), incident.id, ReportStage.PHONE, to="县应急局")
        await arrives(app, pilot, small_store)
        assert notice(form) == "此件已被他人更新：已报送首报"


@pytest.mark.parametrize("planned_before", [False, True], ids=["a new day", "a planned day"])
async def test_a_shift_planned_by_another_desk_meanwhile_is_refused_then_planned_over(
    small_store: Store, planned_before: bool
) -> None:
    """Two desks planning tomorrow at once: both said 已排班 and the second silently replaced the
    first's shift (and its phones). The form is judged against the 值班表 as it stood when it opened:
    the save is refused, nothing written, saying who is on the shift now; the next save, the officer
    told, goes over it."""
    tomorrow = clock.now().date() + timedelta(days=1)
    if planned_before:
        plan_shift(small_store, tomorrow, leader="郭红梅", staff=["孙卫东"])
    async with dashboard(small_store) as (app, pilot):
        form = await open_form(app, pilot, "5", "s")
        assert form.values()["day"] == tomorrow.isoformat()
        form.query_one("#field-leader", Input).value = "张三"
        form.query_one("#field-staff", Input).value = "李四"
        plan_shift(elsewhere(small_store), tomorrow, leader="王五", staff=["赵六"])
        await refused_and_nothing_written(app, pilot, form, small_store)
        assert str(form.query_one("#form-error").render()) == (
            f"未保存：{tomorrow} 的班次刚被他人排为 带班领导 王五，值班员 赵六；请核对后再保存"
        )
        assert form.values()["leader"] == "张三"  # what was typed stays
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        assert app.screen is not form
    shift = find_shift(small_store, shift_id_for(tomorrow))
    assert (shift.leader, shift.staff, shift.updated_by) == ("张三", ["李四"], "duty-officer")


async def test_replanning_a_day_nobody_changed_meanwhile_is_not_refused(small_store: Store) -> None:
    tomorrow = clock.now().date() + timedelta(days=1)
    plan_shift(small_store, tomorrow, leader="郭红梅", staff=["孙卫东"])
    async with dashboard(small_store) as (app, pilot):
        form = await open_form(app, pilot, "5", "s")
        form.query_one("#field-leader", Input).value = "张三"
        form.query_one("#field-staff", Input).value = "李四"
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        assert app.screen is not form
    assert find_shift(small_store, shift_id_for(tomorrow)).leader == "张三"


async def test_a_handover_form_says_another_desk_handed_the_shift_over(small_store: Store) -> None:
    from store.handover import hand_over, handover_report

    async with dashboard(small_store) as (app, pilot):
        form = await open_form(app, pilot, "5", "h")
        other = elsewhere(small_store)
        hand_over(other, handover_report(other, clock.now(), rules=app.settings.duty))
        await arrives(app, pilot, small_store)
        assert notice(form) == f"此件已被他人更新：{OTHER} 已于 09:30 交班，保存将被拒绝"
        await refused_and_nothing_written(app, pilot, form, small_store)


async def test_a_handover_form_shows_another_desks_entry_and_hands_over_what_it_shows(
    small_store: Store,
    tmp_path,  # noqa: ANN001
) -> None:
    """Another desk logs a call while the outgoing officer writes their notes: the form says the report
    changed and shows the new one. The next Ctrl+S (maybe pressed for the report before) hands nothing
    over and says so; the one after hands over what is shown, and its copy lists the call."""
    async with dashboard(small_store) as (app, pilot):
        form = await open_form(app, pilot, "5", "h")
        assert subtitle(form).startswith("本班记录0条")
        form.query_one("#field-notes", Input).value = "路灯待修"
        entry = log_entry(elsewhere(small_store), kind=LogKind.CALL, content="另一台电脑登记的来电")
        await arrives(app, pilot, small_store)
        assert notice(form) == "交班报告有变：新增1条记录，上面已更新，核对后再交班"
        assert subtitle(form).startswith("本班记录1条")
        assert form.query_one("#field-notes", Input).value == "路灯待修"  # what was typed stays
        sent = tmp_path / "交接班.md"
        form.query_one("#field-export", Input).value = str(sent)
        await refused_and_nothing_written(app, pilot, form, small_store)
        assert str(form.query_one("#form-error").render()) == "上面已是最新的交班报告：核对无误，再确认一次即交班"
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        assert app.screen is not form, str(form.query_one("#form-error").render())
    shift = shift_at(small_store, clock.now())
    assert shift is not None
    handed = find_handover(small_store, shift)
    assert handed is not None and handed.entry_ids == [entry.id] and handed.notes == "路灯待修"
    assert "另一台电脑登记的来电" in sent.read_text(encoding="utf-8")


async def test_a_handover_is_refused_when_a_report_fell_due_and_then_offers_the_new_report(small_store: Store) -> None:
    """No desk wrote, but the 首报 owed at 10:00 is late at 10:01: the first Ctrl+S is refused (nothing
    written) with what changed, the form then shows the report as it is, and the next Ctrl+S hands it over."""
    incident = open_incident(small_store, title="车库燃气泄漏", category=IncidentCategory.ACCIDENT)  # 首报 due 10:00
    async with dashboard(small_store) as (app, pilot):
        form = await open_form(app, pilot, "5", "h")
        assert "报送超时0项" in subtitle(form)
        clock.freeze("2026-11-28T10:01:00+08:00")
        await refused_and_nothing_written(app, pilot, form, small_store)
        said = str(form.query_one("#form-error").render())
        assert said == "交班报告已变化：新增1项迟报，请重新核对后再交班"
        assert notice(form) == "交班报告有变：新增1项迟报，上面已更新，核对后再交班"
        assert "报送超时1项" in subtitle(form)
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        assert app.screen is not form, str(form.query_one("#form-error").render())
    shift = shift_at(small_store, clock.now())
    assert shift is not None
    handed = find_handover(small_store, shift)
    assert handed is not None and handed.open_incident_ids == [incident.id]
    assert [line.split()[:2] for line in handed.late_reports] == [[incident.id, "phone"]]


async def test_a_case_registered_meanwhile_updates_the_handover_form_and_refuses_nothing(small_store: Store) -> None:
    """What the record does not list (a case received at another desk) brings the form's counts up to date
    and refuses nothing: Ctrl+S hands over at once, with the count as the store has it."""
    async with dashboard(small_store) as (app, pilot):
        form = await open_form(app, pilot, "5", "h")
        assert "受理0件" in subtitle(form)
        fields = {"title": "路灯不亮", "category": "infrastructure", "channel": "hotline", "community_id": "dongcheng"}
        register(elsewhere(small_store), fields)
        await arrives(app, pilot, small_store)
        assert notice(form) == "交班报告已按最新数据更新，核对后再交班" and "受理1件" in subtitle(form)
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        assert app.screen is not form, str(form.query_one("#form-error").render())
    shift = shift_at(small_store, clock.now())
    assert shift is not None
    handed = find_handover(small_store, shift)
    assert handed is not None and handed.open_cases == len(small_store.all(Petition))


# -- a save pressed before the other desk's change reached the screen ---------------------------------
#
# Over SSH the save key can come in the same read as the other desk's change reaches this dashboard,
# or before the reload has drawn it: the form still shows the record as it was. Its save carries
# that record (``Desk.shown``), the store refuses it (changed_meanwhile) and writes nothing, the form
# stays and shows the record as it is now; the next save acts on that one.

CHANGED = "未保存：此件已被他人更新，请核对后再保存"


@contextmanager
def reload_held(app: DutyRoomApp) -> Iterator[None]:
    """The dashboard does not reload meanwhile (the other desk's change is on disk, not on the screen)."""
    poll = app.poll
    app.poll = lambda: None  # type: ignore[method-assign]
    try:
        yield
    finally:
        app.poll = poll  # type: ignore[method-assign]


async def save_refused(
    app: DutyRoomApp,
    pilot,  # noqa: ANN001
    form: FormScreen | ChoiceModal,
    store: Store,
    reason: str | None = None,
) -> None:
    """The save key, before the other desk's change was shown: refused, nothing written, the form
    stays. As changed (the next save acts on the record as it is now); with ``reason``, for what the
    record is now, when the change made the step illegal (not as changed, which the next save would
    correct)."""
    before = store_bytes(store.root)
    shown_generation = app.data.generation if app.data is not None else -1
    await pilot.press("enter" if isinstance(form, ChoiceModal) else "ctrl+s")
    await settled(app, pilot)
    assert store_bytes(store.root) == before, "written on a record the form did not show"
    assert app.screen is form
    error = str(form.query_one("#form-error" if isinstance(form, FormScreen) else "#choice-error", Static).render())
    if reason is None:
        assert error == CHANGED
    else:
        assert reason in error and CHANGED not in error
    assert app.data is not None and app.data.generation == shown_generation  # no reload came between


async def saved(app: DutyRoomApp, pilot, form: FormScreen | ChoiceModal) -> None:  # noqa: ANN001
    await pilot.press("enter" if isinstance(form, ChoiceModal) else "ctrl+s")
    await settled(app, pilot)
    assert app.screen is not form, notice(form)


async def test_a_step_saved_before_another_desks_dispatch_was_shown_is_refused_then_saved_on_the_new_case(
    small_store: Store,
) -> None:
    async with dashboard(small_store) as (app, pilot):
        await select_case(app, pilot, "MK261127-002")  # 已受理
        form = await open_form(app, pilot, "u")  # 督办: legal whoever has the case
        await pilot.press(*"请加快")
        with reload_held(app):
            perform(elsewhere(small_store), "MK261127-002", Action.DISPATCH, assignee="综合执法队")
            await save_refused(app, pilot, form, small_store)
        # The refusal shows the case as it is now (read from the store), what was typed stays.
        assert notice(form) == "此件已被他人更新：现为「已派单」，承办：综合执法队"
        assert subtitle(form) == "当前状态：已派单；督办：黄牌督办"
        assert form.query_one("#field-note", Input).value == "请加快"
        await saved(app, pilot, form)
    case = small_store.get(Petition, "MK261127-002")
    assert [(e.action, e.actor) for e in case.history] == [("dispatch", OTHER), ("supervise", "duty-officer")]


async def test_a_dispatch_saved_before_another_desks_dispatch_was_shown_says_at_once_it_cannot_be_taken(
    small_store: Store,
) -> None:
    async with dashboard(small_store, NARROW) as (app, pilot):
        await select_case(app, pilot, "MK261127-002")  # 已受理
        form = await open_form(app, pilot, "d")  # 派单
        await pilot.press(*"执法")
        with reload_held(app):
            perform(elsewhere(small_store), "MK261127-002", Action.DISPATCH, assignee="综合执法队")
            await save_refused(app, pilot, form, small_store, "「已派单」的案件不能「派单」")
        assert "「已派单」的案件不能「派单」" in screen_text(app)  # on the form at 80x24
        app.poll()
        await arrives(app, pilot, small_store)
        assert notice(form) == "此件已被他人更新：现为「已派单」，承办：综合执法队，保存将被拒绝"
    case = small_store.get(Petition, "MK261127-002")
    assert [(e.action, e.actor) for e in case.history] == [("dispatch", OTHER)]


async def test_a_status_chosen_before_another_desks_step_made_it_illegal_says_so_at_once(small_store: Store) -> None:
    async with dashboard(small_store) as (app, pilot):
        await select_case(app, pilot, "MK261127-001")  # 待受理: 受理 or 撤销
        await pilot.press("c")
        await settled(app, pilot)
        modal = app.screen
        assert isinstance(modal, ChoiceModal)  # 受理 highlighted first
        modal.query_one("#choice-note", Input).focus()
        await pilot.press(*"已电话联系")
        with reload_held(app):
            perform(elsewhere(small_store), "MK261127-001", Action.ACCEPT)
            await save_refused(app, pilot, modal, small_store, "「已受理」的案件不能改为「已受理」")
    case = small_store.get(Petition, "MK261127-001")
    assert [(e.action, e.actor) for e in case.history] == [("accept", OTHER)]


async def test_a_status_chosen_before_another_desks_step_was_shown_is_refused_then_taken_on_the_new_case(
    small_store: Store,
) -> None:
    async with dashboard(small_store) as (app, pilot):
        await select_case(app, pilot, "MK261127-001")  # 待受理: 受理 or 撤销
        await pilot.press("c")
        await settled(app, pilot)
        modal = app.screen
        assert isinstance(modal, ChoiceModal)
        modal.query_one("#choice-note", Input).focus()
        await pilot.press(*"已电话联系")
        with reload_held(app):
            perform(elsewhere(small_store), "MK261127-001", Action.SUPERVISE, note="县里催办")
            await save_refused(app, pilot, modal, small_store)
        assert notice(modal) == "此件已被他人更新：现为「待受理」"
        assert modal.query_one("#choice-note", Input).value == "已电话联系"
        await saved(app, pilot, modal)  # 受理, still legal, on the case as it is now
    case = small_store.get(Petition, "MK261127-001")
    assert case.status is PetitionStatus.ACCEPTED
    assert [(e.action, e.actor) for e in case.history] == [("supervise", OTHER), ("accept", "duty-officer")]


async def test_a_permit_step_saved_before_another_desks_change_was_shown_is_refused_then_saved(
    small_store: Store,
) -> None:
    async with dashboard(small_store) as (app, pilot):
        form = await open_form(app, pilot, "4", "s")  # 暂停 on 玉兰商业街 1, its permit 有效
        await pilot.press(*"占道经营")
        with reload_held(app):
            other = elsewhere(small_store)  # suspended and reinstated: 有效 again, but not the permit shown
            change_permit(other, "yl-01", PermitAction.SUSPEND, note="卫生检查不合格")
            change_permit(other, "yl-01", PermitAction.REINSTATE, note="已整改")
            await save_refused(app, pilot, form, small_store)
        app.poll()
        await arrives(app, pilot, small_store)
        assert notice(form).startswith("此件已被他人更新：摊主 赵*，准入证「有效」")
        await saved(app, pilot, form)
    permit = small_store.get(StallPermit, "pm-1")
    assert [(e.action, e.actor) for e in permit.history] == [
        ("suspend", OTHER),
        ("reinstate", OTHER),
        ("suspend", "duty-officer"),
    ]


def owes_nothing(store: Store) -> None:
    """玉兰商业街 1 held since this month: nothing owed, so it can be released (退摊)."""
    spot = store.get(Stall, "yl-01")
    store.put(spot.model_copy(update={"held_since": clock.now().date().replace(day=1)}))


async def test_a_release_saved_before_another_desk_marked_the_spot_says_its_occupancy_changed(
    small_store: Store,
) -> None:
    """退摊 writes the spot's occupancy too (the spot is empty once released), so it acts only on the
    spot as shown, occupancy included; the form says what changed: today's occupancy."""
    owes_nothing(small_store)
    async with dashboard(small_store) as (app, pilot):
        form = await open_form(app, pilot, "4", "x")  # 退摊 on 玉兰商业街 1, 出摊 today
        await pilot.press(*"不做了")
        with reload_held(app):
            set_occupied(elsewhere(small_store), "yl-01", False)  # m at another desk
            await save_refused(app, pilot, form, small_store)
        app.poll()
        await arrives(app, pilot, small_store)
        assert notice(form) == "此件已被他人更新：摊主 赵*，准入证「有效」，欠费 ¥0，今日未出摊"
        await saved(app, pilot, form)
    assert small_store.get(Stall, "yl-01").holder_name == ""


async def test_a_release_form_says_another_desk_marked_the_spot(small_store: Store) -> None:
    owes_nothing(small_store)
    async with dashboard(small_store, NARROW) as (app, pilot):
        form = await open_form(app, pilot, "4", "x")
        set_occupied(elsewhere(small_store), "yl-01", False)
        await arrives(app, pilot, small_store)
        assert notice(form) == "此件已被他人更新：摊主 赵*，准入证「有效」，欠费 ¥0，今日未出摊"
        assert "今日未出摊" in screen_text(app)  # at 80x24


async def test_a_permit_step_is_not_refused_for_the_spots_occupancy(small_store: Store) -> None:
    """A permit step acts on the permit (the store's expected), which another desk's m leaves as it was."""
    async with dashboard(small_store) as (app, pilot):
        form = await open_form(app, pilot, "4", "s")  # 暂停
        await pilot.press(*"占道经营")
        with reload_held(app):
            set_occupied(elsewhere(small_store), "yl-01", False)
            await saved(app, pilot, form)
    assert small_store.get(StallPermit, "pm-1").status == "suspended"


async def test_a_session_cancelled_before_another_desks_change_was_shown_is_refused_then_cancelled(
    small_store: Store,
) -> None:
    today = clock.now().date()
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("3")
        table = desk_panel(app, "services").table
        table.move_cursor(row=table.keys.index("sv1"))
        form = await open_form(app, pilot, "x")
        await pilot.press(*"天气原因")
        with reload_held(app):
            with elsewhere(small_store).transaction() as tx:  # another writer moves it: still one to cancel
                sv1 = next(s for s in tx.all(ServiceSession, today.isoformat()) if s.id == "sv1")
                tx.put(sv1.model_copy(update={"place": "党群服务中心"}), today.isoformat())
            await save_refused(app, pilot, form, small_store)
        app.poll()
        await arrives(app, pilot, small_store)
        assert notice(form) == "此件已被他人更新：现为「未开始」"
        await saved(app, pilot, form)
    session = next(s for s in small_store.all(ServiceSession, today.isoformat()) if s.id == "sv1")
    assert (session.state, session.place, session.cancel_reason) == (SessionState.CANCELLED, "党群服务中心", "天气原因")


async def test_a_household_moved_before_another_desks_change_was_shown_is_refused_then_moved(
    small_store: Store,
) -> None:
    async with dashboard(small_store) as (app, pilot):
        form = await household_form(app, pilot, "m")
        await pilot.press(*"支部")
        with reload_held(app):
            with elsewhere(small_store).transaction() as tx:  # another writer (an import) edits the household
                h1 = tx.get(Household, "h1")
                tx.put(h1.model_copy(update={"phone": "13500009999"}))
            await save_refused(app, pilot, form, small_store)
        assert notice(form).startswith("此件已被他人更新")  # read from the store at the refusal
        await saved(app, pilot, form)
    household = small_store.get(Household, "h1")
    assert (household.grid_id, household.phone, household.history[-1].actor) == (
        "dc-B01",
        "13500009999",
        "duty-officer",
    )


async def test_a_worker_edit_saved_before_another_desks_edit_was_shown_keeps_that_edit_on_the_next_save(
    small_store: Store,
) -> None:
    """The form writes the whole worker back: after the refusal and the notice, the next save writes
    what was typed (the role) over the worker as they are now; the other desk's name stays."""
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("2", "r")
        await settled(app, pilot)
        roster = app.screen
        assert isinstance(roster, TableScreen)
        roster.table.move_cursor(row=roster.table.keys.index("w1"))
        form = await open_form(app, pilot, "e")
        form.query_one("#field-role", Select).value = WorkerRole.GRID_WORKER.value
        with reload_held(app):
            edit_worker(elsewhere(small_store), "w1", name="王秀芝")
            await save_refused(app, pilot, form, small_store)
        assert notice(form) == f"此件已被他人更新：11-28 09:30 {OTHER} 修改：姓名 王秀兰→王秀芝"
        assert form.query_one("#field-name", Input).value == "王秀兰"  # the form's fields stay as they were
        await saved(app, pilot, form)
    worker = small_store.get(GridWorker, "w1")
    assert (worker.name, worker.role) == ("王秀芝", WorkerRole.GRID_WORKER)
    assert [e.actor for e in worker.history] == [OTHER, "duty-officer"]


# -- one-key writes: 签到 (i) and 出摊/空 (m) carry the record as shown, as a form's save does ---------


@pytest.mark.parametrize(
    ("lang", "said"), [("zh", CHANGED), ("en", "Not saved: changed at another desk meanwhile; check it and save again")]
)
async def test_a_check_in_pressed_before_another_desks_change_was_shown_is_refused_then_checked_in(
    small_store: Store, lang: str, said: str
) -> None:
    """i acted on the session as it was under the lock, whatever the panel showed: a session another
    desk had moved (its place, its time) was checked in on what the officer had not seen. It is
    refused as changed, nothing written; once shown, i checks it in. The status line says so in one
    statement: it read 未更改：此件已被他人更新，未保存：… (not changed, and not saved)."""
    today = clock.now().date()
    async with dashboard(small_store, lang=lang) as (app, pilot):
        await pilot.press("3")
        assert desk_panel(app, "services").table.cursor_key == "sv0"  # 09:00, nobody checked in yet
        with reload_held(app):
            with elsewhere(small_store).transaction() as tx:  # another writer moves it: still one to check in
                sv0 = next(s for s in tx.all(ServiceSession, today.isoformat()) if s.id == "sv0")
                tx.put(sv0.model_copy(update={"place": "党群服务中心"}), today.isoformat())
            before = store_bytes(small_store.root)
            await pilot.press("i")
            await settled(app, pilot)
            assert store_bytes(small_store.root) == before, "checked in on a session the panel did not show"
            assert app.status.said[-1] == said
        app.poll()
        await arrives(app, pilot, small_store)
        await pilot.press("i")
        await settled(app, pilot)
    session = next(s for s in small_store.all(ServiceSession, today.isoformat()) if s.id == "sv0")
    assert (session.state, session.place) == (SessionState.CHECKED_IN, "党群服务中心")


async def test_a_spot_marked_before_another_desks_change_was_shown_is_refused_then_marked(small_store: Store) -> None:
    """m acted on the spot as it was under the lock: one another desk had just changed was marked on
    what the officer had not seen. It is refused as changed, nothing written; once shown, m marks it."""
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("4")
        assert desk_panel(app, "stalls").table.cursor_key == "yl-01"  # 出摊 today
        with reload_held(app):
            spot = small_store.get(Stall, "yl-01")
            elsewhere(small_store).put(spot.model_copy(update={"goods": "烤红薯"}))  # the holder changed trade
            before = store_bytes(small_store.root)
            await pilot.press("m")
            await settled(app, pilot)
            assert store_bytes(small_store.root) == before, "marked a spot the panel did not show"
            assert app.status.said[-1] == CHANGED  # one statement: no 未更改 before it
        app.poll()
        await arrives(app, pilot, small_store)
        await pilot.press("m")
        await settled(app, pilot)
    spot = small_store.get(Stall, "yl-01")
    assert (spot.occupied_on, spot.goods) == (None, "烤红薯")


async def test_a_correction_saved_before_another_desks_correction_was_shown_is_refused_then_keeps_it(
    small_store: Store,
) -> None:
    """`c` on a log entry follows the entry: another desk's correction, saved over before it reached the
    screen, is refused with nothing written; once shown (the form says who corrected it, and when),
    the save changes only what was typed here, the other desk's correction of another field kept."""
    entry = log_entry(small_store, kind=LogKind.CALL, content="3号楼漏水", action_taken="已通知物业")
    async with dashboard(small_store) as (app, pilot):
        form = await open_form(app, pilot, "5", "c")
        form.query_one("#field-content", Input).value = "3号楼2单元漏水"
        form.query_one("#field-note", Input).value = "单元号"
        with reload_held(app):
            correct_entry(elsewhere(small_store), entry.id, {"action_taken": "物业已维修"}, note="物业回电")
            await save_refused(app, pilot, form, small_store)
        app.poll()
        await arrives(app, pilot, small_store)
        assert notice(form) == f"此件已被他人更新：{OTHER} 已于 09:30 更正"
        await saved(app, pilot, form)
    now = find_entry(small_store, entry.id)
    assert [(e.actor, e.changes) for e in now.history] == [
        (OTHER, {"action_taken": "物业已维修"}),
        ("duty-officer", {"content": "3号楼2单元漏水"}),
    ]
