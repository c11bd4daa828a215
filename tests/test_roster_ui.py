"""Pilot tests for the roster forms (issue 14): panel 2's roster and household list, panel 3's
schedules. Each key: the happy path writes the record and its history, a refusal keeps the form
open with the reason and writes nothing, a viewer gets no key at all."""

from __future__ import annotations

from datetime import date, time

import pytest
from textual.widgets import Input, OptionList, Select, Static

from duty_room.app import DutyRoomApp
from store.models import Grid, GridWorker, Household, ServiceSchedule, VisitPlan
from store.roster import retire_worker
from store.storage import RETIRED, Store
from widgets.form import FormScreen
from widgets.table_screen import TableScreen

from conftest import add_children_schedule
from pilot import NARROW, WIDE, dashboard, desk_panel, loaded, screen_text, settled

TODAY = date(2026, 11, 28)  # conftest's frozen clock, a Saturday
TOMORROW = "2026-11-29"


def form_error(form: FormScreen, field: str = "") -> str:
    return str(form.query_one(f"#error-{field}" if field else "#form-error").render())


async def type_into(app: DutyRoomApp, pilot, form: FormScreen, field: str, text: str) -> None:  # noqa: ANN001
    box = form.query_one(f"#field-{field}", Input)
    box.value = ""
    box.focus()
    await pilot.pause()
    await pilot.press(*text)
    await settled(app, pilot)


async def submit(app: DutyRoomApp, pilot) -> None:  # noqa: ANN001
    await pilot.press("ctrl+s")
    await settled(app, pilot)


def add_neighbour(store: Store) -> None:
    """A second micro grid with its own worker: somewhere to move a household, someone to hand over to."""
    with store.transaction() as tx:
        tx.put(Grid(id="dc-M02", community_id="dongcheng", level="micro", name="1号楼2单元", parent_id="dc-B01"))
        tx.put(GridWorker(id="w2", name="赵敏", role="micro_worker", phone="13900002222", grid_id="dc-M02"))


async def open_roster(app: DutyRoomApp, pilot, *, row: str | None = None) -> TableScreen:  # noqa: ANN001
    await loaded(app, pilot)
    await pilot.press("2", "r")
    await settled(app, pilot)
    screen = app.screen
    assert isinstance(screen, TableScreen) and screen.kind == "roster:dongcheng"
    if row is not None:
        screen.table.move_cursor(row=screen.table.keys.index(row))
        await pilot.pause()
    return screen


async def press_for_form(app: DutyRoomApp, pilot, key: str) -> FormScreen:  # noqa: ANN001
    await pilot.press(key)
    await settled(app, pilot)
    form = app.screen
    assert isinstance(form, FormScreen), f"{key} opened {type(form).__name__}"
    return form


# -- panel 2: the roster's grid workers -----------------------------------------------------------


async def test_add_a_worker_from_the_roster(small_store: Store) -> None:
    async with dashboard(small_store, WIDE, reveal_users=["duty-officer"]) as (app, pilot):
        roster = await open_roster(app, pilot, row="dc-M01")
        hints = str(roster.query_one("#list-box").border_subtitle)
        assert all(hint in hints for hint in ("a 添加人员", "e 修改", "x 退出名册", "t 排明日走访", "p 显示个人信息"))
        form = await press_for_form(app, pilot, "a")
        assert form.values()["grid_id"] == "dc-M01"  # the selected grid
        assert form.query_one("#field-role", Select).value == "micro_worker"  # a micro grid's worker
        await type_into(app, pilot, form, "phone", "12345")
        await submit(app, pilot)
        # Every bad field at once (the model's own rules), nothing written.
        assert "必填" in form_error(form, "name") and "12345 是热线、报警等服务号码" in form_error(form, "phone")
        assert len(small_store.all(GridWorker)) == 1
        await type_into(app, pilot, form, "name", "李娟")
        await type_into(app, pilot, form, "phone", "13600001111")
        await submit(app, pilot)
        added = next(w for w in small_store.all(GridWorker) if w.name == "李娟")
        assert (added.phone, added.grid_id, added.role.value) == ("13600001111", "dc-M01", "micro_worker")
        [event] = added.history
        assert (event.action, event.actor, event.at.isoformat()) == ("add", "duty-officer", "2026-11-28T09:30:00+08:00")
        assert app.screen is roster and added.id in roster.table.keys
        assert roster.table.cell(added.id, 3).plain == "136****1111"  # masked in the list
        assert any("已添加微网格员 李娟" in n for n in app.status.said)


