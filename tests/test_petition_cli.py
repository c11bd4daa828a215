"""`duty-room petition ...`: same rules as the dashboard, one-line errors, store untouched on bad input."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from duty_room.cli import cli
from store.lifecycle import Action
from store.models import (
    AuditEntry,
    Category,
    Channel,
    Level,
    Petition,
    PetitionEvent,
    PetitionStatus,
    Priority,
    Satisfaction,
    Supervision,
)
from store.storage import Store, default_actor

from conftest import store_bytes


@pytest.fixture
def run(small_store: Store, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):  # noqa: ANN201
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-config"))
    runner = CliRunner()

    def invoke(*args: str, lang: str = "zh"):  # noqa: ANN202
        return runner.invoke(cli, ["--store", str(small_store.root), "--lang", lang, "petition", *args])

    return invoke


def test_add_prints_the_id_and_list_json_has_it(run, small_store: Store) -> None:  # noqa: ANN001
    result = run(
        "add",
        "--title",
        "楼道灯不亮 [red]x[/]",
        "--category",
        "基础设施",
        "--community",
        "dongcheng",
        "--grid",
        "dc-M01",
        "--priority",
        "urgent",
        "--phone",
        "13912345678",
        "--reporter",
        "王大妈",
    )
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
        (
            ["add", "--title", "x", "--category", "gas", "--community", "dongcheng", "--phone", "12345"],
            "reporter_phone",
        ),
        (["add", "--title", "a\x1b[31mb", "--category", "gas", "--community", "dongcheng"], "control character"),
        (["add", "--title", "x" * 81, "--category", "gas", "--community", "dongcheng"], "at most 80"),
        (
            ["add", "--title", "x", "--category", "weather", "--community", "dongcheng"],
            "'weather' is not a choice; use one of: property (property dispute)",
        ),
        (["add", "--title", "x", "--category", "gas", "--community", "atlantis"], "no community"),
        (["set-status", "MK261127-001", "closed"], "cannot become"),
        (["set-status", "MK261127-001", "done"], "'done' is not a choice; use one of: new (new)"),
        (["set-status", "NOPE-1", "accepted"], "no case NOPE-1"),
        (["cancel", "MK261127-001"], "needs a note"),
        (["dispatch", "MK261127-002", "--assignee", " "], "needs an assignee"),
        (["supervise", "MK261127-004"], "not overdue"),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(run, small_store: Store, args: list[str], message: str) -> None:  # noqa: ANN001
    before = store_bytes(small_store.root)
    result = run(*args, lang="en")  # the English words are the stable ones to match
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("duty-room: "), result.output
    assert message in lines[0]
    assert store_bytes(small_store.root) == before


def test_status_by_chinese_label_or_english_key(run, small_store: Store) -> None:  # noqa: ANN001
    assert run("set-status", "MK261127-001", "已受理").exit_code == 0
    result = run("set-status", "MK261127-001", "dispatched", "--assignee", "王秀兰")
    assert result.exit_code == 0, result.output
    saved = small_store.get(Petition, "MK261127-001")
    assert saved.status is PetitionStatus.DISPATCHED
    assert saved.history[-1].actor == default_actor()  # the CLI acts as the OS account running it
    assert saved.assignee == "王秀兰"


def test_lifecycle_subcommands(run, small_store: Store) -> None:  # noqa: ANN001
    # the value as scripts read it, then in words (it said supervision=yellow alone)
    assert run("escalate", "MK261127-001", "--note", "楼栋协调不成").output.strip().endswith("level=community (社区)")
    assert run("supervise", "MK261127-001").output.strip().endswith("supervision=yellow (黄牌督办)")
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
    assert result.exit_code == 1 and "无权查看未脱敏的个人信息" in result.output
    [entry] = small_store.all(AuditEntry, "2026-11")
    assert (entry.subject, entry.allowed) == ("petitions:MK261127-001", False)


@pytest.mark.parametrize(
    ("fields", "zh", "en"),
    [
        (["name", "phone"], "姓名、电话", "name, phone"),  # the dashboard's `p`
        (
            ["reporter_name", "reporter_phone", "household.head_name"],
            "姓名、电话、户主",
            "name, phone, head of household",
        ),
    ],
)
def test_a_reveal_in_a_cases_history_says_what_was_shown_in_words(
    run, small_store: Store, fields: list[str], zh: str, en: str
) -> None:  # noqa: ANN001
    """The case's history said 查看个人信息 [root] reporter_name, reporter_phone (`petition show`), and
    in the dashboard's detail 查看个人信息 已受理 → 已受理 [root] name, phone: the stored keys, and a move
    to the status it was in."""
    from duty_room.panels.petitions import petition_detail
    from duty_room.presenters import Presenter
    from store.masking import log_reveal

    if fields == ["name", "phone"]:
        log_reveal(small_store, "petitions:MK261127-001", fields, True)
    else:  # as `petition show --reveal` wrote it before one vocabulary (masking.REVEALABLE): still read
        with small_store.transaction() as tx:
            case = tx.get(Petition, "MK261127-001")
            event = PetitionEvent(
                at=tx.now,
                actor=small_store.actor,
                action="reveal",
                from_status=case.status,
                to_status=case.status,
                note=", ".join(fields),
            )
            tx.put(case.model_copy(update={"history": [*case.history, event]}))
    assert run("show", "MK261127-001").output.splitlines()[-1].endswith(f" 查看个人信息 [{small_store.actor}] {zh}")
    assert run("show", "MK261127-001", lang="en").output.splitlines()[-1].endswith(f"] {en}")
    case = small_store.get(Petition, "MK261127-001")
    for lang, said in (("zh", zh), ("en", en)):
        detail = petition_detail(Presenter(lang), case, "东城花园社区", "1号楼1单元", reveal=False)  # type: ignore[arg-type]
        line = detail.sections[0][1][-1].plain
        assert line.endswith(f"[{small_store.actor}]  {said}") and "→" not in line, line


def test_show_says_where_the_case_is_as_the_detail_does(run, small_store: Store) -> None:  # noqa: ANN001
    """The 楼栋 and 单元 typed at registration and the household a visit raised it at (its head's name
    masked), under the grid, as the dashboard's detail shows them."""
    with small_store.transaction() as tx:
        case = tx.get(Petition, "MK261127-001")
        tx.put(case.model_copy(update={"building": "1号楼", "unit": "2单元", "household_id": "h1"}))
    zh = run("show", "MK261127-001").output.splitlines()
    at = zh.index("  网格：1号楼1单元 (dc-M01)")
    assert zh[at + 1 : at + 4] == ["  楼栋：1号楼", "  单元：2单元", "  住户（走访中登记）：1-1-101 张**"]
    en = run("show", "MK261127-001", lang="en").output.splitlines()
    at = en.index("  Grid: 1号楼1单元 (dc-M01)")
    assert en[at + 1 : at + 4] == [
        "  Building: 1号楼",
        "  Unit: 2单元",
        "  Household (raised on a visit): 1-1-101 张**",
    ]
    assert "张建国" not in "".join(zh + en)


