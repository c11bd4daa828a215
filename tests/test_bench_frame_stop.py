"""bench/frame_stop.py ends a Textual program right after the write that holds its marker, so that
`first_paint.py --instructions` counts to the first frame's write, the same from run to run (its
SIGTERM once the terminal was quiet for 20 ms took in a varying part of what runs after the frame)."""

from __future__ import annotations

import os
import sys
import textwrap
from pathlib import Path

from tools.ptyterm import Terminal

BENCH = Path(__file__).resolve().parent.parent / "bench"

APP = textwrap.dedent(
    """
    from textual.app import App
    from textual.widgets import Static

    class Ready(App):
        def compose(self):
            yield Static("frame is here")

        def on_mount(self):
            self.set_interval(0.05, lambda: None)  # runs on and on after the frame: never quiet

    Ready().run()
    """
)


def test_the_program_ends_at_the_write_that_holds_the_marker(tmp_path: Path) -> None:
    script = tmp_path / "ready.py"
    script.write_text(APP, encoding="utf-8")
    env = {**os.environ, "TERM": "xterm-256color", "PYTHONPATH": str(BENCH.parent)}
    term = Terminal([sys.executable, "-P", str(BENCH / "frame_stop.py"), "frame is here", str(script)], 80, 24, env)
    try:
        assert term.wait_closed(seconds=30)  # it would run on until stopped
        assert term.exit_code() == 0
    finally:
        term.close()
