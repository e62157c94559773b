"""The condition the benchmark times in: the database file in the operating system's page cache.

A keystroke reads the pages its search needs; whether they come from memory or from the disk
depends on what the machine did before the run, not on the code. On the machines measured
here the kernel pages out file pages idle for about a minute (DAMON's `pageout`), and their
virtual disk is cached again by the host, so the same cold read cost 0.01 to 0.14 ms a page
from one run to the next: a first run after an idle hour measured that disk, the next one the
code (docs/benchmarks.md). So each timed part starts by reading the database file through
once, as `cat db > /dev/null` would: the state of a server that holds the database, which a
run can reproduce. `roundtable bench --cold` leaves the cache as it finds it, to see what the
disk adds. A file larger than half of the memory available is not read (it could not stay).
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

CHUNK_BYTES = 1 << 20
SHARE_OF_AVAILABLE = 0.5


def _available_bytes() -> int | None:
    """MemAvailable from /proc/meminfo, or None where there is none (not Linux)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def read_through(path: Path) -> dict[str, Any]:
    """Read `path` once from start to end (into the page cache); what was read, and how long
    it took. Not read when it would fill more than half of the memory available."""
    size = path.stat().st_size
    available = _available_bytes()
    if available is not None and size > SHARE_OF_AVAILABLE * available:
        return {"read": False, "bytes": size, "seconds": 0.0}
    started = time.perf_counter()
    buffer = bytearray(CHUNK_BYTES)
    with path.open("rb", buffering=0) as file:
        if hasattr(os, "posix_fadvise"):
            os.posix_fadvise(file.fileno(), 0, 0, os.POSIX_FADV_SEQUENTIAL)
        while file.readinto(buffer):
            pass
    return {"read": True, "bytes": size, "seconds": round(time.perf_counter() - started, 3)}