def test_a_closed_case_is_never_listed_as_overdue(run, small_store: Store) -> None:  # noqa: ANN001
    assert run("cancel", "MK261127-001", "--note", "撤诉").exit_code == 0  # was 6 h overdue
    listed = {r["id"]: r for r in json.loads(run("list", "--all", "--json").output)}
    assert listed["MK261127-001"]["status"] == "cancelled"
    assert listed["MK261127-001"]["overdue"] is False
    assert listed["MK261127-002"]["overdue"] is True


def _in(small_store: Store, lang: str | None, *args: str):  # noqa: ANN202
    return CliRunner().invoke(
        cli, ["--store", str(small_store.root), *(["--lang", lang] if lang else []), "petition", *args]
    )


def _with_history(run, small_store: Store) -> None:  # noqa: ANN001
    """Registered by the CLI, then accepted, supervised, merged into and followed up: every kind of field."""
    assert (
        run(
            "add",
            "--title",
            "楼道灯不亮",
            "--category",
            "gas",
            "--community",
            "dongcheng",
            "--grid",
            "dc-M01",
            "--priority",
            "urgent",
            "--phone",
            "13912345678",
            "--reporter",
            "王大妈",
            "--description",
            "三楼\n四楼",
        ).exit_code
        == 0
    )
    assert run("supervise", "MK261127-001").exit_code == 0
    assert run("merge", "MK261127-002", "--into", "MK261127-001").exit_code == 0
    assert run("resolve", "MK261127-004").exit_code == 0
    assert run("follow-up", "MK261127-004", "--satisfaction", "basically").exit_code == 0


