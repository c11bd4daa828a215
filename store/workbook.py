"""The township's own tables as spreadsheets: the sheet layout, rows ↔ records, and import.

One sheet per table (社区, 网格, 网格员, 住户, 摊位, 准入证, 一老一小服务, 走访计划, 值班表). Row 1
holds the Chinese headers a clerk reads, row 2 the field keys the importer matches columns by
(so columns may be reordered), data from row 3. A sheet is one entry of ``SHEETS``.

Import checks every row with the pydantic models and the referential rules (parents, grids,
communities and households exist; no parent cycle; ids and natural keys unique), reports every
error at once as ``sheet!row:column: reason``, and writes only when there is none — in one store
transaction. Rows are matched to records by id, or when the id cell is blank by their natural key
(community name, grid path, worker phone, …); an unchanged row is not written at all, so
re-importing what the desk exported changes nothing. Fields a sheet does not carry (a permit's
review history, a stall's 出摊 day and rate history) are kept from the stored record.

Personal data never appears in a message unmasked; a masked cell (``138****1234``, as a masked
export holds) that masks the stored value means "unchanged". For a desk that may not reveal it, a
personal value typed in full is a change whether or not it is the stored one (``_typed_in_full``):
"unchanged" for the right guess alone would confirm it.

File access is in store/sheetfiles.py; this module only sees rows of cells.
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum
from typing import Any, cast

from pydantic import TypeAdapter, ValidationError

from . import i18n
from .dutylog import shift_people
from .i18n import Lang
from .market import FeeRules, fen_to_yuan, month_key, with_rate, yuan_to_fen
from .masking import mask_name, mask_phone, mask_reduction_label, mask_tag_labels
from .models import (
    MOST_FEN,
    Community,
    DutyShift,
    FeeReduction,
    FieldChange,
    Grid,
    GridLevel,
    GridWorker,
    Household,
    PermitStatus,
    Record,
    Recurrence,
    RosterEvent,
    ServiceKind,
    ServiceSchedule,
    SpecialTag,
    Stall,
    StallPermit,
    VisitPlan,
    WorkerRole,
)
from .refusal import Refused
from .roster import changes_between, known_list, numbered_id, shown
from .sheetfiles import Cell, SheetOut
from .storage import RETIRED, Store, Transaction, is_live, partition_of
from .text import RecordId, ascii_numerals, typed_phone

# ---------------------------------------------------------------------------
# Column kinds and sheet specs


class Kind(StrEnum):
    TEXT = "text"
    PHONE = "phone"  # a phone as a clerk types it: 138 0393 1234, 138-0393-1234, (0393)1234567
    INT = "int"
    ENUM = "enum"
    TAGS = "tags"  # several members of a closed set, 、-separated
    DATE = "date"
    TIME = "time"
    BOOL = "bool"
    YUAN = "yuan"  # yuan in the sheet, fen in the record
    LIST = "list"  # several names, 、-separated (a name may hold a space: 物业管家 陈晨)
    IDS = "ids"  # several ids, separated by 、 or spaces
    WEEKDAYS = "weekdays"  # 周二、周四
    REF = "ref"  # another record: by id, or by its natural name (community name, grid path)


@dataclass(frozen=True)
class Column:
    key: str  # the model's field name; row 2 of the sheet
    zh: str  # row 1
    kind: Kind = Kind.TEXT
    enum: type[StrEnum] | None = None
    ref: str | None = None  # the table a REF column points to
    required: bool = False
    mask: Callable[[str], str] | None = None  # personal data: how it is shown masked
    width: int = 12


def revealed_by(specs: Iterable[SheetSpec]) -> list[str]:
    """What an unmasked export of these sheets unmasks, in the audit log's words
    (``masking.REVEALABLE``: the dashboard's reveal says the same)."""
    words = {mask_name: "name", mask_phone: "phone", mask_tag_labels: "health", mask_reduction_label: "reduction"}
    return [words[c.mask] for spec in specs for c in spec.columns if c.mask is not None]


@dataclass(frozen=True)
class SheetSpec:
    name: str  # the sheet's (Chinese) name; also the CSV file name
    model: type[Record]
    columns: tuple[Column, ...]
    natural: tuple[str, ...]  # the columns that match a row without an id to a record
    id_prefix: str
    examples: tuple[tuple[Cell, ...], ...] = ()
    note: str = ""
    model_error_column: str = "id"  # where a whole-record rule's error is pointed
    # A whole-record rule that is about one column (the model's own words → that column's key):
    # 结束 before 开始 was said under 重复, a column the clerk had not touched.
    rule_columns: tuple[tuple[str, str], ...] = ()

    @property
    def key(self) -> str:
        return self.model.table

    @functools.cached_property
    def _by_key(self) -> dict[str, Column]:
        return {c.key: c for c in self.columns}

    def column(self, key: str) -> Column:
        return self._by_key[key]

    def natural_key(self, values: dict[str, Any]) -> tuple[Any, ...]:
        return tuple(values.get(key) for key in self.natural)


def _idcol(**kw: Any) -> Column:
    return Column("id", "编号", width=kw.get("width", 14))


SHEETS: tuple[SheetSpec, ...] = (
    SheetSpec(
        "社区",
        Community,
        (
            _idcol(),
            Column("name", "社区名称", required=True, width=18),
            Column("township", "乡镇", required=True),
            Column("elderly_share_percent", "老年人占比%", Kind.INT),
        ),
        ("name",),
        "c",
        examples=(("dongcheng", "东城花园社区", "孟轲乡", 62),),
        note="社区名称唯一；编号留空时按名称匹配（没有则新建）。",
    ),
    SheetSpec(
        "网格",
        Grid,
        (
            _idcol(),
            Column("community_id", "所属社区", Kind.REF, ref="communities", required=True, width=16),
            Column("level", "网格层级", Kind.ENUM, GridLevel, required=True),
            Column("name", "网格名称", required=True, width=20),
            Column("parent_id", "上级网格", Kind.REF, ref="grids", width=16),
        ),
        ("community_id", "parent_id", "name"),
        "g",
        examples=(
            ("dc-1", "dongcheng", "大网格", "第一大网格", ""),
            ("dc-1-1", "dongcheng", "支部网格", "第一支部网格", "dc-1"),
            ("dc-1-1-1", "dongcheng", "微网格", "1号楼", "dc-1-1"),
        ),
        note="大网格没有上级；支部网格的上级是大网格，微网格的上级是支部网格。社区、上级网格可填编号或名称"
        "（网格路径：东城花园社区/第一大网格/第一支部网格）。",
        model_error_column="parent_id",
    ),
    SheetSpec(
        "网格员",
        GridWorker,
        (
            _idcol(),
            Column("name", "姓名", required=True, width=10),
            Column("role", "职务", Kind.ENUM, WorkerRole, required=True),
            Column("phone", "手机", Kind.PHONE, required=True, mask=mask_phone, width=14),
            Column("grid_id", "所属网格", Kind.REF, ref="grids", required=True, width=16),
        ),
        ("phone",),
        "w",
        examples=(("w-dc-1-1-1", "王建华", "微网格员", "13803931234", "dc-1-1-1"),),
        note="手机号唯一；编号留空时按手机号匹配。",
    ),
    SheetSpec(
        "住户",
        Household,
        (
            _idcol(),
            Column("grid_id", "所属网格", Kind.REF, ref="grids", required=True, width=16),
            Column("building", "楼栋", required=True, width=8),
            Column("unit", "单元", required=True, width=8),
            Column("room", "门牌", required=True, width=8),
            Column("head_name", "户主", required=True, mask=mask_name, width=10),
            Column("phone", "电话", Kind.PHONE, mask=mask_phone, width=14),
            Column("tags", "特殊人群", Kind.TAGS, SpecialTag, mask=mask_tag_labels, width=16),
            Column("members", "人口", Kind.INT, width=6),
            Column("elderly", "老年户", Kind.BOOL, width=8),
        ),
        ("grid_id", "building", "unit", "room"),
        "h",
        examples=(
            ("h-dc-0001", "dc-1-1-1", "1号楼", "1单元", "101", "张秀兰", "13903931111", "独居", 1, "是"),
            ("h-dc-0002", "dc-1-1-1", "1号楼", "1单元", "102", "李国强", "", "残疾、行动不便", 3, "否"),
        ),
        note="特殊人群可填多个，用顿号分隔：独居、残疾、行动不便、孤寡。编号留空时按 网格+楼栋+单元+门牌 匹配。",
    ),
    SheetSpec(
        "摊位",
        Stall,
        (
            _idcol(),
            Column("market", "市场", required=True, width=10),
            Column("community_id", "所属社区", Kind.REF, ref="communities", required=True, width=14),
            Column("number", "摊位号", Kind.INT, required=True, width=8),
            Column("goods", "经营品类", width=12),
            Column("holder_name", "摊主", mask=mask_name, width=10),
            Column("holder_phone", "摊主电话", Kind.PHONE, mask=mask_phone, width=14),
            Column("reduction", "减免", Kind.ENUM, FeeReduction, mask=mask_reduction_label, width=12),
            Column("monthly_fee_fen", "月摊位费(元)", Kind.YUAN, required=True, width=12),
            Column("held_since", "起租日期", Kind.DATE, width=12),
        ),
        ("community_id", "market", "number"),
        "s",
        examples=(("dc-01", "商业街", "dongcheng", 1, "蔬菜", "赵桂芝", "13703935678", "", "150.00", "2024-03-01"),),
        note="月摊位费写元（如 150 或 75.50）；减免：残疾人减免、退役军人减免，或留空。",
    ),
    SheetSpec(
        "准入证",
        StallPermit,
        (
            _idcol(),
            Column("stall_id", "摊位", Kind.REF, ref="stalls", required=True),
            Column("holder_name", "持证人", required=True, mask=mask_name, width=10),
            Column("status", "准入证状态", Kind.ENUM, PermitStatus, required=True),
            Column("applied_on", "申请日期", Kind.DATE, required=True),
            Column("expires_on", "有效期至", Kind.DATE),
            Column("reviewed_by", "审核人", width=14),
        ),
        ("stall_id", "applied_on"),
        "p",
        examples=(("pm-dc-01", "dc-01", "赵桂芝", "有效", "2024-02-20", "2026-12-31", "三位一体实践中心"),),
        note="审核记录（历史）不在表中，导入时保留。",
    ),
    SheetSpec(
        "一老一小服务",
        ServiceSchedule,
        (
            _idcol(),
            Column("kind", "服务类型", Kind.ENUM, ServiceKind, required=True, width=14),
            Column("title", "名称", required=True, width=18),
            Column("community_id", "所属社区", Kind.REF, ref="communities", required=True, width=14),
            Column("place", "地点", required=True, width=16),
            Column("start", "开始", Kind.TIME, required=True, width=8),
            Column("end", "结束", Kind.TIME, required=True, width=8),
            Column("recurrence", "重复", Kind.ENUM, Recurrence, required=True, width=12),
            Column("weekdays", "每周几", Kind.WEEKDAYS, width=14),
            Column("staff", "服务人员", Kind.LIST, width=16),
            Column("household_ids", "服务住户", Kind.IDS, width=20),
            Column("starts_on", "开始日期", Kind.DATE),
            Column("ends_on", "结束日期", Kind.DATE),
        ),
        ("community_id", "title"),
        "sc",
        examples=(
            (
                "sc-dc-meal",
                "入户送餐",
                "独居老人午餐",
                "dongcheng",
                "老年食堂",
                "11:00",
                "12:00",
                "每天",
                "",
                "刘红",
                "h-dc-0001",
                "",
                "",
            ),
            (
                "sc-dc-guard",
                "护学岗",
                "东城小学护学岗",
                "dongcheng",
                "东城小学门口",
                "07:10",
                "08:00",
                "上学日",
                "",
                "王建华",
                "",
                "",
                "",
            ),
        ),
        note="重复：每天、上学日（按官方日历的工作日，寒暑假除外）、周末节假日、每周（填「每周几」，如 周二、周四）。",
        model_error_column="recurrence",
        rule_columns=(
            ("a session must end after it starts", "end"),
            ("weekdays are distinct numbers 0 (Monday) to 6 (Sunday)", "weekdays"),
            ("the schedule ends before it starts", "ends_on"),
        ),
    ),
    SheetSpec(
        "走访计划",
        VisitPlan,
        (
            _idcol(),
            Column("day", "日期", Kind.DATE, required=True),
            Column("grid_id", "网格", Kind.REF, ref="grids", required=True, width=16),
            Column("household_id", "住户", Kind.REF, ref="households", required=True, width=14),
            Column("worker_id", "走访人", Kind.REF, ref="workers", required=True, width=14),
        ),
        ("day", "household_id"),
        "vp",
        examples=(("vp-20261201-0001", "2026-12-01", "dc-1-1-1", "h-dc-0001", "w-dc-1-1-1"),),
        note="一户一天一条；只比较文件中出现的日期（其他日期的计划不受影响）。",
    ),
    SheetSpec(
        "值班表",
        DutyShift,
        (
            _idcol(),
            Column("day", "日期", Kind.DATE, required=True),
            Column("leader", "带班领导", required=True, width=10),
            Column("staff", "值班人员", Kind.LIST, width=24),
        ),
        ("day",),
        "duty",
        examples=(("duty-20261201", "2026-12-01", "张明", "李华、王芳"),),
        note="一天一条；值班人员用顿号分隔。",
    ),
)

_RECORD_ID: TypeAdapter[str] = TypeAdapter(RecordId)

SHEET_BY_KEY = {spec.key: spec for spec in SHEETS}
SHEET_BY_NAME = {spec.name: spec for spec in SHEETS}
NOTES_SHEET = "说明"
_SPLIT = re.compile(r"[、,，;；\s]+")
_SPLIT_NAMES = re.compile(r"\s*[、,，;；\n]\s*")
_WEEKDAY_WORDS = "一二三四五六日"
_BOOL_WORDS = {
    "是": True,
    "否": False,
    "yes": True,
    "no": False,
    "true": True,
    "false": False,
    "1": True,
    "0": False,
    "y": True,
    "n": False,
}


def spec_for(name: str) -> SheetSpec | None:
    """A sheet by its Chinese name or its table key (``households.csv`` works as well as ``住户.csv``)."""
    return SHEET_BY_NAME.get(name.strip()) or SHEET_BY_KEY.get(name.strip().casefold())


def resolve_tables(names: Iterable[str]) -> list[SheetSpec]:
    """``--tables households,网格`` → specs, in sheet order. Refused naming the valid ones."""
    wanted = []
    for name in names:
        spec = spec_for(name)
        if spec is None:
            known = ", ".join(f"{s.key} {s.name}" for s in SHEETS)
            raise Refused("table_unknown", id=name, known=known)
        wanted.append(spec)
    return [s for s in SHEETS if s in wanted]


# ---------------------------------------------------------------------------
# Record → cells (export, template)


def _member_label(member: StrEnum) -> str:
    return i18n.label(member, "zh")


def to_cell(column: Column, value: Any, *, masked: bool = False) -> Cell:
    """A record's field as the sheet shows it (text for everything but whole numbers)."""
    if value is None:
        return ""
    match column.kind:
        case Kind.ENUM:
            text = _member_label(value)
            return column.mask(text) if masked and column.mask else text
        case Kind.TAGS:
            text = "、".join(_member_label(v) for v in value)
            return column.mask(text) if masked and column.mask else text
        case Kind.DATE:
            return value.isoformat()
        case Kind.TIME:
            return f"{value:%H:%M}"
        case Kind.BOOL:
            return "是" if value else "否"
        case Kind.YUAN:
            return fen_to_yuan(value)
        case Kind.LIST | Kind.IDS:
            return "、".join(value)
        case Kind.WEEKDAYS:
            return "、".join(f"周{_WEEKDAY_WORDS[d]}" for d in sorted(value))
        case Kind.INT:
            return value
    text = str(value)
    return column.mask(text) if masked and column.mask else text


def sheet_out(spec: SheetSpec, rows: list[list[Cell]]) -> SheetOut:
    choices: dict[int, list[str]] = {}
    strict: set[int] = set()
    for index, column in enumerate(spec.columns):
        if column.kind in (Kind.ENUM, Kind.TAGS) and column.enum is not None:
            choices[index] = [_member_label(m) for m in column.enum if _member_label(m)]
            if column.kind is Kind.ENUM:
                strict.add(index)  # several tags in one cell are fine: the tag list only suggests
        elif column.kind is Kind.BOOL:
            choices[index] = ["是", "否"]
            strict.add(index)
    headers = [c.zh + ("*" if c.required and c.key != "id" else "") for c in spec.columns]
    return SheetOut(
        spec.name, headers, [c.key for c in spec.columns], rows, choices, strict, [c.width for c in spec.columns]
    )


def record_row(spec: SheetSpec, record: Record, *, masked: bool) -> list[Cell]:
    return [to_cell(c, getattr(record, c.key), masked=masked) for c in spec.columns]


def template_sheets() -> list[SheetOut]:
    return [sheet_out(spec, [list(example) for example in spec.examples]) for spec in SHEETS]


def template_notes() -> list[list[str]]:
    lines = [
        [
            "duty-room",
            "乡镇值班室数据表。每张表第 1 行是表头（* 为必填），第 2 行是字段名（导入按它对列，请勿修改），数据从第 3 行起。",
        ],
        ["", "示例行可以改写或删除。编号只用字母、数字和 - _ . :；留空时按自然键匹配已有记录，没有则新建。"],
        ["", "导入：duty-room import 文件.xlsx（先检查全部行，有任何错误则一条也不写入；--dry-run 只检查）。"],
        ["", "文件中没有的记录不会被删除，只会列出；加 --prune 才删除。同一文件重复导入不会改变任何数据。"],
        [
            "",
            "带下拉框的列是固定选项；个人信息（姓名、电话）导出时默认脱敏，脱敏的单元格导入时视为不变；"
            "不能查看个人信息的账号填入完整的个人信息，该行总按更新写入，不提示是否与原值相同。",
        ],
        ["", "也可以用 CSV：每张表一个文件，文件名为表名（如 住户.csv），UTF-8 或 GB18030 编码均可。"],
    ]
    for spec in SHEETS:
        lines.append([spec.name, spec.note])
    return lines


def sheet_partitions(store: Store, model: type[Record]) -> list[str]:
    """A sheet's files besides those ``all(model)`` reads: a table filed by month (the duty roster)
    has them all; the households' grid files are read by ``all(Household)`` already (live files), so
    none; retired grid workers (workers/retired.json) are not on the roster, so not on its sheet."""
    return [p for p in store.partitions(model) if not is_live(model, p) and not (model is GridWorker and p == RETIRED)]


def export_sheets(store: Store, specs: Iterable[SheetSpec], *, masked: bool) -> list[SheetOut]:
    out = []
    for spec in specs:
        records = [
            *store.all(spec.model),
            *(r for p in sheet_partitions(store, spec.model) for r in store.all(spec.model, p)),
        ]
        out.append(sheet_out(spec, [record_row(spec, r, masked=masked) for r in records]))
    return out


# ---------------------------------------------------------------------------
# Cells → values (import)


class CellError(Exception):
    """A cell's reason, as a catalogue key and its parameters (rendered in the UI language)."""

    def __init__(self, key: str, **params: object):
        super().__init__(key)
        self.key = key
        self.params = params


def _text(raw: Cell) -> str:
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "是" if raw else "否"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))  # Excel keeps a phone typed as a number as 13812345678.0
    if isinstance(raw, datetime):
        return raw.date().isoformat() if raw.time() == time(0) else raw.isoformat(sep=" ")
    if isinstance(raw, date | time):
        return raw.isoformat()
    return str(raw).strip()