async def test_a_worker_added_is_under_the_rosters_cursor(small_store: Store) -> None:
    """After a the cursor stayed on the grid the form was opened from: e or x next acted on the
    grid's first worker, not the one just added. It goes to the new worker once the list shows them,
    as a new record is under its panel's cursor."""
    async with dashboard(small_store, WIDE) as (app, pilot):
        roster = await open_roster(app, pilot, row="dc-M01")
        form = await press_for_form(app, pilot, "a")
        await type_into(app, pilot, form, "name", "李娟")
        await type_into(app, pilot, form, "phone", "13600001111")
        await submit(app, pilot)
        added = next(w for w in small_store.all(GridWorker) if w.name == "李娟")
        assert app.screen is roster and roster.table.cursor_key == added.id


async def test_a_duplicate_phone_is_refused_beside_the_phone_and_keeps_what_was_typed(small_store: Store) -> None:
    async with dashboard(small_store) as (app, pilot):
        await open_roster(app, pilot, row="dc-M01")
        form = await press_for_form(app, pilot, "a")
        await type_into(app, pilot, form, "name", "李娟")
        await type_into(app, pilot, form, "phone", "13912345678")  # w1's
        await submit(app, pilot)
        assert app.screen is form
        assert "已是网格员 w1 的" in form_error(form, "phone")
        assert form.values()["name"] == "李娟" and form.values()["phone"] == "13912345678"
    assert [w.id for w in small_store.all(GridWorker)] == ["w1"]


async def test_a_new_workers_empty_phone_says_its_example_is_one(small_store: Store) -> None:
    """The add form's empty phone showed a bare 138xxxxxxxx, where every other phone field (登记,
    值班记录, 摊位申请) says 如 138xxxxxxxx: an example, never looking like a value already there."""
    async with dashboard(small_store) as (app, pilot):
        await open_roster(app, pilot, row="dc-M01")
        form = await press_for_form(app, pilot, "a")
        phone = form.query_one("#field-phone", Input)
        assert phone.value == "" and phone.placeholder == "如 138xxxxxxxx"


async def test_edit_keeps_a_masked_phone_unless_one_is_typed(small_store: Store) -> None:
    async with dashboard(small_store) as (app, pilot):
        await open_roster(app, pilot, row="w1")
        form = await press_for_form(app, pilot, "e")
        phone = form.query_one("#field-phone", Input)
        assert phone.value == "" and "139****5678" in phone.placeholder  # never shown unmasked unrevealed
        await type_into(app, pilot, form, "name", "王秀芝")
        await submit(app, pilot)
        worker = small_store.get(GridWorker, "w1")
        assert (worker.name, worker.phone) == ("王秀芝", "13912345678")
        [event] = worker.history
        assert event.action == "edit" and [(c.name, c.before, c.after) for c in event.changes] == [
            ("name", "王秀兰", "王秀芝")
        ]
        form = await press_for_form(app, pilot, "e")  # nothing changed: said on the form, nothing written
        await submit(app, pilot)
        assert app.screen is form and "没有改动" in form_error(form)
    assert len(small_store.get(GridWorker, "w1").history) == 1


