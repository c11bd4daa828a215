"""The handover as a file for people: Markdown for a chat group, XLSX for the office's 值班记录簿.
Personal data is masked as on screen; ``write_whole`` (store/sheetfiles.py) writes it whole or not at all."""

from __future__ import annotations

import io
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from duty_room import words
from duty_room.lateness import minutes_text, session_lateness
from duty_room.words import Lang, label
from store.duty_models import DutyLogEntry, Incident, IncidentReport, LogKind
from store.dutylog import IncidentClock, ReportSlot
from store.handover import HandoverReport, LateReport
from store.market import money
from store.masking import mask_name, mask_phone
from store.models import DutyShift, Petition, SpecialTag, Stall
from store.queries import SessionView
from store.sheetfiles import write_whole

if TYPE_CHECKING:
    from .config import Settings

MARKDOWN_LIST = 20  # cases listed per section in the Markdown before "N more": a chat message stays readable


@dataclass(frozen=True)
class Punct:
    """Punctuation in the language's own style (full-width in Chinese)."""

    open: str
    close: str
    colon: str
    comma: str
    semi: str
    list: str


def punct(lang: Lang) -> Punct:
    return Punct(*(words.t(f"punct.{name}", lang) for name in ("open", "close", "colon", "comma", "semi", "list")))


def stall_no(stall: Stall, lang: Lang) -> str:
    return words.t("handover.stall_no", lang).format(market=stall.market, number=stall.number)


def people(shift: DutyShift, lang: Lang) -> str:
    """带班领导 张三 (138****1234); 值班员 李四 (…) — phones masked."""
    pu = punct(lang)

    def one(name: str) -> str:
        phone = shift.phones.get(name)
        return f"{name}{pu.open}{mask_phone(phone)}{pu.close}" if phone else name

    return (
        f"{words.t('duty.leader', lang)} {one(shift.leader)}{pu.semi}"
        f"{words.t('duty.staff', lang)} {pu.list.join(one(n) for n in shift.staff)}"
    )


def slot_text(slot: ReportSlot, now: datetime, lang: Lang) -> str:
    """续报 18:20（剩1小时5分） / 续报 18:20（超时12分钟）."""
    pu = punct(lang)
    if slot.due is None:
        return label(slot.stage, lang)
    if slot.late(now):
        left = words.t("duty.late_by", lang).format(minutes_text(slot.overdue_by(now), lang))
    else:
        left = words.t("due.left", lang).format(minutes_text(slot.due - now, lang))
    return f"{label(slot.stage, lang)} {slot.due:%m-%d %H:%M}{pu.open}{left}{pu.close}"


def report_line(report: IncidentReport, lang: Lang) -> str:
    """A report made upward: 续报 11-28 13:20 → 区应急管理局值班室（王丽娟）."""
    pu = punct(lang)
    return f"{label(report.stage, lang)} {report.at:%m-%d %H:%M} → {report.to}{pu.open}{report.by}{pu.close}"


def late_text(late: LateReport, lang: Lang) -> str:
    pu = punct(lang)
    slot = late.slot
    made = (
        words.t("handover.made_at", lang).format(f"{slot.report.at:%m-%d %H:%M}")
        if slot.report
        else words.t("handover.not_made", lang)
    )
    due = f"{slot.due:%m-%d %H:%M}" if slot.due else ""
    return (
        f"{late.incident.id} {late.incident.title}{pu.colon}{label(slot.stage, lang)} {due}{pu.comma}{made}{pu.comma}"
        f"{words.t('duty.late_by', lang).format(minutes_text(late.overdue_by, lang))}"
    )


def late_session_line(view: SessionView, lang: Lang, *, community: bool = True) -> str:
    """Who, what, how late: 09:00 东城小学护学岗（东城花园社区）09:25签到，迟25分钟；负责：李卫国."""
    pu = punct(lang)
    s = view.session
    where = f"{pu.open}{view.community}{pu.close}" if community else " "
    line = f"{s.start:%H:%M} {s.title}{where}{session_lateness(view, lang)}"
    if s.staff:
        line += pu.semi + words.t("late.staff", lang).format(staff=pu.list.join(s.staff))
    return line


