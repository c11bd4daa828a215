"""What can go wrong with the store, each as one line a person can act on.

``str()`` is English (logs, scripts); ``message(lang)`` is for people, its words in the catalogue
(``store/i18n.py``). An ``OSError`` never leaves the store as it is: ``environment_error`` turns
it into the subclass of its cause (disk full, read-only, permission denied, not a file, …),
naming the path. The exit code of each kind is decided in one place, ``duty_room/exits.py``.
"""

from __future__ import annotations

import errno
import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import i18n
from .i18n import Lang


@dataclass(frozen=True, eq=False)
class Detail:
    """A phrase of the catalogue and its values, said when it is shown, in the reader's language:
    what is wrong inside a damaged file, a finding of ``check``. ``str()`` is the English (logs).

    A value that is a Detail itself, or a function of the language (a pydantic error's reason), is
    said in the same language; any other value is put in as it is.
    """

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def say(self, lang: Lang = "zh") -> str:
        return i18n.t(self.key, lang).format(**{name: said(value, lang) for name, value in self.params.items()})

    def __str__(self) -> str:
        return self.say("en")


def said(value: object, lang: Lang) -> object:
    """A Detail's value as put in a line: said in ``lang`` if it is words, else as it is."""
    if isinstance(value, Detail):
        return value.say(lang)
    if callable(value):
        return value(lang)
    return value


def field_damage(key: str, error: Mapping[str, Any], **params: object) -> Detail:
    """A field that fails validation (``error``: pydantic's first), said by ``key`` with its
    ``field`` and ``reason``. The field is named as stored (``reporter_phone``, ``history.2.at``):
    what a person repairing the file looks for."""
    error = dict(error)
    loc = ".".join(str(part) for part in error.get("loc") or ())
    reason = functools.partial(i18n.damage_reason, error)
    return Detail(key, {**params, "field": i18n.shown_value(loc) or "(top)", "reason": reason})


def record_damage(error: Mapping[str, Any], record_id: str) -> Detail:
    """A stored record that fails validation: which one, which field and why (or which rule across
    its fields)."""
    shown = i18n.shown_value(record_id)
    if not error.get("loc"):
        return Detail("damage.record_rule", {"id": shown, "reason": functools.partial(i18n.damage_reason, dict(error))})
    return field_damage("damage.record", error, id=shown)


class StoreError(Exception):
    """Base of the errors the store reports to a person."""

    says_its_outcome = False  # its words say nothing was changed (as ``Refused.says_its_outcome``)

    def message(self, lang: Lang = "zh") -> str:
        return str(self)


class StoreCorruptError(StoreError):
    """A store file that cannot be read as it is: ``detail`` says what is wrong in it."""

    says_its_outcome = True  # 文件未改动 (It was not changed): no 未更改 before it

    def __init__(self, path: Path, detail: Detail, record_id: str | None = None):
        self.path = path
        self.detail = detail
        self.record_id = record_id
        super().__init__(self.message("en"))

    def message(self, lang: Lang = "zh") -> str:
        return i18n.t("fault.corrupt", lang).format(path=self.path, detail=self.detail.say(lang))


class StoreFileMissingError(StoreError):
    """A file manifest.json lists is not there (deleted by hand): read as empty, a write would have
    replaced its records by the new ones alone, and reused their ids."""

    def __init__(self, path: Path):
        self.path = path
        super().__init__(self.message("en"))

    def message(self, lang: Lang = "zh") -> str:
        return i18n.t("fault.missing_listed", lang).format(path=self.path)


class SudoRecordError(StoreError):
    """Run by the service account, sudo's record names two accounts (SUDO_USER is not SUDO_UID's)."""

    def __init__(self, sudo_user: str, sudo_uid: str, officer: str):
        self.sudo_user, self.sudo_uid, self.officer = sudo_user, sudo_uid, officer
        super().__init__(self.message("en"))

    def message(self, lang: Lang = "zh") -> str:
        return i18n.t("fault.sudo_record", lang).format(user=self.sudo_user, uid=self.sudo_uid, officer=self.officer)


class StoreSchemaError(StoreError):
    """A file written by a newer duty-room (a schema this one does not read)."""

    def __init__(self, path: Path, schema: int, reads: int):
        self.path = path
        self.schema = schema
        self.reads = reads
        super().__init__(self.message("en"))

    def message(self, lang: Lang = "zh") -> str:
        return i18n.t("fault.schema", lang).format(path=self.path, schema=self.schema, reads=self.reads)


class StoreMissingError(StoreError):
    """The folder is not a store: missing, empty, or something else (``--store /etc``)."""

    def __init__(self, root: Path, why: str = "missing"):
        self.root = root
        self.why = why
        super().__init__(self.message("en"))

    def message(self, lang: Lang = "zh") -> str:
        return i18n.t(f"fault.not_store.{self.why}", lang).format(path=self.root)


