"""Keep Python's garbage collector out of the way of key presses.

A full collection walks every live object; in an explorer holding thousands of loaded rows it
is a pause of tens to hundreds of milliseconds at an unpredictable moment, felt as a missed
key. So automatic full collections are off: the young generations (where most garbage dies)
are collected as usual, every second what has survived them is frozen (left out of later
collections), and a full collection of everything runs once no key has been pressed for a
second.
"""

from __future__ import annotations

import gc
import time
from typing import Any

IDLE_S = 1.0  # collect fully once the user has been idle this long
CHECK_S = 1.0
SETTLE_S = 0.5  # after start-up (not before the first screen: a full collection takes a while)
FULL_NEVER = 1_000_000  # gen-2 threshold: no automatic full collections


class Collector:
    def __init__(self) -> None:
        self.last_input = time.monotonic()

    def start(self, app: Any) -> None:
        """From `app`'s mount: settle once start-up is painted, then keep collections short."""
        app.set_timer(SETTLE_S, self.settle, name="gc-settle")
        app.set_interval(CHECK_S, self.tick, name="idle-gc")

    def settle(self) -> None:
        gc.collect()
        gc.freeze()
        gc.set_threshold(gc.get_threshold()[0], gc.get_threshold()[1], FULL_NEVER)

    def touched(self) -> None:
        self.last_input = time.monotonic()

    def tick(self) -> None:
        if time.monotonic() - self.last_input >= IDLE_S:
            gc.unfreeze()  # idle: everything, including what died after it was frozen
            gc.collect()
        gc.freeze()  # what survived the young collections is left out of later ones


collector = Collector()
