"""Who may see and change what, when several officers share one server and one store.

* Settings: security and office keys come only from the root-owned system file; the environment
  and the user's config may change presentation only, and a security key there is refused in one
  line. The clock cannot be set by a user.
* Read-only is enforced by the store: every write, the audit of a reveal included, is refused.
* The actor comes from sudo's record only when the process is the service account.
* Shared-group mode: whatever the umask, what one officer creates the next can write; nothing is
  readable by others; `duty-room check` names what the group cannot write.

The OS-account tests at the end (tests/test_deployment.py::TestServiceAccount, ::test_shared_group…)
create real accounts and need root; they skip with the reason otherwise.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from duty_room import config
from duty_room.cli import cli
from duty_room.config import ConfigError, load_settings
from store import clock
from store.lifecycle import RULES, Action
from store.models import AuditEntry, Community, Petition, Visit
from store.sheetfiles import write_xlsx
from store.storage import (
    Store,
    StoreReadOnlyError,
    default_actor,
    permission_problems,
    resolve_actor,
)
from store.workbook import SHEETS, sheet_out
from tests.conftest import build_small_store, frozen_command, store_bytes

ME = default_actor()
CASE = "MK261127-001"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A user's own config folder and data folder, away from the machine's."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    for name in list(os.environ):
        if name.startswith("DUTY_ROOM_"):
            monkeypatch.delenv(name)
    user_config = tmp_path / "xdg-config" / "duty-room" / "config.toml"
    user_config.parent.mkdir(parents=True)
    return user_config


def one_line(text: str) -> bool:
    return text.strip() != "" and "\n" not in text.strip() and "Traceback" not in text


# ---------------------------------------------------------------------------
# where each setting may come from


@pytest.mark.parametrize(
    "name, value",
    [
        ("DUTY_ROOM_REVEAL_USERS", f'["{ME}"]'),
        ("DUTY_ROOM_REVEAL_GROUPS", '["users"]'),
        ("DUTY_ROOM_READ_ONLY_USERS", "[]"),
        ("DUTY_ROOM_STORE", "/tmp/elsewhere"),
        ("DUTY_ROOM_SERVICE_ACCOUNT", "nobody"),
        ("DUTY_ROOM_EXPORT_DIR", "/tmp"),
        ("DUTY_ROOM_IMPORT_DIR", "/"),
        ("DUTY_ROOM_BACKUP_DIR", "/tmp"),
        ("DUTY_ROOM_ACTOR", "someone-else"),
    ],
)
def test_a_security_key_in_the_environment_is_refused_in_one_line(
    home: Path, monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as refused:
        load_settings({"lang": "en"})
    assert name in str(refused.value) and "security setting" in str(refused.value) and one_line(str(refused.value))


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DUTY_ROOM_UNITS", '["x"]'),
        ("DUTY_ROOM_DEADLINES", "{}"),
        ("DUTY_ROOM_FEES", "{}"),
        ("DUTY_ROOM_DUTY", '{"shift_hours": 12}'),
    ],
)
def test_an_office_rule_in_the_environment_is_refused_as_one(
    home: Path, monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    """The office's rules (units, deadlines, fees, the duty clocks) were refused as 安全设置: true of
    where they may come from, but not what they are, which left an officer wondering why a shift's
    hours were a security matter."""
    monkeypatch.setenv(name, value)
    for lang, said in (("en", "an office rule every desk shares"), ("zh", "是各席位共用的办公规则")):
        with pytest.raises(ConfigError) as refused:
            load_settings({"lang": lang})
        assert name in str(refused.value) and said in str(refused.value) and one_line(str(refused.value))


@pytest.mark.parametrize(
    "line",
    [
        'reveal_users = ["x"]',
        'reveal_groups = ["users"]',
        "read_only_users = []",
        'store = "/tmp/x"',
        'service_account = "nobody"',
        'export_dir = "/tmp"',
        'import_dir = "/"',
        'backup_dir = "/tmp"',
        "[deadlines]\nmax_extension_working_days = 99",
        'units = ["x"]',
        "[duty]\nshift_hours = 12",
    ],
)
def test_a_security_or_office_key_in_the_user_config_is_refused(home: Path, line: str) -> None:
    home.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        load_settings({"lang": "en"})
    key = line.split()[0].strip("[]")
    assert key in str(refused.value) and str(home) in str(refused.value) and one_line(str(refused.value))
    office = key in ("units", "deadlines", "duty")
    said = "an office rule every desk shares" if office else "security setting"
    assert said in str(refused.value)


def test_presentation_comes_from_every_source_in_order(
    home: Path, system_config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    system_config.write_text('lang = "en"\nrefresh_seconds = 2.0\nlite = true\n', encoding="utf-8")
    home.write_text('refresh_seconds = 3.0\n[keymap]\n"panel.zoom" = "f11"\n', encoding="utf-8")
    monkeypatch.setenv("DUTY_ROOM_REFRESH_SECONDS", "4.0")
    settings = load_settings({"ascii": True})
    assert (settings.lang, settings.refresh_seconds, settings.lite, settings.ascii) == ("en", 4.0, True, True)
    assert settings.keymap == {"panel.zoom": "f11"}
    assert settings.sources == [
        f"system {system_config}",
        f"user {home}",
        "environment DUTY_ROOM_REFRESH_SECONDS",
        "command line --ascii",
    ]


def test_the_environment_and_config_files_are_read_in_any_case_and_lists_as_json(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home.write_text('Lang = "en"\n', encoding="utf-8")
    monkeypatch.setenv("duty_room_keymap", '{"panel.zoom": "f11"}')
    monkeypatch.setenv("DUTY_ROOM_LITE", "1")
    monkeypatch.setenv("DUTY_ROOM_NOT_A_SETTING", "x")  # not a setting: not read
    settings = load_settings()
    assert (settings.lang, settings.lite, settings.keymap) == ("en", True, {"panel.zoom": "f11"})
    monkeypatch.setenv("duty_room_keymap", "panel.zoom=f11")
    with pytest.raises(ConfigError) as refused:  # one line, not a traceback
        load_settings()
    assert "DUTY_ROOM_KEYMAP" in str(refused.value) and one_line(str(refused.value))


def test_the_system_config_grants_reveal_and_the_user_cannot(home: Path, system_config: Path) -> None:
    assert not load_settings().may_reveal()
    system_config.write_text(f'reveal_users = ["{ME}"]\n', encoding="utf-8")
    settings = load_settings()
    assert settings.may_reveal() and settings.reveal_rule() == "reveal_users"


@pytest.mark.parametrize("problem", ["group-writable", "world-writable", "someone else's", "folder group-writable"])
def test_a_system_config_others_could_change_is_refused(
    home: Path, system_config: Path, problem: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    system_config.write_text(f'reveal_users = ["{ME}"]\n', encoding="utf-8")
    if problem == "group-writable":
        system_config.chmod(0o664)
    elif problem == "world-writable":
        system_config.chmod(0o646)
    elif problem == "folder group-writable":
        system_config.parent.chmod(0o775)
    else:
        monkeypatch.setattr(config, "SYSTEM_FILE", config.SystemFile(system_config, owner_uid=os.getuid() + 1))
    with pytest.raises(ConfigError) as refused:
        load_settings({"lang": "en"})
    assert "not trusted" in str(refused.value) and one_line(str(refused.value))


def test_the_environment_and_user_config_cannot_undo_read_only(
    home: Path, system_config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    system_config.write_text(f'read_only_users = ["{ME}"]\n', encoding="utf-8")
    home.write_text("read_only = false\n", encoding="utf-8")
    monkeypatch.setenv("DUTY_ROOM_READ_ONLY", "0")
    settings = load_settings({"read_only": None})
    assert settings.read_only and settings.read_only_rule == "read_only_users"
    assert settings.open_store().read_only


def test_asking_for_read_only_only_takes_rights_away(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert not load_settings().read_only
    monkeypatch.setenv("DUTY_ROOM_READ_ONLY", "1")
    assert load_settings().read_only


def test_the_clock_cannot_be_set_from_the_environment(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DUTY_ROOM_NOW", "2020-01-01T00:00:00+08:00")
    assert clock.now().year >= 2026  # the production clock does not read it
    with pytest.raises(ConfigError) as refused:
        load_settings({"lang": "en"})
    assert "clock cannot be set" in str(refused.value)


def test_the_real_command_refuses_a_clock_from_the_environment(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "DUTY_ROOM_NOW": "2020-01-01T00:00:00+08:00"}
    result = subprocess.run(
        [sys.executable, "-m", "duty_room", "--store", str(tmp_path / "s"), "--lang", "en", "demo"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert result.returncode == 1 and one_line(result.stderr) and "clock cannot be set" in result.stderr
    assert not (tmp_path / "s").exists()


def test_the_test_launcher_freezes_the_clock(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    result = subprocess.run(
        frozen_command("--store", str(tmp_path / "s"), "demo", now="2026-11-28T09:30:00+08:00"),
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert Store(tmp_path / "s").manifest()["updated_at"].startswith("2026-11-28T09:30")


# ---------------------------------------------------------------------------
# who is acting


def test_sudo_record_is_trusted_only_as_the_service_account() -> None:
    me = os.getuid()
    forged = {"SUDO_USER": "root", "SUDO_UID": "0"}
    # Not the service account: SUDO_* in the environment are anyone's to set, so ignored.
    assert resolve_actor("duty-room-nonexistent", uid=me, environ=forged) == (ME, "os-account")
    assert resolve_actor(None, uid=me, environ=forged) == (ME, "os-account")
    # The service account (here: this process's own account) run by sudo: the officer from SUDO_UID.
    assert resolve_actor(ME, uid=me, environ={"SUDO_USER": "root", "SUDO_UID": "0"}) == ("root", "sudo")
    assert resolve_actor(ME, uid=me, environ={}) == (ME, "service-account-without-sudo")
    with pytest.raises(Exception, match="inconsistent"):
        resolve_actor(ME, uid=me, environ={"SUDO_USER": "someone", "SUDO_UID": "0"})


def test_user_cannot_forge_sudo_to_act_as_another(
    home: Path, system_config: Path, monkeypatch: pytest.MonkeyPatch, small_store: Store
) -> None:
    """With a service account configured, anyone else is sent to sudo; SUDO_USER changes nothing."""
    import pwd

    service = next(p.pw_name for p in pwd.getpwall() if p.pw_name != ME)  # an account of this machine
    system_config.write_text(f'store = "{small_store.root}"\nservice_account = "{service}"\n', encoding="utf-8")
    monkeypatch.setenv("SUDO_USER", "liuxiaoyu")
    monkeypatch.setenv("SUDO_UID", "0")
    result = CliRunner().invoke(cli, ["--lang", "en", "petition", "accept", CASE])
    assert result.exit_code == 1 and f"sudo -u {service} " in result.output and one_line(result.output)
    assert small_store.get(Petition, CASE).status.value == "new"
    who = CliRunner().invoke(cli, ["--lang", "en", "whoami"])  # whoami still answers, and says who you are
    assert who.exit_code == 0 and f"actor: {ME} (OS account" in who.output


def test_whoami_in_chinese_names_its_sources_in_chinese(home: Path, system_config: Path, small_store: Store) -> None:
    """配置来源: command line --read-only --store and 只读: 是 (asked for (--read-only, …)): English words
    in the Chinese whoami, what an officer checks first."""
    system_config.write_text(f'store = "{small_store.root}"\n', encoding="utf-8")
    lines = CliRunner().invoke(cli, ["--read-only", "whoami"], env={"DUTY_ROOM_LITE": "1"}).output.splitlines()
    assert lines[2] == "只读: 是 (本人要求（--read-only、DUTY_ROOM_READ_ONLY 或用户配置）)"
    assert lines[4] == f"配置来源: 系统配置 {system_config}；环境变量 DUTY_ROOM_LITE；命令行 --read-only"


def test_a_service_account_the_machine_does_not_know_is_the_configs_slip(
    home: Path, system_config: Path, small_store: Store
) -> None:
    """A misspelt service_account sent every officer to `sudo -u duty-rom duty-room …`, which fails
    too; the line names the system file's key instead. whoami still answers. So does a sudo record
    naming two accounts, in the interface language (it was English)."""
    system_config.write_text(f'store = "{small_store.root}"\nservice_account = "duty-rom"\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["petition", "accept", CASE])
    assert result.exit_code == 1
    assert one_line(result.output)
    assert result.output.strip() == f"duty-room: 配置有误：{system_config}：service_account「duty-rom」不是本机账号"
    english = CliRunner().invoke(cli, ["--lang", "en", "summary"]).output
    assert "service_account 'duty-rom' is no account on this machine" in english
    assert CliRunner().invoke(cli, ["whoami"]).exit_code == 0
    system_config.write_text(f'store = "{small_store.root}"\nservice_account = "{ME}"\n', encoding="utf-8")
    forged = CliRunner().invoke(cli, ["summary"], env={"SUDO_USER": "someone-else", "SUDO_UID": "0"})
    assert forged.exit_code == 1
    assert one_line(forged.output)
    assert forged.output.startswith("duty-room: sudo 的记录前后不一（SUDO_USER=someone-else，SUDO_UID=0 是 ")


def test_as_the_service_account_the_store_is_pinned(
    home: Path, system_config: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    system_config.write_text(f'store = "{tmp_path / "real"}"\nservice_account = "{ME}"\n', encoding="utf-8")
    monkeypatch.setenv("SUDO_UID", str(os.getuid()))
    with pytest.raises(ConfigError, match="fixed at"):
        load_settings({"store": tmp_path / "mine", "lang": "en"})
    settings = load_settings({"store": tmp_path / "real"})
    assert settings.as_service and settings.actor == ME and settings.actor_rule == "sudo"
    result = CliRunner().invoke(cli, ["--lang", "en", "demo"])  # never into the township's real data
    assert result.exit_code == 1 and "service account" in result.output
    assert not (tmp_path / "real").exists()


def test_the_service_accounts_new_empty_store_says_to_import_or_restore_not_demo(
    home: Path, system_config: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Set up as the README says (`install -d … /srv/duty-room/store`), the store folder is there and
    empty until the township's workbook is imported. Every command said 没有数据目录 (no store at)
    of a folder that is there, and the dashboard said to run `duty-room demo --run`, which the
    service account refuses. Now: the store holds no data yet, import a workbook or restore."""
    real = tmp_path / "real"
    real.mkdir(mode=0o700)
    system_config.write_text(f'store = "{real}"\nservice_account = "{ME}"\n', encoding="utf-8")
    monkeypatch.setenv("SUDO_UID", str(os.getuid()))
    said = f"duty-room: 数据目录 {real} 还没有数据：先用 duty-room import 导入本乡镇的底册（duty-room template 生成空表），或用 duty-room restore 恢复备份"
    for command in ([], ["summary"], ["petition", "list"]):
        result = CliRunner().invoke(cli, command)
        assert result.exit_code == 2, (command, result.output)
        assert result.output.strip() == said, command
    english = CliRunner().invoke(cli, ["--lang", "en"])
    assert english.output.strip() == (
        f"duty-room: the store {real} holds no data yet: import the township's workbook first "
        "(duty-room template makes one to fill in), or restore a backup (duty-room restore)"
    )
    assert sorted(p.name for p in real.iterdir()) in ([], [".lock"])


