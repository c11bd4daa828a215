"""Validation of every stored record: good values pass, bad values are refused with a clear message."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from store.clock import TZ
from store.duty_models import DutyLogEntry, Handover, Incident
from store.models import (
    ALL_MODELS,
    AuditEntry,
    Community,
    DutyShift,
    Grid,
    GridLevel,
    GridWorker,
    Household,
    Petition,
    PetitionEvent,
    PetitionStatus,
    Record,
    ServiceSchedule,
    ServiceSession,
    Stall,
    StallPayment,
    StallPermit,
    Visit,
    VisitPlan,
)
from store.text import display_safe

T0 = datetime(2026, 11, 28, 9, 30, tzinfo=TZ)

# One valid record of every model, as the plain data a JSON file would hold.
VALID: dict[type[Record], dict[str, Any]] = {
    Community: {"id": "c1", "name": "幸福社区", "township": "城关镇", "elderly_share_percent": 27},
    Grid: {"id": "g1", "community_id": "c1", "level": "large", "name": "第一大网格"},
    GridWorker: {"id": "w1", "name": "王小红", "role": "grid_worker", "phone": "13812341234", "grid_id": "g1"},
    Household: {
        "id": "h1",
        "grid_id": "g1",
        "building": "3号楼",
        "unit": "2单元",
        "room": "401",
        "head_name": "李大爷",
        "phone": "0393-1234567",
        "tags": ["living_alone", "limited_mobility"],
        "members": 1,
        "elderly": True,
    },
    VisitPlan: {"id": "vp1", "day": "2026-11-28", "grid_id": "g1", "household_id": "h1", "worker_id": "w1"},
    Visit: {
        "id": "v1",
        "day": "2026-11-28",
        "at": "2026-11-28T10:15:00+08:00",
        "grid_id": "g1",
        "household_id": "h1",
        "worker_id": "w1",
        "note": "老人身体健康，\n暖气正常。",
    },
    Petition: {
        "id": "P2026-0001",
        "title": "楼道灯不亮",
        "description": "3号楼2单元楼道灯坏了一周。",
        "channel": "mailbox",
        "category": "infrastructure",
        "community_id": "c1",
        "grid_id": "g1",
        "reporter_name": "张三",
        "reporter_phone": "13912345678",
        "created_at": "2026-11-28T09:00:00+08:00",
        "due_at": "2026-12-01T09:00:00+08:00",
        "history": [
            {
                "at": "2026-11-28T09:05:00+08:00",
                "actor": "duty",
                "action": "accept",
                "from_status": "new",
                "to_status": "accepted",
            }
        ],
        "status": "accepted",
    },
    ServiceSession: {
        "id": "s1",
        "day": "2026-11-28",
        "kind": "meal_delivery",
        "title": "午间送餐",
        "community_id": "c1",
        "place": "幸福食堂",
        "start": "11:00",
        "end": "12:30",
        "staff": ["王小红"],
        "household_ids": ["h1"],
    },
    ServiceSchedule: {
        "id": "sc1",
        "kind": "after_school",
        "title": "四点半小课堂",
        "community_id": "c1",
        "place": "党群服务中心二楼",
        "start": "16:30",
        "end": "18:00",
        "recurrence": "school_days",
    },
    Stall: {"id": "st1", "market": "东关早市", "community_id": "c1", "number": 12, "monthly_fee_fen": 15000},
    StallPermit: {"id": "pm1", "stall_id": "st1", "holder_name": "赵四", "status": "valid", "applied_on": "2026-01-05"},
    StallPayment: {
        "id": "pay1",
        "stall_id": "st1",
        "period": "2026-11",
        "amount_fen": 15000,
        "paid_at": "2026-11-28T08:00:00+08:00",
        "collector": "王小红",
    },
    DutyShift: {"id": "d1", "day": "2026-11-28", "leader": "刘镇长", "staff": ["小周", "小吴"]},
    AuditEntry: {
        "id": "a1",
        "at": "2026-11-28T09:40:00+08:00",
        "actor": "duty",
        "action": "reveal",
        "subject": "households:h1",
        "fields": ["phone"],
        "allowed": True,
    },
    DutyLogEntry: {"id": "ZB261128-001", "at": "2026-11-28T09:40:00+08:00", "kind": "call", "content": "3号楼楼道积水"},
    Incident: {
        "id": "SJ261128-01",
        "title": "东城花园3号楼外墙脱落",
        "category": "accident",
        "occurred_at": "2026-11-28T09:30:00+08:00",
        "known_at": "2026-11-28T09:40:00+08:00",
    },
    Handover: {
        "id": "ho-duty-20261128",
        "shift_id": "duty-20261128",
        "at": "2026-11-29T08:00:00+08:00",
        "outgoing_by": "wanglj",
    },
}


def make(model: type[Record], **changes: Any) -> Record:
    return model.model_validate({**VALID[model], **changes})


def refused(model: type[Record], **changes: Any) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        make(model, **changes)
    return info.value


def petition(**changes: Any) -> Petition:
    return make(Petition, **changes)  # type: ignore[return-value]


# ---------------------------------------------------------------------------


def test_every_model_has_a_valid_example():
    assert set(VALID) == set(ALL_MODELS)


@pytest.mark.parametrize("model", ALL_MODELS, ids=lambda m: m.__name__)
def test_valid_record_constructs_and_round_trips(model: type[Record]):
    record = make(model)
    assert record.id == VALID[model]["id"]
    # What is written to a file validates back to an equal record.
    again = model.model_validate(record.model_dump(mode="json"))
    assert again == record


@pytest.mark.parametrize("model", ALL_MODELS, ids=lambda m: m.__name__)
def test_unknown_field_refused_for_every_model(model: type[Record]):
    error = refused(model, surprise="x")
    assert error.errors()[0]["type"] == "extra_forbidden"
    assert error.errors()[0]["loc"] == ("surprise",)


@pytest.mark.parametrize("bad_id", ["", "-leading-dash", "has space", "中文", "a" * 41, "ok\n", "a/b"])
def test_record_id_refused(bad_id: str):
    refused(Community, id=bad_id)


def test_records_are_frozen():
    record = make(Community)
    with pytest.raises(ValidationError):
        record.name = "改名"  # type: ignore[misc]


# -- phone ------------------------------------------------------------------


@pytest.mark.parametrize("phone", ["13812341234", "19912345678", "0393-1234567", "03931234567", "010-12345678"])
def test_phone_accepted(phone: str):
    worker = make(GridWorker, phone=phone)
    assert worker.phone == phone


def test_phone_surrounding_whitespace_is_stripped():
    assert make(GridWorker, phone=" 13812341234 ").phone == "13812341234"
    assert make(GridWorker, phone="13812341234\n").phone == "13812341234"


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("138 1234 1234", "13812341234"),
        ("138-1234-1234", "13812341234"),
        ("+86 138 1234 1234", "13812341234"),
        ("１３８ １２３４ １２３４", "13812341234"),
        ("(0393)1234567", "0393-1234567"),
        ("0393 1234567", "0393-1234567"),
    ],
)
def test_a_phone_typed_as_a_clerk_types_it_is_kept_in_its_one_form(typed: str, kept: str):
    """A sheet's import took 138 1234 1234, but the same phone typed in a form or on the command line
    was refused (电话格式不对): the models read it as the import does, wherever it is typed."""
    assert make(GridWorker, phone=typed).phone == kept
    assert make(Household, phone=typed).phone == kept


@pytest.mark.parametrize(
    "phone",
    ["12345", "23812341234", "138 1234 1234x", "12812341234", "1381234123", "138123412345", "0393-123456", ""],
)
def test_phone_refused(phone: str):
    error = refused(GridWorker, phone=phone)
    assert error.errors()[0]["loc"] == ("phone",)


def test_phone_as_number_refused():
    # A phone number is text (leading zeros matter); an int is not silently converted.
    error = refused(GridWorker, phone=13812341234)
    assert error.errors()[0]["loc"] == ("phone",)


def test_optional_phone_may_be_absent_but_not_bad():
    assert make(Household, phone=None).phone is None
    refused(Household, phone="12345")


def test_a_service_line_where_a_persons_phone_goes_is_refused_saying_so():
    """12345 as a household's or a worker's phone said only 电话格式不对 (mobile 11 digits, landline
    with its area code), though its digits were right: it is a service line, not a person's phone."""
    from store.i18n import validation_message

    for model in (Household, GridWorker):
        for number in ("12345", "110"):
            [error] = refused(model, phone=number).errors()
            assert validation_message(error, "zh").startswith(f"{number} 是热线、报警等服务号码，不是个人电话")
            assert validation_message(error, "en").startswith(f"{number} is a service line, not a person's phone")
    [error] = refused(GridWorker, phone="1381234123").errors()  # a mistyped mobile: as before
    assert validation_message(error, "zh").startswith("电话格式不对")


