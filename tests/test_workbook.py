"""Spreadsheet template, import and export (store/workbook.py, store/sheetfiles.py, duty_room/data_cli.py)."""

from __future__ import annotations

import csv
import gc
import hashlib
import io
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from duty_room.cli import cli
from store import clock
from store.demo import build_demo
from store.dutylog import find_shift
from store.models import AuditEntry, Community, Grid, Household, Stall
from store.sheetfiles import _UNSAVED_FORMULA, _formula_without_value, read_tables, write_csv_dir, write_xlsx
from store.storage import Store, StoreReadOnlyError, default_actor
from store.workbook import (
    SHEET_BY_KEY,
    SHEET_BY_NAME,
    SHEETS,
    CellError,
    export_sheets,
    from_cell,
    import_tables,
    record_row,
    to_cell,
)
from tests.conftest import FROZEN_NOW, frozen_command

ME = default_actor()


def store_digest(root: Path) -> str:
    """sha256 over every file of the store (names and bytes): any write changes it."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.name != ".lock"):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def sheet_rows(store: Store, key: str) -> dict[str, list]:
    spec = SHEET_BY_KEY[key]
    return {r.id: record_row(spec, r, masked=False) for r in store.all_partitions(spec.model)}


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    clock.freeze(FROZEN_NOW)
    try:
        root = tmp_path_factory.mktemp("demo") / "store"
        build_demo(Store(root, actor="setup"), scale="demo")
    finally:
        clock.unfreeze()
    return root


@pytest.fixture
def demo(demo_dir: Path, tmp_path: Path, frozen_clock: str) -> Store:
    """A private copy of the demo store (tests write into it)."""
    import shutil

    shutil.copytree(demo_dir, tmp_path / "demo")
    return Store(tmp_path / "demo")


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, frozen_clock: str, system_config: Path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("DUTY_ROOM_CONFIG", str(tmp_path / "none.toml"))
    for name in ("DUTY_ROOM_STORE", "DUTY_ROOM_REVEAL_USERS", "DUTY_ROOM_READ_ONLY", "DUTY_ROOM_LANG"):
        monkeypatch.delenv(name, raising=False)
    runner = CliRunner()

    def invoke(*args: object, reveal: bool = False):
        # Who may reveal comes from the system file only (the caller's environment cannot grant it).
        system_config.write_text(f"reveal_users = {json.dumps([ME] if reveal else [])}\n", encoding="utf-8")
        return runner.invoke(cli, [str(a) for a in args])

    return invoke


def unmasked_workbook(store: Store, path: Path) -> Path:
    write_xlsx(path, export_sheets(store, SHEETS, masked=False))
    return path


# ---------------------------------------------------------------------------
# Template → the demo's data → import → export → import


def test_template_has_every_sheet_two_header_rows_dropdowns_and_notes(run, tmp_path: Path) -> None:
    path = tmp_path / "template.xlsx"
    result = run("--store", tmp_path / "s", "template", path)
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["说明", *(s.name for s in SHEETS)]
    assert [s.name for s in SHEETS] == [
        "社区",
        "网格",
        "网格员",
        "住户",
        "摊位",
        "准入证",
        "一老一小服务",
        "走访计划",
        "值班表",
    ]
    for spec in SHEETS:
        ws = wb[spec.name]
        assert [c.value for c in ws[2]] == [c.key for c in spec.columns]
        assert all(c.value for c in ws[1])
        assert ws.max_row >= 3, f"{spec.name} has an example row"
    lists = {ws.title: [dv.formula1 for dv in ws.data_validations.dataValidation] for ws in wb.worksheets}
    assert any("大网格,支部网格,微网格" in f for f in lists["网格"])
    assert any("独居" in f and "孤寡" in f for f in lists["住户"])
    assert any("申请中" in f and "有效" in f for f in lists["准入证"])
    notes = " ".join(str(c.value) for row in wb["说明"].iter_rows() for c in row if c.value)
    assert "--prune" in notes and "住户" in notes
    # The examples form a consistent little township: the template imports as it is.
    result = run("--store", tmp_path / "s", "import", path)
    assert result.exit_code == 0, result.output


def test_demo_through_the_template_round_trips(run, demo: Store, tmp_path: Path) -> None:
    template = tmp_path / "template.xlsx"
    assert run("--store", tmp_path / "x", "template", template).exit_code == 0
    wb = openpyxl.load_workbook(template)
    for spec in SHEETS:  # the clerk replaces the examples with the township's rows
        ws = wb[spec.name]
        ws.delete_rows(3, ws.max_row)
        for record in demo.all_partitions(spec.model):
            ws.append(record_row(spec, record, masked=False))
    filled = tmp_path / "filled.xlsx"
    wb.save(filled)

    target = tmp_path / "imported"
    result = run("--store", target, "import", filled)
    assert result.exit_code == 0, result.output
    imported = Store(target)
    for spec in SHEETS:
        assert len(imported.all_partitions(spec.model)) == len(demo.all_partitions(spec.model)), spec.name
        assert sheet_rows(imported, spec.key) == sheet_rows(demo, spec.key), spec.name
    assert imported.all(Household)[0].updated_by == ME  # stamped with the importing account
    check = run("--store", target, "check")
    assert check.exit_code == 0, check.output

    exported = tmp_path / "exported.xlsx"
    assert run("--store", target, "export", exported, reveal=True).exit_code == 0
    before = store_digest(target)
    again = run("--store", target, "import", exported, reveal=True)
    assert again.exit_code == 0, again.output
    assert "没有变化" in again.output
    assert store_digest(target) == before


def test_masked_export_masks_and_reads_back_as_no_change(run, demo: Store, tmp_path: Path) -> None:
    path = tmp_path / "masked.xlsx"
    result = run("--store", demo.root, "export", path)  # this account is not allowed to reveal
    assert result.exit_code == 0, result.output
    assert result.output == f"已导出 9 张表到 {path}；个人信息已脱敏\n"  # Chinese punctuation, not "; "
    stalls = read_tables(path)["摊位"]
    held = next(s for s in demo.all(Stall) if s.holder_phone)
    row = next(r for r in stalls if r[0] == held.id)
    assert held.holder_phone not in row and held.holder_name not in row
    assert any("****" in str(c) for c in row)
    # Health data (PIPL art. 28): a household's disability or limited mobility, and why a holder's fee
    # is reduced, are ** in the masked copy; living alone stays (the wall map's), and all read back as is.
    homes = read_tables(path)["住户"]
    tags = homes[1].index("tags")
    assert not any("残疾" in str(r[tags]) or "行动不便" in str(r[tags]) for r in homes[2:])
    assert any(str(r[tags]).endswith("**") for r in homes[2:]) and any("独居" in str(r[tags]) for r in homes[2:])
    reduction = stalls[1].index("reduction")
    reduced = {s.id for s in demo.all(Stall) if s.reduction.value != "none"}
    assert reduced and all(r[reduction] == "**" for r in stalls[2:] if r[0] in reduced)
    assert not demo.all_partitions(AuditEntry)
    before = store_digest(demo.root)
    again = run("--store", demo.root, "import", path)
    assert again.exit_code == 0, again.output
    assert store_digest(demo.root) == before


# A personal field a desk that may not reveal sees masked, and a guess at it with the same mask.
GUESSED = [
    ("网格员", "phone"),
    ("住户", "head_name"),
    ("住户", "phone"),
    ("住户", "tags"),
    ("摊位", "holder_name"),
    ("摊位", "holder_phone"),
    ("摊位", "reduction"),
    ("准入证", "holder_name"),
]
_SWAPPED = {"残疾": "行动不便", "行动不便": "残疾", "残疾人减免": "退役军人减免", "退役军人减免": "残疾人减免"}


def _other_behind_the_mask(key: str, right: str) -> str:
    """A value that is not ``right`` and that a masked sheet shows as it shows ``right``."""
    if key == "tags" or key == "reduction":
        return "、".join(_SWAPPED.get(part, part) for part in right.split("、"))
    if "phone" in key:
        return right[:5] + str((int(right[5]) + 1) % 10) + right[6:]
    return right[0] + ("明" if right[1:2] != "明" else "亮") + right[2:]


@pytest.mark.parametrize(("sheet", "key"), GUESSED, ids=[f"{s}.{k}" for s, k in GUESSED])
def test_an_import_does_not_tell_a_desk_that_may_not_reveal_whether_a_guess_was_right(
    run, demo: Store, tmp_path: Path, sheet: str, key: str
) -> None:
    """A desk without the reveal right exported a sheet (masked), typed a guess at a phone, a name,
    a health tag or a fee reduction's reason into a row and imported it: `--dry-run` said 不变 for
    the right guess and 修改 for a wrong one, and so did the import itself: the hidden value
    confirmed. A personal value typed in full now counts, and is written, as a change either way:
    the same words, the same exit code, the same history (its masked before). The masked cell exported and imported back
    still means "as stored": that file is still a no-op."""
    spec = SHEET_BY_NAME[sheet]
    column = spec.column(key)
    masked = tmp_path / "masked.xlsx"
    assert run("--store", demo.root, "export", masked, "--tables", sheet).exit_code == 0
    record = next(
        r
        for r in demo.all_partitions(spec.model)
        if (text := str(to_cell(column, getattr(r, key))))
        and text != to_cell(column, getattr(r, key), masked=True)
        and (key != "tags" or "、" not in text or "独居" in text)
    )
    right = str(to_cell(column, getattr(record, key)))
    wrong = _other_behind_the_mask(key, right)
    assert wrong != right and column.mask is not None and column.mask(wrong) == column.mask(right)
    before = store_digest(demo.root)
    untouched = run("--store", demo.root, "import", masked)
    assert untouched.exit_code == 0 and "没有变化" in untouched.output, untouched.output
    assert store_digest(demo.root) == before
    answers, histories, writers = [], [], []
    for name, guess in (("right", right), ("wrong", wrong)):
        wb = openpyxl.load_workbook(masked)
        _set(wb, sheet, _row_of(wb, sheet, record.id), key, guess)
        path = tmp_path / f"{name}.xlsx"
        wb.save(path)
        root = tmp_path / name
        shutil.copytree(demo.root, root)
        dry = run("--store", root, "import", path, "--dry-run")
        real = run("--store", root, "import", path)
        answers.append([(dry.exit_code, dry.output), (real.exit_code, real.output)])
        stored = Store(root).get(spec.model, record.id)
        events = getattr(stored, "history", [])  # a stall keeps none; what a guess changed to is that guess
        histories.append([e.model_dump(mode="json", exclude={"changes": {"__all__": {"after"}}}) for e in events])
        writers.append(stored.updated_by)
    assert answers[0] == answers[1], answers
    assert writers == [ME, ME]  # written, the right guess as the wrong one
    assert answers[0][0][0] == 0 and "更新 1，" in answers[0][0][1], answers
    assert histories[:1] == histories[1:], histories


def test_a_desk_that_may_reveal_is_told_what_its_unmasked_file_changes(run, demo: Store, tmp_path: Path) -> None:
    """The officer who may reveal sees the values anyway: their unmasked export, one phone corrected,
    imports as that one change (not every row that names a person), and again as none."""
    path = tmp_path / "full.xlsx"
    assert run("--store", demo.root, "export", path, "--tables", "住户", reveal=True).exit_code == 0
    wb = openpyxl.load_workbook(path)
    _set(wb, "住户", 3, "phone", "13800001111")
    wb.save(path)
    first = run("--store", demo.root, "import", path, reveal=True)
    assert first.exit_code == 0 and "更新 1，" in first.output, first.output
    before = store_digest(demo.root)
    again = run("--store", demo.root, "import", path, reveal=True)
    assert again.exit_code == 0 and "没有变化" in again.output, again.output
    assert store_digest(demo.root) == before


def test_a_masked_export_imported_into_a_new_store_is_refused_in_a_line_a_column_not_a_row(
    run, demo: Store, tmp_path: Path
) -> None:
    """A new server's first import made from a masked export (the officer who exported could not
    reveal): every name and phone is ****. It was refused in one line per cell, 569 lines for the
    demo township, the reason lost in the scroll. Now one line per sheet, column and reason, naming
    its rows as ranges and how many; the count of errors is still every cell's."""
    path = tmp_path / "masked.xlsx"
    assert run("--store", demo.root, "export", path).exit_code == 0
    households = len(read_tables(path)["住户"]) - 2
    fresh = tmp_path / "fresh"
    result = run("--store", fresh, "import", path)
    assert result.exit_code == 1, (result.output, result.exception)
    lines = result.output.splitlines()
    reason = "这是脱敏后的值（含 *），数据里还没有它的原值：请填完整内容（脱敏导出的表只能原样导回已有的数据）"
    assert f"住户!3-{households + 2}:户主: {reason}（{households} 行）" in lines
    masked_rows = [line for line in lines if reason in line]
    assert len(masked_rows) == len({line.split(":")[0].split("!")[0] + line.split(":")[1] for line in masked_rows})
    total = sum(int(line.rsplit("（", 1)[1].split(" ")[0]) if "行）" in line else 1 for line in masked_rows)
    assert lines[-1] == f"duty-room: 发现 {total} 处错误，未写入任何数据"
    assert total > households and len(lines) < 20
    assert not fresh.exists() or not [p for p in fresh.rglob("*") if p.name != ".lock"]


