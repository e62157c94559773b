"""A database that is missing, empty, cut short, random, damaged, of another schema, a folder, a
pipe, read-only or locked: the real `roundtable` command answers within a second with one line
naming the file and the problem (exit 3), or with correct results; never a traceback, never a
partial answer, never a file created. The explorer fails the same way before it draws anything.
"""

from __future__ import annotations

import json
import os
import random
import re
import sqlite3
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from termkit import Tmux, clean_env, roundtable, run_in_terminal

from tui.data.db import SCHEMA_VERSION
from tui.kinds import KINDS

ANSWER_S = 1.0  # every answer, error or not, within this long (Python starts in about 0.1 s)
CORRUPT = "database file is corrupt or not an SQLite database"
LOCKED = "database is locked by another process; try again"

COMMANDS = {
    "search": ["search", "Petrov"],
    "show": ["show", "organization:acme-energy"],
    "list": ["list", "organization"],
    "explorer": [],  # no command: the explorer, on a terminal
    "open": ["open", "organization:acme-energy"],  # the explorer at one entity
}


@dataclass
class Answer:
    code: int
    out: str
    err: str
    seconds: float


def ask(db: Path, args: list[str], home: Path) -> Answer:
    """`roundtable --db DB ARGS` as a user runs it; the explorer (no ARGS, or `open`) on a
    terminal, the other commands with their output captured."""
    argv = [*roundtable(), "--db", str(db), *args]
    env = clean_env(home)
    if not args or args[0] == "open":
        finished = run_in_terminal(argv, env, timeout=10)
        # A terminal turns "\n" into "\r\n"; the explorer, once started, writes escapes.
        return Answer(finished.code, "", finished.output.replace("\r\n", "\n"), finished.seconds)
    started = time.monotonic()
    proc = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=10)
    return Answer(proc.returncode, proc.stdout, proc.stderr, time.monotonic() - started)


def assert_one_line(answer: Answer, db: Path, problem: str) -> None:
    """Exit 3, nothing on stdout, and exactly one line on stderr naming the file and problem."""
    assert answer.code == 3, answer
    assert answer.out == ""
    assert "\x1b" not in answer.err, f"the terminal was taken over: {answer.err!r}"
    assert "Traceback" not in answer.err
    assert answer.err.endswith("\n") and answer.err.count("\n") == 1, answer.err
    assert answer.err == f"roundtable: {db}: {problem}\n"
    assert_quick(answer)


