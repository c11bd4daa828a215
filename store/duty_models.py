"""The duty room's own records: the 值班记录 log, 突发事件 with their 信息报送, and 交接班.

(The 值班表 shift itself, ``DutyShift``, is in store/models.py, where the header has always read it.)
Like a case's history, what was written is never rewritten: a log entry keeps its first text and
gains correction events; an incident's reports and a handover's acknowledgement are append-only.
"""

# No `from __future__ import annotations` here: pydantic would compile and evaluate every field's
# annotation, a string, as each class is made (~20 M instructions of every start). A method's
# annotation that names its own class is quoted (tests/test_models.py checks the fields).
from datetime import datetime
from enum import StrEnum
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .models import LocalTime, Record, empty_list
from .text import CallerPhone, Line, Paragraph, RecordId, RequiredLine, ShortLine


class LogKind(StrEnum):
    """What came to the duty room. A choice lists them in this order: 其他 last."""

    CALL = "call"  # 来电
    DOCUMENT = "document"  # 来文
    VISIT = "visit"  # 来访: someone at the door
    INSTRUCTION = "instruction"  # 上级指示
    INCIDENT = "incident"  # 突发事件
    PATROL = "patrol"  # 巡查: what a patrol or inspection found
    OTHER = "other"  # 其他


# What a correction may change. The time stays: it files the entry under its month.
CORRECTABLE = ("kind", "source", "caller", "phone", "content", "action_taken", "reported_to")
PERSONAL = ("caller", "phone")  # masked on every desk that may not reveal them


class LogEvent(BaseModel):
    """Something that happened to a log entry after it was written: a correction, a link to a case."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)  # (see models.DEFERRED)

    at: LocalTime
    actor: RequiredLine
    action: Literal["correct", "link", "petition"]  # petition: the entry became this case
    changes: dict[Literal["kind", "source", "caller", "phone", "content", "action_taken", "reported_to"], Paragraph] = (
        Field(default_factory=dict)
    )
    petition_id: RecordId | None = None
    note: Paragraph = ""

    @model_validator(mode="after")
    def _consistent(self) -> "LogEvent":
        if self.action == "correct" and (not self.changes or not self.note.strip()):
            raise ValueError("a correction changes something and says why")
        if self.action != "correct" and self.petition_id is None:
            raise ValueError("a link names the case")
        return self


class DutyLogEntry(Record):
    """One line of the 值班记录: a call, a document, an instruction, an emergency (接、报、传、跟)."""

    model_config = ConfigDict(defer_build=True)  # built when first read (see models.DEFERRED)

    table: ClassVar[str] = "duty_log"

    at: LocalTime
    kind: LogKind
    source: Line = ""  # 来电单位 / 来文单位 / who gave the instruction
    caller: Line = ""  # a person's name (shown masked)
    phone: CallerPhone | None = None  # shown masked (a hotline's 12345 or a 110 as it is)
    content: Paragraph = Field(min_length=1)
    action_taken: Paragraph = ""  # 处理情况
    reported_to: Line = ""  # 已报告: to whom it was reported
    shift_id: RecordId | None = None
    community_id: RecordId | None = None
    incident_id: RecordId | None = None
    history: list[LogEvent] = Field(default_factory=empty_list, max_length=200)
    # 记录人: the account that wrote it and when (``at`` is when it came in); an entry written before
    # these were kept has neither (``recorded``).
    recorded_by: Line = ""
    recorded_at: LocalTime | None = None

    @model_validator(mode="after")
    def _has_content(self) -> "DutyLogEntry":
        if not self.content.strip():
            raise ValueError("content: must not be empty")
        return self

    def check_update(self, previous: Record) -> None:
        assert isinstance(previous, DutyLogEntry)
        keep = {"history", "updated_at", "updated_by"}
        if self.model_dump(exclude=keep) != previous.model_dump(exclude=keep):
            raise ValueError(f"log entry {self.id}: what was written stays; a correction is a new event")
        if self.history[: len(previous.history)] != previous.history:
            raise ValueError(f"log entry {self.id}: history is append-only; an earlier event was changed or removed")

    def current(self, as_of: datetime | None = None) -> "DutyLogEntry":
        """The entry as corrected: the first text with every correction applied in order (those made
        up to ``as_of``, if given: the entry as a hand-over then recorded it)."""
        changes: dict[str, object] = {}
        for event in self.history:
            if as_of is not None and event.at > as_of:
                continue
            changes.update(
                event.changes.items()
            )  # keys are str: dict.update of the Literal-keyed dict is refused (dict keys are invariant)
        if not changes:
            return self
        if changes.get("phone") == "":
            changes["phone"] = None
        return DutyLogEntry.model_validate({**self.model_dump(), **changes})

    @property
    def petition_ids(self) -> list[str]:
        return [e.petition_id for e in self.history if e.petition_id is not None]

    def recorded(self) -> tuple[str, datetime | None]:
        """Who wrote the entry and when: ("", None) if not known. One written before these were kept
        and never since is its stamp's; a later event (a correction, a link) stamped it with its own."""
        if self.recorded_by:
            return self.recorded_by, self.recorded_at
        return (self.updated_by or "", self.updated_at) if not self.history else ("", None)

    def recorded_line(self, time_format: str = "%Y-%m-%d %H:%M") -> str:
        """记录人 as a detail and a hand-over's row say it: ``wanglj 2026-11-28 09:40``; "" if not known."""
        who, when = self.recorded()
        return " ".join(part for part in (who, f"{when:{time_format}}" if when and who else "") if part)


