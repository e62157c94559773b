"""An entity's detail: fields, then links grouped by relation, then the quotes that state it.

Every field and every link has its sources one key away: `s` (or enter, on a field) on its
row unfolds the statements that state it, each with its article, its quote and who asserted
it; enter on a statement reads the article at the quote."""

from __future__ import annotations

import threading
import time
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets.option_list import Option

from tui.app.keys import bindings
from tui.app.navigation import ExplorerAccess
from tui.app.screens.lifecycle import call_while_open
from tui.app.screens.moving import move_focused
from tui.app.widgets.breadcrumb import Breadcrumb
from tui.app.widgets.detail_list import DetailList
from tui.app.widgets.hanging import Hanging, single
from tui.app.widgets.key_hints import KeyHints
from tui.data.details import entity_details, first_details
from tui.data.network import NETWORK_ROOTS
from tui.data.rollup import ROLLED_UP, link_groups
from tui.errors import UserError
from tui.formatting import (
    NOT_STATED,
    agreement,
    counted,
    field_label,
    figures,
    shown_fields,
    stated_value,
)
from tui.safe_text import kind_badge, plain

RELATION_TITLES = {
    "announced at": "announced at", "part of": "part of", "includes": "includes",
    "held in": "held in", "country": "country", "within": "within", "contains": "contains",
    "subject": "subject", "counterpart": "counterpart", "dateline": "dateline",
}  # fmt: skip
# Relations named by a noun: the heading counts them in English (`1 person`, `3 people`).
RELATION_NOUNS = {
    "position": ("position", "positions"), "person": ("person", "people"),
    "participant": ("participant", "participants"), "meeting": ("meeting", "meetings"),
    "party": ("party", "parties"), "commitment": ("commitment", "commitments"),
    "partner": ("partner", "partners"), "place": ("place", "places"),
    "organization": ("organization", "organizations"), "indicator": ("indicator", "indicators"),
    "article": ("article", "articles"),
}  # fmt: skip
LABEL_WIDTH = 14  # a field's label, right-aligned; its value starts two columns after
HIDDEN_FIELDS = frozenset({"sha256", "file", "date_precision"})
LINKS_SHOWN = 20  # per relation at first (about a screen); "… N more" shows LINKS_MORE more
LINKS_MORE = 500
TITLE_ROW, SUMMARY_ROW = "detail-title", "detail-fields"  # the detail's first two rows
FIRST_PAINT_S = 0.05  # and give that first view this long on screen before the rest competes


# A first read (`tui.data.details.first_details`): details, and whether they are complete.
FirstLoad = tuple[dict[str, Any], bool]


def first_caps() -> dict[str, int]:
    """How many links of each relation a detail lists when it opens."""
    return {"default": LINKS_SHOWN}


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def heading(relation: str, total: int, rolled: int = 0) -> Text:
    """A relation's heading: `── 1 person`, `── 3 commitments`, `── held in (1)`; with
    `rolled` of them from included meetings: `── 13 participants (12 via included meetings)`
    (`+` after both counts where the roll-up lists only its first `ROLLED_UP`)."""
    more = "+" if rolled >= ROLLED_UP else ""
    nouns = RELATION_NOUNS.get(relation)
    if nouns:
        text = f"── {counted(total, *nouns)}".replace(f"{total:,} ", f"{total:,}{more} ", 1)
    else:
        text = f"── {RELATION_TITLES.get(relation, relation)} ({total:,}{more})"
    if rolled:
        text += f" ({rolled:,}{more} via included meeting{'s' if rolled != 1 else ''})"
    return Text(text, style="bold")


def label_head(label: str) -> Text:
    """A field's label as a row's head: right-aligned, then two spaces."""
    return Text(f"{label:>{LABEL_WIDTH}}  ", style="dim")


def title_line(details: dict[str, Any]) -> Text:
    """`Name  [kind] ref`: the first row of a detail."""
    title = plain(details["name"], "bold")
    title.append("  ")
    title.append_text(kind_badge(details["kind"]))
    title.append_text(plain(details["ref"], "dim"))
    return title


