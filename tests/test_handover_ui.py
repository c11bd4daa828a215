"""Panel 5's `h` in real use: a copy of a hand-over written again, the take-over reading only what it
shows, and the hand-over form at 80x24 keeping its title and the field being edited in view."""

from __future__ import annotations

import re
import stat
import threading
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from rich.cells import cell_len
from textual.widget import Widget
from textual.widgets import Input, Static

import duty_room.panels.dutylog as dutylog
from duty_room import words
from duty_room.app import DutyRoomApp
from duty_room.handover_export import render_markdown
from store import clock
from store.duty_models import LogKind
from store.dutylog import find_shift, log_entry
from store.handover import acknowledge, find_handover, hand_over_now, handover_report
from store.models import DutyShift
from store.storage import Store, default_actor
from widgets.choice_modal import ChoiceModal
from widgets.form import FormScreen
from widgets.status_line import StatusLine, fit

from conftest import store_bytes
from pilot import NARROW, WIDE, cells_of, dashboard, desk_panel, screen_text, settled, shows, until

INCOMING = "incoming-officer"


# Every form and line names the shift as the officer knows it (its day and span, as the export's 班次
# line does), not by the store's id "d1" (已交班：duty-20261128, 导出交接班：duty-20261128, …).
SPAN = "2026-11-28 08:00 – 11-29 08:00"
STARTED = "11-28 08:00"  # in a status line, by its start: the span left 80 columns no room for who and when
TITLE = f"交班：{SPAN}"


async def press(app: DutyRoomApp, pilot, *keys: str) -> None:  # noqa: ANN001
    await pilot.press(*keys)
    await settled(app, pilot)


def text(form: FormScreen, selector: str) -> str:
    return str(form.query_one(selector, Static).content)


async def export_as(app: DutyRoomApp, pilot, form: FormScreen, typed: str) -> None:  # noqa: ANN001
    form.query_one("#field-export", Input).value = typed
    await press(app, pilot, "ctrl+s")


async def test_a_copy_that_failed_at_the_hand_over_is_written_again_with_h(small_store: Store, tmp_path: Path) -> None:
    """The hand-over is recorded, its copy fails (a folder that does not exist): `h` on that shift
    said only 已交班, so the copy could be written only from the command line. Now `h` offers the
    copy again, through the same submit path: a second failure is said beside the field (the form
    kept, nothing else written), a good name writes what was handed over, as `handover --out` does."""
    async with dashboard(small_store, NARROW) as (app, pilot):
        await press(app, pilot, "5", "h")
        form = app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#field-notes", Input).value = "燃气抢修未完"
        await export_as(app, pilot, form, str(tmp_path / "no-such-folder" / "交接班.md"))
        assert not isinstance(app.screen, FormScreen)
        shift = find_shift(small_store, "d1")
        handed = find_handover(small_store, shift)
        assert handed is not None and handed.notes == "燃气抢修未完"
        failed = app.status.said[-1]
        assert failed.startswith("导出失败：") and failed.endswith("；按 h 再次导出"), failed

        await press(app, pilot, "h")
        form = app.screen
        assert isinstance(form, FormScreen), app.status.said[-1]
        assert form.texts.title == f"导出交接班：{SPAN}"
        assert "duty-officer 已于 09:30 交班" in text(form, "#form-subtitle")
        assert [spec.key for spec in form.fields] == ["export"]

        before = store_bytes(small_store.root)
        await export_as(app, pilot, form, "")
        assert app.screen is form and text(form, "#error-export") == "必填"
        missing = tmp_path / "still-missing" / "交接班.md"
        await export_as(app, pilot, form, str(missing))
        assert app.screen is form  # kept, with what was typed: another folder, another try
        assert form.query_one("#field-export", Input).value == str(missing)
        assert text(form, "#error-export") == f"未能导出：文件或文件夹不存在（ENOENT），{missing}"
        await export_as(app, pilot, form, "交接班.txt")
        assert app.screen is form and "文件名以 .md 或 .xlsx 结尾" in text(form, "#error-export")

        sent = tmp_path / "交接班.md"
        await export_as(app, pilot, form, str(sent))
        assert not isinstance(app.screen, FormScreen)
        assert app.query_one("#status", StatusLine).message == f"已导出到 {sent}"
        assert store_bytes(small_store.root) == before  # a copy: nothing in the store written
        settings = app.settings
        expected = handover_report(
            small_store,
            clock.now(),
            shift_id="d1",
            rules=settings.duty,
            calendar=settings.deadlines,
            fee_rules=settings.fees,
        )
        assert sent.read_text(encoding="utf-8") == render_markdown(expected, "zh")  # as `handover --out` writes
        assert "交班于 2026-11-28 09:30" in sent.read_text(encoding="utf-8")

        await press(app, pilot, "h")  # the copy written: `h` says the shift is handed over, `e` writes another
        assert not isinstance(app.screen, FormScreen)
        assert app.status.said[-1] == f"班次 {STARTED}：duty-officer 已于 09:30 交班；导出副本按 e"
        await press(app, pilot, "e")  # the log book too
        book = tmp_path / "值班记录簿.xlsx"
        await export_as(app, pilot, app.screen, str(book))  # type: ignore[arg-type]
        assert not isinstance(app.screen, FormScreen)
        assert load_workbook(book).sheetnames[0] == words.t("handover.title", "zh")  # the cover sheet
    assert find_handover(small_store, shift) == handed  # handed over once, as it was


