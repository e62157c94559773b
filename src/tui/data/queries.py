"""Read-side data access: plain functions over an sqlite3 connection, returning plain dicts.

Nothing here knows about Textual or the terminal. Lists page with keyset queries on
(name, ref), which the `entities_kind_name` index serves, so page N costs what page 1 costs.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from tui.data.dates import restate, stated_sql
from tui.data.statements import COMMITMENT_FIGURES
from tui.errors import NotFoundError, UserError
from tui.kinds import KINDS

PAGE_SIZE = 100  # rows a list, a pane and the Timeline read at a time
# A filter value that selects the entities with no value for the facet (the frequency
# table's "—" row); no stored value can equal it, nor any value given on a command line.
NO_VALUE = "\x00none"

# The table holding each kind's own fields.
KIND_TABLES = {
    "organization": "organizations", "person": "people", "meeting": "meetings",
    "commitment": "commitments", "indicator": "indicators", "place": "places",
    "article": "articles",
}  # fmt: skip

# Relations a link can carry, in the order a detail view groups them.
RELATION_ORDER = (
    "position", "person", "participant", "meeting", "party", "commitment", "partner",
    "announced at", "part of", "includes", "held in", "place", "country", "organization",
    "within", "contains", "subject", "counterpart", "indicator", "dateline", "article",
)  # fmt: skip


def check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise UserError(f"unknown kind {kind!r}: use one of {', '.join(KINDS)}")
    return kind


def _dicts(rows: list[sqlite3.Row]) -> list[dict[str, Any]]:
    return [dict(row) for row in rows]


def counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Entities per kind, every kind present (zero where none)."""
    found = dict(conn.execute("SELECT kind, count(*) FROM entities GROUP BY kind").fetchall())
    return {kind: found.get(kind, 0) for kind in KINDS}


def entity(conn: sqlite3.Connection, ref: str) -> dict[str, Any]:
    """An entity's common fields and its kind's own fields. Raises `NotFoundError`."""
    row = conn.execute("SELECT * FROM entities WHERE ref = ?", (ref,)).fetchone()
    if row is None:
        raise NotFoundError(f"no entity with ref {ref!r} (try `roundtable search`)")
    result = dict(row)
    table = KIND_TABLES[result["kind"]]
    own = conn.execute(f"SELECT * FROM {table} WHERE ref = ?", (ref,)).fetchone()  # noqa: S608 - table from a fixed map
    # (its `name` is the entity's, carried beside for other tools: see db/schema.sql)
    fields = restate(
        {k: v for k, v in dict(own).items() if k not in ("ref", "name")} if own else {}
    )
    if result["kind"] == "article":
        fields.pop("body", None)
    result["fields"] = fields
    result["aliases"] = [
        r[0]
        for r in conn.execute(
            "SELECT alias FROM aliases WHERE entity_ref = ? ORDER BY alias", (ref,)
        )
    ]
    return result


def names(conn: sqlite3.Connection, refs: list[str]) -> dict[str, str]:
    """Display names for a set of refs."""
    wanted = [r for r in set(refs) if r]
    if not wanted:
        return {}
    marks = ",".join("?" * len(wanted))
    rows = conn.execute(f"SELECT ref, name FROM entities WHERE ref IN ({marks})", wanted)  # noqa: S608 - placeholders only
    return dict(rows.fetchall())


_DIRECT_LINKS = """
    SELECT l.to_ref AS ref, e.kind, e.name, l.relation, l.role, l.link_id
    FROM entity_links AS l JOIN entities AS e ON e.ref = l.to_ref
    WHERE l.from_ref = :ref"""

# Two-hop links an analyst asks for: organizations met or committed with, and the places of
# one's commitments. Each row names the meeting or commitment that connects them.
_DERIVED_LINKS = """
    SELECT DISTINCT other.entity_ref, e.kind, e.name, 'partner', c.name, NULL
    FROM commitment_parties AS mine
    JOIN commitment_parties AS other
         ON other.commitment_ref = mine.commitment_ref AND other.entity_ref <> mine.entity_ref
    JOIN entities AS e ON e.ref = other.entity_ref
    JOIN entities AS c ON c.ref = mine.commitment_ref
    WHERE mine.entity_ref = :ref AND e.kind = 'organization'
    UNION ALL
    SELECT DISTINCT other.entity_ref, e.kind, e.name, 'partner', 'met at ' || m.name, NULL
    FROM meeting_participants AS mine
    JOIN meeting_participants AS other
         ON other.meeting_ref = mine.meeting_ref AND other.entity_ref <> mine.entity_ref
    JOIN entities AS e ON e.ref = other.entity_ref
    JOIN entities AS m ON m.ref = mine.meeting_ref
    WHERE mine.entity_ref = :ref AND e.kind = 'organization'
    UNION ALL
    SELECT DISTINCT cp.place_ref, 'place', e.name, 'place', 'of ' || c.name, NULL
    FROM commitment_parties AS mine
    JOIN commitment_places AS cp ON cp.commitment_ref = mine.commitment_ref
    JOIN entities AS e ON e.ref = cp.place_ref
    JOIN entities AS c ON c.ref = mine.commitment_ref
    WHERE mine.entity_ref = :ref"""


