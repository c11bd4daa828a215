"""pydantic v2 models for every record in the store.

All validation lives here. Records are identified by a stable string ``id`` (TinyDB document
ids restart in every file, so they are never used as keys). Every record carries who changed
it last and when; the storage layer stamps those on write.
"""

# No `from __future__ import annotations` here: pydantic would compile and evaluate every field's
# annotation, a string, as each class is made (~20 M instructions of every start; dataclasses parse
# one for ClassVar: the other modules on `summary`'s path go without it too, 0.3-3.4 M each). A
# method's annotation that names its own class is quoted (tests/test_models.py checks the fields).
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Annotated, Any, ClassVar

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    GetPydanticSchema,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import core_schema

from .clock import as_local
from .text import Line, Paragraph, Phone, RecordId, RequiredLine, ShortLine, place_key

# ---------------------------------------------------------------------------
# Closed sets. Values are stable English keys (used in files and on the command line);
# the Chinese and English labels live in store.i18n.


class GridLevel(StrEnum):
    LARGE = "large"  # 大网格
    BRANCH = "branch"  # 支部网格
    MICRO = "micro"  # 微网格


class WorkerRole(StrEnum):
    GRID_CHIEF = "grid_chief"  # 网格长
    GRID_WORKER = "grid_worker"  # 网格员
    MICRO_WORKER = "micro_worker"  # 微网格员
    LIAISON = "liaison"  # 民情联络员


# Who a grid's own worker usually is (the demo's, and a new worker's default in the roster's form).
ROLE_OF_LEVEL = {
    GridLevel.LARGE: WorkerRole.GRID_CHIEF,
    GridLevel.BRANCH: WorkerRole.GRID_WORKER,
    GridLevel.MICRO: WorkerRole.MICRO_WORKER,
}


class SpecialTag(StrEnum):
    """Special-population tags with the colour of the community wall map (一图全览)."""

    LIVING_ALONE = "living_alone"  # 独居老人, red
    DISABLED = "disabled"  # 残疾人, yellow
    LIMITED_MOBILITY = "limited_mobility"  # 行动不便, blue
    CHILDLESS_ELDERLY = "childless_elderly"  # 孤寡老人, green

    @property
    def colour(self) -> str:
        return _TAG_COLOURS[self]


_TAG_COLOURS = {
    SpecialTag.LIVING_ALONE: "red",
    SpecialTag.DISABLED: "yellow",
    SpecialTag.LIMITED_MOBILITY: "blue",
    SpecialTag.CHILDLESS_ELDERLY: "green",
}


class Channel(StrEnum):
    MAILBOX = "mailbox"  # 民情信箱
    TALK_POINT = "talk_point"  # 群言亭
    COUNCIL = "council"  # 协商议事厅
    HOME_VISIT = "home_visit"  # 入户走访
    GRID_REPORT = "grid_report"  # 网格员上报
    HOTLINE = "hotline"  # 12345热线
    ONLINE = "online"  # 线上


class Category(StrEnum):
    PROPERTY = "property"  # 物业纠纷
    FAMILY = "family"  # 家庭矛盾
    NEIGHBOUR = "neighbour"  # 邻里纠纷
    INFRASTRUCTURE = "infrastructure"  # 基础设施
    GAS = "gas"  # 燃气安全
    SANITATION = "sanitation"  # 环境卫生
    STREET_VENDING = "street_vending"  # 占道经营
    ILLEGAL_BUILDING = "illegal_building"  # 违法建设
    PUBLIC_SECURITY = "public_security"  # 治安
    CONVENIENCE = "convenience"  # 便民服务
    OTHER = "other"  # 其他


class Priority(StrEnum):
    EMERGENCY = "emergency"  # 紧急: risk to life or property
    URGENT = "urgent"  # 加急: water, power, gas, heating
    NORMAL = "normal"  # 一般
    COMPLEX = "complex"  # 复杂


class PetitionStatus(StrEnum):
    NEW = "new"  # 待受理
    ACCEPTED = "accepted"  # 已受理
    DISPATCHED = "dispatched"  # 已派单
    IN_PROGRESS = "in_progress"  # 处置中
    RETURNED = "returned"  # 已退回
    RESOLVED = "resolved"  # 已办结
    CLOSED = "closed"  # 已回访
    CANCELLED = "cancelled"  # 已撤销
    MERGED = "merged"  # 已合并: a duplicate of another case

    @property
    def is_open(self) -> bool:
        return self not in _ENDED  # (a set made once: three members looked up on the class cost 10x)


