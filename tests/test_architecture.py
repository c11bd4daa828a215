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
    for path in [
        *(ROOT / "store").rglob("*.py"),
        *(ROOT / "duty_room").rglob("*.py"),
        *(ROOT / "widgets").rglob("*.py"),
    ]:
        # sheetfiles.py and handover_export.py read and write the user's own files (spreadsheets,
        # a handover to send on), config.py reads the config files, backups.py the backup folder's
        # list of the backups officers took: never the store's.
        if path.relative_to(ROOT).as_posix() in (
            "store/storage.py",
            "store/sheetfiles.py",
            "duty_room/handover_export.py",
            "duty_room/config.py",
            "duty_room/backups.py",
        ):
            continue
        text = path.read_text(encoding="utf-8")
        for match in FILE_ACCESS.finditer(text):
            offenders.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
    assert offenders == []


def test_importing_the_store_loads_no_ui_library() -> None:
    """The contracts see module-level imports only; a function-level import of Textual would slip by.

    A fresh interpreter imports every store module and lists what it loaded.
    """
    code = (
        "import importlib, pkgutil, sys, store\n"
        "for info in pkgutil.walk_packages(store.__path__, 'store.'): importlib.import_module(info.name)\n"
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    loaded = set(result.stdout.split())
    assert "store" in loaded
    assert loaded.isdisjoint({"textual", "rich", "widgets", "duty_room"}), loaded & {
        "textual",
        "rich",
        "widgets",
        "duty_room",
    }


# What `summary` has no use for, each a few ms of a cold start: the hand-over (its report and its
# export, for one sentence on a late session: duty_room/lateness.py), the case lifecycle, the roster,
# the metrics, the spreadsheets, TinyDB (a reader never opens a file as a table), platformdirs (the
# per-user folders are found by config.py: its import, with tempfile, was ~16 M instructions).
SUMMARY_NEVER_IMPORTS = (
    "duty_room.handover_export",
    "store.handover",
    "store.lifecycle",
    "store.roster",
    "store.metrics",
    "store.workbook",
    "tinydb",
    "platformdirs",
    "tempfile",
    "shutil",  # (store/storage.py removes a failed backup with it)
)

# The records it never reads (store/models.py DEFERRED: validators built when first read): the
# households, the audit, the hand-overs, the roster, the shifts, the log; the permits and (its file
# keeping their figures) the payments; nor the cases (each day file keeps its open cases' figures:
# Petition.figures_of), whose validators the dashboard builds with its first read.
SUMMARY_NEVER_BUILDS = (
    "Petition",
    "PetitionEvent",
    "Household",
    "AuditEntry",
    "Handover",
    "GridWorker",
    "DutyShift",
    "DutyLogEntry",
    "StallPermit",  # (it prints no permit)
    "StallPayment",  # (each payments file keeps its figures: store/market.py payment_figures)
)


def in_a_fresh_interpreter(code: str, home: Path) -> list[str]:
    """The lines ``code`` prints, run by a new interpreter in the checkout with a bare environment."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, env=env, timeout=60, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.splitlines()


def test_summary_loads_no_ui_library(tmp_path: Path) -> None:
    """`ssh host duty-room summary` is the on-call digest on a poor link: it prints text and needs
    neither Textual nor Rich (nor widgets/, nor the app). The real command runs in a fresh
    interpreter on a store, then lists what it loaded."""
    from conftest import build_small_store

    store = build_small_store(tmp_path / "store")
    code = (
        "import sys\n"
        "from duty_room.cli import main\n"
        f"sys.argv = ['duty-room', '--store', {str(store.root)!r}, 'summary']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exc:\n"
        "    print('exit', exc.code)\n"
        "import gc\n"
        "import store.models\n"
        f"UNREAD = {SUMMARY_NEVER_IMPORTS!r}\n"
        f"UNBUILT = {SUMMARY_NEVER_BUILDS!r}\n"
        "print('built', [n for n in UNBUILT if getattr(store.models, n).__pydantic_complete__])\n"
        "print('frozen', gc.get_freeze_count() > 0)\n"  # (main: no last collection at exit)
        "print('modules', *sorted(m for m in UNREAD if m in sys.modules))\n"
        "print('loaded', ' '.join(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    lines = in_a_fresh_interpreter(code, tmp_path)
    assert lines[-5] in ("exit 0", "exit 1"), lines  # the digest was printed
    assert lines[-4] == "built []"
    assert lines[-3] == "frozen True"
    assert lines[-2] == "modules"  # none of them
    loaded = set(lines[-1].removeprefix("loaded ").split())
    assert {"duty_room", "store"} <= loaded
    assert loaded.isdisjoint({"textual", "rich", "widgets"}), loaded & {"textual", "rich", "widgets"}


def test_the_command_imports_with_the_collector_off(tmp_path: Path) -> None:
    """The `duty-room` command (pyproject's entry point, as installed) turns the cyclic collector off
    before it imports click, pydantic and the store: its passes over the import's objects cost
    `summary` ~2.5% of its start. A fresh interpreter notes whether the collector is on as each of
    them is first imported. (Counting passes instead failed now and then: compiling the entry
    module itself, its bytecode not yet written, could set one off before it ran.)"""
    import tomllib

    from conftest import build_small_store

    store = build_small_store(tmp_path / "store")
    entry = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]["duty-room"]
    module, name = entry.split(":")
    code = (
        "import gc, sys\n"
        "collecting = {}\n"
        "class Noting:\n"
        "    def find_spec(self, fullname, path=None, target=None):\n"
        "        if fullname in ('click', 'pydantic', 'store.models', 'store.storage'):\n"
        "            collecting.setdefault(fullname, gc.isenabled())\n"
        "        return None\n"
        "sys.meta_path.insert(0, Noting())\n"
        f"sys.argv = ['duty-room', '--store', {str(store.root)!r}, 'summary']\n"
        f"from {module} import {name}\n"
        "try:\n"
        f"    {name}()\n"
        "except SystemExit as exc:\n"
        "    print('exit', exc.code)\n"
        "print('collecting', *sorted(k for k, on in collecting.items() if on))\n"
        "print('imported', *sorted(collecting))\n"
    )
    lines = in_a_fresh_interpreter(code, tmp_path)
    assert lines[-3] in ("exit 0", "exit 1"), lines  # the digest was printed
    assert lines[-2] == "collecting"  # none of them
    assert lines[-1] == "imported click pydantic store.models store.storage"


LATER_THAN_THE_FIRST_FRAME = (
    "store.handover",
    "duty_room.handover_export",
    "textual.widgets._text_area",
    "textual.widgets._data_table",  # KeyedTable is no DataTable, nor is its RowSelected
    "widgets.help_pages",
    "markdown_it",
)


def test_the_dashboard_opens_without_the_hand_over(tmp_path: Path) -> None:
    """Panel 5's hand-over (store/handover.py, and the export of duty_room/handover_export.py) is
    imported when `h`, `e` or a take-over first needs it, not before the first frame: a fresh
    interpreter opens the dashboard (its first data on screen), then lists what it loaded.
    Nor Textual's TextArea, which no screen of ours shows (~40 million instructions, 1.6% of the
    first frame: bench/first_paint.py). Nor Textual's DataTable, which KeyedTable is not (~16 million).
    Nor the paged help (Textual's HelpPanel brings Markdown,
    markdown-it and linkify: ~100 modules), imported when help is first shown. Nor does the first
    frame build the validators of the records only the rest after it reads (store/models.py DEFERRED):
    when the read of the rest begins, only the duty shifts' is (the header says who is on duty)."""
    from conftest import build_small_store

    store = build_small_store(tmp_path / "store")
    code = (
        "import asyncio, sys\n"
        "sys.path.insert(0, 'tests')\n"
        "import pilot\n"
        "from duty_room.app import DutyRoomApp\n"
        "from store.models import DEFERRED\n"
        "from store.storage import Store\n"
        "read = DutyRoomApp.load\n"
        "def load(app, now):\n"  # the app's reads after the first frame's: the rest, then reloads
        "    if not hasattr(load, 'built'):\n"
        "        load.built = [m.__name__ for m in DEFERRED if m.__pydantic_complete__]\n"
        "    return read(app, now)\n"
        "DutyRoomApp.load = load\n"
        "async def main():\n"
        f"    async with pilot.dashboard(Store({str(store.root)!r}, actor='desk')) as (app, _):\n"
        "        print('cases', len(app.data.petitions))\n"
        f"        print('modules', *sorted(m for m in {LATER_THAN_THE_FIRST_FRAME!r} if m in sys.modules))\n"
        "        print('built', *load.built)\n"
        "asyncio.run(main())\n"
    )
    lines = fresh_interpreter_lines(code, tmp_path)
    assert lines[-3] == "cases 4", lines  # the dashboard showed its data
    assert lines[-2] == "modules"  # none of them
    assert lines[-1] == "built DutyShift", lines[-1]  # only the shifts, which the first frame reads (on duty)


SCREENS_OPENED_LATER = ("widgets.choice_modal", "widgets.detail", "widgets.form", "widgets.table_screen")


def test_the_first_frame_needs_no_form_list_or_detail_screen(tmp_path: Path) -> None:
    """A form, a choice, a list and a detail are screens the dashboard opens only when asked: their
    modules (Textual classes, their CSS and messages) are imported when the first of them opens, not
    before the first frame; the panels build their fields and keys from widgets/specs.py alone, and
    the app takes the screens' messages by their handlers' names (duty_room/routing.py). A fresh
    interpreter opens the dashboard without tests/pilot.py (which imports a list screen), lists
    what it loaded at the first data, then opens a form (n) and a list (l), which still work."""
    from conftest import build_small_store

    store = build_small_store(tmp_path / "store")
    code = (
        "import asyncio, sys\n"
        "from duty_room.app import DutyRoomApp\n"
        "from duty_room.config import Settings\n"
        "from store.storage import Store\n"
        f"SCREENS = {SCREENS_OPENED_LATER!r}\n"
        "def loaded():\n"
        "    return sorted(m for m in SCREENS if m in sys.modules)\n"
        "async def turns(pilot, check):\n"
        "    for _ in range(500):\n"
        "        if check():\n"
        "            return\n"
        "        await pilot.pause(0.02)\n"
        "    raise SystemExit('never')\n"
        "async def main():\n"
        f"    root = {str(store.root)!r}\n"
        "    app = DutyRoomApp(Store(root, actor='desk'), Settings(store=root, refresh_seconds=600))\n"
        "    async with app.run_test(size=(80, 24)) as pilot:\n"
        "        await turns(pilot, lambda: app.data is not None)\n"
        "        print('at the first data', *loaded())\n"
        "        await turns(pilot, lambda: app.data.complete)\n"
        "        await pilot.press('n')\n"
        "        await turns(pilot, lambda: type(app.screen).__name__ == 'FormScreen')\n"
        "        print('form keys', app.screen.active_bindings['ctrl+s'].binding.description)\n"
        "        await pilot.press('escape')\n"
        "        await turns(pilot, lambda: type(app.screen).__name__ == 'DashboardScreen')\n"
        "        await pilot.press('l')\n"
        "        await turns(pilot, lambda: type(app.screen).__name__.endswith('TableScreen'))\n"
        "        print('list keys', app.screen.active_bindings['escape'].binding.description)\n"
        "        print('after a form and a list', *loaded())\n"
        "asyncio.run(main())\n"
    )
    lines = fresh_interpreter_lines(code, tmp_path)
    assert lines[-4] == "at the first data", lines  # none of them
    assert lines[-1] == (  # all four at the first (duty_room/screens.py)
        "after a form and a list widgets.choice_modal widgets.detail widgets.form widgets.table_screen"
    ), lines
    # Their keys in the interface language, as every screen's: imported after localize_bindings had
    # run, the form's Footer said `^s Confirm` on a Chinese dashboard (duty_room/screens.py).
    assert lines[-3:-1] == ["form keys 提交", "list keys 返回"], lines


def fresh_interpreter_lines(code: str, home: Path) -> list[str]:
    """The lines ``python -c code`` prints in a clean environment with ``home`` as HOME; it failing
    fails the test with what it printed."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, env=env, timeout=120, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.splitlines()


def python_prints(code: str, **env: str) -> list[str]:
    """What ``python -c code`` prints, split into words, in a clean environment (plus ``env``)."""
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", **env},
        timeout=60,
        check=True,
    )
    return done.stdout.split()


def test_store_skips_pydantic_plugin_scan_only_while_plugins_are_off() -> None:
    """With plugins off (store/__init__.py's default) pydantic's plugin loader, which imports
    importlib.metadata (~25 ms of every start), is replaced by store/_no_plugins.py; a caller who
    turns plugins on gets pydantic's own loader."""
    code = (
        "import sys, store\n"
        "from store.models import Petition\n"
        "assert Petition.model_fields\n"
        "print(sys.modules['pydantic.plugin._loader'].__name__, 'importlib.metadata' in sys.modules)\n"
    )
    assert python_prints(code) == ["store._no_plugins", "False"]
    assert python_prints(code, PYDANTIC_DISABLE_PLUGINS="none-of-these") == ["pydantic.plugin._loader", "True"]


def test_the_plugin_loader_stand_in_hands_anything_else_to_the_real_one() -> None:
    """A later pydantic that asks its loader for more than get_plugins gets the real loader's
    answer, and the real loader from then on: the stand-in may cost it 25 ms, never a start."""
    code = (
        "import sys, store\n"
        "loader = sys.modules['pydantic.plugin._loader']\n"
        "assert loader.get_plugins() == () and loader.__name__ == 'store._no_plugins'\n"
        "print(loader.__getattr__('get_plugins').__module__, sys.modules['pydantic.plugin._loader'].__name__)\n"
    )
    assert python_prints(code) == ["pydantic.plugin._loader", "pydantic.plugin._loader"]


def test_every_message_the_ui_defines_is_handled_in_the_ui() -> None:
    """A Message posted and handled by nobody (or by tests alone) is dead code that still costs a
    dispatch on every post: DutyRoomApp.Refreshed went out after every reload for no handler. Each
    Message of duty_room/ and widgets/ has a handler there: ``@on(Owner.Name)`` or ``on_<handler_name>``."""
    import importlib
    import inspect

    from textual.message import Message

    sources = "\n".join(
        path.read_text(encoding="utf-8")
        for folder in ("duty_room", "widgets")
        for path in (ROOT / folder).rglob("*.py")
    )
    defined = {
        cls
        for folder in ("duty_room", "widgets")
        for path in (ROOT / folder).rglob("*.py")
        if "(Message)" in path.read_text(encoding="utf-8")
        for module in [importlib.import_module(".".join(path.relative_to(ROOT).with_suffix("").parts))]
        for _, owner in inspect.getmembers(module, inspect.isclass)
        for cls in [owner, *(c for _, c in inspect.getmembers(owner, inspect.isclass))]
        if issubclass(cls, Message) and cls.__module__ == module.__name__
    }
    assert defined, "no Message found: the search is broken"
    unhandled = [
        cls.__qualname__
        for cls in defined
        if not re.search(rf"@on\((?:\w+\.)?{re.escape(cls.__qualname__)}\b", sources)
        and f"def {cls.handler_name}(" not in sources
    ]
    assert not unhandled, f"posted but never handled in duty_room/ or widgets/: {unhandled}"


def _defined(path: Path, dotted: str) -> bool:
    """``dotted`` (``name`` or ``Class.method``) is defined in the Python file ``path``."""
    import ast

    scope: list[ast.stmt] = ast.parse(path.read_text(encoding="utf-8")).body
    for name in dotted.split("."):
        found = next(
            (
                node
                for node in scope
                if (isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == name)
                or (isinstance(node, ast.AnnAssign) and getattr(node.target, "id", "") == name)  # a field
            ),
            None,
        )
        if found is None:
            return False
        scope = getattr(found, "body", [])  # a field has nothing inside
    return True


def test_every_function_architecture_md_names_exists() -> None:
    """ARCHITECTURE.md's path of a key press names each hop as ``path/file.py:function`` (or
    ``:Class.method``): a hop renamed, moved or removed fails here until the page says the new one."""
    named = re.findall(r"`([\w/]+\.py):([\w.]+)`", (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8"))
    assert len(named) >= 10, named  # the search is not broken
    missing = [
        f"{path}:{name}" for path, name in named if not (ROOT / path).is_file() or not _defined(ROOT / path, name)
    ]
    assert missing == []


def test_the_panel_table_names_functions_that_exist() -> None:
    """The table of panels names what each reads and writes in store/ (``queries.open_petitions``,
    ``Dashboard.stalls``; a bare name after one is of the same module): each must exist there."""
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    table = text.split("## A panel is one module", 1)[1].split("\n\n", 2)[1]
    named, missing = [], []
    for row in table.splitlines()[2:]:
        for cell in row.split("|")[3:5]:  # its data, its writes
            module = ""
            for token in (t for quoted in re.findall(r"`([^`]+)`", cell) for t in quoted.split(" / ")):
                head, _, name = token.rpartition(".")
                if head:
                    module = head
                path = ROOT / "store" / f"{module}.py"
                if head in ("Dashboard",):
                    path, name = ROOT / "store" / "queries.py", f"Dashboard.{name}"
                elif len(name) < 3:  # a key (`l`)
                    continue
                named.append(f"{module}.{name}")
                if not path.is_file() or not _defined(path, name):
                    missing.append(token)
    assert len(named) >= 20, named  # the search is not broken
    assert missing == []


def test_the_path_of_a_key_press_is_ten_lines() -> None:
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    section = text.split("## One key press, to disk and back", 1)[1].split("\n## ", 1)[0]
    steps = re.findall(r"^\d+\. .*$", section, re.MULTILINE)
    assert len(steps) == 10 and all(re.search(r"`[\w/]+\.py:[\w.]+`", step) for step in steps), steps