def late_lines(report: HandoverReport, lang: Lang) -> list[str]:
    """The report's late reports in words; a recorded one this version cannot read, as the record has it."""
    unread = report.recorded.unread_late if report.recorded is not None else []
    return [late_text(late, lang) for late in report.late_reports] + unread


def incident_now(clock: IncidentClock, lang: Lang) -> str:
    """已终报 11-28 14:00 / 下次报送 续报 11-28 16:45（剩1小时45分） — an incident as it is now."""
    i = clock.incident
    if i.closed_at is not None:
        return closed_words(i, lang)
    nxt = slot_text(clock.next, clock.now, lang) if clock.next else words.t("empty.none", lang)
    return f"{words.t('handover.next_due', lang)} {nxt}"


def status_words(report: HandoverReport, petition: Petition, lang: Lang) -> tuple[str, str]:
    """A case's status as of the report, and, exported later, its status now if another ('' otherwise)."""
    since = report.status_since(petition)
    return label(report.status_then(petition), lang), label(since, lang) if since is not None else ""


def entry_from(entry_source: str, caller: str, phone: str | None) -> str:
    return " ".join(part for part in (entry_source, mask_name(caller), mask_phone(phone)) if part)


def _md(value: str) -> str:
    """Text from the store in a Markdown table cell: one line, no pipe breaking the table."""
    return value.replace("\r", " ").replace("\n", " ⏎ ").replace("|", "｜")


def _incident_heading(i: Incident, lang: Lang) -> str:
    """An incident in the Markdown: its id, title, category and level, when it happened and was known."""
    pu, t = punct(lang), lambda key: words.t(key, lang)
    return (
        f"{i.id} {_md(i.title)}{pu.open}{label(i.category, lang)}{pu.comma}{label(i.level, lang)}{pu.close}"
        f"{t('duty.occurred_at')}{pu.colon}{i.occurred_at:%m-%d %H:%M}{pu.comma}"
        f"{t('duty.known_at')}{pu.colon}{i.known_at:%m-%d %H:%M}"
    )


def closed_words(incident: Incident, lang: Lang) -> str:
    """已终报 11-28 09:40: how an incident closed during the shift stands."""
    assert incident.closed_at is not None
    return words.t("handover.final_made", lang).format(f"{incident.closed_at:%m-%d %H:%M}")


