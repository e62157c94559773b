"""`roundtable sql QUERY`: a read-only SQL query over the database, as a table or JSON."""

from __future__ import annotations

import argparse
from typing import Any


def add_parser(commands: Any, parents: list[argparse.ArgumentParser]) -> None:
    p = commands.add_parser(
        "sql",
        help="run a read-only SQL query (SELECT) on the database",
        description="Run one read-only SQL statement: only reading is authorized, a query "
        "stops after its time limit, and at most --limit rows are printed.",
        parents=parents,
    )
    p.add_argument("query", help="one SQL statement, e.g. \"SELECT kind, count(*) FROM "
                   "entities GROUP BY kind\"")  # fmt: skip
    p.add_argument("--json", action="store_true", help="print JSON: a list of row objects")
    p.add_argument("--limit", type=int, default=None, help="at most this many rows (1000)")
    p.set_defaults(run=run_sql_command)


def run_sql_command(args: argparse.Namespace) -> int:
    from tui.cli.main import _print_json, connect_reading
    from tui.data.sql import MAX_ROWS, SQLError, run_sql

    limit = MAX_ROWS if args.limit is None else args.limit
    if limit < 1:
        raise SQLError("sql: --limit must be at least 1")
    with connect_reading(args) as conn:
        result = run_sql(conn, args.query, max_rows=limit)
    if args.json:
        _print_json([dict(zip(result.columns, row, strict=True)) for row in result.rows])
    else:
        from tui.cli.render import print_table

        print_table(result.columns, [["" if v is None else v for v in row] for row in result.rows])
    if result.truncated:
        from tui.cli.main import _say

        _say(f"note: only the first {limit:,} rows are shown (--limit)")
    return 0