async def test_edit_after_a_permitted_reveal_shows_the_phone(small_store: Store) -> None:
    async with dashboard(small_store, reveal_users=["duty-officer"]) as (app, pilot):
        await open_roster(app, pilot, row="w1")
        await pilot.press("p")
        await settled(app, pilot)
        form = await press_for_form(app, pilot, "e")
        assert form.query_one("#field-phone", Input).value == "13912345678"
        await type_into(app, pilot, form, "phone", "13912340000")
        await submit(app, pilot)
    [event] = small_store.get(GridWorker, "w1").history
    assert [(c.name, c.before, c.after) for c in event.changes] == [("phone", "139****5678", "139****0000")]


async def test_retire_asks_who_takes_over_the_plans(small_store: Store) -> None:
    add_neighbour(small_store)
    async with dashboard(small_store, WIDE) as (app, pilot):
        roster = await open_roster(app, pilot, row="w1")
        form = await press_for_form(app, pilot, "x")
        assert "还有 5 条走访计划" in str(form.query_one("#form-subtitle", Static).content)
        await submit(app, pilot)  # nobody named: refused at once
        assert app.screen is form and "请指定接手的网格员" in form_error(form, "hand_over_to")
        assert small_store.get(GridWorker, "w1")
        await type_into(app, pilot, form, "hand_over_to", "赵敏")
        await submit(app, pilot)
        assert app.screen is roster and "w1" not in roster.table.keys
        assert any("王秀兰 已退出名册，5 条走访计划交给 赵敏" in n for n in app.status.said)
    [retired] = small_store.all(GridWorker, RETIRED)
    assert retired.id == "w1" and retired.retired_on == TODAY
    assert (retired.history[-1].action, retired.history[-1].plans_to) == ("retire", "w2")
    assert {p.worker_id for p in small_store.all(VisitPlan, TODAY.isoformat())} == {"w2"}


async def test_retiring_to_a_worker_another_desk_just_retired_is_refused(small_store: Store) -> None:
    add_neighbour(small_store)
    async with dashboard(small_store) as (app, pilot):
        await open_roster(app, pilot, row="w1")
        form = await press_for_form(app, pilot, "x")
        await type_into(app, pilot, form, "hand_over_to", "赵敏")
        retire_worker(Store(small_store.root, actor="desk-2"), "w2", TODAY)  # meanwhile, elsewhere
        await submit(app, pilot)
        assert app.screen is form
        assert "没有这位网格员：w2" in form_error(form, "hand_over_to")
        assert form.values()["hand_over_to"] == "w2"
    assert small_store.get(GridWorker, "w1").history == []  # nothing written
    assert {p.worker_id for p in small_store.all(VisitPlan, TODAY.isoformat())} == {"w1"}


async def test_edit_and_retire_need_a_worker_row(small_store: Store) -> None:
    async with dashboard(small_store, WIDE) as (app, pilot):
        roster = await open_roster(app, pilot, row="dc-L1")
        for key in ("e", "x"):
            await pilot.press(key)
            await settled(app, pilot)
            assert app.screen is roster
        assert sum("请先选中一位网格员" in n for n in app.status.said) == 2


# -- panel 2: planning and moving households ------------------------------------------------------


async def test_plan_tomorrow_for_the_selected_grid_by_rule(small_store: Store) -> None:
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("2", "t")  # the community row: not a grid
        await settled(app, pilot)
        assert not isinstance(app.screen, FormScreen)
        assert any("请先选中一个网格" in n for n in app.status.said)
        await pilot.press("down", "down", "down")
        assert desk_panel(app, "visits").table.cursor_key == "dc-M01"
        form = await press_for_form(app, pilot, "t")
        assert form.values() == {"special": "7", "others": "30"}
        await type_into(app, pilot, form, "special", "0")
        await submit(app, pilot)
        assert "1 到 366" in form_error(form, "special")
        await type_into(app, pilot, form, "special", "40")
        await submit(app, pilot)
        assert "重点户 40 天" in form_error(form, "special")  # longer than the others' 30
        assert small_store.all(VisitPlan, TOMORROW) == []
        await type_into(app, pilot, form, "special", "7")
        await submit(app, pilot)
        assert not isinstance(app.screen, FormScreen)
        assert any("1号楼1单元：11-29 新排走访 4 户" in n for n in app.status.said)
    plans = small_store.all(VisitPlan, TOMORROW)
    assert sorted(p.household_id for p in plans) == ["h1", "h2", "h3", "h4"]
    assert {(p.worker_id, p.updated_by) for p in plans} == {("w1", "duty-officer")}


