"""The exports as the tools that read them see them: followthemoney for `--format ftm`,
sqlite-utils for CSV, json.loads for JSON. The real libraries, never mocks."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from followthemoney import model

from tui import paths
from tui.data.build import build

SQLITE_UTILS = str(Path(sys.executable).with_name("sqlite-utils"))


def _ftm(cli, db: Path, *args: str) -> list[dict[str, Any]]:
    result = cli("--db", str(db), "export", *args, "--format", "ftm")
    assert result.code == 0, result.err
    return [json.loads(line) for line in result.out.splitlines()]


def test_every_ftm_line_validates_with_followthemoney(cli, seed_db, seed_conn):
    entities = _ftm(cli, seed_db, "all")
    by_id = {e["id"]: e for e in entities}
    assert len(by_id) == len(entities)
    for data in entities:
        schema = model.get(data["schema"])
        assert schema is not None, data["schema"]
        assert schema.validate(data) is None  # raises InvalidData on a bad value
        proxy = model.get_proxy(data, cleaned=False)  # re-cleans every value
        for name, values in data["properties"].items():
            prop = schema.get(name)
            assert prop is not None, f"{data['id']}: {schema.name} has no property {name}"
            for value in values:
                assert prop.type.validate(value), f"{data['id']}.{name}: {value!r}"
            # FtM keeps every value as written: nothing dropped or normalised on reading.
            assert sorted(proxy.get(name)) == sorted(values), f"{data['id']}.{name} changed"
            if prop.type.name == "entity":
                for value in values:
                    target = by_id.get(value)
                    assert target is not None, f"{data['id']}.{name} -> {value} does not resolve"
                    assert model.get(target["schema"]).is_a(prop.range), (data["id"], name)
    # Articles: their text, and the checksum FtM means (the SHA-1 of the file).
    for ref, file, body in seed_conn.execute("SELECT ref, file, body FROM articles"):
        article = by_id["rt-" + ref.replace(":", "-")]["properties"]
        content = (paths.SEED_DIR / file).read_bytes()
        assert article["contentHash"] == [hashlib.sha1(content).hexdigest()]
        assert article["bodyText"] == [body.strip()]


def _edges(entities: list[dict[str, Any]]) -> dict[tuple[str, str, str], dict[str, Any]]:
    """Edge entities by (schema, source, target)."""
    ends = {
        "UnknownLink": ("subject", "object"), "ProjectParticipant": ("participant", "project"),
        "Directorship": ("director", "organization"), "Membership": ("member", "organization"),
        "Occupancy": ("holder", "post"),
    }  # fmt: skip
    found = {}
    for e in entities:
        if e["schema"] in ends:
            source, target = ends[e["schema"]]
            props = e["properties"]
            found[(e["schema"], props[source][0], props[target][0])] = props
    return found


def test_every_relation_is_exported_with_the_schema_that_fits(cli, seed_db, seed_conn):
    entities = _ftm(cli, seed_db, "all")
    by_id = {e["id"]: e for e in entities}
    edges = _edges(entities)
    relations = seed_conn.execute(
        """SELECT (SELECT count(*) FROM links)
                + (SELECT count(*) FROM meetings WHERE part_of_ref IS NOT NULL)
                + (SELECT count(*) FROM commitments WHERE announced_at_ref IS NOT NULL)"""
    ).fetchone()[0]
    assert len(edges) == relations == 100
    smelter = ("rt-commitment-copper-smelter", "rt-meeting-meeting-china-nonferrous")
    announced = edges[("UnknownLink", *smelter)]
    assert announced["role"] == ["announced at"]
    # The round-table article states another meeting: it does not prove this one.
    assert announced["proof"] == ["rt-article-tokayev-meetings-chinese-companies"]
    part_of = edges[("UnknownLink", "rt-meeting-meeting-cnpc", "rt-meeting-roundtable")]
    assert part_of["role"] == ["part of"]
    site = edges[("UnknownLink", "rt-commitment-copper-smelter", "rt-place-kazakhstan")]
    assert site["role"] == ["site"] and site["proof"]
    signatory = edges[
        ("UnknownLink", "rt-place-kazakhstan", "rt-commitment-citic-commercial-documents")
    ]
    assert signatory["role"] == ["signatory (Kazakh partners)"]
    assert by_id["rt-place-kazakhstan"]["schema"] == "Address"
    builder = edges[
        ("ProjectParticipant", "rt-organization-china-nonferrous-metal-mining", smelter[0])
    ]
    assert builder["role"] == ["builder"] and by_id[smelter[0]]["schema"] == "Project"
    meeting = by_id["rt-meeting-meeting-cnpc"]["properties"]
    assert meeting["organizer"] == ["rt-person-kassym-jomart-tokayev"]
    assert set(meeting["involved"]) == {"rt-person-dai-houliang", "rt-organization-cnpc"}
    host = edges[("UnknownLink", "rt-person-kassym-jomart-tokayev", "rt-meeting-meeting-cnpc")]
    assert host["role"] == ["host"]
    occupancy = next(
        props for (schema, holder, _), props in edges.items()
        if schema == "Occupancy" and holder == "rt-person-kassym-jomart-tokayev"
    )  # fmt: skip
    post = by_id[occupancy["post"][0]]
    assert post["schema"] == "Position" and post["properties"]["name"] == [
        "President of Kazakhstan"
    ]
    assert post["properties"]["country"] == ["kz"]


def test_removing_one_position_changes_no_other_link_id(cli, tmp_path: Path):
    seed = tmp_path / "seed"
    shutil.copytree(paths.SEED_DIR, seed)
    removed = []
    for facts_file in sorted((seed / "facts").glob("*.yaml")):
        facts = yaml.safe_load(facts_file.read_text(encoding="utf-8"))
        items = facts["statements"].get("person:yerkin-tukumov", [])
        removed += [item["position"] for item in items if "position" in item]
        items[:] = [item for item in items if "position" not in item]
        facts_file.write_text(yaml.safe_dump(facts, allow_unicode=True), encoding="utf-8")
    assert set(removed) == {"organization:kaziss"}
    before_db, after_db = tmp_path / "before.db", tmp_path / "after.db"
    build(paths.SEED_DIR, before_db)
    build(seed, after_db)

    def links(db: Path) -> dict[str, dict[str, Any]]:
        return {e["id"]: e for e in _ftm(cli, db, "all") if e["id"].startswith("rt-link-")}

    before, after = links(before_db), links(after_db)
    gone = set(before) - set(after)
    assert len(gone) == 1
    (gone_id,) = gone
    assert before[gone_id]["properties"]["director"] == ["rt-person-yerkin-tukumov"]
    assert set(after) == set(before) - gone
    for link_id, entity in after.items():
        assert entity == before[link_id], f"{link_id} names another relationship now"


def test_an_ftm_export_of_indicators_says_it_writes_nothing(cli, seed_db, tmp_path: Path):
    target = tmp_path / "indicators.ftm.jsonl"
    result = cli("--db", str(seed_db), "export", "indicator", "--format", "ftm", "-o", str(target))
    assert result.code == 2 and result.out == "" and result.err.count("\n") == 1
    assert "no FollowTheMoney counterpart" in result.err
    assert not target.exists()
    everything = cli("--db", str(seed_db), "export", "all", "--format", "ftm", "-o", str(target))
    assert everything.code == 0
    assert "Left out 5 indicators: no FollowTheMoney form" in everything.err


def _sqlite_utils(*args: str) -> str:
    done = subprocess.run([SQLITE_UTILS, *args], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_csv_loads_into_sqlite_utils_with_booleans_and_multiline_cells(cli, seed_db, tmp_path):
    exported = tmp_path / "commitments.csv"
    assert cli("--db", str(seed_db), "export", "commitment", "-o", str(exported)).code == 0
    loaded = tmp_path / "loaded.db"
    # Loaded as text and with types detected (the default of sqlite-utils 4, opt-in in 3).
    flags = _sqlite_utils("insert", "--help")
    other = "--no-detect-types" if "--no-detect-types" in flags else "--detect-types"
    _sqlite_utils("insert", str(loaded), "as_default", str(exported), "--csv")
    _sqlite_utils("insert", str(loaded), "as_other", str(exported), "--csv", other)
    queries = [
        f"SELECT ref FROM {table} WHERE {where}"  # noqa: S608 - fixed names, no input
        for table in ("as_default", "as_other")
        for where in ("reported_differently = 1", "reported_differently")
    ]
    for query in queries:
        rows = json.loads(_sqlite_utils("query", str(loaded), query))
        assert rows == [{"ref": "commitment:copper-smelter"}], query
    conn = sqlite3.connect(loaded)
    assert conn.execute("SELECT count(*) FROM as_default").fetchone()[0] == 22
    sources, roles = conn.execute(
        "SELECT sources, party_roles FROM as_other WHERE ref = 'commitment:copper-smelter'"
    ).fetchone()
    assert sources.count("\n") == 2  # one source per line, quoted, read back whole
    assert roles == "builder; partner; partner"
    conn.close()


def test_flat_csv_is_one_line_per_row(cli, seed_db):
    full = cli("--db", str(seed_db), "export", "commitment")
    flat = cli("--db", str(seed_db), "export", "commitment", "--flat")
    assert flat.code == 0, flat.err
    lines = flat.out.splitlines()
    assert len(lines) == 23 < len(full.out.splitlines())  # the header and 22 rows
    rows = list(csv.DictReader(io.StringIO(flat.out)))
    smelter = next(r for r in rows if r["ref"] == "commitment:copper-smelter")
    assert smelter["sources"].count(" | ") == 2 and "\n" not in smelter["sources"]
    refused = cli("--db", str(seed_db), "export", "commitment", "--format", "json", "--flat")
    assert refused.code == 2 and "--flat" in refused.err


def test_json_links_are_objects_with_ref_name_and_role(cli, seed_db):
    result = cli("--db", str(seed_db), "export", "commitment", "--format", "json")
    rows = {row["ref"]: row for row in json.loads(result.out)}
    smelter = rows["commitment:copper-smelter"]
    assert smelter["parties"][0] == {
        "ref": "organization:china-nonferrous-metal-mining",
        "name": "China Nonferrous Metal Mining",
        "role": "builder",
    }
    documents = rows["commitment:citic-commercial-documents"]
    kazakh = next(p for p in documents["parties"] if p["ref"] == "place:kazakhstan")
    assert kazakh == {
        "ref": "place:kazakhstan", "name": "Kazakhstan", "role": "signatory (Kazakh partners)",
    }  # fmt: skip
    assert smelter["reported_differently"] is True
    meetings = json.loads(cli("--db", str(seed_db), "export", "meeting", "--format", "json").out)
    roundtable = next(m for m in meetings if m["ref"] == "meeting:roundtable")
    assert {"ref": "meeting:meeting-cnpc", "name": "Tokayev meets CNPC Chairman Dai Houliang"} in (
        roundtable["includes"]
    )
