"""`duty-room backup DEST` and `duty-room restore SRC`: a consistent copy while officers work."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from duty_room.cli import cli
from duty_room.exits import ExitCode
from store import storage
from store.models import Petition
from store.storage import Store, backup_store, check_store, restore_store

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def no_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-config"))


def fingerprint(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != storage.LOCK
    }


def test_backup_and_restore_through_the_command_line(small_store: Store, tmp_path: Path) -> None:
    runner = CliRunner()
    dest = tmp_path / "backups" / "2026-11-28"
    result = runner.invoke(cli, ["--store", str(small_store.root), "backup", str(dest)])
    assert result.exit_code == 0, result.output
    assert "已校验" in result.output and str(dest) in result.output
    assert fingerprint(dest) == fingerprint(small_store.root)

    again = runner.invoke(cli, ["--store", str(small_store.root), "backup", str(dest)])
    assert again.exit_code == ExitCode.REFUSED and "不是空文件夹" in again.output
    assert "只能恢复到" not in again.output  # a backup refused spoke of restoring

    target = tmp_path / "restored"
    result = runner.invoke(cli, ["--store", str(target), "restore", str(dest)])
    assert result.exit_code == 0, result.output
    assert fingerprint(target) == fingerprint(small_store.root)
    assert runner.invoke(cli, ["--store", str(target), "check"]).exit_code == 0

    occupied = tmp_path / "occupied"
    occupied.mkdir()
    (occupied / "notes.txt").write_text("keep me")
    refused = runner.invoke(cli, ["--store", str(occupied), "--lang", "en", "restore", str(dest)])
    assert refused.exit_code == ExitCode.REFUSED and "not empty" in refused.output
    assert [p.name for p in occupied.iterdir()] == ["notes.txt"]


@pytest.mark.parametrize("shared", [True, False])
def test_backup_and_restore_give_the_copy_its_folders_access(small_store: Store, tmp_path: Path, shared: bool) -> None:
    """Every copied file was created 0640 whatever the folder: in a group-shared store (README, "a
    shared group") a restore left every file unwritable by the group, and `check` exited 2 on it
    (as on a backup taken into a group-writable folder) right after both said "verified". Now the
    copies get the store's own modes: 0660 in a shared folder, 0600 in a private one."""
    file_mode, folder_mode = (0o660, 0o2770) if shared else (0o600, 0o700)
    runner = CliRunner()
    backups = tmp_path / "backups"
    backups.mkdir(mode=0o700)
    os.chmod(backups, folder_mode)
    dest = backups / "2026-11-28"
    assert runner.invoke(cli, ["--store", str(small_store.root), "backup", str(dest)]).exit_code == 0
    target = tmp_path / "restored"
    target.mkdir()
    os.chmod(target, folder_mode)  # the README's `install -d ... -m 2770` (or 0700) store folder
    assert runner.invoke(cli, ["--store", str(target), "restore", str(dest)]).exit_code == 0
    for copy in (dest, target):
        assert storage.permission_problems(copy) == []
        assert {oct(p.stat().st_mode & 0o7777) for p in copy.rglob("*.json")} == {oct(file_mode)}
        result = runner.invoke(cli, ["--store", str(copy), "check"])
        assert result.exit_code == 0, result.output


def test_restore_refuses_a_damaged_or_partial_backup(small_store: Store, tmp_path: Path) -> None:
    dest = tmp_path / "b"
    backup_store(small_store, dest)
    (dest / "manifest.json").unlink()  # a copy cut short has no manifest
    result = CliRunner().invoke(cli, ["--store", str(tmp_path / "r"), "restore", str(dest)])
    assert result.exit_code == ExitCode.DAMAGED, result.output
    assert not (tmp_path / "r").exists() or not any((tmp_path / "r").iterdir())


def test_backup_of_no_store_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--store", str(tmp_path / "none"), "backup", str(tmp_path / "b")])
    assert result.exit_code == ExitCode.DAMAGED and result.output.count("\n") == 1


WRITER = """
import sys
from store.lifecycle import register
from store.storage import Store
store = Store(sys.argv[1], actor=f"writer{sys.argv[2]}")
for i in range(10_000):
    created = register(store, {"title": f"w{sys.argv[2]} 第{i}件", "channel": "hotline", "category": "other",
                               "community_id": "dongcheng"})
    print(created.id, flush=True)
"""


@pytest.mark.slow
def test_backup_while_four_writers_work_restores_every_acknowledged_write(small_store: Store, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # the writers run on the real clock
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(small_store.root), str(n)], stdout=subprocess.PIPE, text=True, env=env
        )
        for n in range(4)
    ]
    acknowledged: list[list[str]] = [[] for _ in writers]

    def collect(n: int) -> None:
        assert writers[n].stdout is not None
        for line in writers[n].stdout:
            acknowledged[n].append(line.strip())

    readers = [threading.Thread(target=collect, args=(n,), daemon=True) for n in range(4)]
    for reader in readers:
        reader.start()
    try:
        deadline = time.monotonic() + 60
        while min(len(a) for a in acknowledged) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert min(len(a) for a in acknowledged) >= 3, "the writers did not start"
        before_backup = {case_id for ids in acknowledged for case_id in list(ids)}
        copied = backup_store(Store(small_store.root), tmp_path / "backup")
        time.sleep(0.3)  # the writers go on after the copy
    finally:
        for writer in writers:
            writer.kill()
            writer.wait()
    assert all(writer.returncode != 0 for writer in writers)  # killed while still writing

    restore_store(tmp_path / "backup", tmp_path / "restored")
    report = check_store(tmp_path / "restored")
    assert report.ok, report.findings
    restored = Store(tmp_path / "restored")
    ids = [p.id for p in restored.all(Petition)]
    assert len(ids) == len(set(ids))
    assert before_backup <= set(ids)  # every write acknowledged before the backup began is in it
    assert restored.generation() == copied.generation
    later = {case_id for ids_ in acknowledged for case_id in ids_} - set(ids)
    assert later, "the writers kept working after the snapshot"
