"""Single-process behaviour of store.storage.Store: format, stamping, generations, atomicity,
damage handling, history rules, the petition state machine, archiving and the reader cache."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest

from store import clock, lifecycle, storage
from store.clock import TZ
from store.dutylog import plan_shift, shifts_between
from store.lifecycle import IllegalTransition, change_status
from store.models import (
    Community,
    DutyShift,
    GridWorker,
    Household,
    Petition,
    PetitionEvent,
    PetitionStatus,
    RosterEvent,
    Satisfaction,
    StallPayment,
    Visit,
)
from store.refusal import Refused
from store.storage import (
    RecordNotFound,
    Store,
    StoreCorruptError,
    StoreSchemaError,
    check_store,
)

from conftest import (
    Killed,
    kill_at_manifest,
    store_bytes,
    to_legacy_layout,
    to_register_file_layout,
    to_uncapped_layout,
)

NOW = datetime(2026, 11, 28, 9, 30, tzinfo=TZ)
S = PetitionStatus


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> datetime:
    clock.freeze(NOW.isoformat())
    return NOW


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "store"


@pytest.fixture
def store(root: Path) -> Store:
    return Store(root, actor="tester")


def community(id: str = "c1", name: str = "幸福社区") -> Community:
    return Community(id=id, name=name, township="城关镇")


def petition(
    id: str = "P1",
    *,
    title: str = "楼道灯不亮",
    status: S = S.NEW,
    closed_at: datetime | None = None,
    created_at: datetime | None = None,
    history: list[PetitionEvent] | None = None,
) -> Petition:
    created = created_at or NOW - timedelta(days=1)
    return Petition(
        id=id,
        title=title,
        description="3号楼2单元楼道灯坏了一周，老人晚上下楼不方便。",
        channel="mailbox",
        category="infrastructure",
        community_id="c1",
        assignee="综合执法队",  # re-dispatch keeps the unit unless another is named
        created_at=created,
        due_at=created + timedelta(days=3),
        status=status,
        closed_at=closed_at,
        history=history or [],
    )


def event(action: str = "accept", note: str = "", at: datetime = NOW) -> PetitionEvent:
    return PetitionEvent(at=at, actor="duty", action=action, note=note)


# The day file of a case received a day before NOW (the default ``petition``): live cases are kept
# one file a day, by the day the case was received.
ACTIVE = "petitions/2026-11-27.json"


def active(store: Store) -> Path:
    return store.root / ACTIVE


def temp_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if storage.TEMP_MARK in p.name]


def raw(path: Path) -> dict[str, Any]:
    return orjson.loads(path.read_bytes())


def raw_records(path: Path) -> dict[str, dict[str, Any]]:
    return {doc["id"]: doc for doc in raw(path)[storage.RECORDS].values()}


# ---------------------------------------------------------------------------
# Round trip and file format


def test_put_get_all_round_trip(store: Store):
    assert store.all(Petition) == []
    assert not store.exists()
    saved = store.put(petition("P1"))
    store.put(petition("P2", title="井盖丢失"))
    store.put(community())
    assert store.exists()
    assert store.get(Petition, "P1") == saved
    assert store.get(Petition, "P2").title == "井盖丢失"
    assert sorted(p.id for p in store.all(Petition)) == ["P1", "P2"]
    assert store.all(Community)[0].name == "幸福社区"
    with pytest.raises(RecordNotFound):
        store.get(Petition, "nope")
    # A fresh Store (another process) reads the same thing.
    other = Store(store.root, actor="someone")
    assert other.get(Petition, "P1") == saved
    assert sorted(other.check()) == ["communities.json", ACTIVE]


def test_put_replaces_by_id(store: Store):
    store.put(petition("P1"))
    store.put(petition("P1", title="改后的标题"))
    assert [p.title for p in store.all(Petition)] == ["改后的标题"]
    assert len(raw(active(store))[storage.RECORDS]) == 1


def test_files_are_utf8_with_chinese_literal(store: Store):
    store.put(petition("P1"))
    store.put(community())
    for path in (active(store), store.path_for(Community), store.root / storage.MANIFEST):
        payload = path.read_bytes()
        payload.decode("utf-8")  # strict: raises if not UTF-8
        assert b"\\u" not in payload, path
    assert "楼道灯不亮".encode() in active(store).read_bytes()
    assert "幸福社区".encode() in store.path_for(Community).read_bytes()


def test_partitioned_records_go_to_their_file(store: Store):
    payment = StallPayment(
        id="pay1", stall_id="st1", period="2026-11", amount_fen=15000, paid_at=NOW, collector="王小红"
    )
    visit = Visit(id="v1", day=NOW.date(), at=NOW, grid_id="g1", household_id="h1", worker_id="w1", note="一切正常")
    store.put(payment)
    store.put(visit)
    assert store.path_for(StallPayment, "2026").exists()
    assert store.path_for(Visit, "2026-11-28").exists()
    assert store.all(StallPayment, "2026")[0].amount_fen == 15000
    assert store.all(Visit, "2026-11-28")[0].note == "一切正常"
    assert store.all(Visit) == []
    assert [v.id for v in store.all_partitions(Visit)] == ["v1"]


# ---------------------------------------------------------------------------
# Stamping


def test_every_write_stamps_actor_and_time(store: Store, monkeypatch: pytest.MonkeyPatch):
    given = petition("P1")
    assert given.updated_by is None
    saved = store.put(given)
    assert saved.updated_by == "tester"
    assert saved.updated_at == NOW
    on_disk = raw_records(active(store))["P1"]
    assert on_disk["updated_by"] == "tester"
    assert datetime.fromisoformat(on_disk["updated_at"]) == NOW

    # A later write by someone else restamps, even if the record claims another author.
    later = NOW + timedelta(hours=2)
    clock.freeze(later.isoformat())
    forged = saved.model_copy(update={"updated_by": "forged", "updated_at": NOW - timedelta(days=9)})
    Store(store.root, actor="night-shift").put(forged)
    again = store.get(Petition, "P1")
    assert again.updated_by == "night-shift"
    assert again.updated_at == later


def test_update_stamps_and_applies_change(store: Store):
    store.put(community())
    changed = Store(store.root, actor="editor").update(
        Community, "c1", lambda c: c.model_copy(update={"name": "和谐社区"})
    )
    assert changed.name == "和谐社区"
    assert changed.updated_by == "editor"
    assert store.get(Community, "c1").name == "和谐社区"
    assert raw_records(store.path_for(Community))["c1"]["updated_by"] == "editor"


def test_a_record_filed_by_its_date_is_refused_in_another_months_file(store: Store):
    """A script putting a duty shift for 12-02 into November's file: every reader of December (the
    值班表, the header's who is on duty, 排班's check for a day already planned) would miss it, and a
    second shift could be planned on that day. The store refuses it, in words, and writes nothing."""
    shift = plan_shift(store, datetime(2026, 11, 29).date(), leader="郭红梅", staff=["王丽娟"])
    before = store_bytes(store.root)
    moved = shift.model_copy(update={"day": datetime(2026, 12, 2).date(), "id": "duty-20261202"})
    with pytest.raises(Refused) as refused, store.transaction() as tx:
        tx.put(moved, "2026-11")
    assert refused.value.message("zh") == "记录 duty-20261202 应写在 2026-12 文件中，不能写入 2026-11（按其日期）"
    assert store_bytes(store.root) == before


def test_a_shift_cannot_move_to_another_day_under_its_id(store: Store):
    """A script giving shift duty-20261130 the day 12-01 filed it in December's file and left the
    November one: one id twice, in two months (only the 值班表 import refused it). The store refuses
    the day its id does not name, by a put or an update, and writes nothing."""
    shift = plan_shift(store, datetime(2026, 11, 30).date(), leader="郭红梅", staff=["王丽娟"])
    before = store_bytes(store.root)
    moved = shift.model_copy(update={"day": datetime(2026, 12, 1).date()})
    with pytest.raises(ValueError, match="duty-20261130: its id names another day than 2026-12-01"):
        store.put(moved)
    with pytest.raises(ValueError, match="its id names another day"):
        store.update(DutyShift, shift.id, lambda s: s.model_copy(update={"day": moved.day}), partition="2026-11")
    assert store_bytes(store.root) == before
    assert [s.id for s in shifts_between(store, datetime(2026, 11, 1).date(), datetime(2026, 12, 31).date())] == [
        "duty-20261130"
    ]


def test_default_actor_is_os_account(root: Path):
    import os
    import pwd

    assert Store(root).actor == pwd.getpwuid(os.getuid()).pw_name


# ---------------------------------------------------------------------------
# Generations


def file_generation(path: Path) -> int:
    (meta,) = raw(path)[storage.META].values()
    return meta["generation"]


def test_generation_increases_by_one_per_transaction(store: Store):
    assert store.generation() == 0
    store.put(petition("P1"))
    manifest = store.manifest()
    assert manifest["generation"] == 1
    assert manifest["files"] == {ACTIVE: 1}
    assert manifest["updated_by"] == "tester"

    store.put(community())  # touches only communities.json
    manifest = store.manifest()
    assert manifest["generation"] == 2
    assert manifest["files"] == {ACTIVE: 1, "communities.json": 1}
    assert file_generation(active(store)) == 1

    with store.transaction() as tx:  # one transaction, two files, several writes
        tx.put(petition("P2"))
        tx.put(petition("P3"))
        tx.put(community("c2", "和谐社区"))
    manifest = store.manifest()
    assert manifest["generation"] == 3
    assert manifest["files"] == {ACTIVE: 2, "communities.json": 2}
    assert file_generation(active(store)) == 2
    assert file_generation(store.path_for(Community)) == 2

    store.put(petition("P1", title="新标题"))
    manifest = store.manifest()
    assert manifest["generation"] == 4
    assert manifest["files"] == {ACTIVE: 3, "communities.json": 2}
    assert file_generation(store.path_for(Community)) == 2


def test_transaction_without_changes_writes_nothing(store: Store):
    store.put(petition("P1"))
    before = store_bytes(store.root)
    with store.transaction() as tx:
        assert len(tx.all(Petition)) == 1
        tx.get(Petition, "P1")
    assert store_bytes(store.root) == before
    assert store.generation() == 1


def test_generation_counts_across_store_instances(root: Path):
    for i in range(5):
        Store(root, actor=f"p{i}").put(petition(f"P{i}"))
    assert Store(root).generation() == 5
    assert Store(root).manifest()["files"][ACTIVE] == 5
    assert len(Store(root).all(Petition)) == 5


# ---------------------------------------------------------------------------
# Atomicity


def test_transaction_that_raises_writes_nothing(store: Store):
    store.put(petition("P1"))
    store.put(community())
    before = store_bytes(store.root)
    with pytest.raises(RuntimeError, match="boom"):
        with store.transaction() as tx:
            tx.put(petition("P2"))
            tx.put(community("c2", "和谐社区"))
            tx.delete(Petition, "P1")
            raise RuntimeError("boom")
    assert store_bytes(store.root) == before
    assert temp_files(store.root) == []
    assert [p.id for p in Store(store.root).all(Petition)] == ["P1"]


def test_invalid_record_in_transaction_writes_nothing(store: Store):
    store.put(petition("P1"))
    before = store_bytes(store.root)
    bad = petition("P2").model_copy(update={"title": "坏\x1b[2J"})  # model_copy skips validation
    with pytest.raises(ValueError, match="control character"):
        with store.transaction() as tx:
            tx.put(petition("P3"))
            tx.put(bad)
    assert store_bytes(store.root) == before


def test_failed_file_write_leaves_old_file_and_no_temp(store: Store, monkeypatch: pytest.MonkeyPatch):
    store.put(petition("P1"))
    before = store_bytes(store.root)

    def failing_fsync(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(storage.os, "fsync", failing_fsync)
    with pytest.raises(storage.StoreEnvironmentError, match=ACTIVE):  # an OSError, named and classified
        store.put(petition("P2"))
    monkeypatch.undo()
    assert store_bytes(store.root) == before
    assert temp_files(store.root) == []


# ---------------------------------------------------------------------------
# Damaged files


def test_invalid_json_refused_on_read_and_write(store: Store):
    store.put(petition("P1"))
    path = active(store)
    damaged = path.read_bytes()[:-7] + b"garbage"
    path.write_bytes(damaged)
    manifest_before = (store.root / storage.MANIFEST).read_bytes()

    with pytest.raises(StoreCorruptError) as info:
        Store(store.root).all(Petition)
    assert str(path) in str(info.value)
    assert info.value.path == path
    assert "not valid JSON" in str(info.value)

    with pytest.raises(StoreCorruptError) as info:
        store.all(Petition)  # the store that wrote it has it cached, but the file changed
    assert info.value.path == path

    for writer in (store, Store(store.root, actor="other")):
        with pytest.raises(StoreCorruptError) as info:
            writer.put(petition("P2"))
        assert info.value.path == path
        assert path.read_bytes() == damaged
    with pytest.raises(StoreCorruptError):
        store.check()
    assert (store.root / storage.MANIFEST).read_bytes() == manifest_before
    assert temp_files(store.root) == []


def test_truncated_file_refused(store: Store):
    store.put(petition("P1"))
    path = active(store)
    damaged = path.read_bytes()[: path.stat().st_size // 2]
    path.write_bytes(damaged)
    with pytest.raises(StoreCorruptError):
        Store(store.root).all(Petition)
    with pytest.raises(StoreCorruptError):
        store.put(petition("P2"))
    assert path.read_bytes() == damaged


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", ""),
        ("title", "坏\u001b[31m"),
        ("status", "lost"),
        ("due_at", "2020-01-01T00:00:00+08:00"),
        ("surprise", 1),
    ],
)
def test_invalid_record_refused_naming_file_and_record(store: Store, field: str, value: Any):
    store.put(petition("P1"))
    store.put(petition("P2-bad"))
    store.put(petition("P3"))
    path = active(store)
    data = raw(path)
    for doc in data[storage.RECORDS].values():
        if doc["id"] == "P2-bad":
            doc[field] = value
    damaged = orjson.dumps(data)
    path.write_bytes(damaged)

    for reader in (Store(store.root), Store(store.root, read_once=True)):  # (summary's store too)
        with pytest.raises(StoreCorruptError) as info:
            reader.all(Petition)
        assert info.value.record_id == "P2-bad"
        message = str(info.value)
        assert str(path) in message and "'P2-bad'" in message

    # Writing anything to that file, even to an unrelated record, is refused.
    for attempt in (lambda: store.put(petition("P4")), lambda: store.update(Petition, "P1", lambda p: p)):
        with pytest.raises(StoreCorruptError) as info:
            attempt()
        assert info.value.record_id == "P2-bad"
        assert path.read_bytes() == damaged
    # Other files are still usable.
    store.put(community())
    assert Store(store.root).get(Community, "c1").name == "幸福社区"
    assert path.read_bytes() == damaged


def test_a_store_read_once_validates_every_read_and_keeps_no_bytes(store: Store):
    """`summary`'s store (read_once) makes no record's bytes for the per-record cache; a file that
    changes is validated whole again, a damaged record in it refused as ever."""
    store.put(petition("P1"))
    store.put(petition("P2"))
    reader = Store(store.root, read_once=True)
    assert [p.id for p in reader.all(Petition)] == ["P1", "P2"]
    assert all(not cached.known for cached in reader._cache.values())
    store.update(Petition, "P1", lambda p: p.model_copy(update={"title": "改过"}))
    assert [p.title for p in reader.all(Petition)][0] == "改过"
    path = active(store)
    data = raw(path)
    for doc in data[storage.RECORDS].values():
        if doc["id"] == "P2":
            doc["status"] = "lost"
    path.write_bytes(orjson.dumps(data))
    with pytest.raises(StoreCorruptError) as info:
        reader.all(Petition)
    assert info.value.record_id == "P2"


def test_not_a_tinydb_file_refused(store: Store):
    store.put(petition("P1"))
    path = active(store)
    path.write_bytes(b"[1, 2, 3]")
    with pytest.raises(StoreCorruptError):
        Store(store.root).all(Petition)
    with pytest.raises(StoreCorruptError):
        store.put(petition("P2"))
    assert path.read_bytes() == b"[1, 2, 3]"


def test_damaged_manifest_refused_and_kept(store: Store):
    store.put(petition("P1"))
    manifest = store.root / storage.MANIFEST
    manifest.write_bytes(b"{not json")
    data_before = active(store).read_bytes()
    with pytest.raises(StoreCorruptError) as info:
        store.put(petition("P2"))
    assert info.value.path == manifest
    assert manifest.read_bytes() == b"{not json"
    assert active(store).read_bytes() == data_before


# ---------------------------------------------------------------------------
# Schema


def test_manifest_with_newer_schema_refused(store: Store):
    store.put(petition("P1"))
    manifest = store.root / storage.MANIFEST
    data = raw(manifest)
    data["schema"] = storage.SCHEMA_VERSION + 1
    manifest.write_bytes(orjson.dumps(data))
    before = store_bytes(store.root)

    reader = Store(store.root)
    with pytest.raises(StoreSchemaError, match="newer duty-room"):
        reader.manifest()
    with pytest.raises(StoreSchemaError):
        reader.check()
    with pytest.raises(StoreSchemaError):
        Store(store.root).put(petition("P2"))
    assert store_bytes(store.root) == before


def test_file_with_newer_schema_refused(store: Store):
    store.put(petition("P1"))
    path = active(store)
    data = raw(path)
    (meta,) = data[storage.META].values()
    meta["schema"] = storage.SCHEMA_VERSION + 1
    path.write_bytes(orjson.dumps(data))
    before = store_bytes(store.root)
    with pytest.raises(StoreSchemaError):
        Store(store.root).all(Petition)
    with pytest.raises(StoreSchemaError):
        Store(store.root).put(petition("P2"))
    assert store_bytes(store.root) == before


# ---------------------------------------------------------------------------
# Orphaned temp files


def test_leftover_temp_files_removed_by_next_transaction(store: Store):
    store.put(petition("P1"))
    store.put(Visit(id="v1", day=NOW.date(), at=NOW, grid_id="g1", household_id="h1", worker_id="w1"))
    leftovers = [
        store.root / ".petitions.json.tmp-123-abcd",
        store.root / ".manifest.json.tmp-99-0000ffff",
        store.root / "visits" / ".2026-11-28.json.tmp-7-1234abcd",
    ]
    for path in leftovers:
        path.write_bytes(b'{"half": "a file')
    keep = [store.root / ".lock", store.root / "notes.txt"]
    keep[1].write_text("not ours")
    # A temp file is not a partition.
    assert store.partitions(Visit) == ["2026-11-28"]

    Store(store.root, actor="next").put(community())  # the next process's first transaction
    assert temp_files(store.root) == []
    for path in keep:
        assert path.exists()
    assert len(Store(store.root).all(Petition)) == 1


# ---------------------------------------------------------------------------
# Append-only history


def test_history_is_append_only(store: Store):
    first = event("accept", at=NOW - timedelta(hours=2))
    second = event("dispatch", at=NOW - timedelta(hours=1))
    store.put(petition("P1", history=[first, second]))
    path = active(store)
    before = path.read_bytes()
    manifest_before = (store.root / storage.MANIFEST).read_bytes()

    attempts = {
        "dropped last": [first],
        "dropped first": [second],
        "emptied": [],
        "edited note": [first, second.model_copy(update={"note": "改写历史"})],
        "edited actor": [first.model_copy(update={"actor": "someone-else"}), second],
        "reordered": [second, first],
        "inserted before": [event("start"), first, second],
    }
    for name, history in attempts.items():
        with pytest.raises(ValueError, match="append-only"):
            store.put(petition("P1", history=history))
        assert path.read_bytes() == before, name
    # Also through update(), and mixed with another change in the same transaction.
    with pytest.raises(ValueError, match="append-only"):
        store.update(Petition, "P1", lambda p: p.model_copy(update={"history": p.history[:1]}))
    with pytest.raises(ValueError, match="append-only"):
        with store.transaction() as tx:
            tx.put(community())
            tx.put(petition("P1", history=[first]))
    assert path.read_bytes() == before
    assert (store.root / storage.MANIFEST).read_bytes() == manifest_before
    assert not store.path_for(Community).exists()

    appended = store.put(petition("P1", history=[first, second, event("start")]))
    assert [e.action for e in appended.history] == ["accept", "dispatch", "start"]
    assert [e.action for e in Store(store.root).get(Petition, "P1").history] == ["accept", "dispatch", "start"]


# ---------------------------------------------------------------------------
# The petition state machine through the store


def test_change_status_appends_event_with_actor(store: Store):
    store.put(petition("P1"))
    officer = Store(store.root, actor="officer-li")
    updated = change_status(officer, "P1", S.ACCEPTED)
    assert updated.status is S.ACCEPTED
    (ev,) = updated.history
    assert (ev.actor, ev.action, ev.from_status, ev.to_status, ev.at) == (
        "officer-li",
        "accept",
        S.NEW,
        S.ACCEPTED,
        NOW,
    )

    stored = Store(store.root).get(Petition, "P1")
    assert stored == updated
    assert stored.updated_by == "officer-li"
    assert stored.updated_at == NOW
    assert store.generation() == 2

    change_status(store, "P1", S.DISPATCHED)
    change_status(store, "P1", S.IN_PROGRESS)
    change_status(store, "P1", S.RESOLVED)
    closed = change_status(store, "P1", S.CLOSED, satisfaction=Satisfaction.BASICALLY)
    assert closed.closed_at == NOW
    assert closed.satisfaction is Satisfaction.BASICALLY
    assert [e.action for e in closed.history] == ["accept", "dispatch", "start", "resolve", "follow_up"]
    assert [e.actor for e in closed.history] == ["officer-li"] + ["tester"] * 4

    reopened = change_status(store, "P1", S.IN_PROGRESS, note="回访不满意，重新处理")
    assert reopened.closed_at is None and reopened.satisfaction is None
    assert reopened.history[-1].note == "回访不满意，重新处理"
    assert len(Store(store.root).get(Petition, "P1").history) == 6


@pytest.mark.parametrize(
    ("path_to", "target"),
    [
        ([], S.RESOLVED),
        ([], S.CLOSED),
        ([S.ACCEPTED], S.IN_PROGRESS),
        ([S.ACCEPTED], S.NEW),
        ([S.CANCELLED], S.ACCEPTED),
    ],
)
def test_illegal_change_raises_and_writes_nothing(store: Store, path_to: list[S], target: S):
    store.put(petition("P1"))
    for step in path_to:
        change_status(store, "P1", step, note="原因")
    before = store_bytes(store.root)
    with pytest.raises(IllegalTransition) as info:
        change_status(store, "P1", target)
    assert info.value.key == ("final" if path_to == [S.CANCELLED] else "transition")
    current = path_to[-1] if path_to else S.NEW
    assert f"'{current.value}'" in str(info.value)
    assert store_bytes(store.root) == before


@pytest.mark.parametrize(
    ("path_to", "target"),
    [
        ([], S.CANCELLED),
        ([S.ACCEPTED, S.DISPATCHED], S.RETURNED),
        ([S.ACCEPTED, S.DISPATCHED, S.IN_PROGRESS, S.RESOLVED], S.IN_PROGRESS),
    ],
)
@pytest.mark.parametrize("note", ["", "   ", "\n"])
def test_steps_needing_a_note_refuse_empty_note(store: Store, path_to: list[S], target: S, note: str):
    store.put(petition("P1"))
    for step in path_to:
        change_status(store, "P1", step)
    before = store_bytes(store.root)
    with pytest.raises(IllegalTransition) as info:
        change_status(store, "P1", target, note=note)
    assert info.value.key == "needs_note"
    assert store_bytes(store.root) == before
    done = change_status(store, "P1", target, note="群众撤回诉求")
    assert done.status is target and done.history[-1].note == "群众撤回诉求"


def test_change_status_of_unknown_petition(store: Store):
    store.put(petition("P1"))
    before = store_bytes(store.root)
    with pytest.raises(RecordNotFound):
        change_status(store, "P404", S.ACCEPTED)
    assert store_bytes(store.root) == before


def test_every_transition_in_the_table_is_valid_through_the_store(store: Store):
    # Walk every legal step from every reachable status once.
    seen = set()
    n = 0
    for status, steps in lifecycle.TRANSITIONS.items():
        for step in steps:
            seen.add((status, step.to))
    assert all(step.to in lifecycle.TRANSITIONS for steps in lifecycle.TRANSITIONS.values() for step in steps)
    route = [
        S.ACCEPTED,
        S.DISPATCHED,
        S.RETURNED,
        S.DISPATCHED,
        S.IN_PROGRESS,
        S.RETURNED,
        S.DISPATCHED,
        S.IN_PROGRESS,
        S.RESOLVED,
        S.IN_PROGRESS,
        S.RESOLVED,
        S.CLOSED,
        S.IN_PROGRESS,
        S.RESOLVED,
        S.CLOSED,
    ]
    store.put(petition("P1"))
    current = S.NEW
    for target in route:
        change_status(store, "P1", target, note="说明")
        seen.discard((current, target))
        current = target
        n += 1
    assert len(store.get(Petition, "P1").history) == n
    # The cancellations are the only steps the route skips.
    assert all(to is S.CANCELLED for _, to in seen)


# ---------------------------------------------------------------------------
# Archive: closed cases leave the active file


def closed_petition(id: str, closed: datetime) -> Petition:
    return petition(id, status=S.CLOSED, closed_at=closed, created_at=closed - timedelta(days=2))


def setup_archive(store: Store) -> None:
    store.put(closed_petition("OLD-2026", NOW - timedelta(days=40)))
    store.put(closed_petition("OLD-2025", datetime(2025, 12, 20, 10, 0, tzinfo=TZ)))
    store.put(closed_petition("RECENT", NOW - timedelta(days=29)))
    store.put(petition("OPEN-1"))
    store.put(petition("OPEN-2"))


def test_archive_moves_old_closed_cases(store: Store):
    setup_archive(store)
    # Each case in the file of the day it was received; the manifest knows which hold closed ones.
    assert store.live_partitions(Petition) == ["2025-12-18", "2026-10-17", "2026-10-28", "2026-11-27"]
    assert store.manifest()["earliest_closed"] == {
        "petitions/2025-12-18.json": "2025-12-20T10:00:00+08:00",
        "petitions/2026-10-17.json": (NOW - timedelta(days=40)).isoformat(),
        "petitions/2026-10-28.json": (NOW - timedelta(days=29)).isoformat(),
    }
    with store.transaction() as tx:
        assert tx.archive_closed_petitions() == 2
    archive_2026 = store.path_for(Petition, "archive-2026-10")
    archive_2025 = store.path_for(Petition, "archive-2025-12")
    assert archive_2026 == store.root / "petitions" / "archive-2026-10.json"
    assert sorted(raw_records(active(store))) == ["OPEN-1", "OPEN-2"]
    assert sorted(raw_records(store.path_for(Petition, "2026-10-28"))) == ["RECENT"]
    assert sorted(raw_records(archive_2026)) == ["OLD-2026"]
    assert sorted(raw_records(archive_2025)) == ["OLD-2025"]
    # A day file whose last case was archived goes (and leaves the manifest).
    assert store.partitions(Petition) == ["2026-10-28", "2026-11-27", "archive-2025-12", "archive-2026-10"]
    assert sorted(p.id for p in Store(store.root).all_partitions(Petition)) == [
        "OLD-2025",
        "OLD-2026",
        "OPEN-1",
        "OPEN-2",
        "RECENT",
    ]
    assert store.get(Petition, "OLD-2026", "archive-2026-10").closed_at == NOW - timedelta(days=40)
    manifest = store.manifest()
    assert manifest["generation"] == 6
    assert manifest["files"] == {
        "petitions/2026-10-28.json": 1,
        ACTIVE: 2,
        "petitions/archive-2025-12.json": 1,
        "petitions/archive-2026-10.json": 1,
    }
    assert manifest["earliest_closed"] == {"petitions/2026-10-28.json": (NOW - timedelta(days=29)).isoformat()}
    assert sorted(Store(store.root).check()) == [
        "petitions/2026-10-28.json",
        ACTIVE,
        "petitions/archive-2025-12.json",
        "petitions/archive-2026-10.json",
    ]

    # Nothing left to archive: nothing written.
    before = store_bytes(store.root)
    with store.transaction() as tx:
        assert tx.archive_closed_petitions() == 0
    assert store_bytes(store.root) == before


def test_an_archive_move_reads_and_rewrites_only_the_month_it_goes_to(store: Store, monkeypatch: pytest.MonkeyPatch):
    """Archives are by month of closing: a move costs that month's cases, not the year's."""
    store.put(closed_petition("SEPT", NOW - timedelta(days=70)))
    store.put(closed_petition("OCT", NOW - timedelta(days=40)))
    with store.transaction() as tx:
        assert tx.archive_closed_petitions() == 2
    assert [p for p in store.partitions(Petition) if p.startswith("archive-")] == ["archive-2026-09", "archive-2026-10"]
    september = store.path_for(Petition, "archive-2026-09").read_bytes()
    store.put(closed_petition("OCT-2", NOW - timedelta(days=35)))  # received 2026-10-22

    opened: list[str] = []
    real_open = storage._OpenFile.__init__

    def spy_open(self: Any, st: Store, model: Any, path: Path, partition: str | None) -> None:
        opened.append(path.relative_to(store.root).as_posix())
        real_open(self, st, model, path, partition)

    monkeypatch.setattr(storage._OpenFile, "__init__", spy_open)
    with Store(store.root, actor="officer").transaction() as tx:
        assert tx.archive_closed_petitions() == 1
    assert sorted(opened) == ["petitions/2026-10-22.json", "petitions/archive-2026-10.json"]
    assert store.path_for(Petition, "archive-2026-09").read_bytes() == september
    assert sorted(raw_records(store.path_for(Petition, "archive-2026-10"))) == ["OCT", "OCT-2"]


def test_status_change_after_archive_rewrites_only_active_file(store: Store, monkeypatch: pytest.MonkeyPatch):
    setup_archive(store)
    with store.transaction() as tx:
        tx.archive_closed_petitions()
    archives = [store.path_for(Petition, "archive-2025-12"), store.path_for(Petition, "archive-2026-10")]
    stats = {p: (p.stat().st_mtime_ns, p.stat().st_ino, p.read_bytes()) for p in archives}
    active_before = active(store).read_bytes()
    files_before = store.manifest()["files"]

    written: list[str] = []
    opened: list[str] = []
    real_write = storage._stage
    real_open = storage._OpenFile.__init__

    def spy_write(path: Path, payload: bytes) -> Path:
        written.append(path.relative_to(store.root).as_posix())
        return real_write(path, payload)

    def spy_open(self: Any, st: Store, model: Any, path: Path, partition: str | None) -> None:
        opened.append(path.relative_to(store.root).as_posix())
        real_open(self, st, model, path, partition)

    monkeypatch.setattr(storage, "_stage", spy_write)
    monkeypatch.setattr(storage._OpenFile, "__init__", spy_open)
    clock.freeze((NOW + timedelta(minutes=5)).isoformat())
    change_status(Store(store.root, actor="officer"), "OPEN-1", S.ACCEPTED)

    assert opened == [ACTIVE]  # the archives are not even read
    assert written == [ACTIVE, "manifest.json"]
    for path, (mtime_ns, inode, payload) in stats.items():
        assert (path.stat().st_mtime_ns, path.stat().st_ino, path.read_bytes()) == (mtime_ns, inode, payload)
    assert active(store).read_bytes() != active_before
    files_after = store.manifest()["files"]
    assert files_after[ACTIVE] == files_before[ACTIVE] + 1
    assert {k: v for k, v in files_after.items() if k != ACTIVE} == {
        k: v for k, v in files_before.items() if k != ACTIVE
    }


def test_change_status_archives_cases_that_became_old(store: Store, monkeypatch: pytest.MonkeyPatch):
    store.put(petition("P1"))
    store.put(petition("P2"))
    for step in (S.ACCEPTED, S.DISPATCHED, S.IN_PROGRESS, S.RESOLVED, S.CLOSED):
        change_status(store, "P1", step)
    clock.freeze((NOW + timedelta(days=31)).isoformat())
    change_status(store, "P2", S.ACCEPTED)
    assert [p.id for p in Store(store.root).all(Petition)] == ["P2"]
    archived = Store(store.root).get(Petition, "P1", "archive-2026-11")  # closed on 11-28: November's archive
    assert len(archived.history) == 5


def test_archive_written_before_active_file(store: Store, monkeypatch: pytest.MonkeyPatch):
    """The journal makes the move all or nothing; within it, a case reaches its archive before it
    leaves its day file (a day file left empty is removed), and the manifest goes last."""
    setup_archive(store)
    steps: list[tuple[str, bool]] = []
    real_apply = storage.Store._apply

    def spy_apply(self: Store, writes: list[tuple[Path, bytes | None]], generation: int) -> None:
        steps.extend((path.relative_to(store.root).as_posix(), payload is None) for path, payload in writes)
        real_apply(self, writes, generation)

    monkeypatch.setattr(storage.Store, "_apply", spy_apply)
    with store.transaction() as tx:
        tx.archive_closed_petitions()
    written = [name for name, removed in steps]
    assert steps[-1] == ("manifest.json", False)
    assert ("petitions/2026-10-17.json", True) in steps and ("petitions/2025-12-18.json", True) in steps
    assert written.index("petitions/2026-10-17.json") > written.index("petitions/archive-2026-10.json")
    assert written.index("petitions/2025-12-18.json") > written.index("petitions/archive-2025-12.json")


def test_crash_while_archiving_loses_nothing(store: Store, monkeypatch: pytest.MonkeyPatch):
    setup_archive(store)
    real_write = storage._stage

    class Crash(BaseException):
        pass

    def crash_on_second_data_file(path: Path, payload: bytes, count: list[int] = [0]) -> Path:  # noqa: B006
        count[0] += 1
        if count[0] == 2:
            raise Crash()
        return real_write(path, payload)

    monkeypatch.setattr(storage, "_stage", crash_on_second_data_file)
    with pytest.raises(Crash):
        with store.transaction() as tx:
            tx.archive_closed_petitions()
    monkeypatch.undo()
    clock.freeze(NOW.isoformat())

    fresh = Store(store.root, actor="next")
    everything = [p.id for p in fresh.all_partitions(Petition)]
    for pid in ("OLD-2026", "OLD-2025", "RECENT", "OPEN-1", "OPEN-2"):
        assert pid in everything, f"{pid} lost"
    # The next archive run reconciles the duplicate.
    with fresh.transaction() as tx:
        tx.archive_closed_petitions()
    assert sorted(p.id for p in Store(store.root).all_partitions(Petition)) == [
        "OLD-2025",
        "OLD-2026",
        "OPEN-1",
        "OPEN-2",
        "RECENT",
    ]
    assert sorted(p.id for p in Store(store.root).all(Petition)) == ["OPEN-1", "OPEN-2", "RECENT"]


def test_crash_while_change_status_archives_loses_nothing(store: Store, monkeypatch: pytest.MonkeyPatch):
    """change_status rewrites the case's day file, then archives: a crash part way loses nothing."""
    setup_archive(store)
    real_write = storage._stage
    written: list[str] = []

    class Crash(BaseException):
        pass

    def crash_on_second_data_file(path: Path, payload: bytes) -> Path:
        written.append(path.relative_to(store.root).as_posix())
        if len(written) == 2:
            raise Crash()
        return real_write(path, payload)

    monkeypatch.setattr(storage, "_stage", crash_on_second_data_file)
    with pytest.raises(Crash):
        change_status(store, "OPEN-1", S.ACCEPTED)
    assert written[0] == ACTIVE and written[1].startswith("petitions/archive-")
    monkeypatch.setattr(storage, "_stage", real_write)

    everything = [p.id for p in Store(store.root).all_partitions(Petition)]
    for pid in ("OLD-2026", "OLD-2025", "RECENT", "OPEN-1", "OPEN-2"):
        assert pid in everything, f"{pid} lost"
    # The retried change goes through and reconciles the duplicate.
    change_status(store, "OPEN-1", S.ACCEPTED)
    assert sorted(p.id for p in Store(store.root).all_partitions(Petition)) == [
        "OLD-2025",
        "OLD-2026",
        "OPEN-1",
        "OPEN-2",
        "RECENT",
    ]
    assert Store(store.root).get(Petition, "OPEN-1").status is S.ACCEPTED


