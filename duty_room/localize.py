"""Every key's description in the interface language, for every screen and widget.

Textual merges a class's bindings once and each new widget or screen copies that map, so rewriting
the merged maps before the app starts localises every screen, Textual's own and those pushed later.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from textual.binding import Binding
from textual.dom import DOMNode

from duty_room import words
from duty_room.words import Lang

from .textual_words import group_title_word, key_word, tooltip_word


def _word(binding: Binding, lang: Lang, known: frozenset[str]) -> str:
    if binding.action == "restore":  # z on a zoomed panel (it shares panel.zoom's id, so its key)
        return words.t("zoomed.restore", lang)
    if binding.action == "back":  # Esc on a form whose step is a cancel (it shares form.cancel's id)
        return words.t("form.back", lang)
    if binding.id and f"key.{binding.id}" in known:
        return words.t(f"key.{binding.id}", lang)
    return key_word(binding.action.split("(")[0], lang) or binding.description


def _classes(base: type[DOMNode]) -> Iterator[type[DOMNode]]:
    for cls in base.__subclasses__():
        yield cls
        yield from _classes(cls)


# Keys the Footer shows in Chinese only: their English words, twice as wide, pushed `? Help` and `q
# Quit` off its end at 80 columns. In English they are in `?` help and the palette.
FOOTER_ZH_ONLY = frozenset({"panel.zoom", "petition.filter", "services.add_schedule", "services.edit_schedule"})
# Keys the Footer shows only when it may draw their glyph: in ASCII Enter is named "enter", four cells
# wider than ⏎, which pushed `? 帮助` / `z 放大` off a panel's Footer at 80 columns. Enter opens the
# row, as everywhere; `?` help and the palette name it.
FOOTER_UTF8_ONLY = frozenset({"panel.detail"})

_GROUP_TITLES: dict[type[DOMNode], str | None] = {}  # each class's own heading, as Textual wrote it
_LAST: list[tuple[Lang, bool]] = []  # the language and ASCII-ness last given, for classes imported later


def localize_bindings(lang: Lang, *, ascii_only: bool = False) -> None:
    """Give every binding of every widget and screen class its words in ``lang`` (and its place in the
    Footer, ``ascii_only`` or not); run again (tests do), it switches cleanly."""
    _LAST[:] = [(lang, ascii_only)]
    known = frozenset(words.keys())
    # Each class's merged map holds its own copies of its bases' bindings: 619 bindings at start,
    # 191 different ones, each given its words once (the dashboard's start counted 26 M
    # instructions here, one binding at a time).
    done: dict[Binding, Binding] = {}

    def localized(binding: Binding) -> Binding:
        made = done.get(binding)
        if made is None:
            made = done[binding] = _localized(binding, lang, known, ascii_only)
        return made

    classes: set[type[DOMNode]] = {DOMNode, *_classes(DOMNode)}
    for cls in classes:
        title = _GROUP_TITLES.setdefault(cls, cls.__dict__.get("BINDING_GROUP_TITLE"))
        if title:  # the heading of the class's keys in `?`
            cls.BINDING_GROUP_TITLE = group_title_word(title, lang)
        # The declared BINDINGS too: a subclass made later (a list's own keys) merges from them.
        declared = cls.__dict__.get("BINDINGS")
        if declared:
            cls.BINDINGS = [localized(b) if isinstance(b, Binding) else b for b in declared]
        merged = cls._merged_bindings
        if merged is None:
            continue
        merged.key_to_bindings = {key: [localized(b) for b in group] for key, group in merged.key_to_bindings.items()}


def localize_classes_imported_since() -> None:
    """The same words for the classes imported since ``localize_bindings`` ran (the screens opened
    after the first frame: duty_room/screens.py); nothing before it has run."""
    if _LAST:
        lang, ascii_only = _LAST[0]
        localize_bindings(lang, ascii_only=ascii_only)


def _localized(binding: Binding, lang: Lang, known: frozenset[str], ascii_only: bool) -> Binding:
    tooltip = tooltip_word(binding.action.split("(")[0], binding.tooltip, lang) if binding.tooltip else binding.tooltip
    show = lang == "zh" if binding.id in FOOTER_ZH_ONLY else binding.show
    if binding.id in FOOTER_UTF8_ONLY:
        show = not ascii_only
    return replace(binding, description=_word(binding, lang, known), tooltip=tooltip, show=show)
