"""The bundled seed, built: provenance, integrity, completeness, corroboration."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tui import paths
from tui.data.build import build
from tui.data.corpus import load_corpus
from tui.data.queries import KINDS, counts


def test_seed_articles_are_the_shared_originals_byte_for_byte():
    shared = paths.PROJECT_ROOT.parent / "shared" / "seeds"
    if not shared.is_dir():
        pytest.skip("the shared seed folder is not beside this checkout")
    for original in sorted(shared.glob("*.txt")):
        assert (paths.SEED_DIR / "articles" / original.name).read_bytes() == original.read_bytes()


def test_every_quote_is_verbatim_at_its_offsets(seed_conn):
    bodies = dict(seed_conn.execute("SELECT ref, body FROM articles").fetchall())
    rows = seed_conn.execute("SELECT article_ref, start, end, text FROM quotes").fetchall()
    assert len(rows) > 100
    for article, start, end, text in rows:
        assert bodies[article][start:end] == text


def test_the_reader_gets_every_quote_of_its_article_in_text_order(seed_conn):
    from tui.data.queries import article_quote_spans

    for ref, body in seed_conn.execute("SELECT ref, body FROM articles").fetchall():
        quotes = {text for (text,) in seed_conn.execute(
            "SELECT text FROM quotes WHERE article_ref = ?", (ref,)
        )}  # fmt: skip
        spans = article_quote_spans(seed_conn, ref)
        assert spans == sorted(spans) and len(spans) > 10
        assert {body[start:end] for start, end in spans} == quotes


def test_integrity_and_foreign_keys_hold(seed_conn):
    assert seed_conn.execute("PRAGMA integrity_check").fetchall()[0][0] == "ok"
    assert seed_conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_each_kind_count_matches_the_corpus(seed_conn):
    found = counts(seed_conn)
    corpus = load_corpus(paths.SEED_DIR)
    subjects = {s.subject for s in corpus.statements()}
    expected = {kind: 0 for kind in KINDS}
    for ref in subjects:
        expected[ref.partition(":")[0]] += 1
    expected["article"] = len(corpus.articles)
    assert found == expected
    assert set(found) == set(KINDS) and all(found[k] > 0 for k in KINDS)


def test_every_entity_and_every_link_has_evidence(seed_conn):
    bare = seed_conn.execute(
        """SELECT ref FROM entities WHERE kind <> 'article'
           AND ref NOT IN (SELECT entity_ref FROM evidence WHERE entity_ref IS NOT NULL)"""
    ).fetchall()
    assert bare == []
    unproven = seed_conn.execute(
        "SELECT id FROM links WHERE id NOT IN (SELECT link_id FROM evidence "
        "WHERE link_id IS NOT NULL)"
    ).fetchall()
    assert unproven == []


def _sources(conn: sqlite3.Connection, ref: str) -> set[str]:
    return {
        r[0]
        for r in conn.execute(
            "SELECT DISTINCT q.article_ref FROM evidence AS e "
            "JOIN quotes AS q ON q.id = e.quote_id WHERE e.entity_ref = ?",
            (ref,),
        )
    }


BOTH_ARTICLES = [
    "indicator:bilateral-trade-2022",
    "meeting:roundtable",
    "meeting:talks-2023-05-17",
    "commitment:copper-smelter",
    "person:kassym-jomart-tokayev",
    "place:kazakhstan",
    "place:china",
]


@pytest.mark.parametrize("ref", BOTH_ARTICLES)
def test_facts_in_both_articles_are_one_record_with_two_sources(seed_conn, ref):
    assert len(_sources(seed_conn, ref)) == 2


def test_differences_between_articles_are_kept_and_marked(seed_conn):
    differing = {
        r[0] for r in seed_conn.execute("SELECT ref FROM entities WHERE reported_differently = 1")
    }
    assert "commitment:copper-smelter" in differing
    assert len(differing) >= 3
    for ref in differing:
        states = seed_conn.execute(
            """SELECT q.article_ref, e.field, e.value FROM evidence AS e
               JOIN quotes AS q ON q.id = e.quote_id
               WHERE e.entity_ref = ? AND e.field IS NOT NULL""",
            (ref,),
        ).fetchall()
        assert len({article for article, _, _ in states}) == 2, ref  # each side says its piece


def _dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def test_two_builds_of_the_same_seed_are_identical(tmp_path, seed_db):
    again = tmp_path / "again.db"
    build(paths.SEED_DIR, again)
    assert _dump(again) == _dump(seed_db)


NAMED_IN_TEXT = [
    ("CNPC", "organization"),
    ("KazISS", "organization"),
    ("AIIB", "organization"),
    ("Huawei", "organization"),
    ("KAZ Minerals", "organization"),
    ("NFC", "organization"),
    ("Kazakhstan Temir Zholy", "organization"),
    ("Sun Seven Stars", "organization"),
    ("Astana International Financial Center", "organization"),
    ("CITIC", "organization"),
    ("State Power Investment Corporation", "organization"),
    ("Dai Houliang", "person"),
    ("Qian Zhimin", "person"),
    ("Zhang Jinjun", "person"),
    ("Jin Liqun", "person"),
    ("Liang Hua", "person"),
    ("Wu Zheng", "person"),
    ("Zhu Hexin", "person"),
    ("Yerkin Tukumov", "person"),
    ("Xi Jinping", "person"),
    ("Zhambyl", "place"),
    ("Xi’an", "place"),
    ("Shymkent", "place"),
    ("Netherlands", "place"),
    ("Switzerland", "place"),
    ("wheat", "commitment"),
    ("carbon neutrality", "commitment"),
    ("copper smelter", "commitment"),
    ("wind power", "commitment"),
    ("oilseeds", "indicator"),
]


@pytest.mark.parametrize("query,kind", NAMED_IN_TEXT)
def test_everything_the_articles_name_is_findable(seed_conn, query, kind):
    from tui.data.search import search

    assert search(seed_conn, query, kind=kind), f"{query} ({kind}) not found"


@pytest.mark.parametrize(
    "query,ref",
    [
        ("Tokaev", "person:kassym-jomart-tokayev"),
        ("Токаев", "person:kassym-jomart-tokayev"),
        ("Kasym-Zhomart", "person:kassym-jomart-tokayev"),
        ("Tokayv", "person:kassym-jomart-tokayev"),
        ("Erkin Tukumov", "person:yerkin-tukumov"),
        ("Huavei", "organization:huawei"),
        ("Shimkent", "place:shymkent"),
    ],
)
def test_variants_and_typos_find_names(seed_conn, query, ref):
    from tui.data.search import search

    assert ref in [h.ref for h in search(seed_conn, query, limit=5)]


def test_link_counts_agree_with_the_links_themselves(seed_conn):
    """The detail's counts per relation (read from each link table's index) are exactly the
    links there are, for every entity: a relation added to the schema's view and not to
    the counts would show a wrong or missing group."""
    from tui.data.queries import link_counts, links

    refs = [row[0] for row in seed_conn.execute("SELECT ref FROM entities ORDER BY ref")]
    assert len(refs) == 75  # 73 entities and 2 articles
    for ref in refs:
        listed: dict[str, int] = {}
        for link in links(seed_conn, ref, derived=False):
            listed[link["relation"]] = listed.get(link["relation"], 0) + 1
        assert link_counts(seed_conn, ref, derived=False) == listed, ref
