"""The petition case desk: the one place that decides which steps are legal and what they do.

受理 → 派单 → 处置 → 办结 → 回访/评价 (12345 practice, 国办发〔2020〕53号), with 退回 (the assignee
returns a wrongly routed case for re-dispatch), 重办 (redo after an unsatisfied follow-up),
重开 (reopen a closed case), 撤销 (withdrawn by the reporter), 合并 (a duplicate of another case),
and three steps that keep the status: 升级 (escalate 楼栋 → 社区 → 乡镇), 督办 (chase an overdue
case: yellow card, then red card) and 延期 (request / grant / deny an extension).

Every step appends one event (who, when, from, to, note) to the case's append-only history.
A refused step raises ``IllegalTransition`` before anything is written.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from . import i18n
from .deadlines import DeadlineRules
from .i18n import Lang
from .models import (
    Category,
    Grid,
    Household,
    Level,
    Petition,
    PetitionEvent,
    PetitionStatus,
    Priority,
    Satisfaction,
    Supervision,
)
from .refusal import Refused
from .roster import community_named, known_list
from .storage import RecordNotFound, Store, Transaction
from .values import valueclass
from .visiting import grids_below

S = PetitionStatus


class Action(StrEnum):
    ACCEPT = "accept"  # 受理
    DISPATCH = "dispatch"  # 派单
    REDISPATCH = "redispatch"  # 重派 (after a return)
    START = "start"  # 开始处置
    RETURN = "return"  # 退回
    RESOLVE = "resolve"  # 办结
    FOLLOW_UP = "follow_up"  # 回访评价
    REDO = "redo"  # 重办
    REOPEN = "reopen"  # 重开
    CANCEL = "cancel"  # 撤销
    MERGE = "merge"  # 合并
    ESCALATE = "escalate"  # 升级
    SUPERVISE = "supervise"  # 督办
    EXTEND_REQUEST = "extend_request"  # 申请延期
    EXTEND_GRANT = "extend_grant"  # 批准延期
    EXTEND_DENY = "extend_deny"  # 驳回延期


BEFORE_RESOLVED = frozenset({S.NEW, S.ACCEPTED, S.DISPATCHED, S.RETURNED, S.IN_PROGRESS})
WORKING = frozenset({S.DISPATCHED, S.IN_PROGRESS})


@dataclass(frozen=True, eq=False, repr=False)  # never compared or shown: fewer methods to compile
class Rule:
    action: Action
    sources: frozenset[PetitionStatus]
    to: PetitionStatus | None  # None: the status stays
    needs_note: bool = False
    needs_assignee: bool = False


RULES: dict[Action, Rule] = {
    rule.action: rule
    for rule in (
        Rule(Action.ACCEPT, frozenset({S.NEW}), S.ACCEPTED),
        Rule(Action.DISPATCH, frozenset({S.ACCEPTED}), S.DISPATCHED, needs_assignee=True),
        Rule(Action.REDISPATCH, frozenset({S.RETURNED}), S.DISPATCHED, needs_assignee=True),
        Rule(Action.START, frozenset({S.DISPATCHED}), S.IN_PROGRESS),
        Rule(Action.RETURN, WORKING, S.RETURNED, needs_note=True),
        Rule(Action.RESOLVE, frozenset({S.IN_PROGRESS}), S.RESOLVED),
        Rule(Action.FOLLOW_UP, frozenset({S.RESOLVED}), S.CLOSED),
        Rule(Action.REDO, frozenset({S.RESOLVED}), S.IN_PROGRESS, needs_note=True),
        Rule(Action.REOPEN, frozenset({S.CLOSED}), S.IN_PROGRESS, needs_note=True),
        Rule(Action.CANCEL, BEFORE_RESOLVED, S.CANCELLED, needs_note=True),
        Rule(Action.MERGE, BEFORE_RESOLVED, S.MERGED),
        Rule(Action.ESCALATE, BEFORE_RESOLVED, None, needs_note=True),
        Rule(Action.SUPERVISE, BEFORE_RESOLVED, None),
        Rule(Action.EXTEND_REQUEST, BEFORE_RESOLVED - {S.NEW}, None, needs_note=True),
        Rule(Action.EXTEND_GRANT, BEFORE_RESOLVED - {S.NEW}, None),
        Rule(Action.EXTEND_DENY, BEFORE_RESOLVED - {S.NEW}, None, needs_note=True),
    )
}


@valueclass
@dataclass(frozen=True, eq=False, repr=False)
class Step:
    """A status-changing step offered from a status (for pickers and `set-status`)."""

    action: str
    to: PetitionStatus
    needs_note: bool = False
    needs_assignee: bool = False


# Status → the steps that change it, in the order a person would take them. Derived from RULES.
TRANSITIONS: dict[PetitionStatus, tuple[Step, ...]] = {
    status: tuple(
        Step(rule.action.value, rule.to, rule.needs_note, rule.needs_assignee)
        for rule in RULES.values()
        if rule.to is not None and status in rule.sources and rule.action is not Action.MERGE
    )
    for status in PetitionStatus
}


class IllegalTransition(Refused):
    """A refused step on a case."""

    def word(self, value: object, lang: Lang) -> str:
        if isinstance(value, Action):
            return i18n.t(f"action.{value.value}", lang)
        return super().word(value, lang)


def next_steps(status: PetitionStatus) -> tuple[Step, ...]:
    return TRANSITIONS[status]


def allowed_actions(petition: Petition, now: datetime) -> list[Action]:
    """Every action that would be accepted on this case now (for menus and the Footer)."""
    allowed = []
    for action in Action:
        try:
            check(petition, action, now)
        except IllegalTransition:
            continue
        allowed.append(action)
    return allowed


def find_step(current: PetitionStatus, target: PetitionStatus) -> Step:
    for step in TRANSITIONS[current]:
        if step.to is target:
            return step
    if not TRANSITIONS[current]:
        raise IllegalTransition("final", current=current)
    raise IllegalTransition(
        "transition", current=current, target=target, allowed=tuple(step.to for step in TRANSITIONS[current])
    )


def check(petition: Petition, action: Action, now: datetime) -> Rule:
    """Raise unless ``action`` may be taken on ``petition`` at ``now`` (parameters aside); the
    refusal names the case (the one under the cursor when the key was pressed)."""
    try:
        return _check(petition, action, now)
    except IllegalTransition as refused:
        raise refused.naming(petition.id) from None


def _check(petition: Petition, action: Action, now: datetime) -> Rule:
    rule = RULES[action]
    if petition.status not in rule.sources:
        raise IllegalTransition("action_state", action=action, current=petition.status)
    if action is Action.ESCALATE and petition.level is Level.TOWNSHIP:
        raise IllegalTransition("escalate_top", level=petition.level)
    if action is Action.SUPERVISE:
        if petition.due_at >= now:
            raise IllegalTransition("supervise_not_overdue")
        if petition.supervision is Supervision.RED:
            raise IllegalTransition("supervise_max")
    if action is Action.EXTEND_REQUEST:
        if petition.extension_days is not None:
            raise IllegalTransition("extension_pending")
        if petition.due_at < now:
            raise IllegalTransition("extension_late")
    if action in (Action.EXTEND_GRANT, Action.EXTEND_DENY) and petition.extension_days is None:
        raise IllegalTransition("extension_none")
    if action is Action.MERGE and petition.duplicates:
        raise IllegalTransition("merge_has_duplicates", count=len(petition.duplicates))
    return rule


_LEVEL_UP = {Level.BUILDING: Level.COMMUNITY, Level.COMMUNITY: Level.TOWNSHIP}
_CARD_UP = {Supervision.NONE: Supervision.YELLOW, Supervision.YELLOW: Supervision.RED}


def escalated_level(level: Level) -> Level | None:
    """The level 升级 takes a case at ``level`` to (楼栋 → 社区 → 乡镇); None at the top."""
    return _LEVEL_UP.get(level)


def raised_card(card: Supervision) -> Supervision | None:
    """The card 督办 gives a case on ``card`` (none → 黄牌 → 红牌); None once it is red."""
    return _CARD_UP.get(card)


def apply_action(
    petition: Petition,
    action: Action,
    *,
    actor: str,
    now: datetime,
    note: str = "",
    assignee: str = "",
    assignee_id: str | None = None,
    satisfaction: Satisfaction | None = None,
    solved: bool | None = None,
    days: int | None = None,
    duplicate_of: str | None = None,
    rules: DeadlineRules | None = None,
) -> Petition:
    """The case after one legal step, with its event appended. Pure: writes nothing."""
    rule = check(petition, action, now)
    if rule.needs_note and not note.strip():
        raise IllegalTransition("needs_note", action=action)
    if rule.needs_assignee and not assignee.strip():
        raise IllegalTransition("needs_assignee", action=action)
    changes: dict[str, object] = {}
    to = rule.to
    event_extra: dict[str, object] = {}
    match action:
        case Action.DISPATCH | Action.REDISPATCH:
            changes.update(assignee=assignee.strip(), assignee_id=assignee_id)
            note = note or assignee.strip()
        case Action.FOLLOW_UP:
            if satisfaction is None:
                raise IllegalTransition("needs_rating")
            solved = satisfaction is not Satisfaction.UNSATISFIED if solved is None else solved
            event_extra.update(satisfaction=satisfaction, solved=solved)
            if satisfaction is Satisfaction.UNSATISFIED:
                to = S.IN_PROGRESS  # 回访不满意，发回重办
            else:
                changes.update(satisfaction=satisfaction, solved=solved)
        case Action.REOPEN:
            changes.update(satisfaction=None, solved=None)
        case Action.ESCALATE:
            changes["level"] = _LEVEL_UP[petition.level]
            note = f"{i18n.label(petition.level)}→{i18n.label(_LEVEL_UP[petition.level])}: {note}"
        case Action.SUPERVISE:
            changes["supervision"] = _CARD_UP[petition.supervision]
        case Action.EXTEND_REQUEST:
            limit = (rules or DeadlineRules()).max_extension_working_days
            if days is None or not 1 <= days <= limit:
                raise IllegalTransition("extension_days", limit=limit)
            changes["extension_days"] = days
            note = f"+{days}: {note}"
        case Action.EXTEND_GRANT:
            assert petition.extension_days is not None
            due = (rules or DeadlineRules()).add_working_days(petition.due_at, petition.extension_days)
            changes.update(due_at=due, extension_days=None)
            note = note or f"+{petition.extension_days} → {due:%Y-%m-%d %H:%M}"
        case Action.EXTEND_DENY:
            changes["extension_days"] = None
        case Action.MERGE:
            if not duplicate_of or duplicate_of == petition.id:
                raise IllegalTransition("merge_target")
            changes["duplicate_of"] = duplicate_of
            note = note or duplicate_of
    event = PetitionEvent(
        at=now,
        actor=actor,
        action=action.value,
        from_status=petition.status,
        to_status=to if to is not None else petition.status,
        note=note,
        **event_extra,
    )
    changes["history"] = [*petition.history, event]
    if to is not None:
        changes["status"] = to
        changes["closed_at"] = None if to.is_open else now
    return Petition.model_validate({**petition.model_dump(), **changes})


def apply_status(
    petition: Petition,
    target: PetitionStatus,
    *,
    actor: str,
    tx: Transaction,
    note: str = "",
    satisfaction: Satisfaction | None = None,
    assignee: str = "",
) -> Petition:
    """The case after the step that leads to ``target`` (a rated follow-up defaults to 满意)."""
    step = find_step(petition.status, target)
    action = Action(step.action)
    if action is Action.REDO and satisfaction is Satisfaction.UNSATISFIED:
        action = Action.FOLLOW_UP  # the redo comes from an unsatisfied follow-up: record the rating
    if action is Action.FOLLOW_UP and satisfaction is None:
        satisfaction = Satisfaction.SATISFIED
    if step.needs_assignee and not assignee:
        assignee = petition.assignee
    return apply_action(
        petition, action, actor=actor, now=tx.now, note=note, satisfaction=satisfaction, assignee=assignee
    )


def perform(
    store: Store,
    petition_id: str,
    action: Action,
    *,
    rules: DeadlineRules | None = None,
    expected: Petition | None = None,
    **params: object,
) -> Petition:
    """Take one step on a case through the store: locked, re-read, validated, atomic, stamped.
    ``expected``: the case as the officer's form showed it; changed since, refused (``Transaction.as_seen``)."""
    with store.transaction() as tx:
        current = tx.as_seen(tx.get(Petition, petition_id), expected)
        if action is Action.MERGE:
            target = _merge_target(tx, current, params.get("duplicate_of"))
        updated = apply_action(current, action, actor=store.actor, now=tx.now, rules=rules, **params)  # type: ignore[arg-type]
        updated = tx.put(updated)
        if action is Action.MERGE:
            tx.put(target.model_copy(update={"duplicates": [*target.duplicates, current.id]}))
        tx.archive_closed_petitions()
    return updated


