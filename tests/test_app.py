"""Journeys a user makes in the explorer, driven by keyboard through Textual's Pilot."""

from __future__ import annotations

import pytest
from pilotkit import SIZE, run_palette, settle
from textual.widgets import DataTable, Input, OptionList, Static

from tui.app.explorer import RoundtableApp
from tui.app.screens.detail import DetailScreen
from tui.app.screens.filter import FilterScreen
from tui.app.screens.main import PANES, MainScreen
from tui.app.screens.search import SearchScreen
from tui.app.screens.source import FOCUS_STYLE, SourceScreen
from tui.app.widgets.detail_list import DetailList


def table(app) -> DataTable:
    return app.screen.current_pane.table


async def test_each_pane_opens_with_its_rows(seed_db, seed_conn):
    from tui.data.queries import counts

    expected = counts(seed_conn)
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        for number, (kind, title) in enumerate(PANES, start=1):
            if kind not in expected:
                continue  # the Timeline: see test_features.py
            await pilot.press(str(number))
            await settle(
                pilot,
                lambda k=kind: (
                    app.screen.current_pane.kind == k and table(app).row_count == expected[k]
                ),
            )
            status = str(app.screen.current_pane.query_one("#pane-status", Static).render())
            assert title in status and str(expected[kind]) in status


async def test_tab_cycles_panes(seed_db):
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.press("tab")
        assert app.screen.current_pane.kind == PANES[1][0]
        await pilot.press("shift+tab", "shift+tab")
        assert app.screen.current_pane.kind == PANES[-1][0]


async def test_search_open_follow_source_and_back(seed_db):
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        start = app.screen
        await pilot.press("slash")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"citic")
        await settle(pilot, lambda: app.screen.refs[:1] == ["organization:citic-group"])
        await pilot.press("enter")
        await settle(
            pilot, lambda: isinstance(app.screen, DetailScreen) and app.screen.details is not None
        )
        assert app.screen.ref == "organization:citic-group"
        # follow the first commitment link
        options = app.screen.query_one("#detail-links", DetailList)
        index = next(
            i for i, o in enumerate(options.options) if (o.id or "").startswith("link-commitment")
        )
        options.highlighted = index
        await pilot.press("enter")
        await settle(
            pilot,
            lambda: (
                isinstance(app.screen, DetailScreen)
                and app.screen.ref.startswith("commitment:")
                and app.screen.details is not None
            ),
        )
        commitment = app.screen.details
        # open its first source: the quote is highlighted and in view
        options = app.screen.query_one("#detail-links", DetailList)
        index = next(i for i, o in enumerate(options.options) if (o.id or "") == "source-0")
        options.highlighted = index
        await pilot.press("enter")
        await settle(
            pilot,
            lambda: (
                isinstance(app.screen, SourceScreen) and len(app.screen.query(".paragraph")) > 0
            ),
        )
        await pilot.pause(0.2)
        quote = commitment["sources"][0]["quote"]
        highlighted = []
        for paragraph in app.screen.query(".paragraph"):
            text = paragraph.content  # the rich Text the screen drew
            for span in text.spans:
                if str(span.style) == FOCUS_STYLE:
                    highlighted.append(text.plain[span.start : span.end])
        assert "".join(highlighted) == quote
        focused = [p for p in app.screen.query(".paragraph") if quote in str(p.render())]
        scroller = app.screen.query_one("#source-text")
        assert focused and scroller.region.overlaps(focused[0].region)
        # back twice: the commitment, then the company
        await pilot.press("escape")
        assert isinstance(app.screen, DetailScreen) and app.screen.ref.startswith("commitment:")
        await pilot.press("backspace")
        assert app.screen.ref == "organization:citic-group"
        await pilot.press("escape")  # back from the hit: the results, the query as typed
        assert isinstance(app.screen, SearchScreen)
        assert app.screen.query_one(Input).value == "citic"
        await pilot.press("escape")
        assert app.screen is start
        # and forward again (on a pane `]` sorts: alt+right is forward there)
        await pilot.press("alt+right")
        await settle(pilot, lambda: isinstance(app.screen, DetailScreen))
        assert app.screen.ref == "organization:citic-group"