# ---------------------------------------------------------------------------
# read-only, in the store and through every command


def test_a_read_only_store_refuses_every_write_and_writes_nothing(small_store: Store) -> None:
    before = store_bytes(small_store.root)
    viewer = Store(small_store.root, actor="viewer", read_only=True)
    community = Community(id="x", name="新社区", township="孟轲乡")
    attempts = [
        lambda: viewer.put(community),
        lambda: viewer.update(Petition, CASE, lambda p: p),
        lambda: viewer.transaction().__enter__(),
        lambda: viewer.lock().__enter__(),
    ]
    for attempt in attempts:
        with pytest.raises(StoreReadOnlyError) as refused:
            attempt()
        assert one_line(str(refused.value))
    from store.masking import log_reveal

    with pytest.raises(StoreReadOnlyError):
        log_reveal(viewer, f"petitions:{CASE}", ["phone"], allowed=True)
    assert store_bytes(small_store.root) == before
    assert len(viewer.all(Petition)) == 4  # reading is fine


def _write_commands() -> list[list[str]]:
    options = {
        Action.FOLLOW_UP: ["--satisfaction", "满意"],
        Action.EXTEND_REQUEST: ["--days", "3"],
        Action.MERGE: ["--into", "MK261127-002"],
    }
    commands = [
        ["petition", "add", "--title", "路灯不亮", "--category", "infrastructure", "--community", "dongcheng"],
        ["petition", "set-status", CASE, "accepted"],
        ["petition", "show", CASE, "--reveal"],
        ["demo", "--replace"],
        # The duty room's own records: these commands once opened the store without read-only.
        ["duty", "log", "--content", "来电：3号楼停水"],
        ["duty", "plan", "2026-11-29", "--leader", "马志远", "--staff", "张海涛"],
        ["duty", "swap", "duty-20261127", "--replace", "A", "--with", "B", "--asked-by", "A", "--approved-by", "C"],
        ["duty", "correct", "ZB261127-001", "--set", "content=x", "--note", "y"],
        ["duty", "link", "ZB261127-001", CASE],
        ["duty", "to-case", "ZB261127-001"],
        [
            "incident",
            "open",
            "--title",
            "燃气泄漏",
            "--category",
            "事故灾难",
            "--place",
            "1号楼",
            "--community",
            "dongcheng",
        ],
        ["incident", "report", "SJ261127-01", "--stage", "首报", "--to", "区应急管理局值班室"],
        ["incident", "end", "SJ261127-01"],
        ["incident", "close", "SJ261127-01", "--to", "区应急管理局值班室"],
        ["handover", "--give", "--notes", "无遗留"],
        ["import", "households.xlsx"],
        ["restore", "backup-folder"],
    ]
    for action in Action:
        needed = ["--assignee", "w1"] if RULES[action].needs_assignee else []
        commands.append(
            ["petition", action.value.replace("_", "-"), CASE, "--note", "试试", *needed, *options.get(action, [])]
        )
    return commands


