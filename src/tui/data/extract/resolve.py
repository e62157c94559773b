"""Entity resolution: is a proposed name one the corpus already knows?

A match says why: the name or an `alias` the corpus holds, the `spelling key` (Tokaev is
Tokayev), an `abbreviation` (CNPC), a `legal-form suffix` ("CITIC Group Corporation" is
"CITIC Group"), or a `fuzzy score` (rapidfuzz). Only entities of the same kind are compared,
so two kinds never merge.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz import fuzz

from tui.data.corpus import Corpus
from tui.data.extract.lexicon import LEGAL_FORMS
from tui.data.spelling import fold, spelling_key, words

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


def _key(name: str) -> str:
    return " ".join(k for k in (spelling_key(w) for w in words(name)) if k)


def _bare(name: str) -> str:
    """The name's key without legal forms at its end ("CITIC Group Corporation" -> "citik")."""
    parts = [w for w in words(name)]
    while len(parts) > 1 and parts[-1].lower() in LEGAL_FORMS:
        parts = parts[:-1]
    return _key(" ".join(parts))


def _initials(name: str) -> str:
    return "".join(w[0] for w in words(name) if w.lower() not in _SMALL_WORDS).upper()


class Index:
    """The corpus's entities by kind, with their names and aliases."""

    def __init__(self, corpus: Corpus | None = None) -> None:
        self.known: dict[str, Known] = {}
        if corpus is None:
            return
        for ref, name in corpus.names.items():
            self.known[ref] = Known(ref, ref.partition(":")[0], [name])
        for s in corpus.statements():
            entry = self.known.get(s.subject)
            if entry is None:
                continue
            if s.prop == "alias" and isinstance(s.value, str) and s.value not in entry.names:
                entry.names.append(s.value)
            if s.prop in ("participant", "party") and isinstance(s.value, str):
                entry.links.add(s.value)

    def add(self, ref: str, names: list[str]) -> None:
        self.known[ref] = Known(ref, ref.partition(":")[0], list(names))

    def refs(self) -> set[str]:
        return set(self.known)

    def match(
        self, kind: str, name: str, aliases: list[str] | tuple[str, ...] = ()
    ) -> Match | None:
        """The best known entity of `kind` for `name` (or one of its aliases), or None."""
        best: Match | None = None
        candidates = [name, *aliases]
        for entry in self.known.values():
            if entry.kind != kind:
                continue
            found = _compare(kind, candidates, entry)
            if found and (best is None or found.score > best.score):
                best = found
        return best

    def match_event(
        self, kind: str, name: str, aliases: list[str], links: set[str]
    ) -> Match | None:
        """A meeting or commitment: the same name (or alias), or the same participants."""
        best: Match | None = None
        for entry in self.known.values():
            if entry.kind != kind:
                continue
            for candidate in [name, *aliases]:
                for known in entry.names:
                    if fold(candidate) == fold(known):
                        return Match(entry.ref, 1.0, "alias" if known != entry.names[0] else "name")
                    score = fuzz.token_set_ratio(_key(candidate), _key(known))
                    if score >= _FUZZY and (best is None or score / 100 > best.score):
                        best = Match(entry.ref, round(score / 100, 3), "fuzzy score")
            people = {r for r in links if r.startswith("person:")}
            if len(people) >= 2 and people <= entry.links and kind == "meeting":
                found = Match(entry.ref, 0.9, "same participants")
                if best is None or found.score > best.score:
                    best = found
        return best


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