class TargetNotEmptyError(StoreError):
    """A backup or restore refused: the folder it would write into already holds something."""

    def __init__(self, target: Path):
        self.target = target
        super().__init__(self.message("en"))

    def message(self, lang: Lang = "zh") -> str:
        return i18n.t("fault.not_store.not_empty", lang).format(path=self.target)


class StoreHoldsDataError(TargetNotEmptyError):
    """The demo refused: it is built only into an empty store (``build_demo(replace=True)``, the
    command's ``--replace``, has the store delete its own files first). ``files``: what is there."""

    def __init__(self, target: Path, files: list[str]):
        self.files = files
        super().__init__(target)

    def message(self, lang: Lang = "zh") -> str:
        shown = ", ".join(self.files[:5]) + (" …" if len(self.files) > 5 else "")
        return i18n.t("fault.not_store.holds_data", lang).format(path=self.target, files=shown)


class BackupSpaceError(StoreError):
    """A backup refused before it began: its disk would be left with less free than the system
    file keeps (``backup_min_free_mb``). Exit 2: the backup disk needs attention."""

    def __init__(self, target: Path, *, size: int, free: int, keep: int):
        self.target, self.size, self.free, self.keep = target, size, free, keep
        super().__init__(self.message("en"))

    def message(self, lang: Lang = "zh") -> str:
        return i18n.t("fault.backup_space", lang).format(
            path=self.target, size=_mb(self.size), free=_mb(self.free), keep=_mb(self.keep)
        )


def _mb(size: int) -> str:
    return f"{size / 1e6:.0f}" if size >= 10e6 else f"{size / 1e6:.1f}"


class StoreBusyError(StoreError):
    def __init__(self, root: Path, waited: float):
        self.root = root
        self.waited = waited
        super().__init__(self.message("en"))

    def message(self, lang: Lang = "zh") -> str:
        return i18n.t("fault.busy", lang).format(path=self.root, seconds=f"{round(self.waited, 1):g}")


class StoreEnvironmentError(StoreError):
    """The machine refused: a full disk, a read-only mount, a permission, a folder where a file goes."""

    cause = "io"

    def __init__(self, path: Path | str, os_error: OSError):
        self.path = Path(path)
        self.errno = os_error.errno
        self.strerror = os_error.strerror or str(os_error)
        super().__init__(self.message("en"))

    def message(self, lang: Lang = "zh") -> str:
        cause = i18n.t(f"fault.cause.{self.cause}", lang)
        return i18n.t("fault.environment", lang).format(path=self.path, cause=cause, code=self.code)

    @property
    def code(self) -> str:
        return errno.errorcode.get(self.errno or 0, "") or self.strerror

    def why(self, lang: Lang = "zh") -> str:
        """The cause alone, for a line that names the path itself: 磁盘已满（ENOSPC）."""
        return self.cause_detail().say(lang)

    def cause_detail(self) -> Detail:
        """``why`` to be said later, in the reader's language (a finding of ``check``)."""
        return Detail("fault.why", {"cause": Detail(f"fault.cause.{self.cause}"), "code": self.code})


class DiskFullError(StoreEnvironmentError):
    cause = "disk_full"


class ReadOnlyError(StoreEnvironmentError):
    cause = "read_only"


class PermissionDeniedError(StoreEnvironmentError):
    cause = "permission"


class NotAFileError(StoreEnvironmentError):
    cause = "not_a_file"


class NotAFolderError(StoreEnvironmentError):
    cause = "not_a_folder"


class IOFailureError(StoreEnvironmentError):
    cause = "io"


class NotFoundError(StoreEnvironmentError):
    cause = "not_found"


_BY_ERRNO: dict[int, type[StoreEnvironmentError]] = {
    errno.ENOSPC: DiskFullError,
    errno.EDQUOT: DiskFullError,
    errno.EROFS: ReadOnlyError,
    errno.EACCES: PermissionDeniedError,
    errno.EPERM: PermissionDeniedError,
    errno.EISDIR: NotAFileError,
    errno.ENOTDIR: NotAFolderError,
    errno.ENOENT: NotFoundError,
}


def environment_error(exc: OSError, path: Path | str | None = None) -> StoreEnvironmentError:
    """The StoreError for an OSError, naming the file the system call was about."""
    named = exc.filename if exc.filename is not None else path
    kind = _BY_ERRNO.get(exc.errno or 0, IOFailureError)
    if kind is PermissionDeniedError and named is not None:
        named = _folder_if_it_refused(Path(named))
    return kind(named if named is not None else "?", exc)


def _folder_if_it_refused(path: Path) -> Path:
    """A permission refused on a file this account may read and write, or one to be made (a temp
    file, a new month's file), was its folder's: chmod a-w on the store's folder was said as
    ``manifest.json：无权限``, a file the admin then found writable."""
    folder = path.parent
    try:
        file_fine = not path.exists() or os.access(path, os.R_OK | os.W_OK)
        return folder if file_fine and folder.is_dir() and not os.access(folder, os.W_OK | os.X_OK) else path
    except OSError:
        return path
