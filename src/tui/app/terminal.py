"""The terminal the explorer runs on: how many colours it has, whether it is big enough, and
whether it is still there at all (an SSH connection can drop, a tmux pane can be killed)."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from textual.geometry import Size

if TYPE_CHECKING:
    from textual.app import App

MIN_WIDTH, MIN_HEIGHT = 40, 10  # below this the explorer shows a notice instead of panes
PLAIN_THEME = "ansi-dark"  # the terminal's own palette: legible on 16 colours and on none
EXIT_HANGUP = 129  # 128 + SIGHUP, what a shell reports for a hung-up command
HANGUP_GRACE_S = 2.0  # after a hangup, exit for certain within this long
TTY_CHECK_S = 0.5


def plain_colors(environ: Mapping[str, str] | None = None) -> bool:
    """True for NO_COLOR, and for terminals with 16 colours or fewer (TERM=linux, screen,
    xterm, vt100, dumb); False for 256-colour and truecolor terminals."""
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR") is not None:  # Textual's rule: set at all, even empty
        return True
    if env.get("COLORTERM", "").strip().lower() in ("truecolor", "24bit"):
        return False
    term = env.get("TERM", "").strip().lower()
    return not term.endswith(("-256color", "-truecolor", "-direct"))


def too_small(size: Size) -> bool:
    return size.width < MIN_WIDTH or size.height < MIN_HEIGHT


@contextlib.contextmanager
def hangup_guard(app: App) -> Iterator[None]:
    """While the app runs: if its terminal hangs up (SIGHUP, or the tty stops being one),
    ask the app to exit with EXIT_HANGUP, and end the process for certain HANGUP_GRACE_S later
    (a dead terminal can block the app's own shutdown writes)."""
    fd = next(
        (f.fileno() for f in (sys.__stdin__, sys.__stdout__) if f is not None and _is_tty(f)), None
    )
    if fd is None or threading.current_thread() is not threading.main_thread():
        yield
        return
    done = threading.Event()
    fired = threading.Event()

    def hang_up() -> None:
        if fired.is_set():
            return
        fired.set()
        killer = threading.Timer(HANGUP_GRACE_S, os._exit, (EXIT_HANGUP,))
        killer.daemon = True
        killer.start()
        # From a thread of its own: this may run in a signal handler on the app's thread.
        threading.Thread(target=ask_exit, name="roundtable-hangup", daemon=True).start()

    def ask_exit() -> None:
        with contextlib.suppress(Exception):  # the app may be stopping already
            app.call_from_thread(app.exit, None, EXIT_HANGUP)

    def watch() -> None:
        while not done.wait(TTY_CHECK_S):
            if not os.isatty(fd):
                hang_up()
                return

    previous = signal.signal(signal.SIGHUP, lambda *_: hang_up())
    watcher = threading.Thread(target=watch, name="roundtable-tty-watch", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        done.set()
        signal.signal(signal.SIGHUP, previous)
        if fired.is_set():
            _detach()


def _detach() -> None:
    """Point stdin, stdout and stderr at /dev/null: the terminal is gone, and writing to it
    (even Python's last flush) would only fail."""
    with contextlib.suppress(OSError):
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        os.close(null)


def _is_tty(stream: object) -> bool:
    try:
        return stream is not None and os.isatty(stream.fileno())  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):
        return False
