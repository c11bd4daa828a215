"""The dashboard's screen: its Tab, its resizes and its first paint, where Textual's own Screen
does more than the dashboard needs (duty_room/app.py composes what it shows)."""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.screen import Screen

from .panels.deck import PanelDeck


class DashboardScreen(Screen[None]):
    """The dashboard's screen: Tab is the next panel; laid out again only when its size changes
    (Textual re-lays and resends the whole screen on every Resize, the same size or not); its first
    frame sent once."""

    # Tab goes to the next panel here, not to the next widget (Screen's own Tab): at 80x24, or
    # zoomed, only one panel's table can take focus, so Tab did nothing at all.
    BINDINGS = [
        Binding("tab", "other_panel(1)", "Next panel", show=False, id="panel.next"),
        Binding("shift+tab", "other_panel(-1)", "Previous panel", show=False, id="panel.previous"),
    ]

    def action_other_panel(self, step: int) -> None:
        self.query_one(PanelDeck).step(step)

    def watch_maximized(self) -> None:
        """Zoomed or back (z, Esc, the palette): the Footer's z says what it does now (放大, 还原)."""
        self.app.refresh_bindings()

    def on_resize(self, event: events.Resize) -> None:
        # The size it was laid out at: `size` is the app's, already the new one when a Resize comes.
        if event.size == self.outer_size:
            event.prevent_default()  # Screen._on_resize: the whole layout again

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        if not self._compositor.widgets:  # the first: Screen._on_screen_resume lays out and sends it all
            # Each widget's styles were applied as it mounted, just now: Screen._on_screen_resume (run
            # after this) would apply them all again (~2% of the first frame's instructions at 120x40).
            event.refresh_styles = False
            self.call_next(self._painted)

    def _painted(self) -> None:
        """The whole screen was just sent: what its widgets and Screen._on_screen_resume's refresh()
        asked to repaint before is on it. Left, they sent the whole screen twice more (~10 KB each at
        80x24); a change since asks again, a move shows in the next layout's map."""
        self._repaint_required = False
        for widget in self.query("*"):
            widget._exchange_repaint_regions()
