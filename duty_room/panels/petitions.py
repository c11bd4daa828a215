"""Panel 1, 民情诉求: the case desk. Its keys, rows, summary, detail and the form of each step.
Ended cases (the last 30 days): ``l`` lists them; 重开 there takes the same path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import SystemCommand
from textual.binding import Binding
from textual.reactive import reactive

from duty_room import words
from duty_room.words import Lang, cell, history_note, label
from store import clock
from store.lifecycle import (
    RULES,
    Action,
    allowed_actions,
    change_status,
    check,
    escalated_level,
    next_steps,
    perform,
    raised_card,
)
from store.masking import mask_name, mask_phone
from store.metrics import WINDOWS, Rates
from store.models import (
    Grid,
    GridWorker,
    Household,
    Petition,
    PetitionEvent,
    PetitionStatus,
    Satisfaction,
    Supervision,
)
from store.queries import (
    Dashboard,
    Headline,
    PetitionView,
    SortOrder,
    community_names,
    ended_petitions,
    filter_petitions,
    sort_petitions,
    unknown_filter_words,
)
from store.refusal import FieldsRefused
from store.storage import RecordNotFound
from store.text import display_safe, max_chars, typed_whole
from store.visiting import case_address
from widgets.keyed_table import Column, LazyRow, Row
from widgets.panel import Panel
from widgets.specs import Choice, ChoiceTexts, DetailContent, FieldSpec, FormTexts

from ..desk import Desk, Watch, enum_field, form_texts, guarded, stored
from ..presenters import NOT_YET, Presenter, duration, grid_words, literal, short_community
from .base import DeskPanel

if TYPE_CHECKING:  # the screens are imported when the first opens, not before the first frame (widgets/specs.py)
    from widgets.choice_modal import ChoiceModal
    from widgets.form import FormScreen
    from widgets.table_screen import TableScreen


# One key per step on the selected case (12345 desk practice); all remappable by binding id.
CASE_KEYS = (
    ("a", "accept"),
    ("d", "dispatch"),
    ("s", "start"),
    ("r", "resolve"),
    ("v", "follow_up"),
    ("e", "escalate"),
    ("b", "return"),
    ("u", "supervise"),
    ("m", "merge"),
    ("x", "cancel"),
    ("w", "redo"),
    ("t", "extend_request"),
    ("g", "extend_grant"),
    ("G", "extend_deny"),
)
# The rest (follow-up too: the 回访 desk's, days later) are in `?` help and the palette; 80 columns hold no more.
FOOTER_STEPS = {"accept", "dispatch", "start", "resolve"}
SORT_ORDERS = tuple(SortOrder)

# Answers a step's form cannot go without: refused as 必填 before the store is asked.
REQUIRED_ANSWERS = {Action.FOLLOW_UP: ("satisfaction", "solved"), Action.EXTEND_REQUEST: ("days",)}

# Which field a refusal belongs to, so the reason shows beside it.
REFUSAL_FIELD = {
    "needs_note": "note",
    "needs_assignee": "assignee",
    "needs_rating": "satisfaction",
    "extension_days": "days",
    "merge_target": "duplicate_of",
    "merge_missing": "duplicate_of",
    "merge_closed": "duplicate_of",
}


class PetitionsPanel(DeskPanel):
    """民情诉求: every open case, most urgent first; a key per lifecycle step."""

    NAME = "petitions"
    NUMBER = 1
    FIRST_FRAME = True
    BINDINGS: ClassVar = [
        # Every step has its own key in the Footer; the all-steps menu is in `?` help and the palette.
        Binding("c", "change_status", "Status", show=False, id="petition.status"),
        Binding("n", "new_petition", "New", id="petition.new"),
        Binding("slash", "filter", "Filter", id="petition.filter"),
        Binding("o", "cycle_sort", "Sort", show=False, id="petition.sort"),
        Binding("l", "ended_list", "Ended", show=False, id="petition.ended"),
        *[
            Binding(key, f"case('{action}')", action, show=action in FOOTER_STEPS, id=f"petition.{action}")
            for key, action in CASE_KEYS
        ],
    ]

    LIST_KEYS: ClassVar = {"ended": (("o", "reopen"),)}

    order: reactive[SortOrder] = reactive(SortOrder.URGENCY, init=False)

    def __init__(self, desk: Desk) -> None:
        close = desk.present.key("filter.close", "Esc")
        super().__init__(desk, filter_placeholder=desk.t("filter.placeholder").format(close=close))
        self.labels = words.all_labels()
        self.ended: dict[str, PetitionView] = {}  # the ended cases as last listed (``l``), by id

    @classmethod
    def columns(cls, p: Presenter) -> Sequence[str | Column]:
        return petition_columns(p)

    # -- rows ------------------------------------------------------------------------------

    def render_data(self, data: Dashboard) -> int:
        """The cases through the current filter and sort order."""
        p = self.desk.present
        views = sort_petitions(filter_petitions(data.petitions, self.filter_text, self.labels), self.order)
        summary = petition_summary(
            p,
            data.headline,
            shown=len(views),
            order=self.order,
            filtered=bool(self.filter_text.strip()),
            unknown=unknown_filter_words(self.filter_text, self.labels),
        )
        # The closed cases' rates: read after the first frame.
        rates = metrics_line(p, data.rates if data.complete else None)
        return self.show(summary, lambda: [petition_row(p, v) for v in views], detail=rates)

    def watch_order(self) -> None:
        self.redraw()

    @on(Panel.FilterChanged)
    @guarded
    def _filter_changed(self, event: Panel.FilterChanged) -> None:
        event.stop()
        self.redraw()

    def action_filter(self) -> None:
        self.open_filter()
        self.screen.set_focus(self.filter_input)  # now: the keys typed right after / belong to the filter

    def action_cycle_sort(self) -> None:
        self.order = SORT_ORDERS[(SORT_ORDERS.index(self.order) + 1) % len(SORT_ORDERS)]

    def view(self, key: str | None) -> PetitionView | None:
        """An open case as on the dashboard, or an ended one as its list shows it."""
        if not key:
            return None
        shown = next((v for v in self.data.petitions if v.petition.id == key), None) if self.data else None
        return shown or self.ended.get(key)

    def selected_view(self) -> PetitionView | None:
        return self.view(self.table.cursor_key)

    def selected_or_said(self) -> Petition | None:
        """The selected case as the store has it now (not the list's copy), or, with none (a filter that
        shows no case), said so: the Footer's step keys did nothing at all there, as if not pressed."""
        key = self.table.cursor_key
        if key is None:
            self.desk.refuse(self.t("petitions.pick_case"))
            return None
        return self.desk.store.get(Petition, key)

    # -- detail ------------------------------------------------------------------------------

    def detail_content(self, key: str, *, reveal: bool) -> DetailContent | None:
        store = self.desk.store
        try:
            petition = store.get(Petition, key)  # the latest history, not the list's copy
        except RecordNotFound:
            return None  # archived: an open detail keeps its last view
        view = self.view(key)
        if view is not None:
            community, grid = view.community, view.grid
        else:  # cancelled, merged or closed at another desk while its detail was open: it says so
            community = community_names(store).get(petition.community_id, petition.community_id)
            grid = next((g.name for g in store.all(Grid) if g.id == petition.grid_id), "")
        household = (
            next((h for h in store.all(Household) if h.id == petition.household_id), None)
            if petition.household_id
            else None
        )
        return petition_detail(self.desk.present, petition, community, grid, reveal=reveal, household=household)

    # -- palette -------------------------------------------------------------------------------

    def commands(self) -> Iterable[SystemCommand]:
        """The filter, the ended cases and the sort (a viewer's too), change status, 登记, and every
        step the selected case allows now."""
        t = self.t
        key = self.desk.present.key
        yield SystemCommand(t("cmd.filter"), f"[{key('petition.filter', '/')}]", self.action_filter)
        yield SystemCommand(t("ended.title"), f"[{key('petition.ended', 'l')}]", self.action_ended_list)
        yield SystemCommand(t("cmd.sort"), f"[{key('petition.sort', 'o')}]", self.action_cycle_sort)
        if self.desk.read_only:
            return
        change_help = f"[{key('petition.status', 'c')}] {t('cmd.change_status.help')}"
        yield SystemCommand(t("cmd.change_status"), change_help, self.action_change_status)
        yield SystemCommand(t("intake.heading"), f"[{key('petition.new', 'n')}]", self.action_new_petition)
        view = self.selected_view()
        if view is None:
            return
        keys = {name: key(f"petition.{name}", k) for k, name in CASE_KEYS}
        for action in allowed_actions(view.petition, clock.now()):
            if action is Action.REOPEN:
                continue  # a closed case is not in this list: 重开 is in the ended cases' (l)
            name = "dispatch" if action is Action.REDISPATCH else action.value
            title = f"{t('cmd.step.' + action.value)} · {view.petition.id}"
            yield SystemCommand(
                title, f"[{keys.get(name, '')}] {view.petition.title}", lambda n=name: self.action_case(n)
            )

    # -- status change (c) ------------------------------------------------------------------------

    def action_change_status(self) -> None:
        petition = self.selected_or_said()
        if petition is None:
            return
        t, lang = self.t, self.desk.lang

        def steps(case: Petition) -> list[Choice]:
            return [
                Choice(step.to.value, f"{t('action.' + step.action)} → {label(step.to, lang)}", step.needs_note)
                for step in next_steps(case.status)
            ]

        texts = ChoiceTexts(
            title=t("modal.status.title").format(f"{petition.id} {petition.title}"),
            subtitle=t("modal.status.current").format(label(petition.status, lang)),
            note=t("modal.note"),
            note_required=t("modal.note.required"),
            confirm=t("modal.confirm"),
            cancel=t("modal.cancel"),
            empty=t("modal.status.none"),
            discard_question=t("form.discard_question"),
            discard=t("form.discard"),
            keep_editing=t("form.keep_editing"),
            too_long=t("invalid.too_long"),
        )

        def chosen(modal: ChoiceModal, result: tuple[str, str]) -> None:
            target, note = PetitionStatus(result[0]), result[1]
            shown = self.desk.shown(modal)  # the case as the modal shows it: changed since, refused
            self.desk.submit(
                lambda: change_status(self.desk.store, petition.id, target, note=note, expected=shown),
                lambda updated: t("status.changed").format(id=updated.id, status=label(updated.status, lang)),
                modal,
            )

        from ..screens import ChoiceModal

        modal = ChoiceModal(steps(petition), texts, note_limit=max_chars(PetitionEvent, "note"), keep_open=True)
        # Another desk moved the case meanwhile: the steps offered are the ones legal from where it is now.
        self.desk.choose(
            modal,
            chosen,
            watch=case_watch(self.desk, petition, renew=lambda now: modal.renew(steps(now))),
        )

    # -- one key per step --------------------------------------------------------------------------

    def action_case(self, name: str) -> None:
        """Open the form for one step on the selected case; an illegal step is refused at once."""
        petition = self.selected_or_said()
        if petition is not None:
            self.ask_step(petition, dispatch_action(petition) if name == "dispatch" else Action(name))

    def ask_step(self, petition: Petition, action: Action) -> None:
        """The form of one step on ``petition`` (the row the officer is on); refused at once if illegal now."""
        desk = self.desk
        check(petition, action, clock.now())  # the state allows it; the form asks for the rest
        workers = desk.store.all(GridWorker)
        grids = {g.id: g for g in desk.store.all(Grid)}
        communities = community_names(desk.store)
        assignees = assignee_options(petition, workers, grids, communities, desk.settings.units, desk.lang)
        open_cases = [v.petition for v in self.data.petitions] if self.data else []
        fields, texts = step_form(action, petition, desk.lang, assignees=assignees, open_cases=open_cases)
        worker_by_id = {w.id: w for w in workers}

        def submitted(form: FormScreen, values: dict[str, str]) -> None:
            required = REQUIRED_ANSWERS.get(action, ())
            missing = {key: desk.t("invalid.required") for key in required if not values.get(key, "").strip()}
            if missing:  # 必填, as every form says of an empty required field
                raise FieldsRefused(missing)
            params = step_params(action, values, worker_by_id)
            shown = desk.shown(form)  # the case as the form shows it: changed since, refused

            def done(updated: Petition) -> str:
                said = desk.t("case.done").format(
                    id=updated.id, action=words.sentence(desk.t(f"action.{action.value}"))
                )
                if action is Action.ESCALATE:  # from where to where: 楼栋 → 社区
                    levels = (label((shown or petition).level, desk.lang), label(updated.level, desk.lang))
                    said += desk.t("case.escalated").format(level=levels[0], to=levels[1])
                if action is Action.SUPERVISE:  # which card: 黄牌 the first time, 红牌 the second
                    said += desk.t("case.supervised").format(label(updated.supervision, desk.lang))
                if action is Action.FOLLOW_UP and updated.status is not PetitionStatus.CLOSED:  # 不满意: 重办
                    said += desk.t("case.sent_back").format(label(updated.status, desk.lang))
                return said

            desk.submit(
                lambda: perform(
                    desk.store, petition.id, action, rules=desk.settings.deadlines, expected=shown, **params
                ),
                done,
                form,
                REFUSAL_FIELD,
            )

        desk.open_form(
            fields,
            texts,
            submitted,
            watch=case_watch(desk, petition, check=lambda now: check(now, action, clock.now()), action=action),
        )

    # -- ended cases (l): the last 30 days, where 重开 starts ------------------------------------

    def action_ended_list(self) -> None:
        self.open_list(
            "ended:", self.t("ended.title"), petition_columns(self.desk.present, "col.ended", ("col.rating",))
        )

    def fill_list(self, screen: TableScreen) -> None:
        """The ended cases, read in a worker (every live file; cached after the first read)."""
        store, p = self.desk.store, self.desk.present
        screen.show_loading(Text(self.t("list.loading"), style="dim"))

        def shown(views: list[PetitionView]) -> None:
            self.ended = {v.petition.id: v for v in views}
            if screen.is_attached:
                header = Text(self.t("ended.summary").format(len(views)), style="bold")
                screen.show(header, [ended_row(p, v) for v in views])

        self.desk.read(lambda: ended_petitions(store, clock.now()), shown, failed=lambda: self.unreadable(screen))

    def list_action(self, screen: TableScreen, action: str, row_key: str | None) -> None:
        if not row_key:
            return
        if action == "open":
            self.open_detail(row_key)
        elif action == "reopen":
            self.ask_step(self.desk.store.get(Petition, row_key), Action.REOPEN)


