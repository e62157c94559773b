"""`roundtable sql`: read-only SQL for what the panes do not answer."""

from __future__ import annotations

import sqlite3

import pytest

from tui.data.db import open_readonly
from tui.data.sql import SQLError, run_sql


def test_a_query_answers_as_json_rows(cli, seed_db):
    result = cli(
        "--db",
        str(seed_db),
        "sql",
        "SELECT kind, count(*) AS n FROM entities GROUP BY kind ORDER BY kind",
        "--json",
    )
    assert result.code == 0
    rows = result.json()
    counts = {row["kind"]: row["n"] for row in rows}
    with sqlite3.connect(seed_db) as conn:
        expected = dict(conn.execute("SELECT kind, count(*) FROM entities GROUP BY kind"))
    assert counts == expected


@pytest.mark.parametrize(
    "query",
    [
        "DELETE FROM entities",
        "UPDATE entities SET name = 'x'",
        "ATTACH DATABASE '/tmp/other.db' AS other",
        "PRAGMA journal_mode = WAL",
        "CREATE TABLE t (x)",
    ],
)
def test_anything_but_reading_is_refused_in_one_line(cli, seed_db, query):
    before = seed_db.read_bytes()
    result = cli("--db", str(seed_db), "sql", query)
    assert result.code == 2
    assert result.err.count("\n") == 1 and "not authorized" in result.err
    assert "Traceback" not in result.err
    assert seed_db.read_bytes() == before


def test_bad_sql_is_one_line_naming_the_problem(cli, seed_db):
    result = cli("--db", str(seed_db), "sql", "SELECT * FROM no_such_table")
    assert result.code == 2
    assert result.err.strip() == "roundtable: sql: no such table: no_such_table"


def test_a_query_past_its_time_limit_is_stopped(seed_db):
    endless = (
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"
    )
    with open_readonly(seed_db) as conn:
        with pytest.raises(SQLError, match="time limit"):
            run_sql(conn, endless, time_limit_s=0.2)
        # the connection still works afterwards, with nothing left installed on it
        assert conn.execute("SELECT count(*) FROM entities").fetchone()[0] > 0


def test_rows_are_capped_and_the_cut_is_said(cli, seed_db):
    result = cli("--db", str(seed_db), "sql", "SELECT ref FROM entities", "--limit", "3", "--json")
    assert len(result.json()) == 3
    assert "only the first 3 rows" in result.err


def test_values_are_printed_as_text_never_markup(cli, seed_db):
    result = cli("--db", str(seed_db), "sql", "SELECT '[bold]x[/bold] [@click=app.quit]' AS v")
    assert result.code == 0
    assert "[bold]x[/bold]" in result.out


async def open_sql(pilot) -> None:
    """From the panes, `:` opens the SQL prompt."""
    from pilotkit import pane_loaded, settle

    from tui.app.screens.sql import SQLScreen

    await settle(pilot, lambda: pane_loaded(pilot.app))
    await pilot.press("colon")
    await settle(pilot, lambda: isinstance(pilot.app.screen, SQLScreen))


def row_counts(app) -> list[int]:
    from tui.app.widgets.pane import EntityTable

    return [table.row_count for table in app.screen.query(EntityTable)]


async def test_the_sql_prompt_shows_rows_in_a_table_and_opens_a_ref(seed_db):
    from pilotkit import SIZE, detail_ready, settle

    from tui.app.explorer import RoundtableApp
    from tui.app.screens.sql import SQLScreen
    from tui.app.widgets.pane import EntityTable

    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_sql(pilot)
        await pilot.press(*"SELECT ref, name FROM entities WHERE kind = 'person' ORDER BY name")
        await pilot.press("enter")
        await settle(pilot, lambda: bool(app.screen.query(EntityTable)))
        table = app.screen.query_one(EntityTable)
        with sqlite3.connect(seed_db) as conn:
            people = conn.execute(
                "SELECT ref FROM entities WHERE kind = 'person' ORDER BY name"
            ).fetchall()
        assert table.row_count == len(people)
        table.focus()
        await pilot.press("enter")
        await settle(pilot, lambda: detail_ready(app, people[0][0]))
        await pilot.press("escape")
        await settle(pilot, lambda: isinstance(app.screen, SQLScreen))
        # a refused query is a line on the screen, and the session goes on
        query = app.screen.query_one("#sql-query")
        query.value = "DELETE FROM entities"
        query.focus()
        await pilot.press("enter")
        status = app.screen.query_one("#sql-status")
        await settle(pilot, lambda: "not authorized" in str(status.render()))
        assert isinstance(app.screen, SQLScreen)
        # and the people listed before are gone: they are not what this query returned
        await settle(pilot, lambda: not app.screen.query(EntityTable))


async def test_a_second_query_replaces_the_first_ones_rows(seed_db):
    """Each query's rows take the place of the last ones, however many are run."""
    from pilotkit import SIZE, settle

    from tui.app.explorer import RoundtableApp
    from tui.app.screens.sql import SQLScreen

    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_sql(pilot)
        query = app.screen.query_one("#sql-query")
        for count in (1, 3, 2):
            query.value = f"SELECT ref FROM entities ORDER BY ref LIMIT {count}"  # noqa: S608
            query.focus()
            await pilot.press("enter")
            await settle(pilot, lambda n=count: row_counts(app) == [n])
        assert isinstance(app.screen, SQLScreen)
        assert app.return_code is None


async def test_the_bottom_line_offers_no_letter_key_while_the_query_box_takes_letters(seed_db):
    """`/` would type a slash into the query: not offered there; on the rows it searches."""
    from pilotkit import SIZE, settle

    from tui.app.explorer import RoundtableApp
    from tui.app.widgets.key_hints import KeyHints
    from tui.app.widgets.pane import EntityTable

    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_sql(pilot)
        bottom = app.screen.query_one(KeyHints)
        await pilot.pause(0.1)
        assert "Search" not in bottom.render_line(0).text
        await pilot.press(*"SELECT ref FROM entities LIMIT 3", "enter")
        await settle(pilot, lambda: row_counts(app) == [3])
        app.screen.query_one(EntityTable).focus()
        await settle(pilot, lambda: "Search" in bottom.render_line(0).text)
