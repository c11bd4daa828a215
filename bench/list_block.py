"""How long one list holds up the dashboard's event loop, on the township store.

    python bench/list_block.py [--store DIR] [--rounds 3]

Runs the dashboard headless (Textual's test driver, no terminal) on the township-scale store and
opens, as Enter on panel 2 does, the 一表全清 roster of the largest community and the household
list of the largest grid (~1,800 households). A task on the event loop ticks every 5 ms; the
longest gap between ticks from the key to the filled list is the longest time no key, timer or
repaint could run. Beside it, in the same run: the same ticker while the dashboard idles for as
long (the floor: the machine's noise, the garbage collector) and the time until the list is
filled. Issue 13: no single action may block the loop more than 100 ms.

Uses only the panels' public methods, so it runs unchanged in an older checkout's bench/.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from common import DEFAULT_TOWNSHIP, township_store

from duty_room.app import DutyRoomApp
from duty_room.config import Settings
from duty_room.panels.base import DeskPanel
from store.models import Community, Grid, GridLevel, Household
from store.visiting import grids_below
from widgets.table_screen import TableScreen


async def blocked_while(action: Callable[[], object], done: Callable[[], bool]) -> tuple[float, float]:
    """(longest gap between 5 ms ticks, seconds until ``done``) from calling ``action``."""
    gaps: list[float] = []
    running = True

    async def ticker() -> None:
        last = time.perf_counter()
        while running:
            await asyncio.sleep(0.005)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    task = asyncio.create_task(ticker())
    await asyncio.sleep(0.05)
    gaps.clear()
    started = time.perf_counter()
    action()
    while not done():
        await asyncio.sleep(0.005)
    elapsed = time.perf_counter() - started
    await asyncio.sleep(0.02)
    running = False
    await task
    return max(gaps) - 0.005, elapsed


async def idle_for(seconds: float) -> tuple[float, float]:
    """The idle dashboard's longest gap for ``seconds``: the floor, measured beside each action."""
    deadline = time.perf_counter() + seconds
    return await blocked_while(lambda: None, lambda: time.perf_counter() > deadline)


def print_floor(idle: list[tuple[float, float]]) -> float:
    """Print and return (ms) the median of the idle gaps."""
    floor = statistics.median(b for b, _ in idle) * 1000
    print(f"idle dashboard, same run: event loop's longest gap {floor:6.1f} ms (median of {len(idle)})")
    return floor


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", type=Path, default=DEFAULT_TOWNSHIP)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    store = township_store(args.store)
    grids = store.all(Grid)
    per_grid: dict[str, int] = {}
    for household in store.all(Household):
        per_grid[household.grid_id] = per_grid.get(household.grid_id, 0) + 1
    large = max(
        (g for g in grids if g.level is GridLevel.LARGE),
        key=lambda g: sum(per_grid.get(i, 0) for i in grids_below(grids, g.id)),
    )
    community = max(store.all(Community), key=lambda c: sum(1 for g in grids if g.community_id == c.id))
    print(
        f"grid {large.id}: {sum(per_grid.get(i, 0) for i in grids_below(grids, large.id))} households; "
        f"community {community.id}: {sum(1 for g in grids if g.community_id == community.id)} grids"
    )
    asyncio.run(run(store.root, large.id, community.id, args.rounds))


async def run(root: Path, grid_id: str, community_id: str, rounds: int) -> None:
    from store.storage import Store

    app = DutyRoomApp(Store(root, actor="bench"), Settings(store=root, refresh_seconds=600))
    async with app.run_test(size=(120, 40)) as pilot:
        while app.data is None:
            await pilot.pause(0.05)
        panel = app.query_one("#visits", DeskPanel)
        lists = {
            "roster of a community": lambda: panel.open_roster(community_id),
            "households of a large grid": lambda: panel.open_households(grid_id),
        }
        results: dict[str, list[tuple[float, float]]] = {name: [] for name in ["idle", *lists]}
        for _ in range(rounds):
            for name, open_list in lists.items():

                def filled() -> bool:
                    return isinstance(app.screen, TableScreen) and bool(app.screen.table.keys)

                results[name].append(await blocked_while(open_list, filled))
                elapsed = results[name][-1][1]
                # Closed as Esc closes it (dismiss): app.pop_screen() skipped the panel's on-close, so
                # every list stayed in the panel's lists, alive, and each round's collections walked
                # all the lists of the rounds before.
                await pilot.press("escape")
                while isinstance(app.screen, TableScreen):
                    await pilot.pause(0.01)
                await pilot.pause(0.1)
                results["idle"].append(await idle_for(elapsed))
    floor = print_floor(results["idle"])
    for name in lists:
        blocked = [b * 1000 for b, _ in results[name]]
        filled = [e * 1000 for _, e in results[name]]
        print(
            f"{name:28s} event loop blocked {statistics.median(blocked):7.1f} ms (max {max(blocked):7.1f}; "
            f"{statistics.median(blocked) / floor:5.1f}x idle); filled after {statistics.median(filled):7.1f} ms"
        )


if __name__ == "__main__":
    main()
