"""The one-line pane switcher: `1 Companies  2 Meetings ...`, the current pane in reverse.

When every title does not fit the width, the other panes' titles are cut (`3 Commi…`) just
enough to fit; the current pane's title is always whole."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static


def bar_text(titles: list[str], current: int, width: int) -> Text:
    """The bar for `width` cells, cutting the longest other titles first."""
    lengths = [len(title) for title in titles]

    def entries() -> list[str]:
        shown = []
        for index, title in enumerate(titles):
            if index == current:
                shown.append(f" {index + 1} {title} ")
                continue
            if lengths[index] < len(title):
                title = title[: lengths[index] - 1] + "…"
            shown.append(f"{index + 1} {title}")
        return shown

    chosen = entries()
    while width and sum(len(e) + 1 for e in chosen) > width:
        others = [i for i in range(len(titles)) if i != current and lengths[i] > 4]
        if not others:
            break
        longest = max(others, key=lambda i: (lengths[i], -i))
        lengths[longest] -= 1
        chosen = entries()
    text = Text(no_wrap=True, overflow="ellipsis")
    for index, entry in enumerate(chosen):
        text.append(entry, style="reverse bold" if index == current else "")
        text.append(" ")
    return text


class PaneBar(Static):
    current: reactive[int] = reactive(0)

    def __init__(self, titles: list[str], *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.titles = titles

    def render(self) -> Text:
        return bar_text(self.titles, self.current, self.size.width or self.app.size.width)
