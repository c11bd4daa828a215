"""The first frame reads what it shows, the rest right after it (duty_room/live.py: show_first_frame, _fill).

The header and panel 1's open cases are read before the first frame (store/queries.py:
first_frame); the day's visits and plans, the stalls and their payments, the sessions, the shift's
log and the rates of the recently closed cases are read in a worker once the frame is on screen.
Meanwhile the other panels say 读取中 and the header's figures not read yet show "…", never a 0;
keys typed meanwhile wait for the rest, so a burst at start acts as the same keys typed slowly.

Each test holds the read of the rest (the app's ``load``, which only that read and the reloads
call) until it lets it go, so the first frame is looked at as it is before the rest arrives.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime

import pytest
from textual import events
from textual._compositor import ChopsUpdate, Compositor, LayoutUpdate
from textual.css.stylesheet import Stylesheet
from textual.dom import DOMNode
from textual.geometry import Size
from textual.pilot import Pilot

from duty_room.app import DutyRoomApp
from duty_room.dashboard_screen import DashboardScreen
from store.models import StallPayment
from store.queries import Dashboard
from store.storage import Store
from widgets.detail import DetailScreen
from widgets.panel import FilterInput
from widgets.screen_footer import CompactFooter
from widgets.status_line import StatusLine

from pilot import NARROW, WIDE, cells_of, dashboard, dashboard_app, desk_panel, drawn, screen_text, settled, until

LATER_PANELS = ("visits", "services", "stalls", "dutylog")


@asynccontextmanager
async def first_frame_held(
    store: Store, size: tuple[int, int] = WIDE, *, before: Callable[[], None] = lambda: None, **settings: object
) -> AsyncIterator[tuple[DutyRoomApp, Pilot[None], threading.Event]]:
    """The dashboard with its first frame on screen and the read of the rest held until the event
    is set (``before`` runs in the reading thread first, once it is let go)."""
    app = dashboard_app(store, **settings)
    go = threading.Event()
    read = app.load

    def held(now: datetime) -> Dashboard:
        assert go.wait(30), "the test never let the read go"
        before()
        return read(now)

    app.load = held  # type: ignore[method-assign]
    try:  # (a bare run, not `dashboard`: that waits for the whole first data, which this holds back)
        async with app.run_test(size=size) as pilot:
            await until(pilot, lambda: app.data is not None, "the first frame's data")
            await until(pilot, lambda: any(w.group == "load" for w in app.workers), "the read of the rest to begin")
            yield app, pilot, go
    finally:
        go.set()
    assert not app.status.handled_errors, app.status.handled_errors


def line_of(app: DutyRoomApp, widget_id: str) -> str:
    return str(app.query_one(widget_id).render())


def summary_of(app: DutyRoomApp, name: str) -> str:
    return str(desk_panel(app, name).summary.render())


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["120x40", "80x24"])
async def test_the_first_frame_shows_the_cases_and_says_what_is_still_being_read(
    small_store: Store, size: tuple[int, int]
) -> None:
    async with dashboard(small_store, size) as (whole, whole_pilot):
        header, cases = line_of(whole, "#headline"), desk_panel(whole, "petitions").table.keys
        rates = str(desk_panel(whole, "petitions").detail.render())
        rows = {name: desk_panel(whole, name).table.keys for name in LATER_PANELS}
    async with first_frame_held(small_store, size) as (app, pilot, go):
        assert app.data is not None and not app.data.complete
        assert desk_panel(app, "petitions").table.keys == cases  # panel 1 whole: every open case, in order
        counts = line_of(app, "#headline")
        # The cases' counts as they are; the late sessions and the arrears not read yet: "…", not 0.
        assert "迟到未签 …" in counts and "欠费 …" in counts, counts
        assert counts.partition("迟到")[0] == header.partition("迟到")[0]  # who is on duty, 未结 超期 今日到期
        assert " 0" not in counts
        assert "…/…/…" in str(desk_panel(app, "petitions").detail.render())  # the 30-day rates: not yet
        for name in LATER_PANELS:
            assert "读取中" in summary_of(app, name)
            assert desk_panel(app, name).table.keys == []
        go.set()
        await settled(app, pilot)
        assert app.data is not None and app.data.complete
        assert line_of(app, "#headline") == header
        assert str(desk_panel(app, "petitions").detail.render()) == rates
        assert "读取中" not in screen_text(app) and "…/…" not in screen_text(app)
        assert {name: desk_panel(app, name).table.keys for name in LATER_PANELS} == rows


def headings(app: DutyRoomApp) -> dict[str, str]:
    """The header line of each later panel's table as painted, for those on screen."""
    shown = screen_text(app).splitlines()
    lines = {}
    for name in LATER_PANELS:
        box = desk_panel(app, name).table.region
        if box.area:
            lines[name] = cells_of(shown[box.y], box.x, box.right).rstrip()
    return lines


