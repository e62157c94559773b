"""`roundtable timeline`, `network REF`, `totals` and `corroboration`: the explorer's views
as text or JSON."""

from __future__ import annotations

import argparse
from typing import Any


def add_parser(commands: Any, parents: list[argparse.ArgumentParser]) -> None:
    p = commands.add_parser(
        "timeline", help="meetings, signings and targets by date", parents=parents
    )
    p.add_argument("--about", metavar="REF", help="only items an organization, person or place "
                   "takes part in (a place includes the places within it)")  # fmt: skip
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=run_timeline)

    p = commands.add_parser(
        "network", help="who met whom: an entity's neighbourhood, two hops", parents=parents
    )
    p.add_argument("ref", help="kind:slug, a person, an organization or a meeting")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=run_network)

    p = commands.add_parser(
        "totals", help="amounts and capacities summed per group, per unit", parents=parents
    )
    p.add_argument(
        "--by", default="organization", choices=("organization", "sector", "country", "category")
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=run_totals)

    p = commands.add_parser(
        "corroboration",
        help="facts reported differently, and facts only one article reports",
        parents=parents,
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=run_corroboration)


def run_timeline(args: argparse.Namespace) -> int:
    from tui.cli.main import _print_json, connect_reading
    from tui.data.queries import entity
    from tui.data.timeline import items

    with connect_reading(args) as conn:
        if args.about is not None:  # `--about ""` is a ref that names nothing, not no filter
            entity(conn, args.about)
        rows = items(conn, args.about)
    if args.json:
        _print_json(rows)
        return 0
    from tui.cli.render import print_table

    cells = [
        [r["when"], r["precision_label"], r["name"], r["via_name"] or r["place"] or "", r["ref"]]
        for r in rows
    ]
    print_table(["When", "Precision", "Name", "At", "Ref"], cells, [10, 10, 30, 24])
    return 0


def run_network(args: argparse.Namespace) -> int:
    from tui.cli.main import _print_json, connect_reading
    from tui.data.network import neighbourhood, reached, reached_words, tree_lines
    from tui.textsafe import clean

    with connect_reading(args) as conn:
        root = neighbourhood(conn, args.ref)
    if args.json:
        doc = root.as_json()
        doc["reached"] = [{"ref": n.ref, "kind": n.kind, "name": n.name} for n in reached(root)]
        _print_json(doc)
        return 0
    for line in tree_lines(root):
        print(clean(line, single_line=True))
    met = reached(root)
    print(reached_words(len(met)))
    return 0


def run_totals(args: argparse.Namespace) -> int:
    from tui.cli.main import _print_json, connect_reading
    from tui.data.totals import as_json, bar, totals

    with connect_reading(args) as conn:
        measures = totals(conn, args.by)
    if args.json:
        _print_json(as_json(measures, args.by))
        return 0
    _print_totals(measures, args.by, bar)
    return 0


BAR_WIDTH = 24
TOTAL_LABEL = "All commitments (overlaps once)"  # (the longer of the total's two labels)


def _print_totals(measures: list[Any], by: str, bar: Any) -> None:
    """One table per measure and unit: group, sum, bar scaled to the measure's largest."""
    from rich.table import Table
    from rich.text import Text

    from tui.cli.render import _console, safe

    console = _console()
    if not measures:
        print("No commitment states an amount, a capacity, a quantity or a document count.")
        return
    for measure in measures:
        table = Table(title=None, header_style="bold", expand=False)
        heading = f"{measure.title} by {by}"
        bar_width, label_width, count_width = _totals_widths(console.width, measure, heading)
        # The title names a currency or a unit, from the data: cleaned like any value.
        table.add_column(safe(heading, "bold"), max_width=label_width,
                         overflow="ellipsis", no_wrap=True)  # fmt: skip
        table.add_column("Total", justify="right", no_wrap=True)
        table.add_column("", no_wrap=True, min_width=bar_width)
        table.add_column("n", justify="right", no_wrap=True, min_width=count_width)
        largest = max((line.value for line in measure.lines), default=0)
        for line in measure.lines:
            table.add_row(
                safe(line.label), safe(measure.show(line)),
                Text(bar(line.value, largest, bar_width)), str(len(line.commitments)),
            )  # fmt: skip
        table.add_section()
        overlapping = bool(measure.total.overlaps)
        table.add_row(
            Text(TOTAL_LABEL if overlapping else "All commitments (each once)", style="bold"),
            safe(measure.show(measure.total), "bold"), "",
            str(len(measure.total.commitments)),
        )  # fmt: skip
        console.print(table)
        _print_overlaps(console, measure)
    console.print(
        Text(
            "A commitment counts in each group it belongs to, so groups can add up to more "
            "than the total. Amounts add only within a currency, capacities within a unit; "
            "targets are not added."
        )
    )  # (Text: wrapped at the terminal's width, never read as markup)


