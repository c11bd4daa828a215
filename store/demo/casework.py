"""Casework: petitions (民情诉求) walked along legal status paths, numbered MK + yymmdd + sequence.

The demo has the hand-made cases of ``data.CASES`` (every status, overdue and due-today ones)
and a dozen archived ones; the township scale draws ``build.cases`` cases over
``build.history_years`` years. Cases are generated oldest first and each year's archive is
written as soon as no later case can close in it, so a 10× history is never all in memory.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timedelta
from itertools import pairwise

from .. import clock
from ..lifecycle import Action, apply_action, apply_status, find_step
from ..models import Category, Channel, Level, Petition, PetitionStatus, Priority, Satisfaction
from ..storage import ARCHIVE_AFTER, Store, archive_partition
from . import data
from .common import DemoBuild, Place, minute, mobile, person_name

S = PetitionStatus


def seed_petitions(build: DemoBuild, store: Store) -> None:
    cases = _demo_cases(build) if build.scale == "demo" else _township_cases(build)
    cutoff = build.now - ARCHIVE_AFTER
    active: list[Petition] = []
    archive: dict[str, list[Petition]] = {}  # partition -> cases closed that month, not yet written
    for petition in _numbered(cases):
        # A case closes after it is received: no case received from now on closes in an earlier month.
        received = f"archive-{petition.created_at:%Y-%m}"
        for partition in [p for p in archive if p < received]:
            _write_archive(build, store, partition, archive.pop(partition))
        if petition.closed_at is not None and petition.closed_at < cutoff:
            archive.setdefault(archive_partition(petition), []).append(petition)
        else:
            active.append(petition)
    for partition, petitions in archive.items():
        _write_archive(build, store, partition, petitions)
    active = _merge_and_supervise(build, active)
    with store.transaction() as tx:
        for petition in active:
            tx.put(petition)
    build.count("petitions_open", sum(p.status.is_open for p in active))
    build.count("petitions_closed", sum(not p.status.is_open for p in active))


def _write_archive(build: DemoBuild, store: Store, partition: str, petitions: Sequence[Petition]) -> None:
    # Through a Store of its own, so the validated records it keeps go when the month is written:
    # the build's store would hold all 200,000 cases of a 10x history in memory.
    with Store(store.root, actor=store.actor).transaction() as tx:
        for petition in petitions:
            tx.put(petition, partition=partition)
    build.count("petitions_archived", len(petitions))


def _numbered(petitions: Iterable[Petition]) -> Iterator[Petition]:
    """Ids MK + yymmdd of receipt + a three-digit sequence for that day; ``petitions`` come oldest first."""
    counters: dict[str, int] = {}
    for petition in petitions:
        day = petition.created_at.strftime("%y%m%d")
        counters[day] = counters.get(day, 0) + 1
        yield petition.model_copy(update={"id": f"MK{day}-{counters[day]:03d}"})


# ---------------------------------------------------------------------------
# The demo's cases


def _demo_cases(build: DemoBuild) -> list[Petition]:
    rng = build.rng
    now = build.floor_now
    end_of_day = clock.end_of_day(build.today)
    made: list[Petition] = []
    for case in data.CASES:
        place = _case_place(build, case.community)
        delta = data.DUE[case.priority]
        minutes = int(delta.total_seconds() // 60)
        latest = now - timedelta(minutes=1)
        if isinstance(case.when, int):
            # Closed or cancelled ``when`` days ago: build backwards from the closing time.
            path = data.PATHS[case.path]
            closed = now - timedelta(days=case.when, minutes=rng.randint(30, 600))
            slowest = sum(data.GAP[find_step(s0, s1).action][1] for s0, s1 in pairwise((S.NEW, *path)))
            created = minute(closed - timedelta(minutes=slowest * data.PACE[case.priority] * rng.uniform(0.4, 0.8)))
            latest = closed
        elif case.when == "overdue":
            created = now - delta - timedelta(minutes=rng.randint(*data.OVERDUE_BY[case.priority]))
        elif case.when == "today":
            left = int((end_of_day - now).total_seconds() // 60)
            ahead = max(1, min(int(left * rng.uniform(0.2, 0.8)), int(minutes * 0.6)))
            created = now + timedelta(minutes=ahead) - delta
        else:  # later than today
            created = now - timedelta(minutes=int(minutes * rng.uniform(0.1, 0.5)))
            if created + delta < end_of_day and case.priority in (Priority.NORMAL, Priority.COMPLEX):
                created = end_of_day - delta + timedelta(hours=rng.randint(2, 30))
                created = min(created, now - timedelta(minutes=30))
        made.append(
            _petition(
                build,
                title=case.title.format(b=place.building, u=place.unit),
                category=case.category,
                channel=case.channel,
                priority=case.priority,
                level=case.level,
                place=place,
                path=data.PATHS[case.path],
                created_at=created,
                latest=latest,
                assignee=_assignee(build, case.assignee, place),
                first_assignee=case.first_assignee,
                resolution=case.resolution,
                description=case.description,
            )
        )
    # A dozen older cases, closed long ago, for the archive.
    for i, days in enumerate(data.ARCHIVED_DAYS):
        case = data.CASES[(i * 7) % len(data.CASES)]
        place = _case_place(build, data.COMMUNITIES[i % len(data.COMMUNITIES)][0])
        path = data.PATHS[data.ARCHIVED_PATHS[i % len(data.ARCHIVED_PATHS)]]
        closed = now - timedelta(days=days, minutes=rng.randint(0, 600))
        created = closed - timedelta(days=rng.randint(1, 8), minutes=rng.randint(0, 600))
        made.append(
            _petition(
                build,
                title=case.title.format(b=place.building, u=place.unit),
                category=case.category,
                channel=rng.choice(list(Channel)),
                priority=case.priority,
                level=case.level,
                place=place,
                path=path,
                created_at=created,
                latest=closed,
                assignee=_assignee(build, case.assignee or "社区居委会", place),
                first_assignee="物业公司",
                resolution=case.resolution,
            )
        )
    return sorted(made, key=lambda p: p.created_at)


# ---------------------------------------------------------------------------
# The township's history


def _township_cases(build: DemoBuild) -> Iterator[Petition]:
    """``build.cases`` cases received at random over ``build.history_years`` years, oldest first.

    Young cases are mostly open, old ones closed: an open share that decays with age keeps the
    live cases as many whatever the length of the history.
    """
    rng = build.rng
    now = build.floor_now
    first = now - timedelta(days=build.history_years * 365)
    span = int((now - first).total_seconds() // 60)
    received = sorted(first + timedelta(minutes=rng.randrange(span)) for _ in range(build.cases))
    priorities = [p for p, _ in data.TOWNSHIP_PRIORITIES]
    weights = [w for _, w in data.TOWNSHIP_PRIORITIES]
    channels = list(Channel)
    for created in received:
        case = rng.choice(data.CASES)
        place = rng.choice(build.town.micro_places)
        priority = rng.choices(priorities, weights)[0]
        age_days = (now - created).total_seconds() / 86400
        is_open = age_days < 0.25 or rng.random() < 0.95 * math.exp(-age_days / data.OPEN_DECAY_DAYS)
        path_key = rng.choice(data.TOWNSHIP_OPEN_PATHS if is_open else data.TOWNSHIP_CLOSED_PATHS)
        if now - created < timedelta(hours=2):
            path_key = "new"
        path = data.PATHS[path_key]
        assignee = _assignee(build, case.assignee or rng.choice(data.UNITS), place)
        yield _petition(
            build,
            title=case.title.format(b=place.building, u=place.unit),
            category=case.category,
            channel=rng.choice(channels),
            priority=priority,
            level=case.level,
            place=place,
            path=path,
            created_at=created,
            latest=now - timedelta(minutes=1),
            assignee=assignee,
            first_assignee=rng.choice(data.UNITS) if S.RETURNED in path else "",
            resolution=case.resolution,
        )


# ---------------------------------------------------------------------------
# One case


def _petition(
    build: DemoBuild,
    *,
    title: str,
    category: Category,
    channel: Channel,
    priority: Priority,
    level: Level,
    place: Place,
    path: Sequence[PetitionStatus],
    created_at: datetime,
    latest: datetime,
    assignee: str,
    first_assignee: str,
    resolution: str,
    description: str = "",
) -> Petition:
    """A case received at ``created_at`` and walked along ``path``, every event before ``latest``."""
    rng = build.rng
    steps = []
    status = S.NEW
    for target in path:
        steps.append(find_step(status, target))
        status = target
    gaps = _gaps(build, [step.action for step in steps], priority)
    room = int((latest - created_at).total_seconds() // 60)
    if sum(gaps) > room:
        scale = room / sum(gaps)
        gaps = [max(1, int(g * scale)) for g in gaps]
        while sum(gaps) > room and max(gaps) > 1:
            gaps[gaps.index(max(gaps))] -= 1
    if sum(gaps) > room:
        raise ValueError(f"no room for {len(steps)} steps between {created_at} and {latest}")
    reporter_name, reporter_phone = _reporter(build, channel, place)
    final_assignee = assignee if S.DISPATCHED in path else ""
    if first_assignee and S.RETURNED in path and S.DISPATCHED not in path[path.index(S.RETURNED) :]:
        final_assignee = first_assignee  # returned and not (yet) dispatched again
    petition = Petition(
        id="pending",
        title=title,
        description=description,
        channel=channel,
        category=category,
        priority=priority,
        level=level,
        community_id=place.community,
        grid_id=place.grid.id,
        reporter_name=reporter_name,
        reporter_phone=reporter_phone,
        assignee=final_assignee,
        created_at=created_at,
        due_at=created_at + data.DUE[priority],
    )
    at = created_at
    handler = first_assignee or assignee
    for step, gap in zip(steps, gaps, strict=True):
        at = at + timedelta(minutes=gap)
        actor = rng.choice(data.DUTY_STAFF)
        note = _event_note(build, step.action, handler, resolution)
        if step.action == "redispatch":
            handler = assignee
            note = f"改派{assignee}"
        sat = None
        if step.to is S.CLOSED:
            # A closing follow-up is satisfied or basically so; 不满意 sends the case back (redo).
            sat = rng.choices((Satisfaction.SATISFIED, Satisfaction.BASICALLY), (82, 18))[0]
        elif step.action == "redo":
            sat = Satisfaction.UNSATISFIED  # recorded as an unsatisfied follow-up: 回访不满意，发回重办
        petition = apply_status(
            petition,
            step.to,
            actor=actor,
            tx=_Moment(at),  # type: ignore[arg-type]
            note=note,
            satisfaction=sat,
        )
    return petition


class _Moment:
    """Stands in for a Transaction in lifecycle.apply_status, which only reads ``tx.now``."""

    def __init__(self, now: datetime):
        self.now = now


def _gaps(build: DemoBuild, actions: Sequence[str], priority: Priority) -> list[int]:
    pace = data.PACE[priority]
    return [max(1, round(build.rng.uniform(*data.GAP[action]) * pace)) for action in actions]


def _event_note(build: DemoBuild, action: str, handler: str, resolution: str) -> str:
    match action:
        case "accept":
            return "已受理，登记入册"
        case "dispatch":
            return f"派{handler}办理"
        case "start":
            return f"{handler}已到场处置"
        case "resolve":
            return resolution or "已处置完毕"
        case "follow_up":
            return "电话回访诉求人"
        case "return":
            return build.rng.choice(data.RETURN_NOTES)
        case "redo":
            return "回访不满意，发回重办"
        case "reopen":
            return "问题复发，诉求人要求重新处理"
        case "cancel":
            return build.rng.choice(data.CANCEL_NOTES)
    return ""


def _reporter(build: DemoBuild, channel: Channel, place: Place) -> tuple[str, str | None]:
    rng = build.rng
    if channel is Channel.GRID_REPORT:
        worker = build.town.grid_worker[place.grid.id]
        return worker.name, worker.phone
    if channel is Channel.MAILBOX and rng.random() < 0.5:
        return "", None  # anonymous letter
    name = person_name(rng)
    return name, (mobile(rng) if rng.random() < 0.9 else None)


def _case_place(build: DemoBuild, community: str) -> Place:
    return build.rng.choice(build.town.micro_by_community[community])


def _assignee(build: DemoBuild, assignee: str, place: Place) -> str:
    return build.town.grid_worker[place.grid.id].name if assignee == data.GRID else assignee


# ---------------------------------------------------------------------------
# 合并 and 督办


def _merge_and_supervise(build: DemoBuild, active: list[Petition]) -> list[Petition]:
    """A duplicate report merged into its original (合并), and the most overdue case chased (督办).

    Only open cases are worked on, so the live cases alone are enough. A history too small to
    have an overdue case in hand gets neither.
    """
    now = build.floor_now
    by_id = {p.id: p for p in active}
    working = [p for p in active if p.status in (S.DISPATCHED, S.IN_PROGRESS) and p.due_at < now]
    if not working:
        return active
    original = max(working, key=lambda p: p.created_at)
    received, merged = (now - timedelta(minutes=m) for m in data.DUPLICATE_MINUTES_AGO)
    reporter_name, reporter_phone = data.DUPLICATE_REPORTER
    today_prefix = f"MK{now:%y%m%d}-"
    sequence = 1 + sum(p.id.startswith(today_prefix) for p in active)
    duplicate = Petition(
        id=f"{today_prefix}{sequence:03d}",
        title=original.title,
        description=data.DUPLICATE_DESCRIPTION,
        channel=Channel.HOTLINE,
        category=original.category,
        priority=original.priority,
        level=original.level,
        community_id=original.community_id,
        grid_id=original.grid_id,
        reporter_name=reporter_name,
        reporter_phone=reporter_phone,
        created_at=received,
        due_at=received + data.DUE[original.priority],
    )
    duplicate = apply_action(
        duplicate, Action.MERGE, actor=data.DUTY_STAFF[0], now=merged, duplicate_of=original.id, note=data.MERGE_NOTE
    )
    by_id[original.id] = original.model_copy(update={"duplicates": [duplicate.id]})
    most_overdue = min(working, key=lambda p: p.due_at)
    by_id[most_overdue.id] = apply_action(
        by_id[most_overdue.id],
        Action.SUPERVISE,
        actor=data.DUTY_STAFF[1],
        now=now - timedelta(minutes=data.SUPERVISE_MINUTES_AGO),
        note=data.SUPERVISE_NOTE,
    )
    return [*by_id.values(), duplicate]