# -- forms of the steps ------------------------------------------------------------------------------


def case_watch(
    desk: Desk,
    petition: Petition,
    *,
    check: Callable[[Petition], object] | None = None,
    renew: Callable[[Petition], None] | None = None,
    action: Action | None = None,
) -> Watch[Petition]:
    """A step's form follows its case as the store has it (closed cases too: 重开 starts from one)."""

    def state(now: Petition) -> str:
        status = label(now.status, desk.lang)
        if now.assignee:
            return desk.t("overtaken.case_assignee").format(status=status, assignee=display_safe(now.assignee))
        return desk.t("overtaken.now").format(status)

    def subtitle(now: Petition) -> str:
        return step_subtitle(action, now, desk.lang)

    return Watch(petition, stored(desk.store, Petition, petition.id), state, check, subtitle, renew)


def step_subtitle(action: Action | None, petition: Petition, lang: Lang) -> str:
    """What a step's form says under its title: the case's status, and for 升级 where it goes."""
    line = words.t("modal.status.current", lang).format(label(petition.status, lang))
    if action is Action.ESCALATE and (to := escalated_level(petition.level)) is not None:
        line += words.t("case.escalate_to", lang).format(level=label(petition.level, lang), to=label(to, lang))
    if action is Action.SUPERVISE and (card := raised_card(petition.supervision)) is not None:
        line += words.t("case.supervise_to", lang).format(label(card, lang))
    return line


