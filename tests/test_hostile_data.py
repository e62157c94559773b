"""Hostile data and hostile input: markup and terminal escape sequences in article text and names
are stored verbatim, shown literally, and never restyle, act, or reach the terminal; any text
typed or pasted into the search box (or a pane filter) is a valid query.

The corpus is built by the tests (tests/hostilekit.py); what each payload would do is listed there.
"""

from __future__ import annotations

import html
import re
import sqlite3
import time
from pathlib import Path

import pytest
from hostilekit import (
    EVIL_NAME,
    HOSTILE_ARTICLE,
    NAMES,
    PARAGRAPH,
    RAW_CONTROL,
    TITLE,
    write_hostile_seed,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from termkit import Tmux, clean_env, invisible_text, roundtable
from textual import events
from textual.command import CommandPalette
from textual.widgets import Input

from tui.app.explorer import RoundtableApp
from tui.app.screens.detail import DetailScreen
from tui.app.screens.main import PANES, MainScreen
from tui.app.screens.search import SearchScreen
from tui.app.screens.source import SourceScreen
from tui.data import queries
from tui.data.build import build
from tui.data.db import open_readonly
from tui.data.search import search
from tui.textsafe import clean

RAW = re.compile(RAW_CONTROL)
SIZE = (100, 30)


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    path = folder / "hostile.db"
    build(write_hostile_seed(folder / "seed"), path)
    return path


# --- storage and the command line ----------------------------------------------------------------


def test_stored_verbatim(hostile_db):
    conn = sqlite3.connect(hostile_db)
    names = dict(conn.execute("SELECT ref, name FROM entities"))
    for ref, name in NAMES.items():
        assert names[ref] == name
    body, title = conn.execute("SELECT body, title FROM articles").fetchone()
    assert body == HOSTILE_ARTICLE and title == TITLE
    # every quote is the exact span of the article it cites
    for start, end, text in conn.execute("SELECT start, end, text FROM quotes"):
        assert body[start:end] == text


CLI_COMMANDS = [
    ("list", "organization"),
    ("list", "person"),
    ("list", "commitment"),
    ("list", "article"),
    *(("show", ref) for ref in NAMES),
    ("show", "article:mini"),
    ("search", "Evil"),
    ("search", "pwned"),
    ("search", "Mallory"),
    ("search", "Shadow Bank"),
]


@pytest.mark.parametrize("args", CLI_COMMANDS, ids=" ".join)
def test_cli_text_is_literal_and_inert(cli, hostile_db, args):
    result = cli("--db", str(hostile_db), *args)
    assert result.code == 0, result.err
    assert not RAW.findall(result.out), RAW.findall(result.out)
    if args[0] == "show" or args[1] in ("Evil", "pwned"):
        assert "␛" in result.out  # ESC shown as a visible stand-in (lists may cut it off with …)
    if args[:2] == ("show", "organization:evil-corp"):
        assert "[bold]Evil[/bold] Corp␛[31;41m" in result.out
        assert "[@click=app.quit]" in result.out


@pytest.mark.parametrize("args", CLI_COMMANDS, ids=" ".join)
def test_cli_json_round_trips_and_is_inert(cli, hostile_db, args):
    result = cli("--db", str(hostile_db), *args, "--json")
    assert result.code == 0, result.err
    assert not RAW.findall(result.out), RAW.findall(result.out)  # C1 too: \u009b, not raw
    data = result.json()
    if args[0] == "show" and args[1] in NAMES:
        assert data["name"] == NAMES[args[1]]  # exactly what the seed says
    if args == ("show", "article:mini"):
        assert data["fields"]["title"] == TITLE
    if args == ("show", "organization:evil-corp"):
        assert data["sources"][0]["quote"] == f"{EVIL_NAME} signed"


def test_search_finds_hostile_names(hostile_db):
    conn = open_readonly(hostile_db)
    assert search(conn, "Evil Corp")[0].ref == "organization:evil-corp"
    assert "organization:shadow-bank" in [h.ref for h in search(conn, "Shadow")]
    assert "person:mallory" in [h.ref for h in search(conn, "Mallory")]


# --- the query layer: any text, including what a terminal or a shell can mangle ------------------

ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=300)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=ANY_TEXT)
def test_search_any_text_including_surrogates(hostile_db, text):
    conn = open_readonly(hostile_db)
    hits = search(conn, text, limit=10)
    refs = [h.ref for h in hits]
    assert len(refs) == len(set(refs)) <= 10
    assert all(queries.entity(conn, ref)["ref"] == ref for ref in refs)
    assert [h.ref for h in search(conn, text, limit=10)] == refs  # deterministic


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=ANY_TEXT, kind=st.sampled_from([kind for kind, _ in PANES if kind != "timeline"]))
def test_pane_filter_any_text(hostile_db, text, kind):
    """The pane filter box (`f`) is free text too: counts, pages and facets agree."""
    conn = open_readonly(hostile_db)
    everything = {r["ref"] for r in queries.list_page(conn, kind, limit=1000)}
    page = queries.list_page(conn, kind, limit=1000, text=text)
    assert {r["ref"] for r in page} <= everything
    assert queries.count_matching(conn, kind, text=text) == len(page)
    for facet in queries.facets_for(kind):
        counts = queries.facet_counts(conn, kind, facet.name, text=text)
        assert all(0 < c["count"] <= len(page) for c in counts)


