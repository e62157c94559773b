"""Search that resumes: back from a hit (or `/` again) shows the results with the query as
typed; an article hit opens the reader at the match; the reader finds in the article, says
which quote or match you are on and when `n` wraps, and lists who the quote is about first.
Driven from the keyboard at 80x24; expectations read from the database."""

from __future__ import annotations

import re

import pytest
from pilotkit import SIZE, settle
from rich.console import Console
from textual.widgets import Input, OptionList, Static

from tui.app.explorer import RoundtableApp
from tui.app.screens.detail import DetailScreen
from tui.app.screens.main import MainScreen
from tui.app.screens.search import SearchScreen
from tui.app.screens.source import (
    CURRENT_MATCH_IN_FOCUS_STYLE,
    CURRENT_MATCH_STYLE,
    SourceScreen,
)
from tui.app.widgets.hit_list import HitList
from tui.data import reader


def _search_ready(app, text: str) -> bool:
    screen = app.screen
    return (
        isinstance(screen, SearchScreen)
        and not screen.searching
        and screen.query_text == text
        and bool(screen.refs)
    )


def _reader_ready(app) -> bool:
    screen = app.screen
    return isinstance(screen, SourceScreen) and len(screen.query(".paragraph")) > 0


def _status(app) -> str:
    return str(app.screen.query_one("#source-status", Static).render())


def _current(app) -> list[str]:
    """The text of the find's current match (in its style in or out of the focus quote)."""
    return _styled(app, CURRENT_MATCH_STYLE) + _styled(app, CURRENT_MATCH_IN_FOCUS_STYLE)


def _styled(app, style: str) -> list[str]:
    """The texts the reader draws in `style`, in order."""
    found = []
    for paragraph in app.screen.query(".paragraph"):
        text = paragraph.content
        found.extend(text.plain[s.start : s.end] for s in text.spans if str(s.style) == style)
    return found


def _body(conn, ref: str) -> str:
    return conn.execute("SELECT body FROM articles WHERE ref = ?", (ref,)).fetchone()[0]


async def test_back_from_a_hit_and_slash_again_show_the_results_as_typed(seed_db):
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.press("slash", *"copper")
        await settle(pilot, lambda: _search_ready(app, "copper"))
        refs = list(app.screen.refs)
        await pilot.press("down", "enter")  # the second hit
        await settle(pilot, lambda: isinstance(app.screen, DetailScreen) and app.screen.details)
        assert app.screen.ref == refs[1]
        await pilot.press("backspace")
        await settle(pilot, lambda: isinstance(app.screen, SearchScreen))
        search = app.screen
        assert search.query_one(Input).value == "copper"
        assert search.refs == refs
        assert search.query_one("#search-results", HitList).highlighted == 1
        await pilot.press("escape")
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.press("slash")
        await settle(pilot, lambda: isinstance(app.screen, SearchScreen))
        assert app.screen.query_one(Input).value == "copper" and app.screen.refs == refs
        await pilot.press(*"nfc")  # the query as typed is selected: typing replaces it
        await settle(pilot, lambda: _search_ready(app, "nfc"))
        assert app.screen.query_one(Input).value == "nfc"


async def test_n_on_a_hit_opens_the_next_hit_and_back_still_returns_to_the_results(seed_db):
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.press("slash", *"copper")
        await settle(pilot, lambda: _search_ready(app, "copper"))
        refs = list(app.screen.refs)
        first_entities = [r for r in refs if not r.startswith("article:")]
        assert refs[0] == first_entities[0] and refs[1] == first_entities[1]
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, DetailScreen) and app.screen.details)
        await pilot.press("n")
        await settle(pilot, lambda: isinstance(app.screen, DetailScreen) and app.screen.details)
        await settle(pilot, lambda: app.screen.ref == refs[1])
        await pilot.press("N")
        await settle(pilot, lambda: getattr(app.screen, "ref", None) == refs[0])
        await pilot.press("N")  # before the first: round to the last, and it says so
        await settle(pilot, lambda: getattr(app.screen, "location", None) is not None)
        await settle(pilot, lambda: app.screen.location.ref == refs[-1])
        assert any("wrapped" in str(n.message) for n in app._notifications)
        await pilot.press("backspace")
        await settle(pilot, lambda: isinstance(app.screen, SearchScreen))
        assert app.screen.query_one(Input).value == "copper"


async def test_an_article_hit_opens_the_reader_at_the_match_highlighted(seed_db, seed_conn):
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.press("slash", *"smelter")
        await settle(pilot, lambda: _search_ready(app, "smelter"))
        refs = app.screen.refs
        article = next(r for r in refs if r.startswith("article:"))
        for _ in range(refs.index(article)):
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot, lambda: _reader_ready(app))
        await pilot.pause(0.2)
        body = _body(seed_conn, article)
        expected = len(re.findall(r"\bsmelter", body, re.IGNORECASE))
        assert expected >= 1
        current = _current(app)
        assert [word.lower() for word in current] == ["smelter"]
        assert f"match 1 of {expected}" in _status(app)
        paragraph = next(
            p
            for p in app.screen.query(".paragraph")
            if {str(s.style) for s in p.content.spans}
            & {CURRENT_MATCH_STYLE, CURRENT_MATCH_IN_FOCUS_STYLE}
        )
        view = app.screen.query_one("#source-text")
        await settle(pilot, lambda: view.region.overlaps(paragraph.region))  # (scrolled to it)
        assert view.region.overlaps(paragraph.region)
        # n goes through every match and says when it wraps round
        for index in range(2, expected + 1):
            await pilot.press("n")
            assert f"match {index} of {expected}" in _status(app)
        await pilot.press("n")
        assert f"match 1 of {expected}" in _status(app) and "wrapped" in _status(app)
        # back: the results again, the query as typed
        await pilot.press("backspace")
        await settle(pilot, lambda: isinstance(app.screen, SearchScreen))
        assert app.screen.query_one(Input).value == "smelter"


