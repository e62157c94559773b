"""Export a kind's entities, as filtered in a pane, with provenance on every row.

Each row has the entity's own fields, a name column beside every reference (`country_ref`,
`country`), the linked entities by name and by ref (`parties`, `party_refs`), and where it
comes from: how many articles report it, the first source's article and quote, and every
source. CSV flattens lists (`; ` between items, one source per line); JSON keeps them.
"""

from __future__ import annotations

import csv
import os
import re
import sqlite3
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from tui import atomic
from tui.data.listing import iter_rows
from tui.data.queries import KIND_TABLES, check_kind
from tui.errors import UserError
from tui.textsafe import json_text

FORMATS = ("csv", "json", "jsonl", "ftm")
EXTENSIONS = {"csv": "csv", "json": "json", "jsonl": "jsonl", "ftm": "ftm.jsonl"}
BATCH = 100
HIDDEN = {"body", "sha256"}  # an article's text is in the source file; not one cell of a table

# Linked entities exported as columns, per kind: (relation in `entity_links`, names column,
# refs column).
LINK_COLUMNS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "organization": (("person", "people", "person_refs"),),
    "person": (("position", "positions", "position_refs"),),
    "meeting": (
        ("participant", "participants", "participant_refs"),
        ("includes", "includes", "included_refs"),
    ),
    "commitment": (("party", "parties", "party_refs"), ("place", "places", "place_refs")),
    "indicator": (),
    "place": (),
    "article": (),
}
# Spreadsheets run a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$")


def default_filename(kind: str, fmt: str) -> str:
    return f"roundtable-{kind}.{EXTENSIONS[fmt]}"


def _placeholders(values: list[Any]) -> str:
    return ",".join("?" * len(values))


def _batch_rows(conn: sqlite3.Connection, kind: str, refs: list[str]) -> list[dict[str, Any]]:
    """Full export rows for one batch of refs, in the order given."""
    marks = _placeholders(refs)
    table = KIND_TABLES[kind]
    rows: dict[str, dict[str, Any]] = {}
    for record in conn.execute(
        f"""SELECT e.ref, e.name, e.description, e.reported_differently, o.*
            FROM entities AS e JOIN {table} AS o ON o.ref = e.ref
            WHERE e.ref IN ({marks})""",  # noqa: S608 - table from a fixed map, placeholders
        refs,
    ):
        rows[record["ref"]] = {k: record[k] for k in record.keys() if k not in HIDDEN}
    named = {v for row in rows.values() for k, v in row.items() if k.endswith("_ref") and v}
    names: dict[str, str] = {}
    if named:
        wanted = sorted(named)
        names = dict(
            conn.execute(
                f"SELECT ref, name FROM entities WHERE ref IN ({_placeholders(wanted)})",  # noqa: S608 - placeholders
                wanted,
            ).fetchall()
        )
    aliases: dict[str, list[str]] = {}
    for ref, alias in conn.execute(
        f"SELECT entity_ref, alias FROM aliases WHERE entity_ref IN ({marks}) ORDER BY alias",  # noqa: S608 - placeholders
        refs,
    ):
        aliases.setdefault(ref, []).append(alias)
    links: dict[tuple[str, str], list[tuple[str, str, str | None]]] = {}
    relations = [relation for relation, _, _ in LINK_COLUMNS[kind]]
    if relations:
        for from_ref, relation, to_ref, name, role in conn.execute(
            f"""SELECT l.from_ref, l.relation, l.to_ref, e.name, l.role
                FROM entity_links AS l JOIN entities AS e ON e.ref = l.to_ref
                WHERE l.from_ref IN ({marks}) AND l.relation IN ({_placeholders(relations)})
                ORDER BY e.name, e.ref""",  # noqa: S608 - placeholders
            [*refs, *relations],
        ):
            links.setdefault((from_ref, relation), []).append((to_ref, name, role))
    sources: dict[str, list[dict[str, Any]]] = {}
    for ref, article, title, quote, _start, field, value in conn.execute(
        f"""SELECT ev.entity_ref, q.article_ref, a.name, q.text, q.start, ev.field, ev.value
            FROM evidence AS ev JOIN quotes AS q ON q.id = ev.quote_id
            JOIN entities AS a ON a.ref = q.article_ref
            WHERE ev.entity_ref IN ({marks})
            ORDER BY ev.entity_ref, q.article_ref, q.start, ev.field""",  # noqa: S608 - placeholders
        refs,
    ):
        cited = sources.setdefault(ref, [])
        if cited and cited[-1]["article"] == article and cited[-1]["quote"] == quote:
            item = cited[-1]
        else:
            item = {"article": article, "article_title": title, "quote": quote, "states": {}}
            cited.append(item)
        if field:
            item["states"][field] = value
    result = []
    for ref in refs:
        base = rows.get(ref)
        if base is None:
            continue
        row: dict[str, Any] = {"ref": ref, "name": base["name"]}
        for key, value in base.items():
            if key in ("ref", "name", "description", "reported_differently"):
                continue
            row[key] = value
            if key.endswith("_ref"):
                row[key[:-4]] = names.get(value) if value else None
        row["description"] = base["description"]
        row["aliases"] = aliases.get(ref, [])
        for relation, column, refs_column in LINK_COLUMNS[kind]:
            found = links.get((ref, relation), [])
            row[column] = [f"{name} ({role})" if role else name for _, name, role in found]
            row[refs_column] = [to_ref for to_ref, _, _ in found]
        cited = sources.get(ref, [])
        row["source_count"] = len({s["article"] for s in cited})
        row["reported_differently"] = bool(base["reported_differently"])
        row["source_article"] = cited[0]["article"] if cited else None
        row["source_article_title"] = cited[0]["article_title"] if cited else None
        row["source_quote"] = cited[0]["quote"] if cited else None
        row["sources"] = cited
        result.append(row)
    return result


