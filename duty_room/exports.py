"""Where a file a person exports is written: a handover (the dashboard's 交接班 form, `handover
--out`), a spreadsheet (`export`, `template`), the palette's 截图.

Run as oneself, a file goes where it is named (relative to the working folder, ``~`` expanded).
Run as the service account — an officer through sudo, as the README sets it up — the file is the
service account's, and its home (``~``) and the store are that account's alone: an officer could
not read what was written there, and a path of their choosing could overwrite the store itself
(`handover --out /srv/duty-room/store/manifest.json`). So there every export goes in the one
folder the system file allows (``export_dir``, default ``exports`` beside the store), made by the
set-up group-readable by the officers (setgid, 2750), and is left readable by that group whatever
the umask. A name is taken inside it; a path outside it is refused in one line naming the folder.
The caller's environment never picks the folder: ``export_dir`` is a security key (system file only).
"""

from __future__ import annotations

import os
from pathlib import Path

from duty_room import words
from duty_room.config import Settings

EXPORT_FILE_MODE = 0o640  # the export folder's group (the officers) reads, nobody else
EXPORT_FOLDER_MODE = 0o750  # (a folder of CSV files; its files took the group from the setgid folder)


class ExportRefused(ValueError):
    """A place to export to that this session may not write: ``str()`` is the line, in its language."""


def export_target(settings: Settings, given: str | Path) -> Path:
    """The absolute path a file asked for as ``given`` is written to (see the module)."""
    folder = settings.export_folder
    if folder is None:
        return Path(os.path.abspath(Path(given).expanduser()))
    text = str(given)
    path = Path(text).expanduser() if text.startswith("~") else folder / text
    inside = Path(os.path.realpath(folder))
    parent = Path(os.path.realpath(path.parent))
    if path.name in ("", ".", "..") or not parent.is_relative_to(inside):
        raise ExportRefused(
            words.t("export.outside_folder", settings.lang).format(
                given=given, folder=folder, account=settings.service_account
            )
        )
    return parent / path.name


def publish(settings: Settings, path: Path) -> None:
    """Leave what was exported readable by the export folder's group, whatever the umask (sudo
    keeps the officer's: under 077 a workbook was 0600, the service account's alone). Only where
    there is an export folder: run as oneself, a file keeps the access one's umask gives it."""
    if settings.export_folder is None:
        return
    if path.is_dir():
        os.chmod(path, EXPORT_FOLDER_MODE)
        for inner in path.iterdir():
            if inner.is_file():
                os.chmod(inner, EXPORT_FILE_MODE)
    elif path.is_file():
        os.chmod(path, EXPORT_FILE_MODE)
