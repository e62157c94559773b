"""The panes' tables show the data at 80x24 from the keyboard: the money of a commitment, cells
cut with "…", the first column pinned, nulls as "—", columns fitted to the terminal, a column
cursor that sorts the whole list in SQL, widens, narrows and hides its column, and a frequency
table of any column whose values filter the pane."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from pilotkit import SIZE, pane_loaded, settle
from textual.widgets import OptionList, Static

from tui.app.explorer import RoundtableApp
from tui.app.screens.filter import FilterScreen
from tui.app.screens.frequency import FrequencyScreen
from tui.app.screens.main import MainScreen
from tui.app.widgets import pane as pane_module
from tui.app.widgets.columns import fit
from tui.app.widgets.pane import EntityTable, PaneView
from tui.bench.corpus import generate
from tui.data.build import build_seed
from tui.data.db import open_readonly
from tui.data.listing import COLUMNS
from tui.data.queries import PAGE_SIZE
from tui.formatting import NULL

COMMITMENTS = "3"
BOUND = pane_module.HELD_PAGES * PAGE_SIZE


def lines(table: EntityTable) -> list[str]:
    """The table's lines as drawn now, as text."""
    return [strip.text for strip in table.render_lines(table.size.region)]


def shown_cells(table: EntityTable, line: str) -> dict[str, str]:
    """The text of each column in view on `line`, by header (pinned columns first)."""
    pad = table.PADDING
    found: dict[str, str] = {}
    x = 0
    scroll_x = int(table.scroll_x)
    for index, (header, width) in enumerate(table.columns):
        if not width:
            continue
        span = width + 2 * pad
        start = x if index < table.pinned else x - scroll_x
        if index < table.pinned or (
            start >= sum(w + 2 * pad for _, w in table.columns[: table.pinned] if w)
        ):
            if start + span <= table.size.width:
                found[header] = line[start + pad : start + pad + width].rstrip()
        x += span
    return found


def pane(app) -> PaneView:
    current = app.screen.current_pane
    assert isinstance(current, PaneView)
    return current


async def open_commitments(pilot, app) -> PaneView:
    await settle(pilot, lambda: isinstance(app.screen, MainScreen))
    await pilot.press(COMMITMENTS)
    await settle(pilot, lambda: pane_loaded(app) and pane(app).kind == "commitment")
    await pilot.pause(0.1)
    return pane(app)


async def test_a_commitment_row_shows_its_amount_parties_and_status_at_80x24(seed_db):
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_commitments(pilot, app)
        table = view.table
        drawn = lines(table)
        header = shown_cells(table, drawn[0])
        assert {"Title", "Amount", "Status", "Parties"} <= set(header)
        rows = [shown_cells(table, line) for line in drawn[1 : 1 + table.row_count]]
        amounts = {row["Amount"] for row in rows}
        assert {"$22 bn", "over $1.6 bn"} <= amounts  # never "47 docs, tota"
        documents = next(row for row in rows if row["Title"].startswith("47 documents"))
        assert documents["Amount"] == "$22 bn" and documents["Status"] == "signed"
        copper = next(row for row in rows if row["Title"].startswith("Copper smelter"))
        assert "KAZ Minerals" in copper["Parties"] or copper["Parties"].endswith("…")


async def test_every_cut_cell_ends_in_an_ellipsis_and_nulls_show_as_a_dash(seed_db, seed_conn):
    full = {
        name: row
        for name, *row in seed_conn.execute(
            "SELECT e.name, c.status FROM entities AS e JOIN commitments AS c ON c.ref = e.ref"
        )
    }
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_commitments(pilot, app)
        table = view.table
        drawn = lines(table)
        titles = [shown_cells(table, line)["Title"] for line in drawn[1 : 1 + table.row_count]]
        cut = [title for title in titles if title not in full]
        assert cut, "at 80 columns some titles are longer than their column"
        for title in cut:  # never a silent cut such as "Carbon neutrality by 206"
            assert title.endswith("…") and any(name.startswith(title[:-1]) for name in full), title
        documents = next(
            line for line in drawn if shown_cells(table, line)["Title"].startswith("47 doc")
        )
        assert shown_cells(table, documents)["Parties"] == "—"  # no party stated


