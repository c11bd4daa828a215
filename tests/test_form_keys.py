"""Issue 10's last items in a form: Esc asks before typing is thrown away, over-long text is counted
and refused (never cut), F1 is help everywhere, and a drop-down shows every label in full."""

from __future__ import annotations

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Select

from duty_room.app import DutyRoomApp
from store.models import Grid, Petition, StallPayment
from store.storage import Store
from widgets.detail import DetailScreen
from widgets.discard import DiscardScreen
from widgets.form import FieldLabel, FormScreen
from widgets.table_screen import TableScreen

from pilot import NARROW, WIDE, dashboard, desk_panel, in_one_read, loaded, screen_text, settled


def burst(app: DutyRoomApp, keys: list[str | events.Key]) -> None:
    """Every key posted at once, as one read of an SSH client's write arrives."""
    for key in keys:
        if isinstance(key, events.Key):
            app.post_message(key)
        elif len(key) == 1:
            app.post_message(events.Key(key, key))
        else:
            app.post_message(events.Key(key, {"enter": "\r", "escape": "\x1b"}.get(key)))


def cases(store: Store) -> set[str]:
    return {p.id for p in store.all(Petition)}


async def open_intake(app: DutyRoomApp, pilot: Pilot[None]) -> FormScreen:
    await loaded(app, pilot)
    await pilot.press("n")
    await settled(app, pilot)
    assert isinstance(app.screen, FormScreen)
    return app.screen


# -- Esc ----------------------------------------------------------------------------------------------


async def test_esc_on_an_untouched_form_closes_it_at_once(small_store: Store) -> None:
    async with dashboard(small_store) as (app, pilot):
        await open_intake(app, pilot)
        await pilot.press("escape")
        await settled(app, pilot)
        assert len(app.screen_stack) == 1


async def test_esc_on_a_prefilled_form_left_as_it_opened_closes_it_at_once(small_store: Store) -> None:
    """The payment form opens with the month, the fee and the collector filled in: nothing typed."""
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("4", "y")
        await settled(app, pilot)
        form = app.screen
        assert isinstance(form, FormScreen) and form.values()["collector"] == small_store.actor
        await pilot.press("escape")
        await settled(app, pilot)
        assert len(app.screen_stack) == 1


async def test_esc_after_typing_asks_and_keeping_is_the_default(small_store: Store) -> None:
    before = cases(small_store)
    async with dashboard(small_store, WIDE) as (app, pilot):
        form = await open_intake(app, pilot)
        await pilot.press(*"煤气味", "escape")
        await settled(app, pilot)
        assert isinstance(app.screen, DiscardScreen)
        text = screen_text(app)
        assert "放弃已填写的内容？" in text and "继续填写" in text and "放弃" in text
        assert app.focused is not None and app.focused.id == "discard-no"  # Enter keeps
        await pilot.press("enter")
        await settled(app, pilot)
        assert app.screen is form and form.values()["title"] == "煤气味"
        assert app.focused is form.query_one("#field-title")  # back where the officer was typing
        await pilot.press("escape", "escape")  # Esc asks; Esc again keeps too
        await settled(app, pilot)
        assert app.screen is form and form.values()["title"] == "煤气味"
        await pilot.press("escape", "n")
        await settled(app, pilot)
        assert app.screen is form
        await pilot.press("escape", "left", "enter")  # ← to 放弃, Enter
        await settled(app, pilot)
        assert len(app.screen_stack) == 1
    assert cases(small_store) == before


async def test_y_discards_and_a_changed_choice_counts_as_typed(small_store: Store) -> None:
    async with dashboard(small_store, WIDE) as (app, pilot):
        form = await open_intake(app, pilot)
        form.query_one("#field-priority", Select).value = "urgent"
        await pilot.press("escape")
        await settled(app, pilot)
        assert isinstance(app.screen, DiscardScreen)
        await pilot.press("y")
        await settled(app, pilot)
        assert len(app.screen_stack) == 1