def _shown(column: Column, text: str) -> str:
    return column.mask(text) if column.mask else text


_NUMERAL_KINDS = frozenset({Kind.INT, Kind.DATE, Kind.TIME, Kind.WEEKDAYS})
_POINT_ZERO = re.compile(r"([+-]?[0-9]+)\.0+")


def from_cell(column: Column, raw: Cell, text: str | None = None) -> Any:
    """The field's value from a non-blank cell (``text``: the cell as text, if known). Raises CellError."""
    text = _text(raw) if text is None else text
    if column.kind in (Kind.PHONE, Kind.INT) and (whole := _POINT_ZERO.fullmatch(ascii_numerals(text))):
        text = whole.group(1)  # 13812345678.0: a number cell saved as text (a CSV); 13812345678.5 stays, refused
    if column.kind in _NUMERAL_KINDS:
        text = ascii_numerals(text)  # ２０２７－０６－３０ typed with a Chinese input method
    match column.kind:
        case Kind.TEXT | Kind.REF:
            return text
        case Kind.PHONE:
            return typed_phone(text)
        case Kind.INT:
            if isinstance(raw, int | float) and not isinstance(raw, bool) and float(raw).is_integer():
                return int(raw)
            if re.fullmatch(r"[+-]?[0-9]+", text):
                return int(text)
            raise CellError("sheet.not_int", v=_shown(column, text))
        case Kind.ENUM:
            assert column.enum is not None
            return _member(column, text)
        case Kind.TAGS:
            return [_member(column, part) for part in _SPLIT.split(text) if part]
        case Kind.DATE:
            if isinstance(raw, datetime):
                return raw.date()
            if isinstance(raw, date):
                return raw
            match = re.fullmatch(r"([0-9]{4})[-/.年]([0-9]{1,2})[-/.月]([0-9]{1,2})日?", text) or re.fullmatch(
                r"([0-9]{4})([0-9]{2})([0-9]{2})",
                text,  # 20261128, as many an office writes a day
            )
            if match:
                try:
                    return date(*(int(g) for g in match.groups()))
                except ValueError:
                    raise CellError("sheet.no_such_day", v=text) from None  # written right: 2026-02-30
            raise CellError("sheet.not_date", v=text)
        case Kind.TIME:
            if isinstance(raw, time):
                return raw
            if isinstance(raw, datetime):
                return raw.time()
            match = re.fullmatch(r"([0-9]{1,2}):([0-9]{2})(?::00)?", text)
            if match and int(match.group(1)) < 24 and int(match.group(2)) < 60:
                return time(int(match.group(1)), int(match.group(2)))
            raise CellError("sheet.not_time", v=text)
        case Kind.BOOL:
            if isinstance(raw, bool):
                return raw
            if text.casefold() in _BOOL_WORDS:
                return _BOOL_WORDS[text.casefold()]
            raise CellError("sheet.not_bool", v=text)
        case Kind.YUAN:
            if isinstance(raw, float) and math.isfinite(raw) and abs(raw) >= 1e15:  # said short, not in 300 digits
                if raw < 0:
                    raise CellError("sheet.amount_negative", v=f"{raw:g}")
                raise CellError("sheet.amount_too_large", v=f"{raw:g}", most=f"{MOST_FEN // 100:,}")
            if isinstance(raw, int | float) and not isinstance(raw, bool):
                text = f"{raw:.2f}" if isinstance(raw, float) and _whole_fen(raw) else str(raw)
            elif _GROUPED.fullmatch(text):  # 1,200.50: thousands grouped, as a clerk copies a figure
                text = text.replace(",", "")
            try:
                return yuan_to_fen(text)
            except Refused as refused:  # said as what is wrong: negative, too large, or no amount at all
                if refused.key == "amount_negative":
                    raise CellError("sheet.amount_negative", v=text) from None
                if refused.key == "amount_too_large":
                    raise CellError("sheet.amount_too_large", v=text, most=refused.params["most"]) from None
                raise CellError("sheet.not_amount", v=text) from None
        case Kind.LIST:
            return [part.strip() for part in _SPLIT_NAMES.split(text) if part.strip()]
        case Kind.IDS:
            return [part for part in _SPLIT.split(text) if part]
        case Kind.WEEKDAYS:
            days = []
            for part in _SPLIT.split(text):
                word = part.removeprefix("周").removeprefix("星期")
                if not word:
                    continue
                if word in _WEEKDAY_WORDS or word == "天":
                    days.append(6 if word == "天" else _WEEKDAY_WORDS.index(word))
                elif word in ("1", "2", "3", "4", "5", "6", "7"):
                    days.append(int(word) - 1)  # 1 = Monday, as on a Chinese calendar
                else:
                    raise CellError("sheet.not_weekday", v=part)
            return days
    raise AssertionError(column.kind)


