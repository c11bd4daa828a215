"""The two word catalogues: every key the code asks for is there, on the right layer, and every key is used.

Domain words (enum labels, actions, refusals, validation, store faults) are in ``store/i18n.py``;
the interface's words in ``duty_room/words.py``. A missing key shows itself on screen (``t`` never
crashes), so only a test catches it; a key defined twice in a dict literal silently keeps the last
definition (it once broke a format); a key nobody asks for is dead weight a translator still keeps.
"""

from __future__ import annotations

import ast
import enum
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import store
from duty_room import words
from store import i18n

ROOT = Path(__file__).resolve().parent.parent
STORE_SOURCES = sorted((ROOT / "store").rglob("*.py"))
UI_SOURCES = sorted(p for folder in ("duty_room", "widgets") for p in (ROOT / folder).rglob("*.py"))
CATALOGUES = {"store": ROOT / "store" / "i18n.py", "ui": ROOT / "duty_room" / "words.py"}
# Calls whose first argument is a catalogue key: t("..."), i18n.t("..."), words.t("..."), self.t("..."),
# p.t("..."), desk.t("..."), a phrase said later (Detail("...")), and the refusal keys of Refused("...") /
# DutyRefused("...") / IllegalTransition("...").
CALLS = re.compile(
    r"""(?<![\w.])(?:(?:i18n\.|words\.|self\.|p\.|desk\.|t_|)t|Detail)\(\s*"([a-z][\w.]*)"|(?<![\w])(?:Refused|DutyRefused|IllegalTransition)\(\s*"([a-z_]+)\""""
)


def asked_for(paths: list[Path]) -> list[tuple[str, str]]:
    """(file, key) for every literal key passed to a lookup in ``paths``."""
    return [
        (str(path.relative_to(ROOT)), match.group(1) or f"refused.{match.group(2)}")
        for path in paths
        for match in CALLS.finditer(path.read_text(encoding="utf-8"))
    ]


def catalogue_keys(path: Path) -> list[str]:
    """The keys of the catalogue dict literal in ``path``, in order, duplicates kept."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        k.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Dict)
        for k in node.keys
        if isinstance(k, ast.Constant) and isinstance(k.value, str)
    ]


def strings_in(paths: list[Path]) -> tuple[set[str], set[str]]:
    """Every string constant in the code, and every constant head of a built string
    (``f"action.{x}"``, ``"metrics.window." + w``): a key built from a head counts as used."""
    constants: set[str] = set()
    heads: set[str] = set()
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        catalogue = {
            id(k) for node in ast.walk(tree) if isinstance(node, ast.Dict) and len(node.keys) > 50 for k in node.keys
        }  # a catalogue's own keys do not use themselves
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in catalogue:
                constants.add(node.value)
            elif isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
                heads.add(str(node.values[0].value))
            elif (
                isinstance(node, ast.BinOp)
                and isinstance(node.op, ast.Add)
                and isinstance(node.left, ast.Constant)
                and isinstance(node.left.value, str)
            ):
                heads.add(node.left.value)
    return constants, {h for h in heads if len(h) >= 4 and h.endswith(".")}


def store_enums() -> dict[str, type[enum.Enum]]:
    """Every enum class defined in store/ by name: ``label()`` asks for ``<Class>.<value>``."""
    found: dict[str, type[enum.Enum]] = {}
    for module in pkgutil.walk_packages(store.__path__, "store."):
        for value in vars(importlib.import_module(module.name)).values():
            if isinstance(value, type) and issubclass(value, enum.Enum) and value.__module__.startswith("store"):
                found[value.__name__] = value
    return found


def binding_ids() -> set[str]:
    from textual.dom import DOMNode

    import duty_room.app  # noqa: F401  (imports every panel and widget class)
    import duty_room.screens  # noqa: F401  (the form, choice, list and detail screens, imported when one opens)
    from duty_room.localize import _classes

    ours = ("duty_room", "widgets")  # not the subclasses other tests make on the fly
    declared = {
        b.id
        for cls in _classes(DOMNode)
        if cls._merged_bindings and cls.__module__.startswith(ours)
        for group in cls._merged_bindings.key_to_bindings.values()
        for b in group
        if b.id
    }
    return declared | list_action_ids()


def list_action_ids() -> set[str]:
    """A list's keys are bound when the list opens (``ListAction(key, name, words)`` → id ``list.<name>``),
    declared in its panel's LIST_KEYS."""
    from duty_room.panels import PANEL_TYPES

    ids = {f"list.{name}" for panel in PANEL_TYPES for keys in panel.LIST_KEYS.values() for _, name in keys}
    for path in UI_SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", "") == "ListAction"
                and len(node.args) > 1
                and isinstance(node.args[1], ast.Constant)
            ):
                ids.add(f"list.{node.args[1].value}")
    return ids


