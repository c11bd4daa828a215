"""A key refused on a row says which row: keys typed in a burst (``jjjd`` over SSH) may land on a
row the officer is not looking at, and 「处置中」的案件不能「派单」 did not say which case was refused.
Each panel's refusal at a key names the record under the cursor first (``Refused.about``)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from store import clock
from store.lifecycle import Action, IllegalTransition, check
from store.models import Petition
from store.refusal import Refused
from store.storage import Store
from widgets.form import FormScreen

from pilot import NARROW, WIDE, dashboard, desk_panel, screen_text, settled


def test_a_case_refused_is_named_in_both_languages(small_store: Store) -> None:
    case = small_store.get(Petition, "MK261127-004")  # 处置中
    with pytest.raises(IllegalTransition) as refused:
        check(case, Action.DISPATCH, clock.now())
    assert refused.value.message("zh") == "MK261127-004：「处置中」的案件不能「派单」"
    assert refused.value.message("en") == "MK261127-004: a case that is 'in progress' cannot 'dispatch'"
    assert str(refused.value) == refused.value.message("en")  # logs and scripts too
    with pytest.raises(IllegalTransition) as refused:
        check(case.model_copy(update={"due_at": clock.now() + timedelta(days=1)}), Action.SUPERVISE, clock.now())
    assert refused.value.message("zh") == "MK261127-004：案件未超期，不需督办"


def test_a_refusal_names_its_record_once() -> None:
    refused = Refused("visit_twice", at="09:27").naming("1-1-201").naming("1-1-301")
    assert refused.message("zh") == "1-1-201：这户今天 09:27 已走访登记过"


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("zh", "MK261127-004 未更改：「处置中」的案件不能「派单」"),
        ("en", "MK261127-004 not changed: a case that is 'in progress' cannot 'dispatch'"),
    ],
)
@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["120x40", "80x24"])
async def test_a_burst_of_keys_refused_on_panel_1_names_the_case_it_landed_on(
    small_store: Store, lang: str, said: str, size: tuple[int, int]
) -> None:
    async with dashboard(small_store, size, lang=lang) as (app, pilot):
        table = desk_panel(app, "petitions").table
        down = table.keys.index("MK261127-004") - table.cursor_row
        await pilot.press(*["j"] * down, "d")  # one burst: the cursor moves, then 派单 on that row
        await settled(app, pilot)
        assert table.cursor_key == "MK261127-004" and not isinstance(app.screen, FormScreen)
        assert app.status.said[-1] == said
        assert said in screen_text(app).splitlines()[-2]  # the status line, whole


async def test_a_household_visited_today_is_named(small_store: Store) -> None:
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("2", "down", "down", "down", "enter")
        await settled(app, pilot)
        households = app.screen
        households.table.move_cursor(row=households.table.keys.index("h0"))  # visited at 09:25
        await pilot.press("v")
        await settled(app, pilot)
        assert app.screen is households
        assert app.status.said[-1].startswith("1-1-100 未更改：这户今天 ")


async def test_a_session_refused_is_named(small_store: Store) -> None:
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("3")
        table = desk_panel(app, "services").table
        table.move_cursor(row=table.keys.index(next(k for k in table.keys if k.startswith("sv1"))))
        await pilot.press("d")  # 完成 at 09:30 a session starting at 11:00
        await settled(app, pilot)
        assert app.status.said[-1] == "11:00 入户送餐 未更改：11:00 才开始，还不能登记完成"
        await pilot.press("i")  # 签到, a write of one key: refused by the store, in a worker
        await settled(app, pilot)
        assert app.status.said[-1] == "11:00 入户送餐 未更改：11:00 开始，开始前一小时内才能签到"
        await pilot.press("e")  # a one-off: no schedule to change
        await settled(app, pilot)
        assert app.status.said[-1] == "未更改：11:00 入户送餐 是单次活动，没有重复安排可改；按 a 新增安排"


async def test_a_stall_refused_is_named(small_store: Store) -> None:
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("4", "x")  # 退摊 while fees are owed
        await settled(app, pilot)
        assert not isinstance(app.screen, FormScreen)
        message = app.status.said[-1]
        assert message.startswith("玉兰商业街 1 未更改：尚欠摊位费 ¥"), message
