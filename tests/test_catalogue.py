"""Every word the code asks the catalogue for is there, and no key is defined twice.

A missing key shows itself on screen (``i18n.t`` never crashes), so only a test catches it; a key
defined twice in the dict literal silently keeps the last definition (it once broke a format).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from store import i18n

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [p for folder in ("store", "duty_room", "widgets") for p in (ROOT / folder).rglob("*.py")]
# Calls whose first argument is a catalogue key: t("..."), i18n.t("..."), self.t("..."), p.t("..."),
# desk.t("..."), and the refusal keys of Refused("...") / DutyRefused("...") / IllegalTransition("...").
CALLS = re.compile(r"""(?<![\w.])(?:i18n\.|self\.|p\.|desk\.|t_|)t\(\s*"([a-z][\w.]*)"|(?<![\w])(?:Refused|DutyRefused|IllegalTransition)\(\s*"([a-z_]+)\"""")


def test_every_literal_key_used_is_in_the_catalogue() -> None:
    known = i18n.keys()
    missing = []
    for path in SOURCES:
        for match in CALLS.finditer(path.read_text(encoding="utf-8")):
            key = match.group(1) or f"refused.{match.group(2)}"
            if key not in known:
                missing.append(f"{path.relative_to(ROOT)}: {key}")
    assert missing == []


def test_no_key_is_defined_twice() -> None:
    tree = ast.parse((ROOT / "store" / "i18n.py").read_text(encoding="utf-8"))
    keys = [k.value for node in ast.walk(tree) if isinstance(node, ast.Dict)
            for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)]
    assert sorted({k for k in keys if keys.count(k) > 1}) == []


def test_every_binding_with_an_id_has_its_words() -> None:
    """A key's description comes from ``key.<binding id>``: every id the dashboard binds has one."""
    from textual.dom import DOMNode

    import duty_room.app  # noqa: F401  (imports every panel, widget and screen class)
    from duty_room.localize import _classes

    ours = ("duty_room", "widgets")  # not the subclasses other tests make on the fly
    missing = sorted({b.id for cls in _classes(DOMNode) if cls._merged_bindings and cls.__module__.startswith(ours)
                      for group in cls._merged_bindings.key_to_bindings.values() for b in group
                      if b.id and f"key.{b.id}" not in i18n.keys()})
    assert missing == []
