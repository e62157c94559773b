"""The one-line pane switcher: `1 Companies  2 Meetings ...`, the current pane in reverse."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static


class PaneBar(Static):
    current: reactive[int] = reactive(0)

    def __init__(self, titles: list[str], *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.titles = titles

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        for index, title in enumerate(self.titles):
            style = "reverse bold" if index == self.current else ""
            text.append(f" {index + 1} {title} " if style else f"{index + 1} {title}", style=style)
            text.append(" ")
        return text
