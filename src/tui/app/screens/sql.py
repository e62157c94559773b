"""`:`: a read-only SQL prompt, for what the panes do not answer (as in Datasette, Harlequin).

The query runs in a worker on a connection of its own (the authorizer and the time limit of
`tui.data.sql` are set on it, never on the connection the panes share); a result that
arrives after a newer query was sent is dropped. Results show in the panes' table; Enter on a
row with a `ref` column opens that entity.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Input, Static

from tui.app.keys import bindings
from tui.app.navigation import ExplorerAccess
from tui.app.screens.lifecycle import call_while_open
from tui.app.widgets.breadcrumb import Breadcrumb
from tui.app.widgets.key_hints import KeyHints
from tui.app.widgets.pane import CellValue, EntityTable
from tui.data.db import open_readonly
from tui.data.sql import SQLResult, run_sql
from tui.errors import UserError
from tui.safe_text import plain
from tui.textsafe import clean

MAX_COLUMN_WIDTH = 40
NULL = "—"


class ResultRows:
    """The rows of one result, as the table asks for them."""

    def __init__(self, result: SQLResult) -> None:
        self.result = result
        self.ref_column = next(
            (i for i, name in enumerate(result.columns) if name.lower() == "ref"), None
        )

    def row_cells(self, index: int) -> Sequence[CellValue] | None:
        if index >= len(self.result.rows):
            return None
        return [
            NULL if v is None else clean(str(v), single_line=True) for v in self.result.rows[index]
        ]

    def row_ref(self, index: int) -> str | None:
        if self.ref_column is None or index >= len(self.result.rows):
            return None
        value = self.result.rows[index][self.ref_column]
        return value if isinstance(value, str) and ":" in value else None

    def holds(self, index: int) -> bool:
        return True

    def columns(self) -> list[tuple[str, int]]:
        widths = []
        for i, name in enumerate(self.result.columns):
            longest = max(
                [len(name), *(len(str(row[i])) for row in self.result.rows[:200])], default=4
            )
            widths.append((clean(name, single_line=True), min(max(longest, 3), MAX_COLUMN_WIDTH)))
        return widths


class SQLScreen(Screen, ExplorerAccess):
    BINDINGS = bindings("sql")

    crumb = "SQL"

    def __init__(self) -> None:
        super().__init__()
        self.sent = 0  # the latest query sent; older results are dropped
        self.result: SQLResult | None = None

    def compose(self) -> ComposeResult:
        yield Breadcrumb()
        yield Input(placeholder="SELECT … (read-only; Enter runs it)", id="sql-query")
        yield Static(id="sql-status", markup=False)
        yield KeyHints()

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self._status(Text("Only reading is allowed · at most 5 s · Enter runs", style="dim"))

    def _status(self, text: Text) -> None:
        self.query_one("#sql-status", Static).update(text)

    @on(Input.Submitted, "#sql-query")
    def submitted(self, event: Input.Submitted) -> None:
        self.sent += 1
        self._status(Text("Running…", style="dim"))
        self.run_query(self.sent, event.value)

    @work(thread=True, group="sql")
    def run_query(self, token: int, sql: str) -> None:
        try:
            with open_readonly(self.explorer.store.path) as conn:
                result: SQLResult | str = run_sql(conn, sql)
        except UserError as exc:
            result = str(exc)
        call_while_open(self, self.show, token, result)

    def show(self, token: int, result: SQLResult | str) -> None:
        if token != self.sent:
            return  # a newer query was sent meanwhile
        if isinstance(result, str):
            # The last query's rows go too: under this error they would read as its answer.
            self.result = None
            self.run_worker(self._replace_results(None), group="sql-results", exclusive=True)
            self._status(plain(result, "bold"))
            return
        self.result = result
        rows = ResultRows(result)
        table = EntityTable(rows, rows.columns(), id="sql-results")
        self.run_worker(self._replace_results(table), group="sql-results", exclusive=True)
        table.set_row_count(len(result.rows))
        count = len(result.rows)
        line = Text(f"{count:,} row{'s' if count != 1 else ''}", style="bold")
        if result.truncated:
            line.append(f" (the first {count:,}; add a LIMIT or a WHERE)", style="dim")
        if rows.ref_column is not None:
            line.append(" · Enter opens the row's ref", style="dim")
        line.append(" · Tab moves between query and rows", style="dim")
        self._status(line)

    async def _replace_results(self, table: EntityTable | None) -> None:
        """The earlier results off the screen, then `table` on it: its id is theirs, and a
        removal finishes only after the call that asks for it."""
        await self.query(EntityTable).remove()
        if table is not None:  # (None: an error, and no rows to show)
            await self.mount(table, before=self.query_one(KeyHints))

    def action_focus_query(self) -> None:
        """`:` on the rows: back to the query, to change it."""
        self.query_one(Input).focus()

    def on_entity_table_open_requested(self, event: EntityTable.OpenRequested) -> None:
        event.stop()
        self.explorer.open_entity(event.ref)