def _totals_widths(width: int, measure: Any, heading: str) -> tuple[int, int, int]:
    """The bar's, the label's and the count's widths for a terminal `width` wide: the bar
    gives way down to a few cells, then the label (cut with "…"), so that the totals and
    counts are whole down to about 60 columns."""
    rows = [*measure.lines, measure.total]
    shown = max(len("Total"), *(len(measure.show(line)) for line in rows))
    counts = len(str(max(len(line.commitments) for line in rows)))
    room = width - 1 - 13 - shown - counts  # (four columns: 5 rules, 8 cells of padding)
    label = max(len(heading), len(TOTAL_LABEL), *(len(line.label) for line in rows))
    bar_width = max(6, min(BAR_WIDTH, room - min(label, 40)))
    return bar_width, max(12, min(40, room - bar_width)), counts


def _print_overlaps(console: Any, measure: Any) -> None:
    """Under a measure's table: each figure not added because a larger one may contain it."""
    from rich.text import Text

    from tui.cli.render import safe
    from tui.data.totals import overlap_notes

    for line in [measure.total, *measure.lines]:
        notes = overlap_notes(measure, line)
        if not notes:
            continue
        where = "In the total" if line is measure.total else f"In {line.label}"
        for note in notes:
            console.print(Text(f"  {where}: ", style="italic") + safe(note))


def distinct_tails(names: list[str]) -> dict[str, str]:
    """Each name without the words all of them begin with ("President Kassym-Jomart Tokayev
    took part…" and "… held several…" read apart in a narrow column), for two or more."""
    unique = list(dict.fromkeys(names))
    words = [name.split(" ") for name in unique]
    common = 0
    if len(unique) > 1:
        while all(len(w) > common + 1 and w[common] == words[0][common] for w in words):
            common += 1
    return {
        name: ("… " if common else "") + " ".join(w[common:])
        for name, w in zip(unique, words, strict=True)
    }


def run_corroboration(args: argparse.Namespace) -> int:
    from tui.cli.main import _print_json, connect_reading
    from tui.data.corroboration import reporting, summary, summary_line
    from tui.data.queries import names

    with connect_reading(args) as conn:
        found = reporting(conn)
        counts = summary(conn)
        articles = names(conn, [i["article"] for i in found["single"]])
    if args.json:
        _print_json({"summary": counts, **found})
        return 0
    from rich.text import Text

    from tui.cli.render import _console, print_table
    from tui.formatting import field_label
    from tui.kinds import kind_label

    def say(line: str) -> None:  # (wrapped at the terminal's width, never read as markup)
        _console().print(Text(line))

    say(summary_line(counts))
    short = distinct_tails([s["article_name"] for d in found["differences"] for s in d["states"]])
    cells = [
        [
            item["name"], field_label(item["property"]), item["agreement"],
            s["shown"] + (f" ({s['role']})" if s.get("role") else ""),
            short[s["article_name"]], item["ref"],
        ]
        for item in found["differences"]
        for s in item["states"]
    ]  # fmt: skip
    say("\nStated differently (consistent: all can be true; conflicting: they cannot)")
    print_table(
        ["Name", "Property", "Agreement", "States", "Article", "Ref"], cells,
        [28, 12, 11, 26, 24], floors=[12, 12, 11, 14, 10],
    )  # fmt: skip
    cells = [
        [i["name"], field_label(i["property"]),
         i["shown"] + (f" ({i['role']})" if i.get("role") else ""), len(i["articles"]), i["ref"]]
        for i in found["corroborated"]
    ]  # fmt: skip
    print("\nCorroborated: several articles state the same")
    print_table(
        ["Name", "Property", "Value", "Articles", "Ref"], cells, [30, 14, 40, 8],
        floors=[12, 8, 14, 8],
    )  # fmt: skip
    print("\nReported by one article only")
    cells = [
        [kind_label(i["kind"]), i["name"], articles.get(i["article"], i["article"]), i["ref"]]
        for i in found["single"]
    ]
    print_table(["Kind", "Name", "Article", "Ref"], cells, [12, 40, 40])
    return 0
