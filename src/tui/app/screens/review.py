"""The Review screen: an article's proposals, decided from the keyboard.

The article on the left, every proposal's words underlined and the highlighted proposal's in
reverse video (visible without colour); the proposals on the right, grouped by kind, each with
its status, what it would do (new, or match → the known entity) and why. Each decision and
edit is saved to the proposals file at once (`tui.data.review.save`), so a dropped session
loses nothing; `W` applies the accepted ones in a worker, and the explorer's lists read the
database again."""

from __future__ import annotations

import sqlite3
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.app.keys import bindings
from tui.app.navigation import ExplorerAccess
from tui.app.screens.lifecycle import call_while_open
from tui.app.screens.review_dialogs import EditDialog, EntityChooser, KindDialog, SplitDialog
from tui.app.screens.source import paragraphs
from tui.app.widgets.breadcrumb import Breadcrumb
from tui.app.widgets.key_hints import KeyHints
from tui.data import applying
from tui.data import review as reviews
from tui.data import review_edits as edits
from tui.data.extract.proposals import ENTITY_KINDS, PROPOSAL_KINDS, Proposal
from tui.data.queries import names as entity_names
from tui.errors import UserError
from tui.formatting import counted
from tui.safe_text import plain

Span = tuple[int, int]
PROPOSAL_STYLE = "underline"  # every proposal's words
FOCUS_STYLE = "reverse"  # the highlighted proposal's words
SELECTION_STYLE = "reverse bold underline"  # the words selected with the keyboard
MARKS = {"pending": "·", "accepted": "✓", "rejected": "✗", "applied": "■"}
HEADINGS = {
    "organization": "Organizations", "person": "People", "place": "Places",
    "position": "Positions", "meeting": "Meetings", "commitment": "Commitments",
    "indicator": "Indicators",
}  # fmt: skip


def shown(value: object) -> str:
    """A field's value in the info line: a list as its items, a whole number without `.0`."""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def ref_taken(conn: sqlite3.Connection, ref: str) -> bool:
    """Whether the database knows `ref` (a new entity must not take a known one's ref)."""
    return conn.execute("SELECT 1 FROM entities WHERE ref = ?", (ref,)).fetchone() is not None


def styled_paragraph(
    start: int, line: str, spans: list[Span], focus: list[Span], selection: Span | None
) -> Text:
    """One paragraph: proposals' words underlined, the focus proposal's reversed, the
    selection reversed, bold and underlined."""
    text = plain(line)  # control characters become one visible character each: offsets hold
    end = start + len(line)

    def mark(span: Span, style: str) -> None:
        if span[0] < end and span[1] > start:
            text.stylize(style, max(span[0], start) - start, min(span[1], end) - start)

    for span in spans:
        mark(span, PROPOSAL_STYLE)
    for span in focus:
        mark(span, FOCUS_STYLE)
    if selection is not None:
        mark(selection, SELECTION_STYLE)
    return text


# What the screen shows of a review, read off the UI thread: the review, the known names of
# the entities it matches or links, the article's paragraphs and its words.
Prepared = tuple["reviews.Review", dict[str, str], list[tuple[int, str]], list[Span]]


def prepared(review: reviews.Review, conn: sqlite3.Connection) -> Prepared:
    """All the screen needs to show `review` (in a worker: it queries the database)."""
    refs = {p.match for p in review.proposals if p.match}
    refs |= {link["ref"] for p in review.proposals for link in p.links}
    try:
        names = entity_names(conn, list(refs))
    except (UserError, sqlite3.Error):
        names = {}
    return review, names, paragraphs(review.body), edits.word_spans(review.body)


class ArticleText(VerticalScroll, can_focus=True):
    """The article; focused, it is selecting words (see the `review_text` keys)."""

    BINDINGS = bindings("review_text")

    def action_word(self, step: int) -> None:
        self._screen.step_word(step)

    def action_extend(self, step: int) -> None:
        self._screen.extend(step)

    def action_sentence(self) -> None:
        self._screen.whole_sentence()

    async def action_make(self) -> None:
        await self._screen.make_from_selection()

    def action_done(self) -> None:
        self._screen.end_selection()

    @property
    def _screen(self) -> ReviewScreen:
        screen = self.screen
        assert isinstance(screen, ReviewScreen)
        return screen