async def each_panels_headings(app: DutyRoomApp, pilot: Pilot[None]) -> dict[str, str]:
    """Each later panel's headings, made the active one in turn (at 80x24 only it shows its rows)."""
    seen = {}
    for number, name in enumerate(LATER_PANELS, start=2):
        await pilot.press(str(number))
        await settled(app, pilot)
        seen[name] = headings(app)[name]
    return seen


@pytest.mark.parametrize(
    ("size", "lang"), [(WIDE, "zh"), (WIDE, "en"), (NARROW, "zh")], ids=["120x40", "120x40-en", "80x24"]
)
async def test_a_panel_being_read_shows_no_headings_its_rows_would_change(
    small_store: Store, size: tuple[int, int], lang: str
) -> None:
    """The columns are fitted to the rows: while the rows were being read the headings were fitted
    to none, and changed when they came (at 120x40 panel 2's 进度 and panel 5's 类别 and 来源 left
    out then, panel 4's cut "Hol…" too; every panel's columns moved). A panel being read shows no
    headings; the rows bring them, as they are shown from then on."""
    async with dashboard(small_store, size, lang=lang) as (whole, whole_pilot):
        filled = headings(whole)
        assert all(filled.values()), filled
        each = await each_panels_headings(whole, whole_pilot)
    async with first_frame_held(small_store, size, lang=lang) as (app, pilot, go):
        await pilot.pause()
        assert headings(app) == {name: "" for name in filled}  # shown, blank (none shown at 80x24)
        go.set()
        await settled(app, pilot)
        assert headings(app) == filled
        assert await each_panels_headings(app, pilot) == each


async def test_a_panel_that_could_not_be_read_shows_no_headings(small_store: Store) -> None:
    """At 80x24 a panel is seen while the read of the rest runs only if that read failed (keys typed
    meanwhile wait for it): its headings, fitted to no rows, changed once a reload read them."""
    payments = small_store.path_for(StallPayment, "2026")
    intact = payments.read_bytes()
    reads: list[None] = []

    def damage() -> None:  # the read of the rest meets it; the reload after the repair does not
        if not reads:
            payments.write_text('{"records": {"1": {"id": "x"', encoding="utf-8")
        reads.append(None)

    async with dashboard(small_store, NARROW) as (whole, whole_pilot):
        filled = await each_panels_headings(whole, whole_pilot)
    async with first_frame_held(small_store, NARROW, before=damage) as (app, pilot, go):
        go.set()
        await until(pilot, lambda: app.desk.unread, "the read of the rest to fail")
        assert await each_panels_headings(app, pilot) == {name: "" for name in LATER_PANELS}
        payments.write_bytes(intact)
        app.reload()
        await until(pilot, lambda: app.data is not None and app.data.complete, "the reload")
        await settled(app, pilot)
        app.status.handled_errors.clear()
        assert await each_panels_headings(app, pilot) == filled


def press_at_once(app: DutyRoomApp, keys: list[str]) -> None:
    """Every key posted at once, as one write of an SSH client arrives."""
    for key in keys:
        app.post_message(events.Key(key, "\r" if key == "enter" else key))


