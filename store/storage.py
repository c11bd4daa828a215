"""The one storage layer: every read and write of the JSON files goes through here.

TinyDB alone is not safe for several processes (it overwrites the file in place and caches
ids and queries per process; see ../shared/notes/store-safety.md). This layer keeps TinyDB's
file format and table operations but wraps them in a protocol that held under test:

* one exclusive ``flock`` on ``.lock`` (never replaced) for the whole read-modify-write;
* under the lock every touched file is re-read and fully validated; a file that does not
  parse or validate is never overwritten (``StoreCorruptError`` names the file and record);
* a transaction is all or nothing over every file it changes: new versions are staged in
  fsynced temp files, old ones kept as hard links, a journal made durable, the files renamed
  into place and the manifest renamed last (the commit point); an error undoes it, and a writer
  killed in between is finished or undone by the next one to take the lock (``Store._apply``);
  readers (who take no lock) see each file old or new, never half;
* every file carries its own generation in ``_meta``; ``manifest.json`` lists them all, so a
  dashboard learns cheaply which files another process changed;
* every record written is stamped with the OS user and the time.

Layout (one write touches only the files it changes, so its cost does not grow with history)::

    manifest.json             schema version, store generation, per-file generations, archive index
    petitions/2026-11-28.json     live cases (open, or closed < 30 days ago), by the day received
    petitions/archive-2025-11.json  closed cases, by month closed (archive-2025.json: by year, before schema 3)
    visits/2026-11-28.json    visits (民情日志), one file a day; visit_plans/ and services/ alike
    households/G0412.json     the register's households, one file a grid (households.json before schema 3)
    payments/2026.json        stall fee payments, by year
    workers/retired.json      grid workers taken off the roster, with their history
    communities.json grids.json workers.json stalls.json permits.json duty.json
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import functools
import grp
import hashlib
import itertools
import operator
import os
import pwd
import re
import secrets
import stat
import threading
import time
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NamedTuple, NoReturn, TypeVar, cast

import orjson
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictInt, StrictStr, ValidationError

if TYPE_CHECKING:
    from tinydb import TinyDB

from . import clock, i18n
from .duty_models import DutyLogEntry, Handover, Incident
from .errors import (  # re-exported ("X as X"): callers import the errors from the storage layer
    BackupSpaceError as BackupSpaceError,
    Detail,
    StoreBusyError as StoreBusyError,
    StoreCorruptError as StoreCorruptError,
    StoreEnvironmentError as StoreEnvironmentError,
    StoreError as StoreError,
    StoreFileMissingError as StoreFileMissingError,
    StoreMissingError as StoreMissingError,
    StoreSchemaError as StoreSchemaError,
    SudoRecordError as SudoRecordError,
    TargetNotEmptyError as TargetNotEmptyError,
    environment_error,
    field_damage,
    record_damage,
)
from .i18n import Lang
from .models import (
    AuditEntry,
    Community,
    DutyShift,
    Grid,
    GridWorker,
    Household,
    Petition,
    Record,
    ServiceSession,
    Stall,
    StallPayment,
    Visit,
    VisitPlan,
)
from .refusal import Refused
from .text import mask_name, place_key
from .values import valueclass

# 2: live cases in day files (petitions/2026-11-28.json), no petitions.json; 3: at most
# CASES_PER_FILE cases a file, a busy day's later cases in petitions/2026-11-28.2.json, .3, ...;
# closed cases archived by month (archive-2026-10.json); the households one file a grid
# (households/G0412.json), no households.json. A duty-room that reads only schema 2 refuses the
# store, rather than see an empty register. 4: a duty-log entry keeps who recorded it (recorded_by,
# recorded_at) and may be a 来访 or a 巡查, which schema 3's models refuse: a duty-room that reads only
# schema 3 says "upgrade duty-room" rather than call a sound file damaged and ask for a backup.
SCHEMA_VERSION = 4
CAPPED_SCHEMA = 3  # from this schema on, a busy day's later cases are in files of their own
RECORDS = "records"  # the TinyDB table holding a file's records
META = "_meta"  # the TinyDB table holding the file's schema and generation
MANIFEST = "manifest.json"
LOCK = ".lock"
TEMP_MARK = ".tmp-"
OLD_MARK = ".old-"  # a hard link to a file's previous version while a transaction replaces it
JOURNAL = ".journal"  # the intent of the transaction in flight; see Store._apply
LOCK_TIMEOUT_SECONDS = 15.0
# A wait this long is said (``Store.on_long_lock_wait``): the command line says nothing otherwise.
LOCK_NOTICE_SECONDS = 1.0
ARCHIVE_AFTER = timedelta(days=30)
RETIRED = "retired"  # workers/retired.json: grid workers taken off the roster (store/roster.py)

M = TypeVar("M", bound=Record)
V = TypeVar("V", bound=Record | None)  # a record, or its absence (as_seen)


class StoreReadOnlyError(StoreError):
    """A write asked of a store opened read-only (a viewer): refused before anything is touched."""

    def __init__(self, root: Path):
        self.root = root
        super().__init__(self.message("en"))

    def message(self, lang: Lang = "zh") -> str:
        return i18n.t("fault.read_only_store", lang).format(path=self.root)


class RecordNotFound(StoreError):
    def __init__(self, model: type[Record], record_id: str):
        self.table = model.table
        self.record_id = record_id
        super().__init__(self.message("en"))

    def message(self, lang: Lang = "zh") -> str:
        """A case by its word (没有这个案件：MK…, as `petition show` says it), another record by its table."""
        key = "fault.not_found.petitions" if self.table == "petitions" else "fault.not_found"
        return i18n.t(key, lang).format(id=self.record_id, table=self.table)


def default_actor() -> str:
    """The OS account running this process (the login user under SSH).

    Taken from the password database, not from $USER, which a session can set to anything.
    """
    return _account_name(os.getuid())


def account_exists(name: str) -> bool:
    """Whether the password database knows the account ``name`` (a configured service account)."""
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def _known_uid(uid: int) -> bool:
    try:
        pwd.getpwuid(uid)
    except KeyError:
        return False
    return True


def _account_name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid{uid}"


def resolve_actor(
    service_account: str | None, *, uid: int | None = None, environ: dict[str, str] | None = None
) -> tuple[str, str]:
    """Who is acting, and how we know: (account, rule).

    Run by the service account through sudo, the actor is the officer who ran sudo, from sudo's
    own record (SUDO_UID, checked against SUDO_USER). That record is trusted ONLY when this process
    is the configured service account: anyone else can put SUDO_USER in their environment. In every
    other case it is the OS account of the process, from the password database (never $USER);
    a user id the password database does not know (a container's, an account removed meanwhile)
    acts as ``uid54321``, and the rule says so ("os-uid"), not that the database named it.
    """
    uid = os.getuid() if uid is None else uid
    environ = dict(os.environ) if environ is None else environ
    running_as = _account_name(uid)
    if service_account is None or running_as != service_account:
        return running_as, "os-account" if _known_uid(uid) else "os-uid"
    sudo_uid, sudo_user = environ.get("SUDO_UID", ""), environ.get("SUDO_USER", "")
    if not sudo_uid.isdigit():
        return running_as, "service-account-without-sudo"
    officer = _account_name(int(sudo_uid))
    if sudo_user and sudo_user != officer:
        raise SudoRecordError(sudo_user, sudo_uid, officer)
    return officer, "sudo"


# ---------------------------------------------------------------------------
# Where records live


# Records whose file follows from their own fields alone (partition_of): written elsewhere, the
# readers of that day or month would not find them.
FILED_BY_THEIR_OWN_FIELDS = (
    VisitPlan,
    Visit,
    ServiceSession,
    StallPayment,
    AuditEntry,
    DutyShift,
    DutyLogEntry,
    Handover,
    Incident,
)


def partition_of(record: Record) -> str | None:
    """The file a record belongs in: None for the table's main file."""
    if isinstance(record, VisitPlan | Visit | ServiceSession):
        return record.day.isoformat()
    if isinstance(record, StallPayment):
        return record.period[:4]
    if isinstance(record, AuditEntry):
        return record.at.strftime("%Y-%m")
    if isinstance(record, GridWorker) and record.retired_on is not None:
        return RETIRED  # off the roster, kept with its history; readers of the roster never open it
    # The duty room's records, by month; an incident stays in the main file while it is open.
    if isinstance(record, DutyShift):
        return record.day.strftime("%Y-%m")
    if isinstance(record, DutyLogEntry | Handover):
        return record.at.strftime("%Y-%m")
    if isinstance(record, Incident):
        return None if record.closed_at is None else record.closed_at.strftime("%Y-%m")
    if isinstance(record, Petition | Household):
        return live_partition(record)
    return None


def archive_partition(petition: Petition) -> str:
    """Where a closed case goes: its month's archive. By month, not by year: a move rewrites the
    archive it goes to, and a year of cases is 9 MB on the township store (90 MB at ten times the
    intake), read, validated and written again by every write that archives a case. A store written
    before schema 3 keeps its year archives (archive-2025.json), read like any other."""
    assert petition.closed_at is not None
    return f"archive-{petition.closed_at:%Y-%m}"


# Live files: a table whose current records are spread over files of their own, so that a write
# reads and rewrites one small file, not the whole table. ``Store.all(model)`` (no partition) is
# every record of every live file, and (a store written before) of the table's main file.
#
# Live cases, one file a day. A case open, or closed less than ARCHIVE_AFTER ago, is kept in the
# file of the day it was received (petitions/2026-11-28.json), not in one file of every live case:
# a write reads and rewrites one file of at most CASES_PER_FILE cases, whatever the backlog and
# however many cases a day brings (a day's 26th to 50th case go to 2026-11-28.2.json, and so on).
# The file is the one its id names (MK + yymmdd + the day's number, given when the case is
# received), so a case is found from its id alone; a case whose id names no day goes by its receipt
# time and is looked for in every file. A store written before the cap (schema 2) kept a busy day
# whole in one file: the first transaction moves those cases to their files (Transaction).
# Closed cases still move to their month's archive (petitions/archive-2025-11.json); the manifest
# keeps, for each day file holding closed cases, the earliest closing time (``earliest_closed``), so
# a write finds the cases due for the archive without reading the other files.
#
# Households, one file a grid (households/G0412.json: a few hundred households at most), not the
# whole register in one file (40,000 households, 10 MB on a township): moving a household rewrites
# the two grids' files. A household's id does not name its grid, so it is looked for in every grid
# file (through the per-file cache); a household whose grid changed moves between the two files in
# one transaction, checked against its previous version. A grid's file goes with its last
# household. A store written before schema 3 keeps them all in households.json, read as it is; the
# first transaction that commits moves each to its grid's file and removes households.json.

CASES_PER_FILE = 25  # the township's busiest day brings 26 (the 10x-intake store: ~190 a day)
_LIVE_NAME = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})(?:\.([2-9]|[1-9][0-9]+))?")
_DAY_IN_ID = re.compile(r"MK([0-9]{2})([0-9]{2})([0-9]{2})-([0-9]+)?")


def in_live_files(model: type[Record]) -> bool:
    """A table kept in live files (``Store.all(model)`` is all of them): cases by day, households by grid."""
    return model is Petition or model is Household


def is_live(model: type[Record], partition: str | None) -> bool:
    """A live file (a day file of cases, not an archive; any grid file of households), not the main file."""
    if partition is None:
        return False
    if model is Household:
        return True  # every file of households/ is a grid's
    return model is Petition and _LIVE_NAME.fullmatch(partition) is not None


def keeps_figures(model: type[Record], partition: str | None) -> bool:
    """A file that keeps, as it is written, the figures ``model.figures_of`` makes of its records
    (``Store.figures``): every payments file, and of the cases the day files alone (`summary` reads
    the open ones there; an archive, written by every day's move, would digest megabytes for nothing)."""
    if model.figures_of([]) is None:
        return False
    return is_live(model, partition) or not in_live_files(model)


def file_named_by(record_id: str) -> str | None:
    """The day file a case id names (MK261128-004 → 2026-11-28, MK261128-030 → 2026-11-28.2), or None."""
    match = _DAY_IN_ID.match(record_id)
    if match is None:
        return None
    day = f"20{match[1]}-{match[2]}-{match[3]}"
    try:
        date.fromisoformat(day)
    except ValueError:
        return None
    part = (int(match[4]) - 1) // CASES_PER_FILE + 1 if match[4] else 1
    return day if part <= 1 else f"{day}.{part}"


def _file_named(model: type[Record], record_id: str) -> str | None:
    """The live file a record's id names: only a case's id names one (a household's names no grid)."""
    return file_named_by(record_id) if model is Petition else None


def first_file_of_day(partition: str) -> str:
    """The day's first file (2026-11-28.2 → 2026-11-28): where a schema-2 store keeps the whole day."""
    return partition.partition(".")[0]


def live_partition(record: Record) -> str:
    """The live file of a record: a case's is the one its id names, else the day it was received;
    a household's is its grid's."""
    if isinstance(record, Household):
        return record.grid_id
    assert isinstance(record, Petition)
    return file_named_by(record.id) or record.created_at.date().isoformat()


class Signature(NamedTuple):
    """Cheap identity of a file on disk; a hint only (inode numbers are reused). A tuple: a reader
    of every grid's households makes and compares one for each of a few hundred files."""

    mtime_ns: int
    size: int
    inode: int

    @classmethod
    def of(cls, path: Path) -> Signature | None:
        try:
            st = os.stat(path)
        except FileNotFoundError:
            return None
        return cls(st.st_mtime_ns, st.st_size, st.st_ino)


# A record's JSON as stored (orjson's bytes of the parsed document) and the model validated from
# exactly those bytes, by record id: a record is validated again only when its bytes differ.
_Known = dict[str, tuple[bytes, Any]]


@dataclass(eq=False, repr=False)  # never compared or shown: fewer methods to compile
class _Cached:
    signature: Signature
    generation: int
    records: list[Any]
    made: _Known | None  # record id -> (its bytes, its model): the per-record validation cache
    # A file read while its records' bytes wait (Store.bytes_later): the records as parsed, one a
    # model in ``records``, until ``known`` is first asked for (or Store.make_bytes) and makes them.
    docs: list[Any] | None = None
    # A file read for the first frame (Store.first_read): which of ``docs`` are in ``records`` (the
    # rest, by TinyDB doc id, in ``rest``), until the file is next read and they are validated too.
    kept: list[bool] | None = None
    rest: dict[str, Any] | None = None
    # The figures the file keeps of its records (``Store.figures``), read with none of them validated.
    figures: dict[str, Any] | None = None

    @property
    def known(self) -> _Known:
        assert self.kept is None, "a file read in part is made whole by Store._read_file first"
        made = self.made
        if made is None:
            docs = self.docs
            if docs is None:  # made meanwhile by another thread (made is set before docs is cleared)
                assert self.made is not None
                return self.made
            made = {record.id: (_dumps(doc), record) for doc, record in zip(docs, self.records, strict=True)}
            self.made = made
            self.docs = None
        return made


