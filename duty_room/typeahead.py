"""Keys typed ahead: a burst acts exactly as the same keys typed slowly (README, "Using it": "Keys typed ahead are never lost or misrouted").
A key that arrives before what it acts on waits, in order, so none acts on what is not yet on screen.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from textual import events
from textual._xterm_parser import XTermParser
from textual.app import App
from textual.dom import DOMNode
from textual.drivers import linux_driver
from textual.timer import Timer

HOLD_LIMIT_SECONDS = 5.0  # a key waits at most this long for the screen it was typed for


# What a terminal's own sequences begin with after Esc (CSI, SS3, OSC, DCS, APC, PM, ST).
SEQUENCE_INTRODUCERS = frozenset("[O]P_^\\")


class EscapeThenKeyParser(XTermParser):
    """Textual's reader of terminal input, except that Esc and the key after it are two keys.

    Textual reads Esc followed at once by a key as one (Alt+y; Esc Enter as Enter, which saved the form
    being closed), and over SSH keys typed quickly arrive in one read. Nothing here is bound to Alt.
    """

    def _sequence_to_key_events(self, sequence: str, alt: bool = False) -> Iterable[events.Key]:
        if len(sequence) == 2 and sequence[0] == "\x1b" and sequence[1] not in SEQUENCE_INTRODUCERS:
            yield events.Key("escape", "\x1b")
            yield from super()._sequence_to_key_events(sequence[1])
        else:
            yield from super()._sequence_to_key_events(sequence, alt)


def read_escape_then_key_as_two_keys() -> None:
    """Make the terminal driver read input with ``EscapeThenKeyParser`` (Textual has no setting: the
    Linux driver makes its parser from this module-level name)."""
    linux_driver.XTermParser = EscapeThenKeyParser  # type: ignore[misc]


def _waiting_for_messages(node: DOMNode) -> bool:
    """The node's message loop has nothing queued and waits for its next message (or is gone)."""
    if node.message_queue_size:
        return False
    # Private, pinned by tests/test_textual_private.py: Textual says neither that a node is closing
    # nor that its loop waits for a message.
    if node._closing or node._closed:
        return True
    queue: Any = node._message_queue
    return bool(queue.ready_event._waiters)


def _nothing_else_queued(app: App[Any]) -> bool:
    """The app, handling a key, has no other message queued or taken off its queue to look at."""
    pending: Any = app._pending_message  # Textual's private (pinned): the message looked at, not yet handled
    return app.message_queue_size == 0 and pending is None


class TypeAhead:
    """Holds typed keys until the app is ready for them, then hands them on one at a time.
    ``busy`` says what only the app knows is still coming; ``dropped`` is told how many keys were
    given up after ``HOLD_LIMIT_SECONDS``. While ``patient`` (a write waiting for another process's
    lock, which the store bounds and the form says), held keys wait for it however long it takes;
    ``held`` is told of each key held meanwhile."""

    def __init__(
        self,
        app: App[Any],
        dispatch: Callable[[events.Event], Awaitable[None]],
        busy: Callable[[], bool],
        dropped: Callable[[int], None],
        *,
        patient: Callable[[], bool] = lambda: False,
        held: Callable[[], None] = lambda: None,
    ) -> None:
        self.app = app
        self.dispatch = dispatch
        self.busy = busy
        self.dropped = dropped
        self.patient = patient
        self.held = held
        self._held: list[events.Event] = []
        self._held_since = 0.0
        self._release_timer: Timer | None = None

    async def take(self, event: events.Event) -> None:
        """A key or paste as typed: delivered now, or held behind the keys typed before it."""
        if self._held or self._must_wait(handling_key=True):
            if not self._held:
                self._held_since = time.monotonic()
            self._held.append(event)
            if self._release_timer is None:
                self._release_timer = self.app.set_interval(0.01, self._release)
            if self.patient():
                self.held()
        else:
            await self.dispatch(event)

    @property
    def settled(self) -> bool:
        """No typed key is held and what the last one set off is handled (tests wait for this)."""
        return not self._held and self._quiet()

    def _must_wait(self, *, handling_key: bool = False) -> bool:
        """A key waits while what it acts on is not there yet: what the key before set off still
        queued, a screen still opening, or whatever the app says is coming."""
        if not self._quiet(handling_key=handling_key):
            return True
        screen = self.app.screen
        if not screen.is_mounted or (screen.focused is None and screen.focus_chain):
            return True
        return self.busy()

    def _quiet(self, *, handling_key: bool = False) -> bool:
        """No message waits in, or is being handled by, the app, its screens or the current screen's widgets.

        An empty queue is not enough: a handler that awaits has taken its message but not yet posted
        what it sets off, so a node is quiet only while its loop waits. ``handling_key``: the app is
        busy with this key, and must hold nothing else, not even the message its loop took off the
        queue after it (the key before, back from the widgets: released before it, this key acted on
        the screen that key was about to open and was lost)."""
        app = self.app
        nodes: Iterable[DOMNode] = (app, *app.screen_stack, *app.screen.walk_children())
        return all(
            _waiting_for_messages(node) or (handling_key and node is app and _nothing_else_queued(app))
            for node in nodes
        )

    async def _release(self) -> None:
        """Release the next held key once the screen is ready for it."""
        if self._held and not self._must_wait():
            event = self._held.pop(0)
            self._held_since = time.monotonic()
            await self.dispatch(event)
        elif self._held and self.patient():  # the limit counts from the end of the wait
            self._held_since = time.monotonic()
        elif self._held and time.monotonic() - self._held_since > HOLD_LIMIT_SECONDS:
            count = len(self._held)
            self._held.clear()
            self.dropped(count)
        if not self._held and self._release_timer is not None:
            self._release_timer.stop()
            self._release_timer = None
