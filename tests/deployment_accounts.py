"""Real OS accounts for tests/test_deployment.py (root only; everything made here is removed).

* `service_deployment()`: the README's recommended set-up — a service account that owns the store
  (0700, files 0600), the export folder (2750, group the officers'), the import folder (0750, group
  the officers', and in it each officer's own, 2750, group the service account's) and the backup
  folder (0700), all made by the README's own set-up lines
  (`readme_folders`), officers A and B (in that group) with a sudoers rule for the command, a
  viewer V with a rule pinned to `--read-only`, and the system config. The sudoers rules and the system config are
  mounted over /etc/sudoers.d and /etc/duty-room in a private mount namespace per command, so the
  real `sudo` and the real `/etc/duty-room/config.toml` path are used without touching the
  machine's own files (and without disturbing tests running beside this one).
* `shared_group()`: two accounts in one group writing one group-owned store.
"""

from __future__ import annotations

import contextlib
import grp
import os
import pwd
import re
import secrets
import shlex
import shutil
import stat
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest

from store import clock
from store.storage import Store
from tests.conftest import build_small_store

README = Path(__file__).resolve().parent.parent / "README.md"
SUDO = "/usr/bin/sudo"
PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
WRITE_NEW_PARTITIONS = """
from datetime import date, datetime
from store import clock
from store.models import AuditEntry, Visit
from store.storage import Store
root, day = sys.argv[1], date.fromisoformat(sys.argv[2])
store = Store(root)
moment = datetime(day.year, day.month, day.day, 10, tzinfo=clock.TZ)
with store.transaction() as tx:
    tx.put(Visit(id=f"v-{day}", day=day, at=moment, grid_id="g1", household_id="h1", worker_id="w1", note="ok"))
    tx.put(AuditEntry(id=f"a-{day}", at=moment, actor=store.actor, action="reveal", subject="petitions:x",
                      allowed=False))
"""


def _run(argv: list[str], **options: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,  # type: ignore[call-overload]
        **options,
    )


def _require_root(*tools: str) -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("needs Linux")
    if os.geteuid() != 0:
        pytest.skip("needs root: creates OS accounts with useradd (CI runs as root)")
    for tool in ("useradd", "userdel", "groupadd", "groupdel", "runuser", *tools):
        if shutil.which(tool, path=PATH) is None:
            pytest.skip(f"{tool} missing")


def as_user(user: str, argv: list[str], *, umask: int | None = None) -> subprocess.CompletedProcess[str]:
    command = shlex.join(argv) if umask is None else f"umask {umask:03o}; exec {shlex.join(argv)}"
    return _run(["runuser", "-u", user, "--", "sh", "-c", command], env={"PATH": PATH, "LANG": "C.UTF-8"}, cwd="/")


def _closed(path: Path) -> str | None:
    for parent in [path, *path.parents]:
        if not parent.stat().st_mode & stat.S_IXOTH:
            return str(parent)
    return None


def _python_for_others(public: Path) -> tuple[str, list[str]]:
    """An interpreter and site folders another account can use to run this checkout's duty-room."""
    interpreter = Path(sys.executable).resolve()
    if _closed(interpreter.parent) is not None:
        system = Path(f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}")
        if not system.exists() or _closed(system.parent):
            pytest.skip(f"{interpreter} is closed to other accounts and there is no {system}")
        interpreter = system
    sites = list(dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]]))
    if any(_closed(Path(site)) for site in sites):  # CI's checkout may be below a closed folder: copy
        copies = []
        for index, site in enumerate(sites):
            target = public / f"site{index}"
            shutil.copytree(site, target, ignore=shutil.ignore_patterns("__pycache__"), symlinks=True)
            copies.append(str(target))
        sites = copies
    return str(interpreter), sites


def _prelude(sites: list[str]) -> str:
    return f"import site, sys\nfor d in {sites!r}: site.addsitedir(d)\n"


