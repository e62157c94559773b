"""The explorer's connections: one per thread at a time, reused once a thread has ended.

Every thread worker is a new thread; an explorer session runs hundreds of them (a page, a
count, a detail each). A connection per thread that is never given back is memory that only
grows and a cold cache for every query.
"""

from __future__ import annotations

import threading
from pathlib import Path

from tui.data.store import IDLE_MAX, Store


def _in_thread(store: Store, seen: list[int]) -> None:
    def work() -> None:
        conn = store.conn
        conn.execute("SELECT count(*) FROM entities").fetchone()
        seen.append(id(conn))

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()


def test_threads_one_after_another_share_one_connection(seed_db: Path) -> None:
    store = Store(seed_db)
    try:
        seen: list[int] = []
        for _ in range(50):
            _in_thread(store, seen)
        assert len(seen) == 50
        assert len(set(seen)) == 1, "each ended thread's connection should serve the next"
        assert store.open_connections() == 1
    finally:
        store.close()


def test_threads_at_the_same_time_get_their_own_and_the_pool_stays_small(seed_db: Path) -> None:
    store = Store(seed_db)
    try:
        started = threading.Barrier(8)
        held: list[int] = []

        def work() -> None:
            conn = store.conn
            started.wait(timeout=10)  # all eight hold a connection at once
            conn.execute("SELECT count(*) FROM entities").fetchone()
            held.append(id(conn))

        threads = [threading.Thread(target=work) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(set(held)) == 8, "threads running at once must not share a connection"
        seen: list[int] = []
        _in_thread(store, seen)  # the next thread finds the pool and trims it
        assert seen[0] in held
        assert store.open_connections() <= IDLE_MAX + 1
    finally:
        store.close()
