"""The explorer: panes, detail, source reader and search over a read-only database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen

from .commands import ActionCommands, EntityCommands
from .screens.detail import DetailScreen
from .screens.help import HelpScreen
from .screens.main import MainScreen
from .screens.search import SearchScreen
from .screens.source import SourceScreen
from .store import Store
from .widgets.breadcrumb import Breadcrumb


@dataclass(frozen=True)
class Location:
    """Somewhere the history can return to: an entity, or an article at a quote."""

    ref: str
    span: tuple[int, int] | None = None

    def screen(self) -> Screen:
        if self.ref.startswith("article:"):
            return SourceScreen(self.ref, self.span)
        return DetailScreen(self.ref)


class RoundtableApp(App[int]):
    TITLE = "Roundtable"
    CSS_PATH = "styles/app.tcss"
    COMMANDS: ClassVar = App.COMMANDS | {EntityCommands, ActionCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit"),
        Binding("slash", "search", "Search"),
        Binding("question_mark", "help", "Keys"),
        Binding("right_square_bracket", "forward", "Forward", show=False),
        Binding("alt+left", "back", "Back", show=False),
        Binding("alt+right", "forward", "Forward", show=False),
    ]

    def __init__(self, db_path: Path, start_ref: str | None = None) -> None:
        super().__init__()
        self.store = Store(db_path)
        self.start_ref = start_ref
        self.forward_stack: list[Location] = []

    def on_mount(self) -> None:
        self.push_screen(MainScreen())
        if self.start_ref:
            self.open_entity(self.start_ref)

    def on_unmount(self) -> None:
        self.store.close()

    # --- navigation --------------------------------------------------------------------------

    def _go(self, location: Location) -> None:
        self.forward_stack.clear()
        screen = location.screen()
        screen.location = location  # type: ignore[attr-defined]
        self.push_screen(screen)

    def open_entity(self, ref: str) -> None:
        """Open the detail of `ref` (an article opens in the source reader)."""
        self._go(Location(ref))

    def open_source(self, article_ref: str, span: tuple[int, int] | None = None) -> None:
        """Open an article with the quote at `span` highlighted and in view."""
        self._go(Location(article_ref, span))

    def action_back(self) -> None:
        if isinstance(self.screen, MainScreen) or len(self.screen_stack) <= 2:
            return
        location = getattr(self.screen, "location", None)
        self.pop_screen()
        if location is not None:
            self.forward_stack.append(location)
        self.refresh_crumbs()

    def action_forward(self) -> None:
        if not self.forward_stack:
            self.bell()
            return
        location = self.forward_stack.pop()
        screen = location.screen()
        screen.location = location  # type: ignore[attr-defined]
        self.push_screen(screen)

    def refresh_crumbs(self) -> None:
        for crumb in self.screen.query(Breadcrumb):
            crumb.refresh_path()

    def action_show_pane(self, kind: str) -> None:
        while len(self.screen_stack) > 2:
            self.pop_screen()
        main = self.screen_stack[-1]
        if isinstance(main, MainScreen):
            main.show_kind(kind)

    # --- modal helpers -----------------------------------------------------------------------

    def action_search(self) -> None:
        if isinstance(self.screen, SearchScreen):
            return

        def chosen(ref: str | None) -> None:
            if ref:
                self.open_entity(ref)

        self.push_screen(SearchScreen(), chosen)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())


def run_explorer(
    db_path: Path,
    *,
    start_ref: str | None = None,
    mouse: bool = True,
    probe: Callable[[Path], Any] | None = None,
) -> int:
    """Run the explorer; returns its exit code (non-zero if the app crashed)."""
    app = RoundtableApp(db_path, start_ref)
    app.run(mouse=mouse)
    return app.return_code or 0
