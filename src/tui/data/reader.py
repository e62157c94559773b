"""What the source reader shows beside an article's text: who each quote is about."""

from __future__ import annotations

import json
import sqlite3

Span = tuple[int, int]


def quote_entities(conn: sqlite3.Connection, article_ref: str) -> dict[Span, list[str]]:
    """For each stored quote of the article (by its span), the entities it states something
    about: the statements' subjects, then the entities their links and references name (a
    party, a participant, a country), each once, in that order."""
    found: dict[Span, dict[str, None]] = {}
    rows = conn.execute(
        """SELECT q.start, q.end, s.subject_ref, s.value
           FROM quotes AS q JOIN statements AS s ON s.quote_id = q.id
           WHERE q.article_ref = ? ORDER BY q.start, s.id""",
        (article_ref,),
    ).fetchall()
    named: dict[Span, list[str]] = {}
    for start, end, subject, value in rows:
        found.setdefault((start, end), {}).setdefault(subject, None)
        target = _ref_value(value)
        if target:
            named.setdefault((start, end), []).append(target)
    for start, end, ref in conn.execute(
        """SELECT q.start, q.end, ev.entity_ref FROM quotes AS q
           JOIN evidence AS ev ON ev.quote_id = q.id
           WHERE q.article_ref = ? AND ev.entity_ref IS NOT NULL ORDER BY q.start""",
        (article_ref,),
    ):
        found.setdefault((start, end), {}).setdefault(ref, None)
    candidates = {ref for refs in named.values() for ref in refs}
    if candidates:
        marks = ",".join("?" * len(candidates))
        known = {
            ref
            for (ref,) in conn.execute(
                f"SELECT ref FROM entities WHERE ref IN ({marks})",  # noqa: S608 - placeholders only
                sorted(candidates),
            )
        }
        for span, refs in named.items():
            for ref in refs:
                if ref in known:
                    found.setdefault(span, {}).setdefault(ref, None)
    return {span: list(refs) for span, refs in found.items()}


def _ref_value(value: str | None) -> str | None:
    """A statement's value when it names an entity (`"kind:id"`), else None."""
    if not value:
        return None
    try:
        decoded = json.loads(value)
    except ValueError:
        return None
    if isinstance(decoded, str) and ":" in decoded and " " not in decoded:
        return decoded
    return None
