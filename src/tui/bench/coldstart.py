"""Cold start: spawn a program in a pseudo-terminal and time it to a known text on the screen.

The clock starts just before the process is spawned and stops when the text, stripped of
escape sequences, has been written to the terminal: the first screen the person sees. The
peak memory (VmHWM) of the process is read before it is stopped.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import termios
import time
from dataclasses import dataclass
from pathlib import Path

_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC
    r"|\x1bP[^\x1b]*\x1b\\"  # DCS
    r"|\x1b[()][0-9A-Za-z]"  # charset
    r"|\x1b[@-Z\\-_=>78]"  # other two-byte escapes
)
BARE_APP = """
from textual.app import App
from textual.widgets import Footer, Static


class Bare(App):
    def compose(self):
        yield Static("Bare Textual app ready")
        yield Footer()


Bare().run()
"""


@dataclass
class Start:
    seconds: float  # spawn to the first marker painted
    later: dict[str, float]  # further markers: spawn to painted
    peak_rss: int  # bytes (VmHWM), while still running


def screen_text(raw: bytes) -> str:
    return _ESCAPES.sub("", raw.decode("utf-8", "replace"))


def _peak_rss(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    found = re.search(r"VmHWM:\s+(\d+) kB", status)
    return int(found.group(1)) * 1024 if found else 0


def cold_start(
    argv: list[str],
    markers: list[str],
    *,
    env: dict[str, str],
    size: tuple[int, int] = (120, 40),
    timeout: float = 60.0,
    settle: float = 0.0,
) -> Start:
    """Spawn `argv` on a new pty of `size`; time until each of `markers` is on the screen."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
    started = time.perf_counter()
    proc = subprocess.Popen(
        argv,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        start_new_session=True,
        close_fds=True,
    )
    os.close(slave)
    seen: dict[str, float] = {}
    buffer = b""
    peak = 0
    try:
        deadline = started + timeout
        while len(seen) < len(markers):
            left = deadline - time.perf_counter()
            if left <= 0:
                missing = [m for m in markers if m not in seen]
                tail = screen_text(buffer)[-400:]
                raise TimeoutError(
                    f"{argv[0]}: {missing} not on screen after {timeout:.0f} s: {tail!r}"
                )
            ready, _, _ = select.select([master], [], [], min(left, 0.5))
            if not ready:
                if proc.poll() is not None:
                    raise RuntimeError(f"{argv[0]} exited ({proc.returncode}) before its screen: "
                                       f"{screen_text(buffer)[-400:]!r}")  # fmt: skip
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:
                chunk = b""
            if not chunk:
                raise RuntimeError(f"{argv[0]} closed its terminal before its screen")
            now = time.perf_counter()
            buffer += chunk
            text = screen_text(buffer[-262144:])
            for marker in markers:
                if marker not in seen and marker in text:
                    seen[marker] = now - started
        if settle:
            end = time.perf_counter() + settle
            while (left := end - time.perf_counter()) > 0:
                if select.select([master], [], [], left)[0]:
                    with contextlib.suppress(OSError):
                        os.read(master, 65536)
        peak = _peak_rss(proc.pid)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        # drain so the child never blocks on a full pty while exiting
        with contextlib.suppress(OSError):
            while select.select([master], [], [], 0)[0] and os.read(master, 65536):
                pass
        os.close(master)
    first = markers[0]
    return Start(seen[first], {m: seen[m] for m in markers[1:]}, peak)
