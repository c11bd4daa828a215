"""`duty-room petition ...`: the case desk for scripts and the on-call person on a slow link, through
the same store functions as the dashboard."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

import click

from duty_room import usage, words
from duty_room.usage import CommandGroup, Whole
from duty_room.words import Lang, label, parse_member
from store import clock
from store.lifecycle import (
    RULES,
    Action,
    change_status,
    perform,
    register,
)
from store.masking import log_reveal, mask_name, mask_phone
from store.models import (
    Category,
    Channel,
    Community,
    Grid,
    GridWorker,
    Household,
    Petition,
    PetitionEvent,
    PetitionStatus,
    Priority,
    Satisfaction,
)
from store.queries import filter_petitions, open_petitions
from store.storage import Store
from store.text import display_safe
from store.visiting import case_address

from .cli import echo_json, id_typed, phrase, settings_of, store_of
from .exits import FIELD_WORDS

E = TypeVar("E", bound=StrEnum)


def _member(enum: type[E], text: str | None) -> E | None:
    return None if text is None else parse_member(enum, text)  # an unknown word: one line, exit 1 (cli.py)


def _record(petition: Petition, *, reveal: bool) -> dict[str, Any]:
    """What --json prints: the stored record under its stable English keys (personal data masked)."""
    data = petition.model_dump(mode="json")
    if not reveal:
        data["reporter_name"] = mask_name(petition.reporter_name)
        data["reporter_phone"] = mask_phone(petition.reporter_phone) or None
    data["status_label"] = label(petition.status)
    return data


# `petition show`: each field a person reads, in the interface language (--json keeps the keys).
SHOWN_FIELDS = [key for key in FIELD_WORDS["Petition"] if key not in ("title", "building", "unit")]


def _shown_value(case: Petition, key: str, data: dict[str, Any], lang: Lang, names: dict[str, str]) -> str:
    """A field's value as a person reads it; free text escaped (a newline as ⏎: no forged line)."""
    value = getattr(case, key)
    if key in ("reporter_name", "reporter_phone"):  # masked unless revealed
        value = data.get(key)
    if value is None:
        return ""
    if isinstance(value, StrEnum):
        return label(value, lang)
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if key in ("community_id", "grid_id") and value in names:
        return f"{display_safe(names[value])} ({value})"
    if isinstance(value, list):
        return words.t("punct.list", lang).join(display_safe(str(v)) for v in value)
    return display_safe(str(value))


def action_words(action: str, lang: Lang) -> str:
    """A history step's name (登记, 受理…); a step the catalogue does not know shows as stored."""
    said = words.t(f"action.{action}", lang)
    return action if said == f"action.{action}" else said


def history_line(event: PetitionEvent, lang: Lang) -> str:
    """One step of a case's history: when, what, from → to, who, and the note (escaped)."""
    move = ""
    if event.to_status and event.from_status != event.to_status:
        before = f"{label(event.from_status, lang)} " if event.from_status else ""
        move = f" {before}→ {label(event.to_status, lang)}"
    heard = words.follow_up_said(event.satisfaction, event.solved, lang)
    rating = f" {heard}" if heard else ""
    line = (
        f"{event.at:%Y-%m-%d %H:%M} {display_safe(action_words(event.action, lang))}{move}{rating} "
        f"[{display_safe(event.actor)}]"
    )
    return f"{line} {display_safe(words.history_note(event.action, event.note, lang))}" if event.note else line


@click.group(cls=CommandGroup)
def petition() -> None:
    """Petitions (民情诉求): register, list, show and move cases along."""


@petition.command()
@click.option("--title", required=True, help="One line: what the case is about.")
@click.option(
    "--channel",
    default="hotline",
    show_default=True,
    help="mailbox, talk_point, council, home_visit, grid_report, hotline, online (or the Chinese label).",
)
@click.option(
    "--category",
    required=True,
    help="property, family, neighbour, infrastructure, gas, sanitation, street_vending, illegal_building, public_security, convenience, other (or 物业纠纷 …).",
)
@click.option(
    "--priority",
    default="normal",
    show_default=True,
    help="emergency, urgent, normal, complex (or 紧急 / 加急 / 一般 / 复杂).",
)
@click.option(
    "--community", "community_id", required=True, help="Community id or name, e.g. dongcheng or 东城花园社区."
)
@click.option("--grid", "grid_id", default=None, callback=usage.filled, help="Grid id, e.g. dc-M03.")
@click.option("--building", default="")
@click.option("--unit", default="")
@click.option("--reporter", "reporter_name", default="", help="Reporter's name (shown masked).")
@click.option("--phone", "reporter_phone", default=None, help="Reporter's phone (shown masked).")
@click.option("--description", default="")
@click.pass_context
def add(ctx: click.Context, **fields: Any) -> None:
    """Register a case; prints its id."""
    store = store_of(ctx)
    fields["channel"] = _member(Channel, fields["channel"])
    fields["category"] = _member(Category, fields["category"])
    fields["priority"] = _member(Priority, fields["priority"])
    created = register(store, fields, rules=settings_of(ctx).deadlines)
    click.echo(created.id)