@pytest.mark.parametrize("width", [90, 100, 110])
async def test_a_column_the_right_edge_cuts_ends_in_an_ellipsis_before_the_scrollbar(
    seed_db, width
):
    """The last column in view, cut by the edge of the table's view (where its scrollbar
    starts, not where the widget ends), shows "…" in the last cell one can see."""
    app = RoundtableApp(seed_db)
    async with app.run_test(size=(width, 24)) as pilot:
        view = await open_commitments(pilot, app)
        table = view.table
        seen = table.scrollable_content_region.width
        header = lines(table)[0][:seen].rstrip()
        edge_cuts = sum(w + 2 * table.PADDING for _, w in table.columns if w) > seen
        assert edge_cuts
        words = {header for header, _ in table.columns}
        last = header.split()[-1]
        assert last in words or (last.endswith("…") and len(header) >= seen - 2), header


async def test_ctrl_d_and_ctrl_u_move_half_a_page_as_in_less(long_db):
    app = RoundtableApp(long_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(
            pilot, lambda: isinstance(app.screen, MainScreen) and pane(app).table.row_count > 60
        )
        table = pane(app).table
        page = table.scrollable_content_region.height - 1
        await pilot.press("ctrl+d")
        assert table.cursor_row == page // 2
        await pilot.press("ctrl+f")
        assert table.cursor_row == page // 2 + page
        await pilot.press("ctrl+u")
        assert table.cursor_row == page
        await pilot.press("ctrl+b")
        assert table.cursor_row == 0


async def test_a_wide_terminal_shows_more_and_wider_columns(seed_db):
    async def layout(width: int) -> list[tuple[str, int]]:
        app = RoundtableApp(seed_db)
        async with app.run_test(size=(width, 24)) as pilot:
            view = await open_commitments(pilot, app)
            table = view.table
            header = shown_cells(table, lines(table)[0])
            return [(name, width) for name, width in table.columns if name in header]

    narrow, wide = await layout(80), await layout(200)
    assert len(wide) > len(narrow)
    assert dict(wide)["Title"] > dict(narrow)["Title"]
    assert dict(wide)["Parties"] > dict(narrow)["Parties"]


def test_columns_fit_the_terminal_down_to_their_floors():
    assert fit([10, 5], [4, 4], 40) == [10, 5]  # room for all: as wide as the content
    widths = fit([60, 30, 5], [20, 10, 5], 60)
    assert sum(widths) + 2 * 3 <= 60 and widths[2] == 5  # the widest give way
    assert fit([60, 30], [20, 10], 10) == [20, 10]  # past the floors: the table scrolls
    assert fit([300], [10], 200) == [100]  # no column wider than half the terminal


async def test_the_first_column_stays_when_the_cursor_goes_right(seed_db):
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_commitments(pilot, app)
        table = view.table
        first_title = shown_cells(table, lines(table)[1])["Title"]
        for _ in range(len(view.columns)):
            await pilot.press("l")
        await pilot.pause(0.1)
        assert table.cursor_column == len(view.columns) - 1 and table.scroll_x > 0
        header = shown_cells(table, lines(table)[0])
        assert "Title" in header and "Src" in header and "Amount" not in header
        assert shown_cells(table, lines(table)[1])["Title"] == first_title
        await pilot.press("h")
        assert table.cursor_column == len(view.columns) - 2
        await pilot.press("home")
        await pilot.pause(0.1)
        assert table.cursor_column == 0 and table.scroll_x == 0


async def test_sort_by_amount_descending_puts_the_largest_first_and_empty_last(seed_db):
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_commitments(pilot, app)
        table = view.table
        await pilot.press("l")  # to Amount
        await pilot.press("right_square_bracket")
        await settle(pilot, lambda: view.sort == ("amount", True) and view.exhausted)
        await pilot.pause(0.1)
        amounts = [shown_cells(table, line)["Amount"] for line in lines(table)[1:4]]
        assert amounts == ["$22 bn", "over $1.6 bn", "—"]
        status = str(view.query_one("#pane-status", Static).render())
        assert "sort: Amount ↓" in status
        await pilot.press("left_square_bracket")  # ascending: empty values still last
        await settle(pilot, lambda: view.sort == ("amount", False) and view.exhausted)
        values = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
        assert values[:2] == ["over $1.6 bn", "$22 bn"] and values[-1] == "—"
        await pilot.press("left_square_bracket")  # again: back to name order
        await settle(pilot, lambda: view.sort is None and view.exhausted)
        assert "sort:" not in str(view.query_one("#pane-status", Static).render())


async def test_the_filter_keeps_the_sort(seed_db):
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_commitments(pilot, app)
        await pilot.press("l", "right_square_bracket")
        await settle(pilot, lambda: view.sort == ("amount", True) and view.exhausted)
        await pilot.press("f")
        await settle(pilot, lambda: isinstance(app.screen, FilterScreen))
        await pilot.press(*"documents", "escape")
        await settle(pilot, lambda: isinstance(app.screen, MainScreen) and view.exhausted)
        assert view.sort == ("amount", True) and view.query_state.text == "documents"
        assert str(view.table.get_row_at(0)[1]) == "$22 bn"


async def test_a_filter_that_matches_nothing_says_so_and_how_to_clear_it(seed_db):
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_commitments(pilot, app)
        every = view.total
        await pilot.press("f")
        await settle(pilot, lambda: isinstance(app.screen, FilterScreen))
        await pilot.press(*"zzzqqq", "escape")
        await settle(pilot, lambda: isinstance(app.screen, MainScreen) and view.total == 0)
        await pilot.pause(0.1)
        status = str(view.query_one("#pane-status", Static).render())
        assert "nothing matches: x clears it" in status
        await pilot.press("x")
        await settle(pilot, lambda: view.total == every)
        assert "nothing matches" not in str(view.query_one("#pane-status", Static).render())


async def test_filter_groups_can_be_jumped_between(seed_db):
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_commitments(pilot, app)
        await pilot.press("f")
        await settle(pilot, lambda: isinstance(app.screen, FilterScreen))
        options = app.screen.query_one(OptionList)
        await settle(pilot, lambda: options.option_count > 0)
        headings = [
            i for i in range(options.option_count) if options.get_option_at_index(i).disabled
        ]
        await pilot.press("down")  # to the values
        await pilot.press("right_square_bracket")
        assert options.highlighted == headings[1] + 1
        await pilot.press("left_square_bracket")
        assert options.highlighted == headings[0] + 1


async def test_widen_narrow_hide_and_show_a_column(seed_db):
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_commitments(pilot, app)
        table = view.table
        await pilot.press("l", "l")  # Status
        width = dict(table.columns)["Status"]
        await pilot.press("plus")
        assert dict(table.columns)["Status"] == width + 4
        await pilot.press("minus", "minus")
        assert dict(table.columns)["Status"] == width - 4
        await pilot.press("underscore")
        await pilot.pause(0.1)
        assert dict(table.columns)["Status"] == 0
        assert "Status" not in shown_cells(table, lines(table)[0])
        assert view.columns[table.cursor_column].header == "Parties"  # the next one shown
        await pilot.press("equals_sign")
        await pilot.pause(0.1)
        assert dict(table.columns)["Status"] == width
        assert "Status" in shown_cells(table, lines(table)[0])


async def test_frequency_of_a_column_counts_in_sql_and_enter_filters(seed_db, seed_conn):
    expected = dict(
        seed_conn.execute("SELECT status, count(*) FROM commitments GROUP BY status").fetchall()
    )
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_commitments(pilot, app)
        await pilot.press("l", "l", "F")  # Status
        await settle(pilot, lambda: isinstance(app.screen, FrequencyScreen) and app.screen.loaded)
        table = app.screen.query_one(EntityTable)
        drawn = [shown_cells(table, line) for line in lines(table)[1 : 1 + table.row_count]]
        shown = {cells["Status"]: int(cells["Count"]) for cells in drawn}
        assert shown == {
            (status.replace("_", " ") if status is not None else NULL): n
            for status, n in expected.items()
        }
        top = max(expected.values())
        assert int(shown_cells(table, lines(table)[1])["Count"]) == top  # most frequent first
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, MainScreen) and view.exhausted)
        assert view.table.row_count == top
        assert "status=" in str(view.query_one("#pane-status", Static).render())


