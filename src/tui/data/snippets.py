"""A search hit's snippet: the few words of its text that hold the most of the query's words,
those words marked, made in Python from the text the ranking has already read.

It chooses as FTS5's snippet() does: a window of `WINDOW` words scored by the distinct query
words it holds (then by their repeats), a window that starts at a sentence preferred, "…"
where the text goes on. snippet() itself costs a query per hit, each parsing an expression of
that hit's words: 20 a keystroke, 10-30 ms of it at 1M entities (measured against this
module's, docs/benchmarks.md), where this costs well under a millisecond per hit.

A word matches when its folded form (as the index folds it) starts with a folded query word,
as a prefix query `"word"*` matches it.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Sequence

from tui.data.spelling import fold
from tui.textsafe import HIGHLIGHT_END, HIGHLIGHT_START

WINDOW = 14  # words in a snippet
TEXT_LIMIT = 65_536  # characters of a text read for its snippet (a bound, not a cut in practice)
_TOKEN = re.compile(r"[^\W_]+")  # the index's tokens: runs of letters and digits
_PLAIN_WORD = re.compile(r"[a-z0-9]+")
_SENTENCE_BREAK = re.compile(r"[.:][ \t\r\n]+")  # what comes before a word starting a sentence
DISTINCT = 1000  # a window's score: each query word it holds, then each repeat (1)
SENTENCE_BONUS, TEXT_START_BONUS = 100, 120  # a window that starts a sentence / the text


def make_snippet(text: str, words: Sequence[str]) -> str:
    """The best window of `text` for the (folded) query `words`, matched words between
    HIGHLIGHT_START and HIGHLIGHT_END; the start of the text when nothing matches."""
    text = text[:TEXT_LIMIT]
    tokens, starts, sentences = _words_of(text)
    if not tokens:
        return ""
    prefixes = [word for word in words if word]
    matched = _matched(text, tokens, starts, prefixes)
    first = _best_start(len(tokens), sentences, matched)
    last = min(len(tokens), first + WINDOW)
    parts = ["…"] if first > 0 else []
    position = 0 if first == 0 else tokens[first][0]
    for index in range(first, last):
        start, end = tokens[index]
        parts.append(text[position:start])
        if index in matched:
            parts.append(HIGHLIGHT_START + text[start:end] + HIGHLIGHT_END)
        else:
            parts.append(text[start:end])
        position = end
    if last == len(tokens):
        parts.append(text[position:])
    else:
        parts.append("…")
    return "".join(parts)


Words = tuple[list[tuple[int, int]], list[int], list[int]]


@functools.lru_cache(maxsize=256)
def _words_of(text: str) -> Words:
    """The words of `text` (their spans and starts) and the words that start its sentences.
    Kept for the last texts asked for: as a query is typed, the same hits come back."""
    tokens = [match.span() for match in _TOKEN.finditer(text)]
    starts = [start for start, _end in tokens]
    return tokens, starts, _sentence_starts(text, starts) if len(tokens) > WINDOW else []


def _matched(
    text: str, tokens: list[tuple[int, int]], starts: list[int], prefixes: list[str]
) -> dict[int, int]:
    """Each word (by index) that a query word is a prefix of, and the first such query word."""
    if ascii_words(text) and all(_PLAIN_WORD.fullmatch(prefix) for prefix in prefixes):
        if not prefixes:
            return {}
        # (the same words, found by one regular expression instead of word by word)
        return {
            bisect.bisect_left(starts, match.start()): (match.lastindex or 1) - 1
            for match in _prefixes_pattern(tuple(prefixes)).finditer(text)
        }
    matched: dict[int, int] = {}
    for index, (start, end) in enumerate(tokens):
        token = text[start:end]
        folded = token.lower() if token.isascii() else fold(token)
        for number, prefix in enumerate(prefixes):
            if folded.startswith(prefix):
                matched[index] = number
                break
    return matched


@functools.lru_cache(maxsize=256)
def _prefixes_pattern(prefixes: tuple[str, ...]) -> re.Pattern[str]:
    """The words of an ASCII text that start with one of `prefixes` (plain, folded), the
    first of them that does as the group matched."""
    alternatives = "|".join(f"({re.escape(prefix)})" for prefix in prefixes)
    return re.compile(rf"(?<![A-Za-z0-9])(?:{alternatives})[A-Za-z0-9]*", re.I | re.ASCII)


@functools.lru_cache(maxsize=1024)
def ascii_words(text: str) -> bool:
    """Whether every word of `text` is ASCII: what is not ASCII in it (dashes, curly quotes)
    is neither a letter, a digit nor a mark, so it parts words as a space does."""
    if text.isascii():
        return True
    return not any(
        ch.isalnum() or unicodedata.category(ch)[0] in "LNM" or unicodedata.category(ch) == "Co"
        for ch in set(text)
        if not ch.isascii()
    )


def _best_start(count: int, sentences: list[int], matched: dict[int, int]) -> int:
    """The first word of the best window. For each matched word in turn: the window centred
    on the matches from it on, then the window from the start of its sentence (when one
    starts before it), that one scored a little higher; the first best score wins."""
    order = sorted(matched)
    by_sentence: dict[int, int] = {}  # a sentence's window score (the same for its words)
    held: dict[int, int] = {}  # query word -> its matches in the window from `hit`
    end = 0  # (the window is order[at:end], slid along as `hit` moves on)
    best, best_score = 0, 0
    for at, hit in enumerate(order):
        if at:
            word = matched[order[at - 1]]
            held[word] -= 1
            if not held[word]:
                del held[word]
        while end < len(order) and order[end] < hit + WINDOW:
            word = matched[order[end]]
            held[word] = held.get(word, 0) + 1
            end += 1
        score = DISTINCT * len(held) + (end - at) - len(held)
        if score > best_score:
            spread = order[end - 1] + 1 - hit
            best_score = score
            best = max(0, min(hit - (WINDOW - spread) // 2, count - WINDOW))
        before = bisect.bisect_right(sentences, hit) - 1  # the sentence the word is in
        if before >= 0 and sentences[before] < hit:
            sentence = sentences[before]
            if sentence not in by_sentence:
                lo = bisect.bisect_left(order, sentence)
                within = order[lo : bisect.bisect_left(order, sentence + WINDOW, lo=lo)]
                bonus = TEXT_START_BONUS if sentence == 0 else SENTENCE_BONUS
                by_sentence[sentence] = _score(matched, within) + bonus
            if by_sentence[sentence] > best_score:
                best, best_score = sentence, by_sentence[sentence]
    return best


def _score(matched: dict[int, int], within: list[int]) -> int:
    """The matched words of a window: each query word once (`DISTINCT`), then its repeats."""
    distinct = len({matched[index] for index in within})
    return DISTINCT * distinct + len(within) - distinct


def _sentence_starts(text: str, starts: list[int]) -> list[int]:
    """The words (by where they start) that start a sentence: the first, and each right
    after a full stop or a colon and a space."""
    found = [0]
    for match in _SENTENCE_BREAK.finditer(text):
        index = bisect.bisect_left(starts, match.end())
        if index < len(starts) and starts[index] == match.end() and index > found[-1]:
            found.append(index)
    return found
