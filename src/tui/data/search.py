"""Full-text search over every kind, safe for any text a person can type.

User text never reaches FTS5 syntax: it is split into words, each word becomes a quoted FTS
string (a prefix query `"word"*`), and the whole expression is one bound parameter. Each word
also matches the spelling keys of names (transliteration variants); when nothing matches, words
are widened to indexed names within one edit (a typo).

Cost is bounded at any scale. The `keys` column holds the words of an entity's names and their
spelling keys, each marked with `KEY_MARK` so that they never share an index term with the words
of quotes and articles: a name search reads only name postings, however common the word is in
text. Ranking runs over a bounded candidate set (`CANDIDATES`), so a very common word costs the
same as a rare one, and a snippet is made for each shown hit only, in Python from the text the
ranking read (tui.data.snippets: as FTS5's snippet() would make it, without a query a hit).

Ranking (`rank_score`, printed as the hit's score, lower is better): what its name names first
(every word whole or as typed so far), then how much of the name the words fill, then what
the entity's own facts say (`body`: description, topics, its quotes), then, at half weight,
what its links say (`linked`, tui.data.linked). An amount typed ("$22 bn") matches the one
term its value is indexed under (`amounts`, tui.data.amounts) and ranks with the names.
"""

from __future__ import annotations

import functools
import re
import sqlite3
import unicodedata
from dataclasses import dataclass
from typing import NamedTuple

from tui.data.amounts import Amount, amount_term, query_amounts, without_amounts
from tui.data.db import CancelToken, cancellable, remembered
from tui.data.snippets import ascii_words, make_snippet
from tui.data.spelling import fold, one_edit_variants, spelling_key, words
from tui.textsafe import HIGHLIGHT_END, HIGHLIGHT_START

MAX_WORDS = 12
MAX_WORD_CHARS = 64
CANDIDATES = 400
_TYPO_MIN = 4
KEY_PREFIX_SLACK = 2  # letters a typed spelling key may lack and still name a word
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
    text_forms: dict[str, list[str]] | None = None,
) -> str | None:
    """An FTS5 MATCH expression built only from quoted strings, or None when nothing is left.

    Each word matches as a prefix in `columns`, or in the keys column (as typed, by spelling
    key, or as one of `typos`; see `name_expansions` for `expansions`). `text_forms` replaces
    a word's prefix in `columns` by the phrases given (see `_everywhere_candidates`)."""
    groups = []
    for word in query_words_:
        forms = (text_forms or {}).get(word)
        options = [f"{fts_string(word)}*"] if forms is None else list(forms)
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


TYPO_STRENGTH = 0.6  # less than naming it: a hit found through a typo is named by none


def _match_strength(
    word: str, key: str, tokens: tuple[str, ...], near: tuple[str, ...] = ()
) -> float:
    """1 for a word matched whole (as typed or by spelling key), 0.8 for a prefix as typed,
    0.7 for a spelling key a letter or two short of a name's (a variant being typed),
    `TYPO_STRENGTH` for a name word whose key is one of `near` (the keys within one edit of
    the word's: `typo_terms`), 0.5 for a key that is only the start of a longer one
    ("copper", koper, in "cooperation"). `tokens` are folded (see `_folded_tokens`)."""
    if word in tokens:
        return 1.0
    best = 0.0
    for folded in tokens:
        if folded.startswith(word):
            return 0.8  # (only a whole word, ruled out above, would be more)
        if key and best < 0.7:
            token_key = _token_key(folded)  # (slower: only when the word did not match as typed)
            if token_key == key:
                return 1.0
            if token_key.startswith(key):
                best = max(best, 0.7 if len(token_key) - len(key) <= KEY_PREFIX_SLACK else 0.5)
    if near and best < TYPO_STRENGTH and any(_token_key(t) in near for t in tokens):
        return TYPO_STRENGTH
    return best


def search_order(name: str, ref: str) -> tuple[int, int, str]:
    """Where an entity's search document comes in the index (its rowid's place): shortest
    names first, in words, then in characters. A query matching more documents than it ranks
    (CANDIDATES, taken in rowid order) then ranks those with the shortest names, which its
    words fill the most (`name_match`), not the first entities built: "ch" finds China, not
    the first meetings held in Chengdu."""
    return (len(_TOKEN.findall(name)), len(name), ref)


@functools.lru_cache(maxsize=65536)
def _folded_tokens(text: str) -> tuple[str, ...]:
    """The words of a name, folded as the index folds them (cached: as you type, the same
    names come back for the next letter)."""
    if text.isascii():  # (ASCII folds to its lower case: one pass over the whole name)
        return tuple(_TOKEN.findall(text.lower()))
    return tuple(fold(token) for token in _TOKEN.findall(text))


