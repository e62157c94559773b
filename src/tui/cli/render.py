"""Terminal output for the CLI. Every value is cleaned of control characters and wrapped in
`rich.text.Text`, so database text is shown literally and never parsed as markup."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from itertools import groupby
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from tui.data import search as search_mod
from tui.data.rollup import link_groups
from tui.formatting import (
    NOT_STATED,
    agreement,
    counted,
    field_label,
    figures,
    shown_fields,
    stated_value,
)
from tui.kinds import kind_label
from tui.safe_text import plain, snippet


class _PipeConsole(Console):
    """A console whose closed pipe (`show ... | head -1`) ends the command like any other
    (exit 0, see `tui.cli.main`), where Rich's own exits 1."""

    def on_broken_pipe(self) -> None:
        raise BrokenPipeError


def _console() -> Console:
    tty = sys.stdout.isatty()
    no_color = "NO_COLOR" in os.environ or not tty
    # Piped output keeps whole values (a wide table for `| less -S`, grep and friends) unless
    # COLUMNS asks for a width.
    columns = os.environ.get("COLUMNS", "")
    width = None if tty else int(columns) if columns.isdigit() and int(columns) > 20 else 200
    return _PipeConsole(
        highlight=False,
        markup=False,
        emoji=False,
        no_color=no_color,
        soft_wrap=False,
        width=width,
    )


def safe(value: Any, style: str = "") -> Text:
    return plain(value, style)


def print_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    widths: Sequence[int | None] = (),
    floors: Sequence[int] = (),
) -> None:
    """A table, one line per row. `widths` caps the first columns (longer cells end in `…`);
    the columns after them (the ref) are never cut. When the terminal is too narrow for all,
    the ref goes first (`--json` always has it); then the capped columns narrow down to their
    `floors`, if given (a table whose every column is needed to read a row); then data columns
    go from the right, with a note saying which."""
    console = _console()
    keep = list(range(len(headers)))
    caps = list(widths)
    if widths:

        def needed(i: int) -> int:
            longest = max([len(headers[i])] + [len(str(row[i])) for row in rows])
            cap = caps[i] if i < len(caps) else None
            return (min(longest, cap) if cap else longest) + 3

        budget = console.width - 1
        if sum(map(needed, keep)) > budget:
            keep = list(range(len(widths)))  # the ref goes first
            _narrow(caps, floors, sum(map(needed, keep)) - budget, lambda i: needed(i) - 3)
            used, kept = 0, []
            for i in keep:  # then columns from the right
                if used + needed(i) > budget:
                    break
                used += needed(i)
                kept.append(i)
            keep = kept
    table = Table(show_lines=False, header_style="bold", expand=False)
    for i in keep:
        width = caps[i] if i < len(caps) else None
        table.add_column(headers[i], max_width=width, no_wrap=True, overflow="ellipsis")
    for row in rows:
        table.add_row(*(safe(row[i]) for i in keep))
    console.print(table)
    hidden = [headers[i] for i in range(len(headers)) if i not in keep]
    note = f"{len(rows)} row{'s' if len(rows) != 1 else ''}"
    if hidden:
        note += f"; not shown at this width: {', '.join(hidden)} (see --json)"
    print(note)


def _narrow(
    caps: list[int | None], floors: Sequence[int], excess: int, width: Callable[[int], int]
) -> None:
    """Take `excess` cells from the capped columns, a cell at a time from the one with the
    most above its floor (`width(i)`: the column's width now), none below its floor."""
    for _ in range(max(0, excess)):
        slack = [(width(i) - floor, i) for i, floor in enumerate(floors) if width(i) > floor]
        if not slack:
            return
        _, widest = max(slack)
        caps[widest] = width(widest) - 1


SEARCH_DATA_WIDTH = 70  # kind, name and snippet, readable (with the table's rules and padding)


