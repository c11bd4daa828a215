"""Two dashboards on one store, each its own process: a change in one shows in the other.

The second test runs the real `duty-room` command in a pseudo-terminal read by pyte, the
way an SSH user sees it, and checks that Chinese columns line up.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rich.text import Text
from textual.pilot import Pilot

from duty_room.app import DutyRoomApp
from store import clock
from store.duty_models import IncidentCategory, LogKind, ReportStage
from store.dutylog import correct_entry, log_entry, open_incident, report_incident
from store.handover import hand_over_now
from store.lifecycle import Action, change_status, perform
from store.models import Petition, PetitionStatus
from store.storage import Store
from tests.conftest import FROZEN_NOW, elsewhere, frozen_command
from tools.ptyterm import Terminal
from widgets.detail import DetailScreen

from pilot import dashboard, desk_panel, settled, shows, until

HERE = Path(__file__).parent
pytestmark = pytest.mark.slow


async def test_status_changed_in_a_second_dashboard_process_appears_in_the_first(small_store: Store) -> None:
    async with dashboard(small_store, refresh_seconds=0.2) as (app, pilot):
        table = desk_panel(app, "petitions").table
        status = lambda: table.cell("MK261127-001", 1)  # noqa: E731
        assert status().plain == "待受理"
        second = subprocess.run(
            [sys.executable, str(HERE / "second_dashboard.py"), str(small_store.root), FROZEN_NOW],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert second.returncode == 0, second.stderr
        await until(pilot, lambda: status().plain == "已受理", "the second dashboard's step to show")
        assert isinstance(status(), Text) and status().plain == "已受理"
    saved = small_store.get(Petition, "MK261127-001")
    assert saved.history[-1].actor == "second-desk"


def test_real_terminal_renders_chinese_aligned_and_follows_another_process(small_store: Store) -> None:
    env = {**os.environ, "TERM": "xterm-256color", "LANG": "C.UTF-8", "COLUMNS": "120", "LINES": "40"}
    term = Terminal(frozen_command("--store", str(small_store.root)), 120, 40, env)
    try:
        assert term.wait_for("燃气管道老化"), term.text()  # the title gives way first at 80 of 120 columns
        term.settle()  # the rows below it may still be on their way (failed once under a full suite's load)
        rows = term.find("MK261127-00")
        assert len(rows) == 4
        # Every row's status and subject start in the same terminal column as their headers:
        # the wide Chinese characters before them were counted as two columns each.
        [header] = [y for y in term.find("编号") if "状态" in term.screen.display[y]]
        status_x = term.column_of(header, "状")
        subject_x = term.column_of(header, "诉")
        statuses = [term.at(y, status_x, 6) for y in rows]
        assert statuses == ["待受理", "已受理", "已派单", "处置中"], term.text()
        subjects = [term.at(y, subject_x, 8) for y in rows]
        assert subjects == ["下水道堵", "[red]楼顶", "燃气管道", "楼道私拉"], term.text()
        change_status(Store(small_store.root, actor="cli"), "MK261127-003", PetitionStatus.IN_PROGRESS)
        before = term.received
        [row] = term.find("MK261127-003")
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and term.at(row, status_x, 6) != "处置中":
            term.pump(0.1)
        assert term.at(row, status_x, 6) == "处置中", term.text()
        assert term.received > before
        term.send("q")
        assert term.wait_closed(), "the dashboard did not quit on q:\n" + term.text()
    finally:
        term.close()


def another_desk_starts_work(root: Path) -> subprocess.CompletedProcess[str]:
    """Another desk, a separate CLI process, sets MK261127-003 to 处置中 with a note."""
    command = frozen_command(
        "--store", str(root), "petition", "set-status", "MK261127-003", "处置中", "--note", "已到现场"
    )
    return subprocess.run(command, capture_output=True, text=True, timeout=60)


async def test_status_changed_with_the_cli_appears_in_a_running_dashboard(small_store: Store) -> None:
    async with dashboard(small_store, refresh_seconds=0.2) as (app, pilot):
        table = desk_panel(app, "petitions").table
        status = lambda: table.cell("MK261127-003", 1).plain  # noqa: E731
        assert status() == "已派单"
        cli = another_desk_starts_work(small_store.root)
        assert cli.returncode == 0, cli.stderr
        assert cli.stdout.strip() == "MK261127-003 in_progress (处置中)"
        await until(pilot, lambda: status() == "处置中", "the CLI's step to show")
        assert status() == "处置中"
    assert small_store.get(Petition, "MK261127-003").history[-1].note == "已到现场"


async def open_case_detail(app: DutyRoomApp, pilot: Pilot[None], case_id: str) -> DetailScreen:
    """Panel 1's detail of ``case_id``, opened as an officer does: the cursor on its row, Enter."""
    panel = desk_panel(app, "petitions")
    panel.table.move_cursor(row=panel.table.keys.index(case_id))
    await pilot.press("enter")
    await settled(app, pilot)
    assert isinstance(app.screen, DetailScreen)
    return app.screen


