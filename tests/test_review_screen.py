"""The Review screen, driven by keys: what the analyst sees after each decision and edit, what
is saved at once, and what applying writes and the explorer then shows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pilotkit import SIZE, detail_ready, pane_loaded, run_palette, settle
from reviewkit import CITIC, CITIC_ID, corpus_with
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from tui.app.explorer import RoundtableApp
from tui.app.screens.detail import DetailScreen
from tui.app.screens.main import MainScreen
from tui.app.screens.review import ReviewScreen
from tui.app.screens.review_dialogs import (
    EditDialog,
    EntityChooser,
    KindDialog,
    PendingDialog,
    SplitDialog,
)
from tui.app.screens.source import SourceScreen
from tui.app.widgets.hit_list import HitList


@pytest.fixture
def corpus(tmp_path: Path, capsys) -> Path:
    return corpus_with(tmp_path, CITIC, capsys)


def app_for(corpus: Path) -> RoundtableApp:
    return RoundtableApp(corpus / "roundtable.db", corpus=corpus, review=CITIC_ID)


def screen_of(app) -> ReviewScreen:
    screen = app.screen
    assert isinstance(screen, ReviewScreen), type(screen).__name__
    return screen


def ready(app) -> bool:
    return isinstance(app.screen, ReviewScreen) and app.screen.review is not None


def list_text(app) -> str:
    """The proposals list as drawn: every option's text."""
    options = screen_of(app).query_one("#review-list", OptionList)
    return "\n".join(
        str(options.get_option_at_index(i).prompt) for i in range(options.option_count)
    )


def status_line(app) -> str:
    return str(screen_of(app).query_one("#review-status", Static).render())


def saved(corpus: Path) -> dict:
    return json.loads((corpus / "proposals" / f"{CITIC_ID}.json").read_text("utf-8"))


def saved_status(corpus: Path) -> dict[str, str]:
    data = saved(corpus)
    found = data.get("status")
    if isinstance(found, dict):
        return found
    return {p["id"]: p.get("status", "pending") for p in data["proposals"]}


async def highlight(pilot: Pilot, name: str) -> None:
    """Move the list's highlight down to the proposal named `name`."""
    screen = screen_of(pilot.app)
    for _ in range(40):
        p = screen.current()
        if p is not None and p.name.startswith(name):
            return
        await pilot.press("down")
    raise AssertionError(f"no proposal {name!r} in the list:\n{list_text(pilot.app)}")


async def test_the_screen_shows_the_article_and_the_proposals_grouped_by_kind(corpus):
    app = app_for(corpus)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: ready(app))
        shown = list_text(app)
        for heading in ("Organizations", "People", "Places", "Commitments"):
            assert heading in shown
        assert "match → CITIC Group" in shown and "legal-form suffix" in shown
        assert "Jiangxi Copper Company\n  pending · new" in shown
        paragraphs = [str(w.render()) for w in screen_of(app).query(".paragraph").results(Static)]
        assert "Kassym-Jomart Tokaev received Xi Guohua" in "\n".join(paragraphs)


async def test_accepting_shows_accepted_and_is_saved_at_once(corpus):
    app = app_for(corpus)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: ready(app))
        await highlight(pilot, "Jiangxi Copper Company")
        pid = screen_of(app).current_id()
        await pilot.press("a")
        assert "Jiangxi Copper Company\n  accepted · new" in list_text(app)
        assert "Jiangxi Copper Company: accepted" in status_line(app)
        assert saved_status(corpus)[pid] == "accepted"  # before any other key
        await highlight(pilot, "KAZ Minerals")
        await pilot.press("x")
        assert "KAZ Minerals\n  rejected" in list_text(app)
        assert saved_status(corpus)[screen_of(app).review.proposals[2].id] == "rejected"
        await pilot.press("up", "u")  # back to pending, saved so too
        assert "KAZ Minerals\n  pending" in list_text(app)
        assert saved_status(corpus)[screen_of(app).review.proposals[2].id] == "pending"


