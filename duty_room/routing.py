"""Where what reaches the app goes: ``DutyRoomApp``'s base. Words and errors go to the status line
(status.py; Textual's own in our words), typed keys through ``TypeAhead``, what screens and workers
send back to the desk or the panel that opened the screen."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import events, on
from textual.app import App
from textual.await_complete import AwaitComplete
from textual.notifications import SeverityLevel
from textual.worker import Worker

from store.queries import Dashboard
from widgets.partial_update import send_changed_cells_only
from widgets.status_line import StatusLine

from .desk import Desk, guarded
from .panels import DeskPanel
from .screenshot import deliver_screenshot
from .status import Status
from .textual_words import QUIT_HINT
from .typeahead import TypeAhead, read_escape_then_key_as_two_keys
from .words import in_lang

if TYPE_CHECKING:  # the screens are imported when the first opens, not before the first frame (widgets/specs.py)
    from widgets.choice_modal import ChoiceModal
    from widgets.detail import DetailScreen
    from widgets.form import FormScreen
    from widgets.table_screen import TableScreen


class RoutingApp(App[None]):
    """An app whose words go to its status line, whose typed keys wait their turn, and whose screens'
    and workers' messages reach the desk or their panel."""

    desk: Desk
    status: Status

    def __init__(self, **app_options: Any) -> None:
        super().__init__(**app_options)
        read_escape_then_key_as_two_keys()  # Esc then a key in one read: two keys, as typed
        send_changed_cells_only()  # a changed cell goes over the wire, not its line up to it
        self.typeahead = TypeAhead(
            self,
            self._dispatch_typed,
            lambda: self.desk.busy,
            lambda n: self.notify(self.desk.t("keys.dropped").format(n), severity="warning"),
            patient=lambda: self.desk.lock_waiting,
            held=lambda: self.desk.key_held_in_lock_wait(),
        )

    @property
    def data(self) -> Dashboard | None:
        """The data on screen (``None`` until the first load is shown)."""
        return self.desk.data

    # -- the status line, instead of toasts ------------------------------------------------

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Everything said to the officer goes to the status line (status.py), no toast over the panels."""
        self.status.say(f"{title}: {message}" if title else message, severity)

    def push_screen(self, *args: Any, **kwargs: Any) -> Any:  # (Textual's overloads, unchanged)
        """A list, detail, form or choice opened: the officer moved on, so a refusal said on the view
        now covered was about that view, not the new one, and goes (status.py)."""
        covered = self.screen_stack[-1] if self.screen_stack else None
        opened = super().push_screen(*args, **kwargs)
        if covered is not None:
            self.status.left(covered)
        return opened

    def on_status_line_mounted(self, event: StatusLine.Mounted) -> None:
        """A list's or a detail's status line, new: it says a damaged file's fault too (status.py)."""
        self.status.line_mounted(event.line)

    def pop_screen(self) -> AwaitComplete:
        """A list or detail closed (Esc, dismiss): a refusal said on it goes with it (status.py)."""
        gone = self.screen
        popped = super().pop_screen()
        self.status.left(gone)
        return popped

    def action_help_quit(self) -> None:
        """Ctrl+C does not quit (it copies in an input): say which key does, in our words."""
        keys = [key for key, active in self.active_bindings.items() if active.binding.action in ("quit", "app.quit")]
        if keys:  # our own q before Textual's ctrl+q
            key = min(keys, key=len)
            self.notify(in_lang(QUIT_HINT, self.desk.lang).format(key=key))

    def deliver_screenshot(
        self, filename: str | None = None, path: str | None = None, time_format: str | None = None
    ) -> str | None:
        """The palette's 截图: saved where the officer can find it, said in our words (screenshot.py)."""
        return deliver_screenshot(self, self.desk.settings, filename, path, time_format)

    def report_error(self, error: Exception) -> None:
        """An error out of a key's action, a handler or a callback: one line, and the dashboard runs on."""
        self.status.report_error(error)

    async def run_action(self, action, default_namespace=None, namespaces=None) -> bool:
        """Every key's action (and the palette's) runs here: a bug in one is reported, not fatal (one
        that reached Textual's message loop would stop that widget's loop for good)."""
        try:
            return await super().run_action(action, default_namespace, namespaces)
        except Exception as error:  # noqa: BLE001 - the one place that keeps the app alive
            if self.data is None:
                raise
            self.report_error(error)
            return True

    def _handle_exception(self, error: Exception) -> None:
        """Callbacks (call_later, timers) that fail: reported once the dashboard is up; before, exit."""
        if self.data is None:
            super()._handle_exception(error)
        else:
            self.report_error(error)

    # -- keys typed ahead: a burst acts exactly as the same keys typed slowly (typeahead.py) --

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded and self.data is not None:
            await self.typeahead.take(event)
        else:
            await super().on_event(event)

    async def _dispatch_typed(self, event: events.Event) -> None:
        await super().on_event(event)

    # -- what comes back from screens and workers: to the desk or the panel that opened them --

    # The screens' messages are taken by their handlers' names (Textual's naming convention), not
    # by ``@on(FormScreen.Submitted)``, which would import every screen before the first frame.

    @guarded
    def on_form_screen_submitted(self, event: FormScreen.Submitted) -> None:
        self.desk.answered(event.form, event.values)

    @guarded
    def on_choice_modal_confirmed(self, event: ChoiceModal.Confirmed) -> None:
        self.desk.answered(event.modal, event.answer)

    def on_form_screen_marked(self) -> None:
        self.status.clear()

    def on_choice_modal_marked(self) -> None:
        self.status.clear()

    @on(Worker.StateChanged)
    @guarded
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        self.desk.worker_changed(event.worker, event.state)

    @guarded
    def on_table_screen_action_requested(self, event: TableScreen.ActionRequested) -> None:
        owner = next((panel for panel in self.query(DeskPanel) if event.screen in panel.lists), None)
        if owner is not None:
            owner.list_key(event.screen, event.action, event.row_key)

    @guarded
    def on_detail_screen_reveal_requested(self, event: DetailScreen.RevealRequested) -> None:
        name = event.subject.partition(":")[0]
        owner = next((panel for panel in self.query(DeskPanel) if panel.NAME == name), None)
        if owner is not None:
            owner.reveal_detail(event.screen, event.subject)