@contextlib.contextmanager
def _accounts(
    names: list[str],
    *,
    home: set[str] = frozenset(),
    groups: dict[str, list[str]] | None = None,
) -> Iterator[None]:
    made_groups, made_users = [], []
    try:
        for group in groups or {}:
            result = _run(["groupadd", group])
            if result.returncode != 0:
                pytest.skip(f"groupadd {group}: {result.stderr.strip()}")
            made_groups.append(group)
        for name in names:
            extra = [group for group, members in (groups or {}).items() if name in members]
            argv = [
                "useradd",
                *(["-m"] if name in home else ["-M"]),
                "-s",
                "/bin/sh",
                "-p",
                "*",
                *(["-G", ",".join(extra)] if extra else []),
                name,
            ]
            result = _run(argv)
            if result.returncode != 0:
                pytest.skip(f"useradd {name}: {result.stderr.strip()}")
            made_users.append(name)
        yield
    finally:
        for name in made_users:
            uid = pwd.getpwnam(name).pw_uid
            _run(["pkill", "-KILL", "-U", str(uid)])  # only this test's accounts' processes
            _run(["userdel", "-r" if name in home else "-f", name])
        for group in made_groups:
            _run(["groupdel", group])


def _names(*roles: str) -> dict[str, str]:
    tag = secrets.token_hex(3)
    return {role: f"dr{tag}{role}" for role in roles}


