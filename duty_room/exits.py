"""Exit codes shared by every duty-room command, and the one line each failure prints.

    0  ok
    1  refused input (a bad field, an illegal step, a duplicate), or `summary`'s alarm
       (something overdue or late)
    2  the store is damaged or unreachable: a damaged file, no store, disk full, read-only,
       permission denied, a folder where a file should be, an I/O error, a clock out of range
    3  busy: another process held the store's lock for the whole wait

Documented in the README ("Exit codes"); monitoring reads 1 as "cases need attention" and 2/3 as
"the store needs attention", so a fault must never exit 1.
"""

from __future__ import annotations

from enum import IntEnum

from pydantic import ValidationError

from duty_room import words
from duty_room.words import Lang
from store.errors import StoreBusyError, StoreError, TargetNotEmptyError
from store.refusal import Refused
from store.storage import RecordNotFound, StoreReadOnlyError


class ExitCode(IntEnum):
    OK = 0
    REFUSED = 1
    ALARM = 1
    DAMAGED = 2
    BUSY = 3


def exit_code_for(exc: BaseException) -> ExitCode:
    if isinstance(exc, StoreBusyError):
        return ExitCode.BUSY
    if isinstance(exc, RecordNotFound | TargetNotEmptyError | StoreReadOnlyError):
        return ExitCode.REFUSED  # a wrong case id or folder, or a write asked of a viewer: refused
    if isinstance(exc, StoreError | OSError | OverflowError):
        return ExitCode.DAMAGED
    return ExitCode.REFUSED  # Refused, ValidationError, ValueError: the input was wrong


def error_line(exc: BaseException, lang: Lang = "zh") -> str:
    """The one line a person sees for a failure: no traceback, the path and the cause."""
    if isinstance(exc, StoreError):
        text = exc.message(lang)
    elif isinstance(exc, Refused):
        text = exc.message(lang)
    elif isinstance(exc, ValidationError):  # every bad field: "field: reason；field: reason" (zh)
        text = words.t("punct.semi", lang).join(
            f"{'.'.join(map(str, e['loc'])) or 'record'}: {words.validation_message(e, lang)}" for e in exc.errors()
        )
    elif isinstance(exc, OverflowError):
        text = words.t("fault.clock", lang).format(exc)
    elif isinstance(exc, OSError):
        from store.errors import environment_error

        text = environment_error(exc).message(lang)
    else:
        text = str(exc)
    return " ".join(text.split("\n"))