_ENDED = frozenset({PetitionStatus.CLOSED, PetitionStatus.CANCELLED, PetitionStatus.MERGED})


class Supervision(StrEnum):
    """督办: an overdue case is chased with a yellow card, then a red card."""

    NONE = "none"
    YELLOW = "yellow"  # 黄牌督办
    RED = "red"  # 红牌督办


class Level(StrEnum):
    """Escalation level: 小事不出楼栋，难事不出社区."""

    BUILDING = "building"  # 楼栋
    COMMUNITY = "community"  # 社区
    TOWNSHIP = "township"  # 乡镇


class Satisfaction(StrEnum):
    SATISFIED = "satisfied"  # 满意
    BASICALLY = "basically"  # 基本满意
    UNSATISFIED = "unsatisfied"  # 不满意


class Audience(StrEnum):
    ELDERLY = "elderly"  # 一老
    CHILDREN = "children"  # 一小


class ServiceKind(StrEnum):
    MEAL_DELIVERY = "meal_delivery"  # 入户送餐
    HOME_CARE = "home_care"  # 居家护理
    ERRANDS = "errands"  # 跑腿代购
    ART_TROUPE = "art_troupe"  # 夕阳红艺术团
    CALLIGRAPHY = "calligraphy"  # 银龄书画社
    CLASS = "class"  # 智能手机 / 反诈课堂
    AFTER_SCHOOL = "after_school"  # 四点半小课堂
    SCHOOL_GUARD = "school_guard"  # 护学岗
    SPORTS = "sports"  # 羽毛球 / 乒乓球
    SCIENCE = "science"  # 科普馆
    CHILDREN_FORUM = "children_forum"  # 儿童座谈会

    @property
    def audience(self) -> Audience:
        return Audience.ELDERLY if self in _ELDERLY_SERVICES else Audience.CHILDREN


_ELDERLY_SERVICES = {
    ServiceKind.MEAL_DELIVERY,
    ServiceKind.HOME_CARE,
    ServiceKind.ERRANDS,
    ServiceKind.ART_TROUPE,
    ServiceKind.CALLIGRAPHY,
    ServiceKind.CLASS,
}


class Recurrence(StrEnum):
    """When a recurring 一老一小 service happens."""

    DAILY = "daily"  # every day, holidays included (meals do not stop on Sunday)
    SCHOOL_DAYS = "school_days"  # working days of the official calendar (调休 included)
    WEEKENDS = "weekends"  # days off of the official calendar (weekends and public holidays)
    WEEKLY = "weekly"  # on the listed weekdays (0 = Monday)


class SessionState(StrEnum):
    """What was recorded; 'now', 'next' and 'late' are derived from the clock in queries."""

    SCHEDULED = "scheduled"
    CHECKED_IN = "checked_in"
    DONE = "done"
    CANCELLED = "cancelled"


class PermitStatus(StrEnum):
    """A 准入证's state. An approved or valid permit past its expiry date counts as expired."""

    APPLIED = "applied"  # 申请中
    APPROVED = "approved"  # 已批准
    VALID = "valid"  # 有效
    SUSPENDED = "suspended"  # 暂停
    EXPIRED = "expired"  # 过期


class FeeReduction(StrEnum):
    NONE = "none"
    DISABLED = "disabled"  # 残疾人
    VETERAN = "veteran"  # 退役军人


# ---------------------------------------------------------------------------
# Records


# Every stored time is timezone-aware and normalised to Beijing time.
LocalTime = Annotated[AwareDatetime, AfterValidator(as_local)]
# A time of day (a session's start, a shift's hand-over) is Beijing wall-clock time and carries no
# zone: one edited to 07:00+00:00 beside a plain 08:00 made a model's own rule compare an aware time
# with a naive one, a TypeError out of every read instead of a damaged record. Checked in the core.
WallTime = Annotated[time, GetPydanticSchema(lambda _source, _handler: core_schema.time_schema(tz_constraint="naive"))]


