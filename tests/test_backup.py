"""`duty-room backup DEST` and `duty-room restore SRC`: a consistent copy while officers work."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from duty_room import backups, cli as cli_module
from duty_room.cli import cli
from duty_room.config import Settings
from duty_room.exits import ExitCode, exit_code_for
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
    assert refused.exit_code == ExitCode.REFUSED and "not an empty folder" in refused.output
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


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("zh", "duty-room: 数据文件已损坏：{root}：未备份：数据目录未通过检查：{file} 已损坏："),
        (
            "en",
            "duty-room: store file is damaged: {root}: not backed up: the store does not pass check: {file} is damaged: ",
        ),
    ],
)
def test_a_backup_of_a_damaged_store_names_the_stores_file(
    small_store: Store, tmp_path: Path, lang: str, said: str
) -> None:
    """A backup of a store with a damaged file said 数据文件已损坏：<the backup's folder, removed again>：
    副本未通过检查…；请从备份恢复: it named a folder that was not there and blamed the copy. The store's
    file is the damaged one (the copy is the store's byte for byte): named, nothing made."""
    damaged = next((small_store.root / "petitions").glob("*.json"))
    data = json.loads(damaged.read_text(encoding="utf-8"))
    next(iter(data["records"].values()))["priority"] = "超急"
    damaged.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    dest = tmp_path / "b"
    result = CliRunner().invoke(cli, ["--store", str(small_store.root), "--lang", lang, "backup", str(dest)])
    assert result.exit_code == ExitCode.DAMAGED and result.output.count("\n") == 1, result.output
    file = damaged.relative_to(small_store.root).as_posix()
    assert result.output.startswith(said.format(root=small_store.root, file=file)), result.output
    assert not dest.exists()


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
            time.sleep(0.05)  # a poll of the condition above
        assert min(len(a) for a in acknowledged) >= 3, "the writers did not start"
        before_backup = {case_id for ids in acknowledged for case_id in list(ids)}
        copied = backup_store(Store(small_store.root), tmp_path / "backup")
        after_copy = sum(len(a) for a in acknowledged)  # every write acknowledged from now on is not in the copy
        deadline = time.monotonic() + 60
        while sum(len(a) for a in acknowledged) <= after_copy and time.monotonic() < deadline:
            time.sleep(0.05)  # a poll of the condition above
        assert sum(len(a) for a in acknowledged) > after_copy, "the writers acknowledged nothing after the copy"
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


# ---------------------------------------------------------------------------
# as the service account: no partial copy, disk kept free, officers' backups kept to backup_keep


class FailingAt(storage.SystemCalls):
    """The k-th write, fsync, rename or mkdir of the store's system calls fails with ENOSPC."""

    def __init__(self, fail_at: int | None = None) -> None:
        self.fail_at, self.calls = fail_at, 0

    def _count(self) -> None:
        self.calls += 1
        if self.calls == self.fail_at:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def write(self, fd, data):  # noqa: ANN001, ANN201
        self._count()
        return super().write(fd, data)

    def fsync(self, fd):  # noqa: ANN001, ANN201
        self._count()
        return super().fsync(fd)

    def rename(self, source, target):  # noqa: ANN001, ANN201
        self._count()
        return super().rename(source, target)

    def mkdir(self, path, mode=0o777):  # noqa: ANN001, ANN201
        self._count()
        return super().mkdir(path, mode)


@pytest.mark.parametrize("existing", [False, True], ids=["new folder", "empty folder"])
@pytest.mark.parametrize("kind", ["backup", "restore"])
def test_a_copy_that_fails_half_way_leaves_nothing_it_made(
    small_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str, existing: bool
) -> None:
    """A full disk half-way through `duty-room backup` or `restore` left the folder with the tables'
    folders and the files renamed in so far (no manifest): an officer's loop through sudo left one
    such folder per try, and the next one under that name was refused as not empty. Now what the
    copy made is removed, whichever call fails; a folder that was there (empty) stays, empty; what
    it copied from (the store, the backup) is left as it was."""
    if kind == "backup":
        source = small_store.root
        copy: Callable[[Path], object] = lambda dest: backup_store(small_store, dest)  # noqa: E731
    else:
        source = tmp_path / "backup"
        backup_store(small_store, source)
        copy = lambda target: restore_store(source, target)  # noqa: E731
    before = fingerprint(source)
    counter = FailingAt()
    reference = tmp_path / "reference"
    if existing:
        reference.mkdir()
    monkeypatch.setattr(storage, "SYSCALLS", counter)
    copy(reference)
    total = counter.calls
    assert total > 20
    for k in range(1, total + 1):
        parent = tmp_path / f"k{k}"
        parent.mkdir()
        dest = parent / "copy"
        if existing:
            dest.mkdir()
        monkeypatch.setattr(storage, "SYSCALLS", FailingAt(k))
        with pytest.raises(storage.StoreError):
            copy(dest)
        monkeypatch.setattr(storage, "SYSCALLS", storage.SystemCalls())
        left = [p.name for p in parent.iterdir()]
        assert left == (["copy"] if existing else []), (k, left)
        if existing:
            assert list(dest.iterdir()) == [], k
    assert fingerprint(source) == before


@pytest.mark.parametrize("existing", [False, True], ids=["new folder", "empty folder"])
def test_a_restored_copy_that_does_not_verify_is_removed_and_nothing_else(
    small_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, existing: bool
) -> None:
    """The copy is re-read and compared by sha256: one that differs is refused (exit 2) and removed,
    as a copy cut short is; in a folder that was there, only what the restore put in goes (a file
    someone else put there meanwhile stays)."""
    backup = tmp_path / "backup"
    backup_store(small_store, backup)
    target = tmp_path / "new" / "store"
    if existing:
        target.mkdir(parents=True)
    real = storage._sha256_of

    def differs(path: Path) -> bytes:
        if path.is_relative_to(target):
            if existing:
                (target / "notes.txt").write_text("not the restore's")
            return b"\0" * 32
        return real(path)

    monkeypatch.setattr(storage, "_sha256_of", differs)
    with pytest.raises(storage.StoreCorruptError):
        restore_store(backup, target)
    if existing:
        assert [p.name for p in target.iterdir()] == ["notes.txt"]
    else:
        assert not (tmp_path / "new").exists()
    monkeypatch.setattr(storage, "_sha256_of", real)
    if existing:
        (target / "notes.txt").unlink()
    restore_store(backup, target)  # nothing left in the way: the next restore goes through
    assert fingerprint(target) == fingerprint(backup)


def _service(tmp_path: Path, store: Store, **system: object) -> Settings:
    """The settings of an officer's session through sudo (as load_settings makes them)."""
    backups = tmp_path / "backups"
    backups.mkdir(mode=0o700, exist_ok=True)
    values: dict[str, object] = {"store": store.root, "service_account": "duty-room", "backup_dir": backups}
    values |= {"actor": "wang", "actor_rule": "sudo", "as_service": True} | system
    return Settings(**values)


def test_a_backup_that_would_fill_the_disk_is_refused_before_it_begins(
    small_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each backup is a whole copy of the store, and any officer may take one through sudo: a
    loop filled the disk. As the service account a backup that would leave less than
    backup_min_free_mb free is refused in one line naming the folder and the numbers, exit 2,
    nothing made."""
    settings = _service(tmp_path, small_store)
    size = storage.store_size(small_store.root)
    assert size > 1000
    monkeypatch.setattr(storage, "free_bytes", lambda path: 1024 * 1_000_000 + size - 1)
    with pytest.raises(storage.BackupSpaceError) as refused:
        backups.take(settings, small_store, Path("before-handover"))
    assert exit_code_for(refused.value) == ExitCode.DAMAGED
    said = refused.value.message("en")
    assert said.startswith(f"not backed up: the disk of {tmp_path / 'backups' / 'before-handover'} has 1024 MB free")
    assert "backup_min_free_mb" in said and "\n" not in said
    assert list((tmp_path / "backups").iterdir()) == []
    monkeypatch.setattr(storage, "free_bytes", lambda path: 1024 * 1_000_000 + size)  # just enough
    copied, _ = backups.take(settings, small_store, Path("before-handover"))
    assert (copied.target / "manifest.json").is_file()
    lenient = _service(tmp_path, small_store, backup_min_free_mb=0)
    monkeypatch.setattr(storage, "free_bytes", lambda path: size)
    assert backups.take(lenient, small_store, Path("after-handover"))[0].files == copied.files


def test_the_cli_says_a_backup_refused_for_space_in_one_line_exit_2(
    small_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, system_config: Path
) -> None:
    settings = _service(tmp_path, small_store, backup_min_free_mb=10**12)  # no disk has that much
    monkeypatch.setattr(cli_module, "settings_of", lambda ctx: settings)
    result = CliRunner().invoke(cli, ["backup", "before-handover"])
    assert result.exit_code == ExitCode.DAMAGED, result.output
    assert result.output.startswith("duty-room: 未备份：") and result.output.count("\n") == 1, result.output
    assert not (tmp_path / "backups" / "before-handover").exists()


def test_an_officers_backup_may_not_take_the_daily_copys_name(small_store: Store, tmp_path: Path) -> None:
    """The cron line names its copy by the day (date +%F). Through sudo an officer took
    2026-11-29 the day before: that night the daily copy failed as "not empty". A bare date is
    refused for an officer in one line with a name to use instead, exit 1, nothing made; the
    service account itself (the cron) still takes it."""
    settings = _service(tmp_path, small_store)
    with pytest.raises(backups.BackupNameRefused) as refused:
        backups.take(settings, small_store, Path("2026-11-29"))
    assert exit_code_for(refused.value) == ExitCode.REFUSED
    assert (
        str(refused.value) == "「2026-11-29」是每日自动备份用的名字（日期）：经 sudo 的备份请另起名，如 2026-11-29-wang"
    )
    assert list((tmp_path / "backups").iterdir()) == []
    assert backups.take(settings, small_store, Path("2026-11-29-wang"))[0].files > 0
    cron = Settings(**(settings.model_dump() | {"actor": "duty-room", "actor_rule": "service-account-without-sudo"}))
    assert (backups.take(cron, small_store, Path("2026-11-29"))[0].target / "manifest.json").is_file()
    english = Settings(**(settings.model_dump() | {"lang": "en"}))
    with pytest.raises(backups.BackupNameRefused, match="a name the daily backup takes"):
        backups.take(english, small_store, Path("2026-11-30"))


def test_officers_backups_are_kept_to_backup_keep_and_nothing_else_is_deleted(
    small_store: Store, tmp_path: Path
) -> None:
    """Officers' backups through sudo: once a new one is verified, the oldest beyond the newest
    backup_keep are deleted. Never the cron copies (taken by the service account itself), never a
    folder root put there, never a listed folder replaced since by another of the same name."""
    folder = tmp_path / "backups"
    settings = _service(tmp_path, small_store, backup_keep=2)
    cron = Settings(**(settings.model_dump() | {"actor": "duty-room", "actor_rule": "service-account-without-sudo"}))
    assert backups.take(cron, small_store, Path("2026-11-27"))[1] == []
    (folder / "copied-in-by-root").mkdir()
    names = [f"b{i}" for i in range(1, 6)]
    removed_by = {}
    for name in names:
        copied, removed = backups.take(settings, small_store, Path(name))
        assert copied.target == folder / name
        removed_by[name] = removed
    assert removed_by == {"b1": [], "b2": [], "b3": ["b1"], "b4": ["b2"], "b5": ["b3"]}
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["2026-11-27", "copied-in-by-root", "b4", "b5", backups.LEDGER]
    )
    # b4 deleted by hand and made again by someone else: dropped from the list, not deleted
    shutil.rmtree(folder / "b4")
    (folder / "b4").mkdir()
    (folder / "b4" / "notes.txt").write_text("root's")
    assert backups.take(settings, small_store, Path("b6"))[1] == []
    assert backups.take(settings, small_store, Path("b7"))[1] == ["b5"]
    assert (folder / "b4" / "notes.txt").exists() and (folder / "2026-11-27" / "manifest.json").exists()
    assert stat.S_IMODE((folder / backups.LEDGER).stat().st_mode) == 0o600
    listed = [e["path"] for e in json.loads((folder / backups.LEDGER).read_text())]
    assert listed == ["b6", "b7"]


def test_run_as_oneself_a_backup_deletes_nothing_and_keeps_no_list(small_store: Store, tmp_path: Path) -> None:
    settings = Settings(store=small_store.root, backup_keep=1)
    for name in ("a", "b", "c"):
        assert backups.take(settings, small_store, tmp_path / name)[1] == []
    assert all((tmp_path / name / "manifest.json").is_file() for name in "abc")
