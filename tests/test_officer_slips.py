"""The command line as a duty officer types it: a day the calendar has not got, a number in another
script's digits, a past day, an empty name, an empty environment variable. Each is one line that
quotes what was typed, in the interface language, exit 1, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from duty_room.cli import cli
from store import clock
from store.dutylog import find_entry, find_shift
from store.models import Petition
from store.storage import Store

from conftest import build_small_store, run, store_bytes


@pytest.fixture
def root(tmp_path: Path, frozen_clock: str) -> Path:
    return build_small_store(tmp_path / "store").root


def refused(runner: CliRunner, root: Path, *args: str) -> tuple[int, list[str]]:
    """Exit code and the lines said, with nothing written to the store."""
    before = store_bytes(root)
    result = runner.invoke(cli, ["--store", str(root), *args])
    assert store_bytes(root) == before, result.output
    return result.exit_code, result.output.splitlines()


@pytest.mark.parametrize(
    ("typed", "zh", "en"),
    [
        (
            "2027-02-30",
            "DAY 须为日期（YYYY-MM-DD）（输入的是「2027-02-30」）",
            "DAY must be a date (YYYY-MM-DD) (got '2027-02-30')",
        ),
        (
            "２０２７－１３－０１",
            "DAY 须为日期（YYYY-MM-DD）（输入的是「２０２７－１３－０１」）",
            "(got '２０２７－１３－０１')",
        ),
        ("tomorrow", "（输入的是「tomorrow」）", "DAY must be a date (YYYY-MM-DD) (got 'tomorrow')"),
    ],
)
def test_a_day_refused_quotes_what_was_typed_and_the_form(
    runner: CliRunner, root: Path, typed: str, zh: str, en: str
) -> None:
    """`duty plan 2027-02-30` said DAY 须为日期（YYYY-MM-DD） without what was typed: an officer who
    typed the form asked for could not see which day was wrong."""
    plan = ("duty", "plan", typed, "--leader", "郭红梅", "--staff", "王丽娟")
    for lang, said in (("zh", zh), ("en", en)):
        code, lines = refused(runner, root, "--lang", lang, *plan)
        assert code == 1 and len(lines) == 1 and said in lines[0], lines


@pytest.mark.parametrize("typed", ["٣", "३", "³", "1_0", "+3", "3.0"])
def test_a_whole_number_option_takes_ascii_or_full_width_digits_only(runner: CliRunner, root: Path, typed: str) -> None:
    """click's int() read Arabic-Indic and Devanagari digits, a sign and underscores (--days ٣ was 3):
    a form takes ASCII digits or a Chinese input method's (１２), and so does every whole-number option."""
    for lang, said in (
        ("zh", f"--days 须为不小于 1 的整数（输入的是「{typed}」）"),
        ("en", f"--days must be a whole number, at least 1 (got '{typed}')"),
    ):
        code, lines = refused(
            runner, root, "--lang", lang, "petition", "extend-request", "MK261127-003", "--days", typed, "--note", "n"
        )
        assert code == 1 and len(lines) == 1 and lines[0].startswith(f"duty-room: {said}"), lines
    code, lines = refused(runner, root.parent / "demo", "demo", "--scale", "township", "--cases", typed)
    assert code == 1 and lines[0].startswith(f"duty-room: --cases 须为不小于 1 的整数（输入的是「{typed}」）"), lines


def test_full_width_days_are_read(runner: CliRunner, root: Path) -> None:
    said = run(runner, root, "petition", "extend-request", "MK261127-004", "--days", "３", "--note", "等材料")
    assert said.startswith("MK261127-004 ")
    assert Store(root).get(Petition, "MK261127-004").extension_days == 3


def test_a_past_day_is_not_planned(runner: CliRunner, root: Path) -> None:
    """`duty plan` for a day gone by (a slip of the month: 2026-11-01 for 2026-12-01) wrote a shift
    nobody can correct (a shift that has begun keeps its people): refused, saying the day is past; the
    shift on duty now (yesterday's at 03:00, today's) is still planned."""
    for lang, said in (
        ("zh", "2026-11-01 08:00 – 11-02 08:00 已结束"),
        ("en", "2026-11-01 08:00 – 11-02 08:00 is over"),
    ):
        code, lines = refused(
            runner, root, "--lang", lang, "duty", "plan", "2026-11-01", "--leader", "郭红梅", "--staff", "王丽娟"
        )
        assert code == 1 and len(lines) == 1 and said in lines[0], lines
    assert run(runner, root, "duty", "plan", "2026-11-28", "--leader", "郭红梅", "--staff", "王丽娟").startswith(
        "duty-20261128"
    )
    clock.freeze("2026-11-29T03:00:00+08:00")  # the 28th's shift is still on duty
    assert run(runner, root, "duty", "plan", "2026-11-28", "--leader", "郭红梅", "--staff", "王丽娟").startswith(
        "duty-20261128"
    )


