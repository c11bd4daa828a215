"""The duty room's own work: the 值班表, the 值班记录 log and 突发事件信息报送.

Every change goes through one store transaction; a refused one raises ``DutyRefused`` (or
pydantic's ValidationError for a bad field) before anything is written. Shifts, log entries and
handovers are filed by month, and an incident stays in the small ``incidents.json`` only while it
is open, so no write grows with years of logs. Ids carry their date (``ZB261128-003`` is a log
entry of 28 Nov 2026), which tells where a record is filed without a search.

The reporting clocks (``report_slots``) follow the usual county rule: 首报 by phone and a 书面报告
within fixed minutes of the moment the duty room learnt of the incident (接报), 续报 at most a fixed
interval after the last report while it is being handled, and a 终报 within a fixed time after
handling ended. All four limits are configurable (``DutyRules``), per level if need be.
"""

# No `from __future__ import annotations`: string annotations cost each start (see store/models.py).
import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any, NamedTuple, Self

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator

from . import i18n
from .clock import as_local, at, now, today
from .deadlines import DeadlineRules
from .duty_models import (
    CORRECTABLE,
    PERSONAL,
    DutyLogEntry,
    Handover,
    Incident,
    IncidentCategory,
    IncidentLevel,
    IncidentReport,
    LogEvent,
    LogKind,
    ReportStage,
)
from .i18n import Lang
from .models import Category, Channel, DutyShift, DutySwap, Petition, PetitionEvent, Priority, Record
from .refusal import FieldsRefused, Refused
from .storage import Store, Transaction
from .text import ShortLine, ascii_numerals

Reader = Store | Transaction  # both answer .all(model, partition)


class DutyRefused(Refused):
    """A refused change to the duty room's records (the reason's words are ``refused.duty_*``)."""


# ---------------------------------------------------------------------------
# Rules


class ReportLimits(BaseModel):
    """How soon each report upward is due, in minutes."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    phone_minutes: int = Field(default=30, ge=1, le=7 * 24 * 60)  # 首报: from 接报
    written_minutes: int = Field(default=60, ge=1, le=7 * 24 * 60)  # 书面报告: from 接报
    follow_up_minutes: int = Field(default=240, ge=1, le=7 * 24 * 60)  # 续报: at most this after the last report
    final_minutes: int = Field(default=24 * 60, ge=1, le=30 * 24 * 60)  # 终报: from the end of handling

    @model_validator(mode="after")
    def _written_after_phone(self) -> Self:
        if self.written_minutes < self.phone_minutes:
            raise ValueError("the written report cannot be due before the phone report")
        return self


class DutyRules(BaseModel):
    """``[duty]`` in the config: when shifts change and how fast incidents are reported."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    shift_start: time = time(8)  # 交接班: shifts run from this time for shift_hours
    shift_hours: int = Field(default=24, ge=1, le=48)
    reports: ReportLimits = Field(default_factory=ReportLimits)
    by_level: dict[IncidentLevel, ReportLimits] = Field(default_factory=dict)  # stricter limits for major events

    def limits(self, level: IncidentLevel) -> ReportLimits:
        return self.by_level.get(level, self.reports)


# ---------------------------------------------------------------------------
# Where things are filed


def month_of(moment: datetime | date) -> str:
    return f"{moment:%Y-%m}"


def _month_from_id(record_id: str) -> str | None:
    """``ZB261128-003`` → ``2026-11``."""
    match = re.match(r"^[A-Z]{2}(\d{2})(\d{2})\d{2}-\d+$", record_id)
    return f"20{match.group(1)}-{match.group(2)}" if match else None


def months_between(first: datetime | date, last: datetime | date) -> list[str]:
    months, y, m = [], first.year, first.month
    while (y, m) <= (last.year, last.month):
        months.append(f"{y}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


def _next_id(reader: Reader, model: type[Record], prefix: str, partitions: list[str | None], width: int) -> str:
    used = [r.id for p in partitions for r in reader.all(model, p) if r.id.startswith(prefix)]
    sequence = max((int(i[len(prefix) :]) for i in used if i[len(prefix) :].isdigit()), default=0) + 1
    return f"{prefix}{sequence:0{width}d}"


FUTURE_TOLERANCE = timedelta(minutes=1)  # a clock a little ahead of the store's is not the future


# How far back an `HH:MM` not yet come today may mean last night: a night shift's last hours, not
# a day ago (at 10:00, `--at 10:30` is a slip refused as not yet come, not yesterday's 10:30).
LAST_NIGHT = timedelta(hours=12)


_HOUR_MINUTE = re.compile(r"[0-9]{1,2}:[0-9]{2}")
_SHORT_HOUR = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})[ T]([0-9]:[0-9]{2})")  # 2026-11-28 9:05, as 9:05 alone


