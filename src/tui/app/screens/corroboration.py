"""Corroboration (`r`): facts the articles report differently, and facts one article alone
reports, entities and relationships; Enter opens one."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.app.keys import bindings
from tui.app.navigation import ExplorerAccess
from tui.app.screens.lifecycle import call_while_open
from tui.app.widgets.breadcrumb import Breadcrumb
from tui.app.widgets.key_hints import KeyHints
from tui.data.corroboration import reporting, summary
from tui.formatting import field_label
from tui.safe_text import kind_badge, plain


class CorroborationScreen(Screen, ExplorerAccess):
    BINDINGS = bindings("corroboration")

    crumb = "Corroboration"

    def __init__(self) -> None:
        super().__init__()
        self.targets: dict[str, str] = {}
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield Breadcrumb()
        yield Static(id="corroboration-title", markup=False)
        yield OptionList(id="corroboration-list", markup=False)
        yield KeyHints()

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="corroboration")
    def load(self) -> None:
        conn = self.explorer.store.conn
        found, counts = reporting(conn), summary(conn)
        call_while_open(self, self.show, found, counts)

    def show(self, found: dict[str, list[dict[str, Any]]], counts: dict[str, int]) -> None:
        title = Text("Corroboration  ", style="bold")
        title.append(
            f"{counts['entities']} facts: {counts['corroborated']} corroborated, "
            f"{counts['single_source']} single source, "
            f"{counts['reported_differently']} reported differently"
        )
        self.query_one("#corroboration-title", Static).update(title)
        options = self.query_one(OptionList)
        options.clear_options()
        self.targets = {}

        def heading(text: str) -> None:
            options.add_option(Option(Text(text, style="bold"), disabled=True))

        heading(f"── ≠ reported differently ({len(found['differently'])})")
        for index, item in enumerate(found["differently"]):
            line = Text("  ")
            line.append_text(kind_badge(item["kind"]))
            line.append_text(plain(item["name"], "bold"))
            for state in item["states"]:
                line.append(f"\n      {field_label(state['field'])}: ", style="dim")
                line.append_text(plain(state["value"], "bold"))
                line.append("  in ", style="dim")
                line.append_text(plain(state["article"].removeprefix("article:"), "dim"))
            self._add(options, f"differently-{index}", item["ref"], line)
        heading(f"── 1 reported by one article only ({len(found['single'])})")
        for index, item in enumerate(found["single"]):
            line = Text("  ")
            line.append_text(kind_badge(item["kind"]))
            line.append_text(plain(item["name"]))
            self._add(options, f"single-{index}", item["ref"], line)
        heading(f"── 1 relationships reported by one article only ({len(found['single_links'])})")
        for index, item in enumerate(found["single_links"]):
            line = Text("  ")
            line.append_text(plain(item["a_name"]))
            line.append(f" — {item['type']}", style="dim")
            if item["role"]:
                line.append(" (")
                line.append_text(plain(item["role"], "dim"))
                line.append(")")
            line.append(" — ", style="dim")
            line.append_text(plain(item["b_name"]))
            self._add(options, f"link-{index}", item["a"], line)
        first = next((i for i, o in enumerate(options.options) if not o.disabled), None)
        options.highlighted = first
        options.focus()
        self.loaded = True

    def _add(self, options: OptionList, option_id: str, ref: str, line: Text) -> None:
        self.targets[option_id] = ref
        options.add_option(Option(line, id=option_id))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        ref = self.targets.get(event.option_id or "")
        if ref:
            self.explorer.open_entity(ref)
