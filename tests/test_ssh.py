"""Live over SSH: the real dashboard through a real OpenSSH server on 127.0.0.1.

A module fixture starts Debian's ``/usr/sbin/sshd`` (installed by .ci/run) on a free port of
127.0.0.1 with its own host key and config, for a dedicated account ``dutytest`` that may log in
with one throw-away key only. Each test connects with ``ssh -tt -C`` from a pseudo-terminal
read by pyte (tools/ptyterm.py), exactly as a duty officer would, and checks:

* the dashboard renders the store, and a status change made with keys is stored with the SSH
  login account as its actor (the store takes it from the password database);
* two SSH sessions at once see each other's changes;
* a dropped connection (the ssh client killed) leaves the store valid and no stale lock: the
  remote dashboard exits, a new write succeeds at once and ``duty-room check`` exits 0.

Needs root (to add the account and run sshd); skips cleanly otherwise.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shlex
import shutil
import signal
import socket
import stat
import subprocess
import sys
import sysconfig
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from store import clock
from store.lifecycle import change_status
from store.models import Petition, PetitionStatus
from store.storage import Store
from tests.conftest import FROZEN_NOW, build_small_store, frozen_command
from tools.ptyterm import Terminal

pytestmark = pytest.mark.slow

SSHD = "/usr/sbin/sshd"
SSH_USER = "dutytest"
COLUMNS, LINES = 120, 40
RENDERED = "燃气管道老化"  # the title of MK261127-003 in the small store (cut to fit the panel)
FORM_KEYS = "^s 提交"  # a step's form in the footer, drawn with the form (its note focused when it opens)
# The real command with the test's frozen clock (a test facility: the production command has none).
FROZEN_LAUNCH = (
    "import sys\n"
    "from store import clock\n"
    f"clock.freeze({FROZEN_NOW!r})\n"
    "sys.argv[0] = 'duty-room'\n"
    "from duty_room.cli import main\n"
    "main()\n"
)


# ---------------------------------------------------------------------------
# helpers


@contextlib.contextmanager
def _as_account(uid: int) -> Iterator[None]:
    """This process acts as another account for a while (root only): its files are that account's."""
    account = pwd.getpwuid(uid)
    os.setegid(account.pw_gid)
    os.seteuid(uid)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(argv: list[str], timeout: float = 30) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False)


def _proc_table() -> dict[int, tuple[int, int, str]]:
    """pid → (ppid, uid, command line) of every process we can see."""
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        pid = int(entry)
        try:
            with open(f"/proc/{pid}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
            state, ppid = fields[0], int(fields[1])
            if state == b"Z":
                continue  # a zombie holds no files and no lock
            uid = os.stat(f"/proc/{pid}").st_uid
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmdline = f.read().replace(b"\0", b" ").decode(errors="replace")
        except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
            continue
        table[pid] = (ppid, uid, cmdline)
    return table


def _descendants(root: int) -> list[int]:
    table = _proc_table()
    found, frontier = [], [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, (ppid, _, _) in table.items() if ppid == parent]
        found += children
        frontier += children
    return found


def _alive(pid: int) -> bool:
    return pid in _proc_table()


@dataclass
class SshServer:
    """A running sshd on 127.0.0.1 and what a test needs to log in to it."""

    process: subprocess.Popen[bytes]
    port: int
    key: Path
    public: Path  # world-traversable folder for stores
    log: Path
    uid: int
    launcher: list[str] = field(default_factory=list)  # how the remote side runs duty-room

    def ssh_argv(self, remote: str, *, tty: bool = True) -> list[str]:
        return [
            "ssh",
            *(["-tt", "-C"] if tty else ["-T"]),
            "-F",
            "/dev/null",
            "-i",
            str(self.key),
            "-p",
            str(self.port),
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-o",
            "LogLevel=ERROR",
            "-o",
            "BatchMode=yes",
            "-o",
            "IdentitiesOnly=yes",
            "-o",
            "ConnectTimeout=10",
            f"{SSH_USER}@127.0.0.1",
            remote,
        ]

    def remote_command(self, *args: str) -> str:
        # The login shell runs this line: a UTF-8 locale travels in it (the launcher freezes the clock).
        return shlex.join(["env", "LANG=C.UTF-8", *self.launcher, *args])

    def connect(self, store_root: Path) -> Terminal:
        env = {**os.environ, "TERM": "xterm-256color", "LANG": "C.UTF-8"}
        argv = self.ssh_argv(self.remote_command("--store", str(store_root)))
        return Terminal(argv, COLUMNS, LINES, env)

    def remote_dashboards(self) -> set[int]:
        """The duty-room processes of the SSH account below our sshd."""
        table = _proc_table()
        return {
            pid
            for pid in _descendants(self.process.pid)
            if pid in table and table[pid][1] == self.uid and "duty_room" in table[pid][2]
        }

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]


