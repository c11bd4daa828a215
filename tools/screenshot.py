"""Save a screenshot of the dashboard after some keys: an SVG, or a PNG when OUT ends in .png
(drawn from the SVG by rsvg-convert). Only OUT is written.

python tools/screenshot.py STORE OUT.svg --size 120x40 --keys 2 z [--now 2026-11-28T09:30:00+08:00]
python tools/screenshot.py STORE OUT.png --size 80x24
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import subprocess
import sys
import tempfile
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


def save(store_dir: Path, out: Path, size: tuple[int, int], keys: list[str], lang: str) -> None:
    """OUT and nothing else: an SVG, or for a .png the SVG drawn in a scratch folder, then removed."""
    if out.suffix.lower() != ".png":
        asyncio.run(shoot(store_dir, out, size, keys, lang))
        return
    convert = shutil.which("rsvg-convert")
    if convert is None:
        sys.exit(f"{out}: a PNG needs rsvg-convert (librsvg2-bin); ask for an .svg instead")
    with tempfile.TemporaryDirectory() as scratch:
        svg = Path(scratch) / "screen.svg"
        asyncio.run(shoot(store_dir, svg, size, keys, lang))
        subprocess.run([convert, str(svg), "-o", str(out)], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description="A screenshot of the dashboard after some keys. Writes OUT only: an SVG, or a PNG"
        " when OUT ends in .png (needs rsvg-convert)."
    )
    parser.add_argument("store", type=Path)
    parser.add_argument("out", type=Path, help="where to write: NAME.svg, or NAME.png for a PNG")
    parser.add_argument("--size", default="120x40")
    parser.add_argument("--lang", default="zh")
    parser.add_argument("--keys", nargs="*", default=[])
    parser.add_argument("--now", default=None, help="freeze the clock at this ISO time (as the snapshot tests do)")
    args = parser.parse_args()
    if args.now:
        clock.freeze(args.now)
    width, height = (int(x) for x in args.size.split("x"))
    save(args.store, args.out, (width, height), args.keys, args.lang)


if __name__ == "__main__":
    main()