@dataclass(eq=False, repr=False)  # never compared or shown: fewer methods to compile
class _LiveSeen:
    """``Store.all`` of a table in live files, as last made: each file's list of records, the
    records of them all, and how many files hold each id (kept as files change, so that telling
    whether a record is in two files costs the files that changed, not every record)."""

    parts: tuple[list[Any], ...]
    records: list[Any]
    holders: dict[str, int]
    duplicated: int = 0  # ids held by more than one file

    def recount(self, parts: tuple[list[Any], ...]) -> int:
        before = {id(part): part for part in self.parts}
        now = {id(part): part for part in parts}
        holders = self.holders
        for key, part in before.items():
            if key not in now:
                for record in part:
                    held = holders[record.id] - 1
                    if held:
                        holders[record.id] = held
                        self.duplicated -= held == 1
                    else:
                        del holders[record.id]
        for key, part in now.items():
            if key not in before:
                for record in part:
                    held = holders.get(record.id, 0) + 1
                    holders[record.id] = held
                    self.duplicated += held == 2
        return self.duplicated


_NONE: list[Any] = []  # the records of a file that is not there (shared, like every list Store.all returns)


def _dumps(data: Any) -> bytes:
    # orjson writes UTF-8 as is (no \u escapes) and is several times faster than json.
    return orjson.dumps(data)


FIGURES = "figures"  # a file's _meta key: what ``Record.figures_of`` made of its records as written


def _figures_digest(records: dict[str, Any], sums: dict[str, Any]) -> str:
    """The digest of a file's records and its figures, as stored (orjson's bytes of the parsed JSON)."""
    return hashlib.blake2b(_dumps(records) + b"\0" + _dumps(sums), digest_size=16).hexdigest()


def _kept_figures(data: dict[str, Any], meta: dict[str, Any]) -> dict[str, Any] | None:
    """The figures a parsed file keeps (``_OpenFile.payload``), when its records and the figures are
    byte for byte what they were made of and written with; None otherwise: a file written before
    figures were kept, or by an older duty-room (which leaves them out), or changed by hand or damaged."""
    kept = meta.get(FIGURES)
    if not isinstance(kept, dict) or not isinstance(kept.get("sums"), dict):
        return None
    sums: dict[str, Any] = kept["sums"]
    return sums if kept.get("digest") == _figures_digest(data.get(RECORDS, {}), sums) else None


def _no_record(_model: type[Record], _doc: Any) -> bool:
    """``Store.figures``' ``first_read``: no record is validated."""
    return False


# ---------------------------------------------------------------------------
# System calls: every call that changes the store goes through SYSCALLS, so a test can make the
# k-th one fail (disk full, I/O error) and see that the store is left as it was or as intended.


class SystemCalls:
    def open(self, path: Path | str, flags: int, mode: int = 0o666) -> int:
        return os.open(path, flags, mode)

    def write(self, fd: int, data: memoryview | bytes) -> int:
        return os.write(fd, data)

    def fsync(self, fd: int) -> None:
        os.fsync(fd)

    def close(self, fd: int) -> None:
        os.close(fd)

    def rename(self, source: Path, target: Path) -> None:
        os.replace(source, target)

    def link(self, source: Path, target: Path) -> None:
        os.link(source, target)

    def unlink(self, path: Path) -> None:
        os.unlink(path)

    def mkdir(self, path: Path, mode: int = 0o777) -> None:
        os.mkdir(path, mode)

    def rmdir(self, path: Path) -> None:
        os.rmdir(path)


SYSCALLS = SystemCalls()


# What Path.exists takes for "not there" (any other error is raised, as it raises it).
_NOT_THERE = frozenset((errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP))


def _there(path: str) -> bool:
    """Path(path).exists() without making a Path: `summary` looks at every file the manifest lists
    twice (the township store lists 425), and making and joining a Path for each cost more than the stat."""
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno in _NOT_THERE:
            return False
        raise
    except ValueError:  # a name with a NUL byte (a hand-edited manifest), as Path.exists
        return False
    return True


def _named(exc: OSError, path: Path) -> OSError:
    """The same error, naming the file (os.write and os.fsync on a descriptor name none)."""
    if exc.filename is None:
        return type(exc)(exc.errno, exc.strerror, str(path))
    return exc


def _fsync_dir(path: Path) -> None:
    try:
        fd = SYSCALLS.open(path, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as exc:
        raise _named(exc, path) from None
    try:
        SYSCALLS.fsync(fd)
    except OSError as exc:
        raise _named(exc, path) from None
    finally:
        SYSCALLS.close(fd)


def _makedirs(path: Path) -> list[Path]:
    """mkdir -p through SYSCALLS; a file where a folder should be is named as such.

    Returns the folders it created, outermost first (a failed transaction removes them again).
    """
    if path.is_dir():
        return []
    if path.exists() or path.is_symlink():
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(path))
    created = _makedirs(path.parent)
    try:
        SYSCALLS.mkdir(path)
    except FileExistsError:
        if not path.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(path)) from None
        return created
    # The access of the folder it is made in, whatever the umask: see "Permissions" below.
    os.chmod(path, SHARED_FOLDER_MODE if is_shared(path.parent) else PRIVATE_FOLDER_MODE)
    return [*created, path]


def _write_new(path: Path, payload: bytes) -> None:
    """Create ``path`` (it must not exist), write it whole and fsync it.

    An fsync error is raised, never retried: a retried fsync can report success after the
    kernel dropped the data.
    """
    fd = SYSCALLS.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(fd, file_mode(path.parent))  # whatever the umask: see "Permissions" below
        view = memoryview(payload)
        while view:
            written = SYSCALLS.write(fd, view)
            view = view[written:]
        SYSCALLS.fsync(fd)
    except OSError as exc:
        SYSCALLS.close(fd)
        with contextlib.suppress(OSError):
            SYSCALLS.unlink(path)
        raise _named(exc, path) from None
    except BaseException:
        SYSCALLS.close(fd)
        with contextlib.suppress(OSError):
            SYSCALLS.unlink(path)
        raise
    SYSCALLS.close(fd)


def _temp_name(path: Path, tag: str) -> Path:
    return path.with_name(f".{path.name}{TEMP_MARK}{tag}")


