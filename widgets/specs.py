"""What a form, a choice, a list or a detail is given: plain data, no Textual.

The screens that show them (``form.py``, ``choice_modal.py``, ``table_screen.py``, ``detail.py``)
are imported when the first of them opens, not before the dashboard's first frame: a panel builds
its forms' fields and its lists' keys from these alone. tests/test_architecture.py's
``test_the_first_frame_needs_no_form_list_or_detail_screen`` checks that the dashboard's first
frame is written with none of those screens imported.

Each dataclass here is made with its ``__init__`` alone: every method a dataclass generates is
compiled as this module is imported, before the first frame, and these are never compared, shown
or changed once made (``dataclasses.replace`` makes a changed copy). Frozen, each cost ~1.6 M
instructions more, for the two methods that refuse a change.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, NamedTuple

if TYPE_CHECKING:
    from rich.text import Text

Kind = Literal["text", "number", "choice", "picker"]


@dataclass(eq=False, repr=False)  # only its __init__ compiled (see above)
class FieldSpec:
    """One field: ``key`` names its value in ``values()``; ``kind`` picks the input widget."""

    key: str
    label: str
    kind: Kind = "text"
    options: Sequence[tuple[str, str]] = ()  # (value, label) for choice and picker
    value: str = ""
    placeholder: str = ""  # an instruction for the empty field ("type to filter", "kept unless typed")
    example: str = ""  # a value to copy the shape of ("150"): shown, when empty, as the form's "e.g. 150"
    max_length: int = 0  # the most characters the field takes (0: no limit); counted, never cut
    # Free text counts what it holds beside its label (12/80); a field of a fixed shape (a time, a
    # date, a phone) keeps its limit but shows a count only once over it (11/8, red).
    counted: bool = True
    # What this field's value, as typed, puts in other fields ({key: value}), or None to leave them:
    # a field the officer has typed in since it was last filled keeps what was typed.
    fills: Callable[[str], Mapping[str, str] | None] | None = None
    # A picker that lists only the options lying within the value chosen in a choice field: (that
    # field's key, each option's value there), as a grid within its community; all while none is chosen.
    within: tuple[str, Mapping[str, str]] | None = None


@dataclass(eq=False, repr=False)  # only its __init__ compiled (see above)
class FormTexts:
    """Every word the form shows besides the fields, given by the caller (widgets hold no catalogue)."""

    title: str
    confirm: str
    cancel: str
    subtitle: str = ""
    no_match: str = "—"
    # Esc with something typed: the question and its two answers (keeping is the default).
    discard_question: str = field(kw_only=True)
    discard: str = field(kw_only=True)
    keep_editing: str = field(kw_only=True)
    too_long: str = field(kw_only=True)  # beside a field over its limit; "{}" is the limit
    no_choice: str = field(kw_only=True)  # beside a picker whose text matches none of its rows; "{}" is the text
    example: str = field(default="{}", kw_only=True)  # an empty field's example ("e.g. {}"), never a value
    # Esc is named "back" in this form's Footer and help, not "cancel": a form whose step is itself a
    # cancel is closed with "back", as its close button (``cancel``) says.
    back: bool = field(default=False, kw_only=True)


class Choice(NamedTuple):
    """One choice: ``key`` is returned, ``label`` shown; ``needs_note`` refuses an empty note."""

    key: str
    label: str
    needs_note: bool = False


@dataclass(eq=False, repr=False)  # only its __init__ compiled (see above)
class ChoiceTexts:
    """Every word the modal shows, given by the caller (widgets hold no catalogue)."""

    title: str
    subtitle: str
    note: str
    note_required: str
    confirm: str
    cancel: str
    empty: str
    # Esc with a note typed asks first (its answers); a note over ``note_limit`` is refused with too_long.
    discard_question: str = field(kw_only=True)
    discard: str = field(kw_only=True)
    keep_editing: str = field(kw_only=True)
    too_long: str = field(kw_only=True)  # "{}" is the limit


class ListAction(NamedTuple):
    """A key a list offers: pressing ``key`` posts ``ActionRequested`` named ``name``."""

    key: str  # e.g. "v"
    name: str  # posted back, e.g. "visit"
    description: str  # shown in the border, e.g. "走访登记"
    # False: neither in the border nor in the keys' help, yet typed it still posts (and is refused
    # in words: a read-only desk's p, never granted there).
    offered: bool = True

    @property
    def binding_id(self) -> str:
        """Remappable like every other key: ``[keymap] "list.visit" = "f5"``."""
        return f"list.{self.name}"


@dataclass(eq=False, repr=False)  # only its __init__ compiled (see above)
class DetailContent:
    """What a detail shows: labelled ``fields``, then titled ``sections`` of lines."""

    title: str
    fields: Sequence[tuple[str, Text]]
    sections: Sequence[tuple[str, Sequence[Text]]] = field(default_factory=tuple)
    hint: str = ""
    subject: str = ""  # what the detail is about, e.g. "petitions:MK261128-001"
