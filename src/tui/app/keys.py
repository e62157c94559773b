"""Every key of the explorer, in one table.

Each `Key` is one key binding (or, with no action, a key a Textual widget binds itself and
the help documents). From the table come the `BINDINGS` of the app, its screens and widgets
(`bindings`), the help screen (`help_sections`), the command palette's action commands
(`palette_commands`) and the key table in README.md (`readme_table`). Every binding carries
its table id, so a Textual keymap (`App.set_keymap`) can rebind it by id.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from textual.app import App
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.keys import format_key
from textual.widgets import Input, OptionList, Tree

from tui.app.panes import PANES

# Where a binding is bound: the app, or one screen or widget class (whose BINDINGS it joins).
SCOPES = (
    "app", "main", "table", "pane", "timeline", "detail", "detail_list", "source", "network",
    "tree", "totals", "totals_table", "corroboration", "search", "filter", "timeline_filter",
    "export", "help", "palette", "sql", "frequency", "find", "review", "review_text",
    "review_dialog", "reader_text",
)  # fmt: skip
SPELLED = frozenset({"enter", "escape", "backspace"})  # read as words, not ⏎ esc ⌫


@dataclass(frozen=True)
class Key:
    """One key binding: `keys` (Textual key names, comma-separated) run `action` in each of
    `scopes`. `action=None` documents keys that `widget`, a Textual class, binds itself."""

    id: str
    keys: str
    action: str | None
    description: str = ""  # in the key-hints line
    scopes: tuple[str, ...] = ("app",)
    show: bool = True  # in the key-hints line
    hidden_in: tuple[str, ...] = ()  # scopes where it is bound but not in the key-hints line
    priority: bool = False
    help: str | None = None  # its line in the help screen and README; None: no line of its own
    joins: str | None = None  # the id of the key whose help line this one shares
    palette: str | None = None  # its title in the command palette; None: not offered there
    palette_action: str | None = None  # the app action the palette runs, if not `action`
    widget: type[DOMNode] | None = None  # for a key documented only: who binds it

    def binding(self, scope: str) -> Binding:
        assert self.action is not None and scope in self.scopes, (self.id, scope)
        return Binding(
            self.keys,
            self.action,
            self.description,
            show=self.show and scope not in self.hidden_in,
            priority=self.priority,
            id=self.id,
        )

    @property
    def labels(self) -> list[str]:
        """The keys as the help shows them: `?` for question_mark, `↑` for up."""
        return self.labels_in_force({})

    def labels_in_force(self, keymap: Mapping[str, str]) -> list[str]:
        """The labels of the keys bound now: the user's keymap's for this id, else the table's."""
        keys = keymap.get(self.id, self.keys)
        return [key if key in SPELLED else format_key(key) for key in keys.split(",")]


class Section(NamedTuple):
    title: str
    keys: tuple[Key, ...]


class Command(NamedTuple):
    """A palette command: its title, the app action it runs, and its key as shown."""

    title: str
    action: str
    key: str


# The app's own keys and the dialogs', which hide the app's keys that are not priority keys
# (priority keys would take the letter from the text boxes; a box still takes it first).
MODAL_SCOPES = ("app", "export", "filter", "frequency", "help", "review_dialog", "search",
                "timeline_filter")  # fmt: skip
# The tables the keys of less and VisiData move in: the panes' and the totals'.
MOVING_TABLES = ("table", "totals_table")
LIST_SCREENS = ("detail", "corroboration", "network")  # j/k, g/G, ctrl+f/b move their lists
BACK_SCOPES = ("detail", "source", "network", "totals", "corroboration", "sql", "review")
TIMELINE_HELP = (
    "Timeline: meetings, signings and targets by date (day, month, year, target yr, or at "
    "meeting for a commitment dated by the meeting that announced it)"
)


