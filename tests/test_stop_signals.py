"""SIGTERM (`kill`, a service stop) and SIGHUP (the SSH link dropped), sent to the real command.

Their default ended the process where it stood: no line, exit -15 (143 in a shell, which the README
did not name), and the dashboard's terminal left in its screen with the mouse reported, raw.
Now they end it as Ctrl+C does: one line in the interface language, 143 or 129, the terminal given
back, a write whole or not at all (stop_signals.py).
"""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rich.cells import cell_len

from duty_room import words
from duty_room.cli import interrupted
from duty_room.exits import ExitCode
from store import storage
from store.models import Petition, PetitionStatus
from store.storage import Store
from tests.conftest import frozen_command, lock_held_elsewhere, store_bytes
from tools.ptyterm import Terminal

pytestmark = pytest.mark.slow

ENV = {**os.environ, "TERM": "xterm-256color", "LANG": "C.UTF-8", "COLUMNS": "120", "LINES": "40"}
LEAVE_THE_DASHBOARD_SCREEN = b"\x1b[?1049l"  # the terminal's own screen again (Textual's exit)
TERMINATED = {
    "zh": "duty-room: 已终止（SIGTERM）：写入整笔完成或全无；duty-room check 可核对",
    "en": "duty-room: terminated (SIGTERM): writes are whole or none; see duty-room check",
}


def dashboard(root: Path, *options: str) -> Terminal:
    term = Terminal(frozen_command("--store", str(root), *options), 120, 40, ENV)
    assert term.wait_for("MK261127-001"), term.text()
    term.settle()
    return term