async def test_an_invalid_amount_is_one_line_in_the_dialog_and_the_session_goes_on(corpus):
    app = app_for(corpus)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: ready(app))
        await highlight(pilot, "Agreement on the supply of copper concentrate")
        await pilot.press("e")
        await settle(pilot, lambda: isinstance(app.screen, EditDialog))
        dialog = app.screen
        fields = dialog.query_one(OptionList)
        while dialog.field_name != "amount":
            await pilot.press("down")
        box = dialog.query_one(Input)
        box.value = ""
        await pilot.press(*"lots of money", "enter")
        error = str(dialog.query_one("#edit-error", Static).render())
        assert "is not a number" in error and isinstance(app.screen, EditDialog)
        box.value = ""
        await pilot.press(*"$1.5 bn", "enter")
        await settle(pilot, lambda: isinstance(app.screen, ReviewScreen))
        assert "amount: 1500000000" in status_line(app)
        p = screen_of(app).current()
        assert p.fields["amount"] == 1_500_000_000 and p.fields["currency"] == "USD"
        stored = next(x for x in saved(corpus)["proposals"] if x["id"] == p.id)
        assert stored["fields"]["amount"] == 1_500_000_000
        assert fields.option_count  # (the dialog listed the fields)


async def test_merging_into_a_known_entity_chosen_by_search(corpus):
    app = app_for(corpus)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: ready(app))
        await highlight(pilot, "Jiangxi Copper Company")
        await pilot.press("m")
        await settle(pilot, lambda: isinstance(app.screen, EntityChooser))
        chooser = app.screen
        chooser.query_one(Input).value = ""
        await pilot.press(*"kaz minerals")
        await settle(pilot, lambda: "organization:kaz-minerals" in chooser.refs)
        assert all(ref.startswith("organization:") for ref in chooser.refs)
        while chooser.refs[chooser.query_one(HitList).highlighted] != ("organization:kaz-minerals"):
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, ReviewScreen))
        assert "Jiangxi Copper Company\n  pending · match → KAZ Minerals" in list_text(app)
        assert "chosen by the analyst" in list_text(app)
        stored = next(
            x for x in saved(corpus)["proposals"] if x["name"] == "Jiangxi Copper Company"
        )
        assert stored["ref"] == "organization:kaz-minerals" and stored["action"] == "match"


async def test_splitting_a_name_in_two(corpus):
    app = app_for(corpus)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: ready(app))
        await highlight(pilot, "Jiangxi Copper Company")
        await pilot.press("s")
        await settle(pilot, lambda: isinstance(app.screen, SplitDialog))
        await pilot.press("down", "enter")  # Jiangxi Copper ‖ Company
        await settle(pilot, lambda: isinstance(app.screen, ReviewScreen))
        shown = list_text(app)
        assert "Jiangxi Copper\n" in shown and "Company\n  pending · new" in shown
        assert "Split into Jiangxi Copper and Company" in status_line(app)


async def test_a_new_entity_from_words_selected_with_the_keyboard(corpus):
    app = app_for(corpus)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: ready(app))
        await highlight(pilot, "Astana")
        await pilot.press("v")  # the selection starts at the highlighted proposal's words
        await pilot.press("right", "right", "right", "right", "right", "right")
        screen = screen_of(app)
        body = screen.review.body
        while not body[slice(*screen.selection_span())].startswith("Akorda"):
            await pilot.press("right")
        assert "Selected: “Akorda”" in status_line(app)
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, KindDialog))
        await pilot.press("down", "down", "enter")  # a new place
        await settle(pilot, lambda: isinstance(app.screen, ReviewScreen))
        assert "Akorda\n  accepted · new · selected by the analyst" in list_text(app)
        stored = next(x for x in saved(corpus)["proposals"] if x["name"] == "Akorda")
        assert "Akorda" in stored["quote"] and stored["kind"] == "place"


async def test_extending_a_selection_and_the_whole_sentence(corpus):
    app = app_for(corpus)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: ready(app))
        await highlight(pilot, "Jiangxi Copper Company")
        await pilot.press("v", "shift+right", "shift+right")
        assert "Selected: “Jiangxi Copper Company”" in status_line(app)
        await pilot.press("full_stop")
        assert "Selected: “Jiangxi Copper Company and KAZ Minerals signed" in status_line(app)
        await pilot.press("escape")
        assert screen_of(app).selection is None and isinstance(app.screen, ReviewScreen)


