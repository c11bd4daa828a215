"""The one private piece of Textual the dashboard overrides, pinned: a Textual that changes it fails here.

``duty_room.palette.Palette._start_no_matches_countdown`` is a copy of Textual's own with our words:
Textual (8.2.8, its newest release) writes ``No matches found`` inside that private method, in a
closure, and offers no public way to give the line other words (no class variable, no message when
it is added, the CommandList it goes in is composed by the palette itself). Were Textual to change
the method, or stop calling it, the copy would silently run old code or never run (the Chinese
palette would say ``No matches found`` again): this test says so first.
"""

from __future__ import annotations

import hashlib
import inspect
import textwrap

import textual
from textual.command import CommandPalette

from duty_room.palette import Palette

# sha256 of Textual 8.2.8's CommandPalette._start_no_matches_countdown (dedented source).
COPIED_FROM = "caa0724dc67501e96dd461c6ecc60bd59920e0c033318177dd04ce0f6894553e"


def test_the_palettes_no_matches_method_is_still_the_one_we_copied() -> None:
    source = textwrap.dedent(inspect.getsource(CommandPalette._start_no_matches_countdown))
    assert hashlib.sha256(source.encode()).hexdigest() == COPIED_FROM, (
        f"Textual {textual.__version__} changed CommandPalette._start_no_matches_countdown: compare it "
        "with duty_room/palette.py Palette._start_no_matches_countdown (a copy with our words), bring the "
        "copy up to date (or drop it if Textual now lets the words be given), then COPIED_FROM\n" + source
    )


def test_the_palette_still_calls_it_and_the_names_the_copy_uses_are_there() -> None:
    gather = inspect.getsource(CommandPalette._gather_commands)
    assert "self._start_no_matches_countdown(search_value)" in gather
    for name in ("_stop_no_matches_countdown", "_NO_MATCHES_COUNTDOWN", "_NO_MATCHES", "_list_visible"):
        assert hasattr(CommandPalette, name), name
    assert Palette._start_no_matches_countdown is not CommandPalette._start_no_matches_countdown
