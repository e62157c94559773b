"""The reader's text of an article: a scrolling column that moves at once, with the keys of less."""

from __future__ import annotations

from textual.containers import VerticalScroll

from tui.app.keys import bindings


class ReaderText(VerticalScroll, can_focus=True):
    """Scrolls without animation (over SSH an animated scroll is a second of redraws) and by
    the keys of less and vim as well as the arrows (`tui.app.keys`, scope "reader_text")."""

    BINDINGS = bindings("reader_text")

    def action_scroll_down(self) -> None:
        self.scroll_down(animate=False)

    def action_scroll_up(self) -> None:
        self.scroll_up(animate=False)

    def action_page_down(self) -> None:
        self.scroll_page_down(animate=False)

    def action_page_up(self) -> None:
        self.scroll_page_up(animate=False)

    def action_half_page(self, step: int) -> None:
        self.scroll_relative(
            y=step * max(1, self.scrollable_content_region.height // 2), animate=False
        )

    def action_scroll_home(self) -> None:
        self.scroll_home(animate=False)

    def action_scroll_end(self) -> None:
        self.scroll_end(animate=False)
