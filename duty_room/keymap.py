"""A ``[keymap]`` that would take a key another binding uses, or give a form's key to the text field.

Textual applies a keymap without a word: a key moved onto another binding's takes it, and a key a text
field takes never reaches a form's binding (``"form.submit" = "s"`` typed an ``s``). ``clashes`` finds
each before the dashboard opens (refused in one line, exit 1). Only keys the keymap gives are looked
at: the default keys overlap on purpose (``q``, ``f1``).
"""

from __future__ import annotations

import difflib
import string
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, NamedTuple

from textual.binding import Binding
from textual.dom import DOMNode
from textual.widgets import Button, Input, OptionList, Select

from widgets.choice_modal import ChoiceModal
from widgets.detail import DetailScreen
from widgets.discard import DiscardScreen
from widgets.form import FormScreen
from widgets.keyed_table import KeyedTable
from widgets.panel import FilterInput
from widgets.table_screen import TableScreen

from . import words
from .desk import keys_of
from .textual_words import key_word
from .words import Lang

# The keys a text field takes as characters (every printable one, in Textual's spelling: ``slash``, as a
# Binding spells it; a Binding cannot be " " or "," alone, whose keys are named so).
TYPED_KEYS = frozenset(
    b.key for b in Binding.make_bindings(Binding(c, "") for c in string.printable if c.isprintable() and c not in " ,")
) | {"space", "comma"}


class _Bound(NamedTuple):
    """A binding where a key reaches it (``id`` None: one of Textual's own, nobody remaps it)."""

    id: str | None
    action: str
    declared: frozenset[str]
    now: frozenset[str]
    node: int  # 0: the focused widget, the last: the app


class Place(NamedTuple):
    """Where a key is pressed: the bindings it passes, nearest first, and which must still work while typing."""

    where: str  # its words: "keymap.where.<name>", or a panel's "panel.<name>"
    chain: Sequence[Sequence[Binding]]
    typing: bool = False  # the focused widget (chain[0]) is a text field
    must_reach: frozenset[str] = frozenset()  # binding ids that work while typing


class Clash(NamedTuple):
    """A key the keymap gives ``binding`` that reaches ``other`` first (a binding id, or
    ``action:<name>`` for Textual's own); none: the text field takes it (``typed``: as a character)."""

    binding: str
    written: str  # the keymap's value, as written
    key: str
    where: str
    other: str = ""
    typed: bool = False

    def message(self, lang: Lang) -> str:
        where = words.t(self.where, lang)
        if self.where.startswith("panel."):
            where = words.t("keymap.where.panel", lang).format(where)
        values = {"binding": self.binding, "keys": self.written, "key": self.key, "where": where}
        if not self.other:
            return words.t("config.keymap_typed" if self.typed else "config.keymap_field_key", lang).format(**values)
        other = self.other
        if other.startswith("action:"):
            action = other.removeprefix("action:")
            other = words.t("config.keymap_textual", lang).format(key_word(action, lang) or action)
        return words.t("config.keymap_taken", lang).format(other=other, **values)


def _bindings(cls: type[DOMNode]) -> list[Binding]:
    merged = cls._merged_bindings
    return [b for group in merged.key_to_bindings.values() for b in group] if merged is not None else []


def _list_bindings(keys: Sequence[tuple[str, str]]) -> list[Binding]:
    return [Binding(key, f"request('{name}')", id=f"list.{name}") for key, name in keys]


