"""交接班: the handover of a shift, generated from the store, handed over and acknowledged.

The report gathers what the incoming officer must know: the shift's log, the cases received and
closed during the shift and those overdue, late 一老一小 sessions, special households not yet
visited, the open incidents with their next report due and every late report, the stalls in
arrears, and the outgoing officer's notes. Handing over records a snapshot of it (the ids, so the
record stands as cases move on); the incoming officer acknowledges it with their own account.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

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

    @property
    def overdue(self) -> list[PetitionView]:
        return [v for v in self.open_cases if v.overdue]


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
    )


def _late_line(late: LateReport) -> str:
    made = "" if late.slot.report is None else f" @{late.slot.report.at:%m-%d %H:%M}"
    due = "" if late.slot.due is None else f"{late.slot.due:%m-%d %H:%M}"
    return f"{late.incident.id} {late.slot.stage.value} due {due}{made}"[:80]


def hand_over(store: Store, report: HandoverReport, *, notes: str = "") -> Handover:
    """The outgoing officer hands the shift over (交班), with notes; the report's ids are kept with it."""
    with store.transaction() as tx:
        if find_handover(tx, report.shift) is not None:
            raise DutyRefused("duty_handed_over", id=report.shift.id)
        return tx.put(
            Handover(
                id=handover_id_for(report.shift),
                shift_id=report.shift.id,
                at=tx.now,
                outgoing_by=store.actor,
                notes=notes,
                entry_ids=[e.id for e in report.entries],
                open_incident_ids=[c.incident.id for c in report.incidents],
                late_reports=[_late_line(late) for late in report.late_reports],
                overdue_case_ids=[v.petition.id for v in report.overdue],
                open_cases=len(report.open_cases),
            )
        )


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
