"""An entity's detail: fields, then links grouped by relation, then the quotes that state it."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from ..details import entity_details
from ..errors import UserError
from ..formatting import field_label, label
from ..widgets.breadcrumb import Breadcrumb
from ..widgets.safe_text import kind_badge, plain

RELATION_TITLES = {
    "position": "positions", "person": "people", "participant": "participants",
    "meeting": "meetings", "party": "parties", "commitment": "commitments",
    "partner": "partners", "announced at": "announced at", "part of": "part of",
    "includes": "includes", "held in": "held in", "place": "places", "country": "country",
    "organization": "organizations", "within": "within", "contains": "contains",
    "subject": "subject", "counterpart": "counterpart", "indicator": "indicators",
    "dateline": "dateline", "article": "articles",
}  # fmt: skip
HIDDEN_FIELDS = {"sha256", "file", "date_precision"}
CHOICE_FIELDS = {"org_type", "place_type", "meeting_type", "category", "status"}
LINKS_SHOWN = 50  # per relation at first; "… N more" shows LINKS_MORE more
LINKS_MORE = 500


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def field_lines(details: dict[str, Any]) -> Text:
    """The entity's own fields, one `key  value` line each, names shown for references."""
    text = Text()
    fields = details["fields"]
    for key, value in fields.items():
        if value is None or key in HIDDEN_FIELDS or key.endswith("_ref"):
            continue
        text.append(f"{field_label(key):>14}  ", style="dim")
        text.append_text(plain(label(value) if key in CHOICE_FIELDS else value))
        text.append("\n")
    if details["aliases"]:
        text.append(f"{'also':>14}  ", style="dim")
        text.append_text(plain(", ".join(details["aliases"])))
        text.append("\n")
    count = details["source_count"]
    text.append(f"{'reported by':>14}  ", style="dim")
    text.append(f"{count} article{'s' if count != 1 else ''}")
    if details["reported_differently"]:
        text.append("  ≠ reported differently", style="bold")
    elif count == 1:
        text.append("  (single source)", style="dim")
    return text


class DetailScreen(Screen):
    BINDINGS = [  # noqa: RUF012 - Textual convention
        Binding("escape,backspace", "app.back", "Back"),
        Binding("enter", "open_selected", "Open", show=False),
    ]

    def __init__(self, ref: str) -> None:
        super().__init__()
        self.ref = ref
        self.crumb = ref
        self.details: dict[str, Any] | None = None
        self.targets: dict[str, tuple[str, Any]] = {}
        self.caps: dict[str, int] = {"default": LINKS_SHOWN}
        self.keep_highlight: int | None = None

    def compose(self) -> ComposeResult:
        yield Breadcrumb()
        with Vertical(id="detail"):
            yield Static(id="detail-title", markup=False)
            yield Static(id="detail-fields", markup=False)
            yield OptionList(id="detail-links", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="detail")
    def load(self) -> None:
        store = self.app.store  # type: ignore[attr-defined]
        try:
            details = entity_details(store.conn, self.ref, per_relation=dict(self.caps))
        except UserError as exc:
            self.app.call_from_thread(self.app.notify, str(exc), severity="error")
            return
        self.app.call_from_thread(self.show, details)

    def show(self, details: dict[str, Any]) -> None:
        self.details = details
        self.crumb = details["name"]
        title = plain(details["name"], "bold")
        title.append("  ")
        title.append_text(kind_badge(details["kind"]))
        title.append_text(plain(details["ref"], "dim"))
        self.query_one("#detail-title", Static).update(title)
        self.query_one("#detail-fields", Static).update(field_lines(details))
        options = self.query_one("#detail-links", OptionList)
        options.clear_options()
        self.targets = {}
        counts = details["link_counts"]
        for relation, group in groupby(details["links"], key=lambda link: link["relation"]):
            items = list(group)
            total = counts.get(relation, len(items))
            heading = f"── {RELATION_TITLES.get(relation, relation)} ({total:,})"
            options.add_option(Option(Text(heading, style="bold"), disabled=True))
            for index, link in enumerate(items):
                option_id = f"link-{relation}-{index}"
                self.targets[option_id] = ("entity", link["ref"])
                line = Text("  ")
                line.append_text(plain(link["name"]))
                if link["role"]:
                    line.append("  ")
                    line.append_text(plain(link["role"], "dim"))
                options.add_option(Option(line, id=option_id))
            if total > len(items):
                option_id = f"more-{relation}"
                self.targets[option_id] = ("more", relation)
                more = Text(f"  … {total - len(items):,} more (enter shows more)", style="dim")
                options.add_option(Option(more, id=option_id))
        sources = details["sources"]
        options.add_option(
            Option(Text(f"── sources ({len(sources)})", style="bold"), disabled=True)
        )
        for index, source in enumerate(sources):
            option_id = f"source-{index}"
            self.targets[option_id] = ("source", source)
            line = Text("  “")
            line.append_text(plain(source["quote"]))
            line.append("”")
            if source["states"]:
                states = ", ".join(f"{k}: {v}" for k, v in source["states"].items())
                line.append("  states ", style="dim")
                line.append_text(plain(states, "bold"))
            line.append("\n    — ")
            line.append_text(plain(shorten(source["article_name"], 60), "dim italic"))
            options.add_option(Option(line, id=option_id))
        keep = self.keep_highlight
        first = next((i for i, o in enumerate(options.options) if not o.disabled), None)
        options.highlighted = keep if keep is not None and keep < options.option_count else first
        self.keep_highlight = None
        options.focus()
        self.query_one(Breadcrumb).refresh_path()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._open(event.option_id)

    def action_open_selected(self) -> None:
        options = self.query_one("#detail-links", OptionList)
        if options.highlighted is not None:
            self._open(options.options[options.highlighted].id)

    def _open(self, option_id: str | None) -> None:
        if option_id not in self.targets:
            return
        what, target = self.targets[option_id]
        if what == "more":
            self.caps[target] = self.caps.get(target, LINKS_SHOWN) + LINKS_MORE
            self.keep_highlight = self.query_one("#detail-links", OptionList).highlighted
            self.load()
        elif what == "entity":
            self.app.open_entity(target)  # type: ignore[attr-defined]
        else:
            self.app.open_source(target["article"], (target["start"], target["end"]))  # type: ignore[attr-defined]
