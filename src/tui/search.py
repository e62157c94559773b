"""Full-text search over every kind, safe for any text a person can type.

User text never reaches FTS5 syntax: it is split into words, each word becomes a quoted FTS
string (a prefix query `"word"*`), and the whole expression is one bound parameter. Each word
also matches the spelling keys of names (transliteration variants); when nothing matches, words
are widened to indexed names within one edit (a typo). Ranking runs over a bounded candidate set
so a very common word costs the same as a rare one.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from .db import CancelToken, cancellable
from .spelling import one_edit_variants, spelling_key, words

MAX_WORDS = 12
MAX_WORD_CHARS = 64
CANDIDATES = 400
HIGHLIGHT_START, HIGHLIGHT_END = "\ue000", "\ue001"  # private-use markers around matches
# bm25 weights per column: name, aliases, keys, body, kind.
_RANK = "bm25(search_fts, 10.0, 8.0, 4.0, 1.0, 0.0)"
_TYPO_MIN = 4


@dataclass(frozen=True)
class Hit:
    ref: str
    kind: str
    name: str
    snippet: str  # body text with HIGHLIGHT_START/END around matched words
    score: float
    fuzzy: bool = False  # found only by tolerating a typo

    def as_json(self) -> dict[str, object]:
        plain = self.snippet.replace(HIGHLIGHT_START, "").replace(HIGHLIGHT_END, "")
        return {
            "ref": self.ref,
            "kind": self.kind,
            "name": self.name,
            "snippet": plain,
            "score": round(self.score, 4),
            "fuzzy": self.fuzzy,
        }


def query_words(text: str) -> list[str]:
    """The searchable words of any text: letters and digits only, bounded in count and size."""
    found = [w[:MAX_WORD_CHARS] for w in words(text) if any(ch.isalnum() for ch in w)]
    return found[:MAX_WORDS]


def fts_string(word: str) -> str:
    """`word` as an FTS5 string literal: double quotes doubled, the whole quoted."""
    return '"' + word.replace('"', '""') + '"'


def match_expression(
    query_words_: list[str],
    *,
    columns: str,
    kind: str | None = None,
    typos: dict[str, list[str]] | None = None,
) -> str | None:
    """An FTS5 MATCH expression built only from quoted strings, or None when nothing is left."""
    groups = []
    for word in query_words_:
        options = [f"{fts_string(word)}*"]
        key = spelling_key(word)
        if key:
            options.append(f"keys : {fts_string(key)}*")
        options.extend(f"keys : {fts_string(term)}" for term in (typos or {}).get(word, []))
        groups.append("(" + " OR ".join(options) + ")")
    if not groups:
        return None
    expression = "{" + columns + "} : (" + " AND ".join(groups) + ")"
    if kind:
        expression = f"kind : {fts_string(kind)} AND {expression}"
    return expression


def typo_terms(conn: sqlite3.Connection, query_words_: list[str]) -> dict[str, list[str]]:
    """For each long enough word, the indexed name keys within one edit of its key."""
    found: dict[str, list[str]] = {}
    for word in query_words_:
        key = spelling_key(word)
        if len(key) < _TYPO_MIN:
            continue
        variants = sorted(one_edit_variants(key))
        marks = ",".join("?" * len(variants))
        rows = conn.execute(
            f"SELECT DISTINCT term FROM term_variants WHERE variant IN ({marks}) ORDER BY term",  # noqa: S608 - only placeholders
            variants,
        ).fetchall()
        terms = [row[0] for row in rows if row[0] != key]
        if terms:
            found[word] = terms[:20]
    return found


def _ranked(
    conn: sqlite3.Connection, expression: str, limit: int, exclude: set[int]
) -> list[tuple[int, str, str, str, float]]:
    rows = conn.execute(
        f"""SELECT d.rowid, d.ref, d.kind, d.name, c.score
            FROM (SELECT rowid, {_RANK} AS score FROM search_fts
                  WHERE search_fts MATCH ? LIMIT ?) AS c
            JOIN search_docs AS d ON d.rowid = c.rowid
            ORDER BY c.score, d.name, d.ref""",  # noqa: S608 - constant SQL, bound values
        (expression, CANDIDATES),
    ).fetchall()
    return [tuple(r) for r in rows if r[0] not in exclude][:limit]


def _snippet(conn: sqlite3.Connection, expression: str, rowid: int) -> str:
    row = conn.execute(
        "SELECT snippet(search_fts, 3, ?, ?, '…', 14) FROM search_fts "
        "WHERE search_fts MATCH ? AND rowid = ?",
        (HIGHLIGHT_START, HIGHLIGHT_END, expression, rowid),
    ).fetchone()
    return row[0] if row and row[0] else ""


def search(
    conn: sqlite3.Connection,
    text: str,
    *,
    kind: str | None = None,
    limit: int = 20,
    token: CancelToken | None = None,
) -> list[Hit]:
    """Ranked hits for `text`: name matches first, then matches in quotes and descriptions.

    Any string is valid input; a string with no searchable words gives no hits. Raises
    `db.Cancelled` if `token` is cancelled while the query runs.
    """
    terms = query_words(text)
    if not terms or limit <= 0:
        return []
    with cancellable(conn, token):
        hits = _search_tiers(conn, terms, kind, limit, typos=None)
        if not hits:
            typos = typo_terms(conn, terms)
            if typos:
                hits = _search_tiers(conn, terms, kind, limit, typos=typos)
                hits = [Hit(h.ref, h.kind, h.name, h.snippet, h.score, True) for h in hits]
    return hits


def _search_tiers(
    conn: sqlite3.Connection,
    terms: list[str],
    kind: str | None,
    limit: int,
    typos: dict[str, list[str]] | None,
) -> list[Hit]:
    found: list[tuple[int, str, str, str, float]] = []
    seen: set[int] = set()
    everywhere = ""
    for columns in ("name aliases keys", "name aliases keys body"):
        expression = match_expression(terms, columns=columns, kind=kind, typos=typos)
        if expression is None:
            return []
        everywhere = expression
        for row in _ranked(conn, expression, limit - len(found), seen):
            found.append(row)
            seen.add(row[0])
        if len(found) >= limit:
            break
    return [
        Hit(ref, k, name, _snippet(conn, everywhere, rowid), score)
        for rowid, ref, k, name, score in found
    ]