def _launchers() -> list[list[str]]:
    """Ways the SSH account may run this checkout's duty-room, best first.

    1. The test's own interpreter (CI's .venv in the checkout).
    2. A system Python of the same version with this environment's site-packages added: for
       when the interpreter lives where the SSH account cannot go (a pyenv build under /root).
       -I -S keep the account's and the system's own packages out.
    (3., in _choose_launcher: the same with copies of the site-packages, when they too are closed.)
    """
    return [[sys.executable, "-c", FROZEN_LAUNCH], *_system_launchers(_own_sites())]


def _own_sites() -> list[str]:
    return list(dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]]))


def _system_launchers(sites: list[str]) -> list[list[str]]:
    launchers = []
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    code = f"import site, sys\nfor d in {sites!r}: site.addsitedir(d)\n" + FROZEN_LAUNCH
    for folder in ("/usr/bin", "/usr/local/bin"):
        candidate = Path(folder) / version
        if candidate.exists():
            launchers.append([str(candidate), "-I", "-S", "-c", code])
    return launchers


def _closed_folder(path: Path) -> str | None:
    """The first of ``path`` and the folders above it that others may not pass through, or None."""
    for parent in [path, *path.parents]:
        if not parent.stat().st_mode & stat.S_IXOTH:
            return str(parent)
    return None


# ---------------------------------------------------------------------------
# fixtures


def _start_sshd(public: Path, uid: int) -> SshServer:
    """Keys, config and a running ``sshd -D`` on a free port of 127.0.0.1, answering when returned."""
    private = public / "sshd"
    private.mkdir(mode=0o700)
    key = private / "client_ed25519"
    host_key = private / "host_ed25519"
    for path, comment in ((key, "duty-room-test"), (host_key, "duty-room-test-host")):
        made = _run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", str(path)])
        assert made.returncode == 0, made.stderr
    authorized = public / "authorized_keys"
    authorized.write_text(key.with_suffix(".pub").read_text())
    authorized.chmod(0o644)  # sshd reads it as the user; StrictModes no accepts it outside ~/.ssh

    port = _free_port()
    config = private / "sshd_config"
    config.write_text(
        "\n".join(
            [
                f"Port {port}",
                "ListenAddress 127.0.0.1",
                f"HostKey {host_key}",
                f"PidFile {private / 'sshd.pid'}",
                f"AuthorizedKeysFile {authorized}",
                f"AllowUsers {SSH_USER}",
                "PermitRootLogin no",
                "PubkeyAuthentication yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "UsePAM no",
                "StrictModes no",
                "AcceptEnv LANG LC_* DUTY_ROOM_*",
                "PrintMotd no",
                "PrintLastLog no",
                "UseDNS no",
                "X11Forwarding no",
                "AllowTcpForwarding no",
                "",
            ]
        )
    )
    Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # sshd's privilege-separation folder
    test = _run([SSHD, "-t", "-f", str(config)])
    assert test.returncode == 0, f"sshd -t: {test.stderr}"
    log = private / "sshd.log"
    with log.open("wb") as out:
        process = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)], stdout=out, stderr=subprocess.STDOUT)
    server = SshServer(process, port, key, public, log, uid)
    deadline = time.monotonic() + 10
    while True:
        if process.poll() is not None:
            return server  # the caller reports the log
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            if time.monotonic() > deadline:
                return server
            time.sleep(0.05)  # a poll: until sshd listens


