"""Where a file a person exports is written, and which paths an officer may name through sudo.

Run as oneself, a file goes where it is named. Run as the service account, its home and the store
are that account's alone, and a path of the officer's choosing could overwrite the store: so an
export goes only in ``export_dir``, a backup or restore only in ``backup_dir``, an import is read only
from the officer's own folder of ``import_dir`` without following links; unmasked personal data is
readable by the officer who asked alone (README: "Recommended: one service account").
"""

from __future__ import annotations

import contextlib
import errno
import grp
import os
import pwd
import stat
import struct
from pathlib import Path

from duty_room import words
from duty_room.config import Settings
from store import clock

EXPORT_FILE_MODE = 0o640  # the export folder's group (the officers) reads, nobody else
EXPORT_FOLDER_MODE = 0o750  # (a folder of CSV files; its files took the group from the setgid folder)


class OutsideFolder(ValueError):
    """A path this session may not use: ``str()`` is the line, in its language (exit 1)."""


class ExportRefused(OutsideFolder):
    """A place to export to that this session may not write."""


def _refused(
    settings: Settings,
    key: str,
    given: str | Path,
    folder: Path,
    kind: type[OutsideFolder] = OutsideFolder,
    **more: str,
) -> OutsideFolder:
    return kind(
        words.t(key, settings.lang).format(given=given, folder=folder, account=settings.service_account, **more)
    )


def _asked(folder: Path, given: str | Path) -> Path:
    """``given`` as the service account takes it: a name (or a relative path) inside ``folder``; an
    absolute path as it is; ``~`` as the service account's home (which is never the folder)."""
    text = str(given)
    return Path(text).expanduser() if text.startswith("~") else folder / text


def _new_inside(folder: Path, path: Path) -> Path | None:
    """``path`` to be made inside ``folder`` (its real folder), or None when it would not be."""
    inside = Path(os.path.realpath(folder))
    parent = Path(os.path.realpath(path.parent))
    if path.name in ("", ".", "..") or not parent.is_relative_to(inside):
        return None
    return parent / path.name


def export_target(settings: Settings, given: str | Path) -> Path:
    """The absolute path a file asked for as ``given`` is written to (see the module)."""
    folder = settings.export_folder
    if folder is None:
        return Path(os.path.abspath(Path(given).expanduser()))
    target = _new_inside(folder, _asked(folder, given))
    if target is None:
        raise _refused(settings, "export.outside_folder", given, folder, ExportRefused)
    return target


def backup_target(settings: Settings, given: Path) -> Path:
    """Where `backup` copies the store when asked for ``given``: as the service account, only a
    folder inside the backup folder, never the folder itself (a copy there would be pruned as an old backup)."""
    folder = settings.backup_folder
    if folder is None:
        return given
    target = _new_inside(folder, _asked(folder, given))
    if target is None:
        example = clock.today().isoformat()  # an officer's: not the bare date the daily copy takes
        example += f"-{settings.actor}" if settings.actor_rule == "sudo" else ""
        raise _refused(settings, "backup.outside_folder", given, folder, example=example)
    return target


def backup_source(settings: Settings, given: Path) -> Path:
    """Which backup `restore` reads: as the service account, only one inside the backup folder (links
    followed: only that account writes there)."""
    folder = settings.backup_folder
    if folder is None:
        return given
    inside = Path(os.path.realpath(folder))
    source = Path(os.path.realpath(_asked(folder, given)))
    if source == inside or not source.is_relative_to(inside):
        raise _refused(settings, "restore.outside_folder", given, folder, example=clock.today().isoformat())
    return source


def import_source(settings: Settings, given: Path) -> tuple[Path, Path | None]:
    """The workbook (or CSV folder) `import` reads for ``given``, and the folder it must be read within
    without following links (None: as oneself). As the service account, only below the officer's own
    folder (``imports/OFFICER``; ``..`` undone in the text); a missing one is said with the set-up line."""
    folder = settings.import_folder
    if folder is None:
        return given, None
    own = folder / settings.actor
    asked = Path(os.path.normpath(os.path.abspath(_asked(own, given))))
    for base in dict.fromkeys([Path(os.path.abspath(own)), Path(os.path.realpath(folder)) / settings.actor]):
        if asked != base and asked.is_relative_to(base):
            if not os.path.isdir(own):
                raise _refused(
                    settings, "import.no_own_folder", given, own, group=_service_group(), officer=settings.actor
                )
            return own / asked.relative_to(base), folder
    raise _refused(settings, "import.outside_folder", given, own)


