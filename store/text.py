"""Validated text types shared by every model.

Control characters are refused on the way in (an ESC byte in a petition could drive the
duty officer's terminal). What is stored is shown literally later: `display_safe` turns
any control character that somehow reached the store into a visible escape.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import AfterValidator, BaseModel, BeforeValidator, StringConstraints

from .refusal import Refused

# C0/C1 controls, line/paragraph separators and every bidirectional mark (they reorder text).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_CONTROL_IN_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _reject(pattern: re.Pattern[str], value: str) -> str:
    match = pattern.search(value)
    if match:
        char = match.group(0)
        raise ValueError(
            f"contains a control character U+{ord(char):04X} at position {match.start() + 1}; "
            "remove it (control characters could drive the terminal)"
        )
    return value


# Format (zero-width space and joiner, BOM, soft hyphen, tag characters), private-use, surrogate
# and unassigned code points: invisible, so two titles that look identical could differ.
_INVISIBLE_CATEGORIES = frozenset({"Cf", "Co", "Cs", "Cn"})


def _reject_invisible(value: str) -> str:
    if value.isprintable():  # C speed: no Cc, Cf, Cs, Co, Cn (nor Zl, Zp, Zs but space) anywhere
        return value
    for position, char in enumerate(value, start=1):
        if unicodedata.category(char) in _INVISIBLE_CATEGORIES:
            name = unicodedata.name(char, "unassigned" if unicodedata.category(char) == "Cn" else "private use")
            raise ValueError(
                f"contains an invisible character U+{ord(char):04X} ({name}) at position {position}; remove it"
            )
    return value


def _single_line(value: str) -> str:
    if value.isprintable():  # the common case, at C speed: no control, format or invisible character at all
        return value
    return _reject_invisible(_reject(_CONTROL_IN_LINE, value))


def _multi_line(value: str) -> str:
    if value.isprintable():  # (a newline or tab is not printable: such text takes the long way)
        return value
    return _reject_invisible(_reject(_CONTROL, value))


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


def _single_line_not_blank(value: str) -> str:
    # One validator, not _single_line's and _not_blank's in turn: a call from pydantic's core into
    # Python for each, on every such field of every record read (and a signature inspected at build).
    return _not_blank(_single_line(value))


# A name, title or label: one line, no control characters.
Line = Annotated[str, StringConstraints(max_length=80), AfterValidator(_single_line)]
RequiredLine = Annotated[str, StringConstraints(max_length=80), AfterValidator(_single_line_not_blank)]
ShortLine = Annotated[str, StringConstraints(max_length=20), AfterValidator(_single_line_not_blank)]
# A description or note: newlines and tabs allowed, other control characters are not.
Paragraph = Annotated[str, StringConstraints(max_length=2000), AfterValidator(_multi_line)]
RecordId = Annotated[str, StringConstraints(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")]

# Mainland mobile numbers (1[3-9]xxxxxxxxx) and landlines with area code (0393-1234567), in ASCII
# digits only: a regex \d would also take Arabic-Indic or Devanagari digits.
PHONE_PATTERN = r"^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})$"
# What a Chinese input method types in a number, a date or a time: full-width digits, minus, colon,
# point, slash and plus (２０２７－０６－３０, ０７：３０, １５０．５).
_FULL_WIDTH = str.maketrans("０１２３４５６７８９－：．／＋", "0123456789-:./+")


def ascii_numerals(text: str) -> str:
    """'２０２７－０６－３０' -> '2027-06-30': the one place every number, date, time, amount and
    phone typed with a Chinese input method becomes ASCII. Any other script's digits (٣, ³, ①) are
    left as they are, for the ASCII-only patterns that read them to refuse."""
    return text.translate(_FULL_WIDTH)


# Full-width letters, digits and signs (Ａ座, ３号楼) and the ideographic space, as ASCII.
_WIDE = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


# A case's, a log line's or an incident's id (MK261127-001, ZB261128-003, SJ261128-01): letters
# always upper case, so one typed in lower case (mk261127-001) is the same id.
_DATED_ID = re.compile(r"[A-Za-z]{2}[0-9]{6}-[0-9]{2,3}")
_SHIFT_ID = re.compile(r"duty-[0-9]{8}", re.IGNORECASE)  # a shift's (duty-20261128): always lower case
MAX_HISTORY_YEARS = 50  # a dated id's year has two digits: a store's history (the demo's) spans at most this


def typed_id(text: str) -> str:
    """An id as an officer types or pastes it: full-width letters, digits and signs (an input method
    left in full-width mode: ＭＫ２６１１２７－００１) as ASCII, no space around it, and a dated id's
    letters in upper case (mk261127-001), a shift's in lower case (DUTY-20261128). Other ids (dc-M01)
    keep their case."""
    typed = text.translate(_WIDE).strip()
    if _SHIFT_ID.fullmatch(typed):
        return typed.lower()
    return typed.upper() if _DATED_ID.fullmatch(typed) else typed


_LEADING_ZEROS = re.compile(r"(?<![0-9])0+(?=[0-9])")


def place_key(text: str) -> str:
    """A 楼栋, 单元 or 门牌 as compared, not as stored: what an officer would call the same place is
    the same. Spaces anywhere go (as a phone's do), full-width letters and digits are ASCII (as
    ``ascii_numerals`` makes a number's), case is ignored (A座, a座) and so are a number's leading
    zeros: Excel drops 0301's zero from a cell typed as a number, and no unit has both 0301 and
    301. Words stay words: 3 is not 3号楼, 一 is not 1."""
    if text.isdigit() and text.isascii():  # most rooms (501): at a look per household of a grid
        return text.lstrip("0") or "0"
    if text.isascii():
        folded = "".join(text.split()).casefold()
    else:
        folded = "".join(text.translate(_WIDE).split()).casefold()
    return _LEADING_ZEROS.sub("", folded) if "0" in folded else folded


_YEAR_MONTH_DAY = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")


def typed_day(text: str, not_a_day: str = "") -> date:
    """A day typed in a form as asked, YYYY-MM-DD (with a Chinese input method's digits too). One
    written as asked that the calendar does not have (2026-02-30, 2026-11-31) is refused as such
    (``no_such_day``), not as a format to follow, which the officer already followed; anything else
    that is no day, as the form's own refusal ``not_a_day`` (without one: a ValueError)."""
    typed = text.strip()
    try:
        return date.fromisoformat(ascii_numerals(typed))
    except ValueError:
        match = _YEAR_MONTH_DAY.fullmatch(ascii_numerals(typed))
        if match is not None:
            try:
                date(*(int(group) for group in match.groups()))
            except ValueError:
                raise Refused("no_such_day", day=typed) from None
        if not_a_day:
            raise Refused(not_a_day) from None
        raise


# A mobile with spaces or hyphens (and +86), or a landline with its area code set off by a space or
# brackets: what a clerk types, in a form, on the command line or in a sheet.
_MOBILE = re.compile(r"(?:\+?86[\s-]*)?(1[3-9][0-9])[\s-]*([0-9]{4})[\s-]*([0-9]{4})")
_LANDLINE = re.compile(r"[(（](0[0-9]{2,3})[)）][\s-]*([0-9]{7,8})|(0[0-9]{2,3})(?:\s+-?|-\s+)\s*([0-9]{7,8})")


def typed_phone(text: str) -> str:
    """A phone as typed (138 0393 1234, 138-0393-1234, +86 138…, (0393)1234567, full-width digits)
    in the one form the models take: 13803931234, 0393-1234567. Anything else comes back with its
    digits in ASCII, for the model to refuse (any other script's digits stay and fail)."""
    typed = ascii_numerals(text).strip()
    if mobile := _MOBILE.fullmatch(typed):
        return "".join(mobile.groups())
    if landline := _LANDLINE.fullmatch(typed):
        area, number = (landline.group(1), landline.group(2)) if landline.group(1) else landline.group(3, 4)
        return f"{area}-{number}"
    return typed


def _ascii_phone(value: object) -> object:
    return typed_phone(value) if isinstance(value, str) else value


Phone = Annotated[str, BeforeValidator(_ascii_phone), StringConstraints(strip_whitespace=True, pattern=PHONE_PATTERN)]

# A caller's number may also be a public service line: 110 to 122 (110, 112, 114, 119, 120, 122),
# a 12xxx government hotline (12345, 12315) or a carrier's 10xxx, a company's 95xxx or a local 96xxx
# line. Such a number names an office, not a person, so it is shown as it is (masking.mask_phone); a
# person's mobile is masked as before. Any other three digits (123, 199) is a slip, said as one.
SERVICE_NUMBER = re.compile(r"11[0-9]|12[0-2]|1[02][0-9]{3}|9[56][0-9]{3,6}")
CALLER_PHONE_PATTERN = rf"^(1[3-9][0-9]{{9}}|0[0-9]{{2,3}}-?[0-9]{{7,8}}|{SERVICE_NUMBER.pattern})$"
CallerPhone = Annotated[
    str, BeforeValidator(_ascii_phone), StringConstraints(strip_whitespace=True, pattern=CALLER_PHONE_PATTERN)
]


def is_service_number(number: str) -> bool:
    """12345, 110, 95598: a public service line (no one's personal number)."""
    return SERVICE_NUMBER.fullmatch(number) is not None


def display_safe(value: str) -> str:
    """Make any control character visible (ESC -> '\\x1b') so text is shown exactly as stored."""

    def visible(match: re.Match[str]) -> str:
        char = match.group(0)
        if char == "\n":
            return "⏎"
        if char == "\t":
            return " "
        return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"

    return _CONTROL_IN_LINE.sub(visible, value)


def max_chars(model: type[BaseModel], name: str) -> int:
    """The most characters the model's text field ``name`` takes: what a form's counter counts to.

    Read from the field's own constraint (``Line`` 80, ``ShortLine`` 20, ``Paragraph`` 2000…), so a
    form can never promise more, or less, than the model accepts; also through ``| None``.
    """
    field = model.model_fields[name]
    found = _max_length(field.metadata) or _max_length_in(field.annotation)
    if found is None:
        raise ValueError(f"{model.__name__}.{name} has no length limit")
    return found


def _max_length(metadata: Any) -> int | None:
    limits = [limit for item in metadata if isinstance(limit := getattr(item, "max_length", None), int)]
    return min(limits) if limits else None


def _max_length_in(annotation: Any) -> int | None:
    if get_origin(annotation) is Annotated:
        return _max_length(annotation.__metadata__) or _max_length_in(get_args(annotation)[0])
    if get_origin(annotation) is Union or type(annotation).__name__ == "UnionType":
        limits = [limit for arg in get_args(annotation) if (limit := _max_length_in(arg)) is not None]
        return min(limits) if limits else None
    return None


_WHOLE = re.compile(r"[0-9]+")
WHOLE_DIGITS = 18  # significant digits: more is no count a form asks for (int() reads at most 4,300)


def typed_whole(text: str, not_a_number: str = "", *, digits: int | None = None, **params: object) -> int:
    """A whole number typed in a form: ASCII digits or a Chinese input method's (１２ as 12), the
    spaces around them ignored. Anything else is refused as the form's own refusal ``not_a_number``
    (with ``params``; without one: a ValueError): nothing typed, a sign (-1, +3), a point (1.0),
    another script's digits (³, ٣, which ``int()`` reads), more than ``digits`` digits typed, or
    more than 18 digits after the leading zeros. A range (1 to 366 days) is the caller's to check."""
    typed = ascii_numerals(text).strip()
    if _WHOLE.fullmatch(typed) and (digits is None or len(typed) <= digits) and len(typed.lstrip("0")) <= WHOLE_DIGITS:
        return int(typed)
    if not_a_number:
        raise Refused(not_a_number, **params)
    raise ValueError(f"not a whole number: {text!r}")


def mask_name(name: str) -> str:
    """李** : the family name stays, the rest becomes one star per character."""
    if not name:
        return ""
    return name[0] + "*" * max(1, len(name) - 1)
