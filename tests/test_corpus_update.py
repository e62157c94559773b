"""Updating one article's facts gives the database a full build of the same corpus gives,
in one transaction a reader never sees half of, and a failed update changes nothing."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
import yaml

from tui import paths
from tui.cli.main import main
from tui.data import update
from tui.data.build import build
from tui.data.corpus import load_facts, load_names
from tui.data.db import open_readonly
from tui.data.search import search
from tui.data.sync import sync
from tui.errors import DatabaseError, SeedError

QUERIES = ("tokayev", "kazakhstan", "copper", "cnpc", "Xi'an", "xian", "agreement", "tokaev")


def make_corpus(folder: Path) -> Path:
    """A copy of the bundled corpus to edit."""
    folder.mkdir(parents=True)
    shutil.copy(paths.SEED_DIR / "entities.yaml", folder / "entities.yaml")
    for part in ("articles", "facts"):
        shutil.copytree(paths.SEED_DIR / part, folder / part)
    return folder


def facts_files(corpus: Path) -> list[Path]:
    return sorted((corpus / "facts").glob("*.yaml"))


def tables(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, sorted; not the full-text index's own tables (their layout
    depends on how the index was written, not on what it holds)."""
    conn = sqlite3.connect(db)
    try:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'search_fts%' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        found = {
            name: sorted(conn.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)  # noqa: S608
            for name in names
            if name != "search_docs"
        }
        # A document's rowid is its place in the build's order, kept by an update: by ref.
        columns = [c[1] for c in conn.execute("PRAGMA table_info(search_docs)") if c[1] != "rowid"]
        found["search_docs"] = sorted(
            conn.execute(f"SELECT {', '.join(columns)} FROM search_docs").fetchall()  # noqa: S608
        )
        found["search_fts (its terms)"] = _fts_terms(conn)
        return found
    finally:
        conn.close()


def _fts_terms(conn: sqlite3.Connection) -> list[tuple[Any, ...]]:
    conn.execute("CREATE VIRTUAL TABLE temp.v USING fts5vocab(main, search_fts, 'instance')")
    try:
        return sorted(
            conn.execute(
                "SELECT v.term, d.ref, v.col, v.offset FROM temp.v AS v "
                "JOIN search_docs AS d ON d.rowid = v.doc"
            ).fetchall()
        )
    finally:
        conn.execute("DROP TABLE temp.v")


def searches(db: Path) -> dict[str, list[dict[str, object]]]:
    conn = open_readonly(db)
    try:
        return {q: [hit.as_json() for hit in search(conn, q, limit=50)] for q in QUERIES}
    finally:
        conn.close()


def assert_as_full_build(corpus: Path, db: Path, tmp_path: Path) -> None:
    full = tmp_path / "full.db"
    build(corpus, full)
    got, want = tables(db), tables(full)
    assert list(got) == list(want)
    for table in want:
        assert got[table] == want[table], table
    assert searches(db) == searches(full)
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    finally:
        conn.close()


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return make_corpus(tmp_path / "corpus")


@pytest.fixture
def built(corpus: Path, tmp_path: Path) -> Path:
    db = tmp_path / "live.db"
    build(corpus, db)
    return db


def test_an_added_article_gives_what_a_full_build_gives(corpus, tmp_path):
    _, second = facts_files(corpus)
    aside = tmp_path / second.name
    second.rename(aside)
    db = tmp_path / "live.db"
    build(corpus, db)
    aside.rename(second)
    done = sync(corpus, db)
    assert (done.mode, done.added, done.changed, done.removed) == ("update", [second.stem], [], [])
    assert_as_full_build(corpus, db, tmp_path)


def test_a_removed_article_gives_what_a_full_build_gives(corpus, built, tmp_path):
    first, _ = facts_files(corpus)
    first.unlink()
    done = sync(corpus, built)
    assert (done.mode, done.removed) == ("update", [first.stem])
    assert_as_full_build(corpus, built, tmp_path)
    conn = sqlite3.connect(built)
    gone = f"article:{first.stem}"
    for table in ("statements", "quotes", "article_facts"):
        sql = f"SELECT count(*) FROM {table} WHERE article_ref = ?"  # noqa: S608
        assert conn.execute(sql, (gone,)).fetchone() == (0,)
    conn.close()


