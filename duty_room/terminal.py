"""What the terminal draws with: box-drawing characters or ASCII, and the colours of the wall map's key."""

from __future__ import annotations

import locale
import sys
from typing import ClassVar

from rich.terminal_theme import TerminalTheme
from textual._ansi_theme import ALABASTER, MONOKAI
from textual.scrollbar import ScrollBar, ScrollBarRender


def terminal_speaks_utf8() -> bool:
    """Box-drawing characters need a UTF-8 terminal; under another locale, draw with ASCII."""
    encoding = (getattr(sys.stdout, "encoding", None) or locale.getpreferredencoding(False) or "").lower()
    return "utf" in encoding.replace("-", "")


# Keys as `?` and the Footer name them, in ASCII: Textual's ⏎, ⌫ and arrows are in few fonts besides.
ASCII_KEYS = str.maketrans({"⏎": "enter", "⌫": "bksp", "↑": "up", "↓": "down", "←": "left", "→": "right"})


def keys_in_ascii(text: str) -> str:
    """Words that name keys by their glyphs (a picker's 输入筛选，↑↓选择) with the keys' ASCII names."""
    return text.replace("↑↓", "up/down ").replace(" ）", "）").replace("  ", " ").translate(ASCII_KEYS)


class WholeCellScrollBars(ScrollBarRender):
    """A scrollbar's thumb in whole cells of colour: Textual places it to an eighth of a cell with
    block glyphs (▁ ▏), which a terminal that cannot draw box characters cannot draw either."""

    VERTICAL_BARS: ClassVar[list[str]] = [" "]
    HORIZONTAL_BARS: ClassVar[list[str]] = [" "]


def draw_scrollbars_in_ascii(ascii_only: bool) -> None:
    """Every scrollbar of the process (one dashboard a process) in whole cells, or Textual's own."""
    ScrollBar.renderer = WholeCellScrollBars if ascii_only else ScrollBarRender


def _with_colours(theme: TerminalTheme, **colours: tuple[int, int, int]) -> TerminalTheme:
    """``theme`` with some of its 16 colours replaced, by index name (``blue``, ``bright_yellow``)."""
    names = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]
    names += [f"bright_{name}" for name in names]
    palette: list[tuple[int, int, int]] = [theme.ansi_colors[index] for index in range(16)]
    for name, colour in colours.items():
        palette[names.index(name)] = colour
    return TerminalTheme(theme.background_color, theme.foreground_color, palette[:8], palette[8:])


# The wall map's key (独居 red, 残疾 yellow, 行动不便 blue, 孤寡 green) in those colours: Textual's
# palettes make blue purple and, dark, yellow orange (only the key uses blue and bright_yellow).
WALL_MAP_DARK = _with_colours(MONOKAI, blue=(59, 142, 234), bright_blue=(59, 142, 234))
WALL_MAP_LIGHT = _with_colours(ALABASTER, bright_yellow=(184, 150, 0))
