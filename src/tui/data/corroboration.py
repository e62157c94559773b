"""How well each fact is sourced: entities and relationships by how many articles report
them, and the fields the articles state differently."""

from __future__ import annotations

import sqlite3
from typing import Any

from tui.data.links import LINK_ENDS


def reporting(conn: sqlite3.Connection, limit: int = 1000) -> dict[str, list[dict[str, Any]]]:
    """`differently`: entities whose fields the articles state differently, with what each
    article states; `single`: entities only one article reports; `single_links`:
    relationships only one article reports (while the articles cover more than one)."""
    differently = [
        dict(row)
        for row in conn.execute(
            """SELECT e.ref, e.kind, e.name FROM entities AS e WHERE e.reported_differently = 1
               ORDER BY e.kind, e.name LIMIT ?""",
            (limit,),
        )
    ]
    for item in differently:
        item["states"] = [
            dict(row)
            for row in conn.execute(
                """SELECT q.article_ref AS article, ev.field, ev.value, q.text AS quote
                   FROM evidence AS ev JOIN quotes AS q ON q.id = ev.quote_id
                   WHERE ev.entity_ref = ? AND ev.field IS NOT NULL
                   ORDER BY ev.field, q.article_ref""",
                (item["ref"],),
            )
        ]
    single = [
        dict(row)
        for row in conn.execute(
            """SELECT e.ref, e.kind, e.name, min(q.article_ref) AS article
               FROM entities AS e
               JOIN evidence AS ev ON ev.entity_ref = e.ref
               JOIN quotes AS q ON q.id = ev.quote_id
               WHERE e.kind <> 'article'
               GROUP BY e.ref HAVING count(DISTINCT q.article_ref) = 1
               ORDER BY e.kind, e.name LIMIT ?""",
            (limit,),
        )
    ]
    single_links = [
        dict(row)
        for row in conn.execute(
            f"""SELECT l.link_id, l.type, l.role, l.a, ea.name AS a_name, l.b,
                       eb.name AS b_name, min(q.article_ref) AS article
                FROM ({LINK_ENDS}) AS l
                JOIN entities AS ea ON ea.ref = l.a JOIN entities AS eb ON eb.ref = l.b
                JOIN evidence AS ev ON ev.link_id = l.link_id
                JOIN quotes AS q ON q.id = ev.quote_id
                GROUP BY l.link_id HAVING count(DISTINCT q.article_ref) = 1
                ORDER BY l.type, ea.name, eb.name LIMIT ?""",  # noqa: S608 - constant SQL
            (limit,),
        )
    ]
    return {"differently": differently, "single": single, "single_links": single_links}


def summary(conn: sqlite3.Connection) -> dict[str, int]:
    """Entities (not articles) by reporting: corroborated, single source, differently."""
    row = conn.execute(
        """SELECT sum(n > 1 AND NOT d), sum(n = 1 AND NOT d), sum(d), count(*) FROM (
               SELECT e.reported_differently AS d, count(DISTINCT q.article_ref) AS n
               FROM entities AS e
               JOIN evidence AS ev ON ev.entity_ref = e.ref
               JOIN quotes AS q ON q.id = ev.quote_id
               WHERE e.kind <> 'article' GROUP BY e.ref)"""
    ).fetchone()
    return {
        "corroborated": row[0] or 0,
        "single_source": row[1] or 0,
        "reported_differently": row[2] or 0,
        "entities": row[3] or 0,
    }
