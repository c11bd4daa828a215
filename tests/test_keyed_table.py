"""KeyedTable in a tiny app: what a key-addressed update repaints, the cursor, the column widths."""

from __future__ import annotations

from collections.abc import Collection

import pytest
from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.geometry import Region
from textual.widgets import Static

from widgets.keyed_table import Column, KeyedTable, LazyRow, Row, ellipsize, fit_widths, measured

COLUMNS = ["编号", "状态", Column("诉求", shrink=True), "欠费"]


def row(key: str, status: str = "待受理", title: str = "路灯不亮", money: str = "¥150.00") -> Row:
    return Row(key, (Text(key), Text(status), Text(title), Text(money)))


ROWS = [row(f"MK-{i}") for i in range(6)]


class TableApp(App[None]):
    def __init__(self, columns: list[str | Column] | None = None, rows: list[Row] | None = None) -> None:
        super().__init__()
        self.columns = columns or COLUMNS
        self.rows = rows if rows is not None else ROWS
        self.selected: list[tuple[str, str]] = []

    def compose(self) -> ComposeResult:
        yield KeyedTable(self.columns, id="t")

    def on_mount(self) -> None:
        table = self.query_one(KeyedTable)
        table.sync(self.rows)
        table.focus()

    @on(KeyedTable.RowSelected)
    def _selected(self, event: KeyedTable.RowSelected) -> None:
        self.selected.append((event.table.id or "", event.key))


def record_lines(table: KeyedTable) -> list[int]:
    """Spy on the lines Textual asks the table to render (0 is the header)."""
    seen: list[int] = []
    render_line = table.render_line

    def spy(y: int) -> int:
        seen.append(y)
        return render_line(y)

    table.render_line = spy  # type: ignore[method-assign]
    return seen


async def test_a_changed_cell_repaints_only_its_line() -> None:
    app = TableApp()
    async with app.run_test(size=(80, 12)) as pilot:
        await pilot.pause()
        table = app.query_one(KeyedTable)
        seen = record_lines(table)
        changed = table.sync([*ROWS[:3], row("MK-3", status="处置中"), *ROWS[4:]])
        await pilot.pause()
        assert changed == 1
        assert table.cell("MK-3", 1).plain == "处置中"
        assert set(seen) == {4}  # slot 3, under the header line
        seen.clear()
        assert table.sync([*ROWS[:3], row("MK-3", status="处置中"), *ROWS[4:]]) == 0  # nothing new
        await pilot.pause()
        assert seen == []


async def test_a_row_moving_up_repaints_the_lines_between() -> None:
    app = TableApp()
    async with app.run_test(size=(80, 12)) as pilot:
        await pilot.pause()
        table = app.query_one(KeyedTable)
        seen = record_lines(table)
        moved = [ROWS[0], ROWS[4], ROWS[1], ROWS[2], ROWS[3], ROWS[5]]  # MK-4 moves up to slot 1
        table.sync(moved)
        await pilot.pause()
        assert table.keys == [r.key for r in moved]
        assert set(seen) == {2, 3, 4, 5}  # slots 1-4; the header and slots 0 and 5 are untouched


async def test_cursor_follows_its_key_when_rows_move_or_go() -> None:
    app = TableApp()
    async with app.run_test(size=(80, 12)) as pilot:
        await pilot.pause()
        table = app.query_one(KeyedTable)
        await pilot.press("j", "j")
        assert table.cursor_key == "MK-2" and table.cursor_row == 2
        table.sync(ROWS[1:])  # the top row went: MK-2 is now in slot 1
        assert table.cursor_key == "MK-2" and table.cursor_row == 1
        table.sync([ROWS[5], ROWS[2], ROWS[1]])
        assert table.cursor_key == "MK-2" and table.cursor_row == 1
        table.sync([ROWS[5], ROWS[1]])  # the cursor's own row went: the cursor keeps its slot
        assert table.cursor_key == "MK-1" and table.cursor_row == 1
        table.sync([])
        assert table.cursor_key is None and table.keys == []


