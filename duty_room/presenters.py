"""Turn query results from store/ into the words, colours and rows the widgets show. Store text goes
through ``literal`` (never markup or terminal control); personal data is masked unless ``reveal=True``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from rich.text import Text

from duty_room import words
from duty_room.words import Lang, label
from store.clock import as_local
from store.dutylog import DutyStatus
from store.masking import mask_name
from store.models import FieldChange, Grid, GridWorker, Household, RosterEvent, ServiceSchedule, SpecialTag
from store.queries import Headline
from store.schedule import SessionPhase
from store.text import display_safe
from store.values import valueclass
from store.visiting import household_address as household_address  # the CLI shares it (no Textual)
from widgets.keyed_table import ellipsize
from widgets.specs import DetailContent

TAG_STYLE = {
    SpecialTag.LIVING_ALONE: "bold red",
    SpecialTag.DISABLED: "bold bright_yellow",  # a yellow in every theme (duty_room/terminal.py: WALL_MAP_DARK)
    SpecialTag.LIMITED_MOBILITY: "bold blue",
    SpecialTag.CHILDLESS_ELDERLY: "bold green",
}
PHASE_STYLE = {
    SessionPhase.CHECKED_IN: "green",
    SessionPhase.NOW: "bold green",
    SessionPhase.ENDED: "bold yellow",  # to be marked 完成
    SessionPhase.NEXT: "bold cyan",
    SessionPhase.LATER: "",
    SessionPhase.LATE: "bold red reverse",
    SessionPhase.DONE: "dim",
    SessionPhase.CANCELLED: "dim strike",
}


def literal(value: str, style: str = "", max_cells: int | None = None) -> Text:
    """Stored text, shown exactly as typed (no markup, no control sequences)."""
    text = Text(display_safe(value), style=style, no_wrap=True)
    if max_cells is not None:
        ellipsize(text, max_cells)  # the … right after the text, not after a space Rich pads a wide character with
    return text


NAMED_BY_ID = frozenset({"grid_id", "community_id"})  # shown by name where the caller knows it
MASKED_NAMES = frozenset({"head_name"})  # a resident's name: masked until revealed (a worker's is not)
# A roster change shows the values that are plain text (an enum's key, an id: its field's name says enough).
HISTORY_VALUES = frozenset(
    {
        "name",
        "phone",
        "building",
        "unit",
        "room",
        "head_name",
        "members",
        "title",
        "place",
        "start",
        "end",
        "staff",
        "starts_on",
        "ends_on",
    }
)


def last_change(
    p: Presenter, record: GridWorker | Household | ServiceSchedule, names: Mapping[str, str] | None = None
) -> str:
    """A roster record's latest change in one line, for a form it was changed under while open."""
    if record.history:
        return history_line(p, record.history[-1], names, reveal=False).plain
    return f"{record.updated_at:%m-%d %H:%M} {display_safe(record.updated_by or '')}" if record.updated_at else ""


def history_line(
    p: Presenter, event: RosterEvent, names: Mapping[str, str] | None = None, *, reveal: bool = True
) -> Text:
    """11-28 09:30 duty-officer 修改：电话 138****1234→139****5678、网格 1号楼1单元→1号楼2单元 (表格导入):
    who changed what, from what to what; ids by ``names``; not ``reveal``-ed, a head's name masked."""
    names = names or {}
    text = Text(f"{event.at:%m-%d %H:%M} ", style="dim")
    text.append_text(literal(event.actor))
    text.append(" " + p.t(f"history.{event.action}"))
    if event.changes:
        text.append(
            p.t("punct.colon") + p.t("punct.list").join(change_words(p, c, names, reveal=reveal) for c in event.changes)
        )
    if event.plans:
        if event.plans_to:
            words = p.t("history.plans_to").format(n=event.plans, to=names.get(event.plans_to, event.plans_to))
        else:
            words = p.t("history.plans_dropped").format(n=event.plans)
        text.append(display_safe(words), style="dim")  # the words bring their own space (none before （)
    if event.note == "import":
        text.append(p.t("history.imported"), style="dim")
    elif event.note:
        text.append(" " + display_safe(event.note), style="italic")
    return text


def change_words(p: Presenter, change: FieldChange, names: Mapping[str, str], *, reveal: bool = True) -> str:
    name = p.t(f"history.field.{change.name}")
    before, after = change.before, change.after
    if change.name in NAMED_BY_ID and before in names and after in names:
        before, after = names[before], names[after]
    elif change.name not in HISTORY_VALUES:
        return name
    elif change.name in MASKED_NAMES and not reveal:
        before, after = mask_name(before), mask_name(after)
    return display_safe(f"{name} {before or '-'}→{after or '-'}")


