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
    """A search snippet with the words between highlight markers styled. A snippet may span
    two quotes (or paragraphs), stored a line apart: the break shows as ` … `."""
    text = Text()
    on = False
    marked = marked.replace("\n", " … ")
    for part in marked.replace(HIGHLIGHT_END, HIGHLIGHT_START).split(HIGHLIGHT_START):
        text.append(clean(part, single_line=True), style=match_style if on else "")
        on = not on
    return text


def kind_badge(kind: str) -> Text:
    """A fixed-width kind tag, styled by kind (bold/dim only, so it reads without colour)."""
    return Text(f"{kind_label(kind):<{LABEL_WIDTH}} ", style="bold")