_GROUPED = re.compile(r"[¥￥]?\s*[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]{1,2})?\s*元?")


def _whole_fen(amount: float) -> bool:
    """A number cell that is a whole number of fen, but for the float's last digit: a formula's
    =150*0.7 is kept as 104.99999999999999, and 105 is what the clerk sees."""
    fen = amount * 100
    return math.isfinite(fen) and abs(fen - round(fen)) < 1e-6


def _member(column: Column, text: str) -> StrEnum:
    assert column.enum is not None
    try:
        return i18n.parse_member(column.enum, text)
    except ValueError:
        choices = "、".join(_member_label(m) for m in column.enum if _member_label(m))
        raise CellError("sheet.unknown_choice", v=text, choices=choices) from None


# ---------------------------------------------------------------------------
# The import


@dataclass(order=True)
class Problem:
    sheet_order: int
    row: int
    column_order: int
    text: str = field(compare=False)
    # A cell's problem, in parts: the same reason in one column of many rows is said once (_said).
    sheet: str = field(default="", compare=False)
    column: str = field(default="", compare=False)
    reason: str = field(default="", compare=False)


def _rows_said(rows: list[int]) -> str:
    """3, 4, 5, 7 -> "3-5,7": the rows as a clerk selects them."""
    runs: list[list[int]] = []
    for row in rows:
        if runs and row == runs[-1][1] + 1:
            runs[-1][1] = row
        else:
            runs.append([row, row])
    return ",".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)