def empty_list() -> list[Any]:
    """A list field's default, as ``default_factory=empty_list`` gives: pydantic inspects a factory's
    signature when it builds a model, which for the builtin ``list`` means parsing its text
    signature (~0.2 ms a field, ~30 fields); a Python function's is read at once."""
    return []


class Record(BaseModel):
    """Base of every stored record."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    table: ClassVar[str]

    id: RecordId
    updated_at: LocalTime | None = None
    updated_by: Line | None = None

    def check_update(self, previous: "Record") -> None:
        """Raise ValueError if replacing ``previous`` with this record is not allowed."""

    @classmethod
    def figures_of(cls, records: Iterable[Any]) -> dict[str, Any] | None:
        """What a reader sums of a file of these records, kept in the file as it is written (its
        _meta, storage.py: ``Store.figures``); None: nothing (every table but the payments)."""
        return None


class FieldChange(BaseModel):
    """One field of a roster record as it was and as it became (a phone is kept masked)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)  # (see DEFERRED)

    name: ShortLine
    before: Paragraph = ""
    after: Paragraph = ""


class RosterEvent(BaseModel):
    """One change to a grid worker, a household or a 一老一小 schedule: who, when and what.

    Append-only, like a case's history: written by store/roster.py (the dashboard's small forms)
    and by a spreadsheet import (noted "import"; the sheet itself carries no history column).
    """

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)  # (see DEFERRED)

    at: LocalTime
    actor: RequiredLine
    action: ShortLine  # add, edit, retire, move, reinstate (store/roster.py, store/workbook.py)
    changes: list[FieldChange] = Field(default_factory=empty_list, max_length=20)
    # Visit plans that went with the change (a retired worker's, a moved household's) and to whom;
    # none named: they were dropped (nobody visits the household's new grid).
    plans: int = Field(default=0, ge=0)
    plans_to: RecordId | None = None
    note: Paragraph = ""


def _history_appended(record: Record, history: list[RosterEvent], before: list[RosterEvent]) -> None:
    if history[: len(before)] != before:
        raise ValueError(f"{record.table} {record.id}: history is append-only; an earlier event was changed or removed")


class Community(Record):
    table: ClassVar[str] = "communities"

    name: RequiredLine
    township: RequiredLine
    elderly_share_percent: int | None = Field(default=None, ge=0, le=100)


class Grid(Record):
    table: ClassVar[str] = "grids"

    community_id: RecordId
    level: GridLevel
    name: RequiredLine
    parent_id: RecordId | None = None

    @model_validator(mode="after")
    def _parent_matches_level(self) -> "Grid":
        if self.level is GridLevel.LARGE and self.parent_id is not None:
            raise ValueError("a 大网格 (large grid) has no parent grid")
        if self.level is not GridLevel.LARGE and self.parent_id is None:
            raise ValueError(f"a {self.level.value} grid needs a parent grid")
        return self


class GridWorker(Record):
    model_config = ConfigDict(defer_build=True)  # (see DEFERRED)

    table: ClassVar[str] = "workers"

    name: ShortLine
    role: WorkerRole
    phone: Phone
    grid_id: RecordId
    # Set when the worker leaves the roster: the record moves to workers/retired.json with its history.
    retired_on: date | None = None
    history: list[RosterEvent] = Field(default_factory=empty_list)

    def check_update(self, previous: Record) -> None:
        assert isinstance(previous, GridWorker)
        _history_appended(self, self.history, previous.history)


