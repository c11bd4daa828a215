"""The keys panel with a line saying it pages (``PagedHelpPanel``), for ``toggle_help``'s screens.

A module of its own, imported when help is first shown: Textual's HelpPanel brings its Markdown
widget, and with it markdown-it and linkify (~100 modules), which the first frame does not need.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import groupby
from math import ceil
from typing import NamedTuple

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderableType
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import HelpPanel, KeyPanel, Static

ROW = "help-row"  # the meta naming the row of the keys' table a rendered line belongs to


class HelpPageWords(NamedTuple):
    """The words of a paged help's last line, given by the caller (widgets hold no catalogue)."""

    page: str  # "第 {page}/{pages} 页"
    next: str  # "{key} 下一页"
    close: str  # "{key} 关闭"


class PagedHelpPanel(HelpPanel):
    """Textual's keys panel, with a last line when its keys are more than one page: which page it
    shows, the key that shows the next one and the keys that close it (第 1/2 页 · ? 下一页 · esc 关闭).
    Nothing said `?` pages the help: one who saw the first page of panel 1's keys at 80x24 had no
    hint there were more, nor which key shows them."""

    DEFAULT_CSS = """
    PagedHelpPanel #help-pages {
        height: auto;
        width: 1fr;
        color: $text-muted;
        display: none;
    }
    PagedHelpPanel #help-pages.-paged {
        display: block;
    }
    """

    def __init__(self, words: HelpPageWords) -> None:
        super().__init__()
        self.words = words

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            yield PagedKeyPanel(id=widget.id) if type(widget) is KeyPanel else widget
        yield Static("", id="help-pages", markup=False)

    def on_mount(self) -> None:  # (HelpPanel's own on_mount runs too: Textual calls each class's)
        keys = self.query_one(KeyPanel)
        self.watch(keys, "scroll_y", self._show_page, init=False)
        self.screen.screen_layout_refresh_signal.subscribe(self, self._show_page)  # keys laid out, resized
        self.call_after_refresh(self._show_page)

    def _key(self, actions: tuple[str, ...]) -> str:
        """The key shown for the first of ``actions`` bound here (`?` before another, as the Footer)."""
        found = [
            (key != "question_mark", self.app.get_key_display(active.binding))
            for key, active in self.screen.active_bindings.items()
            if active.binding.action in actions and active.enabled
        ]
        return min(found)[1] if found else ""

    def _show_page(self, *_: object) -> None:
        keys = self.query_one(KeyPanel)
        line = self.query_one("#help-pages", Static)
        height = keys.scrollable_content_region.height
        pages = 1 + ceil(keys.max_scroll_y / height) if height > 0 else 1
        line.set_class(pages > 1, "-paged")
        if pages < 2:
            return
        page = min(pages, 1 + ceil(keys.scroll_y / height))
        width = line.content_region.width or self.content_region.width
        lines = _fitted(self._parts(page, pages), width)
        # As many lines on the last page as on the others: fewer made the keys' pages taller there,
        # laid out again in pages of that height (page 3/3 became 2/2, its keys not the ones before).
        lines += [""] * (len(_fitted(self._parts(1, pages), width)) - len(lines))
        text = "\n".join(lines)
        if text != line.content:
            line.update(text)

    def _parts(self, page: int, pages: int) -> list[str]:
        """What the last line says on ``page`` of ``pages``: the page, the key to the next, the keys that close."""
        pager, closer = self._key(("toggle_help", "help")), self._key(("close_help",))
        parts = [self.words.page.format(page=page, pages=pages)]
        if pager and page < pages:
            parts.append(self.words.next.format(key=pager))
        closing = [k for k in (pager if page == pages else "", closer) if k]  # the last page: `?` closes
        if closing:
            parts.append(self.words.close.format(key="/".join(closing)))
        return parts


def _fitted(parts: list[str], width: int, joint: str = " · ") -> list[str]:
    """``parts`` joined by ``joint`` into lines of at most ``width`` cells, broken only between parts."""
    lines: list[str] = []
    for part in parts:
        if lines and cell_len(lines[-1] + joint + part) <= width:
            lines[-1] += joint + part
        else:
            lines.append(part)
    return lines


class PagedKeyPanel(KeyPanel):
    """Textual's keys panel, its keys laid out in pages of its height (``PagedBindingsTable``)."""

    def compose(self) -> ComposeResult:
        yield PagedBindingsTable(shrink=True, expand=False)  # as KeyPanel's own

    def on_resize(self) -> None:
        self.query(PagedBindingsTable).refresh(layout=True)  # pages of the new height


