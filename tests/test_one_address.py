"""One household an address (grid, building, unit, room): two households with one address but
different ids were both accepted, so a grid worker visited 两户 that are one, visit progress
counted the address twice, the special-group counts doubled and a case's 住户 could point at
either. The store refuses the second (``Transaction.commit``: every write passes there), the
import says so with the rows, ``check`` reports one written before, and the dashboard's move form
says it beside the grid. (The import's own tests are in test_workbook.py.)"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner
from textual.widgets import Input

from duty_room.cli import cli
from store.models import Grid, GridWorker, Household
from store.refusal import Refused
from store.roster import move_household
from store.storage import Store, check_store
from store.text import place_key
from widgets.form import FormScreen
from widgets.table_screen import TableScreen

from conftest import store_bytes, to_register_file_layout
from pilot import dashboard, screen_text, settled

TODAY = date(2026, 11, 28)  # conftest's frozen clock
# conftest's small store: h0…h4 in grid dc-M01 (东城花园社区 1号楼1单元) at 1-1-100 … 1-1-104.
# The grid and the household named as the dashboard names them: no ids, the head's name masked.
TAKEN = {
    "zh": "东城花园社区 1号楼1单元 的 1-1-101 已登记为另一户（户主 张**）：一个地址只登记一户",
    "en": "1-1-101 in 东城花园社区 1号楼1单元 is already registered to another household (head 张**): "
    "one household per address",
}


@pytest.fixture(autouse=True)
def no_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-config"))


def newcomer(household_id: str = "h9", *, grid_id: str = "dc-M01", **address: str) -> Household:
    where = {"building": "1", "unit": "1", "room": "101", **address}
    return Household(id=household_id, grid_id=grid_id, head_name="李四", **where)


def add_neighbour(store: Store) -> None:
    """Grid dc-M02 with its worker and h9 at 1-1-101: the address h1 has in dc-M01."""
    with store.transaction() as tx:
        tx.put(Grid(id="dc-M02", community_id="dongcheng", level="micro", name="1号楼2单元", parent_id="dc-B01"))
        tx.put(GridWorker(id="w2", name="赵敏", role="micro_worker", phone="13900002222", grid_id="dc-M02"))
        tx.put(newcomer(grid_id="dc-M02"))


def shared_by_hand(store: Store, household_id: str = "h5", **change: str) -> None:
    """A copy of h1 under another id in dc-M01's file, as a duty-room before this rule could write it."""
    path = store.path_for(Household, "dc-M01")
    data = orjson.loads(path.read_bytes())
    h1 = next(doc for doc in data["records"].values() if doc["id"] == "h1")
    data["records"][str(len(data["records"]) + 1)] = {**h1, "id": household_id, **change}
    path.write_bytes(orjson.dumps(data))


# -- what counts as the same address ------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        (" 101 ", "101"),  # spaces around, as a cell or a form keeps them
        ("3 号楼", "3号楼"),  # and inside
        ("３号楼", "3号楼"),  # full-width, as a Chinese input method types digits
        ("Ａ座", "a座"),  # full-width letters, and case
        ("0301", "301"),  # a room typed as a number in Excel loses its 0
        ("B03", "b3"),
        ("2\u3000单元", "2单元"),  # the ideographic space
    ],
)
def test_what_an_officer_calls_one_place_is_one(typed: str, stored: str) -> None:
    assert place_key(typed) == place_key(stored)


@pytest.mark.parametrize(("one", "other"), [("3", "3号楼"), ("一单元", "1单元"), ("1003", "103"), ("10", "1")])
def test_words_and_other_numbers_stay_other_places(one: str, other: str) -> None:
    assert place_key(one) != place_key(other)


# -- the store: every write passes its commit ---------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [{}, {"building": " 1", "unit": "１", "room": "0101"}],
    ids=["as stored", "as an officer might type it"],
)
def test_a_second_household_at_a_held_address_is_refused_and_nothing_written(
    small_store: Store, address: dict[str, str]
) -> None:
    before = store_bytes(small_store.root)
    with pytest.raises(Refused) as refused:
        small_store.put(newcomer(**address))
    assert refused.value.key == "address_taken"
    assert {lang: refused.value.message(lang) for lang in ("zh", "en")} == TAKEN
    assert store_bytes(small_store.root) == before


def test_two_new_households_at_one_address_in_one_write_are_refused(small_store: Store) -> None:
    before = store_bytes(small_store.root)
    with pytest.raises(Refused) as refused, small_store.transaction() as tx:
        tx.put(newcomer("h8", room="909"))
        tx.put(newcomer("h9", room=" 909"))
    assert refused.value.message("en").startswith("1-1-909 in 东城花园社区 1号楼1单元 is already registered")
    assert refused.value.params["id"] == "h8"  # the first of the two names the address's holder
    assert store_bytes(small_store.root) == before


