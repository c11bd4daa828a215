"""Pilot tests for the keys of panels 2-4 (grid visits, 一老一小, stalls), driven as a duty officer would."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from rich.cells import cell_len
from textual.widgets import Button, Input, Select, Static

from duty_room.app import DutyRoomApp
from duty_room.panels.stalls import rate_lines
from duty_room.presenters import Presenter
from store import clock
from store.duty_models import IncidentCategory
from store.dutylog import open_incident
from store.market import with_rate
from store.models import (
    AuditEntry,
    FeeReduction,
    Grid,
    Household,
    PermitStatus,
    Petition,
    ServiceSession,
    SessionState,
    Stall,
    StallPayment,
    StallPermit,
    StallRate,
    Visit,
    VisitPlan,
)
from store.storage import Store
from widgets.form import FormScreen
from widgets.status_line import StatusLine
from widgets.table_screen import TableScreen

from conftest import add_children_schedule, store_bytes
from pilot import NARROW, WIDE, dashboard, desk_panel, loaded, screen_text, settled, shows, until

TODAY = "2026-11-28"


def notes(app: DutyRoomApp) -> list[str]:
    return app.status.said


def cell(app: DutyRoomApp, panel: str, key: str, column: int) -> str:
    return desk_panel(app, panel).table.cell(key, column).plain


def form_error(form: FormScreen, field: str) -> str:
    return str(form.query_one(f"#error-{field}").render())


async def type_into(pilot, form: FormScreen, field: str, text: str) -> None:  # noqa: ANN001
    box = form.query_one(f"#field-{field}", Input)
    box.value = ""
    box.focus()
    await pilot.pause()
    await pilot.press(*text)


# -- panel 2: grid visits -----------------------------------------------------------------


async def open_micro_grid(app: DutyRoomApp, pilot) -> TableScreen:  # noqa: ANN001 - Pilot
    """Panel 2, down the tree (community, large, branch) to dc-M01, Enter: its household list."""
    await loaded(app, pilot)
    await pilot.press("2", "down", "down", "down", "enter")
    await settled(app, pilot)  # the list is read in a worker
    assert isinstance(app.screen, TableScreen) and app.screen.kind == "households:dc-M01"
    return app.screen


def add_second_micro_grid(store: Store) -> None:
    """A micro grid whose one planned household was visited: full progress, nothing special left."""
    with store.transaction() as tx:
        tx.put(Grid(id="dc-M02", community_id="dongcheng", level="micro", name="1号楼2单元", parent_id="dc-B01"))
        tx.put(Household(id="h9", grid_id="dc-M02", building="1", unit="2", room="101", head_name="钱学森"))
        tx.put(VisitPlan(id="vp9", day=date(2026, 11, 28), grid_id="dc-M02", household_id="h9", worker_id="w1"))
        tx.put(
            Visit(
                id="v9",
                day=date(2026, 11, 28),
                at=tx.now,
                grid_id="dc-M02",
                household_id="h9",
                worker_id="w1",
                note="身体好",
            )
        )


async def test_sort_by_least_progress_and_filter_special_unvisited(small_store: Store) -> None:
    add_second_micro_grid(small_store)
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("2")
        table = desk_panel(app, "visits").table
        assert table.keys == ["community:dongcheng", "dc-L1", "dc-B01", "dc-M01", "dc-M02"]  # the tree
        assert cell(app, "visits", "community:dongcheng", 2) == "2/6"  # rolled up to the community
        await pilot.press("o")
        assert table.keys == ["dc-M01", "dc-M02"]  # micro grids, furthest behind first
        assert "最慢" in str(desk_panel(app, "visits").detail.render())
        await pilot.press("o", "f")
        assert table.keys == ["community:dongcheng", "dc-L1", "dc-B01", "dc-M01"]  # dc-M02: no special left
        assert "重点户未访" in str(desk_panel(app, "visits").detail.render())
        await pilot.press("f")
        assert "dc-M02" in table.keys


async def test_names_are_cut_only_when_the_panel_has_no_room(small_store: Store) -> None:
    """Grid names and service titles were cut at a fixed 13-14 cells however wide the panel: at
    80 columns (or zoomed) the slowest-first list showed "东城花园·1号…" for both micro grids, with
    forty empty columns beside them. Now only a panel too narrow for them cuts them."""
    add_second_micro_grid(small_store)
    add_children_schedule(small_store)
    async with dashboard(small_store, NARROW) as (app, pilot):
        await pilot.press("2", "o")
        await settled(app, pilot)
        screen = screen_text(app)
        assert "东城花园·1号楼1单元" in screen and "东城花园·1号楼2单元" in screen
        await pilot.press("3")
        await settled(app, pilot)
        assert "小 社区科普馆开放日" in screen_text(app)


async def test_legend_and_who_is_out_on_the_panel(small_store: Store) -> None:
    async with dashboard(small_store) as (app, pilot):
        detail = str(desk_panel(app, "visits").detail.render())
        for word in ("独居", "残疾", "行动不便", "孤寡"):
            assert word in detail
        assert "出勤1/1人" in detail  # w1 has logged a visit today


async def test_grid_opens_on_households_and_a_visit_is_logged(small_store: Store) -> None:
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("2", "down", "down", "down")
        assert desk_panel(app, "visits").table.cursor_key == "dc-M01"
        await pilot.press("enter")
        await settled(app, pilot)
        screen = app.screen
        assert isinstance(screen, TableScreen)
        # Planned and not yet visited first, the special (独居) ones first among them; the visited one last.
        assert screen.table.keys == ["h1", "h3", "h2", "h4", "h0"]
        assert screen.table.cell("h1", 1).plain == "张**"  # masked
        assert screen.table.cell("h1", 4).plain == "待访"
        await pilot.press("v")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        await pilot.press("enter")  # no note: refused inline, nothing written
        await pilot.pause()
        assert "民情日志" in form_error(form, "note")
        assert small_store.all(Visit, TODAY) and len(small_store.all(Visit, TODAY)) == 1
        await type_into(pilot, form, "note", "老人身体好提醒冬季用电安全")
        await pilot.press("enter")
        await shows(app, pilot, lambda d: d.headline.visited == 2)
        await settled(app, pilot)  # and the list's own refill
        visit = next(v for v in small_store.all(Visit, TODAY) if v.household_id == "h1")
        assert (visit.worker_id, visit.note, visit.updated_by) == ("w1", "老人身体好提醒冬季用电安全", "duty-officer")
        assert app.screen is screen
        assert screen.table.cell("h1", 4).plain == "已访09:30"
        assert cell(app, "visits", "dc-M01", 2) == "2/5"
        await pilot.press("v")  # the same household again: refused at once
        await pilot.pause()
        assert app.screen is screen
        assert any("已走访" in n for n in notes(app))


async def test_a_list_is_read_in_a_worker_and_shows_a_loading_line_until_then(
    small_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A township's lists read tens of thousands of households: never on the event loop. While the
    read runs the list says it is loading and the event loop runs on; a key typed meanwhile waits
    for the rows, as it would typed slowly; then the rows come, and the key acts on them."""
    from duty_room.panels import visits

    release = threading.Event()
    real = visits.grid_households

    def slow(*args: object, **kwargs: object) -> object:
        assert threading.current_thread() is not threading.main_thread()
        release.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(visits, "grid_households", slow)
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("2", "down", "down", "down", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TableScreen) and screen.table.keys == []
        assert "正在读取" in screen.header_text.plain
        ran: list[int] = []
        app.call_later(lambda: ran.append(1))  # the event loop is free while the read waits
        await pilot.pause()
        assert ran
        await pilot.press("f")  # special households only: waits for the rows it would act on
        await pilot.pause()
        assert not desk_panel(app, "visits").special_only and not app.typeahead.settled
        release.set()
        await settled(app, pilot)
        assert desk_panel(app, "visits").special_only
        assert screen.table.keys == ["h1", "h3"]
        assert "正在读取" not in screen.header_text.plain


