"""Writing a file the user named: all of it or nothing, and never in place of something else.

`replacing(path)` hands out a fresh temporary file to write. When the block ends without an
error its bytes land at `path`:

- a regular file, or a name that does not exist yet: the temporary file, made beside it, is
  renamed over it in one step. A symlink is followed and its target replaced (the link stays a
  link). A new file gets the mode the umask gives; a replaced one keeps its old mode.
- a device or FIFO, or a standard stream named as `/dev/stdout`, `/dev/fd/N`: the bytes
  are written through to it (the temporary file then lives in the temporary folder), and a
  failing write (`/dev/full`) is an error like any other.
- a folder, or a name ending in `/`: refused before anything is written.

An error, or SIGTERM, SIGHUP or SIGQUIT (raised as `Signalled`) or SIGINT, removes the
temporary file and leaves `path` as it was. Problems surface as `OSError` with the OS's reason.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import signal
import stat
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

# Signals that end a command by default and that a write turns into `Signalled`, so that the
# clean-up runs. (SIGINT already arrives as KeyboardInterrupt.)
CLEAN_UP_ON = (signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT)
HELD = {signal.SIGINT, *CLEAN_UP_ON}  # held back while the temporary file is made
NAME_MAX = 255  # bytes in one path component, on every common file system
_TEMP_STEM = 80  # bytes of the target's name kept in the temporary file's name
# Names of a descriptor this process already has open: written to through that descriptor.
_STREAM = re.compile(
    r"^/(?:dev/(?:std(?P<std>in|out|err)|fd/(?P<fd>\d+))|proc/self/fd/(?P<pfd>\d+))$"
)
_STD_FDS = {"in": 0, "out": 1, "err": 2}


class Signalled(BaseException):  # (not an error: the process was asked to stop)
    """A signal in `CLEAN_UP_ON` arrived during a write; the write was undone."""

    def __init__(self, signum: int) -> None:
        super().__init__(f"stopped by {signal.Signals(signum).name}")
        self.signum = signum


@dataclass(frozen=True)
class Target:
    """Where the bytes of a write end up."""

    named: str  # the path as the user gave it (`~` expanded)
    final: Path  # the file to replace, symlinks followed; or the file to write through to
    through: bool  # write through (device, FIFO, standard stream), not rename
    fd: int | None = None  # an already open descriptor to write through to (`/dev/stdout`)
    mode: int | None = None  # the permission bits of the file replaced, if there is one
    owner: tuple[int, int] | None = None  # its uid and gid


def _error(code: int, named: str) -> OSError:
    return OSError(code, os.strerror(code), named)


def target(path: str | os.PathLike[str]) -> Target:
    """Where a write to `path` goes. Raises `OSError` naming `path` when it cannot go there."""
    raw = os.fspath(path)
    if "\0" in raw:
        raise OSError(errno.EINVAL, "the name holds a NUL character", raw.replace("\0", "\\0"))
    named = os.path.expanduser(raw)
    if not named:
        raise _error(errno.ENOENT, raw)
    if named.endswith(("/", "/.", "/..")) or named in (".", ".."):
        raise _error(errno.EISDIR, raw)  # a folder, existing or not: never a file of that name
    stream = _STREAM.match(os.path.normpath(os.path.abspath(named)))
    if stream:
        fd = _STD_FDS[stream["std"]] if stream["std"] else int(stream["fd"] or stream["pfd"])
        return Target(raw, Path(named), through=True, fd=fd)
    try:
        info: os.stat_result | None = os.stat(named)
    except FileNotFoundError:
        info = None  # a new file (or a dangling symlink: its target is created)
    except OSError as exc:
        raise _error(exc.errno or errno.EIO, raw) from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise _error(errno.EISDIR, raw)
    if info is not None and not stat.S_ISREG(info.st_mode):
        return Target(raw, Path(named), through=True)
    final = Path(os.path.realpath(named))
    if len(os.fsencode(final.name)) > NAME_MAX:
        raise _error(errno.ENAMETOOLONG, raw)
    try:
        folder = os.stat(final.parent)
    except OSError as exc:
        raise _error(exc.errno or errno.EIO, raw) from None
    if not stat.S_ISDIR(folder.st_mode):
        raise _error(errno.ENOTDIR, raw)
    if info is None:
        return Target(raw, final, through=False)
    return Target(
        raw, final, through=False, mode=stat.S_IMODE(info.st_mode) & 0o777,
        owner=(info.st_uid, info.st_gid),
    )  # fmt: skip


def _temp_name(final: Path) -> str:
    stem = os.fsencode(final.name)[:_TEMP_STEM].decode("utf-8", "ignore")
    return f".{stem}.{secrets.token_hex(4)}.tmp"


def _create_temp(folder: Path, final: Path) -> tuple[Path, int]:
    """A new empty file in `folder`, private while it is written; returns it and the mode the
    umask gives a new file (the kernel applies the umask: no process-wide `os.umask` call)."""
    while True:
        temp = folder / _temp_name(final)
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
        except FileExistsError:
            continue
        try:
            mode = stat.S_IMODE(os.fstat(fd).st_mode)
            os.fchmod(fd, mode & 0o600)
        finally:
            os.close(fd)
        return temp, mode


@contextlib.contextmanager
def _signals_undo() -> Iterator[None]:
    """Within the block, `CLEAN_UP_ON` signals raise `Signalled` (main thread only; a signal
    the process ignores, as under nohup, or one with its own handler, is left alone)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, _frame: FrameType | None) -> None:
        for other in previous:  # a second signal must not cut the clean-up short
            signal.signal(other, signal.SIG_IGN)
        raise Signalled(signum)

    previous = {}
    for signum in CLEAN_UP_ON:
        if signal.getsignal(signum) is signal.SIG_DFL:
            previous[signum] = signal.signal(signum, stop)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _write_through(where: Target, temp: Path) -> None:
    """Copy the finished temporary file to the device, FIFO or stream."""
    if where.fd is not None:
        out = os.dup(where.fd)
    else:
        out = os.open(where.named, os.O_WRONLY | os.O_NOCTTY | os.O_CLOEXEC)
    try:
        with open(temp, "rb") as source:
            while chunk := source.read(1 << 16):
                view = memoryview(chunk)
                while view:
                    view = view[os.write(out, view) :]
    finally:
        os.close(out)


@contextlib.contextmanager
def replacing(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary file to write (empty, existing); on success it becomes `path` (see
    the module's docstring). Raises `OSError`; an `OSError` about the target names `path`."""
    where = target(path)
    folder = Path(tempfile.gettempdir()) if where.through else where.final.parent
    with _signals_undo():
        # Held back until the clean-up below is sure to run: a signal that came between making
        # the file and entering `try` would leave it behind.
        held = signal.pthread_sigmask(signal.SIG_BLOCK, HELD)
        try:
            temp, new_mode = _create_temp(folder, where.final)
        except BaseException as exc:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
            if isinstance(exc, OSError):
                raise _error(exc.errno or errno.EIO, where.named) from None
            raise
        try:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
            yield temp
            if where.through:
                try:
                    _write_through(where, temp)
                except OSError as exc:
                    raise _error(exc.errno or errno.EIO, where.named) from None
                return
            os.chmod(temp, new_mode if where.mode is None else where.mode)
            if where.owner is not None and os.geteuid() == 0:
                with contextlib.suppress(OSError):  # root keeps the owner; others cannot
                    os.chown(temp, *where.owner)
            try:
                os.replace(temp, where.final)
            except OSError as exc:
                raise _error(exc.errno or errno.EIO, where.named) from None
        finally:
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()