def lock_is_free(root: Path) -> bool:
    fd = os.open(root / storage.LOCK, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(fd)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sigterm_ends_the_dashboard_with_one_line_exit_143_and_the_terminal_given_back(
    small_store: Store, lang: str
) -> None:
    term = dashboard(small_store.root, "--lang", lang)
    try:
        os.kill(term.pid, signal.SIGTERM)
        assert term.wait_closed(), "the dashboard did not end on SIGTERM:\n" + term.text()
        assert term.exit_code() == ExitCode.TERMINATED == 143
        assert LEAVE_THE_DASHBOARD_SCREEN in term.raw, "the terminal was left in the dashboard's screen"
        assert TERMINATED[lang] in "".join(term.screen.display), term.text()  # (rows joined: it may wrap)
        assert "Traceback" not in term.text()
    finally:
        term.close()
    assert lock_is_free(small_store.root)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_the_line_said_on_a_stop_signal_fits_80_columns(
    lang: words.Lang, signum: signal.Signals, capsys: pytest.CaptureFixture[str]
) -> None:
    """At 80 columns the line said after SIGHUP (and SIGTERM's) wrapped in the middle of
    "duty-room check", the command it tells the officer to run. Each fits on one line, in both languages."""
    with pytest.raises(SystemExit):
        interrupted(lang, signum)
    line = capsys.readouterr().err
    assert line.endswith("duty-room check 可核对\n" if lang == "zh" else "see duty-room check\n"), line
    assert line.count("\n") == 1 and cell_len(line.rstrip("\n")) <= 80, (cell_len(line), line)


def test_sighup_when_the_link_drops_ends_the_dashboard_exit_129_holding_nothing(small_store: Store) -> None:
    term = dashboard(small_store.root)
    try:
        term.hang_up()  # the kernel sends the program SIGHUP
        assert term.wait_exit(20), "the dashboard outlived its terminal"  # (a failure, not a hung suite)
        assert term.exit_code() == ExitCode.HUNG_UP == 129
    finally:
        term.close()
    assert lock_is_free(small_store.root)


def test_a_hung_up_terminal_ends_the_dashboard_exit_129_with_sighup_ignored(small_store: Store) -> None:
    """Started with SIGHUP set aside (`trap '' HUP`, a parent that ignores it), the dashboard got no
    signal when the link dropped, and its key reader spun a core on the dead terminal (every read an
    empty one) until its next screen write failed: up to the clock's minute, never with the clock
    frozen. Now the hung-up terminal itself ends it, exit 129, its lock given up."""
    ignoring = (
        "import os, signal, sys; signal.signal(signal.SIGHUP, signal.SIG_IGN); os.execv(sys.argv[1], sys.argv[1:])"
    )
    argv = [sys.executable, "-c", ignoring, *frozen_command("--store", str(small_store.root))]
    term = Terminal(argv, 120, 40, ENV)
    try:
        assert term.wait_for("MK261127-001"), term.text()
        term.settle()
        term.hang_up()  # the kernel's SIGHUP is ignored: only the terminal says the link is gone
        assert term.wait_exit(20), "the dashboard outlived its terminal"  # (a failure, not a hung suite)
        assert term.exit_code() == ExitCode.HUNG_UP
    finally:
        term.close()
    assert lock_is_free(small_store.root)


def test_a_write_under_way_when_the_terminal_hangs_up_with_sighup_ignored_is_made_whole(small_store: Store) -> None:
    """The hang-up comes while a save waits for another desk's lock: the dashboard ends as on SIGHUP,
    after the write (whole), not in the middle of it, SIGHUP ignored or not."""
    ignoring = (
        "import os, signal, sys; signal.signal(signal.SIGHUP, signal.SIG_IGN); os.execv(sys.argv[1], sys.argv[1:])"
    )
    argv = [sys.executable, "-c", ignoring, *frozen_command("--store", str(small_store.root))]
    with lock_held_elsewhere(small_store.root) as release:
        term = Terminal(argv, 120, 40, ENV)
        try:
            assert term.wait_for("MK261127-001"), term.text()
            term.settle()
            term.send("c")  # 受理 the first case, a note, confirm: the write waits for the lock
            assert term.wait_for("受理"), term.text()
            term.settle()
            term.send("\rcall back\r")
            assert term.wait_for("另一处正在写入"), term.text()
            term.hang_up()
            release()
            assert term.wait_exit(30), "the dashboard outlived its terminal"
            assert term.exit_code() == ExitCode.HUNG_UP
        finally:
            term.close()
    assert Store(small_store.root).get(Petition, "MK261127-001").status is PetitionStatus.ACCEPTED
    assert lock_is_free(small_store.root)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sigterm_to_a_command_waiting_for_the_lock_is_one_line_exit_143_and_nothing_written(
    small_store: Store, lang: str
) -> None:
    root = small_store.root
    before = store_bytes(root)
    add = ["petition", "add", "--title", "楼道灯不亮", "--category", "infrastructure", "--community", "dongcheng"]
    with lock_held_elsewhere(root):  # another desk's long write
        command = subprocess.Popen(
            frozen_command("--store", str(root), "--lang", lang, *add),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=ENV,
        )
        try:
            lock = str(root / storage.LOCK)
            deadline = time.monotonic() + 30  # until it has the lock file open (its wait), not a guess
            while not _has_open(command.pid, lock):
                assert command.poll() is None and time.monotonic() < deadline, command.communicate()
                time.sleep(0.01)  # a poll of the condition above
            command.send_signal(signal.SIGTERM)
            out, err = command.communicate(timeout=30)
        finally:
            if command.poll() is None:
                command.kill()
                command.wait()
    assert command.returncode == ExitCode.TERMINATED, (command.returncode, err)
    assert err == TERMINATED[lang] + "\n"
    assert out == ""
    assert store_bytes(root) == before
    assert "楼道灯不亮" not in [p.title for p in Store(root).all(Petition)]


def _has_open(pid: int, path: str) -> bool:
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except FileNotFoundError:
        return False
    for fd in fds:
        try:
            if os.readlink(f"/proc/{pid}/fd/{fd}") == path:
                return True
        except FileNotFoundError:
            continue
    return False


def test_a_command_started_under_nohup_goes_on_after_sighup(small_store: Store) -> None:
    root = small_store.root
    add = ["petition", "add", "--title", "楼道灯不亮", "--category", "infrastructure", "--community", "dongcheng"]
    with lock_held_elsewhere(root):  # released at the end of the block: the command, still there, takes it
        command = subprocess.Popen(
            frozen_command("--store", str(root), *add),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=ENV,
            preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN),  # as nohup starts it
        )
        deadline = time.monotonic() + 30
        while not _has_open(command.pid, str(root / storage.LOCK)):
            assert command.poll() is None and time.monotonic() < deadline, command.communicate()
            time.sleep(0.01)  # a poll of the condition above
        command.send_signal(signal.SIGHUP)
    out, err = command.communicate(timeout=30)
    assert command.returncode == 0, err
    assert [p.id for p in Store(root).all(Petition) if p.title == "楼道灯不亮"] == [out.strip()]