async def test_petition_raised_from_a_visit_is_prefilled(small_store: Store) -> None:
    async with dashboard(small_store) as (app, pilot):
        await open_micro_grid(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        assert form.query_one("#field-community_id", Select).value == "dongcheng"
        assert form.query_one("#field-channel", Select).value == "home_visit"
        assert form.query_one("#field-building", Input).value == "1"
        assert "1号楼1单元" in form.query_one("#field-grid_id", Input).value
        await type_into(pilot, form, "title", "楼道灯不亮")
        form.query_one("#field-category", Select).value = "infrastructure"
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        created = next(p for p in small_store.all(Petition) if p.title == "楼道灯不亮")
        assert (created.household_id, created.grid_id, created.channel.value) == ("h1", "dc-M01", "home_visit")
        content = desk_panel(app, "petitions").detail_content(created.id, reveal=False)
        shown = [(k, v.plain) for k, v in content.fields]
        assert [("楼栋", "1"), ("单元", "1"), ("住户（走访中登记）", "1-1-101 张**")] == shown[8:11]  # after 社区


async def test_revealing_a_grid_list_is_refused_without_permission_and_logged(small_store: Store) -> None:
    async with dashboard(small_store) as (app, pilot):
        await open_micro_grid(app, pilot)
        await pilot.press("p")
        await settled(app, pilot)
        assert app.screen.table.cell("h1", 1).plain == "张**"
        assert any("无权" in n for n in notes(app))
        assert "无权" in str(app.screen.query_one("#status").render())  # on the list, which covers the dashboard
    [entry] = small_store.all(AuditEntry, "2026-11")
    assert (entry.subject, entry.allowed) == ("grids:dc-M01", False)


async def test_enter_on_a_grid_of_the_roster_opens_its_households(small_store: Store) -> None:
    """The Footer offered ⏎ on every roster row; on a grid's row it did nothing."""
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("2", "r")
        await settled(app, pilot)
        roster = app.screen
        assert isinstance(roster, TableScreen) and roster.cursor_key == "dc-L1"
        await pilot.press("down", "down", "enter")  # dc-M01
        await settled(app, pilot)
        assert isinstance(app.screen, TableScreen) and app.screen.kind == "households:dc-M01"
        assert app.screen.table.keys and set(app.screen.table.keys) <= {f"h{i}" for i in range(5)}
        await pilot.press("escape")
        await settled(app, pilot)
        assert app.screen is roster


async def test_roster_reveal_by_a_permitted_user_unmasks_and_logs(small_store: Store) -> None:
    async with dashboard(small_store, reveal_users=["duty-officer"]) as (app, pilot):
        await pilot.press("2", "r")
        await settled(app, pilot)
        screen = app.screen
        assert isinstance(screen, TableScreen)
        assert screen.table.keys == ["dc-L1", "dc-B01", "dc-M01", "w1"]  # the tree, each grid then its people
        assert screen.table.cell("w1", 3).plain == "139****5678"
        assert screen.table.cell("dc-L1", 4).plain == "5"  # households rolled up
        await pilot.press("p")
        await settled(app, pilot)
        assert screen.table.cell("w1", 3).plain == "13912345678"
    [entry] = small_store.all(AuditEntry, "2026-11")
    assert (entry.subject, entry.allowed, entry.actor) == ("communities:dongcheng", True, "duty-officer")
    assert entry.fields == ["name", "phone"]  # its workers; its households only counted


def test_a_reveal_is_logged_with_what_it_unmasks() -> None:
    """The audit said name and phone for every reveal (PIPL art. 28): a household's shows its
    disability or limited mobility, a stall's why its fee is reduced, and the log must say so."""
    from store.masking import revealed_fields

    assert revealed_fields("visits:household:h1") == ["name", "phone", "health"]
    assert revealed_fields("grids:dc-M01") == ["name", "phone", "health"]  # a grid's households
    assert revealed_fields("stalls:yl-01") == ["name", "phone", "reduction"]
    assert revealed_fields("visits:worker:w1") == ["name", "phone"]
    assert revealed_fields("services:sv0") == ["name"]  # the households served, by their head's name
    assert revealed_fields("petitions:MK261127-001") == ["name", "phone"]


async def test_who_is_out_lists_workers_with_their_visits(small_store: Store) -> None:
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("2", "w")
        await settled(app, pilot)
        screen = app.screen
        assert isinstance(screen, TableScreen)
        assert screen.table.keys == ["w1"]
        assert screen.table.cell("w1", 3).plain == "1/5"
        assert screen.table.cell("w1", 4).plain == "09:25"


async def test_read_only_viewer_cannot_log_a_visit(small_store: Store) -> None:
    async with dashboard(small_store, read_only=True) as (app, pilot):
        await open_micro_grid(app, pilot)
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, TableScreen)
    assert len(small_store.all(Visit, TODAY)) == 1


# -- panel 3: 一老一小 --------------------------------------------------------------------


async def test_check_in_complete_with_count_and_refusals(small_store: Store) -> None:
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("3")
        assert desk_panel(app, "services").table.cursor_key == "sv0"
        assert cell(app, "services", "sv0", 1) == "迟到"  # 09:00 class, nobody checked in by 09:30
        await pilot.press("i")
        await shows(app, pilot, lambda d: d.sessions[0].session.state is SessionState.CHECKED_IN)
        assert cell(app, "services", "sv0", 1) == "进行"
        assert small_store.get(ServiceSession, "sv0", TODAY).checked_in_at is not None
        await pilot.press("i")  # twice: refused, nothing changes
        await pilot.pause()
        assert any("不能再签到" in n for n in notes(app))
        await pilot.press("d")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        await type_into(pilot, form, "served", "18")
        await pilot.press("enter")
        await shows(app, pilot, lambda d: d.sessions[0].session.state is SessionState.DONE)
        assert cell(app, "services", "sv0", 1) == "完成 18人"
        saved = small_store.get(ServiceSession, "sv0", TODAY)
        assert (saved.served, saved.updated_by) == (18, "duty-officer")


@pytest.mark.parametrize(("lang", "early", "going"), [("zh", "已签到", "进行"), ("en", "ready", "now")])
async def test_a_session_checked_in_early_is_checked_in_until_its_start(
    small_store: Store, lang: str, early: str, going: str
) -> None:
    """签到 opens an hour before the start: checked in at 08:40, the 09:00 class showed 进行 (going on)
    twenty minutes before it began, and counted as going on, though it cannot be completed until
    09:00. It shows 已签到 until its start, then 进行."""
    from datetime import datetime

    clock.freeze(datetime.fromisoformat("2026-11-28T08:40:00+08:00"))
    async with dashboard(small_store, lang=lang) as (app, pilot):
        await pilot.press("3")
        await settled(app, pilot)
        assert desk_panel(app, "services").table.cursor_key == "sv0"  # the 09:00 class
        await pilot.press("i")
        await shows(app, pilot, lambda d: d.sessions[0].session.state is SessionState.CHECKED_IN)
        assert cell(app, "services", "sv0", 1) == early
        assert str(desk_panel(app, "services").summary.render()).startswith(
            "3 一老一小 进行0" if lang == "zh" else "3 Services 0 now"
        )
        clock.freeze(datetime.fromisoformat("2026-11-28T09:00:00+08:00"))
        app.poll()  # the minute turned
        await settled(app, pilot)
        assert cell(app, "services", "sv0", 1) == going


