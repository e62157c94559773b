"""Which commitments may contain which, so a total never adds a figure into one that may
already hold it.

- A commitment stated to be `part of` another is contained in it (certain).
- A commitment that `covers` a meeting is a total of what that meeting signed (the 47
  documents of the state visit). It may contain every other commitment announced at that
  meeting or at any meeting part of it, and every commitment linked to no meeting at all
  (the texts do not say where it was signed): "may be included". A commitment announced at
  a meeting outside it is not.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True)
class Container:
    """A commitment that contains (or may contain) another, and why."""

    ref: str
    certain: bool
    why: str


def _meeting_tree(conn: sqlite3.Connection) -> tuple[dict[str, set[str]], dict[str, str]]:
    """Each meeting's meetings within it (itself included, at any depth), and names."""
    parent: dict[str, str | None] = {}
    names: dict[str, str] = {}
    for ref, part_of, name in conn.execute(
        "SELECT m.ref, m.part_of_ref, e.name FROM meetings AS m JOIN entities AS e ON e.ref = m.ref"
    ):
        parent[ref], names[ref] = part_of, name
    inside: dict[str, set[str]] = {ref: {ref} for ref in parent}
    for ref in parent:
        seen, at = {ref}, parent[ref]
        while at is not None and at not in seen and at in inside:
            inside[at].add(ref)
            seen.add(at)
            at = parent.get(at)
    return inside, names


def containers(conn: sqlite3.Connection) -> dict[str, list[Container]]:
    """For each commitment, the commitments that contain or may contain it (certain first)."""
    rows = conn.execute(
        """SELECT c.ref, e.name, c.announced_at_ref, c.part_of_ref, c.covers_ref
           FROM commitments AS c JOIN entities AS e ON e.ref = c.ref
           WHERE c.part_of_ref IS NOT NULL OR c.covers_ref IS NOT NULL
              OR c.amount IS NOT NULL OR c.document_count IS NOT NULL
              OR c.capacity IS NOT NULL OR c.quantity IS NOT NULL"""
    ).fetchall()
    names = {ref: name for ref, name, *_ in rows}
    found: dict[str, list[Container]] = {}
    for ref, _, _, part_of, _ in rows:
        if part_of is not None:
            parent = names.get(part_of, part_of)
            found.setdefault(ref, []).append(Container(part_of, True, f"part of {parent}"))
    totals = [(ref, covers) for ref, _, _, _, covers in rows if covers is not None]
    if not totals:
        return found
    inside, meeting_names = _meeting_tree(conn)
    for total, covers in totals:
        scope = inside.get(covers, {covers})
        covered = meeting_names.get(covers, covers)
        for ref, _, announced_at, _, own_covers in rows:
            if ref == total:
                continue
            if own_covers is not None:  # a total of its own: inside only if its meeting is
                if own_covers in scope and own_covers != covers:
                    why = (
                        f"a total of {meeting_names.get(own_covers, own_covers)}, part of {covered}"
                    )
                    found.setdefault(ref, []).append(Container(total, False, why))
                continue
            if announced_at is None:
                why = f"linked to no meeting, so it may be among what {covered} signed"
            elif announced_at in scope:
                at = meeting_names.get(announced_at, announced_at)
                why = f"announced at {at}" + (
                    f", part of {covered}" if announced_at != covers else ""
                )
            else:
                continue
            found.setdefault(ref, []).append(Container(total, False, why))
    return found
