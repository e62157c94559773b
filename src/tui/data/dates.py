"""Dates as the database stores them and as the articles state them.

The database stores every date whole, as ISO `YYYY-MM-DD` (the first day of its period), so
SQLite's date functions and tools such as Datasette read it right: a bare `2030` is a Julian
day number to SQLite (`strftime('%Y', '2030')` is -4707). The precision beside it says how much
of it the text states; readers cut it back (`tui.formatting.stated_date`), so users still see
`2030` for a year and `2023-05` for a month.
"""

from __future__ import annotations

from typing import Any

from tui.formatting import DATE_LENGTHS, stated_date

_FIRST_DAY = "0000-01-01"  # what a year or a month lacks of a whole date
DATE_COLUMNS = ("date", "published")  # the columns holding a date, beside `date_precision`


def stored(value: str | None) -> str | None:
    """The whole date a stated one stands for: '2030' -> '2030-01-01', '2023-05' ->
    '2023-05-01' (validated seed dates are `YYYY`, `YYYY-MM` or `YYYY-MM-DD`)."""
    if value is None:
        return None
    text = str(value)
    return text + _FIRST_DAY[len(text) :]


def stated_sql(column: str, precision_column: str) -> str:
    """SQL for `stated_date(column, precision_column)`, for filters and orderings."""
    cases = " ".join(f"WHEN '{name}' THEN {length}" for name, length in DATE_LENGTHS.items())
    return f"substr({column}, 1, CASE {precision_column} {cases} ELSE length({column}) END)"


def restate(row: dict[str, Any]) -> dict[str, Any]:
    """`row` with its stored dates cut to their `date_precision`, as users read them."""
    for column in DATE_COLUMNS:
        if row.get(column):
            row[column] = stated_date(row[column], row.get("date_precision"))
    return row
