"""登记: the intake form of a new case, reached by ``n`` on every panel and from a household visit."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from pydantic import ValidationError

from duty_room.words import Lang
from store import clock
from store.lifecycle import INTAKE_REFUSALS, draft, grid_elsewhere, register
from store.models import Category, Channel, Community, Grid, Petition, Priority
from store.refusal import FieldsRefused
from store.text import max_chars
from widgets.specs import FieldSpec, FormTexts

from ..desk import enum_field, field_errors, form_texts, names_of

if TYPE_CHECKING:  # the screens are imported when the first opens, not before the first frame (widgets/specs.py)
    from widgets.form import FormScreen

    from ..desk import Desk


def intake_form(
    desk: Desk, communities: Sequence[Community], grids: Sequence[Grid], prefill: dict[str, str] | None = None
) -> tuple[list[FieldSpec], FormTexts]:
    t, lang = desk.t, desk.lang
    names = names_of(communities)
    fields = [
        FieldSpec("title", t("intake.title"), max_length=max_chars(Petition, "title")),
        enum_field("channel", t("detail.channel"), Channel, lang, value=Channel.HOTLINE, placeholder=t("form.choose")),
        enum_field("category", t("col.category"), Category, lang, placeholder=t("form.choose")),
        enum_field("priority", t("detail.priority"), Priority, lang, value=Priority.NORMAL),
        FieldSpec(
            "community_id",
            t("col.community"),
            "choice",
            [(c.id, c.name) for c in communities],
            placeholder=t("form.choose"),
        ),
        FieldSpec(
            "grid_id",
            t("col.grid"),
            "picker",
            [(g.id, f"{names.get(g.community_id, g.community_id)} {g.name}") for g in grids],
            placeholder=t("form.grid_filter"),
            within=("community_id", {g.id: g.community_id for g in grids}),  # the chosen community's grids
        ),
        FieldSpec("building", t("address.building"), max_length=max_chars(Petition, "building")),
        FieldSpec("unit", t("address.unit"), max_length=max_chars(Petition, "unit")),
        FieldSpec("reporter_name", t("detail.reporter"), max_length=max_chars(Petition, "reporter_name")),
        FieldSpec("reporter_phone", t("col.phone"), example="138xxxxxxxx"),
        FieldSpec("description", t("detail.description"), max_length=max_chars(Petition, "description")),
    ]
    prefill = prefill or {}
    fields = [replace(f, value=prefill[f.key]) if f.key in prefill else f for f in fields]
    key = desk.present.key
    hint = t("intake.hint").format(
        next=key("form.next", "Tab"), submit=key("form.submit", "Ctrl+S"), cancel=key("form.cancel", "Esc")
    )
    return fields, form_texts(lang, t("intake.heading"), hint)


def intake_cross_check(values: dict[str, str], grids: dict[str, Grid], lang: Lang) -> dict[str, str]:
    """The grid must lie in the chosen community (as ``register`` refuses it), marked with the other fields."""
    grid = grids.get(values.get("grid_id", ""))
    chosen = values.get("community_id")
    refused = grid_elsewhere(grid, chosen) if grid is not None and chosen else None
    return {"grid_id": refused.message(lang)} if refused is not None else {}


def ask_intake(
    desk: Desk,
    prefill: dict[str, str] | None = None,
    save: Callable[[dict[str, str]], Petition] | None = None,
    *,
    masked: Mapping[str, tuple[str, str]] | None = None,
) -> None:
    """登记 a new case; ``prefill`` fills fields (from a visit or a duty-log entry); ``save`` writes the
    checked values (default ``register``). ``masked``: fields filled with personal data (a log entry's
    caller and phone), by key (shown masked, as stored): the form shows them masked, as the entry's
    own detail and 更正 do (an unlogged reveal otherwise); left as shown, kept; emptied, left out;
    typed anew, changed; typed on (李**明), refused."""
    if desk.read_only:
        return
    masked = dict(masked or {})
    prefill = {**(prefill or {}), **{key: shown for key, (shown, _) in masked.items()}}
    communities, grids = desk.store.all(Community), desk.store.all(Grid)
    fields, texts = intake_form(desk, communities, grids, prefill)
    if masked:
        fields = [
            replace(f, placeholder=desk.t("duty.form.cleared").format(masked[f.key][0])) if f.key in masked else f
            for f in fields
        ]
        texts = replace(texts, subtitle=f"{texts.subtitle} · {desk.t('intake.masked_hint')}")
    hidden = {k: v for k, v in prefill.items() if k not in {f.key for f in fields}}  # e.g. household_id
    grid_by_id = {g.id: g for g in grids}

    def submitted(form: FormScreen, values: dict[str, str]) -> None:
        values = {**values, **hidden}
        typed_on = {}
        for key, (shown, stored) in masked.items():
            if values.get(key) == shown:  # as the form shows it: kept, as stored
                values[key] = stored
            elif "*" in values.get(key, ""):  # the stars would be saved as the name
                typed_on[key] = desk.t("duty.form.masked_typed")
        if typed_on:
            raise FieldsRefused(typed_on)
        # Checked here at once (no disk): every bad field is marked together.
        errors = intake_cross_check(values, grid_by_id, desk.lang)
        try:
            draft(values, actor=desk.store.actor, now=clock.now(), rules=desk.settings.deadlines)
        except ValidationError as exc:
            errors = {**field_errors(exc, desk.lang), **errors}
        if errors:
            raise FieldsRefused(errors)

        write = save or (lambda checked: register(desk.store, checked, rules=desk.settings.deadlines))
        desk.submit(
            lambda: write(values),
            lambda created: desk.t("intake.saved").format(id=created.id, due=f"{created.due_at:%m-%d %H:%M}"),
            form,
            INTAKE_REFUSALS,
            after=lambda created: desk.select_new("petitions", created.id),  # 受理 it next
        )

    desk.open_form(fields, texts, submitted)