def test_a_move_onto_a_held_address_is_refused_and_to_a_free_one_saved(small_store: Store) -> None:
    add_neighbour(small_store)
    before = store_bytes(small_store.root)
    with pytest.raises(Refused) as refused:
        move_household(small_store, "h1", "dc-M02", TODAY)
    assert (
        refused.value.message("zh")
        == "东城花园社区 1号楼2单元 的 1-1-101 已登记为另一户（户主 李*）：一个地址只登记一户"
    )
    assert store_bytes(small_store.root) == before
    assert move_household(small_store, "h2", "dc-M02", TODAY).grid_id == "dc-M02"  # 1-1-102 is free there


def test_resaving_a_household_and_two_households_swapping_rooms_are_saved(small_store: Store) -> None:
    h1 = small_store.get(Household, "h1")
    small_store.put(h1)  # unchanged
    small_store.put(h1.model_copy(update={"room": " 101", "phone": "13600001111"}))  # its own address, as typed
    h2 = small_store.get(Household, "h2")
    with small_store.transaction() as tx:  # the rooms were entered the wrong way round
        tx.put(h1.model_copy(update={"room": "102"}))
        tx.put(h2.model_copy(update={"room": "101"}))
    assert [small_store.get(Household, i).room for i in ("h1", "h2")] == ["102", "101"]


# -- a store written before the rule: reported, opened, still changed ---------------------------


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        (
            "zh",
            "提示 households/dc-M01.json：住户 h5 与住户 h1 是同一地址 1-1-101：一个地址只登记一户；"
            "核对后在导入表中按编号改正其中一户的门牌，或删去多出的一户（import --prune）",
        ),
        (
            "en",
            "warning households/dc-M01.json: households h5 and h1 have one address, 1-1-101: one household per "
            "address; check them, then in an import sheet correct one's room by its id, or leave the extra one "
            "out (import --prune)",
        ),
    ],
)
def test_check_reports_two_households_at_one_address_in_one_line(small_store: Store, lang: str, said: str) -> None:
    shared_by_hand(small_store)
    result = CliRunner().invoke(cli, ["--store", str(small_store.root), "--lang", lang, "check"])
    assert result.exit_code == 0, result.output  # not damage: the store is sound, its register is not
    assert [line for line in result.output.splitlines() if "h5" in line] == [said]
    assert result.output.splitlines()[-1].startswith("ok: ") or "ok: " in result.output


def test_check_finds_a_shared_address_however_it_was_typed_and_no_other(small_store: Store) -> None:
    assert not check_store(small_store.root).findings
    shared_by_hand(small_store, room=" 0101 ")
    [finding] = check_store(small_store.root).findings
    assert (finding.kind, finding.detail, finding.other, finding.error) == ("household_address", "h5", "h1", False)


async def test_a_store_with_a_shared_address_opens_and_its_households_can_still_be_changed(
    small_store: Store,
) -> None:
    shared_by_hand(small_store)
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("2", "down", "down", "down", "enter")
        await settled(app, pilot)
        households = app.screen
        assert isinstance(households, TableScreen) and {"h1", "h5"} <= set(households.table.keys)
    h5 = small_store.get(Household, "h5")
    small_store.put(h5.model_copy(update={"members": 3}))  # another change to one of the two: saved
    small_store.put(h5.model_copy(update={"room": "105"}))  # the fix: a room of its own
    assert not check_store(small_store.root).findings


def test_a_register_in_one_file_with_a_shared_address_is_split_by_its_next_write(small_store: Store) -> None:
    """A store of schema 2 keeps every household in households.json; the first write moves each to
    its grid's file: two that shared an address are moved as they are, not refused."""
    shared_by_hand(small_store)
    to_register_file_layout(small_store.root)
    store = Store(small_store.root)
    store.put(store.get(Household, "h3").model_copy(update={"members": 2}))
    assert sorted(h.id for h in Store(small_store.root).all(Household, "dc-M01")) == [
        "h0",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
    ]


# -- the dashboard's move form ------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_move_form_says_the_address_is_held_beside_the_grid(small_store: Store, lang: str) -> None:
    add_neighbour(small_store)
    before = store_bytes(small_store.root)
    async with dashboard(small_store, lang=lang) as (app, pilot):
        await pilot.press("2", "down", "down", "down", "enter")
        await settled(app, pilot)
        households = app.screen
        assert isinstance(households, TableScreen) and households.table.cursor_key == "h1"
        await pilot.press("m")
        await settled(app, pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#field-grid_id", Input).focus()
        await pilot.pause()
        await pilot.press(*"2单元")
        await settled(app, pilot)
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        assert app.screen is form  # kept open, what was chosen kept
        # the grid chosen, as the picker names it in the interface's language (no full-width brackets in English)
        assert {"zh": "东城花园社区 1号楼2单元（微网格）", "en": "东城花园社区 1号楼2单元 (micro-grid)"}[
            lang
        ] in screen_text(app)
        said = str(form.query_one("#error-grid_id").render())
        assert (
            said
            == {
                "zh": "东城花园社区 1号楼2单元 的 1-1-101 已登记为另一户（户主 李*）：一个地址只登记一户",
                "en": "1-1-101 in 东城花园社区 1号楼2单元 is already registered to another household (head 李*): "
                "one household per address",
            }[lang]
        )
    assert store_bytes(small_store.root) == before
