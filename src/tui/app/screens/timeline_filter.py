"""Choose who or where the Timeline shows: an organization, a person or a place."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tui.app.keys import bindings
from tui.app.navigation import ExplorerAccess
from tui.app.screens.lifecycle import DismissOnce, call_while_open
from tui.data import timeline
from tui.safe_text import kind_badge, plain

# Returned: (ref, name) to filter by, ("", "") to clear, None to leave unchanged.
Choice = tuple[str, str] | None


class TimelineFilterScreen(DismissOnce, ModalScreen[Choice], ExplorerAccess):
    BINDINGS = bindings("timeline_filter")

    def __init__(self, current: tuple[str, str] | None) -> None:
        super().__init__()
        self.current = current
        self.entries: list[dict[str, Any]] = []
        self.shown: dict[str, tuple[str, str]] = {}

    def compose(self) -> ComposeResult:
        with Vertical(id="filter-box"):
            yield Static(Text("Timeline: only items with…", style="bold"), id="filter-title")
            yield Input(placeholder="type to narrow the names", id="filter-text")
            yield Static(id="filter-status", markup=False)
            yield OptionList(id="filter-values", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self.load()

    @work(thread=True, group="timeline-involved")
    def load(self) -> None:
        entries = timeline.involved(self.explorer.store.conn)
        call_while_open(self, self._loaded, entries)

    def _loaded(self, entries: list[dict[str, Any]]) -> None:
        self.entries = entries
        self._fill(self.query_one(Input).value)

    @on(Input.Changed, "#filter-text")
    def narrowed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def _fill(self, text: str) -> None:
        needle = text.strip().casefold()
        options = self.query_one(OptionList)
        options.clear_options()
        self.shown = {}
        for index, entry in enumerate(self.entries):
            if needle and needle not in entry["name"].casefold():
                continue
            option_id = f"who-{index}"
            self.shown[option_id] = (entry["ref"], entry["name"])
            chosen = self.current is not None and self.current[0] == entry["ref"]
            line = Text("✓ " if chosen else "  ", style="bold")
            line.append_text(kind_badge(entry["kind"]))
            line.append_text(plain(entry["name"]))
            line.append(f"  {entry['count']}", style="dim")
            options.add_option(Option(line, id=option_id))
        status = Text(f"{len(self.shown)} to choose from", style="bold")
        status.append("  Enter choose · Ctrl+R show all · Esc close", style="dim")
        self.query_one("#filter-status", Static).update(status)

    def action_to_list(self) -> None:
        options = self.query_one(OptionList)
        options.focus()
        if options.highlighted is None:
            options.action_first()

    @on(Input.Submitted, "#filter-text")
    def submitted(self) -> None:
        if len(self.shown) == 1:
            self.dismiss(next(iter(self.shown.values())))

    @on(OptionList.OptionSelected, "#filter-values")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        choice = self.shown.get(event.option_id or "")
        if choice is not None:
            self.dismiss(("", "") if self.current and self.current[0] == choice[0] else choice)

    def action_clear(self) -> None:
        self.dismiss(("", ""))

    def action_close(self) -> None:
        self.dismiss(None)
