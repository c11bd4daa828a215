"""Turn query results from store/ into the words, colours and rows the widgets show.

All text from the store goes through ``literal``: shown as typed, never as markup or
terminal control. Personal data is masked here unless the caller passes ``reveal=True``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from rich.text import Text

from duty_room import words
from duty_room.words import Lang, label
from store.clock import as_local
from store.dutylog import DutyStatus
from store.masking import mask_name
from store.models import FieldChange, GridWorker, Household, RosterEvent, ServiceSchedule, SpecialTag
from store.queries import Headline
from store.schedule import SessionPhase
from store.text import display_safe
from widgets.fit_line import first_fit
from widgets.keyed_table import ellipsize

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
        ellipsize(text, max_cells)  # the … right after the text, not after a space Rich pads a wide character with
    return text


# A roster change shows its values where they are plain text (an enum is stored by its key, a grid
# by its id: for those the field's name says enough).
NAMED_BY_ID = frozenset({"grid_id", "community_id"})  # shown by name where the caller knows it
MASKED_NAMES = frozenset({"head_name"})  # a resident's name: masked until revealed (a worker's is not)
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
    """A roster record's latest change in one line (``history_line``, a resident's name masked), for
    a form it was changed under while open; without a history (an import), when and by whom."""
    if record.history:
        return history_line(p, record.history[-1], names, reveal=False).plain
    return f"{record.updated_at:%m-%d %H:%M} {display_safe(record.updated_by or '')}" if record.updated_at else ""


def history_line(
    p: Presenter, event: RosterEvent, names: Mapping[str, str] | None = None, *, reveal: bool = True
) -> Text:
    """11-28 09:30 duty-officer 修改：电话 138****1234→139****5678、网格 1号楼1单元→1号楼2单元 (表格导入):
    who changed what, from what to what where it can be said (a phone was masked when it was stored;
    a grid, community or worker by its name from ``names``), and where the visit plans went. Not
    ``reveal``-ed, a household head's name is masked like everywhere else (李**→王**)."""
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


def household_address(h: Household) -> str:
    """楼栋-单元-房号, as the grid's wall map writes it: 3-2-501."""
    return f"{h.building}-{h.unit}-{h.room}"


def short_community(name: str) -> str:
    return name.removesuffix("社区") if name.endswith("社区") and len(name) > 3 else name


def due_clock(due: datetime, now: datetime) -> str:
    """When something is due, as a clock time (with the date when not today): it stays put while the
    minutes pass, where a countdown would repaint every minute on a slow link."""
    due = as_local(due)
    return f"{due:%H:%M}" if due.date() == as_local(now).date() else f"{due:%m-%d %H:%M}"