def _merge_target(tx: Transaction, source: Petition, target_id: object) -> Petition:
    if not isinstance(target_id, str) or not target_id or target_id == source.id:
        raise IllegalTransition("merge_target")
    try:
        target = tx.get(Petition, target_id)
    except RecordNotFound:
        raise IllegalTransition("merge_missing", id=target_id) from None
    if not target.status.is_open:
        raise IllegalTransition("merge_closed", id=target_id, current=target.status)
    return target


def change_status(
    store: Store,
    petition_id: str,
    target: PetitionStatus,
    *,
    note: str = "",
    satisfaction: Satisfaction | None = None,
    assignee: str = "",
    expected: Petition | None = None,
) -> Petition:
    """Move a case to ``target`` by the one legal step that leads there. ``expected``: the case as
    the officer's choice showed it; changed since, refused (``Transaction.as_seen``)."""
    with store.transaction() as tx:
        current = tx.as_seen(tx.get(Petition, petition_id), expected)
        updated = apply_status(
            current, target, actor=store.actor, tx=tx, note=note, satisfaction=satisfaction, assignee=assignee
        )
        updated = tx.put(updated)  # the stamped record, as stored
        tx.archive_closed_petitions()
    return updated


def next_case_id(tx: Transaction, created: datetime) -> str:
    """MK + yymmdd + '-' + a 3-digit sequence for that day, from the day's counter in the manifest.

    The counter moves with the case in one transaction, so the cost does not grow with the
    archive. The day's files are looked at too (they hold every case of the day: a case is archived
    30 days after it is closed), for a store written before the counter existed.
    """
    prefix = f"MK{created:%y%m%d}-"
    used = [
        p.id[len(prefix) :]
        for part in tx.day_files(Petition, created.date().isoformat())
        for p in tx.all(Petition, part)
        if p.id.startswith(prefix)
    ]
    highest = max((int(tail) for tail in used if tail.isdigit()), default=0)
    return f"{prefix}{tx.next_in_sequence(prefix.rstrip('-'), at_least=highest):03d}"


