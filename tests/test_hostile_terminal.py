"""Nothing from the data reaches the terminal raw: a corpus with a terminal payload (OSC 52
clipboard, window title, leave the alternate screen and clear it, C1 CSI/OSC, BEL, a bidi
override, markup) at the start of every text field of every record (tests/hostilekit.py) is
rendered by every explorer screen and every CLI view, and what each writes to the terminal is
checked for ESC, C1 and BEL bytes that are not the program's own escape sequences.

For the explorer that is the byte stream Textual sends its driver, the one a terminal receives
(`TerminalBytes` keeps it); for the CLI, stdout and stderr, through a pipe and under a real
pseudo-terminal (where Rich adds its own colour sequences).
"""

from __future__ import annotations

import csv
import io
import json
import os
import select
import subprocess
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hostilekit import (
    C1_CSI,
    OSC_CLIPBOARD,
    OSC_TITLE,
    PAYLOAD,
    SECTOR_PAYLOAD,
    terminal_leaks,
    write_every_field_hostile_seed,
)
from termkit import Tmux, clean_env, roundtable
from textual.command import CommandPalette
from textual.drivers.headless_driver import HeadlessDriver
from textual.pilot import Pilot
from textual.widgets import OptionList

from tui.app.explorer import RoundtableApp
from tui.app.screens.corroboration import CorroborationScreen
from tui.app.screens.export import ExportScreen
from tui.app.screens.filter import FilterScreen
from tui.app.screens.help import HelpScreen
from tui.app.screens.main import PANES, MainScreen
from tui.app.screens.network import NetworkScreen
from tui.app.screens.search import SearchScreen
from tui.app.screens.source import SourceScreen
from tui.app.screens.timeline_filter import TimelineFilterScreen
from tui.app.screens.totals import TotalsScreen
from tui.data.build import build
from tui.data.exporting import FORMATS
from tui.data.totals import DIMENSIONS
from tui.kinds import KINDS
from tui.textsafe import clean

SHOWN = clean(OSC_CLIPBOARD)[:10]  # the payload's start as it shows: `␛]52;c;cHd`
SECTOR_SHOWN = clean(SECTOR_PAYLOAD)[:10]  # a sector's payload (no `;`): `␛]52,c,cHd`


def shows_payload(text: str) -> bool:
    """True when `text` shows a payload, made visible."""
    return SHOWN in text or SECTOR_SHOWN in text


def holds_payload(text: str) -> bool:
    """True when `text` holds a payload exactly."""
    return PAYLOAD in text or SECTOR_PAYLOAD in text


SIZE = (160, 50)  # wide enough that every pane shows all its columns
SHOWN_IN = (
    "pane", "filter", "filtered pane", "export dialog", "timeline", "detail", "source reader",
    "search results", "palette hits", "totals", "corroboration", "network",
)  # fmt: skip
# Steps whose screen shows no free text (categories, currencies and units are controlled).
SHOWS_NO_FREE_TEXT = ("totals by category",)
REFS = [
    "organization:acme-energy",
    "organization:evil-corp",
    "person:ivan-petrov",
    "person:mallory",
    "meeting:almaty-meeting",
    "commitment:acme-steppe-agreement",
    "commitment:evil-pact",
    "indicator:trade-2022",
    "place:almaty",
    "place:kazakhstan",
]


@pytest.fixture(scope="module")
def poisoned_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("poisoned")
    path = folder / "poisoned.db"
    build(write_every_field_hostile_seed(folder / "seed"), path)
    return path


# --- the explorer --------------------------------------------------------------------------------


def terminal_driver(sink: list[str]) -> type[HeadlessDriver]:
    """Textual's headless driver, except that the app renders for it as for a terminal (it
    skips that for a headless driver): every string the app would send a terminal lands in
    `sink`."""

    class TerminalBytes(HeadlessDriver):
        @property
        def is_headless(self) -> bool:
            return False

        def write(self, data: str) -> None:
            sink.append(data)

    return TerminalBytes


