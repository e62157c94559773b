"""The keys a data person's hands already know (less, VisiData, vim), a user keymap, and a
quiet hint for a key that does nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pilotkit import SIZE, detail_ready, pane_loaded, settle
from rich.console import Console
from textual.widgets import Static

from tui.app.explorer import RoundtableApp
from tui.app.screens.help import HelpScreen
from tui.app.screens.main import MainScreen
from tui.app.widgets.key_hints import KeyHints
from tui.app.widgets.pane import EntityTable


def table(app: RoundtableApp) -> EntityTable:
    return app.screen.query_one(EntityTable)


async def open_first_detail(pilot, app) -> None:
    await settle(pilot, lambda: pane_loaded(app))
    await pilot.press("enter")
    await settle(pilot, lambda: detail_ready(app))


@pytest.fixture(autouse=True)
def no_user_keymap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test reads its own keymap file (none unless it writes one)."""
    path = tmp_path / "keymap.toml"
    monkeypatch.setenv("ROUNDTABLE_KEYMAP", str(path))
    return path


async def test_j_k_g_and_G_move_the_pane_cursor(seed_db):
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: pane_loaded(app))
        rows = table(app).row_count
        assert rows > 3
        await pilot.press("j", "j")
        assert table(app).cursor_row == 2
        await pilot.press("k")
        assert table(app).cursor_row == 1
        await pilot.press("G")
        await settle(pilot, lambda: table(app).cursor_row == rows - 1)
        await pilot.press("g")
        await settle(pilot, lambda: table(app).cursor_row == 0)
        await pilot.press("ctrl+f")
        await settle(pilot, lambda: table(app).cursor_row > 0)


@pytest.mark.parametrize("key", ["q", "h", "left", "backspace"])
async def test_keys_that_never_wait_go_back_from_a_detail(seed_db, key):
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_first_detail(pilot, app)
        await pilot.press(key)
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        assert app.is_running  # back, not quit


async def test_q_closes_the_help_and_on_the_panes_quits(seed_db):
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: pane_loaded(app))
        await pilot.press("question_mark")
        await settle(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.press("q")
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.press("q")
        await settle(pilot, lambda: not app.is_running)


async def test_Q_quits_from_a_detail(seed_db):
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_first_detail(pilot, app)
        await pilot.press("Q")
        await settle(pilot, lambda: not app.is_running)


async def open_from_the_panes(pilot, key: str, screen: str) -> None:
    """Once the panes show rows, `key` opens the screen named `screen`."""
    app = pilot.app
    await settle(pilot, lambda: pane_loaded(app))
    await pilot.press(key)
    await settle(pilot, lambda: type(app.screen).__name__ == screen)


@pytest.mark.parametrize(
    ("opening", "dialog"), [("question_mark", "HelpScreen"), ("F", "FrequencyScreen")]
)
async def test_Q_quits_from_a_dialog_too(seed_db, opening, dialog):
    """A dialog hides the app's keys: Q is bound in each, as "quit from anywhere" says."""
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_from_the_panes(pilot, opening, dialog)
        await pilot.press("Q")
        await settle(pilot, lambda: not app.is_running)


async def test_Q_in_the_search_box_is_a_letter(seed_db):
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_from_the_panes(pilot, "slash", "SearchScreen")
        await pilot.press("Q")
        await settle(pilot, lambda: app.screen.query_one("#search-input").value == "Q")
        assert app.is_running


def messages(app: RoundtableApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_an_unbound_key_gives_a_quiet_hint_and_a_bound_one_none(seed_db):
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: pane_loaded(app))
        await pilot.press("j")
        await pilot.pause(0.1)
        assert messages(app) == []
        await pilot.press("z")
        bottom = app.screen.query_one(KeyHints)

        def bottom_line() -> str:
            return bottom.render_line(0).text

        await settle(pilot, lambda: "z: not a key here" in bottom_line())
        assert messages(app) == [], "in the bottom line, not a notice over the rows"
        assert "Quit" not in bottom_line()
        await settle(pilot, lambda: "not a key here" not in bottom_line())
        assert "Quit" in bottom_line(), "then the keys again"


async def test_a_user_keymap_rebinds_a_key_by_its_id_and_the_help_shows_it(
    seed_db, no_user_keymap: Path
):
    no_user_keymap.write_text('[keymap]\n"app.search" = "z"\n', encoding="utf-8")
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_from_the_panes(pilot, "z", "SearchScreen")
        await pilot.press("escape")
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.press("question_mark")
        await settle(pilot, lambda: isinstance(app.screen, HelpScreen))
        console = Console(width=200, record=True, file=io.StringIO())
        console.print(app.screen.query_one("#help-keys", Static).content)
        lines = console.export_text().splitlines()
        search = next(line for line in lines if "search everything" in line)
        assert search.split()[0] == "z"


@pytest.mark.parametrize(
    "text, problem",
    [
        ('[keymap]\n"no.such.key" = "z"\n', "no key has the id 'no.such.key'"),
        ("[keymap\n", "not valid TOML"),
        ('[keymap]\n"app.search" = 3\n', "keys must be text"),
    ],
)
async def test_a_keymap_that_cannot_be_used_is_one_line_and_the_defaults_stay(
    seed_db, no_user_keymap: Path, text, problem
):
    no_user_keymap.write_text(text, encoding="utf-8")
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: pane_loaded(app))
        await settle(pilot, lambda: any(problem in m for m in messages(app)))
        assert all("\n" not in m for m in messages(app))
        await pilot.press("slash")
        await settle(pilot, lambda: type(app.screen).__name__ == "SearchScreen")


