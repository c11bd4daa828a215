"""One language end to end: in zh mode no English word reaches the officer's screen.

Walks every screen of the dashboard (each panel and its zoom, the `?` help, the command palette
and its list, every form a key opens on each panel, each detail and list, a drop-down, the
status line after refusals) and reads what is painted there. Any run of two or more ASCII
letters outside an allow-list (case ids, key names the Footer and hints show, the account in the
header, text the store itself holds) fails the test, naming the screen and the word.
"""

from __future__ import annotations

import getpass
import re
from datetime import time

from textual import events
from textual.command import CommandPalette
from textual.pilot import Pilot

from duty_room.app import DutyRoomApp
from duty_room.config import Settings
from duty_room.panels.petitions import CASE_KEYS
from store.lifecycle import Action, perform
from store.models import ServiceSchedule, Stall
from store.roster import put_schedule
from store.storage import Store
from widgets.form import FormScreen

from pilot import desk_panel, drawn, loaded, screen_text, settled

SIZE = (120, 40)
ASCII_WORD = re.compile(r"[A-Za-z]{2,}")
KEY_NAMES = {
    "ctrl",
    "shift",
    "alt",
    "super",
    "esc",
    "tab",
    "enter",
    "space",
    "home",
    "end",
    "pgup",
    "pgdn",
    "del",
    "ins",
    "up",
    "down",
    "left",
    "right",
    "delete",
    "backspace",
    "insert",
}
ALLOWED = [
    re.compile(r"\bMK\d{6}-\d{3}\b"),  # case ids
    re.compile(r"\b1[3-9]\dx{8}\b"),  # the phone field's format hint, 138xxxxxxxx
    re.compile(r"\bSVG\b"),  # the screenshot's file format
    re.compile(r"\[red\]|\[/\]"),  # a case title in the test store, shown literally
]


def english_words(text: str, accounts: set[str]) -> set[str]:
    for account in accounts:  # OS accounts: who is signed in, who wrote a record
        text = text.replace(account, " ")
    for allowed in ALLOWED:
        text = allowed.sub(" ", text)
    # Key names, alone or joined: ctrl+p, ^p, shift+tab, Ctrl+S, F2.
    return {w for w in ASCII_WORD.findall(text) if w.casefold() not in KEY_NAMES and not re.fullmatch(r"[Ff]\d+", w)}


class Walk:
    """Visits screens and collects every English word seen, by where it was seen."""

    def __init__(self, app: DutyRoomApp, pilot: Pilot[None]) -> None:
        self.app, self.pilot = app, pilot
        self.found: dict[str, set[str]] = {}
        self.visited: list[str] = []
        self.helped: set[str] = set()

    async def look(self, where: str) -> str:
        await settled(self.app, self.pilot)
        self.visited.append(where)
        text = screen_text(self.app)
        words = english_words(text, {self.app.store.actor, "setup", getpass.getuser()})
        if words:
            self.found.setdefault(where, set()).update(words)
        return text

    async def press(self, *keys: str) -> None:
        for key in keys:
            await self.pilot.press(key)
            await settled(self.app, self.pilot)

    async def look_with_help(self, where: str) -> str:
        await self.look(where)
        # The screen's own keys in the help panel (`?` itself would be typed into a form's field).
        self.app.action_help()
        text = await self.look(f"{where} + ?")
        self.app.action_help()
        return text

    async def close(self) -> None:
        """Back to the dashboard: Esc until no screen is left on top."""
        for _ in range(4):
            if len(self.app.screen_stack) == 1:
                return
            await self.press("escape")

    async def each_form_key(self, panel: str, keys: list[str]) -> None:
        """Each key, and what it opened (or the refusal it said); `?` once per kind of screen."""
        for key in keys:
            await self.press(key)
            kind = type(self.app.screen).__name__
            where = f"panel {panel} key {key} ({kind})"
            if kind in self.helped:
                await self.look(where)
            else:
                self.helped.add(kind)
                await self.look_with_help(where)
            await self.close()


def with_every_state(store: Store) -> Store:
    """A resolved case (follow-up form), a vacant stall (application form), a recurring service
    changed once (its edit form, its history in the detail)."""
    perform(store, "MK261127-004", Action.RESOLVE, note="已修复")
    store.put(Stall(id="yl-02", market="玉兰商业街", community_id="yulan", number=2, goods="", monthly_fee_fen=20000))
    schedule = ServiceSchedule(
        id="sc-sci",
        kind="science",
        title="社区科普馆开放日",
        community_id="dongcheng",
        place="科普馆",
        start=time(14),
        end=time(16),
        recurrence="weekends",
    )
    put_schedule(store, schedule)
    put_schedule(store, schedule.model_copy(update={"start": time(14, 30)}))
    return store


