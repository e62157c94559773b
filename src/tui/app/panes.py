"""The panes of the main screen, in number-key order."""

from __future__ import annotations

# `timeline` is not a kind: its pane is the Timeline.
PANES: tuple[tuple[str, str], ...] = (
    ("organization", "Companies"),
    ("meeting", "Meetings"),
    ("commitment", "Commitments"),
    ("person", "People"),
    ("place", "Places"),
    ("indicator", "Indicators"),
    ("article", "Sources"),
    ("timeline", "Timeline"),
)
