"""duty_room/localize.py gives every key of every widget and screen class its words before the app
starts: each different binding is worded once, though each class's merged map holds its own copies
of its bases' bindings (619 bindings at start, 191 different ones: half the start's cost of it)."""

from __future__ import annotations

import pytest
from textual.binding import Binding
from textual.dom import DOMNode

import duty_room.app  # noqa: F401  (imports every panel, widget and screen class)
from duty_room import localize, words
from duty_room.localize import _classes, localize_bindings


def every_binding() -> list[tuple[type[DOMNode], Binding]]:
    found = []
    for cls in {DOMNode, *_classes(DOMNode)}:
        found += [(cls, b) for b in cls.__dict__.get("BINDINGS") or () if isinstance(b, Binding)]
        if cls._merged_bindings is not None:
            found += [(cls, b) for group in cls._merged_bindings.key_to_bindings.values() for b in group]
    return found


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_each_different_binding_is_worded_once_and_every_one_as_alone(
    lang: words.Lang, monkeypatch: pytest.MonkeyPatch
) -> None:
    try:
        localize_bindings("en" if lang == "zh" else "zh")  # from the other language, as a switch
        before = every_binding()
        known = frozenset(words.keys())
        worded: list[Binding] = []
        one = localize._localized

        def counted(binding: Binding, lang: words.Lang, known: frozenset[str], ascii_only: bool) -> Binding:
            worded.append(binding)
            return one(binding, lang, known, ascii_only)

        monkeypatch.setattr(localize, "_localized", counted)
        localize_bindings(lang)
        assert len(worded) == len(set(worded)) == len({b for _, b in before})  # was one call a binding: 619
        after = every_binding()
        assert [cls for cls, _ in after] == [cls for cls, _ in before]
        assert [b for _, b in after] == [one(b, lang, known, False) for _, b in before]
    finally:
        localize_bindings("zh")  # as the other tests expect
