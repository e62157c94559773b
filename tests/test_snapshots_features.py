"""What the analysis views look like at 80x24 (review the SVGs in tests/__snapshots__ when a
change is intended, then update with --snapshot-update)."""

from __future__ import annotations

from pilotkit import pane_loaded, settle
from textual.pilot import Pilot

from tui.app.explorer import RoundtableApp
from tui.app.screens.corroboration import CorroborationScreen
from tui.app.screens.export import ExportScreen
from tui.app.screens.network import NetworkScreen
from tui.app.screens.totals import TotalsScreen


async def _until(pilot: Pilot, condition, timeout: float = 5.0) -> None:
    """Wait for `condition`, then a moment more so the screen is painted."""
    await settle(pilot, condition, timeout)
    await pilot.pause(0.1)


def _main_ready(pilot: Pilot) -> bool:
    return pane_loaded(pilot.app)


def test_timeline_pane(snap_compare, seed_db):
    async def ready(pilot: Pilot) -> None:
        await _until(pilot, lambda: _main_ready(pilot))
        await pilot.press("8")
        await _until(pilot, lambda: _main_ready(pilot))

    assert snap_compare(RoundtableApp(seed_db), run_before=ready)


def test_network_screen(snap_compare, seed_db):
    async def ready(pilot: Pilot) -> None:
        await _until(pilot, lambda: pilot.app.screen.__class__.__name__ == "DetailScreen")
        await pilot.press("w")
        await _until(
            pilot,
            lambda: isinstance(pilot.app.screen, NetworkScreen) and pilot.app.screen.root_node,
        )

    app = RoundtableApp(seed_db, start_ref="organization:spic")
    assert snap_compare(app, run_before=ready)


def test_totals_screen(snap_compare, seed_db):
    async def ready(pilot: Pilot) -> None:
        await _until(pilot, lambda: _main_ready(pilot))
        await pilot.press("T")
        await _until(
            pilot, lambda: isinstance(pilot.app.screen, TotalsScreen) and pilot.app.screen.loaded
        )

    assert snap_compare(RoundtableApp(seed_db), run_before=ready)


def test_corroboration_screen(snap_compare, seed_db):
    async def ready(pilot: Pilot) -> None:
        await _until(pilot, lambda: _main_ready(pilot))
        await pilot.press("r")
        await _until(
            pilot,
            lambda: isinstance(pilot.app.screen, CorroborationScreen) and pilot.app.screen.loaded,
        )

    assert snap_compare(RoundtableApp(seed_db), run_before=ready)


def test_export_dialog(snap_compare, seed_db, monkeypatch):
    # The dialog shows the absolute path it writes: a fixed export folder keeps it the same.
    monkeypatch.setenv("ROUNDTABLE_EXPORT_DIR", "/srv/exports")

    async def ready(pilot: Pilot) -> None:
        await _until(pilot, lambda: _main_ready(pilot))
        await pilot.press("3")
        await _until(pilot, lambda: _main_ready(pilot))
        await pilot.press("e")
        await _until(pilot, lambda: isinstance(pilot.app.screen, ExportScreen))

    assert snap_compare(RoundtableApp(seed_db), run_before=ready)
