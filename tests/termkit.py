"""Drive the real `roundtable` command in a real terminal: a private tmux server per test, keys
in with send-keys, the screen out with capture-pane.

The command is this checkout's code (`python -m tui` with this tree's `src` first on
PYTHONPATH, set by `clean_env`), never whichever `roundtable` happens to be installed.

Every wait is bounded; a timeout fails with the screen as it was. Tools a test needs (tmux,
sshd) are a skip on a developer machine without them and a failure in CI (CI=true), where
`.ci/run` installs them and nothing may be skipped.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"  # the tree under test
ROUNDTABLE_MODULE = "tui"  # what `roundtable` runs: `python -m tui`
WAIT_S = 10.0  # the longest any single step may take before the test fails
POLL_S = 0.05
ESCAPE_PAUSE_S = 0.3  # Textual waits ESCDELAY (0.1 s) to tell ESC from alt+key


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def require(tool: str, *also: str) -> str:
    """The path of `tool` (or of the first of `also` that exists); skip locally, fail in CI."""
    found = shutil.which(tool) or next((p for p in also if os.access(p, os.X_OK)), None)
    if found:
        return found
    unavailable(f"{tool} is not installed")


def unavailable(message: str) -> NoReturn:
    """A test cannot run here: a skip on a developer machine, a failure in CI."""
    if in_ci():
        pytest.fail(f"{message}; CI runs every test (.ci/run installs what they need)")
    pytest.skip(message)


def roundtable() -> list[str]:
    """The `roundtable` command of this checkout, to run with `clean_env` (which puts `SRC` on
    PYTHONPATH): this interpreter (whose environment has the dependencies) running `tui`."""
    return [sys.executable, "-m", ROUNDTABLE_MODULE]


def is_roundtable(command: str) -> bool:
    """Whether a process's command line (see `command_line`) is the command under test."""
    return f" -m {ROUNDTABLE_MODULE} " in f" {command} "


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """A minimal environment for the command under test: nothing leaks in from the runner.
    A PYTHONPATH in `extra` comes after this tree's `src`, which always comes first."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "XDG_STATE_HOME": str(home / "state"),
        "LANG": "C.UTF-8",
        "TERM": "xterm-256color",
    }
    env.update(extra)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), extra.get("PYTHONPATH")]))
    return env


def wait_until(check: Callable[[], object], what: str, timeout: float = WAIT_S) -> object:
    """Poll `check` until it returns something truthy; fail naming `what` after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(POLL_S)