@pytest.mark.parametrize(
    ("tail", "discarded"),
    [
        (["escape", "y"], True),
        (["escape", "left", "enter"], True),
        (["escape", "enter"], False),
        (["escape", "escape", *"很重"], False),
        # Esc and the key after it in one read (what Textual's own reader takes for Alt+y, Enter).
        (in_one_read("\x1by"), True),
        (["escape", *in_one_read("\x1b很"), *"重"], False),
        (in_one_read("\x1b\r"), False),
    ],
    ids=[
        "y",
        "left-enter",
        "enter",
        "esc-then-typing",
        "esc-y-one-read",
        "esc-esc-typing-one-read",
        "esc-enter-one-read",
    ],
)
async def test_esc_and_its_answer_in_one_burst_act_as_typed_slowly(
    small_store: Store, tail: list[str | events.Key], discarded: bool
) -> None:
    """The question Esc asks gets the keys typed after Esc, never the form behind it."""
    before = cases(small_store)
    async with dashboard(small_store, WIDE) as (app, pilot):
        await loaded(app, pilot)
        burst(app, ["n", *"煤气味", *tail])
        await settled(app, pilot)
        if discarded:
            assert len(app.screen_stack) == 1
        else:
            form = app.screen
            assert isinstance(form, FormScreen)
            assert form.values()["title"] == ("煤气味很重" if "重" in tail else "煤气味")
    assert cases(small_store) == before


# -- over-long text -----------------------------------------------------------------------------------


async def test_a_pasted_title_far_too_long_is_kept_counted_and_refused(small_store: Store) -> None:
    before = cases(small_store)
    async with dashboard(small_store, NARROW) as (app, pilot):
        form = await open_intake(app, pilot)
        app.post_message(events.Paste("灯" * 10_000))
        await settled(app, pilot)
        title = form.query_one("#field-title", Input)
        assert len(title.value) == 10_000  # not cut to 80
        label = form.query_one("#label-title", FieldLabel)
        assert (label.counter, label.over) == ("10000/80", True)
        assert "10000/80" in screen_text(app)
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        assert app.screen is form
        error = str(form.query_one("#error-title").render())
        assert error == "太长了：最多 80 个字" and form.query_one("#error-title").display
        assert app.focused is title
        title.value = "灯" * 80
        await settled(app, pilot)
        assert (label.counter, label.over) == ("80/80", False)
    assert cases(small_store) == before


async def test_the_limit_is_the_models_and_a_fitting_title_saves(small_store: Store) -> None:
    """Building was cut at 20 by the form although a case's building takes 80 (store/models.py)."""
    async with dashboard(small_store, WIDE) as (app, pilot):
        form = await open_intake(app, pilot)
        assert form.query_one("#label-building", FieldLabel).limit == 80
        assert form.query_one("#label-title", FieldLabel).limit == 80
        assert form.query_one("#label-description", FieldLabel).limit == 2000
        assert form.query_one("#label-reporter_phone", FieldLabel).limit == 0  # a pattern, not a length
        form.query_one("#field-title", Input).value = "灯" * 81
        form.query_one("#field-category", Select).value = "infrastructure"
        form.query_one("#field-community_id", Select).value = "dongcheng"
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        assert "80" in str(form.query_one("#error-title").render())
        assert "灯" * 81 not in {p.title for p in small_store.all(Petition)}
        form.query_one("#field-title", Input).value = "灯" * 80
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        assert len(app.screen_stack) == 1
    assert "灯" * 80 in {p.title for p in small_store.all(Petition)}


