"""The `roundtable` command: the explorer by default, and scriptable build/search/show/list."""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from tui import __version__, paths
from tui.errors import EXIT_INTERNAL, DatabaseError, UserError
from tui.kinds import KINDS
from tui.textsafe import clean, json_text

EXIT_INTERRUPTED = 130
CHECK_PAGES_MAX_BYTES = 64 * 2**20  # explorer start-up reads every page only below this size


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
    parser.add_argument("--version", action="version", version=f"roundtable {__version__}")
    # `--db` is accepted before or after the command (`roundtable build --db x.db`).
    db_after = argparse.ArgumentParser(add_help=False)
    db_after.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help="database file")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    build = commands.add_parser(
        "build", help="validate the seed and build the database", parents=[db_after]
    )
    build.add_argument(
        "--seed",
        metavar="DIR",
        default=str(paths.SEED_DIR),
        help="seed folder (default: the bundled seed)",
    )
    build.add_argument("--json", action="store_true", help="print counts as JSON")

    search = commands.add_parser(
        "search", help="ranked full-text search across all kinds", parents=[db_after]
    )
    search.add_argument("query", help="any text; names tolerate variants and a typo")
    search.add_argument("--kind", help="only this kind")
    search.add_argument("--limit", type=int, default=20, help="at most this many hits (20)")
    search.add_argument("--json", action="store_true", help="print JSON")

    show = commands.add_parser(
        "show", help="one entity with its links and sources", parents=[db_after]
    )
    show.add_argument("ref", help="kind:slug, e.g. organization:cnpc")
    show.add_argument("--json", action="store_true", help="print JSON")

    listing = commands.add_parser("list", help="every entity of a kind", parents=[db_after])
    listing.add_argument("kind", help=f"{', '.join(KINDS[:-1])} or {KINDS[-1]}")
    listing.add_argument("--json", action="store_true", help="print JSON")

    for module in _command_modules():
        module.add_parser(commands, [db_after])

    open_ = commands.add_parser("open", help="open the explorer on one entity", parents=[db_after])
    open_.add_argument("ref", help="kind:slug")
    return parser


# Commands that live in their own modules: each has `add_parser(commands, parents)`, which
# registers its subcommand with `set_defaults(run=...)`, the function that runs it.
COMMAND_MODULES: tuple[str, ...] = (
    "tui.cli.export", "tui.cli.views", "tui.cli.datasette", "tui.bench.command",
)  # fmt: skip


def _command_modules() -> list[Any]:
    import importlib

    return [importlib.import_module(name) for name in COMMAND_MODULES]


def connect_reading(args: argparse.Namespace) -> sqlite3.Connection:
    """The read-only connection for a reading command; builds the bundled database if stale."""
    from tui.data.db import open_readonly

    if args.db is None and not os.environ.get("ROUNDTABLE_DB"):
        from tui.data.build import (
            ensure_default_database,  # (imports the YAML loader: only if needed)
        )

        ensure_default_database()
    return open_readonly(paths.database_path(args.db))


def _print_json(data: Any) -> None:
    sys.stdout.write(json_text(data, indent=2) + "\n")


def cmd_build(args: argparse.Namespace) -> int:
    from tui.cli.progress import ProgressLine
    from tui.data.build import build

    target = paths.database_path(args.db)
    if target == paths.DEFAULT_DB:  # an installed wheel's is in a data folder made on first use
        target.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    progress = ProgressLine.for_terminal("build", json_output=args.json)  # quiet unless a tty
    try:
        kinds = build(Path(args.seed), target, progress=progress)
    finally:
        progress.done()
    elapsed = time.perf_counter() - started
    counts = {kind: kinds.get(kind, 0) for kind in KINDS}
    if args.json:
        _print_json({"database": str(target), "counts": counts, "seconds": round(elapsed, 3)})
        return 0
    from tui.cli.render import print_table

    shown = clean(str(target), single_line=True)  # a path the user gave: any bytes
    print(f"Built {shown} in {elapsed:.2f} s (integrity and foreign keys checked).")
    print_table(["kind", "count"], [[k, str(v)] for k, v in counts.items()])
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from tui.data.queries import check_kind
    from tui.data.search import search

    if args.kind:
        check_kind(args.kind)
    if args.limit < 1:
        raise UserError("--limit must be at least 1")
    with connect_reading(args) as conn:
        hits = search(conn, args.query, kind=args.kind, limit=min(args.limit, 1000))
    if args.json:
        _print_json([hit.as_json() for hit in hits])
        return 0
    from tui.cli.render import print_search

    print_search(hits)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from tui.data.details import entity_details

    with connect_reading(args) as conn:
        details = entity_details(conn, args.ref)
    if args.json:
        _print_json(details)
        return 0
    from tui.cli.render import print_details

    print_details(details)
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from tui.data.listing import COLUMNS, all_rows, table_for
    from tui.data.queries import check_kind

    check_kind(args.kind)
    with connect_reading(args) as conn:
        rows = all_rows(conn, args.kind)
    if args.json:
        _print_json(rows)
        return 0
    from tui.cli.render import print_table

    headers, cells = table_for(args.kind, rows)
    print_table(headers, cells, [column.width for column in COLUMNS[args.kind]])
    return 0


def cmd_explore(args: argparse.Namespace, start_ref: str | None = None) -> int:
    from tui.data.db import check_pages, open_readonly

    # Fail here, with one line, before the terminal is taken over.
    with connect_reading(args) as conn:
        # Reading every page costs time in proportion to the file (seconds at a million
        # entities): only files small enough to check in a blink are checked up front.
        if os.path.getsize(paths.database_path(args.db)) <= CHECK_PAGES_MAX_BYTES:
            check_pages(conn, paths.database_path(args.db))
        if start_ref is not None:
            from tui.data.queries import entity

            entity(conn, start_ref)
    from tui.app.explorer import run_explorer

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


def _check_text_arguments(args: argparse.Namespace) -> None:
    """A ref or a kind given as bytes that are not UTF-8 is a user error, not a crash. (Paths
    may be any bytes; a search query may be any text, and what is not a word is ignored.)"""
    for name, value in vars(args).items():
        if isinstance(value, str) and name not in ("db", "seed", "query"):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise UserError(f"{name} {value!a} is not valid UTF-8 text") from None


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        _check_text_arguments(args)
        if args.command is None:
            return cmd_explore(args)
        if args.command not in COMMANDS:
            return args.run(args)
        return COMMANDS[args.command](args)
    except UserError as exc:
        _say(str(exc))
        return exc.exit_code
    except sqlite3.Error as exc:
        from tui.data.db import describe

        error = DatabaseError(f"{paths.database_path(args.db)}: {describe(exc)}")
        _say(str(error))
        return error.exit_code
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # Output closed early (e.g. `| head`): not an error worth a message.
        sys.stderr.close()
        return 0
    except Exception as exc:
        log = crash_log(exc)
        _say(f"internal error: {type(exc).__name__}: {exc} (details in {log})")
        return EXIT_INTERNAL


def _say(message: str) -> None:
    """The one line on stderr: a path, ref or SQLite message in it may hold a newline or an
    escape sequence, shown as a visible stand-in rather than acted on by the terminal."""
    from tui.textsafe import clean

    print(f"roundtable: {clean(message, single_line=True)}", file=sys.stderr)


def run() -> None:
    sys.exit(main())
