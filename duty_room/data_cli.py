"""`duty-room template | import | export | list`: the township's own data in and out (the sheets and
the import in store/workbook.py). A path ending in .xlsx is a workbook; any other a folder of CSVs.
"""

from __future__ import annotations

import errno
import functools
import os
import stat
import tempfile
from pathlib import Path

import click

from duty_room import usage, words
from store import clock
from store.masking import log_reveal, mask_phone
from store.models import Community, Grid, GridWorker, Stall
from store.roster import community_named
from store.sheetfiles import (
    SheetFileError,
    read_tables,
    style_headers,
    write_csv_dir,
    write_xlsx,
)
from store.storage import Store
from store.visiting import grid_tree
from store.workbook import (
    NOTES_SHEET,
    SHEETS,
    export_sheets,
    import_tables,
    resolve_tables,
    revealed_by,
    template_notes,
    template_sheets,
)

from .cli import echo_json, phrase, refuse_foreign, settings_of, store_of
from .config import Settings
from .exports import export_target, fresh, import_source, publish

# Names meant as one file: `export 底册.xls` (or 底册.pdf) wrote a folder 底册.xls/ of CSVs and said so.
SPREADSHEET_LIKE = frozenset(
    {".xls", ".xlsm", ".xlsb", ".xltx", ".xltm", ".ods", ".csv", ".et", ".ett", ".numbers"}
    | {".pdf", ".doc", ".docx", ".wps", ".txt", ".md", ".json", ".html", ".zip"}
)


def _writable_target(ctx: click.Context, path: Path) -> bool:
    """Whether ``path`` is written as a workbook (else a folder of CSV files); another spreadsheet's
    file name is refused with the .xlsx it likely meant (a folder already there is a folder)."""
    if str(path) == "-":  # the shell's "standard output": 9 sheets are no stream (it made a folder named -)
        raise click.ClickException(phrase("sheets.no_stdout"))
    if path.suffix.casefold() in SPREADSHEET_LIKE and not path.is_dir():
        raise click.ClickException(phrase("sheets.not_xlsx", path=path, suggest=path.with_suffix(".xlsx")))
    return path.suffix.casefold() == ".xlsx"


def warn_calendar(settings: Settings) -> None:
    """`check`'s hook: warn when the coming 60 days reach a year the holiday calendar lacks."""
    years = settings.deadlines.uncovered_years(clock.today(), 60)
    if years:
        click.echo(words.t("calendar.uncovered", settings.lang).format(years="、".join(map(str, years))), err=True)


@click.command()
@click.argument("path", type=usage.Place())
@click.pass_context
def template(ctx: click.Context, path: Path) -> None:
    """An empty workbook to fill in: one sheet per table, example rows, drop-downs and 说明."""
    workbook = _writable_target(ctx, path)
    path = export_target(settings_of(ctx), path)  # the service account's: only in its export folder
    fresh(settings_of(ctx), path)
    if workbook:
        write_xlsx(path, template_sheets(), template_notes(), NOTES_SHEET)
        style_headers(path)
    else:
        write_csv_dir(path, template_sheets())
    publish(settings_of(ctx), path)
    click.echo(phrase("template.done", path=path))


@click.command("import")
@click.argument("path", type=usage.Place(readable=False))  # said by import_source / read_tables
@click.option("--dry-run", is_flag=True, help="Check every row and report; write nothing.")
@click.option("--prune", is_flag=True, help="Delete stored records the file leaves out (reported otherwise).")
@click.pass_context
def import_command(ctx: click.Context, path: Path, dry_run: bool, prune: bool) -> None:
    """Import a workbook (or a folder of CSV files): all rows, or nothing if any is wrong.

    Every error is listed as sheet!row:column: reason. Rows are matched to stored records by
    id, or by their natural key when the id is blank; re-importing what you exported changes
    nothing. Unless you may reveal personal data, a row giving a name, phone, health tag or fee
    reduction in full is updated whether or not it was the stored value (no guess is confirmed).
    """
    settings = settings_of(ctx)
    if not dry_run:  # said as every other write a viewer asks for (只读：本会话不能更改 …)
        settings.open_store().refuse_if_read_only()
    path, within = import_source(settings, path)  # the service account's: only from its import folder
    try:
        tables = read_tables(path, within=within)
    except SheetFileError as exc:
        if within is None or exc.path == within or exc.error is None or exc.error.errno != errno.EACCES:
            raise
        # put there under umask 077 (0600): said with the remedy, not as the machine's fault
        try:
            found = os.lstat(exc.path)
        except OSError:
            raise exc from None
        # it reads as the file's group when the file has its group (the officer's folder gives it)
        bits = "g+rX" if found.st_gid == os.getegid() else "o+rX"
        own = within / settings.actor
        raise click.ClickException(
            phrase(
                "import.unreadable",
                path=exc.path,
                account=settings.service_account,
                mode=stat.filemode(found.st_mode),
                folder=own,
                bits=bits,
            )
        ) from None
    store = settings.open_store()  # an empty folder too: a first import makes the store
    refuse_foreign(store)
    # "unchanged" is said of a personal value typed in full only to a desk that may reveal it (a guess, to any other)
    check = functools.partial(
        import_tables,
        tables=tables,
        lang=settings.lang,
        prune=prune,
        fee_rules=settings.fees,
        may_reveal=settings.reveals_to(store.actor),
    )
    report = None
    if not settings.store.exists():
        # A first import into a folder not there yet (or a --store typed wrong) is checked in a
        # scratch store: refused, or --dry-run, it made the folder (mkdir -p) with a .lock in it,
        # which check and every command then called no store (不是 duty-room 数据目录).
        with tempfile.TemporaryDirectory(prefix="duty-room-import-") as scratch:
            report = check(Store(Path(scratch) / "store", actor=settings.actor), dry_run=True)
        if not (report.errors or dry_run):
            report = None  # valid: made for real
    if report is None:
        report = check(store, dry_run=dry_run)
    for note in report.notes:
        click.echo(note, err=True)
    if report.errors:
        for line in report.errors:
            click.echo(line, err=True)
        raise click.ClickException(phrase("import.failed", n=report.problems))
    written = 0
    for result in report.sheets:
        click.echo(
            phrase(
                "import.sheet", sheet=result.spec.name, new=result.new, changed=result.changed, same=result.unchanged
            )
        )
        if result.pruned:
            click.echo(phrase("import.pruned", sheet=result.spec.name, n=result.pruned))
        elif result.missing:
            click.echo(
                phrase(
                    "import.missing",
                    sheet=result.spec.name,
                    n=len(result.missing),
                    ids=", ".join(result.missing[:8]) + (", …" if len(result.missing) > 8 else ""),
                )
            )
        written += result.new + result.changed + result.pruned
    if dry_run:
        click.echo(phrase("import.dry_run"))
    else:
        click.echo(phrase("import.done", n=written) if written else phrase("import.nothing"))


