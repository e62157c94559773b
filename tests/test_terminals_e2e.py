"""The real `roundtable` command in a real terminal (tmux): every common TERM, NO_COLOR, 80x24
and small sizes, resizing at any moment, --no-mouse, a killed terminal, a crash."""

from __future__ import annotations

import contextlib
import random
import time
from pathlib import Path

import pytest
from termkit import (
    SRC,
    Tmux,
    cells,
    clean_env,
    colour_kinds,
    invisible_text,
    processes_with,
    roundtable,
    wait_until,
)

from tui.app.terminal import MIN_HEIGHT, MIN_WIDTH
from tui.kinds import LABEL_WIDTH


@pytest.fixture
def tmux(tmp_path: Path):
    session = Tmux(tmp_path)
    yield session
    session.kill()


def start(tmux: Tmux, db: Path, *args: str, size=(80, 24), **env: str) -> Tmux:
    return tmux.start([*roundtable(), "--db", str(db), *args], clean_env(tmux.workdir, **env), size)


def row_style(captured: str, text: str) -> tuple:
    """How the first character of the line holding `text` is drawn: (fg, bg, reverse, ...)."""
    for row in cells(captured):
        plain = "".join(c.char for c in row)
        if text in plain:
            return row[plain.index(text)].style()
    raise AssertionError(f"{text!r} not on screen")


def no_crash_logs(tmux: Tmux) -> None:
    logs = list((tmux.workdir / "state").rglob("crash-*.log"))
    assert not logs, logs[0].read_text()


TERMINALS = {
    # name: (environment, colour encodings the screen may use)
    "xterm": ({"TERM": "xterm"}, {"16"}),
    "screen": ({"TERM": "screen"}, {"16"}),
    "linux console": ({"TERM": "linux"}, {"16"}),
    "256 colours": ({"TERM": "xterm-256color"}, {"256"}),
    "truecolor": ({"TERM": "xterm-256color", "COLORTERM": "truecolor"}, {"rgb"}),
    "NO_COLOR": ({"TERM": "xterm-256color", "NO_COLOR": "1"}, set()),
}


@pytest.mark.parametrize("terminal", TERMINALS)
def test_journey_legible_on_every_terminal(tmux, mini_db, terminal):
    """Open, move, search, open a hit, follow a link, go back, quit: at 80x24, legible."""
    env, allowed = TERMINALS[terminal]
    start(tmux, mini_db, **env)
    tmux.wait_for("1 Companies", "Acme Energy", "Steppe Bank", "q Quit")
    assert tmux.size() == (80, 24)
    screens = [tmux.screen(escapes=True)]
    # the cursor row stands out from the row below it, with colour or without
    assert row_style(screens[0], "Acme Energy") != row_style(screens[0], "Steppe Bank")
    tmux.keys("Down")
    wait_until(
        lambda: (
            row_style(tmux.screen(escapes=True), "Steppe Bank")
            != row_style(tmux.screen(escapes=True), "Acme Energy")
        ),
        "the cursor to move",
    )
    tmux.type("/")
    tmux.wait_for("Type to search")
    tmux.type("Petrov")
    shown = tmux.wait_for("Ivan Petrov", "5 hits")
    screens.append(tmux.screen(escapes=True))
    person, meeting = f"{'person':<{LABEL_WIDTH}} Ivan", f"{'meeting':<{LABEL_WIDTH}} Petrov"
    assert row_style(screens[-1], person) != row_style(screens[-1], meeting)
    tmux.keys("Enter")
    tmux.wait_for("Panes › Ivan Petrov", "reported by")
    screens.append(tmux.screen(escapes=True))
    tmux.keys("Enter")  # the first link: his company
    shown = tmux.wait_for("Panes › Ivan Petrov › Acme Energy", "org type")
    screens.append(tmux.screen(escapes=True))
    tmux.keys("Escape")
    shown = tmux.wait_for("Panes › Ivan Petrov", "chairman")
    assert "Acme Energy ›" not in shown
    tmux.type("q")  # closes the detail: back to the search, kept with its query
    tmux.wait_for("Panes › Ivan Petrov", gone=True)
    tmux.wait_for("Petrov", "5 hits")
    tmux.keys("Escape")  # closes the search: back to the panes, where q quits
    tmux.wait_for("1 Companies", "Acme Energy", "q Quit")
    tmux.type("q")
    assert tmux.wait_exit() == 0
    for screen in screens:
        assert colour_kinds(screen) == allowed, colour_kinds(screen)
        assert not invisible_text(screen), invisible_text(screen)[:5]
    no_crash_logs(tmux)


