"""Update the database for the articles whose facts changed: one transaction, in place.

An entity's rows depend only on the statements about it (`tui.data.derive`), so a changed
article touches only the subjects it states something about, before and after the change. For
each of those the update re-derives the record from its statements in the database (every
other article's) plus the article's new ones, with the same code as the full build, and
rewrites the rows the full build would write for it: the entity, its kind's row, aliases,
sectors, evidence, the links it owns, agreements and its search document (and full-text
entry); then the article's own rows (its statements, quotes and facts file), the timeline items
it moves, and the typo vocabulary. The result is the database a full build of the same corpus
makes (tests/test_corpus_update.py compares them table by table).

The file is changed in place, in one transaction of SQLite's rollback journal: a reader (an
open explorer, a CLI export, Datasette) sees the state before or the state after, never a mix,
and a failed update is rolled back, leaving the file exactly as it was.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from tui.data import linked, timeline
from tui.data.build import (
    SEARCH_INDEX,
    TABLE_ORDER,
    Inserter,
    SeedWriter,
    distinct,
    statement_rows,
    typo_keys_of,
)
from tui.data.corpus import Facts
from tui.data.db import SCHEMA_VERSION, describe
from tui.data.derive import Derived, derive
from tui.data.rules import check_own_sources
from tui.data.search import KEY_MARK, fts_string
from tui.data.seed import Article, Seed
from tui.data.spelling import keys_of, one_edit_variants
from tui.data.statements import Statement
from tui.errors import DatabaseError, SeedError
from tui.formatting import stated_date
from tui.kinds import RECORD_KINDS

WRITE_TIMEOUT_S = 30.0  # how long an update waits for readers to let it commit
BATCH = 500  # values per `IN (...)` list
KIND_TABLES = {
    "place": "places", "organization": "organizations", "person": "people",
    "meeting": "meetings", "commitment": "commitments", "indicator": "indicators",
    "article": "articles",
}  # fmt: skip
# Link tables, each with the column naming the entity that owns its links.
LINK_TABLES = {
    "positions": "person_ref", "meeting_participants": "meeting_ref",
    "commitment_parties": "commitment_ref", "commitment_places": "commitment_ref",
    "relations": "from_ref",
}  # fmt: skip
DOC_COLUMNS = ("name", "aliases", "keys", "body", "kind", "linked", "amounts")  # search_fts order
# Rows of these tables the update writes itself, or not at all.
_NOT_INSERTED = {"term_variants"}
_FTS_TERMS = (KEY_MARK, chr(ord(KEY_MARK) + 1))  # the range of terms term_variants lists


def _batches(values: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), BATCH):
        yield values[start : start + BATCH]


def _marks(values: Sequence[Any]) -> str:
    return ", ".join("?" * len(values))


def _select(conn: sqlite3.Connection, sql: str, values: Iterable[Any]) -> list[tuple[Any, ...]]:
    """`sql` (with one `{}` for an IN list) over `values` in batches: every row found."""
    found: list[tuple[Any, ...]] = []
    for batch in _batches(sorted(set(values))):
        found.extend(conn.execute(sql.format(_marks(batch)), batch).fetchall())
    return found


def _delete(conn: sqlite3.Connection, table: str, column: str, values: Iterable[Any]) -> None:
    for batch in _batches(sorted(set(values))):
        conn.execute(f'DELETE FROM "{table}" WHERE "{column}" IN ({_marks(batch)})', batch)  # noqa: S608 - schema names


def _insert(conn: sqlite3.Connection, table: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    columns = sorted(set().union(*rows))
    names = ", ".join(f'"{c}"' for c in columns)
    conn.executemany(
        f'INSERT INTO "{table}" ({names}) VALUES ({_marks(columns)})',  # noqa: S608 - schema names
        [tuple(row.get(c) for c in columns) for row in rows],
    )


class _Update:
    """One update: the changed articles' new facts (None for a removed article)."""

    def __init__(
        self, conn: sqlite3.Connection, changes: dict[str, Facts | None], names: dict[str, str]
    ) -> None:
        self.conn = conn
        self.changes = changes
        self.yaml_names = names
        self.article_refs = [f"article:{aid}" for aid in sorted(changes)]
        self.new: dict[str, list[Statement]] = {}
        self.ids: dict[str, list[int]] = {}
        for aid, facts in changes.items():
            if facts is not None:
                self.new[aid], self.ids[aid] = distinct(facts.statements)

    def run(self) -> None:
        conn = self.conn
        self._check_article_files()
        old_subjects = {
            r[0]
            for r in _select(
                conn,
                "SELECT DISTINCT subject_ref FROM statements WHERE article_ref IN ({})",
                self.article_refs,
            )
        }
        new_subjects = {s.subject for group in self.new.values() for s in group}
        subjects = sorted(old_subjects | new_subjects)
        derived = self._derive(subjects)
        refs = [*subjects, *self.article_refs]
        # What links say about an entity is in its search document: the entities linked to a
        # re-derived one, before and after, have theirs read again (see tui.data.linked).
        linked_before = linked.neighbours(conn, subjects)
        old_docs = self._docs(sorted(set(refs) | linked_before))
        self.rowids = dict(
            _select(conn, "SELECT ref, rowid FROM search_docs WHERE ref IN ({})", refs)
        )
        items = self._timeline_items(subjects, self._moved_places(subjects, derived))
        old_involves = [
            pair for batch in _batches(items) for pair in timeline.involves_of(conn, list(batch))
        ]

        out = self._rows(derived)
        self._delete_old(subjects, refs)
        for table in TABLE_ORDER:
            rows = out.rows.get(table, [])
            if table == "quotes":  # another article's quotes are there already, unchanged
                rows = [q for q in rows if q["article_ref"] in self.article_refs]
            if table not in _NOT_INSERTED:
                _insert(conn, table, rows)
        touched = sorted(set(refs) | linked_before | linked.neighbours(conn, subjects))
        self._relink(touched)
        new_docs = self._docs(touched)
        changed = {r for r in set(old_docs) | set(new_docs) if old_docs.get(r) != new_docs.get(r)}
        old_docs = {r: d for r, d in old_docs.items() if r in changed}
        new_docs = {r: d for r, d in new_docs.items() if r in changed}
        self._reindex(old_docs, new_docs)
        self._timeline(items, old_involves)
        self._vocabulary(old_docs, new_docs)

    # -- what changes ---------------------------------------------------------------------

    def _check_article_files(self) -> None:
        """Two articles never share one text file (as `load_corpus` checks for a whole corpus)."""
        for aid, facts in sorted(self.changes.items()):
            if facts is None:
                continue
            row = self.conn.execute(
                "SELECT ref FROM articles WHERE file = ? AND ref != ?",
                (facts.article.file, f"article:{aid}"),
            ).fetchone()
            if row is not None and row[0] not in self.article_refs:
                raise SeedError(facts.file, f"article file {facts.article.file!r} is used twice")

    def _kept_statements(self, subjects: list[str]) -> dict[str, list[tuple[str, int, Statement]]]:
        """The statements other articles make about `subjects`, from the database."""
        found: dict[str, list[tuple[str, int, Statement]]] = defaultdict(list)
        changed = set(self.article_refs)
        sql = (
            "SELECT s.subject_ref, s.property, s.value, s.role, s.article_ref, q.text, q.start, "
            "q.end, s.asserted_by_ref, s.relative, s.seq FROM statements AS s "
            "JOIN quotes AS q ON q.id = s.quote_id WHERE s.subject_ref IN ({})"
        )
        for row in _select(self.conn, sql, subjects):
            subject, prop, value, role, article_ref, quote, start, end, by, relative, seq = row
            if article_ref in changed:
                continue
            aid = article_ref.partition(":")[2]
            value = None if value is None else json.loads(value)
            statement = Statement(subject, prop, value, aid, quote, start, end, role, by, relative)
            found[subject].append((aid, seq, statement))
        return found

    def _order(self, article_ids: set[str]) -> dict[str, tuple[str, str]]:
        """`derive.article_order` for these articles: the database's, or the new facts'."""
        order: dict[str, tuple[str, str]] = {}
        rows = _select(
            self.conn,
            "SELECT ref, published, date_precision FROM articles WHERE ref IN ({})",
            [f"article:{aid}" for aid in article_ids if aid not in self.new],
        )
        for ref, published, precision in rows:
            aid = ref.partition(":")[2]
            order[aid] = (str(stated_date(published, precision) or ""), aid)
        for aid in article_ids & set(self.new):
            order[aid] = (str(self.changes[aid].article.meta.get("date", "")), aid)  # type: ignore[union-attr]
        return order

    def _names(self, refs: Iterable[str]) -> dict[str, str]:
        """Canonical names: the database's for an entity it holds, else entities.yaml's."""
        wanted = set(refs)
        names = {ref: self.yaml_names[ref] for ref in wanted if ref in self.yaml_names}
        names.update(_select(self.conn, "SELECT ref, name FROM entities WHERE ref IN ({})", wanted))
        return names

    def _derive(self, subjects: list[str]) -> dict[str, Derived]:
        grouped = self._kept_statements(subjects)
        for aid, statements in self.new.items():
            for seq, s in enumerate(statements):
                grouped[s.subject].append((aid, seq, s))
        named: set[str] = set(subjects)
        for stated in grouped.values():
            for _, _, s in stated:
                definition = s.definition
                if definition is not None and definition.is_ref:
                    named.add(s.value)
        self.names = self._names(named)
        self._check_own_sources(grouped)
        order = self._order({aid for stated in grouped.values() for aid, _, _ in stated})
        derived: dict[str, Derived] = {}
        for subject in subjects:
            # In each article, in its facts file's order (the full build's); derive sorts on.
            stated = sorted(grouped.get(subject, []), key=lambda t: (t[0], t[1]))
            if stated:  # a subject no article speaks of any more is removed
                derived[subject] = derive(
                    subject, [s for _, _, s in stated], self.names[subject], order
                )
        return derived

    def _check_own_sources(self, grouped: dict[str, list[tuple[str, int, Statement]]]) -> None:
        """`rules.check_own_sources` over what the change touches: every subject still keeps
        a source of its own in some article (its statements are all here)."""
        files = dict(
            _select(
                self.conn,
                "SELECT article_ref, file FROM article_facts WHERE article_ref IN ({})",
                [f"article:{aid}" for stated in grouped.values() for aid, _, _ in stated],
            )
        )
        for aid, facts in self.changes.items():
            if facts is not None:
                files[f"article:{aid}"] = facts.file
        by_file: dict[str, list[Statement]] = defaultdict(list)
        for stated in grouped.values():
            for aid, _, s in stated:
                by_file[files.get(f"article:{aid}", f"article:{aid}")].append(s)
        check_own_sources(dict(sorted(by_file.items())))

    def _rows(self, derived: dict[str, Derived]) -> Inserter:
        """The rows the full build writes for the re-derived subjects and changed articles."""
        records: dict[str, list[dict[str, Any]]] = {kind: [] for kind in RECORD_KINDS}
        for subject, d in derived.items():
            records[subject.partition(":")[0]].append(d.record)
        articles: dict[str, Article] = {
            aid: self.changes[aid].article  # type: ignore[union-attr]
            for aid in sorted(self.new)
        }
        writer = SeedWriter(Seed(articles=articles, records=records), derived)
        writer.names.update(self.names)
        writer.write_articles()
        writer.write_records()
        writer.write_links()
        writer.search_rows()
        out = writer.out
        # An entity keeps its search document's rowid; a new one's is appended (the full
        # build numbers them densely in entity order: rowids are not compared, refs are).
        following = self.conn.execute("SELECT coalesce(max(rowid), 0) FROM search_docs")
        last = int(following.fetchone()[0])
        for doc in out.rows.get("search_docs", []):
            if doc["ref"] in self.rowids:
                doc["rowid"] = self.rowids[doc["ref"]]
            else:
                last += 1
                doc["rowid"] = last
        for aid in sorted(self.new):
            statement_rows(out, articles, self.new[aid], self.ids[aid])
        for aid in sorted(self.new):
            facts = self.changes[aid]
            assert facts is not None
            out.add(
                "article_facts",
                {"article_ref": f"article:{aid}", "file": facts.file, "sha256": facts.sha256},
            )
        return out

    # -- writing ------------------------------------------------------------------------------

    def _delete_old(self, subjects: list[str], refs: list[str]) -> None:
        conn = self.conn
        links = [
            r[0]
            for table, owner in LINK_TABLES.items()
            for r in _select(conn, f"SELECT link_id FROM {table} WHERE {owner} IN ({{}})", subjects)  # noqa: S608 - schema names
        ]
        _delete(conn, "evidence", "link_id", links)
        for table, owner in LINK_TABLES.items():
            _delete(conn, table, owner, subjects)
        _delete(conn, "links", "id", links)
        for table in ("evidence", "aliases", "sectors"):
            _delete(conn, table, "entity_ref", refs)
        _delete(conn, "property_agreements", "subject_ref", refs)
        for table in ("statements", "article_facts", "quotes"):
            _delete(conn, table, "article_ref", self.article_refs)
        _delete(conn, "search_docs", "ref", refs)
        for table in KIND_TABLES.values():
            _delete(conn, table, "ref", refs)
        _delete(conn, "entities", "ref", refs)

    def _relink(self, refs: list[str]) -> None:
        """Each of `refs`' search documents gets what its links say now, from the database."""
        texts = linked.from_database(self.conn, refs)
        self.conn.executemany(
            "UPDATE search_docs SET linked = ? WHERE ref = ? AND linked IS NOT ?",
            [(text, ref, text) for ref, text in texts.items()],
        )

    def _docs(self, refs: list[str]) -> dict[int, tuple[Any, ...]]:
        """The search documents of `refs`, by rowid, as DOC_COLUMNS."""
        sql = f"SELECT rowid, {', '.join(DOC_COLUMNS)} FROM search_docs WHERE ref IN ({{}})"  # noqa: S608 - constants
        return {row[0]: tuple(row[1:]) for row in _select(self.conn, sql, refs)}

    def _reindex(self, old: dict[int, tuple[Any, ...]], new: dict[int, tuple[Any, ...]]) -> None:
        """The full-text index follows its content table: the old entries out ('delete' with
        the values they were indexed with), the new ones in."""
        columns = ", ".join(DOC_COLUMNS)
        marks = _marks(DOC_COLUMNS)
        self.conn.executemany(
            f"INSERT INTO {SEARCH_INDEX} ({SEARCH_INDEX}, rowid, {columns}) "  # noqa: S608 - constants
            f"VALUES ('delete', ?, {marks})",
            [(rowid, *doc) for rowid, doc in sorted(old.items())],
        )
        self.conn.executemany(
            f"INSERT INTO {SEARCH_INDEX} (rowid, {columns}) VALUES (?, {marks})",  # noqa: S608 - constants
            [(rowid, *doc) for rowid, doc in sorted(new.items())],
        )

    def _moved_places(self, subjects: list[str], derived: dict[str, Derived]) -> list[str]:
        """The places whose `within` the change sets, changes or drops (or that come or go)."""
        places = [s for s in subjects if s.startswith("place:")]
        old = dict(
            _select(self.conn, "SELECT ref, within_ref FROM places WHERE ref IN ({})", places)
        )
        new = {}
        for ref in places:
            if ref in derived:
                within = derived[ref].record.get("within")
                new[ref] = f"place:{within}" if within else None
        return [ref for ref in places if old.get(ref, "-") != new.get(ref, "-")]

    def _timeline_items(self, subjects: list[str], moved_places: list[str]) -> list[str]:
        """The timeline items the change moves: its meetings and commitments, the commitments
        announced at its meetings (they take the meeting's date), and every item that involves
        a place whose `within` changed (it is filed under the places above). Read before the
        change: another commitment's `announced_at` is not part of it."""
        conn = self.conn
        meetings = [s for s in subjects if s.startswith("meeting:")]
        items = {s for s in subjects if s.startswith(("meeting:", "commitment:"))}
        sql = "SELECT ref FROM commitments WHERE announced_at_ref IN ({})"
        items.update(r[0] for r in _select(conn, sql, meetings))
        sql = (
            "SELECT DISTINCT t.ref FROM timeline_involves AS v "
            "JOIN timeline_items AS t ON t.seq = v.seq WHERE v.other IN ({})"
        )
        items.update(r[0] for r in _select(conn, sql, moved_places))
        return sorted(items)

    def _timeline(self, items: list[str], old_involves: list[tuple[str, str]]) -> None:
        """Lay `items` out again: their old rows out, the new derived as the build does."""
        conn = self.conn
        conn.executemany("DELETE FROM timeline_involves WHERE other = ? AND seq = ?", old_involves)
        _delete(conn, "timeline_items", "ref", items)
        for batch in _batches(items):
            timeline.derive_items(conn, list(batch))
        for batch in _batches(items):
            timeline.derive_involves(conn, list(batch))

    def _vocabulary(self, old: dict[int, tuple[Any, ...]], new: dict[int, tuple[Any, ...]]) -> None:
        """Keep term_variants what a full build makes of the whole database: each typo key of
        any name under its one-deletion variants, and each indexed term of the keys range as
        `(term, term)`. Only keys and terms of the changed documents can come or go."""
        conn = self.conn
        keys: set[str] = set()
        for doc in [*old.values(), *new.values()]:
            keys.update(typo_keys_of(keys_of(f"{doc[0]} {doc[1]}")))
        terms = self._doc_terms([*old.values(), *new.values()])
        held = {k: self._key_held(k) for k in sorted(keys | {t for t in terms if _may_be_key(t)})}
        indexed = {t for t in terms if self._term_indexed(t)}
        pairs = {(v, k) for k in keys for v in one_edit_variants(k)} | {(t, t) for t in terms}
        keep: list[tuple[str, str]] = []
        drop: list[tuple[str, str]] = []
        for variant, term in sorted(pairs):
            wanted = held.get(term, False) or (variant == term and term in indexed)
            (keep if wanted else drop).append((variant, term))
        conn.executemany("INSERT OR IGNORE INTO term_variants (variant, term) VALUES (?, ?)", keep)
        conn.executemany("DELETE FROM term_variants WHERE variant = ? AND term = ?", drop)

    def _doc_terms(self, docs: list[tuple[Any, ...]]) -> set[str]:
        """The terms of the keys range in `docs`, as the full-text index's tokenizer makes
        them (a private index of just these documents is asked)."""
        conn = self.conn
        conn.execute(
            f"CREATE VIRTUAL TABLE temp.update_docs USING fts5 ({', '.join(DOC_COLUMNS)}, "
            "tokenize = 'unicode61 remove_diacritics 2')"
        )
        conn.execute(
            "CREATE VIRTUAL TABLE temp.update_terms USING fts5vocab(temp, update_docs, 'row')"
        )
        try:
            conn.executemany(f"INSERT INTO temp.update_docs VALUES ({_marks(DOC_COLUMNS)})", docs)  # noqa: S608 - placeholders
            return {
                r[0]
                for r in conn.execute(
                    "SELECT term FROM temp.update_terms WHERE term >= ? AND term < ?", _FTS_TERMS
                )
            }
        finally:
            conn.execute("DROP TABLE temp.update_terms")
            conn.execute("DROP TABLE temp.update_docs")

    def _term_indexed(self, term: str) -> bool:
        """Whether the full-text index holds `term` (one token as its tokenizer makes them) in
        any document, as its vocabulary would list it."""
        found = self.conn.execute(
            f"SELECT 1 FROM {SEARCH_INDEX} WHERE {SEARCH_INDEX} MATCH ? LIMIT 1",  # noqa: S608 - constants
            (fts_string(term),),
        ).fetchone()
        return found is not None

    def _key_held(self, key: str) -> bool:
        """Whether any search document's names have `key` among their typo keys."""
        if _may_be_token(key):
            rows: Iterable[tuple[str, str]] = self.conn.execute(
                f"SELECT d.name, d.aliases FROM {SEARCH_INDEX} AS f "  # noqa: S608 - constants
                f"JOIN search_docs AS d ON d.rowid = f.rowid WHERE {SEARCH_INDEX} MATCH ?",
                (f"keys : {fts_string(KEY_MARK + key)}",),
            )
        else:  # a key the index splits (it holds `_`): ask every document
            rows = self.conn.execute("SELECT name, aliases FROM search_docs")
        return any(key in typo_keys_of(keys_of(f"{name} {aliases}")) for name, aliases in rows)