def short_community(name: str) -> str:
    return name.removesuffix("社区") if name.endswith("社区") and len(name) > 3 else name


def due_clock(due: datetime, now: datetime) -> str:
    """When something is due, as a clock time: it stays put, where a countdown would repaint every minute."""
    due = as_local(due)
    return f"{due:%H:%M}" if due.date() == as_local(now).date() else f"{due:%m-%d %H:%M}"


def duration(delta: timedelta, lang: Lang, *, minutes_shown: bool = True) -> str:
    """3天 / 5时 / 12分. Without ``minutes_shown`` under an hour is "<1时": a cell changing every minute
    costs bytes on a slow link for no decision it informs."""
    minutes = int(abs(delta).total_seconds() // 60)
    if minutes < 60:
        if not minutes_shown:
            return words.t("age.under_hour", lang)
        return words.t("age.minutes", lang).format(minutes)
    if minutes < 48 * 60:
        return words.t("age.hours", lang).format(minutes // 60)
    return words.t("age.days", lang).format(minutes // (24 * 60))


COUNTS = 5  # the header's counts: open, overdue, due today, late sessions, stalls in arrears
HEADER_COUNT_KEYS = ("header.open", "header.overdue", "header.due_today", "header.late", "header.arrears")
CLOCK_WIDTH = 5  # the header's clock, 09:30 (#clock in app.tcss)
TITLE_PARTS = ("year", "weekday", "room")
# What gives way in the header, in order, before any count: each step turns one part off.
HEADER_STEPS = ("visits", "on_duty", "short", "year", "weekday", "room", "due")


NOT_YET = "…"  # a figure not read yet (the first frame's header: the visits, late sessions, arrears)


def _header_numbers(headline: Headline) -> tuple[int | None, ...]:
    return (headline.open, headline.overdue, headline.due_today, headline.late_sessions, headline.arrears_holders)


def _figure(number: int | None) -> str:
    return NOT_YET if number is None else str(number)


@valueclass
@dataclass(frozen=True, eq=False, repr=False)
class Presenter:
    lang: Lang
    # The keys a ``[keymap]`` moved, by binding id, as the Footer shows them (``{"detail.reveal": "f9"}``).
    remapped: Mapping[str, str] = field(default_factory=dict)
    reveals: bool = True  # False: p is never granted here (a read-only desk, one not permitted), nor offered

    def t(self, key: str) -> str:
        return words.t(key, self.lang)

    def key(self, binding_id: str, written: str) -> str:
        """The key of ``binding_id`` in a hint: ``written`` (the default), or the key a keymap put there."""
        return self.remapped.get(binding_id, written)

    def mask_hint(self, reveal: bool, *, where: str = "detail") -> str:
        """Under personal data: it is shown, or how to reveal it (``where``: "detail" or "list")."""
        if reveal:
            return self.t("detail.revealed")
        if not self.reveals:
            return self.t("detail.masked")
        return self.t("detail.masked_hint").format(key=self.key(f"{where}.reveal", "p"))

    def detail(
        self,
        title: str,
        fields: Sequence[tuple[str, Text]],
        sections: Sequence[tuple[str, Sequence[Text]]] = (),
        *,
        subject: str = "",
        reveal: bool = False,
    ) -> DetailContent:
        """A record's detail. ``subject`` (what ``p`` reveals, as the audit names it) only where something
        personal is masked, the hint under it saying so: a record with nothing personal offers no ``p``."""
        return DetailContent(title, fields, sections, self.mask_hint(reveal) if subject else "", subject)

    # -- header --------------------------------------------------------------------------

    # Three pieces, so that the clock's tick repaints five characters, not the whole line.

    def header(
        self,
        headline: Headline,
        actor: str,
        now: datetime,
        *,
        width: int,
        duty: DutyStatus | None = None,
        read_only: bool = False,
    ) -> tuple[Text, Text]:
        """The header's title and counts, beside the clock, in ``width`` cells.

        The counts that need action stay whole: what is less needed gives way first, a step at a
        time (``HEADER_STEPS``); only then whole counts, never a label cut from its number (zeros
        first, then 未结, then the rest from the last). With an incident open its next report's due
        time comes first: the one clock a higher office holds the township to."""
        given = {"visits": True, "on_duty": True, "short": False, "year": True, "weekday": True, "room": True}
        given["due"] = True
        versions: list[tuple[Text, Text]] = []
        kept = list(range(COUNTS))
        numbers = _header_numbers(headline)

        def add() -> None:
            title = self._header_title(headline, now, read_only=read_only, **{k: given[k] for k in TITLE_PARTS})
            counts = self._header_counts(
                headline,
                actor,
                duty,
                now,
                kept=tuple(kept),
                **{k: given[k] for k in ("visits", "on_duty", "short", "due")},
            )
            versions.append((title, counts))

        add()
        for step in HEADER_STEPS:
            given[step] = not given[step]
            add()
        zero = [i for i in reversed(range(COUNTS)) if not numbers[i]]  # at zero, or not read yet
        for i in [*zero, 0, *(i for i in reversed(range(COUNTS)) if numbers[i])]:
            if i in kept:
                kept.remove(i)
                add()
        room = width - CLOCK_WIDTH
        for title, counts in versions:
            if title.cell_len + counts.cell_len <= room:
                return title, counts
        return versions[-1]

    def _header_title(
        self, headline: Headline, now: datetime, *, read_only: bool, year: bool, weekday: bool, room: bool
    ) -> Text:
        text = Text()
        township = display_safe(headline.township)
        name = self.t("header.township").format(township) if room or not township else township
        text.append(f" {name} ", style="bold reverse")
        if read_only:
            text.append(f" {self.t('readonly.badge')} ", style="bold black on yellow")
        day = f"{now:%Y-%m-%d}" if year else f"{now:%m-%d}"
        if weekday:
            day += " " + self.t("weekdays").split()[now.weekday()]
        text.append(f" {day} ", style="bold")
        return text

    def header_clock(self, now: datetime) -> Text:
        return Text(f"{now:%H:%M}", style="bold")

    def _header_counts(
        self,
        headline: Headline,
        actor: str,
        duty: DutyStatus | None,
        now: datetime,
        *,
        on_duty: bool,
        visits: bool,
        short: bool,
        due: bool,
        kept: tuple[int, ...],
    ) -> Text:
        text = Text()
        if duty is not None and duty.next_report is not None:
            incident, slot = duty.next_report
            if slot.due is not None:
                late = slot.due < now
                stage = words.cell(slot.stage, self.lang) if short else label(slot.stage, self.lang)
                key = ("header.report_late" if due else "header.report_late_short") if late else "header.report_due"
                said = self.t(key).format(stage=stage, due=due_clock(slot.due, now))
                text.append(f" {said} ", style="bold white on red" if late else "bold yellow")
        if on_duty:
            text.append("  " + self.t("header.on_duty").format(display_safe(headline.on_duty_leader) or "-"))
            if headline.on_duty_count > 1:
                text.append(self.t("header.on_duty_more").format(headline.on_duty_count))
            if duty is not None:
                text.append(self.t("header.handover").format(f"{duty.next_handover:%H:%M}"), style="dim")
            text.append(f" [{display_safe(actor)}]", style="dim")
        numbers = _header_numbers(headline)
        styles = ("", "bold red", "bold yellow", "bold red", "")
        shown = [
            (f"{self.t(HEADER_COUNT_KEYS[i])} {_figure(numbers[i])}", styles[i] if numbers[i] else "")
            for i in range(COUNTS)
            if i in kept
        ]
        if visits:  # only with every count (the first to give way): set apart by a second space
            done = NOT_YET if headline.visited is None else f"{headline.visited}/{headline.planned}"
            shown.insert(3, (f" {self.t('header.visits')} {done}", ""))
        text.append("  " if shown else "")
        for i, (said, style) in enumerate(shown):
            text.append(said if i == len(shown) - 1 else said + " ", style=style)
        return text

    def summary_line(self, number: int, title_key: str, body: str, *, alarm: bool) -> Text:
        text = Text()
        text.append(f"{number} {self.t(title_key)} ", style="bold")
        text.append(body, style="bold red" if alarm else "")
        return text


def grid_words(grids: Mapping[str, Grid], communities: Mapping[str, str], grid_id: str) -> str:
    """A grid named with its community (东城花园社区 第一大网格): its own name is its community's only."""
    grid = grids.get(grid_id)
    if grid is None:
        return grid_id
    return f"{communities.get(grid.community_id, grid.community_id)} {grid.name}"
