"""Build the database from a validated seed.

The build writes a new file beside the target and renames it into place only after the
integrity and foreign-key checks pass, so a failed build leaves the previous database intact and
a reader never sees a half-built file. The same seed always gives the same content.
"""

from __future__ import annotations

import hashlib
import json
import operator
import os
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import sqlite_utils

from tui import atomic, paths
from tui.data import dates, seedfiles, timeline
from tui.data.amounts import amount_term
from tui.data.corpus import (
    ARTICLES_DIR,
    ENTITIES_FILE,
    FACTS_DIR,
    Corpus,
    facts_paths,
    load_corpus,
    load_names,
)
from tui.data.db import SCHEMA_VERSION
from tui.data.derive import LINK_FIELDS, Derived, article_order, derive, group_by_subject
from tui.data.linked import LINK_ENDS, collect
from tui.data.search import KEY_MARK, name_tokens, search_order
from tui.data.seed import LINE, Article, Seed
from tui.data.spelling import keys_of, one_edit_variants
from tui.data.statements import COMMITMENT_FIGURES, Statement
from tui.errors import DatabaseError, SeedError
from tui.kinds import RECORD_KINDS

# Typo tolerance only for keys long enough that one edit does not turn them into another word.
MIN_TYPO_KEY = 4
SEARCH_INDEX = "search_fts"  # the FTS5 table over search_docs (db/schema.sql)


def stable_id(*parts: Any) -> int:
    """A row id that derives from what the row is (52 bits, exact in JSON and JavaScript), so
    two builds, or a build and an update, give every link, quote and statement the same id."""
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).digest()
    return (int.from_bytes(digest[:7], "big") >> 4) + 1


class Inserter:
    """Collects rows per table in seed order, for `write_database` to load."""

    def __init__(self) -> None:
        self.rows: dict[str, list[dict[str, Any]]] = {}
        self.quote_ids: dict[tuple[str, int, int], int] = {}
        self.evidence_ids: set[int] = set()

    def add(self, table: str, row: dict[str, Any]) -> None:
        self.rows.setdefault(table, []).append(row)

    def link(self, link_type: str, name: str, owner: str, target: str, agreement: str) -> int:
        link_id = stable_id("link", link_type, owner, target)
        self.add(
            "links",
            {"id": link_id, "link_type": link_type, "name": name, "agreement": agreement},
        )
        return link_id

    def quote(self, article_ref: str, body: str, text: str, start: int | None = None) -> int:
        if start is None:
            start = body.index(text)
        key = (article_ref, start, start + len(text))
        if key not in self.quote_ids:
            self.quote_ids[key] = stable_id("quote", *key)
            self.add(
                "quotes",
                {
                    "id": self.quote_ids[key],
                    "article_ref": article_ref,
                    "start": key[1],
                    "end": key[2],
                    "text": text,
                },
            )
        return self.quote_ids[key]


def _ref(kind: str, slug: str) -> str:
    return f"{kind}:{slug}"


