"""A field's sources one key away in the explorer's detail view, driven by keyboard at 80x24:
`s` on a field or a link unfolds the statements stating it (quote, article, who asserted it),
enter on one reads it in its article, `s` again folds them. Expectations come from the
database, so they hold whatever the curated facts say."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from pathlib import Path

import pytest
from pilotkit import SIZE, detail_ready, detail_row, settle
from statementkit import CITIC, build_asserted

from tui.app.explorer import RoundtableApp
from tui.app.keys import BY_ID
from tui.app.screens import detail as detail_module
from tui.app.screens.main import MainScreen
from tui.app.screens.source import SourceScreen
from tui.app.widgets.detail_list import DetailList
from tui.data import details as details_module
from tui.formatting import agreement

SMELTER = "commitment:copper-smelter"
SOURCES_KEY = BY_ID["detail.sources"].keys


def options(app) -> DetailList:
    return app.screen.query_one("#detail-links", DetailList)


def ids(app) -> list[str]:
    return [o.id or "" for o in options(app).options]


def prompt(app, option_id: str) -> str:
    return next(str(o.prompt) for o in options(app).options if o.id == option_id)


async def move_to(pilot, option_id: str) -> None:
    """Walk the list with the arrow keys until `option_id` is highlighted."""
    app = pilot.app
    target = ids(app).index(option_id)
    for _ in range(len(ids(app))):
        at = options(app).highlighted
        if at == target:
            return
        await pilot.press("up" if at is not None and at > target else "down")
    assert options(app).highlighted == target, f"could not reach {option_id}"


def statements(db: Path, ref: str, prop: str) -> list[tuple[str, str, str | None]]:
    """(quote, article name, asserter name) of each statement of `ref`'s `prop`."""
    with sqlite3.connect(db) as conn:
        return conn.execute(
            """SELECT q.text, a.name, ab.name FROM statements AS s
               JOIN quotes AS q ON q.id = s.quote_id JOIN entities AS a ON a.ref = s.article_ref
               LEFT JOIN entities AS ab ON ab.ref = s.asserted_by_ref
               WHERE s.subject_ref = ? AND s.property = ?""",
            (ref, prop),
        ).fetchall()


def differing_field(db: Path, ref: str) -> tuple[str, str, int]:
    """(field row, agreement, articles) of a field of `ref` that two articles state, the
    articles differing where some field differs (a stated difference shows first)."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            """SELECT property, agreement, articles FROM property_agreements
               WHERE subject_ref = ? AND articles > 1 AND property IN
                   ('status', 'announced_at', 'category', 'sector', 'description', 'amount',
                    'date', 'place', 'part_of')
               ORDER BY agreement = 'corroborated', property""",
            (ref,),
        ).fetchall()
    assert rows, f"no field of {ref} stated by two articles"
    prop, agreed, articles = rows[0]
    key = f"{prop}_name" if prop in ("announced_at", "place", "part_of") else prop
    return f"field-{key}", agreed, articles


async def test_the_detail_says_how_the_articles_agree(seed_db):
    with sqlite3.connect(seed_db) as conn:
        stored = conn.execute("SELECT agreement FROM entities WHERE ref = ?", (SMELTER,))
        expected = agreement(stored.fetchone()[0])
    row, agreed, articles = differing_field(seed_db, SMELTER)
    app = RoundtableApp(seed_db, start_ref=SMELTER)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: detail_ready(app, SMELTER))
        summary = detail_row(app, "detail-fields")
        assert expected in summary
        mark = {"corroborated": f"·{articles} articles"}.get(agreed, agreed)
        assert mark in prompt(app, row)  # e.g. under way in one article, intended in the other


async def test_sources_of_a_field_unfold_with_one_key_and_open_the_article(seed_db):
    row, _, _ = differing_field(seed_db, SMELTER)
    prop = row.removeprefix("field-").removesuffix("_name")
    said = statements(seed_db, SMELTER, prop)
    assert len({article for _, article, _ in said}) >= 2
    app = RoundtableApp(seed_db, start_ref=SMELTER)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: detail_ready(app, SMELTER))
        before = ids(app)
        await move_to(pilot, row)
        await pilot.press(SOURCES_KEY)
        unfolded = [i for i in ids(app) if i.startswith(f"said-{row}-")]
        assert len(unfolded) == len(said)
        shown = " ".join(prompt(app, i) for i in unfolded)
        for quote, article, _ in said:
            assert quote[:40] in shown.replace("\n", " ")
            assert article[:20] in shown
        assert options(app).highlighted == ids(app).index(row)  # still on the field
        await pilot.press("down", "enter")
        await settle(pilot, lambda: isinstance(app.screen, SourceScreen))
        assert app.screen.focus_span is not None
        await pilot.press("escape")
        await settle(pilot, lambda: detail_ready(app, SMELTER))
        await move_to(pilot, unfolded[0])
        await pilot.press(SOURCES_KEY)  # on a source: folds its field
        assert ids(app) == before


async def test_a_link_row_unfolds_its_own_sources(seed_db):
    """The copper smelter's NFC party is named by one article only: its row says so, and `s`
    unfolds that article's quote."""
    app = RoundtableApp(seed_db, start_ref=SMELTER)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: detail_ready(app, SMELTER))
        links = [link for link in app.screen.details["links"] if link["relation"] == "party"]
        index = next(i for i, link in enumerate(links) if link["ref"] == "organization:nfc")
        row = f"link-party-{index}"
        assert prompt(app, row).endswith("·1 article")
        await move_to(pilot, row)
        await pilot.press(SOURCES_KEY)
        unfolded = [i for i in ids(app) if i.startswith(f"said-{row}-")]
        assert len(unfolded) == len(links[index]["statements"]) >= 1
        assert links[index]["statements"][0]["quote"] in prompt(app, unfolded[0])
        await pilot.press(SOURCES_KEY)
        assert not [i for i in ids(app) if i.startswith(f"said-{row}-")]