def print_search(hits: Sequence[search_mod.Hit]) -> None:
    if not hits:
        print("No matches.")
        return
    console = _console()
    refs = max(len(hit.ref) for hit in hits)
    # The ref goes first at a narrow width (`--json` always has it): it is never cut, and
    # beside it kind, name and snippet would wrap a hit over ten lines at 80 columns.
    with_ref = console.width - 1 >= refs + SEARCH_DATA_WIDTH
    table = Table("Kind", "Name", "Snippet", header_style="bold")
    if with_ref:
        table.add_column("Ref", no_wrap=True, min_width=refs)
    for hit in hits:
        name = safe(hit.name)
        if hit.fuzzy:
            name.append(" ~", style="dim")
        kind = safe(kind_label(hit.kind))
        cells = [kind, name, snippet(hit.snippet, "bold underline")]
        table.add_row(*cells, *([safe(hit.ref)] if with_ref else []))
    console.print(table)
    fuzzy = " (~ found by tolerating a typo)" if any(h.fuzzy for h in hits) else ""
    hidden = "" if with_ref else "; not shown at this width: Ref (see --json)"
    print(f"{len(hits)} hit{'s' if len(hits) != 1 else ''}{fuzzy}{hidden}")


def print_details(details: dict[str, Any]) -> None:
    console = _console()
    title = safe(details["name"], "bold")
    title.append(f"  {kind_label(details['kind'])}  ", style="dim")
    title.append_text(safe(details["ref"], "dim"))
    console.print(title)
    if details["aliases"]:
        console.print(Text("also: ") + safe(", ".join(details["aliases"])))
    fields = details["fields"]
    shown = shown_fields(details["kind"], fields, frozenset({"sha256"}))
    width = max((len(label) for _key, label, _value in shown), default=0) + 2
    for _key, label, value in shown:
        label_text = safe(f"{label:<{width}}", "dim")
        console.print(label_text + safe(NOT_STATED if value is None else value))
    reported = counted(details["source_count"], "article")
    if details["reported_differently"]:
        reported += ", reported differently"
    console.print(Text(f"Reported by {reported}", style="italic"))
    console.print(Text(f"Agreement: {agreement(details['agreement'])}", style="italic"))
    for group in link_groups(details):
        console.print(Text(f"\n{group.relation} ({group.total})", style="bold"))
        for link in group.links:
            console.print(link_line(link, details))
    print_statements(console, details)


def link_line(link: dict[str, Any], details: dict[str, Any]) -> Text:
    """`  Name  role  $22 bn  via MEETING  ref  (agreement)`: one link of `show`."""
    line = Text("  ") + safe(link["name"])
    if link["role"]:
        line.append("  ").append_text(safe(link["role"], "dim"))
    figure = figures((details.get("commitment_figures") or {}).get(link["ref"], {}))
    if figure:
        line.append("  ").append_text(safe(figure, "bold"))
    if link.get("via"):
        line.append("  via ", style="dim")
        line.append_text(safe(", ".join(via["name"] for via in link["via"])))
    line.append("  ").append_text(safe(link["ref"], "dim"))
    if link.get("agreement") and link["agreement"] != "single":
        line.append(f"  ({agreement(link['agreement'])})", style="italic")
    return line


def statement_line(statement: dict[str, Any], fields: dict[str, Any]) -> Text:
    """`value (role)  — article name, asserted by NAME`: one statement, without its quote."""
    prop = statement["property"]
    line = Text("  ")
    if prop != "mention":
        shown = statement.get("shown") or stated_value(
            prop, statement["value"], fields, statement.get("value_name")
        )
        line.append_text(safe(shown, "bold"))
        if statement.get("role"):
            line.append("  ").append_text(safe(statement["role"], "dim"))
        line.append("  — ")
    article = statement.get("article_name") or statement["article"]
    article = article if len(article) <= 60 else article[:59].rstrip() + "…"
    line.append_text(safe(article, "dim"))
    if statement.get("asserted_by"):
        who = statement.get("asserted_by_name") or statement["asserted_by"]
        line.append(", asserted by ").append_text(safe(who))
    if statement.get("relative"):
        line.append(", dated from “").append_text(safe(statement["relative"])).append("”")
    return line


def print_statements(console: Console, details: dict[str, Any]) -> None:
    """Every statement about the entity, grouped by property, each with its article, quote
    and who asserted it, and how the articles agree on the property."""
    statements = details.get("statements") or []
    console.print(Text(f"\nstatements ({len(statements)})", style="bold"))
    agreements = details.get("property_agreements") or {}
    for prop, group in groupby(statements, key=lambda s: s["property"]):
        heading = Text("  ") + safe("mentioned" if prop == "mention" else field_label(prop))
        found = agreements.get(prop)
        if found:
            heading.append(f"  ({agreement(found['agreement'])})", style="italic")
        console.print(heading)
        for statement in group:
            console.print(Text("  ") + statement_line(statement, details["fields"]))
            console.print(Text("      “") + safe(statement["quote"]) + Text("”"))
