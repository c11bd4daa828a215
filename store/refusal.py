"""A refused change: the one error type for "that move is not allowed here", with its reason.

``str()`` is English (logs, scripts); ``message(lang)`` is for people. The reason's words live in
the catalogue under ``refused.<key>``; enum parameters are shown by their labels.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import TypeVar

from . import i18n
from .i18n import Lang

# Refusals whose words already say what became of the write (未保存：…, …，未重复登记, 没有改动): a
# caller that would say "not changed" before a reason adds nothing of its own to these (未更改：…，
# 未保存 said both). tests/test_catalogue.py finds any other reason that says it.
T = TypeVar("T")

SAYS_ITS_OUTCOME = frozenset({"changed_meanwhile", "duplicate_case", "duty_planned_meanwhile", "no_change"})


class Refused(ValueError):
    """``about``: the record refused, as the officer knows it (a case's id, a household's address,
    a stall's market and number, a session's time and title), said before the reason: a key pressed
    on a row, typed in a burst, may land on another row than the one meant, and the line must say
    which one was refused."""

    about = ""

    def __init__(self, key: str, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(self.message("en"))

    def naming(self, about: str) -> Refused:
        """This refusal, said of ``about`` (a record it names already is kept). Words that say what
        became of the write (未保存：此件已被他人更新…) stay one statement, as they are."""
        if not self.about and not self.says_its_outcome:
            self.about = about
            self.args = (self.message("en"),)
        return self

    @property
    def says_its_outcome(self) -> bool:
        """Its words already say nothing was saved: no 未更改 before them."""
        return self.key in SAYS_ITS_OUTCOME

    def word(self, value: object, lang: Lang) -> str:
        if isinstance(value, StrEnum):
            return i18n.label(value, lang)
        if isinstance(value, tuple):
            return " / ".join(self.word(v, lang) for v in value) or "—"
        return str(value)

    def reason(self, lang: Lang) -> str:
        """Why, without the record it is about."""
        words = {name: self.word(value, lang) for name, value in self.params.items()}
        return i18n.t(f"refused.{self.key}", lang).format(**words)

    def message(self, lang: Lang) -> str:
        """The record, then why: MK261127-001：「处置中」的案件不能「派单」."""
        reason = self.reason(lang)
        return i18n.t("refused.about", lang).format(about=self.about, reason=reason) if self.about else reason


class UnknownChoice(Refused):
    """A word naming none of an enum's members (a command-line option, a cell): the choices in words."""

    def __init__(self, enum: type[StrEnum], text: str) -> None:
        self.enum = enum
        super().__init__("unknown_choice", v=text)

    def reason(self, lang: Lang) -> str:
        choices = ", ".join(f"{m.value} ({i18n.label(m, lang)})" for m in self.enum)
        return i18n.t("refused.unknown_choice", lang).format(v=self.params["v"], choices=choices)


class FieldsRefused(ValueError):
    """Values a form cannot save, every bad field at once: {field: reason in the UI language}."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@contextmanager
def refused_about(record: str) -> Iterator[None]:
    """A refusal raised inside is said of ``record`` (``Refused.about``), unless it names one already."""
    try:
        yield
    except Refused as refused:
        refused.naming(record)
        raise


def said_of(record: str, write: Callable[[], T]) -> Callable[[], T]:
    """``write``, its refusal said of ``record`` (a one-key write, refused in the status line)."""

    def run() -> T:
        with refused_about(record):
            return write()

    return run