async def test_a_big_entitys_link_sources_unfold_once_read(seed_db, monkeypatch):
    """A big entity's first view leaves its links' statements unread (they come with the
    rest): `s` on a link says they are being read, and shows them, unfolded, once read."""
    monkeypatch.setattr(details_module, "TWO_STEP_LINKS", 0)  # the smelter is "big"
    released = threading.Event()
    complete_read = detail_module.entity_details

    def held_back(*args, **kwargs):
        assert released.wait(10), "the test never released the complete read"
        return complete_read(*args, **kwargs)

    monkeypatch.setattr(detail_module, "entity_details", held_back)
    app = RoundtableApp(seed_db, start_ref=SMELTER)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot, lambda: detail_ready(app, SMELTER))
            assert app.screen.details.get("links_stated") is False
            links = [link for link in app.screen.details["links"] if link["relation"] == "party"]
            index = next(i for i, link in enumerate(links) if link["ref"] == "organization:nfc")
            row = f"link-party-{index}"
            await move_to(pilot, row)
            await pilot.press(SOURCES_KEY)
            [waiting] = [i for i, o in enumerate(options(app).options) if o.disabled
                         and "reading its sources" in str(o.prompt)]  # fmt: skip
            assert waiting == ids(app).index(row) + 1
            released.set()
            await settle(pilot, lambda: any(i.startswith(f"said-{row}-") for i in ids(app)))
            said = app.screen.details["links"][index]["statements"]
            assert said and said[0]["quote"] in prompt(app, f"said-{row}-0")
    finally:
        released.set()


@pytest.fixture(scope="module")
def asserted_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_asserted(tmp_path_factory.mktemp("asserted"))


async def test_a_source_says_who_asserted_it(asserted_db):
    [(_, _, who)] = {row for row in statements(asserted_db, CITIC, "amount")}
    assert who
    app = RoundtableApp(asserted_db, start_ref=CITIC)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: detail_ready(app, CITIC))
        await move_to(pilot, "field-amount")
        await pilot.press("enter")  # enter on a field unfolds it too
        [source] = [i for i in ids(app) if i.startswith("said-field-amount-")]
        assert f"according to {who}" in prompt(app, source)


async def test_a_quote_is_shown_as_text_never_as_markup(seed_db, tmp_path):
    db = tmp_path / "marked.db"
    shutil.copyfile(seed_db, db)
    with sqlite3.connect(db) as conn:
        conn.execute(
            """UPDATE quotes SET text = '[bold red]boom[/bold red] \x1b[31m' WHERE id IN (
                   SELECT quote_id FROM statements WHERE subject_ref = ? AND property = ?)""",
            (SMELTER, "category"),
        )
    app = RoundtableApp(db, start_ref=SMELTER)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: detail_ready(app, SMELTER))
        await move_to(pilot, "field-category")
        await pilot.press(SOURCES_KEY)
        source = next(i for i in ids(app) if i.startswith("said-field-category-"))
        shown = prompt(app, source)
        assert "[bold red]boom[/bold red]" in shown and "\x1b" not in shown


async def test_totals_screen_counts_a_covered_figure_once_and_says_so(seed_db, tmp_path):
    """With the state visit's 47 documents a total of the visit, the Totals screen counts
    them once, lists CITIC's figure as one they may include (enter opens it), and gives the
    sum if nothing overlaps."""
    from textual.widgets import DataTable

    from tui.app.screens.totals import TotalsScreen

    db = tmp_path / "covered.db"
    shutil.copyfile(seed_db, db)
    with sqlite3.connect(db) as conn:
        conn.execute(
            "UPDATE commitments SET covers_ref = ? WHERE ref = ?",
            ("meeting:state-visit", "commitment:state-visit-documents"),
        )
        conn.execute(
            "UPDATE commitments SET announced_at_ref = NULL, part_of_ref = NULL WHERE ref = ?",
            (CITIC,),
        )
        citic_name = conn.execute("SELECT name FROM entities WHERE ref = ?", (CITIC,)).fetchone()
    app = RoundtableApp(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.press("T")
        await settle(pilot, lambda: isinstance(app.screen, TotalsScreen) and app.screen.loaded)
        table = app.screen.query_one(DataTable)
        keys = [row.key.value or "" for row in table.ordered_rows]
        total = [str(c) for c in table.get_row("total-0")]
        assert total[0] == "all commitments, overlaps once" and total[1] == "$22 bn"
        overlap = next(k for k in keys if k.startswith("overlap-0-"))
        cells = [str(c) for c in table.get_row(overlap)]
        shown = cells[0].strip()  # (cut to its column with "…")
        assert shown.startswith("may include") and shown.endswith("…")
        assert f"may include {citic_name[0]}".startswith(shown[:-1])
        assert cells[1] == "over $1.6 bn"
        assert [str(c) for c in table.get_row("separate-0")][1] == "over $23.6 bn"
        target = keys.index(overlap)
        while table.cursor_row < target:
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot, lambda: detail_ready(app, CITIC))