class PagedBindingsTable(Static):
    """The screen's keys as Textual's help shows them (a key's bindings on one row, its keys right
    aligned, a group's heading above its keys, a blank line between groups), with a key's lines
    kept on one page: `?` pages the keys a panel's height at a time, and a description wrapped over
    two lines was cut by the end of a page (at 80x24 in English panel 5's page 1 ended "e Export a",
    page 2 began "handover"). Blank lines move such a key to the next page; the last page is filled
    with blank lines too, so that it begins where the page before it ends (it scrolls no further
    than the keys' end).

    Built on public API only (``Screen.active_bindings``, ``App.get_key_display``): Textual's own
    table of keys (``BindingsTable``) has no public name. Its styles are KeyPanel's for that table;
    its parts keep that table's names, which Textual's App styles in ANSI colours (--lite)."""

    COMPONENT_CLASSES = {
        "bindings-table--key",
        "bindings-table--description",
        "bindings-table--divider",
        "bindings-table--header",
    }

    DEFAULT_CSS = """
    PagedBindingsTable {
        width: auto;
        height: auto;
    }
    PagedBindingsTable > .bindings-table--key {
        color: $text-accent;
        text-style: bold;
    }
    PagedBindingsTable > .bindings-table--description {
        color: $foreground;
    }
    PagedBindingsTable > .bindings-table--divider {
        color: transparent;
    }
    PagedBindingsTable > .bindings-table--header {
        color: $text-primary;
        text-style: underline;
    }
    """

    def render(self) -> RenderableType:
        keys = self.parent
        height = keys.scrollable_content_region.height if isinstance(keys, KeyPanel) else 0
        return _OnPages(self._table(), height)

    def _table(self) -> Table:
        """The screen's keys, a group a section: the keys of one node, under its BINDING_GROUP_TITLE."""
        key_style = self.get_component_rich_style("bindings-table--key")
        description_style = self.get_component_rich_style("bindings-table--description")
        heading_style = self.get_component_rich_style("bindings-table--header")
        divider_shown = self.get_component_styles("bindings-table--divider").color.a != 0
        table = Table(
            padding=(0, 0),
            show_header=False,
            box=box.HORIZONTALS if divider_shown else box.SIMPLE,
            border_style=self.get_component_rich_style("bindings-table--divider"),
        )
        table.add_column("", justify="right")
        for node, group in groupby(self.screen.active_bindings.values(), key=lambda active: active.node):
            if node.BINDING_GROUP_TITLE:
                heading = Text(node.BINDING_GROUP_TITLE, end="")
                heading.stylize(heading_style)  # its letters only: a base style would underline its padding too
                table.add_row("", heading)
            by_action: dict[str, list[Binding]] = {}
            for active in group:
                if not active.binding.system:
                    by_action.setdefault(active.binding.action, []).append(active.binding)
            for bindings in by_action.values():
                keys = dict.fromkeys(self.app.get_key_display(binding) for binding in bindings)  # once each, in order
                table.add_row(Text(" ".join(keys), style=key_style), _description(bindings[0], description_style))
            table.add_section()
        return table


def _description(binding: Binding, style: Style) -> Text:
    """A key's description (markup) and its tooltip, dim, after it."""
    text = Text.from_markup(binding.description, end="", style=style)
    if binding.tooltip:
        if binding.description:
            text.append(" ")
        text.append(binding.tooltip, "dim")
    return text


class _OnPages:
    """``table``'s lines, with blank lines where one of its rows would run over the end of a page of
    ``height`` lines (a group's heading is kept with the key below it)."""

    def __init__(self, table: Table, height: int) -> None:
        self.table = table
        self.height = height
        self.headings: set[int] = set()  # rows whose key cell is empty: a group's heading
        for column, cells in enumerate(column.cells for column in table.columns):
            for row, cell in enumerate(cells):
                if isinstance(cell, Text):
                    cell.stylize(Style(meta={ROW: row}))
                if column == 0 and not (cell.plain if isinstance(cell, Text) else cell):
                    self.headings.add(row)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.table)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        lines = console.render_lines(self.table, options, pad=False)
        for line in _paged(lines, self.height, self.headings):
            yield from line
            yield Segment.line()


def _row_of(line: list[Segment]) -> int | None:
    """The table row a rendered line shows, or None (an edge, a blank between groups)."""
    for segment in line:
        if segment.style is not None and ROW in segment.style.meta:
            row: int = segment.style.meta[ROW]
            return row
    return None


def _paged(lines: list[list[Segment]], height: int, headings: set[int]) -> list[list[Segment]]:
    """``lines`` with blank lines before a row's lines that would run over the end of a page of
    ``height`` lines (unless they are more than a page), and after the last page, to its end. A
    line between rows at the top of a page is left out; a heading stays with the row after it."""
    if height <= 0 or len(lines) <= height:
        return lines
    groups: list[list[list[Segment]]] = []
    before: int | None = None
    for line in lines:
        row = _row_of(line)
        if groups and row is not None and (row == before or before in headings):
            groups[-1].append(line)
        else:
            groups.append([line])
        before = row
    paged: list[list[Segment]] = []
    for group in groups:
        room = height - len(paged) % height
        if len(group) > room and len(group) <= height:
            paged.extend([] for _ in range(room))
        if paged and len(paged) % height == 0 and _row_of(group[0]) is None:
            continue  # a blank between rows, at the top of a page
        paged.extend(group)
    paged.extend([] for _ in range(-len(paged) % height))
    return paged
