"""交接班: the handover of a shift, generated from the store, handed over and acknowledged.

The report gathers what the incoming officer must know: the shift's log, the cases received and
closed during the shift and those overdue, late 一老一小 sessions, special households not yet
visited, the open incidents with their next report due and every late report, the stalls in
arrears, and the outgoing officer's notes. Handing over records a snapshot of it (the ids, so the
record stands as cases move on), made under the store's lock: the shift as it is when it is handed
over, never as it was when the officer began to read it (``hand_over`` refuses a report that no longer
is the store's); the incoming officer acknowledges it with their own account.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from . import i18n
from .deadlines import DeadlineRules
from .duty_models import DutyLogEntry, Handover, Incident
from .dutylog import (
    DutyRefused,
    DutyRules,
    IncidentClock,
    Reader,
    ReportSlot,
    entries_between,
    find_shift,
    months_between,
    report_clock,
    report_slots,
    shift_at,
    shifts_between,
)
from .i18n import Lang
from .market import FeeRules, StallView, stall_roster
from .models import Community, DutyShift, Petition, PetitionStatus
from .queries import (
    CommunityProgress,
    PetitionView,
    SessionView,
    community_progress,
    open_petitions,
    todays_schedule,
    visit_progress,
)
from .schedule import SessionPhase
from .storage import Store


@dataclass(frozen=True)
class LateReport:
    incident: Incident
    slot: ReportSlot
    overdue_by: timedelta


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

    @property
    def overdue(self) -> list[PetitionView]:
        return [v for v in self.open_cases if v.overdue]

    @property
    def contents(self) -> HandoverContents:
        """What a handover of this report records: its log entries, open incidents, late reports, overdue cases."""
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

    def message(self, lang: Lang) -> str:
        return i18n.t("refused.duty_report_changed", lang).format(changes=changes_in_words(self.changes, lang))


def find_handover(reader: Reader, shift: DutyShift) -> Handover | None:
    handover_id = handover_id_for(shift)
    # Filed by the month it was made: from the shift's start to a month after its end.
    for month in months_between(shift.starts_at, shift.ends_at + timedelta(days=31)):
        for record in reader.all(Handover, month):
            if record.id == handover_id:
                return record
    return None


def handover_id_for(shift: DutyShift) -> str:
    return f"ho-{shift.id}"


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
    for clock in clocks:
        late.extend(LateReport(clock.incident, slot, slot.overdue_by(moment)) for slot in clock.late)
    return late


def handover_report(
    store: Store,
    now: datetime,
    *,
    shift_id: str | None = None,
    rules: DutyRules | None = None,
    calendar: DeadlineRules | None = None,
    fee_rules: FeeRules | None = None,
) -> HandoverReport:
    """The handover of a shift (the one on duty at ``now`` by default), as of now or the shift's end."""
    rules = rules or DutyRules()
    shift = find_shift(store, shift_id) if shift_id else shift_at(store, now)
    if shift is None:
        raise DutyRefused("duty_no_shift", id=f"{now:%Y-%m-%d %H:%M}")
    moment = min(now, shift.ends_at)
    start = shift.starts_at
    # Up to now, including what was written this very second; a shift that is over ends where the next begins.
    end = moment + timedelta(seconds=1) if moment < shift.ends_at else shift.ends_at
    petitions = store.all(Petition)  # open cases and those closed in the last 30 days
    views = open_petitions(store, moment)
    clocks = report_clock(store, moment, rules)
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
        late_sessions=[s for s in todays_schedule(store, moment, calendar) if s.phase is SessionPhase.LATE],
        unvisited=[
            c for c in community_progress(visit_progress(store, moment.date())) if any(c.special_unvisited.values())
        ],
        incidents=clocks,
        late_reports=_late_reports(store, clocks, start, end, moment, rules),
        arrears=[v for v in stalls if v.arrears_fen > 0],
        handover=find_handover(store, shift),
        community_names={c.id: c.name for c in communities},
        rules=rules,
        calendar=calendar,
        fee_rules=fee_rules,
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
    as recorded (as of now), its ``handover`` the record: what an export of it shows.
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
            raise DutyRefused("duty_handed_over", id=shift.id)
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
                late_reports=list(contents.late_reports),
                overdue_case_ids=list(contents.overdue),
                open_cases=len(now.open_cases),
            )
        )
    return replace(now, handover=handover)


def acknowledge(store: Store, shift_id: str, *, notes: str = "") -> Handover:
    """The incoming officer takes over (接班), with their own account and notes."""
    with store.transaction() as tx:
        shift = find_shift(tx, shift_id)
        handover = find_handover(tx, shift)
        if handover is None:
            raise DutyRefused("duty_not_handed_over", id=shift_id)
        if handover.acknowledged_at is not None:
            raise DutyRefused("duty_acknowledged", id=shift_id, who=handover.acknowledged_by)
        if handover.outgoing_by == store.actor:
            raise DutyRefused("duty_own_handover", who=handover.outgoing_by)
        return tx.put(
            handover.model_copy(
                update={"acknowledged_at": tx.now, "acknowledged_by": store.actor, "incoming_notes": notes}
            )
        )


def pending_handover(store: Store, now: datetime) -> DutyShift | None:
    """The latest shift of the last two days handed over and not yet acknowledged (what `--ack` takes over)."""
    for shift in reversed(shifts_between(store, now.date() - timedelta(days=2), now.date())):
        handover = find_handover(store, shift)
        if handover is not None and handover.acknowledged_at is None:
            return shift
    return None
