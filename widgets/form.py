"""A keyboard form in a modal: text, choice and filter-as-you-type picker fields.

The form knows nothing of what it edits. On Enter (or the confirm button) it posts
``FormScreen.Submitted`` with the values; the caller validates them and either closes the form
(``dismiss``) or marks the bad fields inline (``show_errors``) and the form stays open, so
nothing is written until the whole form is valid.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

Kind = Literal["text", "number", "choice", "picker"]


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str
    kind: Kind = "text"
    options: Sequence[tuple[str, str]] = ()  # (value, label) for choice and picker
    value: str = ""
    placeholder: str = ""
    max_length: int = 0


@dataclass(frozen=True)
class FormTexts:
    title: str
    confirm: str
    cancel: str
    subtitle: str = ""
    no_match: str = "—"


@dataclass
class _Picker:
    options: Sequence[tuple[str, str]]
    chosen: str = ""
    shown: list[str] = field(default_factory=list)


def matches(query: str, label: str, value: str) -> bool:
    """Every space-separated part of the query appears in the label or value (Chinese works as is)."""
    haystack = f"{label} {value}".casefold()
    return all(part in haystack for part in query.casefold().split())


class FormScreen(ModalScreen[dict[str, str] | None]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
        Binding("ctrl+s", "submit", "Confirm", id="form.submit"),
    ]

    class Submitted(Message):
        def __init__(self, form: FormScreen, values: dict[str, str]) -> None:
            super().__init__()
            self.form = form
            self.values = values

    def __init__(self, fields: Sequence[FieldSpec], texts: FormTexts, *, name: str | None = None) -> None:
        super().__init__(name=name, classes="form-screen")
        self.fields = list(fields)
        self.texts = texts
        self._pickers = {f.key: _Picker(f.options, chosen=f.value) for f in fields if f.kind == "picker"}

    def compose(self) -> ComposeResult:
        with Vertical(id="form-box"):
            yield Static(self.texts.title, id="form-title", markup=False)
            if self.texts.subtitle:
                yield Static(self.texts.subtitle, id="form-subtitle", markup=False)
            with VerticalScroll(id="form-fields"):
                for spec in self.fields:
                    yield Label(spec.label, classes="form-label")
                    yield from self._field(spec)
                    yield Static("", id=f"error-{spec.key}", classes="form-error", markup=False)
            yield Static("", id="form-error", classes="form-error", markup=False)
            with Horizontal(id="form-buttons"):
                yield Button(self.texts.confirm, variant="primary", id="form-confirm")
                yield Button(self.texts.cancel, id="form-cancel")

    def _field(self, spec: FieldSpec) -> ComposeResult:
        if spec.kind == "choice":
            yield Select(
                [(label, value) for value, label in spec.options],
                value=spec.value if spec.value else Select.NULL,
                id=f"field-{spec.key}",
                allow_blank=not spec.value,
                prompt=spec.placeholder or "—",
            )
        elif spec.kind == "picker":
            chosen = dict((v, lbl) for v, lbl in spec.options).get(spec.value, "")
            yield Input(value=chosen, placeholder=spec.placeholder, id=f"field-{spec.key}")
            options = OptionList(id=f"options-{spec.key}", classes="form-options")
            options.can_focus = False  # driven from the picker's input: not a Tab stop of its own
            yield options
        else:
            yield Input(
                value=spec.value,
                placeholder=spec.placeholder,
                type="integer" if spec.kind == "number" else "text",
                max_length=spec.max_length,
                id=f"field-{spec.key}",
            )

    def on_mount(self) -> None:
        for key in self._pickers:
            self._refill(key, "")
        first = self.query(f"#field-{self.fields[0].key}") if self.fields else None
        if first:
            first.first().focus()

    # -- pickers -----------------------------------------------------------------

    def _refill(self, key: str, query: str) -> None:
        picker = self._pickers[key]
        hits = [(v, lbl) for v, lbl in picker.options if matches(query, lbl, v)][:50]
        picker.shown = [v for v, _ in hits]
        options = self.query_one(f"#options-{key}", OptionList)
        options.clear_options()
        if hits:
            options.add_options([Option(lbl, id=v) for v, lbl in hits])
            options.highlighted = 0
        else:
            options.add_option(Option(self.texts.no_match, disabled=True))

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        key = (event.input.id or "").removeprefix("field-")
        if key in self._pickers:
            picker = self._pickers[key]
            labels = dict(picker.options)
            if labels.get(picker.chosen) != event.value:
                picker.chosen = ""  # typing again un-chooses until a row is picked
            self._refill(key, event.value if not picker.chosen else "")

    def on_key(self, event) -> None:  # noqa: ANN001 - textual.events.Key
        """Up/Down in a picker's input move in its list, so a choice needs no mouse."""
        focused = self.focused
        if not isinstance(focused, Input) or event.key not in ("up", "down"):
            return
        key = (focused.id or "").removeprefix("field-")
        if key not in self._pickers:
            return
        options = self.query_one(f"#options-{key}", OptionList)
        if options.option_count:
            options.action_cursor_down() if event.key == "down" else options.action_cursor_up()
            event.stop()
            event.prevent_default()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        key = (event.option_list.id or "").removeprefix("options-")
        if key in self._pickers and event.option.id is not None:
            self._choose(key, event.option.id)

    def _choose(self, key: str, value: str) -> None:
        picker = self._pickers[key]
        picker.chosen = value
        with self.prevent(Input.Changed):
            self.query_one(f"#field-{key}", Input).value = dict(picker.options)[value]
        self._refill(key, "")

    # -- values and errors -------------------------------------------------------------

    def values(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for spec in self.fields:
            if spec.kind == "picker":
                picker = self._pickers[spec.key]
                if not picker.chosen:
                    # Enter on a picker takes its highlighted row, as a person would expect.
                    options = self.query_one(f"#options-{spec.key}", OptionList)
                    typed = self.query_one(f"#field-{spec.key}", Input).value
                    if typed and options.highlighted is not None and picker.shown:
                        self._choose(spec.key, picker.shown[options.highlighted])
                out[spec.key] = picker.chosen
            elif spec.kind == "choice":
                value = self.query_one(f"#field-{spec.key}", Select).value
                out[spec.key] = "" if value is Select.NULL or value is None else str(value)
            else:
                out[spec.key] = self.query_one(f"#field-{spec.key}", Input).value
        return out

    def show_errors(self, errors: dict[str, str], general: str = "") -> None:
        """Mark each bad field with its reason and focus the first; clear the others."""
        first = None
        for spec in self.fields:
            message = errors.get(spec.key, "")
            box = self.query_one(f"#error-{spec.key}", Static)
            box.update(message)
            box.set_class(bool(message), "-shown")
            if message and first is None:
                first = spec.key
        general_box = self.query_one("#form-error", Static)
        general_box.update(general)
        general_box.set_class(bool(general), "-shown")
        if first is not None:
            self.query_one(f"#field-{first}").focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#form-confirm")
    def action_submit(self) -> None:
        self.post_message(self.Submitted(self, self.values()))

    @on(Button.Pressed, "#form-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
