"""The petition state machine: the one place that decides which status changes are legal.

受理 → 派单 → 处置 → 办结 → 回访/评价, with 退回 (return for re-dispatch), 重办 (redo after an
unsatisfied follow-up), 重开 (reopen a closed case) and 撤销 (withdrawn by the reporter).
"""

from __future__ import annotations

from dataclasses import dataclass

from . import i18n
from .i18n import Lang
from .models import Petition, PetitionEvent, PetitionStatus, Satisfaction
from .storage import Store, Transaction

S = PetitionStatus


@dataclass(frozen=True)
class Step:
    action: str  # stable key of the action, also the i18n key "action.<action>"
    to: PetitionStatus
    needs_note: bool = False


TRANSITIONS: dict[PetitionStatus, tuple[Step, ...]] = {
    S.NEW: (Step("accept", S.ACCEPTED), Step("cancel", S.CANCELLED, needs_note=True)),
    S.ACCEPTED: (Step("dispatch", S.DISPATCHED), Step("cancel", S.CANCELLED, needs_note=True)),
    S.DISPATCHED: (Step("start", S.IN_PROGRESS), Step("return", S.RETURNED, needs_note=True)),
    S.RETURNED: (Step("redispatch", S.DISPATCHED), Step("cancel", S.CANCELLED, needs_note=True)),
    S.IN_PROGRESS: (Step("resolve", S.RESOLVED), Step("return", S.RETURNED, needs_note=True)),
    S.RESOLVED: (Step("follow_up", S.CLOSED), Step("redo", S.IN_PROGRESS, needs_note=True)),
    S.CLOSED: (Step("reopen", S.IN_PROGRESS, needs_note=True),),
    S.CANCELLED: (),
}


class IllegalTransition(ValueError):
    """A refused step. ``str()`` is English (logs, scripts); ``message(lang)`` is for people."""

    def __init__(self, key: str, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(self.message("en"))

    def message(self, lang: Lang) -> str:
        def word(value: object) -> str:
            if isinstance(value, PetitionStatus):
                return i18n.label(value, lang)
            if isinstance(value, tuple):
                return " / ".join(word(v) for v in value)
            return str(value)

        words = {name: word(value) for name, value in self.params.items()}
        return i18n.t(f"refused.{self.key}", lang).format(**words)


def next_steps(status: PetitionStatus) -> tuple[Step, ...]:
    return TRANSITIONS[status]


def find_step(current: PetitionStatus, target: PetitionStatus) -> Step:
    for step in TRANSITIONS[current]:
        if step.to is target:
            return step
    if not TRANSITIONS[current]:
        raise IllegalTransition("final", current=current)
    raise IllegalTransition(
        "transition",
        current=current,
        target=target,
        allowed=tuple(step.to for step in TRANSITIONS[current]),
    )


def apply_status(
    petition: Petition,
    target: PetitionStatus,
    *,
    actor: str,
    tx: Transaction,
    note: str = "",
    satisfaction: Satisfaction | None = None,
) -> Petition:
    """The petition after a legal status change, with the event appended to its history."""
    step = find_step(petition.status, target)
    if step.needs_note and not note.strip():
        raise IllegalTransition("needs_note", action=step.action)
    if target is S.CLOSED and satisfaction is None:
        satisfaction = Satisfaction.SATISFIED
    event = PetitionEvent(
        at=tx.now, actor=actor, action=step.action, from_status=petition.status, to_status=target, note=note
    )
    changes: dict[str, object] = {"status": target, "history": [*petition.history, event]}
    if target.is_open:
        changes["closed_at"] = None
        if target is S.IN_PROGRESS and petition.status is S.CLOSED:
            changes["satisfaction"] = None
    else:
        changes["closed_at"] = tx.now
    if satisfaction is not None:
        changes["satisfaction"] = satisfaction
    return Petition.model_validate({**petition.model_dump(), **changes})


def change_status(
    store: Store,
    petition_id: str,
    target: PetitionStatus,
    *,
    note: str = "",
    satisfaction: Satisfaction | None = None,
) -> Petition:
    """Change a case's status through the store: locked, validated, atomic, stamped with the actor."""
    with store.transaction() as tx:
        current = tx.get(Petition, petition_id)
        updated = apply_status(current, target, actor=store.actor, tx=tx, note=note, satisfaction=satisfaction)
        updated = tx.put(updated)  # the stamped record, as stored
        tx.archive_closed_petitions()
    return updated
