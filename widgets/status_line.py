"""One line inside the layout for what just happened: instead of toasts floating over panels.

Toasts cost a repaint of everything they cover and, over a panel border, Textual's compositor
drops a wide (Chinese) character whose cell is overwritten. A line in the layout has neither
problem. Information fades after a while; warnings and errors stay until the next message, or, over
a lasting fault (a damaged file), for a while.

A message longer than the line is shortened to fit, never cut at the right: what the officer must
do next is said last (…；按 h 再次导出), so the end stays. A path (an export, a backup) is shortened
first, in its middle, keeping its file name (/home/officer/…/交接班.md); only if that is not enough
are the clauses before the last left out, then the message's middle (``fit``). ``message`` keeps
the whole of it.
"""

from __future__ import annotations

import re

from rich.cells import cell_len
from rich.text import Text
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static

STYLE = {"information": "", "warning": "bold yellow", "error": "bold red"}

ELLIPSIS = "…"
# The patterns below are given to re's functions as text, compiled (and kept by re) when a message
# first needs fitting: compiled at import, five of them cost every first frame ~7 M instructions, a line
# that says nothing yet. A whole path in a message: from a / (or ~/, ./, C:\) after a space or a
# punctuation mark to the next space or mark that ends it. A name in the store
# (petitions/2026-11-27.json) is short: never shortened.
PATH = r"(?<![^\s，；。：、（(“「])(?:~|\.{1,2}|[A-Za-z]:)?[/\\][^\s，；。：、（）]*[^\s，；。：、（）,;:.)]"
FILE_NAME = r"[\w-]\.[A-Za-z]{2,7}\b"  # a store file named in a message: petitions/2026-11-27.json
KEEP_OF_PATH = 8  # a path is never shortened below this many cells (plus its file name, when it fits)


def _head(text: str, cells: int) -> str:
    """The longest start of ``text`` at most ``cells`` wide."""
    out, used = [], 0
    for char in text:
        used += cell_len(char)
        if used > cells:
            break
        out.append(char)
    return "".join(out)


def _tail(text: str, cells: int) -> str:
    return _head(text[::-1], cells)[::-1]


LETTER = r"[A-Za-z0-9]"  # a word of a language written with spaces: never cut in two


def _cuts_a_word(before: str, after: str) -> bool:
    return bool(before and after and re.match(LETTER, before[-1]) and re.match(LETTER, after[0]))


def _words_head(text: str, cells: int) -> str:
    """``_head``, ending at a space rather than inside an English word (where a space is to end at)."""
    head = _head(text, cells)
    if _cuts_a_word(head, text[len(head) :]) and " " in head:
        head = head[: head.rindex(" ")]
    return head


def _words_tail(text: str, cells: int) -> str:
    """``_tail``, starting after a space rather than inside an English word (…he number served)."""
    tail = _tail(text, cells)
    if _cuts_a_word(text[: len(text) - len(tail)], tail) and " " in tail:
        tail = tail[tail.index(" ") + 1 :]
    return tail


