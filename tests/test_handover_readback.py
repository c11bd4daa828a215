"""A shift already handed over is exported as it was handed over.

The handover record lists the log entries, open incidents, late reports and overdue cases the
outgoing officer handed over (store/handover.py). An export made later (the command line's
`handover --shift X --out F` or `--ack --out F`) shows exactly those, as they were at the hand-over,
with what became of them since said as now; what the shift logged after the hand-over is under its
own heading (交班后记录), never among what was handed over."""

from __future__ import annotations

import io
import json
import re
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from duty_room.handover_export import render_markdown, render_xlsx
from store import clock
from store.duty_models import IncidentCategory, LogKind, ReportStage
from store.dutylog import correct_entry, log_entry, open_incident, plan_shift, report_incident
from store.handover import HandoverContents, HandoverReport, find_handover, hand_over, handover_report
from store.lifecycle import change_status, register
from store.models import Community, Petition, PetitionStatus, Satisfaction
from store.storage import Store, default_actor

from conftest import run

TZ = clock.TZ
SHIFT = "duty-20261128"


def at(when: str) -> datetime:
    """Move the frozen clock (Beijing time)."""
    moment = datetime.fromisoformat(when).replace(tzinfo=TZ)
    clock.freeze(moment)
    return moment


@pytest.fixture
def township(tmp_path: Path) -> Path:
    """A township with one case that is overdue on the 28th (due 11-27 09:00), being handled."""
    at("2026-11-20T09:00")
    root = tmp_path / "store"
    with Store(root, actor="setup").transaction() as tx:
        tx.put(Community(id="dongcheng", name="东城花园社区", township="孟轲乡"))
    store = Store(root, actor="wanglj")
    case = register(
        store, {"title": "楼道灯坏了", "channel": "hotline", "category": "other", "community_id": "dongcheng"}
    )
    assert case.id == "MK261120-001"
    for step in (PetitionStatus.ACCEPTED, PetitionStatus.DISPATCHED, PetitionStatus.IN_PROGRESS):
        change_status(store, case.id, step, note="处理中", assignee="综合执法队")
    plan_shift(store, date(2026, 11, 28), leader="郭红梅", staff=["王丽娟"])
    return root


def recorded_part(markdown: str) -> str:
    """The export without what it says as now: the header's time of export and its note, each
    "现状" (status now), and the 交班后记录 section. What is left is what was handed over."""
    kept = markdown.split("\n## 交班后记录")[0].split("\n## Logged after the handover")[0]
    kept = re.sub(r"；导出于 [\d: -]+", "", kept)
    kept = re.sub(r"\n\n以下为交班时交接的内容[^\n]*", "", kept)
    kept = re.sub(r"\n  - 现状：[^\n]*", "", kept)
    kept = re.sub(r"；现状：[^）]*", "", kept)  # a case's status now, in its brackets
    return re.sub(r"（现状：[^）]*）", "", kept).rstrip() + "\n"  # a closed case's, in brackets of its own


def sheets(data: bytes) -> dict[str, list[list[object]]]:
    book = load_workbook(io.BytesIO(data))
    return {ws.title: [list(row) for row in ws.iter_rows(values_only=True)] for ws in book}


def hand_over_at_10_45(root: Path) -> tuple[HandoverReport, dict[str, str]]:
    """Two calls and an incident logged, its 首报 late (due 10:30), the case overdue: handed over at 10:45."""
    store = Store(root, actor="wanglj")
    at("2026-11-28T10:00")
    call = log_entry(store, kind=LogKind.CALL, content="3号楼路灯不亮", caller="赵六")
    incident = open_incident(store, title="车库积水", category=IncidentCategory.NATURAL)
    at("2026-11-28T10:45")
    handed = hand_over(store, handover_report(store, clock.now()), notes="积水待抽排")
    assert handed.handover is not None
    ids = {"call": call.id, "incident": incident.id, "incident_entry": incident.entry_id or ""}
    return handed, ids