def test_unmasked_export_is_audited(run, demo: Store, tmp_path: Path) -> None:
    result = run("--store", demo.root, "export", tmp_path / "full.xlsx", "--tables", "households,摊位", reveal=True)
    assert result.exit_code == 0, result.output
    assert result.output == f"已导出 2 张表到 {tmp_path / 'full.xlsx'}；个人信息未脱敏（已记录）\n"
    workbook = read_tables(tmp_path / "full.xlsx")
    assert set(workbook) == {"说明", "住户", "摊位"}
    household = demo.all(Household)[0]
    assert any(household.head_name in row for row in workbook["住户"])
    (entry,) = demo.all_partitions(AuditEntry)
    assert entry.actor == ME and entry.allowed and entry.subject == "export:full.xlsx"
    assert entry.fields == ["name", "phone", "health", "reduction"]


def test_unknown_table_names_the_known_ones(run, demo: Store, tmp_path: Path) -> None:
    result = run("--store", demo.root, "--lang", "en", "export", tmp_path / "x.xlsx", "--tables", "houses")
    assert result.exit_code == 1
    assert "no table 'houses'; known: communities 社区" in result.output
    # In Chinese too: the line was English whatever the interface language.
    result = run("--store", demo.root, "export", tmp_path / "x.xlsx", "--tables", "住户,houses")
    assert result.exit_code == 1
    assert "没有表「houses」；已有：communities 社区" in result.output and "no table" not in result.output


@pytest.mark.parametrize("name", ["底册.xls", "底册.XLSM", "底册.ods", "底册.csv", "底册.pdf", "底册.docx", "底册.txt"])
def test_a_spreadsheet_name_that_is_not_xlsx_is_refused_not_made_a_folder(
    run, demo: Store, tmp_path: Path, name: str
) -> None:
    """`export 底册.xls` (a typo for .xlsx) wrote a folder 底册.xls/ of CSV files and said it had
    exported; so did template. Refused in one line naming the .xlsx meant, exit 1, nothing written
    and no reveal logged; a folder name without an extension is still a folder of CSV files."""
    target = tmp_path / name
    result = run("--store", demo.root, "export", target, reveal=True)
    assert result.exit_code == 1 and result.output.count("\n") == 1
    assert result.output.strip() == (
        f"duty-room: {target}：工作簿只能写成 .xlsx（如 {target.with_suffix('.xlsx')}）；写 CSV 请给不带扩展名的文件夹名"
    )
    assert not target.exists() and demo.all_partitions(AuditEntry) == []
    english = run("--store", demo.root, "--lang", "en", "template", target)
    assert english.exit_code == 1 and "a workbook is written as .xlsx only" in english.output
    assert not target.exists()
    folder = tmp_path / "底册"
    assert run("--store", demo.root, "export", folder).exit_code == 0
    assert (folder / "住户.csv").is_file()
    target.mkdir()  # a folder that is there already is a folder, whatever its name
    assert run("--store", demo.root, "export", target).exit_code == 0 and (target / "住户.csv").is_file()