async def test_plan_from_a_grid_row_of_the_roster(small_store: Store) -> None:
    async with dashboard(small_store, WIDE) as (app, pilot):
        roster = await open_roster(app, pilot, row="dc-L1")
        form = await press_for_form(app, pilot, "t")
        assert "第一大网格" in form.texts.title
        await submit(app, pilot)
        assert app.screen is roster
        await pilot.press("t")  # again: everything due is planned already
        await settled(app, pilot)
        await submit(app, pilot)
        assert any("没有需要新排走访的住户" in n for n in app.status.said)
    assert len(small_store.all(VisitPlan, TOMORROW)) == 4


async def test_move_a_household_to_another_grid(small_store: Store) -> None:
    add_neighbour(small_store)
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("2", "down", "down", "down", "enter")
        await settled(app, pilot)
        households = app.screen
        assert isinstance(households, TableScreen) and households.table.cursor_key == "h1"
        assert "m 迁户" in str(households.query_one("#list-box").border_subtitle)
        form = await press_for_form(app, pilot, "m")
        assert "张**" in form.texts.title  # the head's name masked
        await submit(app, pilot)  # no grid chosen
        assert app.screen is form and "必填" in form_error(form, "grid_id")
        await type_into(app, pilot, form, "grid_id", "2单元")
        await submit(app, pilot)
        assert app.screen is households and "h1" not in households.table.keys
        assert any("1-1-101 已迁到 1号楼2单元，1 条走访计划随迁" in n for n in app.status.said)
    household = small_store.get(Household, "h1")
    [event] = household.history
    assert (household.grid_id, event.action, event.actor, event.plans_to) == ("dc-M02", "move", "duty-officer", "w2")
    assert [(c.name, c.before, c.after) for c in event.changes] == [("grid_id", "dc-M01", "dc-M02")]


async def test_a_grid_typed_in_part_is_shown_whole_on_tab_and_one_matching_none_is_refused_in_words(
    small_store: Store,
) -> None:
    """迁户: part of a grid's name and Tab kept the part, and the save moved the household to the top
    match unseen; a name matching no grid was refused as 必填, as if nothing had been typed."""
    add_neighbour(small_store)
    async with dashboard(small_store, NARROW) as (app, pilot):
        await pilot.press("2", "down", "down", "down", "enter")
        await settled(app, pilot)
        form = await press_for_form(app, pilot, "m")
        await type_into(app, pilot, form, "grid_id", "2单元")
        await pilot.press("tab")
        await settled(app, pilot)
        assert form.query_one("#field-grid_id", Input).value == "东城花园社区 1号楼2单元（微网格）"
        await type_into(app, pilot, form, "grid_id", "3单元")
        await submit(app, pilot)
        assert app.screen is form and form_error(form, "grid_id") == "没有与“3单元”相符的选项：请从列表中选择"
    assert small_store.get(Household, "h1").grid_id == "dc-M01"


