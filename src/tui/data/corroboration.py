"""How well each fact is sourced: entities and relationships by how many articles report
them, and the fields the articles state differently."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from tui.data import stated
from tui.data.links import LINK_ENDS
from tui.formatting import counted


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
        agreed = stated.property_agreements(conn, item["ref"])
        item["agreement"] = worst_of(agreed)
        item["states"] = [
            {**dict(row), "agreement": agreed.get(row["field"], {}).get("agreement")}
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
    return {
        "differently": differently,
        "single": single,
        "single_links": single_links,
        "corroborated": corroborated(conn, limit),
        "differences": differences(conn, limit),
    }


def worst_of(agreed: dict[str, dict[str, Any]]) -> str | None:
    """`conflicting` if any property conflicts, else `consistent` if any differs, else None."""
    found = {a["agreement"] for a in agreed.values()}
    return next((a for a in ("conflicting", "consistent") if a in found), None)


def corroborated(conn: sqlite3.Connection, limit: int = 1000) -> list[dict[str, Any]]:
    """The facts several articles report with the same value: `ref, kind, name, property,
    value` (and `value_name` where it names an entity, `role` for a link), the `articles`
    that report it, and `agreement`: how the articles agree on the property as a whole (a
    party two articles name is corroborated even where they name other parties besides)."""
    rows = conn.execute(
        """SELECT s.subject_ref AS subject, e.kind, e.name, s.property, s.value, s.role,
                  group_concat(DISTINCT s.article_ref) AS articles, pa.agreement
           FROM statements AS s
           JOIN entities AS e ON e.ref = s.subject_ref
           LEFT JOIN property_agreements AS pa
                ON pa.subject_ref = s.subject_ref AND pa.property = s.property
           WHERE s.property <> 'mention'
           GROUP BY s.subject_ref, s.property, s.value, s.role
           HAVING count(DISTINCT s.article_ref) > 1
           ORDER BY e.kind, e.name, s.subject_ref, s.property, s.value LIMIT ?""",
        (limit,),
    ).fetchall()
    items = []
    said: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        item = dict(row)
        item["value"] = None if item["value"] is None else json.loads(item["value"])
        item["articles"] = sorted(item["articles"].split(","))
        items.append(item)
    stated.name_values(conn, items)
    for item in items:
        subject = item["subject"]
        if subject not in said:
            said[subject] = stated.statements_of(conn, subject)
        key = (item["property"], item["value"], item["role"])
        same = [s["shown"] for s in said[subject] if (s["property"], s["value"], s["role"]) == key]
        item["shown"] = same[0] if same else stated.shown(item, lambda prop: None)
    return [{"ref": i.pop("subject"), **i} for i in items]


def differences(conn: sqlite3.Connection, limit: int = 1000) -> list[dict[str, Any]]:
    """Every property (a field or a set of links) the articles state differently: `ref,
    kind, name, property, agreement` (`consistent`: the values can all be true;
    `conflicting`: they cannot) and `states`, every statement of it (article, value, role,
    quote, asserted_by)."""
    rows = conn.execute(
        """SELECT pa.subject_ref AS ref, e.kind, e.name, pa.property, pa.agreement
           FROM property_agreements AS pa JOIN entities AS e ON e.ref = pa.subject_ref
           WHERE pa.agreement IN ('consistent', 'conflicting')
           ORDER BY e.kind, e.name, pa.subject_ref, pa.property LIMIT ?""",
        (limit,),
    ).fetchall()
    items = []
    for row in rows:
        item = dict(row)
        item["states"] = [
            {k: v for k, v in s.items() if k not in ("subject", "link_id")}
            for s in stated.statements_of(conn, item["ref"])
            if s["property"] == item["property"]
        ]
        items.append(item)
    return items


def summary(conn: sqlite3.Connection) -> dict[str, int]:
    """Entities (not articles) by reporting: corroborated, single source, differently (a
    field or a set of links stated differently: those `differences` lists); and how many the
    articles state consistently differently or in conflict."""
    row = conn.execute(
        """SELECT sum(n > 1 AND NOT d), sum(n = 1 AND NOT d), sum(d), count(*) FROM (
               SELECT e.agreement IN ('consistent', 'conflicting') AS d,
                      count(DISTINCT q.article_ref) AS n
               FROM entities AS e
               JOIN evidence AS ev ON ev.entity_ref = e.ref
               JOIN quotes AS q ON q.id = ev.quote_id
               WHERE e.kind <> 'article' GROUP BY e.ref)"""
    ).fetchone()
    agreed = dict(
        conn.execute(
            "SELECT agreement, count(*) FROM entities WHERE kind <> 'article' GROUP BY agreement"
        ).fetchall()
    )
    return {
        "corroborated": row[0] or 0,
        "single_source": row[1] or 0,
        "reported_differently": row[2] or 0,
        "entities": row[3] or 0,
        # entities by how their articles agree (the weakest of their properties and links)
        "consistent": agreed.get("consistent", 0),
        "conflicting": agreed.get("conflicting", 0),
    }


def summary_line(counts: dict[str, int]) -> str:
    """`summary` in a line: "78 entities: 6 corroborated, 68 single source, ..."."""
    return (
        f"{counted(counts['entities'], 'entity', 'entities')}: "
        f"{counts['corroborated']:,} corroborated, {counts['single_source']:,} single source, "
        f"{counts['reported_differently']:,} reported differently "
        f"({counts['conflicting']:,} in conflict, {counts['consistent']:,} consistent)"
    )
