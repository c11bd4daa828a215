"""At 80 columns every Footer shows whole key labels, help among them, and a way out, in both languages.

The English words are about twice as wide as the Chinese: panel 1's English Footer was cut mid-word
(`q Qui▏^p Commands`) and `? Help` fell off its end, so an English-speaking officer could not find
help. Keys that do not fit are in `?` help and the palette (duty_room/localize.py: FOOTER_ZH_ONLY).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from textual.pilot import Pilot
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from duty_room import words
from duty_room.app import DutyRoomApp
from duty_room.localize import FOOTER_ZH_ONLY
from store.i18n import Lang
from store.storage import Store

from pilot import NARROW, WIDE, dashboard, screen_text, settled

HELP_ACTIONS = {"help", "app.help", "toggle_help"}

# Where a Footer is read: the keys pressed from the dashboard (each walk starts on panel 1), then
# the keys that go back. Every panel, a detail, a form, a choice, a picker, a list, the filter.
Walk = tuple[str, list[str], str, list[str]]  # (where, keys there, its screen's class, keys back)
WALKS: list[Walk] = [
    ("panel 1", [], "DashboardScreen", []),
    ("panel 1 detail", ["enter"], "DetailScreen", ["escape"]),
    ("panel 1 new case form", ["n"], "FormScreen", ["escape"]),
    ("panel 1 discard question", ["n", "x", "escape"], "DiscardScreen", ["y"]),
    ("panel 1 status choice", ["c"], "ChoiceModal", ["escape"]),
    ("panel 1 dispatch picker", ["down", "d"], "FormScreen", ["escape"]),
    ("panel 1 filter", ["slash"], "DashboardScreen", ["escape"]),
    ("panel 1 ended cases", ["l"], "TableScreen", ["escape"]),
    ("panel 2", ["2"], "DashboardScreen", []),
    ("panel 2 households", ["2", "down", "down", "down", "enter"], "TableScreen", ["escape"]),
    ("panel 2 household", ["2", "down", "down", "down", "enter", "enter"], "DetailScreen", ["escape", "escape"]),
    ("panel 2 roster", ["2", "r"], "TableScreen", ["escape"]),
    ("panel 2 worker form", ["2", "r", "a"], "FormScreen", ["escape", "escape"]),
    ("panel 2 who's out", ["2", "w"], "TableScreen", ["escape"]),
    ("panel 3", ["3"], "DashboardScreen", []),
    ("panel 3 session", ["3", "enter"], "DetailScreen", ["escape"]),
    ("panel 3 schedule form", ["3", "a"], "FormScreen", ["escape"]),
    ("panel 4", ["4"], "DashboardScreen", []),
    ("panel 4 stall", ["4", "enter"], "DetailScreen", ["escape"]),
    ("panel 4 payment form", ["4", "y"], "FormScreen", ["escape"]),
    ("panel 5", ["5"], "DashboardScreen", []),
    ("panel 5 entry form", ["5", "l"], "FormScreen", ["escape"]),
    ("panel 5 correction form", ["5", "l", *"3号楼漏水", "ctrl+s", "c"], "FormScreen", ["escape"]),
    ("panel 5 shift form", ["5", "s"], "FormScreen", ["escape"]),
]


def footer_problems(app: DutyRoomApp, where: str) -> list[str]:
    """What is wrong with the Footer on screen: a key cut or hidden, no help key, no way out."""
    footer = app.screen.query_one(Footer)
    keys = [key for key in footer.query(FooterKey) if not key.has_class("-command-palette")]
    palette = footer.query("FooterKey.-command-palette")
    end = palette.first().region.x if palette else footer.region.right
    seen = screen_text(app).splitlines()[-1].split("▏")[0]  # the Footer's line, left of the palette key
    if app.ascii:
        seen = seen.rsplit("|^p", 1)[0]

    def whole(key: FooterKey) -> bool:
        return footer.region.x + key.virtual_region.right <= end and f"{key.key_display} {key.description}" in seen

    problems = [
        f"{where}: '{key.key_display} {key.description}' cut in {seen.rstrip()!r}" for key in keys if not whole(key)
    ]
    if not any(key.action in HELP_ACTIONS and whole(key) for key in keys):
        problems.append(f"{where}: no help key in {seen.rstrip()!r}")
    way_out = "quit" if app.screen is app.screen_stack[0] and app.focused is app.deck.active_panel.table else "escape"
    if not any(way_out in (key.action, key.key) and whole(key) for key in keys):
        problems.append(f"{where}: no {way_out} key in {seen.rstrip()!r}")
    return problems


@pytest.mark.parametrize("ascii_only", [False, True], ids=["utf8", "ascii"])
@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_every_footer_is_whole_at_80_columns(small_store: Store, lang: str, ascii_only: bool) -> None:
    """(--ascii names Enter "enter", four cells wider than ⏎: every Footer still whole.)"""
    problems: list[str] = []
    # A permitted desk: its details offer p too, the longest Footers.
    async with dashboard(small_store, NARROW, lang=lang, ascii=ascii_only, reveal_users=["duty-officer"]) as (
        app,
        pilot,
    ):
        async for where in walked(app, pilot, WALKS):
            problems += footer_problems(app, where)
    assert problems == []


async def walked(app: DutyRoomApp, pilot: Pilot[None], walks: list[Walk]) -> AsyncIterator[str]:
    """Each place of ``walks`` in turn, from panel 1: its keys pressed, its screen checked, its name
    yielded; then its keys back pressed, and back on panel 1 checked."""
    for where, there, screen, back in walks:
        for key in there:
            await pilot.press(key)
            await settled(app, pilot)
        assert type(app.screen).__name__ == screen, where
        yield where
        for key in (*back, "1"):
            await pilot.press(key)
            await settled(app, pilot)
        assert app.screen is app.screen_stack[0] and app.deck.active == "petitions", f"{where}: not back"


async def test_keys_left_out_of_the_english_footer_are_in_help_and_the_palette(small_store: Store) -> None:
    async with dashboard(small_store, NARROW, lang="en") as (app, pilot):
        shown = {b.binding.id: b.binding.show for b in app.screen.active_bindings.values()}
        assert shown["petition.filter"] is False and shown["panel.zoom"] is False
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Filter the cases" in titles and "Zoom / restore the current panel" in titles
        await pilot.press("3")
        await settled(app, pilot)
        bindings = app.screen.active_bindings
        assert not bindings["a"].binding.show and not bindings["e"].binding.show
        app.action_help()
        await settled(app, pilot)
        assert "a New" in screen_text(app).replace("  ", " ")


async def test_the_footer_zh_only_keys_are_declared_shown(small_store: Store) -> None:
    """Switching language looks the flag up: a key listed there must be one the Footer shows."""
    async with dashboard(small_store, NARROW) as (app, _pilot):
        maps = [node._bindings.key_to_bindings for node in (app, *app.deck.panels)]
        declared = {
            binding.id: binding.show
            for bindings in maps
            for group in bindings.values()
            for binding in group
            if binding.id in FOOTER_ZH_ONLY
        }
        assert declared == dict.fromkeys(FOOTER_ZH_ONLY, True)


@pytest.mark.parametrize("size", [NARROW, WIDE])
@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_zoomed_the_footer_says_z_restores(small_store: Store, lang: Lang, size: tuple[int, int]) -> None:
    """z on a zoomed panel restores it: the Footer (and `?`) say 还原 / Restore there, 放大 / Zoom back."""
    zoom, restore = words.t("key.panel.zoom", lang), words.t("zoomed.restore", lang)
    async with dashboard(small_store, size, lang=lang) as (app, pilot):
        for zoomed, said, not_said in ((True, restore, zoom), (False, zoom, restore)):
            await pilot.press("z")
            await settled(app, pilot)
            assert (app.screen.maximized is not None) == zoomed
            assert app.screen.active_bindings["z"].binding.description == said
            footer = screen_text(app).splitlines()[-1]
            assert not_said not in footer, footer
            if lang == "zh":  # (the English Footer leaves z out: it is in `?` and the palette)
                assert f"z {said}" in footer, footer