def test_a_dash_for_standard_output_is_refused_not_made_a_folder(
    run, demo: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`export -` (as many tools read it: standard output) made a folder named "-" of CSV files in
    the working directory and said it had exported. Refused in one line, exit 1, nothing written."""
    monkeypatch.chdir(tmp_path)
    for command in ("export", "template"):
        result = run("--store", demo.root, command, "-", reveal=True)
        assert result.exit_code == 1 and result.output.count("\n") == 1
        assert result.output.strip() == "duty-room: 工作簿不能写到标准输出（-）：请给 .xlsx 文件名，或写 CSV 的文件夹名"
        assert not (tmp_path / "-").exists()
    assert demo.all_partitions(AuditEntry) == []  # no unmasked export was logged as made
    english = run("--store", demo.root, "--lang", "en", "export", "-")
    assert english.exit_code == 1 and "cannot go to standard output" in english.output


# ---------------------------------------------------------------------------
# Twenty planted errors: all reported, nothing written


def _set(wb: openpyxl.Workbook, sheet: str, row: int, key: str, value: object) -> tuple[str, int, str]:
    ws = wb[sheet]
    keys = [c.value for c in ws[2]]
    ws.cell(row=row, column=keys.index(key) + 1).value = value  # (cell(value=None) would not clear it)
    return sheet, row, SHEET_BY_KEY[next(s.key for s in SHEETS if s.name == sheet)].column(key).zh


def _value(wb: openpyxl.Workbook, sheet: str, row: int, key: str) -> object:
    ws = wb[sheet]
    keys = [c.value for c in ws[2]]
    return ws.cell(row=row, column=keys.index(key) + 1).value


def _row_of(wb: openpyxl.Workbook, sheet: str, record_id: str) -> int:
    return next(r for r in range(3, wb[sheet].max_row + 1) if wb[sheet].cell(row=r, column=1).value == record_id)


def test_twenty_planted_errors_are_all_reported_and_nothing_is_written(run, demo: Store, tmp_path: Path) -> None:
    path = unmasked_workbook(demo, tmp_path / "demo.xlsx")
    wb = openpyxl.load_workbook(path)
    grids = {g.id: g for g in demo.all(Grid)}
    large = next(g for g in grids.values() if g.parent_id is None and any(c.parent_id == g.id for c in grids.values()))
    child = next(g for g in grids.values() if g.parent_id == large.id)
    long_name = "欧阳" + "很" * 30
    planted = [
        _set(wb, "网格员", 3, "phone", "1380000"),  # 1 bad phone
        _set(wb, "住户", 3, "grid_id", "no-such-grid"),  # 2 unknown grid
        _set(wb, "住户", 5, "id", _value(wb, "住户", 4, "id")),  # 3 duplicate id
        _set(wb, "住户", 6, "tags", "独居、残废"),  # 4 special tag misspelt
        _set(wb, "摊位", 3, "monthly_fee_fen", "一百五"),  # 5 fee not a number
        _set(wb, "网格", _row_of(wb, "网格", large.id), "parent_id", child.id),  # 6 parent cycle …
        _set(wb, "网格", 8, "name", None),  # 7 blank required cell
        _set(wb, "社区", 3, "township", ""),  # 8 blank required cell
        _set(wb, "住户", 7, "members", "三"),  # 9 not a whole number
        _set(wb, "住户", 8, "elderly", "也许"),  # 10 not yes/no
        _set(wb, "准入证", 3, "status", "作废"),  # 11 not a permit status
        _set(wb, "准入证", 4, "applied_on", "2026-13-01"),  # 12 no such date
        _set(wb, "一老一小服务", 3, "start", "25:00"),  # 13 no such time
        _set(wb, "一老一小服务", 4, "recurrence", "每周"),  # 14 weekly without its weekdays
        _set(wb, "走访计划", 3, "worker_id", "w-nobody"),  # 15 unknown worker
        _set(wb, "值班表", 3, "day", "明天"),  # 16 not a date
        _set(wb, "网格员", 5, "phone", _value(wb, "网格员", 4, "phone")),  # 17 phone used twice
        _set(wb, "摊位", 4, "community_id", "不存在社区"),  # 18 unknown community
        _set(wb, "住户", 9, "phone", "12345"),  # 19 bad phone
        _set(wb, "住户", 10, "head_name", long_name),  # 20 too long
    ]
    _set(wb, "网格", _row_of(wb, "网格", large.id), "level", "支部网格")  # … (with its level, one mistake)
    assert _value(wb, "一老一小服务", 4, "weekdays") in (None, "")
    secret_phone = str(_value(wb, "住户", 3, "phone") or _value(wb, "住户", 4, "phone"))
    wb.save(path)

    before = store_digest(demo.root)
    result = run("--store", demo.root, "import", path)
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if "!" in line]
    assert len(lines) == 20, "\n".join(lines)
    for sheet, row, header in planted:
        assert any(line.startswith(f"{sheet}!{row}:{header}: ") for line in lines), (sheet, row, header, lines)
    assert "发现 20 处错误，未写入任何数据" in result.output
    assert store_digest(demo.root) == before
    # Personal data stays masked in the messages.
    assert long_name not in result.output and secret_phone not in result.output
    assert "循环" in next(line for line in lines if line.startswith("网格!") and "上级网格" in line)
    assert "残废" in next(line for line in lines if line.startswith("住户!6:"))
    assert "一老一小服务!4:重复: 「每周」须填每周几" in result.output  # the model's rule, in Chinese


def test_errors_in_english_name_the_field_and_the_known_ids(run, demo: Store, tmp_path: Path) -> None:
    path = unmasked_workbook(demo, tmp_path / "demo.xlsx")
    wb = openpyxl.load_workbook(path)
    _set(wb, "摊位", 3, "community_id", "dc")
    wb.save(path)
    result = run("--store", demo.root, "--lang", "en", "import", path)
    assert result.exit_code == 1
    assert "摊位!3:community_id: no community 'dc'; known: yulan 玉兰社区, dongcheng 东城花园社区" in result.output
    assert "errors found: 1; nothing was written" in result.output


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        (
            "zh",
            [
                "社区!3:社区名称: 社区名称「东城花园社区」已被本表记录 dongcheng 使用；要改那条记录，编号填 dongcheng",
                "网格!3:网格名称: 网格名称「第一大网格」在同一社区、同一上级网格下已被本表记录 dc-L1 使用；"
                "要改那条记录，编号填 dc-L1",
            ],
        ),
        (
            "en",
            [
                "社区!3:name: name '东城花园社区' is already used by record dongcheng of this sheet; to change that "
                "record, give the id dongcheng",
                "网格!3:name: name '第一大网格' (in one community under one parent grid) is already used by record "
                "dc-L1 of this sheet; to change that record, give the id dc-L1",
            ],
        ),
    ],
)
def test_a_name_already_taken_says_which_name_and_whose(
    run, demo: Store, tmp_path: Path, lang: str, said: list[str]
) -> None:
    """The template imported into the demo store said 网格!3:网格名称: 已被记录 dc-L1 使用: not what
    was taken (the grid's name, within its community and parent) nor how to mean that record."""
    path = tmp_path / "template.xlsx"
    assert run("--store", tmp_path / "s", "template", path).exit_code == 0
    wb = openpyxl.load_workbook(path)
    _set(wb, "社区", 3, "id", "dc-new")  # the demo's community's name under another id
    wb.save(path)
    result = run("--store", demo.root, "--lang", lang, "import", "--dry-run", path)
    assert result.exit_code == 1
    assert [line for line in result.output.splitlines() if "!" in line] == said


def test_a_stall_number_another_stall_of_its_market_has_is_refused(run, demo: Store, tmp_path: Path) -> None:
    """Stall yl-03 renumbered 4 in an export imported: 已导入，共写入 1 条, and 玉兰商业街 had two stalls
    number 4 (list stalls, the fee lines, a row matched by its market and number: which one?)."""
    path = unmasked_workbook(demo, tmp_path / "demo.xlsx")
    wb = openpyxl.load_workbook(path)
    row = {_value(wb, "摊位", r, "id"): r for r in range(3, wb["摊位"].max_row + 1)}
    number = _value(wb, "摊位", row["yl-04"], "number")
    _set(wb, "摊位", row["yl-03"], "number", number)
    wb.save(path)
    before = store_digest(demo.root)
    result = run("--store", demo.root, "import", path)
    assert result.exit_code == 1, result.output
    said = [line for line in result.output.splitlines() if "!" in line]
    assert said == [f"摊位!{row['yl-03']}:摊位号: 与第 {row['yl-04']} 行重复"]  # the row changed, not the one kept
    wb["摊位"].delete_rows(row["yl-04"])  # the stored yl-04 left out of the file keeps its number
    wb.save(path)
    result = run("--store", demo.root, "import", path)
    assert result.exit_code == 1, result.output
    assert [line for line in result.output.splitlines() if "!" in line] == [
        f"摊位!{row['yl-03']}:摊位号: 摊位号「{number}」在同一社区、同一市场已被本表记录 yl-04 使用；要改那条记录，编号填 yl-04"
    ]
    assert store_digest(demo.root) == before


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        (
            "zh",
            ["摊位!3:月摊位费(元): 金额不能为负：-5", "摊位!4:月摊位费(元): 金额过大：123456789.00（最多 100,000 元）"],
        ),
        (
            "en",
            [
                "摊位!3:monthly_fee_fen: a negative amount: -5",
                "摊位!4:monthly_fee_fen: amount too large: 123456789.00 (at most 100,000 yuan)",
            ],
        ),
    ],
)
def test_a_negative_or_too_large_fee_is_said_so_not_called_unreadable(
    run, demo: Store, tmp_path: Path, lang: str, said: list[str]
) -> None:
    """A fee of -5 and one of 123456789 were both 金额看不懂 (not an amount): each says what is wrong."""
    path = unmasked_workbook(demo, tmp_path / "demo.xlsx")
    wb = openpyxl.load_workbook(path)
    _set(wb, "摊位", 3, "monthly_fee_fen", "-5")
    _set(wb, "摊位", 4, "monthly_fee_fen", 123456789)  # a number cell, as a spreadsheet keeps it
    wb.save(path)
    result = run("--store", demo.root, "--lang", lang, "import", path)
    assert result.exit_code == 1
    for line in said:
        assert line in result.output, result.output
    assert "看不懂" not in result.output and "not an amount" not in result.output