async def test_an_over_long_collector_is_refused_before_any_write(small_store: Store) -> None:
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("4", "y")
        await settled(app, pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#field-collector", Input).value = "王" * 21  # a payment's collector: 20 at most
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        assert app.screen is form and "20" in str(form.query_one("#error-collector").render())
    assert [p.id for p in small_store.all_partitions(StallPayment)] == ["pay1"]


async def test_an_emptied_amount_is_asked_for_beside_the_field(small_store: Store) -> None:
    """The payment form said 金额「」看不懂 when the amount was left empty, as if the form had a fault."""
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("4", "y")
        await settled(app, pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#field-amount", Input).value = ""
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        assert app.screen is form and str(form.query_one("#error-amount").render()) == "请填写金额（元），如 150"
    assert [p.id for p in small_store.all_partitions(StallPayment)] == ["pay1"]


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("-5", "金额必须大于 0"),
        ("123456789", "金额过大：最多 100,000 元"),
        ("１２x", "金额「１２x」看不懂：请写元，如 150 或 75.50"),
    ],
)
async def test_a_negative_or_huge_amount_is_said_for_what_it_is(small_store: Store, typed: str, said: str) -> None:
    """-5 and 123456789 were both 金额「…」看不懂 beside the amount, as if the officer had written nonsense."""
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("4", "y")
        await settled(app, pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#field-amount", Input).value = typed
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        assert app.screen is form and str(form.query_one("#error-amount").render()) == said
    assert [p.id for p in small_store.all_partitions(StallPayment)] == ["pay1"]


async def test_a_fields_reason_goes_once_it_is_changed_and_the_others_stay(small_store: Store) -> None:
    """必填 stayed under the title after the officer had typed one, until the next save."""
    async with dashboard(small_store) as (app, pilot):
        form = await open_intake(app, pilot)
        await pilot.press("ctrl+s")
        await settled(app, pilot)

        def reason(key: str) -> str:
            box = form.query_one(f"#error-{key}")
            return str(box.render()) if box.display else ""

        assert (reason("title"), reason("category")) == ("必填", "必填")
        form.query_one("#field-title", Input).focus()
        await pilot.press(*"楼道灯")
        await settled(app, pilot)
        assert (reason("title"), reason("category")) == ("", "必填")  # typed: gone; the other stays
        form.query_one("#field-category", Select).focus()
        await pilot.press("enter", "down", "enter")
        await settled(app, pilot)
        assert (reason("category"), reason("community_id")) == ("", "必填")
        # A picker's reason goes as it is typed in or a row is chosen, not a moment later.
        form.show_errors({"grid_id": "不在所选社区"})
        form.query_one("#field-grid_id", Input).focus()
        await pilot.press("x")
        await settled(app, pilot)
        assert reason("grid_id") == ""
        form.show_errors({"grid_id": "不在所选社区"})
        await pilot.press("backspace", "down", "enter")
        await settled(app, pilot)
        assert reason("grid_id") == ""


# -- F1 -----------------------------------------------------------------------------------------------


async def test_f1_is_help_in_a_form_where_question_mark_is_typed(small_store: Store) -> None:
    async with dashboard(small_store, WIDE) as (app, pilot):
        form = await open_intake(app, pilot)
        footer = screen_text(app).splitlines()[-1]
        assert "f1 帮助" in footer and "esc 取消" in footer  # the form's own keys, in its own Footer
        await pilot.press("question_mark")
        await settled(app, pilot)
        assert form.values()["title"] == "?" and not form.query("HelpPanel")
        await pilot.press("f1")
        await settled(app, pilot)
        assert form.query("HelpPanel")
        text = screen_text(app)
        assert "f1" in text and "帮助" in text and "提交" in text
        await pilot.press("f1")
        await settled(app, pilot)
        assert not form.query("HelpPanel")
        await pilot.press("escape", "f1")  # and on the question Esc asks
        await settled(app, pilot)
        assert isinstance(app.screen, DiscardScreen) and app.screen.query("HelpPanel")


async def test_f1_beside_question_mark_on_the_dashboard_and_in_a_list(small_store: Store) -> None:
    async with dashboard(small_store) as (app, pilot):
        assert "? 帮助" in screen_text(app).splitlines()[-1]
        await pilot.press("f1")
        await settled(app, pilot)
        assert app.screen.query("HelpPanel")
        pages = [screen_text(app)]
        for _ in range(3):  # panel 1's keys are more than 40 lines: f1 shows the next page, then closes
            await pilot.press("f1")
            await settled(app, pilot)
            if not app.screen.query("HelpPanel"):
                break
            pages.append(screen_text(app))
        assert not app.screen.query("HelpPanel")
        # One line of help, both keys (the first page's last line of keys until the page line took a row).
        assert any("? f1 帮助" in page for page in pages)
        await pilot.press("enter")  # a case's detail
        await settled(app, pilot)
        assert len(app.screen_stack) == 2
        assert "f1 帮助" in screen_text(app).splitlines()[-1]
        await pilot.press("f1")
        await settled(app, pilot)
        assert app.screen.query("HelpPanel")


async def test_a_key_that_opens_a_form_over_the_help_closes_the_help_first(small_store: Store) -> None:
    """At 120x40 with `?` help open, `n` opened the form over the dashboard's help: the form covered
    part of it and the rest still listed the dashboard's keys, none of which act in the form. The key
    does what the help says it does, and the help closes as it opens; the form has its own (F1).
    Closed, the form leaves the dashboard as it was before the help, without it."""
    async with dashboard(small_store, WIDE) as (app, pilot):
        dashboard_screen = app.screen
        await pilot.press("question_mark")
        await settled(app, pilot)
        assert dashboard_screen.query("HelpPanel")
        await pilot.press("n")
        await settled(app, pilot)
        assert isinstance(app.screen, FormScreen)
        assert not dashboard_screen.query("HelpPanel")
        assert "上一页" not in screen_text(app)  # nothing of the dashboard's keys beside the form
        await pilot.press("escape")
        await settled(app, pilot)
        assert app.screen is dashboard_screen and not dashboard_screen.query("HelpPanel")


async def test_question_mark_is_help_in_a_detail_and_a_list(small_store: Store) -> None:
    """The README's `?`: all keys of the current view, F1 too, only a form types it. In a detail
    and in a list (nothing typed in either) `?` did nothing: the dashboard's binding is not in a
    modal screen's chain."""
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("enter")  # a case's detail
        await settled(app, pilot)
        assert isinstance(app.screen, DetailScreen)
        await pilot.press("question_mark")
        await settled(app, pilot)
        assert app.screen.query("HelpPanel")
        assert "f1 ? 帮助" in screen_text(app)  # one line of help, both keys
        await pilot.press("question_mark")
        await settled(app, pilot)
        assert not app.screen.query("HelpPanel")
        await pilot.press("escape", "2", "r")  # the roster, a list
        await settled(app, pilot)
        assert isinstance(app.screen, TableScreen)
        await pilot.press("question_mark")
        await settled(app, pilot)
        assert app.screen.query("HelpPanel")


async def test_f1_in_english_too(small_store: Store) -> None:
    async with dashboard(small_store, lang="en") as (app, pilot):
        await open_intake(app, pilot)
        assert "f1 Help" in screen_text(app).splitlines()[-1]


# -- a drop-down over the form, and the status line: no Chinese character lost -------------------------


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["120x40", "80x24"])
async def test_every_drop_down_of_the_intake_form_shows_every_label_in_full(
    small_store: Store, size: tuple[int, int]
) -> None:
    """Textual cuts every line at every widget's edge: a label of the form beneath a drop-down once
    split 物业纠纷 and 邻里纠纷 into "  业纠纷" and "  里纠纷" at 80x24."""
    async with dashboard(small_store, size) as (app, pilot):
        form = await open_intake(app, pilot)
        for spec in [f for f in form.fields if f.kind == "choice"]:
            select = form.query_one(f"#field-{spec.key}", Select)
            select.focus()
            await settled(app, pilot)
            await pilot.press("enter")
            await settled(app, pilot)
            assert select.expanded, spec.key
            seen: set[str] = set()
            for _ in range(len(spec.options) + 2):  # the list scrolls: down through it, reading each paint
                lines = screen_text(app).splitlines()
                seen |= {label for _, label in spec.options if any(label in line for line in lines)}
                await pilot.press("down")
                await settled(app, pilot)
            missing = [label for _, label in spec.options if label not in seen]
            assert not missing, f"{spec.key}: {missing} never painted in full\n" + "\n".join(lines)
            await pilot.press("escape")
            await settled(app, pilot)
            assert not select.expanded and app.screen is form


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["120x40", "80x24"])
async def test_a_refusal_in_the_status_line_keeps_every_character(small_store: Store, size: tuple[int, int]) -> None:
    async with dashboard(small_store, size=size) as (app, pilot):
        await pilot.press("r")  # 办结 a 待受理 case: refused at once
        await settled(app, pilot)
        message = app.status.said[-1]
        assert message == "MK261127-001 未更改：「待受理」的案件不能「办结」"  # the case refused, named
        lines = screen_text(app).splitlines()
        assert lines[-2].strip() == message  # the line above the Footer, whole


