"""A read-only detail view: labelled fields and sections such as a case's history timeline."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Static

from .help_key import HELP_KEYS, toggle_help
from .screen_footer import CompactFooter
from .specs import DetailContent as DetailContent
from .status_line import StatusLine


def whole(line: Text) -> Text:
    """A value or line as a detail shows it: whole, wrapped in the box when longer than its width.
    A table cell's text comes cut to one line (``no_wrap``, "…"); a detail is where it is read in
    full (a log entry's content, a report's note, a visit's 民情日志)."""
    if not line.no_wrap and line.overflow in (None, "fold"):
        return line
    line = line.copy()
    line.no_wrap = False
    line.overflow = "fold"
    return line


class DetailScreen(ModalScreen[None]):
    """A scrolling box of a ``DetailContent``; ``p`` asks the caller to reveal personal data."""

    DEFAULT_CSS = """
    DetailScreen {
        align: center middle;
        background: $background;
    }
    DetailScreen #detail-box, DetailScreen #status {
        width: 90;
        max-width: 95%;
    }
    DetailScreen #detail-box {
        height: auto;
        max-height: 90%;
        border: thick $accent;
        padding: 0 1;
        background: $surface;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close", id="detail.close"),
        Binding("p", "reveal", "Reveal", id="detail.reveal"),
        HELP_KEYS,
    ]

    class RevealRequested(Message):
        """The user asked to see the unmasked personal data of ``subject``."""

        def __init__(self, screen: DetailScreen, subject: str) -> None:
            super().__init__()
            self.screen = screen
            self.subject = subject

    def __init__(self, content: DetailContent) -> None:
        """A detail showing ``content``."""
        super().__init__(classes="detail-screen")
        self.content = content

    def compose(self) -> ComposeResult:
        """The content in a scrolling box."""
        with VerticalScroll(id="detail-box"):
            yield Static(self._render_body(), id="detail-body")
        yield StatusLine(id="status")  # what a key here set off (a refused reveal): the dashboard's is covered
        yield CompactFooter()  # this screen's own keys, not the dashboard's behind it

    def on_mount(self) -> None:
        """Title and key hint in the box's border."""
        box = self.query_one("#detail-box")
        # As typed (a household's address, a name): a str here is read as markup.
        box.border_title = Content(self.content.title)
        box.border_subtitle = Content(self.content.hint)

    def show(self, content: DetailContent) -> None:
        """Show new content in place (after a reveal, or another desk's change)."""
        self.content = content
        self.query_one("#detail-body", Static).update(self._render_body())
        box = self.query_one("#detail-box")
        box.border_title = Content(content.title)
        box.border_subtitle = Content(content.hint)
        self.refresh_bindings()  # p is offered only where there is something to reveal

    def _render_body(self) -> Table:
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column()
        for label, value in self.content.fields:
            grid.add_row(Text(label), whole(value))
        for heading, lines in self.content.sections:
            grid.add_row(Text(""), Text(""))
            grid.add_row(Text(heading, style="bold underline"), Text(""))
            for line in lines:
                grid.add_row(Text(""), whole(line))
        return grid

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """No ``p`` in the Footer (nor a key that does nothing) on a detail with no personal data."""
        if action == "reveal" and not self.content.subject:
            return False
        return True

    def action_toggle_help(self) -> None:
        toggle_help(self)

    def action_close(self) -> None:
        """Close the detail."""
        self.dismiss(None)

    def action_reveal(self) -> None:
        """Post ``RevealRequested``: the caller decides whether this user may see the data."""
        if self.content.subject:
            self.post_message(self.RevealRequested(self, self.content.subject))


class UnrevealingDetailScreen(DetailScreen):
    """A detail where ``p`` is never granted (a read-only desk): not offered in the Footer nor in the
    keys' help, yet typed it still asks, so the refusal is said rather than the key doing nothing."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "reveal", "Reveal", show=False, system=True, id="detail.reveal"),
    ]
