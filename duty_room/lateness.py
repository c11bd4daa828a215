"""How late, in words: a 一老一小 session, a report (1小时5分钟). Its own module so that `summary`
does not import the hand-over for one sentence (tests/test_architecture.py)."""

from __future__ import annotations

from datetime import timedelta

from duty_room import words
from duty_room.words import Lang
from store.queries import SessionView
from store.schedule import SessionPhase


def session_lateness(view: SessionView, lang: Lang) -> str:
    """How late a session started, and whether it still needs a check-in: 09:25签到，迟25分钟."""
    s, late = view.session, view.late_by or timedelta(0)
    minutes = int(late.total_seconds() // 60)
    if view.phase is SessionPhase.LATE:
        return words.t("late.still", lang).format(minutes=minutes)
    if s.checked_in_at is not None:
        return words.t("late.checked_in", lang).format(at=f"{s.checked_in_at:%H:%M}", minutes=minutes)
    if s.cancelled_at is not None and s.done_at is None:
        return words.t("late.cancelled", lang).format(at=f"{s.cancelled_at:%H:%M}", minutes=minutes)
    done = f"{s.done_at:%H:%M}" if s.done_at is not None else ""
    return words.t("late.done", lang).format(at=done, minutes=minutes)


def minutes_text(delta: timedelta, lang: Lang) -> str:
    """A lateness or a time left to the minute: 1小时5分钟, 40分钟."""
    minutes = int(abs(delta).total_seconds() // 60)
    hours, rest = divmod(minutes, 60)
    if hours:
        return words.t("duty.hm", lang).format(h=hours, m=rest)
    return words.t("duty.m", lang).format(m=rest)