class Household(Record):
    model_config = ConfigDict(defer_build=True)  # (see DEFERRED)

    table: ClassVar[str] = "households"

    grid_id: RecordId
    building: ShortLine
    unit: ShortLine
    room: ShortLine
    head_name: ShortLine
    phone: Phone | None = None
    tags: list[SpecialTag] = Field(default_factory=empty_list, max_length=4)
    members: int = Field(default=1, ge=1, le=20)
    elderly: bool = False
    history: list[RosterEvent] = Field(default_factory=empty_list)

    @field_validator("tags")
    @classmethod
    def _unique_tags(cls, tags: list[SpecialTag]) -> list[SpecialTag]:
        if len(set(tags)) != len(tags):
            raise ValueError("a tag is listed twice")
        return tags

    def check_update(self, previous: Record) -> None:
        assert isinstance(previous, Household)
        _history_appended(self, self.history, previous.history)

    @property
    def address(self) -> str:
        """楼栋-单元-房号, as the grid's wall map writes it: 3-2-501."""
        return f"{self.building}-{self.unit}-{self.room}"

    def address_as_typed(self) -> tuple[str, str, str, str]:
        """Its address to the letter: equal, the same address without a look at ``address_key``."""
        return (self.grid_id, self.building, self.unit, self.room)

    def address_key(self) -> tuple[str, str, str, str]:
        """Its address as compared: one household an address (grid, building, unit, room), each
        part as an officer would call it the same (``text.place_key``: spaces, full-width, case and
        leading zeros aside). The store refuses a second household at one (``Transaction.commit``)."""
        return (self.grid_id, place_key(self.building), place_key(self.unit), place_key(self.room))

    def claims_address(self, earlier: list["Household"]) -> bool:
        """Whether this version takes an address none of its ``earlier`` versions held (none: it is
        new): the one-household-an-address rule looks only at such a claim, so two households that
        shared an address before the rule keep it."""
        if any(was.address_as_typed() == self.address_as_typed() for was in earlier):
            return False  # as it was, to the letter (most writes): no look at address_key
        key = self.address_key()
        return not any(was.address_key() == key for was in earlier)


class VisitPlan(Record):
    """One household a grid worker should visit on a day."""

    model_config = ConfigDict(defer_build=True)  # (see DEFERRED)
    table: ClassVar[str] = "visit_plans"

    day: date
    grid_id: RecordId
    household_id: RecordId
    worker_id: RecordId
    # The household's special-population tags when the plan was made: today's progress needs
    # them for every plan, and reading 40,000 households for that would slow every start-up.
    tags: list[SpecialTag] = Field(default_factory=empty_list, max_length=4)


class Visit(Record):
    """A visit done: the 民情日志 entry."""

    model_config = ConfigDict(defer_build=True)  # (see DEFERRED)
    table: ClassVar[str] = "visits"

    day: date
    at: LocalTime
    grid_id: RecordId
    household_id: RecordId
    worker_id: RecordId
    note: Paragraph = ""

    @model_validator(mode="after")
    def _day_matches(self) -> "Visit":
        if self.at.date() != self.day:
            raise ValueError("the visit time is not on the visit day")
        return self


