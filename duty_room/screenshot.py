"""The palette's 截图 (screenshot): where it is saved, who may read it, and what is said."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from platformdirs import user_downloads_path
from textual.app import App

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
        saved = app.save_screenshot(filename, str(folder), time_format)
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
