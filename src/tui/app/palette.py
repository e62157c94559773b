"""Command palette providers: jump to any entity by name, and run the app's actions."""

from __future__ import annotations

import asyncio
from functools import partial

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from tui.app.keys import palette_commands
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
    """The explorer's own actions, as the key table offers them (tui.app.keys)."""

    async def discover(self) -> Hits:
        for title, action, key in palette_commands():
            yield DiscoveryHit(title, partial(self.app.run_action, action), help=key)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, action, key in palette_commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score, matcher.highlight(title), partial(self.app.run_action, action), help=key
                )
