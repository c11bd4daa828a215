"""One line inside the layout for what just happened: instead of toasts floating over panels.

Toasts cost a repaint of everything they cover and, over a panel border, Textual's compositor
drops a wide (Chinese) character whose cell is overwritten. A line in the layout has neither
problem. Information fades after a while; warnings and errors stay until the next message.
"""

from __future__ import annotations

from rich.text import Text
from textual.timer import Timer
from textual.widgets import Static

STYLE = {"information": "", "warning": "bold yellow", "error": "bold red"}


class StatusLine(Static):
    """Show ``say(message, severity)``; ``information`` gives way after ``fade`` seconds (to the pinned message)."""

    DEFAULT_CSS = """
    StatusLine {
        height: 1;
        padding: 0 1;
    }
    """

    def __init__(self, *, fade: float = 8.0, id: str | None = None) -> None:
        super().__init__("", markup=False, id=id)
        self.fade = fade
        self.message = ""
        self.pinned = ""  # shown whenever nothing newer is: a fault that lasts (a damaged file)
        self._timer: Timer | None = None

    def say(self, message: str, severity: str = "information") -> None:
        self.message = message
        # In place, no layout pass: one line of bytes on the wire.
        self.update(Text(message, style=STYLE.get(severity, ""), no_wrap=True, overflow="ellipsis"), layout=False)
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if severity == "information" and message:
            self._timer = self.set_timer(self.fade, self.clear)

    def clear(self) -> None:
        """Back to the pinned message, or blank."""
        self.message = self.pinned
        self.update(Text(self.pinned, style=STYLE["error"], no_wrap=True, overflow="ellipsis"), layout=False)

    def pin(self, message: str) -> None:
        """Keep ``message`` (in the error style) until ``pin("")``; newer messages show over it for a while.

        A newer message on the line stays: unpinning once the store is sound again wiped the 已记录
        of the very write that had waited for it."""
        showing_pinned = self.message == self.pinned
        self.pinned = message
        if showing_pinned or message:
            self.clear()
