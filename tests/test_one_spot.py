"""One stall a number in its market: the import refused a second stall 玉兰商业街 4, but the store
did not, so a repair, a script or an older import could still write two (the lists, the fee lines
and a row matched by its market and number then meant either). The store refuses a new claim on a
held spot (``Transaction.commit``), and ``check`` reports two written before. (The import's own
test is in test_workbook.py.)"""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from duty_room.cli import cli
from store.market import set_occupied
from store.models import Stall
from store.refusal import Refused
from store.storage import Store, check_store

from conftest import store_bytes

# conftest's small store: stall yl-01 is 玉兰商业街 1 of community yulan.
TAKEN = {
    "zh": "玉兰商业街 1 号已是摊位 yl-01：一个市场的一个号只登记一个摊位",
    "en": "玉兰商业街 1 is already stall yl-01: one stall per number in a market",
}


@pytest.fixture(autouse=True)
def no_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-config"))


def stall(stall_id: str = "yl-09", number: int = 1, **change: object) -> Stall:
    fields: dict[str, object] = {"market": "玉兰商业街", "community_id": "yulan", "monthly_fee_fen": 20000}
    return Stall(id=stall_id, number=number, **{**fields, **change})


def shared_by_hand(store: Store) -> None:
    """A copy of yl-01 under another id, as a duty-room before this rule could write it."""
    path = store.path_for(Stall)
    data = orjson.loads(path.read_bytes())
    first = next(doc for doc in data["records"].values() if doc["id"] == "yl-01")
    data["records"][str(len(data["records"]) + 1)] = {**first, "id": "yl-02"}
    path.write_bytes(orjson.dumps(data))


def test_a_second_stall_on_a_held_number_is_refused_and_nothing_written(small_store: Store) -> None:
    before = store_bytes(small_store.root)
    with pytest.raises(Refused) as refused:
        small_store.put(stall())
    assert refused.value.key == "spot_taken"
    assert {lang: refused.value.message(lang) for lang in ("zh", "en")} == TAKEN
    assert store_bytes(small_store.root) == before


def test_two_new_stalls_on_one_number_in_one_write_are_refused(small_store: Store) -> None:
    before = store_bytes(small_store.root)
    with pytest.raises(Refused) as refused, small_store.transaction() as tx:
        tx.put(stall("yl-08", 7))
        tx.put(stall("yl-09", 7))
    assert refused.value.params == {"market": "玉兰商业街", "number": 7, "id": "yl-08"}  # the first names the spot
    assert store_bytes(small_store.root) == before


def test_a_renumbering_onto_a_held_number_is_refused_and_onto_a_free_one_saved(small_store: Store) -> None:
    small_store.put(stall("yl-02", 2))
    before = store_bytes(small_store.root)
    with pytest.raises(Refused) as refused:
        small_store.put(small_store.get(Stall, "yl-02").model_copy(update={"number": 1}))
    assert refused.value.params["id"] == "yl-01"
    assert store_bytes(small_store.root) == before
    small_store.put(small_store.get(Stall, "yl-02").model_copy(update={"number": 3}))
    assert small_store.get(Stall, "yl-02").number == 3


@pytest.mark.parametrize(
    "other",
    [{"market": "玉兰夜市"}, {"community_id": "dongcheng", "market": "玉兰商业街"}],
    ids=["another market", "another community's market of that name"],
)
def test_the_same_number_in_another_market_is_saved(small_store: Store, other: dict[str, str]) -> None:
    small_store.put(stall(**other))
    assert small_store.get(Stall, "yl-09").number == 1


def test_resaving_a_stall_and_two_stalls_swapping_numbers_are_saved(small_store: Store) -> None:
    small_store.put(stall("yl-02", 2))
    one, two = small_store.get(Stall, "yl-01"), small_store.get(Stall, "yl-02")
    small_store.put(one.model_copy(update={"goods": "水果"}))  # its own number
    with small_store.transaction() as tx:  # the numbers were entered the wrong way round
        tx.put(one.model_copy(update={"number": 2}))
        tx.put(two.model_copy(update={"number": 1}))
    assert [small_store.get(Stall, i).number for i in ("yl-01", "yl-02")] == [2, 1]


# -- a store written before the rule: reported, opened, still changed ---------------------------


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        (
            "zh",
            "提示 stalls.json：摊位 yl-02 与摊位 yl-01 是同一个号 玉兰商业街 1：一个市场的一个号只登记一个摊位；"
            "核对后在导入表中按编号改正其中一个的摊位号，或删去多出的一个（import --prune）",
        ),
        (
            "en",
            "warning stalls.json: stalls yl-02 and yl-01 have one number, 玉兰商业街 1: one stall per number in a "
            "market; check them, then in an import sheet correct one's number by its id, or leave the extra one "
            "out (import --prune)",
        ),
    ],
)
def test_check_reports_two_stalls_on_one_number_in_one_line(small_store: Store, lang: str, said: str) -> None:
    shared_by_hand(small_store)
    result = CliRunner().invoke(cli, ["--store", str(small_store.root), "--lang", lang, "check"])
    assert result.exit_code == 0, result.output  # not damage: the store is sound, its market list is not
    assert [line for line in result.output.splitlines() if "yl-02" in line] == [said]


def test_two_stalls_on_one_number_can_still_be_changed_and_then_fixed(small_store: Store) -> None:
    assert not check_store(small_store.root).findings
    shared_by_hand(small_store)
    [finding] = check_store(small_store.root).findings
    assert (finding.kind, finding.detail, finding.other, finding.error) == ("stall_spot", "yl-02", "yl-01", False)
    set_occupied(small_store, "yl-02", False)  # another change to one of the two: saved
    assert small_store.get(Stall, "yl-02").occupied_on is None
    small_store.put(small_store.get(Stall, "yl-02").model_copy(update={"number": 2}))  # the fix
    assert not check_store(small_store.root).findings