def test_an_export_after_the_handover_shows_what_was_handed_over(township: Path) -> None:
    """Handed over at 10:45; then a call logged, the late 首报 made, the overdue case resolved, the
    incident's 终报 made: exported at 11:30, the handed-over part is the record's, unchanged but for what
    it says as now, and the call is under 交班后记录 alone."""
    handed, ids = hand_over_at_10_45(township)
    record = handed.handover
    assert record is not None
    assert record.entry_ids == [ids["call"], ids["incident_entry"]] and record.open_incident_ids == [ids["incident"]]
    assert record.overdue_case_ids == ["MK261120-001"] and len(record.late_reports) == 1 and record.open_cases == 1
    given_md, given_xlsx = render_markdown(handed), sheets(render_xlsx(handed))
    assert "交班后记录" not in given_md and "现状" not in given_md  # at the hand-over nothing came after

    store = Store(township, actor="wanglj")
    at("2026-11-28T11:00")
    after = log_entry(store, kind=LogKind.CALL, content="交班后来电：井盖松动")
    report_incident(store, ids["incident"], ReportStage.PHONE, to="区应急局")  # 30 minutes late
    at("2026-11-28T11:10")
    change_status(store, "MK261120-001", PetitionStatus.RESOLVED, note="已更换灯泡")
    at("2026-11-28T11:20")
    report_incident(store, ids["incident"], ReportStage.FINAL, to="区应急局", note="积水已抽排")

    at("2026-11-28T11:30")
    later = handover_report(store, clock.now(), shift_id=SHIFT)
    assert later.handover == record
    assert [e.id for e in later.entries] == record.entry_ids
    assert [c.incident.id for c in later.incidents] == record.open_incident_ids
    assert [v.petition.id for v in later.overdue] == record.overdue_case_ids
    assert later.open_count == record.open_cases == 1
    assert later.contents == HandoverContents(
        tuple(record.entry_ids),
        tuple(record.open_incident_ids),
        tuple(record.late_reports),
        tuple(record.overdue_case_ids),
    )
    assert later.recorded is not None and later.recorded.after is not None
    assert [e.id for e in later.recorded.after.entries] == [after.id]
    assert [p.id for p in later.recorded.after.closed] == ["MK261120-001"]
    assert [r.stage for _, r in later.recorded.after.reports] == [ReportStage.PHONE, ReportStage.FINAL]
    # What a case was at the hand-over, and what it is now where that is another (store/, not the export's).
    overdue_case = next(v.petition for v in later.open_cases if v.petition.id == "MK261120-001")
    assert later.status_then(overdue_case) is not PetitionStatus.RESOLVED
    assert later.status_since(overdue_case) is PetitionStatus.RESOLVED and handed.status_since(overdue_case) is None

    md = render_markdown(later)
    assert recorded_part(md) == recorded_part(given_md)  # the handed-over part as it was handed over
    handed_part, after_part = md.split("\n## 交班后记录\n")
    assert "交班于 2026-11-28 10:45；导出于 2026-11-28 11:30" in handed_part
    assert "## 值班记录（共 2 条）" in handed_part and "井盖松动" not in handed_part
    # The incident as it was handed over (首报 owed, late), and as it is now; the late report as recorded.
    assert "下次报送：首报 11-28 10:30（超时15分钟）" in handed_part
    assert "  - 现状：已终报 11-28 11:20" in handed_part
    assert "车库积水：首报 11-28 10:30，未报，超时15分钟" in handed_part
    assert "未结案件 1，超期未办 1" in handed_part
    assert "- MK261120-001 处置中 楼道灯坏了（东城花园社区，期限 11-27 09:00；现状：已办结）" in handed_part
    assert "11-28 10:45 交班后至 11-28 11:30 本班次内的记录，不在交接内容之内。" in after_part
    assert "### 值班记录（共 1 条）" in after_part and "交班后来电：井盖松动" in after_part
    assert "### 交班后办结/回访\n\n- MK261120-001 已办结 楼道灯坏了" in after_part
    assert "### 交班后报送" in after_part and "车库积水：首报 11-28 11:00 → 区应急局" in after_part
    assert "3号楼路灯不亮" not in after_part

    note = (
        "以下为交班时交接的内容（按交班记录）；「现状」为导出时的情况；交班后本班次内的记录另列于文末「交班后记录」。"
    )
    assert f"\n\n{note}\n" in md and "交班后更正" not in md  # no correction: no section to name

    english = render_markdown(later, "en")
    assert "\n## Logged after the handover\n" in english
    assert "Logged in this shift after the handover, 11-28 10:45 to 11-28 11:30" in english
    assert "(now: resolved)" not in english and "; now: resolved)" in english
    assert "Handed over 2026-11-28 10:45; Exported 2026-11-28 11:30" in english

    cells = sheets(render_xlsx(later))
    assert [row[-1] for row in cells["值班记录"][1:]] == [row[-1] for row in given_xlsx["值班记录"][1:]]
    assert [row[-1] for row in cells["值班记录"][1:]] == record.entry_ids
    assert [row[-1] for row in cells["交班后记录"][1:]] == [after.id]
    assert cells["迟报"] == given_xlsx["迟报"]
    cover = {row[0]: row[1] for row in cells["交接班记录"]}
    assert (cover["值班记录"], cover["未结案件"], cover["超期未办"], cover["突发事件"]) == (2, 1, 1, 1)
    assert cover["交班于"] == "2026-11-28 10:45" and cover["导出于"] == "2026-11-28 11:30"
    assert cover["交班后值班记录"] == 1 and "MK261120-001" in cover["交班后办结/回访"]
    assert [row[:2] for row in cells["未结案件"][1:]] == [["MK261120-001", "处置中"]]
    assert cells["未结案件"][0][-1] == "现状（导出时）" and cells["未结案件"][1][-1] == "已办结"
    incident_row = cells["突发事件"][1]
    assert (
        incident_row[0] == ids["incident"] and incident_row[6] == "首报 11-28 10:30（超时15分钟）"
    )  # after 事发时间, 接报时间
    assert incident_row[-1] == "已终报 11-28 11:20"
    english_cells = sheets(render_xlsx(later, "en"))
    assert [row[-1] for row in english_cells["Logged after the handover"][1:]] == [after.id]


