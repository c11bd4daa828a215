"""The keyboard over SSH: keys that arrive in one burst act exactly as the same keys typed slowly,
and no input, however wrong, closes the dashboard."""

from __future__ import annotations

import contextvars
from datetime import time as clock_time

import pytest
from textual import events
from textual.drivers import linux_driver
from textual.pilot import Pilot
from textual.screen import Screen

from duty_room.app import DutyRoomApp
from duty_room.config import Settings
from duty_room.typeahead import EscapeThenKeyParser
from store.models import Petition, ServiceSession, Visit
from store.refusal import Refused
from store.schedule import SessionRef, check_in
from store.storage import Store
from widgets.form import FormScreen

from pilot import NARROW, WIDE, dashboard, desk_panel, in_one_read, loaded, screen_text, settled, until

NAMES = {"/": "slash", " ": "space", ":": "colon"}
CONTROL = {"enter": "\r", "escape": "\x1b", "tab": "\t"}


def burst(app: DutyRoomApp, keys: list[str]) -> None:
    """Post every key at once, as an SSH client's one write arrives: nothing runs in between."""
    for key in keys:
        if len(key) == 1:
            app.post_message(events.Key(NAMES.get(key, key), key))
        else:
            app.post_message(events.Key(key, CONTROL.get(key)))


def chars(text: str) -> list[str]:
    return list(text)


async def burst_and_settle(app: DutyRoomApp, pilot: Pilot[None], keys: list[str]) -> None:
    burst(app, keys)
    await settled(app, pilot)


async def test_new_case_typed_in_one_burst_keeps_its_title(small_store: Store) -> None:
    async with dashboard(small_store) as (app, pilot):
        await burst_and_settle(app, pilot, ["n", *chars("煤气味很重")])
        form = app.screen
        assert isinstance(form, FormScreen)
        assert form.values()["title"] == "煤气味很重"


async def test_filter_typed_in_one_burst_filters_and_opens_nothing(small_store: Store) -> None:
    async with dashboard(small_store) as (app, pilot):
        await burst_and_settle(app, pilot, [*chars("/漏"), "enter"])
        panel = desk_panel(app, "petitions")
        assert panel.filter_input.value == "漏"
        assert app.screen is app.screen_stack[0]  # Enter went to the filter, not to a case's detail
        assert panel.table.keys == ["MK261127-002", "MK261127-003"]


@pytest.mark.parametrize("size", [WIDE, NARROW])
async def test_the_filter_shows_what_is_typed_while_it_is_typed(small_store: Store, size: tuple[int, int]) -> None:
    """The focused filter was Textual's tall focused Input: two rows of border, no row for the text,
    so neither the placeholder nor `漏水` showed until Enter took the focus away."""
    async with dashboard(small_store, size) as (app, pilot):
        await burst_and_settle(app, pilot, [*chars("/漏水")])
        field = desk_panel(app, "petitions").filter_input
        assert app.focused is field
        assert (field.region.height, field.content_region.height) == (1, 1)
        [line] = [row for row in screen_text(app).splitlines() if "漏水" in row and "MK" not in row]
        assert line.index("漏水") < 6  # at the start of the filter's own line


@pytest.mark.parametrize("size", [WIDE, NARROW])
async def test_tab_leaves_the_filter_for_its_rows_and_then_goes_to_the_next_panel(
    small_store: Store, size: tuple[int, int]
) -> None:
    """On the dashboard Tab is the next panel; in the filter it is as Enter: the filter kept, back
    to its rows (the next panel would leave the filtered rows unseen at 80x24)."""
    async with dashboard(small_store, size) as (app, pilot):
        await burst_and_settle(app, pilot, [*chars("/漏"), "tab"])
        panel = desk_panel(app, "petitions")
        assert app.deck.active == "petitions" and app.focused is panel.table
        assert panel.filter_input.value == "漏" and panel.table.keys == ["MK261127-002", "MK261127-003"]
        await burst_and_settle(app, pilot, ["tab"])
        assert app.deck.active == "visits" and app.focused is desk_panel(app, "visits").table


