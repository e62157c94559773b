"""Full-text search over every kind, safe for any text a person can type.

User text never reaches FTS5 syntax: it is split into words, each word becomes a quoted FTS
string (a prefix query `"word"*`), and the whole expression is one bound parameter. Each word
also matches the spelling keys of names (transliteration variants); when nothing matches, words
are widened to indexed names within one edit (a typo).

Cost is bounded at any scale. The `keys` column holds the words of an entity's names and their
spelling keys, each marked with `KEY_MARK` so that they never share an index term with the words
of quotes and articles: a name search reads only name postings, however common the word is in
text. Ranking runs over a bounded candidate set (`CANDIDATES`), so a very common word costs the
same as a rare one, and a snippet is made for each shown hit only, from the exact words of that
hit (an exact term is a seek; a prefix would merge every term that starts with it).
"""

from __future__ import annotations

import functools
import re
import sqlite3
from dataclasses import dataclass

from tui.data.db import CancelToken, cancellable, remembered
from tui.data.spelling import fold, one_edit_variants, spelling_key, words
from tui.textsafe import HIGHLIGHT_END, HIGHLIGHT_START

MAX_WORDS = 12
MAX_WORD_CHARS = 64
CANDIDATES = 400
_TYPO_MIN = 4
KEY_MARK = "0"  # before every token of the keys column: a name token is never a text token
_TOKEN = re.compile(r"[^\W_]+")  # unicode61's tokens: runs of letters and digits


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


# Words an apostrophe splits ("Xi’an"): also keyed joined, so "Xian" finds "Xi’an".
_ELIDED = re.compile(r"[^\W_]+(?:['’][^\W_]+)+")


def name_tokens(text: str) -> list[str]:
    """The keys column of a name (with its aliases): each word and each spelling key, marked;
    a word an apostrophe splits also as one word."""
    seen: dict[str, None] = {}
    joined = [re.sub("['’]", "", w) for w in _ELIDED.findall(text)]
    for word in [*_TOKEN.findall(text), *joined]:
        seen.setdefault(KEY_MARK + word.lower(), None)
        key = spelling_key(word)
        if key:
            seen.setdefault(KEY_MARK + key, None)
    return list(seen)


VOCAB_LIMIT = 64  # a prefix naming more name terms than this is left to FTS5's prefix query

Expansions = dict[str, "list[str] | None"]


def _prefix_option(marked: str, expansions: Expansions | None) -> list[str]:
    """`marked`* as phrases: the exact name terms it is a prefix of, when the database's
    vocabulary lists them (OR-ed exact terms are read lazily; a prefix query first merges every
    term with that prefix, which for a common name word is hundreds of thousands of postings),
    else the prefix query itself."""
    exact = (expansions or {}).get(marked)
    if exact is None:
        return [f"{fts_string(marked)}*"]
    return [fts_string(term) for term in exact]


def _name_options(
    word: str, typos: dict[str, list[str]] | None, expansions: Expansions | None = None
) -> list[str]:
    """Phrases that find `word` in the keys column: as typed, as its spelling key, as typos."""
    options = _prefix_option(KEY_MARK + word, expansions)
    key = spelling_key(word)
    if key and key != fold(word):
        options += _prefix_option(KEY_MARK + key, expansions)
    options.extend(fts_string(KEY_MARK + term) for term in (typos or {}).get(word, []))
    return list(dict.fromkeys(options))


def name_expansions(conn: sqlite3.Connection, query_words_: list[str]) -> Expansions:
    """For each word (as typed and as spelling key, marked), the name terms it is a prefix of,
    from the vocabulary the build keeps in term_variants (rows `(term, term)` for the keys
    column's terms); None where there are too many, or the word is not plain ASCII (folding
    elsewhere could differ from the tokenizer's), or the database has no vocabulary."""
    found: Expansions = {}
    if not _has_vocabulary(conn):
        return found
    for word in query_words_:
        for form in (fold(word), spelling_key(word)):
            marked = KEY_MARK + form
            if not form or marked in found:
                continue
            if not form.isascii():
                found[marked] = None
                continue
            rows = conn.execute(
                "SELECT variant FROM term_variants WHERE variant >= ? AND variant < ? "
                "AND variant = term LIMIT ?",
                (marked, marked + "\U0010ffff", VOCAB_LIMIT + 1),
            ).fetchall()
            found[marked] = None if len(rows) > VOCAB_LIMIT else [r[0] for r in rows]
    return found