class PetitionEvent(BaseModel):
    """One step in a petition's history. History is append-only."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)  # (see DEFERRED)

    at: LocalTime
    actor: RequiredLine
    action: ShortLine
    from_status: PetitionStatus | None = None
    to_status: PetitionStatus | None = None
    note: Paragraph = ""
    satisfaction: Satisfaction | None = None  # on a follow-up (回访评价)
    solved: bool | None = None  # on a follow-up: did the reporter say it was solved?


class Petition(Record):
    """A 民情诉求 case."""

    model_config = ConfigDict(defer_build=True)  # (see DEFERRED)
    table: ClassVar[str] = "petitions"

    title: RequiredLine
    description: Paragraph = ""
    channel: Channel
    category: Category
    priority: Priority = Priority.NORMAL
    status: PetitionStatus = PetitionStatus.NEW
    level: Level = Level.BUILDING
    community_id: RecordId
    grid_id: RecordId | None = None
    building: Line = ""
    unit: Line = ""
    household_id: RecordId | None = None  # raised during a visit to this household
    reporter_name: Line = ""
    reporter_phone: Phone | None = None
    assignee: Line = ""
    assignee_id: RecordId | None = None  # a grid worker's id when dispatched to one
    created_at: LocalTime
    due_at: LocalTime
    closed_at: LocalTime | None = None
    satisfaction: Satisfaction | None = None
    solved: bool | None = None
    supervision: Supervision = Supervision.NONE
    extension_days: int | None = Field(default=None, ge=1, le=60)  # a pending extension request
    duplicate_of: RecordId | None = None
    duplicates: list[RecordId] = Field(default_factory=empty_list, max_length=200)
    history: list[PetitionEvent] = Field(default_factory=empty_list)

    @model_validator(mode="after")
    def _consistent(self) -> "Petition":
        if self.due_at < self.created_at:
            raise ValueError("the due time is before the time the case was received")
        if self.status.is_open and self.closed_at is not None:
            raise ValueError("an open case has no closing time")
        if not self.status.is_open and self.closed_at is None:
            raise ValueError("a closed or cancelled case needs its closing time")
        if (self.status is PetitionStatus.MERGED) != (self.duplicate_of is not None):
            raise ValueError("a merged case, and only a merged case, names the case it duplicates")
        if self.duplicate_of == self.id:
            raise ValueError("a case cannot duplicate itself")
        return self

    def check_update(self, previous: Record) -> None:
        assert isinstance(previous, Petition)
        if self.history[: len(previous.history)] != previous.history:
            raise ValueError(f"petition {self.id}: history is append-only; an earlier event was changed or removed")

    @property
    def awaits_action(self) -> bool:
        """Open and not yet resolved: the desk still owes the reporter something, so it can be late."""
        return self.status.is_open and self.status is not PetitionStatus.RESOLVED

    def is_overdue(self, moment: datetime) -> bool:
        return self.awaits_action and self.due_at < moment

    @classmethod
    def figures_of(cls, records: Iterable[Any]) -> dict[str, Any]:
        """What `summary` counts of a day file of cases (store/queries.py: ``open_case_dues``): each
        open case's id, due time and whether it awaits action, in the file's order. Kept by the live
        files alone (storage.py: ``keeps_figures``); `summary` reads them instead of validating them."""
        return {"open": [[c.id, c.due_at.isoformat(), c.awaits_action] for c in records if c.status.is_open]}


class ServiceSchedule(Record):
    """A recurring 一老一小 service; each day it occurs becomes a session on the timeline."""

    model_config = ConfigDict(defer_build=True)  # (see DEFERRED)
    table: ClassVar[str] = "schedules"

    kind: ServiceKind
    title: RequiredLine
    community_id: RecordId
    place: RequiredLine
    start: WallTime
    end: WallTime
    recurrence: Recurrence
    weekdays: list[int] = Field(default_factory=empty_list, max_length=7)  # for WEEKLY: 0 = Monday
    staff: list[ShortLine] = Field(default_factory=empty_list, max_length=20)
    household_ids: list[RecordId] = Field(default_factory=empty_list, max_length=200)  # home services
    starts_on: date | None = None
    ends_on: date | None = None
    history: list[RosterEvent] = Field(default_factory=empty_list)

    @model_validator(mode="after")
    def _consistent(self) -> "ServiceSchedule":
        if self.end <= self.start:
            raise ValueError("a session must end after it starts")
        if any(not 0 <= d <= 6 for d in self.weekdays) or len(set(self.weekdays)) != len(self.weekdays):
            raise ValueError("weekdays are distinct numbers 0 (Monday) to 6 (Sunday)")
        if (self.recurrence is Recurrence.WEEKLY) != bool(self.weekdays):
            raise ValueError("a weekly schedule, and only a weekly schedule, lists its weekdays")
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValueError("the schedule ends before it starts")
        return self

    @property
    def audience(self) -> Audience:
        return self.kind.audience

    def check_update(self, previous: Record) -> None:
        assert isinstance(previous, ServiceSchedule)
        _history_appended(self, self.history, previous.history)


class ServiceSession(Record):
    """One 一老一小 service on one day, as it happened: from a schedule, or a one-off."""

    model_config = ConfigDict(defer_build=True)  # (see DEFERRED)
    table: ClassVar[str] = "services"

    day: date
    kind: ServiceKind
    title: RequiredLine
    community_id: RecordId
    place: RequiredLine
    start: WallTime
    end: WallTime
    schedule_id: RecordId | None = None
    staff: list[ShortLine] = Field(default_factory=empty_list, max_length=20)
    household_ids: list[RecordId] = Field(default_factory=empty_list, max_length=200)
    state: SessionState = SessionState.SCHEDULED
    checked_in_at: LocalTime | None = None
    done_at: LocalTime | None = None
    served: int | None = Field(default=None, ge=0, le=10_000)
    cancel_reason: Line = ""
    cancelled_at: LocalTime | None = None  # a late session cancelled stays late (schedule.late_by)

    @model_validator(mode="after")
    def _consistent(self) -> "ServiceSession":
        if self.end <= self.start:
            raise ValueError("a session must end after it starts")
        if self.state is SessionState.CANCELLED and not self.cancel_reason.strip():
            raise ValueError("a cancelled session needs a reason")
        if self.state is SessionState.DONE and self.served is None:
            raise ValueError("a completed session records how many people were served")
        if self.state is SessionState.CHECKED_IN and self.checked_in_at is None:
            raise ValueError("a checked-in session records when")
        return self

    @property
    def audience(self) -> Audience:
        return self.kind.audience


# The most money one record holds (a monthly fee, a payment): ¥100,000, in fen. ``yuan_to_fen``
# refuses more as too large, naming this, before a record is made.
MOST_FEN = 10_000_000


MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"


class StallRate(BaseModel):
    """One rate in a stall's history: from ``from_month`` on (until the next entry) the holder owes
    ``due_fen`` a month, the fee ``monthly_fee_fen`` less the reduction ``reduction`` at the
    percentages in force when the rate was set. The first entry also covers every month before it."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)  # (see DEFERRED)

    from_month: str = Field(pattern=MONTH_PATTERN)
    monthly_fee_fen: int = Field(ge=0, le=MOST_FEN, strict=True)
    reduction: FeeReduction = FeeReduction.NONE
    due_fen: int = Field(ge=0, le=MOST_FEN, strict=True)

    @model_validator(mode="after")
    def _due_within_fee(self) -> "StallRate":
        if self.due_fen > self.monthly_fee_fen:
            raise ValueError(f"a rate's due ({self.due_fen} fen) is more than its fee ({self.monthly_fee_fen} fen)")
        return self


