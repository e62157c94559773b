"""What a detail rolls up from one step further: the participants of the meetings a meeting
includes, and the figures (amount, capacity) of the commitments an entity links to."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from tui.data import stated
from tui.data.queries import RELATION_ORDER, link_sources
from tui.data.statements import COMMITMENT_FIGURES

PARTICIPANT = "participant"  # the relation whose group the included participants join
# Included participants listed at most: beyond, the first by name (a detail says "200+").
ROLLED_UP = 200

# Every meeting under `:ref` (included, or included in an included one), with its name.
_INCLUDED = """
    WITH RECURSIVE included(ref) AS (
        SELECT ref FROM meetings WHERE part_of_ref = :ref
        UNION SELECT m.ref FROM meetings AS m JOIN included AS i ON m.part_of_ref = i.ref)
    SELECT mp.entity_ref, e.kind, e.name, mp.role, mp.link_id, i.ref, im.name
    FROM included AS i
    JOIN meeting_participants AS mp ON mp.meeting_ref = i.ref
    JOIN entities AS e ON e.ref = mp.entity_ref
    JOIN entities AS im ON im.ref = i.ref
    WHERE i.ref <> :ref AND mp.entity_ref NOT IN (
        SELECT entity_ref FROM meeting_participants WHERE meeting_ref = :ref)
    ORDER BY e.name COLLATE NOCASE, e.ref, im.name COLLATE NOCASE, i.ref"""


def included_participants(conn: sqlite3.Connection, ref: str) -> list[dict[str, Any]]:
    """Who took part in the meetings `ref` includes and not in `ref` itself: once per
    participant, as `{ref, kind, name, role, via: [{ref, name}], sources, statements}`
    (`via`: the included meetings they took part in; the rest: in the first of them)."""
    found: dict[str, dict[str, Any]] = {}
    first_links: dict[str, int] = {}
    for who, kind, name, role, link_id, via_ref, via_name in conn.execute(_INCLUDED, {"ref": ref}):
        if who not in found:
            if len(found) >= ROLLED_UP:
                break
            found[who] = {"ref": who, "kind": kind, "name": name, "role": role, "via": []}
            first_links[who] = link_id
        if all(via["ref"] != via_ref for via in found[who]["via"]):
            found[who]["via"].append({"ref": via_ref, "name": via_name})
    quotes = link_sources(conn, list(first_links.values()))
    # A participation's statements have the participant or the meeting as their subject.
    ends = [{"link_id": first_links[who], "ref": end}
            for who, item in found.items() for end in (who, item["via"][0]["ref"])]  # fmt: skip
    said = stated.link_statements(conn, ref, ends)
    for who, item in found.items():
        link_id = first_links[who]
        item["sources"] = [
            {"article": q["article"], "quote": q["quote"]} for q in quotes.get(link_id, [])
        ]
        item["statements"] = [
            {k: v for k, v in statement.items() if k not in ("subject", "link_id")}
            for statement in said.get(link_id, [])
        ]
    return list(found.values())


def commitment_figures(conn: sqlite3.Connection, refs: list[str]) -> dict[str, dict[str, Any]]:
    """The stated figures of each commitment in `refs` (amount, capacity, quantity, target
    and their units): `{ref: {field: value}}`, fields without a value left out."""
    wanted = sorted({r for r in refs if r.startswith("commitment:")})
    if not wanted:
        return {}
    marks = ",".join("?" * len(wanted))
    columns = ", ".join(COMMITMENT_FIGURES)
    rows = conn.execute(
        f"SELECT ref, {columns} FROM commitments WHERE ref IN ({marks})",  # noqa: S608 - constant names, placeholders
        wanted,
    )
    found = {}
    for row in rows:
        figures = dict(zip(COMMITMENT_FIGURES, row[1:], strict=True))
        found[row[0]] = {k: v for k, v in figures.items() if v is not None}
    return found


@dataclass
class LinkGroup:
    """One relation's rows in a detail: `links` as listed, `total` how many it has in all
    (each linked entity once)."""

    relation: str
    links: list[dict[str, Any]]
    total: int


def merged(links: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], int]:
    """`links` (of one relation) with each entity once: a second link to the same entity
    adds its role, sources and statements to the first. Returns them and how many merged."""
    found: dict[str, dict[str, Any]] = {}
    for link in links:
        first = found.get(link["ref"])
        if first is None:
            found[link["ref"]] = dict(link)
            continue
        roles = [role for role in (first["role"] or "").split(", ") if role]
        if link["role"] and link["role"] not in roles:
            roles.append(link["role"])
        first["role"] = ", ".join(roles) or None
        for key in ("sources", "statements"):
            first[key] = [*first.get(key, []), *link.get(key, [])]
        first["agreement"] = first.get("agreement") or link.get("agreement")
    return list(found.values()), len(links) - len(found)


def link_groups(details: dict[str, Any]) -> list[LinkGroup]:
    """A detail's links by relation, in order, each linked entity once per relation (see
    `merged`), and a meeting's included participants after its own (each with its `via`):
    the participants group made if it has none of its own."""
    groups: list[LinkGroup] = []
    counts = details.get("link_counts") or {}
    for relation, same in groupby(details["links"], key=lambda link: link["relation"]):
        items, twice = merged(list(same))
        total = counts.get(relation, len(items) + twice) - twice
        groups.append(LinkGroup(relation, items, total))
    included = details.get("included_participants") or []
    if not included:
        return groups
    rolled = [{**item, "relation": PARTICIPANT} for item in included]
    for group in groups:
        if group.relation == PARTICIPANT:
            group.links.extend(rolled)
            group.total += len(rolled)
            return groups
    order = {relation: i for i, relation in enumerate(RELATION_ORDER)}
    at = sum(1 for group in groups if order.get(group.relation, 99) < order[PARTICIPANT])
    groups.insert(at, LinkGroup(PARTICIPANT, rolled, len(rolled)))
    return groups
