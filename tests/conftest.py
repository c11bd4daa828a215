"""Shared fixtures: a frozen clock and small, hand-made stores."""

from __future__ import annotations

import fcntl
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import time, timedelta
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from duty_room import config
from duty_room.cli import cli
from store import clock, storage
from store.models import (
    Community,
    DutyShift,
    Grid,
    GridWorker,
    Household,
    Petition,
    ServiceSchedule,
    ServiceSession,
    Stall,
    StallPayment,
    StallPermit,
    Visit,
    VisitPlan,
)
from store.storage import Store

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tools/ (pty helper) lives beside tests/

FROZEN_NOW = "2026-11-28T09:30:00+08:00"  # a Saturday morning


FROZEN_CLI = Path(__file__).resolve().parent / "frozen_cli.py"


@pytest.fixture(autouse=True)
def _clock_runs_after_each_test() -> Iterator[None]:
    yield
    clock.unfreeze()


@pytest.fixture(autouse=True)
def _umask_as_before_each_test() -> Iterator[None]:
    """The command run as the service account sets umask 077 for its process (duty_room/cli.py):
    in the test process it would outlive the test that ran it."""
    before = os.umask(0o022)
    os.umask(before)
    yield
    os.umask(before)


@pytest.fixture(autouse=True)
def system_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where this test's system config lives (absent unless the test writes it), owned by whoever runs
    the tests: the machine's own /etc/duty-room/config.toml stays out of the tests."""
    folder = tmp_path / "etc-duty-room"
    folder.mkdir(mode=0o755)
    path = folder / "config.toml"
    monkeypatch.setattr(config, "SYSTEM_FILE", config.SystemFile(path, owner_uid=os.getuid()))
    return path


@pytest.fixture
def frozen_clock() -> str:
    clock.freeze(FROZEN_NOW)
    return FROZEN_NOW


def frozen_command(*args: str, now: str = FROZEN_NOW) -> list[str]:
    """The real `duty-room` command in a subprocess, with its clock frozen at ``now`` (tests only)."""
    return [sys.executable, str(FROZEN_CLI), now, *args]


def store_bytes(root: Path) -> dict[str, bytes]:
    """Every file under a store folder, hidden ones too, by path: equal before and after means
    nothing was written. (The lock file is left out: taking the lock may create it.)"""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