def test_an_export_after_the_shift_lists_the_rest_of_it_after_the_handover(township: Path) -> None:
    """Exported the next day, the 交班后记录 runs to the end of the shift: what was logged after it is the
    next shift's, in neither."""
    store = Store(township, actor="wanglj")
    plan_shift(store, date(2026, 11, 29), leader="马志远", staff=["张海涛"])
    handed, _ = hand_over_at_10_45(township)
    at("2026-11-29T07:30")
    evening = log_entry(store, kind=LogKind.CALL, content="夜间来电：噪音扰民")
    at("2026-11-29T09:00")
    log_entry(store, kind=LogKind.CALL, content="次日来电")
    later = handover_report(store, clock.now(), shift_id=SHIFT)
    assert later.recorded is not None and later.recorded.after is not None
    assert [e.id for e in later.recorded.after.entries] == [evening.id]
    md = render_markdown(later)
    assert "11-28 10:45 交班后至 11-29 08:00 本班次内的记录" in md and "次日来电" not in md
    assert recorded_part(md) == recorded_part(render_markdown(handed))


def test_an_entry_written_after_the_handover_with_an_earlier_time_is_not_handed_over(township: Path) -> None:
    """A call written down after the hand-over, timed before it, was not handed over: it is after."""
    handed, _ = hand_over_at_10_45(township)
    store = Store(township, actor="wanglj")
    at("2026-11-28T11:00")
    late_written = log_entry(store, kind=LogKind.CALL, content="补记的来电", at=at("2026-11-28T10:20"))
    at("2026-11-28T11:05")
    later = handover_report(store, clock.now(), shift_id=SHIFT)
    assert handed.handover is not None and [e.id for e in later.entries] == handed.handover.entry_ids
    assert later.recorded is not None and later.recorded.after is not None
    assert [e.id for e in later.recorded.after.entries] == [late_written.id]
    handed_part, after_part = render_markdown(later).split("\n## 交班后记录\n")
    assert "补记的来电" in after_part and "补记的来电" not in handed_part


