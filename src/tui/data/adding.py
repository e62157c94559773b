"""Adding an article to a corpus, with its proposals.

`add_article` stores an article in a corpus: its text in `articles/` (the original beside it
when the text was converted) and an empty facts file that makes it part of the corpus; and its
proposals, resolved against what the corpus's database knows, as its proposals file (see
`tui.data.review`). The database is brought up to date, so the article shows at once. The
same text twice is refused; on any error nothing is left written.
"""

from __future__ import annotations

import contextlib
import datetime
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui.atomic import replacing
from tui.data.corpus import ARTICLES_DIR, FACTS_DIR, facts_paths
from tui.data.extract.proposals import propose, slug
from tui.data.extract.resolve import Index
from tui.data.factsfile import render
from tui.data.intake import NEAR_DUPLICATE, Intake, normalised, read_article, similarity
from tui.data.review import PROPOSALS_DIR, Review, Updater, as_json, proposals_path
from tui.data.seed import Article
from tui.data.sync import Synced, sync
from tui.errors import UserError

_ORIGINAL_SUFFIX = {"html": ".html", "markdown": ".md", "text": ".orig.txt"}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass
class Added:
    """What `add_article` did."""

    review: Review
    file: str  # the article's text, relative to the corpus
    meta: dict[str, Any]
    original: str | None  # the file as received, when the text was converted
    near_duplicate: tuple[str, float] | None  # (article ref, share of text in common)
    notes: list[str] = field(default_factory=list)
    synced: Synced | None = None