def _service_group() -> str:
    """The service account's own group (this process's), which reads what officers put in."""
    try:
        return grp.getgrgid(os.getegid()).gr_name
    except KeyError:
        return str(os.getegid())


def fresh(settings: Settings, path: Path) -> None:
    """Before the service account writes ``path``: remove the file it replaces (a CSV folder's files),
    so the export is a new file, not one with the old file's access that an officer holds open."""
    if settings.export_folder is None:
        return
    with contextlib.suppress(FileNotFoundError):
        found = os.lstat(path)
        if stat.S_ISDIR(found.st_mode):
            for inner in path.iterdir():
                if inner.suffix.casefold() == ".csv" and inner.is_file() and not inner.is_symlink():
                    inner.unlink()
        else:
            path.unlink()


def publish(settings: Settings, path: Path, *, personal: bool = False) -> None:
    """Leave an export readable by whom it is for, whatever the umask (sudo keeps the officer's). Only
    with an export folder: masked, the officers' group reads it; unmasked personal data only the
    officer who asked (a POSIX ACL), or, with no ACLs there, it is deleted and refused."""
    if settings.export_folder is None:
        return
    if not personal:
        if path.is_dir():  # a CSV folder an unmasked export made: its ACL kept the group out
            with contextlib.suppress(OSError):
                os.removexattr(path, _ACL_XATTR, follow_symlinks=False)
        _chmod_all(path, EXPORT_FOLDER_MODE, EXPORT_FILE_MODE)
        return
    _chmod_all(path, PRIVATE_FOLDER_MODE, PRIVATE_FILE_MODE)  # the service account's alone, first
    reader = _uid(settings.actor)
    if reader is None or reader == os.geteuid():
        return  # the service account itself (or an account the machine does not know): its alone
    try:
        for item in [path, *(sorted(path.iterdir()) if path.is_dir() else [])]:
            if item.is_file() or item == path:
                _grant_read(item, reader)
    except OSError as exc:
        _unmake(path)
        if exc.errno in (errno.EOPNOTSUPP, errno.ENOTSUP):
            raise PrivateExportRefused(
                words.t("export.no_acl", settings.lang).format(folder=settings.export_folder, path=path)
            ) from None
        raise


class PrivateExportRefused(ExportRefused):
    """An export of personal data that could not be made readable to the one officer alone."""


PRIVATE_FILE_MODE = 0o600
PRIVATE_FOLDER_MODE = 0o700
_ACL_XATTR = "system.posix_acl_access"
_ACL_VERSION = 2
_ACL_USER_OBJ, _ACL_USER, _ACL_GROUP_OBJ, _ACL_MASK, _ACL_OTHER = 0x01, 0x02, 0x04, 0x10, 0x20
_ACL_NO_ID = 0xFFFFFFFF


def _chmod_all(path: Path, folder_mode: int, file_mode: int) -> None:
    if path.is_dir():
        os.chmod(path, folder_mode)
        for inner in path.iterdir():
            if inner.is_file():
                os.chmod(inner, file_mode)
    elif path.is_file():
        os.chmod(path, file_mode)


def _uid(account: str) -> int | None:
    try:
        return pwd.getpwnam(account).pw_uid
    except KeyError:
        return None


def _grant_read(path: Path, uid: int) -> None:
    """The POSIX ACL ``u::rw(x),u:UID:r(x),g::-,m::r(x),o::-`` on ``path`` in the kernel's xattr form,
    as setfacl writes it (neither setfacl nor pylibacl's headers are on a fresh machine)."""
    folder = path.is_dir() and not path.is_symlink()
    own, read = (0o7, 0o5) if folder else (0o6, 0o4)
    entries = [
        (_ACL_USER_OBJ, own, _ACL_NO_ID),
        (_ACL_USER, read, uid),
        (_ACL_GROUP_OBJ, 0, _ACL_NO_ID),
        (_ACL_MASK, read, _ACL_NO_ID),
        (_ACL_OTHER, 0, _ACL_NO_ID),
    ]
    value = struct.pack("<I", _ACL_VERSION) + b"".join(struct.pack("<HHI", *entry) for entry in entries)
    os.setxattr(path, _ACL_XATTR, value, follow_symlinks=False)


def _unmake(path: Path) -> None:
    """Take back an export that cannot be given to its officer alone (a CSV folder emptied and removed)."""
    with contextlib.suppress(OSError):
        if path.is_dir() and not path.is_symlink():
            for inner in path.iterdir():
                if inner.suffix.casefold() == ".csv" and inner.is_file() and not inner.is_symlink():
                    inner.unlink()
            path.rmdir()
        else:
            path.unlink()