def render_markdown(report: HandoverReport, lang: Lang = "zh") -> str:
    pu = punct(lang)
    t = lambda key: words.t(key, lang)  # noqa: E731
    none = t("empty.none")
    out = [f"# {report.township} {t('handover.title')}", ""]
    out.append(f"**{t('handover.shift')}** {report.shift.span}　{people(report.shift, lang)}")
    if report.next_shift is not None:
        out.append(f"**{t('duty.next_shift')}** {people(report.next_shift, lang)}")
    rec, h = report.recorded, report.handover
    if rec is None or h is None:
        out.append(f"{t('handover.generated')} {report.moment:%Y-%m-%d %H:%M}")
    else:  # handed over: read back from the record
        exported = f"{pu.semi}{t('handover.exported_at')} {rec.exported:%Y-%m-%d %H:%M}" if rec.later else ""
        out.append(f"{t('handover.handed_at')} {h.at:%Y-%m-%d %H:%M}{exported}")
        if rec.later:
            out += ["", as_recorded_note(report, lang)]
    out += ["", f"## {t('panel.dutylog')}{pu.open}{t('handover.count').format(len(report.entries))}{pu.close}", ""]
    out += _entry_table(report.entries, lang, report.corrected_ids)
    out += ["", f"## {t('handover.incidents')}", ""]
    for c in report.incidents:
        i = c.incident
        nxt = slot_text(c.next, report.moment, lang) if c.next else none
        out.append(f"- {_incident_heading(i, lang)}{pu.semi}{t('handover.next_due')}{pu.colon}{nxt}")
        for r in i.reports:
            out.append(f"  - {_md(report_line(r, lang))}")
        if rec is not None and rec.later and i.id in rec.incidents_now:
            out.append(f"  - {t('handover.now').format(_md(incident_now(rec.incidents_now[i.id], lang)))}")
    for i in report.closed_incidents:  # the shift's incidents closed by their 终报: how each was reported
        out.append(f"- {_incident_heading(i, lang)}{pu.semi}{_md(closed_words(i, lang))}")
        out += [f"  - {_md(report_line(r, lang))}" for r in i.reports]
    if not report.incidents and not report.closed_incidents:
        out.append(none)
    out += ["", f"## {t('handover.late_reports')}", ""]
    out += [f"- {_md(line)}" for line in late_lines(report, lang)] or [none]
    out += ["", f"## {t('panel.petitions')}", ""]
    out.append(
        f"{t('handover.open')} {report.open_count}{pu.comma}{t('handover.overdue')} {len(report.overdue)}{pu.comma}"
        f"{t('handover.received')} {len(report.received)}{pu.comma}{t('handover.closed')} {len(report.closed)}"
    )
    names = report.community_names
    sections = [
        (t("handover.received"), [(p, names.get(p.community_id, p.community_id)) for p in report.received]),
        (t("handover.overdue"), [(v.petition, v.community) for v in report.overdue]),
    ]
    for title, cases in sections:
        out += ["", f"### {title}", ""]
        for p, community in cases[:MARKDOWN_LIST]:
            status, now = status_words(report, p, lang)
            now = f"{pu.semi}{t('handover.now').format(now)}" if now else ""
            out.append(
                f"- {p.id} {status} {_md(p.title)}{pu.open}{_md(community)}{pu.comma}"
                f"{t('handover.due')} {p.due_at:%m-%d %H:%M}{now}{pu.close}"
            )
        if len(cases) > MARKDOWN_LIST:
            out.append(f"- {t('handover.more').format(len(cases) - MARKDOWN_LIST)}")
        if not cases:
            out.append(none)
    if report.closed:
        out += ["", f"### {t('handover.closed')}", ""]
        for p in report.closed[:MARKDOWN_LIST]:
            status, now = status_words(report, p, lang)
            now = f"{pu.open}{t('handover.now').format(now)}{pu.close}" if now else ""
            out.append(f"- {p.id} {status} {_md(p.title)}{now}")
    out += ["", f"## {t('handover.services')}", ""]
    out += [f"- {_md(late_session_line(s, lang))}" for s in report.late_sessions] or [none]
    out += ["", f"## {t('handover.unvisited')}", ""]
    out += [f"- {_md(line)}" for line in unvisited_lines(report, lang)] or [none]
    out += ["", f"## {t('handover.arrears')}", ""]
    out += [f"- {_md(line)}" for line in arrears_lines(report, lang)] or [none]
    out += ["", f"## {t('handover.notes')}", ""]
    out += _handover_lines(report, lang)
    if rec is not None and rec.after is not None:
        out += _after_lines(report, lang)
    out += _corrected_lines(report, lang)
    return "\n".join(out) + "\n"


# The log's columns, in the Markdown table and on the workbook's log sheets.
LOG_COLUMNS = (
    "col.time",
    "duty.col.kind",
    "handover.from",
    "duty.col.content",
    "duty.form.action",
    "handover.reported_to",
    "handover.cases_linked",
    "duty.recorded_by",
)