async def test_a_count_typed_with_a_decimal_point_is_refused_not_read_as_ten_times_more(small_store: Store) -> None:
    """The served count kept only the digits of "4.5" (an integer-only box dropped the point) and
    saved 45 people; now the box keeps what was typed and the form refuses it with the reason."""
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("3", "i")
        await shows(app, pilot, lambda d: d.sessions[0].session.state is SessionState.CHECKED_IN)
        await pilot.press("d")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        await type_into(pilot, form, "served", "4.5")
        assert form.query_one("#field-served", Input).value == "4.5"
        await pilot.press("enter")
        await settled(app, pilot)
        assert "整数" in form_error(form, "served")
        assert small_store.get(ServiceSession, "sv0", TODAY).state is SessionState.CHECKED_IN


async def test_cancel_needs_a_reason(small_store: Store) -> None:
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("3", "down", "x")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert "原因" in form_error(form, "reason")
        assert small_store.get(ServiceSession, "sv1", TODAY).state is SessionState.SCHEDULED
        await pilot.press(*"送餐车故障改为下午送达", "enter")
        await shows(app, pilot, lambda d: any(s.session.state is SessionState.CANCELLED for s in d.sessions))
        saved = small_store.get(ServiceSession, "sv1", TODAY)
        assert (saved.state, saved.cancel_reason) == (SessionState.CANCELLED, "送餐车故障改为下午送达")
        assert cell(app, "services", "sv1", 1) == "取消"