def _pane_keys() -> tuple[Key, ...]:
    """`1` … `8`: one key per pane. The entity panes share one help line; the Timeline has
    its own."""
    entity_titles = [title for kind, title in PANES if kind != "timeline"]
    first = f"panes.{PANES[0][0]}"
    keys = []
    for index, (kind, title) in enumerate(PANES):
        if kind == "timeline":
            help_line, joins = TIMELINE_HELP, None
        elif index == 0:
            help_line, joins = ", ".join(entity_titles), None
        else:
            help_line, joins = None, first
        keys.append(
            Key(
                f"panes.{kind}",
                str(index + 1),
                f"pane({index})",
                title,
                scopes=("main",),
                show=False,
                help=help_line,
                joins=joins,
                palette=f"Go to {title}",
                palette_action=f"show_pane('{kind}')",
            )
        )
    return tuple(keys)


# Within a scope, the order here is the order of its BINDINGS (and of the key-hints line).
# The Review screen's decisions and dialogs are priority keys: they run in the order typed,
# before the keys typed after them reach the list (or a dialog they open).
TABLE: tuple[Section, ...] = (
    Section("Anywhere", (
        Key("app.quit", "q", "quit", "Quit",
            help="quit from the panes; in a view (detail, reader, help, totals) close it"),
        Key("app.quit_anywhere", "Q", "app.quit", "Quit", show=False, scopes=MODAL_SCOPES,
            help="quit from anywhere"),
        Key("app.quit_priority", "ctrl+q", "quit", "Quit", show=False, priority=True,
            joins="app.quit_anywhere"),
        Key("app.search", "slash", "search", "Search",
            help="search everything, as you type (names tolerate variants and a typo)",
            palette="Search everything"),
        Key("app.command_palette", "ctrl+p", None, widget=App,
            help="command palette: jump to any entity by name, run any action"),
        Key("screen.back", "escape,backspace", "app.back", "Back", scopes=BACK_SCOPES,
            help="back (a breadcrumb shows the path); under tmux set escape-time low, or use "
            "backspace, q, h or left, which never wait", palette="Back"),
        Key("screen.back_keys", "q,h,left", "app.back", "Back", scopes=BACK_SCOPES, show=False,
            joins="screen.back"),
        Key("app.back_alt", "alt+left", "back", "Back", show=False, joins="screen.back"),
        Key("app.forward", "right_square_bracket", "forward", "Forward", show=False,
            help="forward again (on a pane, ] sorts: alt+right there)", palette="Forward"),
        Key("app.forward_alt", "alt+right", "forward", "Forward", show=False,
            joins="app.forward"),
        Key("app.network", "w", "app.network", "Who met whom", scopes=("app", "detail"),
            hidden_in=("app",),
            help="who met whom: the network of a person, an organization or a meeting, two hops "
            "away, as a tree (offered on those)",
            palette="Who met whom (network of this person, organization or meeting)"),
        Key("app.copy_ref", "y", "app.copy_ref", "Copy ref", scopes=("app", "detail"),
            hidden_in=("app",),
            help="copy the current entity's ref (OSC 52, so it works over SSH; in tmux, "
            "set -g set-clipboard on)",
            palette="Copy the current entity's ref"),
        Key("app.totals", "T", "totals", "Totals", show=False,
            help="totals by organization, sector, country or category, per currency and per "
            "unit, with bars",
            palette="Totals by organization, sector, country, category"),
        Key("app.corroboration", "r", "corroboration", "Corroboration", show=False,
            help="corroboration: facts reported differently or by one article only",
            palette="Corroboration: reported differently, single source"),
        Key("app.sql", "colon", "sql", "SQL", show=False,
            help="read-only SQL over the database, results in a table (Enter on a row with a "
            "ref opens it)",
            palette="SQL query (read-only)"),
        Key("sql.query", "colon", "focus_query", "Query", scopes=("sql",), show=False,
            joins="app.sql"),
        Key("app.help", "question_mark", "help", "Keys", help="this help", palette="Show keys"),
        Key("help.close", "escape,q,backspace,question_mark", "dismiss", "Close",
            scopes=("help",)),
    )),
    Section("Panes", (
        *_pane_keys(),
        Key("panes.next", "tab", "pane_step(1)", "Pane", scopes=("main",), show=False,
            priority=True, help="next / previous pane"),
        Key("panes.previous", "shift+tab", "pane_step(-1)", "Prev pane", scopes=("main",),
            show=False, priority=True, joins="panes.next"),
        Key("table.up", "up", "cursor_up", scopes=("table",), show=False,
            help="move; rows load a page at a time as you go"),
        Key("table.down", "down", "cursor_down", scopes=("table",), show=False,
            joins="table.up"),
        Key("table.page_up", "pageup", "page_up", scopes=("table",), show=False,
            joins="table.up"),
        Key("table.page_down", "pagedown", "page_down", scopes=("table",), show=False,
            joins="table.up"),
        Key("table.down_j", "j", "cursor_down", scopes=MOVING_TABLES, show=False,
            help="move down / up, as in less and VisiData"),
        Key("table.up_k", "k", "cursor_up", scopes=MOVING_TABLES, show=False, joins="table.down_j"),
        Key("table.page_down_f", "ctrl+f", "page_down", scopes=MOVING_TABLES, show=False,
            help="a page down / up, as in less"),
        Key("table.page_up_b", "ctrl+b", "page_up", scopes=MOVING_TABLES, show=False,
            joins="table.page_down_f"),
        Key("table.half_down", "ctrl+d", "half_page(1)", scopes=MOVING_TABLES, show=False,
            help="half a page down / up, as in less"),
        Key("table.half_up", "ctrl+u", "half_page(-1)", scopes=MOVING_TABLES, show=False,
            joins="table.half_down"),
        Key("table.first", "ctrl+home,g", "first", scopes=MOVING_TABLES, show=False,
            help="first row / last row of the whole list (rows load on the way)"),
        Key("table.last", "ctrl+end,G", "last", scopes=MOVING_TABLES, show=False,
            joins="table.first"),
        Key("table.left", "left,h", "column_left", scopes=("table",), show=False,
            help="column cursor left / right (the first column stays when the table scrolls "
            "sideways); home / end: first / last column"),
        Key("table.right", "right,l", "column_right", scopes=("table",), show=False,
            joins="table.left"),
        Key("table.leftmost", "home", "leftmost", scopes=("table",), show=False,
            joins="table.left"),
        Key("table.rightmost", "end", "rightmost", scopes=("table",), show=False,
            joins="table.left"),
        Key("pane.open", "enter", "open", "Open", scopes=("table",),
            help="open the highlighted row"),
        Key("panes.filter", "f", "filter", "Filter", scopes=("main",),
            help="filter by text and facets (each value with its count); Timeline: by an "
            "organization, person or place"),
        Key("panes.export", "e", "export", "Export", scopes=("main",),
            help="export the pane as filtered: csv, json, jsonl or FollowTheMoney; the dialog "
            "shows the full path (named after the pane and filter, in ROUNDTABLE_EXPORT_DIR or "
            "the current folder) and asks before replacing a file",
            palette="Export the current pane (csv, json, jsonl, FtM)",
            palette_action="export_pane"),
        Key("pane.sort_ascending", "left_square_bracket", "sort_by(False)", "Sort ↑",
            scopes=("pane",), show=False,
            help="sort the whole list by the current column, ascending / descending (empty "
            "values last; the same key again: back to name order)"),
        Key("pane.sort_descending", "right_square_bracket", "sort_by(True)", "Sort ↓",
            scopes=("pane",), show=False, joins="pane.sort_ascending"),
        Key("pane.frequency", "F", "frequency", "Frequency", scopes=("pane",),
            help="frequency table of the current column: each value with its count (a "
            "column of several values counts each); Enter filters the pane on a value, on "
            "“—” on those with none"),
        Key("pane.widen", "plus", "widen(4)", "Wider", scopes=("pane",), show=False,
            help="widen / narrow / hide the current column / show every column again, fitted"),
        Key("pane.narrow", "minus", "widen(-4)", "Narrower", scopes=("pane",), show=False,
            joins="pane.widen"),
        Key("pane.hide", "underscore", "hide", "Hide column", scopes=("pane",), show=False,
            joins="pane.widen"),
        Key("pane.reset_columns", "equals_sign", "reset_columns", "All columns",
            scopes=("pane",), show=False, joins="pane.widen"),
        Key("frequency.close", "escape,q,backspace", "close", "Close", scopes=("frequency",),
            help="frequency table: close (Enter on a value filters the pane on it)"),
        Key("pane.clear_filter", "x", "clear_filters", "Clear filter",
            scopes=("pane", "timeline"), show=False, help="clear the pane's filter"),
        Key("timeline.date_order", "left_square_bracket,right_square_bracket,F",
            "date_order", scopes=("timeline",), show=False,
            help="Timeline: always in date order (these keys say so there)"),
    )),
    Section("Detail", (
        Key("detail_list.up", "up", "cursor_up", scopes=("detail_list",), show=False,
            help="move through fields, links and sources"),
        Key("detail_list.down", "down", "cursor_down", scopes=("detail_list",), show=False,
            joins="detail_list.up"),
        Key("detail_list.page_up", "pageup", "page_up", scopes=("detail_list",), show=False,
            joins="detail_list.up"),
        Key("detail_list.page_down", "pagedown", "page_down", scopes=("detail_list",),
            show=False, joins="detail_list.up"),
        Key("detail_list.first", "home", "first", scopes=("detail_list",), show=False,
            joins="detail_list.up"),
        Key("detail_list.last", "end", "last", scopes=("detail_list",), show=False,
            joins="detail_list.up"),
        Key("detail.down", "j", "move('cursor_down')", scopes=LIST_SCREENS, show=False,
            help="move down / up; first / last line", ),
        Key("detail.up", "k", "move('cursor_up')", scopes=LIST_SCREENS, show=False,
            joins="detail.down"),
        Key("detail.first", "g", "move('first')", scopes=LIST_SCREENS, show=False,
            joins="detail.down"),
        Key("detail.last", "G", "move('last')", scopes=LIST_SCREENS, show=False,
            joins="detail.down"),
        Key("detail.page_down_f", "ctrl+f", "move('page_down')", scopes=LIST_SCREENS,
            show=False, help="a page down / up, as in less"),
        Key("detail.page_up_b", "ctrl+b", "move('page_up')", scopes=LIST_SCREENS,
            show=False, joins="detail.page_down_f"),
        Key("detail.half_down", "ctrl+d", "move('half_down')", scopes=LIST_SCREENS,
            show=False, help="half a page down / up, as in less"),
        Key("detail.half_up", "ctrl+u", "move('half_up')", scopes=LIST_SCREENS,
            show=False, joins="detail.half_down"),
        Key("detail.open", "enter", "open_selected", "Open", scopes=("detail",), show=False,
            help="follow a link, unfold a field's sources, or read a source with its quote "
            "highlighted"),
        Key("detail.sources", "s", "sources", "Sources", scopes=("detail",),
            help="sources of this field or link: the statements stating it (article, quote, "
            "who asserted it), unfolded under it; again to fold"),
        Key("detail.next_hit", "n", "app.search_step(1)", "Next hit", scopes=("detail",),
            show=False, help="on a search hit: open the next / previous hit (back: the results)"),
        Key("detail.previous_hit", "N", "app.search_step(-1)", "Prev hit", scopes=("detail",),
            show=False, joins="detail.next_hit"),
    )),
    Section("Who met whom, totals, corroboration", (
        Key("views.move", "up,down", None, widget=Tree, help="move"),
        Key("network.open", "enter", "select_cursor", "Open", scopes=("tree",),
            help="open the highlighted entity"),
        Key("network.fold", "space", "toggle_node", "Fold", scopes=("tree",), show=False,
            help="who met whom: fold or unfold a branch"),
        Key("network.recentre", "w", "recentre", "Centre here", scopes=("network",),
            help="who met whom: centre on the highlighted person, organization or meeting"),
        Key("totals.group", "b", "group(1)", "Group by", scopes=("totals",),
            help="totals: next / previous grouping (by organization, sector, country, category)"),
        Key("totals.group_previous", "B", "group(-1)", "Previous grouping", scopes=("totals",),
            show=False, joins="totals.group"),
        Key("totals.open", "enter", "screen.open", "Commitments", scopes=("totals_table",),
            help="totals: the commitments behind a total, listed under it (again: folded); "
            "enter on one opens it"),
    )),
    Section("Source reader", (
        Key("article.down", "down,j", "scroll_down", scopes=("reader_text",), show=False,
            help="scroll the article a line down / up (every scroll lands at once)"),
        Key("article.up", "up,k", "scroll_up", scopes=("reader_text",), show=False,
            joins="article.down"),
        Key("article.page_down", "pagedown,ctrl+f", "page_down", scopes=("reader_text",),
            show=False, help="a page down / up"),
        Key("article.page_up", "pageup,ctrl+b", "page_up", scopes=("reader_text",),
            show=False, joins="article.page_down"),
        Key("article.half_down", "ctrl+d", "half_page(1)", scopes=("reader_text",),
            show=False, help="half a page down / up, as in less"),
        Key("article.half_up", "ctrl+u", "half_page(-1)", scopes=("reader_text",),
            show=False, joins="article.half_down"),
        Key("article.start", "home,g", "scroll_home", scopes=("reader_text",), show=False,
            help="the start / the end of the article"),
        Key("article.end", "end,G", "scroll_end", scopes=("reader_text",), show=False,
            joins="article.start"),
        # search: find in the article, n / N through matches or quotes, the mentions panel
        Key("source.next_quote", "n", "next(1)", "Next", scopes=("source",),
            help="next / previous match of the find, else next / previous quoted fact (the "
            "status line says which of how many, and when it wraps)"),
        Key("source.previous_quote", "p,N", "next(-1)", "Prev", scopes=("source",),
            show=False, joins="source.next_quote"),
        Key("source.find", "f", "find", "Find", scopes=("source",),
            help="find words in the article (an article opened from a search has its words "
            "found already); an empty find ends it"),
        Key("find.close", "escape", "cancel", "Close", scopes=("find",), show=False,
            joins="source.find"),
        Key("source.mentions", "m", "focus_mentions", "Mentions", scopes=("source",),
            help="mentions list (who the highlighted quote is about first) / article text"),
        Key("source.text", "t", "focus_text", "Text", scopes=("source",), show=False,
            joins="source.mentions"),
        Key("source.hide_mentions", "M", "toggle_mentions", "Hide mentions", scopes=("source",),
            show=False, help="hide / show the mentions list"),
        Key("source.open", "enter", None, widget=OptionList,
            help="open the highlighted mention"),
    )),
    Section("Review", (
        Key("app.review", "R", "app.review", "Review", scopes=("app", "source"),
            hidden_in=("app",),
            help="review an article's proposals: the article's (on a Sources row or in the "
            "reader), else choose one of those with proposals pending",
            palette="Review an article's proposals (accept, edit, merge, apply)"),
        Key("review.move", "up,down", None, widget=OptionList,
            help="the proposals, grouped by kind; the article shows the highlighted one's words "
            "in reverse, every other proposal's underlined"),
        Key("review.down_j", "j", "move(1)", scopes=("review",), show=False,
            joins="review.move"),
        Key("review.up_k", "k", "move(-1)", scopes=("review",), show=False,
            joins="review.move"),
        Key("review.accept", "a", "decide('accepted')", "Accept", scopes=("review",), priority=True,
            help="accept / reject / back to pending (each decision is saved at once)"),
        Key("review.reject", "x", "decide('rejected')", "Reject", scopes=("review",), priority=True,
            joins="review.accept"),
        Key("review.pending", "u", "decide('pending')", "Undecide", scopes=("review",),
            priority=True, show=False, joins="review.accept"),
        Key("review.accept_kind", "A", "accept_all(True)", "Accept kind", scopes=("review",),
            priority=True, show=False,
            help="accept every pending proposal of the highlighted one's kind / of every kind"),
        Key("review.accept_all", "asterisk", "accept_all(False)", "Accept all",
            scopes=("review",), priority=True, show=False, joins="review.accept_kind"),
        Key("review.edit", "e", "edit", "Edit", scopes=("review",), priority=True,
            help="edit a field: name, type, role, status, amount or date (a value the corpus "
            "does not allow is refused in one line)"),
        Key("review.merge", "m", "merge", "Merge", scopes=("review",), priority=True,
            help="merge into a known entity of its kind, chosen by search (links follow)"),
        Key("review.split", "s", "split", "Split", scopes=("review",), priority=True, show=False,
            help="split an entity in two between two words of its name"),
        Key("review.select", "v", "select", "Select", scopes=("review",), priority=True,
            help="select words of the article, to make a new entity or mention of them"),
        Key("review_text.word", "left,h", "word(-1)", scopes=("review_text",), show=False,
            help="selecting: the previous / next word"),
        Key("review_text.next_word", "right,l", "word(1)", scopes=("review_text",), show=False,
            joins="review_text.word"),
        Key("review_text.shrink", "shift+left,H", "extend(-1)", "Shrink",
            scopes=("review_text",), show=False,
            help="selecting: one word less / more"),
        Key("review_text.extend", "shift+right,L", "extend(1)", "Extend",
            scopes=("review_text",), joins="review_text.shrink"),
        Key("review_text.sentence", "full_stop", "sentence", "Sentence", scopes=("review_text",),
            help="selecting: the whole sentence"),
        Key("review_text.make", "enter,n", "make", "New from it", scopes=("review_text",),
            priority=True,
            help="selecting: make a new organization, person or place of the words, or a mention "
            "of a known entity"),
        Key("review_text.done", "escape,q,backspace", "done", "Done", scopes=("review_text",),
            help="selecting: stop, back to the proposals"),
        Key("review.apply", "W", "apply", "Apply", scopes=("review",), priority=True,
            help="apply: the accepted proposals become statements in the facts file and the "
            "database is updated (the explorer shows them at once)"),
        Key("review_dialog.close", "escape,q,backspace", "close", "Close",
            scopes=("review_dialog",),
            help="a review dialog: close it, changing nothing (q and backspace: where no box "
            "takes the typing)"),
        Key("review_dialog.previous", "up", "move(-1)", scopes=("review_dialog",), show=False,
            priority=True, help="a review dialog: the previous / next choice"),
        Key("review_dialog.next", "down", "move(1)", scopes=("review_dialog",), show=False,
            priority=True, joins="review_dialog.previous"),
    )),
    Section("Search and filter boxes", (
        Key("search.previous", "up", "move(-1)", "Previous", scopes=("search",), show=False,
            priority=True, help="choose a result or value"),
        Key("search.next", "down", "move(1)", "Next", scopes=("search",), show=False,
            priority=True, joins="search.previous"),
        Key("filter.values", "down", "to_list", "Values", scopes=("filter", "timeline_filter"),
            show=False, joins="search.previous"),
        Key("search.page_up", "pageup", "move(-8)", "Page up", scopes=("search",), show=False,
            priority=True, help="search: a page of results up / down"),
        Key("search.page_down", "pagedown", "move(8)", "Page down", scopes=("search",),
            show=False, priority=True, joins="search.page_up"),
        Key("palette.page_up", "pageup", "page(-1)", "Page up", scopes=("palette",),
            show=False, priority=True, joins="search.page_up"),
        Key("palette.page_down", "pagedown", "page(1)", "Page down", scopes=("palette",),
            show=False, priority=True, joins="search.page_up"),
        Key("search.open", "enter", None, widget=Input,
            help="open the result / toggle the value"),
        Key("dialog.close", "escape", "close", "Close",
            scopes=("search", "timeline_filter", "export"), help="close (the filter applies)"),
        Key("filter.done", "escape", "done", "Done", scopes=("filter",), joins="dialog.close"),
        Key("filter.clear", "ctrl+r", "reset", "Clear all", scopes=("filter",),
            help="filter: clear all"),
        Key("filter.next_group", "right_square_bracket", "group(1)", "Next group",
            scopes=("filter",), show=False,
            help="filter: first value of the next / previous group (in the list)"),
        Key("filter.previous_group", "left_square_bracket", "group(-1)", "Previous group",
            scopes=("filter",), show=False, joins="filter.next_group"),
        Key("timeline_filter.clear", "ctrl+r", "clear", "Clear", scopes=("timeline_filter",),
            joins="filter.clear"),
        Key("export.previous_format", "up", "format(-1)", "Previous format",
            scopes=("export",), show=False, priority=True, help="export: choose the format"),
        Key("export.next_format", "down", "format(1)", "Next format", scopes=("export",),
            show=False, priority=True, joins="export.previous_format"),
    )),
)  # fmt: skip