def _said(problems: list[Problem], lang: Lang) -> list[str]:
    """One line per sheet, column and reason, naming its rows: a column refused alike in every row (a
    masked export filled back in: every name ****) was one line a row, hundreds, the reason lost."""
    alike: dict[tuple[object, ...], list[Problem]] = {}
    for problem in sorted(problems):
        key = (problem.sheet_order, problem.column_order, problem.reason) if problem.reason else (id(problem),)
        alike.setdefault(key, []).append(problem)
    lines = []
    for same in alike.values():
        first = same[0]
        if len(same) == 1:
            lines.append(first.text)
        else:
            rows = _rows_said([p.row for p in same])
            count = i18n.t("sheet.rows_alike", lang).format(n=len(same))
            lines.append(f"{first.sheet}!{rows}:{first.column}: {first.reason}{count}")
    return lines


@dataclass
class SheetResult:
    spec: SheetSpec
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    missing: list[str] = field(default_factory=list)  # "id label" of stored records not in the file
    pruned: int = 0


@dataclass
class ImportReport:
    errors: list[str]  # one line per sheet, column and reason
    sheets: list[SheetResult]
    notes: list[str]
    written: bool
    problems: int = 0  # every refused cell: the lines may each stand for many

    @property
    def changes(self) -> int:
        return sum(s.new + s.changed + s.pruned for s in self.sheets)


@dataclass
class _Row:
    spec: SheetSpec
    number: int  # the spreadsheet's row number
    cells: dict[str, str]  # column key -> text as typed (for masked comparison)
    values: dict[str, Any]
    bad: bool = False
    id: str | None = None
    record: Record | None = None


class _Abort(Exception):
    """Leave the transaction without writing (errors found, or a dry run)."""


def _stable_id(prefix: str, key: tuple[Any, ...]) -> str:
    return f"{prefix}-{hashlib.sha1(repr(key).encode()).hexdigest()[:10]}"


@functools.cache
def _default_of(model: type[Record], key: str) -> Any:
    # get_default inspects the factory's signature on every call: 28 s for 40,000 rows uncached.
    return model.model_fields[key].get_default(call_default_factory=True)


def _default(model: type[Record], key: str) -> Any:
    value = _default_of(model, key)
    return list(value) if isinstance(value, list) else value  # a fresh list for each record


def _comparable(record: Record) -> dict[str, Any]:
    return record.model_dump(mode="json", exclude={"updated_at", "updated_by"})


def _typed_in_full(spec: SheetSpec, row: _Row) -> list[str]:
    """The personal fields a row gives as a masked sheet would not show them (13838930102, 张桂英,
    残疾): to a desk that may not reveal them, a guess. Not a masked cell read back (``138****1234``),
    nor one the mask leaves as it is (独居 alone, a blank)."""
    return [
        key
        for key, value in row.values.items()
        if value is not _MASKED
        and (column := spec.column(key)).mask is not None
        and to_cell(column, value, masked=True) != to_cell(column, value)
    ]


def _with_import_event(
    tx: Transaction,
    previous: Record | None,
    record: GridWorker | Household | ServiceSchedule,
    given: list[str],
) -> Record:
    """A roster record added or changed by a spreadsheet keeps that in its history, as a form's
    change does: which fields, before and after (a phone masked), noted as an import. A personal
    field ``given`` in full is among them even as it was (the roster's ``e`` does the same)."""
    if previous is None:
        event = RosterEvent(at=tx.now, actor=tx.store.actor, action="add", note="import")
    else:
        changes = changes_between(previous, record)
        changes += [
            FieldChange(name=key, before=shown(key, getattr(previous, key)), after=shown(key, getattr(record, key)))
            for key in given
            if all(c.name != key for c in changes)
        ]
        event = RosterEvent(at=tx.now, actor=tx.store.actor, action="edit", changes=changes[:20], note="import")
    return record.model_copy(update={"history": [*record.history, event]})


_HEADER_ROWS_SEARCHED = 6  # a title, a date or a blank row a clerk puts above the headers


def _header_texts(table: list[list[Cell]]) -> list[list[str]]:
    return [[_text(c) for c in row] for row in table[:_HEADER_ROWS_SEARCHED]]


