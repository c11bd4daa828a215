"""FormScreen and ChoiceModal in a tiny app: Tab order, 80x24, and a refused form keeping its values."""

from __future__ import annotations

from dataclasses import replace

from rich.cells import cell_len
from textual import on
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input, Static

from widgets.choice_modal import Choice, ChoiceModal, ChoiceTexts
from widgets.form import FieldSpec, FormScreen, FormTexts

from pilot import cells_of, screen_text

TEXTS = FormTexts(
    "登记诉求",
    "确认",
    "取消",
    "副标题",
    discard_question="放弃已填写的内容？",
    discard="放弃",
    keep_editing="继续填写",
    too_long="太长了：最多 {} 个字",
    no_choice="没有与“{}”相符的选项",
)
FIELDS = [
    FieldSpec("title", "诉求"),
    FieldSpec("kind", "类别", "choice", options=[("infra", "基础设施"), ("safety", "治安")]),
    FieldSpec("worker", "走访人", "picker", options=[("w1", "张三"), ("w2", "李四")]),
    FieldSpec("served", "人数", "number"),
]
LONG_FORM = [*FIELDS, *[FieldSpec(f"extra{i}", f"备注{i}") for i in range(10)]]


class FormApp(App[None]):
    """Pushes one form; refuses every submission whose title is not "ok" (as a caller would)."""

    def __init__(self, fields: list[FieldSpec]) -> None:
        super().__init__()
        self.fields = fields
        self.submitted: list[dict[str, str]] = []

    def on_mount(self) -> None:
        self.push_screen(FormScreen(self.fields, TEXTS))

    @on(FormScreen.Submitted)
    def _submitted(self, event: FormScreen.Submitted) -> None:
        self.submitted.append(event.values)
        if event.values["title"] != "ok":
            event.form.show_errors({"served": "人数不对"}, "未保存")
        else:
            event.form.dismiss(event.values)


async def tab_order(pilot: Pilot[None], keys: str, count: int) -> list[str | None]:
    order = []
    for _ in range(count):
        focused = pilot.app.focused
        order.append(focused.id if focused is not None else None)
        await pilot.press(keys)
    return order


async def test_tab_moves_through_the_fields_then_the_buttons() -> None:
    app = FormApp(FIELDS)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        fields = ["field-title", "field-kind", "field-worker", "field-served", "form-confirm", "form-cancel"]
        assert await tab_order(pilot, "tab", 7) == [*fields, "field-title"]
        assert await tab_order(pilot, "shift+tab", 7) == ["field-kind", "field-title", *reversed(fields[1:])]


async def test_a_long_form_scrolls_and_its_buttons_stay_on_screen_at_80x24() -> None:
    app = FormApp(LONG_FORM)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        for button in ("#form-confirm", "#form-cancel"):
            region = screen.query_one(button).region
            assert region.bottom <= 24 and region.height > 0, (button, region)
        await pilot.press(*["tab"] * (len(LONG_FORM) - 1))
        last = screen.query_one("#field-extra9")
        assert app.focused is last
        assert screen.query_one("#form-fields").scroll_y > 0  # scrolled down to the last field
        assert screen.query_one("#form-fields").region.contains_region(last.region)
        await pilot.press("tab")
        assert app.focused is screen.query_one("#form-confirm")


async def test_a_refused_form_keeps_what_was_typed() -> None:
    app = FormApp(FIELDS)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        await pilot.press(*"路灯")
        await pilot.press("tab", "tab")  # the kind stays unset; on to the picker
        await pilot.press(*"李", "tab")
        await pilot.press(*"12x3", "enter")
        await pilot.pause()
        assert app.screen is form  # refused: still open
        # kept as typed, the letter too (an integer-only box used to drop it, and "4.5" became 45)
        assert app.submitted == [{"title": "路灯", "kind": "", "worker": "w2", "served": "12x3"}]
        assert form.query_one("#field-title", Input).value == "路灯"
        assert form.query_one("#field-worker", Input).value == "李四"
        assert form.query_one("#field-served", Input).value == "12x3"
        assert app.focused is form.query_one("#field-served")  # the bad field
        assert form.query_one("#error-served").display and form.query_one("#form-error").display
        assert form.values() == app.submitted[0]  # nothing was lost on the way


