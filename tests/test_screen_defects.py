"""Defects in the explorer's screens, each pinned by a test that failed before its fix."""

from __future__ import annotations

import threading

import pytest
from pilotkit import SIZE, detail_ready, hold_back_detail_reads, settle
from textual.widgets import Static

from tui.app.explorer import RoundtableApp
from tui.app.screens.detail import DetailScreen
from tui.app.screens.filter import FilterScreen
from tui.app.screens.main import MainScreen
from tui.data import details as details_module
from tui.data import queries


def filter_status(app: RoundtableApp) -> str:
    return str(app.screen.query_one("#filter-status", Static).render())


async def test_filter_count_of_an_older_query_arriving_late_is_dropped(
    seed_db, seed_conn, monkeypatch
):
    """The count for the box as it opened (empty) comes back after the one for "china": the
    box must go on showing how many match "china"."""
    expected = queries.count_matching(seed_conn, "organization", filters={}, text="china")
    everything = queries.count_matching(seed_conn, "organization", filters={}, text=None)
    assert expected != everything
    release = threading.Event()
    original = queries.count_matching

    def slow_for_the_empty_box(conn, kind, *, filters, text=None):
        if text is None:  # the count asked for when the box opened
            assert release.wait(10), "the test never released the slow count"
        return original(conn, kind, filters=filters, text=text)

    monkeypatch.setattr(queries, "count_matching", slow_for_the_empty_box)
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.press("f")
        await settle(pilot, lambda: isinstance(app.screen, FilterScreen))
        await pilot.press(*"china")
        await settle(pilot, lambda: filter_status(app).startswith(f"{expected} match"))
        release.set()  # the older count now arrives, last
        await settle(pilot, lambda: not any(w.is_running for w in app.screen.workers))
        await pilot.pause()
        assert filter_status(app).startswith(f"{expected} match"), filter_status(app)


async def test_a_detail_read_in_two_steps_changes_the_screen_only_on_the_apps_thread(
    seed_db, monkeypatch
):
    """The screen opens before its details are read (the explorer's own read is held back) and
    reads them itself, in two steps (as for an entity with thousands of links). Every change
    to the screen's state, and every showing, happens on the app's thread."""
    monkeypatch.setattr(details_module, "TWO_STEP_LINKS", 0)
    held = hold_back_detail_reads(monkeypatch, details_module)
    off_thread: list[str] = []
    app_thread = threading.current_thread()
    original_setattr = DetailScreen.__setattr__
    original_show = DetailScreen.show

    def recording_setattr(screen: DetailScreen, name: str, value: object) -> None:
        if threading.current_thread() is not app_thread:
            off_thread.append(f"{name} = {value!r}")
        original_setattr(screen, name, value)

    def recording_show(screen: DetailScreen, details: dict) -> None:
        if threading.current_thread() is not app_thread:
            off_thread.append("show()")
        original_show(screen, details)

    monkeypatch.setattr(DetailScreen, "__setattr__", recording_setattr)
    monkeypatch.setattr(DetailScreen, "show", recording_show)
    app = RoundtableApp(seed_db)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot, lambda: isinstance(app.screen, MainScreen))
            app.open_entity("organization:huawei")
            await settle(
                pilot,
                lambda: (
                    detail_ready(app, "organization:huawei")
                    and "partner" in app.screen.details["link_counts"]  # the second step
                ),
            )
            held.set()
            await settle(pilot, lambda: not any(w.is_running for w in app.workers))
    finally:
        held.set()
    assert not off_thread, off_thread


def test_the_first_read_of_a_big_entity_leaves_out_its_two_hop_links(seed_conn, monkeypatch):
    """The data layer decides what a detail reads first (no screen needed to ask it)."""
    details, complete = details_module.first_details(seed_conn, "organization:huawei")
    assert complete and "partner" in details["link_counts"]
    monkeypatch.setattr(details_module, "TWO_STEP_LINKS", 3)  # Huawei has 4 links of its own
    details, complete = details_module.first_details(seed_conn, "organization:huawei")
    assert not complete and "partner" not in details["link_counts"]
    assert details["link_counts"]["commitment"] == 2


def test_a_location_builds_every_screen_but_an_entity_detail():
    """An entity's detail is read first and shown on a kept screen (`RoundtableApp._show`):
    a location never builds one of its own."""
    from tui.app.explorer import Location, View
    from tui.app.screens.network import NetworkScreen
    from tui.app.screens.source import SourceScreen

    assert Location("organization:huawei").is_entity_detail
    with pytest.raises(ValueError, match="organization:huawei"):
        Location("organization:huawei").screen()
    article = Location("article:kazinform-roundtable", (0, 10))
    assert not article.is_entity_detail and isinstance(article.screen(), SourceScreen)
    assert isinstance(Location("person:x", view=View.NETWORK).screen(), NetworkScreen)


async def test_a_detail_that_opens_while_the_terminal_is_too_small_opens_under_the_notice(
    seed_db, monkeypatch
):
    """A detail read still running when the terminal shrinks opens afterwards, by itself: it
    must open under the too-small notice, so that growing the terminal again takes the notice
    away (it stayed, stale, above everything, and came back once the detail was closed)."""
    from tui.app.screens.too_small import TooSmallScreen

    held = hold_back_detail_reads(monkeypatch, details_module)
    app = RoundtableApp(seed_db)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot, lambda: isinstance(app.screen, MainScreen))
            app.open_entity("organization:huawei")
            await pilot.resize_terminal(30, 8)
            await settle(pilot, lambda: any(isinstance(s, DetailScreen) for s in app.screen_stack))
            assert isinstance(app.screen, TooSmallScreen)
            await pilot.resize_terminal(*SIZE)
            await settle(pilot, lambda: isinstance(app.screen, DetailScreen))
            assert not any(isinstance(s, TooSmallScreen) for s in app.screen_stack)
            held.set()  # and let the read end before the app closes its connections
            await settle(pilot, lambda: not any(w.is_running for w in app.workers))
    finally:
        held.set()


async def test_the_path_shortened_for_a_narrow_screen_is_whole_again_when_it_grows(seed_db):
    from tui.app.widgets.breadcrumb import Breadcrumb

    app = RoundtableApp(seed_db)
    async with app.run_test(size=(40, 12)) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.press("3")
        await pilot.pause(0.3)
        app.open_entity("commitment:state-visit-documents")
        await settle(pilot, lambda: detail_ready(app, "commitment:state-visit-documents"))
        crumb = app.screen.query_one(Breadcrumb)
        assert str(crumb.render()).startswith("…")  # 40 columns: the oldest crumb gives way
        await pilot.resize_terminal(20, 6)  # too small
        await pilot.pause(0.2)
        await pilot.resize_terminal(80, 24)
        await settle(pilot, lambda: isinstance(app.screen, DetailScreen))
        await settle(pilot, lambda: not str(crumb.render()).startswith("…"))
        assert str(crumb.render()).startswith("Commitments › ")
