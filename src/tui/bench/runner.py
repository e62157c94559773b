"""Run the benchmark: corpus, build, cold start, the explorer session, the SQL floor, report."""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tui.bench.addreview import measure_add_review
from tui.bench.addreview import targets as add_targets
from tui.bench.pagecache import read_through
from tui.bench.update import measure_update
from tui.bench.update import targets as update_targets
from tui.cli.progress import ProgressLine
from tui.errors import UserError

# Typed a key at a time: rare words, very common words (in most quotes, in most commitment
# names), one- and two-letter prefixes, two-word queries, a transliteration and typos.
QUERIES = (
    "zhanaozen", "ekibastuz", "kazakhstan", "agreement", "energy group", "a", "k", "ka", "sh",
    "silk road", "tokaev", "enrgy", "kazakhsatn", "baitrek",
)  # fmt: skip
FLOOR_LIMIT = 30  # at least the explorer's 20 hits (screens/search.py RESULT_LIMIT)
TARGET_MS = 50.0
TARGET_START_RATIO = 1.5
TARGET_KEY_RATIO = 1.5  # a keystroke's p95 against the keystroke floor's (keyfloor.py)
TARGET_RSS = 150 * 2**20
CORPUS_VERSION = "1"  # bump when the generator's output changes


Progress = ProgressLine


