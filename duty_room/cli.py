"""The `duty-room` command: the dashboard, the demo township and store checks."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from store import i18n
from store.storage import Store, StoreError

from .petition_cli import petition
from .config import Settings, default_demo_dir, default_store_dir


def _settings(ctx: click.Context) -> Settings:
    return ctx.obj["settings"]


def _store(ctx: click.Context) -> Store:
    return Store(_settings(ctx).store)


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--store", "store_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Store folder (default: per-user data folder; env DUTY_ROOM_STORE).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="Interface language (default zh).")
@click.pass_context
def cli(ctx: click.Context, store_dir: Path | None, lang: str | None) -> None:
    """Township duty-room dashboard. Without a command, opens the dashboard."""
    overrides: dict[str, object] = {}
    if store_dir is not None:
        overrides["store"] = store_dir
    if lang is not None:
        overrides["lang"] = lang
    try:
        settings = Settings(**overrides)
    except Exception as exc:  # pydantic ValidationError, TOML errors: one clear line
        raise click.ClickException(f"bad configuration: {exc}") from None
    ctx.obj = {"settings": settings}
    if ctx.invoked_subcommand is None:
        sys.exit(_open_dashboard(settings))


def _open_dashboard(settings: Settings) -> int:
    store = Store(settings.store)
    if not store.exists():
        click.echo(i18n.t("store.empty", settings.lang).format(settings.store), err=True)
        return 1
    # No full `check` here: it would read years of archive. Every file the dashboard reads is
    # validated as it is read, and a damaged one stops the app with exit status 2.
    from .app import run  # Textual is imported only when the dashboard opens

    return run(store, settings)


@cli.command()
@click.option("--scale", type=click.Choice(["demo", "township"]), default="demo",
              help="demo: the 孟轲乡 demo; township: a large store for benchmarks.")
@click.option("--replace", is_flag=True, help="Replace the contents of a store given with --store.")
@click.option("--run", "run_after", is_flag=True, help="Open the dashboard afterwards.")
@click.pass_context
def demo(ctx: click.Context, scale: str, replace: bool, run_after: bool) -> None:
    """Build the demo township 孟轲乡, dated from today.

    Without --store it goes to its own per-user demo folder, rebuilt every time, so a demo
    never touches the real store. Into a store you name, it refuses to overwrite data unless
    --replace is given.
    """
    from store.demo import build_demo

    settings = _settings(ctx)
    if settings.store == default_store_dir():
        settings = settings.model_copy(update={"store": default_demo_dir()})
        replace = True
    store = Store(settings.store)
    started = time.perf_counter()
    try:
        summary = build_demo(store, scale=scale, replace=replace)  # type: ignore[arg-type]
    except (StoreError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"built {scale} store in {store.root} ({time.perf_counter() - started:.1f} s): {summary}", err=True)
    if run_after:
        sys.exit(_open_dashboard(settings))


@cli.command()
@click.pass_context
def check(ctx: click.Context) -> None:
    """Parse and validate every file of the store; exit 2 naming the first damaged one."""
    store = _store(ctx)
    try:
        files = store.check()
    except StoreError as exc:
        click.echo(f"duty-room: {exc}", err=True)
        sys.exit(2)
    click.echo(f"ok: {len(files)} files, generation {store.generation()}")


cli.add_command(petition)


def main() -> None:
    cli(prog_name="duty-room")