def typed_moment(text: str, *, past: bool = True) -> datetime:
    """A time as the officer types it (the CLI's `--at` / `--known`, panel 5's 接报时间 and 报送时间):
    `HH:MM`, `YYYY-MM-DD HH:MM` or an ISO time, as Beijing time. `HH:MM` is today's, or, for
    something that has happened (``past``), last night's within ``LAST_NIGHT``: 23:50 typed at 00:30
    is last night's call, which today's 23:50 refused as not yet come. ``ValueError``: not a time.
    Whether the time may be recorded (not in the future, not before the incident was known) is the
    writes' own rule, not this one's."""
    text = " ".join(ascii_numerals(text).split())  # ０９：１０, an ideographic space: a Chinese input method's
    if _HOUR_MINUTE.fullmatch(text):
        hour, minute = (int(part) for part in text.split(":"))
        moment = at(today(), hour, minute)
        if past and moment > now() + FUTURE_TOLERANCE:
            earlier = at(today() - timedelta(days=1), hour, minute)
            moment = earlier if now() - earlier <= LAST_NIGHT else moment
        return moment
    if short := _SHORT_HOUR.fullmatch(text):
        text = f"{short[1]} 0{short[2]}"
    return as_local(datetime.fromisoformat(text))


def _not_future(moment: datetime, now: datetime, what: str) -> datetime:
    moment = as_local(moment)
    if moment > now + FUTURE_TOLERANCE:
        raise DutyRefused("duty_future", what=what, at=f"{moment:%Y-%m-%d %H:%M}")
    return moment


# ---------------------------------------------------------------------------
# 值班表


def shift_id_for(day: date) -> str:
    return f"duty-{day:%Y%m%d}"


def shifts_between(reader: Reader, first: date, last: date) -> list[DutyShift]:
    """The shifts starting on the days first..last, in order (a store from before months also has duty.json)."""
    shifts = {s.id: s for s in reader.all(DutyShift)}  # the main file: shifts written before they were filed by month
    for month in months_between(first, last):
        shifts.update({s.id: s for s in reader.all(DutyShift, month)})
    return sorted((s for s in shifts.values() if first <= s.day <= last), key=lambda s: s.starts_at)


# The hand-over's own record, found here (store/handover.py, which builds the report, is imported
# only when a hand-over is made or exported): the dashboard's every read asks whether one awaits 接班.
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


def pending_handover(reader: Reader, now: datetime) -> DutyShift | None:
    """The latest shift of the last two days handed over and not yet acknowledged (what `--ack` takes over)."""
    for shift in reversed(shifts_between(reader, now.date() - timedelta(days=2), now.date())):
        handover = find_handover(reader, shift)
        if handover is not None and handover.acknowledged_at is None:
            return shift
    return None


def shift_at(reader: Reader, moment: datetime) -> DutyShift | None:
    """The shift on duty at ``moment`` (at 03:00 that is yesterday's 08:00 shift); failing that, the day's shift."""
    day = moment.date()
    shifts = shifts_between(reader, day - timedelta(days=2), day)
    covering = [s for s in shifts if s.covers(moment)]
    if covering:
        return covering[-1]
    return next((s for s in shifts if s.day == day), None)


def previous_shift_start(reader: Reader, now: datetime) -> datetime:
    """When the shift before the one on duty began: the earliest time a line of the 值班记录 is written
    for without ``late``. A shift not on the roster counts as the day before the next (24 hours)."""
    on_duty = shift_at(reader, now)
    start = on_duty.starts_at if on_duty is not None and on_duty.covers(now) else now - timedelta(days=1)
    before = shift_at(reader, start - timedelta(seconds=1))
    return (
        before.starts_at
        if before is not None and before.covers(start - timedelta(seconds=1))
        else start - timedelta(days=1)
    )


def _on_shift(tx: Transaction, when: datetime, late: bool, command: str) -> datetime:
    """``when``, a time the 值班记录 or a 接报 is written for: before the previous shift began it is
    refused unless ``late`` (``duty-room {command} --late``, named in the refusal)."""
    if not late and when < (since := previous_shift_start(tx, tx.now)):
        raise DutyRefused(
            "duty_too_early", at=f"{when:%Y-%m-%d %H:%M}", since=f"{since:%Y-%m-%d %H:%M}", command=command
        )
    return when


