"""Corroboration (`r`): facts the articles state differently (each difference consistent or
conflicting, with what each article states), facts several articles state alike, and facts
one article alone reports, entities and relationships; Enter opens one."""

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
from tui.app.screens.moving import move_focused
from tui.app.widgets.breadcrumb import Breadcrumb
from tui.app.widgets.hanging import indented
from tui.app.widgets.key_hints import KeyHints
from tui.data.corroboration import reporting, summary, summary_line
from tui.formatting import agreement, counted, field_label
from tui.safe_text import kind_badge, plain


def _short(text: str, limit: int = 48) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _by_entity(differences: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """The differences grouped by entity, in their order."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for item in differences:
        grouped.setdefault(item["ref"], []).append(item)
    return list(grouped.items())


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

    def action_move(self, action: str) -> None:
        move_focused(self, action)

    @work(thread=True, exclusive=True, group="corroboration")
    def load(self) -> None:
        conn = self.explorer.store.conn
        found, counts = reporting(conn), summary(conn)
        call_while_open(self, self.show, found, counts)

    def show(self, found: dict[str, list[dict[str, Any]]], counts: dict[str, int]) -> None:
        title = Text("Corroboration  ", style="bold")
        title.append(summary_line(counts))
        self.query_one("#corroboration-title", Static).update(title)
        options = self.query_one(OptionList)
        options.clear_options()
        self.targets = {}

        def heading(text: str) -> None:
            options.add_option(Option(Text(text, style="bold"), disabled=True))

        differences = found.get("differences", [])
        differing = len({d["ref"] for d in differences})
        heading(f"── ≠ reported differently ({counted(differing, 'entity', 'entities')})")
        for index, (ref, items) in enumerate(_by_entity(differences)):
            line = Text("  ")
            line.append_text(kind_badge(items[0]["kind"]))
            line.append_text(plain(items[0]["name"], "bold"))
            for item in items:
                line.append(f"\n      {field_label(item['property'])}", style="dim")
                line.append(f"  {agreement(item['agreement'])}", style="italic")
                for state in item["states"]:
                    line.append("\n        ")
                    line.append_text(plain(state["shown"], "bold"))
                    if state.get("role"):
                        line.append("  ")
                        line.append_text(plain(state["role"], "dim"))
                    line.append("  in ", style="dim")
                    line.append_text(plain(_short(state["article_name"]), "dim"))
                    if state.get("asserted_by"):
                        line.append(", according to ", style="dim")
                        line.append_text(plain(state["asserted_by_name"] or state["asserted_by"]))
            self._add(options, f"differently-{index}", ref, line)
        corroborated = found.get("corroborated", [])
        alike = len({item["ref"] for item in corroborated})
        heading(
            f"── = stated alike by several articles ({counted(len(corroborated), 'fact')} "
            f"of {counted(alike, 'entity', 'entities')})"
        )
        for index, item in enumerate(corroborated):
            line = Text("  ")
            line.append_text(plain(item["name"]))
            line.append(f"  {field_label(item['property'])} ", style="dim")
            line.append_text(plain(item["shown"], "bold"))
            if item.get("role"):
                line.append("  ")
                line.append_text(plain(item["role"], "dim"))
            line.append(f"  ·{counted(len(item['articles']), 'article')}", style="dim")
            self._add(options, f"corroborated-{index}", item["ref"], line)
        heading(f"── entities reported by one article only ({len(found['single'])})")
        for index, item in enumerate(found["single"]):
            line = Text("  ")
            line.append_text(kind_badge(item["kind"]))
            line.append_text(plain(item["name"]))
            self._add(options, f"single-{index}", item["ref"], line)
        heading(f"── relationships reported by one article only ({len(found['single_links'])})")
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
        options.add_option(Option(indented(line), id=option_id))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        ref = self.targets.get(event.option_id or "")
        if ref:
            self.explorer.open_entity(ref)