def _load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _save(path: Path, data: dict[str, Any]) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _shared_subject(corpus: Path) -> tuple[Path, str]:
    """The second article's first subject that the first article also states something of."""
    first, second = facts_files(corpus)
    shared = set(_load(first)["statements"])
    return second, next(s for s in _load(second)["statements"] if s in shared)


def edit_value(corpus: Path) -> None:
    path, subject = _shared_subject(corpus)
    data = _load(path)
    items = data["statements"][subject]
    for item in items:
        item.pop("description", None)
    items.append(
        {"description": "Described otherwise by this article.", "quote": items[0]["quote"]}
    )
    _save(path, data)


def _meeting_with_participants(data: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    for subject, items in data["statements"].items():
        if subject.startswith("meeting:") and sum("participant" in i for i in items) >= 2:
            return subject, items
    raise AssertionError("no meeting with two participants")


def _names() -> dict[str, str]:
    data = yaml.safe_load((paths.SEED_DIR / "entities.yaml").read_text(encoding="utf-8"))
    return {f"{kind}:{slug}": name for kind, found in data.items() for slug, name in found.items()}


def _body(corpus: Path, data: dict[str, Any]) -> str:
    return (corpus / data["article"]["file"]).read_text(encoding="utf-8")


def _naming(body: str, *names: str, reach: int = 300) -> str | None:
    """A verbatim passage of `body` that prints every one of `names` (the curation rules ask a
    link's quote to name what it links), or None."""
    for start in range(len(body)):
        if body.startswith(names[0], start):
            window = body[start : start + reach]
            ends = [window.find(n) + len(n) for n in names if n in window]
            if len(ends) == len(names):
                return window[: max(ends)]
    return None


def edit_add_link(corpus: Path) -> None:
    """A person added to a meeting, quoted where the article names them."""
    path = facts_files(corpus)[-1]
    data = _load(path)
    _, items = _meeting_with_participants(data)
    taken = {i["participant"] for i in items if "participant" in i}
    names, body = _names(), _body(corpus, data)
    person = next(
        s for s in data["statements"]
        if s.startswith("person:") and s not in taken and names[s] in body
    )  # fmt: skip
    quote = _naming(body, names[person])
    items.append({"participant": person, "role": "guest", "quote": quote})
    _save(path, data)


def edit_remove_link(corpus: Path) -> None:
    path = facts_files(corpus)[-1]
    data = _load(path)
    _, items = _meeting_with_participants(data)
    last = max(i for i, item in enumerate(items) if "participant" in item)
    del items[last]
    _save(path, data)


def edit_new_entity(corpus: Path) -> None:
    """A new organization, which the article refers to by words it prints (`called`), taking
    part in a meeting."""
    names = yaml.safe_load((corpus / "entities.yaml").read_text(encoding="utf-8"))
    names.setdefault("organization", {})["test-newcomer"] = "Newcomer Holding"
    (corpus / "entities.yaml").write_text(
        yaml.safe_dump(names, allow_unicode=True), encoding="utf-8"
    )
    path = facts_files(corpus)[-1]
    data = _load(path)
    _, items = _meeting_with_participants(data)
    quote = items[0]["quote"]
    called = " ".join(quote.split()[:2])
    data["statements"]["organization:test-newcomer"] = [
        {"org_type": "company", "called": called, "quote": quote}
    ]
    items.append({"participant": "organization:test-newcomer", "role": "guest", "quote": quote})
    _save(path, data)


def edit_article_text(corpus: Path) -> None:
    """The article's text changes (a line added at its end), its facts file not at all."""
    path = facts_files(corpus)[0]
    text = corpus / _load(path)["article"]["file"]
    text.write_text(text.read_text(encoding="utf-8") + "\nA closing line.\n", encoding="utf-8")


def edit_place_within(corpus: Path) -> None:
    """A place put within another, quoted where the article names both: every timeline item
    under it is filed under that one too."""
    names = _names()
    for path in facts_files(corpus):
        data = _load(path)
        body = _body(corpus, data)
        places = [s for s in data["statements"] if s.startswith("place:")]
        free = [
            p for p in places if not any("within" in i for i in data["statements"][p])
        ]  # fmt: skip
        for inner in free:
            for outer in free:
                quote = inner != outer and _naming(body, names[inner], names[outer])
                if quote:
                    data["statements"][inner].append({"within": outer, "quote": quote})
                    _save(path, data)
                    return
    raise AssertionError("no two places named together to put one within the other")


EDITS = [
    edit_value, edit_add_link, edit_remove_link, edit_new_entity, edit_article_text,
    edit_place_within,
]  # fmt: skip


@pytest.mark.parametrize("edit", EDITS, ids=lambda f: f.__name__)
def test_edited_facts_give_what_a_full_build_gives(edit, corpus, built, tmp_path):
    edit(corpus)
    done = sync(corpus, built)
    assert done.mode == "update" and len(done.changed) == 1
    assert_as_full_build(corpus, built, tmp_path)


def test_several_articles_change_in_one_update(corpus, built, tmp_path):
    first, second = facts_files(corpus)
    edit_new_entity(corpus)  # the second article, and a name in entities.yaml
    renamed = first.with_name("a-renamed-article.yaml")  # one article out, another in
    data = _load(first)
    data["article"]["id"] = renamed.stem
    _save(renamed, data)
    first.unlink()
    done = sync(corpus, built)
    assert (done.mode, done.added, done.changed, done.removed) == (
        "update", [renamed.stem], [second.stem], [first.stem]
    )  # fmt: skip
    assert_as_full_build(corpus, built, tmp_path)


def test_a_renamed_entity_rebuilds_in_full(corpus, built, tmp_path):
    names = yaml.safe_load((corpus / "entities.yaml").read_text(encoding="utf-8"))
    slug = next(iter(names["meeting"]))  # (a meeting's name is no name a quote must print)
    names["meeting"][slug] = "A Name Of Its Own"
    (corpus / "entities.yaml").write_text(
        yaml.safe_dump(names, allow_unicode=True), encoding="utf-8"
    )
    assert sync(corpus, built).mode == "full"
    assert_as_full_build(corpus, built, tmp_path)


def test_two_full_builds_are_identical(corpus, tmp_path):
    build(corpus, tmp_path / "a.db")
    build(corpus, tmp_path / "b.db")
    assert tables(tmp_path / "a.db") == tables(tmp_path / "b.db")
    assert (tmp_path / "a.db").read_bytes() == (tmp_path / "b.db").read_bytes()


def test_invalid_facts_leave_the_database_as_it_was(corpus, built):
    before = built.read_bytes()
    path = facts_files(corpus)[-1]
    data = _load(path)
    subject = next(iter(data["statements"]))
    data["statements"][subject].append(
        {"description": "x", "quote": "words the article never prints"}
    )
    _save(path, data)
    with pytest.raises(SeedError, match="quote not found verbatim"):
        sync(corpus, built)
    assert built.read_bytes() == before


def test_an_sqlite_error_midway_rolls_the_update_back(corpus, built, monkeypatch):
    edit_new_entity(corpus)
    before = built.read_bytes()
    rows_before = tables(built)

    def fail(self, *args):
        raise sqlite3.OperationalError("disk I/O error (simulated)")

    monkeypatch.setattr(update._Update, "_timeline", fail)  # after every row is rewritten
    with pytest.raises(DatabaseError, match="update failed"):
        sync(corpus, built)
    assert built.read_bytes() == before
    assert tables(built) == rows_before
    assert not Path(f"{built}-journal").exists()


def _state(conn: sqlite3.Connection, article: str) -> tuple[int, ...]:
    """In one read: the article's statements, quotes, facts row, entity, search document,
    and the entities that only it speaks of."""
    return tuple(
        conn.execute(
            """SELECT (SELECT count(*) FROM statements WHERE article_ref = :a),
                      (SELECT count(*) FROM quotes WHERE article_ref = :a),
                      (SELECT count(*) FROM article_facts WHERE article_ref = :a),
                      (SELECT count(*) FROM entities WHERE ref = :a),
                      (SELECT count(*) FROM search_docs WHERE ref = :a),
                      (SELECT count(*) FROM entities),
                      (SELECT count(*) FROM evidence)""",
            {"a": article},
        ).fetchone()
    )


def test_a_reader_during_updates_sees_the_old_state_or_the_new(corpus, built):
    path = facts_files(corpus)[-1]
    article = f"article:{path.stem}"
    names = load_names(corpus)
    facts = load_facts(corpus, path, names)
    conn = open_readonly(built)
    present = _state(conn, article)
    update.apply(built, {path.stem: None}, names)
    absent = _state(conn, article)
    assert absent[:5] == (0, 0, 0, 0, 0) and present[0] > 0
    seen: set[tuple[int, ...]] = set()
    errors: list[BaseException] = []
    stop = threading.Event()

    def read() -> None:
        reader = open_readonly(built)  # the explorer's kind of connection, short busy timeout
        try:
            while not stop.is_set():
                seen.add(_state(reader, article))
                reader.execute("BEGIN")  # two reads in one transaction agree too
                count = reader.execute(
                    "SELECT count(*) FROM statements WHERE article_ref = ?", (article,)
                ).fetchone()[0]
                facts_row = reader.execute(
                    "SELECT count(*) FROM article_facts WHERE article_ref = ?", (article,)
                ).fetchone()[0]
                reader.execute("COMMIT")
                assert (count > 0) == (facts_row == 1)
        except BaseException as exc:
            errors.append(exc)
        finally:
            reader.close()

    threads = [threading.Thread(target=read) for _ in range(2)]
    for t in threads:
        t.start()
    try:
        for _ in range(15):
            update.apply(built, {path.stem: facts}, names)
            update.apply(built, {path.stem: None}, names)
    finally:
        stop.set()
        for t in threads:
            t.join()
    conn.close()
    assert errors == []
    assert seen <= {present, absent} and seen


def test_build_command_updates_only_the_changed_article(corpus, tmp_path, capsys):
    db = tmp_path / "corpus" / "roundtable.db"
    assert main(["--corpus", str(corpus), "build", "--json"]) == 0
    assert '"mode": "full"' in capsys.readouterr().out
    edit_value(corpus)
    assert main(["--corpus", str(corpus), "build"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Updated {db} in ") and "articles 1 changed (one transaction)" in out
    assert main(["--corpus", str(corpus), "build", "--json"]) == 0
    assert '"mode": "unchanged"' in capsys.readouterr().out
    assert main(["build", "--corpus", str(corpus), "--full", "--json"]) == 0
    assert '"mode": "full"' in capsys.readouterr().out


def test_reading_commands_follow_an_edited_corpus(corpus, capsys):
    _, subject = _shared_subject(corpus)
    assert main(["--corpus", str(corpus), "show", subject, "--json"]) == 0
    assert "Described otherwise by this article." not in capsys.readouterr().out
    edit_value(corpus)
    assert main(["--corpus", str(corpus), "show", subject, "--json"]) == 0
    assert "Described otherwise by this article." in capsys.readouterr().out


KILLED_MIDWAY = """
import os, signal, sys
from pathlib import Path
from tui.data import sync, update
def stop(self, *args):
    os.kill(os.getpid(), signal.SIGKILL)  # every row rewritten, nothing committed
update._Update._timeline = stop
sync.sync(Path(sys.argv[1]), Path(sys.argv[2]))
"""


@pytest.mark.parametrize("then", [[], ["build", "--full"]], ids=["read", "full build"])
def test_an_update_killed_midway_is_rolled_back_before_anyone_reads(then, corpus, tmp_path, capsys):
    """The file is as it was, and the journal the update leaves is cleared before a reader
    opens the database or a full build renames a new file in beside it."""
    import subprocess
    import sys

    db = corpus / "roundtable.db"
    assert main(["--corpus", str(corpus), "list", "organization", "--json"]) == 0
    assert "Newcomer Holding" not in capsys.readouterr().out
    edit_new_entity(corpus)
    done = subprocess.run([sys.executable, "-c", KILLED_MIDWAY, str(corpus), str(db)], check=False)
    assert done.returncode == -9
    assert Path(f"{db}-journal").exists()  # what the next reader finds: the journal left
    if then:
        assert main(["--corpus", str(corpus), *then]) == 0
        assert not Path(f"{db}-journal").exists()
    assert main(["--corpus", str(corpus), "list", "organization", "--json"]) == 0
    assert "Newcomer Holding" in capsys.readouterr().out  # rolled back, then the edit applied
    assert not Path(f"{db}-journal").exists()
    assert_as_full_build(corpus, db, tmp_path)


READER_PROCESS = """
import hashlib, json, os, sys
from tui.data.db import open_readonly
from tui.data.listing import all_rows
conn = open_readonly(sys.argv[1])  # the explorer's kind of connection, short busy timeout
stop = sys.argv[2] if len(sys.argv) > 2 else None  # read until this file exists (50 at least)
done = 0
while done < (50 if stop else 1) or (stop and not os.path.exists(stop)):
    conn.execute("BEGIN")  # several reads, one state: as a reading command reads
    rows = [all_rows(conn, kind) for kind in ("organization", "person", "meeting", "article")]
    conn.execute("COMMIT")
    print(hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest(), flush=True)
    done += 1
"""


def test_a_reader_process_during_updates_sees_the_old_state_or_the_new(corpus, built):
    import subprocess
    import sys

    path = facts_files(corpus)[-1]
    names = load_names(corpus)
    facts = load_facts(corpus, path, names)

    def state() -> str:
        one = [sys.executable, "-c", READER_PROCESS, str(built)]
        return subprocess.run(one, capture_output=True, text=True, check=True).stdout.strip()

    present = state()
    update.apply(built, {path.stem: None}, names)
    absent = state()
    assert present != absent
    stop = built.parent / "stop-reading"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER_PROCESS, str(built), str(stop)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # The reader reads from before the first update until after the last, whatever the load.
    assert reader.stdout is not None
    first = reader.stdout.readline().strip()
    for _ in range(10):
        update.apply(built, {path.stem: facts}, names)
        update.apply(built, {path.stem: None}, names)
    stop.touch()
    out, err = reader.communicate(timeout=120)
    assert reader.returncode == 0 and err == ""  # never "database is locked"
    seen = [first, *out.split()]
    assert len(seen) >= 50 and set(seen) <= {present, absent}


def test_an_entity_left_with_only_links_is_refused_as_a_full_build_refuses_it(corpus, built):
    """Every entity keeps a source of its own somewhere (not only a link's quote): an update
    checks what it touches against every article, and changes nothing when it fails."""
    first, last = facts_files(corpus)
    data, elsewhere = _load(last), set(_load(first)["statements"])
    person = next(
        s for s, items in data["statements"].items()
        if s.startswith("person:") and s not in elsewhere and any("position" in i for i in items)
    )  # fmt: skip
    data["statements"][person] = [i for i in data["statements"][person] if "position" in i]
    _save(last, data)
    before = built.read_bytes()
    with pytest.raises(SeedError, match="only links, no source of its own") as full:
        build(corpus, built)
    with pytest.raises(SeedError, match="only links, no source of its own") as update_error:
        sync(corpus, built)
    assert (
        str(update_error.value).split(":")[0]
        == str(full.value).split(":")[0]
        == last.relative_to(corpus).as_posix()
    )
    assert built.read_bytes() == before
