"""What one write and one reload cost, counted (not timed): the records read and validated.

Issue 13: the cost of a write and of a reload must not grow with the number of cases open or
recently closed. These tests count what the store does for one change on a store of many cases:
the records of the files a write reads, and the records pydantic validates, on the writer's side
and on a reader's (a dashboard in another process, here another Store instance).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest

from store import clock, storage
from store.clock import TZ
from store.lifecycle import change_status
from store.models import Community, Petition, PetitionStatus
from store.queries import dashboard, first_frame
from store.storage import Store, StoreCorruptError

NOW = datetime(2026, 11, 28, 9, 30, tzinfo=TZ)
DAYS = 60  # cases received over the last 60 days ...
PER_DAY = 4  # ... four a day: 240 cases, open or closed within the last 30 days
S = PetitionStatus


@pytest.fixture(autouse=True)
def frozen() -> None:
    clock.freeze(NOW.isoformat())


def case(day: int, n: int) -> Petition:
    received = NOW - timedelta(days=day, hours=n)
    closed = day < 20 and n == 0  # a few closed recently: they stay beside the open ones for 30 days
    return Petition(
        id=f"MK{received:%y%m%d}-{n + 1:03d}",
        title=f"第{day}天的第{n + 1}件",
        description="楼道灯坏了一周。" * 8,
        channel="hotline",
        category="infrastructure",
        community_id="c1",
        created_at=received,
        due_at=received + timedelta(days=3),
        status=S.CLOSED if closed else S.IN_PROGRESS,
        closed_at=received + timedelta(hours=1) if closed else None,
    )


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "store"
    with Store(root, actor="setup").transaction() as tx:
        tx.put(Community(id="c1", name="幸福社区", township="城关镇"))
        for day in range(DAYS):
            for n in range(PER_DAY):
                tx.put(case(day, n))
    return root


@pytest.fixture
def validated(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The ids of the petitions pydantic validates (every Petition.model_validate call)."""
    ids: list[str] = []
    original = Petition.model_validate.__func__  # type: ignore[attr-defined]

    def spy(cls: type[Petition], obj: Any, *args: Any, **kwargs: Any) -> Petition:
        ids.append(obj.get("id") if isinstance(obj, dict) else repr(obj))
        return original(cls, obj, *args, **kwargs)  # type: ignore[no-any-return]

    monkeypatch.setattr(Petition, "model_validate", classmethod(spy))
    yield ids


@pytest.fixture
def records_read(monkeypatch: pytest.MonkeyPatch, root: Path) -> Iterator[dict[str, int]]:
    """The store's data files read (by the storage layer, whole), with the records each held."""
    read: dict[str, int] = {}
    original = Path.read_bytes

    def spy(path: Path) -> bytes:
        payload = original(path)
        if path.is_relative_to(root) and path.suffix == ".json" and path.name != storage.MANIFEST:
            data = orjson.loads(payload)
            read[path.relative_to(root).as_posix()] = len(data.get(storage.RECORDS, {}))
        return payload

    monkeypatch.setattr(Path, "read_bytes", spy)
    yield read


def the_case(store: Store) -> Petition:
    """An open case received 3 days ago: a case being worked on today."""
    return next(
        p
        for p in store.all(Petition)
        if p.created_at.date() == (NOW - timedelta(days=3)).date() and p.status is S.IN_PROGRESS
    )


def test_the_store_holds_many_cases(root: Path):
    assert len(Store(root).all(Petition)) == DAYS * PER_DAY


def test_a_reload_after_one_change_elsewhere_validates_only_that_case(root: Path, validated: list[str]):
    reader, writer = Store(root, actor="dashboard"), Store(root, actor="other-desk")
    dashboard(reader, clock.now())  # the dashboard has shown the store once
    case = the_case(writer)
    change_status(writer, case.id, S.RESOLVED)
    validated.clear()
    data = dashboard(reader, clock.now())
    assert next(v for v in data.petitions if v.petition.id == case.id).petition.status is S.RESOLVED
    assert validated == [case.id]  # not the other 239


