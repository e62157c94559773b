"""The columns a user scans for, per kind: shared by `roundtable list` and the explorer panes."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from tui import formatting as fmt
from tui.data.queries import PAGE_SIZE, list_page

Row = dict[str, Any]


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    value: Callable[[Row], str]
    width: int | None = None  # preferred width in cells; None lets the column size to content
    sort_key: Callable[[Row], Any] | None = None


def _text(key: str) -> Callable[[Row], str]:
    return lambda row: "" if row.get(key) is None else str(row[key])


def _sources(row: Row) -> str:
    mark = "≠" if row.get("reported_differently") else ""
    return f"{row.get('sources', 0)}{mark}"


NAME = Column("name", "Name", _text("name"), 24)
SOURCES = Column("sources", "Src", _sources, 3, lambda r: (r.get("sources", 0),))

COLUMNS: dict[str, tuple[Column, ...]] = {
    "organization": (
        NAME,
        Column("org_type", "Type", lambda r: fmt.label(r.get("org_type")), 11),
        Column("country", "Country", _text("country"), 10),
        Column("aliases", "Aliases", _text("aliases"), 8),
        Column("commitments", "Cmts", _text("commitments"), 4, lambda r: r["commitments"]),
        Column("meetings", "Mtgs", _text("meetings"), 4, lambda r: r["meetings"]),
        SOURCES,
    ),
    "person": (
        Column("name", "Name", _text("name"), 20),
        Column("positions", "Positions", _text("positions"), 40),
        Column("meetings", "Mtgs", _text("meetings"), 4, lambda r: r["meetings"]),
        SOURCES,
    ),
    "meeting": (
        Column("date", "Date", _text("date"), 10),
        Column("name", "Name", _text("name"), 26),
        Column("place", "Place", _text("place"), 8),
        Column("participants", "Participants", _text("participants"), 20),
        SOURCES,
    ),
    "commitment": (  # title first: it is the sort order, and 80 columns show the first five
        Column("name", "Title", _text("name"), 24),
        Column("status", "Status", lambda r: fmt.label(r.get("status")), 9),
        Column("parties", "Parties", _text("parties"), 14),
        Column(
            "amount",
            "Amount",
            fmt.commitment_size,
            13,
            lambda r: (r.get("amount") is None, r.get("currency") or "", r.get("amount") or 0),
        ),
        Column("capacity", "Capacity", fmt.commitment_capacity, 10),
        Column("category", "Category", lambda r: fmt.label(r.get("category")), 10),
        Column("places", "Place", _text("places"), 12),
        Column("date", "Date", lambda r: fmt.date(r.get("date"), r.get("date_precision")), 10),
        SOURCES,
    ),
    "indicator": (
        Column("name", "Name", _text("name"), 30),
        Column(
            "value",
            "Value",
            lambda r: _indicator_value(r),
            16,
            lambda r: (r.get("value") is None, r.get("value") or 0),
        ),
        Column("period", "Period", _text("period"), 8),
        Column("subject", "Subject", _text("subject"), 10),
        SOURCES,
    ),
    "place": (
        Column("name", "Name", _text("name"), 22),
        Column("place_type", "Type", _text("place_type"), 8),
        Column("within", "Within", _text("within"), 14),
        SOURCES,
    ),
    "article": (
        Column("published", "Date", _text("published"), 10),
        Column("name", "Title", _text("name"), 40),
        Column("dateline", "Dateline", _text("dateline"), 12),
        Column("quotes", "Quotes", _text("quotes"), 6, lambda r: r["quotes"]),
    ),
}


def _indicator_value(row: Row) -> str:
    if row.get("currency"):
        return fmt.money(row.get("value"), row["currency"], row.get("value_qualifier"))
    return fmt.measure(row.get("value"), row.get("unit"), row.get("value_qualifier"))


def iter_rows(conn: sqlite3.Connection, kind: str, **filters: Any) -> Iterator[Row]:
    """Every row of a kind, a page at a time (keyset paging: constant cost per page)."""
    after = None
    while True:
        page = list_page(conn, kind, after=after, limit=PAGE_SIZE, **filters)
        yield from page
        if len(page) < PAGE_SIZE:
            return
        after = (page[-1]["name"], page[-1]["ref"])


def all_rows(conn: sqlite3.Connection, kind: str) -> list[Row]:
    return list(iter_rows(conn, kind))


def table_for(kind: str, rows: list[Row]) -> tuple[list[str], list[list[str]]]:
    """Headers and text cells for a terminal table, with the ref as the last column."""
    columns = COLUMNS[kind]
    headers = [c.header for c in columns] + ["Ref"]
    return headers, [[c.value(row) for c in columns] + [row["ref"]] for row in rows]