def where(app: DutyRoomApp) -> tuple[str, str | None, str]:
    """The active panel, its selected row, and the screen on top (a detail's title)."""
    screen = app.screen
    on_top = screen.content.title if isinstance(screen, DetailScreen) else type(screen).__name__
    return app.deck.active, app.deck.active_panel.table.cursor_key, on_top


@pytest.mark.parametrize("keys", [["2", "j"], ["4", "enter"], ["4", "j", "j", "enter"]], ids="".join)
async def test_keys_typed_before_the_rest_arrives_act_as_typed_slowly(small_store: Store, keys: list[str]) -> None:
    """`2j` or `4` Enter in one write right at start: they wait for the rest of the dashboard, and
    then act on its rows, not on a panel still saying 读取中 (j on no rows, Enter on nothing)."""
    async with dashboard(small_store) as (app, pilot):
        for key in keys:  # slowly: each key once what the one before set off is on screen
            await pilot.press(key)
            await settled(app, pilot)
        slowly = where(app)
    assert slowly[1] is not None and (keys[-1] != "enter" or slowly[2] != "DashboardScreen")
    async with first_frame_held(small_store) as (app, pilot, go):
        press_at_once(app, keys)
        await pilot.pause()
        assert not app.typeahead.settled  # held: what they act on is not read yet
        assert app.deck.active == "petitions" and not isinstance(app.screen, DetailScreen)
        go.set()
        await settled(app, pilot)
        assert where(app) == slowly


async def test_a_fault_in_the_read_of_the_rest_is_one_line_and_keys_go_on(small_store: Store) -> None:
    """The rest read after the first frame meets a damaged file: the status line names it (as a
    reload's would), the panels waiting for it say they could not be read, the dashboard runs on,
    and the keys typed meanwhile act (not held until they are dropped)."""
    payments = small_store.path_for(StallPayment, "2026")

    def damage() -> None:
        payments.write_text('{"records": {"1": {"id": "x"', encoding="utf-8")

    async with first_frame_held(small_store, before=damage) as (app, pilot, go):
        press_at_once(app, ["3"])
        go.set()
        status = app.query_one("#status", StatusLine)
        await until(pilot, lambda: "payments/2026.json" in status.message, "the fault in the status line")
        await settled(app, pilot)
        assert "\n" not in status.message and "数据文件已损坏" in status.message, status.message
        assert app.return_code is None
        assert app.deck.active == "services"  # the key typed meanwhile acted
        for name in LATER_PANELS:
            assert "未能读取" in summary_of(app, name)
        assert "迟到未签 …" in line_of(app, "#headline")  # still not known: never a 0