@functools.lru_cache(maxsize=256)
def _term_forms(terms: tuple[str, ...]) -> list[tuple[str, str]]:
    """Each query word folded and as a spelling key (the same for every candidate ranked)."""
    return [(fold(term), spelling_key(term)) for term in terms]


@functools.lru_cache(maxsize=65536)
def _token_key(token: str) -> str:
    return spelling_key(token)


def text_score(terms: tuple[str, ...], lowered: str) -> float:
    """How much a text is about the words, from 0 to 1: bm25's term-frequency part
    (occurrences against length, without its document frequencies), averaged over the words.
    Both in lower case (the words once a search, the text once a connection: `_texts`)."""
    if not lowered or not terms:
        return 0.0
    size = 0.25 + 0.75 * len(lowered) / 400
    total = 0.0
    for term in terms:
        found = lowered.count(term)
        total += found / (found + 1.2 * size)
    return total / len(terms)


Near = tuple[tuple[str, ...], ...]  # per query word, the name keys within one edit of it


class NameMatch(NamedTuple):
    named: bool  # every word names it (see `name_match`)
    score: float  # from 0 to 1, shorter names first


@functools.lru_cache(maxsize=4096)  # (asked again for the same candidates within a search)
def name_match(terms: tuple[str, ...], name: str, aliases: str, near: Near = ()) -> NameMatch:
    """How well the words name an entity. Each word scores from 0 to 1: matched whole, as a
    prefix, or by spelling key, in the name (or, a little less, an alias), or failing those
    within one edit (`near`: each word's keys from `typo_terms`, in the order of `terms`).
    It is named when every word matched whole or as typed (a prefix), or whole by spelling
    key: a spelling key's mere prefix ("copper" in "cooperation") does not name it."""
    name_tokens = _folded_tokens(name)
    alias_tokens = _folded_tokens(aliases) if aliases else ()
    total = 0.0
    named = bool(terms)
    for n, (word, key) in enumerate(_term_forms(terms)):
        close = near[n] if near else ()
        strength = _match_strength(word, key, name_tokens, close)
        if strength < 1.0 and alias_tokens:
            strength = max(strength, 0.9 * _match_strength(word, key, alias_tokens, close))
        total += strength
        named = named and strength >= NAMED_STRENGTH
    return NameMatch(named, min(1.0, total / (len(name_tokens) + 1)))


NAMED = 5.0  # more than any other part can add: a hit its name names ranks first
NAMED_STRENGTH = 0.7
NAME_WEIGHT = 3.0  # a name the words fill more of beats any difference in what texts say
LINKED_WEIGHT = 0.5  # what its links say counts half of what the entity's own text says
NAME_SHORTLIST = 60  # name matches whose texts are read to order them (of CANDIDATES)


def rank_score(
    terms: tuple[str, ...],
    lowered: tuple[str, ...],
    name: str,
    aliases: str,
    texts: _Texts,
    amount: bool,
    near: Near = (),
) -> float:
    """The score a hit is ranked and printed by (lower is better, as bm25's): first whether
    its name names every word (or it states the amount asked for), then how well (shorter
    names first), then what its own text says (description, topics, its quotes), then, at
    half weight, what its links say (the linked entities' names, the links' quotes).
    `lowered`: the words in lower case, as `texts` holds them too."""
    match = name_match(terms, name, aliases, near)
    parts = (
        (NAMED if amount or match.named else 0.0)
        + (1.0 if amount else 0.0)
        + NAME_WEIGHT * match.score
        + text_score(lowered, texts.own_lower)
        + LINKED_WEIGHT * text_score(lowered, texts.linked_lower)
    )
    return -parts


class _Texts(NamedTuple):
    """A document's own text and what its links say, each also in lower case (scored)."""

    own: str
    linked: str
    own_lower: str
    linked_lower: str


_NO_TEXTS = _Texts("", "", "", "")


@dataclass(slots=True)
class _Candidate:
    rowid: int
    ref: str
    kind: str
    name: str
    aliases: str
    amount: bool = False
    score: float = 0.0