async def test_the_status_modal_asks_too_and_refuses_an_over_long_note(small_store: Store) -> None:
    """`c`: a note typed is not thrown away by Esc without asking; 2,001 characters are refused, not cut."""
    from widgets.choice_modal import ChoiceModal

    history = len(small_store.get(Petition, "MK261127-001").history)
    async with dashboard(small_store, WIDE) as (app, pilot):
        await loaded(app, pilot)
        await pilot.press("c", "escape")  # nothing typed: closes at once
        await settled(app, pilot)
        assert len(app.screen_stack) == 1
        await pilot.press("c", "tab", *"电话", "escape")
        await settled(app, pilot)
        assert isinstance(app.screen, DiscardScreen)
        await pilot.press("enter")  # keep
        await settled(app, pilot)
        modal = app.screen
        assert isinstance(modal, ChoiceModal) and modal.query_one("#choice-note", Input).value == "电话"
        modal.query_one("#choice-note", Input).value = "长" * 2001
        await pilot.press("enter")
        await settled(app, pilot)
        assert app.screen is modal and len(modal.query_one("#choice-note", Input).value) == 2001
        assert str(modal.query_one("#choice-error").render()) == "2001/2000 太长了：最多 2000 个字"
        await pilot.press("escape", "y")
        await settled(app, pilot)
        assert len(app.screen_stack) == 1
    assert len(small_store.get(Petition, "MK261127-001").history) == history