def _header_of(spec: SheetSpec, table: list[list[Cell]]) -> tuple[list[str], int, int, list[str]] | None:
    """Where a sheet's headers are: its field-key row (row 2 as written), else its Chinese headings
    (the key row deleted), within the first rows — a clerk puts a merged title or a date above them.
    Returns each column's key by position (a blank key cell under a heading of the sheet's, as a
    merged heading leaves it, is that heading's column), the index of the first data row, the
    headings' row number and the headings; None when neither row is there."""
    keys = {c.key for c in spec.columns}
    by_zh = {c.zh: c.key for c in spec.columns}
    enough = min(2, len(keys))
    top = _header_texts(table)
    for index, texts in enumerate(top):
        if len(keys.intersection(texts)) >= enough:
            above = top[index - 1] if index else []
            width = max(len(texts), len(above))
            texts = texts + [""] * (width - len(texts))
            above = above + [""] * (width - len(above))
            header = [t or by_zh.get(a.rstrip("*").strip(), "") for t, a in zip(texts, above, strict=True)]
            return header, index + 1, max(index, 1), above
    for index, texts in enumerate(top):
        header = [by_zh.get(t.rstrip("*").strip(), t) for t in texts]
        if len(keys.intersection(header)) >= enough:
            return header, index + 1, index + 1, texts
    return None


def _headings_only(spec: SheetSpec, table: list[list[Cell]]) -> tuple[list[str], int, int, list[str]]:
    """No header row found: the first row read as the headings (every required column then missing)."""
    texts = [_text(c) for c in table[0]]
    by_zh = {c.zh: c.key for c in spec.columns}
    return [by_zh.get(t.rstrip("*").strip(), t) for t in texts], 1, 1, texts


def _fill_merged_down(table: list[list[Cell]], first_data: int) -> None:
    """A cell merged down over data rows (the 楼栋 of neighbouring households, as 一表全清 is kept) is
    each of those rows' value, as the clerk sees it; the file holds it in the first row only. One
    merged across columns, or from the headings down, stays as read."""
    for (top, left), (bottom, right) in getattr(table, "merged", ()):
        if left != right or top < first_data or top >= len(table) or left >= len(table[top]):
            continue
        value = table[top][left]
        for below in table[top + 1 : bottom + 1]:
            if left < len(below) and below[left] in (None, ""):
                below[left] = value


def _spec_by_header(table: list[list[Cell]]) -> SheetSpec | None:
    """The one sheet whose every required column the table's headers have (the most columns
    found, if several have them all): how a renamed sheet is known; None if none or a tie."""
    scored = []
    for spec in SHEETS:
        found = _header_of(spec, table)
        if found is None:
            continue
        header = set(found[0])
        if all(c.key in header for c in spec.columns if c.required):
            scored.append((sum(c.key in header for c in spec.columns), spec))
    scored.sort(key=lambda pair: -pair[0])
    if not scored or (len(scored) > 1 and scored[0][0] == scored[1][0]):
        return None
    return scored[0][1]