# ---------------------------------------------------------------------------
# Live cases one file a day; a store written before day files


def test_a_case_goes_to_the_day_its_id_names_else_the_day_it_was_received(store: Store):
    store.put(petition("MK261120-001"))  # received (created_at) on 11-27, but its id names 11-20
    store.put(petition("P1"))
    assert store.live_partitions(Petition) == ["2026-11-20", "2026-11-27"]
    assert store.get(Petition, "MK261120-001").id == "MK261120-001"
    assert [p.id for p in store.all(Petition)] == ["MK261120-001", "P1"]
    assert store.all(Petition, "2026-11-20")[0].id == "MK261120-001"


def test_a_case_whose_receipt_time_changes_moves_to_its_new_day(store: Store):
    """An id that names no day goes by the receipt time: a case is never in two day files."""
    store.put(petition("P1", history=[event()]))
    with store.transaction() as tx:
        tx.put(tx.get(Petition, "P1").model_copy(update={"created_at": NOW - timedelta(days=3)}))
    assert store.live_partitions(Petition) == ["2026-11-25"]
    assert [p.id for p in Store(store.root).all(Petition)] == ["P1"]
    assert check_store(store.root).ok
    # A move is checked against the previous version like any replacement.
    dropped = store.get(Petition, "P1").model_copy(update={"created_at": NOW - timedelta(days=2), "history": []})
    with pytest.raises(ValueError, match="append-only"):
        store.put(dropped)
    assert store.live_partitions(Petition) == ["2026-11-25"]


