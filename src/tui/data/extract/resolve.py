"""Entity resolution: is a proposed name one the corpus already knows?

A match says why: the name or an `alias` the corpus holds, the `spelling key` (Tokaev is
Tokayev), an `abbreviation` (CNPC), a `legal-form suffix` ("CITIC Group Corporation" is
"CITIC Group"), or a `fuzzy score` (rapidfuzz). Only entities of the same kind are compared,
so two kinds never merge.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from tui.data.corpus import Corpus
from tui.data.extract.lexicon import LEGAL_FORMS
from tui.data.spelling import fold, words
from tui.data.spelling import spelling_key as _spelling_key

# Names share most words: each word's key is computed once.
spelling_key = functools.lru_cache(maxsize=262_144)(_spelling_key)

# Looks up candidates the index does not hold yet: (kind, spelling keys of a name's words) ->
# (ref, [canonical name, *aliases], participant or party refs); e.g. a query on the database's
# search index, so a corpus of a million entities is never loaded whole.
Lookup = Callable[[str, list[str]], Iterable[tuple[str, list[str], set[str]]]]

_FUZZY = 90.0
_SMALL_WORDS = {"of", "and", "the", "for", "on", "de", "in"}


@dataclass(frozen=True)
class Match:
    ref: str
    score: float
    why: str


@dataclass
class Known:
    ref: str
    kind: str
    names: list[str]  # canonical name first, then aliases
    links: set[str] = field(default_factory=set)  # participants / parties, for events


@functools.lru_cache(maxsize=262_144)
def _key(name: str) -> str:
    return " ".join(k for k in (spelling_key(w) for w in words(name)) if k)


@functools.lru_cache(maxsize=262_144)
def _bare(name: str) -> str:
    """The name's key without legal forms at its end ("CITIC Group Corporation" -> "kitik")."""
    parts = [w for w in words(name)]
    while len(parts) > 1 and parts[-1].lower() in LEGAL_FORMS:
        parts = parts[:-1]
    return _key(" ".join(parts))


def _initials(name: str) -> str:
    return "".join(w[0] for w in words(name) if w.lower() not in _SMALL_WORDS).upper()


_BUCKET_LIMIT = 2000  # a word shared by more names than this does not narrow the search


def _tokens(name: str) -> list[str]:
    """The spelling keys of a name's distinctive words (legal forms and small words left out)."""
    keys = []
    for w in words(name):
        low = w.lower()
        if low in _SMALL_WORDS or (low in LEGAL_FORMS and len(words(name)) > 1):
            continue
        key = spelling_key(w)
        if key and key not in keys:
            keys.append(key)
    return keys


