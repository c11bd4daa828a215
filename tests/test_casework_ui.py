"""Pilot tests: the whole case lifecycle driven from the keyboard, as a duty officer would."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.content import Content
from textual.widgets import Button, Input, Select, Static

from duty_room import words
from duty_room.app import DutyRoomApp
from duty_room.panels.intake import ask_intake
from store import clock, metrics
from store.lifecycle import register
from store.metrics import Rate, Rates
from store.models import Grid, GridWorker, Level, Petition, PetitionStatus, Satisfaction
from store.storage import Store
from widgets.detail import DetailScreen
from widgets.form import FormScreen
from widgets.table_screen import TableScreen

from pilot import NARROW, WIDE, dashboard, desk_panel, drawn, screen_text, settled, until


async def settle(app: DutyRoomApp, pilot, case_id: str, status: str) -> None:  # noqa: ANN001
    table = desk_panel(app, "petitions").table
    await until(
        pilot, lambda: case_id in table.keys and table.cell(case_id, 1).plain == status, f"{case_id} to show {status}"
    )


async def choose(pilot, select_id: str, downs: int) -> None:  # noqa: ANN001
    """Open a Select with Enter, move down, pick with Enter: keys only."""
    pilot.app.screen.query_one(f"#{select_id}", Select).focus()
    await pilot.pause()
    await pilot.press("enter", *["down"] * downs, "enter")
    await pilot.pause()


async def test_whole_lifecycle_from_the_keyboard(small_store: Store) -> None:
    async with dashboard(small_store, refresh_seconds=0.2) as (app, pilot):
        # n: intake. Submitting empty marks the fields inline and writes nothing.
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "必填" in str(form.query_one("#error-title").render())
        assert "必填" in str(form.query_one("#error-category").render())
        assert len(small_store.all(Petition)) == 4
        await pilot.press(*"楼道灯不亮[red]x[/]")
        await choose(pilot, "field-category", 4)  # blank, 物业纠纷, 家庭矛盾, 邻里纠纷, 基础设施
        await choose(pilot, "field-community_id", 1)  # blank, 东城花园社区
        form.query_one("#field-reporter_phone").focus()
        await pilot.press(*"12345", "ctrl+s")  # the hotline the case came by: not the reporter's own phone
        await pilot.pause()
        said = str(form.query_one("#error-reporter_phone").render())
        assert said.startswith("12345 是受理渠道，不是诉求人的电话：请填写诉求人本人的手机或座机"), said
        assert len(small_store.all(Petition)) == 4
        await pilot.press(*["backspace"] * 5, *"13912345678", "ctrl+s")
        await settled(app, pilot)
        assert not isinstance(app.screen, FormScreen)
        [new] = [p for p in small_store.all(Petition) if p.id.startswith("MK261128-")]
        assert (new.title, new.status, new.category.value, new.community_id) == (
            "楼道灯不亮[red]x[/]",
            PetitionStatus.NEW,
            "infrastructure",
            "dongcheng",
        )

        # /: filter down to the new case, Enter back to the rows.
        await pilot.press("slash", *"灯不亮", "enter")
        await settle(app, pilot, new.id, "待受理")
        assert desk_panel(app, "petitions").table.keys == [new.id]

        steps = [
            ("a", [], "已受理"),
            ("d", [*"执法", "enter"], "已派单"),
            ("s", ["enter"], "处置中"),
            ("r", ["enter"], "已办结"),
        ]
        for key, then, shown in steps:
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, FormScreen), key
            await pilot.press(*(then or ["enter"]))
            await settled(app, pilot)
            assert not isinstance(app.screen, FormScreen), key
            await settle(app, pilot, new.id, shown)

        # 回访: nothing is preselected, so a bare confirm records nothing and asks for both answers.
        await pilot.press("v")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        assert app.screen is form
        assert "必填" in str(form.query_one("#error-satisfaction").render())
        assert "必填" in str(form.query_one("#error-solved").render())
        assert small_store.get(Petition, new.id).status is PetitionStatus.RESOLVED
        await choose(pilot, "field-satisfaction", 1)  # blank, 满意
        await choose(pilot, "field-solved", 1)  # blank, 已解决
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        assert not isinstance(app.screen, FormScreen)

    saved = small_store.get(Petition, new.id)
    assert saved.status is PetitionStatus.CLOSED
    assert saved.assignee == "综合执法队"
    assert (saved.satisfaction, saved.solved) == (Satisfaction.SATISFIED, True)
    assert [e.action for e in saved.history] == ["create", "accept", "dispatch", "start", "resolve", "follow_up"]
    assert {e.actor for e in saved.history} == {"duty-officer"}


async def test_illegal_key_is_refused_with_a_reason_and_writes_nothing(small_store: Store) -> None:
    before = (small_store.root / "petitions" / "2026-11-27.json").read_bytes()
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("r")  # resolve a 待受理 case
        await pilot.pause()
        assert not isinstance(app.screen, FormScreen)
        [note] = app.status.said
        assert "不能" in note
        assert "不能" in str(app.query_one("#status").render())  # said in the status line, not a toast
    assert (small_store.root / "petitions" / "2026-11-27.json").read_bytes() == before


async def test_return_needs_a_reason_marked_inline(small_store: Store) -> None:
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("j", "j")  # MK261127-003, 已派单
        await pilot.pause()
        assert desk_panel(app, "petitions").table.cursor_key == "MK261127-003"
        await pilot.press("b", "enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        assert "原因" in str(form.query_one("#error-note").render())
        await pilot.press(*"不属本单位职责", "enter")
        await settled(app, pilot)
        assert not isinstance(app.screen, FormScreen)
    saved = small_store.get(Petition, "MK261127-003")
    assert saved.status is PetitionStatus.RETURNED
    assert saved.history[-1].note == "不属本单位职责"


async def test_sort_key_cycles_orders(tmp_path: Path, frozen_clock: str) -> None:
    from store.demo import build_demo

    build_demo(Store(tmp_path / "demo", actor="builder"))
    store = Store(tmp_path / "demo", actor="duty-officer")
    async with dashboard(store) as (app, pilot):
        urgency = list(desk_panel(app, "petitions").table.keys)
        open_cases = [p for p in store.all(Petition) if p.status.is_open]
        await pilot.press("o")  # newest first
        await pilot.pause()
        assert "排序：最新" in str(desk_panel(app, "petitions").summary.render())
        newest = sorted(open_cases, key=lambda p: (-p.created_at.timestamp(), p.id))
        assert desk_panel(app, "petitions").table.keys == [p.id for p in newest]
        assert desk_panel(app, "petitions").table.keys != urgency
        await pilot.press("o", "o", "o", "o")  # oldest, community, status, and back to urgency
        await pilot.pause()
        assert desk_panel(app, "petitions").table.keys == urgency


async def test_clearing_a_filter_keeps_the_selected_case_in_view(tmp_path: Path, frozen_clock: str) -> None:
    """Filtered down to one case far down the list, the filter cleared: the cursor stays on that case
    and its row is on screen. The list showed its top with no row selected, and Down Enter opened
    the case below the one typed, out of sight (the table had had no scrollbar while filtered, so
    the scroll to the cursor was dropped)."""
    from store.demo import build_demo

    build_demo(Store(tmp_path / "demo", actor="builder"))
    async with dashboard(Store(tmp_path / "demo", actor="duty-officer"), NARROW) as (app, pilot):
        table = desk_panel(app, "petitions").table
        last = table.keys[-1]
        await pilot.press("slash", *last, "enter")
        await settled(app, pilot)
        assert table.keys == [last]
        await pilot.press("slash", "escape")
        await settled(app, pilot)
        assert table.cursor_key == last and len(table.keys) > 20
        top = round(table.scroll_y)
        assert top <= table.cursor_row < top + table.scrollable_content_region.height - 1
        assert last in screen_text(app)


async def test_palette_offers_the_steps_the_selected_case_allows(small_store: Store) -> None:
    async with dashboard(small_store) as (app, pilot):
        titles = [c.title for c in app.get_system_commands(app.screen)]
        # MK261127-001 is 待受理: accept, cancel, merge, escalate, supervise (it is overdue).
        steps = sorted(t.split(" · ")[0] for t in titles if t.endswith("· MK261127-001"))
        assert steps == sorted(["受理", "撤销", "合并", "升级", "督办"])
        assert not any(t.startswith("办结 ·") for t in titles)


async def test_the_palette_shows_each_steps_key_and_a_title_as_typed(small_store: Store) -> None:
    """The palette reads a command's help as markup: "[a] 下水道…" lost its "[a]", a title "[red]…"
    was coloured, and a title with "[/b]" failed the palette (内部错误 WorkerFailed: MarkupError).
    Now the key shows, as a keymap bound it, and the title as it was typed."""
    case = small_store.get(Petition, "MK261127-001")
    small_store.put(case.model_copy(update={"title": "井盖[/b]丢失"}))
    async with dashboard(small_store, keymap={"petition.accept": "A"}) as (app, pilot):
        helps = {c.title: Content.from_markup(c.help).plain for c in app.get_system_commands(app.screen)}
        assert helps["受理 · MK261127-001"] == "[A] 井盖[/b]丢失"
        assert helps["撤销 · MK261127-001"] == "[x] 井盖[/b]丢失"
        await pilot.press("ctrl+p")
        await drawn(app, pilot)  # the palette gathers its commands in a worker of its own: settled waits for it
        assert isinstance(app.screen, CommandPalette) and not app.status.handled_errors
        assert "[A] 井盖[/b]丢失" in screen_text(app)  # listed, as typed


async def test_the_palettes_dashboard_commands_show_their_keys(small_store: Store) -> None:
    """转到面板, 放大 and 刷新 were listed with no key, beside the panel's commands that show theirs:
    the palette is where an officer learns a key. Each shows its own, as a keymap bound it."""
    async with dashboard(small_store, keymap={"panel.zoom": "f11"}) as (app, _pilot):
        helps = {c.title: Content.from_markup(c.help).plain for c in app.get_system_commands(app.screen)}
        assert helps["转到面板：网格走访"] == "[2]"
        assert helps["放大 / 还原当前面板"] == "[f11]"
        assert helps["立即刷新数据"] == "[ctrl+r]"


async def test_a_title_with_brackets_never_stops_the_merge_form(small_store: Store) -> None:
    """m lists the other open cases by title in a picker. A title holding "[/b]" raised MarkupError
    while the form was built: no form showed, and every key after it waited for it, then was
    dropped (the dashboard froze). The form opens, the title shown as typed, and keys go on."""
    case = small_store.get(Petition, "MK261127-001")
    small_store.put(case.model_copy(update={"title": "井盖[/b]丢失"}))
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("down", "m")
        await settled(app, pilot)
        form = app.screen
        assert isinstance(form, FormScreen) and not app.status.handled_errors
        assert "MK261127-001 井盖[/b]丢失" in screen_text(app)
        await pilot.press("escape")
        await settled(app, pilot)
        assert app.screen is app.screen_stack[0]


@pytest.mark.parametrize(("lang", "hint"), [("zh", "输入编号或诉求筛选"), ("en", "type a case ID or subject")])
async def test_the_merge_forms_picker_asks_for_a_case(small_store: Store, lang: str, hint: str) -> None:
    """合并 (m) lists the other open cases by ID and subject, but its empty box said 输入姓名、网格或单位筛选
    (type a name, grid or unit), the assignee picker's words: it asks for a case."""
    async with dashboard(small_store, lang=lang) as (app, pilot):
        await pilot.press("down", "m")
        await settled(app, pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        assert form.query_one("#field-duplicate_of", Input).placeholder == hint
        assert hint in screen_text(app)


async def test_the_assignee_picker_names_each_workers_community(small_store: Store) -> None:
    """派单's picker listed everyone on the roster as 网格长 朱倩 · 第一大网格, though every community has
    its 第一大网格: which one was not said, and typing the community (玉兰) found nobody. Each worker's
    grid is named with its community, as the intake's grid picker names it."""
    small_store.put(Grid(id="yl-L1", community_id="yulan", level="large", name="第一大网格"))
    small_store.put(GridWorker(id="w9", name="朱倩", role="grid_chief", phone="13912349999", grid_id="yl-L1"))
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("down", "d")  # MK261127-002, 已受理
        await settled(app, pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        labels = [option for _, option in form._pickers["assignee"].options]
        assert "网格长 朱倩 · 玉兰社区 第一大网格" in labels, labels
        assert "微网格员 王秀兰 · 东城花园社区 1号楼1单元" in labels, labels
        await pilot.press(*"玉兰")
        await settled(app, pilot)
        assert form._pickers["assignee"].shown == ["worker:w9"]


async def test_hints_that_name_a_key_name_the_key_a_keymap_bound(small_store: Store) -> None:
    """The case detail's "按 p 显示", the intake form's "Ctrl+S 提交，Esc 放弃" and the filter's
    "Esc 清除" named the default keys after a keymap had moved them."""
    keymap = {"detail.reveal": "f9", "form.submit": "ctrl+o", "form.cancel": "f10", "filter.close": "f8"}
    async with dashboard(small_store, keymap=keymap, reveal_users=["duty-officer"]) as (app, pilot):
        assert desk_panel(app, "petitions").filter_input.placeholder.endswith("f8 清除")
        await pilot.press("enter")
        await settled(app, pilot)
        assert (
            isinstance(app.screen, DetailScreen)
            and app.screen.content.hint == "个人信息已脱敏；按 f9 显示（将记录在案）"
        )
        await pilot.press("escape", "n")
        await settled(app, pilot)
        assert isinstance(app.screen, FormScreen)
        assert "Enter 或 ^o 提交，f10 放弃" in app.screen.texts.subtitle


async def test_an_intake_the_store_refuses_is_said_on_the_form_in_its_words(small_store: Store) -> None:
    """What only the store can see (the household of a visit gone since the form opened; a grid of
    another community) is refused like every other step: in the interface language, beside the
    field to fix or on the form, the typing kept and nothing written."""
    async with dashboard(small_store) as (app, pilot):
        ask_intake(
            app.desk,
            prefill={
                "channel": "home_visit",
                "community_id": "dongcheng",
                "grid_id": "dc-M01",
                "household_id": "h-gone",
            },
        )
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        await pilot.press(*"楼道灯不亮")
        await choose(pilot, "field-category", 4)
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        assert app.screen is form and form.values()["title"] == "楼道灯不亮"
        assert "没有这户：h-gone" in str(form.query_one("#form-error").render())
        await choose(pilot, "field-community_id", 1)  # from 东城花园社区 down to 玉兰社区: dc-M01 is not in it
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        assert form.values()["community_id"] == "yulan", form.values()
        assert "不在所选社区" in str(form.query_one("#error-grid_id").render())
    assert len(small_store.all(Petition)) == 4


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("zh", "网格「1号楼1单元」的住户在1号楼1单元，不在1号楼2单元"),
        ("en", "grid '1号楼1单元' has its households in building 1 unit 1, not in building 1 unit 2"),
    ],
    ids=["zh", "en"],
)
async def test_the_intake_form_refuses_a_unit_the_chosen_grid_does_not_hold(
    small_store: Store, lang: str, said: str
) -> None:
    """登记 on the 1号楼1单元 micro grid took 2单元 without a word. Refused beside the unit, in the
    form's language, naming where the grid's households are; fixed, it saves."""
    async with dashboard(small_store, lang=lang) as (app, pilot):
        ask_intake(app.desk, prefill={"community_id": "dongcheng", "grid_id": "dc-M01"})
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        await pilot.press(*"楼道灯不亮")
        await choose(pilot, "field-category", 4)
        form.query_one("#field-building", Input).value = "1号楼"
        form.query_one("#field-unit", Input).value = "2单元"
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        assert app.screen is form
        assert str(form.query_one("#error-unit").render()) == said
        assert str(form.query_one("#error-building").render()) == ""
        assert len(small_store.all(Petition)) == 4
        form.query_one("#field-unit", Input).value = "1单元"
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        assert app.screen is not form
    assert [p.unit for p in small_store.all(Petition) if p.title == "楼道灯不亮"] == ["1单元"]