class Stall(Record):
    """A numbered market spot (摊位)."""

    model_config = ConfigDict(defer_build=True)  # (see DEFERRED)
    table: ClassVar[str] = "stalls"

    market: RequiredLine
    community_id: RecordId
    number: int = Field(ge=1, le=999)
    goods: Line = ""
    holder_name: Line = ""
    holder_phone: Phone | None = None
    reduction: FeeReduction = FeeReduction.NONE
    monthly_fee_fen: int = Field(ge=0, le=MOST_FEN, strict=True)  # before any reduction
    occupied_on: date | None = None  # the last day the spot was marked occupied (出摊)
    held_since: date | None = None  # when the present holder took the spot: their fees count from then
    # Which fee and reduction applied from which month, oldest first; the last entry is the fee and
    # reduction above. Empty (a stall stored before rates were kept, or never changed): the present
    # rate for every month. Appended by store/market.py: with_rate, whoever changes the rate.
    rates: list[StallRate] = Field(default_factory=empty_list, max_length=600)

    def occupied(self, day: date) -> bool:
        return self.occupied_on == day

    def spot_key(self) -> tuple[str, str, int]:
        """Its spot as compared: one stall a number in its community's market (玉05 in the lists).
        The store refuses a second stall on one (``Transaction.commit``), as the import does."""
        return (self.community_id, self.market, self.number)

    @model_validator(mode="after")
    def _rates_in_order(self) -> "Stall":
        months = [r.from_month for r in self.rates]
        if any(a >= b for a, b in zip(months, months[1:], strict=False)):
            raise ValueError(f"stall {self.id}: the rate history is oldest first, one entry a month: {months}")
        return self

    def check_update(self, previous: Record) -> None:
        """A change of the fee or reduction is the history's last entry; the months before it keep
        their rates (an entry for the month of the change may be corrected that month)."""
        assert isinstance(previous, Stall)
        if (self.monthly_fee_fen, self.reduction) == (previous.monthly_fee_fen, previous.reduction):
            if self.rates != previous.rates:
                raise ValueError(f"stall {self.id}: its rate history changed, its rate did not")
            return
        last = self.rates[-1] if self.rates else None
        if last is None or (last.monthly_fee_fen, last.reduction) != (self.monthly_fee_fen, self.reduction):
            raise ValueError(f"stall {self.id}: a new fee or reduction is not in its rate history")
        kept = self.rates[:-1]
        if previous.rates and previous.rates[: len(kept)] != kept:
            raise ValueError(f"stall {self.id}: the rate history is append-only; an earlier rate was changed")


