"""What the dashboard and the CLI ask of the store: computed here, never in widgets.

Every function takes the moment it answers for, so tests can ask about any clock time.
"""

# No `from __future__ import annotations`: string annotations cost each start (see store/models.py).
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any, NamedTuple

from .clock import end_of_day
from .deadlines import DeadlineRules
from .duty_models import DutyLogEntry
from .dutylog import DutyRules, DutyStatus, duty_status, entries_between, pending_handover, shift_at
from .market import FeeRules, FeeTotals, StallView, stall_roster
from .models import (
    Category,
    Community,
    Grid,
    GridLevel,
    Level,
    Petition,
    PetitionStatus,
    Record,
    ServiceSession,
    SpecialTag,
    Visit,
    VisitPlan,
)
from .schedule import (
    NextSessions,
    SessionPhase,
    late_by,
    next_sessions,
    session_phase,
    sessions_on,
)
from .storage import Store
from .values import valueclass
from .visiting import grid_tree, workers_out

if TYPE_CHECKING:  # metrics is imported where the rates are computed (dashboard): `summary` shows none
    from .metrics import Rates

# ---------------------------------------------------------------------------
# Petitions


class PetitionView(NamedTuple):
    petition: Petition
    community: str
    grid: str
    age: timedelta
    due_in: timedelta  # negative when overdue
    overdue: bool
    due_today: bool


def urgency_key(view: PetitionView) -> tuple[int, timedelta, str]:
    """Overdue first (most overdue first), then due today, then the rest by due time."""
    band = 0 if view.overdue else 1 if view.due_today else 2
    return (band, view.due_in, view.petition.id)


def open_petitions(store: Store, now: datetime, *, include_closed: bool = False) -> list[PetitionView]:
    names = community_names(store)
    grid_names = {g.id: g.name for g in store.all(Grid)}
    tomorrow = end_of_day(now.date())
    views = []
    for petition in store.all(Petition):
        if not petition.status.is_open and not include_closed:
            continue
        overdue = petition.is_overdue(now)
        views.append(
            PetitionView(
                petition=petition,
                community=names.get(petition.community_id, petition.community_id),
                grid=grid_names.get(petition.grid_id or "", ""),
                age=now - petition.created_at,
                due_in=petition.due_at - now,
                overdue=overdue,
                due_today=petition.awaits_action and not overdue and petition.due_at < tomorrow,
            )
        )
    views.sort(key=urgency_key)
    return views


def ended_petitions(store: Store, now: datetime) -> list[PetitionView]:
    """Cases ended (已回访 closed, 撤销, 合并) and not yet archived, i.e. in the last ARCHIVE_AFTER
    days, latest ending first: where a 重开 starts, on the dashboard as on the command line."""
    views = [v for v in open_petitions(store, now, include_closed=True) if not v.petition.status.is_open]
    views.sort(key=lambda v: (v.petition.closed_at or v.petition.created_at, v.petition.id), reverse=True)
    return views


class CaseDue(NamedTuple):
    """An open case as the digest counts it: overdue, due today (``open_petitions``' rule), or neither."""

    id: str
    due_at: datetime
    overdue: bool
    due_today: bool

    @classmethod
    def of(cls, case_id: str, due_at: datetime, awaits_action: bool, now: datetime) -> "CaseDue":
        overdue = awaits_action and due_at < now
        return cls(case_id, due_at, overdue, awaits_action and not overdue and due_at < end_of_day(now.date()))


def open_case_dues(store: Store, now: datetime) -> list[CaseDue]:
    """Every open live case as `summary` counts it, most urgent first (``urgency_key``'s order):
    from each day file's figures (``Petition.figures_of``, ``Store.figures``), none of its cases
    validated, where the file is as written; else that file's open cases validated as before
    (``_unless_ended``: a damaged one stops `summary`, exit 2; an older duty-room's file). A case
    in two files is counted once, as ``Store.all`` keeps it. A store not yet in day files (its
    cases in petitions.json) is read as before (``open_cases_alone``)."""
    if store.path_for(Petition).exists():
        return of_views(open_cases_alone(store, now, keep=_unless_ended))
    seen: set[str] = set()
    dues = []
    for partition in store.live_partitions(Petition):
        sums = store.figures(Petition, partition)
        if sums is not None:
            found = [(case_id, datetime.fromisoformat(due), awaits) for case_id, due, awaits in sums["open"]]
        else:
            with store.validating_only(_unless_ended):
                cases = store.all(Petition, partition)
            found = [(c.id, c.due_at, c.awaits_action) for c in cases if c.status.is_open]
        for case_id, due_at, awaits in found:
            if case_id not in seen:
                seen.add(case_id)
                dues.append(CaseDue.of(case_id, due_at, awaits, now))
    dues.sort(key=lambda c: (0 if c.overdue else 1 if c.due_today else 2, c.due_at, c.id))
    return dues


