"""The forms of the case desk: what each step asks for, and turning answers into store calls.

Validation and the state machine live in store/; this module only asks and maps answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from pydantic import ValidationError

from store import i18n
from store.i18n import Lang, label
from store.lifecycle import RULES, Action, IllegalTransition
from store.models import (
    Category,
    Channel,
    Community,
    Grid,
    GridWorker,
    Petition,
    PetitionStatus,
    Priority,
    Satisfaction,
)
from widgets.form import FieldSpec, FormTexts

# Which field a refusal belongs to, so the reason shows beside it.
REFUSAL_FIELD = {
    "needs_note": "note",
    "needs_assignee": "assignee",
    "needs_rating": "satisfaction",
    "extension_days": "days",
    "merge_target": "duplicate_of",
    "merge_missing": "duplicate_of",
    "merge_closed": "duplicate_of",
}

@dataclass(frozen=True)
class StepForm:
    action: Action
    fields: list[FieldSpec]
    texts: FormTexts


def assignee_options(petition: Petition, workers: Sequence[GridWorker], grids: dict[str, Grid],
                     units: Sequence[str], lang: Lang) -> list[tuple[str, str]]:
    """The case's own grid workers first, then units, then everyone else on the roster."""
    def worker_label(worker: GridWorker) -> str:
        grid = grids.get(worker.grid_id)
        return f"{label(worker.role, lang)} {worker.name} · {grid.name if grid else worker.grid_id}"

    own = [w for w in workers if w.grid_id == petition.grid_id]
    rest = [w for w in workers if w.grid_id != petition.grid_id]
    return (
        [(f"worker:{w.id}", worker_label(w)) for w in own]
        + [(f"unit:{u}", u) for u in units]
        + [(f"worker:{w.id}", worker_label(w)) for w in rest]
    )


def step_form(action: Action, petition: Petition, lang: Lang, *, assignees: list[tuple[str, str]],
              open_cases: Sequence[Petition]) -> StepForm:
    t = lambda key: i18n.t(key, lang)  # noqa: E731
    rule = RULES[action]
    fields: list[FieldSpec] = []
    if rule.needs_assignee:
        fields.append(FieldSpec("assignee", t("form.assignee"), "picker", assignees, placeholder=t("form.type_to_filter")))
    if action is Action.FOLLOW_UP:
        fields.append(FieldSpec("satisfaction", t("form.satisfaction"), "choice",
                                [(s.value, label(s, lang)) for s in Satisfaction], value=Satisfaction.SATISFIED.value))
        fields.append(FieldSpec("solved", t("form.solved"), "choice", [("yes", t("form.yes")), ("no", t("form.no"))],
                                value="yes"))
    if action is Action.EXTEND_REQUEST:
        fields.append(FieldSpec("days", t("form.days"), "number", placeholder="5"))
    if action is Action.MERGE:
        others = [(p.id, f"{p.id} {p.title}") for p in open_cases if p.id != petition.id]
        fields.append(FieldSpec("duplicate_of", t("form.duplicate_of"), "picker", others,
                                placeholder=t("form.type_to_filter")))
    fields.append(FieldSpec("note", t("modal.note.required") if rule.needs_note else t("modal.note"), max_length=2000))
    title = f"{t('action.' + action.value)} · {petition.id} {petition.title}"
    subtitle = t("modal.status.current").format(label(petition.status, lang))
    return StepForm(action, fields, FormTexts(title, t("modal.confirm"), t("modal.cancel"), subtitle, t("form.no_match")))


def step_params(action: Action, values: dict[str, str], workers: dict[str, GridWorker]) -> dict[str, object]:
    """Form answers → keyword arguments of store.lifecycle.perform."""
    params: dict[str, object] = {"note": values.get("note", "")}
    chosen = values.get("assignee", "")
    if chosen.startswith("worker:") and chosen[7:] in workers:
        worker = workers[chosen[7:]]
        params.update(assignee=worker.name, assignee_id=worker.id)
    elif chosen.startswith("unit:"):
        params["assignee"] = chosen[5:]
    if action is Action.FOLLOW_UP:
        rating = values.get("satisfaction", "")
        params["satisfaction"] = Satisfaction(rating) if rating in Satisfaction._value2member_map_ else None
        params["solved"] = values.get("solved", "yes") == "yes"
    if action is Action.EXTEND_REQUEST:
        days = values.get("days", "").strip()
        params["days"] = int(days) if days.lstrip("-").isdigit() else None
    if action is Action.MERGE:
        params["duplicate_of"] = values.get("duplicate_of", "")
    return params


def refusal_errors(error: IllegalTransition, lang: Lang) -> tuple[dict[str, str], str]:
    """(field errors, general error) for a refused step."""
    field = REFUSAL_FIELD.get(error.key)
    message = error.message(lang)
    return ({field: message}, "") if field else ({}, message)


def dispatch_action(petition: Petition) -> Action:
    return Action.REDISPATCH if petition.status is PetitionStatus.RETURNED else Action.DISPATCH


# -- intake (登记) --------------------------------------------------------------------------


def intake_form(lang: Lang, communities: Sequence[Community], grids: Sequence[Grid],
                prefill: dict[str, str] | None = None) -> tuple[list[FieldSpec], FormTexts]:
    t = lambda key: i18n.t(key, lang)  # noqa: E731
    names = {c.id: c.name for c in communities}
    fields = [
        FieldSpec("title", t("intake.title"), max_length=80),
        FieldSpec("channel", t("detail.channel"), "choice", [(c.value, label(c, lang)) for c in Channel],
                  value=Channel.HOTLINE.value),
        FieldSpec("category", t("col.category"), "choice", [(c.value, label(c, lang)) for c in Category],
                  placeholder=t("form.choose")),
        FieldSpec("priority", t("detail.priority"), "choice", [(p.value, label(p, lang)) for p in Priority],
                  value=Priority.NORMAL.value),
        FieldSpec("community_id", t("col.community"), "choice", [(c.id, c.name) for c in communities],
                  placeholder=t("form.choose")),
        FieldSpec("grid_id", t("col.grid"), "picker",
                  [(g.id, f"{names.get(g.community_id, g.community_id)} {g.name}") for g in grids],
                  placeholder=t("form.grid_filter")),
        FieldSpec("building", t("intake.building"), max_length=20),
        FieldSpec("unit", t("intake.unit"), max_length=20),
        FieldSpec("reporter_name", t("detail.reporter"), max_length=80),
        FieldSpec("reporter_phone", t("detail.phone"), placeholder="138xxxxxxxx"),
        FieldSpec("description", t("detail.description"), max_length=2000),
    ]
    prefill = prefill or {}
    fields = [replace(f, value=prefill[f.key]) if f.key in prefill else f for f in fields]
    return fields, FormTexts(t("intake.heading"), t("modal.confirm"), t("modal.cancel"), t("intake.hint"),
                             t("form.no_match"))


def field_errors(error: ValidationError, lang: Lang) -> dict[str, str]:
    """A validation error as {field: reason in words}, for marking a form inline."""
    out: dict[str, str] = {}
    for item in error.errors():
        field = str(item["loc"][0]) if item["loc"] else ""
        out.setdefault(field, i18n.validation_message(item, lang))  # type: ignore[arg-type]
    return out


def intake_cross_check(values: dict[str, str], grids: dict[str, Grid], lang: Lang) -> dict[str, str]:
    """The grid must lie in the chosen community."""
    grid = grids.get(values.get("grid_id", ""))
    if grid is not None and values.get("community_id") and grid.community_id != values["community_id"]:
        return {"grid_id": i18n.t("intake.grid_elsewhere", lang)}
    return {}
