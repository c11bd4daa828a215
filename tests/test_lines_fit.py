"""The lines over the panels' tables say their amounts, counts and times whole, in a third of the screen too.

At 120x40 panels 2-5 are a third of the screen (36 cells of text). Their lines were made for 80
columns and ran off the end: the stalls' fees lost the year's amount (English: "collected: month
¥2,686, year"), the duty log's next report lost its due time ("下一报送：SJ261128-01 续报"), its
summary the late reports and the handover, and panel 2's colour key was cut ("●limited"). A line now
comes in versions, fullest first, and shows the first that fits (widgets/fit_line.py): words shorten
and the less needed parts give way whole, but what is shown is never cut.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from duty_room import words
from duty_room.app import DutyRoomApp
from store import clock
from store.demo import build_demo
from store.market import fen_to_yuan
from store.models import Audience, SpecialTag
from store.storage import Store
from widgets.fit_line import FitLine

from pilot import NARROW, WIDE, cells_of, dashboard, desk_panel, screen_text, settled

PANELS = ("petitions", "visits", "services", "stalls", "dutylog")
BUILT = "2026-11-28T09:30:00+08:00"  # the demo's incident: its follow-up report due 13:30
REPORT_LATE = "2026-11-28T14:00:00+08:00"  # ... half an hour late


@pytest.fixture(params=[BUILT, REPORT_LATE], ids=["report-due", "report-late"])
def demo_store(tmp_path: Path, request: pytest.FixtureRequest) -> Store:
    """The demo township built at 09:30, seen then or at 14:00."""
    clock.freeze(BUILT)
    root = tmp_path / "demo"
    build_demo(Store(root, actor="builder"))
    clock.freeze(request.param)
    return Store(root, actor="duty-officer")


def line_of(app: DutyRoomApp, line: FitLine) -> str:
    """What a line shows on the screen, inside its padding."""
    region = line.content_region
    return cells_of(screen_text(app).splitlines()[region.y], region.x, region.right).strip()


def whole(token: str, line: str) -> bool:
    """``token`` (a time, an amount, a count) is on ``line`` with no digit or separator of the same
    number touching it: 13:30 in "续报 13:30（剩4时）", not in "13:3" nor "113:30"."""
    return re.search(rf"(?<![\d:,./]){re.escape(token)}(?!\d|[:,./]\d)", line) is not None


def yuan(fen: int) -> str:
    units, _, cents = fen_to_yuan(fen).partition(".")
    return f"¥{int(units):,}" + ("" if cents == "00" else f".{cents}")


def line_problems(app: DutyRoomApp, where: str) -> list[str]:
    """What the lines over the panels' tables leave out or cut, read off the screen."""
    data = app.data
    assert data is not None
    lang = app.settings.lang
    problems = []

    def shows(line: str, token: str, what: str) -> None:
        if not whole(token, line):
            problems.append(f"{where}: {what} {token!r} not whole in {line!r}")

    for name in PANELS:
        panel = desk_panel(app, name)
        summary = line_of(app, panel.summary)
        detail = line_of(app, panel.detail) if panel.detail.display and panel.table.region.height else None
        if name == "visits":
            shows(summary, f"{data.headline.visited}/{data.headline.planned}", "the visits")
            filtered = getattr(panel, "least_first", False) or getattr(panel, "special_only", False)
            # The colour key, each colour's word (shorter in English) whole; left out whole (for the
            # order and the filter in use) only where there is no room.
            if detail is not None and (not filtered or "●" in detail):
                for tag in SpecialTag:
                    if not re.search(
                        rf"●({re.escape(words.label(tag, lang))}|{re.escape(words.cell(tag, lang))})(●| |$)", detail
                    ):
                        problems.append(f"{where}: the colour key of {tag.value} not whole in {detail!r}")
                out = f"{data.workers_out}/{data.workers_expected}"
                if out.split("/")[0] in detail and not whole(out, detail):
                    problems.append(f"{where}: the workers out {out!r} cut in {detail!r}")
        upcoming = data.upcoming.of(getattr(panel, "audience", None))
        if name == "services" and detail is not None and upcoming is not None:
            shows(detail, f"{upcoming.start:%H:%M}", "the next session's time")
        if name == "stalls" and detail is not None:
            amounts = {yuan(data.fees.month_fen), yuan(data.fees.year_fen), yuan(data.fees.to_date_fen)}
            shows(detail, yuan(data.fees.month_fen), "this month's fees")
            shows(detail, yuan(data.fees.year_fen), "this year's fees")
            for shown in re.findall(r"¥\d*(?:[,.]\d+)*", detail):
                if shown not in amounts:
                    problems.append(f"{where}: the amount {shown!r} cut in {detail!r}")
        if name == "dutylog":
            late = len(data.duty.late)
            if late:
                shows(summary, words.t("duty.late", lang).format(late), "the late reports")
            for time in re.findall(r"\d+:\d*", summary):
                if time != f"{data.duty.next_handover:%H:%M}":
                    problems.append(f"{where}: the handover {time!r} cut in {summary!r}")
            if detail is not None and data.duty.next_report is not None:
                _, slot = data.duty.next_report
                assert slot.due is not None
                shows(detail, f"{slot.due:%H:%M}", "the next report's due time")
    return problems


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["120x40", "80x24"])
@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_lines_over_the_tables_say_amounts_counts_and_times_whole(
    demo_store: Store, lang: str, size: tuple[int, int]
) -> None:
    problems: list[str] = []
    async with dashboard(demo_store, size, lang=lang) as (app, pilot):
        for number in range(1, 6):  # at 80x24 each panel's detail line shows while it is open
            await pilot.press(str(number))
            await settled(app, pilot)
            problems += line_problems(app, f"panel {number} open at {size[0]}x{size[1]}")
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["120x40", "80x24"])
@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_a_panels_order_and_filter_stay_said_over_its_table(
    demo_store: Store, lang: str, size: tuple[int, int]
) -> None:
    """Panel 2 sorted by least progress and showing only special households, panel 3 only 一老: the
    line over the table says so (in shorter words where it must), its times and counts whole."""
    async with dashboard(demo_store, size, lang=lang) as (app, pilot):
        await pilot.press("2", "o", "f")
        await settled(app, pilot)
        detail = line_of(app, desk_panel(app, "visits").detail)
        for key in ("visits.sorted_least", "visits.special_only"):
            assert words.t(key, lang) in detail or words.t(f"{key}.short", lang) in detail, detail
        await pilot.press("3", "f")
        await settled(app, pilot)
        detail = line_of(app, desk_panel(app, "services").detail)
        assert words.t("services.only", lang).format(words.label(Audience.ELDERLY, lang)) in detail, detail
        problems = line_problems(app, f"filtered at {size[0]}x{size[1]}")
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["120x40", "80x24"])
async def test_panel_3s_counts_are_the_days_whoever_the_list_shows(demo_store: Store, size: tuple[int, int]) -> None:
    """Panel 3's `f` (only 一老, only 一小) changed its summary's counts, so at 80x24, where the other
    panels are their summary lines, a late 一小 session vanished from the dashboard, red and all,
    while the list showed only 一老. The counts are the day's, as panels 1 and 2 keep theirs; the
    line over the list says whom it shows."""
    async with dashboard(demo_store, size) as (app, pilot):
        await pilot.press("3")
        await settled(app, pilot)
        panel = desk_panel(app, "services")
        whole_day = line_of(app, panel.summary)
        rows = len(panel.table.keys)
        for _ in ("elderly", "children"):
            await pilot.press("f")
            await settled(app, pilot)
            assert 0 < len(panel.table.keys) < rows  # the list shows one half
            assert line_of(app, panel.summary) == whole_day


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_header_keeps_the_counts_that_need_action_at_120x40(demo_store: Store, lang: str) -> None:
    """A late report's words (English: "follow-up report late (due 13:30)") pushed the stalls in
    arrears off the end of the header at 120x40: the stage is said shorter (update) before that."""
    async with dashboard(demo_store, WIDE, lang=lang) as (app, pilot):
        await settled(app, pilot)
        header = screen_text(app).splitlines()[0]
        data = app.data
        assert data is not None and data.duty.next_report is not None
        h = data.headline
        for key, count in (
            ("header.overdue", h.overdue),
            ("header.due_today", h.due_today),
            ("header.late", h.late_sessions),
            ("header.arrears", h.arrears_holders),
        ):
            assert re.search(rf"{re.escape(words.t(key, lang))} {count}(?!\d)", header), (key, header)
        assert whole(f"{data.duty.next_report[1].due:%H:%M}", header), header