async def test_enter_on_the_dash_row_filters_on_those_with_none(seed_db, seed_conn):
    """The frequency table's "—" row is a value too: Enter lists the commitments whose amount
    is not stated, and the pane's status says so ("amount=—", as the table shows it)."""
    without = {
        ref for (ref,) in seed_conn.execute("SELECT ref FROM commitments WHERE amount IS NULL")
    }
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_commitments(pilot, app)
        await pilot.press("l", "F")  # Amount
        await settle(pilot, lambda: isinstance(app.screen, FrequencyScreen) and app.screen.loaded)
        assert app.screen.source.rows[-1][0] is None  # the "—" row, last
        await pilot.press("G", "enter")
        await settle(pilot, lambda: isinstance(app.screen, MainScreen) and view.exhausted)
        shown = {view.row_ref(i) for i in range(view.table.row_count)}
        assert without and shown == without
        assert "amount=—" in str(view.query_one("#pane-status", Static).render())


async def test_a_column_of_several_values_counts_each(seed_db, seed_conn):
    """The sectors frequency table counts the `sectors` rows, one per sector."""
    expected = dict(
        seed_conn.execute(
            "SELECT s.sector, count(*) FROM sectors AS s JOIN commitments AS c "
            "ON c.ref = s.entity_ref GROUP BY s.sector"
        ).fetchall()
    )
    app = RoundtableApp(seed_db)
    async with app.run_test(size=(120, 40)) as pilot:
        view = await open_commitments(pilot, app)
        view.table.move_column([c.key for c in view.columns].index("sector"))
        await pilot.press("F")
        await settle(pilot, lambda: isinstance(app.screen, FrequencyScreen) and app.screen.loaded)
        rows = app.screen.source.rows
        assert {value: count for value, _, count in rows if value is not None} == expected
        with_none = [count for value, _, count in rows if value is None]
        no_sector = seed_conn.execute(
            "SELECT count(*) FROM commitments WHERE ref NOT IN (SELECT entity_ref FROM sectors)"
        ).fetchone()[0]
        assert with_none == ([no_sector] if no_sector else [])
        await pilot.press("escape")
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        assert view.query_state.filters == {}


