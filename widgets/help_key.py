"""F1 opens the keys of the current screen in every screen: in a form `?` is typed into a field.

Each screen of ours puts ``HELP_KEY`` (``HELP_KEYS``, F1 and `?`, where nothing is typed: a detail,
a list) in its BINDINGS and calls ``toggle_help`` from its ``action_toggle_help``; the dashboard
binds F1 beside `?` itself (duty_room/app.py).
"""

from __future__ import annotations

from typing import Any

from textual.binding import Binding
from textual.containers import ScrollableContainer
from textual.screen import Screen

HELP_KEY = Binding("f1", "toggle_help", "Help", id="screen.help")
# Where nothing is typed (a detail, a list) `?` opens them too, as on the dashboard.
HELP_KEYS = Binding("f1,question_mark", "toggle_help", "Help", id="screen.help")


def toggle_help(screen: Screen[Any]) -> None:
    """Show the keys panel on ``screen``; shown, the key shows its next page of keys if there is
    more below (at 80x24 a panel's keys are two or three pages: the wheel alone scrolled them,
    the keyboard never), else hides it."""
    shown = screen.query("HelpPanel")
    if shown:
        keys = shown.first().query_one("KeyPanel", ScrollableContainer)
        if keys.scroll_y < keys.max_scroll_y:
            keys.scroll_page_down(animate=False)
        else:
            screen.app.action_hide_help_panel()
    else:
        screen.app.action_show_help_panel()


def show_paged_help(screen: Screen[Any], page: str, next: str, close: str) -> None:
    """Textual's keys panel on ``screen``, with a last line in these words when it is more than a
    page (widgets/help_pages.py): the app's ``action_show_help_panel``."""
    if not screen.query("HelpPanel"):
        from .help_pages import HelpPageWords, PagedHelpPanel  # (after the first frame: Markdown)

        screen.mount(PagedHelpPanel(HelpPageWords(page, next, close)))