class Index:
    """The corpus's entities by kind, with their names and aliases, and a word index that
    narrows each lookup to the few entities sharing a word with the name (so a lookup stays
    fast on a corpus of a million entities)."""

    def __init__(self, corpus: Corpus | None = None, lookup: Lookup | None = None) -> None:
        self.known: dict[str, Known] = {}
        self._words: dict[tuple[str, str], set[str]] = {}
        self._links: dict[str, set[str]] = {}
        self._lookup = lookup
        self._looked: set[tuple[str, tuple[str, ...]]] = set()
        if corpus is None:
            return
        aliases: dict[str, list[str]] = {}
        links: dict[str, set[str]] = {}
        for st in corpus.statements():
            if st.prop == "alias" and isinstance(st.value, str):
                aliases.setdefault(st.subject, []).append(st.value)
            if st.prop in ("participant", "party") and isinstance(st.value, str):
                links.setdefault(st.subject, set()).add(st.value)
        for ref, name in corpus.names.items():
            self.add(ref, [name, *aliases.get(ref, [])], links.get(ref, set()))

    @classmethod
    def from_entries(cls, entries: Iterable[tuple[str, list[str], set[str]]]) -> Index:
        """An index of `(ref, [canonical name, *aliases], participant or party refs)`, e.g.
        read from the database instead of a loaded corpus."""
        index = cls()
        for ref, names, links in entries:
            index.add(ref, names, links)
        return index

    def add(self, ref: str, names: list[str], links: set[str] | None = None) -> None:
        unique = list(dict.fromkeys(names))
        entry = Known(ref, ref.partition(":")[0], unique, set(links or ()))
        self.known[ref] = entry
        for name in unique:
            for key in _tokens(name):
                self._words.setdefault((entry.kind, key), set()).add(ref)
            if len(words(name)) > 1:
                self._words.setdefault((entry.kind, "#" + _initials(name)), set()).add(ref)
        for target in entry.links:
            self._links.setdefault(target, set()).add(ref)

    def refs(self) -> set[str]:
        return set(self.known)

    def _candidates(self, kind: str, names: list[str]) -> list[Known]:
        if self._lookup is not None:
            for name in names:
                keys = tuple(_tokens(name))
                if keys and (kind, keys) not in self._looked:
                    self._looked.add((kind, keys))
                    for ref, known_names, links in self._lookup(kind, list(keys)):
                        if ref not in self.known:
                            self.add(ref, known_names, links)
        buckets = []
        for name in names:
            for key in _tokens(name):
                buckets.append(self._words.get((kind, key), set()))
            if name.isupper() and len(name) >= 2:
                buckets.append(self._words.get((kind, "#" + name), set()))
        refs: set[str] = set()
        for bucket in sorted(buckets, key=len):
            if refs and len(bucket) > _BUCKET_LIMIT:
                break
            refs |= bucket
        return [self.known[r] for r in sorted(refs)]

    def match(
        self, kind: str, name: str, aliases: list[str] | tuple[str, ...] = ()
    ) -> Match | None:
        """The best known entity of `kind` for `name` (or one of its aliases), or None."""
        best: Match | None = None
        candidates = [name, *aliases]
        for entry in self._candidates(kind, candidates):
            found = _compare(kind, candidates, entry)
            if found and (best is None or found.score > best.score):
                best = found
        return best

    def match_event(
        self, kind: str, name: str, aliases: list[str], links: set[str]
    ) -> Match | None:
        """A meeting or commitment: the same name (or alias), or the same participants."""
        best: Match | None = None
        people = {r for r in links if r.startswith("person:")}
        pool = {e.ref: e for e in self._candidates(kind, [name, *aliases])}
        for person in people:
            for ref in self._links.get(person, set()):
                if ref.startswith(kind + ":"):
                    pool.setdefault(ref, self.known[ref])
        for entry in pool.values():
            for candidate in [name, *aliases]:
                for known in entry.names:
                    if fold(candidate) == fold(known):
                        return Match(entry.ref, 1.0, "alias" if known != entry.names[0] else "name")
                    score = _event_score(candidate, known)
                    if score >= _FUZZY and (best is None or score / 100 > best.score):
                        best = Match(entry.ref, round(score / 100, 3), "fuzzy score")
            if people and people <= entry.links and kind == "meeting":
                found = Match(entry.ref, 0.9 if len(people) > 1 else 0.8, "same participants")
                if best is None or found.score > best.score:
                    best = found
        return best


def _event_score(candidate: str, known: str) -> float:
    """How alike two event names are (0-100): word order ignored, and one name's words within
    the other's only when the shorter has three distinctive words or more."""
    a, b = _key(candidate), _key(known)
    score = fuzz.token_sort_ratio(a, b)
    if min(len(set(a.split())), len(set(b.split()))) >= 3:
        score = max(score, fuzz.token_set_ratio(a, b))
    return float(score)


def _compare(kind: str, candidates: list[str], entry: Known) -> Match | None:
    canonical = entry.names[0]
    for candidate in candidates:
        for known in entry.names:
            if fold(candidate) == fold(known):
                return Match(entry.ref, 1.0, "name" if known == canonical else "alias")
    for candidate in candidates:
        for known in entry.names:
            if _key(candidate) and _key(candidate) == _key(known):
                return Match(entry.ref, 0.95, "spelling key")
    for candidate in candidates:
        if candidate.isupper() and len(candidate) >= 2:
            if any(candidate == known for known in entry.names[1:]) or (
                candidate == _initials(canonical)
            ):
                return Match(entry.ref, 0.9, "abbreviation")
    if kind == "organization":
        for candidate in candidates:
            for known in entry.names:
                if len(words(candidate)) > 1 or len(words(known)) > 1:
                    if _bare(candidate) and _bare(candidate) == _bare(known):
                        return Match(entry.ref, 0.9, "legal-form suffix")
    if kind == "person":
        for candidate in candidates[:1]:
            if len(words(candidate)) == 1:
                key = spelling_key(candidate)
                for known in entry.names:
                    parts = [spelling_key(w) for w in words(known)]
                    if len(parts) > 1 and key in (parts[0], parts[-1]):
                        return Match(entry.ref, 0.85, "spelling key")
    best = 0.0
    for candidate in candidates:
        for known in entry.names:
            best = max(best, fuzz.token_sort_ratio(_key(candidate), _key(known)))
    threshold = _FUZZY + (3 if kind == "person" else 0)
    if best >= threshold:
        return Match(entry.ref, round(best / 100, 3), "fuzzy score")
    return None