def _has_vocabulary(conn: sqlite3.Connection) -> bool:
    """Whether the database lists its name terms in term_variants (else prefixes go to FTS5)."""

    def read() -> bool:
        row = conn.execute(
            "SELECT 1 FROM term_variants WHERE variant >= ? AND variant < ? AND variant = term "
            "LIMIT 1",
            (KEY_MARK, chr(ord(KEY_MARK) + 1)),
        ).fetchone()
        return row is not None

    return remembered(conn, "name vocabulary", read)


def match_expression(
    query_words_: list[str],
    *,
    columns: str,
    kind: str | None = None,
    typos: dict[str, list[str]] | None = None,
    expansions: Expansions | None = None,
) -> str | None:
    """An FTS5 MATCH expression built only from quoted strings, or None when nothing is left.

    Each word matches as a prefix in `columns`, or in the keys column (as typed, by spelling
    key, or as one of `typos`; see `name_expansions` for `expansions`)."""
    groups = []
    for word in query_words_:
        options = [f"{fts_string(word)}*"]
        options.extend(f"keys : {o}" for o in _name_options(word, typos, expansions))
        groups.append("(" + " OR ".join(options) + ")")
    if not groups:
        return None
    expression = "{" + columns + "} : (" + " AND ".join(groups) + ")"
    if kind:
        expression = f"kind : {fts_string(kind)} AND {expression}"
    return expression


def names_expression(
    query_words_: list[str],
    *,
    kind: str | None = None,
    typos: dict[str, list[str]] | None = None,
    expansions: Expansions | None = None,
) -> str | None:
    """Like `match_expression`, but in names only: reads only the keys column's own terms.
    None also when a word names no term at all (nothing in names can match)."""
    groups = []
    for word in query_words_:
        options = _name_options(word, typos, expansions)
        if not options:
            return None
        groups.append("(" + " OR ".join(options) + ")")
    if not groups:
        return None
    expression = "keys : (" + " AND ".join(groups) + ")"
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
    conn: sqlite3.Connection,
    expression: str,
    terms: list[str],
    limit: int,
    exclude: set[int],
    *,
    with_body: bool = False,
) -> list[tuple[int, str, str, str, float]]:
    """The best `limit` of at most CANDIDATES matches (taken in index order), best first.

    Scored here rather than with bm25(), whose document frequencies cost a pass over every
    posting of each query term: a very common word would cost what ranking every hit costs."""
    body = "d.body" if with_body else "''"
    rows = conn.execute(
        f"""SELECT d.rowid, d.ref, d.kind, d.name, d.aliases, {body}
            FROM (SELECT rowid FROM search_fts WHERE search_fts MATCH ? LIMIT ?) AS c
            JOIN search_docs AS d ON d.rowid = c.rowid""",  # noqa: S608 - constant SQL
        (expression, CANDIDATES),
    ).fetchall()
    scored = [
        (rowid, ref, kind, name, name_score(terms, name, aliases) + body_score(terms, text))
        for rowid, ref, kind, name, aliases, text in rows
        if rowid not in exclude
    ]
    scored.sort(key=lambda r: (r[4], r[3], r[1]))
    return scored[:limit]


def _match_strength(word: str, key: str, tokens: list[str]) -> float:
    best = 0.0
    for token in tokens:
        folded = fold(token)
        if folded == word:
            return 1.0
        if folded.startswith(word):
            best = max(best, 0.8)
            continue
        if key and best < 0.7:
            token_key = _token_key(token)  # (slower: only when the word did not match as typed)
            if token_key == key:
                return 1.0
            if token_key.startswith(key):
                best = 0.7
    return best


@functools.lru_cache(maxsize=256)
def _term_forms(terms: tuple[str, ...]) -> list[tuple[str, str]]:
    """Each query word folded and as a spelling key (the same for every candidate ranked)."""
    return [(fold(term), spelling_key(term)) for term in terms]


@functools.lru_cache(maxsize=65536)
def _token_key(token: str) -> str:
    return spelling_key(token)


