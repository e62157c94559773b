"""Drive the real explorer in-process and time what a person waits for, key press to paint.

Run as `python -m tui.bench.session DB QUERIES_JSON OUT_JSON` (the benchmark does, in a child
process of its own so that the peak memory it reports is the explorer's).

Method: the app runs under `App.run_test()` (Textual's headless driver, the app's own code and
workers unchanged). Keys go in through the driver like a terminal's keys. `App._display`, which
receives every screen update the compositor produces, is wrapped: it also renders the update to
the bytes a terminal would be sent (the headless driver skips that step) and then checks the
condition the step waits for (the search results for the text typed so far are in the list,
the cursor has moved, the detail is shown). A step's latency is from just before its key is
sent to the end of the first paint at which the condition holds.

After the explorer, the same queries are typed into a bare Textual app that redraws the same
hits in the same widget (keyfloor.py): the floor a keystroke is compared with.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual import events

from tui.bench.pagecache import read_through

SIZE = (120, 40)
STEP_TIMEOUT_S = 30.0
DEEP_TIMEOUT_S = 600.0  # to the end of the largest pane: every page of it is read
PAGE_DOWNS = 40  # per pane
DETAIL_OPENS = 15
FIRST_LETTER_PAUSE_S = 0.3  # a person takes a moment before the first letter (keyfloor.py too)


class PaintClock:
    """Times steps from a key press to the first paint showing their result."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.waiter: tuple[Callable[[], bool], asyncio.Future[float]] | None = None
        self.started = 0.0
        original = app._display

        def display(screen: Any, renderable: Any) -> None:
            original(screen, renderable)
            if renderable is None or app._batch_count:
                return
            if app.is_headless:
                renderable.render_segments(app.console)  # what a terminal would be sent
            waiter = self.waiter
            if waiter is not None and not waiter[1].done() and waiter[0]():
                waiter[1].set_result(time.perf_counter())

        app._display = display

    async def step(
        self, act: Callable[[], None], done: Callable[[], bool], timeout: float = STEP_TIMEOUT_S
    ) -> float:
        """Seconds from `act()` to the end of the first paint after which `done()` holds."""
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self.waiter = (done, future)
        started = self.started = time.perf_counter()
        act()
        try:
            finished = await asyncio.wait_for(future, timeout)
        finally:
            self.waiter = None
        return finished - started

    async def then(self, done: Callable[[], bool]) -> float:
        """After `step`: seconds from that step's key to the first paint where `done()` holds."""
        if done():
            return time.perf_counter() - self.started
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self.waiter = (done, future)
        try:
            finished = await asyncio.wait_for(future, STEP_TIMEOUT_S)
        finally:
            self.waiter = None
        return finished - self.started

    def key(self, key: str, char: str | None = None) -> Callable[[], None]:
        def send() -> None:
            self.app._driver.send_message(events.Key(key, char))

        return send


def _rss(field: str = "VmRSS") -> int:
    """Resident memory now (VmRSS) or at its peak (VmHWM), in bytes (Linux)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _reset_peak_rss() -> bool:
    """Start VmHWM again from the present RSS (Linux: writing 5 to /proc/self/clear_refs)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


