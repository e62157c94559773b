"""What the Review screen looks like at 80x24 (review the SVG in tests/__snapshots__ when a
change is intended, then update with --snapshot-update)."""

from __future__ import annotations

from pathlib import Path

from pilotkit import settle
from reviewkit import CITIC_SHORT, corpus_with
from textual.pilot import Pilot

from tui.app.explorer import RoundtableApp
from tui.app.screens.review import ReviewScreen


def test_review_screen(snap_compare, tmp_path: Path, capsys):
    corpus = corpus_with(tmp_path, CITIC_SHORT, capsys)

    async def ready(pilot: Pilot) -> None:
        app = pilot.app
        await settle(pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.review)
        await pilot.press("down", "a")  # Jiangxi Copper Company: accepted, KAZ Minerals next
        await pilot.pause(0.1)

    app = RoundtableApp(corpus / "roundtable.db", corpus=corpus, review="citic")
    assert snap_compare(app, run_before=ready, terminal_size=(80, 24))
