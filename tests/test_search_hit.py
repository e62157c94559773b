"""A search hit's two lines, made as segments without a Rich `Text` (widgets/search_hit.py),
are cell for cell what a `Text` of the same words, styles and cut would draw: for every hit
of the bundled database for a set of queries, and for hits made to catch the edges (wide
characters, marks, a cut through a wide character, controls, markup, a typo hit, widths from
too narrow to none)."""

from __future__ import annotations

import pytest
from rich.console import Console
from rich.style import Style
from rich.text import Text

from tui.app.widgets.hit_list import Line
from tui.app.widgets.search_hit import hit_lines
from tui.data.search import Hit, search
from tui.kinds import LABEL_WIDTH
from tui.safe_text import kind_badge, plain, snippet
from tui.textsafe import HIGHLIGHT_END, HIGHLIGHT_START

QUERIES = ["kaz", "copper", "invest", "china energy", "a", "t", "22 bn", "tokayev", "agreem"]
WIDTHS = [None, 120, 96, 78, 40, 24, 12, 8]
M0, M1 = HIGHLIGHT_START, HIGHLIGHT_END
EDGES = [
    Hit("org:x", "org", "中国有色金属矿业集团 China Nonferrous Metal Mining (Group) Co., Ltd.",
        f"the {M0}copper{M1} smelter 中国{M0}有色{M1} in East Kazakhstan, which is long", 1.0),
    Hit("org:y", "org", "[bold]Markup[/] and \x1b[31mescapes\x1b[0m",
        f"[@click=app.quit]{M0}x{M1}\x07 and\ttabs\nand a second quote {M0}x{M1}", 1.0),
    Hit("person:z", "person", "Tokayev", "", 0.0, True),
    Hit("meeting:w", "meeting", "A meeting", f"{M0}{M1}{M0}start{M1} at once, then words", 1.0),
    Hit("org:v", "org", "Name", "a long run of words before " * 6 + f"the {M0}match{M1} end", 1.0),
    Hit("org:u", "org", "宽" * 60, f"{'宽' * 50}{M0}宽宽{M1}{'宽' * 10}", 1.0),
]  # fmt: skip


def _drawn_by_text(hit: Hit, width: int | None, console: Console) -> list[Line]:
    """The same hit drawn through Rich's `Text` (what the search drew before)."""
    line = Text()
    line.append_text(kind_badge(hit.kind))
    line.append_text(plain(hit.name, "bold"))
    if hit.fuzzy:
        line.append("  ~", style="dim")
    if width is not None:
        line.truncate(width, overflow="ellipsis")
    lines = [line]
    if hit.snippet:
        words = snippet(hit.snippet)
        if width is not None:
            words = _showing_the_match(words, width - LABEL_WIDTH - 1)
        under = Text(" " * (LABEL_WIDTH + 1))
        under.append_text(words)
        if width is not None:
            under.truncate(width, overflow="ellipsis")
        lines.append(under)
    return [Line(list(text.render(console, end="")), text.cell_len) for text in lines]


def _showing_the_match(words: Text, room: int) -> Text:
    matched = [span for span in words.spans if span.style]
    if not matched or room < 12:
        return words
    first = min(matched, key=lambda span: span.start)
    if first.end <= room - 1:
        return words
    cut = max(0, min(first.start - room // 3, len(words.plain) - (room - 1)))
    space = words.plain.find(" ", cut)
    if 0 <= space < first.start:
        cut = space + 1
    return Text("…").append_text(words[cut:])


def _cells(lines: list[Line]) -> list[tuple[list[tuple[str, Style]], int]]:
    """Each line as its characters, each with its style (none is the null style)."""
    return [
        ([(ch, seg.style or Style.null()) for seg in line.segments for ch in seg.text], line.cells)
        for line in lines
    ]


@pytest.mark.parametrize("width", WIDTHS, ids=str)
def test_every_bundled_hit_is_drawn_as_a_text_would_draw_it(seed_conn, width):
    console = Console(width=200)
    hits = [hit for query in QUERIES for hit in search(seed_conn, query, limit=20)]
    assert len(hits) > 60 and any(hit.snippet for hit in hits)
    differing = [
        hit
        for hit in hits
        if _cells(hit_lines(hit, width)) != _cells(_drawn_by_text(hit, width, console))
    ]
    assert not differing


@pytest.mark.parametrize("width", [*WIDTHS, 30, 31, 59, 60, 61, 100], ids=str)
@pytest.mark.parametrize("hit", EDGES, ids=lambda hit: hit.ref)
def test_edge_hits_are_drawn_as_a_text_would_draw_them(hit, width):
    console = Console(width=200)
    drawn = hit_lines(hit, width)
    assert _cells(drawn) == _cells(_drawn_by_text(hit, width, console))
    text = "".join(seg.text for line in drawn for seg in line.segments)
    assert "\x1b" not in text and "\x07" not in text and "\t" not in text
    if width is not None:
        assert all(line.cells <= width for line in drawn)
