"""The private pieces of Textual the dashboard uses where Textual offers no public way, pinned: a
Textual that changes one fails here, naming the file that uses it, before the dashboard misbehaves.

The palette's words:

``duty_room.palette.Palette._start_no_matches_countdown`` is a copy of Textual's own with our words:
Textual (8.2.8, its newest release) writes ``No matches found`` inside that private method, in a
closure, and offers no public way to give the line other words (no class variable, no message when
it is added, the CommandList it goes in is composed by the palette itself). Were Textual to change
the method, or stop calling it, the copy would silently run old code or never run (the Chinese
palette would say ``No matches found`` again): this test says so first.
"""

from __future__ import annotations

import hashlib
import inspect
import re
import textwrap

import textual
from textual.command import CommandPalette

from duty_room.palette import Palette


def test_a_layout_that_resizes_a_scroll_view_still_asks_to_repaint_it_whole_at_its_old_size() -> None:
    """widgets/keyed_table.py KeyedTable._size_updated drops the whole-widget repaint ScrollView asks
    for when a layout resizes it (``_set_dirty()``: ``outer_size.region``, the old size, put in
    ``_repaint_regions``), because the reflow that resized it marks its whole new place dirty."""
    from textual._compositor import Compositor
    from textual.scroll_view import ScrollView
    from textual.widget import Widget

    where = f"Textual {textual.__version__}: see widgets/keyed_table.py KeyedTable._size_updated"
    resized = inspect.getsource(ScrollView._size_updated)
    assert "self._set_dirty()" in resized and "self._size = size" in resized, where
    assert resized.index("self._set_dirty()") < resized.index("self._size = size"), where
    set_dirty = inspect.getsource(Widget._set_dirty)
    assert "self._repaint_regions.add(outer_size.region)" in set_dirty, where
    reflow = inspect.getsource(Compositor.reflow)
    assert "changes = map.items() ^ old_map.items()" in reflow and "self._dirty_regions.update(regions)" in reflow, (
        where
    )


# sha256 of Textual 8.2.8's CommandPalette._start_no_matches_countdown (dedented source).
COPIED_FROM = "caa0724dc67501e96dd461c6ecc60bd59920e0c033318177dd04ce0f6894553e"


def test_the_palettes_no_matches_method_is_still_the_one_we_copied() -> None:
    source = textwrap.dedent(inspect.getsource(CommandPalette._start_no_matches_countdown))
    assert hashlib.sha256(source.encode()).hexdigest() == COPIED_FROM, (
        f"Textual {textual.__version__} changed CommandPalette._start_no_matches_countdown: compare it "
        "with duty_room/palette.py Palette._start_no_matches_countdown (a copy with our words), bring the "
        "copy up to date (or drop it if Textual now lets the words be given), then COPIED_FROM\n" + source
    )


def test_the_palette_still_calls_it_and_the_names_the_copy_uses_are_there() -> None:
    gather = inspect.getsource(CommandPalette._gather_commands)
    assert "self._start_no_matches_countdown(search_value)" in gather
    for name in ("_stop_no_matches_countdown", "_NO_MATCHES_COUNTDOWN", "_NO_MATCHES", "_list_visible"):
        assert hasattr(CommandPalette, name), name
    assert Palette._start_no_matches_countdown is not CommandPalette._start_no_matches_countdown


# -- the rest, one test each: where it is used, why there is no public way -----------------------


def test_the_footers_keys_are_still_the_widgets_it_makes_with_a_compact_of_their_own() -> None:
    """widgets/screen_footer.py gives each key the Footer composes the "-compact" class before it
    mounts, knowing a key (``FooterKey``, which textual.widgets does not export) by its public
    ``compact`` reactive, which nothing else the Footer composes has; and mirrors the Footer's
    private ``_bindings_ready`` (set only in ``bindings_changed``) with a flag of its own."""
    from textual.reactive import Reactive
    from textual.widgets import Footer
    from textual.widgets._footer import FooterKey, FooterLabel, KeyGroup

    compose = inspect.getsource(Footer.compose)
    assert "yield FooterKey(" in compose and "if not self._bindings_ready:" in compose, (
        f"Textual {textual.__version__}: Footer.compose no longer makes FooterKeys once _bindings_ready: "
        "see widgets/screen_footer.py CompactFooter.compose"
    )
    assert "yield FooterLabel(" in compose and "with KeyGroup(" in compose and compose.count("yield ") == 4, (
        "Footer.compose makes other widgets: see CompactFooter.compose (which of them get -compact)"
    )
    assert isinstance(getattr(FooterKey, "compact", None), Reactive), "see CompactFooter.compose"
    assert not any(isinstance(getattr(cls, "compact", None), Reactive) for cls in (FooterLabel, KeyGroup))
    assert 'self.set_class(compact, "-compact")' in inspect.getsource(FooterKey._watch_compact)
    assert "self._bindings_ready = True" in inspect.getsource(Footer.bindings_changed), (
        "Footer.bindings_changed no longer sets _bindings_ready: CompactFooter._told mirrors it"
    )