def test_a_case_handed_over_and_archived_since_is_still_listed(township: Path) -> None:
    """Six weeks on, the overdue case handed over was closed and moved to its month's archive: the export
    still lists it among the open cases at the hand-over, with its status now."""
    handed, _ = hand_over_at_10_45(township)
    store = Store(township, actor="wanglj")
    at("2026-11-28T11:10")
    change_status(store, "MK261120-001", PetitionStatus.RESOLVED, note="已更换灯泡")
    change_status(store, "MK261120-001", PetitionStatus.CLOSED, note="回访满意", satisfaction=Satisfaction.SATISFIED)
    at("2027-01-10T09:00")
    with store.transaction() as tx:
        assert tx.archive_closed_petitions() == 1
    assert "archive-2026-11" in store.partitions(Petition)
    later = handover_report(store, clock.now(), shift_id=SHIFT)
    assert [v.petition.id for v in later.open_cases] == [v.petition.id for v in handed.open_cases] == ["MK261120-001"]
    assert [v.petition.id for v in later.overdue] == ["MK261120-001"] and later.open_count == 1
    assert "- MK261120-001 处置中 楼道灯坏了（东城花园社区，期限 11-27 09:00；现状：已回访）" in render_markdown(later)
    rows = sheets(render_xlsx(later))["未结案件"][1:]
    assert [(row[0], row[1], row[-1]) for row in rows] == [("MK261120-001", "处置中", "已回访")]


def test_a_late_report_across_the_new_year_reads_back(tmp_path: Path) -> None:
    """A late report's line keeps its month and day only: one due on 12-31, handed over on 01-01, is 2026's."""
    at("2026-12-31T07:00")
    root = tmp_path / "store"
    store = Store(root, actor="wanglj")
    plan_shift(store, date(2026, 12, 31), leader="郭红梅", staff=["王丽娟"])
    at("2026-12-31T23:50")
    open_incident(store, title="烟花引燃柴草堆", category=IncidentCategory.ACCIDENT)  # 首报 due 01-01 00:20
    at("2027-01-01T00:40")
    handed = hand_over(store, handover_report(store, clock.now()))
    at("2027-01-01T01:00")
    later = handover_report(store, clock.now(), shift_id="duty-20261231")
    assert later.recorded is not None and later.recorded.unread_late == []
    assert [late.slot.due for late in later.late_reports] == [late.slot.due for late in handed.late_reports]
    assert [late.overdue_by for late in later.late_reports] == [late.overdue_by for late in handed.late_reports]


# ---------------------------------------------------------------------------
# The command line


def test_the_command_line_exports_a_handed_over_shift_as_handed_over(
    runner: CliRunner, township: Path, tmp_path: Path
) -> None:
    """`handover --shift X --out F` and the incoming officer's `--ack --out F`, after the shift moved on."""
    assert default_actor() != "wanglj"  # the command line acknowledges as the OS account
    root = township
    handed, ids = hand_over_at_10_45(root)
    at("2026-11-28T11:00")
    after_id = run(runner, root, "duty", "log", "--content", "交班后来电：井盖松动").split()[0]
    run(runner, root, "petition", "resolve", "MK261120-001", "--note", "已更换灯泡")

    at("2026-11-28T11:30")
    md_path, en_path, xlsx_path = tmp_path / "交接班.md", tmp_path / "handover.md", tmp_path / "接班.xlsx"
    run(runner, root, "handover", "--shift", SHIFT, "--out", str(md_path))
    run(runner, root, "--lang", "en", "handover", "--shift", SHIFT, "--out", str(en_path))
    run(runner, root, "handover", "--ack", "--notes", "已接班", "--out", str(xlsx_path))

    md = md_path.read_text(encoding="utf-8")
    handed_part, after_part = md.split("\n## 交班后记录\n")
    assert recorded_part(md) == recorded_part(render_markdown(handed))
    assert "交班后来电：井盖松动" in after_part and "交班后来电：井盖松动" not in handed_part
    assert "3号楼路灯不亮" in handed_part and "未结案件 1，超期未办 1" in handed_part
    assert "MK261120-001 处置中 楼道灯坏了（东城花园社区，期限 11-27 09:00；现状：已办结）" in handed_part
    english = en_path.read_text(encoding="utf-8")
    assert (
        "\n## Logged after the handover\n" in english
        and "交班后来电：井盖松动" in english.split("after the handover\n")[1]
    )

    cells = sheets(xlsx_path.read_bytes())
    record = find_handover(Store(root), handed.shift)
    assert record is not None and record.acknowledged_by == default_actor()
    assert [row[-1] for row in cells["值班记录"][1:]] == record.entry_ids == [ids["call"], ids["incident_entry"]]
    assert [row[-1] for row in cells["交班后记录"][1:]] == [after_id]
    cover = {row[0]: row[1] for row in cells["交接班记录"]}
    assert (cover["值班记录"], cover["超期未办"], cover["未结案件"]) == (2, 1, 1)
    assert cover["接班人"].startswith(default_actor()) and cover["接班说明"] == "已接班"
    assert Store(root).get(Petition, "MK261120-001").status is PetitionStatus.RESOLVED


