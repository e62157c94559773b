"""A field no quote states is not filled: an organization, place, meeting or commitment whose
articles state no type, category or status builds, and no view shows "None" for it."""

from __future__ import annotations

from pathlib import Path

import pytest
from pilotkit import detail_ready, pane_loaded, settle
from seedkit import mini_seed, write_seed

from tui.app.explorer import RoundtableApp
from tui.app.screens.main import PANES
from tui.data.build import build

UNSTATED = [
    "organization:steppe-bank",
    "place:almaty",
    "meeting:almaty-meeting",
    "commitment:acme-steppe-agreement",
]


@pytest.fixture
def unstated_db(tmp_path: Path) -> Path:
    data = mini_seed()
    statements = data["statements"]
    statements["organization:steppe-bank"] = [{"quote": "the Steppe Bank signed"}]
    statements["place:almaty"] = [{"quote": "ALMATY"}]
    statements["meeting:almaty-meeting"][0].pop("meeting_type")
    for key in ("category", "status"):
        statements["commitment:acme-steppe-agreement"][0].pop(key)
    db = tmp_path / "unstated.db"
    build(write_seed(tmp_path / "seed", data), db)
    return db


VIEWS = [
    *(("list", kind) for kind in ("organization", "place", "meeting", "commitment")),
    *(("show", ref) for ref in UNSTATED),
    ("timeline",),
    ("totals", "--by", "category"),
    ("export", "commitment", "--format", "csv"),
    ("export", "organization", "--format", "csv"),
]


@pytest.mark.parametrize("args", VIEWS, ids=" ".join)
def test_no_cli_view_shows_none(cli, unstated_db, args):
    result = cli("--db", str(unstated_db), *args)
    assert result.code == 0, result.err
    assert "None" not in result.out


def test_json_gives_null_for_what_no_quote_states(cli, unstated_db):
    fields = cli("--db", str(unstated_db), "show", UNSTATED[0], "--json").json()["fields"]
    assert fields["org_type"] is None


async def test_no_explorer_pane_or_detail_shows_none(unstated_db):
    app = RoundtableApp(unstated_db)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot, lambda: pane_loaded(app))
        for number, (kind, _) in enumerate(PANES, start=1):
            await pilot.press(str(number))
            await settle(
                pilot, lambda k=kind: pane_loaded(app) and app.screen.current_pane.kind == k
            )
            await pilot.pause()
            assert "None" not in app.export_screenshot(), kind
        for ref in UNSTATED:
            app.open_entity(ref)
            await settle(pilot, lambda r=ref: detail_ready(app, r))
            await pilot.pause()
            assert "None" not in app.export_screenshot(), ref
            await pilot.press("escape")
            await settle(pilot, lambda: pane_loaded(app))


def test_the_timeline_says_the_category_when_no_status_is_stated(tmp_path):
    from tui.data import timeline
    from tui.data.db import open_readonly

    data = mini_seed()
    data["statements"]["commitment:acme-steppe-agreement"][0].pop("status")
    db = tmp_path / "no-status.db"
    build(write_seed(tmp_path / "seed", data), db)
    conn = open_readonly(db)
    try:
        (item,) = timeline.items(conn)
    finally:
        conn.close()
    assert item["what"] == "agreement"
