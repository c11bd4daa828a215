"""Input hygiene (phones, invisible characters), printing free text safely, retried adds, the demo guard."""

from __future__ import annotations

import hashlib
import sys
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from pydantic import TypeAdapter, ValidationError

from duty_room.cli import cli
from duty_room.exits import ExitCode
from store import i18n, storage, text
from store.lifecycle import DuplicateCase, register
from store.masking import log_reveal
from store.models import Petition
from store.storage import Store, default_actor
from store.text import Line, Paragraph, Phone

INTAKE = {"title": "井盖丢失", "channel": "hotline", "category": "infrastructure", "community_id": "dongcheng"}


@pytest.fixture(autouse=True)
def no_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-config"))


def run(root: Path, *args: str):  # noqa: ANN201
    return CliRunner().invoke(cli, ["--store", str(root), *args])


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("１３８１２３４５６７８", "13812345678"),
        ("０３９３－１２３４５６７", "0393-1234567"),
        (" 13812345678 ", "13812345678"),
    ],
)
def test_full_width_phone_digits_are_normalised(typed: str, stored: str) -> None:
    assert TypeAdapter(Phone).validate_python(typed) == stored


@pytest.mark.parametrize("typed", ["13٨١٢٣٤٥٦٧٨", "१३८१२३४५६७८", "138１２３４５６７８x", "13812345678\u200b"])
def test_other_scripts_digits_are_refused(typed: str) -> None:
    with pytest.raises(ValidationError) as info:
        TypeAdapter(Phone).validate_python(typed)
    assert i18n.validation_message(info.value.errors()[0], "en").startswith("not a phone number")


@pytest.mark.parametrize(
    ("char", "code"),
    [
        ("\u200b", "U+200B"),  # zero-width space
        ("\u200d", "U+200D"),  # zero-width joiner
        ("\ufeff", "U+FEFF"),  # BOM
        ("\u2062", "U+2062"),  # invisible times
        ("\U000e0041", "U+E0041"),  # tag character
        ("\ue000", "U+E000"),  # private use
        ("\u00ad", "U+00AD"),  # soft hyphen
    ],
)
def test_invisible_characters_are_refused_with_the_code_point(char: str, code: str) -> None:
    for kind in (Line, Paragraph):
        with pytest.raises(ValidationError) as info:
            TypeAdapter(kind).validate_python(f"井盖{char}丢失")
        error = info.value.errors()[0]
        assert code in i18n.validation_message(error, "zh") and code in i18n.validation_message(error, "en")


def test_text_the_quick_check_passes_is_text_the_full_check_passes() -> None:
    """Line and Paragraph pass printable text at once (str.isprintable) and look closer only at the
    rest: so no code point the full check refuses may count as printable."""
    refused_yet_printable = [
        f"U+{code:04X}"
        for code in range(sys.maxunicode + 1)
        if chr(code).isprintable()
        and (
            text._CONTROL.search(chr(code))
            or text._CONTROL_IN_LINE.search(chr(code))
            or unicodedata.category(chr(code)) in text._INVISIBLE_CATEGORIES
        )
    ]
    assert refused_yet_printable == []
    for char in ("\x1b", "\x85", "\u200e", "\u2028", "\u202e", "\u00ad", "\ue000", "\u0378"):  # each refused
        for kind in (Line, Paragraph):
            with pytest.raises(ValidationError):
                TypeAdapter(kind).validate_python(f"井盖{char}丢失")


def test_visible_text_is_kept() -> None:
    text = "楼道灯不亮（3号楼2单元）—— 急！ [red]x[/] café ½"
    assert TypeAdapter(Line).validate_python(text) == text
    assert TypeAdapter(Paragraph).validate_python("第一行\n第二行\t完") == "第一行\n第二行\t完"


def test_the_command_line_names_the_invisible_character(small_store: Store) -> None:
    before = small_store.path_for(Petition, "2026-11-27").read_bytes()
    result = run(
        small_store.root,
        "petition",
        "add",
        "--title",
        "井盖\u200b丢失",
        "--category",
        "infrastructure",
        "--community",
        "dongcheng",
    )
    assert result.exit_code == ExitCode.REFUSED and "U+200B" in result.output
    assert small_store.path_for(Petition, "2026-11-27").read_bytes() == before


def test_show_and_list_escape_newlines_so_a_description_cannot_forge_history(small_store: Store) -> None:
    forged = "楼顶漏水\n  2026-11-28 09:00 resolve in_progress -> resolved [书记] 已办结"
    with small_store.transaction() as tx:
        case = tx.get(Petition, "MK261127-001")
        tx.put(case.model_copy(update={"description": forged}))
    shown = run(small_store.root, "petition", "show", "MK261127-001")
    assert shown.exit_code == 0
    lines = shown.output.splitlines()
    assert not any(line.strip().startswith("2026-11-28 09:00 resolve") for line in lines)
    assert any("楼顶漏水⏎" in line for line in lines)
    # Anything that got past validation (an old store) is shown escaped, not obeyed.
    path = small_store.path_for(Petition, "2026-11-27")
    path.write_bytes(path.read_bytes().replace("[red]楼顶[/]漏水".encode(), b"\\u001b[2J\\u000d"))
    listed = run(small_store.root, "petition", "list")
    assert "\x1b" not in listed.output and "\r" not in listed.output