def _choose_launcher(server: SshServer) -> list[str]:
    """Reasons it could not run duty-room as the SSH account (empty: server.launcher works)."""
    reasons = []
    for launcher in _launchers():
        blocked = _closed_folder(Path(launcher[0]).resolve().parent)
        if blocked is not None:
            reasons.append(f"{launcher[0]}: {blocked} is closed to other users")
            continue
        failure = _try_launcher(server, launcher)
        if failure is None:
            return []
        reasons.append(f"{launcher[0]}: {failure}")
    # CI's checkout (and its .venv) may lie below a folder closed to other users: copy the
    # installed packages into the world-readable folder and run those.
    copies = []
    for index, site in enumerate(_own_sites()):
        target = server.public / f"site{index}"
        shutil.copytree(site, target, ignore=shutil.ignore_patterns("__pycache__"), symlinks=True)
        copies.append(str(target))
    for launcher in _system_launchers(copies):
        failure = _try_launcher(server, launcher)
        if failure is None:
            return []
        reasons.append(f"{launcher[0]} with copied packages: {failure}")
    return reasons


def _try_launcher(server: SshServer, launcher: list[str]) -> str | None:
    """None if the SSH account can run duty-room this way (kept in server.launcher), else why not."""
    server.launcher = launcher
    probe = _run(server.ssh_argv(server.remote_command("--help"), tty=False), timeout=60)
    if probe.returncode == 0 and "duty-room" in probe.stdout:
        return None
    server.launcher = []
    return f"exit {probe.returncode}: {probe.stderr.strip()[-300:]}"


def _stop(server: SshServer | None, uid: int, created_user: bool) -> None:
    leftovers: set[int] = set()
    if server is not None:
        leftovers |= set(_descendants(server.process.pid))
    if created_user:  # every process of an account made here is ours, even one sshd let go of
        leftovers |= {pid for pid, (_, owner, _) in _proc_table().items() if owner == uid}
    for pid in leftovers:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + 5  # gone, not just signalled: userdel refuses a user with processes
    while time.monotonic() < deadline and any(_alive(pid) for pid in leftovers):
        time.sleep(0.05)  # a poll of the condition above
    if server is not None:
        server.process.terminate()
        try:
            server.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait(timeout=5)


@pytest.fixture(scope="module")
def sshd() -> Iterator[SshServer]:
    if not sys.platform.startswith("linux"):
        pytest.skip("needs Linux")
    if not Path(SSHD).exists():
        pytest.skip(f"{SSHD} missing (Debian: apt-get install openssh-server; .ci/run does it as root)")
    if os.geteuid() != 0:
        pytest.skip("needs root: adds the account dutytest and runs sshd")
    for tool in ("ssh", "ssh-keygen", "useradd", "userdel"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} missing")

    created_user = False
    try:
        account = pwd.getpwnam(SSH_USER)
    except KeyError:
        # '*' (not the default '!'): with UsePAM no, sshd refuses keys for a locked account.
        made = _run(["useradd", "-m", "-s", "/bin/bash", "-p", "*", SSH_USER])
        if made.returncode != 0:
            pytest.skip(f"useradd {SSH_USER} failed: {made.stderr.strip()}")
        created_user = True
        account = pwd.getpwnam(SSH_USER)

    public = Path(tempfile.mkdtemp(prefix="duty-room-ssh-", dir="/tmp"))
    public.chmod(0o711)  # the SSH account may pass through to its stores, not list them
    server = None
    try:
        server = _start_sshd(public, account.pw_uid)
        assert server.process.poll() is None, f"sshd exited: {server.log_text()}"
        socket.create_connection(("127.0.0.1", server.port), timeout=1).close()  # listening, or fail here
        reasons = _choose_launcher(server)
        if reasons:
            pytest.skip(f"{SSH_USER} cannot run this checkout's duty-room: " + "; ".join(reasons))
        yield server
    finally:
        _stop(server, account.pw_uid, created_user)
        shutil.rmtree(public, ignore_errors=True)
        if created_user:
            for _ in range(3):
                removed = _run(["userdel", "-r", SSH_USER])
                if removed.returncode == 0:
                    break
                time.sleep(0.5)  # on purpose: a gap before trying again (a process of the account may still be ending)
            else:  # harmless (the next run reuses it), but say so
                warnings.warn(f"userdel {SSH_USER}: {removed.stderr.strip()}", stacklevel=1)