async def test_a_pasted_text_of_several_lines_is_kept_whole_on_one_line(small_store: Store) -> None:
    """Textual's Input kept only a paste's first line, dropping the rest without a word: a title
    copied from a 12345 work order with its line breaks arrived cut. Every line is kept, each line
    break one space (a form's field is one line; the same for a note or a filter)."""
    async with dashboard(small_store, NARROW) as (app, pilot):
        form = await open_intake(app, pilot)
        app.post_message(events.Paste("3号楼楼道灯不亮\r\n晚上很黑\n\n住户已报修三次\n"))
        await settled(app, pilot)
        title = form.query_one("#field-title", Input)
        assert title.value == "3号楼楼道灯不亮 晚上很黑 住户已报修三次"
        app.post_message(events.Paste("\t第二段"))  # a tab, which a line refuses, is one space too
        await settled(app, pilot)
        assert title.value == "3号楼楼道灯不亮 晚上很黑 住户已报修三次 第二段"


async def test_a_pickers_matches_stay_in_view_while_typing_in_it(small_store: Store) -> None:
    """At 80x24, once 必填 was said under three fields, the grid picker sat at the bottom of the form:
    typing in it scrolled its box into view but not the matches under it, so ↑↓ chose a grid the
    officer could not see (and Enter saved it)."""
    async with dashboard(small_store, NARROW) as (app, pilot):
        form = await open_intake(app, pilot)
        await pilot.press("ctrl+s")  # nothing filled in: 必填 under the title, category and community
        await settled(app, pilot)
        form.query_one("#field-category", Select).value = "infrastructure"
        form.query_one("#field-community_id", Select).value = "dongcheng"
        form.query_one("#field-grid_id", Input).focus()
        await settled(app, pilot)
        await pilot.press(*"1号楼")
        await settled(app, pilot)
        picker = form._pickers["grid_id"]
        assert picker.shown, "the filter matched no grid"
        labels = dict(picker.options)
        shown = screen_text(app)
        assert labels[picker.shown[0]] in shown
        assert labels[picker.shown[min(2, len(picker.shown) - 1)]] in shown


