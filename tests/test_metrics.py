"""The assessment rates (store.metrics) on a small dataset whose every event time is chosen."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from store.clock import TZ
from store.lifecycle import Action, apply_action
from store.metrics import RESPONSE_LIMIT, Rate, all_windows, rates, window_start
from store.models import Petition, Priority, Satisfaction

NOW = datetime(2026, 11, 28, 9, 30, tzinfo=TZ)  # Saturday
ACTOR = "duty"


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=TZ)


def new_case(id: str, created: datetime, priority: Priority = Priority.NORMAL) -> Petition:
    return Petition(
        id=id,
        title="楼道灯不亮",
        channel="hotline",
        category="infrastructure",
        community_id="c1",
        priority=priority,
        created_at=created,
        due_at=created + timedelta(days=60),
    )


def walk(petition: Petition, *steps: tuple[Action, datetime, dict[str, object]]) -> Petition:
    for action, when, params in steps:
        petition = apply_action(petition, action, actor=ACTOR, now=when, **params)  # type: ignore[arg-type]
    return petition


def step(action: Action, when: datetime, **params: object) -> tuple[Action, datetime, dict[str, object]]:
    return action, when, params


DISPATCH = {"assignee": "王秀兰"}


def dataset() -> list[Petition]:
    """Expected counts per window are worked out in the tests below.

    Windows at NOW: today from 28 Nov 00:00; 7d from 21 Nov 09:30; 30d from 29 Oct 09:30.
    """
    # P1 normal: received, accepted after 30 min, dispatched today.
    p1 = walk(
        new_case("P1", at(11, 28, 8)),
        step(Action.ACCEPT, at(11, 28, 8, 30)),
        step(Action.DISPATCH, at(11, 28, 8, 40), **DISPATCH),
    )
    # P2 urgent: accepted 14 h after receipt (limit 12 h), dispatched yesterday: a miss.
    p2 = walk(
        new_case("P2", at(11, 27, 8), Priority.URGENT),
        step(Action.ACCEPT, at(11, 27, 22)),
        step(Action.DISPATCH, at(11, 27, 22, 10), **DISPATCH),
    )
    # P3 normal: dispatched 10 Nov (30d only); unsatisfied follow-up one minute before the 7d
    # window, sent back, resolved again and followed up satisfied on 26 Nov.
    p3 = walk(
        new_case("P3", at(11, 10, 9)),
        step(Action.ACCEPT, at(11, 10, 10)),
        step(Action.DISPATCH, at(11, 10, 11), **DISPATCH),
        step(Action.START, at(11, 10, 12)),
        step(Action.RESOLVE, at(11, 12, 9)),
        step(Action.FOLLOW_UP, at(11, 21, 9, 29), satisfaction=Satisfaction.UNSATISFIED),
        step(Action.RESOLVE, at(11, 25, 9)),
        step(Action.FOLLOW_UP, at(11, 26, 9), satisfaction=Satisfaction.SATISFIED),
    )
    # P4 emergency: accepted in 30 min (limit 2 h), closed today "basically satisfied" but not solved.
    p4 = walk(
        new_case("P4", at(11, 28, 1), Priority.EMERGENCY),
        step(Action.ACCEPT, at(11, 28, 1, 30)),
        step(Action.DISPATCH, at(11, 28, 1, 35), **DISPATCH),
        step(Action.START, at(11, 28, 2)),
        step(Action.RESOLVE, at(11, 28, 5)),
        step(Action.FOLLOW_UP, at(11, 28, 7), satisfaction=Satisfaction.BASICALLY, solved=False),
    )
    # P5 normal: dispatched in October (outside every window), returned, re-dispatched on 22 Nov.
    p5 = walk(
        new_case("P5", at(10, 20, 9)),
        step(Action.ACCEPT, at(10, 20, 10)),
        step(Action.DISPATCH, at(10, 20, 11), **DISPATCH),
        step(Action.RETURN, at(11, 20, 9), note="不属本网格"),
        step(Action.REDISPATCH, at(11, 22, 10), assignee="综合执法队"),
    )
    # P8 normal: accepted 25 h after receipt (limit 24 h), dispatched 15 Nov: a miss in 30d;
    # its unsatisfied follow-up is exactly at the start of the 7d window.
    p8 = walk(
        new_case("P8", at(11, 14, 9)),
        step(Action.ACCEPT, at(11, 15, 10)),
        step(Action.DISPATCH, at(11, 15, 11), **DISPATCH),
        step(Action.START, at(11, 15, 12)),
        step(Action.RESOLVE, at(11, 18, 9)),
        step(Action.FOLLOW_UP, at(11, 21, 9, 30), satisfaction=Satisfaction.UNSATISFIED),
    )
    # Never dispatched: a new case today and a case accepted today. Neither is judged.
    p6 = new_case("P6", at(11, 28, 9))
    p7 = walk(new_case("P7", at(11, 28, 6)), step(Action.ACCEPT, at(11, 28, 6, 5)))
    # P9: dispatched and followed up before the 30d window: outside every window.
    p9 = walk(
        new_case("P9", at(10, 1, 9)),
        step(Action.ACCEPT, at(10, 1, 10)),
        step(Action.DISPATCH, at(10, 1, 11), **DISPATCH),
        step(Action.START, at(10, 1, 12)),
        step(Action.RESOLVE, at(10, 2, 9)),
        step(Action.FOLLOW_UP, at(10, 3, 9), satisfaction=Satisfaction.SATISFIED),
    )
    return [p1, p2, p3, p4, p5, p6, p7, p8, p9]


def test_dataset_is_what_the_expectations_assume():
    cases = {p.id: p for p in dataset()}
    assert cases["P3"].status.value == "closed" and cases["P3"].satisfaction is Satisfaction.SATISFIED
    # The unsatisfied follow-up sent P3 and P8 back; the event still carries the rating.
    p3_follow_ups = [e for e in cases["P3"].history if e.action == "follow_up"]
    assert [(e.satisfaction, e.solved, e.to_status.value) for e in p3_follow_ups] == [
        (Satisfaction.UNSATISFIED, False, "in_progress"),
        (Satisfaction.SATISFIED, True, "closed"),
    ]
    assert cases["P8"].status.value == "in_progress"
    assert cases["P4"].history[-1].solved is False
    assert at(11, 27, 22) - at(11, 27, 8) > RESPONSE_LIMIT[Priority.URGENT]
    assert at(11, 15, 10) - at(11, 14, 9) > RESPONSE_LIMIT[Priority.NORMAL]
    assert window_start(NOW, 0) == at(11, 28, 0)
    assert window_start(NOW, 7) == at(11, 21, 9, 30)
    assert window_start(NOW, 30) == at(10, 29, 9, 30)


def test_today():
    r = rates(dataset(), NOW, 0, "today")
    assert r.window == "today"
    assert r.response == Rate(hits=2, total=2)  # P1, P4
    assert r.solution == Rate(hits=0, total=1)  # P4 not solved
    assert r.satisfaction == Rate(hits=1, total=1)  # P4 basically satisfied


def test_seven_days():
    r = rates(dataset(), NOW, 7, "7d")
    assert r.response == Rate(hits=3, total=4)  # P1, P4, P5 (re-dispatch) in time; P2 late
    # Follow-ups: P8 unsatisfied at the window's start, P3 satisfied, P4 basically.
    # P3's unsatisfied call one minute before the window is not counted.
    assert r.solution == Rate(hits=1, total=3)
    assert r.satisfaction == Rate(hits=2, total=3)


def test_thirty_days():
    r = rates(dataset(), NOW, 30, "30d")
    assert r.response == Rate(hits=4, total=6)  # P1 P3 P4 P5 in time; P2 and P8 late
    # Four calls: P3 twice (unsatisfied, satisfied), P4, P8. Only P3's second call was solved.
    assert r.solution == Rate(hits=1, total=4)
    assert r.satisfaction == Rate(hits=2, total=4)


def test_all_windows_in_order():
    windows = all_windows(dataset(), NOW)
    assert [w.window for w in windows] == ["today", "7d", "30d"]
    assert [(w.response.hits, w.response.total) for w in windows] == [(2, 2), (3, 4), (4, 6)]
    assert [w.solution.total for w in windows] == [1, 3, 4]


class _WalkedList(list):  # type: ignore[type-arg]
    """A case's history that counts how often it is walked."""

    walks = 0

    def __iter__(self):  # type: ignore[no-untyped-def]
        type(self).walks += 1
        return super().__iter__()