def entry_cells(entry: DutyLogEntry, lang: Lang, corrected: Collection[str], *, year: bool) -> list[str]:
    """A log entry under ``LOG_COLUMNS`` (a caller's name and phone masked); corrected since the
    hand-over (``corrected``), marked (交班后已更正)."""
    mark = words.t("handover.corrected_mark", lang) if entry.id in corrected else ""
    return [
        f"{entry.at:%Y-%m-%d %H:%M}" if year else f"{entry.at:%m-%d %H:%M}",
        label(entry.kind, lang),
        entry_from(entry.source, entry.caller, entry.phone),
        entry.content + mark,
        # nothing written under 处理情况 on an incident's line: followed in its reports, as panel 5 says
        entry.action_taken
        or (words.t("duty.see_incident", lang).format(entry.incident_id) if entry.incident_id else ""),
        entry.reported_to,
        " ".join(entry.petition_ids),
        entry.recorded_line("%Y-%m-%d %H:%M" if year else "%m-%d %H:%M"),
    ]


def _entry_table(entries: list[DutyLogEntry], lang: Lang, corrected: Collection[str] = ()) -> list[str]:
    """The log entries as a Markdown table; those in ``corrected`` marked (交班后已更正)."""
    if not entries:
        return [words.t("empty.none", lang)]
    out = ["| " + " | ".join(words.t(key, lang) for key in LOG_COLUMNS) + " |", "|---" * len(LOG_COLUMNS) + "|"]
    for e in entries:
        out.append("| " + " | ".join(_md(cell) for cell in entry_cells(e, lang, corrected, year=False)) + " |")
    return out


# What a correction may change, in the export's words.
FIELD_WORDS = {
    "kind": "duty.col.kind",
    "source": "handover.from",
    "caller": "duty.form.caller",
    "phone": "col.phone",
    "content": "duty.col.content",
    "action_taken": "duty.form.action",
    "reported_to": "handover.reported_to",
}


def as_recorded_note(report: HandoverReport, lang: Lang) -> str:
    """A later export's note: what follows is as handed over, "now" as at the export, and which of the
    sections after it, 交班后记录 and 交班后更正, it has."""
    rec = report.recorded
    after = rec is not None and rec.after is not None
    return words.t("handover.as_recorded", lang).format(
        after=words.t("handover.as_recorded_after", lang) if after else "",
        corrected=words.t("handover.as_recorded_corrected", lang) if correction_lines(report, lang) else "",
    )


def correction_lines(report: HandoverReport, lang: Lang) -> list[str]:
    """Each correction made after the hand-over to a log entry it listed: which, when, who, what, why."""
    pu = punct(lang)
    t = lambda key: words.t(key, lang)  # noqa: E731
    if report.recorded is None:
        return []

    def value(name: str, text: str) -> str:
        if name == "kind":
            return label(LogKind(text), lang)
        if name == "caller":
            return mask_name(text)
        if name == "phone":
            return mask_phone(text or None)
        return text

    return [
        t("handover.correction").format(
            id=c.entry.id,
            at=f"{e.at:%m-%d %H:%M}",
            who=e.actor,
            changes=pu.semi.join(
                t("duty.changed").format(field=t(FIELD_WORDS[k]), value=value(k, v) or t("empty.none"))
                for k, v in e.changes.items()
            ),
            why=e.note,
        )
        for c in report.recorded.corrections
        for e in c.events
    ]


def _corrected_lines(report: HandoverReport, lang: Lang) -> list[str]:
    """交班后更正: corrections made after the hand-over to the log entries it listed, under their own heading."""
    t = lambda key: words.t(key, lang)  # noqa: E731
    lines = correction_lines(report, lang)
    if not lines:
        return []
    return ["", f"## {t('handover.corrected')}", "", t("handover.corrected_note"), ""] + [
        f"- {_md(line)}" for line in lines
    ]