async def test_filter_with_a_colon_never_starts_a_case(small_store: Store) -> None:
    """`/status:` + Enter in one write once started a 已派单 case (`s` reached the table)."""
    before = {p.id: len(p.history) for p in small_store.all(Petition)}
    async with dashboard(small_store) as (app, pilot):
        await burst_and_settle(app, pilot, [*chars("/status:"), "enter"])
        assert desk_panel(app, "petitions").filter_input.value == "status:"
    assert {p.id: len(p.history) for p in small_store.all(Petition)} == before


async def test_keys_typed_while_a_write_runs_wait_for_it(small_store: Store) -> None:
    """Accept a case and move on in one burst: the second key acts after the first write is shown."""
    async with dashboard(small_store) as (app, pilot):
        # a (accept the selected 待受理 case) opens its form; Enter confirms; j moves down; c opens status.
        await burst_and_settle(app, pilot, ["a", "enter", "j", "c"])
        assert small_store.get(Petition, "MK261127-001").status.value == "accepted"
        assert desk_panel(app, "petitions").table.cursor_key == "MK261127-002"
        assert type(app.screen).__name__ == "ChoiceModal"


async def test_a_number_served_far_too_large_is_refused_in_the_form(small_store: Store) -> None:
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("3", "i")  # the 09:00 class: check in first
        await settled(app, pilot)
        await pilot.press("d")
        await settled(app, pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#field-served").value = "99999"
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        assert app.screen is form and app.is_running
        assert "10000" in str(form.query_one("#error-served").render())
        assert small_store.get(ServiceSession, "sv0", "2026-11-28").served is None


async def test_a_bug_in_a_handler_is_one_line_and_the_dashboard_runs_on(
    small_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self, name: str) -> None:  # noqa: ANN001
        raise RuntimeError("boom")

    from duty_room.panels.stalls import StallsPanel

    monkeypatch.setattr(StallsPanel, "action_step", broken)
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("4", "m")
        await settled(app, pilot)
        assert app.is_running and app.return_code is None
        assert [type(e) for e in app.status.handled_errors] == [RuntimeError]
        assert "内部错误" in app.status.said[-1]
        await pilot.press("1")  # and the keys still work
        assert app.deck.active == "petitions"
        app.status.handled_errors.clear()  # handled: do not let the run_test context re-raise it


@pytest.mark.parametrize(
    "keys", [["1", "d"], ["2", "down", "down", "down", "enter", "v"]], ids=["panel key", "list key"]
)
async def test_a_store_fault_in_a_key_is_a_refusal_naming_the_file_not_a_bug(
    keys: list[str], small_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A key that reads the store (a case for its form, a household for its visit) and meets a
    fault says so in one refusal line with the file, opens no form, and writes nothing."""
    from store.errors import PermissionDeniedError
    from store.models import Household

    async with dashboard(small_store) as (app, pilot):
        real_get = app.store.get
        path = small_store.root / "refused.json"

        def refused(model: type, record_id: str, partition: str | None = None) -> object:
            if model in (Petition, Household):
                raise PermissionDeniedError(path, PermissionError(13, "Permission denied"))
            return real_get(model, record_id, partition)

        monkeypatch.setattr(app.store, "get", refused)
        before = small_store.all(Petition, "2026-11-28"), small_store.all(Visit, "2026-11-28")
        await pilot.press(*keys)
        await settled(app, pilot)
        assert app.is_running and app.status.handled_errors == []
        assert not isinstance(app.screen, FormScreen)
        assert str(path) in app.status.said[-1] and "内部错误" not in app.status.said[-1]
        assert (small_store.all(Petition, "2026-11-28"), small_store.all(Visit, "2026-11-28")) == before


def test_check_in_after_the_end_is_refused_and_keeps_the_late_mark(
    small_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import datetime

    from store import clock

    clock.freeze(datetime.fromisoformat("2026-11-28T10:15:00+08:00"))  # the 09:00-10:00 class is over
    session = small_store.get(ServiceSession, "sv0", "2026-11-28")
    assert session.end == clock_time(10)
    with pytest.raises(Refused) as refused:
        check_in(small_store, SessionRef(session.day, session.id), Settings(store=small_store.root).deadlines)
    assert refused.value.key == "session_over"
    assert small_store.get(ServiceSession, "sv0", "2026-11-28").checked_in_at is None


async def test_a_damaged_file_the_panels_do_not_read_is_named_and_stays(small_store: Store) -> None:
    """A grid's households file damaged: the dashboard opens with its data, and the status line names
    the file until it is sound again; writes that need it are refused by the store."""
    (small_store.root / "households" / "dc-M01.json").write_bytes(b"{not json")
    async with dashboard(small_store) as (app, pilot):
        await settled(app, pilot)  # the look at every file runs beside the first frame, in a worker
        status = app.query_one("#status")
        assert "households/dc-M01.json" in str(status.render()) and app.is_running
        app.notify("别的消息")  # news shows over it for a while, then the fault is back
        status.clear()  # (what the fade timer does)
        assert "households/dc-M01.json" in str(status.render())


@pytest.mark.parametrize(
    ("read", "keys"),
    [
        ("\x1b2", ["escape", "2"]),  # Textual's own reader: ™
        ("\x1b\r", ["escape", "enter"]),  # Enter: Esc on a typed form, then Enter, saved the form
        ("\x1b/", ["escape", "slash"]),
        ("\x1bb", ["escape", "b"]),  # Ctrl+←
        ("\x1b\t", ["escape", "tab"]),  # Shift+Tab
        ("\x1by", ["escape", "y"]),  # Alt+y
        ("\x1b路灯\x1b[B", ["escape", "路", "灯", "down"]),  # ^ 路 灯 ↓
        ("\x1b\x1b", ["escape", "escape"]),
        # A terminal's own sequences are read as before.
        ("\x1b[A", ["up"]),
        ("\x1bOP", ["f1"]),
        ("\x1b[1;5D", ["ctrl+left"]),
        ("\x1b[Z", ["shift+tab"]),
    ],
)
def test_esc_and_the_key_after_it_in_one_read_are_the_two_keys_typed(read: str, keys: list[str]) -> None:
    assert [key.key for key in in_one_read(read)] == keys


async def test_the_dashboard_reads_its_terminal_with_esc_apart(small_store: Store) -> None:
    async with dashboard(small_store) as (app, pilot):
        await loaded(app, pilot)
        assert linux_driver.XTermParser is EscapeThenKeyParser  # what the driver reads the terminal with


async def test_a_key_typed_while_the_one_before_climbs_to_its_binding_waits_for_it(
    small_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A key goes from the focused widget up to the app, which runs its binding. Tab typed 50 ms
    after y, on a loaded machine, reached the app's queue while y was still on its way up; the app
    took Tab, and then y off the queue to look at (Textual's loop does, to combine messages), so
    its queue was empty and Tab went out at once. y then opened the payment form, and Tab reached
    the form before it had a field: lost, the amount was typed into the month (a CI run of the pty test)."""
    tab_sent = False

    def tab_arrives_meanwhile(screen: Screen[object], event: events.Key) -> None:
        nonlocal tab_sent
        if event.key == "y" and not tab_sent:  # y's last step before the app: Tab comes in now
            tab_sent = True
            # Made outside any widget, as the terminal's reader makes it (a key a widget made is its own).
            screen.app.post_message(contextvars.Context().run(events.Key, "tab", "\t"))

    async with dashboard(small_store) as (app, pilot):
        await burst_and_settle(app, pilot, ["4"])
        monkeypatch.setattr(Screen, "on_key", tab_arrives_meanwhile, raising=False)
        await burst_and_settle(app, pilot, ["y"])
        form = app.screen
        assert isinstance(form, FormScreen) and tab_sent
        assert form.focused is not None and form.focused.id == "field-amount"


async def test_a_key_waits_for_a_handler_that_is_still_running(
    small_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A handler that awaits has taken its key off the queue but not yet posted what it sets off:
    the next key must still wait (over SSH, `a` Enter `j` `d` once sent `j` into the closing form)."""
    import asyncio

    from textual.widgets import Input

    from duty_room.typeahead import TypeAhead

    submit, release = Input.action_submit, TypeAhead._release
    looks = 0
    looked = asyncio.Event()

    async def counted_release(self: TypeAhead) -> None:  # the type-ahead's look at its held keys (every 10 ms)
        nonlocal looks
        await release(self)
        looks += 1
        looked.set()

    async def slow_submit(self: Input) -> None:
        # A busy machine, between taking Enter and posting Submitted: the type-ahead looks at the keys
        # held behind Enter meanwhile, twice (the first look may be the one that released Enter).
        enough = looks + 2
        while looks < enough:
            looked.clear()
            await asyncio.wait_for(looked.wait(), timeout=10)
        await submit(self)

    monkeypatch.setattr(TypeAhead, "_release", counted_release)
    monkeypatch.setattr(Input, "action_submit", slow_submit)
    async with dashboard(small_store) as (app, pilot):
        await burst_and_settle(app, pilot, ["a", "enter", "j", "d"])
        form = app.screen
        assert isinstance(form, FormScreen) and "MK261127-002" in form.texts.title  # d acted on the next case
    accepted = small_store.get(Petition, "MK261127-001")
    assert accepted.status.value == "accepted" and accepted.history[-1].note == ""  # j was not typed into it


async def test_a_list_opened_later_has_its_keys_in_the_interface_language(small_store: Store) -> None:
    """A list's screen class is made when the list opens, after the app localized every class."""
    async with dashboard(small_store) as (app, pilot):
        await pilot.press("2", "j", "j", "j", "enter")  # community, large, branch: the micro grid's households
        await settled(app, pilot)
        assert type(app.screen).__name__ == "TableScreen"
        words = {active.binding.description for active in app.screen.active_bindings.values()}
        assert "返回" in words and "Close" not in words


async def test_keys_after_a_write_wait_for_data_with_the_write_not_a_reload_begun_before_it(
    small_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reload begun before a write can finish after it (another desk's change, the minute's turn):
    its rows are the old ones, so keys typed after the write must not be released on them, and data
    older than what is on screen is never shown over it."""
    import threading

    from duty_room.desk import Saved
    from store.lifecycle import Action, perform

    async with dashboard(small_store) as (app, pilot):
        before = app.data
        assert before is not None
        reading = threading.Event()
        load = app.load
        monkeypatch.setattr(app, "load", lambda now: reading.wait(10) and load(now))  # the write's reload, held
        accepted = perform(small_store, "MK261127-001", Action.ACCEPT)  # as the desk's write worker does
        app.post_message(Saved(accepted, ""))
        await pilot.pause()
        app.show(before)  # the late reload, from before the write, lands first
        assert app.typeahead._must_wait()  # a key typed now would act on the old rows: it waits
        reading.set()
        # The reload the write started shows the write (or the watcher's, which may have replaced
        # it: reloads are exclusive, so not settled()).
        await until(
            pilot,
            lambda: app.data is not None and app.data.generation > before.generation and not app.typeahead._must_wait(),
            "data newer than before the write, and keys released",
        )
        assert app.data is not None and app.data.generation > before.generation
        assert not app.typeahead._must_wait()
        app.show(before)  # or lands after it: not shown over newer data
        assert app.data.generation > before.generation
        assert desk_panel(app, "petitions").table.cell("MK261127-001", 1).plain == "已受理"
