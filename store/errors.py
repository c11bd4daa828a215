"""What can go wrong with the store, each as one line a person can act on.

``str()`` is English (logs, scripts); ``message(lang)`` is for people, its words in the catalogue
(``store/i18n.py``). An ``OSError`` never leaves the store as it is: ``environment_error`` turns
it into the subclass of its cause (disk full, read-only, permission denied, not a file, …),
naming the path. The exit code of each kind is decided in one place, ``duty_room/exits.py``.
"""

from __future__ import annotations

import errno
from pathlib import Path

from . import i18n
from .i18n import Lang


class StoreError(Exception):
    """Base of the errors the store reports to a person."""

    def message(self, lang: Lang = "zh") -> str:
        return str(self)


class StoreCorruptError(StoreError):
    def __init__(self, path: Path, detail: str, record_id: str | None = None):
        self.path = path
        self.detail = detail
        self.record_id = record_id
        super().__init__(self.message("en"))

    def message(self, lang: Lang = "zh") -> str:
        where = f"{self.path}" + (f", record {self.record_id!r}" if self.record_id else "")
        return i18n.t("fault.corrupt", lang).format(where=where, detail=self.detail)


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
    pass


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


class StoreBusyError(StoreError):
    def __init__(self, root: Path, waited: float):
        self.root = root
        self.waited = waited
        super().__init__(self.message("en"))

    def message(self, lang: Lang = "zh") -> str:
        return i18n.t("fault.busy", lang).format(path=self.root, seconds=f"{self.waited:.1f}")


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
        return i18n.t("fault.why", lang).format(cause=i18n.t(f"fault.cause.{self.cause}", lang), code=self.code)


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
    return kind(named if named is not None else "?", exc)
