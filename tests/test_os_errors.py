"""Ordinary refusals by the OS are one line naming the path and the OS's reason, with the exit
code the README lists, never "internal error"; and argument errors are one line plus the usage.

Root ignores file modes, so where a test needs a folder it cannot write, the command runs in a
child process without the capability that lets root ignore them (`setpriv`)."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pilotkit import SIZE, settle
from textual.widgets import Input, Static

from tui.app.explorer import RoundtableApp
from tui.app.screens.export import ExportScreen
from tui.app.screens.main import MainScreen

LONG = "n" * 256  # one byte over what a name may hold


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "ROUNDTABLE_DB"}
    return {**env, "PYTHONPATH": os.pathsep.join(sys.path)}


def _mortal() -> list[str]:
    """A prefix that runs a command as one whom file modes stop (for root: without the
    capabilities to override them)."""
    if os.geteuid() != 0:
        return []
    if not shutil.which("setpriv"):
        pytest.skip("running as root and without setpriv: modes do not stop root")
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"]


def _roundtable(*args: str, **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*_mortal(), sys.executable, "-m", "tui", *args],
        capture_output=True, text=True, env=_env(), timeout=120, **kwargs,
    )  # fmt: skip


def _one_line(err: str) -> str:
    assert err.count("\n") == 1 and err.startswith("roundtable: "), err
    assert "internal error" not in err and "Traceback" not in err
    return err


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    yield folder
    folder.chmod(0o755)


# --- names the OS will not take -------------------------------------------------------------


def test_names_over_255_bytes_are_one_line(cli, seed_db, mini_seed_dir, tmp_path):
    db = cli("build", "--seed", str(mini_seed_dir), "--db", str(tmp_path / f"{LONG}.db"))
    assert db.code == 3 and "File name too long" in _one_line(db.err)
    seed = cli("build", "--seed", str(tmp_path / LONG), "--db", str(tmp_path / "x.db"))
    assert seed.code == 2 and "File name too long" in _one_line(seed.err)
    out = cli("--db", str(seed_db), "export", "person", "-o", str(tmp_path / LONG))
    assert out.code == 2 and "File name too long" in _one_line(out.err)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["seed"]


def test_a_nul_in_the_output_name_is_one_line(cli, seed_db, tmp_path):
    result = cli("--db", str(seed_db), "export", "person", "-o", str(tmp_path / "a\0b.csv"))
    assert result.code == 2 and "NUL" in _one_line(result.err)
    assert list(tmp_path.iterdir()) == []


# --- folders the user cannot write ----------------------------------------------------------


def test_build_into_a_read_only_folder_is_one_line(mini_seed_dir, read_only):
    target = read_only / "x.db"
    result = _roundtable("build", "--seed", str(mini_seed_dir), "--db", str(target))
    assert result.returncode == 3
    assert _one_line(result.stderr) == f"roundtable: {target}: cannot write (Permission denied)\n"
    assert list(read_only.iterdir()) == []


# The bundled database, moved into a folder of the test's choosing.
BUNDLED_AT = (
    "import sys, pathlib; from tui import paths; paths.DEFAULT_DB = pathlib.Path(sys.argv[1]); "
    "from tui.cli.main import main; sys.exit(main(sys.argv[2:]))"
)


def test_a_stale_bundled_database_that_cannot_be_rebuilt_is_still_read(seed_db, tmp_path):
    folder = tmp_path / "installed"
    folder.mkdir()
    db = folder / "roundtable.db"
    db.write_bytes(seed_db.read_bytes())
    # Built from another schema: only a full rebuild will do (an unchanged corpus, found by
    # the incremental path, would need no write at all).
    with contextlib.closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("UPDATE meta SET value = 'older' WHERE key = 'schema_sha256'")
    os.utime(db, (0, 0))  # older than the seed: due for a rebuild
    folder.chmod(0o555)
    try:
        result = subprocess.run(
            [*_mortal(), sys.executable, "-c", BUNDLED_AT, str(db), "search", "Tokayev", "--json"],
            capture_output=True, text=True, env=_env(), timeout=120,
        )  # fmt: skip
    finally:
        folder.chmod(0o755)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count('"ref": "person:kassym-jomart-tokayev"') == 1
    note = _one_line(result.stderr)
    assert note.startswith("roundtable: note:") and "Permission denied" in note
    assert str(db) in note and sorted(p.name for p in folder.iterdir()) == ["roundtable.db"]


def test_a_missing_bundled_database_that_cannot_be_built_is_one_line(read_only):
    db = read_only / "roundtable.db"
    result = subprocess.run(
        [*_mortal(), sys.executable, "-c", BUNDLED_AT, str(db), "list", "person"],
        capture_output=True, text=True, env=_env(), timeout=120,
    )  # fmt: skip
    assert result.returncode == 3
    assert str(db) in _one_line(result.stderr) and "Permission denied" in result.stderr


# --- standard output full or closed ---------------------------------------------------------


def test_standard_output_full_is_one_line_and_exit_74(seed_db, tmp_path):
    full = tmp_path / "full"
    try:
        os.mknod(full, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
    except OSError as exc:
        pytest.skip(f"cannot make a device node here: {exc}")
    for args in (["list", "person"], ["show", "person:xi-jinping", "--json"]):
        with full.open("w") as out:
            result = subprocess.run(
                [sys.executable, "-m", "tui", "--db", str(seed_db), *args],
                stdout=out, stderr=subprocess.PIPE, text=True, env=_env(), timeout=120,
            )  # fmt: skip
        assert result.returncode == 74
        assert _one_line(result.stderr) == (
            "roundtable: cannot write standard output: No space left on device\n"
        )


def test_standard_output_closed_is_one_line_unless_nothing_goes_there(seed_db, tmp_path):
    def closed() -> None:
        os.close(1)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "tui", "--db", str(seed_db), *args],
            stderr=subprocess.PIPE, text=True, env=_env(), timeout=120, preexec_fn=closed,
        )  # fmt: skip

    listed = run("list", "person")
    assert listed.returncode == 74
    assert (
        _one_line(listed.stderr)
        == "roundtable: cannot write standard output: Bad file descriptor\n"
    )
    target = tmp_path / "people.csv"
    exported = run("export", "person", "-o", str(target))
    assert exported.returncode == 0 and exported.stderr == f"Wrote 10 rows to {target}\n"
    assert target.read_text(encoding="utf-8").startswith("ref,name,")


# --- the export dialog ----------------------------------------------------------------------


async def test_export_dialog_shows_os_refusals_inline_and_the_session_goes_on(seed_db, tmp_path):
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.press("4", "e")
        await settle(pilot, lambda: isinstance(app.screen, ExportScreen))
        status = app.screen.query_one("#export-status", Static)
        box = app.screen.query_one(Input)
        for name, reason in ((LONG, "File name too long"), ("a\0b", "NUL"),
                             (f"{tmp_path}/newdir/", "Is a directory"),
                             (str(seed_db), "the database being exported")):  # fmt: skip
            box.value = str(tmp_path / name) if "/" not in name else name
            await pilot.press("enter")
            if name == str(seed_db):  # a file that exists: the dialog asks first
                await settle(pilot, lambda: "Exists: " in str(status.render()))
                await pilot.press("enter")
            await settle(pilot, lambda: "Not written" in str(status.render()))
            assert reason in str(status.render()) and isinstance(app.screen, ExportScreen)
            status.update("")
        box.value = str(tmp_path / "people.csv")
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["people.csv"]


async def test_export_dialog_survives_the_database_going_bad_mid_export(
    seed_db, tmp_path, monkeypatch
):
    from tui.data import exporting

    real = exporting.kind_rows

    def garbled(conn, *args, **kwargs):  # the file overwritten while the export reads it
        rows = real(conn, *args, **kwargs)
        yield next(rows)
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(exporting, "kind_rows", garbled)
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.press("4", "e")
        await settle(pilot, lambda: isinstance(app.screen, ExportScreen))
        app.screen.query_one(Input).value = str(tmp_path / "people.csv")
        await pilot.press("enter")
        status = app.screen.query_one("#export-status", Static)
        await settle(pilot, lambda: "Not written" in str(status.render()))
        assert "corrupt" in str(status.render()) and isinstance(app.screen, ExportScreen)
    assert list(tmp_path.iterdir()) == []


# --- argument errors ------------------------------------------------------------------------


def test_an_argument_error_is_one_line_and_the_commands_usage(capsys):
    from tui.cli.main import main

    for argv, said in (
        (["search"], "roundtable search: the following arguments are required: query"),
        (["search", "x", "--limit", "many"], "roundtable search: argument --limit: invalid int"),
        (["list", "person", "--bogus"], "roundtable list: unrecognized arguments: --bogus"),
        (["export", "person", "--format", "xml"], "roundtable export: argument --format"),
    ):
        with pytest.raises(SystemExit) as exited:
            main(argv)
        err = capsys.readouterr().err
        command = argv[0]
        assert exited.value.code == 2 and err.count("\n") == 2, err
        error, usage = err.splitlines()
        assert error.startswith(said)
        assert usage.startswith(f"usage: roundtable {command} [-h]")


def test_an_empty_kind_is_an_error_not_no_filter(cli, seed_db):
    result = cli("--db", str(seed_db), "search", "Tokayev", "--kind", "")
    assert result.code == 2 and "unknown kind ''" in _one_line(result.err)
    about = cli("--db", str(seed_db), "timeline", "--about", "")
    assert about.code == 4 and "no entity with ref ''" in _one_line(about.err)


def test_a_query_starting_with_a_dash_goes_after_double_dash(cli, seed_db, capsys):
    from tui.cli.main import main

    with pytest.raises(SystemExit):
        main(["--db", str(seed_db), "search", "-Tokayev"])
    err = capsys.readouterr().err
    assert "roundtable search -- -x" in err.splitlines()[0]
    assert "[--] query" in err.splitlines()[1]
    found = cli("--db", str(seed_db), "search", "--json", "--", "-Tokayev")
    assert found.code == 0 and found.json()[0]["ref"] == "person:kassym-jomart-tokayev"


def test_an_empty_file_name_is_an_error_not_the_default(cli, seed_db, mini_seed_dir, tmp_path):
    for args, flag in (
        (["--db", "", "list", "person"], "--db"),
        (["--db", str(seed_db), "export", "person", "-o", ""], "--output/-o"),
        (["build", "--seed", "", "--db", str(tmp_path / "x.db")], "--seed"),
    ):
        result = cli(*args)
        assert result.code == 2 and result.out == ""
        assert _one_line(result.err) == f"roundtable: {flag} needs a file name, not an empty one\n"
    assert [p.name for p in tmp_path.iterdir()] == ["seed"]
