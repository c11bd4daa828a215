"""Panel 5, 值班记录: the shift's log, open incidents and their report clocks, and the handover (交接班)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from rich.text import Text

from duty_room.words import cell, label
from store import clock
from store.duty_models import (
    DutyLogEntry,
    Handover,
    Incident,
    IncidentCategory,
    IncidentLevel,
    IncidentReport,
    LogEvent,
    LogKind,
    ReportStage,
)
from store.dutylog import (
    DutyRefused,
    DutyRules,
    DutyStatus,
    IncidentClock,
    ReportSlot,
    check_shift_people,
    correct_entry,
    find_entry,
    find_incident,
    handed_over_at,
    incident_clock,
    intake_from_entry,
    log_entry,
    open_incident,
    petition_from_entry,
    plan_shift,
    report_incident,
    report_slots,
    shift_at,
    shift_id_for,
    shifts_between,
    typed_moment,
)
from store.errors import environment_error
from store.masking import mask_name, mask_phone
from store.models import DutyShift
from store.queries import Dashboard
from store.refusal import FieldsRefused, Refused
from store.text import display_safe, max_chars, typed_day
from widgets.keyed_table import Column, Row
from widgets.specs import DetailContent, FieldSpec

from ..desk import Desk, Watch, edits_over, enum_field
from ..exports import ExportRefused, export_target
from ..lateness import minutes_text
from ..presenters import Presenter, due_clock, duration, literal
from .base import DeskPanel
from .intake import ask_intake

if TYPE_CHECKING:  # the screens are imported when the first opens, not before the first frame (widgets/specs.py)
    from store.handover import HandoverReport
    from widgets.form import FormScreen

INCIDENT_ROW = "incident:"  # row keys of the incidents; entries are keyed by their id
# The fewest cells an entry's action is cut to (已通知综合执…), so that its content has the room.
ACTION_FLOOR = 14
PLAN_AHEAD_DAYS = 366  # 排班 reads the 值班表 this far ahead when its form opens: the days it judges a save by


class DutyLogPanel(DeskPanel):
    """值班记录: open incidents first (their next report, red when late), then the shift's log, newest first."""

    NAME = "dutylog"
    NUMBER = 5
    GROUP = "duty"
    KEYS = (
        ("l", "log"),
        ("c", "correct"),
        ("i", "incident"),
        ("r", "report"),
        ("h", "handover"),
        ("s", "plan"),
        ("e", "export"),
    )
    # r reports the selected incident, c corrects the selected entry; the others act on no row
    UNSELECTED = frozenset({"log", "incident", "handover", "plan", "export"})
    # In `?` help and the palette only, 80 columns being full (`c` 更正 is in the Footer).
    QUIET = frozenset({"export", "plan"})
    # A hand-over's copy writes no store file: a viewer writes it, as `--read-only handover --out` does.
    VIEWING = frozenset({"export"})

    def __init__(self, desk: Desk) -> None:
        super().__init__(desk)
        # Shifts this desk handed over whose copy failed (按 h 再次导出): `h` on one opens the copy form.
        self.copy_failed: set[str] = set()

    @classmethod
    def columns(cls, p: Presenter) -> Sequence[str | Column]:
        # What an entry says matters most: the source and the action give way before the content;
        # narrow, the source, then the kind are left out (the detail line shows them).
        action = p.t("duty.col.action")
        return [
            p.t("col.time"),
            Column(p.t("duty.col.kind"), drop=2),
            Column(p.t("duty.col.from"), shrink=True, min_width=6, drop=1),
            Column(p.t("duty.col.content"), shrink=True, after_free_text=True, drop=3),
            Column(action, shrink=True, min_width=max(ACTION_FLOOR, Text(action).cell_len)),
        ]

    def render_data(self, data: Dashboard) -> int:
        p = self.desk.present
        duty = data.duty

        def rows() -> list[Row]:
            made = [incident_row(p, c) for c in duty.clocks]
            # Newest first by time (as corrected), then by id: entries of one minute, newest on top.
            return made + [entry_row(p, e) for e in sorted(data.log, key=lambda e: (e.at, e.id), reverse=True)]

        return self.show(
            duty_summary(p, duty, entries=len(data.log), awaiting=data.awaiting_handover is not None),
            rows,
            detail=next_report_line(p, duty.next_report, data.now),
        )

    # -- selection ---------------------------------------------------------------------

    def selected_entry(self) -> DutyLogEntry | None:
        key = self.table.cursor_key or ""
        return next((e for e in self.data.log if e.id == key), None) if self.data else None

    def incident(self, incident_id: str) -> IncidentClock | None:
        return next((c for c in self.data.duty.clocks if c.incident.id == incident_id), None) if self.data else None

    def selected_incident(self) -> IncidentClock | None:
        return self.incident((self.table.cursor_key or "").removeprefix(INCIDENT_ROW))

    def selected_subject(self) -> str:
        entry, incident = self.selected_entry(), self.selected_incident()
        if incident is not None:
            return incident.incident.title
        return entry.content[:12] if entry is not None else ""

    def detail_content(self, key: str, *, reveal: bool) -> DetailContent | None:
        p = self.desk.present
        if key.startswith(INCIDENT_ROW):
            incident_id = key.removeprefix(INCIDENT_ROW)
            found = self.incident(incident_id)
            if found is None:  # closed at another desk while its detail was open: as it is now, nothing owed
                try:
                    incident = find_incident(self.desk.store, incident_id)
                except DutyRefused:
                    return None
                found = incident_clock(incident, clock.now(), self.desk.settings.duty)
            return incident_detail(p, found, self.desk.settings.duty)
        try:  # as stored, listed or not (a shift handed over is no longer listed, its detail still open)
            stored = find_entry(self.desk.store, key)  # as first written: a correction says what it changed from
        except DutyRefused:
            return None
        return entry_detail(p, stored, reveal=reveal, handed_at=handed_over_at(self.desk.store, stored))

    # -- keys --------------------------------------------------------------------------

    def action_step(self, name: str) -> None:
        {
            "log": self.ask_entry,
            "correct": self.ask_correct,
            "incident": self.ask_incident,
            "report": self.ask_report,
            "handover": self.ask_handover,
            "plan": self.ask_plan,
            "export": self.ask_copy,
        }[name]()

    def ask_plan(self) -> None:
        """排班: put a day's shift on the 值班表 (tomorrow by default): 带班领导 and one or two 值班员.
        The form is judged against the 值班表 as it stood when it opened (read first, in a worker): a
        day another desk plans meanwhile is refused, saying who is on it now, never written over."""
        today = clock.now().date()
        first, last = today - timedelta(days=1), today + timedelta(days=PLAN_AHEAD_DAYS)
        store = self.desk.store
        self.desk.read(
            lambda: {s.id: s for s in shifts_between(store, first, last)},
            lambda seen: self.plan_form(seen, first, last),
        )

    def plan_form(self, seen: dict[str, DutyShift], first: date, last: date) -> None:
        t, desk = self.t, self.desk
        tomorrow = clock.now().date() + timedelta(days=1)

        def people_of(typed: str) -> dict[str, str] | None:
            """A day already planned: its people as they stand, to change one, not type all again;
            a day not planned: none. Not yet a day (typing): the names stay."""
            try:
                day = typed_day(typed)
            except ValueError:  # Refused too
                return None
            if not first <= day <= last:  # not read: whether it is planned is not known here
                return None
            planned = seen.get(shift_id_for(day))
            if not planned:
                return {"leader": "", "staff": ""}
            return {"leader": planned.leader, "staff": "、".join(planned.staff)}

        opening = people_of(tomorrow.isoformat()) or {}
        fields = [
            FieldSpec("day", t("duty.form.day"), value=tomorrow.isoformat(), example="2026-12-02", fills=people_of),
            FieldSpec(
                "leader",
                t("duty.form.leader"),
                value=opening.get("leader", ""),
                max_length=max_chars(DutyShift, "leader"),
            ),
            FieldSpec("staff", t("duty.form.staff"), value=opening.get("staff", ""), example="王丽娟、刘晓宇"),
        ]

        def submitted(form: FormScreen, values: dict[str, str]) -> None:
            # Every bad field at once, checked before the store is locked (as every form does).
            errors: dict[str, str] = {}
            try:
                day = typed_day(values.get("day", ""))
            except Refused as refused:  # no such day: 2026-02-30
                errors["day"] = refused.message(desk.lang)
            except ValueError:
                errors["day"] = t("duty.form.day_format")
            staff = [name for name in re.split(r"[、,，\s]+", values.get("staff", "")) if name]
            try:
                check_shift_people(values.get("leader", ""), staff, desk.lang)
            except FieldsRefused as refused:
                errors |= refused.errors
            if errors:
                raise FieldsRefused(errors)

            def plan() -> DutyShift:
                try:
                    return plan_shift(
                        desk.store,
                        day,
                        leader=values.get("leader", ""),
                        staff=staff,
                        rules=desk.settings.duty,
                        seen=seen if first <= day <= last else None,  # a day not read: as it is
                    )
                except Refused as refused:
                    if refused.says_its_outcome:  # told who is on it now: the next save goes over that
                        planned = shifts_between(desk.store, day, day)
                        seen.pop(shift_id_for(day), None)
                        seen.update({s.id: s for s in planned})
                    raise

            desk.submit(
                plan,
                lambda shift: t("duty.planned").format(shift.span),
                form,
                dict.fromkeys(("duty_staff_count", "duty_twice"), "staff")
                | dict.fromkeys(("duty_started", "duty_plan_over", "duty_started_people"), "day"),
            )

        desk.ask(t("duty.plan_title"), fields, submitted)

    def action_new_petition(self) -> None:
        """n on a log entry: the case it calls for, prefilled from the entry, linked to it on saving."""
        entry = self.selected_entry()
        if entry is None:
            super().action_new_petition()
            return
        desk = self.desk
        # A kind no channel names (来访) leaves the form's 渠道 to choose, not at its own 12345热线.
        prefill = {"channel": ""} | {k: str(v) for k, v in intake_from_entry(entry).items() if v is not None}
        # The caller and the phone are personal data: masked here as in the entry's detail; kept as shown.
        masks = {"reporter_name": mask_name, "reporter_phone": mask_phone}
        masked = {key: (mask(prefill[key]), prefill.pop(key)) for key, mask in masks.items() if prefill.get(key)}
        ask_intake(
            desk,
            prefill,
            # An emptied caller or phone is left out of the case, not taken from the entry again.
            save=lambda values: petition_from_entry(
                desk.store,
                entry.id,
                {k: v for k, v in values.items() if v or k in masks},
                rules=desk.settings.deadlines,
            ),
            masked=masked,
        )

    def ask_entry(self) -> None:
        """记录: a call, a document, an instruction — in seconds: the content first, now by default, or
        the time it came in typed last (a call taken before it was written down, as ``duty log --at``)."""
        t, desk = self.t, self.desk
        fields = [
            entry_field("content", t("duty.form.content")),
            enum_field("kind", t("duty.col.kind"), LogKind, desk.lang, value=LogKind.CALL),
            entry_field("source", t("duty.form.source")),
            entry_field("caller", t("duty.form.caller")),
            FieldSpec("phone", t("col.phone"), example="138xxxxxxxx"),
            entry_field("action_taken", t("duty.form.action")),
            entry_field("reported_to", t("duty.form.reported_to")),
            self.time_field("at", t("duty.form.entry_at")),
        ]

        def submitted(form: FormScreen, values: dict[str, str]) -> None:
            came_in = self.typed_time(values, "at")
            desk.submit(
                lambda: log_entry(
                    desk.store,
                    kind=LogKind(values.get("kind") or LogKind.CALL.value),
                    content=values.get("content", ""),
                    source=values.get("source", ""),
                    caller=values.get("caller", ""),
                    phone=values.get("phone", "").strip() or None,
                    action_taken=values.get("action_taken", ""),
                    reported_to=values.get("reported_to", ""),
                    at=came_in,
                ),
                lambda entry: t("duty.logged").format(entry.id),
                form,
                dict.fromkeys(("duty_future", "duty_too_early"), "at"),  # the store's rules for the time
                after=lambda entry: desk.select_new(self.NAME, entry.id),
            )

        desk.ask(t("duty.log_title"), fields, submitted)

    def ask_correct(self) -> None:
        """更正: the selected entry's fields and why. The caller and the phone are shown masked: left as
        shown, kept; emptied, removed; typed anew, changed. A masked value typed on (李**明) is refused:
        the stars would be saved as the name."""
        t, desk = self.t, self.desk
        selected = self.selected_entry()
        if selected is None:
            raise Refused("duty_pick_entry")
        entry = find_entry(desk.store, selected.id)  # as stored: what the save expects unchanged

        def entry_fields(stored: DutyLogEntry) -> list[FieldSpec]:
            now = stored.current()

            def kept(key: str, title: str, masked: str) -> FieldSpec:  # as shown: kept; emptied: removed
                return FieldSpec(
                    key, title, value=masked, placeholder=t("duty.form.cleared").format(masked) if masked else ""
                )

            return [
                entry_field("content", t("duty.form.content"), now.content),
                enum_field("kind", t("duty.col.kind"), LogKind, desk.lang, value=now.kind),
                entry_field("source", t("duty.form.source"), now.source),
                kept("caller", t("duty.form.caller"), mask_name(now.caller)),
                kept("phone", t("col.phone"), mask_phone(now.phone) if now.phone else ""),
                entry_field("action_taken", t("duty.form.action"), now.action_taken),
                entry_field("reported_to", t("duty.form.reported_to"), now.reported_to),
                FieldSpec("note", t("duty.form.correction_reason"), max_length=max_chars(LogEvent, "note")),
            ]

        fields = entry_fields(entry)

        def submitted(form: FormScreen, typed: dict[str, str]) -> None:
            # Another desk's correction the form has shown since is kept: only what was typed here changes.
            shown: DutyLogEntry = desk.shown(form) or entry
            values = edits_over(fields, typed, entry_fields(shown))
            changes = {key: values.get(key, "") for key in CHANGE_WORDS}
            masked = {spec.key: spec.value for spec in entry_fields(shown)}
            errors: dict[str, str] = {}
            for key in ("caller", "phone"):
                if changes[key] == masked[key]:  # as the form shows it (masked): kept
                    del changes[key]
                elif not changes[key].strip():  # emptied: removed, as `duty correct --set phone=` removes it
                    changes[key] = ""
                elif "*" in changes[key]:  # typed on the masked value: the stars are no part of a name
                    errors[key] = t("duty.form.masked_typed")
            if errors:
                raise FieldsRefused(errors)
            desk.submit(
                lambda: correct_entry(desk.store, entry.id, changes, note=values.get("note", ""), expected=shown),
                lambda corrected: t("duty.corrected").format(corrected.id),
                form,
                {"duty_correction_reason": "note"},
            )

        def state(now: DutyLogEntry) -> str:
            last = now.history[-1] if now.history else None
            if last is None:
                return ""
            return t("overtaken.entry").format(
                who=display_safe(last.actor), at=f"{last.at:%H:%M}", what=t(f"duty.event.{last.action}")
            )

        def find(_: Dashboard) -> DutyLogEntry | None:
            try:
                return find_entry(desk.store, entry.id)
            except DutyRefused:
                return None

        current = entry.current()
        hint = f" · {t('duty.form.masked_hint')}" if current.caller or current.phone else ""
        desk.ask(
            t("duty.correct_title").format(entry.id),
            fields,
            submitted,
            f"{current.at:%H:%M} {label(current.kind, desk.lang)}{hint}",
            watch=Watch(entry, find, state),  # another desk's correction shows on the open form at once
        )

    def ask_incident(self) -> None:
        """突发事件: its report clocks start at the 接报时间 typed (a call taken before it was logged),
        now if none is."""
        t, desk = self.t, self.desk
        fields = [
            FieldSpec("title", t("duty.form.title"), max_length=max_chars(Incident, "title")),
            enum_field("category", t("duty.form.category"), IncidentCategory, desk.lang, placeholder=t("form.choose")),
            enum_field("level", t("duty.form.level"), IncidentLevel, desk.lang, value=IncidentLevel.ORDINARY),
            FieldSpec("place", t("col.place"), max_length=max_chars(Incident, "place")),
            FieldSpec("description", t("detail.description"), max_length=max_chars(Incident, "description")),
            self.time_field("known_at", t("duty.known_at")),
        ]

        def submitted(form: FormScreen, values: dict[str, str]) -> None:
            # Both required fields marked together: the store's 必填 on the title came only after the
            # category's had been put right, one save later.
            missing = {k: t("invalid.required") for k in ("title", "category") if not values.get(k, "").strip()}
            known = self.typed_time(values, "known_at", missing)
            desk.submit(
                lambda: open_incident(
                    desk.store,
                    title=values.get("title", ""),
                    category=IncidentCategory(values["category"]),
                    level=IncidentLevel(values.get("level") or IncidentLevel.ORDINARY.value),
                    place=values.get("place", ""),
                    description=values.get("description", ""),
                    known_at=known,
                ),
                lambda incident: t("duty.incident_opened").format(incident.id),
                form,
                dict.fromkeys(("duty_future", "duty_too_early"), "known_at"),  # the store's rules for the time
                after=lambda incident: desk.select_new(self.NAME, f"{INCIDENT_ROW}{incident.id}"),  # 报送 next
            )

        desk.ask(t("duty.incident_title"), fields, submitted)

    def ask_report(self) -> None:
        """报送: the selected incident's next report (首报 / 书面报告 / 续报 / 终报), to whom."""
        t, desk = self.t, self.desk
        found = self.selected_incident()
        if found is None:
            raise Refused("duty_pick_incident")
        incident = found.incident
        next_stage = found.next.stage if found.next is not None else ReportStage.FOLLOW_UP
        fields = [
            FieldSpec(
                "to",
                t("duty.form.report_to"),
                value=self.last_reported_to(),
                max_length=max_chars(IncidentReport, "to"),
            ),
            enum_field("stage", t("duty.form.stage"), ReportStage, desk.lang, value=next_stage),
            # 报送人: who made the call (the leader on duty, often), this account unless typed, as --by
            FieldSpec(
                "by", t("duty.form.report_by"), value=desk.store.actor, max_length=max_chars(IncidentReport, "by")
            ),
            FieldSpec("note", t("modal.note"), max_length=max_chars(IncidentReport, "note")),
            self.time_field("at", t("duty.form.report_at")),
        ]

        def submitted(form: FormScreen, values: dict[str, str]) -> None:
            made_at = self.typed_time(values, "at")
            shown = desk.shown(form)  # the incident as the form shows it: changed since, refused
            desk.submit(
                lambda: report_incident(
                    desk.store,
                    incident.id,
                    ReportStage(values.get("stage") or next_stage),
                    to=values.get("to", ""),
                    by=values.get("by", "").strip() or None,
                    note=values.get("note", ""),
                    at=made_at,
                    expected=shown,
                ),
                lambda _: t("duty.reported").format(
                    id=incident.id, stage=label(ReportStage(values.get("stage") or next_stage), desk.lang)
                ),
                form,
                # the store's rules for the time (not yet come, before 接报, before the last report), beside it
                dict.fromkeys(("duty_future", "duty_report_before", "duty_report_order"), "at"),
            )

        def open_now(data: Dashboard) -> Incident | None:  # an incident ended meanwhile is gone from the clocks
            return next((c.incident for c in data.duty.clocks if c.incident.id == incident.id), None)

        def reported(now: Incident) -> str:
            stages = t("punct.list").join(label(r.stage, desk.lang) for r in now.reports)
            return t("overtaken.reported").format(stages or t("empty.none"))

        # Another desk's report on this incident shows on the open form at once.
        desk.ask(report_title(desk.present, found), fields, submitted, watch=Watch(incident, open_now, reported))

    def time_field(self, key: str, title: str) -> FieldSpec:
        """接报时间 / 报送时间: empty for now, or the time typed as the CLI's ``--known`` / ``--at``."""
        return FieldSpec(key, title, placeholder=self.t("duty.form.time_now"))

    def typed_time(self, values: Mapping[str, str], key: str, also: Mapping[str, str] | None = None) -> datetime | None:
        """The time typed in ``key`` (None: now); not a time, or ``also`` other fields refused, the save is
        refused with every reason beside its field (``FieldsRefused``). May it be recorded: the store's rule."""
        text, bad = values.get(key, "").strip(), dict(also or {})
        try:
            moment = typed_moment(text) if text else None
        except ValueError:
            bad[key], moment = self.t("cli.bad_time").format(v=text), None
        if bad:
            raise FieldsRefused(bad)
        return moment

    def last_reported_to(self) -> str:
        """Whom the duty room last reported to (the county duty office, usually): the form's default."""
        reports = [r for c in (self.data.duty.clocks if self.data else []) for r in c.incident.reports]
        return max(reports, key=lambda r: r.at).to if reports else ""

    def ask_handover(self) -> None:
        """交接班: hand over the shift on duty (its report, built in a worker, plus notes), or, as the
        incoming officer, take over a shift another handed over. On a shift already handed over it says
        so, and opens the copy form at once only when this desk's copy of it failed."""
        from store.handover import find_handover, pending_handover  # (see handover_report below)

        desk = self.desk
        now = clock.now()
        waiting = pending_handover(desk.store, now)  # a store fault is one line (DutyRoomApp.report_error)
        given = find_handover(desk.store, waiting) if waiting is not None else None
        if waiting is not None and given is not None and given.outgoing_by != desk.store.actor:
            self.ask_take_over(waiting, given)  # another officer handed over: this desk takes over, as itself
            return
        shift = shift_at(desk.store, now)
        if shift is None and waiting is not None and given is not None:  # no shift on duty: this account's last
            self.already_handed(waiting, given)
            return
        handed = find_handover(desk.store, shift) if shift is not None else None
        if shift is not None and handed is not None:  # handed over (taken over or not)
            self.already_handed(shift, handed)
            return
        generation = desk.data.generation if desk.data is not None else -1

        def shown(report: HandoverReport) -> None:
            if report.handover is not None:  # handed over at another desk as it was read: take over, or its copy
                self.ask_handover()
                return
            self.ask_hand_over(report)
            if desk.data is not None and desk.data.generation != generation:
                # Another desk wrote while the report was built: the form is judged on what it wrote.
                desk.data_changed(desk.data)

        # No shift on the roster now: refused in one line (duty_no_shift).
        desk.read(lambda: self.shift_report(now), shown)

    def already_handed(self, shift: DutyShift, given: Handover) -> None:
        """`h` on a shift handed over: its copy form when this desk's copy failed, else the status line
        says it is handed over and that `e` writes a copy (a form unasked read as if it had not been)."""
        if shift.id in self.copy_failed:
            self.ask_export(shift, given)
            return
        key = self.desk.present.key("duty.export", "e")
        said = self.t("duty.already_handed").format(shift=started(shift), state=self.handover_state(given), key=key)
        self.desk.app.notify(said, severity="warning", timeout=8)  # what is, not a refusal: no 未更改 before it

    def ask_copy(self) -> None:
        """导出交接班: the copy of the last shift handed over, the one on duty or an earlier one."""
        from store.handover import find_handover

        desk = self.desk
        now = clock.now()
        for shift in reversed(shifts_between(desk.store, now.date() - timedelta(days=2), now.date())):
            given = find_handover(desk.store, shift) if shift.starts_at <= now else None
            if given is not None:
                self.ask_export(shift, given)
                return
        desk.refuse(self.t("duty.nothing_to_export"))

    def shift_report(self, now: datetime, shift_id: str | None = None) -> HandoverReport:
        """The hand-over report of a shift (the one on duty at ``now`` by default), with this desk's rules."""
        settings = self.desk.settings
        return handover_report(
            self.desk.store,
            now,
            shift_id=shift_id,
            rules=settings.duty,
            calendar=settings.deadlines,
            fee_rules=settings.fees,
        )

    def handover_state(self, now: Handover) -> str:
        t = self.t
        if now.acknowledged_at is not None:
            return t("overtaken.acknowledged").format(who=now.acknowledged_by, at=when(now.acknowledged_at))
        return t("overtaken.handed_over").format(who=now.outgoing_by, at=when(now.at))

    def ask_take_over(self, waiting: DutyShift, given: Handover) -> None:
        """接班: the incoming officer acknowledges, with notes."""
        from store.handover import acknowledge, find_handover

        t, desk = self.t, self.desk

        def taken(form: FormScreen, values: dict[str, str]) -> None:
            # (No ``expected``: a hand-over record changes only by being taken over, refused as such.)
            desk.submit(
                lambda: acknowledge(desk.store, waiting.id, notes=values.get("notes", "")),
                lambda _: t("duty.acknowledged").format(started(waiting)),
                form,
            )

        def acknowledged(now: Handover) -> None:
            if now.acknowledged_at is not None:
                raise DutyRefused("duty_acknowledged", shift=waiting.span, who=now.acknowledged_by)

        desk.ask(
            t("duty.ack_title").format(waiting.span),
            [FieldSpec("notes", t("duty.form.ack_notes"), max_length=max_chars(Handover, "incoming_notes"))],
            taken,
            # What was handed over, in counts, and the notes, to read before 接班 (the copy, `e`, has it whole).
            t("duty.ack_subtitle").format(
                who=given.outgoing_by,
                at=when(given.at),
                counts=t("duty.ack_counts").format(
                    entries=len(given.entry_ids),
                    incidents=len(given.open_incident_ids),
                    late=len(given.late_reports),
                    overdue=len(given.overdue_case_ids),
                ),
                notes=given.notes or t("empty.none"),
            ),
            watch=Watch(
                given,
                lambda _: find_handover(desk.store, waiting),
                self.handover_state,
                acknowledged,
            ),
        )

    def ask_export(self, shift: DutyShift, given: Handover) -> None:
        """The copy of a shift already handed over, written again from the record; as the service
        account, only into the export folder, as the hand-over's own copy."""
        from ..handover_export import write_copy

        t, desk = self.t, self.desk

        def export(form: FormScreen, values: dict[str, str]) -> None:
            typed = values.get("export", "").strip()
            if not typed:
                raise FieldsRefused({"export": t("invalid.required")})
            copy = self.copy_to(form, typed)
            if copy is None:
                return
            fmt, target = copy

            def write() -> Path:
                report = self.shift_report(clock.now(), shift.id)
                try:
                    write_copy(desk.settings, report, fmt, target)
                except OSError as exc:  # beside the field, the form kept: another folder, another try
                    why = environment_error(exc).why(desk.lang)
                    raise FieldsRefused({"export": t("duty.export_not_written").format(path=target, why=why)}) from None
                self.copy_failed.discard(shift.id)  # written: `h` on it no longer offers the copy
                return target

            desk.submit(write, lambda path: t("duty.exported").format(path), form, saves=False)

        said = [t("overtaken.handed_over").format(who=given.outgoing_by, at=when(given.at))]
        if given.acknowledged_at is not None:
            said.append(self.handover_state(given))
        desk.ask(
            t("duty.export_title").format(shift.span),
            [self.copy_field(t("duty.form.export_again"))],
            export,
            subtitle=t("duty.export_subtitle").format(t("punct.semi").join(said)),
        )

    def copy_field(self, title: str) -> FieldSpec:
        """The field naming a hand-over's copy (.md or .xlsx): as the service account, a name in the export folder."""
        example = "交接班.md" if self.desk.settings.export_folder else "~/交接班.md"
        return FieldSpec("export", title, max_length=200, example=example)

    def copy_to(self, form: FormScreen, typed: str) -> tuple[str, Path] | None:
        """The format and the whole path of the copy named ``typed``; None, said beside the field, if refused."""
        from ..handover_export import ExportNameRefused, export_format  # not before the first hand-over's copy

        try:
            return export_format(typed, self.desk.lang), export_target(self.desk.settings, typed)
        except (ExportNameRefused, ExportRefused) as refused:
            form.show_errors({"export": str(refused)})
            return None

    def ask_hand_over(self, report: HandoverReport) -> None:
        """交班: the shift's report in counts, the outgoing officer's notes and an optional copy to write."""
        from store.handover import HandoverChanged, changes_in_words, find_handover, hand_over

        from ..handover_export import write_copy

        t, desk = self.t, self.desk
        handover_state = self.handover_state
        shift = report.shift
        reviewing = Reviewing(report, report)

        def once(_: Handover) -> None:  # another desk handed this shift over meanwhile
            raise DutyRefused("duty_handed_over", shift=shift.span)

        def handed(form: FormScreen, values: dict[str, str]) -> None:
            typed = values.get("export", "").strip()
            copy = self.copy_to(form, typed) if typed else None
            if typed and copy is None:
                return
            if reviewing.shown.contents != reviewing.signed.contents:  # changed on screen since the last Ctrl+S
                # This Ctrl+S may have been for the report before: it hands nothing over; the next one does.
                reviewing.signed = reviewing.shown
                form.show_errors({}, t("duty.report_confirm"))
                return
            reviewed = reviewing.signed = reviewing.shown  # taken now: a report shown while the write runs is not it

            def write() -> tuple[str, str]:
                """Hand over (the record), then write the copy to send on; a failed copy is said, never hidden."""
                try:  # refused if the store's report is not the one reviewed: the refusal says what changed
                    final = hand_over(desk.store, reviewed, notes=values.get("notes", ""))
                except HandoverChanged as changed:  # the form shows the store's report next; one more Ctrl+S
                    reviewing.signed = changed.report
                    raise
                if copy is None:
                    return t("duty.handed_over").format(started(shift)), ""
                fmt, target = copy
                try:  # the report as recorded, under the lock: the copy lists what the record keeps
                    write_copy(desk.settings, final, fmt, target)
                except OSError as exc:  # the failure first, what to do last: a long line keeps both (fit)
                    why = environment_error(exc).why(desk.lang)
                    self.copy_failed.add(shift.id)  # what makes 按 h 再次导出 true
                    again = t("duty.export_again").format(desk.present.key("duty.handover", "h"))
                    return "", t("duty.export_failed").format(path=target, why=why, shift=started(shift)) + again
                said = [t("duty.handed_over").format(started(shift)), t("duty.exported").format(target)]
                return t("punct.then").join(said), ""  # two sentences: 已交班：…，等待接班人确认；已导出到 …

            def warn(done: tuple[str, str]) -> None:
                if done[1]:  # handed over, the copy not written: a warning, which stays until the next message
                    desk.app.notify(done[1], severity="warning")

            desk.submit(write, lambda done: done[0], form, after=warn)

        def shift_now(_: Dashboard) -> ShiftNow:  # the store as it is now, and the clock: a report falls due
            return ShiftNow(find_handover(desk.store, shift), self.shift_report(clock.now(), shift.id))

        def renew(now: ShiftNow) -> None:
            reviewing.shown = now.report

        def notice(seen: ShiftNow | None, now: ShiftNow, refused: bool) -> str:
            if now.handover is not None:  # handed over (by another desk): the save will be refused
                line = t("form.overtaken_refused" if refused else "form.overtaken")
                return line.format(handover_state(now.handover))
            changes = seen.report.contents.changes(now.report.contents) if seen is not None else []
            if not changes:  # only counts the record does not keep (cases received, stalls in arrears…)
                return t("duty.report_updated")
            return t("duty.report_changed").format(changes_in_words(changes, desk.lang))

        # Another desk's change shows on the open form at once (the report built again in a worker);
        # the save hands over only a report on screen before its Ctrl+S (see Reviewing).
        desk.ask(
            t("duty.handover_title").format(shift.span),
            [
                FieldSpec("notes", t("duty.form.handover_notes"), max_length=max_chars(Handover, "notes")),
                self.copy_field(t("duty.form.export")),
            ],
            handed,
            subtitle=handover_summary(desk.present, report),
            watch=Watch(
                ShiftNow(report.handover, report),  # (None: not handed over when it was read)
                shift_now,
                lambda now: handover_state(now.handover) if now.handover is not None else "",
                check=lambda now: once(now.handover) if now.handover is not None else None,
                subtitle=lambda now: handover_summary(desk.present, now.report),
                renew=renew,
                part=lambda now: (now.handover, now.report.contents, handover_summary(desk.present, now.report)),
                notice=notice,
                adopt=True,
                slow=True,  # the whole report, built again: in a worker, the newest shown
            ),
        )


