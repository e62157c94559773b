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


_HALF = {"half_down": 1, "half_up": -1}  # ctrl+d / ctrl+u


def move_focused(screen: Screen[object], move: str) -> None:
    """Run `move` (cursor_down, cursor_up, page_down, page_up, half_down, half_up, first,
    last) on the focused widget, if it has such an action (nothing may have focus)."""
    focused = screen.focused
    if focused is None:
        return
    if move in _HALF:  # half a page: the list's own, or that many lines
        step = _HALF[move]
        half_page = getattr(focused, "action_half_page", None)
        if callable(half_page):
            half_page(step)
            return
        line = getattr(focused, "action_cursor_down" if step > 0 else "action_cursor_up", None)
        where = "highlighted" if hasattr(focused, "highlighted") else "cursor_line"
        if callable(line):
            for _ in range(max(1, focused.scrollable_content_region.height // 2)):
                before = getattr(focused, where, None)
                line()
                after = getattr(focused, where, None)
                if before is not None and (after is None or (after - before) * step < 0):
                    setattr(focused, where, before)  # it wrapped round: stay at the end
                    return
        return
    for action in _MOVES.get(move, (move,)):
        run = getattr(focused, f"action_{action}", None)
        if callable(run):
            run()
            return
