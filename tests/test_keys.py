"""One table holds every key (tui.app.keys): the bindings, the help screen, the command
palette and README.md's key table all come from it, and drift from it fails here."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

from pilotkit import SIZE, help_lines, settle
from textual.app import App
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.widgets import OptionList

import tui.app
from tui.app import keys
from tui.app.explorer import RoundtableApp
from tui.app.screens.help import LEGEND, HelpScreen
from tui.app.screens.main import MainScreen

README = Path(__file__).resolve().parents[1] / "README.md"
MARKED = re.compile(r"<!-- keys -->\n(.*?)<!-- /keys -->\n", re.S)


def expanded(bindings: list[BindingType]) -> list[Binding]:
    """One binding per key, as Textual makes them (`escape,backspace` is two)."""
    return list(Binding.make_bindings(bindings))


def bound_classes() -> dict[type, list[Binding]]:
    """Every class of the app (app, screens, widgets) that declares BINDINGS of its own."""
    found = {}
    for module_info in pkgutil.walk_packages(tui.app.__path__, "tui.app."):
        module = importlib.import_module(module_info.name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and "BINDINGS" in cls.__dict__:
                found[cls] = expanded(cls.__dict__["BINDINGS"])
    return found


def test_the_readme_key_table_is_the_key_table():
    marked = MARKED.search(README.read_text(encoding="utf-8"))
    assert marked, "README.md has no <!-- keys --> … <!-- /keys --> block"
    assert marked.group(1) == keys.readme_table(), (
        "README.md's key table differs from src/tui/app/keys.py; print the table with "
        "`python -c 'from tui.app.keys import readme_table; print(readme_table(), end=\"\")'`"
    )


def test_every_binding_of_every_screen_comes_from_the_table():
    classes = bound_classes()
    assert RoundtableApp in classes and MainScreen in classes and HelpScreen in classes
    scopes_used = []
    for cls, declared in classes.items():
        scope = next((s for s in keys.SCOPES if declared == expanded(keys.bindings(s))), None)
        assert scope is not None, f"{cls.__qualname__}.BINDINGS are not the table's"
        scopes_used.append(scope)
        for binding in declared:
            assert binding.id in keys.BY_ID, (cls.__qualname__, binding.key)
    bound_scopes = {scope for key in keys.ALL if key.action for scope in key.scopes}
    assert sorted(scopes_used) == sorted(bound_scopes), "each scope is one class's BINDINGS"


def test_the_table_holds_together():
    assert len(keys.BY_ID) == len(keys.ALL), "binding ids are unique"
    for section in keys.TABLE:
        ids = {key.id for key in section.keys}
        for key in section.keys:
            assert set(key.scopes) <= set(keys.SCOPES) and set(key.hidden_in) <= set(key.scopes)
            if key.joins is not None:  # shares a help line of its own section
                assert key.joins in ids and keys.BY_ID[key.joins].help is not None, key.id
                assert key.help is None, key.id
            if key.action is None:  # documented only: the widget named really binds it
                assert key.widget is not None and key.help is not None, key.id
                if key.widget is App:
                    assert key.keys == App.COMMAND_PALETTE_BINDING
                    continue
                widget_keys = {
                    binding.key
                    for cls in key.widget.__mro__
                    for binding in Binding.make_bindings(cls.__dict__.get("BINDINGS", []))
                }
                assert set(key.keys.split(",")) <= widget_keys, key.id
            if key.palette is not None:  # the palette runs it as an action of the app
                action = (key.palette_action or key.action or "").removeprefix("app.")
                assert callable(getattr(RoundtableApp, f"action_{action.split('(')[0]}", None))


async def test_a_keymap_rebinds_a_key_by_its_table_id(seed_db):
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        app.set_keymap({"panes.timeline": "0"})
        await pilot.press("0")
        await settle(pilot, lambda: app.screen.current_pane.kind == "timeline")


async def test_the_help_screen_lists_what_the_table_says(seed_db):
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.press("question_mark")
        await settle(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.pause()
        drawn = [line for line in help_lines(app.screen) if line]
        expected = []
        for title, rows in keys.help_sections():
            expected.append(title)
            for labels, does in (*rows, *LEGEND.get(title, ())):
                expected.append((labels, does))
        lines = iter(drawn)
        for item in expected:  # in order, each on a line of its own
            if isinstance(item, str):
                assert any(line == item for line in lines), f"no section {item!r}"
                continue
            labels, does = item  # (what they do may wrap onto the lines below)
            start = re.compile(rf"{re.escape(labels)} {{2,}}{re.escape(does[:20])}")
            assert any(start.match(line) for line in lines), f"no line for {labels!r}"


async def test_the_palette_offers_what_the_table_says(seed_db):
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.press("ctrl+p")
        await settle(pilot, lambda: isinstance(app.screen, CommandPalette))
        options = app.screen.query_one(OptionList)
        commands = keys.palette_commands()
        await settle(pilot, lambda: options.option_count >= len(commands))
        offered = {
            tuple(str(options.get_option_at_index(i).prompt).split("\n", 1))
            for i in range(options.option_count)
        }
        for title, _action, key in commands:  # each with its key beneath
            assert (title, key) in offered, title
        titles = {title for title, *_ in offered}
        # of Textual's own only Quit: no panel squeezing the explorer, no theme undoing the
        # terminal's colours
        assert "Quit" in titles and not titles & {"Keys", "Theme", "Maximize", "Screenshot"}