@dataclass(eq=False, repr=False)  # never compared or shown: fewer methods to compile
class Reviewing:
    """A hand-over form's two reports: the one on its screen, and the one its next Ctrl+S hands over.
    They differ once another desk's change is shown: that Ctrl+S may have been for the report before."""

    shown: HandoverReport
    signed: HandoverReport


class ShiftNow(NamedTuple):
    """What a hand-over form follows: the shift's handover record (another desk's) and its report now."""

    handover: Handover | None
    report: HandoverReport


def entry_field(key: str, title: str, value: str = "") -> FieldSpec:
    """A log entry's text field ``key`` (记录 and 更正), counted to what the entry takes."""
    return FieldSpec(key, title, value=value, max_length=max_chars(DutyLogEntry, key))


def handover_report(*args: Any, **kwargs: Any) -> HandoverReport:
    """store.handover's ``handover_report``, imported when a key first needs it, not before the first frame."""
    from store import handover

    return handover.handover_report(*args, **kwargs)


def started(shift: DutyShift) -> str:
    """A shift by its start, in a status line (班次 11-28 08:00): its span (``DutyShift.span``) left
    80 columns no room for who handed it over and when."""
    return f"{shift.starts_at:%m-%d %H:%M}"


def when(moment: datetime) -> str:
    """A hand-over's or a take-over's time: 09:30 today, 11-27 09:30 another day."""
    return due_clock(moment, clock.now())


