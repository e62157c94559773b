"""`python -m tui` is the `roundtable` command."""

from tui.cli.main import run

run()
