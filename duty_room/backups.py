"""`duty-room backup` as the service account: how many copies officers may leave, and how much disk
must stay free (a loop of sudo backups filled the disk).

A backup that would leave less than ``backup_min_free_mb`` free is refused before anything is
written. Of the officers' backups the newest ``backup_keep`` are kept; only those listed in
``LEDGER`` (with their folder's inode and manifest's sha256) are ever deleted, never cron's nor root's.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

import orjson

from store import clock
from store.storage import CopyReport, Store, backup_store, manifest_digest

from . import words
from .config import Settings
from .exports import OutsideFolder, backup_target

CRON_NAME = re.compile(r"\d{4}-\d{2}-\d{2}")  # the daily copy's name in the README's cron line
LEDGER = ".duty-room-backups.json"  # in the backup folder: the officers' backups, oldest first
MB = 1_000_000


class BackupNameRefused(OutsideFolder):
    """An officer's backup named as the daily cron copy is named (a bare date): refused, exit 1."""


def take(settings: Settings, store: Store, given: Path) -> tuple[CopyReport, list[str]]:
    """Back the store up into ``given``; the copy, and the officers' backups deleted to keep ``backup_keep``."""
    folder = settings.backup_folder
    target = backup_target(settings, given)  # the service account's: only in its backup folder
    if folder is not None and settings.actor_rule == "sudo" and CRON_NAME.fullmatch(target.name):
        # Not a name of the cron line's (date +%F): that night's copy would fail as "not empty".
        raise BackupNameRefused(
            words.t("backup.cron_name", settings.lang).format(given=given, example=f"{target.name}-{settings.actor}")
        )
    keep_free = settings.backup_min_free_mb * MB if folder is not None else 0
    copied = backup_store(store, target, keep_free=keep_free)
    if folder is None or settings.actor_rule != "sudo":
        return copied, []
    return copied, retain(folder, target, settings.backup_keep, by=settings.actor)


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """The backup folder's ledger to oneself: two officers' backups finishing at once."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _read(folder: Path) -> list[dict[str, object]]:
    try:
        listed = orjson.loads((folder / LEDGER).read_bytes())
    except (OSError, orjson.JSONDecodeError):  # none yet, or damaged: nothing is taken for the tool's
        return []
    if not isinstance(listed, list):
        return []
    return [e for e in listed if isinstance(e, dict) and isinstance(e.get("path"), str)]


def _write(folder: Path, entries: list[dict[str, object]]) -> None:
    temp = folder / f".{LEDGER}.new"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    try:
        os.write(fd, orjson.dumps(entries, option=orjson.OPT_INDENT_2))
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(temp, folder / LEDGER)


def _still_ours(folder: Path, entry: dict[str, object]) -> Path | None:
    """The listed backup's folder if it is still the one the tool made, else None."""
    path = folder / str(entry["path"])
    if not Path(os.path.realpath(path.parent)).is_relative_to(Path(os.path.realpath(folder))):
        return None
    try:
        found = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISDIR(found.st_mode) or [found.st_dev, found.st_ino] != entry.get("inode"):
        return None
    if manifest_digest(path) != entry.get("manifest"):  # (an inode number is soon used again)
        return None
    return path


def retain(folder: Path, made: Path, keep: int, *, by: str) -> list[str]:
    """List ``made`` as an officer's and delete the oldest listed beyond the newest ``keep``; their
    names. A listed folder that is no longer the one made is dropped, never deleted."""
    folder = Path(os.path.realpath(folder))
    made_at = os.lstat(made)
    entry: dict[str, object] = {
        "path": made.relative_to(folder).as_posix(),
        "inode": [made_at.st_dev, made_at.st_ino],
        "manifest": manifest_digest(made),
        "by": by,
        "at": clock.now().isoformat(timespec="seconds"),
    }
    removed: list[str] = []
    with _locked(folder):
        listed = [*_read(folder), entry]
        kept = listed[-keep:]
        for old in listed[:-keep]:
            path = _still_ours(folder, old)
            if path is None:
                continue
            try:
                shutil.rmtree(path)
            except OSError:
                kept.insert(0, old)
                continue
            removed.append(str(old["path"]))
        _write(folder, kept)
    return removed