def test_a_store_written_before_day_files_is_read_as_is_and_split_by_its_next_write(store: Store):
    setup_archive(store)
    to_legacy_layout(store.root)
    assert Store(store.root).live_partitions(Petition) == []
    viewer = Store(store.root, read_only=True)
    assert sorted(p.id for p in viewer.all(Petition)) == ["OLD-2025", "OLD-2026", "OPEN-1", "OPEN-2", "RECENT"]
    assert viewer.get(Petition, "OPEN-1").title == "楼道灯不亮"
    assert check_store(store.root).ok
    assert "petitions.json" in Store(store.root).check()

    # A refused change leaves it as it was: the split goes with the first change that commits.
    before = store_bytes(store.root)
    with pytest.raises(IllegalTransition):
        change_status(Store(store.root, actor="officer"), "OPEN-1", S.CLOSED)
    assert store_bytes(store.root) == before

    change_status(Store(store.root, actor="officer"), "OPEN-1", S.ACCEPTED)
    assert not (store.root / "petitions.json").exists()
    manifest = Store(store.root).manifest()
    assert manifest["schema"] == storage.SCHEMA_VERSION == 4
    assert "petitions.json" not in manifest["files"]
    # the cases closed 30 days ago went to the archive in the same transaction
    assert Store(store.root).live_partitions(Petition) == ["2026-10-28", "2026-11-27"]
    assert manifest["earliest_closed"] == {"petitions/2026-10-28.json": (NOW - timedelta(days=29)).isoformat()}
    assert sorted(p.id for p in Store(store.root).all_partitions(Petition)) == [
        "OLD-2025",
        "OLD-2026",
        "OPEN-1",
        "OPEN-2",
        "RECENT",
    ]
    assert Store(store.root).get(Petition, "OPEN-1").status is S.ACCEPTED
    assert viewer.get(Petition, "OPEN-1").status is S.ACCEPTED  # a reader that knew the old layout
    report = check_store(store.root)
    assert report.ok and not report.findings, report.findings