@pytest.mark.parametrize(
    ("asked", "approved", "field_zh", "field_en"),
    [("", "郭红梅", "申请人", "asked_by"), ("王丽娟", " ", "批准人", "approved_by")],
)
def test_a_swap_missing_who_asked_or_who_approved_is_said_alike(
    runner: CliRunner, root: Path, asked: str, approved: str, field_zh: str, field_en: str
) -> None:
    """An empty --asked-by said 申请人：必填, an empty --approved-by 换班需写明批准人: one shape for both."""
    run(runner, root, "duty", "plan", "2026-11-28", "--leader", "郭红梅", "--staff", "王丽娟")
    swap = (
        "duty",
        "swap",
        "duty-20261128",
        "--replace",
        "王丽娟",
        "--with",
        "刘晓宇",
        "--asked-by",
        asked,
        "--approved-by",
        approved,
    )
    for lang, said in (("zh", f"duty-room: {field_zh}：必填"), ("en", f"duty-room: {field_en}: required")):
        code, lines = refused(runner, root, "--lang", lang, *swap)
        assert (code, lines) == (1, [said])


@pytest.mark.parametrize("name", ["LANG", "LITE", "REFRESH_SECONDS", "KEYMAP", "ASCII", "READ_ONLY"])
def test_an_empty_environment_variable_is_unset(
    runner: CliRunner, root: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """DUTY_ROOM_READ_ONLY= (set, empty: an `export` left blank in a profile) was a config error and
    no command ran: an empty setting is no setting, as pydantic-settings' env_ignore_empty has it."""
    monkeypatch.setenv(f"DUTY_ROOM_{name}", "")
    result = runner.invoke(cli, ["--store", str(root), "whoami"])
    assert result.exit_code == 0, result.output
    assert "只读: 否" in result.output and "环境变量" not in result.output and "DUTY_ROOM" not in result.output


@pytest.mark.parametrize("name", ["STORE", "REVEAL_USERS", "READ_ONLY_USERS", "DUTY", "NOW"])
def test_an_empty_security_or_clock_variable_is_still_refused_by_name(
    runner: CliRunner, root: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """Who may reveal, the store, the office rules and the clock are the system file's alone: set in
    the environment, even empty, they are refused by name (nobody believes the list was cleared)."""
    monkeypatch.setenv(f"DUTY_ROOM_{name}", "")
    result = runner.invoke(cli, ["--store", str(root), "whoami"])
    assert result.exit_code == 1 and f"DUTY_ROOM_{name}" in result.output and result.output.count("\n") == 1
    assert "environment" not in result.output  # said in words: 环境变量


@pytest.mark.parametrize(
    ("typed", "seconds"), [("０．５", 0.5), ("2", 2.0), (".5", 0.5), ("٠.٥", None), ("nan", None), ("1_0", None)]
)
def test_a_number_option_reads_full_width_digits_and_no_other_script(
    runner: CliRunner, root: Path, typed: str, seconds: float | None
) -> None:
    """--refresh ٠.٥ (Arabic-Indic) was read as 0.5 and --refresh ０．５ (a Chinese input method's) refused."""
    result = runner.invoke(cli, ["--store", str(root), "--refresh", typed, "summary", "--json"])
    if seconds is not None:
        assert result.exit_code in (0, 1) and result.output.startswith("{"), result.output
        return
    assert result.exit_code == 1 and result.output.startswith(f"duty-room: --refresh 须为数字（输入的是「{typed}」）")


def test_a_shift_id_typed_in_capitals_or_full_width_is_the_shift(runner: CliRunner, root: Path) -> None:
    """DUTY-20261128 (Caps Lock on) or ＤＵＴＹ－２０２６１１２８ said 没有这个班次, as a case id in
    lower case once did: a shift's id is the same id whatever the case of its letters."""
    run(runner, root, "duty", "plan", "2026-11-28", "--leader", "郭红梅", "--staff", "王丽娟")
    shown = run(runner, root, "handover", "--shift", "duty-20261128")
    for typed in ("DUTY-20261128", "ＤＵＴＹ－２０２６１１２８", "Duty-20261128 "):
        assert run(runner, root, "handover", "--shift", typed) == shown
    swap = ("--replace", "王丽娟", "--with", "刘晓宇", "--asked-by", "王丽娟", "--approved-by", "郭红梅")
    assert run(runner, root, "duty", "swap", "DUTY-20261128", *swap).startswith("duty-20261128:")


def test_a_case_id_nobody_has_is_said_alike_by_every_command(runner: CliRunner, root: Path) -> None:
    """`petition show` said 没有这个案件：X, `petition accept` and `duty link` 没有编号为 X 的记录 (in
    English "no petitions record with id 'X'", the store's table name): one line for every command."""
    entry = run(runner, root, "duty", "log", "--content", "来电")
    for args in (
        ("petition", "show", "mk261101-009"),
        ("petition", "accept", "MK261101-009"),
        ("duty", "link", entry, "MK261101-009"),
    ):
        for lang, said in (("zh", "duty-room: 没有这个案件：MK261101-009"), ("en", "duty-room: no case MK261101-009")):
            assert refused(runner, root, "--lang", lang, *args) == (1, [said])


def test_a_backup_onto_a_file_says_it_is_no_empty_folder(runner: CliRunner, root: Path, tmp_path: Path) -> None:
    """`backup notes.txt` (a file there) said in English "notes.txt is not empty", as of a folder."""
    file = tmp_path / "notes.txt"
    file.write_text("x", encoding="utf-8")
    for lang, said in (("zh", f"{file} 不是空文件夹"), ("en", f"{file} is not an empty folder")):
        code, lines = refused(runner, root, "--lang", lang, "backup", str(file))
        assert code == 1 and len(lines) == 1 and said in lines[0], lines
    assert file.read_text(encoding="utf-8") == "x"


def test_a_community_is_named_by_its_id_in_any_case_or_by_its_name_by_every_command(
    runner: CliRunner, root: Path
) -> None:
    """`list --community 东城花园社区` took the name; `petition add` refused it as an id 编号只能用字母…
    (so did `duty to-case`), `duty log` and `incident open` as 没有社区, and DongCheng everywhere."""
    for n, typed in enumerate(("东城花园社区", "DongCheng", " dongcheng")):
        title = f"{n + 1}号楼路灯不亮"
        case_id = run(runner, root, "petition", "add", "--title", title, "--category", "gas", "--community", typed)
        assert Store(root).get(Petition, case_id).community_id == "dongcheng"
        entry_id = run(runner, root, "duty", "log", "--content", f"来电：{n + 1}号楼漏水", "--community", typed)
        assert find_entry(Store(root), entry_id).community_id == "dongcheng"
        assert run(runner, root, "duty", "to-case", entry_id, "--community", typed).startswith("MK")
        # `list --community` by its own loop took the id only as stored (DongCheng: 没有社区)
        assert run(runner, root, "list", "communities", "--community", typed).startswith("dongcheng ")
    for lang, said in (
        ("zh", "duty-room: 没有社区「东城」；已有："),
        ("en", "duty-room: no community '东城'; known: "),
    ):
        for args in (
            ("petition", "add", "--title", "x", "--category", "gas"),
            ("duty", "log", "--content", "x"),
            ("list", "grids"),
        ):
            code, lines = refused(runner, root, "--lang", lang, *args, "--community", "东城")
            assert code == 1 and len(lines) == 1 and lines[0].startswith(said), lines


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (("export", ""), "PATH"),
        (("template", " "), "PATH"),
        (("import", ""), "PATH"),
        (("backup", ""), "DEST"),
        (("restore", ""), "SRC"),
        (("handover", "--out", ""), "--out"),
    ],
)
def test_an_empty_path_is_refused_not_the_working_folder(
    runner: CliRunner, root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], name: str
) -> None:
    """`export "$DIR"` with DIR unset wrote nine CSV files into the working folder and said it had
    exported (click.Path makes "" the current folder); `--store ""` opened the working folder too."""
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    for lang, said in (
        ("zh", f"duty-room: {name} 不能为空（用法："),
        ("en", f"duty-room: {name} cannot be empty (usage: "),
    ):
        code, lines = refused(runner, root, "--lang", lang, *args)
        assert code == 1 and len(lines) == 1 and lines[0].startswith(said), lines
    assert list(here.iterdir()) == []
    result = runner.invoke(cli, ["--store", "", "summary"])
    assert result.exit_code == 1 and result.output.startswith("duty-room: --store 不能为空（用法：")


