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
    """A list column: its key (the row field, and what `queries.sort_sql` sorts by), header,
    cell text, preferred width, how its frequency table shows a value, and what its short
    header and marks mean (the help screen lists them)."""

    key: str
    header: str
    value: Callable[[Row], str]
    width: int | None = None  # preferred width in cells; a pane narrows it no further
    shown: Callable[[str], str] | None = None
    abbreviations: tuple[tuple[str, str], ...] = ()  # (as shown, what it means)


def _choice(value: str) -> str:
    return fmt.label(value)


def _parts(value: str, count: int) -> list[str | None]:
    """A frequency value of several fields ('22000000000.0|USD|over'), each None if empty."""
    parts: list[str | None] = [part or None for part in value.split("|")]
    return (parts + [None] * count)[:count]


def _number(text: str | None) -> float | None:
    try:
        return None if text is None else float(text)
    except ValueError:
        return None


def _amount_value(value: str) -> str:
    number, currency, qualifier = _parts(value, 3)
    return fmt.amount(
        {"amount": _number(number), "currency": currency, "amount_qualifier": qualifier}
    )


def _measure_value(value: str) -> str:
    number, unit, qualifier = _parts(value, 3)
    return fmt.measure(_number(number), unit, qualifier)


def _indicator_frequency(value: str) -> str:
    number, currency, unit, qualifier = _parts(value, 4)
    if currency:
        return fmt.money(_number(number), currency, qualifier)
    return fmt.measure(_number(number), unit, qualifier)


def _count(value: str) -> str:
    return fmt.number(_number(value))


def _text(key: str) -> Callable[[Row], str]:
    return lambda row: "" if row.get(key) is None else str(row[key])


def _sources(row: Row) -> str:
    mark = "≠" if row.get("reported_differently") else ""
    return f"{row.get('sources', 0)}{mark}"


NAME = Column("name", "Name", _text("name"), 24)
SOURCES = Column(
    "sources", "Src", _sources, 3, _count,
    abbreviations=(
        ("Src", "sources: how many articles report it"),
        ("2≠", "two articles report it and differ on it (≠: reported differently)"),
    ),
)  # fmt: skip


def _counted(key: str, header: str, meaning: str | None = None) -> Column:
    """A count column; `meaning`: what a short `header` stands for."""
    abbreviations = ((header, meaning),) if meaning else ()
    return Column(key, header, _text(key), 4, _count, abbreviations)


def abbreviations() -> list[tuple[str, str]]:
    """Every short header and mark of the list columns with what it means, once each, in
    column order."""
    found: dict[str, str] = {}
    for columns in COLUMNS.values():
        for column in columns:
            for shown, meaning in column.abbreviations:
                found.setdefault(shown, meaning)
    return list(found.items())


COLUMNS: dict[str, tuple[Column, ...]] = {
    "organization": (
        NAME,
        Column("org_type", "Type", lambda r: fmt.label(r.get("org_type")), 11, shown=_choice),
        Column("country", "Country", _text("country"), 10),
        Column("aliases", "Aliases", _text("aliases"), 8),
        _counted("commitments", "Cmts", "commitments: how many it is a party to"),
        _counted("meetings", "Mtgs", "meetings: how many taken part in"),
        Column("sector", "Sector", _text("sector"), 10),
        SOURCES,
    ),
    "person": (
        Column("name", "Name", _text("name"), 20),
        Column("positions", "Positions", _text("positions"), 40),
        _counted("meetings", "Mtgs", "meetings: how many taken part in"),
        SOURCES,
    ),
    "meeting": (
        Column("date", "Date", _text("date"), 10),
        Column("name", "Name", _text("name"), 26),
        Column("place", "Place", _text("place"), 8),
        Column("participants", "Participants", _text("participants"), 20),
        SOURCES,
    ),
    # Title first (pinned, the default order); at 80 columns the money, who and how far.
    "commitment": (
        Column("name", "Title", _text("name"), 20),
        Column(
            "amount",
            "Amount",
            fmt.amount,
            12,
            _amount_value,
        ),
        Column("status", "Status", lambda r: fmt.label(r.get("status")), 9, shown=_choice),
        Column("parties", "Parties", _text("parties"), 16),
        Column("sector", "Sector", _text("sector"), 12),
        Column("capacity", "Capacity", fmt.commitment_capacity, 10, shown=_measure_value),
        Column("category", "Category", lambda r: fmt.label(r.get("category")), 10, shown=_choice),
        Column("places", "Place", _text("places"), 10),
        Column("date", "Date", lambda r: fmt.date(r.get("date"), r.get("date_precision")), 10),
        Column(
            "docs",
            "Docs",
            _text("document_count"),
            4,
            shown=_count,
            abbreviations=(("Docs", "documents signed: how many it counts"),),
        ),
        SOURCES,
    ),
    "indicator": (
        Column("name", "Name", _text("name"), 30),
        Column(
            "value",
            "Value",
            lambda r: _indicator_value(r),
            16,
            _indicator_frequency,
        ),
        Column("period", "Period", _text("period"), 8),
        Column("subject", "Subject", _text("subject"), 10),
        SOURCES,
    ),
    "place": (
        Column("name", "Name", _text("name"), 22),
        Column("place_type", "Type", lambda r: fmt.label(r.get("place_type")), 8, shown=_choice),
        Column("within", "Within", _text("within"), 14),
        SOURCES,
    ),
    "article": (
        Column("published", "Date", _text("published"), 10),
        Column("name", "Title", _text("name"), 40),
        Column("dateline", "Dateline", _text("dateline"), 12),
        _counted("quotes", "Quotes"),
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