def assert_quick(answer: Answer) -> None:
    """Answered within ANSWER_S. On a machine so busy that Python alone starts slowly, within
    ANSWER_S of `roundtable --help` (which opens nothing): a hang or a 5 s wait still fails."""
    if answer.seconds < ANSWER_S:
        return
    started = time.monotonic()
    subprocess.run(
        [*roundtable(), "--help"], capture_output=True, timeout=10, env=clean_env(Path.home())
    )
    startup = time.monotonic() - started
    assert answer.seconds < ANSWER_S + startup, (
        f"answered after {answer.seconds:.2f} s (`roundtable --help` took {startup:.2f} s)"
    )


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every entry under `folder` with its bytes (None for a folder or a pipe)."""
    return {
        str(p.relative_to(folder)): p.read_bytes() if p.is_file() else None
        for p in sorted(folder.rglob("*"))
    }


# --- files that are not a Roundtable database -----------------------------------------------


def _missing(folder: Path, good: Path) -> Path:
    return folder / "absent.db"


def _missing_folder(folder: Path, good: Path) -> Path:
    return folder / "no-such-folder" / "absent.db"


def _empty(folder: Path, good: Path) -> Path:
    path = folder / "empty.db"
    path.write_bytes(b"")
    return path


def _truncated(folder: Path, good: Path) -> Path:
    path = folder / "truncated.db"
    data = good.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _random_bytes(folder: Path, good: Path) -> Path:
    path = folder / "random.db"
    path.write_bytes(random.Random(1).randbytes(64 * 1024))
    return path


def _text_file(folder: Path, good: Path) -> Path:
    path = folder / "notes.db"
    path.write_text("not a database\n" * 100, encoding="utf-8")
    return path


def _another_sqlite_database(folder: Path, good: Path) -> Path:
    path = folder / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO things (name) VALUES ('x')")
    conn.commit()
    conn.close()
    return path


def _edited_meta(sql: str):
    def make(folder: Path, good: Path) -> Path:
        path = folder / "old.db"
        path.write_bytes(good.read_bytes())
        conn = sqlite3.connect(path)
        conn.execute(sql)
        conn.commit()
        conn.close()
        return path

    return make


def _folder(folder: Path, good: Path) -> Path:
    path = folder / "folder.db"
    path.mkdir()
    return path


def _pipe(folder: Path, good: Path) -> Path:
    path = folder / "pipe.db"
    os.mkfifo(path)  # opening it to read would wait for a writer forever
    return path


BROKEN = {
    "missing": (_missing, "database not found (run `roundtable build`)"),
    "missing folder": (_missing_folder, "database not found (run `roundtable build`)"),
    "empty": (_empty, "not a Roundtable database (no such table)"),
    "truncated": (_truncated, CORRUPT),
    "random bytes": (_random_bytes, CORRUPT),
    "text file": (_text_file, CORRUPT),
    "another sqlite database": (
        _another_sqlite_database,
        "not a Roundtable database (no such table)",
    ),
    "wrong schema version": (
        _edited_meta("UPDATE meta SET value = '0' WHERE key = 'schema_version'"),
        f"schema version 0, expected {SCHEMA_VERSION} (rebuild it with `roundtable build`)",
    ),
    "no schema version": (
        _edited_meta("DELETE FROM meta WHERE key = 'schema_version'"),
        f"schema version none, expected {SCHEMA_VERSION} (rebuild it with `roundtable build`)",
    ),
    "folder": (_folder, "is a folder, not a database file"),
    "pipe": (_pipe, "is not a regular file (a pipe or a device?)"),
}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("case", BROKEN)
def test_broken_file_is_one_line_and_nothing_is_written(tmp_path, mini_db, case, command):
    folder = tmp_path / "data"
    folder.mkdir()
    make, problem = BROKEN[case]
    db = make(folder, mini_db)
    before = snapshot(folder)
    answer = ask(db, COMMANDS[command], tmp_path)
    assert_one_line(answer, db, problem)
    assert snapshot(folder) == before  # no file created, none changed, no journal left
    assert not list((tmp_path / "state").rglob("crash-*.log"))


# --- a valid database with one page overwritten -------------------------------------------------


def table_leaf_pages(db: Path, table: str) -> list[int]:
    """The numbers of the pages holding `table`'s rows, in key order (read from the b-tree)."""
    data = db.read_bytes()
    page_size = int.from_bytes(data[16:18], "big")
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    conn.close()
    leaves: list[int] = []

    def walk(page: int) -> None:
        base = (page - 1) * page_size
        header = base + (100 if page == 1 else 0)
        if data[header] == 0x0D:  # a leaf page of a table b-tree
            leaves.append(page)
            return
        assert data[header] == 0x05, f"page {page} is not a table b-tree page"
        for i in range(int.from_bytes(data[header + 3 : header + 5], "big")):
            cell = base + int.from_bytes(data[header + 12 + 2 * i : header + 14 + 2 * i], "big")
            walk(int.from_bytes(data[cell : cell + 4], "big"))
        walk(int.from_bytes(data[header + 8 : header + 12], "big"))  # the right-most child

    walk(root)
    return leaves


