"""What the articles state about an entity or a link: its statements, each with the article,
the quote and who asserted it, and how the articles agree on each property and each link."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from tui import formatting as fmt
from tui.data.derive import QUALIFIERS
from tui.data.statements import MENTION, PROPERTIES

_STATEMENT_COLUMNS = """
    s.subject_ref AS subject, s.property, s.value, s.role, s.link_id,
    s.article_ref AS article, art.name AS article_name, q.text AS quote, q.start, q.end,
    s.asserted_by_ref AS asserted_by, ab.name AS asserted_by_name, s.relative
    FROM statements AS s
    JOIN quotes AS q ON q.id = s.quote_id
    JOIN entities AS art ON art.ref = s.article_ref
    LEFT JOIN entities AS ab ON ab.ref = s.asserted_by_ref"""

# A figure's unit, as the same article states it beside the figure.
UNITS = {"capacity": "capacity_unit", "quantity": "quantity_unit", "target_value": "target_unit"}

# A link the entity tables derive from a field (no link row of its own): the property that
# states it, and whether that property is the entity's own (else the linked entity's).
FIELD_RELATIONS: dict[str, tuple[str, bool]] = {
    "announced at": ("announced_at", True), "part of": ("part_of", True),
    "held in": ("place", True), "country": ("country", True), "within": ("within", True),
    "subject": ("subject", True), "counterpart": ("counterpart", True),
    "total of": ("covers", True), "includes": ("part_of", False),
    "contains": ("within", False), "organization": ("country", False),
    "person": ("country", False), "indicator": ("subject", False),
}  # fmt: skip
# Reverse relations whose name alone does not say which field: told apart by the link's role.
_REVERSE_BY_ROLE = {
    ("commitment", "announced"): "announced_at",
    ("commitment", "total"): "covers",
    ("meeting", "venue"): "place",
    ("indicator", "counterpart"): "counterpart",
    ("indicator", "subject"): "subject",
}


def _is_ref(subject: str, prop: str) -> bool:
    definition = PROPERTIES.get(subject.partition(":")[0], {}).get(prop)
    return definition is not None and definition.is_ref


def _decoded(conn: sqlite3.Connection, rows: list[sqlite3.Row]) -> list[dict[str, Any]]:
    """Rows as dicts, `value` decoded from JSON, and `value_name` beside a value that names
    an entity."""
    items = []
    for row in rows:
        item = dict(row)
        item["value"] = None if item["value"] is None else json.loads(item["value"])
        items.append(item)
    name_values(conn, items)
    return items


def name_values(conn: sqlite3.Connection, items: list[dict[str, Any]]) -> None:
    """Set `value_name` on each item (with `subject`, `property`, `value`) whose value names
    an entity."""
    wanted = sorted(
        {
            i["value"]
            for i in items
            if isinstance(i["value"], str) and _is_ref(i["subject"], i["property"])
        }
    )
    names: dict[str, str] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ",".join("?" * len(chunk))
        names.update(
            conn.execute(f"SELECT ref, name FROM entities WHERE ref IN ({marks})", chunk)  # noqa: S608 - placeholders only
        )
    for item in items:
        if isinstance(item["value"], str) and _is_ref(item["subject"], item["property"]):
            item["value_name"] = names.get(item["value"])


def _order(subject: str) -> dict[str, int]:
    return {prop: i for i, prop in enumerate(PROPERTIES.get(subject.partition(":")[0], {}))}


def statements_of(conn: sqlite3.Connection, ref: str) -> list[dict[str, Any]]:
    """Every statement whose subject is `ref`, by property (in the kind's order, mentions
    last), then article and position in it. Each: `property, value, article, quote, start,
    end, asserted_by` (a ref or None) and `asserted_by_name`, `role` and `link_id` (for a link
    statement), `relative` (the words a date was resolved from), `value_name` (for a ref)."""
    rows = conn.execute(
        f"SELECT {_STATEMENT_COLUMNS} WHERE s.subject_ref = ? "
        "ORDER BY s.article_ref, q.start, s.id",
        (ref,),
    ).fetchall()
    order = _order(ref)
    items = _decoded(conn, rows)
    items.sort(key=lambda i: order.get(i["property"], len(order) + (i["property"] == MENTION)))
    add_shown(items)
    return items


def add_shown(items: list[dict[str, Any]]) -> None:
    """Set `shown` on each of one subject's statements: its value as a reader wants it, with
    the currency, unit, qualifier or precision the same article states beside it ("over $1.6
    bn", "under way", the name of an entity it names)."""
    beside: dict[tuple[str, str], Any] = {}
    for item in items:
        beside.setdefault((item["article"], item["property"]), item["value"])
    for item in items:
        item["shown"] = shown(item, lambda prop, a=item["article"]: beside.get((a, prop)))


def shown(item: dict[str, Any], beside: Any) -> str:
    """One statement's value for reading; `beside(property)` is what the same article states
    for another property of the same subject (None if nothing)."""
    prop, value = item["property"], item["value"]
    if prop == MENTION:
        return ""
    if item.get("value_name"):
        return str(item["value_name"])
    number = isinstance(value, int | float) and not isinstance(value, bool)
    qualifier = beside(QUALIFIERS[prop]) if prop in QUALIFIERS else None
    if number and prop in ("amount", "value") and beside("currency"):
        return fmt.money(value, beside("currency"), qualifier)
    unit = beside(UNITS.get(prop, "unit" if prop == "value" else ""))
    if number and unit == "rank":  # "one of the five largest" says it all; else "rank 4"
        return str(qualifier) if qualifier else f"rank {fmt.number(value)}"
    if number and unit:
        return fmt.measure(value, unit, qualifier)
    if number and qualifier:
        return f"{qualifier} {fmt.number(value)}"
    if prop.endswith("date") and isinstance(value, str):
        return fmt.date(value, beside("date_precision"))
    return fmt.stated_value(prop, value, {})


def link_statements(
    conn: sqlite3.Connection, ref: str, links: list[dict[str, Any]]
) -> dict[int, list[dict[str, Any]]]:
    """The statements that state each of `ref`'s links, by link id. A link statement's subject
    is one end of its link (`ref` or the linked entity), so they are read by subject, through
    the subjects' index."""
    wanted = {link["link_id"] for link in links if link.get("link_id") is not None}
    if not wanted:
        return {}
    subjects = sorted({ref} | {link["ref"] for link in links if link.get("link_id") is not None})
    found: dict[int, list[dict[str, Any]]] = {}
    # A few links (a detail's first screen) are picked out in SQL, before any row is read
    # whole; many (an uncapped `show`) are picked out here, within SQLite's bound on
    # parameters.
    ids = sorted(wanted) if len(wanted) <= 500 else []
    only = f" AND s.link_id IN ({','.join('?' * len(ids))})" if ids else ""
    for start in range(0, len(subjects), 500):
        chunk = subjects[start : start + 500]
        marks = ",".join("?" * len(chunk))
        rows = conn.execute(
            f"SELECT {_STATEMENT_COLUMNS} WHERE s.subject_ref IN ({marks}) "
            f"AND s.link_id IS NOT NULL{only} ORDER BY s.link_id, s.article_ref, q.start, s.id",
            [*chunk, *ids],
        ).fetchall()
        for item in _decoded(conn, [r for r in rows if r["link_id"] in wanted]):
            found.setdefault(item["link_id"], []).append(item)
    return found


def property_agreements(conn: sqlite3.Connection, ref: str) -> dict[str, dict[str, Any]]:
    """How the articles agree on each property of `ref`: `{property: {agreement, articles}}`.
    A property one article alone states is `single` (the table keeps only the others)."""
    order = _order(ref)
    rows = conn.execute(
        "SELECT property, agreement, articles FROM property_agreements WHERE subject_ref = ?",
        (ref,),
    ).fetchall()
    agreed = {prop: {"agreement": agreement, "articles": n} for prop, agreement, n in rows}
    for (prop,) in conn.execute(
        "SELECT DISTINCT property FROM statements WHERE subject_ref = ? AND property <> ?",
        (ref, MENTION),
    ):
        agreed.setdefault(prop, {"agreement": "single", "articles": 1})
    return dict(sorted(agreed.items(), key=lambda item: order.get(item[0], len(order))))


def link_agreements(conn: sqlite3.Connection, link_ids: list[int]) -> dict[int, str]:
    """`links.agreement` of each link id."""
    wanted = sorted({i for i in link_ids if i is not None})
    found: dict[int, str] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ",".join("?" * len(chunk))
        found.update(
            conn.execute(f"SELECT id, agreement FROM links WHERE id IN ({marks})", chunk)  # noqa: S608 - placeholders only
        )
    return found


def field_link_property(link: dict[str, Any]) -> tuple[str, bool] | None:
    """For a link derived from a field: (the property stating it, whether it is the entity's
    own property rather than the linked entity's); None for any other link."""
    if link.get("link_id") is not None:
        return None
    by_role = _REVERSE_BY_ROLE.get((link["relation"], link.get("role") or ""))
    if by_role is not None:
        return by_role, False
    return FIELD_RELATIONS.get(link["relation"])


def field_link_agreements(
    conn: sqlite3.Connection, ref: str, links: list[dict[str, Any]]
) -> dict[int, str]:
    """The agreement of each field-derived link in `links` (by its index there): how the
    articles agree on the property that states it."""
    wanted: dict[int, tuple[str, str]] = {}
    for index, link in enumerate(links):
        found = field_link_property(link)
        if found is not None:
            prop, own = found
            wanted[index] = (ref if own else link["ref"], prop)
    subjects = sorted({subject for subject, _ in wanted.values()})
    known: dict[tuple[str, str], str] = {}
    for start in range(0, len(subjects), 500):
        chunk = subjects[start : start + 500]
        marks = ",".join("?" * len(chunk))
        rows = conn.execute(
            "SELECT subject_ref, property, agreement FROM property_agreements "  # noqa: S608 - placeholders only
            f"WHERE subject_ref IN ({marks})",
            chunk,
        )
        known.update({(subject, prop): agreement for subject, prop, agreement in rows})
    return {i: known[key] for i, key in wanted.items() if key in known}


def field_link_statements(
    conn: sqlite3.Connection, ref: str, links: list[dict[str, Any]], own: list[dict[str, Any]]
) -> dict[int, list[dict[str, Any]]]:
    """The statements behind each field-derived link in `links` (by its index there): `own`
    (the entity's statements) for its own fields, the linked entity's for the reverse ones."""
    found: dict[int, list[dict[str, Any]]] = {}
    reverse: dict[int, tuple[str, str]] = {}
    for index, link in enumerate(links):
        known = field_link_property(link)
        if known is None:
            continue
        prop, is_own = known
        if is_own:
            found[index] = [s for s in own if s["property"] == prop and s["value"] == link["ref"]]
        else:
            reverse[index] = (link["ref"], prop)
    subjects = sorted({subject for subject, _ in reverse.values()})
    said: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for start in range(0, len(subjects), 500):
        chunk = subjects[start : start + 500]
        marks = ",".join("?" * len(chunk))
        rows = conn.execute(
            f"SELECT {_STATEMENT_COLUMNS} WHERE s.subject_ref IN ({marks}) AND s.value = ? "
            "ORDER BY s.article_ref, q.start, s.id",
            [*chunk, json.dumps(ref, ensure_ascii=False)],
        ).fetchall()
        for item in _decoded(conn, rows):
            said.setdefault((item["subject"], item["property"]), []).append(item)
    for index, key in reverse.items():
        found[index] = said.get(key, [])
    return found
