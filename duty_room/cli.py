"""The `duty-room` command: the dashboard, the demo township and store checks."""

from __future__ import annotations

import contextlib
import gc
import importlib
import json
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from duty_room import words
from store import storage
from store.storage import Store, StoreError, StoreMissingError, account_exists, permission_problems
from store.text import MAX_HISTORY_YEARS, display_safe, typed_id

from . import config, stop_signals, usage
from .config import ConfigError, Settings, default_demo_dir, default_store_dir, load_settings
from .exits import ExitCode, error_line, exit_code_for, exit_code_for_signal

if TYPE_CHECKING:
    from store.dutylog import ReportSlot

# Imported only when asked for: the dashboard, the command run most, does not pay for them.
LAZY_COMMANDS = {
    "petition": "duty_room.petition_cli:petition",
    "template": "duty_room.data_cli:template",
    "import": "duty_room.data_cli:import_command",
    "export": "duty_room.data_cli:export",
    "list": "duty_room.data_cli:list_command",
    "duty": "duty_room.duty_cli:duty",
    "incident": "duty_room.duty_cli:incident",
    "handover": "duty_room.duty_cli:handover",
}


class _Commands(usage.CommandGroup):
    """Every command's failures end here: one line, no traceback, the exit code of its kind (exits.py)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in LAZY_COMMANDS:
            module, name = LAZY_COMMANDS[cmd_name].split(":")
            command: click.Command = getattr(importlib.import_module(module), name)
            return command
        return super().get_command(ctx, cmd_name)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta[usage.ARGS] = list(args)  # the whole command line: a refused value is named as typed
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            self._refuse_usage(ctx, exc)

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            self._refuse_usage(ctx, exc)
        except BrokenPipeError:
            # The reader stopped reading (`petition list | head`): nothing to report.
            sys.stdout = None  # no flush of the dead pipe at exit
            ctx.exit(ExitCode.OK)
        except click.ClickException as exc:  # refused input: one line like every other failure, not click's "Error:"
            click.echo(f"duty-room: {exc.format_message()}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt as exc:  # Ctrl+C, or SIGTERM / SIGHUP (stop_signals.Stopped)
            # Click said "Aborted!" (English) with exit 1, which monitoring reads as cases needing attention.
            interrupted(usage.interface_lang(ctx), signal_of(exc))
        except (StoreError, OSError, OverflowError, ValueError) as exc:  # Refused, ValidationError are ValueErrors
            settings = (ctx.obj or {}).get("settings")
            lang: words.Lang = settings.lang if settings is not None else "zh"
            click.echo(f"duty-room: {error_line(exc, lang)}", err=True)
            ctx.exit(exit_code_for(exc))

    @staticmethod
    def _refuse_usage(ctx: click.Context, exc: click.UsageError) -> NoReturn:
        """Click's usage error in one line of words, not click's four lines of English (usage.py)."""
        if isinstance(exc, click.exceptions.NoArgsIsHelpError):  # a group alone: its help, as click shows it
            exc.exit_code = ExitCode.REFUSED  # type: ignore[misc]  # click types it ClassVar, yet reads the instance's (main)
            raise exc
        lang = usage.interface_lang(exc.ctx or ctx)
        click.echo(f"duty-room: {usage.usage_line(exc, lang)}", err=True)
        ctx.exit(ExitCode.REFUSED)


def settings_of(ctx: click.Context) -> Settings:
    """The settings every command of this run shares (system config, environment, options)."""
    return ctx.find_root().obj["settings"]


def id_typed(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """A record id argument or option as typed: full-width, or pasted with spaces, it is the same id.
    An empty one is refused as empty (``usage.filled``)."""
    return None if value is None else typed_id(usage.filled(_ctx, _param, value))


def phrase(key: str, **params: object) -> str:
    """A line of the running command's in its --lang, ``params`` filled in."""
    text = words.t(key, settings_of(click.get_current_context()).lang)
    return text.format(**params) if params else text


