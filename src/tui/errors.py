"""User-facing errors: one line, a distinct exit code, never a traceback."""

from __future__ import annotations

EXIT_USAGE = 2  # bad arguments, bad seed files
EXIT_DATABASE = 3  # missing, corrupt, locked or incompatible database
EXIT_NOT_FOUND = 4  # a ref or kind that does not exist
EXIT_IO = 74  # the OS refused a read or write (standard output full or closed, ...)
EXIT_INTERNAL = 70  # a bug: the traceback goes to a log file


class UserError(Exception):
    """An error the user can cause and fix. `str(error)` is the one line to show."""

    exit_code = EXIT_USAGE


class SeedError(UserError):
    """A seed file is malformed, inconsistent, or quotes something its article does not say."""

    exit_code = EXIT_USAGE

    def __init__(self, file: str, problem: str, line: int | None = None) -> None:
        self.file, self.problem, self.line = file, problem, line
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {problem}")


class DatabaseError(UserError):
    """The database cannot be used: missing, corrupt, locked, or of another schema version."""

    exit_code = EXIT_DATABASE


class OutputError(UserError):
    """Standard output, or a file the OS will not read or write for a reason of its own."""

    exit_code = EXIT_IO


class NotFoundError(UserError):
    """A ref that names no entity."""

    exit_code = EXIT_NOT_FOUND
