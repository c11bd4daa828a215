"""`duty-room check`: a real fsck, streaming file by file; `check --repair` does only safe repairs."""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner
from pydantic import ValidationError

from duty_room.cli import cli
from duty_room.exits import ExitCode
from store import storage
from store.models import DutyShift, Household, Petition, PetitionEvent, PetitionStatus, ServiceSchedule, ServiceSession
from store.storage import Store, check_store
from tools.synthetic import write_archives

from conftest import FROZEN_NOW, Killed, kill_at_manifest, to_legacy_layout

NOW = datetime.fromisoformat(FROZEN_NOW)


@pytest.fixture(autouse=True)
def no_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-config"))


def check(root: Path, *extra: str):  # noqa: ANN201
    return CliRunner().invoke(cli, ["--store", str(root), "check", *extra])


def fingerprint(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != storage.LOCK
    }


def edit(path: Path, change) -> None:  # noqa: ANN001
    data = orjson.loads(path.read_bytes())
    change(data)
    path.write_bytes(orjson.dumps(data))


def test_a_sound_store_passes(small_store: Store) -> None:
    result = check(small_store.root)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ok: ") and "条记录，第 " in result.output  # "ok: " for scripts, in either language
    english = CliRunner().invoke(cli, ["--store", str(small_store.root), "--lang", "en", "check"])
    assert english.output.startswith("ok: ") and "records, generation " in english.output


def test_a_missing_folder_is_not_ok(tmp_path: Path) -> None:
    result = check(tmp_path / "nowhere")
    assert result.exit_code == ExitCode.DAMAGED and "没有数据目录" in result.output
    assert not (tmp_path / "nowhere").exists()


def test_a_folder_that_is_not_a_store_is_not_ok(tmp_path: Path) -> None:
    folder = tmp_path / "etc"
    folder.mkdir()
    (folder / "passwd").write_text("root:x:0:0\n")
    (folder / "hosts").write_text("127.0.0.1 localhost\n")
    result = check(folder)
    assert result.exit_code == ExitCode.DAMAGED and "不是 duty-room 数据目录" in result.output
    assert CliRunner().invoke(cli, ["--store", "/etc", "check"]).exit_code == ExitCode.DAMAGED


def test_a_missing_manifest_is_damage(small_store: Store) -> None:
    (small_store.root / "manifest.json").unlink()
    result = check(small_store.root)
    assert result.exit_code == ExitCode.DAMAGED and "manifest.json" in result.output


def test_two_records_with_one_id_in_a_file(small_store: Store) -> None:
    def twin(data: dict) -> None:
        first = data["records"]["1"]
        data["records"]["99"] = dict(first)

    edit(small_store.path_for(Petition, "2026-11-27"), twin)
    result = check(small_store.root)
    assert result.exit_code == ExitCode.DAMAGED
    assert "MK261127-001" in result.output and "petitions/2026-11-27.json" in result.output


def archived_twin(store: Store) -> None:
    """A closed case in both the active file and the archive (an archive move by an older duty-room)."""
    closed = NOW - timedelta(days=40)
    case = Petition(
        id="MK261018-001",
        title="路灯不亮",
        channel="hotline",
        category="infrastructure",
        community_id="dongcheng",
        status=PetitionStatus.CLOSED,
        created_at=closed - timedelta(days=1),
        due_at=closed,
        closed_at=closed,
        history=[PetitionEvent(at=closed - timedelta(days=1), actor="x", action="create", to_status="new")],
    )
    with store.transaction() as tx:
        tx.put(case)
        tx.put(case, "archive-2026")


