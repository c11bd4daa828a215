"""The pty tests' terminal (tools/ptyterm.py) shows what a real terminal shows, wide characters too."""

from __future__ import annotations

import pyte
import pytest

from tools.ptyterm import RealScreen


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("超期█", "超期█   "),
        ("超期\x1b[1;4H█", "超 █    "),  # a form's border over 期's right half (pyte alone: 超期, no border)
        ("超期\x1b[1;3Ha", "超a     "),  # over its left half (pyte alone: IndexError)
        ("超期\x1b[1;4H文", "超 文   "),  # a wide character over the right half
        ("超期\x1b[1;4H\x1b[K", "超      "),  # the line erased from the right half on
        ("超期\x1b[1;4H\x1b[X", "超      "),  # one character erased there
    ],
)
def test_writing_over_half_a_wide_character_blanks_the_other_half(written: str, shown: str) -> None:
    screen = RealScreen(8, 1)
    pyte.Stream(screen).feed(written)
    assert screen.display == [shown]
