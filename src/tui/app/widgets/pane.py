"""One pane: a kind's entities in a table that loads a page at a time, with filters and sort."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from rich.cells import cell_len, set_cell_size
from rich.console import Console, ConsoleOptions
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.cache import LRUCache
from textual.containers import Vertical
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip
from textual.widgets import DataTable, Static
from textual.widgets.data_table import RowKey
from textual.worker import get_current_worker

from tui.app.keys import bindings
from tui.app.navigation import ExplorerAccess
from tui.data import queries
from tui.data.listing import COLUMNS, Column
from tui.safe_text import plain
from tui.textsafe import clean

CACHED_LINES = 200  # rendered lines (and rows) kept: a few screens
PREFETCH_MARGIN = 90  # load the next page this many rows before the end (two screens)
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


class _PassStyles:
    """A component's styles with their Rich style worked out once (see `get_component_styles`)."""

    __slots__ = ("_styles", "rich_style")

    def __init__(self, styles: Any) -> None:
        self._styles = styles
        self.rich_style: Style = styles.rich_style

    def __getattr__(self, name: str) -> Any:
        return getattr(self._styles, name)


class Cell(Text):
    """A one-line table cell. Measured by its length: a pane's columns have fixed widths, so
    the word-by-word measuring DataTable does for every new cell is wasted work."""

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        width = cell_len(self.plain)
        return Measurement(width, width)


class EntityTable(DataTable):
    """The pane's table; Enter opens the highlighted entity.

    Body cells render on a short path: the cell's text cropped to the column and padded, with
    exactly the styles DataTable's general path (Styled, Padding, wrapping) gives it, cached by
    row and column rather than flushed whenever a row is added. Paging through a large list
    then draws only the rows that come into view."""

    BINDINGS = bindings("table")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._fast_cells: dict[tuple[Any, ...], list[list[Segment]]] = {}
        self._pass_style: Style | None = None
        self._pass_settings: tuple[Any, ...] | None = None
        self._pass_components: dict[tuple[str, ...], _PassStyles] | None = None
        super().__init__(*args, **kwargs)
        # A few screens' worth: every cached line is live objects the garbage collector walks,
        # and DataTable's defaults (thousands) make its full collections long pauses.
        self._row_render_cache = LRUCache(CACHED_LINES)
        self._line_cache = LRUCache(CACHED_LINES)
        self._row_renderable_cache = LRUCache(CACHED_LINES)
        self._cell_render_cache = LRUCache(CACHED_LINES * 4)

    @property
    def rich_style(self) -> Style:
        # Asked once per line drawn, and each time it walks every ancestor's styles: within one
        # render pass (render_lines) it cannot change, so it is worked out once per pass.
        style = self._pass_style
        return style if style is not None else super().rich_style

    def render_lines(self, crop: Region) -> list[Strip]:
        self._pass_style = super().rich_style
        self._pass_settings = self._cell_settings()
        self._pass_components = {}
        try:
            return super().render_lines(crop)
        finally:
            self._pass_style = None
            self._pass_settings = None
            self._pass_components = None

    def get_component_styles(self, *names: str) -> Any:
        # DataTable asks for its header and row styles on every line it draws, and each ask
        # merges the component's styles anew: within one render pass they are asked once.
        cache = self._pass_components
        if cache is None:
            return super().get_component_styles(*names)
        found = cache.get(names)
        if found is None:
            found = cache[names] = _PassStyles(super().get_component_styles(*names))
        return found

    def _cell_settings(self) -> tuple[Any, ...]:
        """What every cell of a render pass reads (reactives: each read has a cost)."""
        return (
            self.fixed_rows,
            self.fixed_columns,
            self.show_cursor,
            self._show_hover_cursor,
            self.cursor_foreground_priority == "css",
            self.cursor_background_priority == "css",
            self.cell_padding,
            self._pseudo_class_state,
        )

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        # Every column has a fixed width and every row one line: nothing to measure, only the
        # scrollable size to set. (DataTable measures each new cell to size auto columns.)
        if self._labelled_row_exists or any(c.auto_width for c in self.columns.values()):
            super()._update_dimensions(new_rows)
            return
        rows = [self.rows[key] for key in new_rows if key in self.rows]
        if any(row.label is not None or row.auto_height for row in rows):
            super()._update_dimensions(new_rows)
            return
        width = sum(column.get_render_width(self) for column in self.columns.values())
        header = self.header_height if self.show_header else 0
        total = self._total_row_height + header
        self.virtual_size = Size(width + self._row_label_column_width, total)

    def _clear_caches(self) -> None:
        super()._clear_caches()
        self._fast_cells.clear()

    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ) -> list[list[Segment]]:
        if row_index < 0 or column_index < 0:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        settings = self._pass_settings or self._cell_settings()
        fixed_rows, fixed_columns, show_cursor, show_hover, css_fg, css_bg, pad, state = settings
        row_key = self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        key = (row_key, column_key, row_index, base_style, width, cursor, hover, show_hover, state)
        found = self._fast_cells.get(key)
        if found is not None:
            return found
        row = self.rows.get(row_key)
        value = self._data.get(row_key, {}).get(column_key)
        if isinstance(value, str):  # a pane's plain cell: literal text, never markup
            value = Cell(value, end="", no_wrap=True)
        if not isinstance(value, Cell) or row is None or row.height != 1 or "\n" in value.plain:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        fixed = row_index < fixed_rows or column_index < fixed_columns
        component_style, post_style = self._get_styles_to_render_cell(
            False, False, fixed, hover, cursor, show_cursor, show_hover, css_fg, css_bg
        )
        # As DataTable: base + the cell's row/column (for the mouse) + component (+ post). The
        # metadata, unique to each cell, goes on last, so the rest is one of a few styles.
        meta = Style.from_meta({"row": row_index, "column": column_index})
        styled = base_style + component_style
        full = styled + post_style + meta  # what an unstyled span (and the padding) gets
        inner = max(0, width - 2 * pad)
        segments = [Segment(" " * pad, full)] if pad else []
        if value._spans or value.style:
            console = self.app.console
            text = value.copy()
            text.truncate(inner)
            own_style = console.get_style(value.style) if value.style else Style.null()
            for segment in text.render(console, end=""):
                style = own_style + segment.style if segment.style else own_style
                own = full if style._null else styled + style + post_style + meta
                segments.append(Segment(segment.text, own))
            shown = text.cell_len
        else:  # plain text, the common case: one segment
            words = value.plain
            if cell_len(words) > inner:
                words = set_cell_size(words, inner)
            segments.append(Segment(words, full))
            shown = cell_len(words)
        short = inner - shown
        if short > 0:
            segments.append(Segment(" " * short, full))
        if pad:
            segments.append(Segment(" " * pad, full))
        lines = [segments]
        if len(self._fast_cells) > CACHED_LINES * 12:
            self._fast_cells.clear()
        self._fast_cells[key] = lines
        return lines

    class OpenRequested(Message):
        def __init__(self, ref: str) -> None:
            super().__init__()
            self.ref = ref

    pending_move: str | None = None  # a move asked for at the last loaded row

    def action_page_down(self) -> None:
        at_end = self.row_count > 0 and self.cursor_row >= self.row_count - 1
        super().action_page_down()
        if at_end:
            self.pending_move = "page_down"  # done again when the next page arrives

    def action_cursor_down(self) -> None:
        at_end = self.row_count > 0 and self.cursor_row >= self.row_count - 1
        super().action_cursor_down()
        if at_end:
            self.pending_move = "cursor_down"

    def action_open(self) -> None:
        if not self.row_count:
            self.pending_move = "open"  # Enter before the first rows: open once they are here
            return
        if self.cursor_row >= 0:
            row_key = self.coordinate_to_cell_key((self.cursor_row, 0)).row_key
            if row_key.value:
                self.post_message(self.OpenRequested(row_key.value))