class IncidentCategory(StrEnum):
    """The four classes of 突发事件 (突发事件应对法 art. 3)."""

    NATURAL = "natural"  # 自然灾害
    ACCIDENT = "accident"  # 事故灾难
    PUBLIC_HEALTH = "public_health"  # 公共卫生事件
    SOCIAL_SAFETY = "social_safety"  # 社会安全事件


class IncidentLevel(StrEnum):
    MAJOR_I = "i"  # 特别重大 (I级)
    MAJOR_II = "ii"  # 重大 (II级)
    MAJOR_III = "iii"  # 较大 (III级)
    ORDINARY = "iv"  # 一般 (IV级)


class ReportStage(StrEnum):
    PHONE = "phone"  # 首报 (电话)
    WRITTEN = "written"  # 书面报告
    FOLLOW_UP = "follow_up"  # 续报
    FINAL = "final"  # 终报


class IncidentReport(BaseModel):
    """One report upward: when, to whom, by whom (迟报、漏报 are held to account, so all three are kept)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)  # (see models.DEFERRED)

    stage: ReportStage
    at: LocalTime
    to: RequiredLine  # e.g. 区应急管理局值班室
    by: ShortLine  # who made the report
    recorded_by: RequiredLine  # the account that wrote it down
    note: Paragraph = ""


class Incident(Record):
    """A 突发事件 and its reports. Open ones live in incidents.json, closed ones by the month they closed."""

    table: ClassVar[str] = "incidents"

    title: RequiredLine
    category: IncidentCategory
    level: IncidentLevel = IncidentLevel.ORDINARY
    place: Line = ""
    description: Paragraph = ""
    occurred_at: LocalTime  # 事发时间
    known_at: LocalTime  # 接报时间: the reporting clocks start here
    ended_at: LocalTime | None = None  # 处置结束: the 终报 clock starts here
    closed_at: LocalTime | None = None  # the 终报 was made
    community_id: RecordId | None = None
    entry_id: RecordId | None = None  # the log entry it was opened from
    shift_id: RecordId | None = None
    reports: list[IncidentReport] = Field(default_factory=empty_list, max_length=500)

    @model_validator(mode="after")
    def _consistent(self) -> "Incident":
        if self.known_at < self.occurred_at:
            raise ValueError("the incident was known before it happened")
        if any(r.at < self.known_at for r in self.reports):
            raise ValueError("a report is dated before the incident was known")
        # Reports are kept in the order they were recorded (a phone report may be written down after
        # the written one); only the 终报 must come last, in both orders.
        stages = [r.stage for r in self.reports]
        if stages.count(ReportStage.PHONE) > 1 or stages.count(ReportStage.WRITTEN) > 1:
            raise ValueError("an incident has one 首报 and one 书面报告; later reports are 续报")
        if ReportStage.FINAL in stages[:-1] or stages.count(ReportStage.FINAL) > 1:
            raise ValueError("the 终报 is the last report")
        final = ReportStage.FINAL in stages
        if final and any(r.at > self.reports[-1].at for r in self.reports):
            raise ValueError("no report is dated after the 终报")
        if final != (self.closed_at is not None):
            raise ValueError("an incident is closed exactly when its 终报 is made")
        if self.ended_at is not None and self.ended_at < self.known_at:
            raise ValueError("handling ended before the incident was known")
        return self

    def check_update(self, previous: Record) -> None:
        assert isinstance(previous, Incident)
        if self.reports[: len(previous.reports)] != previous.reports:
            raise ValueError(f"incident {self.id}: reports are append-only; an earlier report was changed or removed")

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class Handover(Record):
    """交接班: the outgoing officer hands a shift over, the incoming one acknowledges with their own account."""

    model_config = ConfigDict(defer_build=True)  # built when first read (see models.DEFERRED)

    table: ClassVar[str] = "handovers"

    shift_id: RecordId
    at: LocalTime
    outgoing_by: RequiredLine  # account
    notes: Paragraph = ""  # 遗留问题 and anything the report does not say
    # What the report showed when it was handed over, so the record stands even as cases move on.
    entry_ids: list[RecordId] = Field(default_factory=empty_list, max_length=2000)
    open_incident_ids: list[RecordId] = Field(default_factory=empty_list, max_length=200)
    # Closed (终报) during the shift: a record written before these were listed has none.
    closed_incident_ids: list[RecordId] = Field(default_factory=empty_list, max_length=200)
    late_reports: list[Line] = Field(default_factory=empty_list, max_length=200)
    overdue_case_ids: list[RecordId] = Field(default_factory=empty_list, max_length=5000)
    open_cases: int = Field(default=0, ge=0)
    acknowledged_at: LocalTime | None = None
    acknowledged_by: Line = ""  # account
    incoming_notes: Paragraph = ""

    @model_validator(mode="after")
    def _consistent(self) -> "Handover":
        if (self.acknowledged_at is None) != (not self.acknowledged_by):
            raise ValueError("an acknowledgement records both who and when")
        if self.acknowledged_by and self.acknowledged_by == self.outgoing_by:
            raise ValueError("the incoming officer acknowledges with their own account, not the outgoing one's")
        return self

    def check_update(self, previous: Record) -> None:
        assert isinstance(previous, Handover)
        if previous.acknowledged_at is not None:
            raise ValueError(f"handover {self.id}: acknowledged, so it is closed")
        keep = {"acknowledged_at", "acknowledged_by", "incoming_notes", "updated_at", "updated_by"}
        if self.model_dump(exclude=keep) != previous.model_dump(exclude=keep):
            raise ValueError(f"handover {self.id}: what was handed over stays as it was")


DUTY_MODELS: tuple[type[Record], ...] = (DutyLogEntry, Incident, Handover)
