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

# How soon a case must be accepted (受理) after it is received to count as responded to in time.
RESPONSE_LIMIT = {
    Priority.EMERGENCY: timedelta(hours=2),
    Priority.URGENT: timedelta(hours=12),
    Priority.NORMAL: timedelta(hours=24),
    Priority.COMPLEX: timedelta(hours=24),
}
WINDOWS = (("today", 0), ("7d", 7), ("30d", 30))


@dataclass(frozen=True)
class Rate:
    hits: int
    total: int

    @property
    def value(self) -> float | None:
        return self.hits / self.total if self.total else None

    def percent(self) -> str:
        return "—" if self.value is None else f"{round(100 * self.value)}%"


@dataclass(frozen=True)
class Rates:
    window: str
    response: Rate
    solution: Rate
    satisfaction: Rate


def window_start(now: datetime, days: int) -> datetime:
    return start_of_day(now.date()) if days == 0 else now - timedelta(days=days)


def rates(petitions: list[Petition], now: datetime, days: int, window: str = "") -> Rates:
    since = window_start(now, days)
    dispatched = responded = followed = solved = satisfied = 0
    for petition in petitions:
        events = petition.history
        if any(e.action in ("dispatch", "redispatch") and since <= e.at <= now for e in events):
            dispatched += 1
            accepted = next((e.at for e in events if e.action == "accept"), None)
            if accepted is not None and accepted - petition.created_at <= RESPONSE_LIMIT[petition.priority]:
                responded += 1
        for event in events:
            if event.action == "follow_up" and since <= event.at <= now:
                followed += 1
                solved += bool(event.solved)
                satisfied += event.satisfaction in (Satisfaction.SATISFIED, Satisfaction.BASICALLY)
    return Rates(
        window=window or f"{days}d",
        response=Rate(responded, dispatched),
        solution=Rate(solved, followed),
        satisfaction=Rate(satisfied, followed),
    )


def all_windows(petitions: list[Petition], now: datetime) -> list[Rates]:
    return [rates(petitions, now, days, name) for name, days in WINDOWS]
