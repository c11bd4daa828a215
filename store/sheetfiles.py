"""Reading and writing the user's own spreadsheet files (.xlsx, or a folder of .csv).

These are not store files: they are what a township clerk keeps in Excel and hands over. All
file access for them is here, so the architecture test can keep every other module away from
files (only store/storage.py opens the store's own). Nothing here knows the models: the sheet
layout and meaning live in store/workbook.py.

XLSX is read with python-calamine (fast: 40,000 rows in a fraction of openpyxl's time) and
written with openpyxl (write-only mode: flat memory however large the roster). CSV is written
as UTF-8 with a BOM, which Excel needs to show Chinese; on input UTF-8 is tried first and
GB18030 (what Excel saves as "CSV" on a Chinese Windows) otherwise.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import os
import re
import stat
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, cast

from .errors import environment_error
from .i18n import Lang
from .refusal import Refused

# openpyxl and calamine are imported where used: every `duty-room` start (the dashboard too)
# imports this module, and openpyxl alone costs 0.3 s.

Cell = object  # str, int, float, bool, date, datetime, time or None, as the file holds it


class SheetFileError(Refused):
    """The file cannot be read or written at all (missing, not a workbook, no permission), said in
    the interface's language like every other refusal: refused input (exit 1). The machine's own
    cause (``error``: no permission, a full disk) is said as the store says it; a full disk, a
    read-only filesystem or an I/O error is a fault (exit 2, duty_room/exits.py)."""

    def __init__(self, key: str, path: Path, *, error: OSError | None = None, detail: object = "") -> None:
        self.error = error
        self.path = path
        super().__init__(key, path=path, detail=detail)

    def reason(self, lang: Lang) -> str:
        if self.error is not None:  # "sheet_os": the store's words for the machine's refusal
            return environment_error(self.error, self.path).message(lang)
        return super().reason(lang)


@dataclass
class SheetOut:
    """One sheet to write: two header rows, data rows, and drop-down lists by column index."""

    name: str
    headers: list[str]
    keys: list[str]
    rows: list[list[Cell]]
    choices: dict[int, list[str]] = field(default_factory=dict)
    strict_choices: set[int] = field(default_factory=set)  # other columns' lists only suggest
    widths: list[int] = field(default_factory=list)


HEADER_ROWS = 2  # Chinese headers, then the field keys
_HEADER_COLOUR = "DDEBF7"
_KEY_COLOUR = "808080"
_BOM = "\ufeff"


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cell_text(value: Cell) -> Cell:
    return "" if value is None else value


EXPORT_FILE_MODE = 0o640  # before an export folder's own access is given (duty_room/exports.py: publish)


def write_whole(path: Path, data: bytes, *, mode: int = EXPORT_FILE_MODE) -> None:
    """Write a file whole or not at all: a temp file beside it, fsynced, then renamed over it. A
    failure (a full disk half-way, no permission) leaves no temp file and whatever was at ``path``."""
    path = Path(path)
    tmp = _written_beside(path, data, mode)
    with _temp_dropped_on_failure(tmp, path):
        os.replace(tmp, path)


@contextlib.contextmanager
def _temp_dropped_on_failure(tmp: Path, path: Path) -> Iterator[None]:
    """On any failure inside, remove ``tmp``; an ``OSError`` is said of ``path``, the file asked
    for, not of a temp name the user never gave."""
    try:
        yield
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _written_beside(path: Path, data: bytes, mode: int = EXPORT_FILE_MODE) -> Path:
    """``data`` in a temp file beside ``path``, fsynced, with an export's mode: what ``write_whole``
    renames over it. A failure leaves no temp file and is said of ``path``."""
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as exc:  # said of the file asked for, not of a temp name the user never gave
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    tmp = Path(name)
    with _temp_dropped_on_failure(tmp, path):
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, mode)
    return tmp


def _write_sheet_file(path: Path, data: bytes) -> None:
    """``write_whole``, its failure said as a sheet file's (``SheetFileError``, naming ``path``)."""
    try:
        write_whole(path, data)
    except OSError as exc:
        raise SheetFileError("sheet_os", path, error=exc) from None


def write_xlsx(
    path: Path, sheets: Sequence[SheetOut], notes: Sequence[Sequence[str]] = (), notes_title: str = "说明"
) -> None:
    """Write the sheets (and a notes sheet first, if any) to ``path``, whole or not at all."""
    # Made in memory, then written: saved straight into the file, a full disk half-way left a
    # workbook cut short over the last good export, and openpyxl's half-closed zip and write-only
    # sheets printed Python tracebacks as they were collected.
    buffer = io.BytesIO()
    _fill_and_save(buffer, sheets, notes, notes_title)
    _write_sheet_file(path, buffer.getvalue())