class SortOrder(StrEnum):
    URGENCY = "urgency"  # overdue, due today, the rest
    NEWEST = "newest"
    OLDEST = "oldest"
    COMMUNITY = "community"
    STATUS = "status"


_STATUS_RANK = {status: rank for rank, status in enumerate(PetitionStatus)}


def sort_petitions(views: list[PetitionView], order: SortOrder) -> list[PetitionView]:
    keys = {
        SortOrder.URGENCY: urgency_key,
        SortOrder.NEWEST: lambda v: (-v.petition.created_at.timestamp(), v.petition.id),
        SortOrder.OLDEST: lambda v: (v.petition.created_at, v.petition.id),
        SortOrder.COMMUNITY: lambda v: (v.petition.community_id, v.grid, urgency_key(v)),
        SortOrder.STATUS: lambda v: (_STATUS_RANK[v.petition.status], urgency_key(v)),
    }
    return sorted(views, key=keys[order])


# Filter words: `status:处置中` (or s:), `cat:燃气` (c:), `grid:3号楼` (g:), `who:执法` (a:),
# `lvl:社区` (l:); anything else is free text over id, title, community, grid and assignee.
_FILTER_FIELDS = {
    "status": "status",
    "s": "status",
    "cat": "category",
    "c": "category",
    "grid": "grid",
    "g": "grid",
    "who": "assignee",
    "a": "assignee",
    "lvl": "level",
    "l": "level",
}


_FILTER_ENUMS: dict[str, type[StrEnum]] = {"status": PetitionStatus, "category": Category, "level": Level}


def _member_names(member: StrEnum, labels: dict[str, list[str]]) -> str:
    """What people call ``member`` (its value and its labels), as a filter word is matched against."""
    key = f"{type(member).__name__}.{member.value}"
    return " ".join([member.value, *labels.get(key, [])]).casefold()


def _filter_words(query: str) -> list[str]:
    """A filter's words, as typed with a Chinese input method too (`s：处置`, its colon full-width)."""
    return query.replace("：", ":").casefold().split()


def filter_petitions(views: list[PetitionView], query: str, labels: dict[str, list[str]]) -> list[PetitionView]:
    """Keep the cases matching every word of ``query``.

    ``labels`` maps an enum member's ``Class.value`` key to the words people call it (Chinese and
    English labels), so `status:处置中` and `status:in_progress` both work.
    """
    words = _filter_words(query)
    if not words:
        return views

    def names(member: StrEnum) -> str:
        return _member_names(member, labels)

    def field_text(view: PetitionView, name: str) -> str:
        p = view.petition
        return {
            "status": names(p.status),
            "category": names(p.category),
            "level": names(p.level),
            "grid": f"{view.grid} {p.grid_id or ''} {view.community}".casefold(),
            "assignee": p.assignee.casefold(),
        }[name]

    def keep(view: PetitionView) -> bool:
        p = view.petition
        free = f"{p.id} {p.title} {view.community} {view.grid} {p.assignee}".casefold()
        for word in words:
            name, sep, value = word.partition(":")
            if sep and name in _FILTER_FIELDS:
                if value not in field_text(view, _FILTER_FIELDS[name]):
                    return False
            elif word not in free:
                return False
        return True

    return [v for v in views if keep(v)]


def unknown_filter_words(query: str, labels: dict[str, list[str]]) -> list[tuple[str, str]]:
    """The ``status:``, ``cat:`` and ``lvl:`` words of ``query`` that no status, category or level is
    called by (``status:不存在``), as (field, value): they match no case whatever is open, and the
    filter says so rather than show an empty list as if none were."""
    unknown = []
    for word in _filter_words(query):
        name, sep, value = word.partition(":")
        field = _FILTER_FIELDS.get(name, "") if sep else ""
        members = _FILTER_ENUMS.get(field)
        if members is not None and value and not any(value in _member_names(m, labels) for m in members):
            unknown.append((field, value))
    return unknown