def busy_day(store: Store, cases: int = 60) -> list[str]:
    """A day that brought ``cases`` cases (ids MK261127-001...), one transaction."""
    ids = [f"MK261127-{n:03d}" for n in range(1, cases + 1)]
    with store.transaction() as tx:
        for case_id in ids:
            tx.put(petition(case_id))
    return ids


def test_a_busy_day_is_kept_25_cases_a_file_so_a_write_rewrites_25_at_most(store: Store):
    ids = busy_day(store)
    assert store.live_partitions(Petition) == ["2026-11-27", "2026-11-27.2", "2026-11-27.3"]
    assert [len(store.all(Petition, p)) for p in store.live_partitions(Petition)] == [25, 25, 10]
    assert [p.id for p in Store(store.root).all(Petition)] == ids
    assert Store(store.root).get(Petition, "MK261127-026").id == "MK261127-026"
    before = store_bytes(store.root)
    change_status(Store(store.root, actor="officer"), "MK261127-030", S.ACCEPTED)
    after = store_bytes(store.root)
    assert {name for name in after if after[name] != before.get(name)} == {
        "manifest.json",
        "petitions/2026-11-27.2.json",
    }
    assert Store(store.root).get(Petition, "MK261127-030").status is S.ACCEPTED
    report = check_store(store.root)
    assert report.ok and not report.findings, report.findings