@pytest.mark.parametrize("layout", ["day files", "before day files"])
def test_a_case_in_both_active_file_and_archive_is_found_and_repaired(small_store: Store, layout: str) -> None:
    archived_twin(small_store)
    if layout == "before day files":  # every live case in petitions.json: split by the repair's transaction
        to_legacy_layout(small_store.root)
    result = check(small_store.root)
    assert result.exit_code == ExitCode.DAMAGED
    assert "MK261018-001" in result.output and "petitions/archive-2026.json" in result.output
    repaired = check(small_store.root, "--repair")
    assert repaired.exit_code == 0, repaired.output
    assert "已修复" in repaired.output
    assert (
        "已修复：petitions/2026-10-18.json 中的 MK261018-001 已删除：它已归档在 petitions/archive-2026.json"
        in repaired.output
    )
    assert "MK261018-001" not in [p.id for p in Store(small_store.root).all(Petition)]
    assert Store(small_store.root).get(Petition, "MK261018-001", "archive-2026").status is PetitionStatus.CLOSED


def test_repair_leaves_twins_that_differ(small_store: Store) -> None:
    archived_twin(small_store)
    with small_store.transaction() as tx:
        archived = tx.get(Petition, "MK261018-001", "archive-2026")
        tx.put(archived.model_copy(update={"title": "路灯不亮（归档）"}), "archive-2026")
    result = check(small_store.root, "--repair")
    assert result.exit_code == ExitCode.DAMAGED and "MK261018-001 在 petitions/2026-10-18.json 和" in result.output
    assert "不一致，未改动" in result.output
    assert "MK261018-001" in [p.id for p in Store(small_store.root).all(Petition)]


def household_by_hand(store: Store, household_id: str, *, into: str, keep: bool, **change: object) -> None:
    """Copy (or move, ``keep=False``) a household's record into another grid's file, by hand."""
    with store.transaction() as tx:  # that grid's file, made the way the store makes it
        tx.put(Household(id="h9", grid_id=into, building="2", unit="1", room="101", head_name="李四"))
    source = store.path_for(Household, "dc-M01")
    target = store.path_for(Household, into)
    data, other = orjson.loads(source.read_bytes()), orjson.loads(target.read_bytes())
    (doc_id,) = [k for k, d in data["records"].items() if d["id"] == household_id]
    other["records"]["99"] = {**data["records"][doc_id], **change}
    if not keep:
        del data["records"][doc_id]
        source.write_bytes(orjson.dumps(data))
    target.write_bytes(orjson.dumps(other))


def households_where(store: Store) -> dict[str, list[str]]:
    return {p: sorted(h.id for h in Store(store.root).all(Household, p)) for p in ("dc-M01", "dc-B01")}


@pytest.mark.parametrize(
    ("keep", "lang", "said"),
    [
        (
            True,
            "zh",
            "已修复：住户 h1 只保留一份，在 households/dc-M01.json（原在 households/dc-B01.json、households/dc-M01.json）",
        ),
        (False, "zh", "已修复：住户 h1 只保留一份，在 households/dc-M01.json（原在 households/dc-B01.json）"),
        (
            True,
            "en",
            "repaired: kept h1 once, in households/dc-M01.json (it was in households/dc-B01.json, households/dc-M01.json)",
        ),
    ],
    ids=["in two grids' files", "in another grid's file", "said in English"],
)
def test_repair_keeps_a_household_once_in_its_grids_file(small_store: Store, keep: bool, lang: str, said: str) -> None:
    household_by_hand(small_store, "h1", into="dc-B01", keep=keep)
    result = check(small_store.root)
    assert result.exit_code == ExitCode.DAMAGED and "h1" in result.output
    repaired = CliRunner().invoke(cli, ["--store", str(small_store.root), "--lang", lang, "check", "--repair"])
    assert repaired.exit_code == 0, repaired.output
    assert said in repaired.output.splitlines()
    assert households_where(small_store) == {"dc-M01": ["h0", "h1", "h2", "h3", "h4"], "dc-B01": ["h9"]}
    assert check_store(small_store.root).ok


def test_repair_leaves_a_household_whose_copies_differ(small_store: Store) -> None:
    household_by_hand(small_store, "h1", into="dc-B01", keep=True, room="909")
    before = fingerprint(small_store.root)
    result = check(small_store.root, "--repair")
    assert result.exit_code == ExitCode.DAMAGED
    assert "住户 h1 在 households/dc-B01.json、households/dc-M01.json 中的几份不一致，未改动" in result.output
    assert fingerprint(small_store.root) == before


