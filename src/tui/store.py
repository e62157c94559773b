"""The explorer's access to the database: one read-only connection per thread.

Workers run queries on their own threads; each thread lazily opens its own connection so a
long query on one never holds another's connection, and a `CancelToken` stops a superseded
query inside SQLite (a cancelled Python thread alone would let it run on).
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from .db import open_readonly


class Store:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._all: list[sqlite3.Connection] = []

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

    def close(self) -> None:
        with self._lock:
            for conn in self._all:
                try:
                    conn.close()
                except sqlite3.ProgrammingError:
                    pass  # opened on another thread that is still busy; closed at exit
            self._all.clear()
