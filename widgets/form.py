"""A keyboard form in a modal: text, choice and filter-as-you-type picker fields.

The form knows nothing of what it edits. On Enter (or the confirm button) it posts
``FormScreen.Submitted`` with the values; the caller validates them and either closes the form
(``dismiss``) or marks the bad fields inline (``show_errors``) and the form stays open, so
nothing is written until the whole form is valid.

Text is never cut: a field with a limit (``FieldSpec.max_length``, the model's own) takes
whatever is typed or pasted, counts it beside its label (``85/80``, red when over) and the form
refuses to submit until it fits. Esc on a form with something typed in it asks first
(``DiscardScreen``); on a form as it opened, Esc closes it at once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import ClassVar

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from .discard import close_or_ask
from .help_key import HELP_KEY, toggle_help
from .line_input import LineInput, shown_on_one_line
from .phrases import Phrases
from .screen_footer import CompactFooter
from .specs import FieldSpec as FieldSpec, FormTexts as FormTexts, Kind as Kind


@dataclass(eq=False, repr=False)  # never compared or shown: fewer methods to compile
class _Picker:
    options: Sequence[tuple[str, str]]
    chosen: str = ""
    shown: list[str] = field(default_factory=list)
    steered: bool = False  # ↑↓ moved in its list since it was last typed in: the highlighted row is meant
    within: tuple[str, Mapping[str, str]] | None = None  # (FieldSpec.within)


class FieldLabel(Widget):
    """A field's label, and at its right the field's length against its limit ("85/80").

    One widget for the whole line: a second widget beside the label would add an edge inside
    the line, and a drop-down opened over the form loses a Chinese character that straddles an
    edge of a widget beneath it (Textual's compositor cuts every line at every widget's edge).
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"field-label--counter", "field-label--over"}
    DEFAULT_CSS = """
    FieldLabel {
        width: 1fr;
        height: 1;
        color: $text-muted;
    }
    FieldLabel > .field-label--counter {
        color: $text-muted;
    }
    FieldLabel > .field-label--over {
        color: $error;
        text-style: bold;
    }
    """

    count: reactive[int] = reactive(0)

    def __init__(self, label: str, limit: int, *, counted: bool = True, id: str | None = None) -> None:
        super().__init__(id=id, classes="form-label")
        self.label = label
        self.limit = limit
        self.counted = counted  # False: a fixed shape (07:30), counted only once over its limit

    @property
    def over(self) -> bool:
        return bool(self.limit) and self.count > self.limit

    @property
    def counter(self) -> str:
        """What the counter shows: "" while the field is empty or has no limit (or, not counted, is within it)."""
        shown = self.limit and self.count and (self.counted or self.over)
        return f"{self.count}/{self.limit}" if shown else ""

    def render(self) -> RenderableType:
        label = Text(self.label, no_wrap=True, overflow="ellipsis", end="")
        if not self.counter:
            return label
        style = self.get_component_rich_style("field-label--over" if self.over else "field-label--counter")
        line = Table.grid(expand=True, padding=(0, 1))
        line.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        line.add_column(justify="right", no_wrap=True)
        line.add_row(label, Text(self.counter, style=style, end=""))
        return line


def matches(query: str, label: str, value: str) -> bool:
    """Every space-separated part of the query appears in the label or value (Chinese works as is)."""
    haystack = f"{label} {value}".casefold()
    return all(part in haystack for part in query.casefold().split())


DROP_DOWN_MOST = 12  # rows of a choice's opened list: Textual's own most
DROP_DOWN_LEAST = 5  # below its field: 3 options and the borders, else it is raised over the field


