"""Send a changed cell, not the line up to it: what a repaint of part of a line puts on the wire.

A widget that refreshes one region of a line (``KeyedTable`` a changed cell, ``Widget.refresh(region)``)
is repainted by Textual's compositor as a ``ChopsUpdate``: for each line, the changed span ``x1..x2``
of each "chop" (the stretch of the line one widget covers). Textual 8.2.8 writes each such chop from
its *first* cell up to ``x2`` (``ChopsUpdate.render_segments``, "TODO: crop to x extents"), so a
countdown near a row's right end re-sent the whole row up to it, and twice when two of its cells
changed (剩/超期 and the age): ~250 bytes a row a minute over a slow link, where the cells are ~30.

``CellChopsUpdate`` writes each chop from the first changed cell instead, backed up to the start of
a wide character that straddles it, so the screen is the same cell for cell (nothing left of ``x1``
changed: it is not in the dirty span). Textual has no setting for it: the compositor makes its
update from the module-level name ``textual._compositor.ChopsUpdate``, which
``send_changed_cells_only`` points at this subclass (pinned by tests/test_textual_private.py).
"""

from __future__ import annotations

from rich.cells import cell_len, get_character_cell_size
from rich.console import Console
from rich.control import Control
from textual import _compositor
from textual._compositor import ChopsUpdate
from textual.strip import Strip


def character_start(strip: Strip, cell: int) -> int:
    """The cell where the character covering ``cell`` of ``strip`` begins: ``cell`` itself, or the
    cell before it when a wide character straddles it (cutting there would write half of it)."""
    position = 0
    for segment in strip:
        text = segment.text
        width = cell_len(text)
        if position + width <= cell:
            position += width
            continue
        for char in text:
            char_width = get_character_cell_size(char)
            if position + char_width > cell:
                return position
            position += char_width
        return position
    return cell


class CellChopsUpdate(ChopsUpdate):
    """Textual's partial update, each chop cut to the changed span at its left end as well as its right."""

    def render_segments(self, console: Console) -> str:
        """What Textual's ``ChopsUpdate.render_segments`` writes, less each chop's unchanged cells
        before ``x1`` and the newline between two spans (each write begins with a cursor move)."""
        sequences: list[str] = []
        append = sequences.append
        move_to = Control.move_to
        for y, x1, x2 in self.spans:
            for end, (x, strip) in zip(self.chop_ends[y], self.chops[y].items(), strict=False):
                if strip is None or x >= x2 or end <= x1:
                    continue
                start = character_start(strip, x1 - x) if x < x1 else 0
                append(move_to(x + start, y).segment.text)
                append(strip.crop(start, min(end, x2) - x).render(console))
        return "".join(sequences)


def send_changed_cells_only() -> None:
    """Make Textual's compositor repaint part of a line with ``CellChopsUpdate`` (for every app in
    this process: the compositor makes its update from this module-level name)."""
    _compositor.ChopsUpdate = CellChopsUpdate  # type: ignore[misc]
