"""Sentences, words and spans: character offsets into the article body as the corpus reads it."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A word: letters or digits, with inner hyphens and apostrophes (Kassym-Jomart, Xi’an).
WORD = re.compile(r"\w+(?:[-’']\w+)*")
_POSSESSIVE = re.compile(r"[’']s$")
# Words before a full stop that do not end a sentence.
_ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "st",
    "no",
    "co",
    "inc",
    "ltd",
    "corp",
    "jsc",
    "vs",
    "jr",
    "sr",
    "gen",
    "prof",
    "u.s",
    "e.g",
    "i.e",
    "etc",
}
_END = re.compile(r"[.!?…]+[”\"’)]*(?=\s|$)|\n+")


@dataclass(frozen=True)
class Span:
    """A stretch of the body: `body[start:end]` is `text`."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Word:
    start: int
    end: int
    text: str

    @property
    def capitalized(self) -> bool:
        return self.text[:1].isupper()

    @property
    def acronym(self) -> bool:
        letters = [c for c in self.text if c.isalpha()]
        upper = sum(c.isupper() for c in letters)
        return len(letters) >= 2 and upper >= 2 and upper >= len(letters) - 3


def words(text: str, offset: int = 0) -> list[Word]:
    """The words of `text`, possessive endings dropped (Tokayev’s -> Tokayev)."""
    found = []
    for match in WORD.finditer(text):
        word = match.group()
        end = match.end()
        if _POSSESSIVE.search(word) and len(word) > 2:
            word, end = word[:-2], end - 2
        found.append(Word(offset + match.start(), offset + end, word))
    return found


def sentences(body: str) -> list[Span]:
    """The body's sentences (paragraph breaks end one too), spaces trimmed."""
    found: list[Span] = []
    start = 0
    for match in _END.finditer(body):
        if match.group().startswith("."):
            before = body[start : match.start()].split()
            last = before[-1].lower().rstrip(".") if before else ""
            if last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
                continue
        _add(body, start, match.end(), found)
        start = match.end()
    _add(body, start, len(body), found)
    return found


def _add(body: str, start: int, end: int, found: list[Span]) -> None:
    piece = body[start:end]
    stripped = piece.strip()
    if not stripped:
        return
    lead = len(piece) - len(piece.lstrip())
    s = start + lead
    found.append(Span(s, s + len(stripped), stripped))


def trim(body: str, start: int, end: int) -> Span:
    """The span with surrounding spaces and clause punctuation removed."""
    while start < end and (body[start].isspace() or body[start] in ",;:–—-"):
        start += 1
    while end > start and (body[end - 1].isspace() or body[end - 1] in ",;:–—-"):
        end -= 1
    return Span(start, end, body[start:end])


def clause(body: str, sentence: Span, start: int, end: int, limit: int = 220) -> Span:
    """The sentence if short, else the comma-delimited clause holding `start:end`."""
    if sentence.end - sentence.start <= limit:
        return trim(body, sentence.start, sentence.end)
    left = max(body.rfind(",", sentence.start, start), body.rfind(";", sentence.start, start))
    left = sentence.start if left < 0 else left + 1
    right_candidates = [
        i for i in (body.find(",", end, sentence.end), body.find(";", end, sentence.end)) if i >= 0
    ]
    right = min(right_candidates) if right_candidates else sentence.end
    return trim(body, left, right)
