"""The source reader: an article's full text, the quote you came from highlighted and in view,
every other stored quote underlined, and the entities the article mentions, linked.

`f` finds words in the article (an article opened from a search opens with the search's words
found, at the first match); `n` / `N` go to the next / previous match, or, with nothing to
find, to the next / previous quote. The status line says where you are ("quote 5 of 81",
"match 2 of 7") and when a step wrapped round. The mentions list puts the entities the
highlighted quote states something about first, and `M` hides it for the full width."""

from __future__ import annotations

import re
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widget import AwaitMount
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tui.app.keys import bindings
from tui.app.navigation import ExplorerAccess
from tui.app.screens.lifecycle import call_while_open
from tui.app.widgets.breadcrumb import Breadcrumb
from tui.app.widgets.key_hints import KeyHints
from tui.app.widgets.reader_text import ReaderText
from tui.data import queries, reader
from tui.safe_text import kind_badge, plain

Span = tuple[int, int]
FOCUS_STYLE = "reverse bold"
QUOTE_STYLE = "underline"
MATCH_STYLE = "bold yellow"  # every match of the find (16 colours: ANSI yellow)
# The match you are on, in reverse video against what is around it, so that it stands out
# without colours too (NO_COLOR): reversed (yellow behind it), or inside the focus quote,
# which is reversed, not reversed (black on yellow).
CURRENT_MATCH_STYLE = "bold reverse yellow"
CURRENT_MATCH_IN_FOCUS_STYLE = "bold not reverse black on yellow"
MAX_FIND_WORDS = 12


def paragraphs(body: str) -> list[tuple[int, str]]:
    """Non-empty lines of `body` with the character offset where each starts."""
    found, offset = [], 0
    for line in body.split("\n"):
        if line.strip():
            found.append((offset, line))
        offset += len(line) + 1
    return found


def find_spans(body: str, text: str) -> list[Span]:
    """Where the words of `text` occur in `body` (each word at the start of a word, any
    case, as search matches them), in text order. Untrusted `text` is escaped, never a
    pattern."""
    words = [w for w in re.findall(r"[^\W_]+", text)][:MAX_FIND_WORDS]
    if not words:
        return []
    pattern = re.compile(
        r"\b(?:" + "|".join(re.escape(w) for w in words) + r")[^\W_]*", re.IGNORECASE
    )
    return [match.span() for match in pattern.finditer(body)]


def styled_paragraph(
    start: int,
    line: str,
    quotes: list[Span],
    focus: Span | None,
    matches: list[Span] | None = None,
    current: Span | None = None,
) -> Text:
    """One paragraph with stored quotes underlined, the focus quote in reverse video, and the
    find's matches marked (the current one reversed against its surroundings)."""
    text = plain(line)  # control characters become one visible character each: offsets hold
    end = start + len(line)

    def mark(span: Span | None, style: str) -> None:
        if span and span[0] < end and span[1] > start:
            text.stylize(style, max(span[0], start) - start, min(span[1], end) - start)

    for quote in quotes:
        mark(quote, QUOTE_STYLE)
    mark(focus, FOCUS_STYLE)
    for match in matches or []:
        mark(match, MATCH_STYLE)
    in_focus = current and focus and focus[0] <= current[0] and current[1] <= focus[1]
    mark(current, CURRENT_MATCH_IN_FOCUS_STYLE if in_focus else CURRENT_MATCH_STYLE)
    return text


class FindInput(Input):
    """The reader's find box: Enter finds, Escape closes it and keeps the last find."""

    BINDINGS = bindings("find")

    def action_cancel(self) -> None:
        screen = self.screen
        if isinstance(screen, SourceScreen):
            screen.close_find()