async def test_search_tolerates_typo_and_transliteration(seed_db):
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.press("slash", *"Tokaev")
        await settle(pilot, lambda: "person:kassym-jomart-tokayev" in app.screen.refs)
        app.screen.query_one(Input).value = "Houliyang"
        await settle(pilot, lambda: app.screen.refs[:1] == ["person:dai-houliang"])
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_filter_pane_by_facet(seed_db, seed_conn):
    from tui.data.queries import facet_counts

    category = facet_counts(seed_conn, "commitment", "category")[0]
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.press("3")
        await settle(pilot, lambda: table(app).row_count > category["count"])
        await pilot.press("f")
        assert isinstance(app.screen, FilterScreen)
        values = app.screen.query_one("#filter-values", OptionList)
        await settle(pilot, lambda: values.option_count > 0)
        index = next(
            i
            for i, o in enumerate(values.options)
            if app.screen.option_values.get(o.id or "", ())[:2] == ("category", category["value"])
        )
        await pilot.press("down")
        values.highlighted = index
        await pilot.press("enter")
        await settle(
            pilot, lambda: app.screen.query_state.filters.get("category") == category["value"]
        )
        await pilot.press("escape")
        await settle(
            pilot,
            lambda: (
                isinstance(app.screen, MainScreen)
                and table(app).row_count == category["count"]
                and app.screen.current_pane.exhausted
            ),
        )
        status = str(app.screen.current_pane.query_one("#pane-status", Static).render())
        assert f"category={category['value'].replace('_', ' ')}" in status  # as listed
        await pilot.press("x")
        await settle(pilot, lambda: table(app).row_count > category["count"])


async def test_sort_by_column(seed_db):
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.press("2")  # meetings: Date is the first column
        pane = app.screen.current_pane
        await settle(pilot, lambda: pane.exhausted and table(app).row_count > 3)
        await pilot.press("left_square_bracket")  # the column cursor is on Date
        await settle(pilot, lambda: pane.sort == ("date", False) and pane.exhausted)
        dates = [str(table(app).get_row_at(i)[0]) for i in range(table(app).row_count)]
        assert dates == sorted(dates)
        await pilot.press("right_square_bracket")
        await settle(pilot, lambda: pane.sort == ("date", True) and pane.exhausted)
        dates = [str(table(app).get_row_at(i)[0]) for i in range(table(app).row_count)]
        assert dates == sorted(dates, reverse=True)


async def test_help_lists_keys_and_q_quits(seed_db):
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.press("question_mark")
        await pilot.pause(0.1)
        from tui.app.screens.help import HelpScreen

        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
        await pilot.press("q")
    assert app.return_code == 0


@pytest.mark.parametrize("ref", ["organization:cnpc", "person:kassym-jomart-tokayev"])
async def test_open_starts_on_entity(seed_db, ref):
    app = RoundtableApp(seed_db, start_ref=ref)
    async with app.run_test(size=SIZE) as pilot:
        await settle(
            pilot, lambda: isinstance(app.screen, DetailScreen) and app.screen.details is not None
        )
        assert app.screen.ref == ref


async def test_command_palette_jumps_to_an_entity(seed_db):
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await run_palette(pilot, "Dai Houliang")
        await settle(
            pilot, lambda: isinstance(app.screen, DetailScreen) and app.screen.details is not None
        )
        assert app.screen.ref == "person:dai-houliang"


async def test_command_palette_runs_pane_action(seed_db):
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await run_palette(pilot, "Go to Indicators")
        await settle(
            pilot,
            lambda: (
                isinstance(app.screen, MainScreen) and app.screen.current_pane.kind == "indicator"
            ),
        )