async def test_a_resize_to_the_size_the_screen_has_lays_nothing_out_again(
    small_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At start Textual tells the screen its size twice more after the first frame (the driver's
    Resize, and the one the first layout sends every widget shown), and laid the whole screen out
    and sent all of it again for each: two more whole screens (~27 KB at 120x40) before a key could
    be read. The same size is now nothing to do; another size still lays the dashboard out anew."""
    layouts: list[object] = []
    laid_out = DashboardScreen._refresh_layout

    def counted(screen: DashboardScreen, size: object = None, scroll: bool = False) -> None:
        layouts.append(size)
        laid_out(screen, size, scroll)  # type: ignore[arg-type]

    monkeypatch.setattr(DashboardScreen, "_refresh_layout", counted)
    async with dashboard(small_store, WIDE) as (app, pilot):
        assert isinstance(app.screen, DashboardScreen)
        await settled(app, pilot)
        layouts.clear()
        size = app.size
        app.post_message(events.Resize(size, size))  # as the driver says it
        app.screen.post_message(events.Resize(size, size))  # as the first layout says it
        await drawn(app, pilot)  # the app passes a Resize on to the screen at its next idle: that one handled too
        assert layouts == []
        # Another size is laid out at that size: the dashboard fills the terminal, no more, no less
        # (it compared the event with the app's size, already the new one: a real resize laid the
        # screen out only as the narrow class asked, at the old size, 80x24 drawn in 120x40).
        for size in (NARROW, WIDE, Size(100, 30)):
            await pilot.resize_terminal(*size)
            await settled(app, pilot)
            assert app.screen.outer_size == size
            assert app.query_one("#header").region.width == size[0]
            assert app.query_one("#panels").has_class("narrow") == (size[0] < 100)
            footer = app.screen.query_one(CompactFooter).region
            assert footer.bottom == size[1], footer
        assert layouts


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["120x40", "80x24"])
async def test_the_first_frame_is_sent_once(
    small_store: Store, size: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The screen is sent whole once at start, not again: Textual's ScreenResume lays the first
    frame out and sends all of it, then asks the screen to repaint (a whole screen more), and every
    widget's repaint asked for before it, sized by that first layout, was sent again too (a whole
    screen more, in pieces). Then only what changes since: the rest's data, a scrollbar, the Footer's keys."""
    sent: list[int] = []  # the cells each update sends
    full, partial = Compositor.render_full_update, Compositor.render_partial_update

    def whole(compositor: Compositor, simplify: bool = False) -> LayoutUpdate:
        sent.append(compositor.size.area)
        return full(compositor, simplify)

    def part(compositor: Compositor) -> ChopsUpdate | None:
        screen = compositor.size.region
        cells = {(x, y) for r in compositor._dirty_regions for y in range(r.y, r.bottom) for x in range(r.x, r.right)}
        sent.append(sum(screen.contains(x, y) for x, y in cells))
        return partial(compositor)

    monkeypatch.setattr(Compositor, "render_full_update", whole)
    monkeypatch.setattr(Compositor, "render_partial_update", part)
    async with dashboard(small_store, size) as (app, pilot):
        await settled(app, pilot)
        area = app.size.area
        assert sent[0] == area and all(cells < area for cells in sent[1:]), sent  # was [area, area, area, ...]


async def test_the_first_frame_computes_each_widgets_styles_once(
    small_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each widget's styles are worked out as it mounts; Textual's first ScreenResume worked out
    every widget's on the screen again before the first frame (~2% of its instructions at 120x40),
    though nothing had changed since. A widget whose classes change later (focus, a panel made
    active) is worked out again then, as before."""
    applied: dict[int, int] = {}
    apply = Stylesheet.apply

    def counted(stylesheet: Stylesheet, node: DOMNode, *args: object, **kwargs: object) -> None:
        applied[id(node)] = applied.get(id(node), 0) + 1
        apply(stylesheet, node, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Stylesheet, "apply", counted)
    async with dashboard(small_store, WIDE) as (app, pilot):
        await settled(app, pilot)
        for widget_id in ("#header", "#status"):
            assert applied[id(app.query_one(widget_id))] == 1, widget_id


async def test_the_filter_line_is_mounted_when_first_opened(small_store: Store) -> None:
    """Panel 1 alone filters (/): every panel composed a filter ``Input`` all the same, parsed, styled
    and mounted before the first frame, which shows none (~37 M instructions at 120x40). Panel 1's is
    mounted by the first /, and the keys typed right after it go to it as before."""
    async with dashboard(small_store, NARROW) as (app, pilot):
        assert not app.query(FilterInput)
        await pilot.press("slash", *"路灯")
        await settled(app, pilot)
        assert [line.parent for line in app.query(FilterInput)] == [desk_panel(app, "petitions")]
        assert desk_panel(app, "petitions").filter_input.value == "路灯"
        assert app.focused is desk_panel(app, "petitions").filter_input
        assert desk_panel(app, "visits").filter_text == ""


async def test_the_filter_input_is_not_made_before_the_first_slash(small_store: Store) -> None:
    """Panel 1's rows are filtered by what its filter line says: asked before the first /, the
    line (an ``Input``) was made only to say it was empty, before the first frame."""
    async with dashboard(small_store, WIDE) as (app, pilot):
        await settled(app, pilot)
        assert "filter_input" not in vars(desk_panel(app, "petitions"))
        assert desk_panel(app, "petitions").filter_text == ""
        await pilot.press("slash", *"路灯")
        await settled(app, pilot)
        assert desk_panel(app, "petitions").filter_text == "路灯"