def end_two_cases(store: Store) -> None:
    """MK261127-004 closed after a satisfied 回访; MK261127-001 cancelled (撤销)."""
    from store.lifecycle import Action, perform

    perform(store, "MK261127-004", Action.RESOLVE, note="已拆除私拉电线")
    perform(store, "MK261127-004", Action.FOLLOW_UP, satisfaction=Satisfaction.SATISFIED, solved=True)
    clock.freeze("2026-11-28T09:40:00+08:00")  # ten minutes later: the newest ending
    perform(store, "MK261127-001", Action.CANCEL, note="居民撤回")


async def test_l_lists_the_ended_cases_and_o_reopens_the_one_under_the_cursor(small_store: Store) -> None:
    """重开 from the dashboard: a closed case is not in panel 1's list, so l lists the ended ones
    (newest ending first) and o on a row asks why, then the case is back on the desk."""
    end_two_cases(small_store)
    async with dashboard(small_store) as (app, pilot):
        assert "MK261127-004" not in desk_panel(app, "petitions").table.keys
        await pilot.press("l")
        await settled(app, pilot)
        ended = app.screen
        assert isinstance(ended, TableScreen) and ended.kind == "ended:"
        assert ended.table.keys == ["MK261127-001", "MK261127-004"]  # the cancellation came last
        assert ended.table.cell("MK261127-004", 6).plain == "满意"
        await pilot.press("o")  # on the cancelled case: only a closed case can be reopened
        await settled(app, pilot)
        assert app.screen is ended and "撤销" in app.status.said[-1]
        await pilot.press("down", "o")
        await settled(app, pilot)
        assert isinstance(app.screen, FormScreen)
        await pilot.press("ctrl+s")  # a reason is required
        await pilot.pause()
        assert small_store.get(Petition, "MK261127-004").status is PetitionStatus.CLOSED
        await pilot.press(*"居民反映又漏电", "ctrl+s")
        await settled(app, pilot)
        reopened = small_store.get(Petition, "MK261127-004")
        assert reopened.status is PetitionStatus.IN_PROGRESS
        assert (reopened.history[-1].action, reopened.history[-1].note) == ("reopen", "居民反映又漏电")
        assert app.screen is ended and ended.table.keys == ["MK261127-001"]  # gone from the ended list
        await pilot.press("escape")
        await settled(app, pilot)
        assert "MK261127-004" in desk_panel(app, "petitions").table.keys  # and back on the desk


