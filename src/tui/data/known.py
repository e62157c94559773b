"""What the database already knows, as the proposal engine's entity index.

An article is resolved against the corpus through its built database, never by loading the
corpus: the index asks, name by name, for the entities of a kind sharing a spelling key with
it (the search index's `keys` column holds each name word's key), so resolving against a
million entities reads a few hundred rows: those holding every word of the name, or, where
none does, those sharing one of its rarer words.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from tui.data.extract.resolve import Index

ALL_WORDS_LIMIT = 500  # names holding every word of the one looked up
BUCKET_LIMIT = 200  # a word shared by more names than this does not narrow a fuzzy search
_CHUNK = 500  # refs per IN (...) query, well under SQLite's bound-parameter limit
_EVENT_LINKS = {
    "meeting": "SELECT meeting_ref, entity_ref FROM meeting_participants WHERE meeting_ref IN",
    "commitment": "SELECT commitment_ref, entity_ref FROM commitment_parties "
    "WHERE commitment_ref IN",
}


def _quoted(key: str) -> str:
    return '"0' + key.replace('"', "") + '"'


def _refs(conn: sqlite3.Connection, kind: str, keys: list[str], limit: int) -> list[str]:
    """The refs of `kind` whose names hold a word with each of the spelling `keys` (at most
    `limit`)."""
    query = f'kind : "{kind}" AND ' + " AND ".join(f"keys : {_quoted(k)}" for k in keys)
    rows = conn.execute(
        "SELECT d.ref FROM search_fts JOIN search_docs AS d ON d.rowid = search_fts.rowid "
        "WHERE search_fts MATCH ? LIMIT ?",
        (query, limit),
    ).fetchall()
    return [ref for (ref,) in rows]


def _chunks(refs: list[str]) -> Iterable[list[str]]:
    for at in range(0, len(refs), _CHUNK):
        yield refs[at : at + _CHUNK]


def _entries(
    conn: sqlite3.Connection, kind: str, refs: list[str]
) -> list[tuple[str, list[str], set[str]]]:
    names: dict[str, list[str]] = {}
    links: dict[str, set[str]] = {}
    for chunk in _chunks(refs):
        marks = ",".join("?" * len(chunk))
        for ref, name in conn.execute(
            f"SELECT ref, name FROM entities WHERE ref IN ({marks})",  # noqa: S608 - marks only
            chunk,
        ):
            names[ref] = [name]
        for ref, alias in conn.execute(
            f"SELECT entity_ref, alias FROM aliases WHERE entity_ref IN ({marks})",  # noqa: S608
            chunk,
        ):
            names.setdefault(ref, []).append(alias)
        if kind in _EVENT_LINKS:
            for ref, target in conn.execute(f"{_EVENT_LINKS[kind]} ({marks})", chunk):
                links.setdefault(ref, set()).add(target)
    return [(ref, found, links.get(ref, set())) for ref, found in names.items()]


def database_index(conn: sqlite3.Connection) -> Index:
    """An index that fetches, on demand, the entities sharing a word with each name."""

    def lookup(kind: str, keys: list[str]) -> list[tuple[str, list[str], set[str]]]:
        # Names holding every word of the name first (the same name, a legal form more or
        # less, another spelling): a handful. Only when there are none, the names sharing one
        # of its rarer words, for a fuzzy match (a typo in the other).
        refs = _refs(conn, kind, keys, ALL_WORDS_LIMIT)
        if not refs and len(keys) > 1:
            found: dict[str, None] = {}
            for key in keys:
                bucket = _refs(conn, kind, [key], BUCKET_LIMIT + 1)
                if len(bucket) <= BUCKET_LIMIT:
                    found.update(dict.fromkeys(bucket))
            refs = list(found)
        return _entries(conn, kind, refs)

    return Index(lookup=lookup)
