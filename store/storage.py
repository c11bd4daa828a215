"""The one storage layer: every read and write of the JSON files goes through here.

TinyDB alone is not safe for several processes (it overwrites the file in place and caches
ids and queries per process; see ../shared/notes/store-safety.md). This layer keeps TinyDB's
file format and table operations but wraps them in a protocol that held under test:

* one exclusive ``flock`` on ``.lock`` (never replaced) for the whole read-modify-write;
* under the lock every touched file is re-read and fully validated; a file that does not
  parse or validate is never overwritten (``StoreCorruptError`` names the file and record);
* each changed file is written to a temp file in the same folder, fsynced, ``os.replace``d and
  the folder fsynced, so readers (who take no lock) see the old file or the new one;
* every file carries its own generation in ``_meta``; ``manifest.json`` lists them all, so a
  dashboard learns cheaply which files another process changed;
* every record written is stamped with the OS user and the time.

Layout (one write touches only the files it changes, so its cost does not grow with history)::

    manifest.json             schema version, store generation, per-file generations
    petitions.json            open cases and recently closed ones
    petitions/archive-2025.json   closed cases, by year closed
    visits/2026-11-28.json    visits (民情日志), one file a day; visit_plans/ and services/ alike
    payments/2026.json        stall fee payments, by year
    communities.json grids.json workers.json households.json stalls.json permits.json duty.json
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import grp
import hashlib
import itertools
import os
import pwd
import secrets
import stat
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

import orjson
from pydantic import ValidationError
from tinydb import TinyDB
from tinydb.storages import MemoryStorage
from tinydb.table import Document

from . import clock
from .duty_models import DutyLogEntry, Handover, Incident
from .models import (
    AuditEntry,
    DutyShift,
    Petition,
    Record,
    ServiceSession,
    StallPayment,
    Visit,
    VisitPlan,
)

SCHEMA_VERSION = 1
RECORDS = "records"  # the TinyDB table holding a file's records
META = "_meta"  # the TinyDB table holding the file's schema and generation
MANIFEST = "manifest.json"
LOCK = ".lock"
TEMP_MARK = ".tmp-"
LOCK_TIMEOUT_SECONDS = 15.0
ARCHIVE_AFTER = timedelta(days=30)

M = TypeVar("M", bound=Record)


class StoreError(Exception):
    """Base of the errors the store reports to a person."""


class StoreCorruptError(StoreError):
    def __init__(self, path: Path, detail: str, record_id: str | None = None):
        self.path = path
        self.record_id = record_id
        where = f"{path}" + (f", record {record_id!r}" if record_id else "")
        super().__init__(f"store file is damaged: {where}: {detail}. It was not changed; restore it from a backup.")


class StoreSchemaError(StoreError):
    pass


class StoreBusyError(StoreError):
    pass


class StorePermissionError(StoreError):
    """The OS refused this account a store file: a permission problem, which `duty-room check` lists."""


class StoreReadOnlyError(StoreError):
    """A write asked of a store opened read-only (a viewer): refused before anything is touched."""

    def __init__(self, root: Path):
        super().__init__(f"read-only: {root} cannot be changed by this session (a viewer changes nothing, "
                         "and cannot reveal personal data, which writes the audit log)")


class RecordNotFound(StoreError):
    def __init__(self, model: type[Record], record_id: str):
        super().__init__(f"no {model.table} record with id {record_id!r}")
        self.record_id = record_id


def default_actor() -> str:
    """The OS account running this process (the login user under SSH).

    Taken from the password database, not from $USER, which a session can set to anything.
    """
    return _account_name(os.getuid())


def _account_name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid{uid}"


def resolve_actor(service_account: str | None, *, uid: int | None = None,
                  environ: dict[str, str] | None = None) -> tuple[str, str]:
    """Who is acting, and how we know: (account, rule).

    Run by the service account through sudo, the actor is the officer who ran sudo, from sudo's
    own record (SUDO_UID, checked against SUDO_USER). That record is trusted ONLY when this process
    is the configured service account: anyone else can put SUDO_USER in their environment. In every
    other case it is the OS account of the process, from the password database (never $USER).
    """
    uid = os.getuid() if uid is None else uid
    environ = dict(os.environ) if environ is None else environ
    running_as = _account_name(uid)
    if service_account is None or running_as != service_account:
        return running_as, "os-account"
    sudo_uid, sudo_user = environ.get("SUDO_UID", ""), environ.get("SUDO_USER", "")
    if not sudo_uid.isdigit():
        return running_as, "service-account-without-sudo"
    officer = _account_name(int(sudo_uid))
    if sudo_user and sudo_user != officer:
        raise StoreError(f"sudo's record is inconsistent (SUDO_USER={sudo_user}, SUDO_UID={sudo_uid}={officer}); refused")
    return officer, "sudo"


# ---------------------------------------------------------------------------
# Where records live


def partition_of(record: Record) -> str | None:
    """The file a record belongs in: None for the table's main file."""
    if isinstance(record, VisitPlan | Visit | ServiceSession):
        return record.day.isoformat()
    if isinstance(record, StallPayment):
        return record.period[:4]
    if isinstance(record, AuditEntry):
        return record.at.strftime("%Y-%m")
    # The duty room's records, by month; an incident stays in the main file while it is open.
    if isinstance(record, DutyShift):
        return record.day.strftime("%Y-%m")
    if isinstance(record, DutyLogEntry | Handover):
        return record.at.strftime("%Y-%m")
    if isinstance(record, Incident):
        return None if record.closed_at is None else record.closed_at.strftime("%Y-%m")
    return None


