"""The demo data set (store.demo.build_demo, scale="demo")."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from duty_room.cli import cli
from store import clock, demo
from store.deadlines import DeadlineRules
from store.demo import DemoSummary, build_demo, casework, territory
from store.errors import StoreHoldsDataError
from store.lifecycle import RULES, Action
from store.models import (
    ALL_MODELS,
    Community,
    DutyShift,
    FeeReduction,
    Grid,
    GridLevel,
    GridWorker,
    Household,
    Petition,
    PetitionStatus,
    Priority,
    Satisfaction,
    ServiceSession,
    SessionState,
    Stall,
    StallPayment,
    Visit,
    VisitPlan,
)
from store.schedule import sessions_on
from store.storage import ARCHIVE_AFTER, Store, StoreError

NOW = "2026-11-28T09:30:00+08:00"  # a Saturday
DUE = {
    Priority.EMERGENCY: timedelta(hours=2),
    Priority.URGENT: timedelta(hours=24),
    Priority.NORMAL: timedelta(days=5),
    Priority.COMPLEX: timedelta(days=15),
}


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    clock.freeze(NOW)


@pytest.fixture
def built(tmp_path: Path, frozen: None) -> tuple[Store, DemoSummary]:
    store = Store(tmp_path / "store", actor="demo-test")
    return store, build_demo(store)


def every_record(store: Store, model):
    return store.all_partitions(model)


def test_summary_matches_what_was_written(built):
    store, summary = built
    petitions = every_record(store, Petition)
    active = store.all(Petition)
    assert summary.communities == len(store.all(Community)) == 8
    assert summary.grids == len(store.all(Grid))
    assert summary.workers == len(store.all(GridWorker))
    assert summary.households == len(store.all(Household))
    assert summary.visit_plans == len(every_record(store, VisitPlan))
    assert summary.visits == len(every_record(store, Visit))
    assert summary.petitions == len(petitions)
    assert summary.petitions_open == sum(p.status.is_open for p in active)
    assert summary.petitions_archived == len(petitions) - len(active)
    assert summary.services == len(every_record(store, ServiceSession))
    assert summary.stalls == len(store.all(Stall))
    assert summary.payments == len(every_record(store, StallPayment))
    assert summary.grids < 80
    assert 30 <= len(active) <= 45
    assert store.check()  # every file parses and validates


def test_records_are_stamped_with_the_store_actor(built):
    store, _ = built
    for model in ALL_MODELS:
        for record in every_record(store, model):
            assert record.updated_by == "demo-test"
            assert record.updated_at == clock.now()


def test_eight_communities(built):
    store, _ = built
    communities = {c.id: c for c in store.all(Community)}
    assert list(communities) == [
        "yulan",
        "dongcheng",
        "shiji",
        "dengfeng",
        "dingxiang",
        "jinhua",
        "huaqing",
        "mingrixing",
    ]
    assert communities["dongcheng"].name == "东城花园社区"
    assert communities["dongcheng"].elderly_share_percent == 62
    assert {c.township for c in communities.values()} == {"孟轲乡"}


def test_dongcheng_grids_follow_the_report(built):
    store, _ = built
    grids = {g.id: g for g in store.all(Grid) if g.community_id == "dongcheng"}
    by_level = {level: sorted(g.id for g in grids.values() if g.level is level) for level in GridLevel}
    assert by_level[GridLevel.LARGE] == [f"dc-L{i}" for i in range(1, 6)]
    assert by_level[GridLevel.BRANCH] == [f"dc-B{i:02d}" for i in range(1, 12)]
    assert by_level[GridLevel.MICRO] == [f"dc-M{i:02d}" for i in range(1, 29)]
    for grid in grids.values():
        if grid.level is GridLevel.MICRO:
            branch = grids[grid.parent_id]
            assert branch.level is GridLevel.BRANCH
            assert grids[branch.parent_id].level is GridLevel.LARGE
            assert grid.name.endswith("单元微网格")
        elif grid.level is GridLevel.BRANCH:
            assert grids[grid.parent_id].level is GridLevel.LARGE
            assert grid.name.endswith("号楼支部网格")
        else:
            assert grid.parent_id is None and grid.name.endswith("大网格")
    # Every large grid has a branch and every branch a micro grid.
    parents = {g.parent_id for g in grids.values()}
    assert set(by_level[GridLevel.LARGE]) | set(by_level[GridLevel.BRANCH]) <= parents


def test_every_grid_has_a_worker(built):
    store, _ = built
    workers = store.all(GridWorker)
    staffed = {w.grid_id for w in workers}
    assert {g.id for g in store.all(Grid)} <= staffed
    assert any(w.role == "liaison" for w in workers)
    assert len({w.id for w in workers}) == len(workers)


def test_dongcheng_households(built):
    store, _ = built
    micro = {g.id for g in store.all(Grid) if g.community_id == "dongcheng" and g.level is GridLevel.MICRO}
    households = [h for h in store.all(Household) if h.grid_id in micro]
    assert 250 <= len(households) <= 310
    elderly = sum(h.elderly for h in households) / len(households)
    assert 0.58 <= elderly <= 0.66
    for tag in ("living_alone", "disabled", "limited_mobility", "childless_elderly"):
        assert any(tag in h.tags for h in households)
    # Every special-tag household is planned for a visit today.
    planned = {p.household_id for p in store.all(VisitPlan, clock.today().isoformat())}
    assert all(h.id in planned for h in households if h.tags)


def test_visits_today_are_between_eight_and_now(built):
    store, _ = built
    today = clock.today()
    visits = store.all(Visit, today.isoformat())
    assert visits
    assert all(clock.at(today, 8) <= v.at < clock.now() for v in visits)
    assert len(store.partitions(Visit)) == 7  # today and the previous six days


def test_yulan_stalls_and_reductions(built):
    store, _ = built
    yulan = [s for s in store.all(Stall) if s.market == "玉兰商业街"]
    assert sorted(s.number for s in yulan) == list(range(1, 26))
    assert all(s.community_id == "yulan" for s in yulan)
    reductions = [s.reduction for s in yulan]
    assert reductions.count(FeeReduction.DISABLED) == 1
    assert reductions.count(FeeReduction.VETERAN) == 1
    assert any(not s.holder_name for s in yulan)  # a vacant stall
    assert any(s.market == "锦华周末便民市集" for s in store.all(Stall))


def test_payments_total_over_100000_yuan_and_reduced(built):
    store, _ = built
    payments = every_record(store, StallPayment)
    assert sum(p.amount_fen for p in payments) > 10_000_000
    assert min(p.period for p in payments) == "2022-07"
    stalls = {s.id: s for s in store.all(Stall)}
    share = {FeeReduction.NONE: 100, FeeReduction.DISABLED: 50, FeeReduction.VETERAN: 70}
    for payment in payments:
        stall = stalls[payment.stall_id]
        assert payment.amount_fen == stall.monthly_fee_fen * share[stall.reduction] // 100
        assert payment.paid_at < clock.now()


def test_every_status_and_an_overdue_open_case(built):
    store, _ = built
    petitions = every_record(store, Petition)
    assert {p.status for p in petitions} == set(PetitionStatus)
    now = clock.now()
    assert any(p.is_overdue(now) for p in petitions)
    assert any(p.status.is_open and now < p.due_at < clock.end_of_day(clock.today()) for p in petitions)
    # No text that reads as markup: shown literally (tests/test_app.py, on the small store), it looked
    # like a rendering fault to whoever first ran the demo ("2号楼[red]楼…").
    assert not any("[/" in p.title or "[/" in p.description for p in petitions)


def test_histories_walk_legal_transitions_in_time_order(built):
    store, _ = built
    now = clock.now()
    for petition in every_record(store, Petition):
        status = PetitionStatus.NEW
        previous = petition.created_at
        for event in petition.history:
            rule = RULES[Action(event.action)]
            assert event.from_status is status, petition.id
            assert status in rule.sources, f"{petition.id}: {event.action} from {status}"
            if rule.to is None:
                assert event.to_status is status
            elif event.action == Action.FOLLOW_UP and event.satisfaction is Satisfaction.UNSATISFIED:
                assert event.to_status is PetitionStatus.IN_PROGRESS  # 回访不满意，发回重办
            else:
                assert event.to_status is rule.to, f"{petition.id}: {status} -> {event.to_status}"
            assert not rule.needs_note or event.note.strip()
            assert previous < event.at < now, petition.id
            previous = event.at
            status = event.to_status
        assert status is petition.status, petition.id
        assert petition.due_at - petition.created_at == DUE[petition.priority]
        if petition.status.is_open:
            assert petition.closed_at is None
        else:
            assert petition.closed_at == petition.history[-1].at
        assert (petition.satisfaction is not None) == (petition.status is PetitionStatus.CLOSED)
        if petition.status not in (
            PetitionStatus.NEW,
            PetitionStatus.ACCEPTED,
            PetitionStatus.CANCELLED,
            PetitionStatus.MERGED,
        ):
            assert petition.assignee


def test_merged_duplicate_points_at_its_original(built):
    store, _ = built
    petitions = {p.id: p for p in every_record(store, Petition)}
    [merged] = [p for p in petitions.values() if p.status is PetitionStatus.MERGED]
    original = petitions[merged.duplicate_of]
    assert original.status.is_open and original.duplicates == [merged.id]


def test_archived_cases_were_closed_more_than_30_days_ago(built):
    store, summary = built
    cutoff = clock.now() - ARCHIVE_AFTER
    assert summary.petitions_archived > 0
    archives = store.newest_first(Petition)[1:]  # the partitions that are not day files of live cases
    assert archives and set(store.partitions(Petition)) == {*archives, *store.live_partitions(Petition)}
    for partition in archives:
        assert partition is not None and partition.startswith("archive-")
        for petition in store.all(Petition, partition):
            assert petition.closed_at is not None and petition.closed_at < cutoff
            assert partition == f"archive-{petition.closed_at:%Y-%m}"
    for petition in store.all(Petition):
        assert petition.closed_at is None or petition.closed_at >= cutoff


def test_services_today(built):
    store, _ = built
    now = clock.now()
    sessions = sessions_on(store, clock.today(), DeadlineRules())  # from the schedules, with what was recorded
    assert {s.audience for s in sessions} == {"elderly", "children"}
    past = [s for s in sessions if s.end <= now.time()]
    late = [s for s in past if s.state is SessionState.SCHEDULED]
    assert len(late) == 1
    done = [s for s in past if s.state is SessionState.DONE]
    assert len(done) >= 2 and all(s.served is not None for s in done)
    assert [s.cancel_reason for s in sessions if s.state is SessionState.CANCELLED] != []
    # 2026-11-28 is a Saturday: no 护学岗 or 四点半小课堂.
    assert not any(s.kind in ("school_guard", "after_school") for s in sessions)
    households = {h.id for h in store.all(Household)}
    assert all(h in households for s in sessions for h in s.household_ids)


def _dump(store: Store) -> dict[str, list[dict]]:
    dumped = {}
    for model in ALL_MODELS:
        for partition in [None, *store.partitions(model)]:
            dumped[f"{model.table}/{partition}"] = [
                r.model_dump(mode="json", exclude={"updated_at"}) for r in store.all(model, partition)
            ]
    return dumped


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.json"))}


def test_same_seed_same_store(tmp_path, frozen):
    first, second = Store(tmp_path / "a", actor="demo"), Store(tmp_path / "b", actor="demo")
    assert build_demo(first) == build_demo(second)
    assert _dump(first) == _dump(second)
    assert _files(first.root) == _files(second.root)  # byte for byte


def test_another_seed_another_store(tmp_path, frozen):
    first, second = Store(tmp_path / "a", actor="demo"), Store(tmp_path / "b", actor="demo")
    build_demo(first, seed=1)
    build_demo(second, seed=2)
    assert _dump(first)["households/None"] != _dump(second)["households/None"]


def test_refuses_a_store_with_data_unless_replace(built):
    store, summary = built
    before = _files(store.root)
    with pytest.raises(StoreHoldsDataError) as refused:
        build_demo(store)
    assert refused.value.files[0] == "communities.json"
    assert "--replace" in refused.value.message("en")
    assert _files(store.root) == before  # nothing changed
    assert build_demo(store, replace=True) == summary
    assert (store.root / ".lock").exists()
    assert len(store.all(Household)) == summary.households  # rebuilt, not doubled


def test_replace_keeps_files_outside_the_store_layout(built):
    store, _ = built
    other = store.root / "notes.json"
    other.write_text("{}")
    build_demo(store, replace=True)
    assert other.read_text() == "{}"


def test_demo_builds_quickly(tmp_path, frozen):
    start = time.perf_counter()
    build_demo(Store(tmp_path / "store"))
    assert time.perf_counter() - start < 5


def test_unknown_scale(tmp_path):
    with pytest.raises(ValueError, match="scale"):
        build_demo(Store(tmp_path / "store"), scale="city")  # type: ignore[arg-type]


# ---------------------------------------------------------------------------
# Determinism, the builder list, the township's history options


BUILD_IN_A_PROCESS = """
import sys
from store import clock
from store.demo import build_demo
from store.storage import Store
clock.freeze(sys.argv[2])
print(build_demo(Store(sys.argv[1], actor="demo")))
"""


def test_two_processes_on_the_same_date_build_the_same_records(tmp_path: Path) -> None:
    # Separate processes with different hash seeds: nothing may hang on set or dict order.
    summaries = []
    for name, hash_seed in (("a", "1"), ("b", "2")):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        done = subprocess.run(
            [sys.executable, "-c", BUILD_IN_A_PROCESS, str(tmp_path / name), NOW],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        summaries.append(done.stdout)
    first, second = Store(tmp_path / "a"), Store(tmp_path / "b")
    assert summaries[0] == summaries[1]
    assert _dump(first) == _dump(second)
    assert sum(map(len, _dump(first).values())) > 3000
    assert _files(first.root) == _files(second.root)


def test_a_domain_added_at_the_end_leaves_the_others_as_they_were(
    tmp_path: Path, frozen: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = Store(tmp_path / "plain", actor="demo")
    build_demo(plain)

    def tomorrows_duty(build: demo.DemoBuild, store: Store) -> None:
        shift = DutyShift(id="duty-next", day=build.today + timedelta(days=1), leader=build.rng.choice("甲乙丙"))
        build.write(store, duty=[shift])

    monkeypatch.setattr(demo, "DOMAIN_BUILDERS", (*demo.DOMAIN_BUILDERS, tomorrows_duty))
    extended = Store(tmp_path / "extended", actor="demo")
    summary = build_demo(extended)

    assert summary.duty == 2
    before, after = _dump(plain), _dump(extended)
    duty_files = [key for key in {*before, *after} if key.startswith("duty/")]  # the roster is filed by month

    def shift_ids(dump: dict[str, list[dict[str, object]]]) -> list[object]:
        return sorted(d["id"] for key in duty_files for d in dump.pop(key, []))  # type: ignore[type-var]

    assert shift_ids(after) == sorted([*shift_ids(before), "duty-next"])
    assert after == before


def test_replace_refuses_a_folder_that_is_not_a_store(tmp_path: Path, frozen: None) -> None:
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "households.json").write_text("my own list")
    with pytest.raises(StoreError, match="is not a duty-room store") as refused:
        build_demo(Store(folder), replace=True)
    assert "不是 duty-room 数据目录" in refused.value.message("zh")  # it was English in either language
    assert (folder / "households.json").read_text() == "my own list"
    assert not (folder / "manifest.json").exists()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"scale": "demo", "history_years": 30}, "township"),
        ({"scale": "demo", "cases": 1000}, "township"),
        ({"scale": "township", "history_years": 0}, "history_years"),
        ({"scale": "township", "history_years": demo.MAX_HISTORY_YEARS + 1}, "history_years"),
        ({"scale": "township", "cases": 0}, "cases"),
    ],
)
def test_history_options_are_checked_before_anything_is_written(tmp_path: Path, options, message) -> None:
    store = Store(tmp_path / "store")
    with pytest.raises(ValueError, match=message):
        build_demo(store, **options)
    assert not store.root.exists()


def test_township_history_years_and_cases(tmp_path: Path, frozen: None) -> None:
    """The casework builder at township scale over a long history: every case is written, each
    archived case in the file of the month it closed, the recent ones in the active file."""
    store = Store(tmp_path / "store", actor="demo")
    build = demo.DemoBuild("township", demo.DEFAULT_SEED, history_years=12, cases=2_400)
    small = demo.DemoBuild("demo", demo.DEFAULT_SEED, history_years=3, cases=1)
    build.town = small.town  # the demo's small town is enough to receive the cases
    territory.seed_places(small, store)
    territory.seed_households(small, store)
    casework.seed_petitions(build, store)

    now = clock.now()
    archived = {p: store.all(Petition, p) for p in store.partitions(Petition) if p.startswith("archive-")}
    assert len({name.removeprefix("archive-")[:4] for name in archived}) == 13  # twelve years back from November
    for partition, petitions in archived.items():
        assert petitions and all(
            partition == f"archive-{p.closed_at:%Y-%m}" and p.closed_at < now - ARCHIVE_AFTER for p in petitions
        )
    everything = [p for ps in archived.values() for p in ps] + store.all(Petition)
    assert len(everything) == 2_400 + 1  # and the merged duplicate
    assert len({p.id for p in everything}) == len(everything)
    assert min(p.created_at for p in everything) > now - timedelta(days=12 * 365 + 1)
    assert build.counts["petitions_archived"] == sum(map(len, archived.values()))
    assert build.counts["petitions_open"] + build.counts["petitions_closed"] == len(store.all(Petition))


def test_cli_passes_the_history_options_to_the_township_build(
    tmp_path: Path, frozen: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = {}

    def record(store: Store, **options) -> DemoSummary:
        asked.update(options)
        return DemoSummary(*[0] * 13)

    monkeypatch.setattr(demo, "build_demo", record)
    target = str(tmp_path / "store")
    result = CliRunner().invoke(cli, ["--store", target, "demo", "--scale", "township", "--history-years", "30"])
    assert result.exit_code == 0, result.output
    assert asked == {"scale": "township", "replace": False, "history_years": 30, "cases": None}
    assert "建好乡镇规模数据" in result.output and " 秒）：" in result.output  # with the build time, in words
    result = CliRunner().invoke(cli, ["--store", target, "demo", "--scale", "township", "--cases", "200000"])
    assert asked["cases"] == 200_000 and asked["history_years"] is None


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        # A usage slip is refused input: exit 1, like every refusal (duty_room/exits.py).
        (["--history-years", "30"], 1, "--scale township"),
        (["--cases", "5000"], 1, "--scale township"),
        (["--scale", "township", "--history-years", "0"], 1, "--history-years"),
        # In the interface's words with the option's name (it said the Python argument, in English).
        (["--scale", "township", "--history-years", "51"], 1, "--history-years 须为 1 到 50 的整数（输入的是「51」）"),
    ],
)
def test_cli_refuses_bad_history_options_in_one_line(tmp_path: Path, frozen: None, args, code, message) -> None:
    result = CliRunner().invoke(cli, ["--store", str(tmp_path / "store"), "demo", *args])
    assert result.exit_code == code
    assert message in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "store" / "manifest.json").exists()