def report_title(p: Presenter, found: IncidentClock) -> str:
    """The 报送 form's title: the incident and the report due, by when (SJ… 燃气泄漏：书面报告 应于 10:15 前;
    past it, 已超时); none with a time (the 终报 before handling ends): the incident alone."""
    nxt, incident = found.next, found.incident
    if nxt is None or nxt.due is None:
        return p.t("duty.report_title").format(id=incident.id, title=incident.title)
    key = "duty.report_title_late" if nxt.due < found.now else "duty.report_title_due"
    return p.t(key).format(
        id=incident.id, title=incident.title, stage=label(nxt.stage, p.lang), due=due_clock(nxt.due, found.now)
    )


def handover_summary(p: Presenter, report: HandoverReport) -> str:
    """The hand-over form's subtitle: the report in counts."""
    return p.t("duty.handover_summary").format(
        entries=len(report.entries),
        received=len(report.received),
        closed=len(report.closed),
        overdue=len(report.overdue),
        late_sessions=len(report.late_sessions),
        unvisited=sum(sum(c.special_unvisited.values()) for c in report.unvisited),
        incidents=len(report.incidents),
        closed_incidents=len(report.closed_incidents),
        late=len(report.late_reports),
        arrears=len(report.arrears),
    )


# -- words and rows ------------------------------------------------------------------------------------


