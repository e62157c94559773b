"""The statements contract of the CLI: `show --json` gives every statement with its article,
quote and asserter, and the agreement of the entity, each property and each link;
`corroboration --json` lists what several articles report alike and says for each difference
whether the values can all be true. Expectations come from the database the bundled corpus
builds, so they hold whatever the curated facts say."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
import yaml

from tui import paths
from tui.data.build import build
from tui.data.statements import AGREEMENTS

STATEMENT_KEYS = {"property", "value", "article", "quote", "start", "end", "asserted_by"}
OLD_SHOW_KEYS = {
    "ref", "kind", "name", "aliases", "fields", "reported_differently", "source_count",
    "link_counts", "links", "sources",
}  # fmt: skip
SMELTER = "commitment:copper-smelter"
CITIC = "commitment:citic-commercial-documents"


def bodies(db: Path) -> dict[str, str]:
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("SELECT ref, body FROM articles"))


def test_show_json_gives_every_statement_with_its_verbatim_quote(cli, seed_db):
    doc = cli("--db", str(seed_db), "show", SMELTER, "--json").json()
    assert OLD_SHOW_KEYS <= doc.keys()
    with sqlite3.connect(seed_db) as conn:
        stored = conn.execute(
            "SELECT count(*) FROM statements WHERE subject_ref = ?", (SMELTER,)
        ).fetchone()[0]
        agreement = conn.execute(
            "SELECT agreement FROM entities WHERE ref = ?", (SMELTER,)
        ).fetchone()[0]
    assert len(doc["statements"]) == stored > 0
    assert doc["agreement"] == agreement
    text = bodies(seed_db)
    for statement in doc["statements"]:
        assert STATEMENT_KEYS <= statement.keys()
        assert (
            text[statement["article"]][statement["start"] : statement["end"]]
            == (statement["quote"])
        )
    for prop, found in doc["property_agreements"].items():
        assert found["agreement"] in AGREEMENTS, prop


def test_show_json_shows_the_smelters_parties_differ_between_articles(cli, seed_db):
    """One article names NFC as the Chinese party, the other China Nonferrous Metal Mining."""
    doc = cli("--db", str(seed_db), "show", SMELTER, "--json").json()
    parties: dict[str, set[str]] = {}
    for statement in doc["statements"]:
        if statement["property"] == "party":
            parties.setdefault(statement["article"], set()).add(statement["value"])
    assert len(parties) == 2
    first, second = parties.values()
    assert first != second
    assert doc["property_agreements"]["party"]["agreement"] in ("consistent", "conflicting")
    assert doc["agreement"] in ("consistent", "conflicting")
    links = [link for link in doc["links"] if link["relation"] == "party"]
    assert {link["ref"] for link in links} == first | second
    for link in links:
        assert link["sources"], link["ref"]
        assert link["agreement"] in AGREEMENTS
        reporting = {s["article"] for s in link["statements"]}
        expected = "corroborated" if len(reporting) > 1 else "single"
        assert link["agreement"] == expected, link["ref"]


@pytest.fixture(scope="module")
def asserted_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled corpus, with CITIC's amount asserted by Zhu Hexin (as the text says:
    "According to CITIC Group Chair Zhu Hexin") whether or not the curated facts say so yet."""
    corpus = tmp_path_factory.mktemp("corpus") / "seed"
    shutil.copytree(paths.SEED_DIR, corpus, ignore=shutil.ignore_patterns("*.db"))
    for path in (corpus / "facts").glob("*.yaml"):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        items = (doc.get("statements") or {}).get(CITIC)
        if not items:
            continue
        for item in items:
            if "amount" in item:
                item.setdefault("asserted_by", "person:zhu-hexin")
        path.write_text(
            yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=10_000),
            encoding="utf-8",
        )
    db = corpus.parent / "asserted.db"
    build(corpus, db)
    return db


def test_show_says_who_asserted_a_statement(cli, asserted_db):
    doc = cli("--db", str(asserted_db), "show", CITIC, "--json").json()
    amounts = [s for s in doc["statements"] if s["property"] == "amount"]
    assert amounts and all(s["asserted_by"] == "person:zhu-hexin" for s in amounts)
    unasserted = [s for s in doc["statements"] if s["asserted_by"] is None]
    assert all(s["asserted_by"] is None or s["asserted_by"].count(":") == 1 for s in unasserted)
    out = cli("--db", str(asserted_db), "show", CITIC).out
    assert "asserted by Zhu Hexin" in out
    assert "person:zhu-hexin" not in out  # a name, not a ref


def test_show_prints_statements_by_property_with_agreement_in_words(cli, seed_db):
    out = cli("--db", str(seed_db), "show", SMELTER).out
    assert "statements (" in out
    assert "Agreement: " in out
    doc = cli("--db", str(seed_db), "show", SMELTER, "--json").json()
    for statement in doc["statements"]:
        assert statement["quote"] in out
    assert "under_way" not in out.split("sources (")[0]  # choices read as words


def test_corroboration_json_lists_corroborated_facts_with_their_articles(cli, seed_db):
    doc = cli("--db", str(seed_db), "corroboration", "--json").json()
    assert {"summary", "differently", "single", "single_links"} <= doc.keys()
    assert doc["corroborated"]
    with sqlite3.connect(seed_db) as conn:
        for fact in doc["corroborated"]:
            assert len(fact["articles"]) > 1
            rows = conn.execute(
                """SELECT DISTINCT article_ref FROM statements
                   WHERE subject_ref = ? AND property = ? AND value = ?""",
                (fact["ref"], fact["property"], json.dumps(fact["value"], ensure_ascii=False)),
            ).fetchall()
            assert sorted(r[0] for r in rows) == fact["articles"], fact


def test_corroboration_json_says_consistent_or_conflicting_for_each_difference(cli, seed_db):
    doc = cli("--db", str(seed_db), "corroboration", "--json").json()
    for item in doc["differently"]:
        assert item["agreement"] in ("consistent", "conflicting")
        for state in item["states"]:
            assert state["agreement"] in ("consistent", "conflicting"), state
    assert doc["differences"]
    for difference in doc["differences"]:
        assert difference["agreement"] in ("consistent", "conflicting")
        assert len({s["article"] for s in difference["states"]}) > 1
    party = [d for d in doc["differences"] if (d["ref"], d["property"]) == (SMELTER, "party")]
    assert len(party) == 1
    named = {s["value"] for s in party[0]["states"]}
    assert len(named) >= 3  # KAZ Minerals in both, and a different Chinese party in each


def test_corroboration_reads_as_names_and_figures(cli, seed_db, monkeypatch):
    monkeypatch.setenv("COLUMNS", "240")
    out = cli("--db", str(seed_db), "corroboration").out
    doc = cli("--db", str(seed_db), "corroboration", "--json").json()
    assert not re.search(r"\b[a-z]+_[a-z]+\b", out), "a choice or a property shown raw"
    assert not re.search(r"\d{7,}", out), "a figure shown as raw digits"
    differences = out.split("Stated differently")[1].split("Corroborated")[0]
    for state in (s for d in doc["differences"] for s in d["states"]):
        assert state["shown"][:20] in differences
        if state.get("value_name"):
            assert state["value"] not in differences  # a name, not a ref
