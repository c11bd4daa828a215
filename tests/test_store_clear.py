"""Store.clear: the store deletes its own files, and only those, and only in a store."""

from __future__ import annotations

from pathlib import Path

import pytest

from store import storage
from store.models import ALL_MODELS, AuditEntry, Household, Petition, Visit
from store.storage import MANIFEST, Store, StoreBusyError, StoreCorruptError, StoreError


def _tree(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*")}


def test_clear_removes_every_store_file_and_nothing_else(small_store: Store) -> None:
    root = small_store.root
    with small_store.transaction() as tx:
        entry = AuditEntry(
            id="a1", at=tx.now, actor="duty-officer", action="reveal", subject="households:h1", allowed=True
        )
        tx.put(entry)
    # Files that are not the store's: beside it, inside a partition folder, in a folder of their own.
    (root / "notes.txt").write_text("keep")
    (root / "visits" / "README.txt").write_text("keep")
    (root / "exports").mkdir()
    (root / "exports" / "petitions.json").write_text("keep")
    store_files = {
        MANIFEST,
        *(small_store.relative(small_store.path_for(m)) for m in ALL_MODELS if small_store.path_for(m).exists()),
    }
    store_files |= {f"{m.table}/{p}.json" for m in ALL_MODELS for p in small_store.partitions(m)}
    assert {
        "audit/" + entry.at.strftime("%Y-%m") + ".json",
        "visits/" + entry.at.date().isoformat() + ".json",
        "petitions/2026-11-27.json",
    } <= store_files

    removed = small_store.clear()

    assert sorted(removed) == sorted(store_files)
    assert _tree(root) == {".lock", "notes.txt", "visits", "visits/README.txt", "exports", "exports/petitions.json"}
    assert not small_store.exists()
    assert small_store.all(Petition) == [] and small_store.all(Household) == []
    assert small_store.partitions(Visit) == []  # the README is not a partition


def test_a_cleared_store_takes_new_records(small_store: Store) -> None:
    small_store.clear()
    small_store.put(Household(id="h9", grid_id="dc-M01", building="1", unit="1", room="101", head_name="李四"))
    assert [h.id for h in Store(small_store.root).all(Household)] == ["h9"]
    assert small_store.generation() == 1


def test_clearing_an_empty_or_missing_folder_is_nothing_to_do(tmp_path: Path) -> None:
    assert Store(tmp_path / "absent").clear() == []
    (tmp_path / "empty").mkdir()
    assert Store(tmp_path / "empty").clear() == []


def test_refuses_a_folder_that_is_not_a_store(tmp_path: Path) -> None:
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "petitions.json").write_text('{"mine": 1}')  # a store's file name, but no manifest
    (folder / "report.docx").write_bytes(b"PK")
    before = {p: p.read_bytes() for p in folder.iterdir()}
    with pytest.raises(StoreError, match="is not a duty-room store"):
        Store(folder).clear()
    assert {p: p.read_bytes() for p in folder.iterdir() if p.name != ".lock"} == before


def test_refuses_a_folder_whose_manifest_is_not_ours(tmp_path: Path) -> None:
    folder = tmp_path / "other"
    folder.mkdir()
    (folder / MANIFEST).write_text("[1, 2, 3]")
    (folder / "households.json").write_text("{}")
    with pytest.raises(StoreCorruptError):
        Store(folder).clear()
    assert (folder / "households.json").exists() and (folder / MANIFEST).exists()


def test_waits_for_the_lock_and_deletes_nothing_while_another_writer_holds_it(
    small_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage, "LOCK_TIMEOUT_SECONDS", 0.05)
    before = _tree(small_store.root)
    with Store(small_store.root).lock(), pytest.raises(StoreBusyError):
        small_store.clear()
    assert _tree(small_store.root) == before
