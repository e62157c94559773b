"""The explorer's access to the database: one read-only connection per thread.

Workers run queries on their own threads; each thread lazily opens its own connection so a
long query on one never holds another's connection, and a `CancelToken` stops a superseded
query inside SQLite (a cancelled Python thread alone would let it run on).

Search as you type has a connection of its own (`dedicated`), kept from one keystroke to the
next: whichever pool thread runs a keystroke's query, it finds the full-text index's structure
and pages already read, instead of a thread's first query paying for them.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .db import open_readonly

FileIdentity = tuple[int, int] | None


def _identity(path: Path) -> FileIdentity:
    """Which file is at `path` now (device, inode): a rebuild renames a new file into place."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return (found.st_dev, found.st_ino)


class Store:
    """Connections follow the file: once a rebuild has swapped a new database into place, each
    connection is reopened on its next use, so all of one explorer's threads read the same
    database (never a count from the new file and rows from the old)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._all: list[sqlite3.Connection] = []
        self._dedicated: dict[
            str, tuple[threading.Lock, list[tuple[sqlite3.Connection, FileIdentity]]]
        ] = {}

    def _open(self) -> tuple[sqlite3.Connection, FileIdentity]:
        # The identity is read before opening: if a rebuild lands in between, the connection
        # is on a newer file than recorded, and the next use reopens it (never the reverse).
        identity = _identity(self.path)
        conn = open_readonly(self.path)
        with self._lock:
            self._all.append(conn)
        return conn, identity

    def _current(self, identity: FileIdentity) -> bool:
        now = _identity(self.path)
        return now is None or now == identity  # a vanished path: keep reading what is open

    def _retire(self, conn: sqlite3.Connection) -> None:
        with self._lock:
            if conn in self._all:
                self._all.remove(conn)
        conn.close()

    @property
    def conn(self) -> sqlite3.Connection:
        """This thread's connection, opened on first use and reopened after a rebuild."""
        held = getattr(self._local, "held", None)
        if held is not None and not self._current(held[1]):
            self._retire(held[0])
            held = None
        if held is None:
            held = self._local.held = self._open()
        return held[0]

    @contextmanager
    def dedicated(self, name: str) -> Iterator[sqlite3.Connection]:
        """The connection kept for one kind of work, held by one thread at a time. (A newer
        request cancels the older one's token first, so the wait is for SQLite to notice.)"""
        with self._lock:
            entry = self._dedicated.get(name)
            if entry is None:
                entry = self._dedicated[name] = (threading.Lock(), [])
        lock, holder = entry
        with lock:
            if holder and not self._current(holder[0][1]):
                self._retire(holder.pop()[0])
            if not holder:
                holder.append(self._open())
            yield holder[0][0]

    def close(self) -> None:
        with self._lock:
            for conn in self._all:
                try:
                    conn.close()
                except sqlite3.ProgrammingError:
                    pass  # opened on another thread that is still busy; closed at exit
            self._all.clear()
