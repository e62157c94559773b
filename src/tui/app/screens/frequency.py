"""`F` on a pane: the current column's values with how many entities carry each, counted in
SQL under the pane's filter; Enter filters the pane on a value (on "—": those with none)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.app.keys import bindings
from tui.app.navigation import ExplorerAccess
from tui.app.screens.lifecycle import DismissOnce, call_while_open
from tui.app.widgets.pane import NULL_CELL, Cell, CellValue, EntityTable, PaneQuery
from tui.data import queries
from tui.data.listing import Column
from tui.formatting import NULL
from tui.safe_text import plain
from tui.textsafe import clean

BAR_WIDTH = 20
SHOWN_VALUES = 1_000  # the most frequent values listed


class Frequencies:
    """The frequency table's rows (`RowSource`): values, then the entities with none."""

    def __init__(self) -> None:
        self.rows: list[tuple[str | None, str, int]] = []  # (value, as shown, count)
        self.total = 0

    def row_cells(self, index: int) -> Sequence[CellValue] | None:
        if not 0 <= index < len(self.rows):
            return None
        value, shown, count = self.rows[index]
        share = count / self.total if self.total else 0.0
        bar = "█" * max(1, round(share * BAR_WIDTH)) if count else ""
        return (
            shown if value is not None else NULL_CELL,
            str(count),
            f"{share:.0%}",
            Cell(bar, style="dim", end="", no_wrap=True),
        )

    def row_ref(self, index: int) -> str | None:
        return str(index) if 0 <= index < len(self.rows) else None

    def holds(self, index: int) -> bool:
        return 0 <= index < len(self.rows)


class FrequencyScreen(DismissOnce, ModalScreen[tuple[str, str] | None], ExplorerAccess):
    """Returns the value chosen and how it is shown (the pane filters on it), or None."""

    BINDINGS = bindings("frequency")

    def __init__(self, kind: str, title: str, column: Column, query: PaneQuery) -> None:
        super().__init__()
        self.kind, self.title, self.column = kind, title, column
        self.query_state = PaneQuery(dict(query.filters), query.text, dict(query.labels))
        self.source = Frequencies()
        self.loaded = False

    def compose(self) -> ComposeResult:
        with Vertical(id="frequency-box"):
            heading = Text(f"{self.title}: {self.column.header}", style="bold")
            described = self.query_state.describe()
            if described:
                heading.append("  filter: ", style="dim")
                heading.append_text(plain(described))
            yield Static(heading, id="frequency-title")
            yield Static(Text("counting…", style="dim"), id="frequency-status")
            yield EntityTable(
                self.source,
                [(self.column.header, 20), ("Count", 5), ("%", 4), ("", BAR_WIDTH)],
                id="frequency-table",
            )

    def on_mount(self) -> None:
        self.query_one(EntityTable).focus()
        self.count(self.query_state)

    @work(thread=True, exclusive=True, group="frequency")
    def count(self, query: PaneQuery) -> None:
        facet, values, distinct, none = queries.column_counts(
            self.explorer.store.conn, self.kind, self.column.key, filters=query.filters,
            text=query.text or None, limit=SHOWN_VALUES,
        )  # fmt: skip
        call_while_open(self, self.show, facet, values, distinct, none)

    def _shown(self, facet: queries.Facet, value: dict[str, Any]) -> str:
        raw = str(value["value"])
        if value["label"] is not None and value["label"] != value["value"]:
            raw = str(value["label"])  # a name for a ref
        elif self.column.shown is not None:
            raw = self.column.shown(raw)
        return clean(raw, single_line=True)

    def show(
        self, facet: queries.Facet, values: list[dict[str, Any]], distinct: int, none: int
    ) -> None:
        rows: list[tuple[str | None, str, int]] = [
            (str(value["value"]), self._shown(facet, value), int(value["count"]))
            for value in values
        ]
        if none:
            rows.append((None, NULL, none))
        self.source.rows = rows
        self.source.total = sum(count for _, _, count in rows)
        widest = max([len(self.column.header), *(len(shown) for _, shown, _ in rows)])
        table = self.query_one(EntityTable)
        available = max(10, self.size.width - 2 - (5 + 4 + BAR_WIDTH + 8))
        table.set_columns(
            [(self.column.header, min(widest, available)), ("Count", 5), ("%", 4), ("", BAR_WIDTH)]
        )
        table.reset(len(rows))
        status = Text(f"{distinct} value{'s' if distinct != 1 else ''}", style="bold")
        if distinct > len(values):
            status.append(f" (the {len(values)} most frequent)")
        if none:
            status.append(f"  {none} with none", style="dim")
        status.append("  Enter filters on a value · Esc closes", style="dim")
        self.query_one("#frequency-status", Static).update(status)
        self.loaded = True

    def on_entity_table_open_requested(self, event: EntityTable.OpenRequested) -> None:
        event.stop()
        value, shown, _ = self.source.rows[int(event.ref)]
        if value is None:
            self.dismiss((queries.NO_VALUE, NULL))  # those with no value: "amount=—"
            return
        self.dismiss((value, shown))

    def action_close(self) -> None:
        self.dismiss(None)