@pytest.mark.parametrize("made", ["before the change", "by the reload"])
def test_the_first_frames_read_makes_its_bytes_later_and_a_reload_still_validates_one_case(
    root: Path, validated: list[str], made: str
):
    """The dashboard reads its first frame's data with ``bytes_later`` (duty_room/live.py: show_first_frame),
    then the rest of the dashboard right after it (_fill) the same way, and makes the per-record
    cache's bytes once that is on screen (make_bytes), or a reload makes them as it needs them:
    either way each case is validated once, and a reload after one change validates that case alone.
    The first frame validates the open cases only: the closed ones beside them in the same day files
    are validated with the rest (they were validated before the first frame, ~84 M instructions of
    its ~2,500 M on the township)."""
    reader, writer = Store(root, actor="dashboard"), Store(root, actor="other-desk")
    every = Store(root).all(Petition)
    still_open = sorted(p.id for p in every if p.status.is_open)
    assert len(still_open) < len(every)  # some closed ones beside them
    validated.clear()
    reader.bytes_later = True
    shown = first_frame(reader, clock.now())
    assert sorted(validated) == still_open == sorted(v.petition.id for v in shown.petitions)
    dashboard(reader, clock.now())  # the rest: the closed cases now, the open ones not again
    reader.bytes_later = False
    assert sorted(validated) == sorted(p.id for p in every)
    assert [p.id for p in reader.all(Petition)] == [p.id for p in every]  # in the files' order
    assert all(cached.made is None for cached in reader._cache.values())
    eager = Store(root)
    dashboard(eager, clock.now())
    if made == "before the change":
        reader.make_bytes()
        assert all(cached.docs is None for cached in reader._cache.values())
        assert {path: {i: b for i, (b, _) in c.known.items()} for path, c in reader._cache.items()} == {
            path: {i: b for i, (b, _) in c.known.items()} for path, c in eager._cache.items()
        }
    case = the_case(writer)
    change_status(writer, case.id, S.RESOLVED)
    validated.clear()
    data = dashboard(reader, clock.now())
    assert next(v for v in data.petitions if v.petition.id == case.id).petition.status is S.RESOLVED
    assert validated == [case.id]


def test_a_write_reads_and_validates_only_what_it_touches(
    root: Path, validated: list[str], records_read: dict[str, int]
):
    desk, other = Store(root, actor="desk"), Store(root, actor="other-desk")
    desk.all(Petition)  # a desk that has shown the store
    first, second = (
        the_case(desk),
        next(
            p
            for p in desk.all(Petition)
            if p.id.endswith("-002") and p.created_at.date() == (NOW - timedelta(days=5)).date()
        ),
    )
    change_status(other, first.id, S.RESOLVED)  # another desk changed a case meanwhile
    validated.clear()
    records_read.clear()
    change_status(desk, second.id, S.RESOLVED)
    assert set(validated) == {second.id}, validated  # the case changed (as changed and as stamped): no other
    assert sum(records_read.values()) <= PER_DAY, records_read  # only its own day's cases were read


def test_a_fresh_process_reads_and_validates_one_day_to_change_one_case(
    root: Path, validated: list[str], records_read: dict[str, int]
):
    case = the_case(Store(root))
    validated.clear()
    records_read.clear()
    change_status(Store(root, actor="cli"), case.id, S.RESOLVED)  # a new process: nothing cached
    assert sum(records_read.values()) <= PER_DAY, records_read
    assert len(validated) <= PER_DAY + 2, validated  # the day's cases as read, the changed one as changed and stamped


def test_the_cache_never_hides_a_changed_record(root: Path):
    """The cache is keyed by a record's bytes: any change on disk is validated again, even one
    that leaves ``updated_at`` (and the file's generation) as it was."""
    reader = Store(root, actor="dashboard")
    case = the_case(reader)
    path = next(p for p in root.rglob("*.json") if case.id.encode() in p.read_bytes() and "archive" not in p.name)

    def edit(change: Any) -> None:
        data = orjson.loads(path.read_bytes())
        for doc in data[storage.RECORDS].values():
            if doc["id"] == case.id:
                change(doc)
        temp = path.with_name("edited.tmp")
        temp.write_bytes(orjson.dumps(data))
        temp.replace(path)  # a new file, as any writer leaves it

    edit(lambda doc: doc.update(title="改过的标题"))
    assert next(p for p in reader.all(Petition) if p.id == case.id).title == "改过的标题"
    edit(lambda doc: doc.update(extension_days=1))
    assert next(p for p in reader.all(Petition) if p.id == case.id).extension_days == 1
    edit(lambda doc: doc.update(extension_days=0))  # damage: extension_days must be at least 1
    with pytest.raises(StoreCorruptError, match=case.id):
        reader.all(Petition)


def test_a_closed_case_damaged_beside_the_open_ones_is_named_when_the_rest_is_read(root: Path):
    """The first frame leaves the closed cases of a day file to the read of the rest: one damaged
    is named then (the dashboard's status line), as any damage in the rest is."""
    closed = next(p for p in Store(root).all(Petition) if not p.status.is_open)
    path = next(p for p in root.rglob("*.json") if closed.id.encode() in p.read_bytes() and "archive" not in p.name)
    data = orjson.loads(path.read_bytes())
    for doc in data[storage.RECORDS].values():
        if doc["id"] == closed.id:
            doc["extension_days"] = 0  # must be at least 1
    path.write_bytes(orjson.dumps(data))
    reader = Store(root, actor="dashboard")
    reader.bytes_later = True
    shown = first_frame(reader, clock.now())
    assert shown.petitions and all(v.petition.status.is_open for v in shown.petitions)
    with pytest.raises(StoreCorruptError, match=closed.id):
        dashboard(reader, clock.now())
    with pytest.raises(StoreCorruptError, match=closed.id):  # and again: never cached as whole
        dashboard(reader, clock.now())
