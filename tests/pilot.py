"""Pilot helpers shared by the UI tests: wait for what the app is doing, never a fixed sleep."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from rich.cells import get_character_cell_size
from rich.console import Console
from textual import events
from textual.message import Message
from textual.pilot import Pilot
from textual.worker import Worker, WorkerCancelled, WorkerFailed

from duty_room.app import DutyRoomApp
from duty_room.config import Settings
from duty_room.panels.base import DeskPanel
from duty_room.typeahead import EscapeThenKeyParser
from store.queries import Dashboard
from store.storage import Store
from widgets.screen_footer import CompactFooter
from widgets.table_screen import TableScreen


def desk_panel(app: DutyRoomApp, name: str) -> DeskPanel:
    """The dashboard's panel ``name`` (``petitions``, ``visits``, ``services``, ``stalls``, ``dutylog``)."""
    return app.deck.query_one(f"#{name}", DeskPanel)


async def settled(app: DutyRoomApp, pilot: Pilot[None]) -> None:
    """Every typed key handled, every worker (writes, reloads) finished and its messages handled.

    A finished write posts ``Saved``, which starts a reload worker: wait for that one too.
    """

    def busy() -> list[Worker[object]]:  # the store watcher runs for the app's life: not "busy"
        return [w for w in app.workers if w.group != "watch" and not w.is_finished]

    for _ in range(200):
        if running := busy():  # (an empty list would mean "every worker", the watcher too)
            try:
                await app.workers.wait_for_complete(running)
            except WorkerCancelled:  # an exclusive reload replaced by a newer one (the watcher's): wait on
                pass
            except WorkerFailed:  # a refused write ends its worker in error: the desk says why (StateChanged)
                pass
        await pilot.pause()
        if app.typeahead.settled and not busy():
            await pilot.pause()
            return
        await pilot.pause(0.01)


def waiting_for(app: DutyRoomApp) -> list[str]:
    """What the screen is still waiting for before its picture is the one to keep (empty: nothing).

    A key not yet handled, a worker (a write, a reload, a list's rows) not finished, a list still on
    its loading line, a Footer whose recompose is asked for, or, on the screen on top, a message not
    yet handled, a layout, a scroll, a repaint, a recompose or a restyle asked for and not yet done,
    or a callback waiting for the next refresh (a list's border hints fitted to its width).
    """
    pending: list[str] = []
    if not app.typeahead.settled:
        pending.append("typed keys")
    pending += [f"worker {w.name}" for w in app.workers if w.group != "watch" and not w.is_finished]
    if app.message_queue_size:
        pending.append("the app's messages")
    pending += [f"the rows of {s.kind}" for s in app.screen_stack if isinstance(s, TableScreen) and not s.shown]
    screen = app.screen  # a screen below it refreshes when it is on top again (it shows as it was drawn)
    if screen._scroll_required or screen._recompose_required or screen._dirty_widgets or screen._callbacks:
        pending.append(f"{screen!r} to refresh")
    for node in screen.walk_children(with_self=True):
        if node.message_queue_size:
            pending.append(f"messages of {node!r}")
        if (
            node._layout_required
            or node._repaint_required
            or node._scroll_required
            or node._recompose_required
            or node._refresh_styles_required
        ):
            pending.append(f"{node!r} to refresh")
        if isinstance(node, CompactFooter) and node._remaking:
            pending.append(f"{node!r} to remake its keys")
    return pending


async def drawn(app: DutyRoomApp, pilot: Pilot[None]) -> None:
    """``settled``, then until nothing is left that would change the picture (``waiting_for``):
    what a snapshot waits for. Each turn lets the event loop run until the process is idle; no
    fixed sleep, and no guess from two pictures a moment apart (which agreed, under load, while a
    list's header lines were still to come)."""
    await settled(app, pilot)
    for _ in range(200):
        await pilot.pause()
        if not waiting_for(app):
            return
        await settled(app, pilot)
    raise AssertionError(f"the screen still waits for {waiting_for(app)}")


async def until(pilot: Pilot[None], check: Callable[[], object], what: str, *, turns: int = 500) -> None:
    """Wait until ``check()`` is true, for what ``settled`` cannot see: another process's write
    arriving (inotify, the poll), the watcher thread's first look, a worker's thread a test holds,
    Textual's own timers and workers (the palette's search), the app stopping. Each turn lets the
    event loop run for 20 ms; after ``turns`` of them (10 s or more) it fails saying what it waited for."""
    for _ in range(turns):
        if check():
            return
        await pilot.pause(0.02)  # one turn of the poll, not a guess at how long the thing takes
    if check():
        return
    raise AssertionError(f"waited {turns} turns for {what}")


def in_one_read(data: str) -> list[events.Key]:
    """The keys the dashboard's reader of the terminal (``EscapeThenKeyParser``) makes of one read."""
    parser = EscapeThenKeyParser()
    return [event for event in (*parser.feed(data), *parser.feed("")) if isinstance(event, events.Key)]


async def loaded(app: DutyRoomApp, pilot: Pilot[None]) -> None:
    """The whole dashboard's first data is on screen: the first frame's, and the rest read right after it."""
    await until(pilot, lambda: app.data is not None and app.data.complete, "the dashboard's first data")
    await pilot.pause()


async def shows(app: DutyRoomApp, pilot: Pilot[None], check: Callable[[Dashboard], bool]) -> None:
    """Wait until the dashboard's data satisfies ``check`` (a change made elsewhere arrives by polling)."""
    await until(pilot, lambda: app.data is not None and check(app.data), "the dashboard to show the change")
    await settled(app, pilot)


def screen_text(app: DutyRoomApp) -> str:
    """What is painted now, as text: the current screen composited over the ones below it
    (what ``App.export_screenshot`` draws, exported as text instead of SVG). A wide character
    Textual's compositor dropped is missing here as it is on the terminal."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text()


def cells_of(line: str, start: int, end: int) -> str:
    """The characters of a screen line between terminal cells ``start`` and ``end``."""
    x, kept = 0, []
    for char in line:
        if start <= x and x + get_character_cell_size(char) <= end:
            kept.append(char)
        x += get_character_cell_size(char)
    return "".join(kept)


WIDE = (120, 40)
NARROW = (80, 24)


def dashboard_app(store: Store, **settings: object) -> DutyRoomApp:
    """The dashboard on ``store``. The interval poll is slowed to ten minutes unless a test sets
    ``refresh_seconds``: another process's change arrives by inotify, a desk's own by its reload."""
    return DutyRoomApp(store, Settings(store=store.root, **{"refresh_seconds": 600, **settings}))  # type: ignore[arg-type]


@asynccontextmanager
async def dashboard(
    store: Store,
    size: tuple[int, int] = WIDE,
    *,
    message_hook: Callable[[Message], None] | None = None,
    **settings: object,
) -> AsyncIterator[tuple[DutyRoomApp, Pilot[None]]]:
    """``async with dashboard(store) as (app, pilot):`` the dashboard running, its first data on screen."""
    app = dashboard_app(store, **settings)
    async with app.run_test(size=size, message_hook=message_hook) as pilot:
        await loaded(app, pilot)
        yield app, pilot
    # A bug the dashboard caught and ran on from (a test that makes one clears the list): never a pass.
    assert not app.status.handled_errors, app.status.handled_errors