class ReviewScreen(Screen, ExplorerAccess):
    BINDINGS = bindings("review")
    DEFAULT_CSS = """
    #review-title { height: 1; padding: 0 1; }
    #review-body { height: 1fr; }
    #review-text { width: 1fr; padding: 0 1; }
    #review-text:focus { background: $boost; }
    #review-side { width: 1fr; min-width: 30; max-width: 48; border-left: solid $secondary; }
    #review-list { height: 1fr; border: none; }
    #review-info { height: auto; max-height: 3; padding: 0 1; }
    #review-status { height: 1; padding: 0 1; }
    """

    def __init__(
        self,
        corpus: Path,
        article_id: str,
        review: reviews.Review | None = None,
        ready: Prepared | None = None,
    ) -> None:
        super().__init__()
        self.read = review  # the proposals read already, if they were
        self.ready = ready  # ... and all the screen shows of them (see `prepared`)
        self.corpus = Path(corpus)
        self.article_id = article_id
        self.article_ref = f"article:{article_id}"
        self.crumb = "Review"
        self.review: reviews.Review | None = None
        self.names: dict[str, str] = {}  # matched refs -> their known names
        self.lines: list[tuple[int, str]] = []
        self.starts: list[int] = []  # where each paragraph starts, for finding one by offset
        self._by_paragraph: dict[int, list[Span]] | None = None  # proposals' spans, drawn
        self._marks: list[Span] = []  # the focus and selection spans drawn last
        self.words: list[Span] = []
        self.selection: tuple[int, int] | None = None  # word indexes, first and last
        self.message = ""  # the last thing done, or why it could not be
        self.applying = False  # an apply is writing: no decision or edit until it is done

    def compose(self) -> ComposeResult:
        yield Breadcrumb()
        yield Static(id="review-title", markup=False)
        with Horizontal(id="review-body"):
            yield ArticleText(id="review-text")
            with Vertical(id="review-side"):
                yield OptionList(id="review-list", markup=False)
                yield Static(id="review-info", markup=False)
        yield Static(id="review-status", markup=False)
        yield KeyHints()

    def on_mount(self) -> None:
        self.query_one("#review-list", OptionList).focus()
        if self.ready is not None:  # read before the screen opened: it opens filled in
            self.show(*self.ready)
            self.ready = None
            return
        self.query_one("#review-title", Static).update(plain("Reading the proposals…", "dim"))
        self.load()

    @work(thread=True, exclusive=True, group="review-load")
    def load(self) -> None:
        try:
            review = self.read or reviews.open_review(self.corpus, self.article_id)
        except (UserError, OSError) as error:
            call_while_open(self, self.cannot_open, str(error))
            return
        call_while_open(self, self.show, *prepared(review, self.explorer.store.conn))

    def show(
        self,
        review: reviews.Review,
        names: dict[str, str],
        lines: list[tuple[int, str]],
        words: list[Span],
    ) -> None:
        self.review = review
        self.names = names
        self.crumb = f"Review: {review.title or review.article_id}"
        title = plain(review.title or review.article_id, "bold")
        self.query_one("#review-title", Static).update(title)
        self.lines, self.words = lines, words
        self.starts = [start for start, _ in lines]
        container = self.query_one("#review-text", ArticleText)
        container.remove_children()
        container.mount_all(
            Static(Text(), markup=False, classes="paragraph") for _ in range(len(self.lines))
        )
        self.refresh_list()
        self.query_one(Breadcrumb).refresh_path()
        self.say(self.counts_text())

    def cannot_open(self, error: str) -> None:
        self.query_one("#review-title", Static).update(plain("Nothing to review", "bold"))
        self.say(error)

    # --- what is shown ---------------------------------------------------------------------

    def counts_text(self) -> str:
        if self.review is None:
            return ""
        counts = self.review.counts()
        return " · ".join(f"{n} {status}" for status, n in counts.items() if n)

    def say(self, message: str) -> None:
        """One line under the article: what was done, or why it could not be."""
        self.message = message
        self.query_one("#review-status", Static).update(plain(message, "bold"))

    def status_of(self, p: Proposal) -> str:
        assert self.review is not None
        return self.review.status.get(p.id, "pending")

    def prompt(self, p: Proposal) -> Text:
        status = self.status_of(p)
        line = Text(f"{MARKS.get(status, '?')} ", style="bold")
        line.append_text(plain(p.name, "strike" if status == "rejected" else "bold"))
        line.append("\n  ")
        line.append_text(plain(status))
        if p.kind in ("organization", "person", "place", "meeting", "commitment", "indicator"):
            if p.action == "match" and p.match:
                line.append_text(plain(f" · match → {self.names.get(p.match, p.match)}"))
            else:
                line.append_text(plain(" · new"))
        if p.why:
            line.append_text(plain(f" · {p.why}", "dim"))
        return line

    def refresh_list(self, keep: str | None = None) -> None:
        """The proposals grouped by kind, the highlighted one kept (or `keep`)."""
        if self.review is None:
            return
        options_list = self.query_one("#review-list", OptionList)
        current = keep or self.current_id()
        options: list[Option] = []
        for kind in PROPOSAL_KINDS:
            mine = [p for p in self.review.proposals if p.kind == kind]
            if not mine:
                continue
            heading = Text(f"{HEADINGS[kind]} ({len(mine)})", style="bold reverse")
            options.append(Option(heading, id=f"kind:{kind}", disabled=True))
            options.extend(Option(self.prompt(p), id=p.id) for p in mine)
        options_list.set_options(options)
        ids = [option.id for option in options]
        if current in ids:
            options_list.highlighted = ids.index(current)
        else:
            first = next((i for i, o in enumerate(options) if not o.disabled), None)
            options_list.highlighted = first
        self.show_current(full=True)

    def current_id(self) -> str | None:
        options = self.query_one("#review-list", OptionList)
        if options.highlighted is None or not options.option_count:
            return None
        found = options.get_option_at_index(options.highlighted).id
        return None if found is None or found.startswith("kind:") else found

    def current(self) -> Proposal | None:
        pid = self.current_id()
        if self.review is None or pid is None:
            return None
        return next((p for p in self.review.proposals if p.id == pid), None)

    def current_ref(self) -> str | None:
        """What `y` copies: the highlighted proposal's ref."""
        p = self.current()
        return p.ref if p else None

    @on(OptionList.OptionHighlighted, "#review-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self.show_current()

    def show_current(self, full: bool = False) -> None:
        p = self.current()
        info = Text()
        if p is not None:
            details = [f"{k}: {shown(v)}" for k, v in p.fields.items() if k != "called"]
            details += [
                f"{link.get('role') or link['prop']}: {self.names.get(link['ref'], link['ref'])}"
                for link in p.links
            ]
            info.append_text(plain(" · ".join([*details, f"ref: {p.ref}"]), "dim"))
            note = getattr(self.review, "notes", {}).get(p.id)
            if note:
                info.append("\n")
                info.append_text(plain(f"not applied: {note}"))
        self.query_one("#review-info", Static).update(info)
        self.redraw(full)
        self.call_after_refresh(self.scroll_to_focus)

    def focus_spans(self) -> list[Span]:
        p = self.current()
        if p is None or self.selection is not None:
            return []
        return sorted(set(p.mentions) or {(p.start, p.end)})  # the words naming it

    def selection_span(self) -> Span | None:
        if self.selection is None:
            return None
        first, last = self.selection
        return self.words[first][0], self.words[last][1]

    def _paragraphs_of(self, span: Span) -> range:
        """The indexes of the paragraphs `span` reaches into."""
        first = max(0, bisect_right(self.starts, span[0]) - 1)
        last = max(first, bisect_left(self.starts, span[1]) - 1)
        return range(first, min(last, len(self.lines) - 1) + 1)

    def redraw(self, full: bool = False) -> None:
        """Draw again the paragraphs whose marks changed: those the focus or the selection
        left or reached, or (`full`, after a decision or an edit) all of them."""
        if self.review is None:
            return
        if full or self._by_paragraph is None:
            self._by_paragraph = {}
            for p in self.review.proposals:
                if self.status_of(p) == "rejected":
                    continue
                for span in p.mentions or [(p.start, p.end)]:
                    for index in self._paragraphs_of(span):
                        self._by_paragraph.setdefault(index, []).append(span)
        focus, selection = self.focus_spans(), self.selection_span()
        marks = [*focus, *([selection] if selection else [])]
        if full:
            indexes: set[int] = set(range(len(self.lines)))
        else:
            indexes = {i for span in [*self._marks, *marks] for i in self._paragraphs_of(span)}
        self._marks = marks
        widgets = list(self.query(".paragraph").results(Static))
        for index in sorted(indexes):
            if index < len(widgets):
                start, line = self.lines[index]
                spans = self._by_paragraph.get(index, [])
                widgets[index].update(styled_paragraph(start, line, spans, focus, selection))

    def scroll_to_focus(self) -> None:
        target = self.selection_span() or next(iter(self.focus_spans()), None)
        if target is None:
            return
        index = 0
        for i, (start, _) in enumerate(self.lines):
            if start <= target[0]:
                index = i
        widgets = list(self.query(".paragraph").results(Static))
        if index < len(widgets):
            self.query_one("#review-text", ArticleText).scroll_to_widget(
                widgets[index], center=True, animate=False
            )

    # --- deciding --------------------------------------------------------------------------

    def _save(self, done: str, keep: str | None = None) -> None:
        """Save every decision and edit now (a dropped session loses nothing), then show."""
        assert self.review is not None
        try:
            reviews.save(self.review)
        except (UserError, OSError) as error:
            self.say(f"{done}, but it could not be saved: {error}")
            self.refresh_list(keep)
            return
        self.refresh_list(keep)
        self.say(f"{done} · {self.counts_text()}")

    def _edit(self, do: Callable[[], str], keep: str | None = None) -> bool:
        """Run an edit; an edit the data refuses is one line, and nothing changes."""
        if self.busy():
            return False
        try:
            done = do()
        except UserError as error:
            self.say(str(error))
            return False
        self._save(done, keep)
        return True

    def busy(self) -> bool:
        """While an apply writes, the proposals are its: decisions and edits wait."""
        if self.applying:
            self.say("Applying the accepted proposals… (decisions and edits wait for it)")
        return self.applying

    def action_move(self, step: int) -> None:
        options = self.query_one("#review-list", OptionList)
        options.action_cursor_down() if step > 0 else options.action_cursor_up()

    def action_decide(self, status: str) -> None:
        p = self._editable()
        if p is None or self.review is None:
            return
        review = self.review
        was = self.status_of(p)

        def decide() -> str:
            changed = edits.decide(review, [p.id], status)
            return f"{p.name}: {status}" if changed else f"{p.name}: {was} already"

        if self._edit(decide) and status != "pending":
            self.action_move(1)

    def action_accept_all(self, of_kind: bool) -> None:
        p = self.current()
        if self.review is None:
            return
        kind = p.kind if (of_kind and p is not None) else None
        ids = edits.pending_of(self.review, kind)
        what = f"{HEADINGS[kind].lower()}" if kind else "proposals"
        review = self.review
        self._edit(lambda: f"Accepted {len(edits.decide(review, ids, 'accepted'))} {what}")

    # --- editing ---------------------------------------------------------------------------

    def _editable(self) -> Proposal | None:
        p = self.current()
        if self.busy():
            return None
        if self.review is None or p is None:
            self.say("No proposal highlighted")
            return None
        if self.status_of(p) == "applied":
            self.say(f"{p.name}: applied already (edit the article's facts file instead)")
            return None
        return p

    async def action_edit(self) -> None:
        p = self._editable()
        if p is None or self.review is None:
            return
        review = self.review

        def attempt(name: str, text: str) -> str | None:
            try:
                shown = edits.edit_field(review, p.id, name, text)
            except UserError as error:
                return str(error)
            self._save(f"{p.id} {name}: {shown or '(not stated)'}", p.id)
            return None

        await self.app.push_screen(EditDialog(p, attempt))

    async def action_merge(self) -> None:
        p = self._editable()
        if p is None or self.review is None:
            return
        if p.kind == "position":
            self.say("A position is not an entity: merge its person instead")
            return
        review = self.review

        def chosen(hit: tuple[str, str] | None) -> None:
            if hit is None:
                return
            ref, name = hit

            def merge() -> str:
                edits.merge(review, p.id, ref)
                self.names[ref] = name
                return f"{p.name}: match → {name} ({ref})"

            self._edit(merge, p.id)

        await self.choose_entity(p.name, (p.kind,), "Merge into", chosen)

    async def choose_entity(
        self,
        initial: str,
        kinds: tuple[str, ...],
        purpose: str,
        then: Callable[[tuple[str, str] | None], None],
    ) -> None:
        """A known entity of `kinds`, chosen with the explorer's search: `then((ref, name))`."""
        chooser = EntityChooser(initial, kinds, purpose)

        def done(ref: str | None) -> None:
            then((ref, chooser.name_of(ref)) if ref else None)

        await self.app.push_screen(chooser, done)

    async def action_split(self) -> None:
        p = self._editable()
        if p is None or self.review is None:
            return
        if not edits.split_points(p.name):
            self.say(f"{p.name}: one word, nothing to split")
            return
        review = self.review

        def chosen(at: object) -> None:
            if not isinstance(at, int):
                return
            taken = self._taken()

            def split() -> str:
                other = edits.split(review, p.id, at, taken)
                return f"Split into {p.name} and {other.name}"

            self._edit(split, p.id)

        await self.app.push_screen(SplitDialog(p.name), chosen)

    def _taken(self) -> Callable[[str], bool]:
        conn = self.explorer.store.conn

        def taken(ref: str) -> bool:
            try:
                return ref_taken(conn, ref)
            except sqlite3.Error:
                return False

        return taken

    # --- a new proposal from words of the article -------------------------------------------

    def action_select(self) -> None:
        if self.busy() or self.review is None or not self.words:
            return
        p = self.current()
        at = p.start if p is not None else 0
        index = next((i for i, (a, _) in enumerate(self.words) if a >= at), 0)
        self.selection = (index, index)
        # At once, not after the keys already queued: keys typed ahead of the selection's
        # start (`v` then `l l L` in one burst over SSH) select, as typed.
        self.set_focus(self.query_one("#review-text", ArticleText))
        self._selection_changed()

    def _selection_changed(self) -> None:
        span = self.selection_span()
        if self.review is not None and span is not None:
            words = " ".join(self.review.body[span[0] : span[1]].split())
            self.say(f"Selected: “{words}” · enter: new from it · . sentence · esc: done")
        self.redraw()
        self.call_after_refresh(self.scroll_to_focus)

    def step_word(self, step: int) -> None:
        if self.selection is None:
            return
        first = max(0, min(len(self.words) - 1, self.selection[0] + step))
        self.selection = (first, first)
        self._selection_changed()

    def extend(self, step: int) -> None:
        if self.selection is None:
            return
        first, last = self.selection
        self.selection = (first, max(first, min(len(self.words) - 1, last + step)))
        self._selection_changed()

    def whole_sentence(self) -> None:
        if self.selection is None or self.review is None:
            return
        start, end = edits.sentence_span(self.review.body, self.words[self.selection[0]][0])
        inside = [i for i, (a, b) in enumerate(self.words) if a >= start and b <= end]
        if inside:
            self.selection = (inside[0], inside[-1])
        self._selection_changed()

    def end_selection(self) -> None:
        self.selection = None
        self.set_focus(self.query_one("#review-list", OptionList))
        self.say(self.counts_text())
        self.show_current()

    async def make_from_selection(self) -> None:
        span = self.selection_span()
        if span is None or self.review is None:
            return
        review = self.review
        start, end = span

        def made(p: Proposal) -> str:
            self.selection = None
            self.set_focus(self.query_one("#review-list", OptionList))
            return f"New {p.kind} {p.name} ({p.id}, accepted)"

        def mention(hit: tuple[str, str] | None) -> None:
            if hit is None:
                return
            ref, name = hit
            self.names[ref] = name
            self._edit(lambda: made(edits.new_mention(review, ref, name, start, end)))
            self._keep_last()

        def kind_chosen(kind: object) -> None:
            if not isinstance(kind, str):
                return
            if kind == "mention":
                words = " ".join(review.body[start:end].split())
                self.run_worker(self.choose_entity(words, ENTITY_KINDS, "Mention of", mention))
                return
            taken = self._taken()
            self._edit(lambda: made(edits.new_entity(review, kind, start, end, taken)))
            self._keep_last()

        await self.app.push_screen(KindDialog(), kind_chosen)

    def _keep_last(self) -> None:
        """Highlight the proposal just made (the last one)."""
        if self.review is not None and self.review.proposals and self.selection is None:
            self.refresh_list(self.review.proposals[-1].id)

    # --- applying ---------------------------------------------------------------------------

    def action_apply(self) -> None:
        if self.busy() or self.review is None:
            return
        if not any(self.status_of(p) == "accepted" for p in self.review.proposals):
            self.say("Nothing accepted to apply: accept proposals with a (or A, *) first")
            return
        self.applying = True
        self.say("Applying the accepted proposals…")
        self.apply_accepted(self.review, self.explorer.store.path)

    @work(thread=True, exclusive=True, group="review-apply")
    def apply_accepted(self, review: reviews.Review, db_path: Path) -> None:
        try:
            applied = applying.apply(review, db_path)
        except (UserError, OSError) as error:
            self.app.call_from_thread(self.not_applied, str(error))
            return
        self.app.call_from_thread(self.applied, applied)

    def not_applied(self, error: str) -> None:
        self.applying = False
        if self in self.app.screen_stack:
            self.say(f"Nothing applied: {error}")

    def applied(self, applied: Any) -> None:
        self.applying = False
        refresh = getattr(self.app, "refresh_data", None)
        if callable(refresh):
            refresh()  # the explorer's lists read the database again
        if self not in self.app.screen_stack:
            return
        entities = applied.entities if isinstance(applied.entities, int) else len(applied.entities)
        skipped = getattr(applied, "skipped", {}) or {}
        message = (
            f"Applied: {counted(applied.statements, 'statement')}, "
            f"{counted(entities, 'new entity', 'new entities')}"
        )
        if skipped:
            message += f" · {len(skipped)} not applied (highlight one to see why)"
        self.refresh_list()
        self.say(f"{message} · {self.counts_text()}")
