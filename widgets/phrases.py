"""Chinese text wrapped between its phrases, not wherever the width runs out.

Rich (and Textual) wrap at spaces; a Chinese sentence has none, so a line too long for its width is
cut at the last cell that fits: 未 at the end of one row, 结事件1起 on the next. ``Phrases`` breaks
after a space or a pause mark (，、；：。), and cuts a phrase only when it alone is wider than the line.
A number keeps the word after it, its unit, on its row: 已等待 15 秒, never 15 at a row's end and 秒
at the next one's start.

It is a Textual ``Visual`` (a ``Static`` shows it as Textual text, in the widget's own style) and a
Rich renderable; ``str`` of it, or of what its ``Static`` renders, is the text as given.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text
from textual.content import Content
from textual.visual import Visual

if TYPE_CHECKING:
    from textual.css.styles import RulesMap
    from textual.strip import Strip
    from textual.style import Style
    from textual.visual import RenderOptions

# A phrase and the pause marks or spaces after it: a row may end after them. A number alone and the
# spaces after it begin the phrase that follows (its unit), so no row ends with the number.
PHRASE = re.compile(r"(?:\d[\d.,]*[ \u00a0]+)?[^\s，、；：。]*[\s，、；：。]*")


class Phrases(Visual):
    """``text`` whose rows each end at a phrase's end (where one fits)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text

    def rows(self, width: int) -> list[str]:
        rows: list[str] = []
        for paragraph in self.text.split("\n"):
            row = ""
            for phrase in filter(None, PHRASE.findall(paragraph)):
                if row and cell_len(row + phrase.rstrip()) > width:
                    rows.append(row.rstrip())
                    phrase = phrase.lstrip()
                    row = ""
                row += phrase
            rows.append(row.rstrip())
        return rows

    # -- as a Textual Visual: the rows as Content (a row still too wide, one long phrase, is folded) --

    def _content(self, width: int) -> Content:
        return Content("\n".join(self.rows(width)))

    def render_strips(self, width: int, height: int | None, style: Style, options: RenderOptions) -> list[Strip]:
        return self._content(width).render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return Content(self.text).get_optimal_width(rules, container_width)

    def get_minimal_width(self, rules: RulesMap) -> int:
        return max((cell_len(phrase.strip()) for phrase in PHRASE.findall(self.text)), default=0)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self._content(width).get_height(rules, width)

    # -- as a Rich renderable --

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        # a row still too wide (one long phrase) is folded by the Text as before
        yield Text("\n".join(self.rows(options.max_width)), overflow="fold")

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        phrases = [phrase.strip() for phrase in PHRASE.findall(self.text)]
        return Measurement(max(map(cell_len, phrases), default=0), cell_len(self.text))
