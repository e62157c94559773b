"""The detail's list (tui.app.widgets.detail_list) on its own: the cursor skips headings and
goes round the ends, a page and home/end move it, the scrollbar follows the rows set, only the
highlighted row is drawn highlighted, a long row wraps under its value, text is never read as
markup, and a click or enter opens a row; in the explorer, a click on a link opens it."""

from __future__ import annotations

from pilotkit import SIZE, detail_ready, settle
from rich.text import Text
from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.strip import Strip
from textual.widgets.option_list import Option

from tui.app.explorer import RoundtableApp
from tui.app.widgets.detail_list import DetailList
from tui.app.widgets.hanging import Hanging, single


def row(text: str, id: str | None = None, disabled: bool = False) -> Option:
    return Option(single(Text(text)), id=id, disabled=disabled)


def rows(count: int) -> list[Option]:
    """A heading, then `count` rows, a heading every tenth."""
    found = []
    for index in range(count):
        if index % 10 == 0:
            found.append(row(f"── group {index // 10}", disabled=True))
        found.append(row(f"row {index}", id=f"row-{index}"))
    return found


class ListApp(App[None]):
    CSS = "DetailList { height: 1fr; border: none; padding: 0; }"  # (the detail: 0 1)

    def __init__(self, options: list[Option]) -> None:
        super().__init__()
        self.options = options
        self.selected: list[str | None] = []

    def compose(self) -> ComposeResult:
        yield DetailList(id="list")

    def on_mount(self) -> None:
        found = self.query_one(DetailList)
        found.set_options(self.options)
        found.focus()

    def on_detail_list_option_selected(self, event: DetailList.OptionSelected) -> None:
        self.selected.append(event.option_id)


def _text(strip: Strip) -> str:
    return "".join(segment.text for segment in strip).rstrip()


def _drawn(found: DetailList) -> list[str]:
    return [_text(strip) for strip in found.render_lines(found.size.region)]


async def test_the_cursor_skips_headings_goes_round_and_moves_by_pages():
    app = ListApp(rows(30))
    async with app.run_test(size=(40, 12)) as pilot:
        found = app.query_one(DetailList)
        assert found.highlighted is None
        await pilot.press("down")  # the first row, not the heading above it
        assert found.highlighted_option is not None and found.highlighted_option.id == "row-0"
        for _ in range(9):
            await pilot.press("down")
        assert found.highlighted_option.id == "row-9"
        await pilot.press("down")  # over the next heading
        assert found.highlighted_option.id == "row-10"
        await pilot.press("end")
        assert found.highlighted_option.id == "row-29"
        await pilot.press("down")  # round the end, past the first heading
        assert found.highlighted_option.id == "row-0"
        await pilot.press("up")
        assert found.highlighted_option.id == "row-29"
        await pilot.press("home")
        assert found.highlighted_option.id == "row-0"
        await pilot.press("pagedown")  # a screen of lines further (12 lines in view)
        assert found.highlighted_option.id == "row-11"  # (a heading among them)
        await pilot.press("pageup")
        assert found.highlighted_option.id == "row-0"
        await pilot.press("pageup")  # the line there is a heading: the row after it
        assert found.highlighted_option.id == "row-0"


class ListScreen(Screen[None]):
    CSS = ListApp.CSS

    def compose(self) -> ComposeResult:
        yield DetailList()


async def test_the_scrollbar_follows_the_rows_set_while_its_screen_was_away():
    """As a big entity's detail: shown with the rows that fit exactly, then, still shown,
    with more; then reused (rows set while it is not shown) with those that fit, shown."""
    exactly = [*rows(10), row("── end", disabled=True)]  # 12 lines, as many as the list
    app = ListApp([])
    async with app.run_test(size=(40, 12)) as pilot:
        screen = ListScreen()
        app.install_screen(screen, "list")
        await app.push_screen("list")
        found = screen.query_one(DetailList)
        for _ in range(2):
            found.set_options(exactly)
            await pilot.pause()
            assert not found.show_vertical_scrollbar
            found.set_options(rows(30))
            await pilot.pause()
            assert found.show_vertical_scrollbar
            assert found.scrollable_content_region.width == 40 - 2
            app.pop_screen()
            await pilot.pause()
            found.set_options(exactly)
            await app.push_screen("list")
            await pilot.pause()
            assert not found.show_vertical_scrollbar
            assert found.scrollable_content_region.width == 40


