"""Exit codes shared by every duty-room command (README: "Exit codes"), and the one line each failure
prints. Monitoring reads 1 as "cases need attention" and 2/3 as "the store does": a fault never exits 1.
"""

from __future__ import annotations

import signal
from enum import IntEnum

from pydantic import ValidationError

from duty_room import words
from duty_room.words import Lang
from store.errors import (
    DiskFullError,
    IOFailureError,
    ReadOnlyError,
    StoreBusyError,
    StoreError,
    TargetNotEmptyError,
    environment_error,
)
from store.refusal import Refused
from store.storage import RecordNotFound, StoreReadOnlyError


class ExitCode(IntEnum):
    OK = 0
    REFUSED = 1
    ALARM = 1
    DAMAGED = 2
    BUSY = 3
    INTERRUPTED = 130  # Ctrl+C (128 + SIGINT, as a shell says it): neither refused input nor the store's fault
    HUNG_UP = 129  # SIGHUP, the SSH link dropped (128 + 1)
    TERMINATED = 143  # SIGTERM, `kill` or a service stop (128 + 15)


def exit_code_for_signal(signum: int) -> ExitCode:
    """Ctrl+C, SIGHUP or SIGTERM: 128 + the signal's number, as a shell reports a process it ended."""
    return {int(signal.SIGHUP): ExitCode.HUNG_UP, int(signal.SIGTERM): ExitCode.TERMINATED}.get(
        signum, ExitCode.INTERRUPTED
    )


def exit_code_for(exc: BaseException) -> ExitCode:
    if isinstance(exc, StoreBusyError):
        return ExitCode.BUSY
    if isinstance(exc, RecordNotFound | TargetNotEmptyError | StoreReadOnlyError):
        return ExitCode.REFUSED  # a wrong case id or folder, or a write asked of a viewer: refused
    if isinstance(exc, StoreError | OSError | OverflowError):
        return ExitCode.DAMAGED
    from store.sheetfiles import SheetFileError  # here: csv and the sheet code are not loaded at start

    if isinstance(exc, SheetFileError) and exc.error is not None:
        # A workbook's path typed wrong (no such folder, not a folder, no permission) is refused
        # input; the machine failing the write (a full disk, a read-only filesystem, an I/O error)
        # is a fault: monitoring reads 1 as cases needing attention.
        if isinstance(environment_error(exc.error), DiskFullError | ReadOnlyError | IOFailureError):
            return ExitCode.DAMAGED
    return ExitCode.REFUSED  # Refused, ValidationError, ValueError: the input was wrong


def error_line(exc: BaseException, lang: Lang = "zh") -> str:
    """The one line a person sees for a failure: no traceback, the path and the cause."""
    if isinstance(exc, StoreError | Refused):
        text = exc.message(lang)
    elif isinstance(exc, ValidationError):  # every bad field: "field: reason；field: reason" (zh)
        text = words.t("punct.semi", lang).join(
            f"{field_named(exc.title, e['loc'], lang)}{words.validation_message(e, lang)}" for e in exc.errors()
        )
    elif isinstance(exc, OverflowError):
        text = words.t("fault.clock", lang).format(exc)
    elif isinstance(exc, OSError):
        text = environment_error(exc).message(lang)
    else:
        text = str(exc)
    return " ".join(text.split("\n"))


# A record's fields by their form's label, for a refusal in Chinese (诉求：必填); English keeps the
# stored keys (title: required), which `--json` prints and scripts match.
FIELD_WORDS: dict[str, dict[str, str]] = {
    "Petition": {
        "title": "col.title",
        "category": "col.category",
        "priority": "detail.priority",
        "channel": "detail.channel",
        "level": "col.level",
        "community_id": "col.community",
        "grid_id": "col.grid",
        "building": "address.building",
        "unit": "address.unit",
        "assignee": "col.assignee",
        "reporter_name": "detail.reporter",
        "reporter_phone": "col.phone",
        "created_at": "detail.created",
        "due_at": "col.due",
        "supervision": "detail.supervision",
        "duplicate_of": "detail.duplicate_of",
        "duplicates": "detail.duplicates",
        "description": "detail.description",
    },
    "DutyLogEntry": {
        "kind": "duty.col.kind",
        "content": "duty.col.content",
        "source": "duty.form.source",
        "caller": "duty.form.caller",
        "phone": "col.phone",
        "action_taken": "duty.form.action",
        "reported_to": "duty.form.reported_to",
        "community_id": "col.community",
    },
    "Incident": {
        "title": "duty.form.title",
        "category": "duty.form.category",
        "level": "duty.form.level",
        "place": "col.place",
        "description": "detail.description",
        "community_id": "col.community",
    },
    "IncidentReport": {"to": "duty.form.report_to", "stage": "duty.form.stage"},
    "DutyShift": {"day": "duty.form.day", "leader": "duty.form.leader", "staff": "duty.staff", "phones": "col.phone"},
    "Handover": {"notes": "duty.form.handover_notes", "incoming_notes": "duty.form.ack_notes"},
    "DutySwap": {
        "replaced": "duty.swap.replaced",
        "by": "duty.swap.by",
        "asked_by": "duty.swap.asked_by",
        "approved_by": "duty.swap.approved_by",
        "note": "duty.swap.note",
    },
}


def field_named(model: str, loc: tuple[int | str, ...], lang: Lang) -> str:
    """A refused field and the separator before the reason: ``诉求：``, else its key (``title: ``). A rule
    over the whole record (no field) is said alone in Chinese, not after the key ``record``."""
    if not loc and lang == "zh":
        return ""
    key = ".".join(map(str, loc)) or "record"
    labels = FIELD_WORDS.get(model, {}) if lang == "zh" else {}
    label = labels.get(key)
    if label is None and len(loc) > 1 and str(loc[0]) in labels:  # one of a field's entries: 电话（张明）
        return f"{words.t(labels[str(loc[0])], lang)}（{'.'.join(map(str, loc[1:]))}）："
    return f"{words.t(label, lang)}：" if label else f"{key}: "