class Walk:
    """Steps through the explorer, checking after each what reached the terminal."""

    def __init__(self, pilot: Pilot, sink: list[str]) -> None:
        self.pilot, self.app, self.sink = pilot, pilot.app, sink
        self.leaks: dict[str, list[str]] = {}
        self.steps: list[str] = []
        self.shown = 0  # steps whose screen showed the payload, made visible

    async def until(self, condition: Callable[[], object], what: str, timeout: float = 10) -> None:
        waited = 0.0
        while not condition():
            assert self.app.is_running, f"the app stopped while waiting for {what}"
            assert waited < timeout, f"timed out waiting for {what}"
            await self.pilot.pause(0.05)
            waited += 0.05

    async def step(
        self, what: str, act: Callable[[], Awaitable[None] | None], ready: Callable[[], object]
    ) -> None:
        result = act()
        if result is not None:
            await result
        await self.until(ready, what)
        await self.pilot.wait_for_scheduled_animations()
        await self.pilot.pause()  # the paint of what is now ready
        if what.startswith(SHOWN_IN) and what not in SHOWS_NO_FREE_TEXT:
            # the data is on this screen: the payload, made visible
            await self.until(
                lambda: shows_payload("".join(self.sink)), f"the payload shown: {what}"
            )
            self.shown += 1
        self.check(what)

    def check(self, what: str) -> None:
        """Keep the leaks in what was written since the last check."""
        self.steps.append(what)
        found = terminal_leaks("".join(self.sink))
        self.sink.clear()
        if found:
            self.leaks[what] = found[:3]

    def press(self, *keys: str) -> Callable[[], Awaitable[None]]:
        return lambda: self.pilot.press(*keys)

    def on(self, screen: type, also: Callable[[], object] = lambda: True) -> Callable[[], bool]:
        return lambda: isinstance(self.app.screen, screen) and bool(also())

    def options(self) -> int:
        return self.app.screen.query_one(OptionList).option_count


def pane_ready(app: RoundtableApp) -> bool:
    screen = app.screen
    if not isinstance(screen, MainScreen):
        return False
    pane = screen.current_pane
    return pane.exhausted and pane.total is not None and not pane.fetching


