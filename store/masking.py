"""De-identification for screens (GB/T 35273 §7.2) and the logged reveal of what it hides."""

from __future__ import annotations

import grp
import os
import pwd
import secrets
from collections.abc import Iterable

from . import i18n
from .models import AuditEntry, Petition, PetitionEvent, SpecialTag
from .storage import Store
from .text import (
    is_service_number,
    mask_name as mask_name,  # (in text.py: the store's own refusals mask a name too)
)


def mask_phone(phone: str | None) -> str:
    """138****1234 for mobiles; landlines keep the area code and last 2 digits; a public service
    line (12345, 110, 95598) names no one and is shown as it is."""
    if not phone:
        return ""
    digits = phone.replace("-", "")
    if is_service_number(digits):
        return digits
    if len(digits) == 11 and digits.startswith("1"):
        return f"{digits[:3]}****{digits[-4:]}"
    return f"{digits[:4]}****{digits[-2:]}"


# PIPL art. 28: health data (a disability, limited mobility) is sensitive personal information.
# Where a row names someone (a household, a stall's holder) it shows ** instead, until revealed;
# counts per grid name nobody. A fee reduction's reason is hidden alike: with two reasons, showing
# one (退役军人) would tell the other. Living alone and childless are not health data: the grid
# worker's wall map shows them.
HIDDEN = "**"
SENSITIVE_TAGS = frozenset({SpecialTag.DISABLED, SpecialTag.LIMITED_MOBILITY})


def mask_tags(tags: Iterable[SpecialTag]) -> tuple[list[SpecialTag], bool]:
    """The tags shown on a masked row, and whether a sensitive one was left out (shown as **)."""
    tags = list(tags)
    shown = [tag for tag in tags if tag not in SENSITIVE_TAGS]
    return shown, len(shown) != len(tags)


def mask_tag_labels(text: str) -> str:
    """A cell of tags in words (独居、残疾) as a masked export writes it: 独居、**."""
    hidden = {i18n.label(tag, "zh") for tag in SENSITIVE_TAGS}
    labels = [part for part in text.split("、") if part]
    shown = [part for part in labels if part not in hidden]
    return "、".join(shown + [HIDDEN] if len(shown) != len(labels) else shown)


def mask_reduction_label(text: str) -> str:
    """A fee reduction's reason in words as a masked export writes it: ** (none stays blank)."""
    return HIDDEN if text else text


REVEAL_GROUP = "duty-room-pii"


def reveal_rule(
    actor: str,
    allowed_users: frozenset[str] | list[str] = frozenset(),
    allowed_groups: tuple[str, ...] | list[str] = (REVEAL_GROUP,),
) -> str | None:
    """The rule that lets ``actor`` see unmasked data, or None: listed by name, or in an OS group.

    The lists come from the system config only (duty_room/config.py); the actor from the
    password database or sudo's record, never from the caller's environment.
    """
    if actor in allowed_users:
        return "reveal_users"
    return group_rule(actor, allowed_groups)


def group_rule(actor: str, groups: tuple[str, ...] | list[str]) -> str | None:
    """``group NAME`` for the first of ``groups`` the OS account belongs to (or its primary group)."""
    for name in groups:
        try:
            group = grp.getgrnam(name)
        except KeyError:
            continue
        if actor in group.gr_mem:
            return f"group {name}"
        try:
            if pwd.getpwnam(actor).pw_gid == group.gr_gid:
                return f"group {name}"
        except KeyError:
            continue
    return None


def may_reveal(
    actor: str,
    allowed_users: frozenset[str] | list[str] = frozenset(),
    allowed_groups: tuple[str, ...] | list[str] = (REVEAL_GROUP,),
) -> bool:
    """A user may see unmasked data if listed in the system config or a member of a reveal group."""
    return reveal_rule(actor, allowed_users, allowed_groups) is not None


# What the dashboard's reveal (p) unmasks, by the kind of record it is on (the subject's first
# part): the audit log says whether health data (a household's 残疾/行动不便) or a fee reduction's
# reason was shown, not only a name and a phone.
REVEALED_BY_KIND = {
    "petitions": ("name", "phone"),
    "dutylog": ("name", "phone"),
    "services": ("name",),
    "stalls": ("name", "phone", "reduction"),
    "visits:household": ("name", "phone", "health"),
    "visits:worker": ("name", "phone"),
    "grids": ("name", "phone", "health"),  # a grid's households
    "communities": ("name", "phone"),  # a community's roster: its workers (households only counted)
}


def revealed_fields(subject: str) -> list[str]:
    """The fields a reveal on ``subject`` ("<kind>:<id>", "visits:household:<id>") unmasks."""
    kind = subject.rpartition(":")[0]
    return list(REVEALED_BY_KIND.get(kind, REVEALED_BY_KIND.get(kind.partition(":")[0], ("name", "phone"))))


# What an audit record's ``fields`` may name, whichever path revealed (the dashboard's p,
# `petition show --reveal`, an unmasked `export`): one vocabulary, so the log reads the same.
REVEALABLE = ("name", "phone", "health", "reduction")


def log_reveal(store: Store, subject: str, fields: list[str] | None, allowed: bool) -> AuditEntry:
    """Record an attempt to see unmasked data, granted or refused. Every attempt is logged: the one
    place an audit record of a reveal is written. ``fields``: what it unmasks, in ``REVEALABLE``'s
    words; ``None``: what a reveal on ``subject`` unmasks (``revealed_fields``).

    A granted reveal on a case also goes into the case's own history, where the desk sees it.
    """
    given = revealed_fields(subject) if fields is None else fields
    if not given or set(given) - set(REVEALABLE):
        raise ValueError(f"a reveal on {subject} must name some of {REVEALABLE}, not {given}")
    fields = [f for f in REVEALABLE if f in given]  # in one order, once each
    with store.transaction() as tx:
        table, _, record_id = subject.partition(":")
        if allowed and table == Petition.table:
            # The case may be live or archived (closed cases move to petitions/archive-YYYY-MM).
            petition, partition = tx.find(Petition, record_id)
            event = PetitionEvent(
                at=tx.now,
                actor=store.actor,
                action="reveal",
                from_status=petition.status,
                to_status=petition.status,
                note=", ".join(fields),
            )
            tx.put(petition.model_copy(update={"history": [*petition.history, event]}), partition)
        entry = AuditEntry(
            id=f"rv-{tx.now:%Y%m%d%H%M%S}-{os.getpid()}-{secrets.token_hex(6)}",  # never two alike: an id put twice replaces
            at=tx.now,
            actor=store.actor,
            action="reveal",
            subject=subject,
            fields=fields,
            allowed=allowed,
        )
        return tx.put(entry)