@pytest.mark.parametrize("typed", ["slowly", "in one burst"])
async def test_the_grid_picker_lists_the_chosen_communitys_grids_alone(small_store: Store, typed: str) -> None:
    """登记's grid picker listed every community's grids whatever 社区 said (玉兰's first, under
    东城花园), so 1号楼 and Enter took another community's grid, refused only on saving. It lists
    the chosen community's grids alone, all of them while none is chosen; chosen in the same burst
    as the grid is typed, the same."""
    with small_store.transaction() as tx:  # 玉兰's grids beside 东城花园's, named alike
        tx.put(Grid(id="yl-L1", community_id="yulan", level="large", name="第一大网格"))
        tx.put(Grid(id="yl-B01", community_id="yulan", level="branch", name="1号楼支部网格", parent_id="yl-L1"))
    async with dashboard(small_store, WIDE) as (app, pilot):
        form = await open_intake(app, pilot)
        community = form.query_one("#field-community_id", Select)
        ids = [value for value, _ in next(f for f in form.fields if f.key == "community_id").options]
        grids = {g.id: g.community_id for g in small_store.all(Grid)}
        form.query_one("#field-grid_id", Input).focus()
        await pilot.press(*"玉兰")  # none chosen yet: every community's grids to pick from
        await settled(app, pilot)
        assert form._pickers["grid_id"].shown and {grids[v] for v in form._pickers["grid_id"].shown} == {"yulan"}
        await pilot.press("ctrl+a", "backspace")
        community.focus()
        await settled(app, pilot)
        keys = ["enter", *["down"] * (ids.index("yulan") + 1), "enter", "tab", *"1号楼", "enter"]
        if typed == "slowly":
            await pilot.press(*keys)
        else:
            burst(app, keys)
        await settled(app, pilot)
        assert community.value == "yulan"
        shown = form._pickers["grid_id"].shown
        assert shown and {grids[v] for v in shown} == {"yulan"}, shown
        assert grids[form.values()["grid_id"]] == "yulan", form.values()
        community.value = "dongcheng"  # another community: its grids, the choice left for the save to refuse
        await settled(app, pilot)
        await pilot.press("ctrl+a", "backspace", *"1号楼")
        await settled(app, pilot)
        shown = form._pickers["grid_id"].shown
        assert shown and {grids[v] for v in shown} == {"dongcheng"}, shown


async def test_a_row_chosen_with_the_arrows_alone_is_the_one_enter_saves(small_store: Store) -> None:
    """派单's picker says 输入筛选，↑↓选择: ↓ ↓ Enter, with nothing typed, was refused with
    「派单」需要选择承办人或单位 while the row moved to stood highlighted (only a typed filter's
    highlighted row was taken)."""
    async with dashboard(small_store, NARROW) as (app, pilot):
        await loaded(app, pilot)
        table = desk_panel(app, "petitions").table
        await pilot.press(*["down"] * table.keys.index("MK261127-002"), "d")  # 已受理
        await settled(app, pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        await pilot.press("down", "down")
        await settled(app, pilot)
        picker = form._pickers["assignee"]
        highlighted = form.query_one("#options-assignee", OptionList).highlighted
        assert highlighted is not None
        wanted = dict(picker.options)[picker.shown[highlighted]]  # a unit's name, or a worker's with their grid
        await pilot.press("enter")
        await settled(app, pilot)
        assert app.screen is not form, str(form.query_one("#error-assignee").render())
    assignee = small_store.get(Petition, "MK261127-002").assignee
    assert assignee and assignee in wanted