async def test_every_screen_in_zh_mode_is_chinese(small_store: Store) -> None:
    store = with_every_state(small_store)
    app = DutyRoomApp(store, Settings(store=store.root, refresh_seconds=600, lang="zh"))
    async with app.run_test(size=SIZE) as pilot:
        await loaded(app, pilot)
        walk = Walk(app, pilot)
        await walk.press("ctrl+c")  # how to quit, in the status line
        await walk.look("dashboard, quit hint")
        await walk.press("question_mark")
        assert "退出值班室" in await walk.look("dashboard + ?")  # Textual's own quit key, its tooltip too
        await walk.press("question_mark")
        for number in "1234":
            await walk.press(number)
            await walk.look_with_help(f"panel {number}")
            await walk.press("z")
            await walk.look(f"panel {number} zoomed")
            await walk.press("z")
            await walk.press("ctrl+p")
            assert isinstance(app.screen, CommandPalette)
            await drawn(app, pilot)  # the palette gathers its commands in a worker: settled waits for it
            assert "主题" in await walk.look(f"panel {number} palette")  # what is read is what is painted
            await walk.press("down")
            await walk.look(f"panel {number} palette list")
            await walk.close()
            await walk.press("enter")
            await walk.look_with_help(f"panel {number} detail or list")
            await walk.close()

        # Panel 1: the intake form and its drop-down, the status modal, every step on every case.
        await walk.press("1", "n")
        assert "删除左侧字符" in await walk.look_with_help("intake form")  # the help panel, over the form
        assert "登记民情诉求" in await walk.look("intake form")
        await walk.press("tab", "tab", "enter")
        await walk.look("intake form, category drop-down")
        await walk.press("escape", "shift+tab", "shift+tab")  # the drop-down shut, back to the title
        app.post_message(events.Paste("路灯" * 50))
        await walk.press("ctrl+s")
        assert "100/80" in await walk.look("intake form, a title too long")
        await walk.press("escape")
        assert "放弃已填写的内容？" in await walk.look_with_help("intake form, Esc after typing")
        await walk.press("y")
        assert len(app.screen_stack) == 1
        await walk.press("slash", *"无此案", "enter")
        await walk.look("filter that matches nothing")
        await walk.press("slash", "escape")
        for row in range(4):
            desk_panel(app, "petitions").table.move_cursor(row=row)
            await walk.press("c")
            await walk.look(f"status modal, row {row}")
            await walk.close()
            await walk.each_form_key("1", [key for key, _ in CASE_KEYS])

        # Panel 2: a grid's households, their visit and petition forms, the roster, who is out.
        await walk.press("2", "home", "down", "down", "down", "enter")
        await walk.look_with_help("households")
        for key in ("v", "n", "m"):
            await walk.press(key)
            await walk.look(f"households key {key}")
            await walk.press("escape")
        await walk.press("f", "p")
        await walk.look("households, special only, reveal refused")
        await walk.close()
        await walk.each_form_key("2", ["r", "w", "t"])  # t on the community row: a refusal
        await walk.press("down")
        await walk.each_form_key("2", ["t"])
        # The roster's own forms: on a grid row (add, plan; edit and retire refused), on a worker row.
        await walk.press("r", "down", "down")
        forms = []
        for row in ("grid", "worker"):
            for key in ("a", "e", "x", "t"):
                await walk.press(key)
                await walk.look(f"roster, {row} row, key {key}")
                if isinstance(app.screen, FormScreen):
                    forms.append(f"{row} {key}")
                    await walk.press("ctrl+s")  # empty or unchanged: the reasons beside the fields (the plan is saved)
                    await walk.look(f"roster, {row} row, key {key}, submitted")
                    if isinstance(app.screen, FormScreen):
                        await walk.press("escape")
            await walk.press("down")
        assert forms == ["grid a", "grid t", "worker a", "worker e", "worker x"]
        await walk.close()

        # Panel 3: check in (written), complete, cancel; Panel 4: every permit step, pay, release.
        await walk.press("3")
        await walk.each_form_key("3", ["i", "d", "x", "i", "a", "e"])  # e on a one-off session: a refusal
        await walk.press("a", "ctrl+s")
        await walk.look("schedule form, every field refused")
        await walk.close()
        await walk.press("end")
        await walk.each_form_key("3", ["e"])
        await walk.press("enter")
        assert "安排改动记录" in await walk.look("schedule detail with its history")
        await walk.close()
        await walk.press("4", "home")
        await walk.each_form_key("4", ["a", "s", "y", "m", "x"])
        await walk.press("down")
        await walk.each_form_key("4", ["a", "y", "x"])
        assert len(walk.visited) > 80
        assert not walk.found, "\n".join(f"{where}: {sorted(words)}" for where, words in walk.found.items())