def test_a_store_written_before_the_cap_is_read_as_is_and_capped_by_its_next_write(store: Store):
    ids = busy_day(store)
    to_uncapped_layout(store.root)
    assert Store(store.root).live_partitions(Petition) == ["2026-11-27"]
    viewer = Store(store.root, read_only=True)
    assert [p.id for p in viewer.all(Petition)] == ids
    assert viewer.get(Petition, "MK261127-040").id == "MK261127-040"  # looked for in the day's first file too
    report = check_store(store.root)
    assert report.ok and not report.findings, report.findings

    # A refused change leaves it as it was: the move goes with the first change that commits.
    before = store_bytes(store.root)
    with pytest.raises(IllegalTransition):
        change_status(Store(store.root, actor="officer"), "MK261127-040", S.CLOSED)
    assert store_bytes(store.root) == before

    change_status(Store(store.root, actor="officer"), "MK261127-040", S.ACCEPTED)
    assert Store(store.root).manifest()["schema"] == storage.SCHEMA_VERSION == 4
    assert Store(store.root).live_partitions(Petition) == ["2026-11-27", "2026-11-27.2", "2026-11-27.3"]
    assert [len(Store(store.root).all(Petition, p)) for p in Store(store.root).live_partitions(Petition)] == [
        25,
        25,
        10,
    ]
    assert sorted(p.id for p in Store(store.root).all(Petition)) == ids
    assert viewer.get(Petition, "MK261127-040").status is S.ACCEPTED  # a reader that knew the old layout
    report = check_store(store.root)
    assert report.ok and not report.findings, report.findings