class PermitEvent(BaseModel):
    """One step in a permit's review. Append-only, like a case's history."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)  # (see DEFERRED)

    at: LocalTime
    actor: RequiredLine
    action: ShortLine
    from_status: PermitStatus | None = None
    to_status: PermitStatus
    note: Paragraph = ""


PERMIT_YEARS_MAX = 5  # a 准入证 is given for a year, renewed yearly: five is a slip's bound


class StallPermit(Record):
    """A 准入证, reviewed by the community's 三位一体实践中心."""

    model_config = ConfigDict(defer_build=True)  # (see DEFERRED)
    table: ClassVar[str] = "permits"

    stall_id: RecordId
    holder_name: ShortLine
    status: PermitStatus
    applied_on: date
    expires_on: date | None = None
    reviewed_by: Line = ""
    history: list[PermitEvent] = Field(default_factory=empty_list)

    @field_validator("expires_on")
    @classmethod
    def _expiry_within_reach(cls, value: date | None, info: ValidationInfo) -> date | None:
        """A new expiry (``context={"new_expiry": True}``, market.change_permit) is at most
        PERMIT_YEARS_MAX years after the application: 9999-12-31 is a slip, not a permit. One
        already stored is read as it is (a file is not damaged by a rule it was written before)."""
        applied = info.data.get("applied_on")
        if value is None or not (info.context or {}).get("new_expiry") or not isinstance(applied, date):
            return value
        if value.year - applied.year > PERMIT_YEARS_MAX:
            raise ValueError("a permit expires at most 5 years after it was applied for")
        return value

    def check_update(self, previous: Record) -> None:
        assert isinstance(previous, StallPermit)
        if self.history[: len(previous.history)] != previous.history:
            raise ValueError(f"permit {self.id}: history is append-only; an earlier event was changed or removed")


class StallPayment(Record):
    """A stall fee payment, in fen (分) so money never meets floating point."""

    model_config = ConfigDict(defer_build=True)  # (see DEFERRED)
    table: ClassVar[str] = "payments"

    stall_id: RecordId
    period: str = Field(pattern=MONTH_PATTERN)
    amount_fen: int = Field(gt=0, le=MOST_FEN, strict=True)
    paid_at: LocalTime
    collector: ShortLine

    @classmethod
    def figures_of(cls, records: Iterable[Any]) -> dict[str, Any]:
        """The fees' figures of a payments file (store/market.py: ``stall_roster``): fen by the month
        paid in (Beijing time) and by spot and the month paid for, in the file's order; how many.
        `summary` reads them as the file keeps them instead of validating every year's payments."""
        paid_in: dict[str, int] = {}
        paid_for: dict[str, dict[str, int]] = {}
        count = 0
        for payment in records:
            month = f"{payment.paid_at.year:04d}-{payment.paid_at.month:02d}"
            paid_in[month] = paid_in.get(month, 0) + payment.amount_fen
            periods = paid_for.setdefault(payment.stall_id, {})
            periods[payment.period] = periods.get(payment.period, 0) + payment.amount_fen
            count += 1
        return {"paid_in": paid_in, "paid_for": paid_for, "count": count}