async def test_applying_writes_the_facts_and_the_explorer_shows_the_new_entity(corpus, cli):
    app = app_for(corpus)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: ready(app))
        main_screen = next(s for s in app.screen_stack if isinstance(s, MainScreen))
        await settle(pilot, lambda: main_screen.current_pane.exhausted)  # read before
        await highlight(pilot, "Jiangxi Copper Company")
        await pilot.press("a", "W")
        await settle(pilot, lambda: "Applied:" in status_line(app), timeout=15)
        assert "1 new entity" in status_line(app)
        assert "Jiangxi Copper Company\n  applied" in list_text(app)
        facts = (corpus / "facts" / f"{CITIC_ID}.yaml").read_text("utf-8")
        assert "organization:jiangxi-copper-company" in facts
        # The explorer, reading the same database, shows it without a restart: the
        # Companies pane (read before the apply) lists it, and its detail opens.
        await pilot.press("q")
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        pane = app.screen.current_pane
        await settle(pilot, lambda: pane.exhausted and any(
            row["ref"] == "organization:jiangxi-copper-company" for row in pane.rows))  # fmt: skip
        app.open_entity("organization:jiangxi-copper-company")
        await settle(pilot, lambda: isinstance(app.screen, DetailScreen)
                     and app.screen.details is not None)  # fmt: skip
    shown = cli("--corpus", str(corpus), "show", "organization:jiangxi-copper-company", "--json")
    assert shown.code == 0 and shown.json()["name"] == "Jiangxi Copper Company"


async def test_a_detail_open_under_the_review_shows_what_was_applied(corpus):
    app = RoundtableApp(corpus / "roundtable.db", corpus=corpus)
    kaz = "organization:kaz-minerals"
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        app.open_entity(kaz)
        await settle(pilot, lambda: detail_ready(app, kaz))
        before = app.screen.details["link_counts"]
        app.open_review(CITIC_ID)
        await settle(pilot, lambda: ready(app))
        await highlight(pilot, "Agreement on the supply of copper concentrate")  # KAZ a party
        await pilot.press("a", "W")
        await settle(pilot, lambda: "Applied:" in status_line(app), timeout=15)
        await pilot.press("q")  # back to the detail, which was open all along
        await settle(pilot, lambda: isinstance(app.screen, DetailScreen) and app.screen.ref == kaz)
        detail = app.screen
        await settle(pilot, lambda: detail.details is not None
                     and detail.details["link_counts"] != before)  # fmt: skip
        assert sum(detail.details["link_counts"].values()) > sum(before.values())


async def test_opened_from_the_palette_and_from_an_article_in_the_sources_pane(corpus):
    app = RoundtableApp(corpus / "roundtable.db", corpus=corpus)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: pane_loaded(app))
        await run_palette(pilot, "Review an article")
        await settle(pilot, lambda: isinstance(app.screen, PendingDialog))
        await pilot.press("enter")  # the one article with proposals pending
        await settle(pilot, lambda: ready(app))
        assert screen_of(app).article_id == CITIC_ID
        await pilot.press("backspace")
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.press("7")  # Sources
        await settle(pilot, lambda: pane_loaded(app) and app.screen.current_pane.kind == "article")
        table = app.screen.current_pane.table
        while table.cursor_ref != f"article:{CITIC_ID}":
            await pilot.press("down")
        await pilot.press("R")
        await settle(pilot, lambda: ready(app))
        await pilot.press("q")
        await pilot.press("enter")  # the reader, then R there
        await settle(pilot, lambda: isinstance(app.screen, SourceScreen) and app.screen.body)
        await pilot.press("R")
        await settle(pilot, lambda: ready(app))


async def test_the_bundled_corpus_says_there_is_nothing_to_review(seed_db):
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.press("R")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        shown = [str(n.message) for n in app._notifications]
        assert any("the bundled corpus is read-only" in m for m in shown)


async def test_while_an_apply_writes_decisions_wait_and_a_refused_apply_is_one_line(
    corpus, monkeypatch
):
    import threading

    from tui.data import applying
    from tui.errors import SeedError

    released = threading.Event()

    def held_back(review, db_path):
        assert released.wait(10), "the test never released the apply"
        raise SeedError("facts/citic.yaml", "the quote does not name organization:x", 12)

    monkeypatch.setattr(applying, "apply", held_back)
    app = app_for(corpus)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: ready(app))
        await pilot.press("a", "W")
        await pilot.press("x")  # while the apply is writing
        assert "decisions and edits wait for it" in status_line(app)
        assert "rejected" not in list_text(app)  # the x waited: nothing was rejected
        released.set()
        await settle(pilot, lambda: "Nothing applied" in status_line(app))
        assert "facts/citic.yaml:12: the quote does not name organization:x" in status_line(app)
        await pilot.press("up", "x")  # the session goes on
        assert "CITIC Group Corporation: rejected" in status_line(app)


