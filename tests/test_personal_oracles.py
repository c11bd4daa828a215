"""Personal data a desk may not reveal cannot be learnt another way: not by guessing it into a
correction (the answer would differ when the guess is right), not from the audit log's records
differing by path, not from `check` echoing a damaged value."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from duty_room.cli import cli
from store.dutylog import find_entry, log_entry
from store.duty_models import LogKind
from store.refusal import Refused
from store.models import WorkerRole
from store.roster import add_worker, edit_worker
from store.storage import Store, default_actor

from conftest import run

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
    runner: CliRunner, logged: tuple[Path, str], system_config: Path, may_reveal: bool, field: str, right: str, wrong: str
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
    same = runner.invoke(cli, ["--store", str(root), "duty", "correct", entry_id, "--set", "content=3号楼漏水", "--note", "x"])
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