def _candidates(conn: sqlite3.Connection, expression: str) -> list[_Candidate]:
    """At most CANDIDATES matches of `expression`, in index order. Scored in Python rather
    than with bm25(), whose document frequencies cost a pass over every posting of each query
    term: a very common word would cost what ranking every hit costs."""
    rows = conn.execute(
        """SELECT d.rowid, d.ref, d.kind, d.name, d.aliases
           FROM (SELECT rowid FROM search_fts WHERE search_fts MATCH ? LIMIT ?) AS c
           JOIN search_docs AS d ON d.rowid = c.rowid""",
        (expression, CANDIDATES),
    ).fetchall()
    return [_Candidate(*row) for row in rows]


# A word's prefix in text (`"word"*`) longer than the index's prefix indexes (prefix = '1 2
# 3', db/schema.sql) makes FTS5 merge the postings of every term that starts with it before
# the first row: for a word most documents contain ("kazakh", "agreem") tens of milliseconds
# at 1M, every keystroke. Its exact terms are read lazily instead, and the prefix index proves
# that they are all the terms that matter (`_everywhere_candidates`).
INDEXED_PREFIX = 3
_PLAIN_TERM = re.compile(r"[a-z0-9]+")
GUESSED_TERMS = 48  # exact terms a prefix may stand for before FTS5's own prefix query is used
SUPERSET_ROWS = 4000  # documents of the indexed prefix the check may read, up to the bound
CHECK_ROWS = 160  # documents it may read the text of (those the exact terms do not explain)
CHECK_ROUNDS = 3


def _long_prefix(word: str) -> str | None:
    """The folded word, if its prefix query in text has no prefix index to read lazily."""
    folded = fold(word)
    if len(folded) > INDEXED_PREFIX and _PLAIN_TERM.fullmatch(folded):
        return folded
    return None


def _learned_terms(conn: sqlite3.Connection) -> dict[str, None]:
    """Text terms found in the index so far on this connection (ordered, bounded)."""
    return remembered(conn, "learned text terms", dict)


def _everywhere_candidates(
    conn: sqlite3.Connection,
    terms: list[str],
    expression: str,
    kind: str | None,
    typos: dict[str, list[str]] | None,
    expansions: Expansions | None,
) -> list[_Candidate]:
    """`_candidates(conn, expression)` (the first CANDIDATES matches of the words everywhere,
    in rowid order), found without FTS5 merging a long prefix's postings.

    Each long prefix is replaced by exact terms that start with it (the names vocabulary's,
    and terms seen before), OR-ed and read lazily: that expression (`exact`) matches a subset
    of `expression`'s documents. Up to the rowid of its last candidate, the documents the
    two could differ on all match `superset` (each long prefix cut to the indexed prefix, read
    from the prefix index) but not `exact`; each such document's words (the indexed columns'
    own text) either start with the prefix (new exact terms: again) or not (it does not
    match `expression`). When none is left, the candidates are exactly `expression`'s first.
    Otherwise (few matches, many terms, text that is not plain ASCII) the prefix query runs."""
    long = {word: folded for word in terms if (folded := _long_prefix(word))}
    if not long:
        return _candidates(conn, expression)
    learned = _learned_terms(conn)
    forms: dict[str, dict[str, None]] = {}
    for word, folded in long.items():
        known = dict.fromkeys([folded])
        for term in (expansions or {}).get(KEY_MARK + folded) or []:
            known.setdefault(term.removeprefix(KEY_MARK), None)
        known.update(dict.fromkeys(t for t in learned if t.startswith(folded)))
        forms[word] = known
    cut = {word: [f"{fts_string(folded[:INDEXED_PREFIX])}*"] for word, folded in long.items()}
    superset = match_expression(
        terms, columns=TEXT_COLUMNS, kind=kind, typos=typos, expansions=expansions, text_forms=cut
    )
    for _round in range(CHECK_ROUNDS):
        if any(len(found) > GUESSED_TERMS for found in forms.values()):
            break
        exact = match_expression(
            terms,
            columns=TEXT_COLUMNS,
            kind=kind,
            typos=typos,
            expansions=expansions,
            text_forms={word: [fts_string(t) for t in found] for word, found in forms.items()},
        )
        if exact is None or superset is None:
            break
        found_candidates = _candidates(conn, exact)
        if len(found_candidates) < CANDIDATES:
            break  # few documents match: the prefix query itself is cheap (few postings)
        # (FTS5's NOT would walk past the bound while every document it meets is excluded)
        bound = found_candidates[-1].rowid
        within = conn.execute(
            "SELECT rowid FROM search_fts WHERE search_fts MATCH ? AND rowid <= ? LIMIT ?",
            (superset, bound, SUPERSET_ROWS + 1),
        ).fetchall()
        if len(within) > SUPERSET_ROWS:
            break
        have = {c.rowid for c in found_candidates}
        unexplained = [rowid for (rowid,) in within if rowid not in have]
        if len(unexplained) > CHECK_ROWS:
            break
        new = _prefixed_terms(_own_texts(conn, unexplained), long)
        if new is None:
            break
        if not any(t not in forms[w] for w, ts in new.items() for t in ts):
            return found_candidates
        for word, found_terms in new.items():
            forms[word].update(dict.fromkeys(found_terms))
            learned.update(dict.fromkeys(found_terms))
        while len(learned) > 4096:
            del learned[next(iter(learned))]
    return _candidates(conn, expression)


