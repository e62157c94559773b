"""A short word's best name is not crowded out of the bounded candidates by the many documents
with longer names it also matches (a city in every meeting's title, a spelling key the word
starts): "ch" finds China first, as it would with no bound at all, because the index holds
the shortest names first (`search.search_order`).

The bound is made small (40 candidates) so that a generated database of 3,000 entities is
crowded as one of a million is with the real bound."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.bench.corpus import generate
from tui.data import search as search_module
from tui.data.build import build_seed
from tui.data.db import open_readonly
from tui.data.search import search


@pytest.fixture(scope="module")
def crowded_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("crowded") / "bench.db"
    build_seed(generate(3000, seed=3), path, "crowded")
    return path


@pytest.mark.parametrize("word", ["ch", "ta", "ko"])
def test_the_best_name_is_found_within_the_bound(crowded_db, monkeypatch, word):
    conn = open_readonly(crowded_db)
    try:
        monkeypatch.setattr(search_module, "CANDIDATES", 100_000)
        unbounded = search(conn, word)
        monkeypatch.setattr(search_module, "CANDIDATES", 40)
        everything = conn.execute(
            "SELECT count(*) FROM search_fts WHERE search_fts MATCH ?",
            (search_module.names_expression([word]),),
        ).fetchone()[0]
        assert everything > 40 * 5  # (crowded: the bound holds a fraction of the names)
        bounded = search(conn, word)
    finally:
        conn.close()
    assert bounded[0].name == unbounded[0].name
    assert bounded[0].score == unbounded[0].score
