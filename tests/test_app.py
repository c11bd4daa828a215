"""Pilot tests: drive the dashboard from the keyboard and check what it posts and writes."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from textual import events
from textual.command import CommandList
from textual.widgets import Input, TextArea

from duty_room import words
from duty_room.app import DutyRoomApp
from duty_room.desk import Saved
from store import clock, storage
from store.demo import build_demo
from store.duty_models import DutyLogEntry, IncidentCategory
from store.dutylog import open_incident
from store.errors import Detail, StoreCorruptError
from store.models import AuditEntry, Petition, PetitionStatus, Stall, StallPayment, StallPermit
from store.queries import unknown_filter_words
from store.storage import Store
from widgets.choice_modal import ChoiceModal
from widgets.detail import DetailScreen
from widgets.form import FormScreen
from widgets.panel import FilterInput
from widgets.status_line import StatusLine
from widgets.table_screen import TableScreen

from conftest import lock_held_elsewhere, store_bytes
from pilot import (
    NARROW,
    WIDE,
    cells_of,
    dashboard,
    dashboard_app,
    desk_panel,
    drawn,
    loaded,
    screen_text,
    settled,
    until,
)


def cell(app: DutyRoomApp, panel: str, row_key: str, column: int) -> str:
    return desk_panel(app, panel).table.cell(row_key, column).plain


async def test_panels_show_store_data_sorted_by_urgency(small_store: Store) -> None:
    async with dashboard(small_store) as (app, pilot):
        table = desk_panel(app, "petitions").table
        # Overdue first (most overdue first), then due today, then the rest.
        assert table.keys == ["MK261127-001", "MK261127-002", "MK261127-003", "MK261127-004"]
        assert cell(app, "petitions", "MK261127-001", 1) == "待受理"
        assert cell(app, "petitions", "MK261127-001", 2) == "超期6时"
        assert cell(app, "petitions", "MK261127-003", 2) == "剩4时"
        # Rich markup in a title is shown literally.
        assert cell(app, "petitions", "MK261127-002", 3) == "[red]楼顶[/]漏水"
        assert desk_panel(app, "visits").table.keys == ["community:dongcheng", "dc-L1", "dc-B01", "dc-M01"]
        assert cell(app, "visits", "dc-M01", 2) == "1/5"
        assert cell(app, "visits", "dc-M01", 3) == "独2"  # two 独居 (red) households planned, not yet visited
        assert desk_panel(app, "services").table.keys == ["sv0", "sv1"]
        assert cell(app, "services", "sv0", 1) == "迟到"  # 09:00 class, nobody checked in by 09:30
        assert cell(app, "stalls", "yl-01", 4) == "赵*"  # holder name masked in the list
        headline = str(app.query_one("#headline").render())
        assert "超期 2" in headline and "迟到未签 1" in headline, headline


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["120x40", "80x24"])
async def test_keyboard_moves_between_panels(small_store: Store, size: tuple[int, int]) -> None:
    """Tab and Shift+Tab go to the next and previous panel at every width (at 80x24 Tab moved the
    focus among focusable widgets, and only the open panel's table is one: it did nothing)."""
    async with dashboard(small_store, size) as (app, pilot):
        assert app.focused is desk_panel(app, "petitions").table
        await pilot.press("tab")
        await pilot.pause()
        assert app.deck.active == "visits" and app.focused is desk_panel(app, "visits").table
        await pilot.press("4")
        await pilot.pause()
        assert app.deck.active == "stalls" and app.focused is desk_panel(app, "stalls").table
        await pilot.press("shift+tab")
        await pilot.pause()
        assert app.deck.active == "services"
        await pilot.press("1", "j", "j")
        await pilot.pause()
        assert desk_panel(app, "petitions").table.cursor_key == "MK261127-003"
        await pilot.press("k")
        assert desk_panel(app, "petitions").table.cursor_key == "MK261127-002"


async def test_zoom_and_narrow_layout(small_store: Store) -> None:
    async with dashboard(small_store, size=NARROW) as (app, pilot):
        panels = app.query_one("#panels")
        assert panels.has_class("narrow")
        # One panel open, the others reduced to their one-line summary.
        assert desk_panel(app, "petitions").table.display and not desk_panel(app, "visits").table.display
        assert desk_panel(app, "visits").region.height == 1
        await pilot.press("2")
        await pilot.pause()
        assert desk_panel(app, "visits").table.display and not desk_panel(app, "petitions").table.display
        await pilot.press("z")
        await pilot.pause()
        assert app.screen.maximized is desk_panel(app, "visits")
        await pilot.press("z")
        await pilot.pause()
        assert app.screen.maximized is None


async def test_a_click_on_a_panel_makes_it_the_active_one(small_store: Store) -> None:
    """Focus that reaches a panel's table by any way but its key (a click) makes that panel active:
    its keys in the Footer, its rows on a narrow screen."""
    async with dashboard(small_store, size=WIDE) as (app, pilot):
        await pilot.click("#stalls KeyedTable")
        await settled(app, pilot)
        assert app.deck.active == "stalls" and desk_panel(app, "stalls").has_class("-active")
        assert not desk_panel(app, "petitions").has_class("-active")


async def test_a_resize_across_the_narrow_width_lays_the_panels_out_again(small_store: Store) -> None:
    async with dashboard(small_store, size=NARROW) as (app, pilot):
        panels, visits = app.query_one("#panels"), desk_panel(app, "visits").table
        assert visits.keys == []  # a summary line: no rows made
        await pilot.resize_terminal(*WIDE)
        await settled(app, pilot)
        assert not panels.has_class("narrow") and visits.display and visits.keys
        await pilot.press("2")
        await pilot.resize_terminal(*NARROW)
        await settled(app, pilot)
        assert panels.has_class("narrow") and not desk_panel(app, "petitions").table.display and visits.display


async def test_a_narrow_screen_makes_the_rows_of_the_panel_it_shows_only(
    small_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 13: at 80x24 the panels not open are one summary line each, yet their rows were made
    and measured for the first frame (a township's 381 grids: ~60 M instructions). They are made
    when the panel is opened, the same rows as a wide screen's; a reload meanwhile is not lost."""
    from duty_room.panels import visits

    made: list[str] = []
    original = visits.visit_row
    monkeypatch.setattr(visits, "visit_row", lambda p, g, *a, **k: made.append(g.grid.id) or original(p, g, *a, **k))
    async with dashboard(small_store, size=WIDE) as (app, pilot):
        wide = desk_panel(app, "visits").table.keys
    assert wide and made
    made.clear()
    async with dashboard(small_store, size=NARROW) as (app, pilot):
        table = desk_panel(app, "visits").table
        assert made == [] and table.keys == [] and "网格走访" in str(desk_panel(app, "visits").summary.shown)
        app.reload()
        await settled(app, pilot)
        assert made == [] and table.keys == []
        await pilot.press("2")
        await settled(app, pilot)
        assert table.keys == wide and made
        await pilot.press("1")  # back on panel 1: panel 2 keeps what it showed, makes no more rows
        await settled(app, pilot)
        made.clear()
        app.reload()
        await settled(app, pilot)
        assert made == [] and table.keys == wide


@pytest.mark.parametrize("size", [NARROW, WIDE])
async def test_a_zoomed_panel_keeps_the_status_line(small_store: Store, size: tuple[int, int]) -> None:
    # Zoom hid every widget but the panel and the Footer: a refusal, a saved step, a failed export
    # were said in a status line nobody could see until the panel was unzoomed.
    async with dashboard(small_store, size=size) as (app, pilot):
        await pilot.press("z")
        await settled(app, pilot)
        assert app.screen.maximized is desk_panel(app, "petitions")
        await pilot.press("r")  # 办结 on a 待受理 case: refused at once, in the status line
        await settled(app, pilot)
        status = app.query_one("#status")
        assert "不能「办结」" in status.message
        assert status.region.height == 1 and status.region.bottom == size[1] - 1
        rows = screen_text(app).splitlines()
        assert "不能「办结」" in rows[size[1] - 2]


async def test_zoomed_esc_does_what_the_footer_says_before_it_unzooms(small_store: Store) -> None:
    """Zoomed (z), Esc restored the panel whatever the Footer said it did: in the filter
    (esc 清除筛选) the filter stayed, with the help shown (esc 关闭) the help stayed. Esc clears the
    filter and closes the help there; where it means nothing else it restores the panel, as before."""
    async with dashboard(small_store, NARROW) as (app, pilot):
        await pilot.press("z", "slash", *"路灯")
        await settled(app, pilot)
        panel = desk_panel(app, "petitions")
        assert app.screen.maximized is panel and "esc 清除筛选" in screen_text(app).splitlines()[-1]
        await pilot.press("escape")
        await settled(app, pilot)
        assert app.screen.maximized is panel and not panel.query_one(FilterInput).display
        assert app.focused is panel.table
        await pilot.press("question_mark")
        await settled(app, pilot)
        assert app.screen.query("HelpPanel")
        await pilot.press("escape")
        await settled(app, pilot)
        assert app.screen.maximized is panel and not app.screen.query("HelpPanel")
        await pilot.press("escape")
        await settled(app, pilot)
        assert app.screen.maximized is None


async def test_status_change_from_the_keyboard_is_written_with_the_actor(small_store: Store) -> None:
    posted: list[Saved] = []
    async with dashboard(small_store, message_hook=lambda m: posted.append(m) if isinstance(m, Saved) else None) as (
        app,
        pilot,
    ):
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceModal)
        assert [c.key for c in app.screen.choices] == ["accepted", "cancelled"]
        await pilot.press("enter")  # choose 受理 → 已受理
        await pilot.press(*"call back")
        await pilot.press("enter")  # confirm
        await settled(app, pilot)
        assert not isinstance(app.screen, ChoiceModal)
        saved = small_store.get(Petition, "MK261127-001")
        assert saved.status is PetitionStatus.ACCEPTED
        event = saved.history[-1]
        assert (event.actor, event.action, event.from_status, event.to_status, event.note) == (
            "duty-officer",
            "accept",
            PetitionStatus.NEW,
            PetitionStatus.ACCEPTED,
            "call back",
        )
        assert saved.updated_by == "duty-officer"
        # The hook sees a message at every pump it reaches: one Saved, for this case.
        assert list({id(m): m.result.id for m in posted}.values()) == ["MK261127-001"]
        await until(pilot, lambda: cell(app, "petitions", "MK261127-001", 1) == "已受理", "the row's new status")


async def test_a_save_waiting_for_another_desks_lock_says_so_and_then_saves(small_store: Store) -> None:
    """Another process held the store's lock (a long import, a backup): the save waited up to 15 s
    with nothing on screen, the confirmed step still open as if the key had done nothing. The form
    says it waits for another desk; the dashboard stays live; once the lock is free it saves."""
    with lock_held_elsewhere(small_store.root) as release:
        async with dashboard(small_store) as (app, pilot):
            await pilot.press("c")
            await settled(app, pilot)
            modal = app.screen
            assert isinstance(modal, ChoiceModal)
            await pilot.press("enter", *"call back", "enter")  # 受理, a note, confirm: the write waits
            notice = lambda: str(modal.query_one("#choice-notice").render())  # noqa: E731
            await until(pilot, lambda: "另一处正在写入" in notice(), "the form to say it waits for the lock")
            assert notice() == "另一处正在写入，等它写完再保存（最多等 15 秒）…"
            assert app.screen is modal and small_store.get(Petition, "MK261127-001").status is PetitionStatus.NEW
            release()
            await until(pilot, lambda: app.screen is not modal, "the save once the lock is free")
            await settled(app, pilot)
            assert small_store.get(Petition, "MK261127-001").status is PetitionStatus.ACCEPTED


async def test_esc_while_the_save_waits_for_the_lock_says_it_acts_once_the_save_has_ended(
    small_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Esc on a form whose save waited for another process's lock gave no sign: it was held behind the
    write, as keys typed ahead are, and after 5 s dropped (界面未就绪，已忽略 1 个按键) while the wait
    went on, so a refused save left the form open though Esc had been pressed. The write is under
    way and lands or is refused whole: the form says Esc cannot cancel it and acts once it has ended;
    the key waits for the write however long the lock takes (a burst acts as slow typing still)."""
    from duty_room import typeahead

    monkeypatch.setattr(typeahead, "HOLD_LIMIT_SECONDS", 0.0)  # any turn of the hold would drop it
    turns = 0
    release = typeahead.TypeAhead._release

    async def counted(self: typeahead.TypeAhead) -> None:
        nonlocal turns
        turns += bool(self._held)
        await release(self)

    monkeypatch.setattr(typeahead.TypeAhead, "_release", counted)
    with lock_held_elsewhere(small_store.root) as free_lock:
        async with dashboard(small_store) as (app, pilot):
            await pilot.press("c")
            await settled(app, pilot)
            modal = app.screen
            assert isinstance(modal, ChoiceModal)
            notice = lambda: str(modal.query_one("#choice-notice").render())  # noqa: E731
            await pilot.press("enter", *"call back", "enter")  # 受理, a note, confirm: the write waits
            await until(pilot, lambda: "另一处正在写入" in notice(), "the form to say it waits for the lock")
            await pilot.press("escape")
            assert notice() == (
                "另一处正在写入，这次保存已在等它（最多等 15 秒），不能中途取消；按下的键（如 Esc）等这次保存有了结果再生效"
            )
            await until(pilot, lambda: turns >= 3, "the held Esc to wait a few turns")
            assert app.screen is modal and not any("忽略" in said for said in app.status.said)
            monkeypatch.setattr(typeahead, "HOLD_LIMIT_SECONDS", 5.0)  # from the end of the wait, as ever
            free_lock()
            await until(pilot, lambda: app.screen is not modal, "the save once the lock is free")
            await settled(app, pilot)
            assert small_store.get(Petition, "MK261127-001").status is PetitionStatus.ACCEPTED
            assert not any("忽略" in said for said in app.status.said), app.status.said


async def test_a_save_tried_again_while_the_lock_is_held_drops_the_last_tries_refusal(
    small_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first try gave up after the lock's wait (未保存：…正被其他进程占用…请稍后重试); confirmed again,
    the form said 另一处正在写入，等它写完… under that refusal, as if this try had failed too."""
    monkeypatch.setattr(storage, "LOCK_TIMEOUT_SECONDS", 0.5)
    with lock_held_elsewhere(small_store.root) as release:
        async with dashboard(small_store) as (app, pilot):
            await pilot.press("c")
            await settled(app, pilot)
            modal = app.screen
            assert isinstance(modal, ChoiceModal)
            error = lambda: str(modal.query_one("#choice-error").render())  # noqa: E731
            notice = lambda: str(modal.query_one("#choice-notice").render())  # noqa: E731
            await pilot.press("enter", *"call back", "enter")  # 受理, a note, confirm: the write gives up
            await until(pilot, lambda: "未保存" in error(), "the first try to give up")
            monkeypatch.setattr(storage, "LOCK_TIMEOUT_SECONDS", 15)
            await pilot.press("enter")  # confirmed again, the lock still held
            await until(pilot, lambda: "另一处正在写入" in notice(), "the form to say it waits for the lock")
            assert error() == ""
            release()
            await until(pilot, lambda: app.screen is not modal, "the save once the lock is free")
            await settled(app, pilot)
            assert small_store.get(Petition, "MK261127-001").status is PetitionStatus.ACCEPTED


async def test_a_step_that_needs_a_note_is_refused_without_one(small_store: Store) -> None:
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("c", "down", "enter", "enter")  # 撤销 needs a reason; confirm with none
        await pilot.pause()
        assert isinstance(app.screen, ChoiceModal)
        assert "必填" in str(app.screen.query_one("#choice-error").render())
        await pilot.press("escape")
        await pilot.pause()
        assert small_store.get(Petition, "MK261127-001").status is PetitionStatus.NEW
        assert small_store.get(Petition, "MK261127-001").history == []


async def test_detail_masks_personal_data_and_reveal_is_logged(small_store: Store) -> None:
    async with dashboard(small_store, reveal_users=["duty-officer"]) as (app, pilot):
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        body = " ".join(value.plain for _, value in app.screen.content.fields)
        assert "138****1234" in body and "李**" in body and "13812341234" not in body
        await pilot.press("p")
        await settled(app, pilot)
        body = " ".join(value.plain for _, value in app.screen.content.fields)
        assert "13812341234" in body and "李小明" in body
        [entry] = small_store.all(AuditEntry, "2026-11")
        assert (entry.actor, entry.subject, entry.allowed) == ("duty-officer", "petitions:MK261127-001", True)
        assert entry.fields == ["name", "phone"]


async def test_p_again_on_what_is_shown_revealed_logs_no_second_reveal(small_store: Store) -> None:
    """p pressed again on a detail already revealed wrote a second audit entry and a second 查看个人信息
    step in the case's history, for nothing more shown: the log read as two reveals. Once per reveal
    now, in a detail and in a grid's household list; reopened, the detail is masked and p logs anew."""
    async with dashboard(small_store, reveal_users=["duty-officer"]) as (app, pilot):
        await pilot.press("enter", "p")
        await settled(app, pilot)
        await pilot.press("p")
        await settled(app, pilot)
        body = " ".join(value.plain for _, value in app.screen.content.fields)  # type: ignore[attr-defined]
        assert "13812341234" in body
        assert len(small_store.all(AuditEntry, "2026-11")) == 1
        assert [e.action for e in small_store.get(Petition, "MK261127-001").history].count("reveal") == 1
        await pilot.press("escape", "enter")
        await settled(app, pilot)
        body = " ".join(value.plain for _, value in app.screen.content.fields)  # type: ignore[attr-defined]
        assert "138****1234" in body  # a detail opened again is masked again
        await pilot.press("p", "escape", "2", "down", "down", "down", "enter")
        await settled(app, pilot)
        assert isinstance(app.screen, TableScreen) and app.screen.kind == "households:dc-M01"
        await pilot.press("p")
        await settled(app, pilot)
        await pilot.press("p")
        await settled(app, pilot)
        assert app.screen.table.cell("h1", 1).plain == "张建国"
    assert [e.subject for e in small_store.all(AuditEntry, "2026-11")] == [
        "petitions:MK261127-001",
        "petitions:MK261127-001",
        "grids:dc-M01",
    ]


async def test_reveal_refused_for_a_user_without_permission_is_logged_too(small_store: Store) -> None:
    """Not offered (the detail said 按 p 显示 to an officer whose every p would be refused), yet typed
    it is refused in words and the attempt is logged."""
    # nobody listed, and no duty-room-pii group on the test machine
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("4", "enter")
        await settled(app, pilot)
        assert str(app.screen.query_one("#detail-box").border_subtitle) == "个人信息已脱敏"
        assert "显示个人信息" not in screen_text(app).splitlines()[-1]
        await pilot.press("question_mark")
        await drawn(app, pilot)
        assert not any("显示个人信息" in line for line in help_keys_shown(app))
        await pilot.press("question_mark", "p")
        await settled(app, pilot)
        body = " ".join(value.plain for _, value in app.screen.content.fields)
        assert "13700001111" not in body and "137****1111" in body
        # Said where the officer is looking: the detail covers the dashboard's status line.
        assert "无权" in str(app.screen_stack[0].query_one("#status").render())
        [entry] = small_store.all(AuditEntry, "2026-11")
        assert (entry.subject, entry.allowed) == ("stalls:yl-01", False)
        # What it would have shown: a stall's fee reduction says why (a disability), not only a name.
        assert entry.fields == ["name", "phone", "reduction"]


async def test_p_is_not_offered_on_a_case_or_a_spot_with_no_one_named(small_store: Store) -> None:
    """A case from the mailbox (no reporter, no household) and a vacant spot said 个人信息已脱敏；按 p
    显示 and offered p: nothing was masked, and p wrote an audit entry (for a permitted user, a
    查看个人信息 step in the case's history too) for a reveal of nothing."""
    from datetime import timedelta

    from store.models import Stall

    now = clock.now()
    with small_store.transaction() as tx:
        tx.put(
            Petition(
                id="MK261127-009",
                title="健身器材损坏",
                channel="mailbox",
                category="infrastructure",
                community_id="dongcheng",
                status="new",
                created_at=now - timedelta(hours=1),
                due_at=now + timedelta(hours=60),
            )
        )
        tx.put(Stall(id="yl-02", market="玉兰商业街", community_id="yulan", number=2, monthly_fee_fen=10000))
    async with dashboard(small_store, NARROW, reveal_users=["duty-officer"]) as (app, pilot):
        for panel, key, subject in (
            ("petitions", "MK261127-009", ""),
            ("stalls", "yl-02", ""),
            ("stalls", "yl-01", "stalls:yl-01"),
        ):
            await pilot.press("1" if panel == "petitions" else "4")
            table = desk_panel(app, panel).table
            table.move_cursor(row=table.keys.index(key))
            await pilot.press("enter")
            await settled(app, pilot)
            assert isinstance(app.screen, DetailScreen), key
            assert app.screen.content.subject == subject, key
            assert ("显示个人信息" in screen_text(app).splitlines()[-1]) is bool(subject), key
            if not subject:
                await pilot.press("p")  # does nothing: nothing to reveal, nothing logged
                await settled(app, pilot)
            await pilot.press("escape")
            await settled(app, pilot)
    assert small_store.all(AuditEntry, "2026-11") == []
    assert small_store.get(Petition, "MK261127-009").history == []


async def test_a_refusal_about_one_panel_goes_when_another_panel_is_active(small_store: Store) -> None:
    """未更改：没有选中的案件, said of panel 1, stayed in the status line after 5 was pressed and a form
    opened there, as if about the duty log. A refusal is about the panel it was said on: another panel
    made active takes it away; what a write said (已记录) and a damaged file's line are not refusals."""
    async with dashboard(small_store, NARROW) as (app, pilot):
        await pilot.press("/", *"zzz", "enter")
        await settled(app, pilot)
        await pilot.press("a")
        await settled(app, pilot)
        line = app.query_one("#status", StatusLine)
        assert line.message == "未更改：没有选中的案件"
        await pilot.press("escape", "5")
        await settled(app, pilot)
        assert app.deck.active == "dutylog" and line.message == ""
        await pilot.press("1")
        await settled(app, pilot)
        assert line.message == ""  # gone, not hidden: it does not come back with its panel


async def test_a_step_key_with_no_row_under_a_filter_says_so(small_store: Store) -> None:
    """A filter that shows no case (or 一老一小 showing an audience with no session today) left the
    Footer's step keys there, and each did nothing at all, as if not pressed. Each says why now."""
    async with dashboard(small_store, NARROW) as (app, pilot):
        await pilot.press("/", *"zzz", "enter")
        await settled(app, pilot)
        assert desk_panel(app, "petitions").table.keys == []
        for key in ("a", "c"):
            app.status.said.clear()
            await pilot.press(key)
            await settled(app, pilot)
            assert app.status.said == ["未更改：没有选中的案件"], (key, app.status.said)
        await pilot.press("escape", "3", "f", "f")  # 一小: today's two sessions are both for the elderly
        await settled(app, pilot)
        assert desk_panel(app, "services").table.keys == []
        for key in ("i", "d"):
            app.status.said.clear()
            await pilot.press(key)
            await settled(app, pilot)
            assert app.status.said == ["未更改：没有选中的场次"], (key, app.status.said)
    assert all(not p.history for p in small_store.all(Petition))


async def test_a_stall_key_on_a_market_with_no_spot_says_so(small_store: Store) -> None:
    """A township with no stall recorded yet: panel 4's step keys did nothing at all, as if not
    pressed, where panels 1 and 3 say why. Each says so now, and nothing is written."""
    with small_store.transaction() as tx:
        for payment in small_store.all_partitions(StallPayment):
            tx.delete(StallPayment, payment.id, storage.partition_of(payment))
        tx.delete(StallPermit, "pm-1")
        tx.delete(Stall, "yl-01")
    before = store_bytes(small_store.root)
    async with dashboard(small_store, NARROW) as (app, pilot):
        await pilot.press("4")
        await settled(app, pilot)
        assert desk_panel(app, "stalls").table.keys == []
        for key in ("a", "s", "y", "m", "x"):
            app.status.said.clear()
            await pilot.press(key)
            await settled(app, pilot)
            assert app.status.said == ["未更改：没有选中的摊位"], (key, app.status.said)
    assert store_bytes(small_store.root) == before


async def test_a_filter_typed_with_a_chinese_input_methods_colon_is_the_same_filter(small_store: Store) -> None:
    """`s：处置` (the colon a Chinese input method types) showed 0/24: it was read as free text."""
    async with dashboard(small_store, NARROW) as (app, pilot):
        await pilot.press("/", *"s:处置", "enter")
        await settled(app, pilot)
        shown = desk_panel(app, "petitions").table.keys
        await pilot.press("escape", "/")
        app.post_message(events.Paste("s：处置"))  # (the pilot types no full-width colon)
        await pilot.press("enter")
        await settled(app, pilot)
        assert shown and desk_panel(app, "petitions").table.keys == shown


@pytest.mark.parametrize(
    ("query", "unknown"),
    [
        ("status:不存在", [("status", "不存在")]),
        ("s:处置 cat:燃气 lvl:社区", []),  # a status, a category and a level as people call them
        ("status:in_prog", []),  # in English, part of one
        ("c:停车难 l:市里", [("category", "停车难"), ("level", "市里")]),
        ("grid:不存在 who:不存在 不存在 x:y", []),  # free words and places may match later cases
        ("s：不存在\u3000c：燃气", [("status", "不存在")]),  # a Chinese input method's colon and space
    ],
)
def test_a_filter_word_no_status_category_or_level_is_called_is_found(query: str, unknown: list) -> None:
    assert unknown_filter_words(query, words.all_labels()) == unknown


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["120x40", "80x24"])
@pytest.mark.parametrize(("lang", "said"), [("zh", "没有状态「不存在」"), ("en", "no Status '不存在'")])
async def test_a_filter_for_a_status_there_is_not_says_so(
    small_store: Store, size: tuple[int, int], lang: str, said: str
) -> None:
    """`status:不存在` (a typo, a status from another system) showed 筛选：0/5 as if no case were in
    that state; the line over the list says the word is what matches nothing."""
    async with dashboard(small_store, size, lang=lang) as (app, pilot):
        await pilot.press("/", *"status:不存在", "enter")
        await settled(app, pilot)
        panel = desk_panel(app, "petitions")
        assert panel.table.keys == []
        assert said in panel.summary.shown.plain
        await pilot.press("/", *["backspace"] * 3, "enter")  # status: alone, every case
        await settled(app, pilot)
        assert "不存在" not in panel.summary.shown.plain and panel.table.keys


async def test_change_by_another_process_shows_without_a_keypress(
    small_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from store.lifecycle import change_status

    other = Store(small_store.root, actor="other-desk")
    async with dashboard(small_store, refresh_seconds=0.2) as (app, pilot):
        table = desk_panel(app, "petitions").table
        table.move_cursor(row=2)
        changed: list[int] = []  # the cells each sync of the table changed (its return value)
        sync = table.sync
        monkeypatch.setattr(table, "sync", lambda rows: changed.append(sync(rows)) or changed[-1])
        change_status(other, "MK261127-003", PetitionStatus.IN_PROGRESS)
        await until(pilot, lambda: cell(app, "petitions", "MK261127-003", 1) == "处置中", "the other desk's status")
        assert cell(app, "petitions", "MK261127-003", 1) == "处置中"
        # Only the changed row's cells were redrawn, and the cursor stayed where it was.
        assert 0 < max(changed) <= 8, changed
        assert table.cursor_key == "MK261127-003"


async def test_a_change_made_before_the_store_watch_begins_shows_without_the_poll(
    small_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store watcher starts after the first frame: a change another desk commits before the
    watch begins (here: just before, every time) is found by the watcher's first look, not left
    to the interval poll (slowed to ten minutes here)."""
    import watchfiles

    from store.lifecycle import change_status

    watch = watchfiles.watch

    def watch_after_a_change(*args: object, **kwargs: object) -> object:
        change_status(Store(small_store.root, actor="other-desk"), "MK261127-003", PetitionStatus.IN_PROGRESS)
        yield from watch(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(watchfiles, "watch", watch_after_a_change)
    async with dashboard(small_store) as (app, pilot):
        await until(pilot, lambda: cell(app, "petitions", "MK261127-003", 1) == "处置中", "the other desk's status")
        assert cell(app, "petitions", "MK261127-003", 1) == "处置中"


async def test_the_look_for_damaged_files_leaves_the_collector_on_and_what_it_read_frozen(
    small_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first look validates every table (a township's 40,000 households) without the collector,
    and what it read is kept for the dashboard's life, frozen like the first load: later full
    collections (set off by a list's worker or a reload) do not walk it. The collector is on again
    afterwards; a later look (after a change) runs with it and freezes nothing."""
    import gc

    from store.lifecycle import change_status

    collecting: list[bool] = []
    read: list[object] = []
    problems = Store.problems

    def look(store: Store, day: object = None) -> object:
        collecting.append(gc.isenabled())
        read.append([object()])  # stands for what the look read and the store keeps
        return problems(store, day)  # type: ignore[arg-type]

    monkeypatch.setattr(Store, "problems", look)
    async with dashboard(small_store) as (app, pilot):
        await settled(app, pilot)
        assert collecting == [False] and gc.isenabled()
        assert not any(kept is read[0] for kept in gc.get_objects())  # frozen: no collection walks it
        change_status(Store(small_store.root, actor="other-desk"), "MK261127-003", PetitionStatus.IN_PROGRESS)
        await until(pilot, lambda: len(collecting) == 2, "a second look for damaged files")
        await settled(app, pilot)
        assert collecting == [False, True] and gc.isenabled()
        assert any(kept is read[1] for kept in gc.get_objects())  # not frozen
    assert any(kept is read[0] for kept in gc.get_objects())  # given back when the app closes


async def test_english_interface(small_store: Store) -> None:
    async with dashboard(small_store, lang="en") as (app, pilot):
        assert cell(app, "petitions", "MK261127-001", 1) == "new"
        assert "Petitions" in str(desk_panel(app, "petitions").summary.render())


@pytest.mark.parametrize(("lang", "title"), [("zh", " 孟轲乡值班室 "), ("en", " 孟轲乡 duty room ")])
async def test_the_header_names_the_townships_duty_room_in_either_language(
    small_store: Store, lang: str, title: str
) -> None:
    """English read `孟轲乡Duty room`: the township's name ran into the words."""
    async with dashboard(small_store, lang=lang) as (app, pilot):
        assert str(app.query_one("#head-title").render()).startswith(title + " 2026-11-28")


async def test_damaged_store_stops_the_app_with_a_clear_message(small_store: Store) -> None:
    (small_store.root / "petitions" / "2026-11-27.json").write_text('{"records": {"1": {"id": "x"', encoding="utf-8")
    app = dashboard_app(small_store)
    # A bare run, not `dashboard`: that waits for the first data on screen, and this app stops before any.
    async with app.run_test(size=WIDE) as pilot:
        await until(pilot, lambda: app.return_code is not None, "the dashboard to stop")
    assert app.return_code == 2
    assert app.status.fatal_error is not None and "petitions/2026-11-27.json" in app.status.fatal_error


async def test_damaged_store_at_start_is_said_in_the_interface_language(small_store: Store) -> None:
    """The dashboard's own exit line was str(error): English in the Chinese interface."""
    (small_store.root / "petitions" / "2026-11-27.json").write_text('{"records": {"1": {"id": "x"', encoding="utf-8")
    app = dashboard_app(small_store)
    async with app.run_test(size=WIDE) as pilot:  # (a bare run: no first data to wait for, as above)
        await until(pilot, lambda: app.return_code is not None, "the dashboard to stop")
    assert app.return_code == 2
    assert (
        app.status.fatal_error is not None
        and "数据文件已损坏" in app.status.fatal_error
        and "store file is damaged" not in app.status.fatal_error
    )


async def test_a_listed_file_deleted_by_hand_is_named_at_start(small_store: Store) -> None:
    """stalls.json deleted: panel 4 came up empty and nothing said why (a write would have made the
    file anew with one stall). The status line names the file, as it names a damaged one."""
    (small_store.root / "stalls.json").unlink()
    async with dashboard(small_store) as (app, pilot):
        await settled(app, pilot)
        status = app.query_one("#status", StatusLine)
        assert "数据文件缺失" in status.message and "stalls.json" in status.message
        assert app.return_code is None  # the dashboard carries on


async def test_a_file_damaged_while_running_keeps_the_dashboard_and_the_form_open(small_store: Store) -> None:
    """A day file the panels read, damaged while officers work: every dashboard used to quit
    (exit 2), an officer's half-typed form with it. Now the last data stays on screen, the status
    line names the file, a write that needs it is refused, and once the file is sound the line goes."""
    day_file = small_store.root / "petitions" / "2026-11-27.json"
    sound = day_file.read_bytes()
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("n")  # an officer is typing a new case
        await settled(app, pilot)
        assert isinstance(app.screen, FormScreen)
        day_file.write_bytes(sound[:200])
        app.reload()
        await settled(app, pilot)
        assert app.is_running and app.return_code is None
        assert isinstance(app.screen, FormScreen)  # what was typed is still there
        assert desk_panel(app, "petitions").table.keys  # the last data read stays on screen
        assert "petitions/2026-11-27.json" in str(app.screen_stack[0].query_one("#status").render())
        day_file.write_bytes(sound)
        app.reload()
        await settled(app, pilot)
        await settled(app, pilot)
        assert "2026-11-27.json" not in str(app.screen_stack[0].query_one("#status").render())


async def test_a_listed_file_deleted_while_running_keeps_the_last_data_as_a_damaged_one_does(
    small_store: Store,
) -> None:
    """A listed day file deleted by hand while officers work: the panels dropped its cases (smaller
    counts, as if closed) while the status line named the file; a damaged file keeps the last data.
    Now a missing one does too, said as 存储读不出 (the screen keeps the last data read); put back, the
    data is read again and the line goes. Missing at start, the dashboard shows what there is (above)."""
    day_file = small_store.root / "petitions" / "2026-11-27.json"
    sound = day_file.read_bytes()
    async with dashboard(small_store) as (app, pilot):
        table = desk_panel(app, "petitions").table
        assert "MK261127-001" in table.keys
        day_file.unlink()
        app.recheck()  # what the store watcher calls on a file changed with no commit
        await settled(app, pilot)
        status = str(app.query_one("#status").render())
        assert "2026-11-27.json" in status and "存储读不出" in status, status
        assert "MK261127-001" in table.keys  # the last data read stays on screen
        day_file.write_bytes(sound)
        app.recheck()
        await settled(app, pilot)
        await settled(app, pilot)
        assert "2026-11-27.json" not in str(app.query_one("#status").render())
        assert "MK261127-001" in table.keys


async def test_the_manifest_mended_by_hand_clears_its_line_at_once(small_store: Store) -> None:
    """manifest.json damaged by hand while two desks ran, then put back from a copy: both kept saying
    存储读不出：…manifest.json… over a store that read well again. The watcher's wake-up (``poll``)
    read the mended manifest's generation, found it the one on screen and read nothing more, so the
    line stayed until the minute turned (with a frozen clock, for good). A failed read is tried again
    on the watcher's next wake-up: mended, the line goes at once."""
    manifest = small_store.root / "manifest.json"
    sound = manifest.read_bytes()
    async with dashboard(small_store) as (app, pilot):
        await settled(app, pilot)
        manifest.write_bytes(b'{"broken')
        app.commit_seen()  # what the store watcher calls when the manifest changes
        await settled(app, pilot)
        assert "manifest.json" in app.query_one("#status", StatusLine).message
        manifest.write_bytes(sound)
        app.commit_seen()
        await settled(app, pilot)
        await settled(app, pilot)
        assert "manifest.json" not in app.query_one("#status", StatusLine).message
        assert app.is_running


async def test_a_damaged_file_is_not_read_again_on_every_tick_of_the_poll(
    small_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While a file stays damaged, the half-second poll reads nothing (the generation and the minute
    are the ones on screen): it reloaded the whole store every tick, on every desk, for as long as the
    damage lasted. The watcher's wake-ups and the minute's turn still read again."""
    day_file = small_store.root / "petitions" / "2026-11-27.json"
    async with dashboard(small_store) as (app, pilot):
        await settled(app, pilot)
        day_file.write_bytes(b'{"broken')
        app.recheck()  # what the watcher calls when a file changes with no commit
        await settled(app, pilot)
        assert "2026-11-27.json" in app.query_one("#status", StatusLine).message
        reloads: list[int] = []
        monkeypatch.setattr(app, "reload", lambda: reloads.append(1))
        for _ in range(3):
            app.poll()
        assert reloads == []
        app.commit_seen()
        assert reloads == [1]


async def test_a_damaged_file_is_named_on_a_detail_or_list_covering_the_dashboard(small_store: Store) -> None:
    """A day file damaged while an officer read a case's detail: the detail kept showing the case as
    last read, and its status line said nothing (the fault was pinned on the dashboard's line, under
    the detail), so the stale detail went unexplained until Esc; a list opened while the file was
    damaged said nothing either. The fault's line is on every screen's status line now, and goes from
    all of them once the file is mended."""
    day_file = small_store.root / "petitions" / "2026-11-27.json"
    sound = day_file.read_bytes()

    def lines() -> dict[str, str]:
        return {
            type(screen).__name__: line.message
            for screen in app.screen_stack
            for line in screen.query("#status").results(StatusLine)
        }

    async with dashboard(small_store) as (app, pilot):
        await pilot.press("enter")
        await settled(app, pilot)
        assert isinstance(app.screen, DetailScreen)
        day_file.write_bytes(sound[:100])
        app.recheck()  # what the store watcher calls on a file changed with no commit
        await settled(app, pilot)
        await settled(app, pilot)
        assert "petitions/2026-11-27.json" in lines()[type(app.screen).__name__], lines()  # (Unrevealing…)
        await pilot.press("escape", "l")  # the ended cases' list, opened while the file is damaged
        await settled(app, pilot)
        assert isinstance(app.screen, TableScreen)
        assert "petitions/2026-11-27.json" in lines()["TableScreen"], lines()
        day_file.write_bytes(sound)
        app.recheck()
        await settled(app, pilot)
        await settled(app, pilot)
        pinned = [line.pinned for screen in app.screen_stack for line in screen.query("#status").results(StatusLine)]
        assert pinned == ["", ""], pinned  # (a refusal said meanwhile stays until the next message, as ever)


@pytest.mark.parametrize("name", ["petitions/2026-11-27.json", "households/dc-M01.json"])
async def test_a_file_damaged_by_hand_is_named_at_once_without_a_reload(
    small_store: Store, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file damaged by hand while the dashboard runs leaves the manifest as it was: the watcher
    woke only for the manifest, so nothing was said until the next commit or Ctrl+R (the interval
    poll is ten minutes here). Now the watcher sees the file change: the status line names it at
    once (a day file the panels read, or a grid's households they do not), the last data stays on
    screen, the dashboard runs on; mended, the line goes."""
    import threading

    import watchfiles

    damaged = small_store.root / name
    sound = damaged.read_bytes()
    watching = threading.Event()
    watch = watchfiles.watch

    def noting_the_watch(*args: object, **kwargs: object) -> object:
        for changes in watch(*args, **kwargs):  # type: ignore[arg-type]
            watching.set()  # its first look is done: the folders are watched
            yield changes

    monkeypatch.setattr(watchfiles, "watch", noting_the_watch)

    async def status_says(check: Callable[[str], bool], what: str) -> str:
        said = lambda: str(app.screen_stack[0].query_one("#status").render())  # noqa: E731
        await until(pilot, lambda: check(said()), what)
        return said()

    async with dashboard(small_store) as (app, pilot):
        await until(pilot, watching.is_set, "the store watcher's first look")  # it starts after the first frame
        await settled(app, pilot)
        damaged.write_bytes(sound[:100])
        said = await status_says(lambda line: name in line, f"the status line to name {name}")
        assert name in said and "损坏" in said, said
        assert app.is_running and app.return_code is None
        assert desk_panel(app, "petitions").table.keys  # the last data read stays on screen
        damaged.write_bytes(sound)
        said = await status_says(lambda line: name not in line, f"{name} to leave the status line")
        assert name not in said, said


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("zh", "：第1行第41列不是有效的 JSON。文件未改动；画面停在最后读到的数据，相关的写入会被拒绝；请从备份恢复"),
        (
            "en",
            ": not valid JSON at line 1, column 41. It was not changed; the screen keeps the last data read,"
            " and writes that need it are refused; restore it from a backup",
        ),
    ],
)
async def test_a_file_damaged_while_running_is_said_in_the_interface_language(
    small_store: Store, lang: str, words: str
) -> None:
    """The status line named the file in the interface's words and then what was wrong in it in
    orjson's English (`not valid JSON (unexpected character, expected ',' or '}': line 1 column 41
    (char 40))`)."""
    day_file = small_store.root / "petitions" / "2026-11-27.json"
    async with dashboard(small_store, lang=lang) as (app, pilot):
        day_file.write_bytes(b'{"records": {"1": {"id": "MK261127-001" "title": 1}}}')
        app.reload()
        await settled(app, pilot)
        assert app.is_running
        assert app.status.said[-1].endswith(f"：petitions/2026-11-27.json{words}"[len("：") if lang == "en" else 0 :])


@pytest.mark.parametrize(("lang", "size"), [("zh", NARROW), ("zh", WIDE), ("en", WIDE)])
async def test_a_damaged_file_is_named_in_the_status_line_as_drawn(small_store: Store, lang: str, size) -> None:  # noqa: ANN001
    """The line said what a damage means first (存储读不出，画面停在最后读到的数据，相关的写入会被拒绝：…),
    so at 80 columns, and in English at 120, what it drew had lost the file's name: 数据文件…请从备份恢复.
    Which file comes first now, then what to do; what it means gives way. (English at 80 columns keeps
    the start of the name only: petitions/….)"""
    day_file = small_store.root / "petitions" / "2026-11-27.json"
    async with dashboard(small_store, size, lang=lang) as (app, pilot):
        day_file.write_bytes(day_file.read_bytes()[:100])
        app.reload()
        await settled(app, pilot)
        drawn = str(app.query_one("#status", StatusLine).render())
        assert "petitions/2026-11-27.json" in drawn, drawn
        assert drawn.endswith("请从备份恢复" if lang == "zh" else "restore it from a backup"), drawn


@pytest.mark.parametrize(("lang", "size"), [("zh", NARROW), ("zh", WIDE), ("en", WIDE)])
async def test_a_file_deleted_while_running_is_named_in_the_status_line_as_drawn(
    small_store: Store,
    lang: str,
    size,  # noqa: ANN001
) -> None:
    """A listed day file deleted by hand while two dashboards ran: at 80 columns the line drew
    存储文件有问题：数据文件缺失：petitions/2026-…；请从备份恢复，恢复前不会写入它 (and in English at 120,
    petitions/2026…): the one thing the officer needs to restore, which file, was cut for the rest of
    the advice. The file is named whole now; what to do keeps at least its first part (请从备份恢复)."""
    name = "petitions/2026-11-27.json"
    async with dashboard(small_store, size, lang=lang) as (app, pilot):
        (small_store.root / name).unlink()
        app.recheck()  # what the store watcher calls on a file changed with no commit
        line = app.query_one("#status", StatusLine)
        await until(pilot, lambda: "manifest.json" in line.message, "the missing file said")
        await settled(app, pilot)
        shown = str(line.render())
        assert name in shown, shown
        advice = "请从备份恢复" if lang == "zh" else "restore it from a backup"
        assert advice in shown and not shown.endswith("…"), shown
        assert app.is_running


async def test_a_write_refused_by_a_damaged_file_names_the_file_as_drawn(small_store: Store) -> None:
    """At 80x24 a step on a case whose file was damaged was refused in the status line as
    数据文件已损坏：/tmp…son：在第1行第101列处中断，内容不完整（不…请从备份恢复。: its whole path had
    left no room for the file's name. Named from the store's folder, as the line that says the damage does."""
    day_file = small_store.root / "petitions" / "2026-11-27.json"
    async with dashboard(small_store, NARROW) as (app, pilot):
        table = desk_panel(app, "petitions").table
        await pilot.press(*["down"] * table.keys.index("MK261127-001"))
        day_file.write_bytes(day_file.read_bytes()[:100])
        await pilot.press("a")  # 受理, on the case as the screen still shows it
        await settled(app, pilot)
        if isinstance(app.screen, FormScreen):
            await pilot.press("enter")
            await settled(app, pilot)
        said = app.status.said[-1]
        drawn = str(app.query_one("#status", StatusLine).render())
        assert str(small_store.root) not in said, said
        assert "petitions/2026-11-27.json" in drawn, drawn


async def test_a_refused_key_gives_way_to_the_damaged_file_it_covered(small_store: Store) -> None:
    """A key refused while a damaged file was named (a step the case's state does not allow) took the
    status line for good: a refusal stays until the next message, and with the store unreadable none
    came, so the panels' last data stayed on screen with nothing saying it was stale. Said over a
    lasting fault, the refusal shows for a while, then the fault again."""
    day_file = small_store.root / "petitions" / "2026-11-27.json"
    async with dashboard(small_store, NARROW) as (app, pilot):
        line = app.query_one("#status", StatusLine)
        line.fade = 0.05  # the test's own fade: the line's timer, not a sleep here
        day_file.write_bytes(day_file.read_bytes()[:100])
        app.reload()
        await settled(app, pilot)
        assert "petitions/2026-11-27.json" in line.message
        await pilot.press("3")
        table = desk_panel(app, "services").table
        table.move_cursor(row=table.keys.index("sv1"))  # 11:00, not begun: 完成 is refused at once
        await pilot.press("d")
        await settled(app, pilot)
        assert "未更改" in app.status.said[-1], app.status.said  # said over the damaged file's line
        await until(pilot, lambda: "petitions/2026-11-27.json" in line.message, "the damaged file named again")
        assert "未更改" not in line.message


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_a_third_damaged_file_is_counted_in_the_interface_language(
    small_store: Store, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    """The status line joins the first two files with the language's semicolon and counts the rest
    in words (it wrote a Chinese ； and ` (+1)` in both languages), naming each from the store's folder."""
    damaged = ["households/dc-M01.json", "permits.json", "workers.json"]
    found = [StoreCorruptError(small_store.root / name, Detail("damage.json_empty")) for name in damaged]
    monkeypatch.setattr(Store, "problems", lambda self, day=None: found)  # what a look at the files finds
    async with dashboard(small_store, lang=lang) as (app, pilot):
        await settled(app, pilot)
        line = app.status.said[-1]
        assert str(small_store.root) not in line
        assert [name in line for name in damaged] == [True, True, False], line
        assert (
            "请从备份恢复；数据文件已损坏：permits.json"
            if lang == "zh"
            else "from a backup; store file is damaged: permits.json"
        ) in line
        assert line.endswith("……另有 1 条" if lang == "zh" else "… and 1 more"), line


async def test_a_store_moved_away_while_running_is_never_started_again(small_store: Store, tmp_path) -> None:  # noqa: ANN001
    """The store folder moved (or deleted, or its disk unmounted) while a dashboard ran: it said
    nothing, showed an empty store, and its next write made a new store in its place holding that
    one record (ZB261128-001 again). Now the line names the folder, a write is refused with the form
    kept, and once the folder is back the write goes into it, its 已记录 said."""
    root = small_store.root
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("5", "l", *"电梯困人")
        await settled(app, pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        root.rename(tmp_path / "away")
        app.poll()
        await settled(app, pilot)
        assert "不见了" in app.screen_stack[0].query_one("#status", StatusLine).message
        assert desk_panel(app, "petitions").table.keys  # the last data read stays on screen
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        assert app.screen is form and "不见了" in str(form.query_one("#form-error").render())
        assert not root.exists()
        (tmp_path / "away").rename(root)
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        app.reload()
        await settled(app, pilot)
        assert app.screen is not form
        [entry] = Store(root).all(DutyLogEntry, "2026-11")
        assert entry.content == "电梯困人"
        assert app.query_one("#status", StatusLine).message == f"已记录 {entry.id}"


@pytest.mark.parametrize("key", ["question_mark"])
async def test_help_lists_the_keys(small_store: Store, key: str) -> None:
    async with dashboard(small_store) as (app, pilot):
        await pilot.press(key)
        await pilot.pause()
        assert app.screen.query("HelpPanel")


@pytest.mark.parametrize(("lang", "said"), [("zh", "退出 退出值班室"), ("en", "Quit Leave duty-room")])
async def test_the_quit_key_in_help_says_what_it_does_on_one_line(small_store: Store, lang: str, said: str) -> None:
    """`?` in English said `^q q Quit Quit the app and return to the command prompt.` (Textual's
    tooltip, over four lines at 80 columns, and untrue over SSH, where quitting ends the session)."""
    async with dashboard(small_store, lang=lang) as (app, pilot):
        await pilot.press("question_mark")
        await settled(app, pilot)
        [line] = [line for line in screen_text(app).splitlines() if "^q q " in line]
        assert line.split("^q q ")[1].strip() == said, line


@pytest.mark.parametrize(("lang", "closer", "last"), [("zh", "? 帮助", "刷新"), ("en", "? Help", "Refresh")])
async def test_help_at_80x24_leaves_the_footer_whole_and_pages_to_its_last_key(
    small_store: Store, lang: str, closer: str, last: str
) -> None:
    """`?` at 80x24: Textual's keys panel took the screen's whole height, over the Footer's end, cut
    mid-word (`f 重 ▏^p   令`), and panel 1's fifty lines of keys were cut at the screen's foot
    (the wheel alone scrolled them). Now the panel stands above the Footer, which stays whole with
    the key that closes the help; `?` again shows the next page of keys, and after the last, closes."""
    from textual.widgets import HelpPanel

    async with dashboard(small_store, NARROW, lang=lang) as (app, pilot):
        await pilot.press("question_mark")
        await settled(app, pilot)
        [help_panel] = app.screen.query(HelpPanel)
        footer = app.screen.query_one("CompactFooter").region
        assert help_panel.region.bottom <= footer.y, (help_panel.region, footer)
        foot = screen_text(app).splitlines()[footer.y]
        assert closer in foot and "^p" in foot and "▏^p" in foot.replace(" ", ""), foot  # whole, to its end
        assert last not in screen_text(app)  # panel 1's keys are more than a screen
        for _ in range(10):
            await pilot.press("question_mark")
            await settled(app, pilot)
            if not app.screen.query(HelpPanel) or last in screen_text(app):
                break
        assert app.screen.query(HelpPanel) and last in screen_text(app)  # the last page, still open
        await pilot.press("question_mark")
        await settled(app, pilot)
        assert not app.screen.query(HelpPanel)


def help_pages_line(app: DutyRoomApp) -> str:
    """The paged help's last line as painted: the panel's lines below its keys (empty: none shown)."""
    from textual.widgets import HelpPanel, KeyPanel

    [panel] = app.screen.query(HelpPanel)
    keys = panel.query_one(KeyPanel).region
    shown = screen_text(app).splitlines()
    below = range(keys.bottom, panel.region.bottom)
    return " ".join(
        cells_of(shown[y], panel.content_region.x, panel.content_region.right).strip() for y in below
    ).strip()


@pytest.mark.parametrize(
    ("lang", "size", "first", "last"),
    [
        ("zh", NARROW, "第 1/3 页 · ? 下一页 esc 关闭", "第 3/3 页 · ?/esc 关闭"),
        ("zh", WIDE, "第 1/2 页 · ? 下一页 · esc 关闭", "第 2/2 页 · ?/esc 关闭"),
        ("en", NARROW, "page 1/3 · ? next page esc close", "page 3/3 · ?/esc close"),
        ("en", WIDE, "page 1/2 · ? next page · esc close", "page 2/2 · ?/esc close"),
    ],
)
async def test_a_help_of_more_than_a_page_says_which_page_and_the_keys_that_page_and_close_it(
    small_store: Store, lang: str, size: tuple[int, int], first: str, last: str
) -> None:
    """Nothing on screen said `?` pages the help: panel 1's keys are three pages at 80x24, two at
    120x40, and their first page looked like all of them. Its last line says which page, that `?`
    shows the next, and that Esc closes it (on the last page `?` closes it too); the keys' own lines
    stay as many as the panel had room for less that line."""
    async with dashboard(small_store, size, lang=lang) as (app, pilot):
        await pilot.press("question_mark")
        await drawn(app, pilot)
        assert help_pages_line(app) == first
        pages = int(first.split("/")[1].split()[0])
        for _ in range(pages - 1):
            await pilot.press("question_mark")
            await drawn(app, pilot)
        assert help_pages_line(app) == last
        await pilot.press("question_mark")
        await drawn(app, pilot)
        assert not app.screen.query("HelpPanel")


async def test_the_dashboards_own_keys_come_after_the_panels(small_store: Store) -> None:
    """The dashboard's own keys are bound on the app (the panels' deck, the palette and the help do
    their work): the Footer ends with q, ? and z after the panel's keys, and `?` lists them in one
    group after the panel's. Bound on the deck, z came before q and ?, and `?` split them in two."""
    async with dashboard(small_store, WIDE) as (app, pilot):
        active = app.screen.active_bindings
        assert [key for key, b in active.items() if b.binding.show][-3:] == ["q", "question_mark", "z"]
        own = ["q", "question_mark", "f1", "1", "2", "3", "4", "5", "z", "ctrl+p", "ctrl+r"]
        assert [(key, active[key].node) for key in list(active)[-len(own) :]] == [(key, app) for key in own]


def help_keys_shown(app: DutyRoomApp) -> list[str]:
    """The lines of the help's keys as painted (blank ones left out), from its left edge."""
    from textual.widgets import KeyPanel

    [keys] = app.screen.query(KeyPanel)
    box = keys.scrollable_content_region
    shown = screen_text(app).splitlines()
    return [line for y in range(box.y, box.bottom) if (line := cells_of(shown[y], box.x, box.right).rstrip())]


def help_rows(pages: list[list[str]]) -> list[list[str]]:
    """Each page's keys, each as its key and description without spaces (as wrapped or not): a line
    that goes on a description wrapped onto it begins where descriptions begin, any other line
    begins a key (right-aligned: its last character two cells before that). A wrapped key's lines
    cut by the end of a page are two keys here, neither one the help shows when it is one page."""
    lines = [line for page in pages for line in page]

    def indent(line: str) -> int:
        return len(line) - len(line.lstrip())

    def begins_descriptions(x: int) -> bool:
        return all(indent(line) == x or (indent(line) < x - 1 and line[x - 2 : x] != "  ") for line in lines)

    where = next(x for x in range(2, max(map(len, lines))) if begins_descriptions(x))
    rows: list[list[str]] = []
    for page in pages:
        rows.append([])
        for line in page:
            if rows[-1] and indent(line) == where:
                rows[-1][-1] += line
            else:
                rows[-1].append(line)
        rows[-1] = ["".join(row.split()) for row in rows[-1]]
    return rows


@pytest.mark.parametrize(
    ("size", "lang"), [(NARROW, "en"), (NARROW, "zh"), (WIDE, "en")], ids=["80x24-en", "80x24", "120x40-en"]
)
async def test_a_keys_lines_stay_on_one_page_of_the_help(small_store: Store, size: tuple[int, int], lang: str) -> None:
    """`?` paged the help by its height, whatever was there: at 80x24 in English panel 5's first
    page ended "e Export a" and the second began "handover". Each page shows whole keys, and the
    pages together show each key once, as a help tall enough for all of them does."""
    width, _ = size
    paged = 0
    for number in "12345":
        async with dashboard(small_store, (width, 120), lang=lang) as (app, pilot):
            await pilot.press(number, "question_mark")
            await drawn(app, pilot)
            assert help_pages_line(app) == ""  # one page: every key
            [keys] = help_rows([help_keys_shown(app)])
        async with dashboard(small_store, size, lang=lang) as (app, pilot):
            await pilot.press(number, "question_mark")
            await drawn(app, pilot)
            shown = []
            while app.screen.query("HelpPanel"):
                shown.append(help_keys_shown(app))
                await pilot.press("question_mark")
                await drawn(app, pilot)
        pages = help_rows(shown)
        for page in pages:
            assert all(row in keys for row in page), (number, page)
        assert [row for page in pages for row in page] == keys, number
        paged += len(pages) > 1
    assert paged  # panel 1's keys are more than a page at each size


async def test_a_help_of_one_page_has_no_page_line_and_a_forms_names_f1_not_esc(small_store: Store) -> None:
    """A detail's few keys fit one page at 120x40: no page line. In a form `?` is typed and Esc
    cancels the form: its help says F1 pages it, and no Esc."""
    async with dashboard(small_store, WIDE) as (app, pilot):
        await pilot.press("enter", "question_mark")
        await drawn(app, pilot)
        assert isinstance(app.screen, DetailScreen) and app.screen.query("HelpPanel")
        assert help_pages_line(app) == ""
    async with dashboard(small_store, NARROW) as (app, pilot):
        await pilot.press("n", "f1")
        await drawn(app, pilot)
        assert isinstance(app.screen, FormScreen)
        line = help_pages_line(app)
        assert line.startswith("第 1/") and "f1 下一页" in line and "esc" not in line, line


async def test_esc_closes_the_help_on_its_first_page_and_else_does_nothing(small_store: Store) -> None:
    """`?` again pages a help longer than the screen (panel 1's is two pages even at 120x40): so one
    who pressed `?` to close it saw its second page. Esc closes it at once; without help shown, Esc
    on the dashboard changes nothing."""
    from textual.widgets import HelpPanel

    async with dashboard(small_store, NARROW) as (app, pilot):
        before = screen_text(app)
        await pilot.press("escape")
        await settled(app, pilot)
        assert screen_text(app) == before and not app.screen.query(HelpPanel)
        await pilot.press("question_mark")
        await settled(app, pilot)
        assert app.screen.query(HelpPanel)
        await pilot.press("escape")
        await settled(app, pilot)
        assert not app.screen.query(HelpPanel)
        await pilot.press("2")  # the next key is the dashboard's again
        await settled(app, pilot)
        assert app.deck.active == "visits"


async def test_cursor_follows_its_case_when_rows_move(small_store: Store) -> None:
    from store.lifecycle import change_status

    async with dashboard(small_store, refresh_seconds=0.2) as (app, pilot):
        table = desk_panel(app, "petitions").table
        table.move_cursor(row=2)
        await pilot.pause()
        assert table.cursor_key == "MK261127-003"
        # Another desk withdraws the top case: every row below moves up one slot.
        change_status(Store(small_store.root, actor="other"), "MK261127-001", PetitionStatus.CANCELLED, note="撤诉")
        moved_up = ["MK261127-002", "MK261127-003", "MK261127-004"]
        await until(pilot, lambda: table.keys == moved_up, "the withdrawn case to leave the list")
        assert table.keys == ["MK261127-002", "MK261127-003", "MK261127-004"]
        assert table.cursor_key == "MK261127-003" and table.cursor_row == 1


async def test_read_only_viewer_changes_nothing(small_store: Store) -> None:
    before = {p.name: p.read_bytes() for p in small_store.root.rglob("*.json")}
    async with dashboard(small_store, read_only=True, reveal_users=["duty-officer"]) as (app, pilot):
        assert "只读" in str(app.query_one("#head-title").render())
        for key in ("c", "a", "n", "x"):
            await pilot.press(key)
            await pilot.pause()
            assert not isinstance(app.screen, (ChoiceModal, FormScreen)), key
        await pilot.press("enter")  # details still open
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        await pilot.press("p")  # but revealing (which writes the audit log) is refused
        await pilot.pause()
        assert "138****1234" in " ".join(v.plain for _, v in app.screen.content.fields)
    assert {p.name: p.read_bytes() for p in small_store.root.rglob("*.json")} == before


async def test_a_viewers_writing_keys_never_reach_a_panel(small_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """A viewer's step that writes is stopped before the panel (``DeskPanel.check_action``: its key is
    not bound, typed it is refused in words, the palette does not offer it), so neither a panel's
    ``action_step`` nor 登记 keeps a read-only check of its own. Only the viewing steps get through."""
    from duty_room.panels import base
    from duty_room.panels.dutylog import DutyLogPanel
    from duty_room.panels.services import ServicesPanel
    from duty_room.panels.stalls import StallsPanel
    from duty_room.panels.visits import VisitsPanel

    panels = (VisitsPanel, ServicesPanel, StallsPanel, DutyLogPanel)
    reached: list[tuple[str, str]] = []
    for cls in panels:
        monkeypatch.setattr(cls, "action_step", lambda self, name: reached.append((self.NAME, name)))
    monkeypatch.setattr(base, "ask_intake", lambda *_, **__: reached.append(("intake", "n")))
    monkeypatch.setattr(DutyLogPanel, "action_new_petition", lambda self: reached.append(("intake", "n")))
    async with dashboard(small_store, WIDE, read_only=True) as (app, pilot):
        for cls in panels:
            await pilot.press(str(cls.NUMBER))
            await settled(app, pilot)
            panel = desk_panel(app, cls.NAME)
            for command in list(panel.commands()):  # what the palette offers, run
                command.callback()
            for key, _ in cls.KEYS:
                await pilot.press(key)
                await settled(app, pilot)
                assert not isinstance(app.screen, (ChoiceModal, FormScreen, TableScreen)), (cls.NAME, key)
            await pilot.press("n")
            await settled(app, pilot)
    viewing = {cls.NAME: cls.VIEWING for cls in panels}
    assert reached and all(name in viewing.get(panel, frozenset()) for panel, name in reached), reached


async def test_a_viewer_is_not_offered_reveal_in_a_detail_yet_typed_it_is_refused(small_store: Store) -> None:
    """README (Personal data): a viewer may not reveal, the attempt would have to be written. A
    read-only desk's detail offered p all the same: in the Footer, in `?` and in the border (按 p
    显示，将记录在案), to refuse it once pressed. Now none of them offers it; typed, it is refused
    in words as before, and nothing is written."""
    before = {p.name: p.read_bytes() for p in small_store.root.rglob("*.json")}
    async with dashboard(small_store, WIDE, read_only=True) as (app, pilot):
        await pilot.press("enter")
        await settled(app, pilot)
        detail = app.screen
        assert isinstance(detail, DetailScreen) and detail.content.subject  # a case with a reporter
        assert "显示个人信息" not in screen_text(app).splitlines()[-1]  # the Footer
        assert str(detail.query_one("#detail-box").border_subtitle) == "个人信息已脱敏"
        await pilot.press("question_mark")
        await drawn(app, pilot)
        assert detail.query("HelpPanel")
        assert not any("显示个人信息" in line for line in help_keys_shown(app))
        await pilot.press("question_mark")  # one page: ? closes it
        await settled(app, pilot)
        assert app.screen is detail and not detail.query("HelpPanel")
        await pilot.press("p")
        await settled(app, pilot)
        assert "只读模式：不能更改，也不能显示个人信息" in screen_text(app)
        assert "138****1234" in " ".join(v.plain for _, v in detail.content.fields)
    assert {p.name: p.read_bytes() for p in small_store.root.rglob("*.json")} == before


async def test_a_permitted_officers_detail_offers_reveal(small_store: Store) -> None:
    async with dashboard(small_store, WIDE, reveal_users=["duty-officer"]) as (app, pilot):
        await pilot.press("enter")
        await settled(app, pilot)
        assert "p 显示个人信息" in screen_text(app).splitlines()[-1]
        assert str(app.screen.query_one("#detail-box").border_subtitle) == "个人信息已脱敏；按 p 显示（将记录在案）"
        await pilot.press("question_mark")
        await drawn(app, pilot)
        assert any("显示个人信息" in line for line in help_keys_shown(app))


async def test_lite_profile_one_panel_terminal_palette(small_store: Store) -> None:
    async with dashboard(small_store, lite=True) as (app, pilot):
        assert app.query_one("#panels").has_class("narrow")  # one panel at a time even at 120 columns
        assert desk_panel(app, "petitions").table.display and not desk_panel(app, "visits").table.display
        assert app.theme == "ansi-dark" and app.ansi_color is True


# Every kind of field an officer can type in, reached from the dashboard, and the keys that go back.
FIELDS = [
    (["n"], ["escape"]),  # 登记's form
    (["down", "d"], ["escape"]),  # a picker (dispatch), typed to filter
    (["c", "enter"], ["escape"]),  # the status change's note
    (["slash"], ["escape"]),  # the filter
    (["ctrl+p"], ["escape"]),  # Textual's own: the palette
    (["2", "r", "a"], ["escape", "escape", "1"]),  # a roster form
    (["3", "a"], ["escape", "1"]),
    (["4", "y"], ["escape", "1"]),
    (["5", "l"], ["escape", "1"]),
]


@pytest.mark.parametrize("lite", [True, False], ids=["lite", "full"])
async def test_in_lite_no_cursor_blinks(small_store: Store, lite: bool) -> None:
    """A blinking cursor repaints its field twice a second: with a form, the filter or the palette
    open, 250-330 B/s (the palette ~900) at 80x24 while nothing else changed, --lite included.
    In lite the focused field's cursor stays shown, steady; without it, it blinks as before."""
    async with dashboard(small_store, NARROW, lite=lite) as (app, pilot):
        for there, back in FIELDS:
            for key in there:
                await pilot.press(key)
                await settled(app, pilot)
            field = app.focused
            assert isinstance(field, Input | TextArea), there
            assert field.cursor_blink is not lite, there
            if lite:  # shown, not hidden by turning the blink off (blinking, it is off half the time)
                assert field._cursor_visible, there
            for key in back:
                await pilot.press(key)
                await settled(app, pilot)
            assert app.screen is app.screen_stack[0] and app.deck.active == "petitions", there


async def test_ascii_borders_and_bars(small_store: Store) -> None:
    async with dashboard(small_store, ascii=True) as (app, pilot):
        assert app.screen.has_class("ascii")
        assert desk_panel(app, "visits").styles.border_top[0] == "ascii"
        bar = cell(app, "visits", "dc-M01", 1)
        assert set(bar) <= {"#", "."} and bar.count("#") == 1  # 1 of 5 visited, 6 cells wide


@pytest.fixture
def demo_store(tmp_path: Path, frozen_clock: str) -> Store:
    """The demo township: lists long enough for scrollbars."""
    build_demo(Store(tmp_path / "demo", actor="demo-builder"))
    return Store(tmp_path / "demo", actor="duty-officer")


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["120x40", "80x24"])
async def test_an_ascii_screen_draws_no_block_glyphs(demo_store: Store, size: tuple[int, int]) -> None:
    """--ascii (a terminal whose font has no box characters) still drew the Footer's line before ^p
    as ▏ and the tables' scrollbars' ends as eighth blocks (▁); `?` named keys ↑ ⌫."""
    glyphs = re.compile("[\u2190-\u21ff\u2300-\u23ff\u2500-\u259f]")  # arrows, symbols, boxes, blocks
    async with dashboard(demo_store, size, ascii=True) as (app, pilot):
        drawn = [screen_text(app)]
        app.action_help()
        await settled(app, pilot)
        drawn.append(screen_text(app))
        found = {c for text in drawn for c in glyphs.findall(text)}
        assert not found, [line for text in drawn for line in text.splitlines() if found & set(line)]
        assert "^p" in drawn[0].splitlines()[-1]
    async with dashboard(demo_store, size) as (app, pilot):  # and the next app, not ASCII, draws them
        assert glyphs.search(screen_text(app))


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["120x40", "80x24"])
async def test_an_ascii_screen_draws_no_block_glyphs_over_the_dashboard_either(
    demo_store: Store, size: tuple[int, int]
) -> None:
    """--ascii drew the dashboard in ASCII, but every box opened over it in block glyphs: a form's,
    a case's detail's and the discard question's edges (█▀▄), their buttons (▔▁), a drop-down's
    list and the status choice's list and note (▊▎), the palette's edges (▔▁) and its 🔎, and the edge of their keys (F1, ▏), which a terminal
    without those characters cannot draw."""
    glyphs = re.compile("[\u2500-\u259f\U0001f300-\U0001faff]")  # boxes, blocks, pictures (🔎)
    async with dashboard(demo_store, size, ascii=True) as (app, pilot):
        drawn: dict[str, str] = {}
        for name, keys in (
            ("detail", ("enter",)),
            ("detail's keys", ("f1",)),
            ("form", ("f1", "escape", "n")),
            ("form's keys", ("f1",)),
            ("choice", ("f1", "tab", "enter")),
            ("discard", ("escape", "escape", "n", "x", "escape")),
            ("palette", ("y", "ctrl+p")),
            ("status", ("escape", "c")),
        ):
            await pilot.press(*keys)
            await settled(app, pilot)
            drawn[name] = screen_text(app)
        assert "MK261120-001" in drawn["detail"] and "登记民情诉求" in drawn["form"], drawn
        assert "民情信箱" in drawn["choice"], drawn["choice"]
        assert "向上滚动" in drawn["detail's keys"] and "到行首" in drawn["form's keys"], drawn
        assert "放弃" in drawn["discard"] and "搜索命令" in drawn["palette"], drawn
        assert "更改状态" in drawn["status"], drawn["status"]
        found = {name: sorted(set(glyphs.findall(text))) for name, text in drawn.items()}
        assert not any(found.values()), found


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["120x40", "80x24"])
async def test_ascii_draws_no_glyph_on_any_screen(small_store: Store, size: tuple[int, int], lang: str) -> None:
    """--ascii still drew ⏎ for Enter (every panel's Footer, `?`, the palette), a drop-down's ▼ on
    every form with a choice, and ↑↓ in a picker's label (输入筛选，↑↓选择); and in words the → between a
    before and an after (撤销 → 已撤销), the · between a title's parts and between keys (派单 · MK…),
    — for a figure not known yet, … where a cell is cut. Every screen the Footer test walks, `?` on
    each panel and the palette: the whole screen's text, ASCII but for Chinese text itself (its
    characters, its punctuation，“”) and ¥ (money, not decoration)."""
    from test_footer_fits import WALKS, walked

    glyphs = re.compile("[^\x00-\x7f¥“”\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
    found: dict[str, list[str]] = {}
    walks = [
        *WALKS,
        *((f"panel {n} help", [str(n), "question_mark"], "DashboardScreen", ["question_mark"]) for n in range(1, 6)),
        ("palette", ["ctrl+p"], "Palette", ["escape"]),
        ("panel 5 incident form", ["5", "i"], "FormScreen", ["escape"]),
    ]
    # an incident's log line: its title over its description, shown on one line with ⏎ between
    open_incident(small_store, title="河堤渗水", category=next(iter(IncidentCategory)), description="巡查发现")
    async with dashboard(small_store, size, ascii=True, lang=lang, reveal_users=["duty-officer"]) as (app, pilot):
        async for where in walked(app, pilot, walks):
            text = screen_text(app)
            if glyphs.search(text):
                found[where] = sorted(set(glyphs.findall(text)))
    assert found == {}


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("zh", "注意：环境变量 DUTY_ROOM_TZ 不是设置项，未读取"),
        ("en", "note: the environment variable DUTY_ROOM_TZ is not a setting and was not read"),
    ],
)
async def test_an_unknown_duty_room_variable_is_said_on_the_dashboard_too(
    small_store: Store, monkeypatch: pytest.MonkeyPatch, lang: str, said: str
) -> None:
    """DUTY_ROOM_TZ (no setting) was named on stderr only, a line the dashboard's screen is drawn over
    at once: the officer never saw it. The status line says it, in the interface's language."""
    monkeypatch.setenv("DUTY_ROOM_TZ", "UTC")
    async with dashboard(small_store, NARROW, lang=lang) as (app, pilot):
        await settled(app, pilot)
        assert app.query_one("#status", StatusLine).message == said
        assert said in screen_text(app)
    monkeypatch.delenv("DUTY_ROOM_TZ")
    async with dashboard(small_store, NARROW, lang=lang) as (app, pilot):
        await settled(app, pilot)
        assert said not in app.status.said


async def test_no_color_is_honoured(small_store: Store, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("NO_COLOR", "1")
    app = dashboard_app(small_store)
    assert app.no_color


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_palettes_screenshot_is_said_in_the_interface_language(
    small_store: Store,
    tmp_path,
    monkeypatch,
    lang: str,  # noqa: ANN001
) -> None:
    """截图 in the palette said 'Screenshot: Failed to save screenshot' (English, no reason) when the
    downloads folder was missing, as it is for a service account; it is saved in the home folder
    then, and a failure names the reason and the folder in the interface's words."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_DOWNLOAD_DIR", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))  # no user-dirs.dirs naming another folder
    saved_word, failed_word = (
        ("已保存截图", "截图未保存") if lang == "zh" else ("Screenshot saved", "Screenshot not saved")
    )

    async def shot() -> str:
        status = app.query_one("#status", StatusLine)
        status.say("")
        command = next(c for c in app.get_system_commands(app.screen) if c.title in ("截图", "Screenshot"))
        command.callback()  # what Enter on it in the palette does
        await until(pilot, lambda: status.message, "the status line to say the screenshot's fate")
        return status.message

    async with dashboard(small_store, lang=lang) as (app, pilot):
        said = await shot()
        assert said.startswith(saved_word), said
        assert [p.suffix for p in home.iterdir()] == [".svg"] and str(home) in said
        monkeypatch.setenv("HOME", str(tmp_path / "gone"))
        said = await shot()
        assert said.startswith(failed_word) and "Screenshot:" not in said and str(tmp_path / "gone") in said, said


async def test_a_screenshot_the_disk_cannot_hold_leaves_no_file(small_store: Store, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    """Textual's own save opened the file and wrote into it: a full disk said 截图未保存 and left an
    empty (or cut-short) 值班室_….svg behind. Now written whole or not at all: the line, no file."""
    import subprocess

    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    home = tmp_path / "tiny"
    home.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", str(home)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs: {mounted.stderr.decode().strip()}")
    try:
        monkeypatch.setenv("HOME", str(home))
        monkeypatch.delenv("XDG_DOWNLOAD_DIR", raising=False)
        monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
        async with dashboard(small_store) as (app, pilot):
            status = app.query_one("#status", StatusLine)
            command = next(c for c in app.get_system_commands(app.screen) if c.title == "截图")
            command.callback()
            await until(pilot, lambda: status.message, "the status line to say the screenshot's fate")
            assert status.message.startswith("截图未保存：磁盘已满（ENOSPC）"), status.message
            assert list(home.iterdir()) == []
    finally:
        subprocess.run(["umount", str(home)], check=False)


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_palette_offers_one_zoom(small_store: Store, lang: str) -> None:
    """Ctrl+P listed two zooms: ours (放大 / 还原当前面板, `z`) and Textual's own Maximize (放大 放大当前部件),
    Minimize (还原) once zoomed. Ours zooms and restores: it is the only one, in both languages."""
    zoom, textuals = (
        ("放大 / 还原当前面板", {"放大", "还原"}) if lang == "zh" else ("Zoom / restore", {"Maximize", "Minimize"})
    )
    async with dashboard(small_store, NARROW, lang=lang) as (app, pilot):
        for zoomed in (False, True):
            titles = [c.title for c in app.get_system_commands(app.screen)]
            assert [t for t in titles if t.startswith(zoom)] == [zoom if lang == "zh" else f"{zoom} the current panel"]
            assert textuals.isdisjoint(titles), titles
            command = next(c for c in app.get_system_commands(app.screen) if c.title.startswith(zoom))
            command.callback()  # what Enter on it in the palette does
            await settled(app, pilot)
            assert (app.screen.maximized is not None) is not zoomed
        await pilot.press("ctrl+p", *("放大" if lang == "zh" else "zoom"))
        await drawn(app, pilot)  # the palette gathers its commands in a worker of its own: settled waits for it
        shown = [str(option.prompt) for option in app.screen.query_one(CommandList).options]
        assert len(shown) == 1 and zoom in shown[0], shown


async def test_every_key_a_panel_binds_is_in_its_palette(small_store: Store) -> None:
    """`?` lists a panel's keys and the palette offers them: 登记 (n) worked on panels 2-5 and was in
    `?`, but the palette had it on panel 1 only, and panel 1's sort (o, not in the Footer) was in
    `?` alone. Every key a panel binds for itself is now a palette command showing that key (a
    case's steps: those the selected case allows, as before)."""
    from textual.content import Content

    from duty_room.panels.base import DeskPanel
    from duty_room.panels.petitions import CASE_KEYS

    steps = {f"petition.{name}" for _, name in CASE_KEYS}
    async with dashboard(small_store) as (app, pilot):
        for number in "12345":
            await pilot.press(number)
            await settled(app, pilot)
            panel = app.deck.active_panel
            shown = {Content.from_markup(c.help).plain for c in app.get_system_commands(app.screen)}
            offered = {help.partition("]")[0] + "]" for help in shown if help.startswith("[")}
            bindings = [*DeskPanel.BINDINGS, *type(panel).BINDINGS]
            wanted = {f"[{b.key.replace('slash', '/')}]" for b in bindings if b.id not in steps}
            assert wanted <= offered, (panel.NAME, sorted(wanted - offered))


async def test_a_cases_steps_in_the_english_palette_are_commands_in_words(small_store: Store) -> None:
    """The English palette offered a case's steps by the domain's words for sentences: `cancel ·
    MK…`, `re-dispatch · MK…`, read as raw action names beside `Change case status` and every
    other panel's `Check in · …`. Each step is now a command in the interface's words
    (`Withdraw the case · MK…`, as its form is titled); the Chinese ones stay 撤销 · MK…."""
    from store.lifecycle import Action, allowed_actions

    async with dashboard(small_store, lang="en") as (app, pilot):
        table = desk_panel(app, "petitions").table
        seen: dict[str, str] = {}
        for row in range(len(table.keys)):
            table.move_cursor(row=row)
            await settled(app, pilot)
            view = desk_panel(app, "petitions").selected_view()
            assert view is not None
            titles = [c.title for c in app.get_system_commands(app.screen)]
            lowercase = [t for t in titles if t[:1].isascii() and t[:1].islower()]
            assert lowercase == [], lowercase
            for action in allowed_actions(view.petition, clock.now()):
                if action is not Action.REOPEN:
                    step = words.t(f"cmd.step.{action.value}", "en")
                    assert f"{step} · {view.petition.id}" in titles, (step, titles)
                    seen[action.value] = step
        assert seen["cancel"] == "Withdraw the case", seen


@pytest.mark.parametrize(("lang", "said"), [("zh", "没有匹配的命令"), ("en", "No matches found")])
async def test_a_palette_search_that_finds_nothing_says_so_in_the_interface_language(
    small_store: Store, lang: str, said: str
) -> None:
    """A search in the palette that matched no command said `No matches found` in the Chinese
    dashboard: Textual's own words, which the catalogue did not give."""
    from textual.command import CommandPalette

    async with dashboard(small_store, lang=lang) as (app, pilot):
        await pilot.press("ctrl+p")
        await settled(app, pilot)
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"zzqq")
        # Textual waits half a second (a timer) before it says nothing matched
        await until(pilot, lambda: said in screen_text(app), f"the palette to say {said}")
        text = screen_text(app)
        assert said in text, text
        if lang == "zh":
            assert "No matches" not in text


@pytest.mark.parametrize(("lang", "size"), [("zh", NARROW), ("zh", WIDE), ("en", WIDE)])
async def test_a_write_saved_then_a_damaged_file_on_reading_again_says_both(
    small_store: Store, monkeypatch: pytest.MonkeyPatch, lang: str, size: tuple[int, int]
) -> None:
    """A write that was saved, then a store that fails to be read again after it (another file
    damaged meanwhile): the damaged-file line replaced the write's 已记录, so the officer could not
    see the entry was saved. The line says both, the write first; once that fades, the damage stays."""
    import duty_room.panels.dutylog as panel

    day_file = small_store.root / "petitions" / "2026-11-27.json"
    logged = panel.log_entry

    def log_then_damage(*args: object, **kwargs: object) -> DutyLogEntry:
        entry = logged(*args, **kwargs)  # type: ignore[arg-type]
        day_file.write_bytes(day_file.read_bytes()[:100])
        return entry

    monkeypatch.setattr(panel, "log_entry", log_then_damage)
    async with dashboard(small_store, size, lang=lang) as (app, pilot):
        await pilot.press("5", "l", *"电梯困人", "ctrl+s")
        await settled(app, pilot)
        [entry] = small_store.all(DutyLogEntry, "2026-11")
        line = app.query_one("#status", StatusLine)
        saved = words.t("duty.logged", lang).format(entry.id)  # 已记录 ZB261128-001
        assert line.message.startswith(saved + ("。" if lang == "zh" else ". ")), line.message
        assert "petitions/2026-11-27.json" in line.message
        drawn = str(line.render())
        assert drawn.startswith(saved) and drawn.endswith("请从备份恢复" if lang == "zh" else "from a backup"), drawn
        assert "petitions/2026" in drawn, drawn
        line.clear()  # the write's news fades: the damage stays
        assert "petitions/2026-11-27.json" in line.message and entry.id not in line.message


async def test_a_write_saved_then_a_fault_found_again_or_mended_says_each_once(
    small_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write's 已记录, then a damaged file found on reading again: the line joined the two, and a
    second look (another file damaged) joined that whole line to the new fault, so it said 已记录, the
    first fault, then the second, 请从备份恢复 twice; once both were mended, the joined line kept
    saying them until it faded, and the news was in the fault's red. The line is made again from the
    news and the fault whenever either changes: the news once, in its own style, then the fault now."""
    import duty_room.panels.dutylog as panel

    day_file = small_store.root / "petitions" / "2026-11-27.json"
    stalls = small_store.root / "stalls.json"
    sound = {day_file: day_file.read_bytes(), stalls: stalls.read_bytes()}
    logged = panel.log_entry

    def log_then_damage(*args: object, **kwargs: object) -> DutyLogEntry:
        entry = logged(*args, **kwargs)  # type: ignore[arg-type]
        day_file.write_bytes(sound[day_file][:100])
        return entry

    monkeypatch.setattr(panel, "log_entry", log_then_damage)
    async with dashboard(small_store, NARROW) as (app, pilot):
        await pilot.press("5", "l", *"电梯困人", "ctrl+s")
        await settled(app, pilot)
        [entry] = small_store.all(DutyLogEntry, "2026-11")
        saved = words.t("duty.logged", "zh").format(entry.id)
        line = app.query_one("#status", StatusLine)
        assert line.message.startswith(saved + "。") and "petitions/2026-11-27.json" in line.message
        drawn = line.render()
        red = [span for span in drawn.spans if "red" in str(span.style)]
        assert "red" not in str(drawn.style) and red and red[0].start >= len(saved), drawn.spans  # 已记录 is no fault
        stalls.write_bytes(sound[stalls][:50])  # another file damaged: the look finds the fault again
        app.recheck()
        await settled(app, pilot)
        await settled(app, pilot)
        assert "stalls.json" in line.message, line.message
        assert line.message.startswith(saved + "。") and line.message.count("请从备份恢复") == 1, line.message
        for path, data in sound.items():
            path.write_bytes(data)
        app.recheck()
        await settled(app, pilot)
        await settled(app, pilot)
        assert line.message == saved, line.message  # the news stays until it fades; the fault's words go


async def test_a_refusal_naming_a_damaged_file_goes_once_the_file_reads_again(small_store: Store) -> None:
    """A step on a case refused because its day file was damaged said so (数据文件已损坏：petitions/…；
    请从备份恢复) and, as a refusal, stayed until something newer was said: after the file was mended
    and read again, the line still said it was damaged. Now it goes once the file reads again; a
    refusal about a case stays until the next message, as before."""
    day_file = small_store.root / "petitions" / "2026-11-27.json"
    sound = day_file.read_bytes()
    async with dashboard(small_store, NARROW) as (app, pilot):
        table = desk_panel(app, "petitions").table
        await pilot.press(*["down"] * table.keys.index("MK261127-001"))
        day_file.write_bytes(sound[:100])
        await pilot.press("a")  # 受理, refused: the file is damaged
        await settled(app, pilot)
        if isinstance(app.screen, FormScreen):
            await pilot.press("enter")
            await settled(app, pilot)
        line = app.query_one("#status", StatusLine)
        assert "petitions/2026-11-27.json" in line.message, line.message
        app.recheck()  # the watcher's look finds the damage the refusal named: said once, not twice
        await settled(app, pilot)
        await settled(app, pilot)
        assert app.status.banner and line.message.count("petitions/2026-11-27.json") == 1, line.message
        day_file.write_bytes(sound)
        app.recheck()  # what the store watcher calls on a file changed with no commit
        await settled(app, pilot)
        await settled(app, pilot)
        assert "petitions/2026-11-27.json" not in line.message, line.message
        app.desk.refuse("MK261127-001 未更改：状态不允许")  # a refusal about a case
        app.recheck()
        await settled(app, pilot)
        await settled(app, pilot)
        assert "MK261127-001 未更改" in line.message, line.message


async def test_news_said_over_a_fault_on_a_detail_is_said_before_it_in_chinese(small_store: Store) -> None:
    """Said while a damaged file was named, news hid the fault's line for a while, and on a detail's or a
    list's line two sentences were joined with ". " in the Chinese interface. The news shows before the
    fault, joined with 。 on every screen's line."""
    day_file = small_store.root / "petitions" / "2026-11-27.json"
    async with dashboard(small_store, WIDE) as (app, pilot):
        await pilot.press("enter")
        await settled(app, pilot)
        assert isinstance(app.screen, DetailScreen)
        day_file.write_bytes(day_file.read_bytes()[:100])
        app.recheck()
        await settled(app, pilot)
        await settled(app, pilot)
        app.notify("已导出")
        line = app.screen.query_one("#status", StatusLine)
        assert line.message.startswith("已导出。存储") and "petitions/2026-11-27.json" in line.message, line.message


async def test_a_dashboard_left_running_over_midnight_lays_its_columns_out_as_a_fresh_start(
    demo_store: Store,
) -> None:
    """A column's width only grows while the dashboard runs, so that a countdown (剩10时 → 剩9时) does
    not move the columns. Over midnight the day's rows change wholesale (一老一小's 完成 8人 / 迟到 all
    become 稍后): the desk left running kept yesterday's widths, cut each service's name to 4
    characters where a fresh start shows 6, and left panel 2's 进度 bars out for want of room."""
    after_midnight = "2026-11-29T00:31:00+08:00"
    async with dashboard(demo_store, WIDE) as (app, pilot):
        clock.freeze(after_midnight)
        app.reload()
        await until(pilot, lambda: app.data is not None and app.data.now.day == 29, "the next day's data")
        await settled(app, pilot)
        ran_over = screen_text(app).splitlines()
    async with dashboard(demo_store, WIDE) as (app, pilot):
        started = screen_text(app).splitlines()
    assert ran_over[:-2] == started[:-2]  # (the status line and Footer: their words at a start)


async def test_a_viewers_key_that_writes_is_refused_in_words_not_ignored(small_store: Store) -> None:
    """On a read-only desk a panel's write keys are not bound (and not in the Footer): 受理 on a case
    or 记录 on the duty log typed did nothing at all, as a keyboard that had stopped would. Typed, they
    are refused in words, as ``p`` is in a detail; a key that only looks (the sort) and the filter's
    letters are as they were, and nothing is written."""
    before = {p.name: p.read_bytes() for p in small_store.root.rglob("*.json")}
    async with dashboard(small_store, WIDE, read_only=True) as (app, pilot):
        status = app.query_one("#status", StatusLine)
        for panel, key in (("1", "a"), ("1", "n"), ("5", "l")):
            status.clear()  # what is said next is this key's
            await pilot.press(panel, key)
            await settled(app, pilot)
            assert not isinstance(app.screen, (ChoiceModal, FormScreen)), key
            assert status.message == "只读模式：不能更改，也不能显示个人信息", (panel, key)
        status.clear()
        await pilot.press("1", "o")  # the sort: a viewer keeps it, and it says nothing refused
        await settled(app, pilot)
        assert "只读" not in status.message
        await pilot.press("slash", "a")  # typed into the filter, not taken for 受理
        await settled(app, pilot)
        assert desk_panel(app, "petitions").query_one(Input).value == "a"
    assert {p.name: p.read_bytes() for p in small_store.root.rglob("*.json")} == before


async def test_a_viewers_remapped_key_that_writes_is_refused_in_words_as_the_default_is(small_store: Store) -> None:
    """A [keymap] moves 受理 to A, 登记 to F6 and 一老一小's 签到 to F7: on a read-only desk those keys,
    typed, were not refused (the panel looked the key up in its bindings as declared, not as moved), and
    the keys they left (a, n, i), which now do nothing, were refused all the same. The moved keys are
    refused in words, the keys left say nothing, and nothing is written."""
    before = {p.name: p.read_bytes() for p in small_store.root.rglob("*.json")}
    keymap = {"petition.accept": "A", "petition.new": "f6", "services.check_in": "f7"}
    async with dashboard(small_store, WIDE, read_only=True, keymap=keymap) as (app, pilot):
        status = app.query_one("#status", StatusLine)
        for panel, key, refused in (
            ("1", "A", True),
            ("1", "f6", True),
            ("3", "f7", True),
            ("3", "f6", True),
            ("1", "a", False),
            ("1", "n", False),
            ("3", "i", False),
        ):
            status.clear()  # what is said next is this key's
            await pilot.press(panel, key)
            await settled(app, pilot)
            assert not isinstance(app.screen, (ChoiceModal, FormScreen)), key
            assert (status.message == "只读模式：不能更改，也不能显示个人信息") is refused, (panel, key, status.message)
    assert {p.name: p.read_bytes() for p in small_store.root.rglob("*.json")} == before


@pytest.mark.parametrize(
    ("opening", "module", "reads"),
    [(("1", "l"), "petitions", "ended_petitions"), (("2", "r"), "visits", "list_content")],
)
async def test_a_list_whose_rows_cannot_be_read_says_why_and_stops_loading(
    small_store: Store, monkeypatch: pytest.MonkeyPatch, opening: tuple[str, ...], module: str, reads: str
) -> None:
    """A store fault while a list's rows are read (the lock held too long, a file damaged): its status
    line says why and the list stops saying 读取中. The ended cases' list said 读取中 for good, and the
    keys typed after it (Esc too) waited for rows that would never come."""
    import importlib

    def fault(*_: object, **__: object) -> None:
        raise storage.StoreBusyError(small_store.root, 15.0)

    monkeypatch.setattr(importlib.import_module(f"duty_room.panels.{module}"), reads, fault)
    async with dashboard(small_store, WIDE) as (app, pilot):
        await loaded(app, pilot)
        await pilot.press(*opening)
        await settled(app, pilot)
        screen = app.screen
        assert isinstance(screen, TableScreen) and screen.shown, module
        said = screen.query_one("#status", StatusLine).message
        assert said and "读取中" not in screen_text(app), said
        await pilot.press("escape")
        await settled(app, pilot)
        assert len(app.screen_stack) == 1


async def test_a_viewers_key_that_writes_on_a_list_is_refused_in_words_not_ignored(small_store: Store) -> None:
    """On a read-only desk a list's write keys (a grid's households v, the roster's a/e/x, the ended
    cases' o) did nothing at all, with nothing said, while on the panels they are refused in words.
    They say the same now, on the list, which stays open; they are still not offered in its border,
    and its keys that only look (f, Enter) are as they were. Nothing is written."""
    before = {p.name: p.read_bytes() for p in small_store.root.rglob("*.json")}
    async with dashboard(small_store, WIDE, read_only=True) as (app, pilot):
        await loaded(app, pilot)
        for opening, kind, keys in (
            (("2", "down", "down", "down", "enter"), "households:dc-M01", {"v": "visit", "m": "move_household"}),
            (("2", "r"), "roster:dongcheng", {"a": "add_worker", "e": "edit_worker", "x": "retire_worker"}),
            (("1", "l"), "ended:", {"o": "reopen"}),
        ):
            await pilot.press(*opening)
            await settled(app, pilot)
            screen = app.screen
            assert isinstance(screen, TableScreen) and screen.kind == kind
            status = screen.query_one("#status", StatusLine)
            for key, action in keys.items():
                status.clear()  # what is said next is this key's
                await pilot.press(key)
                await settled(app, pilot)
                assert app.screen is screen, (kind, key)
                assert status.message == "只读模式：不能更改，也不能显示个人信息", (kind, key)
                assert words.t(f"key.list.{action}") not in str(screen.query_one("#list-box").border_subtitle)
            if kind.startswith("households"):
                status.clear()
                await pilot.press("f")  # special households only: a viewer keeps it, and nothing is refused
                await settled(app, pilot)
                assert "只读" not in status.message
            await pilot.press("escape")
            await settled(app, pilot)
    assert {p.name: p.read_bytes() for p in small_store.root.rglob("*.json")} == before