def export_rows(
    conn: sqlite3.Connection,
    kind: str,
    *,
    filters: dict[str, str] | None = None,
    text: str | None = None,
) -> Iterator[dict[str, Any]]:
    """Every row of `kind` under the pane's filters, in name order, a batch at a time."""
    check_kind(kind)
    batch: list[str] = []
    for row in iter_rows(conn, kind, filters=filters, text=text):
        batch.append(row["ref"])
        if len(batch) == BATCH:
            yield from _batch_rows(conn, kind, batch)
            batch = []
    if batch:
        yield from _batch_rows(conn, kind, batch)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    if text.startswith(_FORMULA_START) and not _NUMBER.match(text):
        return "'" + text  # a spreadsheet shows it as text instead of running it
    return text


def _source_lines(sources: list[dict[str, Any]]) -> str:
    lines = []
    for source in sources:
        line = f"{source['article']}: “{source['quote']}”"
        if source["states"]:
            line += " (states " + ", ".join(f"{k}: {v}" for k, v in source["states"].items()) + ")"
        lines.append(line)
    return "\n".join(lines)


def csv_cells(row: dict[str, Any]) -> dict[str, str]:
    return {
        key: _source_lines(value) if key == "sources" else
        _cell("; ".join(value) if isinstance(value, list) else value)
        for key, value in row.items()
    }  # fmt: skip


def write_rows(rows: Iterable[dict[str, Any]], fmt: str, out: TextIO) -> int:
    """Write rows in `fmt` (csv, json, jsonl; ftm rows are written as jsonl) and count them."""
    count = 0
    if fmt == "csv":
        writer: csv.DictWriter | None = None
        for row in rows:
            cells = csv_cells(row)
            if writer is None:
                writer = csv.DictWriter(out, fieldnames=list(cells), lineterminator="\n")
                writer.writeheader()
            writer.writerow(cells)
            count += 1
        return count
    if fmt == "json":
        out.write("[")
        for row in rows:
            out.write(("," if count else "") + "\n  " + json_text(row))
            count += 1
        out.write("\n]\n" if count else "]\n")
        return count
    if fmt in ("jsonl", "ftm"):
        for row in rows:
            out.write(json_text(row) + "\n")
            count += 1
        return count
    raise UserError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")


