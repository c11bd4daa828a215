"""A whole shift at the duty room's own panel (5 值班记录), driven from the keyboard with the Pilot."""

from __future__ import annotations

import itertools
import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.widgets import Input, Select

from duty_room.panels.dutylog import handover_summary
from duty_room.presenters import Presenter
from store import clock
from store.duty_models import DutyLogEntry, Incident, IncidentCategory, IncidentLevel, LogKind, ReportStage
from store.dutylog import (
    correct_entry,
    find_incident,
    find_shift,
    log_entry,
    open_incident,
    plan_shift,
    report_incident,
    shift_at,
)
from store.handover import find_handover, hand_over_now, handover_report
from store.models import Petition
from store.queries import dashboard as dashboard_data
from store.storage import Store
from widgets.detail import DetailScreen
from widgets.form import FormScreen
from widgets.status_line import StatusLine

from conftest import store_bytes
from pilot import NARROW, dashboard, desk_panel, screen_text, settled


async def fill(pilot, form: FormScreen, **values: str) -> None:  # noqa: ANN001
    for key, value in values.items():
        field = form.query_one(f"#field-{key}")
        if isinstance(field, Select):
            field.value = value
        else:
            assert isinstance(field, Input)
            field.value = value
    await pilot.pause()


async def case_form_of(app, pilot, store: Store, content: str) -> tuple[DutyLogEntry, FormScreen]:  # noqa: ANN001
    """The entry of panel 5 saying ``content``, under the cursor, and the case form ``n`` opens on it."""
    entry = next(e for e in store.all(DutyLogEntry, "2026-11") if e.content == content)
    table = desk_panel(app, "dutylog").table
    table.move_cursor(row=table.keys.index(entry.id))
    await pilot.press("n")
    await settled(app, pilot)
    assert isinstance(app.screen, FormScreen)
    return entry, app.screen


