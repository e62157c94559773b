"""Terminal output for the CLI. Every value is cleaned of control characters and wrapped in
`rich.text.Text`, so database text is shown literally and never parsed as markup."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from itertools import groupby
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from . import search as search_mod
from .widgets.safe_text import plain, snippet


def _console() -> Console:
    no_color = "NO_COLOR" in os.environ or not sys.stdout.isatty()
    return Console(highlight=False, markup=False, emoji=False, no_color=no_color, soft_wrap=False)


def safe(value: Any, style: str = "") -> Text:
    return plain(value, style)


def print_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    table = Table(*headers, show_lines=False, header_style="bold", expand=False)
    for row in rows:
        table.add_row(*(safe(cell) for cell in row))
    _console().print(table)
    print(f"{len(rows)} row{'s' if len(rows) != 1 else ''}")


def print_search(hits: Sequence[search_mod.Hit]) -> None:
    if not hits:
        print("No matches.")
        return
    table = Table("Kind", "Name", "Snippet", "Ref", header_style="bold")
    for hit in hits:
        name = safe(hit.name)
        if hit.fuzzy:
            name.append(" ~", style="dim")
        table.add_row(safe(hit.kind), name, snippet(hit.snippet, "bold underline"), safe(hit.ref))
    _console().print(table)
    fuzzy = " (~ found by tolerating a typo)" if any(h.fuzzy for h in hits) else ""
    print(f"{len(hits)} hit{'s' if len(hits) != 1 else ''}{fuzzy}")


def print_details(details: dict[str, Any]) -> None:
    console = _console()
    title = safe(details["name"], "bold")
    title.append(f"  {details['kind']}  ", style="dim")
    title.append_text(safe(details["ref"], "dim"))
    console.print(title)
    if details["aliases"]:
        console.print(Text("also: ") + safe(", ".join(details["aliases"])))
    fields = Table.grid(padding=(0, 2))
    for key, value in details["fields"].items():
        if value is None or key.endswith("_ref") or key in ("sha256",):
            continue
        fields.add_row(safe(key.replace("_", " "), "dim"), safe(value))
    console.print(fields)
    reported = f"{details['source_count']} article(s)"
    if details["reported_differently"]:
        reported += ", reported differently"
    console.print(Text(f"Reported by {reported}", style="italic"))
    for relation, group in groupby(details["links"], key=lambda link: link["relation"]):
        items = list(group)
        console.print(Text(f"\n{relation} ({len(items)})", style="bold"))
        for link in items:
            line = Text("  ") + safe(link["name"])
            if link["role"]:
                line.append("  ").append_text(safe(link["role"], "dim"))
            line.append("  ").append_text(safe(link["ref"], "dim"))
            console.print(line)
    console.print(Text(f"\nsources ({len(details['sources'])})", style="bold"))
    for source in details["sources"]:
        line = Text("  ") + safe(source["article"], "dim")
        if source["states"]:
            states = ", ".join(f"{k}: {v}" for k, v in source["states"].items())
            line.append("  states ").append_text(safe(states, "bold"))
        console.print(line)
        console.print(Text("    “") + safe(source["quote"]) + Text("”"))
