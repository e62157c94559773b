"""What an entity's links say, for the `linked` column of its search document.

For each link of an entity, in either direction: the name of the entity at the other end, the
link's role and its quotes; and between a commitment and the meeting that announced it, the
other's name. Each text once, in a fixed order (link table, then link id, then quote id), cut
at `LINKED_MAX_CHARS` (a hub's thousands of links would otherwise be read by every search).

An entity's text depends on links other entities own (a party of a commitment is named in
the commitment's facts), so the full build and an update of one article gather the same rows
in different ways, from the rows being written or from the database, and `collect` makes the
texts of both.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

LINKED_MAX_CHARS = 2000
# The link tables, each with its two ends' columns.
LINK_ENDS = {
    "positions": ("person_ref", "organization_ref"),
    "meeting_participants": ("meeting_ref", "entity_ref"),
    "commitment_parties": ("commitment_ref", "entity_ref"),
    "commitment_places": ("commitment_ref", "place_ref"),
    "relations": ("from_ref", "to_ref"),
}
_BATCH = 500


def collect(
    link_rows: Mapping[str, Iterable[Mapping[str, Any]]],
    link_quotes: Mapping[int, Iterable[tuple[int, str]]],
    names: Mapping[str, str],
    announced: Iterable[tuple[str, str]],
    only: set[str] | None = None,
) -> dict[str, str]:
    """The linked text of every entity the rows name (or of those in `only`).

    `link_rows` are each link table's rows, `link_quotes` each link's (quote id, text) pairs,
    `announced` (commitment, meeting) pairs."""
    found: dict[str, dict[str, None]] = {}

    def add(this: str, texts: Iterable[str]) -> None:
        if only is not None and this not in only:
            return
        into = found.setdefault(this, {})
        for text in texts:
            if text:
                into.setdefault(text, None)

    for table, (owner, target) in LINK_ENDS.items():
        for row in sorted(link_rows.get(table, ()), key=lambda r: r["link_id"]):
            quotes = [text for _, text in sorted(link_quotes.get(row["link_id"], ()))]
            said = [row["role"] or "", *quotes]
            add(row[owner], [names.get(row[target], ""), *said])
            add(row[target], [names.get(row[owner], ""), *said])
    for commitment, meeting in sorted(announced):
        add(meeting, [names.get(commitment, "")])
        add(commitment, [names.get(meeting, "")])
    return {ref: "\n".join(_capped(list(texts))) for ref, texts in found.items()}


def _capped(texts: list[str]) -> list[str]:
    kept, size = [], 0
    for text in texts:
        size += len(text) + 1
        if size > LINKED_MAX_CHARS:
            break
        kept.append(text)
    return kept


def _select(conn: sqlite3.Connection, sql: str, values: Sequence[Any]) -> list[Any]:
    rows: list[Any] = []
    for start in range(0, len(values), _BATCH):
        batch = list(values[start : start + _BATCH])
        rows.extend(conn.execute(sql.format(", ".join("?" * len(batch))), batch).fetchall())
    return rows


def from_database(conn: sqlite3.Connection, refs: Sequence[str]) -> dict[str, str]:
    """The linked text of each of `refs` ('' for one with no links), read from the database."""
    link_rows: dict[str, list[dict[str, Any]]] = {}
    for table, (owner, target) in LINK_ENDS.items():
        seen: dict[int, dict[str, Any]] = {}
        for column in (owner, target):
            sql = (
                f"SELECT link_id, {owner}, {target}, role FROM {table} "  # noqa: S608 - schema names
                f"WHERE {column} IN ({{}})"
            )
            for link_id, a, b, role in _select(conn, sql, refs):
                seen[link_id] = {"link_id": link_id, owner: a, target: b, "role": role}
        link_rows[table] = list(seen.values())
    link_ids = [row["link_id"] for rows in link_rows.values() for row in rows]
    link_quotes: dict[int, list[tuple[int, str]]] = {}
    for link_id, quote_id, text in _select(
        conn,
        "SELECT ev.link_id, q.id, q.text FROM evidence AS ev JOIN quotes AS q "
        "ON q.id = ev.quote_id WHERE ev.link_id IN ({})",
        link_ids,
    ):
        link_quotes.setdefault(link_id, []).append((quote_id, text))
    announced = {
        (c, m)
        for column in ("ref", "announced_at_ref")
        for c, m in _select(
            conn,
            "SELECT ref, announced_at_ref FROM commitments "  # noqa: S608 - constant columns
            f"WHERE announced_at_ref IS NOT NULL AND {column} IN ({{}})",
            refs,
        )
    }
    ends = {
        ref
        for table, (owner, target) in LINK_ENDS.items()
        for row in link_rows[table]
        for ref in (row[owner], row[target])
    } | {ref for pair in announced for ref in pair}
    names: dict[str, str] = dict(
        _select(conn, "SELECT ref, name FROM entities WHERE ref IN ({})", sorted(ends))
    )
    texts = collect(link_rows, link_quotes, names, announced, only=set(refs))
    return {ref: texts.get(ref, "") for ref in refs}


def neighbours(conn: sqlite3.Connection, refs: Sequence[str]) -> set[str]:
    """Every entity linked to one of `refs` (whose linked text may name them)."""
    found: set[str] = set()
    for table, (owner, target) in LINK_ENDS.items():
        for column, other in ((owner, target), (target, owner)):
            sql = f"SELECT {other} FROM {table} WHERE {column} IN ({{}})"  # noqa: S608 - schema names
            found.update(r[0] for r in _select(conn, sql, refs))
    for column, other in (("ref", "announced_at_ref"), ("announced_at_ref", "ref")):
        sql = (
            f"SELECT {other} FROM commitments WHERE announced_at_ref IS NOT NULL "  # noqa: S608 - constant columns
            f"AND {column} IN ({{}})"
        )
        found.update(r[0] for r in _select(conn, sql, refs))
    return found
