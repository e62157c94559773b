"""The Timeline reads a page at a time: the build's derived tables hold the same items, order
and involvements as the definition over the base tables, each page is an index range (no
sort), and the pane holds one page after opening, the next ones as the cursor moves."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from pilotkit import SIZE, settle
from textual.widgets import Static

from tui.app.explorer import RoundtableApp
from tui.app.screens.main import MainScreen
from tui.app.widgets.timeline import TimelineView
from tui.bench.corpus import generate
from tui.data import queries, timeline
from tui.data.build import build_seed
from tui.data.db import open_readonly

PAGE = queries.PAGE_SIZE

# The Timeline as first defined, over the base tables: what the derived tables must match.
REFERENCE_ITEMS = """
    SELECT m.ref, e.name, 'meeting' AS kind, m.date, m.date_precision AS precision,
           m.meeting_type AS what, pl.name AS place, NULL AS via_ref, NULL AS via_name
    FROM meetings AS m JOIN entities AS e ON e.ref = m.ref
    LEFT JOIN entities AS pl ON pl.ref = m.place_ref
    WHERE m.date IS NOT NULL
    UNION ALL
    SELECT c.ref, e.name, 'commitment', coalesce(c.date, mt.date),
           CASE WHEN c.date IS NOT NULL THEN c.date_precision ELSE 'announced' END,
           c.category || ', ' || c.status, NULL,
           CASE WHEN c.date IS NULL THEN c.announced_at_ref END,
           CASE WHEN c.date IS NULL THEN me.name END
    FROM commitments AS c JOIN entities AS e ON e.ref = c.ref
    LEFT JOIN meetings AS mt ON mt.ref = c.announced_at_ref
    LEFT JOIN entities AS me ON me.ref = mt.ref
    WHERE coalesce(c.date, mt.date) IS NOT NULL"""
REFERENCE_INVOLVES = """
    WITH RECURSIVE direct(item, other) AS (
        SELECT meeting_ref, entity_ref FROM meeting_participants
        UNION SELECT ref, place_ref FROM meetings WHERE place_ref IS NOT NULL
        UNION SELECT commitment_ref, entity_ref FROM commitment_parties
        UNION SELECT commitment_ref, place_ref FROM commitment_places),
    up(item, other) AS (
        SELECT item, other FROM direct
        UNION SELECT up.item, p.within_ref FROM up JOIN places AS p ON p.ref = up.other
        WHERE p.within_ref IS NOT NULL)
    SELECT up.item, up.other FROM up JOIN entities AS e ON e.ref = up.other
    WHERE e.kind IN ('organization', 'person', 'place')"""


def reference(conn: sqlite3.Connection, about: str | None = None) -> list[dict]:
    sql = f"SELECT * FROM ({REFERENCE_ITEMS}) AS i"  # noqa: S608 - constants
    params: list[str] = []
    if about:
        sql += f" WHERE i.ref IN (SELECT item FROM ({REFERENCE_INVOLVES}) WHERE other = ?)"  # noqa: S608
        params.append(about)
    sql += " ORDER BY i.date, i.kind DESC, i.name, i.ref"
    return [dict(row) for row in conn.execute(sql, params)]


@pytest.fixture(scope="module")
def big_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated database with about ten pages of timeline items."""
    path = tmp_path_factory.mktemp("timeline") / "bench.db"
    build_seed(generate(3000, seed=4), path, "timeline-paging")
    return path


@pytest.fixture
def big_conn(big_db: Path) -> sqlite3.Connection:
    conn = open_readonly(big_db)
    yield conn
    conn.close()


def busiest_place(conn: sqlite3.Connection) -> tuple[str, str]:
    """The place with the most items, once places within are counted: several pages."""
    found = [e for e in timeline.involved(conn, limit=100_000) if e["kind"] == "place"]
    best = max(found, key=lambda e: e["count"])
    assert best["count"] > 2 * PAGE
    return best["ref"], best["name"]


def test_derived_tables_match_the_definition(big_conn):
    every = timeline.items(big_conn)
    assert len(every) > 5 * PAGE
    expected = reference(big_conn)
    assert [{k: row[k] for k in expected[0]} for row in every] == expected
    for about in (busiest_place(big_conn)[0], "organization:kazakh-invest-national-company"):
        expected = reference(big_conn, about)
        assert len(expected) > PAGE
        assert [row["ref"] for row in timeline.items(big_conn, about)] == [
            row["ref"] for row in expected
        ]
    # who and where the filter offers, with their counts
    counts = {
        (row["other"], row["n"])
        for row in big_conn.execute(
            f"SELECT other, count(DISTINCT i.ref) AS n FROM ({REFERENCE_INVOLVES}) AS v "  # noqa: S608
            f"JOIN ({REFERENCE_ITEMS}) AS i ON i.ref = v.item GROUP BY other"
        )
    }
    offered = timeline.involved(big_conn, limit=1_000_000)
    assert {(e["ref"], e["count"]) for e in offered} == counts