def entry_row(p: Presenter, entry: DutyLogEntry) -> Row:
    who = " ".join(x for x in (entry.source, mask_name(entry.caller) if entry.caller else "") if x)
    return Row(
        entry.id,
        (
            Text(f"{entry.at:%H:%M}"),
            Text(label(entry.kind, p.lang), style="bold red" if entry.kind is LogKind.INCIDENT else ""),
            # The table cuts the free text to the room there is (Column.shrink), not to a fixed width.
            literal(who),
            literal(entry.content),
            action_said(p, entry),
        ),
        # 见事件 SJ261128-02 names the incident: whole, as an incident row's report due (not 见事件 SJ2611…)
        whole=frozenset({4}) if entry.incident_id and not entry.action_taken else frozenset(),
    )


def action_said(p: Presenter, entry: DutyLogEntry) -> Text:
    """What was done about a log line, or, nothing yet, said as a person would: an incident's line is
    followed in the incident's reports (见事件 SJ…), any other 尚未处理; never 处理/报送 无."""
    if entry.action_taken:
        return literal(entry.action_taken)
    said = p.t("duty.see_incident").format(entry.incident_id) if entry.incident_id else p.t("duty.no_action")
    return Text(said, style="dim")


def incident_row(p: Presenter, found: IncidentClock) -> Row:
    incident = found.incident
    late = bool(found.late)
    nxt = found.next
    if nxt is None or nxt.due is None:
        due = Text(p.t("duty.no_report_due"), style="dim")
    else:
        words = p.t("duty.row.due_late" if nxt.due < found.now else "duty.row.due_in").format(
            stage=cell(nxt.stage, p.lang), due=due_clock(nxt.due, found.now)
        )
        due = Text(words, style="bold red reverse" if late else "bold yellow")
    return Row(
        f"{INCIDENT_ROW}{incident.id}",
        (
            Text(f"{incident.known_at:%H:%M}", style="bold"),
            Text(p.t(f"duty.category.{incident.category.value}")),  # its kind, as short as a log line's
            literal(incident.place),  # cut by the table, as an entry's source and content are
            Text.assemble(
                (p.t(f"duty.level.{incident.level.value}"), "bold red"), " ", literal(incident.title, style="bold")
            ),
            due,
        ),
        whole=frozenset({4}),  # a time: the action column's free text gives way around it
    )