@pytest.fixture(scope="module")
def long_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated database whose lists are longer than a pane may hold."""
    path = tmp_path_factory.mktemp("tables") / "bench.db"
    build_seed(generate(6000, seed=3), path, "tables")
    return path


async def test_a_sort_covers_the_whole_list_and_the_window_stays_bounded(long_db):
    conn: sqlite3.Connection = open_readonly(long_db)
    try:
        names = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM entities WHERE kind = 'person' ORDER BY name COLLATE NOCASE"
            )
        ]
    finally:
        conn.close()
    assert len(names) > 1.2 * BOUND
    app = RoundtableApp(long_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.press("4")  # People: Name first
        view = pane(app)
        table = view.table
        await settle(pilot, lambda: table.row_count > 0)
        await pilot.press("right_square_bracket")
        await settle(pilot, lambda: view.sort == ("name", True) and table.row_count > 0)
        assert str(table.get_row_at(0)[0]) == names[-1]  # the last name of the whole list
        held = []
        for _ in range(len(names) // 100 + 5):
            await pilot.press("ctrl+end")
            await pilot.pause(0.05)
            held.append(len(view.rows))
            if view.exhausted and table.cursor_row == len(names) - 1:
                break
        await settle(pilot, lambda: view.exhausted and table.cursor_row == len(names) - 1, 20)
        await settle(pilot, lambda: table.cursor_ref is not None)
        assert str(table.get_row_at(table.cursor_row)[0]) == names[0]
        assert max(held) <= BOUND and len(view.rows) <= BOUND


def test_every_column_sorts_and_counts_in_sql(seed_conn):
    from tui.data import queries

    for kind, columns in COLUMNS.items():
        total = queries.count_matching(seed_conn, kind)
        for column in columns:
            for descending in (False, True):
                rows = queries.list_page(seed_conn, kind, order=(column.key, descending))
                assert len(rows) == total, (kind, column.key)
            facet, values, distinct, none = queries.column_counts(seed_conn, kind, column.key)
            assert distinct >= len(values) and none >= 0
            if values:  # a value of the table filters the list to as many entities
                value = values[0]
                found = queries.count_matching(
                    seed_conn, kind, filters={facet.name: str(value["value"])}
                )
                assert found == value["count"], (kind, column.key)


def _header_cells(captured: str, header: str) -> list:
    """The drawn cells of `header` on the header line of the pane's table."""
    from termkit import cells

    for row in cells(captured):
        plain = "".join(cell.char for cell in row)
        if plain.lstrip().startswith("Title") and header in plain:
            start = plain.index(header)
            return row[start : start + len(header)]
    raise AssertionError(f"{header!r} is not in the header")


