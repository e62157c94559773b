"""The main screen: the panes, switched by number keys and Tab / Shift+Tab."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import ContentSwitcher

from tui.app.keys import bindings
from tui.app.navigation import ExplorerAccess
from tui.app.panes import PANES  # pane order is the number-key order
from tui.app.widgets.key_hints import KeyHints
from tui.app.widgets.pane import EntityTable, PaneQuery, PaneView
from tui.app.widgets.pane_bar import PaneBar
from tui.app.widgets.timeline import TimelineView


class MainScreen(Screen, ExplorerAccess):
    crumb = "Panes"

    BINDINGS = bindings("main")

    def compose(self) -> ComposeResult:
        yield PaneBar([title for _, title in PANES], id="pane-bar")
        with ContentSwitcher(initial=f"pane-{PANES[0][0]}", id="panes"):
            for kind, title in PANES:
                view = TimelineView if kind == "timeline" else PaneView
                yield view(kind, title, id=f"pane-{kind}")
        yield KeyHints()

    @property
    def current_pane(self) -> PaneView | TimelineView:
        switcher = self.query_one(ContentSwitcher)
        return self.query_one(f"#{switcher.current}", PaneView | TimelineView)  # type: ignore[arg-type]

    def on_mount(self) -> None:
        self.current_pane.table.focus()

    def action_pane(self, index: int) -> None:
        kind = PANES[index][0]
        self.query_one(ContentSwitcher).current = f"pane-{kind}"
        self.query_one(PaneBar).current = index
        self.crumb = PANES[index][1]
        self.current_pane.table.focus()
        self.explorer.refresh_crumbs()

    def action_pane_step(self, step: int) -> None:
        index = [kind for kind, _ in PANES].index(self.current_pane.kind)
        self.action_pane((index + step) % len(PANES))

    def show_kind(self, kind: str) -> None:
        self.action_pane([k for k, _ in PANES].index(kind))

    def current_ref(self) -> str | None:
        """The ref of the current pane's highlighted row, if any."""
        return self.current_pane.table.cursor_ref

    async def action_filter(self) -> None:
        pane = self.current_pane
        if isinstance(pane, TimelineView):
            from tui.app.screens.timeline_filter import TimelineFilterScreen

            def choose(choice: tuple[str, str] | None) -> None:
                if choice is not None:
                    pane.set_about(choice if choice[0] else None)
                pane.table.focus()

            await self.app.push_screen(TimelineFilterScreen(pane.about), choose)
            return
        from tui.app.screens.filter import FilterScreen

        def apply(query: PaneQuery | None) -> None:
            if query is not None:
                pane.set_query(query)
            pane.table.focus()

        await self.app.push_screen(FilterScreen(pane.kind, pane.title, pane.query_state), apply)

    async def action_export(self) -> None:
        # (awaited until built, as the app's dialogs: see `RoundtableApp.action_search`)
        from tui.app.screens.export import ExportRequest, ExportScreen

        pane = self.current_pane
        if isinstance(pane, TimelineView):
            request = ExportRequest(
                "timeline", pane.title, about=pane.about[0] if pane.about else None,
                described=f"with {pane.about[1]}" if pane.about else "",
            )  # fmt: skip
        else:
            query = pane.query_state
            request = ExportRequest(
                pane.kind, pane.title, filters=dict(query.filters), text=query.text or None,
                described=query.describe(),
            )  # fmt: skip
        await self.app.push_screen(ExportScreen(request))

    def on_entity_table_open_requested(self, event: EntityTable.OpenRequested) -> None:
        self.explorer.open_entity(event.ref)