async def test_an_ended_cases_detail_opens_and_a_viewer_gets_no_reopen_key(small_store: Store) -> None:
    end_two_cases(small_store)
    async with dashboard(small_store, read_only=True) as (app, pilot):
        await pilot.press("l")
        await settled(app, pilot)
        ended = app.screen
        assert isinstance(ended, TableScreen)
        assert "重开" not in str(ended.query_one("#list-box").border_subtitle)  # not offered
        await pilot.press("down", "o")
        await settled(app, pilot)
        assert app.screen is ended and app.status.said[-1] == "只读模式：不能更改，也不能显示个人信息"
        await pilot.press("enter")
        await settled(app, pilot)
        assert isinstance(app.screen, DetailScreen)
        content = app.screen.content
        assert content.subject == "petitions:MK261127-004"
        assert dict((name, text.plain) for name, text in content.fields)["状态"] == "已回访"
    assert small_store.get(Petition, "MK261127-004").status is PetitionStatus.CLOSED


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("today", "shown"), [(Rate(3, 3), "100/100/100%"), (Rate(0, 0), "—/100/100%")])
async def test_all_nine_rates_show_at_80_columns(
    small_store: Store, monkeypatch: pytest.MonkeyPatch, lang: str, today: Rate, shown: str
) -> None:
    """The widest rates (100% everywhere) fit the panel's line at 80 columns, in either language;
    a window with nothing to judge still shows "—". They were cut at 满意率, with no ellipsis."""
    full = Rate(1, 1)
    windows = [Rates("today", today, today, today), Rates("7d", full, full, full), Rates("30d", full, full, full)]
    monkeypatch.setattr(metrics, "all_windows", lambda petitions, now: windows)
    async with dashboard(small_store, NARROW, lang=lang) as (app, pilot):
        legend = "今日/7天/30天" if lang == "zh" else "today/7d/30d"
        [line] = [row for row in screen_text(app).splitlines() if legend in row or "率" in row or "resp" in row]
        assert legend in line and line.count(shown) == 3, line