# The panel's summary, fullest first: the leader, the entries, the open incidents, the next handover
# and the late reports; narrow, each gives way whole in that order so that the late reports stay.
SUMMARY_PARTS = ("leader", "entries", "incidents", "handover")


def duty_summary(p: Presenter, duty: DutyStatus, *, entries: int, awaiting: bool = False) -> list[Text]:
    """``awaiting``: a shift handed over and not yet taken over: its part says 待接班, as `duty today`
    says 尚未接班确认, not the next handover's time as if nobody had handed over."""
    values = {
        "leader": display_safe(duty.shift.leader) if duty.shift else "-",
        "entries": entries,
        "incidents": len(duty.clocks),
        "handover": f"{duty.next_handover:%H:%M}",
    }
    late = len(duty.late)
    versions = []
    for first in range(len(SUMMARY_PARTS) + 1):
        said = [
            p.t("duty.summary.awaiting" if part == "handover" and awaiting else f"duty.summary.{part}").format(
                values[part]
            )
            for part in SUMMARY_PARTS[first:]
        ]
        if late:
            said.append(p.t("duty.late").format(late))
        if said:
            body = p.t("duty.summary.gap").join(said)
            versions.append(p.summary_line(DutyLogPanel.NUMBER, "panel.dutylog", body, alarm=bool(late)))
    return versions