def find_shift(reader: Reader, shift_id: str) -> DutyShift:
    match = re.match(r"^duty-(\d{4})(\d{2})\d{2}$", shift_id)
    store = reader.store if isinstance(reader, Transaction) else reader
    # An id that names its day says which month's file; any other (imported, hand-made) is looked for in all.
    months = [f"{match.group(1)}-{match.group(2)}"] if match else store.partitions(DutyShift)
    partitions: list[str | None] = [None, *months]
    for partition in partitions:
        for shift in reader.all(DutyShift, partition):
            if shift.id == shift_id:
                return shift
    raise DutyRefused("duty_no_shift", id=shift_id)


def next_handover(reader: Reader, moment: datetime, rules: DutyRules | None = None) -> datetime:
    """When the shift on duty hands over; without a shift, the next regular change of shift."""
    shift = shift_at(reader, moment)
    if shift is not None and shift.covers(moment):
        return shift.ends_at
    rules = rules or DutyRules()
    change = as_local(datetime.combine(moment.date(), rules.shift_start))
    return change if change > moment else change + timedelta(days=1)


_NAMES_APART = re.compile(r"[、,，;；]")


def shift_people(leader: str, staff: Sequence[str]) -> tuple[str, list[str]]:
    """A shift's 带班领导 and 值班员 as planned (names stripped; two typed in one, 王丽娟、刘晓宇, as
    the form and the sheet take them, are two): refused unless there are one or two 值班员 and nobody
    is on it twice."""
    leader = leader.strip()
    named = [name.strip() for typed in staff for name in _NAMES_APART.split(typed) if name.strip()]
    if not 1 <= len(named) <= 2:
        raise DutyRefused("duty_staff_count", count=len(named))
    if leader in named or len(set(named)) != len(named):
        raise DutyRefused("duty_twice")
    return leader, named


def check_shift_people(leader: str, staff: Sequence[str], lang: Lang = "zh") -> None:
    """排班's people checked at once, without the store: ``FieldsRefused`` naming every bad field in
    ``lang`` (the leader's name; the 值班员: how many, someone twice, a name that is no name)."""
    errors: dict[str, str] = {}
    names = TypeAdapter(ShortLine)
    for field, values in (("leader", [leader]), ("staff", [name for name in staff if name.strip()])):
        for value in values:
            try:
                names.validate_python(value.strip())
            except ValidationError as exc:
                errors.setdefault(field, i18n.validation_message(exc.errors()[0], lang))
    try:
        shift_people(leader, staff)
    except DutyRefused as refusal:
        errors.setdefault("staff", refusal.message(lang))
    if errors:
        raise FieldsRefused(errors)


def plan_shift(
    store: Store,
    day: date,
    *,
    leader: str,
    staff: list[str],
    phones: dict[str, str] | None = None,
    rules: DutyRules | None = None,
    seen: Mapping[str, DutyShift] | None = None,
) -> DutyShift:
    """Put a day's shift on the 值班表 (or re-plan it; its recorded swaps stay). ``phones`` are
    added to those on record: the phones of the people who stay on a re-planned shift are kept
    (the dashboard's form asks for none), those of people taken off it go with them. ``seen``: the
    值班表 as the caller's form knew it (shift id -> shift); a day planned or re-planned since by
    another desk is refused, saying who is on it now, rather than written over (two desks planning
    tomorrow at once: the second silently replaced the first). None: as it is (the command line)."""
    rules = rules or DutyRules()
    leader, staff = shift_people(leader, staff)
    with store.transaction() as tx:
        existing = next((s for s in shifts_between(tx, day, day) if s.id == shift_id_for(day)), None)
        if seen is not None and existing != seen.get(shift_id_for(day)):
            if existing is None:
                raise Refused("changed_meanwhile")
            raise DutyRefused(
                "duty_planned_meanwhile", day=day.isoformat(), leader=existing.leader, staff="、".join(existing.staff)
            )
        on_shift = {leader, *staff}
        strangers = sorted(set(phones or {}) - on_shift)
        if strangers:  # (the record's own rule says it too, in English only)
            raise DutyRefused("duty_phone_stranger", names="、".join(strangers))
        kept = {name: phone for name, phone in existing.phones.items() if name in on_shift} if existing else {}
        fields = {
            "id": shift_id_for(day),
            "day": day,
            "leader": leader,
            "staff": staff,
            "phones": {**kept, **(phones or {})},
            "starts": rules.shift_start,
            "hours": rules.shift_hours,
            "swaps": existing.swaps if existing else [],
        }
        shift = DutyShift.model_validate(fields)
        if existing is None and shift.ends_at <= tx.now:  # a slip of the month more often than a roster kept late
            raise DutyRefused("duty_plan_over", shift=shift.span)
        if existing is not None and existing.starts_at < tx.now:
            if existing.model_dump(include={"starts", "hours"}) != shift.model_dump(include={"starts", "hours"}):
                raise DutyRefused("duty_started", shift=shift.span)
            # Who was on duty stays as it was: re-planning yesterday's shift rewrote it without a trace.
            # A change of people once the shift has begun is a swap, which records who, why and who approved.
            people = {"leader", "staff", "phones"}
            if existing.model_dump(include=people) != shift.model_dump(include=people):
                raise DutyRefused("duty_started_people", shift=shift.span)
        return tx.put(shift)


