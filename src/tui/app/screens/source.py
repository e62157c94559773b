"""The source reader: an article's full text, the quote you came from highlighted and in view,
every other stored quote underlined, and the entities the article mentions, linked."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.app.keys import bindings
from tui.app.navigation import ExplorerAccess
from tui.app.screens.lifecycle import call_while_open
from tui.app.widgets.breadcrumb import Breadcrumb
from tui.app.widgets.key_hints import KeyHints
from tui.data import queries
from tui.safe_text import kind_badge, plain

Span = tuple[int, int]
FOCUS_STYLE = "reverse bold"
QUOTE_STYLE = "underline"


def paragraphs(body: str) -> list[tuple[int, str]]:
    """Non-empty lines of `body` with the character offset where each starts."""
    found, offset = [], 0
    for line in body.split("\n"):
        if line.strip():
            found.append((offset, line))
        offset += len(line) + 1
    return found


def styled_paragraph(start: int, line: str, quotes: list[Span], focus: Span | None) -> Text:
    """One paragraph with stored quotes underlined and the focus quote in reverse video."""
    text = plain(line)  # control characters become one visible character each: offsets hold
    end = start + len(line)
    for q_start, q_end in quotes:
        if q_start < end and q_end > start:
            text.stylize(QUOTE_STYLE, max(q_start, start) - start, min(q_end, end) - start)
    if focus and focus[0] < end and focus[1] > start:
        text.stylize(FOCUS_STYLE, max(focus[0], start) - start, min(focus[1], end) - start)
    return text


class SourceScreen(Screen, ExplorerAccess):
    BINDINGS = bindings("source")

    def __init__(self, article_ref: str, focus: Span | None = None) -> None:
        super().__init__()
        self.article_ref = article_ref
        self.focus_span = focus
        self.crumb = "Source"
        self.quote_spans: list[Span] = []
        self.lines: list[tuple[int, str]] = []

    def compose(self) -> ComposeResult:
        yield Breadcrumb()
        yield Static(id="source-title", markup=False)
        with Horizontal(id="source-body"):
            yield VerticalScroll(id="source-text", can_focus=True)
            yield OptionList(id="source-mentions", markup=False)
        yield KeyHints()

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="source")
    def load(self) -> None:
        conn = self.explorer.store.conn
        article = queries.article_text(conn, self.article_ref)
        spans = queries.article_quote_spans(conn, self.article_ref)
        mentions = queries.article_mentions(conn, self.article_ref)
        call_while_open(self, self.show, article, spans, mentions)

    def show(
        self, article: dict[str, Any], spans: list[Span], mentions: list[dict[str, Any]]
    ) -> None:
        self.quote_spans = spans
        self.crumb = f"Source: {article['name']}"
        title = plain(article["name"], "bold")
        meta = " · ".join(str(v) for v in (article["published"], article["dateline"]) if v)
        title.append("\n")
        title.append_text(plain(meta, "dim"))
        self.query_one("#source-title", Static).update(title)
        container = self.query_one("#source-text", VerticalScroll)
        widgets = []
        self.lines = paragraphs(article["body"])
        for start, line in self.lines:
            widgets.append(
                Static(
                    styled_paragraph(start, line, spans, self.focus_span),
                    markup=False,
                    classes="paragraph",
                )
            )
        container.mount_all(widgets)
        options = self.query_one("#source-mentions", OptionList)
        for mention in mentions:
            label = kind_badge(mention["kind"])
            label.append_text(plain(mention["name"]))
            options.add_option(Option(label, id=mention["ref"]))
        self.query_one(Breadcrumb).refresh_path()
        container.focus()
        self.call_after_refresh(self._scroll_to_focus)

    def _paragraph_index(self, offset: int) -> int:
        index = 0
        for i, (start, _) in enumerate(self.lines):
            if start <= offset:
                index = i
        return index

    def _scroll_to_focus(self) -> None:
        if self.focus_span is None:
            return
        paragraphs_ = self.query(".paragraph")
        index = self._paragraph_index(self.focus_span[0])
        if index < len(paragraphs_):
            self.query_one("#source-text", VerticalScroll).scroll_to_widget(
                paragraphs_[index], center=True, animate=False
            )

    def action_next_quote(self, step: int) -> None:
        """Move the highlight to the next (or previous) stored quote in the article."""
        spans = self.quote_spans
        if not spans:
            return
        if self.focus_span in spans:
            index = (spans.index(self.focus_span) + step) % len(spans)
        else:
            index = 0 if step > 0 else len(spans) - 1
        previous, self.focus_span = self.focus_span, spans[index]
        widgets = list(self.query(".paragraph").results(Static))
        for span in {previous, self.focus_span}:
            if span is None:
                continue
            i = self._paragraph_index(span[0])
            start, line = self.lines[i]
            widgets[i].update(styled_paragraph(start, line, spans, self.focus_span))
        self._scroll_to_focus()

    def action_focus_mentions(self) -> None:
        self.query_one("#source-mentions", OptionList).focus()

    def action_focus_text(self) -> None:
        self.query_one("#source-text", VerticalScroll).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_id:
            self.explorer.open_entity(event.option_id)
