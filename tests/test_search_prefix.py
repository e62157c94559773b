"""A long prefix in text is read as exact terms (no FTS5 prefix merge): the candidates must be
exactly those of the prefix query, whichever way they are found."""

from __future__ import annotations

import pytest

from tui.data import search as search_module
from tui.data.search import (
    TEXT_COLUMNS,
    _candidates,
    _everywhere_candidates,
    match_expression,
    name_expansions,
    query_words,
)

TEXTS = ["kazakh", "kazakhstan", "invest", "investment", "agreem", "coop", "copper smelt",
         "energy", "roundt", "china inv", "zzzzq", "memorand", "producti"]  # fmt: skip


@pytest.mark.parametrize("cap", [3, 8, 40])
@pytest.mark.parametrize("text", TEXTS)
def test_long_prefixes_find_the_same_candidates_as_the_prefix_query(
    seed_conn, monkeypatch, cap: int, text: str
):
    monkeypatch.setattr(search_module, "CANDIDATES", cap)  # the seed is small: few candidates
    terms = query_words(text)
    expansions = name_expansions(seed_conn, terms)
    expression = match_expression(terms, columns=TEXT_COLUMNS, expansions=expansions)
    assert expression is not None
    wanted = [c.rowid for c in _candidates(seed_conn, expression)]
    found = [
        c.rowid
        for c in _everywhere_candidates(seed_conn, terms, expression, None, None, expansions)
    ]
    assert found == wanted


def test_the_exact_terms_path_is_taken_when_the_exact_terms_explain_everything(
    seed_conn, monkeypatch
):
    """(So the test above compares the two ways, not the prefix query with itself.)"""
    monkeypatch.setattr(search_module, "CANDIDATES", 3)
    prefixes: list[str] = []
    real = search_module._candidates

    def spy(conn, expression):
        prefixes.append(expression)
        return real(conn, expression)

    monkeypatch.setattr(search_module, "_candidates", spy)
    terms = query_words("kazakhsta")
    expansions = name_expansions(seed_conn, terms)
    expression = match_expression(terms, columns=TEXT_COLUMNS, expansions=expansions)
    assert expression is not None
    _everywhere_candidates(seed_conn, terms, expression, None, None, expansions)
    assert expression not in prefixes


@pytest.mark.parametrize(
    "text",
    [
        "Kazakhstan and KAZAKHSTAN signed; kazakh2 kazakhs—Kazakhstan’s “Kazakh” deal",
        "Kazakhstán, Kazakh\u0301stan, Қазақстан and Kazakhstan",
        "a_kazakh kazakh_b x kazakh9 9kazakh",
        "",
    ],
)
@pytest.mark.parametrize("terms", [["kazakh"], ["Kaz", "deal"], ["KAZAKHSTAN"], ["қаз"]])
def test_a_text_mentions_the_words_found_either_way(text: str, terms: list[str]):
    from tui.data.search import _mentions
    from tui.data.spelling import fold

    prefixes = [fold(t) for t in terms]
    assert _mentions(text, prefixes) == any(
        fold(t).startswith(p) for t in search_module._TOKEN.findall(text) for p in prefixes if p
    )
