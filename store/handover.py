"""交接班: the handover of a shift, generated from the store, handed over and acknowledged.

The report gathers what the incoming officer must know: the shift's log, the cases received and
closed during the shift and those overdue, late 一老一小 sessions, special households not yet
visited, the open incidents with their next report due and every late report, the stalls in
arrears, and the outgoing officer's notes. Handing over records a snapshot of it (the ids, so the
record stands as cases move on), made under the store's lock: the shift as it is when it is handed
over, never as it was when the officer began to read it (``hand_over`` refuses a report that no longer
is the store's); the incoming officer acknowledges it with their own account.

Once a shift is handed over its report is read back from the record (``Recorded``): the log entries,
open incidents, late reports and overdue cases the record lists, as they were at the hand-over, with
what became of them since said apart as now; what the shift logged after the hand-over is in no
handover, so it is kept apart too (``AfterHandover``), never mixed into what was handed over.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from . import i18n
from .clock import at, end_of_day
from .deadlines import DeadlineRules
from .duty_models import DutyLogEntry, Handover, Incident, IncidentReport, LogEvent, ReportStage
from .dutylog import (
    DutyRefused,
    DutyRules,
    IncidentClock,
    Reader,
    ReportSlot,
    clocks_of,
    entries_between,
    find_handover as find_handover,  # found there: the dashboard reads it without this module
    find_incident,
    find_shift,
    handover_id_for as handover_id_for,
    incident_clock,
    months_between,
    pending_handover as pending_handover,
    report_clock,
    report_slots,
    shift_at,
)
from .i18n import Lang
from .market import FeeRules, StallView, stall_roster
from .models import Community, DutyShift, Grid, Petition, PetitionStatus
from .queries import (
    CommunityProgress,
    PetitionView,
    SessionView,
    community_progress,
    day_schedule,
    open_petitions,
    urgency_key,
    visit_progress,
)
from .schedule import SessionPhase
from .storage import ARCHIVE_AFTER, Store


@dataclass(frozen=True)
class LateReport:
    incident: Incident
    slot: ReportSlot
    overdue_by: timedelta


@dataclass(frozen=True)
class AfterHandover:
    """What the shift logged after it was handed over, up to its end (or now, if it is not over).

    It is in no handover, the next one included (that one is the next shift's), so an export shows it
    in a section of its own, never among what was handed over."""

    start: datetime  # the hand-over
    end: datetime  # the shift's end, or now
    entries: list[DutyLogEntry]
    received: list[Petition]
    closed: list[Petition]
    reports: list[tuple[Incident, IncidentReport]]  # reports upward made after the hand-over


@dataclass(frozen=True)
class Correction:
    """A log entry the hand-over listed, corrected since: the entry as it is now, and the corrections
    made after the hand-over (each with who, when and why). The report lists the entry as handed over."""

    entry: DutyLogEntry  # as corrected now
    events: list[LogEvent]  # the corrections made after the hand-over, in order


@dataclass(frozen=True)
class Recorded:
    """A shift already handed over, read back from its record: what a report of it adds.

    The report's entries, incidents, late reports and overdue cases are the record's, as they were at
    the hand-over (the incidents without the reports made since; the cases with their status then);
    what they are now is here, said apart, and so is what the shift logged after the hand-over and
    every correction of a listed log entry made since (the entries are listed as handed over)."""

    exported: datetime  # when it was read back
    later: bool  # read back after the hand-over (not the report it was handed over with)
    overdue: list[PetitionView]  # the record's overdue cases, in its order
    status_then: dict[str, PetitionStatus]  # each case's status at the hand-over
    incidents_now: dict[str, IncidentClock]  # each recorded incident as it is now (its next report as of now)
    unread_late: list[str]  # a recorded late report whose line or incident cannot be read: shown as recorded
    after: AfterHandover | None  # None: read at the hand-over itself, or handed over when the shift was over
    corrections: list[Correction] = field(default_factory=list)  # listed entries corrected after the hand-over


@dataclass(frozen=True)
class HandoverReport:
    township: str
    shift: DutyShift
    next_shift: DutyShift | None
    start: datetime  # the shift's start
    moment: datetime  # what the report is as of: now, or the shift's end if it is over
    entries: list[DutyLogEntry]
    received: list[Petition]  # registered during the shift
    closed: list[Petition]  # resolved or closed during the shift
    open_cases: list[PetitionView]  # every open case, most urgent first
    late_sessions: list[SessionView]
    unvisited: list[CommunityProgress]  # communities with special households not yet visited today
    incidents: list[IncidentClock]  # open incidents, the next report due first
    late_reports: list[LateReport]  # reports made late during the shift, and those owed and past due
    arrears: list[StallView]
    handover: Handover | None = None
    community_names: dict[str, str] = field(default_factory=dict)
    # The rules it was built with: ``hand_over`` builds it again under the lock with the same ones.
    rules: DutyRules | None = None
    calendar: DeadlineRules | None = None
    fee_rules: FeeRules | None = None
    recorded: Recorded | None = None  # handed over: read back from the record
    # Closed by their 终报 during the shift (opened in it or before), as they were closed: the shift's
    # incidents are these and ``incidents``, those still open.
    closed_incidents: list[Incident] = field(default_factory=list)

    @property
    def overdue(self) -> list[PetitionView]:
        if self.recorded is not None:
            return self.recorded.overdue
        return [v for v in self.open_cases if v.overdue]

    @property
    def open_count(self) -> int:
        """Open cases: as the record counted them once handed over."""
        return self.handover.open_cases if self.recorded is not None and self.handover else len(self.open_cases)

    def status_then(self, petition: Petition) -> PetitionStatus:
        """A case's status as of the report: at the hand-over once handed over."""
        return petition.status if self.recorded is None else self.recorded.status_then.get(petition.id, petition.status)

    def status_since(self, petition: Petition) -> PetitionStatus | None:
        """Read back after the hand-over: a case's status now, where it is not what it was then (else None)."""
        later = self.recorded is not None and self.recorded.later
        return petition.status if later and petition.status != self.status_then(petition) else None

    @property
    def corrected_ids(self) -> set[str]:
        """The listed log entries corrected after the hand-over (an export marks their rows)."""
        return {c.entry.id for c in self.recorded.corrections} if self.recorded is not None else set()

    @property
    def contents(self) -> HandoverContents:
        """What a handover of this report records: its log entries, open incidents, late reports, overdue cases."""
        if self.recorded is not None and self.handover is not None:  # the record's own
            h = self.handover
            return HandoverContents(
                tuple(h.entry_ids), tuple(h.open_incident_ids), tuple(h.late_reports), tuple(h.overdue_case_ids)
            )
        return HandoverContents(
            entries=tuple(e.id for e in self.entries),
            incidents=tuple(c.incident.id for c in self.incidents),
            late_reports=tuple(_late_line(late) for late in self.late_reports),
            overdue=tuple(v.petition.id for v in self.overdue),
        )


# What changed between two reports, by kind: the words of store/i18n.py for more of it and for fewer.
_CHANGE_WORDS = {
    "entries": ("report_change.entries_more", "report_change.entries_fewer"),
    "incidents": ("report_change.incidents_more", "report_change.incidents_fewer"),
    "late_reports": ("report_change.late_more", "report_change.late_fewer"),
    "overdue": ("report_change.overdue_more", "report_change.overdue_fewer"),
}


def _late_slot(line: str) -> str:
    """A late report's line without when it was made: the report owed, made since, is the same one."""
    return line.partition(" @")[0]


@dataclass(frozen=True)
class HandoverContents:
    """The ids a handover records of its report: what the outgoing officer signs.

    Compared as sets (``==``, ``changes``): the report orders them by what moves (open incidents by
    their next report due), and the same ids in another order are the same handover."""

    entries: tuple[str, ...]
    incidents: tuple[str, ...]
    late_reports: tuple[str, ...]
    overdue: tuple[str, ...]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, HandoverContents) and self.ids() == other.ids()

    def __hash__(self) -> int:
        return hash(self.ids())

    def ids(self) -> tuple[frozenset[str], ...]:
        return tuple(frozenset(getattr(self, kind)) for kind in _CHANGE_WORDS)

    def changes(self, now: HandoverContents) -> list[tuple[str, int]]:
        """How ``now`` differs from this: (word key, how many), e.g. one more log entry, one incident closed."""
        out = []
        for kind, (more, fewer) in _CHANGE_WORDS.items():
            was, is_ = getattr(self, kind), getattr(now, kind)
            if kind == "late_reports":  # owed and late, then made (late): one report, now made
                made = sum((Counter(is_) - Counter(was)).values())
                was, is_ = [_late_slot(x) for x in was], [_late_slot(x) for x in is_]
            before, after = Counter(was), Counter(is_)
            added, gone = sum((after - before).values()), sum((before - after).values())
            out += [(key, n) for key, n in ((more, added), (fewer, gone)) if n]
            if kind == "late_reports" and made > added:
                out.append(("report_change.late_made", made - added))
        return out


