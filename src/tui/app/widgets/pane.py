"""One pane: a kind's entities in a table that loads a page at a time, with filters and sort."""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, NamedTuple, Protocol

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.cache import LRUCache
from textual.containers import Vertical
from textual.geometry import Region, Size, Spacing
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Static
from textual.worker import get_current_worker

from tui.app.keys import BY_ID, bindings
from tui.app.navigation import ExplorerAccess
from tui.app.widgets.columns import fit as columns_fit
from tui.data import queries
from tui.data.listing import COLUMNS, Column
from tui.formatting import NULL
from tui.safe_text import plain
from tui.textsafe import clean

CACHED_LINES = 200  # rendered lines kept: a few screens
PREFETCH_MARGIN = 90  # load the next page this many rows before the end (two screens)
HELD_PAGES = 12  # pages of rows a list holds at most; the others are read again when needed
SCROLLBAR_WIDTH = 2  # Textual's vertical scrollbar, in cells
SORT_CHUNK = 1_000  # sorted refs read at a time: ten pages for one pass over the list
SORT_CHUNKS_KEPT = 3
WALK_PAGES = 10  # pages read at a time on the way to the end (ctrl+end)


@dataclass
class PaneQuery:
    """What the pane shows: facet filters and a text filter; `labels` names a filter's value
    as the user chose it ("CNPC" for organization:cnpc, "$22 bn" for an amount)."""

    filters: dict[str, str] = field(default_factory=dict)
    text: str = ""
    labels: dict[str, str] = field(default_factory=dict)

    def describe(self) -> str:
        parts = [f"{k}={self.labels.get(k, v)}" for k, v in sorted(self.filters.items())]
        if self.text:
            parts.append(f"“{self.text}”")
        return " ".join(parts)


class Cell(Text):
    """A one-line table cell with a style of its own (a plain cell is a `str`): literal text,
    never markup."""


CellValue = str | Cell
NULL_CELL = Cell(NULL, style="dim", end="", no_wrap=True)  # a value not stated


class RowSource(Protocol):
    """What an `EntityTable` draws: the cells and ref of a row by its index, or None when
    that row is not held now (it is drawn blank and asked for with `RowsWanted`)."""

    def row_cells(self, index: int) -> Sequence[CellValue] | None: ...

    def row_ref(self, index: int) -> str | None: ...

    def holds(self, index: int) -> bool:
        """Whether the row at `index` is held (and, being in view, should stay so)."""
        ...


