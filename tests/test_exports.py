"""Where exports go (duty_room/exports.py): as oneself, where named; run as the service account (an
officer through sudo), only in the system file's export folder, readable by its group. The real
accounts and sudo are in tests/test_deployment.py (TestServiceAccount)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from duty_room.cli import cli
from duty_room.config import ConfigError, load_settings
from store import clock
from store.dutylog import shift_at
from store.handover import find_handover
from store.storage import Store, default_actor
from widgets.form import FormScreen
from widgets.status_line import StatusLine

from pilot import dashboard, settled

ME = default_actor()


@pytest.fixture
def as_service(system_config: Path, small_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This account configured as the service account and run "through sudo" (SUDO_UID): the
    export folder is tmp/exports, made as the README's set-up makes it (2750)."""
    exports = tmp_path / "exports"
    exports.mkdir()
    exports.chmod(0o2750)
    system_config.write_text(
        f'store = "{small_store.root}"\nservice_account = "{ME}"\nexport_dir = "{exports}"\n', encoding="utf-8"
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
    """The caller's environment and user config cannot move the folder (a security key); without
    export_dir it is `exports` beside the store; run as oneself there is none (as before)."""
    monkeypatch.setenv("DUTY_ROOM_EXPORT_DIR", str(tmp_path))
    with pytest.raises(ConfigError, match="DUTY_ROOM_EXPORT_DIR"):
        load_settings({"lang": "en"})
    monkeypatch.delenv("DUTY_ROOM_EXPORT_DIR")
    user = tmp_path / "no-config" / "duty-room" / "config.toml"
    user.parent.mkdir(parents=True)
    user.write_text(f'export_dir = "{tmp_path}"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="export_dir"):
        load_settings({"lang": "en"})
    user.unlink()
    assert load_settings().export_folder == as_service
    system_config.write_text(f'store = "{small_store.root}"\nservice_account = "{ME}"\n', encoding="utf-8")
    assert load_settings().export_folder == small_store.root.parent / "exports"
    monkeypatch.delenv("SUDO_UID")
    monkeypatch.setenv("SUDO_UID", "x")  # no sudo record: the service account itself (cron), still pinned
    assert load_settings().export_folder == small_store.root.parent / "exports"
    system_config.write_text(f'store = "{small_store.root}"\n', encoding="utf-8")  # no service account
    assert load_settings().export_folder is None
    assert "导出文件夹" not in CliRunner().invoke(cli, ["whoami"]).output


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


async def test_the_dashboards_handover_export_names_the_whole_path(
    small_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As oneself a name goes in the working folder, as before; the status line said the name as
    typed (已导出到 交接班.md), not where that was."""
    monkeypatch.chdir(tmp_path)
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("5", "h")
        await settled(app, pilot)
        app.screen.query_one("#field-export").value = "交接班.md"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        assert (tmp_path / "交接班.md").is_file()
        assert f"已导出到 {tmp_path / '交接班.md'}" in app.query_one("#status", StatusLine).message


async def test_the_palettes_screenshot_as_the_service_account(
    small_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """截图 run through sudo went to the service account's home (its downloads folder missing):
    it goes in the export folder, readable by its group, and says where."""
    home, exports = tmp_path / "home", tmp_path / "exports"
    home.mkdir()
    exports.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    service = {"service_account": ME, "as_service": True, "export_dir": exports}
    async with dashboard(small_store, **service) as (app, pilot):
        status = app.query_one("#status", StatusLine)
        command = next(c for c in app.get_system_commands(app.screen) if c.title == "截图")
        old = os.umask(0o077)
        try:
            command.callback()
            for _ in range(100):
                if status.message:
                    break
                await pilot.pause(0.05)
        finally:
            os.umask(old)
        [shot] = list(exports.iterdir())
        assert shot.suffix == ".svg" and mode(shot) == 0o640 and list(home.iterdir()) == []
        assert status.message == f"已保存截图：{shot}"