async def test_select_key_waits_for_the_row_and_a_move_in_between_forgets_it() -> None:
    """A record just created: the cursor goes to its row once a sync shows it, wherever it sorts."""
    app = TableApp()
    async with app.run_test(size=(80, 12)) as pilot:
        await pilot.pause()
        table = app.query_one(KeyedTable)
        await pilot.press("j")
        table.select_key("MK-new")  # not shown yet: the cursor stays
        assert table.cursor_key == "MK-1"
        table.sync(ROWS[:1])
        assert table.cursor_key == "MK-0"
        table.sync([*ROWS[:3], row("MK-new"), *ROWS[3:]])  # it sorts in the middle
        assert table.cursor_key == "MK-new" and table.cursor_row == 3
        table.sync([row("MK-new"), *ROWS])  # once there, it is the cursor's row as any other
        assert table.cursor_key == "MK-new" and table.cursor_row == 0
        table.select_key("MK-4")  # shown: at once
        assert table.cursor_key == "MK-4"
        table.select_key("MK-later")
        await pilot.press("k")  # the officer moved on: no jump when it comes
        table.sync([row("MK-later"), *ROWS])
        assert table.cursor_key == "MK-3"


async def test_keys_move_the_cursor_and_enter_selects() -> None:
    rows = [row(f"MK-{i:02}") for i in range(30)]
    app = TableApp(rows=rows)
    async with app.run_test(size=(80, 12)) as pilot:
        await pilot.pause()
        table = app.query_one(KeyedTable)
        await pilot.press("down", "j", "k")
        assert table.cursor_row == 1
        await pilot.press("end")
        assert table.cursor_key == "MK-29"
        assert table.scroll_y > 0  # the last row was scrolled into view
        await pilot.press("home")
        assert table.cursor_row == 0 and table.scroll_y == 0
        await pilot.press("pagedown")
        page = table.cursor_row
        assert page >= 5  # a screenful of rows (12 lines less the header)
        await pilot.press("pageup")
        assert table.cursor_row == 0
        await pilot.press("j", "enter")
        await pilot.pause()
        assert app.selected == [("t", "MK-01")]


async def test_keymap_by_binding_id() -> None:
    app = TableApp()
    async with app.run_test(size=(80, 12)) as pilot:
        app.set_keymap({"table.down": "n", "panel.detail": "f5"})
        await pilot.pause()
        table = app.query_one(KeyedTable)
        await pilot.press("n", "n")
        assert table.cursor_key == "MK-2"
        await pilot.press("f5")
        await pilot.pause()
        assert app.selected == [("t", "MK-2")]


async def test_click_selects_the_row() -> None:
    app = TableApp()
    async with app.run_test(size=(80, 12)) as pilot:
        await pilot.pause()
        await pilot.click(KeyedTable, offset=(3, 3))  # line 3: slot 2
        await pilot.pause()
        assert app.query_one(KeyedTable).cursor_key == "MK-2"
        assert app.selected == [("t", "MK-2")]


def test_fit_widths_shrinks_only_the_free_text() -> None:
    # 2 cells of padding per column: 10+6+30+8 + 8 = 62 cells wanted.
    assert fit_widths([10, 6, 30, 8], [None, None, 8, None], 62) == [10, 6, 30, 8]
    assert fit_widths([10, 6, 30, 8], [None, None, 8, None], 50) == [10, 6, 18, 8]
    # Never below its floor, and the other columns are never cut: the table scrolls instead.
    assert fit_widths([10, 6, 30, 8], [None, None, 8, None], 20) == [10, 6, 8, 8]
    # Two free-text columns give up width widest first and end even.
    assert fit_widths([20, 12, 4], [8, 8, None], 34) == [12, 12, 4]


def test_a_later_column_gives_way_only_once_the_free_text_is_at_its_floor() -> None:
    # A title (30, floor 7) and a category (17, floor 8, later): 10+30+17 + 6 = 63 cells wanted.
    later = [False, False, True]
    assert fit_widths([10, 30, 17], [None, 7, 8], 50, later) == [10, 17, 17]
    assert fit_widths([10, 30, 17], [None, 7, 8], 40, later) == [10, 7, 17]
    assert fit_widths([10, 30, 17], [None, 7, 8], 30, later) == [10, 7, 8]
    assert fit_widths([10, 30, 17], [None, 7, 8], 20, later) == [10, 7, 8]  # never below its floor
    # Its floor is its heading's width, whatever min_width says.
    assert Column("Category", shrink=True, min_width=4, after_free_text=True).floor == 8
    assert Column("Goods", shrink=True, min_width=4).floor == 4
    assert Column("Status").floor is None


