"""The duty room's own work: a whole shift through the store and the command line, the reporting
clocks from the config (across midnight and a change of shift), and the records' append-only rules."""

from __future__ import annotations

import io
import json
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from pydantic import ValidationError

from duty_room.cli import cli
from store import clock
from store.duty_models import DutyLogEntry, Handover, Incident, IncidentCategory, IncidentLevel, LogKind, ReportStage
from store.dutylog import (
    DutyRefused,
    DutyRules,
    ReportLimits,
    check_shift_people,
    correct_entry,
    duty_status,
    find_entry,
    find_incident,
    find_shift,
    late_reports,
    log_entry,
    next_handover,
    open_incident,
    petition_from_entry,
    plan_shift,
    report_clock,
    report_incident,
    shift_at,
    swap_shift,
)
from store.handover import HandoverChanged, acknowledge, find_handover, hand_over, handover_report
from store.models import Community, DutyShift, Grid, GridWorker, Petition, WorkerRole
from store.queries import dashboard
from store.refusal import FieldsRefused
from store.storage import Store, default_actor

from conftest import run, store_bytes

TZ = clock.TZ
OUTGOING = default_actor()  # the CLI acts as the OS account that runs it
INCOMING = "incoming-officer" if OUTGOING != "incoming-officer" else "incoming-2"


def at(monkeypatch: pytest.MonkeyPatch, when: str) -> datetime:
    """Move the frozen clock (Beijing time)."""
    moment = datetime.fromisoformat(when).replace(tzinfo=TZ)
    clock.freeze(moment)
    return moment


@pytest.fixture
def calm_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A township with nothing overdue or late: whatever `summary` flags is the duty room's own."""
    at(monkeypatch, "2026-11-28T09:00")
    root = tmp_path / "store"
    with Store(root, actor="setup").transaction() as tx:
        tx.put(Community(id="dongcheng", name="东城花园社区", township="孟轲乡"))
        tx.put(Grid(id="dc-L1", community_id="dongcheng", level="large", name="第一大网格"))
    return root


# ---------------------------------------------------------------------------
# A whole shift


def test_a_whole_shift_from_the_command_line(
    runner: CliRunner, calm_store: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    root = calm_store
    run(
        runner,
        root,
        "duty",
        "plan",
        "2026-11-28",
        "--leader",
        "郭红梅",
        "--staff",
        "王丽娟",
        "--staff",
        "刘晓宇",
        "--phone",
        "王丽娟=13703932011",
        "--phone",
        "郭红梅=13903931003",
    )
    run(runner, root, "duty", "plan", "2026-11-29", "--leader", "马志远", "--staff", "张海涛")
    today = json.loads(run(runner, root, "duty", "today", "--json"))
    assert today["shift"]["leader"] == "郭红梅" and today["shift"]["staff"] == ["王丽娟", "刘晓宇"]
    assert today["shift"]["phones"]["王丽娟"] == "137****2011"  # masked
    assert today["next_handover"] == "2026-11-29T08:00:00+08:00"
    assert today["next_shift"]["leader"] == "马志远"
    shown = run(runner, root, "duty", "today")
    assert "137****2011" in shown and "13703932011" not in shown

    # 10:00 a call comes in and is logged; two minutes later it becomes a case.
    at(monkeypatch, "2026-11-28T10:00")
    entry_id = run(
        runner,
        root,
        "duty",
        "log",
        "--kind",
        "来电",
        "--content",
        "1号楼1单元楼道燃气味道很重",
        "--caller",
        "李小明",
        "--phone",
        "13812341234",
        "--community",
        "dongcheng",
        "--action",
        "已通知燃气公司上门",
        "--reported-to",
        "带班领导郭红梅",
    )
    assert entry_id == "ZB261128-001"
    at(monkeypatch, "2026-11-28T10:02")
    case_id = run(runner, root, "duty", "to-case", entry_id)
    store = Store(root)
    case = store.get(Petition, case_id)
    assert (case.category.value, case.community_id, case.reporter_name, case.reporter_phone) == (
        "gas",
        "dongcheng",
        "李小明",
        "13812341234",
    )
    assert case.title == "1号楼1单元楼道燃气味道很重"
    assert [e.action for e in case.history] == ["create", "from_log"] and case.history[1].note == entry_id
    assert find_entry(store, entry_id).petition_ids == [case_id]

    # 10:05 it turns out to be an emergency: an incident; 首报 and 书面报告 on time.
    at(monkeypatch, "2026-11-28T10:05")
    opened = run(
        runner,
        root,
        "incident",
        "open",
        "--title",
        "东城花园1号楼燃气泄漏",
        "--category",
        "事故灾难",
        "--place",
        "东城花园1号楼",
        "--community",
        "dongcheng",
    )
    incident_id = opened.split()[0]
    assert incident_id == "SJ261128-01" and "首报 11-28 10:35" in opened
    at(monkeypatch, "2026-11-28T10:30")
    run(
        runner,
        root,
        "incident",
        "report",
        incident_id,
        "--stage",
        "phone",
        "--to",
        "区应急管理局值班室",
        "--by",
        "郭红梅",
    )
    at(monkeypatch, "2026-11-28T11:00")
    after_written = run(
        runner, root, "incident", "report", incident_id, "--stage", "书面报告", "--to", "区应急管理局值班室"
    )
    assert "续报 11-28 15:00" in after_written  # 4 hours after the last report

    at(monkeypatch, "2026-11-28T14:50")
    calm = runner.invoke(cli, ["--store", str(root), "summary"])
    assert calm.exit_code == 0, calm.output  # nothing late yet

    # 15:30 the 续报 is late: summary says so and exits 1; it is made at 15:40, 40 minutes late.
    at(monkeypatch, "2026-11-28T15:30")
    late = runner.invoke(cli, ["--store", str(root), "summary"])
    assert late.exit_code == 1
    assert "报送超时: SJ261128-01 续报 15:00" in late.output
    data = json.loads(runner.invoke(cli, ["--store", str(root), "summary", "--json"]).output)
    assert data["late_reports"] == [
        {
            "incident": incident_id,
            "title": "东城花园1号楼燃气泄漏",
            "stage": "follow_up",
            "due": "2026-11-28T15:00:00+08:00",
        }
    ]
    at(monkeypatch, "2026-11-28T15:40")
    run(
        runner,
        root,
        "incident",
        "report",
        incident_id,
        "--stage",
        "follow_up",
        "--to",
        "区应急管理局值班室",
        "--note",
        "抢修完成一半",
    )
    assert runner.invoke(cli, ["--store", str(root), "summary"]).exit_code == 0  # reported: nothing owed is late

    # 07:50 next morning the outgoing officer hands over; the next 续报 (19:40) was missed too.
    at(monkeypatch, "2026-11-29T07:50")
    given = runner.invoke(cli, ["--store", str(root), "handover", "--give", "--notes", "燃气抢修未完，需继续续报"])
    assert given.exit_code == 0, given.output
    assert "交班人" in given.output and "燃气抢修未完，需继续续报" in given.output  # recorded, and the handover shown
    assert json.loads(run(runner, root, "duty", "today", "--json"))["awaiting_ack"] == "duty-20261128"
    refused = runner.invoke(cli, ["--store", str(root), "handover", "--give"])
    assert refused.exit_code == 1 and "已交班" in refused.output

    md_path, xlsx_path = tmp_path / "handover.md", tmp_path / "handover.xlsx"
    run(runner, root, "handover", "--shift", "duty-20261128", "--format", "md", "--out", str(md_path))
    run(runner, root, "handover", "--shift", "duty-20261128", "--format", "xlsx", "--out", str(xlsx_path))

    # 08:05 the incoming officer acknowledges with their own account (the outgoing one may not).
    at(monkeypatch, "2026-11-29T08:05")
    own = runner.invoke(cli, ["--store", str(root), "handover", "--ack"])
    assert own.exit_code == 1 and "自己的账号" in own.output
    acked = acknowledge(Store(root, actor=INCOMING), "duty-20261128", notes="已接班，19:40续报补报")
    assert (acked.acknowledged_by, acked.acknowledged_at) == (INCOMING, at(monkeypatch, "2026-11-29T08:05"))
    assert acked.outgoing_by == OUTGOING and acked.notes == "燃气抢修未完，需继续续报"
    with pytest.raises(DutyRefused):
        acknowledge(Store(root, actor="someone-else"), "duty-20261128")
    assert shift_at(Store(root), clock.now()).leader == "马志远"  # the next shift is on duty
    assert json.loads(run(runner, root, "duty", "today", "--json"))["awaiting_ack"] is None

    md = md_path.read_text(encoding="utf-8")
    assert "1号楼1单元楼道燃气味道很重" in md and "李**" in md and "138****1234" in md and "13812341234" not in md
    assert case_id in md  # the open case received this shift
    assert "SJ261128-01 东城花园1号楼燃气泄漏：续报 11-28 15:00，实报 11-28 15:40，超时40分钟" in md
    assert "续报 11-28 19:40，未报" in md  # owed and missed at the end of the shift
    assert "燃气抢修未完，需继续续报" in md

    book = load_workbook(xlsx_path)
    cells = {
        sheet.title: [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)] for sheet in book
    }
    log_rows = cells["值班记录"]
    assert any("1号楼1单元楼道燃气味道很重" in row and entry_id in row for row in log_rows)
    assert any("超时40分钟" in row[0] for row in cells["迟报"][1:])
    assert any(case_id in row for row in cells["未结案件"][1:])
    assert any(row[:2] == ["带班领导", "郭红梅"] for row in cells["交接班记录"])

    # Exported again after the acknowledgement, it says who took over.
    md_path.unlink()
    run(runner, root, "handover", "--shift", "duty-20261128", "--out", str(md_path))
    assert f"接班人：{INCOMING} 11-29 08:05" in md_path.read_text(encoding="utf-8")