def dispatch_action(petition: Petition) -> Action:
    return Action.REDISPATCH if petition.status is PetitionStatus.RETURNED else Action.DISPATCH


def assignee_options(
    petition: Petition,
    workers: Sequence[GridWorker],
    grids: dict[str, Grid],
    communities: Mapping[str, str],
    units: Sequence[str],
    lang: Lang,
) -> list[tuple[str, str]]:
    """The case's own grid workers first, then units, then everyone else on the roster, each with
    the community of their grid: every community has its 第一大网格, and typing 丁香 finds 丁香's."""

    def worker_label(worker: GridWorker) -> str:
        return f"{label(worker.role, lang)} {worker.name} · {grid_words(grids, communities, worker.grid_id)}"

    own = [w for w in workers if w.grid_id == petition.grid_id]
    rest = [w for w in workers if w.grid_id != petition.grid_id]
    return (
        [(f"worker:{w.id}", worker_label(w)) for w in own]
        + [(f"unit:{u}", u) for u in units]
        + [(f"worker:{w.id}", worker_label(w)) for w in rest]
    )


def step_form(
    action: Action, petition: Petition, lang: Lang, *, assignees: list[tuple[str, str]], open_cases: Sequence[Petition]
) -> tuple[list[FieldSpec], FormTexts]:
    t = lambda key: words.t(key, lang)  # noqa: E731
    rule = RULES[action]
    fields: list[FieldSpec] = []
    if rule.needs_assignee:
        fields.append(
            FieldSpec("assignee", t("form.assignee"), "picker", assignees, placeholder=t("form.type_to_filter"))
        )
    if action is Action.FOLLOW_UP:
        # Nothing preselected: Enter alone must not record a satisfied, solved follow-up.
        fields.append(
            enum_field("satisfaction", t("form.satisfaction"), Satisfaction, lang, placeholder=t("form.choose"))
        )
        answers = [("yes", t("form.yes")), ("no", t("form.no"))]
        fields.append(FieldSpec("solved", t("form.solved"), "choice", answers, placeholder=t("form.choose")))
    if action is Action.EXTEND_REQUEST:
        fields.append(FieldSpec("days", t("form.days"), "number", example="5"))
    if action is Action.MERGE:
        others = [(p.id, f"{p.id} {p.title}") for p in open_cases if p.id != petition.id]
        fields.append(
            # Cases, by ID and subject: not the assignee picker's "a name, grid or unit"
            FieldSpec(
                "duplicate_of", t("form.duplicate_of"), "picker", others, placeholder=t("form.type_to_filter_case")
            )
        )
    note = t("modal.note.required") if rule.needs_note else t("modal.note")
    fields.append(FieldSpec("note", note, max_length=max_chars(PetitionEvent, "note")))
    title = f"{words.sentence(t('action.' + action.value))} · {petition.id} {petition.title}"
    if action is Action.CANCEL:
        # In English "cancel · MK…" with Confirm / Cancel read as closing the form: closed with Back.
        title = t("petition.cancel_title").format(id=petition.id, title=petition.title)
        subtitle = step_subtitle(action, petition, lang)
        return fields, form_texts(
            lang, title, subtitle, confirm=t("petition.cancel_confirm"), close=t("petition.cancel_close")
        )
    return fields, form_texts(lang, title, step_subtitle(action, petition, lang))