# -- text -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("char", "code"),
    [
        ("\x1b", "U+001B"),
        ("\x00", "U+0000"),
        ("\x07", "U+0007"),
        ("\u202e", "U+202E"),
        ("\x9b", "U+009B"),
        ("\u2028", "U+2028"),
        ("\u200e", "U+200E"),
        ("\u200f", "U+200F"),
        ("\u061c", "U+061C"),
    ],
)
def test_control_character_in_title_refused_with_clear_message(char: str, code: str):
    error = refused(Petition, title=f"楼道{char}灯不亮")
    (detail,) = error.errors()
    assert detail["loc"] == ("title",)
    assert "control character" in detail["msg"]
    assert code in detail["msg"]
    assert "position 3" in detail["msg"]


@pytest.mark.parametrize("char", ["\x1b", "\x00", "\x07", "\u202e", "\r"])
def test_control_character_in_description_refused(char: str):
    error = refused(Petition, description=f"第一行\n第二行{char}")
    assert error.errors()[0]["loc"] == ("description",)
    assert "control character" in error.errors()[0]["msg"]


def test_control_character_refused_in_nested_event_note_and_names():
    event = {**VALID[Petition]["history"][0], "note": "ok\x1b[2J"}
    error = refused(Petition, history=[event])
    assert error.errors()[0]["loc"][:2] == ("history", 0)
    refused(GridWorker, name="王\x1b")
    refused(Community, name="社区\x07")