def reversed_words(app) -> list[str]:
    """The article's words drawn in reverse video: the highlighted proposal's."""
    found = []
    for widget in screen_of(app).query(".paragraph").results(Static):
        text = widget.content
        assert isinstance(text, Text)
        for span in text.spans:
            if "reverse" in str(span.style):
                found.append(text.plain[span.start : span.end])
    return found


async def test_the_highlight_follows_the_proposal_in_the_article(corpus):
    app = app_for(corpus)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: ready(app))
        assert set(reversed_words(app)) == {"CITIC Group Corporation"}
        await highlight(pilot, "Abai Region")
        assert set(reversed_words(app)) == {"Abai Region"}
        await pilot.press("x", "up", "up")  # rejected, moved on, and back past it to Astana
        assert set(reversed_words(app)) == {"ASTANA"}  # as the dateline prints it


async def test_an_article_without_proposals_says_so_in_one_line(corpus):
    app = RoundtableApp(corpus / "roundtable.db", corpus=corpus)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: pane_loaded(app))
        await pilot.press("7")
        await settle(pilot, lambda: pane_loaded(app) and app.screen.current_pane.kind == "article")
        table = app.screen.current_pane.table
        while table.cursor_ref == f"article:{CITIC_ID}":
            await pilot.press("down")
        await pilot.press("R")
        await settle(pilot, lambda: any("no proposals to review" in str(n.message)
                                        for n in app._notifications))  # fmt: skip
        assert isinstance(app.screen, MainScreen)


async def test_accepting_a_whole_kind_then_everything(corpus):
    app = app_for(corpus)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: ready(app))
        await highlight(pilot, "Xi Guohua")
        await pilot.press("A")
        assert "Accepted 2 people" in status_line(app)
        shown = list_text(app)
        assert "Xi Guohua\n  accepted" in shown and "Kassym-Jomart Tokaev\n  accepted" in shown
        assert "CITIC Group Corporation\n  pending" in shown
        await pilot.press("asterisk")
        assert "pending" not in list_text(app)
        assert set(saved_status(corpus).values()) == {"accepted"}


async def test_a_mention_of_a_known_entity_from_selected_words(corpus):
    app = app_for(corpus)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: ready(app))
        await highlight(pilot, "Jiangxi Copper Company")
        screen = screen_of(app)
        await pilot.press("v")
        body = screen.review.body
        while not body[slice(*screen.selection_span())].startswith("Head"):
            await pilot.press("right")
        await pilot.press("L", "L")
        assert "Selected: “Head of State”" in status_line(app)
        await pilot.press("n")
        await settle(pilot, lambda: isinstance(app.screen, KindDialog))
        await pilot.press("down", "down", "down", "enter")  # a mention of a known entity
        await settle(pilot, lambda: isinstance(app.screen, EntityChooser))
        chooser = app.screen
        chooser.query_one(Input).value = ""
        await pilot.press(*"tokayev")
        await settle(pilot, lambda: chooser.refs[:1] == ["person:kassym-jomart-tokayev"])
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, ReviewScreen))
        assert "New person Kassym-Jomart Tokayev" in status_line(app)
        made = screen.review.proposals[-1]
        assert (made.ref, made.action, made.mentions) == (
            "person:kassym-jomart-tokayev", "match", [(body.index("Head of State"),
                                                       body.index("Head of State") + 13)],
        )  # fmt: skip
        assert "Head of State" in made.quote


async def test_names_are_shown_as_text_never_as_markup_or_terminal_codes(corpus):
    path = corpus / "proposals" / f"{CITIC_ID}.json"
    data = json.loads(path.read_text("utf-8"))
    data["proposals"][0]["name"] = "[b]Evil[/b] \x1b]52;c;AAAA\x07 Corp"
    path.write_text(json.dumps(data), encoding="utf-8")
    app = app_for(corpus)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: ready(app))
        shown = list_text(app)
        assert "[b]Evil[/b]" in shown and "\x1b" not in shown and "\x07" not in shown
        await pilot.press("e")
        await settle(pilot, lambda: isinstance(app.screen, EditDialog))
        assert "\x1b" not in app.screen.query_one(Input).value