def _atomic_write(path: Path, payload: bytes) -> None:
    """One file on its own: temp file in the same folder, fsync, rename, fsync the folder."""
    _makedirs(path.parent)
    tmp = _temp_name(path, f"{os.getpid()}-{secrets.token_hex(4)}")
    _write_new(tmp, payload)
    try:
        SYSCALLS.rename(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            SYSCALLS.unlink(tmp)
        raise
    _fsync_dir(path.parent)


# A file bigger than this (a township's 40,000 households: 10 MB) is parsed in steps by a reader
# beside the screen's thread: orjson parses it fastest, but in one call that holds the interpreter
# lock for 100-300 ms, in which no key, timer or repaint of the dashboard runs.
BIG_FILE_BYTES = 1 << 20


class _ChunkedReader:
    """Bytes as a file whose ``read`` is Python code: a parser reading it (ijson's C backend, 64 KB
    a call) lets other threads run between chunks."""

    def __init__(self, payload: bytes) -> None:
        self._view = memoryview(payload)
        self._at = 0

    def read(self, size: int = -1) -> bytes:
        start = self._at
        self._at = len(self._view) if size < 0 else min(len(self._view), start + size)
        return bytes(self._view[start : self._at])


# ijson reads a lone surrogate escape ("\ud800") as "?"; orjson refuses it, as the store does.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def _load_json(path: Path, payload: bytes) -> Any:
    if (
        len(payload) > BIG_FILE_BYTES
        and threading.current_thread() is not threading.main_thread()
        and not _SURROGATE_ESCAPE.search(payload)
    ):
        import ijson

        try:
            data = dict(ijson.kvitems(_ChunkedReader(payload), "", use_float=True))
        except (ijson.JSONError, ValueError):
            data = {}  # damaged: orjson below gives the same refusal as on any other thread
        if RECORDS in data:
            return data
    try:
        return orjson.loads(payload)
    except orjson.JSONDecodeError as exc:
        raise StoreCorruptError(path, _json_damage(exc)) from None


def _json_damage(exc: orjson.JSONDecodeError) -> Detail:
    """Where a file stops being JSON (line and column in characters, as an editor counts them),
    and whether it was cut short: an empty file, or one that ends mid-way (a write cut off)."""
    if not exc.doc or exc.msg.startswith("Input is a zero-length"):
        return Detail("damage.json_empty")
    where = {"line": exc.lineno, "column": exc.colno}
    return Detail("damage.json_cut" if exc.msg.startswith("unexpected end of data") else "damage.json", where)


def _json_damage_of(path: Path) -> Detail:
    """What is wrong with a file the streaming parser refused, said as ``_load_json`` says it
    (the streaming parser tells neither line nor column). Read whole: only a damaged file is."""
    try:
        orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError as exc:
        return _json_damage(exc)
    return Detail("damage.json_bad")


def _zoned_time(text: str) -> str:
    if datetime.fromisoformat(text).tzinfo is None:  # not ISO 8601: ValueError, a validation error
        raise ValueError("a time without its zone")
    return text


class _ManifestModel(BaseModel):
    """manifest.json: every field typed strictly (a schema "1" or a generation "abc" is damage)."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    schema_version: StrictInt = Field(default=0, alias="schema", ge=0)
    generation: StrictInt = Field(default=0, ge=0)
    files: dict[str, StrictInt]
    counters: dict[str, StrictInt] = Field(default_factory=dict)
    # the archive index: day file -> the earliest closing time of a case in it (ISO 8601, zoned)
    earliest_closed: dict[str, Annotated[StrictStr, AfterValidator(_zoned_time)]] = Field(default_factory=dict)


class _FileMetaModel(BaseModel):
    """A data file's _meta record."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    schema_version: StrictInt = Field(default=0, alias="schema", ge=0)
    generation: StrictInt = Field(ge=0)


def _check_schema(path: Path, schema: int) -> None:
    if schema > SCHEMA_VERSION:
        raise StoreSchemaError(path, schema, SCHEMA_VERSION)


def _parse(path: Path, payload: bytes) -> dict[str, Any]:
    data = _load_json(path, payload)
    if not isinstance(data, dict) or not isinstance(data.get(RECORDS, {}), dict):
        raise StoreCorruptError(path, Detail("damage.not_table"))
    return data


def _file_meta(path: Path, data: dict[str, Any]) -> dict[str, Any]:
    table = data.get(META, {})
    if not isinstance(table, dict):
        raise StoreCorruptError(path, Detail("damage.meta"))
    meta: dict[str, Any] | None = next(iter(table.values()), None)
    if meta is None:
        return {"schema": SCHEMA_VERSION, "generation": 0}
    try:
        checked = _FileMetaModel.model_validate(meta)
    except ValidationError as exc:
        raise StoreCorruptError(path, field_damage("damage.meta_field", exc.errors()[0])) from None
    _check_schema(path, checked.schema_version)
    return meta


def _in_memory(data: dict[str, Any]) -> TinyDB:
    # TinyDB is imported here: only a transaction opens a file as a table, and a reader (`summary`,
    # the dashboard's first frame) never does (~3 ms of every start).
    from tinydb import TinyDB
    from tinydb.storages import MemoryStorage

    db = TinyDB(storage=MemoryStorage)
    db.storage.write(data)
    return db


def _validate_all(
    path: Path, model: type[M], data: dict[str, Any], known: _Known, remember: bool = True
) -> tuple[list[M], _Known]:
    """Every record of a parsed file as a model, validated unless ``known`` holds its very bytes.

    The cache is keyed by the record's exact bytes (orjson's serialisation of what was parsed), not
    by ``updated_at`` nor by equality of the parsed values (``1 == True`` in Python): a record that
    changed in any way, or was damaged, is validated again. No validator reads the clock or a
    context, so the same bytes always give the same model.

    Not ``remember``-ing (a store that reads each file once, or a file whose records' bytes are
    made later, see ``Store``), ``known`` is not looked at and nothing is returned to be known:
    every record is validated, and no record's bytes are made.
    """
    records: list[M] = []
    seen: _Known = {}
    if not remember:
        for doc_id, doc in data.get(RECORDS, {}).items():
            try:
                records.append(model.model_validate(doc))
            except ValidationError as exc:
                _record_damaged(path, exc, doc_id, doc)
        return records, seen
    for doc_id, doc in data.get(RECORDS, {}).items():
        payload = _dumps(doc)
        record_id = doc.get("id") if isinstance(doc, dict) else None
        cached = known.get(record_id) if isinstance(record_id, str) else None
        if cached is not None and cached[0] == payload:
            record = cached[1]
        else:
            try:
                record = model.model_validate(doc)
            except ValidationError as exc:
                _record_damaged(path, exc, doc_id, doc)
        records.append(record)
        seen[record.id] = (payload, record)
    return records, seen


def _record_damaged(path: Path, exc: ValidationError, doc_id: str, doc: Any) -> NoReturn:
    record_id = doc.get("id") if isinstance(doc, dict) else None
    named = str(doc_id if not isinstance(record_id, str) else record_id)
    raise StoreCorruptError(path, record_damage(exc.errors()[0], named), record_id=named) from None


# ---------------------------------------------------------------------------
# Faults of the machine and the lock


F = TypeVar("F", bound=Callable[..., Any])


def _reports_environment(method: F) -> F:
    """An OSError leaves the store as the StoreError of its cause, naming the path."""

    @functools.wraps(method)
    def wrapper(self: Store, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except OSError as exc:
            raise environment_error(exc, self.root) from None

    return wrapper  # type: ignore[return-value]


def _open_lock_file(path: Path) -> int:
    """Open (creating if need be) the store's ``.lock`` for flock, writable by the whole group.

    The lock is never replaced, so its mode is set by whoever creates it; it is set explicitly, or a
    lock made under umask 022 (0640) would lock every other member of the group out.
    """
    fd = SYSCALLS.open(path, os.O_RDWR | os.O_CREAT, PRIVATE_FILE_MODE)  # refused: a PermissionDeniedError naming it
    try:
        if os.fstat(fd).st_uid == os.geteuid():
            os.fchmod(fd, file_mode(path.parent))
    except OSError:
        os.close(fd)
        raise
    return fd


class _LockWaiter(threading.Thread):
    """Waits in flock's queue on its own open file, so the caller can give up at a deadline.

    A blocking flock cannot be interrupted from another thread, and SIGALRM only works on the
    main thread; so the wait happens here, and a lock that arrives after the caller gave up is
    released at once.
    """

    def __init__(self, path: Path):
        super().__init__(name="duty-room-lock", daemon=True)
        self.path = path
        self.fd: int | None = None
        self.error: OSError | None = None
        self.abandoned = False
        self.done = threading.Event()
        self.mutex = threading.Lock()

    def run(self) -> None:
        try:
            fd = _open_lock_file(self.path)
        except OSError as exc:
            self.error = exc
            self.done.set()
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError as exc:
            os.close(fd)
            self.error = exc
            self.done.set()
            return
        with self.mutex:
            if self.abandoned:
                fcntl.flock(fd, fcntl.LOCK_UN)
                os.close(fd)
                return
            self.fd = fd
        self.done.set()

    def take(self, timeout: float, *, give_up: bool = True) -> int | None:
        """The lock's fd once taken within ``timeout``; else None, and (``give_up``) a lock that
        comes later is let go at once."""
        try:
            self.done.wait(timeout)
        except BaseException:  # interrupted (Ctrl+C): a lock that arrives later is let go at once
            with self.mutex:
                self.abandoned = True
                if self.fd is not None:
                    fcntl.flock(self.fd, fcntl.LOCK_UN)
                    os.close(self.fd)
                    self.fd = None
            raise
        with self.mutex:
            if self.fd is not None:
                return self.fd
            if self.error is not None:
                raise self.error
            self.abandoned = give_up
            return None


def _acquire_lock(
    root: Path,
    path: Path,
    timeout: float,
    on_wait: Callable[[], None] | None = None,
    on_long_wait: Callable[[], None] | None = None,
) -> int:
    """An fd holding the exclusive flock on ``path``; StoreBusyError after ``timeout`` seconds.
    ``on_wait`` is called (in this thread) when another process holds it, before the wait;
    ``on_long_wait`` once it has waited LOCK_NOTICE_SECONDS and waits on."""
    fd = _open_lock_file(path)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return fd
    except OSError as exc:
        os.close(fd)
        if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN):
            raise
    started = time.monotonic()
    if on_wait is not None:
        on_wait()
    waiter = _LockWaiter(path)
    waiter.start()
    if on_long_wait is not None and timeout > LOCK_NOTICE_SECONDS:
        taken = waiter.take(LOCK_NOTICE_SECONDS, give_up=False)
        if taken is None:
            on_long_wait()
            taken = waiter.take(max(0.0, timeout - (time.monotonic() - started)))
    else:
        taken = waiter.take(timeout)
    if taken is None:
        raise StoreBusyError(root, time.monotonic() - started)
    return taken


@dataclass(eq=False, repr=False)  # never compared or shown: fewer methods to compile
class _Step:
    """One file of a transaction: its new version staged in ``temp`` (None: the file is removed),
    its old one kept as ``old``."""

    target: Path
    temp: Path | None
    old: Path | None = None
    renamed: bool = False  # put in place (or removed)


def _stage(path: Path, payload: bytes) -> Path:
    """Write a file's new version beside it (fsynced); returns the temp file."""
    _makedirs(path.parent)
    temp = _temp_name(path, f"{os.getpid()}-{secrets.token_hex(4)}")
    try:
        _write_new(temp, payload)
    except OSError as exc:  # name the file being written, not its temp
        raise type(exc)(exc.errno, exc.strerror, str(path)) from None
    return temp


# Why a hard link can be refused where a copy works: fs.protected_hardlinks (on by default on most
# Linux systems) lets only the owner, or one who may read and write the file, link it; in a store
# shared by a group, the file was usually last written by another officer's account.
_LINK_REFUSED = frozenset({errno.EPERM, errno.EACCES, errno.EXDEV, errno.EMLINK, errno.ENOTSUP})


def _keep_old_version(target: Path, old: Path) -> None:
    """Keep ``target``'s current version as ``old``: a hard link, or a copy when linking is refused."""
    try:
        SYSCALLS.link(target, old)
    except OSError as exc:
        if exc.errno not in _LINK_REFUSED:
            raise
        _write_new(old, target.read_bytes())


def _journal_payload(body: dict[str, Any]) -> bytes:
    data = _dumps(body)
    return _dumps({"body": body, "sha256": hashlib.sha256(data).hexdigest()})


def _journal_body(path: Path, payload: bytes) -> dict[str, Any]:
    data = _load_json(path, payload)
    body: dict[str, Any]
    try:
        body, digest = data["body"], data["sha256"]
        if hashlib.sha256(_dumps(body)).hexdigest() != digest:
            raise StoreCorruptError(path, Detail("damage.journal_checksum"))
        generation = body["generation"]
        steps = body["steps"]
        if not isinstance(generation, int) or not all(len(step) == 3 for step in steps):
            raise ValueError("bad fields")
    except (KeyError, TypeError, ValueError):
        raise StoreCorruptError(path, Detail("damage.journal")) from None
    return body


def _unlink_quietly(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        SYSCALLS.unlink(path)


# ---------------------------------------------------------------------------


class Store:
    """A store folder. Cheap to create; safe to use from many processes at once."""

    def __init__(self, root: Path | str, actor: str | None = None, *, read_only: bool = False, read_once: bool = False):
        self.root = Path(root)
        self.actor = actor or default_actor()
        self.read_only = read_only  # a viewer: every write (the audit of a reveal too) is refused
        # A process that reads each file once (`duty-room summary`) keeps no record's bytes for the
        # per-record cache: they would never be compared, and making them is ~10% of a cold read.
        # Every record read is validated all the same; a file read again is validated whole again.
        self.read_once = read_once
        # Set while the dashboard reads its first frame's data: a file read for the first time keeps
        # its records as parsed, and their bytes (the per-record cache's keys) are made when first
        # needed, or by make_bytes once the frame is on screen: on a township they were ~25 ms of
        # the first read (orjson.dumps of 5,600 records into fresh memory). Every record is validated.
        self.bytes_later = False
        # Set with ``bytes_later`` (``validating_only``; store/queries.py: open_cases_alone, for the first
        # frame and `summary`; _tagged_plans, for `summary`'s 独居老人 not visited): of a file read for the first time,
        # only the records it keeps are validated and returned; the others (on a township, the cases
        # closed in the last 30 days beside the open ones in each day file: ~84 M instructions of a
        # ~2,500 M first frame) when the file is next read, whole again.
        self.first_read: Callable[[type[Record], Any], bool] | None = None
        # Called, in the writing thread, when a write finds another process holding the lock and
        # waits for it (up to LOCK_TIMEOUT_SECONDS): the dashboard says so on the form being saved.
        self.on_lock_wait: Callable[[], None] | None = None
        # Called once such a wait has lasted LOCK_NOTICE_SECONDS: the command line says so on stderr.
        self.on_long_lock_wait: Callable[[], None] | None = None
        self._cache: dict[Path, _Cached] = {}
        self._reading: dict[Path, threading.Lock] = {}
        # A reload asks for the same few hundred paths, names and the manifest again and again:
        # remembered (the manifest by its bytes), as is the list of every live case while no day
        # file changed.
        self._paths: dict[tuple[str, str | None], Path] = {}
        self._names: dict[Path, str] = {}
        self._manifest_seen: tuple[bytes, dict[str, Any]] | None = None
        self._live_seen: dict[str, _LiveSeen] = {}
        self._live_lock = threading.Lock()
        self._recovered = False
        self.last_recovery: list[Detail] = []  # what the last lock found to finish or undo (check --repair)

    # -- paths -------------------------------------------------------------

    def path_for(self, model: type[Record], partition: str | None = None) -> Path:
        known = self._paths.get((model.table, partition))
        if known is not None:
            return known
        if partition is None:
            path = self.root / f"{model.table}.json"
        elif "/" in partition or partition.startswith("."):
            raise ValueError(f"bad partition name {partition!r}")
        else:
            path = self.root / model.table / f"{partition}.json"
        self._paths[(model.table, partition)] = path
        return path

    def newest_first(self, model: type[Record]) -> list[str | None]:
        """Where to look for one record: the main file (for a table in live files: every live
        record), then the other partitions (the archives), newest first."""
        return [None, *reversed([p for p in self.partitions(model) if not is_live(model, p)])]

    @_reports_environment
    def partitions(self, model: type[Record]) -> list[str]:
        try:
            names = os.listdir(self.root / model.table)
        except (FileNotFoundError, NotADirectoryError):
            return []
        return sorted(name[: -len(".json")] for name in names if name.endswith(".json") and not name.startswith("."))

    def live_partitions(self, model: type[Record]) -> list[str]:
        """The live files of a table kept in them (cases' day files, households' grid files), in name order."""
        return [p for p in self.partitions(model) if is_live(model, p)] if in_live_files(model) else []

    def relative(self, path: Path) -> str:
        name = self._names.get(path)
        if name is None:
            name = self._names[path] = path.relative_to(self.root).as_posix()
        return name

    def watched_name(self, path: str) -> str | None:
        """``path``'s name in the store (``manifest.json``, ``petitions/2026-11-27.json``) if it is the
        manifest or a file of the store's records, as ``check`` counts them (a table, or one of its
        partitions: two levels deep); None for a commit's hidden temporary or old-version file, or
        anything else left in the folder (an export, a note). What a dashboard's watcher follows."""
        name = Path(os.path.relpath(path, self.root)).as_posix()
        return name if name == MANIFEST or _file_of(name) is not None else None

    # -- reading (no lock: files are only ever replaced whole) -----------

    @_reports_environment
    def exists(self) -> bool:
        return (self.root / MANIFEST).exists()

    @_reports_environment
    def manifest(self) -> dict[str, Any]:
        """The manifest as read now (shared while its bytes stay the same: do not mutate)."""
        path = self.root / MANIFEST
        try:
            payload = path.read_bytes()
        except FileNotFoundError:
            if self._manifest_seen is not None:  # it was a store: moved, deleted or unmounted since
                raise StoreMissingError(self.root, "gone") from None
            return {"schema": SCHEMA_VERSION, "generation": 0, "files": {}}
        seen = self._manifest_seen
        if seen is not None and seen[0] == payload:
            return seen[1]
        parsed = _parse_manifest(path, payload)
        self._manifest_seen = (payload, parsed)
        return parsed

    def generation(self) -> int:
        return int(self.manifest()["generation"])

    @_reports_environment
    def all(self, model: type[M], partition: str | None = None) -> list[M]:
        """All records of one file, validated. The list and records are shared: do not mutate.

        For a table kept in live files, without a partition: every live record, from every live
        file (and from the main file, ``petitions.json`` or ``households.json``, in a store not yet
        split): every live case, every household of the register.
        """
        if partition is None and in_live_files(model):
            return self._live(model)
        return self._read(model, self.path_for(model, partition))

    def _live(self, model: type[M]) -> list[M]:
        # A record moved from one live file to another (a household to another grid) is taken out
        # of one and put in the other by one commit; a reader taking no lock could read the file it
        # goes to before the commit and the one it leaves after, and miss it. So the files are read
        # again unless each is the version the manifest read afterwards lists (a commit renames its
        # files before the manifest: a file newer than its listing, or gone while listed, is one
        # halfway through), a few times at most: then as read (the next reload is coming).
        for _ in range(3):
            manifest = self.manifest()
            paths, parts = self._live_parts(model, manifest["files"])
            after = self.manifest()
            if after.get("generation") == manifest.get("generation") and self._as_listed(paths, after["files"]):
                break
        with self._live_lock:
            last = self._live_seen.get(model.table)
            if last is not None and len(last.parts) == len(parts) and all(map(operator.is_, last.parts, parts)):
                return last.records  # every file's records are the very lists of last time: nothing changed
            seen = last if last is not None else _LiveSeen((), [], {})
            duplicated = seen.recount(parts)
            records: list[M] = [record for part in parts for record in part]
            if duplicated:  # a record in two files (the one-time split, or damage): kept once, the first
                ids: set[str] = set()
                records = [r for r in records if r.id not in ids and not ids.add(r.id)]  # type: ignore[func-returns-value]
            seen.parts, seen.records = parts, records  # (holding the lists: their ids stay theirs)
            self._live_seen[model.table] = seen
            return records

    def _live_parts(self, model: type[M], files: dict[str, Any]) -> tuple[list[Path], tuple[list[M], ...]]:
        # The main file (a store written before live files) is read before the live files are
        # listed: a reader that meets its one-time split sees a record twice (kept once), never not
        # at all.
        paths = [self.path_for(model)]
        legacy = self._read(model, paths[0], files)
        paths += [self.path_for(model, p) for p in self.live_partitions(model)]
        return paths, (legacy, *(self._read(model, path, files) for path in paths[1:]))

    def _as_listed(self, paths: list[Path], files: dict[str, Any]) -> bool:
        """Each file was read as the manifest lists it (one not there, as one not listed)."""
        for path in paths:
            cached = self._cache.get(path)
            if (cached.generation if cached is not None else None) != files.get(self.relative(path)):
                return False
        return True

    def _read(self, model: type[M], path: Path, files: dict[str, Any] | None = None) -> list[M]:
        # One thread at a time per file: a second reader (a list opened while the look for damaged
        # files parses a big file) waits for the first's records instead of parsing again.
        with self._reading.get(path) or self._reading.setdefault(path, threading.Lock()):
            return self._read_file(model, path, files)

    def _read_file(self, model: type[M], path: Path, files: dict[str, Any] | None) -> list[M]:
        signature = Signature.of(path)
        if signature is None:
            self._cache.pop(path, None)
            return _NONE
        cached = self._cache.get(path)
        if cached is not None and cached.signature == signature:
            listed = (self.manifest()["files"] if files is None else files).get(self.relative(path))
            if listed is None or listed == cached.generation:
                if cached.kept is not None and self.first_read is None:
                    return self._made_whole(path, model, cached)
                return cached.records
        try:
            payload = path.read_bytes()  # after the stat: a write in between only costs a re-read
        except FileNotFoundError:
            return _NONE
        data = _parse(path, payload)
        meta = _file_meta(path, data)
        listed = (self.manifest()["files"] if files is None else files).get(self.relative(path))
        if listed != meta["generation"] and (before := self._before_uncommitted(path)) is not path:
            return _NONE if before is None else self._read_kept(model, before, path, files)
        if self.bytes_later and path not in self._cache:  # nothing of it known: every record is validated
            keep = self.first_read
            docs = list(data.get(RECORDS, {}).values())
            kept = [keep(model, doc) for doc in docs] if keep is not None else []
            figures = _kept_figures(data, meta) if keep is _no_record else None
            if not all(kept):  # some left for later (Store.first_read)
                stored = data.get(RECORDS, {})
                now = {doc_id: doc for (doc_id, doc), k in zip(stored.items(), kept, strict=True) if k}
                rest = {doc_id: doc for (doc_id, doc), k in zip(stored.items(), kept, strict=True) if not k}
                records, _ = _validate_all(path, model, {RECORDS: now}, {}, remember=False)
                self._cache[path] = _Cached(signature, meta["generation"], records, None, docs, kept, rest, figures)
                return records
            records, _ = _validate_all(path, model, data, {}, remember=False)
            self._cache[path] = _Cached(signature, meta["generation"], records, None, docs, figures=figures)
            return records
        records, known = self._validated(path, model, data)
        self._cache[path] = _Cached(signature, meta["generation"], records, known)
        return records

    def _made_whole(self, path: Path, model: type[M], cached: _Cached) -> list[M]:
        """A file the first frame read in part (``first_read``), whole: the records it left validated
        now, in the file's order (under the file's reading lock, ``_read``)."""
        assert cached.kept is not None and cached.rest is not None
        more, _ = _validate_all(path, model, {RECORDS: cached.rest}, {}, remember=False)
        kept, left = iter(cached.records), iter(more)
        records = [next(kept) if k else next(left) for k in cached.kept]
        self._cache[path] = _Cached(cached.signature, cached.generation, records, None, cached.docs)
        return records

    def _before_uncommitted(self, path: Path) -> Path | None:
        """Where the committed version of ``path`` is while a transaction that replaced it is not
        committed (in flight, or its writer killed before the manifest: until the next writer
        undoes it): the old link it keeps (None: the transaction created the file). ``path``
        itself otherwise. A reader takes no lock; without this it showed a record that was never
        committed (a case the next writer then undid), for as long as no one wrote."""
        journal = self.root / JOURNAL
        try:
            body = _journal_body(journal, journal.read_bytes())
        except (FileNotFoundError, StoreCorruptError):  # none (or half-written: its renames have not begun)
            return path
        if body["generation"] == self.generation():
            return path  # committed: the manifest lists it
        for target, _, old in body["steps"]:
            if target == self.relative(path):
                return self.root / old if old else None
        return path

    def _read_kept(self, model: type[M], kept: Path, path: Path, files: dict[str, Any] | None) -> list[M]:
        """The records of the old version ``kept`` of ``path``: read, not remembered (it is gone
        once the transaction is finished or undone)."""
        try:
            data = _parse(kept, kept.read_bytes())
        except FileNotFoundError:  # finished or undone meanwhile: the file itself is the outcome
            return self._read_file(model, path, None if files is None else self.manifest()["files"])
        records, _ = _validate_all(kept, model, data, {}, remember=False)
        return records

    def _validated(self, path: Path, model: type[M], data: dict[str, Any]) -> tuple[list[M], _Known]:
        """A parsed file's records as models: only those whose bytes this process has not
        validated in this file before are validated (the transaction's read and the readers' share it)."""
        cached = self._cache.get(path)
        known = cached.known if cached is not None and cached.kept is None else {}
        return _validate_all(path, model, data, known, not self.read_once)

    def make_bytes(self) -> None:
        """Make the bytes of every record read while ``bytes_later`` (see ``Store``)."""
        for cached in list(self._cache.values()):
            if cached.kept is None:  # (one read in part: when it is read whole)
                _ = cached.known  # made when first asked for

    def figures(self, model: type[Record], partition: str | None = None) -> dict[str, Any] | None:
        """What ``model.figures_of`` made of a file's records as it was last written (kept in its
        _meta by ``_OpenFile.payload``), read with none of its records validated: only when the
        records and the figures are byte for byte those it wrote (a digest of both). None when they
        are not, the file was written before figures were kept, or was read before: the caller
        reads its records, each validated, as ever (a damaged one is named as ever), as it reads them
        (that read parses the file again: ``validating_only`` as it was, not none of them). A file
        read before, whole, is not read again for them: None."""
        path = self.path_for(model, partition)
        with self.validating_only(_no_record):
            self._read(model, path)
        cached = self._cache.get(path)
        if cached is not None and cached.figures is None and cached.kept is not None:
            del self._cache[path]  # (none of its records validated: not what a reader of it is to get)
        return cached.figures if cached is not None else None

    def all_partitions(self, model: type[M]) -> list[M]:
        """Every record of a partitioned table, main file first (a whole-table read, not the live view's)."""
        records = list(self.all(model))
        for partition in self.partitions(model):
            if not is_live(model, partition):  # the day files are in all(model) already
                records.extend(self.all(model, partition))
        return records

    def get(self, model: type[M], record_id: str, partition: str | None = None) -> M:
        if partition is None and in_live_files(model):
            named = _file_named(model, record_id)  # where a live case is: one small file, not every live case
            if named is not None:  # (or where a store written before the cap or before day files kept it)
                for where in dict.fromkeys((named, first_file_of_day(named), None)):
                    for record in (
                        self.all(model, where) if where is not None else self._read(model, self.path_for(model))
                    ):
                        if record.id == record_id:
                            return record
                raise RecordNotFound(model, record_id)
        for record in self.all(model, partition):
            if record.id == record_id:
                return record
        raise RecordNotFound(model, record_id)

    def find(self, model: type[M], record_id: str) -> tuple[M, str | None]:
        """A record wherever it is, and its partition: the main file (for cases: the day file its
        id names, then every live case), then the other partitions (the archives), newest first."""
        for partition in self.newest_first(model):
            try:
                return self.get(model, record_id, partition), partition
            except RecordNotFound:
                continue
        raise RecordNotFound(model, record_id)

    def known(self, model: type[Record], partition: str, files: dict[str, Any] | None = None) -> _Known:
        """One file's records by id (as cached, after reading it if need be; ``files``: the
        manifest's, when the caller has it at hand)."""
        path = self.path_for(model, partition)
        self._read(model, path, files)
        cached = self._cache.get(path)
        return cached.known if cached is not None else {}

    @contextlib.contextmanager
    def validating_only(self, keep: Callable[[type[Record], Any], bool]) -> Iterator[None]:
        """Within: of a file read for the first time only the records ``keep`` keeps are validated and
        returned (``first_read``, with ``bytes_later``); the rest when the file is next read, whole."""
        later = self.bytes_later
        self.bytes_later, self.first_read = True, keep
        try:
            yield
        finally:
            self.bytes_later, self.first_read = later, None

    def missing_listed(self) -> list[StoreFileMissingError]:
        """The files manifest.json lists that are not there. A listed file deleted by hand reads as
        empty: its records vanish from the panels (and a digest's counts) without a word (a
        transaction refuses to write it). Missing while a commit is in flight (its journal is there,
        or the manifest has moved on since) is that commit's doing, not damage."""
        listed = self.manifest()
        root = str(self.root)
        gone = [name for name in listed["files"] if not _there(os.path.join(root, name))]
        if gone and not os.path.lexists(self.root / JOURNAL) and self.manifest() is listed:
            return [StoreFileMissingError(self.root / name) for name in gone]
        return []

    def refuse_missing_listed(self) -> None:
        """Raise the first file manifest.json lists that is not there (exit 2): a command's counts or
        list would be short of its records, and look whole."""
        missing = self.missing_listed()
        if missing:
            raise missing[0]

    def problems(self, day: date | None = None) -> list[StoreError]:
        """What the dashboard should show as a banner at start and on reload: every file it reads
        that cannot be read, one StoreError each (``.path``, ``.message(lang)``), empty when sound.

        Looks at the manifest, each table's main file (and every live file: the live cases' day
        files, the households' grid files; the first damaged one is named), given ``day``, that day's partitions
        (visits, plans, sessions), its year's payments and its month's audit log; never the
        archives. Cheap on reload: a file whose bytes did not change is not validated again.
        """
        from .models import ALL_MODELS

        found: list[StoreError] = []
        try:
            found += self.missing_listed()
        except StoreError as exc:
            found.append(exc)
        wanted: list[tuple[type[Record], str | None]] = [(model, None) for model in ALL_MODELS]
        if day is not None:
            wanted += [
                (VisitPlan, day.isoformat()),
                (Visit, day.isoformat()),
                (ServiceSession, day.isoformat()),
                (StallPayment, f"{day.year}"),
                (AuditEntry, f"{day:%Y-%m}"),
            ]
        for model, partition in wanted:
            try:
                self.all(model, partition)
            except StoreError as exc:
                found.append(exc)
        return found

    def check(self) -> list[str]:
        """Parse and validate every file; raise on the first damaged one. Returns the files read."""
        from .models import ALL_MODELS

        seen = []
        self.manifest()
        for model in ALL_MODELS:
            for partition in [None, *self.partitions(model)]:
                path = self.path_for(model, partition)
                if path.exists():
                    self._read(model, path)
                    seen.append(self.relative(path))
        return seen

    # -- writing ---------------------------------------------------------

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """The store's one exclusive lock; waits in the kernel's queue up to LOCK_TIMEOUT_SECONDS."""
        self.refuse_if_read_only()  # the lock is taken only to write
        try:
            _makedirs(self.root)
            fd = _acquire_lock(
                self.root, self.root / LOCK, LOCK_TIMEOUT_SECONDS, self.on_lock_wait, self.on_long_lock_wait
            )
        except OSError as exc:
            raise environment_error(exc, self.root / LOCK) from None
        try:
            try:
                self.last_recovery = self.recover()
            except OSError as exc:
                raise environment_error(exc, self.root) from None
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """Lock, re-read, change, validate, write all or nothing. Nothing is written on an exception."""
        self.refuse_if_read_only()
        if self._manifest_seen is not None and not self.exists():
            # The store was here and has gone: a write would start a new one in its place (an empty
            # store holding this one record, its id reused), which the dashboard then showed.
            raise StoreMissingError(self.root, "gone")
        with self.lock():
            try:
                tx = Transaction(self)
                yield tx
                tx.commit()
            except OSError as exc:
                raise environment_error(exc, self.root) from None

    # -- all or nothing --------------------------------------------------
    #
    # A transaction that changes several files (a reveal: the case and the audit log; archiving:
    # the archive and the active file) must leave all of them changed or none. Under the lock:
    #   1. every new version is written to a temp file beside its target and fsynced;
    #   2. each target's current version is kept as a hard link (.NAME.old-TX);
    #   3. the journal (.journal: targets, temps, old links, the new store generation, a checksum)
    #      is written and made durable;
    #   4. the data files are renamed into place, their folders fsynced;
    #   5. manifest.json is renamed into place and the folder fsynced: the commit point;
    #   6. the journal and the old links are removed.
    # Any error before 5 completes puts the old files back and reports the error (nothing changed).
    # A process killed in between leaves the journal: the next one to take the lock finishes the
    # transaction if the manifest carries its generation, and undoes it otherwise.

    def _apply(self, writes: list[tuple[Path, bytes | None]], generation: int) -> None:
        """Replace every (path, payload) or none; a payload of None removes the file (one that
        exists). The last one must be the manifest."""
        tag = f"{os.getpid()}-{secrets.token_hex(4)}"
        steps: list[_Step] = []
        created: list[Path] = []
        journal = self.root / JOURNAL
        try:
            for target, payload in writes:
                if payload is None:  # removed: kept as an old link like any replaced file, until the commit
                    steps.append(_Step(target, None))
                else:
                    created += _makedirs(target.parent)
                    steps.append(_Step(target, _stage(target, payload)))
                try:
                    st = os.lstat(target)
                except FileNotFoundError:
                    if payload is None:
                        raise
                    continue
                if not stat.S_ISREG(st.st_mode):
                    raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(target))
                steps[-1].old = target.with_name(f".{target.name}{OLD_MARK}{tag}")
                _keep_old_version(target, steps[-1].old)
            # Temps and old links must be durable before the journal that names them; the root
            # folder's are, by the fsync that follows the journal's own rename.
            for folder in dict.fromkeys(step.target.parent for step in steps):
                if folder != self.root:
                    _fsync_dir(folder)
            body = {
                "tx": tag,
                "generation": generation,
                "steps": [
                    [self.relative(st.target), st.temp and self.relative(st.temp), st.old and self.relative(st.old)]
                    for st in steps
                ],
            }
            _atomic_write(journal, _journal_payload(body))
            *data, manifest = steps
            for step in data:
                if step.temp is None:
                    SYSCALLS.unlink(step.target)
                else:
                    SYSCALLS.rename(step.temp, step.target)
                step.renamed = True
            for folder in dict.fromkeys(step.target.parent for step in data):
                _fsync_dir(folder)
            assert manifest.temp is not None  # the manifest is always written
            SYSCALLS.rename(manifest.temp, manifest.target)
            manifest.renamed = True
            _fsync_dir(manifest.target.parent)
        except BaseException:
            self._undo(steps, journal, created)
            raise
        # Committed. Cleaning up can fail without harm: the next writer finishes it from the journal.
        with contextlib.suppress(OSError):
            SYSCALLS.unlink(journal)
            for step in steps:
                if step.old is not None:
                    _unlink_quietly(step.old)

    def _undo(self, steps: list[_Step], journal: Path, created: list[Path]) -> None:
        """Put back what a failed transaction replaced. A second fault here leaves the journal,
        and the next writer undoes the rest."""
        try:
            for step in reversed(steps):
                if step.renamed:
                    if step.old is not None:
                        SYSCALLS.rename(step.old, step.target)
                    else:
                        SYSCALLS.unlink(step.target)
                elif step.old is not None:
                    _unlink_quietly(step.old)
                if not step.renamed and step.temp is not None:
                    _unlink_quietly(step.temp)
            for folder in dict.fromkeys(step.target.parent for step in steps):
                _fsync_dir(folder)
            if os.path.lexists(journal):
                SYSCALLS.unlink(journal)
                _fsync_dir(self.root)
            for folder in reversed(created):
                SYSCALLS.rmdir(folder)
        except OSError:
            pass

    def recover(self) -> list[Detail]:
        """Under the lock: finish or undo a transaction a killed writer left, and remove its leftovers.

        Returns what was done, one phrase each (for ``check --repair``).
        """
        done: list[Detail] = []
        journal = self.root / JOURNAL
        if os.path.lexists(journal):
            done.append(self._roll_journal(journal))
        if not self._recovered:
            done.extend(self._remove_leftovers())
            self._recovered = True
        return done

    def _roll_journal(self, journal: Path) -> Detail:
        body = _journal_body(journal, journal.read_bytes())
        committed = self.generation() == body["generation"]
        for target_name, temp_name, old_name in body["steps"]:
            target = self.root / target_name
            temp = self.root / temp_name if temp_name else None  # None: the transaction removed the file
            old = self.root / old_name if old_name else None
            if not committed:
                if old is not None:
                    if os.path.lexists(old):
                        SYSCALLS.rename(old, target)
                else:
                    _unlink_quietly(target)  # the transaction created it
            if temp is not None:
                _unlink_quietly(temp)
            if old is not None:
                _unlink_quietly(old)  # renaming a link onto its own inode leaves both names
        for folder in dict.fromkeys((self.root / step[0]).parent for step in body["steps"]):
            _fsync_dir(folder)
        SYSCALLS.unlink(journal)
        _fsync_dir(self.root)
        return Detail("repair.finished" if committed else "repair.undone", {"generation": body["generation"]})

    def _remove_leftovers(self) -> list[Detail]:
        # Only writers make temp files and old links, and only under the lock we now hold, with no
        # journal left: any found are from a writer that was killed before its journal was written.
        removed = []
        for pattern in (f".*{TEMP_MARK}*", f".*{OLD_MARK}*"):
            for leftover in self.root.rglob(pattern):
                _unlink_quietly(leftover)
                removed.append(self.relative(leftover))
        return [Detail("repair.leftover", {"path": name}) for name in removed]

    def refuse_if_read_only(self) -> None:
        if self.read_only:
            raise StoreReadOnlyError(self.root)

    def put(self, record: M) -> M:
        with self.transaction() as tx:
            return tx.put(record)

    def update(self, model: type[M], record_id: str, change: Callable[[M], M], partition: str | None = None) -> M:
        """Read the current record under the lock, apply ``change``, validate and write it."""
        with self.transaction() as tx:
            current = tx.get(model, record_id, partition)
            return tx.put(change(current), partition)

    def clear(self) -> list[str]:
        """Delete the store's own files under the lock and return them (relative paths).

        Only the store layout goes: each table's main file and its partition files (the
        partition folder too, once empty), then ``manifest.json`` last, so an interrupted
        clear still looks like a store and can be run again. ``.lock`` and any other file stay.
        A folder with no manifest is refused unless it is empty: it is not ours to clear.
        """
        from .models import ALL_MODELS

        with self.lock():
            manifest = self.root / MANIFEST
            if not manifest.exists():
                if any(p.name != LOCK for p in self.root.iterdir()):  # said in the interface language
                    raise StoreMissingError(self.root, "foreign")
                return []
            self.manifest()  # refuse a folder whose manifest is not ours (StoreCorruptError)
            removed: list[Path] = []
            for model in ALL_MODELS:
                main = self.path_for(model)
                if main.is_file():
                    removed.append(main)
                removed.extend(self.path_for(model, partition) for partition in self.partitions(model))
            for path in [*removed, manifest]:
                path.unlink()
            for model in ALL_MODELS:
                with contextlib.suppress(OSError):
                    (self.root / model.table).rmdir()  # fails, as it should, if anything else is in it
            self._cache.clear()
            self._manifest_seen = None  # cleared on purpose: the next write starts the store again
            return [self.relative(p) for p in [*removed, manifest]]


def _parse_manifest(path: Path, payload: bytes) -> dict[str, Any]:
    data = _load_json(path, payload)
    if not isinstance(data, dict) or not isinstance(data.get("files"), dict):
        raise StoreCorruptError(path, Detail("damage.not_manifest"))
    try:
        checked = _ManifestModel.model_validate(data)
    except ValidationError as exc:
        raise StoreCorruptError(path, field_damage("damage.manifest_field", exc.errors()[0])) from None
    _check_schema(path, checked.schema_version)
    return data


_change_order = itertools.count()  # orders the changes in a transaction, so commit can write in that order


class _OpenFile:
    """One store file loaded under the lock into an in-memory TinyDB."""

    def __init__(
        self, store: Store, model: type[Record], path: Path, partition: str | None, *, loss_accepted: bool = False
    ):
        self.model = model
        self.path = path
        self.partition = partition
        # A live file goes with its last record (a day file when its last case is archived, a grid's
        # when its last household moves away), as does a main file once split.
        self.removable = in_live_files(model) and (partition is None or is_live(model, partition))
        self.dirty = False
        self.last_change = 0
        if path.exists():
            payload = path.read_bytes()
        elif store.relative(path) in store.manifest()["files"] and not loss_accepted:  # under the lock: as read
            raise StoreFileMissingError(path)  # deleted by hand: written anew, its records gone, their ids reused
        else:
            payload = b"{}"
        data = _parse(path, payload)
        self.meta = _file_meta(path, data)
        # Validate everything before we would overwrite it: a damaged file stays as it is. A record
        # whose bytes this process validated before (read or written) is not validated again.
        records, self.known = store._validated(path, model, data)
        self.records = {r.id: r for r in records}
        # A household or stall file's records as read: the addresses and spots they held before this
        # transaction (Transaction._refuse_taken_addresses, _refuse_taken_spots: only a new claim is refused).
        self.original = dict(self.records) if model is Household or model is Stall else {}
        self.touched: set[str] = set()
        self.db = _in_memory(data)
        # A fresh table per transaction: TinyDB's per-process next-id and query cache never go stale.
        self.table = self.db.table(RECORDS, cache_size=0)
        # From the parsed file, as TinyDB numbers its documents (int of the key): table.all() would
        # make a Document of every record first (~0.5 ms for a day of 190 cases).
        self.doc_ids = {doc["id"]: int(doc_id) for doc_id, doc in data.get(RECORDS, {}).items()}
        # The transaction's index of its table's live records by id (Transaction._where_is), once made:
        # kept up to date by every put and delete of this live file.
        self.where: dict[str, str] | None = None
        # New records wait here and go in with one insert_multiple: each TinyDB insert rebuilds the
        # whole table, so inserting one by one is quadratic (minutes for 40,000 households).
        self._new: dict[str, dict[str, Any]] = {}

    def put(self, record: Record) -> None:
        previous = self.records.get(record.id)
        if previous is not None:
            record.check_update(previous)
        doc = record.model_dump(mode="json")
        doc_id = self.doc_ids.get(record.id)
        if doc_id is None:
            self._new[record.id] = doc
        else:
            from tinydb.table import Document

            self.table.upsert(Document(doc, doc_id=doc_id))
        self.records[record.id] = record
        self.touched.add(record.id)
        if self.where is not None and self.partition is not None:
            self.where[record.id] = self.partition
        self._changed()

    def _insert_new(self) -> None:
        if self._new:
            ids = self.table.insert_multiple(self._new.values())
            self.doc_ids.update(zip(self._new, ids, strict=True))
            self._new.clear()

    def delete(self, record_id: str) -> None:
        self._unindex(record_id)
        if self._new.pop(record_id, None) is not None:
            del self.records[record_id]
            self._changed()
            return
        doc_id = self.doc_ids.pop(record_id)
        self.table.remove(doc_ids=[doc_id])
        del self.records[record_id]
        self._changed()

    def remove_all(self) -> None:
        """Every record goes (moved elsewhere by the caller); a removable file is then removed."""
        for record_id in self.records:
            self._unindex(record_id)
        self.records.clear()
        self._new.clear()
        self.table.truncate()
        self.doc_ids.clear()
        self._changed()

    def _unindex(self, record_id: str) -> None:
        if self.where is not None and self.where.get(record_id) == self.partition:
            del self.where[record_id]

    def _changed(self) -> None:
        self.dirty = True
        self.last_change = next(_change_order)

    def payload(self, generation: int) -> bytes:
        self._insert_new()
        self.meta = {"schema": SCHEMA_VERSION, "generation": generation, "table": self.model.table}
        sums = self.model.figures_of(self.records.values()) if keeps_figures(self.model, self.partition) else None
        if sums is not None:  # (Store.figures) of the records as written, and a digest of both
            stored = (self.db.storage.read() or {}).get(RECORDS, {})
            self.meta[FIGURES] = {"sums": sums, "digest": _figures_digest(stored, sums)}
        self.db.table(META, cache_size=0).truncate()
        self.db.table(META, cache_size=0).insert(self.meta)
        return _dumps(self.db.storage.read())

    def known_after(self) -> _Known:
        """The per-record cache of the file as written: the bytes of a record this transaction did
        not touch are the bytes it read."""
        known: _Known = {}
        stored: dict[str, Any] = self.db.storage.read() or {}
        for doc in stored.get(RECORDS, {}).values():
            record_id = doc["id"]
            cached = None if record_id in self.touched else self.known.get(record_id)
            known[record_id] = cached if cached is not None else (_dumps(doc), self.records[record_id])
        return known


LOOKUPS_BEFORE_INDEX = 8  # a transaction's look-ups of a household by id before it indexes them all


class Transaction:
    """The changes made under one lock. Files are written in the order they were last changed."""

    def __init__(self, store: Store):
        self.store = store
        self.now = clock.now()
        self._files: dict[Path, _OpenFile] = {}
        self._manifest = store.manifest()  # under the lock: nobody else changes it until commit
        self._counters: dict[str, int] = {}
        self._on_disk: dict[type[Record], list[str]] = {}  # live files listed once per transaction
        self._where: dict[type[Record], dict[str, str]] = {}  # see _where_is
        self._lookups: dict[type[Record], int] = {}
        self._overtaken = False  # a record acted on changed since the form showed it (as_seen): commit refuses
        # A store written before day files (schema 1) keeps every live case in petitions.json, and
        # one written before schema 3 every household in households.json: the first transaction
        # that commits moves them to their live files (day, grid) and removes the main file, with
        # its own change (all or nothing; a refused change leaves the store as it was).
        for model in (Petition, Household):
            if store.path_for(model).exists():
                self.split_main_file(model)
        # A store written before the cap (schema 2) keeps a busy day's cases in one file: the same
        # way, the first transaction that commits moves each to the file its id names.
        if int(self._manifest.get("schema", 0)) < CAPPED_SCHEMA:
            self.cap_day_files()

    def next_in_sequence(self, key: str, at_least: int = 0) -> int:
        """The next number of a named counter kept in the manifest (one key per day for case ids).

        Committed with the transaction, so a number is never handed out twice; ``at_least`` is the
        highest number already in use (a store written before counters existed).
        """
        counters: dict[str, int] = self._manifest.get("counters", {})
        number = max(self._counters.get(key, counters.get(key, 0)), at_least) + 1
        self._counters[key] = number
        return number

    def _open(self, model: type[Record], partition: str | None) -> _OpenFile:
        path = self.store.path_for(model, partition)
        opened = self._files.get(path)
        if opened is None:
            opened = self._files[path] = _OpenFile(self.store, model, path, partition)
            if is_live(model, partition):
                opened.where = self._where.get(model)
        return opened

    def accept_missing(self, name: str) -> bool:
        """A listed file deleted by hand, with no backup to restore it from: its loss accepted on
        purpose (``check --repair --accept-missing``). The file is written anew, empty, one generation
        on from the manifest's; a live file (a day's cases, a grid's households) is dropped from the
        manifest instead, as it goes with its last record. Today's case ids are counted in the
        manifest and not handed out again; other ids the file held may be: that is the loss
        accepted. Returns whether the file is written anew."""
        listed: dict[str, int] = self._manifest.get("files", {})
        found = _file_of(name)
        if name not in listed or found is None:
            raise Refused("accept_not_listed", path=name)
        path = self.store.root / name
        if os.path.lexists(path) or path in self._files:
            raise Refused("accept_not_missing", path=name)
        model, partition = found
        opened = self._files[path] = _OpenFile(self.store, model, path, partition, loss_accepted=True)
        opened.meta = {**opened.meta, "generation": listed[name]}  # the next is one on, never back
        opened._changed()
        return not opened.removable

    # -- a table kept in live files: ``partition=None`` means every live record

    def _live_partitions(self, model: type[Record]) -> list[str]:
        """The live files as this transaction sees them: on disk, and those it has opened (maybe new)."""
        if model not in self._on_disk:
            self._on_disk[model] = self.store.live_partitions(model)
        opened = {f.partition for f in self._files.values() if f.model is model and is_live(model, f.partition)}
        return sorted({*self._on_disk[model], *(p for p in opened if p is not None)})

    def day_files(self, model: type[Record], day: str) -> list[str]:
        """A day's files of live records as this transaction sees them, in order (2026-11-28, .2, .3, ...)."""
        return sorted(
            (p for p in self._live_partitions(model) if first_file_of_day(p) == day),
            key=lambda p: int(p.partition(".")[2] or 1),
        )

    def _ids(self, model: type[Record], partition: str) -> Collection[str]:
        opened = self._files.get(self.store.path_for(model, partition))
        return opened.records if opened is not None else self.store.known(model, partition, self._manifest["files"])

    def _locate(self, model: type[Record], record_id: str) -> str | None:
        """The live file holding a live record: the day a case's id names (no other file is read: a
        case is never put anywhere else), else any (looked at in turn: a household's grid file)."""
        named = _file_named(model, record_id)
        if named is not None:
            return named if record_id in self._ids(model, named) else None
        return self._where_is(model, record_id)

    def _where_is(self, model: type[Record], record_id: str) -> str | None:
        """The live file holding a record whose id names none (a household): looked for in each
        live file's ids (through the store's per-file cache) by the first few look-ups of a
        transaction; from then on, in an index of them all made once and kept up to date by every
        put and delete: a transaction that adds or moves 40,000 households (an import, the demo)
        does not look through every grid's file for each of them."""
        where = self._where.get(model)
        if where is None and self._lookups.get(model, 0) < LOOKUPS_BEFORE_INDEX:
            self._lookups[model] = self._lookups.get(model, 0) + 1
            return next((p for p in self._live_partitions(model) if record_id in self._ids(model, p)), None)
        if where is None:
            where = self._where[model] = {}
            for partition in reversed(self._live_partitions(model)):  # a duplicate: the first file's
                where.update(dict.fromkeys(self._ids(model, partition), partition))
            for opened in self._files.values():
                if opened.model is model and is_live(model, opened.partition):
                    opened.where = where
        found = where.get(record_id)
        return found if found is not None and record_id in self._ids(model, found) else None

    def _put_live(self, record: Record) -> None:
        target = self._open(type(record), live_partition(record))
        if record.id not in target.records and _file_named(type(record), record.id) is None:
            # A record whose id names no file goes by its fields (a household by its grid, a case
            # whose id names no day by the time it was received): if that changed, it moves, out of
            # the file it was in, checked against its previous version like any replacement.
            elsewhere = self._where_is(type(record), record.id)
            if elsewhere is not None and elsewhere != target.partition:
                previous = self._open(type(record), elsewhere)
                record.check_update(previous.records[record.id])
                target.put(record)
                previous.delete(record.id)
                return
        target.put(record)

    def split_main_file(self, model: type[Record]) -> int:
        """Move every record of ``model``'s main file to its live file (day, grid), and remove the main file."""
        main = self._open(model, None)
        moved = list(main.records.values())
        for record in moved:
            self._open(model, live_partition(record)).put(record)
        main.remove_all()
        return len(moved)

    def cap_day_files(self) -> int:
        """Move each case kept in its day's first file but named for a later file of that day (the
        26th case on, in a store written before the cap) to the file its id names. Only the files
        holding such a case are opened as tables."""
        moved = 0
        for partition in self._live_partitions(Petition):
            if first_file_of_day(partition) != partition:
                continue
            strays = [
                record_id
                for record_id in self._ids(Petition, partition)
                if (named := file_named_by(record_id)) != partition
                and named is not None
                and first_file_of_day(named) == partition
            ]
            if not strays:
                continue
            day_file = self._open(Petition, partition)
            for record_id in strays:
                record = cast(Petition, day_file.records[record_id])
                self._open(Petition, live_partition(record)).put(record)  # as it is: a move, not an edit
                day_file.delete(record_id)
                moved += 1
        return moved

    def all(self, model: type[M], partition: str | None = None) -> list[M]:
        """The file's records as this transaction sees them (its own changes included); for a
        table kept in live files and no partition, every live record.

        A file this transaction has not changed is read through the store's validated cache:
        under the lock nobody else can change it, and opening it as a TinyDB table for a look
        would cost a parse and a table build (0.8 s for 40,000 households) on every write.
        """
        if partition is None and in_live_files(model):
            if not any(f.model is model for f in self._files.values()):  # nothing changed yet: as stored
                return list(self.store.all(model))  # (every live file, read at once, their list remembered)
            return [r for p in self._live_partitions(model) for r in self.all(model, p)]
        path = self.store.path_for(model, partition)
        opened = self._files.get(path)
        if opened is None:
            return list(self.store._read(model, path, self._manifest["files"]))
        return cast(list[M], list(opened.records.values()))  # the file opened for ``model`` holds Ms

    def get(self, model: type[M], record_id: str, partition: str | None = None, *, likely: str | None = None) -> M:
        """A record as this transaction sees it. ``likely``: the live file the caller expects it in
        (a household's grid, known from the row it was picked on): looked in first, so that one file
        is read, not every grid's; a record that moved meanwhile is still found where it went."""
        if (
            partition is None
            and likely is not None
            and in_live_files(model)
            and likely in self._live_partitions(model)
            and record_id in self._ids(model, likely)
        ):
            partition = likely
        if partition is None and in_live_files(model):
            partition = self._locate(model, record_id)
            if partition is None:
                raise RecordNotFound(model, record_id)
        path = self.store.path_for(model, partition)
        opened = self._files.get(path)
        if opened is None:
            record = next(
                (r for r in self.store._read(model, path, self._manifest["files"]) if r.id == record_id), None
            )
        else:
            record = cast(M | None, opened.records.get(record_id))  # the file opened for ``model`` holds Ms
        if record is None:
            raise RecordNotFound(model, record_id)
        return record

    def as_seen(self, record: V, expected: V | None) -> V:
        """``record`` as read under this lock, to act on only if it is still the one the caller's
        form showed (``expected``: the record a form showed when its save was pressed; None, no
        form: as it is). Changed since (another desk's write, even one made in the same instant),
        nothing is written: the write is refused, at the latest when it would commit
        (``changed_meanwhile``: the officer saves again on the record as it is now, once their form
        shows it). The caller goes on checking its step on the record as it is now, so a step no
        longer legal on it is refused for that (「已派单」的案件不能「派单」), said at once rather than
        on the next save; only a step still legal is refused as changed. The record itself is its
        version: any field changed, its history grown or its stamp renewed makes it another one; so
        does its absence."""
        if expected is not None and record != expected:
            self._overtaken = True
        return record

    def find(self, model: type[M], record_id: str) -> tuple[M, str | None]:
        """A record wherever it is, and its partition (as ``Store.find``, with this transaction's changes)."""
        for partition in self.store.newest_first(model):
            try:
                return self.get(model, record_id, partition), partition
            except RecordNotFound:
                continue
        raise RecordNotFound(model, record_id)

    def put(self, record: M, partition: str | None = None) -> M:
        """Insert or replace by id; the record is re-validated and stamped with actor and time."""
        model = type(record)
        data = record.model_dump(mode="json")
        data["updated_at"] = self.now.isoformat()
        data["updated_by"] = self.store.actor
        validated = model.model_validate(data)
        if partition is not None and isinstance(validated, FILED_BY_THEIR_OWN_FIELDS):
            belongs = partition_of(validated)
            if partition != belongs:  # readers of its day or month would never find it there
                raise Refused("misfiled", id=validated.id, file=belongs or model.table, given=partition)
        if partition is None and in_live_files(model):
            self._put_live(validated)
        else:
            self._open(model, partition if partition is not None else partition_of(validated)).put(validated)
        return validated

    def delete(self, model: type[Record], record_id: str, partition: str | None = None) -> None:
        if partition is None and in_live_files(model):
            partition = self._locate(model, record_id)
            if partition is None:
                raise RecordNotFound(model, record_id)
        opened = self._open(model, partition)
        if record_id not in opened.records:
            raise RecordNotFound(model, record_id)
        opened.delete(record_id)

    def archive_closed_petitions(self) -> int:
        """Move cases closed more than ARCHIVE_AFTER ago to their month's archive (archive_partition).

        Both files change in this one transaction, so a case is never lost and never in both
        (a duplicate left by an older duty-room is reconciled here, or by ``check --repair``).
        """
        cutoff = self.now - ARCHIVE_AFTER
        old = [
            (day, p)
            for day in self._due_for_archive(cutoff)
            for p in self.all(Petition, day)
            if p.closed_at is not None and p.closed_at < cutoff
        ]
        for _day, petition in old:
            self._open(Petition, archive_partition(petition)).put(petition)
        for day, petition in old:
            self._open(Petition, day).delete(petition.id)
        return len(old)

    def _due_for_archive(self, cutoff: datetime) -> list[str]:
        """The day files that may hold a case closed before ``cutoff``: those this transaction has
        open (their cases are at hand), and those whose earliest closing, kept in the manifest, is
        before it. No other file is read."""
        earliest: dict[str, str] = self._manifest.get("earliest_closed", {})
        due = {f.partition for f in self._files.values() if f.model is Petition and is_live(Petition, f.partition)}
        folder = f"{Petition.table}/"
        for name, closed in earliest.items():
            if datetime.fromisoformat(closed) < cutoff:  # first: few are due (one entry a live file)
                day = name.removeprefix(folder).removesuffix(".json")
                if name.startswith(folder) and is_live(Petition, day):
                    due.add(day)
        return sorted(p for p in due if p is not None)

    def _refuse_taken_addresses(self) -> None:
        """One household an address: a household this transaction added, or gave another address
        (another grid, building, unit or room: ``Household.address_key``), is refused where another
        household holds that address when it would commit; every write that adds or changes a
        household (an import, a move, the demo, a repair) passes here. Its grid's file holds every
        household of that grid, so only the files this transaction changed are looked at. A
        household that keeps its address is not refused, nor are two that shared one before:
        ``check`` reports those, and any other change to them is still saved."""
        opened = [f for f in self._files.values() if f.model is Household]
        changed = [f for f in opened if f.dirty and f.partition is not None and f.touched]
        if not changed:
            return
        touched = set().union(*(f.touched for f in changed))
        before: dict[str, list[Record]] = {}  # each household touched, as the files held it when read
        for opened_file in opened:
            original = opened_file.original
            found = (i for i in touched if i in original) if len(touched) < len(original) else original
            for record_id in found:
                if record_id in touched:
                    before.setdefault(record_id, []).append(original[record_id])
        for grid_file in changed:
            claims: dict[str, tuple[str, str, str, str]] = {}
            for record_id in grid_file.touched:
                record = cast(Household | None, grid_file.records.get(record_id))
                if record is None:  # put, then moved on or deleted
                    continue
                if record.claims_address(cast(list[Household], before.get(record_id, []))):
                    claims[record_id] = record.address_key()
            if not claims:
                continue
            rooms = {key[3] for key in claims.values()}
            holders: dict[tuple[str, str, str, str], list[str]] = {}
            for record in cast(list[Household], list(grid_file.records.values())):
                if record.id in claims:
                    holders.setdefault(claims[record.id], []).append(record.id)
                elif place_key(record.room) in rooms:  # a look at one field first: a grid has hundreds
                    holders.setdefault(record.address_key(), []).append(record.id)
            for record_id, key in sorted(claims.items(), reverse=True):  # two new ones: the later id names the first
                others = [other for other in holders.get(key, []) if other != record_id]
                if others:  # named: a household that held it before this transaction, if any
                    holder = min(others, key=lambda other: (other in claims, other))
                    held = cast(Household, grid_file.records[holder])  # the address as its household has it
                    raise Refused(
                        "address_taken",
                        grid=self._grid_name(held.grid_id),
                        address=held.address,
                        head=mask_name(held.head_name),
                        id=holder,
                    )

    def _refuse_taken_spots(self) -> None:
        """One stall a number in its market (``Stall.spot_key``): a stall this transaction added, or
        moved to another market or number, is refused where another stall holds that spot when it
        would commit (an import, a repair; the dashboard changes no number). Two that shared a spot
        before the rule keep it: ``check`` reports them."""
        for stall_file in (f for f in self._files.values() if f.model is Stall and f.dirty and f.touched):
            claims: dict[str, tuple[str, str, int]] = {}
            for record_id in stall_file.touched:
                stall = cast(Stall | None, stall_file.records.get(record_id))
                was = cast(Stall | None, stall_file.original.get(record_id))
                if stall is not None and (was is None or was.spot_key() != stall.spot_key()):
                    claims[record_id] = stall.spot_key()
            if not claims:
                continue
            holders: dict[tuple[str, str, int], list[str]] = {}
            for stall in cast(list[Stall], list(stall_file.records.values())):
                holders.setdefault(stall.spot_key(), []).append(stall.id)
            for record_id, key in sorted(claims.items(), reverse=True):  # two new ones: the later id names the first
                others = [other for other in holders[key] if other != record_id]
                if others:  # named: a stall that held it before this transaction, if any
                    holder = min(others, key=lambda other: (other in claims, other))
                    raise Refused("spot_taken", market=key[1], number=key[2], id=holder)

    def _grid_name(self, grid_id: str) -> str:
        """A grid as the dashboard names it: its community's name and its own (东城花园社区 1号楼1单元;
        grid names repeat from one community to the next), or its id if it is not found."""
        try:
            grid = self.get(Grid, grid_id)
        except RecordNotFound:
            return grid_id
        try:
            return f"{self.get(Community, grid.community_id).name} {grid.name}"
        except RecordNotFound:
            return grid.name

    def commit(self) -> None:
        if self._overtaken:  # the step is legal on the record as it is now, but the form did not show it
            raise Refused("changed_meanwhile")
        self._refuse_taken_addresses()
        self._refuse_taken_spots()
        # In the order last changed (not first opened): a record moved by put-then-delete reaches
        # its new file (an archive) before it leaves the old one. All files go in one journaled
        # step (Store._apply), the manifest last: all of them are replaced, or none.
        dirty = sorted((f for f in self._files.values() if f.dirty), key=lambda f: f.last_change)
        if not dirty and not self._counters:
            return
        manifest = self._manifest
        files = dict(manifest.get("files", {}))
        earliest: dict[str, str] = dict(manifest.get("earliest_closed", {}))
        writes: list[tuple[Path, bytes | None]] = []
        generations: dict[Path, int] = {}
        removed: list[Path] = []
        for opened in dirty:
            name = self.store.relative(opened.path)
            if opened.removable and not opened.records:  # a day's last case archived: the file goes
                files.pop(name, None)
                earliest.pop(name, None)
                if opened.path.exists():
                    writes.append((opened.path, None))
                    removed.append(opened.path)
                continue
            generation = int(opened.meta.get("generation", 0)) + 1
            payload = opened.payload(generation)
            writes.append((opened.path, payload))
            generations[opened.path] = generation
            files[name] = generation
            if opened.model is Petition and is_live(opened.model, opened.partition):  # the archive index
                closings = [
                    r.closed_at for r in cast(list[Petition], list(opened.records.values())) if r.closed_at is not None
                ]
                if closings:
                    earliest[name] = min(closings).isoformat()
                else:
                    earliest.pop(name, None)
        store_generation = int(manifest.get("generation", 0)) + 1
        document: dict[str, Any] = {
            "schema": SCHEMA_VERSION,
            "generation": store_generation,
            "files": files,
            "updated_at": self.now.isoformat(),
            "updated_by": self.store.actor,
        }
        counters = _recent_counters({**manifest.get("counters", {}), **self._counters})
        if counters:
            document["counters"] = counters
        if earliest:
            document["earliest_closed"] = dict(sorted(earliest.items()))
        writes.append((self.store.root / MANIFEST, _dumps(document)))
        self.store._apply(writes, store_generation)
        for path in removed:
            self.store._cache.pop(path, None)
        for opened in dirty:
            if opened.path not in generations:
                continue
            generation = generations[opened.path]
            signature = Signature.of(opened.path)
            if signature is not None:
                # Under the lock the new file is exactly what we validated: remember it as such.
                self.store._cache[opened.path] = _Cached(
                    signature, generation, list(opened.records.values()), opened.known_after()
                )


COUNTERS_KEPT = 7  # a day's case counter is needed only that day; a week is kept for clock slips


def _recent_counters(counters: dict[str, int]) -> dict[str, int]:
    """Keep the manifest small: the counters of the last few keys (keys sort by day)."""
    return {key: counters[key] for key in sorted(counters)[-COUNTERS_KEPT:]}


# ---------------------------------------------------------------------------
# duty-room check: a real fsck, streaming file by file (memory does not grow with history)


class Finding(NamedTuple):
    """One problem ``check`` found. ``kind`` names its words in the catalogue (``check.<kind>``)."""

    kind: str
    path: str
    detail: str = ""  # an id, a count; for words (what is wrong in a damaged file): their English
    error: bool = True
    other: str | None = None  # for a duplicate: the file that holds the first copy
    words: Detail | None = None  # ``detail`` in the reader's language
    address: str = ""  # for two households at one address: the address; two stalls on one spot: the spot

    @classmethod
    def saying(cls, kind: str, path: str, words: Detail) -> Finding:
        return cls(kind, path, str(words), words=words)

    def said(self) -> Detail:
        """The finding as one line, said when it is shown (``check``; a backup that fails it)."""
        detail = self.words or self.detail
        params = {"path": self.path, "detail": detail, "other": self.other or "", "address": self.address}
        return Detail(f"check.{self.kind}", params)

    def message(self, lang: Lang = "zh") -> str:
        return self.said().say(lang)


@valueclass
@dataclass(eq=False, repr=False)
class CheckReport:
    root: Path
    files: int = 0
    records: int = 0
    generation: int | None = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.error]

    @property
    def ok(self) -> bool:
        return not self.errors


