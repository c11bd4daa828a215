"""--ascii: the marks in words drawn in ASCII on every line, after the layout.

A glyph that decorates the words (→ between a before and an after, · between a title's parts and
between keys, — for a figure not known yet, Rich's and our … where a cell is cut, ⏎ between the
lines of a text shown on one) is drawn as one ASCII character: one cell for one, so nothing laid
out moves. Chinese text itself, its punctuation and ¥ stay (tests/test_app.py walks every screen).
The app adds the filter to Textual's (``App.get_line_filters``), which apply it to each line drawn.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.color import Color
from textual.filter import LineFilter


class MarksInAscii(LineFilter):
    """Each mark in a line as its ASCII character."""

    MARKS = str.maketrans("→←↑↓·•●○—–…⏎✔✓✗×▲▼", "><^v|**o--~/vvxx^v")

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        return [Segment(text.translate(self.MARKS), style, control) for text, style, control in segments]


MARKS_IN_ASCII = MarksInAscii()  # one filter for the process: Textual caches its lines by it