async def test_no_explorer_screen_sends_data_raw_to_the_terminal(poisoned_db):
    sink: list[str] = []
    app = RoundtableApp(poisoned_db)
    app.driver_class = terminal_driver(sink)
    async with app.run_test(headless=False, size=SIZE, notifications=True) as pilot:
        walk = Walk(pilot, sink)
        await walk.step("start", lambda: None, lambda: pane_ready(app))
        for number, (kind, _) in enumerate(PANES, start=1):
            await walk.step(
                f"pane {kind}",
                walk.press(str(number)),
                lambda k=kind: pane_ready(app) and app.screen.current_pane.kind == k,
            )
        # a filter with a hostile facet value chosen, then the export dialog that names it
        await walk.step("commitments", walk.press("3"), lambda: pane_ready(app))
        await walk.step("filter", walk.press("f"), walk.on(FilterScreen, walk.options))
        await walk.step("filter values", walk.press("down", "down", "down"), lambda: True)
        await walk.step("filter chosen", walk.press("enter"), lambda: True)
        await walk.step("filtered pane", walk.press("escape"), lambda: pane_ready(app))
        await walk.step("export dialog", walk.press("e"), walk.on(ExportScreen))
        await walk.step("export closed", walk.press("escape"), lambda: pane_ready(app))
        # the timeline narrowed to a hostile name, and its export dialog
        await walk.step("timeline", walk.press("8"), lambda: pane_ready(app))
        await walk.step(
            "timeline filter", walk.press("f"), walk.on(TimelineFilterScreen, walk.options)
        )
        await walk.step("timeline filtered", walk.press("down", "enter"), lambda: pane_ready(app))
        await walk.step("timeline export dialog", walk.press("e"), walk.on(ExportScreen))
        await walk.step("timeline export closed", walk.press("escape"), lambda: pane_ready(app))
        # every kind's detail, with the cursor walked over its links and sources
        for ref in REFS:
            await walk.step(
                f"detail {ref}",
                lambda r=ref: app.open_entity(r),
                lambda r=ref: getattr(app.screen, "ref", None) == r and app.screen.details,
            )
            await walk.step(f"detail {ref} links", walk.press(*["down"] * 8), lambda: True)
            await walk.step(f"left {ref}", walk.press("escape"), lambda: pane_ready(app))
        # the source reader at the payload's quote, walking the quotes and the mentions
        await walk.step(
            "source reader",
            lambda: app.open_source("article:mini"),
            walk.on(SourceScreen, lambda: app.screen.query(".paragraph")),
        )
        await walk.step("source quotes", walk.press("n", "n", "n", "p"), lambda: True)
        await walk.step("source mentions", walk.press("m", "down", "down"), lambda: True)
        await walk.step("source text", walk.press("t", "escape"), lambda: pane_ready(app))
        # search and the command palette, on a word of the payload's quote
        await walk.step("search", walk.press("slash"), walk.on(SearchScreen))
        await walk.step(
            "search results",
            walk.press(*"agreed"),
            walk.on(SearchScreen, lambda: len(app.screen.refs) > 3),
        )
        await walk.step("search moved", walk.press("down", "down"), lambda: True)
        await walk.step("search closed", walk.press("escape"), lambda: pane_ready(app))
        await walk.step("palette", walk.press("ctrl+p"), walk.on(CommandPalette))
        await walk.step(
            "palette hits",
            walk.press(*"Acme"),
            walk.on(CommandPalette, walk.options),
        )
        await walk.step("palette closed", walk.press("escape"), lambda: pane_ready(app))
        # totals in every grouping, corroboration, who met whom, help
        await walk.step("totals", walk.press("T"), walk.on(TotalsScreen, lambda: app.screen.loaded))
        for grouping in ("sector", "country", "category", "organization"):
            await walk.step(
                f"totals by {grouping}",
                walk.press("b"),
                walk.on(
                    TotalsScreen, lambda g=grouping: app.screen.loaded and app.screen.dimension == g
                ),
            )
        await walk.step("totals moved", walk.press("down", "down", "down"), lambda: True)
        await walk.step("totals closed", walk.press("escape"), lambda: pane_ready(app))
        await walk.step(
            "corroboration",
            walk.press("r"),
            walk.on(CorroborationScreen, lambda: app.screen.loaded),
        )
        await walk.step("corroboration moved", walk.press(*["down"] * 6), lambda: True)
        await walk.step("corroboration closed", walk.press("escape"), lambda: pane_ready(app))
        for ref in ("organization:acme-energy", "person:mallory"):
            await walk.step(
                f"network {ref}",
                lambda r=ref: app.open_network(r),
                walk.on(NetworkScreen, lambda: app.screen.root_node is not None),
            )
            await walk.step(
                f"network {ref} moved", walk.press("down", "down", "space"), lambda: True
            )
            await walk.step(f"network {ref} closed", walk.press("escape"), lambda: pane_ready(app))
        await walk.step("help", walk.press("question_mark"), walk.on(HelpScreen))
        await walk.step("help closed", walk.press("escape"), lambda: pane_ready(app))
        assert app.is_running and app.return_code is None  # [@click=app.quit] never quit it
    walk.check("quit")
    assert not walk.leaks, {step: found[:1] for step, found in walk.leaks.items()}
    assert walk.shown > 30 and len(walk.steps) > 60


async def test_export_notice_shows_the_folder_clean(mini_db, tmp_path, monkeypatch):
    """The notice after an export names the file written by its full path: the folder the
    explorer runs in may be named with anything."""
    folder = tmp_path / f"x{OSC_TITLE}{C1_CSI}"
    folder.mkdir()
    monkeypatch.chdir(folder)
    sink: list[str] = []
    app = RoundtableApp(mini_db)
    app.driver_class = terminal_driver(sink)
    async with app.run_test(headless=False, size=SIZE, notifications=True) as pilot:
        walk = Walk(pilot, sink)
        await walk.step("start", lambda: None, lambda: pane_ready(app))
        await walk.step("dialog", walk.press("e"), walk.on(ExportScreen))
        await walk.step(
            "written",
            walk.press("enter"),
            lambda: pane_ready(app) and "Wrote 2 rows to" in "".join(sink),
        )
        assert (folder / "roundtable-organization.csv").exists()
    assert not walk.leaks, walk.leaks


# --- the command line ----------------------------------------------------------------------------

