"""Where Roundtable finds its seed and schema, and where its default database lives.

From a checkout (or an editable install of one), everything is the checkout's: `seed/`,
`db/schema.sql`, and the database built beside the schema in `db/roundtable.db`. An installed
wheel carries the seed and schema inside the package, in `tui/bundled/` (see pyproject.toml),
and builds the bundled corpus's database into the user's data directory, never into the
installation. `--db` and `ROUNDTABLE_DB` override the default database in both cases.

`--corpus DIR` (or `ROUNDTABLE_CORPUS`) selects another corpus, a folder made by
`roundtable init`; its database is `DIR/roundtable.db` unless `--db` names another. Without
either, once `roundtable add` has made the user's own corpus (a copy of the bundled one, in
the user's data directory), that corpus is the default; until then, the bundled one.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

APP_NAME = "roundtable"
PACKAGE_DIR = Path(__file__).resolve().parent
BUNDLED_DIR = PACKAGE_DIR / "bundled"  # only in a wheel: the source tree has no such folder
PROJECT_ROOT = PACKAGE_DIR.parents[1]  # the checkout, when running from one
INSTALLED = (BUNDLED_DIR / "schema.sql").is_file()

if INSTALLED:
    SEED_DIR = BUNDLED_DIR / "seed"
    SCHEMA_FILE = BUNDLED_DIR / "schema.sql"
    DEFAULT_DB = Path(user_data_dir(APP_NAME, appauthor=False)) / "roundtable.db"
else:
    SEED_DIR = PROJECT_ROOT / "seed"
    SCHEMA_FILE = PROJECT_ROOT / "db" / "schema.sql"
    DEFAULT_DB = PROJECT_ROOT / "db" / "roundtable.db"


def database_path(cli_value: str | None) -> Path:
    """The database to use: `--db`, else `ROUNDTABLE_DB`, else the bundled default."""
    if cli_value:
        return Path(cli_value)
    env = os.environ.get("ROUNDTABLE_DB")
    return Path(env) if env else DEFAULT_DB


CORPUS_DB = "roundtable.db"  # a corpus's own database, inside its folder


def corpus_dir(cli_value: str | None) -> Path | None:
    """The corpus selected: `--corpus`, else `ROUNDTABLE_CORPUS`, else None (the default)."""
    value = cli_value or os.environ.get("ROUNDTABLE_CORPUS")
    return Path(value) if value else None


def user_corpus() -> Path:
    """The user's own corpus: made from the bundled one the first time an article is added
    without `--corpus`, and from then on the corpus every command and the explorer use by
    default. (Read each time: the data directory follows $XDG_DATA_HOME.)"""
    return Path(user_data_dir(APP_NAME, appauthor=False)) / "corpus"


def has_user_corpus() -> bool:
    try:
        return (user_corpus() / "entities.yaml").is_file()
    except OSError:
        return False


def corpus_database(corpus: Path) -> Path:
    """Where a corpus's database lives unless `--db` says otherwise."""
    return Path(corpus) / CORPUS_DB
