"""A second dashboard process for tests: opens the store headless and changes one case's status
from the keyboard, exactly as a second duty officer would.

    python tests/second_dashboard.py STORE_DIR FROZEN_NOW
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from duty_room.app import DutyRoomApp
from duty_room.config import Settings
from store import clock
from store.storage import Store


async def main(store_dir: Path) -> None:
    app = DutyRoomApp(Store(store_dir, actor="second-desk"), Settings(store=store_dir))
    async with app.run_test(size=(120, 40)) as pilot:
        while app.data is None:
            await pilot.pause(0.05)
        await pilot.press("c", "enter", "enter")  # first legal step for the top case
        await pilot.pause(0.3)
    print("changed", flush=True)


if __name__ == "__main__":
    clock.freeze(sys.argv[2])  # the first dashboard's time: a test facility, not a setting
    asyncio.run(main(Path(sys.argv[1])))
