"""What another desk's write costs the event loop while the hand-over form (交班, panel 5's `h`) is open,
on the township store.

    python bench/handover_form.py [--store DIR] [--rounds 10]

On a copy of the township-scale store (with a shift on duty and 60 entries logged in it, as
bench/handover.py seeds it) the dashboard runs headless at 120x40 and the hand-over form is opened.
Another desk then logs a call, ``--rounds`` times, each written in a thread (its cost is not the
dashboard's); each write reaches the dashboard by inotify and a reload, and the form shows the
report anew (its subtitle counts the entries). Measured per write:

* the work the desk's own handlers do on the event loop for the form (``Desk.data_changed`` and
  ``Desk.worker_changed``, summed, CPU time of the loop's thread): the report rebuilt there, or only
  handed to a worker and its result shown;
* the event loop's longest gap (a 5 ms ticker) from the write to the new count on the form, beside
  the same write with no form open (the reload and repaint every change costs anyway).

Uses only the app's public methods, so it runs unchanged in an older checkout's bench/.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from common import DEFAULT_TOWNSHIP, township_store
from list_block import blocked_while

from duty_room.app import DutyRoomApp
from duty_room.config import Settings
from store import clock
from store.demo.duty import seed_duty_room
from store.duty_models import LogKind
from store.dutylog import log_entry, shift_at
from store.storage import Store
from widgets.form import FormScreen


def timing(target: Any, name: str, spent: list[float]) -> None:
    """Wrap ``target.name`` so each call's CPU seconds on this thread are added to ``spent``: the work
    it does on the event loop (its wall time also counts the waits for the interpreter lock while a
    worker thread runs, which any await point of the loop pays too)."""
    original: Callable[..., Any] = getattr(target, name)

    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.thread_time()
        try:
            return original(*args, **kwargs)
        finally:
            spent.append(time.thread_time() - started)

    setattr(target, name, timed)


async def run(root: Path, rounds: int) -> None:
    app = DutyRoomApp(Store(root, actor="bench"), Settings(store=root, refresh_seconds=600))
    other = Store(root, actor="other-desk")
    spent: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        while app.data is None:
            await pilot.pause(0.05)
        await pilot.pause(1.0)  # the look for damaged files, begun after the first frame, is done
        timing(app.desk, "data_changed", spent)
        timing(app.desk, "worker_changed", spent)

        async def write_and_wait(done: Callable[[], bool]) -> tuple[float, float]:
            generation = other.generation()

            def write() -> None:
                asyncio.get_running_loop().run_in_executor(
                    None, lambda: log_entry(other, kind=LogKind.CALL, content="另一台电脑登记的来电")
                )

            result = await blocked_while(
                write, lambda: app.data is not None and app.data.generation > generation and done()
            )
            await pilot.pause(0.2)  # the reload's repaint, the renewal's worker
            return result

        bare: list[float] = []
        for _ in range(rounds):  # no form open: what any change costs
            spent.clear()
            gap, _ = await write_and_wait(lambda: True)
            bare.append(gap)
        idle_handlers = sum(spent)

        await pilot.press("5", "h")
        while not isinstance(app.screen, FormScreen):
            await pilot.pause(0.02)
        form = app.screen
        await pilot.pause(0.5)

        def count() -> str:
            return str(form.query_one("#form-subtitle").render()).split("；")[0]

        handlers: list[float] = []
        gaps: list[float] = []
        shown: list[float] = []
        for _ in range(rounds):
            before = count()
            spent.clear()
            gap, elapsed = await write_and_wait(lambda: count() != before)  # noqa: B023 (waited on in this iteration)
            handlers.append(sum(spent))
            gaps.append(gap)
            shown.append(elapsed)
        ms = lambda xs: statistics.median(xs) * 1000  # noqa: E731
        print(f"form shows: {count()}")
        print(
            f"no form open:   event loop's longest gap {ms(bare):6.1f} ms (desk handlers {idle_handlers * 1000:.1f} ms)"
        )
        print(
            f"hand-over form: desk handlers on the event loop {ms(handlers):6.1f} ms per change "
            f"(min {min(handlers) * 1000:.1f}, max {max(handlers) * 1000:.1f}); longest gap {ms(gaps):6.1f} ms; "
            f"new count on the form after {ms(shown):6.1f} ms (medians of {rounds})"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", type=Path, default=DEFAULT_TOWNSHIP)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    source = township_store(args.store)
    with tempfile.TemporaryDirectory(prefix="duty-handover-form-") as tmp:
        root = Path(tmp) / "store"
        shutil.copytree(source.root, root)
        store = Store(root, actor="bench")
        now = clock.now()
        if shift_at(store, now) is None:
            seed_duty_room(store, now.date())
        shift = shift_at(store, now)
        assert shift is not None
        for n in range(60):  # a busy shift, as bench/handover.py seeds it
            log_entry(
                store,
                kind=LogKind.CALL,
                content=f"来电 {n}：楼道灯不亮",
                caller="李四",
                phone="13812341234",
                at=max(shift.starts_at, now - timedelta(minutes=5 * (60 - n))),
            )
        asyncio.run(run(root, args.rounds))


if __name__ == "__main__":
    main()