ALL: tuple[Key, ...] = tuple(key for section in TABLE for key in section.keys)
BY_ID: dict[str, Key] = {key.id: key for key in ALL}


def bindings(scope: str) -> list[BindingType]:
    """The BINDINGS of `scope` (one of SCOPES), in table order."""
    assert scope in SCOPES, scope
    return [key.binding(scope) for key in ALL if key.action and scope in key.scopes]


def _row_labels(keys: list[Key], code: Callable[[str], str], keymap: Mapping[str, str]) -> str:
    """`s / S`, `escape, backspace / alt+left`, and `1 … 7` for a run of number keys."""
    seen: set[str] = set()
    groups = []
    for key in keys:
        labels = [label for label in key.labels_in_force(keymap) if label not in seen]
        seen.update(labels)
        if labels:
            groups.append(labels)
    flat = [label for labels in groups for label in labels]
    if len(flat) > 2 and all(label.isdigit() for label in flat):
        return f"{code(flat[0])} … {code(flat[-1])}"
    return " / ".join(", ".join(code(label) for label in labels) for labels in groups)


def help_sections(
    code: Callable[[str], str] = str,
    keymap: Mapping[str, str] | None = None,
) -> list[tuple[str, list[tuple[str, str]]]]:
    """(section, [(keys as shown, what they do)]): a line per key with `help`, and the keys
    that join it on the same line. `code` wraps each key label (README: in backticks);
    `keymap` (id -> keys) gives the keys a user's keymap puts in force."""
    sections = []
    for section in TABLE:
        lines: dict[str, list[Key]] = {}
        for key in section.keys:
            if key.help is not None:
                lines[key.id] = [key]
            elif key.joins is not None:
                lines[key.joins].append(key)
        rows = [
            (_row_labels(keys, code, keymap or {}), keys[0].help or "") for keys in lines.values()
        ]
        sections.append((section.title, rows))
    return sections


def palette_commands() -> list[Command]:
    """What the command palette offers beside entities, in table order."""
    return [
        Command(key.palette, key.palette_action or key.action or "", ", ".join(key.labels))
        for key in ALL
        if key.palette is not None
    ]


def _cell(text: str) -> str:
    return text.replace("|", "\\|")  # a bar would end the Markdown cell


def readme_table() -> str:
    """The key table of README.md (between its `<!-- keys -->` markers), in Markdown."""
    parts = []
    for title, rows in help_sections(code=lambda label: f"`{label}`"):
        parts.append(f"**{title}**\n\n| key | does |\n| --- | --- |")
        parts.extend(f"| {keys} | {_cell(does)} |" for keys, does in rows)
        parts.append("")
    return "\n".join(parts).rstrip("\n") + "\n"
