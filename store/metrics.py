"""The three assessment rates of the case desk (北京接诉即办条例 and similar practice).

For a window of the last N days ending now ("today" is since midnight):

* 响应率 response rate: of the cases dispatched in the window (a 派单/重派 event in the window),
  the share whose first 受理 came within the response limit of their receipt;
* 解决率 solution rate: of the follow-up calls (回访评价 events) in the window, the share where
  the reporter said the problem was solved;
* 满意率 satisfaction rate: of the same follow-ups, the share rated 满意 or 基本满意.

An unsatisfied follow-up that sent a case back counts as a follow-up too: the rates judge every
call, not only the last. A rate with nothing to judge is None (shown as "—"), never 100%.
Cases closed more than 30 days ago are archived, so the live cases answer windows up to 30 days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from .clock import start_of_day
from .models import Petition, Priority, Satisfaction
from .values import valueclass

# How soon a case must be accepted (受理) after it is received to count as responded to in time.
RESPONSE_LIMIT = {
    Priority.EMERGENCY: timedelta(hours=2),
    Priority.URGENT: timedelta(hours=12),
    Priority.NORMAL: timedelta(hours=24),
    Priority.COMPLEX: timedelta(hours=24),
}
WINDOWS = (("today", 0), ("7d", 7), ("30d", 30))


@valueclass
@dataclass(frozen=True, eq=False, repr=False)
class Rate:
    hits: int
    total: int

    @property
    def value(self) -> float | None:
        return self.hits / self.total if self.total else None

    def percent(self) -> str:
        return "—" if self.value is None else f"{round(100 * self.value)}%"


@valueclass
@dataclass(frozen=True, eq=False, repr=False)
class Rates:
    window: str
    response: Rate
    solution: Rate
    satisfaction: Rate


def window_start(now: datetime, days: int) -> datetime:
    return start_of_day(now.date()) if days == 0 else now - timedelta(days=days)


def rates(petitions: list[Petition], now: datetime, days: int, window: str = "") -> Rates:
    return _windows(petitions, now, [(window or f"{days}d", window_start(now, days))])[0]


def all_windows(petitions: list[Petition], now: datetime) -> list[Rates]:
    return _windows(petitions, now, [(name, window_start(now, days)) for name, days in WINDOWS])


def _windows(petitions: list[Petition], now: datetime, windows: list[tuple[str, datetime]]) -> list[Rates]:
    """The rates of each window ``(name, since)``, walking each case's history once for them all
    (three walks of every live case's history were ~30 M instructions of a township's first frame)."""
    earliest = min(since for _, since in windows)
    counts = [[0, 0, 0, 0, 0] for _ in windows]  # dispatched, responded, followed, solved, satisfied
    for petition in petitions:
        dispatches: list[datetime] = []
        follow_ups: list[tuple[datetime, bool, bool]] = []
        accepted: datetime | None = None
        for event in petition.history:
            action = event.action
            if action == "accept":
                if accepted is None:
                    accepted = event.at
            elif action in ("dispatch", "redispatch"):
                if earliest <= event.at <= now:
                    dispatches.append(event.at)
            elif action == "follow_up" and earliest <= event.at <= now:
                satisfied = event.satisfaction in (Satisfaction.SATISFIED, Satisfaction.BASICALLY)
                follow_ups.append((event.at, bool(event.solved), satisfied))
        if not dispatches and not follow_ups:
            continue
        responded = accepted is not None and accepted - petition.created_at <= RESPONSE_LIMIT[petition.priority]
        latest_dispatch = max(dispatches, default=None)
        for (_, since), count in zip(windows, counts, strict=True):
            if latest_dispatch is not None and since <= latest_dispatch:
                count[0] += 1
                count[1] += responded
            for at, solved, satisfied in follow_ups:
                if since <= at:
                    count[2] += 1
                    count[3] += solved
                    count[4] += satisfied
    return [
        Rates(
            window=name,
            response=Rate(responded, dispatched),
            solution=Rate(solved, followed),
            satisfaction=Rate(satisfied, followed),
        )
        for (name, _), (dispatched, responded, followed, solved, satisfied) in zip(windows, counts, strict=True)
    ]
