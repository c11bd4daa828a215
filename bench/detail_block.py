"""How long opening a record's detail holds up the dashboard's event loop, on the township store.

    python bench/detail_block.py [--store DIR] [--rounds 3]

Runs the dashboard headless on the township-scale store and opens, as Enter does, the detail of a
case (panel 1), of a 一老一小 session (panel 3), of a stall (panel 4) and of a household (a grid's
list). The first open of each is the cold one: what it reads has not been read by this process
yet. Beside it, in the same run, the idle dashboard's longest gap for as long (the floor). Issue 13:
no single action may block the loop more than 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
from pathlib import Path

from common import DEFAULT_TOWNSHIP, township_store
from list_block import blocked_while, idle_for, print_floor

from duty_room.app import DutyRoomApp
from duty_room.config import Settings
from duty_room.panels.base import DeskPanel
from store.models import Household
from widgets.detail import DetailScreen


async def run(root: Path, rounds: int) -> None:
    from store.storage import Store

    app = DutyRoomApp(Store(root, actor="bench"), Settings(store=root, refresh_seconds=600))
    async with app.run_test(size=(120, 40)) as pilot:
        while app.data is None:
            await pilot.pause(0.05)
        await pilot.pause(1.0)  # the look for damaged files, begun after the first frame, is done
        data = app.data
        household = next(h for h in Store(root).all(Household) if h.tags)
        opens = {
            "a case (panel 1)": lambda: app.query_one("#petitions", DeskPanel).open_detail(
                data.petitions[0].petition.id
            ),
            "a session (panel 3)": lambda: app.query_one("#services", DeskPanel).open_detail(
                data.sessions[0].session.id
            ),
            "a stall (panel 4)": lambda: app.query_one("#stalls", DeskPanel).open_detail(data.stalls[0].stall.id),
            "a household (list)": lambda: app.query_one("#visits", DeskPanel).open_detail(f"household:{household.id}"),
        }
        results: dict[str, list[tuple[float, float]]] = {name: [] for name in ["idle", *opens]}
        for _ in range(rounds):
            for name, open_detail in opens.items():
                results[name].append(await blocked_while(open_detail, lambda: isinstance(app.screen, DetailScreen)))
                await pilot.press("escape")  # as the officer closes it: the panel forgets the open detail
                while isinstance(app.screen, DetailScreen):
                    await pilot.pause(0.01)
                await pilot.pause(0.1)
                results["idle"].append(await idle_for(results[name][-1][1]))
    print_floor(results["idle"])
    for name in opens:
        blocked = [b * 1000 for b, _ in results[name]]
        shown = [e * 1000 for _, e in results[name]]
        print(
            f"{name:22s} event loop blocked: first (cold) {blocked[0]:7.1f} ms, then median "
            f"{statistics.median(blocked[1:] or blocked):6.1f} ms; on screen after {shown[0]:7.1f} / "
            f"{statistics.median(shown[1:] or shown):6.1f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", type=Path, default=DEFAULT_TOWNSHIP)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    asyncio.run(run(township_store(args.store).root, args.rounds))


if __name__ == "__main__":
    main()