def test_newline_allowed_in_description_not_in_title():
    assert petition(description="第一行\n第二行\t缩进").description == "第一行\n第二行\t缩进"
    for bad in ("第一行\n第二行", "tab\there"):
        error = refused(Petition, title=bad)
        assert error.errors()[0]["loc"] == ("title",)
        assert "control character" in error.errors()[0]["msg"]


def test_rich_markup_is_stored_literally():
    record = petition(title="[red]x[/]", description="[bold]紧急[/bold] [link=http://evil]点我[/link]")
    assert record.title == "[red]x[/]"
    assert record.model_dump(mode="json")["title"] == "[red]x[/]"
    assert record.description == "[bold]紧急[/bold] [link=http://evil]点我[/link]"


def test_title_length_limit():
    assert petition(title="灯" * 80).title == "灯" * 80
    error = refused(Petition, title="灯" * 81)
    assert error.errors()[0]["loc"] == ("title",)
    assert error.errors()[0]["type"] == "string_too_long"


def test_description_length_limit():
    assert len(petition(description="字" * 2000).description) == 2000
    error = refused(Petition, description="字" * 2001)
    assert error.errors()[0]["loc"] == ("description",)
    assert error.errors()[0]["type"] == "string_too_long"


def test_short_line_length_limit():
    assert make(GridWorker, name="名" * 20).name == "名" * 20
    refused(GridWorker, name="名" * 21)


@pytest.mark.parametrize("blank", ["", " ", "   ", "\u3000"])
@pytest.mark.parametrize(
    ("model", "field"),
    [
        (Petition, "title"),
        (Community, "name"),
        (Community, "township"),
        (GridWorker, "name"),
        (Grid, "name"),
        (DutyShift, "leader"),
    ],
)
def test_required_names_refuse_empty_and_whitespace(model: type[Record], field: str, blank: str):
    error = refused(model, **{field: blank})
    assert error.errors()[0]["loc"] == (field,)


