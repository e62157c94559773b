"""Bring a corpus's database up to date: only the changed articles where it can, else a full
build.

The database records what it was built from: each article's facts file digest
(`article_facts`), the article text's digest (`articles.sha256`), and in `meta` the schema
version and digest and the digest of entities.yaml. `sync` compares those with the corpus on
disk and updates just the articles added, edited or removed (`tui.data.update`, one
transaction for all of them). It rebuilds in full when the schema changed, when entities.yaml
renamed or dropped an entity the database holds (new names alone are fine: a new article
brings them), when the database is not one it can read, or when asked to.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from tui import paths
from tui.data import seedfiles, update
from tui.data.build import (
    Progress,
    build,
    entities_digest,
    is_stale,
    seed_digest,
    text_digest,
)
from tui.data.corpus import FACTS_DIR, Facts, facts_paths, load_facts, load_names
from tui.data.db import SCHEMA_VERSION
from tui.errors import SeedError

MANY_CHANGES = 8  # above this many changed articles, and half the corpus, a full build is faster


@dataclass
class Synced:
    """What `sync` did: `full` (a new build), `update` (these articles) or `unchanged`."""

    mode: str
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def _file_digest(path: Path) -> str | None:
    try:  # without blocking: a FIFO is refused (loading it says so), not waited on
        return hashlib.sha256(seedfiles.read_bytes(path, str(path))).hexdigest()
    except (OSError, SeedError):
        return None  # missing or unreadable: loading it says why


def _meta(conn: sqlite3.Connection) -> dict[str, str]:
    return dict(conn.execute("SELECT key, value FROM meta").fetchall())


def plan(corpus_dir: Path, db_path: Path, schema_file: Path = paths.SCHEMA_FILE) -> Synced | None:
    """The articles to update, or None when only a full build will do."""
    try:
        if not Path(db_path).is_file():
            return None
    except OSError:
        return None  # e.g. a name too long: the full build says why, as a database error
    try:
        conn = sqlite3.connect(f"file:{Path(db_path).resolve()}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error:
        return None
    try:
        meta = _meta(conn)
        schema = text_digest(schema_file.read_text(encoding="utf-8"))
        if meta.get("schema_version") != SCHEMA_VERSION or meta.get("schema_sha256") != schema:
            return None
        if meta.get("entities_sha256") != entities_digest(corpus_dir):
            names = load_names(corpus_dir)
            held = conn.execute("SELECT ref, name FROM entities WHERE kind != 'article'")
            if any(names.get(ref) != name for ref, name in held):
                return None  # an entity the database holds was renamed or dropped
        built = dict(conn.execute("SELECT article_ref, sha256 FROM article_facts").fetchall())
        texts = {
            ref: (file, sha)
            for ref, file, sha in conn.execute("SELECT ref, file, sha256 FROM articles")
        }
    except (sqlite3.Error, OSError):
        return None
    finally:
        conn.close()
    if set(texts) != set(built):
        return None  # built from records (the benchmark's), not from facts files
    found = Synced("update")
    on_disk = set()
    for path in facts_paths(corpus_dir):
        ref = f"article:{path.stem}"
        on_disk.add(ref)
        if ref not in built:
            found.added.append(path.stem)
        elif _file_digest(path) != built[ref]:
            found.changed.append(path.stem)
        else:
            file, sha = texts[ref]
            if _file_digest(Path(corpus_dir) / file) != sha:
                found.changed.append(path.stem)
    found.removed = sorted(ref.partition(":")[2] for ref in set(built) - on_disk)
    changes = len(found.added) + len(found.changed) + len(found.removed)
    if changes > MANY_CHANGES and changes * 2 > len(set(built) | on_disk):
        return None  # most of the corpus changed (or another corpus): build it anew
    return found


def _counts(db_path: Path) -> dict[str, int]:
    conn = sqlite3.connect(f"file:{Path(db_path).resolve()}?mode=ro", uri=True, timeout=5)
    try:
        return dict(conn.execute("SELECT kind, count(*) FROM entities GROUP BY kind").fetchall())
    finally:
        conn.close()


def sync(
    corpus_dir: Path,
    db_path: Path,
    *,
    full: bool = False,
    progress: Progress | None = None,
) -> Synced:
    """Update the database at `db_path` from the corpus at `corpus_dir` (see module doc).
    Raises `SeedError` or `DatabaseError`, leaving the database as it was."""
    corpus_dir, db_path = Path(corpus_dir), Path(db_path)
    if not corpus_dir.is_dir():
        raise SeedError(str(corpus_dir), "corpus folder not found")
    if _has_journal(db_path):
        _recover(db_path)
    found = None if full else plan(corpus_dir, db_path)
    if found is None:
        return Synced("full", counts=build(corpus_dir, db_path, progress=progress))
    articles = [*found.added, *found.changed, *found.removed]
    if not articles:
        os.utime(db_path)  # up to date: newer than the files that made it look stale
        found.mode = "unchanged"
        found.counts = _counts(db_path)
        return found
    if progress:
        progress("updating", 0, len(articles))
    names = load_names(corpus_dir)
    changes: dict[str, Facts | None] = {aid: None for aid in found.removed}
    for aid in [*found.added, *found.changed]:
        changes[aid] = load_facts(corpus_dir, corpus_dir / FACTS_DIR / f"{aid}.yaml", names)
    meta = {"seed_sha256": seed_digest(corpus_dir), "entities_sha256": entities_digest(corpus_dir)}
    update.apply(db_path, changes, names, meta)
    if progress:
        progress("done", len(articles), len(articles))
    found.counts = _counts(db_path)
    return found


def _has_journal(db_path: Path) -> bool:
    try:
        return Path(f"{db_path}-journal").is_file()
    except OSError:
        return False  # e.g. a name too long for "-journal": opening the database says why


def _recover(db_path: Path) -> None:
    """Clear the journal an update stopped midway left beside the database: rolled back into
    the file it belongs to if it holds a commit's undo (SQLite does that on the first read), or
    else, never synced, just removed, under the write lock, so no other writer owns it. (Left
    there, a full build would rename a new file in beside an old file's journal.)"""
    journal = Path(f"{db_path}-journal")
    try:
        conn = sqlite3.connect(db_path, isolation_level=None, timeout=update.WRITE_TIMEOUT_S)
        try:
            conn.execute("BEGIN IMMEDIATE")  # (a hot journal is rolled back on the way)
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            journal.unlink(missing_ok=True)
            conn.execute("ROLLBACK")
        finally:
            conn.close()
    except (sqlite3.Error, OSError):
        pass  # the reader or the build that follows reports what is wrong


def ensure_database(corpus_dir: Path, db_path: Path) -> Path:
    """The database of the corpus, built on first use and brought up to date whenever a
    corpus file is newer than it."""
    if not Path(corpus_dir).is_dir():
        raise SeedError(str(corpus_dir), "corpus folder not found")
    if _has_journal(db_path):
        _recover(db_path)
    if is_stale(db_path, corpus_dir):
        db_path.parent.mkdir(parents=True, exist_ok=True)
        sync(corpus_dir, db_path)
    return db_path