def _tables() -> dict[str, type[Record]]:
    from .models import ALL_MODELS

    return {model.table: model for model in ALL_MODELS}


def _file_of(name: str) -> tuple[type[Record], str | None] | None:
    """The table and partition a store file's name (relative to the store) holds, or None."""
    folder, _, file = name.rpartition("/")
    if not file.endswith(".json") or file.startswith(".") or "/" in folder:
        return None
    model = _tables().get(folder or file.removesuffix(".json"))
    if model is None:
        return None
    return model, (file.removesuffix(".json") if folder else None)


def accept_missing(store: Store, names: Collection[str]) -> list[Detail]:
    """Accept the loss of listed files deleted by hand (see ``Transaction.accept_missing``), all in
    one transaction with an audit entry each naming who accepted it; said one line each. A name may
    be given relative to the store or as the path a refusal named."""
    done: list[Detail] = []
    wanted = []
    for given in names:
        path = Path(given)
        if path.is_absolute():
            try:
                given = path.relative_to(store.root).as_posix()
            except ValueError:
                given = str(given)
        wanted.append(str(given).removeprefix("./"))
    with store.transaction() as tx:
        anew = {name: tx.accept_missing(name) for name in dict.fromkeys(wanted)}
        for name, written in anew.items():  # after them all: the audit month's file may be among them
            tx.put(
                AuditEntry(
                    id=f"lost-{tx.now:%Y%m%d%H%M%S}-{os.getpid()}-{secrets.token_hex(6)}",
                    at=tx.now,
                    actor=store.actor,
                    action="accept_missing",
                    subject=f"file:{name}",
                    allowed=True,
                )
            )
            key = "repair.accepted_empty" if written else "repair.accepted_unlisted"
            done.append(Detail(key, {"path": name, "actor": store.actor}))
    return done


