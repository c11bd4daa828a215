"""Run a program in a pseudo-terminal and keep its screen with pyte: what an SSH user sees.

Used by the tests and by bench/. Counts the bytes the program sent, for slow-link figures.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import termios
import time
from collections.abc import Callable

import pyte
from wcwidth import wcwidth


def _wide(data: str) -> bool:
    return bool(data) and wcwidth(data[0]) == 2


class RealScreen(pyte.Screen):
    """pyte's screen, except that writing over one half of a wide character blanks the other half,
    as a terminal does. pyte kept 期 whole with a form's border drawn over its right half (and left
    out the border), so one screen showed 超 █ and another 超期 depending only on which of the
    program's updates last touched that line."""

    def draw(self, data: str) -> None:
        x0, y0 = self.cursor.x, self.cursor.y
        super().draw(data)
        if self.cursor.y == y0:  # one line: only the cells either side of what was written can be split
            self._mend(self.buffer[y0], max(x0 - 1, 0), min(x0 + 1, self.columns))
            self._mend(self.buffer[y0], max(self.cursor.x - 1, 0), min(self.cursor.x + 1, self.columns))
        else:
            for y in range(min(y0, self.cursor.y), max(y0, self.cursor.y) + 1):
                self._mend(self.buffer[y], 0, self.columns)

    def erase_in_line(self, how: int = 0, private: bool = False) -> None:
        super().erase_in_line(how, private)
        self._mend(self.buffer[self.cursor.y], 0, self.columns)

    def erase_characters(self, count: int | None = None) -> None:
        super().erase_characters(count)
        self._mend(self.buffer[self.cursor.y], 0, self.columns)

    def _mend(self, line: dict[int, pyte.screens.Char], start: int, stop: int) -> None:
        """A wide character without its right half, or a right half without its character: blank."""
        for x in range(start, stop):
            data = line[x].data
            broken_left = data == "" and (x == 0 or not _wide(line[x - 1].data))
            broken_right = _wide(data) and x + 1 < self.columns and line[x + 1].data != ""
            if broken_left or broken_right:
                line[x] = line[x]._replace(data=" ")


class Terminal:
    """The real program in a pseudo-terminal, its screen kept by pyte."""

    def __init__(self, argv: list[str], columns: int, lines: int, env: dict[str, str]) -> None:
        self.screen = RealScreen(columns, lines)
        self.stream = pyte.ByteStream(self.screen)
        pid, fd = pty.fork()
        if pid == 0:  # child
            os.execvpe(argv[0], argv, env)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
        self.received = 0
        self.raw = bytearray()  # everything the program sent, for size and compression figures
        self.returncode: int | None = None  # once exit_code() has waited for it

    def _read(self, seconds: float) -> bytes | None:
        """What the program sends within ``seconds`` (b"" if nothing), counted; None once it has closed."""
        ready, _, _ = select.select([self.fd], [], [], seconds)
        if not ready:
            return b""
        try:
            chunk = os.read(self.fd, 65536)
        except OSError:
            return None
        self.received += len(chunk)
        self.raw += chunk
        return chunk

    def pump(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            chunk = self._read(left)
            if chunk is None:
                return
            self.stream.feed(chunk)

    def wait_for(self, text: str, seconds: float = 15, step: float = 0.1) -> bool:
        """Whether ``text`` shows within ``seconds``, looked for every ``step`` seconds."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.pump(step)
            if text in self.text():
                return True
        return False

    def wait_closed(self, seconds: float = 15) -> bool:
        """Whether the program ends (its side of the terminal closes) within ``seconds``, reading
        what it sends until then."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            chunk = self._read(left)
            if chunk is None:
                return True
            self.stream.feed(chunk)
        return False

    def settle(self, quiet: float = 0.3, seconds: float = 10) -> None:
        """Read until the program has sent nothing for ``quiet`` seconds (a frame arrives in pieces:
        one row of a table on screen does not mean the rows below it are)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            chunk = self._read(quiet)
            if not chunk:
                return
            self.stream.feed(chunk)

    def wait_for_bytes(self, text: str, seconds: float = 15, piece: int = 2048) -> bool:
        """Whether ``text`` shows within ``seconds``, looked for after every ``piece`` bytes read.

        For timing: the moment the bytes that show ``text`` arrive, not when pyte (~1 MB/s, a real
        terminal is a hundred times faster) has got through the rest of a 64 KB read after them.
        """
        return self.wait_until(lambda screen: text in screen, seconds, piece)

    def wait_until(self, check: Callable[[str], bool], seconds: float = 15, piece: int = 2048) -> bool:
        """Whether the screen's text passes ``check`` within ``seconds``, looked at after every
        ``piece`` bytes read (see ``wait_for_bytes``)."""
        deadline = time.monotonic() + seconds
        if check(self.text()):
            return True
        while (left := deadline - time.monotonic()) > 0:
            chunk = self._read(left)
            if chunk is None:
                return False
            for start in range(0, len(chunk), piece):
                self.stream.feed(chunk[start : start + piece])
                if check(self.text()):
                    self.stream.feed(chunk[start + piece :])
                    return True
        return False

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def find(self, needle: str) -> list[int]:
        return [y for y, line in enumerate(self.screen.display) if needle in line]

    def column_of(self, y: int, char: str) -> int:
        """Terminal column (not string index: a wide character fills two columns) of ``char``."""
        row = self.screen.buffer[y]
        return next(x for x in range(self.screen.columns) if row[x].data == char)

    def at(self, y: int, x: int, columns: int) -> str:
        row = self.screen.buffer[y]
        return "".join(row[c].data for c in range(x, x + columns))

    def send(self, keys: str) -> None:
        os.write(self.fd, keys.encode())

    def exit_code(self) -> int:
        """Wait for the program to end: its exit code as a shell gives it (killed by signal N: -N)."""
        if self.returncode is None:
            _, status = os.waitpid(self.pid, 0)
            self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait_exit(self, seconds: float = 15) -> bool:
        """Whether the program ends within ``seconds`` (its exit code kept), reading nothing: for a
        terminal already hung up, or a program whose screen goes elsewhere."""
        deadline = time.monotonic() + seconds
        while self.returncode is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
            elif time.monotonic() >= deadline:
                return False
            else:
                time.sleep(0.05)
        return True

    def hang_up(self) -> None:
        """The link drops (ssh's connection lost): the terminal's side is closed, and the kernel sends
        the program, which leads its session, SIGHUP."""
        os.close(self.fd)
        self.fd = -1

    def close(self) -> None:
        if self.returncode is None:
            try:
                os.kill(self.pid, 9)
            except ProcessLookupError:
                pass
            self.exit_code()
        if self.fd != -1:
            os.close(self.fd)