def step_params(action: Action, values: dict[str, str], workers: dict[str, GridWorker]) -> dict[str, object]:
    """Form answers → keyword arguments of store.lifecycle.perform."""
    params: dict[str, object] = {"note": values.get("note", "")}
    chosen = values.get("assignee", "")
    if chosen.startswith("worker:") and chosen[7:] in workers:
        worker = workers[chosen[7:]]
        params.update(assignee=worker.name, assignee_id=worker.id)
    elif chosen.startswith("unit:"):
        params["assignee"] = chosen[5:]
    if action is Action.FOLLOW_UP:
        rating = values.get("satisfaction", "")
        # None when none was chosen: the store refuses it with its own words (lifecycle.perform).
        params["satisfaction"] = next((s for s in Satisfaction if s.value == rating), None)
        params["solved"] = {"yes": True, "no": False}.get(values.get("solved", ""))
    if action is Action.EXTEND_REQUEST:
        try:  # ３ as 3; anything else (³, ٣, -1, 1.0) None, which the store refuses with the longest allowed
            params["days"] = typed_whole(values.get("days", ""))
        except ValueError:
            params["days"] = None
    if action is Action.MERGE:
        params["duplicate_of"] = values.get("duplicate_of", "")
    return params


# -- words and rows ------------------------------------------------------------------------------------