# The words of the stored record that a Chinese reader must never see: field keys and enum values.
ENGLISH = (
    {word for name in [*Petition.model_fields, *PetitionEvent.model_fields] for word in (name, *name.split("_"))}
    | {
        m.value
        for enum in (Category, Channel, Priority, PetitionStatus, Level, Supervision, Satisfaction)
        for m in enum
    }
    | {a.value for a in Action}
    | {"create", "register", "None"}
)


def english_leaks(output: str) -> set[str]:
    words = set(re.findall(r"[A-Za-z_]+", output.replace("[red]楼顶[/]漏水", "")))  # a title: the store's text
    return {w for w in words if w in ENGLISH or w.casefold() in ENGLISH}


def test_show_and_list_speak_chinese_by_default_and_english_when_asked(run, small_store: Store) -> None:  # noqa: ANN001
    _with_history(run, small_store)
    for case in ("MK261128-001", "MK261127-001", "MK261127-002", "MK261127-004"):
        zh = _in(small_store, None, "show", case)
        assert zh.exit_code == 0, zh.output
        assert english_leaks(zh.output) == set(), (case, zh.output)
        assert zh.output == _in(small_store, "zh", "show", case).output  # zh is the default
    new = _in(small_store, None, "show", "MK261128-001").output
    assert "  类别：燃气安全\n" in new and "  紧急程度：加急\n" in new and "  渠道：12345热线\n" in new
    assert "  社区：东城花园社区 (dongcheng)\n" in new and "  电话：139****5678\n" in new
    assert "  内容：三楼⏎四楼\n" in new  # still escaped: a description cannot forge a history line
    assert re.search(r"^    2026-11-28 09:30 登记 → 待受理 \[\S+\]$", new, re.M), new
    merged = _in(small_store, None, "show", "MK261127-001").output
    assert "  督办：黄牌督办\n" in merged and "  重复件：MK261127-002\n" in merged
    assert "  合并到：MK261127-001\n" in _in(small_store, None, "show", "MK261127-002").output
    assert "回访评价 已办结 → 已回访 基本满意" in _in(small_store, None, "show", "MK261127-004").output

    en = _in(small_store, "en", "show", "MK261128-001").output
    assert "  Category: gas safety\n" in en and "  Priority: urgent\n" in en and "  Channel: 12345 hotline\n" in en
    assert re.search(r"^    2026-11-28 09:30 register → new \[\S+\]$", en, re.M), en
    assert "处置中" not in _in(small_store, "en", "list").output

    listed = _in(small_store, None, "list").output
    assert english_leaks(listed) == set() and "MK261127-003  已派单" in listed and "燃气安全" in listed
    assert "MK261127-003  dispatched" in _in(small_store, "en", "list").output


def test_json_keeps_the_stable_keys_in_every_language(run, small_store: Store) -> None:  # noqa: ANN001
    _with_history(run, small_store)
    for args in (("show", "MK261128-001", "--json"), ("list", "--all", "--json")):
        zh, en = (json.loads(_in(small_store, lang, *args).output) for lang in (None, "en"))
        assert zh == en
    record = json.loads(_in(small_store, None, "show", "MK261128-001", "--json").output)
    assert set(record) == {*Petition.model_fields, "status_label"}
    assert (record["category"], record["priority"], record["status"]) == ("gas", "urgent", "new")
    assert record["history"][0]["action"] == "create" and record["history"][0]["to_status"] == "new"


