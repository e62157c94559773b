"""The explorer: panes, detail, source reader and search over a read-only database."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import BindingType
from textual.command import CommandPalette, Provider
from textual.driver import Driver
from textual.screen import ModalScreen, Screen
from textual.worker import WorkerFailed

from tui.app import terminal
from tui.app.collector import collector
from tui.app.keymap import load_keymap
from tui.app.keys import bindings
from tui.app.screens.main import MainScreen
from tui.app.screens.too_small import TooSmallScreen, fit_screen
from tui.app.widgets.breadcrumb import Breadcrumb
from tui.app.widgets.key_hints import HINT_S, KeyHints
from tui.data.store import Store
from tui.errors import UserError
from tui.textsafe import clean

# The screens beyond the panes, and what they read, are imported when first opened (the
# detail's while the panes are shown, PREPARE_DETAIL_S after start-up): the first screen
# waits for no module it does not show.
if TYPE_CHECKING:
    from tui.app.screens.detail import DetailScreen, FirstLoad
    from tui.app.screens.search import SearchScreen


class View(Enum):
    """What a `Location` shows."""

    DETAIL = "detail"  # an entity's detail, or an article in the source reader
    NETWORK = "network"  # who met whom around an entity
    TOTALS = "totals"
    CORROBORATION = "corroboration"
    SQL = "sql"  # the read-only SQL prompt


@dataclass(frozen=True)
class Location:
    """Somewhere the history can return to: an entity, an article at a quote, an entity's
    network, or the totals and corroboration views."""

    ref: str
    span: tuple[int, int] | None = None
    view: View = View.DETAIL
    # How it was reached, not where it is: an article found by a search opens with the
    # search's words found in it; back from a search hit shows the search's results again.
    find: str | None = field(default=None, compare=False)
    from_search: bool = field(default=False, compare=False)

    @property
    def is_entity_detail(self) -> bool:
        """An entity's detail: read before its screen opens (see `RoundtableApp._open_detail`)."""
        return self.view is View.DETAIL and not self.ref.startswith("article:")

    def screen(self) -> Screen:
        """A new screen for this location, for any but an entity's detail."""
        if self.view is View.NETWORK:
            from tui.app.screens.network import NetworkScreen

            return NetworkScreen(self.ref)
        if self.view is View.TOTALS:
            from tui.app.screens.totals import TotalsScreen

            return TotalsScreen()
        if self.view is View.SQL:
            from tui.app.screens.sql import SQLScreen

            return SQLScreen()
        if self.view is View.CORROBORATION:
            from tui.app.screens.corroboration import CorroborationScreen

            return CorroborationScreen()
        if self.is_entity_detail:
            raise ValueError(f"{self.ref}: a detail opens on a kept screen, filled in first")
        from tui.app.screens.source import SourceScreen

        return SourceScreen(self.ref, self.span, find=self.find)


DETAIL_WAIT_S = 0.1  # a detail read within this opens filled in; a slower one opens at once
DETAIL_SCREENS_KEPT = 2  # closed detail screens kept built, to show the next entity at once
PREPARE_DETAIL_S = 0.8  # after start-up, build the first of them
SCREEN_ACTIONS = frozenset({"copy_ref", "network", "totals", "corroboration", "sql", "review"})
READ_ONLY_CORPUS = (
    "Nothing to review: the bundled corpus is read-only (add articles to a corpus of your own, "
    "then open it with --corpus DIR)"
)


def paste_safe_driver() -> type[Driver] | None:
    """The driver that keeps pastes whole (see tui.app.paste), where Textual's is the Linux
    one; elsewhere Textual's choice."""
    if os.name != "posix" or os.environ.get("TEXTUAL_DRIVER"):
        return None
    from tui.app.paste import PasteSafeDriver

    return PasteSafeDriver


def _entity_commands() -> type[Provider]:
    from tui.app.palette import EntityCommands

    return EntityCommands


def _action_commands() -> type[Provider]:
    from tui.app.palette import ActionCommands

    return ActionCommands


