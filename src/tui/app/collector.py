"""Keep Python's garbage collector out of the way of key presses.

A full collection walks every live object; in an explorer holding thousands of loaded rows it
is a pause of tens to hundreds of milliseconds at an unpredictable moment, felt as a missed
key. So automatic full collections are off, and collecting waits for gaps between keys:

- The young generations (where most garbage dies) are collected as usual.
- In a gap of `GAP_S` after a key, about once a second, everything not frozen is collected.
  Textual's rendered lines refer to themselves through their caches, and screens and their
  widgets refer to each other, so they die as cycles that only such a collection frees. When
  that walk has grown long (`FREEZE_AFTER_S`: loaded rows, mostly), what survived it is
  frozen, left out of later walks, so the next ones are short again.
- While keys come without a gap (a held key, a paste), nothing is collected: garbage waits for
  the next gap.
- While a worker runs (a key's answer on its way: a search, a detail being read), there is no
  gap: the answer would wait for the walk. Only after `BUSY_MAX_S` without a key is it
  collected anyway (a worker that never ends must not stop collecting).
- Once no key has been pressed for `IDLE_S`, everything is unfrozen and collected, including
  what died after it was frozen (a replaced page). That walk is long (160-250 ms at 1M
  entities once the panes have been read, measured in the benchmark's session), so it waits
  for a real pause: after a second, a person who has read a line and goes on would often
  press a key in the middle of it.

Start-up is no exception (`starting`, before the explorer's modules are imported): a full
collection there walks everything imported so far, and one fell in the first paint, making the
main screen's first render 40-75 ms where the next took 2 (measured in a pseudo-terminal at 1M
entities). Until `settle`, only the young generations are collected.

When the app ends (`stop`, on exit as after a crash), Python's own collection comes back: the
thresholds as they were, nothing frozen.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from typing import Any

from tui.app.mailbox import STANDING

CHECK_S = 0.1
GAP_S = 0.1  # no key for this long: a gap to collect in...
COLLECT_EVERY_S = 1.0  # ...at most this often
FREEZE_AFTER_S = 0.005  # a collection this long: freeze its survivors
IDLE_S = 5.0  # no key for this long: collect everything (once per pause)
SETTLE_S = 0.5  # after start-up (not before the first screen: a full collection takes a while)
BUSY_MAX_S = 3.0  # no key for this long: collect even while a worker runs
FULL_NEVER = 1_000_000  # gen-2 threshold: no automatic full collections


class Collector:
    def __init__(self) -> None:
        self.last_input = time.monotonic()
        self.collected_at = time.monotonic()
        self.full_at = 0.0  # when everything was last collected
        self.saved: tuple[int, int, int] | None = None  # the thresholds before `settle`
        self.busy: Callable[[], bool] = lambda: False  # an answer on its way (`start`)

    def starting(self) -> None:
        """Before start-up's imports: no automatic full collection until `settle`."""
        if self.saved is None:  # (called twice: the first thresholds are the ones to restore)
            self.saved = gc.get_threshold()
        gc.set_threshold(self.saved[0], self.saved[1], FULL_NEVER)

    def start(self, app: Any, pending: Callable[[], bool] = lambda: False) -> None:
        """From `app`'s mount: settle once start-up is painted, then keep collections short.
        Busy while a worker runs (but a standing one, which waits for requests) or while
        `pending()` says an answer is on its way (a standing worker's)."""
        app.set_timer(SETTLE_S, self.settle, name="gc-settle")
        self.busy = lambda: (
            pending()
            or any(worker.is_running and worker.group != STANDING for worker in app.workers)
        )
        app.set_interval(CHECK_S, self.tick, name="idle-gc")

    def settle(self) -> None:
        self.starting()  # (the thresholds as `starting` keeps them, if it has not run)
        gc.collect()
        gc.freeze()

    def stop(self) -> None:
        """Give collecting back to Python: its thresholds as before `settle`, nothing frozen."""
        if self.saved is not None:
            gc.set_threshold(*self.saved)
            self.saved = None
        gc.unfreeze()
        self.busy = lambda: False  # (and lets go of the app)

    def touched(self) -> None:
        self.last_input = time.monotonic()

    def tick(self) -> None:
        now = time.monotonic()
        quiet = now - self.last_input
        if quiet < BUSY_MAX_S and self.busy():
            return  # not a gap: what a key asked for is still being worked out
        if quiet >= IDLE_S and self.full_at < self.last_input:
            gc.unfreeze()  # idle: everything, including what died after it was frozen
            gc.collect()
            gc.freeze()
            self.full_at = self.collected_at = now
        elif quiet >= GAP_S and now - self.collected_at >= COLLECT_EVERY_S:
            started = time.perf_counter()
            gc.collect()  # frozen objects are not walked
            if time.perf_counter() - started >= FREEZE_AFTER_S:
                gc.freeze()
            self.collected_at = now


collector = Collector()
