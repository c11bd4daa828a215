"""A countdown that ticks sends its cells, not its row: the real program in a pty, its clock moved on.

Textual's compositor wrote a repainted stretch of a line from the left edge of the widget on it
(``ChopsUpdate.render_segments``): a table row whose due time (超期45时 → 超期46时) or age changed
was sent from its case id onwards, ~270 bytes (~775 with two changed cells) where the cell is a
few dozen. ``widgets.partial_update.CellChopsUpdate`` writes from the changed cell.
"""

from __future__ import annotations

import os
import re
import signal
import sys
from pathlib import Path

import pytest
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from store import clock
from store.demo import build_demo
from store.storage import Store
from tests.conftest import FROZEN_NOW, frozen_command
from tools.ptyterm import Terminal
from widgets.partial_update import character_start

ROOT = Path(__file__).resolve().parent.parent
CURSOR_MOVE = re.compile(rb"\x1b\[(\d+);(\d+)H")
CASE_ID = re.compile(r"MK\d{6}-\d{3}")


def test_a_cut_inside_a_wide_character_begins_at_the_character() -> None:
    strip = Strip([Segment(" MK1 ", Style(bold=True)), Segment("超期46时", Style(color="red")), Segment("  ")])
    assert [character_start(strip, cell) for cell in (0, 4, 5, 6, 7, 8, 9, 10)] == [0, 4, 5, 5, 7, 7, 9, 10]
    assert character_start(strip, 40) == 40  # past the strip's end: where it was asked


def written_by_row(sent: bytes) -> dict[int, str]:
    """The text written to each screen row (0-based) after a cursor move, escape sequences left out."""
    rows: dict[int, str] = {}
    moves = list(CURSOR_MOVE.finditer(sent))
    for move, following in zip(moves, [*moves[1:], None], strict=True):
        run = sent[move.end() : following.start() if following else len(sent)]
        text = re.sub(rb"\x1b\[[0-9;?]*[A-Za-z]", b"", run).decode(errors="replace")
        row = int(move.group(1)) - 1
        rows[row] = rows.get(row, "") + text
    return rows


@pytest.mark.slow
@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_an_hour_on_the_clock_sends_the_changed_cells_and_not_the_rows_around_them(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    clock.freeze(FROZEN_NOW)
    try:
        build_demo(Store(tmp_path / "demo", actor="setup"))
    finally:
        clock.unfreeze()
    env = {**os.environ, "TERM": "xterm-256color", "LANG": "C.UTF-8", "PYTHONPATH": str(ROOT)}
    term = Terminal([sys.executable, "-P", *frozen_command("--store", str(tmp_path / "demo"))[1:]], *size, env)
    try:
        assert term.wait_for("MK261121-002", 30), term.text()
        term.settle(0.5)
        before, shown = len(term.raw), list(term.screen.display)
        os.kill(term.pid, signal.SIGUSR2)  # the frozen clock moves on an hour: 09:30 → 10:30
        assert term.wait_for("10:30", 15), term.text()
        term.settle(0.5)
        sent, after = bytes(term.raw[before:]), list(term.screen.display)
    finally:
        term.close()

    ticked = [y for y, (old, new) in enumerate(zip(shown, after, strict=True)) if old != new and CASE_ID.search(old)]
    assert len(ticked) >= 5, "the hour moved no countdown on the list"
    written = written_by_row(sent)
    # A row that did not change is not sent again. At 120x40 panel 3's and 5's tables were, whole,
    # as they were: the layout the rest of the data made at start left a repaint of each on them
    # (KeyedTable._size_updated), taken with the first cell to change after it.
    assert [y for y in written if shown[y] == after[y]] == [], [after[y] for y in written if shown[y] == after[y]]
    for y in ticked:
        case_id = CASE_ID.search(shown[y])
        assert case_id is not None and case_id.group() in after[y]  # the same case, in the same place
        assert written.get(y), f"row {y} changed but nothing was written to it"
        # Its id did not change: it is not sent again (it was, with every cell up to the changed one).
        assert case_id.group() not in written[y], (y, written[y])
        unchanged_words = set(shown[y].split()) & set(after[y].split())
        assert not any(len(word) > 3 and word in written[y] for word in unchanged_words), (y, written[y])

    # What is on screen is what the program shows when it starts at 10:30.
    fresh = Terminal(
        [
            sys.executable,
            "-P",
            *frozen_command("--store", str(tmp_path / "demo"), now="2026-11-28T10:30:00+08:00")[1:],
        ],
        *size,
        env,
    )
    try:
        assert fresh.wait_for("MK261121-002", 30), fresh.text()
        fresh.settle(0.5)
        started_then = list(fresh.screen.display)
    finally:
        fresh.close()
    assert after[:-1] == started_then[:-1]  # (the status line: its words at a start)
