"""One entity, fully resolved: fields, links both ways, and the quotes that state it."""

from __future__ import annotations

import sqlite3
from typing import Any

from tui.data import queries, rollup, stated

TWO_STEP_LINKS = 1_000  # above this many direct links, read them before the two-hop ones


def entity_details(
    conn: sqlite3.Connection,
    ref: str,
    *,
    per_relation: int | dict[str, int] | None = None,
    derived: bool = True,
    counts: dict[str, int] | None = None,
    stated_links: bool = True,
) -> dict[str, Any]:
    """The `show` document: `ref, kind, name, fields, links, sources` and corroboration;
    `statements` (every statement about it, see `stated.statements_of`), `agreement` (how the
    articles agree on it: single, corroborated, consistent or conflicting) and
    `property_agreements` (the same per property). Each link has its `agreement` (None for a
    derived two-hop link) and the `statements` that state it.

    Fields that name another entity (`place_ref`, `part_of_ref`, ...) keep the ref and gain a
    `<field>_name` beside it. Each link carries the quotes behind it. `per_relation` caps the
    links listed per relation (see `queries.links`); `link_counts` always has the full counts.
    `derived=False` leaves out the two-hop partners and places (the costly part for an entity
    with thousands of links). `stated_links=False` leaves each link's `statements` unread
    (empty, and `links_stated` False says so): what a first view needs is read sooner.

    Rolled up beside the links (keys of their own): a meeting's `included_participants`, who
    took part in the meetings it includes (see `rollup.included_participants`), and
    `commitment_figures`, the amounts and capacities of the commitments listed.
    """
    found = queries.entity(conn, ref)
    fields = dict(found["fields"])
    refs = [v for k, v in fields.items() if k.endswith("_ref") and v]
    names = queries.names(conn, refs)
    for key in [k for k in fields if k.endswith("_ref")]:
        if fields[key]:
            fields[key[:-4] + "_name"] = names.get(fields[key])
    if found["description"]:
        fields["description"] = found["description"]
    if counts is None:  # (`counts`: link_counts for the same `derived`, if already read)
        counts = queries.link_counts(conn, ref, derived=derived)
    links = queries.links(conn, ref, derived=derived, per_relation=per_relation, counts=counts)
    link_ids = [link["link_id"] for link in links]
    link_quotes = queries.link_sources(conn, link_ids)
    link_said = stated.link_statements(conn, ref, links) if stated_links else {}
    link_agreed = stated.link_agreements(conn, link_ids)
    field_agreed = stated.field_link_agreements(conn, ref, links)
    own = stated.statements_of(conn, ref)
    field_said = stated.field_link_statements(conn, ref, links, own)
    sources = queries.sources(conn, ref)
    found_details = {
        "ref": found["ref"],
        "kind": found["kind"],
        "name": found["name"],
        "aliases": found["aliases"],
        "fields": fields,
        "reported_differently": bool(found["reported_differently"]),
        "agreement": found["agreement"],
        "property_agreements": stated.property_agreements(conn, ref),
        "source_count": len({s["article"] for s in sources}),
        "link_counts": counts,
        "links": [
            {
                "ref": link["ref"],
                "kind": link["kind"],
                "name": link["name"],
                "relation": link["relation"],
                "role": link["role"],
                "agreement": link_agreed.get(link["link_id"], field_agreed.get(index)),
                "sources": [
                    {"article": q["article"], "quote": q["quote"]}
                    for q in link_quotes.get(link["link_id"], [])
                ],
                "statements": [
                    _public(s) for s in link_said.get(link["link_id"]) or field_said.get(index, [])
                ],
            }
            for index, link in enumerate(links)
        ],
        "sources": [
            {
                "article": s["article"],
                "article_name": s["article_name"],
                "quote": s["quote"],
                "start": s["start"],
                "end": s["end"],
                "states": s["states"],
            }
            for s in sources
        ],
        "statements": [_public(s) for s in own],
        "included_participants": (
            rollup.included_participants(conn, ref) if found["kind"] == "meeting" else []
        ),
        "commitment_figures": rollup.commitment_figures(
            conn, [link["ref"] for link in links if link["kind"] == "commitment"]
        ),
    }
    if not stated_links:
        found_details["links_stated"] = False
    return found_details


def _public(statement: dict[str, Any]) -> dict[str, Any]:
    """A statement as `show` gives it (without the subject and the internal link id)."""
    return {k: v for k, v in statement.items() if k not in ("subject", "link_id")}


def first_details(
    conn: sqlite3.Connection, ref: str, *, per_relation: int | dict[str, int] | None = None
) -> tuple[dict[str, Any], bool]:
    """What to show of `ref` first, and whether it is complete: everything for an entity with
    up to `TWO_STEP_LINKS` links of its own; for a bigger one its own links only, without the
    two-hop partners and places (which cost most to count) and the statements of its links
    (a key away, `s`), and False."""
    own = queries.link_counts(conn, ref, derived=False)
    if sum(own.values()) > TWO_STEP_LINKS:
        details = entity_details(
            conn, ref, per_relation=per_relation, derived=False, counts=own, stated_links=False
        )
        return details, False
    return entity_details(conn, ref, per_relation=per_relation), True
