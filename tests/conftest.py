"""Shared fixtures: the real seed built once per session, and small seeds built per test."""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from seedkit import write_seed

from tui import paths
from tui.cli.main import main
from tui.data.build import build


@pytest.fixture(autouse=True)
def _in_a_scratch_folder(tmp_path_factory: pytest.TempPathFactory, monkeypatch) -> None:
    """Every test runs in an empty folder of its own, so what the app writes by default (an
    export named after its pane, a crash log) lands there and never in the checkout."""
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))
    # The user's own corpus (made by `roundtable add`) lives in the data directory: each test
    # has an empty one, so neither the developer's corpus nor another test's changes a result.
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("data")))
    # Output is as piped output is, whatever width the terminal running the tests has (a
    # test that wants a width sets COLUMNS itself); parallel workers may inherit one.
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.delenv("LINES", raising=False)


@pytest.fixture(scope="session")
def seed_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled seed, built into a temporary database once for the session."""
    path = tmp_path_factory.mktemp("seed") / "roundtable.db"
    build(paths.SEED_DIR, path)
    return path


@pytest.fixture
def seed_conn(seed_db: Path) -> sqlite3.Connection:
    from tui.data.db import open_readonly

    conn = open_readonly(seed_db)
    yield conn
    conn.close()


@pytest.fixture
def mini_seed_dir(tmp_path: Path) -> Path:
    return write_seed(tmp_path / "seed")


@pytest.fixture
def mini_db(tmp_path: Path, mini_seed_dir: Path) -> Path:
    path = tmp_path / "mini.db"
    build(mini_seed_dir, path)
    return path


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self):
        return json.loads(self.out)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., Result]:
    """Run `roundtable ARGS` in-process; returns exit code, stdout and stderr."""

    def run(*args: str) -> Result:
        code = main(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run