def test_an_entry_corrected_after_the_handover_is_listed_as_handed_over_and_its_correction_marked(
    township: Path,
) -> None:
    """A log entry the hand-over listed, corrected afterwards: a later export listed it as corrected
    with nothing to say so, as if it had been handed over that way. It is listed as handed over, its
    row marked (交班后已更正), and each correction made since is in a section of its own at the end
    (交班后更正: which entry, when, who, what, why; a caller and a phone masked), as 交班后记录 is; in
    the XLSX, the log sheet's row is marked and the cover lists the corrections."""
    handed, ids = hand_over_at_10_45(township)
    given_md = render_markdown(handed)
    assert "交班后更正" not in given_md and "交班后已更正" not in given_md
    at("2026-11-28T11:05")
    correct_entry(
        Store(township, actor="guohm"),
        ids["call"],
        {"content": "3号楼2单元路灯不亮", "phone": "13987654321"},
        note="来电人更正",
    )
    at("2026-11-28T11:20")
    correct_entry(Store(township, actor="wanglj"), ids["call"], {"caller": "赵小六"}, note="姓名写错")
    at("2026-11-28T11:30")
    later = handover_report(Store(township, actor="wanglj"), clock.now(), shift_id=SHIFT)
    assert later.recorded is not None
    assert [c.entry.id for c in later.recorded.corrections] == [ids["call"]]
    assert [e.actor for e in later.recorded.corrections[0].events] == ["guohm", "wanglj"]
    assert next(e for e in later.entries if e.id == ids["call"]).content == "3号楼路灯不亮"  # as handed over
    assert later.corrected_ids == {ids["call"]} and handed.corrected_ids == set()

    md = render_markdown(later)
    # The note at the top names both sections at the end that are apart from what was handed over.
    assert (
        "\n\n以下为交班时交接的内容（按交班记录）；「现状」为导出时的情况；交班后本班次内的记录另列于文末「交班后记录」"
        "；交班后对所列值班记录的更正另列于文末「交班后更正」。\n" in md
    )
    handed_part, corrected_part = md.split("\n## 交班后更正\n")
    assert "| 3号楼路灯不亮（交班后已更正） |" in handed_part and "2单元" not in handed_part
    assert "交班后对上面「值班记录」所列记录的更正，不在交接内容之内" in corrected_part
    assert (
        f"- {ids['call']} 11-28 11:05 guohm 更正：内容：3号楼2单元路灯不亮；电话：139****4321（来电人更正）"
        in corrected_part
    )
    assert f"- {ids['call']} 11-28 11:20 wanglj 更正：来电/来访人：赵**（姓名写错）" in corrected_part
    assert "赵小六" not in md and "13987654321" not in md
    english = render_markdown(later, "en")
    assert "\n## Corrected after the handover\n" in english and "(corrected after the handover)" in english
    assert (
        "at the end (Logged after the handover). Corrections made after the handover to the log entries listed"
        " are listed apart at the end (Corrected after the handover).\n" in english
    )
    assert (
        f"- {ids['call']} 11-28 11:05 corrected by guohm: Content: 3号楼2单元路灯不亮; Phone: 139****4321 (来电人更正)"
        in english
    )

    cells = sheets(render_xlsx(later))
    log_row = next(row for row in cells["值班记录"][1:] if row[-1] == ids["call"])
    assert log_row[3] == "3号楼路灯不亮（交班后已更正）"
    cover = {row[0]: row[1] for row in cells["交接班记录"]}
    assert "11-28 11:05 guohm 更正：内容：3号楼2单元路灯不亮" in cover["交班后更正"]
    assert str(cover[None]).endswith("「交班后记录」；交班后对所列值班记录的更正另列于文末「交班后更正」。")
    english_cover = {row[0]: row[1] for row in sheets(render_xlsx(later, "en"))["Shift handover"]}
    assert str(english_cover[None]).endswith("(Corrected after the handover).")


