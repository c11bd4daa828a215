"""Turn query results from store/ into the words, colours and rows the widgets show.

All text from the store goes through ``literal``: shown as typed, never as markup or
terminal control. Personal data is masked here unless the caller passes ``reveal=True``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from rich.text import Text

from store import i18n
from store.i18n import Lang, label
from store.masking import mask_name, mask_phone
from store.metrics import Rates
from store.models import GridWorker, Household, Petition, PetitionStatus, ServiceSession, SpecialTag
from store.queries import (
    GridProgress,
    Headline,
    PetitionView,
    SessionPhase,
    SessionView,
    SortOrder,
    StallView,
    fen_to_yuan,
    monthly_due_fen,
)
from store.text import display_safe
from widgets.bar import progress_bar
from widgets.detail import DetailContent
from widgets.keyed_table import Row

TAG_STYLE = {
    SpecialTag.LIVING_ALONE: "bold red",
    SpecialTag.DISABLED: "bold yellow",
    SpecialTag.LIMITED_MOBILITY: "bold blue",
    SpecialTag.CHILDLESS_ELDERLY: "bold green",
}
PHASE_STYLE = {
    SessionPhase.NOW: "bold green",
    SessionPhase.NEXT: "bold cyan",
    SessionPhase.LATER: "",
    SessionPhase.LATE: "bold red reverse",
    SessionPhase.DONE: "dim",
    SessionPhase.CANCELLED: "dim strike",
}
TITLE_CELLS = 22


def literal(value: str, style: str = "", max_cells: int | None = None) -> Text:
    """Stored text, shown exactly as typed (no markup, no control sequences)."""
    text = Text(display_safe(value), style=style, no_wrap=True)
    if max_cells is not None:
        text.truncate(max_cells, overflow="ellipsis")
    return text


def short_community(name: str) -> str:
    return name.removesuffix("社区") if name.endswith("社区") and len(name) > 3 else name


def duration(delta: timedelta, lang: Lang, *, minutes_shown: bool = True) -> str:
    """3天 / 5时 / 12分. Without ``minutes_shown`` anything under an hour is "<1时": a cell that
    changes every minute costs bytes every minute on a slow link, for no decision it informs."""
    minutes = int(abs(delta).total_seconds() // 60)
    if minutes < 60:
        if not minutes_shown:
            return i18n.t("age.under_hour", lang)
        return i18n.t("age.minutes", lang).format(minutes)
    if minutes < 48 * 60:
        return i18n.t("age.hours", lang).format(minutes // 60)
    return i18n.t("age.days", lang).format(minutes // (24 * 60))


@dataclass(frozen=True)
class Presenter:
    lang: Lang

    def t(self, key: str) -> str:
        return i18n.t(key, self.lang)

    # -- petitions -----------------------------------------------------------

    def petition_columns(self) -> list[str]:
        # Most decisive first, so a narrow screen still shows status and due time.
        keys = ["col.id", "col.status", "col.due", "col.title", "col.category", "col.community", "col.level", "col.age"]
        return [self.t(k) for k in keys]

    def petition_row(self, view: PetitionView) -> Row:
        p = view.petition
        urgency = "bold red" if view.overdue else "bold yellow" if view.due_today else ""
        if p.status is PetitionStatus.RESOLVED:
            due = Text(self.t("due.done"), style="dim")
        elif view.overdue:
            due = Text(self.t("due.overdue").format(duration(view.due_in, self.lang)), style="bold red")
        else:
            due = Text(self.t("due.left").format(duration(view.due_in, self.lang)), style=urgency)
        return Row(
            p.id,
            (
                Text(p.id, style=urgency),
                Text(label(p.status, self.lang), style=urgency or "cyan"),
                due,
                literal(p.title, max_cells=TITLE_CELLS),
                Text(label(p.category, self.lang)),
                literal(short_community(view.community)),
                Text(label(p.level, self.lang)),
                Text(duration(view.age, self.lang, minutes_shown=False), style="dim"),
            ),
        )

    def petition_summary(self, headline: Headline, *, shown: int, order: SortOrder, filtered: bool) -> Text:
        text = self._summary(1, "panel.petitions", self.t("summary.petitions").format(
            open=headline.open, overdue=headline.overdue, due_today=headline.due_today
        ), alarm=headline.overdue > 0)
        if order is not SortOrder.URGENCY:
            text.append("  " + self.t("sort.label").format(label(order, self.lang)), style="cyan")
        if filtered:
            text.append("  " + self.t("filter.shown").format(shown=shown, total=headline.open), style="bold cyan")
        return text

    def metrics_line(self, windows: list[Rates]) -> Text:
        """响应率 / 解决率 / 满意率 for today, 7 and 30 days, e.g. 响应率 今日100% 7天92% 30天90%."""
        def rate(pick: str) -> str:
            return " ".join(
                f"{self.t('metrics.window.' + w.window)}{getattr(w, pick).percent()}" for w in windows
            )

        return Text(self.t("metrics.line").format(r=rate("response"), s=rate("solution"), f=rate("satisfaction")),
                    style="dim")

    def petition_detail(self, petition: Petition, community: str, grid: str, *, reveal: bool) -> DetailContent:
        name = petition.reporter_name if reveal else mask_name(petition.reporter_name)
        phone = (petition.reporter_phone or "") if reveal else mask_phone(petition.reporter_phone)
        fields = [
            (self.t("col.id"), Text(petition.id)),
            (self.t("col.title"), literal(petition.title)),
            (self.t("col.status"), Text(label(petition.status, self.lang), style="bold")),
            (self.t("col.category"), Text(label(petition.category, self.lang))),
            (self.t("detail.priority"), Text(label(petition.priority, self.lang))),
            (self.t("detail.channel"), Text(label(petition.channel, self.lang))),
            (self.t("col.level"), Text(label(petition.level, self.lang))),
            (self.t("col.community"), literal(" ".join(x for x in (community, grid) if x))),
            (self.t("col.assignee"), literal(petition.assignee or self.t("empty.none"))),
            (self.t("detail.reporter"), literal(name or self.t("empty.none"))),
            (self.t("detail.phone"), literal(phone or self.t("empty.none"))),
            (self.t("detail.created"), Text(f"{petition.created_at:%Y-%m-%d %H:%M}")),
            (self.t("col.due"), Text(f"{petition.due_at:%Y-%m-%d %H:%M}")),
            (self.t("detail.description"), Text(display_safe(petition.description))),
        ]
        timeline = []
        for event in petition.history:
            move = ""
            if event.from_status and event.to_status:
                move = f" {label(event.from_status, self.lang)} → {label(event.to_status, self.lang)}"
            line = Text(f"{event.at:%m-%d %H:%M} ")
            line.append(self.t(f"action.{event.action}"), style="bold")
            line.append(move)
            line.append(f"  [{display_safe(event.actor)}]", style="dim")
            if event.note:
                line.append(f"  {display_safe(event.note)}", style="italic")
            timeline.append(line)
        return DetailContent(
            title=f"{petition.id}",
            fields=fields,
            sections=[(self.t("detail.history"), timeline)],
            hint=self.t("detail.revealed") if reveal else self.t("detail.masked_hint").format(key="p"),
            subject=f"petitions:{petition.id}",
        )

    # -- grid visits -------------------------------------------------------------

    def visit_columns(self) -> list[str]:
        return [self.t(k) for k in ("col.grid", "col.progress", "col.visited", "col.unvisited_special")]

    def visit_row(self, progress: GridProgress, ascii_only: bool = False) -> Row:
        style = "green" if progress.ratio >= 1 else "yellow" if progress.ratio >= 0.5 else "red"
        indent = " " * progress.depth
        name = progress.grid.name if progress.depth else f"{short_community(progress.community)}·{progress.grid.name}"
        special = Text()
        for tag in SpecialTag:
            count = progress.special_unvisited.get(tag, 0)
            if count:
                special.append(f"●{count}" if not ascii_only else f"{tag.colour[0].upper()}{count}", style=TAG_STYLE[tag])
        return Row(
            progress.grid.id,
            (
                literal(indent + name, style="bold" if progress.depth == 0 else "", max_cells=12),
                progress_bar(progress.ratio, 6, style=style, ascii_only=ascii_only),
                Text(f"{progress.visited}/{progress.planned}", justify="right"),
                special,
            ),
        )

    def visit_summary(self, headline: Headline, special_left: int) -> Text:
        return self._summary(2, "panel.visits", self.t("summary.visits").format(
            visited=headline.visited, planned=headline.planned, special=special_left
        ), alarm=False)

    def grid_detail(
        self, progress: GridProgress, workers: list[GridWorker], unvisited: list[Household], *, reveal: bool
    ) -> DetailContent:
        team = [
            literal(f"{label(w.role, self.lang)}  {w.name}  {w.phone if reveal else mask_phone(w.phone)}")
            for w in workers
        ]
        left = []
        for household in unvisited:
            line = Text()
            for tag in household.tags:
                line.append(f"●{label(tag, self.lang)} ", style=TAG_STYLE[tag])
            head = household.head_name if reveal else mask_name(household.head_name)
            phone = (household.phone or "") if reveal else mask_phone(household.phone)
            line.append(display_safe(f"{household.building}-{household.unit}-{household.room}  {head}  {phone}"))
            left.append(line)
        return DetailContent(
            title=f"{progress.community} {progress.grid.name}",
            fields=[
                (self.t("col.grid"), Text(label(progress.grid.level, self.lang))),
                (self.t("col.visited"), Text(f"{progress.visited}/{progress.planned}")),
                ("", Text(self.t("legend"))),
            ],
            sections=[(self.t("detail.workers"), team), (self.t("detail.unvisited"), left or [Text(self.t("empty.none"))])],
            hint=self.t("detail.revealed") if reveal else self.t("detail.masked_hint").format(key="p"),
            subject=f"grids:{progress.grid.id}",
        )

    # -- 一老一小 ------------------------------------------------------------------

    def service_columns(self) -> list[str]:
        return [self.t(k) for k in ("col.time", "col.service", "col.place", "col.state")]

    def service_row(self, view: SessionView) -> Row:
        s = view.session
        audience = self.t(f"audience.short.{s.kind.audience.value}")
        return Row(
            s.id,
            (
                Text(f"{s.start:%H:%M}", style="dim" if view.phase is SessionPhase.DONE else ""),
                literal(f"{audience} {s.title}", max_cells=14),
                literal(short_community(view.community), max_cells=8),
                Text(label(view.phase, self.lang), style=PHASE_STYLE[view.phase]),
            ),
        )

    def service_summary(self, sessions: list[SessionView]) -> Text:
        count = lambda phase: sum(s.phase is phase for s in sessions)  # noqa: E731
        late = count(SessionPhase.LATE)
        return self._summary(3, "panel.services", self.t("summary.services").format(
            now=count(SessionPhase.NOW), late=late, done=count(SessionPhase.DONE), total=len(sessions)
        ), alarm=late > 0)

    def service_detail(self, view: SessionView, households: list[Household], *, reveal: bool) -> DetailContent:
        s = view.session
        served = [
            literal(f"{h.building}-{h.unit}-{h.room}  {h.head_name if reveal else mask_name(h.head_name)}")
            for h in households
        ]
        return DetailContent(
            title=s.title,
            fields=[
                (self.t("col.service"), Text(label(s.kind, self.lang))),
                (self.t("col.time"), Text(f"{s.day} {s.start:%H:%M}-{s.end:%H:%M}")),
                (self.t("col.place"), literal(f"{view.community} {s.place}")),
                (self.t("col.state"), Text(label(view.phase, self.lang), style=PHASE_STYLE[view.phase])),
                (self.t("detail.staff"), literal("、".join(s.staff) or self.t("empty.none"))),
            ],
            sections=[(self.t("detail.households"), served)] if served else [],
            hint=self.t("detail.revealed") if reveal else self.t("detail.masked_hint").format(key="p"),
            subject=f"services:{s.id}",
        )

    # -- stalls ----------------------------------------------------------------------

    def stall_columns(self) -> list[str]:
        return [self.t(k) for k in ("col.stall", "col.holder", "col.goods", "col.permit", "col.arrears")]

    def stall_row(self, view: StallView) -> Row:
        stall = view.stall
        holder = mask_name(stall.holder_name) if stall.holder_name else self.t("stall.no_holder")
        permit = Text("")
        if view.permit is not None:
            bad = view.permit.status.value in ("suspended", "expired")
            permit = Text(label(view.permit.status, self.lang), style="bold red" if bad else "")
        arrears = Text(self.t("money.yuan").format(fen_to_yuan(view.arrears_fen, cents="auto")), style="bold red") if view.arrears_fen else Text("")
        # The spot number is green when the stall is out today (出摊), dim when empty.
        spot = literal(f"{stall.market[:1]}{stall.number:02d}", style="bold green" if stall.occupied_today else "dim")
        return Row(
            stall.id,
            (
                spot,
                literal(holder, style="dim" if not stall.holder_name else ""),
                literal(stall.goods, max_cells=4),
                permit,
                arrears,
            ),
        )

    def stall_summary(self, stalls: list[StallView]) -> Text:
        return self._summary(4, "panel.stalls", self.t("summary.stalls").format(
            occupied=sum(v.stall.occupied_today for v in stalls),
            total=len(stalls),
            arrears=sum(v.arrears_fen > 0 for v in stalls),
        ), alarm=False)

    def stall_detail(self, view: StallView, *, reveal: bool) -> DetailContent:
        stall = view.stall
        holder = stall.holder_name if reveal else mask_name(stall.holder_name)
        phone = (stall.holder_phone or "") if reveal else mask_phone(stall.holder_phone)
        fields = [
            (self.t("col.stall"), literal(f"{stall.market} {stall.number}")),
            (self.t("col.holder"), literal(holder or self.t("stall.no_holder"))),
            (self.t("detail.phone"), literal(phone or self.t("empty.none"))),
            (self.t("col.goods"), literal(stall.goods)),
            (self.t("col.permit"), Text(label(view.permit.status, self.lang) if view.permit else self.t("empty.none"))),
            (self.t("col.fee"), Text(f"{fen_to_yuan(stall.monthly_fee_fen)} → {fen_to_yuan(monthly_due_fen(stall))} {label(stall.reduction, self.lang)}")),
            (self.t("col.arrears"), Text(f"{fen_to_yuan(view.arrears_fen)} ({view.months_owed})")),
        ]
        return DetailContent(
            title=f"{stall.market} {stall.number}",
            fields=fields,
            hint=self.t("detail.revealed") if reveal else self.t("detail.masked_hint").format(key="p"),
            subject=f"stalls:{stall.id}",
        )

    # -- header --------------------------------------------------------------------------

    # The header is three pieces so that the once-a-minute clock tick repaints five characters,
    # not the whole line.

    def header_title(self, headline: Headline, now: datetime, *, read_only: bool = False) -> Text:
        text = Text()
        text.append(f" {display_safe(headline.township)}{self.t('app.title')} ", style="bold reverse")
        if read_only:
            text.append(f" {self.t('readonly.badge')} ", style="bold black on yellow")
        day = self.t("weekdays").split()[now.weekday()]
        text.append(f" {now:%Y-%m-%d} {day} ", style="bold")
        return text

    def header_clock(self, now: datetime) -> Text:
        return Text(f"{now:%H:%M}", style="bold")

    def header_counts(self, headline: Headline, actor: str, *, compact: bool = False) -> Text:
        """The counts that need action; ``compact`` (narrow screens) drops who is on duty and visits."""
        text = Text()
        if not compact:
            text.append(f"  {self.t('header.on_duty')}:{display_safe(headline.on_duty_leader) or '-'}")
            if headline.on_duty_count > 1:
                text.append(self.t("header.on_duty_more").format(headline.on_duty_count))
            text.append(f" [{display_safe(actor)}]", style="dim")
        text.append(f"  {self.t('header.open')} {headline.open} ")
        text.append(f"{self.t('header.overdue')} {headline.overdue} ", style="bold red" if headline.overdue else "")
        text.append(f"{self.t('header.due_today')} {headline.due_today} ", style="bold yellow" if headline.due_today else "")
        if not compact:
            text.append(f" {self.t('header.visits')} {headline.visited}/{headline.planned} ")
        text.append(f"{self.t('header.late')} {headline.late_sessions} ", style="bold red" if headline.late_sessions else "")
        text.append(f"{self.t('header.arrears')} {headline.arrears_holders}")
        return text

    def _summary(self, number: int, title_key: str, body: str, *, alarm: bool) -> Text:
        text = Text()
        text.append(f"{number} {self.t(title_key)} ", style="bold")
        text.append(body, style="bold red" if alarm else "")
        return text


def session_households(session: ServiceSession, households: dict[str, Household]) -> list[Household]:
    return [households[h] for h in session.household_ids if h in households]
