"""Grid visits (store.visiting and queries.visit_progress): the roll-up of planned and visited up
the grid tree, the 一表全清 roster, a grid's households, who is out today, and recording a visit."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from store import clock
from store.clock import at
from store.models import (
    Community,
    Grid,
    GridLevel,
    GridWorker,
    Household,
    SpecialTag,
    Visit,
    VisitPlan,
)
from store.queries import GridProgress, dashboard, least_progress_first, visit_progress
from store.refusal import Refused
from store.storage import Store
from store.visiting import grid_households, record_visit, roster, workers_out, workers_today

TODAY = date(2026, 11, 28)
NOW = at(TODAY, 9, 30)
LA, DIS, LM, CE = (
    SpecialTag.LIVING_ALONE,
    SpecialTag.DISABLED,
    SpecialTag.LIMITED_MOBILITY,
    SpecialTag.CHILDLESS_ELDERLY,
)

# dongcheng: L1 ── B1 ── M1, M2
#                └─ B2 ── M3, M4          yulan: Y-L1 ── Y-B1 (its own households, never counted here)
GRIDS = [
    ("dc-L1", "large", None),
    ("dc-B1", "branch", "dc-L1"),
    ("dc-B2", "branch", "dc-L1"),
    ("dc-M1", "micro", "dc-B1"),
    ("dc-M2", "micro", "dc-B1"),
    ("dc-M3", "micro", "dc-B2"),
    ("dc-M4", "micro", "dc-B2"),
]
WORKERS = [  # id, role, grid
    ("w-chief", "grid_chief", "dc-L1"),
    ("w1", "micro_worker", "dc-M1"),
    ("w5", "micro_worker", "dc-M1"),
    ("w2", "micro_worker", "dc-M2"),
    ("w3", "micro_worker", "dc-M3"),
    ("w4", "liaison", "dc-M3"),
    ("y-w1", "grid_worker", "y-B1"),
]
HOUSEHOLDS = [  # id, grid, building, room, tags
    ("h11", "dc-M1", "1", "101", [LA]),
    ("h12", "dc-M1", "1", "102", []),
    ("h13", "dc-M1", "1", "103", [DIS]),
    ("h21", "dc-M2", "2", "101", []),
    ("h22", "dc-M2", "2", "102", [LA]),
    ("h31", "dc-M3", "3", "101", []),
    ("h32", "dc-M3", "3", "102", [CE]),
    ("h33", "dc-M3", "3", "103", []),
    ("h34", "dc-M3", "3", "104", []),
    ("h35", "dc-M3", "3", "105", []),
    ("h36", "dc-M3", "3", "106", []),
    ("h37", "dc-M3", "3", "107", [LM]),
    ("h41", "dc-M4", "4", "101", []),
    ("y-h1", "y-B1", "9", "101", [LA, DIS]),
]
PLANS = [  # household, worker (h37 and h41 are not planned today)
    ("h11", "w1"),
    ("h12", "w1"),
    ("h13", "w5"),
    ("h21", "w2"),
    ("h22", "w2"),
    ("h31", "w3"),
    ("h32", "w3"),
    ("h33", "w3"),
    ("h34", "w3"),
    ("h35", "w3"),
    ("h36", "w3"),
]
VISITS = [  # household, worker, hour, minute (h33 before h31 on purpose: the latest is not the last listed)
    ("h12", "w1", 8, 40),
    ("h21", "w2", 8, 0),
    ("h22", "w2", 8, 30),
    ("h33", "w3", 9, 20),
    ("h31", "w3", 9, 0),
    ("h41", "w-chief", 9, 10),
]


@pytest.fixture(autouse=True)
def frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    clock.freeze(NOW.isoformat())


def household(id: str, grid: str, building: str, room: str, tags: list[SpecialTag]) -> Household:
    return Household(id=id, grid_id=grid, building=building, unit="1", room=room, head_name="张建国", tags=tags)


def build(root: Path, visits: list[tuple[str, str, int, int]] = VISITS) -> Store:
    store = Store(root, actor="officer-li")
    homes = {h[0]: household(*h) for h in HOUSEHOLDS}
    with store.transaction() as tx:
        tx.put(Community(id="dongcheng", name="东城花园社区", township="孟轲乡"))
        tx.put(Community(id="yulan", name="玉兰社区", township="孟轲乡"))
        for id, level, parent in GRIDS:
            tx.put(Grid(id=id, community_id="dongcheng", level=level, name=f"网格{id}", parent_id=parent))
        tx.put(Grid(id="y-L1", community_id="yulan", level="large", name="玉兰大网格"))
        tx.put(Grid(id="y-B1", community_id="yulan", level="branch", name="玉兰支部", parent_id="y-L1"))
        for id, role, grid in WORKERS:
            tx.put(GridWorker(id=id, name=f"网格员{id}", role=role, phone="13912345678", grid_id=grid))
        for home in homes.values():
            tx.put(home)
        for household_id, worker in PLANS:
            home = homes[household_id]
            tx.put(
                VisitPlan(
                    id=f"vp-{household_id}",
                    day=TODAY,
                    grid_id=home.grid_id,
                    household_id=household_id,
                    worker_id=worker,
                    tags=home.tags,
                )
            )
        for household_id, worker, hour, minute in visits:
            tx.put(
                Visit(
                    id=f"v-{household_id}",
                    day=TODAY,
                    at=at(TODAY, hour, minute),
                    grid_id=homes[household_id].grid_id,
                    household_id=household_id,
                    worker_id=worker,
                    note="老人身体良好",
                )
            )
    return store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return build(tmp_path / "store")


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def by_id(progress: list[GridProgress]) -> dict[str, GridProgress]:
    return {p.grid.id: p for p in progress}


# ---------------------------------------------------------------------------
# visit_progress


def test_progress_is_listed_in_tree_order_with_depths(store: Store):
    progress = visit_progress(store, TODAY)
    assert [(p.grid.id, p.depth) for p in progress] == [
        ("dc-L1", 0),
        ("dc-B1", 1),
        ("dc-M1", 2),
        ("dc-M2", 2),
        ("dc-B2", 1),
        ("dc-M3", 2),
    ]


def test_a_grid_with_nothing_planned_is_absent(store: Store):
    ids = set(by_id(visit_progress(store, TODAY)))
    assert "dc-M4" not in ids  # it has a visit (h41) but no plan
    assert not ids & {"y-L1", "y-B1"}


@pytest.mark.parametrize(
    ("grid", "planned", "visited", "special"),
    [
        ("dc-M1", 3, 1, {LA: 1, DIS: 1}),
        ("dc-M2", 2, 2, {}),
        ("dc-M3", 6, 2, {CE: 1}),
        ("dc-B1", 5, 3, {LA: 1, DIS: 1}),
        ("dc-B2", 6, 2, {CE: 1}),
        ("dc-L1", 11, 5, {LA: 1, DIS: 1, CE: 1}),
    ],
)
def test_progress_counts_per_grid(store: Store, grid: str, planned: int, visited: int, special: dict[SpecialTag, int]):
    row = by_id(visit_progress(store, TODAY))[grid]
    assert (row.planned, row.visited, row.special_unvisited) == (planned, visited, special)
    assert row.community == "东城花园社区"


def test_every_parent_is_the_sum_of_its_children(store: Store):
    progress = visit_progress(store, TODAY)
    rows = by_id(progress)
    for parent in progress:
        children = [p for p in progress if p.grid.parent_id == parent.grid.id]
        if not children:
            assert parent.grid.level is GridLevel.MICRO
            continue
        assert parent.planned == sum(c.planned for c in children)
        assert parent.visited == sum(c.visited for c in children)
        for tag in SpecialTag:
            assert parent.special_unvisited.get(tag, 0) == sum(c.special_unvisited.get(tag, 0) for c in children)
    assert rows["dc-L1"].ratio == 5 / 11


def test_least_progress_first_lists_micro_grids_ties_by_households_left(store: Store):
    # dc-M1 1/3 (2 left) and dc-M3 2/6 (4 left) tie on share: more left goes first; dc-M2 is done.
    ordered = least_progress_first(visit_progress(store, TODAY))
    assert [p.grid.id for p in ordered] == ["dc-M3", "dc-M1", "dc-M2"]
    assert all(p.grid.level is GridLevel.MICRO for p in ordered)


def test_least_progress_first_puts_the_lowest_share_first(tmp_path: Path):
    store = build(
        tmp_path / "s",
        visits=[
            ("h11", "w1", 8, 0),
            ("h21", "w2", 8, 0),
            ("h31", "w3", 8, 0),
            ("h32", "w3", 8, 5),
            ("h33", "w3", 8, 10),
            ("h34", "w3", 8, 15),
        ],
    )
    ordered = least_progress_first(visit_progress(store, TODAY))
    # dc-M1 1/3, dc-M2 1/2, dc-M3 4/6
    assert [(p.grid.id, p.visited, p.planned) for p in ordered] == [("dc-M1", 1, 3), ("dc-M2", 1, 2), ("dc-M3", 4, 6)]


def test_progress_of_another_day_is_empty(store: Store):
    assert visit_progress(store, date(2026, 11, 29)) == []


# ---------------------------------------------------------------------------
# roster


def test_roster_is_in_tree_order_with_depths(store: Store):
    entries = roster(store, "dongcheng")
    assert [(e.grid.id, e.depth) for e in entries] == [
        ("dc-L1", 0),
        ("dc-B1", 1),
        ("dc-M1", 2),
        ("dc-M2", 2),
        ("dc-B2", 1),
        ("dc-M3", 2),
        ("dc-M4", 2),
    ]


def test_roster_attaches_workers_to_their_own_grid(store: Store):
    workers = {e.grid.id: [w.id for w in e.workers] for e in roster(store, "dongcheng")}
    assert workers == {
        "dc-L1": ["w-chief"],
        "dc-B1": [],
        "dc-M1": ["w1", "w5"],
        "dc-M2": ["w2"],
        "dc-B2": [],
        "dc-M3": ["w4", "w3"],
        "dc-M4": [],
    }  # by role key: liaison before micro_worker


@pytest.mark.parametrize(
    ("grid", "households", "special"),
    [
        ("dc-M1", 3, {LA: 1, DIS: 1}),
        ("dc-M2", 2, {LA: 1}),
        ("dc-M3", 7, {CE: 1, LM: 1}),
        ("dc-M4", 1, {}),
        ("dc-B1", 5, {LA: 2, DIS: 1}),
        ("dc-B2", 8, {CE: 1, LM: 1}),
        ("dc-L1", 13, {LA: 2, DIS: 1, CE: 1, LM: 1}),
    ],
)
def test_roster_rolls_up_households_and_special_tags(
    store: Store, grid: str, households: int, special: dict[SpecialTag, int]
):
    entry = next(e for e in roster(store, "dongcheng") if e.grid.id == grid)
    assert (entry.households, entry.special) == (households, special)


def test_roster_of_one_community_excludes_the_others(store: Store):
    dongcheng = roster(store, "dongcheng")
    assert all(e.grid.community_id == "dongcheng" for e in dongcheng)
    yulan = roster(store, "yulan")
    assert [(e.grid.id, e.depth, e.households, [w.id for w in e.workers]) for e in yulan] == [
        ("y-L1", 0, 1, []),
        ("y-B1", 1, 1, ["y-w1"]),
    ]


# ---------------------------------------------------------------------------
# grid_households


def test_grid_households_include_sub_grids_waiting_and_special_first(store: Store):
    rows = grid_households(store, TODAY, "dc-B2")
    # waiting (planned, not visited): h32 (special), h34, h35, h36; then the rest, where the code also puts
    # special households first: h37, then h31, h33, h41 by address
    assert [r.household.id for r in rows] == ["h32", "h34", "h35", "h36", "h37", "h31", "h33", "h41"]


def test_grid_households_rows_carry_plan_worker_and_visit(store: Store):
    rows = {r.household.id: r for r in grid_households(store, TODAY, "dc-B2")}
    assert (rows["h32"].planned, rows["h32"].worker.id, rows["h32"].visit) == (True, "w3", None)
    assert (rows["h31"].planned, rows["h31"].worker.id) == (True, "w3")
    assert rows["h31"].visit == store.get(Visit, "v-h31", TODAY.isoformat())
    assert (rows["h37"].planned, rows["h37"].worker, rows["h37"].visit) == (False, None, None)
    # visited without a plan: the visitor is shown
    assert (rows["h41"].planned, rows["h41"].worker.id, rows["h41"].visit.id) == (False, "w-chief", "v-h41")


def test_grid_households_of_a_micro_grid_are_only_its_own(store: Store):
    assert [r.household.id for r in grid_households(store, TODAY, "dc-M1")] == ["h11", "h13", "h12"]


@pytest.mark.parametrize(
    ("grid", "expected"),
    [("dc-B2", ["h32", "h37"]), ("dc-L1", ["h11", "h13", "h32", "h37"]), ("dc-M2", [])],
)
def test_special_unvisited_filter_keeps_special_households_not_visited_today(
    store: Store, grid: str, expected: list[str]
):
    rows = grid_households(store, TODAY, grid, special_unvisited_only=True)
    assert [r.household.id for r in rows] == expected
    assert all(r.household.tags and r.visit is None for r in rows)


def test_grid_households_another_day_has_no_plans_or_visits(store: Store):
    rows = grid_households(store, date(2026, 11, 29), "dc-M1")
    assert {(r.household.id, r.planned, r.worker, r.visit) for r in rows} == {
        ("h11", False, None, None),
        ("h12", False, None, None),
        ("h13", False, None, None),
    }


# ---------------------------------------------------------------------------
# workers_today


def test_workers_today_nothing_logged_first_then_most_left(store: Store):
    rows = workers_today(store, TODAY)
    assert [(r.worker.id, r.planned, r.visited, r.out) for r in rows] == [
        ("w5", 1, 0, False),
        ("w3", 6, 2, True),
        ("w1", 2, 1, True),
        ("w2", 2, 2, True),
        ("w-chief", 0, 1, True),
    ]


def test_workers_today_last_visit_is_the_latest_and_grid_named(store: Store):
    rows = {r.worker.id: r for r in workers_today(store, TODAY)}
    assert rows["w3"].last_visit == at(TODAY, 9, 20)
    assert rows["w2"].last_visit == at(TODAY, 8, 30)
    assert rows["w5"].last_visit is None
    assert rows["w3"].grid == "网格dc-M3"


def test_workers_with_no_plan_and_no_visit_are_absent(store: Store):
    ids = {r.worker.id for r in workers_today(store, TODAY)}
    assert not ids & {"w4", "y-w1"}
    assert workers_today(store, date(2026, 11, 29)) == []


# ---------------------------------------------------------------------------
# record_visit


def refused(call: Any, *args: Any) -> Refused:
    with pytest.raises(Refused) as info:
        call(*args)
    return info.value


def test_record_visit_writes_todays_log_entry(store: Store):
    visit = record_visit(store, "h11", "w1", "  独居老人，血压正常\n已提醒防诈  ")
    stored = store.get(Visit, visit.id, TODAY.isoformat())
    assert stored == visit
    assert (stored.day, stored.at, stored.grid_id, stored.household_id, stored.worker_id) == (
        TODAY,
        NOW,
        "dc-M1",
        "h11",
        "w1",
    )
    assert stored.note == "独居老人，血压正常\n已提醒防诈"
    assert stored.updated_by == "officer-li"


def test_record_visit_shows_in_progress_and_households(store: Store):
    record_visit(store, "h11", "w1", "已走访")
    rows = by_id(visit_progress(store, TODAY))
    assert (rows["dc-M1"].visited, rows["dc-M1"].special_unvisited) == (2, {DIS: 1})
    assert (rows["dc-L1"].visited, rows["dc-L1"].special_unvisited) == (6, {DIS: 1, CE: 1})
    assert [r.household.id for r in grid_households(store, TODAY, "dc-M1", special_unvisited_only=True)] == ["h13"]


def test_record_visit_on_another_day_is_a_new_entry(store: Store, monkeypatch: pytest.MonkeyPatch):
    tomorrow = datetime(2026, 11, 29, 8, 15, tzinfo=clock.TZ)
    clock.freeze(tomorrow.isoformat())
    visit = record_visit(store, "h12", "w1", "复访")  # visited yesterday, not yet today
    assert (visit.day, visit.at) == (tomorrow.date(), tomorrow)
    assert store.all(Visit, "2026-11-29") == [visit]


@pytest.mark.parametrize("note", ["", "   ", "\n\t"])
def test_record_visit_needs_a_note(store: Store, note: str):
    before = files(store.root)
    assert refused(record_visit, store, "h11", "w1", note).key == "visit_needs_note"
    assert files(store.root) == before


def test_second_visit_the_same_day_is_refused_and_writes_nothing(store: Store):
    record_visit(store, "h11", "w1", "第一次")
    before = files(store.root)
    error = refused(record_visit, store, "h11", "w5", "第二次")
    assert error.key == "visit_twice"
    assert "09:30" in error.message("zh") and "09:30" in error.message("en")
    assert files(store.root) == before
    assert [v.note for v in store.all(Visit, TODAY.isoformat()) if v.household_id == "h11"] == ["第一次"]


def test_visit_already_logged_by_someone_else_is_refused(store: Store):
    assert refused(record_visit, store, "h12", "w5", "补录").key == "visit_twice"


@pytest.mark.parametrize(
    ("household_id", "worker_id", "key"),
    [("h99", "w1", "household_unknown"), ("h11", "w99", "worker_unknown")],
)
def test_record_visit_unknown_household_or_worker(store: Store, household_id: str, worker_id: str, key: str):
    before = files(store.root)
    error = refused(record_visit, store, household_id, worker_id, "走访")
    assert error.key == key
    assert household_id in error.message("en") or worker_id in error.message("en")
    assert files(store.root) == before


def grid_files_read(monkeypatch: pytest.MonkeyPatch, root: Path) -> list[str]:
    """The households' grid files the storage layer reads whole from now on."""
    read: list[str] = []
    original = Path.read_bytes

    def spy(path: Path) -> bytes:
        if path.parent == root / Household.table:
            read.append(path.stem)
        return original(path)

    monkeypatch.setattr(Path, "read_bytes", spy)
    return read