def _own_texts(conn: sqlite3.Connection, rowids: list[int]) -> list[str]:
    """The indexed text columns a word's prefix can match (not keys: its terms are marked)."""
    if not rowids:
        return []
    marks = ",".join("?" * len(rowids))
    rows = conn.execute(
        f"SELECT name, aliases, body, linked FROM search_docs WHERE rowid IN ({marks})",  # noqa: S608 - placeholders only
        rowids,
    ).fetchall()
    return [text for row in rows for text in row if text]


_JOINING = ("Mn", "Mc", "Me", "Co")  # token characters to unicode61 that \w does not match


def _prefixed_terms(texts: list[str], long: dict[str, str]) -> dict[str, list[str]] | None:
    """The words of `texts` that start with each long prefix, as the index has them (lower
    case); None where a word's indexed form is not certain (a word that is not plain ASCII
    and folds to the prefix, or a mark or private-use character next to one, which the
    tokenizer keeps in the word): the caller then uses the prefix query."""
    found: dict[str, list[str]] = {word: [] for word in long}
    for text in texts:
        for match in _TOKEN.finditer(text):
            token = match.group()
            folded = token.lower() if token.isascii() else fold(token)
            hits = [word for word, prefix in long.items() if folded.startswith(prefix)]
            if not hits:
                continue
            start, end = match.span()
            around = text[start - 1 : start] + text[end : end + 1]
            if not token.isascii() or any(unicodedata.category(ch) in _JOINING for ch in around):
                return None
            for word in hits:
                if folded not in found[word]:
                    found[word].append(folded)
    return found


TEXTS_KEPT = 8192  # documents whose texts a connection keeps: as you type, the same come back


def _texts(conn: sqlite3.Connection, rowids: list[int]) -> dict[int, _Texts]:
    """The own text and the linked text of each document; those read by a recent search
    of the same connection are not read again (nor put in lower case again)."""
    kept: dict[int, _Texts] = remembered(conn, "search texts", dict)
    found = {rowid: kept[rowid] for rowid in rowids if rowid in kept}
    missing = [rowid for rowid in rowids if rowid not in found]
    if missing:
        marks = ",".join("?" * len(missing))
        rows = conn.execute(
            f"SELECT rowid, body, linked FROM search_docs WHERE rowid IN ({marks})",  # noqa: S608 - placeholders only
            missing,
        ).fetchall()
        for rowid, body, linked in rows:
            body, linked = body or "", linked or ""
            found[rowid] = kept[rowid] = _Texts(body, linked, body.lower(), linked.lower())
        while len(kept) > TEXTS_KEPT:
            del kept[next(iter(kept))]  # the oldest read
    return found


def _score_all(
    terms: list[str], candidates: list[_Candidate], texts: dict[int, _Texts], near: Near
) -> list[_Candidate]:
    key = tuple(terms)
    lowered = tuple(term.lower() for term in terms)
    for c in candidates:
        c.score = rank_score(
            key, lowered, c.name, c.aliases, texts.get(c.rowid, _NO_TEXTS), c.amount, near
        )
    return candidates


def amount_expression(amounts: list[Amount], terms: list[str], kind: str | None) -> str:
    """The documents that state one of `amounts` (and match every other word, anywhere)."""
    terms_ = " OR ".join(fts_string(amount_term(a.value)) for a in amounts)
    expression = f"amounts : ({terms_})"
    rest = match_expression(terms, columns=TEXT_COLUMNS)
    if rest:
        expression = f"{expression} AND {rest}"
    if kind:
        expression = f"kind : {fts_string(kind)} AND {expression}"
    return expression


TEXT_COLUMNS = "name aliases keys body linked"


@functools.lru_cache(maxsize=256)
def _ascii_prefix(prefix: str) -> re.Pattern[str]:
    """The words of an ASCII text that start with `prefix` (folded, letters and digits): in
    ASCII, a word is a run of letters and digits and folds to its lower case."""
    return re.compile(rf"(?<![A-Za-z0-9]){re.escape(prefix)}[A-Za-z0-9]*", re.IGNORECASE | re.ASCII)


