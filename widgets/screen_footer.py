"""Footers whose keys are born compact: the dashboard's and each pushed screen's."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widgets import Footer


class CompactFooter(Footer):
    """A Footer in the compact style, its keys made compact before they mount, remade only when
    the keys it shows change.

    Textual mounts every footer key with its ``compact`` watcher adding the "-compact" class, a
    style pass over the stylesheet for each key, and recomposes the Footer whenever the bindings
    are refreshed (a screen pushed or popped, focus moved): 13 keys cost ~100 ms of a township
    list's opening on the event loop. A key that already has the class is not restyled. And a
    recompose lays the whole screen out again, repainting every table's scrollbar and heading:
    after the first frame, two refreshes that changed no key sent ~24 KB (of 130) again at 120x40.
    Refreshes that come before a recompose has run ask for one recompose, not one each: the
    dashboard's start refreshed twice before its keys were first made, and made them twice.
    """

    def __init__(self) -> None:
        super().__init__(compact=True)
        self._composed: tuple[Any, ...] | None = None  # what the keys shown were made from
        self._remaking = False  # a recompose is asked for and has not run yet
        # Textual's Footer makes no keys until its screen first says its bindings changed (the
        # Footer's private _bindings_ready): told here, through the public bindings_changed.
        self._told = False

    def _keys_shown(self) -> tuple[Any, ...]:
        active = self.screen.active_bindings
        return (
            tuple(
                (binding.key, binding.description, binding.action, enabled, tooltip)
                for _, binding, enabled, tooltip in active.values()
                if binding.show
            ),
            self.show_command_palette and self.app.COMMAND_PALETTE_BINDING in active,
        )

    def compose(self) -> ComposeResult:
        self._remaking = False
        self._composed = self._keys_shown() if self._told else None
        for widget in super().compose():
            # A key is the one widget the Footer makes with a ``compact`` of its own (Textual's
            # FooterKey, not exported), bound to the Footer's: its watcher would add this at mount.
            if isinstance(getattr(type(widget), "compact", None), Reactive):
                widget.add_class("-compact")
            yield widget

    def bindings_changed(self, screen: Screen[Any]) -> None:
        self._told = True
        if (
            self._composed is not None
            and self.is_attached
            and screen is self.screen
            and self._keys_shown() == self._composed
        ):
            return  # the same keys: nothing to remake
        if self._remaking:
            return  # the recompose asked for will make the keys as they are when it runs
        super().bindings_changed(screen)
        self._remaking = bool(screen.app.app_focus) and self.is_attached and screen is self.screen