def test_a_case_named_for_a_later_file_of_its_day_but_kept_in_the_first_is_misplaced_once_capped(store: Store):
    """After the cap (schema 3) a case in the wrong file of its day is what check reports, as any misplaced case."""
    busy_day(store, cases=30)
    to_uncapped_layout(store.root)
    manifest = orjson.loads((store.root / "manifest.json").read_bytes())
    (store.root / "manifest.json").write_bytes(orjson.dumps({**manifest, "schema": 3}))
    findings = check_store(store.root).findings
    assert {(f.kind, f.detail, f.other) for f in findings} == {
        ("misplaced", f"MK261127-{n:03d}", "petitions/2026-11-27.2.json") for n in range(26, 31)
    }


# ---------------------------------------------------------------------------
# Reader cache


def test_reader_sees_same_size_updates_from_another_process(root: Path):
    writer = Store(root, actor="writer")
    reader = Store(root, actor="reader")
    writer.put(petition("P1", title="AAAA"))
    writer.put(petition("P2", title="CCCC"))
    assert {p.id: p.title for p in reader.all(Petition)} == {"P1": "AAAA", "P2": "CCCC"}
    path = writer.root / ACTIVE
    sizes = {path.stat().st_size}
    for title in ("BBBB", "DDDD", "EEEE", "AAAA", "FFFF"):
        Store(root, actor="writer").update(Petition, "P1", lambda p, t=title: p.model_copy(update={"title": t}))
        sizes.add(path.stat().st_size)
        assert reader.get(Petition, "P1").title == title
        assert reader.get(Petition, "P2").title == "CCCC"
    assert len(sizes) == 1, "the test premise: every write had the same size"


def test_reader_cache_uses_generation_when_stat_cannot_tell(root: Path, monkeypatch: pytest.MonkeyPatch):
    """Inode numbers are reused and mtimes are coarse: equal stat must not mean equal content."""
    writer = Store(root, actor="writer")
    reader = Store(root, actor="reader")
    writer.put(petition("P1", title="AAAA"))
    assert reader.get(Petition, "P1").title == "AAAA"
    constant = storage.Signature(mtime_ns=1, size=1, inode=1)
    monkeypatch.setattr(storage.Signature, "of", classmethod(lambda cls, path: constant if path.exists() else None))
    assert reader.get(Petition, "P1").title == "AAAA"  # caches under the constant signature
    for title in ("BBBB", "CCCC"):
        writer.update(Petition, "P1", lambda p, t=title: p.model_copy(update={"title": t}))
        assert reader.get(Petition, "P1").title == title


def test_reader_cache_returns_cached_records_when_nothing_changed(root: Path, monkeypatch: pytest.MonkeyPatch):
    writer = Store(root, actor="writer")
    writer.put(petition("P1"))
    reader = Store(root)
    first = reader.all(Petition)
    reads: list[Path] = []
    real = storage._parse

    def spy(path: Path, payload: bytes) -> Any:
        reads.append(path)
        return real(path, payload)

    monkeypatch.setattr(storage, "_parse", spy)
    again = reader.all(Petition)
    assert len(again) == len(first) and all(a is b for a, b in zip(again, first, strict=True))
    assert reads == []
    writer.put(petition("P2"))
    reads.clear()  # the writer re-reads under the lock; count the reader only
    assert [p.id for p in reader.all(Petition)] == ["P1", "P2"]
    assert reads == [writer.root / ACTIVE]


def test_reader_sees_deleted_file_and_records(root: Path):
    writer = Store(root, actor="writer")
    reader = Store(root)
    writer.put(petition("P1"))
    writer.put(petition("P2"))
    assert len(reader.all(Petition)) == 2
    with writer.transaction() as tx:
        tx.delete(Petition, "P1")
    assert [p.id for p in reader.all(Petition)] == ["P2"]
    (writer.root / ACTIVE).unlink()
    assert reader.all(Petition) == []


def test_other_models_are_stamped_too(store: Store):
    worker = store.put(GridWorker(id="w1", name="王小红", role="grid_worker", phone="13812341234", grid_id="g1"))
    assert (worker.updated_by, worker.updated_at) == ("tester", NOW)


def test_transaction_reads_see_other_processes_commits_and_its_own_puts(root: Path):
    """A look at a file the transaction does not change goes through the validated cache; it must
    still see what another store object committed, and a put in the same transaction."""
    mine = Store(root, actor="me")
    other = Store(root, actor="other")
    mine.put(petition("P1"))
    assert [p.id for p in mine.all(Petition)] == ["P1"]  # cached by `mine`
    other.put(petition("P2"))  # committed behind mine's cache
    with mine.transaction() as tx:
        assert sorted(p.id for p in tx.all(Petition)) == ["P1", "P2"]
        assert tx.get(Petition, "P2").updated_by == "other"
        tx.put(petition("P3"))
        assert sorted(p.id for p in tx.all(Petition)) == ["P1", "P2", "P3"]
        assert tx.get(Petition, "P3").updated_by == "me"
        with pytest.raises(RecordNotFound):
            tx.get(Community, "nowhere")


def test_transaction_read_of_a_damaged_file_is_refused(root: Path):
    store = Store(root, actor="me")
    store.put(petition("P1"))
    active(store).write_bytes(b"{not json")
    with pytest.raises(StoreCorruptError), store.transaction() as tx:
        tx.all(Petition)


# ---------------------------------------------------------------------------
# A big file read beside the screen's thread


def _in_a_thread(call: Any) -> Any:
    """``call()`` on another thread (a dashboard worker): its result, or the error it raised."""
    import threading

    out: list[Any] = []

    def run() -> None:
        try:
            out.append(call())
        except Exception as error:  # noqa: BLE001 - handed back to the test
            out.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return out[0]


