"""Export a kind's entities, as filtered in a pane, with provenance on every row.

Each row has the entity's own fields, a name column beside every reference (`country_ref`,
`country`), the linked entities (`parties`), and where it comes from: how many articles report
it, the first source's article and quote, and every source. JSON keeps linked entities as
objects (`ref`, `name`, `role`); CSV gives their names, refs and roles columns of their own
(`parties`, `party_refs`, `party_roles`, `; ` between items), booleans as 1/0 as loaders read
them, and one source per line in `sources` (`flatten_rows` puts every row on one line).
"""

from __future__ import annotations

import csv
import os
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TextIO

from tui import atomic
from tui.data.dates import restate
from tui.data.listing import iter_rows
from tui.data.queries import KIND_TABLES, check_kind
from tui.errors import UserError
from tui.formatting import counted
from tui.textsafe import json_text

FORMATS = ("csv", "json", "jsonl", "ftm")
EXTENSIONS = {"csv": "csv", "json": "json", "jsonl": "jsonl", "ftm": "ftm.jsonl"}
BATCH = 100
HIDDEN = {"body", "sha256"}  # an article's text is in the source file; not one cell of a table

# Linked entities exported, per kind: (relation in `entity_links`, column). JSON gives each
# as objects; CSV splits the column into names, refs and (where the relation has roles) roles.
LINK_COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "organization": (("person", "people"),),
    "person": (("position", "positions"),),
    "meeting": (("participant", "participants"), ("includes", "includes")),
    "commitment": (("party", "parties"), ("place", "places")),
    "indicator": (),
    "place": (),
    "article": (),
}
# CSV columns of each linked-entity column: (refs column, roles column or None).
CSV_LINK_COLUMNS: dict[str, tuple[str, str | None]] = {
    "people": ("person_refs", "person_roles"),
    "positions": ("position_refs", "position_roles"),
    "participants": ("participant_refs", "participant_roles"),
    "includes": ("included_refs", None),
    "parties": ("party_refs", "party_roles"),
    "places": ("place_refs", "place_roles"),
}
FLAT_BREAK = " | "  # what a line break inside a cell becomes in the flat form
_LINE_BREAKS = re.compile(r"\s*(?:\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029])\s*")
# Spreadsheets run a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$")


def written(count: int, fmt: str) -> str:
    """What an export wrote, in English: `1 row`, `10 rows`, `180 FtM entities`."""
    if fmt == "ftm":
        return counted(count, "FtM entity", "FtM entities")
    return counted(count, "row")


def default_filename(
    kind: str, fmt: str, filters: dict[str, str] | None = None, text: str | None = None
) -> str:
    """`roundtable-commitment-category-project.csv`: the pane, then its filter, as a name
    any file system takes (other characters become `-`, at most 120 of them)."""
    parts = [kind]
    for name, value in sorted((filters or {}).items()):
        parts += [name, value]
    if text:
        parts += ["text", text]
    stem = re.sub(r"[^A-Za-z0-9]+", "-", "-".join(parts)).strip("-").lower()[:120].strip("-")
    return f"roundtable-{stem or kind}.{EXTENSIONS[fmt]}"


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
        rows[record["ref"]] = restate({k: record[k] for k in record.keys() if k not in HIDDEN})
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
    relations = [relation for relation, _ in LINK_COLUMNS[kind]]
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
        for relation, column in LINK_COLUMNS[kind]:
            with_role = CSV_LINK_COLUMNS[column][1] is not None
            row[column] = [
                {"ref": to_ref, "name": name, **({"role": role} if with_role else {})}
                for to_ref, name, role in links.get((ref, relation), [])
            ]
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
        return "1" if value else "0"  # what sqlite-utils, pandas and spreadsheets read back
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


def _joined(values: list[Any]) -> str:
    return "; ".join("" if value is None else str(value) for value in values)


def csv_cells(row: dict[str, Any]) -> dict[str, str]:
    """One row as CSV cells: lists joined with `; `, a linked-entity column as its names,
    refs and roles columns, one source per line."""
    cells: dict[str, str] = {}
    for key, value in row.items():
        if key == "sources" and not isinstance(value, str):
            cells[key] = _cell(_source_lines(value))
        elif key in CSV_LINK_COLUMNS and isinstance(value, list):
            refs_column, roles_column = CSV_LINK_COLUMNS[key]
            cells[key] = _cell(_joined([item["name"] for item in value]))
            cells[refs_column] = _cell(_joined([item["ref"] for item in value]))
            if roles_column is not None:
                cells[roles_column] = _cell(_joined([item.get("role") for item in value]))
        else:
            cells[key] = _cell(_joined(value) if isinstance(value, list) else value)
    return cells


def _flat(value: Any) -> Any:
    if isinstance(value, str):
        return _LINE_BREAKS.sub(FLAT_BREAK, value.strip())
    if isinstance(value, list):
        return [_flat(item) for item in value]
    if isinstance(value, dict):
        return {key: _flat(item) for key, item in value.items()}
    return value


def flatten_rows(rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Rows whose CSV has one line per row, for line-based tools: every line break inside a
    value (and between the sources) becomes ` | `."""
    for row in rows:
        flat = _flat(row)
        if isinstance(row.get("sources"), list):
            flat["sources"] = _flat(_source_lines(row["sources"]))
        yield flat


def csv_header(conn: sqlite3.Connection, kind: str) -> list[str]:
    """The CSV columns of `kind` (or `timeline`), for a file with no rows to still have its
    header: those of any one row of the kind (none if the kind has no entity at all)."""
    if kind == "timeline":
        return list(TIMELINE_COLUMNS)
    found = conn.execute(
        "SELECT ref FROM entities WHERE kind = ? LIMIT 1", (check_kind(kind),)
    ).fetchone()
    if found is None:
        return []
    return list(csv_cells(_batch_rows(conn, kind, [found[0]])[0]))


def write_rows(
    rows: Iterable[dict[str, Any]], fmt: str, out: TextIO, header: Sequence[str] = ()
) -> int:
    """Write rows in `fmt` (csv, json, jsonl; ftm rows are written as jsonl) and count them.
    A CSV with no rows still gets `header` (see `csv_header`)."""
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
        if writer is None and header:
            csv.writer(out, lineterminator="\n").writerow(header)
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
        from tui.data.ftm import NO_COUNTERPART, ftm_entities

        if kind in NO_COUNTERPART:
            raise UserError(
                f"{kind}s have no FollowTheMoney counterpart: export them as csv, json or jsonl"
            )
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
    header: Sequence[str] = (),
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
            return write_rows(rows, fmt, out, header)
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
        values = (
            row["when"], row["date"], row["precision"], row["kind"], row["ref"], row["name"],
            row["what"], row["place"], row["via_ref"], row["via_name"], count, article, quote,
        )  # fmt: skip
        result.append(dict(zip(TIMELINE_COLUMNS, values, strict=True)))
    return result


# The columns of a Timeline export, in order.
TIMELINE_COLUMNS = (
    "when", "date", "precision", "kind", "ref", "name", "what", "place", "announced_at_ref",
    "announced_at", "source_count", "source_article", "source_quote",
)  # fmt: skip