REPEAT_WINDOW = timedelta(minutes=1)


class DuplicateCase(Refused):
    """The same case was registered moments ago by the same person: a retried request, not a new case."""

    def __init__(self, existing: Petition, seconds: int) -> None:
        self.existing = existing
        super().__init__("duplicate_case", id=existing.id, seconds=seconds)


def _recent_twin(cases: list[Petition], new: Petition, actor: str, now: datetime) -> Petition | None:
    for case in cases:
        if (
            case.history
            and case.history[0].actor == actor
            and timedelta(0) <= now - case.created_at <= REPEAT_WINDOW
            and all(getattr(case, name) == getattr(new, name) for name in INTAKE_FIELDS)  # all that was typed
        ):
            return case
    return None


DRAFT_ID = "MK000000-000"  # stands in until the store assigns the real id under its lock
INTAKE_FIELDS = (
    "title",
    "channel",
    "category",
    "priority",
    "community_id",
    "grid_id",
    "building",
    "unit",
    "reporter_name",
    "reporter_phone",
    "description",
    "household_id",
)


def draft(fields: Mapping[str, object], *, actor: str, now: datetime, rules: DeadlineRules | None = None) -> Petition:
    """Validate a new case as a whole (raises pydantic's ValidationError naming every bad field)."""
    unknown = set(fields) - set(INTAKE_FIELDS)
    if unknown:
        raise ValueError(f"not intake fields: {', '.join(sorted(unknown))}")
    data: dict[str, object] = {k: v for k, v in fields.items() if v not in (None, "") or k == "title"}
    category, priority = data.get("category"), data.get("priority", Priority.NORMAL)
    try:
        due = (rules or DeadlineRules()).due_at(now, Category(category), Priority(priority))  # type: ignore[arg-type]
    except ValueError:
        due = now  # the bad category or priority is reported by the model below
    return Petition.model_validate(
        {
            "id": DRAFT_ID,
            **data,
            "created_at": now,
            "due_at": due,
            "history": [PetitionEvent(at=now, actor=actor, action="create", to_status=S.NEW)],
        }
    )


