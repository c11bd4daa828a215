"""A second dashboard process for tests: opens the store headless and changes one case's status
from the keyboard, exactly as a second duty officer would.

    python tests/second_dashboard.py STORE_DIR FROZEN_NOW
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from store import clock
from store.storage import Store

from pilot import dashboard, desk_panel, settled


async def main(store_dir: Path) -> None:
    async with dashboard(Store(store_dir, actor="second-desk")) as (app, pilot):
        await pilot.press("c", "enter", "enter")  # first legal step for the top case
        await settled(app, pilot)  # the write's worker, and the reload it starts, finished
        assert desk_panel(app, "petitions").table.cell("MK261127-001", 1).plain == "已受理", app.status.said
    print("changed", flush=True)


if __name__ == "__main__":
    clock.freeze(sys.argv[2])  # the first dashboard's time: a test facility, not a setting
    asyncio.run(main(Path(sys.argv[1])))
