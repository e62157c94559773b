"""The exports as the tools that read them see them: followthemoney for `--format ftm`.
The real library, never mocks."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import yaml
from followthemoney import model

from tui import paths
from tui.data.build import build


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
    people_file = seed / "extraction" / "people.yaml"
    people = yaml.safe_load(people_file.read_text(encoding="utf-8"))
    removed = next(p for p in people if p["id"] == "yerkin-tukumov")
    assert [pos["organization"] for pos in removed.pop("positions")] == ["kaziss"]
    people_file.write_text(yaml.safe_dump(people, allow_unicode=True), encoding="utf-8")
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