def test_store_asks_only_for_its_own_words() -> None:
    """store/ cannot see the interface's words: a key it asks for must be in store/i18n.py."""
    known = i18n.keys()
    assert [f"{where}: {key}" for where, key in asked_for(STORE_SOURCES) if key not in known] == []


def test_every_key_the_interface_asks_for_is_known() -> None:
    known = words.keys()
    assert [f"{where}: {key}" for where, key in asked_for(UI_SOURCES) if key not in known] == []


@pytest.mark.parametrize("side", CATALOGUES)
def test_no_key_is_defined_twice(side: str) -> None:
    keys = catalogue_keys(CATALOGUES[side])
    assert sorted({k for k in keys if keys.count(k) > 1}) == []


def test_no_key_is_in_both_catalogues() -> None:
    """The interface's catalogue wins a lookup, so a key in both would hide the domain's word."""
    assert sorted(set(catalogue_keys(CATALOGUES["store"])) & set(catalogue_keys(CATALOGUES["ui"]))) == []


def test_every_domain_word_is_used() -> None:
    """An enum label names a member that exists; any other domain word is asked for somewhere
    (a refusal may be raised by the interface's own inline checks, so both layers count)."""
    enums = store_enums()
    constants, heads = strings_in(STORE_SOURCES + UI_SOURCES)
    unused = []
    for key in i18n.keys():
        head, _, rest = key.partition(".")
        if head[:1].isupper():
            members = {str(m.value) for m in enums[head]} if head in enums else set()
            if rest not in members and not any(key.startswith(h) for h in heads):  # 'PermitAction.' + e.action
                unused.append(key)
        elif not (
            key in constants or any(key.startswith(h) for h in heads) or (head == "refused" and rest in constants)
        ):
            unused.append(key)
    assert unused == []


def test_every_interface_word_is_used() -> None:
    """A key's words (``key.<binding id>``) belong to a binding that exists; any other word is asked for."""
    ids = binding_ids()
    constants, heads = strings_in(UI_SOURCES)
    unused = [
        key
        for key in words.UI_WORDS
        if not (
            key.removeprefix("key.") in ids
            if key.startswith("key.")
            else key in constants or any(key.startswith(h) for h in heads)
        )
    ]
    assert unused == []


def test_every_binding_with_an_id_has_its_words() -> None:
    """A key's description comes from ``key.<binding id>``: every id the dashboard binds has one."""
    assert sorted(i for i in binding_ids() if f"key.{i}" not in words.keys()) == []


def test_the_interface_reads_words_from_one_place() -> None:
    """Only duty_room/words.py reaches into store/i18n.py; the rest of the interface asks words."""
    reaching = [
        str(p.relative_to(ROOT))
        for p in UI_SOURCES
        if p.name != "words.py"
        and re.search(
            r"^from store(\.i18n)? import .*\bi18n\b|^from store\.i18n import", p.read_text(encoding="utf-8"), re.M
        )
    ]
    assert reaching == []


# -- words that say their own outcome -------------------------------------------------------------
# The status line says 未更改：{reason} (Not changed: …) of a refused write; a reason that already
# says what did not happen (未保存, 未重复登记, 未改动, not saved, nothing written…) is said alone,
# else the line said it twice (未更改：相同案件…，未重复登记). These are every such reason.
SAYS_ITS_OUTCOME = {
    "refused.changed_meanwhile": "未保存：此件已被他人更新",
    "refused.duplicate_case": "未重复登记",
    "refused.duty_planned_meanwhile": "未保存：",
    "refused.no_change": "没有改动",
    "fault.corrupt": "文件未改动",  # StoreCorruptError
    "desk.unexpected": "数据未改动",  # a bug, said in one line by the desk
}
OUTCOME_WORDS = re.compile(
    r"未(保存|重复登记|改动|写入|更改|登记|记录)|没有(改动|保存|写入)"
    r"|not (saved|changed|written|registered again|recorded)|nothing (was )?(saved|changed|written)",
    re.IGNORECASE,
)
# What reaches the status line as a refusal: the store's refusals and faults, the desk's own line.
REFUSAL_WORDS = ("refused.", "fault.", "desk.")