def community_names(store: Store) -> dict[str, str]:
    return {c.id: c.name for c in store.all(Community)}


# ---------------------------------------------------------------------------
# Grid visits


@valueclass
@dataclass(eq=False, repr=False)
class GridProgress:
    grid: Grid
    community: str
    planned: int = 0
    visited: int = 0
    special_unvisited: dict[SpecialTag, int] = field(default_factory=dict)
    depth: int = 0

    @property
    def ratio(self) -> float:
        return self.visited / self.planned if self.planned else 1.0


def visit_progress(store: Store, day: date, *, tagged: SpecialTag | None = None) -> list[GridProgress]:
    """Planned vs visited per grid today, rolled up the tree, in tree order.

    Only grids with something planned (themselves or below) are listed. ``tagged`` (`summary`, for
    its 独居老人 not visited): only the plans of households with that tag are counted, and no other
    plan or visit is validated (``_tagged_plans``).
    """
    grids = {g.id: g for g in store.all(Grid)}
    names = community_names(store)
    if tagged is None:
        plans = store.all(VisitPlan, day.isoformat())
        visited = {v.household_id for v in store.all(Visit, day.isoformat())}
    else:
        plans, visited = _tagged_plans(store, day, tagged)

    rows: dict[str, GridProgress] = {}

    def row(grid_id: str) -> GridProgress:
        if grid_id not in rows:
            grid = grids[grid_id]
            rows[grid_id] = GridProgress(grid=grid, community=names.get(grid.community_id, grid.community_id))
        return rows[grid_id]

    for plan in plans:
        if plan.grid_id not in grids:
            continue
        done = plan.household_id in visited
        grid_id: str | None = plan.grid_id
        while grid_id is not None:  # roll up: micro → branch → large
            progress = row(grid_id)
            progress.planned += 1
            progress.visited += done
            if not done:
                for tag in plan.tags:
                    progress.special_unvisited[tag] = progress.special_unvisited.get(tag, 0) + 1
            grid_id = grids[grid_id].parent_id if grids[grid_id].parent_id in grids else None

    ordered = []
    for grid, depth in grid_tree(list(grids.values())):  # every ancestor of a row is a row: depth is exact
        if grid.id in rows:
            rows[grid.id].depth = depth
            ordered.append(rows[grid.id])
    return ordered


def _tagged_plans(store: Store, day: date, tag: SpecialTag) -> tuple[list[VisitPlan], set[str]]:
    """The day's plans of households tagged ``tag``, and which of those households were visited.
    Of a file read for the first time only those plans and the visits to those households are
    validated (``Store.first_read``): on a township 106 of the day's 1,335 plans are 独居老人's. A
    plan or visit stored so that it cannot be told (tags not a list, no household id) is validated,
    and its damage said; another one's is `check`'s to name."""

    def plan_kept(model: type[Record], doc: Any) -> bool:
        tags = doc.get("tags", []) if isinstance(doc, dict) else None
        return model is not VisitPlan or not isinstance(tags, list) or tag.value in tags

    def visit_kept(model: type[Record], doc: Any) -> bool:
        household = doc.get("household_id") if isinstance(doc, dict) else None
        return model is not Visit or not isinstance(household, str) or household in households

    with store.validating_only(plan_kept):
        plans = [p for p in store.all(VisitPlan, day.isoformat()) if tag in p.tags]
    households = {p.household_id for p in plans}
    with store.validating_only(visit_kept):
        visited = {v.household_id for v in store.all(Visit, day.isoformat())}
    return plans, visited


class CommunityProgress(NamedTuple):
    """The top of the tree: a community's grids summed (社区 → 大网格 → 支部网格 → 微网格)."""

    community_id: str
    name: str
    planned: int
    visited: int
    special_unvisited: dict[SpecialTag, int]

    @property
    def ratio(self) -> float:
        return self.visited / self.planned if self.planned else 1.0