def changes_in_words(changes: list[tuple[str, int]], lang: Lang) -> str:
    """新增1条记录、1起事件已终报 — what ``HandoverContents.changes`` found, in words."""
    return i18n.t("report_change.and", lang).join(i18n.t(key, lang).format(n) for key, n in changes)


class HandoverChanged(DutyRefused):
    """The shift's report under the lock is not the one the officer reviewed: handing it over is refused.

    ``report`` is the one the store has: what a form shows next, to be reviewed and handed over."""

    def __init__(self, changes: list[tuple[str, int]], report: HandoverReport) -> None:
        self.changes = changes
        self.report = report
        super().__init__("duty_report_changed")

    def reason(self, lang: Lang) -> str:
        return i18n.t("refused.duty_report_changed", lang).format(changes=changes_in_words(self.changes, lang))


def _closed_in(petition: Petition, start: datetime, end: datetime) -> bool:
    return any(
        e.to_status in (PetitionStatus.RESOLVED, PetitionStatus.CLOSED)
        and e.from_status != e.to_status
        and start <= e.at < end
        for e in petition.history
    )


def _late_reports(
    reader: Reader, clocks: list[IncidentClock], start: datetime, end: datetime, moment: datetime, rules: DutyRules
) -> list[LateReport]:
    """Reports made late during the shift (on incidents open now or closed since it began), then those owed and late."""
    incidents = {c.incident.id: c.incident for c in clocks}
    for month in months_between(start, moment):
        incidents.update({i.id: i for i in reader.all(Incident, month)})
    late = []
    for incident in sorted(incidents.values(), key=lambda i: i.id):
        for slot in report_slots(incident, rules):
            if slot.report is not None and start <= slot.report.at < end and slot.late(moment):
                late.append(LateReport(incident, slot, slot.overdue_by(moment)))
        if incident.closed_at is not None and incident.closed_at >= start:
            late.extend(LateReport(incident, slot, slot.overdue_by(moment)) for slot in _missed(incident, rules, end))
    for clock in clocks:
        late.extend(LateReport(clock.incident, slot, slot.overdue_by(moment)) for slot in clock.late)
    return late


