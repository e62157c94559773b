"""The `roundtable` command: the explorer by default, and scriptable build/search/show/list."""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from . import paths
from .errors import EXIT_INTERNAL, DatabaseError, UserError

EXIT_INTERRUPTED = 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="roundtable",
        description="Explore who met whom and who promised what in bilateral investment news. "
        "With no command, opens the explorer.",
    )
    parser.add_argument(
        "--db", metavar="PATH", help="database file (default: $ROUNDTABLE_DB, else the bundled one)"
    )
    parser.add_argument(
        "--no-mouse", action="store_true", help="explorer: do not capture the mouse"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    build = commands.add_parser("build", help="validate the seed and build the database")
    build.add_argument(
        "--seed",
        metavar="DIR",
        default=str(paths.SEED_DIR),
        help="seed folder (default: the project's seed/)",
    )
    build.add_argument("--json", action="store_true", help="print counts as JSON")

    search = commands.add_parser("search", help="ranked full-text search across all kinds")
    search.add_argument("query", help="any text; names tolerate variants and a typo")
    search.add_argument("--kind", help="only this kind")
    search.add_argument("--limit", type=int, default=20, help="at most this many hits (20)")
    search.add_argument("--json", action="store_true", help="print JSON")

    show = commands.add_parser("show", help="one entity with its links and sources")
    show.add_argument("ref", help="kind:slug, e.g. organization:cnpc")
    show.add_argument("--json", action="store_true", help="print JSON")

    listing = commands.add_parser("list", help="every entity of a kind")
    listing.add_argument(
        "kind", help="organization, person, meeting, commitment, indicator, place or article"
    )
    listing.add_argument("--json", action="store_true", help="print JSON")

    open_ = commands.add_parser("open", help="open the explorer on one entity")
    open_.add_argument("ref", help="kind:slug")
    return parser


def _connect(args: argparse.Namespace) -> sqlite3.Connection:
    """The read-only connection for a reading command; builds the bundled database if stale."""
    from .build import ensure_default_database
    from .db import open_readonly

    if args.db is None and not os.environ.get("ROUNDTABLE_DB"):
        ensure_default_database()
    return open_readonly(paths.database_path(args.db))


def _print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def cmd_build(args: argparse.Namespace) -> int:
    from .build import build

    target = paths.database_path(args.db)
    started = time.perf_counter()
    kinds = build(Path(args.seed), target)
    elapsed = time.perf_counter() - started
    from .queries import KINDS

    counts = {kind: kinds.get(kind, 0) for kind in KINDS}
    if args.json:
        _print_json({"database": str(target), "counts": counts, "seconds": round(elapsed, 3)})
        return 0
    from .render import print_table

    print(f"Built {target} in {elapsed:.2f} s (integrity and foreign keys checked).")
    print_table(["kind", "count"], [[k, str(v)] for k, v in counts.items()])
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from .queries import check_kind
    from .search import search

    if args.kind:
        check_kind(args.kind)
    if args.limit < 1:
        raise UserError("--limit must be at least 1")
    with _connect(args) as conn:
        hits = search(conn, args.query, kind=args.kind, limit=min(args.limit, 1000))
    if args.json:
        _print_json([hit.as_json() for hit in hits])
        return 0
    from .render import print_search

    print_search(hits)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from .details import entity_details

    with _connect(args) as conn:
        details = entity_details(conn, args.ref)
    if args.json:
        _print_json(details)
        return 0
    from .render import print_details

    print_details(details)
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from .listing import all_rows, table_for
    from .queries import check_kind

    check_kind(args.kind)
    with _connect(args) as conn:
        rows = all_rows(conn, args.kind)
    if args.json:
        _print_json(rows)
        return 0
    from .render import print_table

    headers, cells = table_for(args.kind, rows)
    print_table(headers, cells)
    return 0


def cmd_explore(args: argparse.Namespace, start_ref: str | None = None) -> int:
    from .db import open_readonly

    # Fail here, with one line, before the terminal is taken over.
    with _connect(args) as conn:
        if start_ref is not None:
            from .queries import entity

            entity(conn, start_ref)
    from .app import run_explorer

    return run_explorer(
        paths.database_path(args.db),
        start_ref=start_ref,
        mouse=not args.no_mouse,
        probe=open_readonly,
    )


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "build": cmd_build, "search": cmd_search, "show": cmd_show, "list": cmd_list,
    "open": lambda args: cmd_explore(args, start_ref=args.ref),
}  # fmt: skip


def crash_log(exc: BaseException) -> Path:
    """Write the traceback of an unexpected error to a log file and return its path."""
    folder = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state")
    folder = folder / "roundtable"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        folder = Path(tempfile.gettempdir())
    path = folder / f"crash-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.log"
    path.write_text("".join(traceback.format_exception(exc)), encoding="utf-8")
    return path


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command is None:
            return cmd_explore(args)
        return COMMANDS[args.command](args)
    except UserError as exc:
        print(f"roundtable: {exc}", file=sys.stderr)
        return exc.exit_code
    except sqlite3.Error as exc:
        from .db import describe

        error = DatabaseError(f"{paths.database_path(args.db)}: {describe(exc)}")
        print(f"roundtable: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # Output closed early (e.g. `| head`): not an error worth a message.
        sys.stderr.close()
        return 0
    except Exception as exc:
        log = crash_log(exc)
        print(
            f"roundtable: internal error: {type(exc).__name__}: {exc} (details in {log})",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


def run() -> None:
    sys.exit(main())
