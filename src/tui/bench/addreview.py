"""The benchmark's `add` and review: an article of about 5 KB that names entities the
database holds is added (read, resolved against the database, proposals written), the Review
screen is opened on it (reviewopen.py), its proposals are all accepted (statements made,
validated, written, the database updated), and the article is removed again so that a
`--reuse` run is unaffected.

Both go through `tui.data.review`, as `roundtable add` and `roundtable review --accept all`
do, in a corpus folder beside the database holding just this article and the names it uses.
One difference: the benchmark's database was built from generated records, not from facts
files, so the update step applies the one article's facts itself (`update.apply`, the step
`sync` takes for a changed article) instead of letting `sync` compare the whole corpus.
"""

from __future__ import annotations

import shutil
import sqlite3
import time
from pathlib import Path
from typing import Any

from tui.bench.reviewopen import TARGET_S as TARGET_REVIEW_S
from tui.bench.reviewopen import measure_review_open
from tui.data import update
from tui.data.adding import add_article, read_incoming
from tui.data.applying import apply, entities_text
from tui.data.corpus import load_facts, load_names
from tui.data.db import open_readonly
from tui.data.newcorpus import init_corpus
from tui.data.queries import names as entity_names
from tui.data.review import open_review
from tui.data.review_edits import decide
from tui.paths import SEED_DIR

ARTICLE_ID = "bench-add"
ARTICLE_BYTES = 5_000
TARGET_ADD_S = 2.0
TARGET_ACCEPT_S = 2.0


def _names(conn: sqlite3.Connection, sql: str, n: int) -> list[tuple[str, str]]:
    return conn.execute(sql, (n,)).fetchall()


def _article_text(db: Path) -> str:
    """A news article in the bundled articles' style, naming entities the database holds."""
    conn = open_readonly(db)
    try:
        orgs = [name for _, name in _names(conn, "SELECT ref, name FROM entities WHERE kind = "
                "'organization' GROUP BY name ORDER BY name LIMIT ?", 6)]  # fmt: skip
        people = [name for _, name in _names(conn, "SELECT ref, name FROM entities WHERE kind = "
                  "'person' GROUP BY name ORDER BY name LIMIT ?", 3)]  # fmt: skip
        cities = [
            name
            for _, name in _names(
                conn,
                "SELECT e.ref, e.name FROM entities AS e JOIN places AS p ON p.ref = e.ref "
                "WHERE p.place_type = 'city' GROUP BY e.name ORDER BY e.name LIMIT ?",
                2,
            )
        ]
    finally:
        conn.close()
    lines = [
        f"ASTANA, March 6, 2024 – {people[0]}, Chairman of {orgs[0]}, met {people[1]}, "
        f"President of {orgs[1]}, in {cities[0]} on March 5.",
        f"{orgs[0]} and {orgs[1]} signed an agreement on the construction of a logistics hub "
        f"in {cities[1]} worth $450 million.",
        f"{orgs[2]} plans to invest $120 million in a solar power plant with a capacity of "
        f"100 MW in {cities[0]}, {people[2]} said.",
        f"According to {people[2]}, {orgs[3]} intends to open a representative office in "
        f"{cities[1]} next year.",
        f"{orgs[4]} and Steppe Bench Partners LLP discussed supplies of wheat to China.",
        "Trade between Kazakhstan and China amounted to $25 billion in 2023, 12% more than a "
        "year earlier.",
        f"{orgs[5]} signed a memorandum with the Steppe Bench Fund on a wind farm of 50 MW.",
    ]
    body = "\n\n".join(lines) + "\n"
    filler = (
        "Analysts in Astana noted that the talks continued a long series of consultations "
        "on trade, transport and energy between the delegations."
    )
    while len(body.encode("utf-8")) + len(filler) + 2 < ARTICLE_BYTES:
        body += "\n" + filler + "\n"
    return body


def _known_names(db: Path, refs: set[str]) -> dict[str, str]:
    conn = open_readonly(db)
    try:
        return entity_names(conn, list(refs))
    finally:
        conn.close()


def measure_add_review(db: Path, work: Path) -> dict[str, Any]:
    """Add the article, accept all its proposals, remove it; the seconds of the first two."""
    folder = work / "add-corpus"
    shutil.rmtree(folder, ignore_errors=True)
    init_corpus(folder, SEED_DIR, empty=True)
    source = work / f"{ARTICLE_ID}.txt"
    source.write_text(_article_text(db), encoding="utf-8")

    def one_article() -> None:
        names = load_names(folder)
        (path,) = (folder / "facts").glob("*.yaml")
        facts = load_facts(folder, path, names)
        update.apply(db, {path.stem: facts}, names)

    article_id: str | None = None
    try:
        started = time.perf_counter()
        incoming = read_incoming(source)
        added = add_article(folder, incoming, db_path=db, update=one_article)
        add_seconds = time.perf_counter() - started
        review = added.review
        article_id = review.article_id
        matched = {p.match for p in review.proposals if p.match}
        # What a real corpus's entities.yaml holds already: the entities the article matched.
        entities = folder / "entities.yaml"
        known = _known_names(db, matched)
        entities.write_text(entities_text(entities.read_text(encoding="utf-8"), known), "utf-8")
        started = time.perf_counter()
        review = open_review(folder, review.article_id)
        open_seconds = time.perf_counter() - started
        screen = measure_review_open(db, folder, review.article_id)
        started = time.perf_counter()
        decide(review, [p.id for p in review.proposals], "accepted")
        applied = apply(review, db, update=one_article)
        accept_seconds = time.perf_counter() - started
    finally:
        try:
            if article_id is not None:
                update.apply(db, {article_id: None}, load_names(folder))
        finally:
            shutil.rmtree(folder, ignore_errors=True)
            source.unlink(missing_ok=True)
    return {
        "article_bytes": len(incoming.intake.text.encode("utf-8")),
        "proposals": len(review.proposals),
        "matched": len(matched),
        "add_seconds": round(add_seconds, 3),
        "review_load_seconds": round(open_seconds, 4),
        "review_screen": screen,
        "accepted": len(applied.proposals),
        "statements": applied.statements,
        "skipped": len(applied.skipped),
        "accept_seconds": round(accept_seconds, 3),
    }


def targets(measured: dict[str, Any]) -> dict[str, tuple[str, bool]]:
    return {
        "add a 5 KB article (proposals included) < 2 s": (
            f"{measured['add_seconds']:.3f} s",
            measured["add_seconds"] < TARGET_ADD_S,
        ),
        "Review screen opens < 0.3 s (slowest of its opens)": (
            f"{measured['review_screen']['max_s']:.3f} s",
            measured["review_screen"]["max_s"] < TARGET_REVIEW_S,
        ),
        "accept its proposals < 2 s": (
            f"{measured['accept_seconds']:.3f} s",
            measured["accept_seconds"] < TARGET_ACCEPT_S,
        ),
    }