async def test_a_picker_shows_its_choice_alone_after_a_save_is_refused(small_store: Store) -> None:
    """迁户 refused (the address is another household's in the grid chosen): the grid picker's list
    stood open under the choice, all of it again with its first row highlighted, another grid than
    the one chosen and saved. The choice shows alone; ↓ opens the list at it, and Enter takes the
    row highlighted then."""
    add_neighbour(small_store)
    with small_store.transaction() as tx:
        tx.put(Household(id="hx", grid_id="dc-M02", building="1", unit="1", room="101", head_name="李四"))
    async with dashboard(small_store, NARROW) as (app, pilot):
        await pilot.press("2", "down", "down", "down", "enter")
        await settled(app, pilot)
        form = await press_for_form(app, pilot, "m")
        options = form.query_one("#options-grid_id", OptionList)
        assert options.display and options.option_count == 3  # nothing chosen: every other grid
        await type_into(app, pilot, form, "grid_id", "2单元")
        await submit(app, pilot)
        assert app.screen is form and "一个地址只登记一户" in form_error(form, "grid_id")
        assert form.query_one("#field-grid_id", Input).value == "东城花园社区 1号楼2单元（微网格）"
        assert not options.display, "the list stayed open under the grid chosen"
        await pilot.press("down")  # opens it, at the row chosen
        await settled(app, pilot)
        assert options.display and options.highlighted == 2
        await pilot.press("up", "enter")  # the row above: 1号楼支部网格
        await settled(app, pilot)
        assert not isinstance(app.screen, FormScreen)
    assert small_store.get(Household, "h1").grid_id == "dc-B01"


# -- panel 3: 一老一小 schedules ---------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_a_fields_example_is_shown_once(small_store: Store, lang: str) -> None:
    """The schedule form said 开始时间（如 07:30） over an empty field showing 如 07:30: every example twice."""
    async with dashboard(small_store, NARROW, lang=lang) as (app, pilot):
        await pilot.press("3")
        form = await press_for_form(app, pilot, "a")
        twice = [spec.label for spec in form.fields if spec.example and spec.example in spec.label]
        assert [spec.key for spec in form.fields if spec.example] and twice == []


async def test_add_a_schedule_with_end_before_start_refused_then_saved(small_store: Store) -> None:
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("3")
        form = await press_for_form(app, pilot, "a")
        assert form.values()["community_id"] == "dongcheng"  # the selected session's
        await type_into(app, pilot, form, "title", "四点半小课堂")
        form.query_one("#field-kind", Select).value = "after_school"
        await type_into(app, pilot, form, "place", "党群服务中心")
        await type_into(app, pilot, form, "start", "16:30")
        await type_into(app, pilot, form, "end", "16:00")
        form.query_one("#field-recurrence", Select).value = "weekly"
        await submit(app, pilot)
        assert app.screen is form
        assert form_error(form, "end") == "结束时间须晚于开始时间"
        assert "每周几" in form_error(form, "weekdays")
        assert small_store.all(ServiceSchedule) == []
        await type_into(app, pilot, form, "end", "18:00")
        form.query_one("#field-weekdays", Input).value = "周六、周日"  # (the Pilot cannot press 、)
        await submit(app, pilot)
        assert not isinstance(app.screen, FormScreen)
        assert any("已新增服务安排「四点半小课堂」" in n for n in app.status.said)
        [schedule] = small_store.all(ServiceSchedule)
        assert (schedule.start, schedule.end, schedule.weekdays) == (time(16, 30), time(18), [5, 6])
        assert [(e.action, e.actor) for e in schedule.history] == [("add", "duty-officer")]
        table = desk_panel(app, "services").table
        assert f"{schedule.id}.20261128" in table.keys  # on today's timeline
        assert table.cursor_key == f"{schedule.id}.20261128" != table.keys[0]  # under the cursor, wherever it sorts