def community_progress(progress: list[GridProgress]) -> list[CommunityProgress]:
    """One row per community with visits planned today, in the order its grids appear."""
    order: list[str] = []
    totals: dict[str, list[GridProgress]] = defaultdict(list)
    for row in progress:
        if row.depth == 0:
            if row.grid.community_id not in totals:
                order.append(row.grid.community_id)
            totals[row.grid.community_id].append(row)
    out = []
    for community_id in order:
        roots = totals[community_id]
        special: dict[SpecialTag, int] = defaultdict(int)
        for root in roots:
            for tag, count in root.special_unvisited.items():
                special[tag] += count
        out.append(
            CommunityProgress(
                community_id,
                roots[0].community,
                sum(r.planned for r in roots),
                sum(r.visited for r in roots),
                dict(special),
            )
        )
    return out


def least_progress_first(progress: list[GridProgress]) -> list[GridProgress]:
    """The micro grids (where visits happen), furthest behind first: lowest share visited, then most
    households left, then special households left."""
    leaves = [p for p in progress if p.grid.level is GridLevel.MICRO]
    return sorted(
        leaves, key=lambda p: (p.ratio, -(p.planned - p.visited), -sum(p.special_unvisited.values()), p.grid.id)
    )


# ---------------------------------------------------------------------------
# 一老一小 schedule


class SessionView(NamedTuple):
    session: ServiceSession
    phase: SessionPhase  # LATE: late now, nobody checked in yet (what needs action)
    community: str
    late_by: timedelta | None = None  # how late it started, kept once checked in or completed (schedule.late_by)

    @property
    def was_late(self) -> bool:
        """Late today: still late now, or checked in or completed late (the fact stays)."""
        return self.late_by is not None


def todays_schedule(store: Store, now: datetime, calendar: DeadlineRules | None = None) -> list[SessionView]:
    return day_schedule(store, now.date(), now, calendar)


def day_schedule(store: Store, day: date, now: datetime, calendar: DeadlineRules | None = None) -> list[SessionView]:
    """``day``'s sessions as of ``now``: their phase, and how late each started."""
    names = community_names(store)
    sessions = sessions_on(store, day, calendar or DeadlineRules())
    return [
        SessionView(s, session_phase(s, now), names.get(s.community_id, s.community_id), late_by(s, now))
        for s in sessions
    ]


# ---------------------------------------------------------------------------
# Header


class Headline(NamedTuple):
    township: str
    on_duty: str
    on_duty_leader: str
    on_duty_count: int
    open: int
    overdue: int
    due_today: int
    # None: not read yet (the first frame's headline, ``first_frame``): the header shows a placeholder, never a 0.
    visited: int | None
    planned: int | None
    late_sessions: int | None
    arrears_holders: int | None


def headline(store: Store, now: datetime, figures: "Digest", *, complete: bool = True) -> Headline:
    """The header's counts: the digest's own (what counts as overdue, due today or in arrears is
    said once, on ``Digest``), and who is on duty now. Not ``complete`` (the first frame's, whose
    digest holds the cases alone): the visits, the late sessions and the arrears are None."""
    shift = shift_at(store, now)  # at 03:00 the shift on duty is yesterday's 08:00 one
    people = [] if shift is None else [shift.leader, *shift.staff]
    roots = [p for p in figures.progress if p.depth == 0]
    return Headline(
        township=figures.township,
        on_duty="、".join(people),
        on_duty_leader=people[0] if people else "",
        on_duty_count=len(people),
        open=len(figures.cases),
        overdue=len(figures.overdue),
        due_today=len(figures.due_today),
        visited=sum(p.visited for p in roots) if complete else None,
        planned=sum(p.planned for p in roots) if complete else None,
        late_sessions=sum(s.phase is SessionPhase.LATE for s in figures.sessions) if complete else None,
        arrears_holders=len(figures.arrears) if complete else None,
    )


# ---------------------------------------------------------------------------
# Everything one dashboard refresh needs, read in one go


# ---------------------------------------------------------------------------
# The on-call digest (`duty-room summary`): what it prints, read in one go, and nothing else;
# the dashboard is the digest and what only the screen shows.