def test_optional_line_may_be_empty():
    assert petition(reporter_name="").reporter_name == ""


# -- times ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "field"),
    [
        (Petition, "created_at"),
        (Petition, "due_at"),
        (Visit, "at"),
        (StallPayment, "paid_at"),
        (Community, "updated_at"),
    ],
)
def test_naive_datetime_refused(model: type[Record], field: str):
    error = refused(model, **{field: datetime(2026, 11, 28, 10, 15)})
    assert error.errors()[0]["loc"] == (field,)
    assert error.errors()[0]["type"] == "timezone_aware"
    # A naive ISO string is refused too.
    refused(model, **{field: "2026-11-28T10:15:00"})


def test_naive_event_time_refused():
    event = {**VALID[Petition]["history"][0], "at": "2026-11-28T09:05:00"}
    error = refused(Petition, history=[event])
    assert error.errors()[0]["loc"] == ("history", 0, "at")


def test_aware_utc_converted_to_shanghai():
    record = petition(
        created_at=datetime(2026, 11, 28, 1, 0, tzinfo=UTC),
        due_at="2026-11-29T01:00:00Z",
    )
    assert record.created_at == datetime(2026, 11, 28, 9, 0, tzinfo=TZ)
    assert record.created_at.utcoffset() == timedelta(hours=8)
    assert record.created_at.tzinfo == TZ
    assert (record.created_at.hour, record.due_at.hour) == (9, 9)
    assert record.model_dump(mode="json")["created_at"] == "2026-11-28T09:00:00+08:00"


def test_visit_day_is_checked_in_local_time():
    # 16:30 UTC on the 27th is 00:30 on the 28th in Beijing.
    visit = make(Visit, at="2026-11-27T16:30:00Z")
    assert visit.at.date() == date(2026, 11, 28)
    refused(Visit, at="2026-11-27T15:30:00Z")


# -- grid -------------------------------------------------------------------


def test_grid_levels_and_parents():
    assert make(Grid).level is GridLevel.LARGE
    assert make(Grid, id="g2", level="micro", parent_id="g1").parent_id == "g1"
    assert make(Grid, id="g3", level="branch", parent_id="g1").level is GridLevel.BRANCH


def test_large_grid_with_parent_refused():
    error = refused(Grid, parent_id="g0")
    assert "no parent" in str(error)


@pytest.mark.parametrize("level", ["micro", "branch"])
def test_small_grid_without_parent_refused(level: str):
    error = refused(Grid, level=level, parent_id=None)
    assert "needs a parent" in str(error)


def test_unknown_grid_level_refused():
    refused(Grid, level="huge")


# -- petition ---------------------------------------------------------------


def test_petition_due_before_created_refused():
    error = refused(Petition, due_at="2026-11-28T08:59:59+08:00")
    assert "due time is before" in str(error)
    # Equal is fine.
    assert petition(due_at=VALID[Petition]["created_at"]).due_at == petition().created_at


@pytest.mark.parametrize("status", ["new", "accepted", "dispatched", "in_progress", "returned", "resolved"])
def test_open_petition_with_closed_at_refused(status: str):
    error = refused(Petition, status=status, closed_at="2026-11-29T09:00:00+08:00")
    assert "open case has no closing time" in str(error)


@pytest.mark.parametrize("status", ["closed", "cancelled"])
def test_closed_petition_needs_closed_at(status: str):
    error = refused(Petition, status=status)
    assert "needs its closing time" in str(error)
    record = petition(status=status, closed_at="2026-11-29T09:00:00+08:00")
    assert record.status is PetitionStatus(status)


def test_petition_extra_field_refused():
    error = refused(Petition, secret_note="x")
    assert error.errors()[0]["type"] == "extra_forbidden"
    event = {**VALID[Petition]["history"][0], "extra": 1}
    assert refused(Petition, history=[event]).errors()[0]["type"] == "extra_forbidden"


def test_petition_unknown_status_and_channel_refused():
    refused(Petition, status="lost")
    refused(Petition, channel="carrier_pigeon")