async def test_an_open_detail_follows_a_change_made_at_another_desk(small_store: Store) -> None:
    """The officer reading a case sees another desk's step arrive in it: its status and history line."""
    async with dashboard(small_store, refresh_seconds=0.2) as (app, pilot):
        detail = await open_case_detail(app, pilot, "MK261127-003")

        def field(name: str) -> str:
            return next(value.plain for label, value in detail.content.fields if label == name)

        def history() -> list[str]:
            return [line.plain for line in dict(detail.content.sections)["办理记录"]]

        assert field("状态") == "已派单" and not any("已到现场" in line for line in history())
        cli = another_desk_starts_work(small_store.root)
        assert cli.returncode == 0, cli.stderr
        await until(pilot, lambda: field("状态") == "处置中", "the other desk's step in the open detail")
        assert field("状态") == "处置中" and "已到现场" in history()[-1]
        assert app.screen is detail  # still open, where the officer left it


async def test_an_open_detail_follows_a_case_another_desk_took_off_the_open_list(small_store: Store) -> None:
    """A case cancelled at another desk left the open list, and its open detail went on saying 已派单
    (the detail was redrawn only from the cases the panel lists): the officer read a state the case no
    longer had. It says 已撤销, and the step, as it does for a step that keeps the case open."""
    async with dashboard(small_store) as (app, pilot):
        detail = await open_case_detail(app, pilot, "MK261127-003")

        def field(name: str) -> str:
            return next(value.plain for label, value in detail.content.fields if label == name)

        assert field("状态") == "已派单"
        perform(elsewhere(small_store), "MK261127-003", Action.CANCEL, note="反映人撤回")
        await shows(app, pilot, lambda data: all(v.petition.id != "MK261127-003" for v in data.petitions))
        assert field("状态") == "已撤销"
        assert "反映人撤回" in dict(detail.content.sections)["办理记录"][-1].plain
        assert field("社区").startswith("东城花园")  # its community and grid, though no list shows the case
        assert app.screen is detail


async def test_an_open_entry_detail_follows_its_entry_after_the_hand_over(small_store: Store) -> None:
    """A log entry's open detail stopped following it once the shift was handed over (it was redrawn
    only from the entries the panel lists, the new shift's): a correction another desk made after the
    hand-over never showed, and the officer read the entry as it no longer stood. It follows the entry
    as stored, the correction marked 交班后更正."""
    entry = log_entry(small_store, kind=LogKind.CALL, content="3号楼漏水", caller="李大妈")
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("5", "enter")
        await settled(app, pilot)
        detail = app.screen
        assert isinstance(detail, DetailScreen)

        def text() -> str:
            rows = [f"{name} {value.plain}" for name, value in detail.content.fields]
            return "\n".join(rows + [line.plain for _, lines in detail.content.sections for line in lines])

        assert "3号楼漏水" in text() and "更正" not in text()
        hand_over_now(elsewhere(small_store), notes="无遗留")
        clock.freeze("2026-11-29T10:00:00+08:00")  # the next shift
        correct_entry(elsewhere(small_store), entry.id, {"content": "3号楼2单元漏水"}, note="来电人更正")
        await shows(app, pilot, lambda data: all(e.id != entry.id for e in data.log))
        assert "交班后更正 内容：3号楼漏水 → 3号楼2单元漏水（来电人更正）" in text(), text()
        assert app.screen is detail


