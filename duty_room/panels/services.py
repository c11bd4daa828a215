"""Panel 3, 一老一小: today's service sessions for the elderly and for children, and their schedules."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual.reactive import reactive

from duty_room.words import cell, label
from store import clock
from store.masking import mask_name
from store.models import (
    Audience,
    Community,
    Household,
    Recurrence,
    ServiceKind,
    ServiceSchedule,
    ServiceSession,
)
from store.queries import Dashboard, SessionView, community_names
from store.refusal import FieldsRefused, Refused, refused_about, said_of
from store.roster import new_schedule_id, put_schedule, schedule_from_form, schedule_to_form
from store.schedule import (
    SERVED_MAX,
    SessionPhase,
    SessionRef,
    cancel,
    check_complete,
    check_in,
    check_unfinished,
    complete,
    session_id,
)
from store.text import max_chars, typed_whole
from widgets.keyed_table import Column, Row
from widgets.specs import DetailContent, FieldSpec

from ..desk import Watch, edits_over, enum_field, names_of, roster_watch
from ..presenters import (
    PHASE_STYLE,
    Presenter,
    history_line,
    household_address,
    literal,
    short_community,
)
from .base import DeskPanel

if TYPE_CHECKING:  # the screens are imported when the first opens, not before the first frame (widgets/specs.py)
    from widgets.form import FormScreen


AUDIENCE_CYCLE: tuple[Audience | None, ...] = (None, Audience.ELDERLY, Audience.CHILDREN)


class ServicesPanel(DeskPanel):
    """一老一小: sessions in the order of the day, late ones in red."""

    NAME = "services"
    NUMBER = 3
    GROUP = "services"
    KEYS = (
        ("i", "check_in"),
        ("d", "complete"),
        ("x", "cancel"),
        ("f", "audience"),
        ("a", "add_schedule"),
        ("e", "edit_schedule"),
    )
    VIEWING = frozenset({"audience"})
    UNSELECTED = frozenset({"audience", "add_schedule"})

    audience: reactive[Audience | None] = reactive(None, init=False)  # f: 老, 小 or both

    def watch_audience(self) -> None:
        self.redraw()

    @classmethod
    def columns(cls, p: Presenter) -> Sequence[str | Column]:
        return service_columns(p)

    def render_data(self, data: Dashboard) -> int:
        p = self.desk.present
        views = [v for v in data.sessions if self.audience in (None, v.session.audience)]
        detail = service_detail_line(p, self.audience, data.upcoming.of(self.audience), data.now)
        # The day's counts whoever the list shows: at 80x24 the summary is all a closed panel says.
        summary = service_summary(p, data.sessions)
        return self.show(summary, lambda: [service_row(p, v) for v in views], detail=detail)

    def view(self, key: str | None) -> SessionView | None:
        return next((s for s in self.data.sessions if s.session.id == key), None) if self.data and key else None

    def selected_session(self) -> SessionView | None:
        return self.view(self.table.cursor_key)

    def selected_subject(self) -> str:
        view = self.selected_session()
        return f"{view.session.start:%H:%M} {view.session.title}" if view is not None else ""

    def detail_content(self, key: str, *, reveal: bool) -> DetailContent | None:
        view = self.view(key)
        if view is None:
            return None
        store = self.desk.store
        households = {h.id: h for h in store.all(Household)}
        served = [households[h] for h in view.session.household_ids if h in households]
        schedule = next((sc for sc in store.all(ServiceSchedule) if sc.id == view.session.schedule_id), None)
        return service_detail(
            self.desk.present,
            view,
            served,
            reveal=reveal,
            schedule=schedule,
            names=community_names(store),
        )

    def ask_schedule(self, schedule: ServiceSchedule | None) -> None:
        """Add a recurring 一老一小 service, or change ``schedule``: every field checked at once."""
        desk, store, t = self.desk, self.desk.store, self.t
        communities = store.all(Community)
        taken = [sc.id for sc in store.all(ServiceSchedule)]
        view = self.selected_session()
        community = schedule.community_id if schedule else view.session.community_id if view else ""
        fields = schedule_fields(desk.present, communities, schedule, community)

        def submitted(form: FormScreen, typed: dict[str, str]) -> None:
            # What was typed over the schedule as the form shows it: another desk's change is kept.
            shown: ServiceSchedule | None = desk.shown(form)
            as_shown = None if shown is None else schedule_fields(desk.present, communities, shown, shown.community_id)
            values = typed if as_shown is None else edits_over(fields, typed, as_shown)
            title = values.get("title", "").strip()
            schedule_id = schedule.id if schedule else new_schedule_id(values.get("community_id", ""), title, taken)
            done = "services.schedule_changed" if schedule else "services.schedule_added"
            # Every bad field at once (FieldsRefused), checked before the store is locked.
            self.desk.submit(
                lambda: put_schedule(
                    store,
                    schedule_from_form(values, schedule_id=schedule_id, previous=shown, lang=desk.lang),
                    new=schedule is None,
                    expected=shown,  # a change the form has not shown yet: refused, not written over
                ),
                lambda saved: t(done).format(saved.title),
                form,
                {"community_unknown": "community_id", "id_taken": "title", "no_change": ""},
                # A new schedule's session today, if it holds one: on the cursor once shown.
                after=None
                if schedule
                else lambda saved: desk.select_new(self.NAME, session_id(saved.id, clock.now().date())),
            )

        if schedule is None:
            desk.ask(t("services.add_title"), fields, submitted)
        else:
            desk.ask(
                t("services.edit_title").format(schedule.title),
                fields,
                submitted,
                subtitle=t("services.edit_hint"),
                watch=roster_watch(desk, schedule, names_of(communities)),
            )

    def action_step(self, name: str) -> None:
        if name == "audience":
            self.audience = AUDIENCE_CYCLE[(AUDIENCE_CYCLE.index(self.audience) + 1) % len(AUDIENCE_CYCLE)]
            return
        if name == "add_schedule":
            self.ask_schedule(None)
            return
        view = self.selected_session()
        if view is None:  # none on the day, or none for the audience shown: said, not a key gone dead
            self.desk.refuse(self.t("services.pick_session"))
            return
        desk, store, t = self.desk, self.desk.store, self.t
        session = view.session
        heading = f"{session.start:%H:%M} {session.title}"  # the session as a refusal names it
        if name == "edit_schedule":
            schedule = next((sc for sc in store.all(ServiceSchedule) if sc.id == session.schedule_id), None)
            if schedule is None:
                key = desk.present.key("services.add_schedule", "a")
                desk.refuse(t("services.one_off").format(session=heading, key=key))
            else:
                self.ask_schedule(schedule)
            return
        ref = SessionRef(session.day, session.id)
        calendar = desk.settings.deadlines
        if name == "check_in":
            self.desk.submit(
                # The session as the panel shows it: changed since by another desk, refused.
                said_of(heading, lambda: check_in(store, ref, calendar, expected=session)),
                lambda _: t("services.checked_in_done").format(heading),
            )
            return
        # Refused before the form opens: a session done or cancelled takes no more steps.
        check = completable if name == "complete" else check_unfinished
        with refused_about(heading):  # the session under the cursor, named
            check(session)
        # Another desk's check-in, completion or cancellation shows on the open form at once.
        watch = Watch(
            session,
            lambda data: next((v.session for v in data.sessions if v.session.id == session.id), None),
            lambda now: t("overtaken.now").format(label(now.state, desk.lang)),
            check,
        )
        if name == "complete":
            default = str(len(session.household_ids)) if session.household_ids else ""

            def completed(form: FormScreen, values: dict[str, str]) -> None:
                try:  # at most six digits typed (１２ with a Chinese input method); the store refuses over SERVED_MAX
                    served = typed_whole(values.get("served", ""), "served_format", digits=6, most=SERVED_MAX)
                except Refused as refused:
                    raise FieldsRefused({"served": refused.message(desk.lang)}) from None
                shown = desk.shown(form)  # the session as the form shows it: changed since, refused
                self.desk.submit(
                    lambda: complete(store, ref, served, calendar, expected=shown),
                    lambda _: t("services.completed").format(heading, served),
                    form,
                    {"served_format": "served", "served_negative": "served"},
                )

            desk.ask(
                t("services.complete_title").format(heading),
                [FieldSpec("served", t("form.served"), "number", value=default, example="12")],
                completed,
                watch=watch,
            )
        elif name == "cancel":

            def cancelled(form: FormScreen, values: dict[str, str]) -> None:
                shown = desk.shown(form)  # the session as the form shows it: changed since, refused
                self.desk.submit(
                    lambda: cancel(store, ref, values.get("reason", ""), calendar, expected=shown),
                    lambda _: t("services.cancelled").format(heading),
                    form,
                    {"cancel_needs_reason": "reason"},
                )

            desk.ask(
                t("services.cancel_title").format(heading),
                [FieldSpec("reason", t("form.cancel_reason"), max_length=max_chars(ServiceSession, "cancel_reason"))],
                cancelled,
                watch=watch,
                confirm=t("services.cancel_confirm"),
                close=t("form.back"),
            )


def completable(session: ServiceSession) -> None:
    """完成 as the store judges it now: not a session finished, nor one that has not begun yet."""
    check_complete(session, clock.now())


def schedule_fields(
    p: Presenter, communities: Sequence[Community], schedule: ServiceSchedule | None, community: str
) -> list[FieldSpec]:
    """The schedule form: a changed schedule's values, or blank with the selected session's community."""

    text = schedule_to_form(schedule)
    kinds = [(k.value, f"{label(k.audience, p.lang)} · {label(k, p.lang)}") for k in ServiceKind]
    return [
        FieldSpec("title", p.t("form.schedule_title"), value=text["title"], max_length=80),
        FieldSpec(
            "kind",
            p.t("form.kind"),
            "choice",
            kinds,
            value=schedule.kind.value if schedule else "",
            placeholder=p.t("form.choose"),
        ),
        FieldSpec(
            "community_id",
            p.t("col.community"),
            "choice",
            [(c.id, c.name) for c in communities],
            value=community if any(c.id == community for c in communities) else "",
            placeholder=p.t("form.choose"),
        ),
        FieldSpec("place", p.t("col.place"), value=text["place"], max_length=80),
        FieldSpec("start", p.t("form.start"), value=text["start"], example="07:30", max_length=8, counted=False),
        FieldSpec("end", p.t("form.end"), value=text["end"], example="08:00", max_length=8, counted=False),
        enum_field(
            "recurrence",
            p.t("form.recurrence"),
            Recurrence,
            p.lang,
            value=schedule.recurrence if schedule else Recurrence.DAILY,
        ),
        FieldSpec("weekdays", p.t("form.weekdays"), value=text["weekdays"], example="周二、周四", max_length=40),
        FieldSpec("staff", p.t("form.staff"), value=text["staff"], max_length=400),
        FieldSpec(
            "starts_on",
            p.t("form.starts_on"),
            value=text["starts_on"],
            example="2026-12-01",
            max_length=12,
            counted=False,
        ),
        FieldSpec(
            "ends_on", p.t("form.ends_on"), value=text["ends_on"], example="2027-06-30", max_length=12, counted=False
        ),
    ]


# -- words and rows ------------------------------------------------------------------------------------


# The next session's title in the line over the table: whole, else cut to these many cells in turn.
NEXT_TITLE_CELLS = (None, 16, 12, 8, 4)
PLACE_FLOOR = 5  # 东城… (世纪景苑, 明日星城, 东城花园 apart; 丁香, 登峰 whole), never below its heading


def service_columns(p: Presenter) -> list[str | Column]:
    # Narrow, the place (in the detail too) gives way first, then the service's title.
    return [
        p.t("col.time"),
        p.t("col.state"),
        Column(p.t("col.service"), shrink=True, after_free_text=True),
        Column(p.t("col.place"), shrink=True, min_width=max(PLACE_FLOOR, Text(p.t("col.place")).cell_len)),
    ]


def service_row(p: Presenter, view: SessionView) -> Row:
    s = view.session
    audience = p.t(f"audience.short.{s.kind.audience.value}")
    state = Text(cell(view.phase, p.lang), style=PHASE_STYLE[view.phase])
    if view.phase is SessionPhase.DONE and s.served is not None:
        state.append(p.t("services.served_short").format(s.served), style="dim")
    return Row(
        s.id,
        (
            Text(f"{s.start:%H:%M}", style="dim" if view.phase is SessionPhase.DONE else ""),
            state,
            literal(f"{audience} {s.title}"),  # a shrinking column: cut to the panel's width
            literal(short_community(view.community)),  # the table cuts it to the room there is
        ),
    )


def service_summary(p: Presenter, sessions: list[SessionView]) -> list[Text]:
    """进行3 迟到未签1 完成2/14, fullest first (``FitLine``). 迟到未签: late now, nobody checked in
    yet, the header's count in the header's words; 今日迟到, said when more: with those checked in
    late, whose lateness stays on record (the header said 迟到 0 beside a 今日迟到1 here)."""

    def count(phase: SessionPhase) -> int:
        return sum(s.phase is phase for s in sessions)

    late, today = count(SessionPhase.LATE), sum(s.was_late for s in sessions)
    figures = {"now": count(SessionPhase.NOW), "late": late, "today": today, "done": count(SessionPhase.DONE)}
    figures["total"] = len(sessions)
    if today == late:
        keys = ["summary.services"]
    elif late == 0:
        keys = ["summary.services_late_today", "summary.services_late_today_short"]
    else:
        keys = ["summary.services_late_both", "summary.services_late_both_short"]
    return [p.summary_line(3, "panel.services", p.t(key).format(**figures), alarm=late > 0) for key in keys]


def service_detail_line(
    p: Presenter, audience: Audience | None, upcoming: ServiceSession | None, now: datetime
) -> list[Text]:
    """下一场 10:00 智能手机与反诈课堂  只看一老, and shorter versions: the title cut, the time and filter whole."""
    versions: list[Text] = []
    for title_cells in NEXT_TITLE_CELLS:
        text = Text()
        if upcoming is not None:
            day = "" if upcoming.day == now.date() else p.t("weekdays").split()[upcoming.day.weekday()] + " "
            when = f"{day}{upcoming.start:%H:%M}"
            title = literal(upcoming.title, max_cells=title_cells).plain
            text.append(p.t("services.next").format(when=when, title=title))
        else:
            text.append(p.t("services.none_next"), style="dim")
        if audience is not None:
            text.append("  " + p.t("services.only").format(label(audience, p.lang)), style="bold cyan")
        if not versions or text.plain != versions[-1].plain:
            versions.append(text)
    return versions


def service_detail(
    p: Presenter,
    view: SessionView,
    households: list[Household],
    *,
    reveal: bool,
    schedule: ServiceSchedule | None = None,
    names: dict[str, str] | None = None,
) -> DetailContent:
    s = view.session
    served = [
        literal(f"{household_address(h)}  {h.head_name if reveal else mask_name(h.head_name)}") for h in households
    ]
    fields = [
        (p.t("col.service"), Text(label(s.kind, p.lang))),
        (p.t("col.time"), Text(f"{s.day} {s.start:%H:%M}-{s.end:%H:%M}")),
        (p.t("col.place"), literal(f"{view.community} {s.place}")),
        (p.t("col.state"), Text(label(view.phase, p.lang), style=PHASE_STYLE[view.phase])),
        (p.t("detail.staff"), literal("、".join(s.staff) or p.t("empty.none"))),
    ]
    if schedule is not None:
        when = label(schedule.recurrence, p.lang)
        if schedule.weekdays:
            days = p.t("weekdays").split()
            when += " " + "、".join(days[d] for d in sorted(schedule.weekdays))
        fields.append((p.t("form.recurrence"), Text(when)))
    if s.checked_in_at:
        fields.append((p.t("services.checked_in"), Text(f"{s.checked_in_at:%H:%M}")))
    if s.served is not None:
        fields.append((p.t("services.served"), Text(str(s.served))))
    if s.cancelled_at:
        fields.append((p.t("services.cancelled_at"), Text(f"{s.cancelled_at:%H:%M}")))
    if s.cancel_reason:
        fields.append((p.t("services.reason"), literal(s.cancel_reason)))
    if s.updated_by:
        fields.append((p.t("detail.updated_by"), literal(s.updated_by)))
    sections = [(p.t("detail.households"), served)] if served else []
    if schedule is not None and schedule.history:
        sections.append((p.t("services.changes"), [history_line(p, e, names) for e in schedule.history[-5:]]))
    # p only where a household is named: a 护学岗 or a class has nothing to reveal
    return p.detail(s.title, fields, sections, subject=f"services:{s.id}" if served else "", reveal=reveal)