def _stream_records(path: Path) -> Iterator[tuple[str, Any]]:
    """(doc id, record) pairs of a file's records table, one at a time (ijson, C backend)."""
    import ijson

    with path.open("rb") as handle:
        yield from ijson.kvitems(handle, RECORDS, use_float=True)


def _stream_meta(path: Path) -> list[Any]:
    import ijson

    with path.open("rb") as handle:
        return [value for _, value in ijson.kvitems(handle, META, use_float=True)]


class _FileChecker:
    """Validates one data file record by record, keeping only ids."""

    def __init__(self, report: CheckReport, root: Path):
        self.report = report
        self.root = root
        self.ids_by_table: dict[str, dict[str, str]] = {}  # table -> id -> file it was first seen in
        self.earliest_closed: dict[str, datetime] = {}  # the manifest's archive index
        self.capped = True  # False: a store written before the cap, which keeps a busy day in one file

    def check(self, path: Path, model: type[Record], listed: int | None, *, compare: bool) -> None:
        import ijson

        name = path.relative_to(self.root).as_posix()
        report = self.report
        report.files += 1
        seen_in_table = self.ids_by_table.setdefault(model.table, {})
        seen_here: set[str] = set()
        live = path.stem if path.parent.name == model.table and is_live(model, path.stem) else None
        day = live if model is Petition else None
        first_closed: datetime | None = None
        # One household an address: a grid's households are all in its file, so the addresses
        # are kept for one file at a time (the check keeps no table's records).
        addresses: dict[tuple[str, str, str, str], str] = {}
        spots: dict[tuple[str, str, int], str] = {}  # one stall a number in its market: stalls.json
        try:
            count = 0
            for doc_id, doc in _stream_records(path):
                count += 1
                try:
                    record = model.model_validate(doc)
                except ValidationError as exc:
                    record_id = doc.get("id", doc_id) if isinstance(doc, dict) else doc_id
                    said = record_damage(exc.errors()[0], str(record_id))
                    report.findings.append(Finding.saying("damaged", name, said))
                    continue
                if record.id in seen_here:
                    report.findings.append(Finding("duplicate", name, record.id))
                elif record.id in seen_in_table:
                    report.findings.append(Finding("duplicate_across", name, record.id, other=seen_in_table[record.id]))
                else:
                    seen_in_table[record.id] = name
                seen_here.add(record.id)
                if isinstance(record, Petition):
                    times = [event.at for event in record.history]
                    if times != sorted(times):
                        report.findings.append(Finding("order", name, record.id))
                    if day is not None:  # a day file of live cases: each in its day, the closed ones indexed
                        named = live_partition(record)
                        if named != day and (self.capped or first_file_of_day(named) != day):
                            report.findings.append(
                                Finding("misplaced", name, record.id, other=f"{model.table}/{named}.json")
                            )
                        if record.closed_at is not None and (first_closed is None or record.closed_at < first_closed):
                            first_closed = record.closed_at
                elif isinstance(record, Household):
                    if live is not None and record.grid_id != live:
                        report.findings.append(
                            Finding(
                                "misplaced_household", name, record.id, other=f"{model.table}/{record.grid_id}.json"
                            )
                        )
                    holder = addresses.setdefault(record.address_key(), record.id)
                    if holder != record.id:  # written before the store refused it: said, kept, the store opens
                        report.findings.append(
                            Finding(
                                "household_address", name, record.id, error=False, other=holder, address=record.address
                            )
                        )
                elif isinstance(record, Stall):
                    holder = spots.setdefault(record.spot_key(), record.id)
                    if holder != record.id:  # written before the store refused it: said, kept
                        spot = f"{record.market} {record.number}"
                        report.findings.append(
                            Finding("stall_spot", name, record.id, error=False, other=holder, address=spot)
                        )
            report.records += count
            metas = _stream_meta(path)
        except (ijson.JSONError, ijson.IncompleteJSONError, ValueError):
            try:
                said = _json_damage_of(path)
            except OSError as unreadable:
                said = environment_error(unreadable, path).cause_detail()
            report.findings.append(Finding.saying("damaged", name, said))
            return
        except OSError as exc:
            report.findings.append(Finding.saying("environment", name, environment_error(exc, path).cause_detail()))
            return
        generation = 0
        if metas:
            try:
                meta = _FileMetaModel.model_validate(metas[0])
            except ValidationError as exc:
                report.findings.append(
                    Finding.saying("damaged", name, field_damage("damage.meta_field", exc.errors()[0]))
                )
                return
            if meta.schema_version > SCHEMA_VERSION:
                report.findings.append(Finding("schema", name, str(meta.schema_version)))
            generation = meta.generation
        if not compare:
            return
        indexed = self.earliest_closed.get(name)
        if first_closed is not None and (indexed is None or indexed > first_closed):
            report.findings.append(Finding("archive_index", name, first_closed.isoformat(), error=False))
        if listed is None:
            report.findings.append(Finding("not_listed", name))
        elif listed != generation:
            report.findings.append(Finding("generation", name, f"{generation} ≠ {listed}"))