def _closed_incidents(reader: Reader, start: datetime, end: datetime, moment: datetime) -> list[Incident]:
    """The incidents whose 终报 closed them during the shift, up to ``end``, the first closed first
    (a closed incident is filed under the month it closed)."""
    closed = {
        i.id: i
        for month in months_between(start, moment)
        for i in reader.all(Incident, month)
        if i.closed_at is not None and start <= i.closed_at < end
    }
    return sorted(closed.values(), key=lambda i: (i.closed_at, i.id))


def _missed(incident: Incident, rules: DutyRules, end: datetime) -> list[ReportSlot]:
    """The reports a closed incident owed, past due, when its 终报 closed it (漏报): the 终报 ends the
    clocks, not what they had counted, so the handover still holds them to account."""
    assert incident.closed_at is not None
    before = incident.model_copy(
        update={
            "reports": [r for r in incident.reports if r.stage is not ReportStage.FINAL],
            "ended_at": incident.ended_at if incident.ended_at and incident.ended_at < incident.closed_at else None,
            "closed_at": None,
        }
    )
    return [
        slot
        for slot in report_slots(before, rules)
        if slot.report is None
        and slot.stage is not ReportStage.FINAL
        and slot.due
        and slot.due < incident.closed_at
        and slot.due < end
    ]