@pytest.mark.parametrize("about", [None, "place"])
def test_pages_in_a_row_are_the_full_ordering(big_conn, about):
    ref = busiest_place(big_conn)[0] if about else None
    every = [row["ref"] for row in timeline.items(big_conn, ref)]
    seen: list[str] = []
    after = None
    while True:
        rows = timeline.page(big_conn, ref, after=after, limit=PAGE)
        assert len(rows) <= PAGE
        seen.extend(row["ref"] for row in rows)
        if len(rows) < PAGE:
            break
        after = rows[-1]["seq"]
    assert seen == every
    assert timeline.count(big_conn, ref) == len(every)


@pytest.mark.parametrize("about", [None, "organization:kazakh-invest-national-company"])
def test_a_page_is_an_index_range_not_a_sort(big_conn, about):
    plans: list[str] = []
    real = big_conn.execute

    class Spy:
        def execute(self, sql, params=()):
            plans.extend(row[3] for row in real(f"EXPLAIN QUERY PLAN {sql}", params))
            return real(sql, params)

    after = timeline.page(big_conn, about, limit=PAGE)[-1]["seq"]  # a first page's last key
    timeline.page(Spy(), about, after=after, limit=PAGE)  # type: ignore[arg-type]
    assert plans, "no query ran"
    assert not [p for p in plans if "TEMP B-TREE" in p or p.startswith("SCAN")], plans
    first = plans[0]
    if about:
        assert first.startswith("SEARCH v USING PRIMARY KEY (other=? AND seq>?)"), plans
    else:
        assert first.startswith("SEARCH t USING PRIMARY KEY (seq>?)"), plans


def keys(pane: TimelineView) -> list[str | None]:
    """The refs of the table's rows, in order (None for a row not held)."""
    table = pane.table
    return [table.source.row_ref(i) for i in range(table.row_count)]


def status(pane: TimelineView) -> str:
    return str(pane.query_one("#pane-status", Static).render())


async def test_pane_loads_a_page_at_a_time(big_db, big_conn, monkeypatch):
    every = [row["ref"] for row in timeline.items(big_conn)]

    def everything(*args, **kwargs):
        raise AssertionError("the pane must not load every item")

    monkeypatch.setattr(timeline, "items", everything)
    app = RoundtableApp(big_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        pane = app.screen.query_one("#pane-timeline", TimelineView)
        # start-up composes no timeline table and reads nothing for it
        assert pane._table is None and not pane.query("#table-timeline")
        assert not pane.started
        await pilot.press("8")
        await settle(pilot, lambda: pane.table.row_count > 0 and pane.total is not None)
        await pilot.pause(0.2)
        assert pane.table.row_count == PAGE and not pane.exhausted  # one page, no more
        assert keys(pane) == every[:PAGE]
        assert f"Timeline {PAGE} of {len(every)}" in status(pane)
        # moving down loads the next page; the order runs on across the boundary
        await pilot.press("pagedown")
        await settle(pilot, lambda: pane.table.row_count == 2 * PAGE and not pane.fetching)
        assert keys(pane) == every[: 2 * PAGE]
        while pane.table.cursor_row < 2 * PAGE - 1 - 20:
            await pilot.press("pagedown")
        await settle(pilot, lambda: pane.table.row_count >= 3 * PAGE and not pane.fetching)
        assert keys(pane) == every[: pane.table.row_count]
        assert pane.table.row_count < len(every)  # far from all of them
        # the end key at the last loaded row asks for more, and moves once they arrive
        await pilot.press("end")
        at = pane.table.cursor_row
        await pilot.press("down")
        await settle(pilot, lambda: pane.table.cursor_row == at + 1)
        assert keys(pane) == every[: pane.table.row_count]


async def test_pane_pages_under_a_filter_and_clears_it(big_db, big_conn):
    place, name = busiest_place(big_conn)
    under = [row["ref"] for row in timeline.items(big_conn, place)]
    every = [row["ref"] for row in timeline.items(big_conn)]
    app = RoundtableApp(big_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.press("8")
        pane = app.screen.current_pane
        assert isinstance(pane, TimelineView)
        await settle(pilot, lambda: pane.table.row_count == PAGE)
        pane.set_about((place, name))
        await settle(pilot, lambda: pane.table.row_count == PAGE and pane.total == len(under))
        assert keys(pane) == under[:PAGE]
        assert f"{PAGE} of {len(under)}" in status(pane) and f"with: {name}" in status(pane)
        await pilot.press("pagedown")
        await settle(pilot, lambda: pane.table.row_count == 2 * PAGE and not pane.fetching)
        assert keys(pane) == under[: 2 * PAGE]
        await pilot.press("x")
        await settle(pilot, lambda: pane.about is None and pane.table.row_count == PAGE)
        assert keys(pane) == every[:PAGE]