def summary_lines(details: dict[str, Any]) -> Hanging:
    """What is known of the entity as a whole: how many articles report it and how they
    agree (its fields and aliases, each with its sources, are rows of the list below)."""
    count = details["source_count"]
    reported = Text(counted(count, "article"))
    if details["reported_differently"]:
        reported.append("  ≠ reported differently", style="bold")
    elif count == 1:
        reported.append("  (single source)", style="dim")
    rows = [(label_head("reported by"), reported)]
    if details.get("agreement"):
        rows.append((label_head("agreement"), Text(agreement(details["agreement"]))))
    return Hanging(*rows)


def field_property(key: str) -> str:
    """The property a shown field states: 'announced_at_name' -> 'announced_at'."""
    return key.removeprefix(STATED).removesuffix("_name").removesuffix("_ref")


STATED = "stated-"  # a row for a property no column holds (how a text calls someone, ...)


def stated_rows(details: dict[str, Any], covered: set[str]) -> list[tuple[str, Hanging]]:
    """Rows for the properties the statements give that no field shows: each with the values
    the articles state, e.g. `called  the President, Head of State`."""
    agreed = details.get("property_agreements") or {}
    values: dict[str, list[str]] = {}
    for statement in details.get("statements", []):
        prop = statement["property"]
        if prop in covered or prop in ("mention", "alias") or statement.get("role"):
            continue
        shown = statement.get("shown") or str(statement["value"])
        if shown not in values.setdefault(prop, []):
            values[prop].append(shown)
    rows = []
    for prop, shown_values in values.items():
        line = plain(", ".join(shown_values))
        line.append_text(agreement_mark(agreed.get(prop)))
        rows.append((STATED + prop, Hanging((label_head(field_label(prop)), line))))
    return rows


def agreement_mark(found: dict[str, Any] | None) -> Text:
    """How the articles agree on a field: `·2 articles`, `≠ conflicting`, `~ consistent`."""
    if not found:
        return Text()
    kind, count = found["agreement"], found.get("articles", 0)
    if kind == "conflicting":
        return Text("  ≠ conflicting", style="bold")
    if kind == "consistent":
        return Text("  ~ consistent (both can be true)", style="italic")
    return Text(f"  ·{counted(count, 'article')}", style="dim" if count < 2 else "")


def field_rows(details: dict[str, Any]) -> list[tuple[str, Hanging]]:
    """(field key, its line) for each field shown: `   status  intended  ≠ conflicting`; a
    field the kind always shows with no value: `  amount  not stated`."""
    fields = details["fields"]
    agreed = details.get("property_agreements") or {}
    rows = []
    for key, label, value in shown_fields(details["kind"], fields, HIDDEN_FIELDS):
        if value is None:
            line = Text(NOT_STATED, style="dim italic")
        else:
            line = plain(value)
            line.append_text(agreement_mark(agreed.get(field_property(key))))
        rows.append((key, Hanging((label_head(label), line))))
    rows.extend(stated_rows(details, {field_property(key) for key in fields}))
    if details["aliases"]:
        line = plain(", ".join(details["aliases"]))
        line.append_text(agreement_mark(agreed.get("alias")))
        rows.append(("alias", Hanging((label_head("also"), line))))
    return rows


def statement_line(statement: dict[str, Any], fields: dict[str, Any]) -> Hanging:
    """One source of a field or link: its quote, then what it states, where, and who said it
    (`according to NAME`)."""
    quote = plain(statement["quote"])
    quote.append("”", style="dim")
    said = Text()
    value = statement.get("shown") or stated_value(
        statement["property"], statement["value"], fields, statement.get("value_name")
    )
    if value and statement["property"] != "mention":
        said.append_text(plain(shorten(value, 40), "bold"))
        if statement.get("role"):
            said.append("  ")
            said.append_text(plain(statement["role"], "dim"))
        said.append(" — ", style="dim")
    said.append_text(plain(shorten(statement.get("article_name") or statement["article"], 50),
                           "dim italic"))  # fmt: skip
    if statement.get("asserted_by"):
        said.append(", according to ", style="dim")
        said.append_text(plain(statement.get("asserted_by_name") or statement["asserted_by"]))
    if statement.get("relative"):
        said.append(", dated from “", style="dim")
        said.append_text(plain(statement["relative"]))
        said.append("”", style="dim")
    return Hanging((Text("      “", style="dim"), quote), (Text(" " * 8), said))