# --- the explorer --------------------------------------------------------------------------------


def screen_text(app: RoundtableApp) -> str:
    """What the screen shows, as text (from Textual's own screenshot of it)."""
    svg = app.export_screenshot()
    assert not RAW.findall(svg)
    return html.unescape("".join(re.findall(r"<text[^>]*>(.*?)</text>", svg, re.S))).replace(
        "\xa0", " "
    )


async def until(pilot, condition, what: str, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert pilot.app.is_running, f"the app stopped while waiting for {what}"
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await pilot.pause(0.05)


def still_running(app: RoundtableApp) -> None:
    assert app.is_running and app.return_code is None and app.crash is None


async def test_explorer_shows_hostile_data_literally(hostile_db):
    app = RoundtableApp(hostile_db)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, MainScreen), "the panes")
        theme = app.theme
        for number, (kind, _) in enumerate(PANES, start=1):
            await pilot.press(str(number))
            pane = app.screen.current_pane
            await until(pilot, lambda p=pane: p.exhausted and p.total is not None, kind)
        await pilot.press("1")
        await until(pilot, lambda: app.screen.current_pane.table.row_count == 4, "companies")
        shown = screen_text(app)
        assert "[bold]Evil[/bold] Corp␛" in shown  # the column is narrower than the name
        assert "␛]0;pwned␇Shadow Bank" in shown
        # each hostile entity: its detail, and every link and source on it
        for ref, name in NAMES.items():
            app.open_entity(ref)
            await until(
                pilot,
                lambda r=ref: (
                    isinstance(app.screen, DetailScreen)
                    and app.screen.ref == r
                    and app.screen.details is not None
                ),
                ref,
            )
            shown = screen_text(app)
            assert name.replace("\x1b", "␛").replace("\x07", "␇")[:12] in shown
            await pilot.press("escape")
        # the article in the source reader, its quote highlighted
        start = HOSTILE_ARTICLE.index(PARAGRAPH)
        app.open_source("article:mini", (start, start + len(EVIL_NAME)))
        await until(
            pilot,
            lambda: isinstance(app.screen, SourceScreen) and app.screen.query(".paragraph"),
            "the source reader",
        )
        await pilot.pause(0.2)
        shown = screen_text(app)
        assert "[@click=app.quit]a pact[/]" in shown and "␍␛[2J Mallory" in shown
        assert "[link=https://evil.example]May" in shown  # the line wraps after "May"
        assert "Mallory␛]8;;https://evil.example␛\\ was there␇" in shown
        assert "said \ufffdseussi\ufffd0;pwned\ufffd nothing" in shown  # bidi override too
        await pilot.press("n", "n", "p")  # walk the quotes through the hostile paragraph
        await pilot.press("escape")
        still_running(app)  # [@click=app.quit] did not quit
        assert app.theme == theme


async def test_command_palette_shows_hostile_names_literally(hostile_db):
    app = RoundtableApp(hostile_db)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, MainScreen), "the panes")
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")
        await pilot.press(*"Evil Corp")
        await until(pilot, lambda: "[bold]Evil[/bold]" in screen_text(app), "the hostile name")
        await pilot.press("enter")
        await until(
            pilot,
            lambda: isinstance(app.screen, DetailScreen) and app.screen.details is not None,
            "the detail",
        )
        assert app.screen.ref == "organization:evil-corp"
        still_running(app)