def overwrite_page(db: Path, page: int) -> None:
    data = bytearray(db.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    data[(page - 1) * page_size : page * page_size] = random.Random(page).randbytes(page_size)
    db.write_bytes(bytes(data))


@pytest.mark.parametrize(
    ("which", "table", "position"),
    [
        ("mini", "entities", "middle"),
        ("seed", "entities", "middle"),
        ("seed", "quotes", "middle"),
        ("seed", "search_fts_data", "first"),  # the full-text index's own bookkeeping
    ],
)
def test_damaged_page_gives_one_line_or_correct_results(
    tmp_path, mini_db, seed_db, cli, which, table, position
):
    good = mini_db if which == "mini" else seed_db
    leaves = table_leaf_pages(good, table)
    page = leaves[len(leaves) // 2 if position == "middle" else 0]
    damaged = tmp_path / "data" / "damaged.db"
    damaged.parent.mkdir()
    damaged.write_bytes(good.read_bytes())
    overwrite_page(damaged, page)
    refs = [cli("--db", str(good), "list", kind, "--json").json()[0]["ref"] for kind in KINDS]
    commands = [
        *(["list", kind, "--json"] for kind in KINDS),
        *(["show", ref, "--json"] for ref in refs[:4]),
        *(["search", word, "--json"] for word in ("Petrov", "bank", "energy")),
    ]
    failed = []
    for args in commands:
        expected = cli("--db", str(good), *args)
        assert expected.code == 0, expected.err
        answer = ask(damaged, args, tmp_path)
        if answer.code == 0:
            assert answer.out == expected.out, f"{args}: a wrong or partial answer"
            assert answer.err == ""
            assert_quick(answer)
        else:
            assert_one_line(answer, damaged, CORRUPT)
            failed.append(args)
    assert failed, f"no command touched page {page} of {table}"
    # The explorer reads every page before it takes over the terminal.
    assert_one_line(ask(damaged, [], tmp_path), damaged, CORRUPT)
    assert [p.name for p in damaged.parent.iterdir()] == ["damaged.db"]


def test_garbled_text_is_reported_not_printed(tmp_path, mini_db):
    """A value that is not UTF-8 (a garbled page, or another program's write), with a newline
    and an escape sequence in it: one line, and the garbage never reaches the terminal."""
    conn = sqlite3.connect(mini_db)
    conn.execute(
        "UPDATE entities SET name = CAST(x'41636d650a1b5b324aff' AS TEXT) "
        "WHERE ref = 'organization:acme-energy'"
    )
    conn.commit()
    conn.close()
    for args in (["show", "organization:acme-energy"], ["list", "organization", "--json"]):
        assert_one_line(ask(mini_db, args, tmp_path), mini_db, CORRUPT)
    # what does not read the garbled value still answers
    answer = ask(mini_db, ["show", "person:aigerim-nurlanova", "--json"], tmp_path)
    assert answer.code == 0 and json.loads(answer.out)["name"] == "Aigerim Nurlanova"


# --- read-only, and locked -----------------------------------------------------------------


@pytest.fixture
def read_only_db(tmp_path, mini_db):
    """The mini database, mode 0444, in a folder of mode 0555."""
    folder = tmp_path / "readonly"
    folder.mkdir()
    db = folder / "mini.db"
    db.write_bytes(mini_db.read_bytes())
    db.chmod(0o444)
    folder.chmod(0o555)
    yield db
    folder.chmod(0o755)
    db.chmod(0o644)


def test_read_only_file_in_read_only_folder_works_and_writes_nothing(
    tmp_path, mini_db, read_only_db, cli
):
    # (Tests may run as root, whom modes do not stop: what counts is that nothing is written.)
    before = snapshot(read_only_db.parent)
    for args in (["search", "Petrov", "--json"], ["show", "person:ivan-petrov", "--json"],
                 ["list", "organization", "--json"], ["list", "person"]):  # fmt: skip
        answer = ask(read_only_db, args, tmp_path)
        assert answer.code == 0, answer
        assert answer.out == cli("--db", str(mini_db), *args).out
        assert_quick(answer)
    tmux = Tmux(tmp_path)
    try:
        tmux.start([*roundtable(), "--db", str(read_only_db)], clean_env(tmp_path))
        tmux.wait_for("1 Companies", "Acme Energy")
        tmux.type("/")
        tmux.wait_for("Type to search")
        tmux.type("Petrov")
        tmux.wait_for("Ivan Petrov")
        tmux.keys("Enter")
        tmux.wait_for("Panes › Ivan Petrov")
        assert os.listdir(read_only_db.parent) == ["mini.db"]  # not even while it runs
        tmux.type("Q")  # quits from anywhere (q would only close the detail)
        assert tmux.wait_exit() == 0
    finally:
        tmux.kill()
    assert snapshot(read_only_db.parent) == before


@pytest.fixture
def writer(mini_db):
    """Another program's connection to the database, for the test to hold locks with."""
    conn = sqlite3.connect(mini_db, isolation_level=None)
    yield conn
    conn.close()


@pytest.mark.parametrize("command", COMMANDS)
def test_locked_database_answers_within_a_second(tmp_path, mini_db, writer, command):
    writer.execute("BEGIN EXCLUSIVE")
    assert_one_line(ask(mini_db, COMMANDS[command], tmp_path), mini_db, LOCKED)
    writer.execute("ROLLBACK")
    if command not in ("explorer", "open"):  # the lock was all that was wrong
        answer = ask(mini_db, COMMANDS[command], tmp_path)
        assert answer.code == 0 and answer.err == ""


def test_uncommitted_write_is_not_seen(tmp_path, mini_db, writer):
    """A writer in the middle of a transaction: readers get the committed data, at once."""
    writer.execute("BEGIN IMMEDIATE")
    writer.execute(
        "UPDATE entities SET name = 'Half-written' WHERE ref = 'organization:acme-energy'"
    )
    for args in (
        ["show", "organization:acme-energy", "--json"],
        ["list", "organization", "--json"],
    ):
        answer = ask(mini_db, args, tmp_path)
        assert answer.code == 0, answer
        assert "Acme Energy" in answer.out and "Half-written" not in answer.out
        assert_quick(answer)
    writer.execute("ROLLBACK")


def test_path_and_ref_with_control_characters_stay_one_inert_line(tmp_path, mini_db):
    """What the user typed is quoted back in the error, never acted on by the terminal."""
    db = tmp_path / "evil\n\x1b[2J\x1b]0;pwned\x07.db"
    answer = ask(db, ["list", "person"], tmp_path)
    assert answer.code == 3
    shown = f"{tmp_path}/evil ␛[2J␛]0;pwned␇.db"
    assert answer.err == f"roundtable: {shown}: database not found (run `roundtable build`)\n"
    answer = ask(mini_db, ["show", "organization:\x1b]0;pwned\x07\nx"], tmp_path)
    assert answer.code == 4 and answer.err.count("\n") == 1
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f]", answer.err), answer.err
    assert not db.exists()