class PagedView(Vertical, ExplorerAccess):
    """A list that loads a page at a time in thread workers: the first page when first shown,
    the next as the cursor nears the end (keyset: after the last row's key), the count in a
    worker of its own; what arrives for an older load (`generation`) is dropped. Nothing
    loads the whole list. A kind of list says how to read a page, count, key and draw a row."""

    PAGE_SIZE = queries.PAGE_SIZE

    def __init__(self, kind: str, title: str, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="pane")
        self.kind = kind
        self.title = title
        self.rows: list[dict[str, Any]] = []
        self.total: int | None = None  # rows under the filter, once counted
        self.exhausted = False
        self.fetching = False  # a page is on its way (not `loading`: that is Textual's spinner)
        self.generation = 0  # bumps on every reload; stale pages and counts are dropped
        self.started = False  # loads on first show
        self._table: EntityTable | None = None

    # --- what a kind of list says ------------------------------------------------------------

    def table_columns(self) -> list[tuple[str, int | None, str | None]]:
        """(header, width, key) of each column."""
        raise NotImplementedError

    def page_query(self) -> Any:
        """What the list shows now, read on the UI thread and handed to the workers."""
        raise NotImplementedError

    def after_key(self, row: dict[str, Any]) -> Any:
        """The keyset position after `row`."""
        raise NotImplementedError

    def read_page(
        self, conn: sqlite3.Connection, query: Any, after: Any, limit: int
    ) -> list[dict[str, Any]]:
        raise NotImplementedError

    def read_count(self, conn: sqlite3.Connection, query: Any) -> int:
        raise NotImplementedError

    def add_row(self, row: dict[str, Any]) -> None:
        raise NotImplementedError

    def status_text(self) -> Text:
        raise NotImplementedError

    def page_added(self, page: list[dict[str, Any]], then_sort: bool) -> None:
        """Show a page that has arrived (PaneView sorts instead when asked to)."""
        for row in page:
            self.add_row(row)

    # --- the machinery -----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="pane-status", classes="pane-status", markup=False)

    @property
    def table(self) -> EntityTable:
        """The table, made when first asked for: start-up styles and lays out the table of
        the list in view only (a DataTable is many styled parts)."""
        if self._table is None:
            self._table = EntityTable(
                cursor_type="row", zebra_stripes=True, id=f"table-{self.kind}"
            )
            for header, width, key in self.table_columns():
                self._table.add_column(header, width=width, key=key)
            self.mount(self._table)
        return self._table

    def on_show(self) -> None:
        self.table  # noqa: B018 - made on first show at the latest
        # A list loads when first shown: start-up reads one list's first page, not every one's.
        if not self.started:
            self.reload()

    def reload(self) -> None:
        """Start again from the first page under the current filters."""
        self.started = True
        self.generation += 1
        self.rows = []
        self.total = None
        self.exhausted = False
        self.fetching = False
        self.table.clear()
        self.table.pending_move = None  # keys pressed for the rows being replaced
        self._update_status()
        self.load_next_page()
        self.count_rows(self.generation, self.page_query())

    def load_next_page(self, *, then_sort: bool = False) -> None:
        if self.fetching or self.exhausted:
            return
        self.fetching = True
        after = self.after_key(self.rows[-1]) if self.rows else None
        self.fetch_page(self.generation, self.page_query(), after, then_sort)

    @work(thread=True, group="page")
    def fetch_page(self, generation: int, query: Any, after: Any, then_sort: bool) -> None:
        limit = FULL_SORT_LIMIT if then_sort else self.PAGE_SIZE
        page = self.read_page(self.explorer.store.conn, query, after, limit)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._add_page, generation, page, limit, then_sort)

    @work(thread=True, group="count")
    def count_rows(self, generation: int, query: Any) -> None:
        total = self.read_count(self.explorer.store.conn, query)
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
        self.fetching = False
        self.exhausted = len(page) < limit
        self.rows.extend(page)
        if self.exhausted:
            self.total = len(self.rows)  # every row is here: no need to wait for the count
        self.page_added(page, then_sort)
        move, self.table.pending_move = self.table.pending_move, None
        if move and page and not then_sort:
            getattr(self.table, f"action_{move}")()  # a key pressed before its rows were here
        self._update_status()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row >= self.table.row_count - PREFETCH_MARGIN:
            self.load_next_page()

    def _update_status(self) -> None:
        self.query_one("#pane-status", Static).update(self.status_text())


