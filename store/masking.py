"""De-identification for screens (GB/T 35273 §7.2) and the logged reveal of what it hides."""

from __future__ import annotations

import grp
import os
import pwd
import secrets

from .models import AuditEntry, Petition, PetitionEvent
from .storage import Store


def mask_phone(phone: str | None) -> str:
    """138****1234 for mobiles; landlines keep the area code and last 2 digits."""
    if not phone:
        return ""
    digits = phone.replace("-", "")
    if len(digits) == 11 and digits.startswith("1"):
        return f"{digits[:3]}****{digits[-4:]}"
    return f"{digits[:4]}****{digits[-2:]}"


def mask_name(name: str) -> str:
    """李** : the family name stays, the rest becomes one star per character."""
    if not name:
        return ""
    return name[0] + "*" * max(1, len(name) - 1)


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


def log_reveal(store: Store, subject: str, fields: list[str], allowed: bool) -> AuditEntry:
    """Record an attempt to see unmasked data, granted or refused. Every attempt is logged.

    A granted reveal on a case also goes into the case's own history, where the desk sees it.
    """
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