def test_a_shift_handed_over_once_it_was_over_is_exported_without_naming_sections_it_has_not(township: Path) -> None:
    """Handed over after the shift ended, a later export has no 交班后记录 (nothing of the shift came
    after) and, with no correction, no 交班后更正: its note names neither."""
    store = Store(township, actor="wanglj")
    at("2026-11-28T10:00")
    log_entry(store, kind=LogKind.CALL, content="3号楼路灯不亮", caller="赵六")
    at("2026-11-29T08:30")
    handed = hand_over(store, handover_report(store, clock.now(), shift_id=SHIFT), notes="无")
    assert handed.handover is not None and handed.handover.at > handed.shift.ends_at
    at("2026-11-29T09:00")
    later = handover_report(store, clock.now(), shift_id=SHIFT)
    assert later.recorded is not None and later.recorded.later and later.recorded.after is None
    md = render_markdown(later)
    assert "\n\n以下为交班时交接的内容（按交班记录）；「现状」为导出时的情况。\n" in md
    assert "交班后记录" not in md and "交班后更正" not in md
    english = render_markdown(later, "en")
    assert (
        "\n\nBelow is what was handed over, as the handover record lists it; 'now' is as at this export.\n" in english
    )
    cover = {row[0]: row[1] for row in sheets(render_xlsx(later))["交接班记录"]}
    assert cover[None] == "以下为交班时交接的内容（按交班记录）；「现状」为导出时的情况。"


def test_an_incident_opened_and_closed_in_the_shift_is_handed_over_with_its_reports(township: Path) -> None:
    """An incident opened and closed (首报 … 终报) within the shift was only a log line in the hand-over:
    the report, its record and both exports listed open incidents alone. The shift's closed incidents
    are listed too, with their report times, as handed over; a record written before they were listed
    still reads back, without them."""
    store = Store(township, actor="wanglj")
    at("2026-11-28T10:00")
    incident = open_incident(store, title="河堤渗水", category=IncidentCategory.NATURAL)
    at("2026-11-28T10:20")
    report_incident(store, incident.id, ReportStage.PHONE, to="区应急管理局值班室")
    at("2026-11-28T11:10")
    report_incident(store, incident.id, ReportStage.FINAL, to="区应急管理局值班室", note="险情排除")
    at("2026-11-28T11:30")
    report = handover_report(store, clock.now())
    assert [i.id for i in report.closed_incidents] == [incident.id] and report.incidents == []
    from duty_room.panels.dutylog import handover_summary
    from duty_room.presenters import Presenter

    assert "本班已终报1起" in handover_summary(Presenter("zh"), report)
    handed = hand_over(store, report, notes="无遗留")
    assert find_handover(store, handed.shift).closed_incident_ids == [incident.id]
    at("2026-11-28T12:00")
    for read in (handed, handover_report(store, clock.now(), shift_id=SHIFT)):  # at the hand-over, and later
        markdown = render_markdown(read)
        incidents = markdown.split("## 突发事件")[1].split("\n## ")[0]
        assert f"- {incident.id} 河堤渗水" in incidents and "已终报 11-28 11:10" in incidents, incidents
        assert "首报 11-28 10:20 → 区应急管理局值班室" in incidents and "终报 11-28 11:10" in incidents
        rows = sheets(render_xlsx(read))["突发事件"]
        [row] = [r for r in rows if r[0] == incident.id]
        assert row[6] == "已终报 11-28 11:10" and "首报 11-28 10:20" in str(row[7])
        cover = dict((r[0], r[1]) for r in sheets(render_xlsx(read))["交接班记录"])
        assert cover["本班已终报事件"] == 1
    # A record written before closed incidents were listed: it reads back, with none listed.
    [path] = [p for p in township.rglob("*.json") if "closed_incident_ids" in p.read_text(encoding="utf-8")]
    data = json.loads(path.read_text(encoding="utf-8"))
    removed = [record.pop("closed_incident_ids", None) for table in data.values() for record in table.values()]
    assert [incident.id] in removed
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    old = handover_report(Store(township, actor="wanglj"), clock.now(), shift_id=SHIFT)
    assert old.handover is not None and old.handover.closed_incident_ids == [] and old.closed_incidents == []
    assert "## 突发事件\n\n无" in render_markdown(old)