def archive_partition(petition: Petition) -> str:
    assert petition.closed_at is not None
    return f"archive-{petition.closed_at.year}"


@dataclass(frozen=True)
class Signature:
    """Cheap identity of a file on disk; a hint only (inode numbers are reused)."""

    mtime_ns: int
    size: int
    inode: int

    @classmethod
    def of(cls, path: Path) -> Signature | None:
        try:
            st = path.stat()
        except FileNotFoundError:
            return None
        return cls(st.st_mtime_ns, st.st_size, st.st_ino)


@dataclass
class _Cached:
    signature: Signature
    generation: int
    records: list[Any]
    digest: bytes  # of the bytes that were validated: the same bytes need no second validation


def _digest(payload: bytes) -> bytes:
    return hashlib.blake2b(payload, digest_size=16).digest()


def _dumps(data: Any) -> bytes:
    # orjson writes UTF-8 as is (no \u escapes) and is several times faster than json.
    return orjson.dumps(data)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _atomic_write(path: Path, payload: bytes) -> None:
    """Temp file in the same folder, fsync, replace, fsync the folder.

    An fsync error is raised, never retried: a retried fsync can report success after the
    kernel dropped the data.
    """
    make_folders(path.parent)
    tmp = path.with_name(f".{path.name}{TEMP_MARK}{os.getpid()}-{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(fd, file_mode(path.parent))  # whatever the umask: see "Permissions" below
        view = memoryview(payload)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        tmp.unlink(missing_ok=True)
        raise
    os.close(fd)
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _load_json(path: Path, payload: bytes) -> Any:
    try:
        return orjson.loads(payload)
    except orjson.JSONDecodeError as exc:
        raise StoreCorruptError(path, f"not valid JSON ({exc})") from None


def _check_schema(path: Path, schema: int) -> None:
    if schema > SCHEMA_VERSION:
        raise StoreSchemaError(
            f"{path} was written by a newer duty-room (schema {schema}, this one reads "
            f"{SCHEMA_VERSION}); upgrade duty-room"
        )


def _parse(path: Path, payload: bytes) -> dict[str, Any]:
    data = _load_json(path, payload)
    if not isinstance(data, dict) or not isinstance(data.get(RECORDS, {}), dict):
        raise StoreCorruptError(path, "not a TinyDB database with a 'records' table")
    return data


def _file_meta(path: Path, data: dict[str, Any]) -> dict[str, Any]:
    meta = next(iter(data.get(META, {}).values()), None)
    if meta is None:
        return {"schema": SCHEMA_VERSION, "generation": 0}
    if not isinstance(meta, dict) or not isinstance(meta.get("generation"), int):
        raise StoreCorruptError(path, "its _meta table is damaged")
    _check_schema(path, meta.get("schema", 0))
    return meta


def _in_memory(data: dict[str, Any]) -> TinyDB:
    db = TinyDB(storage=MemoryStorage)
    db.storage.write(data)
    return db


def _validate_all(path: Path, model: type[M], db: TinyDB) -> list[M]:
    # TinyDB is the query engine over the parsed file; every record is validated on its way out.
    records = []
    for doc in db.table(RECORDS, cache_size=0).all():
        try:
            records.append(model.model_validate(dict(doc)))
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(part) for part in first["loc"])
            raise StoreCorruptError(path, f"field {field!r}: {first['msg']}", record_id=str(doc.get("id", doc.doc_id))) from None
    return records


# ---------------------------------------------------------------------------


