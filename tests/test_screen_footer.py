"""CompactFooter: its keys are remade when the keys shown change, and only then."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from widgets.screen_footer import CompactFooter


class Keys(Static, can_focus=True):
    BINDINGS = [Binding("a", "noop", "Accept"), Binding("x", "noop", "Hidden", show=False)]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return True

    def action_noop(self) -> None:
        pass


class FooterApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Keys("one", id="one")
        yield Keys("two", id="two")
        yield CompactFooter()

    def on_mount(self) -> None:
        self.query_one("#one").focus()


async def test_the_footer_is_remade_only_when_its_keys_change() -> None:
    """Refreshing the bindings (focus moving between widgets with the same keys, a list opened
    and closed) used to remake every key and lay the whole screen out again, repainting every
    table's scrollbar and heading: 6 KB after the first frame at 120x40."""
    app = FooterApp()
    async with app.run_test(size=(60, 8)) as pilot:
        await pilot.pause()
        footer = app.query_one(CompactFooter)
        made: list[int] = []
        compose = footer.compose

        def counted() -> object:
            made.append(1)
            return compose()

        footer.compose = counted  # type: ignore[method-assign]
        app.refresh_bindings()
        await pilot.pause()
        app.query_one("#two").focus()  # the same keys
        await pilot.pause()
        assert made == []
        assert [key.key for key in footer.query("FooterKey")][:1] == ["a"]

        app.bind("b", "bell", description="Back")  # a key the footer must now show
        app.refresh_bindings()
        for _ in range(5):
            await pilot.pause()
        assert made and "b" in [key.key for key in footer.query("FooterKey")]


class CountedFooter(CompactFooter):
    def __init__(self) -> None:
        super().__init__()
        self.made: list[bool] = []  # each compose: were the keys known yet

    def compose(self) -> ComposeResult:
        self.made.append(self._bindings_ready)
        yield from super().compose()


async def test_refreshes_before_the_first_keys_are_made_make_them_once() -> None:
    """The dashboard's start refreshed the bindings twice before the Footer had made its keys: each
    asked for a recompose, and the keys were made twice, each a style pass per key and a layout
    of the whole screen."""
    app = FooterApp()
    async with app.run_test(size=(60, 8)) as pilot:
        await pilot.pause()
        footer = CountedFooter()
        await app.mount(footer)
        app.screen.refresh_bindings()
        app.screen.refresh_bindings()  # before the footer has made its keys once
        for _ in range(5):
            await pilot.pause()
        assert footer.made == [False, True]  # born empty (no bindings yet), then its keys once
        assert [key.key for key in footer.query("FooterKey")][:1] == ["a"]