def test_usable_at_40x10(tmux, mini_db):
    start(tmux, mini_db, size=(MIN_WIDTH, MIN_HEIGHT), TERM="screen")
    tmux.wait_for("1 Companies", "Acme Energy", "^p")
    assert "too small" not in tmux.screen().lower()
    tmux.type("/")
    tmux.wait_for("Type to search")
    tmux.type("Nurlanova")
    tmux.wait_for("Aigerim Nurlanova")
    tmux.keys("Enter")
    # Her name in the path, and the row highlighted (her first link) whole, both of its
    # lines: at 40x10 the detail scrolls for it (one line), however fast it was read.
    tmux.wait_for("Panes › Aigerim Nurlanova", "Petrov meets Nurlanova", "participant  ·1 article")
    tmux.keys("Escape")  # back to the search, kept with its query
    tmux.wait_for("Nurlanova", "4 hits")
    tmux.keys("Escape")
    tmux.wait_for("Acme Energy")
    tmux.type("q")
    assert tmux.wait_exit() == 0


def test_too_small_shows_a_notice_and_recovers(tmux, mini_db):
    start(tmux, mini_db, size=(MIN_WIDTH - 1, MIN_HEIGHT + 5), TERM="linux")
    tmux.wait_for(f"Too small: {MIN_WIDTH - 1}x{MIN_HEIGHT + 5}", f"{MIN_WIDTH}x{MIN_HEIGHT}")
    tmux.resize(80, 24)
    shown = tmux.wait_for("Acme Energy", "1 Companies")
    assert "Too small" not in shown and "Type to search" not in shown
    tmux.resize(60, MIN_HEIGHT - 1)
    tmux.wait_for(f"Too small: 60x{MIN_HEIGHT - 1}")
    # Nothing opens above the notice, and q still quits: had `/` opened search, `?q` would be
    # typed into it; had `?` opened the keys, `q` would only close them. (Keys reach the app
    # in order: no pause is needed between them.)
    tmux.type("/?q")
    assert tmux.wait_exit() == 0


@pytest.mark.parametrize("size", [(1, 1), (2, 2), (12, 4), (MIN_WIDTH, 3), (300, 2)])
def test_starts_at_any_size(tmux, mini_db, size):
    start(tmux, mini_db, size=size)
    wait_until(lambda: tmux.screen().strip(), "anything on screen")  # its first frame, drawn
    assert tmux.exit_status() is None  # still running
    tmux.resize(80, 24)
    tmux.wait_for("Acme Energy")
    tmux.type("q")
    assert tmux.wait_exit() == 0
    no_crash_logs(tmux)


def test_resizing_at_any_moment(tmux, mini_db):
    """Resize between and during keystrokes: opening search, typing, loading a detail."""
    start(tmux, mini_db, TERM="xterm")
    tmux.wait_for("Acme Energy")
    rng = random.Random(7)
    steps = ["/", "type:Pet", "type:rov", "Enter", "Down", "Enter", "Escape", "Escape", "3",
             "Tab", "/", "type:Acme", "Escape"]  # fmt: skip
    sizes = [(1, 1), (MIN_WIDTH, MIN_HEIGHT), (39, 9), (200, 60), (81, 25), (20, 40), (80, 5)]
    for step in steps:
        for _ in range(3):
            tmux.resize(*rng.choice(sizes))
            time.sleep(rng.random() * 0.03)
        if step.startswith("type:"):
            tmux.type(step[5:])
        elif len(step) == 1:
            tmux.type(step)
        else:
            tmux.keys(step)
        assert tmux.exit_status() is None, tmux.transcript()
    tmux.resize(80, 24)
    for _ in range(8):  # back to the panes from wherever the keys led, however slowly
        if "1 Companies" in tmux.screen():
            break
        tmux.keys("Escape")
        with contextlib.suppress(AssertionError):
            tmux.wait_for("1 Companies", timeout=1.5)
    tmux.type("1")
    tmux.wait_for("Companies 2", "Acme Energy")
    tmux.type("q")
    assert tmux.wait_exit() == 0
    no_crash_logs(tmux)