@pytest.mark.parametrize(
    ("args", "zh", "en"),
    [
        (["set-status", "MK261127-001", "closed"], "不能", "cannot become"),
        (["cancel", "MK261127-001"], "原因", "needs a note"),
        (["add", "--title", "x" * 81, "--category", "gas", "--community", "dongcheng"], "80", "at most 80"),
        (["show", "NOPE-1"], "没有这个案件", "no case"),
        (["accept", "NOPE-1"], "没有这个案件：NOPE-1", "no case NOPE-1"),  # as `show` says it
        (
            ["add", "--title", "x", "--category", "燃气", "--community", "dongcheng"],
            "「燃气」不是可选的值",
            "'燃气' is not a choice; use one of: property (",
        ),
        (["list", "--status", "done"], "可选：new (待受理)", "'done' is not a choice; use one of: new (new)"),
    ],
)
def test_refusals_follow_the_interface_language(run, args: list[str], zh: str, en: str) -> None:  # noqa: ANN001
    """Errors follow --lang like the rest of the CLI (zh by default): one line, no English in zh."""
    in_zh, in_en = run(*args), run(*args, lang="en")
    assert in_zh.exit_code == in_en.exit_code == 1
    assert zh in in_zh.output and en not in in_zh.output, in_zh.output
    assert en in in_en.output, in_en.output


@pytest.mark.parametrize(
    ("args", "zh", "en"),
    [
        (["show"], "缺少参数 CASE_ID", "missing argument CASE_ID"),
        (["add", "--title", "x", "--category", "gas"], "缺少选项 --community", "missing option --community"),
        (["list", "--bogus"], "没有选项 --bogus", "no such option --bogus"),
        (
            ["list", "--overdu"],
            "没有选项 --overdu（是不是 --overdue？）",
            "no such option --overdu (did you mean --overdue?)",
        ),
        (["list", "--status"], "选项 --status 需要一个值", "option --status needs a value"),
        (["list", "--overdue=yes"], "选项 --overdue 不带值", "option --overdue takes no value"),
        (
            ["extend-request", "MK261127-003", "--days", "x", "--note", "n"],
            "--days 须为不小于 1 的整数（输入的是「x」）",
            "--days must be a whole number, at least 1 (got 'x')",
        ),
        (["frobnicate"], "没有命令 frobnicate", "no such command frobnicate"),
        (["show", "MK261127-001", "extra"], "多余的参数：extra", "unexpected extra argument: extra"),
    ],
)
def test_a_usage_slip_is_one_line_in_the_interface_language(
    run,
    small_store: Store,
    args: list[str],
    zh: str,
    en: str,  # noqa: ANN001
) -> None:
    """Click's own usage errors were four lines of English (Usage: … Try … Error: Missing option
    '--community'.) in the Chinese interface: now one line in words, exit 1 like every refusal."""
    for lang, said in (("zh", zh), ("en", en)):
        result = run(*args, lang=lang)
        assert result.exit_code == 1, result.output
        [line] = result.output.splitlines()
        assert line.startswith(f"duty-room: {said}"), line
        assert "--help" in line  # where to look next
        if lang == "zh":
            assert not re.search(r"Usage|Error|Missing|Invalid|No such|Try ", line), line


def test_a_usage_slip_before_the_command_is_said_in_the_language_asked_for(small_store: Store) -> None:
    runner = CliRunner()
    root = str(small_store.root)
    for args, said in [
        (["--store", root, "--refresh", "soon", "summary"], "duty-room: --refresh 须为数字（输入的是「soon」）"),
        (["--store", root, "--lang", "xx", "summary"], "duty-room: --lang 只能是 zh、en 之一（输入的是「xx」）"),
        (["--store", root, "--bogus"], "duty-room: 没有选项 --bogus"),
        (["--store", root, "--lang", "en", "--bogus"], "duty-room: no such option --bogus"),
    ]:
        result = runner.invoke(cli, args)
        assert result.exit_code == 1, result.output
        [line] = result.output.splitlines()
        assert line.startswith(said), line


