"""The command palette (Ctrl+P) in the interface language, offering the active panel's keys named for
its selected row, the dashboard's own commands and Textual's: ``PaletteApp``, a base of the app."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, cast

from rich.align import Align
from rich.text import Text
from textual.app import App, SystemCommand
from textual.command import CommandList, CommandPalette, SearchIcon
from textual.screen import Screen
from textual.widgets.option_list import Option

from .desk import Desk
from .panels import PANEL_TYPES
from .panels.deck import PanelDeck
from .textual_words import PALETTE_NO_MATCHES, PALETTE_PLACEHOLDER, palette_words
from .words import Lang, in_lang


def as_plain(text: str) -> str:
    """``text`` for a place that reads markup (the palette), shown exactly as it is."""
    return text.replace("[", "\\[")


class Palette(CommandPalette):
    """Textual's command palette with its search prompt and "no matches" line in our words."""

    def __init__(self, placeholder: str, no_matches: str, *, icon: str = "") -> None:
        super().__init__(placeholder=placeholder, id="--command-palette")
        self.no_matches = no_matches
        self.icon = icon  # the search prompt's, if not Textual's 🔎 (--ascii: a terminal without it)

    def on_mount(self) -> None:
        if self.icon:
            self.query_one(SearchIcon).icon = self.icon

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Textual's own (textual/command.py, 8.x) with our words: private, and no public way to word
        # the line; tests/test_textual_private.py fails if Textual changes it.
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                line = Align.center(Text(self.no_matches, style="not bold"))
                self.query_one(CommandList).add_option(Option(line, disabled=True, id=self._NO_MATCHES))
                self._list_visible = True
            else:  # discovering (nothing typed): no commands to offer is not said
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)


class PaletteApp(App[None]):
    """Ctrl+P: Textual's palette with its search prompt in our words, offering the active panel's
    keys and the dashboard's own commands, then Textual's (a base of ``DutyRoomApp``)."""

    desk: Desk

    def action_refresh(self) -> None:
        """Ctrl+R, and 刷新 in the palette: the app reloads."""
        raise NotImplementedError

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(cast("App[object]", self)):
            lang = self.desk.lang
            icon = ">" if self.desk.ascii else ""
            self.push_screen(Palette(in_lang(PALETTE_PLACEHOLDER, lang), in_lang(PALETTE_NO_MATCHES, lang), icon=icon))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The active panel's and the dashboard's commands, only over the dashboard itself (over a
        form or a list they would act on the row hidden beneath); then Textual's own."""
        if screen is self.screen_stack[0]:
            yield from dashboard_commands(self.query_one(PanelDeck))
        refresh = self.desk.present.key("panel.refresh", "ctrl+r")
        yield SystemCommand(self.desk.t("cmd.refresh"), as_plain(f"[{refresh}]"), self.action_refresh)
        yield from in_our_words(super().get_system_commands(screen), self.desk.lang)


def dashboard_commands(deck: PanelDeck) -> Iterator[SystemCommand]:
    """The active panel's keys, named for its selected row, then each panel and the zoom."""
    panel = deck.active_panel
    for command in panel.commands():
        # The palette reads titles as markup: a title with "[/b]" in it failed it (MarkupError).
        yield command._replace(title=as_plain(command.title), help=as_plain(command.help))
    t, key = panel.t, panel.desk.present.key  # each with its key, as the panel's own are
    for panel_type in PANEL_TYPES:
        title = t("cmd.focus").format(t(f"panel.{panel_type.NAME}"))
        shown = key(f"panel.{panel_type.NUMBER}", str(panel_type.NUMBER))
        yield SystemCommand(title, as_plain(f"[{shown}]"), lambda name=panel_type.NAME: setattr(deck, "active", name))
    yield SystemCommand(t("cmd.zoom"), as_plain(f"[{key('panel.zoom', 'z')}]"), deck.zoom)


def in_our_words(commands: Iterable[SystemCommand], lang: Lang) -> Iterator[SystemCommand]:
    """Textual's own commands in the interface language; one we have no words for is left out."""
    for command in commands:
        words = palette_words(command.title, lang)
        if words is not None:
            yield SystemCommand(words[0], words[1], command.callback, command.discover)
