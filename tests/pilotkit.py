"""Shared steps for Pilot tests: wait for the app, and recognise when a screen is ready."""

from __future__ import annotations

import html
import re
import threading
from types import ModuleType

import pytest
from textual.geometry import Region
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Static

from tui.app.screens.detail import DetailScreen
from tui.app.screens.main import MainScreen

SIZE = (80, 24)


async def settle(pilot: Pilot, until, timeout: float = 5.0) -> None:
    """Let workers finish until `until()` holds (fails the test after `timeout`)."""
    waited = 0.0
    while not until():
        await pilot.pause(0.05)
        waited += 0.05
        assert waited < timeout, "timed out waiting for the app"


def detail_ready(app, ref: str | None = None) -> bool:
    screen = app.screen
    return (
        isinstance(screen, DetailScreen)
        and screen.details is not None
        and (ref is None or screen.ref == ref)
    )


def detail_row(app, option_id: str) -> str:
    """The text of one row of the detail on screen (`detail-title`, `detail-fields` for its
    summary, `field-status`, ...)."""
    return str(app.screen.link_list.get_option(option_id).prompt)


def pane_loaded(app) -> bool:
    """The main screen shows its current pane with every row loaded."""
    screen = app.screen
    return isinstance(screen, MainScreen) and screen.current_pane.exhausted


async def run_palette(pilot: Pilot, text: str) -> None:
    """Open the command palette, type `text`, and run the first match."""
    from textual.command import CommandPalette

    await settle(pilot, lambda: isinstance(pilot.app.screen, MainScreen))
    await pilot.press("ctrl+p")
    await settle(pilot, lambda: isinstance(pilot.app.screen, CommandPalette))
    await pilot.press(*text)
    await pilot.pause(0.5)
    await pilot.press("enter")


def hold_back_detail_reads(
    monkeypatch: pytest.MonkeyPatch, *modules: ModuleType
) -> threading.Event:
    """Make every first read of a detail made through `modules` (each holds `first_details`:
    `tui.data.details`, which the explorer imports it from when it reads, and the detail
    screen) wait until the returned event is set, so a test can act while the read runs."""
    released = threading.Event()
    original = modules[0].first_details

    def held_back(*args, **kwargs):
        assert released.wait(10), "the test never released the detail read"
        return original(*args, **kwargs)

    for module in modules:
        monkeypatch.setattr(module, "first_details", held_back)
    return released


_SVG_TEXT = re.compile(
    r'<text class="[^"]*-r\d+" x="([\d.]+)" y="([\d.]+)"[^>]*>(.*?)</text>', re.S
)
_CELL_WIDTH = 12.2  # one terminal cell in Textual's screenshot


def screen_lines(app) -> list[str]:
    """What the screen shows, line by line, each character in its column (from Textual's own
    screenshot of it)."""
    rows: dict[float, str] = {}
    for x, y, text in _SVG_TEXT.findall(app.export_screenshot()):
        line = rows.get(float(y), "")
        column = round(float(x) / _CELL_WIDTH)
        shown = html.unescape(text).replace("\xa0", " ").replace("\n", "")
        rows[float(y)] = line.ljust(column)[:column] + shown
    return [line.rstrip() for _y, line in sorted(rows.items())]


def help_lines(screen: Screen) -> list[str]:
    """The help's key list as the help screen draws it, line by line (scrolled or not)."""
    static = screen.query_one("#help-keys", Static)
    width, height = static.size
    return [strip.text.rstrip() for strip in static.render_lines(Region(0, 0, width, height))]