def test_columns_marked_drop_are_left_out_lowest_first_only_when_the_floors_do_not_fit() -> None:
    # An id (4), a holder (10, floor 4, dropped second), money (6), goods (12, floor 4, dropped first):
    # 32 cells of text + 8 of padding.
    natural, floors, drop = [4, 10, 6, 12], [None, 4, None, 4], [None, 2, None, 1]
    assert fit_widths(natural, floors, 40, drop=drop) == [4, 10, 6, 12]
    assert fit_widths(natural, floors, 26, drop=drop) == [4, 4, 6, 4]  # at their floors: all shown
    assert fit_widths(natural, floors, 25, drop=drop) == [4, 4, 6, 4]  # only the last blank is beyond
    assert fit_widths(natural, floors, 24, drop=drop) == [4, 8, 6, None]  # the goods go; the holder widens
    assert fit_widths(natural, floors, 12, drop=drop) == [4, None, 6, None]  # the money stays
    assert fit_widths(natural, floors, 8, drop=drop) == [4, None, 6, None]  # then it scrolls


async def test_a_left_out_column_is_not_drawn_and_comes_back_when_the_table_widens() -> None:
    columns = ["编号", Column("摊主", shrink=True, min_width=4, drop=2), "月费", Column("经营", shrink=True, drop=1)]
    rows = [Row("A1", (Text("A1"), Text("何**"), Text("¥150"), Text("电子产品回收")))]
    app = TableApp(columns=columns, rows=rows)
    async with app.run_test(size=(24, 6)) as pilot:
        await pilot.pause()
        table = app.query_one(KeyedTable)
        assert table.column_widths == [4, 4, 4, None]
        assert table.render_line(0).text.split() == ["编号", "摊主", "月费"]
        assert table.render_line(1).text.split() == ["A1", "何**", "¥150"]
        assert table.max_scroll_x == 0
        table.sync([Row("A1", (Text("A1"), Text("何**"), Text("¥1,150"), Text("电子产品回收")))])
        await pilot.pause()
        assert table.render_line(1).text.split() == ["A1", "何**", "¥1,150"]  # repainted where it is

        await pilot.resize_terminal(60, 6)
        await pilot.pause()
        assert table.render_line(1).text.split() == ["A1", "何**", "¥1,150", "电子产品回收"]


async def test_a_cell_a_row_marks_whole_is_never_cut_in_a_shrinking_column() -> None:
    columns = ["时间", Column("内容", shrink=True), Column("处理", shrink=True, after_free_text=True)]
    rows = [
        Row("e", (Text("08:31"), Text("东城花园3号楼门口井盖松动"), Text("已通知综合执法队设置警示"))),
        Row("i", (Text("08:45"), Text("燃气泄漏"), Text("续报超时 13:30")), whole=frozenset({2})),
    ]
    app = TableApp(columns=columns, rows=rows)
    async with app.run_test(size=(32, 6)) as pilot:  # 5 + 8 (the content's floor) + 14 + 6 of padding - 1
        await pilot.pause()
        table = app.query_one(KeyedTable)
        assert "续报超时 13:30" in table.render_line(2).text
        assert table.max_scroll_x == 0
        assert "已通知综合执法队设置警示" not in table.render_line(1).text  # the free text gives way


async def test_columns_shrink_the_free_text_first_and_widen_again() -> None:
    long_title = "小区主干道路灯不亮已经三天了夜里出行很不安全"
    rows = [row("MK-1", status="处置中", title=long_title, money="¥1,234.50")]
    app = TableApp(rows=rows)
    async with app.run_test(size=(40, 8)) as pilot:
        await pilot.pause()
        table = app.query_one(KeyedTable)
        id_w, status_w, title_w, money_w = table.column_widths
        assert (id_w, status_w, money_w) == (4, 6, 9)  # natural widths: nothing cut
        assert title_w < Text(long_title).cell_len
        line = table.render_line(1).text
        assert "处置中" in line and "¥1,234.50" in line and "…" in line
        assert Text(line).cell_len == 40  # the line fills the widget

        await pilot.resize_terminal(100, 8)  # a wider widget (as when zoomed) lays out again
        await pilot.pause()
        assert table.column_widths == [4, 6, Text(long_title).cell_len, 9]
        assert long_title in table.render_line(1).text


async def test_plain_string_columns_shrink_the_widest() -> None:
    long_title = "一二三四五六七八九十一二三四五六七八九十"
    app = TableApp(columns=["编号", "状态", "诉求", "欠费"], rows=[row("MK-1", title=long_title)])
    async with app.run_test(size=(40, 8)) as pilot:
        await pilot.pause()
        widths = app.query_one(KeyedTable).column_widths
        assert widths[0] == 4 and widths[1] == 6 and widths[3] == 7
        assert widths[2] < Text(long_title).cell_len


