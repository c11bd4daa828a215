"""The layers point one way: store/ knows nothing of Textual; widgets/ never touch the store."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# open(...), path.open(...), os.open(...), read/write helpers and TinyDB(...): any way into a file.
FILE_ACCESS = re.compile(r"(?<![\w])(?:os\.)?open\(|\.open\(|\.(?:read|write)_(?:bytes|text)\(|TinyDB\(")


def test_import_linter_contracts_hold() -> None:
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    assert lint, "import-linter is a test dependency"
    result = subprocess.run([lint], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


def test_only_storage_opens_json_files() -> None:
    """Nothing but store/storage.py reads or writes the store's files."""
    offenders = []
    for path in list((ROOT / "store").rglob("*.py")) + list((ROOT / "duty_room").glob("*.py")) + list((ROOT / "widgets").glob("*.py")):
        if path == ROOT / "store" / "storage.py":
            continue
        text = path.read_text(encoding="utf-8")
        for match in FILE_ACCESS.finditer(text):
            offenders.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
    assert offenders == []