def places() -> Iterator[Place]:
    """Every place a key is pressed, with the bindings it passes there."""
    from .app import DutyRoomApp
    from .dashboard_screen import DashboardScreen
    from .panels import PANEL_TYPES, PetitionsPanel

    app = _bindings(DutyRoomApp)
    dashboard = _bindings(DashboardScreen)  # between a panel and the app
    table = _bindings(KeyedTable)
    for panel in PANEL_TYPES:
        yield Place(f"panel.{panel.NAME}", (table, _bindings(panel), dashboard, app))
        for name, keys in panel.LIST_KEYS.items():
            yield Place(f"keymap.where.{name}", (table, _list_bindings(keys) + _bindings(TableScreen), app))
    yield Place("keymap.where.list", (table, _bindings(TableScreen), app))
    yield Place("keymap.where.detail", ((), _bindings(DetailScreen), app))
    yield Place("keymap.where.discard", (_bindings(Button), _bindings(DiscardScreen), app))
    filter_keys = _bindings(FilterInput)
    yield Place(
        "keymap.where.filter",
        (filter_keys, _bindings(PetitionsPanel), dashboard, app),
        typing=True,
        must_reach=frozenset(b.id for b in filter_keys if b.id),
    )
    for screen, where, fields in (
        (FormScreen, "keymap.where.form", (Input, Select, OptionList, Button)),
        (ChoiceModal, "keymap.where.choice", (Input, OptionList, Button)),
    ):
        own = _bindings(screen)
        for field in fields:
            yield Place(
                where,
                (_bindings(field), own, app),
                typing=field is Input,
                must_reach=frozenset(b.id for b in own if b.id),
            )


def unknown(keymap: Mapping[str, str]) -> list[tuple[str, str]]:
    """Each id the keymap names that no binding has (Textual ignores a typo), with the id most likely meant."""
    known = sorted({b.id for place in places() for link in place.chain for b in link if b.id})
    return [(name, next(iter(difflib.get_close_matches(name, known, n=1)), "")) for name in keymap if name not in known]


def clashes(keymap: Mapping[str, str]) -> list[Clash]:
    """Each key the keymap gives a binding that reaches another first, or that the focused text field
    takes where the binding must work while typing, in the keymap's order."""
    found: dict[tuple[str, str], Clash] = {}
    for place in places():
        bound = _bound(place, keymap)
        for mine in bound:
            if mine.id is None or mine.id not in keymap:
                continue
            for key in sorted(mine.now - mine.declared):
                clash = _clash(place, bound, mine, key, keymap[mine.id])
                if clash is not None:
                    found.setdefault((mine.id, key), clash)
    order = list(keymap)
    return sorted(found.values(), key=lambda c: order.index(c.binding))


def _bound(place: Place, keymap: Mapping[str, str]) -> list[_Bound]:
    """The bindings of ``place``, one entry per link, id and action, with the keys the keymap leaves them."""
    declared: dict[tuple[int, str | None, str], set[str]] = {}
    for node, bindings in enumerate(place.chain):
        for binding in bindings:
            declared.setdefault((node, binding.id, binding.action), set()).update(keys_of(binding.key))
    return [
        _Bound(
            binding_id,
            action,
            frozenset(keys),
            keys_of(keymap[binding_id]) if binding_id is not None and binding_id in keymap else frozenset(keys),
            node,
        )
        for (node, binding_id, action), keys in declared.items()
    ]


def _clash(place: Place, bound: list[_Bound], mine: _Bound, key: str, written: str) -> Clash | None:
    """What takes ``key`` from ``mine`` here, if anything."""
    said: dict[str, Any] = {"binding": mine.id, "written": written, "key": key, "where": place.where}
    field_keys = {k for b in bound if b.node == 0 and b.id is None for k in b.now}
    if place.typing and mine.id in place.must_reach and (key in TYPED_KEYS or key in field_keys):
        return Clash(typed=key in TYPED_KEYS, **said)
    app = len(place.chain) - 1
    for other in bound:
        if other.id == mine.id or other.action == mine.action or key not in other.now:
            continue
        if place.typing and other.node == 0:
            continue  # a dashboard key typed into a field: as every letter is
        if mine.node == other.node == app:
            said["where"] = "keymap.where.everywhere"
        return Clash(other=other.id or f"action:{other.action}", **said)
    return None