@pytest.mark.parametrize("how", ["--read-only", "read_only_users"])
def test_a_viewer_cannot_write_through_any_subcommand(
    home: Path, system_config: Path, small_store: Store, how: str
) -> None:
    system_config.write_text(
        f'reveal_users = ["{ME}"]\n' + (f'read_only_users = ["{ME}"]\n' if how == "read_only_users" else ""),
        encoding="utf-8",
    )
    before = store_bytes(small_store.root)
    runner = CliRunner()
    for command in _write_commands():
        args = [
            "--store",
            str(small_store.root),
            "--lang",
            "en",
            *(["--read-only"] if how == "--read-only" else []),
            *command,
        ]
        result = runner.invoke(cli, args)
        assert result.exit_code == 1, (command, result.output)
        assert one_line(result.output) and "read-only" in result.output, (command, result.output)
    assert store_bytes(small_store.root) == before  # not even the audit of the reveal
    shown = runner.invoke(cli, ["--store", str(small_store.root), "--read-only", "petition", "show", CASE])
    assert shown.exit_code == 0 and "138****1234" in shown.output  # looking is fine, masked


def test_reveal_through_the_cli_follows_the_system_config_and_is_audited(
    home: Path, system_config: Path, small_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    args = ["--store", str(small_store.root), "--lang", "en", "petition", "show", CASE, "--reveal"]
    monkeypatch.setenv("DUTY_ROOM_LANG", "en")  # a presentation key: fine
    refused = runner.invoke(cli, args)
    assert refused.exit_code == 1 and "may not see" in refused.output and "13812341234" not in refused.output
    system_config.write_text(f'reveal_users = ["{ME}"]\n', encoding="utf-8")
    granted = runner.invoke(cli, args)
    assert granted.exit_code == 0 and "13812341234" in granted.output
    audit = small_store.all_partitions(AuditEntry)
    assert [(a.actor, a.allowed) for a in audit] == [(ME, False), (ME, True)]


def test_whoami_says_who_why_and_from_where(home: Path, system_config: Path, small_store: Store) -> None:
    system_config.write_text(f'store = "{small_store.root}"\nreveal_users = ["{ME}"]\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["--lang", "en", "whoami"])
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        f"actor: {ME} (OS account (password database))",
        "reveal: allowed (reveal_users)",
        "read-only: no",
        f"store: {small_store.root}",
        f"config sources: system {system_config}; command line --lang",
    ]
    viewer = CliRunner().invoke(cli, ["--lang", "en", "--read-only", "whoami"]).output
    assert (
        "read-only: yes (asked for" in viewer
        and "reveal: refused (a read-only session cannot write the audit)" in viewer
    )
    system_config.write_text('reveal_groups = ["no-such-group-here"]\n', encoding="utf-8")
    nobody = CliRunner().invoke(cli, ["whoami"]).output  # Chinese by default
    assert "查看个人信息: 不允许 (不在 reveal_users 中，也不属于 no-such-group-here)" in nobody


def test_whoami_says_an_account_the_password_database_does_not_know(
    home: Path, small_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process whose user id has no passwd entry (a container's, an account removed meanwhile)
    acts as uid54321; whoami said 本机账号（用户数据库）, as if the password database had named it."""
    unknown = next(uid for uid in range(54321, 64000) if not _in_passwd(uid))
    assert resolve_actor(None, uid=unknown, environ={}) == (f"uid{unknown}", "os-uid")
    monkeypatch.setattr(os, "getuid", lambda: unknown)
    said = CliRunner().invoke(cli, ["--store", str(small_store.root), "whoami"]).output.splitlines()
    assert said[0] == f"操作人: uid{unknown} (本机用户编号 {unknown}，用户数据库中没有这个账号)"
    english = CliRunner().invoke(cli, ["--store", str(small_store.root), "--lang", "en", "whoami"]).output
    assert f"actor: uid{unknown} (OS user id {unknown}, which the password database does not know)" in english
    assert "password database)" not in english


def _in_passwd(uid: int) -> bool:
    import pwd

    try:
        pwd.getpwuid(uid)
    except KeyError:
        return False
    return True


# ---------------------------------------------------------------------------
# file permissions, one account (the OS-account versions are below)


def _write_new_partitions(store: Store, day: date) -> None:
    moment = datetime(day.year, day.month, day.day, 10, tzinfo=clock.TZ)
    with store.transaction() as tx:
        tx.put(Visit(id=f"v-{day}", day=day, at=moment, grid_id="g1", household_id="h1", worker_id="w1", note="好"))
        tx.put(
            AuditEntry(
                id=f"a-{day}", at=moment, actor=store.actor, action="reveal", subject="petitions:x", allowed=False
            )
        )


@pytest.mark.parametrize("umask", [0o022, 0o077])
def test_group_mode_files_are_group_writable_whatever_the_umask(tmp_path: Path, umask: int) -> None:
    root = tmp_path / "store"
    root.mkdir()
    root.chmod(0o2770)
    old = os.umask(umask)
    try:
        _write_new_partitions(Store(root, actor="a"), date(2026, 11, 28))
    finally:
        os.umask(old)
    for path in [*root.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o2770 if path.is_dir() else 0o660), (path, oct(mode))
    assert (root / ".lock").exists() and permission_problems(root) == []


def test_private_mode_files_are_the_owners_alone(tmp_path: Path) -> None:
    root = tmp_path / "store"
    root.mkdir(mode=0o700)
    old = os.umask(0o002)  # even a permissive umask
    try:
        _write_new_partitions(Store(root, actor="a"), date(2026, 11, 28))
    finally:
        os.umask(old)
    for path in root.rglob("*"):
        assert stat.S_IMODE(path.stat().st_mode) == (0o700 if path.is_dir() else 0o600), path
    assert permission_problems(root) == []


def test_check_names_a_file_the_group_cannot_write(tmp_path: Path, home: Path, frozen_clock: str) -> None:
    root = tmp_path / "store"
    root.mkdir()
    root.chmod(0o2770)
    build_small_store(root)
    assert CliRunner().invoke(cli, ["--store", str(root), "check"]).exit_code == 0
    (root / "visits").chmod(0o755)  # as a folder made under umask 022 by the old code
    (root / "petitions" / "2026-11-27.json").chmod(0o640)
    result = CliRunner().invoke(cli, ["--store", str(root), "--lang", "en", "check"])
    assert result.exit_code == 2
    assert "petitions/2026-11-27.json: the group" in result.output and "cannot write it" in result.output
    assert "visits: the group" in result.output and "visits: others" in result.output
    said = CliRunner().invoke(cli, ["--store", str(root), "check"]).output  # the interface's language
    assert "petitions/2026-11-27.json：组 " in said and "不能写入（权限 -rw-r-----）" in said
    assert "visits：组外的人也能进入（权限 drwxr-xr-x）" in said


# ---------------------------------------------------------------------------
# real OS accounts (root only)

from tests import deployment_accounts as accounts  # noqa: E402


@pytest.fixture(scope="module")
def deployment() -> accounts.Deployment:
    with accounts.service_deployment() as made:
        yield made


class TestServiceAccount:
    """Officers A and B and viewer V through `sudo -u SERVICE duty-room`, as the README sets it up."""

    def test_officers_act_as_themselves_and_see_each_others_changes(self, deployment: accounts.Deployment) -> None:
        d = deployment
        added = d.run(
            d.a,
            "petition",
            "add",
            "--title",
            "路灯不亮",
            "--category",
            "infrastructure",
            "--community",
            "dongcheng",
            "--reporter",
            "王五",
            "--phone",
            "13900001111",
        )
        assert added.returncode == 0, added.stderr
        case_id = added.stdout.strip()
        listed = d.run(d.b, "petition", "list")
        assert listed.returncode == 0 and case_id in listed.stdout, listed.stderr
        accepted = d.run(d.b, "petition", "accept", case_id)
        assert accepted.returncode == 0, accepted.stderr
        case = d.store().get(Petition, case_id)
        assert [e.actor for e in case.history] == [d.a, d.b]  # from sudo's record, not $USER
        assert case.created_at.year >= 2026  # the real clock
        who = d.run(d.a, "--lang", "en", "whoami")
        assert f"actor: {d.a} (sudo's record" in who.stdout, who.stdout + who.stderr

    def test_reveal_only_when_the_system_file_lists_the_officer(self, deployment: accounts.Deployment) -> None:
        d = deployment
        refused = d.run(d.b, "petition", "show", CASE, "--reveal")
        assert refused.returncode == 1 and "13812341234" not in refused.stdout
        assert one_line(refused.stderr) and "无权查看未脱敏的个人信息" in refused.stderr
        d.write_system_config(reveal_users=[d.b])
        try:
            granted = d.run(d.b, "petition", "show", CASE, "--reveal")
            assert granted.returncode == 0 and "13812341234" in granted.stdout, granted.stderr
            assert d.run(d.a, "petition", "show", CASE, "--reveal").returncode == 1  # A still not
        finally:
            d.write_system_config()
        audit = [(a.actor, a.allowed) for a in d.store().all_partitions(AuditEntry)]
        assert (d.b, False) in audit and (d.b, True) in audit and (d.a, False) in audit

    def test_officers_cannot_read_the_store_files(self, deployment: accounts.Deployment) -> None:
        d = deployment
        d.run(d.a, "petition", "list")  # the store exists and has been used
        for officer in (d.a, d.b, d.viewer):
            for target in (*(d.root / "petitions").glob("*.json"), *(d.root / "households").glob("*.json"), d.root):
                looked = accounts.as_user(officer, ["cat" if target.is_file() else "ls", str(target)])
                assert looked.returncode != 0 and "Permission denied" in looked.stderr, (officer, target)
        for path in [d.root, *d.root.rglob("*")]:
            st = path.stat()
            assert st.st_uid == d.service_uid, path
            assert stat.S_IMODE(st.st_mode) == (0o700 if path.is_dir() else 0o600), (path, oct(st.st_mode))

    def test_an_officer_reads_what_they_export_through_sudo(self, deployment: accounts.Deployment) -> None:
        """An export made through sudo is the service account's file: `handover --out ~/交接班.md`
        went to its home and `export 底册.xlsx` into the officer's folder it could not write (or, in
        /tmp, left 0640 to the service account's group): the officer could not read either, and any
        path the service account can write was theirs to name, the store included. Every export goes
        in the export folder; the officers' group reads it (the viewer, not in it, does not), whatever
        the officer's umask; a path outside is refused and writes nothing."""
        d = deployment
        handed = d.run(d.a, "handover", "--out", "交接班.md", umask=0o077)
        assert handed.returncode == 0, handed.stderr
        written = Path(handed.stdout.strip())
        assert written == d.exports / "交接班.md"
        exported = d.run(d.b, "export", "底册.xlsx", umask=0o077)
        assert exported.returncode == 0, exported.stderr
        assert str(d.exports / "底册.xlsx") in exported.stdout
        for officer in (d.a, d.b):
            read = accounts.as_user(officer, ["cat", str(written)])
            assert read.returncode == 0 and read.stdout.startswith("# "), (officer, read.stderr)
            copied = accounts.as_user(officer, ["head", "-c", "2", str(d.exports / "底册.xlsx")])
            assert copied.returncode == 0 and copied.stdout == "PK", (officer, copied.stderr)
        looked = accounts.as_user(d.viewer, ["cat", str(written)])
        assert looked.returncode != 0 and "Permission denied" in looked.stderr
        st = written.stat()
        assert st.st_uid == d.service_uid and st.st_gid == d.exports.stat().st_gid
        assert stat.S_IMODE(st.st_mode) == 0o640
        before = store_bytes(d.root)
        for target in (str(d.root / "manifest.md"), "~/交接班.md", "../交接班.md"):
            refused = d.run(d.a, "--lang", "en", "handover", "--out", target)
            assert refused.returncode == 1 and one_line(refused.stderr), (target, refused.stderr)
            assert f"exports are written in {d.exports} only" in refused.stderr
        assert store_bytes(d.root) == before and not (d.root / "manifest.md").exists()
        who = d.run(d.a, "--lang", "en", "whoami")
        assert f"exports: {d.exports}" in who.stdout, who.stdout + who.stderr

    def test_an_unmasked_export_is_read_by_the_officer_who_asked_alone(self, deployment: accounts.Deployment) -> None:
        """A permitted officer's export holds every name and phone unmasked; it was left 0640 in the
        officers' group folder, so every officer read it. Now only the officer who asked (and the
        service account) reads it, whatever their umask; a masked one stays the group's."""
        d = deployment
        d.write_system_config(reveal_users=[d.b])  # (B: A is never allowed a reveal, a later test checks)
        try:
            unmasked = d.run(d.b, "export", "全部.xlsx", umask=0o022)
            csvs = d.run(d.b, "export", "全部CSV", umask=0o002)
            masked = d.run(d.b, "export", "--mask", "脱敏.xlsx")
        finally:
            d.write_system_config()
        assert unmasked.returncode == 0 and "未脱敏" in unmasked.stdout, unmasked.stderr
        assert csvs.returncode == 0 and masked.returncode == 0, csvs.stderr + masked.stderr
        rows = next((d.exports / "全部CSV").glob("*.csv"))
        read = accounts.as_user(d.b, ["head", "-c", "2", str(d.exports / "全部.xlsx")])
        assert read.returncode == 0 and read.stdout == "PK", read.stderr
        assert accounts.as_user(d.b, ["cat", str(rows)]).returncode == 0
        for other in (d.a, d.viewer):
            for secret in (d.exports / "全部.xlsx", rows):
                looked = accounts.as_user(other, ["cat", str(secret)])
                assert looked.returncode != 0 and "Permission denied" in looked.stderr, (other, secret)
        for officer in (d.b, d.a):
            copied = accounts.as_user(officer, ["head", "-c", "2", str(d.exports / "脱敏.xlsx")])
            assert copied.returncode == 0 and copied.stdout == "PK", (officer, copied.stderr)
        again = d.run(d.a, "export", "全部.xlsx")  # A may not reveal: masked, over B's, the group's again
        assert again.returncode == 0 and "已脱敏" in again.stdout, again.stdout + again.stderr
        assert accounts.as_user(d.b, ["head", "-c", "2", str(d.exports / "全部.xlsx")]).stdout == "PK"

    def test_an_officer_imports_a_workbook_put_in_their_import_folder(self, deployment: accounts.Deployment) -> None:
        """`import FILE` through sudo read only what the service account can reach: a workbook in
        the officer's own folder it could not, and it read for them the store's own files (or
        anything else it reads). The officer puts the workbook in their own folder of the import
        folder and names it. A workbook holds personal data: in the one shared folder (3770) every
        officer read every other's (the sticky bit stopped deleting, not reading). Now another
        officer cannot read, list or delete it, whatever its mode, nor import it; the viewer cannot
        look in; a path outside the folder, or a link put there, is refused in one line and reads
        nothing."""
        d = deployment
        mine, theirs = d.imports / d.a, d.imports / d.b
        drop = d.public / "drop"  # the officer's own copy (their home, or scp'd in)
        drop.mkdir(mode=0o755, exist_ok=True)
        write_xlsx(drop / "新社区.xlsx", [sheet_out(SHEETS[0], [["", "新社区", "孟轲乡", 40]])])
        (drop / "新社区.xlsx").chmod(0o644)
        put = accounts.as_user(d.a, ["cp", str(drop / "新社区.xlsx"), str(mine)], umask=0o002)
        assert put.returncode == 0, put.stderr
        imported = d.run(d.a, "import", "新社区.xlsx")
        assert imported.returncode == 0 and "已导入" in imported.stdout, imported.stderr
        [made] = [c for c in d.store().all(Community) if c.name == "新社区"]
        assert made.updated_by == d.a  # the officer, from sudo's record
        for command in (["cat"], ["ls"], ["rm", "-f"]):
            target = mine / "新社区.xlsx" if command[0] != "ls" else mine
            tried = accounts.as_user(d.b, [*command, str(target)])
            assert tried.returncode != 0 and "Permission denied" in tried.stderr, (command, tried.stderr)
        assert (mine / "新社区.xlsx").exists()
        for given in ("../" + d.a + "/新社区.xlsx", str(mine / "新社区.xlsx")):  # nor through the service account
            refused = d.run(d.b, "--lang", "en", "import", given)
            assert refused.returncode == 1 and f"files are imported from {theirs} only" in refused.stderr, given
        looked = accounts.as_user(d.viewer, ["ls", str(d.imports)])
        assert looked.returncode != 0 and "Permission denied" in looked.stderr

        before = store_bytes(d.root)
        petitions = next((d.root / "petitions").glob("*.json"))
        for outside in ("/etc/shadow", str(petitions), "../../store/manifest.json", str(drop / "新社区.xlsx")):
            refused = d.run(d.a, "--lang", "en", "import", outside)
            assert refused.returncode == 1 and one_line(refused.stderr), (outside, refused.stderr)
            assert f"files are imported from {mine} only" in refused.stderr, refused.stderr
        link = accounts.as_user(d.a, ["ln", "-s", str(petitions), str(mine / "案件.xlsx")])
        assert link.returncode == 0, link.stderr
        followed = d.run(d.a, "import", "案件.xlsx")
        assert followed.returncode == 1 and one_line(followed.stderr), followed.stderr
        assert "是链接或特殊文件，不读" in followed.stderr and CASE not in followed.stderr + followed.stdout
        private = accounts.as_user(d.b, ["cp", str(drop / "新社区.xlsx"), str(theirs / "b.xlsx")], umask=0o077)
        assert private.returncode == 0, private.stderr
        unread = d.run(d.b, "import", "b.xlsx")  # 0600: not even the service account's group reads it
        assert unread.returncode == 1 and one_line(unread.stderr), unread.stderr
        assert f"chmod -R g+rX {theirs / 'b.xlsx'}" in unread.stderr
        assert accounts.as_user(d.b, ["chmod", "-R", "g+rX", str(theirs / "b.xlsx")]).returncode == 0
        assert accounts.as_user(d.a, ["cat", str(theirs / "b.xlsx")]).returncode != 0  # still B's alone
        again = d.run(d.b, "import", "b.xlsx")
        assert again.returncode == 0 and "没有变化" in again.stdout, again.stderr
        assert store_bytes(d.root) == before
        who = d.run(d.a, "--lang", "en", "whoami")
        assert f"imports: {mine}" in who.stdout and f"backups: {d.backups}" in who.stdout, who.stdout

    def test_a_backup_through_sudo_lands_in_the_backup_folder(self, deployment: accounts.Deployment) -> None:
        """`backup DEST` through sudo wrote the whole store wherever the officer named that the
        service account can write. It goes in the backup folder, the service account's alone (the
        officer can take a backup, not read it); elsewhere is refused, exit 1, nothing made; a
        restore reads only from there."""
        d = deployment
        taken = d.run(d.a, "backup", "by-officer", umask=0o022)
        assert taken.returncode == 0, taken.stderr
        copy = d.backups / "by-officer"
        assert str(copy) in taken.stdout and (copy / "manifest.json").is_file()
        assert all(p.stat().st_uid == d.service_uid for p in [copy, *copy.rglob("*")])
        assert stat.S_IMODE(copy.stat().st_mode) == 0o700
        looked = accounts.as_user(d.a, ["ls", str(copy)])
        assert looked.returncode != 0 and "Permission denied" in looked.stderr
        for elsewhere in ("/tmp/dr-backup", str(d.exports / "b"), "~/b", "../b", str(d.srv / "b")):
            refused = d.run(d.a, "--lang", "en", "backup", elsewhere)
            assert refused.returncode == 1 and one_line(refused.stderr), (elsewhere, refused.stderr)
            assert f"backups are written in {d.backups} only" in refused.stderr
        assert not Path("/tmp/dr-backup").exists() and not (d.exports / "b").exists() and not (d.srv / "b").exists()
        restored = d.run(d.a, "--lang", "en", "restore", str(d.srv / "store"))
        assert restored.returncode == 1 and f"restored from {d.backups} only" in restored.stderr, restored.stderr

    def test_officers_backups_in_a_loop_neither_fill_the_disk_nor_push_out_the_daily_copies(
        self, deployment: accounts.Deployment
    ) -> None:
        """Any officer could take backups through sudo as often as they liked, each a whole copy of
        the store: a loop filled the disk. Now the newest backup_keep of the officers' backups are
        kept (the oldest deleted once a new one is verified, and said), the cron copy and what root
        put there are never touched, and a backup that would leave less than backup_min_free_mb
        free is refused in one line, exit 2, nothing made."""
        d = deployment
        daily = d.backups / "2000-01-02"  # the cron's, taken as the service account itself
        ran = d.run_service("backup", daily.name)
        assert ran.returncode == 0, ran.stderr
        roots = d.backups / "copied-in-by-root"
        roots.mkdir()
        ledger = d.backups / ".duty-room-backups.json"
        listed = [e["path"] for e in json.loads(ledger.read_text())] if ledger.exists() else []  # earlier tests'
        d.write_system_config(more="backup_keep = 2\n")
        try:
            for i in range(5):
                taken = d.run(d.a if i % 2 else d.b, "--lang", "en", "backup", f"loop-{i}")
                assert taken.returncode == 0, taken.stderr
                listed.append(f"loop-{i}")
                deleted, listed = listed[:-2], listed[-2:]
                said = taken.stdout.strip().splitlines()[1:]
                assert said == (
                    [
                        "backups taken through sudo: the newest 2 are kept (backup_keep in the system file); "
                        f"deleted the older: {', '.join(deleted)}"
                    ]
                    if deleted
                    else []
                ), (i, said)
            left = sorted(p.name for p in d.backups.iterdir() if not p.name.startswith("."))
            assert {"loop-3", "loop-4", "2000-01-02", "copied-in-by-root"} <= set(left)
            assert not any(name in left for name in ("loop-0", "loop-1", "loop-2")), left
            assert (daily / "manifest.json").is_file() and roots.is_dir()
            assert ledger.stat().st_uid == d.service_uid and stat.S_IMODE(ledger.stat().st_mode) == 0o600
            looked = accounts.as_user(d.a, ["cat", str(ledger)])
            assert looked.returncode != 0 and "Permission denied" in looked.stderr

            d.write_system_config(more="backup_min_free_mb = 1000000000\n")  # a petabyte: no disk has it
            refused = d.run(d.a, "--lang", "en", "backup", "too-big")
            assert refused.returncode == 2 and one_line(refused.stderr), refused.stderr
            assert refused.stderr.startswith(f"duty-room: not backed up: the disk of {d.backups / 'too-big'} has")
            assert "backup_min_free_mb" in refused.stderr and not (d.backups / "too-big").exists()
        finally:
            d.write_system_config()

    def test_the_readmes_cron_line_backs_up_as_the_service_account(self, deployment: accounts.Deployment) -> None:
        """The README's daily copy, run as cron runs it (the service account, no sudo, /bin/sh):
        it names a folder inside the backup folder, so it is taken as before, and what is over two
        weeks old is pruned."""
        d = deployment
        old, recent = d.backups / "2000-01-01", d.backups / "recent"
        for kept in (old, recent):
            kept.mkdir()
            os.chown(kept, d.service_uid, -1)
        month_ago = datetime.now().timestamp() - 30 * 86400
        os.utime(old, (month_ago, month_ago))
        [line] = accounts.readme_block("made once by root", "cron")
        ran = d.run_cron(line)
        assert ran.returncode == 0, ran.stdout + ran.stderr
        today = d.backups / datetime.now().strftime("%F")
        assert str(today) in ran.stdout and (today / "manifest.json").is_file(), ran.stdout
        assert not old.exists() and recent.exists()
        checked = accounts.as_user(d.service, [str(d.launcher), "--store", str(today), "check"])
        assert checked.returncode == 0 and checked.stdout.startswith("ok:"), checked.stdout + checked.stderr

    def test_the_viewer_cannot_write_through_any_subcommand(self, deployment: accounts.Deployment) -> None:
        d = deployment
        before = store_bytes(d.root)
        # The pinned sudoers rule: without --read-only sudo itself refuses.
        unpinned = d.run(d.viewer, "petition", "accept", CASE, read_only=False)
        assert unpinned.returncode != 0 and unpinned.stderr.startswith("sudo:"), unpinned.stderr
        for command in _write_commands():
            result = d.run(d.viewer, "--lang", "en", *command)
            assert result.returncode == 1, (command, result.stdout, result.stderr)
            assert one_line(result.stderr), (command, result.stderr)
            expected = "service account" if command[0] == "demo" else "read-only"  # demo: never as the service
            assert expected in result.stderr, (command, result.stderr)
        assert store_bytes(d.root) == before
        assert d.run(d.viewer, "petition", "show", CASE).returncode == 0  # looking is fine

    def test_the_incoming_officer_takes_the_shift_over_with_their_own_account(
        self, deployment: accounts.Deployment
    ) -> None:
        """交班 by A, 接班 by B, each from sudo's record: A cannot take over A's own shift, the viewer
        cannot take it over at all, and what the store keeps names A as outgoing and B as incoming."""
        from store.duty_models import Handover

        d = deployment
        today = clock.now().date()  # the real clock: plan the day and the day before, one is on duty
        for day in (today - timedelta(days=1), today):  # (the day before's is over once today's began)
            planned = d.run(d.a, "duty", "plan", day.isoformat(), "--leader", "郭红梅", "--staff", "王丽娟")
            assert planned.returncode == 0 or (day < today and "已结束" in planned.stderr), planned.stderr
        given = d.run(d.a, "handover", "--give", "--notes", "无遗留")
        assert given.returncode == 0, given.stderr
        own = d.run(d.a, "handover", "--ack")
        assert own.returncode == 1 and one_line(own.stderr) and "接班须由接班人用自己的账号确认" in own.stderr, (
            own.stderr
        )
        viewed = d.run(d.viewer, "--lang", "en", "handover", "--ack")
        assert viewed.returncode == 1 and "read-only" in viewed.stderr, viewed.stderr
        taken = d.run(d.b, "handover", "--ack", "--notes", "已接班")
        assert taken.returncode == 0, taken.stderr
        (handover,) = d.store().all_partitions(Handover)
        assert (handover.outgoing_by, handover.acknowledged_by, handover.incoming_notes) == (d.a, d.b, "已接班")
        again = d.run(d.b, "handover", "--ack")  # nothing left waiting: said, not taken over twice
        assert again.returncode == 1 and "没有等待接班确认的交班" in again.stderr, again.stderr
        assert d.store().all_partitions(Handover) == [handover]

    def test_a_read_only_user_in_the_system_file_stays_read_only(self, deployment: accounts.Deployment) -> None:
        d = deployment
        d.write_system_config(read_only_users=[d.a])
        try:
            result = d.run(d.a, "--lang", "en", "petition", "set-status", CASE, "cancelled", "--note", "x")
            assert result.returncode == 1 and "read-only" in result.stderr
        finally:
            d.write_system_config()

    def test_environment_and_user_config_cannot_grant_reveal_change_the_clock_or_impersonate(
        self, deployment: accounts.Deployment
    ) -> None:
        d = deployment
        d.user_config(d.a, f'reveal_users = ["{d.a}"]\n')
        env = {
            "DUTY_ROOM_REVEAL_USERS": f'["{d.a}"]',
            "DUTY_ROOM_NOW": "2020-01-01T00:00:00+08:00",
            "SUDO_USER": d.b,
            "DUTY_ROOM_READ_ONLY": "0",
        }
        revealed = d.run(d.a, "--lang", "en", "petition", "show", CASE, "--reveal", env=env)
        assert revealed.returncode == 1 and "13812341234" not in revealed.stdout
        assert "may not see" in revealed.stderr, revealed.stderr
        added = d.run(
            d.a,
            "petition",
            "add",
            "--title",
            "井盖松动",
            "--category",
            "infrastructure",
            "--community",
            "dongcheng",
            env=env,
        )
        assert added.returncode == 0, added.stderr
        case = d.store().get(Petition, added.stdout.strip())
        assert case.created_at.year >= 2026 and case.history[-1].actor == d.a
        # sudo will not pass the clock through either
        kept = d.run(d.a, "petition", "list", env=env, preserve=["DUTY_ROOM_NOW"])
        assert kept.returncode != 0 and "DUTY_ROOM_NOW" in kept.stderr
        # run directly (not as the service account) with a forged sudo record: sent to sudo
        forged = d.run_direct(
            d.b, "--lang", "en", "petition", "accept", CASE, env={"SUDO_USER": d.a, "SUDO_UID": str(d.uid(d.a))}
        )
        assert forged.returncode == 1 and f"use `sudo -u {d.service} duty-room" in forged.stderr, forged.stderr
        assert d.store().get(Petition, CASE).status.value == "new"
        assert all(a.actor != d.a or not a.allowed for a in d.store().all_partitions(AuditEntry))


@pytest.mark.parametrize("rounds", [[("x", 0o022), ("y", 0o022), ("y", 0o077), ("x", 0o077)]])
def test_shared_group_two_officers_any_umask(rounds: list[tuple[str, int]]) -> None:
    with accounts.shared_group() as g:
        for turn, (who, umask) in enumerate(rounds):
            if turn % 2 == 0:
                (g.root / ".lock").unlink(missing_ok=True)  # each in turn creates the lock for the other
            day = date(2026, 11, 1) + timedelta(days=40 * turn)  # a new day file and a new audit month
            done = g.write(g.users[who], umask, day)
            assert done.returncode == 0, (who, oct(umask), done.stderr)
            assert "PermissionError" not in done.stderr
        files = [p for p in g.root.rglob("*") if p.is_file()]
        assert len([p for p in files if p.parent.name == "visits"]) == len(rounds)
        assert len([p for p in files if p.parent.name == "audit"]) == len(rounds)
        assert [p for p in [g.root, *g.root.rglob("*")] if p.stat().st_mode & 0o007] == []  # 0 world-accessible
        assert permission_problems(g.root) == []
        owners = {p.stat().st_uid for p in files}
        assert owners == {g.uid("x"), g.uid("y")}  # both really wrote
        # A lock left 0640 by an older version: named by check, and a clear refusal rather than a traceback
        (g.root / ".lock").chmod(0o640)
        assert [p for p in permission_problems(g.root, "en") if p.startswith(".lock: the group")]
        os.chown(g.root / ".lock", g.uid("x"), -1)
        blocked = g.write(g.users["y"], 0o022, date(2027, 6, 1))
        assert blocked.returncode != 0 and "PermissionDeniedError" in blocked.stderr
        assert ".lock" in blocked.stderr
