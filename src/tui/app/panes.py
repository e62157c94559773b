"""The panes of the main screen, in number-key order."""

from __future__ import annotations

from tui.kinds import PANE_TITLES

# `timeline` is not a kind: its pane is the Timeline.
PANES: tuple[tuple[str, str], ...] = (
    *((kind, PANE_TITLES[kind]) for kind in (
        "organization", "meeting", "commitment", "person", "place", "indicator", "article"
    )),
    ("timeline", "Timeline"),
)  # fmt: skip