@pytest.mark.parametrize(
    ("args", "zh", "en"),
    [
        (["add", "--title", "", "--category", "gas", "--community", "dongcheng"], "诉求：必填", "title: required"),
        (  # the hotline the case came by is not the reporter's phone: said so (a caller's may be one)
            ["add", "--title", "x", "--category", "gas", "--community", "dongcheng", "--phone", "12345"],
            "电话：12345 是受理渠道，不是诉求人的电话：请填写诉求人本人的手机或座机，不知道可留空",
            "reporter_phone: 12345 is a service line (the channel the case came by), not the reporter's phone",
        ),
        (
            ["add", "--title", "x", "--category", "gas", "--community", "dongcheng", "--phone", "1391234567"],
            "电话：电话格式不对",
            "reporter_phone: not a phone number",
        ),
        (  # one label table for `petition show` and the refusals: the assignee's has its label too
            ["set-status", "MK261127-001", "dispatched", "--assignee", "x" * 81],
            "承办：太长了：最多 80 个字",
            "assignee: too long: at most 80 characters",
        ),
    ],
)
def test_a_refused_field_is_named_by_its_label_in_chinese(
    run,
    small_store: Store,
    args: list[str],
    zh: str,
    en: str,  # noqa: ANN001
) -> None:
    """It said `title: 必填`: the record's key, in a Chinese line. English keeps the keys scripts match."""
    if args[0] == "set-status":
        assert run("accept", args[1]).exit_code == 0
    assert run(*args).output.startswith(f"duty-room: {zh}")
    assert run(*args, lang="en").output.startswith(f"duty-room: {en}")


def test_a_follow_ups_history_line_says_what_the_reporter_said_in_the_detail_and_show(
    run,  # noqa: ANN001
    small_store: Store,
) -> None:
    """The dashboard's detail said 回访评价 已办结 → 处置中 [root] with no rating at all (``show`` said
    不满意 and neither said the case was not solved): an officer reading a case sent back could not
    see what the reporter had said. Both say the rating and whether it was solved."""
    from duty_room.panels.petitions import petition_detail
    from duty_room.presenters import Presenter

    assert run("resolve", "MK261127-004").exit_code == 0
    assert run("follow-up", "MK261127-004", "--satisfaction", "不满意", "--unsolved").exit_code == 0
    case = small_store.get(Petition, "MK261127-004")
    for lang, said in (
        ("zh", "已办结 → 处置中 不满意、未解决 ["),
        ("en", "resolved → in progress unsatisfied, not solved ["),
    ):
        assert said in run("show", "MK261127-004", lang=lang).output.splitlines()[-1]
        detail = petition_detail(Presenter(lang), case, "东城花园社区", "1号楼1单元", reveal=False)  # type: ignore[arg-type]
        assert said.replace(" [", "  [") in detail.sections[0][1][-1].plain


def test_an_id_typed_in_full_width_or_pasted_with_spaces_is_the_id(run, small_store: Store) -> None:  # noqa: ANN001
    """An id typed with a Chinese input method left in full-width mode (ＭＫ２６１１２７－００１), or
    pasted from a table with a space around it, was 没有这个案件: it is the same id, as a place's
    full-width digits are the same place."""
    shown = run("show", "MK261127-001").output
    assert run("show", "ＭＫ２６１１２７－００１").output == shown
    assert run("show", " MK261127-001 ").output == shown
    assert run("show", "mk261127-001").output == shown  # typed without Caps: the same case
    assert run("start", "ＭＫ２６１１２７－００３").output.strip() == "MK261127-003 in_progress (处置中)"
    assert run("merge", "MK261127-002 ", "--into", "ＭＫ２６１１２７－００１").exit_code == 0
    assert small_store.get(Petition, "MK261127-001").duplicates == ["MK261127-002"]
    unknown = run("show", "ＭＫ２６１１２７－９９９")
    assert unknown.exit_code == 1 and unknown.output.strip() == "duty-room: 没有这个案件：MK261127-999"
