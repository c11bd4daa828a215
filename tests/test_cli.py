"""The `duty-room` command line: store selection, demo building, checks and clear failures."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from rich.cells import cell_len

from duty_room.cli import cli
from store.models import Petition, ServiceSession, SessionState
from store.storage import Store
from tests.conftest import build_small_store, frozen_command, store_bytes
from tools.ptyterm import Terminal


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, frozen_clock: str) -> CliRunner:
    # Keep the per-user folders of the machine out of the tests.
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.delenv("DUTY_ROOM_STORE", raising=False)
    return CliRunner()


def test_demo_without_store_goes_to_its_own_folder_and_rebuilds(runner: CliRunner, tmp_path: Path) -> None:
    for _ in range(2):  # a second run rebuilds instead of refusing
        result = runner.invoke(cli, ["demo"])
        assert result.exit_code == 0, result.output
    demo = tmp_path / "xdg-data" / "duty-room" / "demo"
    assert len(Store(demo).all(Petition)) > 20
    assert not (tmp_path / "xdg-data" / "duty-room" / "store").exists()  # the real store is untouched


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        (
            "zh",
            "已在 {path} 建好演示数据（{seconds} 秒）：8 个社区、79 个网格、85 名网格员、422 户居民、"
            "24 件未结案件和 27 件已结案件、20 项一老一小服务、33 个摊位",
        ),
        (
            "en",
            "built demo store in {path} ({seconds} s): 8 communities, 79 grids, 85 grid workers, 422 households, "
            "24 open cases and 27 ended, 20 services for the old and the young, 33 stalls",
        ),
    ],
)
def test_demo_says_what_it_built_in_one_line_in_the_interface_language(
    runner: CliRunner, tmp_path: Path, lang: str, said: str
) -> None:
    """It printed English and a Python repr to everyone: `built demo store in … DemoSummary(communities=8, …)`."""
    target = tmp_path / "store"
    result = runner.invoke(cli, ["--store", str(target), "--lang", lang, "demo"])
    assert result.exit_code == 0, result.output
    [line] = result.output.splitlines()
    seconds = line.split("（" if lang == "zh" else "(", 1)[1].split(" ", 1)[0]
    assert line == said.format(path=target, seconds=seconds)


def test_demo_refuses_to_overwrite_a_named_store(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "mine"
    assert runner.invoke(cli, ["--store", str(target), "demo"]).exit_code == 0
    cases = sorted((target / "petitions").iterdir())
    before = [path.read_bytes() for path in cases]
    result = runner.invoke(cli, ["--store", str(target), "demo"])
    assert result.exit_code == 1
    # One line in the interface's language naming the option, not the Python API's `replace=True`.
    [line] = result.output.splitlines()
    assert line.startswith(f"duty-room: {target} 已有数据（communities.json, ")
    assert line.endswith("--replace 删除其中的文件后重建")
    assert sorted((target / "petitions").iterdir()) == cases
    assert [path.read_bytes() for path in cases] == before
    assert runner.invoke(cli, ["--store", str(target), "demo", "--replace"]).exit_code == 0


def test_store_cannot_come_from_the_environment(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "from-env"
    monkeypatch.setenv("DUTY_ROOM_STORE", str(target))
    result = runner.invoke(cli, ["demo"])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "DUTY_ROOM_STORE" in result.output  # one line naming it
    assert not target.exists()


def test_store_from_the_system_config(runner: CliRunner, tmp_path: Path, system_config: Path) -> None:
    target = tmp_path / "from-system"
    system_config.write_text(f'store = "{target}"\n', encoding="utf-8")
    assert runner.invoke(cli, ["--store", str(target), "demo"]).exit_code == 0
    result = runner.invoke(cli, ["check"])
    assert result.exit_code == 0 and result.output.startswith("ok: ")


def test_check_names_the_damaged_file_and_record(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "damaged"
    assert runner.invoke(cli, ["--store", str(target), "demo"]).exit_code == 0
    path = target / "stalls.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    first = next(iter(data["records"].values()))
    first["monthly_fee_fen"] = -5
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(cli, ["--store", str(target), "check"])
    assert result.exit_code == 2
    assert "stalls.json" in result.output and first["id"] in result.output and "monthly_fee_fen" in result.output


def test_empty_store_says_how_to_get_the_demo(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["--store", str(tmp_path / "nothing-here")])
    assert result.exit_code == 2  # no store is "unreachable" (exit codes shared by all commands)
    assert "duty-room demo --run" in result.output


def test_bad_configuration_is_one_clear_line(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('refresh_seconds = "often"\n', encoding="utf-8")
    monkeypatch.setenv("DUTY_ROOM_CONFIG", str(config))
    result = runner.invoke(cli, ["check"])
    assert result.exit_code == 1
    # The file and the key that gave the bad value (it said the key alone: which of the files, the
    # environment or the command line was left to guess).
    assert result.output == f"duty-room: 配置有误：{config} refresh_seconds：须为数字\n"
    result = runner.invoke(cli, ["--lang", "en", "check"])
    assert (result.exit_code, result.output) == (
        1,
        f"duty-room: bad configuration: {config} refresh_seconds: not a number\n",
    )


@pytest.mark.parametrize(
    ("setting", "zh", "en"),
    [
        (["--refresh", "0.01"], "配置有误：--refresh：不能小于 0.2", "configuration: --refresh: at least 0.2"),
        (
            {"DUTY_ROOM_REFRESH_SECONDS": "0.01"},
            "配置有误：DUTY_ROOM_REFRESH_SECONDS：不能小于 0.2",
            "configuration: DUTY_ROOM_REFRESH_SECONDS: at least 0.2",
        ),
        (
            {"DUTY_ROOM_READ_ONLY": "maybe"},
            "DUTY_ROOM_READ_ONLY：只能是 true 或 false（写的是「maybe」）",
            "DUTY_ROOM_READ_ONLY: not true or false",
        ),
        (
            {"DUTY_ROOM_ASCII": "often"},
            "DUTY_ROOM_ASCII：只能是 true 或 false（写的是「often」）",  # what was written, as read_only's says it
            "DUTY_ROOM_ASCII: not true or false: 'often'",
        ),
        ("colour = 1\n", "没有 colour 这个设置项", "unknown key 'colour'"),
        # tomllib's, pydantic's and the codec's own English, or a wrong word: 'lang：必填' for "fr"
        ('lang = "en\nlite = true\n', "第 1 行第 11 列写法不对（不是有效的 TOML）", "at line 1, column 11 (Illegal"),
        ('lang = "fr"\n', "lang：只能是 zh、en 之一", None),  # (--lang en would set it)
        ('[keymap]\n"panel.zoom" = 5\n', "keymap.panel.zoom：须为文字（加引号）", "must be text (in quotes)"),
        (b"\xff\xfelang", "不是 UTF-8 文本", "not UTF-8 text"),
    ],
    ids=[
        "option",
        "environment, a number",
        "environment",
        "environment, a type",
        "config file",
        "toml",
        "a choice",
        "a type",
        "not utf-8",
    ],
)
def test_a_refused_setting_is_said_in_the_interface_language(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setting: object, zh: str, en: str | None
) -> None:
    """Said before the settings are known, in the language asked for (--lang, DUTY_ROOM_LANG, else Chinese):
    a setting pydantic refuses said its reason in English (Input should be greater than or equal to 0.2)."""
    options: list[str] = setting if isinstance(setting, list) else []
    if isinstance(setting, dict):
        for name, value in setting.items():
            monkeypatch.setenv(name, value)
    if isinstance(setting, str | bytes):
        file = tmp_path / "config.toml"
        file.write_bytes(setting if isinstance(setting, bytes) else setting.encode())
        monkeypatch.setenv("DUTY_ROOM_CONFIG", str(file))
    result = runner.invoke(cli, [*options, "check"])
    assert result.exit_code == 1 and result.output.startswith("duty-room: 配置有误：") and zh in result.output
    assert result.output.count("\n") == 1
    if en is None:
        return
    result = runner.invoke(cli, ["--lang", "en", *options, "check"])
    assert result.exit_code == 1 and "bad configuration" in result.output and en in result.output
    assert result.output.count("\n") == 1


def test_a_bad_value_is_named_where_the_value_taken_was_given(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file, the environment and the command line can each give refresh_seconds; the last given
    is the one taken, so a refusal names that one, not the setting alone."""
    config = tmp_path / "config.toml"
    config.write_text("refresh_seconds = 0.01\n", encoding="utf-8")
    monkeypatch.setenv("DUTY_ROOM_CONFIG", str(config))
    said = lambda *options: runner.invoke(cli, [*options, "whoami"]).output  # noqa: E731
    assert said() == f"duty-room: 配置有误：{config} refresh_seconds：不能小于 0.2\n"
    monkeypatch.setenv("DUTY_ROOM_REFRESH_SECONDS", "0.02")
    assert said() == "duty-room: 配置有误：DUTY_ROOM_REFRESH_SECONDS：不能小于 0.2\n"
    assert said("--refresh", "0.03") == "duty-room: 配置有误：--refresh：不能小于 0.2\n"
    assert said("--refresh", "2").startswith("操作人: ")  # a good value given last is taken: nothing refused


