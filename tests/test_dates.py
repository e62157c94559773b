"""Dates are stored whole for SQLite and shown as precisely as the articles state them."""

from __future__ import annotations

import sqlite3

import pytest

from tui import formatting as fmt
from tui.data.dates import restate, stated_sql, stored

STATED = [
    ("2023-05-18", "day", "2023-05-18", "2023-05-18"),
    ("2023-05", "month", "2023-05-01", "2023-05"),
    ("2015", "year", "2015-01-01", "2015"),
    ("2060", "target_year", "2060-01-01", "by 2060"),
]


@pytest.mark.parametrize("stated,precision,whole,shown", STATED)
def test_a_date_is_stored_whole_and_shown_as_stated(stated, precision, whole, shown):
    assert stored(stated) == whole
    conn = sqlite3.connect(":memory:")
    year, back = conn.execute(
        f"SELECT strftime('%Y', d), {stated_sql('d', 'p')} FROM (SELECT ? AS d, ? AS p)",  # noqa: S608 - constant fragment
        (whole, precision),
    ).fetchone()
    assert (year, back) == (stated[:4], stated)  # SQLite reads it, and cuts it as Python does
    assert fmt.stated_date(whole, precision) == stated
    assert fmt.date(whole, precision) == shown
    assert restate({"date": whole, "date_precision": precision})["date"] == stated
