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


def start(tmux: Tmux, db: Path) -> None:
    tmux.start([*roundtable(), "--db", str(db)], clean_env(tmux.workdir))
    tmux.wait_for("1 Companies", "Acme Energy")


def paste(tmux: Tmux, text: str) -> None:
    """Paste `text` as a terminal does with bracketed paste on (tmux paste-buffer -p)."""
    tmux.run("set-buffer", "-b", "clip", "--", text)
    tmux.run("paste-buffer", "-p", "-b", "clip", "-t", "main")


@pytest.mark.parametrize(
    "text",
    ["hello\x1b]T", "x\x1b]0;T\x07q", "x\x1b[201~\r", "T?/q"],
    ids=["osc-then-T", "osc-title-then-q", "fake-paste-end-then-enter", "plain-keys"],
)
def test_paste_outside_an_input_runs_no_key(tmux, mini_db, text):
    """Pasted on the panes (no input has focus): ignored, nothing opens, nothing quits."""
    start(tmux, mini_db)
    paste(tmux, text)
    tmux.type("2")  # a real key after the paste still works: Meetings
    shown = tmux.wait_for("Petrov meets Nurlanova")  # the Meetings pane, nothing over it
    assert tmux.exit_status() is None  # not quit
    assert "Totals" not in shown and "Roundtable keys" not in shown
    assert "Type to search" not in shown


def test_paste_into_search_is_text(tmux, mini_db):
    """Pasted into the search box: it is typed there, escapes shown as characters, and a fake
    paste end inside it presses no Enter (which would open the highlighted hit)."""
    start(tmux, mini_db)
    tmux.type("/")
    tmux.wait_for("Type to search")
    tmux.type("Petrov")
    tmux.wait_for("5 hits")
    paste(tmux, "x\x1b[201~\rT")
    tmux.type("z")  # typed after the paste: it lands in the box, after all the pasted text
    shown = tmux.wait_for("Petrovx", "Tz")
    assert "Totals" not in shown and "Panes › Ivan Petrov" not in shown
    tmux.keys("Escape")
    tmux.wait_for("Acme Energy")
    tmux.type("q")
    assert tmux.wait_exit() == 0