def kind_rows(
    conn: sqlite3.Connection,
    kind: str,
    fmt: str,
    *,
    filters: dict[str, str] | None = None,
    text: str | None = None,
) -> Iterator[dict[str, Any]]:
    """The rows to write for `kind` in `fmt` (FollowTheMoney entities for `ftm`)."""
    if fmt not in FORMATS:
        raise UserError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    if fmt == "ftm":
        from tui.data.ftm import ftm_entities

        refs = None
        if kind != "all":
            refs = [row["ref"] for row in iter_rows(conn, check_kind(kind), filters=filters,
                                                    text=text)]  # fmt: skip
        return ftm_entities(conn, refs)
    if kind == "all":
        raise UserError("`all` is for --format ftm; name one kind for csv, json or jsonl")
    return export_rows(conn, kind, filters=filters, text=text)


def write_file(
    rows: Iterable[dict[str, Any]],
    fmt: str,
    path: str | os.PathLike[str],
    database: str | os.PathLike[str] | None = None,
) -> int:
    """Write to `path` all at once or not at all (see `tui.atomic`: through to a device or
    FIFO, over a symlink's target, never in place of a folder, nor of `database`, the file the
    rows are read from). Raises `UserError` with one line naming `path` and the OS's reason
    when it cannot be written."""
    named = os.fspath(path)
    try:
        if database is not None and _same_file(named, database):
            raise UserError(f"cannot write {named}: it is the database being exported")
        with atomic.replacing(path) as temp, open(temp, "w", encoding="utf-8", newline="") as out:
            return write_rows(rows, fmt, out)
    except OSError as exc:
        raise UserError(f"cannot write {named}: {exc.strerror or exc}") from None


def _same_file(path: str, other: str | os.PathLike[str]) -> bool:
    try:
        return os.path.samefile(os.path.expanduser(path), other)
    except (OSError, ValueError):  # one of them does not exist (or cannot be named)
        return False


def timeline_rows(conn: sqlite3.Connection, about: str | None = None) -> list[dict[str, Any]]:
    """The Timeline's items (see `timeline.items`) with the first source of each."""
    from tui.data.timeline import items

    rows = items(conn, about)
    refs = [row["ref"] for row in rows]
    first: dict[str, tuple[str, str, int]] = {}
    for start in range(0, len(refs), BATCH):
        batch = refs[start : start + BATCH]
        for ref, article, quote, count in conn.execute(
            f"""SELECT ev.entity_ref, q.article_ref, q.text,
                       (SELECT count(DISTINCT q2.article_ref) FROM evidence AS e2
                        JOIN quotes AS q2 ON q2.id = e2.quote_id
                        WHERE e2.entity_ref = ev.entity_ref)
                FROM evidence AS ev JOIN quotes AS q ON q.id = ev.quote_id
                WHERE ev.entity_ref IN ({_placeholders(batch)})
                ORDER BY ev.entity_ref, q.article_ref, q.start""",  # noqa: S608 - placeholders
            batch,
        ):
            first.setdefault(ref, (article, quote, count))
    result = []
    for row in rows:
        article, quote, count = first.get(row["ref"], (None, None, 0))
        result.append(
            {
                "when": row["when"], "date": row["date"], "precision": row["precision"],
                "kind": row["kind"], "ref": row["ref"], "name": row["name"], "what": row["what"],
                "place": row["place"], "announced_at_ref": row["via_ref"],
                "announced_at": row["via_name"], "source_count": count,
                "source_article": article, "source_quote": quote,
            }
        )  # fmt: skip
    return result
