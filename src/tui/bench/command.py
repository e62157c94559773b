"""`roundtable bench`: registered by the CLI at start-up, so this module imports nothing heavy."""

from __future__ import annotations

import argparse
from typing import Any


def add_parser(commands: Any, parents: list[argparse.ArgumentParser]) -> None:
    p = commands.add_parser(
        "bench",
        help="build a synthetic corpus and measure the explorer against it",
        description="Generate a synthetic corpus of --scale entities (deterministic for a "
        "--seed), build it with the real build, and measure build time and size, cold start "
        "(against a bare Textual app), search per keystroke (against raw full-text SQL), "
        "paging, opening a detail with 10,000 links, peak memory, and the incremental update of "
        "one article's facts (about 5 KB, 40 statements; applied, then removed again).",
        parents=parents,
    )
    p.add_argument("--scale", type=int, default=100_000, help="entities across all kinds (100000)")
    p.add_argument("--seed", type=int, default=1, help="random seed of the corpus (1)")
    p.add_argument(
        "--dir",
        metavar="DIR",
        help="keep the database (and results) in DIR (default: a temporary folder, removed)",
    )
    p.add_argument(
        "--reuse",
        action="store_true",
        help="with --dir: reuse a database already built there for this scale and seed",
    )
    p.add_argument("--runs", type=int, default=5, help="cold starts of each program (5)")
    p.add_argument(
        "--cold",
        action="store_true",
        help="do not read the database file into the page cache before each timed part "
        "(timings then include whatever the disk adds)",
    )
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from tui.bench.runner import run_bench

    return run_bench(args)
