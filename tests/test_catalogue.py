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

    import duty_room.app  # noqa: F401  (imports every panel, widget and screen class)
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
