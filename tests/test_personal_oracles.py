"""Personal data a desk may not reveal cannot be learnt another way: not by guessing it into a
correction (the answer would differ when the guess is right), not from the audit log's records
differing by path, not from `check` echoing a damaged value."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from duty_room.cli import cli
from store.duty_models import LogKind
from store.dutylog import find_entry, log_entry
from store.masking import REVEALABLE, log_reveal
from store.models import WorkerRole
from store.refusal import Refused
from store.roster import add_worker, edit_worker
from store.storage import Store, default_actor
from widgets.status_line import StatusLine

from pilot import NARROW, WIDE, dashboard, settled

ME = default_actor()
PHONE, CALLER = "13838930102", "张桂英"


@pytest.fixture
def logged(runner: CliRunner, small_store: Store) -> tuple[Path, str]:
    entry = log_entry(small_store, kind=LogKind.CALL, content="3号楼漏水", caller=CALLER, phone=PHONE)
    return small_store.root, entry.id


def permit(system_config: Path, may: bool) -> None:
    system_config.write_text(f"reveal_users = {json.dumps([ME] if may else [])}\n", encoding="utf-8")


@pytest.mark.parametrize("may_reveal", [False, True], ids=["not-permitted", "permitted"])
@pytest.mark.parametrize(("field", "right", "wrong"), [("phone", PHONE, "13900001111"), ("caller", CALLER, "张桂芳")])
def test_a_corrections_answer_does_not_tell_whether_a_guess_was_right(
    runner: CliRunner,
    logged: tuple[Path, str],
    system_config: Path,
    may_reveal: bool,
    field: str,
    right: str,
    wrong: str,
) -> None:
    """`duty correct --set phone=X` said 更正与原记录相同 (exit 1) when X was the stored number and
    wrote a correction otherwise: a desk that may not reveal could confirm a guess. A personal field
    given is now always written as a correction (the officer states what the caller said), the same
    answer for a right and a wrong guess, on either desk; the history keeps both."""
    root, entry_id = logged
    permit(system_config, may_reveal)
    answers = []
    for guess in (right, wrong):
        result = runner.invoke(
            cli, ["--store", str(root), "duty", "correct", entry_id, "--set", f"{field}={guess}", "--note", "核对"]
        )
        answers.append((result.exit_code, result.output.replace(entry_id, "ID").split("(")[0]))
    assert answers[0] == answers[1] == (0, "ID "), answers
    entry = find_entry(Store(root, actor="x"), entry_id)
    assert [e.changes for e in entry.history if e.action == "correct"] == [{field: right}, {field: wrong}]
    # a correction that truly changes nothing else is still refused, as before (no personal field named)
    same = runner.invoke(
        cli, ["--store", str(root), "duty", "correct", entry_id, "--set", "content=3号楼漏水", "--note", "x"]
    )
    assert same.exit_code == 1 and "更正与原记录相同" in same.output


def test_a_workers_phone_typed_as_it_is_is_written_like_any_other(small_store: Store) -> None:
    """The roster's `e` keeps the phone field empty (its placeholder masked); a number typed in it
    that was the worker's own was refused 没有改动, another one written: a guess confirmed. Typed,
    a phone is now written either way, the history saying a phone was given (masked both sides)."""
    worker = add_worker(small_store, name="李娟", role=WorkerRole.GRID_WORKER, phone="13600001111", grid_id="dc-B01")
    same = edit_worker(small_store, worker.id, phone="13600001111")
    other = edit_worker(small_store, worker.id, phone="13600002222")
    assert [e.action for e in other.history] == ["add", "edit", "edit"]
    assert [(c.name, c.before, c.after) for c in same.history[-1].changes] == [("phone", "136****1111", "136****1111")]
    assert [(c.name, c.before, c.after) for c in other.history[-1].changes] == [("phone", "136****1111", "136****2222")]
    with pytest.raises(Refused):  # nothing personal given, nothing changed: refused as before
        edit_worker(small_store, worker.id, name="李娟")


async def test_every_reveal_path_writes_one_record_with_the_same_keys_and_words(
    runner: CliRunner, small_store: Store, system_config: Path, tmp_path: Path
) -> None:
    """The dashboard's p wrote fields ["name", "phone"], `petition show --reveal` on the same case
    ["reporter_name", "reporter_phone", "household.head_name"] and an unmasked `export` the tables'
    names ["households", "stalls"]: an auditor matching what was seen had three vocabularies.
    One place writes the record now (store/masking.py:log_reveal), in one vocabulary
    (masking.REVEALABLE); the log read after each path has the same keys, the same words."""
    audit = small_store.root / "audit" / "2026-11.json"

    def records() -> list[dict[str, object]]:
        table = json.loads(audit.read_text(encoding="utf-8"))["records"] if audit.exists() else {}
        return list(table.values())

    async with dashboard(small_store, reveal_users=["duty-officer"]) as (app, pilot):
        await pilot.press("enter", "p")
        await settled(app, pilot)
    [on_screen] = records()
    permit(system_config, True)
    shown = runner.invoke(cli, ["--store", str(small_store.root), "petition", "show", "MK261127-001", "--reveal"])
    assert shown.exit_code == 0, shown.output
    on_cli = records()[-1]
    exported = runner.invoke(cli, ["--store", str(small_store.root), "export", str(tmp_path / "全部.xlsx")])
    assert exported.exit_code == 0 and "未脱敏" in exported.output, exported.output
    on_export = records()[-1]
    assert len(records()) == 3
    assert set(on_screen) == set(on_cli) == set(on_export), (on_screen, on_cli, on_export)
    assert on_screen["subject"] == on_cli["subject"] == "petitions:MK261127-001"
    assert on_screen["fields"] == on_cli["fields"] == ["name", "phone"]
    assert on_export["fields"] == list(REVEALABLE)  # households' tags, stalls' reductions: the same words
    assert [r["action"] for r in records()] == ["reveal"] * 3


def test_a_reveal_naming_a_field_outside_the_vocabulary_is_a_bug_not_a_record(small_store: Store) -> None:
    with pytest.raises(ValueError, match="reporter_phone"):
        log_reveal(small_store, "petitions:MK261127-001", ["reporter_phone"], True)
    assert not (small_store.root / "audit").exists()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_check_names_a_damaged_personal_value_without_quoting_it(
    runner: CliRunner, small_store: Store, lang: str
) -> None:
    """`check` said 「13812345678」不是可选的值 for a phone number pasted into a household's 特殊人群
    and quoted a damaged fee reduction (the veterans' or the disability reason) the same way: personal
    data a desk may not reveal, printed by any desk's check. A personal field's value is not quoted
    now; the file, the record and the field are, enough to find it. Others are quoted as before."""
    path = next((small_store.root / "households").glob("*.json"))
    data = json.loads(path.read_text(encoding="utf-8"))
    first, second = list(data["records"])[:2]
    data["records"][first]["tags"] = ["13812345678"]
    data["records"][second]["tags"] = "张建国 13812345678"  # text where the list goes
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(cli, ["--store", str(small_store.root), "--lang", lang, "check"])
    assert result.exit_code == 2, result.output
    assert "13812345678" not in result.output and "张建国" not in result.output, result.output
    rel = path.relative_to(small_store.root).as_posix()
    lines = [line for line in result.output.splitlines() if "tags" in line]
    assert len(lines) == 2 and all(rel in line for line in lines), result.output
    ids = [data["records"][key]["id"] for key in (first, second)]
    assert all(record_id in line for record_id, line in zip(ids, lines, strict=True)), result.output
    assert ("个人信息" if lang == "zh" else "personal data") in lines[1]


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["120x40", "80x24"])
@pytest.mark.parametrize("opens", ["enter", "l", "n"], ids=["detail", "list", "form"])
async def test_a_refusal_goes_when_the_officer_opens_another_view_over_it(
    small_store: Store, size: tuple[int, int], opens: str
) -> None:
    """未更改：「待受理」的案件不能「办结」 stayed in the dashboard's status line while a detail, the
    ended list or the 登记 form of the same panel was opened over it (under a form it still shows),
    and was there again when it closed: as if it were about the new view. Another view opened is
    moving on: the refusal goes, not hidden, and does not come back when the view closes."""
    async with dashboard(small_store, size) as (app, pilot):
        await pilot.press("r")  # 办结 a 待受理 case: refused at once
        await settled(app, pilot)
        line = app.query_one("#status", StatusLine)
        assert line.message == "MK261127-001 未更改：「待受理」的案件不能「办结」"
        await pilot.press(opens)
        await settled(app, pilot)
        assert len(app.screen_stack) == 2, app.screen_stack
        said = [s.message for screen in app.screen_stack for s in screen.query("#status").results(StatusLine)]
        assert "未更改" not in "".join(said), said
        await pilot.press("escape")
        await settled(app, pilot)
        assert len(app.screen_stack) == 1 and line.message == ""


async def test_a_refusal_said_on_a_view_stays_while_that_view_is_what_is_on_screen(small_store: Store) -> None:
    """A refused reveal on a detail is about that detail: it stays there until the detail closes."""
    async with dashboard(small_store, WIDE) as (app, pilot):
        await pilot.press("4", "enter", "p")  # nobody may reveal here
        await settled(app, pilot)
        [detail_line] = app.screen.query("#status").results(StatusLine)
        assert "无权" in detail_line.message
        await pilot.press("down")
        await settled(app, pilot)
        assert "无权" in detail_line.message