@pytest.fixture
def ssh_store(sshd: SshServer, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh small store that belongs to the SSH account (this process writes as root)."""
    clock.freeze(FROZEN_NOW)
    root = Path(tempfile.mkdtemp(prefix="store-", dir=sshd.public))
    build_small_store(root)
    for path in [root, *root.rglob("*")]:
        os.chown(path, sshd.uid, -1, follow_symlinks=False)
    root.chmod(0o750)
    return root


def _rendered(term: Terminal) -> None:
    assert term.wait_for(RENDERED, 40), term.text()
    assert term.wait_for("MK261127-001", 5), term.text()


def _status_on_screen(term: Terminal, case_id: str) -> str | None:
    """The status cell of a case's row in the case table (not a toast that names the case)."""
    header = _case_header(term)
    if header is None:
        return None
    id_x, status_x = term.column_of(header, "编"), term.column_of(header, "状")
    for y in term.find(case_id):
        if term.at(y, id_x, len(case_id)) == case_id:
            return term.at(y, status_x, 6).strip()
    return None


def _case_header(term: Terminal) -> int | None:
    """The row of the case table's heading, or None if not (only) one shows."""
    headers = [y for y in term.find("编号") if "状态" in term.screen.display[y]]
    return headers[0] if len(headers) == 1 else None


def _cursor_on(term: Terminal, case_id: str) -> bool:
    """The case table's cursor is on the case's row: its id is drawn on another background than
    every other case's (the text alone does not say where the cursor is)."""
    header = _case_header(term)
    if header is None:
        return False
    id_x = term.column_of(header, "编")
    backgrounds = {
        term.at(y, id_x, len(case_id)): term.screen.buffer[y][id_x].bg
        for y in range(header + 1, term.screen.lines)
        if term.at(y, id_x, 2) == case_id[:2]
    }
    mine = backgrounds.pop(case_id, None)
    return mine is not None and bool(backgrounds) and mine not in backgrounds.values()


def _typing_in(term: Terminal, placeholder: str) -> bool:
    """The empty field that says ``placeholder`` has the focus: its cursor (another background) is on
    the placeholder's first character, not on the second."""
    for y in term.find(placeholder):
        x = term.column_of(y, placeholder[0])
        row = term.screen.buffer[y]
        second = x + 1 if row[x + 1].data else x + 2  # (a wide character's right half is "")
        if row[x].bg != row[second].bg:
            return True
    return False


def _wait(term: Terminal, check: Callable[[str], bool], what: str, seconds: float = 10) -> None:
    """Read until ``check`` holds, or fail saying what did not show within ``seconds``."""
    assert term.wait_until(check, seconds), f"waited {seconds} s for {what}:\n{term.text()}"


def _wait_status_on_screen(term: Terminal, case_id: str, label: str, seconds: float) -> bool:
    return term.wait_until(lambda _: _status_on_screen(term, case_id) == label, seconds)


def _wait_status(term: Terminal, root: Path, case_id: str, status: PetitionStatus, seconds: float) -> Petition:
    """The case as stored once it has ``status``, or as it is after ``seconds``; reading the terminal
    meanwhile, as a real one does: a terminal nobody reads stops the dashboard, whose writes of the
    screen then wait (ssh's window, the pty's buffer), before it has saved the step."""
    deadline = time.monotonic() + seconds
    while True:
        petition = Store(root).get(Petition, case_id)
        if petition.status is status or time.monotonic() > deadline:
            return petition
        term.pump(0.1)  # a poll of the condition above


# ---------------------------------------------------------------------------
# tests


def test_dashboard_over_ssh_stores_a_change_with_the_login_user(sshd: SshServer, ssh_store: Path) -> None:
    term = sshd.connect(ssh_store)
    try:
        _rendered(term)
        assert _status_on_screen(term, "MK261127-001") == "待受理", term.text()
        assert SSH_USER in term.text()  # the header names the OS account signed in
        term.send("c")
        assert term.wait_for("更改状态：MK261127-001", 10), term.text()
        _wait(term, lambda screen: "受理 → 已受理" in screen, "the steps of MK261127-001")
        term.send("\r")  # the first legal step: 受理 → 已受理
        _wait(term, lambda _: _typing_in(term, "备注（可选）"), "the note to take the focus after the step")
        term.send("\r")  # confirm (no note)
        saved = _wait_status(term, ssh_store, "MK261127-001", PetitionStatus.ACCEPTED, 10)
        assert saved.status is PetitionStatus.ACCEPTED, term.text()
        assert saved.history[-1].actor == SSH_USER
        assert _wait_status_on_screen(term, "MK261127-001", "已受理", 5), term.text()
        term.send("q")
        assert term.wait_closed(), "the dashboard did not quit on q:\n" + term.text()
    finally:
        term.close()


def test_two_ssh_sessions_see_each_others_changes(sshd: SshServer, ssh_store: Path) -> None:
    first, second = sshd.connect(ssh_store), sshd.connect(ssh_store)
    try:
        _rendered(first)
        _rendered(second)
        assert _status_on_screen(second, "MK261127-003") == "已派单", second.text()
        # The first session: down twice to MK261127-003 (已派单), 开始处置, confirm.
        first.send("j")
        _wait(first, lambda _: _cursor_on(first, "MK261127-002"), "the cursor on MK261127-002")
        first.send("j")
        _wait(first, lambda _: _cursor_on(first, "MK261127-003"), "the cursor on MK261127-003")
        first.send("s")
        assert first.wait_for("· MK261127-003", 10), first.text()
        _wait(first, lambda screen: FORM_KEYS in screen, "the form's own keys in the footer (the note has the focus)")
        first.send("\r")
        assert _wait_status_on_screen(second, "MK261127-003", "处置中", 5), second.text()
        assert Store(ssh_store).get(Petition, "MK261127-003").history[-1].actor == SSH_USER
        # And back: the second session accepts MK261127-001 (待受理); the first sees it.
        assert _status_on_screen(second, "MK261127-001") == "待受理", second.text()
        second.send("a")
        assert second.wait_for("· MK261127-001", 10), second.text()
        _wait(second, lambda screen: FORM_KEYS in screen, "the form's own keys in the footer (the note has the focus)")
        second.send("\r")
        assert _wait_status_on_screen(first, "MK261127-001", "已受理", 5), first.text()
        saved = Store(ssh_store).get(Petition, "MK261127-001")
        assert saved.status is PetitionStatus.ACCEPTED and saved.history[-1].actor == SSH_USER
    finally:
        first.close()
        second.close()


def test_dropped_ssh_connection_leaves_the_store_intact_and_unlocked(sshd: SshServer, ssh_store: Path) -> None:
    before = sshd.remote_dashboards()
    term = sshd.connect(ssh_store)
    try:
        _rendered(term)
        remote = sshd.remote_dashboards() - before
        assert remote, "no duty-room process of the SSH account found under sshd"
        # Mid-way: confirm a step and drop the line at once, while the remote may be writing.
        term.send("c")
        assert term.wait_for("更改状态：MK261127-001", 10), term.text()
        _wait(term, lambda screen: "受理 → 已受理" in screen, "the steps of MK261127-001")
        term.send("\r")
        _wait(term, lambda _: _typing_in(term, "备注（可选）"), "the note to take the focus after the step")
        term.send("\r")  # and at once:
    finally:
        term.close()  # kill -9 of the local ssh client: the connection drops
    dropped = time.monotonic()

    # A write from another process gets the lock at once: a killed holder's flock is gone.
    started = time.monotonic()
    with _as_account(sshd.uid):  # as the SSH account: a file root made here would be root's, not the account's
        changed = change_status(Store(ssh_store, actor="after-drop"), "MK261127-003", PetitionStatus.IN_PROGRESS)
    took = time.monotonic() - started
    assert started - dropped < 5
    assert took < 5, f"the write after the drop waited {took:.1f} s for the lock"
    assert changed.status is PetitionStatus.IN_PROGRESS
    saved = Store(ssh_store).get(Petition, "MK261127-003")
    assert saved.history[-1].actor == "after-drop"
    # The step confirmed just before the drop either reached the store whole or not at all.
    first = Store(ssh_store).get(Petition, "MK261127-001")
    assert first.status in (PetitionStatus.NEW, PetitionStatus.ACCEPTED)
    if first.status is PetitionStatus.ACCEPTED:
        assert first.history[-1].actor == SSH_USER
    assert not list(ssh_store.rglob(".*.tmp-*")), "temp files left behind"

    check = subprocess.run(
        frozen_command("--store", str(ssh_store), "check"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert check.returncode == 0, check.stderr
    assert check.stdout.startswith("ok: ")

    # sshd hangs up on the remote dashboard: it exits, holding nothing.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(pid) for pid in remote):
        time.sleep(0.1)  # a poll of the condition above
    assert not [pid for pid in remote if _alive(pid)], f"remote duty-room still running: {remote}; {sshd.log_text()}"