def test_a_config_path_that_is_a_folder_is_refused_not_ignored(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DUTY_ROOM_CONFIG naming a folder was taken as no file at all: the settings meant went unread."""
    monkeypatch.setenv("DUTY_ROOM_CONFIG", str(tmp_path))
    result = runner.invoke(cli, ["check"])
    assert (result.exit_code, result.output) == (
        1,
        f"duty-room: 配置有误：{tmp_path}：不是文件（是文件夹）（EISDIR）\n",
    )


def test_dashboard_on_a_damaged_store_exits_2_naming_the_file(tmp_path: Path, frozen_clock: str) -> None:
    target = tmp_path / "store"
    assert CliRunner().invoke(cli, ["--store", str(target), "demo"]).exit_code == 0
    damaged = max((target / "petitions").glob("????-??-??.json"))  # the newest day file of live cases
    damaged.write_bytes(b'{"records": {"1": ')
    term = Terminal(
        frozen_command("--store", str(target)), 80, 24, {"TERM": "dumb", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    )
    try:
        assert term.wait_closed(seconds=60), term.text()
        assert term.exit_code() == 2, term.text()
        assert f"petitions/{damaged.name}" in term.text()
    finally:
        term.close()


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("zh", "duty-room: 仪表板要在终端里打开（ssh 请加 -t；只看摘要：duty-room summary）\n"),
        ("en", "duty-room: the dashboard needs a terminal (ssh -t; a digest: duty-room summary)\n"),
    ],
)
def test_the_dashboard_asked_for_without_a_terminal_is_refused_in_one_line(
    tmp_path: Path, lang: str, said: str
) -> None:
    """`ssh host duty-room` without -t gives the dashboard no terminal: it drew its screen down a pipe
    and waited for keys that could not come, a third of a CPU spent reading nothing (stdin at its
    end reads as ready at once), until someone killed it."""
    target = tmp_path / "store"
    assert CliRunner().invoke(cli, ["--store", str(target), "demo"]).exit_code == 0
    before = store_bytes(target)
    result = subprocess.run(
        frozen_command("--store", str(target), "--lang", lang),
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        env={"TERM": "xterm-256color", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert (result.returncode, result.stdout, result.stderr) == (1, "", said)
    assert cell_len(said.rstrip("\n")) <= 80  # one line on the narrowest terminal
    assert store_bytes(target) == before


def test_summary_is_small_lists_overdue_ids_and_exits_1(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "s"
    assert runner.invoke(cli, ["--store", str(target), "demo"]).exit_code == 0
    result = runner.invoke(cli, ["--store", str(target), "summary"])
    assert result.exit_code == 1  # the demo has overdue cases
    assert len(result.output.encode("utf-8")) < 1024
    data = json.loads(runner.invoke(cli, ["--store", str(target), "summary", "--json"]).output)
    store = Store(target)
    from store import clock
    from store.queries import open_petitions

    overdue = [v.petition.id for v in open_petitions(store, clock.now()) if v.overdue]
    assert data["overdue"] == overdue and len(overdue) > 0
    assert overdue[0] in result.output
    assert data["late_sessions"] and data["stall_arrears"]
    fees = data["fees_fen"]
    assert fees["to_date"] >= fees["year"] >= fees["month"] > 0
    # The demo's fees are whole yuan, written as the stalls panel writes them (¥2,686, not ¥2686).
    assert (
        f"本月¥{fees['month'] // 100:,} 今年¥{fees['year'] // 100:,} 累计¥{fees['to_date'] // 100:,}" in result.output
    )
    assert fees["to_date"] >= 100_000
    assert data["next_session"]["start"] in result.output


def test_summary_digest_holds_the_dashboards_figures(runner: CliRunner, tmp_path: Path) -> None:
    """`summary` reads the digest, a part of what the dashboard reads: the same figures."""
    from store import clock
    from store.queries import dashboard, digest

    target = tmp_path / "s"
    assert runner.invoke(cli, ["--store", str(target), "demo"]).exit_code == 0
    now = clock.now()
    full, part = dashboard(Store(target), now), digest(Store(target), now)
    assert (part.township, len(part.petitions)) == (full.headline.township, full.headline.open)
    assert (part.petitions, part.progress, part.sessions) == (full.petitions, full.progress, full.sessions)
    assert (part.stalls, part.fees, part.upcoming) == (full.stalls, full.fees, full.upcoming)


def test_summary_validates_the_open_cases_alone(runner: CliRunner, tmp_path: Path) -> None:
    """Issue 13: a cold `summary` validated every case of the live day files, though it counts the
    open ones only (on a township half of them are closed in the last 30 days, ~6% of its
    instructions). A closed case there is validated by the dashboard's read and named by `check`;
    `summary` says the same figures without it, and an open case damaged still stops it (exit 2)."""
    import orjson

    target = tmp_path / "s"
    assert runner.invoke(cli, ["--store", str(target), "demo"]).exit_code == 0
    before = runner.invoke(cli, ["--store", str(target), "summary", "--json"])
    day_files = sorted((target / "petitions").glob("????-??-??*.json"))

    def damage(status_open: bool) -> Path:
        for path in day_files:
            data = orjson.loads(path.read_bytes())
            for doc in data["records"].values():
                if (doc["status"] in ("closed", "cancelled", "merged")) != status_open:
                    doc["title"] = ""  # no case has an empty title
                    path.write_bytes(orjson.dumps(data))
                    return path
        raise AssertionError("no such case")

    damaged = damage(status_open=False)
    after = runner.invoke(cli, ["--store", str(target), "summary", "--json"])
    assert (after.exit_code, after.output) == (before.exit_code, before.output)
    check = runner.invoke(cli, ["--store", str(target), "check"])
    assert check.exit_code == 2 and damaged.name in check.output
    damaged = damage(status_open=True)
    result = runner.invoke(cli, ["--store", str(target), "summary"])
    assert result.exit_code == 2 and damaged.name in result.output


def test_summary_counts_a_communitys_living_alone_households_over_all_its_large_grids(
    runner: CliRunner, tmp_path: Path
) -> None:
    """东城花园 has five large grids: `summary` said 东城花园社区3 (the last one's count) where the
    dashboard and the hand-over count 12 living-alone households not yet visited today."""
    from store import clock
    from store.models import SpecialTag
    from store.queries import community_progress, visit_progress

    target = tmp_path / "s"
    assert runner.invoke(cli, ["--store", str(target), "demo"]).exit_code == 0
    communities = community_progress(visit_progress(Store(target), clock.now().date()))
    expected = {c.name: n for c in communities if (n := c.special_unvisited.get(SpecialTag.LIVING_ALONE, 0))}
    assert expected["东城花园社区"] > 3
    data = json.loads(runner.invoke(cli, ["--store", str(target), "summary", "--json"]).output)
    assert data["unvisited_living_alone"] == expected
    line = " ".join(f"{name}{count}" for name, count in expected.items())
    assert f"独居老人今日未访: {line}" in runner.invoke(cli, ["--store", str(target), "summary"]).output


def test_summary_validates_only_the_living_alone_households_plans_and_visits(runner: CliRunner, tmp_path: Path) -> None:
    """Issue 13: of today's visit plans and visits `summary` says only how many 独居老人 are not
    visited yet; it validated all of them (on a township 1,335 plans and ~700 visits, ~5% of its
    instructions). Another household's plan damaged is `check`'s to name; a 独居老人's plan
    damaged still stops `summary` (exit 2)."""
    import orjson

    from store import clock

    target = tmp_path / "s"
    assert runner.invoke(cli, ["--store", str(target), "demo"]).exit_code == 0
    before = runner.invoke(cli, ["--store", str(target), "summary", "--json"])
    assert json.loads(before.output)["unvisited_living_alone"]
    plans = target / "visit_plans" / f"{clock.now().date().isoformat()}.json"

    def damage(living_alone: bool) -> None:
        data = orjson.loads(plans.read_bytes())
        doc = next(d for d in data["records"].values() if ("living_alone" in d["tags"]) == living_alone)
        doc["worker_id"] = ""  # no plan is nobody's
        plans.write_bytes(orjson.dumps(data))

    damage(living_alone=False)
    after = runner.invoke(cli, ["--store", str(target), "summary", "--json"])
    assert (after.exit_code, after.output) == (before.exit_code, before.output)
    check = runner.invoke(cli, ["--store", str(target), "check"])
    assert check.exit_code == 2 and plans.name in check.output
    damage(living_alone=True)
    result = runner.invoke(cli, ["--store", str(target), "summary"])
    assert result.exit_code == 2 and plans.name in result.output


def without_figures(paths: list[Path]) -> dict[Path, object]:
    """Each file written again without the figures it keeps, as an older duty-room wrote it: its records, by path."""
    import orjson

    records = {}
    for path in paths:
        data = orjson.loads(path.read_bytes())
        next(iter(data["_meta"].values())).pop("figures")
        path.write_bytes(orjson.dumps(data))
        records[path] = data["records"]
    return records


def validated_ids(monkeypatch: pytest.MonkeyPatch, model_name: str) -> list[str]:
    """The ids of the ``model_name`` records the store validates from now on (as it reads a file:
    ``storage._validate_all``), in a list that grows as it does."""
    from store import storage

    validated: list[str] = []
    validate_all = storage._validate_all

    def counting(path: Path, model: type, data: dict, known: dict, remember: bool = True) -> object:
        if model.__name__ == model_name:
            docs = data.get(storage.RECORDS, {})
            validated.extend(doc["id"] if isinstance(doc, dict) and "id" in doc else key for key, doc in docs.items())
        return validate_all(path, model, data, known, remember)

    monkeypatch.setattr(storage, "_validate_all", counting)
    return validated


def test_summary_reads_the_figures_each_payments_file_keeps(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 13: `summary` validated every year's stall payments (~1,350 on the demo and on a
    township, ~6% of its instructions) for the fees' line and the arrears. Each payments file keeps
    its figures as written (fen by the month paid in, and by spot and the month paid for, with a
    digest of its records and the figures): `summary` reads them and validates no payment, its
    output the same. A file whose records or figures are not those it was written with (written by
    an older duty-room, which keeps none; changed by hand; damaged) has its payments validated as
    before: the figures follow the records, and a damaged one stops `summary` (exit 2)."""
    import orjson

    from store import clock
    from store.queries import dashboard, digest

    target = tmp_path / "s"
    assert runner.invoke(cli, ["--store", str(target), "demo"]).exit_code == 0
    validated = validated_ids(monkeypatch, "StallPayment")

    def summary() -> tuple[int, dict]:
        validated.clear()
        result = runner.invoke(cli, ["--store", str(target), "summary", "--json"])
        return result.exit_code, json.loads(result.output) if result.exit_code in (0, 1) else result.output

    before = summary()
    assert validated == []
    assert before[1]["fees_fen"]["to_date"] > 0 and before[1]["stall_arrears"]
    now = clock.now()
    assert digest(Store(target, read_once=True), now, for_summary=True).fees == dashboard(Store(target), now).fees
    files = sorted((target / "payments").glob("*.json"))
    assert len(files) >= 2

    def edit(path: Path, change: object) -> int:
        data = orjson.loads(path.read_bytes())
        change(data)  # type: ignore[operator]
        path.write_bytes(orjson.dumps(data))
        return len(data["records"])

    def meta(data: dict) -> dict:
        return next(iter(data["_meta"].values()))

    # As an older duty-room writes it: no figures kept. The same output, its payments validated.
    count = edit(files[-1], lambda data: meta(data).pop("figures"))
    assert summary() == before and len(validated) == count
    # The figures changed by hand, the records not: not believed.
    first = files[0]
    count += edit(first, lambda data: meta(data)["figures"]["sums"]["paid_in"].update({"2019-01": 100}))
    assert summary() == before and len(validated) == count  # (both files')

    # A payment's amount changed by hand, still a payment: the figures are the records'.
    def more(data: dict) -> None:
        next(iter(data["records"].values()))["amount_fen"] += 100

    edit(first, more)
    after = summary()
    assert after[1]["fees_fen"]["to_date"] == before[1]["fees_fen"]["to_date"] + 100
    # Damaged: `summary` stops, naming the file, as when it validated every payment.
    edit(first, lambda data: next(iter(data["records"].values())).update({"amount_fen": "¥100"}))
    result = runner.invoke(cli, ["--store", str(target), "summary"])
    assert result.exit_code == 2 and first.name in result.output
    check = runner.invoke(cli, ["--store", str(target), "check"])
    assert check.exit_code == 2 and first.name in check.output


def test_check_repair_writes_the_figures_a_payments_file_lacks(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store written before payments files kept their figures: a past year's file is seldom
    written again, so `summary` would validate its payments at every start. `check --repair`
    writes each such file again with its figures, its records as they were (a damaged one is left,
    and said by check); `summary` then validates no payment, with the same output."""
    import orjson

    target = tmp_path / "s"
    assert runner.invoke(cli, ["--store", str(target), "demo"]).exit_code == 0
    before = runner.invoke(cli, ["--store", str(target), "summary", "--json"]).output
    files = sorted((target / "payments").glob("*.json"))[:3]
    records = without_figures(files)
    damaged = files[2]
    data = orjson.loads(damaged.read_bytes())
    first = next(iter(data["records"].values()))
    amount, first["amount_fen"] = first["amount_fen"], 0
    damaged.write_bytes(orjson.dumps(data))

    repaired = runner.invoke(cli, ["--store", str(target), "check", "--repair"])
    assert repaired.exit_code == 2 and damaged.name in repaired.output  # (left, and said)
    for path in files[:2]:
        assert f"payments/{path.name} 已写入收费合计" in repaired.output
        assert orjson.loads(path.read_bytes())["records"] == records[path]
    assert f"payments/{damaged.name} 已写入" not in repaired.output
    first["amount_fen"] = amount  # mended by hand, still without figures
    damaged.write_bytes(orjson.dumps(data))
    repaired = runner.invoke(cli, ["--store", str(target), "check", "--repair"])
    assert repaired.exit_code == 0 and f"payments/{damaged.name} 已写入收费合计" in repaired.output
    assert f"payments/{files[0].name}" not in repaired.output  # (written once)

    validated = validated_ids(monkeypatch, "StallPayment")
    assert runner.invoke(cli, ["--store", str(target), "summary", "--json"]).output == before
    assert validated == []


def test_summary_reads_the_open_cases_each_day_file_keeps(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 13: `summary` validated every open case of the live day files (337 on a township) and
    their communities and grids, for three counts and two lists of ids. Each day file keeps, as it is written, its
    open cases' ids, due times and whether they await action, with a digest of its records and
    them (``Petition.figures_of``, as the payments files keep their fees): `summary` reads them and
    validates no case, its output the same. An archive keeps none (written by every day's move). A
    day file not as written (an older duty-room's, edited by hand, damaged) has its open cases
    validated as before: an open case damaged stops `summary` (exit 2), and `check` names it."""
    import orjson

    target = tmp_path / "s"
    assert runner.invoke(cli, ["--store", str(target), "demo"]).exit_code == 0
    validated = validated_ids(monkeypatch, "Petition")

    def summary(*lang: str) -> tuple[int, str]:
        validated.clear()
        result = runner.invoke(cli, ["--store", str(target), *lang, "summary", "--json"])
        return result.exit_code, result.output

    before = summary()
    assert validated == [] and json.loads(before[1])["overdue"]
    day_files = sorted((target / "petitions").glob("????-??-??*.json"))
    archives = sorted((target / "petitions").glob("archive-*.json"))
    assert day_files and archives
    assert all("figures" not in next(iter(orjson.loads(p.read_bytes())["_meta"].values())) for p in archives)

    def edit(path: Path, change: object) -> dict:
        data = orjson.loads(path.read_bytes())
        change(data)  # type: ignore[operator]
        path.write_bytes(orjson.dumps(data))
        return data

    def meta(data: dict) -> dict:
        return next(iter(data["_meta"].values()))

    with_open = [p for p in day_files if meta(orjson.loads(p.read_bytes()))["figures"]["sums"]["open"]]
    # As an older duty-room writes it: no figures kept. The same output, its open cases validated.
    data = edit(with_open[0], lambda data: meta(data).pop("figures"))
    assert summary() == before
    assert validated and set(validated) <= {doc["id"] for doc in data["records"].values()}
    # The figures changed by hand, the records not: not believed.
    edit(with_open[1], lambda data: meta(data)["figures"]["sums"]["open"].clear())
    assert summary() == before
    # An open case damaged: `summary` stops, naming the file, as when it validated every open case.

    def damage(data: dict) -> None:
        doc = next(d for d in data["records"].values() if d["status"] not in ("closed", "cancelled", "merged"))
        doc["title"] = ""  # no case has an empty title

    edit(with_open[1], damage)
    result = runner.invoke(cli, ["--store", str(target), "summary"])
    assert result.exit_code == 2 and with_open[1].name in result.output
    check = runner.invoke(cli, ["--store", str(target), "check"])
    assert check.exit_code == 2 and with_open[1].name in check.output


def test_check_repair_writes_the_open_cases_a_day_file_lacks(runner: CliRunner, tmp_path: Path) -> None:
    """A store written before day files kept their open cases' figures: `check --repair` writes
    each such day file again with them, its records as they were (an archive keeps none), and
    `summary` says the same."""
    import orjson

    target = tmp_path / "s"
    assert runner.invoke(cli, ["--store", str(target), "demo"]).exit_code == 0
    before = runner.invoke(cli, ["--store", str(target), "summary", "--json"]).output
    day_files = sorted((target / "petitions").glob("????-??-??*.json"))[:2]
    records = without_figures(day_files)
    repaired = runner.invoke(cli, ["--store", str(target), "--lang", "en", "check", "--repair"])
    assert repaired.exit_code == 0, repaired.output
    for path in day_files:
        assert f"petitions/{path.name}: its open cases' figures written" in repaired.output
        data = orjson.loads(path.read_bytes())
        assert data["records"] == records[path] and "figures" in next(iter(data["_meta"].values()))
    assert "archive-" not in repaired.output
    assert runner.invoke(cli, ["--store", str(target), "summary", "--json"]).output == before


def test_summary_exits_0_when_nothing_is_overdue(runner: CliRunner, tmp_path: Path) -> None:
    from store.lifecycle import change_status
    from store.models import PetitionStatus

    target = tmp_path / "calm"
    store = build_small_store(target)
    for case in ("MK261127-001", "MK261127-002"):  # the two overdue ones are withdrawn
        change_status(store, case, PetitionStatus.CANCELLED, note="撤诉")
    for session in store.all(ServiceSession, "2026-11-28"):  # and the late class is done
        with store.transaction() as tx:
            tx.put(session.model_copy(update={"state": SessionState.DONE, "served": 12}))
    result = runner.invoke(cli, ["--store", str(target), "summary"])
    assert result.exit_code == 0, result.output


def test_summary_on_a_missing_store_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    assert runner.invoke(cli, ["--store", str(tmp_path / "none"), "summary"]).exit_code == 2


def test_system_config_sets_school_breaks_and_fee_reductions(system_config: Path) -> None:
    from datetime import date

    from duty_room.config import load_settings
    from store.market import monthly_due_fen
    from store.models import Stall

    system_config.write_text(
        "[deadlines]\nschool_breaks = [{first = 2027-01-18, last = 2027-02-21}]\n"
        "[fees.reduction_percent]\ndisabled = 100\nveteran = 20\n",
        encoding="utf-8",
    )
    settings = load_settings()
    assert not settings.deadlines.is_school_day(date(2027, 1, 18))
    assert settings.deadlines.is_school_day(date(2027, 2, 22))
    veteran = Stall(id="s", market="玉兰商业街", community_id="c", number=1, monthly_fee_fen=15000, reduction="veteran")
    assert monthly_due_fen(veteran, settings.fees) == 12000
    assert monthly_due_fen(veteran.model_copy(update={"reduction": "disabled"}), settings.fees) == 0


def test_a_session_completed_late_stays_late_today(runner: CliRunner, tmp_path: Path) -> None:
    """迟到记录保留: once the late 08:30 session (over at 09:20) is completed it leaves the alarm
    (the header's 迟到), but summary's 今日迟到 and the shift's hand-over keep it: who, what, how late."""
    from store import clock
    from store.deadlines import DeadlineRules
    from store.queries import dashboard
    from store.schedule import SessionRef, complete

    target = tmp_path / "s"
    assert runner.invoke(cli, ["--store", str(target), "demo"]).exit_code == 0
    store = Store(target, actor="duty-officer")
    ref = SessionRef(clock.now().date(), "sc-04.20261128")  # 08:30 跑腿代购, late at 09:30
    assert dashboard(store, clock.now()).headline.late_sessions == 1
    complete(store, ref, 3, DeadlineRules())
    assert dashboard(Store(target), clock.now()).headline.late_sessions == 0  # late now: none
    text = runner.invoke(cli, ["--store", str(target), "summary"]).output
    assert "今日迟到: 08:30 跑腿代购：买菜、取药 未签到，09:30完成，迟60分钟" in text
    [late] = json.loads(runner.invoke(cli, ["--store", str(target), "summary", "--json"]).output)["late_sessions"]
    assert (late["id"], late["late_minutes"], late["still"]) == ("sc-04.20261128", 60, False)
    report = runner.invoke(cli, ["--store", str(target), "handover"]).output
    section = report.split("## 一老一小迟到")[1].split("##")[0]
    assert "08:30 跑腿代购：买菜、取药（" in section and "未签到，09:30完成，迟60分钟；负责：" in section


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_panel_3s_line_says_the_days_late_count_beside_the_one_now_and_fits(
    runner: CliRunner, tmp_path: Path, lang: str
) -> None:
    """迟到未签 on panel 3's line is the header's (late now, in its words); the day's, kept once a late
    session is completed, is said beside it, each version fitting a third of the screen (120x40)."""

    from duty_room.panels.services import service_summary
    from duty_room.presenters import Presenter
    from store import clock
    from store.deadlines import DeadlineRules
    from store.queries import dashboard
    from store.schedule import SessionRef, complete

    target = tmp_path / "s"
    assert runner.invoke(cli, ["--store", str(target), "demo"]).exit_code == 0
    store = Store(target, actor="duty-officer")
    complete(store, SessionRef(clock.now().date(), "sc-04.20261128"), 3, DeadlineRules())
    p = Presenter(lang)  # type: ignore[arg-type]
    data = dashboard(store, clock.now())
    lines = service_summary(p, data.sessions)
    assert data.headline.late_sessions == 0
    assert ("今日迟到1" if lang == "zh" else "1 late today") in lines[-1].plain
    assert lines[-1].cell_len <= 38
    clock.freeze("2026-11-28T10:30:00+08:00")  # the 10:00 session is late now too
    data = dashboard(store, clock.now())
    lines = service_summary(p, data.sessions)
    assert data.headline.late_sessions == 1
    assert ("迟到未签1 今日迟到2" if lang == "zh" else "1 absent (2 late today)") in lines[-1].plain
    assert lines[-1].cell_len <= 38


def test_petition_add_refuses_a_unit_the_grid_does_not_hold(runner: CliRunner, tmp_path: Path) -> None:
    """`petition add --grid dc-M01 --unit 2单元` registered a case on the 1号楼1单元 grid for a unit it
    does not hold. Refused as the dashboard's form refuses it (exit 1, nothing written)."""
    target = tmp_path / "small"
    build_small_store(target)
    add = ["petition", "add", "--title", "楼道灯不亮", "--category", "infrastructure", "--community", "dongcheng"]
    add += ["--grid", "dc-M01", "--building", "1号楼"]
    for lang, said in (
        ("zh", "网格「1号楼1单元」的住户在1号楼1单元，不在1号楼2单元"),
        ("en", "not in building 1 unit 2"),
    ):
        result = runner.invoke(cli, ["--store", str(target), "--lang", lang, *add, "--unit", "2单元"])
        assert result.exit_code == 1, result.output
        assert said in result.output, result.output
    assert runner.invoke(cli, ["--store", str(target), *add, "--unit", "1单元"]).exit_code == 0
    assert [p.unit for p in Store(target).all(Petition) if p.title == "楼道灯不亮"] == ["1单元"]


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("zh", "duty-room: 已中断（Ctrl+C）：写入整笔完成或全无；duty-room check 可核对\n"),
        ("en", "duty-room: interrupted (Ctrl+C): writes are whole or none; see duty-room check\n"),
    ],
)
def test_ctrl_c_in_the_middle_of_an_import_is_one_line_exit_130_and_nothing_written(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str, said: str
) -> None:
    """Ctrl+C during an import said click's English "Aborted!" and exited 1, which monitoring
    reads as cases needing attention; now one line in the interface language, exit 130."""
    import duty_room.data_cli
    from store.models import Community
    from tests.conftest import store_bytes

    store = build_small_store(tmp_path / "s")
    before = store_bytes(store.root)
    sheet = tmp_path / "社区.xlsx"
    assert runner.invoke(cli, ["--store", str(store.root), "export", str(sheet), "--tables", "社区"]).exit_code == 0

    def interrupted_half_way(store: Store, *args: object, **kwargs: object) -> None:
        with store.transaction() as tx:
            tx.put(Community(id="new", name="新社区", township="孟轲乡"))
            raise KeyboardInterrupt  # the officer's Ctrl+C, with the transaction under way

    monkeypatch.setattr(duty_room.data_cli, "import_tables", interrupted_half_way)
    result = runner.invoke(cli, ["--store", str(store.root), "--lang", lang, "import", str(sheet)])
    assert result.exit_code == 130
    assert result.output == said  # (CliRunner mixes stderr in)
    assert store_bytes(store.root) == before


def test_an_environment_variable_that_is_no_setting_is_named_once(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DUTY_ROOM_TZ was silently not read: the officer believed the clock's zone had changed. One line
    names it and the command runs on; settings (DUTY_ROOM_LANG) and DUTY_ROOM_CONFIG are not named."""
    monkeypatch.setenv("DUTY_ROOM_TZ", "UTC")
    monkeypatch.setenv("duty_room_langauge", "en")
    monkeypatch.setenv("DUTY_ROOM_LANG", "zh")
    result = runner.invoke(cli, ["whoami"])
    assert result.exit_code == 0, result.output
    warned = [line for line in result.stderr.splitlines() if "不是设置项" in line]
    assert warned == ["duty-room: 注意：环境变量 DUTY_ROOM_TZ duty_room_langauge 不是设置项，未读取"], result.stderr
    monkeypatch.delenv("DUTY_ROOM_TZ")
    monkeypatch.delenv("duty_room_langauge")
    assert "不是设置项" not in runner.invoke(cli, ["whoami"]).stderr


@pytest.mark.parametrize(
    ("args", "zh", "en"),
    [
        (
            ["check", "--repair", "--accept-missing", ""],
            "--accept-missing 不能为空",
            "--accept-missing cannot be empty",
        ),
        (
            ["check", "--repair", "--accept-missing", " "],
            "--accept-missing 不能为空",
            "--accept-missing cannot be empty",
        ),
        (["petition", "show", ""], "CASE_ID 不能为空", "CASE_ID cannot be empty"),
        (["duty", "correct", "", "--set", "content=x", "--note", "y"], "ENTRY_ID 不能为空", "ENTRY_ID cannot be empty"),
        (
            ["incident", "report", " ", "--stage", "phone", "--to", "x"],
            "INCIDENT_ID 不能为空",
            "INCIDENT_ID cannot be empty",
        ),
        (["duty", "entries", "--shift", ""], "--shift 不能为空", "--shift cannot be empty"),
        (["duty", "log", "--content", "x", "--at", ""], "--at 不能为空", "--at cannot be empty"),
        (["duty", "today", "--at", " "], "--at 不能为空", "--at cannot be empty"),
        (
            ["incident", "open", "--title", "x", "--category", "natural", "--known", ""],
            "--known 不能为空",
            "--known cannot be empty",
        ),
        # a filter from a variable unset listed every case, as if none were given
        (["petition", "list", "--grid", ""], "--grid 不能为空", "--grid cannot be empty"),
        (["petition", "list", "--assignee", " "], "--assignee 不能为空", "--assignee cannot be empty"),
        (["petition", "list", "--status", "new", "--status", ""], "--status 不能为空", "--status cannot be empty"),
        (
            ["petition", "add", "--title", "x", "--community", "dongcheng", "--grid", ""],
            "--grid 不能为空",
            "--grid cannot be empty",
        ),
        (["duty", "log", "--content", "x", "--community", ""], "--community 不能为空", "--community cannot be empty"),
    ],
)
def test_an_empty_value_is_said_as_empty_not_as_a_gap_in_a_sentence(
    runner: CliRunner, small_store: Store, args: list[str], zh: str, en: str
) -> None:
    """`check --repair --accept-missing ''` said `duty-room:  不是 manifest.json 列出的数据文件` (two
    spaces, the name missing), `petition show ''` `没有这个案件：`, `duty log --at ''` `时间格式不对：（写成…`
    and `duty entries --shift ''` listed
    the shift on duty as if no --shift were given (a variable unset, as `export "$DIR"`): an empty value
    is refused as empty, naming the option or argument, exit 1, as `list ''` is."""
    before = store_bytes(small_store.root)
    for lang, said in (("zh", zh), ("en", en)):
        result = runner.invoke(cli, ["--store", str(small_store.root), "--lang", lang, *args])
        assert result.exit_code == 1, result.output
        assert result.output.startswith(f"duty-room: {said}"), result.output
        assert len(result.output.strip().splitlines()) == 1 and "  " not in result.output, result.output
    assert store_bytes(small_store.root) == before


@pytest.mark.parametrize("name", ["duty_room_now", "Duty_Room_Now"])
def test_the_clock_variable_in_any_case_is_refused(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """DUTY_ROOM_NOW is refused (the clock cannot be set), but `duty_room_now` — a setting's name is
    read in any case — ran on, neither refused nor named as no setting: the officer could believe the
    clock was moved. Refused alike, whatever its case."""
    monkeypatch.setenv(name, "2020-01-01T00:00:00+08:00")
    result = runner.invoke(cli, ["--lang", "en", "whoami"])
    assert result.exit_code == 1 and "clock cannot be set" in result.stderr, result.output


def test_the_clock_zone_is_not_taken_from_pythontzpath(tmp_path: Path) -> None:
    """The clock is Beijing time from the system's zone files or the tzdata package; PYTHONTZPATH — a
    folder of the caller's own with an Asia/Shanghai in it at +14:00 — moved "today", every deadline
    and the month a reveal is filed under by six hours, through no DUTY_ROOM_* variable."""
    import shutil
    import sys
    from importlib.resources import files

    fake = tmp_path / "zones" / "Asia" / "Shanghai"
    fake.parent.mkdir(parents=True)
    with (files("tzdata.zoneinfo") / "Pacific" / "Kiritimati").open("rb") as kiritimati:  # +14:00
        fake.write_bytes(kiritimati.read())
    assert shutil.which("true")  # (a sane PATH for the child)
    shown = subprocess.run(
        [sys.executable, "-c", "from store import clock; print(clock.now().utcoffset())"],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "PYTHONTZPATH": str(tmp_path / "zones")},
        cwd=Path(__file__).resolve().parent.parent,
        check=True,
    )
    assert shown.stdout.strip() == "8:00:00", shown.stdout


@pytest.mark.parametrize(
    "environment",
    [
        {"HOME": "/home/officer"},
        {"HOME": "/home/officer/", "XDG_DATA_HOME": "/srv/data", "XDG_CONFIG_HOME": "/srv/config"},
        {"HOME": "/home/officer", "XDG_DATA_HOME": "relative/data", "XDG_CONFIG_HOME": ""},  # not absolute: ignored
        {"HOME": "relative-home"},  # as unset: the account's home folder
        {"HOME": ""},
        {"HOME": "/"},
        {},
    ],
)
def test_the_user_folders_are_where_platformdirs_puts_them(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str]
) -> None:
    """config.py finds the per-user data and config folders itself (importing platformdirs cost
    every start ~16 M instructions): the same folders platformdirs names on Linux."""
    import platformdirs

    from duty_room import config

    for name in ("HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "DUTY_ROOM_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert config.default_store_dir() == Path(platformdirs.user_data_dir("duty-room")) / "store"
    assert config.default_demo_dir() == Path(platformdirs.user_data_dir("duty-room")) / "demo"
    assert config.config_path() == Path(platformdirs.user_config_dir("duty-room")) / "config.toml"


def _commands(group: click.Group, ctx: click.Context) -> list[list[str]]:
    """Every command's path under the group (["petition", "list"] …), the group's own first."""
    paths: list[list[str]] = [[]]
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if isinstance(command, click.Group):
            paths += [[name, *path] for path in _commands(command, click.Context(command, parent=ctx))]
        else:
            paths.append([name])
    return paths


def test_no_help_shows_a_python_value(runner: CliRunner) -> None:
    """`--refresh FLOAT RANGE [x<=None]`: a range with no bounds printed its Python None in --help."""
    paths = _commands(cli, click.Context(cli))
    assert ["petition", "list"] in paths and ["demo"] in paths  # lazily loaded commands are walked too
    for path in paths:
        result = runner.invoke(cli, [*path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        for python_value in ("None", "True", "False"):
            assert python_value not in result.output, (path, python_value, result.output)