class Store:
    """A store folder. Cheap to create; safe to use from many processes at once."""

    def __init__(self, root: Path | str, actor: str | None = None, *, read_only: bool = False):
        self.root = Path(root)
        self.actor = actor or default_actor()
        self.read_only = read_only  # a viewer: every write (the audit of a reveal too) is refused
        self._cache: dict[Path, _Cached] = {}
        self._recovered = False

    # -- paths -------------------------------------------------------------

    def path_for(self, model: type[Record], partition: str | None = None) -> Path:
        if partition is None:
            return self.root / f"{model.table}.json"
        if "/" in partition or partition.startswith("."):
            raise ValueError(f"bad partition name {partition!r}")
        return self.root / model.table / f"{partition}.json"

    def newest_first(self, model: type[Record]) -> list[str | None]:
        """Where to look for one record: the main file, then the partitions, newest first."""
        return [None, *reversed(self.partitions(model))]

    def partitions(self, model: type[Record]) -> list[str]:
        folder = self.root / model.table
        if not folder.is_dir():
            return []
        return sorted(p.stem for p in folder.glob("*.json") if not p.name.startswith("."))

    def relative(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    # -- reading (no lock: files are only ever replaced whole) -----------

    def exists(self) -> bool:
        return (self.root / MANIFEST).exists()

    def manifest(self) -> dict[str, Any]:
        path = self.root / MANIFEST
        try:
            payload = path.read_bytes()
        except FileNotFoundError:
            return {"schema": SCHEMA_VERSION, "generation": 0, "files": {}}
        return _parse_manifest(path, payload)

    def generation(self) -> int:
        return int(self.manifest()["generation"])

    def all(self, model: type[M], partition: str | None = None) -> list[M]:
        """All records of one file, validated. The list and records are shared: do not mutate."""
        path = self.path_for(model, partition)
        signature = Signature.of(path)
        if signature is None:
            self._cache.pop(path, None)
            return []
        cached = self._cache.get(path)
        if cached is not None and cached.signature == signature:
            listed = self.manifest()["files"].get(self.relative(path))
            if listed is None or listed == cached.generation:
                return cached.records
        try:
            payload = path.read_bytes()  # after the stat: a write in between only costs a re-read
        except FileNotFoundError:
            return []
        data = _parse(path, payload)
        meta = _file_meta(path, data)
        records = self._validated(path, model, payload, _in_memory(data))
        self._cache[path] = _Cached(signature, meta["generation"], records, _digest(payload))
        return records

    def _validated(self, path: Path, model: type[M], payload: bytes, db: TinyDB) -> list[M]:
        """Validate a file's records, unless these exact bytes were validated before."""
        cached = self._cache.get(path)
        if cached is not None and cached.digest == _digest(payload):
            return cached.records
        return _validate_all(path, model, db)

    def all_partitions(self, model: type[M]) -> list[M]:
        """Every record of a partitioned table, main file first (used by reports, not the live view)."""
        records = list(self.all(model))
        for partition in self.partitions(model):
            records.extend(self.all(model, partition))
        return records

    def get(self, model: type[M], record_id: str, partition: str | None = None) -> M:
        for record in self.all(model, partition):
            if record.id == record_id:
                return record
        raise RecordNotFound(model, record_id)

    def check(self) -> list[str]:
        """Parse and validate every file; raise on the first damaged one. Returns the files read."""
        from .models import ALL_MODELS

        seen = []
        self.manifest()
        for model in ALL_MODELS:
            for partition in [None, *self.partitions(model)]:
                path = self.path_for(model, partition)
                if path.exists():
                    self.all(model, partition)
                    seen.append(self.relative(path))
        return seen

    # -- writing ---------------------------------------------------------

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        self.refuse_if_read_only()  # the lock is taken only to write
        make_folders(self.root)
        fd = open_lock_file(self.root)
        try:
            deadline = time.monotonic() + LOCK_TIMEOUT_SECONDS
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError as exc:
                    if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN):
                        raise
                    if time.monotonic() > deadline:
                        raise StoreBusyError(
                            f"the store {self.root} has been locked by another process for "
                            f"{LOCK_TIMEOUT_SECONDS:.0f} s; try again"
                        ) from None
                    time.sleep(0.005)
            try:
                if not self._recovered:
                    self._remove_orphaned_temp_files()
                    self._recovered = True
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def _remove_orphaned_temp_files(self) -> None:
        # Only writers make temp files, and only under the lock we now hold: any left are
        # from a writer that was killed mid-write.
        for tmp in self.root.rglob(f".*{TEMP_MARK}*"):
            tmp.unlink(missing_ok=True)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """Lock, re-read, change, validate, write atomically. Nothing is written on an exception."""
        self.refuse_if_read_only()
        with self.lock():
            tx = Transaction(self)
            yield tx
            tx.commit()

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
                if any(p.name != LOCK for p in self.root.iterdir()):
                    raise StoreError(
                        f"{self.root} does not look like a duty-room store (no {MANIFEST}); nothing was deleted"
                    )
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
            return [self.relative(p) for p in [*removed, manifest]]