async def test_find_in_the_reader_counts_matches_and_quotes_say_where_you_are(seed_db, seed_conn):
    article = "article:tokayev-meetings-chinese-companies"
    body = _body(seed_conn, article)
    quotes = seed_conn.execute(
        "SELECT count(*) FROM quotes WHERE article_ref = ?", (article,)
    ).fetchone()[0]
    app = RoundtableApp(seed_db, start_ref=article)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: _reader_ready(app))
        await pilot.press("n")
        assert f"quote 1 of {quotes}" in _status(app)
        await pilot.press("N")
        assert f"quote {quotes} of {quotes}" in _status(app) and "wrapped" in _status(app)
        await pilot.press("f")
        await settle(pilot, lambda: app.screen.query_one("#source-find", Input).has_focus)
        await pilot.press(*"Kazakh", "enter")
        expected = len(re.findall(r"\bKazakh", body, re.IGNORECASE))
        assert expected > 1
        assert f"of {expected} for “Kazakh”" in _status(app)
        assert len(_current(app)) == 1
        assert all(w.lower().startswith("kazakh") for w in _current(app))
        await pilot.press("f", *"zzqx", "enter")  # typed over the last find
        assert "no match for “zzqx”" in _status(app)
        await pilot.press("f", "backspace", "enter")  # an empty find ends it: n is quotes again
        assert "match" not in _status(app)
        await pilot.press("n")
        assert re.search(rf"quote \d+ of {quotes}", _status(app))


async def test_the_mentions_list_the_quotes_entities_first_and_hide(seed_db, seed_conn):
    article = "article:tokayev-meetings-chinese-companies"
    behind = reader.quote_entities(seed_conn, article)
    app = RoundtableApp(seed_db, start_ref=article)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: _reader_ready(app))
        screen = app.screen
        mentions = screen.query_one("#source-mentions", OptionList)
        for _ in range(3):
            await pilot.press("n")
            about = [
                r for r in behind[screen.focus_span] if r in {m["ref"] for m in screen.mentions}
            ]
            assert about
            shown = [mentions.get_option_at_index(i).id for i in range(len(about))]
            assert set(shown) == set(about), "who the quote is about comes first"
        text = screen.query_one("#source-text")
        narrow = text.region.width
        await pilot.press("M")
        await pilot.pause(0.1)
        assert not mentions.display and text.region.width > narrow
        await pilot.press("M")
        await pilot.pause(0.1)
        assert mentions.display and text.region.width == narrow


async def test_a_quote_opened_from_a_detail_says_which_quote_of_how_many(seed_db, seed_conn):
    app = RoundtableApp(seed_db, start_ref="organization:cnpc")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, DetailScreen) and app.screen.details)
        source = app.screen.details["sources"][0]
        spans = [
            tuple(row)
            for row in seed_conn.execute(
                "SELECT start, end FROM quotes WHERE article_ref = ? ORDER BY start",
                (source["article"],),
            )
        ]
        app.open_source(source["article"], (source["start"], source["end"]))
        await settle(pilot, lambda: _reader_ready(app))
        index = spans.index((source["start"], source["end"])) + 1
        assert f"quote {index} of {len(spans)}" in _status(app)
        await pilot.press("n")
        expected = index % len(spans) + 1
        assert f"quote {expected} of {len(spans)}" in _status(app)


async def test_hiding_the_mentions_keeps_the_match_in_view(seed_db):
    """The text is rewrapped to the new width; the match found (far down) stays on screen."""
    app = RoundtableApp(seed_db, start_ref="article:tokayev-investment-round-table")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: _reader_ready(app))
        screen = app.screen
        text = screen.query_one("#source-text")

        def match_in_view() -> bool:
            paragraph = screen.query(".paragraph")[screen._paragraph_index(screen._target()[0])]
            return bool(paragraph.region.intersection(text.region))

        await pilot.press("f", *"rare earth", "enter")
        await settle(pilot, lambda: "for “rare earth”" in _status(app))
        assert screen.current_match is not None
        await settle(pilot, match_in_view)
        for _ in range(2):  # hidden, then shown again
            shown = screen.query_one("#source-mentions").display
            await pilot.press("M")
            await settle(pilot, lambda s=shown: screen.query_one("#source-mentions").display != s)
            await pilot.pause(0.1)  # (the paint that lays the rewrapped text out)
            await settle(pilot, match_in_view)


@pytest.mark.parametrize("in_focus", [False, True])
def test_the_current_match_stands_out_without_colours(in_focus):
    """With NO_COLOR only attributes are left: the match you are on must still differ from
    the other matches, inside the focus quote (reversed) as outside it."""
    from tui.app.screens.source import styled_paragraph

    line = "copper here, copper there, copper again"
    matches = [(0, 6), (13, 19), (27, 33)]
    focus = (0, len(line)) if in_focus else None
    text = styled_paragraph(0, line, [], focus, matches, current=matches[1])

    def looks(offset: int) -> tuple[bool, ...]:  # (what a terminal without colours shows)
        style = text.get_style_at_offset(Console(), offset)
        return tuple(bool(getattr(style, a)) for a in ("bold", "italic", "underline", "reverse"))

    assert looks(13) != looks(0) and looks(0) == looks(27)
