"""Totals (`T`): commitment figures summed by organization, sector, country or category,
per currency and per unit, with bars scaled within each unit."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.coordinate import Coordinate
from textual.screen import Screen
from textual.widgets import DataTable, Static
from textual.widgets.data_table import RowKey

from tui.app.keys import BY_ID, bindings
from tui.app.navigation import ExplorerAccess
from tui.app.screens.lifecycle import call_while_open
from tui.app.widgets.breadcrumb import Breadcrumb
from tui.app.widgets.key_hints import KeyHints
from tui.data.queries import names
from tui.data.totals import DIMENSIONS, Line, Measure, bar, totals
from tui.safe_text import plain

BAR_WIDTH = 18
# The table's columns: (header, width, what a short header means, for the help screen).
COLUMNS: tuple[tuple[str, int, str], ...] = (
    ("Group", 30, ""),
    ("Total", 16, ""),
    ("", BAR_WIDTH, ""),
    ("n", 5, "totals: how many commitments are behind a total"),
)
NOTE = (
    "A commitment counts in each of its groups; amounts add within a currency, capacities "
    "within a unit; targets are not added. Enter on a total: the commitments behind it."
)


def _cut(cell: Text | str, width: int) -> Text | str:
    """`cell` (a Text) cut to `width` cells, ending in "…" when it was longer."""
    if not isinstance(cell, Text) or cell.cell_len <= width:
        return cell
    cut = cell.copy()
    cut.truncate(width, overflow="ellipsis")
    return cut


class TotalsTable(DataTable):
    """The totals' table: enter lists the commitments behind a total (the bottom line says
    so, where a plain table's own enter would hide it)."""

    BINDINGS = bindings("totals_table")

    def add_row(
        self,
        *cells: Any,
        height: int | None = 1,
        key: str | None = None,
        label: Text | str | None = None,
    ) -> RowKey:
        """A row whose cells longer than their column end in "…" (DataTable crops them)."""
        fitted = [_cut(cell, width) for cell, (_, width, _) in zip(cells, COLUMNS, strict=True)]
        return super().add_row(*fitted, height=height, key=key, label=label)

    def action_half_page(self, step: int) -> None:
        """ctrl+d / ctrl+u: half a page down (`step` 1) or up (-1), as on the panes."""
        half = max(1, self.scrollable_content_region.height // 2)
        self.move_cursor(row=max(0, self.cursor_row + step * half), animate=False)

    def action_first(self) -> None:  # (the panes' name for it: one key table for both)
        self.action_scroll_top()

    def action_last(self) -> None:
        self.action_scroll_bottom()


class TotalsScreen(Screen, ExplorerAccess):
    BINDINGS = bindings("totals")

    crumb = "Totals"

    def __init__(self, dimension: str = "organization") -> None:
        super().__init__()
        self.dimension = dimension
        self.measures: list[Measure] = []
        self.names: dict[str, str] = {}  # each commitment's name
        self.unfolded: set[str] = set()  # the lines whose commitments are listed under them
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield Breadcrumb()
        yield Static(id="totals-title", markup=False)
        yield TotalsTable(id="totals-table", cursor_type="row", zebra_stripes=False)
        yield Static(Text(NOTE, style="dim"), id="totals-note")
        yield KeyHints()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for header, width, _meaning in COLUMNS:
            table.add_column(header, width=width)
        self.load(self.dimension)

    def _title(self) -> Text:
        title = Text("Totals by ", style="bold")
        for index, name in enumerate(DIMENSIONS):
            if index:
                title.append(" · ", style="dim")
            title.append(name, style="reverse bold" if name == self.dimension else "dim")
        keymap = getattr(self.app, "user_keymap", None)
        keys = BY_ID["totals.group"].labels_in_force(keymap.keys if keymap else {})
        title.append(f"   {keys[0]}: next grouping", style="dim")
        return title

    @work(thread=True, exclusive=True, group="totals")
    def load(self, dimension: str) -> None:
        """The totals by `dimension`, shown if it is still the one asked for when they come
        (the grouping changed again meanwhile: the worker it replaced may still finish, even
        last)."""
        conn = self.explorer.store.conn
        measures = totals(conn, dimension)
        refs = {ref for measure in measures for ref in measure.total.commitments}
        call_while_open(self, self.show, dimension, measures, names(conn, sorted(refs)))

    def show(
        self, dimension: str, measures: list[Measure], commitment_names: dict[str, str]
    ) -> None:
        if dimension != self.dimension:
            return
        self.measures = measures
        self.names = commitment_names
        table = self.query_one(DataTable)
        at = table.cursor_row if self.loaded else None
        self.query_one("#totals-title", Static).update(self._title())
        table.clear()
        for index, measure in enumerate(measures):
            # The title names a currency or a unit, from the data: cleaned like any value.
            table.add_row(plain(f"── {measure.title}", "bold"), "", "", "",
                          key=f"heading-{index}")  # fmt: skip
            largest = max((line.value for line in measure.lines), default=0)
            for number, line in enumerate(measure.lines):
                tag = f"{index}-{number}"
                table.add_row(
                    plain(line.label),
                    plain(measure.show(line)),
                    Text(bar(line.value, largest, BAR_WIDTH)),
                    Text(str(len(line.commitments)), style="dim"),
                    key=f"{tag}:{line.ref or ''}",
                )
                self._commitment_rows(table, tag, measure, line)
                self._overlap_rows(table, tag, measure, line)
            total = measure.total
            table.add_row(
                Text(
                    "all commitments, " + ("overlaps once" if total.overlaps else "each once"),
                    style="italic",
                ),
                plain(measure.show(total), "bold"),
                "",
                Text(str(len(total.commitments)), style="dim"),
                key=f"total-{index}",
            )
            self._commitment_rows(table, str(index), measure, total)
            self._overlap_rows(table, str(index), measure, total)
        if not measures:
            table.add_row(Text("No commitment states a figure.", style="dim"), "", "", "")
        if at is not None and at < table.row_count:
            table.move_cursor(row=at, animate=False)
        self.loaded = True
        table.focus()

    def _commitment_rows(self, table: DataTable, tag: str, measure: Measure, line: Line) -> None:
        """Under an unfolded line: its group (if an entity) and each commitment behind it,
        with its figure (enter opens one)."""
        if tag not in self.unfolded:
            return
        if line.ref:
            label = Text("  → ", style="dim")
            label.append_text(plain(line.label, "italic"))
            table.add_row(label, "", "", "", key=f"group-{tag}:{line.ref}")
        for number, ref in enumerate(line.commitments):
            table.add_row(
                Text("  ").append_text(plain(self.names.get(ref, ref))),
                plain(measure.member_figure(line, ref), "dim"),
                "",
                "",
                key=f"commitment-{tag}-{number}:{ref}",
            )

    def _overlap_rows(self, table: DataTable, tag: str, measure: Measure, line: Line) -> None:
        """Under a line: each figure not added because a larger one may contain it (enter
        opens it), and the line's sum if none of them overlap."""
        for number, overlap in enumerate(line.overlaps):
            verb = "  includes " if overlap.certain else "  may include "
            label = Text(verb, style="dim italic")
            label.append_text(plain(overlap.member_name))
            table.add_row(
                label,
                plain(measure.overlap_figure(overlap), "dim"),
                plain(f"in {overlap.container_name}", "dim"),
                "",
                key=f"overlap-{tag}-{number}:{overlap.member}",
            )
        separate = line.separate
        if line.overlaps and separate is not None:
            table.add_row(
                Text("  if none of these overlap", style="dim italic"),
                plain(measure.figure(*separate), "dim"),
                "",
                "",
                key=f"separate-{tag}",
            )

    def action_group(self, step: int) -> None:
        index = DIMENSIONS.index(self.dimension)
        self.dimension = DIMENSIONS[(index + step) % len(DIMENSIONS)]
        self.unfolded = set()
        self.loaded = False
        self.query_one("#totals-title", Static).update(self._title())
        self.load(self.dimension)

    def action_open(self) -> None:
        """Enter: on a total, list (or fold) the commitments behind it; on one of those, or
        on a figure left out as an overlap, open it."""
        table = self.query_one(DataTable)
        if not table.row_count:
            return
        key = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value or ""
        kind, _, ref = key.partition(":")
        line = kind.removeprefix("total-")  # a line's key: `0-2:ref`; a measure's total: `total-0`
        if line[:1].isdigit():
            self.unfolded ^= {line}
            self.show(self.dimension, self.measures, self.names)
        elif ref:
            self.explorer.open_entity(ref)
        else:
            self.app.bell()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()