def test_history_out_of_time_order(small_store: Store) -> None:
    def shuffle(data: dict) -> None:
        record = data["records"]["1"]
        record["history"] = [
            {"at": "2026-11-28T09:00:00+08:00", "actor": "a", "action": "accept"},
            {"at": "2026-11-27T09:00:00+08:00", "actor": "a", "action": "create"},
        ]

    edit(small_store.path_for(Petition, "2026-11-27"), shuffle)
    result = check(small_store.root)
    assert result.exit_code == ExitCode.DAMAGED and "时间顺序" in result.output


def test_a_file_the_manifest_does_not_list(small_store: Store) -> None:
    edit(small_store.root / "manifest.json", lambda data: data["files"].pop("stalls.json"))
    result = check(small_store.root)
    assert result.exit_code == ExitCode.DAMAGED and "stalls.json" in result.output and "manifest" in result.output


def test_a_listed_file_that_is_missing(small_store: Store) -> None:
    small_store.path_for(Petition, "2026-11-27").unlink()
    result = check(small_store.root)
    assert result.exit_code == ExitCode.DAMAGED and "petitions/2026-11-27.json" in result.output


def test_a_damaged_record_and_bad_json_are_named(small_store: Store) -> None:
    edit(small_store.root / "stalls.json", lambda data: data["records"]["1"].update(monthly_fee_fen=-5))
    (small_store.root / "households" / "dc-M01.json").write_bytes(b'{"records": {"1": ')
    result = check(small_store.root)
    assert result.exit_code == ExitCode.DAMAGED
    assert "stalls.json" in result.output and "monthly_fee_fen" in result.output and "yl-01" in result.output
    assert "households/dc-M01.json" in result.output  # every damaged file, not only the first