# ---------------------------------------------------------------------------
# Upsert, missing rows, prune, dry run


def test_changed_row_updates_missing_row_is_reported_and_prune_deletes(demo: Store, tmp_path: Path) -> None:
    path = unmasked_workbook(demo, tmp_path / "demo.xlsx")
    planned = {p.household_id for p in demo.all_partitions(SHEET_BY_KEY["visit_plans"].model)}
    households = demo.all(Household)
    changed = households[0]
    gone = next(h for h in households[1:] if h.id not in planned)
    wb = openpyxl.load_workbook(path)
    _set(wb, "住户", _row_of(wb, "住户", changed.id), "room", "999")
    wb["住户"].delete_rows(_row_of(wb, "住户", gone.id))
    wb.save(path)
    tables = read_tables(path)
    clerk = Store(demo.root, actor="clerk")

    dry = import_tables(clerk, tables, dry_run=True, may_reveal=True)
    assert not dry.errors and not dry.written
    assert Store(demo.root).get(Household, changed.id).room == changed.room

    report = import_tables(clerk, tables, may_reveal=True)
    assert report.written and not report.errors
    result = next(r for r in report.sheets if r.spec.key == "households")
    assert (result.new, result.changed, result.pruned) == (0, 1, 0)
    assert result.missing == [gone.id]  # the id only: a household's name is personal data
    updated = Store(demo.root).get(Household, changed.id)
    assert updated.room == "999" and updated.updated_by == "clerk"
    # The change is in the household's own history, as a form's change would be.
    assert updated.history[:-1] == changed.history
    event = updated.history[-1]
    assert (event.action, event.actor, event.note) == ("edit", "clerk", "import")
    assert [(c.name, c.before, c.after) for c in event.changes] == [("room", changed.room, "999")]
    assert Store(demo.root).get(Household, gone.id) == gone  # not deleted silently
    assert report.changes == 1
    again = import_tables(clerk, tables, may_reveal=True)  # the same file again: nothing changes, no event added
    assert again.changes == 0 and Store(demo.root).get(Household, changed.id).history == updated.history

    pruned = import_tables(clerk, tables, prune=True, may_reveal=True)
    result = next(r for r in pruned.sheets if r.spec.key == "households")
    assert result.pruned == 1
    assert gone.id not in {h.id for h in Store(demo.root).all(Household)}


def test_a_column_the_clerk_added_is_named_as_ignored(demo: Store, tmp_path: Path) -> None:
    """A 备注 column added with its heading in row 1 and nothing in row 2 (a clerk does not know row
    2's keys) was dropped without a word: 新搬来 typed in it went nowhere. It is named like a column
    whose key is unknown, by its heading, and nothing is written."""
    path = unmasked_workbook(demo, tmp_path / "demo.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["住户"]
    extra = ws.max_column + 1
    ws.cell(row=1, column=extra, value="备注")
    ws.cell(row=3, column=extra, value="新搬来")
    ws.cell(row=1, column=extra + 1, value="走访员")
    ws.cell(row=2, column=extra + 1, value="visitor")
    wb.save(path)
    before = store_digest(demo.root)
    report = import_tables(Store(demo.root, actor="clerk"), read_tables(path), may_reveal=True)
    assert not report.errors and report.changes == 0
    assert report.notes == ["住户：未识别的列已忽略：备注、visitor"]
    assert store_digest(demo.root) == before
    # An untouched export names nothing.
    assert import_tables(Store(demo.root), read_tables(unmasked_workbook(demo, tmp_path / "b.xlsx"))).notes == []


def test_a_renamed_sheet_is_known_by_its_headers(demo: Store, tmp_path: Path) -> None:
    """住户 renamed 住户表 (or Excel's Sheet1): its rows were dropped with a note and the import
    said 已导入：没有变化, the clerk's edits gone. It is read by its headers, and said so."""
    path = unmasked_workbook(demo, tmp_path / "demo.xlsx")
    household = demo.all(Household)[0]
    wb = openpyxl.load_workbook(path)
    _set(wb, "住户", _row_of(wb, "住户", household.id), "room", "999")
    wb["住户"].title = "住户表"
    wb["摊位"].title = "Sheet1"
    wb.save(path)
    report = import_tables(Store(demo.root, actor="clerk"), read_tables(path))
    assert not report.errors and report.written
    assert report.notes == [
        "工作表「住户表」按表头当作「住户」表读入",
        "工作表「Sheet1」按表头当作「摊位」表读入",
    ]
    assert Store(demo.root).get(Household, household.id).room == "999"


def test_two_sheets_of_one_table_are_refused(demo: Store, tmp_path: Path) -> None:
    """A copy of 住户 (Excel names it 住户 (2)) beside the original: which one is meant cannot be told."""
    path = unmasked_workbook(demo, tmp_path / "demo.xlsx")
    wb = openpyxl.load_workbook(path)
    wb.copy_worksheet(wb["住户"]).title = "住户 (2)"
    wb.save(path)
    before = store_digest(demo.root)
    report = import_tables(Store(demo.root, actor="clerk"), read_tables(path), lang="en")
    assert report.errors == ["sheets '住户 (2)' and '住户' are both the 住户 sheet: keep one"]
    assert not report.written and store_digest(demo.root) == before


def test_headers_below_a_title_or_under_a_merged_heading_are_found(demo: Store, tmp_path: Path) -> None:
    """A clerk puts a merged title row above the headers, and merges a heading down over its key
    cell: every column was said missing (住户!1:所属网格: 缺少这一列 …), or 楼栋 was. The headers are
    found in the first rows, a blank key cell is its heading's column, and rows keep their numbers."""
    path = unmasked_workbook(demo, tmp_path / "demo.xlsx")
    household = demo.all(Household)[0]
    wb = openpyxl.load_workbook(path)
    row = _row_of(wb, "住户", household.id)
    _set(wb, "住户", row, "room", "999")
    ws = wb["住户"]
    ws.insert_rows(1)
    ws["A1"] = "东城花园社区住户底册（2026年11月）"
    ws.merge_cells("A1:J1")
    ws.merge_cells("C2:C3")  # 楼栋 over its key cell
    wb.save(path)
    report = import_tables(Store(demo.root, actor="clerk"), read_tables(path), may_reveal=True)
    assert not report.errors and not report.notes and report.changes == 1
    assert Store(demo.root).get(Household, household.id).room == "999"
    wb = openpyxl.load_workbook(path)
    wb["住户"].cell(row=row + 1, column=6).value = "很" * 30
    wb.save(path)
    report = import_tables(Store(demo.root, actor="clerk"), read_tables(path), may_reveal=True)
    assert report.errors == [f"住户!{row + 1}:户主: 太长了：最多 20 个字"]


def test_a_shift_that_has_begun_keeps_its_people_through_an_import(demo: Store, tmp_path: Path) -> None:
    """The 值班表 sheet rewrote who had been on duty yesterday (or is on duty now), as 排班 did:
    refused at the row; a shift not yet begun changes as before."""
    path = unmasked_workbook(demo, tmp_path / "demo.xlsx")
    wb = openpyxl.load_workbook(path)
    _set(wb, "值班表", _row_of(wb, "值班表", "duty-20261127"), "leader", "郭红梅")
    wb.save(path)
    before = store_digest(demo.root)
    report = import_tables(Store(demo.root, actor="clerk"), read_tables(path), may_reveal=True)
    assert len(report.errors) == 1 and report.errors[0].startswith("值班表!")
    assert "班次 2026-11-27 08:00 – 11-28 08:00 已开始，不能重新排班" in report.errors[0]
    assert store_digest(demo.root) == before
    wb = openpyxl.load_workbook(unmasked_workbook(demo, tmp_path / "again.xlsx"))
    tomorrow = next(r for r in range(3, wb["值班表"].max_row + 1) if wb["值班表"].cell(r, 2).value == "2026-11-29")
    _set(wb, "值班表", tomorrow, "leader", "张明")  # its leader had a phone on record: it goes with him
    wb.save(tmp_path / "again.xlsx")
    report = import_tables(Store(demo.root, actor="clerk"), read_tables(tmp_path / "again.xlsx"), may_reveal=True)
    assert not report.errors and report.changes == 1
    shift = find_shift(Store(demo.root), "duty-20261129")
    assert shift.leader == "张明" and "郭红梅" not in shift.phones and set(shift.phones) <= {"张明", *shift.staff}


def test_prune_refuses_to_leave_a_plan_without_its_household(demo: Store, tmp_path: Path) -> None:
    path = unmasked_workbook(demo, tmp_path / "demo.xlsx")
    plan = demo.all_partitions(SHEET_BY_KEY["visit_plans"].model)[0]
    wb = openpyxl.load_workbook(path)
    wb["住户"].delete_rows(_row_of(wb, "住户", plan.household_id))
    wb.save(path)
    before = store_digest(demo.root)
    report = import_tables(demo, read_tables(path), prune=True)
    assert not report.written
    assert any(plan.id in e and plan.household_id in e for e in report.errors)
    assert store_digest(demo.root) == before


def test_rows_without_ids_match_by_natural_key(demo: Store, tmp_path: Path) -> None:
    """A clerk's own sheet: no id column values, communities and grids by name and path."""
    tables = {
        "社区": [
            ["编号", "社区名称", "乡镇"],
            ["id", "name", "township"],
            ["", "东城花园社区", "孟轲乡"],
            ["", "新华社区", "孟轲乡"],
        ],
        "网格": [
            ["编号", "所属社区", "网格层级", "网格名称", "上级网格"],
            ["id", "community_id", "level", "name", "parent_id"],
            ["", "新华社区", "微网格", "1号楼", "新华社区/第一大网格"],
            ["", "新华社区", "大网格", "第一大网格", ""],
        ],
    }
    report = import_tables(demo, tables)
    assert not report.errors, report.errors
    communities = next(r for r in report.sheets if r.spec.key == "communities")
    assert (communities.new, communities.unchanged) == (1, 1)
    grids = {g.name: g for g in demo.all(SHEET_BY_KEY["grids"].model) if g.community_id.startswith("c-")}
    assert grids["1号楼"].parent_id == grids["第一大网格"].id
    again = import_tables(demo, tables)
    assert again.changes == 0


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        (
            "zh",
            [
                "网格员!4:手机: 与第 3 行是同一条记录（手机相同）",
                "住户!4:所属网格: 与第 3 行是同一条记录（所属网格、楼栋、单元、门牌相同）",
            ],
        ),
        (
            "en",
            [
                "网格员!4:phone: the same record as row 3 (the same phone)",
                "住户!4:grid_id: the same record as row 3 (the same grid_id, building, unit, room)",
            ],
        ),
    ],
)
def test_a_row_typed_twice_without_an_id_is_said_by_its_cells(demo: Store, lang: str, said: list[str]) -> None:
    """Two rows, id blank, with one natural key (a household copied down, a new worker given a
    colleague's phone) were told 编号 h-ef0a26503b 重复: an id the clerk never typed nor sees."""
    worker = ["", "新人", "网格员", "13900000001", "dc-M01"]
    home = ["", "dc-M01", "9", "9", "909", "新户", "", "", 1, "否"]
    tables = {
        "网格员": [["编号"], ["id", "name", "role", "phone", "grid_id"], worker, [*worker[:1], "又一人", *worker[2:]]],
        "住户": [
            ["编号"],
            ["id", "grid_id", "building", "unit", "room", "head_name", "phone", "tags", "members", "elderly"],
            home,
            list(home),
        ],
    }
    report = import_tables(demo, tables, lang=lang)  # type: ignore[arg-type]
    assert report.errors == said and not report.written