INTAKE_REFUSALS = {
    "community_unknown": "community_id",
    "grid_unknown": "grid_id",
    "grid_elsewhere": "grid_id",
    "household_unknown": "household_id",
    "building_outside_grid": "building",
    "unit_outside_grid": "unit",
}  # what ``register`` may refuse, by the field to fix


def grid_elsewhere(grid: Grid, community_id: str) -> Refused | None:
    """A case's grid lies in its community; the refusal when it does not (the intake form asks at once)."""
    if grid.community_id == community_id:
        return None
    return Refused("grid_elsewhere", grid=grid.name, community=grid.community_id, chosen=community_id)


_CN_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


def _place_token(text: str, suffixes: tuple[str, ...]) -> str:
    """A building or unit as typed, reduced to what names it: 3号楼, 3栋, ３, 三号楼 → 3; 2单元, 第2单元 → 2;
    A座 → A (whatever is not a number compared as it is, without case)."""
    said = "".join(unicodedata.normalize("NFKC", text).split()).upper()
    said = said.removeprefix("第")
    for suffix in suffixes:
        if said.endswith(suffix) and len(said) > len(suffix):
            said = said[: -len(suffix)]
            break
    if said and all(c in _CN_DIGITS or c == "十" for c in said):  # 三, 十二, 二十三 (up to 99)
        tens, _, ones = said.rpartition("十")
        if "十" in said:
            said = str((_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0))
        elif len(said) == 1:
            said = str(_CN_DIGITS[said])
    return (said.lstrip("0") or said) if said.isdigit() else said


