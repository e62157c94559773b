"""Search ranks what a word names first, then what an entity's own facts and links say; an
amount finds what states it; the JSON order is the order of the scores printed.

Expectations come from the database (who is party to what, which meeting's topics say what),
so a curated corpus with other names or more facts keeps the tests meaningful."""

from __future__ import annotations

import re

import pytest

from tui.data.amounts import amount_term, query_amounts
from tui.data.search import NAMED, search
from tui.formatting import money, number


def _mentions(text: str, word: str) -> bool:
    return re.search(rf"\b{word}", text, re.IGNORECASE) is not None


def _copper_commitments(conn) -> list[str]:
    rows = conn.execute("SELECT ref, name FROM commitments").fetchall()
    found = [ref for ref, name in rows if _mentions(name, "copper")]
    assert found, "the seed names a copper smelter"
    return found


def test_copper_finds_the_smelter_its_parties_and_the_meeting_on_it_before_unrelated_hits(
    seed_conn,
):
    smelters = _copper_commitments(seed_conn)
    marks = ",".join("?" * len(smelters))
    parties = {
        ref
        for (ref,) in seed_conn.execute(
            f"SELECT entity_ref FROM commitment_parties WHERE commitment_ref IN ({marks})",  # noqa: S608
            smelters,
        )
    }
    meetings = {
        ref
        for ref, topics in seed_conn.execute("SELECT ref, topics FROM meetings")
        if topics and _mentions(topics, "copper")
    }
    assert parties and meetings
    hits = search(seed_conn, "copper", limit=50)
    order = [hit.ref for hit in hits]
    assert set(order[: len(smelters)]) == set(smelters), "what its name names comes first"
    assert parties | meetings <= set(order), "the parties and the meeting are found"
    docs = dict(
        seed_conn.execute("SELECT ref, name || ' ' || body || ' ' || linked FROM search_docs")
    )
    unrelated = [ref for ref in order if not _mentions(docs[ref], "copper")]
    assert unrelated, "a hit only a spelling key finds (cooperation) is still listed"
    last_related = max(order.index(ref) for ref in parties | meetings)
    assert all(order.index(ref) > last_related for ref in unrelated), (
        "a hit that says nothing of copper comes after every party and the meeting"
    )


def test_a_hit_its_own_facts_name_ranks_before_one_only_its_links_name(seed_conn):
    hits = search(seed_conn, "copper", limit=50)
    docs = {
        ref: (body, linked)
        for ref, body, linked in seed_conn.execute("SELECT ref, body, linked FROM search_docs")
    }
    own = [h.ref for h in hits if _mentions(docs[h.ref][0], "copper") and h.kind != "article"]
    only_linked = [
        h.ref
        for h in hits
        if not _mentions(docs[h.ref][0], "copper") and _mentions(docs[h.ref][1], "copper")
    ]
    assert own and only_linked
    order = [h.ref for h in hits]
    # among entities of like size, own words count twice what links say; at least one
    # entity that says copper itself ranks above every one whose links only say it
    assert min(order.index(r) for r in own) < min(order.index(r) for r in only_linked)


def _stated_amounts(conn) -> list[tuple[str, float, str]]:
    rows = conn.execute(
        "SELECT ref, amount, currency FROM commitments WHERE amount IS NOT NULL"
    ).fetchall()
    assert rows, "the seed states an amount"
    return rows


@pytest.mark.parametrize("form", ["short", "words", "number"])
def test_an_amount_finds_the_commitment_that_states_it(seed_conn, form):
    for _ref, amount, currency in _stated_amounts(seed_conn):
        if form == "short":
            query = money(amount, currency)  # "$22 bn", as the Commitments pane shows it
        elif form == "words":
            query = f"{number(amount / 1e9)} billion" if amount >= 1e9 else f"{amount:.0f} USD"
        else:
            query = f"{number(amount)} {currency}"  # "22,000,000,000 USD"
        hits = search(seed_conn, query)
        same = [
            r for r, a, _ in _stated_amounts(seed_conn) if amount_term(a) == amount_term(amount)
        ]
        assert hits and hits[0].ref in same, (query, [h.ref for h in hits[:3]])


def test_an_amount_nobody_states_finds_no_commitment_by_amount(seed_conn):
    stated = {amount_term(a) for _, a, _ in _stated_amounts(seed_conn)}
    value = 987.654e9
    assert amount_term(value) not in stated
    assert all(h.score > -NAMED for h in search(seed_conn, "$987.654 bn"))


@pytest.mark.parametrize(
    "text,value",
    [
        ("$22 bn", 22e9),
        ("22 billion", 22e9),
        ("$1.6 billion", 1.6e9),
        ("USD 1.6 bln", 1.6e9),
        ("22,000,000,000 dollars", 22e9),
        ("500 mln tenge", 500e6),
        ("2.5bn", 2.5e9),
    ],
)
def test_amounts_are_read_from_what_people_type(text, value):
    found = query_amounts(text)
    assert [amount_term(a.value) for a in found] == [amount_term(value)]


@pytest.mark.parametrize("text", ["May 22", "22", "copper", "1.6", "2022"])
def test_a_bare_number_is_a_word_not_an_amount(text):
    assert query_amounts(text) == []


@pytest.mark.parametrize("query", ["copper", "Tokayev", "22 billion", "kaz", "cooperation"])
def test_json_order_is_the_order_of_the_printed_scores(cli, seed_db, query):
    result = cli("--db", str(seed_db), "search", query, "--json")
    assert result.code == 0
    scores = [hit["score"] for hit in result.json()]
    assert scores, query
    assert scores == sorted(scores), "lower is better, as bm25: best first"
