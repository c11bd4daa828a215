"""The keys panel with a line saying it pages (``PagedHelpPanel``), for ``toggle_help``'s screens.

A module of its own, imported when help is first shown: Textual's HelpPanel brings its Markdown
widget, and with it markdown-it and linkify (~100 modules), which the first frame does not need.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.widgets import HelpPanel, KeyPanel, Static


@dataclass(frozen=True)
class HelpPageWords:
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
        yield from super().compose()
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
        pager, closer = self._key(("toggle_help", "help")), self._key(("close_help",))
        parts = [self.words.page.format(page=page, pages=pages)]
        if pager and page < pages:
            parts.append(self.words.next.format(key=pager))
        closing = [k for k in (pager if page == pages else "", closer) if k]  # the last page: `?` closes
        if closing:
            parts.append(self.words.close.format(key="/".join(closing)))
        text = "\n".join(_fitted(parts, line.content_region.width or self.content_region.width))
        if text != line.content:
            line.update(text)


def _fitted(parts: list[str], width: int, joint: str = " · ") -> list[str]:
    """``parts`` joined by ``joint`` into lines of at most ``width`` cells, broken only between parts."""
    lines: list[str] = []
    for part in parts:
        if lines and cell_len(lines[-1] + joint + part) <= width:
            lines[-1] += joint + part
        else:
            lines.append(part)
    return lines
