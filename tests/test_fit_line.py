"""FitLine in a tiny app: the first version that fits its width, again when the width changes."""

from __future__ import annotations

from collections.abc import Collection

import pytest
from rich.cells import cell_len
from rich.text import Text
from textual.app import App, ComposeResult
from textual.geometry import Region

from widgets.fit_line import FitLine, first_fit

VERSIONS = [
    Text("收费 本月¥2,686 今年¥32,384 累计¥154,052"),  # 40 cells
    Text("收费 月¥2,686 年¥32,384 累计¥154,052"),  # 36
    Text("收费 本月¥2,686 今年¥32,384"),  # 27
]


def test_first_fit_takes_the_fullest_version_that_fits() -> None:
    assert [first_fit(VERSIONS, width).plain for width in (80, 40, 39, 36, 30, 27)] == [
        VERSIONS[0].plain,
        VERSIONS[0].plain,
        VERSIONS[1].plain,
        VERSIONS[1].plain,
        VERSIONS[2].plain,
        VERSIONS[2].plain,
    ]
    assert first_fit(VERSIONS, 10) is VERSIONS[-1]  # none fits: the narrowest, as it is (a Static wraps it)
    assert first_fit([], 10).plain == ""


class LineApp(App[None]):
    CSS = "FitLine { height: 1; padding: 0 1; }"

    def compose(self) -> ComposeResult:
        yield FitLine(id="line")


async def test_the_line_shows_the_version_that_fits_its_width_whenever_it_changes() -> None:
    app = LineApp()
    async with app.run_test(size=(38, 3)) as pilot:  # 36 cells inside the padding: a third of 120
        line = app.query_one(FitLine)
        assert line.show(VERSIONS) is True
        await pilot.pause()
        assert str(line.render()) == VERSIONS[1].plain
        assert line.show([v.copy() for v in VERSIONS]) is False  # the same words: nothing to repaint
        await pilot.resize_terminal(80, 3)
        await pilot.pause()
        assert str(line.render()) == VERSIONS[0].plain
        await pilot.resize_terminal(30, 3)
        await pilot.pause()
        assert str(line.render()) == VERSIONS[2].plain
        assert line.show(Text("出摊24/33")) is True  # one Text: a line with one version
        await pilot.pause()
        assert str(line.render()) == "出摊24/33"


def record_repaints(line: FitLine) -> list[Region]:
    """Spy on the regions of the line Textual's compositor takes to send (``Widget._exchange_repaint_regions``)."""
    taken: list[Region] = []
    exchange = line._exchange_repaint_regions

    def spy() -> Collection[Region]:
        regions = exchange()
        taken.extend(regions)
        return regions

    line._exchange_repaint_regions = spy  # type: ignore[method-assign]
    return taken


def painted(app: App[None]) -> str:
    """The line as the screen shows it now (inside the padding)."""
    strip = app.query_one(FitLine).render_line(0)
    return strip.text


@pytest.mark.parametrize(
    ("was", "now", "before", "width"),
    [
        ("下一报送：续报 13:30（剩4时）", "下一报送：续报 13:30（剩3时）", "下一报送：续报 13:30（剩", 1),  # one digit
        # One cell shorter: from the changed digit to the old end ("10时）"), its last cell cleared.
        ("下一报送：续报 13:30（剩10时）", "下一报送：续报 13:30（剩9时）", "下一报送：续报 13:30（剩", 6),
        ("进行3 迟到1 完成2/14", "进行3 迟到2 完成2/14", "进行3 迟到", 1),
    ],
)
async def test_a_changed_line_repaints_the_cells_that_changed_and_not_the_line(
    was: str, now: str, before: str, width: int
) -> None:
    # Panel 5's countdown sent its whole line, ~120 bytes over the slow link, each time its 剩N时 ticked.
    app = LineApp()
    async with app.run_test(size=(40, 3)) as pilot:
        line = app.query_one(FitLine)
        line.show([Text("下一报送：SJ261128-01 续报 13:30（剩4时）" + "x" * 40), Text(was, style="yellow")])
        await pilot.pause()
        taken = record_repaints(line)
        assert line.show([Text("下一报送：SJ261128-01 续报 13:30（剩3时）" + "x" * 40), Text(now, style="yellow")])
        await pilot.pause()
        # In the widget's cells (the padding's one cell first): only the changed characters' cells.
        assert [(r.x, r.width, r.y, r.height) for r in taken] == [(1 + cell_len(before), width, 0, 1)], taken
        assert painted(app).strip() == now


async def test_a_line_that_cannot_be_compared_cell_by_cell_is_repainted_whole() -> None:
    app = LineApp()
    async with app.run_test(size=(40, 3)) as pilot:
        line = app.query_one(FitLine)
        line.show(Text("迟到1", style="yellow"))
        await pilot.pause()
        taken = record_repaints(line)
        line.show(Text("迟到1", style="bold red"))  # the same words, their look changed
        await pilot.pause()
        assert [(r.x, r.width) for r in taken] == [(0, line.outer_size.width)]
        line.show(Text("迟到2", style="bold red", justify="right"))
        await pilot.pause()
        assert painted(app).rstrip().endswith("迟到2")
