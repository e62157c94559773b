"""The benchmark's incremental update: one new article's facts applied to the built database.

The article is about 5 KB of text with about 40 statements: it speaks of existing entities
(organizations, people, places, a meeting, a commitment: stating again what the database holds,
and new links between them) and adds a few of its own (organizations, people, a meeting, two
commitments). Its files are written into a small corpus folder beside the database, then it is
applied as `roundtable build` applies a changed article (validation included in the time), and
removed again, so that the database holds what it did before and a `--reuse` run is unaffected.
"""

from __future__ import annotations

import shutil
import sqlite3
import time
from pathlib import Path
from typing import Any

from tui.data import update
from tui.data.applying import entities_text
from tui.data.corpus import load_facts, load_names
from tui.data.factsfile import render
from tui.data.seed import Article
from tui.data.statements import Statement

ARTICLE_ID = "bench-update"
ARTICLE_BYTES = 5_000
TARGET_SECONDS = 2.0
TARGET_FRACTION = 0.01  # of the full build


class _Article:
    """The text of the new article, sentence by sentence, and the statements it makes."""

    def __init__(self) -> None:
        self.body = f"ASTANA – Investment news from Kazakhstan ({ARTICLE_ID}).\n"
        self.statements: list[Statement] = []

    def say(self, sentence: str, subject: str, **props: Any) -> None:
        """Add `sentence` to the text, stating `props` of `subject` (`role` for a link)."""
        start = len(self.body) + 1
        self.body += f"\n{sentence}\n"
        role = props.pop("role", None)
        for prop, value in props.items():
            self.statements.append(
                Statement(subject, prop, value, ARTICLE_ID, sentence, start, start + len(sentence),
                          role=role if prop in ("position", "participant", "party") else None)
            )  # fmt: skip

    def pad(self) -> None:
        filler = (
            "Analysts in Astana noted that the talks continued a long series of consultations "
            "on trade, transport and energy between the delegations. "
        )
        while len(self.body.encode("utf-8")) + len(filler) < ARTICLE_BYTES:
            self.body += "\n" + filler + "\n"


def _existing(conn: sqlite3.Connection, kind: str, n: int, column: str | None = None) -> list[Any]:
    """The first `n` entities of `kind` by name (with `column` of its kind's table)."""
    table = {"organization": "organizations", "place": "places", "person": "people",
             "meeting": "meetings", "commitment": "commitments"}[kind]  # fmt: skip
    extra = f", k.{column}" if column else ""
    sql = (
        f"SELECT e.ref, e.name{extra} FROM entities AS e JOIN {table} AS k ON k.ref = e.ref "  # noqa: S608 - constants
        "WHERE e.kind = ? ORDER BY e.name, e.ref LIMIT ?"
    )
    return conn.execute(sql, (kind, n)).fetchall()


def article_for(db: Path) -> tuple[_Article, dict[str, str]]:
    """The new article's text and statements, and the names of every entity it names."""
    conn = sqlite3.connect(f"file:{db.resolve()}?mode=ro", uri=True)
    try:
        orgs = _existing(conn, "organization", 4, "org_type")
        people = _existing(conn, "person", 2)
        places = [p for p in _existing(conn, "place", 40, "place_type") if p[2] == "country"][:2]
        meeting = _existing(conn, "meeting", 1)[0]
        commitment = _existing(conn, "commitment", 1)[0]
    finally:
        conn.close()
    names = {ref: name for ref, name, *_ in [*orgs, *people, *places, meeting, commitment]}
    a = _Article()
    for ref, name, org_type in orgs:
        a.say(f"{name} confirmed its plans in Kazakhstan at the forum.", ref, org_type=org_type)
    for ref, name, place_type in places:
        a.say(f"Delegations from {name} attended the forum.", ref, place_type=place_type)
    for (ref, name), (org, org_name, _) in zip(people, orgs, strict=False):
        a.say(f"{name}, adviser to {org_name}, spoke at the forum.", ref, position=org,
              role="Adviser")  # fmt: skip
    new_orgs = [
        (f"organization:{ARTICLE_ID}-org-{i}", f"Steppe Update Partner {i}") for i in range(3)
    ]
    for i, (ref, name) in enumerate(new_orgs):
        country = places[i % len(places)]
        a.say(f"{name}, a company from {country[1]}, joined the forum.", ref, org_type="company",
              country=country[0])  # fmt: skip
    new_people = [(f"person:{ARTICLE_ID}-person-{i}", f"Aidos Updatov {i}") for i in range(2)]
    for (ref, name), (org, org_name) in zip(new_people, new_orgs, strict=False):
        a.say(f"Chairman {name} of {org_name} from {places[0][1]} spoke.", ref,
              country=places[0][0], position=org, role="Chairman")  # fmt: skip
    new_meeting = (f"meeting:{ARTICLE_ID}-forum", "Steppe Update Forum")
    a.say(f"The Steppe Update Forum took place on 5 March 2024 in {places[0][1]}.",
          new_meeting[0], meeting_type="talks", date="2024-03-05", date_precision="day",
          place=places[0][0])  # fmt: skip
    for ref, name in [*new_people, (orgs[0][0], orgs[0][1])]:
        a.say(f"{name} took part in the Steppe Update Forum.", new_meeting[0], participant=ref,
              role="participant")  # fmt: skip
    a.say(f"{new_orgs[0][1]} also joined the meeting: {meeting[1]}.", meeting[0],
          participant=new_orgs[0][0], role="participant")  # fmt: skip
    a.say(f"{new_orgs[1][1]} joined the commitment: {commitment[1]}.", commitment[0],
          party=new_orgs[1][0], role="co-investor")  # fmt: skip
    new_commitments = [
        (f"commitment:{ARTICLE_ID}-deal-{i}", f"Steppe Update Deal {i}", 100 + 50 * i)
        for i in range(2)
    ]
    for i, (ref, name, amount) in enumerate(new_commitments):
        a.say(f"At the forum the parties signed the {name} worth ${amount} million.", ref,
              category="agreement", status="signed", amount=amount * 1_000_000, currency="USD",
              announced_at=new_meeting[0])  # fmt: skip
        for org, org_name in (new_orgs[i], (orgs[i + 1][0], orgs[i + 1][1])):
            a.say(f"{org_name} is a signatory of the {name}.", ref, party=org, role="signatory")
    a.pad()
    names.update(new_orgs)
    names.update(new_people)
    names[new_meeting[0]] = new_meeting[1]
    names.update((ref, name) for ref, name, _ in new_commitments)
    return a, names


