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


# Signals that end a process by default and that a program may catch, but not faults
# (SIGSEGV and the like: the handler would return to the faulting code) and not SIGINT (Python
# raises KeyboardInterrupt, which Textual handles).
NOT_ENDING = frozenset(
    getattr(signal, name)
    for name in (
        "SIGKILL", "SIGSTOP", "SIGINT", "SIGCHLD", "SIGCONT", "SIGURG", "SIGWINCH",
        "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGSEGV", "SIGBUS", "SIGFPE", "SIGILL", "SIGTRAP",
        "SIGSYS", "SIGABRT", "SIGEMT",
    )
    if hasattr(signal, name)
)  # fmt: skip
# What undoes the app's terminal modes if its own shutdown cannot run: the main screen, the
# cursor shown, no mouse reporting, no bracketed paste, no focus events.
RESET_MODES = (
    "\x1b[?1049l\x1b[?25h\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?1015l"
    "\x1b[?2004l\x1b[?1004l"
)


def ending_signals() -> list[signal.Signals]:
    """The signals to turn into a clean exit: every catchable one that would end the process
    as things stand (one already ignored, as under `nohup`, stays ignored)."""
    return [
        sig
        for sig in sorted(signal.valid_signals())
        if sig not in NOT_ENDING and signal.getsignal(sig) is signal.SIG_DFL
    ]


@contextlib.contextmanager
def signal_guard(app: App) -> Iterator[None]:
    """While the app runs: on a signal that would end the process (SIGTERM, SIGQUIT, SIGUSR1,
    SIGALRM, ...), ask the app to exit with 128 + the signal's number, so that Textual restores
    the terminal (main screen, cursor, mouse, tty modes) as on `q`. If its terminal hangs up
    (SIGHUP, or the tty stops being one), exit with EXIT_HANGUP without writing to it.

    Either way the process ends for certain HANGUP_GRACE_S later (a dead terminal can block the
    app's own shutdown writes; a busy app may not get to them): after any signal but a hangup,
    with the terminal's modes put back first."""
    fd = next(
        (f.fileno() for f in (sys.__stdout__, sys.__stdin__) if f is not None and _is_tty(f)), None
    )
    if fd is None or threading.current_thread() is not threading.main_thread():
        yield
        return
    saved_modes = _tty_modes(fd)
    done = threading.Event()
    fired = threading.Event()
    hung_up = threading.Event()

    def end(code: int) -> None:
        if fired.is_set():
            return
        fired.set()
        killer = threading.Timer(HANGUP_GRACE_S, force_exit, (code,))
        killer.daemon = True
        killer.start()
        # From a thread of its own: this may run in a signal handler on the app's thread.
        threading.Thread(target=ask_exit, args=(code,), name="roundtable-exit", daemon=True).start()

    def hang_up() -> None:
        hung_up.set()
        end(EXIT_HANGUP)

    def ask_exit(code: int) -> None:
        with contextlib.suppress(Exception):  # the app may be stopping already
            app.call_from_thread(app.exit, None, code)

    def force_exit(code: int) -> None:
        if not hung_up.is_set():
            _restore(fd, saved_modes)
        os._exit(code)

    def on_signal(number: int, _frame: object) -> None:
        if number == signal.SIGHUP:
            hang_up()
        else:
            end(128 + number)

    def watch() -> None:
        while not done.wait(TTY_CHECK_S):
            if not os.isatty(fd):
                hang_up()
                return

    previous = {sig: signal.signal(sig, on_signal) for sig in ending_signals()}
    watcher = threading.Thread(target=watch, name="roundtable-tty-watch", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        done.set()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if hung_up.is_set():
            _detach()


def _tty_modes(fd: int) -> list | None:
    try:
        import termios

        return termios.tcgetattr(fd)
    except (ImportError, OSError):
        return None


def _restore(fd: int, modes: list | None) -> None:
    """Put the terminal back as it was before the app (its modes, then the screen's)."""
    with contextlib.suppress(Exception):
        if modes is not None:
            import termios

            termios.tcsetattr(fd, termios.TCSANOW, modes)
        os.write(fd, RESET_MODES.encode())


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