def _links_sql(derived: bool) -> str:
    return _DIRECT_LINKS + (" UNION ALL " + _DERIVED_LINKS if derived else "")


# A relation with more links than this lists its first rows by walking the linked kind's
# (kind, name, ref) index and keeping the entities linked to this one, which stops after the
# cap, instead of naming and sorting every link. (Binary name order, where the small-group
# query sorts ignoring case: the same order for names that start with a capital.)
BIG_GROUP = 1_000
_LINK_COLUMNS = ("ref", "kind", "name", "relation", "role", "link_id")

# `+column = :ref` keeps SQLite from driving the join from this entity's (many) links: each
# candidate from the name index is checked through the link table's index on the other side.
# A commitment's candidates are checked in the indexes alone: its party rows' ids from the
# index by commitment, each looked up in the index by entity (this entity, that id), so that
# only the rows kept are read from the table (a quarter of the time, for the 10,000-link hub
# at 1M, of reading every candidate's party rows to compare their entity).
_PROBES = {
    "commitment": """
        SELECT e.ref, e.kind, e.name, 'commitment' AS relation, x.role, x.link_id
        FROM entities AS e
        CROSS JOIN commitment_parties AS c INDEXED BY commitment_parties_commitment
        CROSS JOIN commitment_parties AS x INDEXED BY commitment_parties_entity
        WHERE e.kind = 'commitment' AND c.commitment_ref = e.ref
          AND x.entity_ref = :ref AND x.link_id = c.link_id
        ORDER BY e.name, e.ref LIMIT :cap""",
    "partner": """
        SELECT * FROM (
            SELECT * FROM (
                SELECT DISTINCT e.ref, e.kind, e.name, 'partner' AS relation, c.name AS role,
                       NULL AS link_id
                FROM entities AS e CROSS JOIN commitment_parties AS other
                CROSS JOIN commitment_parties AS mine CROSS JOIN entities AS c
                WHERE e.kind = 'organization' AND other.entity_ref = e.ref
                  AND mine.commitment_ref = other.commitment_ref AND +mine.entity_ref = :ref
                  AND other.entity_ref <> mine.entity_ref AND c.ref = mine.commitment_ref
                ORDER BY e.name, e.ref LIMIT :cap)
            UNION ALL
            SELECT DISTINCT other.entity_ref, e.kind, e.name, 'partner', 'met at ' || m.name, NULL
            FROM meeting_participants AS mine
            JOIN meeting_participants AS other
                 ON other.meeting_ref = mine.meeting_ref AND other.entity_ref <> mine.entity_ref
            JOIN entities AS e ON e.ref = other.entity_ref
            JOIN entities AS m ON m.ref = mine.meeting_ref
            WHERE mine.entity_ref = :ref AND e.kind = 'organization')
        ORDER BY name, ref LIMIT :cap""",
    "place": """
        SELECT DISTINCT e.ref, 'place', e.name, 'place', 'of ' || c.name, NULL
        FROM entities AS e CROSS JOIN commitment_places AS cp
        CROSS JOIN commitment_parties AS mine CROSS JOIN entities AS c
        WHERE e.kind = 'place' AND cp.place_ref = e.ref
          AND mine.commitment_ref = cp.commitment_ref AND +mine.entity_ref = :ref
          AND c.ref = mine.commitment_ref
        ORDER BY e.name, e.ref LIMIT :cap""",
}


def _probe_applies(conn: sqlite3.Connection, ref: str, relation: str, derived: bool) -> bool:
    """True when every link of `relation` comes from the one source its probe walks."""
    kind = ref.partition(":")[0]
    if relation == "commitment":  # also from commitment_places (places), announced_at (meetings)
        return kind not in ("place", "meeting")
    if relation in ("partner", "place"):  # derived; a commitment's own places are direct
        return derived and kind != "commitment"
    return False