def duration(delta: timedelta, lang: Lang, *, minutes_shown: bool = True) -> str:
    """3天 / 5时 / 12分. Without ``minutes_shown`` anything under an hour is "<1时": a cell that
    changes every minute costs bytes every minute on a slow link, for no decision it informs."""
    minutes = int(abs(delta).total_seconds() // 60)
    if minutes < 60:
        if not minutes_shown:
            return words.t("age.under_hour", lang)
        return words.t("age.minutes", lang).format(minutes)
    if minutes < 48 * 60:
        return words.t("age.hours", lang).format(minutes // 60)
    return words.t("age.days", lang).format(minutes // (24 * 60))


COUNTS = 5  # the header's counts: open, overdue, due today, late sessions, stalls in arrears


@dataclass(frozen=True)
class Presenter:
    lang: Lang
    # The keys a ``[keymap]`` moved, by binding id, as the Footer shows them (``{"detail.reveal": "f9"}``).
    remapped: Mapping[str, str] = field(default_factory=dict)

    def t(self, key: str) -> str:
        return words.t(key, self.lang)

    def key(self, binding_id: str, written: str) -> str:
        """The key of ``binding_id`` in a hint: ``written`` (the words' own spelling of the default
        key, ``Esc``, ``Ctrl+S``), or the key a keymap put there instead."""
        return self.remapped.get(binding_id, written)

    def mask_hint(self, reveal: bool, *, where: str = "detail") -> str:
        """Under personal data: it is shown (and the reveal was logged), or how to reveal it
        (``where``: "detail" or "list", whose reveal keys are remapped apart)."""
        key = self.key(f"{where}.reveal", "p")
        return self.t("detail.revealed") if reveal else self.t("detail.masked_hint").format(key=key)

    # -- header --------------------------------------------------------------------------

    # The header is three pieces so that the once-a-minute clock tick repaints five characters,
    # not the whole line.

    def header_title(self, headline: Headline, now: datetime, *, read_only: bool = False) -> Text:
        text = Text()
        text.append(f" {self.t('header.township').format(display_safe(headline.township))} ", style="bold reverse")
        if read_only:
            text.append(f" {self.t('readonly.badge')} ", style="bold black on yellow")
        day = self.t("weekdays").split()[now.weekday()]
        text.append(f" {now:%Y-%m-%d} {day} ", style="bold")
        return text

    def header_clock(self, now: datetime) -> Text:
        return Text(f"{now:%H:%M}", style="bold")

    def header_counts(
        self,
        headline: Headline,
        actor: str,
        *,
        width: int,
        duty: DutyStatus | None = None,
        now: datetime | None = None,
    ) -> Text:
        """The counts that need action, in ``width`` cells: the visits, then who is on duty (and
        the account) give way first, then the report's stage is said shorter (English: update), so
        the counts that need action are never cut off the end.

        With an incident open, the next report's due time comes first (red once it is late): the
        one clock in the duty room that a higher office holds the township to. When even the counts
        alone do not fit after it (80 columns), whole counts give way from the last (欠费, 迟到, …):
        each is on its panel's summary line, and a label cut from its number ("今日到期" and no
        number) would be read as a count.
        """
        # The visits, then who is on duty give way; then the report's stage is said shorter; then
        # whole counts from the last.
        ladder = [(True, True, False, COUNTS), (True, False, False, COUNTS), (False, False, False, COUNTS)]
        ladder += [(False, False, True, n) for n in range(COUNTS, -1, -1)]
        versions = [
            self._header_counts(headline, actor, duty, now, on_duty=on_duty, visits=visits, short=short, counts=counts)
            for on_duty, visits, short, counts in ladder
        ]
        return first_fit(versions, width)

    def _header_counts(
        self,
        headline: Headline,
        actor: str,
        duty: DutyStatus | None,
        now: datetime | None,
        *,
        on_duty: bool,
        visits: bool,
        short: bool = False,
        counts: int = COUNTS,
    ) -> Text:
        text = Text()
        if duty is not None and now is not None and duty.next_report is not None:
            incident, slot = duty.next_report
            if slot.due is not None:
                late = slot.due < now
                stage = words.cell(slot.stage, self.lang) if short else label(slot.stage, self.lang)
                said = self.t("header.report_late" if late else "header.report_due").format(
                    stage=stage, due=due_clock(slot.due, now)
                )
                text.append(f" {said} ", style="bold white on red" if late else "bold yellow")
        if on_duty:
            text.append("  " + self.t("header.on_duty").format(display_safe(headline.on_duty_leader) or "-"))
            if headline.on_duty_count > 1:
                text.append(self.t("header.on_duty_more").format(headline.on_duty_count))
            if duty is not None:
                text.append(self.t("header.handover").format(f"{duty.next_handover:%H:%M}"), style="dim")
            text.append(f" [{display_safe(actor)}]", style="dim")
        shown = [
            (f"{self.t('header.open')} {headline.open}", ""),
            (f"{self.t('header.overdue')} {headline.overdue}", "bold red" if headline.overdue else ""),
            (f"{self.t('header.due_today')} {headline.due_today}", "bold yellow" if headline.due_today else ""),
            (f"{self.t('header.late')} {headline.late_sessions}", "bold red" if headline.late_sessions else ""),
            (f"{self.t('header.arrears')} {headline.arrears_holders}", ""),
        ][:counts]
        if visits:  # only with every count (the first to give way): set apart by a second space
            shown.insert(3, (f" {self.t('header.visits')} {headline.visited}/{headline.planned}", ""))
        text.append("  " if shown else "")
        for i, (said, style) in enumerate(shown):
            text.append(said if i == len(shown) - 1 else said + " ", style=style)
        return text

    def summary_line(self, number: int, title_key: str, body: str, *, alarm: bool) -> Text:
        text = Text()
        text.append(f"{number} {self.t(title_key)} ", style="bold")
        text.append(body, style="bold red" if alarm else "")
        return text