async def test_a_cell_whose_only_change_is_its_style_is_repainted() -> None:
    app = TableApp()
    async with app.run_test(size=(80, 12)) as pilot:
        await pilot.pause()
        table = app.query_one(KeyedTable)
        seen = record_lines(table)
        red = Row("MK-1", (Text("MK-1", style="bold red"), *ROWS[1].cells[1:]))  # same words, now overdue
        assert table.sync([ROWS[0], red, *ROWS[2:]]) == 1
        await pilot.pause()
        assert set(seen) == {2}
        assert table.cell("MK-1", 0).style == "bold red"


async def test_a_list_screen_binds_its_own_keys_by_id() -> None:
    from widgets.table_screen import ListAction, TableScreen

    class ListApp(App[None]):
        def __init__(self) -> None:
            super().__init__()
            self.requested: list[tuple[str, str | None]] = []

        def on_mount(self) -> None:
            self.set_keymap({"list.visit": "f5"})
            screen = TableScreen("households", "网格", ["户", "状态"], [ListAction("v", "visit", "走访")])
            self.push_screen(screen)
            screen.show(Text(""), [Row("h1", (Text("1-1"), Text("待访"))), Row("h2", (Text("1-2"), Text("已访")))])

        @on(TableScreen.ActionRequested)
        def _requested(self, event: TableScreen.ActionRequested) -> None:
            self.requested.append((event.action, event.row_key))

    app = ListApp()
    async with app.run_test(size=(80, 12)) as pilot:
        await pilot.pause()
        await pilot.press("j", "f5", "v")  # remapped: v no longer visits
        await pilot.pause()
        assert app.requested == [("visit", "h2")]
        # Another list without that key: the key is this list's, not every list's.
        other = TableScreen("workers", "人员", ["姓名"])
        assert isinstance(other, TableScreen)
        assert [b.id for b in type(other).BINDINGS if isinstance(b, Binding)] == ["list.close", "screen.help"]


async def test_a_cell_is_drawn_segment_for_segment_as_rich_would() -> None:
    """The table draws a cell without Rich's layout machinery (three times cheaper on a township's
    first frame); what it draws must be exactly what Rich's render_lines of the padded text gives."""
    from rich.padding import Padding
    from rich.segment import Segment
    from rich.style import Style
    from textual.strip import Strip

    from widgets.keyed_table import CELL_PADDING

    def rich_cell(app: App[None], text: Text, width: int, style: Style, post: Style) -> Strip:
        if text.cell_len > width:
            text = text.copy()
            if text.justify == "full" or "\n" in text.plain or "\t" in text.plain:
                text.overflow = "ellipsis"  # laid out by Rich, cut by Rich
            else:  # cut as the table cuts: the … right after the text (Rich leaves a space before a wide character)
                if text.justify in ("right", "center"):
                    text.rstrip()
                ellipsize(text, width)
        options = app.console_options.update(width=width + 2 * CELL_PADDING, height=1, no_wrap=True)
        [line] = app.console.render_lines(Padding(text, (0, CELL_PADDING)), options, style=style, pad=True)
        return Strip(Segment.apply_style(line, post_style=post)).simplify()

    spanned = Text("超期", style="bold")
    spanned.append("6时", style="red reverse")
    texts = [
        Text(""),
        Text("", style="dim"),
        Text("", justify="right", style="bold"),
        Text("MK261127-001", style="bold red"),
        Text("小区健身器材损坏，夜间出行不便"),
        Text("¥1,200", justify="right"),
        Text("  3/6 ", justify="right", style="bold"),
        Text("中间", justify="center"),
        Text("左", justify="left", style="underline"),
        spanned,
        Text("a\tb"),
        Text("两行\n文字"),
        Text("全角满格", justify="full"),
    ]
    app = TableApp()
    async with app.run_test():
        table = app.query_one(KeyedTable)
        base = table.rich_style
        for style in (base, base + table.get_component_rich_style("keyed-table--cursor")):
            for text in texts:
                for width in (1, 2, 3, 5, 8, 12, 20):
                    post = Style.from_meta({"column": 2})
                    assert list(table._render_cell(text, width, style, post)) == list(
                        rich_cell(app, text, width, style, post)
                    ), (text, width)