def next_report_line(p: Presenter, nxt: tuple[Incident, ReportSlot] | None, now: datetime) -> list[Text]:
    """下一报送：SJ261128-01 续报 13:30（剩4时）, and its shorter versions (``FitLine``); the due time is never cut."""
    incident, slot = nxt if nxt is not None else (None, None)
    if incident is None or slot is None or slot.due is None:  # next_report gives only slots with a due time
        return [Text(p.t("duty.no_incident"), style="dim")]
    left = slot.due - now
    late = left < timedelta(0)
    full, short, at = (
        ("duty.next_late", "duty.next_late_short", "duty.next_late_at")
        if late
        else ("duty.next_due", "duty.next_due_short", "duty.next_due_at")
    )
    values = {"id": incident.id, "at": f"{slot.due:%H:%M}", "left": duration(left, p.lang)}
    versions: list[Text] = []
    for key, stage in (
        (full, label(slot.stage, p.lang)),
        (short, label(slot.stage, p.lang)),
        (short, cell(slot.stage, p.lang)),
        (at, cell(slot.stage, p.lang)),
    ):
        text = Text(p.t(key).format(stage=stage, **values), style="bold red" if late else "yellow")
        if not versions or text.plain != versions[-1].plain:
            versions.append(text)
    return versions


# What a correction may change, by the words of the detail's fields.
CHANGE_WORDS = {
    "kind": "duty.col.kind",
    "source": "duty.form.source",
    "caller": "duty.form.caller",
    "phone": "col.phone",
    "content": "duty.col.content",
    "action_taken": "duty.col.action",
    "reported_to": "duty.form.reported_to",
}