def test_a_big_file_read_by_a_worker_is_parsed_in_steps_to_the_same_records(
    small_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker (a list, the look for damaged files) parses a big file a chunk at a time, so the
    screen's thread runs between chunks; the records are the ones a one-call parse gives."""
    monkeypatch.setattr(storage, "BIG_FILE_BYTES", 100)  # every file of the small store is "big"
    chunks: list[int] = []
    original = storage._ChunkedReader.read

    def counted(self: Any, size: int = -1) -> bytes:
        chunk = original(self, size)
        chunks.append(len(chunk))
        return chunk

    monkeypatch.setattr(storage._ChunkedReader, "read", counted)
    on_main = Store(small_store.root).all(Household)
    assert chunks == []  # the main thread (the first frame, the CLI) parses in one call
    in_worker = _in_a_thread(lambda: Store(small_store.root).all(Household))
    assert any(chunks) and on_main and in_worker == on_main


@pytest.mark.parametrize(
    "damage",
    [
        b'{"records":{"1":{"id":"h1"}',  # cut short
        b'{"records":{"1":{"id":"\\ud800"}}}',  # a lone surrogate, which the step parser would read as "?"
        b'[{"records":{}}]',  # not an object
        b'{"records":{}} {}',  # two documents
    ],
)
def test_a_damaged_big_file_is_refused_alike_on_any_thread(
    small_store: Store, monkeypatch: pytest.MonkeyPatch, damage: bytes
) -> None:
    monkeypatch.setattr(storage, "BIG_FILE_BYTES", 10)
    (small_store.root / "households" / "dc-M01.json").write_bytes(damage)
    with pytest.raises(StoreCorruptError) as on_main:
        Store(small_store.root).all(Household)
    in_worker = _in_a_thread(lambda: Store(small_store.root).all(Household))
    assert isinstance(in_worker, StoreCorruptError) and str(in_worker) == str(on_main.value)


# ---------------------------------------------------------------------------
# Households, one file a grid


def household(id: str, grid_id: str, history: list[RosterEvent] | None = None) -> Household:
    """One household an address: its room is its id (h3 in 1-2-h3), wherever it moves."""
    return Household(id=id, grid_id=grid_id, building="1", unit="2", room=id, head_name="张建国", history=history or [])


def register(store: Store) -> None:
    """Six households in three grids (h0 and h3 in G0, h1 and h4 in G1, h2 and h5 in G2), each added."""
    added = [RosterEvent(at=NOW, actor="tester", action="add")]
    with store.transaction() as tx:
        for n in range(6):
            tx.put(household(f"h{n}", f"G{n % 3}", added))


def moved(store: Store, household_id: str, grid_id: str) -> Household:
    """The household as a move to ``grid_id`` leaves it (its history one event longer)."""
    current = store.get(Household, household_id)
    move = RosterEvent(at=NOW, actor="tester", action="move")
    return current.model_copy(update={"grid_id": grid_id, "history": [*current.history, move]})


def ids_by_file(root: Path) -> dict[str, list[str]]:
    return {
        path.name: sorted(doc["id"] for doc in orjson.loads(path.read_bytes())["records"].values())
        for path in sorted((root / "households").glob("*.json"))
    }


def test_households_are_kept_one_file_a_grid(store: Store) -> None:
    register(store)
    assert not (store.root / "households.json").exists()
    assert ids_by_file(store.root) == {"G0.json": ["h0", "h3"], "G1.json": ["h1", "h4"], "G2.json": ["h2", "h5"]}
    assert sorted(Store(store.root).manifest()["files"]) == [
        "households/G0.json",
        "households/G1.json",
        "households/G2.json",
    ]
    fresh = Store(store.root)
    assert sorted(h.id for h in fresh.all(Household)) == ["h0", "h1", "h2", "h3", "h4", "h5"]
    assert fresh.get(Household, "h4").grid_id == "G1"
    assert [h.id for h in fresh.all(Household, "G2")] == ["h2", "h5"]
    assert fresh.all_partitions(Household) == fresh.all(Household)  # no grid file counted twice
    assert fresh.find(Household, "h5")[0].grid_id == "G2"
    report = check_store(store.root)
    assert report.ok and not report.findings, report.findings


def test_a_move_rewrites_the_two_grid_files_and_the_manifest_only(store: Store) -> None:
    register(store)
    before = store_bytes(store.root)
    Store(store.root, actor="officer").put(moved(store, "h1", "G0"))
    after = store_bytes(store.root)
    assert {name for name in set(after) | set(before) if after.get(name) != before.get(name)} == {
        "manifest.json",
        "households/G0.json",
        "households/G1.json",
    }
    assert ids_by_file(store.root) == {"G0.json": ["h0", "h1", "h3"], "G1.json": ["h4"], "G2.json": ["h2", "h5"]}
    assert [e.action for e in Store(store.root).get(Household, "h1").history] == ["add", "move"]
    assert store.get(Household, "h1").grid_id == "G0"  # a reader that had read both files before

    # A grid whose last household moves away loses its file, in the same transaction.
    with Store(store.root, actor="officer").transaction() as tx:
        for household_id in ("h2", "h5"):
            tx.put(moved(store, household_id, "G3"))
    assert ids_by_file(store.root) == {"G0.json": ["h0", "h1", "h3"], "G1.json": ["h4"], "G3.json": ["h2", "h5"]}
    assert "households/G2.json" not in Store(store.root).manifest()["files"]
    assert sorted(h.id for h in Store(store.root).all(Household)) == ["h0", "h1", "h2", "h3", "h4", "h5"]
    report = check_store(store.root)
    assert report.ok and not report.findings, report.findings


def test_a_reader_in_the_middle_of_a_moves_commit_never_misses_the_household(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reader takes no lock. A move's commit replaces the grid files, then the manifest: a reader
    that read G0 before the commit and G1 after its files were replaced (the manifest not yet) would
    miss h1, though the manifest's generation is the same before and after its read."""
    register(store)
    reader = Store(store.root)
    assert len(reader.all(Household)) == 6
    move = moved(store, "h1", "G0")
    paused, resume = threading.Event(), threading.Event()
    real_rename = storage.SystemCalls.rename

    def rename(self: storage.SystemCalls, source: Path, target: Path) -> None:
        if Path(target).name == "manifest.json" and not resume.is_set():
            paused.set()  # the move's grid files are in place, its manifest not yet
            resume.wait(10)
        real_rename(self, source, target)

    # On the class, as the other fault tests do: patching the SYSCALLS instance would leave, once
    # undone, the bound method in the instance's own attributes, hiding later tests' class patches.
    monkeypatch.setattr(storage.SystemCalls, "rename", rename)
    writer = threading.Thread(target=lambda: Store(store.root, actor="officer").put(move))
    real_read = reader._read

    def read(model: Any, path: Path, files: Any = None) -> Any:
        if path.name == "G1.json" and not paused.is_set():  # G0 read as it was; now the commit
            writer.start()
            assert paused.wait(10)
        return real_read(model, path, files)

    monkeypatch.setattr(reader, "_read", read)
    try:
        seen = sorted(h.id for h in reader.all(Household))
    finally:
        resume.set()
        writer.join(10)
    assert seen == ["h0", "h1", "h2", "h3", "h4", "h5"]
    assert Store(store.root).get(Household, "h1").grid_id == "G0"


def test_a_move_that_drops_history_is_refused_and_writes_nothing(store: Store) -> None:
    register(store)
    before = store_bytes(store.root)
    dropped = moved(store, "h1", "G0").model_copy(update={"history": []})
    with pytest.raises(ValueError, match="append-only"):
        Store(store.root, actor="officer").put(dropped)
    assert store_bytes(store.root) == before
    assert ids_by_file(store.root)["G1.json"] == ["h1", "h4"]


def test_a_store_with_one_households_file_is_read_as_is_and_split_by_its_next_write(store: Store) -> None:
    register(store)
    to_register_file_layout(store.root)
    viewer = Store(store.root, read_only=True)
    assert viewer.live_partitions(Household) == []
    assert sorted(h.id for h in viewer.all(Household)) == ["h0", "h1", "h2", "h3", "h4", "h5"]
    assert viewer.get(Household, "h4").grid_id == "G1"
    assert "households.json" in Store(store.root).check()
    report = check_store(store.root)
    assert report.ok and not report.findings, report.findings

    # A refused change leaves it as it was, byte for byte: the split goes with the first change that commits.
    before = store_bytes(store.root)
    with pytest.raises(ValueError, match="append-only"):
        Store(store.root, actor="officer").put(moved(viewer, "h1", "G0").model_copy(update={"history": []}))
    assert store_bytes(store.root) == before

    Store(store.root, actor="officer").put(moved(viewer, "h1", "G0"))
    assert not (store.root / "households.json").exists()
    assert ids_by_file(store.root) == {"G0.json": ["h0", "h1", "h3"], "G1.json": ["h4"], "G2.json": ["h2", "h5"]}
    manifest = Store(store.root).manifest()
    assert manifest["schema"] == storage.SCHEMA_VERSION == 4
    assert sorted(manifest["files"]) == ["households/G0.json", "households/G1.json", "households/G2.json"]
    assert sorted(h.id for h in Store(store.root).all(Household)) == ["h0", "h1", "h2", "h3", "h4", "h5"]
    assert viewer.get(Household, "h1").grid_id == "G0"  # a reader that knew the old layout
    assert [e.action for e in viewer.get(Household, "h1").history] == ["add", "move"]
    report = check_store(store.root)
    assert report.ok and not report.findings, report.findings


def test_check_reports_a_household_in_two_grid_files(store: Store) -> None:
    register(store)
    reader = Store(store.root)
    assert len(reader.all(Household)) == 6
    path = store.path_for(Household, "G0")
    sound = path.read_bytes()
    data = orjson.loads(sound)
    (h1,) = [
        d for d in orjson.loads(store.path_for(Household, "G1").read_bytes())["records"].values() if d["id"] == "h1"
    ]
    data["records"]["99"] = h1  # moved by hand, and not taken out of G1's file
    path.write_bytes(orjson.dumps(data))
    report = check_store(store.root)
    assert not report.ok
    assert [(f.kind, f.path, f.detail, f.other) for f in report.errors] == [
        ("misplaced_household", "households/G0.json", "h1", "households/G1.json"),
        ("duplicate_across", "households/G1.json", "h1", "households/G0.json"),
    ]
    everyone = ["h0", "h1", "h2", "h3", "h4", "h5"]
    assert sorted(h.id for h in reader.all(Household)) == everyone  # listed once, by a reader as by a new one
    assert sorted(h.id for h in Store(store.root).all(Household)) == everyone
    path.write_bytes(sound)
    assert sorted(h.id for h in reader.all(Household)) == everyone
    assert check_store(store.root).ok


def test_a_household_moved_twice_in_one_transaction_is_in_one_file_and_found_by_id(store: Store) -> None:
    register(store)
    with Store(store.root, actor="officer").transaction() as tx:
        first = tx.put(moved(store, "h1", "G0"))
        assert tx.get(Household, "h1").grid_id == "G0"
        second = first.model_copy(
            update={"grid_id": "G2", "history": [*first.history, RosterEvent(at=NOW, actor="tester", action="move")]}
        )
        tx.put(second)
        tx.put(household("h6", "G1"))
        tx.delete(Household, "h4")
        assert sorted(h.id for h in tx.all(Household)) == ["h0", "h1", "h2", "h3", "h5", "h6"]
        assert tx.find(Household, "h1")[0].grid_id == "G2"
    assert ids_by_file(store.root) == {"G0.json": ["h0", "h3"], "G1.json": ["h6"], "G2.json": ["h1", "h2", "h5"]}
    assert [e.action for e in Store(store.root).get(Household, "h1").history] == ["add", "move", "move"]
    report = check_store(store.root)
    assert report.ok and not report.findings, report.findings


def test_many_households_moved_in_one_transaction_each_end_in_their_grid_file(store: Store) -> None:
    """More look-ups by id than a transaction makes before it indexes the grid files' ids."""
    register(store)
    rounds = storage.LOOKUPS_BEFORE_INDEX
    with Store(store.root, actor="officer").transaction() as tx:
        for n in range(rounds):
            current = tx.get(Household, f"h{n % 6}")
            move = RosterEvent(at=NOW, actor="tester", action="move")
            tx.put(current.model_copy(update={"grid_id": f"G{n + 3}", "history": [*current.history, move]}))
        for n in range(6, 9):
            tx.put(household(f"h{n}", "G0"))
        tx.delete(Household, "h3")
        tx.put(moved(store, "h4", "G0").model_copy(update={"history": tx.get(Household, "h4").history}))
    expected = {f"h{n}": f"G{n % 3}" for n in range(6)}
    expected |= {f"h{n % 6}": f"G{n + 3}" for n in range(rounds)} | {"h6": "G0", "h7": "G0", "h8": "G0", "h4": "G0"}
    del expected["h3"]
    fresh = Store(store.root)
    assert {h.id: h.grid_id for h in fresh.all(Household)} == expected
    by_file = ids_by_file(store.root)
    assert sorted(i for ids in by_file.values() for i in ids) == sorted(expected)
    assert all(expected[i] == name.removesuffix(".json") for name, ids in by_file.items() for i in ids)
    report = check_store(store.root)
    assert report.ok and not report.findings, report.findings


def test_a_grid_whose_id_looks_like_a_leftover_is_checked_like_any_grid(store: Store) -> None:
    """Temp files and old versions are hidden (.NAME.tmp-..., .NAME.old-...); a grid's id may hold
    the same marks without the dot (ids are letters, digits and - _ . :)."""
    with store.transaction() as tx:
        tx.put(household("h1", "B.old-2"))
        tx.put(household("h2", "B.tmp-3"))
    assert ids_by_file(store.root) == {"B.old-2.json": ["h1"], "B.tmp-3.json": ["h2"]}
    report = check_store(store.root)
    assert report.ok and not report.findings, report.findings
    assert report.records == 2
    assert storage.permission_problems(store.root) == []


def test_a_reader_never_sees_a_transaction_its_killed_writer_did_not_commit(
    small_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A writer killed between its data renames and the manifest's (the commit point) leaves new
    files in place until the next writer undoes them. Readers take no lock: they showed the case
    it changed, the case it added (in a day file it created) and the community it renamed, which
    the next writer then took away again (a kill -9 test saw 71 cases, then 70)."""
    root = small_store.root

    reader = Store(root)
    committed = (sorted(p.id for p in reader.all(Petition)), reader.get(Community, "yulan").name)
    kill_at_manifest(monkeypatch)
    with pytest.raises(Killed):
        with small_store.transaction() as tx:
            case = tx.get(Petition, "MK261127-001")
            tx.put(case.model_copy(update={"title": "改了"}))
            tx.put(case.model_copy(update={"id": "MK261128-009", "created_at": case.created_at + timedelta(days=1)}))
            tx.put(tx.get(Community, "yulan").model_copy(update={"name": "改了社区"}))
    monkeypatch.undo()
    assert (root / storage.JOURNAL).exists() and (root / "petitions" / "2026-11-28.json").exists()
    for store in (reader, Store(root)):  # one that read before, and a new one
        assert sorted(p.id for p in store.all(Petition)) == committed[0]
        assert store.get(Petition, "MK261127-001").title != "改了"
        assert store.get(Community, "yulan").name == committed[1]
    with Store(root, actor="next").transaction():  # the next writer undoes it
        pass
    assert not (root / storage.JOURNAL).exists()
    assert (sorted(p.id for p in Store(root).all(Petition)), Store(root).get(Community, "yulan").name) == committed


def test_the_watched_files_are_the_manifest_and_the_records_as_check_counts_them(small_store: Store) -> None:
    """What a dashboard's watcher follows (duty_room/watcher.py: StoreWatcher): a record file changed with
    no commit (damaged by hand) is read again at once; a commit's hidden temporary and old-version
    files, an export or a note left in the store's folder are not the store's."""
    root = small_store.root
    for name in ("manifest.json", "communities.json", "petitions/2026-11-27.json", "petitions/archive-2025-11.json"):
        assert small_store.watched_name(str(root / name)) == name
    for name in (
        "petitions/.2026-11-27.json.tmp-1a2b",
        "petitions/.2026-11-27.json.old-1a2b",
        "exports/petitions.json",
        "petitions/old/2026-11-27.json",
        "notes.json",
        "petitions/notes.txt",
    ):
        assert small_store.watched_name(str(root / name)) is None, name
    assert small_store.watched_name(str(root.parent / "manifest.json")) is None  # beside the store, not in it


def test_missing_listed_sees_what_path_exists_sees(small_store: Store) -> None:
    """`summary` looks at every file the manifest lists twice, each with a bare os.stat
    (storage._there) rather than a Path made and asked exists(): the same answer for each way a
    listed file can be gone or still there, and any other error raised as exists() raises it."""
    root = small_store.root
    assert Store(root).missing_listed() == []
    deleted, dangling, a_folder = sorted(small_store.manifest()["files"])[:3]
    (root / deleted).unlink()
    (root / dangling).unlink()
    (root / dangling).symlink_to(root / "nowhere.json")
    (root / a_folder).unlink()
    (root / a_folder).mkdir()  # there, as exists() says (reading it is another fault)
    found = {Path(e.path).relative_to(root).as_posix() for e in Store(root).missing_listed()}
    assert found == {deleted, dangling}
    beside = root / "manifest.json" / "x.json"  # ENOTDIR
    for path in (root / deleted, root / dangling, root / a_folder, root / "manifest.json", beside):
        assert storage._there(str(path)) is path.exists(), path
    assert storage._there(str(root / "a\0b.json")) is False  # a NUL in a hand-edited name, as exists()
    looped = root / "loop.json"
    looped.symlink_to(looped)
    assert storage._there(str(looped)) is looped.exists() is False  # ELOOP