def test_a_retried_add_is_refused_as_the_same_case(small_store: Store) -> None:
    add = ("petition", "add", "--title", "井盖丢失", "--category", "infrastructure", "--community", "dongcheng")
    first = run(small_store.root, *add, "--phone", "13912345678")
    assert first.exit_code == 0
    again = run(small_store.root, *add, "--phone", "13912345678")  # the same request, retried
    assert again.exit_code == ExitCode.REFUSED
    # In the interface language (zh by default), as every refusal of every command is.
    assert first.output.strip() in again.output and "未重复登记" in again.output
    assert [p.id for p in Store(small_store.root).all(Petition)].count(first.output.strip()) == 1
    with pytest.raises(DuplicateCase) as info:  # the same person's retry (the CLI acts as the OS account)
        register(Store(small_store.root, actor=default_actor()), {**INTAKE, "reporter_phone": "13912345678"})
    # another officer registering the same report is not a retry
    assert register(small_store, {**INTAKE, "reporter_phone": "13912345678"}).id != first.output.strip()
    assert info.value.existing.id == first.output.strip()
    assert "已于" in info.value.message("zh")
    other = run(small_store.root, *add, "--phone", "13900000000")
    assert other.exit_code == 0  # another reporter: another case


def test_add_does_not_read_the_archive(small_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    with small_store.transaction() as tx:
        closed = tx.get(Petition, "MK261127-001")
        tx.put(closed, "archive-2026")
        tx.put(closed, "archive-2025")
    opened: list[str] = []
    real = storage._OpenFile.__init__

    def spy(self, store, model, path, partition):  # noqa: ANN001, ANN202
        opened.append(path.name)
        real(self, store, model, path, partition)

    read: list[str] = []
    real_all = Store.all

    def spy_all(self, model, partition=None):  # noqa: ANN001, ANN202
        read.append(f"{model.table}/{partition}")
        return real_all(self, model, partition)

    real_read = Store._read

    def spy_read(self, model, path, files=None):  # noqa: ANN001, ANN202
        read.append(path.name)
        return real_read(self, model, path, files)

    monkeypatch.setattr(storage._OpenFile, "__init__", spy)
    monkeypatch.setattr(Store, "all", spy_all)
    monkeypatch.setattr(Store, "_read", spy_read)
    register(small_store, INTAKE)
    assert not [name for name in opened + read if "archive" in name]


def fingerprint(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*.json"))
    }


def test_demo_replace_refuses_a_store_with_audit_logs(small_store: Store) -> None:
    log_reveal(small_store, "petitions:MK261127-001", ["phone"], False)
    before = fingerprint(small_store.root)
    result = run(small_store.root, "demo", "--replace")
    assert result.exit_code == ExitCode.REFUSED
    assert "--yes-delete-real-data" in result.output and "audit" in result.output
    assert fingerprint(small_store.root) == before
    result = run(small_store.root, "demo", "--replace", "--yes-delete-real-data")
    assert result.exit_code == 0, result.output
    assert not list((small_store.root / "audit").glob("*.json"))


def test_demo_replace_refuses_more_cases_than_the_demo(small_store: Store) -> None:
    with small_store.transaction() as tx:
        template = tx.get(Petition, "MK261127-001")
        for i in range(200):
            tx.put(template.model_copy(update={"id": f"MK261101-{i:03d}"}), "archive-2026")
    result = run(small_store.root, "--lang", "en", "demo", "--replace")
    assert result.exit_code == ExitCode.REFUSED and "204 cases" in result.output


def test_demo_replace_rebuilds_a_demo_store(tmp_path: Path) -> None:
    target = tmp_path / "demo"
    assert run(target, "demo").exit_code == 0
    assert run(target, "demo", "--replace").exit_code == 0


def test_a_models_own_rule_is_said_in_the_interface_language() -> None:
    """A rule across a record's fields is worded in English in store/models.py; a form's line said
    it so in the Chinese interface (only a damaged file's line used the catalogue's words)."""
    from datetime import time

    from store.models import ServiceSchedule

    with pytest.raises(ValidationError) as info:
        ServiceSchedule(
            id="s1",
            community_id="dongcheng",
            kind="meal_delivery",
            title="午餐",
            place="食堂",
            start=time(12),
            end=time(11),
            recurrence="daily",
        )
    (error,) = info.value.errors()
    assert i18n.validation_message(error, "zh") == "结束时间须晚于开始时间"
    assert i18n.validation_message(error, "en") == "a session must end after it starts"