def check_store(root: Path | str) -> CheckReport:
    """Check a store folder without changing it: every file parsed and validated, one at a time.

    Finds: a missing folder or one that is not a store; a missing or damaged manifest (schema,
    types); damaged files and records; duplicate ids within a file and across a table's files
    (active and archive, households in two grids' files); a case or a household in another live
    file than its own; two households at one address, two stalls on one market number (warnings); petition histories out of time order; an interrupted transaction's
    journal and temp files; files the manifest does not list (or lists but are missing); a folder
    or lock the group cannot write in a group-shared store.
    """
    root = Path(root)
    report = CheckReport(root)
    findings = report.findings
    assert findings is not None
    if not root.is_dir():
        why = "missing" if not root.exists() else "foreign"
        findings.append(Finding(f"not_store.{why}", str(root)))
        return report
    tables = _tables()
    manifest_path = root / MANIFEST
    listed: dict[str, int] = {}
    earliest: dict[str, datetime] = {}
    schema = SCHEMA_VERSION
    manifest_ok = False
    try:
        manifest = _parse_manifest(manifest_path, manifest_path.read_bytes())
        listed = manifest["files"]
        earliest = {rel: datetime.fromisoformat(at) for rel, at in manifest.get("earliest_closed", {}).items()}
        report.generation = manifest.get("generation", 0)
        schema = int(manifest.get("schema", 0))
        manifest_ok = True
    except FileNotFoundError:
        pass
    except StoreCorruptError as exc:
        findings.append(Finding.saying("damaged", MANIFEST, exc.detail))
    except StoreSchemaError as exc:
        findings.append(Finding("schema", MANIFEST, str(exc.schema)))
    except OSError as exc:
        findings.append(Finding.saying("environment", MANIFEST, environment_error(exc, manifest_path).cause_detail()))

    checker = _FileChecker(report, root)
    checker.earliest_closed = earliest
    checker.capped = schema >= CAPPED_SCHEMA
    shared = bool(root.stat().st_mode & stat.S_IWGRP)
    data_files = 0
    for folder, dirs, names in os.walk(root):
        here = Path(folder)
        relative = here.relative_to(root).as_posix()
        dirs.sort()
        if shared and not os.stat(here).st_mode & stat.S_IWGRP:
            findings.append(Finding("group_write", relative or ".", error=False))
        for name in sorted(dirs):
            if relative == "." and (name.endswith(".json") or name in (LOCK, JOURNAL)):
                findings.append(Finding("not_a_file", name))
        for name in sorted(names):
            path = here / name
            rel = path.relative_to(root).as_posix()
            if name == LOCK and relative == ".":
                if path.is_dir() or not path.is_file():
                    findings.append(Finding("not_a_file", rel))
                elif shared and not path.stat().st_mode & stat.S_IWGRP:
                    findings.append(Finding("group_write", rel, error=False))
                continue
            if name == JOURNAL and relative == ".":
                findings.append(Finding("journal", rel))
                continue
            if name.startswith(".") and (TEMP_MARK in name or OLD_MARK in name):  # (a grid may be "B.old-2")
                findings.append(Finding("leftover", rel, error=False))
                continue
            if rel == MANIFEST:
                continue
            model = None
            if relative == "." and name.endswith(".json"):
                model = tables.get(name[: -len(".json")])
            elif "/" not in relative and relative in tables and name.endswith(".json") and not name.startswith("."):
                model = tables[relative]
            if relative == "." and name in tables:
                findings.append(Finding("not_a_folder", rel))
                continue
            if model is None:
                findings.append(Finding("foreign", rel, error=False))
                continue
            if not os.access(path, os.R_OK):
                refused = PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
                findings.append(Finding.saying("environment", rel, environment_error(refused).cause_detail()))
                continue
            if not path.is_file():
                findings.append(Finding("not_a_file", rel))
                continue
            data_files += 1
            checker.check(path, model, listed.get(rel), compare=manifest_ok)
        if relative != ".":
            dirs[:] = []  # a store is two levels deep: tables and their partitions
        else:
            dirs[:] = [d for d in dirs if not d.startswith(".") and d in tables]
            for extra in sorted(set(os.listdir(root)) - set(names)):
                if extra not in tables and not extra.startswith("."):
                    findings.append(Finding("foreign", extra, error=False))
    if not manifest_path.exists():
        if data_files:
            findings.insert(0, Finding("no_manifest", MANIFEST))
        else:
            findings.insert(0, Finding("not_store.foreign", str(root)))
    for rel in listed:
        if not (root / rel).exists():
            findings.append(Finding("missing_listed", rel))
    return report


