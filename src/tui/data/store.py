"""The explorer's access to the database: read-only connections, one per thread at a time.

Workers run queries on their own threads; each thread borrows a connection of its own so a
long query on one never holds another's connection, and a `CancelToken` stops a superseded
query inside SQLite (a cancelled Python thread alone would let it run on). A thread worker is
a new thread each time: when a thread has ended, its connection goes back to a small pool for
the next thread, with its page cache warm, instead of a new connection per worker (which
costs a cold cache on every page, count and detail, and memory for every one left open).

Search as you type has a connection of its own (`dedicated`), kept from one keystroke to the
next: whichever pool thread runs a keystroke's query, it finds the full-text index's structure
and pages already read, instead of a thread's first query paying for them.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tui.data.db import open_readonly

FileIdentity = tuple[int, int] | None
IDLE_MAX = 4  # connections kept for the next threads; more are closed


@dataclass
class _Lent:
    """A connection a thread holds until it ends."""

    conn: sqlite3.Connection
    identity: FileIdentity
    thread: weakref.ref[threading.Thread]


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
        self._lent: list[_Lent] = []
        self._idle: list[tuple[sqlite3.Connection, FileIdentity]] = []
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

    def _close_locked(self, conn: sqlite3.Connection) -> None:
        if conn in self._all:
            self._all.remove(conn)
        conn.close()

    def _retire(self, conn: sqlite3.Connection) -> None:
        with self._lock:
            self._lent = [lent for lent in self._lent if lent.conn is not conn]
            self._close_locked(conn)

    def _reclaim_locked(self) -> None:
        """Connections of threads that have ended go back to the idle pool."""
        still: list[_Lent] = []
        for lent in self._lent:
            thread = lent.thread()
            if thread is not None and thread.is_alive():
                still.append(lent)
            elif len(self._idle) < IDLE_MAX:
                self._idle.append((lent.conn, lent.identity))
            else:
                self._close_locked(lent.conn)
        self._lent = still

    def _lend(self) -> _Lent:
        """A connection for this thread: an idle one on the current file, or a new one."""
        me = weakref.ref(threading.current_thread())
        with self._lock:
            self._reclaim_locked()
            while self._idle:
                conn, identity = self._idle.pop()
                if self._current(identity):
                    lent = _Lent(conn, identity, me)
                    self._lent.append(lent)
                    return lent
                self._close_locked(conn)  # from before a rebuild
        conn, identity = self._open()
        lent = _Lent(conn, identity, me)
        with self._lock:
            self._lent.append(lent)
        return lent

    @property
    def conn(self) -> sqlite3.Connection:
        """This thread's connection, lent on first use and reopened after a rebuild."""
        lent = getattr(self._local, "lent", None)
        if lent is not None and not self._current(lent.identity):
            self._retire(lent.conn)
            lent = None
        if lent is None:
            lent = self._local.lent = self._lend()
        return lent.conn

    def open_connections(self) -> int:
        """How many connections are open (lent, idle and dedicated)."""
        with self._lock:
            return len(self._all)

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
        """Close every connection no other thread is using. One that a live thread still
        holds (a read still running as the explorer exits) is interrupted, not closed:
        closing a connection under a running query can crash the process."""
        me = threading.current_thread()
        with self._lock:
            busy = set()
            for lent in self._lent:
                thread = lent.thread()
                if thread is not None and thread is not me and thread.is_alive():
                    busy.add(id(lent.conn))
            for lock, holder in self._dedicated.values():
                if lock.locked():
                    busy.update(id(conn) for conn, _ in holder)
            for conn in self._all:
                if id(conn) in busy:
                    conn.interrupt()
                    continue
                try:
                    conn.close()
                except sqlite3.ProgrammingError:
                    pass  # opened on another thread that is still busy; closed at exit
            self._all.clear()
            self._lent.clear()
            self._idle.clear()
