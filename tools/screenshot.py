"""Save an SVG (and PNG, if rsvg-convert is installed) of the dashboard after some keys.

python tools/screenshot.py STORE OUT.svg --size 120x40 --keys 2 z [--now 2026-11-28T09:30:00+08:00]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import subprocess
from pathlib import Path

from duty_room.app import DutyRoomApp
from duty_room.config import Settings
from store import clock
from store.storage import Store


async def shoot(store_dir: Path, out: Path, size: tuple[int, int], keys: list[str], lang: str) -> None:
    app = DutyRoomApp(Store(store_dir), Settings(store=store_dir, lang=lang))
    async with app.run_test(size=size) as pilot:
        await pilot.pause(0.5)
        for key in keys:
            await pilot.press(key)
            await pilot.pause(0.2)
        await pilot.pause(0.3)
        app.save_screenshot(filename=out.name, path=str(out.parent))
    if shutil.which("rsvg-convert"):
        subprocess.run(["rsvg-convert", str(out), "-o", str(out.with_suffix(".png"))], check=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("store", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--size", default="120x40")
    parser.add_argument("--lang", default="zh")
    parser.add_argument("--keys", nargs="*", default=[])
    parser.add_argument("--now", default=None, help="freeze the clock at this ISO time (as the snapshot tests do)")
    args = parser.parse_args()
    if args.now:
        clock.freeze(args.now)
    width, height = (int(x) for x in args.size.split("x"))
    asyncio.run(shoot(args.store, args.out, (width, height), args.keys, args.lang))


if __name__ == "__main__":
    main()