def handover_report(
    store: Store,
    now: datetime,
    *,
    shift_id: str | None = None,
    rules: DutyRules | None = None,
    calendar: DeadlineRules | None = None,
    fee_rules: FeeRules | None = None,
) -> HandoverReport:
    """The handover of a shift (the one on duty at ``now`` by default), as of now or the shift's end.

    A shift already handed over is read back from its record, as of the hand-over (``Recorded``): what
    was handed over, what it is now, and what the shift logged after it."""
    rules = rules or DutyRules()
    shift = find_shift(store, shift_id) if shift_id else shift_at(store, now)
    if shift is None:
        raise DutyRefused("duty_no_shift", id=f"{now:%Y-%m-%d %H:%M}")
    handover = find_handover(store, shift)
    if handover is None:
        return _report(store, shift, now, rules, calendar, fee_rules)
    return _read_back(store, _report(store, shift, handover.at, rules, calendar, fee_rules), handover, now)


def _window_end(moment: datetime, shift: DutyShift) -> datetime:
    """Up to ``moment``, including what was written this very second; a shift that is over ends where the next begins."""
    return moment + timedelta(seconds=1) if moment < shift.ends_at else shift.ends_at


def _late_sessions(
    store: Store, start: datetime, moment: datetime, calendar: DeadlineRules | None
) -> list[SessionView]:
    """The 一老一小 sessions late in the shift: due during it and late (still, or checked in or
    completed late: the lateness stays on record), and today's still late now, due before it began."""
    found: list[SessionView] = []
    day = start.date()
    while day <= moment.date():
        for view in day_schedule(store, day, moment, calendar):
            s = view.session
            due = at(day, s.start.hour, s.start.minute)
            if due > moment or not view.was_late:
                continue
            if due >= start or (view.phase is SessionPhase.LATE and day == moment.date()):
                found.append(view)
        day += timedelta(days=1)
    return found


def _report(
    store: Store,
    shift: DutyShift,
    now: datetime,
    rules: DutyRules,
    calendar: DeadlineRules | None,
    fee_rules: FeeRules | None,
) -> HandoverReport:
    """The shift's report from the store as it is, as of ``now`` or the shift's end."""
    moment = min(now, shift.ends_at)
    start = shift.starts_at
    end = _window_end(moment, shift)
    petitions = store.all(Petition)  # open cases and those closed in the last 30 days
    views = open_petitions(store, moment)
    clocks = (
        clocks_of(_open_at(store, moment, now), moment, rules) if moment < now else report_clock(store, moment, rules)
    )
    stalls, _ = stall_roster(store, moment.date(), fee_rules)
    communities = store.all(Community)
    next_shift = shift_at(store, shift.ends_at)
    return HandoverReport(
        township=communities[0].township if communities else "",
        shift=shift,
        next_shift=next_shift if next_shift is not None and next_shift.id != shift.id else None,
        start=start,
        moment=moment,
        entries=entries_between(store, start, end),
        received=sorted((p for p in petitions if start <= p.created_at < end), key=lambda p: p.created_at),
        closed=sorted((p for p in petitions if _closed_in(p, start, end)), key=lambda p: p.id),
        open_cases=views,
        late_sessions=_late_sessions(store, start, moment, calendar),
        unvisited=[
            c for c in community_progress(visit_progress(store, moment.date())) if any(c.special_unvisited.values())
        ],
        incidents=clocks,
        late_reports=_late_reports(store, clocks, start, end, moment, rules),
        arrears=[v for v in stalls if v.arrears_fen > 0],
        community_names={c.id: c.name for c in communities},
        rules=rules,
        calendar=calendar,
        fee_rules=fee_rules,
        closed_incidents=_closed_incidents(store, start, end, moment),
    )