@dataclass
class Deployment:
    public: Path
    root: Path
    etc: Path
    sudoers: Path
    launcher: Path
    service: str
    a: str
    b: str
    viewer: str
    service_uid: int = 0
    created_mount_point: bool = False
    exports: Path = Path()  # the export folder: the service account's, group the officers', 2750
    imports: Path = Path()  # the import folder: the service account's, group the officers', 0750; in it
    # imports/OFFICER for each officer: theirs, group the service account's, 2750
    backups: Path = Path()  # the backup folder: the service account's alone, 0700
    srv: Path = Path()  # what /srv/duty-room is in the README

    def uid(self, name: str) -> int:
        return pwd.getpwnam(name).pw_uid

    def store(self) -> Store:
        """The store as root reads it (never writes: root's files would be root's)."""
        return Store(self.root, actor="root-reader", read_only=True)

    def write_system_config(
        self, *, reveal_users: list[str] = (), read_only_users: list[str] = (), more: str = ""
    ) -> None:
        """The system file (``more``: further lines, as `backup_keep = 2`)."""
        text = (
            f'store = "{self.root}"\nservice_account = "{self.service}"\n'
            f"reveal_users = {list(reveal_users)!r}\nread_only_users = {[self.viewer, *read_only_users]!r}\n"
            f'reveal_groups = []\nexport_dir = "{self.exports}"\nimport_dir = "{self.imports}"\n'
            f'backup_dir = "{self.backups}"\n'
        ).replace("'", '"') + more
        temp = self.etc / ".config.toml.new"
        temp.write_text(text, encoding="utf-8")
        temp.chmod(0o644)
        temp.replace(self.etc / "config.toml")

    def user_config(self, user: str, text: str) -> None:
        account = pwd.getpwnam(user)
        path = Path(account.pw_dir) / ".config" / "duty-room" / "config.toml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        for item in (path.parent.parent, path.parent, path):
            os.chown(item, account.pw_uid, account.pw_gid)

    def _in_namespace(self, inner: list[str]) -> subprocess.CompletedProcess[str]:
        script = (
            f"mount --bind {shlex.quote(str(self.etc))} /etc/duty-room && "
            f"mount --bind {shlex.quote(str(self.sudoers))} /etc/sudoers.d && exec {shlex.join(inner)}"
        )
        return _run(
            ["unshare", "--mount", "--propagation", "private", "sh", "-c", script],
            env={"PATH": PATH, "LANG": "C.UTF-8"},
            cwd=str(self.public),
        )

    def run(
        self,
        user: str,
        *args: str,
        env: dict[str, str] | None = None,
        read_only: bool = True,
        preserve: list[str] = (),
        umask: int | None = None,
    ) -> subprocess.CompletedProcess[str]:
        """``user`` runs `sudo -u SERVICE duty-room ARGS` (a viewer: `... duty-room --read-only ARGS`),
        under ``umask`` if given (sudo keeps the officer's, or-ed with its own 022)."""
        flag = ["--read-only"] if user == self.viewer and read_only else []
        sudo = [SUDO, "-n", *([f"--preserve-env={','.join(preserve)}"] if preserve else []), "-u", self.service]
        settings = [f"{key}={value}" for key, value in (env or {}).items()]
        masked = [] if umask is None else ["sh", "-c", f'umask {umask:03o}; exec "$@"', "sh"]
        return self._in_namespace(
            ["runuser", "-u", user, "--", *masked, "env", *settings, *sudo, str(self.launcher), *flag, *args]
        )

    def run_cron(self, line: str) -> subprocess.CompletedProcess[str]:
        """The README's cron line (schedule, user, command), its command run by /bin/sh as the
        service account with cron's environment, the README's paths replaced by this deployment's."""
        fields = line.split(None, 6)
        assert fields[5] == "duty-room", line  # runs as the service account
        command = self.from_readme(fields[6]).replace("\\%", "%")  # crontab: \% is a literal %
        account = pwd.getpwnam(self.service)
        cron_env = [
            "env",
            "-i",
            f"HOME={account.pw_dir}",
            f"LOGNAME={self.service}",
            "SHELL=/bin/sh",
            "PATH=/usr/bin:/bin",
        ]
        return self._in_namespace(["runuser", "-u", self.service, "--", *cron_env, "/bin/sh", "-c", command])

    def run_service(self, *args: str) -> subprocess.CompletedProcess[str]:
        """The service account runs the command itself (as cron does: no sudo), with the system file."""
        return self._in_namespace(["runuser", "-u", self.service, "--", str(self.launcher), *args])

    def from_readme(self, text: str) -> str:
        """A README command with its paths and accounts this deployment's."""
        return readme_names(text, srv=self.srv, backups=self.backups, launcher=self.launcher)

    def run_direct(self, user: str, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        """``user`` runs the command as themselves, without sudo."""
        settings = [f"{key}={value}" for key, value in (env or {}).items()]
        return self._in_namespace(["runuser", "-u", user, "--", "env", *settings, str(self.launcher), *args])


def readme_block(after: str, language: str) -> list[str]:
    """The lines of the README's first ```language block after the line ``after`` (comments cut)."""
    text = README.read_text(encoding="utf-8")
    start = text.index(after)
    block = re.search(rf"```{language}\n(.*?)```", text[start:], re.S)
    assert block is not None, (after, language)
    return [line.split("  #")[0].strip() for line in block.group(1).splitlines() if line.strip()]


def readme_names(text: str, *, srv: Path, backups: Path, launcher: Path | None = None, officers: str = "") -> str:
    """The README's paths (and, given, the officers' group) replaced by a deployment's."""
    if launcher is not None:
        text = text.replace("/opt/duty-room/.venv/bin/duty-room", str(launcher))
    text = text.replace("/var/backups/duty-room", str(backups)).replace("/srv/duty-room", str(srv))
    if officers:
        text = re.sub(r"(-g) duty-officers\b", rf"\1 {officers}", text)
    return text


def readme_folders(srv: Path, backups: Path, service: str, officers: str) -> list[str]:
    """Run the README's set-up lines for the service account's folders as root — its `install -d`
    lines, and the `for` line that makes each officer's import folder (by /bin/sh) — with this
    deployment's paths and accounts; the commands, as run."""
    group = grp.getgrgid(pwd.getpwnam(service).pw_gid).gr_name
    ran = []
    for line in readme_block("### Recommended: one service account", "sh"):
        if not line.startswith(("install -d ", "for ")) or not re.search(r" \"?(/srv|/var/backups)/duty-room\b", line):
            continue  # (/etc/duty-room: the tests mount their own over it)
        command = readme_names(line, srv=srv, backups=backups, officers=officers)
        command = re.sub(r"-o duty-room\b", f"-o {service}", command)
        command = re.sub(r"-g duty-room\b", f"-g {group}", command)
        command = re.sub(r"getent group duty-officers\b", f"getent group {officers}", command)
        done = _run(["sh", "-c", command] if line.startswith("for ") else shlex.split(command))
        assert done.returncode == 0, (command, done.stderr)
        ran.append(command)
    return ran


@contextlib.contextmanager
def service_deployment() -> Iterator[Deployment]:
    _require_root("unshare", "mount", "visudo", "pkill")
    if not Path(SUDO).exists():
        pytest.skip(f"{SUDO} missing (Debian: apt-get install sudo; .ci/run does it as root)")
    probe = _run(["unshare", "--mount", "--propagation", "private", "true"])
    if probe.returncode != 0:
        pytest.skip(f"cannot make a private mount namespace: {probe.stderr.strip()}")
    names = _names("svc", "a", "b", "v", "off")
    public = Path(tempfile.mkdtemp(prefix="duty-room-deploy-", dir="/tmp"))
    public.chmod(0o711)
    mount_point = Path("/etc/duty-room")
    created_mount_point = not mount_point.exists()
    try:
        officers = {names["off"]: [names["a"], names["b"]]}  # the group that reads exports
        with _accounts(
            [names[r] for r in ("svc", "a", "b", "v")], home={names["a"], names["b"], names["v"]}, groups=officers
        ):
            interpreter, sites = _python_for_others(public)
            # What /opt/duty-room/.venv/bin/duty-room is in production: root's, 0755, the one command sudo allows.
            launcher = public / "bin" / "duty-room"
            launcher.parent.mkdir(mode=0o755)
            launcher.write_text(
                f"#!{interpreter} -IS\n{_prelude(sites)}sys.argv[0] = 'duty-room'\n"
                "from duty_room.__main__ import main\nmain()\n",
                encoding="utf-8",
            )
            launcher.chmod(0o755)
            service = pwd.getpwnam(names["svc"])
            # /srv/duty-room and /var/backups/duty-room of the README, made by its own lines
            srv, backups = public / "srv", public / "var-backups" / "duty-room"
            made = readme_folders(srv, backups, names["svc"], names["off"])
            # the service account's folder, store, exports, imports, each officer's import folder, backups
            assert len(made) == 6, made
            assert {p.name for p in (srv / "imports").iterdir()} == {names["a"], names["b"]}, made
            root = srv / "store"
            clock.unfreeze()
            build_small_store(root)  # as root, then handed to the service account (the admin's set-up)
            for path in [root, *root.rglob("*")]:
                os.chown(path, service.pw_uid, service.pw_gid)
            etc = public / "etc-duty-room"
            etc.mkdir(mode=0o755)
            sudoers = public / "sudoers.d"
            sudoers.mkdir(mode=0o755)
            rules = sudoers / "duty-room"
            rules.write_text(
                f"{names['a']},{names['b']} ALL=({names['svc']}) NOPASSWD: {launcher}\n"
                f"{names['v']} ALL=({names['svc']}) NOPASSWD: {launcher} --read-only, {launcher} --read-only *\n",
                encoding="utf-8",
            )
            rules.chmod(0o440)
            checked = _run(["visudo", "-c", "-f", str(rules)])
            assert checked.returncode == 0, checked.stdout + checked.stderr
            if created_mount_point:
                # Left in place afterwards (an empty folder, where the real config would go): removing it
                # while a parallel test worker has its namespace mounted there breaks that worker.
                mount_point.mkdir(mode=0o755, exist_ok=True)
            deployment = Deployment(
                public,
                root,
                etc,
                sudoers,
                launcher,
                names["svc"],
                names["a"],
                names["b"],
                names["v"],
                service_uid=service.pw_uid,
                created_mount_point=created_mount_point,
                exports=srv / "exports",
                imports=srv / "imports",
                backups=backups,
                srv=srv,
            )
            deployment.write_system_config()
            ready = deployment.run(names["a"], "--help")
            if ready.returncode != 0 or "duty-room" not in ready.stdout:
                pytest.skip(f"the service account cannot run this checkout's duty-room: {ready.stderr.strip()[-300:]}")
            yield deployment
    finally:
        shutil.rmtree(public, ignore_errors=True)


@dataclass
class SharedGroup:
    root: Path
    python: list[str]
    users: dict[str, str] = field(default_factory=dict)

    def uid(self, role: str) -> int:
        return pwd.getpwnam(self.users[role]).pw_uid

    def write(self, user: str, umask: int, day: date) -> subprocess.CompletedProcess[str]:
        """``user`` writes a new day file and a new audit month (and the lock, if missing) under ``umask``."""
        return as_user(user, [*self.python, str(self.root), day.isoformat()], umask=umask)


@contextlib.contextmanager
def shared_group() -> Iterator[SharedGroup]:
    _require_root("pkill")
    names = _names("grp", "x", "y")
    public = Path(tempfile.mkdtemp(prefix="duty-room-group-", dir="/tmp"))
    public.chmod(0o711)
    try:
        with _accounts([names["x"], names["y"]], groups={names["grp"]: [names["x"], names["y"]]}):
            interpreter, sites = _python_for_others(public)
            root = public / "store"
            root.mkdir()
            os.chown(root, 0, grp.getgrnam(names["grp"]).gr_gid)
            root.chmod(0o2770)  # the admin's set-up: `chgrp GROUP store; chmod 2770 store`
            python = [interpreter, "-I", "-S", "-c", _prelude(sites) + WRITE_NEW_PARTITIONS]
            yield SharedGroup(root, python, {"x": names["x"], "y": names["y"]})
    finally:
        shutil.rmtree(public, ignore_errors=True)
