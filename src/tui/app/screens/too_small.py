"""The notice that covers the explorer while its terminal is too small to draw it."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.geometry import Size
from textual.screen import Screen
from textual.widgets import Static

from tui.app.terminal import MIN_HEIGHT, MIN_WIDTH, too_small


class TooSmallScreen(Screen[None]):
    """Covers the explorer while the terminal is smaller than MIN_WIDTH x MIN_HEIGHT. The app's
    keys stay bound, but `RoundtableApp.check_action` lets only quitting through."""

    DEFAULT_CSS = """
    TooSmallScreen { align: center middle; }
    TooSmallScreen #too-small { width: 100%; height: auto; text-align: center; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="too-small", markup=False)

    def on_mount(self) -> None:
        self.show(self.app.size)

    def show(self, size: Size) -> None:
        text = Text(f"Too small: {size.width}x{size.height}\n", style="bold")
        text.append(f"Roundtable needs\n{MIN_WIDTH}x{MIN_HEIGHT} or more.\nq quits")
        self.query_one("#too-small", Static).update(text)


def fit_screen(app: App, size: Size) -> None:
    """Show the too-small notice, update it, or take it away, for a terminal of `size`."""
    notice = app.screen if isinstance(app.screen, TooSmallScreen) else None
    if too_small(size):
        if notice is None:
            app.push_screen(TooSmallScreen())
        else:
            notice.show(size)
    elif notice is not None:
        app.pop_screen()