VIEWS = [
    ("build",),
    *(("list", kind) for kind in KINDS),
    *(("show", ref) for ref in [*REFS, "article:mini"]),
    ("search", "agreed"),
    ("search", "Acme"),
    ("network", "organization:acme-energy"),
    ("network", "person:mallory"),
    *(("totals", "--by", by) for by in DIMENSIONS),
    ("timeline",),
    ("timeline", "--about", "place:kazakhstan"),
    ("corroboration",),
]
# Views that show no free text: categories, currencies and units are controlled lists.
NO_FREE_TEXT = {("totals", "--by", "category")}
EXPORTS = [("export", kind, "--format", fmt) for kind in KINDS for fmt in FORMATS if fmt != "ftm"]
EXPORTS.append(("export", "all", "--format", "ftm"))


def strings(value: Any) -> Iterator[str]:
    """Every string in a JSON document, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def view_args(args: tuple[str, ...], db: Path, tmp_path: Path) -> list[str]:
    if args[0] == "build":  # the poisoned seed, built afresh
        seed = write_every_field_hostile_seed(tmp_path / "seed")
        return ["build", "--db", str(tmp_path / "built.db"), "--seed", str(seed)]
    return ["--db", str(db), *args]


@pytest.mark.parametrize("json_output", [False, True], ids=["text", "json"])
@pytest.mark.parametrize("args", VIEWS, ids=" ".join)
def test_no_cli_view_sends_data_raw(cli, poisoned_db, tmp_path, args, json_output):
    result = cli(*view_args(args, poisoned_db, tmp_path), *(["--json"] if json_output else []))
    assert result.code == 0, result.err
    assert terminal_leaks(result.out + result.err) == []
    if args[0] == "build" or args in NO_FREE_TEXT:
        return
    if json_output:
        data = result.json()  # valid JSON, the data intact
        assert any(holds_payload(text) for text in strings(data))
    else:
        assert shows_payload(result.out)  # the payload, made visible


@pytest.mark.parametrize("args", EXPORTS, ids=" ".join)
def test_export_to_stdout_is_clean_and_to_a_file_byte_true(cli, poisoned_db, tmp_path, args):
    piped = cli("--db", str(poisoned_db), *args)  # stdout: a pipe (`| cat`)
    assert piped.code == 0, piped.err
    assert terminal_leaks(piped.out) == []
    path = tmp_path / "out"
    written = cli("--db", str(poisoned_db), *args, "-o", str(path))
    assert written.code == 0, written.err
    kept = path.read_bytes().decode("utf-8")  # as written: a CR in a quote stays a CR
    if args[3] == "csv":
        assert PAYLOAD in kept  # the file holds the data exactly
        assert piped.out == clean(kept)  # the pipe, the same with controls made visible
        rows = list(csv.DictReader(io.StringIO(kept, newline="")))
        assert any(row["name"].startswith(PAYLOAD) for row in rows)
    else:
        assert piped.out == kept  # JSON escapes controls: the same text either way
        docs = [json.loads(kept)] if args[3] == "json" else list(map(json.loads, kept.splitlines()))
        assert any(PAYLOAD in text for text in strings(docs))


HOSTILE_FILE = f"x{OSC_TITLE}{C1_CSI}\u202e.db"


def test_paths_echoed_are_clean(cli, mini_seed_dir, tmp_path):
    target = tmp_path / HOSTILE_FILE
    built = cli("build", "--db", str(target), "--seed", str(mini_seed_dir))
    assert built.code == 0, built.err
    assert terminal_leaks(built.out + built.err) == []
    assert f"Built {clean(str(target))} in" in built.out
    out = tmp_path / f"rows{OSC_CLIPBOARD}.csv"
    exported = cli("--db", str(target), "export", "person", "-o", str(out))
    assert exported.code == 0, exported.err
    assert terminal_leaks(exported.out + exported.err) == []
    assert exported.err == f"Wrote 2 rows to {clean(str(out))}\n"
    assert out.exists()  # the file has the name given, byte for byte


@pytest.mark.parametrize("json_output", [False, True], ids=["text", "json"])
@pytest.mark.parametrize("lang", ["C.UTF-8", "C"])
def test_a_path_of_any_bytes_is_echoed_clean(mini_seed_dir, tmp_path, lang, json_output):
    """A path that is not UTF-8 (here a raw C1 CSI byte, 0x9b): Python holds it as a lone
    surrogate, which a UTF-8 stdout cannot encode and a C locale's writes back raw."""
    target = os.fsencode(tmp_path) + b"/x\x9b.db"
    proc = subprocess.run(
        [*roundtable(), "build", "--db", target, "--seed", str(mini_seed_dir)]
        + (["--json"] if json_output else []),
        env=clean_env(tmp_path, LANG=lang),
        capture_output=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    assert os.path.exists(target)
    shown = proc.stdout.decode("utf-8")  # valid UTF-8, and no raw control byte
    assert terminal_leaks(shown) == []
    if json_output:
        assert json.loads(shown)["database"] == os.fsdecode(target)  # escaped, and exact
    else:
        assert shown.startswith(f"Built {tmp_path}/x\ufffd.db in ")


def run_in_pty(argv: list[str], env: dict[str, str], timeout: float = 60) -> tuple[int, str]:
    """Run `argv` with a pseudo-terminal as stdin, stdout and stderr; its exit code and every
    byte it wrote, as text."""
    leader, follower = os.openpty()
    try:
        proc = subprocess.Popen(argv, stdin=follower, stdout=follower, stderr=follower, env=env)
    finally:
        os.close(follower)
    chunks = []
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 0.5)
            if not ready:
                if proc.poll() is not None:
                    break
                continue
            try:
                data = os.read(leader, 65536)
            except OSError:  # EIO: every writer closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        code = proc.wait(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        os.close(leader)
        if proc.poll() is None:
            proc.kill()
    return code, b"".join(chunks).decode("utf-8", errors="replace")