def test_record_visit_given_the_grid_reads_that_grids_file_only(store: Store, monkeypatch: pytest.MonkeyPatch):
    fresh = Store(store.root, actor="officer-li")  # nothing cached: every file it looks at is read
    read = grid_files_read(monkeypatch, store.root)
    visit = record_visit(fresh, "h11", "w1", "已走访", grid_id="dc-M1")
    assert read == ["dc-M1"]
    assert visit.grid_id == "dc-M1"


@pytest.mark.parametrize("listed_under", ["dc-M1", "dc-M3", "no-such-grid", "../households"])
def test_record_visit_finds_the_household_wherever_it_is_now(store: Store, listed_under: str):
    """The grid a household was listed under is only where it is looked for first: moved since (or a
    grid that is not there), it is found in its grid and the visit is logged under that grid."""
    with store.transaction() as tx:
        tx.put(tx.get(Household, "h11").model_copy(update={"grid_id": "dc-M2"}))
    visit = record_visit(store, "h11", "w1", "已走访", grid_id=listed_under)
    assert visit.grid_id == "dc-M2"
    assert store.all(Visit, TODAY.isoformat())[-1] == visit


def test_a_grid_whose_parent_is_missing_is_listed_as_a_top_grid():
    from store.visiting import grid_tree

    orphan = Grid(id="m9", community_id="c1", level="micro", name="9号楼1单元", parent_id="gone")
    top = Grid(id="L1", community_id="c1", level="large", name="第一大网格")
    assert [(g.id, depth) for g, depth in grid_tree([orphan, top])] == [("L1", 0), ("m9", 0)]