# Seven cells hold what eight did of a Chinese title (three characters and "…"): the cell English needs.
TITLE_FLOOR = 7


def petition_columns(
    p: Presenter, when: str = "col.due", last: tuple[str, ...] = ("col.level", "col.age")
) -> list[str | Column]:
    """An open case's columns; ``when`` and ``last`` the ended list's (when it ended, its rating)."""
    # Most decisive first: the title gives way first, then the category; status, due, level and age are never cut.
    return [
        *(p.t(k) for k in ("col.id", "col.status", when)),
        Column(p.t("col.title"), shrink=True, min_width=TITLE_FLOOR),
        Column(p.t("col.category"), shrink=True, after_free_text=True),
        *(p.t(k) for k in ("col.community", *last)),
    ]


def petition_row(p: Presenter, view: PetitionView) -> Row:
    """A case's row: its cells made only when the table paints them (``LazyRow``)."""
    case = view.petition
    urgency = "bold red" if view.overdue else "bold yellow" if view.due_today else ""
    if case.status is PetitionStatus.RESOLVED:
        due, due_style = p.t("due.done"), "dim"
    elif view.overdue:
        due, due_style = p.t("due.overdue").format(duration(view.due_in, p.lang)), "bold red"
    else:
        due, due_style = p.t("due.left").format(duration(view.due_in, p.lang)), urgency
    plain = (
        case.id,
        cell(case.status, p.lang),
        due,
        display_safe(case.title),  # (literal's text) the table cuts it to the room there is, not to a fixed width
        cell(case.category, p.lang),
        display_safe(short_community(view.community)),
        cell(case.level, p.lang),
        duration(view.age, p.lang, minutes_shown=False),
    )

    def make() -> tuple[Text, ...]:
        case_id, status, due_text, title, category, community, level, age = plain
        return (
            Text(case_id, style=urgency),
            Text(status, style=urgency or "cyan"),
            Text(due_text, style=due_style),
            Text(title, no_wrap=True),  # = literal(case.title)
            Text(category),
            Text(community, no_wrap=True),  # = literal(short_community(view.community))
            Text(level),
            Text(age, style="dim"),
        )

    return LazyRow(case.id, plain, make)


