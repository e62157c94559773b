"""Totals (`T`): commitment figures summed by organization, sector, country or category,
per currency and per unit, with bars scaled within each unit."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.coordinate import Coordinate
from textual.screen import Screen
from textual.widgets import DataTable, Static

from tui.app.keys import bindings
from tui.app.navigation import ExplorerAccess
from tui.app.screens.lifecycle import call_while_open
from tui.app.widgets.breadcrumb import Breadcrumb
from tui.app.widgets.key_hints import KeyHints
from tui.data.totals import DIMENSIONS, Line, Measure, bar, totals
from tui.safe_text import plain

BAR_WIDTH = 20
NOTE = (
    "A commitment counts in each of its groups; amounts add within a currency, capacities "
    "within a unit; targets are not added."
)


class TotalsScreen(Screen, ExplorerAccess):
    BINDINGS = bindings("totals")

    crumb = "Totals"

    def __init__(self, dimension: str = "organization") -> None:
        super().__init__()
        self.dimension = dimension
        self.measures: list[Measure] = []
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield Breadcrumb()
        yield Static(id="totals-title", markup=False)
        yield DataTable(id="totals-table", cursor_type="row", zebra_stripes=False)
        yield Static(Text(NOTE, style="dim"), id="totals-note")
        yield KeyHints()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("Group", width=30)
        table.add_column("Total", width=16)
        table.add_column("", width=BAR_WIDTH)
        table.add_column("n", width=3)
        self.load()

    def _title(self) -> Text:
        title = Text("Totals by ", style="bold")
        for index, name in enumerate(DIMENSIONS):
            if index:
                title.append(" · ", style="dim")
            title.append(name, style="reverse bold" if name == self.dimension else "dim")
        title.append("   g: next grouping", style="dim")
        return title

    @work(thread=True, exclusive=True, group="totals")
    def load(self) -> None:
        measures = totals(self.explorer.store.conn, self.dimension)
        call_while_open(self, self.show, self.dimension, measures)

    def show(self, dimension: str, measures: list[Measure]) -> None:
        if dimension != self.dimension:
            return
        self.measures = measures
        self.query_one("#totals-title", Static).update(self._title())
        table = self.query_one(DataTable)
        table.clear()
        for index, measure in enumerate(measures):
            # The title names a currency or a unit, from the data: cleaned like any value.
            table.add_row(plain(f"── {measure.title}", "bold"), "", "", "",
                          key=f"heading-{index}")  # fmt: skip
            largest = max((line.value for line in measure.lines), default=0)
            for number, line in enumerate(measure.lines):
                key = f"{index}-{number}:{line.ref or ''}"
                table.add_row(
                    plain(line.label),
                    plain(measure.show(line)),
                    Text(bar(line.value, largest, BAR_WIDTH)),
                    Text(str(len(line.commitments)), style="dim"),
                    key=key,
                )
                self._overlap_rows(table, f"{index}-{number}", measure, line)
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
            self._overlap_rows(table, str(index), measure, total)
        if not measures:
            table.add_row(Text("No commitment states a figure.", style="dim"), "", "", "")
        self.loaded = True
        table.focus()

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
        self.loaded = False
        self.query_one("#totals-title", Static).update(self._title())
        self.load()

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return
        key = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value or ""
        ref = key.split(":", 1)[1] if ":" in key else ""
        if ref:
            self.explorer.open_entity(ref)
        else:
            self.app.bell()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()
