"""The duty-room dashboard: four live panels over one store.

Wiring only: data comes from store.queries, words and colours from presenters, drawing from
widgets. The store is polled cheaply (manifest generation, a ~200-byte read); a changed
generation or a new minute triggers a reload in a worker thread, and panels update only the
cells that changed.
"""

from __future__ import annotations

import locale
import sys
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime

from pydantic import ValidationError
from rich.text import Text
from textual import events, on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Container, Horizontal
from textual.dom import DOMNode
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from store import clock, i18n
from store.i18n import Lang, label
from store.lifecycle import (
    Action,
    IllegalTransition,
    IntakeRefused,
    allowed_actions,
    change_status,
    check,
    draft,
    next_steps,
    perform,
    register,
)
from store.masking import log_reveal, may_reveal
from store.models import (
    Community,
    Grid,
    GridWorker,
    Household,
    Petition,
    PetitionStatus,
    ServiceSchedule,
    StallPayment,
)
from store.queries import (
    Dashboard,
    SortOrder,
    dashboard,
    filter_petitions,
    sort_petitions,
)
from store.storage import Store, StoreError
from widgets.choice_modal import Choice, ChoiceModal, ChoiceTexts
from widgets.detail import DetailContent, DetailScreen
from widgets.form import FormScreen
from widgets.panel import Panel

from .casework import (
    assignee_options,
    dispatch_action,
    field_errors,
    intake_cross_check,
    intake_form,
    refusal_errors,
    step_form,
    step_params,
)
from .config import Settings
from .fieldwork import FOOTER_QUIET, SERVICE_KEYS, STALL_KEYS, VISIT_KEYS, FieldworkDesk
from .presenters import COMMUNITY_ROW, Presenter, session_households

PANELS = ("petitions", "visits", "services", "stalls")


def terminal_speaks_utf8() -> bool:
    """Box-drawing characters need a UTF-8 terminal; under another locale, draw with ASCII."""
    encoding = (getattr(sys.stdout, "encoding", None) or locale.getpreferredencoding(False) or "").lower()
    return "utf" in encoding.replace("-", "")

# One key per step on the selected case (12345 desk practice); all remappable by binding id.
CASE_KEYS = (
    ("a", "accept"), ("d", "dispatch"), ("s", "start"), ("r", "resolve"), ("v", "follow_up"),
    ("e", "escalate"), ("b", "return"), ("u", "supervise"), ("m", "merge"), ("x", "cancel"), ("w", "redo"),
    ("t", "extend_request"), ("g", "extend_grant"), ("G", "extend_deny"),
)
FOOTER_STEPS = {"accept", "dispatch", "start", "resolve", "follow_up"}  # the rest: `?` help and the palette
SORT_ORDERS = tuple(SortOrder)
NARROW_BELOW = 100  # columns: under this, one panel at a time with one-line summaries of the others


def localize_bindings(node: DOMNode, lang: Lang) -> None:
    """Give every binding with an id its description from the catalogue.

    Bindings are declared once on the class; the words depend on --lang, so each instance's
    own copy of the binding map is rewritten (Textual copies it per instance).
    """
    node._bindings.key_to_bindings = {
        key: [
            replace(b, description=i18n.t(f"key.{b.id}", lang)) if b.id and f"key.{b.id}" in i18n.keys() else b
            for b in bindings
        ]
        for key, bindings in node._bindings.key_to_bindings.items()
    }