MOUSE_FLAGS = "#{mouse_any_flag}#{mouse_button_flag}#{mouse_standard_flag}#{mouse_sgr_flag}"


def test_no_mouse_leaves_the_mouse_to_the_terminal(tmux, mini_db):
    start(tmux, mini_db, "--no-mouse")
    tmux.wait_for("Acme Energy")
    assert set(tmux.info(MOUSE_FLAGS)) == {"0"}  # no mouse reporting was asked for
    tmux.type("q")
    assert tmux.wait_exit() == 0


def test_mouse_is_captured_by_default(tmux, mini_db):
    start(tmux, mini_db)
    tmux.wait_for("Acme Energy")
    assert "1" in tmux.info(MOUSE_FLAGS)
    tmux.type("q")
    assert tmux.wait_exit() == 0


def test_killed_terminal_leaves_no_process(tmux, mini_db):
    start(tmux, mini_db)
    tmux.wait_for("Acme Energy")
    marker = str(mini_db)
    assert processes_with(marker)
    tmux.kill()  # the terminal goes away: the app gets SIGHUP and its tty hangs up
    wait_until(lambda: not processes_with(marker), "roundtable to exit", timeout=5)


def test_crash_exits_non_zero_with_one_line_and_a_log(tmux, mini_db, tmp_path):
    """An unexpected bug: the screen is restored, one line names the log, exit 70."""
    inject = tmp_path / "inject"
    inject.mkdir()
    (inject / "sitecustomize.py").write_text(
        "import tui.data.queries\n"
        "def broken(*args, **kwargs):\n"
        "    raise RuntimeError('injected bug')\n"
        "tui.data.queries.list_page = broken\n",
        encoding="utf-8",
    )
    start(tmux, mini_db, PYTHONPATH=str(inject))
    assert tmux.wait_exit() == 70
    lines = [line for line in tmux.transcript().splitlines() if line.strip()]
    assert lines[0].startswith("roundtable: internal error: RuntimeError: injected bug")
    assert "Traceback" not in tmux.transcript()
    logs = list((tmux.workdir / "state").rglob("crash-*.log"))
    assert len(logs) == 1 and str(logs[0]) in lines[0]
    log = logs[0].read_text()
    assert "Traceback" in log and "injected bug" in log and "list_page" in log
    # the code that ran, and crashed, is this checkout's, not an installed `roundtable`'s
    assert f'File "{SRC / "tui" / "cli" / "main.py"}"' in log, log


def test_database_error_inside_the_explorer_is_one_line(tmux, mini_db, tmp_path):
    """The database breaks under a running explorer: one line naming it, exit 3."""
    inject = tmp_path / "inject"
    inject.mkdir()
    (inject / "sitecustomize.py").write_text(
        "import sqlite3, tui.data.queries\n"
        "def broken(*args, **kwargs):\n"
        "    raise sqlite3.DatabaseError('database disk image is malformed')\n"
        "tui.data.queries.list_page = broken\n",
        encoding="utf-8",
    )
    start(tmux, mini_db, PYTHONPATH=str(inject))
    assert tmux.wait_exit() == 3
    lines = [line for line in tmux.transcript().splitlines() if line.strip()]
    assert lines[0] == f"roundtable: {mini_db}: database file is corrupt or not an SQLite database"
    assert not list((tmux.workdir / "state").rglob("crash-*.log"))
