"""The analysis commands and the export, from the command line: parse what they print."""

from __future__ import annotations

import csv
import io
import json
import sqlite3

import pytest

FTM_REFERENCES = ("proof", "addressEntity", "subject", "object", "director", "member",
                  "organization")  # fmt: skip


def test_export_csv_every_row_has_labels_and_provenance(cli, seed_db, seed_conn):
    from tui.data.queries import counts

    result = cli("--db", str(seed_db), "export", "commitment", "--format", "csv")
    assert result.code == 0, result.err
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert len(rows) == counts(seed_conn)["commitment"] == 24
    assert all(r["source_article"].startswith("article:") and r["source_quote"] for r in rows)
    smelter = next(r for r in rows if r["ref"] == "commitment:copper-smelter")
    assert smelter["party_refs"].split("; ") == [
        "organization:china-nonferrous-metal-mining", "organization:kaz-minerals",
        "organization:nfc",
    ]  # fmt: skip
    # Names, refs and roles in columns of their own, in the same order.
    parties = ["China Nonferrous Metal Mining", "KAZ Minerals", "NFC"]
    assert smelter["parties"].split("; ") == parties
    assert smelter["party_roles"].split("; ") == ["developer", "partner", "partner"]
    assert smelter["place_refs"] == "place:kazakhstan" and smelter["places"] == "Kazakhstan"
    assert smelter["place_roles"] == "site"
    assert smelter["source_count"] == "2" and smelter["reported_differently"] == "1"
    assert smelter["announced_at"] == (
        "Tokayev meets China Nonferrous Metal Mining General Director Zhang Jinjun"
    )
    assert smelter["sources"].count("\n") == 6  # seven quotes, one per line
    assert "(states announced_at: roundtable)" in smelter["sources"]
    assert "(states announced_at: meeting-china-nonferrous)" in smelter["sources"]


def test_export_json_filtered_like_the_pane(cli, seed_db, seed_conn):
    from tui.data.queries import count_matching

    expected = count_matching(seed_conn, "commitment", filters={"category": "project"})
    rows = cli(
        "--db", str(seed_db), "export", "commitment", "--format", "json",
        "--where", "category=project",
    ).json()  # fmt: skip
    assert len(rows) == expected == 10
    assert {row["category"] for row in rows} == {"project"}
    assert all(row["sources"] and row["sources"][0]["quote"] for row in rows)
    differently = cli(
        "--db", str(seed_db), "export", "commitment", "--format", "json",
        "--where", "reported=differently",
    ).json()  # fmt: skip
    assert [row["ref"] for row in differently] == ["commitment:copper-smelter"]


def test_export_jsonl_people_one_object_per_line(cli, seed_db):
    result = cli("--db", str(seed_db), "export", "person", "--format", "jsonl")
    lines = result.out.splitlines()
    assert len(lines) == 10
    people = [json.loads(line) for line in lines]
    tokayev = next(p for p in people if p["ref"] == "person:kassym-jomart-tokayev")
    assert tokayev["positions"] == [
        {"ref": "place:kazakhstan", "name": "Kazakhstan", "role": "President"}
    ]
    assert tokayev["country"] == "Kazakhstan" and tokayev["country_ref"] == "place:kazakhstan"
    assert tokayev["source_count"] == 2


def test_export_ftm_entities_resolve_and_carry_provenance(cli, seed_db):
    result = cli("--db", str(seed_db), "export", "all", "--format", "ftm")
    assert result.code == 0, result.err
    entities = [json.loads(line) for line in result.out.splitlines()]
    ids = {e["id"] for e in entities}
    assert len(ids) == len(entities)
    for entity in entities:
        assert set(entity) == {"id", "schema", "properties"}
        for values in entity["properties"].values():
            assert isinstance(values, list) and all(isinstance(v, str) and v for v in values)
        for key in FTM_REFERENCES:
            for value in entity["properties"].get(key, []):
                assert value in ids, f"{entity['id']}.{key} -> {value} does not resolve"
    schemas = {e["schema"] for e in entities}
    assert {"Company", "Person", "Event", "Contract", "Directorship", "UnknownLink",
            "Article", "Address"} <= schemas  # fmt: skip
    by_id = {e["id"]: e for e in entities}
    cnpc = by_id["rt-organization-cnpc"]["properties"]
    # No quote states CNPC's country or that the state owns it: neither is exported.
    assert "country" not in cnpc and "topics" not in cnpc
    spic = by_id["rt-organization-spic"]["properties"]
    assert spic["country"] == ["cn"]  # "one of the leading Chinese energy companies"
    assert cnpc["proof"] == ["rt-article-tokayev-meetings-chinese-companies"]
    assert "Dai Houliang" in cnpc["notes"][0]  # the quote that states it
    documents = by_id["rt-commitment-state-visit-documents"]["properties"]
    assert documents["amount"] == ["22000000000"] and documents["currency"] == ["USD"]
    target = by_id["rt-commitment-carbon-neutrality-2060"]["properties"]
    assert target["endDate"] == ["2060"] and "date" not in target
    assert not any("sourceUrl" in e["properties"] for e in entities)  # never invented
    assert not any(e["id"].startswith("rt-indicator-") for e in entities)


