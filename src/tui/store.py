"""The explorer's access to the database: one read-only connection per thread.

Workers run queries on their own threads; each thread lazily opens its own connection so a
long query on one never holds another's connection, and a `CancelToken` stops a superseded
query inside SQLite (a cancelled Python thread alone would let it run on).

Search as you type has a connection of its own (`dedicated`), kept from one keystroke to the
next: whichever pool thread runs a keystroke's query, it finds the full-text index's structure
and pages already read, instead of a thread's first query paying for them.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .db import open_readonly


class Store:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._all: list[sqlite3.Connection] = []
        self._dedicated: dict[str, tuple[threading.Lock, list[sqlite3.Connection]]] = {}

    @property
    def conn(self) -> sqlite3.Connection:
        """This thread's connection, opened on first use."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = open_readonly(self.path)
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

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
            if not holder:
                conn = open_readonly(self.path)
                holder.append(conn)
                with self._lock:
                    self._all.append(conn)
            yield holder[0]

    def close(self) -> None:
        with self._lock:
            for conn in self._all:
                try:
                    conn.close()
                except sqlite3.ProgrammingError:
                    pass  # opened on another thread that is still busy; closed at exit
            self._all.clear()