def _parse_manifest(path: Path, payload: bytes) -> dict[str, Any]:
    data = _load_json(path, payload)
    if not isinstance(data, dict) or not isinstance(data.get("files"), dict):
        raise StoreCorruptError(path, "not a duty-room manifest")
    _check_schema(path, data.get("schema", 0))
    return data


_change_order = itertools.count()  # orders the changes in a transaction, so commit can write in that order


class _OpenFile:
    """One store file loaded under the lock into an in-memory TinyDB."""

    def __init__(self, store: Store, model: type[Record], path: Path):
        self.model = model
        self.path = path
        self.dirty = False
        self.last_change = 0
        payload = path.read_bytes() if path.exists() else b"{}"
        data = _parse(path, payload)
        self.meta = _file_meta(path, data)
        self.db = _in_memory(data)
        # Validate everything before we would overwrite it: a damaged file stays as it is.
        self.records = {r.id: r for r in store._validated(path, model, payload, self.db)}
        # A fresh table per transaction: TinyDB's per-process next-id and query cache never go stale.
        self.table = self.db.table(RECORDS, cache_size=0)
        self.doc_ids = {doc["id"]: doc.doc_id for doc in self.table.all()}
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
            self.table.upsert(Document(doc, doc_id=doc_id))
        self.records[record.id] = record
        self._changed()

    def _insert_new(self) -> None:
        if self._new:
            ids = self.table.insert_multiple(self._new.values())
            self.doc_ids.update(zip(self._new, ids, strict=True))
            self._new.clear()

    def delete(self, record_id: str) -> None:
        if self._new.pop(record_id, None) is not None:
            del self.records[record_id]
            self._changed()
            return
        doc_id = self.doc_ids.pop(record_id)
        self.table.remove(doc_ids=[doc_id])
        del self.records[record_id]
        self._changed()

    def _changed(self) -> None:
        self.dirty = True
        self.last_change = next(_change_order)

    def payload(self, generation: int) -> bytes:
        self._insert_new()
        self.meta = {"schema": SCHEMA_VERSION, "generation": generation, "table": self.model.table}
        self.db.table(META, cache_size=0).truncate()
        self.db.table(META, cache_size=0).insert(self.meta)
        return _dumps(self.db.storage.read())


