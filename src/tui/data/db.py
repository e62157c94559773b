"""Open the database read-only, check it is ours, and let a running query be cancelled."""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal, TypeVar
from urllib.parse import quote

from tui.errors import DatabaseError

SCHEMA_VERSION = "6"  # bump with any change to db/schema.sql
BUSY_TIMEOUT_S = 0.25  # a locked database answers within a second, never the default 5 s
PROGRESS_STEPS = 2_000  # VM instructions between cancellation checks


class Cancelled(Exception):
    """The query was interrupted because a newer request replaced it."""


T = TypeVar("T")


class Connection(sqlite3.Connection):
    """A connection that remembers facts about its database for as long as it lives.

    The facts live on the connection object, so they go with it: a process-wide cache keyed
    by `id(conn)` would answer for a new connection that happens to get a closed one's id.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.facts: dict[str, Any] = {}


def remembered(conn: sqlite3.Connection, name: str, read: Callable[[], T]) -> T:
    """`read()`, once per connection from `open_readonly`; on any other connection, each time."""
    if not isinstance(conn, Connection):
        return read()
    if name not in conn.facts:
        conn.facts[name] = read()
    return conn.facts[name]


def _uri(path: Path) -> str:
    # The path's own bytes, percent-encoded: a file name need not be valid UTF-8.
    return f"file:{quote(os.fsencode(path.resolve()))}?mode=ro"


def open_readonly(path: Path | str) -> sqlite3.Connection:
    """A read-only connection to a Roundtable database, or one clear `DatabaseError`.

    Never creates a file: a missing path is an error, not an empty database.
    """
    path = Path(path)
    if not path.exists():
        raise DatabaseError(f"{path}: database not found (run `roundtable build`)")
    if path.is_dir():
        raise DatabaseError(f"{path}: is a folder, not a database file")
    if not path.is_file():  # a FIFO would block the open forever; a device is no database
        raise DatabaseError(f"{path}: is not a regular file (a pipe or a device?)")
    try:
        conn = sqlite3.connect(
            _uri(path),
            uri=True,
            timeout=BUSY_TIMEOUT_S,
            check_same_thread=False,
            factory=Connection,
        )
    except sqlite3.Error as exc:
        raise DatabaseError(f"{path}: cannot open database ({exc})") from None
    conn.row_factory = sqlite3.Row
    try:
        conn.execute("PRAGMA query_only = ON")
        version = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise DatabaseError(f"{path}: {describe(exc)}") from None
    if version is None or version[0] != SCHEMA_VERSION:
        conn.close()
        found = "none" if version is None else version[0]
        raise DatabaseError(
            f"{path}: schema version {found}, expected {SCHEMA_VERSION} "
            "(rebuild it with `roundtable build`)"
        )
    return conn


def describe(exc: sqlite3.Error) -> str:
    """A user-facing phrase for an SQLite error."""
    text = str(exc)
    if "locked" in text or "busy" in text:
        return "database is locked by another process; try again"
    if "no such table" in text:
        return "not a Roundtable database (no such table)"
    if any(
        s in text
        for s in ("not a database", "malformed", "disk image", "vtable constructor", "not decode")
    ):  # "Could not decode to UTF-8 column ...": a garbled page, quoted in the message
        return "database file is corrupt or not an SQLite database"
    return f"database error: {text}"


def check_pages(conn: sqlite3.Connection, path: Path | str) -> None:
    """Read every page once (`PRAGMA quick_check`, about a millisecond for the bundled
    database), so a damaged file is reported before the explorer takes over the terminal
    rather than when a pane first touches the damaged page."""
    try:
        result = conn.execute("PRAGMA quick_check(1)").fetchone()
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"{path}: {describe(exc)}") from None
    if result is None or result[0] != "ok":
        raise DatabaseError(f"{path}: database file is corrupt or not an SQLite database")


class CancelToken:
    """Set from any thread; an SQLite query running under `cancellable` then stops."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()


class cancellable:
    """Run queries on `conn` that stop (raising `Cancelled`) once `token` is cancelled."""

    def __init__(self, conn: sqlite3.Connection, token: CancelToken | None) -> None:
        self.conn, self.token = conn, token

    def __enter__(self) -> sqlite3.Connection:
        if self.token is not None:
            token = self.token
            if token.cancelled:
                raise Cancelled()
            self.conn.set_progress_handler(lambda: 1 if token.cancelled else 0, PROGRESS_STEPS)
        return self.conn

    def __exit__(self, exc_type, exc, tb) -> Literal[False]:
        if self.token is not None:
            self.conn.set_progress_handler(None, 0)
            if exc_type is sqlite3.OperationalError and "interrupted" in str(exc):
                raise Cancelled() from None
            if self.token.cancelled and exc_type is None:
                raise Cancelled()  # finished, but superseded: its results are stale
        return False
