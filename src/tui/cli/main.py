"""The `roundtable` command: the explorer by default, and scriptable build/search/show/list."""

from __future__ import annotations

import argparse
import contextlib
import errno
import os
import sqlite3
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from tui import __version__, paths
from tui.atomic import Signalled
from tui.cli.export import add_row_filters
from tui.errors import (
    EXIT_INTERNAL,
    EXIT_IO,
    EXIT_USAGE,
    DatabaseError,
    OutputError,
    SeedError,
    UserError,
)
from tui.kinds import KINDS, kind_named
from tui.textsafe import clean, json_text

EXIT_INTERRUPTED = 130
CHECK_PAGES_MAX_BYTES = 64 * 2**20  # explorer start-up reads every page only below this size


class _Parser(argparse.ArgumentParser):
    """argparse, with an error as one line and the command's usage on one line after it."""

    commands: dict[str, _Parser] | None = None  # the subcommands' parsers
    hint: str = ""  # added to an error about an unknown or missing argument

    def error(self, message: str) -> NoReturn:
        from tui.textsafe import clean

        usage = " ".join(self.format_usage().split())
        if self.hint and ("unrecognized" in message or "required" in message):
            message = f"{message} ({self.hint})"
        self.exit(EXIT_USAGE, f"{self.prog}: {clean(message, single_line=True)}\n{usage}\n")

    def parse_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> argparse.Namespace:
        """Unknown arguments are reported by the command they were given to, with its usage."""
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:
            owner = (self.commands or {}).get(getattr(parsed, "command", None) or "", self)
            owner.error(f"unrecognized arguments: {' '.join(extras)}")
        return parsed


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="roundtable",
        description="Explore who met whom and who promised what in bilateral investment news. "
        "With no command, opens the explorer.",
    )
    parser.add_argument(
        "--db",
        metavar="PATH",
        help="database file (default: the corpus's DIR/roundtable.db with --corpus, else "
        "$ROUNDTABLE_DB, else the bundled one)",
    )
    parser.add_argument(
        "--corpus",
        metavar="DIR",
        help="corpus folder to read (default: $ROUNDTABLE_CORPUS, else your own corpus once "
        "`roundtable add` has made it, else the bundled seed); its database is "
        "DIR/roundtable.db, built and updated as the corpus changes",
    )
    parser.add_argument(
        "--no-mouse", action="store_true", help="explorer: do not capture the mouse"
    )
    parser.add_argument("--version", action="version", version=f"roundtable {__version__}")
    # `--db` and `--corpus` are accepted before or after the command (`roundtable build --db x.db`).
    db_after = _Parser(add_help=False)
    db_after.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help="database file")
    db_after.add_argument(
        "--corpus", metavar="DIR", default=argparse.SUPPRESS, help="corpus folder"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    parser.commands = commands.choices

    build = commands.add_parser(
        "build",
        help="validate the corpus and bring its database up to date",
        description="Validate the corpus and bring its database up to date: only the "
        "articles whose facts (or text) changed, in one transaction, where it can; a full "
        "rebuild when the schema changed, entities.yaml renamed an entity, or with --full.",
        parents=[db_after],
    )
    build.add_argument(
        "--seed",
        metavar="DIR",
        help="corpus folder to build (default: --corpus, else the bundled seed)",
    )
    build.add_argument("--full", action="store_true", help="rebuild the whole database")
    build.add_argument("--json", action="store_true", help="print counts as JSON")

    init = commands.add_parser(
        "init",
        help="create a corpus folder: a copy of the bundled articles and facts",
        description="Create the corpus folder DIR holding a copy of the bundled corpus "
        "(entities.yaml, articles/, facts/), or with --empty none; then use it with "
        "`roundtable --corpus DIR`. DIR must not exist, or be an empty folder.",
    )
    init.add_argument("dir", metavar="DIR", help="the new corpus folder")
    init.add_argument("--empty", action="store_true", help="no articles, no entities")

    search = commands.add_parser(
        "search",
        help="ranked full-text search across all kinds",
        parents=[db_after],
        usage="%(prog)s [-h] [--db PATH] [--kind KIND] [--limit LIMIT] [--json] [--] query",
    )
    search.add_argument(
        "query",
        help="any text; names tolerate variants and a typo (a query that starts with - "
        "goes after --: roundtable search -- -x)",
    )
    search.hint = "a query that starts with - goes after --: roundtable search -- -x"
    search.add_argument("--kind", help="only this kind")
    search.add_argument("--limit", type=int, default=20, help="at most this many hits (20)")
    search.add_argument("--json", action="store_true", help="print JSON")

    show = commands.add_parser(
        "show", help="one entity with its links and sources", parents=[db_after]
    )
    show.add_argument("ref", help="kind:slug, e.g. organization:cnpc")
    show.add_argument("--json", action="store_true", help="print JSON")

    listing = commands.add_parser("list", help="every entity of a kind", parents=[db_after])
    listing.add_argument(
        "kind", help=f"{', '.join(KINDS[:-1])} or {KINDS[-1]} (or the plural, or the pane's title)"
    )
    listing.add_argument("--json", action="store_true", help="print JSON")
    add_row_filters(listing)

    for module in _command_modules():
        module.add_parser(commands, [db_after])

    open_ = commands.add_parser("open", help="open the explorer on one entity", parents=[db_after])
    open_.add_argument("ref", help="kind:slug")
    return parser


# Commands that live in their own modules: each has `add_parser(commands, parents)`, which
# registers its subcommand with `set_defaults(run=...)`, the function that runs it.
COMMAND_MODULES: tuple[str, ...] = (
    "tui.cli.export", "tui.cli.views", "tui.cli.datasette", "tui.cli.sql", "tui.cli.evaluation",
    "tui.cli.review",
    "tui.bench.command",
)  # fmt: skip


def _command_modules() -> list[Any]:
    import importlib

    return [importlib.import_module(name) for name in COMMAND_MODULES]


def connect_reading(args: argparse.Namespace) -> sqlite3.Connection:
    """The read-only connection for a reading command; builds (or updates) the selected
    corpus's database, or the bundled one, when the corpus is newer."""
    from tui.data.db import open_readonly

    corpus = getattr(args, "corpus_dir", None)
    if corpus is not None:
        from tui.data.sync import ensure_database

        _bring_up_to_date(lambda: ensure_database(corpus, paths.database_path(args.db)),
                          paths.database_path(args.db), "corpus")  # fmt: skip
    elif args.db is None and not os.environ.get("ROUNDTABLE_DB"):
        from tui.data.build import (
            ensure_default_database,  # (imports the YAML loader: only if needed)
        )

        _bring_up_to_date(ensure_default_database, paths.DEFAULT_DB, "seed")
    conn = open_readonly(paths.database_path(args.db))
    # One read transaction for the whole command, ended as its `with` block ends: an update
    # committed meanwhile waits for it, so an export or a view never reads half of one.
    conn.execute("BEGIN")
    return conn


def _bring_up_to_date(ensure: Callable[[], object], db: Path, what: str) -> None:
    """Build or update `db` from its corpus; when that fails for the database's sake (it is
    locked, or in a folder the user cannot write) but a database is there, read it as it is,
    with a note. (Facts that do not validate are an error: the user is told at once.)"""
    try:
        ensure()
    except (DatabaseError, OSError) as exc:  # e.g. an installation the user cannot write
        if not db.is_file():
            if isinstance(exc, DatabaseError):
                raise
            raise DatabaseError(f"{db}: cannot build ({exc.strerror})") from None
        reason = exc if isinstance(exc, DatabaseError) else exc.strerror
        _say(f"note: the {what} is newer but the database cannot be updated ({reason}); "
             f"reading {db} as built before")  # fmt: skip


def _print_json(data: Any) -> None:
    sys.stdout.write(json_text(data, indent=2) + "\n")


def cmd_build(args: argparse.Namespace) -> int:
    from tui.cli.progress import ProgressLine
    from tui.data.sync import sync

    corpus = Path(args.seed) if args.seed else args.corpus_dir or paths.SEED_DIR
    target = paths.database_path(args.db)
    if target == paths.DEFAULT_DB:  # an installed wheel's is in a data folder made on first use
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(f"{target}: cannot make its folder ({exc.strerror})") from None
    started = time.perf_counter()
    progress = ProgressLine.for_terminal("build", json_output=args.json)  # quiet unless a tty
    try:
        done = sync(corpus, target, full=args.full or _is_stdout(target), progress=progress)
    except OSError as exc:  # reading the seed (writing the database raises DatabaseError)
        where = os.fsdecode(exc.filename or corpus)
        raise SeedError(where, f"cannot read ({exc.strerror})") from None
    finally:
        progress.done()
    elapsed = time.perf_counter() - started
    counts = {kind: done.counts.get(kind, 0) for kind in KINDS}
    articles = {"added": done.added, "changed": done.changed, "removed": done.removed}
    # A database written to standard output (`--db /dev/stdout`) is not followed by the report.
    report = sys.stderr if _is_stdout(target) else sys.stdout
    with contextlib.redirect_stdout(report):
        if args.json:
            _print_json({"database": str(target), "mode": done.mode, "articles": articles,
                         "counts": counts, "seconds": round(elapsed, 3)})  # fmt: skip
            return 0
        from tui.cli.render import print_table

        shown = clean(str(target), single_line=True)  # a path the user gave: any bytes
        if done.mode == "full":
            print(f"Built {shown} in {elapsed:.2f} s (integrity and foreign keys checked).")
        elif done.mode == "unchanged":
            print(f"{shown} is up to date with its corpus.")
        else:
            what = ", ".join(f"{len(v)} {k}" for k, v in articles.items() if v)
            print(f"Updated {shown} in {elapsed:.2f} s: articles {what} (one transaction).")
        print_table(["kind", "count"], [[k, str(v)] for k, v in counts.items()])
    return 0


def _is_stdout(path: Path) -> bool:
    """True when `path` is the file standard output goes to (and that is not /dev/null)."""
    try:
        out = os.fstat(sys.__stdout__.fileno())  # type: ignore[union-attr]
        return os.path.samestat(os.stat(path), out) and not os.path.samestat(
            out, os.stat(os.devnull)
        )
    except (OSError, ValueError, AttributeError):
        return False


def kind_argument(word: str) -> str:
    """The kind a command-line word names (`kind_named`), or a one-line error listing them."""
    from tui.data.queries import check_kind

    return check_kind(kind_named(word))


def cmd_search(args: argparse.Namespace) -> int:
    from tui.data.search import search

    if args.kind is not None:  # `--kind ""` is a kind that does not exist, not no filter
        args.kind = kind_argument(args.kind)
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
    from tui.cli.export import row_filters
    from tui.data.listing import COLUMNS, iter_rows, table_for

    args.kind = kind_argument(args.kind)
    with connect_reading(args) as conn:
        filters = row_filters(conn, args.kind, args)
        rows = list(iter_rows(conn, args.kind, filters=filters or None, text=args.text))
    if args.json:
        _print_json(rows)
        return 0
    from tui.cli.render import print_table

    headers, cells = table_for(args.kind, rows)
    print_table(headers, cells, [column.width for column in COLUMNS[args.kind]])
    return 0


def cmd_explore(args: argparse.Namespace, start_ref: str | None = None) -> int:
    from tui.app.collector import collector

    collector.starting()  # (before the imports: see collector.py)
    try:
        return _explore(args, start_ref)
    finally:
        collector.stop()  # (the app stops it too; this, if it never ran)


def _explore(args: argparse.Namespace, start_ref: str | None) -> int:
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
        corpus=getattr(args, "corpus_dir", None),
    )


