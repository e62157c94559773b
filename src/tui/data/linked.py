"""What an entity's links say, for its search document (`search_docs.linked`): the name of the
entity at each link's other end, the link's role and its quotes, and the meeting a commitment
was announced at (both ways). Ranked below what the entity's own facts say (tui.data.search).

Read from the database once its rows are written, so that the full build and an update of one
article (which rewrites only some entities) give every document the same text: a link owned
by an entity the update leaves alone still speaks for the entity at its other end."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence

LINKED_MAX_CHARS = 2000  # per document: a hub's thousands of links are not read by every search
# The link tables, each with its two ends' columns.
LINK_ENDS = {
    "positions": ("person_ref", "organization_ref"),
    "meeting_participants": ("meeting_ref", "entity_ref"),
    "commitment_parties": ("commitment_ref", "entity_ref"),
    "commitment_places": ("commitment_ref", "place_ref"),
    "relations": ("from_ref", "to_ref"),
}
_BATCH = 500


def _batches(values: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(values), _BATCH):
        yield values[start : start + _BATCH]


def _pairs(conn: sqlite3.Connection, refs: Sequence[str] | None) -> Iterator[tuple[str, ...]]:
    """(this end, other end, role, link id) for every link touching `refs` (None: all), in one
    order for any set of refs: by table, then link id, then end."""
    for table, (owner, target) in LINK_ENDS.items():
        rows: list[tuple[str, str, str | None, int]] = []
        if refs is None:
            rows = conn.execute(
                f"SELECT {owner}, {target}, role, link_id FROM {table}"  # noqa: S608 - schema names
            ).fetchall()
        else:
            seen: set[int] = set()
            for batch in _batches(refs):
                marks = ",".join("?" * len(batch))
                for row in conn.execute(
                    f"SELECT {owner}, {target}, role, link_id FROM {table} "  # noqa: S608 - schema names
                    f"WHERE {owner} IN ({marks}) OR {target} IN ({marks})",
                    [*batch, *batch],
                ):
                    if row[3] not in seen:
                        seen.add(row[3])
                        rows.append(tuple(row))
        for a, b, role, link_id in sorted(rows, key=lambda r: r[3]):
            yield a, b, role or "", str(link_id)
            yield b, a, role or "", str(link_id)


_QUOTE_ORDER = "ev.link_id, q.article_ref, q.start, q.end"


def _link_quotes(conn: sqlite3.Connection, link_ids: Iterable[str] | None) -> dict[str, list[str]]:
    """The quotes of each link (None: of every link, in one pass: the full build reads this
    before it creates the indexes)."""
    found: dict[str, list[str]] = {}
    if link_ids is None:
        for link_id, text in conn.execute(
            "SELECT ev.link_id, q.text FROM evidence AS ev JOIN quotes AS q ON q.id = ev.quote_id "  # noqa: S608 - constant
            f"WHERE ev.link_id IS NOT NULL ORDER BY {_QUOTE_ORDER}"
        ):
            found.setdefault(str(link_id), []).append(text)
        return found
    ids = sorted(set(link_ids))
    for batch in _batches(ids):
        marks = ",".join("?" * len(batch))
        for link_id, text in conn.execute(
            f"SELECT ev.link_id, q.text FROM evidence AS ev JOIN quotes AS q ON q.id = ev.quote_id "  # noqa: S608 - placeholders only
            f"WHERE ev.link_id IN ({marks}) ORDER BY {_QUOTE_ORDER}",
            [int(i) for i in batch],
        ):
            found.setdefault(str(link_id), []).append(text)
    return found


def _names(conn: sqlite3.Connection, refs: Iterable[str] | None) -> dict[str, str]:
    """The names of `refs` (None: of every entity, in one pass)."""
    if refs is None:
        return dict(conn.execute("SELECT ref, name FROM entities").fetchall())
    found: dict[str, str] = {}
    wanted = sorted(set(refs))
    for batch in _batches(wanted):
        marks = ",".join("?" * len(batch))
        found.update(
            conn.execute(
                f"SELECT ref, name FROM entities WHERE ref IN ({marks})",  # noqa: S608 - placeholders only
                list(batch),
            ).fetchall()
        )
    return found


def linked_texts(conn: sqlite3.Connection, refs: Sequence[str] | None = None) -> dict[str, str]:
    """The `linked` text of each of `refs` (None: every entity), from the database."""
    pairs = list(_pairs(conn, refs))
    announced: list[tuple[str, str]] = []
    if refs is None:
        announced = conn.execute(
            "SELECT ref, announced_at_ref FROM commitments WHERE announced_at_ref IS NOT NULL "
            "ORDER BY ref"
        ).fetchall()
    else:
        for batch in _batches(refs):
            marks = ",".join("?" * len(batch))
            announced.extend(
                conn.execute(
                    "SELECT ref, announced_at_ref FROM commitments "  # noqa: S608 - placeholders only
                    f"WHERE announced_at_ref IS NOT NULL AND (ref IN ({marks}) "
                    f"OR announced_at_ref IN ({marks}))",
                    [*batch, *batch],
                ).fetchall()
            )
        announced = sorted(set(announced))
    if refs is None:
        names, quotes = _names(conn, None), _link_quotes(conn, None)
    else:
        names = _names(conn, [p[1] for p in pairs] + [r for pair in announced for r in pair])
        quotes = _link_quotes(conn, [p[3] for p in pairs])
    wanted = None if refs is None else set(refs)
    found: dict[str, dict[str, None]] = {}
    for this, other, role, link_id in pairs:
        if wanted is not None and this not in wanted:
            continue
        into = found.setdefault(this, {})
        for text in (names.get(other, ""), role, *quotes.get(link_id, [])):
            if text:
                into.setdefault(text, None)
    for commitment, meeting in announced:
        for this, other in ((meeting, commitment), (commitment, meeting)):
            if wanted is None or this in wanted:
                found.setdefault(this, {}).setdefault(names.get(other, ""), None)
    return {ref: "\n".join(_capped([t for t in texts if t])) for ref, texts in found.items()}


def neighbours(conn: sqlite3.Connection, refs: Sequence[str]) -> set[str]:
    """The entities at the other end of a link (or an announcement) from any of `refs`."""
    found = {other for _, other, _, _ in _pairs(conn, refs)}
    for batch in _batches(refs):
        marks = ",".join("?" * len(batch))
        for ref, meeting in conn.execute(
            "SELECT ref, announced_at_ref FROM commitments "  # noqa: S608 - placeholders only
            f"WHERE announced_at_ref IS NOT NULL AND (ref IN ({marks}) "
            f"OR announced_at_ref IN ({marks}))",
            [*batch, *batch],
        ):
            found.update((ref, meeting))
    return found


def write_linked(conn: sqlite3.Connection, refs: Sequence[str] | None = None) -> None:
    """Set `search_docs.linked` of `refs` (None: every document) from the database."""
    texts = linked_texts(conn, refs)
    targets = [r for (r,) in conn.execute("SELECT ref FROM search_docs")] if refs is None else refs
    conn.executemany(
        "UPDATE search_docs SET linked = ? WHERE ref = ?",
        [(texts.get(ref, ""), ref) for ref in targets],
    )


def _capped(texts: list[str], limit: int = LINKED_MAX_CHARS) -> list[str]:
    """The first texts that fit in `limit` characters."""
    kept, size = [], 0
    for text in texts:
        size += len(text) + 1
        if size > limit:
            break
        kept.append(text)
    return kept
