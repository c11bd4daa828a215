"""F1 opens the keys of the current screen in every screen: in a form `?` is typed into a field.

Each screen of ours puts ``HELP_KEY`` (``HELP_KEYS``, F1 and `?`, where nothing is typed: a detail,
a list) in its BINDINGS and calls ``toggle_help`` from its ``action_toggle_help``; the dashboard
binds F1 beside `?` itself (duty_room/app.py), its actions those of ``PagedHelpApp``.
"""

from __future__ import annotations

from typing import Any

from textual.app import App
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


class PagedHelpApp(App[Any]):
    """An app whose keys panel pages: it binds ``help`` (`?`, F1: the panel, then its next page,
    hidden after the last) and ``close_help`` (Esc: bound only while the panel shows, so it means
    nothing else there), and gives ``help_words`` the words of the page line (widgets/help_pages.py)."""

    help_words: tuple[str, str, str] = ("", "", "")  # page, next, close: HelpPageWords

    def action_help(self) -> None:
        toggle_help(self.screen)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "close_help":
            return bool(self.screen.query("HelpPanel"))
        return True

    def action_close_help(self) -> None:
        self.action_hide_help_panel()

    def push_screen(self, *args: Any, **kwargs: Any) -> Any:
        """A screen opened over the keys panel (`n` read in the help, then pressed) closes the panel
        first: its keys are the screen's below, none of which act on the new one (which has its own
        F1), and the new screen covered part of it. Closed, the screen below is as before the help."""
        if self.screen_stack:  # (none yet: the first screen)
            self.action_hide_help_panel()
        return super().push_screen(*args, **kwargs)

    def action_show_help_panel(self) -> None:
        if not self.screen.query("HelpPanel"):
            from .help_pages import HelpPageWords, PagedHelpPanel  # (after the first frame: Markdown)

            self.screen.mount(PagedHelpPanel(HelpPageWords(*self.help_words)))
