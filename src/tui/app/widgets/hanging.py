"""A line that wraps under its value: `label  a long value that goes on` wraps its value
onto the next line at the value's column, not at the left edge.

A Textual `Visual` made of `Content`, as a plain `Text` prompt becomes: an option list of
them lays out as fast as one of plain lines (a Rich renderable would cost three times as much
per row, which a detail with hundreds of rows would feel)."""

from __future__ import annotations

from rich.text import Text
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual

MIN_VALUE_WIDTH = 16  # a head that leaves less room than this: its body wraps as one text


class Hanging(Visual):
    """Rows of (head, body): each body wraps within the width its head leaves, its next
    lines indented to the body's column. `str()` is the text as read."""

    def __init__(self, *rows: tuple[Text, Text]) -> None:
        self.rows = [(Content.from_rich_text(head), Content.from_rich_text(body))
                     for head, body in rows]  # fmt: skip
        self._lines: tuple[int, list[Content]] | None = None  # (width, lines) last laid out

    def __str__(self) -> str:
        return "\n".join(head.plain + body.plain for head, body in self.rows)

    @property
    def plain(self) -> str:
        return str(self)

    def lines(self, width: int) -> list[Content]:
        """The lines at `width`, each within it."""
        if self._lines is not None and self._lines[0] == width:
            return self._lines[1]
        found: list[Content] = []
        for head, body in self.rows:
            indent = head.cell_length
            if indent + MIN_VALUE_WIDTH > width:  # no room beside the head: one text
                found.extend((head + body).wrap(max(1, width)))
                continue
            wrapped = body.wrap(width - indent) if body.plain else [Content()]
            found.append(head + wrapped[0])
            found.extend(Content(" " * indent) + line for line in wrapped[1:])
        self._lines = (width, found)
        return found

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        if not width:
            return []
        lines = Content("\n").join(self.lines(width))
        return lines.render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return max((head.cell_length + body.cell_length for head, body in self.rows), default=0)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return len(self.lines(width))
