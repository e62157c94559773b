"""`roundtable export KIND`: a kind's entities as CSV, JSON, JSON lines or FollowTheMoney."""

from __future__ import annotations

import argparse
import sqlite3
import sys
from typing import Any

from tui.kinds import KINDS
from tui.textsafe import CleanWriter, clean

HELP = "export a kind's entities with provenance (csv, json, jsonl, or FollowTheMoney: ftm)"


def add_parser(commands: Any, parents: list[argparse.ArgumentParser]) -> None:
    p = commands.add_parser("export", help=HELP, parents=parents, description=HELP)
    p.add_argument(
        "kind",
        help=f"{', '.join(KINDS)}; or all (with --format ftm)",
    )
    p.add_argument("--format", default="csv", choices=("csv", "json", "jsonl", "ftm"), help="(csv)")
    p.add_argument(
        "--output", "-o", metavar="PATH", help="write to a file (default: standard output)"
    )
    add_row_filters(p)
    p.add_argument(
        "--flat",
        action="store_true",
        help="csv: one line per row, for line-based tools (a line break in a cell becomes ' | ')",
    )
    p.set_defaults(run=run)


def add_row_filters(p: argparse.ArgumentParser) -> None:
    """`--where` and `--text`, for every command that lists a kind's rows (export, list)."""
    p.add_argument(
        "--where",
        action="append",
        default=[],
        metavar="FACET=VALUE",
        help="only rows with this facet value, as in the explorer's filter (repeatable), "
        "e.g. category=project or reported=differently",
    )
    p.add_argument("--text", help="only rows whose name or quotes contain this text")


def row_filters(conn: sqlite3.Connection, kind: str, args: argparse.Namespace) -> dict[str, str]:
    """The `--where` filters as the database stores their values, each facet and value
    checked (`resolve_values`; any `--text` is valid)."""
    return resolve_values(conn, kind, parse_where(args.where)) if args.where else {}


def parse_where(pairs: list[str]) -> dict[str, str]:
    from tui.errors import UserError

    filters = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name or not value:
            raise UserError(f"--where {pair!r}: use FACET=VALUE, e.g. category=project")
        filters[name.strip().lower()] = value.strip()  # (facets are named in lower case)
    return filters


MAX_LISTED = 12  # values an unknown-value error lists


def resolve_values(conn: sqlite3.Connection, kind: str, filters: dict[str, str]) -> dict[str, str]:
    """Each `--where` value as the database stores it: the value itself, the label the
    explorer shows for it ("national target", "Kazakhstan"), or an alias of the entity it
    names ("AIIB"), in any case. An unknown value is one line listing the valid ones, never
    a silent empty result."""
    from tui import formatting as fmt
    from tui.data.queries import facet_counts
    from tui.errors import UserError

    resolved = {}
    for name, wanted in filters.items():
        values = facet_counts(conn, kind, name, limit=10_000)  # an unknown facet raises here
        by_text: dict[str, str] = {}
        for row in values:
            value = str(row["value"])
            for shown in (value, row["label"] or "", fmt.label(value)):
                by_text.setdefault(shown.casefold(), value)
        key = wanted.casefold()
        if key not in by_text:  # not a value or a name: an alias of one entity, if any
            named = {
                value
                for value, alias in _aliases(conn, [str(row["value"]) for row in values])
                if alias.casefold() == key
            }
            if len(named) > 1:
                labels = {str(r["value"]): str(r["label"] or r["value"]) for r in values}
                several = ", ".join(sorted(labels[value] for value in named))
                raise UserError(
                    f"--where {name}={wanted!r}: an alias of several ({several}); use the name"
                )
            if named:
                by_text[key] = named.pop()
        if key not in by_text:
            listed = ", ".join(
                fmt.label(str(r["label"] or r["value"])) for r in values[:MAX_LISTED]
            )
            more = f" and {len(values) - MAX_LISTED} more" if len(values) > MAX_LISTED else ""
            raise UserError(
                f"--where {name}={wanted!r}: no {kind} has that {name}; "
                f"use one of: {listed or '(none)'}{more}"
            )
        resolved[name] = by_text[key]
    return resolved


def _aliases(conn: sqlite3.Connection, values: list[str]) -> list[tuple[str, str]]:
    """The aliases of those values that are entities (a party, a place), as (ref, alias)."""
    refs = [value for value in values if ":" in value]
    found: list[tuple[str, str]] = []
    for start in range(0, len(refs), 500):
        batch = refs[start : start + 500]
        marks = ",".join("?" * len(batch))
        found += conn.execute(
            f"SELECT entity_ref, alias FROM aliases WHERE entity_ref IN ({marks})",  # noqa: S608 - placeholders only
            batch,
        ).fetchall()
    return found


def run(args: argparse.Namespace) -> int:
    from tui import paths
    from tui.cli.main import connect_reading, kind_argument
    from tui.data.exporting import (
        csv_header,
        flatten_rows,
        kind_rows,
        write_file,
        write_rows,
        written,
    )
    from tui.errors import UserError
    from tui.formatting import counted

    filters = parse_where(args.where)
    if args.kind != "all":
        args.kind = kind_argument(args.kind)
    elif args.format != "ftm":
        raise UserError("`all` is for --format ftm; name one kind for csv, json or jsonl")
    if args.flat and args.format != "csv":
        raise UserError("--flat is for --format csv (json and jsonl escape line breaks)")
    with connect_reading(args) as conn:
        if args.kind != "all":
            filters = row_filters(conn, args.kind, args)
        rows = kind_rows(conn, args.kind, args.format, filters=filters, text=args.text)
        if args.flat:
            rows = flatten_rows(rows)
        if args.kind == "all":
            from tui.data.ftm import NO_COUNTERPART
            from tui.data.queries import counts

            found = counts(conn)
            for kind in NO_COUNTERPART:
                if found.get(kind):
                    note = f"Left out {counted(found[kind], kind)}: no FollowTheMoney form"
                    print(note, file=sys.stderr)
        if args.output and args.output != "-":
            # the path as given (`dir/` stays a folder), never the database itself
            database = paths.database_path(args.db)
            header = csv_header(conn, args.kind) if args.format == "csv" else ()
            count = write_file(rows, args.format, args.output, database, header)
            shown = clean(args.output, single_line=True)
            print(f"Wrote {written(count, args.format)} to {shown}", file=sys.stderr)
            return 0
        # Standard output may be a terminal, or a pipe to one (`| cat`, `| less -R`): CSV cells
        # show control characters as visible stand-ins; JSON escapes them (`json_text`). A file
        # named with -o keeps every byte.
        out = CleanWriter(sys.stdout) if args.format == "csv" else sys.stdout
        header = csv_header(conn, args.kind) if args.format == "csv" else ()
        write_rows(rows, args.format, out, header)  # type: ignore[arg-type]  # (it only writes)
    return 0
