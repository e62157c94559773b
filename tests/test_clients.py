"""The built database as other tools read it: sqlite-utils (and so Datasette) find its search."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlite_utils

from tui import paths
from tui.data.build import build
from tui.errors import DatabaseError


def test_sqlite_utils_finds_the_search_index_and_searches_it(seed_db: Path):
    docs = sqlite_utils.Database(seed_db).table("search_docs")
    assert docs.detect_fts() == "search_fts"
    refs = [row["ref"] for row in docs.search("cnpc", columns=["ref", "kind", "name"])]
    assert "organization:cnpc" in refs


def test_a_search_index_clients_cannot_detect_fails_the_build(tmp_path: Path):
    schema = paths.SCHEMA_FILE.read_text(encoding="utf-8")
    hidden = schema.replace('content="search_docs"', "content = 'search_docs'")
    assert hidden != schema
    (tmp_path / "schema.sql").write_text(hidden, encoding="utf-8")
    target = tmp_path / "rt.db"
    with pytest.raises(DatabaseError, match="Datasette and sqlite-utils"):
        build(paths.SEED_DIR, target, schema_file=tmp_path / "schema.sql")
    assert not target.exists()
