"""What the explorer's screens, widgets and commands may ask of the app, typed: its store, the
user's keymap, and opening things. `RoundtableApp` provides it; screens reach it as
`self.explorer` (the app class itself cannot be imported by them: it imports them)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, cast

if TYPE_CHECKING:
    from textual.app import App

    from tui.app.keymap import Keymap
    from tui.data.store import Store


class Explorer(Protocol):
    store: Store
    user_keymap: Keymap  # the keys the user's keymap file rebinds (by key id)

    def open_entity(self, ref: str) -> None: ...

    def open_source(self, article_ref: str, span: tuple[int, int] | None = None) -> None: ...

    def open_network(self, ref: str) -> None: ...

    def refresh_crumbs(self) -> None: ...


class _HasApp(Protocol):
    @property
    def app(self) -> App[Any]: ...


class ExplorerAccess:
    """Mixin for a screen, widget or command provider of the explorer (after its Textual base:
    `class FilterScreen(ModalScreen[...], ExplorerAccess)`)."""

    @property
    def explorer(self: _HasApp) -> Explorer:
        return cast("Explorer", self.app)
