"""A line that wraps under its value: `label  a long value that goes on` wraps its value
onto the next line at the value's column, not at the left edge.

A Textual `Visual` made of `Content`, as a plain `Text` prompt becomes: an option list of
them lays out as fast as one of plain lines (a Rich renderable would cost three times as much
per row, which a detail with hundreds of rows would feel).

Most rows fit their width: those are measured from their text's length alone and drawn
without working out where they would wrap, which is most of what drawing a line costs (a
detail opens with a screen of them). Their text becomes `Content` only when first drawn."""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise

from rich.console import Console
from rich.segment import Segment
from rich.style import Style as RichStyle
from rich.text import Text
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual

MIN_VALUE_WIDTH = 16  # a head that leaves less room than this: its body wraps as one text
HANG = 2  # how much further in a row's next lines start when its head is only an indent


class Hanging(Visual):
    """Rows of (head, body): each body wraps within the width its head leaves, its next
    lines indented to the body's column. `str()` is the text as read. For an option list
    (which allows no text selection)."""

    def __init__(self, *rows: tuple[Text, Text]) -> None:
        self.texts = rows
        # a row's width on one line (a row with a line break in it is never "on one line")
        self.widths = [
            head.cell_len + body.cell_len if "\n" not in head.plain + body.plain else 1 << 30
            for head, body in rows
        ]
        self._rows: list[tuple[Content, Content]] | None = None  # as Content, once drawn
        self._segments: list[list[Segment]] | None = None  # each row on one line, unstyled
        # The lines at each width laid out (two, mostly: beside a scrollbar and without one).
        self._lines: dict[int, list[Content]] = {}

    def __str__(self) -> str:
        return "\n".join(head.plain + body.plain for head, body in self.texts)

    @property
    def plain(self) -> str:
        return str(self)

    @property
    def rows(self) -> list[tuple[Content, Content]]:
        if self._rows is None:
            self._rows = [(Content.from_rich_text(head), Content.from_rich_text(body))
                          for head, body in self.texts]  # fmt: skip
        return self._rows

    def lines(self, width: int) -> list[Content]:
        """The lines at `width`, each within it."""
        if (known := self._lines.get(width)) is not None:
            return known
        found: list[Content] = []
        for (head, body), whole in zip(self.rows, self.widths, strict=True):
            indent = head.cell_length
            if whole <= width:  # fits: nothing to wrap
                found.append(head + body)
            elif indent + MIN_VALUE_WIDTH > width:  # no room beside the head: one text
                found.extend((head + body).wrap(max(1, width)))
            else:
                # under a head that is only an indent, the next lines go further in: at the
                # row's own column they would read as rows of their own
                hang = indent + HANG if not head.plain.strip() else indent
                wrapped = _wrapped(body, width - indent, width - hang)
                found.append(head + wrapped[0])
                found.extend(Content(" " * hang) + line for line in wrapped[1:])
        if len(self._lines) > 3:  # (a terminal being resized)
            self._lines.clear()
        self._lines[width] = found
        return found

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        if not width:
            return []
        lines = self.lines(width)
        if options.selection is not None or options.post_style is not None or _formatted(options):
            return Content("\n").join(lines).render_strips(width, height, style, options)
        return self.strips(width, style, options.get_style)[:height]

    def strips(
        self, width: int, style: Style, parse_style: Callable[[str | Style], Style] | None = None
    ) -> list[Strip]:
        """The lines at `width` drawn on `style`: as Content draws a line that needs no
        wrapping, but without the offsets text selection reads (a detail allows none)."""
        strips = []
        rich: dict[Style, RichStyle] = {}
        for line in self.lines(width):
            segments = []
            for text, text_style in line.render(style, end="", parse_style=parse_style):
                if (found := rich.get(text_style)) is None:
                    found = rich[text_style] = (style + text_style).rich_style
                segments.append(Segment(text, found))
            strips.append(Strip(segments, line.cell_length))
        return strips

    def fits(self, width: int) -> bool:
        """Whether every row is one line at `width`."""
        return all(whole <= width for whole in self.widths)

    def segments(self, console: Console) -> list[list[Segment]]:
        """Each row on one line as Rich segments, on no style (a paint adds the list's): what
        a row that fits is drawn from, in a tenth of the time of drawing it as Content."""
        if self._segments is None:
            get_style = console.get_style
            self._segments = [
                [*_segments(head, get_style), *_segments(body, get_style)]
                for head, body in self.texts
            ]
        return self._segments

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return max((head.cell_len + body.cell_len for head, body in self.texts), default=0)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self.height(width)

    def height(self, width: int) -> int:
        """The lines it takes at `width`."""
        if self.fits(width):
            return len(self.widths)
        return len(self.lines(width))


def _wrapped(body: Content, first: int, rest: int) -> list[Content]:
    """`body` wrapped into a first line of `first` cells and the next lines of `rest`."""
    if not body.plain:
        return [Content()]
    if first == rest:
        return body.wrap(first)
    head, *more = body.wrap(first)
    text = body.plain
    if not more or not text.startswith(head.plain):
        return [head, *more]
    cut = len(head.plain)
    cut += len(text[cut:]) - len(text[cut:].lstrip(" "))  # (the spaces the line broke at)
    return [head, *body[cut:].wrap(rest)]


def indented(text: Text) -> Hanging:
    """`text`, lines made by its line breaks and each indented by its leading spaces, as a
    Hanging whose lines wrap under their own start (further in for a bare indent)."""
    rows = []
    for line in text.split("\n", allow_blank=True):
        indent = len(line.plain) - len(line.plain.lstrip(" "))
        rows.append((line[:indent], line[indent:]))
    return Hanging(*rows)


def single(text: Text) -> Hanging:
    """`text` as a row of its own, wrapping as a plain `Text` prompt would (drawn as fast as
    the rows beside it)."""
    return Hanging((Text(), text))


def _segments(text: Text, get_style: Callable[[str | RichStyle], RichStyle]) -> list[Segment]:
    """`text` as `Text.render` draws it within a line of other texts (its own style under its
    spans), in a quarter of the time (no sorting of span events, the styles parsed once)."""
    plain = text.plain
    if not plain:
        return []
    styles = _STYLES
    base = text.style
    if base:
        base = styles.get(base) or styles.setdefault(base, get_style(base))
    spans = [span for span in text.spans if span.end > span.start]
    if not spans:
        return [Segment(plain, base or None)]
    cuts = sorted({0, len(plain), *(span.start for span in spans), *(span.end for span in spans)})
    found = []
    for start, end in pairwise(cuts):
        style = base or None
        for span in spans:
            if span.start <= start and end <= span.end:
                found_style = styles.get(span.style) or styles.setdefault(
                    span.style, get_style(span.style)
                )
                style = found_style if style is None else style + found_style
        found.append(Segment(plain[start:end], style))
    return found


_STYLES: dict[str | RichStyle, RichStyle] = {}  # a span's style, parsed (a few dozen in all)


def _formatted(options: RenderOptions) -> bool:
    """Whether the widget's styles align, pad or cut lines (drawn then as Content draws)."""
    get = options.rules.get
    return (
        get("text_align", "left") not in ("left", "start")
        or bool(get("line_pad", 0))
        or get("text_wrap", "wrap") == "nowrap"
        or get("text_overflow", "fold") != "fold"
    )