class _Importer:
    def __init__(self, tx: Transaction, lang: Lang):
        self.tx = tx
        self.lang = lang
        self.errors: list[Problem] = []
        self.notes: list[str] = []
        self.rows: dict[str, list[_Row]] = {}
        # The state after the import, table by table: stored records overlaid with the file's.
        self.final: dict[str, dict[str, Record]] = {}
        self.existing: dict[str, dict[str, Record]] = {}
        self.file_ids: dict[str, set[str]] = defaultdict(set)  # ids the file names (even on a bad row)
        self.by_natural_key: dict[str, dict[tuple[Any, ...], str]] = {}
        self.seen: dict[str, dict[str, int]] = defaultdict(dict)  # id -> first row naming it
        self.numbered: dict[str, set[str]] = {}  # ids a new numbered record may not take (``new_id``)

    # -- messages ----------------------------------------------------------

    def t(self, key: str, **params: object) -> str:
        return i18n.t(key, self.lang).format(**params)

    def error(self, row: _Row | None, spec: SheetSpec, column: str | None, text: str) -> None:
        if row is not None:
            row.bad = True
        keys = [c.key for c in spec.columns]
        col_order = keys.index(column) if column in keys else len(keys)
        label = ""
        if column is not None:
            label = (spec.column(column).zh if self.lang == "zh" else column) if column in keys else column
        number = row.number if row is not None else 1
        said = f"{spec.name}!{number}:{label}: {text}"
        self.errors.append(Problem(SHEETS.index(spec), number, col_order, said, spec.name, label, text))

    def reason(self, err: Any) -> str:
        """A pydantic error in the UI language (the models word their own rules in English)."""
        limit = (err.get("ctx") or {}).get("le", (err.get("ctx") or {}).get("ge"))
        if err["type"] in ("less_than_equal", "greater_than_equal"):
            return self.t("sheet.at_most" if err["type"] == "less_than_equal" else "sheet.at_least", limit=limit)
        text = i18n.validation_message(err, self.lang)
        return i18n.t(f"model.{text}", self.lang) if f"model.{text}" in _CATALOGUE_KEYS else text

    # -- reading the sheets -------------------------------------------------

    def read(self, tables: dict[str, list[list[Cell]]]) -> None:
        named: dict[str, str] = {}  # table key -> the sheet read as it
        for name, table in tables.items():
            spec, renamed = spec_for(name), False
            if spec is None and name.strip() != NOTES_SHEET:
                # A sheet renamed (住户表, Sheet1) is known by its key row: its rows were dropped with a
                # note and the import said 没有变化.
                spec = _spec_by_header(table)
                renamed = spec is not None
            if spec is None:
                if name.strip() != NOTES_SHEET:
                    self.notes.append(self.t("sheet.unknown_sheet", sheet=name))
                continue
            if spec.key in named:  # two sheets (or 住户.csv and households.csv) for one table: which one?
                self.errors.append(
                    Problem(
                        SHEETS.index(spec),
                        0,
                        0,
                        self.t("sheet.same_table", sheet=name, other=named[spec.key], table=spec.name),
                    )
                )
                continue
            if renamed:
                self.notes.append(self.t("sheet.read_as", sheet=name, table=spec.name))
            named[spec.key] = name
            self.rows[spec.key] = self._read_sheet(spec, table)

    def _read_sheet(self, spec: SheetSpec, table: list[list[Cell]]) -> list[_Row]:
        if not table:
            return []
        keys = [c.key for c in spec.columns]
        header, first_data, heading_row, headings = _header_of(spec, table) or _headings_only(spec, table)
        _fill_merged_down(table, first_data)
        positions = {key: header.index(key) for key in keys if key in header}
        for key in keys:
            column = spec.column(key)
            if key not in positions and (column.required or key == "id") and column.key != "id":
                self.errors.append(
                    Problem(
                        SHEETS.index(spec),
                        heading_row,
                        keys.index(key),
                        f"{spec.name}!{heading_row}:{column.zh if self.lang == 'zh' else key}: {self.t('sheet.missing_column')}",
                    )
                )
        # A column the clerk added has a heading in row 1 and often nothing in row 2: named by the heading
        # (its cells were dropped without a word).
        extra = []
        for i in range(max(len(header), len(headings))):
            key = header[i] if i < len(header) else ""
            name = key or (headings[i] if i < len(headings) else "")
            if name and key not in keys:
                extra.append(name)
        if extra:
            self.notes.append(self.t("sheet.extra_columns", sheet=spec.name, columns="、".join(extra)))
        rows = []
        for offset, cells in enumerate(table[first_data:]):
            number = first_data + offset + 1
            texts = {key: _text(cells[pos]) if pos < len(cells) else "" for key, pos in positions.items()}
            if not any(texts.values()):
                continue
            row = _Row(spec, number, texts, {})
            for key, pos in positions.items():
                raw = cells[pos] if pos < len(cells) else None
                column = spec.column(key)
                if not texts[key]:
                    if column.required:
                        self.error(row, spec, key, i18n.t("invalid.required", self.lang))
                    continue
                if column.mask and "*" in texts[key]:
                    row.values[key] = _MASKED  # resolved against the stored record later
                    continue
                try:
                    row.values[key] = from_cell(column, raw, texts[key])
                except CellError as exc:
                    self.error(row, spec, key, self.t(exc.key, **exc.params))
            rows.append(row)
        return rows

    # -- ids and references ---------------------------------------------------

    def load(self, spec: SheetSpec, rows: list[_Row]) -> None:
        if spec.model is VisitPlan:
            days = sorted({r.values["day"] for r in rows if isinstance(r.values.get("day"), date)})
            stored: list[Record] = [p for day in days for p in self.tx.all(VisitPlan, day.isoformat())]
        else:  # the main file and, for a table filed by month (the duty roster), every month's file
            stored = [
                *self.tx.all(spec.model),
                *(r for part in sheet_partitions(self.tx.store, spec.model) for r in self.tx.all(spec.model, part)),
            ]
        self.existing[spec.key] = {r.id: r for r in stored}
        self.final[spec.key] = dict(self.existing[spec.key])

    def stored(self, table: str) -> dict[str, Record]:
        """A table's final state; tables not in the file are read as stored."""
        if table not in self.final:
            model = SHEET_BY_KEY[table].model
            stored = [
                *self.tx.all(model),
                *(r for part in sheet_partitions(self.tx.store, model) for r in self.tx.all(model, part)),
            ]
            self.final[table] = {r.id: r for r in stored}
        return self.final[table]

    def grid_paths(self) -> dict[str, str]:
        """Grid path (社区名/大网格/支部网格/…) → id, over the final state."""
        grids = self.stored("grids")
        names = {c.id: c.name for c in self.stored("communities").values()}  # type: ignore[attr-defined]
        memo: dict[str, str | None] = {}

        def path(grid_id: str, depth: int = 0) -> str | None:
            if grid_id in memo:
                return memo[grid_id]
            grid = grids.get(grid_id)
            if grid is None or depth > 8:
                return None
            assert isinstance(grid, Grid)
            head = names.get(grid.community_id) if grid.parent_id is None else path(grid.parent_id, depth + 1)
            memo[grid_id] = None if head is None else f"{head}/{grid.name}"
            return memo[grid_id]

        return {p: gid for gid in grids if (p := path(gid)) is not None}

    def resolve_ref(self, row: _Row, column: Column, paths: dict[str, str] | None) -> bool:
        """Replace a REF cell by the id it names; False (and an error) if it names nothing."""
        text = row.values.get(column.key)
        if not isinstance(text, str) or not text:
            return True
        assert column.ref is not None
        table = self.stored(column.ref)
        if text in table or text in self.file_ids[column.ref]:
            return True
        found = None
        if column.ref == "communities":
            found = next((c.id for c in table.values() if c.name == text), None)  # type: ignore[attr-defined]
        elif column.ref == "grids" and paths is not None:
            found = paths.get(text.strip("/"))
        if found is not None:
            row.values[column.key] = found
            return True
        return False

    def unknown_ref(self, row: _Row, column: Column) -> None:
        assert column.ref is not None
        table = self.stored(column.ref)
        self.error(
            row,
            row.spec,
            column.key,
            self.t(
                "sheet.unknown_ref",
                what=self.t(f"ref.{column.ref}"),
                v=row.values[column.key],
                known=known_list(table.values()),
            ),
        )

    def assign_ids(self, spec: SheetSpec, rows: list[_Row]) -> None:
        """The record each row is: its id, or the stored record with its natural key, or a new id."""
        if spec.key not in self.by_natural_key:
            by_key: dict[tuple[Any, ...], str] = {}
            # A retired worker's phone matches too: named again, they come back with their history.
            retired = self.tx.all(GridWorker, RETIRED) if spec.model is GridWorker else []
            for record in [*self.existing[spec.key].values(), *retired]:
                key = spec.natural_key(record.model_dump())
                if key is not None:
                    by_key.setdefault(key, record.id)
            self.by_natural_key[spec.key] = by_key
        seen = self.seen[spec.key]
        for row in rows:
            given = row.values.get("id")
            if given:
                try:  # said at its own cell: an id refused by the record alone left a masked cell blamed
                    row.id = _RECORD_ID.validate_python(given)
                except ValidationError as exc:
                    self.error(row, spec, "id", self.reason(exc.errors()[0]))
                    continue
            elif not row.bad:
                masked = next((k for k, v in row.values.items() if v is _MASKED), None)
                if masked is not None:  # without an id a masked cell cannot be matched to anything
                    self.error(row, spec, masked, self.t("sheet.masked"))
                    continue
                key = spec.natural_key(row.values)
                row.id = self.by_natural_key[spec.key].get(key) or self.new_id(spec, key, rows)
            if row.id is None:
                continue
            if row.id in seen:
                if given:
                    self.error(row, spec, "id", self.t("sheet.duplicate_id", id=row.id, row=seen[row.id]))
                else:  # an id the clerk never typed is no help: say which cells make it the same record
                    names = [spec.column(k).zh if self.lang == "zh" else k for k in spec.natural]
                    columns = ("、" if self.lang == "zh" else ", ").join(names)
                    self.error(
                        row, spec, spec.natural[0], self.t("sheet.same_record", row=seen[row.id], columns=columns)
                    )
                row.id = None
                continue
            seen[row.id] = row.number
            self.file_ids[spec.key].add(row.id)

    def new_id(self, spec: SheetSpec, key: tuple[Any, ...], rows: list[_Row]) -> str:
        """A new record's id: a hash of its natural key (a dry run gives the import's), unless that
        key is personal data shown masked (a worker's phone): then the next free number, once per key."""
        if not any(spec.column(k).mask for k in spec.natural):
            return _stable_id(spec.id_prefix, key)
        taken = self.numbered.get(spec.key)
        if taken is None:  # once per sheet: stored ids (retired workers' too) and ids typed in the file
            taken = {*self.existing[spec.key], *(str(r.values["id"]) for r in rows if r.values.get("id"))}
            if spec.model is GridWorker:
                taken |= {w.id for w in self.tx.all(GridWorker, RETIRED)}
            self.numbered[spec.key] = taken
        new = numbered_id(spec.id_prefix, taken)
        taken.add(new)
        self.by_natural_key[spec.key][key] = new
        return new

    # -- building the records ---------------------------------------------------

    def build(self, spec: SheetSpec, row: _Row) -> None:
        if row.bad or row.id is None:
            return
        previous = self.existing[spec.key].get(row.id)
        data = previous.model_dump() if previous is not None else {}
        for key, value in row.values.items():
            if value is _MASKED:
                column = spec.column(key)
                stored_value = data.get(key)
                if stored_value and to_cell(column, stored_value, masked=True) == row.cells[key]:
                    continue  # a masked export read back: unchanged
                # nothing stored to match (a new store filled from a masked export) is said as such
                self.error(row, spec, key, self.t("sheet.masked" if stored_value else "sheet.masked_new"))
                return
            data[key] = value
        for column in spec.columns:  # a blank optional cell clears the field (a missing column does not)
            if column.key in row.cells and column.key not in row.values and column.key != "id" and column.key in data:
                data[column.key] = _default(spec.model, column.key)
        data["id"] = row.id
        if spec.model is VisitPlan and previous is None:
            household = self.stored("households").get(data.get("household_id", ""))
            data["tags"] = list(household.tags) if isinstance(household, Household) else []
        if spec.model is DutyShift:
            try:  # 排班's rules (store/dutylog.py): one or two 值班员, nobody on the shift twice
                shift_people(str(data.get("leader") or ""), data.get("staff") or [])
            except Refused as refusal:
                self.error(row, spec, "staff", refusal.message(self.lang))
                return
        if isinstance(previous, DutyShift):
            if data.get("day") != previous.day:
                # A shift's id is its day (duty-20261128, found in that month's file): moved, the shift
                # on duty vanished from the header and its log stayed under a shift of another day.
                said = self.t("sheet.shift_day", id=previous.id, day=previous.day.isoformat())
                self.error(row, spec, "day", said)
                return
            on_shift = {data.get("leader"), *(data.get("staff") or [])}
            if previous.starts_at < self.tx.now and on_shift != {previous.leader, *previous.staff}:
                # Who was on duty stays as it was, as 排班 keeps it (store/dutylog.py: plan_shift).
                self.error(row, spec, "leader", Refused("duty_started_people", shift=previous.span).message(self.lang))
                return
            # The sheet has no phones: those of people taken off the shift go with them (the model
            # refused a phone for someone not on it, in English, and the sheet could not fix it).
            data["phones"] = {name: phone for name, phone in (data.get("phones") or {}).items() if name in on_shift}
        try:
            row.record = spec.model.model_validate(data)
        except ValidationError as exc:
            keys = {c.key for c in spec.columns}
            for err in exc.errors():
                rule = str((err.get("ctx") or {}).get("error", "")) if not err["loc"] else ""
                loc = str(err["loc"][0]) if err["loc"] else dict(spec.rule_columns).get(rule, spec.model_error_column)
                column_key = loc if loc in keys else spec.model_error_column
                self.error(row, spec, column_key, self.reason(err))
            return
        self.final[spec.key][row.id] = row.record

    # -- rules between records ------------------------------------------------

    def check_unique(self, spec: SheetSpec, rows: list[_Row], label: Callable[[Record], Any], what: str) -> None:
        """A natural key (community name, worker phone, grid path) belongs to one record."""
        owner: dict[Any, str] = {}  # the records the file leaves out (its own rows are told apart below)
        in_file = {row.id for row in rows}
        for record in self.final[spec.key].values():
            if record.id not in in_file:
                owner.setdefault(label(record), record.id)
        taken: dict[Any, int] = {}
        stored = self.existing[spec.key]

        def moved(row: _Row) -> bool:  # a row that keeps its record's key holds it: the other row is the one said
            return row.record is not None and (row.id not in stored or label(stored[row.id]) != label(row.record))

        for row in sorted(rows, key=moved):
            if row.record is None:
                continue
            key = label(row.record)
            if key in taken:
                self.error(row, spec, what, self.t("sheet.duplicate_key", row=taken[key]))
            elif owner.get(key, row.id) != row.id:
                # Name what is taken (the cell's value, under which column, within what) and whose it
                # is: "already used by record dc-L1" alone left the clerk to guess which of the row's cells.
                column = spec.column(what).zh if self.lang == "zh" else what
                within = {
                    "grids": self.t("sheet.key_taken_within_grid"),
                    "stalls": self.t("sheet.key_taken_within_market"),
                }.get(spec.key, "")
                value = getattr(row.record, what)
                self.error(
                    row, spec, what, self.t("sheet.key_taken", column=column, v=value, within=within, id=owner[key])
                )
            taken.setdefault(key, row.number)

    def check_addresses(self, rows: list[_Row]) -> None:
        """One household an address (``Household.address_key``), the store's own rule
        (``Transaction._refuse_taken_addresses``) said here with the rows: a row whose household is
        new, or gets another address, where another row or a stored household kept by the import
        has that address. Two households that shared one before the import are left as they were."""
        spec = SHEET_BY_KEY["households"]
        existing = self.existing["households"]
        in_file = {row.record.id: row for row in rows if isinstance(row.record, Household)}
        claims: dict[str, tuple[str, str, str, str]] = {}
        for record_id, row in in_file.items():
            record, previous = cast(Household, row.record), existing.get(record_id)
            if record.claims_address([previous] if isinstance(previous, Household) else []):
                claims[record_id] = record.address_key()
        if not claims:
            return
        wanted, grids = set(claims.values()), {key[0] for key in claims.values()}
        holders: dict[tuple[str, str, str, str], list[Household]] = defaultdict(list)
        for held in self.final["households"].values():
            assert isinstance(held, Household)
            if held.grid_id in grids and (key := claims.get(held.id) or held.address_key()) in wanted:
                holders[key].append(held)
        room = spec.column("room").zh if self.lang == "zh" else "room"
        for record_id, key in claims.items():
            row = in_file[record_id]
            others = [held for held in holders[key] if held.id != record_id]
            if not others:
                continue
            other_rows = sorted((in_file[h.id] for h in others if h.id in in_file), key=lambda r: r.number)
            stored = [h for h in others if h.id not in in_file]
            if stored:  # a household the import keeps: change it by its id
                held = min(stored, key=lambda h: h.id)
                said = self.t(
                    "sheet.address_taken",
                    grid=self.grid_name(held.grid_id),
                    grid_id=held.grid_id,
                    address=held.address,
                    id=held.id,
                    head=mask_name(held.head_name),
                )
                self.error(row, spec, "room", said)
                continue
            # Another row: said once, on the later of two new ones; on the new one beside an old one.
            other = next((r for r in other_rows if r.id not in claims or r.number < row.number), None)
            if other is None:
                continue
            address = cast(Household, other.record).address
            self.error(
                row,
                spec,
                "room",
                self.t("sheet.address_repeated", other=f"{spec.name}!{other.number}:{room}", address=address),
            )

    def grid_name(self, grid_id: str) -> str:
        """A grid as the dashboard names it, its community's name and its own, as the import leaves
        them (or its id, if it has none)."""
        grid = self.stored("grids").get(grid_id)
        if not isinstance(grid, Grid):
            return grid_id
        community = self.stored("communities").get(grid.community_id)
        return f"{community.name} {grid.name}" if isinstance(community, Community) else grid.name

    def check_grid_tree(self, rows: list[_Row]) -> None:
        grids = self.final["grids"]
        spec = SHEET_BY_KEY["grids"]
        cycles: set[frozenset[str]] = set()
        for row in rows:
            grid = row.record
            if not isinstance(grid, Grid) or grid.parent_id is None:
                continue
            parent = grids.get(grid.parent_id)
            if isinstance(parent, Grid) and parent.community_id != grid.community_id:
                self.error(row, spec, "parent_id", self.t("sheet.parent_other_community"))
                continue
            current: str | None
            chain, current = [grid.id], grid.parent_id
            while current is not None and current not in chain:
                chain.append(current)
                nxt = grids.get(current)
                current = nxt.parent_id if isinstance(nxt, Grid) else None
            if current is not None:
                loop = chain[chain.index(current) :]
                if frozenset(loop) not in cycles:  # one error per cycle, on its first row
                    cycles.add(frozenset(loop))
                    self.error(row, spec, "parent_id", self.t("sheet.parent_cycle", path=" → ".join([*loop, current])))


