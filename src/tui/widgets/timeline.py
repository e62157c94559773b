"""The Timeline pane: meetings, signings and targets by date, filterable by who or where."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from .. import timeline
from .pane import EntityTable
from .safe_text import plain

COLUMNS = (("When", 10), ("Precision", 10), ("Kind", 10), ("Name", 40), ("At", 30))
KIND_LABELS = {"meeting": "meeting", "commitment": "commitment"}


class TimelineView(Vertical):
    """Loads in a thread worker; `about` (a ref) narrows it to what that entity takes part in."""

    BINDINGS = [  # noqa: RUF012 - Textual convention
        Binding("x", "clear_filters", "Clear filter", show=False),
    ]

    def __init__(self, kind: str, title: str, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="pane")
        self.kind = kind
        self.title = title
        self.about: tuple[str, str] | None = None  # (ref, name)
        self.rows: list[dict[str, Any]] = []
        self.total: int | None = None  # rows under the filter, once loaded (as in PaneView)
        self.exhausted = False
        self.generation = 0

    def compose(self) -> ComposeResult:
        yield Static(id="pane-status", classes="pane-status", markup=False)
        yield EntityTable(cursor_type="row", zebra_stripes=True, id="table-timeline")

    @property
    def table(self) -> EntityTable:
        return self.query_one(EntityTable)

    def on_mount(self) -> None:
        for header, width in COLUMNS:
            self.table.add_column(header, width=width)

    def on_show(self) -> None:
        # Loads when first shown (as PaneView does): start-up reads only the pane in view.
        if not self.generation:
            self.reload()

    def reload(self) -> None:
        self.generation += 1
        self.exhausted = False
        self.total = None
        self.rows = []
        self.table.clear()
        self._status()
        self.load(self.generation, self.about[0] if self.about else None)

    @work(thread=True, group="timeline")
    def load(self, generation: int, about: str | None) -> None:
        rows = timeline.items(self.app.store.conn, about)  # type: ignore[attr-defined]
        self.app.call_from_thread(self._show, generation, rows)

    def _show(self, generation: int, rows: list[dict[str, Any]]) -> None:
        if generation != self.generation:
            return
        self.rows = rows
        self.total = len(rows)
        self.exhausted = True
        self.table.clear()
        for row in rows:
            at = row["via_name"] or row["place"] or ""
            self.table.add_row(
                plain(row["when"], "bold" if row["precision"] == "target_year" else ""),
                plain(row["precision_label"], "dim"),
                plain(KIND_LABELS.get(row["kind"], row["kind"])),
                plain(row["name"]),
                plain(at, "dim"),
                key=row["ref"],
            )
        self._status()

    def set_about(self, about: tuple[str, str] | None) -> None:
        self.about = about
        self.reload()

    def action_clear_filters(self) -> None:
        if self.about:
            self.set_about(None)

    def status_text(self) -> Text:
        text = Text(f"{self.title} ", style="bold")
        text.append(str(len(self.rows)) if self.exhausted else "…")
        if self.about:
            text.append("  with: ", style="dim")
            text.append_text(plain(self.about[1]))
        text.append("  f filter by who or where · enter open", style="dim")
        return text

    def _status(self) -> None:
        self.query_one("#pane-status", Static).update(self.status_text())