def repair_store(store: Store) -> list[Detail]:
    """The safe repairs only, each said in one line: finish or undo an interrupted transaction,
    remove leftover temp files, drop from its day file a live case that is also archived, when
    both copies are the same (an archive move interrupted by an older duty-room), and keep a
    household found in two grids' files, or in another grid's file, once, in its own grid's file,
    when every copy is the same (copies that differ are left, and said); write a file that keeps
    no figures of its records (a payments file, a day file of cases) again, with them (``_keep_figures``)."""
    store._recovered = False  # look for leftover temp files even if this process did already
    with store.lock():
        done = list(store.last_recovery)
    report = check_store(store.root)
    done += _repair_households(store, report.findings)
    done += _keep_figures(store, report.findings)
    table = Petition.table
    moved = [
        f
        for f in report.findings
        if f.kind == "duplicate_across"
        and f.path.startswith(f"{table}/")
        and not is_live(Petition, Path(f.path).stem)
        and f.other is not None
        and (f.other == f"{table}.json" or (f.other.startswith(f"{table}/") and is_live(Petition, Path(f.other).stem)))
    ]
    if not moved:
        return done
    with store.transaction() as tx:  # a store not yet in day files is split first: the case is in its day file
        for finding in moved:
            archived = next((p for p in tx.all(Petition, Path(finding.path).stem) if p.id == finding.detail), None)
            day = tx._locate(Petition, finding.detail)
            active = None if day is None else tx.get(Petition, finding.detail, day)
            if archived is None or active is None:
                continue
            where = store.relative(store.path_for(Petition, day))
            if archived == active:
                tx.delete(Petition, finding.detail, day)
                done.append(Detail("repair.dropped", {"id": finding.detail, "path": where, "archive": finding.path}))
            else:
                done.append(Detail("repair.left_case", {"id": finding.detail, "path": where, "archive": finding.path}))
    return done