def test_export_ftm_of_one_kind_brings_its_links(cli, seed_db):
    result = cli(
        "--db", str(seed_db), "export", "commitment", "--format", "ftm",
        "--where", "party=organization:spic",
    )  # fmt: skip
    entities = [json.loads(line) for line in result.out.splitlines()]
    commitments = [e for e in entities if e["id"].startswith("rt-commitment-")]
    assert len(commitments) == 4
    # SPIC's projects: SPIC takes part as ProjectParticipant; their places and meetings
    # come as UnknownLinks from the projects.
    participants = [e for e in entities if e["schema"] == "ProjectParticipant"]
    assert {tuple(e["properties"]["participant"]) for e in participants} == {
        ("rt-organization-spic",)
    }
    links = [e for e in entities if e["schema"] == "UnknownLink"]
    assert {e["properties"]["subject"][0] for e in links} <= {e["id"] for e in commitments}
    assert {e["properties"]["role"][0] for e in links} == {"site", "announced at"}
    assert "rt-organization-spic" in {e["id"] for e in entities}


def test_export_to_a_file_and_errors_are_one_line(cli, seed_db, tmp_path):
    target = tmp_path / "people.json"
    result = cli("--db", str(seed_db), "export", "person", "--format", "json", "-o", str(target))
    assert result.code == 0 and result.out == ""
    assert result.err == f"Wrote 10 rows to {target}\n"
    assert len(json.loads(target.read_text(encoding="utf-8"))) == 10
    bad = cli("--db", str(seed_db), "export", "person", "-o", str(tmp_path / "no" / "x.csv"))
    assert bad.code == 2 and bad.err.count("\n") == 1 and "cannot write" in bad.err
    assert not list(tmp_path.glob("no*")) and not list(tmp_path.glob(".roundtable-export-*"))
    assert cli("--db", str(seed_db), "export", "all").code == 2
    unknown = cli("--db", str(seed_db), "export", "widgets")
    assert unknown.code == 2 and "unknown kind" in unknown.err
    wrong = cli("--db", str(seed_db), "export", "person", "--where", "colour=red")
    assert wrong.code == 2 and "unknown filter 'colour'" in wrong.err


def test_export_csv_defuses_spreadsheet_formulas():
    from tui.data.exporting import csv_cells

    cells = csv_cells({"name": '=HYPERLINK("x")', "amount": -5.0, "note": "-5", "ok": "a"})
    assert cells == {"name": '\'=HYPERLINK("x")', "amount": "-5", "note": "-5", "ok": "a"}


def test_totals_sum_only_within_a_unit(cli, seed_db):
    doc = cli("--db", str(seed_db), "totals", "--json").json()
    measures = {m["measure"]: m for m in doc["measures"]}
    assert list(measures) == [
        "amount:USD", "capacity:GW", "capacity:Gcal", "quantity:t", "documents",
    ]  # fmt: skip
    usd, documents = measures["amount:USD"]["total"], measures["documents"]["total"]
    with sqlite3.connect(seed_db) as conn:
        amounts = dict(conn.execute("SELECT ref, amount FROM commitments WHERE currency = 'USD'"))
        counts = dict(
            conn.execute("SELECT ref, document_count FROM commitments WHERE document_count > 0")
        )
    # each figure once, but for one a larger figure may contain (see test_statements_cli.py)
    assert usd["commitments"] == len(amounts)
    assert usd["value"] == sum(amounts[ref] for ref in usd["counted"])
    assert documents["value"] == sum(counts[ref] for ref in documents["counted"])  # apart
    assert measures["capacity:Gcal"]["groups"][0]["shown"] == "up to 200 Gcal"
    by_sector = cli("--db", str(seed_db), "totals", "--by", "sector", "--json").json()
    gw = next(m for m in by_sector["measures"] if m["measure"] == "capacity:GW")
    assert [(g["group"], g["value"]) for g in gw["groups"]] == [("wind power", 1.0)]