def ended_row(p: Presenter, view: PetitionView) -> Row:
    """An ended case: when it ended, and the reporter's rating when it was closed after a 回访."""
    case = view.petition
    ended = case.closed_at or case.created_at
    return Row(
        case.id,
        (
            Text(case.id),
            Text(label(case.status, p.lang), style="dim"),
            Text(f"{ended:%m-%d %H:%M}"),
            literal(case.title),  # the table cuts it to the room there is, not to a fixed width
            Text(cell(case.category, p.lang)),
            literal(short_community(view.community)),
            Text(cell(case.satisfaction, p.lang) if case.satisfaction else "—"),
        ),
    )


def petition_summary(
    p: Presenter,
    headline: Headline,
    *,
    shown: int,
    order: SortOrder,
    filtered: bool,
    unknown: Sequence[tuple[str, str]] = (),
) -> Text:
    text = p.summary_line(
        1,
        "panel.petitions",
        p.t("summary.petitions").format(open=headline.open, overdue=headline.overdue, due_today=headline.due_today),
        alarm=headline.overdue > 0,
    )
    if order is not SortOrder.URGENCY:
        text.append("  " + p.t("sort.label").format(label(order, p.lang)), style="cyan")
    if filtered:
        text.append("  " + p.t("filter.shown").format(shown=shown, total=headline.open), style="bold cyan")
    for field, value in unknown:  # status:不存在 matches nothing: say it is the word, not the cases
        text.append("  " + p.t("filter.unknown").format(field=p.t(f"col.{field}"), value=value), style="bold yellow")
    return text