def entry_detail(
    p: Presenter, entry: DutyLogEntry, *, reveal: bool, handed_at: datetime | None = None
) -> DetailContent:
    """A log entry as corrected, its history saying each correction (交班后更正 after the hand-over
    that listed it). ``entry`` is as first written."""
    current = entry.current()
    caller = current.caller if reveal else mask_name(current.caller)
    phone = (current.phone or "") if reveal else mask_phone(current.phone)
    fields = [
        (p.t("col.time"), Text(f"{current.at:%Y-%m-%d %H:%M}")),
        *([(p.t("duty.recorded_by"), literal(recorded))] if (recorded := entry.recorded_line()) else []),
        (p.t("duty.col.kind"), Text(label(current.kind, p.lang))),
        (p.t("duty.form.source"), literal(current.source or p.t("empty.none"))),
        (p.t("duty.form.caller"), literal(caller or p.t("empty.none"))),
        (p.t("col.phone"), literal(phone or p.t("empty.none"))),
        (p.t("duty.col.content"), literal(current.content)),
        (p.t("duty.col.action"), action_said(p, current)),
        (p.t("duty.form.reported_to"), literal(current.reported_to or p.t("empty.none"))),
    ]

    def shown(name: str, value: str) -> str:
        if name == "kind":
            value = label(LogKind(value), p.lang)
        elif name == "caller" and not reveal:
            value = mask_name(value)
        elif name == "phone" and not reveal:
            value = mask_phone(value)
        return value or p.t("empty.none")

    said: dict[str, str] = {name: str(getattr(entry, name) or "") for name in CHANGE_WORDS}  # as it stood

    def changed(name: str, value: str) -> str:
        before, said[name] = said[name], value
        return p.t("duty.changed_from").format(
            field=p.t(CHANGE_WORDS[name]), before=shown(name, before), after=shown(name, value)
        )

    def action(e: LogEvent) -> str:
        late = e.action == "correct" and handed_at is not None and e.at > handed_at
        return p.t("handover.corrected") if late else p.t(f"duty.event.{e.action}")

    history = [
        literal(
            " ".join(
                part
                for part in (
                    f"{e.at:%m-%d %H:%M}",
                    action(e),
                    e.petition_id or "",
                    p.t("punct.semi").join(changed(k, v) for k, v in e.changes.items())
                    + (f"{p.t('punct.open')}{e.note}{p.t('punct.close')}" if e.note else ""),  # why
                    f" [{e.actor}]",
                )
                if part
            )
        )
        for e in entry.history
    ]
    # p only where a caller or a phone is (or was) written: a 来文 or an instruction has nothing to reveal
    personal = bool(current.caller or current.phone) or any(
        name in ("caller", "phone") for e in entry.history for name in e.changes
    )
    sections = [(p.t("detail.history"), history)] if history else []
    return p.detail(entry.id, fields, sections, subject=f"dutylog:{entry.id}" if personal else "", reveal=reveal)


