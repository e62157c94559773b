"""`roundtable eval`: how well the proposal engine finds what the curated facts say."""

from __future__ import annotations

import argparse
from typing import Any


def add_parser(commands: Any, parents: list[argparse.ArgumentParser]) -> None:
    p = commands.add_parser(
        "eval",
        help="measure the proposal engine against the curated facts",
        description="Propose the facts of every article of the corpus from an empty corpus "
        "and compare them with its curated facts: precision and recall per kind, for links "
        "and for amounts (the corpus: --corpus, else the bundled seed).",
        parents=parents,
    )
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(run=run_eval)


def run_eval(args: argparse.Namespace) -> int:
    from tui import paths
    from tui.cli.main import _print_json
    from tui.data.evaluate import evaluate, report_table

    corpus = getattr(args, "corpus_dir", None) or paths.SEED_DIR
    report = evaluate(corpus)
    if args.json:
        _print_json(report)
    else:
        print(report_table(report), end="")
    return 0
