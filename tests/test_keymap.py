"""A [keymap] that would take another binding's key, or give a form's key to the text field, is
refused with one line naming both (exit 1, as every bad setting); Textual applied it silently."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.dom import DOMNode

import duty_room.app  # noqa: F401  (every panel, widget and screen class, for the bindings they declare)
from duty_room.cli import cli
from duty_room.exits import ExitCode
from duty_room.keymap import clashes, places, unknown
from duty_room.localize import _classes
from duty_room.panels import PANEL_TYPES
from store.storage import Store
from widgets.form import FormScreen

from pilot import dashboard, settled

CLASHES = [
    (
        {"petition.accept": "d"},
        'petition.accept = "d"：d 在「民情诉求」面板中已用于 petition.dispatch',
        'petition.accept = "d": d already belongs to petition.dispatch in the Petitions panel',
    ),
    (
        {"petition.status": "c,q"},
        'petition.status = "c,q"：q 在「民情诉求」面板中已用于 app.quit',
        'petition.status = "c,q": q already belongs to app.quit in the Petitions panel',
    ),
    (
        {"panel.zoom": "q"},
        'panel.zoom = "q"：q 在所有界面中已用于 app.quit',
        'panel.zoom = "q": q already belongs to app.quit in every screen',
    ),
    (
        {"services.check_in": "d"},
        'services.check_in = "d"：d 在「一老一小」面板中已用于 services.complete',
        'services.check_in = "d": d already belongs to services.complete in the Services panel',
    ),
    (
        {"discard.yes": "n"},
        'discard.yes = "n"：n 在「放弃已填写的内容？」的询问中已用于 discard.no',
        'discard.yes = "n": n already belongs to discard.no in the discard question',
    ),
    (
        {"list.visit": "j"},
        'list.visit = "j"：j 在住户列表中已用于 table.down',
        'list.visit = "j": j already belongs to table.down in a grid\'s household list',
    ),
    (
        {"detail.close": "p"},
        'detail.close = "p"：p 在详情中已用于 detail.reveal',
        'detail.close = "p": p already belongs to detail.reveal in a detail',
    ),
    (
        {"form.submit": "s"},
        'form.submit = "s"：在表单中按 s 是往输入框里打字，form.submit 就用不上了',
        'form.submit = "s": in a form, s is typed into the text field, so form.submit would never act',
    ),
    (
        {"modal.cancel": "space"},
        'modal.cancel = "space"：在选择对话框中按 space 是往输入框里打字，modal.cancel 就用不上了',
        'modal.cancel = "space": in a choice dialog, space is typed into the text field, so modal.cancel would never act',
    ),
    (
        {"filter.close": "slash"},
        'filter.close = "slash"：在案件筛选框中按 slash 是往输入框里打字，filter.close 就用不上了',
        'filter.close = "slash": in the case filter, slash is typed into the text field, so filter.close would never act',
    ),
    (
        {"form.cancel": "left"},
        'form.cancel = "left"：在表单中 left 由输入框或按钮自己使用，form.cancel 就用不上了',
        'form.cancel = "left": in a form, the field or button in focus takes left itself, so form.cancel would never act',
    ),
    (
        {"form.submit": "ctrl+q"},
        'form.submit = "ctrl+q"：ctrl+q 在表单中已用于 Textual 自带的「退出」',
        "form.submit = \"ctrl+q\": ctrl+q already belongs to Textual's own 'Quit' in a form",
    ),
]


@pytest.mark.parametrize(("keymap", "zh", "en"), CLASHES, ids=[str(k) for k, _, _ in CLASHES])
def test_a_key_another_binding_or_the_text_field_takes_is_named(keymap: dict[str, str], zh: str, en: str) -> None:
    (clash,) = clashes(keymap)
    assert clash.message("zh") == f"配置有误：[keymap] {zh}"
    assert clash.message("en") == f"bad configuration: [keymap] {en}"


@pytest.mark.parametrize(
    "keymap",
    [
        {"petition.status": "c,f2", "panel.zoom": "f11"},  # README's example
        {"petition.accept": "d", "petition.dispatch": "a"},  # two keys swapped
        {"form.submit": "ctrl+o", "form.cancel": "f10", "filter.close": "f8", "detail.reveal": "f9"},
        {"list.close": "backspace", "list.reveal": "f9", "list.visit": "f5"},
        {"panel.zoom": "Z"},  # typed in a form like every letter: only the form's own keys must reach past the field
        {"app.quit": "ctrl+q"},  # Textual's own ctrl+q quits too
        {"petition.accept": "A", "table.down": "j,ctrl+n"},
        {"list.close": "escape,q"},  # its own keys: q closes a list as it always did, before the app's quit
    ],
)
def test_a_keymap_that_takes_no_key_passes(keymap: dict[str, str]) -> None:
    assert clashes(keymap) == []


def test_every_binding_id_is_looked_at_somewhere() -> None:
    """A screen or widget added with keys of its own must be added to keymap.places(), or a clash
    there would go unseen again."""
    declared = {
        b.id
        for cls in _classes(DOMNode)
        if cls._merged_bindings and cls.__module__.startswith(("duty_room", "widgets"))
        for group in cls._merged_bindings.key_to_bindings.values()
        for b in group
        if b.id
    }
    declared |= {f"list.{name}" for panel in PANEL_TYPES for keys in panel.LIST_KEYS.values() for _, name in keys}
    looked_at = {b.id for place in places() for link in place.chain for b in link if b.id}
    assert sorted(declared - looked_at) == []


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        (
            "zh",
            'duty-room: 配置有误：[keymap] petition.accept = "d"：d 在「民情诉求」面板中已用于 petition.dispatch'
            "（另有 1 处冲突）\n",
        ),
        (
            "en",
            'duty-room: bad configuration: [keymap] petition.accept = "d": d already belongs to petition.dispatch '
            "in the Petitions panel (and 1 more)\n",
        ),
    ],
)
def test_the_dashboard_refuses_a_keymap_that_takes_a_key(
    small_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str, line: str
) -> None:
    """It opened, and `d` accepted the case: 派单 had no key left and nothing said so."""
    config = tmp_path / "config.toml"
    config.write_text('[keymap]\n"petition.accept" = "d"\n"form.submit" = "s"\n', encoding="utf-8")
    monkeypatch.setenv("DUTY_ROOM_CONFIG", str(config))
    result = CliRunner().invoke(cli, ["--store", str(small_store.root), "--lang", lang])
    assert (result.exit_code, result.output) == (ExitCode.REFUSED, line)
    for command in (["summary"], ["check"]):  # the keymap is the dashboard's: other commands do not read it
        assert CliRunner().invoke(cli, ["--store", str(small_store.root), *command]).exit_code in (0, 1)


async def test_what_such_a_keymap_did(small_store: Store) -> None:
    """Why it is refused: given to the dashboard anyway (as a test can), `d` accepts and nothing
    dispatches; `s` in a form is a letter of the title, never a submit."""
    async with dashboard(small_store, keymap={"petition.accept": "d", "form.submit": "s"}) as (app, pilot):
        await pilot.press("d")
        await settled(app, pilot)
        assert isinstance(app.screen, FormScreen) and "受理" in app.screen.texts.title
        await pilot.press("escape")
        await settled(app, pilot)
        await pilot.press("n", "s")
        await settled(app, pilot)
        assert isinstance(app.screen, FormScreen) and app.screen.focused.value == "s"  # type: ignore[union-attr]


def test_the_readme_names_every_binding_id() -> None:
    """The refusal names bindings by id: each is listed where README says how to remap keys."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    listed = readme[readme.index("Binding ids:") : readme.index("A keymap may not take a key")]
    ids = {b.id for place in places() for link in place.chain for b in link if b.id}
    numbered = {f"panel.{n}" for n in range(2, 5)}  # panel.1–panel.5
    assert sorted(i for i in ids - numbered if f"`{i}`" not in listed) == []


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        (
            "zh",
            "duty-room: 配置有误：[keymap] 没有叫 petition.stauts 的按键（README 列有全部按键编号）；是不是 petition.status？\n",
        ),
        (
            "en",
            "duty-room: bad configuration: [keymap] no binding is called petition.stauts (README lists every binding "
            "id); did you mean petition.status?\n",
        ),
    ],
)
def test_the_dashboard_refuses_a_keymap_naming_no_binding(
    small_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str, line: str
) -> None:
    """A typo in a binding id: Textual ignored it, and the key the officer meant to move stayed where it was."""
    config = tmp_path / "config.toml"
    config.write_text('[keymap]\n"petition.stauts" = "f2"\n', encoding="utf-8")
    monkeypatch.setenv("DUTY_ROOM_CONFIG", str(config))
    result = CliRunner().invoke(cli, ["--store", str(small_store.root), "--lang", lang])
    assert (result.exit_code, result.output) == (ExitCode.REFUSED, line)


def test_an_id_far_from_every_binding_is_named_without_a_guess() -> None:
    assert unknown({"petition.status": "f2", "zzz": "f3"}) == [("zzz", "")]


@pytest.mark.parametrize("keys", ["f2, ctrl+y", "+"], ids=["a space after the comma", "a character"])
async def test_a_key_written_as_a_person_writes_it_works(small_store: Store, keys: str) -> None:
    """Textual's BindingsMap.apply_keymap keeps a value as written (`f2, ctrl+y` binds ` ctrl+y`);
    the keys the dashboard ends up with are spelled as a key press is (`ctrl+y`, `plus`)."""
    pressed = "ctrl+y" if "ctrl+y" in keys else "plus"
    async with dashboard(small_store, keymap={"petition.accept": keys}) as (app, pilot):
        await pilot.press(pressed)
        await settled(app, pilot)
        assert isinstance(app.screen, FormScreen) and "受理" in app.screen.texts.title