def swap_shift(
    store: Store,
    shift_id: str,
    *,
    replaced: str,
    by: str,
    asked_by: str,
    approved_by: str,
    phone: str | None = None,
    note: str = "",
) -> DutyShift:
    """换班: ``by`` takes ``replaced``'s place on the shift; who asked and who approved are recorded.
    Every name is checked first, by the record's own rules, and every empty one said alike (申请人：必填)."""
    DutySwap(
        at=now(), actor=store.actor, replaced=replaced, by=by, asked_by=asked_by, approved_by=approved_by, note=note
    )
    with store.transaction() as tx:
        shift = find_shift(tx, shift_id)
        people = [shift.leader, *shift.staff]
        if replaced not in people:
            raise DutyRefused("duty_not_on_shift", name=replaced, shift=shift.span)
        if by in people:
            raise DutyRefused("duty_twice")
        if shift.ends_at <= tx.now:
            raise DutyRefused("duty_shift_over", shift=shift.span)
        phones = {name: number for name, number in shift.phones.items() if name != replaced}
        if phone:
            phones[by] = phone
        swap = DutySwap(
            at=tx.now,
            actor=store.actor,
            replaced=replaced,
            by=by,
            asked_by=asked_by,
            approved_by=approved_by,
            note=note,
        )
        updated = DutyShift.model_validate(
            {
                **shift.model_dump(),
                "leader": by if shift.leader == replaced else shift.leader,
                "staff": [by if name == replaced else name for name in shift.staff],
                "phones": phones,
                "swaps": [*shift.swaps, swap],
            }
        )
        return tx.put(updated)


# ---------------------------------------------------------------------------
# 值班记录


def _entry_partitions(entry_id: str) -> list[str]:
    month = _month_from_id(entry_id)
    if month is None:
        raise DutyRefused("duty_no_entry", id=entry_id)
    return [month]


def find_entry(reader: Reader, entry_id: str) -> DutyLogEntry:
    for partition in _entry_partitions(entry_id):
        for entry in reader.all(DutyLogEntry, partition):
            if entry.id == entry_id:
                return entry
    raise DutyRefused("duty_no_entry", id=entry_id)


def handed_over_at(reader: Reader, entry: DutyLogEntry) -> datetime | None:
    """When the hand-over that listed this log entry was made (None: none has yet). A correction made
    after it is not in what was handed over (store/handover.py reads the entry back as it was)."""
    for month in months_between(entry.at, entry.at + timedelta(days=31)):  # filed by the month it was made
        for handover in reader.all(Handover, month):
            if entry.id in handover.entry_ids:
                return handover.at
    return None


def entries_between(
    reader: Reader, start: datetime, end: datetime, *, as_of: datetime | None = None
) -> list[DutyLogEntry]:
    """Log entries timed in [start, end), as corrected (up to ``as_of``, if given), in time order."""
    found = [e.current(as_of) for month in months_between(start, end) for e in reader.all(DutyLogEntry, month)]
    return sorted((e for e in found if start <= e.at < end), key=lambda e: (e.at, e.id))


def _known_community(tx: Transaction, community_id: str | None) -> str | None:
    """A log line or an incident that names a community names one the township has (as a case must),
    by its id or its name; none named (or an empty one) is none."""
    if not community_id:
        return None
    from .roster import community_named  # (here: `summary` reads the log and loads no roster)

    return community_named(tx, community_id)


def _new_entry(tx: Transaction, **fields: object) -> DutyLogEntry:
    at = fields["at"]
    assert isinstance(at, datetime)
    prefix = f"ZB{at:%y%m%d}-"
    entry_id = _next_id(tx, DutyLogEntry, prefix, [month_of(at)], 3)
    shift = shift_at(tx, at)
    written = {"recorded_by": tx.store.actor, "recorded_at": tx.now}  # 记录人: kept through every correction
    return tx.put(
        DutyLogEntry.model_validate({**fields, **written, "id": entry_id, "shift_id": shift.id if shift else None})
    )


