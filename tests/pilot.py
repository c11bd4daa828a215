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
from duty_room.typeahead import EscapeThenKeyParser
from store.queries import Dashboard
from store.storage import Store


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
        if app.typing_settled and not busy():
            await pilot.pause()
            return
        await pilot.pause(0.01)


def in_one_read(data: str) -> list[events.Key]:
    """The keys the dashboard's reader of the terminal (``EscapeThenKeyParser``) makes of one read."""
    parser = EscapeThenKeyParser()
    return [event for event in (*parser.feed(data), *parser.feed("")) if isinstance(event, events.Key)]


async def loaded(app: DutyRoomApp, pilot: Pilot[None]) -> None:
    """The first data is on screen."""
    for _ in range(100):
        if app.data is not None:
            await pilot.pause()
            return
        await pilot.pause(0.05)
    raise AssertionError("the dashboard never loaded its data")


async def shows(app: DutyRoomApp, pilot: Pilot[None], check: Callable[[Dashboard], bool]) -> None:
    """Wait until the dashboard's data satisfies ``check`` (a change made elsewhere arrives by polling)."""
    for _ in range(100):
        await settled(app, pilot)
        if app.data is not None and check(app.data):
            return
        await pilot.pause(0.05)
    raise AssertionError("the dashboard never showed the change")


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
    assert not app.handled_errors, app.handled_errors
