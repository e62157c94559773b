"""`python -m tui` is the `roundtable` command."""

from .cli import run

run()