async def test_a_picker_left_with_a_part_typed_shows_what_it_took_or_is_refused_in_words() -> None:
    """Part of a name typed in a picker and Tab: the field kept the part, its list open, and the save
    took the top match unseen (or, matching nothing, saved no choice at all). Leaving it takes the
    row highlighted and shows it; text that matches nothing stays, and the save is refused beside it."""
    app = FormApp(FIELDS)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        await pilot.press(*"ok")  # the title this app saves
        picker = form.query_one("#field-worker", Input)
        picker.focus()
        await pilot.press(*"李", "tab")
        await pilot.pause()
        assert picker.value == "李四" and not form.query_one("#options-worker").display
        assert form.values()["worker"] == "w2"
        picker.focus()
        await pilot.press(*"王", "shift+tab")
        await pilot.pause()
        assert picker.value == "王"  # matches nothing: kept as typed (focus selected the choice: typed over)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form and app.submitted == []  # nothing posted
        assert "“王”" in str(form.query_one("#error-worker", Static).render())
        assert app.focused is picker


CHOICE_TEXTS = ChoiceTexts(
    "改状态",
    "MK-1",
    "备注",
    "须填备注",
    "确认",
    "取消",
    "无",
    discard_question="放弃？",
    discard="放弃",
    keep_editing="继续填写",
    too_long="最多 {} 个字",
)


async def test_choice_modal_tab_order() -> None:
    texts = CHOICE_TEXTS

    class ChoiceApp(App[None]):
        def on_mount(self) -> None:
            self.push_screen(ChoiceModal([Choice("a", "受理"), Choice("b", "退回", needs_note=True)], texts))

    app = ChoiceApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        stops = ["choice-list", "choice-note", "choice-confirm", "choice-cancel"]
        assert await tab_order(pilot, "tab", 5) == [*stops, "choice-list"]
        assert await tab_order(pilot, "shift+tab", 4) == [
            "choice-note",
            "choice-list",
            "choice-cancel",
            "choice-confirm",
        ]


async def test_a_long_form_opens_at_its_top_with_the_first_label_in_view() -> None:
    """Focusing the first field used to leave the form scrolled one line down, its label hidden."""
    from textual.containers import VerticalScroll

    app = FormApp(LONG_FORM)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        form = app.screen
        fields = form.query_one("#form-fields", VerticalScroll)
        assert fields.max_scroll_y > 0  # it does scroll at 80x24
        assert fields.scroll_y == 0
        label = form.query_one("#label-title")
        assert fields.region.contains_region(label.region)
        assert app.focused is not None and app.focused.id == "field-title"


TYPED = "井盖[/b]丢失 [red]楼顶[/]"  # text from the store: Textual would read it as markup


def plain(border_title: str | None) -> str:
    """What a border shows (Textual hands a border's title back as markup)."""
    from textual.content import Content

    return Content.from_markup(border_title or "").plain


async def test_what_the_store_holds_shows_as_typed_in_forms_choices_lists_and_details() -> None:
    """A picker's option, a drop-down's, a choice, a list's or a detail's title made of a record's
    words (a case's title, a grid's name) was read as Textual markup: "[/b]" raised MarkupError as
    the screen was built, which left it half-made and every key after it waiting (the dashboard
    froze); "[red]" was taken as a colour. Now each shows exactly what was typed."""
    from textual.widgets import OptionList, Select

    from widgets.detail import DetailContent, DetailScreen
    from widgets.table_screen import TableScreen

    fields = [
        FieldSpec("kind", "类别", "choice", options=[("x", TYPED)], value="x"),
        FieldSpec("case", "合并到", "picker", options=[("MK-1", TYPED)]),
    ]
    app = FormApp(fields)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen) and form.is_mounted
        options = form.query_one("#options-case", OptionList)
        assert str(options.get_option_at_index(0).prompt) == TYPED
        select = form.query_one("#field-kind", Select)
        assert TYPED in str(select.query_one("SelectCurrent Static").render())
        app.push_screen(ChoiceModal([Choice("a", TYPED)], CHOICE_TEXTS))
        await pilot.pause()
        assert str(app.screen.query_one(OptionList).get_option_at_index(0).prompt) == TYPED
        app.push_screen(TableScreen("k", TYPED, ["列"]))
        await pilot.pause()
        assert plain(app.screen.query_one("#list-box").border_title) == TYPED
        app.push_screen(DetailScreen(DetailContent(TYPED, [], hint=TYPED)))
        await pilot.pause()
        box = app.screen.query_one("#detail-box")
        assert (plain(box.border_title), plain(box.border_subtitle)) == (TYPED, TYPED)