@pytest.mark.parametrize("typed", ["2026-11-28 9:05", "２０２６－１１－２８　９：０５", "2026-11-28T9:05"])
def test_a_day_and_an_hour_of_one_digit_is_a_time(runner: CliRunner, root: Path, typed: str) -> None:
    """`--at 9:05` was read and `--at "2026-11-28 9:05"` refused as 时间格式不对: the same hour."""
    entry_id = run(runner, root, "duty", "log", "--content", "来电", "--at", typed)
    assert find_entry(Store(root), entry_id).at.strftime("%Y-%m-%d %H:%M") == "2026-11-28 09:05"


def test_two_duty_officers_in_one_staff_option_are_two(runner: CliRunner, root: Path) -> None:
    """`--staff 王丽娟、刘晓宇` (as the 排班 form and the sheet take them) was one officer named
    「王丽娟、刘晓宇」 on the 值班表; three so written were one too, not refused as three."""
    run(runner, root, "duty", "plan", "2026-11-29", "--leader", "郭红梅", "--staff", "王丽娟、刘晓宇")
    assert find_shift(Store(root), "duty-20261129").staff == ["王丽娟", "刘晓宇"]
    run(runner, root, "duty", "plan", "2026-11-30", "--leader", "郭红梅", "--staff", "王丽娟, 刘晓宇")
    assert find_shift(Store(root), "duty-20261130").staff == ["王丽娟", "刘晓宇"]
    code, lines = refused(runner, root, "duty", "plan", "2026-12-01", "--leader", "郭红梅", "--staff", "甲，乙，丙")
    assert (code, lines) == (1, ["duty-room: 每班值班员一至二人（现为 3 人）"])


