"""The Timeline pane: meetings, signings and targets by date, filterable by who or where."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static
from textual.worker import get_current_worker

from .. import timeline
from ..textsafe import clean
from .pane import PREFETCH_MARGIN, Cell, EntityTable
from .safe_text import plain

PAGE = timeline.PAGE
COLUMNS = (("When", 10), ("Precision", 10), ("Kind", 10), ("Name", 40), ("At", 30))
KIND_LABELS = {"meeting": "meeting", "commitment": "commitment"}


def _cell(value: Any, style: str = "") -> str | Cell:
    """A cell as literal text (never markup): a plain string, or a styled `Cell`, the two
    forms EntityTable draws on its short path."""
    text = clean("" if value is None else str(value), single_line=True)
    return Cell(text, style=style, end="", no_wrap=True) if style else text


class TimelineView(Vertical):
    """Loads a page at a time in thread workers, as PaneView does; `about` (a ref) narrows it
    to what that entity takes part in."""

    BINDINGS = [  # noqa: RUF012 - Textual convention
        Binding("x", "clear_filters", "Clear filter", show=False),
    ]

    def __init__(self, kind: str, title: str, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="pane")
        self.kind = kind
        self.title = title
        self.about: tuple[str, str] | None = None  # (ref, name)
        self.rows: list[dict[str, Any]] = []
        self.total: int | None = None  # items under the filter, once counted
        self.exhausted = False
        self.fetching = False  # a page is on its way
        self.generation = 0  # bumps on every reload; stale pages and counts are dropped
        self.started = False  # loads on first show
        self._table: EntityTable | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="pane-status", classes="pane-status", markup=False)

    @property
    def table(self) -> EntityTable:
        """The table, made when first asked for (as PaneView's): start-up composes none."""
        if self._table is None:
            self._table = EntityTable(cursor_type="row", zebra_stripes=True, id="table-timeline")
            for header, width in COLUMNS:
                self._table.add_column(header, width=width)
            self.mount(self._table)
        return self._table

    def on_show(self) -> None:
        self.table  # noqa: B018 - made on first show at the latest
        if not self.started:  # start-up reads only the pane in view
            self.reload()

    # --- loading ------------------------------------------------------------------------------

    def reload(self) -> None:
        """Start again from the first page under the current filter."""
        self.started = True
        self.generation += 1
        self.rows = []
        self.total = None
        self.exhausted = False
        self.fetching = False
        self.table.clear()
        self.table.pending_move = None  # keys pressed for the rows being replaced
        self._status()
        self.load_next_page()
        self.count_rows(self.generation, self._about_ref)

    @property
    def _about_ref(self) -> str | None:
        return self.about[0] if self.about else None

    def load_next_page(self) -> None:
        if self.fetching or self.exhausted:
            return
        self.fetching = True
        after = self.rows[-1]["seq"] if self.rows else None
        self.fetch_page(self.generation, self._about_ref, after)

    @work(thread=True, group="timeline-page")
    def fetch_page(self, generation: int, about: str | None, after: int | None) -> None:
        conn = self.app.store.conn  # type: ignore[attr-defined]
        rows = timeline.page(conn, about, after=after, limit=PAGE)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._add_page, generation, rows)

    @work(thread=True, group="timeline-count")
    def count_rows(self, generation: int, about: str | None) -> None:
        total = timeline.count(self.app.store.conn, about)  # type: ignore[attr-defined]
        self.app.call_from_thread(self._set_total, generation, total)

    def _set_total(self, generation: int, total: int) -> None:
        if generation == self.generation:
            self.total = total
            self._status()

    def _add_page(self, generation: int, rows: list[dict[str, Any]]) -> None:
        if generation != self.generation:
            return
        self.fetching = False
        self.exhausted = len(rows) < PAGE
        self.rows.extend(rows)
        if self.exhausted:
            self.total = len(self.rows)  # every item is here: no need to wait for the count
        for row in rows:
            self.table.add_row(
                _cell(row["when"], "bold" if row["precision"] == "target_year" else ""),
                _cell(row["precision_label"], "dim"),
                _cell(KIND_LABELS.get(row["kind"], row["kind"])),
                _cell(row["name"]),
                _cell(row["via_name"] or row["place"] or "", "dim"),
                key=row["ref"],
            )
        move, self.table.pending_move = self.table.pending_move, None
        if move and rows:
            getattr(self.table, f"action_{move}")()  # a key pressed before its rows were here
        self._status()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row >= self.table.row_count - PREFETCH_MARGIN:
            self.load_next_page()

    # --- filter -------------------------------------------------------------------------------

    def set_about(self, about: tuple[str, str] | None) -> None:
        self.about = about
        self.reload()

    def action_clear_filters(self) -> None:
        if self.about:
            self.set_about(None)

    # --- status -------------------------------------------------------------------------------

    def status_text(self) -> Text:
        total = "…" if self.total is None else str(self.total)
        text = Text(f"{self.title} ", style="bold")
        text.append(total if self.exhausted else f"{len(self.rows)} of {total}")
        if self.about:
            text.append("  with: ", style="dim")
            text.append_text(plain(self.about[1]))
        text.append("  f filter by who or where · enter open", style="dim")
        return text

    def _status(self) -> None:
        self.query_one("#pane-status", Static).update(self.status_text())