def test_stopped_and_continued_the_dashboard_draws_its_whole_screen_again(small_store: Store) -> None:
    """Stopped (SIGTSTP: the shell's job control, `kill -TSTP`) and continued (`fg`), the dashboard
    went back to its screen, which the terminal clears on the way in, and drew nothing there: the
    same size was no resize to it, so only what changed later came back, a clock or a moved row on
    a blank screen. Now the whole screen is sent again as it continues."""
    term = dashboard(small_store.root)
    try:
        os.kill(term.pid, signal.SIGTSTP)
        term.settle()
        assert LEAVE_THE_DASHBOARD_SCREEN in term.raw, "the terminal was not given back on the stop"
        term.screen.reset()  # what the terminal shows on entering the dashboard's screen again: nothing
        os.kill(term.pid, signal.SIGCONT)
        assert term.wait_for("MK261127-001", seconds=5), "nothing drawn after SIGCONT:\n" + term.text()
        assert term.wait_for("民情诉求", seconds=2), term.text()
        os.kill(term.pid, signal.SIGTERM)
        assert term.wait_closed(), term.text()
        assert term.exit_code() == ExitCode.TERMINATED
    finally:
        term.close()


ENTER_THE_DASHBOARD_SCREEN = b"\x1b[?1049h"


def test_a_continue_signal_to_a_running_dashboard_starts_nothing_again(small_store: Store) -> None:
    """SIGCONT comes without a stop before it: the kernel sends it with SIGHUP when the link drops,
    and `kill -CONT` or a shell's `fg` send it too. Textual's driver started its terminal mode again
    on every SIGCONT, stopped or not: a second output thread and a second reader of the keys beside
    the first (typed keys shared out between two readers), and its screen entered once more."""
    term = dashboard(small_store.root)
    try:
        seen = len(term.raw)
        os.kill(term.pid, signal.SIGCONT)
        term.send("2")  # panel 2, its grids listed: a key acted on after the signal was handled
        assert term.wait_for("1号楼支部", seconds=5), term.text()
        term.settle()
        assert ENTER_THE_DASHBOARD_SCREEN not in term.raw[seen:], "SIGCONT started the terminal mode again"
        os.kill(term.pid, signal.SIGTERM)
        assert term.wait_closed(), term.text()
        assert term.exit_code() == ExitCode.TERMINATED
    finally:
        term.close()


def test_a_dashboard_whose_screen_can_no_longer_be_written_ends_as_on_a_dropped_link(small_store: Store) -> None:
    """The link's output gone (a hung-up terminal answers EIO, a closed pipe EPIPE): Textual's output
    thread died of the first error, and after 30 more frames queued for it the dashboard's own thread
    waited for room forever, deaf to SIGTERM and SIGHUP (seen: a dashboard outliving its tmux). Now
    the first write that fails ends it as the link's SIGHUP would (exit 129), SIGHUP set aside or not.
    Here the screen goes to a pipe the test stops reading; the keys still come from the terminal."""
    screen_out, screen_in = os.pipe()
    os.set_inheritable(screen_in, True)
    to_the_pipe = "import os, sys; os.dup2(int(sys.argv[1]), 2); os.execv(sys.argv[2], sys.argv[2:])"
    argv = [sys.executable, "-c", to_the_pipe, str(screen_in), *frozen_command("--store", str(small_store.root))]
    term = Terminal(argv, 120, 40, ENV)
    os.close(screen_in)
    try:
        drawn = bytearray()
        deadline = time.monotonic() + 30
        while b"MK261127-001" not in drawn and time.monotonic() < deadline:
            drawn += os.read(screen_out, 65536)
        assert b"MK261127-001" in drawn, "the dashboard drew nothing"
        os.close(screen_out)  # the output is gone: every later write fails (EPIPE)
        screen_out = -1
        for key in "21" * 30:  # typed as a person does, a frame each: far more than 30 frames
            if term.wait_exit(0):
                break
            term.send(key)
            term.pump(0.05)
        assert term.wait_exit(15), "the dashboard went on after its screen was gone"
        assert term.exit_code() == ExitCode.HUNG_UP
    finally:
        if screen_out != -1:
            os.close(screen_out)
        term.close()


def test_a_link_dropped_while_the_dashboard_draws_ends_it(small_store: Store) -> None:
    """The hang-up as it comes: the link drops while frames are on their way. Before driver.py the
    dashboard stayed alive after seven of twelve such hang-ups (its output thread dead of EIO, then the
    app waiting on its full queue, the kernel's SIGCONT starting a second output thread beside it)."""
    for turn in range(3):
        term = dashboard(small_store.root)
        try:
            for _ in range(30):  # each key another panel: frames queued as the link goes
                term.send("2")
                term.send("1")
            term.pump(0.05 * turn)
            term.hang_up()  # the kernel sends the program SIGHUP (and SIGCONT: it leads its session)
            assert term.wait_exit(20), f"hang-up {turn + 1}: the dashboard outlived its terminal"
            assert term.exit_code() == ExitCode.HUNG_UP
        finally:
            term.close()
    assert lock_is_free(small_store.root)