async def test_h_on_a_handover_taken_over_says_so_and_e_offers_its_copy(small_store: Store, tmp_path: Path) -> None:
    """Handed over and taken over, the shift still on: `h` opened the hand-over form again, whose
    save the store refused (已交班). Now either officer's `h` says so at once, and `e` gets the
    copy, the form naming both."""
    hand_over_now(small_store, notes="无遗留")
    acknowledge(Store(small_store.root, actor=INCOMING), "d1", notes="已接班")
    for actor in ("duty-officer", INCOMING):
        async with dashboard(Store(small_store.root, actor=actor), lang="en") as (app, pilot):
            await press(app, pilot, "5", "h")
            assert not isinstance(app.screen, FormScreen)
            said = f"Shift {STARTED}: taken over by {INCOMING} at 09:30; e exports a copy"
            assert app.status.said[-1] == said, app.status.said
            await press(app, pilot, "e")
            form = app.screen
            assert isinstance(form, FormScreen)
            assert form.texts.title == f"Export the handover: {SPAN}"
            said = text(form, "#form-subtitle")
            assert f"handed over by duty-officer at 09:30; taken over by {INCOMING} at 09:30" in said, said
            sent = tmp_path / f"{actor}.md"
            await export_as(app, pilot, form, str(sent))
            assert not isinstance(app.screen, FormScreen)
            assert "# " in sent.read_text(encoding="utf-8")


async def test_a_viewer_writes_the_hand_overs_copy_with_e_as_the_command_line_does(
    small_store: Store, tmp_path: Path
) -> None:
    """A leader at a read-only desk (`--read-only`) wants the shift's hand-over to send on: `e` said
    只读模式：不能更改, while `duty-room --read-only handover --out FILE` writes it. A copy writes no store
    file: the viewer's `e` writes it too (as the service account, into the export folder as ever), and
    the keys that write the store stay refused; the store is not changed."""
    hand_over_now(small_store, notes="无遗留")
    before = store_bytes(small_store.root)
    async with dashboard(small_store, read_only=True) as (app, pilot):
        await press(app, pilot, "5", "e")
        form = app.screen
        assert isinstance(form, FormScreen), app.status.said
        sent = tmp_path / "交接班.md"
        await export_as(app, pilot, form, str(sent))
        assert not isinstance(app.screen, FormScreen), str(form.query_one("#form-error").render())
        assert "无遗留" in sent.read_text(encoding="utf-8")
        assert app.status.said[-1] == f"已导出到 {sent}", app.status.said
        await press(app, pilot, "l")  # 记录 writes the store: refused in words, as before
        assert not isinstance(app.screen, FormScreen)
        assert app.status.said[-1] == "只读模式：不能更改，也不能显示个人信息", app.status.said
    assert store_bytes(small_store.root) == before


