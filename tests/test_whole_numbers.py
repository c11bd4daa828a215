"""A whole number typed in a form, read by one rule (store/text.py: typed_whole) in every form that
asks for one: the extension's days (panel 1), a session's count served (panel 3), a grid's visit
plan intervals (panel 2). Each form keeps its own refusal; what each accepts is pinned here."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from duty_room.panels.petitions import step_params
from duty_room.panels.visits import plan_rule_errors
from store.lifecycle import Action
from store.models import ServiceSession, SessionState
from store.refusal import Refused
from store.schedule import SERVED_MAX
from store.storage import Store
from store.text import typed_whole
from widgets.form import FormScreen

from pilot import dashboard, settled

HUGE = "9" * 5000  # more digits than Python's int() reads (4,300): it raised a ValueError of its own
# What was typed -> the number read; None: not a whole number (the form's own refusal).
TYPED: dict[str, int | None] = {
    "３": 3,  # a Chinese input method's digit
    "１２": 12,
    " 3 ": 3,  # spaces around it
    "\u30003\u3000": 3,  # the input method's full-width spaces
    "007": 7,
    "0": 0,
    "³": None,  # int() took these
    "٣": None,
    "": None,
    "-1": None,
    "+3": None,
    "1.0": None,
    "1 2": None,
    "9" * 19: None,  # no count a form asks for
    HUGE: None,
}


@pytest.mark.parametrize(("typed", "number"), TYPED.items(), ids=[repr(t[:6]) for t in TYPED])
def test_typed_whole(typed: str, number: int | None) -> None:
    if number is None:
        with pytest.raises(Refused) as refused:
            typed_whole(typed, "served_format", most=SERVED_MAX)
        assert refused.value.key == "served_format" and refused.value.params == {"most": SERVED_MAX}
        with pytest.raises(ValueError):
            typed_whole(typed)
    else:
        assert typed_whole(typed) == number


def test_typed_whole_at_most_so_many_digits_typed() -> None:
    assert typed_whole("000012", digits=6) == 12
    with pytest.raises(ValueError):
        typed_whole("0000012", digits=6)


def test_the_extensions_days() -> None:
    """Panel 1's 延期 form: the days as typed, or None for the store to refuse (its own words, with
    the longest extension the rules allow). "-1" reached the store as -1 and was refused there with
    the same words as None; a number of 5,000 digits raised int()'s ValueError (one line: 内部错误)."""
    for typed, number in TYPED.items():
        assert step_params(Action.EXTEND_REQUEST, {"days": typed}, {})["days"] == number, typed[:6]


def test_the_visit_plans_intervals() -> None:
    """Panel 2's plan form: whole days from 1 to 366; anything else, 0 included, refused beside the
    field. A number of 5,000 digits raised int()'s ValueError."""
    for typed, number in TYPED.items():
        errors = plan_rule_errors({"special": typed, "others": "366"}, "en")
        accepted = number is not None and 1 <= number <= 366
        assert errors == ({} if accepted else {"special": "a whole number of days from 1 to 366"}), typed[:6]


async def test_the_count_served(small_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Panel 3's completion form: a count of at most six digits typed; anything else refused beside
    the field (served_format). The count read is what the write is given (the write is stopped here,
    so one form tries every value)."""
    import duty_room.panels.services as services

    given: list[int] = []

    def complete(store: Store, ref: object, served: int, *args: object, **kwargs: object) -> None:
        given.append(served)
        raise Refused("no_change")  # the form stays open for the next value

    async with dashboard(small_store) as (app, pilot):
        await pilot.press("3", "i")  # the 09:00 class: check in first
        await settled(app, pilot)
        assert small_store.get(ServiceSession, "sv0", "2026-11-28").state is SessionState.CHECKED_IN
        monkeypatch.setattr(services, "complete", complete)
        await pilot.press("d")
        await settled(app, pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        refused = Refused("served_format", most=SERVED_MAX).message("zh")
        for typed, number in TYPED.items():
            given.clear()
            form.query_one("#field-served", Input).value = typed
            await pilot.press("ctrl+s")
            await settled(app, pilot)
            assert app.screen is form
            error = str(form.query_one("#error-served").render())
            if number is not None and len(typed.strip()) <= 6:
                assert (given, error) == ([number], ""), typed[:6]
            else:
                assert (given, error) == ([], refused), typed[:6]