async def deep_scroll(app: Any, clock: PaintClock, pane: Any, key: str) -> dict[str, Any]:
    """Open `pane` (its number key), go from its top to its end (ctrl+end: every page read, a
    window of them held) and back to the top (ctrl+home); the time of each and the memory of
    the walk: RSS before and after, and its peak (the whole session's if it cannot be reset).
    The pane must have more than one row (the cursor must move for a paint to be timed)."""
    main = app.screen
    if main.current_pane is not pane:  # (a key that changes nothing paints nothing)
        await clock.step(clock.key(key, key), lambda: main.current_pane is pane)
    table = pane.table
    if table.cursor_row > 0:  # from the top (the walk then always moves the cursor)
        await clock.step(clock.key("ctrl+home"), lambda: table.cursor_row == 0)
    await _settle(app)
    before = _rss()
    reset = _reset_peak_rss()
    to_end = await clock.step(
        clock.key("ctrl+end"),
        lambda: pane.exhausted and table.row_count and table.cursor_row == table.row_count - 1,
        timeout=DEEP_TIMEOUT_S,
    )
    peak, after, held = _rss("VmHWM"), _rss(), len(pane.rows)
    back = await clock.step(
        clock.key("ctrl+home"),
        lambda: table.cursor_row == 0 and table.cursor_ref is not None,
    )
    return {
        "pane": pane.kind,
        "rows": table.row_count,
        "to_end_s": to_end,
        "back_s": back,
        "rows_held": held,
        "rss_before_bytes": before,
        "rss_after_bytes": after,
        "peak_rss_bytes": peak,
        "peak_is_of_the_walk": reset,
    }


def at_the_end(pane: Any) -> bool:
    """Whether the pane's cursor is on the last row of a list known to have ended."""
    return bool(pane.exhausted and pane.table.cursor_row >= pane.table.row_count - 1)


async def _settle(app: Any, seconds: float = 0.05) -> None:
    await asyncio.sleep(seconds)


