"""`roundtable bench` at a small scale, so that it cannot rot: the synthetic corpus is a valid,
deterministic seed, and one run produces every measurement with sane values."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
import yaml

from tui.app.widgets.pane import HELD_PAGES
from tui.bench.corpus import HUB_ID, generate, plan
from tui.bench.runner import QUERIES
from tui.cli.main import main
from tui.data.queries import PAGE_SIZE as PAGE
from tui.data.seed import KIND_FILES, load_seed


def write_yaml_seed(folder: Path, scale: int) -> None:
    """The synthetic corpus as seed files, for the real loader to validate."""
    seed = generate(scale, seed=5)
    (folder / "articles").mkdir(parents=True)
    (folder / "extraction").mkdir()
    metas = []
    for article in seed.articles.values():
        (folder / article.file).write_text(article.body, encoding="utf-8")
        metas.append(article.meta)
    (folder / "articles.yaml").write_text(yaml.safe_dump(metas, allow_unicode=True))
    for kind, filename in KIND_FILES.items():
        records = seed.records[kind]
        text = yaml.safe_dump(records, allow_unicode=True, sort_keys=False)
        (folder / "extraction" / filename).write_text(text, encoding="utf-8")


def test_corpus_is_a_valid_seed(tmp_path):
    write_yaml_seed(tmp_path / "seed", 800)
    seed = load_seed(tmp_path / "seed")  # validates ids, references and every quote
    counts = {kind: len(records) for kind, records in seed.records.items()}
    expected = plan(800)
    assert counts == {kind: expected[kind] for kind in counts}
    assert len(seed.articles) == expected["article"]
    assert sum(expected.values()) == 800


def test_corpus_is_deterministic_per_seed():
    first, again, other = generate(600, seed=2), generate(600, seed=2), generate(600, seed=3)
    assert first.records == again.records
    assert [a.body for a in first.articles.values()] == [a.body for a in again.articles.values()]
    assert first.records != other.records


def test_hub_has_the_most_links():
    seed = generate(3000, seed=1)
    parties = [p["entity"] for r in seed.records["commitment"] for p in r.get("parties", [])]
    hub = parties.count(f"organization:{HUB_ID}")
    assert hub == len(seed.records["commitment"])  # below 10,000 commitments: all of them
    assert hub > max(parties.count(p) for p in set(parties) if p != f"organization:{HUB_ID}")


def test_small_bench_run_reports_every_measurement(tmp_path, capsys):
    code = main(["bench", "--scale", "2000", "--runs", "1", "--json", "--dir", str(tmp_path)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert captured.err == ""  # no progress when the output is JSON and not a terminal
    report = json.loads(captured.out)
    assert report["scale"] == 2000

    build = report["build"]
    assert build["entities"] == 2000 and build["seconds"] > 0 and build["database_bytes"] > 0

    start = report["cold_start"]
    assert 0 < start["bare_textual_median_s"] < 30 and 0 < start["roundtable_median_s"] < 30
    assert start["roundtable_rows_median_s"] >= start["roundtable_median_s"]
    assert start["ratio"] > 0 and start["peak_rss_bytes"] > 10 * 2**20

    search = report["search"]
    assert set(search["queries"]) == set(QUERIES)
    assert search["keystrokes"] == sum(len(q) for q in QUERIES)
    for stats in (search["app_ms"], search["floor_ms"]):
        assert 0 < stats["p50"] <= stats["p95"] <= stats["max"]
    assert search["app_ms"]["p50"] > search["floor_ms"]["p50"]  # the app does more than SQL
    assert all(q["hits"] > 0 for q in search["queries"].values())  # typos included
    # the keystroke floor: the same hits redrawn by a bare Textual app, key by key
    assert search["key_floor_ms"]["n"] == search["keystrokes"]
    assert 0 < search["key_floor_ms"]["p50"] <= search["key_floor_ms"]["p95"]
    for q in search["queries"].values():
        assert q["key_floor_ms"]["n"] == q["app_ms"]["n"]
        assert q["key_ratio_p95"] == round(q["app_ms"]["p95"] / q["key_floor_ms"]["p95"], 2)

    panes = report["panes"]
    assert len(panes["per_pane"]) >= 7 and panes["page_down_ms"]["n"] > 0
    assert 0 < panes["page_down_ms"]["p50"] <= panes["page_down_ms"]["p95"]

    detail = report["detail"]
    assert detail["ref"] == f"organization:{HUB_ID}" and detail["links"] > 500
    assert detail["open_ms"]["n"] > 0 and detail["open_ms"]["p50"] > 0
    assert detail["complete_ms"]["p50"] >= detail["open_ms"]["p50"]

    # the deep scroll: to the end of the longest pane, every row of it, and back to the top
    deep = report["deep_scroll"]
    assert deep["rows"] >= max(build["counts"].values())
    assert deep["to_end_ms"] > 0 and deep["back_ms"] > 0
    assert 0 < deep["rows_held"] <= min(deep["rows"], HELD_PAGES * PAGE)
    assert 10 * 2**20 < deep["rss_before_bytes"] <= deep["peak_rss_bytes"] < 2**31

    memory = report["memory"]
    assert 10 * 2**20 < memory["session_peak_rss_bytes"] < 2**31
    assert set(report["targets"]) == {
        "search p95 < 50 ms, every query",
        "search p95 <= 1.5x the keystroke floor, every query",
        "first screen <= 1.5x bare Textual",
        "page down p95 < 50 ms",
        "detail open p95 < 50 ms",
        "peak RSS < 150 MB",
        "update one article < 2 s",
        "update one article < 1% of the full build",
        "add a 5 KB article (proposals included) < 2 s",
        "Review screen opens < 0.3 s (slowest of its opens)",
        "accept its proposals < 2 s",
    }
    adding = report["add_review"]
    assert adding["proposals"] > 10 and adding["accepted"] > 10 and adding["add_seconds"] > 0
    assert all(isinstance(t["met"], bool) for t in report["targets"].values())
    update = report["update"]
    assert 4_000 < update["article_bytes"] <= 5_000 and 35 <= update["statements"] <= 50
    assert update["new_entities"] > 0 and update["subjects"] > update["new_entities"]
    assert update["seconds"] > 0 and update["remove_seconds"] > 0
    share = update["seconds"] / build["write_seconds"]  # (of the seconds before rounding)
    assert update["fraction_of_build"] == pytest.approx(share, rel=0.01, abs=1e-5)
    # each timed part started with the database file read into the page cache
    cache = report["page_cache"]
    assert cache["warmed"] is True
    assert [r["before"] for r in cache["reads"]] == ["cold starts", "panes", "search"]
    assert all(r["read"] and r["bytes"] == build["database_bytes"] for r in cache["reads"])
    saved = tmp_path / "report-2000-1.json"
    assert saved.exists()
    assert len(panes["per_pane"]) == 8  # the Timeline pages too

    # docs/benchmarks.md's tables are made from saved reports, repeats beside the main run
    from tui.bench import markdown

    capsys.readouterr()
    assert markdown.main([str(saved), "--repeats", str(saved), str(saved)]) == 0
    tables = capsys.readouterr().out
    assert "| measurement | 2,000 |" in tables
    assert "| target | this run | repeat 1 | repeat 2 |" in tables
    assert "| search app / keystroke floor, p50 / p95 | " in tables
    assert "| database file read into the page cache before each timed part | yes, 3 " in tables
    assert "| deep scroll: to the end of the longest pane (s) (its rows) | " in tables
    assert f"({deep['rows']:,} {deep['pane']}) |" in tables
    measured = report["targets"]["peak RSS < 150 MB"]["measured"]
    assert tables.count(measured) == 4  # the targets table, then three runs of the repeats


def test_bench_rejects_a_tiny_scale(capsys):
    assert main(["bench", "--scale", "5"]) != 0
    assert "--scale" in capsys.readouterr().err


def _rows(db: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(db)
    try:
        names = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'search_fts%'"
        )]  # fmt: skip
        return {n: sorted(conn.execute(f'SELECT * FROM "{n}"'), key=repr) for n in names}  # noqa: S608
    finally:
        conn.close()


def test_the_update_measurement_adds_an_article_and_leaves_the_database_as_built(tmp_path):
    from tui.bench.runner import build_corpus
    from tui.bench.update import ARTICLE_ID, article_for, measure_update

    db = tmp_path / "bench.db"
    build = build_corpus(db, 1500, 1, lambda *args: None)
    before = _rows(db)
    article, names = article_for(db)
    named = {s.subject for s in article.statements}
    existing = {ref for ref in named if ARTICLE_ID not in ref}
    assert {ref.partition(":")[0] for ref in existing} == {
        "organization", "person", "place", "meeting", "commitment"
    }  # fmt: skip
    held = {row[0] for row in before["entities"]}
    assert existing <= held and not (named - existing) & held
    assert set(names) == named

    measured = measure_update(db, tmp_path, build["write_seconds"])
    assert measured["statements"] == measured["statements_stored"] == len(article.statements)
    assert measured["new_entities"] == len(named - existing)
    assert _rows(db) == before  # applied, then removed: the database holds what it did
    assert not (tmp_path / "update-corpus").exists()


def test_the_add_measurement_resolves_against_the_database_and_leaves_it_as_built(tmp_path):
    from tui.bench.addreview import measure_add_review
    from tui.bench.runner import build_corpus

    db = tmp_path / "bench.db"
    build_corpus(db, 1500, 1, lambda *args: None)
    before = _rows(db)
    measured = measure_add_review(db, tmp_path)
    assert measured["article_bytes"] >= 4_500
    # The article names organizations, people and places the database holds: they match.
    assert measured["matched"] >= 8, measured
    assert measured["accepted"] > 10 and measured["statements"] > 20, measured
    assert measured["review_screen"]["opens"] == 7  # the Review screen opened on it each time
    assert _rows(db) == before  # added, accepted, removed: the database holds what it did
    assert not (tmp_path / "add-corpus").exists()


def test_the_tables_tool_names_a_file_it_cannot_read(tmp_path):
    from tui.bench import markdown

    broken = tmp_path / "report.json"
    broken.write_text("{not json", encoding="utf-8")
    for path in (tmp_path / "missing.json", broken):
        with pytest.raises(SystemExit) as stopped:
            markdown.main([str(path)])
        assert str(path) in str(stopped.value.code)


def test_the_page_cache_read_skips_a_file_too_large_for_the_memory_free(tmp_path, monkeypatch):
    from tui.bench import pagecache

    db = tmp_path / "big.db"
    db.write_bytes(b"x" * 3_000_000)
    assert pagecache.read_through(db)["read"] is True
    monkeypatch.setattr(pagecache, "_available_bytes", lambda: 4_000_000)
    assert pagecache.read_through(db) == {"read": False, "bytes": 3_000_000, "seconds": 0.0}
