"""Turn saved bench reports (`report-<scale>-<seed>.json`, written with `--dir`) into the
Markdown tables of docs/benchmarks.md, so the numbers there are copied by a program, not by hand.

    python -m tui.bench.markdown DIR/report-10000-1.json DIR/report-100000-1.json ... \
        [--repeats DIR/repeat-1.json ...]

`--repeats`: further runs at the largest scale (`--reuse --json` output), whose targets are
tabled beside the main run's, to show how much a run-to-run difference moves them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def _ms(stats: dict[str, Any], digits: int = 1) -> str:
    return f"{stats['p50']:.{digits}f} / {stats['p95']:.{digits}f}"


def _mb(size: int) -> str:
    return f"{size / 2**20:,.0f}"


def rows(report: dict[str, Any]) -> list[tuple[str, str]]:
    b, c, s, p, d, m = (
        report[k] for k in ("build", "cold_start", "search", "panes", "detail", "memory")
    )
    build = "reused" if b.get("reused") else f"{b['seconds']:.1f} s"
    return [
        ("entities", f"{b['entities']:,}"),
        ("build time (generate + write)", build),
        ("database size (MB)", _mb(b["database_bytes"])),
        ("database file read into the page cache before each timed part", _page_cache(report)),
        ("cold start, roundtable: first screen (ms)", f"{c['roundtable_median_s'] * 1000:.0f}"),
        ("cold start, roundtable: first rows (ms)", f"{c['roundtable_rows_median_s'] * 1000:.0f}"),
        ("cold start, bare Textual app (ms)", f"{c['bare_textual_median_s'] * 1000:.0f}"),
        ("cold start ratio: first screen (rows)", f"{c['ratio']}x ({c['rows_ratio']}x)"),
        ("search keystroke, app p50 / p95 (ms)", _ms(s["app_ms"])),
        ("search keystroke, FTS floor p50 / p95 (ms)", _ms(s["floor_ms"], 2)),
        ("search app / floor, p50 / p95", f"{s['ratio_p50']}x / {s['ratio_p95']}x"),
        ("keystroke floor (bare Textual, same hits) p50 / p95 (ms)", _key_floor(s)),
        ("search app / keystroke floor, p50 / p95", _key_ratio(s)),
        ("search worst query p95 (ms)", _worst(s)),
        ("pane open p50 / p95 (ms)", _ms(p["open_ms"])),
        ("page down p50 / p95 (ms)", _ms(p["page_down_ms"]) + f" ({p['page_down_ms']['n']})"),
        (
            "detail open of the hub, p50 / p95 (ms) (its links)",
            _ms(d["open_ms"]) + f" ({d['links']:,})",
        ),
        ("detail complete (with two-hop groups) p50 / p95 (ms)", _ms(d["complete_ms"])),
        ("deep scroll: to the end of the longest pane (s) (its rows)", _deep_time(report)),
        ("deep scroll: peak RSS of the walk (MB) (rows held)", _deep_memory(report)),
        ("update one article's facts (s) (share of the full build)", _update(report)),
        ("add a 5 KB article / accept its proposals (s) (proposals)", _add_review(report)),
        ("Review screen open, median / slowest (ms)", _review_open(report)),
        ("peak RSS, explorer session (MB)", _mb(m["session_peak_rss_bytes"])),
        ("peak RSS, cold start (MB)", _mb(m["cold_start_peak_rss_bytes"])),
    ]


def _update(report: dict[str, Any]) -> str:
    update = report.get("update")  # absent from reports older than the incremental update
    if update is None:
        return "—"
    fraction = update["fraction_of_build"]
    share = "no build" if fraction is None else f"{fraction * 100:.2f}%"
    return f"{update['seconds']:.2f} ({share})"


def _add_review(report: dict[str, Any]) -> str:
    found = report.get("add_review")  # absent from reports older than `roundtable add`
    if found is None:
        return "—"
    return (
        f"{found['add_seconds']:.2f} / {found['accept_seconds']:.2f} "
        f"({found['proposals']}, {found['matched']} matched)"
    )


def _review_open(report: dict[str, Any]) -> str:
    screen = (report.get("add_review") or {}).get("review_screen")
    if screen is None:
        return "—"
    return f"{screen['median_s'] * 1000:.0f} / {screen['max_s'] * 1000:.0f}"


def _deep_time(report: dict[str, Any]) -> str:
    deep = report.get("deep_scroll")  # absent from reports older than the deep scroll
    if deep is None:
        return "—"
    return f"{deep['to_end_ms'] / 1000:.1f} ({deep['rows']:,} {deep['pane']})"


def _deep_memory(report: dict[str, Any]) -> str:
    deep = report.get("deep_scroll")
    if deep is None:
        return "—"
    whole = "" if deep["peak_is_of_the_walk"] else ", whole session"
    return f"{_mb(deep['peak_rss_bytes'])} ({deep['rows_held']:,}{whole})"


def _page_cache(report: dict[str, Any]) -> str:
    cache = report.get("page_cache")  # absent from reports older than the page-cache reads
    if cache is None:
        return "—"
    if not cache["warmed"]:
        return "no (--cold)"
    reads = cache["reads"]
    if not all(r["read"] for r in reads):
        return "no (larger than half the free memory)"
    slowest = max(r["seconds"] for r in reads)
    return f"yes, {len(reads)} times (the slowest {slowest:.1f} s)"


def _key_floor(search: dict[str, Any]) -> str:
    floor = search.get("key_floor_ms")  # absent from reports older than the keystroke floor
    return _ms(floor) if floor else "—"


def _key_ratio(search: dict[str, Any]) -> str:
    if "key_ratio_p95" not in search:
        return "—"
    return f"{search['key_ratio_p50']}x / {search['key_ratio_p95']}x"


def _worst(search: dict[str, Any]) -> str:
    query = max(search["queries"], key=lambda q: search["queries"][q]["app_ms"]["p95"])
    return f"{search['queries'][query]['app_ms']['p95']:.1f} ({query!r})"


def table(reports: list[dict[str, Any]]) -> str:
    header = ["measurement", *(f"{r['scale']:,}" for r in reports)]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    columns = [rows(r) for r in reports]
    for i, (label, _) in enumerate(columns[0]):
        lines.append("| " + " | ".join([label, *(col[i][1] for col in columns)]) + " |")
    return "\n".join(lines)


def queries_table(report: dict[str, Any]) -> str:
    lines = [
        "| query | keys | app p50 (ms) | app p95 (ms) | FTS floor p95 (ms) "
        "| keystroke floor p95 (ms) | app / keystroke floor | hits |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for query, q in report["search"]["queries"].items():
        key_floor = q.get("key_floor_ms")  # absent from older reports
        key_p95 = f"{key_floor['p95']:.1f}" if key_floor else "—"
        key_ratio = f"{q['key_ratio_p95']}x" if key_floor else "—"
        lines.append(
            f"| `{query}` | {q['app_ms']['n']} | {q['app_ms']['p50']:.1f} | "
            f"{q['app_ms']['p95']:.1f} | {q['floor_ms']['p95']:.2f} | "
            f"{key_p95} | {key_ratio} | {q['hits']} |"
        )
    return "\n".join(lines)


def targets_table(report: dict[str, Any]) -> str:
    lines = ["| target | measured | met |", "|---|---|---|"]
    for name, t in report["targets"].items():
        lines.append(f"| {name} | {t['measured']} | {'yes' if t['met'] else '**no**'} |")
    return "\n".join(lines)


def repeats_table(main_run: dict[str, Any], repeats: list[dict[str, Any]]) -> str:
    runs = [main_run, *repeats]
    header = ["target", "this run", *(f"repeat {i}" for i in range(1, len(repeats) + 1))]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for name in main_run["targets"]:
        cells = []
        for run in runs:
            t = run["targets"].get(name)  # (a --reuse run has no build to compare with)
            if t is None:
                cells.append("—")
                continue
            cells.append(t["measured"] + ("" if t["met"] else " **(missed)**"))
        lines.append("| " + " | ".join([name, *cells]) + " |")
    return "\n".join(lines)


USAGE = "usage: python -m tui.bench.markdown REPORT.json [...] [--repeats REPORT.json ...]"


def _read(path: str) -> dict[str, Any]:
    """A saved report (`roundtable bench --json`), or SystemExit with one line naming it."""
    try:
        report = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SystemExit(f"{path}: not a readable bench report ({exc})") from None
    if not isinstance(report, dict) or "scale" not in report:
        raise SystemExit(f"{path}: not a bench report (no scale)")
    return report


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(USAGE)
        return 0 if argv else 2
    repeat_paths: list[str] = []
    if "--repeats" in argv:
        at = argv.index("--repeats")
        argv, repeat_paths = argv[:at], argv[at + 1 :]
    reports = sorted((_read(p) for p in argv), key=lambda r: r["scale"])
    print(table(reports))
    largest = reports[-1]
    print(f"\nPer query at {largest['scale']:,}:\n")
    print(queries_table(largest))
    print(f"\nTargets at {largest['scale']:,}:\n")
    print(targets_table(largest))
    if repeat_paths:
        repeats = [_read(p) for p in repeat_paths]
        print(f"\nThe same targets in {len(repeats)} more runs at {largest['scale']:,}:\n")
        print(repeats_table(largest, repeats))
    print("\nMachine:", json.dumps(largest["machine"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