# -- one household an address (the store's rule, said with the rows: tests/test_one_address.py) ----


HOUSEHOLD_KEYS = ["id", "grid_id", "building", "unit", "room", "head_name", "phone", "tags", "members", "elderly"]


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        (
            "zh",
            "住户!{b}:门牌: 与 住户!{a}:门牌 是同一地址 {address}（所属网格、楼栋、单元、门牌相同）：一个地址只登记一户；"
            "同一户只留一行（编号填那户的），不同的两户请改正门牌",
        ),
        (
            "en",
            "住户!{b}:room: the same address {address} as 住户!{a}:room (the same grid, building, unit and room): "
            "one household per address; keep one row for one household (with its id), or correct the room of the other",
        ),
    ],
)
def test_two_rows_at_one_address_are_refused_naming_both_and_nothing_is_written(
    run, demo: Store, tmp_path: Path, lang: str, said: str
) -> None:
    """Two households of one grid, the second given the first's address as a clerk might type it
    (spaces, full-width digits, the room's 0): both were imported, two households at one door."""
    path = unmasked_workbook(demo, tmp_path / "demo.xlsx")
    wb = openpyxl.load_workbook(path)
    a = 3
    b = next(r for r in range(4, 40) if _value(wb, "住户", r, "grid_id") == _value(wb, "住户", a, "grid_id"))
    building, unit, room = (str(_value(wb, "住户", a, key)) for key in ("building", "unit", "room"))
    _set(wb, "住户", b, "building", f" {building} ")
    _set(wb, "住户", b, "unit", unit.translate(str.maketrans("0123456789", "０１２３４５６７８９")))
    _set(wb, "住户", b, "room", f"0{room}")
    wb.save(path)
    before = store_digest(demo.root)
    result = run("--store", demo.root, "--lang", lang, "import", path)
    assert result.exit_code == 1
    address = f"{building}-{unit}-{room}"
    assert [line for line in result.output.splitlines() if "!" in line] == [said.format(a=a, b=b, address=address)]
    assert store_digest(demo.root) == before


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        (
            "zh",
            "住户!3:门牌: 东城花园社区 1号楼1单元（dc-M01）的 1-1-101 已登记为住户 h1（户主 张**）："
            "一个地址只登记一户；要改那户，编号填 h1",
        ),
        (
            "en",
            "住户!3:room: 1-1-101 in 东城花园社区 1号楼1单元 (dc-M01) is already household h1 (head 张**): "
            "one household per address; to change that household, give the id h1",
        ),
    ],
)
def test_a_new_row_at_a_stored_households_address_names_that_household(
    small_store: Store, lang: str, said: str
) -> None:
    """A row without an id, its room typed 0101: no household matched it, so a new one was added
    beside h1. The line says whose the address is and how to change that household instead."""
    new = ["", "dc-M01", "1", "1", "0101", "李四", "", "", 1, "否"]
    report = import_tables(small_store, {"住户": [["编号"], HOUSEHOLD_KEYS, new]}, lang=lang)  # type: ignore[arg-type]
    assert report.errors == [said] and not report.written
    with_id = ["h1", *new[1:]]  # as the line says: the id, and h1 is changed
    assert import_tables(small_store, {"住户": [["编号"], HOUSEHOLD_KEYS, with_id]}).written
    assert small_store.get(Household, "h1").room == "0101"


def test_rooms_swapped_between_two_rows_and_a_moved_households_address_taken_again_import(
    small_store: Store,
) -> None:
    def row(household_id: str, room: str) -> list[object]:
        return [household_id, "dc-M01", "1", "1", room, "张建国", "13512345678", "", 1, "是"]

    report = import_tables(small_store, {"住户": [["编号"], HOUSEHOLD_KEYS, row("h1", "102"), row("h2", "101")]})
    assert not report.errors and report.written
    report = import_tables(small_store, {"住户": [["编号"], HOUSEHOLD_KEYS, row("h3", "109"), row("h9", "103")]})
    assert not report.errors and report.written  # h3 left 1-1-103 in the same file that gives it to h9
    assert [small_store.get(Household, i).room for i in ("h1", "h2", "h3", "h9")] == ["102", "101", "109", "103"]


def test_a_store_with_two_households_at_one_address_exports_and_imports_as_a_no_op(
    run, demo: Store, tmp_path: Path
) -> None:
    """Written before the rule: the register as it is goes out and back in unchanged, not refused
    (check names the two; tests/test_one_address.py)."""
    path = demo.path_for(Household, "dc-M01")
    data = json.loads(path.read_text(encoding="utf-8"))
    first = next(iter(data["records"].values()))
    data["records"]["9999"] = {**first, "id": "h-twin"}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    exported = unmasked_workbook(demo, tmp_path / "demo.xlsx")
    before = store_digest(demo.root)
    result = run("--store", demo.root, "import", exported, reveal=True)
    assert result.exit_code == 0, result.output
    assert store_digest(demo.root) == before


@pytest.mark.parametrize(
    ("sheet", "key", "raw", "value"),
    [
        # A phone as a clerk types it: spaced or hyphenated, with +86, full-width, a landline's area
        # code in brackets or set off by a space; each was 电话格式不对 though the digits were right.
        ("workers", "phone", "138 0393 1234", "13803931234"),
        ("workers", "phone", "138-0393-1234", "13803931234"),
        ("workers", "phone", "+86 138 0393 1234", "13803931234"),
        ("workers", "phone", "１３８　０３９３　１２３４", "13803931234"),
        ("households", "phone", "(0393)1234567", "0393-1234567"),
        ("households", "phone", "（0393）1234567", "0393-1234567"),
        ("households", "phone", "0393 1234567", "0393-1234567"),
        ("households", "phone", "010 12345678", "010-12345678"),
        ("households", "phone", "03931234567", "03931234567"),  # no separator: not split by guess
        ("households", "phone", "410521198503151234", "410521198503151234"),  # an ID number: the model refuses it
        ("stalls", "holder_phone", "138 0393 1234", "13803931234"),
        # A phone the spreadsheet took for a number, saved to CSV or typed as text with its point:
        # a whole number is that number (13812345678.0 was 电话格式不对).
        ("workers", "phone", "13812345678.0", "13812345678"),
        ("workers", "phone", 13812345678.0, "13812345678"),
        ("households", "phone", "１３８１２３４５６７８．０", "13812345678"),
        ("stalls", "holder_phone", "13812345678.00", "13812345678"),
        ("households", "members", "3.0", 3),  # a count too
        # A day written as many an office writes it, as text or as a number.
        ("stalls", "held_since", "20220701", date(2022, 7, 1)),
        ("stalls", "held_since", 20220701, date(2022, 7, 1)),
        # A fee a formula made (=150*0.7 is kept as 104.99999999999999), one with thousands grouped.
        ("stalls", "monthly_fee_fen", 150 * 0.7, 10500),
        ("stalls", "monthly_fee_fen", 0.1 + 0.2, 30),
        ("stalls", "monthly_fee_fen", "1,200.50", 120050),
        ("stalls", "monthly_fee_fen", "¥1,200", 120000),
    ],
)
def test_cells_as_a_clerk_types_them_are_read(sheet: str, key: str, raw: object, value: object) -> None:
    assert from_cell(SHEET_BY_KEY[sheet].column(key), raw) == value


