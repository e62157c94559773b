"""What the Review screen looks like at 80x24 (review the SVG in tests/__snapshots__ when a
change is intended, then update with --snapshot-update)."""

from __future__ import annotations

from pathlib import Path

from pilotkit import settle
from textual.pilot import Pilot

from tui.app.explorer import RoundtableApp
from tui.app.screens.review import ReviewScreen
from tui.cli.main import main

ARTICLE = (
    "ASTANA, June 3, 2024 – Kazakh President Kassym-Jomart Tokaev received Xi Guohua, "
    "Chairman of the Board of Directors of CITIC Group Corporation, at the Akorda.\n\n"
    "Jiangxi Copper Company and KAZ Minerals signed an agreement on the supply of copper "
    "concentrate, the Head of State’s press service reported.\n"
)


def test_review_screen(snap_compare, tmp_path: Path, capsys):
    corpus = tmp_path / "corpus"
    article = tmp_path / "citic.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    assert main(["init", str(corpus)]) == 0
    assert main(["--corpus", str(corpus), "add", str(article)]) == 0
    capsys.readouterr()

    async def ready(pilot: Pilot) -> None:
        app = pilot.app
        await settle(pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.review)
        await pilot.press("down", "a")  # Jiangxi Copper Company: accepted, KAZ Minerals next
        await pilot.pause(0.1)

    app = RoundtableApp(corpus / "roundtable.db", corpus=corpus, review="citic")
    assert snap_compare(app, run_before=ready, terminal_size=(80, 24))
