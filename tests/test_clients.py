"""The built database as other tools read it: Datasette, sqlite-utils and SQLite itself.

Each test runs the real client (Datasette through its Python API) against a fresh build of the
bundled seed, with the metadata `roundtable datasette` prints.
"""

from __future__ import annotations

import html
import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils
from datasette.app import Datasette
from seedkit import every_link_seed, write_seed

from tui import paths
from tui.data.build import build
from tui.errors import DatabaseError

KIND_TABLES = ("organizations", "people", "meetings", "commitments", "indicators", "places")
INTERNAL = {
    "meta", "links", "term_variants", "timeline_items", "timeline_involves", "article_facts",
}  # fmt: skip


def _metadata(db: Path) -> dict[str, Any]:
    """What `roundtable datasette --db DB` prints, run as a user runs it."""
    done = subprocess.run(
        [sys.executable, "-m", "tui", "datasette", "--db", str(db)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def metadata(seed_db: Path) -> dict[str, Any]:
    return _metadata(seed_db)


@pytest.fixture
async def datasette(seed_db: Path, metadata: dict[str, Any]) -> Datasette:
    ds = Datasette(files=[str(seed_db)], metadata=metadata)
    await ds.invoke_startup()
    return ds


async def _json(ds: Datasette, path: str) -> dict[str, Any]:
    response = await ds.client.get(path)
    assert response.status_code == 200, (path, response.text[:300])
    return response.json()


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


async def test_datasette_offers_search_on_search_docs_and_returns_only_matches(datasette):
    page = await datasette.client.get("/roundtable/search_docs")
    assert 'name="_search"' in page.text  # the search box
    everything = await _json(datasette, "/roundtable/search_docs.json?_shape=objects&_size=max")
    found = await _json(
        datasette, "/roundtable/search_docs.json?_search=cnpc&_shape=objects&_size=max"
    )
    rows = found["rows"]
    assert 0 < len(rows) < len(everything["rows"])
    assert "organization:cnpc" in {row["ref"] for row in rows}
    for row in rows:
        assert row["ref"] and row["kind"] and row["name"]
        text = " ".join(row[c] for c in ("name", "aliases", "keys", "body", "linked")).lower()
        assert "cnpc" in text, row["ref"]


def _foreign_keys(db: Path) -> list[tuple[str, str, str]]:
    """(table, column, referenced table) of every single-column foreign key in the schema."""
    conn = sqlite3.connect(db)
    tables = [
        name
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'"
        )
    ]
    found = []
    for table in tables:
        keys: dict[int, list[tuple[str, str]]] = {}
        for key_id, _seq, parent, column, *_ in conn.execute(f'PRAGMA foreign_key_list("{table}")'):
            keys.setdefault(key_id, []).append((column, parent))
        found += [(table, *pairs[0]) for pairs in keys.values() if len(pairs) == 1]
    conn.close()
    return found


def _with_every_link(folder: Path) -> Path:
    db = folder / "roundtable.db"
    build(write_seed(folder / "seed", every_link_seed()), db)
    return db


async def test_every_foreign_key_shows_a_label_in_datasette(datasette, seed_db: Path, tmp_path):
    """Walk every foreign key of the schema through Datasette's JSON API with `_labels=on`:
    each value it points from must show a label that is neither missing nor the bare ref.
    A key the bundled corpus leaves empty is walked in a corpus that fills it."""
    keys = _foreign_keys(seed_db)
    assert len(keys) >= 38
    extra_db = _with_every_link(tmp_path)
    extra = Datasette(files=[str(extra_db)], metadata=_metadata(extra_db))
    await extra.invoke_startup()
    unlabelled = []
    for table, column, parent in keys:
        query = f"/roundtable/{table}.json?_labels=on&_shape=objects&_size=max&{column}__notblank=1"
        rows = (await _json(datasette, query))["rows"] or (await _json(extra, query))["rows"]
        assert rows, f"{table}.{column}: no row to check in either corpus"
        for row in rows:
            cell = row[column]
            if not isinstance(cell, dict) or cell["label"] in (None, "", "None", cell["value"]):
                unlabelled.append(f"{table}.{column} -> {parent}: {cell!r}")
    assert unlabelled == []


async def test_an_article_without_a_title_is_labelled_as_the_explorer_names_it(datasette):
    data = await _json(
        datasette, "/roundtable/quotes.json?_labels=on&_shape=objects&_size=max&_col=article_ref"
    )
    labels = {row["article_ref"]["value"]: row["article_ref"]["label"] for row in data["rows"]}
    untitled = "article:tokayev-meetings-chinese-companies"  # prints no headline
    assert labels[untitled] == "ASTANA, 2023-05-20"  # its dateline and date


def test_every_entity_table_carries_its_entity_name(seed_db: Path):
    conn = sqlite3.connect(seed_db)
    for table in (*KIND_TABLES, "articles", "timeline_items"):
        pairs = conn.execute(
            f"SELECT t.name, e.name FROM {table} AS t JOIN entities AS e ON e.ref = t.ref"  # noqa: S608 - fixed names
        ).fetchall()
        assert pairs and all(own == hub for own, hub in pairs), table
    conn.close()


async def test_datasette_hides_the_internal_tables_and_describes_every_table(datasette):
    tables = (await _json(datasette, "/roundtable.json"))["tables"]
    hidden = {t["name"] for t in tables if t["hidden"]}
    assert INTERNAL <= hidden
    assert "search_fts" in hidden and {t for t in hidden if t.startswith("search_fts")}
    shown = {t["name"] for t in tables if not t["hidden"]}
    assert {
        "entities", "search_docs", *KIND_TABLES, "articles", "quotes", "evidence", "statements",
        "property_agreements", "sectors", "relations",
    } <= shown  # fmt: skip
    assert hidden.isdisjoint(shown)
    views = (await _json(datasette, "/roundtable.json"))["views"]
    for name in [t["name"] for t in tables] + [v["name"] for v in views]:
        if name.startswith("search_fts_"):
            continue  # the full-text index's own storage, hidden with it
        page = await datasette.client.get(f"/roundtable/{name}")
        description = datasette.table_metadata("roundtable", name).get("description")
        assert description, f"{name} has no description"
        assert description in html.unescape(page.text), name
        if name in INTERNAL:
            assert description.startswith("Internal:")


def test_a_built_database_has_no_triggers(seed_db: Path):
    """A database that is only read needs no triggers to keep its index in step; VisiData
    lists each trigger as a sheet and fails on opening one."""
    assert sqlite_utils.Database(seed_db).triggers == []
    conn = sqlite3.connect(seed_db)
    assert conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall() == []
    conn.close()


def _date_columns(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    found = []
    for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
        for column in conn.execute(f'PRAGMA table_info("{table}")'):
            if column[1] in ("date", "published"):
                found.append((table, column[1]))
    return found


def test_sqlite_date_functions_read_every_date_column(seed_db: Path):
    """`strftime('%Y', date)` is the stated year in every date column (a bare `2030` would be
    a Julian day number: year -4707), and every stored date is a whole valid date."""
    conn = sqlite3.connect(seed_db)
    columns = _date_columns(conn)
    assert set(columns) == {
        ("meetings", "date"), ("commitments", "date"), ("articles", "published"),
        ("timeline_items", "date"),
    }  # fmt: skip
    for table, column in columns:
        rows = conn.execute(
            f"SELECT {column}, strftime('%Y', {column}), date({column}) FROM {table} "  # noqa: S608 - schema names
            f"WHERE {column} IS NOT NULL"
        ).fetchall()
        assert rows, table
        for stored, year, whole in rows:
            assert year == stored[:4] and whole == stored, (table, column, stored)
    targets = conn.execute(
        "SELECT strftime('%Y', date) FROM commitments WHERE date_precision = 'target_year' "
        "ORDER BY date"
    ).fetchall()
    assert targets == [("2030",), ("2060",)]
    conn.close()


async def test_datasette_date_facet_shows_the_stated_years(datasette):
    data = await _json(datasette, "/roundtable/commitments.json?_facet_date=date&_size=0")
    years = sorted(r["value"][:4] for r in data["facet_results"]["date"]["results"])
    assert years == ["2015", "2023", "2030", "2060"]  # 2015: the AIIB's founding


def test_users_still_see_a_year_for_a_year_precision_date(cli, seed_db: Path):
    ref = "commitment:renewables-share-2030"
    shown = cli("--db", str(seed_db), "show", ref, "--json").json()
    assert shown["fields"]["date"] == "2030"
    listed = cli("--db", str(seed_db), "list", "commitment", "--json").json()
    assert next(r for r in listed if r["ref"] == ref)["date"] == "2030"
    exported = cli("--db", str(seed_db), "export", "commitment", "--format", "json").json()
    assert next(r for r in exported if r["ref"] == ref)["date"] == "2030"
    timeline = cli("--db", str(seed_db), "timeline", "--json").json()
    item = next(r for r in timeline if r["ref"] == ref)
    assert (item["date"], item["when"]) == ("2030", "by 2030")
    assert "by 2030" in cli("--db", str(seed_db), "show", ref).out