def test_all_windows_walk_each_history_once_and_say_what_each_window_alone_says():
    """Issue 13: the three windows are counted in one walk of each case's history (three walks of a
    township's ~700 live cases were ~30 M instructions of the first frame), with the same figures."""
    cases = [case.model_copy(update={"history": _WalkedList(case.history)}) for case in dataset()]
    _WalkedList.walks = 0
    windows = all_windows(cases, NOW)
    assert _WalkedList.walks == len(cases)
    assert windows == [rates(dataset(), NOW, days, name) for name, days in (("today", 0), ("7d", 7), ("30d", 30))]


def test_default_window_name():
    assert rates([], NOW, 7).window == "7d"


def test_events_after_now_are_not_counted():
    # Seen from 08:00 today: P1's dispatch at 08:40 is still in the future; P4's (01:35) and
    # P4's follow-up (07:00) are not.
    r = rates(dataset(), at(11, 28, 8), 0)
    assert r.response == Rate(hits=1, total=1)  # P4 dispatched 01:35
    assert r.solution.total == 1


def test_response_limit_boundary_is_in_time():
    # Exactly 24 h after receipt counts as in time; one minute later does not.
    exactly = walk(
        new_case("E1", at(11, 27, 9)),
        step(Action.ACCEPT, at(11, 28, 9)),
        step(Action.DISPATCH, at(11, 28, 9, 10), **DISPATCH),
    )
    late = walk(
        new_case("E2", at(11, 27, 9)),
        step(Action.ACCEPT, at(11, 28, 9, 1)),
        step(Action.DISPATCH, at(11, 28, 9, 10), **DISPATCH),
    )
    assert rates([exactly], NOW, 0).response == Rate(1, 1)
    assert rates([late], NOW, 0).response == Rate(0, 1)


