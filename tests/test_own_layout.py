"""The header and the panels' deck lay themselves out (their DEFAULT_CSS): the app's stylesheet
only adds its modes (ascii, lite) and where `?` help goes."""

from __future__ import annotations

import pytest

from duty_room.app import DutyRoomApp
from duty_room.config import Settings
from store.storage import Store

from pilot import NARROW, WIDE, dashboard, desk_panel, loaded


class WithoutAppStylesheet(DutyRoomApp):
    CSS_PATH = None


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["120x40", "80x24"])
async def test_the_header_and_the_deck_need_no_app_stylesheet(small_store: Store, size: tuple[int, int]) -> None:
    app = WithoutAppStylesheet(small_store, Settings(store=small_store.root, refresh_seconds=600))
    async with app.run_test(size=size) as pilot:
        await loaded(app, pilot)
        assert app.query_one("#header").region.height == 1
        assert app.query_one("#clock").region.width == 5
        panels = {panel.id: panel.region for panel in app.query(".panel")}
        if size == WIDE:  # two rows: cases over two columns beside visits, then three
            assert panels["petitions"].width == 2 * panels["visits"].width
            assert panels["services"].y == panels["stalls"].y > panels["petitions"].y
        else:  # the active panel, the others as their one-line summaries
            assert all(region.height == 1 for name, region in panels.items() if name != "petitions")
            assert panels["petitions"].height > 10


@pytest.mark.parametrize(
    ("modes", "active_border"),
    [({}, "round"), ({"ascii": True}, "ascii"), ({"ascii": True, "lite": True}, "")],
    ids=["plain", "ascii", "ascii-lite"],
)
async def test_the_ascii_rules_are_read_in_the_ascii_mode_alone(
    small_store: Store, modes: dict[str, bool], active_border: str
) -> None:
    """The ascii mode's rules (duty_room/ascii.tcss) are parsed only when the app runs in it: every
    other first frame parsed them for nothing. Read before app.tcss, so that lite's rule still wins
    over ascii's as specific one (at 80x24 the open panel has no box at all in lite)."""
    async with dashboard(small_store, NARROW, **modes) as (app, _pilot):
        read_ascii = any(".ascii" in rule.selectors for rule in app.stylesheet.rules)
        assert read_ascii == bool(modes)
        assert desk_panel(app, "petitions").styles.border_top[0] == active_border
