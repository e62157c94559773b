"""The path from the panes to here: `Companies › CNPC › Shymkent refinery › Source`."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tui.safe_text import plain

SEPARATOR = " › "


class Breadcrumb(Static):
    def __init__(self) -> None:
        super().__init__(markup=False, classes="breadcrumb")

    def on_mount(self) -> None:
        self.refresh_path()

    def on_resize(self) -> None:
        """Shortened for a narrow screen, the path is whole again when there is room."""
        self.refresh_path()

    def refresh_path(self) -> None:
        crumbs = [str(getattr(screen, "crumb", "")) for screen in self.app.screen_stack]
        crumbs = [c for c in crumbs if c]
        forward = len(getattr(self.app, "forward_stack", []))
        suffix = f"  (] forward {forward})" if forward else ""
        width = max(20, (self.size.width or self.app.size.width) - len(suffix) - 1)
        # Drop the oldest crumbs, not the newest, when the path is wider than the screen.
        dropped = False
        while len(crumbs) > 1 and len(SEPARATOR.join(crumbs)) + (2 if dropped else 0) > width:
            crumbs.pop(0)
            dropped = True
        text = Text(no_wrap=True, overflow="ellipsis")
        if dropped:
            text.append("…" + SEPARATOR, style="dim")
        for index, crumb in enumerate(crumbs):
            if index:
                text.append(SEPARATOR, style="dim")
            last = index == len(crumbs) - 1
            text.append_text(plain(crumb, "bold" if last else "dim"))
        text.append(suffix, style="dim")
        self.update(text)