@petition.command(name="list")
@click.option(
    "--status", "statuses", multiple=True, callback=usage.filled, help="Only these statuses (key or label); repeatable."
)
@click.option("--category", default=None, callback=usage.filled)
@click.option("--grid", default=None, callback=usage.filled, help="Grid name or id contains this.")
@click.option("--assignee", default=None, callback=usage.filled, help="Assignee contains this.")
@click.option("--text", default="", help="Free text over id, subject, community, grid, assignee.")
@click.option("--overdue", is_flag=True, help="Only overdue cases.")
@click.option(
    "--all",
    "include_closed",
    is_flag=True,
    help="Include closed, cancelled and merged cases still live (closed in the last 30 days).",
)
@click.option("--json", "as_json", is_flag=True, help="A JSON array of records (personal data masked).")
@click.pass_context
def list_cases(
    ctx: click.Context,
    statuses: tuple[str, ...],
    category: str | None,
    grid: str | None,
    assignee: str | None,
    text: str,
    overdue: bool,
    include_closed: bool,
    as_json: bool,
) -> None:
    """Open cases, most urgent first."""
    store = store_of(ctx)
    now = clock.now()
    wanted = {_member(PetitionStatus, s) for s in statuses}
    query = " ".join(
        [text]
        + ([f"cat:{_member(Category, category).value}"] if category else [])  # type: ignore[union-attr]
        + ([f"grid:{grid}"] if grid else [])
        + ([f"who:{assignee}"] if assignee else [])
    )
    views = open_petitions(store, now, include_closed=include_closed)
    store.refuse_missing_listed()  # a deleted day file's cases would be left out of a list that looks whole
    views = filter_petitions(views, query, words.all_labels())
    views = [v for v in views if (not wanted or v.petition.status in wanted) and (not overdue or v.overdue)]
    if as_json:
        echo_json([_record(v.petition, reveal=False) | {"overdue": v.overdue} for v in views], indent=1)
        return
    lang = settings_of(ctx).lang
    for v in views:
        p = v.petition
        flag = "!" if v.overdue else "·" if v.due_today else " "
        click.echo(
            f"{flag} {p.id}  {label(p.status, lang)}  {p.due_at:%m-%d %H:%M}  {label(p.category, lang)}  "
            f"{display_safe(v.community)}  {display_safe(p.title)}"
        )


@petition.command()
@click.argument("case_id", callback=id_typed)
@click.option("--json", "as_json", is_flag=True)
@click.option("--reveal", is_flag=True, help="Show unmasked personal data (permitted users only; logged).")
@click.pass_context
def show(ctx: click.Context, case_id: str, as_json: bool, reveal: bool) -> None:
    """One case with its whole history."""
    store = store_of(ctx)
    case = store.find(Petition, case_id)[0]
    if reveal:
        store.refuse_if_read_only()  # a viewer cannot write the audit, so cannot reveal
        allowed = settings_of(ctx).reveals_to(store.actor)  # the dashboard's rule (Desk.reveals)
        log_reveal(store, f"petitions:{case_id}", None, allowed)  # what the dashboard's p on it unmasks
        if not allowed:
            raise click.ClickException(phrase("cli.may_not_reveal", actor=store.actor))
        case = store.find(Petition, case_id)[0]
    data = _record(case, reveal=reveal)
    if as_json:
        echo_json(data, indent=1)
        return
    # Free text escaped (a newline as ⏎): a description cannot forge a line. --json is for scripts.
    lang = settings_of(ctx).lang
    names = {c.id: c.name for c in store.all(Community)} | {g.id: g.name for g in store.all(Grid)}
    household = (
        next((h for h in store.all(Household) if h.id == case.household_id), None) if case.household_id else None
    )
    colon = words.t("punct.colon", lang)
    click.echo(f"{case.id}  {label(case.status, lang)}  {display_safe(case.title)}")
    for key in SHOWN_FIELDS:
        value = _shown_value(case, key, data, lang, names)
        if value:
            click.echo(f"  {words.t(FIELD_WORDS['Petition'][key], lang)}{colon}{value}")
        if key == "grid_id":  # then where below the grid, as the dashboard's detail says it
            for name, place in case_address(case.building, case.unit, household, reveal=reveal):
                click.echo(f"  {words.t(f'address.{name}', lang)}{colon}{display_safe(place)}")
    click.echo(f"  {words.t('detail.history', lang)}{colon.rstrip()}")
    for event in case.history:
        click.echo(f"    {history_line(event, lang)}")


