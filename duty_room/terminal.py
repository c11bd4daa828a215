"""What the terminal draws with: box-drawing characters or ASCII, and the colours of the wall map's key;
``TerminalApp``, the app's base that draws so."""

from __future__ import annotations

import locale
import sys
from pathlib import Path, PurePath
from typing import Any, ClassVar

from rich.terminal_theme import TerminalTheme
from textual._ansi_theme import ALABASTER, MONOKAI
from textual.app import App
from textual.binding import Binding
from textual.filter import LineFilter
from textual.reactive import reactive
from textual.scrollbar import ScrollBar, ScrollBarRender

from widgets.ascii_marks import MARKS_IN_ASCII


def draws_in_ascii(asked: bool | None) -> bool:
    """ASCII alone where asked (``--ascii``, or not), else where the terminal is not UTF-8: box-drawing
    characters need a UTF-8 terminal."""
    if asked is not None:
        return asked
    encoding = (getattr(sys.stdout, "encoding", None) or locale.getpreferredencoding(False) or "").lower()
    return "utf" not in encoding.replace("-", "")


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


class TerminalApp(App[None]):
    """An app drawn as its terminal can: in the ascii mode (``ascii``) its CSS, marks, key names and
    scrollbars in ASCII; in lite, the terminal's own 16 colours; the wall map's key in its colours."""

    ASCII_CSS_PATH: ClassVar[str] = "ascii.tcss"  # read first, and only in the ascii mode (ascii.tcss says why)

    ansi_theme_dark = reactive(WALL_MAP_DARK, init=False)
    ansi_theme_light = reactive(WALL_MAP_LIGHT, init=False)

    def __init__(self, *, ascii_only: bool, lite: bool, **app_options: Any) -> None:
        # Lite: the terminal's own 16 colours, far fewer bytes per cell.
        super().__init__(ansi_color=True if lite else None, css_path=self._css_paths(ascii_only), **app_options)
        self.ascii = ascii_only
        draw_scrollbars_in_ascii(ascii_only)

    @classmethod
    def _css_paths(cls, ascii_only: bool) -> list[str | PurePath] | None:
        """The app's CSS files (beside this module): its own (``CSS_PATH``), after the ascii mode's in that mode."""
        if not ascii_only or cls.CSS_PATH is None:
            return None  # Textual reads CSS_PATH
        here = Path(__file__).parent
        return [here / cls.ASCII_CSS_PATH, here / str(cls.CSS_PATH)]

    def get_line_filters(self) -> list[LineFilter]:  # Textual's; in the ascii mode the marks in words in ASCII too
        return [*super().get_line_filters(), *([MARKS_IN_ASCII] if self.ascii else [])]

    def get_key_display(self, binding: Binding) -> str:
        """A key as the Footer and `?` show it: Textual's words, in ASCII on an ASCII terminal."""
        shown = super().get_key_display(binding)
        return shown.translate(ASCII_KEYS) if self.ascii else shown