async def test_the_reader_scrolls_by_the_keys_of_less_at_once(seed_db):
    """j / k a line, ctrl+d / ctrl+u half a page, ctrl+f / ctrl+b a page, G / g the end and
    the start: each lands at once (no animation to wait for over SSH), none says "not a key"."""
    from tui.app.screens.source import SourceScreen

    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: pane_loaded(app))
        await pilot.press("7")
        await settle(pilot, lambda: pane_loaded(app) and app.screen.current_pane.kind == "article")
        await pilot.press("enter")
        await settle(
            pilot,
            lambda: isinstance(app.screen, SourceScreen) and bool(app.screen.query(".paragraph")),
        )
        text = app.screen.query_one("#source-text")
        text.focus()
        await pilot.press("g")
        await settle(pilot, lambda: text.scroll_y == 0)
        half = text.scrollable_content_region.height // 2
        for key, moved in (("j", 1), ("k", 0), ("ctrl+d", half), ("ctrl+u", 0)):
            await pilot.press(key)
            assert text.scroll_y == moved, key  # (at once: no pause between key and check)
        await pilot.press("ctrl+f")
        assert text.scroll_y == text.scrollable_content_region.height
        await pilot.press("ctrl+b")
        assert text.scroll_y == 0
        await pilot.press("G")
        assert text.scroll_y == text.max_scroll_y > 0
        await pilot.press("g")
        assert text.scroll_y == 0
        assert (
            messages(app) == []
            and "not a key" not in app.screen.query_one(KeyHints).render_line(0).text
        )


async def test_less_keys_move_the_corroboration_list_and_the_who_met_whom_tree(seed_db):
    """j / k, G / g and ctrl+f / ctrl+b move these lists as they move the panes and details."""
    from textual.widgets import OptionList

    from tui.app.screens.corroboration import CorroborationScreen
    from tui.app.screens.network import NetworkScreen, NetworkTree

    app = RoundtableApp(seed_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.press("r")
        await settle(
            pilot, lambda: isinstance(app.screen, CorroborationScreen) and app.screen.loaded
        )
        options = app.screen.query_one(OptionList)
        start = options.highlighted
        await pilot.press("j")
        assert options.highlighted is not None and start is not None
        assert options.highlighted > start
        await pilot.press("G")
        assert options.highlighted == options.option_count - 1
        await pilot.press("ctrl+d")  # half a page on: at the end it stays, never wraps round
        assert options.highlighted == options.option_count - 1
        await pilot.press("ctrl+u")
        assert start < options.highlighted < options.option_count - 1
        await pilot.press("G", "ctrl+b")
        assert options.highlighted < options.option_count - 1
        await pilot.press("g")
        assert options.highlighted == start  # (the first line, a heading, is never highlighted)
        await pilot.press("ctrl+u")
        assert options.highlighted == start
        await pilot.press("q")
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))

    app = RoundtableApp(seed_db, start_ref="person:kassym-jomart-tokayev")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: getattr(app.screen, "details", None) is not None)
        await pilot.press("w")
        await settle(pilot, lambda: isinstance(app.screen, NetworkScreen) and app.screen.root_node)
        tree = app.screen.query_one(NetworkTree)
        assert tree.cursor_line == 0
        await pilot.press("j", "j")
        assert tree.cursor_line == 2
        await pilot.press("k")
        assert tree.cursor_line == 1
        await pilot.press("G")
        assert tree.cursor_line == tree.last_line > 1
        await pilot.press("g")
        assert tree.cursor_line == 0


async def test_on_the_timeline_the_sort_keys_say_it_is_in_date_order(seed_db):
    """`]` sorts the other panes; on the Timeline it must not go forward in the history (to
    the detail just left), but say why nothing sorts there."""
    from tui.app.screens.detail import DetailScreen

    app = RoundtableApp(seed_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: pane_loaded(app))
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, DetailScreen))
        await pilot.press("q")
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.press("8")
        await settle(pilot, lambda: app.screen.current_pane.kind == "timeline")
        bottom = app.screen.query_one(KeyHints)
        for key in ("right_square_bracket", "left_square_bracket", "F"):
            await settle(pilot, lambda: "always in date order" not in bottom.render_line(0).text)
            await pilot.press(key)
            await settle(pilot, lambda: "always in date order" in bottom.render_line(0).text)
            assert isinstance(app.screen, MainScreen), key
