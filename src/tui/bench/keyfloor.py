"""The keystroke floor: what a key costs a bare Textual app that redraws the same hits in the
same widget, with no search at all.

The explorer's keystroke is timed from the key to the paint showing its hits (session.py).
Most of that is not the search: it is Textual taking the key, the input redrawing, the result
list replacing its options and the screen painting. This app does only that: an `Input` and
the explorer's result list (a `HitList` of the same lines, `widgets.search_hit.hit_lines`, for
the same hits the explorer showed for each text typed), filled on the key's own message
from hits found beforehand. Timed by the same clock, its p95 is the floor an explorer
keystroke is compared with (the ratio in the report)."""

from __future__ import annotations

import statistics
from typing import Any

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from tui.app.widgets.hit_list import HitList, Made
from tui.app.widgets.search_hit import hit_lines
from tui.data.search import Hit


class KeyFloorApp(App[None]):
    """Shows `hits[text]` for each text typed, as the search screen shows its results."""

    CSS = """
    #floor-box { width: 100%; max-width: 100; height: 100%; padding: 0 1; }
    #floor-status { height: 1; }
    #floor-results { height: 1fr; }
    """  # (the search screen's sizes: the same cells to draw)

    def __init__(self, hits: dict[str, list[Hit]]) -> None:
        super().__init__()
        self.hits = hits
        self.made: dict[str, Made] = {}
        self.shown: str | None = None  # the text whose hits are in the list

    def prepare(self) -> None:
        """Each text's lines, made beforehand at the list's width (the explorer makes them
        in its search worker, off the UI thread)."""
        width = self.query_one("#floor-results", HitList).prompt_width
        for text, hits in self.hits.items():
            self.made[text] = (width, [hit_lines(hit, width) for hit in hits])

    def compose(self) -> ComposeResult:
        with Vertical(id="floor-box"):
            yield Input(id="floor-input")
            yield Static(id="floor-status", markup=False)
            yield HitList(hit_lines, id="floor-results")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Changed, "#floor-input")
    def changed(self, event: Input.Changed) -> None:
        hits = self.hits.get(event.value, [])
        results: HitList[Hit] = self.query_one("#floor-results", HitList)
        results.set_items(hits, self.made.get(event.value))
        if hits:
            results.highlighted = 0
        self.query_one("#floor-status", Static).update(
            Text(f"{len(hits)} hits", style="bold"), layout=False
        )
        self.shown = event.value


FLOOR_REPEATS = 3  # each key's floor is the median of this many (see `measure_floor`)


async def measure_floor(
    hits: dict[str, list[Hit]], queries: list[str], size: tuple[int, int]
) -> dict[str, list[dict[str, Any]]]:
    """Each query typed a key at a time into the floor app, `FLOOR_REPEATS` times: for each
    key, the median seconds from the key to the paint of its hits (the same clock as the
    explorer's keystrokes).

    The median, not the least: the explorer's keystroke is timed once, and part of what a
    keystroke costs is where Textual's screen update timer stands when the key comes (a
    paint waits for its next frame, up to 1/TEXTUAL_FPS s). The least of three keeps the luckiest of
    three, a floor below what the same redraw typically costs; at 1M, on a machine under
    load, it made the floor's p95 40 ms where the median made it 48 and one pass 61
    (docs/benchmarks.md).

    Each pass starts as the explorer's typing does, after `FIRST_LETTER_PAUSE_S`: a key after
    a pause costs more than one right after another, in a bare app too (measured on this
    floor at 1M: the first key 24-34 ms after the pause, 9 ms without), and the explorer's
    first key comes after that pause. Without it here, the first key of the first query was
    the only one compared with a floor timed in other conditions."""
    from tui.bench.session import FIRST_LETTER_PAUSE_S, PaintClock, _settle

    app = KeyFloorApp(hits)
    clock = PaintClock(app)
    taken: dict[str, list[list[float]]] = {query: [[] for _ in query] for query in queries}
    async with app.run_test(size=size) as pilot:
        await _settle(app, 0.3)
        app.prepare()
        box = app.query_one(Input)
        for _ in range(FLOOR_REPEATS):
            await _settle(app, FIRST_LETTER_PAUSE_S)
            for query in queries:
                for end in range(1, len(query) + 1):
                    char = query[end - 1]
                    key = "space" if char == " " else char

                    def shown(t: str = query[:end]) -> bool:
                        return app.shown == t

                    taken[query][end - 1].append(await clock.step(clock.key(key, char), shown))
                await clock.step(lambda: setattr(box, "value", ""), lambda: app.shown == "")
        await pilot.pause(0)
    return {
        query: [
            {"text": query[:end], "seconds": statistics.median(times)}
            for end, times in enumerate(per_key, start=1)
        ]
        for query, per_key in taken.items()
    }