def log_entry(
    store: Store,
    *,
    kind: LogKind,
    content: str,
    source: str = "",
    caller: str = "",
    phone: str | None = None,
    action_taken: str = "",
    reported_to: str = "",
    at: datetime | None = None,
    community_id: str | None = None,
    late: bool = False,
) -> DutyLogEntry:
    """Write one line of the 值班记录 (now, unless ``at`` says when it came in); returns it with its id.
    The log is written during the shift: ``at`` before the previous shift began is refused unless
    ``late`` (a late entry on purpose, the CLI's ``--late``)."""
    with store.transaction() as tx:
        when = tx.now if at is None else _on_shift(tx, _not_future(at, tx.now, "log"), late, "duty log")
        community_id = _known_community(tx, community_id)
        return _new_entry(
            tx,
            at=when,
            kind=kind,
            content=content,
            source=source,
            caller=caller,
            phone=phone or None,
            action_taken=action_taken,
            reported_to=reported_to,
            community_id=community_id,
        )


def correct_entry(
    store: Store, entry_id: str, changes: dict[str, str], *, note: str, expected: DutyLogEntry | None = None
) -> DutyLogEntry:
    """A correction: a new event on the entry; the first text stays readable in its history.
    ``expected``: the entry (as stored) that the officer's form showed; changed since, refused
    (``Transaction.as_seen``)."""
    unknown = set(changes) - set(CORRECTABLE)
    if unknown:
        raise DutyRefused("duty_not_correctable", fields=", ".join(sorted(unknown)))
    if not note.strip():
        raise DutyRefused("duty_correction_reason")
    if "*" in changes.get("caller", ""):  # a masked name (张**) copied on: the stars would be saved as the name
        raise DutyRefused("duty_masked_caller")
    with store.transaction() as tx:
        entry = tx.as_seen(find_entry(tx, entry_id), expected)
        before = entry.current()
        # A personal field named is written even as it was: "changes nothing" only when it is the
        # stored value would let a desk that may not reveal it confirm a guess. The officer states
        # what the caller said; the history keeps it.
        # (Empty and empty is no guess: whether there is one shows masked.)
        changed = {
            k: v
            for k, v in changes.items()
            if (k in PERSONAL and (v or getattr(before, k))) or str(getattr(before, k) or "") != v
        }
        if not changed:
            raise DutyRefused("duty_correction_empty")
        event = LogEvent(at=tx.now, actor=store.actor, action="correct", changes=changed, note=note)
        updated = entry.model_copy(update={"history": [*entry.history, event]})
        updated.current()  # the corrected entry must itself be valid (a phone that is a phone, …)
        return tx.put(updated)


# Words in a call that suggest the case's category; only a prefill the officer can change.
_CATEGORY_WORDS: tuple[tuple[Category, tuple[str, ...]], ...] = (
    (Category.GAS, ("燃气", "煤气", "天然气")),
    (Category.INFRASTRUCTURE, ("漏水", "停水", "停电", "路灯", "下水", "管道", "电梯")),
    (Category.SANITATION, ("垃圾", "卫生", "异味")),
    (Category.PROPERTY, ("物业",)),
    (Category.NEIGHBOUR, ("邻居", "噪音")),
    (Category.FAMILY, ("家暴", "家庭")),
    (Category.STREET_VENDING, ("摆摊", "占道")),
    (Category.ILLEGAL_BUILDING, ("违建", "私搭")),
    (Category.PUBLIC_SECURITY, ("打架", "盗", "诈骗")),
)


# The channel a case made from an entry came by, from the entry's kind: a call, a document, an
# instruction or an incident reaches the duty room as a hotline case does; a patrol's find is a grid
# report. A walk-in (来访, at the duty room's door) or 其他 is none of the stored channels: the officer
# chooses one rather than be handed a wrong one.
_CHANNEL_OF_KIND = {
    LogKind.CALL: Channel.HOTLINE,
    LogKind.DOCUMENT: Channel.HOTLINE,
    LogKind.INSTRUCTION: Channel.HOTLINE,
    LogKind.INCIDENT: Channel.HOTLINE,
    LogKind.PATROL: Channel.GRID_REPORT,
}


def intake_from_entry(entry: DutyLogEntry) -> dict[str, object]:
    """The new-case form's values prefilled from a log entry (lifecycle.draft / register take these)."""
    entry = entry.current()
    text = entry.content.strip()
    category = next((c for c, words in _CATEGORY_WORDS if any(w in text for w in words)), Category.OTHER)
    description = text + (f"\n处理情况：{entry.action_taken.strip()}" if entry.action_taken.strip() else "")
    fields: dict[str, object] = {
        "title": text.splitlines()[0][:80],
        "description": f"{description}\n（值班记录 {entry.id}）"[:2000],
        "channel": _CHANNEL_OF_KIND.get(entry.kind),
        "category": category,
        "priority": Priority.EMERGENCY if entry.kind is LogKind.INCIDENT else Priority.NORMAL,
        "community_id": entry.community_id,
        "reporter_name": entry.caller,
        "reporter_phone": entry.phone,
    }
    from .lifecycle import INTAKE_FIELDS  # (here: `summary` reads the log, never registers a case)

    return {k: v for k, v in fields.items() if k in INTAKE_FIELDS and v not in (None, "")}


