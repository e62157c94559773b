"""Read-only SQL over the database, for what the panes do not answer.

The connection is already read-only (`open_readonly`); on top of it an authorizer lets a
statement only read (SELECT, its functions and recursive CTEs: no ATTACH, no PRAGMA that
changes anything, no writes) and a progress handler ends a query that runs past its time
limit. Results are capped in rows. Every failure is one `UserError` line.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from typing import Any

from tui.errors import UserError

MAX_ROWS = 1000  # rows one query returns; the rest are counted as cut
TIME_LIMIT_S = 5.0
_PROGRESS_STEPS = 10_000  # virtual-machine steps between time checks
MAX_SQL_CHARS = 100_000

# What a read may do (sqlite3 authorizer action codes); everything else is refused.
_ALLOWED = {
    sqlite3.SQLITE_SELECT,
    sqlite3.SQLITE_READ,
    sqlite3.SQLITE_FUNCTION,
    getattr(sqlite3, "SQLITE_RECURSIVE", 33),
}
# Pragmas that only read (as `PRAGMA table_info(x)` or `pragma_table_info('x')`).
_READ_PRAGMAS = {
    "table_info", "table_xinfo", "index_list", "index_info", "foreign_key_list",
    "table_list", "database_list", "collation_list", "function_list",
}  # fmt: skip


class SQLError(UserError):
    """The SQL cannot run: a syntax error, a refused action, or over its time limit."""


@dataclass
class SQLResult:
    columns: list[str]
    rows: list[tuple[Any, ...]]
    truncated: bool  # more rows than `MAX_ROWS` matched


def _authorize(action: int, arg1: str | None, arg2: str | None, db: str | None, _: Any) -> int:
    if action in _ALLOWED:
        return sqlite3.SQLITE_OK
    if action == sqlite3.SQLITE_PRAGMA and (arg1 or "").lower() in _READ_PRAGMAS:
        return sqlite3.SQLITE_OK
    return sqlite3.SQLITE_DENY


def run_sql(
    conn: sqlite3.Connection,
    sql: str,
    params: tuple[Any, ...] = (),
    *,
    max_rows: int = MAX_ROWS,
    time_limit_s: float = TIME_LIMIT_S,
) -> SQLResult:
    """Run one read-only statement on `conn` and return its first `max_rows` rows."""
    if not sql.strip():
        raise SQLError("sql: the query is empty")
    if len(sql) > MAX_SQL_CHARS:
        raise SQLError(f"sql: the query is longer than {MAX_SQL_CHARS:,} characters")
    deadline = time.monotonic() + time_limit_s
    conn.set_authorizer(_authorize)
    conn.set_progress_handler(lambda: int(time.monotonic() > deadline), _PROGRESS_STEPS)
    try:
        cursor = conn.execute(sql, params)
        rows = cursor.fetchmany(max_rows + 1)
        columns = [d[0] for d in cursor.description or ()]
    except sqlite3.Warning as exc:  # e.g. "You can only execute one statement at a time."
        raise SQLError(f"sql: {exc}") from None
    except sqlite3.Error as exc:
        if time.monotonic() > deadline:
            raise SQLError(f"sql: stopped after {time_limit_s:g} s (the time limit)") from None
        message = str(exc)
        if "not authorized" in message:
            message = "not authorized: only reading queries (SELECT) run here"
        raise SQLError(f"sql: {message}") from None
    finally:
        conn.set_progress_handler(None, 0)
        conn.set_authorizer(None)
    return SQLResult(columns, [tuple(r) for r in rows[:max_rows]], len(rows) > max_rows)