@pytest.mark.parametrize(
    ("lang", "title", "confirm", "close", "escape"),
    [
        ("zh", "取消本场服务 · 11:00 ", "确认取消本场", "返回", "esc 返回"),
        ("en", "Cancel this session · 11:00 ", "Cancel the session", "Back", "esc Back"),
    ],
)
async def test_the_cancel_form_says_it_cancels_the_session_and_closes_with_back(
    small_store: Store, lang: str, title: str, confirm: str, close: str, escape: str
) -> None:
    """The form was titled 取消 with a 取消 button and `esc 取消` that only closed it: an officer could
    read either as cancelling the session. Its title and confirm say so; closing it says 返回."""
    async with dashboard(small_store, NARROW, lang=lang) as (app, pilot):
        await pilot.press("3", "down", "x")
        await settled(app, pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        assert str(form.query_one("#form-title").render()).startswith(title)
        assert (
            str(form.query_one("#form-confirm", Button).label),
            str(form.query_one("#form-cancel", Button).label),
        ) == (
            confirm,
            close,
        )
        footer = screen_text(app).splitlines()[-1]
        assert footer.startswith(escape) and "取消" not in footer
        assert form.active_bindings["escape"].binding.description == close  # what `?` (F1) lists
        await pilot.press("escape")  # closes it, the session as it was
        await settled(app, pilot)
        assert len(app.screen_stack) == 1
        assert small_store.get(ServiceSession, "sv1", TODAY).state is SessionState.SCHEDULED
        # Another form keeps its usual words: the class's keys were not changed.
        await pilot.press("n")
        await settled(app, pilot)
        assert screen_text(app).splitlines()[-1].startswith("esc 取消" if lang == "zh" else "esc Cancel")


async def test_a_late_session_cancelled_stays_late_today(small_store: Store) -> None:
    """迟到记录保留 for a cancellation too: the 09:00 class nobody checked in by 09:30, cancelled
    then, left panel 3's 今日迟到, summary and the hand-over (a cancellation recorded no time), so
    cancelling a missed session wiped its lateness. Cancelled ahead of time, a session is not late."""
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("3")
        assert desk_panel(app, "services").table.cursor_key == "sv0"
        assert cell(app, "services", "sv0", 1) == "迟到"
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        await pilot.press(*"老师临时生病", "enter")
        await shows(app, pilot, lambda d: d.sessions[0].session.state is SessionState.CANCELLED)
        assert cell(app, "services", "sv0", 1) == "取消"
        [late] = [v for v in app.data.sessions if v.session.id == "sv0"]  # type: ignore[union-attr]
        assert late.late_by == timedelta(minutes=30) and late.was_late
        assert "今日迟到1" in str(desk_panel(app, "services").summary.render())
        assert app.data.headline.late_sessions == 0  # type: ignore[union-attr]  # late now: nobody to chase
        await pilot.press("down", "x")  # 11:00, cancelled at 09:30: ahead of time, not late
        await pilot.pause()
        await pilot.press(*"送餐车故障", "enter")
        await shows(app, pilot, lambda d: d.sessions[1].session.state is SessionState.CANCELLED)
        [ahead] = [v for v in app.data.sessions if v.session.id == "sv1"]  # type: ignore[union-attr]
        assert ahead.late_by is None
        detail = desk_panel(app, "services").detail_content("sv0", reveal=False)
        assert detail is not None and ("取消于", "09:30") in [(k, v.plain) for k, v in detail.fields]
    saved = small_store.get(ServiceSession, "sv0", TODAY)
    assert saved.cancelled_at is not None and f"{saved.cancelled_at:%H:%M}" == "09:30"


async def test_completing_a_session_not_begun_is_refused_before_the_form_opens(small_store: Store) -> None:
    """d on a session that starts later opened the served form and refused only on submit, after
    the count was typed; now it is refused at once, in one line, like s on a permit under review
    (a recorded session, and one only planned by its schedule)."""
    add_children_schedule(small_store)
    before = store_bytes(small_store.root)
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("3", "down")  # 11:00 入户送餐, at 09:30
        assert desk_panel(app, "services").table.cursor_key == "sv1"
        await pilot.press("d")
        await settled(app, pilot)
        assert not isinstance(app.screen, FormScreen)
        assert notes(app)[-1] == "11:00 入户送餐 未更改：11:00 才开始，还不能登记完成"
        await pilot.press("down", "d")  # 14:00 科普馆, from the weekend schedule
        await settled(app, pilot)
        assert not isinstance(app.screen, FormScreen)
        assert notes(app)[-1] == "14:00 社区科普馆开放日 未更改：14:00 才开始，还不能登记完成"
        await pilot.press("x")  # cancelling one in advance is allowed: its form opens
        await settled(app, pilot)
        assert isinstance(app.screen, FormScreen)
    assert store_bytes(small_store.root) == before


async def test_scheduled_session_shows_and_early_check_in_is_refused(small_store: Store) -> None:
    add_children_schedule(small_store)
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("3")
        table = desk_panel(app, "services").table
        assert table.keys == ["sv0", "sv1", "sc-sci.20261128"]  # from the weekend schedule
        detail = desk_panel(app, "services").detail_content("sc-sci.20261128", reveal=False)
        assert ("重复", "周末节假日") in [(k, v.plain) for k, v in detail.fields]
        await pilot.press("f")  # elderly only
        assert table.keys == ["sv0", "sv1"]
        await pilot.press("f")  # children only
        assert table.keys == ["sc-sci.20261128"]
        assert "一小" in str(desk_panel(app, "services").detail.render())
        await pilot.press("i")  # 14:00 session at 09:30: too early
        await pilot.pause()
        assert any("开始前一小时" in n for n in notes(app))
        await pilot.press("f")
        assert len(table.keys) == 3
    assert small_store.all(ServiceSession, TODAY) and len(small_store.all(ServiceSession, TODAY)) == 2


# -- panel 4: stalls ----------------------------------------------------------------------


def add_vacant_stall(store: Store) -> None:
    with store.transaction() as tx:
        tx.put(Stall(id="yl-02", market="玉兰商业街", community_id="yulan", number=2, monthly_fee_fen=10000))


def change_rate(store: Store, stall_id: str, fee_fen: int, reduction: FeeReduction, month: str) -> None:
    """The fee or reduction changed from ``month``, as an import or an application changes it."""
    with store.transaction() as tx:
        before = tx.get(Stall, stall_id)
        after = before.model_copy(update={"monthly_fee_fen": fee_fen, "reduction": reduction})
        tx.put(with_rate(before, after, month))


@pytest.mark.parametrize(
    ("lang", "lines"),
    [
        (
            "zh",
            [
                "2026-09起   ¥300.00 → ¥150.00  减免 **",
                "2026-10起  ¥1200.00 → ¥600.00  减免 **",
                "2026-11起   ¥360.00 → ¥360.00",
            ],
        ),
        (
            "en",
            [
                "from 2026-09   ¥300.00 → ¥150.00  reduced, **",
                "from 2026-10  ¥1200.00 → ¥600.00  reduced, **",
                "from 2026-11   ¥360.00 → ¥360.00",
            ],
        ),
    ],
)
async def test_a_stalls_detail_shows_its_rate_history_lined_up(small_store: Store, lang: str, lines: list[str]) -> None:
    """Raised to ¥1,200 in October, down to ¥360 without the reduction in November: the detail shows
    each rate from its month (fee, what is owed, the reduction masked as in the fee's field), the
    amounts in columns whatever the words' widths; a stall with one rate shows no history."""
    change_rate(small_store, "yl-01", 120000, FeeReduction.DISABLED, "2026-10")
    change_rate(small_store, "yl-01", 36000, FeeReduction.NONE, "2026-11")
    async with dashboard(small_store, NARROW, lang=lang) as (app, pilot):
        await pilot.press("4", "enter")
        await settled(app, pilot)
        shown = [line.strip(" █") for line in screen_text(app).splitlines()]
        heading = {"zh": "收费标准变更", "en": "Rate history"}[lang]
        at = next((i for i, line in enumerate(shown) if line.startswith(heading)), None)
        assert at is not None, "\n".join(shown)
        history = [line.strip() for line in shown[at + 1 : at + 4]]
        assert history == lines
        # The fees end, the arrows stand and the dues end in the same terminal cell on every line.
        arrows = {cell_len(line[: line.index("→")]) for line in history}
        dues = {cell_len(line[: line.index(".", line.index("→")) + 3]) for line in history}
        assert len(arrows) == 1 and len(dues) == 1, history
    assert [(r.from_month, r.monthly_fee_fen) for r in small_store.get(Stall, "yl-01").rates] == [
        ("2026-09", 30000),
        ("2026-10", 120000),
        ("2026-11", 36000),
    ]


async def test_a_spot_taken_over_shows_neither_a_rate_that_changes_nothing_nor_the_last_holders_payments(
    small_store: Store,
) -> None:
    """赵六 gives up 玉兰商业街 1 (退摊: the reduction ends) and 李四 takes it the same month with the same
    reduction: its history showed a second rate the same as the first, and its detail listed 赵六's
    payments under 李四, who has paid nothing."""
    from store.market import apply_for_stall, record_payment, release_stall

    with small_store.transaction() as tx:
        tx.put(tx.get(Stall, "yl-01").model_copy(update={"held_since": date(2026, 8, 1)}))
    for month in ("2026-09", "2026-10"):
        record_payment(small_store, "yl-01", month, 15000, "王会计")
    release_stall(small_store, "yl-01", "回老家")
    apply_for_stall(
        small_store, "yl-01", holder_name="李四", holder_phone=None, goods="水果", reduction=FeeReduction.DISABLED
    )
    rates = [(r.monthly_fee_fen, r.reduction, r.due_fen) for r in small_store.get(Stall, "yl-01").rates]
    assert all(a != b for a, b in zip(rates, rates[1:], strict=False)), rates  # each entry a change
    async with dashboard(small_store, NARROW) as (app, pilot):
        await pilot.press("4", "enter")
        await settled(app, pilot)
        shown = screen_text(app)
        assert "李*" in shown and "收费标准变更" not in shown
        assert "缴费记录" not in shown and "王会计" not in shown, shown


def test_a_stored_rate_that_changes_nothing_is_not_shown_as_a_change(small_store: Store) -> None:
    """A history stored before such entries were left out: the detail shows no change that is none."""
    from duty_room.panels.stalls import stall_detail
    from store.market import StallView

    same = [
        StallRate(from_month=month, monthly_fee_fen=30000, reduction=FeeReduction.DISABLED, due_fen=15000)
        for month in ("2026-08", "2026-11")
    ]
    stall = small_store.get(Stall, "yl-01").model_copy(update={"rates": same})
    detail = stall_detail(Presenter("zh"), StallView(stall, None, None, 15000, 0, (), occupied=False), [], reveal=False)
    assert [heading for heading, _ in detail.sections if heading == "收费标准变更"] == []


def test_a_rate_history_names_the_reduction_when_revealed() -> None:
    rates = [
        StallRate(from_month="2026-09", monthly_fee_fen=30000, reduction=FeeReduction.VETERAN, due_fen=21000),
        StallRate(from_month="2026-11", monthly_fee_fen=36000, reduction=FeeReduction.DISABLED, due_fen=18000),
    ]
    zh = [line.plain for line in rate_lines(Presenter("zh"), rates, reveal=True)]
    assert zh == ["2026-09起  ¥300.00 → ¥210.00  退役军人减免", "2026-11起  ¥360.00 → ¥180.00  残疾人减免"]
    en = [line.plain for line in rate_lines(Presenter("en"), rates, reveal=False)]
    assert en == ["from 2026-09  ¥300.00 → ¥210.00  reduced, **", "from 2026-11  ¥360.00 → ¥180.00  reduced, **"]


async def test_a_stall_with_one_rate_shows_no_rate_history(small_store: Store) -> None:
    async with dashboard(small_store, NARROW) as (app, pilot):
        await pilot.press("4", "enter")
        await settled(app, pilot)
        assert "¥300.00 → ¥150.00" in screen_text(app) and "收费标准变更" not in screen_text(app)


@pytest.mark.parametrize(("lang", "said"), [("zh", "月费 ¥150.00（减免后）· 不欠费"), ("en", "nothing owed")])
async def test_the_payment_form_of_a_spot_paid_up_says_nothing_is_owed(
    small_store: Store, lang: str, said: str
) -> None:
    """收摊位费 on a spot paid up said 欠费 ¥0.00：无 (owes ¥0.00: none)."""
    from store.market import record_payment

    for month in ("2026-09", "2026-10"):
        record_payment(small_store, "yl-01", month, 15000, "王会计")
    async with dashboard(small_store, NARROW, lang=lang) as (app, pilot):
        await pilot.press("4", "y")
        await settled(app, pilot)
        form = app.screen
        assert isinstance(form, FormScreen) and form.texts.subtitle.endswith(said), form.texts.subtitle


async def test_record_payment_with_reduced_fee_and_bad_amount(small_store: Store) -> None:
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("4")
        assert cell(app, "stalls", "yl-01", 2) == "¥300"  # Sep and Oct at 50% (disabled holder) of ¥300
        assert (
            cell(app, "stalls", "yl-01", 5) == "150减"
        )  # the reason is the holder's own (a disability): in the detail, revealed
        await pilot.press("y")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        assert form.query_one("#field-period", Input).value == "2026-09"  # the oldest unpaid month
        assert form.query_one("#field-amount", Input).value == "150"
        await type_into(pilot, form, "amount", "15o")
        await pilot.press("enter")
        await pilot.pause()
        assert "看不懂" in form_error(form, "amount")
        await type_into(pilot, form, "amount", "200")
        await pilot.press("enter")
        await pilot.pause()
        assert "金额超出" in form_error(form, "amount")
        assert len(small_store.all(StallPayment, "2026")) == 1
        await type_into(pilot, form, "amount", "150")
        await pilot.press("enter")
        await shows(app, pilot, lambda d: d.stalls[0].arrears_fen == 15000)
        assert cell(app, "stalls", "yl-01", 2) == "¥150"
        payment = next(p for p in small_store.all(StallPayment, "2026") if p.period == "2026-09")
        assert (payment.amount_fen, payment.collector) == (15000, "duty-officer")


async def test_the_payment_form_marks_a_bad_month_and_a_bad_amount_together(small_store: Store) -> None:
    """收费 (4, y) with 2026-13 as the month and 1e3 as the amount said only the amount was wrong; put
    right, the next save said the month was (the store's). Both are marked at once, nothing written."""
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("4", "y")
        await settled(app, pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        before = store_bytes(small_store.root)
        await type_into(pilot, form, "period", "2026-13")
        await type_into(pilot, form, "amount", "1e3")
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        assert app.screen is form
        assert "2026-13" in form_error(form, "period") and "1e3" in form_error(form, "amount")
        assert store_bytes(small_store.root) == before


async def test_the_payment_form_says_after_reduction_only_where_one_is(small_store: Store) -> None:
    """收费's line said 月费 ¥150.00（减免后） of every spot, one with no fee reduction too."""
    with small_store.transaction() as tx:
        tx.put(
            Stall(
                id="yl-02",
                market="玉兰商业街",
                community_id="yulan",
                number=2,
                holder_name="钱七",
                holder_phone="13700002222",
                monthly_fee_fen=10000,
                held_since=date(2026, 11, 1),
            )
        )
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("4")
        table = desk_panel(app, "stalls").table
        for key, said in (("yl-01", "月费 ¥150.00（减免后）"), ("yl-02", "月费 ¥100.00 · ")):
            table.move_cursor(row=table.keys.index(key))
            await pilot.press("y")
            await settled(app, pilot)
            form = app.screen
            assert isinstance(form, FormScreen), key
            assert str(form.query_one("#form-subtitle", Static).content).startswith(said), key
            await pilot.press("escape")
            await settled(app, pilot)


async def test_suspend_then_occupancy_refused_then_reinstate(small_store: Store) -> None:
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("4", "s")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert "原因" in form_error(form, "note")
        await pilot.press(*"占道超线", "enter")
        await shows(app, pilot, lambda d: d.stalls[0].permit_status is PermitStatus.SUSPENDED)
        assert cell(app, "stalls", "yl-01", 1) == "暂停"
        assert cell(app, "stalls", "yl-01", 3) == "出摊"
        await pilot.press("m")  # occupied -> vacant is always allowed
        await shows(app, pilot, lambda d: not d.stalls[0].occupied)
        await pilot.press("m")  # vacant -> occupied needs a valid permit
        await pilot.pause()
        assert any("不能出摊" in n for n in notes(app))
        assert small_store.get(Stall, "yl-01").occupied_on is None
        await pilot.press("a")  # the step forward from 暂停 is 恢复
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        await pilot.press("enter")
        await shows(app, pilot, lambda d: d.stalls[0].permit_status is PermitStatus.VALID)
        await pilot.press("m")
        await shows(app, pilot, lambda d: d.stalls[0].occupied)
    permit = small_store.get(StallPermit, "pm-1")
    assert [e.action for e in permit.history] == ["suspend", "reinstate"]
    assert permit.history[0].note == "占道超线"


async def test_stall_without_holder_refuses_payment_and_occupancy(small_store: Store) -> None:
    add_vacant_stall(small_store)
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("4", "down")
        assert desk_panel(app, "stalls").table.cursor_key == "yl-02"
        await pilot.press("y")
        await pilot.pause()
        assert not isinstance(app.screen, FormScreen)
        await pilot.press("m")
        await pilot.pause()
        messages = notes(app)
        assert any("没有摊主，不能收费" in n for n in messages)
        assert any("没有摊主，不能标记出摊" in n for n in messages)
    assert small_store.get(Stall, "yl-02").occupied_on is None


async def test_approve_an_application_with_its_expiry(small_store: Store) -> None:
    add_applied_stall(small_store)
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("4", "down", "a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        assert form.query_one("#field-expires", Input).value == "2026-12-31"
        await type_into(pilot, form, "expires", "2026-02-30")
        await pilot.press("enter")
        await pilot.pause()
        # Written as asked: told the format it already followed, the officer could not see what was
        # wrong. The calendar has no such day, said as such; a day written otherwise gets the format.
        assert form_error(form, "expires") == "日历上没有 2026-02-30 这一天"
        await type_into(pilot, form, "expires", "2026年12月31日")
        await pilot.press("enter")
        await pilot.pause()
        assert "2026-12-31" in form_error(form, "expires")  # the format it wants
        await type_into(pilot, form, "expires", "9999-12-31")  # a slip, accepted as a permit till then
        await pilot.press("enter")
        await settled(app, pilot)
        assert app.screen is form and form_error(form, "expires") == "有效期最长到申请日后 5 年，请核对年份"
        assert small_store.get(StallPermit, "pm-3").expires_on is None
        await type_into(pilot, form, "expires", "2027-06-30")
        await pilot.press("enter")
        await shows(app, pilot, lambda d: d.stalls[1].permit_status is PermitStatus.APPROVED)
        assert cell(app, "stalls", "yl-03", 1) == "已批准"
    permit = small_store.get(StallPermit, "pm-3")
    assert (permit.expires_on, permit.reviewed_by) == (date(2027, 6, 30), "duty-officer")


def add_applied_stall(store: Store) -> None:
    """玉03: 孙七's application, still 申请中."""
    with store.transaction() as tx:
        tx.put(
            Stall(
                id="yl-03",
                market="玉兰商业街",
                community_id="yulan",
                number=3,
                holder_name="孙七",
                monthly_fee_fen=12000,
            )
        )
        tx.put(
            StallPermit(
                id="pm-3", stall_id="yl-03", holder_name="孙七", status="applied", applied_on=date(2026, 11, 25)
            )
        )


async def test_suspending_a_permit_under_review_is_refused_before_the_reason_is_asked(small_store: Store) -> None:
    """s on a stall whose permit is 申请中 opened the reason form and refused only after the reason
    was typed; now it is refused at once, like every other move the permit's state does not allow."""
    add_applied_stall(small_store)
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("4", "down")
        assert desk_panel(app, "stalls").table.cursor_key == "yl-03"
        await pilot.press("s")
        await settled(app, pilot)
        assert not isinstance(app.screen, FormScreen)
        assert any("「申请中」时不能「暂停」" in n for n in notes(app))
    assert [e.action for e in small_store.get(StallPermit, "pm-3").history] == []


async def test_panel_keys_do_not_leak_between_panels(small_store: Store) -> None:
    """`s` suspends a permit on panel 4 and `i` checks in on panel 3; neither fires on the other panel
    (`a` has a meaning on both: approve a permit, add a schedule)."""
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("3", "s", "y", "m")  # stall keys on the 一老一小 panel: nothing
        await pilot.pause()
        assert not isinstance(app.screen, FormScreen)
        assert notes(app) == []
        await pilot.press("4", "i")  # check-in on the stalls panel: nothing
        await pilot.pause()
        assert small_store.all(ServiceSession, TODAY) and len(small_store.all(ServiceSession, TODAY)) == 2
        assert all(s.state is SessionState.SCHEDULED for s in small_store.all(ServiceSession, TODAY))


async def test_palette_offers_the_active_panels_keys_for_the_selection(small_store: Store) -> None:
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("4")
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "收费 · 玉兰商业街 1" in titles and "审批 · 玉兰商业街 1" in titles
        assert not any(t.startswith("签到") for t in titles)  # panel 3's keys are not offered here
        pay = next(c for c in app.get_system_commands(app.screen) if c.title.startswith("收费"))
        pay.callback()
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)


async def test_palette_names_the_selected_row_only_for_keys_about_it(small_store: Store) -> None:
    """Every key was named for the row under the cursor: 排班 · 车库燃气泄漏 (a shift for an incident?),
    新增 · 09:00 反诈课堂 (a new schedule, not this class), 老/小 · …, 出勤 · 东城花园社区"""
    open_incident(small_store, title="车库燃气泄漏", category=IncidentCategory.ACCIDENT)
    async with dashboard(small_store) as (app, pilot):

        def titles() -> set[str]:
            return {c.title for c in app.get_system_commands(app.screen)}

        await pilot.press("5")
        await settled(app, pilot)
        assert {"报送 · 车库燃气泄漏", "记录", "突发事件", "交接班", "排班"} <= titles(), titles()
        await pilot.press("3")
        await settled(app, pilot)
        assert {"签到 · 09:00 反诈课堂", "新增", "老/小"} <= titles(), titles()
        await pilot.press("2", "down")  # a grid (a community's row names none)
        await settled(app, pilot)
        shown = titles()
        assert any(t.startswith(("一表全清 · ", "排明日走访 · ")) for t in shown) and not any(
            t.startswith(("出勤 ·", "最慢优先 ·", "重点未访 ·")) for t in shown
        ), shown


async def test_palette_of_a_viewer_offers_no_writing_keys(small_store: Store) -> None:
    async with dashboard(small_store, read_only=True) as (app, pilot):
        await pilot.press("3")
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert any(t.startswith("老/小") for t in titles)  # the filter writes nothing
        assert not any(t.startswith(("签到", "完成", "取消 ·")) for t in titles)


async def test_palette_of_a_viewer_offers_the_ended_cases(small_store: Store) -> None:
    """`l` works for a viewer (it writes nothing) but the palette left it out with the writing keys."""
    from duty_room import words

    async with dashboard(small_store, read_only=True) as (app, pilot):
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert words.t("ended.title") in titles
        assert words.t("cmd.change_status") not in titles


async def test_an_open_household_list_follows_another_desks_visit(small_store: Store) -> None:
    """Another process logs a visit; the open list and panel 2 show it without a key press."""
    import subprocess
    import sys

    async with dashboard(small_store, refresh_seconds=0.2) as (app, pilot):
        await open_micro_grid(app, pilot)
        screen = app.screen
        assert isinstance(screen, TableScreen) and screen.table.cell("h3", 4).plain == "待访"
        code = (
            "import sys; from store import clock; from store.storage import Store; "
            "from store.visiting import record_visit; clock.freeze('2026-11-28T09:31:00+08:00'); "
            "record_visit(Store(sys.argv[1], actor='desk-2'), 'h3', 'w1', '老人住院，家属在家')"
        )
        subprocess.run([sys.executable, "-c", code, str(small_store.root)], check=True, timeout=60)
        await until(pilot, lambda: screen.table.cell("h3", 4).plain.startswith("已访"), "the other desk's visit")
        assert screen.table.cell("h3", 4).plain == "已访09:31"
        assert screen.table.cell("h3", 5).plain == "老人住院，家属在家"
        assert cell(app, "visits", "dc-M01", 2) == "2/5"


async def test_enter_on_a_community_opens_its_roster(small_store: Store) -> None:
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("2")
        assert desk_panel(app, "visits").table.cursor_key == "community:dongcheng"
        assert cell(app, "visits", "community:dongcheng", 0) == "东城花园社区"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TableScreen) and app.screen.kind == "roster:dongcheng"


async def test_list_keys_are_remappable_and_the_border_shows_the_new_key(small_store: Store) -> None:
    async with dashboard(small_store, keymap={"list.visit": "f5"}) as (app, pilot):
        await open_micro_grid(app, pilot)
        screen = app.screen
        assert isinstance(screen, TableScreen)
        hints = str(screen.query_one("#list-box").border_subtitle)
        assert "f5 走访登记" in hints and "v 走访登记" not in hints
        await pilot.press("v")
        await pilot.pause()
        assert app.screen is screen  # v no longer logs a visit
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)