class RoundtableApp(App[int]):
    TITLE = "Roundtable"
    CSS_PATH = "styles/app.tcss"
    COMMANDS: ClassVar = App.COMMANDS | {_entity_commands, _action_commands}
    BINDINGS: ClassVar[list[BindingType]] = bindings("app")

    def __init__(
        self,
        db_path: Path,
        start_ref: str | None = None,
        *,
        plain_colors: bool = False,
        corpus: Path | None = None,
        review: str | None = None,
    ) -> None:
        # Plain colours (16-colour terminals, NO_COLOR): the terminal's own palette, no RGB.
        super().__init__(
            driver_class=paste_safe_driver(), ansi_color=True if plain_colors else None
        )
        self.plain_colors = plain_colors
        self.store = Store(db_path)
        self.start_ref = start_ref
        self.corpus = corpus  # the corpus folder whose articles can be reviewed; None: bundled
        self.start_review = review  # an article id to open the Review screen on
        self.forward_stack: list[Location] = []
        self.crash: BaseException | None = None  # the first unexpected error, for the CLI
        self.screens_ready = False  # fit_screen waits for the first screens
        self._opening = 0  # the latest detail being opened (see `_open_detail`)
        self._kept_details: list[str] = []  # installed detail screens, reused when closed
        self._search: SearchScreen | None = None
        self.user_keymap = load_keymap()
        if self.user_keymap.keys:
            self.set_keymap(self.user_keymap.keys)

    def on_mount(self) -> None:
        if self.plain_colors:
            self.theme = terminal.PLAIN_THEME
        self.push_screen(MainScreen())
        if self.start_ref:
            self.open_entity(self.start_ref)
        if self.start_review:
            self.open_review(self.start_review)
        self.screens_ready = True
        collector.start(self, self._searching)  # full collections only while idle (collector.py)
        self.set_timer(PREPARE_DETAIL_S, self._prepare_detail, name="prepare-detail")
        fit_screen(self, self.size)
        if self.user_keymap.problem:
            self.notify(self.user_keymap.problem, severity="warning", markup=False, timeout=8)

    def on_key(self, event: events.Key) -> None:
        """A printable key that nothing here binds gets a brief, quiet hint instead of nothing
        (keys an input takes, or a binding runs, never arrive here)."""
        if not event.is_printable or event.key in self.active_bindings:
            return
        if isinstance(self.screen, TooSmallScreen) or not self.screen_stack:
            return
        shown = clean(event.character or event.key)
        hint = f"{shown}: not a key here · ? lists the keys"
        bottom = self.screen.query(KeyHints)
        if bottom:  # (in the bottom line, where the keys are, over nothing the user reads)
            bottom.first().say(Text(hint, style="dim"), HINT_S)
        else:
            self.clear_notifications()
            self.notify(hint, markup=False, timeout=HINT_S)

    def on_resize(self, event: events.Resize) -> None:
        if self.screens_ready:
            fit_screen(self, event.size)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Under the too-small notice only quitting works: nothing may open above it.
        if isinstance(self.screen, TooSmallScreen):
            return action in ("quit", "help_quit")
        if action in SCREEN_ACTIONS and isinstance(self.screen, ModalScreen):
            return False  # nothing opens from under a dialog
        return True

    def offers(self, action: str) -> bool:
        """Whether the bottom line offers `action`: a key that would only say it cannot be
        used here (Review on the bundled corpus; on a screen with an `offers` of its own, what
        it leaves out, such as who met whom on a commitment's detail) still answers, but is
        not offered."""
        if action == "app.review" and self.corpus is None:
            return False
        screen_offers = getattr(self.screen, "offers", None)
        return screen_offers(action) if callable(screen_offers) else True

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown)):
            if not self.screen_stack:
                return  # the app is ending: keys still queued have nothing to act on
            collector.touched()
        if isinstance(event, events.Paste) and not event.is_forwarded:
            # An input draws what is pasted into it: control characters (ESC, OSC, C1) would
            # reach the terminal, so they arrive as visible stand-ins, as in data; tabs as spaces.
            event.text = clean(event.text.replace("\t", " "))
        await super().on_event(event)

    def _handle_exception(self, error: Exception) -> None:
        # Keep the error for `run_explorer` (one line, or a crash log); no traceback on screen.
        if self.crash is None:
            self.crash = error.error if isinstance(error, WorkerFailed) else error
        super()._handle_exception(error)
        self._exit_renderables.clear()

    def on_unmount(self) -> None:
        collector.stop()  # (after a crash too) Python's own collecting, as before the app
        self.store.close()

    # --- navigation --------------------------------------------------------------------------

    def _go(self, location: Location) -> None:
        self.forward_stack.clear()
        self._show(location)

    def _show(self, location: Location) -> None:
        if location.is_entity_detail:
            self._open_detail(location)
            return
        self._push(location.screen(), location)

    def _push(self, screen: Screen, location: Location) -> None:
        screen.location = location  # type: ignore[attr-defined]
        # A detail can open by itself, when its read ends: while the terminal is too small,
        # it goes under the notice, so that the notice stays on top until the terminal grows.
        under_notice = isinstance(self.screen, TooSmallScreen)
        if under_notice:
            self.pop_screen()
        self.push_screen(screen)
        if under_notice:
            self.push_screen(TooSmallScreen())

    # An entity's detail is read before its screen opens, so it opens filled in: one layout
    # and one paint instead of an empty screen first. If reading takes longer than
    # `DETAIL_WAIT_S`, the screen opens at once and fills in when the details arrive.
    def _open_detail(self, location: Location) -> None:
        self._opening += 1
        token = self._opening
        self.set_timer(DETAIL_WAIT_S, lambda: self._open_read_detail(token, location, None))
        self._read_detail(token, location)

    @work(thread=True, exclusive=True, group="open-detail")
    def _read_detail(self, token: int, location: Location) -> None:
        from tui.app.screens.detail import first_caps
        from tui.data.details import first_details

        try:
            first = first_details(self.store.conn, location.ref, per_relation=first_caps())
        except UserError:
            first = None  # the screen reads it again and says what is wrong
        self.call_from_thread(self._open_read_detail, token, location, first)

    def _open_read_detail(self, token: int, location: Location, first: FirstLoad | None) -> None:
        if token != self._opening:
            return  # opened already (by the timer or the reader), or another open came after
        self._opening += 1
        self._push(self._detail_screen(location.ref, first), location)

    def _searching(self) -> bool:
        """Whether the search's answer to the last key is still on its way."""
        return self._search is not None and self._search.searching

    def _prepare_detail(self) -> None:
        """Build a detail screen while the user is still on the panes, so that even the first
        entity opened shows on a screen whose widgets and styles are ready."""
        from tui.app.screens.detail import DetailScreen

        if self._kept_details:
            return  # a detail was opened already
        name = "detail-0"
        self.install_screen(DetailScreen(""), name)
        self._kept_details.append(name)
        self._get_screen(name)  # what push_screen does first: compose and mount, off screen

    def _detail_screen(self, ref: str, first: FirstLoad | None) -> DetailScreen:
        """A kept detail screen that is not open, showing `ref`; else a new one (kept while
        fewer than `DETAIL_SCREENS_KEPT` are)."""
        from tui.app.screens.detail import DetailScreen

        open_now = {id(screen) for screen in self.screen_stack}
        for name in self._kept_details:
            kept = self.get_screen(name)
            if id(kept) not in open_now and isinstance(kept, DetailScreen):
                kept.reuse(ref, first)
                return kept
        screen = DetailScreen(ref, first)
        if len(self._kept_details) < DETAIL_SCREENS_KEPT:
            name = f"detail-{len(self._kept_details)}"
            self.install_screen(screen, name)
            self._kept_details.append(name)
        return screen

    def open_entity(self, ref: str) -> None:
        """Open the detail of `ref` (an article opens in the source reader)."""
        self._go(Location(ref))

    def open_source(self, article_ref: str, span: tuple[int, int] | None = None) -> None:
        """Open an article with the quote at `span` highlighted and in view."""
        self._go(Location(article_ref, span))

    def open_network(self, ref: str) -> None:
        """Open who met whom around `ref` (a person, an organization or a meeting)."""
        self._go(Location(ref, view=View.NETWORK))

    def current_ref(self) -> str | None:
        """The entity the user is on: the detail's, the highlighted row's or node's."""
        screen = self.screen
        finder = getattr(screen, "current_ref", None)
        if callable(finder):
            return finder()
        return getattr(screen, "ref", None) or getattr(screen, "article_ref", None)

    def action_copy_ref(self) -> None:
        """Copy the current entity's ref to the clipboard (OSC 52: works over SSH)."""
        ref = self.current_ref()
        if not ref:
            self.bell()
            return
        self.copy_to_clipboard(ref)
        self.notify(f"Copied {ref}", title="Clipboard", markup=False, timeout=3)

    def action_network(self) -> None:
        from tui.data.network import NETWORK_ROOTS

        ref = self.current_ref()
        if ref and ref.split(":", 1)[0] in NETWORK_ROOTS:
            if getattr(self.screen, "location", None) != Location(ref, view=View.NETWORK):
                self.open_network(ref)
            return
        self.notify(
            "Who met whom starts from a person, an organization or a meeting: open one first.",
            severity="warning",
            markup=False,
            timeout=4,
        )

    def action_totals(self) -> None:
        if getattr(self.screen, "location", None) != Location("", view=View.TOTALS):
            self._go(Location("", view=View.TOTALS))

    def action_corroboration(self) -> None:
        if getattr(self.screen, "location", None) != Location("", view=View.CORROBORATION):
            self._go(Location("", view=View.CORROBORATION))

    def action_sql(self) -> None:
        if getattr(self.screen, "location", None) != Location("", view=View.SQL):
            self._go(Location("", view=View.SQL))

    # --- reviewing proposals ---------------------------------------------------------------

    def _reviewable_corpus(self) -> Path | None:
        """The corpus whose articles can be reviewed; on the bundled one, None, and it says
        so in one line."""
        if self.corpus is None:
            self.notify(READ_ONLY_CORPUS, severity="warning", markup=False, timeout=6)
        return self.corpus

    def open_review(self, article_id: str) -> None:
        """Open the Review screen on an article's proposals (in a corpus of the user's own)."""
        corpus = self._reviewable_corpus()
        if corpus is not None:
            self._read_review(corpus, article_id)

    @work(thread=True, exclusive=True, group="review-open")
    def _read_review(self, corpus: Path, article_id: str) -> None:
        """Read the proposals first: an article without any says so in one line, and no
        screen opens for it."""
        from tui.app.screens.review import prepared
        from tui.data.review import open_review

        try:
            ready = prepared(open_review(corpus, article_id), self.store.conn)
        except (UserError, OSError) as error:
            self.call_from_thread(
                self.notify, str(error), severity="warning", markup=False, timeout=8
            )
            return
        self.call_from_thread(self._push_review, ready)

    def _push_review(self, ready: Any) -> None:
        from tui.app.screens.review import ReviewScreen

        review = ready[0]
        under_notice = isinstance(self.screen, TooSmallScreen)
        if under_notice:
            self.pop_screen()
        self.push_screen(ReviewScreen(review.corpus, review.article_id, review, ready))
        if under_notice:
            self.push_screen(TooSmallScreen())

    def action_review(self) -> None:
        """Review the article in view (a Sources row, the reader), else choose one of the
        articles with proposals pending."""
        corpus = self._reviewable_corpus()
        if corpus is None:
            return
        ref = self.current_ref()
        if ref and ref.startswith("article:"):
            self._read_review(corpus, ref)
            return
        self._choose_review(corpus)

    @work(thread=True, exclusive=True, group="review-pending")
    def _choose_review(self, corpus: Path) -> None:
        from tui.data.review import pending_articles

        try:
            pending = pending_articles(corpus)
        except (UserError, OSError) as error:
            self.call_from_thread(self.notify, str(error), severity="error", markup=False)
            return
        self.call_from_thread(self._pending_chosen, corpus, pending)

    def _pending_chosen(self, corpus: Path, pending: list[Any]) -> None:
        if not pending:
            self.notify(f"Nothing to review: no article of {corpus} has proposals pending",
                        markup=False, timeout=5)  # fmt: skip
            return
        from tui.app.screens.review_dialogs import PendingDialog

        def chosen(article_id: object) -> None:
            if isinstance(article_id, str):
                self.open_review(article_id)

        self.push_screen(PendingDialog(pending), chosen)

    def refresh_data(self) -> None:
        """After the database changed under the explorer (proposals applied): every list read
        so far is read again, every detail open (under the Review screen) too, and the last
        search runs again."""
        from tui.app.screens.detail import DetailScreen
        from tui.app.widgets.pane import PagedView

        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                for view in screen.query(PagedView):
                    if view.started:
                        view.reload()
            elif isinstance(screen, DetailScreen) and screen.ref:
                screen.load()
        if self._search is not None and self._search.query_text:
            self._search.start_search(self._search.query_text)

    async def action_back(self) -> None:
        if isinstance(self.screen, MainScreen) or len(self.screen_stack) <= 2:
            return
        location = getattr(self.screen, "location", None)
        self.pop_screen()
        if location is not None:
            self.forward_stack.append(location)
        self.refresh_crumbs()
        if location is not None and location.from_search and self._search is not None:
            await self._reopen_search()  # back from a hit: its results, as they were

    def action_forward(self) -> None:
        if not self.forward_stack:
            self.bell()
            return
        self._show(self.forward_stack.pop())

    def refresh_crumbs(self) -> None:
        for crumb in self.screen.query(Breadcrumb):
            crumb.refresh_path()

    async def action_export_pane(self) -> None:
        """Export the pane the user was on (from the palette, anywhere): the dialog opens over
        the screen in view, so a detail and its history stay as they were."""
        main = next((s for s in self.screen_stack if isinstance(s, MainScreen)), None)
        if main is not None:
            await main.action_export()

    def action_show_pane(self, kind: str | None) -> None:
        while len(self.screen_stack) > 2:
            self.pop_screen()
        main = self.screen_stack[-1]
        if isinstance(main, MainScreen) and kind is not None:
            main.show_kind(kind)

    # --- modal helpers -----------------------------------------------------------------------

    # A dialog opened from a key is awaited until it is built: keys typed ahead then reach it
    # whole, instead of closing or querying a screen that has no widgets yet.

    async def action_search(self) -> None:
        from tui.app.screens.search import SearchScreen

        if self._search is not None and self.screen is self._search:
            return
        if self._search is not None:
            await self._reopen_search()  # `/` again: the last results, the query as typed
            return
        self._search = SearchScreen()
        self.install_screen(self._search, "search")
        await self.push_screen(self._search, self.open_hit)

    async def _reopen_search(self) -> None:
        assert self._search is not None
        await self.push_screen(self._search, self.open_hit)
        self._search.reopen()

    def open_hit(self, ref: str | None) -> None:
        """Open a search hit; an article opens in the reader at the search's words."""
        if not ref or self._search is None:
            return
        query = self._search.query_text if ref.startswith("article:") else None
        self._go(Location(ref, find=query, from_search=True))

    def action_search_step(self, step: int) -> None:
        """On a search hit: open the next (or previous) hit in its place, as `n` / `N` move
        to the next match in less; back still returns to the results."""
        location = getattr(self.screen, "location", None)
        search = self._search
        stepped = None
        if location is not None and location.from_search and search is not None:
            stepped = search.hit_after(location.ref, step)
        if search is None or stepped is None:
            self.notify("n / N step through search hits: open one from / first", timeout=3)
            return
        ref, wrapped = stepped
        place = f"hit {search.refs.index(ref) + 1} of {len(search.refs)}"
        if wrapped:
            place += ", wrapped to the " + ("first" if step > 0 else "last")
        self.clear_notifications()
        self.notify(f"{place} for “{search.query_text}”", markup=False, timeout=3)
        self.pop_screen()
        self.open_hit(ref)

    async def action_command_palette(self) -> None:  # type: ignore[override]  # awaited by Textual
        """Open the command palette, unless one is open already, on top or under a screen one
        of its commands opened. Without Textual's fixed id: a palette just closed is still
        being taken apart when keys typed ahead open the next (`DuplicateIds`)."""
        if self.use_command_palette and not any(
            isinstance(screen, CommandPalette) for screen in self.screen_stack
        ):
            from tui.app.palette import Palette

            await self.push_screen(Palette())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Of Textual's own palette commands only Quit: its Keys panel squeezes the explorer
        (and Escape does not close it: the help, `?`, lists the keys), a theme would undo the
        terminal's colours chosen at start, and the palette's other commands are ours."""
        yield SystemCommand("Quit", "Quit Roundtable", self.action_quit)

    async def action_help(self) -> None:
        from tui.app.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            await self.push_screen(HelpScreen())


def run_explorer(
    db_path: Path,
    *,
    start_ref: str | None = None,
    mouse: bool = True,
    probe: Callable[[Path], Any] | None = None,
    corpus: Path | None = None,
    review: str | None = None,
) -> int:
    """Run the explorer and return its exit code. An error inside the app is raised here, so
    the CLI reports it like any other: one line, and a crash log for a bug. `corpus` is the
    corpus folder the database is built from (None: the bundled, read-only one); `review` an
    article id to open the Review screen on."""
    app = RoundtableApp(
        db_path, start_ref, plain_colors=terminal.plain_colors(), corpus=corpus, review=review
    )
    with terminal.signal_guard(app):
        app.run(mouse=mouse)
    if app.crash is not None:
        raise app.crash
    return app.return_code or 0


def run_review(
    db_path: Path,
    corpus: Path,
    article_id: str,
    *,
    mouse: bool = True,
    probe: Callable[[Path], Any] | None = None,
) -> int:
    """`roundtable review ARTICLE --interactive`: the explorer, opened on the Review screen of
    `article_id` (an id or `article:` ref); back from it, the panes."""
    return run_explorer(db_path, mouse=mouse, probe=probe, corpus=corpus, review=article_id)
