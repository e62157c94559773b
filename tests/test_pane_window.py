"""A pane holds a window of rows, not every row it has shown: a user who goes to the end of a
long list and back holds a bounded number of rows, and every row still shows what it should
(the pages that went are read again, by their keyset position, when they come back)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from pilotkit import SIZE, settle

from tui.app.explorer import RoundtableApp
from tui.app.screens.main import MainScreen
from tui.app.widgets import pane as pane_module
from tui.bench.corpus import generate
from tui.data.build import build_seed
from tui.data.db import open_readonly
from tui.data.queries import PAGE_SIZE

BOUND = pane_module.HELD_PAGES * PAGE_SIZE  # rows a pane may hold


@pytest.fixture(scope="module")
def long_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated database whose People pane is longer than a pane may hold."""
    path = tmp_path_factory.mktemp("window") / "bench.db"
    build_seed(generate(6000, seed=3), path, "pane-window")
    return path


def people(db: Path) -> list[str]:
    conn: sqlite3.Connection = open_readonly(db)
    try:
        rows = conn.execute("SELECT ref FROM entities WHERE kind = 'person' ORDER BY name, ref")
        return [row[0] for row in rows]
    finally:
        conn.close()


async def test_to_the_end_and_back_holds_a_bounded_window(long_db):
    every = people(long_db)
    assert len(every) > 1.2 * BOUND  # the list is longer than the window
    app = RoundtableApp(long_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        main = app.screen
        await pilot.press("4")  # People
        pane = main.current_pane
        assert pane.kind == "person"
        table = pane.table
        await settle(pilot, lambda: table.row_count > 0)
        held = [len(pane.rows)]

        # to the end: ctrl+end until the last row of the whole list is highlighted
        for _ in range(len(every) // 100 + 5):
            await pilot.press("ctrl+end")
            await pilot.pause(0.05)
            held.append(len(pane.rows))
            if pane.exhausted and table.cursor_row == len(every) - 1:
                break

        def at(ref: str) -> bool:
            held.append(len(pane.rows))
            return main.current_ref() == ref

        await settle(pilot, lambda: pane.exhausted and at(every[-1]), timeout=20)
        assert table.row_count == len(every) and pane.total == len(every)

        # and back to the top, then down a page at a time: each row is the right one
        await pilot.press("ctrl+home")
        await settle(pilot, lambda: at(every[0]))
        for _ in range(3):
            await pilot.press("pagedown")
            await settle(pilot, lambda: at(every[table.cursor_row]))
        assert table.cursor_row > 0

        assert max(held) <= BOUND, max(held)
        assert len(pane.rows) <= BOUND


async def test_home_and_end_scroll_sideways_and_leave_the_cursor(long_db):
    app = RoundtableApp(long_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.press("3")  # Commitments: wider than 80 columns
        table = app.screen.current_pane.table
        await settle(pilot, lambda: table.row_count > 0)
        await pilot.press("down", "down")
        assert table.max_scroll_x > 0 and table.scroll_x == 0
        await pilot.press("end")
        await settle(pilot, lambda: table.scroll_x == table.max_scroll_x)
        assert table.cursor_row == 2 and table.scroll_y == 0
        await pilot.press("home")
        await settle(pilot, lambda: table.scroll_x == 0)
        assert table.cursor_row == 2 and table.scroll_y == 0