@pytest.mark.parametrize(
    ("raw", "reason", "shown"),
    [
        ("20221301", "sheet.no_such_day", "20221301"),
        (75.555, "sheet.not_amount", "75.555"),  # a part of a fen is no amount
        ("12,00", "sheet.not_amount", "12,00"),  # not thousands
        (1e300, "sheet.amount_too_large", "1e+300"),  # said short, not in 301 digits
        (-1e300, "sheet.amount_negative", "-1e+300"),
        (1e308, "sheet.amount_too_large", "1e+308"),  # (×100 is infinity)
    ],
)
def test_cells_that_are_no_value_are_said_so(raw: object, reason: str, shown: str) -> None:
    column = SHEET_BY_KEY["stalls"].column("held_since" if reason == "sheet.no_such_day" else "monthly_fee_fen")
    with pytest.raises(CellError) as info:
        from_cell(column, raw)
    assert (info.value.key, info.value.params["v"]) == (reason, shown)


def test_a_phone_with_a_fraction_is_refused_at_its_row(run, demo: Store, tmp_path: Path) -> None:
    """A phone saved as 13812345678.0 in a CSV is read as 13812345678; one with a real fraction
    (13812345678.5: a formula's, or a slip) is no phone: refused at its row and column, in words,
    nothing written."""
    folder = tmp_path / "csv"
    write_csv_dir(folder, export_sheets(demo, [SHEET_BY_KEY["workers"]], masked=False))
    path = folder / "网格员.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    column = rows[1].index("phone")
    rows[2][column] += ".0"
    rows[3][column] += ".5"
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8-sig")
    before = store_digest(demo.root)
    result = run("--store", demo.root, "import", folder, reveal=True)
    assert result.exit_code == 1 and store_digest(demo.root) == before
    refusals = [line for line in result.output.splitlines() if "!" in line]
    assert refusals == ["网格员!4:手机: 电话格式不对：手机 11 位（1 开头），座机带区号如 0393-1234567"], result.output
    rows[3][column] = rows[3][column].removesuffix(".5")
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8-sig")
    result = run("--store", demo.root, "import", folder, reveal=True)
    assert result.exit_code == 0 and store_digest(demo.root) == before, result.output


def test_a_spaced_phone_is_the_stored_one(demo: Store, tmp_path: Path) -> None:
    """A worker's phone retyped 138 0393 1234 in an export is the stored 13803931234: unchanged,
    not refused, and not a second worker."""
    path = unmasked_workbook(demo, tmp_path / "demo.xlsx")
    wb = openpyxl.load_workbook(path)
    phone = str(_value(wb, "网格员", 3, "phone"))
    _set(wb, "网格员", 3, "phone", f"{phone[:3]} {phone[3:7]} {phone[7:]}")
    _set(wb, "网格员", 3, "id", None)
    wb.save(path)
    before = store_digest(demo.root)
    report = import_tables(demo, read_tables(path), may_reveal=True)
    assert not report.errors and report.changes == 0
    assert store_digest(demo.root) == before


# ---------------------------------------------------------------------------
# CSV


