"""Filter a pane by text and by facet values, each value with its count under the other filters."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tui import formatting as fmt
from tui.app.keys import bindings
from tui.app.navigation import ExplorerAccess
from tui.app.screens.lifecycle import DismissOnce, call_while_open
from tui.app.widgets.pane import PaneQuery
from tui.data import queries
from tui.safe_text import plain


class FilterScreen(DismissOnce, ModalScreen[PaneQuery | None], ExplorerAccess):
    """Returns the new query for the pane (applied on Enter or Esc), or None if unchanged."""

    BINDINGS = bindings("filter")

    def __init__(self, kind: str, title: str, query: PaneQuery) -> None:
        super().__init__()
        self.kind, self.title = kind, title
        self.query_state = PaneQuery(dict(query.filters), query.text, dict(query.labels))
        self.option_values: dict[str, tuple[str, str, str]] = {}  # (facet, value, label)
        self.latest = 0  # sequence number of the newest count asked for (see `show_counts`)

    def compose(self) -> ComposeResult:
        with Vertical(id="filter-box"):
            yield Static(Text(f"Filter {self.title}", style="bold"), id="filter-title")
            yield Input(
                value=self.query_state.text, placeholder="text in name or quotes", id="filter-text"
            )
            yield Static(id="filter-status", markup=False)
            yield OptionList(id="filter-values", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self.refresh_counts()

    @on(Input.Changed, "#filter-text")
    def text_changed(self, event: Input.Changed) -> None:
        self.query_state.text = event.value.strip()
        self.refresh_counts()

    @on(Input.Submitted, "#filter-text")
    def text_submitted(self) -> None:
        self.action_done()

    def action_to_list(self) -> None:
        options = self.query_one(OptionList)
        options.focus()
        if options.highlighted is None:
            options.action_first()

    def refresh_counts(self) -> None:
        """Count again for the query as it is now; the answer to an older one is dropped."""
        self.latest += 1
        query = PaneQuery(dict(self.query_state.filters), self.query_state.text)  # (for counts)
        self.count_in_thread(query, self.latest)

    @work(thread=True, exclusive=True, group="facets")
    def count_in_thread(self, query: PaneQuery, sequence: int) -> None:
        conn = self.explorer.store.conn
        groups: list[tuple[queries.Facet, list[dict[str, Any]]]] = []
        for facet in queries.facets_for(self.kind):
            values = queries.facet_counts(
                conn, self.kind, facet.name, filters=query.filters, text=query.text or None
            )
            groups.append((facet, values))
        total = queries.count_matching(
            conn, self.kind, filters=query.filters, text=query.text or None
        )
        call_while_open(self, self.show_counts, groups, total, sequence)

    def show_counts(
        self,
        groups: list[tuple[queries.Facet, list[dict[str, Any]]]],
        total: int,
        sequence: int,
    ) -> None:
        if sequence != self.latest:
            return  # counted for an older query: a newer count is on its way
        options = self.query_one(OptionList)
        highlighted = options.highlighted
        options.clear_options()
        self.option_values = {}
        for facet, values in groups:
            if not values:
                continue
            options.add_option(Option(Text(f"── {facet.label}", style="bold"), disabled=True))
            chosen = self.query_state.filters.get(facet.name)
            for index, value in enumerate(values):
                option_id = f"{facet.name}-{index}"
                shown = fmt.label(value["label"] or str(value["value"]))
                self.option_values[option_id] = (facet.name, str(value["value"]), shown)
                mark = "✓ " if chosen == str(value["value"]) else "  "
                line = Text(mark, style="bold")
                line.append_text(plain(shown))
                line.append(f"  {value['count']}", style="dim")
                options.add_option(Option(line, id=option_id))
        if highlighted is not None and highlighted < options.option_count:
            options.highlighted = highlighted
        status = Text(f"{total} match", style="bold")
        described = self.query_state.describe()
        if described:
            status.append("  ")
            status.append_text(plain(described))
        status.append("  Enter toggles a value · Esc done · Ctrl+R clear", style="dim")
        self.query_one("#filter-status", Static).update(status)

    @on(OptionList.OptionSelected, "#filter-values")
    def toggle(self, event: OptionList.OptionSelected) -> None:
        name, value, shown = self.option_values[event.option_id or ""]
        if self.query_state.filters.get(name) == value:
            del self.query_state.filters[name]
            self.query_state.labels.pop(name, None)
        else:
            self.query_state.filters[name] = value
            self.query_state.labels[name] = shown
        self.refresh_counts()

    def action_group(self, step: int) -> None:
        """To the first value of the next (`step` 1) or previous (-1) facet group."""
        options = self.query_one(OptionList)
        starts = [
            index + 1
            for index in range(options.option_count)
            if options.get_option_at_index(index).disabled
        ]
        if not starts:
            return
        here = options.highlighted if options.highlighted is not None else -1
        if step > 0:
            later = [start for start in starts if start > here]
            target = later[0] if later else starts[0]
        else:
            current = max([start for start in starts if start <= here], default=starts[0])
            earlier = [start for start in starts if start < current]
            target = earlier[-1] if earlier else starts[-1]
        options.focus()
        options.highlighted = target

    def action_reset(self) -> None:
        self.query_state = PaneQuery()
        self.query_one(Input).value = ""
        self.refresh_counts()

    def action_done(self) -> None:
        self.dismiss(self.query_state)
