"""A form's choice, opened, ends above the Footer at 80x24 and every option can be reached.

登记's 社区 (the fourth choice, nine options on the demo township) opened its list below the field
whatever the room: it ran past the screen's last line, over the Footer, its bottom border and any
option below never on screen (Textual keeps the list inside the form's scrolled fields, not the
screen). Every form's choice is fitted alike (widgets/form.py: FormScreen._fit_drop_down).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import OptionList, Select

from store.demo import build_demo
from store.storage import Store
from widgets.form import FormScreen
from widgets.screen_footer import CompactFooter

from pilot import NARROW, dashboard, screen_text, settled


@pytest.fixture
def demo_store(tmp_path: Path, frozen_clock: str) -> Store:
    build_demo(Store(tmp_path / "demo", actor="demo-builder"))
    return Store(tmp_path / "demo", actor="duty-officer")


@pytest.mark.parametrize("tabs", [1, 2, 3, 4], ids=["channel", "category", "priority", "community"])
async def test_each_choice_of_the_intake_form_opens_on_screen_and_reaches_its_last_option(
    demo_store: Store, tabs: int
) -> None:
    async with dashboard(demo_store, NARROW) as (app, pilot):
        await pilot.press("n")
        await settled(app, pilot)
        assert isinstance(app.screen, FormScreen)
        await pilot.press(*["tab"] * tabs, "enter")
        await settled(app, pilot)
        [select] = [s for s in app.screen.query(Select) if s.expanded]
        overlay = select.query_one("SelectOverlay", OptionList)
        footer = app.screen.query_one(CompactFooter).region
        assert overlay.region.bottom <= footer.y, (overlay.region, footer)  # its bottom border on screen
        assert overlay.region.height >= 5
        await pilot.press("end")
        await settled(app, pilot)
        last = overlay.get_option_at_index(overlay.option_count - 1).prompt
        assert overlay.highlighted == overlay.option_count - 1
        assert str(last) in screen_text(app)
        footer_line = screen_text(app).splitlines()[footer.y]
        assert "f1" in footer_line  # the Footer is not covered