def test_petition_history_append_only_check():
    old = petition()
    extra = PetitionEvent(at=T0, actor="duty", action="dispatch", from_status="accepted", to_status="dispatched")
    petition(history=[*old.history, extra]).check_update(old)  # appending is fine
    with pytest.raises(ValueError, match="append-only"):
        petition(history=[]).check_update(old)
    edited = {**VALID[Petition]["history"][0], "note": "改过"}
    with pytest.raises(ValueError, match="append-only"):
        petition(history=[edited, extra]).check_update(old)


# -- other models -----------------------------------------------------------


@pytest.mark.parametrize("period", ["2026-01", "2026-09", "2026-10", "2026-12"])
def test_payment_period_accepted(period: str):
    assert make(StallPayment, period=period).period == period


@pytest.mark.parametrize("period", ["2026-13", "2026-00", "2026-1", "26-11", "2026/11", "2026-11-01", "2026-11\n", ""])
def test_payment_period_refused(period: str):
    error = refused(StallPayment, period=period)
    assert error.errors()[0]["loc"] == ("period",)


# Money is whole fen and nothing else: no floats, no strings, no booleans, even "exact" ones.
@pytest.mark.parametrize("amount", [0, -1, -15000, 1.5, 100.0, "100", True, "abc", 10_000_001, None])
def test_payment_amount_refused(amount: Any):
    error = refused(StallPayment, amount_fen=amount)
    assert error.errors()[0]["loc"] == ("amount_fen",)


def test_payment_amount_is_int():
    record = make(StallPayment, amount_fen=1)
    assert record.amount_fen == 1 and type(record.amount_fen) is int


def test_session_end_after_start_and_cancel_reason():
    assert make(ServiceSession).start == time(11, 0)
    refused(ServiceSession, end="11:00")
    refused(ServiceSession, state="cancelled")
    assert make(ServiceSession, state="cancelled", cancel_reason="下雪停课").state == "cancelled"


def test_household_tags_unique_and_members_range():
    refused(Household, tags=["disabled", "disabled"])
    refused(Household, tags=["unknown_tag"])
    refused(Household, members=0)
    refused(Household, members=21)


def test_stall_number_range():
    refused(Stall, number=0)
    refused(Stall, number=1000)
    refused(Stall, monthly_fee_fen=-1)


# -- display_safe -----------------------------------------------------------


def test_display_safe_makes_escape_visible():
    shown = display_safe("a\x1b[31m红色")
    assert "\x1b" not in shown
    assert shown == "a\\x1b[31m红色"


def test_display_safe_keeps_chinese_and_markup_brackets():
    text = "楼道灯不亮 [red]x[/] [bold]紧急[/bold]"
    assert display_safe(text) == text


def test_display_safe_other_controls():
    assert display_safe("x\x00y\x07z") == "x\\x00y\\x07z"
    assert display_safe("abc\u202edef") == "abc\\u202edef"
    assert display_safe("两行\n文字") == "两行⏎文字"
    assert display_safe("a\tb") == "a b"
    for value in ("\x1b", "\x9b", "\u2066", "\x7f"):
        shown = display_safe(value)
        assert shown.isprintable() and shown.startswith("\\")


def test_models_are_defined_with_their_types_not_their_names() -> None:
    """store/models.py and store/duty_models.py have no ``from __future__ import annotations``: with
    it every field's annotation is a string, which pydantic compiles and evaluates as the class is
    made (248 of them, ~20 M instructions of every start: bench/first_paint.py). A method's
    annotation naming its own class is quoted instead."""
    import inspect

    from pydantic import BaseModel

    import store.duty_models
    import store.models

    models = [
        cls
        for module in (store.models, store.duty_models)
        for cls in vars(module).values()
        if inspect.isclass(cls) and issubclass(cls, BaseModel) and cls.__module__ == module.__name__
    ]
    assert len(models) > 20
    named = [
        f"{cls.__name__}.{field}"
        for cls in models
        for field, kind in vars(cls).get("__annotations__", {}).items()
        if isinstance(kind, str)
    ]
    assert named == []