def metrics_line(p: Presenter, windows: list[Rates] | None) -> Text:
    """响应率 / 解决率 / 满意率 for today, 7 and 30 days under one legend (``今日/7天/30天  响应率
    —/92/90%  解决率 …``), fitting 76 cells even at 100%; "—" nothing to judge, "…" not read yet."""

    def rate(pick: str) -> str:
        if windows is None:
            return "/".join(NOT_YET for _ in WINDOWS)
        values = [getattr(w, pick).value for w in windows]
        figures = "/".join("—" if v is None else str(round(100 * v)) for v in values)
        return figures + ("" if all(v is None for v in values) else "%")

    names = [name for name, _ in WINDOWS] if windows is None else [w.window for w in windows]
    legend = "/".join(p.t(f"metrics.window.{name}") for name in names)
    line = p.t("metrics.line").format(windows=legend, r=rate("response"), s=rate("solution"), f=rate("satisfaction"))
    return Text(line, style="dim")


def petition_detail(
    p: Presenter, petition: Petition, community: str, grid: str, *, reveal: bool, household: Household | None = None
) -> DetailContent:
    name = petition.reporter_name if reveal else mask_name(petition.reporter_name)
    phone = (petition.reporter_phone or "") if reveal else mask_phone(petition.reporter_phone)
    fields = [
        (p.t("col.id"), Text(petition.id)),
        (p.t("col.title"), literal(petition.title)),
        (p.t("col.status"), Text(label(petition.status, p.lang), style="bold")),
        (p.t("col.category"), Text(label(petition.category, p.lang))),
        (p.t("detail.priority"), Text(label(petition.priority, p.lang))),
        (p.t("detail.channel"), Text(label(petition.channel, p.lang))),
        (p.t("col.level"), Text(label(petition.level, p.lang))),
    ]
    if petition.supervision is not Supervision.NONE:  # 黄牌 or 红牌: said nowhere else on the desk
        fields.append((p.t("detail.supervision"), Text(label(petition.supervision, p.lang), style="bold red")))
    fields.append((p.t("col.community"), literal(" ".join(x for x in (community, grid) if x))))
    fields += [
        (p.t(f"address.{name}"), literal(value))
        for name, value in case_address(petition.building, petition.unit, household, reveal=reveal)
    ]
    fields += [
        (p.t("col.assignee"), literal(petition.assignee or p.t("empty.none"))),
        (p.t("detail.reporter"), literal(name or p.t("empty.none"))),
        (p.t("col.phone"), literal(phone or p.t("empty.none"))),
        (p.t("detail.created"), Text(f"{petition.created_at:%Y-%m-%d %H:%M}")),
        (p.t("col.due"), Text(f"{petition.due_at:%Y-%m-%d %H:%M}")),
        (p.t("detail.description"), Text(display_safe(petition.description))),
    ]
    timeline = []
    for event in petition.history:
        move = ""
        if event.from_status and event.to_status and event.from_status != event.to_status:
            move = f" {label(event.from_status, p.lang)} → {label(event.to_status, p.lang)}"
        line = Text(f"{event.at:%m-%d %H:%M} ")
        line.append(p.t(f"action.{event.action}"), style="bold")
        line.append(move)
        if heard := words.follow_up_said(event.satisfaction, event.solved, p.lang):  # 回访评价: 不满意、未解决
            line.append(f" {heard}", style="bold")
        line.append(f"  [{display_safe(event.actor)}]", style="dim")
        if event.note:
            line.append(f"  {display_safe(history_note(event.action, event.note, p.lang))}", style="italic")
        timeline.append(line)
    # p only where a reporter or a household is named: a case from the mailbox, with neither, has
    # nothing masked, and p wrote an audit entry and a 查看个人信息 step into its history for nothing
    personal = bool(petition.reporter_name or petition.reporter_phone or household)
    subject = f"petitions:{petition.id}" if personal else ""
    return p.detail(petition.id, fields, [(p.t("detail.history"), timeline)], subject=subject, reveal=reveal)
