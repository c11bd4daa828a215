"""Pick one of a few choices, add a note, confirm. Returns ``(choice key, note)`` or None."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option


@dataclass(frozen=True)
class Choice:
    key: str
    label: str
    needs_note: bool = False


@dataclass(frozen=True)
class ChoiceTexts:
    """Every word the modal shows, given by the caller (widgets hold no catalogue)."""

    title: str
    subtitle: str
    note: str
    note_required: str
    confirm: str
    cancel: str
    empty: str


class ChoiceModal(ModalScreen[tuple[str, str] | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="modal.cancel")]

    def __init__(self, choices: Sequence[Choice], texts: ChoiceTexts) -> None:
        super().__init__(classes="choice-modal")
        self.choices = list(choices)
        self.texts = texts

    def compose(self) -> ComposeResult:
        with Vertical(id="choice-box"):
            yield Static(self.texts.title, id="choice-title", markup=False)
            yield Static(self.texts.subtitle, id="choice-subtitle", markup=False)
            if self.choices:
                yield OptionList(*[Option(c.label, id=c.key) for c in self.choices], id="choice-list")
                yield Input(placeholder=self.texts.note, id="choice-note", max_length=2000)
            else:
                yield Static(self.texts.empty, id="choice-empty", markup=False)
            yield Static("", id="choice-error", markup=False)
            with Horizontal(id="choice-buttons"):
                if self.choices:
                    yield Button(self.texts.confirm, variant="primary", id="choice-confirm")
                yield Button(self.texts.cancel, id="choice-cancel")

    def on_mount(self) -> None:
        if self.choices:
            option_list = self.query_one(OptionList)
            option_list.highlighted = 0
            option_list.focus()
            self._show_note_hint()

    @property
    def selected(self) -> Choice | None:
        if not self.choices:
            return None
        index = self.query_one(OptionList).highlighted
        return None if index is None else self.choices[index]

    def _show_note_hint(self) -> None:
        choice = self.selected
        note = self.query_one("#choice-note", Input)
        note.placeholder = self.texts.note_required if choice and choice.needs_note else self.texts.note

    @on(OptionList.OptionHighlighted)
    def _highlighted(self) -> None:
        self._show_note_hint()
        self.query_one("#choice-error", Static).update("")

    @on(OptionList.OptionSelected)
    def _selected(self) -> None:
        self.query_one("#choice-note", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#choice-confirm")
    def action_confirm(self) -> None:
        choice = self.selected
        if choice is None:
            return
        note = self.query_one("#choice-note", Input).value
        if choice.needs_note and not note.strip():
            self.query_one("#choice-error", Static).update(self.texts.note_required)
            self.query_one("#choice-note", Input).focus()
            return
        self.dismiss((choice.key, note))

    @on(Button.Pressed, "#choice-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
