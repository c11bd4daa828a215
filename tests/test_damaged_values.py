"""A record edited by hand into any shape is refused by its model (a ValidationError, which the store
turns into a damaged record naming file, record and field), never another exception out of a read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from store import clock
from store.demo import build_demo
from store.models import ALL_MODELS, Record
from store.storage import Store

from conftest import FROZEN_NOW

# What a hand edit or a damaged sync leaves in a field: each JSON type, a wrong time zone, a day that
# does not exist, numbers past any limit, a control character.
HOSTILE: list[Any] = [
    None,
    0,
    -1,
    10**30,
    1.5,
    True,
    "",
    "x",
    "07:00:00+00:00",
    "2026-11-28T09:30:00",
    "2026-11-28T09:30:00+00:00",
    "2026-13-40",
    [],
    [None],
    [{}],
    {},
    {"x": 1},
    "\u0000",
]


@pytest.fixture(scope="module")
def one_of_each(tmp_path_factory: pytest.TempPathFactory) -> dict[type[Record], dict[str, Any]]:
    clock.freeze(FROZEN_NOW)
    try:
        store = Store(Path(tmp_path_factory.mktemp("demo")) / "s", actor="setup")
        build_demo(store)
        found = {}
        for model in ALL_MODELS:
            records = store.all_partitions(model)
            if records:  # the richest record: the one with the most in it
                found[model] = max(records, key=lambda r: len(r.model_dump_json())).model_dump(mode="json")
        return found
    finally:
        clock.unfreeze()


def variants(doc: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The record with each field, and each field of the first item of a list of objects (a case's
    history, a stall's rates), replaced by each hostile value."""
    out = []
    for key, value in doc.items():
        for bad in HOSTILE:
            out.append((f"{key}={bad!r}", {**doc, key: bad}))
        if isinstance(value, list) and value and isinstance(value[0], dict):
            for inner in value[0]:
                for bad in HOSTILE:
                    item = {**value[0], inner: bad}
                    out.append((f"{key}[0].{inner}={bad!r}", {**doc, key: [item, *value[1:]]}))
    return out


def test_every_model_has_a_record_to_damage(one_of_each: dict[type[Record], dict[str, Any]]) -> None:
    missing = [m.__name__ for m in ALL_MODELS if m not in one_of_each]
    assert len(missing) <= 3, missing  # the demo holds nearly every kind of record


@pytest.mark.parametrize("model", ALL_MODELS, ids=lambda m: m.__name__)
def test_a_hand_edited_field_is_refused_or_read_never_a_crash(
    model: type[BaseModel], one_of_each: dict[type[Record], dict[str, Any]]
) -> None:
    doc = one_of_each.get(model)  # type: ignore[call-overload]
    if doc is None:
        pytest.skip(f"the demo store has no {model.__name__}")
    model.model_validate(doc)  # the record as stored is sound
    crashes = []
    for what, damaged in variants(doc):
        try:
            model.model_validate(damaged)
        except ValidationError:
            pass
        except Exception as exc:  # noqa: BLE001 - any other exception is the defect looked for
            crashes.append(f"{what}: {type(exc).__name__}: {exc}")
    assert not crashes, "\n".join(crashes[:20])