async def test_an_open_incident_detail_follows_its_closing_at_another_desk(small_store: Store) -> None:
    """An incident closed at another desk (its 终报) left the panel, and its open detail went on
    listing the 终报 as 待报送: a report already made, shown as still owed. It shows the 终报 made."""
    incident = open_incident(small_store, title="车库燃气泄漏", category=IncidentCategory.ACCIDENT)
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("5")
        table = desk_panel(app, "dutylog").table
        table.move_cursor(row=table.keys.index(f"incident:{incident.id}"))
        await pilot.press("enter")
        await settled(app, pilot)
        detail = app.screen
        assert isinstance(detail, DetailScreen)

        def section(name: str) -> list[str]:
            return [line.plain for line in dict(detail.content.sections)[name]]

        assert section("待报送") and not any("终报" in line for line in section("已报送"))
        report_incident(elsewhere(small_store), incident.id, ReportStage.FINAL, to="县应急局", note="处置完毕")
        await shows(app, pilot, lambda data: not data.duty.clocks)
        assert section("待报送") == []
        assert any("终报 → 县应急局" in line for line in section("已报送"))
        assert app.screen is detail


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is needed to resize a real terminal")
def test_window_resize_relays_out_without_a_crash(small_store: Store, tmp_path: Path) -> None:
    """tmux resizes a real terminal (SIGWINCH); the layout follows and the app keeps running."""
    socket = str(tmp_path / "tmux.sock")
    # No COLUMNS/LINES: Textual would take them over the real window size and ignore resizes.
    command = (
        f"env -u COLUMNS -u LINES LANG=C.UTF-8 TERM=xterm-256color "
        f"{shlex.join(frozen_command('--store', str(small_store.root)))}"
    )

    def tmux(*args: str) -> str:
        return subprocess.run(["tmux", "-S", socket, *args], capture_output=True, text=True, timeout=10).stdout

    def screen_when(predicate, seconds: float = 8) -> str:  # noqa: ANN001
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            text = tmux("capture-pane", "-p", "-t", "dr")
            if predicate(text):
                return text
            time.sleep(0.1)
        return text

    def fills(text: str, lines: int) -> bool:
        """The dashboard fills the window: the Footer (its palette key) on the window's last line."""
        shown = text.splitlines()
        return len(shown) >= lines and "^p" in shown[lines - 1]

    tmux("new-session", "-d", "-s", "dr", "-x", "120", "-y", "40", command)
    try:
        side_by_side = lambda text: any("3 一老一小" in l and "5 值班记录" in l for l in text.splitlines())  # noqa: E731,E741
        assert side_by_side(screen_when(side_by_side)), tmux("capture-pane", "-p", "-t", "dr")
        tmux("resize-window", "-t", "dr", "-x", "80", "-y", "24")
        stacked = lambda text: any(l.startswith(" 4 摊位") for l in text.splitlines())  # noqa: E731,E741
        text = screen_when(lambda t: stacked(t) and fills(t, 24))
        assert stacked(text) and any(line.startswith(" 2 网格走访") for line in text.splitlines()), text
        assert fills(text, 24), text
        assert "值班:" not in text.splitlines()[0]  # the header drops who is on duty under 100 columns
        tmux("resize-window", "-t", "dr", "-x", "120", "-y", "40")
        text = screen_when(lambda t: side_by_side(t) and "值班:" in t.splitlines()[0] and fills(t, 40))
        assert side_by_side(text) and "值班:" in text.splitlines()[0], text  # and brings it back
        # Laid out at the new size, not the wide layout drawn in the old 80x24 (as it once was).
        assert fills(text, 40), text
        assert "dr" in tmux("list-sessions")  # still running after both resizes
    finally:
        tmux("kill-server")


def test_real_terminal_household_list_lines_up_and_logs_a_visit_at_80x24(small_store: Store) -> None:
    """The drill-down a grid worker's supervisor uses, in a real 80x24 terminal: masked Chinese names
    and the 今日 column line up under their headers, and a visit typed in the form shows."""
    env = {**os.environ, "TERM": "xterm-256color", "LANG": "C.UTF-8", "COLUMNS": "80", "LINES": "24"}
    term = Terminal(frozen_command("--store", str(small_store.root)), 80, 24, env)
    try:
        assert term.wait_for("网格走访"), term.text()
        term.send("2")
        assert term.wait_for("进度"), term.text()  # panel 2 open: its table's heading
        term.send("jjj\r")  # community, large, branch, then the micro grid
        assert term.wait_for("民情日志"), term.text()
        assert term.wait_for("1-1-10"), term.text()  # the rows come after a loading line (read in a worker)
        [header] = [y for y in term.find("门牌") if "户主" in term.screen.display[y]]
        head_x, today_x = term.column_of(header, "户"), term.column_of(header, "今")
        rows = term.find("1-1-10")
        assert len(rows) == 5, term.text()
        assert [term.at(y, head_x, 4) for y in rows] == ["张**"] * 5, term.text()  # 张 fills two columns
        assert sorted(term.at(y, today_x, 4) for y in rows) == ["已访"] + ["待访"] * 4, term.text()
        term.send("v")
        assert term.wait_for("民情日志（走访情况"), term.text()
        term.send("老人身体好\r")  # the note is the first field; the planned visitor is already chosen
        done = lambda: [y for y in term.find("1-1-101") if "张**" in term.screen.display[y]]  # noqa: E731
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and not (done() and term.at(done()[0], today_x, 4) == "已访"):
            term.pump(0.1)
        [row] = done()
        assert term.at(row, today_x, 9) == "已访09:30", term.text()  # visited rows move below the waiting ones
        assert row == rows[-2], term.text()
        term.send("\x1bq")
        assert term.wait_closed(), "the dashboard did not quit on Esc q:\n" + term.text()
    finally:
        term.close()
