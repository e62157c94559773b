"""Command palette providers: jump to any entity by name, and run the app's actions."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable
from functools import partial
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import App
from textual.await_complete import AwaitComplete
from textual.binding import BindingType
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.markup import escape
from textual.widgets import Input, OptionList

from tui.app.keys import bindings, palette_commands
from tui.app.navigation import ExplorerAccess
from tui.app.screens.lifecycle import DismissOnce
from tui.data.search import search
from tui.kinds import kind_label
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
                palette_command(self.app, partial(explorer.open_entity, hit.ref)),
                text=hit.name,
                help=escape(
                    clean(f"{kind_label(hit.kind)} · {hit.ref}", single_line=True)
                ),  # markup
            )


class ActionCommands(Provider):
    """The explorer's own actions, as the key table offers them (tui.app.keys)."""

    async def discover(self) -> Hits:
        for title, action, key in palette_commands():
            yield DiscoveryHit(title, self._command(action), help=key)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, action, key in palette_commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), self._command(action), help=key)

    def _command(self, action: str) -> Callable[[], Awaitable[None]]:
        return palette_command(self.app, partial(self.app.run_action, action))


class Palette(DismissOnce, CommandPalette):
    """Textual's command palette, safe under keys typed ahead: it closes once (see
    `DismissOnce`), and a page key before its list is laid out does nothing instead of raising
    (Textual's `OptionList` pages by line positions it has not computed yet)."""

    # (priority, in the key table: a subclass's binding for a key comes after its base's)
    BINDINGS: ClassVar[list[BindingType]] = bindings("palette")

    def dismiss(self, result: object = None) -> AwaitComplete:
        # Its search stops with it: a search still running would fill in a list, and read
        # styles, that are being taken apart (NoMatches, KeyError in COMPONENT_CLASSES).
        self.workers.cancel_node(self)
        return super().dismiss(result)

    @on(Input.Changed)
    def _typed_after_closing(self, event: Input.Changed) -> None:
        if not self.is_active:
            event.prevent_default()  # typed ahead, after Enter or Escape: no new search

    def action_page(self, direction: int) -> None:
        for options in self.query(CommandList):  # none while the palette is being removed
            page(options, direction)


def page(options: OptionList, direction: int) -> None:
    """Move `options` a page up (-1) or down (1); before it has a size, to its first or last
    option if none is highlighted, else nowhere."""
    if options.highlighted is None:
        options.action_first() if direction < 0 else options.action_last()
    elif options.scrollable_content_region:
        options.action_page_up() if direction < 0 else options.action_page_down()


def palette_command(
    app: App[object], command: Callable[[], object]
) -> Callable[[], Awaitable[None]]:
    """`command` as the palette runs it, after the palette has closed: if another palette
    opened in between (keys typed ahead), the command is dropped rather than run under it."""

    async def run() -> None:
        if any(isinstance(screen, CommandPalette) for screen in app.screen_stack):
            app.bell()
            return
        result = command()
        if inspect.isawaitable(result):
            await result

    return run
