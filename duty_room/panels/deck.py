"""The panels' layout: five side by side, or, narrow, the active one above the others' summary lines."""

from __future__ import annotations

from datetime import date

from textual import events
from textual.app import App, ComposeResult
from textual.containers import Container
from textual.message import Message
from textual.reactive import reactive

from store.queries import Dashboard

from ..desk import Desk
from . import PANEL_TYPES
from .base import DeskPanel

NARROW_BELOW = 100  # columns: under this, one panel at a time with one-line summaries of the others


class PanelDeck(Container):
    """``#panels``: the panels in the order of their keys; ``active``, the one the keys act on
    (``-active``, focused); ``narrow`` under NARROW_BELOW columns, where only it makes rows."""

    # Five panels at 120x40: cases (spanning two columns) and visits on top, 一老一小, stalls and the
    # duty log below. Narrow (80x24): the active panel, the others as one-line summaries.
    DEFAULT_CSS = """
    PanelDeck {
        layout: grid;
        grid-size: 3 2;
        grid-rows: 1fr 1fr;
        grid-columns: 1fr 1fr 1fr;
        height: 1fr;
        & > #petitions { column-span: 2; }
    }
    PanelDeck.narrow {
        layout: vertical;
        & > Panel { height: 1; border: none; }
        & > Panel KeyedTable { display: none; }
        & > Panel.-active { height: 1fr; border: round $accent; }
        & > Panel.-active KeyedTable { display: block; }
    }
    """

    active: reactive[str] = reactive(PANEL_TYPES[0].NAME, init=False)

    def __init__(self, desk: Desk, *, columns: int, lite: bool) -> None:
        self.columns = columns  # during a Resize event the app's size still holds the old size
        self.lite = lite
        # Born with the classes of this width: set after mounting, they restyled all five panels again.
        super().__init__(id="panels", classes="narrow" if self.narrow else "")
        self.desk = desk
        self.day: date | None = None  # the day of the data shown last

    @property
    def narrow(self) -> bool:
        # Lite shows one panel at a time at any width: less to repaint, fewer bytes.
        return self.columns < NARROW_BELOW or self.lite

    @property
    def panels(self) -> list[DeskPanel]:
        return list(self.query(DeskPanel))

    @property
    def active_panel(self) -> DeskPanel:
        return self.query_one(f"#{self.active}", DeskPanel)

    def compose(self) -> ComposeResult:
        for panel_type in PANEL_TYPES:
            panel = panel_type(self.desk)
            panel.set_class(panel.NAME == self.active, "-active")
            yield panel

    def fit(self, columns: int) -> bool:
        """The screen is ``columns`` wide: False if the panels are laid out for that already."""
        if columns == self.columns:  # the Resize that follows mount: the first frame is already laid out
            return False
        self.columns = columns
        self.set_class(self.narrow, "narrow")
        return True

    class Refitted(Message):
        """Laid out for another width of its own: the data is to be shown again at that width."""

    def on_resize(self, event: events.Resize) -> None:
        # Its own width, not the terminal's: `?` docks the keys beside it (at 120 columns it has 81,
        # where five panels' tables scrolled sideways). A terminal's resize is fitted before its layout.
        if event.size.width and self.fit(event.size.width):
            self.post_message(self.Refitted())

    def show(self, data: Dashboard, *, store_changed: bool) -> None:
        """Each panel's rows, summary and detail for ``data``; the lists they opened too if the store changed."""
        for panel in self.panels:  # a narrow screen shows the others as their summary lines: no rows made
            panel.rows_shown = not self.narrow or panel.NAME == self.active
        new_day = self.day is not None and data.now.date() != self.day
        self.day = data.now.date()
        for panel in self.panels:
            if new_day:  # (the day's services, visits, log): its columns as a desk started today has them
                panel.table.measure_afresh()
            panel.draw(data)
        if store_changed:  # another desk's write shows in an open list too
            for panel in self.panels:
                panel.refill_lists()

    def watch_active(self, name: str) -> None:
        for panel in self.panels:
            panel.set_class(panel.NAME == name, "-active")
            panel.rows_shown = not self.narrow or panel.NAME == name
        panel = self.active_panel
        panel.rows_now()  # its rows, if made later while it showed only its summary line
        if self.screen.maximized is not None:
            self.screen.maximize(panel.table)
        # Focus now, not after the next refresh: keys typed right after "2" must reach panel 2.
        self.screen.set_focus(panel.table)
        self.app.refresh_bindings()

    def zoom(self) -> None:
        """``z``: the active panel's table alone on the screen (the status line and Footer stay), or back."""
        if self.screen.maximized is not None:
            self.screen.minimize()
        else:
            self.screen.maximize(self.active_panel.table)

    def step(self, step: int) -> None:
        """The next panel (Tab, ``step`` 1) or the previous one (-1) becomes the active one."""
        names = [panel.NAME for panel in PANEL_TYPES]
        self.active = names[(names.index(self.active) + step) % len(names)]

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """A click (or anything else) that focuses a panel's table makes it the active panel."""
        for panel in self.panels:
            if event.widget is panel.table:
                self.active = panel.NAME


class DeckApp(App[None]):
    """An app whose keys 1-5 and ``z`` (bound in app.py, after the panel's in the Footer) act on its
    ``PanelDeck``: that panel becomes the active one; ``z`` zooms the active panel, or restores it."""

    # Zoomed (z), the status line stays under the panel: what a key did, a refusal, a failed export.
    ALLOW_IN_MAXIMIZED_VIEW = "Footer, StatusLine"

    def action_focus_panel(self, name: str) -> None:
        self.query_one(PanelDeck).active = name

    def action_zoom(self) -> None:
        self.query_one(PanelDeck).zoom()

    action_restore = action_zoom  # z on a zoomed panel: the same toggle, named 还原 (``check_action``)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """``z`` is 放大 on the panels and 还原 on a zoomed one: the Footer and `?` show the one it does."""
        if action in ("zoom", "restore"):
            return (self.screen.maximized is not None) == (action == "restore")
        return super().check_action(action, parameters)

    @property
    def escape_to_minimize(self) -> bool:
        # Zoomed, Esc restores the panel only where no key claims it: in the filter it clears the
        # filter, over the help it closes them, as the Footer says (Textual's restore came first).
        escape = self.screen.active_bindings.get("escape")
        return escape is None or not escape.enabled