def _percentiles(values: list[float]) -> dict[str, float | int]:
    """p50, p95 and max in milliseconds (nearest-rank percentiles)."""
    if not values:
        return {"n": 0, "p50": 0.0, "p95": 0.0, "max": 0.0}
    ordered = sorted(values)

    def rank(p: float) -> float:
        return ordered[max(0, min(len(ordered) - 1, int(-(-len(ordered) * p // 100)) - 1))]

    ms = 1000.0
    return {
        "n": len(ordered),
        "p50": round(rank(50) * ms, 2),
        "p95": round(rank(95) * ms, 2),
        "max": round(ordered[-1] * ms, 2),
    }


def machine() -> dict[str, Any]:
    from importlib.metadata import version

    def grep(path: str, key: str) -> str:
        try:
            for line in Path(path).read_text().splitlines():
                if line.startswith(key):
                    return line.split(":", 1)[1].strip()
        except OSError:
            pass
        return "unknown"

    return {
        "cpus": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "cpu_model": grep("/proc/cpuinfo", "model name"),
        "memory": grep("/proc/meminfo", "MemTotal"),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "textual": version("textual"),
    }


def corpus_digest(scale: int, seed: int) -> str:
    text = f"roundtable synthetic corpus v{CORPUS_VERSION} scale={scale} seed={seed}"
    return hashlib.sha256(text.encode()).hexdigest()


def _built_digest(db: Path) -> str | None:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = 'seed_sha256'").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return row[0] if row else None


def build_corpus(db: Path, scale: int, seed: int, progress: Progress) -> dict[str, Any]:
    from tui.bench.corpus import generate
    from tui.data.build import build_seed

    started = time.perf_counter()
    corpus = generate(scale, seed, progress)
    generated = time.perf_counter() - started
    counts = build_seed(corpus, db, corpus_digest(scale, seed), progress=progress)
    seconds = time.perf_counter() - started
    return {
        "seconds": round(seconds, 2),
        "generate_seconds": round(generated, 2),
        "write_seconds": round(seconds - generated, 2),
        "counts": counts,
        "entities": sum(counts.values()),
    }


def _roundtable_argv(db: Path) -> list[str]:
    script = Path(sys.executable).with_name("roundtable")
    if os.access(script, os.X_OK):
        return [str(script), "--db", str(db)]
    return [sys.executable, "-m", "tui", "--db", str(db)]


def cold_starts(db: Path, runs: int, progress: Progress) -> dict[str, Any]:
    from tui.app.screens.main import PANES
    from tui.bench.coldstart import BARE_APP, cold_start

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        first_name = conn.execute(
            "SELECT name FROM entities WHERE kind = ? ORDER BY name, ref LIMIT 1", (PANES[0][0],)
        ).fetchone()[0]
    finally:
        conn.close()
    env = {**os.environ, "TERM": "xterm-256color", "COLORTERM": "truecolor", "LANG": "C.UTF-8"}
    env.pop("NO_COLOR", None)
    env.pop("ROUNDTABLE_DB", None)
    # Both programs run from cached bytecode, as installed programs do (pip compiles a wheel's
    # modules): under PYTHONDONTWRITEBYTECODE the explorer's own modules, unlike Textual's in
    # site-packages, would be compiled from source at every start. The first pair writes it.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    app_markers = [PANES[0][1], first_name[:16]]
    bare_markers = ["Bare Textual app ready"]
    app_argv = _roundtable_argv(db)
    bare_argv = [sys.executable, "-c", BARE_APP]
    app, rows, bare, rss = [], [], [], []
    for index in range(runs + 1):  # the first pair warms the file cache and is not counted
        progress("cold start", index, runs)
        b = cold_start(bare_argv, bare_markers, env=env)
        a = cold_start(app_argv, app_markers, env=env, settle=1.0)
        if index:
            bare.append(b.seconds)
            app.append(a.seconds)
            rows.append(a.later[app_markers[1]])
            rss.append(a.peak_rss)
    bare_p50, app_p50 = statistics.median(bare), statistics.median(app)
    return {
        "command": [Path(app_argv[0]).name, *app_argv[1:]],
        "marker": app_markers[0],
        "roundtable_s": [round(x, 3) for x in app],
        "roundtable_rows_s": [round(x, 3) for x in rows],
        "bare_textual_s": [round(x, 3) for x in bare],
        "roundtable_median_s": round(app_p50, 3),
        "roundtable_rows_median_s": round(statistics.median(rows), 3),
        "bare_textual_median_s": round(bare_p50, 3),
        "ratio": round(app_p50 / bare_p50, 2),
        "rows_ratio": round(statistics.median(rows) / bare_p50, 2),
        "peak_rss_bytes": max(rss),
    }


def hub_ref(db: Path) -> tuple[str, int]:
    """The entity the corpus gave the most commitments (the 10,000-link one) and its links."""
    from tui.bench.corpus import HUB_ID

    ref = f"organization:{HUB_ID}"
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        links = conn.execute(
            "SELECT count(*) FROM entity_links WHERE from_ref = ?", (ref,)
        ).fetchone()[0]
    finally:
        conn.close()
    return ref, links


def session(db: Path, work: Path, hub: str, progress: Progress, *, warm: bool) -> dict[str, Any]:
    """The explorer driven in a child process (see session.py), which reports its own peak
    RSS (VmHWM: a forked child's ru_maxrss would include this process's corpus). With
    `warm`, it reads the database into the page cache before its panes and its search."""
    progress("explorer session (panes, paging, detail, search)")
    out = work / "session.json"
    log = work / "session.log"
    spec = json.dumps({"queries": list(QUERIES), "hub": hub, "warm": warm})
    with log.open("wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "tui.bench.session", str(db), spec, str(out)],
            stdout=err,
            stderr=err,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        )
        proc.wait()
    if proc.returncode != 0:
        tail = log.read_text(errors="replace")[-2000:]
        raise UserError(f"bench: the explorer session failed ({proc.returncode}):\n{tail}")
    return json.loads(out.read_text())


def floor(db: Path, keystrokes: list[str]) -> dict[str, float]:
    """Each typed text as raw FTS5 SQL: every word a quoted prefix, the first 30 rowids."""
    from tui.data.search import fts_string, query_words

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    timings: dict[str, float] = {}
    try:
        for text in keystrokes:
            expression = " AND ".join(f"{fts_string(w)}*" for w in query_words(text))
            if not expression:
                continue
            best = []
            for _ in range(3):
                started = time.perf_counter()
                conn.execute(
                    "SELECT rowid FROM search_fts WHERE search_fts MATCH ? LIMIT ?",
                    (expression, FLOOR_LIMIT),
                ).fetchall()
                best.append(time.perf_counter() - started)
            timings[text] = statistics.median(best)
    finally:
        conn.close()
    return timings


def summarize(
    args: argparse.Namespace,
    build: dict[str, Any],
    start: dict[str, Any],
    found: dict[str, Any],
    floors: dict[str, float],
    hub: tuple[str, int],
    update: dict[str, Any],
) -> dict[str, Any]:
    per_query = {}
    app_all, floor_all, key_all = [], [], []
    key_floor = found.get("search_floor", {})
    for query, samples in found["search"].items():
        app = [s["seconds"] for s in samples]
        flo = [floors[s["text"]] for s in samples if s["text"] in floors]
        keys = [s["seconds"] for s in key_floor.get(query, [])]
        app_all += app
        floor_all += flo
        key_all += keys
        app_ms, key_ms = _percentiles(app), _percentiles(keys)
        per_query[query] = {
            "app_ms": app_ms,
            "floor_ms": _percentiles(flo),
            "key_floor_ms": key_ms,
            "key_ratio_p95": round(app_ms["p95"] / max(key_ms["p95"], 0.001), 2),
            "hits": samples[-1]["hits"],
        }
    app_p, floor_p, key_p = _percentiles(app_all), _percentiles(floor_all), _percentiles(key_all)
    worst_ratio = max(per_query, key=lambda q: per_query[q]["key_ratio_p95"])
    pages = [x for pane in found["panes"].values() for x in pane["page_down"]]
    opens = [pane["open"] for pane in found["panes"].values()]
    detail = _percentiles(found["detail"])
    complete = _percentiles(found.get("detail_complete", []))
    page_p, open_p = _percentiles(pages), _percentiles(opens)
    peak = max(found["peak_rss_bytes"], start["peak_rss_bytes"])
    worst_query = max(per_query, key=lambda q: per_query[q]["app_ms"]["p95"])
    targets = {
        "search p95 < 50 ms, every query": (
            f"worst {worst_query!r}: {per_query[worst_query]['app_ms']['p95']} ms",
            per_query[worst_query]["app_ms"]["p95"] < TARGET_MS,
        ),
        "search p95 <= 1.5x the keystroke floor, every query": (
            f"worst {worst_ratio!r}: {per_query[worst_ratio]['key_ratio_p95']}x "
            f"({per_query[worst_ratio]['app_ms']['p95']} / "
            f"{per_query[worst_ratio]['key_floor_ms']['p95']} ms)",
            per_query[worst_ratio]["key_ratio_p95"] <= TARGET_KEY_RATIO,
        ),
        "first screen <= 1.5x bare Textual": (f"{start['ratio']}x", start["ratio"] <= 1.5),
        "page down p95 < 50 ms": (f"{page_p['p95']} ms", page_p["p95"] < TARGET_MS),
        "detail open p95 < 50 ms": (f"{detail['p95']} ms", detail["p95"] < TARGET_MS),
        "peak RSS < 150 MB": (f"{peak / 2**20:.1f} MB", peak < TARGET_RSS),
        **update_targets(update),
    }
    return {
        "scale": args.scale,
        "seed": args.seed,
        "machine": machine(),
        "build": build,
        "cold_start": start,
        "search": {
            "keystrokes": app_p["n"],
            "app_ms": app_p,
            "floor_ms": floor_p,
            "ratio_p50": round(app_p["p50"] / max(floor_p["p50"], 0.001), 1),
            "ratio_p95": round(app_p["p95"] / max(floor_p["p95"], 0.001), 1),
            "key_floor_ms": key_p,
            "key_ratio_p50": round(app_p["p50"] / max(key_p["p50"], 0.001), 2),
            "key_ratio_p95": round(app_p["p95"] / max(key_p["p95"], 0.001), 2),
            "queries": per_query,
        },
        "panes": {
            "open_ms": open_p,
            "page_down_ms": page_p,
            "per_pane": {
                kind: {
                    "open_ms": round(pane["open"] * 1000, 2),
                    "page_down_ms": _percentiles(pane["page_down"]),
                    "rows_loaded": pane["rows"],
                }
                for kind, pane in found["panes"].items()
            },
        },
        "detail": {"ref": hub[0], "links": hub[1], "open_ms": detail, "complete_ms": complete},
        "deep_scroll": _deep_scroll(found["deep_scroll"]),
        "update": update,
        "memory": {
            "session_peak_rss_bytes": found["peak_rss_bytes"],
            "cold_start_peak_rss_bytes": start["peak_rss_bytes"],
        },
        "targets": {k: {"measured": v[0], "met": v[1]} for k, v in targets.items()},
    }


def _deep_scroll(found: dict[str, Any]) -> dict[str, Any]:
    """To the end of the longest pane and back: times in ms, memory in bytes."""
    return {
        "pane": found["pane"],
        "rows": found["rows"],
        "to_end_ms": round(found["to_end_s"] * 1000, 1),
        "back_ms": round(found["back_s"] * 1000, 1),
        "rows_held": found["rows_held"],
        "rss_before_bytes": found["rss_before_bytes"],
        "rss_after_bytes": found["rss_after_bytes"],
        "peak_rss_bytes": found["peak_rss_bytes"],
        "peak_is_of_the_walk": found["peak_is_of_the_walk"],
    }


def print_report(report: dict[str, Any]) -> None:
    from tui.cli.render import print_table

    b, c, s, p, d = (report[k] for k in ("build", "cold_start", "search", "panes", "detail"))
    deep, u = report["deep_scroll"], report["update"]
    size = b.get("database_bytes", 0) / 2**20
    rows = [
        ["entities", f"{b['entities']:,}", ""],
        ["build", "reused" if b.get("reused") else f"{b['seconds']:.1f} s", f"{size:,.0f} MB"],
        ["cold start: roundtable", f"{c['roundtable_median_s'] * 1000:.0f} ms",
         f"first rows {c['roundtable_rows_median_s'] * 1000:.0f} ms"],
        ["cold start: bare Textual", f"{c['bare_textual_median_s'] * 1000:.0f} ms",
         f"ratio {c['ratio']}x (rows {c['rows_ratio']}x)"],
        ["search keystroke p50 / p95", f"{s['app_ms']['p50']} / {s['app_ms']['p95']} ms",
         f"{s['keystrokes']} keys"],
        ["search floor (FTS SQL) p50 / p95", f"{s['floor_ms']['p50']} / {s['floor_ms']['p95']} ms",
         f"ratio {s['ratio_p50']}x / {s['ratio_p95']}x"],
        ["keystroke floor (bare Textual) p50 / p95",
         f"{s['key_floor_ms']['p50']} / {s['key_floor_ms']['p95']} ms",
         f"ratio {s['key_ratio_p50']}x / {s['key_ratio_p95']}x"],
        ["pane open p50 / p95", f"{p['open_ms']['p50']} / {p['open_ms']['p95']} ms", ""],
        ["page down p50 / p95", f"{p['page_down_ms']['p50']} / {p['page_down_ms']['p95']} ms",
         f"{p['page_down_ms']['n']} keys"],
        ["detail open p50 / p95", f"{d['open_ms']['p50']} / {d['open_ms']['p95']} ms",
         f"{d['links']:,} links"],
        ["detail complete p50 / p95",
         f"{d['complete_ms']['p50']} / {d['complete_ms']['p95']} ms", "with two-hop groups"],
        ["deep scroll: to the end / back", f"{deep['to_end_ms'] / 1000:.1f} s",
         f"{deep['rows']:,} {deep['pane']} rows; top again in {deep['back_ms']:.0f} ms"],
        ["deep scroll: RSS before / peak",
         f"{deep['rss_before_bytes'] / 2**20:.1f} MB", f"{deep['peak_rss_bytes'] / 2**20:.1f} MB"
         f"{'' if deep['peak_is_of_the_walk'] else ' (whole session)'}; "
         f"{deep['rows_held']:,} rows held"],
        ["update one article / remove it", f"{u['seconds']:.3f} s",
         f"{_fraction(u)}; {u['statements']} statements, {u['article_bytes']:,} bytes; "
         f"removed in {u['remove_seconds']:.3f} s"],
        ["peak RSS: session / cold start",
         f"{report['memory']['session_peak_rss_bytes'] / 2**20:.1f} MB",
         f"{report['memory']['cold_start_peak_rss_bytes'] / 2**20:.1f} MB"],
    ]  # fmt: skip
    print(f"roundtable bench --scale {report['scale']} --seed {report['seed']}")
    print_table(["measurement", "value", "note"], rows)
    print()
    per_query = [
        [q, f"{v['app_ms']['p50']} ms", f"{v['app_ms']['p95']} ms", f"{v['floor_ms']['p95']} ms",
         f"{v['key_floor_ms']['p95']} ms", f"{v['key_ratio_p95']}x", str(v["hits"])]
        for q, v in s["queries"].items()
    ]  # fmt: skip
    print_table(
        ["query", "app p50", "app p95", "FTS p95", "key floor p95", "app / key", "hits"],
        per_query,
    )
    print()
    print_table(
        ["target", "measured", "met"],
        [[k, v["measured"], "yes" if v["met"] else "NO"] for k, v in report["targets"].items()],
    )


def _fraction(update: dict[str, Any]) -> str:
    fraction = update["fraction_of_build"]
    if fraction is None:
        return "no build in this run"
    return f"{fraction * 100:.3f}% of the build"


def run_bench(args: argparse.Namespace) -> int:
    if args.scale < 100:
        raise UserError("--scale must be at least 100")
    if args.runs < 1:
        raise UserError("--runs must be at least 1")
    if args.reuse and not args.dir:
        raise UserError("--reuse needs --dir")
    progress = ProgressLine.for_terminal("bench", json_output=args.json)
    if args.dir:
        work = Path(args.dir)
        work.mkdir(parents=True, exist_ok=True)
    else:
        work = Path(tempfile.mkdtemp(prefix="roundtable-bench-"))
    db = work / f"bench-{args.scale}-{args.seed}.db"
    try:
        if args.reuse and _built_digest(db) == corpus_digest(args.scale, args.seed):
            conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
            counts = dict(conn.execute("SELECT kind, count(*) FROM entities GROUP BY kind"))
            conn.close()
            build = {"reused": True, "seconds": None, "counts": counts,
                     "entities": sum(counts.values())}  # fmt: skip
        else:
            build = build_corpus(db, args.scale, args.seed, progress)
        build["database_bytes"] = db.stat().st_size
        hub = hub_ref(db)
        cache = [] if args.cold else [{"before": "cold starts", **read_through(db)}]
        start = cold_starts(db, args.runs, progress)
        found = session(db, work, hub[0], progress, warm=not args.cold)
        cache += found.get("page_cache", [])
        progress("full-text floor")
        keystrokes = sorted({s["text"] for samples in found["search"].values() for s in samples})
        floors = floor(db, keystrokes)
        # Last, so nothing above measures a database an update has written to.
        progress("incremental update of one article")
        update = measure_update(db, work, build.get("write_seconds"))
        progress("add an article and accept its proposals")
        adding = measure_add_review(db, work)
        report = summarize(args, build, start, found, floors, hub, update)
        report["page_cache"] = {"warmed": not args.cold, "reads": cache}
        report["add_review"] = adding
        report["targets"].update(
            {k: {"measured": v[0], "met": v[1]} for k, v in add_targets(adding).items()}
        )
    finally:
        progress.done()
        if not args.dir:
            shutil.rmtree(work, ignore_errors=True)
    if args.dir:
        (work / f"report-{args.scale}-{args.seed}.json").write_text(json.dumps(report, indent=2))
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print_report(report)
    return 0
