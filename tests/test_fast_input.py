"""The explorer under keys typed faster than it draws: each traceback random keys found, on its
own, then thousands of random keys over every screen. Keys are sent as a terminal delivers keys
typed ahead: all at once, each before the app has acted on the one before."""

from __future__ import annotations

import random
import threading

import pytest
from pilotkit import SIZE, settle
from textual import events
from textual.command import CommandPalette

from tui.app.explorer import RoundtableApp
from tui.app.screens.detail import DetailScreen
from tui.app.screens.main import MainScreen
from tui.app.screens.search import SearchScreen
from tui.app.screens.source import SourceScreen

CHARACTERS = {"enter": "\r", "escape": "\x1b", "tab": "\t", "space": " ", "backspace": "\x7f"}


def burst(app: RoundtableApp, *keys: str) -> None:
    """Queue `keys` at once, as a terminal does with keys typed ahead."""
    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else CHARACTERS.get(key)))


def palettes(app: RoundtableApp) -> int:
    return sum(isinstance(screen, CommandPalette) for screen in app.screen_stack)


async def test_page_up_as_the_palette_opens(seed_db):
    """ctrl+p then PageUp: Textual's list paged by line positions it had not laid out yet
    (KeyError in OptionList._move_page)."""
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        for _ in range(5):
            burst(app, "ctrl+p", "pageup", "pagedown", "down", "pagedown", "pageup", "escape")
            await pilot.pause(0.05)
        burst(app, "ctrl+p", "pageup", "pagedown")
        await settle(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press("escape")
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))


async def test_palette_enter_three_times(seed_db):
    """ctrl+p Enter, three times fast: a palette closed twice popped the panes, then the last
    screen (ScreenStackError). Each command runs at most once; the panes stay."""
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        burst(app, *["ctrl+p", "enter"] * 3)
        await pilot.pause(0.5)
        assert isinstance(app.screen_stack[1], MainScreen)
        assert palettes(app) <= 1


async def test_palette_reopened_as_it_closes(seed_db):
    """Escape then ctrl+p at once: the new palette took the id of the one still being taken
    apart (DuplicateIds '--command-palette'). A palette opens again, and only one."""
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        for _ in range(3):
            await pilot.press("ctrl+p")
            await settle(pilot, lambda: isinstance(app.screen, CommandPalette))
            burst(app, "escape", "ctrl+p")
            await pilot.pause(0.2)
            assert palettes(app) <= 1
            while not isinstance(app.screen, MainScreen):
                await pilot.press("escape")
                await pilot.pause(0.05)


async def test_palette_command_does_not_pop_the_next_palette(seed_db):
    """A command chosen in one palette runs after a second has opened: it must not pop the
    second palette or the screens under it."""
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.press("2")  # Meetings
        burst(app, "ctrl+p", *"Go to Companies", "enter", "ctrl+p")
        await pilot.pause(1.0)
        assert palettes(app) <= 1
        assert isinstance(app.screen_stack[1], MainScreen)


async def test_search_closed_twice(seed_db):
    """Enter twice on a search hit: the search screen was dismissed twice, setting its result
    twice (InvalidStateError) and popping the screen under it. One entity opens."""
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.press("slash", *"Huawei")
        await settle(pilot, lambda: bool(app.screen.refs))
        burst(app, "enter", "enter", "enter")
        await settle(pilot, lambda: isinstance(app.screen, DetailScreen) and app.screen.details)
        assert [type(s) for s in app.screen_stack[1:]] == [MainScreen, DetailScreen]
        await pilot.press("slash")
        await settle(pilot, lambda: isinstance(app.screen, SearchScreen))
        search = app.screen
        search.action_close()
        search.action_close()  # closed already: nothing more happens
        await settle(pilot, lambda: isinstance(app.screen, DetailScreen))
        await pilot.pause(0.3)
        assert [type(s) for s in app.screen_stack[1:]] == [MainScreen, DetailScreen]


async def test_source_closed_while_it_loads(seed_db, monkeypatch):
    """An article's reader closed before its text arrived: the text was shown on a screen
    whose widgets were gone (NoMatches '#source-title'). It is dropped."""
    from tui.app.screens import source

    closed = threading.Event()
    read_mentions = source.queries.article_mentions

    def slow_mentions(*args):
        closed.wait(5)  # the read finishes only once the reader has been closed
        return read_mentions(*args)

    monkeypatch.setattr(source.queries, "article_mentions", slow_mentions)
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        app.open_source("article:tokayev-investment-round-table")
        await settle(pilot, lambda: isinstance(app.screen, SourceScreen))
        await pilot.press("escape")
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        closed.set()
        await pilot.pause(0.5)
        assert isinstance(app.screen, MainScreen)


async def test_detail_closed_before_it_is_built(seed_db):
    """Enter then Escape at once on a row, over and over: a detail screen closed before it
    was built filled in widgets that were gone (NoMatches '#detail-title')."""
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        for _ in range(15):
            burst(app, "enter", "down", "enter", "escape", "enter", "escape", "escape")
            await pilot.pause(0.02)
        await pilot.pause(0.5)
        while not isinstance(app.screen, MainScreen):
            await pilot.press("escape")
            await pilot.pause(0.1)


# Every key the explorer binds, on every screen, and typing; not `q` (it would end the run).
KEYS = (
    [*"12345678wyTr?fesSxgGnpmt/abhz ]", "slash", "question_mark", "right_square_bracket"]
    + ["enter"] * 4 + ["escape"] * 4 + ["ctrl+p"] * 2
    + ["backspace", "tab", "shift+tab", "up", "down", "left", "right", "pageup", "pagedown",
       "home", "end", "ctrl+r", "alt+left", "alt+right", "space", "delete", "ctrl+home"]
)  # fmt: skip
BURSTS = (1, 2, 5, 10, 20)  # keys sent at once before the app may catch up
RANDOM_KEYS = 600  # per seed: about 6 s each on an idle core
SEEDS = (1, 2, 3)


@pytest.mark.parametrize("seed", SEEDS)
async def test_random_keys_never_crash(seed_db, tmp_path, monkeypatch, seed):
    """Thousands of random keys in bursts: any exception in the app fails the test (Pilot
    raises it when the app ends). Exports the keys ask for land in a temporary folder."""
    monkeypatch.chdir(tmp_path)
    rng = random.Random(seed)
    app = RoundtableApp(seed_db)

    async def keep_running() -> None:  # (the palette's Quit, chosen at random, ends the walk)
        return None

    monkeypatch.setattr(app, "action_quit", keep_running)
    seen: set[str] = set()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        sent = 0
        while sent < RANDOM_KEYS and app.crash is None:
            count = rng.choice(BURSTS)
            burst(app, *(rng.choice(KEYS) for _ in range(count)))
            sent += count
            await pilot.pause()
            seen.add(type(app.screen).__name__)
        await pilot.pause(0.2)
    assert app.crash is None, repr(app.crash)
    assert app.return_code in (None, 0)
    assert len(seen) >= 6, seen  # it went through most screens, not stuck on one
