"""The CLI contract: names, JSON shapes and one-line errors that scripts rely on."""

from __future__ import annotations

import subprocess
import sys

import pytest


def test_search_json_shape(cli, mini_db):
    result = cli("--db", str(mini_db), "search", "Acme", "--json")
    assert result.code == 0
    hits = result.json()
    assert hits and all({"ref", "kind", "name", "snippet"} <= set(h) for h in hits)
    assert hits[0]["ref"] == "organization:acme-energy"


def test_search_limit_and_kind(cli, mini_db):
    hits = cli(
        "--db", str(mini_db), "search", "a", "--kind", "person", "--limit", "1", "--json"
    ).json()
    assert len(hits) == 1 and hits[0]["kind"] == "person"


def test_show_json_shape_links_both_ways(cli, mini_db):
    doc = cli("--db", str(mini_db), "show", "person:ivan-petrov", "--json").json()
    assert {"ref", "kind", "name", "fields", "links", "sources"} <= set(doc)
    assert doc["ref"] == "person:ivan-petrov" and doc["kind"] == "person"
    assert all({"ref", "kind", "name", "relation"} <= set(link) for link in doc["links"])
    assert all({"article", "quote"} <= set(s) for s in doc["sources"])
    assert doc["sources"][0]["article"] == "article:mini"
    relations = {(link["relation"], link["ref"]) for link in doc["links"]}
    assert ("position", "organization:acme-energy") in relations
    assert ("meeting", "meeting:almaty-meeting") in relations
    # ...and the organization links back to the person
    org = cli("--db", str(mini_db), "show", "organization:acme-energy", "--json").json()
    assert ("person", "person:ivan-petrov") in {(li["relation"], li["ref"]) for li in org["links"]}


def test_list_json_every_entity_of_kind(cli, mini_db):
    rows = cli("--db", str(mini_db), "list", "organization", "--json").json()
    assert [r["ref"] for r in rows] == ["organization:acme-energy", "organization:steppe-bank"]
    assert all("name" in r for r in rows)


def test_list_table_is_readable(cli, mini_db):
    result = cli("--db", str(mini_db), "list", "place")
    assert result.code == 0
    assert "Almaty" in result.out and "place:almaty" in result.out and "2 rows" in result.out


def test_unknown_ref_is_one_line_exit_4(cli, mini_db):
    result = cli("--db", str(mini_db), "show", "organization:nobody")
    assert result.code == 4
    assert result.err.count("\n") == 1 and "organization:nobody" in result.err


def test_unknown_kind(cli, mini_db):
    result = cli("--db", str(mini_db), "list", "widgets")
    assert result.code == 2 and "unknown kind 'widgets'" in result.err


def test_missing_database_is_not_created(cli, tmp_path):
    missing = tmp_path / "absent.db"
    result = cli("--db", str(missing), "search", "x")
    assert result.code == 3
    assert "database not found" in result.err and str(missing) in result.err
    assert not missing.exists()


def test_env_variable_selects_database(cli, mini_db, monkeypatch):
    monkeypatch.setenv("ROUNDTABLE_DB", str(mini_db))
    assert cli("list", "person", "--json").json()[0]["ref"] == "person:aigerim-nurlanova"


@pytest.mark.parametrize("query", ['"', "NEAR(", "a:b", "-", "*", "", "AND"])
def test_hostile_cli_queries_exit_zero(cli, mini_db, query):
    result = cli("--db", str(mini_db), "search", query, "--json")
    assert result.code == 0
    assert isinstance(result.json(), list)


def test_real_process_exit_code_and_no_traceback(mini_db, tmp_path):
    bad = tmp_path / "garbage.db"
    bad.write_bytes(b"this is not a database" * 100)
    proc = subprocess.run(
        [sys.executable, "-m", "tui", "--db", str(bad), "search", "x"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert proc.returncode == 3
    assert "corrupt" in proc.stderr and str(bad) in proc.stderr
    assert "Traceback" not in proc.stderr


def test_show_text_lines_up_fields_and_reads_amounts(cli, seed_db):
    result = cli("--db", str(seed_db), "show", "commitment:state-visit-documents")
    assert result.code == 0
    lines = result.out.splitlines()
    amount = next(line for line in lines if line.startswith("amount "))
    qualifier = next(line for line in lines if line.startswith("amount qualifier"))
    count = next(line for line in lines if line.startswith("document count"))
    assert amount.split()[1:] == ["22,000,000,000", "($22", "bn)"]
    assert qualifier.split()[-1] == "total" and count.split()[-1] == "47"
    # every value starts in one column, after the longest label and a gap
    assert amount.index("22") == qualifier.index("total") == count.index("47")
