"""Search everywhere (`/`): one box over all kinds, results as you type.

Each change of the text is handed, as it is made, to the screen's search thread (one thread
worker for the screen's life, `search_loop`, fed through a newest-wins `Mailbox`), and
cancels the search still running (its SQLite query too, through a `CancelToken`), so typing
never waits on a stale search.

The screen is kept: `/` again, or going back from a hit, shows the results as they were, with
the query as typed (selected, so that typing replaces it) and the hit last opened highlighted.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.geometry import Size
from textual.reactive import Reactive
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from tui.app.keys import bindings
from tui.app.mailbox import STANDING, Mailbox
from tui.app.navigation import ExplorerAccess
from tui.app.paint import paint_now
from tui.app.screens.lifecycle import DismissOnce
from tui.app.widgets.hit_list import HitList, Made
from tui.app.widgets.search_hit import hit_lines
from tui.data.db import Cancelled, CancelToken
from tui.data.search import Hit, search, warm

RESULT_LIMIT = 20  # two screens of hits at 80x24; typing more narrows them
ECHO_HOLD_S = 0.06  # the longest a letter typed waits to be painted with its hits
LOOP_POLL_S = 0.25  # how often the search thread, idle, checks that it is still wanted

SearchRequest = tuple[str, int, CancelToken, "int | None"]  # text, sequence, token, width


EDITING_KEYS = frozenset({"backspace", "ctrl+h", "delete", "ctrl+d", "ctrl+u", "ctrl+k", "ctrl+w"})


class SearchBox(Input):
    """The search text. A key that edits it holds the screen's paint (`SearchScreen._hold_paint`)
    before the key is handled: held only once the text has changed, the letter alone would
    start Textual's screen update timer, and the paint of the hits would then wait for that
    timer's next tick (up to a frame: TEXTUAL_FPS, tui/__init__.py) instead of being drawn
    as they arrive.

    Its text's width (`virtual_size`, set by Input on every change) does not lay the screen
    out again: the box's own size never depends on it (one line, the width of the screen's
    box), and scrolling the text reads it as it is. A layout of the whole screen on every
    letter cost 0.6-1 ms of each keystroke."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    def __init__(self, on_edit: Callable[[], None], **options: Any) -> None:
        super().__init__(**options)
        self._on_edit = on_edit

    def on_key(self, event: events.Key) -> None:
        if event.is_printable or (event.key in EDITING_KEYS and self.value):
            self._on_edit()

    def on_paste(self, event: events.Paste) -> None:
        if event.text:
            self._on_edit()


