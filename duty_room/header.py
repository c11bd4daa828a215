"""The dashboard's top line: the township's duty room and who is at the desk, the clock, the day's counts."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from store.queries import Dashboard

from .presenters import Presenter


class DashboardHeader(Horizontal):
    """``#head-title``, ``#clock`` and ``#headline`` on one line, each redrawn only when its words change."""

    DEFAULT_CSS = """
    DashboardHeader {
        height: 1;
        background: $boost;
        #head-title { width: auto; }
        #clock { width: 5; }
        #headline { width: 1fr; }
    }
    """

    def __init__(self, present: Presenter, *, actor: str, read_only: bool, id: str | None = None) -> None:
        super().__init__(id=id)
        self.present = present
        self.actor = actor
        self.read_only = read_only
        self._shown: dict[str, Text] = {}

    def compose(self) -> ComposeResult:
        yield Static("", id="head-title", markup=False)
        yield Static("", id="clock", markup=False)
        yield Static("", id="headline", markup=False)

    def show(self, data: Dashboard, width: int) -> None:
        """The header for ``data`` on a screen ``width`` columns wide."""
        p = self.present
        title, counts = p.header(
            data.headline, self.actor, data.now, width=width, duty=data.duty, read_only=self.read_only
        )
        self._update_if_changed("#head-title", title, layout=True)  # its width changes once a day, or with the counts
        self._update_if_changed("#clock", p.header_clock(data.now))
        self._update_if_changed("#headline", counts)

    def _update_if_changed(self, selector: str, text: Text, *, layout: bool = False) -> None:
        """An unchanged line costs no bytes on the wire: only touch what differs. Without ``layout``
        drawn in place: a layout pass would repaint every table's scrollbars too."""
        if self._shown.get(selector) != text:
            self.query_one(selector, Static).update(text, layout=layout)
            self._shown[selector] = text
