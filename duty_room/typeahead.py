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
from textual.app import App
from textual.dom import DOMNode
from textual.timer import Timer

HOLD_LIMIT_SECONDS = 5.0  # a key waits at most this long for the screen it was typed for


def esc_then_key(event: events.Key) -> tuple[events.Key, events.Key] | None:
    """Esc and the letter after it, when both arrived in one read and Textual took them for Alt+letter.

    A terminal sends Alt+y as Esc y, so Textual reads Esc followed at once by a letter (or a Chinese
    character) as ``alt+y``: over SSH, Esc then y typed quickly become one key, and the question Esc
    asks never sees its answer. Nothing here is bound to Alt, so the pair is split back into the two
    keys that were typed. (Textual maps a few pairs to other keys before they get here: Esc b / Esc f
    to Ctrl+←/→, Esc with a digit, `/`, Enter, Tab or Backspace; those cannot be told apart.)
    """
    char = event.character
    if not event.key.startswith("alt+") or char is None or len(char) != 1 or not char.isalnum():
        return None
    return events.Key("escape", "\x1b"), events.Key(char, char)


def _waiting_for_messages(node: DOMNode) -> bool:
    """The node's message loop has nothing queued and waits for its next message (or is gone)."""
    queue: Any = node._message_queue  # Textual's private queue type
    if not queue.empty():
        return False
    if node._closing or node._closed:
        return True
    # Textual's queue: the loop awaiting get() waits on this event (asyncio.Event keeps its waiters).
    return bool(queue.ready_event._waiters)


def _nothing_else_queued(app: App[Any]) -> bool:
    """The app, handling a key, has no other message queued or taken off its queue to look at."""
    pending: Any = app._pending_message  # Textual's private: the message looked at, not yet handled
    return app._message_queue.empty() and pending is None


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
        if isinstance(event, events.Key) and (pair := esc_then_key(event)) is not None:
            for key in pair:  # Esc, then the letter: as typed, each waiting its turn
                await self.take(key)
        elif self._held or self._must_wait(handling_key=True):
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