async def test_rows_measured_off_screen_are_not_measured_again(monkeypatch) -> None:  # noqa: ANN001
    """Measuring Chinese text costs ~6 µs a cell (70 ms for 1,800 households): a list's rows are
    measured in the worker that made them (``measured``); showing them, a resize and a zoom only
    read those widths, so the screen's thread measures nothing."""
    rows = measured([row(f"MK-{i}", title="东城花园5号楼地下车库燃气泄漏" if i == 3 else "路灯") for i in range(50)])
    app = TableApp(rows=[])
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(KeyedTable)

        cells = {id(text) for r in rows for text in r.cells}
        measured_again: list[str] = []
        cell_len = Text.cell_len

        def measuring(self: Text) -> int:
            if id(self) in cells:
                measured_again.append(self.plain)
            return cell_len.fget(self)  # type: ignore[attr-defined]

        monkeypatch.setattr(Text, "cell_len", property(measuring))
        table.sync(rows)
        await pilot.pause()
        await pilot.resize_terminal(100, 12)
        await pilot.pause()
        monkeypatch.undo()
        assert measured_again == []
        assert table.keys == [r.key for r in rows]
        assert table.column_widths[2] == 29  # the long title (14 wide characters and a digit), as measured before


async def test_lazy_rows_make_their_cells_only_where_they_are_painted_or_compared() -> None:
    """Issue 13: a table of hundreds of rows paints a screenful. A ``LazyRow`` is measured from its
    words; its ``Text`` cells are made when its line is painted, or when a newer row of its key is
    compared with it: the same columns and lines as rows made whole."""
    made: list[str] = []

    def lazy(key: str, title: str = "路灯不亮") -> LazyRow:
        words = (key, "待受理", title, "¥150.00")
        return LazyRow(key, words, lambda: made.append(key) or tuple(Text(w) for w in words))  # type: ignore[func-returns-value]

    titles = {3: "东城花园5号楼地下车库燃气泄漏"}
    app = TableApp(rows=[lazy(f"MK-{i}", titles.get(i, "路灯")) for i in range(50)])
    whole = TableApp(rows=[row(f"MK-{i}", title=titles.get(i, "路灯")) for i in range(50)])
    async with app.run_test(size=(80, 12)) as pilot, whole.run_test(size=(80, 12)) as whole_pilot:
        await pilot.pause()
        await whole_pilot.pause()
        table, other = app.query_one(KeyedTable), whole.query_one(KeyedTable)
        assert table.column_widths == other.column_widths and table.column_widths[2] == 29
        painted = len(made)
        assert 0 < painted <= 11 and set(made) == {f"MK-{i}" for i in range(painted)}  # the lines on screen
        lines = [table.render_line(y).text for y in range(12)]
        assert lines == [other.render_line(y).text for y in range(12)] and "东城花园5号楼地下车库燃气泄漏" in lines[4]
        made.clear()
        newer = [lazy("MK-0", "路灯又坏了"), *(lazy(f"MK-{i}", titles.get(i, "路灯")) for i in range(1, 50))]
        assert table.sync(newer) == 1 and len(made) == 50 + 50 - painted  # compared with the rows they replace
        assert table.cell("MK-0", 2).plain == "路灯又坏了"


def test_a_list_key_may_not_be_one_of_the_tables_own() -> None:
    """k moves the cursor up: a list action on k would never be reached (重开 was, at first)."""
    from widgets.table_screen import ListAction, TableScreen

    with pytest.raises(ValueError, match="table's own keys"):
        TableScreen("ended:", "title", ["a"], [ListAction("k", "reopen", "重开")])
    assert TableScreen("ended:", "title", ["a"], [ListAction("o", "reopen", "重开")]).kind == "ended:"


async def test_a_cut_before_a_wide_character_puts_the_ellipsis_right_after_the_text() -> None:
    """Rich cuts 小区健身 to 7 cells as 小区健 plus a space, then the …: 小区健 …. The … follows the
    text, and the cell left over pads after it."""
    from rich.style import Style

    app = TableApp()
    async with app.run_test():
        table = app.query_one(KeyedTable)
        for text, width, drawn in [
            (Text("小区健身器材损坏"), 8, " 小区健…  "),
            (Text("小区健身器材损坏"), 9, " 小区健身… "),
            (Text("1号楼楼道灯坏了"), 10, " 1号楼楼道… "),
            (Text("1号楼楼道灯坏了"), 11, " 1号楼楼道…  "),
            (Text("小区健身器材损坏"), 2, " …  "),
        ]:
            strip = table._render_cell(text, width, table.rich_style, Style())
            assert "".join(segment.text for segment in strip) == drawn, (text.plain, width)