def petition_from_entry(
    store: Store, entry_id: str, overrides: Mapping[str, object] | None = None, *, rules: DeadlineRules | None = None
) -> Petition:
    """Register the case an entry calls for, and link the two, in one transaction."""
    from .lifecycle import register_in

    with store.transaction() as tx:
        entry = find_entry(tx, entry_id)
        if any(e.action == "petition" for e in entry.history):
            raise DutyRefused("duty_already_case", id=entry_id, case=entry.petition_ids[0])
        petition = register_in(tx, {**intake_from_entry(entry), **(overrides or {})}, rules=rules)
        event = PetitionEvent(
            at=tx.now,
            actor=store.actor,
            action="from_log",
            from_status=petition.status,
            to_status=petition.status,
            note=entry.id,
        )
        petition = tx.put(petition.model_copy(update={"history": [*petition.history, event]}))
        tx.put(
            entry.model_copy(
                update={
                    "history": [
                        *entry.history,
                        LogEvent(at=tx.now, actor=store.actor, action="petition", petition_id=petition.id),
                    ]
                }
            )
        )
        return petition


def _find_petition(tx: Transaction, petition_id: str) -> tuple[Petition, str | None]:
    return tx.find(Petition, petition_id)


def link_petition(store: Store, entry_id: str, petition_id: str) -> DutyLogEntry:
    """Link a log entry and an existing case (a second call about it, the unit's reply, …), both ways."""
    with store.transaction() as tx:
        entry = find_entry(tx, entry_id)
        if petition_id in entry.petition_ids:
            raise DutyRefused("duty_already_linked", id=entry_id, case=petition_id)
        petition, partition = _find_petition(tx, petition_id)
        event = PetitionEvent(
            at=tx.now,
            actor=store.actor,
            action="link_log",
            from_status=petition.status,
            to_status=petition.status,
            note=entry.id,
        )
        tx.put(petition.model_copy(update={"history": [*petition.history, event]}), partition)
        return tx.put(
            entry.model_copy(
                update={
                    "history": [
                        *entry.history,
                        LogEvent(at=tx.now, actor=store.actor, action="link", petition_id=petition_id),
                    ]
                }
            )
        )


def entries_for_petition(reader: Reader, petition: Petition) -> list[DutyLogEntry]:
    """The log entries a case was raised from or linked to, as corrected."""
    ids = [e.note for e in petition.history if e.action in ("from_log", "link_log")]
    return [find_entry(reader, entry_id).current() for entry_id in ids]


# ---------------------------------------------------------------------------
# 突发事件信息报送


def _incident_partitions(reader: Reader, incident_id: str) -> list[str | None]:
    """Open: the main file. Closed: the month it closed, never before the month it was opened."""
    opened = _month_from_id(incident_id) or ""
    store = reader if isinstance(reader, Store) else reader.store
    return [None, *(p for p in store.partitions(Incident) if p >= opened)]


def find_incident(reader: Reader, incident_id: str) -> Incident:
    for partition in _incident_partitions(reader, incident_id):
        for incident in reader.all(Incident, partition):
            if incident.id == incident_id:
                return incident
    raise DutyRefused("duty_no_incident", id=incident_id)


def open_incidents(reader: Reader) -> list[Incident]:
    return sorted((i for i in reader.all(Incident) if i.is_open), key=lambda i: (i.known_at, i.id))