def _write_corpus(folder: Path, article: _Article, names: dict[str, str]) -> Path:
    """A corpus folder holding just the new article (and the names it uses)."""
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "articles").mkdir(parents=True)
    (folder / "facts").mkdir()
    (folder / "entities.yaml").write_text(entities_text("{}", dict(sorted(names.items()))))
    file = f"articles/{ARTICLE_ID}.txt"
    (folder / file).write_text(article.body, encoding="utf-8")
    meta = {"id": ARTICLE_ID, "file": file, "date": "2024-03-06", "date_precision": "day",
            "dateline": "Astana"}  # fmt: skip
    text = render(Article(ARTICLE_ID, file, article.body, "", meta), article.statements)
    path = folder / "facts" / f"{ARTICLE_ID}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _stored(db: Path) -> int:
    conn = sqlite3.connect(f"file:{db.resolve()}?mode=ro", uri=True)
    try:
        found = conn.execute(
            "SELECT count(*) FROM statements WHERE article_ref = ?", (f"article:{ARTICLE_ID}",)
        ).fetchone()
        return int(found[0])
    finally:
        conn.close()


def measure_update(db: Path, work: Path, build_seconds: float | None) -> dict[str, Any]:
    """Apply the new article to `db` and remove it again; the seconds of each, the first also
    as a fraction of the full build (None when this run did not build)."""
    folder = work / "update-corpus"
    article, names = article_for(db)
    path = _write_corpus(folder, article, names)
    try:
        started = time.perf_counter()
        loaded = load_names(folder)
        facts = load_facts(folder, path, loaded)
        update.apply(db, {ARTICLE_ID: facts}, loaded)
        added = time.perf_counter() - started
        stored = _stored(db)
        started = time.perf_counter()
        update.apply(db, {ARTICLE_ID: None}, loaded)
        removed = time.perf_counter() - started
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    subjects = {s.subject for s in facts.statements}
    return {
        "article_bytes": len(article.body.encode("utf-8")),
        "statements": len(facts.statements),
        "statements_stored": stored,  # what the database held of it once applied
        "subjects": len(subjects),
        "new_entities": sum(1 for ref in subjects if ARTICLE_ID in ref),
        "seconds": round(added, 3),
        "remove_seconds": round(removed, 3),
        "fraction_of_build": round(added / build_seconds, 5) if build_seconds else None,
    }


def targets(measured: dict[str, Any]) -> dict[str, tuple[str, bool]]:
    """The update's targets, for the report's table (the fraction only beside a build)."""
    found = {
        "update one article < 2 s": (
            f"{measured['seconds']:.3f} s",
            measured["seconds"] < TARGET_SECONDS,
        )
    }
    fraction = measured["fraction_of_build"]
    if fraction is not None:
        found["update one article < 1% of the full build"] = (
            f"{fraction * 100:.3f}%",
            fraction < TARGET_FRACTION,
        )
    return found