class PaneView(PagedView):
    """A kind's entities, with facet and text filters and sorting."""

    BINDINGS = bindings("pane")

    def __init__(self, kind: str, title: str, *, id: str | None = None) -> None:
        super().__init__(kind, title, id=id)
        self.columns: tuple[Column, ...] = COLUMNS[kind]
        self.query_state = PaneQuery()
        self.sort_index: int | None = None
        self.sort_reverse = False

    def table_columns(self) -> list[tuple[str, int | None, str | None]]:
        return [(column.header, column.width, column.key) for column in self.columns]

    def page_query(self) -> PaneQuery:
        return self.query_state

    def after_key(self, row: dict[str, Any]) -> tuple[str, str]:
        return (row["name"], row["ref"])

    def read_page(
        self, conn: sqlite3.Connection, query: PaneQuery, after: Any, limit: int
    ) -> list[dict[str, Any]]:
        return queries.list_page(
            conn, self.kind, after=after, limit=limit, filters=query.filters,
            text=query.text or None,
        )  # fmt: skip

    def read_count(self, conn: sqlite3.Connection, query: PaneQuery) -> int:
        return queries.count_matching(
            conn, self.kind, filters=query.filters, text=query.text or None
        )

    def page_added(self, page: list[dict[str, Any]], then_sort: bool) -> None:
        if then_sort:
            self._apply_sort()
        else:
            super().page_added(page, then_sort)

    def add_row(self, row: dict[str, Any]) -> None:
        # Plain strings (a fraction of a Text's memory): EntityTable draws them as literal text.
        cells: list[str | Cell] = [
            clean(column.value(row), single_line=True) for column in self.columns
        ]
        if row.get("reported_differently"):
            cells[-1] = Cell(cells[-1], style="bold", end="", no_wrap=True)
        self.table.add_row(*cells, key=row["ref"])

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
            self.add_row(row)

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
