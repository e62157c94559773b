"""The explorer in a real terminal (tmux) under signals and pasted text: a signal that ends it
leaves the terminal as it found it, and a paste is text, never keys."""

from __future__ import annotations

import os
import shlex
import signal
import sys
from pathlib import Path

import pytest
from termkit import Tmux, clean_env, processes_with, roundtable, wait_until

# What tmux knows of the pane's terminal modes: alternate screen, cursor shown, mouse reporting.
MODES = "#{alternate_on} #{cursor_flag} #{mouse_any_flag}#{mouse_button_flag}#{mouse_sgr_flag}"
USABLE = "0 1 000"  # the main screen, the cursor visible, no mouse reporting


@pytest.fixture
def tmux(tmp_path: Path):
    session = Tmux(tmp_path)
    yield session
    session.kill()


def start_in_shell(tmux: Tmux, db: Path) -> Path:
    """Run the explorer from a shell that, once it ends, records its exit status and the tty's
    modes (as `stty -a` shows them) and waits for a key: the terminal it leaves behind."""
    after = tmux.workdir / "after.txt"
    explorer = shlex.join([*roundtable(), "--db", str(db)])
    script = f"{explorer}; echo status=$? > {after}; stty -a >> {after}; read line"
    tmux.start(["sh", "-c", script], clean_env(tmux.workdir))
    tmux.wait_for("1 Companies", "Acme Energy")
    assert tmux.info(MODES) != USABLE  # the explorer has the terminal
    return after


def explorer_pid(db: Path) -> int:
    """The explorer's own process (not the shell or `env` that started it)."""
    found = [pid for pid, command in processes_with(str(db)) if command.startswith(sys.executable)]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("sig", ["SIGTERM", "SIGQUIT", "SIGUSR1", "SIGALRM"])
def test_a_signal_restores_the_terminal(tmux, mini_db, sig):
    after = start_in_shell(tmux, mini_db)
    number = getattr(signal, sig)
    os.kill(explorer_pid(mini_db), number)
    wait_until(after.exists, "the explorer to end")
    report = wait_until(lambda: after.read_text() if "speed" in after.read_text() else "", "stty")
    assert f"status={128 + number}" in report
    assert tmux.info(MODES) == USABLE
    modes = report.split()
    assert "icanon" in modes and "echo" in modes and "-icanon" not in modes  # not raw
    assert "Acme Energy" not in tmux.screen()  # the explorer's screen is gone with it