@dataclass
class Tmux:
    """One private tmux server (its own socket) with one session, `main`, of one pane."""

    workdir: Path
    socket: str = field(default_factory=lambda: f"rt-test-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    binary: str = field(default_factory=lambda: require("tmux"))

    def __post_init__(self) -> None:
        self.conf = self.workdir / "tmux.conf"
        # No status line (the pane is the whole window), and keep a finished pane so its exit
        # status can be read.
        self.conf.write_text("set -g status off\nset -g remain-on-exit on\n", encoding="utf-8")

    def run(self, *args: str, check: bool = True) -> str:
        proc = subprocess.run(
            [self.binary, "-L", self.socket, "-f", str(self.conf), *args],
            capture_output=True,
            text=True,
            timeout=WAIT_S,
        )
        if check and proc.returncode != 0:
            raise AssertionError(f"tmux {' '.join(args)} failed: {proc.stderr.strip()}")
        return proc.stdout

    def start(self, argv: Iterable[str], env: dict[str, str], size: tuple[int, int] = (80, 24)):
        """Run `argv` with exactly `env` in a fresh pane of `size` columns x rows."""
        command = shlex.join(["env", "-i", *(f"{k}={v}" for k, v in env.items()), *argv])
        width, height = size
        self.run("new-session", "-d", "-s", "main", "-x", str(width), "-y", str(height), command)
        return self

    # --- input -------------------------------------------------------------------------------

    def keys(self, *keys: str) -> None:
        """tmux key names: Enter, Escape, Down, C-c, ... An Escape is left alone for a moment,
        as a person would: ESC then `7` at once reads as alt+7 in any terminal program."""
        for key in keys:
            self.run("send-keys", "-t", "main", key)
            if key == "Escape":
                time.sleep(ESCAPE_PAUSE_S)

    def type(self, text: str) -> None:
        """Literal text, as if typed (or pasted)."""
        self.run("send-keys", "-t", "main", "-l", text)

    def resize(self, width: int, height: int) -> None:
        self.run("resize-window", "-t", "main", "-x", str(width), "-y", str(height))

    # --- output ------------------------------------------------------------------------------

    def screen(self, escapes: bool = False) -> str:
        """The visible pane; with `escapes`, with its colours and attributes as SGR codes."""
        return self.run("capture-pane", "-p", *(["-e"] if escapes else []), "-t", "main")

    def transcript(self) -> str:
        """Everything the pane showed outside the app's own screen, wrapped lines joined."""
        return self.run("capture-pane", "-p", "-J", "-S", "-", "-t", "main")

    def info(self, fmt: str) -> str:
        return self.run("display-message", "-p", "-t", "main", fmt).strip()

    def size(self) -> tuple[int, int]:
        width, height = self.info("#{pane_width} #{pane_height}").split()
        return int(width), int(height)

    def wait_for(self, *texts: str, timeout: float = WAIT_S, gone: bool = False) -> str:
        """Wait until every one of `texts` is on screen (or, with `gone`, none is)."""
        last = [""]

        def check() -> bool:
            last[0] = self.screen()
            present = [t in last[0] for t in texts]
            return not any(present) if gone else all(present)

        try:
            wait_until(check, f"{'no ' if gone else ''}{texts!r} on screen", timeout)
        except AssertionError as exc:
            raise AssertionError(f"{exc}; the screen was:\n{last[0]}") from None
        return last[0]

    def exit_status(self) -> int | None:
        """The command's exit status once it has ended (128 + N if killed by signal N)."""
        dead, status, signal, pid = self.info(
            "#{pane_dead}|#{pane_dead_status}|#{pane_dead_signal}|#{pane_pid}"
        ).split("|")
        if dead != "1":
            return None
        if status or signal:
            return int(status) if status else 128 + int(signal)
        # tmux 3.3 at times closes a pane without reaping its process: read the zombie's status.
        return zombie_status(int(pid)) if pid else None

    def wait_exit(self, timeout: float = WAIT_S) -> int:
        """Wait for the command to end; its exit status."""
        try:
            wait_until(lambda: self.exit_status() is not None, "the command to exit", timeout)
        except AssertionError as exc:
            raise AssertionError(f"{exc}; the screen was:\n{self.screen()}") from None
        return self.exit_status()  # type: ignore[return-value]

    def pane_pid(self) -> int:
        return int(self.info("#{pane_pid}"))

    def kill(self) -> None:
        self.run("kill-server", check=False)


# --- reading colours and attributes out of `capture-pane -e` ---------------------------------

_SGR = re.compile(r"\x1b\[([0-9;:]*)m")


@dataclass
class Cell:
    char: str
    fg: str | None  # None: the terminal's default
    bg: str | None
    attrs: frozenset[str]  # bold, dim, italic, underline, reverse

    @property
    def reverse(self) -> bool:
        return "reverse" in self.attrs

    def style(self) -> tuple:
        return self.fg, self.bg, self.attrs


_ATTR_ON = {1: "bold", 2: "dim", 3: "italic", 4: "underline", 7: "reverse"}
_ATTR_OFF = {22: ("bold", "dim"), 23: ("italic",), 24: ("underline",), 27: ("reverse",)}


def cells(captured: str) -> list[list[Cell]]:
    """Each visible character with the colours it is drawn in (state carries across lines)."""
    state: tuple = (None, None, frozenset())
    rows: list[list[Cell]] = []
    for line in captured.split("\n"):
        row: list[Cell] = []
        pos = 0
        for match in [*_SGR.finditer(line), None]:
            end = match.start() if match else len(line)
            row.extend(Cell(ch, *state) for ch in line[pos:end])
            if match is None:
                break
            pos = match.end()
            state = _apply(match.group(1), *state)
        rows.append(row)
    return rows


def _apply(params: str, fg, bg, attrs: frozenset[str]):
    codes = [int(p) if p.isdigit() else 0 for p in re.split("[;:]", params)] if params else [0]
    i = 0
    while i < len(codes):
        code = codes[i]
        if code == 0:
            fg, bg, attrs = None, None, frozenset()
        elif code in _ATTR_ON:
            attrs = attrs | {_ATTR_ON[code]}
        elif code in _ATTR_OFF:
            attrs = attrs - set(_ATTR_OFF[code])
        elif 30 <= code <= 37 or 90 <= code <= 97:
            fg = f"c{code - 30 if code < 90 else code - 82}"
        elif 40 <= code <= 47 or 100 <= code <= 107:
            bg = f"c{code - 40 if code < 100 else code - 92}"
        elif code == 39:
            fg = None
        elif code == 49:
            bg = None
        elif code in (38, 48) and i + 1 < len(codes):
            if codes[i + 1] == 5 and i + 2 < len(codes):
                colour, i = f"c{codes[i + 2]}", i + 2
            elif codes[i + 1] == 2 and i + 4 < len(codes):
                colour, i = "#{:02x}{:02x}{:02x}".format(*codes[i + 2 : i + 5]), i + 4
            else:
                colour = None
            if code == 38:
                fg = colour
            else:
                bg = colour
        i += 1
    return fg, bg, attrs


def colour_kinds(captured: str) -> set[str]:
    """Which colour encodings the app used: '16', '256', 'rgb' (no colour at all: empty)."""
    kinds: set[str] = set()
    for match in _SGR.finditer(captured):
        codes = [int(p) if p.isdigit() else 0 for p in re.split("[;:]", match.group(1) or "0")]
        i = 0
        while i < len(codes):
            code = codes[i]
            if code in (38, 48) and i + 1 < len(codes):
                kinds.add("256" if codes[i + 1] == 5 else "rgb")
                i += 5 if codes[i + 1] == 2 else 3
                continue
            if 30 <= code <= 37 or 40 <= code <= 47 or 90 <= code <= 97 or 100 <= code <= 107:
                kinds.add("16")
            i += 1
    return kinds


def invisible_text(captured: str) -> list[str]:
    """Characters drawn in the same colour as their background: text nobody can read."""
    found = []
    for number, row in enumerate(cells(captured)):
        for column, cell in enumerate(row):
            fg, bg = (cell.bg, cell.fg) if cell.reverse else (cell.fg, cell.bg)
            if cell.char.strip() and fg is not None and fg == bg:
                found.append(f"row {number} col {column} {cell.char!r} in {fg} on {bg}")
    return found


def reversed_text(captured: str) -> str:
    """The characters drawn in reverse video (how a cursor shows without colour)."""
    return "".join(c.char for row in cells(captured) for c in row if c.reverse)


# --- processes ----------------------------------------------------------------------------------


def zombie_status(pid: int) -> int | None:
    """The exit status of a process that has ended but not been reaped (from /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    if fields[0] != "Z" or len(fields) < 50:
        return None
    code = int(fields[49])  # field 52, exit_code, as waitpid(2) reports it
    return 128 + (code & 0x7F) if code & 0x7F else code >> 8


def processes_with(marker: str) -> list[tuple[int, str]]:
    """Live processes whose command line contains `marker` (read from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            raw = (entry / "cmdline").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        command = raw.replace(b"\0", b" ").decode("utf-8", "replace")
        if marker in command and state != "Z":
            found.append((int(entry.name), command))
    return found


@dataclass
class Finished:
    code: int
    output: str  # everything the terminal received, stdout and stderr as they interleaved
    seconds: float


def run_in_terminal(
    argv: list[str], env: dict[str, str], size: tuple[int, int] = (80, 24), timeout: float = WAIT_S
) -> Finished:
    """Run `argv` on a fresh pseudo-terminal of `size` and collect what it writes until it exits.

    A program that takes over the screen writes escape sequences; one that fails first writes
    only its message. Still running after `timeout`: killed, and the test fails with the output.
    """
    import fcntl
    import select
    import struct
    import termios

    master, slave = os.openpty()
    width, height = size
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", height, width, 0, 0))
    started = time.monotonic()
    try:
        proc = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
        )
    finally:
        os.close(slave)
    chunks: list[bytes] = []
    try:
        while True:
            if time.monotonic() - started > timeout:
                proc.kill()
                proc.wait(timeout=WAIT_S)
                shown = b"".join(chunks).decode("utf-8", "replace")
                raise AssertionError(f"still running after {timeout:.0f} s; it wrote {shown!r}")
            if select.select([master], [], [], POLL_S)[0]:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # EIO: every copy of the terminal's other end is closed
                    chunk = b""
                if chunk:
                    chunks.append(chunk)
                    continue
                proc.wait(timeout=WAIT_S)
                break
            if proc.poll() is not None:  # ended, and nothing more to read
                break
        seconds = time.monotonic() - started
    finally:
        os.close(master)
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=WAIT_S)
    return Finished(proc.returncode, b"".join(chunks).decode("utf-8", "replace"), seconds)


