"""Rebuild the database again and again while it is being read: by `roundtable` processes (list,
search, show), by the query functions the explorer calls, and by a real explorer paging a pane.
Every read succeeds and is whole: exactly the old database or exactly the new one, never an
error, never a mix of the two."""

from __future__ import annotations

import json
import subprocess
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from seedkit import ARTICLE, add_entity, mini_seed, write_seed
from termkit import clean_env, roundtable

from tui.app.explorer import RoundtableApp
from tui.app.screens.main import MainScreen
from tui.data.build import build
from tui.data.db import open_readonly
from tui.data.details import entity_details
from tui.data.queries import count_matching, counts, list_page
from tui.data.search import search

REBUILDS = 8
COMPANIES = 150  # more than a pane's page (100): the explorer loads it in two pieces
CLI_READERS = 4
QUERY_READERS = 4
READS_BETWEEN_BUILDS = CLI_READERS  # the builder waits for as many `roundtable` reads
WAIT_S = 10.0  # the longest any one read or build may take

CLI_READS = {
    "list": ["list", "organization", "--json"],
    "search": ["search", "Caspian Rail", "--json"],
    "show": ["show", "person:ivan-petrov", "--json"],
}


def seed_data(with_rail: bool) -> dict:
    """The mini seed with COMPANIES more companies; with `with_rail`, one more, Caspian Rail,
    which Ivan Petrov chairs: its list, search and show answers all differ."""
    article = ARTICLE + "".join(
        f"Company {i:03d} Ltd joined the talks.\n" for i in range(COMPANIES)
    )
    if with_rail:
        article += "Ivan Petrov also chairs Caspian Rail.\n"
    data = mini_seed(article)
    for i in range(COMPANIES):
        name = f"Company {i:03d} Ltd"
        add_entity(
            data, f"organization:company-{i:03d}", name, {"org_type": "company", "quote": name}
        )
    if with_rail:
        add_entity(
            data, "organization:caspian-rail", "Caspian Rail",
            {"org_type": "company", "quote": "Caspian Rail"},
        )  # fmt: skip
        data["statements"]["person:ivan-petrov"].append(
            {
                "position": "organization:caspian-rail",
                "role": "chairman",
                "quote": "Ivan Petrov also chairs Caspian Rail",
            }
        )
    return data


def explorer_view(conn) -> str:
    """Everything the explorer's queries return, on one connection, as one comparable text."""
    pages, after = [], None
    while True:  # a pane's pages, 50 rows at a time
        page = list_page(conn, "organization", after=after, limit=50)
        pages += [row["ref"] for row in page]
        if len(page) < 50:
            break
        after = (page[-1]["name"], page[-1]["ref"])
    view = {
        "counts": counts(conn),
        "pane": pages,
        "total": count_matching(conn, "organization"),
        "detail": entity_details(conn, "person:ivan-petrov"),
        "search": [hit.as_json() for hit in search(conn, "Caspian Rail")],
    }
    return json.dumps(view, sort_keys=True, default=str)


def run_cli(db: Path, args: list[str], home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*roundtable(), "--db", str(db), *args],
        capture_output=True,
        text=True,
        env=clean_env(home),
        timeout=WAIT_S,
    )


class Readers:
    """Readers in threads, each in a loop until `stop`; every answer is checked at once."""

    def __init__(self) -> None:
        self.stop = threading.Event()
        self.reads: Counter[str] = Counter()
        self.seen: dict[str, set[str]] = {}  # reader kind -> which seeds ("old", "new") it saw
        self.errors: list[str] = []
        self.lock = threading.Lock()
        self.recorded = threading.Condition(self.lock)  # notified on every read
        self.threads: list[threading.Thread] = []

    def _by_processes(self) -> int:  # (with the lock held)
        return sum(n for kind, n in self.reads.items() if kind.startswith("cli"))

    def by_processes(self) -> int:
        with self.lock:
            return self._by_processes()

    def wait_for_processes(self, count: int, timeout: float) -> bool:
        """Wait until the CLI readers have made `count` reads in all; False after `timeout`."""
        with self.recorded:
            return self.recorded.wait_for(lambda: self._by_processes() >= count, timeout)

    def record(self, kind: str, seen: str | None, problem: str = "") -> None:
        with self.recorded:
            self.recorded.notify_all()
            self.reads[kind] += 1
            if seen is None:
                self.errors.append(f"{kind}: {problem}")
            else:
                self.seen.setdefault(kind, set()).add(seen)

    def start(self, name: str, read) -> None:
        def loop() -> None:
            while not self.stop.is_set():
                try:
                    read()
                except Exception as exc:  # any error is a failed read, reported at the end
                    self.record(name, None, f"{type(exc).__name__}: {exc}")

        thread = threading.Thread(target=loop, name=name, daemon=True)
        thread.start()
        self.threads.append(thread)

    def join(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=WAIT_S)
        assert not any(t.is_alive() for t in self.threads), "a reader did not stop"


def which(answer: str, old: str, new: str) -> str | None:
    return "old" if answer == old else "new" if answer == new else None


@pytest.fixture
def seeds(tmp_path) -> tuple[Path, Path]:
    return (
        write_seed(tmp_path / "seed-old", seed_data(with_rail=False)),
        write_seed(tmp_path / "seed-new", seed_data(with_rail=True)),
    )