def _new_id(corpus: Path, base: str) -> str:
    base = slug(base)[:60].strip("-") or "article"
    taken = {p.stem for p in facts_paths(corpus)}
    candidate, n = base, 2
    while (
        candidate in taken
        or (Path(corpus) / ARTICLES_DIR / f"{candidate}.txt").exists()
        or proposals_path(corpus, candidate).exists()
    ):
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _similar_articles(conn: sqlite3.Connection, text: str) -> list[tuple[str, str]]:
    """Articles that may hold the same text: those sharing one of a few of its three-word
    phrases (a bounded full-text query, not a scan of every article)."""
    words = re.findall(r"\w+", text)
    if len(words) < 3:
        return []
    step = max(1, (len(words) - 3) // 8)
    phrases = {" ".join(words[i : i + 3]) for i in range(0, len(words) - 2, step)}
    query = " OR ".join(f'body : "{p}"' for p in sorted(phrases)[:16])
    refs = [
        ref
        for (ref,) in conn.execute(
            "SELECT d.ref FROM search_fts JOIN search_docs AS d ON d.rowid = search_fts.rowid "
            "WHERE search_fts MATCH ? LIMIT 50",
            (f'kind : "article" AND ({query})',),
        )
    ]
    if not refs:
        return []
    marks = ",".join("?" * len(refs))
    return conn.execute(
        f"SELECT ref, body FROM articles WHERE ref IN ({marks})",  # noqa: S608 - marks only
        refs,
    ).fetchall()


def _check_new(conn: sqlite3.Connection | None, intake: Intake) -> tuple[str, float] | None:
    """Refuse the same text twice; report the closest near-duplicate."""
    if conn is None:
        return None
    best: tuple[str, float] | None = None
    mine = normalised(intake.text)
    for ref, body in _similar_articles(conn, intake.text):
        if normalised(body) == mine:
            raise UserError(f"the same text is already in the corpus, as {ref}")
        share = similarity(intake.text, body)
        if share >= NEAR_DUPLICATE and (best is None or share > best[1]):
            best = (ref, share)
    return best


def _reading(db_path: Path | None) -> sqlite3.Connection | None:
    if db_path is None or not Path(db_path).is_file():
        return None
    from tui.data.db import open_readonly

    return open_readonly(Path(db_path))


def _meta_for(intake: Intake, title: str | None, date: str | None, notes: list[str]) -> dict:
    """The article's metadata: what its text states, else what the options give."""
    if date is not None and not _DATE.fullmatch(date):
        raise UserError(f"--date {date!r}: expected YYYY-MM-DD")
    stated = intake.date
    if stated and date and stated != date:
        notes.append(f"the text is dated {stated}; --date {date} was not used")
    chosen = stated or date
    if chosen is None:
        raise UserError("the article states no date: give it with --date YYYY-MM-DD")
    try:
        datetime.date.fromisoformat(chosen)
    except ValueError:
        raise UserError(f"date {chosen!r} is not a calendar date") from None
    meta: dict[str, Any] = {"title": intake.title or title, "date": chosen}
    if intake.title and title and intake.title != title:
        notes.append(f"the text is titled {intake.title!r}; --title was not used")
    meta["date_precision"] = "day"
    if intake.dateline:
        meta["dateline"] = intake.dateline
    return {k: v for k, v in meta.items() if v is not None}


@contextlib.contextmanager
def _undo_on_error(written: list[Path]) -> Iterator[None]:
    """Remove the files in `written` (as it stands when an error comes) and re-raise."""
    try:
        yield
    except BaseException:
        for path in reversed(written):
            with contextlib.suppress(OSError):
                path.unlink()
        raise


def _write_new(path: Path, data: bytes, written: list[Path]) -> None:
    if path.exists():
        raise UserError(f"{path}: already exists")
    with replacing(path) as temp:
        temp.write_bytes(data)
    written.append(path)


@dataclass
class Incoming:
    """An article read and dated, not yet added: what `add_article` takes."""

    source: Path
    intake: Intake
    meta: dict[str, Any]  # title, date, date_precision, dateline
    notes: list[str]


def read_incoming(
    source: Path, *, title: str | None = None, date: str | None = None, shown: str | None = None
) -> Incoming:
    """Read the article at `source` and date it. Raises `UserError` for a file that cannot be
    an article, or an article without a date."""
    intake = read_article(Path(source), shown)
    notes: list[str] = []
    return Incoming(Path(source), intake, _meta_for(intake, title, date, notes), notes)


def add_article(
    corpus: Path, incoming: Incoming, *, db_path: Path, update: Updater | None = None
) -> Added:
    """Add the article read into `corpus` with its proposals (see the module doc). Raises
    `UserError` (and writes nothing) for the same text twice."""
    corpus = Path(corpus)
    intake, notes = incoming.intake, list(incoming.notes)
    conn = _reading(db_path)
    try:
        near = _check_new(conn, intake)
        index = _index(conn)
        article_id = _new_id(corpus, incoming.meta.get("title") or incoming.source.stem)
        meta = {"id": article_id, "file": f"{ARTICLES_DIR}/{article_id}.txt", **incoming.meta}
        proposals = propose(intake.text, index, meta)
    finally:
        if conn is not None:
            conn.close()
    review = Review(corpus, article_id, meta.get("title"), intake.text, proposals)
    review.status = {p.id: "pending" for p in proposals}
    original = None
    if intake.original is not None:
        original = f"{ARTICLES_DIR}/{article_id}{_ORIGINAL_SUFFIX.get(intake.form, '.orig')}"
    article = Article(article_id, meta["file"], intake.text, "", meta)
    written: list[Path] = []
    with _undo_on_error(written):
        (corpus / ARTICLES_DIR).mkdir(exist_ok=True)
        (corpus / FACTS_DIR).mkdir(exist_ok=True)
        (corpus / PROPOSALS_DIR).mkdir(exist_ok=True)
        _write_new(corpus / meta["file"], intake.text.encode("utf-8"), written)
        if original is not None and intake.original is not None:
            _write_new(corpus / original, intake.original, written)
        _write_new(proposals_path(corpus, article_id), as_json(review).encode(), written)
        facts = corpus / FACTS_DIR / f"{article_id}.yaml"
        _write_new(facts, render(article, []).encode("utf-8"), written)
        synced = update() if update else sync(corpus, db_path)
    if intake.form != "text" or intake.encoding != "utf-8":
        notes.append(f"read as {intake.form} ({intake.encoding}); the original is {original}")
    return Added(review, meta["file"], meta, original, near, notes, synced)


def _index(conn: sqlite3.Connection | None) -> Index:
    if conn is None:
        return Index()
    from tui.data.known import database_index

    return database_index(conn)