def status_at(petition: Petition, moment: datetime) -> PetitionStatus:
    """A case's status at ``moment``: every step records the status it left."""
    later = (e.from_status for e in petition.history if e.at > moment and e.from_status is not None)
    return next(later, petition.status)


def _open_at(reader: Reader, moment: datetime, now: datetime) -> list[Incident]:
    """The incidents open at ``moment``, a shift's end before ``now``, as they were then: known by then,
    and not closed by then (one closed since is filed under the month it closed). The report of a shift
    not handed over listed those open now: one learned of in the next shift, with that shift's reports,
    but not one its own shift left open and the next closed."""
    found = {i.id: i for i in reader.all(Incident)}  # open ones
    for month in months_between(moment, now):
        found.update((i.id, i) for i in reader.all(Incident, month) if i.closed_at is not None and i.closed_at > moment)
    return sorted(
        (
            _incident_as_of(i, moment)
            for i in found.values()
            if i.known_at <= moment and (i.closed_at is None or i.closed_at > moment)
        ),
        key=lambda i: (i.known_at, i.id),
    )


def _incident_as_of(incident: Incident, moment: datetime) -> Incident:
    """An incident open at ``moment`` as it was then: without the reports made since, not yet ended."""
    reports = [r for r in incident.reports if r.at <= moment and r.stage is not ReportStage.FINAL]
    ended = incident.ended_at if incident.ended_at is not None and incident.ended_at <= moment else None
    return incident.model_copy(update={"reports": reports, "ended_at": ended, "closed_at": None})


def _petitions_since(store: Store, start: datetime, now: datetime) -> list[Petition]:
    """The cases a report of a shift that began at ``start`` may name: those in the live files, and
    those closed since it began and archived meanwhile (a case is archived a month after it is closed)."""
    petitions = {p.id: p for p in store.all(Petition)}
    if start < now - ARCHIVE_AFTER:
        month, year = f"archive-{start:%Y-%m}", f"archive-{start:%Y}"
        for partition in store.partitions(Petition):  # archive-2026-11 by month, archive-2025 by year (old)
            if partition.startswith("archive-") and partition >= (year if len(partition) == len(year) else month):
                petitions.update((p.id, p) for p in store.all(Petition, partition) if p.id not in petitions)
    return list(petitions.values())


_LATE_LINE = re.compile(
    r"^(?P<id>\S+) (?P<stage>\w+) due (?P<due>\d\d-\d\d \d\d:\d\d)(?: @(?P<made>\d\d-\d\d \d\d:\d\d))?$"
)


def _dated(text: str, moment: datetime) -> datetime:
    """``11-28 15:00`` of a late report's line, in the year that puts it at or before ``moment`` (due or made before it)."""
    for year in (moment.year, moment.year - 1):
        try:
            when = datetime.strptime(f"{year}-{text}", "%Y-%m-%d %H:%M").replace(tzinfo=moment.tzinfo)
        except ValueError:  # 02-29 in a year without it
            continue
        if when <= moment + timedelta(minutes=1):
            return when
    raise ValueError(text)


def _recorded_late(store: Store, line: str, moment: datetime, found: dict[str, Incident]) -> LateReport | None:
    """A late report as the record has it (``_late_line``), as of the hand-over; None if it cannot be read."""
    match = _LATE_LINE.match(line)
    if match is None:
        return None
    incident_id = match["id"]
    try:
        if incident_id not in found:
            found[incident_id] = find_incident(store, incident_id)
        stage = ReportStage(match["stage"])
        due = _dated(match["due"], moment)
    except (DutyRefused, ValueError):
        return None
    incident, made = found[incident_id], match["made"]
    report = None
    if made is not None:
        report = next((r for r in incident.reports if r.stage is stage and f"{r.at:%m-%d %H:%M}" == made), None)
        if report is None:
            return None
    slot = ReportSlot(stage, due, report)
    return LateReport(incident, slot, slot.overdue_by(moment))


