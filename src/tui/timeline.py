"""Meetings, signings and targets laid out by date, as precise as the articles state them.

A commitment with a date of its own (a signing day, a target year) is placed there; one
without, but announced at a dated meeting, is placed at that meeting's date and marked so.
Filtering by an organization, person or place keeps the items it takes part in (for a place,
also the places within it).
"""

from __future__ import annotations

import sqlite3
from typing import Any

from . import formatting as fmt

PRECISION_LABELS = {
    "day": "day", "month": "month", "year": "year", "target_year": "target yr",
    "announced": "at meeting",
}  # fmt: skip

# Every dated item: meetings, and commitments dated by themselves or by their meeting.
_ITEMS = """
    SELECT m.ref, e.name, 'meeting' AS kind, m.date, m.date_precision AS precision,
           m.meeting_type AS what, pl.name AS place, NULL AS via_ref, NULL AS via_name
    FROM meetings AS m JOIN entities AS e ON e.ref = m.ref
    LEFT JOIN entities AS pl ON pl.ref = m.place_ref
    WHERE m.date IS NOT NULL
    UNION ALL
    SELECT c.ref, e.name, 'commitment', coalesce(c.date, mt.date),
           CASE WHEN c.date IS NOT NULL THEN c.date_precision ELSE 'announced' END,
           c.category || ', ' || c.status, NULL,
           CASE WHEN c.date IS NULL THEN c.announced_at_ref END,
           CASE WHEN c.date IS NULL THEN me.name END
    FROM commitments AS c JOIN entities AS e ON e.ref = c.ref
    LEFT JOIN meetings AS mt ON mt.ref = c.announced_at_ref
    LEFT JOIN entities AS me ON me.ref = mt.ref
    WHERE coalesce(c.date, mt.date) IS NOT NULL"""

# (item, entity) for every organization, person or place an item involves, places widened to
# every place that contains them.
_INVOLVES = """
    WITH RECURSIVE direct(item, other) AS (
        SELECT meeting_ref, entity_ref FROM meeting_participants
        UNION SELECT ref, place_ref FROM meetings WHERE place_ref IS NOT NULL
        UNION SELECT commitment_ref, entity_ref FROM commitment_parties
        UNION SELECT commitment_ref, place_ref FROM commitment_places),
    up(item, other) AS (
        SELECT item, other FROM direct
        UNION SELECT up.item, p.within_ref FROM up JOIN places AS p ON p.ref = up.other
        WHERE p.within_ref IS NOT NULL)
    SELECT up.item, up.other FROM up JOIN entities AS e ON e.ref = up.other
    WHERE e.kind IN ('organization', 'person', 'place')"""


def items(conn: sqlite3.Connection, about: str | None = None) -> list[dict[str, Any]]:
    """Dated items in date order; with `about`, only those that involve that entity."""
    sql = f"SELECT * FROM ({_ITEMS}) AS i"  # noqa: S608 - constant fragments
    params: list[Any] = []
    if about:
        sql += f" WHERE i.ref IN (SELECT item FROM ({_INVOLVES}) WHERE other = ?)"  # noqa: S608 - constants
        params.append(about)
    sql += " ORDER BY i.date, i.kind DESC, i.name, i.ref"
    rows = [dict(row) for row in conn.execute(sql, params).fetchall()]
    for row in rows:
        row["when"] = fmt.date(row["date"], row["precision"])
        row["precision_label"] = PRECISION_LABELS.get(
            row["precision"] or "", row["precision"] or ""
        )
    return rows


def involved(conn: sqlite3.Connection, limit: int = 500) -> list[dict[str, Any]]:
    """Organizations, people and places the timeline can be filtered by, with item counts."""
    sql = f"""SELECT v.other AS ref, e.kind, e.name, count(DISTINCT v.item) AS count
              FROM ({_INVOLVES}) AS v
              JOIN ({_ITEMS}) AS i ON i.ref = v.item
              JOIN entities AS e ON e.ref = v.other
              GROUP BY v.other ORDER BY e.kind, count DESC, e.name LIMIT ?"""  # noqa: S608 - constants
    return [dict(row) for row in conn.execute(sql, (limit,)).fetchall()]
