"""`duty-room petition ...`: same rules as the dashboard, one-line errors, store untouched on bad input."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from duty_room.cli import cli
from store.models import AuditEntry, Petition, PetitionStatus
from store.storage import Store, default_actor


@pytest.fixture
def run(small_store: Store, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):  # noqa: ANN201
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-config"))
    runner = CliRunner()

    def invoke(*args: str):  # noqa: ANN202
        return runner.invoke(cli, ["--store", str(small_store.root), "petition", *args])

    return invoke


def snapshot(store: Store) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(store.root.rglob("*.json"))}


def test_add_prints_the_id_and_list_json_has_it(run, small_store: Store) -> None:  # noqa: ANN001
    result = run("add", "--title", "楼道灯不亮 [red]x[/]", "--category", "基础设施", "--community", "dongcheng",
                 "--grid", "dc-M01", "--priority", "urgent", "--phone", "13912345678", "--reporter", "王大妈")
    assert result.exit_code == 0, result.output
    new_id = result.output.strip()
    assert new_id == "MK261128-001"
    listed = json.loads(run("list", "--json").output)
    record = next(r for r in listed if r["id"] == new_id)
    assert record["status"] == "new" and record["title"] == "楼道灯不亮 [red]x[/]"
    assert record["reporter_phone"] == "139****5678" and record["reporter_name"] == "王**"
    assert {r["id"] for r in listed} >= {"MK261127-001", "MK261127-004"}
    saved = small_store.get(Petition, new_id)
    assert saved.due_at - saved.created_at == timedelta(hours=24)  # urgent: 24 hours


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["add", "--title", "", "--category", "gas", "--community", "dongcheng"], "title: required"),
        (["add", "--title", "x", "--category", "gas", "--community", "dongcheng", "--phone", "12345"], "reporter_phone"),
        (["add", "--title", "a\x1b[31mb", "--category", "gas", "--community", "dongcheng"], "control character"),
        (["add", "--title", "x" * 81, "--category", "gas", "--community", "dongcheng"], "at most 80"),
        (["add", "--title", "x", "--category", "weather", "--community", "dongcheng"], "unknown Category"),
        (["add", "--title", "x", "--category", "gas", "--community", "atlantis"], "no community"),
        (["set-status", "MK261127-001", "closed"], "cannot become"),
        (["set-status", "MK261127-001", "done"], "unknown PetitionStatus"),
        (["set-status", "NOPE-1", "accepted"], "no petitions record"),
        (["cancel", "MK261127-001"], "needs a note"),
        (["dispatch", "MK261127-002", "--assignee", " "], "needs an assignee"),
        (["supervise", "MK261127-004"], "not overdue"),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(run, small_store: Store, args: list[str], message: str) -> None:  # noqa: ANN001
    before = snapshot(small_store)
    result = run(*args)
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    assert message in lines[0]
    assert snapshot(small_store) == before


def test_status_by_chinese_label_or_english_key(run, small_store: Store) -> None:  # noqa: ANN001
    assert run("set-status", "MK261127-001", "已受理").exit_code == 0
    result = run("set-status", "MK261127-001", "dispatched", "--assignee", "王秀兰")
    assert result.exit_code == 0, result.output
    saved = small_store.get(Petition, "MK261127-001")
    assert saved.status is PetitionStatus.DISPATCHED
    assert saved.history[-1].actor == default_actor()  # the CLI acts as the OS account running it
    assert saved.assignee == "王秀兰"


def test_lifecycle_subcommands(run, small_store: Store) -> None:  # noqa: ANN001
    assert run("escalate", "MK261127-001", "--note", "楼栋协调不成").output.strip().endswith("level=community")
    assert run("supervise", "MK261127-001").output.strip().endswith("supervision=yellow")
    assert run("merge", "MK261127-002", "--into", "MK261127-001").exit_code == 0
    assert small_store.get(Petition, "MK261127-001").duplicates == ["MK261127-002"]
    assert run("start", "MK261127-003").exit_code == 0
    assert run("resolve", "MK261127-003").exit_code == 0
    result = run("follow-up", "MK261127-003", "--satisfaction", "不满意", "--unsolved")
    assert result.output.strip() == "MK261127-003 in_progress (处置中)"
    event = small_store.get(Petition, "MK261127-003").history[-1]
    assert (event.action, event.satisfaction.value, event.solved) == ("follow_up", "unsatisfied", False)


def test_show_masks_and_refused_reveal_is_logged(run, small_store: Store) -> None:  # noqa: ANN001
    shown = json.loads(run("show", "MK261127-001", "--json").output)
    assert shown["reporter_phone"] == "138****1234"
    result = run("show", "MK261127-001", "--reveal")
    assert result.exit_code == 1 and "may not see" in result.output
    [entry] = small_store.all(AuditEntry, "2026-11")
    assert (entry.subject, entry.allowed) == ("petitions:MK261127-001", False)


def test_a_closed_case_is_never_listed_as_overdue(run, small_store: Store) -> None:  # noqa: ANN001
    assert run("cancel", "MK261127-001", "--note", "撤诉").exit_code == 0  # was 6 h overdue
    listed = {r["id"]: r for r in json.loads(run("list", "--all", "--json").output)}
    assert listed["MK261127-001"]["status"] == "cancelled"
    assert listed["MK261127-001"]["overdue"] is False
    assert listed["MK261127-002"]["overdue"] is True