class Transaction:
    """The changes made under one lock. Files are written in the order they were last changed."""

    def __init__(self, store: Store):
        self.store = store
        self.now = clock.now()
        self._files: dict[Path, _OpenFile] = {}

    def _open(self, model: type[Record], partition: str | None) -> _OpenFile:
        path = self.store.path_for(model, partition)
        opened = self._files.get(path)
        if opened is None:
            opened = self._files[path] = _OpenFile(self.store, model, path)
        return opened

    def all(self, model: type[M], partition: str | None = None) -> list[M]:
        """The file's records as this transaction sees them (its own changes included).

        A file this transaction has not changed is read through the store's validated cache:
        under the lock nobody else can change it, and opening it as a TinyDB table for a look
        would cost a parse and a table build (0.8 s for 40,000 households) on every write.
        """
        opened = self._files.get(self.store.path_for(model, partition))
        if opened is None:
            return list(self.store.all(model, partition))
        return list(opened.records.values())  # type: ignore[arg-type]

    def get(self, model: type[M], record_id: str, partition: str | None = None) -> M:
        opened = self._files.get(self.store.path_for(model, partition))
        if opened is None:
            record = next((r for r in self.store.all(model, partition) if r.id == record_id), None)
        else:
            record = opened.records.get(record_id)
        if record is None:
            raise RecordNotFound(model, record_id)
        return record  # type: ignore[return-value]

    def put(self, record: M, partition: str | None = None) -> M:
        """Insert or replace by id; the record is re-validated and stamped with actor and time."""
        model = type(record)
        data = record.model_dump(mode="json")
        data["updated_at"] = self.now.isoformat()
        data["updated_by"] = self.store.actor
        validated = model.model_validate(data)
        self._open(model, partition if partition is not None else partition_of(validated)).put(validated)
        return validated

    def delete(self, model: type[Record], record_id: str, partition: str | None = None) -> None:
        opened = self._open(model, partition)
        if record_id not in opened.records:
            raise RecordNotFound(model, record_id)
        opened.delete(record_id)

    def archive_closed_petitions(self) -> int:
        """Move cases closed more than ARCHIVE_AFTER ago to petitions/archive-YEAR.json.

        The archive is written before the active file, so a crash between the two leaves a
        duplicate (reconciled on the next run), never a loss.
        """
        cutoff = self.now - ARCHIVE_AFTER
        old = [p for p in self.all(Petition) if p.closed_at is not None and p.closed_at < cutoff]
        for petition in old:
            self._open(Petition, archive_partition(petition)).put(petition)
        for petition in old:
            self._open(Petition, None).delete(petition.id)
        return len(old)

    def commit(self) -> None:
        # In the order last changed (not first opened): a record moved by put-then-delete reaches
        # its new file (an archive) before it leaves the old one, so a crash in between leaves a
        # duplicate, never a loss.
        dirty = sorted((f for f in self._files.values() if f.dirty), key=lambda f: f.last_change)
        if not dirty:
            return
        manifest = self.store.manifest()
        files = dict(manifest.get("files", {}))
        for opened in dirty:
            generation = int(opened.meta.get("generation", 0)) + 1
            payload = opened.payload(generation)
            _atomic_write(opened.path, payload)
            files[self.store.relative(opened.path)] = generation
            signature = Signature.of(opened.path)
            assert signature is not None
            # Under the lock the new file is exactly what we validated: remember it as such.
            self.store._cache[opened.path] = _Cached(
                signature, generation, list(opened.records.values()), _digest(payload)
            )
        _atomic_write(
            self.store.root / MANIFEST,
            _dumps(
                {
                    "schema": SCHEMA_VERSION,
                    "generation": int(manifest.get("generation", 0)) + 1,
                    "files": files,
                    "updated_at": self.now.isoformat(),
                    "updated_by": self.store.actor,
                }
            ),
        )


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


def make_folders(folder: Path) -> None:
    """Create ``folder`` and any missing parents, each with the access of the folder it is made in."""
    if folder.is_dir():
        return
    make_folders(folder.parent)
    try:
        folder.mkdir()
    except FileExistsError:
        return  # another writer made it first, with the same rule
    os.chmod(folder, SHARED_FOLDER_MODE if is_shared(folder.parent) else PRIVATE_FOLDER_MODE)


def open_lock_file(root: Path) -> int:
    """Open (creating if need be) the store's ``.lock`` for flock, writable by the whole group.

    The lock is never replaced, so its mode is set by whoever creates it; it is set explicitly, or a
    lock made under umask 022 (0640) would lock every other member of the group out.
    """
    try:
        fd = os.open(root / LOCK, os.O_RDWR | os.O_CREAT, PRIVATE_FILE_MODE)
    except PermissionError:
        raise StorePermissionError(f"{root / LOCK}: this account may not write the store's lock; "
                                   "`duty-room check` lists what the group cannot write") from None
    try:
        if os.fstat(fd).st_uid == os.geteuid():
            os.fchmod(fd, file_mode(root))
    except OSError:
        os.close(fd)
        raise
    return fd


def permission_problems(root: Path) -> list[str]:
    """Every file or folder of the store another writer would trip over, one line each.

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
    for path in [root, *sorted(root.rglob("*"))]:
        st = path.lstat()
        name = "." if path == root else path.relative_to(root).as_posix()
        if stat.S_ISLNK(st.st_mode):
            problems.append(f"{name}: a symbolic link in the store")
            continue
        folder = stat.S_ISDIR(st.st_mode)
        if st.st_mode & stat.S_IRWXO:
            problems.append(f"{name}: others (not in the group) can {'enter' if folder else 'read'} it "
                            f"(mode {stat.filemode(st.st_mode)})")
        if shared:
            needed = (stat.S_IRWXG | stat.S_ISGID) if folder else (stat.S_IRGRP | stat.S_IWGRP)
            if st.st_mode & needed != needed:
                what = "write in it, or it is not setgid" if folder else "write it"
                problems.append(f"{name}: the group {group} cannot {what} (mode {stat.filemode(st.st_mode)})")
            if st.st_gid != top.st_gid:
                problems.append(f"{name}: belongs to group {_group_name(st.st_gid)}, not the store's group {group}")
        elif st.st_uid != top.st_uid:
            problems.append(f"{name}: belongs to {_account_name(st.st_uid)}, not the store's owner {owner}")
    return problems


def _group_name(gid: int) -> str:
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return f"gid{gid}"