async def measure(
    db: Path, queries: list[str], hub_ref: str, *, warm: bool = True
) -> dict[str, Any]:
    """Each timed part of the session, in order; with `warm`, the database file read into
    the page cache before the panes and again before the search (pagecache.py: the panes,
    the deep scroll and the detail take over a minute at 1M, long enough for idle pages to
    be paged out again)."""
    from tui.app.explorer import RoundtableApp
    from tui.app.screens.detail import DetailScreen
    from tui.app.screens.main import PANES, MainScreen
    from tui.app.screens.search import SearchScreen
    from tui.app.widgets.detail_list import DetailList
    from tui.app.widgets.pane import PaneView
    from tui.app.widgets.timeline import TimelineView

    app = RoundtableApp(db)
    clock = PaintClock(app)
    result: dict[str, Any] = {"search": {}, "panes": {}, "detail": [], "rss": {}}
    result["page_cache"] = [{"before": "panes", **read_through(db)}] if warm else []
    async with app.run_test(size=SIZE) as pilot:
        main = app.screen
        assert isinstance(main, MainScreen)
        first = main.query_one(f"#pane-{PANES[0][0]}", PaneView)
        deadline = time.monotonic() + STEP_TIMEOUT_S
        while not first.rows and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        await _settle(app, 0.5)
        result["rss"]["started"] = _rss()

        # --- panes: open each (number key), then page down through it ---------------------
        for index, (kind, _title) in enumerate(PANES):
            pane = main.query_one(f"#pane-{kind}")
            if not isinstance(pane, PaneView | TimelineView) or index >= 9:
                continue  # the panes with a number key each

            def is_open(p: PaneView | TimelineView = pane) -> bool:
                return main.current_pane is p and p.table.row_count > 0

            opened = await clock.step(clock.key(str(index + 1), str(index + 1)), is_open)
            pages: list[float] = []
            for _ in range(PAGE_DOWNS):
                table = pane.table
                before = table.cursor_row
                if at_the_end(pane):
                    break

                # A list of exactly a page's multiple learns it has ended only when the read
                # after its last page comes back empty: a PageDown on its last row then has
                # nowhere to go. That step ends there and is not a page down (not counted).
                def moved(t: Any = table, b: int = before, p: Any = pane) -> bool:
                    return bool(t.cursor_row > b) or at_the_end(p)

                taken = await clock.step(clock.key("pagedown"), moved)
                if table.cursor_row <= before:
                    break
                pages.append(taken)
            result["panes"][kind] = {"open": opened, "page_down": pages, "rows": pane.loaded}
            await _settle(app)
            result["rss"][f"pane {kind}"] = _rss()

        # --- deep scroll: to the end of the longest pane and back -------------------------
        panes = [
            (index, pane)
            for index, (kind, _title) in enumerate(PANES[:9])
            if isinstance(pane := main.query_one(f"#pane-{kind}"), PaneView | TimelineView)
        ]
        index, longest = max(panes, key=lambda found: found[1].total or 0)
        peak_so_far = _rss("VmHWM")
        result["deep_scroll"] = await deep_scroll(app, clock, longest, str(index + 1))

        # --- detail of the entity with the most links -------------------------------------
        # "open": the detail is painted with its fields, own links and sources; "complete":
        # also with the two-hop groups (partners, places), which a big entity gains after.
        from tui.app.collector import collector
        from tui.data.queries import link_counts

        every_relation = set(link_counts(app.store.conn, hub_ref))
        result["detail_complete"] = []

        def complete() -> bool:
            details = getattr(app.screen, "details", None)
            return details is not None and set(details["link_counts"]) >= every_relation

        def open_hub() -> None:  # as Enter would
            collector.touched()
            app.open_entity(hub_ref)

        for _ in range(DETAIL_OPENS):
            result["detail"].append(
                await clock.step(
                    open_hub,
                    lambda: isinstance(app.screen, DetailScreen) and app.screen.details is not None,
                )
            )
            result["detail_complete"].append(await clock.then(complete))
            links = app.screen.query_one("#detail-links", DetailList).option_count
            result["detail_options"] = links
            app.pop_screen()
            await _settle(app)
        result["rss"]["detail"] = _rss()

        # --- search: type each query a key at a time, waiting for each key's results ------
        if warm:
            result["page_cache"].append({"before": "search", **read_through(db)})
            await _settle(app, 0.5)
        await clock.step(clock.key("slash", "/"), lambda: isinstance(app.screen, SearchScreen))
        await _settle(app, FIRST_LETTER_PAUSE_S)
        search = app.screen
        assert isinstance(search, SearchScreen)
        applied: dict[str, Any] = {"sequence": 0}
        show_hits = search.show_hits
        shown_hits: dict[str, list[Any]] = {}  # for the keystroke floor (keyfloor.py)

        def recording(sequence: int, text: str, hits: list[Any], *made: Any) -> None:
            show_hits(sequence, text, hits, *made)
            applied["sequence"] = sequence
            applied["text"] = text
            applied["hits"] = len(hits)
            shown_hits[text] = hits

        search.show_hits = recording  # type: ignore[method-assign,assignment]
        box = search.query_one("#search-input")
        for query in queries:
            samples: list[dict[str, Any]] = []
            for end in range(1, len(query) + 1):
                char = query[end - 1]
                key = "space" if char == " " else char

                def answered(t: str = query[:end]) -> bool:
                    return applied.get("text") == t and applied["sequence"] == search.latest

                seconds = await clock.step(clock.key(key, char), answered)
                samples.append({"text": query[:end], "seconds": seconds, "hits": applied["hits"]})
            result["search"][query] = samples
            result["rss"][f"search {query}"] = _rss()
            await clock.step(
                lambda: setattr(box, "value", ""),
                lambda: applied.get("text") == "" and applied["sequence"] == search.latest,
            )
        await pilot.press("escape")
    # --- the keystroke floor: the same hits redrawn by a bare Textual app ------------------
    from tui.bench.keyfloor import measure_floor

    result["search_floor"] = await measure_floor(shown_hits, queries, SIZE)
    # this program's own peak (reset by exec, and for the deep scroll: the larger of the two)
    result["peak_rss_bytes"] = max(peak_so_far, _rss("VmHWM"))
    return result


def main(argv: list[str]) -> int:
    db, queries_json, out = argv
    spec = json.loads(queries_json)
    found = asyncio.run(measure(Path(db), spec["queries"], spec["hub"], warm=spec["warm"]))
    Path(out).write_text(json.dumps(found), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
