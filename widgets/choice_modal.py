"""Pick one of a few choices, add a note, confirm. Returns ``(choice key, note)`` or None; or, kept
open (``keep_open``), posts ``Confirmed`` and stays until the caller dismisses it or says why not."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from .discard import close_or_ask
from .help_key import HELP_KEY, toggle_help
from .line_input import LineInput
from .phrases import Phrases
from .screen_footer import CompactFooter
from .specs import Choice as Choice, ChoiceTexts as ChoiceTexts


class ChoiceModal(ModalScreen[tuple[str, str] | None]):
    """A list of choices, a note and confirm/cancel; Tab and Shift+Tab move between them."""

    DEFAULT_CSS = """
    ChoiceModal {
        align: center middle;
    }
    ChoiceModal #choice-box {
        width: 60;
        max-width: 95%;
        height: auto;
        max-height: 90%;
        border: thick $accent;
        padding: 0 1;
        background: $surface;
    }
    /* The title and the foot (notice, error, buttons) stay in view; the rest scrolls between them. */
    ChoiceModal #choice-title {
        dock: top;
        text-style: bold;
    }
    ChoiceModal #choice-foot {
        dock: bottom;
        height: auto;
    }
    ChoiceModal #choice-body {
        height: auto;
        max-height: 100%;  /* of what the title and the foot leave */
    }
    ChoiceModal #choice-notice {
        color: $warning;
        text-style: bold;
        display: none;
    }
    ChoiceModal #choice-notice.-shown {
        display: block;
    }
    ChoiceModal #choice-list {
        height: auto;
        max-height: 10;
        margin: 1 0;
    }
    ChoiceModal #choice-error {
        color: $error;
        height: auto;
    }
    ChoiceModal #choice-buttons {
        height: auto;
        align-horizontal: right;
    }
    ChoiceModal #choice-buttons Button {
        margin-left: 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="modal.cancel"),
        Binding("tab", "focus_next", "Next field", show=False, id="modal.next"),
        Binding("shift+tab", "focus_previous", "Previous field", show=False, id="modal.previous"),
        HELP_KEY,
    ]

    class Confirmed(Message):
        """A confirmed choice of a modal kept open: the caller acts on it, then dismisses the modal
        or shows why not (``show_error``)."""

        def __init__(self, modal: ChoiceModal, answer: tuple[str, str]) -> None:
            super().__init__()
            self.modal = modal
            self.answer = answer

    class Marked(Message):
        """The modal shows why the choice was not taken (as ``FormScreen.Marked``)."""

        def __init__(self, modal: ChoiceModal) -> None:
            super().__init__()
            self.modal = modal

    def __init__(
        self, choices: Sequence[Choice], texts: ChoiceTexts, *, note_limit: int = 0, keep_open: bool = False
    ) -> None:
        """A modal offering ``choices`` (the first highlighted) with the words of ``texts``; the note
        takes at most ``note_limit`` characters (0: any), counted and refused, never cut. ``keep_open``:
        a confirmed choice is posted (``Confirmed``), the modal stays until the caller closes it."""
        super().__init__(classes="choice-modal")
        self.choices = list(choices)
        self.texts = texts
        self.note_limit = note_limit
        self.keep_open = keep_open
        self.notice = ""  # what the caller said has changed since the modal opened (``show_notice``)

    def compose(self) -> ComposeResult:
        """Title, the choices and the note (or a line saying there are none), then the notice, the
        error and the buttons: the title and the buttons stay in view, the choices scroll between them."""
        with Vertical(id="choice-box"):
            yield Static(self.texts.title, id="choice-title", markup=False)
            with VerticalScroll(id="choice-body", can_focus=False):
                yield Static(self.texts.subtitle, id="choice-subtitle", markup=False)
                if self.choices:
                    yield OptionList(*[Option(Content(c.label), id=c.key) for c in self.choices], id="choice-list")
                    yield LineInput(placeholder=self.texts.note, id="choice-note")  # no max_length: never cut
                else:
                    yield Static(self.texts.empty, id="choice-empty", markup=False)
            with Vertical(id="choice-foot"):
                yield Static(
                    Phrases(self.notice), id="choice-notice", classes="-shown" if self.notice else "", markup=False
                )
                yield Static("", id="choice-error", markup=False)
                with Horizontal(id="choice-buttons"):
                    if self.choices:
                        yield Button(self.texts.confirm, variant="primary", id="choice-confirm")
                    yield Button(self.texts.cancel, id="choice-cancel")
        yield CompactFooter()  # this screen's own keys, not the dashboard's behind it

    def on_mount(self) -> None:
        """Highlight and focus the first choice."""
        if self.choices:
            option_list = self.query_one(OptionList)
            option_list.highlighted = 0
            option_list.focus()
            self._show_note_hint()

    def show_notice(self, text: str) -> None:
        """A line above the buttons, in view however the choices are scrolled (the caller's words:
        another desk changed what is chosen for);
        the note typed stays. "" hides it."""
        self.notice = text
        for line in self.query("#choice-notice").results(Static):  # none before the modal is composed
            line.update(Phrases(text))
            line.set_class(bool(text), "-shown")
            self.call_after_refresh(self._focused_in_view)

    @on(events.DescendantFocus)
    def _focus_moved(self) -> None:
        self.call_after_refresh(self._focused_in_view)

    def _focused_in_view(self) -> None:
        """What is being chosen or typed scrolled into view on the layout as it is now (a line shown
        above the buttons takes its room from the choices)."""
        focused = self.focused
        if focused is not None and focused.is_attached:
            focused.scroll_visible(animate=False)

    def show_subtitle(self, text: str) -> None:
        """The line under the title, anew (the state the choices start from, as it is now)."""
        self.texts = replace(self.texts, subtitle=text)
        for line in self.query("#choice-subtitle").results(Static):
            line.update(text)

    def renew(self, choices: Sequence[Choice]) -> None:
        """Offer ``choices`` instead (what is legal now): the highlighted choice stays highlighted if
        it is still offered, and the note typed stays, so does a line saying why a choice was not
        taken. With none left, the list says so (``texts.empty``) and confirming does nothing."""
        before = self.selected if self.query("#choice-list") else None  # (none before the modal is composed)
        self.choices = list(choices)
        for options in self.query("#choice-list").results(OptionList):
            with self.prevent(OptionList.OptionHighlighted):  # (which clears the error line)
                options.clear_options()
                if self.choices:
                    options.add_options([Option(Content(c.label), id=c.key) for c in self.choices])
                    keys = [c.key for c in self.choices]
                    options.highlighted = keys.index(before.key) if before is not None and before.key in keys else 0
                else:
                    options.add_option(Option(Content(self.texts.empty), disabled=True))
            self._show_note_hint()

    @property
    def selected(self) -> Choice | None:
        """The highlighted choice, or None when there is none."""
        if not self.choices:
            return None
        index = self.query_one(OptionList).highlighted
        return None if index is None or index >= len(self.choices) else self.choices[index]

    def _show_note_hint(self) -> None:
        choice = self.selected
        note = self.query_one("#choice-note", Input)
        note.placeholder = self.texts.note_required if choice and choice.needs_note else self.texts.note

    @on(OptionList.OptionHighlighted)
    def _highlighted(self) -> None:
        self._show_note_hint()
        self.query_one("#choice-error", Static).update("")

    def show_error(self, text: str) -> None:
        """Why the choice confirmed was not taken (the caller's words), above the buttons; the
        choice and the note stay."""
        self.query_one("#choice-error", Static).update(Phrases(text))
        if text:
            self.post_message(self.Marked(self))
        self.call_after_refresh(self._focused_in_view)

    @on(OptionList.OptionSelected)
    def _selected(self) -> None:
        self.query_one("#choice-note", Input).focus()

    def action_focus_next(self) -> None:
        """Tab: the list, the note, then the buttons."""
        self.focus_next()

    def action_focus_previous(self) -> None:
        """Shift+Tab: back through the buttons, the note and the list."""
        self.focus_previous()

    @on(Input.Submitted)
    @on(Button.Pressed, "#choice-confirm")
    def action_confirm(self) -> None:
        """Return ``(choice key, note)`` (post it, kept open), unless the choice needs a note and none was given."""
        choice = self.selected
        if choice is None:
            return
        note = self.query_one("#choice-note", Input).value
        refusal = ""
        if choice.needs_note and not note.strip():
            refusal = self.texts.note_required
        elif self.note_limit and len(note) > self.note_limit:
            refusal = f"{len(note)}/{self.note_limit} " + self.texts.too_long.format(self.note_limit)
        if refusal:
            self.query_one("#choice-error", Static).update(Phrases(refusal))
            self.query_one("#choice-note", Input).focus()
            self.call_after_refresh(self._focused_in_view)
            return
        if self.keep_open:
            self.post_message(self.Confirmed(self, (choice.key, note)))
        else:
            self.dismiss((choice.key, note))

    @property
    def touched(self) -> bool:
        """A note was typed (moving through the choices costs nothing to do again)."""
        return any(note.value for note in self.query("#choice-note").results(Input))

    def action_toggle_help(self) -> None:
        """F1: the keys of this modal (`?` would be typed into the note)."""
        toggle_help(self)

    @on(Button.Pressed, "#choice-cancel")
    def action_cancel(self) -> None:
        """Close without a choice: at once, or after asking if a note was typed."""
        texts = self.texts
        close_or_ask(self, self.touched, texts.discard_question, texts.discard, texts.keep_editing)