def open_incident(
    store: Store,
    *,
    title: str,
    category: IncidentCategory,
    level: IncidentLevel = IncidentLevel.ORDINARY,
    place: str = "",
    description: str = "",
    occurred_at: datetime | None = None,
    known_at: datetime | None = None,
    community_id: str | None = None,
    entry_id: str | None = None,
    source: str = "",
    caller: str = "",
    phone: str | None = None,
    late: bool = False,
) -> Incident:
    """Open an incident; the reporting clocks start at ``known_at`` (接报, now by default), which,
    like a log line's time, is refused before the previous shift began unless ``late``.

    Without ``entry_id`` the 突发事件 line of the 值班记录 is written in the same transaction.
    """
    with store.transaction() as tx:
        if known_at is None:
            known = tx.now
        else:
            known = _on_shift(tx, _not_future(known_at, tx.now, "incident"), late, "incident open")
        occurred = known if occurred_at is None else _not_future(occurred_at, tx.now, "incident")
        community_id = _known_community(tx, community_id)
        prefix = f"SJ{known:%y%m%d}-"
        incident_id = _next_id(
            tx, Incident, prefix, [None, *(p for p in store.partitions(Incident) if p >= month_of(known))], 2
        )
        shift = shift_at(tx, known)
        fields: dict[str, Any] = {
            "id": incident_id,
            "title": title,
            "category": category,
            "level": level,
            "place": place,
            "description": description,
            "occurred_at": occurred,
            "known_at": known,
            "community_id": community_id,
            "shift_id": shift.id if shift else None,
        }
        # The incident first: an empty title was refused as the log line's 内容 (its content is the title).
        Incident(**fields, entry_id=entry_id)
        if entry_id is None:
            content = title.strip() + (f"\n{description.strip()}" if description.strip() else "")
            entry_id = _new_entry(
                tx,
                at=known,
                kind=LogKind.INCIDENT,
                content=content,
                source=source,
                caller=caller,
                phone=phone or None,
                community_id=community_id,
                incident_id=incident_id,
            ).id
        else:
            _not_anothers_line(tx, find_entry(tx, entry_id))
        return tx.put(Incident(**fields, entry_id=entry_id))


def _not_anothers_line(tx: Transaction, entry: DutyLogEntry) -> None:
    """An incident opened from a log line (`--entry`) takes one no incident came in as: a second one
    would run its own reporting clocks for the same call."""
    taken = entry.incident_id or next(
        (
            i.id
            for part in (None, *tx.store.partitions(Incident))
            for i in tx.all(Incident, part)
            if i.entry_id == entry.id
        ),
        None,
    )
    if taken is not None:
        raise DutyRefused("duty_entry_has_incident", entry=entry.id, incident=taken)


def _put_incident(tx: Transaction, incident: Incident) -> Incident:
    saved = tx.put(incident)
    if not saved.is_open:
        tx.delete(Incident, saved.id)  # closed: now filed under its month (written first: a crash leaves a duplicate)
    return saved


def report_incident(
    store: Store,
    incident_id: str,
    stage: ReportStage,
    *,
    to: str,
    by: str | None = None,
    at: datetime | None = None,
    note: str = "",
    expected: Incident | None = None,
) -> Incident:
    """Record a report upward. The 终报 closes the incident (and ends its handling, if not yet ended).
    ``expected``: the incident as the officer's form showed it; changed since, refused (``Transaction.as_seen``)."""
    with store.transaction() as tx:
        incident = tx.as_seen(find_incident(tx, incident_id), expected)
        if not incident.is_open:
            raise DutyRefused("duty_incident_closed", id=incident_id)
        when = tx.now if at is None else _not_future(at, tx.now, "report")
        if when < incident.known_at:
            raise DutyRefused("duty_report_before", id=incident_id, at=f"{incident.known_at:%Y-%m-%d %H:%M}")
        latest = max((r.at for r in incident.reports), default=None)
        if stage is ReportStage.FINAL and latest is not None and when < latest:
            raise DutyRefused("duty_report_order", at=f"{latest:%Y-%m-%d %H:%M}")
        made = {r.stage for r in incident.reports}
        if stage in made and stage in (ReportStage.PHONE, ReportStage.WRITTEN):
            raise DutyRefused("duty_report_twice", stage=stage)
        report = IncidentReport(
            stage=stage, at=when, to=to, by=(by or store.actor)[:20], recorded_by=store.actor, note=note
        )
        changes: dict[str, object] = {"reports": [*incident.reports, report]}
        if stage is ReportStage.FINAL:
            changes.update(closed_at=when, ended_at=incident.ended_at or when)
        return _put_incident(tx, Incident.model_validate({**incident.model_dump(), **changes}))


def end_incident(store: Store, incident_id: str, *, at: datetime | None = None) -> Incident:
    """处置结束: handling is over; the 终报 is now due within its limit."""
    with store.transaction() as tx:
        incident = find_incident(tx, incident_id)
        if not incident.is_open or incident.ended_at is not None:
            raise DutyRefused("duty_incident_ended", id=incident_id)
        when = tx.now if at is None else _not_future(at, tx.now, "incident")
        return tx.put(Incident.model_validate({**incident.model_dump(), "ended_at": when}))


class ReportSlot(NamedTuple):
    """One report an incident owes or made: its stage, when it was due, and the report if made."""

    stage: ReportStage
    due: datetime | None  # None: no limit applies (a 续报 before anything was reported, a 终报 before the end)
    report: IncidentReport | None = None

    def late(self, now: datetime) -> bool:
        """Made after its due time, or not made and past it."""
        if self.due is None:
            return False
        return (self.report.at if self.report is not None else now) > self.due

    def overdue_by(self, now: datetime) -> timedelta:
        if self.due is None:
            return timedelta(0)
        return max(timedelta(0), (self.report.at if self.report is not None else now) - self.due)


