"""One updating progress line on stderr for long work (a large build, the benchmark).

Shown only when stderr is a terminal and the command's output is not JSON: a script or a pipe
gets nothing but the result.
"""

from __future__ import annotations

import sys
import time


class ProgressLine:
    """Callable as `(stage, done, total)`, the build's progress callback."""

    def __init__(self, enabled: bool, label: str) -> None:
        self.enabled = enabled
        self.label = label
        self.started = time.perf_counter()
        self.width = 0

    @classmethod
    def for_terminal(cls, label: str, *, json_output: bool) -> ProgressLine:
        return cls(sys.stderr.isatty() and not json_output, label)

    def __call__(self, stage: str, done: int = 0, total: int = 0) -> None:
        if not self.enabled:
            return
        count = f" {done:,}/{total:,}" if total > 1 else ""
        line = f"{self.label} {time.perf_counter() - self.started:6.1f} s  {stage}{count}"
        sys.stderr.write("\r" + line.ljust(self.width))
        sys.stderr.flush()
        self.width = len(line)

    def done(self) -> None:
        """Clear the line (the result follows on stdout)."""
        if self.enabled and self.width:
            sys.stderr.write("\r" + " " * self.width + "\r")
            sys.stderr.flush()
            self.width = 0
