"""`?`: every key the explorer knows, by where it works."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Anywhere",
        (
            ("/", "search everything (names tolerate variants and a typo)"),
            ("ctrl+p", "command palette: jump to any entity, run any action"),
            ("escape, backspace", "back"),
            ("]", "forward again"),
            ("y", "copy the current entity's ref (OSC 52: works over SSH and in tmux)"),
            ("w", "who met whom: the person's or organization's network, two hops"),
            ("T", "totals: amounts and capacities by organization, sector, country, category"),
            ("r", "corroboration: facts reported differently or by one article only"),
            ("?", "this help"),
            ("q", "quit"),
        ),
    ),
    (
        "Panes",
        (
            ("1 … 7", "Companies, Meetings, Commitments, People, Places, Indicators, Sources"),
            ("8", "Timeline: meetings, signings and targets by date"),
            ("tab, shift+tab", "next / previous pane"),
            ("↑ ↓ pgup pgdn home end", "move; more rows load as you go"),
            ("← →", "scroll wide tables"),
            ("enter", "open the highlighted row"),
            ("f", "filter by text and facets (with counts); Timeline: by who or where"),
            ("x", "clear the pane's filter"),
            ("e", "export the pane as filtered: csv, json, jsonl or FollowTheMoney"),
            ("s / S", "sort by the next column / reverse the sort"),
        ),
    ),
    (
        "Detail",
        (
            ("↑ ↓", "move through links and sources"),
            ("enter", "follow a link, or read a source with its quote highlighted"),
            ("·2 articles", "how many articles report a link (·1: one only)"),
        ),
    ),
    (
        "Who met whom, totals, corroboration",
        (
            ("↑ ↓ enter", "move; open the entity"),
            ("space", "who met whom: fold or unfold a branch"),
            ("w", "who met whom: centre on the highlighted person or organization"),
            ("g / G", "totals: next / previous grouping"),
        ),
    ),
    (
        "Source reader",
        (
            ("↑ ↓ pgup pgdn", "scroll the article"),
            ("n / p", "next / previous quoted fact in the article"),
            ("m / t", "mentions list / article text"),
            ("enter", "open the highlighted mention"),
        ),
    ),
    (
        "Search and filter boxes",
        (
            ("↑ ↓", "choose a result or value"),
            ("enter", "open the result / toggle the value"),
            ("ctrl+r", "filter: clear all"),
            ("escape", "close (the filter applies)"),
        ),
    ),
)


def help_table() -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for section, keys in KEYS:
        table.add_row(Text(section, style="bold underline"), "")
        for key, meaning in keys:
            table.add_row(Text(key), Text(meaning))
        table.add_row("", "")
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close")]  # noqa: RUF012

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(Text("Roundtable keys", style="bold"))
            yield Static(help_table())

    def action_dismiss(self) -> None:
        self.dismiss(None)