async def test_change_the_selected_sessions_schedule(small_store: Store) -> None:
    add_children_schedule(small_store)
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("3")
        await pilot.press("e")  # 09:00 反诈课堂, a one-off: no schedule to change
        await settled(app, pilot)
        assert not isinstance(app.screen, FormScreen)
        assert any("单次活动" in n for n in app.status.said)
        desk_panel(app, "services").table.move_cursor(row=2)
        await pilot.pause()
        form = await press_for_form(app, pilot, "e")
        values = form.values()
        assert (values["title"], values["start"], values["end"], values["recurrence"]) == (
            "社区科普馆开放日",
            "14:00",
            "16:00",
            "weekends",
        )
        await type_into(app, pilot, form, "start", "15:00")
        await submit(app, pilot)
        assert not isinstance(app.screen, FormScreen)
        schedule = small_store.get(ServiceSchedule, "sc-sci")
        [event] = schedule.history
        assert (schedule.start, event.action, event.actor) == (time(15), "edit", "duty-officer")
        assert [(c.name, c.before, c.after) for c in event.changes] == [("start", "14:00", "15:00")]
        detail = desk_panel(app, "services").detail_content("sc-sci.20261128", reveal=False)
        assert detail is not None
        [changes] = [lines for title, lines in detail.sections if title == "安排改动记录"]
        assert changes[0].plain.endswith("duty-officer 修改：开始时间 14:00→15:00")


async def test_tab_moves_through_the_schedule_form_and_confirm_is_reachable_at_80x24(small_store: Store) -> None:
    async with dashboard(small_store, size=(80, 24)) as (app, pilot):
        await pilot.press("3")
        form = await press_for_form(app, pilot, "a")
        assert form.focused is form.query_one("#field-title")
        await pilot.press("tab")
        assert form.focused is form.query_one("#field-kind")
        for _ in range(30):
            if form.focused is form.query_one("#form-confirm"):
                break
            await pilot.press("tab")
        confirm = form.query_one("#form-confirm")
        assert form.focused is confirm
        assert confirm.region.bottom <= 24 and confirm.region.right <= 80  # on screen
        ends_on = form.query_one("#field-ends_on")
        ends_on.focus()
        await pilot.pause()
        assert 0 <= ends_on.region.y < 24  # the last field scrolls into view


# -- keys: where they are, who has them ------------------------------------------------------------


async def test_the_new_keys_are_in_the_footer_and_help(small_store: Store) -> None:
    async with dashboard(small_store, size=(80, 24)) as (app, pilot):
        await pilot.press("3")
        bindings = app.screen.active_bindings
        assert bindings["a"].binding.show and bindings["e"].binding.show
        assert (bindings["a"].binding.description, bindings["e"].binding.description) == ("新增", "修改")
        app.action_help()
        await settled(app, pilot)
        assert app.screen.query("HelpPanel")
        await pilot.press("2")
        plan = app.screen.active_bindings["t"].binding
        assert plan.description == "排明日走访" and not plan.show  # 80 columns are full: help and palette
        await pilot.press("down", "down", "down")
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "排明日走访 · 1号楼1单元" in titles


async def test_a_viewer_has_none_of_the_roster_keys(small_store: Store) -> None:
    add_children_schedule(small_store)
    async with dashboard(small_store, WIDE, read_only=True) as (app, pilot):
        roster = await open_roster(app, pilot, row="w1")
        # Nor p: a viewer may never reveal (README: Personal data); typed, it is refused in words.
        assert "显示个人信息" not in str(roster.query_one("#list-box").border_subtitle)
        assert "按 p 显示" not in roster.header_text.plain
        assert not [
            b for b in roster.active_bindings.values() if b.binding.id == "list.reveal" and not b.binding.system
        ]
        await pilot.press("p")
        await settled(app, pilot)
        assert app.screen is roster and "只读模式：不能更改，也不能显示个人信息" in screen_text(app)
        for key in ("a", "e", "x", "t"):
            await pilot.press(key)
            await settled(app, pilot)
            assert app.screen is roster
        await pilot.press("escape", "down", "down", "down", "t", "enter")
        await settled(app, pilot)
        households = app.screen
        assert isinstance(households, TableScreen) and "迁户" not in str(
            households.query_one("#list-box").border_subtitle
        )
        await pilot.press("m")
        await settled(app, pilot)
        assert app.screen is households
        await pilot.press("escape", "3", "a", "down", "down", "e")
        await settled(app, pilot)
        assert not isinstance(app.screen, FormScreen)
        assert not any(t.startswith(("新增", "修改")) for t in (c.title for c in app.get_system_commands(app.screen)))
    assert [w.id for w in small_store.all(GridWorker)] == ["w1"]
    assert small_store.all(VisitPlan, TOMORROW) == []
    assert small_store.get(ServiceSchedule, "sc-sci").history == []


