"""Esc on a form with something typed in it asks before the typing is thrown away.

Keeping is the default: Enter on the focused 继续填写, Esc, or `n` go back to the form as it was;
only `y`, or ← then Enter on 放弃, discard. The words come from the caller (through the form).
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from .help_key import HELP_KEY, toggle_help
from .screen_footer import CompactFooter


class DiscardScreen(ModalScreen[bool]):
    """Ask ``question``; dismissed with True to discard, False to keep editing (the default)."""

    DEFAULT_CSS = """
    DiscardScreen {
        align: center middle;
    }
    DiscardScreen #discard-box {
        width: auto;
        min-width: 36;
        max-width: 95%;
        height: auto;
        border: thick $warning;
        background: $surface;
        padding: 0 1;
    }
    DiscardScreen #discard-question {
        width: auto;
        text-style: bold;
        margin-bottom: 1;
    }
    DiscardScreen #discard-buttons {
        width: auto;
        height: auto;
    }
    DiscardScreen #discard-buttons Button {
        margin-right: 1;
        min-width: 10;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Discard", id="discard.yes"),
        Binding("escape,n", "answer(False)", "Keep editing", id="discard.no"),
        Binding("left", "app.focus_previous", "Previous", show=False, id="discard.previous"),
        Binding("right", "app.focus_next", "Next", show=False, id="discard.next"),
        HELP_KEY,
    ]

    def __init__(self, question: str, discard: str, keep: str) -> None:
        super().__init__(classes="discard-screen")
        self.question = question
        self.words = (discard, keep)

    def compose(self) -> ComposeResult:
        with Vertical(id="discard-box"):
            yield Static(self.question, id="discard-question", markup=False)
            with Horizontal(id="discard-buttons"):
                yield Button(self.words[0], variant="error", id="discard-yes")
                yield Button(self.words[1], variant="primary", id="discard-no")
        yield CompactFooter()  # this screen's own keys

    def on_mount(self) -> None:
        """Keeping is what Enter does unless the officer moves to 放弃 first."""
        self.query_one("#discard-no", Button).focus()

    def action_answer(self, discard: bool) -> None:
        self.dismiss(discard)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "discard-yes")

    def action_toggle_help(self) -> None:
        toggle_help(self)


def close_or_ask(screen: ModalScreen[Any], touched: bool, question: str, discard: str, keep_editing: str) -> None:
    """Esc on ``screen`` (a form, a choice with a note): closed at once when nothing was typed,
    otherwise only once the officer answers 放弃 to ``question``."""
    if not touched:
        screen.dismiss(None)
        return

    def answered(discarded: bool | None) -> None:
        if discarded and screen.is_attached:
            screen.dismiss(None)

    screen.app.push_screen(DiscardScreen(question, discard, keep_editing), answered)