def test_csv_round_trip_with_a_gb18030_file(run, demo: Store, tmp_path: Path) -> None:
    folder = tmp_path / "csv"
    result = run("--store", demo.root, "export", folder, reveal=True)
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in folder.glob("*.csv"))
    assert files == sorted(f"{s.name}.csv" for s in SHEETS)
    assert (folder / "住户.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: Excel shows the Chinese
    # The office re-saves one file from a Chinese Windows Excel: GB18030, no BOM.
    text = (folder / "住户.csv").read_bytes().decode("utf-8-sig")
    (folder / "住户.csv").write_bytes(text.encode("gb18030"))
    with pytest.raises(UnicodeDecodeError):
        (folder / "住户.csv").read_bytes().decode("utf-8")

    target = tmp_path / "from-csv"
    result = run("--store", target, "import", folder)
    assert result.exit_code == 0, result.output
    for spec in SHEETS:
        assert sheet_rows(Store(target), spec.key) == sheet_rows(demo, spec.key), spec.name
    before = store_digest(target)
    assert run("--store", target, "import", folder, reveal=True).exit_code == 0
    assert store_digest(target) == before


def test_unreadable_file_is_one_line(run, tmp_path: Path) -> None:
    (tmp_path / "bad.xlsx").write_text("not a workbook")
    result = run("--store", tmp_path / "s", "import", tmp_path / "bad.xlsx")
    assert result.exit_code == 1
    assert "Traceback" not in result.output and "bad.xlsx" in result.output
    assert not (tmp_path / "s" / "manifest.json").exists()


def test_a_file_that_cannot_be_read_or_written_is_said_in_the_interface_language(
    run, demo: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A damaged workbook, a missing file, a folder without CSV files and an export the disk
    refuses were said in English ("no such file", "not a readable .xlsx workbook (invalid Zip
    archive: …)") to a Chinese desk, and the refused export then printed a Python traceback for
    each unsaved sheet; now one line in the desk's language, exit 1, nothing written."""
    leftovers: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", leftovers.append)
    (tmp_path / "bad.xlsx").write_bytes(b"PK\x03\x04 cut short")
    (tmp_path / "empty").mkdir()
    (tmp_path / "a-file").write_text("x")
    cases = {
        ("import", tmp_path / "bad.xlsx"): ("不是能读的 .xlsx 工作簿", "not a readable .xlsx workbook"),
        ("import", tmp_path / "missing.xlsx"): ("没有这个文件", "no such file"),
        ("import", tmp_path / "empty"): ("没有 .csv 文件", "no .csv files"),
        ("export", tmp_path / "a-file" / "out.xlsx"): ("不是文件夹", "not a folder"),
    }
    for (command, path), (chinese, english) in cases.items():
        result = run("--store", demo.root, command, path)
        assert result.exit_code == 1, result.output
        assert result.output.count("\n") == 1 and chinese in result.output and str(path) in result.output
        assert not any(word in result.output for word in ("no such", "not a", "Zip", "EOCD", "Errno"))
        english_result = run("--store", demo.root, "--lang", "en", command, path)
        assert english_result.exit_code == 1 and english in english_result.output
    gc.collect()
    assert leftovers == []  # "Exception ignored in: <generator object WriteOnlyWorksheet._write_rows …>"


def test_read_only_refuses_import(run, demo: Store, tmp_path: Path) -> None:
    path = unmasked_workbook(demo, tmp_path / "demo.xlsx")
    result = run("--store", demo.root, "--read-only", "import", path)
    # said as every other write a viewer asks for (it was 只读模式：不能导入, a shape of its own)
    assert (result.exit_code, result.output) == (1, f"duty-room: {StoreReadOnlyError(demo.root).message('zh')}\n")


# ---------------------------------------------------------------------------
# list and check


def test_list_and_unknown_ids(run, demo: Store) -> None:
    result = run("--store", demo.root, "list", "communities")
    assert result.exit_code == 0
    assert "dongcheng  东城花园社区  孟轲乡" in result.output
    listed = json.loads(run("--store", demo.root, "list", "workers", "--community", "东城花园社区", "--json").output)
    assert listed and all("****" in w["phone"] for w in listed)
    grids = json.loads(run("--store", demo.root, "list", "grids", "--community", "dongcheng", "--json").output)
    assert grids[0]["depth"] == 0 and all(g["community_id"] == "dongcheng" for g in grids)
    stalls = run("--store", demo.root, "list", "stalls", "--json")
    assert len(json.loads(stalls.output)) == len(demo.all(Stall))
    result = run("--store", demo.root, "--lang", "en", "list", "workers", "--community", "dc")
    assert result.exit_code == 1
    assert "no community 'dc'; known: yulan 玉兰社区, dongcheng 东城花园社区" in result.output


def test_check_warns_when_the_calendar_runs_out(run, demo: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    from store.deadlines import OFFICIAL_YEARS

    last = max(OFFICIAL_YEARS)
    clock.freeze(f"{last}-12-01T09:00:00+08:00")
    result = run("--store", demo.root, "check")
    assert result.exit_code == 0
    assert f"{last + 1}" in result.output and "警告" in result.output
    clock.freeze(f"{last}-06-01T09:00:00+08:00")
    result = run("--store", demo.root, "check")
    assert result.exit_code == 0 and "警告" not in result.output


def test_petition_intake_names_the_known_ids(run, demo: Store) -> None:
    result = run(
        "--store",
        demo.root,
        "--lang",
        "en",
        "petition",
        "add",
        "--title",
        "漏水",
        "--category",
        "gas",
        "--community",
        "dc",
    )
    assert result.exit_code == 1
    assert "no community 'dc'; known: yulan 玉兰社区, dongcheng 东城花园社区" in result.output


def test_template_as_csv_folder_imports(run, tmp_path: Path) -> None:
    folder = tmp_path / "template-csv"
    assert run("--store", tmp_path / "s", "template", folder).exit_code == 0
    assert sorted(p.stem for p in folder.glob("*.csv")) == sorted(s.name for s in SHEETS)
    result = run("--store", tmp_path / "s", "--lang", "en", "import", folder, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "all rows valid (--dry-run: nothing written)" in result.output
    assert not (tmp_path / "s" / "manifest.json").exists()


def test_a_line_of_several_bad_fields_is_punctuated_in_its_language() -> None:
    """Every bad field of a record in one line: 「；」 between them in Chinese (it was "; "), "; " in English."""
    from pydantic import ValidationError

    from duty_room.exits import error_line

    with pytest.raises(ValidationError) as info:
        Stall.model_validate({"id": "s1", "market": "", "community_id": "yulan", "number": 0, "monthly_fee_fen": -1})
    zh, en = error_line(info.value, "zh"), error_line(info.value, "en")
    assert zh.count("；") == 2 and "; " not in zh
    assert en.count("; ") == 2


def test_a_fee_or_reduction_changed_by_an_import_counts_from_this_month_and_the_history_survives_the_sheet(
    run, demo: Store, tmp_path: Path, system_config: Path
) -> None:
    """玉01, held since 2022-07 at 120 and paid every month, raised to 150 on the 摊位 sheet: its
    arrears went from ¥0 to ¥1,560 (52 months × 30) and 退摊 was refused. The new fee counts from
    the month of the import; a reduction granted the same way leaves the months before at the full
    fee, at the percentages of the system config; export and import again keep the history."""
    from store.market import stall_roster

    today = date(2026, 11, 28)

    def views() -> dict[str, Any]:
        return {v.stall.id: v for v in stall_roster(demo, today)[0]}

    raised = demo.get(Stall, "yl-01")
    assert (raised.monthly_fee_fen, raised.held_since, raised.rates) == (12000, date(2022, 7, 1), [])
    granted = next(
        v.stall
        for v in views().values()
        if v.stall.holder_name and v.stall.reduction.value == "none" and v.stall.held_since and v.arrears_fen
    )
    before = views()
    assert before["yl-01"].arrears_fen == 0

    path = unmasked_workbook(demo, tmp_path / "stalls.xlsx")
    wb = openpyxl.load_workbook(path)
    _set(wb, "摊位", _row_of(wb, "摊位", "yl-01"), "monthly_fee_fen", "150")
    _set(wb, "摊位", _row_of(wb, "摊位", granted.id), "reduction", "残疾人减免")
    wb.save(path)
    system_config.write_text("reveal_users = []\n[fees.reduction_percent]\ndisabled = 60\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--store", str(demo.root), "import", str(path)])
    assert result.exit_code == 0, result.output

    after = views()
    assert (after["yl-01"].arrears_fen, after["yl-01"].due_fen) == (0, 15000)  # was ¥1,560
    assert [(r.from_month, r.monthly_fee_fen) for r in demo.get(Stall, "yl-01").rates] == [
        ("2022-07", 12000),
        ("2026-11", 15000),
    ]
    assert after[granted.id].arrears_fen == before[granted.id].arrears_fen  # its past months at the full fee
    assert demo.get(Stall, granted.id).rates[-1].due_fen == (granted.monthly_fee_fen * 40 + 50) // 100

    stored = store_digest(demo.root)
    for masked in (False, True):  # export → import changes nothing: the history is kept
        again = tmp_path / f"again-{masked}.xlsx"
        write_xlsx(again, export_sheets(demo, [SHEET_BY_KEY["stalls"]], masked=masked))
        assert import_tables(demo, read_tables(again), may_reveal=not masked).changes == 0
    assert store_digest(demo.root) == stored
    wb = openpyxl.load_workbook(again)
    _set(wb, "摊位", _row_of(wb, "摊位", "yl-01"), "goods", "煎饼")  # another field: the rates stay
    wb.save(again)
    assert import_tables(demo, read_tables(again)).changes == 1
    assert len(demo.get(Stall, "yl-01").rates) == 2 and demo.get(Stall, "yl-01").goods == "煎饼"


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("zh", ["住户!3:编号: 编号只能用字母、数字和 - _ . :", "社区!4:编号: 编号只能用字母、数字和 - _ . :"]),
        ("en", ["住户!3:id: an id is letters, digits and - _ . : only", "社区!4:id: an id is letters"]),
    ],
)
def test_an_id_typed_with_a_space_is_said_at_its_cell_in_words(
    demo: Store, tmp_path: Path, lang: str, said: list[str]
) -> None:
    """An id with a space (or in Chinese) was refused in pydantic's English ("String should match
    pattern '^[A-Za-z0-9]…'"), and on a masked sheet blamed on the row's masked name instead."""
    path = tmp_path / "masked.xlsx"
    write_xlsx(path, export_sheets(demo, SHEETS, masked=True))
    wb = openpyxl.load_workbook(path)
    _set(wb, "住户", 3, "id", "h " + str(_value(wb, "住户", 3, "id")))
    _set(wb, "社区", 4, "id", "东城")
    wb.save(path)
    before = store_digest(demo.root)
    report = import_tables(Store(demo.root, actor="clerk"), read_tables(path), lang=lang)  # type: ignore[arg-type]
    assert len(report.errors) == 2, report.errors
    for line, start in zip(sorted(report.errors, key=lambda e: not e.startswith("住户")), said, strict=True):
        assert line.startswith(start), line
    assert "pattern" not in "".join(report.errors)
    assert store_digest(demo.root) == before


def test_the_duty_sheet_keeps_one_shift_a_day_with_its_day_and_paiban_people(demo: Store, tmp_path: Path) -> None:
    """The 值班表 sheet took a row that moved the shift on duty to tomorrow (the header said 今日未排班
    and tomorrow had two shifts; check said ok), a second shift on a day under a new id, three 值班员
    and the leader again as a 值班员, all of which 排班 refuses. Each is said at its cell; nothing written."""
    path = unmasked_workbook(demo, tmp_path / "demo.xlsx")
    wb = openpyxl.load_workbook(path)
    today, tomorrow = _row_of(wb, "值班表", "duty-20261128"), _row_of(wb, "值班表", "duty-20261129")
    later = _row_of(wb, "值班表", "duty-20261201")
    _set(wb, "值班表", today, "day", "2026-11-29")
    _set(wb, "值班表", tomorrow, "staff", "张海涛、赵雪梅、周静")
    _set(wb, "值班表", later, "staff", f"{_value(wb, '值班表', later, 'leader')}、刘晓宇")
    wb["值班表"].append(["duty-extra", "2026-11-30", "李建国", "周静"])
    extra = wb["值班表"].max_row
    wb.save(path)
    before = store_digest(demo.root)
    report = import_tables(Store(demo.root, actor="clerk"), read_tables(path))
    said = "\n".join(report.errors)
    assert f"值班表!{today}:日期: 班次 duty-20261128 是 2026-11-28 的班，日期不能改" in said
    assert f"值班表!{tomorrow}:值班人员: 每班值班员一至二人（现为 3 人）" in said
    assert f"值班表!{later}:值班人员: 同一人不能在一个班次里出现两次" in said
    assert f"值班表!{extra}:日期: 与第 {_row_of(wb, '值班表', 'duty-20261130')} 行重复" in said
    assert len(report.errors) == 4, said
    assert store_digest(demo.root) == before
    # The store keeps a shift's day whatever rewrites it in its month's file.
    shift = find_shift(demo, "duty-20261130")
    with (
        pytest.raises(ValueError, match="duty-20261130: its id names another day than 2026-11-20"),
        demo.transaction() as tx,
    ):
        tx.put(shift.model_copy(update={"day": date(2026, 11, 20)}))
    assert store_digest(demo.root) == before


def _file_size_limit(limit: int) -> Callable[[], None]:
    def limited() -> None:  # (in the child: a file grown past ``limit`` bytes fails with EFBIG, as a full disk would)
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return limited


@pytest.mark.parametrize("formula", ["=60+2", "=SUM(1,2)"])
def test_a_formula_no_spreadsheet_worked_out_is_refused_not_read_as_blank(
    run, demo: Store, tmp_path: Path, formula: str
) -> None:
    """A workbook a script wrote (openpyxl saves a formula with no result) read each formula cell
    as empty: 老年人占比% =60+2 imported as no share at all, 已导入. The file is refused, saying to
    open and save it in a spreadsheet first; a result saved with the formula is read as before."""
    path = unmasked_workbook(demo, tmp_path / "demo.xlsx")
    wb = openpyxl.load_workbook(path)
    _set(wb, "社区", 3, "elderly_share_percent", formula)
    wb.save(path)
    before = store_digest(demo.root)
    result = run("--store", demo.root, "import", path)
    assert result.exit_code == 1, result.output
    assert result.output.strip() == (
        f"duty-room: {path}：有公式但文件里无计算结果（由程序生成，从未在表格软件里打开存盘）；请用 Excel 或 WPS 打开、存盘后再导入"
    )
    assert store_digest(demo.root) == before


def test_a_formula_whose_result_was_saved_is_read_as_its_result() -> None:
    saved = b'<row r="3"><c r="D3"><f>60+2</f><v>62</v></c><c r="E3" t="str"><f>""</f><v></v></c></row>'
    unsaved = [b'<c r="D3"><f>60+2</f><v /></c>', b'<c r="D3"><f>60+2</f></c>', b'<c r="D4"><f t="shared" si="0"/></c>']
    assert not _UNSAVED_FORMULA.search(saved)
    assert all(_UNSAVED_FORMULA.search(cell) for cell in unsaved)
    # calamine reads a file from the import folder by its content (an .xls named .xlsx): not a zip,
    # it holds no such cells, and the look for them raises nothing
    assert _formula_without_value(io.BytesIO(b"\xd0\xcf\x11\xe0 an OLE file, not a zip")) is False


def test_a_csv_export_the_disk_cannot_hold_leaves_each_last_file_whole(demo: Store, tmp_path: Path) -> None:
    """A folder of CSV files was written straight into each file: a full disk half-way left the
    住户 sheet cut short over its last good export. Each file is written whole or not at all."""
    folder = tmp_path / "底册"
    write_csv_dir(folder, export_sheets(demo, [SHEET_BY_KEY["households"]], masked=True))
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert max(len(data) for data in before.values()) > 3000
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "none"), "DUTY_ROOM_CONFIG": str(tmp_path / "none.toml")}
    done = subprocess.run(
        frozen_command("--store", str(demo.root), "export", str(folder), "--tables", "住户"),
        capture_output=True,
        text=True,
        env=env,
        preexec_fn=_file_size_limit(3000),
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().endswith("：读写错误（EFBIG）") and "Traceback" not in done.stderr
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before  # no temp file left either


def test_a_csv_export_the_disk_cannot_hold_writes_none_of_its_files(demo: Store, tmp_path: Path) -> None:
    """Each CSV file was renamed into place as soon as it was written: a full disk at 住户 left
    社区.csv of this export beside 住户.csv of the last one, a folder an import reads as one export
    (and a new folder made for it stayed behind, with what fitted). Exit 2 now writes none of them."""
    folder = tmp_path / "底册"
    write_csv_dir(folder, export_sheets(demo, [SHEET_BY_KEY["communities"], SHEET_BY_KEY["households"]], masked=True))
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    community = demo.all(Community)[0]
    demo.put(community.model_copy(update={"name": community.name + "（新）"}))  # this export's 社区.csv differs
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "none"), "DUTY_ROOM_CONFIG": str(tmp_path / "none.toml")}
    for target in (folder, tmp_path / "新底册"):
        done = subprocess.run(
            frozen_command("--store", str(demo.root), "export", str(target), "--tables", "社区,住户"),
            capture_output=True,
            text=True,
            env=env,
            preexec_fn=_file_size_limit(3000),  # 社区.csv fits, 住户.csv does not
            timeout=60,
        )
        assert done.returncode == 2, done.stderr
        assert done.stderr.strip().endswith("住户.csv：读写错误（EFBIG）"), done.stderr
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before  # no temp file left either
    assert not (tmp_path / "新底册").exists()