def after_texts(report: HandoverReport, lang: Lang) -> list[tuple[str, list[str]]]:
    """What the shift logged after the hand-over besides its log entries, by kind: the cases received and
    closed, the reports made upward (each kind with one line an item)."""
    pu = punct(lang)
    after = report.recorded.after if report.recorded is not None else None
    if after is None:
        return []
    names = report.community_names
    return [
        (
            words.t("handover.after_received", lang),
            [
                f"{p.id} {label(p.status, lang)} {p.title}{pu.open}{names.get(p.community_id, p.community_id)}{pu.close}"
                for p in after.received
            ],
        ),
        (words.t("handover.after_closed", lang), [f"{p.id} {label(p.status, lang)} {p.title}" for p in after.closed]),
        (
            words.t("handover.after_reports", lang),
            [f"{i.id} {i.title}{pu.colon}{report_line(r, lang)}" for i, r in after.reports],
        ),
    ]


def _after_lines(report: HandoverReport, lang: Lang) -> list[str]:
    """交班后记录: what the shift logged after the hand-over, in no handover, under its own heading."""
    t = lambda key: words.t(key, lang)  # noqa: E731
    pu = punct(lang)
    after = report.recorded.after if report.recorded is not None else None
    assert after is not None
    out = ["", f"## {t('handover.after')}", ""]
    out.append(t("handover.after_note").format(start=f"{after.start:%m-%d %H:%M}", end=f"{after.end:%m-%d %H:%M}"))
    count = t("handover.count").format(len(after.entries))
    out += ["", f"### {t('panel.dutylog')}{pu.open}{count}{pu.close}", ""]
    out += _entry_table(after.entries, lang)
    for title, lines in after_texts(report, lang):
        if lines:
            out += ["", f"### {title}", ""]
            out += [f"- {_md(line)}" for line in lines]
    return out


def unvisited_lines(report: HandoverReport, lang: Lang) -> list[str]:
    """Each community's special households not visited, by group: 东城花园社区：独居老人 2，残疾人 1."""
    pu = punct(lang)
    return [
        c.name
        + pu.colon
        + pu.comma.join(
            f"{label(tag, lang)} {c.special_unvisited[tag]}" for tag in SpecialTag if c.special_unvisited.get(tag)
        )
        for c in report.unvisited
    ]


def arrears_lines(report: HandoverReport, lang: Lang) -> list[str]:
    return [f"{stall_no(v.stall, lang)} {money(v.arrears_fen)}" for v in report.arrears]


def _handover_lines(report: HandoverReport, lang: Lang) -> list[str]:
    pu = punct(lang)
    t = lambda key: words.t(key, lang)  # noqa: E731
    h = report.handover
    if h is None:
        return [t("handover.not_handed")]
    lines = [
        f"{t('handover.outgoing')}{pu.colon}{h.outgoing_by} {h.at:%m-%d %H:%M}",
        "",
        _md(h.notes) or t("empty.none"),
        "",
    ]
    if h.acknowledged_at is None:
        lines.append(t("handover.not_acked"))
    else:
        lines.append(f"{t('handover.incoming')}{pu.colon}{h.acknowledged_by} {h.acknowledged_at:%m-%d %H:%M}")
        if h.incoming_notes:
            lines += ["", f"{t('handover.incoming_notes')}{pu.colon}{_md(h.incoming_notes)}"]
    return lines


