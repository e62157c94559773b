"""Paint an answer a key is waiting for at once, not at Textual's next frame.

Textual draws what changed on a timer ticking every 1/TEXTUAL_FPS s (tui/__init__.py), and a
change made just after a tick waits for a later one: up to two ticks, as the timer skips ahead
after a pause. For the search's hits, which arrive from a worker after the key, that wait was
most of a slow keystroke (measured at 1M entities, 120 fps: hits set 5 ms after the key were
painted at 20, where the paint itself takes 2-3 ms). `paint_now` runs the screen's update
there and then, through the hook Textual's own test pilot calls to the same end
(`Screen._on_timer_update`, private: tests/test_private_hooks.py fails by name on a Textual
release without it). A paint that is held (`App.batch_update`) still waits for the batch.

It draws only what the screen knows has changed: a widget tells it from its own message
queue, after the change. Called before that, the paint leaves the widget for a later frame
(the search first painted the letter typed alone, its hits a frame later), so the caller
runs it from a callback queued after its changes (tests/test_search_paint.py).
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen


def paint_now(screen: Screen[Any]) -> None:
    """Lay out and draw what changed on `screen` now, if it is the screen shown."""
    if screen.is_current:
        screen._on_timer_update()