def test_the_help_uses_no_private_textual_name() -> None:
    """widgets/help_pages.py subclassed Textual's ``BindingsTable`` (``textual.widgets._key_panel``,
    no public name) for the table of keys: now its own widget draws them from the screen's public
    ``active_bindings``, and the help imports nothing private of Textual's, so nothing to pin here."""
    import ast

    from widgets import help_pages

    tree = ast.parse(inspect.getsource(help_pages))
    imported = [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    imported += [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
    names = [alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) for alias in node.names]
    private = [m for m in imported if m.startswith("textual") and any(p.startswith("_") for p in m.split("."))]
    assert not private and not [n for n in names if n.startswith("_")], (private, names)
    assert [m for m in imported if m.startswith("textual")], "the check reads the module's imports"


def test_the_terminal_themes_the_wall_map_recolours_are_textuals_defaults() -> None:
    """duty_room/terminal.py repaints two colours of Textual's own ANSI themes (``textual._ansi_theme``
    MONOKAI and ALABASTER, the defaults of ``App.ansi_theme_dark/light``; no public name)."""
    from textual._ansi_theme import ALABASTER, MONOKAI
    from textual.app import App

    app = App[None]()
    assert (app.ansi_theme_dark, app.ansi_theme_light) == (MONOKAI, ALABASTER), (
        f"Textual {textual.__version__} changed its default ANSI themes: see duty_room/terminal.py WALL_MAP_*"
    )
    assert all(len([theme.ansi_colors[index] for index in range(16)]) == 16 for theme in (MONOKAI, ALABASTER))


def test_the_terminal_parser_the_typeahead_replaces_is_still_made_and_called_so() -> None:
    """duty_room/typeahead.py reads Esc and the key after it as two keys: a subclass of the private
    ``XTermParser`` overriding ``_sequence_to_key_events``, put where the Linux driver makes its
    parser (Textual has no setting for its parser)."""
    from textual import _xterm_parser
    from textual.drivers import linux_driver

    parser = inspect.getsource(_xterm_parser.XTermParser)
    parameters = list(inspect.signature(_xterm_parser.XTermParser._sequence_to_key_events).parameters)
    assert parameters == ["self", "sequence", "alt"] and "self._sequence_to_key_events" in parser, (
        f"Textual {textual.__version__} changed XTermParser._sequence_to_key_events: see "
        "duty_room/typeahead.py EscapeThenKeyParser"
    )
    made = "XTermParser(" in inspect.getsource(linux_driver)
    assert made and issubclass(linux_driver.XTermParser, _xterm_parser.XTermParser), (
        "the Linux driver no longer makes its parser from its module's XTermParser: see "
        "duty_room/typeahead.py read_escape_then_key_as_two_keys"
    )


def test_the_message_loop_state_the_typeahead_reads_is_still_there() -> None:
    """duty_room/typeahead.py: a typed key is released only once every node's loop waits for its
    next message. Textual says a queue's size (public) but not that a node is closing, nor which
    message its loop took off the queue and has not handled, nor that the loop waits."""
    import asyncio

    from textual import _queue
    from textual.message_pump import MessagePump

    pump = MessagePump()
    for name in ("_closing", "_closed", "_pending_message"):
        assert hasattr(pump, name), (
            f"Textual {textual.__version__}: MessagePump has no {name}: see duty_room/typeahead.py"
        )
    loop = inspect.getsource(MessagePump._get_message)
    assert "self._pending_message" in loop and "await self._message_queue.get()" in loop, (
        "MessagePump._get_message changed: see duty_room/typeahead.py _quiet"
    )
    waits = inspect.getsource(_queue.Queue.get)
    assert "await self.ready_event.wait()" in waits and isinstance(_queue.Queue().ready_event, asyncio.Event), (
        "Textual's message queue no longer waits on ready_event: see duty_room/typeahead.py _waiting_for_messages"
    )
    assert hasattr(asyncio.Event(), "_waiters"), "asyncio.Event keeps no _waiters: see duty_room/typeahead.py"


def test_a_classs_merged_bindings_are_still_kept_and_copied_by_each_instance() -> None:
    """duty_room/localize.py rewrites, and duty_room/keymap.py reads, each class's
    ``_merged_bindings`` (the map every new widget copies its bindings from): Textual has no public
    way to give a binding declared by a class (its own Input's, say) other words for every instance.
    keymap.py reads the same map rather than walking each class's BINDINGS up its MRO, as that walk
    needs the private ``_inherit_bindings`` too (Static's: False) to bind what a widget binds."""
    from textual.dom import DOMNode

    assert "_merged_bindings" in DOMNode.__annotations__ or hasattr(DOMNode, "_merged_bindings")
    assert re.search(
        r"self\._bindings = \(.*?self\._merged_bindings\.copy\(\)", inspect.getsource(DOMNode.__init__), re.DOTALL
    ), (
        f"Textual {textual.__version__}: a node no longer copies its class's _merged_bindings to its "
        "_bindings: see duty_room/localize.py localize_bindings"
    )
    assert "cls._merged_bindings = cls._merge_bindings()" in inspect.getsource(DOMNode), (
        "DOMNode no longer merges a class's bindings once: see duty_room/localize.py and keymap.py _bindings"
    )


def test_the_keymap_spells_keys_as_textuals_own_two_functions_do() -> None:
    """duty_room/desk.py ``keys_of`` (for keymap.py and ``Desk.keys``) spells keys with the public
    ``Binding.make_bindings`` (no longer with ``textual.keys._character_to_key`` and
    ``_normalize_key_list``): the same spelling as what a key event, a Binding and ``App.set_keymap``
    use, checked here against those two."""
    import string

    from textual.keys import _character_to_key, _normalize_key_list

    from duty_room.desk import keys_of
    from duty_room.keymap import TYPED_KEYS

    assert TYPED_KEYS == frozenset(_character_to_key(c) for c in string.printable if c.isprintable())
    for written in ("/", " / , a", ",", "a,,b", " ", "ctrl+a", "?,f1", "A,é", ", ,", "space,comma"):
        assert keys_of(written) == frozenset(k for k in _normalize_key_list(written).split(",") if k), written


def test_the_apps_callback_error_hook_is_still_called() -> None:
    """duty_room/routing.py overrides ``App._handle_exception`` (no public hook): a failing
    call_later or timer callback is one line in the status line, not the end of the dashboard."""
    from textual.app import App
    from textual.message_pump import MessagePump

    assert "def _handle_exception(self, error: Exception)" in inspect.getsource(App._handle_exception)
    assert "self.app._handle_exception(" in inspect.getsource(MessagePump), (
        f"Textual {textual.__version__} no longer hands callback errors to App._handle_exception: see duty_room/routing.py"
    )


def test_the_first_frames_layout_still_sends_it_whole_and_then_asks_for_a_repaint() -> None:
    """duty_room/dashboard_screen.py DashboardScreen._painted: once ScreenResume's first layout has sent the whole
    screen, it drops the repaint that handler asks for after it (``Screen._repaint_required``) and the
    repaints its widgets asked for before it (``Widget._exchange_repaint_regions``, which takes them).
    Textual's compositor takes them the same way, and a screen repaints whole when the flag is set."""
    from textual._compositor import Compositor
    from textual.screen import Screen
    from textual.widget import Widget

    where = f"Textual {textual.__version__}: see duty_room/dashboard_screen.py DashboardScreen._painted"
    resume = inspect.getsource(Screen._on_screen_resume)
    assert resume.index("self._refresh_layout(size)") < resume.index("self.refresh()"), where
    assert "if self._repaint_required:" in inspect.getsource(Screen._on_timer_update), where
    assert "widget._exchange_repaint_regions()" in inspect.getsource(Compositor.update_widgets), where
    assert "self._repaint_regions.clear()" in inspect.getsource(Widget._exchange_repaint_regions), where
    assert "self.widgets" in inspect.getsource(Compositor.reflow), where  # _compositor.widgets: laid out yet


# sha256 of Textual 8.2.8's ChopsUpdate.render_segments (dedented source).
CHOPS_RENDERED_SO = "d6ddb7d34a6c23ec3b838ae320f471f1062c52c135034ff1f6a11709c5bc3a34"


def test_a_partial_repaint_is_still_a_chops_update_made_from_the_compositors_module_name() -> None:
    """widgets/partial_update.py points ``textual._compositor.ChopsUpdate`` (no public name, no
    setting) at ``CellChopsUpdate``, whose ``render_segments`` is Textual's less each chop's cells
    left of the changed span: Textual wrote a line's repainted stretch from the widget's left edge
    ("TODO: crop to x extents"). Its ``chops``/``spans``/``chop_ends`` are read as Textual's are."""
    from textual import _compositor
    from textual._compositor import Compositor
    from textual.app import App

    from widgets.partial_update import CellChopsUpdate

    [ChopsUpdate] = CellChopsUpdate.__bases__  # Textual's own (the module name may be ours by now: an app ran)
    assert _compositor.ChopsUpdate in (ChopsUpdate, CellChopsUpdate)

    where = f"Textual {textual.__version__}: see widgets/partial_update.py CellChopsUpdate"
    assert "return ChopsUpdate(chops, spans, chop_ends)" in inspect.getsource(Compositor.render_partial_update), where
    assert list(inspect.signature(ChopsUpdate.__init__).parameters) == ["self", "chops", "spans", "chop_ends"], where
    assert "renderable.render_segments(console)" in inspect.getsource(App._display), where
    assert (
        issubclass(CellChopsUpdate, ChopsUpdate) and CellChopsUpdate.render_segments is not ChopsUpdate.render_segments
    )
    source = textwrap.dedent(inspect.getsource(ChopsUpdate.render_segments))
    assert hashlib.sha256(source.encode()).hexdigest() == CHOPS_RENDERED_SO, (
        f"{where}: ChopsUpdate.render_segments changed (does it crop to x1 now? then drop the subclass), "
        "bring CellChopsUpdate.render_segments up to date, then CHOPS_RENDERED_SO\n" + source
    )


def test_the_linux_driver_writes_through_its_file_and_resumes_by_its_public_methods() -> None:
    """duty_room/driver.py LinkDriver wraps ``LinuxDriver._file`` (what Textual's output thread
    writes to) and keeps ``resume_application_mode`` from starting the terminal mode again on a
    SIGCONT with no stop before it: it relies on the output thread being given ``self._file`` and on
    the signal handlers calling those two public methods."""
    from textual.drivers.linux_driver import LinuxDriver

    where = f"Textual {textual.__version__}: see duty_room/driver.py LinkDriver"
    assert "self._file = sys.__stderr__" in inspect.getsource(LinuxDriver.__init__), where
    assert "WriterThread(self._file)" in inspect.getsource(LinuxDriver.start_application_mode), where
    assert "self.suspend_application_mode()" in inspect.getsource(LinuxDriver._sigtstp_application), where
    assert "self.resume_application_mode()" in inspect.getsource(LinuxDriver._sigcont_application), where


def test_no_widget_or_panel_reads_a_nodes_own_copy_of_its_bindings() -> None:
    """A node's private ``_bindings`` was rewritten by widgets/form.py (a form's words for Esc: now a
    second Esc binding that ``check_action`` shows instead) and read by duty_room/panels/base.py (the
    key a viewer typed: now the panel's own BINDINGS, with the keymap's keys by ``Desk.keys``). None
    is left, so nothing to pin: this says so if one comes back."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    sources = sorted([*(root / "duty_room").rglob("*.py"), *(root / "widgets").rglob("*.py")])
    found = [
        f"{path.relative_to(root)}:{number}"
        for path in sources
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\._bindings\b", line)
    ]
    assert sources and not found, found


def test_the_linux_drivers_key_reader_asks_its_exit_event_before_each_wait() -> None:
    """duty_room/driver.py LinkDriver replaces ``LinuxDriver.exit_event`` with one that is also set
    once the terminal hangs up: it relies on the key reader asking ``self.exit_event.is_set()``
    before each wait for keys on ``self.fileno``, and on the event being made in ``__init__``."""
    from textual.drivers.linux_driver import LinuxDriver

    where = f"Textual {textual.__version__}: see duty_room/driver.py _InputEnds"
    assert "self.exit_event = Event()" in inspect.getsource(LinuxDriver.__init__), where
    reader = inspect.getsource(LinuxDriver.run_input_thread)
    assert "while not self.exit_event.is_set():" in reader and "selector.register(self.fileno" in reader, where