def _plain(record: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {key: record.get(key) for key in keys}


class SeedWriter:
    """Turns seed records into rows of the schema's tables."""

    def __init__(self, seed: Seed, agreements: dict[str, Derived] | None = None) -> None:
        self.seed = seed
        self.out = Inserter()
        self.org_ids = {r["id"] for r in seed.records["organization"]}
        self.names: dict[str, str] = {}  # ref -> name, for the tables that carry it beside
        self.agreements = agreements or {}

    def own(self, table: str, ref: str, fields: dict[str, Any]) -> None:
        """The row of `ref` in its kind's table, with the entity's name (see db/schema.sql)."""
        self.out.add(table, {"ref": ref, "name": self.names[ref], **fields})

    def evidence(
        self,
        sources: Iterable[dict[str, Any]],
        *,
        entity_ref: str | None = None,
        link_id: int | None = None,
    ) -> bool:
        """Store each source's quote as evidence; True if any source states a field."""
        differs = False
        for source in sources:
            article_ref = _ref("article", source["article"])
            start = source.get("start")
            body = self.seed.articles[source["article"]].body if start is None else ""
            quote_id = self.out.quote(article_ref, body, source["quote"], start)
            states = {k: v for k, v in (source.get("states") or {}).items() if k != LINE}
            for field_name, value in sorted(states.items()) or [(None, None)]:
                evidence_id = stable_id(
                    "evidence", quote_id, entity_ref or link_id, field_name, value
                )
                if evidence_id in self.out.evidence_ids:
                    continue
                self.out.evidence_ids.add(evidence_id)
                self.out.add(
                    "evidence",
                    {
                        "id": evidence_id,
                        "quote_id": quote_id,
                        "entity_ref": entity_ref,
                        "link_id": link_id,
                        "field": field_name,
                        "value": None if value is None else str(value),
                    },
                )
            differs = differs or bool(states)
        return differs

    def entity(self, kind: str, record: dict[str, Any]) -> str:
        ref = _ref(kind, record["id"])
        differs = self.evidence(record["sources"], entity_ref=ref)
        self.names[ref] = record["name"]
        self.out.add(
            "entities",
            {
                "ref": ref,
                "kind": kind,
                "slug": record["id"],
                "name": record["name"],
                "description": record.get("description"),
                "reported_differently": int(differs),
                "agreement": self._agreement(ref),
            },
        )
        for alias in record.get("aliases") or []:
            self.out.add("aliases", {"entity_ref": ref, "alias": alias})
        for sector in record.get("sectors") or []:
            self.out.add("sectors", {"entity_ref": ref, "sector": sector})
        derived = self.agreements.get(ref)
        if derived is not None:
            for prop, verdict in sorted(derived.agreements.items()):
                if verdict == "single":
                    continue  # the default: only what several articles report is stored
                self.out.add(
                    "property_agreements",
                    {
                        "subject_ref": ref,
                        "property": prop,
                        "agreement": verdict,
                        "articles": derived.articles.get(prop, 1),
                    },
                )
        return ref

    def _agreement(self, ref: str) -> str:
        derived = self.agreements.get(ref)
        return derived.agreement if derived else "single"

    def links(
        self,
        record: dict[str, Any],
        list_field: str,
        link_type: str,
        table: str,
        owner_column: str,
        owner_ref: str,
        target: str,
        target_column: str,
    ) -> None:
        for item in record.get(list_field) or []:
            target_ref = self.resolve(list_field, item[target], item.get("target_kind"))
            label = f"{self.names[owner_ref]}: {item['role']}, {self.names[target_ref]}"
            derived = self.agreements.get(owner_ref)
            prop = LINK_PROPERTY[list_field]
            verdict = (
                derived.link_agreements.get((prop, target_ref), "single") if derived else "single"
            )
            link_id = self.out.link(link_type, label, owner_ref, target_ref, verdict)
            self.out.add(
                table,
                {
                    "link_id": link_id,
                    owner_column: owner_ref,
                    target_column: target_ref,
                    "role": item["role"],
                },
            )
            self.evidence(item["sources"], link_id=link_id)

    def resolve(self, list_field: str, value: str, target_kind: str | None = None) -> str:
        if target_kind is not None and ":" not in value:
            return _ref(target_kind, value)
        if list_field == "positions":
            return _ref("organization" if value in self.org_ids else "place", value)
        if list_field == "places":
            return _ref("place", value)
        return value  # already kind:id

    def write_all(self) -> Inserter:
        """Every row of the seed: articles, entities, links, then the search documents."""
        self.write_articles()
        self.write_records()
        self.write_links()
        self.search_rows()
        return self.out

    def write_articles(self) -> None:
        for article in self.seed.articles.values():
            meta = article.meta
            ref = _ref("article", article.id)
            name = meta.get("title") or untitled_name(meta)
            self.names[ref] = name
            self.out.add(
                "entities",
                {
                    "ref": ref,
                    "kind": "article",
                    "slug": article.id,
                    "name": name,
                    "description": None,
                    "reported_differently": 0,
                    "agreement": "single",
                },
            )
            self.own(
                "articles",
                ref,
                {
                    "title": meta.get("title"),
                    "published": dates.stored(meta["date"]),
                    "date_precision": meta["date_precision"],
                    "dateline": meta.get("dateline"),
                    "place_ref": _opt("place", meta.get("place")),
                    "file": article.file,
                    "sha256": article.sha256,
                    "body": article.body,
                },
            )

    def write_records(self) -> None:
        records = self.seed.records
        for r in records["place"]:
            ref = self.entity("place", r)
            self.own(
                "places",
                ref,
                {
                    "place_type": r.get("place_type"),
                    "within_ref": _opt("place", r.get("within")),
                },
            )
        for r in records["organization"]:
            ref = self.entity("organization", r)
            self.own(
                "organizations",
                ref,
                {
                    "org_type": r.get("org_type"),
                    "country_ref": _opt("place", r.get("country")),
                },
            )
        for r in records["person"]:
            ref = self.entity("person", r)
            self.own("people", ref, {"country_ref": _opt("place", r.get("country"))})
        for r in records["meeting"]:
            ref = self.entity("meeting", r)
            self.own(
                "meetings",
                ref,
                {
                    **_plain(r, "meeting_type", "date_precision", "topics"),
                    "date": dates.stored(r.get("date")),
                    "end_date": r.get("end_date"),
                    "place_ref": _opt("place", r.get("place")),
                    "part_of_ref": _opt("meeting", r.get("part_of")),
                },
            )
        for r in records["commitment"]:
            ref = self.entity("commitment", r)
            self.own(
                "commitments",
                ref,
                {
                    **_plain(
                        r,
                        "category",
                        "status",
                        *COMMITMENT_FIGURES,
                        "date_precision",
                    ),
                    "sector": "; ".join(r.get("sectors") or []) or r.get("sector"),
                    "date": dates.stored(r.get("date")),
                    "announced_at_ref": _opt("meeting", r.get("announced_at")),
                    "part_of_ref": _opt("commitment", r.get("part_of")),
                    "covers_ref": _opt("meeting", r.get("covers")),
                },
            )
        for r in records["indicator"]:
            ref = self.entity("indicator", r)
            self.own(
                "indicators",
                ref,
                {
                    **_plain(r, "metric", "value", "value_qualifier", "unit", "currency", "period"),
                    "subject_ref": r.get("subject"),
                    "counterpart_ref": r.get("counterpart"),
                },
            )

    def write_links(self) -> None:
        """Links after every entity exists, in seed order."""
        records = self.seed.records
        for r in records["person"]:
            self.links(
                r,
                "positions",
                "position",
                "positions",
                "person_ref",
                _ref("person", r["id"]),
                "organization",
                "organization_ref",
            )
        for r in records["meeting"]:
            self.links(
                r,
                "participants",
                "participant",
                "meeting_participants",
                "meeting_ref",
                _ref("meeting", r["id"]),
                "entity",
                "entity_ref",
            )
        for r in records["commitment"]:
            owner = _ref("commitment", r["id"])
            self.links(
                r,
                "parties",
                "party",
                "commitment_parties",
                "commitment_ref",
                owner,
                "entity",
                "entity_ref",
            )
            self.links(
                r,
                "places",
                "commitment_place",
                "commitment_places",
                "commitment_ref",
                owner,
                "place",
                "place_ref",
            )
        for kind in ("organization", "indicator"):
            for r in records[kind]:
                self.links(
                    r,
                    "related",
                    "relation",
                    "relations",
                    "from_ref",
                    _ref(kind, r["id"]),
                    "entity",
                    "to_ref",
                )

    def search_rows(self) -> None:
        """One search document per entity, plus the typo-tolerance vocabulary of its names."""
        aliases: dict[str, list[str]] = {}
        for row in self.out.rows.get("aliases", []):
            aliases.setdefault(row["entity_ref"], []).append(row["alias"])
        quotes_by_id = {q["id"]: q["text"] for q in self.out.rows.get("quotes", [])}
        bodies: dict[str, list[str]] = {}
        for ev in self.out.rows.get("evidence", []):
            if ev["entity_ref"]:
                texts = bodies.setdefault(ev["entity_ref"], [])
                if quotes_by_id[ev["quote_id"]] not in texts:
                    texts.append(quotes_by_id[ev["quote_id"]])
        articles = {row["ref"]: row["body"] for row in self.out.rows.get("articles", [])}
        for meeting in self.out.rows.get("meetings", []):
            if meeting.get("topics"):
                bodies.setdefault(meeting["ref"], []).insert(0, meeting["topics"])
        linked = self.linked_texts(quotes_by_id)
        amounts = self.amount_terms()
        variants: set[tuple[str, str]] = set()
        keys_cache: dict[str, tuple[list[str], str]] = {}  # names repeat: key each once
        typo_keys: set[str] = set()
        # Dense rowids (the full-text index stores each row's id as a delta from the previous
        # one, so hashed ids would double its size), in `search_order`. (An update keeps an
        # entity's rowid and appends a new one's.)
        entities = sorted(
            self.out.rows.get("entities", []), key=lambda e: search_order(e["name"], e["ref"])
        )
        for rowid, entity in enumerate(entities, start=1):
            ref = entity["ref"]
            names = [entity["name"], *aliases.get(ref, [])]
            joined = " ".join(names)
            cached = keys_cache.get(joined)
            if cached is None:
                cached = keys_cache[joined] = (keys_of(joined), " ".join(name_tokens(joined)))
            keys, tokens = cached
            body_parts = [entity["description"] or "", *bodies.get(ref, [])]
            if ref in articles:
                body_parts.append(articles[ref])
            self.out.add(
                "search_docs",
                {
                    "rowid": rowid,
                    "ref": ref,
                    "kind": entity["kind"],
                    "name": entity["name"],
                    "aliases": " ; ".join(aliases.get(ref, [])),
                    "keys": tokens,
                    "body": "\n".join(p for p in body_parts if p),
                    "linked": linked.get(ref, ""),
                    "amounts": " ".join(amounts.get(ref, [])),
                },
            )
            for key in typo_keys_of(keys):
                if key not in typo_keys:
                    typo_keys.add(key)
                    variants.update((variant, key) for variant in one_edit_variants(key))
        for variant, term in sorted(variants):
            self.out.add("term_variants", {"variant": variant, "term": term})

    def linked_texts(self, quotes_by_id: dict[int, str]) -> dict[str, str]:
        """What each entity's links say, for its search document (see `tui.data.linked`)."""
        link_quotes: dict[int, list[tuple[int, str]]] = {}
        for ev in self.out.rows.get("evidence", []):
            if ev["link_id"]:
                quote = (ev["quote_id"], quotes_by_id[ev["quote_id"]])
                link_quotes.setdefault(ev["link_id"], []).append(quote)
        announced = [
            (row["ref"], row["announced_at_ref"])
            for row in self.out.rows.get("commitments", [])
            if row.get("announced_at_ref")
        ]
        rows = {table: self.out.rows.get(table, []) for table in LINK_ENDS}
        return collect(rows, link_quotes, self.names, announced)

    def amount_terms(self) -> dict[str, list[str]]:
        """The amounts of money each commitment and indicator states, as index terms."""
        found: dict[str, list[str]] = {}
        for table, column in (("commitments", "amount"), ("indicators", "value")):
            for row in self.out.rows.get(table, []):
                if row.get(column) is not None and row.get("currency"):
                    found.setdefault(row["ref"], []).append(amount_term(row[column]))
        return found


def typo_keys_of(keys: Iterable[str]) -> list[str]:
    """The spelling keys of a name that typo tolerance indexes (term_variants)."""
    return [key for key in keys if len(key) >= MIN_TYPO_KEY]


def json_value(value: Any) -> str | None:
    """A statement's value as the `statements` table stores it (JSON; a number stays one)."""
    return None if value is None else json.dumps(value, ensure_ascii=False)


def statement_id(s: Statement) -> int:
    return stable_id(
        "statement", s.subject, s.prop, json_value(s.value), s.role, _ref("article", s.article),
        s.start, s.end, s.asserted_by, s.relative,
    )  # fmt: skip


def distinct(statements: Iterable[Statement]) -> tuple[list[Statement], list[int]]:
    """`statements` without repeats (the same statement written twice is one statement),
    each with its row id."""
    seen: set[int] = set()
    kept: list[Statement] = []
    ids: list[int] = []
    for s in statements:
        key = statement_id(s)
        if key not in seen:
            seen.add(key)
            kept.append(s)
            ids.append(key)
    return kept, ids


def statement_rows(
    out: Inserter, articles: dict[str, Article], statements: list[Statement], ids: list[int]
) -> None:
    """The `statements` rows of distinct `statements` (with their `ids`), each tied to its
    quote (and, for a link, to its link), with `seq` its place among its article's statements:
    the order an update derives them in, as the full build does."""
    seqs: dict[str, int] = {}
    for s, statement_key in zip(statements, ids, strict=True):
        article_ref = _ref("article", s.article)
        body = articles[s.article].body if s.start is None else ""
        quote_id = out.quote(article_ref, body, s.quote, s.start)
        definition = s.definition
        link_id = None
        if definition is not None and definition.link:
            link_id = stable_id("link", definition.link, s.subject, s.value)
        value = json_value(s.value)
        seq = seqs[s.article] = seqs.get(s.article, -1) + 1
        out.add(
            "statements",
            {
                "id": statement_key,
                "subject_ref": s.subject,
                "property": s.prop,
                "value": value,
                "role": s.role,
                "link_id": link_id,
                "article_ref": article_ref,
                "quote_id": quote_id,
                "asserted_by_ref": s.asserted_by,
                "relative": s.relative,
                "seq": seq,
            },
        )


def derive_seed(
    articles: dict[str, Article], names: dict[str, str], statements: list[Statement]
) -> tuple[Seed, dict[str, Derived]]:
    """The records (and agreements) the statements make, per kind in first-stated order."""
    order = article_order(articles)
    records: dict[str, list[dict[str, Any]]] = {kind: [] for kind in RECORD_KINDS}
    derived_by_ref: dict[str, Derived] = {}
    for subject, group in group_by_subject(statements).items():
        derived = derive(subject, group, names[subject], order)
        records[subject.partition(":")[0]].append(derived.record)
        derived_by_ref[subject] = derived
    return Seed(articles=articles, records=records), derived_by_ref


def corpus_rows(
    articles: dict[str, Article],
    names: dict[str, str],
    statements: list[Statement],
    facts_files: dict[str, tuple[str, str]] | None = None,
) -> Inserter:
    """Every row of the database the statements make: derived entities and links, the
    statements themselves, and (for a corpus on disk) which facts file each article came from."""
    statements, ids = distinct(statements)
    seed, derived = derive_seed(articles, names, statements)
    out = SeedWriter(seed, derived).write_all()
    statement_rows(out, articles, statements, ids)
    for article_id, (file, sha256) in sorted((facts_files or {}).items()):
        out.add(
            "article_facts",
            {"article_ref": _ref("article", article_id), "file": file, "sha256": sha256},
        )
    return out


def _opt(kind: str, slug: str | None) -> str | None:
    return _ref(kind, slug) if slug else None


def untitled_name(meta: dict[str, Any]) -> str:
    """The name of an article that prints no headline: its dateline and date, as the text
    gives them (`ASTANA, 2023-05-20`), never a sentence cut short."""
    when = str(meta["date"])
    dateline = meta.get("dateline")
    return f"{dateline}, {when}" if dateline else f"Article of {when}"


TABLE_ORDER = (
    "entities", "aliases", "sectors", "places", "articles", "organizations", "people",
    "meetings", "commitments", "indicators", "links", "positions", "meeting_participants",
    "commitment_parties", "commitment_places", "relations", "quotes", "evidence",
    "statements", "property_agreements", "article_facts", "search_docs", "term_variants",
)  # fmt: skip

# The link property (tui/data/statements.py) each record list field holds.
LINK_PROPERTY = {lf: prop for (_, prop), (lf, _) in LINK_FIELDS.items()}


Progress = Callable[[str, int, int], None]  # (stage, done, total)


def _insert_rows(conn: sqlite3.Connection, table: str, rows: list[dict[str, Any]]) -> None:
    """Bulk insert `rows` (dicts) with one prepared statement; a missing key inserts NULL."""
    columns = list(rows[0])
    columns += sorted(set().union(*rows).difference(columns))
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" * len(columns))
    sql = f'INSERT INTO "{table}" ({names}) VALUES ({marks})'  # noqa: S608 - schema names
    if len(columns) == 1:
        conn.executemany(sql, ((row.get(columns[0]),) for row in rows))
    elif all(len(row) == len(columns) for row in rows):
        conn.executemany(sql, map(operator.itemgetter(*columns), rows))
    else:
        conn.executemany(sql, (tuple(row.get(c) for c in columns) for row in rows))


def _deferred(conn: sqlite3.Connection) -> list[str]:
    """Drop the schema's secondary indexes and triggers, returning the SQL that recreates them.

    Loading into bare tables and then indexing once (and building the full-text index with
    'rebuild' rather than a trigger per row) is several times faster than maintaining every
    index row by row; the result is the same schema with the same contents.
    """
    found = conn.execute(
        "SELECT type, name, sql FROM sqlite_master "
        "WHERE sql IS NOT NULL AND type IN ('index', 'trigger') ORDER BY type, name"
    ).fetchall()
    for kind, name, _ in found:
        conn.execute(f'DROP {kind.upper()} "{name}"')
    return [sql for _, _, sql in found]


def _names_vocabulary(conn: sqlite3.Connection) -> None:
    """Keep the keys column's own terms (the marked name words and spelling keys, exactly as
    the full-text index holds them) in term_variants as `(term, term)` rows, so a search can
    turn a typed prefix into the few exact name terms it stands for (see
    `search.name_expansions`). Typo lookups never meet them: they start with KEY_MARK."""
    conn.execute("CREATE VIRTUAL TABLE temp.search_vocab USING fts5vocab(main, search_fts, 'row')")
    try:
        conn.execute(
            "INSERT OR IGNORE INTO term_variants (variant, term) "
            "SELECT term, term FROM temp.search_vocab WHERE term >= ? AND term < ?",
            (KEY_MARK, chr(ord(KEY_MARK) + 1)),
        )
    finally:
        conn.execute("DROP TABLE temp.search_vocab")


def _build_search_index(conn: sqlite3.Connection) -> None:
    """Fill and optimize the full-text index of `search_docs`, found as Datasette and
    sqlite-utils find it. Raises DatabaseError if they cannot see it (a declaration they do not
    detect would leave every client without search)."""
    docs = sqlite_utils.Database(conn).table("search_docs")
    if docs.detect_fts() != SEARCH_INDEX:
        raise DatabaseError(
            f'schema: {SEARCH_INDEX} must be declared with content="search_docs", '
            "the form Datasette and sqlite-utils detect"
        )
    docs.rebuild_fts()
    docs.optimize()


def write_database(
    out: Inserter,
    target: Path,
    schema_sql: str,
    seed_digest: str,
    progress: Progress | None = None,
    meta: dict[str, str] | None = None,
) -> None:
    """Write all rows into a fresh database at `target` (new, or an empty file), with `meta`
    (what it was built from) beside the schema version and the digests.

    The file is private until the caller renames it into place, so it is written without a
    journal or syncs; the integrity and foreign-key checks run before it is handed back.
    """
    note = progress or (lambda stage, done, total: None)
    conn = sqlite3.connect(target, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA cache_size = -262144")  # 256 MiB while indexing
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.executescript(schema_sql)
        conn.execute("PRAGMA foreign_keys = OFF")  # checked as a whole below
        deferred = _deferred(conn)
        total = sum(len(out.rows.get(table, [])) for table in TABLE_ORDER)
        done = 0
        conn.execute("BEGIN")
        _insert_rows(
            conn,
            "meta",
            [
                {"key": "schema_version", "value": SCHEMA_VERSION},
                {"key": "schema_sha256", "value": text_digest(schema_sql)},
                {"key": "seed_sha256", "value": seed_digest},
                *({"key": k, "value": v} for k, v in sorted((meta or {}).items())),
            ],
        )
        for table in TABLE_ORDER:
            rows = out.rows.get(table, [])
            note(f"writing {table}", done, total)
            if rows:
                _insert_rows(conn, table, rows)
            done += len(rows)
        note("laying out the timeline", done, total)
        timeline.derive_items(conn)
        note("indexing", done, total)
        for sql in deferred:
            conn.execute(sql)
        note("listing who and where the timeline involves", done, total)
        timeline.derive_involves(conn)
        note("building the full-text index", done, total)
        _build_search_index(conn)
        note("listing the names vocabulary", done, total)
        _names_vocabulary(conn)
        conn.execute("COMMIT")
        note("checking integrity", done, total)
        problems = conn.execute("PRAGMA integrity_check").fetchall()
        if problems != [("ok",)]:
            raise DatabaseError(f"{target}: integrity check failed: {problems[0][0]}")
        note("checking foreign keys", done, total)
        dangling = conn.execute("PRAGMA foreign_key_check").fetchall()
        if dangling:
            table, rowid, parent, _ = dangling[0]
            raise DatabaseError(
                f"{target}: foreign key check failed: {table} row {rowid} "
                f"names a missing {parent} ({len(dangling)} in all)"
            )
        free = conn.execute("PRAGMA freelist_count").fetchone()[0]
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        if free > pages // 20:  # compact only when there is much to gain
            note("compacting", done, total)
            conn.execute("VACUUM")
        note("done", total, total)
    finally:
        conn.close()


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def corpus_files(corpus_dir: Path) -> list[Path]:
    """The files a corpus is made of: entities.yaml, and everything under articles/ and
    facts/ (not its database, `DIR/roundtable.db`, nor anything else kept beside)."""
    corpus_dir = Path(corpus_dir)
    found = [corpus_dir / ENTITIES_FILE]
    for part in (ARTICLES_DIR, FACTS_DIR):
        found.extend((corpus_dir / part).rglob("*"))
    return sorted(p for p in found if p.is_file())


def seed_digest(seed_dir: Path) -> str:
    """A hash of every corpus file's name and bytes: what the database was built from."""
    digest = hashlib.sha256()
    for path in corpus_files(seed_dir):
        digest.update(str(path.relative_to(seed_dir)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def entities_digest(corpus_dir: Path) -> str:
    """A hash of entities.yaml (empty when there is none): a change there may rename."""
    path = Path(corpus_dir) / ENTITIES_FILE
    if not os.path.lexists(path):
        return hashlib.sha256(b"").hexdigest()
    return hashlib.sha256(seedfiles.read_bytes(path, str(path))).hexdigest()  # a FIFO: refused


def build(
    seed_dir: Path,
    db_path: Path,
    schema_file: Path = paths.SCHEMA_FILE,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Validate the corpus at `seed_dir`, build it into a new file, check it, and swap it
    into `db_path`.

    Returns the number of entities per kind. Raises `SeedError` or `DatabaseError`; in either
    case the file at `db_path` is untouched.
    """
    seed_dir, db_path = Path(seed_dir), Path(db_path)
    corpus = load_any_corpus(seed_dir)
    if progress:
        progress("preparing rows", 0, 1)
    files = {aid: (f.file, f.sha256) for aid, f in corpus.facts.items()}
    out = corpus_rows(corpus.articles, corpus.names, corpus.statements(), files)
    meta = {"entities_sha256": entities_digest(seed_dir)}
    return write_rows(out, db_path, seed_digest(seed_dir), schema_file, progress, meta)


def load_any_corpus(corpus_dir: Path) -> Corpus:
    """`load_corpus`, except that a corpus with no articles yet (`roundtable init --empty`)
    is a valid, empty corpus: it builds into an empty database."""
    if Path(corpus_dir).is_dir() and not facts_paths(corpus_dir):
        return Corpus(names=load_names(Path(corpus_dir)))
    return load_corpus(corpus_dir)


def build_seed(
    seed: Seed,
    db_path: Path,
    digest: str,
    schema_file: Path = paths.SCHEMA_FILE,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Build records of the one-file-per-kind form (the benchmark's generated corpus) into
    `db_path`, through statements like any corpus. `digest` names what they were made from."""
    from tui.data.records import statements_of_seed

    if progress:
        progress("preparing rows", 0, 1)
    names, statements = statements_of_seed(seed)
    out = corpus_rows(seed.articles, names, statements)
    return write_rows(out, db_path, digest, schema_file, progress)


def write_rows(
    out: Inserter,
    db_path: Path,
    digest: str,
    schema_file: Path = paths.SCHEMA_FILE,
    progress: Progress | None = None,
    meta: dict[str, str] | None = None,
) -> dict[str, int]:
    """Write `out` into a new file beside `db_path`, check it, and rename it into place."""
    db_path = Path(db_path)
    try:
        schema_sql = schema_file.read_text(encoding="utf-8")
    except OSError as exc:
        raise SeedError(str(schema_file), f"cannot read schema ({exc.strerror})") from None
    try:
        with atomic.replacing(db_path) as tmp:
            write_database(out, tmp, schema_sql, digest, progress, meta)
    except sqlite3.Error as exc:
        raise DatabaseError(f"{db_path}: build failed: {exc}") from None
    except OSError as exc:
        raise DatabaseError(f"{db_path}: cannot write ({exc.strerror or exc})") from None
    return dict(Counter(row["kind"] for row in out.rows.get("entities", [])))


def is_stale(
    db_path: Path, seed_dir: Path = paths.SEED_DIR, schema_file: Path = paths.SCHEMA_FILE
) -> bool:
    """True when the database is missing or older than any seed file or the schema."""
    try:
        built = db_path.stat().st_mtime
    except FileNotFoundError:
        return True
    sources = [schema_file, *corpus_files(seed_dir)]
    if any(p.stat().st_mtime > built for p in sources):
        return True
    # A removed facts file leaves nothing newer: its folder's time says it changed.
    folders = [seed_dir / FACTS_DIR, seed_dir / ARTICLES_DIR]
    return any(f.is_dir() and f.stat().st_mtime > built for f in folders)


def ensure_default_database() -> Path:
    """Build the bundled database on first use, and update it whenever the seed is newer. (An
    installed wheel's lives in the user's data folder, made here on first use.)"""
    from tui.data.sync import ensure_database

    return ensure_database(paths.SEED_DIR, paths.DEFAULT_DB)