def _assignee(store: Store, text: str) -> dict[str, Any]:
    """A worker by id or exact name (with their id), else a unit name as given."""
    for worker in store.all(GridWorker):
        if text in (worker.id, worker.name):
            return {"assignee": worker.name, "assignee_id": worker.id}
    return {"assignee": text}


@petition.command(name="set-status")
@click.argument("case_id", callback=id_typed)
@click.argument("status")
@click.option("--note", default="")
@click.option("--assignee", default="", help="For dispatched: a worker id or name, or a unit.")
@click.option("--satisfaction", default=None, help="For closed: satisfied / basically / unsatisfied (or 满意 …).")
@click.pass_context
def set_status(
    ctx: click.Context, case_id: str, status: str, note: str, assignee: str, satisfaction: str | None
) -> None:
    """Move a case to STATUS by the one legal step that leads there."""
    store = store_of(ctx)
    target = _member(PetitionStatus, status)
    assert target is not None
    updated = change_status(
        store,
        case_id,
        target,
        note=note,
        satisfaction=_member(Satisfaction, satisfaction),
        assignee=_assignee(store, assignee)["assignee"] if assignee else "",
    )
    click.echo(f"{updated.id} {updated.status.value} ({label(updated.status, settings_of(ctx).lang)})")


def _action_command(action: Action) -> Callable[..., None]:
    rule = RULES[action]

    @click.pass_context
    def command(ctx: click.Context, case_id: str, note: str, **options: Any) -> None:
        store = store_of(ctx)
        params: dict[str, Any] = {"note": note}
        if options.get("assignee"):
            params.update(_assignee(store, options["assignee"]))
        if action is Action.FOLLOW_UP:
            params["satisfaction"] = _member(Satisfaction, options["satisfaction"])
            params["solved"] = not options["unsolved"]
        if action is Action.EXTEND_REQUEST:
            params["days"] = options["days"]
        if action is Action.MERGE:
            params["duplicate_of"] = options["into"]
        updated = perform(store, case_id, action, rules=settings_of(ctx).deadlines, **params)
        lang = settings_of(ctx).lang  # each value as scripts read it, then in words, as the status is
        extra = f" level={updated.level.value} ({label(updated.level, lang)})" if action is Action.ESCALATE else ""
        if action is Action.SUPERVISE:
            extra += f" supervision={updated.supervision.value} ({label(updated.supervision, lang)})"
        click.echo(f"{updated.id} {updated.status.value} ({label(updated.status, lang)}){extra}")

    command = click.argument("case_id", callback=id_typed)(command)
    command = click.option(
        "--note",
        default="",
        required=False,
        help="Why (required for this step)." if rule.needs_note else "Optional note.",
    )(command)
    if rule.needs_assignee:
        command = click.option("--assignee", required=True, help="A worker id or name, or a unit.")(command)
    if action is Action.FOLLOW_UP:
        command = click.option(
            "--satisfaction", required=True, help="satisfied / basically / unsatisfied (满意 / 基本满意 / 不满意)."
        )(command)
        command = click.option("--unsolved", is_flag=True, help="The reporter says the problem is not solved.")(command)
    if action is Action.EXTEND_REQUEST:
        command = click.option("--days", type=Whole(min=1), required=True, help="Extra working days.")(command)
    if action is Action.MERGE:
        command = click.option("--into", required=True, callback=id_typed, help="The original case id.")(command)
    return command


for _action in Action:
    petition.command(
        name=_action.value.replace("_", "-"), help=f"{words.t('action.' + _action.value)} ({_action.value})."
    )(_action_command(_action))
