"""Where the project keeps its seed, schema and default database."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SEED_DIR = PROJECT_ROOT / "seed"
SCHEMA_FILE = PROJECT_ROOT / "db" / "schema.sql"
DEFAULT_DB = PROJECT_ROOT / "db" / "roundtable.db"


def database_path(cli_value: str | None) -> Path:
    """The database to use: `--db`, else `ROUNDTABLE_DB`, else the bundled default."""
    if cli_value:
        return Path(cli_value)
    env = os.environ.get("ROUNDTABLE_DB")
    return Path(env) if env else DEFAULT_DB
