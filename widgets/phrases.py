"""Chinese text wrapped between its phrases, not wherever the width runs out.

Rich (and Textual) wrap at spaces; a Chinese sentence has none, so a line too long for its width is
cut at the last cell that fits: 未 at the end of one row, 结事件1起 on the next. ``Phrases`` breaks
after a space or a pause mark (，、；：。), and cuts a phrase only when it alone is wider than the line.
"""

from __future__ import annotations

import re

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text

# A phrase and the pause marks or spaces after it: a row may end after them.
PHRASE = re.compile(r"[^\s，、；：。]*[\s，、；：。]*")


class Phrases:
    """``text`` as a Rich renderable whose rows each end at a phrase's end (where one fits)."""

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

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        # a row still too wide (one long phrase) is folded by the Text as before
        yield Text("\n".join(self.rows(options.max_width)), overflow="fold")

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        phrases = [phrase.strip() for phrase in PHRASE.findall(self.text)]
        return Measurement(max(map(cell_len, phrases), default=0), cell_len(self.text))
