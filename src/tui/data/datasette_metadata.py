"""What Datasette should know about the database: a description of every table and view, the
internal tables hidden, the column that labels rows where no `name` column does, and sensible
default sorts and facets. `roundtable datasette` prints it as Datasette's metadata.json.

(Datasette 0.x reads `hidden`, `label_column`, `sort` and `facets` from metadata.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

# Tables a reader browses: what each holds. Every entity table, `links` and `timeline_items`
# carry a `name`, which Datasette shows for a row and for every foreign key to it.
DESCRIPTIONS: dict[str, str] = {
    "entities": "Every entity of every kind: one row each, with its name and description. "
    "`ref` is `kind:slug`; the kind's own fields are in the table of that kind. `agreement` "
    "says how the articles that report it agree (see `property_agreements`).",
    "organizations": "Companies, banks, agencies, institutes and other organizations.",
    "people": "People, with their country. Their positions are in `positions`.",
    "meetings": "Meetings, talks and visits. `date` is a whole ISO date; `date_precision` "
    "says how much of it the articles state (day, month or year); `end_date` is the last day "
    "of a meeting of several days, where stated; `part_of_ref` a meeting it is stated to be "
    "part of.",
    "commitments": "Agreements signed, projects planned, intentions and national targets, with "
    "amounts, capacities and quantities as the articles state them. `date` is a whole ISO "
    "date; `date_precision` says how much of it is stated (a `target_year` is a year). "
    "`part_of_ref` is a commitment it is stated to be part of; `covers_ref` a meeting whose "
    "signings it totals.",
    "indicators": "Trade and investment figures.",
    "places": "Cities, regions, countries and areas, each within another where stated.",
    "articles": "The source articles, with their text. `name` is the title, or the lead "
    "where the article prints no headline.",
    "aliases": "Other names of an entity.",
    "positions": "Who holds which position in which organization.",
    "meeting_participants": "Who took part in each meeting, and in what role.",
    "commitment_parties": "The parties to each commitment, and their roles.",
    "commitment_places": "The places of each commitment (site, destination, signatory...).",
    "quotes": "Verbatim spans of an article: `text` is the article's body from `start` to "
    "`end` (in characters).",
    "evidence": "Which quote states which entity or relationship; `field`/`value` are set "
    "where articles state a field differently.",
    "statements": "Every statement of every article: one thing one article says about one "
    "entity (`property`, `value`) or, with `role` and `link_id`, about one of its links; "
    "`quote_id` is the words that say it, `asserted_by_ref` who said it where the article "
    "attributes it (else the reporter), `relative` the words a date was resolved from. The "
    "entity and link tables are derived from these.",
    "property_agreements": "How the articles agree on each property of an entity: `single` "
    "(one article), `corroborated` (several, the same value), `consistent` (different "
    "values that can both be true) or `conflicting` (they cannot); `articles` is how many "
    "state it.",
    "sectors": "The sectors of organizations and commitments, one row each.",
    "relations": "Organizations related to organizations (part of, subsidiary, operator...) "
    "where an article says so.",
    "search_docs": "One search document per entity, for full-text search (the search box). "
    "Search matches names, aliases, spelling keys, descriptions and quotes.",
    "entity_links": "Every link of every entity, in both directions.",
}

# Internal tables: derived for the explorer's speed, or bookkeeping. Hidden from the table
# list (still reachable by URL), and described as internal.
INTERNAL: dict[str, str] = {
    "meta": "Internal: the schema version and the hash of the seed the database was built from.",
    "links": "Internal: one id per relationship, shared by positions, meeting_participants, "
    "commitment_parties and commitment_places, so evidence can point at any of them.",
    "article_facts": "Internal: the facts file each article was built from and its SHA-256, "
    "so an update knows which article's facts changed.",
    "search_fts": "Internal: the full-text index over search_docs (search search_docs instead).",
    "term_variants": "Internal: name spellings one edit apart, for typo-tolerant search.",
    "timeline_items": "Internal: every dated meeting and commitment, numbered in timeline "
    "order, for the explorer's Timeline.",
    "timeline_involves": "Internal: which organization, person or place each timeline item "
    "involves.",
}

# Tables with no `name` or `title` column: the column that labels their rows.
LABEL_COLUMNS = {"quotes": "text", "articles": "name"}

SORTS = {
    table: "name"
    for table in (
        "entities", "organizations", "people", "meetings", "commitments", "indicators",
        "places", "articles",
    )
}  # fmt: skip
FACETS = {
    "entities": ["kind"],
    "organizations": ["org_type", "country_ref"],
    "meetings": ["meeting_type", "place_ref"],
    "commitments": ["category", "status", "sector"],
    "statements": ["property", "article_ref"],
    "property_agreements": ["agreement", "property"],
    "sectors": ["sector"],
    "places": ["place_type"],
    "search_docs": ["kind"],
}


def metadata(database: Path | str) -> dict[str, Any]:
    """Datasette metadata for the database file `database` (Datasette names a database by
    its file name without the extension)."""
    tables: dict[str, dict[str, Any]] = {}
    for table, description in DESCRIPTIONS.items():
        tables[table] = {"description": description}
    for table, description in INTERNAL.items():
        tables[table] = {"description": description, "hidden": True}
    for table, column in LABEL_COLUMNS.items():
        tables[table]["label_column"] = column
    for table, column in SORTS.items():
        tables[table]["sort"] = column
    for table, columns in FACETS.items():
        tables[table]["facets"] = columns
    return {
        "title": "Roundtable",
        "description": "Who met whom and who promised what in bilateral investment news; "
        "every row traces to the sentence of the article that states it.",
        "databases": {Path(database).stem: {"tables": tables}},
    }