def _may_be_key(term: str) -> bool:
    return len(term) >= 4 and not term.isdigit()


def _may_be_token(key: str) -> bool:
    return all(ch.isalnum() for ch in key)


def apply(
    db_path: Path,
    changes: dict[str, Facts | None],
    names: dict[str, str],
    meta: dict[str, str] | None = None,
) -> None:
    """Update the database at `db_path` for `changes` (article id -> its new facts, None
    for a removed article) in one transaction, and set `meta` entries beside.

    `names` are entities.yaml's. Raises `DatabaseError` (or `SeedError` for facts that do
    not fit the database); the file is then exactly as it was.
    """
    db_path = Path(db_path)
    if not db_path.is_file():
        raise DatabaseError(f"{db_path}: database not found (run `roundtable build`)")
    try:
        conn = sqlite3.connect(db_path, isolation_level=None, timeout=WRITE_TIMEOUT_S)
    except sqlite3.Error as exc:
        raise DatabaseError(f"{db_path}: cannot open database ({describe(exc)})") from None
    try:
        conn.execute("PRAGMA cache_size = -131072")  # the whole change in memory until commit
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            if version is None or version[0] != SCHEMA_VERSION:
                raise DatabaseError(
                    f"{db_path}: schema version {version[0] if version else 'none'}, "
                    f"expected {SCHEMA_VERSION} (rebuild it with `roundtable build --full`)"
                )
            _Update(conn, changes, names).run()
            conn.executemany(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                sorted((meta or {}).items()),
            )
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    except sqlite3.Error as exc:
        raise DatabaseError(f"{db_path}: update failed: {describe(exc)}") from None
    finally:
        conn.close()
