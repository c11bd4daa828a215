"""FitLine in a tiny app: the first version that fits its width, again when the width changes."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult

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
