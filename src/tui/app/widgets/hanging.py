"""A line that wraps under its value: `label  a long value that goes on` wraps its value
onto the next line at the value's column, not at the left edge."""

from __future__ import annotations

from collections.abc import Iterator

from rich.console import Console, ConsoleOptions
from rich.measure import Measurement
from rich.text import Text

MIN_VALUE_WIDTH = 16  # a head wider than the room leaves this much: the rest wraps under it


class Hanging:
    """Rows of (head, body): each body wraps within the width its head leaves, its next
    lines indented to the body's column. `str()` is the text as read."""

    def __init__(self, *rows: tuple[Text, Text]) -> None:
        self.rows = rows

    def __str__(self) -> str:
        return "\n".join(head.plain + body.plain for head, body in self.rows)

    @property
    def plain(self) -> str:
        return str(self)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        widest = max((head.cell_len + body.cell_len for head, body in self.rows), default=0)
        return Measurement(min(widest, MIN_VALUE_WIDTH), widest)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Text]:
        width = options.max_width
        for head, body in self.rows:
            indent = head.cell_len
            if indent + MIN_VALUE_WIDTH > width:  # no room beside the head: wrap as one text
                yield Text.assemble(head, body, end="\n")
                continue
            lines = body.wrap(console, width - indent, overflow="fold") if body.plain else [Text()]
            for number, line in enumerate(lines):
                shown = head.copy() if number == 0 else Text(" " * indent)
                shown.append_text(line)
                shown.no_wrap = True
                shown.end = "\n"
                yield shown