async def test_reads_during_repeated_rebuilds_are_whole(tmp_path, seeds):
    old_seed, new_seed = seeds
    db = tmp_path / "data" / "roundtable.db"
    db.parent.mkdir()
    # What each reader must see: exactly one of these, computed on copies that stay put.
    old_db, new_db = tmp_path / "old.db", tmp_path / "new.db"
    build(old_seed, old_db)
    build(new_seed, new_db)
    expected_cli = {
        name: tuple(run_cli(path, args, tmp_path).stdout for path in (old_db, new_db))
        for name, args in CLI_READS.items()
    }
    for name, (old, new) in expected_cli.items():
        assert old != new and old and new, f"{name} does not tell the two databases apart"
    views = []
    for path in (old_db, new_db):
        conn = open_readonly(path)
        views.append(explorer_view(conn))
        conn.close()
    old_rows = [f"organization:company-{i:03d}" for i in range(COMPANIES)]
    expected_pane = (
        sorted([*old_rows, "organization:acme-energy", "organization:steppe-bank"]),
        sorted([*old_rows, "organization:acme-energy", "organization:steppe-bank",
                "organization:caspian-rail"]),
    )  # fmt: skip
    build(old_seed, db)

    readers = Readers()
    for number in range(CLI_READERS):
        name = list(CLI_READS)[number % len(CLI_READS)]

        def cli_read(name=name) -> None:
            proc = run_cli(db, CLI_READS[name], tmp_path)
            seen = which(proc.stdout, *expected_cli[name])
            problem = f"exit {proc.returncode}: {proc.stderr.strip()!r} {proc.stdout[:200]!r}"
            readers.record(f"cli {name}", seen if proc.returncode == 0 else None, problem)

        readers.start(f"cli {name} {number}", cli_read)

    for number in range(QUERY_READERS):

        def query_read() -> None:
            conn = open_readonly(db)  # a fresh connection per read
            try:
                view = explorer_view(conn)
            finally:
                conn.close()
            readers.record("queries", which(view, *views), f"a mixed view: {view[:300]}")
            time.sleep(0.01)  # as a person browses: leave the builder some of the GIL

        readers.start(f"queries {number}", query_read)

    builds: list[float] = []

    def rebuild() -> None:
        try:
            for number in range(REBUILDS):
                before = readers.by_processes()
                started = time.monotonic()
                build(new_seed if number % 2 == 0 else old_seed, db)
                builds.append(time.monotonic() - started)
                wanted = before + READS_BETWEEN_BUILDS
                assert readers.wait_for_processes(wanted, WAIT_S), "the readers stopped reading"
        except BaseException as exc:
            readers.record("builder", None, f"{type(exc).__name__}: {exc}")

    started = time.monotonic()
    builder = threading.Thread(target=rebuild, name="builder", daemon=True)
    builder.start()

    # A real explorer, started again and again while the builds go on, pages the Companies pane
    # to its end: it never fails, and the rows it shows are all of one database. (Its count may
    # come from the other database: see test_explorer_threads_agree_after_a_rebuild.)
    try:
        while builder.is_alive():
            app = RoundtableApp(db)
            async with app.run_test(size=(80, 24)) as pilot:
                await until(pilot, lambda a=app: isinstance(a.screen, MainScreen), "the panes")
                pane = app.screen.current_pane
                assert pane.kind == "organization"
                for _ in range(20):  # to the bottom, and again once the next page has come
                    await pilot.press("ctrl+end")
                    await pilot.pause(0.05)
                    if pane.exhausted and pane.total is not None:
                        break
                await until(pilot, lambda p=pane: p.exhausted and p.total is not None, "all rows")
                shown = sorted(row["ref"] for row in pane.rows)
                seen = "old" if shown == expected_pane[0] else "new"
                problem = f"{len(shown)} rows ({len(set(shown))} distinct), count {pane.total}"
                readers.record("explorer", seen if shown in expected_pane else None, problem)
                assert app.crash is None, app.crash
                await pilot.press("q")
    finally:
        builder.join(timeout=WAIT_S * REBUILDS)
        readers.join()
    elapsed = time.monotonic() - started

    print(
        f"\n{REBUILDS} rebuilds (slowest {max(builds):.3f} s) in {elapsed:.1f} s: {readers.reads}"
    )
    assert not readers.errors, f"{len(readers.errors)} failed reads, first: {readers.errors[:3]}"
    assert len(builds) == REBUILDS
    assert readers.seen.keys() >= {"cli list", "cli search", "cli show", "queries", "explorer"}
    for kind in ("cli list", "cli search", "cli show", "queries"):
        assert readers.seen[kind] == {"old", "new"}, f"{kind} saw only {readers.seen[kind]}"


async def until(pilot, condition, what: str, timeout: float = WAIT_S) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await pilot.pause(0.02)


def test_explorer_threads_agree_after_a_rebuild(seeds, tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    from tui.data.store import Store

    old_seed, new_seed = seeds
    db = tmp_path / "roundtable.db"
    build(old_seed, db)
    store = Store(db)
    try:
        with ThreadPoolExecutor(max_workers=1) as first, ThreadPoolExecutor(max_workers=1) as then:
            count = lambda: count_matching(store.conn, "organization")  # noqa: E731
            assert first.submit(count).result() == COMPANIES + 2  # this thread reads the old file
            build(new_seed, db)
            # one explorer, after the rebuild: every thread must read the same database
            assert first.submit(count).result() == then.submit(count).result()
    finally:
        store.close()