def echo_json(data: Any, *, indent: int | None = None) -> None:
    """What a command's --json prints: one JSON document, its text as it is (中文, not \\u escapes)."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=indent))


def slot_json(slot: ReportSlot) -> dict[str, Any]:
    """A report owed (or made) in --json: its stage and its due time (None: none yet)."""
    return {"stage": slot.stage.value, "due": slot.due.isoformat() if slot.due else None}


def _store(ctx: click.Context) -> Store:
    return settings_of(ctx).open_store()


def store_of(ctx: click.Context) -> Store:
    """The store as this account may use it, for a command that needs one: missing, exit 2."""
    store = settings_of(ctx).open_store()
    if not store.exists():
        raise no_store(store)
    # Another process writing: after a second's wait, one line says why nothing happens yet.
    waiting = phrase("cli.lock_wait", seconds=f"{storage.LOCK_TIMEOUT_SECONDS:g}")
    store.on_long_lock_wait = lambda: click.echo(waiting, err=True)
    return store


def no_store(store: Store) -> StoreMissingError:
    """A store with no manifest: no folder there, one with nothing in it yet (the deployment's own
    `install -d`, before the township's data is imported: it exists, so not "no store at"), or one
    holding other files (`--store ~/文档`: not a store)."""
    try:
        others = [entry for entry in store.root.iterdir() if entry.name != ".lock"] if store.root.is_dir() else None
    except OSError:
        others = None
    return StoreMissingError(store.root, "missing" if others is None else "foreign" if others else "empty")


def refuse_foreign(store: Store) -> None:
    """A store is made (`demo`, a first `import`) in a missing or empty folder, never among other
    files: `demo --store ~/文档` strewed the store's files among the officer's own."""
    if not store.exists() and (missing := no_store(store)).why == "foreign":
        raise missing


@click.group(cls=_Commands, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--store",
    type=usage.Place(),  # a file there is said by open_store: 不是文件夹, exit 2
    default=None,
    help="Store folder (default: the system config's, else the per-user data folder).",
)
@click.option("--lang", type=usage.Choice(["zh", "en"]), default=None, help="Interface language (default zh).")
@click.option(
    "--read-only",
    is_flag=True,
    default=None,
    help="A viewer: look at everything, change nothing (env DUTY_ROOM_READ_ONLY=1; only takes rights away).",
)
@click.option(
    "--lite",
    is_flag=True,
    default=None,
    help=(
        "For slow links: no animation, 10 fps, the terminal's 16 colours, one panel at a time, "
        "no blinking cursor (env DUTY_ROOM_LITE=1)."
    ),
)
@click.option("--ascii", is_flag=True, default=None, help="ASCII borders and bars (auto when not UTF-8).")
@click.option(
    "--refresh",
    "refresh_seconds",
    type=usage.Number(),
    default=None,
    help="Seconds between checks for changes (0.2-600).",
)
@click.pass_context
def cli(ctx: click.Context, **options: object) -> None:
    """Township duty-room dashboard. Without a command, opens the dashboard."""
    # The options given, by their settings' names (a flag not given is None, or False in older click).
    overrides = {name: value for name, value in options.items() if value is not None and value is not False}
    try:
        settings = load_settings(
            overrides, option_names={param.name: param.opts[0] for param in ctx.command.params if param.name}
        )
    except ConfigError as exc:  # a bad or refused setting: one clear line, exit 1
        click.echo(f"duty-room: {exc}", err=True)
        sys.exit(1)
    unknown = config.unknown_environment_note(settings.lang)
    if unknown:  # not read: said, so nobody believes it took effect (the command runs on; the dashboard says it too)
        click.echo(f"duty-room: {unknown}", err=True)
    if settings.service_account and not settings.as_service and ctx.invoked_subcommand != "whoami":
        # An account the machine does not know is the system file's slip: `sudo -u` it would fail too.
        known = account_exists(settings.service_account)
        said = words.t("config.use_sudo" if known else "config.no_service_account", settings.lang)
        click.echo(
            "duty-room: " + said.format(account=settings.service_account, system=config.SYSTEM_FILE.path), err=True
        )
        sys.exit(1)
    if settings.as_service:
        # The service account's files are its own from the first byte (sudo keeps the officer's
        # umask); exports.publish then opens each to whom it is for.
        os.umask(0o077)
    ctx.obj = {"settings": settings}
    if ctx.invoked_subcommand not in (None, "summary"):
        gc.enable()  # (see main) every other command collects as usual
    if ctx.invoked_subcommand is None:
        sys.exit(_open_dashboard(settings))


def _open_dashboard(settings: Settings) -> int:
    store = settings.open_store()
    if not store.exists():
        if settings.as_service:  # the township's store: `demo` is refused there; import or restore
            click.echo(f"duty-room: {no_store(store).message(settings.lang)}", err=True)
        else:
            click.echo(words.t("store.empty", settings.lang).format(settings.store), err=True)
        return ExitCode.DAMAGED  # no store: unreachable, like every command (duty_room/exits.py)
    # No full `check` (years of archive): every file the dashboard reads is validated as it is read.
    if settings.lite:
        # Read by Textual when it is imported, so set before the import below.
        os.environ.setdefault("TEXTUAL_FPS", "10")
        os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
    from .app import DutyRoomApp  # Textual is imported only when the dashboard opens

    if settings.keymap:  # checked here, not with the other settings: it needs Textual's bindings
        from .keymap import clashes, unknown

        if typos := unknown(settings.keymap):
            name, meant = typos[0]
            said = words.t("config.keymap_unknown", settings.lang).format(name)
            if meant:
                said += words.t("config.keymap_meant", settings.lang).format(meant)
            click.echo(f"duty-room: {said}", err=True)
            return ExitCode.REFUSED
        if found := clashes(settings.keymap):
            more = words.t("config.keymap_more", settings.lang).format(len(found) - 1) if len(found) > 1 else ""
            click.echo(f"duty-room: {found[0].message(settings.lang)}{more}", err=True)
            return ExitCode.REFUSED  # a bad setting, as load_settings refuses every other one
    if not sys.stdin.isatty():  # `ssh host duty-room` without -t: no keys can come (and EOF reads as ready)
        click.echo(f"duty-room: {words.t('cli.no_terminal', settings.lang)}", err=True)
        return ExitCode.REFUSED  # a usage slip (README: Exit codes)
    app = DutyRoomApp(store, settings)
    app.run()
    if app.status.fatal_error:  # printed plainly once Textual has given the terminal back
        print(app.status.fatal_error, file=sys.stderr)
    if app.stopped_by is not None:  # SIGTERM or SIGHUP: said like Ctrl+C in a command
        interrupted(settings.lang, app.stopped_by)
    return app.return_code or 0


@cli.command()
@click.option(
    "--scale",
    type=usage.Choice(["demo", "township"]),
    default="demo",
    help="demo: the 孟轲乡 demo; township: a large store for benchmarks.",
)
@click.option(
    "--history-years",
    type=usage.Whole(min=1, max=MAX_HISTORY_YEARS),
    default=None,
    help="township: years of case history (default 3; 30 is the 10x history store).",
)
@click.option(
    "--cases",
    type=usage.Whole(min=1),
    default=None,
    help="township: cases over that history (default 20,000 per 3 years).",
)
@click.option("--replace", is_flag=True, help="Replace the contents of a store given with --store.")
@click.option("--run", "run_after", is_flag=True, help="Open the dashboard afterwards.")
@click.option(
    "--yes-delete-real-data",
    "delete_real_data",
    is_flag=True,
    help="With --replace: also replace a store with audit logs or more cases than the demo.",
)
@click.pass_context
def demo(
    ctx: click.Context,
    scale: str,
    history_years: int | None,
    cases: int | None,
    replace: bool,
    run_after: bool,
    delete_real_data: bool,
) -> None:
    """Build the demo township 孟轲乡, dated from today.

    Without --store it goes to its own per-user demo folder, rebuilt every time, so a demo
    never touches the real store. Into a store you name, it refuses to overwrite data unless
    --replace is given.
    """
    from store.demo import build_demo

    if scale != "township" and (history_years is not None or cases is not None):
        raise click.ClickException(phrase("demo.township_only"))
    settings = settings_of(ctx)
    if settings.as_service:  # the service account's store is the township's real data
        raise click.ClickException(words.t("demo.not_as_service", settings.lang).format(settings.service_account))
    if settings.store == default_store_dir():
        settings = settings.model_copy(update={"store": default_demo_dir()})
        replace = True
    elif replace and not delete_real_data:
        _refuse_real_data(Store(settings.store), settings.lang)
    store = settings.open_store()
    refuse_foreign(store)
    started = time.perf_counter()
    summary = build_demo(
        store,
        scale=scale,  # type: ignore[arg-type]
        replace=replace,
        history_years=history_years,
        cases=cases,
    )
    said = words.t(f"demo.built.{scale}", settings.lang).format(
        path=store.root,
        seconds=f"{time.perf_counter() - started:.1f}",
        communities=summary.communities,
        grids=summary.grids,
        workers=summary.workers,
        households=summary.households,
        open=summary.petitions_open,
        ended=summary.petitions_closed + summary.petitions_archived,
        services=summary.schedules,
        stalls=summary.stalls,
    )
    click.echo(said, err=True)
    if run_after:
        sys.exit(_open_dashboard(settings))


def _refuse_real_data(store: Store, lang: words.Lang) -> None:
    """`demo --replace` deletes everything: refused on a store that looks like real work."""
    import tempfile

    from store.demo import build_demo
    from store.storage import real_data_signs

    if not store.exists():
        return
    with tempfile.TemporaryDirectory(prefix="duty-room-demo-size-") as scratch:
        demo_cases = build_demo(Store(scratch, actor="demo")).petitions
    signs = real_data_signs(store, demo_cases)
    if signs:
        click.echo(
            "duty-room: "
            + words.t("demo.real_data", lang).format(path=store.root, signs=words.t("punct.semi", lang).join(signs)),
            err=True,
        )
        sys.exit(ExitCode.REFUSED)


CHECK_SHOWN = 20  # findings printed before "… and N more"


@cli.command()
@click.option(
    "--repair",
    is_flag=True,
    help="Do the safe repairs: finish or undo an interrupted transaction, remove leftover temp "
    "files, drop an archived case's duplicate from its day file, keep a household found in two "
    "grids' files (or another grid's) once, in its own grid's, write a payments file's fee figures "
    "where it has none. Says what it did.",
)
@click.option(
    "--accept-missing",
    "accept",
    multiple=True,
    metavar="FILE",
    callback=usage.filled,
    help="With --repair: accept the loss of FILE, listed in manifest.json but deleted, when there is "
    "no backup to restore it from: written anew, empty (a day's or a grid's file: no longer listed), "
    "and recorded in the audit log with your account. Repeat for several files.",
)
@click.pass_context
def check(ctx: click.Context, repair: bool, accept: tuple[str, ...]) -> None:
    """Check every file of the store, one at a time; exit 2 if anything is damaged.

    Reads without the lock and changes nothing (unless --repair).
    """
    from store.storage import accept_missing, check_store, repair_store

    settings = settings_of(ctx)
    lang = settings.lang
    store = _store(ctx)
    if accept and not repair:
        raise click.ClickException(words.t("check.accept_needs_repair", lang))
    if accept:  # first: the other repairs may need the file
        if not store.exists():
            raise no_store(store)
        for line in accept_missing(store, accept):
            click.echo(words.t("check.repaired", lang).format(line.say(lang)))
    if repair and store.root.is_dir():
        for line in repair_store(store):
            click.echo(words.t("check.repaired", lang).format(line.say(lang)))
    report = check_store(store.root)
    findings = report.findings or []
    if report.errors and report.errors[0].kind.startswith("not_store"):
        findings = report.errors[:1]
    marks = {error: words.t("check.error" if error else "check.warning", lang) for error in (True, False)}
    _first_shown([f"{marks[finding.error]} {finding.message(lang)}" for finding in findings], lang)
    # What another officer could not write (a store copied under umask 022: every file, said as twenty).
    problems = permission_problems(store.root, lang) if store.root.is_dir() else []
    _first_shown([f"duty-room: {problem}" for problem in problems], lang)
    if not report.ok or problems:
        click.echo(phrase("check.bad", errors=len(report.errors) + len(problems), path=store.root), err=True)
        sys.exit(ExitCode.DAMAGED)
    # "ok: " in either language: monitoring scripts look for it.
    click.echo(phrase("check.ok", files=report.files, records=report.records, generation=report.generation))
    from .data_cli import warn_calendar

    warn_calendar(settings)


def _first_shown(lines: list[str], lang: words.Lang) -> None:
    """The first CHECK_SHOWN lines on stderr, then how many more there are."""
    for line in lines[:CHECK_SHOWN]:
        click.echo(line, err=True)
    if len(lines) > CHECK_SHOWN:
        click.echo(words.t("check.more", lang).format(len(lines) - CHECK_SHOWN), err=True)


@cli.command()
@click.argument("dest", type=usage.Place())
@click.pass_context
def backup(ctx: click.Context, dest: Path) -> None:
    """Copy the store into DEST (a missing or empty folder) while others keep working.

    The copy is taken under the store's lock (one consistent generation), written, re-read,
    compared by sha256 and checked. For a daily copy from cron, see the README.
    """
    from .backups import take

    settings = settings_of(ctx)
    copied, removed = take(settings, _store(ctx), dest)  # as the service account: its folder, its rules
    size = f"{copied.bytes / 1e6:.1f}"
    click.echo(phrase("backup.done", files=copied.files, size=size, generation=copied.generation, path=copied.target))
    if removed:
        click.echo(phrase("backup.pruned", keep=settings.backup_keep, names=phrase("punct.comma").join(removed)))


@cli.command()
@click.argument("src", type=usage.Place(readable=False))  # said by backup_source / restore_store
@click.pass_context
def restore(ctx: click.Context, src: Path) -> None:
    """Restore the backup SRC into the store folder (--store), which must be missing or empty.

    SRC is checked first; the copy is re-read, compared by sha256 and checked.
    """
    from store.storage import restore_store

    from .exports import backup_source

    _store(ctx).refuse_if_read_only()  # a viewer makes no store either
    src = backup_source(settings_of(ctx), src)  # the service account's: only from its backup folder
    copied = restore_store(src, settings_of(ctx).store)
    click.echo(phrase("restore.done", files=copied.files, generation=copied.generation, path=copied.target))


SUMMARY_LIST = 8  # ids listed per line before "+N": keeps the digest under 1 KB on the worst link


def _ids(ids: list[str]) -> str:
    shown = " ".join(ids[:SUMMARY_LIST])
    return shown + (f" +{len(ids) - SUMMARY_LIST}" if len(ids) > SUMMARY_LIST else "")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="The same digest as JSON.")
@click.pass_context
def summary(ctx: click.Context, as_json: bool) -> None:
    """A one-shot digest for `ssh host duty-room summary` on a poor link.

    Exit status: 0 nothing overdue or late, 1 something overdue or late, 2 the store is missing
    or damaged (as monitoring plugins expect).
    """
    from duty_room.lateness import session_lateness
    from store import clock
    from store.dutylog import late_reports as late_incident_reports
    from store.market import money
    from store.queries import digest
    from store.schedule import SessionPhase

    settings = settings_of(ctx)
    store = settings.open_store(read_once=True)  # one read of each file, then exit
    if not store.exists():
        raise no_store(store)  # exit 2, never 1: monitoring reads 1 as overdue cases
    now = clock.now()
    store.refuse_missing_listed()  # exit 2, never 0 or 1 on counts short of a deleted file's cases
    data = digest(store, now, calendar=settings.deadlines, fee_rules=settings.fees, for_summary=True)
    late_reports = late_incident_reports(store, now, settings.duty)  # 突发事件信息报送 past due
    store.refuse_missing_listed()  # again: one deleted while they were read
    if as_json:
        echo_json(
            {
                "township": data.township,
                "at": now.isoformat(timespec="minutes"),
                "open": len(data.cases),
                "overdue": data.overdue,
                "due_today": data.due_today,
                "late_sessions": [  # late today; "still": nobody checked in yet (the alarm)
                    {
                        "id": v.session.id,
                        "start": f"{v.session.start:%H:%M}",
                        "title": v.session.title,
                        "late_minutes": int(v.late_by.total_seconds() // 60) if v.late_by else 0,
                        "still": v.phase is SessionPhase.LATE,
                    }
                    for v in data.late_today
                ],
                "unvisited_living_alone": data.living_alone_unvisited,
                "stall_arrears": [{"stall": v.stall.id, "fen": v.arrears_fen} for v in data.arrears],
                "late_reports": [{"incident": i.id, "title": i.title, **slot_json(slot)} for i, slot in late_reports],
                "fees_fen": {
                    "month": data.fees.month_fen,
                    "year": data.fees.year_fen,
                    "to_date": data.fees.to_date_fen,
                },
                "next_session": None
                if data.upcoming.any is None
                else {
                    "id": data.upcoming.any.id,
                    "day": data.upcoming.any.day.isoformat(),
                    "start": f"{data.upcoming.any.start:%H:%M}",
                    "title": data.upcoming.any.title,
                },
            },
        )
    else:
        lang = settings.lang
        t = lambda key: words.t(key, lang)  # noqa: E731
        lines = [
            f"{data.township} {now:%Y-%m-%d %H:%M}  {t('header.open')} {len(data.cases)}  {t('header.overdue')} {len(data.overdue)}"
            f"  {t('header.due_today')} {len(data.due_today)}",
        ]
        if data.overdue:
            lines.append(f"{t('header.overdue')}: {_ids(data.overdue)}")
        if data.due_today:
            lines.append(f"{t('header.due_today')}: {_ids(data.due_today)}")
        if late_reports:
            lines.append(
                f"{t('duty.report_late')}: "
                + "; ".join(
                    f"{i.id} {words.label(slot.stage, lang)} {slot.due:%H:%M}"
                    for i, slot in late_reports[:4]
                    if slot.due
                )
            )
        if data.late_today:
            lines.append(
                f"{t('summary.late_today')}: "
                + "; ".join(
                    f"{v.session.start:%H:%M} {v.session.title[:12]} {session_lateness(v, lang)}"
                    for v in data.late_today[:4]
                )
            )
        if red := data.living_alone_unvisited:
            lines.append(f"{t('summary.red')}: " + " ".join(f"{name}{count}" for name, count in red.items()))
        if data.arrears:
            lines.append(
                f"{t('header.arrears')}: "
                + " ".join(
                    f"{v.stall.market[:1]}{v.stall.number:02d} {money(v.arrears_fen)}"
                    for v in data.arrears[:SUMMARY_LIST]
                )
            )
        if data.upcoming.any is not None:
            nxt = data.upcoming.any
            day = "" if nxt.day == now.date() else f"{nxt.day:%m-%d} "
            lines.append(t("services.next").format(when=f"{day}{nxt.start:%H:%M}", title=nxt.title[:16]))
        lines.append(
            t("fees.line").format(
                month=money(data.fees.month_fen),
                year=money(data.fees.year_fen),
                total=money(data.fees.to_date_fen),
            )
        )
        click.echo("\n".join(display_safe(line) for line in lines))  # free text from the store, escaped
    global _LAST_COLLECTION_NOT_NEEDED
    _LAST_COLLECTION_NOT_NEEDED = True  # (read only, nothing open)
    sys.exit(ExitCode.ALARM if data.overdue or data.late_now or late_reports else ExitCode.OK)


@cli.command()
@click.pass_context
def whoami(ctx: click.Context) -> None:
    """Who this session acts as, whether it may reveal personal data and why, read-only or not,
    the store and the config sources: what an officer or an admin checks first."""
    settings = settings_of(ctx)
    t = lambda key: words.t(key, settings.lang)  # noqa: E731
    how = {
        "os-account": t("whoami.by_os_account"),
        "os-uid": t("whoami.by_uid"),
        "sudo": t("whoami.by_sudo"),
        "service-account-without-sudo": t("whoami.service_itself"),
    }[settings.actor_rule]
    how = how.format(account=settings.service_account, uid=os.getuid())
    rule = settings.reveal_rule()
    if rule is not None and settings.read_only:
        reveal = f"{t('whoami.refused')} ({t('whoami.viewer_cannot')})"
    elif rule is not None:
        reveal = f"{t('whoami.allowed')} ({rule})"
    else:
        groups = ", ".join(settings.reveal_groups) or "-"
        reveal = f"{t('whoami.refused')} ({t('whoami.not_listed').format(groups=groups)})"
    read_only = (
        f"{t('whoami.yes')} ({_in_words(settings.read_only_rule or '', t)})" if settings.read_only else t("whoami.no")
    )
    sources = t("punct.semi").join(_in_words(source, t) for source in settings.sources)
    click.echo(f"{t('whoami.actor')}: {settings.actor} ({how})")
    click.echo(f"{t('whoami.reveal')}: {reveal}")
    click.echo(f"{t('readonly.badge')}: {read_only}")
    click.echo(f"{t('whoami.store')}: {settings.store}")
    if settings.export_folder is not None:
        click.echo(f"{t('whoami.exports')}: {settings.export_folder}")
    if settings.import_folder is not None:
        click.echo(f"{t('whoami.imports')}: {settings.import_folder / settings.actor}")  # the officer's own
    if settings.backup_folder is not None:
        click.echo(f"{t('whoami.backups')}: {settings.backup_folder}")
    click.echo(f"{t('whoami.sources')}: {sources or t('whoami.defaults')}")


# The settings name their sources in English (scripts and tests read them); whoami says them in words.
_SOURCE_WORDS = {
    "system ": "whoami.from_system",
    "user ": "whoami.from_user",
    "environment ": "whoami.from_environment",
    "command line ": "whoami.from_command_line",
    "read_only = true in ": "whoami.read_only_system",
    "asked for ": "whoami.read_only_asked",
}


def _in_words(text: str, t: Callable[[str], str]) -> str:
    for start, key in _SOURCE_WORDS.items():
        if text.startswith(start):
            rest = text.removeprefix(start)
            return t(key).format(rest) if key != "whoami.read_only_asked" else t(key)
    return text


def interrupted(lang: words.Lang, signum: int = signal.SIGINT) -> NoReturn:
    """Ctrl+C (exit 130), SIGTERM (143) or SIGHUP (129): one line. A store write is whole or not made
    at all (storage.py), so the line says so, not which: the signal may come just before or just
    after its commit. After SIGHUP the terminal may be gone: the line is said where it still can be."""
    with contextlib.suppress(OSError):
        click.echo(f"duty-room: {words.t(STOPPED_WORDS.get(signum, 'cli.interrupted'), lang)}", err=True)
    sys.exit(exit_code_for_signal(signum))


STOPPED_WORDS = {int(signal.SIGTERM): "cli.terminated", int(signal.SIGHUP): "cli.hung_up"}


def signal_of(exc: KeyboardInterrupt) -> int:
    """The signal that stopped the command: SIGTERM or SIGHUP (stop_signals.Stopped), else Ctrl+C."""
    return exc.signum if isinstance(exc, stop_signals.Stopped) else signal.SIGINT


def main() -> None:
    # Start-up makes long-lived objects and next to no garbage: the cyclic collector's passes over
    # them cost the first read a third of its time. Off until the command is known (`summary` never
    # turns it on, the dashboard after its first read, every other command at once).
    gc.disable()
    stop_signals.install()  # (python -m duty_room did already; tests/frozen_cli.py comes in here)
    try:
        cli(prog_name="duty-room")
    except KeyboardInterrupt as exc:  # outside a command (reading the settings, printing its last line)
        interrupted(usage.interface_lang(None, sys.argv[1:]), signal_of(exc))
    finally:
        if _LAST_COLLECTION_NOT_NEEDED:
            # Skip the interpreter's last collection over everything still alive, memory the
            # process gives back whole; what summary made holds no file or lock.
            gc.freeze()


# Set by a command whose process ends with nothing a last collection would need to finalize (see main).
_LAST_COLLECTION_NOT_NEEDED = False