def test_a_pair_typed_with_a_full_width_equals_sign_is_read(runner: CliRunner, root: Path) -> None:
    """`--phone 王丽娟＝１３７…` (an input method left in full-width) was refused as no NAME=NUMBER."""
    run(
        runner,
        root,
        "duty",
        "plan",
        "2026-11-29",
        "--leader",
        "郭红梅",
        "--staff",
        "王丽娟",
        "--phone",
        "王丽娟＝１３７０３９３２０１１",
    )
    assert find_shift(Store(root), "duty-20261129").phones == {"王丽娟": "13703932011"}
    entry_id = run(runner, root, "duty", "log", "--content", "来电")
    run(runner, root, "duty", "correct", entry_id, "--set", "content＝来电：停水＝3小时", "--note", "补全")
    assert find_entry(Store(root), entry_id).current().content == "来电：停水＝3小时"


def test_a_choice_typed_in_full_width_letters_is_that_choice(runner: CliRunner, root: Path) -> None:
    """--category ｇａｓ, --level ＩＶ (an input method left in full-width) were 「ｇａｓ」不是可选的值, as a
    full-width id or number once was."""
    case_id = run(
        runner, root, "petition", "add", "--title", "燃气味", "--category", "ｇａｓ", "--community", "dongcheng"
    )
    assert Store(root).get(Petition, case_id).category == "gas"
    opened = run(
        runner, root, "incident", "open", "--title", "河堤渗水", "--category", "ｎａｔｕｒａｌ", "--level", "ＩＶ"
    )
    assert opened.startswith("SJ")
    assert run(runner, root, "petition", "list", "--status", "ＮＥＷ").count("MK") >= 1


def test_a_command_lines_own_words_typed_in_full_width_are_read(runner: CliRunner, root: Path) -> None:
    """--format ｍｄ, --lang ｅｎ and list ｃｏｍｍｕｎｉｔｉｅｓ were refused, as ｇａｓ was."""
    assert run(runner, root, "--lang", "ｅｎ", "list", "ｃｏｍｍｕｎｉｔｉｅｓ") == run(
        runner, root, "list", "communities"
    )
    assert run(runner, root, "handover", "--format", "ｍｄ").startswith("#")
    for lang, said in (
        ("zh", "--format 只能是 md、xlsx 之一（输入的是「ｐｄｆ」）"),
        ("en", "--format must be one of md, xlsx (got 'ｐｄｆ')"),
    ):
        code, lines = refused(runner, root, "--lang", lang, "handover", "--format", "ｐｄｆ")
        assert code == 1 and len(lines) == 1 and said in lines[0], lines


def test_a_store_is_not_made_among_other_files(runner: CliRunner, root: Path, tmp_path: Path) -> None:
    """`demo --store ~/文档` (or `import` there) wrote the store's files among the officer's own:
    refused, naming the folder as no store, nothing written; an empty folder still takes a store."""
    papers = tmp_path / "文档"
    papers.mkdir()
    (papers / "值班表.docx").write_bytes(b"x")
    workbook = tmp_path / "底册.xlsx"
    assert runner.invoke(cli, ["--store", str(root), "export", str(workbook)]).exit_code == 0
    for args in (("demo",), ("import", str(workbook)), ("duty", "log", "--content", "x")):
        for lang, said in (
            ("zh", f"duty-room: {papers} 不是 duty-room 数据目录"),
            ("en", f"duty-room: {papers} is not a duty-room store"),
        ):
            result = runner.invoke(cli, ["--store", str(papers), "--lang", lang, *args])
            assert result.exit_code == 2 and result.output.startswith(said), result.output
            assert sorted(p.name for p in papers.iterdir()) == ["值班表.docx"]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert runner.invoke(cli, ["--store", str(empty), "demo"]).exit_code == 0