# Strings a person can type or paste into the search box: FTS syntax, nothing at all,
# control characters, scripts, emoji, and a 10,000-character paste.
TYPED = [
    'acme" OR x:*',
    "NEAR(q,2) AND -x ^y",
    "(q)",
    "a*",
    '""',
    "   ",
    "Қазақстан Токаев",
    "中国石油",
    "[@click=app.quit]",
    "?/q",
]
PASTED = [
    "",
    "🙂 Evil 🙂",  # Pilot cannot press an emoji key; a terminal delivers it like a paste
    " \t ",
    "\x00\x01\x7f",
    "\x1b[31;41mEvil\x1b[0m",
    "\x1b]0;pwned\x07Shadow",
    "\x9b2J\x9d0;x\x9c",
    "\u202eliveE",
    "x" * 10_000,
    "Evil " * 2_000,
    "first line only\nsecond line \x1b[2J",
]


def _search_done(app, text: str) -> bool:
    screen = app.screen
    if not isinstance(screen, SearchScreen):
        return False
    return not screen.searching and screen.query_one(Input).value == text


async def test_search_box_takes_any_typed_or_pasted_text(hostile_db):
    app = RoundtableApp(hostile_db)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, MainScreen), "the panes")
        await pilot.press("slash")
        await until(pilot, lambda: isinstance(app.screen, SearchScreen), "the search box")
        box = app.screen.query_one(Input)
        for text in TYPED:
            box.value = ""
            await pilot.press(*text)  # key by key, as typed
            await until(pilot, lambda t=text: _search_done(app, t), f"search for {text!r}")
            still_running(app)  # no key typed into the box ("q", "?", "/") acted
        for text in PASTED:
            box.value = ""
            app.post_message(events.Paste(text))  # as the terminal delivers a paste
            expected = (clean(text.replace("\t", " ")).splitlines() or [""])[0]  # one line
            await until(pilot, lambda e=expected: _search_done(app, e), f"paste {text[:20]!r}")
            assert not RAW.findall(box.value)  # pasted controls arrive as visible stand-ins
            still_running(app)
        box.value = ""
        app.post_message(events.Paste("\x07Evil\x1b"))
        await until(pilot, lambda: "organization:evil-corp" in app.screen.refs, "a pasted hit")
        assert not RAW.findall(screen_text(app))


# --- the real terminal: nothing hostile reaches it -----------------------------------------------


def test_terminal_never_receives_hostile_sequences(hostile_db, tmp_path):
    tmux = Tmux(tmp_path)
    try:
        tmux.start([*roundtable(), "--db", str(hostile_db)], clean_env(tmp_path), size=(100, 30))
        tmux.wait_for("Acme Energy")
        title = tmux.info("#{pane_title}")
        screens = [tmux.wait_for("[bold]Evil[/bold] Corp␛[", "␛]0;pwned␇Shadow Bank")]
        tmux.keys("4")  # people (names are cut to the column)
        screens.append(tmux.wait_for("[link=https://evil.e"))
        tmux.keys("3")  # commitments: the evil pact sorts after Acme–Steppe
        screens.append(tmux.wait_for("[@click=app.quit]Ev"))  # literal text, cut with …
        tmux.keys("Down", "Enter")
        screens.append(tmux.wait_for("[@click=app.bell]signatory", "Shadow Bank"))
        tmux.keys("Escape")
        tmux.wait_for("Commitments 2")
        tmux.keys("7", "Enter")  # the source reader
        screens.append(tmux.wait_for("[link=https://evil.example]May", "␍␛[2J Mallory"))
        tmux.keys("Escape", "/")
        tmux.wait_for("Type to search")
        tmux.type("pwned")
        screens.append(tmux.wait_for("hits", "Shadow Bank"))
        assert all("␛" in screen for screen in screens[:1] + screens[3:])  # ESC, made visible
        assert tmux.info("#{pane_title}") == title  # no OSC title change took effect
        assert "pwned" not in tmux.info("#{pane_title}")
        assert not invisible_text(tmux.screen(escapes=True))  # no red-on-red took effect
        tmux.keys("Escape")
        tmux.wait_for("Type to search", gone=True)
        tmux.type("q")
        assert tmux.wait_exit() == 0  # [@click=app.quit] never quit it; `q` did
    finally:
        tmux.kill()
