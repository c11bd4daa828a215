"""Keys typed ahead: a burst acts exactly as the same keys typed slowly.

Over SSH a whole line of keys can arrive in one read. Typed slowly, the officer would have waited
for each key's effect (a form opening, a list's rows, a write, the reload after it) before the next
key; so a key that arrives before what it acts on is there waits, in order, and is released only
then. No key can act on a case or a screen the officer is not looking at.
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


# What a terminal's own sequences begin with after Esc (CSI, SS3, OSC, DCS, APC, PM, ST): Textual must
# read on after these; after anything else, Esc was a key of its own.
SEQUENCE_INTRODUCERS = frozenset("[O]P_^\\")


class EscapeThenKeyParser(XTermParser):
    """Textual's reader of terminal input, except that Esc and the key after it are two keys.

    A terminal sends Alt+y as Esc y, so Textual reads Esc followed at once by another key as one:
    Alt+y, and Esc Enter as Enter, Esc 2 as ™, Esc b as Ctrl+←, Esc Tab as Shift+Tab. Over SSH
    keys typed quickly arrive in one read: Esc (close this form) then Enter or 2 lost the Esc, and
    Esc Enter saved the form being closed. Nothing in the dashboard is bound to Alt, so typed in
    one read these are the keys they were typed as. A terminal's own sequences (arrow keys, mouse,
    pastes) still start with Esc [ or Esc O and are read as before.
    """

    def _sequence_to_key_events(self, sequence: str, alt: bool = False) -> Iterable[events.Key]:
        if len(sequence) == 2 and sequence[0] == "\x1b" and sequence[1] not in SEQUENCE_INTRODUCERS:
            yield events.Key("escape", "\x1b")
            yield from super()._sequence_to_key_events(sequence[1])
        else:
            yield from super()._sequence_to_key_events(sequence, alt)


def read_escape_then_key_as_two_keys() -> None:
    """Make the terminal driver read input with ``EscapeThenKeyParser`` (Textual has no setting for
    its parser: the Linux driver makes one from this module-level name when it starts reading)."""
    linux_driver.XTermParser = EscapeThenKeyParser  # type: ignore[misc]


def _waiting_for_messages(node: DOMNode) -> bool:
    """The node's message loop has nothing queued and waits for its next message (or is gone)."""
    if node.message_queue_size:
        return False
    # Private, pinned by tests/test_textual_private.py: Textual says neither that a node is closing
    # nor that its loop waits for a message. Its queue's loop awaiting get() waits on ready_event
    # (an asyncio.Event keeps its waiters).
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

    ``dispatch`` delivers a key as Textual would have; ``busy`` says what only the app knows is
    still coming (a write running, the reload after it, a list's first rows); ``dropped`` is told
    how many keys were given up after waiting ``HOLD_LIMIT_SECONDS`` for their screen.
    """

    def __init__(
        self,
        app: App[Any],
        dispatch: Callable[[events.Event], Awaitable[None]],
        busy: Callable[[], bool],
        dropped: Callable[[int], None],
    ) -> None:
        self.app = app
        self.dispatch = dispatch
        self.busy = busy
        self.dropped = dropped
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
        else:
            await self.dispatch(event)

    @property
    def settled(self) -> bool:
        """No typed key is held and what the last one set off is handled (tests wait for this)."""
        return not self._held and self._quiet()

    def _must_wait(self, *, handling_key: bool = False) -> bool:
        """A key waits while what it acts on is not there yet: the key before it (or anything it set
        off: a submitted form, a focus change) still in some widget's queue, a screen still opening
        (not mounted, or its first field not focused yet), or whatever the app says is coming."""
        if not self._quiet(handling_key=handling_key):
            return True
        screen = self.app.screen
        if not screen.is_mounted or (screen.focused is None and screen.focus_chain):
            return True
        return self.busy()

    def _quiet(self, *, handling_key: bool = False) -> bool:
        """No message waits in, or is being handled by, the app, its screens or the current screen's widgets.

        Textual has no public "idle" query; its message queues are the only exact answer to
        "has everything the last key set off been handled?". An empty queue is not enough: a
        handler that awaits (Enter's submit, say) has taken its message off the queue but has not
        yet posted what it sets off, and the key released meanwhile overtook it (the form got the
        key meant for the dashboard). So a node is quiet only while its loop waits for a message.
        ``handling_key``: the app itself is busy with the key being decided on, and nothing else of
        the app's may be waiting: not in its queue, nor the message its loop took off the queue
        after this key (Textual's loop looks at the next message before handling the current one,
        to combine the two). That one may be the key typed before, back from the widgets it went
        through (Enter's or y's binding is run by the app): released before it, this key acted on
        the screen that key was about to open, before that screen had anything on it, and was lost.
        """
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
        elif self._held and time.monotonic() - self._held_since > HOLD_LIMIT_SECONDS:
            count = len(self._held)
            self._held.clear()
            self.dropped(count)
        if not self._held and self._release_timer is not None:
            self._release_timer.stop()
            self._release_timer = None