def incident_detail(p: Presenter, found: IncidentClock, rules: DutyRules | None = None) -> DetailContent:
    """An incident's fields, the reports made (迟报 when late) and the reports owed."""
    incident = found.incident
    fields = [
        (p.t("duty.form.title"), literal(incident.title)),
        (p.t("duty.form.category"), Text(label(incident.category, p.lang))),
        (p.t("duty.form.level"), Text(label(incident.level, p.lang))),
        (p.t("col.place"), literal(incident.place or p.t("empty.none"))),
        (p.t("detail.description"), literal(incident.description or p.t("empty.none"))),
        (p.t("duty.occurred_at"), Text(f"{incident.occurred_at:%Y-%m-%d %H:%M}")),
        (p.t("duty.known_at"), Text(f"{incident.known_at:%Y-%m-%d %H:%M}")),
    ]
    reports = []
    for slot in report_slots(incident, rules):
        if (r := slot.report) is None:
            continue
        line = literal(f"{r.at:%m-%d %H:%M} {label(r.stage, p.lang)} → {r.to}  [{r.by}] {r.note}".rstrip())
        if slot.due is not None and slot.late(found.now):
            late = minutes_text(slot.overdue_by(found.now), p.lang)
            due = f"{slot.due:%H:%M}" if slot.due.date() == r.at.date() else f"{slot.due:%m-%d %H:%M}"
            line.append("  " + p.t("duty.report_made_late").format(due=due, late=late), "bold red")
        reports.append(line)
    owed = [
        Text(
            f"{label(s.stage, p.lang)} {s.due:%m-%d %H:%M}" if s.due else label(s.stage, p.lang),
            style="bold red" if s.late(found.now) else "",
        )
        for s in found.owed
    ]
    return p.detail(incident.id, fields, [(p.t("duty.reports"), reports), (p.t("duty.owed"), owed)])