async def test_a_choice_modal_keeps_its_title_and_buttons_in_view_with_every_line_shown_at_80x24() -> None:
    """A case's 改状态 with a long title and subtitle, what changed elsewhere and a refusal: the box ran
    past the screen and cut its buttons. The title stays at the top, the notice, the error and the
    buttons at the bottom; the choices and the note scroll between them."""
    texts = replace(CHOICE_TEXTS, title="改状态：MK261127-002 " + "楼顶漏水" * 8, subtitle="当前状态：已受理")
    choices = [Choice(str(n), f"第{n}步") for n in range(5)]

    class ChoiceApp(App[None]):
        def on_mount(self) -> None:
            self.push_screen(ChoiceModal(choices, texts))

    app = ChoiceApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, ChoiceModal)
        modal.show_notice("此件已被他人更新：现为「已派单」，承办：综合执法队，保存将被拒绝，请关闭后重新选择")
        modal.query_one("#choice-error", Static).update("须填备注：退回须写明理由，" * 3)
        await pilot.pause()
        box, body = modal.query_one("#choice-box"), modal.query_one("#choice-body")
        for stop in ("#choice-list", "#choice-note", "#choice-list"):
            modal.query_one(stop).focus()
            await pilot.wait_for_scheduled_animations()  # focusing scrolls it into view (animated)
            for widget in (modal.query_one("#choice-title"), modal.focused, modal.query_one("#choice-confirm")):
                assert widget is not None and widget.region.height > 0
                assert box.content_region.contains_region(widget.region), (widget, widget.region, box.region)
            assert modal.focused is not None and body.region.contains_region(modal.focused.region)


async def test_a_number_and_its_unit_stay_on_one_row_of_the_forms_error_line() -> None:
    """At 80x24 the lock's refusal wrapped between 15.0 and 秒 (Textual breaks at any space): a number
    and the word after it, its unit, stay on one row; the row breaks after a phrase before them."""
    app = FormApp(FIELDS)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        box = form.query_one("#form-error", Static)
        form.show_errors({}, "未保存")
        await pilot.pause()
        width = box.content_region.width
        # the first row would end exactly after the number, the unit on the next
        said = "p" * (width - cell_len(" 已等待 15")) + " 已等待 15 秒；请稍后重试"
        form.show_errors({}, said)
        await pilot.pause()
        assert str(box.render()) == said  # read as it is said
        region = box.content_region
        rows = [
            cells_of(line, region.x, region.right).strip()
            for line in screen_text(app).splitlines()[region.y : region.bottom]  # type: ignore[arg-type]
        ]
        assert rows == ["p" * (width - cell_len(" 已等待 15")) + " 已等待", "15 秒；请稍后重试"], rows
        form.show_errors({}, "")
        form.show_notice(said)  # the line that says the save waits (最多等 15 秒) wraps alike
        await pilot.pause()
        notice = form.query_one("#form-notice", Static)
        region = notice.content_region
        rows = [
            cells_of(line, region.x, region.right).strip()
            for line in screen_text(app).splitlines()[region.y : region.bottom]  # type: ignore[arg-type]
        ]
        assert rows == ["p" * (width - cell_len(" 已等待 15")) + " 已等待", "15 秒；请稍后重试"], rows
