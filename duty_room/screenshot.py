"""The palette's 截图 (screenshot): where it is saved, who may read it, and what is said."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from platformdirs import user_downloads_path
from textual.app import App

from store import clock
from store.errors import environment_error

from .config import Settings
from .exports import ExportRefused, export_target, publish
from .words import t


def deliver_screenshot(
    app: App[Any], settings: Settings, filename: str | None, path: str | None, time_format: str | None
) -> str | None:
    """The screenshot said in our words (Textual's own was English, or its path in markup). Saved in
    the downloads folder if there is one, else home; as the service account, whose home is its own,
    in the export folder, readable as an export is."""
    lang = settings.lang
    exports = settings.export_folder
    if exports is not None:
        try:
            folder = export_target(settings, path) if path else exports
        except ExportRefused as refused:
            app.notify(str(refused), severity="error")
            return None
    else:
        folder = Path(path) if path else user_downloads_path()
        if not folder.is_dir():
            folder = Path.home()
    try:
        saved = _save(app, folder, filename, time_format)
        # One who may reveal may have personal data on screen: theirs alone (exports.publish).
        publish(settings, Path(saved), personal=settings.may_reveal())
    except ExportRefused as refused:
        app.notify(str(refused), severity="error")
        return None
    except OSError as exc:
        why = environment_error(exc).why(lang)
        app.notify(t("screenshot.failed", lang).format(why=why, path=folder), severity="error")
        return None
    app.notify(t("screenshot.saved", lang).format(saved))
    return saved


def _save(app: App[Any], folder: Path, filename: str | None, time_format: str | None) -> str:
    """The screen as SVG, written whole or not at all (Textual's own save left an empty or cut-short
    file behind a full disk, said 截图未保存 all the same), the service account's alone (0600) until
    ``publish`` opens it to whom it is for; named by the app's clock (Asia/Shanghai), as Textual
    names it (``值班室_2026-11-28T09_30_00_000000.svg``)."""
    from store.sheetfiles import write_whole  # here: csv and the sheet code are not loaded at start

    if not filename:
        filename = f"{app.title}_{clock.now().strftime(time_format or '%Y-%m-%dT%H_%M_%S_%f')}.svg"
    path = (folder / filename).expanduser()
    write_whole(path, app.export_screenshot().encode("utf-8"), mode=0o600)
    return str(path)
