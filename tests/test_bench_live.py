"""bench/live.py says where the idle bytes went, so that a change in the idle figure (which depends
on the hour: the clock, and any countdown in minutes on screen) can be told from the bench's output."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


@pytest.fixture
def live(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.syspath_prepend(str(BENCH))
    spec = importlib.util.spec_from_file_location("bench_live", BENCH / "live.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_idle_bytes_are_told_by_row_and_by_kind(live: ModuleType) -> None:
    before = [
        " 孟轲乡值班室  2026-12-02 周三 15:00 续报 22:30前",
        "│ MK1  已派单  剩45分 │",
        "│ same │",
        "│ MK2  已派单 │",
    ]
    after = [
        " 孟轲乡值班室  2026-12-02 周三 15:01 续报 22:30前",
        "│ MK1  已派单  剩44分 │",
        "│ same │",
        "│ MK3  处置中 │",
    ]
    frame_begin, frame_end = b"\x1b[?2026h", b"\x1b[?2026l"
    sent = frame_begin + b"\x1b[1;27H15:01" + b"\x1b[2;16H44" + b"\x1b[3;1Hsame" + b"\x1b[4;3HMK3  x" + frame_end

    assert live.bytes_by_row(sent) == {None: 16, 0: 12, 1: 9, 2: 10, 3: 12}
    report = live.idle_report(before, after, sent, seconds=30)  # half a minute: each figure doubled
    assert report.startswith("clock 24, countdown 18, other 24, unchanged 20, frame 32 B/min; rows: ")
    assert "row 0 24 B clock 15:00 → 15:01" in report
    assert "row 1 18 B countdown 剩45分 → 剩44分" in report
    assert "row 2 20 B unchanged" in report
    assert "row 3 24 B other MK2  已派单 → MK3  处置中" in report
    assert live.change_kind("│ MK4  超期27时 │", "│ MK4  超期28时 │") == "countdown"  # past due, by the hour


def test_a_quiet_minute_says_so(live: ModuleType) -> None:
    assert live.idle_report(["a"], ["a"], b"", seconds=60) == "nothing sent"
