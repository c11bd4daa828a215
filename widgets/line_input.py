"""A one-line text box that keeps every line of a paste.

Textual's ``Input`` keeps only the first line of a pasted text and drops the rest without a word:
a title copied from a work order with its line breaks arrived cut. Here each line break (and a
tab, which a one-line field refuses) becomes one space, so every word pasted is in the box, to be
read and edited before it is saved.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input


def one_line(text: str) -> str:
    """``text`` on one line: its lines joined by one space, blank lines left out."""
    return " ".join(line for line in text.replace("\t", " ").splitlines() if line.strip())


def shown_on_one_line(value: str) -> str:
    """A value given to a one-line box, as the box shows it: one with line breaks (an incident's log
    line is its title over its description) on one line (``one_line``), any other as it is. A line
    break left in the box reached the terminal and pushed the form's edge, and every line under it,
    down a line."""
    return one_line(value) if len(value.splitlines()) > 1 else value


class LineInput(Input):
    """An ``Input`` whose paste is kept whole (``one_line``)."""

    def _on_paste(self, event: events.Paste) -> None:
        text = one_line(event.text)
        if text:
            if self.selection.is_empty:
                self.insert_text_at_cursor(text)
            else:
                self.replace(text, *self.selection)
        event.stop()
        event.prevent_default()  # not Input's own paste too (its first line, again)
