"""Build `rich.text.Text` from untrusted values: never markup, control characters visible."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from tui.kinds import LABEL_WIDTH, kind_label
from tui.textsafe import HIGHLIGHT_END, HIGHLIGHT_START, clean


def plain(value: Any, style: str = "", *, single_line: bool = True) -> Text:
    """`value` as literal text: `[bold]` stays `[bold]`, ESC shows as ␛."""
    return Text(clean("" if value is None else str(value), single_line=single_line), style=style)


def snippet(marked: str, match_style: str = "reverse") -> Text:
    """A search snippet with the words between highlight markers styled."""
    text = Text()
    for part, matched in snippet_parts(marked):
        text.append(part, style=match_style if matched else "")
    return text


def snippet_parts(marked: str) -> list[tuple[str, bool]]:
    """A search snippet's text, cleaned, in parts between its highlight markers, each with
    whether it is a matched word. A snippet may span two quotes (or paragraphs), stored a
    line apart: the break shows as ` … `."""
    parts = marked.replace("\n", " … ").replace(HIGHLIGHT_END, HIGHLIGHT_START)
    return [
        (clean(part, single_line=True), index % 2 == 1)
        for index, part in enumerate(parts.split(HIGHLIGHT_START))
    ]


def kind_badge(kind: str) -> Text:
    """A fixed-width kind tag, styled by kind (bold/dim only, so it reads without colour)."""
    return Text(f"{kind_label(kind):<{LABEL_WIDTH}} ", style="bold")