def reported_mark(sources: list[dict[str, Any]], agreed: str | None = None) -> Text:
    """How many articles report a relationship: `  ·2 articles`, or `  ·1 article` dimmed,
    and `≠ conflicting` or `~ consistent` where its articles differ. Derived links (partners)
    have no sources of their own and get no mark."""
    count = len({source["article"] for source in sources})
    mark = Text()
    if agreed == "conflicting":
        mark.append("  ≠ conflicting", style="bold")
    elif agreed == "consistent":
        mark.append("  ~ consistent", style="italic")
    if count:
        mark.append(f"  ·{counted(count, 'article')}",
                    style="dim" if count == 1 else "")  # fmt: skip
    return mark


def link_line(link: dict[str, Any], details: dict[str, Any]) -> Hanging:
    """A link's row: `  Name  role  $22 bn, 1 GW  via MEETING  ·1 article`, wrapping under
    the name."""
    line = plain(link["name"])
    if link["role"]:
        line.append("  ")
        line.append_text(plain(link["role"], "dim"))
    figure = figures((details.get("commitment_figures") or {}).get(link["ref"], {}))
    if figure:
        line.append("  ")
        line.append_text(plain(figure, "bold"))
    if link.get("via"):
        line.append("  via ", style="dim")
        line.append_text(plain(", ".join(via["name"] for via in link["via"]), "italic"))
    line.append_text(reported_mark(link["sources"], link.get("agreement")))
    return Hanging((Text("  "), line))


def source_line(source: dict[str, Any]) -> Hanging:
    """One quote stating the entity, what it states where articles differ, and its article."""
    quote = plain(source["quote"])
    quote.append("”")
    if source["states"]:
        states = ", ".join(f"{k}: {v}" for k, v in source["states"].items())
        quote.append("  states ", style="dim")
        quote.append_text(plain(states, "bold"))
    article = plain(shorten(source["article_name"], 60), "dim italic")
    return Hanging((Text("  “"), quote), (Text("    — "), article))


