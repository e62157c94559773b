"""Meetings, signings and targets laid out by date, as precise as the articles state them.

A commitment with a date of its own (a signing day, a target year) is placed there; one
without, but announced at a dated meeting, is placed at that meeting's date and marked so.
Filtering by an organization, person or place keeps the items it takes part in (for a place,
also the places within it).

The build works both out once (`derive_items`, `derive_involves`) into `timeline_items`, each
item keyed (`seq`, a text sort key made from the item alone) in timeline order, and
`timeline_involves`, (other, seq) pairs. Reading a page is then a range of `seq` in an index,
with or without a filter: never a sort of every item.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from tui import formatting as fmt
from tui.data.dates import restate, stated_sql
from tui.data.queries import PAGE_SIZE

PRECISION_LABELS = {
    "day": "day", "month": "month", "year": "year", "target_year": "target yr",
    "announced": "at meeting",
}  # fmt: skip

# The kinds a timeline can be filtered by.
FILTER_KINDS = ("organization", "person", "place")

# Every dated item: meetings, and commitments dated by themselves or by their meeting.
_ITEMS = """
    SELECT m.ref, e.name, 'meeting' AS kind, m.date, m.date_precision,
           m.date_precision AS precision, NULL AS via_ref
    FROM meetings AS m JOIN entities AS e ON e.ref = m.ref
    WHERE m.date IS NOT NULL
    UNION ALL
    SELECT c.ref, e.name, 'commitment', coalesce(c.date, mt.date),
           CASE WHEN c.date IS NOT NULL THEN c.date_precision ELSE mt.date_precision END,
           CASE WHEN c.date IS NOT NULL THEN c.date_precision ELSE 'announced' END,
           CASE WHEN c.date IS NULL THEN c.announced_at_ref END
    FROM commitments AS c JOIN entities AS e ON e.ref = c.ref
    LEFT JOIN meetings AS mt ON mt.ref = c.announced_at_ref
    WHERE coalesce(c.date, mt.date) IS NOT NULL"""

# (item, entity) for every entity an item names directly: participants, parties and places.
_DIRECT = """
    SELECT meeting_ref AS item, entity_ref AS other FROM meeting_participants
    UNION ALL SELECT ref, place_ref FROM meetings WHERE place_ref IS NOT NULL
    UNION ALL SELECT commitment_ref, entity_ref FROM commitment_parties
    UNION ALL SELECT commitment_ref, place_ref FROM commitment_places"""

# (place, place) for every place and each place that contains it, itself included.
_PLACE_WITHIN = """
    WITH RECURSIVE up(place, other) AS (
        SELECT ref, ref FROM places
        UNION SELECT up.place, p.within_ref FROM up JOIN places AS p ON p.ref = up.other
        WHERE p.within_ref IS NOT NULL)
    SELECT place, other FROM up"""

# One row of the timeline, from its numbered item: the rest is a primary-key lookup each.
_COLUMNS = """
    t.seq, t.ref, e.name, e.kind, t.date, t.date_precision, t.precision,
    CASE WHEN e.kind = 'meeting' THEN m.meeting_type
         ELSE nullif(coalesce(c.category, '') || CASE WHEN c.category IS NOT NULL
                     AND c.status IS NOT NULL THEN ', ' ELSE '' END || coalesce(c.status, ''), '')
    END AS what,  -- category and status, either of which may be unstated
    pl.name AS place, t.via_ref, me.name AS via_name"""
_JOINS = """
    JOIN entities AS e ON e.ref = t.ref
    LEFT JOIN meetings AS m ON m.ref = t.ref
    LEFT JOIN commitments AS c ON c.ref = t.ref
    LEFT JOIN entities AS pl ON pl.ref = m.place_ref
    LEFT JOIN entities AS me ON me.ref = t.via_ref"""


# An item's place in the timeline: its date as stated (`2030` before `2030-01-01`), meetings
# before commitments, then its ref (short, unique, and made from its name), joined by a
# separator that sorts before any text. It depends on the item alone, so an update rewrites
# only the items it changes.
_SORT_KEY = f"""{stated_sql("date", "date_precision")} || char(31)
    || CASE kind WHEN 'meeting' THEN '0' ELSE '1' END || char(31) || ref"""


def derive_items(conn: sqlite3.Connection, refs: list[str] | None = None) -> None:
    """Fill `timeline_items` from meetings and commitments: all of them (at build time), or
    only the items of `refs` (an update, once their old rows are gone)."""
    where, params = "", []
    if refs is not None:
        where = f"WHERE ref IN ({', '.join('?' * len(refs))})"
        params = refs
    conn.execute(
        f"""INSERT INTO timeline_items (seq, ref, name, date, date_precision, precision, via_ref)
            SELECT {_SORT_KEY}, ref, name, date, date_precision, precision, via_ref
            FROM ({_ITEMS}) {where} ORDER BY 1""",  # noqa: S608 - constant fragments
        params,
    )


def _involves_sql(refs: list[str] | None) -> tuple[str, list[str]]:
    """The (other, seq) pairs of every item, or of the items of `refs` (then only the places
    those items name are followed up their `within`), in key order."""
    kinds = ", ".join("?" * len(FILTER_KINDS))
    if refs is None:
        direct, within, params = f"({_DIRECT})", f"({_PLACE_WITHIN})", list(FILTER_KINDS)
    else:
        marks = ", ".join("?" * len(refs))
        direct = f"""(  -- the constant _DIRECT, each part only for these items
            SELECT meeting_ref AS item, entity_ref AS other FROM meeting_participants
                WHERE meeting_ref IN ({marks})
            UNION ALL SELECT ref, place_ref FROM meetings
                WHERE ref IN ({marks}) AND place_ref IS NOT NULL
            UNION ALL SELECT commitment_ref, entity_ref FROM commitment_parties
                WHERE commitment_ref IN ({marks})
            UNION ALL SELECT commitment_ref, place_ref FROM commitment_places
                WHERE commitment_ref IN ({marks}))"""  # noqa: S608 - placeholders
        within = f"""(
            WITH RECURSIVE named(place) AS (SELECT other FROM {direct}),
            up(place, other) AS (
                SELECT ref, ref FROM places WHERE ref IN (SELECT place FROM named)
                UNION SELECT up.place, p.within_ref FROM up JOIN places AS p ON p.ref = up.other
                WHERE p.within_ref IS NOT NULL)
            SELECT place, other FROM up)"""  # noqa: S608 - constant fragments
        params = [*refs * 4, *refs * 4, *FILTER_KINDS]
    sql = f"""SELECT DISTINCT who, seq FROM (
                SELECT coalesce(w.other, d.other) AS who, t.seq AS seq
                FROM {direct} AS d
                JOIN timeline_items AS t ON t.ref = d.item
                LEFT JOIN {within} AS w ON w.place = d.other)
            WHERE substr(who, 1, instr(who, ':') - 1) IN ({kinds})
            ORDER BY who, seq"""  # noqa: S608 - constant fragments and placeholders
    return sql, params


def derive_involves(conn: sqlite3.Connection, refs: list[str] | None = None) -> None:
    """Fill `timeline_involves` (at build time, once `timeline_items` and its index exist),
    in key order so the rows append. A place stands for itself and every place containing
    it; an entity's kind is its ref's prefix (the schema checks `ref = kind || ':' || slug`)."""
    sql, params = _involves_sql(refs)
    conn.execute(f"INSERT INTO timeline_involves (other, seq) {sql}", params)


def involves_of(conn: sqlite3.Connection, refs: list[str]) -> list[tuple[str, str]]:
    """The `timeline_involves` rows of the items of `refs`, as `derive_involves` makes them
    from the tables as they are (an update reads them so, before it changes those tables:
    the table's key leads with `other`, so finding an item's rows by `seq` would read all)."""
    sql, params = _involves_sql(refs)
    return [(row[0], row[1]) for row in conn.execute(sql, params)]


def _finish(row: sqlite3.Row) -> dict[str, Any]:
    item = restate(dict(row))
    item["when"] = fmt.date(item["date"], item["precision"])
    del item["date_precision"]
    item["precision_label"] = PRECISION_LABELS.get(item["precision"] or "", item["precision"] or "")
    return item


def page(
    conn: sqlite3.Connection,
    about: str | None = None,
    after: str | None = None,
    limit: int | None = PAGE_SIZE,
) -> list[dict[str, Any]]:
    """Up to `limit` items in date order after the item keyed `after` (a row's `seq`);
    with `about`, only those that involve that entity. Each page is an index range."""
    params: list[Any] = []
    if about:
        sql = f"""SELECT {_COLUMNS} FROM timeline_involves AS v
                  JOIN timeline_items AS t ON t.seq = v.seq {_JOINS}
                  WHERE v.other = ? AND v.seq > ? ORDER BY v.seq"""  # noqa: S608 - constants
        params.append(about)
    else:
        sql = f"SELECT {_COLUMNS} FROM timeline_items AS t {_JOINS} WHERE t.seq > ? ORDER BY t.seq"  # noqa: S608 - constants
    params.append("" if after is None else after)
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return [_finish(row) for row in conn.execute(sql, params)]


def count(conn: sqlite3.Connection, about: str | None = None) -> int:
    """How many items the timeline holds, or involve `about`."""
    if about:
        row = conn.execute("SELECT count(*) FROM timeline_involves WHERE other = ?", (about,))
    else:
        row = conn.execute("SELECT count(*) FROM timeline_items")
    return int(row.fetchone()[0])


def items(conn: sqlite3.Connection, about: str | None = None) -> list[dict[str, Any]]:
    """Every dated item in date order; with `about`, only those that involve that entity.

    For the command line and export; the Timeline pane reads `page` by `page`."""
    rows = page(conn, about, limit=None)
    for row in rows:
        del row["seq"]
    return rows


def involved(conn: sqlite3.Connection, limit: int = 500) -> list[dict[str, Any]]:
    """Organizations, people and places the timeline can be filtered by, with item counts."""
    sql = """SELECT v.other AS ref, e.kind, e.name, count(*) AS count
             FROM timeline_involves AS v JOIN entities AS e ON e.ref = v.other
             GROUP BY v.other ORDER BY e.kind, count DESC, e.name LIMIT ?"""
    return [dict(row) for row in conn.execute(sql, (limit,)).fetchall()]