def _snippets(
    terms: list[str], ranked: list[_Candidate], texts: dict[int, _Texts]
) -> dict[int, str]:
    """A snippet per hit, from its own text, or from what its links say when only they match
    (`snippets.make_snippet`, from the texts the ranking read)."""
    if not terms:
        return {}
    prefixes = [fold(term) for term in terms]
    found: dict[int, str] = {}
    for c in ranked:
        body, linked = texts.get(c.rowid, _NO_TEXTS)[:2]
        text = body
        if linked and not _mentions(body, prefixes) and _mentions(linked, prefixes):
            text = linked
        found[c.rowid] = make_snippet(text or "", prefixes)
    return found


def _mentions(text: str, prefixes: list[str]) -> bool:
    """Whether a word of `text` starts with one of the (folded) words."""
    if ascii_words(text) and all(_PLAIN_TERM.fullmatch(p) for p in prefixes if p):
        return any(_ascii_prefix(p).search(text) for p in prefixes if p)
    return any(fold(t).startswith(p) for t in _TOKEN.findall(text) for p in prefixes if p)


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
    """Ranked hits for `text`, best first, in the order of their scores: what its name names
    first (or what states the amount asked for), then what its own text and its links say.

    Any string is valid input; a string with no searchable words gives no hits. Raises
    `db.Cancelled` if `token` is cancelled while the query runs.
    """
    if limit <= 0:
        return []
    amounts = query_amounts(text)
    terms = query_words(text)
    rest = query_words(without_amounts(text, amounts)) if amounts else terms
    if not terms and not amounts:
        return []
    with cancellable(conn, token):
        hits = _search_tiers(conn, terms, kind, limit, typos=None, amounts=amounts, rest=rest)
        if not hits and terms:
            typos = typo_terms(conn, terms)
            if typos:
                # One word that matched nothing anywhere: only names can match within a typo
                # (everywhere else would find its text prefix again, which matched nothing).
                everywhere = len(terms) > 1
                hits = _search_tiers(conn, terms, kind, limit, typos=typos, everywhere=everywhere)
                hits = [Hit(h.ref, h.kind, h.name, h.snippet, h.score, True) for h in hits]
    return hits


def _search_tiers(
    conn: sqlite3.Connection,
    terms: list[str],
    kind: str | None,
    limit: int,
    typos: dict[str, list[str]] | None,
    amounts: list[Amount] | None = None,
    rest: list[str] | None = None,
    everywhere: bool = True,
) -> list[Hit]:
    """The stated amounts, then names (name postings only), then everywhere else, each over
    bounded candidates; all scored alike and sorted by score. Everywhere else is read only
    while fewer than `limit` hits are named (a hit found there never ranks above one that
    is), and not at all without `everywhere`."""
    found: dict[int, _Candidate] = {}
    near: Near = tuple(tuple(typos.get(t, ())) for t in terms) if typos else ()
    if amounts:
        for c in _candidates(conn, amount_expression(amounts, rest or [], kind)):
            c.amount = True
            found[c.rowid] = c
    if terms:
        expansions = name_expansions(conn, terms)
        names = names_expression(terms, kind=kind, typos=typos, expansions=expansions)
        if names is not None:
            key = tuple(terms)
            by_name = [c for c in _candidates(conn, names) if c.rowid not in found]
            by_name.sort(key=lambda c: -name_match(key, c.name, c.aliases, near).score)
            for c in by_name[:NAME_SHORTLIST]:
                found[c.rowid] = c
        key = tuple(terms)
        named = sum(1 for c in found.values() if c.amount or name_match(key, c.name, c.aliases)[0])
        if everywhere and named < limit:
            anywhere = match_expression(
                terms, columns=TEXT_COLUMNS, kind=kind, typos=typos, expansions=expansions
            )
            if anywhere is not None:
                texts = (kind, typos, expansions)
                for c in _everywhere_candidates(conn, terms, anywhere, *texts):
                    found.setdefault(c.rowid, c)
    documents = _texts(conn, list(found))
    scored = _score_all(terms, list(found.values()), documents, near)
    ranked = sorted(scored, key=_order)[:limit]
    snippets = _snippets(terms, ranked, documents)
    return [Hit(c.ref, c.kind, c.name, snippets.get(c.rowid, ""), c.score) for c in ranked]


def _order(c: _Candidate) -> tuple[float, str, str]:
    """By the score as printed (rounded as JSON shows it), then by name and ref."""
    return (round(c.score, 4), c.name, c.ref)