async def test_an_extension_with_no_days_says_the_field_is_required(small_store: Store) -> None:
    """An empty required field says 必填, as every other form does: the extension form said
    「延期天数须为 1 到 10 个工作日」 as if a number had been typed wrong."""
    before = small_store.get(Petition, "MK261127-003")
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("j", "j")  # MK261127-003, 已派单, not overdue
        await settled(app, pilot)
        assert desk_panel(app, "petitions").table.cursor_key == "MK261127-003"
        await pilot.press("t")
        await settled(app, pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        await pilot.press("tab", *"需要协调燃气公司", "ctrl+s")  # the note; the days left empty
        await settled(app, pilot)
        assert app.screen is form and form.values() == {"days": "", "note": "需要协调燃气公司"}
        assert str(form.query_one("#error-days").render()) == "必填"
        form.query_one("#field-days").focus()
        await pilot.press(*"12", "ctrl+s")  # out of range: still the range
        await settled(app, pilot)
        assert "1 到 10" in str(form.query_one("#error-days").render())
    assert small_store.get(Petition, "MK261127-003") == before


async def test_a_title_cut_before_a_wide_character_ends_in_the_ellipsis_not_a_space(small_store: Store) -> None:
    """A title cut where a wide character would not fit read 「1号楼楼道 …」: the … now follows the
    text (「1号楼楼道…」) and the cell left over pads after it. One title starts with a digit,
    one with a wide character, so one of the two is cut inside a wide character at any width."""
    titles = ("1号楼楼道灯坏了一个多月没人修", "号楼楼道灯坏了一个多月没人修理")
    cases = [
        register(
            small_store, {"title": t, "category": "infrastructure", "channel": "hotline", "community_id": "dongcheng"}
        )
        for t in titles
    ]
    for size in (NARROW, WIDE):
        async with dashboard(small_store, size) as (app, pilot):
            for case in cases:
                [line] = [row for row in screen_text(app).splitlines() if case.id in row]
                cell = line.split(case.title[:3], 1)[1]
                assert "…" in cell and " …" not in cell, (size, line)


def test_extension_days_read_full_width_digits_and_no_other_scripts() -> None:
    """３ typed with a Chinese input method is 3; ³ or ٣ is no number (int() read them, or crashed on ³)."""
    from duty_room.panels.petitions import step_params
    from store.lifecycle import Action

    assert step_params(Action.EXTEND_REQUEST, {"days": "３"}, {})["days"] == 3
    assert step_params(Action.EXTEND_REQUEST, {"days": " 12 "}, {})["days"] == 12
    assert [step_params(Action.EXTEND_REQUEST, {"days": text}, {})["days"] for text in ("³", "٣", "1.5", "")] == [
        None
    ] * 4


async def test_the_palette_over_a_list_or_detail_offers_no_dashboard_row_keys(small_store: Store) -> None:
    """Over the ended cases' list (another set of cases) the palette offered 受理 · MK261127-001,
    the dashboard's selected case hidden beneath, and 转到/放大, which changed the dashboard under
    the list: a command acting on a case the officer is not looking at."""
    async with dashboard(small_store) as (app, pilot):
        on_dashboard = [c.title for c in app.get_system_commands(app.screen)]
        assert "受理 · MK261127-001" in on_dashboard and "放大 / 还原当前面板" in on_dashboard
        for keys in (("enter",), ("l",)):
            await pilot.press(*keys)
            await settled(app, pilot)
            assert app.screen is not app.screen_stack[0]
            titles = [c.title for c in app.get_system_commands(app.screen)]
            assert sorted(titles) == sorted(["立即刷新数据", "主题", "退出", "按键帮助", "截图"]), titles
            await pilot.press("escape")
            await settled(app, pilot)


async def test_a_new_case_is_under_the_cursor_once_it_is_on_screen(small_store: Store) -> None:
    """After 登记 the officer 受理s the new case next: the cursor is on it, wherever it sorts,
    without filtering for it."""
    async with dashboard(small_store) as (app, pilot):
        table = desk_panel(app, "petitions").table
        await pilot.press("end")
        before = table.cursor_key
        ask_intake(
            app.desk, prefill={"title": "新登记的路灯", "category": "infrastructure", "community_id": "dongcheng"}
        )
        await settled(app, pilot)
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        [new] = [p for p in small_store.all(Petition) if p.title == "新登记的路灯"]
        assert new.id in table.keys and new.id != before
        assert table.cursor_key == new.id
        await pilot.press("a")  # 受理, on the new case
        await settled(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot, new.id, "已受理")


@pytest.mark.parametrize(
    ("lang", "subtitle", "done"),
    [
        ("zh", "当前状态：{status}；升级：{level} → {to}", "{id}：升级完成，{level} → {to}"),
        ("en", "Current status: {status}; escalate: {level} → {to}", "{id}: Escalate done, {level} → {to}"),
    ],
)
async def test_the_escalate_form_and_its_line_say_from_which_level_to_which(
    small_store: Store, lang: str, subtitle: str, done: str
) -> None:
    """升级's form said only the case's status and its line 升级完成: neither said where the case went."""
    async with dashboard(small_store, lang=lang) as (app, pilot):
        await pilot.press("1")
        await settled(app, pilot)
        case = small_store.get(Petition, desk_panel(app, "petitions").table.cursor_key or "")
        assert case.level is not Level.TOWNSHIP
        to = Level.COMMUNITY if case.level is Level.BUILDING else Level.TOWNSHIP
        said = {
            "id": case.id,
            "status": words.label(case.status, lang),
            "level": words.label(case.level, lang),
            "to": words.label(to, lang),
        }
        await pilot.press("e")
        await settled(app, pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        assert str(form.query_one("#form-subtitle", Static).content) == subtitle.format(**said)
        title = str(form.query_one("#form-title").render())
        assert title.startswith(("升级 · " if lang == "zh" else "Escalate · ") + case.id), title  # not `escalate · `
        await pilot.press(*"居民多次反映", "ctrl+s")
        await settled(app, pilot)
        assert not isinstance(app.screen, FormScreen)
        assert app.status.said[-1] == done.format(**said)
    assert small_store.get(Petition, case.id).level is to


@pytest.mark.parametrize(
    ("lang", "title", "confirm", "close", "escape"),
    [
        ("zh", "撤销 · MK261127-001 ", "确认", "取消", "esc 取消"),
        ("en", "Withdraw the case · MK261127-001 ", "Withdraw the case", "Back", "esc Back"),
    ],
)
async def test_the_cancel_case_form_says_it_withdraws_the_case_and_closes_with_back(
    small_store: Store, lang: str, title: str, confirm: str, close: str, escape: str
) -> None:
    """In English 撤销's form was titled `cancel · MK…` with Confirm / Cancel buttons and `esc Cancel`
    that only closed it: either could be read as the step. It says it withdraws the case, and Back
    closes it (as 一老一小's cancel form); in Chinese 撤销 and 取消 are two words and stay."""
    async with dashboard(small_store, NARROW, lang=lang) as (app, pilot):
        table = desk_panel(app, "petitions").table
        await pilot.press(*["down"] * table.keys.index("MK261127-001"), "x")
        await settled(app, pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        assert str(form.query_one("#form-title").render()).startswith(title)
        buttons = (
            str(form.query_one("#form-confirm", Button).label),
            str(form.query_one("#form-cancel", Button).label),
        )
        assert buttons == (confirm, close)
        assert screen_text(app).splitlines()[-1].startswith(escape)
        assert form.active_bindings["escape"].binding.description == close  # what `?` (F1) lists
        await pilot.press("escape")  # closes it, the case as it was
        await settled(app, pilot)
        assert len(app.screen_stack) == 1
        assert small_store.get(Petition, "MK261127-001").status is not PetitionStatus.CANCELLED


@pytest.mark.parametrize(
    ("lang", "subtitle", "done", "cards"),
    [
        ("zh", "当前状态：{status}；督办：{card}", "{id}：督办完成，{card}", ("黄牌督办", "红牌督办")),
        (
            "en",
            "Current status: {status}; supervision: {card}",
            "{id}: Supervise done, {card}",
            ("yellow card", "red card"),
        ),
    ],
)
async def test_the_supervise_form_its_line_and_the_detail_say_which_card(
    small_store: Store, lang: str, subtitle: str, done: str, cards: tuple[str, str]
) -> None:
    """督办 said 督办完成 twice, a yellow card then a red one, and the case's detail named neither:
    only the third press, refused (已红牌督办), told the officer which card the case was on."""
    async with dashboard(small_store, lang=lang) as (app, pilot):
        await pilot.press("1")
        await settled(app, pilot)
        case = small_store.get(Petition, desk_panel(app, "petitions").table.cursor_key or "")
        assert case.due_at < clock.now()  # overdue: 督办 is legal
        for card in cards:
            said = {"id": case.id, "status": words.label(case.status, lang), "card": card}
            await pilot.press("u")
            await settled(app, pilot)
            form = app.screen
            assert isinstance(form, FormScreen)
            assert str(form.query_one("#form-subtitle", Static).content) == subtitle.format(**said)
            await pilot.press("ctrl+s")
            await settled(app, pilot)
            assert not isinstance(app.screen, FormScreen)
            assert app.status.said[-1] == done.format(**said)
        await pilot.press("enter")
        await settled(app, pilot)
        assert isinstance(app.screen, DetailScreen)
        assert cards[1] in screen_text(app)


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("zh", "MK261127-004：回访评价完成，不满意，发回重办：现为「处置中」"),
        ("en", "MK261127-004: Follow up done, unsatisfied: sent back to be redone, now in progress"),
    ],
)
async def test_an_unsatisfied_follow_up_says_the_case_went_back(small_store: Store, lang: str, said: str) -> None:
    """回访评价 with 不满意 sends the case back to 处置中 (重办), and the line said 回访评价完成 as for a
    case closed: the case stayed on the desk, a status back, with nothing said why."""
    from store.lifecycle import Action, perform

    perform(small_store, "MK261127-004", Action.RESOLVE)
    async with dashboard(small_store, lang=lang) as (app, pilot):
        table = desk_panel(app, "petitions").table
        await settle(app, pilot, "MK261127-004", words.cell(PetitionStatus.RESOLVED, lang))
        table.move_cursor(row=table.keys.index("MK261127-004"))
        await pilot.press("v")
        await settled(app, pilot)
        await choose(pilot, "field-satisfaction", 3)  # blank, 满意, 基本满意, 不满意
        await choose(pilot, "field-solved", 2)  # blank, 已解决, 未解决
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        assert not isinstance(app.screen, FormScreen)
        assert app.status.said[-1] == said
    assert small_store.get(Petition, "MK261127-004").status is PetitionStatus.IN_PROGRESS