def test_case_dispatched_twice_in_window_counts_once():
    case = walk(
        new_case("D1", at(11, 28, 1)),
        step(Action.ACCEPT, at(11, 28, 2)),
        step(Action.DISPATCH, at(11, 28, 3), **DISPATCH),
        step(Action.RETURN, at(11, 28, 4), note="错派"),
        step(Action.REDISPATCH, at(11, 28, 5), assignee="综合执法队"),
    )
    assert rates([case], NOW, 0).response == Rate(1, 1)


def test_nothing_to_judge_is_none_and_dash():
    # Only never-dispatched cases and cases outside the window.
    cases = [p for p in dataset() if p.id in ("P6", "P7", "P9")]
    for days in (0, 7, 30):
        r = rates(cases, NOW, days)
        for rate in (r.response, r.solution, r.satisfaction):
            assert rate == Rate(0, 0)
            assert rate.value is None
            assert rate.percent() == "—"
    assert rates([], NOW, 30).response.percent() == "—"


@pytest.mark.parametrize(
    ("rate", "value", "percent"),
    [(Rate(2, 3), 2 / 3, "67%"), (Rate(0, 2), 0.0, "0%"), (Rate(4, 4), 1.0, "100%"), (Rate(1, 8), 0.125, "12%")],
)
def test_rate_value_and_percent(rate: Rate, value: float, percent: str):
    assert rate.value == pytest.approx(value)
    assert rate.percent() == percent


def test_window_rates_from_dataset_as_percent():
    r = rates(dataset(), NOW, 30)
    assert (r.response.percent(), r.solution.percent(), r.satisfaction.percent()) == ("67%", "25%", "50%")
