"""How a search hit is drawn: two lines, its kind and name, and under the name its snippet
with the words that matched in reverse video, each line cut to the list's width with "…".

The lines are made as Rich segments directly, for `HitList`: a keystroke's 20 hits are new
lines each time (their marked words change with every letter), and making them through a
Rich `Text` cost 0.3-0.5 ms a hit (7-10 ms a keystroke at 1M, measured in the search worker).
They are the segments `Text.render` would give for the same text, spans and cut
(tests/test_search_hit.py holds them to it)."""

from __future__ import annotations

import functools

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style

from tui.app.widgets.hit_list import Line
from tui.data.search import Hit
from tui.kinds import LABEL_WIDTH
from tui.safe_text import kind_badge, snippet_parts
from tui.textsafe import clean

LINES_KEPT = 512  # hits whose lines are kept: as a query is typed the same hits come back

Piece = tuple[str, Style]  # text and its style
_NULL = Style.null()
_BOLD = Style(bold=True)
_DIM = Style(dim=True)
_MATCH = Style(reverse=True)
_INDENT = " " * (LABEL_WIDTH + 1)  # the snippet starts under the name
_ELLIPSIS = "…"


def hit_lines(hit: Hit, width: int | None) -> list[Line]:
    """The hit's lines, cut to `width` cells (not cut if None)."""
    return _lines(hit.kind, hit.name, hit.fuzzy, hit.snippet, width)


@functools.lru_cache(maxsize=LINES_KEPT)
def _lines(kind: str, name: str, fuzzy: bool, marked: str, width: int | None) -> list[Line]:
    title: list[Piece] = [(_badge(kind), _BOLD), (clean(name, single_line=True), _BOLD)]
    if fuzzy:
        title.append(("  ~", _DIM))
    lines = [_line(title, width)]
    if marked:
        words = [(part, _MATCH if matched else _NULL) for part, matched in snippet_parts(marked)]
        if width is not None:
            words = _showing_the_match(words, width - LABEL_WIDTH - 1)
        lines.append(_line([(_INDENT, _NULL), *words], width))
    return lines


@functools.lru_cache(maxsize=64)
def _badge(kind: str) -> str:
    return kind_badge(kind).plain


def _showing_the_match(words: list[Piece], room: int) -> list[Piece]:
    """`words` cut from the left ("…" first) where the first matched word would otherwise
    fall past `room` cells, so that what matched stays in view, with as much of what comes
    before it as the room leaves."""
    start = 0
    first: tuple[int, int] | None = None
    for text, style in words:
        if style is _MATCH and text:
            first = (start, start + len(text))
            break
        start += len(text)
    if first is None or room < 12 or first[1] <= room - 1:
        return words
    text = "".join(part for part, _ in words)
    # a third of the room before the match, or more where the text ends before the room does
    cut = max(0, min(first[0] - room // 3, len(text) - (room - 1)))
    space = text.find(" ", cut)
    if 0 <= space < first[0]:
        cut = space + 1  # at a word
    return [(_ELLIPSIS, _NULL), *_from(words, cut)]


def _from(pieces: list[Piece], offset: int) -> list[Piece]:
    """`pieces` from character `offset` on."""
    kept: list[Piece] = []
    start = 0
    for text, style in pieces:
        end = start + len(text)
        if end > offset:
            kept.append((text[max(0, offset - start) :], style))
        start = end
    return kept


def _line(pieces: list[Piece], width: int | None) -> Line:
    """`pieces` as one line; past `width` cells, cut to `width - 1` and "…", which takes the
    style of the piece it cuts (as Rich's `Text.truncate(overflow="ellipsis")`)."""
    pieces = [(text, style) for text, style in pieces if text]
    whole = "".join(text for text, _ in pieces)
    cells = cell_len(whole)
    if width is not None and cells > width:
        kept = _cut(whole, width - 1) + _ELLIPSIS
        pieces = _replaced(_first(pieces, len(kept)), kept)
        cells = cell_len(kept)
    return Line([Segment(text, style) for text, style in pieces], cells)


def _cut(text: str, cells: int) -> str:
    """`set_cell_size(text, cells)` for a text longer than `cells`; at once where each of
    its characters is one cell, as printable ASCII and "…" are (most snippets)."""
    if text.replace(_ELLIPSIS, ".").isascii() and text.isprintable():
        return text[: max(0, cells)]
    return set_cell_size(text, cells)


def _first(pieces: list[Piece], length: int) -> list[Piece]:
    """`pieces` to `length` characters; where they are shorter, the last one is extended
    (with spaces, to be replaced by `_replaced`)."""
    kept: list[Piece] = []
    start = 0
    for text, style in pieces:
        if start >= length:
            break
        kept.append((text[: length - start], style))
        start += len(kept[-1][0])
    if start < length:
        last_text, last_style = kept[-1]
        kept[-1] = (last_text + " " * (length - start), last_style)
    return kept


def _replaced(pieces: list[Piece], text: str) -> list[Piece]:
    """`pieces` with their characters taken from `text` (of the same length): a cut through
    a wide character leaves a space in its place."""
    out: list[Piece] = []
    start = 0
    for part, style in pieces:
        out.append((text[start : start + len(part)], style))
        start += len(part)
    return out
