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
from store.market import FeeRules, FeeTotals, StallView, fen_to_yuan
from store.masking import mask_name, mask_phone
from store.metrics import Rates
from store.models import (
    Audience,
    FeeReduction,
    GridWorker,
    Household,
    PermitStatus,
    Petition,
    PetitionStatus,
    ServiceSchedule,
    ServiceSession,
    SpecialTag,
    StallPayment,
)
from store.queries import (
    CommunityProgress,
    GridProgress,
    Headline,
    PetitionView,
    SessionView,
    SortOrder,
)
from store.schedule import SessionPhase
from store.text import display_safe
from store.visiting import HouseholdVisit, RosterEntry, WorkerDay
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
COMMUNITY_ROW = "community:"  # row keys of the community rows on the visits panel


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

    def petition_detail(self, petition: Petition, community: str, grid: str, *, reveal: bool,
                        household: Household | None = None) -> DetailContent:
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
            *([(self.t("detail.household"), literal(
                f"{household.building}-{household.unit}-{household.room} "
                f"{household.head_name if reveal else mask_name(household.head_name)}"))] if household else []),
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

    def tag_marks(self, counts: dict[SpecialTag, int], ascii_only: bool = False) -> Text:
        """●3●1 in the wall-map colours (R3Y1 where colour may not show)."""
        marks = Text()
        for tag in SpecialTag:
            count = counts.get(tag, 0)
            if count:
                marks.append(f"{tag.colour[0].upper() if ascii_only else '●'}{count}", style=TAG_STYLE[tag])
        return marks

    def visit_row(self, progress: GridProgress, ascii_only: bool = False, *, flat: bool = False) -> Row:
        """A grid's progress under its community's row; ``flat`` (least-progress order) names the
        community instead of indenting."""
        style = "green" if progress.ratio >= 1 else "yellow" if progress.ratio >= 0.5 else "red"
        indent = "" if flat else " " * (progress.depth + 1)
        name = f"{short_community(progress.community)}·{progress.grid.name}" if flat else progress.grid.name
        return Row(
            progress.grid.id,
            (
                literal(indent + name, style="bold" if progress.depth == 0 and not flat else "", max_cells=14),
                progress_bar(progress.ratio, 6, style=style, ascii_only=ascii_only),
                Text(f"{progress.visited}/{progress.planned}", justify="right"),
                self.tag_marks(progress.special_unvisited, ascii_only),
            ),
        )

    def community_row(self, progress: CommunityProgress, ascii_only: bool = False) -> Row:
        style = "green" if progress.ratio >= 1 else "yellow" if progress.ratio >= 0.5 else "red"
        return Row(
            f"{COMMUNITY_ROW}{progress.community_id}",
            (
                literal(progress.name, style="bold underline", max_cells=14),
                progress_bar(progress.ratio, 6, style=style, ascii_only=ascii_only),
                Text(f"{progress.visited}/{progress.planned}", justify="right", style="bold"),
                self.tag_marks(progress.special_unvisited, ascii_only),
            ),
        )

    def visit_summary(self, headline: Headline, special_left: int) -> Text:
        return self._summary(2, "panel.visits", self.t("summary.visits").format(
            visited=headline.visited, planned=headline.planned, special=special_left
        ), alarm=False)

    def legend(self, ascii_only: bool = False) -> Text:
        """The 一图全览 colour key: red 独居, yellow 残疾, blue 行动不便, green 孤寡."""
        text = Text()
        for tag in SpecialTag:
            text.append(f"{tag.colour[0].upper() + ':' if ascii_only else '●'}{label(tag, self.lang)} ", style=TAG_STYLE[tag])
        return text

    def visit_detail_line(self, *, least_first: bool, special_only: bool, out: int, expected: int,
                          ascii_only: bool = False) -> Text:
        text = self.legend(ascii_only)
        text.append(" " + self.t("visits.out").format(out=out, total=expected))
        if least_first:
            text.append("  " + self.t("visits.sorted_least"), style="cyan")
        if special_only:
            text.append("  " + self.t("visits.special_only"), style="bold cyan")
        return text

    def team_line(self, workers: list[GridWorker], *, reveal: bool) -> Text:
        text = Text()
        for worker in workers:
            phone = worker.phone if reveal else mask_phone(worker.phone)
            text.append(display_safe(f"{label(worker.role, self.lang)} {worker.name} {phone}  "))
        return text

    def household_columns(self) -> list[str]:
        return [self.t(k) for k in ("col.address", "col.head", "col.tags", "col.visitor", "col.today", "col.note")]

    def household_row(self, row: HouseholdVisit, *, reveal: bool, ascii_only: bool = False) -> Row:
        h = row.household
        tags = Text()
        for tag in h.tags:
            tags.append(f"{tag.colour[0].upper() + ':' if ascii_only else '●'}{label(tag, self.lang)} ", style=TAG_STYLE[tag])
        if row.visit is not None:
            today = Text(self.t("visits.done_at").format(f"{row.visit.at:%H:%M}"), style="green")
        elif row.planned:
            today = Text(self.t("visits.waiting"), style="bold red" if h.tags else "yellow")
        else:
            today = Text(self.t("visits.not_planned"), style="dim")
        return Row(h.id, (
            literal(f"{h.building}-{h.unit}-{h.room}"),
            literal(h.head_name if reveal else mask_name(h.head_name)),
            tags,
            literal(row.worker.name if row.worker else ""),
            today,
            literal(row.visit.note if row.visit else "", style="dim", max_cells=30),
        ))

    def households_header(self, progress: GridProgress | None, workers: list[GridWorker], *, reveal: bool,
                          special_only: bool, ascii_only: bool = False) -> Text:
        text = Text()
        if progress is not None:
            text.append(self.t("visits.progress").format(visited=progress.visited, planned=progress.planned) + "  ")
        text.append_text(self.legend(ascii_only))
        if special_only:
            text.append("  " + self.t("visits.special_only"), style="bold cyan")
        text.append("\n")
        text.append_text(self.team_line(workers, reveal=reveal))
        text.append("\n")
        text.append(self.t("detail.revealed") if reveal else self.t("detail.masked_hint").format(key="p"), style="dim")
        return text

    def roster_columns(self) -> list[str]:
        return [self.t(k) for k in ("col.grid", "col.role", "col.name", "col.phone", "col.households", "col.tags")]

    def roster_rows(self, entries: list[RosterEntry], *, reveal: bool, ascii_only: bool = False) -> list[Row]:
        """一表全清: each grid, then its people, down the tree."""
        rows = []
        for entry in entries:
            indent = "  " * entry.depth
            rows.append(Row(entry.grid.id, (
                literal(f"{indent}{entry.grid.name}", style="bold" if entry.depth == 0 else ""),
                Text(label(entry.grid.level, self.lang), style="dim"),
                Text(""), Text(""),
                Text(str(entry.households), justify="right"),
                self.tag_marks(entry.special, ascii_only),
            )))
            for worker in entry.workers:
                rows.append(Row(worker.id, (
                    Text(""),
                    Text(label(worker.role, self.lang)),
                    literal(worker.name),
                    literal(worker.phone if reveal else mask_phone(worker.phone)),
                    Text(""), Text(""),
                )))
        return rows

    def roster_header(self, community: str, entries: list[RosterEntry], *, reveal: bool, ascii_only: bool = False) -> Text:
        people = sum(len(e.workers) for e in entries)
        text = Text(self.t("roster.summary").format(community=community, grids=len(entries), people=people) + "  ")
        text.append_text(self.legend(ascii_only))
        text.append("\n")
        text.append(self.t("detail.revealed") if reveal else self.t("detail.masked_hint").format(key="p"), style="dim")
        return text

    def worker_columns(self) -> list[str]:
        return [self.t(k) for k in ("col.name", "col.role", "col.grid", "col.visited", "col.last_visit")]

    def worker_rows(self, days: list[WorkerDay]) -> list[Row]:
        rows = []
        for day in days:
            style = "" if day.out else "bold yellow"
            rows.append(Row(day.worker.id, (
                literal(day.worker.name, style=style),
                Text(label(day.worker.role, self.lang)),
                literal(day.grid, max_cells=14),
                Text(f"{day.visited}/{day.planned}", justify="right", style=style),
                Text(f"{day.last_visit:%H:%M}" if day.last_visit else self.t("workers.none_yet"), style=style or "dim"),
            )))
        return rows

    def workers_header(self, days: list[WorkerDay]) -> Text:
        out = sum(d.out for d in days)
        return Text(self.t("workers.summary").format(out=out, total=len(days), idle=len(days) - out))

    # -- 一老一小 ------------------------------------------------------------------

    def service_columns(self) -> list[str]:
        return [self.t(k) for k in ("col.time", "col.state", "col.service", "col.place")]

    def service_row(self, view: SessionView) -> Row:
        s = view.session
        audience = self.t(f"audience.short.{s.kind.audience.value}")
        state = Text(label(view.phase, self.lang), style=PHASE_STYLE[view.phase])
        if view.phase is SessionPhase.DONE and s.served is not None:
            state.append(self.t("services.served_short").format(s.served), style="dim")
        return Row(
            s.id,
            (
                Text(f"{s.start:%H:%M}", style="dim" if view.phase is SessionPhase.DONE else ""),
                state,
                literal(f"{audience} {s.title}", max_cells=13),  # a third of 120 columns shows it whole
                literal(short_community(view.community), max_cells=8),
            ),
        )

    def service_summary(self, sessions: list[SessionView]) -> Text:
        count = lambda phase: sum(s.phase is phase for s in sessions)
        late = count(SessionPhase.LATE)
        return self._summary(3, "panel.services", self.t("summary.services").format(
            now=count(SessionPhase.NOW), late=late, done=count(SessionPhase.DONE), total=len(sessions)
        ), alarm=late > 0)

    def service_detail_line(self, audience: Audience | None, upcoming: ServiceSession | None, now: datetime) -> Text:
        text = Text()
        if upcoming is not None:
            when = f"{upcoming.start:%H:%M}" if upcoming.day == now.date() else \
                f"{self.t('weekdays').split()[upcoming.day.weekday()]} {upcoming.start:%H:%M}"
            text.append(self.t("services.next").format(when=when, title=display_safe(upcoming.title)))
        else:
            text.append(self.t("services.none_next"), style="dim")
        if audience is not None:
            text.append("  " + self.t("services.only").format(self.t(f"audience.{audience.value}")), style="bold cyan")
        return text

    def service_detail(self, view: SessionView, households: list[Household], *, reveal: bool,
                       schedule: ServiceSchedule | None = None) -> DetailContent:
        s = view.session
        served = [
            literal(f"{h.building}-{h.unit}-{h.room}  {h.head_name if reveal else mask_name(h.head_name)}")
            for h in households
        ]
        fields = [
            (self.t("col.service"), Text(label(s.kind, self.lang))),
            (self.t("col.time"), Text(f"{s.day} {s.start:%H:%M}-{s.end:%H:%M}")),
            (self.t("col.place"), literal(f"{view.community} {s.place}")),
            (self.t("col.state"), Text(label(view.phase, self.lang), style=PHASE_STYLE[view.phase])),
            (self.t("detail.staff"), literal("、".join(s.staff) or self.t("empty.none"))),
        ]
        if schedule is not None:
            when = label(schedule.recurrence, self.lang)
            if schedule.weekdays:
                names = self.t("weekdays").split()
                when += " " + "、".join(names[d] for d in sorted(schedule.weekdays))
            fields.append((self.t("services.recurs"), Text(when)))
        if s.checked_in_at:
            fields.append((self.t("services.checked_in"), Text(f"{s.checked_in_at:%H:%M}")))
        if s.served is not None:
            fields.append((self.t("services.served"), Text(str(s.served))))
        if s.cancel_reason:
            fields.append((self.t("services.reason"), literal(s.cancel_reason)))
        if s.updated_by:
            fields.append((self.t("detail.updated_by"), literal(s.updated_by)))
        return DetailContent(
            title=s.title,
            fields=fields,
            sections=[(self.t("detail.households"), served)] if served else [],
            hint=self.t("detail.revealed") if reveal else self.t("detail.masked_hint").format(key="p"),
            subject=f"services:{s.id}",
        )

    # -- stalls ----------------------------------------------------------------------

    def stall_columns(self) -> list[str]:
        # Most decisive first, so a narrow panel still shows permit, today and arrears.
        return [self.t(k) for k in ("col.stall", "col.permit", "col.arrears", "col.today", "col.holder", "col.fee_due",
                                    "col.goods")]

    def stall_row(self, view: StallView) -> Row:
        stall = view.stall
        holder = mask_name(stall.holder_name) if stall.holder_name else self.t("stall.no_holder")
        permit = Text("")
        if view.permit_status is not None and stall.holder_name:  # a vacant spot's old permit is history
            bad = view.permit_status in (PermitStatus.SUSPENDED, PermitStatus.EXPIRED)
            waiting = view.permit_status in (PermitStatus.APPLIED, PermitStatus.APPROVED)
            permit = Text(label(view.permit_status, self.lang), style="bold red" if bad else "cyan" if waiting else "")
        arrears = Text(self.t("money.yuan").format(fen_to_yuan(view.arrears_fen, cents="auto")), style="bold red") \
            if view.arrears_fen else Text("")
        fee = Text(fen_to_yuan(view.due_fen, cents="auto") if view.due_fen else "-", justify="right")
        if stall.reduction is not FeeReduction.NONE:
            fee.append(self.t(f"reduction.mark.{stall.reduction.value}"), style="bold magenta")
        today = Text(self.t("stall.occupied"), style="bold green") if view.occupied else Text(self.t("stall.vacant"), style="dim")
        return Row(
            stall.id,
            (
                literal(f"{stall.market[:1]}{stall.number:02d}", style="bold"),
                permit,
                arrears,
                today,
                literal(holder, style="dim" if not stall.holder_name else ""),
                fee,
                literal(stall.goods, max_cells=12),
            ),
        )

    def stall_summary(self, stalls: list[StallView]) -> Text:
        return self._summary(4, "panel.stalls", self.t("summary.stalls").format(
            occupied=sum(v.occupied for v in stalls),
            total=len(stalls),
            arrears=sum(v.arrears_fen > 0 for v in stalls),
        ), alarm=False)

    def fees_line(self, totals: FeeTotals, rules: FeeRules) -> Text:
        """收费 本月¥2,686 今年¥32,504 累计¥153,992 · 减免 残疾人50% 退役军人30%"""
        def yuan(fen: int) -> str:
            whole, _, cents = fen_to_yuan(fen).partition(".")
            return f"¥{int(whole):,}" + ("" if cents == "00" else f".{cents}")

        text = Text(self.t("fees.line").format(month=yuan(totals.month_fen), year=yuan(totals.year_fen),
                                               total=yuan(totals.to_date_fen)))
        reductions = " ".join(
            f"{self.t('reduction.short.' + r.value)}{rules.percent_off(r)}%" for r in FeeReduction if r is not FeeReduction.NONE
        )
        text.append(f"  {self.t('fees.reductions')} {reductions}", style="dim")
        return text

    def stall_detail(self, view: StallView, payments: list[StallPayment], *, reveal: bool) -> DetailContent:
        stall = view.stall
        holder = stall.holder_name if reveal else mask_name(stall.holder_name)
        phone = (stall.holder_phone or "") if reveal else mask_phone(stall.holder_phone)
        reduction = f" ({label(stall.reduction, self.lang)})" if stall.reduction is not FeeReduction.NONE else ""
        fields = [
            (self.t("col.stall"), literal(f"{stall.market} {stall.number}")),
            (self.t("col.holder"), literal(holder or self.t("stall.no_holder"))),
            (self.t("detail.phone"), literal(phone or self.t("empty.none"))),
            (self.t("col.goods"), literal(stall.goods)),
            (self.t("col.permit"), Text(label(view.permit_status, self.lang) if view.permit_status else self.t("empty.none"))),
            (self.t("col.fee"), Text(f"¥{fen_to_yuan(stall.monthly_fee_fen)} → ¥{fen_to_yuan(view.due_fen)}{reduction}")),
            (self.t("col.arrears"), Text(f"¥{fen_to_yuan(view.arrears_fen)} " + " ".join(view.unpaid_periods))),
        ]
        if view.permit is not None and view.permit.expires_on:
            fields.append((self.t("stall.expires"), Text(f"{view.permit.expires_on}")))
        sections = []
        if view.permit is not None and view.permit.history:
            sections.append((self.t("stall.permit_history"), [
                literal(f"{e.at:%Y-%m-%d} {self.t('PermitAction.' + e.action) if e.action != 'apply' else self.t('stall.applied')} "
                        f"→ {label(e.to_status, self.lang)}  [{e.actor}] {e.note}")
                for e in view.permit.history
            ]))
        recent = sorted(payments, key=lambda p: p.paid_at, reverse=True)[:6]
        if recent:
            sections.append((self.t("detail.payments"), [
                literal(f"{p.period}  ¥{fen_to_yuan(p.amount_fen)}  {p.paid_at:%Y-%m-%d}  {p.collector}") for p in recent
            ]))
        return DetailContent(
            title=f"{stall.market} {stall.number}",
            fields=fields,
            sections=sections,
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
