"""The command palette (Ctrl+P) in the interface language, offering the active panel's keys named for
its selected row, the dashboard's own commands and Textual's."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import cast

from rich.align import Align
from rich.text import Text
from textual.app import App, SystemCommand
from textual.command import CommandList, CommandPalette
from textual.widgets.option_list import Option

from .panels import PANEL_TYPES, DeskPanel
from .textual_words import PALETTE_NO_MATCHES, PALETTE_PLACEHOLDER, palette_words
from .words import Lang


def as_plain(text: str) -> str:
    """``text`` for a place that reads markup (the palette), shown exactly as it is."""
    return text.replace("[", "\\[")


class Palette(CommandPalette):
    """Textual's command palette with its search prompt and "no matches" line in our words."""

    def __init__(self, placeholder: str, no_matches: str) -> None:
        super().__init__(placeholder=placeholder, id="--command-palette")
        self.no_matches = no_matches

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


def open_palette(app: App[None], lang: Lang) -> None:
    """Textual's palette, its search prompt in our words (``DutyRoomApp.action_command_palette``)."""
    if app.use_command_palette and not CommandPalette.is_open(cast("App[object]", app)):
        said = 0 if lang == "zh" else 1
        app.push_screen(Palette(PALETTE_PLACEHOLDER[said], PALETTE_NO_MATCHES[said]))


def dashboard_commands(
    panel: DeskPanel, focus: Callable[[str], None], zoom: Callable[[], None]
) -> Iterator[SystemCommand]:
    """The active ``panel``'s keys, named for its selected row, then ``focus`` each panel and ``zoom``."""
    for command in panel.commands():
        # The palette reads titles as markup: a title with "[/b]" in it failed it (MarkupError).
        yield command._replace(title=as_plain(command.title), help=as_plain(command.help))
    t = panel.t
    for panel_type in PANEL_TYPES:
        title = t("cmd.focus").format(t(f"panel.{panel_type.NAME}"))
        yield SystemCommand(title, "", lambda name=panel_type.NAME: focus(name))
    yield SystemCommand(t("cmd.zoom"), "", zoom)


def in_our_words(commands: Iterable[SystemCommand], lang: Lang) -> Iterator[SystemCommand]:
    """Textual's own commands in the interface language; one we have no words for is left out."""
    for command in commands:
        words = palette_words(command.title, lang)
        if words is not None:
            yield SystemCommand(words[0], words[1], command.callback, command.discover)