BUILDING_SUFFIXES = ("号楼", "号", "栋", "幢", "楼", "座")
UNIT_SUFFIXES = ("单元",)


def _place_said(building: str, unit: str, lang: Lang) -> str:
    """A building (and unit) in words: 3号楼2单元, building 3 unit 2."""
    if lang == "zh":
        b = f"{building}号楼" if building.isdigit() else building
        u = f"{unit}单元" if unit.isdigit() else unit
        return b + u
    return " ".join(
        part for part in (f"building {building}" if building else "", f"unit {unit}" if unit else "") if part
    )


def place_outside_grid(petition: Petition, grid: Grid, households: list[Household]) -> Refused | None:
    """A case's building and unit lie where its grid's households (and those of the grids under it)
    live; the refusal naming where they do when they do not. A grid with no household on the
    register, or a case with neither building nor unit, is not judged."""
    if not households or not (petition.building or petition.unit):
        return None
    places = sorted(
        {(_place_token(h.building, BUILDING_SUFFIXES), _place_token(h.unit, UNIT_SUFFIXES)) for h in households},
        key=lambda p: (len(p[0]), p[0], len(p[1]), p[1]),
    )
    building = _place_token(petition.building, BUILDING_SUFFIXES) if petition.building else ""
    unit = _place_token(petition.unit, UNIT_SUFFIXES) if petition.unit else ""
    if building and building not in {b for b, _ in places}:
        key, typed = "building_outside_grid", (building, "")
    elif unit and unit not in {u for b, u in places if not building or b == building}:
        key, typed = "unit_outside_grid", (building, unit)
    else:
        return None
    shown = places[:3]
    return PlaceRefused(key, grid=grid.name, places=shown, more=len(places) > len(shown), typed=typed)


