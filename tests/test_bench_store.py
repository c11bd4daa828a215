"""bench/common.py builds its township store again only when it built it: a store named with
--store that the bench did not build is measured as it is, never cleared."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from store.models import Community
from store.storage import Store

from conftest import store_bytes

BENCH = Path(__file__).resolve().parent.parent / "bench"


@pytest.fixture
def common(monkeypatch: pytest.MonkeyPatch) -> tuple[ModuleType, list[Path]]:
    """bench/common.py, its township build replaced by one community (the real one takes a minute)."""
    monkeypatch.syspath_prepend(str(BENCH))
    spec = importlib.util.spec_from_file_location("bench_common", BENCH / "common.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.delitem(sys.modules, "bench_common", raising=False)
    built: list[Path] = []

    def build_demo(store: Store, scale: str) -> str:
        built.append(store.root)
        with store.transaction() as tx:
            tx.put(Community(id="bench", name="基准社区", township="孟轲乡"))
        return "1 community"

    monkeypatch.setattr(module, "build_demo", build_demo)
    return module, built


def test_a_store_the_bench_did_not_build_is_used_as_it_is(common, small_store: Store) -> None:  # noqa: ANN001
    """A store of one's own given as --store, with no .built-on beside it, was cleared and the
    township built in its place."""
    module, built = common
    before = store_bytes(small_store.root)
    assert module.township_store(small_store.root).root == small_store.root
    assert built == [] and store_bytes(small_store.root) == before
    assert not (small_store.root.parent / f"{small_store.root.name}.built-on").exists()


def test_the_benchs_own_store_is_built_again_on_another_day(common, tmp_path: Path) -> None:  # noqa: ANN001
    module, built = common
    path = tmp_path / "township"
    marker = tmp_path / "township.built-on"
    module.township_store(path)  # missing: built, and marked as the bench's
    assert built == [path] and marker.read_text() == module.clock.now().date().isoformat()
    module.township_store(path)  # built today: reused
    assert built == [path]
    marker.write_text("2026-01-01")
    module.township_store(path)  # built another day: built again
    assert built == [path, path] and [c.id for c in Store(path).all(Community)] == ["bench"]
