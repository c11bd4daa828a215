"""One line of words given in versions, fullest first: it shows the first that fits its width.

A line over a table says a number, an amount or a time beside the words that name it. In a third of
the screen (a panel at 120x40) the line a panel says at 80 columns is too long, and a line that runs
out of room must not lose what it is for off its end (the year's fees as "year", a report's due
time): its caller gives shorter versions too, the words shortened or the less needed parts left
out, and this line shows the first that fits the width it is drawn in, again whenever that width
changes (a resized terminal, a zoomed panel). When none fits, the last is shown as a ``Static``
shows a line too long for it: wrapped at a space onto rows it does not have, so whole words fall
off its end, never part of a number (the caller makes its last version fit the narrowest place it
is shown in, a free text in it already cut).
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import RenderResult
from textual.widgets import Static

from .keyed_table import same_text

Versions = Text | Sequence[Text]


def first_fit(versions: Sequence[Text], width: int) -> Text:
    """The first of ``versions`` no wider than ``width`` cells, else the last (the narrowest)."""
    for text in versions:
        if text.cell_len <= width:
            return text
    return versions[-1] if versions else Text()


class FitLine(Static):
    """A one-line ``Static`` shown as the first of its versions that fits (``show``)."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__("", markup=False, id=id, classes=classes)
        self.versions: tuple[Text, ...] = ()

    def show(self, versions: Versions) -> bool:
        """Show ``versions`` (one ``Text``, or several fullest first); returns whether they changed.

        Unchanged versions cost nothing; changed ones are drawn in place, without a layout pass
        (the line is one row high whatever it says)."""
        given = (versions,) if isinstance(versions, Text) else tuple(versions)
        if len(given) == len(self.versions) and all(map(same_text, given, self.versions)):
            return False
        self.versions = given
        self.refresh()
        return True

    @property
    def shown(self) -> Text:
        """The version the line shows at its present width."""
        return first_fit(self.versions, self.content_size.width)

    def render(self) -> RenderResult:
        return self.shown
