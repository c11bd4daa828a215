"""Panel 2, 网格走访: today's visits rolled up the grid tree, and the lists behind it: a community's
一表全清 roster (grid workers), a grid's households (``v`` logs a visit, ``m`` moves one), ``t`` plans.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.reactive import reactive

from duty_room import words
from duty_room.words import Lang, cell, label
from store import clock
from store.masking import HIDDEN, mask_name, mask_phone, mask_tags
from store.models import (
    ROLE_OF_LEVEL,
    Community,
    Grid,
    GridLevel,
    GridWorker,
    Household,
    SpecialTag,
    Visit,
    WorkerRole,
)
from store.queries import (
    CommunityProgress,
    Dashboard,
    GridProgress,
    Headline,
    community_names,
    community_progress,
    least_progress_first,
    visit_progress,
)
from store.refusal import FieldsRefused, Refused
from store.roster import (
    OTHERS_EVERY_DAYS,
    PLAN_RULE_MAX,
    SPECIAL_EVERY_DAYS,
    add_worker,
    edit_worker,
    future_plans,
    move_household,
    plan_visits,
    retire_worker,
    retired_workers,
)
from store.storage import Store
from store.text import display_safe, max_chars, typed_whole
from store.visiting import (
    RECENT_VISIT_DAYS,
    HouseholdVisit,
    RosterEntry,
    WorkerDay,
    grid_households,
    grids_below,
    recent_visits,
    record_visit,
    roster,
    workers_today,
)
from widgets.bar import progress_bar
from widgets.fit_line import PART_JOINT
from widgets.keyed_table import Column, Row, measured
from widgets.specs import DetailContent, FieldSpec

from ..desk import Desk, Watch, edits_over, enum_field, names_of, roster_watch, stored
from ..presenters import (
    TAG_STYLE,
    Presenter,
    grid_words,
    history_line,
    household_address,
    last_change,
    literal,
    short_community,
)
from .base import DeskPanel
from .intake import ask_intake

if TYPE_CHECKING:  # the screens are imported when the first opens, not before the first frame (widgets/specs.py)
    from widgets.form import FormScreen
    from widgets.table_screen import TableScreen


COMMUNITY_ROW = "community:"  # row keys of the community rows
LIST_SUBJECT = {"households": "grids", "roster": "communities"}  # what a list's reveal is logged against


class VisitsPanel(DeskPanel):
    """网格走访: visit progress per grid, special households not yet visited in their colours."""

    NAME = "visits"
    NUMBER = 2
    GROUP = "visits"
    KEYS = (("r", "roster"), ("w", "workers"), ("o", "sort"), ("f", "special"), ("t", "plan"))
    VIEWING = frozenset({"roster", "workers", "sort", "special"})  # plan writes
    QUIET = frozenset({"plan"})  # once a day: in `?` help, the palette and the roster's border; 80 columns are full
    LIST_KEYS: ClassVar = {
        "roster": (("a", "add_worker"), ("e", "edit_worker"), ("x", "retire_worker"), ("t", "plan"), ("p", "reveal")),
        "households": (("v", "visit"), ("n", "petition"), ("m", "move_household"), ("f", "special"), ("p", "reveal")),
    }
    LIST_VIEWING = frozenset({"reveal", "special"})
    UNSELECTED = frozenset({"workers", "sort", "special"})

    # The panel's view of the data: a change redraws it from the last data (watchers below).
    least_first: reactive[bool] = reactive(False, init=False)  # o: the slowest grids first, flat
    special_only: reactive[bool] = reactive(False, init=False)  # f: only special households not yet visited

    def watch_least_first(self) -> None:
        self.redraw()

    def watch_special_only(self) -> None:
        self.redraw()

    def __init__(self, desk: Desk) -> None:
        super().__init__(desk)
        self.revealed: set[TableScreen] = set()
        self._fills: dict[TableScreen, object] = {}  # the last fill asked for, per list

    @classmethod
    def columns(cls, p: Presenter) -> Sequence[str | Column]:
        return visit_columns(p)

    def render_data(self, data: Dashboard) -> int:
        p, ascii_only = self.desk.present, self.desk.ascii
        least_first, special_only = self.least_first, self.special_only

        def rows() -> list[Row]:
            if least_first:
                return [
                    visit_row(p, g, ascii_only, flat=True)
                    for g in least_progress_first(data.progress)
                    if g.special_unvisited or not special_only
                ]
            made = []
            for community in community_progress(data.progress):
                if special_only and not community.special_unvisited:
                    continue
                made.append(community_row(p, community, ascii_only))
                made += [
                    visit_row(p, g, ascii_only)
                    for g in data.progress
                    if g.grid.community_id == community.community_id and (g.special_unvisited or not special_only)
                ]
            return made

        roots_left = sum(sum(g.special_unvisited.values()) for g in data.progress if g.depth == 0)
        detail = visit_detail_line(
            p,
            least_first=self.least_first,
            special_only=self.special_only,
            out=data.workers_out,
            expected=data.workers_expected,
            ascii_only=ascii_only,
        )
        return self.show(visit_summary(p, data.headline, roots_left), rows, detail=detail)

    def selected_progress(self) -> GridProgress | None:
        key = self.table.cursor_key
        return next((g for g in self.data.progress if g.grid.id == key), None) if self.data and key else None

    def selected_subject(self) -> str:
        view = self.selected_progress()
        return view.grid.name if view is not None else ""

    def selected_community(self) -> str:
        """The community of the selected row (a community row or a grid), else the first one."""
        key = self.table.cursor_key or ""
        if key.startswith(COMMUNITY_ROW):
            return key.removeprefix(COMMUNITY_ROW)
        progress = self.selected_progress()
        if progress is not None:
            return progress.grid.community_id
        communities = self.desk.store.all(Community)
        return communities[0].id if communities else ""

    def action_step(self, name: str) -> None:
        if name == "sort":
            self.least_first = not self.least_first
        elif name == "special":
            self.special_only = not self.special_only
        elif name == "workers":
            self.open_list("workers:", self.t("workers.title"), worker_columns(self.desk.present))
        elif name == "roster":
            self.open_roster(self.selected_community())
        elif name == "plan":
            progress = self.selected_progress()
            if progress is None:
                self.desk.refuse(self.t("visits.pick_grid"))
            else:
                self.ask_plan(progress.grid.id)

    def open_row(self, key: str) -> None:
        if key.startswith(COMMUNITY_ROW):
            self.open_roster(key.removeprefix(COMMUNITY_ROW))  # a community opens on its roster
        else:
            self.open_households(key)  # a grid opens on its households

    # -- lists ------------------------------------------------------------------------------

    def open_roster(self, community: str) -> None:
        """一表全清 of one community."""
        title = self.t("roster.title").format(community_names(self.desk.store).get(community, community))
        self.open_list(f"roster:{community}", title, roster_columns(self.desk.present))

    def open_households(self, grid_id: str) -> None:
        progress = next((g for g in self.data.progress if g.grid.id == grid_id), None) if self.data else None
        grid = progress.grid if progress else next((g for g in self.desk.store.all(Grid) if g.id == grid_id), None)
        if grid is None:
            return
        title = f"{progress.community if progress else ''} {grid.name} · {self.t('households.title')}"
        self.open_list(f"households:{grid_id}", title, household_columns(self.desk.present))

    def fill_list(self, screen: TableScreen, *, select: str | None = None) -> None:
        """(Re)draw a list from the store; called on open, after a write and on every store change.
        ``select``: the row to put the cursor on once it is shown (a worker just added: e, x act on them).
        Read in a thread worker (a township's roster is 40,000 households, ``Desk.read``); only the
        last fill asked for is shown."""
        if select is not None:
            screen.table.select_key(select)  # now if shown, else when a fill shows it
        screen.show_loading(Text(self.t("list.loading"), style="dim"))
        self._fills[screen] = ask = object()
        ask_content = functools.partial(
            list_content,
            self.desk.present,
            self.desk.store,
            screen.kind,
            clock.now().date(),
            reveal=screen in self.revealed,
            special_only=self.special_only,
            progress=self.data.progress if self.data is not None else None,
            ascii_only=self.desk.ascii,
        )

        def shown(content: tuple[Text, list[Row]]) -> None:
            if self._fills.get(screen) is ask and screen.is_attached:
                del self._fills[screen]
                screen.show(*content)

        self.desk.read(ask_content, shown, failed=lambda: self.unreadable(screen))

    def list_action(self, screen: TableScreen, action: str, row_key: str | None) -> None:
        kind, _, key = screen.kind.partition(":")
        if action == "reveal":
            if screen in self.revealed:  # shown already: no second reveal in the log
                return

            def shown() -> None:
                self.revealed.add(screen)
                self.fill_list(screen)

            self.desk.reveal(f"{LIST_SUBJECT.get(kind, kind)}:{key}", shown)
        elif action == "special":
            self.special_only = not self.special_only  # the panel redraws itself (watch_special_only)
            self.fill_list(screen)
        elif action == "open" and row_key and kind == "roster" and row_key in {g.id for g in self.desk.store.all(Grid)}:
            self.open_households(row_key)  # Enter on a grid of the roster: its households, as on the panel
        elif action == "open" and row_key:  # Enter: a household's or a worker's detail
            self.open_detail(f"{'household' if kind == 'households' else 'worker'}:{row_key}")
        elif kind == "households" and row_key:
            if action == "visit":
                self.ask_visit(screen, row_key)
            elif action == "petition":
                self.petition_from_household(row_key)
            elif action == "move_household":
                self.ask_move(screen, row_key)
        elif kind == "roster":
            self.roster_action(screen, key, action, row_key)

    def roster_action(self, screen: TableScreen, community: str, action: str, row_key: str | None) -> None:
        """A key of the 一表全清: the row under the cursor is a grid or a worker of it."""
        grids = {g.id: g for g in self.desk.store.all(Grid)}
        workers = {w.id: w for w in self.desk.store.all(GridWorker)}
        worker = workers.get(row_key or "")
        if action == "add_worker":
            grid_id = worker.grid_id if worker is not None else row_key if row_key in grids else ""
            self.ask_worker(screen, community, None, grid_id)
        elif action in ("edit_worker", "retire_worker"):
            if worker is None:
                self.desk.refuse(self.t("visits.pick_worker"))
            elif action == "edit_worker":
                self.ask_worker(screen, community, worker, worker.grid_id)
            else:
                self.ask_retire(screen, worker)
        elif action == "plan":
            if row_key not in grids:
                self.desk.refuse(self.t("visits.pick_grid"))
            else:
                self.ask_plan(row_key, screen)

    def open_detail(self, key: str) -> None:
        kind, _, record_id = key.partition(":")
        if kind != "household":
            super().open_detail(key)
            return
        # Two weeks of visit logs are read in a worker first (~0.5 s the first time); the store keeps them.
        today = clock.now().date()
        self.desk.read(
            lambda: recent_visits(self.desk.store, record_id, today),
            lambda _: super(VisitsPanel, self).open_detail(key),
        )

    def detail_content(self, key: str, *, reveal: bool) -> DetailContent | None:
        """``household:<id>`` or ``worker:<id>``: what the record holds, its visits or grid, and its history."""
        kind, _, record_id = key.partition(":")
        store, p = self.desk.store, self.desk.present
        grids = {g.id: g for g in store.all(Grid)}
        # Retired workers too: their past visits and hand-overs are still theirs, by name.
        workers = {w.id: w for w in [*retired_workers(store), *store.all(GridWorker)]}
        names = names_of(grids.values(), workers.values())
        if kind == "household":
            household = next((h for h in store.all(Household) if h.id == record_id), None)
            if household is None:
                return None
            visits = recent_visits(store, record_id, clock.now().date())
            grid = grids.get(household.grid_id)
            return household_detail(p, household, grid, visits, names, reveal=reveal, ascii_only=self.desk.ascii)
        worker = workers.get(record_id)
        return None if worker is None else worker_detail(p, worker, grids.get(worker.grid_id), names, reveal=reveal)

    def refill_lists(self) -> None:
        self.revealed &= set(self.lists)  # a closed list forgets its reveal
        super().refill_lists()

    # -- forms ------------------------------------------------------------------------------

    def ask_visit(self, screen: TableScreen, household_id: str) -> None:
        """民情日志: who visited and what they found; the household's planned worker is the default."""
        desk, store = self.desk, self.desk.store
        today = clock.now().date()
        household = store.get(Household, household_id)
        rows = grid_households(store, today, household.grid_id)
        workers = store.all(GridWorker)
        grids = store.all(Grid)
        row = next((r for r in rows if r.household.id == household_id), None)
        if row is not None and row.visit is not None:
            raise Refused("visit_twice", at=f"{row.visit.at:%H:%M}").naming(household_address(household))
        below = grids_below(grids, household.grid_id)
        parents = {g.id: g.parent_id for g in grids}
        nearby = {household.grid_id, parents.get(household.grid_id)} | below
        ordered = sorted(workers, key=lambda w: (w.grid_id not in nearby, w.id))
        options = [(w.id, f"{label(w.role, desk.lang)} {w.name}") for w in ordered]
        default = row.worker.id if row is not None and row.worker is not None else (ordered[0].id if ordered else "")
        address = household_address(household)
        # The note first: it is what is typed; the planned visitor is already chosen below.
        fields = [
            FieldSpec("note", self.t("form.visit_note"), max_length=max_chars(Visit, "note")),
            FieldSpec(
                "worker",
                self.t("form.visitor"),
                "picker",
                options,
                value=default,
                placeholder=self.t("form.type_to_filter"),
            ),
        ]

        def submitted(form: FormScreen, values: dict[str, str]) -> None:
            desk.submit(
                lambda: record_visit(
                    store,
                    household_id,
                    values.get("worker", ""),
                    values.get("note", ""),
                    grid_id=household.grid_id,
                ),
                lambda visit: self.t("households.visited").format(address, f"{visit.at:%H:%M}"),
                form,
                {"visit_needs_note": "note", "worker_unknown": "worker"},
                after=lambda _: self.fill_list(screen),
            )

        household_now = stored(store, Household, household_id)
        names = names_of(grids, workers)  # a move's plans go to a worker

        def followed(data: Dashboard) -> Visit | Household | None:
            """Today's visit of the household once there is one, else the household as it is now."""
            visit = next((v for v in store.all(Visit, today.isoformat()) if v.household_id == household_id), None)
            return visit if visit is not None else household_now(data)

        def state(now: Visit | Household) -> str:
            if isinstance(now, Visit):
                return self.t("overtaken.visited").format(f"{now.at:%H:%M}")
            return last_change(desk.present, now, names)  # moved to another grid, say: the visit still stands

        def once(now: Visit | Household) -> None:
            if isinstance(now, Visit):
                raise Refused("visit_twice", at=f"{now.at:%H:%M}")

        desk.ask(
            self.t("key.list.visit") + f" · {address}",
            fields,
            submitted,
            # Another desk logs this household's visit or moves it meanwhile: said at once, not on Ctrl+S.
            watch=Watch[Visit | Household](household, followed, state, once),
        )

    def grid_options(self, grids: Sequence[Grid], first_community: str = "") -> list[tuple[str, str]]:
        """Every grid as "东城花园社区 1号楼1单元 (微网格)", ``first_community``'s first, in tree order."""
        names = community_names(self.desk.store)
        ordered = sorted(
            grids,
            key=lambda g: (g.community_id != first_community, g.community_id, list(GridLevel).index(g.level), g.id),
        )
        lang, said = self.desk.lang, self.t("visits.grid_option")
        return [
            (
                g.id,
                said.format(
                    community=names.get(g.community_id, g.community_id), grid=g.name, level=label(g.level, lang)
                ),
            )
            for g in ordered
        ]

    def ask_worker(self, screen: TableScreen, community: str, worker: GridWorker | None, grid_id: str) -> None:
        """Add a grid worker to the roster, or change one (``worker``). A phone is shown only after a
        reveal: otherwise it is left empty and kept unless typed anew."""
        desk, store, t = self.desk, self.desk.store, self.t
        grids = store.all(Grid)
        by_id = {g.id: g for g in grids}
        reveal = screen in self.revealed
        grid_choices = self.grid_options(grids, community)

        def worker_fields(worker: GridWorker | None, grid_id: str) -> list[FieldSpec]:
            level = by_id[grid_id].level if grid_id in by_id else GridLevel.MICRO
            default_role = worker.role if worker is not None else ROLE_OF_LEVEL.get(level, WorkerRole.GRID_WORKER)
            phone_hint = ""  # a new worker's: the example (如 138xxxxxxxx), as every phone field gives it
            if worker is not None and not reveal:
                phone_hint = t("form.phone_keep").format(mask_phone(worker.phone))
            return [
                FieldSpec("name", t("col.name"), value=worker.name if worker else "", max_length=20),
                enum_field("role", t("col.role"), WorkerRole, desk.lang, value=default_role),
                FieldSpec(
                    "phone",
                    t("form.worker_phone"),
                    value=worker.phone if worker and reveal else "",
                    placeholder=phone_hint,
                    example="138xxxxxxxx",
                    max_length=20,
                    counted=False,
                ),
                FieldSpec(
                    "grid_id",
                    t("form.worker_grid"),
                    "picker",
                    grid_choices,
                    value=grid_id,
                    placeholder=t("form.type_to_filter_grid"),
                ),
            ]

        fields = worker_fields(worker, grid_id)
        refusal_fields = {
            "phone_taken": "phone",
            "id_taken": "phone",
            "grid_unknown": "grid_id",
            "worker_unknown": "name",
        }

        def submitted(form: FormScreen, typed: dict[str, str]) -> None:
            # What was typed over the worker as the form shows them: another desk's change is kept.
            shown: GridWorker | None = desk.shown(form)
            values = typed if shown is None else edits_over(fields, typed, worker_fields(shown, shown.grid_id))
            keep_phone = worker is not None and not values.get("phone", "").strip()
            role = WorkerRole(values["role"])
            grid_name = by_id[values["grid_id"]].name if values["grid_id"] in by_id else values["grid_id"]
            name, grid_id = values["name"].strip(), values["grid_id"]

            def write() -> GridWorker:
                if worker is None:
                    return add_worker(store, name=name, role=role, phone=values["phone"], grid_id=grid_id)
                phone = None if keep_phone else values["phone"]
                # expected: a change the form has not shown yet is refused, not written over
                return edit_worker(store, worker.id, name=name, role=role, phone=phone, grid_id=grid_id, expected=shown)

            def done(saved: GridWorker) -> str:
                if worker is None:
                    return t("visits.worker_added").format(
                        role=label(saved.role, desk.lang), name=saved.name, grid=grid_name
                    )
                return t("visits.worker_edited").format(name=saved.name)

            # A worker added is under the cursor: the next e or x acts on the one just saved.
            def shown_in_list(saved: GridWorker) -> None:
                self.fill_list(screen, select=saved.id if worker is None else None)

            desk.submit(write, done, form, refusal_fields, after=shown_in_list)

        if worker is None:
            title = t("visits.add_worker_title").format(community_names(store).get(community, community))
            desk.ask(title, fields, submitted)
        else:
            desk.ask(
                t("visits.edit_worker_title").format(f"{label(worker.role, desk.lang)} {worker.name}"),
                fields,
                submitted,
                watch=roster_watch(desk, worker, names_of(grids)),  # retired: gone
            )

    def ask_retire(self, screen: TableScreen, worker: GridWorker) -> None:
        """Take a worker off the roster; who takes over their planned visits, if they have any."""
        desk, store, t = self.desk, self.desk.store, self.t
        today = clock.now().date()
        planned = future_plans(store, worker.id, today)
        others = [w for w in store.all(GridWorker) if w.id != worker.id]
        grids = {g.id: g for g in store.all(Grid)}
        near = {worker.grid_id, grids[worker.grid_id].parent_id if worker.grid_id in grids else None}
        near |= {g.id for g in grids.values() if g.parent_id == worker.grid_id}
        ordered = sorted(others, key=lambda w: (w.grid_id not in near, w.id))
        communities = community_names(store)
        options = [
            (w.id, f"{label(w.role, desk.lang)} {w.name} · {grid_words(grids, communities, w.grid_id)}")
            for w in ordered
        ]
        fields = [
            FieldSpec("hand_over_to", t("form.hand_over_to"), "picker", options, placeholder=t("form.type_to_filter"))
        ]
        subtitle = t("visits.retire_plans").format(n=planned) if planned else t("visits.retire_no_plans")
        names = names_of(others)

        def submitted(form: FormScreen, values: dict[str, str]) -> None:
            successor = values.get("hand_over_to") or None

            def done(handed: int) -> str:
                if handed:
                    return t("visits.worker_retired").format(
                        name=worker.name, n=handed, to=names.get(successor or "", successor)
                    )
                return t("visits.worker_retired_none").format(name=worker.name)

            shown = desk.shown(form)  # the worker as the form shows them: changed since, refused
            desk.submit(
                lambda: retire_worker(store, worker.id, today, hand_over_to=successor, expected=shown),
                done,
                form,
                dict.fromkeys(("worker_has_plans", "worker_unknown", "hand_over_self"), "hand_over_to"),
                after=lambda _: self.fill_list(screen),
            )

        desk.ask(
            t("visits.retire_title").format(f"{label(worker.role, desk.lang)} {worker.name}"),
            fields,
            submitted,
            subtitle=subtitle,
            watch=roster_watch(desk, worker, names_of(grids.values())),
        )

    def ask_move(self, screen: TableScreen, household_id: str) -> None:
        """Move a household to another grid: its planned visits go to that grid's visitor."""
        desk, store, t = self.desk, self.desk.store, self.t
        household = store.get(Household, household_id)
        grids = store.all(Grid)
        by_id = {g.id: g for g in grids}
        current = by_id.get(household.grid_id)
        address = household_address(household)
        others = [
            o for o in self.grid_options(grids, current.community_id if current else "") if o[0] != household.grid_id
        ]
        fields = [FieldSpec("grid_id", t("form.move_to"), "picker", others, placeholder=t("form.type_to_filter_grid"))]
        # Another desk's move, said while this form is open, names the worker its plans went to.
        names = names_of(grids, store.all(GridWorker))

        def submitted(form: FormScreen, values: dict[str, str]) -> None:
            target = values.get("grid_id", "")
            if not target:
                raise FieldsRefused({"grid_id": t("invalid.required")})

            def done(moved: Household) -> str:
                last = moved.history[-1] if moved.history else None
                where = by_id[target].name if target in by_id else target
                if last is None or not last.plans:
                    return t("visits.household_moved").format(address=address, grid=where)
                key = "visits.household_moved_plans" if last.plans_to else "visits.household_moved_dropped"
                return t(key).format(address=address, grid=where, n=last.plans)

            shown = desk.shown(form)  # the household as the form shows it: changed since, refused
            desk.submit(
                lambda: move_household(store, household_id, target, clock.now().date(), expected=shown),
                done,
                form,
                dict.fromkeys(("same_grid", "grid_unknown", "address_taken"), "grid_id"),
                after=lambda _: self.fill_list(screen),
            )

        def grid_now(now: Household) -> str:
            return t("visits.move_hint").format(grid=by_id[now.grid_id].name if now.grid_id in by_id else now.grid_id)

        desk.ask(
            t("visits.move_title").format(f"{address} {mask_name(household.head_name)}"),
            fields,
            submitted,
            subtitle=grid_now(household),
            watch=roster_watch(desk, household, names, subtitle=grid_now),
        )

    def ask_plan(self, grid_id: str, screen: TableScreen | None = None) -> None:
        """Plan tomorrow's visits of a grid and the grids below it by rule; says how many were planned."""
        desk, store, t = self.desk, self.desk.store, self.t
        grid = store.get(Grid, grid_id)
        day = clock.now().date() + timedelta(days=1)
        tomorrow = f"{day:%m-%d}"
        fields = [
            FieldSpec("special", t("form.special_every"), "number", value=str(SPECIAL_EVERY_DAYS)),
            FieldSpec("others", t("form.others_every"), "number", value=str(OTHERS_EVERY_DAYS)),
        ]

        def submitted(form: FormScreen, values: dict[str, str]) -> None:
            errors = plan_rule_errors(values, desk.lang)
            if errors:
                raise FieldsRefused(errors)
            special, others = (typed_whole(values[key]) for key in ("special", "others"))

            def done(added: list[object]) -> str:
                if not added:
                    return t("visits.planned_none").format(grid=grid.name, day=tomorrow)
                return t("visits.planned").format(grid=grid.name, day=tomorrow, n=len(added))

            desk.submit(
                lambda: plan_visits(store, grid_id, day, special_every_days=special, others_every_days=others),
                done,
                form,
                {"plan_rule": "special", "grid_unknown": "special"},
                after=(lambda _: self.fill_list(screen)) if screen is not None else None,
            )

        desk.ask(
            t("visits.plan_title").format(grid.name),
            fields,
            submitted,
            subtitle=t("visits.plan_hint").format(day=tomorrow),
        )

    def petition_from_household(self, household_id: str) -> None:
        """Raise a petition from a visit: community, grid, building, unit and household filled in."""
        household = self.desk.store.get(Household, household_id)
        grid = self.desk.store.get(Grid, household.grid_id)
        ask_intake(
            self.desk,
            prefill={
                "channel": "home_visit",
                "community_id": grid.community_id,
                "grid_id": grid.id,
                "building": household.building,
                "unit": household.unit,
                "household_id": household.id,
            },
        )


def plan_rule_errors(values: dict[str, str], lang: Lang) -> dict[str, str]:
    """The plan form's two intervals: whole days from 1 to 366, the special one not the longer."""
    errors: dict[str, str] = {}
    days: dict[str, int] = {}
    for key in ("special", "others"):
        try:
            number = typed_whole(values.get(key, ""))  # ７ typed with a Chinese input method
        except ValueError:
            number = 0
        if 1 <= number <= PLAN_RULE_MAX:
            days[key] = number
        else:
            errors[key] = words.t("invalid.days", lang).format(most=PLAN_RULE_MAX)
    if not errors and days["special"] > days["others"]:
        errors["special"] = Refused("plan_rule", **days).message(lang)
    return errors


# -- words and rows ------------------------------------------------------------------------------------


def list_content(
    p: Presenter,
    store: Store,
    kind_key: str,
    today: date,
    *,
    reveal: bool,
    special_only: bool,
    progress: list[GridProgress] | None,
    ascii_only: bool = False,
) -> tuple[Text, list[Row]]:
    """A list's header lines and rows, read from the store (in a worker: nothing here touches a widget)."""
    kind, _, key = kind_key.partition(":")
    if kind == "households":
        # The dashboard's own roll-up; after a write it is redrawn again once the reload is in.
        known = progress if progress is not None else visit_progress(store, today)
        grid_progress = next((g for g in known if g.grid.id == key), None)
        rows = grid_households(store, today, key, special_unvisited_only=special_only)
        below = grids_below(store.all(Grid), key)
        team = [w for w in store.all(GridWorker) if w.grid_id in below][:6]
        header = households_header(
            p, grid_progress, team, reveal=reveal, special_only=special_only, ascii_only=ascii_only
        )
        return header, measured([household_row(p, r, reveal=reveal, ascii_only=ascii_only) for r in rows])
    if kind == "roster":
        entries = roster(store, key)
        name = community_names(store).get(key, key)
        return (
            roster_header(p, name, entries, reveal=reveal, ascii_only=ascii_only),
            measured(roster_rows(p, entries, reveal=reveal, ascii_only=ascii_only)),
        )
    if kind == "workers":
        days = workers_today(store, today)
        return workers_header(p, days), measured(worker_rows(p, days))
    raise ValueError(f"no list {kind_key!r}")


# A grid's name in the tree: three levels in it still shows which unit ("    1号楼1单…").
GRID_FLOOR = 13


def visit_columns(p: Presenter) -> list[str | Column]:
    # Narrow, the bar gives way to the names, which tell the rows apart: the count says the same.
    return [
        Column(p.t("col.grid"), shrink=True, min_width=GRID_FLOOR),
        Column(p.t("col.progress"), drop=1),
        p.t("col.visited"),
        p.t("col.unvisited_special"),
    ]


def tag_marks(p: Presenter, counts: dict[SpecialTag, int], ascii_only: bool = False) -> Text:
    """独3残1 (A3D1) in the wall-map colours, each group its character as well as its colour: told
    apart under the cursor, without colour, by one who does not see it. Counts name nobody: not masked."""
    marks = Text()
    for tag in SpecialTag:
        count = counts.get(tag, 0)
        if count:
            mark = tag.colour[0].upper() if ascii_only else p.t(f"mark.SpecialTag.{tag.value}")
            marks.append(f"{mark}{count}", style=TAG_STYLE[tag])
    return marks


def visit_row(p: Presenter, progress: GridProgress, ascii_only: bool = False, *, flat: bool = False) -> Row:
    """A grid's progress under its community's row; ``flat`` names the community instead of indenting."""
    indent = "" if flat else " " * (progress.depth + 1)
    name = f"{short_community(progress.community)}·{progress.grid.name}" if flat else progress.grid.name
    # a shrinking column: cut to the panel's width, not to a fixed count (80 columns show it whole)
    shown = literal(indent + name, style="bold" if progress.depth == 0 and not flat else "")
    return progress_row(p, progress.grid.id, shown, progress, ascii_only)


def community_row(p: Presenter, progress: CommunityProgress, ascii_only: bool = False) -> Row:
    name = literal(progress.name, style="bold underline")
    return progress_row(p, f"{COMMUNITY_ROW}{progress.community_id}", name, progress, ascii_only, bold=True)


def progress_row(
    p: Presenter, key: str, name: Text, progress: GridProgress | CommunityProgress, ascii_only: bool, bold: bool = False
) -> Row:
    """A grid's or a community's row: its name, its bar (red, yellow from half, green when done), the
    count visited of planned, its special households not visited."""
    style = "green" if progress.ratio >= 1 else "yellow" if progress.ratio >= 0.5 else "red"
    count = Text(f"{progress.visited}/{progress.planned}", justify="right", style="bold" if bold else "")
    bar = progress_bar(progress.ratio, 6, style=style, ascii_only=ascii_only)
    return Row(key, (name, bar, count, tag_marks(p, progress.special_unvisited, ascii_only)))


def visit_summary(p: Presenter, headline: Headline, special_left: int) -> Text:
    return p.summary_line(
        2,
        "panel.visits",
        p.t("summary.visits").format(visited=headline.visited, planned=headline.planned, special=special_left),
        alarm=False,
    )


def tag_labels(p: Presenter, tags: Iterable[SpecialTag], ascii_only: bool = False, *, reveal: bool = True) -> Text:
    """●独居 ●残疾 in the wall-map colours (R:独居 where colour may not show); not revealed, health
    groups are masked (●独居 ●**)."""
    shown, hidden = (list(tags), False) if reveal else mask_tags(tags)
    text = Text()
    for tag in shown:
        text.append(f"{tag.colour[0].upper() + ':' if ascii_only else '●'}{label(tag, p.lang)} ", style=TAG_STYLE[tag])
    if hidden:
        text.append(f"{'*:' if ascii_only else '●'}{HIDDEN} ", style="bold")
    return text


def legend(p: Presenter, ascii_only: bool = False, *, short: bool = False, compact: bool = False) -> Text:
    """The 一图全览 colour key: red 独居, yellow 残疾, blue 行动不便, green 孤寡; ``short`` words or,
    ``compact``, no gaps where a line has less room."""
    text = Text()
    for tag in SpecialTag:
        word = cell(tag, p.lang) if short else label(tag, p.lang)
        gap = "" if compact and not ascii_only else " "
        text.append(f"{tag.colour[0].upper() + ':' if ascii_only else '●'}{word}{gap}", style=TAG_STYLE[tag])
    return text


# The line over the grids, fullest first (``FitLine``): the key shortens, then gives way, before the
# order and the filter in use, which say what the table shows.
DETAIL_VERSIONS = (  # (the key: full / short / compact / left out, the workers' count, short flags)
    ("full", True, False),
    ("short", True, False),
    ("compact", True, False),
    ("compact", False, False),
    ("compact", False, True),
    ("", True, True),
    ("", False, True),
)


def visit_detail_line(
    p: Presenter, *, least_first: bool, special_only: bool, out: int, expected: int, ascii_only: bool = False
) -> list[Text]:
    versions: list[Text] = []
    for key, count, short in DETAIL_VERSIONS:
        text = legend(p, ascii_only, short=key != "full", compact=key == "compact") if key else Text()
        if count:
            text.append((" " if key else "") + p.t("visits.out").format(out=out, total=expected))
        if least_first:
            said = p.t("visits.sorted_least.short" if short else "visits.sorted_least")
            text.append(("  " if text else "") + said, style="cyan")
        if special_only:
            said = p.t("visits.special_only.short" if short else "visits.special_only")
            text.append(("  " if text else "") + said, style="bold cyan")
        text.rstrip()
        if text.plain and not any(text.plain == v.plain for v in versions):
            versions.append(text)
    return versions


def team_line(p: Presenter, workers: list[GridWorker], *, reveal: bool) -> Text:
    """Each worker's role, name and phone, a part of the line each (PART_JOINT apart): the list's
    header wraps between workers, never between a role, its name and the phone."""
    entries = []
    for worker in workers:
        phone = worker.phone if reveal else mask_phone(worker.phone)
        entries.append(display_safe(f"{label(worker.role, p.lang)} {worker.name} {phone}"))
    return Text(PART_JOINT.join(entries))


def household_columns(p: Presenter) -> list[str | Column]:
    # The note (free text) gives way first, to the room there is; the address only after it.
    return [
        Column(p.t("col.address"), shrink=True, after_free_text=True),
        *(p.t(k) for k in ("col.head", "col.tags", "col.visitor", "col.today")),
        Column(p.t("col.note"), shrink=True),
    ]


def household_row(p: Presenter, row: HouseholdVisit, *, reveal: bool, ascii_only: bool = False) -> Row:
    h = row.household
    tags = tag_labels(p, h.tags, ascii_only, reveal=reveal)
    if row.visit is not None:
        today = Text(p.t("visits.done_at").format(f"{row.visit.at:%H:%M}"), style="green")
    elif row.planned:
        today = Text(p.t("visits.waiting"), style="bold red" if h.tags else "yellow")
    else:
        today = Text(p.t("visits.not_planned"), style="dim")
    return Row(
        h.id,
        (
            literal(household_address(h)),
            literal(h.head_name if reveal else mask_name(h.head_name)),
            tags,
            literal(row.worker.name if row.worker else ""),
            today,
            literal(row.visit.note if row.visit else "", style="dim"),
        ),
    )


def households_header(
    p: Presenter,
    progress: GridProgress | None,
    workers: list[GridWorker],
    *,
    reveal: bool,
    special_only: bool,
    ascii_only: bool = False,
) -> Text:
    text = Text()
    if progress is not None:
        text.append(p.t("visits.progress").format(visited=progress.visited, planned=progress.planned) + "  ")
    text.append_text(legend(p, ascii_only))
    if special_only:
        text.append("  " + p.t("visits.special_only"), style="bold cyan")
    text.append("\n")
    team = team_line(p, workers, reveal=reveal)
    text.append_text(team)  # the masked phones, then what they are: one more part of the line
    text.append(PART_JOINT if team else "")
    text.append(p.mask_hint(reveal, where="list"), style="dim")
    return text


def household_detail(
    p: Presenter,
    h: Household,
    grid: Grid | None,
    visits: list[Visit],
    names: dict[str, str],
    *,
    reveal: bool,
    ascii_only: bool = False,
) -> DetailContent:
    """A household: where, who (masked), its special groups (R:独居 in ASCII, as its list row), two
    weeks of 民情日志, its moves."""
    tags = tag_labels(p, h.tags, ascii_only, reveal=reveal)
    fields = [
        (p.t("col.address"), literal(household_address(h))),
        (p.t("col.grid"), literal(grid.name if grid else h.grid_id)),
        (p.t("col.head"), literal(h.head_name if reveal else mask_name(h.head_name))),
        (
            p.t("col.phone"),
            literal((h.phone or "") if reveal else mask_phone(h.phone)) if h.phone else Text(p.t("empty.none")),
        ),
        (p.t("col.tags"), tags if h.tags else Text(p.t("empty.none"))),
        (p.t("visits.members"), Text(str(h.members) + (" · " + p.t("visits.elderly") if h.elderly else ""))),
    ]
    log = [literal(f"{v.at:%m-%d %H:%M} {names.get(v.worker_id, v.worker_id)}  {v.note}") for v in visits]
    sections = [(p.t("visits.recent").format(n=RECENT_VISIT_DAYS), log or [Text(p.t("empty.none"), style="dim")])]
    if h.history:
        sections.append((p.t("detail.changes"), [history_line(p, e, names, reveal=reveal) for e in h.history[-8:]]))
    title = f"{household_address(h)} {h.head_name if reveal else mask_name(h.head_name)}"
    return p.detail(title, fields, sections, subject=f"visits:household:{h.id}", reveal=reveal)


def worker_detail(
    p: Presenter, w: GridWorker, grid: Grid | None, names: dict[str, str], *, reveal: bool
) -> DetailContent:
    """A grid worker: role, phone (masked), grid, and every change to the record."""
    fields = [
        (p.t("col.name"), literal(w.name)),
        (p.t("col.role"), Text(label(w.role, p.lang))),
        (p.t("col.phone"), literal(w.phone if reveal else mask_phone(w.phone))),
        (p.t("col.grid"), literal(grid.name if grid else w.grid_id)),
    ]
    history = [history_line(p, e, names) for e in w.history[-8:]] or [Text(p.t("empty.none"), style="dim")]
    title = f"{label(w.role, p.lang)} {w.name}"
    return p.detail(title, fields, [(p.t("detail.changes"), history)], subject=f"visits:worker:{w.id}", reveal=reveal)


def roster_columns(p: Presenter) -> list[str]:
    return [p.t(k) for k in ("col.grid", "col.role", "col.name", "col.phone", "col.households", "col.tags")]


def roster_rows(p: Presenter, entries: list[RosterEntry], *, reveal: bool, ascii_only: bool = False) -> list[Row]:
    """一表全清: each grid, then its people, down the tree."""
    rows = []
    for entry in entries:
        indent = "  " * entry.depth
        rows.append(
            Row(
                entry.grid.id,
                (
                    literal(f"{indent}{entry.grid.name}", style="bold" if entry.depth == 0 else ""),
                    Text(label(entry.grid.level, p.lang), style="dim"),
                    Text(""),
                    Text(""),
                    Text(str(entry.households), justify="right"),
                    tag_marks(p, entry.special, ascii_only),
                ),
            )
        )
        for worker in entry.workers:
            rows.append(
                Row(
                    worker.id,
                    (
                        Text(""),
                        Text(label(worker.role, p.lang)),
                        literal(worker.name),
                        literal(worker.phone if reveal else mask_phone(worker.phone)),
                        Text(""),
                        Text(""),
                    ),
                )
            )
    return rows


def roster_header(
    p: Presenter, community: str, entries: list[RosterEntry], *, reveal: bool, ascii_only: bool = False
) -> Text:
    people = sum(len(e.workers) for e in entries)
    text = Text(p.t("roster.summary").format(community=community, grids=len(entries), people=people) + "  ")
    text.append_text(legend(p, ascii_only))
    text.append("\n")
    text.append(p.mask_hint(reveal, where="list"), style="dim")
    return text


def worker_columns(p: Presenter) -> list[str | Column]:
    # The grid's name is the free text: whole where the list has room (2号楼1单元微网格), cut at its edge.
    name, role, grid, visited, last = (
        p.t(k) for k in ("col.name", "col.role", "col.grid", "col.visited", "col.last_visit")
    )
    return [name, role, Column(grid, shrink=True, min_width=GRID_FLOOR), visited, last]


def worker_rows(p: Presenter, days: list[WorkerDay]) -> list[Row]:
    rows = []
    for day in days:
        style = "" if day.out else "bold yellow"
        rows.append(
            Row(
                day.worker.id,
                (
                    literal(day.worker.name, style=style),
                    Text(label(day.worker.role, p.lang)),
                    literal(day.grid),
                    Text(f"{day.visited}/{day.planned}", justify="right", style=style),
                    Text(
                        f"{day.last_visit:%H:%M}" if day.last_visit else p.t("workers.none_yet"), style=style or "dim"
                    ),
                ),
            )
        )
    return rows


def workers_header(p: Presenter, days: list[WorkerDay]) -> Text:
    out = sum(d.out for d in days)
    return Text(p.t("workers.summary").format(out=out, total=len(days), idle=len(days) - out))