def _fill_and_save(
    handle: BinaryIO, sheets: Sequence[SheetOut], notes: Sequence[Sequence[str]], notes_title: str
) -> None:
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook(write_only=True)
    if notes:
        ws = workbook.create_sheet(notes_title)
        ws.column_dimensions["A"].width = 18
        ws.column_dimensions["B"].width = 100
        for line in notes:
            ws.append(list(line))
    for sheet in sheets:
        ws = workbook.create_sheet(sheet.name)
        for index, width in enumerate(sheet.widths):
            ws.column_dimensions[_column_letter(index)].width = width
        ws.freeze_panes = "A3"
        last_row = max(len(sheet.rows) + HEADER_ROWS, 500)  # room for rows the clerk adds
        for index, options in sheet.choices.items():
            listed = ",".join(o for o in options if o)
            validation = DataValidation(
                type="list", formula1=f'"{listed}"', allow_blank=True, showErrorMessage=index in sheet.strict_choices
            )
            letter = _column_letter(index)
            validation.add(f"{letter}{HEADER_ROWS + 1}:{letter}{last_row}")
            ws.data_validations.append(validation)
        ws.append(list(sheet.headers))
        ws.append(sheet.keys)
        for row in sheet.rows:
            ws.append([_cell_text(v) for v in row])
    workbook.save(handle)


def style_headers(path: Path) -> None:
    """Shade the two header rows (a separate pass: write-only sheets cannot style cells cheaply)."""
    # Only used for the small template; exports stay in write-only mode.
    from openpyxl import load_workbook
    from openpyxl.styles import Font, PatternFill

    workbook = load_workbook(path)
    for ws in workbook.worksheets[1:] if len(workbook.worksheets) > 1 else workbook.worksheets:
        for cell in ws[1]:
            cell.fill = PatternFill("solid", fgColor=_HEADER_COLOUR)
            cell.font = Font(bold=True)
        for cell in ws[2]:
            cell.font = Font(color=_KEY_COLOUR, size=9)
    buffer = io.BytesIO()
    workbook.save(buffer)
    _write_sheet_file(path, buffer.getvalue())


def write_csv_dir(folder: Path, sheets: Sequence[SheetOut]) -> list[Path]:
    """One ``<sheet name>.csv`` per sheet, UTF-8 with BOM, all or none: every file is written
    beside its name first and only then renamed over it, so a full disk half-way leaves the folder
    as it was (the last good export's files, none of them newer than the others; no folder, if it
    was made for this), not a mix an import would read as one export. Returns the files written."""
    made = not folder.exists()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SheetFileError("sheet_os", folder, error=exc) from None
    ready: list[tuple[Path, Path]] = []  # (temp, its name)
    try:
        for sheet in sheets:
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\r\n")
            writer.writerow(sheet.headers)
            writer.writerow(sheet.keys)
            for row in sheet.rows:
                writer.writerow(["" if v is None else v for v in row])
            target = folder / f"{sheet.name}.csv"
            try:
                ready.append((_written_beside(target, (_BOM + buffer.getvalue()).encode("utf-8")), target))
            except OSError as exc:
                raise SheetFileError("sheet_os", target, error=exc) from None
    except BaseException:
        for tmp, _ in ready:
            tmp.unlink(missing_ok=True)
        if made:
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
    for tmp, target in ready:  # a rename takes no room: the disk that held the temps holds these
        try:
            os.replace(tmp, target)
        except OSError as exc:
            for left, _ in ready:
                left.unlink(missing_ok=True)
            raise SheetFileError("sheet_os", target, error=exc) from None
    return [target for _, target in ready]


def decode_csv(payload: bytes) -> str:
    """UTF-8 (with or without BOM) if it is that, else GB18030 (a superset of GBK and GB2312)."""
    try:
        return payload.decode("utf-8-sig")
    except UnicodeDecodeError:
        return payload.decode("gb18030")


def read_tables(path: Path, *, within: Path | None = None) -> dict[str, list[list[Cell]]]:
    """Every sheet of an .xlsx (or every .csv of a folder) as rows of cells, headers included.

    ``within``: a folder others can write in (the import folder, read as the service account):
    ``path`` is below it and is opened from it one name at a time without following a link, and
    only a regular file (or folder) is read, so a link put there is refused rather than followed to
    a file the service account can read and the one who put it there cannot."""
    if within is not None:
        return _read_within(within, path)
    if path.is_dir():
        tables: dict[str, list[list[Cell]]] = {}
        for csv_path in sorted(path.glob("*.csv")):
            try:
                payload = csv_path.read_bytes()
            except OSError as exc:
                raise SheetFileError("sheet_os", csv_path, error=exc) from None
            tables[csv_path.stem] = _csv_rows(csv_path, payload)
        if not tables:
            raise SheetFileError("sheet_no_csv", path)
        return tables
    if not path.exists():
        raise SheetFileError("sheet_missing", path)
    try:  # no permission is said as such, not as a damaged workbook (click no longer checks it first)
        path.open("rb").close()
    except OSError as exc:
        raise SheetFileError("sheet_os", path, error=exc) from None
    return _workbook_rows(path, str(path))


