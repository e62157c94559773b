"""The keys of less and VisiData (`j`/`k`, `g`/`G`, `ctrl+f`/`ctrl+b`, `ctrl+d`/`ctrl+u`) on a
screen of lists: each runs the focused list's own move, whatever kind of list it is."""

from __future__ import annotations

from textual.screen import Screen

# The move asked for, and the actions that make it on the lists of these screens: an
# OptionList (and DetailList) names its ends `first` / `last`, a Tree `scroll_home` / `end`.
_MOVES = {
    "first": ("first", "scroll_home"),
    "last": ("last", "scroll_end"),
}


def move_focused(screen: Screen[object], move: str) -> None:
    """Run `move` (cursor_down, cursor_up, page_down, page_up, first, last) on the focused
    widget, if it has such an action (nothing may have focus)."""
    focused = screen.focused
    if focused is None:
        return
    for action in _MOVES.get(move, (move,)):
        run = getattr(focused, f"action_{action}", None)
        if callable(run):
            run()
            return
