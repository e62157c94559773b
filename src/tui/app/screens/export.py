"""`e`: write the current pane, as filtered, to a file: pick a format, confirm the path."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tui.app.keys import bindings
from tui.app.navigation import ExplorerAccess
from tui.app.screens.lifecycle import DismissOnce
from tui.data import exporting
from tui.data.db import describe
from tui.errors import UserError
from tui.safe_text import plain
from tui.textsafe import clean

FORMAT_HELP = {
    "csv": "CSV, one row per entity, lists joined with ;",
    "json": "JSON, one array of objects",
    "jsonl": "JSON lines, one object per line",
    "ftm": "FollowTheMoney entities, one per line",
}


@dataclass
class ExportRequest:
    """What to export: a kind under the pane's filters, or the Timeline (`kind='timeline'`)."""

    kind: str
    title: str
    filters: dict[str, str] = field(default_factory=dict)
    text: str | None = None
    about: str | None = None
    described: str = ""

    def formats(self) -> tuple[str, ...]:
        return ("csv", "json", "jsonl") if self.kind == "timeline" else exporting.FORMATS


EXPORT_DIR_ENV = "ROUNDTABLE_EXPORT_DIR"  # where exports go by default (else the current folder)


def default_path(request: ExportRequest, fmt: str) -> str:
    """The file a new export is written to: named after the pane and its filter, in the
    folder `ROUNDTABLE_EXPORT_DIR` names, else the folder the explorer runs in."""
    name = exporting.default_filename(request.kind, fmt, request.filters, request.text)
    folder = os.environ.get(EXPORT_DIR_ENV)
    return os.path.join(folder, name) if folder else name


def target_of(value: str) -> Path:
    """The absolute path a typed name writes to (`~` expanded, relative to the current folder)."""
    return Path(os.path.abspath(os.path.expanduser(value.strip())))


class ExportScreen(DismissOnce, ModalScreen[Path | None], ExplorerAccess):
    """Returns the path written, or None if closed without writing."""

    BINDINGS = bindings("export")

    def __init__(self, request: ExportRequest) -> None:
        super().__init__()
        self.request = request
        self.format = "csv"
        self.path_edited = False
        self.writing = False
        self.overwrite_ok: Path | None = None  # the existing file the user chose to replace

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box"):
            title = Text(f"Export {self.request.title}", style="bold")
            if self.request.described:
                title.append("  ")
                title.append_text(plain(self.request.described))
            yield Static(title, id="export-title")
            yield OptionList(
                *(
                    Option(Text(f"{fmt:<6}") + Text(FORMAT_HELP[fmt], style="dim"), id=fmt)
                    for fmt in self.request.formats()
                ),
                id="export-formats",
                markup=False,
            )
            yield Input(value=default_path(self.request, self.format), id="export-path")
            yield Static(id="export-target", markup=False)
            yield Static(id="export-status", markup=False)

    def on_mount(self) -> None:
        formats = self.query_one(OptionList)
        formats.highlighted = 0
        self.query_one(Input).focus()
        self._status(Text("↑↓ format · Enter writes · Esc closes", style="dim"))
        self._show_target(self.query_one(Input).value)

    def _show_target(self, value: str) -> None:
        """The absolute path Enter would write, under the name typed."""
        line = Text("→ ", style="dim")
        if value.strip():
            line.append_text(plain(str(target_of(value))))
        self.query_one("#export-target", Static).update(line)

    def _status(self, text: Text) -> None:
        self.query_one("#export-status", Static).update(text)

    @on(OptionList.OptionHighlighted, "#export-formats")
    def format_moved(self, event: OptionList.OptionHighlighted) -> None:
        self._set_format(event.option_id or "csv")

    @on(OptionList.OptionSelected, "#export-formats")
    def format_chosen(self, event: OptionList.OptionSelected) -> None:
        self._set_format(event.option_id or "csv")
        self.query_one(Input).focus()

    def _set_format(self, fmt: str) -> None:
        self.format = fmt
        if not self.path_edited:
            path = self.query_one(Input)
            path.value = default_path(self.request, fmt)
            self.path_edited = False

    @on(Input.Changed, "#export-path")
    def path_changed(self, event: Input.Changed) -> None:
        self.path_edited = event.value != default_path(self.request, self.format)
        self.overwrite_ok = None
        self._show_target(event.value)

    @on(Input.Submitted, "#export-path")
    def submitted(self, event: Input.Submitted) -> None:
        if self.writing:
            return
        value = event.value.strip()
        if not value:
            self._status(Text("Give a file name.", style="bold"))
            return
        target = target_of(value)
        if _is_file(target) and self.overwrite_ok != target:
            self.overwrite_ok = target
            line = Text("Exists: ", style="bold")
            line.append_text(plain(target.name))
            line.append(" · Enter again replaces it, or change the name", style="dim")
            self._status(line)
            return
        self.writing = True
        self._status(Text("Writing…", style="dim"))
        self.write(value, self.format)

    @work(thread=True, exclusive=True, group="export")
    def write(self, path: str, fmt: str) -> None:
        """Write in a thread; every failure, the OS's or the database's, is a line in the
        dialog (the session goes on)."""
        conn = self.explorer.store.conn
        request = self.request
        try:
            rows: Iterable[dict[str, Any]]
            if request.kind == "timeline":
                rows = exporting.timeline_rows(conn, request.about)
            else:
                rows = exporting.kind_rows(
                    conn, request.kind, fmt, filters=request.filters, text=request.text
                )
            header = exporting.csv_header(conn, request.kind) if fmt == "csv" else ()
            count = exporting.write_file(rows, fmt, path, self.explorer.store.path, header)
        except UserError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        except sqlite3.Error as exc:
            self.app.call_from_thread(self._failed, f"cannot read the database: {describe(exc)}")
            return
        self.app.call_from_thread(self._written, Path(os.path.expanduser(path)), count, fmt)

    def _failed(self, message: str) -> None:
        self.writing = False
        line = Text("Not written: ", style="bold")
        line.append_text(plain(message))
        self._status(line)
        self.app.notify(clean(message), title="Export failed", severity="error", markup=False)

    def _written(self, path: Path, count: int, fmt: str) -> None:
        self.writing = False
        # The full path holds the folder the explorer runs in, named with anything.
        message = f"Wrote {exporting.written(count, fmt)} to {path.resolve()}"
        self.app.notify(clean(message), title="Exported", markup=False)
        self.dismiss(path)

    def action_format(self, step: int) -> None:
        formats = self.query_one(OptionList)
        current = formats.highlighted or 0
        formats.highlighted = (current + step) % formats.option_count

    def action_close(self) -> None:
        self.dismiss(None)


def _is_file(path: Path) -> bool:
    """Whether `path` is an existing file; a name the OS refuses (too long, say) is not one:
    writing it says why."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False