def body_score(terms: list[str], body: str) -> float:
    """How much of a text is about the words (lower is better): bm25's term-frequency part,
    occurrences against length, without its document frequencies."""
    if not body:
        return 0.0
    text = body.lower()
    size = 0.25 + 0.75 * len(text) / 400
    total = 0.0
    for term in terms:
        found = text.count(term.lower())
        total += found / (found + 1.2 * size)
    return -total


def name_score(terms: list[str], name: str, aliases: str) -> float:
    """How well the words name an entity (lower is better, like bm25): each word matched whole,
    as a prefix, or by spelling key, in the name (or less, an alias), shorter names first."""
    name_tokens = _TOKEN.findall(name)
    alias_tokens = _TOKEN.findall(aliases)
    total = 0.0
    for word, key in _term_forms(tuple(terms)):
        strength = _match_strength(word, key, name_tokens)
        if strength < 1.0 and alias_tokens:
            strength = max(strength, 0.9 * _match_strength(word, key, alias_tokens))
        total += strength
    return -10.0 * total / (len(name_tokens) + 2)


def _snippet_expression(terms: list[str], text: str, kind: str) -> str:
    """A MATCH expression for one hit: each query word as the exact words of `text` it is a
    prefix of, so FTS5 highlights the same words as `"word"*` would, by seeking instead of
    merging every term with that prefix. `kind : <kind>` keeps every group true for the hit
    (its kind column is outside the snippet's column), so the hit always has a snippet."""
    folded = {token: fold(token) for token in dict.fromkeys(_TOKEN.findall(text))}
    groups = []
    for word in terms:
        prefix = fold(word)
        exact = [fts_string(t) for t, f in folded.items() if prefix and f.startswith(prefix)]
        groups.append("(" + " OR ".join([*exact, f"kind : {fts_string(kind)}"]) + ")")
    return " AND ".join(groups)


def _snippets(conn: sqlite3.Connection, terms: list[str], rowids: list[int]) -> dict[int, str]:
    if not rowids:
        return {}
    marks = ",".join("?" * len(rowids))
    docs = conn.execute(
        f"SELECT rowid, kind, name || ' ' || aliases || ' ' || body FROM search_docs "  # noqa: S608 - placeholders only
        f"WHERE rowid IN ({marks})",
        rowids,
    ).fetchall()
    found: dict[int, str] = {}
    for rowid, kind, text in docs:
        row = conn.execute(
            "SELECT snippet(search_fts, 3, ?, ?, '…', 14) FROM search_fts "
            "WHERE search_fts MATCH ? AND rowid = ?",
            (HIGHLIGHT_START, HIGHLIGHT_END, _snippet_expression(terms, text, kind), rowid),
        ).fetchone()
        found[rowid] = row[0] if row and row[0] else ""
    return found


def warm(conn: sqlite3.Connection) -> None:
    """Read what any search needs first (the full-text index's structure, the vocabulary's
    root pages): a millisecond while the search box is still empty."""
    conn.execute(
        "SELECT rowid FROM search_fts WHERE search_fts MATCH ? LIMIT 1", (f"{KEY_MARK}a*",)
    ).fetchall()
    _has_vocabulary(conn)
    conn.execute("SELECT rowid, name FROM search_docs LIMIT 1").fetchall()


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
    """Names first (name postings only), then everywhere else, each over bounded candidates."""
    found: list[tuple[int, str, str, str, float]] = []
    seen: set[int] = set()
    expansions = name_expansions(conn, terms)
    everywhere = match_expression(
        terms, columns="name aliases keys body", kind=kind, typos=typos, expansions=expansions
    )
    if everywhere is None:
        return []
    tiers = (names_expression(terms, kind=kind, typos=typos, expansions=expansions), everywhere)
    for tier, expression in enumerate(tiers):
        if expression is None:
            continue  # no name term starts with a word: names cannot match
        for row in _ranked(conn, expression, terms, limit - len(found), seen, with_body=tier > 0):
            found.append(row)
            seen.add(row[0])
        if len(found) >= limit:
            break
    snippets = _snippets(conn, terms, [row[0] for row in found])
    return [
        Hit(ref, k, name, snippets.get(rowid, ""), score) for rowid, ref, k, name, score in found
    ]
