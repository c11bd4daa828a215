"""The keys of the visits, 一老一小 and stalls panels: what each asks for and which store call it makes.

A mixin of DutyRoomApp (the petitions desk lives in app.py and casework.py). Each action reads
what it needs, asks through a FormScreen when it needs words or numbers, and writes through one
function of store/ (visiting, schedule, market), which refuses an illegal move with a reason;
the reason is shown where the person is looking (the form, or a notification), and nothing is
written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import TYPE_CHECKING

from pydantic import ValidationError
from textual.app import SystemCommand

from duty_room.casework import field_errors
from duty_room.presenters import COMMUNITY_ROW
from store import clock, i18n
from store.i18n import label
from store.market import (
    PermitAction,
    StallView,
    apply_for_stall,
    end_of_year,
    fen_to_yuan,
    next_permit_action,
    payment_period_default,
    release_stall,
    yuan_to_fen,
)
from store.market import change_permit as store_change_permit
from store.market import record_payment as store_record_payment
from store.market import set_occupied as store_set_occupied
from store.masking import log_reveal, mask_name, may_reveal
from store.models import (
    Audience,
    Community,
    FeeReduction,
    Grid,
    GridWorker,
    Household,
    SessionState,
)
from store.queries import (
    GridProgress,
    SessionView,
    community_progress,
    least_progress_first,
    visit_progress,
)
from store.refusal import Refused
from store.schedule import SessionRef, cancel, check_in, complete
from store.storage import StoreError
from store.visiting import (
    grid_households,
    grids_below,
    record_visit,
    roster,
    workers_today,
)
from widgets.form import FieldSpec, FormScreen, FormTexts
from widgets.table_screen import ListAction, TableScreen

if TYPE_CHECKING:
    from .app import DutyRoomApp

    Base = DutyRoomApp
else:
    Base = object

AUDIENCE_CYCLE: tuple[Audience | None, ...] = (None, Audience.ELDERLY, Audience.CHILDREN)

# Keys per panel. All are remappable by binding id (visits.roster, services.check_in, …).
VISIT_KEYS = (("r", "roster"), ("w", "workers"), ("o", "sort"), ("f", "special"))
SERVICE_KEYS = (("i", "check_in"), ("d", "complete"), ("x", "cancel"), ("f", "audience"))
STALL_KEYS = (("a", "advance"), ("s", "suspend"), ("p", "pay"), ("m", "occupancy"), ("x", "release"))
FOOTER_QUIET = {"release"}  # rarer keys: in `?` help and the palette, not the Footer (80 columns)


class FieldworkDesk(Base):
    """Visits (panel 2), 一老一小 (panel 3) and stalls (panel 4)."""

    visit_least_first = False
    visit_special_only = False
    service_audience: Audience | None = None
    _list_reveal: dict[str, bool]

    # -- shared ------------------------------------------------------------------

    def fw_t(self, key: str) -> str:
        return i18n.t(key, self.lang)

    def refused(self, error: Refused | StoreError, form: FormScreen | None = None, field: str = "") -> None:
        message = error.message(self.lang) if isinstance(error, Refused) else str(error)
        if form is not None:
            form.show_errors({field: message} if field else {}, "" if field else message)
        else:
            self.notify(self.fw_t("status.refused").format(message), severity="warning", timeout=8)

    def done(self, message: str) -> None:
        self.notify(message)
        self.reload()

    def ask(self, title: str, fields: list[FieldSpec], on_submit: Callable[[FormScreen, dict[str, str]], None],
            subtitle: str = "") -> None:
        texts = FormTexts(title, self.fw_t("modal.confirm"), self.fw_t("modal.cancel"), subtitle, self.fw_t("form.no_match"))
        self.open_form(FormScreen(fields, texts), on_submit)

    def open_list(self, screen: TableScreen) -> None:
        screen.set_class(self.ascii, "ascii")
        self._list_reveal[screen.kind] = False
        self.push_screen(screen, lambda _: self._list_reveal.pop(screen.kind, None))
        self.fill_list(screen)

    def open_lists(self) -> list[TableScreen]:
        return [s for s in self.screen_stack if isinstance(s, TableScreen)]

    def fill_list(self, screen: TableScreen) -> None:
        """(Re)draw a list from the store; called on open, after a write and on every store change."""
        kind, _, key = screen.kind.partition(":")
        reveal = self._list_reveal.get(screen.kind, False)
        p = self.present
        today = clock.now().date()
        try:
            if kind == "households":
                # The dashboard's own roll-up; after a write it is redrawn again once the reload is in.
                known = self.data.progress if self.data is not None else visit_progress(self.store, today)
                progress = next((g for g in known if g.grid.id == key), None)
                rows = grid_households(self.store, today, key, special_unvisited_only=self.visit_special_only)
                below = grids_below(self.store.all(Grid), key)
                team = [w for w in self.store.all(GridWorker) if w.grid_id in below][:6]
                header = p.households_header(progress, team, reveal=reveal, special_only=self.visit_special_only,
                                             ascii_only=self.ascii)
                screen.show(header, [p.household_row(r, reveal=reveal, ascii_only=self.ascii) for r in rows])
            elif kind == "roster":
                entries = roster(self.store, key)
                name = next((c.name for c in self.store.all(Community) if c.id == key), key)
                screen.show(p.roster_header(name, entries, reveal=reveal, ascii_only=self.ascii),
                            p.roster_rows(entries, reveal=reveal, ascii_only=self.ascii))
            elif kind == "workers":
                days = workers_today(self.store, today)
                screen.show(p.workers_header(days), p.worker_rows(days))
        except StoreError as exc:
            self.refused(exc)

    def on_table_screen_action_requested(self, event: TableScreen.ActionRequested) -> None:
        kind, _, key = event.screen.kind.partition(":")
        if event.action == "reveal":
            self.reveal_list(event.screen, kind, key)
        elif event.action == "special":
            self.visit_special_only = not self.visit_special_only
            self.fill_list(event.screen)
            if self.data is not None:
                self.show(self.data)
        elif kind == "households" and event.row_key and not self.settings.read_only:
            if event.action == "visit":
                self.ask_visit(event.screen, event.row_key)
            elif event.action == "petition":
                self.petition_from_household(event.row_key)

    def reveal_list(self, screen: TableScreen, kind: str, key: str) -> None:
        """Unmask a list's names and phones: permitted users only, and every attempt is logged."""
        if self.settings.read_only:
            self.notify(self.fw_t("readonly.refused"), severity="warning")
            return
        allowed = may_reveal(self.store.actor, frozenset(self.settings.reveal_users))
        subject = f"{ {'households': 'grids', 'roster': 'communities'}.get(kind, kind)}:{key}"
        try:
            log_reveal(self.store, subject, ["name", "phone"], allowed)
        except StoreError as exc:
            self.refused(exc)
            return
        if not allowed:
            self.notify(self.fw_t("detail.reveal_denied"), severity="warning")
            return
        self._list_reveal[screen.kind] = True
        self.fill_list(screen)

    def fieldwork_commands(self) -> Iterable[SystemCommand]:
        """Context commands for the active panel (2-4): its keys, named for what is selected."""
        panels = {1: ("visits", VISIT_KEYS, self.selected_progress),  # None on a community row
                  2: ("session", SERVICE_KEYS, self.selected_session),
                  3: ("stall", STALL_KEYS, self.selected_stall)}
        if self.active not in panels:
            return
        action, keys, selected = panels[self.active]
        group = {"visits": "visits", "session": "services", "stall": "stalls"}[action]
        view = selected()
        subject = ""
        if isinstance(view, GridProgress):
            subject = view.grid.name
        elif isinstance(view, SessionView):
            subject = f"{view.session.start:%H:%M} {view.session.title}"
        elif isinstance(view, StallView):
            subject = f"{view.stall.market} {view.stall.number}"
        for key, name in keys:
            if self.check_action(action, (name,)) is False:
                continue
            title = self.fw_t(f"key.{group}.{name}") + (f" · {subject}" if subject else "")
            runner = getattr(self, f"action_{action}")
            yield SystemCommand(title, f"[{key}]", lambda run=runner, n=name: run(n))

    # -- panel 2: grid visits ------------------------------------------------------

    def selected_progress(self) -> GridProgress | None:
        key = self.panel(1).table.cursor_key
        return next((g for g in self.data.progress if g.grid.id == key), None) if self.data and key else None

    def action_visits(self, name: str) -> None:
        if self.active != 1:
            return
        if name == "sort":
            self.visit_least_first = not self.visit_least_first
            self.render_visits()
        elif name == "special":
            self.visit_special_only = not self.visit_special_only
            self.render_visits()
        elif name == "workers":
            self.open_list(TableScreen("workers:", self.fw_t("workers.title"), self.present.worker_columns(),
                                       close_hint=self.fw_t("list.close")))
        elif name == "roster":
            self.open_roster(self.selected_community())

    def selected_community(self) -> str:
        """The community of the selected row (a community row or a grid), else the first one."""
        key = self.panel(1).table.cursor_key or ""
        if key.startswith(COMMUNITY_ROW):
            return key.removeprefix(COMMUNITY_ROW)
        progress = self.selected_progress()
        if progress is not None:
            return progress.grid.community_id
        communities = self.store.all(Community)
        return communities[0].id if communities else ""

    def open_roster(self, community: str) -> None:
        """一表全清 of one community."""
        name_of = next((c.name for c in self.store.all(Community) if c.id == community), community)
        self.open_list(TableScreen(f"roster:{community}", self.fw_t("roster.title").format(name_of),
                                   self.present.roster_columns(),
                                   [ListAction("p", "reveal", self.fw_t("key.detail.reveal"))],
                                   close_hint=self.fw_t("list.close")))

    def open_households(self, grid_id: str) -> None:
        progress = next((g for g in self.data.progress if g.grid.id == grid_id), None) if self.data else None
        grid = progress.grid if progress else next((g for g in self.store.all(Grid) if g.id == grid_id), None)
        if grid is None:
            return
        title = f"{progress.community if progress else ''} {grid.name} · {self.fw_t('households.title')}"
        actions = [] if self.settings.read_only else [
            ListAction("v", "visit", self.fw_t("households.visit")),
            ListAction("n", "petition", self.fw_t("households.petition")),
        ]
        actions += [ListAction("f", "special", self.fw_t("households.special")),
                    ListAction("p", "reveal", self.fw_t("key.detail.reveal"))]
        self.open_list(TableScreen(f"households:{grid_id}", title, self.present.household_columns(), actions,
                                   close_hint=self.fw_t("list.close")))

    def render_visits(self) -> int:
        if self.data is None:
            return 0
        data, p = self.data, self.present
        if self.visit_least_first:
            rows = [p.visit_row(g, self.ascii, flat=True) for g in least_progress_first(data.progress)
                    if g.special_unvisited or not self.visit_special_only]
        else:
            rows = []
            for community in community_progress(data.progress):
                if self.visit_special_only and not community.special_unvisited:
                    continue
                rows.append(p.community_row(community, self.ascii))
                rows += [p.visit_row(g, self.ascii) for g in data.progress
                         if g.grid.community_id == community.community_id
                         and (g.special_unvisited or not self.visit_special_only)]
        roots_left = sum(sum(g.special_unvisited.values()) for g in data.progress if g.depth == 0)
        detail = p.visit_detail_line(least_first=self.visit_least_first, special_only=self.visit_special_only,
                                     out=data.workers_out, expected=data.workers_expected, ascii_only=self.ascii)
        return self.panel(1).show(p.visit_summary(data.headline, roots_left), rows, detail=detail)

    def ask_visit(self, screen: TableScreen, household_id: str) -> None:
        """民情日志: who visited and what they found; the household's planned worker is the default."""
        today = clock.now().date()
        try:
            household = self.store.get(Household, household_id)
            rows = grid_households(self.store, today, household.grid_id)
            workers = self.store.all(GridWorker)
        except StoreError as exc:
            self.refused(exc)
            return
        row = next((r for r in rows if r.household.id == household_id), None)
        if row is not None and row.visit is not None:
            self.refused(Refused("visit_twice", at=f"{row.visit.at:%H:%M}"))
            return
        below = grids_below(self.store.all(Grid), household.grid_id)
        parents = {g.id: g.parent_id for g in self.store.all(Grid)}
        nearby = {household.grid_id, parents.get(household.grid_id)} | below
        ordered = sorted(workers, key=lambda w: (w.grid_id not in nearby, w.id))
        options = [(w.id, f"{label(w.role, self.lang)} {w.name}") for w in ordered]
        default = row.worker.id if row is not None and row.worker is not None else (ordered[0].id if ordered else "")
        # The note first: it is what is typed; the planned visitor is already chosen below.
        fields = [
            FieldSpec("note", self.fw_t("form.visit_note"), max_length=2000),
            FieldSpec("worker", self.fw_t("form.visitor"), "picker", options, value=default,
                      placeholder=self.fw_t("form.type_to_filter")),
        ]

        def submitted(form: FormScreen, values: dict[str, str]) -> None:
            try:
                visit = record_visit(self.store, household_id, values.get("worker", ""), values.get("note", ""))
            except Refused as exc:
                self.refused(exc, form, "note" if exc.key == "visit_needs_note" else "worker" if exc.key == "worker_unknown" else "")
                return
            except StoreError as exc:
                self.refused(exc, form)
                return
            form.dismiss(None)
            self.fill_list(screen)
            self.done(self.fw_t("households.visited").format(f"{household.building}-{household.unit}-{household.room}",
                                                               f"{visit.at:%H:%M}"))

        self.ask(self.fw_t("households.visit") + f" · {household.building}-{household.unit}-{household.room}",
                 fields, submitted)

    def petition_from_household(self, household_id: str) -> None:
        """Raise a petition from a visit: community, grid, building, unit and household filled in."""
        try:
            household = self.store.get(Household, household_id)
            grid = self.store.get(Grid, household.grid_id)
        except StoreError as exc:
            self.refused(exc)
            return
        self.action_new_petition(prefill={
            "channel": "home_visit", "community_id": grid.community_id, "grid_id": grid.id,
            "building": household.building, "unit": household.unit, "household_id": household.id,
        })

    # -- panel 3: 一老一小 -------------------------------------------------------------

    def selected_session(self) -> SessionView | None:
        key = self.panel(2).table.cursor_key
        return next((s for s in self.data.sessions if s.session.id == key), None) if self.data and key else None

    def render_services(self) -> int:
        if self.data is None:
            return 0
        p = self.present
        views = [v for v in self.data.sessions if self.service_audience in (None, v.session.audience)]
        detail = p.service_detail_line(self.service_audience, self.data.upcoming.of(self.service_audience),
                                       self.data.now)
        return self.panel(2).show(p.service_summary(views), [p.service_row(v) for v in views], detail=detail)

    def action_session(self, name: str) -> None:
        if self.active != 2:
            return
        if name == "audience":
            self.service_audience = AUDIENCE_CYCLE[(AUDIENCE_CYCLE.index(self.service_audience) + 1) % len(AUDIENCE_CYCLE)]
            self.render_services()
            return
        view = self.selected_session()
        if view is None or self.settings.read_only:
            return
        session = view.session
        ref = SessionRef(session.day, session.id)
        calendar = self.settings.deadlines
        heading = f"{session.start:%H:%M} {session.title}"
        if name == "check_in":
            try:
                check_in(self.store, ref, calendar)
            except (Refused, StoreError) as exc:
                self.refused(exc)
                return
            self.done(self.fw_t("services.checked_in_done").format(heading))
        elif name == "complete":
            if session.state in (SessionState.DONE, SessionState.CANCELLED):
                self.refused(Refused("session_finished", state=session.state))
                return
            default = str(len(session.household_ids)) if session.household_ids else ""

            def completed(form: FormScreen, values: dict[str, str]) -> None:
                text = values.get("served", "").strip()
                if not (text.isascii() and text.isdigit()):
                    self.refused(Refused("served_format"), form, "served")
                    return
                try:
                    complete(self.store, ref, int(text), calendar)
                except (Refused, StoreError) as exc:
                    self.refused(exc, form)
                    return
                form.dismiss(None)
                self.done(self.fw_t("services.completed").format(heading, text))

            self.ask(self.fw_t("services.complete_title").format(heading),
                     [FieldSpec("served", self.fw_t("form.served"), "number", value=default, placeholder="12")], completed)
        elif name == "cancel":
            if session.state in (SessionState.DONE, SessionState.CANCELLED):
                self.refused(Refused("session_finished", state=session.state))
                return

            def cancelled(form: FormScreen, values: dict[str, str]) -> None:
                try:
                    cancel(self.store, ref, values.get("reason", ""), calendar)
                except Refused as exc:
                    self.refused(exc, form, "reason" if exc.key == "cancel_needs_reason" else "")
                    return
                except StoreError as exc:
                    self.refused(exc, form)
                    return
                form.dismiss(None)
                self.done(self.fw_t("services.cancelled").format(heading))

            self.ask(self.fw_t("services.cancel_title").format(heading),
                     [FieldSpec("reason", self.fw_t("form.cancel_reason"), max_length=200)], cancelled)

    # -- panel 4: stalls -------------------------------------------------------------

    def selected_stall(self) -> StallView | None:
        key = self.panel(3).table.cursor_key
        return next((s for s in self.data.stalls if s.stall.id == key), None) if self.data and key else None

    def render_stalls(self) -> int:
        if self.data is None:
            return 0
        p = self.present
        return self.panel(3).show(p.stall_summary(self.data.stalls), [p.stall_row(v) for v in self.data.stalls],
                                  detail=p.fees_line(self.data.fees, self.settings.fees))

    def action_stall(self, name: str) -> None:
        if self.active != 3 or self.settings.read_only:
            return
        view = self.selected_stall()
        if view is None:
            return
        stall = view.stall
        spot = f"{stall.market} {stall.number}"
        today = clock.now().date()
        if name == "occupancy":
            try:
                store_set_occupied(self.store, stall.id, not view.occupied)
            except (Refused, StoreError) as exc:
                self.refused(exc)
                return
            self.done(self.fw_t("stall.marked_occupied" if not view.occupied else "stall.marked_vacant").format(spot))
        elif name == "pay":
            self.ask_payment(view, spot, today)
        elif name == "advance":
            if view.permit is None or not view.stall.holder_name:  # a vacant spot: a new holder applies
                self.ask_application(view, spot)
                return
            action = next_permit_action(view.permit, today)
            if action is None:
                self.refused(Refused("permit_move", action=PermitAction.APPROVE, status=view.permit_status or "—"))
                return
            self.ask_permit(view, action, spot, today)
        elif name == "suspend":
            self.ask_permit(view, PermitAction.SUSPEND, spot, today)
        elif name == "release":
            self.ask_release(view, spot)

    def ask_release(self, view: StallView, spot: str) -> None:
        """退摊: refused at once when there is nobody to release or fees are owed; else ask why."""
        if not view.stall.holder_name:
            self.refused(Refused("release_no_holder", stall=view.stall.number))
            return
        if view.arrears_fen:
            self.refused(Refused("release_owes", owed=fen_to_yuan(view.arrears_fen)))
            return

        def submitted(form: FormScreen, values: dict[str, str]) -> None:
            try:
                release_stall(self.store, view.stall.id, values.get("reason", ""), self.settings.fees)
            except Refused as exc:
                self.refused(exc, form, "reason" if exc.key == "release_needs_reason" else "")
                return
            except StoreError as exc:
                self.refused(exc, form)
                return
            form.dismiss(None)
            self.done(self.fw_t("stall.released").format(spot))

        self.ask(self.fw_t("stall.release_title").format(spot),
                 [FieldSpec("reason", self.fw_t("form.release_reason"), max_length=200)], submitted,
                 subtitle=self.fw_t("stall.release_hint"))

    def ask_application(self, view: StallView, spot: str) -> None:
        """申请: who takes the spot, what they sell, and any fee reduction they are entitled to."""
        if view.stall.holder_name:
            self.refused(Refused("permit_none"))
            return
        reductions = [(r.value, self.fw_t(f"reduction.{'none' if r is FeeReduction.NONE else 'short.' + r.value}"))
                      for r in FeeReduction]
        fields = [
            FieldSpec("holder_name", self.fw_t("form.holder_name"), max_length=40),
            FieldSpec("holder_phone", self.fw_t("form.holder_phone"), placeholder="138xxxxxxxx"),
            FieldSpec("goods", self.fw_t("form.goods"), max_length=40),
            FieldSpec("reduction", self.fw_t("form.reduction"), "choice", reductions, value=FeeReduction.NONE.value),
        ]

        def submitted(form: FormScreen, values: dict[str, str]) -> None:
            try:
                permit = apply_for_stall(self.store, view.stall.id, holder_name=values.get("holder_name", ""),
                                         holder_phone=values.get("holder_phone", "").strip() or None,
                                         goods=values.get("goods", ""),
                                         reduction=FeeReduction(values.get("reduction") or FeeReduction.NONE.value))
            except Refused as exc:
                self.refused(exc, form, "holder_name" if exc.key == "apply_needs_name" else "")
                return
            except ValidationError as exc:
                form.show_errors(field_errors(exc, self.lang))
                return
            except StoreError as exc:
                self.refused(exc, form)
                return
            form.dismiss(None)
            self.done(self.fw_t("stall.applied_done").format(spot=spot, name=mask_name(permit.holder_name)))

        self.ask(self.fw_t("stall.apply_title").format(spot), fields, submitted)

    def ask_permit(self, view: StallView, action: PermitAction, spot: str, today: date) -> None:
        fields = []
        if action is PermitAction.APPROVE:
            fields.append(FieldSpec("expires", self.fw_t("form.expires"), value=f"{end_of_year(today)}"))
        fields.append(FieldSpec("note", self.fw_t("form.suspend_reason") if action is PermitAction.SUSPEND
                                else self.fw_t("modal.note"), max_length=500))

        def submitted(form: FormScreen, values: dict[str, str]) -> None:
            expires = None
            if action is PermitAction.APPROVE:
                try:
                    expires = date.fromisoformat(values.get("expires", "").strip())
                except ValueError:
                    self.refused(Refused("permit_expiry_format"), form, "expires")
                    return
            try:
                store_change_permit(self.store, view.stall.id, action, note=values.get("note", ""), expires_on=expires)
            except Refused as exc:
                field = {"permit_needs_reason": "note", "permit_expiry_past": "expires"}.get(exc.key, "")
                self.refused(exc, form, field)
                return
            except StoreError as exc:
                self.refused(exc, form)
                return
            form.dismiss(None)
            self.done(self.fw_t("stall.permit_done").format(spot=spot, action=label(action, self.lang)))

        status = label(view.permit_status, self.lang) if view.permit_status else self.fw_t("empty.none")
        self.ask(f"{label(action, self.lang)} · {spot}", fields, submitted,
                 subtitle=self.fw_t("stall.permit_now").format(status))

    def ask_payment(self, view: StallView, spot: str, today: date) -> None:
        if not view.stall.holder_name:  # refused at once: there is no form to fill for nobody
            self.refused(Refused("pay_no_holder", stall=view.stall.number))
            return
        period = payment_period_default(view, today)
        fields = [
            FieldSpec("period", self.fw_t("form.period"), value=period, placeholder="2026-11"),
            FieldSpec("amount", self.fw_t("form.amount"), value=fen_to_yuan(view.due_fen, cents="auto"), placeholder="150"),
            FieldSpec("collector", self.fw_t("form.collector"), value=self.store.actor, max_length=40),
        ]

        def submitted(form: FormScreen, values: dict[str, str]) -> None:
            try:
                amount = yuan_to_fen(values.get("amount", ""))
                payment = store_record_payment(self.store, view.stall.id, values.get("period", "").strip(), amount,
                                               values.get("collector", "").strip() or self.store.actor,
                                               self.settings.fees)
            except Refused as exc:
                field = {"amount_format": "amount", "pay_amount": "amount", "pay_too_much": "amount",
                         "pay_period_format": "period", "pay_future": "period"}.get(exc.key, "")
                self.refused(exc, form, field)
                return
            except (StoreError, ValueError) as exc:
                form.show_errors({}, str(exc))
                return
            form.dismiss(None)
            self.done(self.fw_t("stall.paid").format(spot=spot, period=payment.period,
                                                     amount=fen_to_yuan(payment.amount_fen)))

        subtitle = self.fw_t("stall.pay_subtitle").format(
            due=fen_to_yuan(view.due_fen), arrears=fen_to_yuan(view.arrears_fen),
            months=" ".join(view.unpaid_periods[:6]) or self.fw_t("empty.none"),
        )
        self.ask(self.fw_t("stall.pay_title").format(spot), fields, submitted, subtitle=subtitle)