@pytest.mark.parametrize("when", ["before the first layout", "right after the first layout"])
async def test_a_lists_header_lines_come_whole_whenever_its_rows_arrive(when: str) -> None:
    """A list shows its loading line, its worker's rows come back on the event loop at any moment:
    the header's three lines then take three lines. The loading line was set before the screen was
    mounted, so the header still had a layout pending when the screen was first laid out; rows that
    came in that window (a grid's households under a loaded CI, now and then) were drawn in the
    loading line's one line, for good: Textual reused the height it had measured for it."""
    from widgets.table_screen import TableScreen

    header = Text("今日已访 1/3\n微网格员 丁福生\n个人信息已脱敏")
    rows = [Row("h1", (Text("1-1-201"), Text("待访")))]

    class ListApp(App[None]):
        def on_mount(self) -> None:
            self.list = TableScreen("households", "网格", ["户", "状态"])
            self.list.show_loading(Text("正在读取…"))  # as a panel's fill does, before the screen is up
            self.push_screen(self.list)
            if when == "before the first layout":
                self.list.show(header, rows)
            else:
                first: list[bool] = []

                def laid_out(screen: object) -> None:  # inside the screen's first layout
                    if not first:
                        first.append(True)
                        self.list.show(header, rows)

                self.list.screen_layout_refresh_signal.subscribe(self, laid_out, immediate=True)

    app = ListApp()
    async with app.run_test(size=(80, 12)) as pilot:
        for _ in range(3):
            await pilot.pause()
        assert app.list.header.size.height == 3
        assert app.list.table.region.y == app.list.header.region.bottom


async def test_a_list_being_read_shows_no_headings_its_rows_would_change() -> None:
    """A list's columns are fitted to its rows: while its rows were being read (a township grid's
    households, the ended cases) the headings were fitted to none, and moved when the rows came."""
    from widgets.table_screen import TableScreen

    from pilot import screen_text

    class ListApp(App[None]):
        def on_mount(self) -> None:
            self.list = TableScreen("households", "网格", ["地址", "状态"])
            self.push_screen(self.list)
            self.list.show_loading(Text("读取中…"))

    app = ListApp()
    async with app.run_test(size=(80, 12)) as pilot:
        await pilot.pause()

        def heading_line() -> str:
            return screen_text(app).splitlines()[app.list.table.region.y]  # type: ignore[arg-type]

        assert "读取中" in screen_text(app)  # type: ignore[arg-type]
        assert "地址" not in heading_line() and "状态" not in heading_line()
        app.list.show(Text("1 户"), [Row("h1", (Text("东城花园 1号楼2单元 1-1-101"), Text("待访")))])
        await pilot.pause()
        assert heading_line().split()[1:-1] == ["地址", "状态"]  # inside the box's border


def record_repaints(table: KeyedTable) -> list[Region]:
    """Spy on the regions of the table Textual's compositor takes to send (``Widget._exchange_repaint_regions``):
    its lines are rendered from a cache, so what goes over the wire is seen here, not in ``render_line``."""
    taken: list[Region] = []
    exchange = table._exchange_repaint_regions

    def spy() -> Collection[Region]:
        regions = exchange()
        taken.extend(regions)
        return regions

    table._exchange_repaint_regions = spy  # type: ignore[method-assign]
    return taken


class ResizedTableApp(TableApp):
    """The table under a line that a layout makes taller, as a panel's lines do when its data comes."""

    def compose(self) -> ComposeResult:
        yield Static("summary", id="above")
        yield from super().compose()


async def test_a_layout_that_resizes_the_table_leaves_no_whole_repaint_for_its_next_change() -> None:
    # ScrollView asked to repaint the whole table at its old size when a layout resized it, and
    # only the table's next refresh handed that to the compositor: the next changed cell (a tick,
    # minutes later) sent the whole table again, as it was (the layout had sent it already).
    app = ResizedTableApp()
    async with app.run_test(size=(80, 12)) as pilot:
        await pilot.pause()
        table = app.query_one(KeyedTable)
        height = table.outer_size.height
        app.query_one("#above", Static).styles.height = 3  # a layout: the table two lines shorter
        await pilot.pause()
        assert table.outer_size.height == height - 2
        taken = record_repaints(table)
        table.sync([*ROWS[:3], row("MK-3", status="处置中"), *ROWS[4:]])
        await pilot.pause()
        # The changed cell's region only (slot 3, under the header line), not the table again.
        assert [(region.y, region.height) for region in taken] == [(4, 1)], taken
        assert table.cell("MK-3", 1).plain == "处置中"