def links(
    conn: sqlite3.Connection,
    ref: str,
    *,
    derived: bool = True,
    per_relation: int | dict[str, int] | None = None,
    counts: dict[str, int] | None = None,
) -> list[dict[str, Any]]:
    """Links of `ref` in both directions, as `{ref, kind, name, relation, role, link_id}`,
    grouped by relation (in `RELATION_ORDER`) and sorted by name within each group.

    `derived` adds two-hop partners and places. `per_relation` caps each relation's rows (an
    int for all, or a dict by relation with `default` as the fallback), so an entity with
    10,000 links opens as fast as one with ten; `link_counts` gives the full counts (pass
    them as `counts` if already known).
    """
    sql = _links_sql(derived)
    params: dict[str, Any] = {"ref": ref}
    found: list[dict[str, Any]] = []
    if per_relation is not None:
        caps = per_relation if isinstance(per_relation, dict) else {"default": per_relation}
        default = caps.get("default", 50)
        if counts is None:
            counts = link_counts(conn, ref, derived=derived)
        small = []
        for relation, count in counts.items():
            cap = caps.get(relation, default)
            if count > max(cap, BIG_GROUP) and _probe_applies(conn, ref, relation, derived):
                rows = conn.execute(_PROBES[relation], {"ref": ref, "cap": cap}).fetchall()
                found.extend(dict(zip(_LINK_COLUMNS, r, strict=True)) for r in rows[:cap])
            else:
                small.append(relation)
        if not small:
            sql = ""
        else:
            for i, relation in enumerate(small):
                params[f"rel{i}"], params[f"cap{i}"] = relation, caps.get(relation, default)
            wanted = ", ".join(f":rel{i}" for i in range(len(small)))
            cases = " ".join(f"WHEN :rel{i} THEN :cap{i}" for i in range(len(small)))
            sql = f"""SELECT ref, kind, name, relation, role, link_id FROM (
                          SELECT *, row_number() OVER (
                              PARTITION BY relation ORDER BY name COLLATE NOCASE, ref) AS n
                          FROM (SELECT * FROM ({sql}) WHERE relation IN ({wanted})))
                      WHERE n <= CASE relation {cases} END"""  # noqa: S608 - constant fragments, bound values
    if sql:
        found.extend(_dicts(conn.execute(sql, params).fetchall()))
    order = {relation: i for i, relation in enumerate(RELATION_ORDER)}
    found.sort(key=lambda r: (order.get(r["relation"], 99), r["name"].casefold(), r["ref"]))
    return found


# The derived links' counts without reading the linked entities: a ref is `kind:slug`, so
# "is an organization" is a range of refs, and a place's name is a function of its ref. Each
# query counts exactly the rows its `_DERIVED_LINKS` branch lists.
_DERIVED_COUNTS = """
    SELECT 'partner', count(*) FROM (
        SELECT DISTINCT other.entity_ref, c.name
        FROM commitment_parties AS mine
        JOIN commitment_parties AS other
             ON other.commitment_ref = mine.commitment_ref AND other.entity_ref <> mine.entity_ref
        JOIN entities AS c ON c.ref = mine.commitment_ref
        WHERE mine.entity_ref = :ref
          AND other.entity_ref >= 'organization:' AND other.entity_ref < 'organization;'
        UNION ALL
        SELECT DISTINCT other.entity_ref, 'met at ' || m.name
        FROM meeting_participants AS mine
        JOIN meeting_participants AS other
             ON other.meeting_ref = mine.meeting_ref AND other.entity_ref <> mine.entity_ref
        JOIN entities AS m ON m.ref = mine.meeting_ref
        WHERE mine.entity_ref = :ref
          AND other.entity_ref >= 'organization:' AND other.entity_ref < 'organization;')
    UNION ALL
    SELECT 'place', count(*) FROM (
        SELECT DISTINCT cp.place_ref, c.name
        FROM commitment_parties AS mine
        JOIN commitment_places AS cp ON cp.commitment_ref = mine.commitment_ref
        JOIN entities AS c ON c.ref = mine.commitment_ref
        WHERE mine.entity_ref = :ref)"""


# Each branch of the `entity_links` view as (relation, table, column that holds the `from`
# ref, column that must be set): counted one branch at a time, each count is a seek in one
# index. (Counting through the view reads every linked row's columns: 24 ms instead of under
# one for an entity with 10,000 links.) A test checks these agree with the view.
_LINK_BRANCHES: tuple[tuple[str, str, str, str | None], ...] = (
    ("position", "positions", "person_ref", None),
    ("person", "positions", "organization_ref", None),
    ("participant", "meeting_participants", "meeting_ref", None),
    ("meeting", "meeting_participants", "entity_ref", None),
    ("party", "commitment_parties", "commitment_ref", None),
    ("commitment", "commitment_parties", "entity_ref", None),
    ("place", "commitment_places", "commitment_ref", None),
    ("commitment", "commitment_places", "place_ref", None),
    ("held in", "meetings", "ref", "place_ref"),
    ("meeting", "meetings", "place_ref", None),
    ("part of", "meetings", "ref", "part_of_ref"),
    ("includes", "meetings", "part_of_ref", None),
    ("announced at", "commitments", "ref", "announced_at_ref"),
    ("commitment", "commitments", "announced_at_ref", None),
    ("part of", "commitments", "ref", "part_of_ref"),
    ("includes", "commitments", "part_of_ref", None),
    ("total of", "commitments", "ref", "covers_ref"),
    ("commitment", "commitments", "covers_ref", None),
    ("related", "relations", "from_ref", None),
    ("related", "relations", "to_ref", None),
    ("country", "organizations", "ref", "country_ref"),
    ("organization", "organizations", "country_ref", None),
    ("country", "people", "ref", "country_ref"),
    ("person", "people", "country_ref", None),
    ("within", "places", "ref", "within_ref"),
    ("contains", "places", "within_ref", None),
    ("subject", "indicators", "ref", "subject_ref"),
    ("indicator", "indicators", "subject_ref", None),
    ("counterpart", "indicators", "ref", "counterpart_ref"),
    ("indicator", "indicators", "counterpart_ref", None),
    ("dateline", "articles", "ref", "place_ref"),
    ("article", "articles", "place_ref", None),
)
_DIRECT_COUNTS = " UNION ALL ".join(
    f"SELECT {i}, count(*) FROM {table} WHERE {column} = :ref"  # noqa: S608 - constant names
    + (f" AND {needs} IS NOT NULL" if needs else "")
    for i, (_, table, column, needs) in enumerate(_LINK_BRANCHES)
)


