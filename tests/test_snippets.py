"""A hit's snippet is the one FTS5's snippet() would give (the same window, the same words
marked), made without a query per hit; checked against snippet() itself over every text of
the bundled database and over texts made to catch the edges."""

from __future__ import annotations

import sqlite3

import pytest

from tui.data.search import search
from tui.data.snippets import WINDOW, make_snippet
from tui.data.spelling import fold
from tui.textsafe import HIGHLIGHT_END, HIGHLIGHT_START

QUERIES = [
    ["kaz"], ["copper"], ["invest"], ["china", "energy"], ["a"], ["t"], ["co"],
    ["smelter", "kaz"], ["billion"], ["tokayev"], ["agree"], ["22"], ["project", "the"],
]  # fmt: skip
EDGES = [
    "Almaty: the copper. Smelter",
    "copper",
    "“Copper” — copper, COPPER; copper’s copper2 2copper",
    "No match here at all, only words that go on and on and on for more than a window",
    "Kazakhstán, Қазақстан and Kazakhstan. Kazakh: a kazakh deal\n\nKazakh",
    "one. two. three. four. five. six. seven. eight. nine. ten. eleven. twelve. copper.",
    " leading space and a copper smelter at the end of a long sentence that goes on.",
]


def _fts5_snippets(texts: list[str], words: list[str]) -> dict[int, str]:
    """snippet() of each text the prefix query of `words` matches, marked as ours are."""
    conn = sqlite3.connect(":memory:")
    conn.execute(
        "CREATE VIRTUAL TABLE t USING fts5(body, tokenize='unicode61 remove_diacritics 2')"
    )
    conn.executemany("INSERT INTO t(rowid, body) VALUES (?, ?)", list(enumerate(texts)))
    expression = " AND ".join('"' + w.replace('"', '""') + '"*' for w in words)
    rows = conn.execute(
        "SELECT rowid, snippet(t, 0, ?, ?, '…', ?) FROM t WHERE t MATCH ?",
        (HIGHLIGHT_START, HIGHLIGHT_END, WINDOW, expression),
    ).fetchall()
    conn.close()
    return dict(rows)


@pytest.mark.parametrize("words", QUERIES, ids=" ".join)
def test_every_snippet_of_the_bundled_texts_is_fts5s(seed_conn, words):
    texts = [
        text
        for (text,) in seed_conn.execute(
            "SELECT body FROM search_docs UNION ALL SELECT linked FROM search_docs"
        )
        if text
    ] + EDGES
    expected = _fts5_snippets(texts, words)
    assert expected  # (the query matches something)
    folded = [fold(w) for w in words]
    differing = {
        i: (want, got)
        for i, want in expected.items()
        if (got := make_snippet(texts[i], folded)) != want
    }
    assert not differing


def test_a_snippet_marks_the_words_and_says_where_the_text_goes_on():
    text = "The first sentence is here. " + "word " * 30 + "then the copper smelter " + "x " * 30
    shown = make_snippet(text, ["copper"])
    assert shown.startswith("…") and shown.endswith("…")
    assert f"{HIGHLIGHT_START}copper{HIGHLIGHT_END} smelter" in shown
    assert len(shown.strip("…").split()) == WINDOW


def test_a_text_without_the_words_shows_its_start():
    assert make_snippet("Nothing of it. " * 5, ["copper"]).startswith("Nothing of it.")
    assert make_snippet("", ["copper"]) == ""


def test_search_hits_carry_the_snippets(seed_conn):
    hits = search(seed_conn, "copper smelter")
    marked = [h for h in hits if HIGHLIGHT_START in h.snippet]
    assert marked
    for hit in marked:
        words = hit.snippet.split(HIGHLIGHT_START)[1:]
        assert all(fold(w.split(HIGHLIGHT_END)[0]).startswith(("copper", "smelter")) for w in words)