def test_totals_table_draws_bars_scaled_per_unit(cli, seed_db, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    out = cli("--db", str(seed_db), "totals").out
    dollars = out.split("Capacity, GW")[0]  # the first table: amounts in USD
    lines = {line.split("│")[1].strip(): line for line in dollars.splitlines() if "│" in line}
    assert "█" * 24 in lines["(no organization named)"]  # $22 bn, the largest: full width
    citic = lines["CITIC Group"]
    assert "over $1.6 bn" in citic and "█▊" in citic and "██▊" not in citic
    assert "GW" not in dollars and "docs" not in dollars  # no GW nor counts among the dollars


def test_timeline_orders_by_date_and_filters(cli, seed_db):
    items = cli("--db", str(seed_db), "timeline", "--json").json()
    assert len(items) == 30
    assert [i["date"] for i in items] == sorted(i["date"] for i in items)
    assert [(i["when"], i["precision"]) for i in items[-2:]] == [
        ("by 2030", "target_year"), ("by 2060", "target_year"),
    ]  # fmt: skip
    signed = next(i for i in items if i["ref"] == "commitment:joint-statement")
    assert signed["precision"] == "day" and signed["date"] == "2023-05-17"
    placed = next(i for i in items if i["ref"] == "commitment:copper-smelter")
    assert (
        placed["precision"] == "announced"
        and placed["via_ref"] == "meeting:meeting-china-nonferrous"
    )
    dai = cli("--db", str(seed_db), "timeline", "--about", "person:dai-houliang", "--json").json()
    assert [i["ref"] for i in dai] == [  # the meeting, then the plans he shared at it
        "meeting:meeting-cnpc",
        "commitment:pipeline-throughput-increase",
        "commitment:shymkent-refinery-expansion",
    ]
    text = cli("--db", str(seed_db), "timeline").out
    assert "by 2060" in text and "30 rows" in text
    missing = cli("--db", str(seed_db), "timeline", "--about", "person:nobody")
    assert missing.code == 4 and missing.err.count("\n") == 1


def test_network_tree_two_hops(cli, seed_db):
    out = cli("--db", str(seed_db), "network", "person:dai-houliang").out.splitlines()
    assert out[0] == "Dai Houliang  [person]  person:dai-houliang"
    assert "├── meetings (1)" in out and "└── positions (1)" in out
    hop_two = next(line for line in out if "Kassym-Jomart Tokayev" in line)
    # he "met with" Dai Houliang: a participant, not a host
    assert hop_two.startswith("│       └── Kassym-Jomart Tokayev  [person]  participant")
    assert out[-1] == "5 people and organizations two hops away"
    doc = cli("--db", str(seed_db), "network", "person:kassym-jomart-tokayev", "--json").json()
    met = {n["ref"] for n in doc["reached"]}
    assert {"person:dai-houliang", "organization:cnpc", "person:xi-jinping"} <= met
    assert "person:kassym-jomart-tokayev" not in met
    assert cli("--db", str(seed_db), "network", "person:nobody").code == 4


def test_corroboration_report(cli, seed_db):
    doc = cli("--db", str(seed_db), "corroboration", "--json").json()
    summary = doc["summary"]
    assert (
        summary["corroborated"] + summary["single_source"] + summary["reported_differently"]
        == summary["entities"]
    )
    assert {i["ref"] for i in doc["differently"]} == {
        "commitment:copper-smelter", "indicator:china-investor-rank",
        "indicator:chinese-investment-since-2005",
    }  # fmt: skip
    assert len(doc["single"]) == summary["single_source"]
    assert all(link["article"].startswith("article:") for link in doc["single_links"])
    out = cli("--db", str(seed_db), "corroboration").out
    assert out.startswith(f"{summary['entities']} entities: {summary['corroborated']} corroborated")


def test_open_unknown_ref_is_one_line_exit_4(cli, seed_db):
    result = cli("--db", str(seed_db), "open", "organization:nobody")
    assert result.code == 4
    assert result.err.count("\n") == 1 and "organization:nobody" in result.err


@pytest.mark.parametrize("ref", ["commitment:copper-smelter", "person:xi-jinping"])
def test_open_starts_the_explorer_on_the_ref(cli, seed_db, monkeypatch, ref):
    import tui.app.explorer

    started = {}

    def fake_run(path, *, start_ref=None, mouse=True, probe=None, corpus=None):
        started.update(path=path, start_ref=start_ref)
        return 0

    monkeypatch.setattr(tui.app.explorer, "run_explorer", fake_run)
    assert cli("--db", str(seed_db), "open", ref).code == 0
    assert started == {"path": seed_db, "start_ref": ref}
