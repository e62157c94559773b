"""The explorer over a real SSH connection: a private `sshd` on 127.0.0.1, `ssh -tt` in a tmux
pane running `roundtable` on the far side. The journey works as on a local terminal, and a
dropped connection (the client killed, or the server's session) leaves no `roundtable` behind.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from termkit import (
    Sshd,
    Tmux,
    children_of,
    clean_env,
    command_line,
    is_roundtable,
    processes_with,
    roundtable,
    wait_until,
)


@pytest.fixture
def sshd(tmp_path: Path):
    server = Sshd(tmp_path)
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture
def tmux(tmp_path: Path):
    session = Tmux(tmp_path)
    yield session
    session.kill()


def ssh_roundtable(tmux: Tmux, sshd: Sshd, db: Path, term: str = "xterm-256color") -> Tmux:
    """`ssh -tt` into `roundtable --db DB` (its environment set with `env`), in the pane."""
    home = tmux.workdir / "remote-home"
    home.mkdir(exist_ok=True)
    remote_env = [f"{name}={value}" for name, value in clean_env(home, TERM=term).items()]
    remote = ["env", "-i", *remote_env, *roundtable(), "--db", str(db)]
    return tmux.start(sshd.command(remote), clean_env(tmux.workdir, TERM=term))


def remote_roundtable(sshd: Sshd, db: Path) -> list[int]:
    """The `roundtable` processes an SSH session of `sshd` started on `db`."""
    under_sshd = set(sshd.sessions())
    return [
        pid
        for pid, line in processes_with(str(db))
        if pid in under_sshd and is_roundtable(line) and "ssh" not in line.split()[0]
    ]


def test_journey_over_ssh(tmux, sshd, mini_db):
    ssh_roundtable(tmux, sshd, mini_db)
    tmux.wait_for("1 Companies", "Acme Energy", "Steppe Bank", "q Quit")
    assert remote_roundtable(sshd, mini_db), "roundtable is not running under sshd"
    tmux.type("/")
    tmux.wait_for("Type to search")
    tmux.type("Petrov")
    tmux.wait_for("Ivan Petrov", "5 hits")
    tmux.keys("Enter")
    tmux.wait_for("Panes › Ivan Petrov", "reported by")
    tmux.keys("Enter")  # the first link: his company
    tmux.wait_for("Panes › Ivan Petrov › Acme Energy", "org type")
    tmux.type("Q")  # quits from anywhere (q would only close the detail)
    assert tmux.wait_exit() == 0  # ssh passes on the remote command's exit status
    assert "Traceback" not in tmux.transcript()
    wait_until(lambda: not remote_roundtable(sshd, mini_db), "roundtable to end", timeout=5)
    assert not list((tmux.workdir / "remote-home" / "state").rglob("crash-*.log"))


def _kill_client(tmux: Tmux, sshd: Sshd) -> None:
    pid = tmux.pane_pid()  # `env -i ... ssh`: env has become ssh
    assert command_line(pid).startswith(sshd.ssh), command_line(pid)
    os.kill(pid, signal.SIGKILL)


def _kill_server_session(tmux: Tmux, sshd: Sshd) -> None:
    sessions = [pid for pid in children_of(sshd.proc.pid) if command_line(pid).startswith("sshd")]
    assert sessions, "no sshd session process"
    for pid in sessions:
        os.kill(pid, signal.SIGKILL)


@pytest.mark.parametrize(
    "drop", [_kill_client, _kill_server_session], ids=["client killed", "server session killed"]
)
def test_dropped_connection_leaves_no_process(tmux, sshd, mini_db, drop):
    ssh_roundtable(tmux, sshd, mini_db)
    tmux.wait_for("1 Companies", "Acme Energy")
    tmux.type("/")  # mid-journey: a search open
    tmux.wait_for("Type to search")
    running = remote_roundtable(sshd, mini_db)
    assert running, "roundtable is not running under sshd"
    dropped = time.monotonic()
    drop(tmux, sshd)
    wait_until(
        lambda: not any(command_line(pid) for pid in running), "roundtable to exit", timeout=5
    )
    print(f"\nroundtable ended {time.monotonic() - dropped:.2f} s after the connection dropped")
    assert tmux.wait_exit(timeout=5) != 0  # and the ssh client is gone too