def test_recent_visits_are_the_households_own_newest_first_within_the_window(tmp_path, frozen_clock) -> None:  # noqa: ANN001
    from datetime import date, datetime, timedelta

    from store.models import Visit
    from store.visiting import recent_visits
    from tests.conftest import build_small_store

    store = build_small_store(tmp_path / "store")
    today = date(2026, 11, 28)
    morning = datetime.fromisoformat("2026-11-28T08:00:00+08:00")
    with store.transaction() as tx:
        for days, hour, household in [(0, 0, "h1"), (0, 2, "h1"), (3, 1, "h1"), (3, 1, "h2"), (14, 0, "h1")]:
            at = morning - timedelta(days=days) + timedelta(hours=hour)
            tx.put(
                Visit(
                    id=f"t-{days}-{hour}-{household}",
                    day=at.date(),
                    at=at,
                    grid_id="dc-M01",
                    household_id=household,
                    worker_id="w1",
                    note="上门走访",
                )
            )
    found = recent_visits(store, "h1", today)
    assert [v.id for v in found] == ["t-0-2-h1", "t-0-0-h1", "t-3-1-h1"]  # the 14th day back is outside


def test_workers_out_counts_what_workers_today_lists_without_reading_the_roster(
    store: Store, monkeypatch: pytest.MonkeyPatch
):
    """The dashboard's two counts (out / expected) are workers_today's, from the day's plans and
    visits: no grid worker is read nor validated for them (issue 13: ~1,000 on a township)."""
    rows = workers_today(store, TODAY)
    expected = (sum(r.out for r in rows), len(rows))
    validated: list[str] = []
    original = GridWorker.model_validate.__func__  # type: ignore[attr-defined]

    def spy(cls: type[GridWorker], obj: Any, *args: Any, **kwargs: Any) -> GridWorker:
        validated.append(obj.get("id"))
        return original(cls, obj, *args, **kwargs)  # type: ignore[no-any-return]

    monkeypatch.setattr(GridWorker, "model_validate", classmethod(spy))
    cold = Store(store.root)  # nothing read yet
    assert workers_out(cold, TODAY) == expected == (4, 5)
    assert dashboard(cold, NOW).workers_out == 4 and validated == []
    assert workers_out(cold, date(2026, 11, 29)) == (0, 0)