_MASKED = object()
_CATALOGUE_KEYS = i18n.keys()


_REFS_CHECKED_AFTER_PRUNE: dict[str, tuple[tuple[str, str], ...]] = {
    # table: (field, table it points to)
    "grids": (("community_id", "communities"), ("parent_id", "grids")),
    "workers": (("grid_id", "grids"),),
    "households": (("grid_id", "grids"),),
    "stalls": (("community_id", "communities"),),
    "permits": (("stall_id", "stalls"),),
    "schedules": (("community_id", "communities"),),
    "visit_plans": (("grid_id", "grids"), ("household_id", "households"), ("worker_id", "workers")),
}


def import_tables(
    store: Store,
    tables: dict[str, list[list[Cell]]],
    *,
    lang: Lang = "zh",
    dry_run: bool = False,
    prune: bool = False,
    fee_rules: FeeRules | None = None,
    may_reveal: bool = False,
) -> ImportReport:
    """Check every row; write all of it in one transaction, or (any error, or a dry run) nothing.
    A stall whose fee or reduction changed gets the new rate from this month on (``with_rate``, at
    ``fee_rules``' percentages); its months before keep theirs. Unless the desk ``may_reveal``
    personal data, a row giving a personal value in full is changed, and written, even if it is
    the stored value: the report and the store say the same for a right guess and a wrong one."""
    results: list[SheetResult] = []
    importer: _Importer | None = None
    written = False
    try:
        with store.transaction() as tx:
            importer = _Importer(tx, lang)
            importer.read(tables)
            specs = [s for s in SHEETS if s.key in importer.rows]
            for spec in specs:
                importer.load(spec, importer.rows[spec.key])
            # References, sheet by sheet in dependency order (communities first), then ids, then records.
            for spec in specs:
                rows = importer.rows[spec.key]
                if spec.key == "grids":
                    _resolve_grids(importer, spec, rows)
                else:
                    paths = importer.grid_paths() if any(c.ref == "grids" for c in spec.columns) else None
                    for row in rows:
                        for column in spec.columns:
                            if column.kind is Kind.REF and not importer.resolve_ref(row, column, paths):
                                importer.unknown_ref(row, column)
                        if spec.model is ServiceSchedule:
                            households = importer.stored("households")
                            for hid in row.values.get("household_ids", []):
                                if hid not in households and hid not in importer.file_ids["households"]:
                                    importer.error(
                                        row,
                                        spec,
                                        "household_ids",
                                        importer.t(
                                            "sheet.unknown_ref",
                                            what=importer.t("ref.households"),
                                            v=hid,
                                            known=known_list(households.values()),
                                        ),
                                    )
                    importer.assign_ids(spec, rows)
                    for row in rows:
                        importer.build(spec, row)
            if "communities" in importer.rows:
                importer.check_unique(
                    SHEET_BY_KEY["communities"],
                    importer.rows["communities"],
                    lambda r: r.name,  # type: ignore[attr-defined]
                    "name",
                )
            if "workers" in importer.rows:
                importer.check_unique(SHEET_BY_KEY["workers"], importer.rows["workers"], lambda r: r.phone, "phone")  # type: ignore[attr-defined]
            if "grids" in importer.rows:
                importer.check_grid_tree(importer.rows["grids"])
                importer.check_unique(
                    SHEET_BY_KEY["grids"],
                    importer.rows["grids"],
                    lambda r: (r.community_id, r.parent_id, r.name),  # type: ignore[attr-defined]
                    "name",
                )
            if "duty" in importer.rows:  # one shift a day, as 排班 makes them (duty-20261128)
                importer.check_unique(
                    SHEET_BY_KEY["duty"], importer.rows["duty"], lambda r: cast(DutyShift, r).day, "day"
                )
            if "stalls" in importer.rows:  # a stall's number is its market's one (玉05 in the lists)
                importer.check_unique(
                    SHEET_BY_KEY["stalls"],
                    importer.rows["stalls"],
                    lambda r: cast(Stall, r).spot_key(),
                    "number",
                )
            # What the file leaves out: reported, deleted only with --prune.
            for spec in specs:
                result = SheetResult(spec)
                results.append(result)
                in_file = importer.file_ids[spec.key]
                missing = [r for rid, r in importer.existing[spec.key].items() if rid not in in_file]
                result.missing = [known_list([r], 1) for r in missing]
                if prune:
                    for record in missing:
                        del importer.final[spec.key][record.id]
            if prune:
                _check_after_prune(importer)
            if "households" in importer.rows:  # after --prune: a household it deletes holds no address
                importer.check_addresses(importer.rows["households"])
            if importer.errors:
                raise _Abort
            retired = {w.id: w for w in tx.all(GridWorker, RETIRED)} if "workers" in importer.rows else {}
            for result in results:
                spec = result.spec
                for row in importer.rows[spec.key]:
                    assert row.record is not None
                    previous = importer.existing[spec.key].get(row.record.id)
                    given = [] if may_reveal else _typed_in_full(spec, row)
                    if previous is None:
                        result.new += 1
                    elif not given and _comparable(previous) == _comparable(row.record):
                        result.unchanged += 1
                        continue
                    else:
                        result.changed += 1
                    if isinstance(row.record, Stall) and isinstance(previous, Stall):  # its rate history
                        row.record = with_rate(previous, row.record, month_key(tx.now.date()), fee_rules)
                    if isinstance(row.record, (GridWorker, Household, ServiceSchedule)):  # a roster history
                        row.record = _with_import_event(tx, previous, row.record, given)
                    if spec.model is GridWorker and previous is None and row.record.id in retired:
                        # A retired worker back on the roster: one record, its history kept, never in both files.
                        back = retired[row.record.id]
                        reinstate = RosterEvent(at=tx.now, actor=store.actor, action="reinstate", note="import")
                        row.record = row.record.model_copy(update={"history": [*back.history, reinstate]})
                        tx.put(row.record)
                        tx.delete(GridWorker, back.id, RETIRED)
                        continue
                    tx.put(row.record)
                if prune:
                    for label in result.missing:
                        record_id = label.split(" ", 1)[0]
                        previous = importer.existing[spec.key][record_id]
                        tx.delete(spec.model, record_id, partition_of(previous))
                        result.pruned += 1
            if dry_run:
                raise _Abort
            written = True
    except _Abort:
        pass
    assert importer is not None
    return ImportReport(_said(importer.errors, lang), results, importer.notes, written, len(importer.errors))


