"""`?`: every key the explorer knows, by where it works."""

from __future__ import annotations

from collections.abc import Mapping

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.app.keys import bindings, help_sections
from tui.app.screens.lifecycle import DismissOnce
from tui.app.screens.totals import COLUMNS as TOTALS_COLUMNS
from tui.data.listing import abbreviations
from tui.formatting import NOT_STATED, NULL

# Not a key: the mark a detail's links carry, explained beside the detail's keys; the panes'
# short column headers and marks, from the column definitions, beside the panes' keys.
LEGEND: dict[str, tuple[tuple[str, str], ...]] = {
    "Panes": (*abbreviations(), (NULL, f"{NOT_STATED}: no article states it")),
    "Detail": (("·2 articles", "how many articles report a link (·1: one only)"),),
    "Who met whom, totals, corroboration": tuple(
        (header, meaning) for header, _width, meaning in TOTALS_COLUMNS if meaning
    ),
}


def help_table(keymap: Mapping[str, str] | None = None) -> Table:
    """Every key in force (the table's, or the user's keymap's for an id), by section."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for section, rows in help_sections(keymap=keymap):
        keys = (*rows, *LEGEND.get(section, ()))
        table.add_row(Text(section, style="bold underline"), "")
        for key, meaning in keys:
            table.add_row(Text(key), Text(meaning))
        table.add_row("", "")
    return table


class HelpScreen(DismissOnce, ModalScreen[None]):
    BINDINGS = bindings("help")

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(Text("Roundtable keys", style="bold"))
            keymap = getattr(self.app, "user_keymap", None)
            yield Static(help_table(keymap.keys if keymap else None), id="help-keys")

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)
