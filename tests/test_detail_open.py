"""Opening details: filled in from the first paint, one after another on a kept screen, and at
once (filling in later) when reading is slow. What the user sees must always be the entity
they asked for, never the last one's fields or links."""

from __future__ import annotations

from pilotkit import SIZE, detail_ready, detail_row, hold_back_detail_reads, settle

from tui.app import explorer as app_module
from tui.app.explorer import RoundtableApp
from tui.app.screens import detail as detail_module
from tui.app.screens.detail import DetailScreen
from tui.app.screens.main import MainScreen
from tui.app.widgets.breadcrumb import Breadcrumb
from tui.app.widgets.detail_list import DetailList
from tui.app.widgets.key_hints import KeyHints
from tui.data import details as details_module


def shown(app) -> tuple[str, str, str]:
    screen = app.screen
    title = detail_row(app, "detail-title")
    links = screen.query_one("#detail-links", DetailList)
    first_link = str(links.get_option_at_index(0).prompt) if links.option_count else ""
    crumb = str(screen.query_one(Breadcrumb).render())
    return title, first_link, crumb


async def test_a_detail_is_filled_in_when_its_screen_first_shows(seed_db, monkeypatch):
    # The read has all the time it needs (a loaded machine may take longer than the 0.1 s the
    # explorer waits): what is checked is that a read done in time opens the screen filled in.
    monkeypatch.setattr(app_module, "DETAIL_WAIT_S", 10.0)
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        seen_empty: list[bool] = []
        original = DetailScreen.on_screen_resume

        # When the screen comes into view (a new one, or the one built ahead while the panes
        # showed), is the entity already on it?
        def on_screen_resume(screen: DetailScreen) -> None:
            original(screen)
            seen_empty.append(screen.details is None)

        DetailScreen.on_screen_resume = on_screen_resume  # type: ignore[method-assign]
        try:
            app.open_entity("organization:cnpc")
            await settle(pilot, lambda: detail_ready(app, "organization:cnpc"))
        finally:
            DetailScreen.on_screen_resume = original  # type: ignore[method-assign]
        assert seen_empty == [False], "the screen should open with its details, not fill in"


async def test_details_opened_one_after_another_show_each_entity(seed_db):
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        screens = []
        for ref, name in [
            ("organization:cnpc", "China National Petroleum"),
            ("person:kassym-jomart-tokayev", "Tokayev"),
            ("organization:cnpc", "China National Petroleum"),
            ("place:shymkent", "Shymkent"),
        ]:
            app.open_entity(ref)
            await settle(pilot, lambda r=ref: detail_ready(app, r))
            await pilot.pause(0.1)
            title, _first_link, crumb = shown(app)
            assert name in title and name in crumb, (ref, title, crumb)
            screens.append(app.screen)
            await pilot.press("escape")
            await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        # closed detail screens are kept and reused, not rebuilt for every entity
        assert len({id(screen) for screen in screens}) == 1


async def test_a_detail_over_another_and_back_keeps_both(seed_db):
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        app.open_entity("organization:cnpc")
        await settle(pilot, lambda: detail_ready(app, "organization:cnpc"))
        cnpc = shown(app)
        app.open_entity("place:shymkent")
        await settle(pilot, lambda: detail_ready(app, "place:shymkent"))
        await pilot.pause(0.1)
        assert "Shymkent" in shown(app)[0]
        assert "China National Petroleum" in shown(app)[2]  # the path: CNPC › Shymkent
        await pilot.press("escape")
        await settle(pilot, lambda: detail_ready(app, "organization:cnpc"))
        await pilot.pause(0.1)
        title, first_link, crumb = shown(app)
        assert (title, first_link) == cnpc[:2]
        assert crumb.startswith(cnpc[2]) and "forward 1" in crumb


async def test_a_slow_detail_opens_at_once_and_fills_in(seed_db, monkeypatch):
    # every read of the details waits for the test
    read_may_end = hold_back_detail_reads(monkeypatch, details_module, detail_module)
    app = RoundtableApp(seed_db)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot, lambda: isinstance(app.screen, MainScreen))
            app.open_entity("organization:cnpc")
            # a slow read must not hold the screen back: it opens while no read has ended
            await settle(pilot, lambda: isinstance(app.screen, DetailScreen))
            assert app.screen.details is None  # open, still reading
            read_may_end.set()
            await settle(pilot, lambda: detail_ready(app, "organization:cnpc"))
            assert "China National Petroleum" in shown(app)[0]
    finally:
        read_may_end.set()


async def test_the_bottom_line_lists_the_keys_of_the_screen_in_view(seed_db):
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.pause(0.2)
        hints = app.screen.query_one(KeyHints)
        panes = str(hints.render())
        assert "Filter" in panes and "Search" in panes and panes.rstrip().endswith("palette")
        # keys stand out from what they do (bold keys: legible with no colour at all)
        segments = list(hints.render().render(app.console))
        key = next(s for s in segments if s.text == " f ")
        does = next(s for s in segments if s.text.startswith("Filter"))
        assert key.style.bold and not does.style.bold
        app.open_entity("organization:cnpc")
        await settle(pilot, lambda: detail_ready(app, "organization:cnpc"))
        await pilot.pause(0.2)
        detail = str(app.screen.query_one(KeyHints).render())
        assert "Back" in detail and "Who met whom" in detail and "Filter" not in detail


async def test_search_opens_as_left_and_typing_finds_again(seed_db):
    """`/` again shows the last results with the query as typed, selected: typing replaces
    it (issue 13: search that resumes), and back from a hit returns to the results."""
    from textual.widgets import Input

    from tui.app.screens.search import SearchScreen

    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        last = ""
        for query, ref in [("cnpc", "organization:cnpc"), ("shymk", "place:shymkent")]:
            await pilot.press("slash")
            await settle(pilot, lambda: isinstance(app.screen, SearchScreen))
            box = app.screen.query_one(Input)
            assert box.value == last  # the last search, as typed
            await pilot.press(*query)  # replaces it
            await settle(pilot, lambda r=ref: app.screen.refs[:1] == [r])
            assert box.value == query
            await pilot.press("enter")
            await settle(pilot, lambda r=ref: detail_ready(app, r))
            await pilot.press("escape")  # back: the results
            await settle(pilot, lambda: isinstance(app.screen, SearchScreen))
            await pilot.press("escape")
            await settle(pilot, lambda: isinstance(app.screen, MainScreen))
            last = query


async def test_the_first_detail_opens_on_a_screen_built_ahead(seed_db):
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.pause(app_module.PREPARE_DETAIL_S + 0.3)
        ahead = app.get_screen("detail-0")
        assert isinstance(ahead, DetailScreen) and ahead.is_running and app.screen is not ahead
        app.open_entity("organization:cnpc")
        await settle(pilot, lambda: detail_ready(app, "organization:cnpc"))
        await pilot.pause(0.1)
        assert app.screen is ahead
        title, _first_link, crumb = shown(app)
        assert "China National Petroleum" in title and "China National Petroleum" in crumb
        assert str(app.screen.query_one(KeyHints).render()).count("Back") == 1


async def test_amounts_read_as_numbers_not_floats(seed_db):
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        app.open_entity("commitment:state-visit-documents")
        await settle(pilot, lambda: detail_ready(app, "commitment:state-visit-documents"))
        rows = app.screen.query_one("#detail-links", DetailList).options
        fields = "\n".join(str(o.prompt) for o in rows if (o.id or "").startswith("field-"))
        assert "22,000,000,000  ($22 bn)" in fields
        assert "22000000000" not in fields and "document count  47" in fields