class SearchScreen(DismissOnce, ModalScreen[str | None], ExplorerAccess):
    """Returns the chosen entity's ref, or None. `query_text` is the text its results are for."""

    BINDINGS = bindings("search")

    def __init__(self, initial: str = "") -> None:
        super().__init__()
        self.initial = initial
        self.token: CancelToken | None = None
        self.warm_token: CancelToken | None = None
        self.latest = 0  # sequence number of the newest query; older results are dropped
        self.answered = 0  # sequence number of the results shown
        self._requests: Mailbox[SearchRequest] = Mailbox()
        self._quiet = False  # the text is being set, not typed: no search
        self.refs: list[str] = []
        self.query_text = ""  # the text the results shown are for
        self._held: contextlib.ExitStack | None = None  # the paint held for the hits (ECHO_HOLD_S)
        self._hold_timer: Timer | None = None
        self._summary: Text | None = None  # the status of the hits shown, but where you are
        self._status_shown: Text | None = None
        self._results: HitList[Hit] = HitList(hit_lines, id="search-results")

    def compose(self) -> ComposeResult:
        with Vertical(id="search-box"):
            yield SearchBox(
                self._hold_paint,
                value=self.initial,
                placeholder="Search companies, people, meetings…",
                id="search-input",
                classes="-valid",  # (what its first edit sets: no restyle on the first letter)
            )
            yield Static(id="search-status", markup=False)
            yield self._results

    def on_mount(self) -> None:
        box = self.query_one(Input)
        box.focus()
        # A watcher, not Input.Changed: it runs as the text changes, where the message would
        # reach the screen a few message hops later (0.4-0.5 ms of every keystroke).
        self.watch(box, "value", self._typed, init=False)
        self.warm_token = CancelToken()
        self.search_loop(self.warm_token)
        if self.initial:
            self.start_search(self.initial)
        else:
            self._status(Text("Type to search. ↑↓ choose · Enter open · Esc close", style="dim"))

    @property
    def searching(self) -> bool:
        """Whether the results of the newest search are still to be shown."""
        return self.answered != self.latest

    def reset(self) -> None:
        """Empty again, to be opened anew."""
        if self.token is not None:
            self.token.cancel()
        self.latest += 1  # results still on their way are for the last search
        self.answered = self.latest
        self.refs = []
        self.query_text = ""
        search_input = self.query_one(Input)
        self._quiet = True
        try:
            search_input.value = ""
        finally:
            self._quiet = False
        self.results.set_items([])
        self._status(Text("Type to search. ↑↓ choose · Enter open · Esc close", style="dim"))
        search_input.focus()

    def reopen(self) -> None:
        """Shown again as it was left: the query as typed, selected (typing replaces it), and
        its results with the hit last chosen highlighted."""
        search_input = self.query_one(Input)
        search_input.focus()
        search_input.select_all()  # (focus given back on resume selects nothing)

    def name_of(self, ref: str) -> str:
        """The name of a hit shown (`ref` itself if it is not one)."""
        return next((hit.name for hit in self.results.items if hit.ref == ref), ref)

    def hit_after(self, ref: str, step: int) -> tuple[str, bool] | None:
        """The hit `step` places from `ref` in the results (wrapping), and whether it wrapped;
        None without results. The results list follows, so going back shows it highlighted."""
        if not self.refs:
            return None
        index = self.refs.index(ref) if ref in self.refs else (-1 if step > 0 else 0)
        target = index + step
        wrapped = not 0 <= target < len(self.refs)
        target %= len(self.refs)
        self.results.highlighted = target
        self._moved()
        return self.refs[target], wrapped

    def _typed(self, text: str) -> None:
        if not self._quiet:
            self._hold_paint()
            self.start_search(text)

    def _hold_paint(self) -> None:
        """Paint the letter typed with its hits, not a frame before them: a paint of the box
        alone, while the search runs, takes the time it needs (measured: a keystroke whose
        box painted first took 60-85 ms at 1M, one painted once 40-45 ms). The hold ends
        when the hits are shown, or after `ECHO_HOLD_S` whatever happens (a key that
        changed nothing, such as a letter past the box's limit, is painted then)."""
        if self._held is not None:
            return
        self._held = contextlib.ExitStack()
        self._held.enter_context(self.app.batch_update())
        self._hold_timer = self.set_timer(ECHO_HOLD_S, self._release_paint)

    def _release_paint(self) -> None:
        """End the hold and paint at once: the hits are what the key was waiting for."""
        held, self._held = self._held, None
        if self._hold_timer is not None:
            self._hold_timer.stop()
            self._hold_timer = None
        if held is not None:
            held.close()
            paint_now(self)

    def on_screen_suspend(self) -> None:
        self._release_paint()  # (a hit opened, or the box closed, mid-hold)

    def on_unmount(self) -> None:
        self._requests.close()  # (the search thread ends at once)
        self._release_paint()

    def start_search(self, text: str) -> None:
        if self.warm_token is not None:
            self.warm_token.cancel()  # the user is typing: their search goes first
        if self.token is not None:
            self.token.cancel()
        self.latest += 1
        self.token = CancelToken()
        self._requests.put((text, self.latest, self.token, self.results.prompt_width))

    @work(thread=True, group=STANDING)
    def search_loop(self, warm_token: CancelToken) -> None:
        """The screen's search thread: warm, then answer each request as it comes."""
        worker = get_current_worker()
        self.warm_up(warm_token)
        while not worker.is_cancelled and not self._requests.closed:
            request = self._requests.take(LOOP_POLL_S)
            if request is not None:
                self.run_search(*request)

    def warm_up(self, token: CancelToken) -> None:
        """While the box is still empty, read what the first keystroke's search will need."""
        store = self.explorer.store
        with contextlib.suppress(Cancelled), store.dedicated("search") as conn:
            if not token.cancelled:
                warm(conn)
                search(conn, "a", limit=RESULT_LIMIT, token=token)  # and the code paths

    def run_search(self, text: str, sequence: int, token: CancelToken, width: int | None) -> None:
        """The hits, and their lines at the list's `width` (made here, off the UI thread)."""
        store = self.explorer.store
        try:
            with store.dedicated("search") as conn:
                hits = self.find(conn, text, token)
        except Cancelled:
            return
        made = (width, [hit_lines(hit, width) for hit in hits])
        if not token.cancelled:
            self.app.call_from_thread(self.show_hits, sequence, text, hits, made)

    def find(self, conn: sqlite3.Connection, text: str, token: CancelToken) -> list[Hit]:
        """The hits for `text` (in the search worker)."""
        return search(conn, text, limit=RESULT_LIMIT, token=token)

    def show_hits(
        self,
        sequence: int,
        text: str,
        hits: list[Hit],
        made: Made | None = None,
    ) -> None:
        if sequence != self.latest:
            return
        self.answered = sequence
        results = self.results
        self.refs = [hit.ref for hit in hits]
        self.query_text = text
        results.set_items(hits, made)
        if hits:
            results.highlighted = 0
        self._summary = self.summary(text, hits)
        if self._summary is None:
            self._status(Text("Type to search. ↑↓ choose · Enter open · Esc close", style="dim"))
        else:
            self._status(self._with_position(self._summary))
        # Last: by the time the screen runs it, the widgets changed above have told it so,
        # and the paint that ends the hold draws them all at once.
        self.call_after_refresh(self._release_paint)

    def summary(self, text: str, hits: list[Hit]) -> Text | None:
        """The status line for `hits` found for `text`; None: nothing typed (the hint shows)."""
        if not text.strip():
            return None
        status = Text(f"{len(hits)} hit{'s' if len(hits) != 1 else ''}", style="bold")
        if len(hits) == RESULT_LIMIT:
            status.append(" (the best; type more to narrow)", style="dim")
        if hits and all(hit.fuzzy for hit in hits):
            status.append("  (~ no exact match; showing names within one typo)", style="dim")
        return status

    def _with_position(self, summary: Text) -> Text:
        """`summary` and, when the hits do not all fit (the list has no scrollbar), where the
        highlighted one is: "· 3 of 20"."""
        results = self.results
        chosen = results.highlighted
        if chosen is None or results.virtual_size.height <= results.size.height:
            return summary
        return summary + Text(f"  · {chosen + 1} of {results.item_count}", style="bold")

    def _moved(self) -> None:
        if self._summary is not None:
            self._status(self._with_position(self._summary))

    def _status(self, text: Text) -> None:
        if text == self._status_shown:
            return  # (as a query is typed it is mostly the same: "20 hits (the best; …)")
        self._status_shown = text
        self.query_one("#search-status", Static).update(text, layout=False)  # (one line, always)

    @property
    def results(self) -> HitList[Hit]:
        return self._results  # (also read by the search worker: no DOM query off the UI thread)

    def action_move(self, step: int) -> None:
        results = self.results
        if not results.item_count:
            return
        current = results.highlighted if results.highlighted is not None else -1
        results.highlighted = max(0, min(results.item_count - 1, current + step))
        self._moved()

    @on(Input.Submitted, "#search-input")
    def submitted(self) -> None:
        chosen = self.results.highlighted
        if chosen is not None and chosen < len(self.refs):
            self.dismiss(self.refs[chosen])

    @on(HitList.Chosen, "#search-results")
    def clicked(self, event: HitList.Chosen) -> None:
        if event.index < len(self.refs):
            self.dismiss(self.refs[event.index])

    def action_close(self) -> None:
        if self.token is not None:
            self.token.cancel()
        self.answered = self.latest  # (a search cancelled is not answered: none is awaited)
        self.dismiss(None)