def test_an_interrupted_transaction_is_found_and_undone_by_repair(
    small_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A writer that died between its data renames and the manifest's: check reports the journal;
    --repair (or the next writer) puts the old files back."""
    root = small_store.root
    before = fingerprint(root)

    kill_at_manifest(monkeypatch)
    with pytest.raises(Killed):
        with small_store.transaction() as tx:
            case = tx.get(Petition, "MK261127-001")
            tx.put(case.model_copy(update={"title": "改了"}))
    monkeypatch.undo()
    assert fingerprint(root) != before
    result = check(root)
    assert result.exit_code == ExitCode.DAMAGED and ".journal" in result.output
    repaired = check(root, "--repair")
    assert repaired.exit_code == 0, repaired.output
    assert "已修复：中断的写入（第" in repaired.output and "代）已撤销" in repaired.output
    assert fingerprint(root) == before


def test_leftover_temp_files_are_a_warning_and_repair_removes_them(small_store: Store) -> None:
    leftover = small_store.root / ".petitions.json.tmp-1-deadbeef"
    leftover.write_bytes(b"{}")
    result = check(small_store.root)
    assert result.exit_code == 0 and "临时文件" in result.output
    assert check(small_store.root, "--repair").exit_code == 0
    assert not leftover.exists()


def test_a_shared_store_warns_of_folders_the_group_cannot_write(small_store: Store) -> None:
    root = small_store.root
    os.chmod(root, 0o2775)
    os.chmod(root / "visits", 0o755)
    result = check(root)
    # Another officer of the group would be refused there: a fault to fix (exit 2), named.
    assert result.exit_code == ExitCode.DAMAGED
    assert "visits" in result.output and "g+w" in result.output


def test_many_files_others_can_read_are_said_as_the_first_twenty_and_a_count(small_store: Store) -> None:
    """A store copied with `cp -r` under umask 022: every file readable by others, said one line a
    file (104 lines for the demo) where a damaged store's findings stop at twenty and a count."""
    root = small_store.root
    paths = [root, *root.rglob("*")]
    for path in paths:
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    assert len(paths) > 20
    result = check(root)
    lines = result.output.splitlines()
    assert result.exit_code == ExitCode.DAMAGED and len(lines) == 22, result.output
    assert lines[20] == f"……另有 {len(paths) - 20} 条" and str(root) in lines[21]


def test_folders_and_files_in_the_wrong_shape(small_store: Store) -> None:
    root = small_store.root
    (root / "audit").write_bytes(b"")
    result = check(root)
    assert result.exit_code == ExitCode.DAMAGED and "audit" in result.output and "应是文件夹" in result.output


def test_check_changes_nothing(small_store: Store) -> None:
    archived_twin(small_store)
    before = fingerprint(small_store.root)
    check(small_store.root)
    assert fingerprint(small_store.root) == before


# ---------------------------------------------------------------------------
# Bounded memory: check streams each file and keeps ids only, never the records


def synthetic_archive(root: Path, cases: int) -> int:
    """A store whose 2025 archive holds ``cases`` closed cases, written directly (no demo builder)."""
    return write_archives(root, {2025: cases}, description_repeats=8)


PEAK_RSS = """
import resource, sys
from store.storage import check_store
report = check_store(sys.argv[1])
assert report.ok, report.findings[:3]
print(report.records, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def peak_rss_kb(root: Path) -> tuple[int, int]:
    done = subprocess.run(
        [sys.executable, "-c", PEAK_RSS, str(root)], capture_output=True, text=True, timeout=300, check=True
    )
    records, rss = done.stdout.split()
    return int(records), int(rss)


@pytest.mark.slow
def test_check_memory_does_not_grow_with_the_archive(tmp_path: Path) -> None:
    small_bytes = synthetic_archive(tmp_path / "small", 1_000)
    large_bytes = synthetic_archive(tmp_path / "large", 25_000)
    assert large_bytes > 40_000_000
    small_records, small_rss = peak_rss_kb(tmp_path / "small")
    large_records, large_rss = peak_rss_kb(tmp_path / "large")
    assert (small_records, large_records) == (1_000, 25_000)
    # Holding the parsed file alone would add several times its size; ids add a few MB.
    grown_mb = (large_rss - small_rss) / 1024
    assert grown_mb < 0.25 * (large_bytes - small_bytes) / 1e6, f"check grew by {grown_mb:.0f} MB"


def test_unreadable_file_is_reported_not_raised(small_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    real_open = Path.open

    def refuse(self: Path, *args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        if self.name == "grids.json":
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    report = check_store(small_store.root)
    assert not report.ok
    (refused,) = [f for f in report.errors if f.path == "grids.json"]
    assert refused.message("en") == "grids.json: permission denied (EACCES)"
    assert refused.message("zh") == "grids.json：无权限（EACCES）"  # the cause in the reader's language too


def test_shared_store_mode_bits_are_not_required_of_a_private_store(small_store: Store) -> None:
    os.chmod(small_store.root, 0o755)
    report = check_store(small_store.root)
    assert report.ok and not [f for f in report.findings or [] if f.kind == "group_write"]
    assert not stat.S_IWGRP & os.stat(small_store.root).st_mode


def test_problems_lists_every_damaged_file_the_dashboard_reads(small_store: Store) -> None:
    """The dashboard's banner: a damaged grid's households file is found at start, not only in a list."""
    from datetime import date

    from store.errors import NotAFileError, StoreCorruptError

    root = small_store.root
    assert Store(root).problems(date(2026, 11, 28)) == []
    (root / "households" / "dc-M01.json").write_bytes(b'{"records": {"1": ')
    (root / "visits" / "2026-11-28.json").unlink()
    (root / "visits" / "2026-11-28.json").mkdir()
    found = Store(root).problems(date(2026, 11, 28))
    assert {type(e) for e in found} == {StoreCorruptError, NotAFileError}
    assert {Path(e.path).name for e in found} == {"dc-M01.json", "2026-11-28.json"}  # type: ignore[attr-defined]
    assert all("\n" not in e.message("zh") and "\n" not in e.message("en") for e in found)
    assert any("不是文件" in e.message("zh") for e in found)


def test_problems_names_a_listed_file_deleted_by_hand(small_store: Store) -> None:
    """The dashboard's banner: a file manifest.json lists, deleted, read as empty, so its records
    left the panels without a word (the 一老一小 schedules: 近一周没有安排; here the stalls)."""
    from datetime import date

    from store.errors import StoreFileMissingError

    root = small_store.root
    (root / "stalls.json").unlink()
    [found] = Store(root).problems(date(2026, 11, 28))
    assert isinstance(found, StoreFileMissingError) and Path(found.path).name == "stalls.json"
    assert "数据文件缺失" in found.message("zh") and "store file missing" in found.message("en")
    (root / storage.JOURNAL).write_bytes(b"{}")  # a commit in flight removes files: not damage
    assert Store(root).problems(date(2026, 11, 28)) == []


def test_the_loss_of_a_listed_file_deleted_by_hand_is_accepted_on_record(small_store: Store) -> None:
    """A listed file deleted by hand is damage, and writes to it are refused until it is restored;
    with no backup the only way on was writing {} by hand, after which check complained of its
    generation. `check --repair --accept-missing FILE` accepts the loss under the lock: the file
    written anew, empty, one generation on (a day's file: no longer listed), an audit entry naming
    who accepted it; check is then ok. Anything else is refused, exit 1, changing nothing."""
    from datetime import date

    from store.models import AuditEntry, Stall
    from store.storage import default_actor

    root = small_store.root
    generation = Store(root).manifest()["files"]["stalls.json"]
    (root / "stalls.json").unlink()
    (root / "petitions" / "2026-11-27.json").unlink()
    assert check(root).exit_code == ExitCode.DAMAGED
    before = fingerprint(root)
    refusals = {
        ("--accept-missing", "stalls.json"): "--accept-missing 要与 --repair 一起用",
        ("--repair", "--accept-missing", "nope.json"): "nope.json 不是 manifest.json 列出的数据文件",
        ("--repair", "--accept-missing", "communities.json"): "communities.json 还在，不是缺失的文件",
        ("--repair", "--accept-missing", "stalls.json", "--accept-missing", "grids.json"): "grids.json 还在",
    }
    for args, said in refusals.items():
        result = check(root, *args)
        assert result.exit_code == ExitCode.REFUSED and said in result.output, (args, result.output)
        assert len(result.output.strip().splitlines()) == 1, result.output
    viewer = CliRunner().invoke(
        cli, ["--store", str(root), "--read-only", "check", "--repair", "--accept-missing", "stalls.json"]
    )
    assert viewer.exit_code == ExitCode.REFUSED
    assert fingerprint(root) == before

    result = check(
        root,
        "--repair",
        "--accept-missing",
        "stalls.json",
        "--accept-missing",
        str(root / "petitions" / "2026-11-27.json"),
    )
    assert result.exit_code == 0, result.output
    me = default_actor()
    assert f"已修复：已接受 stalls.json 的丢失：写入一个空文件，已记入审计日志（{me}）" in result.output
    assert (
        f"已修复：已接受 petitions/2026-11-27.json 的丢失：manifest.json 不再列出它，已记入审计日志（{me}）"
        in result.output
    )
    assert "ok: " in result.output
    assert check(root).exit_code == 0
    store = Store(root)
    listed = store.manifest()["files"]
    assert listed["stalls.json"] == generation + 1 and "petitions/2026-11-27.json" not in listed
    assert store.all(Stall) == [] and store.problems(date(2026, 11, 28)) == []
    audit = [(a.actor, a.action, a.subject) for a in store.all_partitions(AuditEntry)]
    assert sorted(audit) == [
        (me, "accept_missing", "file:petitions/2026-11-27.json"),
        (me, "accept_missing", "file:stalls.json"),
    ]
    english = CliRunner().invoke(
        cli, ["--store", str(root), "--lang", "en", "check", "--repair", "--accept-missing", "stalls.json"]
    )
    assert "stalls.json is there, not missing" in english.output


def test_a_case_outside_the_day_file_its_id_names_is_damage(small_store: Store) -> None:
    """A live case is found from its id alone: one put in another day's file (by hand) is named."""
    edit(small_store.path_for(Petition, "2026-11-27"), lambda data: data["records"]["1"].update(id="MK261120-009"))
    result = check(small_store.root)
    assert result.exit_code == ExitCode.DAMAGED
    assert "MK261120-009" in result.output and "petitions/2026-11-20.json" in result.output


def test_a_closed_case_missing_from_the_archive_index_is_a_warning(small_store: Store) -> None:
    archived_twin(small_store)
    repaired = check(small_store.root, "--repair")  # the archived twin goes; a closed case stays live
    assert repaired.exit_code == 0, repaired.output
    with small_store.transaction() as tx:
        closed = tx.get(Petition, "MK261018-001", "archive-2026")
        tx.put(
            closed.model_copy(
                update={
                    "id": "MK261127-009",
                    "created_at": NOW - timedelta(days=1),
                    "due_at": NOW,
                    "closed_at": NOW - timedelta(hours=1),
                }
            )
        )
    manifest = orjson.loads((small_store.root / "manifest.json").read_bytes())
    assert manifest["earliest_closed"] == {"petitions/2026-11-27.json": (NOW - timedelta(hours=1)).isoformat()}
    assert check(small_store.root).exit_code == 0
    edit(small_store.root / "manifest.json", lambda data: data.pop("earliest_closed"))
    result = check(small_store.root)
    assert result.exit_code == 0, result.output  # nothing is lost: the case is archived later than due
    assert "petitions/2026-11-27.json" in result.output and "归档索引" in result.output


def _cut_short(path: Path) -> None:
    path.write_bytes(b'{"records": {"1": {"id": "x"')


def _not_json(path: Path) -> None:
    path.write_bytes('{"records": {"1": {"title": "井盖"\n "id": 1}}}'.encode())


def _lost_status(path: Path) -> None:
    edit(path, lambda data: data["records"]["1"].update(status="lost"))


def _bad_phone(path: Path) -> None:
    edit(path, lambda data: data["records"]["1"].update(reporter_phone="12345\x1b[2J"))


def _empty(path: Path) -> None:
    path.write_bytes(b"")


# What is wrong inside the file, as each language says it: the same words after the path in
# `check`, `summary`, a write refused, and the dashboard's status line.
DAMAGE_WORDS = {
    "cut short": (
        _cut_short,
        "在第1行第29列处中断，内容不完整（不是有效的 JSON）",
        "not valid JSON: cut short at line 1, column 29",
    ),
    "not JSON": (_not_json, "第2行第2列不是有效的 JSON", "not valid JSON at line 2, column 2"),
    "empty": (_empty, "文件是空的（不是有效的 JSON）", "not valid JSON: the file is empty"),
    "a value not one of the choices": (
        _lost_status,
        "记录 MK261127-001 的字段 status：「lost」不是可选的值",
        "record 'MK261127-001', field 'status': 'lost' is not one of the choices",
    ),
    "a field a form would refuse, control characters shown": (
        _bad_phone,
        "记录 MK261127-001 的字段 reporter_phone：电话格式不对：手机 11 位（1 开头），座机带区号如 0393-1234567",
        "record 'MK261127-001', field 'reporter_phone': not a phone number: 11-digit mobile or 0393-1234567",
    ),
}


@pytest.mark.parametrize("damage", sorted(DAMAGE_WORDS))
def test_damage_is_said_in_the_interface_language(small_store: Store, damage: str) -> None:
    """The line named the file in the interface's words, but what was wrong in it was Python's or
    pydantic's English in either language (`not valid JSON (unexpected end of data: line 1 column
    29 (char 28))`; `check` printed yajl's three lines). Now `check`, `summary` and a write refused
    say it in one line each, in the language asked for, with the documented exit code 2."""
    damage_file, zh, en = DAMAGE_WORDS[damage]
    path = small_store.root / "petitions" / "2026-11-27.json"
    damage_file(path)
    before = fingerprint(small_store.root)
    runner = CliRunner()
    for lang, words in (("zh", zh), ("en", en)):
        result = runner.invoke(cli, ["--store", str(small_store.root), "--lang", lang, "check"])
        assert result.exit_code == ExitCode.DAMAGED
        lines = result.output.splitlines()
        found = (
            "错误 petitions/2026-11-27.json 已损坏："
            if lang == "zh"
            else "error petitions/2026-11-27.json is damaged: "
        )
        assert lines[0] == found + words, result.output
        assert len(lines) == 2  # and the count
        faulted = (
            f"duty-room: 数据文件已损坏：{path}：{words}。文件未改动；请从备份恢复。\n"
            if lang == "zh"
            else f"duty-room: store file is damaged: {path}: {words}. It was not changed; restore it from a backup.\n"
        )
        for args in (["summary"], ["petition", "accept", "MK261127-001"]):
            result = runner.invoke(cli, ["--store", str(small_store.root), "--lang", lang, *args])
            assert (result.exit_code, result.output) == (ExitCode.DAMAGED, faulted), args
    assert fingerprint(small_store.root) == before
    assert "\x1b" not in zh + en


@pytest.mark.parametrize(
    ("rule", "change", "zh", "en"),
    [
        (
            "a model's own rule",
            {"status": "closed"},  # closed without its closing time
            "记录 MK261127-001：已结或已撤销的案件须有结案时间",
            "record 'MK261127-001': a closed or cancelled case needs its closing time",
        ),
        (
            "a field the record does not have",
            {"colour": "red"},
            "记录 MK261127-001 的字段 colour：不是这种记录的字段",
            "record 'MK261127-001', field 'colour': not a field of this record",
        ),
        (
            "a required field emptied",
            {"title": None},
            "记录 MK261127-001 的字段 title：必填",
            "record 'MK261127-001', field 'title': required",
        ),
        (
            "a time that is not one",
            {"due_at": "明天"},
            "记录 MK261127-001 的字段 due_at：值「明天」不合要求",
            "record 'MK261127-001', field 'due_at': the value '明天' is not allowed",
        ),
    ],
)
def test_a_damaged_record_names_its_id_field_and_reason_in_either_language(
    small_store: Store, rule: str, change: dict[str, object], zh: str, en: str
) -> None:
    path = small_store.root / "petitions" / "2026-11-27.json"
    edit(path, lambda data: data["records"]["1"].update(change))
    (finding,) = check_store(small_store.root).errors
    assert (finding.message("zh"), finding.message("en")) == (
        f"petitions/2026-11-27.json 已损坏：{zh}",
        f"petitions/2026-11-27.json is damaged: {en}",
    )
    with pytest.raises(storage.StoreCorruptError) as refused:
        Store(small_store.root).all(Petition)
    assert str(refused.value.detail) == en and refused.value.detail.say("zh") == zh
    assert str(refused.value) == refused.value.message("en")  # logs read the English


@pytest.mark.parametrize(
    ("file", "model"),
    [("services/2026-11-28.json", ServiceSession), ("duty/2026-11.json", DutyShift)],
)
def test_a_time_of_day_with_a_time_zone_is_damage_not_a_crash(small_store: Store, file: str, model: type) -> None:
    # A session's start and end are Beijing wall-clock times; one edited to 07:00+00:00 beside a plain
    # 08:00 made the model's own rule compare an aware time with a naive one: a TypeError out of every read.
    path = small_store.root / file
    field = "starts" if model is DutyShift else "start"
    edit(path, lambda data: next(iter(data["records"].values())).update({field: "07:00:00+00:00"}))
    (finding,) = check_store(small_store.root).errors
    assert finding.message("en").startswith(f"{file} is damaged: record ")
    assert f"field '{field}'" in finding.message("en") and "07:00:00+00:00" in finding.message("zh")
    with pytest.raises(storage.StoreCorruptError):
        Store(small_store.root).all(model, file.split("/")[1].removesuffix(".json"))


def test_a_schedules_times_of_day_take_no_time_zone() -> None:
    fields = {"id": "sc-x", "kind": "meal_delivery", "title": "助餐", "community_id": "dc", "place": "食堂"}
    fields |= {"recurrence": "daily", "start": "07:00:00+00:00", "end": "08:00:00"}
    with pytest.raises(ValidationError) as refused:
        ServiceSchedule.model_validate(fields)
    assert [e["loc"] for e in refused.value.errors()] == [("start",)]
