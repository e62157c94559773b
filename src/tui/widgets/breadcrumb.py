"""The path from the panes to here: `Companies › CNPC › Shymkent refinery › Source`."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from .safe_text import plain

SEPARATOR = " › "


class Breadcrumb(Static):
    def __init__(self) -> None:
        super().__init__(markup=False, classes="breadcrumb")

    def on_mount(self) -> None:
        self.refresh_path()

    def refresh_path(self) -> None:
        crumbs = [str(getattr(screen, "crumb", "")) for screen in self.app.screen_stack]
        crumbs = [c for c in crumbs if c]
        text = Text(no_wrap=True, overflow="ellipsis")
        for index, crumb in enumerate(crumbs):
            if index:
                text.append(SEPARATOR, style="dim")
            last = index == len(crumbs) - 1
            text.append_text(plain(crumb, "bold" if last else "dim"))
        forward = len(getattr(self.app, "forward_stack", []))
        if forward:
            text.append(f"  (] forward {forward})", style="dim")
        self.update(text)