class Digest(NamedTuple):
    township: str
    petitions: list[PetitionView]  # (`summary`'s: none, ``cases`` alone)
    progress: list[GridProgress]
    sessions: list[SessionView]
    stalls: list[StallView]
    fees: FeeTotals
    upcoming: NextSessions
    cases: list[CaseDue]  # every open case, most urgent first: ``petitions``' (``of_views``), or `summary`'s

    # What `summary` lists and its exit status judges (the dashboard's header counts the same: ``headline``).

    @property
    def overdue(self) -> list[str]:
        """The open cases past due, by id, most urgent first."""
        return [c.id for c in self.cases if c.overdue]

    @property
    def due_today(self) -> list[str]:
        return [c.id for c in self.cases if c.due_today]

    @property
    def late_now(self) -> bool:
        """A session nobody has checked in to yet, past its start (the alarm)."""
        return any(s.phase is SessionPhase.LATE for s in self.sessions)

    @property
    def late_today(self) -> list[SessionView]:
        """Today's sessions late now, or checked in or completed late: the lateness stays on record."""
        return [s for s in self.sessions if s.was_late]

    @property
    def living_alone_unvisited(self) -> dict[str, int]:
        """独居老人 not visited today, by community name (those with none left out): summed over the
        community's large grids, as the dashboard and the hand-over count them."""
        counts = {
            c.name: c.special_unvisited.get(SpecialTag.LIVING_ALONE, 0) for c in community_progress(self.progress)
        }
        return {name: count for name, count in counts.items() if count}

    @property
    def arrears(self) -> list[StallView]:
        return [v for v in self.stalls if v.arrears_fen]


def digest(
    store: Store,
    now: datetime,
    *,
    calendar: DeadlineRules | None = None,
    fee_rules: FeeRules | None = None,
    for_summary: bool = False,
) -> Digest:
    """The dashboard's figures that `summary` prints, without what only the screen shows (how many
    workers are out visiting; the rates; the shift's log): a cold process
    validates each record it reads, so the digest reads only these.

    ``for_summary``: of the live cases only the open ones are counted (``cases``; ``petitions``
    is empty), each as its day file keeps it where the file is as written (``open_case_dues``), else
    validated as for the first frame, but a case whose stored status is damaged is validated (and
    stops it, exit 2) as before; the dashboard's reload needs the closed ones for its rates. And of today's
    visit plans only those of 独居老人 are counted (``progress`` holds those alone): `summary` says
    ``living_alone_unvisited`` and nothing else of it. Of the stalls, the arrears and the fees
    (``stall_roster``): no permit is read, and the payments' figures are read as each year's file
    keeps them (``market.payment_figures``), its records not validated, where the file is as written."""
    communities = store.all(Community)
    stalls, fees = stall_roster(store, now.date(), fee_rules, for_summary=for_summary)
    petitions = [] if for_summary else open_petitions(store, now)
    return Digest(
        township=communities[0].township if communities else "",
        petitions=petitions,
        progress=visit_progress(store, now.date(), tagged=SpecialTag.LIVING_ALONE if for_summary else None),
        sessions=todays_schedule(store, now, calendar),
        stalls=stalls,
        fees=fees,
        upcoming=next_sessions(store, now, calendar or DeadlineRules()),
        cases=open_case_dues(store, now) if for_summary else of_views(petitions),
    )


def of_views(petitions: list[PetitionView]) -> list[CaseDue]:
    """The open cases of ``open_petitions`` (most urgent first) as the digest counts them."""
    return [CaseDue(v.petition.id, v.petition.due_at, v.overdue, v.due_today) for v in petitions]


class Dashboard(NamedTuple):
    now: datetime
    generation: int
    petitions: list[PetitionView]
    progress: list[GridProgress]
    sessions: list[SessionView]
    stalls: list[StallView]
    fees: FeeTotals
    headline: Headline
    rates: "list[Rates]"
    workers_out: int  # grid workers with a visit logged today
    workers_expected: int  # grid workers with visits planned or logged today
    upcoming: NextSessions  # the next session to start (maybe tomorrow), overall and per audience
    duty: DutyStatus  # the shift on duty, the next handover, every open incident's report clock
    log: list[DutyLogEntry]  # the 值班记录 of the shift on duty
    # False: the first frame's read (``first_frame``): the open cases, the header's shift and case
    # counts; the rest is empty (the headline's other counts None) until ``dashboard`` has read it.
    complete: bool = True
    # The shift handed over (交班) and not taken over yet (接班), as `duty today` says: its id.
    awaiting_handover: str | None = None