class DetailScreen(Screen, ExplorerAccess):
    BINDINGS = bindings("detail")

    def offers(self, action: str) -> bool:
        """Whether the bottom line offers `action`: who met whom (`w`) only where it can
        start (a person, an organization, a meeting)."""
        return action != "app.network" or self.ref.partition(":")[0] in NETWORK_ROOTS

    def __init__(self, ref: str, first: FirstLoad | None = None) -> None:
        """`first`: the details already read (see `first_details`), shown at once. An empty
        `ref` builds the screen ahead of its first use (see `reuse`)."""
        super().__init__()
        self.ref = ref
        self.crumb = ref
        self.first = first
        self.details: dict[str, Any] | None = None
        self.targets: dict[str, tuple[str, Any]] = {}
        self.caps = first_caps()
        self.keep_highlight: int | None = None
        self.expanded: set[str] = set()  # rows whose sources are unfolded
        # The detail is one column that scrolls whole: its title and summary are its first rows.
        self.link_list = DetailList(id="detail-links")

    def compose(self) -> ComposeResult:
        yield Breadcrumb()
        yield self.link_list
        yield KeyHints()

    def on_mount(self) -> None:
        first, self.first = self.first, None
        if self.ref and self not in self.app.screen_stack:
            return  # closed (keys typed ahead) before it was built: its widgets are gone
        self._start(first)

    def reuse(self, ref: str, first: FirstLoad | None) -> None:
        """Show another entity on this (already built) screen: opening a detail then costs a
        paint, not a new screen's widgets, styles and layout."""
        self.workers.cancel_group(self, "detail")
        self.ref = self.crumb = ref
        self.details = None
        self.targets = {}
        self.caps = first_caps()
        self.keep_highlight = None
        self.expanded = set()
        if first is None:  # nothing of the last entity may show while this one loads
            self.link_list.set_options([Option(single(plain(ref, "dim")), id=TITLE_ROW)])
        self._start(first)

    def _start(self, first: FirstLoad | None) -> None:
        if not self.ref:
            return  # built ahead, shown later (see `reuse`)
        if first is None:
            self.load()
            return
        details, complete = first
        self.show(details)  # before the screen is painted: it opens filled in
        if not complete:
            self.keep_highlight = -1  # the second showing keeps the user's place
            # the costly part waits for the first paint (it would compete with it for the CPU)
            painted = threading.Event()
            self.call_after_refresh(painted.set)
            self._read(self.ref, dict(self.caps), True, painted)

    def on_screen_resume(self) -> None:
        self.query_one(Breadcrumb).refresh_path()

    def on_unmount(self) -> None:
        # A closed detail lets go of its link list and rendered lines at once. The screen and
        # its widgets refer to each other (a cycle only a full collection frees, and full
        # collections wait for the user to pause: see collector.py); what hangs off them
        # need not wait with them.
        self.details = None
        self.targets = {}
        self.link_list.clear_options()  # (its children are gone from queries by now)

    def load(self, shown: bool = False) -> None:
        """Read and show the details; `shown`: the first part is on screen, read the rest."""
        self._read(self.ref, dict(self.caps), shown)

    @work(thread=True, exclusive=True, group="detail")
    def _read(
        self, ref: str, caps: dict[str, int], shown: bool, painted: threading.Event | None = None
    ) -> None:
        """Off the UI thread: reads only. What it read reaches the screen on the app's thread
        (`call_while_open`: not if the screen has closed meanwhile), where `show` drops it if
        the screen has moved on to another ref. `painted`: set once the first part is drawn."""
        store = self.explorer.store
        try:
            if painted is not None:
                painted.wait(0.5)  # let it be drawn before the costly part competes for the CPU
            if not shown:
                details, complete = first_details(store.conn, ref, per_relation=caps)
                if complete:
                    call_while_open(self, self.show, details)
                    return
                painted = threading.Event()
                call_while_open(self, self._show_first, details, painted)
                painted.wait(0.5)  # let it be drawn before the costly part competes for the CPU
            time.sleep(FIRST_PAINT_S)
            details = entity_details(store.conn, ref, per_relation=caps)
        except UserError as exc:
            self.app.call_from_thread(self.app.notify, str(exc), severity="error", markup=False)
            return
        call_while_open(self, self.show, details)

    def _show_first(self, details: dict[str, Any], painted: threading.Event) -> None:
        """The first part of a two-step read; `painted` is set once it is on screen."""
        self.show(details)
        if details["ref"] == self.ref:
            self.keep_highlight = -1  # the second showing keeps the user's place
        self.call_after_refresh(painted.set)

    def show(self, details: dict[str, Any]) -> None:
        if details["ref"] != self.ref:
            return  # read for the entity this screen showed before it was reused
        self.details = details
        self.crumb = details["name"]
        options = self.link_list
        # Set in one go: adding one by one re-lays out each time. The title and summary are
        # rows too, so the whole detail scrolls as one.
        batch = [
            Option(single(title_line(details)), id=TITLE_ROW),
            Option(summary_lines(details), id=SUMMARY_ROW),
        ]
        self.targets = {}
        rows = field_rows(details)
        if rows:
            title = f"── {counted(len(rows), 'field')}  s: sources of a field"
            batch.append(Option(single(Text(title, style="bold")), disabled=True))
        by_property: dict[str, list[dict[str, Any]]] = {}
        for statement in details.get("statements", []):
            by_property.setdefault(statement["property"], []).append(statement)
        for key, line in rows:
            option_id = f"field-{key}"
            said = by_property.get(field_property(key), [])
            self.targets[option_id] = ("field", said)
            batch.append(Option(line, id=option_id))
            if option_id in self.expanded:
                batch.extend(self._statement_options(option_id, said, details["fields"]))
        for group in link_groups(details):
            relation, items = group.relation, group.links
            rolled = sum(1 for link in items if link.get("via"))
            batch.append(Option(single(heading(relation, group.total, rolled)), disabled=True))
            for index, link in enumerate(items):
                option_id = f"link-{relation}-{index}"
                self.targets[option_id] = ("entity", link["ref"])
                batch.append(Option(link_line(link, details), id=option_id))
                if option_id in self.expanded:
                    said = link.get("statements", [])
                    batch.extend(self._statement_options(option_id, said, details["fields"]))
            if group.total > len(items):
                option_id = f"more-{relation}"
                self.targets[option_id] = ("more", relation)
                more = f"  … {group.total - len(items):,} more (enter shows more)"
                batch.append(Option(single(Text(more, style="dim")), id=option_id))
        sources = details["sources"]
        title = f"── {counted(len(sources), 'source')}"
        batch.append(Option(single(Text(title, style="bold")), disabled=True))
        for index, source in enumerate(sources):
            option_id = f"source-{index}"
            self.targets[option_id] = ("source", source)
            batch.append(Option(source_line(source), id=option_id))
        before = options.highlighted
        options.set_options(batch)
        keep = self.keep_highlight
        if keep == -1:  # shown before: stay where the user is
            keep = before
        # Start on the first link, as before fields were rows: the fields stay in view above.
        first = next(
            (i for i, o in enumerate(options.options) if (o.id or "").startswith("link-")),
            next((i for i, o in enumerate(options.options) if not o.disabled), None),
        )
        options.highlighted = keep if keep is not None and keep < options.option_count else first
        self.keep_highlight = None
        options.focus()
        # Once laid out, the highlighted row is in view: set on a screen not yet sized (the
        # first open), the highlight alone scrolled nothing, and at 40x10 it was off screen.
        self.call_after_refresh(options.scroll_to_highlight)
        # (`w` is offered on some kinds only: see `offers`.) The bottom line may not be there
        # yet on a screen still being built, whose details were read first.
        for hints in self.query(KeyHints):
            hints.refresh()
        if self.is_current:  # (else it is, as the screen is shown: `on_screen_resume`)
            self.query_one(Breadcrumb).refresh_path()

    def _statement_options(
        self, row: str, statements: list[dict[str, Any]], fields: dict[str, Any]
    ) -> list[Option]:
        """The unfolded sources of one row: a statement each (enter reads it in its article)."""
        unread = (
            row.startswith("link-") and self.details and not self.details.get("links_stated", True)
        )
        if unread:  # (a big entity's first view: they come with the rest, in a moment)
            return [Option(single(Text("      reading its sources…", style="dim italic")),
                           disabled=True)]  # fmt: skip
        if not statements:
            why = (
                "no statement states it: it comes from the article's own file"
                if self.details and self.details["kind"] == "article"
                else "no statement of its own: derived from other facts"
            )
            return [Option(single(Text(f"      {why}", style="dim italic")), disabled=True)]
        found = []
        for index, statement in enumerate(statements):
            option_id = f"said-{row}-{index}"
            self.targets[option_id] = ("source", statement)
            found.append(Option(statement_line(statement, fields), id=option_id))
        return found

    def action_move(self, action: str) -> None:
        move_focused(self, action)

    def action_sources(self) -> None:
        """Unfold (or fold) the sources of the highlighted field or link: the statements that
        state it. On one of those sources, fold its row."""
        options = self.link_list
        if self.details is None or options.highlighted is None:
            return
        option_id = options.options[options.highlighted].id or ""
        if option_id.startswith("said-"):
            option_id = next(
                (row for row in self.expanded if option_id.startswith(f"said-{row}-")), ""
            )
        if not option_id.startswith(("field-", "link-")):
            self.app.bell()
            return
        self.expanded ^= {option_id}
        self.show(self.details)
        options.highlighted = next(
            (i for i, o in enumerate(options.options) if o.id == option_id), options.highlighted
        )

    def on_detail_list_option_selected(self, event: DetailList.OptionSelected) -> None:
        event.stop()
        self._open(event.option_id)

    def action_open_selected(self) -> None:
        options = self.link_list  # (a key can come before the screen is composed: no query)
        if options.highlighted is not None:
            self._open(options.options[options.highlighted].id)

    def _open(self, option_id: str | None) -> None:
        if option_id not in self.targets:
            return
        what, target = self.targets[option_id]
        if what == "field":
            self.action_sources()
        elif what == "more":
            self.caps[target] = self.caps.get(target, LINKS_SHOWN) + LINKS_MORE
            self.keep_highlight = self.link_list.highlighted
            self.load()
        elif what == "entity":
            self.explorer.open_entity(target)
        else:
            self.explorer.open_source(target["article"], (target["start"], target["end"]))
