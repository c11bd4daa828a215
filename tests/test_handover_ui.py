"""Panel 5's `h` in real use: the hand-over form at 80x24 keeping its title and the field being edited in view."""

from __future__ import annotations

import pytest
from textual.widget import Widget

from duty_room import words
from duty_room.app import DutyRoomApp
from store.storage import Store
from widgets.choice_modal import ChoiceModal
from widgets.form import FormScreen

from pilot import NARROW, dashboard, settled


async def press(app: DutyRoomApp, pilot, *keys: str) -> None:  # noqa: ANN001
    await pilot.press(*keys)
    await settled(app, pilot)


# -- 80x24: the title and the field being edited stay in view -------------------------------------------


def in_view(screen: FormScreen | ChoiceModal, widget: Widget, *, within: str) -> bool:
    """``widget`` is on screen whole: inside the box's border, inside the part of the box that scrolls
    (``within``) if it is in it, and inside the terminal."""
    box = screen.query_one("#form-box" if isinstance(screen, FormScreen) else "#choice-box")
    region = widget.region
    inside = box.content_region.contains_region(region) and screen.region.contains_region(region)
    if within and widget in screen.query_one(within).walk_children():
        inside = inside and screen.query_one(within).region.contains_region(region)
    return region.height > 0 and inside


def assert_all_in_view(form: FormScreen) -> None:
    focused = form.focused
    assert focused is not None
    for widget in (form.query_one("#form-title"), focused, form.query_one("#form-confirm")):
        assert in_view(form, widget, within="#form-fields"), (widget, widget.region, form.query_one("#form-box").region)


CHANGES = ["log entries +2", "open incidents +1", "late reports +1"]


def long_notice(lang: words.Lang, form: FormScreen) -> None:
    """The hand-over form's notice at its longest: three changes."""
    t = lambda key: words.t(key, lang)  # noqa: E731
    form.show_notice(t("duty.report_changed").format(t("punct.list").join(CHANGES)))


def long_errors(lang: words.Lang, form: FormScreen) -> None:
    """A long path refused beside the field, the store's refusal in the error line (the catalogue's words)."""
    t = lambda key: words.t(key, lang)  # noqa: E731
    changes = t("punct.list").join(CHANGES)
    given = "/home/officer/" + "交接班记录/" * 12 + "交接班.md"
    folder = "/srv/duty-room/exports"
    beside = {
        "notes": t("invalid.too_long").format(2000),
        "export": t("export.outside_folder").format(given=given, folder=folder, account="duty-room"),
    }
    form.show_errors(beside, t("refused.duty_report_changed").format(changes=changes))


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_handover_form_keeps_its_title_and_the_field_edited_in_view_at_80x24(
    small_store: Store, lang: words.Lang
) -> None:
    """With the 3-line English subtitle (2 in Chinese), the "report changed" notice, a long refusal
    beside a field and the store's refusal under the fields, the box ran past 24 rows and its end
    (the buttons, the field under them) was cut. The title stays at the top, the notice, the error
    and the buttons at the bottom, and the subtitle and fields scroll between them to the field edited."""
    async with dashboard(small_store, NARROW, lang=lang) as (app, pilot):
        await press(app, pilot, "5", "h")
        form = app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#field-export").focus()  # on the last field when the notice comes
        await pilot.wait_for_scheduled_animations()
        long_notice(lang, form)
        await pilot.wait_for_scheduled_animations()
        assert form.focused is form.query_one("#field-export")
        assert_all_in_view(form)
        long_errors(lang, form)
        await pilot.wait_for_scheduled_animations()
        assert form.focused is form.query_one("#field-notes")  # the first field refused
        assert_all_in_view(form)
        for field in ("notes", "export", "notes"):
            form.query_one(f"#field-{field}").focus()
            await pilot.wait_for_scheduled_animations()  # focusing scrolls it into view (animated)
            assert form.focused is form.query_one(f"#field-{field}")
            assert_all_in_view(form)
            assert in_view(form, form.query_one("#form-notice"), within="")


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_stall_payment_and_case_step_forms_keep_title_and_field_in_view_at_80x24(
    small_store: Store, lang: words.Lang
) -> None:
    """The other forms with a subtitle and a line for what changed elsewhere: the payment form (its
    months owed) and a case's step (a picker's list)."""
    t = lambda key: words.t(key, lang)  # noqa: E731
    async with dashboard(small_store, NARROW, lang=lang) as (app, pilot):
        for keys in (("4", "y"), ("1", "d")):
            await press(app, pilot, keys[0])
            if keys[0] == "1":  # 派单 on the accepted case: a picker of whom to
                table = app.panel("petitions").table
                table.move_cursor(row=table.keys.index("MK261127-002"))
            await press(app, pilot, keys[1])
            form = app.screen
            assert isinstance(form, FormScreen), (keys, app.status_messages)
            form.show_notice(t("form.overtaken_refused").format("x" * 90))
            form.show_errors({spec.key: t("invalid.too_long").format(9) * 3 for spec in form.fields}, "y" * 150)
            for spec in (*form.fields, form.fields[0]):
                form.query_one(f"#field-{spec.key}").focus()
                await pilot.wait_for_scheduled_animations()
                assert_all_in_view(form)
            await press(app, pilot, "escape")  # (nothing typed: closed at once)
            assert not isinstance(app.screen, FormScreen)