def cmd_init(args: argparse.Namespace) -> int:
    from tui.data.newcorpus import init_corpus
    from tui.formatting import counted

    target = Path(args.dir)
    articles = init_corpus(target, paths.SEED_DIR, empty=args.empty)
    shown = clean(str(target), single_line=True)
    print(f"Created the corpus {shown} ({counted(articles, 'article')}). Use it with: "
          f"roundtable --corpus {shown}")  # fmt: skip
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "build": cmd_build, "init": cmd_init, "search": cmd_search, "show": cmd_show,
    "list": cmd_list,
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
        if isinstance(value, str) and name not in ("db", "seed", "query", "corpus", "dir"):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise UserError(f"{name} {value!a} is not valid UTF-8 text") from None
    for name, flag in PATH_OPTIONS.items():
        if getattr(args, name, None) == "":  # not "the default": a name left out by mistake
            raise UserError(f"{flag} needs a file name, not an empty one")


# Options that name a file, by their attribute: an empty value is an error.
PATH_OPTIONS = {
    "db": "--db", "output": "--output/-o", "seed": "--seed", "corpus": "--corpus", "dir": "DIR",
}  # fmt: skip


class _Stdout:
    """Standard output for a command: a write the OS refuses (a full disk, `/dev/full`, a
    closed descriptor) is one `OutputError`; a pipe closed early stays `BrokenPipeError`."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream  # None when the descriptor was closed before we started

    def _failed(self, exc: OSError | None) -> NoReturn:
        reason = exc.strerror if exc is not None and exc.strerror else os.strerror(errno.EBADF)
        raise OutputError(f"cannot write standard output: {reason}") from None

    def write(self, text: str) -> int:
        if self.stream is None:
            self._failed(None)
        try:
            return int(self.stream.write(text))
        except BrokenPipeError:
            raise
        except OSError as exc:
            self._failed(exc)

    def flush(self) -> None:
        if self.stream is None:
            return
        try:
            self.stream.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            self._failed(exc)

    def isatty(self) -> bool:
        return self.stream is not None and bool(self.stream.isatty())

    def __getattr__(self, name: str) -> Any:
        if self.stream is None:
            raise AttributeError(name)
        return getattr(self.stream, name)


def _reserve_closed_descriptors() -> None:
    """If we were started with standard input, output or error closed, put /dev/null on that
    descriptor, so that no file opened later (the database, an export) takes its number and
    receives what is meant for the stream."""
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            null = os.open(os.devnull, os.O_RDWR)
            if null != fd:
                os.dup2(null, fd)
                os.close(null)


def _discard_stdout() -> None:
    """After a failed write to standard output, send what is still buffered to /dev/null, so
    that the interpreter's own flush at exit does not fail a second time with a traceback."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.__stdout__.fileno())  # type: ignore[union-attr]
        os.close(null)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    explorer = args.command in (None, "open")
    saved = sys.stdout
    if not explorer:
        _reserve_closed_descriptors()
        sys.stdout = _Stdout(saved)
    try:
        _check_text_arguments(args)
        _select_corpus(args)
        if args.command is None:
            return cmd_explore(args)
        if args.command not in COMMANDS:
            code = int(args.run(args))
        else:
            code = COMMANDS[args.command](args)
        sys.stdout.flush()  # a full disk shows here, not at exit
        return code
    except UserError as exc:
        _say(str(exc))
        if isinstance(exc, OutputError):
            _discard_stdout()
        return exc.exit_code
    except sqlite3.Error as exc:
        from tui.data.db import describe

        error = DatabaseError(f"{paths.database_path(args.db)}: {describe(exc)}")
        _say(str(error))
        return error.exit_code
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except Signalled as exc:  # SIGTERM, SIGHUP or SIGQUIT during a write, which was undone
        return 128 + exc.signum
    except BrokenPipeError:
        # Output closed early (e.g. `| head`): not an error worth a message, nor is the
        # flush of what is still buffered when Python exits (which would exit 120).
        _discard_stdout()
        sys.stderr.close()
        return 0
    except OSError as exc:  # an ordinary refusal by the OS, named with its path and reason
        where = f"{os.fsdecode(exc.filename)}: " if exc.filename else ""
        _say(f"{where}{exc.strerror or exc}")
        return EXIT_IO
    except Exception as exc:
        log = crash_log(exc)
        _say(f"internal error: {type(exc).__name__}: {exc} (details in {log})")
        return EXIT_INTERNAL
    finally:
        if not explorer:
            sys.stdout = saved


def _select_corpus(args: argparse.Namespace) -> None:
    """`args.corpus_dir`: the corpus `--corpus` or $ROUNDTABLE_CORPUS selects (or None), and
    its database `DIR/roundtable.db` as `args.db` unless `--db` (or, for a corpus from the
    environment, $ROUNDTABLE_DB) names another."""
    flag = getattr(args, "corpus", None)
    args.corpus_dir = paths.corpus_dir(flag)
    if (
        args.corpus_dir is None
        and args.db is None
        and not os.environ.get("ROUNDTABLE_DB")
        and paths.has_user_corpus()
    ):
        args.corpus_dir = paths.user_corpus()  # the user's own, made by `roundtable add`
    if args.corpus_dir is not None and args.db is None:
        if flag or not os.environ.get("ROUNDTABLE_DB"):
            args.db = str(paths.corpus_database(args.corpus_dir))


def _say(message: str) -> None:
    """The one line on stderr: a path, ref or SQLite message in it may hold a newline or an
    escape sequence, shown as a visible stand-in rather than acted on by the terminal."""
    from tui.textsafe import clean

    print(f"roundtable: {clean(message, single_line=True)}", file=sys.stderr)


def run() -> None:
    sys.exit(main())