async def test_only_the_highlighted_row_is_drawn_highlighted():
    app = ListApp(rows(5))
    async with app.run_test(size=(40, 12)) as pilot:
        found = app.query_one(DetailList)
        found.highlighted = found.get_option_index("row-2")
        await pilot.pause()
        highlight = found.get_visual_style("detail-list--highlighted").rich_style.bgcolor

        def highlighted() -> list[str]:
            return [
                _text(strip)
                for strip in found.render_lines(found.size.region)
                if any(s.text.strip() and s.style and s.style.bgcolor == highlight for s in strip)
            ]

        assert highlighted() == ["row 2"]
        await pilot.press("down")
        assert highlighted() == ["row 3"]


async def test_a_long_row_wraps_under_its_value_and_text_is_never_markup():
    value = "[bold]not markup[/bold] " + "word " * 20
    app = ListApp([Option(Hanging((Text("   label  "), Text(value))), id="long")])
    async with app.run_test(size=(40, 12)) as pilot:
        found = app.query_one(DetailList)
        await pilot.pause()
        lines = [line for line in _drawn(found) if line]
        assert lines[0] == "   label  [bold]not markup[/bold] word"
        assert len(lines) > 2 and all(line.startswith(" " * 10 + "word") for line in lines[1:])


async def test_a_long_row_under_an_indent_wraps_further_in_than_the_rows_start():
    """A link's row has no label: its next lines start two cells further in, so that they
    do not read as rows of their own."""
    value = "Tokayev meets China Nonferrous Metal Mining General Director Zhang Jinjun"
    app = ListApp([Option(Hanging((Text("  "), Text(value))), id="long")])
    async with app.run_test(size=(40, 12)) as pilot:
        found = app.query_one(DetailList)
        await pilot.pause()
        lines = [line for line in _drawn(found) if line.strip()]
        assert lines[0].startswith("  Tokayev") and len(lines) > 1
        assert all(line.startswith(" " * 4) and line[4] != " " for line in lines[1:])
        assert " ".join(line.strip() for line in lines) == value  # (no word lost at a cut)


async def test_a_click_or_enter_opens_a_row_and_a_heading_never():
    app = ListApp(rows(5))
    async with app.run_test(size=(40, 12)) as pilot:
        found = app.query_one(DetailList)
        await pilot.pause()
        await pilot.click(DetailList, offset=(4, 0))  # the heading
        await pilot.click(DetailList, offset=(4, 3))  # the third row
        await pilot.pause()
        assert app.selected == ["row-2"] and found.highlighted_option.id == "row-2"
        await pilot.press("down")
        found.action_select()  # (enter: the detail screen binds it, to open_selected)
        await pilot.pause()
        assert app.selected == ["row-2", "row-3"]


async def test_a_click_on_a_link_of_a_detail_opens_its_entity(seed_db):
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        app.open_entity("organization:citic-group")
        await settle(pilot, lambda: detail_ready(app, "organization:citic-group"))
        found = app.screen.query_one("#detail-links", DetailList)
        ref = app.screen.targets["link-person-0"][1]
        name = str(found.get_option("link-person-0").prompt).split("  ")[1]
        line = next(n for n, text in enumerate(_drawn(found)) if text.strip().startswith(name))
        await pilot.click("#detail-links", offset=(6, line))
        await settle(pilot, lambda: detail_ready(app, ref))


async def test_a_reused_detail_shows_a_scrollbar_only_when_its_rows_overflow(seed_db):
    """A detail screen is reused for the next entity (rows set while it is not shown): its
    scrollbar comes and goes with the rows of each entity, and so does the list's width."""
    app = RoundtableApp(seed_db)
    async with app.run_test(size=(80, 16)) as pilot:
        seen = set()
        for ref in ("organization:citic-group", "person:zhu-hexin") * 2:
            app.open_entity(ref)
            await settle(pilot, lambda r=ref: detail_ready(app, r))
            await pilot.pause()
            found = app.screen.query_one("#detail-links", DetailList)
            overflows = found.virtual_size.height > found.size.height
            assert found.show_vertical_scrollbar is overflows, ref
            assert found.scrollable_content_region.width == 80 - 2 - 2 - 2 * overflows
            seen.add(overflows)
            app.pop_screen()
            await pilot.pause()
        assert seen == {True, False}