class DutySwap(BaseModel):
    """换班: one person of a shift replaced by another. Swaps must be reported, so who asked and who approved are kept."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)  # (see DEFERRED)

    at: LocalTime
    actor: RequiredLine  # the account that recorded it
    replaced: ShortLine
    by: ShortLine
    asked_by: ShortLine
    approved_by: ShortLine
    note: Paragraph = ""


class DutyShift(Record):
    """A 值班 shift: its 带班领导 and 值班员, from ``starts`` on ``day`` for ``hours`` (08:00 to 08:00 next day)."""

    model_config = ConfigDict(defer_build=True)  # (see DEFERRED)

    table: ClassVar[str] = "duty"

    day: date
    leader: ShortLine
    staff: list[ShortLine] = Field(default_factory=empty_list, max_length=10)
    starts: WallTime = time(8)
    hours: int = Field(default=24, ge=1, le=48)
    phones: dict[ShortLine, Phone] = Field(default_factory=dict, max_length=12)  # name → phone, shown masked
    swaps: list[DutySwap] = Field(default_factory=empty_list, max_length=50)

    @model_validator(mode="after")
    def _on_the_day_its_id_names(self) -> "DutyShift":
        # The id names the day, and so the month's file (dutylog.find_shift): a shift given another
        # day under it would be filed in that month, its old self left in the first, one id twice.
        named = self.id.removeprefix("duty-")
        if (
            named != self.id
            and len(named) == 8
            and named.isascii()
            and named.isdigit()
            and named != f"{self.day:%Y%m%d}"
        ):
            raise ValueError(f"shift {self.id}: its id names another day than {self.day}")
        return self

    @model_validator(mode="after")
    def _phones_of_people_on_shift(self) -> "DutyShift":
        strangers = set(self.phones) - {self.leader, *self.staff}
        if strangers:
            raise ValueError(f"a phone for someone not on the shift: {', '.join(sorted(strangers))}")
        return self

    def check_update(self, previous: Record) -> None:
        assert isinstance(previous, DutyShift)
        if self.swaps[: len(previous.swaps)] != previous.swaps:
            raise ValueError(f"shift {self.id}: swaps are append-only; an earlier swap was changed or removed")
        # Its id names its day, and its month's file (dutylog.find_shift); the import says it at the row.
        if self.day != previous.day:
            raise ValueError(f"shift {self.id}: its day cannot change ({previous.day} → {self.day})")

    @property
    def starts_at(self) -> datetime:
        return as_local(datetime.combine(self.day, self.starts))

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(hours=self.hours)

    @property
    def span(self) -> str:
        """The shift as an officer knows it, its day and span: 2026-11-28 08:00 – 11-29 08:00 (the 交班
        form's title, the hand-over export's 班次 line, every line that names a shift; its id is the
        store's)."""
        return f"{self.starts_at:%Y-%m-%d %H:%M} – {self.ends_at:%m-%d %H:%M}"

    def covers(self, moment: datetime) -> bool:
        return self.starts_at <= moment < self.ends_at


class AuditEntry(Record):
    """Who saw unmasked personal data, or was refused it (PIPL art. 51; kept by month)."""

    model_config = ConfigDict(defer_build=True)  # (see DEFERRED)

    table: ClassVar[str] = "audit"

    at: LocalTime
    actor: RequiredLine
    action: ShortLine  # "reveal"
    subject: Line  # "<table>:<id>"
    fields: list[ShortLine] = Field(default_factory=empty_list, max_length=10)
    allowed: bool


# The duty room's own records build on Record above (see store/duty_models.py).
from .duty_models import DUTY_MODELS, DutyLogEntry, Handover  # noqa: E402

# Records whose validator pydantic builds when one is first validated, not when this module is
# imported (each ~1-4 ms of every start): the records only the rest after the dashboard's first frame
# reads (its visits, plans, sessions, stalls, permits, payments, shift's log; the hand-over and the
# audit when its look for damaged files reads them), built by that read; `summary` reads none of them.
# The first frame reads the communities, grids, cases, incidents and duty shifts (DutyShift's built
# there: the same cost as at import). The records they hold (FieldChange, RosterEvent, StallRate,
# PermitEvent, DutySwap, LogEvent, IncidentReport) are deferred too: built inside the record that
# holds them. So are the cases (Petition, PetitionEvent), not listed here as the first frame builds
# them: `summary` counts from their day files' figures and never builds them (~11 M of its start).
# pydantic builds a deferred model under a lock, so two threads may meet there safely.
DEFERRED: tuple[type[Record], ...] = (
    Household,
    AuditEntry,
    Handover,
    GridWorker,
    DutyShift,
    DutyLogEntry,
    VisitPlan,
    Visit,
    ServiceSchedule,
    ServiceSession,
    Stall,
    StallPermit,
    StallPayment,
)

ALL_MODELS: tuple[type[Record], ...] = (
    Community,
    Grid,
    GridWorker,
    Household,
    VisitPlan,
    Visit,
    Petition,
    ServiceSchedule,
    ServiceSession,
    Stall,
    StallPermit,
    StallPayment,
    DutyShift,
    AuditEntry,
    *DUTY_MODELS,
)
