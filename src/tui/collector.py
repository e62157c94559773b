"""Keep Python's garbage collector out of the way of key presses.

A full collection walks every live object; in an explorer holding thousands of loaded rows it
is a pause of tens to hundreds of milliseconds at an unpredictable moment, felt as a missed
key. So automatic full collections are off, and collecting waits for gaps between keys:

- The young generations (where most garbage dies) are collected as usual.
- In a gap of `GAP_S` after a key, about once a second, what has survived them since the last
  time is collected (a walk over the last moment's survivors only: a few milliseconds) and
  what is still alive is frozen, left out of all later collections. Textual's rendered lines
  refer to themselves through their caches, so they die as cycles that only such a collection
  frees.
- While keys come without a gap (a held key, a paste), survivors are frozen every
  `FREEZE_EVERY_S` without being collected, so no collection grows long; what dies later waits
  for the next pause.
- Once no key has been pressed for `IDLE_S`, everything is unfrozen and collected, including
  what died after it was frozen (a closed screen, a replaced page).
"""

from __future__ import annotations

import gc
import time
from typing import Any

CHECK_S = 0.1
GAP_S = 0.1  # no key for this long: a gap to collect the recent survivors in
COLLECT_EVERY_S = 1.0  # at most this often
FREEZE_EVERY_S = 1.0  # without gaps, freeze the survivors uncollected this often
IDLE_S = 1.0  # no key for this long: collect everything (once per pause)
SETTLE_S = 0.5  # after start-up (not before the first screen: a full collection takes a while)
FULL_NEVER = 1_000_000  # gen-2 threshold: no automatic full collections


class Collector:
    def __init__(self) -> None:
        self.last_input = time.monotonic()
        self.collected_at = self.frozen_at = time.monotonic()
        self.full_at = 0.0  # when everything was last collected

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
        now = time.monotonic()
        quiet = now - self.last_input
        if quiet >= IDLE_S and self.full_at < self.last_input:
            gc.unfreeze()  # idle: everything, including what died after it was frozen
            gc.collect()
            gc.freeze()
            self.full_at = self.collected_at = self.frozen_at = now
        elif quiet >= GAP_S and now - self.collected_at >= COLLECT_EVERY_S:
            gc.collect()  # frozen objects are not walked: only the recent survivors
            gc.freeze()
            self.collected_at = self.frozen_at = now
        elif now - self.frozen_at >= FREEZE_EVERY_S:
            gc.freeze()
            self.frozen_at = now


collector = Collector()