def _read_back(store: Store, base: HandoverReport, handover: Handover, now: datetime) -> HandoverReport:
    """``base`` (the shift's report as of the hand-over, from the store now) with what the record lists."""
    rules = base.rules or DutyRules()
    shift, moment, start = base.shift, base.moment, base.start
    end = _window_end(moment, shift)
    logged = entries_between(store, start, shift.ends_at)
    recorded_entries = set(handover.entry_ids)
    # The listed entries as handed over: a correction made since is said apart (Correction), never
    # written into what was handed over.
    by_id = {e.id: e for e in entries_between(store, start, shift.ends_at, as_of=handover.at)}
    corrections = [
        Correction(e, later)
        for e in logged
        if e.id in recorded_entries
        and (later := [x for x in e.history if x.action == "correct" and x.at > handover.at])
    ]
    found: dict[str, Incident] = {}
    for incident_id in handover.open_incident_ids:
        found[incident_id] = find_incident(store, incident_id)
    incidents = [incident_clock(_incident_as_of(found[i], moment), moment, rules) for i in handover.open_incident_ids]
    incidents_now = {i: incident_clock(found[i], now, rules) for i in handover.open_incident_ids}
    closed_incidents = []  # as the record lists them (none in a record written before they were listed)
    for incident_id in handover.closed_incident_ids:
        try:
            closed_incidents.append(find_incident(store, incident_id))
        except DutyRefused:  # not found (a store restored from an older backup): left out
            continue
    late, unread = [], []
    for line in handover.late_reports:
        read = _recorded_late(store, line, moment, found)
        if read is None:
            unread.append(line)
        else:
            late.append(read)

    petitions = _petitions_since(store, start, now)
    status_then = {p.id: status_at(p, moment) for p in petitions}
    overdue_ids = set(handover.overdue_case_ids)
    names = base.community_names
    grids = {g.id: g.name for g in store.all(Grid)}
    tomorrow = end_of_day(moment.date())

    def view(p: Petition) -> PetitionView:  # as at the hand-over: overdue as the record says
        overdue = p.id in overdue_ids
        status = status_then.get(p.id, p.status)
        return PetitionView(
            petition=p,
            community=names.get(p.community_id, p.community_id),
            grid=grids.get(p.grid_id or "", ""),
            age=moment - p.created_at,
            due_in=p.due_at - moment,
            overdue=overdue,
            due_today=status.is_open and status is not PetitionStatus.RESOLVED and not overdue and p.due_at < tomorrow,
        )

    open_then = sorted(
        (view(p) for p in petitions if p.created_at < end and status_then[p.id].is_open), key=urgency_key
    )
    views = {v.petition.id: v for v in open_then}
    for case_id in handover.overdue_case_ids:  # not found open then (a case imported since, backdated): as it is
        if case_id not in views:
            petition, _ = store.find(Petition, case_id)
            status_then.setdefault(petition.id, status_at(petition, moment))
            views[case_id] = view(petition)

    after = None
    if moment < shift.ends_at and now > handover.at:
        after_end = _window_end(min(now, shift.ends_at), shift)
        made_since: dict[str, Incident] = {i.id: i for i in store.all(Incident)}
        for month in months_between(moment, after_end):
            made_since.update((i.id, i) for i in store.all(Incident, month))
        after = AfterHandover(
            start=handover.at,
            end=min(now, shift.ends_at),
            entries=[e for e in logged if e.id not in recorded_entries and e.at < after_end],
            received=sorted((p for p in petitions if end <= p.created_at < after_end), key=lambda p: p.created_at),
            closed=sorted((p for p in petitions if _closed_in(p, end, after_end)), key=lambda p: p.id),
            reports=sorted(
                ((i, r) for i in made_since.values() for r in i.reports if moment < r.at < after_end),
                key=lambda ir: (ir[1].at, ir[0].id),
            ),
        )
    return replace(
        base,
        entries=[by_id[i] for i in handover.entry_ids if i in by_id],
        received=sorted((p for p in petitions if start <= p.created_at < end), key=lambda p: p.created_at),
        closed=sorted((p for p in petitions if _closed_in(p, start, end)), key=lambda p: p.id),
        open_cases=open_then,
        incidents=incidents,
        closed_incidents=closed_incidents,
        late_reports=late,
        handover=handover,
        recorded=Recorded(
            exported=now,
            later=now > handover.at,
            overdue=[views[i] for i in handover.overdue_case_ids],
            status_then=status_then,
            incidents_now=incidents_now,
            unread_late=unread,
            after=after,
            corrections=corrections,
        ),
    )