def report_slots(incident: Incident, rules: DutyRules | None = None) -> list[ReportSlot]:
    """Every report made, with the time it was due, then the reports still owed (nothing owed once closed)."""
    limits = (rules or DutyRules()).limits(incident.level)
    phone_due = incident.known_at + timedelta(minutes=limits.phone_minutes)
    written_due = incident.known_at + timedelta(minutes=limits.written_minutes)
    follow_up = timedelta(minutes=limits.follow_up_minutes)
    final_due = None if incident.ended_at is None else incident.ended_at + timedelta(minutes=limits.final_minutes)
    slots: list[ReportSlot] = []
    last: datetime | None = None
    for report in sorted(incident.reports, key=lambda r: r.at):  # recorded in any order, judged in time order
        due = {
            ReportStage.PHONE: phone_due,
            ReportStage.WRITTEN: written_due,
            ReportStage.FOLLOW_UP: None if last is None else last + follow_up,
            ReportStage.FINAL: final_due,
        }[report.stage]
        slots.append(ReportSlot(report.stage, due, report))
        last = report.at
    if not incident.is_open:
        return slots
    made = {r.stage for r in incident.reports}
    if ReportStage.PHONE not in made:
        slots.append(ReportSlot(ReportStage.PHONE, phone_due))
    if ReportStage.WRITTEN not in made:
        slots.append(ReportSlot(ReportStage.WRITTEN, written_due))
    if final_due is not None:
        slots.append(ReportSlot(ReportStage.FINAL, final_due))
    elif ReportStage.WRITTEN in made:
        assert last is not None
        slots.append(ReportSlot(ReportStage.FOLLOW_UP, last + follow_up))
    return slots


class IncidentClock(NamedTuple):
    """An open incident's reports still owed, the next one first, as the header and `summary` show them."""

    incident: Incident
    owed: list[ReportSlot]
    now: datetime

    @property
    def next(self) -> ReportSlot | None:
        return self.owed[0] if self.owed else None

    @property
    def late(self) -> list[ReportSlot]:
        return [slot for slot in self.owed if slot.late(self.now)]

    @property
    def due_in(self) -> timedelta | None:
        """Time left until the next report (negative when late)."""
        slot = self.next
        return None if slot is None or slot.due is None else slot.due - self.now


def incident_clock(incident: Incident, now: datetime, rules: DutyRules | None = None) -> IncidentClock:
    owed = [s for s in report_slots(incident, rules) if s.report is None]
    owed.sort(key=lambda s: s.due or datetime.max.replace(tzinfo=now.tzinfo))
    return IncidentClock(incident, owed, now)


def report_clock(reader: Reader, now: datetime, rules: DutyRules | None = None) -> list[IncidentClock]:
    """Each open incident's next report due, the most pressing first (late ones lead)."""
    return clocks_of(open_incidents(reader), now, rules)


def clocks_of(incidents: list[Incident], now: datetime, rules: DutyRules | None = None) -> list[IncidentClock]:
    """The clocks of ``incidents`` at ``now``, the most pressing first (late ones lead)."""
    clocks = [incident_clock(i, now, rules) for i in incidents]
    far = datetime.max.replace(tzinfo=now.tzinfo)
    return sorted(clocks, key=lambda c: (c.next.due if c.next and c.next.due else far, c.incident.id))


def late_reports(reader: Reader, now: datetime, rules: DutyRules | None = None) -> list[tuple[Incident, ReportSlot]]:
    """Reports owed and past due right now (迟报), across every open incident."""
    return [(clock.incident, slot) for clock in report_clock(reader, now, rules) for slot in clock.late]


class DutyStatus(NamedTuple):
    """What the header shows of the duty room's own work: who is on duty, until when, the report clock."""

    shift: DutyShift | None
    next_handover: datetime
    clocks: list[IncidentClock]  # open incidents, the most pressing first

    @property
    def next_report(self) -> tuple[Incident, ReportSlot] | None:
        """The report due soonest (a late one first): the header's countdown."""
        for clock in self.clocks:
            if clock.next is not None and clock.next.due is not None:
                return clock.incident, clock.next
        return None

    @property
    def late(self) -> list[tuple[Incident, ReportSlot]]:
        return [(clock.incident, slot) for clock in self.clocks for slot in clock.late]


def duty_status(reader: Reader, now: datetime, rules: DutyRules | None = None) -> DutyStatus:
    return DutyStatus(shift_at(reader, now), next_handover(reader, now, rules), report_clock(reader, now, rules))