def link_counts(conn: sqlite3.Connection, ref: str, *, derived: bool = True) -> dict[str, int]:
    """How many links `ref` has per relation (as many as `links` lists without a cap).

    Counted from the link tables' indexes alone: the linked entities' rows are never read."""
    found: dict[str, int] = {}
    for branch, count in conn.execute(_DIRECT_COUNTS, {"ref": ref}).fetchall():
        if count:
            relation = _LINK_BRANCHES[branch][0]
            found[relation] = found.get(relation, 0) + count
    if derived:
        for relation, count in conn.execute(_DERIVED_COUNTS, {"ref": ref}).fetchall():
            if count:
                found[relation] = found.get(relation, 0) + count
    return found


def link_sources(conn: sqlite3.Connection, link_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """The quotes behind each relationship row."""
    wanted = sorted({i for i in link_ids if i is not None})
    if not wanted:
        return {}
    marks = ",".join("?" * len(wanted))
    rows = conn.execute(
        f"""SELECT ev.link_id, q.id AS quote_id, q.article_ref AS article, q.text AS quote,
                   q.start, q.end
            FROM evidence AS ev JOIN quotes AS q ON q.id = ev.quote_id
            WHERE ev.link_id IN ({marks}) ORDER BY ev.link_id, q.article_ref, q.start""",  # noqa: S608 - placeholders only
        wanted,
    ).fetchall()
    found: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        item = dict(row)
        found.setdefault(item.pop("link_id"), []).append(item)
    return found


def sources(conn: sqlite3.Connection, ref: str) -> list[dict[str, Any]]:
    """The quotes that state `ref`, with the field/value a source states where articles differ."""
    rows = conn.execute(
        """SELECT q.id AS quote_id, q.article_ref AS article, a.name AS article_name,
                  q.text AS quote, q.start, q.end, ev.field, ev.value
           FROM evidence AS ev
           JOIN quotes AS q ON q.id = ev.quote_id
           JOIN entities AS a ON a.ref = q.article_ref
           WHERE ev.entity_ref = ?
           ORDER BY q.article_ref, q.start, ev.field""",
        (ref,),
    ).fetchall()
    merged: dict[int, dict[str, Any]] = {}
    for row in rows:
        item = merged.setdefault(row["quote_id"], {**dict(row), "states": {}})
        if row["field"]:
            item["states"][row["field"]] = row["value"]
    for item in merged.values():
        item.pop("field"), item.pop("value")
    return list(merged.values())


def source_count(conn: sqlite3.Connection, ref: str) -> int:
    """How many distinct articles report `ref`."""
    row = conn.execute(
        """SELECT count(DISTINCT q.article_ref) FROM evidence AS ev
           JOIN quotes AS q ON q.id = ev.quote_id WHERE ev.entity_ref = ?""",
        (ref,),
    ).fetchone()
    return row[0]


_PUBLISHED = stated_sql("a.published", "a.date_precision")


def article_text(conn: sqlite3.Connection, ref: str) -> dict[str, Any]:
    """An article's body and metadata."""
    row = conn.execute(
        f"""SELECT e.ref, e.name, a.title, {_PUBLISHED} AS published, a.dateline, a.place_ref,
                  a.file, a.body
           FROM entities AS e JOIN articles AS a ON a.ref = e.ref WHERE e.ref = ?""",  # noqa: S608 - constant
        (ref,),
    ).fetchone()
    if row is None:
        raise NotFoundError(f"no article with ref {ref!r}")
    return dict(row)


def article_quote_spans(conn: sqlite3.Connection, ref: str) -> list[tuple[int, int]]:
    """The (start, end) character span of every stored quote of an article, in text order."""
    return [
        (start, end)
        for start, end in conn.execute(
            "SELECT start, end FROM quotes WHERE article_ref = ? ORDER BY start", (ref,)
        )
    ]


def article_mentions(conn: sqlite3.Connection, ref: str) -> list[dict[str, Any]]:
    """Entities the article states something about, with the first quote's offset."""
    return _dicts(
        conn.execute(
            """SELECT e.ref, e.kind, e.name, min(q.start) AS start, count(*) AS quotes
           FROM quotes AS q
           JOIN evidence AS ev ON ev.quote_id = q.id
           JOIN entities AS e ON e.ref = ev.entity_ref
           WHERE q.article_ref = ?
           GROUP BY e.ref ORDER BY e.kind, e.name""",
            (ref,),
        ).fetchall()
    )


# --- Lists ---------------------------------------------------------------------------------

# Per kind: the columns computed for each listed row, by name (constant SQL; `e` is the
# entity row, `o` its kind's row). A pane sorts by one of them in SQL (`list_page(order=)`).
_NAMED = "(SELECT name FROM entities WHERE ref = {})"
_SOURCES_SQL = """(SELECT count(DISTINCT q.article_ref) FROM evidence AS ev
    JOIN quotes AS q ON q.id = ev.quote_id WHERE ev.entity_ref = e.ref)"""
_MEETINGS_SQL = "(SELECT count(*) FROM meeting_participants WHERE entity_ref = e.ref)"
LIST_SQL: dict[str, dict[str, str]] = {
    "organization": {
        "org_type": "o.org_type",
        "country": _NAMED.format("o.country_ref"),
        "aliases": "(SELECT group_concat(alias, ', ') FROM aliases WHERE entity_ref = e.ref)",
        "sector": """(SELECT group_concat(sector, '; ') FROM sectors
            WHERE entity_ref = e.ref)""",
        "commitments": "(SELECT count(*) FROM commitment_parties WHERE entity_ref = e.ref)",
        "meetings": _MEETINGS_SQL,
    },
    "person": {
        "positions": """(SELECT group_concat(p.role || ', ' || oe.name, '; ') FROM positions AS p
            JOIN entities AS oe ON oe.ref = p.organization_ref WHERE p.person_ref = e.ref)""",
        "meetings": _MEETINGS_SQL,
    },
    "meeting": {
        "meeting_type": "o.meeting_type",
        "date": "o.date",
        "date_precision": "o.date_precision",
        "place": _NAMED.format("o.place_ref"),
        "participants": """(SELECT group_concat(pe.name, ', ') FROM meeting_participants AS mp
            JOIN entities AS pe ON pe.ref = mp.entity_ref WHERE mp.meeting_ref = e.ref)""",
        "part_of": _NAMED.format("o.part_of_ref"),
    },
    "commitment": {
        "parties": """(SELECT group_concat(pe.name, ', ') FROM commitment_parties AS cp
            JOIN entities AS pe ON pe.ref = cp.entity_ref WHERE cp.commitment_ref = e.ref)""",
        **{
            column: f"o.{column}"
            for column in (
                "category",
                "status",
                "sector",
                *COMMITMENT_FIGURES,
                "date",
                "date_precision",
            )
        },
        "places": """(SELECT group_concat(pe.name, ', ') FROM commitment_places AS cp
            JOIN entities AS pe ON pe.ref = cp.place_ref WHERE cp.commitment_ref = e.ref)""",
    },
    "indicator": {
        **{
            column: f"o.{column}"
            for column in ("metric", "value", "value_qualifier", "unit", "currency", "period")
        },
        "subject": _NAMED.format("o.subject_ref"),
        "counterpart": _NAMED.format("o.counterpart_ref"),
    },
    "place": {"place_type": "o.place_type", "within": _NAMED.format("o.within_ref")},
    "article": {
        "title": "o.title",
        "published": "o.published",
        "dateline": "o.dateline",
        "quotes": "(SELECT count(*) FROM quotes WHERE article_ref = e.ref)",
    },
}
_LIST_COLUMNS = {
    kind: ",\n        ".join(f"{sql} AS {name}" for name, sql in columns.items())
    for kind, columns in LIST_SQL.items()
}
_SOURCES_COLUMN = f"{_SOURCES_SQL} AS sources"

# What a column sorts by where that is not the column of the same name: a shown value made
# of several (the capacity column shows capacity, else quantity, else target).
_SORT_SQL: dict[str, dict[str, str]] = {
    "commitment": {
        "capacity": "coalesce(o.capacity, o.quantity, o.target_value)",
        "docs": "o.document_count",
    },
}


def sort_sql(kind: str, column: str) -> str:
    """The SQL value a list of `kind` sorts by for `column` (a key of `listing.COLUMNS`)."""
    if column == "name":
        return "e.name"
    if column == "sources":
        return _SOURCES_SQL
    found = _SORT_SQL.get(kind, {}).get(column) or LIST_SQL[check_kind(kind)].get(column)
    if found is None:
        raise UserError(f"cannot sort {kind} by {column!r}")
    return found


@dataclass(frozen=True)
class Facet:
    """A way to narrow a list: `pairs_sql` yields (ref, value, label) for the kind's entities."""

    name: str
    label: str
    pairs_sql: str


def _col(name: str, label: str, table: str, column: str) -> Facet:
    return Facet(
        name,
        label,
        f"SELECT ref, {column} AS value, {column} AS label FROM {table} "  # noqa: S608 - constants
        f"WHERE {column} IS NOT NULL",
    )


def _named(name: str, label: str, table: str, owner: str, target: str) -> Facet:
    return Facet(
        name,
        label,
        f"SELECT t.{owner} AS ref, t.{target} AS value, n.name AS label FROM {table} AS t "  # noqa: S608 - constants
        f"JOIN entities AS n ON n.ref = t.{target}",
    )


_SECTOR = Facet(
    "sector", "Sector", "SELECT entity_ref AS ref, sector AS value, sector AS label FROM sectors"
)

FACETS: dict[str, tuple[Facet, ...]] = {
    "organization": (
        _col("type", "Type", "organizations", "org_type"),
        _named("country", "Country", "organizations", "ref", "country_ref"),
        _SECTOR,
    ),
    "person": (
        _named("organization", "Organization", "positions", "person_ref", "organization_ref"),
    ),
    "meeting": (
        _col("type", "Type", "meetings", "meeting_type"),
        _named("place", "Place", "meetings", "ref", "place_ref"),
        _col("date", "Date", "meetings", stated_sql("date", "date_precision")),
    ),
    "commitment": (
        _col("category", "Category", "commitments", "category"),
        _col("status", "Status", "commitments", "status"),
        _SECTOR,  # one value per sector: a commitment in two sectors counts in each
        _named("place", "Place", "commitment_places", "commitment_ref", "place_ref"),
        _named("party", "Party", "commitment_parties", "commitment_ref", "entity_ref"),
        Facet(
            "year",
            "Year",
            "SELECT ref, substr(date, 1, 4) AS value, substr(date, 1, 4) AS label "
            "FROM commitments WHERE date IS NOT NULL",
        ),
    ),
    "indicator": (
        _col("metric", "Metric", "indicators", "metric"),
        _col("period", "Period", "indicators", "period"),
    ),
    "place": (
        _col("type", "Type", "places", "place_type"),
        _named("within", "Within", "places", "ref", "within_ref"),
    ),
    "article": (_col("date", "Date", "articles", stated_sql("published", "date_precision")),),
}
_ALL_FACETS = {
    "reported": Facet(
        "reported",
        "Reporting",
        """
    SELECT e.ref, CASE WHEN e.reported_differently THEN 'differently'
                       WHEN (SELECT count(DISTINCT q.article_ref) FROM evidence AS ev
                             JOIN quotes AS q ON q.id = ev.quote_id
                             WHERE ev.entity_ref = e.ref) > 1 THEN 'corroborated'
                       ELSE 'single source' END AS value,
           '' AS label FROM entities AS e""",
    )
}


def facets_for(kind: str) -> tuple[Facet, ...]:
    return (*FACETS[check_kind(kind)], *_ALL_FACETS.values())


# The facet behind a list column where it has one (a column of several values, as the parties
# of a commitment, is faceted per value); other columns facet by their shown SQL value.
_COLUMN_FACETS: dict[str, dict[str, str]] = {
    "organization": {"org_type": "type", "country": "country", "sector": "sector"},
    "person": {},
    "meeting": {"meeting_type": "type", "place": "place", "date": "date"},
    "commitment": {
        "category": "category",
        "status": "status",
        "sector": "sector",
        "places": "place",
        "parties": "party",
    },
    "indicator": {"metric": "metric", "period": "period"},
    "place": {"place_type": "type", "within": "within"},
    "article": {"published": "date"},
}
_MULTI_FACETS: dict[str, dict[str, Facet]] = {
    "organization": {
        "aliases": Facet(
            "alias",
            "Alias",
            "SELECT entity_ref AS ref, alias AS value, alias AS label FROM aliases",
        )
    },
    "person": {
        "positions": Facet(
            "position",
            "Position",
            "SELECT p.person_ref AS ref, p.role || ', ' || oe.name AS value, "
            "p.role || ', ' || oe.name AS label FROM positions AS p "
            "JOIN entities AS oe ON oe.ref = p.organization_ref",
        )
    },
    "meeting": {
        "participants": _named(
            "participant", "Participant", "meeting_participants", "meeting_ref", "entity_ref"
        )
    },
}
# Columns whose one value is made of several fields: grouped by all of them, as text.
# Columns whose one value is made of several fields: grouped by all of them, as text joined
# by '|' (`listing` shows them as the column does).
_COLUMN_VALUE_SQL: dict[str, dict[str, str]] = {
    "commitment": {
        "amount": "o.amount || '|' || coalesce(o.currency, '') || '|' "
        "|| coalesce(o.amount_qualifier, '')",
        "capacity": """CASE WHEN o.capacity IS NOT NULL
                THEN o.capacity || '|' || coalesce(o.capacity_unit, '') || '|'
                     || coalesce(o.capacity_qualifier, '')
            WHEN o.quantity IS NOT NULL
                THEN o.quantity || '|' || coalesce(o.quantity_unit, '') || '|'
            WHEN o.target_value IS NOT NULL
                THEN o.target_value || '|' || coalesce(o.target_unit, '') || '|' END""",
        "date": stated_sql("o.date", "o.date_precision"),
    },
    "indicator": {
        "value": "o.value || '|' || coalesce(o.currency, '') || '|' || coalesce(o.unit, '') "
        "|| '|' || coalesce(o.value_qualifier, '')",
    },
}


def column_facet(kind: str, column: str) -> Facet:
    """The facet a list column's frequency table counts and its values filter by."""
    named = _COLUMN_FACETS.get(check_kind(kind), {}).get(column)
    if named is not None:
        return _facet(kind, named)
    multi = _MULTI_FACETS.get(kind, {}).get(column)
    if multi is not None:
        return multi
    value = _COLUMN_VALUE_SQL.get(kind, {}).get(column) or sort_sql(kind, column)
    if column != "name":
        value = f"CAST({value} AS TEXT)"
    return Facet(
        f"{column}",
        column,
        f"SELECT e.ref, {value} AS value, NULL AS label "  # noqa: S608 - constant SQL
        f"FROM entities AS e JOIN {KIND_TABLES[kind]} AS o ON o.ref = e.ref "
        f"WHERE e.kind = '{kind}' AND {value} IS NOT NULL AND {value} <> ''",
    )


def _facet(kind: str, name: str) -> Facet:
    for facet in facets_for(kind):
        if facet.name == name:
            return facet
    for multi in _MULTI_FACETS.get(kind, {}).values():
        if multi.name == name:
            return multi
    if name in LIST_SQL.get(kind, {}) or name in ("name", "sources", "docs", "capacity"):
        return column_facet(kind, name)
    known = ", ".join(f.name for f in facets_for(kind))
    raise UserError(f"unknown filter {name!r} for {kind}: use one of {known}")


def _filter_sql(
    kind: str, filters: dict[str, str] | None, text: str | None, exclude: str | None = None
) -> tuple[str, list[Any]]:
    """WHERE conditions (on `e`) for facet filters (`NO_VALUE`: those with none) and a text
    filter."""
    clauses, params = [], []
    for name, value in sorted((filters or {}).items()):
        if name == exclude:
            continue
        facet = _facet(kind, name)
        if value == NO_VALUE:
            clauses.append(f"e.ref NOT IN (SELECT p.ref FROM ({facet.pairs_sql}) AS p)")  # noqa: S608 - constant facet SQL
            continue
        subquery = f"SELECT p.ref FROM ({facet.pairs_sql}) AS p WHERE p.value = ?"  # noqa: S608 - constant facet SQL
        clauses.append(f"e.ref IN ({subquery})")
        params.append(value)
    if text:
        from tui.data.search import match_expression, query_words

        expression = match_expression(
            query_words(text), columns="name aliases keys body", kind=kind
        )
        if expression:
            clauses.append(
                "e.ref IN (SELECT d.ref FROM search_fts JOIN search_docs AS d "
                "ON d.rowid = search_fts.rowid WHERE search_fts MATCH ?)"
            )
            params.append(expression)
    return "".join(f" AND {c}" for c in clauses), params


def list_page(
    conn: sqlite3.Connection,
    kind: str,
    *,
    after: tuple[str, str] | None = None,
    limit: int = PAGE_SIZE,
    filters: dict[str, str] | None = None,
    text: str | None = None,
    order: tuple[str, bool] | None = None,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """One page of a kind's entities in name order, starting after the `(name, ref)` key;
    or, with `order` (a column and whether descending), in that column's order from `offset`
    (see `sorted_refs`)."""
    check_kind(kind)
    if order is not None:
        refs = sorted_refs(
            conn, kind, order, filters=filters, text=text, limit=limit, offset=offset
        )
        return list_rows(conn, kind, refs)
    where, params = _filter_sql(kind, filters, text)
    if after is not None:
        where += " AND (e.name, e.ref) > (?, ?)"
        params += list(after)
    sql = f"""SELECT e.ref, e.name, e.reported_differently, {_SOURCES_COLUMN},
                     {_LIST_COLUMNS[kind]}
              FROM entities AS e JOIN {KIND_TABLES[kind]} AS o ON o.ref = e.ref
              WHERE e.kind = ?{where}
              ORDER BY e.name, e.ref LIMIT ?"""  # noqa: S608 - fragments are constants
    return [restate(row) for row in _dicts(conn.execute(sql, [kind, *params, limit]).fetchall())]


def list_rows(conn: sqlite3.Connection, kind: str, refs: list[str]) -> list[dict[str, Any]]:
    """The list rows of `refs` (of one kind), in the order of `refs`."""
    if not refs:
        return []
    sql = f"""SELECT e.ref, e.name, e.reported_differently, {_SOURCES_COLUMN},
                     {_LIST_COLUMNS[check_kind(kind)]}
              FROM entities AS e JOIN {KIND_TABLES[kind]} AS o ON o.ref = e.ref
              WHERE e.ref IN ({",".join("?" * len(refs))})"""  # noqa: S608 - constants, placeholders
    found = {row["ref"]: restate(row) for row in _dicts(conn.execute(sql, refs).fetchall())}
    return [found[ref] for ref in refs if ref in found]


def sorted_refs(
    conn: sqlite3.Connection,
    kind: str,
    order: tuple[str, bool],
    *,
    filters: dict[str, str] | None = None,
    text: str | None = None,
    limit: int = PAGE_SIZE,
    offset: int = 0,
) -> list[str]:
    """The refs of one page in a column's order: empty values last either way, text ignoring
    case, ties in name order. Only the sort value is computed for every row (once: the inner
    query is not flattened into the ordering), the other columns for the page's rows only;
    OFFSET paging, read in a worker. Name order walks the (kind, name, ref) index."""
    column, descending = order
    direction = " DESC" if descending else ""
    table = KIND_TABLES[check_kind(kind)]
    where, params = _filter_sql(kind, filters, text)
    if column == "name":  # as the default order (binary), either way
        sql = f"""SELECT e.ref FROM entities AS e JOIN {table} AS o ON o.ref = e.ref
                  WHERE e.kind = ?{where} ORDER BY e.name{direction}, e.ref{direction}
                  LIMIT ? OFFSET ?"""  # noqa: S608 - fragments are constants
    else:
        sql = f"""SELECT ref FROM (
                      SELECT e.ref, e.name, {sort_sql(kind, column)} AS v
                      FROM entities AS e JOIN {table} AS o ON o.ref = e.ref
                      WHERE e.kind = ?{where} LIMIT -1)
                  ORDER BY v IS NULL OR v = '', v COLLATE NOCASE{direction}, name, ref
                  LIMIT ? OFFSET ?"""  # noqa: S608 - fragments are constants
    return [row[0] for row in conn.execute(sql, [kind, *params, limit, offset])]


def count_matching(
    conn: sqlite3.Connection,
    kind: str,
    *,
    filters: dict[str, str] | None = None,
    text: str | None = None,
) -> int:
    where, params = _filter_sql(kind, filters, text)
    sql = f"SELECT count(*) FROM entities AS e WHERE e.kind = ?{where}"  # noqa: S608 - constants
    return conn.execute(sql, [kind, *params]).fetchone()[0]


def facet_counts(
    conn: sqlite3.Connection,
    kind: str,
    name: str,
    *,
    filters: dict[str, str] | None = None,
    text: str | None = None,
    limit: int = 50,
) -> list[dict[str, Any]]:
    """Values of one facet with how many entities (under the other filters) carry each."""
    facet = _facet(kind, name)
    where, params = _filter_sql(kind, filters, text, exclude=name)
    sql = f"""SELECT p.value, max(p.label) AS label, count(DISTINCT e.ref) AS count
              FROM ({facet.pairs_sql}) AS p
              JOIN entities AS e ON e.ref = p.ref
              WHERE e.kind = ?{where}
              GROUP BY p.value ORDER BY count DESC, p.value LIMIT ?"""  # noqa: S608 - constants
    return _dicts(conn.execute(sql, [kind, *params, limit]).fetchall())


def column_counts(
    conn: sqlite3.Connection,
    kind: str,
    column: str,
    *,
    filters: dict[str, str] | None = None,
    text: str | None = None,
    limit: int = 1_000,
) -> tuple[Facet, list[dict[str, Any]], int, int]:
    """A column's frequency table under the filters: (its facet, the `limit` most frequent
    values with their counts, how many distinct values there are, how many entities have
    none). A column of several values counts each (an entity may count under several)."""
    facet = column_facet(kind, column)
    where, params = _filter_sql(kind, filters, text)
    pairs = f"""SELECT p.value, p.label, p.ref FROM ({facet.pairs_sql}) AS p
                JOIN entities AS e ON e.ref = p.ref WHERE e.kind = ?{where}"""  # noqa: S608 - constants
    values = _dicts(
        conn.execute(
            f"""SELECT value, max(label) AS label, count(DISTINCT ref) AS count
                FROM ({pairs}) GROUP BY value ORDER BY count DESC, value LIMIT ?""",  # noqa: S608 - constants
            [kind, *params, limit],
        ).fetchall()
    )
    distinct, having = conn.execute(
        f"SELECT count(DISTINCT value), count(DISTINCT ref) FROM ({pairs})",  # noqa: S608 - constants
        [kind, *params],
    ).fetchone()
    none = count_matching(conn, kind, filters=filters, text=text) - having
    return facet, values, distinct, none
