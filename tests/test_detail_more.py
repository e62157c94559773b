"""A detail lists the first links of a big relation and "… N more"; Enter on that row lists
more of them, from the keyboard, and the count left goes down by as many."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pilotkit import SIZE, detail_ready, settle

from tui.app.explorer import RoundtableApp
from tui.app.screens.detail import LINKS_MORE, LINKS_SHOWN
from tui.bench.corpus import HUB_ID, generate
from tui.data.build import build_seed

HUB = f"organization:{HUB_ID}"
MORE = re.compile(r"… ([\d,]+) more \(enter shows more\)")


@pytest.fixture(scope="module")
def big_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("more") / "bench.db"
    build_seed(generate(2000, seed=3), path, "more")
    return path


def _ids(app) -> list[str]:
    return [option.id or "" for option in app.screen.link_list.options]


def _left(app, relation: str) -> int | None:
    """What "… N more" says is left of `relation`; None without that row."""
    for option in app.screen.link_list.options:
        if option.id == f"more-{relation}":
            found = MORE.search(str(option.prompt))
            assert found
            return int(found.group(1).replace(",", ""))
    return None


def _listed(app, relation: str) -> int:
    return sum(1 for i in _ids(app) if i.startswith(f"link-{relation}-"))


async def test_enter_on_more_lists_more_links(big_db):
    app = RoundtableApp(big_db, start_ref=HUB)
    async with app.run_test(size=SIZE) as pilot:
        more_rows = lambda: [i for i in _ids(app) if i.startswith("more-")]  # noqa: E731
        await settle(pilot, lambda: detail_ready(app, HUB) and bool(more_rows()), timeout=20)
        await pilot.pause(0.3)  # (the complete read)
        relation = more_rows()[0].removeprefix("more-")
        left, listed = _left(app, relation), _listed(app, relation)
        assert left and listed == LINKS_SHOWN
        links = app.screen.link_list
        while links.highlighted_option.id != f"more-{relation}":
            await pilot.press("j")
        await pilot.press("enter")
        await settle(pilot, lambda: _listed(app, relation) > listed, timeout=20)
        shown = min(left, LINKS_MORE)
        assert _listed(app, relation) == listed + shown
        assert _left(app, relation) == (left - shown or None)
        assert f"link-{relation}-{listed}" in _ids(app)  # (the next one, after the first)
