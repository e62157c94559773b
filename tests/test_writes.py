"""`export -o PATH` and `build --db PATH` never clobber what PATH is: a device or FIFO is written
through, a symlink's target is replaced (the link stays), a folder is refused, modes are kept,
and an interruption by any stopping signal leaves the target as it was and no temporary file.

Devices are made with mknod inside the test's folder (skipped where that is not allowed), so
that code which replaces them can never replace the system's /dev/null or /dev/full."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _device(folder: Path, name: str, minor: int) -> Path:
    """A character device of the `mem` driver (3: null, 7: full) in `folder`."""
    path = folder / name
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, minor))
    except (PermissionError, OSError) as exc:
        pytest.skip(f"cannot make a device node here: {exc}")
    return path


def _is_device(path: Path) -> bool:
    return stat.S_ISCHR(os.lstat(path).st_mode)


@pytest.fixture
def umask() -> Iterator[Callable[[int], None]]:
    previous = os.umask(0o022)
    os.umask(previous)
    yield os.umask
    os.umask(previous)


# --- devices, FIFOs, standard output -------------------------------------------------------


def test_export_writes_through_to_a_device_and_reports_a_full_one(cli, seed_db, tmp_path):
    null, full = _device(tmp_path, "null", 3), _device(tmp_path, "full", 7)
    written = cli("--db", str(seed_db), "export", "person", "-o", str(null))
    assert written.code == 0 and _is_device(null)
    failed = cli("--db", str(seed_db), "export", "person", "-o", str(full))
    assert failed.code == 2 and _is_device(full)
    assert failed.err == f"roundtable: cannot write {full}: No space left on device\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["full", "null"]


def test_build_writes_through_to_a_device(cli, mini_seed_dir, tmp_path):
    null, full = _device(tmp_path, "null", 3), _device(tmp_path, "full", 7)
    assert cli("build", "--seed", str(mini_seed_dir), "--db", str(null)).code == 0
    failed = cli("build", "--seed", str(mini_seed_dir), "--db", str(full))
    assert failed.code == 3 and failed.err.count("\n") == 1
    assert "No space left on device" in failed.err and str(full) in failed.err
    assert _is_device(null) and _is_device(full)
    assert {p.name for p in tmp_path.iterdir()} == {"null", "full", "seed"}


def test_export_writes_through_to_a_fifo(cli, seed_db, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = cli("--db", str(seed_db), "export", "person", "--format", "jsonl", "-o", str(fifo))
    reader.join(timeout=60)
    assert result.code == 0 and stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert len(received[0].decode().splitlines()) == 10
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]


@pytest.mark.parametrize("name", ["/dev/fd/1", "/proc/self/fd/1"])
def test_build_and_export_to_standard_output_by_name(mini_seed_dir, mini_db, tmp_path, name):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    build = subprocess.run(
        [sys.executable, "-m", "tui", "build", "--seed", str(mini_seed_dir), "--db", name],
        capture_output=True, cwd=tmp_path, env=env, timeout=120,
    )  # fmt: skip
    assert build.returncode == 0, build.stderr
    assert build.stdout.startswith(b"SQLite format 3\0")  # the database, and nothing after it
    assert len(build.stdout) == mini_db.stat().st_size
    assert f"Built {name}".encode() in build.stderr
    export = subprocess.run(
        [sys.executable, "-m", "tui", "--db", str(mini_db), "export", "person", "-o", name],
        capture_output=True, cwd=tmp_path, env=env, timeout=120,
    )  # fmt: skip
    assert export.returncode == 0, export.stderr
    assert export.stdout.decode().startswith("ref,name,")


# --- symlinks, folders ----------------------------------------------------------------------


def test_a_symlinked_output_replaces_its_target_and_stays_a_link(cli, seed_db, tmp_path):
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "people.csv"
    target.write_text("old\n")
    link = tmp_path / "people.csv"
    link.symlink_to(target)
    assert cli("--db", str(seed_db), "export", "person", "-o", str(link)).code == 0
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text().startswith("ref,name,")
    assert sorted(p.name for p in (tmp_path / "real").iterdir()) == ["people.csv"]


def test_a_symlinked_database_is_rebuilt_at_its_target(cli, mini_seed_dir, mini_db, tmp_path):
    link = tmp_path / "link.db"
    link.symlink_to(mini_db)
    before = mini_db.stat().st_ino
    # (--full: the corpus is unchanged, so a plain build would just find it up to date.)
    assert cli("build", "--full", "--seed", str(mini_seed_dir), "--db", str(link)).code == 0
    assert link.is_symlink() and mini_db.stat().st_ino != before  # replaced, not written into
    assert mini_db.read_bytes().startswith(b"SQLite format 3\0")


def test_a_folder_is_refused_with_one_line(cli, seed_db, mini_seed_dir, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    export = cli("--db", str(seed_db), "export", "person", "-o", str(folder))
    assert export.code == 2 and export.err == f"roundtable: cannot write {folder}: Is a directory\n"
    build = cli("build", "--seed", str(mini_seed_dir), "--db", str(folder))
    assert build.code == 3 and build.err.count("\n") == 1 and "Is a directory" in build.err
    assert list(folder.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "seed"]


def test_a_name_ending_in_slash_never_writes_a_file_of_that_name(cli, seed_db, tmp_path):
    result = cli("--db", str(seed_db), "export", "person", "-o", f"{tmp_path}/newdir/")
    assert result.code == 2 and result.err.count("\n") == 1
    assert f"{tmp_path}/newdir/" in result.err
    assert list(tmp_path.iterdir()) == []


def test_exporting_over_the_database_being_read_is_refused(cli, mini_db, tmp_path):
    before = mini_db.read_bytes()
    result = cli("--db", str(mini_db), "export", "person", "-o", str(mini_db))
    assert result.code == 2 and result.err.count("\n") == 1
    assert "it is the database being exported" in result.err
    assert mini_db.read_bytes() == before


# --- modes ----------------------------------------------------------------------------------


@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_new_export_follows_the_umask(cli, seed_db, tmp_path, umask, mask, mode):
    umask(mask)
    target = tmp_path / "people.csv"
    assert cli("--db", str(seed_db), "export", "person", "-o", str(target)).code == 0
    assert stat.S_IMODE(target.stat().st_mode) == mode


def test_replacing_keeps_the_old_mode(cli, seed_db, mini_seed_dir, tmp_path, umask):
    umask(0o022)
    export = tmp_path / "people.csv"
    export.write_text("old\n")
    export.chmod(0o640)
    assert cli("--db", str(seed_db), "export", "person", "-o", str(export)).code == 0
    assert stat.S_IMODE(export.stat().st_mode) == 0o640
    db = tmp_path / "private.db"
    assert cli("build", "--seed", str(mini_seed_dir), "--db", str(db)).code == 0
    assert stat.S_IMODE(db.stat().st_mode) == 0o644
    db.chmod(0o600)
    assert cli("build", "--seed", str(mini_seed_dir), "--db", str(db)).code == 0
    assert stat.S_IMODE(db.stat().st_mode) == 0o600  # a private database stays private


# --- interrupted by a signal ----------------------------------------------------------------

# The child's last step, the rename of the new file into place, waits: the signal, sent once
# the new file shows up, then always comes while the write is under way, however fast the
# machine (a quiet one finished a whole export in the few milliseconds it took to see it).
SLOW_RENAME = (
    "import os, time; _replace = os.replace; "
    "os.replace = lambda a, b: (time.sleep(60), _replace(a, b))[1]; "
)
RUN_CLI = (
    "import runpy, sys; sys.argv[0] = 'roundtable'; runpy.run_module('tui', run_name='__main__')"
)


def _interrupt(argv: list[str], folder: Path, signum: int) -> subprocess.CompletedProcess[bytes]:
    """Run `argv` in a real process, send it `signum` once a new file shows up in `folder`
    (the write is under way), and return how it ended."""
    before = set(folder.iterdir())
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.Popen(
        argv,
        cwd=folder,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        # As a terminal's program gets it: a runner started under nohup, or in the background
        # of a script, ignores SIGHUP or SIGQUIT, and a child would inherit that.
        preexec_fn=lambda: signal.signal(signum, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 120
    while not set(folder.iterdir()) - before:
        assert proc.poll() is None, f"finished before it could be interrupted: {proc.stderr}"
        assert time.monotonic() < deadline, "no temporary file ever appeared"
        time.sleep(0.005)  # polling for a condition, not waiting a fixed time
    proc.send_signal(signum)
    out, err = proc.communicate(timeout=120)
    return subprocess.CompletedProcess(argv, proc.returncode, out, err)


STOPPING = [signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT]


@pytest.mark.parametrize("signum", STOPPING, ids=lambda s: signal.Signals(s).name)
def test_a_signal_during_an_export_leaves_the_old_file_and_no_temp(seed_db, tmp_path, signum):
    target = tmp_path / "all.ftm.jsonl"
    target.write_text("the previous export\n")
    argv = [sys.executable, "-c", SLOW_RENAME + RUN_CLI, "--db", str(seed_db), "export", "all",
            "--format", "ftm", "-o", str(target)]  # fmt: skip
    ended = _interrupt(argv, tmp_path, signum)
    assert ended.returncode == 128 + signum, ended.stderr
    assert target.read_text() == "the previous export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["all.ftm.jsonl"]


# The build in the child: the CLI's own `build` of the bundled corpus, its rename held back.
BUILD = SLOW_RENAME + (
    "import sys; from tui.cli.main import main; sys.exit(main(['build', '--db', sys.argv[1]]))"
)


@pytest.mark.parametrize("signum", STOPPING, ids=lambda s: signal.Signals(s).name)
def test_a_signal_during_a_build_leaves_the_old_database_and_no_temp(mini_db, tmp_path, signum):
    folder = tmp_path / "db"
    folder.mkdir()
    target = folder / "x.db"
    target.write_bytes(mini_db.read_bytes())
    ended = _interrupt([sys.executable, "-c", BUILD, str(target)], folder, signum)
    assert ended.returncode == 128 + signum, ended.stderr
    assert target.read_bytes() == mini_db.read_bytes()
    assert [p.name for p in folder.iterdir()] == ["x.db"]
