"""Command palette providers: jump to any entity by name, and run the app's actions."""

from __future__ import annotations

import asyncio
from functools import partial

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from tui.app.navigation import ExplorerAccess
from tui.data.search import search
from tui.textsafe import clean


class EntityCommands(Provider, ExplorerAccess):
    """Any entity by name: the same search as `/`, typo and transliteration tolerant."""

    async def search(self, query: str) -> Hits:
        explorer = self.explorer
        hits = await asyncio.to_thread(lambda: search(explorer.store.conn, query, limit=15))
        for rank, hit in enumerate(hits):
            yield Hit(
                1.0 - rank / 100,
                Text(clean(hit.name, single_line=True)),
                partial(explorer.open_entity, hit.ref),
                text=hit.name,
                help=f"{hit.kind} · {hit.ref}",
            )


class ActionCommands(Provider):
    """The explorer's own actions: panes, search, help."""

    def _actions(self) -> list[tuple[str, str, str]]:
        from tui.app.screens.main import PANES

        actions = [
            (f"Go to {title}", f"show_pane('{kind}')", f"pane {i + 1}")
            for i, (kind, title) in enumerate(PANES)
        ]
        actions += [
            ("Search everything", "search", "/"),
            ("Export the current pane (csv, json, jsonl, FtM)", "export_pane", "e"),
            ("Copy the current entity's ref", "copy_ref", "y"),
            ("Who met whom (network of this person or organization)", "network", "w"),
            ("Totals by organization, sector, country, category", "totals", "T"),
            ("Corroboration: reported differently, single source", "corroboration", "r"),
            ("Show keys", "help", "?"),
            ("Back", "back", "escape"),
            ("Forward", "forward", "]"),
        ]
        return actions

    async def discover(self) -> Hits:
        for name, action, key in self._actions():
            yield DiscoveryHit(name, partial(self.app.run_action, action), help=key)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, action, key in self._actions():
            score = matcher.match(name)
            if score > 0:
                yield Hit(
                    score, matcher.highlight(name), partial(self.app.run_action, action), help=key
                )