class DutyRoomApp(FieldworkDesk, App[None]):
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = True

    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("tab", "next_panel", "Next panel", show=False, priority=True, id="panel.next"),
        Binding("shift+tab", "previous_panel", "Previous panel", show=False, priority=True, id="panel.previous"),
        Binding("1", "focus_panel(0)", "Petitions", show=False, id="panel.1"),
        Binding("2", "focus_panel(1)", "Visits", show=False, id="panel.2"),
        Binding("3", "focus_panel(2)", "Services", show=False, id="panel.3"),
        Binding("4", "focus_panel(3)", "Stalls", show=False, id="panel.4"),
        Binding("z", "zoom", "Zoom", id="panel.zoom"),
        Binding("c", "change_status", "Status", id="petition.status"),
        Binding("n", "new_petition", "New", id="petition.new"),
        # The same key on panels 2-4, kept out of their Footer so their own keys fit on 80 columns.
        Binding("n", "new_petition_elsewhere", "New", show=False, id="petition.new"),
        Binding("slash", "filter", "Filter", id="petition.filter"),
        Binding("o", "cycle_sort", "Sort", show=False, id="petition.sort"),
        *[
            Binding(key, f"case('{action}')", action, show=action in FOOTER_STEPS, id=f"petition.{action}")
            for key, action in CASE_KEYS
        ],
        *[Binding(key, f"visits('{name}')", name, id=f"visits.{name}") for key, name in VISIT_KEYS],
        *[Binding(key, f"session('{name}')", name, id=f"services.{name}") for key, name in SERVICE_KEYS],
        *[Binding(key, f"stall('{name}')", name, show=name not in FOOTER_QUIET, id=f"stalls.{name}")
          for key, name in STALL_KEYS],
        Binding("ctrl+p", "command_palette", "Commands", show=False, priority=True, id="app.palette"),
        Binding("ctrl+r", "refresh", "Refresh", show=False, id="panel.refresh"),
    ]

    class Refreshed(Message):
        """Posted after new data reached the panels; ``changed_cells`` counts table cells redrawn."""

        def __init__(self, generation: int, changed_cells: int) -> None:
            super().__init__()
            self.generation = generation
            self.changed_cells = changed_cells

    class StatusChanged(Message):
        def __init__(self, petition: Petition) -> None:
            super().__init__()
            self.petition = petition

    def __init__(self, store: Store, settings: Settings | None = None) -> None:
        settings = settings or Settings(store=store.root)
        # Lite: the terminal's own 16 colours (and far fewer bytes per cell), see also cli.py.
        super().__init__(ansi_color=True if settings.lite else None)
        self.store = store
        self.settings = settings
        self.ascii = settings.ascii if settings.ascii is not None else not terminal_speaks_utf8()
        self.lang: Lang = self.settings.lang
        self.present = Presenter(self.lang)
        self.data: Dashboard | None = None
        self.active = 0
        self._seen_generation = -1
        self._seen_minute: tuple[int, int] | None = None
        self.fatal_error: str | None = None  # printed plainly after the terminal is restored
        self.sort_index = 0
        self._width = 0
        self._shown: dict[str, Text] = {}
        self._form_handlers: dict[FormScreen, Callable[[FormScreen, dict[str, str]], None]] = {}
        self._list_reveal: dict[str, bool] = {}
        self.labels = i18n.all_labels()
        localize_bindings(self, self.lang)
        if self.settings.keymap:
            self.set_keymap(self.settings.keymap)
        self.title = i18n.t("app.title", self.lang)

    # -- layout -------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        p = self.present
        with Horizontal(id="header"):
            yield Static("", id="head-title", markup=False)
            yield Static("", id="clock", markup=False)
            yield Static("", id="headline", markup=False)
        with Container(id="panels"):
            yield Panel(1, p.petition_columns(), id="petitions", filter_placeholder=p.t("filter.placeholder"))
            yield Panel(2, p.visit_columns(), id="visits")
            yield Panel(3, p.service_columns(), id="services")
            yield Panel(4, p.stall_columns(), id="stalls")
        yield Footer()

    def on_mount(self) -> None:
        if self.settings.lite:
            self.theme = "ansi-dark"
        self.screen.set_class(self.ascii, "ascii")
        self.screen.set_class(self.settings.lite, "lite")
        for index in range(len(PANELS)):
            localize_bindings(self.panel(index).table, self.lang)
        self.panel(0).add_class("-active")
        self.panel(0).table.focus()
        self._fit_to_width(self.size.width)
        # The first load is done before the first frame: painting empty panels and then painting
        # them again with data would cost a whole extra screen of bytes on a slow link.
        try:
            self.show(self.load(clock.now()))
        except StoreError as exc:
            self.fail(exc)
            return
        self.set_interval(self.settings.refresh_seconds, self.poll)

    def on_resize(self, event: events.Resize) -> None:
        self._fit_to_width(event.size.width)

    def _fit_to_width(self, width: int) -> None:
        self._width = width  # during a Resize event self.size still holds the old size
        # Lite shows one panel at a time at any width: less to repaint, fewer bytes.
        self.query_one("#panels").set_class(width < NARROW_BELOW or self.settings.lite, "narrow")
        # Narrow: compact Footer, so the active panel's own keys still fit on 80 columns.
        self.query_one(Footer).compact = width < NARROW_BELOW
        if self.data is not None:
            self.show(self.data)

    def panel(self, index: int) -> Panel:
        return self.query_one(f"#{PANELS[index]}", Panel)

    # -- live data -------------------------------------------------------------------

    def poll(self) -> None:
        """Cheap check: has the store changed, or has the minute turned (ages, due times, clock)?"""
        now = clock.now()
        minute = (now.hour, now.minute)
        try:
            generation = self.store.generation()
        except StoreError as exc:
            self.fail(exc)
            return
        if generation != self._seen_generation or minute != self._seen_minute:
            self.reload()

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def reload(self) -> None:
        now = clock.now()
        try:
            data = self.load(now)
        except StoreError as exc:
            self.call_from_thread(self.fail, exc)
            return
        self.call_from_thread(self.show, data)

    def load(self, now: datetime) -> Dashboard:
        return dashboard(self.store, now, calendar=self.settings.deadlines, fee_rules=self.settings.fees)

    def fail(self, error: StoreError) -> None:
        """A damaged store stops the app with a message naming the file: nothing is written."""
        self.fatal_error = f"duty-room: {error}"
        self.exit(return_code=2)

    def show(self, data: Dashboard) -> None:
        p = self.present
        store_changed = data.generation != self._seen_generation
        self.data = data
        self._seen_generation = data.generation
        self._seen_minute = (data.now.hour, data.now.minute)
        h = data.headline
        compact = self._width < NARROW_BELOW
        self._update_if_changed("#head-title", p.header_title(h, data.now, read_only=self.settings.read_only),
                                layout=True)  # its width follows the date: once a day
        self._update_if_changed("#clock", p.header_clock(data.now))
        self._update_if_changed("#headline", p.header_counts(h, self.store.actor, compact=compact))
        changed = self.render_petitions() + self.render_visits() + self.render_services() + self.render_stalls()
        if store_changed:  # another desk's write shows in an open list too
            for screen in self.open_lists():
                self.fill_list(screen)
        self.post_message(self.Refreshed(data.generation, changed))

    def _update_if_changed(self, selector: str, text: Text, *, layout: bool = False) -> None:
        """An unchanged line costs no bytes on the wire: only touch what differs.

        Without ``layout`` the new text is drawn in place: a layout pass would also repaint
        every table's scrollbars (kilobytes a minute for a clock tick).
        """
        if self._shown.get(selector) != text:
            self.query_one(selector, Static).update(text, layout=layout)
            self._shown[selector] = text

    def render_petitions(self) -> int:
        """Panel 1 from the last data, through the current filter and sort order."""
        if self.data is None:
            return 0
        panel = self.panel(0)
        order = SORT_ORDERS[self.sort_index]
        views = sort_petitions(filter_petitions(self.data.petitions, panel.filter_text, self.labels), order)
        summary = self.present.petition_summary(
            self.data.headline, shown=len(views), order=order, filtered=bool(panel.filter_text.strip())
        )
        rows = [self.present.petition_row(v) for v in views]
        return panel.show(summary, rows, detail=self.present.metrics_line(self.data.rates))

    @on(Panel.FilterChanged)
    def _filter_changed(self) -> None:
        self.render_petitions()

    def action_filter(self) -> None:
        self.panel(0).open_filter()

    def action_cycle_sort(self) -> None:
        self.sort_index = (self.sort_index + 1) % len(SORT_ORDERS)
        self.render_petitions()

    def action_refresh(self) -> None:
        self.reload()

    # -- panels and keys -----------------------------------------------------------------

    def action_focus_panel(self, index: int) -> None:
        for i in range(len(PANELS)):
            self.panel(i).set_class(i == index, "-active")
        self.active = index
        if self.screen.maximized is not None:
            self.screen.maximize(self.panel(index).table)
        # Focus now, not after the next refresh: keys typed right after "2" must reach panel 2.
        table = self.panel(index).table
        table.screen.set_focus(table)
        self.refresh_bindings()

    def action_next_panel(self) -> None:
        self.action_focus_panel((self.active + 1) % len(PANELS))

    def action_previous_panel(self) -> None:
        self.action_focus_panel((self.active - 1) % len(PANELS))

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """A click (or anything else) that focuses a panel's table makes it the active panel."""
        for index in range(len(PANELS)):
            if event.widget is self.panel(index).table and index != self.active:
                self.action_focus_panel(index)

    def action_zoom(self) -> None:
        if self.screen.maximized is not None:
            self.screen.minimize()
        else:
            self.screen.maximize(self.panel(self.active).table)

    def action_help(self) -> None:
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    WRITING_ACTIONS = frozenset({"change_status", "case", "new_petition", "new_petition_elsewhere", "stall"})
    PANEL_OF_ACTION = {"change_status": 0, "case": 0, "filter": 0, "cycle_sort": 0, "new_petition": 0, "visits": 1,
                       "session": 2, "stall": 3}

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.settings.read_only and (
            action in self.WRITING_ACTIONS or (action == "session" and parameters[:1] != ("audience",))
        ):
            return False  # a viewer: the keys are neither shown nor run
        if action in self.PANEL_OF_ACTION:
            return self.active == self.PANEL_OF_ACTION[action]
        if action == "new_petition_elsewhere":
            return self.active != 0
        return True

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        t = self.present.t
        if not self.settings.read_only:
            yield SystemCommand(t("cmd.change_status"), t("cmd.change_status.help"), self._status_from_palette)
            yield SystemCommand(t("intake.heading"), "", self.action_new_petition)
            yield from self._case_commands()
        yield from self.fieldwork_commands()
        for index, key in enumerate(("panel.petitions", "panel.visits", "panel.services", "panel.stalls")):
            yield SystemCommand(t("cmd.focus").format(t(key)), "", lambda i=index: self.action_focus_panel(i))
        yield SystemCommand(t("cmd.zoom"), "", self.action_zoom)
        yield SystemCommand(t("cmd.refresh"), "", self.action_refresh)
        yield from super().get_system_commands(screen)

    def _case_commands(self) -> Iterable[SystemCommand]:
        """Context commands: every step the selected case allows now, with its key."""
        key = self.panel(0).table.cursor_key
        view = next((v for v in self.data.petitions if v.petition.id == key), None) if self.data else None
        if view is None:
            return
        keys = {name: k for k, name in CASE_KEYS}
        for action in allowed_actions(view.petition, clock.now()):
            if action is Action.REOPEN:
                continue  # closed cases are not in the list
            name = "dispatch" if action is Action.REDISPATCH else action.value
            title = f"{self.present.t('action.' + action.value)} · {view.petition.id}"
            yield SystemCommand(title, f"[{keys.get(name, '')}] {view.petition.title}", self._palette_case(name))

    def _palette_case(self, name: str) -> Callable[[], None]:
        def run() -> None:
            self.action_focus_panel(0)
            self.call_after_refresh(self.action_case, name)

        return run

    def _status_from_palette(self) -> None:
        self.action_focus_panel(0)
        self.call_after_refresh(self.action_change_status)

    # -- detail --------------------------------------------------------------------------

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        for index in range(len(PANELS)):
            key = self.panel(index).table.cursor_key
            if event.data_table is self.panel(index).table and key is not None:
                if index == 1 and key.startswith(COMMUNITY_ROW):
                    self.open_roster(key.removeprefix(COMMUNITY_ROW))  # a community opens on its roster
                elif index == 1:
                    self.open_households(key)  # a grid opens on its households
                else:
                    self.open_detail(index, key)

    def open_detail(self, panel_index: int, key: str) -> None:
        content = self.detail_content(f"{PANELS[panel_index]}:{key}", reveal=False)
        if content is not None:
            screen = DetailScreen(content)
            localize_bindings(screen, self.lang)
            self.push_screen(screen)

    def detail_content(self, subject: str, *, reveal: bool) -> DetailContent | None:
        if self.data is None:
            return None
        kind, _, key = subject.partition(":")
        p = self.present
        data = self.data
        if kind == "petitions":
            view = next((v for v in data.petitions if v.petition.id == key), None)
            if view is None:
                return None
            # Re-read the record so the detail shows the latest history, not the list's copy.
            petition = self.store.get(Petition, key)
            household = next((h for h in self.store.all(Household) if h.id == petition.household_id), None) \
                if petition.household_id else None
            return p.petition_detail(petition, view.community, view.grid, reveal=reveal, household=household)
        if kind == "services":
            view = next((s for s in data.sessions if s.session.id == key), None)
            if view is None:
                return None
            households = {h.id: h for h in self.store.all(Household)}
            schedule = next((sc for sc in self.store.all(ServiceSchedule) if sc.id == view.session.schedule_id), None)
            return p.service_detail(view, session_households(view.session, households), reveal=reveal,
                                    schedule=schedule)
        if kind == "stalls":
            view = next((s for s in data.stalls if s.stall.id == key), None)
            if view is None:
                return None
            payments = [pay for pay in self.store.all_partitions(StallPayment) if pay.stall_id == key]
            return p.stall_detail(view, payments, reveal=reveal)
        return None

    @on(DetailScreen.RevealRequested)
    def _reveal(self, event: DetailScreen.RevealRequested) -> None:
        if self.settings.read_only:  # revealing writes the audit log: not from a viewer
            self.notify(self.present.t("readonly.refused"), severity="warning")
            return
        allowed = may_reveal(self.store.actor, frozenset(self.settings.reveal_users))
        try:
            log_reveal(self.store, event.subject, ["name", "phone"], allowed)
        except StoreError as exc:
            self.notify(str(exc), severity="error")
            return
        if not allowed:
            self.notify(self.present.t("detail.reveal_denied"), severity="warning")
            return
        content = self.detail_content(event.subject, reveal=True)
        if content is not None:
            event.screen.show(content)

    # -- status change -------------------------------------------------------------------

    def action_change_status(self) -> None:
        if self.active != 0 or self.settings.read_only:
            return
        key = self.panel(0).table.cursor_key
        if key is None:
            return
        try:
            petition = self.store.get(Petition, key)
        except StoreError as exc:
            self.notify(str(exc), severity="error")
            return
        t = self.present.t
        choices = [
            Choice(step.to.value, f"{t('action.' + step.action)} → {label(step.to, self.lang)}", step.needs_note)
            for step in next_steps(petition.status)
        ]
        texts = ChoiceTexts(
            title=t("modal.status.title").format(f"{petition.id} {petition.title}"),
            subtitle=t("modal.status.current").format(label(petition.status, self.lang)),
            note=t("modal.note"),
            note_required=t("modal.note.required"),
            confirm=t("modal.confirm"),
            cancel=t("modal.cancel"),
            empty=t("modal.status.none"),
        )

        def chosen(result: tuple[str, str] | None) -> None:
            if result is not None:
                self.apply_status(petition.id, PetitionStatus(result[0]), result[1])

        modal = ChoiceModal(choices, texts)
        localize_bindings(modal, self.lang)
        self.push_screen(modal, chosen)

    # -- case desk: one key per step, intake -----------------------------------------------

    def selected_petition(self) -> Petition | None:
        key = self.panel(0).table.cursor_key
        if key is None:
            return None
        try:
            return self.store.get(Petition, key)
        except StoreError as exc:
            self.notify(str(exc), severity="error")
            return None

    def action_case(self, name: str) -> None:
        """Open the form for one step on the selected case; an illegal step is refused at once."""
        if self.active != 0 or self.settings.read_only:
            return
        petition = self.selected_petition()
        if petition is None:
            return
        action = dispatch_action(petition) if name == "dispatch" else Action(name)
        try:
            check(petition, action, clock.now())  # the state allows it; the form asks for the rest
        except IllegalTransition as exc:
            self.notify(self.present.t("status.refused").format(exc.message(self.lang)), severity="warning")
            return
        workers = self.store.all(GridWorker)
        grids = {g.id: g for g in self.store.all(Grid)}
        assignees = assignee_options(petition, workers, grids, self.settings.units, self.lang)
        open_cases = [v.petition for v in self.data.petitions] if self.data else []
        form = step_form(action, petition, self.lang, assignees=assignees, open_cases=open_cases)
        worker_ids = {w.id: w for w in workers}

        def submitted(screen: FormScreen, values: dict[str, str]) -> None:
            params = step_params(action, values, worker_ids)
            try:
                updated = perform(self.store, petition.id, action, rules=self.settings.deadlines, **params)
            except IllegalTransition as exc:
                errors, general = refusal_errors(exc, self.lang)
                screen.show_errors(errors, general)
                return
            except (StoreError, ValueError) as exc:
                screen.show_errors({}, str(exc))
                return
            screen.dismiss(None)
            self.notify(self.present.t("case.done").format(id=updated.id, action=self.present.t(f"action.{action.value}")))
            self.post_message(self.StatusChanged(updated))
            self.reload()

        self.open_form(FormScreen(form.fields, form.texts), submitted)

    def action_new_petition(self, prefill: dict[str, str] | None = None) -> None:
        """登记 a new case; ``prefill`` fills fields (from a visit: the household, its grid and address)."""
        if self.settings.read_only:
            return
        prefill = prefill or {}
        fields, texts = intake_form(self.lang, self.store.all(Community), self.store.all(Grid), prefill)
        hidden = {k: v for k, v in prefill.items() if k not in {f.key for f in fields}}  # e.g. household_id
        grids = {g.id: g for g in self.store.all(Grid)}

        def submitted(screen: FormScreen, values: dict[str, str]) -> None:
            values = {**values, **hidden}
            errors = intake_cross_check(values, grids, self.lang)
            try:
                draft(values, actor=self.store.actor, now=clock.now(), rules=self.settings.deadlines)
            except ValidationError as exc:
                errors = {**field_errors(exc, self.lang), **errors}
            if errors:
                screen.show_errors(errors)
                return
            try:
                created = register(self.store, values, rules=self.settings.deadlines)
            except ValidationError as exc:
                screen.show_errors(field_errors(exc, self.lang))
                return
            except IntakeRefused as exc:
                screen.show_errors({exc.field: str(exc)})
                return
            except StoreError as exc:
                screen.show_errors({}, str(exc))
                return
            screen.dismiss(None)
            self.notify(self.present.t("intake.saved").format(id=created.id, due=f"{created.due_at:%m-%d %H:%M}"))
            self.post_message(self.StatusChanged(created))
            self.reload()

        self.open_form(FormScreen(fields, texts), submitted)

    def action_new_petition_elsewhere(self) -> None:
        self.action_new_petition()

    def open_form(self, form: FormScreen, on_submit: Callable[[FormScreen, dict[str, str]], None]) -> None:
        localize_bindings(form, self.lang)
        self._form_handlers[form] = on_submit
        self.push_screen(form, lambda _: self._form_handlers.pop(form, None))

    @on(FormScreen.Submitted)
    def _form_submitted(self, event: FormScreen.Submitted) -> None:
        handler = self._form_handlers.get(event.form)
        if handler is not None:
            handler(event.form, event.values)

    def apply_status(self, petition_id: str, target: PetitionStatus, note: str) -> None:
        t = self.present.t
        try:
            updated = change_status(self.store, petition_id, target, note=note)
        except IllegalTransition as exc:
            self.notify(t("status.refused").format(exc.message(self.lang)), severity="error", timeout=8)
            return
        except (StoreError, ValueError) as exc:
            self.notify(t("status.refused").format(exc), severity="error", timeout=8)
            return
        self.notify(t("status.changed").format(id=updated.id, status=label(updated.status, self.lang)))
        self.post_message(self.StatusChanged(updated))
        self.reload()


def run(store: Store, settings: Settings) -> int:
    app = DutyRoomApp(store, settings)
    app.run()
    if app.fatal_error:
        print(app.fatal_error, file=sys.stderr)
    return app.return_code or 0