def render_xlsx(report: HandoverReport, lang: Lang = "zh") -> bytes:
    """The 值班记录簿 workbook: a cover sheet, then the log, incidents and reports, and open cases."""
    pu = punct(lang)
    from openpyxl import Workbook  # only when a workbook is asked for: the CLI starts faster without it
    from openpyxl.styles import Alignment, Font

    t = lambda key: words.t(key, lang)  # noqa: E731
    book = Workbook()
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")

    def sheet(title: str, header: list[str], rows: list[list[object]], widths: list[int]):
        ws = book.create_sheet(title[:31])
        ws.append(header)
        for cell in ws[1]:
            cell.font = bold
        for row in rows:
            ws.append(row)
        for index, width in enumerate(widths):
            ws.column_dimensions[chr(ord("A") + index)].width = width
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = wrap
        ws.freeze_panes = "A2"
        return ws

    cover = book.active
    cover.title = t("handover.title")[:31]
    h, rec = report.handover, report.recorded
    later = rec is not None and rec.later
    if rec is None or h is None:
        when: list[list[object]] = [[t("handover.generated"), f"{report.moment:%Y-%m-%d %H:%M}"]]
    else:  # handed over: read back from the record
        when = [[t("handover.handed_at"), f"{h.at:%Y-%m-%d %H:%M}"]]
        if later:
            when += [
                [t("handover.exported_at"), f"{rec.exported:%Y-%m-%d %H:%M}"],
                ["", as_recorded_note(report, lang)],
            ]
    cover_rows: list[list[object]] = [
        [t("handover.title"), report.township],
        [t("handover.shift"), report.shift.span],
        [t("duty.leader"), report.shift.leader],
        [t("duty.staff"), pu.list.join(report.shift.staff)],
        [t("duty.next_shift"), people(report.next_shift, lang) if report.next_shift else ""],
        *when,
        [t("panel.dutylog"), len(report.entries)],
        [t("handover.open"), report.open_count],
        [t("handover.overdue"), len(report.overdue)],
        [t("handover.received"), len(report.received)],
        [t("handover.closed"), len(report.closed)],
        [t("handover.incidents"), len(report.incidents)],
        [t("handover.closed_incidents"), len(report.closed_incidents)],
        [
            t("handover.late_reports"),
            "\n".join(late_lines(report, lang)) or t("empty.none"),
        ],
        [t("handover.services"), "\n".join(late_session_line(s, lang) for s in report.late_sessions)],
        [t("handover.unvisited"), "\n".join(unvisited_lines(report, lang))],
        [t("handover.arrears"), "\n".join(arrears_lines(report, lang))],
        [t("handover.outgoing"), "" if h is None else f"{h.outgoing_by} {h.at:%Y-%m-%d %H:%M}"],
        [t("handover.notes"), "" if h is None else h.notes],
        [
            t("handover.incoming"),
            "" if h is None or h.acknowledged_at is None else f"{h.acknowledged_by} {h.acknowledged_at:%Y-%m-%d %H:%M}",
        ],
        [t("handover.incoming_notes"), "" if h is None else h.incoming_notes],
    ]
    after = rec.after if rec is not None else None
    if after is not None:  # logged after the hand-over: in no handover, said apart (and on its own sheet)
        note = t("handover.after_note").format(start=f"{after.start:%m-%d %H:%M}", end=f"{after.end:%m-%d %H:%M}")
        cover_rows += [[t("handover.after"), note], [t("handover.after_log"), len(after.entries)]]
        cover_rows += [[title, "\n".join(lines) or t("empty.none")] for title, lines in after_texts(report, lang)]
    corrections = correction_lines(report, lang)
    if corrections:  # a listed entry corrected since: the log sheet lists it as handed over, marked
        cover_rows += [[t("handover.corrected"), "\n".join([t("handover.corrected_note"), *corrections])]]
    for row in cover_rows:
        cover.append(row)
    cover.column_dimensions["A"].width = 22
    cover.column_dimensions["B"].width = 80
    for row in cover.iter_rows():
        row[0].font = bold
        row[1].alignment = wrap

    def log_sheet(title: str, entries: list[DutyLogEntry], corrected: Collection[str] = ()) -> None:
        header = [*(t(key) for key in LOG_COLUMNS), "id"]
        rows: list[list[object]] = [[*entry_cells(e, lang, corrected, year=True), e.id] for e in entries]
        sheet(title, header, rows, [17, 10, 20, 50, 40, 20, 16, 24, 14])

    log_sheet(t("panel.dutylog"), report.entries, report.corrected_ids)
    now_clocks = rec.incidents_now if rec is not None and later else {}
    incident_rows: list[list[object]] = []

    def incident_row(i: Incident, standing: str, now: str) -> None:
        """An incident's row: ``standing``, its next report due (open) or its 终报 (closed in the shift)."""
        incident_rows.append(
            [
                i.id,
                i.title,
                label(i.category, lang),
                label(i.level, lang),
                f"{i.occurred_at:%Y-%m-%d %H:%M}",
                f"{i.known_at:%Y-%m-%d %H:%M}",
                standing,
                "\n".join(report_line(r, lang) for r in i.reports),
                *([now] if later else []),
            ]
        )

    for c in report.incidents:
        now = incident_now(now_clocks[c.incident.id], lang) if c.incident.id in now_clocks else ""
        incident_row(c.incident, slot_text(c.next, report.moment, lang) if c.next else "", now)
    for i in report.closed_incidents:  # closed by their 终报 during the shift: how they stand, their reports
        incident_row(i, closed_words(i, lang), closed_words(i, lang))
    sheet(
        t("handover.incidents"),
        [
            "id",
            t("handover.title_col"),
            t("duty.col.kind"),
            t("duty.form.level"),
            t("duty.occurred_at"),
            t("duty.known_at"),
            t("handover.next_due"),
            t("duty.reports"),
            *([t("handover.now_col")] if later else []),
        ],
        incident_rows,
        [14, 30, 14, 14, 17, 17, 30, 50, 40],
    )
    sheet(
        t("handover.late_reports"),
        [t("handover.late_reports")],
        [[line] for line in late_lines(report, lang)],
        [100],
    )
    received_ids = {p.id for p in report.received}
    sheet(
        t("handover.open"),
        [
            "id",
            t("col.status"),
            t("handover.title_col"),
            t("col.community"),
            t("handover.due"),
            t("handover.overdue"),
            t("handover.received"),
            *([t("handover.now_col")] if later else []),
        ],
        [
            [
                v.petition.id,
                status_words(report, v.petition, lang)[0],
                v.petition.title,
                v.community,
                f"{v.petition.due_at:%Y-%m-%d %H:%M}",
                "✔" if v.overdue else "",
                "✔" if v.petition.id in received_ids else "",
                *([status_words(report, v.petition, lang)[1]] if later else []),
            ]
            for v in report.open_cases
        ],
        [14, 10, 40, 16, 17, 8, 10, 14],
    )
    if after is not None:
        log_sheet(t("handover.after"), after.entries)
    # Text from the store is text: "=HYPERLINK(…)" in a call must not become a formula.
    for worksheet in book.worksheets:
        for row in worksheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


FORMATS = {".md": "md", ".xlsx": "xlsx"}  # a handover file's name says its format


class ExportNameRefused(ValueError):
    """A handover file name refused: ``str()`` is the reason in the interface language."""


def export_format(name: str | Path, lang: Lang, asked: str | None = None) -> str:
    """The format a handover file is written in, from its name (.md or .xlsx, any case), for the form
    and `handover --out` alike; another name, or a ``--format`` the name contradicts, is refused."""
    fmt = FORMATS.get(Path(name).suffix.casefold())
    if fmt is None:
        raise ExportNameRefused(words.t("duty.form.export_kind", lang))
    if asked is not None and asked != fmt:
        raise ExportNameRefused(words.t("cli.format_mismatch", lang).format(fmt=asked))
    return fmt


def write_copy(settings: Settings, report: HandoverReport, fmt: str, target: Path) -> None:
    """The report as a file in ``fmt``, written whole or not at all, then opened to whom it is for."""
    from .exports import publish  # (here: `summary` reads this module for a line of words, and writes no file)

    lang = settings.lang
    write_whole(target, render_xlsx(report, lang) if fmt == "xlsx" else render_markdown(report, lang).encode("utf-8"))
    publish(settings, target)