async def test_a_whole_shift_at_the_duty_panel(small_store: Store, tmp_path) -> None:  # noqa: ANN001
    start = datetime.fromisoformat("2026-11-28T09:30:00+08:00")
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("5")
        assert app.deck.active == "dutylog"

        # l: a call, logged in seconds.
        await pilot.press("l")
        await settled(app, pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        await fill(
            pilot,
            form,
            content="东城花园3号楼闻到煤气味",
            caller="李大妈",
            source="东城花园",
            action_taken="已通知燃气公司",
        )
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        [entry] = small_store.all(DutyLogEntry, "2026-11")
        assert entry.content == "东城花园3号楼闻到煤气味" and entry.updated_by == "duty-officer"
        assert desk_panel(app, "dutylog").table.keys == [entry.id]

        # n on the entry: the case it calls for, prefilled and linked to it.
        await pilot.press("n")
        await settled(app, pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        assert form.values()["description"].startswith("东城花园3号楼闻到煤气味")
        await fill(pilot, form, title="3号楼煤气味", category="gas", community_id="dongcheng")
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        assert not isinstance(app.screen, FormScreen), app.screen
        case = next(p for p in small_store.all(Petition) if p.title == "3号楼煤气味")
        linked = small_store.all(DutyLogEntry, "2026-11")[0]
        assert linked.petition_ids == [case.id]

        # i: an incident; its first report is due in 30 minutes.
        await pilot.press("i")
        await settled(app, pilot)
        await fill(pilot, app.screen, title="河堤渗水", category="natural", place="玉兰社区河段")  # type: ignore[arg-type]
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        [incident] = small_store.all(Incident)
        assert f"首报 {start + timedelta(minutes=30):%H:%M}前" in str(app.query_one("#headline").render())

        # r on the incident row: 首报 and 书面报告 on time.
        table = desk_panel(app, "dutylog").table
        # The incident row came in above the entry, and so did the incident's own 突发事件 line (newest
        # first); the cursor is on the incident just opened, whose 首报 is what the officer does next.
        assert table.keys[:3] == [f"incident:{incident.id}", incident.entry_id, entry.id]
        assert table.cursor_key == f"incident:{incident.id}"
        for stage in (ReportStage.PHONE, ReportStage.WRITTEN):
            await pilot.press("r")
            await settled(app, pilot)
            await fill(pilot, app.screen, to="区应急局", stage=stage.value)  # type: ignore[arg-type]
            await pilot.press("ctrl+s")
            await settled(app, pilot)
        assert [r.stage for r in find_incident(small_store, incident.id).reports] == [
            ReportStage.PHONE,
            ReportStage.WRITTEN,
        ]

        # Five hours on, the 续报 is late: the header turns red and names it.
        clock.freeze(start + timedelta(hours=5))
        app.reload()
        await settled(app, pilot)
        assert "续报超时" in str(app.query_one("#headline").render())
        assert app.data is not None and [slot.stage for _, slot in app.data.duty.late] == [ReportStage.FOLLOW_UP]
        _, header = app.present.header(app.data.headline, "x", app.data.now, width=200, duty=app.data.duty)
        assert any("on red" in str(span.style) for span in header.spans)  # red when late

        # h: hand over with notes; then the next officer takes over with their own account.
        await pilot.press("h")
        await settled(app, pilot)
        sent = tmp_path / "交接班.md"
        await fill(pilot, app.screen, notes="河堤渗水续报待报", export=str(sent))  # type: ignore[arg-type]
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        markdown = sent.read_text(encoding="utf-8")  # the copy to send on, as handed over
        assert "河堤渗水" in markdown and "3号楼煤气味" in markdown and "续报" in markdown

        # s: tomorrow's shift on the roster.
        await pilot.press("s")
        await settled(app, pilot)
        await fill(pilot, app.screen, leader="郭红梅", staff="王丽娟、刘晓宇")  # type: ignore[arg-type]
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        planned = find_shift(small_store, "duty-20261129")
        assert (planned.leader, planned.staff) == ("郭红梅", ["王丽娟", "刘晓宇"])
    shift = shift_at(small_store, clock.now())
    assert shift is not None
    handover = find_handover(small_store, shift)
    assert handover is not None and handover.notes == "河堤渗水续报待报" and handover.outgoing_by == "duty-officer"
    assert handover.acknowledged_at is None

    incoming = Store(small_store.root, actor="incoming-officer")
    async with dashboard(incoming) as (app, pilot):
        await pilot.press("5", "h")
        await settled(app, pilot)
        form = app.screen
        assert isinstance(form, FormScreen) and "接班" in form.texts.title
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        assert not isinstance(app.screen, FormScreen), (
            str(form.query_one("#form-error").render()),
            app.status.said,
        )
    taken = find_handover(small_store, shift)
    assert taken is not None and taken.acknowledged_by == "incoming-officer"


async def test_a_handover_whose_copy_cannot_be_written_says_so_first(small_store: Store, tmp_path) -> None:  # noqa: ANN001
    """The handover is recorded, the export fails: at 80 columns the status line shows the failure and
    its cause in words (not the OS's English), as a warning that stays, not news that fades."""
    async with dashboard(small_store, NARROW) as (app, pilot):
        await pilot.press("5", "h")
        await settled(app, pilot)
        target = tmp_path / "no-such-folder" / "交接班.md"
        await fill(pilot, app.screen, notes="燃气抢修未完", export=str(target))  # type: ignore[arg-type]
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        assert not isinstance(app.screen, FormScreen)
        shift = shift_at(small_store, clock.now())
        assert shift is not None and find_handover(small_store, shift) is not None  # handed over all the same
        said = app.status.said[-1]
        assert said.startswith(f"导出失败：文件或文件夹不存在（ENOENT），{target}；"), said
        assert "No such file" not in said and "已交班" not in said
        status_row = screen_text(app).splitlines()[-2]
        assert "失败" in status_row, status_row
        line = app.query_one("#status", StatusLine)
        assert line.message == said and line._timer is None  # a warning: no fade timer, it stays


async def test_an_entry_detail_shows_the_phone_masked_and_its_corrections_in_words(small_store: Store) -> None:
    """Enter on a log entry: the caller's phone is there (masked; p reveals it), and a correction reads
    更正 内容：… — not the stored action key `correct` with no word of what it changed."""
    entry = log_entry(small_store, kind=LogKind.CALL, content="3号楼漏水", caller="李大妈", phone="13912345678")
    correct_entry(small_store, entry.id, {"content": "3号楼2单元漏水", "phone": "13987654321"}, note="来电人更正")
    async with dashboard(small_store, reveal_users=["duty-officer"]) as (app, pilot):
        await pilot.press("5", "enter")
        await settled(app, pilot)
        screen = app.screen
        assert isinstance(screen, DetailScreen)

        def shown() -> str:
            rows = [f"{name} {value.plain}" for name, value in screen.content.fields]
            return "\n".join(rows + [line.plain for _, lines in screen.content.sections for line in lines])

        text = shown()
        assert "电话 139****4321" in text and "13987654321" not in text and "13912345678" not in text
        assert "更正 内容：3号楼漏水 → 3号楼2单元漏水；电话：139****5678 → 139****4321（来电人更正）" in text, text
        assert "correct" not in text
        await pilot.press("p")
        await settled(app, pilot)
        assert "电话 13987654321" in shown() and "电话：13912345678 → 13987654321" in shown()


async def test_an_entry_corrected_after_the_handover_says_so_in_its_detail(small_store: Store) -> None:
    """The hand-over keeps an entry as it was handed over; a correction made since showed on panel 5
    like any other, with only its new text: the detail says 交班后更正, who, when, what it said
    before (as handed over) and why. One made before the hand-over stays 更正."""
    entry = log_entry(small_store, kind=LogKind.CALL, content="3号楼漏水", action_taken="已通知物业")
    correct_entry(small_store, entry.id, {"content": "3号楼2单元漏水"}, note="来电人更正")
    hand_over_now(small_store, notes="无遗留")
    clock.freeze(clock.now() + timedelta(minutes=20))
    other = Store(small_store.root, actor="wanglj")
    correct_entry(other, entry.id, {"content": "3号楼2单元地下室漏水", "action_taken": ""}, note="物业回电核实")
    for lang, said in (
        (
            "zh",
            "11-28 09:50 交班后更正 内容：3号楼2单元漏水 → 3号楼2单元地下室漏水；"
            "处理/报送：已通知物业 → 无（物业回电核实）  [wanglj]",
        ),
        (
            "en",
            "11-28 09:50 Corrected after the handover Content: 3号楼2单元漏水 → 3号楼2单元地下室漏水; "
            "Action / report: 已通知物业 → none (物业回电核实)  [wanglj]",
        ),
    ):
        async with dashboard(small_store, lang=lang) as (app, pilot):
            await pilot.press("5", "enter")
            await settled(app, pilot)
            assert isinstance(app.screen, DetailScreen) and app.screen.content.title == entry.id
            [(_, history)] = app.screen.content.sections
            assert [line.plain for line in history][1:] == [said], (lang, [line.plain for line in history])
            assert history[0].plain.startswith("11-28 09:30 ")  # before the hand-over: 更正 as ever
            assert "交班后" not in history[0].plain and "after the handover" not in history[0].plain


async def test_an_incident_row_names_its_kind_under_kind_and_its_level_before_its_title(small_store: Store) -> None:
    """An incident's row showed its level (一般) under 类别, where a log line shows its kind (来电): it
    read as a kind. 类别 says what kind of event (事故灾难, short as a log line's kind), and the level,
    a word of its own (not 特别 for 特别重大, nor `le` of "level IV (ordinary)"), leads its title."""
    first = open_incident(small_store, title="河堤渗水", category=IncidentCategory.NATURAL, level=IncidentLevel.MAJOR_I)
    second = open_incident(small_store, title="车库燃气泄漏", category=IncidentCategory.ACCIDENT)
    for lang, kinds, titles in (
        ("zh", ("自然灾害", "事故灾难"), ("特别重大 河堤渗水", "一般 车库燃气泄漏")),
        ("en", ("disaster", "accident"), ("level I 河堤渗水", "level IV 车库燃气泄漏")),
    ):
        async with dashboard(small_store, lang=lang) as (app, pilot):
            table = desk_panel(app, "dutylog").table
            shown = tuple(table.cell(f"incident:{i.id}", 1).plain for i in (first, second))
            assert shown == kinds, (lang, shown)
            shown = tuple(table.cell(f"incident:{i.id}", 3).plain for i in (first, second))
            assert shown == titles, (lang, shown)


@pytest.mark.parametrize(
    ("lang", "followed", "nothing"), [("zh", "见事件 ", "尚未处理"), ("en", "see ", "nothing yet")]
)
async def test_a_log_line_with_nothing_done_says_so_as_a_person_would(
    small_store: Store, lang: str, followed: str, nothing: str
) -> None:
    """An incident's log line said 处理/报送 无 in its row and its detail while its reports were under
    way: the line says where it is followed (见事件 SJ…); a call not acted on yet says 尚未处理."""
    incident = open_incident(small_store, title="车库燃气泄漏", category=IncidentCategory.ACCIDENT)
    call = log_entry(small_store, kind=LogKind.CALL, content="3号楼漏水")
    async with dashboard(small_store, NARROW, lang=lang) as (app, pilot):
        await pilot.press("5")
        await settled(app, pilot)
        table = desk_panel(app, "dutylog").table
        [line] = [key for key in table.keys if key.startswith("ZB") and key != call.id]
        assert table.cell(line, 4).plain == followed + incident.id
        assert table.cell(call.id, 4).plain == nothing
        await pilot.press(*["down"] * table.keys.index(line), "enter")
        await settled(app, pilot)
        assert isinstance(app.screen, DetailScreen) and app.screen.content.title == line
        assert followed + incident.id in screen_text(app)


async def test_p_is_offered_only_on_a_detail_with_personal_data(small_store: Store) -> None:
    """An incident's detail has no personal data: its Footer offered `p 显示个人信息`, a key that did nothing."""
    incident = open_incident(small_store, title="车库燃气泄漏", category=IncidentCategory.ACCIDENT)
    log_entry(small_store, kind=LogKind.CALL, content="3号楼漏水", caller="李大妈", phone="13912345678")
    async with dashboard(small_store, NARROW, reveal_users=["duty-officer"]) as (app, pilot):
        await pilot.press("5", "enter")
        await settled(app, pilot)
        assert isinstance(app.screen, DetailScreen) and app.screen.content.title == incident.id
        assert "显示个人信息" not in screen_text(app).splitlines()[-1]
        await pilot.press("escape", "down", "enter")
        await settled(app, pilot)
        assert isinstance(app.screen, DetailScreen) and app.screen.content.title.startswith("ZB")
        assert "显示个人信息" in screen_text(app).splitlines()[-1]


async def test_p_is_not_offered_on_a_document_entry_or_a_session_without_households(small_store: Store) -> None:
    """A 来文 from an office (no caller, no phone) and a class no household is listed for said
    个人信息已脱敏；按 p 显示 and offered p: nothing was masked, and p wrote an audit entry for a reveal
    of nothing. A call with a caller still offers it, and so does a meal round (its households)."""
    log_entry(small_store, kind=LogKind.DOCUMENT, content="关于开展冬季走访的通知", source="区民政局")
    async with dashboard(small_store, NARROW, reveal_users=["duty-officer"]) as (app, pilot):
        await pilot.press("5", "enter")
        await settled(app, pilot)
        assert isinstance(app.screen, DetailScreen) and app.screen.content.title.startswith("ZB")
        assert not app.screen.content.subject and not app.screen.content.hint
        assert "显示个人信息" not in screen_text(app).splitlines()[-1]
        await pilot.press("escape", "3")
        await settled(app, pilot)
        table = desk_panel(app, "services").table
        for key, personal in (("sv0", False), ("sv1", True)):  # a class; a meal round to two households
            table.move_cursor(row=table.keys.index(key))
            await pilot.press("enter")
            await settled(app, pilot)
            assert isinstance(app.screen, DetailScreen), key
            assert bool(app.screen.content.subject) is personal, key
            assert ("显示个人信息" in screen_text(app).splitlines()[-1]) is personal, key
            await pilot.press("escape")
            await settled(app, pilot)


async def test_entries_of_the_same_minute_are_listed_newest_first(small_store: Store) -> None:
    """Newest first means by time, then by id: three calls logged in one minute were listed oldest
    first. A call written down later with an earlier time still goes below them."""
    now = clock.now()
    same = [log_entry(small_store, kind=LogKind.CALL, content=f"第{n}个来电") for n in (1, 2, 3)]
    earlier = log_entry(small_store, kind=LogKind.CALL, content="补记的来电", at=now - timedelta(minutes=5))
    async with dashboard(small_store) as (app, pilot):
        keys = [k for k in desk_panel(app, "dutylog").table.keys if not k.startswith("incident:")]
        assert keys == [e.id for e in (*reversed(same), earlier)]


async def test_an_incident_without_a_title_is_refused_beside_its_title(small_store: Store) -> None:
    """Its 突发事件 log line is written first and its content is the title: an empty title was refused
    as the line's content, 必填 under 内容 (the description) while 事件名称 was the field left empty."""
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("5", "i")
        await settled(app, pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        await fill(pilot, form, category="accident")
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        assert app.screen is form
        assert "必填" in str(form.query_one("#error-title").render())
        assert str(form.query_one("#error-description").render()) == ""
    assert small_store.all(Incident) == [] and small_store.all(DutyLogEntry, "2026-11") == []


async def test_an_incident_form_marks_its_title_and_category_together(small_store: Store) -> None:
    """Saved empty, the form said 必填 under 事件类别 alone; once a category was chosen, the next save
    said 必填 under 事件名称: every empty required field is marked at once, as the other forms do."""
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("5", "i")
        await settled(app, pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        assert app.screen is form
        assert "必填" in str(form.query_one("#error-title").render())
        assert "必填" in str(form.query_one("#error-category").render())
    assert small_store.all(Incident) == []


async def test_the_header_keeps_every_count_that_needs_action_in_its_width(small_store: Store) -> None:
    """With an incident's report clock in the header at 120 columns, the line ran past the edge and
    cut off 迟到 and 欠费 (counts that need action). The visits, then who is on duty, give way first."""
    open_incident(small_store, title="河堤渗水", category=next(iter(IncidentCategory)), description="巡查发现")
    for size, on_duty in (((120, 40), False), ((200, 40), True)):
        async with dashboard(small_store, size) as (app, pilot):
            await settled(app, pilot)
            header = "".join(str(app.query_one(part).render()) for part in ("#head-title", "#clock", "#headline"))
            assert cell_len(header) <= size[0], header
            assert "续报" in header or "首报" in header, header
            for count in ("未结", "超期", "今日到期", "迟到", "欠费"):
                assert count in header, header
            assert ("值班:" in header) is on_duty, header


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_at_80_columns_the_title_gives_way_before_a_count_that_needs_action(
    tmp_path: Path, frozen_clock: str, lang: str
) -> None:
    """At 80 columns with an incident's report in the header, the counts that need action fell off
    while the title (township 值班室, the year, the weekday) never gave way: Chinese lost 迟到 and
    欠费, English kept only "open 24", and with the report late no count fitted. The title gives way
    (the year, the weekday, 值班室) and a late report's due time; a count is left out only whole."""
    from store.demo import build_demo

    store = tmp_path / "demo"
    build_demo(Store(store, actor="builder"))
    words = {
        "zh": ("未结", "超期", "今日到期", "迟到未签", "欠费"),
        "en": ("open", "overdue", "due today", "absent", "arrears"),
    }[lang]
    for moment in ("09:30", "14:00"):  # the demo's 续报 due at 13:30, then late
        clock.freeze(datetime.fromisoformat(f"2026-11-28T{moment}:00+08:00"))
        async with dashboard(Store(store, actor="duty-officer"), NARROW, lang=lang) as (app, pilot):
            await settled(app, pilot)
            assert app.data is not None
            h = app.data.headline
            numbers = dict(
                zip(words, (h.open, h.overdue, h.due_today, h.late_sessions, h.arrears_holders), strict=True)
            )
            title = str(app.query_one("#head-title").render())
            header = "".join(str(app.query_one(part).render()) for part in ("#head-title", "#clock", "#headline"))
            assert cell_len(header) <= NARROW[0], header
            counts = str(app.query_one("#headline").render())
            assert ("超时" in counts or " late" in counts.split("  ")[0]) is (moment == "14:00"), counts
            for word in words[1:]:  # each count that needs action, whole, with its number
                if numbers[word]:
                    assert re.search(rf"(^|\s){word} {numbers[word]}(\s|$)", counts), (word, header)
            assert "11-28" in title and "2026" not in title, title  # the year gave way, the day did not
            assert "孟轲乡" in title, title


async def test_the_header_gives_way_in_its_order(small_store: Store) -> None:
    """What gives way, one step at a time, before any count: the visits, who is on duty, the
    report's stage said shorter, the year, the weekday, 值班室, a late report's due time; then counts
    at zero (from the last), then 未结 (open), then the rest from the last."""
    open_incident(small_store, title="河堤渗水", category=next(iter(IncidentCategory)), description="巡查发现")
    now = datetime.fromisoformat("2026-11-28T15:00:00+08:00")  # the first report long late
    data = dashboard_data(small_store, now)
    assert data.duty.next_report is not None
    present = Presenter("en")
    h = data.headline._replace(late_sessions=0, overdue=3, due_today=2, arrears_holders=1)
    widest = present.header(h, "me", now, width=500, duty=data.duty)
    seen: list[str] = []
    for width in range(sum(part.cell_len for part in widest) + 5, 0, -1):
        title, counts = present.header(h, "me", now, width=width, duty=data.duty)
        said = f"{title.plain}|{counts.plain}"
        if not seen or seen[-1] != said:
            seen.append(said)
    gone = [
        "visits",
        "on duty:",
        "first report (phone)",  # the stage's long words; the short one stays
        "2026-",
        "Sat",
        "duty room",
        "(due",
        "absent 0",
        "open",
        "arrears 1",
        "due today 2",
        "overdue 3",
    ]
    for before, after in itertools.pairwise(seen):
        lost = [word for word in gone if word in before and word not in after]
        assert len(lost) == 1, (before, after)
        assert lost[0] == gone[0], (lost, before, after)
        gone.pop(0)
    assert gone == [], gone


@pytest.mark.parametrize(
    ("lang", "said"), [("zh", "下一报送：续报 13:30（剩4时）"), ("en", "next report: update at 13:30 (in 4h)")]
)
async def test_at_120_columns_panel_5_says_when_the_next_report_is_due(
    tmp_path: Path, frozen_clock: str, lang: str, said: str
) -> None:
    """In a third of the screen the line under panel 5's title wrapped onto a line no one sees and
    lost its time: 下一报送：SJ261128-01 续报, then nothing. The incident's id gives way first (FitLine's
    shorter versions); a panel's line that does not fit even so ends in …, as its table's cells do."""
    from store.demo import build_demo

    build_demo(Store(tmp_path / "demo", actor="builder"))
    async with dashboard(Store(tmp_path / "demo", actor="duty-officer"), lang=lang) as (app, pilot):
        await settled(app, pilot)
        drawn = screen_text(app)
        assert said in drawn, drawn
        assert ("收费 月¥2,686 年¥32,384 累计¥154,052" if lang == "zh" else "fees: month ¥2,686, year ¥32,384") in drawn


async def test_the_shift_form_marks_every_bad_field_at_once(small_store: Store) -> None:
    """排班 showed its errors one at a time: a bad day alone, then once it was fixed the number of
    值班员, then the leader's name. Like every other form it marks them all at once."""
    before = store_bytes(small_store.root)
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("5", "s")
        await settled(app, pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        await fill(pilot, form, day="2026-11-31", leader="", staff="甲、乙、丙")
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        assert app.screen is form
        errors = {key: str(form.query_one(f"#error-{key}").render()) for key in ("day", "leader", "staff")}
        # 2026-11-31 is written as asked: the calendar has no such day, said as such.
        assert errors == {
            "day": "日历上没有 2026-11-31 这一天",
            "leader": "必填",
            "staff": "每班值班员一至二人（现为 3 人）",
        }
        await fill(pilot, form, day="2026/11/30")
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        assert str(form.query_one("#error-day").render()) == "日期写成 2026-12-02"
        await fill(pilot, form, day="2026-11-30", leader="郭红梅", staff="王丽娟、郭红梅")
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        errors = {key: str(form.query_one(f"#error-{key}").render()) for key in ("day", "leader", "staff")}
        assert errors == {"day": "", "leader": "", "staff": "同一人不能在一个班次里出现两次"}
        # A day gone by (11-01 typed for 12-01) wrote a shift nobody could correct: refused at the day.
        await fill(pilot, form, day="2026-11-01", staff="王丽娟")
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        assert app.screen is form
        said = str(form.query_one("#error-day").render())
        assert said.startswith("班次 2026-11-01 08:00 – 11-02 08:00 已结束，不能再排班"), said
    assert store_bytes(small_store.root) == before


async def test_replanning_a_shift_from_the_dashboard_keeps_the_phones_of_who_stays(small_store: Store) -> None:
    """The form asks for no phones, and planning tomorrow's shift again dropped every phone on record."""
    phones = {"郭红梅": "13703932001", "王丽娟": "13703932011", "刘晓宇": "13703932018"}
    plan_shift(small_store, date(2026, 11, 29), leader="郭红梅", staff=["王丽娟", "刘晓宇"], phones=phones)
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("5", "s")
        await settled(app, pilot)
        form = app.screen
        assert isinstance(form, FormScreen) and form.values()["day"] == "2026-11-29"
        await fill(pilot, form, leader="郭红梅", staff="王丽娟、陈志刚")
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        assert not isinstance(app.screen, FormScreen)
    shift = find_shift(small_store, "duty-20261129")
    assert (shift.staff, shift.phones) == (["王丽娟", "陈志刚"], {"郭红梅": "13703932001", "王丽娟": "13703932011"})


async def test_the_shift_form_shows_tomorrows_plan_to_change(small_store: Store) -> None:
    """排班 opened blank though tomorrow was planned: to swap one 值班员 the officer had to know and
    type every name again. It opens with tomorrow's people as they stand."""
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("5", "s")
        await settled(app, pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        assert (form.values()["leader"], form.values()["staff"]) == ("", "")  # nothing planned yet
        await pilot.press("escape")
        await settled(app, pilot)
    plan_shift(small_store, date(2026, 11, 29), leader="郭红梅", staff=["王丽娟", "刘晓宇"])
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("5", "s")
        await settled(app, pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        assert (form.values()["leader"], form.values()["staff"]) == ("郭红梅", "王丽娟、刘晓宇")
        await fill(pilot, form, staff="王丽娟、陈志刚")
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        assert not isinstance(app.screen, FormScreen)
    assert find_shift(small_store, "duty-20261129").staff == ["王丽娟", "陈志刚"]


async def test_a_log_entry_just_written_is_under_the_cursor(small_store: Store) -> None:
    """记录 from the bottom of a long log: the new line (the newest, at the top) is the cursor's, so
    n (the case it calls for) or Enter acts on it, not on the line the officer was on before."""
    for n in range(12):
        log_entry(small_store, kind=LogKind.CALL, content=f"早先的来电{n}", at=clock.now() - timedelta(minutes=60 - n))
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("5", "end")
        table = desk_panel(app, "dutylog").table
        before = table.cursor_key
        await pilot.press("l")
        await settled(app, pilot)
        await fill(pilot, app.screen, content="玉兰社区停水")  # type: ignore[arg-type]
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        [new] = [e for e in small_store.all(DutyLogEntry, "2026-11") if e.content == "玉兰社区停水"]
        assert table.keys[0] == new.id and before != new.id
        assert table.cursor_key == new.id


async def test_a_detail_shows_a_long_entry_and_a_report_note_whole_at_80_columns(small_store: Store) -> None:
    """What the next shift reads in a detail is the whole text: at 80x24 an entry's content and an
    incident's report note longer than the box were cut at its edge (…老人夜间 …), and nowhere in
    the dashboard could the rest be read. A long line wraps in the box."""
    content = "丁香社区2号楼1单元居民来电反映楼道灯坏了三天，老人夜间上下楼不便，请物业尽快维修并回复结果"
    note = "书面报告已通过政务内网报送区应急管理局，并电话确认对方值班员已收到，附现场照片三张和处置进展说明"
    incident = open_incident(small_store, title="车库燃气泄漏", category=IncidentCategory.ACCIDENT)
    report_incident(small_store, incident.id, stage=ReportStage.PHONE, to="区应急管理局值班室", note=note)
    log_entry(small_store, kind=LogKind.CALL, content=content, caller="李大妈")
    async with dashboard(small_store, NARROW) as (app, pilot):
        for row, whole in ((0, note), (1, content)):  # the incident, then the call (the newest line)
            table = desk_panel(app, "dutylog").table
            await pilot.press("5")
            table.move_cursor(row=row)
            await pilot.press("enter")
            await settled(app, pilot)
            assert isinstance(app.screen, DetailScreen)
            painted = "".join(line.strip(" █▀▄") for line in screen_text(app).splitlines())
            assert whole in painted.replace(" ", ""), (row, screen_text(app))
            await pilot.press("escape")
            await settled(app, pilot)


async def test_an_incident_detail_says_when_it_happened(small_store: Store) -> None:
    """事发时间 was kept but shown nowhere on panel 5: the detail said only 接报时间."""
    known = datetime.fromisoformat("2026-11-28T08:00:00+08:00")
    happened = known - timedelta(minutes=25)
    open_incident(
        small_store, title="车库燃气泄漏", category=IncidentCategory.ACCIDENT, known_at=known, occurred_at=happened
    )
    for lang, occurred, known_words in (("zh", "事发时间", "接报时间"), ("en", "Occurred at", "Known at")):
        async with dashboard(small_store, NARROW, lang=lang) as (app, pilot):
            await pilot.press("5", "enter")
            await settled(app, pilot)
            assert isinstance(app.screen, DetailScreen)
            fields = [(k, v.plain) for k, v in app.screen.content.fields]
            at = fields.index((occurred, "2026-11-28 07:35"))
            assert fields[at + 1] == (known_words, "2026-11-28 08:00")


async def test_an_incident_detail_marks_a_report_made_late(small_store: Store) -> None:
    """迟报 is held to account: a 书面报告 made at 09:15, due at 09:00, read in the incident's
    detail exactly like one made in time (only the hand-over listed it). Its line now says it was
    late, when it was due and by how much; one made in time says nothing of the kind."""
    known = datetime.fromisoformat("2026-11-28T08:00:00+08:00")
    incident = open_incident(small_store, title="车库燃气泄漏", category=IncidentCategory.ACCIDENT, known_at=known)
    report_incident(small_store, incident.id, stage=ReportStage.PHONE, to="区应急管理局值班室", at=known)
    late = known + timedelta(minutes=75)  # the written report was due 60 minutes after 接报
    report_incident(small_store, incident.id, stage=ReportStage.WRITTEN, to="区应急管理局值班室", at=late)
    for lang, said in (("zh", "迟报：应于 09:00，超时15分钟"), ("en", "late: due 09:00, 15 min late")):
        async with dashboard(small_store, NARROW, lang=lang) as (app, pilot):
            await pilot.press("5", "enter")
            await settled(app, pilot)
            assert isinstance(app.screen, DetailScreen)
            phone, written = (line.plain for line in app.screen.content.sections[0][1])
            assert written.endswith(said), (lang, written)
            assert not any(word in phone for word in ("迟报", "late")), phone


# -- c: correct a log entry from the dashboard ------------------------------------------------------


async def test_c_corrects_the_selected_entry_through_a_form_and_its_detail_says_so(small_store: Store) -> None:
    """A log entry could be corrected only from the command line (duty correct). `c` on panel 5 opens
    the entry's fields (those duty correct can change) and the reason; the caller and the phone show
    masked and are kept unless typed anew; saved, the correction is in the entry's detail."""
    entry = log_entry(
        small_store,
        kind=LogKind.CALL,
        content="3号楼漏水",
        caller="李大妈",
        phone="13912345678",
        action_taken="已通知物业",
    )
    async with dashboard(small_store, NARROW) as (app, pilot):
        await pilot.press("5")
        await settled(app, pilot)
        footer = screen_text(app).splitlines()[-1]
        assert "c 更正" in footer, footer
        titles = [command.title for command in desk_panel(app, "dutylog").commands()]
        assert "更正 · 3号楼漏水" in titles, titles
        await pilot.press("c")
        await settled(app, pilot)
        form = app.screen
        assert isinstance(form, FormScreen) and entry.id in screen_text(app)
        shown = screen_text(app)
        assert "李大妈" not in shown and "13912345678" not in shown and "李**" in shown and "139****5678" in shown
        assert form.query_one("#field-content", Input).value == "3号楼漏水"

        await fill(pilot, form, content="3号楼2单元漏水")
        before = store_bytes(small_store.root)
        await pilot.press("ctrl+s")  # no reason: refused beside it, nothing written
        await settled(app, pilot)
        assert app.screen is form and "更正需写明原因" in str(form.query_one("#error-note").render())
        assert store_bytes(small_store.root) == before

        await fill(pilot, form, note="来电人更正单元号")
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        assert not isinstance(app.screen, FormScreen)
        assert app.query_one("#status", StatusLine).message == f"已更正 {entry.id}"
        [stored] = small_store.all(DutyLogEntry, "2026-11")
        [event] = stored.history
        assert event.action == "correct" and event.changes == {"content": "3号楼2单元漏水"}
        assert event.note == "来电人更正单元号" and event.actor == "duty-officer"
        assert stored.current().caller == "李大妈" and stored.current().phone == "13912345678"  # kept
        await pilot.press("enter")
        await settled(app, pilot)
        assert isinstance(app.screen, DetailScreen)
        history = [line.plain for _, lines in app.screen.content.sections for line in lines]
        assert any("更正 内容：3号楼漏水 → 3号楼2单元漏水（来电人更正单元号）" in line for line in history), history


async def test_an_emptied_caller_or_phone_is_removed_by_the_correction_form(small_store: Store) -> None:
    """A wrong phone typed into an entry could be removed only from the command line (`duty correct
    --set phone=`): the form's caller and phone were empty fields meaning "kept". They now show the
    masked value: left so, kept; emptied, removed (the form's line says so); typed on the stars,
    refused beside the field; emptying what is already empty changes nothing, refused as the CLI
    refuses it."""
    entry = log_entry(small_store, kind=LogKind.CALL, content="3号楼漏水", caller="李大妈", phone="13912345678")
    bare = log_entry(small_store, kind=LogKind.CALL, content="路灯不亮")
    async with dashboard(small_store, NARROW) as (app, pilot):
        await pilot.press("5")
        await settled(app, pilot)
        assert desk_panel(app, "dutylog").table.cursor_key == bare.id  # newest on top
        await pilot.press("down", "c")
        await settled(app, pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        assert "来电人、电话：不改则保留，清空即删除" in screen_text(app)
        assert form.query_one("#field-caller", Input).value == "李**"
        assert form.query_one("#field-phone", Input).value == "139****5678"

        before = store_bytes(small_store.root)
        await fill(pilot, form, caller="李**明", phone="", note="号码记错")  # typed on the masked name
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        assert app.screen is form and "不能在上面改" in str(form.query_one("#error-caller").render())
        assert store_bytes(small_store.root) == before

        await fill(pilot, form, caller="李**")  # as shown again: kept; the phone stays emptied
        assert "清空：保存时删除（原为 139****5678）" in screen_text(app)  # the emptied field says what it does
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        assert not isinstance(app.screen, FormScreen)
        [event] = small_store.get(DutyLogEntry, entry.id, "2026-11").history
        assert event.changes == {"phone": ""}
        now = small_store.get(DutyLogEntry, entry.id, "2026-11").current()
        assert now.phone is None and now.caller == "李大妈"

        await pilot.press("up", "c")  # no caller, no phone: nothing to keep or remove, and no such line
        await settled(app, pilot)
        form = app.screen
        assert isinstance(form, FormScreen) and "清空即删除" not in screen_text(app)
        assert form.query_one("#field-phone", Input).value == ""
        await fill(pilot, form, note="删除电话")
        before = store_bytes(small_store.root)
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        assert app.screen is form and store_bytes(small_store.root) == before  # 更正与原记录相同, as the CLI says
        assert "相同" in screen_text(app)


async def test_c_on_an_incident_is_refused_and_a_viewer_has_no_c(small_store: Store) -> None:
    log_entry(small_store, kind=LogKind.CALL, content="3号楼漏水")
    open_incident(small_store, title="车库燃气泄漏", category=IncidentCategory.ACCIDENT)
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("5", "c")  # the incident is on top
        await settled(app, pilot)
        assert not isinstance(app.screen, FormScreen)
        assert "请先选中一条值班记录" in app.query_one("#status", StatusLine).message
    before = store_bytes(small_store.root)
    async with dashboard(small_store, read_only=True) as (app, pilot):
        await pilot.press("5", "down")
        await settled(app, pilot)
        assert "更正" not in screen_text(app).splitlines()[-1]
        assert not any(c.title.startswith("更正") for c in desk_panel(app, "dutylog").commands())
        await pilot.press("c")
        await settled(app, pilot)
        assert not isinstance(app.screen, FormScreen)
    assert store_bytes(small_store.root) == before


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_a_fault_on_a_form_says_not_saved_and_the_status_line_drops_the_last_success(
    small_store: Store, lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fault inside a form (access denied, disk full) named the file and the error but not that
    nothing was saved; and the status line beneath still said the last write's 已记录 ZB… while the
    form showed the refusal. The form says 未保存 (Not saved), the status line no longer speaks of
    the earlier write; so with a refusal beside a field."""
    import duty_room.panels.dutylog as panel
    from store.errors import PermissionDeniedError

    path = small_store.root / "duty_log" / "2026-11.json"

    def denied(*_: object, **__: object) -> object:
        raise PermissionDeniedError(path, PermissionError(13, "Permission denied"))

    async with dashboard(small_store, lang=lang) as (app, pilot):
        status = app.query_one("#status", StatusLine)
        await pilot.press("5", "l")
        await settled(app, pilot)
        await fill(pilot, app.screen, content="3号楼漏水")
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        assert status.message.lower().startswith(("已记录", "logged"))

        monkeypatch.setattr(panel, "log_entry", denied)
        await pilot.press("l")
        await settled(app, pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        await fill(pilot, form, content="4号楼漏水")
        before = store_bytes(small_store.root)
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        assert app.screen is form and store_bytes(small_store.root) == before
        line = str(form.query_one("#form-error").render())
        assert line.startswith("未保存：" if lang == "zh" else "Not saved: ") and str(path) in line, line
        assert status.message == ""
        await pilot.press("escape", "y")
        await settled(app, pilot)

        await pilot.press("l")
        await settled(app, pilot)
        await fill(pilot, app.screen, content="5号楼漏水")
        monkeypatch.undo()
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        assert status.message.lower().startswith(("已记录", "logged"))
        await pilot.press("c")  # a refusal beside a field (no reason given) does the same
        await settled(app, pilot)
        await fill(pilot, app.screen, content="5号楼2单元漏水")
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        assert isinstance(app.screen, FormScreen) and status.message == ""


async def test_the_shift_form_shows_the_plan_of_the_day_typed(small_store: Store) -> None:
    """排班 showed tomorrow's people whatever day was typed: to change one 值班员 on another planned
    day the officer had to know and type every name again, and saving over a planned day showed
    nothing of what it replaced. The names follow the day typed (a day not planned: none), but a
    name field the officer typed in keeps what was typed."""
    plan_shift(small_store, date(2026, 11, 29), leader="郭红梅", staff=["王丽娟", "刘晓宇"])
    plan_shift(small_store, date(2026, 12, 3), leader="赵国庆", staff=["陈志刚"])
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("5", "s")
        await settled(app, pilot)
        form = app.screen
        assert isinstance(form, FormScreen) and form.focused is form.query_one("#field-day")

        def names() -> tuple[str, str]:
            return form.values()["leader"], form.values()["staff"]

        assert names() == ("郭红梅", "王丽娟、刘晓宇")
        await pilot.press("ctrl+u", *"2026-12-0")  # not yet a day: the names stay
        await settled(app, pilot)
        assert names() == ("郭红梅", "王丽娟、刘晓宇")
        await pilot.press("3")
        await settled(app, pilot)
        assert form.values()["day"] == "2026-12-03"
        assert names() == ("赵国庆", "陈志刚")
        await pilot.press("backspace", "4")  # 12-04: not planned
        await settled(app, pilot)
        assert names() == ("", "")
        await pilot.press("tab", *"李明", "shift+tab", "end", "backspace", "3")  # a leader typed is kept
        await settled(app, pilot)
        assert names() == ("李明", "陈志刚")
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        assert not isinstance(app.screen, FormScreen)
    shift = find_shift(small_store, "duty-20261203")
    assert (shift.leader, shift.staff) == ("李明", ["陈志刚"])


async def test_an_incidents_entry_is_corrected_on_one_line_and_keeps_its_line_break(small_store: Store) -> None:
    """An incident's log line holds its title and its description on two lines (接报 writes them so).
    `c` on it put both lines into the one-line 内容 box as they were: the line break went to the
    terminal, the form's right edge and every line under it were pushed down a line, the description
    at column 0 over the panels. The box shows them on one line; left as shown, the content is kept as
    stored (a correction of another field does not join its lines)."""
    incident = open_incident(
        small_store, title="张庄桥梁垮塌", category=IncidentCategory.ACCIDENT, description="桥面塌陷两人受伤"
    )
    assert incident.entry_id is not None
    async with dashboard(small_store, NARROW) as (app, pilot):
        await pilot.press("5")
        await settled(app, pilot)
        table = desk_panel(app, "dutylog").table
        while table.cursor_key != incident.entry_id:
            await pilot.press("down")
        await pilot.press("c")
        await settled(app, pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        assert form.query_one("#field-content", Input).value == "张庄桥梁垮塌 桥面塌陷两人受伤"
        lines = screen_text(app).splitlines()
        assert len(lines) == NARROW[1], "\n".join(lines)
        [content] = [line for line in lines if "张庄桥梁垮塌" in line]
        assert "桥面塌陷两人受伤" in content
        await fill(pilot, form, reported_to="乡应急办", note="补记报告对象")
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        assert not isinstance(app.screen, FormScreen)
    [event] = small_store.get(DutyLogEntry, incident.entry_id, "2026-11").history
    assert event.changes == {"reported_to": "乡应急办"}


async def test_the_palette_names_an_incidents_entry_on_one_line(small_store: Store) -> None:
    """The palette's 更正 and 报送 on an incident's log line (its title over its description) were
    titled 更正 · 张庄桥梁垮塌 with 桥面塌陷两 on a line of its own; now as the panel shows it (⏎)."""
    incident = open_incident(
        small_store, title="张庄桥梁垮塌", category=IncidentCategory.ACCIDENT, description="桥面塌陷两人受伤"
    )
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("5")
        await settled(app, pilot)
        table = desk_panel(app, "dutylog").table
        while table.cursor_key != incident.entry_id:
            await pilot.press("down")
        titles = [command.title for command in desk_panel(app, "dutylog").commands()]
        assert "更正 · 张庄桥梁垮塌⏎桥面塌陷两" in titles, titles
        assert not any("\n" in title for title in titles), titles
    assert (
        small_store.get(DutyLogEntry, incident.entry_id, "2026-11").current().content
        == "张庄桥梁垮塌\n桥面塌陷两人受伤"
    )


@pytest.mark.parametrize(
    ("lang", "said", "wrong"),
    [
        ("zh", "未结事件0起、本班已终报1起，报送超时1项", "（报送超时"),
        ("en", "open incidents 0, closed this shift 1, late reports 1", "1 log entries"),
    ],
)
def test_the_hand_over_forms_count_of_late_reports_is_not_said_of_the_open_incidents(
    small_store: Store, lang: str, said: str, wrong: str
) -> None:
    """A 书面报告 made late, then the 终报 that closed its incident: the 交班 form said 未结事件0起
    （报送超时1项）, a late report of no open incident. The late reports (made late in the shift or
    owed) are counted after the open and the closed incidents, as the export's 迟报 section lists them
    (and in English the entries as the rest are, `log entries 1`, not `1 log entries`)."""
    incident = open_incident(small_store, title="车库燃气泄漏", category=IncidentCategory.ACCIDENT)
    report_incident(small_store, incident.id, ReportStage.PHONE, to="区应急局")
    clock.freeze(clock.now() + timedelta(minutes=75))  # the 书面报告 (60 minutes) made late
    report_incident(small_store, incident.id, ReportStage.WRITTEN, to="区应急局")
    report_incident(small_store, incident.id, ReportStage.FINAL, to="区应急局")
    summary = handover_summary(Presenter(lang), handover_report(small_store, clock.now()))
    assert said in summary and wrong not in summary, summary


@pytest.mark.parametrize(("lang", "said", "wrong"), [("en", "late reports 1", "1 reports"), ("zh", "报送超时1", "")])
async def test_panel_5s_line_counts_late_reports_in_words_that_fit_one(
    small_store: Store, lang: str, said: str, wrong: str
) -> None:
    """With one report late panel 5's line said `1 reports late` in English (and the hand-over form
    `(1 reports late)`): counted as the line's other parts are, `entries 7  incidents 1`, it reads
    right for any number."""
    open_incident(small_store, title="车库燃气泄漏", category=IncidentCategory.ACCIDENT)
    clock.freeze(clock.now() + timedelta(minutes=31))  # its 首报 (30 minutes) is late
    async with dashboard(small_store, NARROW, lang=lang) as (app, pilot):
        await pilot.press("5")
        await settled(app, pilot)
        line = next(line for line in screen_text(app).splitlines() if line.strip(" │").startswith("5 "))
        assert said in line and (not wrong or wrong not in line), line
    words = Presenter(lang).t("duty.handover_summary")
    assert "reports late" not in words


@pytest.mark.parametrize(
    ("lang", "awaiting", "due"), [("zh", "待接班", "交班08:00"), ("en", "to take over", "handover 08:00")]
)
async def test_panel_5s_line_says_a_shift_handed_over_awaits_its_take_over(
    small_store: Store, lang: str, awaiting: str, due: str
) -> None:
    """Handed over (交班), the shift waited for the incoming officer's 接班, as `duty today` said
    (尚未接班确认); panel 5 went on saying 交班08:00, the next handover's time, as if nobody had
    handed over: only `h` pressed told. Its line says 待接班 until the shift is taken over."""
    from store.handover import acknowledge, pending_handover

    def line(app) -> str:  # noqa: ANN001
        return next(row for row in screen_text(app).splitlines() if row.strip(" │").startswith("5 "))

    async with dashboard(small_store, NARROW, lang=lang) as (app, pilot):
        await pilot.press("5")
        await settled(app, pilot)
        assert due in line(app) and awaiting not in line(app), line(app)
        hand_over_now(small_store, notes="无遗留")
        await settled(app, pilot)
        app.reload()
        await settled(app, pilot)
        assert awaiting in line(app) and due not in line(app), line(app)
        shift = pending_handover(small_store, clock.now())
        assert shift is not None
        acknowledge(Store(small_store.root, actor="wanglj"), shift.id)
        app.reload()
        await settled(app, pilot)
        assert due in line(app) and awaiting not in line(app), line(app)


async def test_the_incident_and_report_forms_take_the_time_of_the_call_and_of_the_report(small_store: Store) -> None:
    """A call taken at 09:00 and logged at 09:30 started its report clocks at 09:30, as did its 首报
    made at 09:40: the forms had no time, so a 迟报 was hidden. They take 接报时间 and 报送时间 now
    (empty: now), as the CLI's --known and --at, and the clocks and 迟报 follow the times typed. A
    time the store refuses (not yet come, before 接报) or that is not a time is refused beside it."""
    async with dashboard(small_store, NARROW) as (app, pilot):
        await pilot.press("5", "i")
        await settled(app, pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        await fill(pilot, form, title="村道塌方", category="accident")
        for typed, said in (("10:00", "还没到"), ("9点", "时间格式不对"), ("2025-11-28 09:00", "早于上一班")):
            await fill(pilot, form, known_at=typed)
            await pilot.press("ctrl+s")
            await settled(app, pilot)
            assert app.screen is form and said in str(form.query_one("#error-known_at").render()), typed
        assert small_store.all(Incident) == []
        await fill(pilot, form, known_at="09:00")
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        [incident] = small_store.all(Incident)
        assert incident.known_at == datetime.fromisoformat("2026-11-28T09:00:00+08:00")

        await pilot.press("r")  # the new incident is under the cursor
        await settled(app, pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        for typed, said in (("08:50", "09:00"), ("9点", "时间格式不对")):  # before 接报; not a time
            await fill(pilot, form, to="区应急管理局值班室", at=typed)
            await pilot.press("ctrl+s")
            await settled(app, pilot)
            assert app.screen is form and said in str(form.query_one("#error-at").render()), typed
        assert find_incident(small_store, incident.id).reports == []
        clock.freeze("2026-11-28T09:45:00+08:00")  # logged at 09:45, made at 09:40: 10 minutes late
        await fill(pilot, form, at="09:40")
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        [report] = find_incident(small_store, incident.id).reports
        assert report.at == datetime.fromisoformat("2026-11-28T09:40:00+08:00")
        await pilot.press("enter")
        await settled(app, pilot)
        assert isinstance(app.screen, DetailScreen)
        phone = app.screen.content.sections[0][1][0].plain
        assert phone.endswith("迟报：应于 09:30，超时10分钟"), phone


async def test_a_log_entry_takes_the_time_it_came_in_and_its_refusal_is_in_view_at_80x24(small_store: Store) -> None:
    """记录 had no time (the CLI's `duty log --at` had): a call taken at 09:05 and written down at
    09:30 was logged at 09:30. The form ends with 来电/来文时间 now. A time not yet come is refused
    beside it, and at 80x24 that reason was below the form's view: the save seemed to do nothing."""
    async with dashboard(small_store, NARROW) as (app, pilot):
        await pilot.press("5", "l")
        await settled(app, pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        for typed, said in (("09:50", "还没到"), ("9点", "时间格式不对")):
            await fill(pilot, form, content="3号楼漏水", at=typed)
            await pilot.press("ctrl+s")
            await settled(app, pilot)
            assert app.screen is form and said in screen_text(app), typed
        assert small_store.all(DutyLogEntry, "2026-11") == []
        await fill(pilot, form, at="09:05")
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        [entry] = small_store.all(DutyLogEntry, "2026-11")
        assert entry.content == "3号楼漏水" and entry.at == datetime.fromisoformat("2026-11-28T09:05:00+08:00")


async def test_the_log_form_refuses_a_time_before_the_previous_shift_beside_it(small_store: Store) -> None:
    """The 记录 form took 2025-11-28 09:00 (a slip of the year) into a shift a year gone, as `duty log
    --at` did: refused beside the time, saying when the previous shift began and how to enter a late
    entry on purpose; nothing written. A time in the previous shift is taken."""
    async with dashboard(small_store, NARROW) as (app, pilot):
        await pilot.press("5", "l")
        await settled(app, pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        before = len(small_store.all(DutyLogEntry, "2025-11")), len(small_store.all(DutyLogEntry, "2026-11"))
        await fill(pilot, form, content="来电：路灯不亮", at="2025-11-28 09:00")
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        said = str(form.query_one("#error-at").render())
        assert app.screen is form and said.startswith("时间 2025-11-28 09:00 早于上一班（2026-11-27 08:00 起）"), said
        assert "--late" in said
        assert (len(small_store.all(DutyLogEntry, "2025-11")), len(small_store.all(DutyLogEntry, "2026-11"))) == before
        await fill(pilot, form, at="2026-11-27 09:00")
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        assert app.screen is not form
        assert len(small_store.all(DutyLogEntry, "2026-11")) == before[1] + 1


async def test_a_case_from_an_entry_shows_the_callers_name_and_phone_masked_and_keeps_them(small_store: Store) -> None:
    """n on a log entry filled the new case's 反映人 and 电话 with the caller's name and phone as
    stored (李大妈, 13912345678): personal data the entry's own detail masks, shown whole to a desk
    that may not reveal, and no reveal logged. Now they show masked, as in 更正: left as shown, the
    case takes the entry's; emptied, the case has none; typed on the stars, refused."""
    log_entry(small_store, kind=LogKind.CALL, content="3号楼漏水", caller="李大妈", phone="13912345678")
    log_entry(small_store, kind=LogKind.CALL, content="5号楼停水", caller="王大爷", phone="13800001111")
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("5")
        await settled(app, pilot)
        for content, typed, expected in (
            ("3号楼漏水", {}, ("李大妈", "13912345678")),
            ("5号楼停水", {"reporter_phone": ""}, ("王大爷", None)),
        ):
            entry, form = await case_form_of(app, pilot, small_store, content)
            values = form.values()
            assert values["reporter_name"] == f"{expected[0][0]}**", values
            assert values["reporter_phone"].count("*") == 4, values
            assert entry.phone not in screen_text(app) and entry.caller not in screen_text(app)
            if content == "3号楼漏水":  # typed on the masked value: the stars are no part of a name
                await fill(pilot, form, reporter_name="李**明", title="3号楼漏水", category="infrastructure")
                await pilot.press("ctrl+s")
                await settled(app, pilot)
                assert app.screen is form and "不能在上面改" in screen_text(app)
                await fill(pilot, form, reporter_name="李**")
            await fill(pilot, form, title=content, category="infrastructure", community_id="dongcheng", **typed)
            await pilot.press("ctrl+s")
            await settled(app, pilot)
            assert not isinstance(app.screen, FormScreen), screen_text(app)
            case = next(p for p in small_store.all(Petition) if p.title == content)
            assert (case.reporter_name, case.reporter_phone) == expected
    assert not (small_store.root / "audit").exists()  # nothing revealed, nothing to log


async def test_a_case_from_an_entry_is_prefilled_with_the_channel_its_kind_came_by(small_store: Store) -> None:
    """n on a walk-in (来访) or a patrol's find (巡查) prefilled the case's 渠道 with 12345热线. A call
    stays a hotline case, a patrol's find is a grid report (网格员上报); a walk-in, which no channel
    names, is left for the officer to choose (请选择), and saved without one the field says so."""
    for kind, content in (
        (LogKind.CALL, "3号楼漏水"),
        (LogKind.PATROL, "河堤护栏缺损"),
        (LogKind.VISIT, "来访反映低保"),
    ):
        log_entry(small_store, kind=kind, content=content, community_id="dongcheng")
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("5")
        await settled(app, pilot)
        for content, channel in (("3号楼漏水", "hotline"), ("河堤护栏缺损", "grid_report"), ("来访反映低保", "")):
            _, form = await case_form_of(app, pilot, small_store, content)
            assert form.values()["channel"] == channel, (content, form.values())
            assert channel or "请选择" in str(form.query_one("#field-channel", Select).prompt)
            await fill(pilot, form, category="infrastructure")
            await pilot.press("ctrl+s")
            await settled(app, pilot)
            if not channel:
                assert app.screen is form, "saved without a channel"
                assert "必填" in str(form.query_one("#error-channel").render()), screen_text(app)
                await fill(pilot, form, channel="talk_point")
                await pilot.press("ctrl+s")
                await settled(app, pilot)
            assert not isinstance(app.screen, FormScreen), screen_text(app)
            [case] = [p for p in small_store.all(Petition) if p.title == content]
            assert case.channel.value == (channel or "talk_point")


async def test_the_log_form_offers_a_walk_in_and_a_patrol(small_store: Store) -> None:
    """记录's kinds were 来电 / 来文 / 上级指示 / 突发事件 / 其他: a walk-in was 其他. 来访 and 巡查 are
    offered, saved as such and listed under 类别 as what they are; the form's words fit them too."""
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("5", "l")
        await settled(app, pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        offered = [name for spec in form.fields if spec.key == "kind" for _, name in spec.options]
        assert "来访" in offered and "巡查" in offered, offered
        assert "来电/来访人" in screen_text(app), screen_text(app)
        await fill(pilot, form, content="村民来访反映低保", kind=LogKind.VISIT.value, caller="赵大爷")
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        [entry] = [e for e in small_store.all(DutyLogEntry, "2026-11") if e.content == "村民来访反映低保"]
        assert entry.kind is LogKind.VISIT
        assert "来访" in screen_text(app)


async def test_an_entry_detail_says_who_wrote_it_and_when(small_store: Store) -> None:
    """An entry's detail said who corrected it, never who wrote it: 记录人 (the account) and when it was
    written, which a late entry's time (a call at 09:05 written at 09:30) does not say."""
    writer = Store(small_store.root, actor="wanglj")
    entry = log_entry(writer, kind=LogKind.VISIT, content="村民来访", at=clock.now() - timedelta(minutes=25))
    correct_entry(small_store, entry.id, {"content": "村民来访反映低保"}, note="补全")
    async with dashboard(small_store, NARROW) as (app, pilot):
        await pilot.press("5", "enter")
        await settled(app, pilot)
        screen = app.screen
        assert isinstance(screen, DetailScreen)
        fields = {name: value.plain for name, value in screen.content.fields}
        assert fields["记录人"] == f"wanglj {clock.now():%Y-%m-%d %H:%M}", fields
        assert "记录人" in screen_text(app) and "wanglj" in screen_text(app)


async def test_the_report_form_says_which_report_is_due_by_when_and_records_who_made_it(small_store: Store) -> None:
    """r's title was 报送：燃气泄漏: which report was owed, and by when, was to be looked up first. It
    says both (SJ… 燃气泄漏：书面报告 应于 10:15 前), and the form records who made the report (报送人,
    this desk's account unless typed, as the CLI's --by); the account that wrote it down is kept apart."""
    incident = open_incident(small_store, title="燃气泄漏", category=IncidentCategory.ACCIDENT)
    report_incident(small_store, incident.id, ReportStage.PHONE, to="区应急管理局值班室")
    written_due = incident.known_at + timedelta(minutes=60)
    async with dashboard(small_store, NARROW) as (app, pilot):
        await pilot.press("5")
        desk_panel(app, "dutylog").table.select_key(f"incident:{incident.id}")
        await pilot.press("r")
        await settled(app, pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        title = f"{incident.id} 燃气泄漏：书面报告 应于 {written_due:%H:%M} 前"
        assert form.texts.title == title and title in screen_text(app), screen_text(app)
        assert form.query_one("#field-by", Input).value == "duty-officer"
        await fill(pilot, form, by="郭红梅")
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        made = find_incident(small_store, incident.id).reports[-1]
        assert (made.stage, made.by, made.recorded_by) == (ReportStage.WRITTEN, "郭红梅", "duty-officer")


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_an_incidents_log_line_names_its_incident_whole_at_80_columns(small_store: Store, lang: str) -> None:
    """At 80x24 an incident's log line said 见事件 SJ2611… (see SJ2611…): the id it points to, cut. It
    is whole, as an incident row's report due is; the content gives way around it."""
    incident = open_incident(
        small_store, title="东城花园5号楼地下车库燃气管道泄漏，已疏散车库人员", category=IncidentCategory.ACCIDENT
    )
    async with dashboard(small_store, NARROW, lang=lang) as (app, pilot):
        await pilot.press("5")
        await settled(app, pilot)
        table = desk_panel(app, "dutylog").table
        [line] = [key for key in table.keys if key.startswith("ZB")]
        said = table.cell(line, 4).plain
        assert said.endswith(incident.id)
        row = screen_text(app).splitlines()[table.region.y + 1 + table.keys.index(line)]
        assert said in row, row
