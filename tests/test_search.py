"""Search: any text is a valid query; names are found through variants and typos."""

from __future__ import annotations

import shutil
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.data.db import Cancelled, CancelToken, open_readonly
from tui.data.search import match_expression, query_words, search
from tui.data.spelling import fold, spelling_key

HOSTILE = [
    "",
    " ",
    "\t\n",
    '"',
    '""',
    "*",
    "-",
    ":",
    "^",
    "(",
    ")",
    "AND",
    "OR",
    "NOT",
    "NEAR(",
    'NEAR("a" "b", 2)',
    "a AND",
    "name:acme",
    "{name}: x",
    "acme*",
    "-acme",
    "'; DROP TABLE x;--",
    "\x00",
    "\x1b[31m",
    "\x9b",
    "[bold]",
    "[/",
    "[@click=app.quit]",
    "Қазақстан",
    "Токаев",
    "中国石油",
    "🙂🙂",
    "x" * 10_000,
    "a " * 5_000,
    "ǅ̶̛",
    "_",
    "__init__",
]


@pytest.mark.parametrize("text", HOSTILE, ids=lambda t: repr(t[:20]))
def test_hostile_queries_never_raise(mini_db, text):
    conn = open_readonly(mini_db)
    hits = search(conn, text)
    assert isinstance(hits, list)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=200))
def test_any_text_is_a_valid_query(mini_db, text):
    conn = open_readonly(mini_db)
    search(conn, text)
    search(conn, text, kind="person")


def test_expression_is_only_quoted_strings():
    expression = match_expression(query_words('acme" OR x:* NEAR('), columns="name")
    # every user word sits inside double quotes; no bare operator survives
    assert (
        expression == '{name} : (("acme"* OR keys : "0acme"* OR keys : "0akme"*) '
        'AND ("OR"* OR keys : "0OR"*) AND ("x"* OR keys : "0x"* OR keys : "0ks"*) '
        'AND ("NEAR"* OR keys : "0NEAR"*))'
    )


def test_nothing_searchable_skips_match():
    assert match_expression(query_words('-- :: "" **'), columns="name") is None


@pytest.mark.parametrize("variant", ["Tokayev", "Tokaev", "Токаев", "TOKAYEV", "Tokáyev"])
def test_transliterations_share_a_key(variant):
    assert spelling_key(variant) == spelling_key("Tokayev")


@pytest.mark.parametrize(
    "a,b", [("Kassym", "Kasym"), ("Zhomart", "Jomart"), ("Yerkin", "Erkin"), ("Huawei", "Huavei")]
)
def test_more_variants_share_a_key(a, b):
    assert spelling_key(a) == spelling_key(b)


FOLDED = ["Токаев", "Tokáyev", "Zhömart", "Şükrü", "NURLANOVA"]


def test_fold_folds_a_word_as_the_index_does(mini_db):
    """Search compares typed words with indexed terms through `fold`, so it folds as the
    index's tokenizer does: case and diacritics away, Cyrillic kept. (Folding that also
    transliterated, as spelling keys do, made "Токаев" equal its own spelling key, so the key
    was never searched and the Cyrillic spelling found no one.)"""
    conn = sqlite3.connect(mini_db)
    rowid = conn.execute("SELECT min(rowid) FROM search_docs").fetchone()[0]
    conn.execute("UPDATE search_docs SET body = ? WHERE rowid = ?", (" ".join(FOLDED), rowid))
    conn.execute("INSERT INTO search_fts (search_fts) VALUES ('rebuild')")  # (no triggers)
    conn.execute("CREATE VIRTUAL TABLE temp.terms USING fts5vocab(main, search_fts, instance)")
    indexed = conn.execute(
        "SELECT term FROM temp.terms WHERE doc = ? AND col = 'body' ORDER BY offset", (rowid,)
    ).fetchall()
    assert [term for (term,) in indexed] == [fold(word) for word in FOLDED]
    assert fold("Токаев") == "токаев" and spelling_key("Токаев") == spelling_key("Tokayev")


def test_a_connection_never_answers_for_a_closed_one(mini_db, tmp_path):
    """Search remembers, per connection, whether the database lists its name terms. A new
    connection asks its own database, even when it gets the id (address) of a closed one, as
    CPython's allocator usually arranges at once: an answer remembered by id said a database
    without the list had one, and a name spelled another way (Aygerim) then found no one."""
    without = tmp_path / "without-vocabulary.db"
    shutil.copy(mini_db, without)
    with sqlite3.connect(without) as conn:
        conn.execute("DELETE FROM term_variants WHERE variant = term")
    first = open_readonly(mini_db)
    assert [h.ref for h in search(first, "Aygerim")] == ["person:aigerim-nurlanova"]
    closed = id(first)
    first.close()
    del first
    for _ in range(20):  # until a connection reuses the closed one's id
        conn = open_readonly(without)
        assert [h.ref for h in search(conn, "Aygerim")] == ["person:aigerim-nurlanova"]
        reused = id(conn) == closed
        conn.close()
        del conn
        if reused:
            break


def test_typo_finds_the_name_and_says_so(mini_db):
    conn = open_readonly(mini_db)
    hits = search(conn, "Nurlanva")  # one letter missing
    assert hits and hits[0].ref == "person:aigerim-nurlanova"
    assert hits[0].fuzzy


def test_typo_hits_rank_by_how_much_of_the_name_the_word_fills(mini_db):
    """A typo that is within one edit of a word of several names ranks the name it fills more
    first, by a better score: not every hit at 0, in alphabetical order."""
    conn = open_readonly(mini_db)
    hits = {h.ref: h for h in search(conn, "Nurlanva")}
    person, meeting = hits["person:aigerim-nurlanova"], hits["meeting:almaty-meeting"]
    assert person.fuzzy and meeting.fuzzy
    assert person.score < meeting.score < 0  # (lower is better) two words, against three
    assert list(hits) == [h.ref for h in sorted(hits.values(), key=lambda h: h.score)]


def test_exact_match_is_not_fuzzy_and_ranks_name_first(mini_db):
    conn = open_readonly(mini_db)
    hits = search(conn, "Petrov")
    assert hits[0].ref == "person:ivan-petrov"
    assert not hits[0].fuzzy


def test_prefix_as_you_type(mini_db):
    conn = open_readonly(mini_db)
    assert "organization:steppe-bank" in [h.ref for h in search(conn, "step")]


def test_kind_filter(mini_db):
    conn = open_readonly(mini_db)
    hits = search(conn, "Acme", kind="commitment")
    assert hits and {h.kind for h in hits} == {"commitment"}


def test_cancelled_query_raises_cancelled(mini_db):
    conn = open_readonly(mini_db)
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        search(conn, "Acme Energy Steppe Bank agreement", token=token)
    assert search(conn, "Acme")  # the connection is usable afterwards