async def test_a_store_opened_read_only_refuses_the_write_in_the_form(small_store: Store) -> None:
    """The store itself is read-only (a viewer's keys are gone before this): the write is refused, the form stays."""
    viewer_store = Store(small_store.root, actor="duty-officer", read_only=True)
    async with dashboard(viewer_store) as (app, pilot):
        await open_roster(app, pilot, row="dc-M01")
        form = await press_for_form(app, pilot, "a")
        await type_into(app, pilot, form, "name", "李娟")
        await type_into(app, pilot, form, "phone", "13600001111")
        await submit(app, pilot)
        assert app.screen is form and form_error(form).startswith("只读：本会话不能更改")
        assert form.values()["name"] == "李娟"
    assert [w.id for w in small_store.all(GridWorker)] == ["w1"]


# -- Enter on a list row: the record's detail, with its history -------------------------------------


async def test_enter_on_a_roster_worker_shows_their_changes_masked_until_revealed(small_store: Store) -> None:
    from store.models import AuditEntry
    from store.roster import edit_worker
    from widgets.detail import DetailScreen

    edit_worker(Store(small_store.root, actor="clerk"), "w1", phone="13900001111")
    async with dashboard(small_store, reveal_users=["duty-officer"]) as (app, pilot):
        roster = await open_roster(app, pilot, row="w1")
        await pilot.press("enter")
        await settled(app, pilot)
        detail = app.screen
        assert isinstance(detail, DetailScreen)
        text = [(k, v.plain) for k, v in detail.content.fields]
        assert ("电话", "139****1111") in text and ("网格", "1号楼1单元") in text
        [changes] = [lines for heading, lines in detail.content.sections if heading == "变更记录"]
        assert [line.plain for line in changes] == ["11-28 09:30 clerk 修改：电话 139****5678→139****1111"]
        await pilot.press("p")
        await settled(app, pilot)
        assert ("电话", "13900001111") in [(k, v.plain) for k, v in app.screen.content.fields]
        await pilot.press("escape")
        await settled(app, pilot)
        assert app.screen is roster
    [entry] = small_store.all(AuditEntry, "2026-11")
    assert (entry.subject, entry.allowed) == ("visits:worker:w1", True)


async def test_enter_on_a_household_shows_its_visit_log_and_its_move(small_store: Store) -> None:
    from store.roster import move_household
    from widgets.detail import DetailScreen

    add_neighbour(small_store)
    move_household(small_store, "h0", "dc-M02", TODAY)
    retire_worker(small_store, "w1", TODAY, hand_over_to="w2")  # who visited: still named in the log
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("2")
        panel = desk_panel(app, "visits")
        panel.table.move_cursor(row=panel.table.keys.index("dc-M02"))
        await pilot.press("enter")
        await settled(app, pilot)
        households = app.screen
        assert isinstance(households, TableScreen) and households.table.keys == ["h0"]
        await pilot.press("enter")
        await settled(app, pilot)
        detail = app.screen
        assert isinstance(detail, DetailScreen)
        assert detail.content.title == "1-1-100 张**"  # the head of household masked
        assert ("网格", "1号楼2单元") in [(k, v.plain) for k, v in detail.content.fields]
        sections = dict(detail.content.sections)
        assert [line.plain for line in sections["近 14 天民情日志"]] == ["11-28 09:25 王秀兰  老人身体良好"]
        [move] = [line.plain for line in sections["变更记录"]]
        assert move == "11-28 09:30 duty-officer 迁户：网格 1号楼1单元→1号楼2单元（1 条走访计划转给 赵敏）"