async def test_a_lists_close_and_reveal_hints_name_the_keys_a_keymap_bound(small_store: Store) -> None:
    """With list.close and list.reveal remapped, the border still said "Esc 返回" and the header
    "按 p 显示", keys that did nothing there any more."""
    async with dashboard(
        small_store, keymap={"list.close": "backspace", "list.reveal": "f9"}, reveal_users=["duty-officer"]
    ) as (app, pilot):
        screen = await open_micro_grid(app, pilot)
        border = str(screen.query_one("#list-box").border_subtitle)
        assert border.endswith("⌫ 返回") and "Esc" not in border
        assert "按 f9 显示" in screen.header_text.plain
        await pilot.press("escape")
        await settled(app, pilot)
        assert app.screen is screen
        await pilot.press("backspace")
        await settled(app, pilot)
        assert app.screen is app.screen_stack[0]


async def test_new_petition_key_works_on_every_panel_but_shows_in_the_footer_only_on_panel_1(
    small_store: Store,
) -> None:
    async with dashboard(small_store, size=(80, 24)) as (app, pilot):
        assert app.screen.active_bindings["n"].binding.show
        await pilot.press("3")
        assert not app.screen.active_bindings["n"].binding.show  # room for 签到 完成 取消 老/小
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)


async def test_a_vacant_spot_takes_an_application_then_review(small_store: Store) -> None:
    add_vacant_stall(small_store)
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("4", "down", "a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        await type_into(pilot, form, "holder_name", "钱七")
        await type_into(pilot, form, "holder_phone", "12345")
        form.query_one("#field-reduction", Select).value = "disabled"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "手机号" in form_error(form, "holder_phone") or "电话" in form_error(form, "holder_phone")
        assert small_store.get(Stall, "yl-02").holder_name == ""
        await type_into(pilot, form, "holder_phone", "13912345678")
        await pilot.press("ctrl+s")
        await shows(app, pilot, lambda d: d.stalls[1].permit_status is PermitStatus.APPLIED)
        assert cell(app, "stalls", "yl-02", 1) == "申请中"
        assert cell(app, "stalls", "yl-02", 4) == "钱*"
        assert (
            cell(app, "stalls", "yl-02", 5) == "50减"
        )  # ¥100 a month, half off for a disabled holder (said in the detail, revealed)
        await pilot.press("a")  # the next step is the review
        await pilot.pause()
        assert isinstance(app.screen, FormScreen) and app.screen.query("#field-expires")


async def test_release_is_refused_while_fees_are_owed_then_frees_the_spot(small_store: Store) -> None:
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("4", "x")
        await pilot.pause()
        assert not isinstance(app.screen, FormScreen)
        assert any("尚欠摊位费 ¥300.00" in n for n in notes(app))
        for period in ("2026-09", "2026-10"):  # settle both months
            record = StallPayment(
                id=f"pay-{period}",
                stall_id="yl-01",
                period=period,
                amount_fen=15000,
                paid_at=small_store.get(StallPayment, "pay1", "2026").paid_at,
                collector="王会计",
            )
            with small_store.transaction() as tx:
                tx.put(record)
        await pilot.press("ctrl+r")
        await shows(app, pilot, lambda d: d.stalls[0].arrears_fen == 0)
        await pilot.press("x")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        await pilot.press(*"摊主回老家", "enter")
        await shows(app, pilot, lambda d: not d.stalls[0].stall.holder_name)
        assert cell(app, "stalls", "yl-01", 1) == ""  # the ended permit is in the detail's history, not the roster
        assert cell(app, "stalls", "yl-01", 4) == "空位"
    assert small_store.get(StallPermit, "pm-1").history[-1].action == "release"


# -- sensitive personal data (PIPL art. 28): a household's health, a stall holder's reduction ------


def disabled_household(store: Store) -> None:
    """h1 (living alone) is also disabled, and its head changed by a spreadsheet import (its history)."""
    from store.models import FieldChange, RosterEvent

    h1 = store.get(Household, "h1")
    changed = RosterEvent(
        at=clock.now(),
        actor="duty-officer",
        action="edit",
        changes=[FieldChange(name="head_name", before="张建国", after="王建民")],
        note="import",
    )
    with store.transaction() as tx:
        tx.put(
            Household.model_validate(
                {**h1.model_dump(), "tags": ["living_alone", "disabled"], "head_name": "王建民", "history": [changed]}
            )
        )


async def test_a_households_disability_is_hidden_until_revealed_and_the_reveal_is_logged(small_store: Store) -> None:
    disabled_household(small_store)
    async with dashboard(small_store, reveal_users=["duty-officer"]) as (app, pilot):
        screen = await open_micro_grid(app, pilot)
        assert screen.table.cell("h1", 2).plain == "●独居 ●** "  # living alone shows: the wall map's
        assert not any("残疾" in screen.table.cell(key, 2).plain for key in screen.table.keys)  # (the legend says it)
        await pilot.press("enter")  # the household's detail
        await settled(app, pilot)
        detail = app.screen.content  # type: ignore[attr-defined]
        fields = {name: text.plain for name, text in detail.fields}
        assert fields["重点人群"] == "●独居 ●** "
        changes = " ".join(line.plain for _, lines in detail.sections for line in lines)
        assert "王**" in changes and "王建民" not in changes and "张建国" not in changes
        await pilot.press("p")
        await settled(app, pilot)
        fields = {name: text.plain for name, text in app.screen.content.fields}  # type: ignore[attr-defined]
        assert fields["重点人群"] == "●独居 ●残疾 "
        changes = " ".join(line.plain for _, lines in app.screen.content.sections for line in lines)  # type: ignore[attr-defined]
        assert "张建国→王建民" in changes
        await pilot.press("escape", "p")  # and the list, revealed
        await settled(app, pilot)
        assert screen.table.cell("h1", 2).plain == "●独居 ●残疾 "
    assert [(e.subject, e.allowed) for e in small_store.all(AuditEntry, "2026-11")] == [
        ("visits:household:h1", True),
        ("grids:dc-M01", True),
    ]


async def test_a_stall_holders_reduction_says_why_only_when_revealed(small_store: Store) -> None:
    async with dashboard(small_store, reveal_users=["duty-officer"]) as (app, pilot):
        await pilot.press("4", "enter")
        await settled(app, pilot)
        fields = {name: text.plain for name, text in app.screen.content.fields}  # type: ignore[attr-defined]
        assert fields["摊位费/月"] == "¥300.00 → ¥150.00 (减免 **)"
        await pilot.press("p")
        await settled(app, pilot)
        fields = {name: text.plain for name, text in app.screen.content.fields}  # type: ignore[attr-defined]
        assert fields["摊位费/月"] == "¥300.00 → ¥150.00 (残疾人减免)"


async def test_a_stall_without_a_reduction_shows_its_fee_once(small_store: Store) -> None:
    """The detail said ``¥100.00 → ¥100.00`` for a fee nothing reduces, as if something had."""
    add_vacant_stall(small_store)
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("4", "j", "enter")
        await settled(app, pilot)
        fields = {name: text.plain for name, text in app.screen.content.fields}  # type: ignore[attr-defined]
        assert fields["摊位"] == "玉兰商业街 2"
        assert fields["摊位费/月"] == "¥100.00"


@pytest.mark.parametrize("size", [NARROW, WIDE])
async def test_a_lists_keys_fit_its_border_at_80_columns(small_store: Store, size: tuple[int, int]) -> None:
    """At 80 columns a grid's household list cut its last key hint to "Es…" in the bottom border.
    Now every list key is whole there; the close key, which the Footer shows anyway, stays in the
    border only where it fits."""
    async with dashboard(small_store, size, reveal_users=["duty-officer"]) as (app, pilot):
        screen = await open_micro_grid(app, pilot)
        lines = screen_text(app).splitlines()
        border = next(line for line in reversed(lines) if "走访登记" in line)
        assert "…" not in border
        for action in screen.actions:
            assert f"{action.key} {action.description}" in border
        assert "esc" in lines[-1]  # the Footer
        assert ("Esc 返回" in border) is (size == WIDE)


async def test_an_emptied_field_shows_its_example_as_an_example(small_store: Store) -> None:
    """An emptied amount showed a dim "150", a month "2026-11": read as values already there. Now
    an example says it is one (如 150) and every form's hint is italic in a fainter colour."""
    async with dashboard(small_store, NARROW) as (app, pilot):
        await pilot.press("4", "y")
        await settled(app, pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        for field in ("period", "amount"):
            form.query_one(f"#field-{field}", Input).value = ""
        await settled(app, pilot)
        text = screen_text(app)
        assert "如 2026-11" in text and "如 150" in text
        style = form.query_one("#field-amount", Input).get_component_rich_style("input--placeholder")
        assert style.italic


async def test_a_count_typed_with_full_width_digits_is_read(small_store: Store) -> None:
    """The served count １２ (a Chinese input method's digits) was refused as not a whole number."""
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("3", "i")
        await shows(app, pilot, lambda d: d.sessions[0].session.state is SessionState.CHECKED_IN)
        await pilot.press("d")
        await settled(app, pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        await type_into(pilot, form, "served", "１２")
        await pilot.press("enter")
        await shows(app, pilot, lambda d: d.sessions[0].session.state is SessionState.DONE)
        assert small_store.get(ServiceSession, "sv0", TODAY).served == 12


def pay(store: Store, period: str, fen: int, n: int) -> None:
    with store.transaction() as tx:
        tx.put(
            StallPayment(
                id=f"pay-{n}", stall_id="yl-01", period=period, amount_fen=fen, paid_at=tx.now, collector="王会计"
            )
        )


async def test_the_payment_form_offers_a_payment_it_would_accept(small_store: Store) -> None:
    """y always offered the full monthly fee, and with nothing owed the current month even when it
    was paid, so saving the default was refused (「只欠 ¥0.00」). Now it offers what is left of the
    oldest month owed, else the next month not yet paid; with every month paid it refuses at once."""
    pay(small_store, "2026-09", 5000, 2)  # 赵六 owes ¥100 of September and all of October (¥150 a month)
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("4", "y")
        await settled(app, pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        assert (form.query_one("#field-period", Input).value, form.query_one("#field-amount", Input).value) == (
            "2026-09",
            "100",
        )
        await pilot.press("ctrl+s")  # the default, as offered, is saved
        await shows(app, pilot, lambda d: d.stalls[0].unpaid_periods == ("2026-10",))
        pay(small_store, "2026-10", 15000, 3)
        pay(small_store, "2026-11", 15000, 4)
        await pilot.press("ctrl+r")
        await shows(app, pilot, lambda d: d.stalls[0].arrears_fen == 0 and "2026-11" in d.stalls[0].paid_fen)
        await pilot.press("y")
        await settled(app, pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        assert (form.query_one("#field-period", Input).value, form.query_one("#field-amount", Input).value) == (
            "2026-12",
            "150",
        )
        await pilot.press("ctrl+s")
        await shows(app, pilot, lambda d: "2026-12" in d.stalls[0].paid_fen)
        await pilot.press("y")
        await settled(app, pilot)
        assert not isinstance(app.screen, FormScreen)
        assert any("已缴至 2026-12" in n for n in notes(app))


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
async def test_the_special_households_are_painted_in_the_wall_maps_colours(small_store: Store, theme: str) -> None:
    """The wall map's key is red 独居, yellow 残疾, blue 行动不便, green 孤寡. Textual paints the
    terminal's named colours from its own palette (Monokai), where yellow is orange (253,151,31)
    and blue is purple (157,101,255): the screen's 残疾 and 行动不便 were not the map's colours.
    Each is now painted in a hue of its name, in a dark and a light theme."""
    import colorsys

    from rich.style import Style

    from duty_room.panels.visits import legend
    from store.models import SpecialTag

    hues = {  # degrees on the colour wheel
        SpecialTag.LIVING_ALONE: (330, 370),
        SpecialTag.DISABLED: (40, 65),
        SpecialTag.LIMITED_MOBILITY: (200, 235),
        SpecialTag.CHILDLESS_ELDERLY: (75, 150),
    }
    async with dashboard(small_store) as (app, pilot):
        app.theme = theme
        await pilot.pause()
        key = legend(app.present)
        for span, tag in zip(key.spans, SpecialTag, strict=True):
            colour = Style.parse(str(span.style)).color
            assert colour is not None
            r, g, b = colour.get_truecolor(app.ansi_theme)
            hue = colorsys.rgb_to_hsv(r / 255, g / 255, b / 255)[0] * 360
            low, high = hues[tag]
            assert low <= hue <= high or low <= hue + 360 <= high, (theme, tag, (r, g, b), round(hue))


async def test_a_grids_list_shows_a_visit_note_as_far_as_the_width_allows(small_store: Store) -> None:
    """A grid's households list cut every 民情日志 note at 30 cells, at 120 columns with half the
    line empty beside it. The note is the list's free text: it takes the room there is and is cut
    (…) only where the width ends; at 80 columns it still fits the screen."""
    note = "老人反映楼道灯坏了三天，夜间上下楼不便，已联系物业维修"  # 54 cells
    from rich.cells import cell_len

    from store.visiting import record_visit

    record_visit(small_store, "h1", "w1", note)
    for size, whole in ((WIDE, True), (NARROW, False)):
        async with dashboard(small_store, size) as (app, pilot):
            await pilot.press("2", "down", "down", "down", "enter")
            await settled(app, pilot)
            screen = app.screen
            assert isinstance(screen, TableScreen)
            text = screen_text(app)
            assert (note in text) is whole, (size, [line for line in text.splitlines() if "老人" in line])
            assert all(cell_len(line) <= size[0] for line in text.splitlines())


@pytest.mark.parametrize(("lang", "said"), [("zh", "独3残1行2孤4"), ("en", "A3D1M2C4"), ("ascii", "R3Y1B2G4")])
def test_each_special_group_is_told_by_its_character_not_its_colour_alone(lang: str, said: str) -> None:
    """The 重点 column (a grid's special households not yet visited, and 一表全清's counts) said ●3●1●2●4:
    the groups told apart by colour alone, all alike under the cursor (which paints over the colour),
    on a terminal without colour, for one who does not see it. Each group has its character now, in
    its colour as before (R3Y1 where colour may not show, as the key says R:独居)."""
    from rich.text import Text

    from duty_room.panels.visits import tag_marks
    from duty_room.presenters import TAG_STYLE, Presenter
    from store.models import SpecialTag

    counts = {
        SpecialTag.LIVING_ALONE: 3,
        SpecialTag.DISABLED: 1,
        SpecialTag.LIMITED_MOBILITY: 2,
        SpecialTag.CHILDLESS_ELDERLY: 4,
    }
    marks: Text = tag_marks(Presenter("zh" if lang == "ascii" else lang), counts, ascii_only=lang == "ascii")  # type: ignore[arg-type]
    assert marks.plain == said
    assert [str(span.style) for span in marks.spans] == [TAG_STYLE[tag] for tag in SpecialTag]  # the colours stay


@pytest.mark.parametrize("pinned", ["", "数据文件已损坏：permits.json"])
async def test_a_refusal_on_the_roster_goes_when_the_roster_does(small_store: Store, pinned: str) -> None:
    """请先选中一位网格员 said on the roster stayed in the dashboard's status line after Esc, over panel 1
    and a new form; it goes with the roster now, back to what is pinned there (a damaged file's line)."""
    async with dashboard(small_store) as (app, pilot):
        line = app.screen_stack[0].query_one("#status", StatusLine)
        if pinned:
            line.pin(pinned)
        await pilot.press("2", "r")
        await settled(app, pilot)
        assert isinstance(app.screen, TableScreen) and app.screen.cursor_key == "dc-L1"  # a grid's row
        await pilot.press("e")
        await settled(app, pilot)
        refusal = app.desk.t("visits.pick_worker")
        assert refusal in line.message
        await pilot.press("escape", "1", "n")
        await settled(app, pilot)
        assert isinstance(app.screen, FormScreen)
        assert refusal not in line.message and line.message == pinned, line.message


def test_a_stalls_recent_payments_line_up_whatever_the_amounts_width(small_store: Store) -> None:
    """玉兰商业街 12's payments said 2026-11  ¥70.00  2026-11-28 over 2026-06  ¥100.00  2026-06-03:
    each amount as wide as its digits, so the dates and collectors wandered from line to line."""
    from duty_room.panels.stalls import stall_detail
    from store.market import StallView
    from store.models import Stall, StallPayment

    stall = small_store.get(Stall, "yl-01")
    at = clock.now()
    payments = [
        StallPayment(id=f"pay-{n}", stall_id=stall.id, period=period, amount_fen=fen, paid_at=at, collector="王会计")
        for n, (period, fen) in enumerate((("2026-11", 7000), ("2026-10", 10000), ("2026-09", 123400)))
    ]
    view = StallView(stall, None, None, 0, 0, (), occupied=False)
    for lang in ("zh", "en"):
        detail = stall_detail(Presenter(lang), view, payments, reveal=False)  # type: ignore[arg-type]
        [paid] = [lines for heading, lines in detail.sections if heading == Presenter(lang).t("detail.payments")]
        dates = {cell_len(line.plain[: line.plain.index(f"{at:%Y-%m-%d}")]) for line in paid}
        assert len(paid) == 3 and len(dates) == 1, [line.plain for line in paid]
