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
from statementkit import CITIC, build_asserted

from tui.data.statements import AGREEMENTS

STATEMENT_KEYS = {"property", "value", "article", "quote", "start", "end", "asserted_by"}
OLD_SHOW_KEYS = {
    "ref", "kind", "name", "aliases", "fields", "reported_differently", "source_count",
    "link_counts", "links", "sources",
}  # fmt: skip
SMELTER = "commitment:copper-smelter"


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
        assert (link["agreement"] == "single") == (len(reporting) == 1), link["ref"]


@pytest.fixture(scope="module")
def asserted_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_asserted(tmp_path_factory.mktemp("asserted"))


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
    words = " ".join(out.split())  # (a long quote wraps)
    for statement in doc["statements"]:
        assert " ".join(statement["quote"].split()) in words
    assert not re.search(r"\b[a-z]+_[a-z]+\b", out), "a choice or a property shown raw"


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
    with sqlite3.connect(seed_db) as conn:
        for kind in ("consistent", "conflicting"):
            stored = conn.execute(
                "SELECT count(*) FROM entities WHERE agreement = ? AND kind <> 'article'", (kind,)
            ).fetchone()[0]
            assert doc["summary"][kind] == stored
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


# -- totals never add a figure into one that may contain it --------------------------------

VISIT_DOCS = "commitment:state-visit-documents"


def edited(seed_db: Path, tmp_path: Path, *steps: tuple[str, tuple]) -> Path:
    """A copy of the seed database with each `(sql, parameters)` applied: a containment
    stated explicitly, so the test does not depend on what the curated facts link."""
    db = tmp_path / "edited.db"
    shutil.copyfile(seed_db, db)
    with sqlite3.connect(db) as conn:
        for sql, parameters in steps:
            conn.execute(sql, parameters)
    return db


def link(column: str, value: str | None, ref: str) -> tuple[str, tuple]:
    """Set one containment column of one commitment."""
    assert column in ("announced_at_ref", "part_of_ref", "covers_ref")
    return f"UPDATE commitments SET {column} = ? WHERE ref = ?", (value, ref)  # noqa: S608


def figures(db: Path, ref: str) -> tuple[float, int]:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT amount, document_count FROM commitments WHERE ref = ?", (ref,)
        ).fetchone()


def usd_and_documents(cli, db: Path) -> tuple[dict, dict]:
    doc = cli("--db", str(db), "totals", "--json").json()
    measures = {m["measure"]: m for m in doc["measures"]}
    return measures["amount:USD"]["total"], measures["documents"]["total"]


COVERS = link("covers_ref", "meeting:state-visit", VISIT_DOCS)


def meeting(ref: str, part_of: str | None) -> tuple[str, tuple]:
    """A meeting of the test's own, part of another."""
    return (
        "INSERT INTO meetings (ref, name, part_of_ref) VALUES (?, ?, ?)",
        (ref, ref.partition(":")[2], part_of),
    )


def entity(ref: str) -> tuple[str, tuple]:
    kind, _, slug = ref.partition(":")
    return "INSERT INTO entities (ref, kind, slug, name) VALUES (?, ?, ?, ?)", (
        ref, kind, slug, slug,
    )  # fmt: skip


# A meeting within the state visit, and one within that: what they announce may be among
# what the visit signed.
WITHIN_VISIT = (
    entity("meeting:inside"), meeting("meeting:inside", "meeting:state-visit"),
    entity("meeting:deeper"), meeting("meeting:deeper", "meeting:inside"),
)  # fmt: skip


@pytest.mark.parametrize("announced_at", [None, "meeting:state-visit", "meeting:deeper"], ids=str)
def test_a_total_of_a_meeting_counts_once_what_it_may_include(
    cli, seed_db, tmp_path, monkeypatch, announced_at
):
    """The 47 documents of the state visit may include CITIC's five (announced at no meeting,
    at the visit, or at a meeting within it): the larger is counted once, and the total says
    what it may include and what the sum would be if nothing overlaps."""
    db = edited(
        seed_db, tmp_path, *WITHIN_VISIT, COVERS, link("announced_at_ref", announced_at, CITIC),
        link("part_of_ref", None, CITIC), link("covers_ref", None, CITIC),
    )  # fmt: skip
    visit_amount, visit_docs = figures(db, VISIT_DOCS)
    citic_amount, citic_docs = figures(db, CITIC)
    usd, documents = usd_and_documents(cli, db)
    assert usd["value"] == visit_amount and documents["value"] == visit_docs
    for total, separate in (
        (usd, visit_amount + citic_amount),
        (documents, visit_docs + citic_docs),
    ):
        assert total["counted"] == [VISIT_DOCS]
        [overlap] = total["overlaps"]
        assert (overlap["commitment"], overlap["within"]) == (CITIC, VISIT_DOCS)
        assert overlap["inclusion"] == "may be included" and not overlap["certain"]
        assert total["if_none_overlap"]["value"] == separate
    monkeypatch.setenv("COLUMNS", "200")
    out = cli("--db", str(db), "totals").out
    dollars = out.split("Capacity")[0]
    assert "(each once)" not in dollars
    total_row = next(line for line in dollars.splitlines() if "All commitments" in line)
    assert "$22 bn" in total_row
    assert "may include: over $1.6 bn" in dollars
    assert "if none of these overlap, the sum is over $23.6 bn" in dollars


def test_a_commitment_announced_elsewhere_is_added(cli, seed_db, tmp_path):
    """A figure announced at a meeting outside the one a total covers is not in that total."""
    db = edited(
        seed_db, tmp_path, COVERS,
        entity("meeting:elsewhere"), meeting("meeting:elsewhere", None),
        link("announced_at_ref", "meeting:elsewhere", CITIC),
    )  # fmt: skip
    usd, documents = usd_and_documents(cli, db)
    assert usd["value"] == figures(db, VISIT_DOCS)[0] + figures(db, CITIC)[0]
    assert usd["overlaps"] == [] and usd["if_none_overlap"] is None
    assert sorted(documents["counted"]) == sorted([VISIT_DOCS, CITIC])


def test_a_part_is_included_in_its_whole(cli, seed_db, tmp_path):
    db = edited(seed_db, tmp_path, link("part_of_ref", VISIT_DOCS, CITIC))
    usd, _ = usd_and_documents(cli, db)
    [overlap] = usd["overlaps"]
    assert overlap["certain"] and overlap["inclusion"] == "included"
    assert usd["value"] == figures(db, VISIT_DOCS)[0]
    assert usd["if_none_overlap"] is None  # nothing uncertain to add
    out = cli("--db", str(db), "totals").out
    assert "includes: over $1.6 bn" in out


def test_totals_without_containment_add_each_once(cli, seed_db, tmp_path):
    db = edited(
        seed_db, tmp_path, ("UPDATE commitments SET covers_ref = NULL, part_of_ref = NULL", ())
    )
    usd, documents = usd_and_documents(cli, db)
    with sqlite3.connect(db) as conn:
        amount = conn.execute("SELECT sum(amount) FROM commitments WHERE currency = 'USD'")
        assert usd["value"] == amount.fetchone()[0]
    assert usd["overlaps"] == [] and documents["overlaps"] == []
    assert "(each once)" in cli("--db", str(db), "totals").out
