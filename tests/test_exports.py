"""Where exports go (duty_room/exports.py): as oneself, where named; run as the service account (an
officer through sudo), only in the system file's export folder, readable by its group. The real
accounts and sudo are in tests/test_deployment.py (TestServiceAccount)."""

from __future__ import annotations

import errno
import grp
import os
import shutil
import stat
import struct
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from duty_room import exports as exports_module
from duty_room.cli import cli
from duty_room.config import DEFAULT_BACKUP_DIR, ConfigError, load_settings
from store import clock
from store.dutylog import shift_at
from store.handover import find_handover
from store.models import Community
from store.sheetfiles import write_csv_dir, write_xlsx
from store.storage import Store, default_actor
from store.workbook import SHEETS, sheet_out
from tests.conftest import store_bytes
from widgets.form import FormScreen
from widgets.status_line import StatusLine

from pilot import dashboard, settled, until

ME = default_actor()


@pytest.fixture
def as_service(system_config: Path, small_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This account configured as the service account and run "through sudo" (SUDO_UID): the
    export folder is tmp/exports, the import folder tmp/imports (this officer's own tmp/imports/ME)
    and the backup folder tmp/backups, made as the README's set-up makes them (2750, 0750 and 2750,
    0700)."""
    exports = tmp_path / "exports"
    for folder, folder_mode in (
        (exports, 0o2750),
        (tmp_path / "imports", 0o750),
        (tmp_path / "imports" / ME, 0o2750),
        (tmp_path / "backups", 0o700),
    ):
        folder.mkdir()
        folder.chmod(folder_mode)
    system_config.write_text(
        f'store = "{small_store.root}"\nservice_account = "{ME}"\nexport_dir = "{exports}"\n'
        f'import_dir = "{tmp_path / "imports"}"\nbackup_dir = "{tmp_path / "backups"}"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("SUDO_UID", str(os.getuid()))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-config"))
    monkeypatch.chdir(tmp_path)  # the caller's working folder: not where the service account writes
    return exports


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_as_the_service_account_every_export_goes_in_the_export_folder(
    as_service: Path, small_store: Store, tmp_path: Path
) -> None:
    """Run through sudo, `handover --out`, `export` and `template` wrote as the service account where
    the caller named, relative to the caller's folder or in the service account's home, where the
    officer cannot read it, and any path it could write (the store itself: --out …/manifest.json).
    A name goes in the export folder, readable by its group whatever the umask; a path outside it
    is refused in one line naming the folder, exit 1, nothing written."""
    exports = as_service
    runner = CliRunner()
    manifest = (small_store.root / "manifest.json").read_bytes()
    old = os.umask(0o077)  # sudo keeps the officer's umask
    try:
        handed = runner.invoke(cli, ["handover", "--out", "交接班.md"])
        exported = runner.invoke(cli, ["export", "底册.xlsx"])
        folder = runner.invoke(cli, ["template", "空表"])
    finally:
        os.umask(old)
    assert handed.exit_code == 0, handed.output
    assert handed.output.strip() == str(exports / "交接班.md")  # the whole path written
    assert (exports / "交接班.md").read_text(encoding="utf-8").startswith("# ")
    assert exported.exit_code == 0 and str(exports / "底册.xlsx") in exported.output, exported.output
    load_workbook(exports / "底册.xlsx")
    assert folder.exit_code == 0 and (exports / "空表" / "住户.csv").is_file(), folder.output
    assert mode(exports / "交接班.md") == mode(exports / "底册.xlsx") == 0o640
    assert mode(exports / "空表") & 0o777 == 0o750 and mode(exports / "空表" / "住户.csv") == 0o640
    assert not (tmp_path / "交接班.md").exists() and not (tmp_path / "底册.xlsx").exists()

    outside = [
        ["handover", "--out", str(small_store.root / "manifest.md")],
        ["handover", "--out", "../交接班.md"],
        ["handover", "--out", "~/交接班.md"],
        ["export", str(small_store.root / "petitions")],
        ["template", str(tmp_path / "t.xlsx")],
    ]
    for args in outside:
        refused = runner.invoke(cli, args)
        assert refused.exit_code == 1, (args, refused.output)
        assert refused.output.strip().startswith(f"duty-room: 以服务账号 {ME} 运行时，导出的文件只能写在 {exports} 中")
        assert len(refused.output.strip().splitlines()) == 1
    assert (
        not (small_store.root / "manifest.md").exists() and not (small_store.root / "petitions" / "住户.csv").exists()
    )
    assert (small_store.root / "manifest.json").read_bytes() == manifest
    english = runner.invoke(cli, ["--lang", "en", "handover", "--out", "/tmp/x.md"])
    assert f"exports are written in {exports} only: give a file name" in english.output
    who = runner.invoke(cli, ["whoami"]).output.splitlines()
    assert f"导出文件夹: {exports}" in who


def test_the_export_folder_is_the_system_files_alone(
    as_service: Path, system_config: Path, small_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The caller's environment and user config cannot move the folders (security keys); without
    export_dir it is `exports` beside the store, without import_dir `imports` beside it, without
    backup_dir /var/backups/duty-room (where the README's cron line has always put them); run as
    oneself there is none (as before)."""
    user = tmp_path / "no-config" / "duty-room" / "config.toml"
    user.parent.mkdir(parents=True)
    for key in ("export_dir", "import_dir", "backup_dir"):
        monkeypatch.setenv(f"DUTY_ROOM_{key.upper()}", str(tmp_path))
        with pytest.raises(ConfigError, match=f"DUTY_ROOM_{key.upper()}"):
            load_settings({"lang": "en"})
        monkeypatch.delenv(f"DUTY_ROOM_{key.upper()}")
        user.write_text(f'{key} = "{tmp_path}"\n', encoding="utf-8")
        with pytest.raises(ConfigError, match=key):
            load_settings({"lang": "en"})
        user.unlink()
    settings = load_settings()
    assert (settings.export_folder, settings.import_folder, settings.backup_folder) == (
        as_service,
        tmp_path / "imports",
        tmp_path / "backups",
    )
    system_config.write_text(f'store = "{small_store.root}"\nservice_account = "{ME}"\n', encoding="utf-8")
    defaults = (small_store.root.parent / "exports", small_store.root.parent / "imports", DEFAULT_BACKUP_DIR)
    settings = load_settings()
    assert (settings.export_folder, settings.import_folder, settings.backup_folder) == defaults
    assert DEFAULT_BACKUP_DIR == Path("/var/backups/duty-room")  # the README's cron line's folder
    monkeypatch.delenv("SUDO_UID")
    monkeypatch.setenv("SUDO_UID", "x")  # no sudo record: the service account itself (cron), still pinned
    settings = load_settings()
    assert (settings.export_folder, settings.import_folder, settings.backup_folder) == defaults
    system_config.write_text(f'store = "{small_store.root}"\n', encoding="utf-8")  # no service account
    settings = load_settings()
    assert settings.export_folder is settings.import_folder is settings.backup_folder is None
    said = CliRunner().invoke(cli, ["whoami"]).output
    assert "导出文件夹" not in said and "导入文件夹" not in said and "备份文件夹" not in said


async def test_the_dashboards_handover_export_as_the_service_account(
    small_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Panel 5's 交接班 export, run through sudo: ~/交接班.md landed in the service account's home,
    which the officer cannot read. A path outside the export folder is refused beside the field
    (nothing handed over, the form kept); a name is written there, readable by its group, and the
    status line names the whole path."""
    exports = tmp_path / "exports"
    exports.mkdir()
    monkeypatch.chdir(tmp_path)
    service = {"service_account": ME, "as_service": True, "export_dir": exports}
    async with dashboard(small_store, **service) as (app, pilot):
        await pilot.press("5", "h")
        await settled(app, pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        assert form.query_one("#field-export").placeholder == "如 交接班.md"  # type: ignore[attr-defined]
        for outside in ("~/交接班.md", "../交接班.md", str(small_store.root / "交接班.md")):
            form.query_one("#field-export").value = outside  # type: ignore[attr-defined]
            await pilot.press("ctrl+s")
            await settled(app, pilot)
            assert app.screen is form
            said = str(form.query_one("#error-export").render())
            assert f"只能写在 {exports} 中" in said, said
        shift = shift_at(small_store, clock.now())
        assert shift is not None and find_handover(small_store, shift) is None  # nothing handed over
        form.query_one("#field-export").value = "交接班.md"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        assert not isinstance(app.screen, FormScreen)
        assert (exports / "交接班.md").read_text(encoding="utf-8").startswith("# ")
        assert mode(exports / "交接班.md") == 0o640 and not (tmp_path / "交接班.md").exists()
        assert str(exports / "交接班.md") in app.query_one("#status", StatusLine).message
        assert find_handover(small_store, shift) is not None


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("zh", "已交班：班次 11-28 08:00，等待接班人确认；已导出到 {}"),
        ("en", "Shift 11-28 08:00 handed over, to be taken over. Exported to {}"),
    ],
)
async def test_the_dashboards_handover_export_names_the_whole_path(
    small_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str, said: str
) -> None:
    """As oneself a name goes in the working folder, as before; the status line said the name as
    typed (已导出到 交接班.md), not where that was. Its two sentences ran into one another
    (等待接班人确认 已导出到 …, in English `… incoming officer exported to …`)."""
    monkeypatch.chdir(tmp_path)
    async with dashboard(small_store, lang=lang) as (app, pilot):
        await pilot.press("5", "h")
        await settled(app, pilot)
        app.screen.query_one("#field-export").value = "交接班.md"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        assert (tmp_path / "交接班.md").is_file()
        assert app.query_one("#status", StatusLine).message == said.format(tmp_path / "交接班.md")


@pytest.mark.parametrize("may_reveal", [False, True], ids=["masked", "may reveal"])
async def test_the_palettes_screenshot_as_the_service_account(
    small_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, may_reveal: bool
) -> None:
    """截图 run through sudo went to the service account's home (its downloads folder missing):
    it goes in the export folder, readable by its group, and says where. An officer who may reveal
    may have personal data on screen: theirs alone (an ACL entry for them, the group nothing)."""
    home, exports = tmp_path / "home", tmp_path / "exports"
    home.mkdir()
    exports.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setattr(exports_module, "_uid", lambda account: 65534)
    service = {"service_account": ME, "as_service": True, "export_dir": exports}
    if may_reveal:
        service["reveal_users"] = [ME]
    async with dashboard(small_store, **service) as (app, pilot):
        status = app.query_one("#status", StatusLine)
        command = next(c for c in app.get_system_commands(app.screen) if c.title == "截图")
        old = os.umask(0o077)
        try:
            command.callback()
            await until(pilot, lambda: status.message, "the status line to say the screenshot's fate")
        finally:
            os.umask(old)
        [shot] = list(exports.iterdir())
        assert shot.suffix == ".svg" and mode(shot) == 0o640 and list(home.iterdir()) == []
        if may_reveal:
            assert acl_entries(shot)[1:3] == [(0x02, 4, 65534), (0x04, 0, 0xFFFFFFFF)]
        else:
            with pytest.raises(OSError):
                os.getxattr(shot, ACL_XATTR)
        assert status.message == f"已保存截图：{shot}"


ACL_XATTR = "system.posix_acl_access"


def acl_entries(path: Path) -> list[tuple[int, int, int]]:
    """A file's POSIX ACL as the kernel keeps it: (tag, perm, id) after the version word."""
    value = os.getxattr(path, ACL_XATTR)
    assert struct.unpack_from("<I", value)[0] == 2
    return [struct.unpack_from("<HHI", value, 4 + 8 * i) for i in range((len(value) - 4) // 8)]


@pytest.fixture
def permitted(as_service: Path, system_config: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    """This account may reveal, and "the officer who ran sudo" is another account (uid 65534):
    the service account (this one) gives its unmasked export to that uid alone."""
    system_config.write_text(system_config.read_text() + f'reveal_users = ["{ME}"]\n', encoding="utf-8")
    officer = 65534
    monkeypatch.setattr(exports_module, "_uid", lambda account: officer if account == ME else None)
    return officer


def test_an_unmasked_export_is_for_the_officer_who_asked_alone(
    as_service: Path, permitted: int, small_store: Store
) -> None:
    """A permitted officer's export holds every name and phone unmasked, and was left 0640 in the
    officers' group folder: every officer read it. Now it is the service account's (0600) with one
    ACL entry for the officer who asked (group and others nothing); a masked export, --mask or by
    an officer who may not reveal, stays the group's (0640, no ACL)."""
    exports = as_service
    runner = CliRunner()
    old = os.umask(0o022)  # sudo's own 022: the file was group-readable from its first byte
    try:
        unmasked = runner.invoke(cli, ["export", "全部.xlsx"])
        folder = runner.invoke(cli, ["export", "全部CSV"])
        masked = runner.invoke(cli, ["export", "--mask", "脱敏.xlsx"])
    finally:
        os.umask(old)
    assert unmasked.exit_code == 0 and "未脱敏" in unmasked.output, unmasked.output
    assert folder.exit_code == 0 and masked.exit_code == 0, folder.output + masked.output
    grant = [(0x01, 6, 0xFFFFFFFF), (0x02, 4, permitted), (0x04, 0, 0xFFFFFFFF), (0x10, 4, 0xFFFFFFFF)]
    assert acl_entries(exports / "全部.xlsx") == [*grant, (0x20, 0, 0xFFFFFFFF)]
    assert mode(exports / "全部.xlsx") == 0o640  # (ls shows the ACL's mask as the group's bits)
    assert acl_entries(exports / "全部CSV")[:2] == [(0x01, 7, 0xFFFFFFFF), (0x02, 5, permitted)]
    for csv in (exports / "全部CSV").iterdir():
        assert acl_entries(csv) == [*grant, (0x20, 0, 0xFFFFFFFF)], csv
    assert mode(exports / "脱敏.xlsx") == 0o640
    with pytest.raises(OSError):  # no ACL: the group reads it
        os.getxattr(exports / "脱敏.xlsx", ACL_XATTR)


def test_an_export_over_an_earlier_one_is_a_new_file(as_service: Path, permitted: int) -> None:
    """Written in place, an unmasked export over an earlier masked one of the same name kept that
    file (0640, the group's) while it was filled, and an officer who had it open read the new
    one through it. Now the old file is taken away first: a handle on it still reads the old."""
    exports = as_service
    runner = CliRunner()
    assert runner.invoke(cli, ["export", "--mask", "底册.xlsx"]).exit_code == 0
    before = (exports / "底册.xlsx").read_bytes()
    with (exports / "底册.xlsx").open("rb") as held:  # another officer's, kept open
        assert runner.invoke(cli, ["export", "底册.xlsx"]).exit_code == 0
        assert held.read() == before
    assert (exports / "底册.xlsx").read_bytes() != before
    assert acl_entries(exports / "底册.xlsx")[1] == (0x02, 4, permitted)
    assert runner.invoke(cli, ["export", "--mask", "底册.xlsx"]).exit_code == 0  # and back: no ACL left over
    with pytest.raises(OSError):
        os.getxattr(exports / "底册.xlsx", ACL_XATTR)
    assert runner.invoke(cli, ["export", "表"]).exit_code == 0  # a CSV folder likewise
    assert acl_entries(exports / "表")[1] == (0x02, 5, permitted)
    assert runner.invoke(cli, ["export", "--mask", "表"]).exit_code == 0
    for item in (exports / "表", *(exports / "表").iterdir()):
        with pytest.raises(OSError):
            os.getxattr(item, ACL_XATTR)
    assert mode(exports / "表") == 0o750


def test_an_unmasked_export_where_acls_are_not_supported_is_removed_and_refused(
    as_service: Path, permitted: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    exports = as_service

    def no_acls(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EOPNOTSUPP, os.strerror(errno.EOPNOTSUPP))

    monkeypatch.setattr(os, "setxattr", no_acls)
    for name in ("全部.xlsx", "全部CSV"):
        refused = CliRunner().invoke(cli, ["--lang", "en", "export", name])
        one_line_from(refused, f"duty-room: not exported: the filesystem of {exports} has no ACLs")
        assert not (exports / name).exists(), name
    assert CliRunner().invoke(cli, ["export", "--mask", "脱敏.xlsx"]).exit_code == 0  # masked: no ACL needed


def one_line_from(result: object, start: str) -> None:
    output = result.output.strip()  # type: ignore[attr-defined]
    assert result.exit_code == 1, output  # type: ignore[attr-defined]
    assert len(output.splitlines()) == 1 and output.startswith(start), output


def test_as_the_service_account_a_backup_goes_in_the_backup_folder(
    as_service: Path, system_config: Path, small_store: Store, tmp_path: Path
) -> None:
    """`backup DEST` run through sudo wrote wherever the officer named that the service account can
    write, making the folders on the way (`backup /tmp/x`, `backup ~/x`, `backup ../x` beside the
    store), and `restore SRC` read any store it can read. Now a backup goes only in the backup
    folder (a name goes there; the folder itself is no backup), and a restore reads only from there;
    anything else is refused in one line naming the folder, exit 1, nothing made."""
    backups = tmp_path / "backups"
    runner = CliRunner()
    made = runner.invoke(cli, ["backup", "nov28"])
    assert made.exit_code == 0, made.output
    assert str(backups / "nov28") in made.output and (backups / "nov28" / "manifest.json").is_file()
    inside = runner.invoke(cli, ["backup", str(backups / "2026" / "11-29")])  # a path inside: as written
    assert inside.exit_code == 0 and (backups / "2026" / "11-29" / "manifest.json").is_file(), inside.output
    for outside in (str(tmp_path / "elsewhere"), "../elsewhere", "~/elsewhere", str(backups), ".", "2026/.."):
        one_line_from(
            runner.invoke(cli, ["backup", outside]), f"duty-room: 以服务账号 {ME} 运行时，备份只能写在 {backups} 中"
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["backups", "exports", "imports", "etc-duty-room", "store"]
    )
    english = runner.invoke(cli, ["--lang", "en", "backup", "/tmp/x"])
    assert (
        f"backups are written in {backups} only: give a folder name (e.g. 2026-11-28-{ME}), not '/tmp/x'"
        in english.output
    )
    who = runner.invoke(cli, ["whoami"]).output.splitlines()
    assert f"备份文件夹: {backups}" in who and f"导入文件夹: {tmp_path / 'imports' / ME}" in who

    # the township's store gone: restored from the backup folder only
    restored = tmp_path / "restored"
    system_config.write_text(
        f'store = "{restored}"\nservice_account = "{ME}"\nbackup_dir = "{backups}"\n', encoding="utf-8"
    )
    for outside in (str(small_store.root), "../store", str(backups), "~/x"):
        one_line_from(
            runner.invoke(cli, ["restore", outside]),
            f"duty-room: 以服务账号 {ME} 运行时，只能从 {backups} 中的备份恢复",
        )
    assert not restored.exists()
    back = runner.invoke(cli, ["restore", "nov28"])
    assert back.exit_code == 0 and str(restored) in back.output, back.output
    assert Store(restored).get(Community, "dongcheng").name == small_store.get(Community, "dongcheng").name


def _community_rows(name: str) -> list:
    return [sheet_out(SHEETS[0], [["", name, "孟轲乡", 40]])]


def test_as_the_service_account_an_import_reads_from_the_import_folder_only(
    as_service: Path, small_store: Store, tmp_path: Path
) -> None:
    """`import FILE` run through sudo read any file the service account can read: an officer had no
    place to put a workbook it could read, and could name the store's own files (or anything else
    the account reads), whose cells a refusal quotes. Now a name is looked up in the officer's own
    folder of the import folder, and a path outside it (another officer's folder too) is refused in
    one line naming it, exit 1, nothing read."""
    imports = tmp_path / "imports" / ME
    (tmp_path / "imports" / "other").mkdir()
    write_xlsx(tmp_path / "imports" / "other" / "a.xlsx", _community_rows("别人的"))
    write_xlsx(tmp_path / "imports" / "shared.xlsx", _community_rows("别人的"))
    write_xlsx(imports / "新社区.xlsx", _community_rows("新社区"))
    write_csv_dir(imports / "表", _community_rows("又一社区"))
    runner = CliRunner()
    done = runner.invoke(cli, ["import", "新社区.xlsx"])
    assert done.exit_code == 0 and "已导入" in done.output, done.output
    csv = runner.invoke(cli, ["import", str(imports / "表")])  # a path inside: as written
    assert csv.exit_code == 0, csv.output
    names = {c.name for c in small_store.all(Community)}
    assert {"新社区", "又一社区"} <= names
    before = store_bytes(small_store.root)
    petitions = next((small_store.root / "petitions").glob("*.json"))
    for outside in (
        str(petitions),
        "../store/manifest.json",
        "/etc/passwd",
        "~/x.xlsx",
        str(imports),
        ".",
        "表/../..",
        str(tmp_path / "imports-x" / "a.xlsx"),
        str(tmp_path / f"imports/{ME}-x/a.xlsx"),
        "../other/a.xlsx",
        str(tmp_path / "imports" / "other" / "a.xlsx"),
        "../shared.xlsx",
        str(tmp_path / "imports" / "shared.xlsx"),
    ):
        one_line_from(
            runner.invoke(cli, ["import", outside]), f"duty-room: 以服务账号 {ME} 运行时，只能导入 {imports} 中的文件"
        )
    english = runner.invoke(cli, ["--lang", "en", "import", "/etc/passwd"])
    assert f"files are imported from {imports} only: put the file there, then give its name" in english.output
    assert store_bytes(small_store.root) == before
    assert "别人的" not in {c.name for c in small_store.all(Community)}
    shutil.rmtree(imports)  # not made for this officer: said with the set-up line that makes it
    missing = runner.invoke(cli, ["--lang", "en", "import", "新社区.xlsx"])
    one_line_from(missing, f"duty-room: run as the service account {ME}, files are imported from your own import")
    group = grp.getgrgid(os.getegid()).gr_name
    assert missing.output.strip().endswith(f"ask the admin to run: install -d -o {ME} -g {group} -m 2750 {imports}")


def test_a_link_in_the_import_folder_is_not_followed(as_service: Path, small_store: Store, tmp_path: Path) -> None:
    """The officers can write in the import folder, so a name there could be a link to a store file
    (or to a folder above one): the service account would have read it for them. Links and special
    files (a pipe, which would have kept the import waiting) are refused in one line, wherever
    below the folder they are; nothing of what they point to is said."""
    imports = tmp_path / "imports" / ME
    petitions = next((small_store.root / "petitions").glob("*.json"))
    (imports / "案件.xlsx").symlink_to(petitions)
    (imports / "库").symlink_to(small_store.root)
    (imports / "表").mkdir()
    (imports / "表" / "社区.csv").symlink_to(petitions)
    (imports / "深").mkdir()
    (imports / "深" / "库").symlink_to(small_store.root)
    write_xlsx(imports / "真.xlsx", _community_rows("新社区"))
    (imports / "别名.xlsx").symlink_to(imports / "真.xlsx")  # even one that stays inside
    os.mkfifo(imports / "管道.xlsx")
    runner = CliRunner()
    refused = {
        "案件.xlsx": imports / "案件.xlsx",
        "库/petitions": imports / "库",
        "表": imports / "表" / "社区.csv",
        "深/库/manifest.json": imports / "深" / "库",
        "别名.xlsx": imports / "别名.xlsx",
        "管道.xlsx": imports / "管道.xlsx",
    }
    for given, named in refused.items():
        result = runner.invoke(cli, ["import", given])
        one_line_from(result, f"duty-room: {named}：是链接或特殊文件，不读")
        assert "MK26" not in result.output
    english = runner.invoke(cli, ["--lang", "en", "import", "案件.xlsx"])
    assert f"{imports / '案件.xlsx'}: a link or a special file, not read" in english.output
    missing = runner.invoke(cli, ["import", "没有.xlsx"])
    one_line_from(missing, f"duty-room: {imports / '没有.xlsx'}：没有这个文件")
    assert {c.name for c in small_store.all(Community)}.isdisjoint({"新社区"})


def test_as_oneself_import_backup_and_restore_take_the_path_named(small_store: Store, tmp_path: Path) -> None:
    """No service account: as before, a path is read or written where it is named, links followed."""
    write_xlsx(tmp_path / "a.xlsx", _community_rows("新社区"))
    (tmp_path / "link.xlsx").symlink_to(tmp_path / "a.xlsx")
    runner = CliRunner()
    store = ["--store", str(small_store.root)]
    assert runner.invoke(cli, [*store, "import", str(tmp_path / "link.xlsx")]).exit_code == 0
    assert runner.invoke(cli, [*store, "backup", str(tmp_path / "b")]).exit_code == 0
    restored = runner.invoke(cli, ["--store", str(tmp_path / "r"), "restore", str(tmp_path / "b")])
    assert restored.exit_code == 0, restored.output
    assert "新社区" in {c.name for c in Store(tmp_path / "r").all(Community)}