class PlaceRefused(Refused):
    """A building or unit where the case's grid has no household: the places said in each language."""

    def reason(self, lang: Lang) -> str:
        places: list[tuple[str, str]] = self.params["places"]  # type: ignore[assignment]
        said = i18n.t("punct.list", lang).join(_place_said(b, u, lang) for b, u in places)
        if self.params["more"]:
            said += "…"
        typed: tuple[str, str] = self.params["typed"]  # type: ignore[assignment]
        return i18n.t(f"refused.{self.key}", lang).format(
            grid=self.params["grid"], places=said, typed=_place_said(*typed, lang)
        )


def register(store: Store, fields: Mapping[str, object], *, rules: DeadlineRules | None = None) -> Petition:
    """Register a new case (登记): validated as a whole, due time from the rules, id assigned."""
    with store.transaction() as tx:
        return register_in(tx, fields, rules=rules)


def register_in(tx: Transaction, fields: Mapping[str, object], *, rules: DeadlineRules | None = None) -> Petition:
    """``register`` inside a caller's transaction (a duty-log entry becomes a case and is linked to it at
    once). The community may be typed by its id or its name (东城花园社区), as `list --community` takes it."""
    if isinstance(typed := fields.get("community_id"), str) and typed.strip():
        fields = {**fields, "community_id": community_named(tx, typed)}
    petition = draft(fields, actor=tx.store.actor, now=tx.now, rules=rules)
    if petition.grid_id is not None:
        grid = next((g for g in tx.all(Grid) if g.id == petition.grid_id), None)
        if grid is None:
            grids = [g for g in tx.all(Grid) if g.community_id == petition.community_id]
            raise Refused("grid_unknown", id=petition.grid_id, known=known_list(grids))
        refused = grid_elsewhere(grid, petition.community_id)
        if refused is not None:
            raise refused
        if petition.building or petition.unit:
            below = grids_below(tx.all(Grid), grid.id)
            refused = place_outside_grid(petition, grid, [h for h in tx.all(Household) if h.grid_id in below])
            if refused is not None:
                raise refused
    if petition.household_id is not None:
        household = next((h for h in tx.all(Household) if h.id == petition.household_id), None)
        if household is None:
            raise Refused("household_unknown", id=petition.household_id)
    # A case received in the last minute is in today's last file or the one before it (or
    # yesterday's, just after midnight): it has one of the day's last numbers.
    days = sorted({(tx.now - REPEAT_WINDOW).date().isoformat(), tx.now.date().isoformat()})
    recent = [p for day in days for part in tx.day_files(Petition, day)[-2:] for p in tx.all(Petition, part)]
    twin = _recent_twin(recent, petition, tx.store.actor, tx.now)
    if twin is not None:  # the same case typed twice (a retried add): refused, naming the first
        raise DuplicateCase(twin, int((tx.now - twin.created_at).total_seconds()))
    return tx.put(petition.model_copy(update={"id": next_case_id(tx, tx.now)}))