def test_an_export_the_disk_cannot_hold_leaves_the_last_one_and_no_traceback(demo: Store, tmp_path: Path) -> None:
    """Saved straight into the file, an export cut short by a full disk left 5,000 bytes of workbook
    over the last good export, and printed ZipFile's traceback (and `?：读写错误`, exit 2). Now the
    workbook is written whole or not at all: one line naming the file, the old file as it was."""
    kept = tmp_path / "底册.xlsx"
    write_xlsx(kept, export_sheets(demo, SHEETS, masked=True))
    before = kept.read_bytes()
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "none"), "DUTY_ROOM_CONFIG": str(tmp_path / "none.toml")}
    # Each sheet's own part (under 5,000 bytes) is written; the workbook (about 7,000) is not.
    done = subprocess.run(
        frozen_command("--store", str(demo.root), "export", str(kept), "--tables", "社区,值班表"),
        capture_output=True,
        text=True,
        env=env,
        preexec_fn=_file_size_limit(5000),
        timeout=60,
    )
    assert done.returncode == 2, done.stderr  # the machine failed, not the path typed (README: Exit codes)
    assert done.stderr.strip() == f"duty-room: {kept}：读写错误（EFBIG）"
    assert kept.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no temp file left


@pytest.mark.parametrize(
    ("key", "value", "said"),
    [
        ("end", "06:00", "结束: 结束时间须晚于开始时间"),
        ("ends_on", "2020-01-01", "结束日期: 结束日期早于开始日期"),
    ],
)
def test_a_schedules_rule_is_said_at_the_column_it_is_about(
    demo: Store, tmp_path: Path, key: str, value: str, said: str
) -> None:
    """结束 typed before 开始 was said under 重复 (一老一小服务!3:重复: 结束时间须晚于开始时间), a column
    the clerk had not touched; each rule of the record is said where it can be put right."""
    path = unmasked_workbook(demo, tmp_path / "demo.xlsx")
    wb = openpyxl.load_workbook(path)
    _set(wb, "一老一小服务", 3, key, value)
    wb.save(path)
    report = import_tables(Store(demo.root, actor="clerk"), read_tables(path))
    assert report.errors == [f"一老一小服务!3:{said}"]


def test_a_refused_or_dry_run_first_import_makes_no_folder(run, demo: Store, tmp_path: Path) -> None:
    """Into a folder not there yet (a --store typed wrong), a refused import or a --dry-run made it,
    parents and all, with a .lock in it, which check and every command then called no store.
    Checked in a scratch store now: nothing made; a valid first import still makes the store."""
    bad = tmp_path / "bad.xlsx"
    write_xlsx(bad, export_sheets(demo, SHEETS, masked=True))  # masked cells match no stored record there
    typo = tmp_path / "stroe" / "store"
    refused = run("--store", typo, "import", bad)
    assert refused.exit_code == 1 and "未写入任何数据" in refused.output
    dry = run("--store", typo, "import", bad, "--dry-run")
    assert dry.exit_code == 1
    template = tmp_path / "template.xlsx"
    assert run("--store", typo, "template", template).exit_code == 0
    assert run("--store", typo, "import", template, "--dry-run").exit_code == 0
    assert not (tmp_path / "stroe").exists()
    made = run("--store", typo, "import", template)
    assert made.exit_code == 0 and "已导入" in made.output
    assert run("--store", typo, "check").exit_code == 0


def test_a_cell_merged_down_over_several_rows_is_each_rows_value(demo: Store, tmp_path: Path) -> None:
    """一表全清 as clerks keep it: the 楼栋 (or 所属网格) of neighbouring households merged into one cell
    down the rows. The value is in the first row only, so every row below was refused (住户!4:楼栋: 必填)
    though the clerk sees it there. A cell merged down in the data is each of its rows' value; one
    merged across columns, or a heading merged down, is read as before."""
    path = unmasked_workbook(demo, tmp_path / "demo.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["住户"]
    keys = [c.value for c in ws[2]]
    building, grid = keys.index("building") + 1, keys.index("grid_id") + 1
    first = next(
        r
        for r in range(3, ws.max_row - 1)
        if all(ws.cell(r + i, building).value == ws.cell(r, building).value for i in (1, 2))
        and all(ws.cell(r + i, grid).value == ws.cell(r, grid).value for i in (1, 2))
    )
    room = _set(wb, "住户", first + 2, "room", "999")
    ws.merge_cells(start_row=first, start_column=building, end_row=first + 2, end_column=building)
    ws.merge_cells(start_row=first, start_column=grid, end_row=first + 1, end_column=grid)
    wb.save(path)
    report = import_tables(Store(demo.root, actor="clerk"), read_tables(path), may_reveal=True)
    assert not report.errors and report.changes == 1, (report.errors, room)
    household = _value(openpyxl.load_workbook(path), "住户", first + 2, "id")
    assert Store(demo.root).get(Household, str(household)).room == "999"