def shorten_path(path: str, cells: int, *, keep_name: bool = False) -> str:
    """``path`` at most ``cells`` wide (if it can be): its middle left out, its file name kept whole if
    it fits with the path's first cell (/home/officer/…/交接班.md); with ``keep_name`` never shorter."""
    name = path[-1 - len(re.split(r"[/\\]", path)[-1]) :]  # /交接班.md
    cells = max(cells, KEEP_OF_PATH, cell_len(name) + 2 if keep_name else 0)
    if cell_len(path) <= cells:
        return path
    tail = name if cell_len(name) <= cells - 2 else _tail(path, (cells - 1) // 2)
    return _head(path, cells - 1 - cell_len(tail)) + ELLIPSIS + tail


CLAUSE = r"(?<=；)|(?<=; )"  # a message's clauses: what happened; …; what to do
# Where what to do goes on with a second part (请从备份恢复，恢复前不会写入它; restore it from a backup: …).
PART = r"，|, |: "
AFTERWORD = r" ?\([^()]*\)$|（[^（）]*）$"  # an aside closing a clause: (the late mark stays)
ASIDE = r"（[^）]*$| \([^)]*$"  # an aside opened and not closed: cut before it, not inside it


def _shorten_paths(message: str, width: int, *, keep_names: bool) -> str:
    """``message`` with its longest paths shortened in their middle, as far as it takes to fit ``width``
    (with ``keep_names``, each path keeps at least its file name)."""
    for match in sorted(re.finditer(PATH, message), key=lambda m: cell_len(m.group()), reverse=True):
        excess = cell_len(message) - width
        if excess <= 0:
            break
        path = match.group()
        start = message.find(path)
        message = (
            message[:start]
            + shorten_path(path, cell_len(path) - excess, keep_name=keep_names)
            + message[start + len(path) :]
        )
    return message


KEEP_OF_SUBJECT = 12  # what a message is about (a session's time and a little of its title), when its verdict is kept


def _verdict(first: str, end: str, width: int) -> str:
    """``first`` (a message's first clause) before ``end`` in ``width`` cells with its last part whole, its
    verdict (…不能再签到；, …this session is checked in; ), its middle left out, what it is about (its start)
    kept as far as there is room (at least ``KEEP_OF_SUBJECT``); "" where that is not enough room, or
    where the clause names a file: what it names comes first (数据文件已损坏：petitions/…)."""
    parts = list(re.finditer(PART, first.rstrip("；; ")))
    if not parts or re.search(PATH, first) or re.search(FILE_NAME, first):
        return ""
    verdict = first[parts[-1].end() :]
    room = width - cell_len(verdict + end) - cell_len(ELLIPSIS)
    if room < KEEP_OF_SUBJECT:
        return ""
    return _words_head(first[: parts[-1].start()], room).rstrip() + ELLIPSIS + verdict + end


def fit(message: str, width: int) -> str:
    """``message`` in at most ``width`` cells, its start (what happened) and its end (what to do) kept:
    its longest paths shortened in their middle, each keeping its file name; if that is not enough, the
    clauses between its first and its last left out (…), the one before the last first; then the paths
    shortened further; last the middle of what is left, the last clause kept if it is short (only its
    first part, 请从备份恢复, where the whole would cut the first clause), an aside cut whole, and the
    first clause's last part, its verdict (…不能再签到), kept whole where it has a part of its own."""
    if width <= 0 or cell_len(message) <= width:
        return message
    clauses = [c for c in re.split(CLAUSE, message) if c]
    gap = ELLIPSIS + ("；" if clauses[0].endswith("；") else "; ")
    for dropped in range(max(len(clauses) - 1, 1)):  # 0, then 1, 2… clauses before the last left out
        kept = clauses if not dropped else [*clauses[: -1 - dropped], gap, clauses[-1]]
        shorter = _shorten_paths("".join(kept), width, keep_names=True)
        if cell_len(shorter) <= width:
            return shorter
    last = clauses[-1]
    if cell_len(last) + 3 > width * 2 // 3:  # what to do, too long whole: its first part (请从备份恢复)
        last = re.sub(AFTERWORD, "", re.split(PART, last, maxsplit=1)[0])  # … without an aside at its end
    if len(clauses) > 1 and cell_len(last) + 3 <= width * 2 // 3:  # the first clause, then the last
        first, end = clauses[0], (gap if len(clauses) > 2 else "") + last
        if cell_len(first + end) > width:  # what happened comes before the second part of what to do
            end = re.split(PART, end, maxsplit=1)[0]
    else:
        first, end = message, ""
    room = width - cell_len(end)
    first = _shorten_paths(first, room, keep_names=False)
    if cell_len(first) <= room:
        return first + end
    verdict = _verdict(first, end, width)
    if verdict:
        return verdict
    end = end if end.startswith(ELLIPSIS) else ELLIPSIS + (end or _words_tail(first, (width - 1) // 2))
    head = _words_head(first, width - cell_len(end))
    aside = re.search(ASIDE, head)
    if aside and aside.start() > 0:
        head = head[: aside.start()]
    return head.rstrip("；; ") + end


class StatusLine(Static):
    """Show ``say(message, severity)``; ``information``, and anything said over a pinned message, gives
    way after ``fade`` seconds (to the pinned message).

    Over a pinned message (a damaged file) what is said shows before it, in one line, each in its own
    style (``message`` is the two joined): a write's 已记录 said just before a damaged file was found
    on reading the store again is neither replaced by the fault nor hides it, and the line is made
    again from the two whenever either changes, so a fault found again, or another, is never joined
    to a line that already says one, and a mended file's words go at once."""

    DEFAULT_CSS = """
    StatusLine {
        height: 1;
        padding: 0 1;
    }
    """

    def __init__(self, *, fade: float = 8.0, joiner: str = ". ", id: str | None = None) -> None:
        super().__init__("", markup=False, id=id)
        self.fade = fade
        self.joiner = joiner  # between two sentences said in one line: "。" in Chinese
        self.said = ""  # the newest message said, until it fades or is cleared
        self.pinned = ""  # shown whenever nothing newer is: a fault that lasts (a damaged file)
        self.message = ""  # the line whole: ``said``, ``pinned``, or the two (shortened to its width: ``fit``)
        self._style = ""
        self._alone = False  # ``said`` shows without the pinned message (it says the same fault)
        self._timer: Timer | None = None

    class Mounted(Message):
        """A status line is on its screen (a list's, a detail's): the app pins on it what lasts."""

        def __init__(self, line: StatusLine) -> None:
            super().__init__()
            self.line = line

    def on_mount(self) -> None:
        self.post_message(self.Mounted(self))

    def render(self) -> Text:
        """The message fitted to the line's width now (a resize draws it again): what was said in its
        style, the pinned fault after it in the error style."""
        shown = fit(self.message, self.content_size.width)
        if self.message != self._head() + self.pinned:  # one of the two
            return Text(shown, style=self._style if self.said else STYLE["error"], no_wrap=True, overflow="ellipsis")
        text = Text(shown, no_wrap=True, overflow="ellipsis")
        head = len(self._head()) if shown.startswith(self._head()) else 0  # (cut short: all of it the fault's)
        text.stylize(self._style, 0, head)
        text.stylize(STYLE["error"], head)
        return text

    def _head(self) -> str:
        """``said`` as it begins the line over a pinned message."""
        return f"{self.said.rstrip('。.；; ')}{self.joiner}"

    def _show(self) -> None:
        if not self.said:
            self.message = self.pinned
        elif not self.pinned or self._alone or self.said == self.pinned:
            self.message = self.said
        else:
            self.message = self._head() + self.pinned
        self.refresh()  # in place, no layout pass: one line of bytes on the wire

    def say(self, message: str, severity: str = "information", *, alone: bool = False) -> None:
        """Say ``message``; over a pinned message, before it (``alone``: instead of it, for a while)."""
        self.said, self._style, self._alone = message, STYLE.get(severity, ""), alone
        self._show()
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if message and (severity == "information" or self.pinned):
            # A warning or an error stays until the next message, except over a lasting fault: a
            # refused key hid a damaged file's line for good, the panels' stale data left unexplained.
            self._timer = self.set_timer(self.fade, self.clear)

    def alone(self, message: str) -> None:
        """``message``, if it is what is said, shows instead of the pinned one (it says the same fault)."""
        if self.said == message:
            self._alone = True
            self._show()

    def clear(self) -> None:
        """Back to the pinned message, or blank."""
        self.said = ""
        self._show()

    def pin(self, message: str) -> None:
        """Keep ``message`` (in the error style) until ``pin("")``; what is said shows before it for a while.

        What was said stays: unpinning once the store is sound again wiped the 已记录 of the very write
        that had waited for it, and pinning replaced it, so that the officer could not see the write was
        saved. A refusal said with nothing pinned stays until the next message; once a fault is pinned
        under it, it gives way to the fault after a while."""
        self.pinned = message
        if message and self.said and self._timer is None:
            self._timer = self.set_timer(self.fade, self.clear)
        self._show()
