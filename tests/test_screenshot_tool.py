"""tools/screenshot.py writes what it was asked for and nothing beside it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from store.storage import Store
from tools.screenshot import save


@pytest.mark.parametrize(
    "name",
    [
        "screen.svg",
        pytest.param(
            "screen.png",
            marks=pytest.mark.skipif(shutil.which("rsvg-convert") is None, reason="a PNG needs rsvg-convert"),
        ),
    ],
)
def test_it_writes_only_the_file_asked_for(small_store: Store, tmp_path: Path, name: str) -> None:
    """An SVG asked for came with a PNG beside it, unasked; a .png asked for is a PNG and only that."""
    out = tmp_path / "shots" / name
    out.parent.mkdir()
    save(small_store.root, out, (80, 24), [], "zh")
    assert [p.name for p in out.parent.iterdir()] == [name]
    magic = b"\x89PNG" if name.endswith(".png") else b"<svg"
    assert out.read_bytes().lstrip().startswith(magic)
