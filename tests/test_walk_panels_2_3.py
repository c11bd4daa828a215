"""What a walk of the frozen demo at 80x24 and 120x40 found on panels 2 and 3.

The header said 迟到 0 while panel 3 said 今日迟到1 (two numbers for "late": the header counts the
sessions late now that nobody has checked in, panel 3 the day's late ones, kept once checked in or
completed); a grid's households list wrapped its team line between a worker's name and phone; the
status line cut the key words of a check-in's refusal; the schedule form counted a time's characters
(5/8) as if it were free text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.widgets import Input

from duty_room import words
from duty_room.panels.visits import team_line
from duty_room.presenters import Presenter
from store import clock
from store.deadlines import DeadlineRules
from store.demo import build_demo
from store.models import GridWorker, SessionState
from store.refusal import Refused
from store.schedule import SessionRef, complete
from store.storage import Store
from widgets.form import FieldLabel, FormScreen
from widgets.status_line import fit
from widgets.table_screen import TableScreen

from pilot import NARROW, WIDE, dashboard, desk_panel, screen_text, settled

BUILT = "2026-11-28T09:30:00+08:00"


@pytest.fixture
def demo(tmp_path: Path) -> Store:
    clock.freeze(BUILT)
    root = tmp_path / "demo"
    build_demo(Store(root, actor="builder"))
    return Store(root, actor="duty-officer")


def counted(line: str, label: str, lang: str, *, header: bool = False) -> list[int]:
    """The numbers ``line`` says with ``label``: 迟到未签 1 in the header, 迟到未签1 or "1 absent" on a panel."""
    before = header or lang == "zh"
    pattern = rf"(?<![a-z]){re.escape(label)} ?(\d+)" if before else rf"(\d+) {re.escape(label)}(?![a-z])"
    return [int(n) for n in re.findall(pattern, line)]


@pytest.mark.parametrize("size", [NARROW, WIDE], ids=["80x24", "120x40"])
@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_header_and_panel_3_never_give_late_two_numbers(
    demo: Store, lang: str, size: tuple[int, int]
) -> None:
    """The 08:30 session, late and completed at 09:30: nobody to chase now (the header's count, 0),
    but late today (panel 3's, 1). Each says what it counts, so the header's word is never said on
    panel 3 with another number; at 10:30 the 10:00 session is late too, and both say 1 for it."""
    complete(demo, SessionRef(clock.now().date(), "sc-04.20261128"), 4, DeadlineRules())
    label = words.t("header.late", lang)
    for moment, late_now, late_today in ((BUILT, 0, 1), ("2026-11-28T10:30:00+08:00", 1, 2)):
        clock.freeze(moment)
        async with dashboard(demo, size, lang=lang) as (app, pilot):
            await pilot.press("3")
            await settled(app, pilot)
            header = screen_text(app).splitlines()[0]
            panel = str(desk_panel(app, "services").summary.render())
            assert counted(header, label, lang, header=True) in ([late_now], [] if late_now == 0 else None), header
            assert counted(panel, label, lang) in ([], [late_now]), panel
            today = words.t("summary.late_today", lang)
            assert counted(panel, today, lang) == [late_today] or f"{late_today} {today}" in panel, panel


@pytest.mark.parametrize("size", [NARROW, WIDE], ids=["80x24", "120x40"])
@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_a_grids_team_line_keeps_each_workers_role_name_and_phone_on_one_line(
    demo: Store, lang: str, size: tuple[int, int]
) -> None:
    """登峰社区 第一大网格: six workers. At 80 columns the line wrapped between 微网格员 丁福生 and
    his phone; it now wraps only between workers, and the masked-data line under it still shows."""
    async with dashboard(demo, size, lang=lang) as (app, pilot):
        await pilot.press("2", "down", "enter")
        await settled(app, pilot)
        screen = app.screen
        assert isinstance(screen, TableScreen) and screen.kind.startswith("households:")
        lines = screen_text(app).splitlines()
        p = Presenter(lang)  # type: ignore[arg-type]
        team = [w for w in demo.all(GridWorker) if w.name in team_line(p, demo.all(GridWorker), reveal=False).plain]
        shown = [w for w in team if w.name in "\n".join(lines[:6])]
        assert len(shown) >= 4
        for worker in shown:
            entry = team_line(p, [worker], reveal=False).plain.strip()
            assert any(entry in line for line in lines), (entry, lines[:6])
        assert any(words.t("detail.masked", lang) in line for line in lines[:6]), lines[:6]  # type: ignore[arg-type]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_check_in_refused_keeps_its_key_words_in_an_80_column_status_line(lang: str) -> None:
    """The status line is 78 cells at 80 columns. A second check-in said in English "this…it cannot be
    checked in again" (the state gone); one past the session's end lost 不能再签到 in Chinese."""
    refused = words.t("status.refused_about", lang)  # type: ignore[arg-type]
    for about, reason, keys in (
        (
            "09:00 羽毛球（银发球友教练）",
            Refused("session_not_scheduled", state=SessionState.CHECKED_IN).reason(lang),  # type: ignore[arg-type]
            {"zh": ("已签到", "不能再签到"), "en": ("is checked in", "cannot be checked in again")},
        ),
        (
            "08:30 跑腿代购：买菜、取药",
            Refused("session_over", end="09:20").reason(lang),  # type: ignore[arg-type]
            {"zh": ("不能再签到", "请按「完成」"), "en": ("too late to check in", "complete it")},
        ),
    ):
        message = refused.format(about=about, reason=reason)
        shown = fit(message, 78)
        assert all(key in shown for key in keys[lang]), shown
        assert shown.startswith(about[:5]), shown  # the session's time: which one it was


async def typed_counters(app, pilot, typed: dict[str, str]) -> dict[str, str]:  # noqa: ANN001
    """Each field's counter once ``typed`` is in it (as a paste: Input.Changed, as typing is)."""
    form = app.screen
    assert isinstance(form, FormScreen)
    for key, value in typed.items():
        form.query_one(f"#field-{key}", Input).value = value
    await settled(app, pilot)
    return {key: form.query_one(f"#label-{key}", FieldLabel).counter for key in typed}


async def test_fixed_format_fields_count_no_characters_free_text_does(demo: Store) -> None:
    """The schedule form's start showed 5/8 once 07:30 was typed: a counter is for free text (a
    title). A time, a date and a worker's phone show none, unless over their limit."""
    async with dashboard(demo, NARROW, reveal_users=["duty-officer"]) as (app, pilot):
        await pilot.press("3", "a")
        await settled(app, pilot)
        counters = await typed_counters(
            app, pilot, {"title": "午间助餐", "start": "07:30", "end": "08:00", "starts_on": "2026-12-01"}
        )
        assert counters == {"title": "4/80", "start": "", "end": "", "starts_on": ""}
        assert "5/8" not in screen_text(app)
        assert await typed_counters(app, pilot, {"start": "07:30:00:00"}) == {"start": "11/8"}  # over: said, red
        await pilot.press("escape", "y")
        await settled(app, pilot)
        await pilot.press("2", "enter")  # 登峰社区: its roster
        await settled(app, pilot)
        assert isinstance(app.screen, TableScreen)
        await pilot.press("a")
        await settled(app, pilot)
        assert await typed_counters(app, pilot, {"name": "王芳", "phone": "13800138000"}) == {
            "name": "2/20",
            "phone": "",
        }