def _csv_rows(path: Path, payload: bytes) -> list[list[Cell]]:
    try:
        text = decode_csv(payload)
    except UnicodeDecodeError as exc:
        raise SheetFileError("sheet_encoding", path, detail=exc.reason) from None
    return [list(row) for row in csv.reader(io.StringIO(text))]


class Table(list[list[Cell]]):
    """A worksheet's rows as read, and its merged cells: ((first row, first column), (last row, last
    column)), counted from 0 as the rows are (the value is in the first cell only)."""

    merged: list[tuple[tuple[int, int], tuple[int, int]]] = []


def _workbook_rows(path: Path, source: str | BinaryIO) -> dict[str, list[list[Cell]]]:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        if isinstance(source, str):
            workbook = CalamineWorkbook.from_path(source)
        else:
            workbook = CalamineWorkbook.from_filelike(source)
        rows: dict[str, list[list[Cell]]] = {}
        for name in workbook.sheet_names:
            sheet = workbook.get_sheet_by_name(name)
            # a fresh list each, nobody else's: widening its cell type to Cell is safe (list is invariant)
            rows[name] = table = Table(cast(list[list[Cell]], sheet.to_python(skip_empty_area=False)))
            table.merged = list(sheet.merged_cell_ranges or ())
    except (CalamineError, OSError, ValueError) as exc:  # not a zip, not a workbook, password, …
        raise SheetFileError("sheet_unreadable", path, detail=exc) from None
    if _formula_without_value(source):
        raise SheetFileError("sheet_formula_unsaved", path)
    return rows


# A formula cell with no result saved (<f>…</f> then <v/> or no <v> at all): a file a program wrote
# (openpyxl, a script) that no spreadsheet has opened and saved. calamine reads such a cell as "",
# so an import would have blanked the field it is in (老年人占比% 62 → empty), saying nothing.
# (<v></v> is a result saved: Excel's and LibreOffice's for a formula whose result is "".)
_UNSAVED_FORMULA = re.compile(rb"(?:</f>|<f\b[^>]*/>)\s*(?:<v\s*/>|</c>)")


def _formula_without_value(source: str | BinaryIO) -> bool:
    import zipfile

    if not isinstance(source, str):
        source.seek(0)
    try:
        with zipfile.ZipFile(source) as archive:
            for name in archive.namelist():
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    xml = archive.read(name)
                    if b"<f" in xml and _UNSAVED_FORMULA.search(xml):
                        return True
    except zipfile.BadZipFile:  # a workbook calamine read by its content (an .xls named .xlsx): no such cells
        return False
    return False


_NO_LINK = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC  # (NONBLOCK: a pipe never waits)


def _open_no_link(name: str, folder_fd: int, path: Path) -> int:
    """``name`` in the open folder ``folder_fd`` (``path`` says it), a link not followed: a
    descriptor of a regular file or a folder, else refused."""
    try:
        fd = os.open(name, _NO_LINK, dir_fd=folder_fd)
    except FileNotFoundError:
        raise SheetFileError("sheet_missing", path) from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # O_NOFOLLOW's answer to a link
            raise SheetFileError("sheet_not_regular", path) from None
        raise SheetFileError("sheet_os", path, error=exc) from None
    mode = os.fstat(fd).st_mode
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        os.close(fd)
        raise SheetFileError("sheet_not_regular", path)
    return fd


def _read_within(folder: Path, path: Path) -> dict[str, list[list[Cell]]]:
    parts = path.relative_to(folder).parts
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)  # the folder itself: the admin's
    except OSError as exc:
        raise SheetFileError("sheet_os", folder, error=exc) from None
    try:
        for depth, name in enumerate(parts):
            inner = _open_no_link(name, fd, folder.joinpath(*parts[: depth + 1]))
            os.close(fd)
            fd = inner
            if depth < len(parts) - 1 and not stat.S_ISDIR(os.fstat(fd).st_mode):
                not_folder = NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR))
                raise SheetFileError("sheet_os", folder.joinpath(*parts[: depth + 1]), error=not_folder)
        if not stat.S_ISDIR(os.fstat(fd).st_mode):
            with os.fdopen(os.dup(fd), "rb") as handle:
                return _workbook_rows(path, handle)
        tables: dict[str, list[list[Cell]]] = {}
        for name in sorted(n for n in os.listdir(fd) if n.endswith(".csv") and not n.startswith(".")):
            csv_path = path / name
            csv_fd = _open_no_link(name, fd, csv_path)
            try:
                if stat.S_ISDIR(os.fstat(csv_fd).st_mode):
                    a_folder = IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR))
                    raise SheetFileError("sheet_os", csv_path, error=a_folder)
                with os.fdopen(os.dup(csv_fd), "rb") as handle:
                    try:
                        payload = handle.read()
                    except OSError as exc:
                        raise SheetFileError("sheet_os", csv_path, error=exc) from None
            finally:
                os.close(csv_fd)
            tables[Path(name).stem] = _csv_rows(csv_path, payload)
        if not tables:
            raise SheetFileError("sheet_no_csv", path)
        return tables
    finally:
        os.close(fd)