def test_the_same_shift_through_the_store_api(calm_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store(calm_store, actor="wanglj")
    plan_shift(store, date(2026, 11, 28), leader="郭红梅", staff=["王丽娟"])
    at(monkeypatch, "2026-11-28T10:00")
    entry = log_entry(store, kind=LogKind.CALL, content="路灯不亮", caller="赵六", community_id="dongcheng")
    case = petition_from_entry(store, entry.id)
    with pytest.raises(DutyRefused, match="already became case"):
        petition_from_entry(store, entry.id)
    incident = open_incident(store, title="大风刮倒广告牌", category=IncidentCategory.NATURAL)
    assert incident.entry_id is not None and find_entry(store, incident.entry_id).kind is LogKind.INCIDENT
    report_incident(store, incident.id, ReportStage.PHONE, to="区应急局")
    with pytest.raises(DutyRefused, match="follow-ups"):
        report_incident(store, incident.id, ReportStage.PHONE, to="区应急局")
    at(monkeypatch, "2026-11-28T11:30")
    report = handover_report(store, clock.now())
    assert [e.id for e in report.entries] == [entry.id, incident.entry_id]
    assert [p.id for p in report.received] == [case.id]
    assert [late.slot.stage for late in report.late_reports] == [ReportStage.WRITTEN]  # due 11:00, not made
    handed = hand_over(store, report, notes="广告牌待清理").handover
    assert handed is not None and handed.late_reports and handed.entry_ids == [entry.id, incident.entry_id]
    with pytest.raises(DutyRefused, match="own account"):
        acknowledge(store, report.shift.id)
    acknowledge(Store(calm_store, actor="zhanght"), report.shift.id)
    assert find_handover(store, report.shift).acknowledged_by == "zhanght"


# ---------------------------------------------------------------------------
# A handover records the shift as it is when it is handed over


def test_a_handover_is_refused_when_the_shift_changed_since_its_report_was_read(
    calm_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The officer reads the report, another desk logs a call and opens an incident: handing over what was
    read would leave them out of the record, so it is refused, saying what changed, and nothing is written."""
    from duty_room.handover_export import render_markdown, render_xlsx

    store = Store(calm_store, actor="wanglj")
    plan_shift(store, date(2026, 11, 28), leader="郭红梅", staff=["王丽娟"])
    at(monkeypatch, "2026-11-28T10:00")
    first = log_entry(store, kind=LogKind.CALL, content="路灯不亮")
    read = handover_report(store, clock.now())
    other = Store(calm_store, actor="other-desk")
    at(monkeypatch, "2026-11-28T10:05")
    call = log_entry(other, kind=LogKind.CALL, content="另一台电脑登记的来电")
    incident = open_incident(other, title="车库积水", category=IncidentCategory.NATURAL)
    before = store_bytes(calm_store)
    with pytest.raises(HandoverChanged) as refused:
        hand_over(store, read, notes="路灯已报修")
    assert refused.value.message("zh") == "交班报告已变化：新增2条记录、新增1起事件，请重新核对后再交班"
    assert refused.value.message("en") == (
        "the handover report has changed (log entries +2, open incidents +1): review it again before handing over"
    )
    assert store_bytes(calm_store) == before and find_handover(store, read.shift) is None

    # Read again, it goes through; the record and its export list exactly what the store held.
    recorded = hand_over(store, handover_report(store, clock.now()), notes="路灯已报修")
    handed = recorded.handover
    assert handed is not None and handed == find_handover(store, read.shift)
    assert handed.entry_ids == [first.id, call.id, incident.entry_id] and handed.open_incident_ids == [incident.id]
    assert [e.id for e in recorded.entries] == handed.entry_ids
    assert [c.incident.id for c in recorded.incidents] == handed.open_incident_ids
    assert "另一台电脑登记的来电" in render_markdown(recorded) and "车库积水" in render_markdown(recorded)
    book = load_workbook(io.BytesIO(render_xlsx(recorded)))
    assert [row[-1] for row in book["值班记录"].iter_rows(min_row=2, values_only=True)] == handed.entry_ids


def test_the_handover_export_says_when_an_incident_happened_and_when_it_was_known(
    calm_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """事发时间 and 接报时间 are two times (the reporting clocks start at the second): the export
    says both, in both languages; the workbook's incident sheet had one column, 时间, for 接报."""
    from duty_room.handover_export import render_markdown, render_xlsx

    store = Store(calm_store, actor="wanglj")
    plan_shift(store, date(2026, 11, 28), leader="郭红梅", staff=["王丽娟"])
    at(monkeypatch, "2026-11-28T10:00")
    happened = datetime(2026, 11, 28, 9, 20, tzinfo=TZ)
    open_incident(store, title="车库积水", category=IncidentCategory.NATURAL, occurred_at=happened)
    report = handover_report(store, clock.now())
    assert "事发时间：11-28 09:20，接报时间：11-28 10:00；下次报送：" in render_markdown(report)
    assert "Occurred at: 11-28 09:20, Known at: 11-28 10:00; Next report due: " in render_markdown(report, "en")
    book = load_workbook(io.BytesIO(render_xlsx(report)))
    header, row = book["突发事件"].iter_rows(max_row=2, values_only=True)
    assert (header[4:6], row[4:6]) == (("事发时间", "接报时间"), ("2026-11-28 09:20", "2026-11-28 10:00"))


def test_a_handover_whose_report_did_not_change_goes_through(calm_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the record does not keep (a case registered meanwhile, a correction's words) refuses nothing;
    its count is the store's when handed over."""
    store = Store(calm_store, actor="wanglj")
    plan_shift(store, date(2026, 11, 28), leader="郭红梅", staff=["王丽娟"])
    at(monkeypatch, "2026-11-28T10:00")
    entry = log_entry(store, kind=LogKind.CALL, content="路灯不亮", community_id="dongcheng")
    read = handover_report(store, clock.now())
    other = Store(calm_store, actor="other-desk")
    correct_entry(other, entry.id, {"content": "3号路灯不亮"}, note="来电人更正")
    petition_from_entry(other, entry.id)  # a case registered from it: received 1, open 1
    recorded = hand_over(store, read)
    assert recorded.handover is not None and recorded.handover.entry_ids == [entry.id]
    assert len(read.open_cases) == 0 and recorded.handover.open_cases == len(recorded.open_cases) == 1
    assert [e.current().content for e in recorded.entries] == ["3号路灯不亮"]


def test_a_report_made_meanwhile_reorders_the_incidents_and_refuses_nothing(
    calm_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The report lists open incidents by their next report due: a 首报 made at another desk moves one
    after the other. The same incidents, in another order, are the same handover."""
    store = Store(calm_store, actor="wanglj")
    plan_shift(store, date(2026, 11, 28), leader="郭红梅", staff=["王丽娟"])
    at(monkeypatch, "2026-11-28T10:00")
    first = open_incident(store, title="车库积水", category=IncidentCategory.NATURAL)
    at(monkeypatch, "2026-11-28T10:05")
    second = open_incident(store, title="路面塌陷", category=IncidentCategory.ACCIDENT)
    read = handover_report(store, clock.now())
    assert [c.incident.id for c in read.incidents] == [first.id, second.id]
    report_incident(Store(calm_store, actor="other-desk"), first.id, ReportStage.PHONE, to="区应急局")
    recorded = hand_over(store, read)
    assert [c.incident.id for c in recorded.incidents] == [second.id, first.id]
    assert recorded.handover is not None and recorded.handover.open_incident_ids == [second.id, first.id]


def test_a_report_falling_due_meanwhile_changes_the_handover(calm_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No desk wrote, but the clock ran: the 首报 owed at 10:30 is late at 10:31, and the handover read at 10:25
    no longer is the shift's; made late, it is the same report, now made."""
    store = Store(calm_store, actor="wanglj")
    plan_shift(store, date(2026, 11, 28), leader="郭红梅", staff=["王丽娟"])
    at(monkeypatch, "2026-11-28T10:00")
    incident = open_incident(store, title="车库积水", category=IncidentCategory.NATURAL)  # 首报 due 10:30
    at(monkeypatch, "2026-11-28T10:25")
    read = handover_report(store, clock.now())
    assert read.late_reports == []
    at(monkeypatch, "2026-11-28T10:31")
    with pytest.raises(HandoverChanged, match=r"late reports \+1"):
        hand_over(store, read)
    late = handover_report(store, clock.now())
    at(monkeypatch, "2026-11-28T10:33")
    report_incident(store, incident.id, ReportStage.PHONE, to="区应急局")
    with pytest.raises(HandoverChanged) as refused:
        hand_over(store, late)
    assert refused.value.message("zh") == "交班报告已变化：1项迟报已补报，请重新核对后再交班"
    handed = hand_over(store, handover_report(store, clock.now())).handover
    assert handed is not None and [line.split()[:2] for line in handed.late_reports] == [[incident.id, "phone"]]


def test_the_command_lines_handover_records_what_it_shows(
    runner: CliRunner, calm_store: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """`handover --give` builds the report under the store's lock: a call another desk logs while the
    command starts is in the record, and the copy it writes lists exactly what was recorded."""
    root = calm_store
    run(runner, root, "duty", "plan", "2026-11-28", "--leader", "郭红梅", "--staff", "王丽娟")
    at(monkeypatch, "2026-11-28T10:00")
    first = run(runner, root, "duty", "log", "--content", "路灯不亮").split()[0]
    other = Store(root, actor="other-desk")
    late_entries: list[str] = []
    take = Store.transaction

    def another_desk_first(self: Store):  # noqa: ANN202 - a context manager, as Store.transaction
        if self.actor != other.actor and not late_entries:  # just before the command takes the lock
            late_entries.append(log_entry(other, kind=LogKind.CALL, content="另一台电脑登记的来电").id)
        return take(self)

    monkeypatch.setattr(Store, "transaction", another_desk_first)
    xlsx = tmp_path / "交接班.xlsx"
    given = runner.invoke(cli, ["--store", str(root), "handover", "--give", "--out", str(xlsx)])
    assert given.exit_code == 0, given.output
    handed = find_handover(Store(root), find_shift(Store(root), "duty-20261128"))
    assert handed is not None and handed.entry_ids == [first, *late_entries] and late_entries
    book = load_workbook(xlsx)
    assert [row[-1] for row in book["值班记录"].iter_rows(min_row=2, values_only=True)] == handed.entry_ids
    cover = {row[0]: row[1] for row in book["交接班记录"].iter_rows(values_only=True)}
    assert cover["值班记录"] == 2 and cover["交班人"].startswith(handed.outgoing_by)


# ---------------------------------------------------------------------------
# Limits from the config, across midnight and a change of shift


def test_limits_from_the_config_across_midnight_and_a_shift_change(
    runner: CliRunner, calm_store: Path, monkeypatch: pytest.MonkeyPatch, system_config: Path
) -> None:
    config = system_config  # office rules come from the system file only
    config.write_text(
        '[duty]\nshift_start = "20:00:00"\nshift_hours = 24\n'
        "[duty.reports]\nphone_minutes = 20\nwritten_minutes = 40\nfollow_up_minutes = 120\nfinal_minutes = 60\n"
        "[duty.by_level.ii]\nphone_minutes = 10\nwritten_minutes = 30\nfollow_up_minutes = 60\nfinal_minutes = 30\n",
        encoding="utf-8",
    )
    root = calm_store
    run(runner, root, "duty", "plan", "2026-11-28", "--leader", "郭红梅", "--staff", "王丽娟")
    run(runner, root, "duty", "plan", "2026-11-29", "--leader", "马志远", "--staff", "张海涛")
    store = Store(root)
    assert store.get(DutyShift, "duty-20261128", "2026-11").starts == time(20)

    at(monkeypatch, "2026-11-28T23:50")
    incident_id = run(runner, root, "incident", "open", "--title", "河堤渗水", "--category", "natural").split()[0]
    major_id = run(
        runner, root, "incident", "open", "--title", "化工厂火情", "--category", "accident", "--level", "ii"
    ).split()[0]
    # 首报 due 20 minutes later, on the next day; the major one in 10.
    at(monkeypatch, "2026-11-29T00:05")
    listed = {i["id"]: i for i in json.loads(run(runner, root, "incident", "list", "--json"))}
    assert listed[incident_id]["next"] == {"stage": "phone", "due": "2026-11-29T00:10:00+08:00"}
    assert listed[major_id]["next"] == {"stage": "phone", "due": "2026-11-29T00:00:00+08:00"}
    assert [s["stage"] for s in listed[major_id]["late"]] == ["phone"] and listed[incident_id]["late"] == []
    run(runner, root, "incident", "report", major_id, "--stage", "phone", "--to", "区应急局")
    run(runner, root, "incident", "report", major_id, "--stage", "written", "--to", "区应急局")
    at(monkeypatch, "2026-11-29T00:11")
    summary = runner.invoke(cli, ["--store", str(root), "summary"])
    assert summary.exit_code == 1 and f"{incident_id} 首报 00:10" in summary.output and major_id not in summary.output
    run(runner, root, "incident", "report", incident_id, "--stage", "phone", "--to", "区应急局")
    run(runner, root, "incident", "report", incident_id, "--stage", "written", "--to", "区应急局")
    # The major one's 续报 every hour, the ordinary one's every two hours, from the last report.
    clocks = {c.incident.id: c for c in report_clock(store, clock.now(), _settings_rules())}
    assert clocks[major_id].next.due == datetime(2026, 11, 29, 1, 5, tzinfo=TZ)
    assert clocks[incident_id].next.due == datetime(2026, 11, 29, 2, 11, tzinfo=TZ)

    # The shift runs 20:00 to 20:00: at 19:59 the 28th's shift is on duty, at 20:00 the 29th's.
    assert shift_at(store, datetime(2026, 11, 29, 19, 59, tzinfo=TZ)).id == "duty-20261128"
    assert shift_at(store, datetime(2026, 11, 29, 20, 0, tzinfo=TZ)).id == "duty-20261129"
    assert next_handover(store, datetime(2026, 11, 29, 0, 11, tzinfo=TZ)) == datetime(2026, 11, 29, 20, tzinfo=TZ)
    # After the change of shift, the incoming shift's handover carries the open incidents and the late 续报.
    at(monkeypatch, "2026-11-29T21:00")
    report = handover_report(store, clock.now(), rules=_settings_rules())
    assert report.shift.id == "duty-20261129"
    assert {c.incident.id for c in report.incidents} == {incident_id, major_id}
    assert {(late.incident.id, late.slot.stage) for late in report.late_reports} == {
        (incident_id, ReportStage.FOLLOW_UP),
        (major_id, ReportStage.FOLLOW_UP),
    }
    earlier = handover_report(store, clock.now(), shift_id="duty-20261128", rules=_settings_rules())
    assert earlier.moment == datetime(2026, 11, 29, 20, tzinfo=TZ)  # as of the shift's end
    # Made late in that shift: the major 首报 (due 00:00, made 00:05) and the other (due 00:10, made 00:11);
    # owed at its end: both 续报.
    assert {
        (late.incident.id, late.slot.stage, late.overdue_by) for late in earlier.late_reports if late.slot.report
    } == {(major_id, ReportStage.PHONE, timedelta(minutes=5)), (incident_id, ReportStage.PHONE, timedelta(minutes=1))}
    assert {(late.incident.id, late.slot.stage) for late in earlier.late_reports if not late.slot.report} == {
        (incident_id, ReportStage.FOLLOW_UP),
        (major_id, ReportStage.FOLLOW_UP),
    }


def _settings_rules() -> DutyRules:
    from duty_room.config import load_settings

    return load_settings().duty  # as the CLI reads them: from the system file


def test_a_bad_duty_config_is_one_line(
    runner: CliRunner, calm_store: Path, monkeypatch: pytest.MonkeyPatch, system_config: Path
) -> None:
    config = system_config
    config.write_text("[duty.reports]\nphone_minutes = 90\nwritten_minutes = 60\n", encoding="utf-8")
    result = runner.invoke(cli, ["--store", str(calm_store), "duty", "today"])
    assert result.exit_code == 1 and "written report cannot be due before the phone report" in result.output
    assert "Traceback" not in result.output


def test_a_damaged_duty_log_exits_2_in_the_interface_language(runner: CliRunner, calm_store: Path) -> None:
    """A fault of the store is exit 2 for every command (1 means "refused input" to monitoring),
    said in the interface language and naming the file."""
    run(runner, calm_store, "duty", "log", "--content", "来电：3号楼停水")
    damaged = calm_store / "duty_log" / "2026-11.json"
    damaged.write_text("{broken", encoding="utf-8")
    result = runner.invoke(cli, ["--store", str(calm_store), "duty", "entries"])
    assert result.exit_code == 2, result.output
    line = result.output.strip()
    assert "\n" not in line and str(damaged) in line and "损坏" in line and "Traceback" not in line
    missing = runner.invoke(cli, ["--store", str(calm_store / "nowhere"), "incident", "list"])
    assert missing.exit_code == 2 and "没有数据目录" in missing.output


def test_a_damaged_incident_file_stops_summary_in_the_interface_language(runner: CliRunner, calm_store: Path) -> None:
    """`summary` reads the incidents after its digest; their file damaged, it says so like every other
    command (exit 2, in the interface language, the file named): it said the store's English words."""
    run(runner, calm_store, "incident", "open", "--title", "河堤渗水", "--category", "natural")
    damaged = calm_store / "incidents.json"
    damaged.write_text("{broken", encoding="utf-8")
    result = runner.invoke(cli, ["--store", str(calm_store), "summary"])
    assert result.exit_code == 2, result.output
    line = result.output.strip()
    assert "\n" not in line and str(damaged) in line and "损坏" in line and "Traceback" not in line


# ---------------------------------------------------------------------------
# The records' rules


@pytest.mark.parametrize(
    ("args", "zh", "en"),
    [
        (
            ["duty", "log", "--kind", "传真", "--content", "x"],
            "「传真」不是可选的值",
            "'传真' is not a choice; use one of: call (call)",
        ),
        (["duty", "log", "--content", "x", "--at", "25:00"], "时间格式不对：25:00", "not a time"),
        (
            ["duty", "plan", "2026-12-02", "--leader", "郭红梅", "--staff", "王丽娟", "--phone", "王丽娟"],
            "姓名=号码",
            "NAME=NUMBER",
        ),
        (["duty", "correct", "ZB261128-001", "--set", "content", "--note", "x"], "项=新内容", "FIELD=VALUE"),
        (
            ["incident", "report", "SJ261128-01", "--stage", "second", "--to", "区应急局"],
            "可选：phone (首报)",
            "'second' is not a choice; use one of: phone (",
        ),
        (["handover", "--give", "--ack"], "分别执行", "run them separately"),
        (["handover", "--ack"], "没有等待接班确认的交班", "no handover is waiting"),
        (["handover", "--format", "xlsx"], "需要 --out", "needs --out"),
        (["handover", "--give", "--format", "xlsx"], "需要 --out", "needs --out"),  # refused before handing over
        (
            ["handover", "--give", "--format", "xlsx", "--out", "/nonexistent/x.md"],
            "x.md：文件名与 --format xlsx 不符，应以 .xlsx 结尾",
            "does not match --format xlsx",
        ),
        (["handover", "--out", "/nonexistent/x.txt"], "x.txt：文件名以 .md 或 .xlsx 结尾", "ends in .md or .xlsx"),
        (["handover", "--out", "/nonexistent/handover.md"], "文件或文件夹不存在", "no such file or folder"),
    ],
)
def test_command_line_refusals_follow_the_interface_language(
    runner: CliRunner, calm_store: Path, args: list[str], zh: str, en: str
) -> None:
    """Bad input to the duty commands is one line in the interface language (zh by default), exit 1,
    and writes nothing: no English option syntax or Python enum name shown to a Chinese desk."""
    run(runner, calm_store, "duty", "plan", "2026-11-28", "--leader", "郭红梅", "--staff", "王丽娟")
    run(runner, calm_store, "duty", "log", "--content", "来电：3号楼停水")
    before = store_bytes(calm_store)
    in_zh = runner.invoke(cli, ["--store", str(calm_store), *args])
    in_en = runner.invoke(cli, ["--store", str(calm_store), "--lang", "en", *args])
    assert in_zh.exit_code == in_en.exit_code == 1, (in_zh.output, in_en.output)
    assert zh in in_zh.output and en not in in_zh.output, in_zh.output
    assert en in in_en.output, in_en.output
    assert len(in_zh.output.strip().splitlines()) == 1 and in_zh.output.startswith("duty-room: ")
    assert store_bytes(calm_store) == before


def test_the_handover_file_name_says_its_format_as_in_the_dashboard(
    runner: CliRunner, calm_store: Path, tmp_path: Path
) -> None:
    """`handover --format xlsx --out x.md` wrote workbook bytes into x.md, and --out x.txt wrote
    Markdown where the dashboard's form refuses any name but .md or .xlsx. One rule for both: the
    name says the format (any case), --format may only agree with it."""
    run(runner, calm_store, "duty", "plan", "2026-11-28", "--leader", "郭红梅", "--staff", "王丽娟")
    for name, fmt in (("x.md", "xlsx"), ("x.xlsx", "md"), ("x.txt", None)):
        target = tmp_path / name
        refused = runner.invoke(
            cli, ["--store", str(calm_store), "handover", *(["--format", fmt] if fmt else []), "--out", str(target)]
        )
        assert refused.exit_code == 1 and len(refused.output.strip().splitlines()) == 1, refused.output
        assert not target.exists()
    run(runner, calm_store, "handover", "--out", str(tmp_path / "交接班.XLSX"))
    load_workbook(tmp_path / "交接班.XLSX")  # a workbook, from the name alone
    run(runner, calm_store, "handover", "--format", "md", "--out", str(tmp_path / "交接班.md"))
    assert (tmp_path / "交接班.md").read_text(encoding="utf-8").startswith("# ")


def test_a_callers_number_may_be_a_hotline_or_an_emergency_line(runner: CliRunner, calm_store: Path) -> None:
    """12345 (the citizens' hotline), 110 and a 95xxx line are what such calls come from: taken and
    shown as they are, naming no one; a person's mobile is still masked, and no number is no number."""
    for number in ("12345", "110", "95598", "13812341234"):
        run(runner, calm_store, "duty", "log", "--phone", number, "--content", f"转来 {number}")
    shown = run(runner, calm_store, "duty", "entries")
    assert "12345: 转来 12345" in shown and "110: 转来 110" in shown and "95598: 转来 95598" in shown
    assert "138****1234: 转来" in shown and "13812341234:" not in shown
    run(runner, calm_store, "duty", "log", "--content", "井盖又松了")  # from no one named: no gap before the colon
    assert "来电: 井盖又松了" in run(runner, calm_store, "duty", "entries")
    refused = runner.invoke(cli, ["--store", str(calm_store), "duty", "log", "--phone", "1234", "--content", "x"])
    assert refused.exit_code == 1 and "12345、110" in refused.output
    with pytest.raises(ValidationError):  # a grid worker's or a household's phone is still a person's own
        GridWorker(id="w9", name="赵六", role=WorkerRole.GRID_WORKER, phone="110", grid_id="dc-L1")


def test_log_entries_are_filed_by_month_and_corrected_by_events(
    calm_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(calm_store, actor="wanglj")
    entry = log_entry(
        store,
        kind=LogKind.DOCUMENT,
        source="区民政局",
        content="冬季走访通知",
        at=datetime(2026, 11, 28, 8, 30, tzinfo=TZ),
    )
    assert (calm_store / "duty_log" / "2026-11.json").exists() and not (calm_store / "duty_log.json").exists()
    corrected = correct_entry(store, entry.id, {"content": "冬季走访慰问通知（华民〔2026〕41号）"}, note="补文号")
    assert corrected.content == "冬季走访通知"  # the first text stays
    assert corrected.current().content == "冬季走访慰问通知（华民〔2026〕41号）"
    with pytest.raises(DutyRefused):
        correct_entry(store, entry.id, {"content": "x"}, note="")
    with pytest.raises(DutyRefused):
        correct_entry(store, entry.id, {"at": "2026-11-28T09:00"}, note="时间")
    with pytest.raises(ValidationError):
        correct_entry(store, entry.id, {"phone": "1234"}, note="电话")
    # Rewriting the first text directly, or dropping a correction, is refused by the store.
    with pytest.raises(ValueError, match="what was written stays"):
        store.put(corrected.model_copy(update={"content": "改写"}))
    with pytest.raises(ValueError, match="append-only"):
        store.put(corrected.model_copy(update={"history": []}))
    with pytest.raises(DutyRefused):
        log_entry(store, kind=LogKind.CALL, content="未来", at=datetime(2026, 11, 28, 12, tzinfo=TZ))
    # A month later an entry goes to the new month's file; November's is not rewritten.
    november = (calm_store / "duty_log" / "2026-11.json").read_bytes()
    at(monkeypatch, "2026-12-01T09:00")
    later = log_entry(store, kind=LogKind.CALL, content="十二月来电")
    assert later.id == "ZB261201-001" and (calm_store / "duty_log" / "2026-12.json").exists()
    assert (calm_store / "duty_log" / "2026-11.json").read_bytes() == november


def test_shifts_swaps_and_the_header(calm_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store(calm_store, actor="wanglj")
    with pytest.raises(DutyRefused):
        plan_shift(store, date(2026, 11, 28), leader="郭红梅", staff=["甲", "乙", "丙"])
    with pytest.raises(DutyRefused):
        plan_shift(store, date(2026, 11, 28), leader="郭红梅", staff=["郭红梅"])
    at(monkeypatch, "2026-11-27T07:00")  # planned before it began (a shift that is over is not planned)
    plan_shift(store, date(2026, 11, 27), leader="李建国", staff=["周静"])
    at(monkeypatch, "2026-11-28T09:00")
    plan_shift(store, date(2026, 11, 28), leader="郭红梅", staff=["王丽娟", "刘晓宇"], phones={"刘晓宇": "13703932018"})
    swapped = swap_shift(
        store,
        "duty-20261128",
        replaced="刘晓宇",
        by="陈志刚",
        asked_by="刘晓宇",
        approved_by="郭红梅",
        phone="13703932014",
        note="家中有事",
    )
    assert swapped.staff == ["王丽娟", "陈志刚"] and swapped.phones == {"陈志刚": "13703932014"}
    assert (swapped.swaps[0].asked_by, swapped.swaps[0].approved_by, swapped.swaps[0].actor) == (
        "刘晓宇",
        "郭红梅",
        "wanglj",
    )
    with pytest.raises(DutyRefused):
        swap_shift(store, "duty-20261128", replaced="无名", by="某人", asked_by="某人", approved_by="郭红梅")
    with pytest.raises(ValueError, match="append-only"):
        store.put(swapped.model_copy(update={"swaps": []}))
    # At 07:00 on the 28th the 27th's shift is still on duty: the header says so.
    at(monkeypatch, "2026-11-28T07:00")
    assert dashboard(store, clock.now()).headline.on_duty == "李建国、周静"
    at(monkeypatch, "2026-11-28T09:00")
    assert dashboard(store, clock.now()).headline.on_duty == "郭红梅、王丽娟、陈志刚"


def test_a_shift_that_has_begun_keeps_who_was_on_duty(calm_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """排班 for yesterday (a date typed in the form) rewrote who had been on duty, without a trace:
    李建国 and 周静 became 郭红梅 and 王丽娟 in the 值班表 and its handover. Once a shift has begun a
    change of people is a swap; a shift not begun is re-planned as before."""
    store = Store(calm_store, actor="wanglj")
    at(monkeypatch, "2026-11-27T07:00")
    plan_shift(store, date(2026, 11, 27), leader="李建国", staff=["周静"])
    plan_shift(store, date(2026, 11, 27), leader="李建国", staff=["周静", "陈志刚"])  # not begun: re-planned
    at(monkeypatch, "2026-11-28T09:30")
    before = find_shift(store, "duty-20261127")
    for leader, staff in (("郭红梅", ["王丽娟"]), ("李建国", ["周静"])):
        with pytest.raises(DutyRefused) as refused:
            plan_shift(store, date(2026, 11, 27), leader=leader, staff=staff)
        assert refused.value.key == "duty_started_people"
        assert "换班" in refused.value.message("zh") and "swap" in refused.value.message("en")
    assert find_shift(store, "duty-20261127") == before
    plan_shift(store, date(2026, 11, 27), leader="李建国", staff=["周静", "陈志刚"])  # the same again: no change


def test_a_refusal_names_the_shift_by_its_day_and_span(calm_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A refusal about a shift named it by the store's id (班次 duty-20261127 已结束), which an officer
    never sees on the dashboard: it names the shift as the 交班 form's title does, its day and span."""
    store = Store(calm_store, actor="wanglj")
    at(monkeypatch, "2026-11-27T07:00")
    plan_shift(store, date(2026, 11, 27), leader="李建国", staff=["周静"])
    at(monkeypatch, "2026-11-28T09:30")
    span = "2026-11-27 08:00 – 11-28 08:00"
    assert find_shift(store, "duty-20261127").span == span
    refusals = {
        "duty_not_on_shift": lambda: swap_shift(
            store, "duty-20261127", replaced="无名", by="某人", asked_by="某人", approved_by="郭红梅"
        ),
        "duty_shift_over": lambda: swap_shift(
            store, "duty-20261127", replaced="周静", by="某人", asked_by="周静", approved_by="郭红梅"
        ),
        "duty_started_people": lambda: plan_shift(store, date(2026, 11, 27), leader="郭红梅", staff=["王丽娟"]),
        "duty_not_handed_over": lambda: acknowledge(store, "duty-20261127"),
    }
    for key, write in refusals.items():
        with pytest.raises(DutyRefused) as refused:
            write()
        assert refused.value.key == key
        for lang in ("zh", "en"):
            said = refused.value.message(lang)
            assert span in said and "duty-2026" not in said, said


def test_replanning_a_shift_keeps_the_phones_of_the_people_who_stay(
    calm_store: Path, monkeypatch: pytest.MonkeyPatch, runner: CliRunner
) -> None:
    """排班 again for a shift not begun dropped every phone on record (the dashboard's form asks for
    none, nor need a re-plan from the command line name them again). Those of the people who stay
    are kept, those of people taken off go with them, and a phone given is added or replaces one."""
    store = Store(calm_store, actor="wanglj")
    phones = {"郭红梅": "13703932001", "王丽娟": "13703932011", "刘晓宇": "13703932018"}
    plan_shift(store, date(2026, 11, 29), leader="郭红梅", staff=["王丽娟", "刘晓宇"], phones=phones)
    replanned = plan_shift(store, date(2026, 11, 29), leader="郭红梅", staff=["王丽娟", "陈志刚"])
    assert replanned.phones == {"郭红梅": "13703932001", "王丽娟": "13703932011"}
    given = plan_shift(
        store, date(2026, 11, 29), leader="郭红梅", staff=["王丽娟", "陈志刚"], phones={"陈志刚": "13703932014"}
    )
    assert given.phones == {"郭红梅": "13703932001", "王丽娟": "13703932011", "陈志刚": "13703932014"}
    run(runner, calm_store, "duty", "plan", "2026-11-29", "--leader", "郭红梅", "--staff", "陈志刚")
    assert find_shift(store, "duty-20261129").phones == {"郭红梅": "13703932001", "陈志刚": "13703932014"}
    # A shift that has begun, planned again with the same people and no phones (as the form does):
    # nothing changes, where the phones it lacked were taken for a change of people and refused.
    plan_shift(store, date(2026, 11, 28), leader="李建国", staff=["周静"], phones={"周静": "13703932015"})
    at(monkeypatch, "2026-11-28T09:30")
    people = {"leader", "staff", "phones"}
    before = find_shift(store, "duty-20261128").model_dump(include=people)
    assert plan_shift(store, date(2026, 11, 28), leader="李建国", staff=["周静"]).model_dump(include=people) == before


def test_the_shift_forms_people_are_checked_at_once() -> None:
    """Every bad field of 排班's people in one refusal, in the interface's language."""
    with pytest.raises(FieldsRefused) as refused:
        check_shift_people("", ["甲", "乙", "丙"], "zh")
    assert refused.value.errors == {"leader": "必填", "staff": "每班值班员一至二人（现为 3 人）"}
    with pytest.raises(FieldsRefused) as refused:
        check_shift_people("郭红梅" * 8, ["郭红梅", "王" * 21], "en")
    assert refused.value.errors == {
        "leader": "too long: at most 20 characters",
        "staff": "too long: at most 20 characters",
    }
    check_shift_people(" 郭红梅 ", ["王丽娟", "刘晓宇"], "zh")  # fine: nothing raised


def test_reports_never_made_before_the_final_one_stay_in_the_handover(
    calm_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An incident known at 10:06 whose 首报 (due 10:36) and 书面报告 (due 11:06) were never made, then
    closed by a 终报 at 11:30: the shift's handover listed no late report at all (closing it wiped the
    漏报 that `summary` had shown a minute before), while 迟报 and 漏报 are what it must hold to account."""
    store = Store(calm_store, actor="wanglj")
    plan_shift(store, date(2026, 11, 28), leader="郭红梅", staff=["王丽娟"])
    at(monkeypatch, "2026-11-28T10:06")
    missed = open_incident(store, title="车库燃气泄漏", category=IncidentCategory.ACCIDENT)
    kept = open_incident(store, title="广告牌倾斜", category=IncidentCategory.NATURAL)
    report_incident(store, kept.id, ReportStage.PHONE, to="区应急局")
    at(monkeypatch, "2026-11-28T10:50")
    report_incident(store, kept.id, ReportStage.WRITTEN, to="区应急局", at=datetime(2026, 11, 28, 10, 50, tzinfo=TZ))
    at(monkeypatch, "2026-11-28T11:29")
    owed = {(late.incident.id, late.slot.stage) for late in handover_report(store, clock.now()).late_reports}
    assert owed == {(missed.id, ReportStage.PHONE), (missed.id, ReportStage.WRITTEN)}
    at(monkeypatch, "2026-11-28T11:30")
    report_incident(store, missed.id, ReportStage.FINAL, to="区应急局")
    report_incident(store, kept.id, ReportStage.FINAL, to="区应急局")  # its 续报 not due till 14:50: nothing missed
    report = handover_report(store, clock.now())
    assert [(late.incident.id, late.slot.stage, late.slot.report) for late in report.late_reports] == [
        (missed.id, ReportStage.PHONE, None),
        (missed.id, ReportStage.WRITTEN, None),
    ]
    handed = hand_over(store, report).handover
    assert handed is not None and [line.split()[:2] for line in handed.late_reports] == [
        [missed.id, "phone"],
        [missed.id, "written"],
    ]
    assert handover_report(store, clock.now()).late_reports == report.late_reports  # read back from the record


def test_a_past_shifts_report_lists_the_incidents_open_at_its_end_as_they_were_then(
    calm_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The 11-27 shift was not handed over; read at 11-28 10:00 (`handover --shift duty-20261127`, the
    next officer looking at what was left), its report listed the incident the 11-28 shift learned of
    at 08:45, with the reports that shift made, its clock counted from 08:00 (下次报送 … 剩5小时30分), and
    left out the one open at 08:00 and closed by a 终报 at 09:00. A shift's report lists the incidents
    open at its end, as they were then."""
    store = Store(calm_store, actor="wanglj")
    at(monkeypatch, "2026-11-27T09:00")
    plan_shift(store, date(2026, 11, 27), leader="郭红梅", staff=["王丽娟"])
    plan_shift(store, date(2026, 11, 28), leader="马志远", staff=["赵雪梅"])
    at(monkeypatch, "2026-11-28T07:00")
    before = open_incident(store, title="河堤渗水", category=IncidentCategory.NATURAL)
    report_incident(store, before.id, ReportStage.PHONE, to="区应急局")
    at(monkeypatch, "2026-11-28T08:45")
    after = open_incident(store, title="车库燃气泄漏", category=IncidentCategory.ACCIDENT)
    report_incident(store, after.id, ReportStage.PHONE, to="区应急局")
    report_incident(store, before.id, ReportStage.WRITTEN, to="区应急局")
    at(monkeypatch, "2026-11-28T09:00")
    report_incident(store, before.id, ReportStage.FINAL, to="区应急局")
    at(monkeypatch, "2026-11-28T10:00")
    report = handover_report(store, clock.now(), shift_id="duty-20261127")
    assert [c.incident.id for c in report.incidents] == [before.id], report.incidents
    [then] = report.incidents
    assert [r.stage for r in then.incident.reports] == [ReportStage.PHONE]  # the written one came at 08:45
    assert then.next is not None and then.next.stage is ReportStage.WRITTEN  # due 08:00, at the shift's end


@pytest.mark.parametrize(
    ("command", "lang", "said"),
    [
        (["report", "--stage", "final"], "zh", "终报 2026-11-28 11:30"),
        (["report", "--stage", "终报"], "en", "final report 2026-11-28 11:30"),
        (["close"], "zh", "终报 2026-11-28 11:30"),
    ],
)
def test_a_final_report_says_the_incident_is_closed(
    runner: CliRunner, calm_store: Path, monkeypatch: pytest.MonkeyPatch, command: list[str], lang: str, said: str
) -> None:
    """`incident report --stage final` printed the incident's id alone (no next report was due), so it
    did not say the incident was closed; `close`, the same step, said so."""
    at(monkeypatch, "2026-11-28T10:06")
    incident_id = run(runner, calm_store, "incident", "open", "--title", "河堤渗水", "--category", "natural").split()[0]
    at(monkeypatch, "2026-11-28T11:30")
    verb, *stage = command
    printed = run(runner, calm_store, "--lang", lang, "incident", verb, incident_id, *stage, "--to", "区应急局")
    assert printed == f"{incident_id} {said}"


def test_a_closed_incident_leaves_the_small_open_file(calm_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store(calm_store, actor="wanglj")
    incident = open_incident(
        store, title="停电", category=IncidentCategory.ACCIDENT, known_at=datetime(2026, 11, 28, 8, 40, tzinfo=TZ)
    )
    for stage in (ReportStage.PHONE, ReportStage.WRITTEN):
        report_incident(store, incident.id, stage, to="区应急局")
    with pytest.raises(DutyRefused):
        report_incident(
            store, incident.id, ReportStage.FOLLOW_UP, to="区应急局", at=datetime(2026, 11, 28, 8, 0, tzinfo=TZ)
        )
    at(monkeypatch, "2026-12-01T10:00")  # closed in December: filed under December
    closed = report_incident(store, incident.id, ReportStage.FINAL, to="区应急局", note="已恢复供电")
    assert closed.closed_at == clock.now() and closed.ended_at == clock.now()
    assert store.all(Incident) == [] and [i.id for i in store.all(Incident, "2026-12")] == [incident.id]
    assert find_incident(store, incident.id).reports[-1].stage is ReportStage.FINAL
    assert report_clock(store, clock.now()) == [] and late_reports(store, clock.now()) == []
    with pytest.raises(DutyRefused):
        report_incident(store, incident.id, ReportStage.FOLLOW_UP, to="区应急局")
    store.check()  # every file still validates


def test_handover_records_refuse_rewriting(calm_store: Path) -> None:
    handover = Handover(id="ho-x", shift_id="duty-20261128", at=datetime(2026, 11, 29, 8, tzinfo=TZ), outgoing_by="a")
    with pytest.raises(ValidationError):
        handover.model_validate({**handover.model_dump(), "acknowledged_by": "a", "acknowledged_at": handover.at})
    acked = handover.model_copy(update={"acknowledged_by": "b", "acknowledged_at": handover.at})
    with pytest.raises(ValueError):
        acked.model_copy(update={"notes": "改"}).check_update(handover)
    with pytest.raises(ValueError):
        acked.model_copy(update={"incoming_notes": "again"}).check_update(acked)
    acked.check_update(handover)  # the acknowledgement itself is allowed


def test_limits_must_make_sense() -> None:
    with pytest.raises(ValidationError):
        ReportLimits(phone_minutes=60, written_minutes=30)
    rules = DutyRules(by_level={IncidentLevel.MAJOR_I: ReportLimits(phone_minutes=10, written_minutes=20)})
    assert rules.limits(IncidentLevel.MAJOR_I).phone_minutes == 10
    assert rules.limits(IncidentLevel.ORDINARY).phone_minutes == 30


# ---------------------------------------------------------------------------
# The demo


def test_demo_duty_room(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from store.demo import build_demo
    from store.demo.duty import seed_duty_room

    at(monkeypatch, "2026-11-28T09:30")
    store = Store(tmp_path / "demo", actor="demo")
    build_demo(store)
    written = seed_duty_room(store, clock.today())
    assert written == 7 + 5 + 1
    store.check()
    now = clock.now()
    shift = shift_at(store, now)
    assert shift is not None and shift.id == "duty-20261128" and len(shift.staff) == 2 and shift.phones
    assert any(s.swaps for s in store.all(DutyShift, "2026-11"))
    clocks = report_clock(store, now)
    assert len(clocks) == 1 and not clocks[0].late and clocks[0].next.stage is ReportStage.FOLLOW_UP
    status = duty_status(store, now)  # what the header shows
    assert status.shift == shift and status.next_handover == shift.ends_at and status.late == []
    assert status.next_report == (clocks[0].incident, clocks[0].next)
    assert duty_status(store, now + timedelta(hours=5)).late == [(clocks[0].incident, clocks[0].next)]
    report = handover_report(store, now)
    assert len(report.entries) == 5 and report.open_cases and report.incidents
    assert any(e.current().content != e.content for e in store.all(DutyLogEntry, "2026-11"))  # a corrected entry
    assert dashboard(store, now).headline.on_duty.startswith(shift.leader)


@pytest.mark.parametrize("moment", ["2026-11-28T09:30", "2026-11-28T12:00", "2026-11-28T08:20"])
def test_the_demo_log_is_spread_over_the_shift_gone_by(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, moment: str
) -> None:
    """At 09:30 every one of the shift's entries said 08:00: each was put its hours before now and
    clamped to the shift's start. They are spread over the shift up to now, in their order, the
    incident known early enough for its 首报 and 书面报告 where the shift allows; the same every build."""
    from store.demo import build_demo

    at(monkeypatch, moment)
    now = clock.now()

    def built(name: str) -> list[DutyLogEntry]:
        store = Store(tmp_path / name, actor="demo")
        build_demo(store)
        return sorted(store.all(DutyLogEntry, "2026-11"), key=lambda e: e.id)

    entries = built("a")
    assert entries == built("b")  # deterministic
    start = shift_at(Store(tmp_path / "a"), now).starts_at  # type: ignore[union-attr]
    times = [e.at for e in entries]
    assert len(set(times)) == len(times), times
    assert all(start <= t <= now for t in times)
    assert all(event.at <= now for e in entries for event in e.history)
    logged = [e.at for e in entries if e.incident_id is None]
    assert logged == sorted(logged) and logged[-1] > now - timedelta(hours=1)
    if now - start >= timedelta(hours=1):
        assert [r.stage for r in Store(tmp_path / "a").all(Incident)[0].reports] == [
            ReportStage.PHONE,
            ReportStage.WRITTEN,
        ]


def test_an_entry_linked_to_an_existing_case_both_ways(
    calm_store: Path, monkeypatch: pytest.MonkeyPatch, runner: CliRunner
) -> None:
    from store.dutylog import entries_for_petition

    store = Store(calm_store, actor="wanglj")
    at(monkeypatch, "2026-11-28T10:00")
    first = log_entry(store, kind=LogKind.CALL, content="3号楼漏水", caller="赵六", community_id="dongcheng")
    case = petition_from_entry(store, first.id)
    at(monkeypatch, "2026-11-28T11:00")
    again = log_entry(store, kind=LogKind.CALL, content="3号楼漏水，第二次来电催办", caller="赵六")
    assert run(runner, calm_store, "duty", "link", again.id, case.id) == f"{again.id} → {case.id}"
    linked = runner.invoke(cli, ["--store", str(calm_store), "duty", "link", again.id, case.id])
    assert linked.exit_code == 1 and "已关联" in linked.output
    missing = runner.invoke(cli, ["--store", str(calm_store), "--lang", "en", "duty", "link", again.id, "MK000000-999"])
    assert missing.exit_code == 1 and "MK000000-999" in missing.output
    saved = store.get(Petition, case.id)
    assert [e.action for e in saved.history] == ["create", "from_log", "link_log"]
    assert [e.content for e in entries_for_petition(store, saved)] == ["3号楼漏水", "3号楼漏水，第二次来电催办"]
    listed = json.loads(run(runner, calm_store, "duty", "entries", "--json"))
    assert [(e["id"], e["petition_ids"], e["caller"]) for e in listed] == [
        (first.id, [case.id], "赵*"),
        (again.id, [case.id], "赵*"),
    ]


def test_every_duty_refusal_has_words_in_both_languages() -> None:
    import re

    from store import i18n

    root = Path(__file__).resolve().parent.parent
    source = "".join((root / name).read_text(encoding="utf-8") for name in ("store/dutylog.py", "store/handover.py"))
    keys = set(re.findall(r'DutyRefused\("(\w+)"', source))
    assert len(keys) > 15
    for key in keys:
        zh, en = i18n.t(f"refused.{key}", "zh"), i18n.t(f"refused.{key}", "en")
        assert zh != f"refused.{key}" and en != zh, key
    for enum in (LogKind, IncidentCategory, IncidentLevel, ReportStage):
        for member in enum:
            assert i18n.label(member, "zh") != i18n.label(member, "en") != f"{enum.__name__}.{member.value}"


def test_store_text_stays_text_in_the_exports(
    calm_store: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import io

    from duty_room.handover_export import render_markdown, render_xlsx

    store = Store(calm_store, actor="wanglj")
    plan_shift(store, date(2026, 11, 28), leader="郭红梅", staff=["王丽娟"])
    at(monkeypatch, "2026-11-28T10:00")
    log_entry(
        store, kind=LogKind.CALL, content='=HYPERLINK("http://x","点我")', source="a|b", action_taken="第一行\n第二行"
    )
    report = handover_report(store, clock.now())
    book = load_workbook(io.BytesIO(render_xlsx(report)))
    cell = next(c for row in book["值班记录"].iter_rows() for c in row if c.value and str(c.value).startswith("=HYPER"))
    assert cell.data_type == "s"  # a string, not a formula
    md = render_markdown(report)
    row = next(line for line in md.splitlines() if "HYPERLINK" in line)
    assert row.count("|") == 9 and "a｜b" in row and "第一行 ⏎ 第二行" in row  # one table row, whatever the text


def test_a_roster_from_before_shifts_were_filed_by_month_still_counts(
    calm_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store written before this change keeps its shifts in duty.json: they are still read, and checked."""
    store = Store(calm_store, actor="wanglj")
    with store.transaction() as tx:
        tx.put(DutyShift(id="d1", day=date(2026, 11, 28), leader="刘晓宇", staff=["王献伟"]))
    month_file = calm_store / "duty" / "2026-11.json"
    (calm_store / "duty.json").write_bytes(month_file.read_bytes())
    month_file.unlink()
    store = Store(calm_store)
    assert shift_at(store, datetime(2026, 11, 29, 7, 59, tzinfo=TZ)).id == "d1"  # 08:00 to 08:00, as new ones
    assert shift_at(store, datetime(2026, 11, 28, 7, 0, tzinfo=TZ)).id == "d1"  # before it starts: the day's shift
    assert dashboard(store, datetime(2026, 11, 28, 9, 0, tzinfo=TZ)).headline.on_duty == "刘晓宇、王献伟"
    assert "duty.json" in store.check()
    # Without any shift the next handover is the regular change of shift.
    assert next_handover(store, datetime(2026, 12, 5, 7, 0, tzinfo=TZ)) == datetime(2026, 12, 5, 8, tzinfo=TZ)
    assert next_handover(store, datetime(2026, 12, 5, 9, 0, tzinfo=TZ)) == datetime(2026, 12, 6, 8, tzinfo=TZ)


def test_a_report_written_down_late_is_judged_by_when_it_was_made(
    calm_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(calm_store, actor="wanglj")
    incident = open_incident(
        store, title="停水", category=IncidentCategory.ACCIDENT, known_at=datetime(2026, 11, 28, 8, 0, tzinfo=TZ)
    )
    report_incident(store, incident.id, ReportStage.WRITTEN, to="区应急局", at=datetime(2026, 11, 28, 8, 50, tzinfo=TZ))
    # The phone call at 08:20 is only written down now: on time, and the 续报 counts from the written report.
    recorded = report_incident(
        store, incident.id, ReportStage.PHONE, to="区应急局", at=datetime(2026, 11, 28, 8, 20, tzinfo=TZ)
    )
    assert [r.stage for r in recorded.reports] == [ReportStage.WRITTEN, ReportStage.PHONE]  # as recorded
    clock_now = incident_clock_for(store, incident.id)
    assert clock_now.late == [] and clock_now.next.stage is ReportStage.FOLLOW_UP
    assert clock_now.next.due == datetime(2026, 11, 28, 12, 50, tzinfo=TZ)
    with pytest.raises(DutyRefused, match="final report cannot be dated before"):
        report_incident(
            store, incident.id, ReportStage.FINAL, to="区应急局", at=datetime(2026, 11, 28, 8, 30, tzinfo=TZ)
        )


def incident_clock_for(store: Store, incident_id: str):
    from store.dutylog import incident_clock

    return incident_clock(find_incident(store, incident_id), clock.now())


def test_a_refused_log_line_names_its_field_by_its_label(small_store: Store) -> None:
    """`duty log --content ''` said `content: 必填`."""
    from click.testing import CliRunner

    from duty_room.cli import cli

    result = CliRunner().invoke(
        cli, ["--store", str(small_store.root), "duty", "log", "--kind", "来电", "--content", ""]
    )
    assert result.exit_code == 1
    assert result.output.startswith("duty-room: 内容：必填"), result.output


def test_a_time_of_day_typed_after_midnight_is_last_nights(
    runner: CliRunner, calm_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 00:30, `--at 23:50` (a call 40 minutes ago) and the README's `--known 23:55` were taken as
    tonight's 23:50 and refused (时间 2026-11-29 23:50 还没到); a time of day not yet come today is
    yesterday's for what has happened. `duty today --at 23:00` still looks ahead, and a time just
    past now (00:31, within the clock's minute) stays today's."""
    root = calm_store
    run(runner, root, "duty", "plan", "2026-11-28", "--leader", "郭红梅", "--staff", "王丽娟")
    run(runner, root, "duty", "plan", "2026-11-29", "--leader", "马志远", "--staff", "张海涛")
    at(monkeypatch, "2026-11-29T00:30")
    late = run(runner, root, "duty", "log", "--kind", "来电", "--content", "深夜来电", "--at", "23:50")
    incident = run(runner, root, "incident", "open", "--title", "河堤渗水", "--category", "natural", "--known", "23:55")
    now = run(runner, root, "duty", "log", "--kind", "来电", "--content", "刚才", "--at", "00:31")
    entries = {e["id"]: e for e in json.loads(run(runner, root, "duty", "entries", "--json"))}
    assert late == "ZB261128-001" and entries[late]["at"] == "2026-11-28T23:50:00+08:00"
    assert incident.startswith("SJ261128-01 ") and "首报 11-29 00:25" in incident
    assert entries[now]["at"] == "2026-11-29T00:31:00+08:00"
    ahead = json.loads(run(runner, root, "duty", "today", "--json", "--at", "23:00"))
    assert ahead["shift"]["id"] == "duty-20261129"
    # By day a time not yet come is a slip, not yesterday's: at 10:00, --at 10:30 is refused.
    at(monkeypatch, "2026-11-29T10:00")
    slip = runner.invoke(
        cli, ["--store", str(root), "duty", "log", "--kind", "来电", "--content", "x", "--at", "10:30"]
    )
    assert slip.exit_code == 1 and "还没到" in slip.output, slip.output


def test_an_unknown_community_on_a_log_line_or_an_incident_is_refused(runner: CliRunner, calm_store: Path) -> None:
    """`duty log --community nope` and `incident open --community nope` wrote the line (and the
    incident) with a community no one has, where `petition add` and `duty to-case` name the known
    ones: refused alike, exit 1, one line, nothing written; a known id is still taken."""
    before = store_bytes(calm_store)
    for args in (
        ("duty", "log", "--content", "来电：3号楼停水", "--community", "nope"),
        ("incident", "open", "--title", "河堤渗水", "--category", "natural", "--community", "nope"),
    ):
        refused = runner.invoke(cli, ["--store", str(calm_store), *args])
        assert refused.exit_code == 1, refused.output
        assert refused.output.strip() == "duty-room: 没有社区「nope」；已有：dongcheng 东城花园社区", refused.output
        assert store_bytes(calm_store) == before
    entry_id = run(runner, calm_store, "duty", "log", "--content", "来电：3号楼停水", "--community", "dongcheng")
    assert find_entry(Store(calm_store, actor="x"), entry_id).community_id == "dongcheng"


def test_days_and_times_typed_with_a_chinese_input_method_are_taken(
    runner: CliRunner, calm_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README: full-width digits and signs typed with a Chinese input method (２０２７－０６－３０,
    ０７：３０) are turned into ASCII in one place. `duty plan ２０２６－１１－２９` and `--at ０９：１０`
    were refused as no date and no time (时间格式不对), where every form and the workbook take them."""
    at(monkeypatch, "2026-11-28T10:00")
    shift = run(runner, calm_store, "duty", "plan", "２０２６－１１－２９", "--leader", "郭红梅", "--staff", "王丽娟")
    assert shift.startswith("duty-20261129 ")
    entry_id = run(runner, calm_store, "duty", "log", "--content", "来电：3号楼停水", "--at", "０９：１０")
    assert find_entry(Store(calm_store, actor="x"), entry_id).at == datetime(2026, 11, 28, 9, 10, tzinfo=TZ)
    incident_id = run(
        runner, calm_store, "incident", "open", "--title", "河堤渗水", "--category", "natural",
        "--known", "２０２６－１１－２８　０９：２０",
    ).split()[0]  # fmt: skip
    assert find_incident(Store(calm_store, actor="x"), incident_id).known_at == datetime(2026, 11, 28, 9, 20, tzinfo=TZ)
    today = json.loads(run(runner, calm_store, "duty", "today", "--at", "２０２６－１１－２９ ０９：００", "--json"))
    assert today["shift"]["id"] == "duty-20261129"


def test_a_refused_swap_or_incident_names_no_stored_key_in_chinese(runner: CliRunner, calm_store: Path) -> None:
    """The README: a refused field is named by its form's label in Chinese. `duty swap --asked-by ""`
    said `asked_by: 必填`, and an incident known before it happened `record: 接报时间早于事发时间`:
    the swap's fields by their words now, and a rule over the whole record with no key before it."""
    run(runner, calm_store, "duty", "plan", "2026-11-28", "--leader", "郭红梅", "--staff", "王丽娟")
    before = store_bytes(calm_store)
    swap = ("duty", "swap", "duty-20261128", "--replace", "王丽娟", "--with", "刘晓宇")
    for args, line in (
        ((*swap, "--asked-by", "", "--approved-by", "郭红梅"), "duty-room: 申请人：必填"),
        (
            (
                "incident",
                "open",
                "--title",
                "河堤渗水",
                "--category",
                "natural",
                "--occurred",
                "08:50",
                "--known",
                "08:40",
            ),
            "duty-room: 接报时间早于事发时间",
        ),
    ):
        refused = runner.invoke(cli, ["--store", str(calm_store), *args])
        assert refused.exit_code == 1 and refused.output.strip() == line, refused.output
        assert store_bytes(calm_store) == before
    english = runner.invoke(
        cli, ["--store", str(calm_store), "--lang", "en", *swap, "--asked-by", "", "--approved-by", "x"]
    )
    assert english.exit_code == 1 and english.output.strip() == "duty-room: asked_by: required", english.output


def test_correcting_an_entrys_kind_takes_its_chinese_word_and_names_the_choices(
    runner: CliRunner, calm_store: Path
) -> None:
    """`duty correct ID --set kind=来电` (the word `duty log --kind` takes) was refused as 类别：必填, and
    so was a slip (kind=乱), which is not empty: the word is taken as `duty log` takes it, and a slip
    names the choices, nothing written."""
    entry_id = run(runner, calm_store, "duty", "log", "--kind", "document", "--content", "区民政局来文")
    before = store_bytes(calm_store)
    refused = runner.invoke(
        cli, ["--store", str(calm_store), "duty", "correct", entry_id, "--set", "kind=乱", "--note", "x"]
    )
    assert refused.exit_code == 1 and refused.output.startswith("duty-room: 「乱」不是可选的值；可选：call (来电)")
    assert store_bytes(calm_store) == before
    run(runner, calm_store, "duty", "correct", entry_id, "--set", "kind=来电", "--note", "其实是电话")
    assert find_entry(Store(calm_store, actor="x"), entry_id).current().kind is LogKind.CALL


def test_a_shifts_phones_are_refused_in_the_interface_language(runner: CliRunner, calm_store: Path) -> None:
    """`duty plan … --phone 王=…` for someone not on the shift said `a phone for someone not on the
    shift: 王` in English, and a bad number `phones.张: 电话格式不对…` after a stored key: both in words
    now (the number's owner named), exit 1, nothing written."""
    before = store_bytes(calm_store)
    plan = ("duty", "plan", "2026-11-29", "--leader", "张明", "--staff", "王丽娟")
    for args, zh, en in (
        (
            (*plan, "--phone", "李四=13812345678"),
            "duty-room: 李四 不在本班，不能登记他的电话（只登记带班领导和值班员的）",
            "duty-room: a phone for someone not on the shift: 李四",
        ),
        (
            (*plan, "--phone", "张明=123"),
            "duty-room: 电话（张明）：电话格式不对：手机 11 位（1 开头），座机带区号如 0393-1234567",
            "duty-room: phones.张明: not a phone number: 11-digit mobile or 0393-1234567",
        ),
    ):
        for lang, line in (("zh", zh), ("en", en)):
            refused = runner.invoke(cli, ["--store", str(calm_store), "--lang", lang, *args])
            assert refused.exit_code == 1 and refused.output.strip() == line, refused.output
        assert store_bytes(calm_store) == before


def test_a_log_line_is_the_line_of_one_incident(runner: CliRunner, calm_store: Path) -> None:
    """`incident open --entry ZB…` named a line that was already another incident's (the one
    `incident open` wrote for it, or an earlier `--entry`): a second incident with its own reporting
    clocks for the same call. Refused, naming the incident, nothing written; a line of none is taken."""
    first = run(runner, calm_store, "incident", "open", "--title", "河堤渗水", "--category", "natural").split()[0]
    written = find_incident(Store(calm_store, actor="x"), first).entry_id
    call = run(runner, calm_store, "duty", "log", "--content", "来电：5号楼地下车库燃气泄漏")
    second = run(
        runner, calm_store, "incident", "open", "--title", "燃气泄漏", "--category", "accident", "--entry", call
    )
    before = store_bytes(calm_store)
    for entry_id, incident_id in ((written, first), (call, second.split()[0])):
        refused = runner.invoke(
            cli,
            [
                "--store",
                str(calm_store),
                "incident",
                "open",
                "--title",
                "又一起",
                "--category",
                "natural",
                "--entry",
                entry_id,
            ],
        )
        assert refused.exit_code == 1, refused.output
        assert refused.output.strip() == f"duty-room: 值班记录 {entry_id} 已是突发事件 {incident_id} 的接报记录", (
            refused.output
        )
        assert store_bytes(calm_store) == before


def test_over_long_handover_notes_are_named_by_their_label(runner: CliRunner, calm_store: Path) -> None:
    """`handover --give --notes <5000 字>` said `notes: 太长了…` after the stored key: by the form's label."""
    run(runner, calm_store, "duty", "plan", "2026-11-28", "--leader", "郭红梅", "--staff", "王丽娟")
    before = store_bytes(calm_store)
    refused = runner.invoke(cli, ["--store", str(calm_store), "handover", "--give", "--notes", "长" * 5000])
    assert refused.exit_code == 1, refused.output
    assert refused.output.strip() == "duty-room: 交班说明（遗留问题、需跟进事项）：太长了：最多 2000 个字", (
        refused.output
    )
    assert store_bytes(calm_store) == before


def test_a_log_line_before_the_previous_shift_is_written_only_with_late(
    runner: CliRunner, calm_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`duty log --at 2025-11-28 09:00` (a year back) was written without a word, into a shift long
    handed over. The 值班记录 is written during the shift: a time in the shift on duty or the one
    before it is taken; an older one is refused (exit 1, one line, nothing written) unless `--late`
    says it is a late entry on purpose."""
    root = calm_store
    run(runner, root, "duty", "plan", "2026-11-28", "--leader", "马志远", "--staff", "张海涛")
    at(monkeypatch, "2026-11-28T10:00")  # the shift on duty began 08:00; the one before it (no roster), a day earlier
    before = store_bytes(root)
    for typed in ("2025-11-28 09:00", "2026-11-27 07:59"):
        refused = runner.invoke(cli, ["--store", str(root), "duty", "log", "--content", "x", "--at", typed])
        assert refused.exit_code == 1, refused.output
        assert refused.output == (
            f"duty-room: 时间 {typed} 早于上一班（2026-11-27 08:00 起）：值班记录当班写；"
            "补记更早的，用 duty-room duty log --late\n"
        )
        assert store_bytes(root) == before
    english = runner.invoke(
        cli, ["--store", str(root), "--lang", "en", "duty", "log", "--content", "x", "--at", "2025-11-28 09:00"]
    )
    assert english.output == (
        "duty-room: 2025-11-28 09:00 is before the previous shift, which began 2026-11-27 08:00: the duty log "
        "is written on shift; a late entry goes in with duty-room duty log --late\n"
    )
    previous = run(runner, root, "duty", "log", "--content", "昨天的来电", "--at", "2026-11-27 08:00")
    late = run(runner, root, "duty", "log", "--content", "补记", "--at", "2025-11-28 09:00", "--late")
    assert find_entry(Store(root, actor="x"), previous).at == datetime(2026, 11, 27, 8, tzinfo=TZ)
    assert find_entry(Store(root, actor="x"), late).at == datetime(2025, 11, 28, 9, tzinfo=TZ)


def test_an_incident_learnt_of_before_the_previous_shift_is_opened_only_with_late(
    runner: CliRunner, calm_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`incident open --known 2025-11-28 09:00` (a slipped year) started every report clock a year
    overdue without a word. The 接报 is the log's line: refused as a log line's `--at` is, naming the
    command's own `--late`, and nothing written; with `--late` it is opened as typed."""
    root = calm_store
    run(runner, root, "duty", "plan", "2026-11-28", "--leader", "马志远", "--staff", "张海涛")
    at(monkeypatch, "2026-11-28T10:00")  # the shift on duty began 08:00; the one before it, a day earlier
    before = store_bytes(root)
    opening = ["--store", str(root), "incident", "open", "--title", "河堤渗水", "--category", "natural"]
    refused = runner.invoke(cli, [*opening, "--known", "2025-11-28 09:00"])
    assert refused.exit_code == 1 and refused.output == (
        "duty-room: 时间 2025-11-28 09:00 早于上一班（2026-11-27 08:00 起）：值班记录当班写；"
        "补记更早的，用 duty-room incident open --late\n"
    )
    assert store_bytes(root) == before
    opened = runner.invoke(cli, [*opening, "--known", "2025-11-28 09:00", "--late"])
    assert opened.exit_code == 0, opened.output
    [incident] = Store(root, actor="x").all(Incident)
    assert incident.known_at == datetime(2025, 11, 28, 9, tzinfo=TZ)


def test_a_masked_caller_copied_into_a_correction_is_refused(calm_store: Path) -> None:
    """`duty entries` shows the caller masked (张**); `duty correct --set caller=张**明` saved the stars
    as the caller's name, where the dashboard's 更正 form refuses a masked value typed on. The store
    refuses it now, for the command line too, and nothing is written."""
    store = Store(calm_store, actor="wanglj")
    entry = log_entry(store, kind=LogKind.CALL, content="3号楼漏水", caller="张桂英", phone="13838930102")
    before = store_bytes(calm_store)
    result = CliRunner().invoke(
        cli, ["--store", str(calm_store), "duty", "correct", entry.id, "--set", "caller=张**明", "--note", "更正"]
    )
    assert result.exit_code == 1 and "脱敏" in result.stderr, result.output
    assert store_bytes(calm_store) == before
    with pytest.raises(DutyRefused):
        correct_entry(store, entry.id, {"caller": "张*"}, note="更正")
    assert correct_entry(store, entry.id, {"caller": "张桂芳"}, note="更正").current().caller == "张桂芳"


# ---------------------------------------------------------------------------
# What the duty room logs, and who wrote it


def test_a_walk_in_and_a_patrol_are_logged_as_what_they_are(
    runner: CliRunner, calm_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A duty room logs a walk-in (来访) and a patrol (巡查) as often as a call: they were 其他. They are
    kinds of their own, on the command line in either language, in `duty entries` and in both exports;
    the kinds stored before (call … other) read as they did."""
    from duty_room.handover_export import render_markdown, render_xlsx

    root = calm_store
    run(runner, root, "duty", "plan", "2026-11-28", "--leader", "郭红梅", "--staff", "王丽娟")
    visit = run(runner, root, "duty", "log", "--kind", "来访", "--content", "村民来访反映低保", "--caller", "赵大爷")
    patrol = run(runner, root, "duty", "log", "--kind", "patrol", "--content", "夜间巡查河堤，未见险情")
    other = run(runner, root, "--lang", "en", "duty", "log", "--kind", "visit", "--content", "来访咨询")
    store = Store(root)
    kinds = {i: find_entry(store, i).kind for i in (visit, patrol, other)}
    assert kinds == {visit: LogKind.VISIT, patrol: LogKind.PATROL, other: LogKind.VISIT}
    listed = run(runner, root, "duty", "entries")
    assert f"{visit} 11-28 09:00 来访 赵**" in listed and f"{patrol} 11-28 09:00 巡查:" in listed, listed
    assert f"{patrol} 11-28 09:00 patrol:" in run(runner, root, "--lang", "en", "duty", "entries")
    assert {"call", "document", "instruction", "incident", "other"} <= {k.value for k in LogKind}  # as stored
    report = handover_report(store, clock.now())
    md = render_markdown(report)
    assert "| 来访 |" in md and "| 巡查 |" in md, md
    assert "| visit |" in render_markdown(report, "en")
    book = load_workbook(io.BytesIO(render_xlsx(report)))
    cells = {c.value for row in book["值班记录"].iter_rows() for c in row}
    assert {"来访", "巡查"} <= cells


def test_a_log_entry_keeps_who_wrote_it_and_when_through_its_corrections(
    calm_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Who wrote an entry was said only of its corrections (the record's stamp is its last writer's).
    It keeps the account that wrote it and when, whoever corrects it later; the hand-over's copies say
    both in each row. An entry written before this has neither: it reads, and says nothing of it."""
    from duty_room.handover_export import entry_cells, render_markdown

    plan_shift(Store(calm_store, actor="setup"), date(2026, 11, 28), leader="郭红梅", staff=["王丽娟"])
    at(monkeypatch, "2026-11-28T09:40")
    entry = log_entry(
        Store(calm_store, actor="wanglj"),
        kind=LogKind.CALL,
        content="3号楼漏水",
        at=datetime(2026, 11, 28, 9, 5, tzinfo=TZ),
    )
    at(monkeypatch, "2026-11-28T10:00")
    correct_entry(Store(calm_store, actor="guohm"), entry.id, {"content": "3号楼2单元漏水"}, note="更正单元")
    stored = find_entry(Store(calm_store), entry.id)
    assert stored.updated_by == "guohm"
    assert stored.recorded() == ("wanglj", datetime(2026, 11, 28, 9, 40, tzinfo=TZ))
    assert stored.current().recorded() == stored.recorded()
    md = render_markdown(handover_report(Store(calm_store), clock.now()))
    row = next(line for line in md.splitlines() if entry.id in line or "3号楼2单元漏水" in line)
    assert "| wanglj 11-28 09:40 |" in row, row
    assert "wanglj 2026-11-28 09:40" in entry_cells(stored, "zh", (), year=True)

    # Written before the recorder was kept: nothing said (its stamp is the last writer's, not the first's).
    month = calm_store / "duty_log" / "2026-11.json"
    raw = json.loads(month.read_text(encoding="utf-8"))
    for table in raw.values():
        for record in table.values():
            if "content" in record:  # (not the file's _meta)
                record.pop("recorded_by"), record.pop("recorded_at")
    month.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    old = find_entry(Store(calm_store), entry.id)
    assert old.recorded() == ("", None) and "3号楼2单元漏水" in old.current().content
    uncorrected = DutyLogEntry.model_validate(
        {**old.model_dump(), "history": [], "updated_by": "liuxy", "updated_at": "2026-11-28T09:41:00+08:00"}
    )
    assert uncorrected.recorded() == ("liuxy", datetime(2026, 11, 28, 9, 41, tzinfo=TZ))  # never rewritten: its writer


def test_a_duty_room_that_reads_only_schema_3_is_told_to_upgrade_not_that_the_log_is_damaged(
    calm_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A log entry keeps 记录人 and may be a 来访 or a 巡查: fields and choices schema 3's models refuse.
    Written under schema 3, a dashboard started before the upgrade named the month's file as damage
    and asked for a backup (a restore would lose the shift's entries). The store now says schema 4,
    which that dashboard's check refuses as a newer layout (升级), before any record is validated."""
    from store import storage
    from store.errors import StoreCorruptError, StoreSchemaError

    at(monkeypatch, "2026-11-28T09:40")
    log_entry(Store(calm_store, actor="wanglj"), kind=LogKind.VISIT, content="3号楼住户来访反映漏水")
    month = calm_store / "duty_log" / "2026-11.json"
    assert next(iter(json.loads(month.read_text(encoding="utf-8"))["_meta"].values()))["schema"] == 4
    assert Store(calm_store).manifest()["schema"] == storage.SCHEMA_VERSION == 4

    monkeypatch.setattr(storage, "SCHEMA_VERSION", 3)  # what a duty-room of schema 3 checks
    with pytest.raises(StoreSchemaError) as refused:
        Store(calm_store).manifest()  # read by every reload, before the files it lists
    assert not isinstance(refused.value, StoreCorruptError)
    assert "升级" in refused.value.message("zh") and "备份" not in refused.value.message("zh")


def test_an_incidents_log_line_says_where_it_is_followed_in_the_hand_overs_copies(
    calm_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Panel 5 says 见事件 SJ… on an incident's log line with nothing written under 处理情况; the
    hand-over's copies left the cell empty, as if nothing had been done. They say the same."""
    from duty_room.handover_export import render_markdown, render_xlsx

    store = Store(calm_store, actor="wanglj")
    plan_shift(store, date(2026, 11, 28), leader="郭红梅", staff=["王丽娟"])
    incident = open_incident(store, title="村道塌方", category=IncidentCategory.ACCIDENT)
    report = handover_report(store, clock.now())
    row = next(line for line in render_markdown(report).splitlines() if "| 村道塌方 |" in line)
    assert f"| 见事件 {incident.id} |" in row, row
    assert f"| see {incident.id} |" in render_markdown(report, "en")
    book = load_workbook(io.BytesIO(render_xlsx(report)))
    assert f"见事件 {incident.id}" in {c.value for row in book["值班记录"].iter_rows() for c in row}


def test_a_case_from_an_entry_takes_the_channel_its_kind_came_by(runner: CliRunner, calm_store: Path) -> None:
    """Every case made from a log entry was a 12345热线 case, a walk-in (来访) and what a patrol
    found (巡查) too. A call stays a hotline case and a patrol's find is a grid report (网格员上报); a
    walk-in, which no stored channel names, gets none: `to-case` asks for one (--channel) rather than
    record the wrong one."""
    root = calm_store
    channel_of = lambda case_id: Store(root).get(Petition, case_id).channel.value  # noqa: E731
    common = ("--community", "dongcheng")
    call = run(runner, root, "duty", "log", "--kind", "来电", "--content", "3号楼漏水", *common)
    assert channel_of(run(runner, root, "duty", "to-case", call)) == "hotline"
    patrol = run(runner, root, "duty", "log", "--kind", "巡查", "--content", "河堤护栏缺损", *common)
    assert channel_of(run(runner, root, "duty", "to-case", patrol)) == "grid_report"
    visit = run(runner, root, "duty", "log", "--kind", "来访", "--content", "村民来访反映低保", *common)
    refused = runner.invoke(cli, ["--store", str(root), "duty", "to-case", visit])
    assert refused.exit_code == 1 and refused.output.startswith("duty-room: 渠道"), refused.output
    assert channel_of(run(runner, root, "duty", "to-case", visit, "--channel", "群言亭")) == "talk_point"
