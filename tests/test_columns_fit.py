"""At 80 columns every table shows every column, its heading whole, and never cuts a status or a time.

In English the case list was wider than the screen: "in progress", "public security", "neighbour
dispute" and "community" (a level) pushed Level and Age off the right edge, where only a sideways
scroll showed them. A few English words are shorter in a table cell (duty_room/words.py ``cell.``),
and after the title a case's category gives way, never below its heading.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from rich.text import Text

from duty_room import words
from duty_room.app import DutyRoomApp
from duty_room.panels.dutylog import INCIDENT_ROW
from store import clock
from store.demo import build_demo
from store.models import Category, Community, Level, Petition, PetitionStatus, Satisfaction, Visit
from store.storage import Store
from widgets.keyed_table import CELL_PADDING, KeyedTable, ellipsize

from pilot import NARROW, WIDE, cells_of, dashboard, desk_panel, screen_text, settled

# The columns that may be cut, with "…": free text, and a case's category after it. Any other
# column (a status, a level, a time, money, a count) shows every cell whole.
MAY_BE_CUT = (
    "col.title",
    "col.category",
    "col.grid",
    "col.service",
    "col.holder",
    "col.goods",
    "duty.col.from",
    "duty.col.content",
    "duty.col.action",
    "col.note",
)

WALKS: list[tuple[str, list[str]]] = [
    ("panel 1", ["1"]),
    ("panel 2", ["2"]),
    ("panel 3", ["3"]),
    ("panel 4", ["4"]),
    ("panel 5", ["5"]),
    ("ended cases", ["1", "l"]),
    ("households", ["2", "down", "down", "down", "enter"]),
    ("roster", ["2", "r"]),
    ("who is out", ["2", "w"]),
]


@pytest.fixture
def widest_store(tmp_path: Path, frozen_clock: str) -> Store:
    """The demo township, plus an open case of every category, level and open status (their widest
    English words) and one received half a year ago (its due and age the widest times), and an
    ended case of every rating."""
    root = tmp_path / "demo"
    build_demo(Store(root, actor="builder"))
    store = Store(root, actor="duty-officer")
    now = clock.now()
    model = next(p for p in store.all(Petition) if p.status is PetitionStatus.ACCEPTED)
    statuses = [s for s in PetitionStatus if s.is_open]
    cases = []
    for i, category in enumerate(Category):
        created = now - timedelta(days=2, hours=i)
        cases.append(
            model.model_copy(
                update={
                    "id": f"MK{created:%y%m%d}-9{i:02d}",
                    "category": category,
                    "level": list(Level)[i % len(Level)],
                    "status": statuses[i % len(statuses)],
                    "created_at": created,
                    "due_at": created + timedelta(days=1),
                    "history": [],
                }
            )
        )
    old = now - timedelta(days=180)
    cases.append(
        model.model_copy(
            update={"id": f"MK{old:%y%m%d}-901", "created_at": old, "due_at": old + timedelta(days=5), "history": []}
        )
    )
    for i, rating in enumerate(Satisfaction):
        created = now - timedelta(days=5, hours=i)
        cases.append(
            model.model_copy(
                update={
                    "id": f"MK{created:%y%m%d}-95{i}",
                    "category": Category.NEIGHBOUR,
                    "status": PetitionStatus.CLOSED,
                    "satisfaction": rating,
                    "solved": True,
                    "created_at": created,
                    "due_at": created + timedelta(days=1),
                    "closed_at": created + timedelta(hours=20),
                    "history": [],
                }
            )
        )
    with store.transaction() as tx:
        for case in cases:
            tx.put(case)
    return store


def table_problems(app: DutyRoomApp, where: str) -> list[str]:
    """What the table on screen hides: a column beyond its visible width, a heading not shown
    whole, a cell of a column that may not be cut that is."""
    [table] = [t for t in app.screen.query(KeyedTable) if t.display and t.region.width]
    visible = table.scrollable_content_region.width
    headings = [c.label for c in table._columns]
    widths = table.column_widths
    header_line = screen_text(app).splitlines()[table.region.y]
    problems = []
    if table.virtual_size.width > visible:
        problems.append(f"{where}: the table scrolls sideways ({table.virtual_size.width} > {visible} cells)")
    left = 0
    for column, (heading, width) in enumerate(zip(headings, widths, strict=True)):
        end = left + CELL_PADDING + width  # the blank after it may fall off the edge
        left = end + CELL_PADDING
        if end > visible:
            problems.append(f"{where}: {heading!r} ends at {end}, beyond the {visible} cells shown")
        if Text(heading).cell_len > width or f" {heading} " not in header_line:
            problems.append(f"{where}: heading {heading!r} not whole in {header_line.strip()!r}")
        if heading in {words.t(key, app.settings.lang) for key in MAY_BE_CUT}:
            continue
        for key in table.keys:
            text = table.cell(key, column)
            if text.cell_len > width:
                problems.append(f"{where}: {heading} {text.plain!r} cut to {width} cells")
    return problems


@pytest.mark.parametrize("lite", [False, True], ids=["full", "lite"])
@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_every_table_shows_every_column_at_80_columns(widest_store: Store, lang: str, lite: bool) -> None:
    problems: list[str] = []
    async with dashboard(widest_store, NARROW, lang=lang, lite=lite) as (app, pilot):
        assert "MK" in screen_text(app)
        for where, keys in WALKS:
            for key in keys:
                await pilot.press(key)
                await settled(app, pilot)
            problems += table_problems(app, where)
            while app.screen is not app.screen_stack[0]:
                await pilot.press("escape")
                await settled(app, pilot)
    assert problems == []


async def test_the_case_list_shows_the_english_cell_words_and_the_filter_finds_them(widest_store: Store) -> None:
    async with dashboard(widest_store, NARROW, lang="en") as (app, pilot):
        table = desk_panel(app, "petitions").table
        shown = {table.cell(key, 1).plain for key in table.keys} | {table.cell(key, 6).plain for key in table.keys}
        assert {"ongoing", "assigned", "block", "comm.", "town"} <= shown
        await pilot.press("slash", *"status:ongoing", "enter")
        await settled(app, pilot)
        statuses = {widest_store.get(Petition, key).status for key in table.keys}
        assert statuses == {PetitionStatus.IN_PROGRESS}
        detail = desk_panel(app, "petitions").detail_content(table.keys[0], reveal=False)
        assert detail is not None and "in progress" in " ".join(str(value) for _, value in detail.fields)


# In a third of the screen (panels 3-5 and 2 at 120x40) a column the detail line shows may be left
# out: a stall's holder and goods, a log entry's source and kind, a grid's progress bar (its count stays).
MAY_BE_LEFT_OUT = ("col.holder", "col.goods", "duty.col.from", "duty.col.kind", "col.progress")
# What each panel's table shows whole in every row, whatever the width: money, statuses, times, counts.
MUST_BE_WHOLE = {
    "petitions": ("col.id", "col.status", "col.due", "col.level", "col.age"),
    "visits": ("col.visited", "col.unvisited_special"),
    "services": ("col.time", "col.state"),
    "stalls": ("col.stall", "col.permit", "col.arrears", "col.today", "col.fee_due"),
    "dutylog": ("col.time",),
}


def shown_problems(app: DutyRoomApp, name: str, where: str) -> list[str]:
    """What a panel's table hides, read off the screen: a sideways scroll, a heading not shown whole
    (unless its column may be left out), a cell of a column in ``MUST_BE_WHOLE`` not whole on its row's
    line, the log's incident rows without their report due whole, the log's actions not on screen."""
    lang = app.settings.lang
    table = desk_panel(app, name).table
    region = table.scrollable_content_region
    screen = screen_text(app).splitlines()
    lines = [cells_of(screen[y], region.x, region.right) for y in range(region.y, region.bottom)]
    problems = []
    if table.max_scroll_x > 0:
        problems.append(f"{where}: the table scrolls sideways ({table.virtual_size.width} > {region.width} cells)")
    header, rows = lines[0], lines[1:]
    keys = table.keys[round(table.scroll_y) :][: len(rows)]
    headings = [c.label for c in table._columns]
    left_out = {words.t(key, lang) for key in MAY_BE_LEFT_OUT}
    whole = {words.t(key, lang) for key in MUST_BE_WHOLE[name]}
    for column, heading in enumerate(headings):
        shown = f" {heading} " in header + " "
        if not shown:
            if heading not in left_out:
                problems.append(f"{where}: heading {heading!r} not whole in {header.strip()!r}")
            continue
        for key, line in zip(keys, rows, strict=False):
            text = table.cell(key, column).plain
            if heading in whole and text not in line:
                problems.append(f"{where}: {heading} {text!r} not whole in {line.strip()!r}")
            if name == "dutylog" and heading == words.t("duty.col.action", lang):
                if key.startswith(INCIDENT_ROW) and text not in line:
                    problems.append(f"{where}: the report due {text!r} not whole in {line.strip()!r}")
                if text[:3] not in line:  # free text may be cut, but is on screen
                    problems.append(f"{where}: the action {text!r} not in {line.strip()!r}")
    if name == "visits":  # a grid's name may be cut, but not so far that two grids look the same
        seen: dict[str, str] = {}
        for slot, key in enumerate(table.keys):
            line = table._row_line(slot).crop(0, region.width).text
            shown = line[: line.index(table.cell(key, 2).plain.strip() or "/")].rstrip()
            name_of = table.cell(key, 0).plain
            if seen.setdefault(shown, name_of) != name_of:
                problems.append(f"{where}: {seen[shown]!r} and {name_of!r} both show as {shown.strip()!r}")
    return problems


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["120x40", "80x24"])
@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_each_panel_shows_its_money_times_statuses_and_actions_whole(
    widest_store: Store, lang: str, size: tuple[int, int]
) -> None:
    """At 120x40 panels 4 and 5 are a third of the screen: a stall's monthly fee and a log row's
    action were beyond the right edge (the table scrolled sideways), and panel 2 in English too."""
    problems: list[str] = []
    async with dashboard(widest_store, size, lang=lang) as (app, pilot):
        for number, name in enumerate(("petitions", "visits", "services", "stalls", "dutylog"), start=1):
            await pilot.press(str(number))
            await settled(app, pilot)
            problems += shown_problems(app, name, f"panel {number} at {size[0]}x{size[1]}")
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_in_a_third_of_the_screen_the_place_gives_way_before_the_service(widest_store: Store, lang: str) -> None:
    """Panel 3 at 120x40 cut every service to three characters (老 入户…) and kept the place whole
    (东城花园) with room to spare: the row is about its service. The place gives way first, to 东城…"""
    async with dashboard(widest_store, WIDE, lang=lang) as (app, pilot):
        await pilot.press("3")
        await settled(app, pilot)
        table = desk_panel(app, "services").table
        service, place = table.column_widths[2], table.column_widths[3]
        assert service is not None and place is not None
        if any(table.cell(key, 2).cell_len > service for key in table.keys):  # a service is cut
            assert place <= max(5, Text(words.t("col.place", lang)).cell_len), (service, place)
        assert service >= 11, service  # 老 入户送餐… : a service's first four characters
        lines = screen_text(app).splitlines()
        assert any("东城…" in line for line in lines[table.region.y : table.region.bottom])


def blank_after_last_column(table: KeyedTable) -> int:
    used = sum(w + 2 * CELL_PADDING for w in table.column_widths if w is not None)
    return table.scrollable_content_region.width - used


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("where", ["ended cases", "panel 1 zoomed"])
async def test_a_title_is_cut_only_when_the_table_has_no_room_left(widest_store: Store, lang: str, where: str) -> None:
    """At 120 columns the ended cases cut every title at 22 cells (9号楼下水道堵塞污水外…) while 34
    columns stayed blank, as did panel 1 zoomed: the row was cut to a fixed width before the table
    fitted it. The title takes the room there is."""
    async with dashboard(widest_store, WIDE, lang=lang) as (app, pilot):
        await pilot.press("1", "l" if where == "ended cases" else "z")
        await settled(app, pilot)
        [table] = [t for t in app.screen.query(KeyedTable) if t.display and t.region.width]
        title = table.column_widths[3]
        assert title is not None
        # Cut by the table (wider than its column) or before it (ending in …).
        cut = [
            t.plain for t in (table.cell(key, 3) for key in table.keys) if t.cell_len > title or t.plain.endswith("…")
        ]
        if cut:
            assert blank_after_last_column(table) <= CELL_PADDING, (cut, table.column_widths)
        shown = screen_text(app)
        assert "9号楼下水道堵塞污水外溢" in shown or where == "panel 1 zoomed"  # the demo's longest ended title, whole


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["120x40", "80x24"])
@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_vacant_stall_says_so_whole_or_the_holders_are_left_out(
    widest_store: Store, lang: str, size: tuple[int, int]
) -> None:
    """Panel 4 at 120x40 cut (空位) to (空…: a label, not a name. It is as wide as a masked name now
    (空位), so the holders stay whole; where it does not fit, the holder column is left out as in
    English (the detail line names the holder; zoom shows the column), never cut."""
    vacant = words.t("stall.no_holder", lang)
    cut_forms = {ellipsize(Text(vacant), width).plain for width in range(3, Text(vacant).cell_len)}  # 空…, (v…
    async with dashboard(widest_store, size, lang=lang) as (app, pilot):
        for keys in (["4"], ["z"]):  # in its place (a third of the screen at 120x40), then zoomed
            await pilot.press(*keys)
            await settled(app, pilot)
            table = desk_panel(app, "stalls").table
            holder = table.column_widths[4]
            lines = screen_text(app).splitlines()[table.region.y : table.region.bottom]
            assert not any(form in line for form in cut_forms for line in lines), lines
            if holder is not None:
                assert holder >= Text(vacant).cell_len
                assert any(vacant in line for line in lines)
        assert holder is not None  # zoomed, it is shown


LONG_NOTE = "帮老人更换灯泡，检查门窗，发现厨房燃气软管老化开裂，已联系燃气公司明天上门更换并提醒家属"
LONGER_COMMUNITY = "东侧新建安置小区社区"

# Where a row cut its free text to a fixed width before the table fitted it (panel 5 zoomed at 120x40:
# content at 40 cells, action at 30, source at 14, with about 30 columns blank).
ROOMY: list[tuple[str, list[str]]] = [
    ("panel 5 zoomed", ["5", "z"]),
    ("panel 3 zoomed", ["3", "z"]),
    ("households", ["2", "down", "down", "down", "enter"]),
    ("who is out", ["2", "w"]),
]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(("where", "keys"), ROOMY, ids=[where for where, _ in ROOMY])
async def test_free_text_is_cut_only_when_the_table_has_no_room_left(
    widest_store: Store, lang: str, where: str, keys: list[str]
) -> None:
    """A log entry's content, action and source, an incident's place and title, a visit's note, a
    worker's grid and a session's place are cut by the table to the room there is, not by the row to
    a fixed width: a cell is cut only where the columns fill the width."""
    with widest_store.transaction() as tx:
        for visit in widest_store.all(Visit, clock.now().date().isoformat()):
            tx.put(visit.model_copy(update={"note": LONG_NOTE}))
        for community in widest_store.all(Community):  # 东城花园东侧新建安置小区 in a row: 24 cells
            tx.put(community.model_copy(update={"name": community.name.replace("社区", LONGER_COMMUNITY)}))
    async with dashboard(widest_store, WIDE, lang=lang) as (app, pilot):
        for key in keys:
            await pilot.press(key)
            await settled(app, pilot)
        [table] = [t for t in app.screen.query(KeyedTable) if t.display and t.region.width]
        cut = []
        for column, (heading, width) in enumerate(zip(table._columns, table.column_widths, strict=True)):
            if width is None:
                continue
            cells = (table.cell(key, column) for key in table.keys)
            # Cut by the table (wider than its column) or before it (ending in …).
            cut += [(heading.label, t.plain) for t in cells if t.cell_len > width or t.plain.endswith("…")]
        assert table.keys
        if cut:
            assert blank_after_last_column(table) <= CELL_PADDING, (cut, table.column_widths)


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["120x40", "80x24"])
@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_log_entrys_content_has_the_room_before_its_source_and_action(
    widest_store: Store, lang: str, size: tuple[int, int]
) -> None:
    """Panel 5 at 80x24 cut every entry's content to five cells (东城花…) and its source to one
    character (东…) while the action took 44: what an entry says matters most. The source and the
    action give way first (the action to six characters, an incident's next report whole); at 80
    columns 15 or more characters of the content show, and in a third of the screen (120x40) six."""
    async with dashboard(widest_store, size, lang=lang) as (app, pilot):
        await pilot.press("5")
        await settled(app, pilot)
        table = desk_panel(app, "dutylog").table
        _, _, source, content, action = table.column_widths
        assert content is not None and action is not None
        cut = [key for key in table.keys if table.cell(key, 3).cell_len > content]
        assert cut, "the demo's contents fit whole: nothing is tested"
        assert action <= max(14, Text(words.t("duty.col.action", lang)).cell_len), table.column_widths
        assert content >= (30 if size == NARROW else 12), table.column_widths
        if size == NARROW:
            assert source is not None and source >= 6, table.column_widths  # 东城…, not 东…


async def test_beside_the_help_at_120_columns_no_table_scrolls_sideways(widest_store: Store) -> None:
    """`?` at 120x40 docks the keys beside the panels, leaving them 81 columns: they stayed five to
    the screen, 27 columns each, where four tables scrolled sideways (panel 4's 今日 shown as 今).
    Narrower than 100 columns, the panels are laid out as at 80 columns; the help closed, as before."""

    def shown() -> list[KeyedTable]:
        return [t for t in app.screen.query(KeyedTable) if t.display and t.region.width]

    async with dashboard(widest_store, WIDE) as (app, pilot):
        await pilot.press("question_mark")
        await settled(app, pilot)
        assert app.screen.query("HelpPanel")
        sideways = [
            f"{t.parent.id}: {t.virtual_size.width} > {t.scrollable_content_region.width}"
            for t in shown()
            if t.virtual_size.width > t.scrollable_content_region.width
        ]
        assert sideways == [] and len(shown()) == 1
        assert table_problems(app, "beside the help") == []
        await pilot.press("escape")
        await settled(app, pilot)
        assert not app.screen.query("HelpPanel") and len(shown()) == 5