async def test_the_take_over_form_shows_who_handed_over_and_their_notes(small_store: Store) -> None:
    """The 接班 form said only 接班确认：d1 over an empty notes field: the incoming officer took the
    shift over without the outgoing officer's notes (遗留问题) in sight. It shows who handed it
    over, when, and the notes."""
    hand_over_now(small_store, shift_id="d1", notes="燃气泄漏13:30前续报")
    async with dashboard(Store(small_store.root, actor=INCOMING), NARROW) as (app, pilot):
        await press(app, pilot, "5", "h")
        form = app.screen
        assert isinstance(form, FormScreen) and form.texts.title == f"接班确认：{SPAN}"
        said = text(form, "#form-subtitle")
        assert said.startswith("交班人 duty-officer（09:30）；") and said.endswith("；交班说明：燃气泄漏13:30前续报"), (
            said
        )
        assert "燃气泄漏13:30前续报" in screen_text(app)


async def test_the_report_is_built_only_for_the_form_that_shows_it_and_off_the_event_loop(
    small_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The take-over (接班) form built the whole hand-over report it does not show: tens of ms on the
    event loop at township scale (the copy's form would too). The hand-over form's report is built
    in a worker (Desk.read), as other slow reads are; the take-over and the copy's form build none
    until the copy is written (in the write's worker)."""
    built: list[bool] = []  # one per report built: on the event loop's thread?

    def counted(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        built.append(threading.current_thread() is threading.main_thread())
        return handover_report(*args, **kwargs)

    monkeypatch.setattr(dutylog, "handover_report", counted)
    async with dashboard(small_store) as (app, pilot):
        await press(app, pilot, "5", "h")
        assert isinstance(app.screen, FormScreen) and app.screen.texts.title == TITLE
        assert built == [False]  # built once, in a worker
        await press(app, pilot, "ctrl+s")
    assert find_handover(small_store, find_shift(small_store, "d1")) is not None

    built.clear()
    async with dashboard(Store(small_store.root, actor=INCOMING)) as (app, pilot):
        await press(app, pilot, "5", "h")
        form = app.screen
        assert isinstance(form, FormScreen) and form.texts.title == f"接班确认：{SPAN}"
        assert built == []  # the take-over shows no report: none built
        await press(app, pilot, "ctrl+s")
        assert not isinstance(app.screen, FormScreen)
        assert app.status.said[-1] == f"已接班：班次 {STARTED}"
    taken = find_handover(small_store, find_shift(small_store, "d1"))
    assert taken is not None and taken.acknowledged_by == INCOMING

    async with dashboard(small_store) as (app, pilot):
        await press(app, pilot, "5", "e")
        form = app.screen
        assert isinstance(form, FormScreen) and form.texts.title == f"导出交接班：{SPAN}"
        assert built == []
        await export_as(app, pilot, form, str(tmp_path / "交接班.md"))
        assert built == [False]  # the copy's, in the write's worker
        assert (tmp_path / "交接班.md").is_file()


async def test_the_copy_again_as_the_service_account_goes_only_in_the_export_folder(
    small_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run through sudo, the copy written again follows the hand-over's own export rules
    (duty_room/exports.py): a path outside the export folder is refused beside the field, a name is
    written there, readable by the folder's group, and the status line says the whole path."""
    exports = tmp_path / "exports"
    exports.mkdir()
    monkeypatch.chdir(tmp_path)
    hand_over_now(small_store, notes="无遗留")
    service = {"service_account": default_actor(), "as_service": True, "export_dir": exports}
    async with dashboard(small_store, **service) as (app, pilot):
        await press(app, pilot, "5", "e")
        form = app.screen
        assert isinstance(form, FormScreen) and form.texts.title == f"导出交接班：{SPAN}"
        assert form.query_one("#field-export", Input).placeholder == "如 交接班.md"
        for outside in ("~/交接班.md", "../交接班.md", str(small_store.root / "交接班.md")):
            await export_as(app, pilot, form, outside)
            assert app.screen is form
            assert f"只能写在 {exports} 中" in text(form, "#error-export"), text(form, "#error-export")
        assert list(exports.iterdir()) == [] and not (tmp_path / "交接班.md").exists()
        await export_as(app, pilot, form, "交接班.xlsx")
        assert not isinstance(app.screen, FormScreen)
        written = exports / "交接班.xlsx"
        assert stat.S_IMODE(written.stat().st_mode) == 0o640
        assert app.query_one("#status", StatusLine).message == f"已导出到 {written}"


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
            await pilot.pause()  # the focus's scroll into view is asked for after a refresh: then animated
            await pilot.wait_for_scheduled_animations()
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
                table = desk_panel(app, "petitions").table
                table.move_cursor(row=table.keys.index("MK261127-002"))
            await press(app, pilot, keys[1])
            form = app.screen
            assert isinstance(form, FormScreen), (keys, app.status.said)
            form.show_notice(t("form.overtaken_refused").format("x" * 90))
            form.show_errors({spec.key: t("invalid.too_long").format(9) * 3 for spec in form.fields}, "y" * 150)
            for spec in (*form.fields, form.fields[0]):
                form.query_one(f"#field-{spec.key}").focus()
                await pilot.pause()  # the focus's scroll into view is asked for after a refresh: then animated
                await pilot.wait_for_scheduled_animations()
                assert_all_in_view(form)
            await press(app, pilot, "escape")  # (nothing typed: closed at once)
            assert not isinstance(app.screen, FormScreen)


# -- another desk's write while the hand-over form is open -------------------------------------------------


async def test_the_open_handover_form_rebuilds_its_report_off_the_event_loop_and_shows_only_the_newest(
    small_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each store change (another desk's write) rebuilt the whole hand-over report on the event loop
    while the form was open: tens of ms per change on a township's store. It is built in a worker now,
    as the form's first report is; of the reports begun for a burst of changes only the newest is
    shown (one built before a newer write, finished after it, is dropped, never shown over it)."""
    other = Store(small_store.root, actor="other-desk")
    built: list[bool] = []  # one per report built: on the event loop's thread?
    hold: list[threading.Event] = []  # a report held until the test lets it finish

    def counted(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        built.append(threading.current_thread() is threading.main_thread())
        report = handover_report(*args, **kwargs)
        if hold:
            hold.pop(0).wait(10)
        return report

    monkeypatch.setattr(dutylog, "handover_report", counted)
    async with dashboard(small_store) as (app, pilot):
        await press(app, pilot, "5", "h")
        form = app.screen
        assert isinstance(form, FormScreen) and form.texts.title == TITLE
        subtitles: list[str] = []
        show_subtitle = form.show_subtitle
        monkeypatch.setattr(form, "show_subtitle", lambda text: (subtitles.append(text), show_subtitle(text)))

        log_entry(other, kind=LogKind.CALL, content="另一台电脑登记的来电")
        await shows(app, pilot, lambda data: len(data.log) == 1)
        assert text(form, "#form-subtitle").startswith("本班记录1条")
        assert built == [False, False]  # the form's first report and its renewal, both in a worker

        held = threading.Event()
        hold.append(held)  # the next renewal is read before the second write and ends after it
        log_entry(other, kind=LogKind.CALL, content="第二个来电")
        # (a worker's thread is not waited on by settled() while it is held)
        await until(
            pilot,
            lambda: app.data is not None and len(app.data.log) == 2 and len(built) == 3,
            "the second call read and its report begun",
        )
        log_entry(other, kind=LogKind.CALL, content="第三个来电")  # while the renewal of the second is held
        await until(
            pilot,
            lambda: app.data is not None and len(app.data.log) == 3 and len(built) == 4,
            "the third call read and its report begun",
        )
        held.set()
        await settled(app, pilot)
        assert built == [False] * 4
        assert text(form, "#form-subtitle").startswith("本班记录3条")
        assert [line.split("；")[0] for line in subtitles] == ["本班记录1条", "本班记录3条"]  # never 2 after 3


# -- a long status line keeps the words to act on -----------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", [NARROW, WIDE])
async def test_a_failed_copys_status_line_keeps_what_to_do_in_view(
    small_store: Store, tmp_path: Path, lang: words.Lang, size: tuple[int, int]
) -> None:
    """The copy written with a hand-over fails in a folder with a long path: the status line was cut at
    the right, and its closing words (按 h 再次导出) were off the screen at 80 and 120 columns. The line
    now shortens the path in its middle (keeping the file name), then the clauses before the last: the
    start (what failed) and the end (what to do) stay in view; the whole message is kept."""
    t = lambda key: words.t(key, lang)  # noqa: E731
    folder = tmp_path.joinpath(*["值班室共享文件夹" if lang == "zh" else "duty-room-shared-folder"] * 4, "no-such")
    async with dashboard(small_store, size, lang=lang) as (app, pilot):
        await press(app, pilot, "5", "h")
        form = app.screen
        assert isinstance(form, FormScreen)
        await export_as(app, pilot, form, str(folder / "交接班.md"))
        assert not isinstance(app.screen, FormScreen)
        line = app.query_one("#status", StatusLine)
        again = t("duty.export_again").format("h")
        assert line.message.endswith(again) and str(folder) in line.message  # said whole (and in the log)
        shown = screen_text(app).splitlines()[size[1] - 2].strip()
        assert shown.startswith(t("duty.export_failed").split("：")[0].split(":")[0]), shown
        assert shown.endswith(again.removeprefix("；").removeprefix("; ")), shown
        assert "…" in shown
        if size == WIDE:  # room for the file name
            assert "…/交接班.md" in shown, shown


def test_fit_shortens_a_path_in_its_middle_then_the_clauses_before_the_last() -> None:
    path = "/home/officer/" + "交接班记录/" * 6 + "交接班.md"
    said = f"导出失败：磁盘已满，{path}；交接班已记录（d1），等待接班人确认；按 h 再次导出"
    assert fit(said, 200) == said
    assert fit(said, 118) == (
        "导出失败：磁盘已满，/home/officer/交接班记录/交接班记录/…/交接班.md；交接班已记录（d1），等待接班人确认；按 h 再次导出"
    )
    assert fit(said, 78) == "导出失败：磁盘已满，/home/officer/交接班记录/交接…/交接班.md；…；按 h 再次导出"
    assert fit(said, 30) == "导出失败：磁盘…；按 h 再次导出"
    for message in (said, "I/O error on /srv/duty-room/exports/handover.md", "x" * 90):
        assert all(cell_len(fit(message, width)) <= width for width in range(3, 130))


def test_fit_cuts_no_english_word_in_two() -> None:
    """At 80 columns in English, 签到 on a session over was refused as `08:30 跑腿代购：买菜、取药 not
    changed:…he number served (the late mark stays)`: the line's middle left out, it began the end in
    a word. Its ends are whole words now; Chinese, written without spaces, is cut between characters."""
    said = (
        "08:30 跑腿代购：买菜、取药 not changed: the session ended at 09:30: too late to check in;"
        " complete it with the number served (the late mark stays)"
    )
    words = set(re.split(r"[\s…:;()]+", said))
    for width in range(20, 120):
        shown = fit(said, width)
        assert cell_len(shown) <= width, (width, shown)
        assert all(word in words for word in re.split(r"[\s…:;()]+", shown) if word.isascii()), (width, shown)
    assert fit("跑腿代购：买菜、取药，已过结束时间，不能再签到；请按「完成」登记服务人数，迟到记录保留", 30) == (
        "跑腿代购：买菜、…迟到记录保留"  # its last part whole (fit's verdict), the middle left out
    )


async def test_the_copy_form_dates_a_hand_over_made_another_day(small_store: Store) -> None:
    """The copy form (导出交接班) said only 09:30 for a hand-over made yesterday: the next morning that
    read as today's. A time not today now carries its date, today's stays a clock time."""
    hand_over_now(small_store, notes="无遗留")  # 11-28 09:30
    async with dashboard(small_store) as (app, pilot):
        await press(app, pilot, "5", "e")
        form = app.screen
        assert isinstance(form, FormScreen) and form.texts.title == f"导出交接班：{SPAN}"
        assert text(form, "#form-subtitle").startswith("duty-officer 已于 09:30 交班。")
    clock.freeze("2026-11-29T07:40:00+08:00")  # the shift still on: the copy the next morning
    async with dashboard(small_store, lang="en") as (app, pilot):
        await press(app, pilot, "5", "e")
        form = app.screen
        assert isinstance(form, FormScreen) and form.texts.title == f"Export the handover: {SPAN}"
        assert text(form, "#form-subtitle").startswith("handed over by duty-officer at 11-28 09:30:"), text(
            form, "#form-subtitle"
        )
        acknowledge(Store(small_store.root, actor=INCOMING), "d1", notes="已接班")  # taken over today
    async with dashboard(small_store) as (app, pilot):
        await press(app, pilot, "5", "e")
        form = app.screen
        assert isinstance(form, FormScreen) and form.texts.title == f"导出交接班：{SPAN}"
        said = text(form, "#form-subtitle")
        assert said.startswith(f"duty-officer 已于 11-28 09:30 交班；{INCOMING} 已于 07:40 接班确认。"), said


async def test_h_hands_over_the_shift_on_duty_while_an_earlier_hand_over_waits_and_e_writes_its_copy(
    small_store: Store, tmp_path: Path
) -> None:
    """This account handed yesterday's shift over, nobody has taken it over yet, and it is on duty
    again: `h` opened yesterday's copy form, and today's shift could not be handed over from the
    dashboard at all. `h` acts on the shift on duty now; the copy of the last shift handed over,
    yesterday's until today's is, is `e`'s (导出交接班: in `?` help and the palette, the Footer being
    full at 80 columns)."""
    with small_store.transaction() as tx:
        tx.put(DutyShift(id="d0", day=date(2026, 11, 27), leader="刘晓宇", staff=["王献伟"]))
    hand_over_now(small_store, shift_id="d0", notes="昨日无遗留")  # yesterday's, waiting for 接班
    async with dashboard(small_store, NARROW) as (app, pilot):
        await press(app, pilot, "5", "h")
        form = app.screen
        assert isinstance(form, FormScreen) and form.texts.title == TITLE, form.texts.title
        await press(app, pilot, "escape")  # (nothing typed: closed at once)

        await press(app, pilot, "e")  # yesterday's copy
        form = app.screen
        assert isinstance(form, FormScreen) and form.texts.title == "导出交接班：2026-11-27 08:00 – 11-28 08:00", (
            form.texts.title
        )
        sent = tmp_path / "昨日交接班.md"
        await export_as(app, pilot, form, str(sent))
        assert not isinstance(app.screen, FormScreen)
        assert "昨日无遗留" in sent.read_text(encoding="utf-8")

        await press(app, pilot, "h")  # today's, handed over
        assert isinstance(app.screen, FormScreen) and app.screen.texts.title == TITLE
        await press(app, pilot, "ctrl+s")
        assert not isinstance(app.screen, FormScreen)
        assert find_handover(small_store, find_shift(small_store, "d1")) is not None
        await press(app, pilot, "h")  # today's handed over: said so, its copy `e`'s
        assert not isinstance(app.screen, FormScreen)
        assert app.status.said[-1] == f"班次 {STARTED}：duty-officer 已于 09:30 交班；导出副本按 e"
        await press(app, pilot, "e")  # on today's copy now
        assert isinstance(app.screen, FormScreen) and app.screen.texts.title == f"导出交接班：{SPAN}"
        await press(app, pilot, "escape")

        assert "导出交接班" in [c.title for c in app.get_system_commands(app.screen)]  # in the palette
        await press(app, pilot, "question_mark")  # and in `?` help
        assert "导出交接班" in screen_text(app)


async def test_e_with_no_shift_handed_over_says_so(small_store: Store) -> None:
    async with dashboard(small_store, lang="en") as (app, pilot):
        await press(app, pilot, "5", "e")
        assert not isinstance(app.screen, FormScreen)
        assert app.status.said[-1].endswith("no shift handed over in the last three days to export")


async def test_the_shift_in_the_handover_form_wraps_between_its_phrases_at_80_columns(small_store: Store) -> None:
    """At 80x24 the form's line of the shift wrapped where the width ran out, mid-word: 未 at the end of
    one row, 结事件1起 on the next. It wraps after a phrase's 、 or ；, each phrase whole on a row."""
    for number in range(8):  # a fuller shift: every count two digits or more, as a busy day's
        log_entry(small_store, kind=LogKind.CALL, content=f"来电{number}")
    async with dashboard(small_store, NARROW) as (app, pilot):
        await pilot.press("5", "h")
        await settled(app, pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        said = text(form, "#form-subtitle")
        subtitle = form.query_one("#form-subtitle", Widget)
        lines = screen_text(app).splitlines()[subtitle.region.y : subtitle.region.bottom]
        shown = [cells_of(line, subtitle.region.x, subtitle.region.right).strip() for line in lines]
        assert len(shown) > 1 and "".join(shown) == said, shown
        assert all(row.endswith(("；", "、")) for row in shown[:-1]), shown


def drawn_whole(line: StatusLine) -> str:
    """ "" if the status line shows its message whole, a path in it shortened in its middle at most
    (its file name kept, as widgets/status_line.py does by design); else what is wrong."""
    from widgets.status_line import PATH

    drawn, message = str(line.render()).strip(), line.message
    path = re.search(PATH, message)  # (a pattern's text: re compiles it when first used)
    if path is None:
        return "" if drawn == message else f"{message!r} drawn as {drawn!r}"
    before, after = message[: path.start()], message[path.end() :]
    if drawn.startswith(before) and drawn.endswith(Path(path.group()).name + after):
        return ""
    return f"{message!r} drawn as {drawn!r}"


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_hand_over_and_take_over_lines_fit_80_columns(small_store: Store, tmp_path: Path, lang: str) -> None:
    """At 80x24 the status line of a hand-over was cut in its middle: `h` on a shift handed over said
    未更改：班次 2026-11-28 08:00 – 11-29 08:00：duty-officer 已于 09:30 交班…导出副本按 e, who and when
    left out; in English more. Each line the hand-over and the take-over say is whole at 80 columns
    (a path shortened in its middle, its file name kept)."""
    problems = []
    steps = []
    async with dashboard(small_store, NARROW, lang=lang) as (app, pilot):
        line = app.query_one("#status", StatusLine)
        await press(app, pilot, "5", "h")
        form = app.screen
        assert isinstance(form, FormScreen)
        await export_as(app, pilot, form, str(tmp_path / "交接班.md"))
        steps.append(line.message)
        problems.append(drawn_whole(line))
        await press(app, pilot, "h")  # handed over: says so
        steps.append(line.message)
        problems.append(drawn_whole(line))
    async with dashboard(Store(small_store.root, actor=INCOMING), NARROW, lang=lang) as (app, pilot):
        line = app.query_one("#status", StatusLine)
        await press(app, pilot, "5", "h")  # the take-over form
        assert isinstance(app.screen, FormScreen)
        await press(app, pilot, "ctrl+s")
        steps.append(line.message)
        problems.append(drawn_whole(line))
        await press(app, pilot, "h")  # taken over: says so
        steps.append(line.message)
        problems.append(drawn_whole(line))
    assert all(steps) and len(set(steps)) == 4, steps
    assert [p for p in problems if p] == []


async def test_the_take_over_form_says_what_was_handed_over_in_counts(small_store: Store) -> None:
    """The 接班 form showed who handed over and their notes, nothing of what the record lists: the
    incoming officer confirmed a hand-over unseen (an open incident, a late report). It says what the
    record keeps, in counts, from the record (no report built: the copy's `e` has it whole)."""
    from store.duty_models import IncidentCategory
    from store.dutylog import open_incident

    log_entry(small_store, kind=LogKind.VISIT, content="村民来访")
    open_incident(small_store, title="村道塌方", category=IncidentCategory.ACCIDENT)
    hand_over_now(small_store, shift_id="d1", notes="村道塌方首报10:00前")
    handed = find_handover(small_store, find_shift(small_store, "d1"))
    assert handed is not None and handed.open_incident_ids
    async with dashboard(Store(small_store.root, actor=INCOMING), NARROW) as (app, pilot):
        await press(app, pilot, "5", "h")
        form = app.screen
        assert isinstance(form, FormScreen)
        said = text(form, "#form-subtitle")
        counts = (
            f"交班时：记录{len(handed.entry_ids)}条，未结事件1起，报送超时{len(handed.late_reports)}项，"
            f"超期案件{len(handed.overdue_case_ids)}件"
        )
        assert said == f"交班人 duty-officer（09:30）；{counts}；交班说明：村道塌方首报10:00前", said
        assert "未结事件1起" in screen_text(app)
