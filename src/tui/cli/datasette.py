"""`roundtable datasette`: the metadata that makes Datasette read the database well."""

from __future__ import annotations

import argparse
from typing import Any

HELP = "print Datasette metadata for the database (descriptions, internal tables hidden)"
EPILOG = """Save it and serve the database with it:
  roundtable datasette > metadata.json
  datasette db/roundtable.db --metadata metadata.json
The metadata names the database by its file name: print it again for another --db."""


def add_parser(commands: Any, parents: list[argparse.ArgumentParser]) -> None:
    p = commands.add_parser(
        "datasette",
        help=HELP,
        description=HELP,
        epilog=EPILOG,
        parents=parents,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from tui import paths
    from tui.cli.main import _print_json, connect_reading
    from tui.data.datasette_metadata import metadata

    connect_reading(args).close()  # (builds the bundled database if stale; checks it is ours)
    _print_json(metadata(paths.database_path(args.db)))
    return 0