@click.command()
@click.argument("path", type=usage.Place())
@click.option("--tables", "tables", default="", help="Comma-separated tables (households,网格,…); default all.")
@click.option("--mask", "force_mask", is_flag=True, help="Mask personal data even if you may see it.")
@click.pass_context
def export(ctx: click.Context, path: Path, tables: str, force_mask: bool) -> None:
    """Export the tables in the import layout (export → import changes nothing).

    Names and phones are masked unless your account may reveal personal data; an unmasked
    export is written to the audit log, as a reveal on screen is.
    """
    settings = settings_of(ctx)
    workbook = _writable_target(ctx, path)  # before the store is read or a reveal logged
    path = export_target(settings, path)  # the service account's: only in its export folder
    store = store_of(ctx)
    specs = resolve_tables([n for n in tables.split(",") if n.strip()]) if tables else list(SHEETS)
    revealed = revealed_by(specs)  # none: tables with nothing personal, nothing to unmask or log
    masked = force_mask or not revealed or not settings.reveals_to(store.actor)
    sheets = export_sheets(store, specs, masked=masked)
    if not masked:
        log_reveal(store, f"export:{path.name}"[:80], revealed, True)
    fresh(settings, path)
    if workbook:
        write_xlsx(path, sheets, template_notes(), NOTES_SHEET)
    else:
        write_csv_dir(path, sheets)
    publish(settings, path, personal=not masked)  # unmasked: for the officer who asked alone
    click.echo(
        phrase("export.done", n=len(sheets), path=path)
        + phrase("punct.semi")
        + phrase("export.masked" if masked else "export.unmasked")
    )


LISTABLE = ("communities", "grids", "workers", "stalls")


@click.command("list")
@click.argument("what", type=usage.Choice(LISTABLE))
@click.option("--community", "community_id", default=None, help="Only this community (id or name).")
@click.option("--json", "as_json", is_flag=True, help="JSON for scripts.")
@click.pass_context
def list_command(ctx: click.Context, what: str, community_id: str | None, as_json: bool) -> None:
    """Ids and names, for scripts and for people who need an id (personal data masked)."""
    settings = settings_of(ctx)
    lang = settings.lang
    store = store_of(ctx)
    communities = store.all(Community)
    grids = store.all(Grid)
    if community_id is not None:  # as every command takes it (DongCheng, 东城花园社区); refused alike
        community_id = community_named(store, community_id)
    community_of_grid = {g.id: g.community_id for g in grids}
    rows: list[dict[str, object]] = []
    if what == "communities":
        rows = [
            {"id": c.id, "name": c.name, "township": c.township} for c in communities if community_id in (None, c.id)
        ]
    elif what == "grids":
        rows = [
            {
                "id": g.id,
                "name": g.name,
                "level": g.level.value,
                "parent_id": g.parent_id,
                "community_id": g.community_id,
                "depth": depth,
            }
            for g, depth in grid_tree(grids, community_id)
        ]
    elif what == "workers":
        rows = [
            {"id": w.id, "name": w.name, "role": w.role.value, "phone": mask_phone(w.phone), "grid_id": w.grid_id}
            for w in store.all(GridWorker)
            if community_id in (None, community_of_grid.get(w.grid_id))
        ]
    else:
        rows = [
            {
                "id": s.id,
                "market": s.market,
                "number": s.number,
                "community_id": s.community_id,
                "goods": s.goods,
                "held": bool(s.holder_name),
            }
            for s in store.all(Stall)
            if community_id in (None, s.community_id)
        ]
    if as_json:
        echo_json(rows)
        return
    for row in rows:
        if what == "communities":
            click.echo(f"{row['id']}  {row['name']}  {row['township']}")
        elif what == "grids":
            indent = "  " * int(row["depth"])  # type: ignore[call-overload]
            level = words.t(f"GridLevel.{row['level']}", lang)
            click.echo(f"{indent}{row['id']}  {row['name']}  {level}")
        elif what == "workers":
            role = words.t(f"WorkerRole.{row['role']}", lang)
            click.echo(f"{row['id']}  {row['name']}  {role}  {row['phone']}  {row['grid_id']}")
        else:
            click.echo(f"{row['id']}  {row['market']} {row['number']}  {row['goods']}  {row['community_id']}")
