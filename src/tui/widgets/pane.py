"""One pane: a kind's entities in a table that loads a page at a time, with filters and sort."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Static
from textual.worker import get_current_worker

from .. import queries
from ..listing import COLUMNS, Column
from .safe_text import plain

PAGE = 100
PREFETCH_MARGIN = 30  # start loading the next page this many rows before the end
FULL_SORT_LIMIT = 5_000  # sort server-side-free by loading all rows up to this many


@dataclass
class PaneQuery:
    """What the pane shows: facet filters and a text filter."""

    filters: dict[str, str] = field(default_factory=dict)
    text: str = ""

    def describe(self) -> str:
        parts = [f"{k}={v}" for k, v in sorted(self.filters.items())]
        if self.text:
            parts.append(f"“{self.text}”")
        return " ".join(parts)


class EntityTable(DataTable):
    """The pane's table; Enter opens the highlighted entity."""

    BINDINGS = [  # noqa: RUF012 - Textual convention
        Binding("enter", "open", "Open", show=True),
    ]

    class OpenRequested(Message):
        def __init__(self, ref: str) -> None:
            super().__init__()
            self.ref = ref

    def action_open(self) -> None:
        if self.row_count and self.cursor_row >= 0:
            row_key = self.coordinate_to_cell_key((self.cursor_row, 0)).row_key
            if row_key.value:
                self.post_message(self.OpenRequested(row_key.value))


class PaneView(Vertical):
    """A kind's list. Rows arrive from a thread worker; nothing loads the whole table."""

    BINDINGS = [  # noqa: RUF012 - Textual convention
        Binding("s", "sort", "Sort"),
        Binding("S", "sort_reverse", "Reverse", show=False),
        Binding("x", "clear_filters", "Clear filter", show=False),
    ]

    def __init__(self, kind: str, title: str, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="pane")
        self.kind = kind
        self.title = title
        self.columns: tuple[Column, ...] = COLUMNS[kind]
        self.query_state = PaneQuery()
        self.rows: list[dict[str, Any]] = []
        self.total: int | None = None
        self.exhausted = False
        self.loading = False
        self.sort_index: int | None = None
        self.sort_reverse = False
        self.generation = 0  # bumps on every reload; stale pages are dropped

    def compose(self) -> ComposeResult:
        yield Static(id="pane-status", classes="pane-status", markup=False)
        table = EntityTable(cursor_type="row", zebra_stripes=True, id=f"table-{self.kind}")
        yield table

    @property
    def table(self) -> EntityTable:
        return self.query_one(EntityTable)

    def on_mount(self) -> None:
        for column in self.columns:
            self.table.add_column(column.header, width=column.width, key=column.key)
        self.reload()

    # --- loading ------------------------------------------------------------------------------

    def reload(self) -> None:
        """Start again from the first page under the current filters."""
        self.generation += 1
        self.rows = []
        self.total = None
        self.exhausted = False
        self.loading = False
        self.table.clear()
        self._update_status()
        self.load_next_page()
        self.count_rows(self.generation)

    def load_next_page(self, *, then_sort: bool = False) -> None:
        if self.loading or self.exhausted:
            return
        self.loading = True
        after = (self.rows[-1]["name"], self.rows[-1]["ref"]) if self.rows else None
        self.fetch_page(self.generation, after, then_sort)

    @work(thread=True, group="pane-page")
    def fetch_page(self, generation: int, after: tuple[str, str] | None, then_sort: bool) -> None:
        store = self.app.store  # type: ignore[attr-defined]
        limit = FULL_SORT_LIMIT if then_sort else PAGE
        page = queries.list_page(
            store.conn,
            self.kind,
            after=after,
            limit=limit,
            filters=self.query_state.filters,
            text=self.query_state.text or None,
        )
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._add_page, generation, page, limit, then_sort)

    @work(thread=True, group="pane-count")
    def count_rows(self, generation: int) -> None:
        store = self.app.store  # type: ignore[attr-defined]
        total = queries.count_matching(
            store.conn,
            self.kind,
            filters=self.query_state.filters,
            text=self.query_state.text or None,
        )
        self.app.call_from_thread(self._set_total, generation, total)

    def _set_total(self, generation: int, total: int) -> None:
        if generation == self.generation:
            self.total = total
            self._update_status()

    def _add_page(
        self, generation: int, page: list[dict[str, Any]], limit: int, then_sort: bool
    ) -> None:
        if generation != self.generation:
            return
        self.loading = False
        self.exhausted = len(page) < limit
        self.rows.extend(page)
        if then_sort:
            self._apply_sort()
        else:
            for row in page:
                self._add_row(row)
        self._update_status()

    def _add_row(self, row: dict[str, Any]) -> None:
        cells = [plain(column.value(row)) for column in self.columns]
        if row.get("reported_differently"):
            cells[-1].stylize("bold")
        self.table.add_row(*cells, key=row["ref"])

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row >= self.table.row_count - PREFETCH_MARGIN:
            self.load_next_page()

    # --- sorting -----------------------------------------------------------------------------

    def action_sort(self) -> None:
        """Cycle the sort column: name order (the default), then each column in turn."""
        self.sort_index = 0 if self.sort_index is None else self.sort_index + 1
        if self.sort_index >= len(self.columns):
            self.sort_index = None
        self.sort_reverse = False
        self._sort_or_load()

    def action_sort_reverse(self) -> None:
        if self.sort_index is None:
            self.sort_index = 0
        self.sort_reverse = not self.sort_reverse
        self._sort_or_load()

    def _sort_or_load(self) -> None:
        if self.sort_index is None:
            self.reload()
            return
        if not self.exhausted and (self.total or 0) <= FULL_SORT_LIMIT:
            self.load_next_page(then_sort=True)  # all rows first, then sort them all
        else:
            self._apply_sort()
        self._update_status()

    def _apply_sort(self) -> None:
        if self.sort_index is not None:
            column = self.columns[self.sort_index]
            key = column.sort_key or (lambda r, c=column: c.value(r).casefold())
            self.rows.sort(key=key, reverse=self.sort_reverse)
        self.table.clear()
        for row in self.rows:
            self._add_row(row)

    # --- filters -----------------------------------------------------------------------------

    def set_query(self, query: PaneQuery) -> None:
        self.query_state = query
        self.sort_index = None
        self.reload()

    def action_clear_filters(self) -> None:
        if self.query_state.filters or self.query_state.text:
            self.set_query(PaneQuery())

    # --- status ------------------------------------------------------------------------------

    def status_text(self) -> Text:
        shown = len(self.rows)
        total = "…" if self.total is None else str(self.total)
        text = Text(f"{self.title} ", style="bold")
        text.append(f"{shown} of {total}" if not self.exhausted else f"{total}")
        described = self.query_state.describe()
        if described:
            text.append("  filter: ", style="dim")
            text.append_text(plain(described))
        if self.sort_index is not None:
            arrow = "↓" if self.sort_reverse else "↑"
            text.append(f"  sort: {self.columns[self.sort_index].header} {arrow}", style="dim")
            if not self.exhausted:
                text.append(" (loaded rows)", style="dim")
        return text

    def _update_status(self) -> None:
        self.query_one("#pane-status", Static).update(self.status_text())