class EntityTable(ScrollView, can_focus=True):
    """The pane's table on Textual's line API: a header and one line per row, a row cursor
    and a column cursor (VisiData's), zebra stripes. It holds no rows: it draws the lines in
    view from its `RowSource`, keeps the last few hundred drawn lines, and knows only how many
    rows there are. The first `pinned` columns stay when it scrolls sideways; a cell cut to
    its column ends in "…"; a column of width 0 is hidden. Enter opens the highlighted
    entity; ctrl+end goes to the end of the list, loading on the way."""

    BINDINGS = bindings("table")

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "entity-table--header",
        "entity-table--cursor",
        "entity-table--even-row",
        "entity-table--odd-row",
    }

    # DataTable's look (its default styles for the parts a pane uses).
    DEFAULT_CSS = """
    EntityTable {
        background: $surface;
        color: $foreground;
        height: auto;
        max-height: 100%;
        &:focus {
            background-tint: $foreground 5%;
            & > .entity-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .entity-table--header {
                background-tint: $foreground 5%;
            }
        }
        &:dark {
            & > .entity-table--even-row {
                background: $surface-darken-1 40%;
            }
        }
        & > .entity-table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .entity-table--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .entity-table--odd-row {
        }
        & > .entity-table--even-row {
            background: $surface-lighten-1 50%;
        }
        & > .entity-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """

    PADDING = 1  # cells each side of a column

    class OpenRequested(Message):
        def __init__(self, ref: str) -> None:
            super().__init__()
            self.ref = ref

    class RowHighlighted(Message):
        """The cursor moved to `cursor_row`."""

        def __init__(self, cursor_row: int) -> None:
            super().__init__()
            self.cursor_row = cursor_row

    class RowsWanted(Message):
        """Rows `first`..`last` are in view but not held."""

        def __init__(self, first: int, last: int) -> None:
            super().__init__()
            self.first = first
            self.last = last

    class ColumnHighlighted(Message):
        """The column cursor moved to `column`."""

        def __init__(self, column: int) -> None:
            super().__init__()
            self.column = column

    class EndWanted(Message):
        """The user asked for the end of the list (ctrl+end): the rows after the last row
        here are wanted, and the cursor follows them while `pending_move` is "last"."""

    pending_move: str | None = None  # a move asked for past the rows here, done when they come

    def __init__(
        self,
        source: RowSource,
        columns: Sequence[tuple[str, int]],
        *,
        zebra_stripes: bool = True,
        pinned: int = 1,
        column_cursor: bool = True,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.source = source
        self.zebra_stripes = zebra_stripes
        self.pinned = pinned
        self.cursor_column: int | None = 0 if column_cursor else None
        self.row_count = 0
        self.cursor_row = 0
        self._lines: LRUCache[tuple[Any, ...], Strip] = LRUCache(CACHED_LINES)
        self._pass: _Pass | None = None  # this render pass's (see render_lines)
        self._missing: list[int] = []
        self._layout = 0  # bumps when the columns change: lines drawn before are stale
        self.columns: list[tuple[str, int]] = []
        self._table_width = 0
        self.set_columns(columns)

    # --- columns ------------------------------------------------------------------------------

    def set_columns(self, columns: Sequence[tuple[str, int]]) -> None:
        """New headers and widths (0: hidden); the cursor column stays, in view."""
        self.columns = [(header, max(0, width)) for header, width in columns]
        self._table_width = sum(self._span(width) for _, width in self.columns)
        self._layout += 1
        self._lines.clear()
        self.virtual_size = Size(self._table_width, self.row_count + 1)
        if self.cursor_column is not None:
            self.cursor_column = self._shown_column(self.cursor_column, 1)
            if self.is_attached:
                self.call_after_refresh(self.scroll_to_column)
        self.refresh()

    def _span(self, width: int) -> int:
        return width + 2 * self.PADDING if width else 0

    @property
    def _pinned_width(self) -> int:
        return sum(self._span(width) for _, width in self.columns[: self.pinned])

    def _shown_column(self, start: int, step: int) -> int:
        """`start`, or the nearest shown column from it in the direction of `step`."""
        count = len(self.columns)
        for index in [*range(start, count if step > 0 else -1, step), *range(count)]:
            if 0 <= index < count and self.columns[index][1]:
                return index
        return max(0, min(start, count - 1))

    def move_column(self, column: int) -> None:
        if self.cursor_column is None or not self.columns:
            return
        step = 1 if column >= self.cursor_column else -1
        column = max(0, min(column, len(self.columns) - 1))
        found = self._shown_column(column, step)
        if not self.columns[found][1]:
            return
        if found != self.cursor_column:
            self.cursor_column = found
            self._lines.clear()
            self.refresh()
            self.post_message(self.ColumnHighlighted(found))
        self.scroll_to_column()

    def scroll_to_column(self) -> None:
        """Scroll sideways as little as needed to show the cursor column (its start, if it is
        wider than the room beside the pinned columns)."""
        column = self.cursor_column
        if column is None or column < self.pinned or column >= len(self.columns):
            return
        start = sum(self._span(width) for _, width in self.columns[:column])
        end = start + self._span(self.columns[column][1])
        width = self.scrollable_content_region.width or self.size.width
        scroll_x = int(self.scroll_x)
        target = min(max(scroll_x, end - width), start - self._pinned_width)
        target = max(0, min(target, max(0, self._table_width - width)))
        if target != scroll_x:
            self.scroll_to(x=target, animate=False, force=True, immediate=True)

    def action_column_left(self) -> None:
        if self.cursor_column is None:
            self.scroll_left(animate=False)
        else:
            self.move_column(self.cursor_column - 1)

    def action_column_right(self) -> None:
        if self.cursor_column is None:
            self.scroll_right(animate=False)
        else:
            self.move_column(self.cursor_column + 1)

    # --- what the pane says -------------------------------------------------------------------

    def set_row_count(self, count: int) -> None:
        """There are now `count` rows (more arrived; rows already drawn are unchanged)."""
        self.row_count = count
        self.virtual_size = Size(self._table_width, count + 1)
        if self.cursor_row >= count:
            self.move_cursor(max(0, count - 1))
        self.refresh()

    def reset(self, count: int = 0) -> None:
        """Every row is replaced: the cursor goes to the first row."""
        self._lines.clear()
        self.pending_move = None
        self.row_count = count
        self.virtual_size = Size(self._table_width, count + 1)
        self.cursor_row = 0
        self.scroll_to(y=0, animate=False, force=True)  # the column cursor stays where it is
        self.refresh()

    def rows_arrived(self) -> None:
        """Rows that were drawn blank are held now: draw them again."""
        self._lines.clear()
        self.refresh()

    def get_row_at(self, index: int) -> Sequence[CellValue]:
        """The cells of the row at `index` (empty when that row is not held now)."""
        return self.source.row_cells(index) or ()

    @property
    def cursor_ref(self) -> str | None:
        """The ref of the highlighted row, if it is held."""
        if not self.row_count:
            return None
        return self.source.row_ref(self.cursor_row)

    # --- moving -------------------------------------------------------------------------------

    def move_cursor(self, row: int, *, scroll: bool = True) -> None:
        row = max(0, min(row, self.row_count - 1))
        old, self.cursor_row = self.cursor_row, row
        if scroll:
            self.scroll_to_region(
                Region(int(self.scroll_x), row + 1, 1, 1),
                animate=False,
                spacing=Spacing(1, 0, 0, 0),  # the header
                force=True,
            )
        if old != row:
            self.refresh_line(old)
            self.refresh_line(row)
            self.post_message(self.RowHighlighted(row))

    def refresh_line(self, row: int) -> None:
        y = row + 1 - int(self.scroll_y)
        if 1 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    @property
    def _page_height(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def _at_last(self) -> bool:
        return self.row_count > 0 and self.cursor_row >= self.row_count - 1

    def action_cursor_up(self) -> None:
        self.pending_move = None
        self.move_cursor(self.cursor_row - 1)

    def action_cursor_down(self) -> None:
        at_end = self._at_last()
        self.pending_move = "cursor_down" if at_end else None  # done again when rows come
        self.move_cursor(self.cursor_row + 1)

    def action_page_down(self) -> None:
        at_end = self._at_last()
        self.pending_move = "page_down" if at_end else None
        height = self._page_height
        self.scroll_relative(y=height, animate=False, force=True)
        self.move_cursor(self.cursor_row + height)

    def action_page_up(self) -> None:
        self.pending_move = None
        height = self._page_height
        self.scroll_relative(y=-height, animate=False)
        self.move_cursor(self.cursor_row - height)

    def action_half_page(self, step: int) -> None:
        """ctrl+d / ctrl+u: half a page down (`step` 1) or up (-1), as in less."""
        self.pending_move = None
        half = max(1, self._page_height // 2)
        self.scroll_relative(y=step * half, animate=False, force=step > 0)
        self.move_cursor(self.cursor_row + step * half)

    def action_first(self) -> None:
        self.pending_move = None
        self.move_cursor(0)

    def action_last(self) -> None:
        self.pending_move = "last"  # kept while the rest of the list is on its way
        self.move_cursor(self.row_count - 1)
        self.post_message(self.EndWanted())

    def action_leftmost(self) -> None:
        """To the first column."""
        self.scroll_to(x=0, animate=False)
        self.move_column(0)

    def action_rightmost(self) -> None:
        """To the last column."""
        self.scroll_to(x=self.max_scroll_x, animate=False)
        self.move_column(len(self.columns) - 1)

    def action_open(self) -> None:
        ref = self.cursor_ref
        if ref is None:
            self.pending_move = "open"  # Enter before the row is here: open once it is
            if self.row_count:
                self.post_message(self.RowsWanted(self.cursor_row, self.cursor_row))
            return
        self.pending_move = None
        self.post_message(self.OpenRequested(ref))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is not None and offset.y >= 1:
            self.pending_move = None
            self.move_cursor(offset.y - 1 + int(self.scroll_y), scroll=False)

    # --- drawing ------------------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        # What every line of a pass reads is worked out once per pass: the styles (each read
        # walks the ancestors' styles), the size and the scroll offsets (each a reactive).
        component = self.get_component_rich_style
        styles = (
            self.rich_style,
            self.get_component_styles("entity-table--header").rich_style,
            self.get_component_styles("entity-table--even-row").rich_style,
            self.get_component_styles("entity-table--odd-row").rich_style,
            component("entity-table--cursor"),
        )
        # (the width in view: a vertical scrollbar covers the last cells of `size`)
        width = self.scrollable_content_region.width or self.size.width
        self._pass = _Pass(
            styles, width, int(self.scroll_x), int(self.scroll_y), self._pinned_width
        )
        self._missing = []
        try:
            return super().render_lines(crop)
        finally:
            self._pass = None
            if self._missing:
                self.post_message(self.RowsWanted(min(self._missing), max(self._missing)))

    def render_line(self, y: int) -> Strip:
        drawing = self._pass
        if drawing is None:  # outside render_lines
            return Strip.blank(self.size.width, self.rich_style)
        styles, width, scroll_x, scroll_y, pinned = drawing
        base, header, even, odd, cursor_style = styles
        row = -1 if y == 0 else y - 1 + scroll_y
        if row >= self.row_count:
            return Strip.blank(width, base)
        cursor = row == self.cursor_row and row >= 0
        column = self.cursor_column if (cursor or row < 0) else None
        key = (row, cursor, column, scroll_x, width, styles, self._layout)
        line = self._lines.get(key)
        if line is not None:
            if row >= 0 and not self.source.holds(row):
                self._missing.append(row)  # drawn before: the row itself is wanted again
            return line
        if row < 0:
            cells: Sequence[CellValue] | None = [header for header, _ in self.columns]
            row_style = header
        else:
            cells = self.source.row_cells(row)
            row_style = (odd if row % 2 else even) if self.zebra_stripes else base
        component = cursor_style if cursor else Style()
        line = self._draw(row, cells or (), row_style, component, column, scroll_x + width)
        full = line
        if scroll_x and 0 < pinned < width:  # the pinned columns, then the rest scrolled
            line = Strip.join(
                [line.crop(0, pinned), line.crop(pinned + scroll_x, scroll_x + width)]
            )
            line = self._mark_cut(full, line, pinned + scroll_x, pinned, before=True)
        else:
            line = line.crop(scroll_x, scroll_x + width)
            if scroll_x:
                line = self._mark_cut(full, line, scroll_x, 0, before=True)
        line = self._mark_cut(full, line, scroll_x + width, width - 1, before=False)
        line = line.adjust_cell_length(width, base)
        if cells is None:
            self._missing.append(row)  # drawn blank, not kept
        else:
            self._lines[key] = line
        return line

    def _mark_cut(self, full: Strip, shown: Strip, edge: int, at: int, *, before: bool) -> Strip:
        """`shown` (cells of the `full` line) with "…" at its cell `at` when the view's edge
        (the line's cell `edge`) cuts a column's text: words hidden `before` the edge (a
        column scrolled off to the left) or after it (the terminal's right edge). A cut
        column's visible part would otherwise read as a whole value ("1 GW" as " GW")."""
        x = 0
        for _, width in self.columns:
            if not width:
                continue
            start, end = x + self.PADDING, x + self.PADDING + width  # the column's text
            x += self._span(width)
            if not start < edge < end:
                continue
            hidden = full.crop(start, edge) if before else full.crop(edge, end)
            if not hidden.text.strip() or not 0 <= at < shown.cell_length:
                return shown
            style = next((seg.style for seg in shown.crop(at, at + 1)), None)
            return Strip.join(
                [shown.crop(0, at), Strip([Segment("…", style)], 1), shown.crop(at + 1)]
            )
        return shown

    def _draw(
        self,
        row: int,
        cells: Sequence[CellValue],
        row_style: Style,
        component: Style,
        cursor_column: int | None,
        reach: int,
    ) -> Strip:
        """The line up to `reach` cells (columns starting past it are left out): each cell
        cut to its column (ending in "…") and padded, styled as DataTable styles it (row, then
        cursor, then the cell's own style, then the cursor's colours over it); the cursor
        column's header reversed and its cell on the cursor row underlined; then the row's
        style on to `reach` cells. No mouse metadata (a click finds its row by its offset),
        and neighbours of one style are one segment (what `Strip.simplify` would make), so
        every later step of a paint handles a few segments a line instead of one a cell."""
        post = Style.from_color(color=component.color) + Style.from_color(bgcolor=component.bgcolor)
        styled = row_style + component
        console = self.app.console
        run_texts: list[str] = []  # the line's runs of one style each
        run_styles: list[Style] = []

        def add(text: str, style: Style) -> None:
            if run_styles and (run_styles[-1] is style or run_styles[-1] == style):
                run_texts[-1] += text
            else:
                run_texts.append(text)
                run_styles.append(style)

        marked = Style(reverse=True) if row < 0 else Style(underline=True, bold=True)
        padding = " " * self.PADDING
        unstyled = styled + post
        drawn = 0  # cells so far
        for column, (_, width) in enumerate(self.columns):
            if not width:
                continue  # hidden
            if drawn >= reach:
                break  # out of view
            value: str | Text = cells[column] if column < len(cells) else ""
            full = unstyled  # what an unstyled span (and the padding) gets
            if column == cursor_column:
                value = value.copy() if isinstance(value, Text) else Text(value, end="")
                value.stylize(marked)
            drawn += self._span(width)
            if not (isinstance(value, Text) and (value.spans or value.style)):
                # a plain cell: one run of text
                words = value.plain if isinstance(value, Text) else value
                if cell_len(words) > width:
                    words = set_cell_size(words, width - 1) + "…"
                fill = " " * max(0, width - cell_len(words))
                add(padding + words + fill + padding, full)
                continue
            add(padding, full)
            text = value.copy()
            text.truncate(width, overflow="ellipsis")
            own_style = console.get_style(value.style) if value.style else Style.null()
            for segment in text.render(console, end=""):
                style = own_style + segment.style if segment.style else own_style
                add(segment.text, full if not style else styled + style + post)
            shown = text.cell_len
            add(" " * max(0, width - shown) + padding, full)
        rest = max(0, reach - self._table_width)
        if rest:
            add(" " * rest, row_style + component)
            drawn += rest
        return Strip([Segment(t, s) for t, s in zip(run_texts, run_styles, strict=True)], drawn)


class _Pass(NamedTuple):
    """What each line of one render pass of an EntityTable reads."""

    styles: tuple[Style, ...]  # base, header, even row, odd row, cursor
    width: int
    scroll_x: int
    scroll_y: int
    pinned: int  # cells of the pinned columns


class PagedView(Vertical, ExplorerAccess):
    """A list that loads a page at a time in thread workers: the first page when first shown,
    the next as the cursor nears the end (keyset: after the last row's key), the count in a
    worker of its own; what arrives for an older load (`generation`) is dropped. Nothing
    loads the whole list, and nothing keeps it: the view holds at most `HELD_PAGES` pages
    (the least recently drawn go) and, for every page loaded so far, the key it starts after,
    so a page gone is read again, by that key, when it comes back into view. A kind of list
    says how to read a page, count, key and draw a row."""

    PAGE_SIZE = queries.PAGE_SIZE

    def __init__(self, kind: str, title: str, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="pane")
        self.kind = kind
        self.title = title
        self.loaded = 0  # rows read so far, in order from the first (not all held)
        self.total: int | None = None  # rows under the filter, once counted
        self.exhausted = False
        self.fetching = False  # a page is on its way (not `loading`: that is Textual's spinner)
        self.generation = 0  # bumps on every reload; stale pages and counts are dropped
        self.started = False  # loads on first show
        self._pages: OrderedDict[int, list[dict[str, Any]]] = OrderedDict()  # held, LRU
        self._starts: list[Any] = []  # _starts[p]: the key page p starts after
        self._reading: set[int] = set()  # pages gone, being read again
        self._table: EntityTable | None = None

    # --- what a kind of list says ------------------------------------------------------------

    def table_columns(self) -> list[tuple[str, int]]:
        """(header, width) of each column."""
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

    def cells(self, row: dict[str, Any]) -> Sequence[CellValue]:
        """A row's cells: literal text, a `str` or a styled `Cell` each."""
        raise NotImplementedError

    def status_text(self) -> Text:
        raise NotImplementedError

    def first_rows(self, rows: list[dict[str, Any]]) -> None:
        """The first rows of a load arrived (a kind of list may size its columns to them)."""

    @property
    def by_offset(self) -> bool:
        """Whether pages are read by their offset (a sorted list) rather than by the key of
        the row before them: then the whole list is reachable as soon as it is counted, and
        each page is read when it comes into view."""
        return False

    # --- the rows held ------------------------------------------------------------------------

    @property
    def rows(self) -> list[dict[str, Any]]:
        """The rows held now, in list order: a window of pages."""
        return [row for page in sorted(self._pages) for row in self._pages[page]]

    def row_at(self, index: int) -> dict[str, Any] | None:
        """The row at `index` if it is held (a read marks its page as recently used)."""
        number, at = divmod(index, self.PAGE_SIZE)
        page = self._pages.get(number)
        if page is None or at >= len(page):
            return None
        self._pages.move_to_end(number)
        return page[at]

    def holds(self, index: int) -> bool:
        return self.row_at(index) is not None

    def row_cells(self, index: int) -> Sequence[CellValue] | None:
        row = self.row_at(index)
        return None if row is None else self.cells(row)

    def row_ref(self, index: int) -> str | None:
        row = self.row_at(index)
        return None if row is None else row["ref"]

    def _hold(self, number: int, page: list[dict[str, Any]]) -> None:
        self._pages[number] = page
        self._pages.move_to_end(number)
        while len(self._pages) > HELD_PAGES:
            self._pages.popitem(last=False)

    # --- the machinery -----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="pane-status", classes="pane-status", markup=False)

    @property
    def table(self) -> EntityTable:
        """The table, made when first asked for: start-up styles and lays out the table of
        the list in view only."""
        if self._table is None:
            self._table = EntityTable(self, self.table_columns(), id=f"table-{self.kind}")
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
        self._clear()
        self.total = None
        self.fetching = False
        self.table.reset()  # and the keys pressed for the rows being replaced
        self._update_status()
        if not self.by_offset:
            self.load_next_page()  # (by offset: every page is reachable once counted)
        self.count_rows(self.generation, self.page_query())

    def _clear(self) -> None:
        self.loaded = 0
        self.exhausted = False
        self._pages.clear()
        self._starts = [None]
        self._reading.clear()

    def load_next_page(self, *, limit: int | None = None) -> None:
        if self.fetching or self.exhausted:
            return
        self.fetching = True
        after = self._starts[-1]
        size = limit or self.PAGE_SIZE
        self.fetch_page(self.generation, self.page_query(), after, size)

    @work(thread=True, group="page")
    def fetch_page(self, generation: int, query: Any, after: Any, limit: int) -> None:
        page = self.read_page(self.explorer.store.conn, query, after, limit)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._add_page, generation, page, limit)

    @work(thread=True, group="count")
    def count_rows(self, generation: int, query: Any) -> None:
        total = self.read_count(self.explorer.store.conn, query)
        self.app.call_from_thread(self._set_total, generation, total)

    @work(thread=True, group="again")
    def read_again(self, generation: int, query: Any, number: int, after: Any) -> None:
        """Page `number`, which went from the window, read again by the key it starts after."""
        page = self.read_page(self.explorer.store.conn, query, after, self.PAGE_SIZE)
        self.app.call_from_thread(self._page_again, generation, number, page)

    def _set_total(self, generation: int, total: int) -> None:
        if generation != self.generation:
            return
        self.total = total
        if self.by_offset:  # every row is there to go to: each page read when it comes in view
            self.loaded, self.exhausted = total, True
            self._starts = list(range(0, total, self.PAGE_SIZE)) or [0]
            table = self.table
            table.pending_move = None
            table.set_row_count(total)
        self._update_status()

    def _add_page(self, generation: int, rows: list[dict[str, Any]], limit: int) -> None:
        """Rows read after the last one loaded (one page, or several on the way to the end)."""
        if generation != self.generation:
            return
        self.fetching = False
        first = self.loaded == 0
        self.exhausted = len(rows) < limit
        for start in range(0, len(rows), self.PAGE_SIZE):
            page = rows[start : start + self.PAGE_SIZE]
            number = self.loaded // self.PAGE_SIZE
            self._hold(number, page)
            self.loaded += len(page)
            if len(page) == self.PAGE_SIZE:
                self._starts.append(self.after_key(page[-1]))
        if self.exhausted:
            self.total = self.loaded  # every row is here: no need to wait for the count
        table = self.table
        if first:
            self.first_rows(rows)
        table.set_row_count(self.loaded)
        move, table.pending_move = table.pending_move, None
        if move == "last":
            table.action_last()  # on to the end: the next pages, or the last row
        elif move and rows:
            getattr(table, f"action_{move}")()  # a key pressed before its rows were here
        self._update_status()

    def _page_again(self, generation: int, number: int, page: list[dict[str, Any]]) -> None:
        self._reading.discard(number)
        if generation != self.generation:
            return
        if number == 0 and self.by_offset:
            self.first_rows(page)
        self._hold(number, page)
        table = self.table
        table.rows_arrived()
        if table.pending_move == "open" and table.cursor_ref is not None:
            table.action_open()
        if self.by_offset:
            self._update_status()

    def on_entity_table_row_highlighted(self, event: EntityTable.RowHighlighted) -> None:
        event.stop()
        if self.table.pending_move == "last":
            return  # on the way to the end: that asks for more, several pages at a time
        if event.cursor_row >= self.loaded - PREFETCH_MARGIN:
            self.load_next_page()

    def on_entity_table_end_wanted(self, event: EntityTable.EndWanted) -> None:
        event.stop()
        if self.exhausted:
            self.table.pending_move = None
        else:  # several pages at a time; `_add_page` asks for more while the key stands
            self.load_next_page(limit=self.PAGE_SIZE * WALK_PAGES)

    def on_entity_table_rows_wanted(self, event: EntityTable.RowsWanted) -> None:
        event.stop()
        first = event.first // self.PAGE_SIZE
        last = event.last // self.PAGE_SIZE
        for number in range(first, last + 1):
            if number in self._pages or number in self._reading or number >= len(self._starts):
                continue
            self._reading.add(number)
            self.read_again(self.generation, self.page_query(), number, self._starts[number])
        if self.by_offset:
            self._update_status()  # "reading…" while pages are on their way

    def _update_status(self) -> None:
        # One line whatever it says (`.pane-status`: height 1, the pane's width): a new status
        # repaints that line, without laying out the screen again (as a page arrives, often
        # in the middle of a page down).
        self.query_one("#pane-status", Static).update(self.status_text(), layout=False)


# What a pane's workers read: the filters, the sort (column, descending) and the load.
ListQuery = tuple[PaneQuery, tuple[str, bool] | None, int]


class PaneView(PagedView):
    """A kind's entities, with facet and text filters, a column cursor and sorting by any
    column in SQL (over the whole list, a page at a time: OFFSET paging in the workers)."""

    BINDINGS = bindings("pane")

    def __init__(self, kind: str, title: str, *, id: str | None = None) -> None:
        super().__init__(kind, title, id=id)
        self.columns: tuple[Column, ...] = COLUMNS[kind]
        self.query_state = PaneQuery()
        self.sort: tuple[str, bool] | None = None  # (column key, descending)
        self.set_widths: dict[int, int] = {}  # widths the user chose, by column
        self.hidden: set[int] = set()
        self._natural: list[int] | None = None  # content widths of the first rows
        self._chunks: dict[tuple[int, int], list[str]] = {}  # sorted refs, oldest first
        self._chunks_lock = threading.Lock()  # (read in the page workers)

    # --- columns -----------------------------------------------------------------------------

    def table_columns(self) -> list[tuple[str, int]]:
        return list(zip((c.header for c in self.columns), self._widths(), strict=True))

    def _widths(self) -> list[int]:
        """Each column's width: the user's, else fitted to content and terminal; 0 hidden."""
        floors = [column.width or len(column.header) for column in self.columns]
        natural = self._natural or floors
        # the room beside the vertical scrollbar (shown, or shown once more rows come)
        available = (self.size.width or self.app.size.width) - SCROLLBAR_WIDTH
        shown = [i for i in range(len(self.columns)) if i not in self.hidden]
        chosen = sum(self.set_widths[i] + 2 for i in shown if i in self.set_widths)
        free = [i for i in shown if i not in self.set_widths]
        fitted = columns_fit(
            [natural[i] for i in free], [floors[i] for i in free], max(1, available - chosen)
        )
        widths = [0] * len(self.columns)
        for i, width in zip(free, fitted, strict=True):
            widths[i] = width
        for i in shown:
            if i in self.set_widths:
                widths[i] = self.set_widths[i]
        return widths

    def _refit(self) -> None:
        if self._table is not None:
            self._table.set_columns(self.table_columns())

    def first_rows(self, rows: list[dict[str, Any]]) -> None:
        if self._natural is None and rows:
            self._natural = [
                max([cell_len(column.header), *(cell_len(self._text(column, row)) for row in rows)])
                for column in self.columns
            ]
            self._refit()

    def on_resize(self, event: events.Resize) -> None:
        self._refit()

    @property
    def current_column(self) -> int:
        return self.table.cursor_column or 0

    def action_widen(self, step: int) -> None:
        """Widen (or, with a negative step, narrow) the current column."""
        index = self.current_column
        width = self.table.columns[index][1] if index < len(self.table.columns) else 0
        self.set_widths[index] = max(1, width + step)
        self._refit()

    def action_hide(self) -> None:
        """Hide the current column (never the last one shown)."""
        if len(self.hidden) + 1 >= len(self.columns):
            return
        self.hidden.add(self.current_column)
        self._refit()

    def action_reset_columns(self) -> None:
        """Every column shown again, at the width that fits it."""
        self.hidden.clear()
        self.set_widths.clear()
        self._refit()

    # --- list --------------------------------------------------------------------------------

    def page_query(self) -> ListQuery:
        return self.query_state, self.sort, self.generation

    def after_key(self, row: dict[str, Any]) -> Any:
        return (row["name"], row["ref"])

    @property
    def by_offset(self) -> bool:
        return self.sort is not None

    def read_page(
        self,
        conn: sqlite3.Connection,
        query: ListQuery,
        after: Any,
        limit: int,
    ) -> list[dict[str, Any]]:
        pane_query, order, generation = query
        filters, text = pane_query.filters, pane_query.text or None
        if order is None:
            return queries.list_page(
                conn, self.kind, after=after, limit=limit, filters=filters, text=text
            )
        offset = after or 0
        refs = self._sorted_refs(conn, pane_query, order, generation, offset, limit)
        return queries.list_rows(conn, self.kind, refs)

    def _sorted_refs(
        self,
        conn: sqlite3.Connection,
        pane_query: PaneQuery,
        order: tuple[str, bool],
        generation: int,
        offset: int,
        limit: int,
    ) -> list[str]:
        """The refs of rows `offset`.. in the sort: read `SORT_CHUNK` rows at a time (one pass
        over the list for ten pages), the last few chunks of this load kept (refs only, a
        few hundred KB)."""
        key = generation
        found: list[str] = []
        while len(found) < limit:
            at = offset + len(found)
            number, start = divmod(at, SORT_CHUNK)
            with self._chunks_lock:
                chunk = self._chunks.get((key, number))
            if chunk is None:
                chunk = queries.sorted_refs(
                    conn, self.kind, order, filters=pane_query.filters,
                    text=pane_query.text or None, limit=SORT_CHUNK, offset=number * SORT_CHUNK,
                )  # fmt: skip
                with self._chunks_lock:
                    self._chunks[(key, number)] = chunk
                    while len(self._chunks) > SORT_CHUNKS_KEPT:
                        self._chunks.pop(next(iter(self._chunks)))
            found.extend(chunk[start : start + limit - len(found)])
            if len(chunk) < SORT_CHUNK:
                break  # the end of the list
        return found

    def read_count(self, conn: sqlite3.Connection, query: ListQuery) -> int:
        pane_query, _, _ = query
        return queries.count_matching(
            conn, self.kind, filters=pane_query.filters, text=pane_query.text or None
        )

    @staticmethod
    def _text(column: Column, row: dict[str, Any]) -> str:
        return clean(column.value(row), single_line=True)

    def cells(self, row: dict[str, Any]) -> Sequence[CellValue]:
        # Plain strings (a fraction of a Text's memory): EntityTable draws them as literal text.
        cells: list[CellValue] = []
        for column in self.columns:
            value = self._text(column, row)
            cells.append(value if value else NULL_CELL)
        if row.get("reported_differently"):
            cells[-1] = Cell(str(cells[-1]), style="bold", end="", no_wrap=True)
        return cells

    # --- sorting -----------------------------------------------------------------------------

    def action_sort_by(self, descending: bool) -> None:
        """Sort by the current column (again: back to name order)."""
        key = self.columns[self.current_column].key
        wanted = (key, descending)
        if self.sort == wanted or (wanted == ("name", False) and self.sort is None):
            self.sort = None
        else:
            self.sort = wanted
        self.reload()

    # --- frequency ---------------------------------------------------------------------------

    def action_frequency(self) -> None:
        from tui.app.screens.frequency import FrequencyScreen

        column = self.columns[self.current_column]

        def apply(chosen: tuple[str, str] | None) -> None:
            if chosen is not None:
                value, shown = chosen
                facet = queries.column_facet(self.kind, column.key)
                query = self.query_state
                self.set_query(
                    PaneQuery(
                        {**query.filters, facet.name: value},
                        query.text,
                        {**query.labels, facet.name: shown},
                    )
                )
            self.table.focus()

        screen = FrequencyScreen(self.kind, self.title, column, self.query_state)
        self.app.push_screen(screen, apply)

    # --- filters -----------------------------------------------------------------------------

    def set_query(self, query: PaneQuery) -> None:
        """Show what `query` selects, in the current sort."""
        self.query_state = query
        self.reload()

    def action_clear_filters(self) -> None:
        if self.query_state.filters or self.query_state.text:
            self.set_query(PaneQuery())

    # --- status ------------------------------------------------------------------------------

    def _clear_key(self) -> str:
        """The key that clears the filter, as the user's keymap has it."""
        return BY_ID["pane.clear_filter"].labels_in_force(self.explorer.user_keymap.keys)[0]

    def status_text(self) -> Text:
        total = "…" if self.total is None else str(self.total)
        text = Text(f"{self.title} ", style="bold")
        text.append(f"{self.loaded} of {total}" if not self.exhausted else f"{total}")
        described = self.query_state.describe()
        if described:
            text.append("  filter: ", style="dim")
            text.append_text(plain(described))
            if self.total == 0:
                text.append(f"  nothing matches: {self._clear_key()} clears it", style="bold")
        if self.sort is not None:
            key, descending = self.sort
            header = next(c.header for c in self.columns if c.key == key)
            text.append(f"  sort: {header} {'↓' if descending else '↑'}", style="dim")
            if self.total is None or self._reading:
                text.append(" (sorting…)", style="dim")
        return text