def _resolve_grids(importer: _Importer, spec: SheetSpec, rows: list[_Row]) -> None:
    """Grids may name their community by name and their parent by path, also a parent further
    down the same sheet: resolve in rounds, each grid once its parent is known."""
    community = spec.column("community_id")
    parent = spec.column("parent_id")
    for row in rows:
        if not importer.resolve_ref(row, community, None):
            importer.unknown_ref(row, community)
    for row in rows:  # ids typed in the file are known before any path is
        if row.values.get("id"):
            importer.file_ids["grids"].add(row.values["id"])
    pending = list(rows)
    while pending:
        paths = importer.grid_paths()
        ready = [row for row in pending if importer.resolve_ref(row, parent, paths)]
        if not ready:
            break
        pending = [row for row in pending if row not in ready]
        importer.assign_ids(spec, ready)
        for row in ready:
            importer.build(spec, row)
    for row in pending:
        importer.unknown_ref(row, parent)


def _check_after_prune(importer: _Importer) -> None:
    """With --prune nothing left may point at a deleted record."""
    for table, refs in _REFS_CHECKED_AFTER_PRUNE.items():
        if table not in importer.final and table != "visit_plans":
            importer.stored(table)
        records = importer.final.get(table, {})
        for record in records.values():
            for field_name, target in refs:
                value = getattr(record, field_name)
                if value is None or target not in importer.existing:
                    continue
                if value in importer.existing[target] and value not in importer.final[target]:
                    spec = SHEET_BY_KEY[table]
                    importer.errors.append(
                        Problem(
                            SHEETS.index(spec),
                            0,
                            0,
                            importer.t("sheet.pruned_ref", sheet=spec.name, id=record.id, ref=value),
                        )
                    )
