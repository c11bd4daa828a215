"""The duty room: today's duty roster (值班表), and the duty room's own week: shifts with a swap,
the current shift's log and one open incident (值班记录)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from .. import clock
from ..duty_models import (
    DutyLogEntry,
    Incident,
    IncidentCategory,
    IncidentLevel,
    IncidentReport,
    LogEvent,
    LogKind,
    ReportStage,
)
from ..dutylog import DutyRules, shift_at, shift_id_for
from ..models import Community, DutyShift, DutySwap
from ..storage import Store, Transaction
from . import data
from .common import DemoBuild


def seed_duty_roster(build: DemoBuild, store: Store) -> None:
    staff = build.rng.sample(data.DUTY_STAFF, data.DUTY_STAFF_PER_DAY)
    shift = DutyShift(
        id=f"duty-{build.today:%Y%m%d}", day=build.today, leader=build.rng.choice(data.DUTY_LEADERS), staff=staff
    )
    build.write(store, duty=[shift])


def seed_duty_log(build: DemoBuild, store: Store) -> None:
    """The duty room's own week, after the township is built (it needs the communities)."""
    seed_duty_room(store, build.today)


def seed_duty_room(target: Store | Transaction, today: date, rules: DutyRules | None = None) -> int:
    """Write the duty room's demo records into a built demo; returns how many were written."""
    if isinstance(target, Store):
        with target.transaction() as tx:
            return _seed(tx, today, rules or DutyRules())
    return _seed(target, today, rules or DutyRules())


def _seed(tx: Transaction, today: date, rules: DutyRules) -> int:
    now = tx.now
    communities = {c.id for c in tx.all(Community)}
    written = 0
    for offset in range(-3, 4):  # a week: three days back, today, three ahead
        day = today + timedelta(days=offset)
        index = day.toordinal()
        leader = data.DUTY_ROOM_LEADERS[index % len(data.DUTY_ROOM_LEADERS)]
        staff = [
            data.DUTY_ROOM_STAFF[index % len(data.DUTY_ROOM_STAFF)],
            data.DUTY_ROOM_STAFF[(index + 3) % len(data.DUTY_ROOM_STAFF)],
        ]
        shift = DutyShift(
            id=shift_id_for(day),
            day=day,
            leader=leader[0],
            staff=[s[0] for s in staff],
            starts=rules.shift_start,
            hours=rules.shift_hours,
            phones=dict([leader, *staff]),
        )
        if offset == 1:  # tomorrow's second officer swapped with one who asked for it; the leader approved
            replaced, by = staff[1], data.DUTY_ROOM_STAFF[(index + 5) % len(data.DUTY_ROOM_STAFF)]
            shift = DutyShift.model_validate(
                {
                    **shift.model_dump(),
                    "staff": [staff[0][0], by[0]],
                    "phones": {leader[0]: leader[1], staff[0][0]: staff[0][1], by[0]: by[1]},
                    "swaps": [
                        DutySwap(
                            at=now - timedelta(hours=20),
                            actor="demo",
                            replaced=replaced[0],
                            by=by[0],
                            asked_by=replaced[0],
                            approved_by=leader[0],
                            note="家中有事，调换至下周",
                        )
                    ],
                }
            )
        tx.put(shift)
        written += 1

    on_duty = shift_at(tx, now)
    start = on_duty.starts_at if on_duty is not None else now - data.DUTY_LOG_SPAN
    # Early in a shift the entries' hours before now reach back past its start: spread over the
    # part of the shift gone by instead, in the same order and proportions (clamped to the start,
    # every one of them showed 08:00 at 09:30).
    scale = min(1.0, max(0.0, (now - start) / data.DUTY_LOG_SPAN))

    def before_now(hours: float) -> datetime:
        return _minute(max(start, now - timedelta(hours=hours) * scale))

    entries: list[DutyLogEntry] = []
    for sequence, (hours, kind, source, caller, content, action, reported) in enumerate(data.DUTY_LOG_ENTRIES, start=1):
        at = before_now(hours)
        entries.append(
            DutyLogEntry(
                id=f"ZB{at:%y%m%d}-{sequence:03d}",
                at=at,
                kind=kind,
                source=source,
                caller=caller,
                phone="13838930102" if caller else None,
                content=content,
                action_taken=action,
                reported_to=reported,
                shift_id=on_duty.id if on_duty else None,
                recorded_by="demo",
                recorded_at=at,
                community_id="yulan"
                if "玉兰" in content and "yulan" in communities
                else ("dongcheng" if "东城" in content and "dongcheng" in communities else None),
            )
        )
    # The duty officer noticed a wrong room number: corrected, the first text kept.
    second = entries[1]
    entries[1] = second.model_copy(
        update={
            "history": [
                LogEvent(
                    at=min(second.at + timedelta(minutes=20), now),
                    actor="demo",
                    action="correct",
                    changes={"content": "玉兰社区12号楼3单元暖气不热，家中有卧床老人"},
                    note="来电人回电更正单元号",
                )
            ]
        }
    )

    # One incident: a gas smell reported this shift, 首报 and 书面报告 made on time, a 续报 due later.
    # Known early enough for both reports to have been made by now, where the shift allows it.
    limits = rules.limits(IncidentLevel.ORDINARY)
    phone_after, written_after = max(1, limits.phone_minutes - 12), max(2, limits.written_minutes - 15)
    known = max(_minute(start), min(before_now(2 + 40 / 60), _minute(now - timedelta(minutes=written_after))))
    incident_id = f"SJ{known:%y%m%d}-01"
    entries.append(
        DutyLogEntry(
            id=f"ZB{known:%y%m%d}-{len(entries) + 1:03d}",
            at=known,
            kind=LogKind.INCIDENT,
            source="东城花园社区",
            caller="李红",
            phone="13838930177",
            content="东城花园5号楼地下车库燃气管道泄漏，已疏散车库人员",
            action_taken="通知燃气公司抢修、派出所警戒，带班领导赶赴现场",
            reported_to="带班领导、区应急管理局",
            shift_id=on_duty.id if on_duty else None,
            incident_id=incident_id,
            recorded_by="demo",
            recorded_at=known,
            community_id="dongcheng" if "dongcheng" in communities else None,
        )
    )
    reports = [
        IncidentReport(
            stage=ReportStage.PHONE,
            at=known + timedelta(minutes=phone_after),
            to=data.COUNTY_DUTY,
            by=on_duty.leader if on_duty else "李建国",
            recorded_by="demo",
        ),
        IncidentReport(
            stage=ReportStage.WRITTEN,
            at=known + timedelta(minutes=written_after),
            to=data.COUNTY_DUTY,
            by=on_duty.staff[0] if on_duty else "王丽娟",
            recorded_by="demo",
            note="书面报告已通过政务内网报送",
        ),
    ]
    reports = [r for r in reports if r.at <= now]
    tx.put(
        Incident(
            id=incident_id,
            title="东城花园5号楼地下车库燃气泄漏",
            category=IncidentCategory.ACCIDENT,
            level=IncidentLevel.ORDINARY,
            place="东城花园5号楼地下车库",
            description="无人员伤亡，燃气公司正在抢修",
            occurred_at=known - timedelta(minutes=10),
            known_at=known,
            community_id="dongcheng" if "dongcheng" in communities else None,
            entry_id=entries[-1].id,
            shift_id=on_duty.id if on_duty else None,
            reports=reports,
        )
    )
    for entry in entries:
        tx.put(entry)
    return written + len(entries) + 1


def _minute(moment: datetime) -> datetime:
    return clock.as_local(moment).replace(second=0, microsecond=0)
