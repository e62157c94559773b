"""The export dialog says where it writes, asks before replacing a file, and leaves the
history as it was; an export with no rows still has its header."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from pilotkit import SIZE, detail_ready, pane_loaded, settle
from textual.command import CommandPalette
from textual.widgets import Input, Static

from tui.app.explorer import RoundtableApp
from tui.app.screens.detail import DetailScreen
from tui.app.screens.export import ExportScreen
from tui.app.screens.main import MainScreen


def status(app: RoundtableApp) -> str:
    return str(app.screen.query_one("#export-status", Static).render())


def target_line(app: RoundtableApp) -> str:
    return str(app.screen.query_one("#export-target", Static).render())


@pytest.fixture
def in_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ROUNDTABLE_EXPORT_DIR", raising=False)
    return tmp_path


async def open_export(pilot, app) -> Input:
    await pilot.press("e")
    await settle(pilot, lambda: isinstance(app.screen, ExportScreen))
    return app.screen.query_one("#export-path", Input)


async def test_the_dialog_shows_the_absolute_path_named_after_pane_and_filter(seed_db, in_folder):
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: pane_loaded(app))
        await pilot.press("3", "f", *"wind", "escape")
        pane = app.screen.current_pane
        await settle(pilot, lambda: pane.exhausted)
        box = await open_export(pilot, app)
        assert box.value == "roundtable-commitment-text-wind.csv"
        await settle(pilot, lambda: str(in_folder) in target_line(app))
        assert target_line(app).endswith(f"{in_folder}/roundtable-commitment-text-wind.csv")


async def test_an_existing_file_is_replaced_only_on_a_second_enter(seed_db, in_folder):
    kept = in_folder / "mine.csv"
    kept.write_text("my own notes\n", encoding="utf-8")
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: pane_loaded(app))
        box = await open_export(pilot, app)
        box.value = "mine.csv"
        await pilot.press("enter")
        await settle(pilot, lambda: "Exists" in status(app))
        await pilot.pause(0.2)
        assert kept.read_text(encoding="utf-8") == "my own notes\n"
        assert isinstance(app.screen, ExportScreen)
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
    assert kept.read_text(encoding="utf-8").startswith("ref,name")


async def test_exporting_from_the_palette_on_a_detail_keeps_the_history(seed_db, in_folder):
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: pane_loaded(app))
        await pilot.press("enter")
        await settle(pilot, lambda: detail_ready(app))
        ref = app.screen.ref
        await pilot.press("ctrl+p")
        await settle(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"Export the current pane")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, ExportScreen))
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, DetailScreen))
        assert app.screen.ref == ref  # the detail is where it was
        await pilot.press("backspace")
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
    assert list(in_folder.glob("roundtable-*.csv"))


async def test_the_export_folder_can_be_configured(seed_db, in_folder, monkeypatch):
    folder = in_folder / "exports"
    folder.mkdir()
    monkeypatch.setenv("ROUNDTABLE_EXPORT_DIR", str(folder))
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: pane_loaded(app))
        box = await open_export(pilot, app)
        assert Path(box.value).parent == folder
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
    assert len(list(folder.glob("*.csv"))) == 1


def test_an_export_with_no_rows_still_has_its_header(cli, seed_db, tmp_path):
    empty = tmp_path / "none.csv"
    result = cli("--db", str(seed_db), "export", "commitment", "--text", "zzqqxx", "-o", str(empty))
    assert result.code == 0
    with empty.open(encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert list(reader) == []
        assert reader.fieldnames and {"ref", "name", "amount"} <= set(reader.fieldnames)
    full = cli("--db", str(seed_db), "export", "commitment").out
    assert full.splitlines()[0] == ",".join(reader.fieldnames)


async def test_under_the_dialog_the_bottom_line_offers_the_dialogs_keys_not_the_panes(
    seed_db, in_folder
):
    from tui.app.widgets.key_hints import KeyHints

    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: pane_loaded(app))
        bottom = app.screen.query_one(KeyHints)
        assert "Filter" in bottom.render_line(0).text
        await open_export(pilot, app)
        await settle(pilot, lambda: "Filter" not in bottom.render_line(0).text)
        assert "Quit" not in bottom.render_line(0).text  # (q would type a letter in the box)
        await pilot.press("escape")
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        await settle(pilot, lambda: "Filter" in bottom.render_line(0).text)