@contextmanager
def lock_held_elsewhere(root: Path) -> Iterator[Callable[[], None]]:
    """The store's write lock, taken as another process's long write would take it (an import, a
    backup). Yields ``release`` to free it mid-test; it is freed at the end in any case."""
    fd = os.open(root / storage.LOCK, os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    released = False

    def release() -> None:
        nonlocal released
        if not released:
            released = True
            os.close(fd)

    try:
        yield release
    finally:
        release()


def build_small_store(root: Path) -> Store:
    """Four open petitions, one grid tree, one session, one stall: enough to drive every panel."""
    store = Store(root, actor="setup")
    now = clock.now()
    today = now.date()
    with store.transaction() as tx:
        tx.put(Community(id="dongcheng", name="东城花园社区", township="孟轲乡", elderly_share_percent=62))
        tx.put(Community(id="yulan", name="玉兰社区", township="孟轲乡"))
        tx.put(Grid(id="dc-L1", community_id="dongcheng", level="large", name="第一大网格"))
        tx.put(Grid(id="dc-B01", community_id="dongcheng", level="branch", name="1号楼支部网格", parent_id="dc-L1"))
        tx.put(Grid(id="dc-M01", community_id="dongcheng", level="micro", name="1号楼1单元", parent_id="dc-B01"))
        tx.put(GridWorker(id="w1", name="王秀兰", role="micro_worker", phone="13912345678", grid_id="dc-M01"))
        for i in range(5):
            household = tx.put(
                Household(
                    id=f"h{i}",
                    grid_id="dc-M01",
                    building="1",
                    unit="1",
                    room=f"10{i}",
                    head_name="张建国",
                    phone="13512345678",
                    tags=["living_alone"] if i % 2 else [],
                    elderly=True,
                )
            )
            tx.put(
                VisitPlan(
                    id=f"vp{i}",
                    day=today,
                    grid_id="dc-M01",
                    household_id=household.id,
                    worker_id="w1",
                    tags=household.tags,
                )
            )
        tx.put(
            Visit(
                id="v1",
                day=today,
                at=max(now - timedelta(minutes=5), clock.start_of_day(today)),  # on today even just after midnight
                grid_id="dc-M01",
                household_id="h0",
                worker_id="w1",
                note="老人身体良好",
            )
        )
        cases = [
            ("new", "下水道堵塞污水外溢", -6),
            ("accepted", "[red]楼顶[/]漏水", -1),
            ("dispatched", "燃气管道老化阀门漏气", 4),
            ("in_progress", "楼道私拉电线", 30),
        ]
        for i, (status, title, due_hours) in enumerate(cases):
            tx.put(
                Petition(
                    id=f"MK261127-00{i + 1}",
                    title=title,
                    channel="hotline",
                    category="infrastructure",
                    community_id="dongcheng",
                    grid_id="dc-M01",
                    status=status,
                    created_at=now - timedelta(hours=30),
                    due_at=now + timedelta(hours=due_hours),
                    reporter_name="李小明",
                    reporter_phone="13812341234",
                )
            )
        tx.put(
            ServiceSession(
                id="sv1",
                day=today,
                kind="meal_delivery",
                title="入户送餐",
                community_id="dongcheng",
                place="日间照料中心",
                start=time(11),
                end=time(12, 30),
                household_ids=["h1", "h3"],
            )
        )
        tx.put(
            ServiceSession(
                id="sv0",
                day=today,
                kind="class",
                title="反诈课堂",
                community_id="dongcheng",
                place="党群服务中心",
                start=time(9),
                end=time(10),
            )
        )
        tx.put(
            Stall(
                id="yl-01",
                market="玉兰商业街",
                community_id="yulan",
                number=1,
                goods="小吃",
                holder_name="赵六",
                holder_phone="13700001111",
                monthly_fee_fen=30000,
                occupied_on=today,
                reduction="disabled",
            )
        )
        tx.put(
            StallPermit(
                id="pm-1", stall_id="yl-01", holder_name="赵六", status="valid", applied_on=today - timedelta(days=300)
            )
        )
        tx.put(
            StallPayment(
                id="pay1", stall_id="yl-01", period="2026-08", amount_fen=15000, paid_at=now, collector="王会计"
            )
        )
        tx.put(DutyShift(id="d1", day=today, leader="刘晓宇", staff=["王献伟"]))
    return Store(root, actor="duty-officer")


def add_children_schedule(store: Store) -> None:
    """A weekend 一小 schedule beside the small store's one-off sessions (panel 3's schedule keys)."""
    with store.transaction() as tx:
        tx.put(
            ServiceSchedule(
                id="sc-sci",
                kind="science",
                title="社区科普馆开放日",
                community_id="dongcheng",
                place="科普馆",
                start=time(14),
                end=time(16),
                recurrence="weekends",
            )
        )


@pytest.fixture
def small_store(tmp_path: Path, frozen_clock: str) -> Store:
    return build_small_store(tmp_path / "store")


def to_legacy_layout(root: Path) -> None:
    """Rewrite a store as duty-room wrote it before day files (schema 1): every live case in one
    petitions.json, none in petitions/YYYY-MM-DD.json (the archives are as they were)."""
    _into_one_file(root, "petitions", "????-??-??*.json", schema=1, archive_index=False)


def _into_one_file(root: Path, table: str, live_files: str, *, schema: int, archive_index: bool = True) -> None:
    """Every record of ``table``'s live files (``live_files``, a glob in its folder) into one main
    file ``<table>.json``, as a duty-room of ``schema`` wrote it."""
    manifest = orjson.loads((root / "manifest.json").read_bytes())
    records: dict[str, object] = {}
    for path in sorted((root / table).glob(live_files)):
        for doc in orjson.loads(path.read_bytes())["records"].values():
            records[str(len(records) + 1)] = doc
        path.unlink()
        del manifest["files"][f"{table}/{path.name}"]
    meta = {"1": {"schema": schema, "generation": 1, "table": table}}
    (root / f"{table}.json").write_bytes(orjson.dumps({"records": records, "_meta": meta}))
    manifest["files"][f"{table}.json"] = 1
    manifest["schema"] = schema
    if not archive_index:
        manifest.pop("earliest_closed", None)
    (root / "manifest.json").write_bytes(orjson.dumps(manifest))


def to_uncapped_layout(root: Path) -> None:
    """Rewrite a store as duty-room wrote it before the cap on cases per file (schema 2): each day's
    live cases in the day's first file (petitions/2026-11-27.json), none in 2026-11-27.2.json."""
    manifest = orjson.loads((root / "manifest.json").read_bytes())
    for later in sorted((root / "petitions").glob("????-??-??.*.json")):
        first = later.with_name(later.name.split(".")[0] + ".json")
        data = orjson.loads(first.read_bytes())
        for doc in orjson.loads(later.read_bytes())["records"].values():
            data["records"][str(max(map(int, data["records"])) + 1)] = doc
        data["_meta"] = {"1": {**data["_meta"]["1"], "schema": 2}}
        first.write_bytes(orjson.dumps(data))
        later.unlink()
        del manifest["files"][f"petitions/{later.name}"]
        manifest.get("earliest_closed", {}).pop(f"petitions/{later.name}", None)
    manifest["schema"] = 2
    (root / "manifest.json").write_bytes(orjson.dumps(manifest))


def to_register_file_layout(root: Path) -> None:
    """Rewrite a store as duty-room wrote it before households were kept by grid (schema 2): every
    household in one households.json, none in households/<grid>.json."""
    _into_one_file(root, "households", "*.json", schema=2)
    (root / "households").rmdir()


class Killed(BaseException):
    """A writer killed (kill -9) at the moment a test chose: nothing of it runs after."""


def kill_at_manifest(monkeypatch: pytest.MonkeyPatch) -> None:
    """The next transaction's writer dies just before it renames manifest.json (the commit point):
    its data files are already in place, its journal is left, nothing is undone. ``monkeypatch.undo()``
    brings the process back to life for the rest of the test."""
    real_rename = storage.SystemCalls.rename

    def die_at_manifest(self: storage.SystemCalls, source: Path, target: Path) -> None:
        if Path(target).name == "manifest.json":
            raise Killed()
        return real_rename(self, source, target)

    monkeypatch.setattr(storage.SystemCalls, "rename", die_at_manifest)
    monkeypatch.setattr(storage.Store, "_undo", lambda *args: None)


OTHER = "other-desk"


def elsewhere(store: Store) -> Store:
    """The same store opened by another desk (another dashboard, the command line)."""
    return Store(store.root, actor=OTHER)


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    """The command line with the machine's per-user folders and the caller's store and config kept
    out (test_cli.py has its own, with a frozen clock)."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.delenv("DUTY_ROOM_CONFIG", raising=False)
    monkeypatch.delenv("DUTY_ROOM_STORE", raising=False)
    return CliRunner()


def run(runner: CliRunner, root: Path, *args: str) -> str:
    """``duty-room --store ROOT ARGS…``, which must succeed: its output."""
    result = runner.invoke(cli, ["--store", str(root), *args])
    assert result.exit_code == 0, result.output
    return result.output.strip()