def test_in_a_16_colour_terminal_the_column_cursor_shows_and_sorts(tmp_path, seed_db, seed_conn):
    """tmux, TERM=xterm (16 colours), 80x24, keys only: the money is on screen, the header of
    the current column is in reverse video and moves with `l`, `]` sorts by it."""
    from termkit import Tmux, clean_env, colour_kinds, invisible_text, roundtable, wait_until

    tmux = Tmux(tmp_path)
    try:
        command = [*roundtable(), "--db", str(seed_db)]
        tmux.start(command, clean_env(tmux.workdir, TERM="xterm"), (80, 24))
        tmux.wait_for("1 Compa", "q Quit")
        tmux.type("3")
        (count,) = seed_conn.execute("SELECT count(*) FROM commitments").fetchone()
        shown = tmux.wait_for(f"Commitments {count}", "$22 bn", "over $1.6 bn", "signed")
        assert "47 docs" not in shown and "tota" not in shown
        captured = tmux.screen(escapes=True)
        assert all(cell.reverse for cell in _header_cells(captured, "Title"))
        assert not any(cell.reverse for cell in _header_cells(captured, "Amount"))
        tmux.type("l")
        wait_until(
            lambda: all(
                cell.reverse for cell in _header_cells(tmux.screen(escapes=True), "Amount")
            ),
            "the column cursor to move to Amount",
        )
        captured = tmux.screen(escapes=True)
        assert not any(cell.reverse for cell in _header_cells(captured, "Title"))
        tmux.type("]")
        tmux.wait_for("sort: Amount ↓")

        def first_rows() -> list[str]:
            lines = tmux.screen().splitlines()
            header = next(i for i, line in enumerate(lines) if line.lstrip().startswith("Title"))
            return lines[header + 1 : header + 3]

        wait_until(lambda: "$22 bn" in first_rows()[0], "the largest amount first")
        assert "over $1.6 bn" in first_rows()[1]
        assert colour_kinds(captured) == {"16"}
        assert not invisible_text(captured), invisible_text(captured)[:5]
        tmux.type("q")
        assert tmux.wait_exit() == 0
    finally:
        tmux.kill()
