"""`duty-room duty …`, `duty-room incident …` and `duty-room handover`: a whole shift from the command
line, through the same store functions as the dashboard."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import click

from duty_room import usage, words
from duty_room.usage import Choice, CommandGroup, Place, refused_as_typed
from duty_room.words import label, parse_member
from store import clock
from store.duty_models import CORRECTABLE, IncidentCategory, IncidentLevel, LogKind, ReportStage
from store.dutylog import (
    end_incident,
    entries_between,
    find_shift,
    incident_clock,
    link_petition,
    log_entry,
    next_handover,
    open_incident,
    open_incidents,
    petition_from_entry,
    plan_shift,
    report_clock,
    report_incident,
    shift_at,
    swap_shift,
    typed_moment,
)
from store.errors import environment_error
from store.handover import acknowledge, hand_over_now, handover_report, pending_handover
from store.masking import mask_name, mask_phone
from store.models import Category, Channel, DutyShift, Priority
from store.text import ascii_numerals

from .cli import echo_json, id_typed, phrase, settings_of, slot_json, store_of
from .exports import export_target
from .handover_export import (
    ExportNameRefused,
    entry_from,
    export_format,
    people,
    render_markdown,
    slot_text,
    write_copy,
)
from .petition_cli import _member


def _when(text: str | None, *, past: bool = True) -> datetime | None:
    """The time typed for ``--at`` / ``--known`` (``store.dutylog.typed_moment``, as the panel's forms)."""
    if text is None:
        return None
    try:
        return typed_moment(text, past=past)
    except ValueError:
        raise click.ClickException(phrase("cli.bad_time", v=text.strip())) from None


# ---------------------------------------------------------------------------
# 值班表 and 值班记录


@click.group(cls=CommandGroup)
def duty() -> None:
    """The 值班表 and the 值班记录 (duty log)."""


def _shift_json(shift: DutyShift) -> dict[str, Any]:
    data = shift.model_dump(mode="json", exclude={"updated_at", "updated_by"})
    data["phones"] = {name: mask_phone(number) for name, number in shift.phones.items()}
    data.update(starts_at=shift.starts_at.isoformat(), ends_at=shift.ends_at.isoformat())
    return data


def time_option(name: str = "--at", dest: str = "at_text", help: str = "When it was made, if not now.") -> Any:
    """A time option (HH:MM or YYYY-MM-DD HH:MM; not given: now), refused when given empty (``usage.filled``)."""
    return click.option(name, dest, default=None, callback=usage.filled, help=help)


@duty.command()
@click.option("--json", "as_json", is_flag=True, help="As JSON (phones masked).")
@time_option(help="At another time (HH:MM or YYYY-MM-DD HH:MM).")
@click.pass_context
def today(ctx: click.Context, as_json: bool, at_text: str | None) -> None:
    """Who is on duty now, until when, and the next shift (phones masked)."""
    settings = settings_of(ctx)
    lang, rules = settings.lang, settings.duty
    store = store_of(ctx)
    now = _when(at_text, past=False) or clock.now()
    shift = shift_at(store, now)
    handover = next_handover(store, now, rules)
    following = shift_at(store, handover)
    clocks = report_clock(store, now, rules)
    awaiting = pending_handover(store, now)  # handed over, not yet taken over
    if as_json:
        echo_json(
            {
                "at": now.isoformat(timespec="minutes"),
                "shift": None if shift is None else _shift_json(shift),
                "next_handover": handover.isoformat(),
                "next_shift": None if following is None or following == shift else _shift_json(following),
                "incidents": [
                    {
                        "id": c.incident.id,
                        "title": c.incident.title,
                        "next": None if c.next is None else slot_json(c.next),
                        "late": bool(c.late),
                    }
                    for c in clocks
                ],
                "awaiting_ack": None if awaiting is None else awaiting.id,
            }
        )
        return
    t = lambda key: words.t(key, lang)  # noqa: E731
    if shift is None:
        click.echo(t("duty.none"))
    else:
        click.echo(f"{t('duty.shift')} {shift.id}  {shift.span}")
        click.echo(f"  {people(shift, lang)}")
        for swap in shift.swaps:
            click.echo(
                f"  {t('duty.swaps')}: "
                + t("duty.swap_line").format(**swap.model_dump(include={"replaced", "by", "asked_by", "approved_by"}))
            )
    click.echo(f"{t('duty.handover_at')} {handover:%Y-%m-%d %H:%M}")
    if following is not None and following != shift:
        click.echo(f"{t('duty.next_shift')}: {people(following, lang)}")
    for c in clocks:
        if c.next is not None:
            click.echo(f"{c.incident.id} {c.incident.title[:20]}: {slot_text(c.next, now, lang)}")
    if awaiting is not None:
        click.echo(f"{awaiting.id}: {t('handover.not_acked')}")


def _pairs(pairs: tuple[str, ...], refusal: str) -> dict[str, str]:
    """``NAME=VALUE`` options (``--phone``, ``--set``) as {name: value}; one without ``=`` refused in ``refusal``'s words."""
    parsed = {}
    for pair in pairs:
        name, sep, value = pair.partition("=" if "=" in pair else "＝")  # ＝: an input method in full-width
        if not sep:
            raise click.ClickException(phrase(refusal, v=pair))
        parsed[name.strip()] = value
    return parsed


class _Day(click.DateTime):
    """A YYYY-MM-DD argument, with a Chinese input method's digits too (２０２６－１２－０１)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        typed = ascii_numerals(value) if isinstance(value, str) else value
        return refused_as_typed(lambda: super(_Day, self).convert(typed, param, ctx), value)


@duty.command()
@click.argument("day", type=_Day(formats=["%Y-%m-%d"]))
@click.option("--leader", required=True, help="带班领导.")
@click.option("--staff", multiple=True, required=True, help="值班员 (one or two: repeat the option).")
@click.option("--phone", "phones", multiple=True, help="NAME=NUMBER, for anyone on the shift (repeatable).")
@click.pass_context
def plan(ctx: click.Context, day: datetime, leader: str, staff: tuple[str, ...], phones: tuple[str, ...]) -> None:
    """Put DAY's shift on the 值班表 (or re-plan it)."""
    phone_of = {name: number.strip() for name, number in _pairs(phones, "cli.phone_pair").items()}
    shift = plan_shift(
        store_of(ctx), day.date(), leader=leader, staff=list(staff), phones=phone_of, rules=settings_of(ctx).duty
    )
    click.echo(f"{shift.id} {shift.span}")


@duty.command()
@click.argument("shift_id", callback=id_typed)
@click.option("--replace", "replaced", required=True, help="Who is replaced.")
@click.option("--with", "by", required=True, help="Who takes the place.")
@click.option("--asked-by", required=True, help="Who asked for the swap.")
@click.option("--approved-by", required=True, help="Who approved it.")
@click.option("--phone", default=None, help="The new person's phone.")
@click.option("--note", default="")
@click.pass_context
def swap(ctx: click.Context, shift_id: str, **swap: Any) -> None:
    """换班: record a swap on a shift (who asked, who approved)."""
    shift = swap_shift(store_of(ctx), shift_id, **swap)
    click.echo(f"{shift.id}: {people(shift, settings_of(ctx).lang)}")


@duty.command(name="log")
@click.option(
    "--kind",
    default="call",
    show_default=True,
    help="call, document, visit, instruction, incident, patrol, other"
    " (or 来电 / 来文 / 来访 / 上级指示 / 突发事件 / 巡查 / 其他).",
)
@click.option("--content", required=True, help="What was said or received.")
@click.option("--from", "source", default="", help="Calling or sending unit.")
@click.option("--caller", default="", help="A person's name (shown masked).")
@click.option("--phone", default=None, help="Contact number (shown masked).")
@click.option("--action", "action_taken", default="", help="What was done (处理情况).")
@click.option("--reported-to", default="", help="Who it was reported to (已报告).")
@time_option(help="When it came in, if not now (HH:MM or YYYY-MM-DD HH:MM).")
@click.option(
    "--community", "community_id", default=None, callback=usage.filled, help="Community id or name, if it concerns one."
)
@click.option("--late", is_flag=True, help="A late entry: --at before the previous shift began (refused without it).")
@click.pass_context
def log_command(ctx: click.Context, kind: str, at_text: str | None, **fields: Any) -> None:
    """Write a line of the 值班记录; prints its id."""
    entry = log_entry(store_of(ctx), kind=_member(LogKind, kind), at=_when(at_text), **fields)  # type: ignore[arg-type]
    click.echo(entry.id)


@duty.command()
@click.option("--shift", "shift_id", default=None, callback=id_typed, help="A shift id (default: the one on duty).")
@click.option("--json", "as_json", is_flag=True, help="As JSON (names and phones masked).")
@click.pass_context
def entries(ctx: click.Context, shift_id: str | None, as_json: bool) -> None:
    """The shift's 值班记录, as corrected."""
    store, lang = store_of(ctx), settings_of(ctx).lang
    now = clock.now()
    shift = find_shift(store, shift_id) if shift_id else shift_at(store, now)
    if shift is not None:
        start, end = shift.starts_at, shift.ends_at
    else:  # nobody on the roster: the regular duty period we are in
        end = next_handover(store, now, settings_of(ctx).duty)
        start = end - timedelta(hours=settings_of(ctx).duty.shift_hours)
    found = entries_between(store, start, end)
    if as_json:
        rows = []
        for e in found:
            data = e.model_dump(mode="json", exclude={"history"})
            data.update(
                caller=mask_name(e.caller),
                phone=mask_phone(e.phone) or None,
                petition_ids=e.petition_ids,
                corrections=sum(h.action == "correct" for h in e.history),
            )
            rows.append(data)
        echo_json(rows)
        return
    for e in found:
        who = entry_from(e.source, e.caller, e.phone)
        cases = f" → {' '.join(e.petition_ids)}" if e.petition_ids else ""
        head = " ".join(part for part in (e.id, f"{e.at:%m-%d %H:%M}", label(e.kind, lang), who) if part)
        click.echo(f"{head}: {e.content.splitlines()[0][:40]}{cases}")  # from no one named: no gap before the colon


@duty.command()
@click.argument("entry_id", callback=id_typed)
@click.option(
    "--set", "changes", multiple=True, required=True, help=f"FIELD=VALUE, one of {', '.join(CORRECTABLE)} (repeatable)."
)
@click.option("--note", required=True, help="Why (kept in the entry's history).")
@click.pass_context
def correct(ctx: click.Context, entry_id: str, changes: tuple[str, ...], note: str) -> None:
    """Correct an entry: a new event; the first text stays in its history."""
    from store.dutylog import correct_entry

    fields = _pairs(changes, "cli.set_pair")
    if "kind" in fields:  # its English key or its word (来电), as `duty log --kind` takes it
        fields["kind"] = parse_member(LogKind, fields["kind"]).value
    entry = correct_entry(store_of(ctx), entry_id, fields, note=note)
    click.echo(f"{entry.id} ({len(entry.history)})")


@duty.command(name="to-case")
@click.argument("entry_id", callback=id_typed)
@click.option(
    "--community",
    "community_id",
    default=None,
    callback=usage.filled,
    help="Community id or name (required unless the entry names one).",
)
@click.option("--category", default=None, help="Case category (default: guessed from the content, else other).")
@click.option(
    "--channel",
    default=None,
    help="How the case came (default: hotline for a call, document, instruction or incident, grid_report"
    " for a patrol; required for a visit or other): mailbox, talk_point, council, home_visit, grid_report,"
    " hotline, online (or the Chinese label).",
)
@click.option("--priority", default=None)
@click.option("--grid", "grid_id", default=None)
@click.option("--title", default=None)
@click.pass_context
def to_case(
    ctx: click.Context,
    entry_id: str,
    category: str | None,
    channel: str | None,
    priority: str | None,
    **given: str | None,
) -> None:
    """Register the case an entry calls for (prefilled from it) and link the two; prints the case id."""
    given |= {
        "category": _member(Category, category),
        "channel": _member(Channel, channel),
        "priority": _member(Priority, priority),
    }
    overrides = {key: value for key, value in given.items() if value is not None}
    petition = petition_from_entry(store_of(ctx), entry_id, overrides, rules=settings_of(ctx).deadlines)
    click.echo(petition.id)


@duty.command()
@click.argument("entry_id", callback=id_typed)
@click.argument("case_id", callback=id_typed)
@click.pass_context
def link(ctx: click.Context, entry_id: str, case_id: str) -> None:
    """Link an entry to an existing case (both keep the link)."""
    entry = link_petition(store_of(ctx), entry_id, case_id)
    click.echo(f"{entry.id} → {' '.join(entry.petition_ids)}")


# ---------------------------------------------------------------------------
# 突发事件信息报送


@click.group(cls=CommandGroup)
def incident() -> None:
    """突发事件信息报送: open an incident, record each report upward, close it with the 终报."""


def _clock_line(ctx: click.Context, incident_id: str) -> str:
    """The incident's id and what is due next, or when its 终报 closed it (by `close` or `report
    --stage final`: the id alone did not say the incident was closed)."""
    from store.dutylog import find_incident

    settings = settings_of(ctx)
    now = clock.now()
    found = find_incident(store_of(ctx), incident_id)
    if found.closed_at is not None:
        return f"{found.id} {label(ReportStage.FINAL, settings.lang)} {found.closed_at:%Y-%m-%d %H:%M}"
    nxt = incident_clock(found, now, settings.duty).next
    return f"{found.id}" + (
        f"  {words.t('handover.next_due', settings.lang)}: {slot_text(nxt, now, settings.lang)}" if nxt else ""
    )


@incident.command(name="open")
@click.option("--title", required=True)
@click.option(
    "--category",
    required=True,
    help="natural, accident, public_health, social_safety (or 自然灾害 / 事故灾难 / 公共卫生事件 / 社会安全事件).",
)
@click.option("--level", default="iv", show_default=True, help="i, ii, iii, iv (or 特别重大(I级) …).")
@click.option("--place", default="")
@click.option("--description", default="")
@click.option("--occurred", "occurred_text", default=None, help="When it happened (default: when known).")
@time_option("--known", "known_text", help="When the duty room learnt of it (default: now): the clocks start here.")
@click.option("--community", "community_id", default=None, callback=usage.filled)
@click.option(
    "--entry",
    "entry_id",
    default=None,
    callback=id_typed,
    help="The log entry it came in as (default: one is written).",
)
@click.option("--from", "source", default="")
@click.option("--caller", default="")
@click.option("--phone", default=None)
@click.option("--late", is_flag=True, help="Learnt of before the previous shift began (refused without it).")
@click.pass_context
def open_command(
    ctx: click.Context, category: str, level: str, occurred_text: str | None, known_text: str | None, **fields: Any
) -> None:
    """Open an incident; prints its id and the first report due."""
    opened = open_incident(
        store_of(ctx),
        category=_member(IncidentCategory, category),  # type: ignore[arg-type]
        level=_member(IncidentLevel, level),  # type: ignore[arg-type]
        occurred_at=_when(occurred_text),
        known_at=_when(known_text),
        **fields,
    )
    click.echo(_clock_line(ctx, opened.id))


@incident.command()
@click.argument("incident_id", callback=id_typed)
@click.option("--stage", required=True, help="phone, written, follow_up, final (or 首报 / 书面报告 / 续报 / 终报).")
@click.option("--to", "to", required=True, help="Reported to (e.g. 区应急管理局值班室).")
@click.option("--by", default=None, help="Who made the report (default: you).")
@time_option()
@click.option("--note", default="")
@click.pass_context
def report(ctx: click.Context, incident_id: str, stage: str, at_text: str | None, **made: Any) -> None:
    """Record a report upward; prints the next one due."""
    report_incident(store_of(ctx), incident_id, _member(ReportStage, stage), at=_when(at_text), **made)  # type: ignore[arg-type]
    click.echo(_clock_line(ctx, incident_id))


@incident.command()
@click.argument("incident_id", callback=id_typed)
@time_option(help="When handling ended, if not now.")
@click.pass_context
def end(ctx: click.Context, incident_id: str, at_text: str | None) -> None:
    """处置结束: handling is over; the 终报 falls due."""
    end_incident(store_of(ctx), incident_id, at=_when(at_text))
    click.echo(_clock_line(ctx, incident_id))


@incident.command()
@click.argument("incident_id", callback=id_typed)
@click.option("--to", "to", required=True)
@click.option("--by", default=None)
@time_option()
@click.option("--note", default="")
@click.pass_context
def close(ctx: click.Context, incident_id: str, at_text: str | None, **made: Any) -> None:
    """Record the 终报 and close the incident."""
    report_incident(store_of(ctx), incident_id, ReportStage.FINAL, at=_when(at_text), **made)
    click.echo(_clock_line(ctx, incident_id))


@incident.command(name="list")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def list_incidents(ctx: click.Context, as_json: bool) -> None:
    """Open incidents with their next report due (late ones first)."""
    settings = settings_of(ctx)
    store, now = store_of(ctx), clock.now()
    clocks = report_clock(store, now, settings.duty)
    if as_json:
        echo_json(
            [
                {
                    **c.incident.model_dump(mode="json", exclude={"updated_at", "updated_by"}),
                    "next": None if c.next is None else slot_json(c.next),
                    "late": [slot_json(s) for s in c.late],
                }
                for c in clocks
            ]
        )
        return
    for c in clocks:
        i = c.incident
        nxt = slot_text(c.next, now, settings.lang) if c.next else ""
        click.echo(f"{i.id} {label(i.level, settings.lang)} {i.title}  {nxt}")
    if not open_incidents(store):
        click.echo(words.t("empty.none", settings.lang))


# ---------------------------------------------------------------------------
# 交接班


@click.command()
@click.option(
    "--shift",
    "shift_id",
    default=None,
    callback=id_typed,
    help="A shift id (default: the one on duty; with --ack, the one handed over).",
)
@click.option(
    "--format",
    "fmt",
    type=Choice(["md", "xlsx"]),
    default=None,
    help="md or xlsx; with --out, its name says it (.md or .xlsx), and --format must agree.",
)
@click.option(
    "--out",
    "out",
    type=Place(dir_okay=False),
    default=None,
    help="Write the handover to FILE (Markdown without it goes to the screen).",
)
@click.option("--give", is_flag=True, help="Hand the shift over (交班): record it with --notes.")
@click.option(
    "--ack", is_flag=True, help="Take the shift over (接班): acknowledge with your own account, with --notes."
)
@click.option(
    "--notes", default="", help="交班说明 / 遗留问题 (with --give), or the incoming officer's notes (with --ack)."
)
@click.pass_context
def handover(
    ctx: click.Context, shift_id: str | None, fmt: str | None, out: Path | None, give: bool, ack: bool, notes: str
) -> None:
    """交接班: print or export the handover of a shift, hand it over, or acknowledge it."""
    settings = settings_of(ctx)
    store, lang, now = store_of(ctx), settings.lang, clock.now()
    if give and ack:
        raise click.ClickException(phrase("cli.give_and_ack"))
    # The file's name and format are checked before anything is handed over or acknowledged.
    if out is None and fmt == "xlsx":
        raise click.ClickException(phrase("cli.xlsx_needs_out"))
    if out is not None:
        try:
            fmt = export_format(out, lang, fmt)
        except ExportNameRefused as refused:
            raise click.ClickException(f"{out}{phrase('punct.colon')}{refused}") from None
        out = export_target(settings, out)  # the service account's: only in its export folder
    if ack:
        shift = find_shift(store, shift_id) if shift_id else pending_handover(store, now)
        if shift is None:
            raise click.ClickException(phrase("cli.nothing_to_ack"))
        shift_id = shift.id
        acked = acknowledge(store, shift.id, notes=notes)
        click.echo(
            f"{acked.id} {words.t('handover.incoming', lang)} {acked.acknowledged_by} {acked.acknowledged_at:%Y-%m-%d %H:%M}",
            err=out is None,
        )
    rules, calendar, fees = settings.duty, settings.deadlines, settings.fees
    if give:  # the report built under the lock is the one recorded, and the one shown or written
        report = hand_over_now(store, shift_id=shift_id, notes=notes, rules=rules, calendar=calendar, fee_rules=fees)
        given = report.handover
        assert given is not None
        click.echo(
            f"{given.id} {words.t('handover.outgoing', lang)} {given.outgoing_by} {given.at:%Y-%m-%d %H:%M}",
            err=out is None,
        )
    else:
        report = handover_report(store, now, shift_id=shift_id, rules=rules, calendar=calendar, fee_rules=fees)
    if out is None:
        click.echo(render_markdown(report, lang), nl=False)
        return
    try:
        write_copy(settings, report, fmt or "md", out)
    except OSError as exc:
        why = environment_error(exc).why(lang)
        raise click.ClickException(words.t("cli.cannot_write", lang).format(path=out, why=why)) from None
    click.echo(str(out))  # the whole path written