def test_every_reason_that_says_its_outcome_is_listed() -> None:
    found = {
        key
        for catalogue in (i18n._CATALOGUE, words.UI_WORDS)
        for key, pair in catalogue.items()
        if key.startswith(REFUSAL_WORDS) and any(OUTCOME_WORDS.search(said) for said in pair)
    }
    assert found == set(SAYS_ITS_OUTCOME)
    from store.refusal import SAYS_ITS_OUTCOME as refusals

    assert {f"refused.{key}" for key in refusals} == {key for key in found if key.startswith("refused.")}
    for key, said in SAYS_ITS_OUTCOME.items():
        zh, en = words.t(key, "zh"), words.t(key, "en")
        assert said in zh and OUTCOME_WORDS.search(en), (key, zh, en)


def outcome_errors() -> dict[str, BaseException]:
    from store.errors import Detail, StoreCorruptError
    from store.refusal import Refused

    return {
        "refused.changed_meanwhile": Refused("changed_meanwhile"),
        "refused.duplicate_case": Refused("duplicate_case", id="MK261128-001", seconds=3),
        "refused.no_change": Refused("no_change"),
        "refused.duty_planned_meanwhile": Refused(
            "duty_planned_meanwhile", day="2026-11-29", leader="王五", staff="赵六"
        ),
        "fault.corrupt": StoreCorruptError(Path("petitions/2026-11-28.json"), Detail("damage.json_empty", {})),
        "desk.unexpected": RuntimeError("a bug"),
    }


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("key", list(SAYS_ITS_OUTCOME))
async def test_the_status_line_says_such_a_reason_once(small_store: store.storage.Store, lang: str, key: str) -> None:
    """No 未更改 (Not changed) before a reason that says it: 未更改：相同案件 MK… 已于 3 秒前登记，未重复登记
    said nothing was changed twice, as 未更改：数据文件已损坏…。文件未改动 did. Another reason keeps it."""
    from pilot import dashboard, settled

    error = outcome_errors()[key]
    async with dashboard(small_store, lang=lang) as (app, pilot):
        app.desk.refuse(error)
        app.desk.refuse(store.refusal.Refused("needs_rating"))
        await settled(app, pilot)
        said, other = app.status.said[-2:]
        assert not said.startswith(words.t("status.refused", lang).format("")), said
        assert OUTCOME_WORDS.search(said), said
        assert other == words.t("status.refused", lang).format(words.t("refused.needs_rating", lang))


def test_every_english_key_title_and_status_line_starts_with_a_capital() -> None:
    """English said `supervise · MK…` over a form, `MK…: supervise done` and `logged ZB…` in the status
    line, and a list's keys mixed case (`v log visit · … m Move · p Reveal`). A key's word (Footer,
    `?`, palette), a form's title and a line said when a write is done read as titles and sentences."""
    said_when_done = (
        "duty.logged",
        "duty.incident_opened",
        "duty.planned",
        "duty.exported",
        "duty.handed_over",
        "duty.acknowledged",
        "duty.corrected",
        "visits.worker_edited",
        "services.schedule_added",
        "services.schedule_changed",
        "screenshot.saved",
        "readonly.refused",
        "desk.unexpected",
        "store.damaged_banner",
        "store.unreadable_banner",
    )
    lower = [
        (key, en)
        for key, (_, en) in words.UI_WORDS.items()
        if (key.startswith("key.") or key.endswith("_title") or key in said_when_done) and en[:1].islower()
    ]
    assert lower == []
    after_id = ("case.done", "stall.permit_done", "stall.applied_done", "visits.planned_none")  # MK…: Supervise done
    assert [key for key in after_id if not re.search(r"^\{\w*\}: [A-Z{]", words.t(key, "en"))] == []
    assert words.sentence(words.t("action.supervise", "en")) == "Supervise"
    assert words.t("stall.applied", "en") != words.label(store.models.PermitStatus.APPLIED, "en")  # apply → applied


def test_every_pickers_label_names_its_keys_alike() -> None:
    """走访人（输入筛选） and 合并到（…输入筛选） said nothing of ↑↓, which 迁到网格 and 承办人 named: every
    picker is driven alike (type to filter, ↑↓ to pick), so every label says it alike."""
    pickers = {key: pair for key, pair in words.UI_WORDS.items() if "输入筛选" in pair[0] and "）" in pair[0]}
    assert len(pickers) >= 6
    unlike = {key: pair for key, pair in pickers.items() if "↑↓选择" not in pair[0] or "↑↓ to pick" not in pair[1]}
    assert unlike == {}