PTY_VIEWS = [
    ("totals", "--by", "sector"),
    ("show", "commitment:acme-steppe-agreement"),
    ("list", "organization"),
    ("search", "agreed"),
    ("network", "person:mallory"),
    ("timeline",),
    ("corroboration",),
    ("export", "commitment"),
]


@pytest.mark.parametrize("args", PTY_VIEWS, ids=" ".join)
def test_cli_views_under_a_real_terminal(poisoned_db, tmp_path, args):
    """On a terminal Rich writes styles of its own: those are let through, nothing else."""
    code, written = run_in_pty(
        [*roundtable(), "--db", str(poisoned_db), *args], clean_env(tmp_path, COLUMNS="120")
    )
    assert code == 0, written
    assert terminal_leaks(written) == []
    assert shows_payload(written)
    if args[0] not in ("export", "network"):  # (those two print plain lines)
        assert "\x1b[1m" in written  # styled: the terminal path, not the pipe's


def test_totals_in_a_real_terminal_leave_it_as_it_was(poisoned_db, tmp_path):
    """What the issue saw, in tmux with the clipboard open to programs (set-clipboard on): the
    totals of the poisoned corpus set no clipboard, no title, and stay in the alternate screen
    with the screen drawn."""
    tmux = Tmux(tmp_path)
    tmux.conf.write_text(tmux.conf.read_text() + "set -g set-clipboard on\n", encoding="utf-8")
    try:
        tmux.start([*roundtable(), "--db", str(poisoned_db)], clean_env(tmp_path), size=(100, 30))
        tmux.wait_for("Companies")
        title = tmux.info("#{pane_title}")
        tmux.keys("T")
        tmux.wait_for("Totals by", "all commitments, each once")
        tmux.keys("b", "b", "b")  # by sector, by country, by category: a view of its own
        tmux.wait_for("Totals by", "greement")
        tmux.keys("b")  # back by organization: the names, payload first
        tmux.wait_for("Totals by", "␛]52;c;cHduZWQ=␇")  # the names drawn, not cleared
        assert tmux.run("list-buffers") == ""  # OSC 52 wrote no clipboard
        assert tmux.info("#{pane_title}") == title
        assert tmux.info("#{alternate_on}") == "1"  # still in the explorer's screen
        tmux.type("Q")  # quit from a view (`q` there closes the view)
        assert tmux.wait_exit() == 0
    finally:
        tmux.kill()