# --- a private SSH server ---------------------------------------------------------------------


def children_of(pid: int) -> list[int]:
    """Every live descendant of `pid` (read from /proc), children before grandchildren."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z":
                parents[int(entry.name)] = int(fields[1])
    found, frontier = [], [pid]
    while frontier:
        frontier = [child for child, parent in parents.items() if parent in frontier]
        found += frontier
    return found


def command_line(pid: int) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return ""
    return raw.replace(b"\0", b" ").decode("utf-8", "replace").strip()


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Sshd:
    """An `sshd` of the test's own on 127.0.0.1: a throwaway host key, one throwaway client key,
    public-key login for the current user only. `stop()` ends it and every session it started."""

    def __init__(self, workdir: Path) -> None:
        self.sshd = require("sshd", "/usr/sbin/sshd", "/usr/local/sbin/sshd")
        self.ssh = require("ssh")
        keygen = require("ssh-keygen")
        import getpass

        self.user = getpass.getuser()
        self.dir = workdir / "sshd"
        self.dir.mkdir()
        self.key = self.dir / "client_key"
        for key in (self.dir / "host_key", self.key):
            subprocess.run(
                [keygen, "-q", "-t", "ed25519", "-N", "", "-C", "roundtable-test", "-f", str(key)],
                check=True,
                timeout=WAIT_S,
            )
        (self.dir / "authorized_keys").write_bytes(self.key.with_suffix(".pub").read_bytes())
        self.log = self.dir / "sshd.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self.port = 0

    def _config(self) -> Path:
        config = self.dir / "sshd_config"
        config.write_text(
            f"Port {self.port}\n"
            "ListenAddress 127.0.0.1\n"
            f"HostKey {self.dir / 'host_key'}\n"
            f"AuthorizedKeysFile {self.dir / 'authorized_keys'}\n"
            f"PidFile {self.dir / 'sshd.pid'}\n"
            "PubkeyAuthentication yes\n"
            "PasswordAuthentication no\n"
            "KbdInteractiveAuthentication no\n"
            "PermitRootLogin prohibit-password\n"
            "UsePAM no\n"
            "StrictModes no\n",
            encoding="utf-8",
        )
        return config

    def start(self) -> Sshd:
        for _ in range(3):  # a port taken meanwhile, or a missing privilege-separation folder
            self.port = free_port()
            with self.log.open("wb") as log:
                self.proc = subprocess.Popen(
                    [self.sshd, "-D", "-e", "-f", str(self._config())],
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            deadline = time.monotonic() + WAIT_S
            while time.monotonic() < deadline:
                text = self.log.read_text(errors="replace")
                if "Server listening" in text:
                    return self
                if self.proc.poll() is not None:
                    break
                time.sleep(POLL_S)
            self.stop()
            missing = re.search(r"Missing privilege separation directory: (\S+)", text)
            if missing:  # Debian's /run/sshd, made by its service unit, not by the package
                try:
                    Path(missing.group(1)).mkdir(mode=0o755, parents=True, exist_ok=True)
                except OSError as exc:
                    unavailable(f"sshd needs {missing.group(1)}: {exc.strerror}")
        raise AssertionError(f"sshd did not start; its log:\n{text}")

    def command(self, remote: list[str]) -> list[str]:
        """The `ssh -tt` command line that runs `remote` here, through this server."""
        options = {
            "StrictHostKeyChecking": "no",
            "UserKnownHostsFile": "/dev/null",
            "BatchMode": "yes",
            "IdentitiesOnly": "yes",
            "LogLevel": "ERROR",
            "ConnectTimeout": "5",
        }
        return [
            self.ssh, "-tt", "-F", "/dev/null", "-p", str(self.port), "-i", str(self.key),
            *(f"-o{name}={value}" for name, value in options.items()),
            f"{self.user}@127.0.0.1", shlex.join(remote),
        ]  # fmt: skip

    def sessions(self) -> list[int]:
        """The processes serving connections (and what they run): all but the listener."""
        return children_of(self.proc.pid) if self.proc else []

    def stop(self) -> None:
        """End the listener and every process under it: SIGTERM, then SIGKILL after a while."""
        if self.proc is None:
            return
        # Each with its command line: a number that comes free may be reused by another process.
        pids = {pid: command_line(pid) for pid in [*self.sessions(), self.proc.pid]}
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=3)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=WAIT_S)
        deadline = time.monotonic() + 3
        alive = lambda: [p for p, line in pids.items() if line and command_line(p) == line]  # noqa: E731
        while time.monotonic() < deadline and alive():
            time.sleep(POLL_S)
        for pid in alive():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.proc = None