def first_frame(store: Store, now: datetime, *, duty_rules: DutyRules | None = None) -> Dashboard:
    """What the dashboard's first frame shows, read alone: the header (the township, who is on
    duty, the next report's clock, the case counts) and panel 1's open cases. The rest (the day's
    visits and plans, the stalls and every year's payments, the sessions, the shift's log, the
    rates of the cases closed in the last 30 days) is read by ``dashboard`` right after the frame
    is on screen; on a township it was half the first read. Not ``complete``.

    Of the live cases it validates the open ones (``Store.first_read``): the cases closed in the last
    30 days share their day files, and are validated when the rest is read."""
    generation = store.generation()  # read first: a change during the read triggers another refresh
    communities = store.all(Community)
    petitions = open_cases_alone(store, now)
    duty = duty_status(store, now, duty_rules)
    nothing = Digest(
        township=communities[0].township if communities else "",
        petitions=petitions,
        progress=[],
        sessions=[],
        stalls=[],
        fees=FeeTotals(0, 0, 0, 0),
        upcoming=NextSessions(None, None, None),
        cases=of_views(petitions),
    )
    return Dashboard(
        now=now,
        generation=generation,
        petitions=petitions,
        progress=[],
        sessions=[],
        stalls=[],
        fees=nothing.fees,
        headline=headline(store, now, nothing, complete=False),
        rates=[],
        workers_out=0,
        workers_expected=0,
        upcoming=nothing.upcoming,
        duty=duty,
        log=[],
        complete=False,
    )


_OPEN = frozenset(status.value for status in PetitionStatus if status.is_open)


def open_cases_alone(
    store: Store, now: datetime, *, keep: Callable[[type[Record], Any], bool] | None = None
) -> list[PetitionView]:
    """``open_petitions``, validating of a live file read for the first time only the cases ``keep``
    keeps (``Store.first_read``; by default the open ones): the cases closed in the last 30 days
    share the day files, and on a township are half of them. A file read so is validated whole when
    next read (the dashboard's rest); `summary` reads it once, and a closed case damaged there is
    `check`'s to name."""
    with store.validating_only(keep or _open_cases):
        return open_petitions(store, now)


def _open_cases(model: type[Record], doc: Any) -> bool:
    """A stored record the first frame validates: any but a case whose stored status is not an open
    one's (a status damaged too: the case is validated, and its damage said, when the rest is read)."""
    return model is not Petition or not isinstance(doc, dict) or doc.get("status") in _OPEN


_ENDED = frozenset(status.value for status in PetitionStatus if not status.is_open)


def _unless_ended(model: type[Record], doc: Any) -> bool:
    """A stored record `summary` validates: any but a case whose stored status is an ended one's (a
    status damaged is validated: its damage stops `summary`, as it did when every case was)."""
    return model is not Petition or not isinstance(doc, dict) or doc.get("status") not in _ENDED


def dashboard(
    store: Store,
    now: datetime,
    *,
    calendar: DeadlineRules | None = None,
    fee_rules: FeeRules | None = None,
    duty_rules: DutyRules | None = None,
) -> Dashboard:
    from .metrics import all_windows

    generation = store.generation()  # read first: a change during the read triggers another refresh
    figures = digest(store, now, calendar=calendar, fee_rules=fee_rules)
    out, expected = workers_out(store, now.date())
    duty = duty_status(store, now, duty_rules)
    shift_start = duty.shift.starts_at if duty.shift is not None else now - timedelta(hours=24)
    return Dashboard(
        now=now,
        generation=generation,
        petitions=figures.petitions,
        progress=figures.progress,
        sessions=figures.sessions,
        stalls=figures.stalls,
        fees=figures.fees,
        headline=headline(store, now, figures),
        rates=all_windows(store.all(Petition), now),
        workers_out=out,
        workers_expected=expected,
        upcoming=figures.upcoming,
        duty=duty,
        log=entries_between(store, shift_start, duty.next_handover),  # up to the handover: now's entry too
        awaiting_handover=awaiting.id if (awaiting := pending_handover(store, now)) is not None else None,
    )
