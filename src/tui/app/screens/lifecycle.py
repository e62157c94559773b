"""Screens under keys typed ahead and results arriving late: a screen closes once, and what a
worker read for a screen closed meanwhile is dropped."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.await_complete import AwaitComplete
from textual.screen import Screen

from tui.app.widgets.key_hints import KeyHints


class DismissOnce:
    """Mixin for a Screen (before its Textual base: `class S(DismissOnce, ModalScreen[T])`).

    Textual's `Screen.dismiss` pops the top screen whichever it is, and answers the result
    callback again: dismissed twice, a dialog would close the screen under it (or the last one,
    `ScreenStackError`) and set its result twice (`InvalidStateError`). Here only the screen on
    top closes, and only once."""

    def on_screen_resume(self) -> None:
        """The bottom line under the dialog shows the dialog's keys while it is in front
        (a dialog may be kept, not unmounted, when it closes: the search is)."""
        stack = self.app.screen_stack  # type: ignore[attr-defined]
        under = next((s for s in reversed(stack) if not s.is_modal), None)
        for hints in under.query(KeyHints) if under is not None else ():
            hints.follow(self)

    def on_screen_suspend(self) -> None:
        for screen in self.app.screen_stack:  # type: ignore[attr-defined]
            for hints in screen.query(KeyHints):
                if hints.front is self:
                    hints.follow(None)

    def dismiss(self, result: Any = None) -> AwaitComplete:
        if not self.is_active:  # type: ignore[attr-defined]
            return AwaitComplete.nothing()  # closed already, or another screen is above it
        return super().dismiss(result)  # type: ignore[misc]


def call_while_open(screen: Screen, callback: Callable[..., object], *args: object) -> None:
    """From a worker thread: run `callback(*args)` on the app's thread if `screen` is still
    open by then. A screen closed meanwhile is being taken apart: its widgets are gone
    (`NoMatches`), and there is nothing to show the result on."""
    app = screen.app

    def run() -> None:
        if screen in app.screen_stack:
            callback(*args)

    app.call_from_thread(run)
