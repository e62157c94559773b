"""The Timeline pane: meetings, signings and targets by date, filterable by who or where."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from rich.text import Text

from tui.app.keys import BY_ID, bindings
from tui.app.widgets.key_hints import HINT_S, KeyHints
from tui.app.widgets.pane import NULL_CELL, Cell, CellValue, PagedView
from tui.data import timeline
from tui.kinds import kind_label
from tui.safe_text import plain
from tui.textsafe import clean

COLUMNS = (("When", 10), ("Precision", 10), ("Kind", 10), ("Name", 40), ("At", 30))


def _cell(value: Any, style: str = "") -> CellValue:
    """A cell as literal text (never markup): a plain string, or a styled `Cell`."""
    text = clean("" if value is None else str(value), single_line=True)
    return Cell(text, style=style, end="", no_wrap=True) if style else text


class TimelineView(PagedView):
    """Meetings, signings and targets by date, a page at a time; `about` (a ref) narrows it to
    what that entity takes part in."""

    BINDINGS = bindings("timeline")

    def __init__(self, kind: str, title: str, *, id: str | None = None) -> None:
        super().__init__(kind, title, id=id)
        self.about: tuple[str, str] | None = None  # (ref, name)

    def table_columns(self) -> list[tuple[str, int]]:
        return list(COLUMNS)

    def page_query(self) -> str | None:
        return self.about[0] if self.about else None

    def after_key(self, row: dict[str, Any]) -> str:
        return str(row["seq"])

    def read_page(
        self, conn: sqlite3.Connection, query: str | None, after: Any, limit: int
    ) -> list[dict[str, Any]]:
        return timeline.page(conn, query, after=after, limit=limit)

    def read_count(self, conn: sqlite3.Connection, query: str | None) -> int:
        return timeline.count(conn, query)

    def cells(self, row: dict[str, Any]) -> Sequence[CellValue]:
        return (
            _cell(row["when"], "bold" if row["precision"] == "target_year" else ""),
            _cell(row["precision_label"], "dim"),
            _cell(kind_label(row["kind"])),
            _cell(row["name"]),
            _cell(row["via_name"] or row["place"], "dim")
            if row["via_name"] or row["place"]
            else NULL_CELL,
        )

    def action_date_order(self) -> None:
        """`[`, `]` and `F`, which sort and count the other panes: say why not here (naming
        the keys this binding has in force, from the one definition in keys.py)."""
        keys = BY_ID["timeline.date_order"].labels_in_force(self.explorer.user_keymap.keys)
        hint = Text(f"Timeline: always in date order ({' '.join(keys)} are for the other panes)")
        hints = self.screen.query(KeyHints)
        if hints:
            hints.first().say(hint, HINT_S)

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
        text.append(total if self.exhausted else f"{self.loaded} of {total}")
        if self.about:
            text.append("  with: ", style="dim")
            text.append_text(plain(self.about[1]))
        text.append("  f filter by who or where · enter open", style="dim")
        return text