def _keep_figures(store: Store, findings: list[Finding]) -> list[Detail]:
    """A file that keeps figures of its records (``keeps_figures``: the payments, the cases' day
    files) written without them (before files kept them, or by an older duty-room) is written again
    with them, its records as they are: `summary` then reads them instead of validating every
    payment of every year (a past year's file is seldom written again) and every open case. A
    damaged one is left."""
    damaged = {finding.path for finding in findings if finding.error}
    reader = Store(store.root, read_once=True)
    stale: list[tuple[type[Record], str | None]] = []
    for model in _tables().values():
        for partition in (None, *store.partitions(model)):
            path = store.path_for(model, partition)
            if (
                keeps_figures(model, partition)
                and path.exists()
                and store.relative(path) not in damaged
                and reader.figures(model, partition) is None
            ):
                stale.append((model, partition))
    if not stale:
        return []
    with store.transaction() as tx:
        for model, partition in stale:
            tx._open(model, partition)._changed()
    return [
        Detail(f"repair.figures.{found[0].table}", {"path": store.relative(store.path_for(*found))}) for found in stale
    ]


def _listed(names: list[str], lang: Lang) -> str:
    return i18n.t("punct.list", lang).join(names)


def _repair_households(store: Store, findings: list[Finding]) -> list[Detail]:
    """A household in two grids' files, or in a grid's file that is not its grid's: kept once, in
    its grid's file, when every copy is the same (as a move that lost its second half would leave it)."""
    table = Household.table
    wanted = sorted(
        {
            f.detail
            for f in findings
            if f.kind in ("duplicate_across", "misplaced_household") and f.path.startswith(f"{table}/")
        }
    )
    if not wanted:
        return []
    said: list[Detail] = []
    with store.transaction() as tx:
        for household_id in wanted:
            holders = [p for p in tx._live_partitions(Household) if household_id in tx._ids(Household, p)]
            copies = [tx.get(Household, household_id, p) for p in holders]
            names = [f"{table}/{p}.json" for p in holders]
            files = functools.partial(_listed, names)
            if not copies:
                continue
            if any(copy != copies[0] for copy in copies[1:]):
                said.append(Detail("repair.left_household", {"id": household_id, "files": files}))
                continue
            home = copies[0].grid_id
            for partition in holders:
                if partition != home:
                    tx.delete(Household, household_id, partition)
            if home not in holders:
                tx.put(copies[0])  # as it is, into its grid's file
            said.append(Detail("repair.kept", {"id": household_id, "path": f"{table}/{home}.json", "files": files}))
    return said


# ---------------------------------------------------------------------------
# Backup and restore: a consistent copy taken under the lock, verified after writing


class CopyReport(NamedTuple):
    source: Path
    target: Path
    files: int
    bytes: int
    generation: int


def _store_files(root: Path) -> list[Path]:
    """The files that make up a store (data files and the manifest), relative to ``root``."""
    tables = _tables()
    found = []
    for name in sorted(os.listdir(root)):
        path = root / name
        if name.endswith(".json") and (name == MANIFEST or name[: -len(".json")] in tables) and path.is_file():
            found.append(Path(name))
        elif name in tables and path.is_dir():
            found.extend(
                Path(name) / inner
                for inner in sorted(os.listdir(path))
                if inner.endswith(".json") and not inner.startswith(".")
            )
    return found


def _require_empty(target: Path) -> None:
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise TargetNotEmptyError(target)


_CHUNK = 1 << 20


def _sha256_of(path: Path) -> bytes:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.digest()


@dataclass(eq=False, repr=False)  # never compared or shown: fewer methods to compile
class _Copied:
    relative: Path
    temp: Path
    digest: bytes
    size: int


def _copy_in(source: Path, target: Path) -> list[_Copied]:
    """Stream every store file of ``source`` into temp files under ``target`` (no fsync yet)."""
    tag = f"{os.getpid()}-{secrets.token_hex(4)}"
    copied: list[_Copied] = []
    try:
        for relative in _store_files(source):
            destination = target / relative
            _makedirs(destination.parent)
            temp = _temp_name(destination, tag)
            digest, size = hashlib.sha256(), 0
            fd = SYSCALLS.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            copied.append(_Copied(relative, temp, b"", 0))
            try:
                os.fchmod(fd, file_mode(destination.parent))  # the copy's own folder decides, as for any write
                with (source / relative).open("rb") as handle:
                    while chunk := handle.read(_CHUNK):
                        digest.update(chunk)
                        view = memoryview(chunk)
                        while view:
                            view = view[SYSCALLS.write(fd, view) :]
                        size += len(chunk)
            except OSError as exc:
                raise _named(exc, destination) from None
            finally:
                SYSCALLS.close(fd)
            copied[-1].digest, copied[-1].size = digest.digest(), size
    except BaseException:
        _discard(copied)
        raise
    return copied


def _discard(copied: list[_Copied]) -> None:
    for item in copied:
        with contextlib.suppress(OSError):
            _unlink_quietly(item.temp)


def _copy_out(copied: list[_Copied], target: Path) -> None:
    """Make the copy durable and put it in place, the manifest last (a copy cut short has no
    manifest, so it is never taken for a store), then re-read it and compare digests."""
    ordered = sorted(copied, key=lambda item: item.relative.as_posix() == MANIFEST)
    try:
        for item in ordered:
            fd = SYSCALLS.open(item.temp, os.O_RDONLY)
            try:
                SYSCALLS.fsync(fd)
            except OSError as exc:
                raise _named(exc, target / item.relative) from None
            finally:
                SYSCALLS.close(fd)
        for folder in dict.fromkeys((target / item.relative).parent for item in ordered):
            _fsync_dir(folder)
        for item in ordered:
            SYSCALLS.rename(item.temp, target / item.relative)
            if item.relative.as_posix() == MANIFEST:
                for folder in dict.fromkeys((target / i.relative).parent for i in ordered):
                    _fsync_dir(folder)
    except BaseException:
        _discard(ordered)
        raise
    for item in ordered:
        if _sha256_of(target / item.relative) != item.digest:
            raise StoreCorruptError(target / item.relative, Detail("damage.copy_differs"))


def _verified(target: Path, *, taken_from: Path | None = None) -> CheckReport:
    """The copy at ``target`` checked like a store. ``taken_from``: the store a backup was taken from,
    whose files the copy's are byte for byte (digests compared): a finding is that store's, named so."""
    report = check_store(target)
    if not report.ok:
        first = report.errors[0]
        if taken_from is not None:
            raise StoreCorruptError(taken_from, Detail("damage.store_check", {"finding": first.said()}))
        raise StoreCorruptError(target, Detail("damage.copy_check", {"finding": first.said()}))
    return report


def store_size(root: Path) -> int:
    """The bytes a copy of the store at ``root`` takes (its data files and manifest)."""
    return sum((root / relative).stat().st_size for relative in _store_files(root))


def free_bytes(path: Path) -> int:
    """The bytes an unprivileged account may still write on the filesystem ``path`` (or the
    nearest folder above it that exists) is on."""
    for folder in (path, *path.parents):
        if folder.is_dir():
            found = os.statvfs(folder)
            return found.f_bavail * found.f_frsize
    return 0


def manifest_digest(root: Path) -> str | None:
    """The sha256 of a store's (a backup's) manifest, None when it has none (a link is not read)."""
    try:
        fd = os.open(root / MANIFEST, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def backup_store(store: Store, target: Path | str, *, keep_free: int = 0) -> CopyReport:
    """Copy the store into ``target`` (missing or empty) while officers keep working.

    The files are read under the lock, so the copy is one generation of the store, never a mix;
    writers wait only for the streaming copy (the copy's fsyncs come after the lock is released).
    The copy is then put in place, re-read, compared by sha256 and checked like a store.

    ``keep_free``: refused (BackupSpaceError, nothing made) unless that many bytes would still be
    free on the target's disk after the copy. A copy that fails half-way (a full disk, a check
    that fails) is removed again: what it made, never what was there (``target`` left empty).
    """
    target = Path(target)
    made: list[Path] = []
    try:
        if not (store.root / MANIFEST).exists():
            raise StoreMissingError(store.root, "missing" if not store.root.exists() else "foreign")
        _require_empty(target)
        if keep_free:
            size, free = store_size(store.root), free_bytes(target)
            if free - size < keep_free:
                raise BackupSpaceError(target, size=size, free=free, keep=keep_free)
        made = _makedirs(target)
        try:
            with store.lock():
                generation = store.generation()
                copied = _copy_in(store.root, target)
            _copy_out(copied, target)
            _verified(target, taken_from=store.root)
        except BaseException:
            _unmake(target, made)
            raise
    except OSError as exc:
        raise environment_error(exc, target) from None
    return CopyReport(store.root, target, len(copied), sum(c.size for c in copied), generation)


def _unmake(target: Path, made: list[Path], parts: Collection[str] | None = None) -> None:
    """Remove a failed copy: the folders made for it (the outermost, with all below), or, when
    ``target`` was there already (empty, as required), everything put in it (``parts``: only the
    entries of those names, what the copy itself puts in)."""
    import shutil  # here: a failed copy alone needs it (with bz2 and lzma, ~7 M instructions of each start)

    with contextlib.suppress(OSError):
        if made:
            shutil.rmtree(made[0])
        else:
            for inner in list(target.iterdir()):
                if parts is not None and inner.name not in parts:
                    continue
                if inner.is_dir() and not inner.is_symlink():
                    shutil.rmtree(inner)
                else:
                    inner.unlink()


def restore_store(source: Path | str, target: Path | str) -> CopyReport:
    """Copy a backup (or any store that passes check) into ``target``, which must be missing or empty.

    A restore that fails half-way (a full disk, a copy that does not verify) removes what it made
    (as ``backup_store``): the folders it made for ``target``, or, in a folder that was there
    (empty), the store's own files and folders it put in, by name; nothing else in it is touched.
    """
    source, target = Path(source), Path(target)
    try:
        _require_empty(target)
        report = check_store(source)
        if not report.ok:
            first = report.errors[0]
            if first.kind.startswith("not_store"):
                raise StoreMissingError(source, first.kind.split(".", 1)[1])
            raise StoreCorruptError(source, Detail("damage.backup_check", {"finding": first.said()}))
        parts = sorted({relative.parts[0] for relative in _store_files(source)})  # what the copy puts in
        made = _makedirs(target)
        try:
            copied = _copy_in(source, target)
            _copy_out(copied, target)
            _verified(target)
        except BaseException:
            _unmake(target, made, parts)
            raise
    except OSError as exc:
        raise environment_error(exc, target) from None
    return CopyReport(source, target, len(copied), sum(c.size for c in copied), report.generation or 0)


def real_data_signs(store: Store, demo_cases: int) -> list[str]:
    """Why a store looks like real work rather than a demo: audit logs of reveals, or more cases
    than the demo builds (counted file by file, streaming). Empty when it looks like a demo."""
    signs = []
    try:
        audits = [store.path_for(AuditEntry)] if store.path_for(AuditEntry).exists() else []
        audits += [store.path_for(AuditEntry, p) for p in store.partitions(AuditEntry)]
        if audits:
            signs.append(f"audit logs ({', '.join(store.relative(p) for p in audits[:3])})")
        cases = 0
        for partition in [None, *store.partitions(Petition)]:
            path = store.path_for(Petition, partition)
            if path.exists():
                cases += sum(1 for _ in _stream_records(path))
    except (OSError, ValueError) as exc:  # an unreadable or damaged store is not taken for a demo
        return [f"unreadable ({exc})"]
    if cases > demo_cases:
        signs.append(f"{cases} cases (the demo has {demo_cases})")
    return signs


# ---------------------------------------------------------------------------
# Permissions
#
# New folders and files take their access from the folder they are made in, set explicitly after
# creation so the umask of whoever writes first does not matter:
#
# * shared-group mode (the folder is group-writable): folders 2770 (setgid: new files keep the
#   store's group), files and the lock 0660 — every member of the group can write what another
#   member created;
# * private mode (service account, or a personal store): folders 0700, files and the lock 0600.
#
# Nothing is ever readable by others.

SHARED_FOLDER_MODE = 0o2770
SHARED_FILE_MODE = 0o660
PRIVATE_FOLDER_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def is_shared(folder: Path) -> bool:
    """Shared-group mode: the folder's group may write in it."""
    return bool(folder.stat().st_mode & stat.S_IWGRP)


def file_mode(folder: Path) -> int:
    return SHARED_FILE_MODE if is_shared(folder) else PRIVATE_FILE_MODE


def permission_problems(root: Path, lang: Lang = "zh") -> list[str]:
    """Every file or folder of the store another writer would trip over, one line each (in ``lang``).

    Shared-group mode: each must belong to the store folder's group and be writable by it (folders
    also setgid). Private mode: each must belong to the store folder's owner. Both: none may be
    readable by others.
    """
    try:
        top = root.stat()
    except FileNotFoundError:
        return []
    shared = bool(top.st_mode & stat.S_IWGRP)
    group = _group_name(top.st_gid)
    owner = _account_name(top.st_uid)
    problems = []

    def say(key: str, **values: object) -> None:
        problems.append(i18n.t(f"access.{key}", lang).format(name=name, mode=stat.filemode(st.st_mode), **values))

    for path in [root, *sorted(root.rglob("*"))]:
        if path.name.startswith(".") and (TEMP_MARK in path.name or OLD_MARK in path.name):
            continue  # a killed writer's leftovers: check reports them, the next writer removes them
        st = path.lstat()
        name = "." if path == root else path.relative_to(root).as_posix()
        if stat.S_ISLNK(st.st_mode):
            say("symlink")
            continue
        folder = stat.S_ISDIR(st.st_mode)
        if st.st_mode & stat.S_IRWXO:
            say("others_enter" if folder else "others_read")
        if shared:
            needed = (stat.S_IRWXG | stat.S_ISGID) if folder else (stat.S_IRGRP | stat.S_IWGRP)
            if st.st_mode & needed != needed:
                say("group_folder" if folder else "group_file", group=group)
            if st.st_gid != top.st_gid:
                say("wrong_group", actual=_group_name(st.st_gid), group=group)
        elif st.st_uid != top.st_uid:
            say("wrong_owner", actual=_account_name(st.st_uid), owner=owner)
    return problems


def _group_name(gid: int) -> str:
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return f"gid{gid}"