async def test_a_households_visit_log_is_read_in_a_worker_and_a_key_typed_meanwhile_waits(
    small_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two weeks of a township's visit log take ~0.5 s to read the first time: never on the event
    loop. Esc typed while it is read closes the detail once it is open, as typed slowly; not the list."""
    import threading

    from duty_room.panels import visits
    from widgets.detail import DetailScreen

    release = threading.Event()
    real = visits.recent_visits

    threads: list[bool] = []  # each read: in a worker?

    def slow(*args: object, **kwargs: object) -> object:
        threads.append(threading.current_thread() is not threading.main_thread())
        if threads[-1]:
            release.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(visits, "recent_visits", slow)
    details: list[DetailScreen] = []
    real_init = DetailScreen.__init__

    def recorded(self: DetailScreen, *args: object, **kwargs: object) -> None:
        details.append(self)
        real_init(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(DetailScreen, "__init__", recorded)
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("2", "down", "down", "down", "enter")
        await settled(app, pilot)
        households = app.screen
        assert isinstance(households, TableScreen)
        await pilot.press("enter", "escape")
        await pilot.pause()
        ran: list[int] = []
        app.call_later(lambda: ran.append(1))  # the event loop is free while the read waits
        await pilot.pause()
        assert ran and app.screen is households and not app.typeahead.settled
        release.set()
        await settled(app, pilot)
        assert app.screen is households  # the detail opened, then Esc closed it
        [detail] = details
        assert detail.content.title == "1-1-101 张**" and not detail.is_attached
        assert threads[0]  # the first read, the slow one, in a worker; the detail's own read hits the store's cache


async def test_a_closed_list_is_freed(small_store: Store) -> None:
    """Nothing keeps a closed list and its rows alive (Textual's worker threads keep the last worker
    they ran: its callbacks hold the list weakly), so no collection has to walk closed lists."""
    import gc
    import weakref

    async with dashboard(small_store) as (app, pilot):
        roster = await open_roster(app, pilot, row="dc-M01")
        closed = weakref.ref(roster)
        del roster
        await pilot.press("escape")
        await settled(app, pilot)
        assert not isinstance(app.screen, TableScreen)
        gc.collect()
        assert closed() is None


def test_history_lines_name_grids_and_say_where_plans_went_in_either_language() -> None:
    from datetime import datetime

    from duty_room.presenters import Presenter, history_line
    from store.models import FieldChange, RosterEvent

    at = datetime.fromisoformat("2026-11-28T09:30:00+08:00")
    moved = RosterEvent(
        at=at,
        actor="clerk",
        action="move",
        plans=2,
        changes=[FieldChange(name="grid_id", before="dc-M01", after="dc-M02")],
    )
    imported = RosterEvent(
        at=at,
        actor="clerk",
        action="edit",
        note="import",
        changes=[
            FieldChange(name="phone", before="139****5678", after="139****1111"),
            FieldChange(name="role", before="grid_worker", after="micro_worker"),
        ],
    )
    names = {"dc-M01": "1号楼1单元", "dc-M02": "1号楼2单元"}
    zh, en = Presenter("zh"), Presenter("en")
    assert (
        history_line(zh, moved, names).plain
        == "11-28 09:30 clerk 迁户：网格 1号楼1单元→1号楼2单元（2 条走访计划取消：新网格无人走访）"
    )
    assert (
        history_line(en, moved, names).plain
        == "11-28 09:30 clerk moved: grid 1号楼1单元→1号楼2单元 (2 planned visits dropped: nobody visits the new grid)"
    )
    assert history_line(zh, moved).plain.endswith(
        "迁户：网格（2 条走访计划取消：新网格无人走访）"
    )  # names unknown: no ids shown
    assert history_line(zh, imported).plain == "11-28 09:30 clerk 修改：电话 139****5678→139****1111、职务（表格导入）"
    assert (
        history_line(en, imported).plain
        == "11-28 09:30 clerk changed: phone 139****5678→139****1111, role (spreadsheet import)"
    )
