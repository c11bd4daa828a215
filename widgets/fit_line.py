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

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult as RichRenderResult
from rich.measure import Measurement
from rich.style import StyleType
from rich.text import Text
from textual.app import RenderResult
from textual.geometry import Region
from textual.widgets import Static

from .keyed_table import same_text

Versions = Text | Sequence[Text]


def first_fit(versions: Sequence[Text], width: int) -> Text:
    """The first of ``versions`` no wider than ``width`` cells, else the last (the narrowest)."""
    for text in versions:
        if text.cell_len <= width:
            return text
    return versions[-1] if versions else Text()


PART_JOINT = "  "  # between the parts of a line (a count, the colour key, each worker of a grid's team)


def wrap_parts(text: Text, width: int) -> Text:
    """``text`` with each line broken only between its parts (set apart by ``PART_JOINT``) into lines of
    at most ``width`` cells: a part (a worker's role, name and phone) is never split over two lines,
    unless it alone is wider (then it wraps as a ``Static`` wraps it)."""
    out: list[Text] = []
    for line in text.split("\n", allow_blank=True):
        row: Text | None = None
        start = 0
        for end in [*(m.start() for m in re.finditer(PART_JOINT, line.plain)), len(line.plain)]:
            part, start = line[start:end], end + len(PART_JOINT)
            if not part.plain.strip():
                continue
            if row is None:
                row = part
            elif row.cell_len + cell_len(PART_JOINT) + part.cell_len > width:
                out.append(row)
                row = part
            else:
                row = Text.assemble(row, PART_JOINT, part)
        out.append(row if row is not None else Text())
    return Text("\n").join(out)


@dataclass(frozen=True)
class PartLines:
    """Lines of parts, each line broken only between its parts at the width it is drawn in (a
    resized terminal too): ``Static(PartLines(text))``."""

    text: Text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RichRenderResult:
        yield wrap_parts(self.text, options.max_width)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, wrap_parts(self.text, options.max_width))


def _styled_characters(text: Text) -> list[tuple[str, tuple[StyleType, ...]]]:
    """Each character of ``text`` with the styles of the spans over it, in order."""
    styles: list[tuple[StyleType, ...]] = [() for _ in text.plain]
    for span in text.spans:
        for index in range(span.start, min(span.end, len(styles))):
            styles[index] += (span.style,)
    return list(zip(text.plain, styles, strict=True))


def changed_cells(old: Text, new: Text, width: int) -> tuple[int, int] | None:
    """The cells (start, end) of a line ``width`` cells wide that differ between showing ``old`` and
    ``new``, or None if that cannot be told from the characters alone (the whole line is repainted):
    either does not fit on one line, is not left-aligned, or their base styles differ. Left-aligned,
    a character shows in the cells after those before it; cells past the longer text are blank."""
    texts = (old, new)
    if (
        old.style != new.style
        or any(t.cell_len > width or "\n" in t.plain or t.justify not in (None, "default", "left") for t in texts)
        or old.justify != new.justify
    ):
        return None
    before, after = _styled_characters(old), _styled_characters(new)
    same = 0
    while same < min(len(before), len(after)) and before[same] == after[same]:
        same += 1
    start = cell_len(new.plain[:same])
    if old.cell_len != new.cell_len:
        return start, max(old.cell_len, new.cell_len)
    tail = 0
    while tail < min(len(before), len(after)) - same and before[-1 - tail] == after[-1 - tail]:
        tail += 1
    return start, new.cell_len - cell_len(new.plain[len(new.plain) - tail :])


class FitLine(Static):
    """A one-line ``Static`` shown as the first of its versions that fits (``show``)."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__("", markup=False, id=id, classes=classes)
        self.versions: tuple[Text, ...] = ()

    def show(self, versions: Versions) -> bool:
        """Show ``versions`` (one ``Text``, or several fullest first); returns whether they changed.

        Unchanged versions cost nothing; changed ones are drawn in place, without a layout pass
        (the line is one row high whatever it says), and only the cells that changed are repainted:
        a countdown's one digit, not the whole line (~120 bytes a tick over a slow link)."""
        given = (versions,) if isinstance(versions, Text) else tuple(versions)
        if len(given) == len(self.versions) and all(map(same_text, given, self.versions)):
            return False
        width = self.content_size.width
        was = self.shown
        self.versions = given
        span = changed_cells(was, self.shown, width) if width > 0 and self.content_size.height == 1 else None
        if span is None:
            self.refresh()
        elif span[1] > span[0]:
            self.refresh(Region(span[0], 0, span[1] - span[0], 1))
        return True

    @property
    def shown(self) -> Text:
        """The version the line shows at its present width."""
        return first_fit(self.versions, self.content_size.width)

    def render(self) -> RenderResult:
        return self.shown