class SourceScreen(Screen, ExplorerAccess):
    BINDINGS = bindings("source")

    def __init__(
        self, article_ref: str, focus: Span | None = None, *, find: str | None = None
    ) -> None:
        super().__init__()
        self.article_ref = article_ref
        self.focus_span = focus
        self.find_text = (find or "").strip()
        self.crumb = "Source"
        self.quote_spans: list[Span] = []
        self.lines: list[tuple[int, str]] = []
        self.body = ""
        self.matches: list[Span] = []
        self.current_match: Span | None = None
        self.mentions: list[dict[str, Any]] = []
        self.quote_refs: dict[Span, list[str]] = {}
        self.note = ""  # said once in the status line: a wrap, nothing found

    def compose(self) -> ComposeResult:
        yield Breadcrumb()
        yield Static(id="source-title", markup=False)
        with Horizontal(id="source-body"):
            yield ReaderText(id="source-text")
            yield OptionList(id="source-mentions", markup=False)
        yield Static(id="source-status", markup=False)
        yield FindInput(placeholder="Find in the article…", id="source-find", select_on_focus=True)
        yield KeyHints()

    def on_mount(self) -> None:
        self.query_one("#source-find", FindInput).display = False
        self.load()

    @work(thread=True, exclusive=True, group="source")
    def load(self) -> None:
        conn = self.explorer.store.conn
        article = queries.article_text(conn, self.article_ref)
        spans = queries.article_quote_spans(conn, self.article_ref)
        mentions = queries.article_mentions(conn, self.article_ref)
        quote_refs = reader.quote_entities(conn, self.article_ref)
        call_while_open(self, self.show, article, spans, mentions, quote_refs)

    def show(
        self,
        article: dict[str, Any],
        spans: list[Span],
        mentions: list[dict[str, Any]],
        quote_refs: dict[Span, list[str]] | None = None,
    ) -> None:
        self.quote_spans = spans
        self.mentions = mentions
        self.quote_refs = quote_refs or {}
        self.body = article["body"]
        self.crumb = f"Source: {article['name']}"
        title = plain(article["name"], "bold")
        meta = " · ".join(str(v) for v in (article["published"], article["dateline"]) if v)
        title.append("\n")
        title.append_text(plain(meta, "dim"))
        self.query_one("#source-title", Static).update(title)
        self.lines = paragraphs(self.body)
        if self.find_text:
            self._find(self.find_text, after=self.focus_span)
        container = self.query_one("#source-text", VerticalScroll)
        mounted = container.mount_all(
            Static(self._styled(i), markup=False, classes="paragraph")
            for i in range(len(self.lines))
        )
        self._show_mentions()
        self._show_status()
        self.query_one(Breadcrumb).refresh_path()
        container.focus()
        self.run_worker(self._scroll_once_laid_out(mounted), group="source-scroll")

    async def _scroll_once_laid_out(self, mounted: AwaitMount) -> None:
        """To the quote, once its paragraph has a place: after the mount, and the paint that
        lays it out (a scroll asked for before goes nowhere, as a loaded machine showed)."""
        await mounted
        self._scroll_to_focus_once_laid_out()

    def _scroll_to_focus_once_laid_out(self) -> None:
        """To the quote (or match) after the next paint, which lays the text out again...
        and once more after the paint that follows: on a fast machine the first scroll came
        before the layout was final, and left the quote 3 lines above the middle."""
        self.call_after_refresh(self._scroll_to_focus)
        self.call_after_refresh(lambda: self.call_after_refresh(self._scroll_to_focus))

    # --- drawing -------------------------------------------------------------------------

    def _styled(self, index: int) -> Text:
        start, line = self.lines[index]
        return styled_paragraph(
            start, line, self.quote_spans, self.focus_span, self.matches, self.current_match
        )

    def _redraw(self, spans: set[Span | None] | None = None) -> None:
        """Draw again the paragraphs holding `spans` (all of them when None)."""
        widgets = list(self.query(".paragraph").results(Static))
        if spans is None:
            indexes = set(range(len(widgets)))
        else:
            indexes = {self._paragraph_index(span[0]) for span in spans if span is not None}
        for i in sorted(indexes):
            if i < len(widgets):
                widgets[i].update(self._styled(i))

    def _paragraph_index(self, offset: int) -> int:
        index = 0
        for i, (start, _) in enumerate(self.lines):
            if start <= offset:
                index = i
        return index

    def _target(self) -> Span | None:
        return self.current_match or self.focus_span

    def _scroll_to_focus(self) -> None:
        target = self._target()
        if target is None:
            return
        paragraphs_ = self.query(".paragraph")
        index = self._paragraph_index(target[0])
        if index < len(paragraphs_):
            self.query_one("#source-text", VerticalScroll).scroll_to_widget(
                paragraphs_[index], center=True, animate=False
            )

    def status_text(self) -> str:
        """Where you are: the quote and the match, and what the last step had to say."""
        parts = []
        if self.focus_span in self.quote_spans:
            parts.append(
                f"quote {self.quote_spans.index(self.focus_span) + 1} of {len(self.quote_spans)}"
            )
        elif self.quote_spans:
            parts.append(f"{len(self.quote_spans)} quotes")
        if self.find_text:
            if self.current_match in self.matches:
                index = self.matches.index(self.current_match) + 1
                parts.append(f"match {index} of {len(self.matches)} for “{self.find_text}”")
            else:
                parts.append(f"no match for “{self.find_text}”")
        if self.note:
            parts.append(self.note)
        return " · ".join(parts)

    def _show_status(self) -> None:
        self.query_one("#source-status", Static).update(plain(self.status_text(), "bold"))
        self.note = ""

    def _show_mentions(self) -> None:
        """The mentions, those the highlighted quote states something about first."""
        behind = set(self.quote_refs.get(self.focus_span, [])) if self.focus_span else set()
        first = [m for m in self.mentions if m["ref"] in behind]
        rest = [m for m in self.mentions if m["ref"] not in behind]
        options = []
        for mention in first + rest:
            label = Text("▸ " if mention["ref"] in behind else "  ", style="bold")
            label.append_text(kind_badge(mention["kind"]))
            label.append_text(plain(mention["name"]))
            options.append(Option(label, id=mention["ref"]))
        mentions = self.query_one("#source-mentions", OptionList)
        mentions.set_options(options)
        if options:
            mentions.highlighted = 0

    # --- moving --------------------------------------------------------------------------

    def action_next(self, step: int) -> None:
        """`n` / `N`: the next (or previous) match of the find; with nothing to find, the
        next (or previous) quote. Says so when it wraps round."""
        if self.find_text:
            self._step_match(step)
        else:
            self.action_next_quote(step)

    def _step_match(self, step: int) -> None:
        if not self.matches:
            self.note = "nothing to go to"
            self._show_status()
            return
        previous = self.current_match
        if previous in self.matches:
            target = self.matches.index(previous) + step
            if not 0 <= target < len(self.matches):
                self.note = "wrapped to the first match" if step > 0 else "wrapped to the last"
        else:
            target = 0 if step > 0 else -1
        self.current_match = self.matches[target % len(self.matches)]
        focus = self.focus_span
        self._follow_match()
        self._redraw({previous, self.current_match, focus, self.focus_span})
        if self.focus_span != focus:
            self._show_mentions()
        self._show_status()
        self._scroll_to_focus()

    def _follow_match(self) -> None:
        """The stored quote holding the current match, if one does, becomes the highlighted
        quote (so the mentions list shows who it is about)."""
        match = self.current_match
        if match is None:
            return
        holding = [q for q in self.quote_spans if q[0] <= match[0] and match[1] <= q[1]]
        if holding:
            self.focus_span = holding[0]

    def action_next_quote(self, step: int) -> None:
        """Move the highlight to the next (or previous) stored quote in the article."""
        spans = self.quote_spans
        if not spans:
            return
        if self.focus_span in spans:
            target = spans.index(self.focus_span) + step
            if not 0 <= target < len(spans):
                self.note = "wrapped to the first quote" if step > 0 else "wrapped to the last"
            index = target % len(spans)
        else:
            index = 0 if step > 0 else len(spans) - 1
        previous, self.focus_span = self.focus_span, spans[index]
        self._redraw({previous, self.focus_span})
        self._show_mentions()
        self._show_status()
        self._scroll_to_focus()

    # --- finding -------------------------------------------------------------------------

    def _find(self, text: str, after: Span | None = None) -> None:
        """Find `text`: every match marked, the first at or after `after` current, and the
        quote holding it highlighted."""
        self.find_text = text.strip()
        self.matches = find_spans(self.body, self.find_text) if self.find_text else []
        start = after[0] if after else 0
        later = [m for m in self.matches if m[0] >= start] or self.matches
        self.current_match = later[0] if later else None
        self._follow_match()

    def action_find(self) -> None:
        box = self.query_one("#source-find", FindInput)
        box.value = self.find_text
        box.display = True
        box.focus()

    def close_find(self) -> None:
        box = self.query_one("#source-find", FindInput)
        box.display = False
        self.query_one("#source-text", VerticalScroll).focus()

    @on(Input.Submitted, "#source-find")
    def find_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._find(event.value, after=self.current_match or self.focus_span)
        if self.find_text and not self.matches:
            self.note = "not in this article"
        self.close_find()
        self._redraw()
        self._show_mentions()
        self._show_status()
        self._scroll_to_focus()

    # --- the mentions --------------------------------------------------------------------

    def action_toggle_mentions(self) -> None:
        mentions = self.query_one("#source-mentions", OptionList)
        mentions.display = not mentions.display
        if not mentions.display:
            self.query_one("#source-text", VerticalScroll).focus()
        self._scroll_to_focus_once_laid_out()  # (the text is rewrapped to the new width)

    def action_focus_mentions(self) -> None:
        mentions = self.query_one("#source-mentions", OptionList)
        mentions.display = True
        mentions.focus()

    def action_focus_text(self) -> None:
        self.query_one("#source-text", VerticalScroll).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_id:
            self.explorer.open_entity(event.option_id)
