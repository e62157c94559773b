"""What the main screens look like at 80x24 (pytest-textual-snapshot; review the SVGs in
tests/__snapshots__ when a change is intended, then update with --snapshot-update)."""

from __future__ import annotations

from pilotkit import pane_loaded, settle
from textual.pilot import Pilot

from tui.app.explorer import RoundtableApp
from tui.app.screens.detail import DetailScreen
from tui.app.screens.search import SearchScreen
from tui.app.screens.source import SourceScreen


async def _until(pilot: Pilot, condition, timeout: float = 5.0) -> None:
    """Wait for `condition`, then a moment more so the screen is painted."""
    await settle(pilot, condition, timeout)
    await pilot.pause(0.1)


def _panes_loaded(pilot: Pilot) -> bool:
    return pane_loaded(pilot.app)


def test_companies_pane(snap_compare, seed_db):
    async def ready(pilot: Pilot) -> None:
        await _until(pilot, lambda: _panes_loaded(pilot))

    assert snap_compare(RoundtableApp(seed_db), run_before=ready)


def test_commitments_pane(snap_compare, seed_db):
    async def ready(pilot: Pilot) -> None:
        await _until(pilot, lambda: _panes_loaded(pilot))
        await pilot.press("3")
        await _until(pilot, lambda: _panes_loaded(pilot))

    assert snap_compare(RoundtableApp(seed_db), run_before=ready)


def test_search_screen(snap_compare, seed_db):
    async def ready(pilot: Pilot) -> None:
        await _until(pilot, lambda: _panes_loaded(pilot))
        await pilot.press("slash", *"wind")
        await _until(
            pilot,
            lambda: isinstance(pilot.app.screen, SearchScreen) and len(pilot.app.screen.refs) > 0,
        )

    assert snap_compare(RoundtableApp(seed_db), run_before=ready)


def test_detail_screen(snap_compare, seed_db):
    async def ready(pilot: Pilot) -> None:
        await _until(
            pilot,
            lambda: (
                isinstance(pilot.app.screen, DetailScreen) and pilot.app.screen.details is not None
            ),
        )

    assert snap_compare(RoundtableApp(seed_db, start_ref="organization:cnpc"), run_before=ready)


def _quote_in_view(screen, quote: str) -> bool:
    scroller = screen.query_one("#source-text")
    shown = [p for p in screen.query(".paragraph") if quote[:40] in str(p.render())]
    return bool(shown) and scroller.region.overlaps(shown[0].region)


def test_source_reader(snap_compare, seed_db):
    async def ready(pilot: Pilot) -> None:
        await _until(
            pilot,
            lambda: (
                isinstance(pilot.app.screen, DetailScreen) and pilot.app.screen.details is not None
            ),
        )
        details = pilot.app.screen.details
        source = details["sources"][0]
        pilot.app.open_source(source["article"], (source["start"], source["end"]))
        await _until(
            pilot,
            lambda: (
                isinstance(pilot.app.screen, SourceScreen)
                and len(pilot.app.screen.query(".paragraph")) > 0
            ),
        )
        # ...and scrolled to the quote, which happens after the paragraphs are first drawn
        await _until(pilot, lambda: _quote_in_view(pilot.app.screen, source["quote"]))
        await pilot.pause(0.2)

    app = RoundtableApp(seed_db, start_ref="commitment:copper-smelter")
    assert snap_compare(app, run_before=ready)
