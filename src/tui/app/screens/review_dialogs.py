"""The Review screen's dialogs: edit a field, split a name, the kind of a new proposal, and a
known entity chosen by search (the explorer's search, kept to the kinds that fit)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tui.app.keys import bindings
from tui.app.screens.lifecycle import DismissOnce
from tui.app.screens.search import RESULT_LIMIT, SearchScreen
from tui.data import review_edits as edits
from tui.data.db import CancelToken
from tui.data.extract.proposals import Proposal
from tui.data.search import Hit, search
from tui.safe_text import plain
from tui.textsafe import clean

Attempt = Callable[[str, str], "str | None"]  # (field, typed) -> why it was refused, or None


class ReviewDialog(DismissOnce, ModalScreen[object]):
    """A small box over the Review screen: ↑ / ↓ choose in its list, Escape closes."""

    BINDINGS = bindings("review_dialog")
    DEFAULT_CSS = """
    ReviewDialog { align: center middle; }
    .review-dialog {
        width: 100%; max-width: 76; height: auto; max-height: 100%;
        padding: 0 1; background: $surface; border: solid $secondary;
    }
    .review-dialog OptionList { height: auto; max-height: 12; border: none; }
    .review-dialog Input { margin: 0; }
    """

    def action_close(self) -> None:
        self.dismiss(None)

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if not options.option_count:
            return
        current = options.highlighted if options.highlighted is not None else 0
        options.highlighted = max(0, min(options.option_count - 1, current + step))


class EditDialog(ReviewDialog):
    """The fields of one proposal: ↑ / ↓ choose a field, type its value, Enter saves it. A
    value refused is said in one line under the box, which stays open."""

    def __init__(self, proposal: Proposal, attempt: Attempt) -> None:
        super().__init__()
        self.proposal = proposal
        self.attempt = attempt
        self.names = edits.fields_of(proposal)
        self.shown = self.names[0]  # the field whose value the box holds

    def _value(self, name: str) -> str:
        return clean(edits.value_of(self.proposal, name), single_line=True)

    def compose(self) -> ComposeResult:
        with Vertical(id="review-dialog", classes="review-dialog"):
            yield Static(plain(f"Edit {self.proposal.name}", "bold"), markup=False)
            fields = OptionList(*self._options(), id="edit-fields", markup=False)
            fields.can_focus = False  # ↑ / ↓ choose from the box: typing always goes into it
            yield fields
            yield Input(self._value(self.shown), id="edit-value", select_on_focus=False)
            yield Static(id="edit-error", markup=False)
            yield Static(
                Text("↑↓ field · Enter save · empty clears · Esc close", style="dim"),
                markup=False,
            )

    def on_mount(self) -> None:
        options = self.query_one("#edit-fields", OptionList)
        if options.highlighted is None:  # (a key typed ahead may have moved it already)
            options.highlighted = 0
        self.set_focus(self.query_one(Input))

    def _options(self) -> list[Option]:
        return [
            Option(plain(f"{name}: {edits.value_of(self.proposal, name) or '—'}"), id=name)
            for name in self.names
        ]

    @property
    def field_name(self) -> str:
        options = self.query_one("#edit-fields", OptionList)
        return self.names[options.highlighted or 0]

    def action_move(self, step: int) -> None:
        super().action_move(step)
        self._show_field()  # at once: keys typed after ↓ go into the new field's value

    def _show_field(self) -> None:
        name = self.field_name
        if name == self.shown:
            return  # (the box keeps what was typed into it)
        self.shown = name
        box = self.query_one(Input)
        box.value = self._value(name)
        choices = edits.choices_of(self.proposal, name)
        box.placeholder = f"one of {', '.join(choices)}" if choices else name
        self.query_one("#edit-error", Static).update("")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        problem = self.attempt(self.shown, event.value)
        if problem is not None:
            self.query_one("#edit-error", Static).update(plain(problem, "bold reverse"))
            return
        self.dismiss(None)


class ChoiceDialog(ReviewDialog):
    """A dialog whose list is chosen from: its first option highlighted and focused; Enter
    returns `choice` (the option's id, unless a subclass says otherwise)."""

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is None:
            options.highlighted = 0
        self.set_focus(options)  # (AUTO_FOCUS does nothing while the terminal has no focus)

    def choice(self, event: OptionList.OptionSelected) -> object:
        return event.option_id

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.choice(event))


class SplitDialog(ChoiceDialog):
    """Where to split a name: between which two words. Returns the offset in the name."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name_text = name
        self.points = edits.split_points(name)

    def compose(self) -> ComposeResult:
        with Vertical(id="review-dialog", classes="review-dialog"):
            yield Static(plain(f"Split {self.name_text}", "bold"), markup=False)
            yield OptionList(
                *[
                    Option(plain(f"{self.name_text[:at].rstrip()} ‖ {self.name_text[at:]}"))
                    for at in self.points
                ],
                id="split-points",
                markup=False,
            )
            yield Static(Text("↑↓ where · Enter split · Esc close", style="dim"), markup=False)

    def choice(self, event: OptionList.OptionSelected) -> object:
        return self.points[event.option_index]


NEW_KINDS = (
    ("organization", "a new organization"),
    ("person", "a new person"),
    ("place", "a new place"),
    ("mention", "a mention of a known entity (choose it by search)"),
)


class KindDialog(ChoiceDialog):
    """What the selected words make: a new entity of a kind, or a mention of a known one."""

    def compose(self) -> ComposeResult:
        with Vertical(id="review-dialog", classes="review-dialog"):
            yield Static(plain("New from the selected words", "bold"), markup=False)
            yield OptionList(
                *[Option(plain(shown), id=kind) for kind, shown in NEW_KINDS],
                id="new-kinds",
                markup=False,
            )
            yield Static(Text("↑↓ choose · Enter make · Esc close", style="dim"), markup=False)


class EntityChooser(SearchScreen):
    """The explorer's search, kept to `kinds`: returns the ref chosen (`name_of` names it)."""

    def __init__(self, initial: str, kinds: tuple[str, ...], purpose: str) -> None:
        super().__init__(initial)
        self.kinds = kinds
        self.purpose = purpose

    def find(self, conn: sqlite3.Connection, text: str, token: CancelToken) -> list[Hit]:
        kind = self.kinds[0] if len(self.kinds) == 1 else None
        hits = search(conn, text, kind=kind, limit=RESULT_LIMIT * 3, token=token)
        return [hit for hit in hits if hit.kind in self.kinds][:RESULT_LIMIT]

    def summary(self, text: str, hits: list[Hit]) -> Text:
        status = Text(f"{self.purpose}: ", style="bold")
        status.append(f"{len(hits)} {' or '.join(self.kinds)} · Enter choose · Esc close")
        return status


class PendingDialog(ChoiceDialog):
    """The articles with proposals pending or accepted: Enter opens one's Review screen."""

    def __init__(self, pending: list[tuple[str, str | None, dict[str, int]]]) -> None:
        super().__init__()
        self.pending = pending

    def compose(self) -> ComposeResult:
        with Vertical(id="review-dialog", classes="review-dialog"):
            yield Static(plain("Review an article's proposals", "bold"), markup=False)
            options = []
            for article_id, title, counts in self.pending:
                shown = plain(title or article_id, "bold")
                stated = " · ".join(f"{n} {status}" for status, n in counts.items() if n)
                shown.append_text(plain(f"\n  {stated}", "dim", single_line=False))
                options.append(Option(shown, id=article_id))
            yield OptionList(*options, id="pending-articles", markup=False)
            yield Static(Text("↑↓ choose · Enter review · Esc close", style="dim"), markup=False)