class FormScreen(ModalScreen[dict[str, str] | None]):
    """A modal form of labelled fields over a confirm and a cancel button.

    Tab and Shift+Tab move through the fields and then the buttons (a picker's list is driven
    from its input with Up/Down, so it is not a stop of its own); the fields scroll while the
    buttons stay in view, so a long form works at 80x24.
    """

    DEFAULT_CSS = """
    /* Compact one-line fields so an intake form fits 80x24 with little scrolling. */
    FormScreen {
        align: center middle;
    }
    FormScreen #form-box {
        width: 76;
        max-width: 98%;
        height: auto;
        max-height: 98%;
        border: thick $accent;
        background: $surface;
        padding: 0 1;
    }
    /* The title at the top and the foot (notice, error, buttons) at the bottom never scroll away:
       between them the subtitle and the fields take what is left and scroll (80x24 too). */
    FormScreen #form-title {
        dock: top;
        text-style: bold;
    }
    FormScreen #form-foot {
        dock: bottom;
        height: auto;
    }
    FormScreen #form-subtitle {
        color: $text-muted;
    }
    /* Another desk changed what the form edits: one line, until the form closes. */
    FormScreen #form-notice {
        color: $warning;
        text-style: bold;
        display: none;
    }
    FormScreen #form-notice.-shown {
        display: block;
    }
    FormScreen #form-fields {
        height: auto;
        max-height: 100%;  /* of what the title and the foot leave */
    }
    /* Under #form-fields: an id outranks Input's own ":focus" and ".-invalid" borders. */
    FormScreen #form-fields Input {
        height: 1;
        border: none;
        padding: 0 1;
        background: $boost;
    }
    FormScreen #form-fields Input:focus {
        background: $primary 30%;
    }
    /* An empty field's hint or example is never taken for a value typed there. */
    FormScreen #form-fields Input > .input--placeholder {
        color: $text-disabled;
        text-style: italic;
    }
    FormScreen #form-fields SelectCurrent {
        height: 1;
        border: none;
        padding: 0 1;
        background: $boost;
    }
    FormScreen #form-fields Select:focus > SelectCurrent {
        background: $primary 30%;
    }
    FormScreen #form-fields .form-options {
        height: auto;
        max-height: 5;
        border: none;
    }
    FormScreen .form-field {
        height: auto;
    }
    FormScreen .form-error {
        color: $error;
        height: auto;
        display: none;
    }
    FormScreen .form-error.-shown {
        display: block;
    }
    FormScreen #form-buttons {
        height: auto;
        align-horizontal: right;
    }
    FormScreen #form-buttons Button {
        margin-left: 1;
        min-width: 10;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        # Esc under one of two names, one shown (``check_action``): "back" where the form's own step
        # is a cancel (``FormTexts.back``). One id: a keymap moves both.
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
        Binding("escape", "back", "Back", id="form.cancel"),
        Binding("ctrl+s", "submit", "Confirm", id="form.submit"),
        Binding("tab", "focus_next", "Next field", show=False, id="form.next"),
        Binding("shift+tab", "focus_previous", "Previous field", show=False, id="form.previous"),
        HELP_KEY,
    ]

    class Submitted(Message):
        """Enter or the confirm button: the caller checks ``values`` and dismisses or shows errors."""

        def __init__(self, form: FormScreen, values: dict[str, str]) -> None:
            super().__init__()
            self.form = form
            self.values = values

    class Marked(Message):
        """The form shows why it was not saved (a field's reason or its own line): the status line
        beneath, saying an earlier write's success, no longer speaks for what is on screen."""

        def __init__(self, form: FormScreen) -> None:
            super().__init__()
            self.form = form

    def __init__(self, fields: Sequence[FieldSpec], texts: FormTexts, *, name: str | None = None) -> None:
        """A form of ``fields`` (in this order) with the words of ``texts``."""
        super().__init__(name=name, classes="form-screen")
        self.fields = list(fields)
        self.texts = texts
        self._pickers = {
            f.key: _Picker(f.options, chosen=f.value, within=f.within) for f in fields if f.kind == "picker"
        }
        self._as_opened: list[object] = []  # what the fields held when the form opened
        self._filled = {f.key: f.value for f in fields if f.kind in ("text", "number")}  # what each was last given
        self.notice = ""  # what the caller said has changed since the form opened (``show_notice``)

    def compose(self) -> ComposeResult:
        """The title; the subtitle, then each field under its label with a line for its error; then
        the notice, the form's error and the buttons. However many lines the subtitle, the notice and
        the errors take, the title and the buttons stay in view and the fields scroll between them
        (to the field being edited), at 80x24 too."""
        with Vertical(id="form-box"):
            yield Static(self.texts.title, id="form-title", markup=False)
            with VerticalScroll(id="form-fields", can_focus=False):
                if self.texts.subtitle:
                    yield Static(Phrases(self.texts.subtitle), id="form-subtitle", markup=False)
                for spec in self.fields:
                    with Vertical(id=f"group-{spec.key}", classes="form-field"):
                        yield FieldLabel(
                            spec.label,
                            spec.max_length if spec.kind == "text" else 0,
                            counted=spec.counted,
                            id=f"label-{spec.key}",
                        )
                        yield from self._field(spec)
                        yield Static("", id=f"error-{spec.key}", classes="form-error", markup=False)
            with Vertical(id="form-foot"):
                yield Static(
                    Phrases(self.notice), id="form-notice", classes="-shown" if self.notice else "", markup=False
                )
                yield Static("", id="form-error", classes="form-error", markup=False)
                with Horizontal(id="form-buttons"):
                    yield Button(self.texts.confirm, variant="primary", id="form-confirm")
                    yield Button(self.texts.cancel, id="form-cancel")
        yield CompactFooter()  # this screen's own keys, not the dashboard's behind it

    def _field(self, spec: FieldSpec) -> ComposeResult:
        if spec.kind == "choice":
            yield Select(
                [(Content(label), value) for value, label in spec.options],  # words as typed: no markup
                value=spec.value if spec.value else Select.NULL,
                id=f"field-{spec.key}",
                allow_blank=not spec.value,
                prompt=spec.placeholder or "—",
            )
        elif spec.kind == "picker":
            chosen = dict(spec.options).get(spec.value, "")
            yield LineInput(value=chosen, placeholder=spec.placeholder, id=f"field-{spec.key}")
            options = OptionList(id=f"options-{spec.key}", classes="form-options")
            options.can_focus = False  # driven from the picker's input: not a Tab stop of its own
            yield options
        else:
            yield LineInput(
                value=shown_on_one_line(spec.value),
                placeholder=spec.placeholder or (self.texts.example.format(spec.example) if spec.example else ""),
                # A number too is typed as text: an integer-only box drops what is not a digit,
                # so "4.5" became 45; the caller refuses what is not a whole number, with the reason.
                type="text",
                id=f"field-{spec.key}",  # no max_length: Textual would cut a paste silently
            )

    def on_mount(self) -> None:
        """Fill the pickers, count what is filled in, and focus the first field."""
        for key in self._pickers:
            self._refill(key, "")
            self._close_list(key)  # a value given beforehand shows alone, as one chosen does
        for spec in self.fields:
            if spec.kind == "text":
                self._count(spec.key, self.query_one(f"#field-{spec.key}", Input).value)
        self._as_opened = self._held()
        for select in self.query(Select):
            self.watch(select, "expanded", self._opens(select))
        first = self.query(f"#field-{self.fields[0].key}") if self.fields else None
        if first:
            # Textual's scroll on focus (animated, on the layout of the moment) left the form one line
            # down, its first label hidden: the top is where the form starts (its subtitle, then the
            # first field), and the field is scrolled to, if need be, once the layout is done.
            first.first().focus(scroll_visible=False)
            self.call_after_refresh(self.query_one("#form-fields", VerticalScroll).scroll_home, animate=False)

    def _opens(self, select: Select[str]) -> Callable[[bool], None]:
        def opened(expanded: bool) -> None:
            if expanded:
                self._fit_drop_down(select)

        return opened

    def _fit_drop_down(self, select: Select[str]) -> None:
        """A choice's options opened below it whatever the room: at 80x24 the 社区 list of 登记 ran
        past the screen's last line, over the Footer, its last options never seen (Textual keeps the
        overlay inside the form's scrolled fields, not inside the screen). Now it ends above the
        Footer: as tall as its options where there is room, else as tall as the room (it scrolls to
        each option the cursor keys reach); where even 3 do not fit below, it is raised over the field."""
        overlay = select.query_one("SelectOverlay", OptionList)
        below = select.query_one("SelectCurrent").region.bottom
        limit = self.query_one(CompactFooter).region.y or self.size.height
        room = limit - below
        wanted = min(DROP_DOWN_MOST, overlay.option_count + 2)  # its options and its two borders
        if room >= min(wanted, DROP_DOWN_LEAST):
            overlay.styles.max_height = min(wanted, room)
            overlay.styles.offset = (0, 0)
        else:
            height = min(wanted, limit)
            overlay.styles.max_height = height
            overlay.styles.offset = (0, room - height)

    # -- pickers -----------------------------------------------------------------

    def _offered(self, key: str) -> Sequence[tuple[str, str]]:
        """A picker's options; of one ``within`` a choice, those within the value chosen there
        now (read from the field as the list is filled: chosen in the same burst, it counts)."""
        picker = self._pickers[key]
        if picker.within is None:
            return picker.options
        choice_key, lies_in = picker.within
        chosen = self.query_one(f"#field-{choice_key}", Select).value
        if chosen is Select.NULL or chosen is None:
            return picker.options
        return [(v, lbl) for v, lbl in picker.options if lies_in.get(v) == chosen]

    def _refill(self, key: str, query: str) -> None:
        picker = self._pickers[key]
        hits = [(v, lbl) for v, lbl in self._offered(key) if matches(query, lbl, v)][:50]
        picker.shown = [v for v, _ in hits]
        options = self.query_one(f"#options-{key}", OptionList)
        options.clear_options()
        if hits:
            options.add_options([Option(Content(lbl), id=v) for v, lbl in hits])  # as typed: no markup
            options.highlighted = picker.shown.index(picker.chosen) if picker.chosen in picker.shown else 0
        else:
            options.add_option(Option(self.texts.no_match, disabled=True))

    def _close_list(self, key: str) -> None:
        """A picker with a row chosen shows the choice alone: its list, left open under it (all of
        it, highlighting another row), read as a choice still to make, and after a refused save
        (迁户 to a grid where the address is taken) stood open beside the reason."""
        self.query_one(f"#options-{key}", OptionList).display = not self._pickers[key].chosen

    def _open_list(self, key: str) -> None:
        """↑ or ↓ on a closed picker opens its whole list at the row chosen; from then on, as while
        typing, the highlighted row is the one Enter takes."""
        self._pickers[key].chosen = ""
        self.query_one(f"#options-{key}", OptionList).display = True
        self.call_after_refresh(self._focused_in_view)

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        key = (event.input.id or "").removeprefix("field-")
        self._count(key, event.value)
        self._clear_error(key)
        self._fill_from(key, event.value)
        if key in self._pickers:
            picker = self._pickers[key]
            labels = dict(picker.options)
            if labels.get(picker.chosen) != event.value:
                picker.chosen = ""  # typing again un-chooses until a row is picked
            picker.steered = False
            self._refill(key, event.value if not picker.chosen else "")
            self._close_list(key)  # open while typing
            self.call_after_refresh(self._focused_in_view)  # its matches, as many as there are now

    def _fill_from(self, key: str, value: str) -> None:
        """The fields ``key``'s value fills (``FieldSpec.fills``), set at once: a key typed next, in
        the same burst, finds them filled, as it would typed slowly."""
        spec = next((f for f in self.fields if f.key == key), None)
        filled = spec.fills(value) if spec is not None and spec.fills is not None else None
        for other, given in (filled or {}).items():
            field = self.query_one(f"#field-{other}", Input)
            if field.value == self._filled.get(other, ""):  # not typed in since it was filled
                self._filled[other] = given
                field.value = given
                self._count(other, given)

    @on(Select.Changed)
    def _selected(self, event: Select.Changed) -> None:
        key = (event.select.id or "").removeprefix("field-")
        self._clear_error(key)
        for other, picker in self._pickers.items():
            if picker.within is not None and picker.within[0] == key:  # its list, of what is chosen now
                self._refill(other, "" if picker.chosen else self.query_one(f"#field-{other}", Input).value)

    def on_key(self, event: events.Key) -> None:
        """Up/Down in a picker's input move in its list, so a choice needs no mouse."""
        focused = self.focused
        if not isinstance(focused, Input) or event.key not in ("up", "down"):
            return
        key = (focused.id or "").removeprefix("field-")
        if key not in self._pickers:
            return
        options = self.query_one(f"#options-{key}", OptionList)
        if not options.display:
            self._open_list(key)
        elif options.option_count:
            options.action_cursor_down() if event.key == "down" else options.action_cursor_up()
            self._pickers[key].steered = True
        else:
            return
        event.stop()
        event.prevent_default()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        key = (event.option_list.id or "").removeprefix("options-")
        if key in self._pickers and event.option.id is not None:
            self._choose(key, event.option.id)

    def _settle(self, key: str) -> None:
        """A picker typed in or moved in with ↑↓ and left unchosen takes its highlighted row, as a
        person would expect (the first row highlighted as it opens is no choice): on Enter, and on
        leaving it (Tab), where the part typed stood, its list open, and the save took the top match
        unseen. The row takes the field, so what is saved is what is shown."""
        picker = self._pickers[key]
        options = self.query_one(f"#options-{key}", OptionList)
        typed = self.query_one(f"#field-{key}", Input).value
        if not picker.chosen and (typed or picker.steered) and options.highlighted is not None and picker.shown:
            self._choose(key, picker.shown[options.highlighted])

    def unmatched(self) -> dict[str, str]:
        """Every picker whose text matches none of its rows, with the reason naming the text: a save
        took it for no choice at all (an intake saved without its grid, 迁户 said 必填 to a grid typed)."""
        return {
            key: self.texts.no_choice.format(typed)
            for key, picker in self._pickers.items()
            if not picker.chosen and (typed := self.query_one(f"#field-{key}", Input).value.strip())
        }

    def _choose(self, key: str, value: str) -> None:
        picker = self._pickers[key]
        picker.chosen = value
        with self.prevent(Input.Changed):
            self.query_one(f"#field-{key}", Input).value = dict(picker.options)[value]
        self._refill(key, "")
        self._close_list(key)
        self._clear_error(key)

    # -- lengths -----------------------------------------------------------------------

    def _count(self, key: str, value: str) -> None:
        for label in self.query(f"#label-{key}").results(FieldLabel):
            label.count = len(value)
            if label.limit and self.is_mounted:  # the counter stays in view while typing
                self.query_one(f"#group-{key}").scroll_visible(animate=False)

    def too_long(self) -> dict[str, str]:
        """Every field over its limit, with the reason naming the limit."""
        return {
            label.id.removeprefix("label-"): self.texts.too_long.format(label.limit)
            for label in self.query(FieldLabel)
            if label.over and label.id
        }

    def _held(self) -> list[object]:
        """What each field holds now, as typed (a picker's text too, chosen or not)."""
        return [
            self.query_one(f"#field-{spec.key}", Select).value
            if spec.kind == "choice"
            else self.query_one(f"#field-{spec.key}", Input).value
            for spec in self.fields
        ]

    @property
    def touched(self) -> bool:
        """Something was typed or chosen since the form opened."""
        return self.is_mounted and self._held() != self._as_opened

    # -- values and errors -------------------------------------------------------------

    def values(self) -> dict[str, str]:
        """What the fields hold now, by key (a picker gives its chosen value, "" if none)."""
        out: dict[str, str] = {}
        for spec in self.fields:
            if spec.kind == "picker":
                self._settle(spec.key)
                out[spec.key] = self._pickers[spec.key].chosen
            elif spec.kind == "choice":
                value = self.query_one(f"#field-{spec.key}", Select).value
                out[spec.key] = "" if value is Select.NULL or value is None else str(value)
            else:
                typed = self.query_one(f"#field-{spec.key}", Input).value
                # A value of several lines shown on one, left as shown: the value as given, its lines kept.
                out[spec.key] = spec.value if typed == shown_on_one_line(spec.value) else typed
        return out

    def show_errors(self, errors: dict[str, str], general: str = "") -> None:
        """Mark each bad field with its reason and focus the first; clear the others."""
        first = None
        for spec in self.fields:
            message = errors.get(spec.key, "")
            box = self.query_one(f"#error-{spec.key}", Static)
            box.update(Phrases(message))
            box.set_class(bool(message), "-shown")
            if message and first is None:
                first = spec.key
        general_box = self.query_one("#form-error", Static)
        general_box.update(Phrases(general))
        general_box.set_class(bool(general), "-shown")
        if general or any(errors.values()):
            self.post_message(self.Marked(self))
        if first is not None:
            self.query_one(f"#field-{first}").focus()
        self.call_after_refresh(self._focused_in_view)

    def _clear_error(self, key: str) -> None:
        """A field's reason goes as soon as what it holds changes (the officer has acted on it); the
        other fields' reasons and the form's own line stay until the next save judges them."""
        for box in self.query(f"#error-{key}").results(Static):
            if box.has_class("-shown"):
                box.update("")
                box.remove_class("-shown")

    @on(events.DescendantFocus)
    def _focus_moved(self) -> None:
        for key in self._pickers:  # a picker left behind takes the row it shows highlighted
            if self.focused is None or self.focused.id != f"field-{key}":
                self._settle(key)
        self.call_after_refresh(self._focused_in_view)

    def _focused_in_view(self) -> None:
        """The field being edited scrolled into view on the layout as it is now: Textual scrolls to a
        field as it is focused, on the layout of that moment, and a line shown above the buttons
        (a notice, an error) takes its room from the fields. A picker's matches come into view with
        its box, and a field's reason with the field (the last field's, at 80x24, was below the view)."""
        focused = self.focused
        if focused is not None and focused.is_attached:
            key = (focused.id or "").removeprefix("field-")
            refused = any(box.has_class("-shown") for box in self.query(f"#error-{key}"))
            if key in self._pickers or refused:  # a picker's matches: ↑↓ and Enter choose among them
                self.query_one(f"#group-{key}").scroll_visible(animate=False)
            else:
                focused.scroll_visible(animate=False)

    def show_subtitle(self, text: str) -> None:
        """The line under the title, anew (what the form is about, as it is now)."""
        self.texts = replace(self.texts, subtitle=text)
        for line in self.query("#form-subtitle").results(Static):  # a form opened without one has none
            line.update(Phrases(text))

    def show_notice(self, text: str) -> None:
        """A line above the buttons, in view however the fields are scrolled (the caller's words:
        another desk changed what the form edits, the subtitle above shows it as it is now);
        the fields, what is typed in them and their errors stay as they are. "" hides it."""
        self.notice = text
        for line in self.query("#form-notice").results(Static):  # none before the form is composed
            line.update(Phrases(text))
            line.set_class(bool(text), "-shown")
            self.call_after_refresh(self._focused_in_view)

    def action_focus_next(self) -> None:
        """Tab: the next field or button (after the last, the first again)."""
        self.focus_next()

    def action_focus_previous(self) -> None:
        """Shift+Tab: the previous field or button."""
        self.focus_previous()

    @on(Input.Submitted)
    @on(Button.Pressed, "#form-confirm")
    def action_submit(self) -> None:
        """Post ``Submitted`` with the values; the form stays open until the caller dismisses it.

        A field over its limit, or a picker whose text matches none of its rows, is refused here,
        beside the field, and nothing is posted.
        """
        values = self.values()
        refused = self.too_long() | self.unmatched()
        if refused:
            self.show_errors(refused)
            return
        self.post_message(self.Submitted(self, values))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Esc is bound as "cancel" or as "back" (``FormTexts.back``): the other is neither shown nor run."""
        if action in ("cancel", "back"):
            return (action == "back") == self.texts.back
        return True

    @on(Button.Pressed, "#form-cancel")
    def action_cancel(self) -> None:
        """Close the form without values: at once if nothing was typed, else after asking."""
        texts = self.texts
        close_or_ask(self, self.touched, texts.discard_question, texts.discard, texts.keep_editing)

    def action_back(self) -> None:
        """Esc where the form's step is itself a cancel: as ``action_cancel``."""
        self.action_cancel()

    def action_toggle_help(self) -> None:
        """F1: the keys of this form (`?` would be typed into a field)."""
        toggle_help(self)