def _late_line(late: LateReport) -> str:
    made = "" if late.slot.report is None else f" @{late.slot.report.at:%m-%d %H:%M}"
    due = "" if late.slot.due is None else f"{late.slot.due:%m-%d %H:%M}"
    return f"{late.incident.id} {late.slot.stage.value} due {due}{made}"[:80]


def hand_over(store: Store, report: HandoverReport, *, notes: str = "") -> HandoverReport:
    """The outgoing officer hands the shift over (交班), with notes: ``report`` is the one they reviewed.

    Under the lock the shift's report is built again from the store as it is now; if its log entries,
    open incidents, late reports or overdue cases are not ``report``'s (another desk logged a call or
    opened an incident meanwhile, a report fell due), the handover is refused with what changed
    (``HandoverChanged``) and nothing is written: the officer signs what they read. Returns the report
    read back from the record (``Recorded``), its ``handover`` the record: what an export of it shows.
    """
    return _record(store, report.shift.id, report, notes, report.rules, report.calendar, report.fee_rules)


def hand_over_now(
    store: Store,
    *,
    shift_id: str | None = None,
    notes: str = "",
    rules: DutyRules | None = None,
    calendar: DeadlineRules | None = None,
    fee_rules: FeeRules | None = None,
) -> HandoverReport:
    """Hand over the shift (the one on duty by default) as the store has it under the lock, with no
    report reviewed before (the command line's ``--give``, which shows the report recorded after)."""
    return _record(store, shift_id, None, notes, rules, calendar, fee_rules)


def _record(
    store: Store,
    shift_id: str | None,
    reviewed: HandoverReport | None,
    notes: str,
    rules: DutyRules | None,
    calendar: DeadlineRules | None,
    fee_rules: FeeRules | None,
) -> HandoverReport:
    with store.transaction() as tx:
        shift = find_shift(tx, shift_id) if shift_id else shift_at(tx, tx.now)
        if shift is None:
            raise DutyRefused("duty_no_shift", id=f"{tx.now:%Y-%m-%d %H:%M}")
        if find_handover(tx, shift) is not None:
            raise DutyRefused("duty_handed_over", shift=shift.span)
        # The store as it is under the lock: nobody writes until this transaction ends.
        now = handover_report(store, tx.now, shift_id=shift.id, rules=rules, calendar=calendar, fee_rules=fee_rules)
        contents = now.contents
        if reviewed is not None and reviewed.contents != contents:
            raise HandoverChanged(reviewed.contents.changes(contents), now)
        handover = tx.put(
            Handover(
                id=handover_id_for(shift),
                shift_id=shift.id,
                at=tx.now,
                outgoing_by=store.actor,
                notes=notes,
                entry_ids=list(contents.entries),
                open_incident_ids=list(contents.incidents),
                closed_incident_ids=[i.id for i in now.closed_incidents],
                late_reports=list(contents.late_reports),
                overdue_case_ids=list(contents.overdue),
                open_cases=len(now.open_cases),
            )
        )
    return _read_back(store, now, handover, handover.at)  # what an export of it shows: the record, read back


def acknowledge(store: Store, shift_id: str, *, notes: str = "") -> Handover:
    """The incoming officer takes over (接班), with their own account and notes."""
    with store.transaction() as tx:
        shift = find_shift(tx, shift_id)
        handover = find_handover(tx, shift)
        if handover is None:
            raise DutyRefused("duty_not_handed_over", shift=shift.span)
        if handover.acknowledged_at is not None:
            raise DutyRefused("duty_acknowledged", shift=shift.span, who=handover.acknowledged_by)
        if handover.outgoing_by == store.actor:
            raise DutyRefused("duty_own_handover", who=handover.outgoing_by)
        return tx.put(
            handover.model_copy(
                update={"acknowledged_at": tx.now, "acknowledged_by": store.actor, "incoming_notes": notes}
            )
        )
