"""The search results as drawn at 80x24: each hit two lines (its kind and name, its snippet
under the name), each cut to the list with "…", the highlighted hit always in view as the
cursor moves and the status line saying which it is, Enter and a click opening it; without
colour, the highlighted hit is in reverse video and nothing else is."""

from __future__ import annotations

import pytest
from pilotkit import SIZE, detail_ready, settle
from textual.strip import Strip
from textual.widgets import Static

from tui.app.explorer import RoundtableApp
from tui.app.screens.main import MainScreen
from tui.app.screens.search import SearchScreen
from tui.app.widgets.hit_list import HitList
from tui.kinds import LABEL_WIDTH, kind_label


def _ready(app, text: str) -> bool:
    screen = app.screen
    return isinstance(screen, SearchScreen) and not screen.searching and screen.query_text == text


def _drawn(results: HitList) -> list[Strip]:
    return results.render_lines(results.size.region)


def _text(strip: Strip) -> str:
    return "".join(segment.text for segment in strip).rstrip()


async def _search(pilot, app, text: str) -> HitList:
    await settle(pilot, lambda: isinstance(app.screen, MainScreen))
    await pilot.press("slash", *text)
    await settle(pilot, lambda: _ready(app, text))
    return app.screen.query_one("#search-results", HitList)


async def test_every_hit_is_two_lines_cut_to_the_list_and_the_cursor_stays_in_view(seed_db):
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        results = await _search(pilot, app, "a")
        hits = results.items
        assert len(hits) == 20 and results.virtual_size.height == 40  # more than fits
        room = results.scrollable_content_region.width
        lines = [_text(strip) for strip in _drawn(results)]
        shown = [line for line in lines if line]
        assert len(shown) == results.size.height  # the list is full, every line a hit's
        for number, line in enumerate(shown):
            assert len(line) <= room  # within the list (the scrollbar beside it)
            hit = hits[number // 2]
            if number % 2 == 0:  # its kind and name
                full = f"{kind_label(hit.kind):<{LABEL_WIDTH}} {hit.name}"
                assert line == full or (line.endswith("…") and full.startswith(line[:-1]))
            else:  # its snippet, under the name
                assert line.startswith(" " * (LABEL_WIDTH + 1)) and line.strip()
        for _ in range(3):
            await pilot.press("pagedown")
        await pilot.pause()
        chosen = results.highlighted
        assert chosen is not None and chosen > results.size.height // 2  # past the first view
        name_line = f"{kind_label(hits[chosen].kind):<{LABEL_WIDTH}} {hits[chosen].name}"[:20]
        assert any(_text(strip).startswith(name_line) for strip in _drawn(results))
        status = str(app.screen.query_one("#search-status", Static).render())
        assert status.endswith(f"· {chosen + 1} of 20")  # where you are (there is no scrollbar)
        await pilot.press("enter")
        await settle(pilot, lambda: detail_ready(app, hits[chosen].ref))


async def test_a_click_on_a_hit_opens_it(seed_db):
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        results = await _search(pilot, app, "copper")
        second = results.items[1]
        await pilot.click(results, offset=(5, 3))  # the second hit's snippet line
        await settle(pilot, lambda: detail_ready(app, second.ref))


def _reversed(results: HitList) -> list[int]:
    """The lines drawn in reverse video (all their text), by number from the list's top."""
    found = []
    for number, strip in enumerate(_drawn(results)):
        text = [s for s in strip if s.text.strip()]
        if text and all(s.style and s.style.reverse for s in text):
            found.append(number)
    return found


@pytest.fixture
def no_color(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")


async def test_without_colour_the_highlighted_hit_alone_is_in_reverse_video(seed_db, no_color):
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        results = await _search(pilot, app, "wind")
        await pilot.press("down")
        await pilot.pause()
        assert results.highlighted == 1
        assert _reversed(results) == [2, 3]  # the second hit's two lines


def _expected(results: HitList) -> list[str]:
    """The list's lines as a freshly drawn list would show them (hit_lines, from the top)."""
    from tui.app.widgets.search_hit import hit_lines

    width = results.prompt_width
    made = [
        "".join(s.text for s in line.segments).rstrip()
        for hit in results.items
        for line in hit_lines(hit, width)
    ]
    top = results.scroll_offset.y
    return (made[top:] + [""] * results.size.height)[: results.size.height]


async def test_as_the_query_changes_no_line_of_an_earlier_list_is_left_on_screen(seed_db, no_color):
    """A new letter repaints only the lines that change: every line drawn is still the
    line of the hit now there, and only the highlighted hit is in reverse video."""
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        results = await _search(pilot, app, "ka")
        steps = ["z", "a", "k", "h", "down", "down", "s", "backspace", "backspace", "t"]
        steps += ["backspace", "backspace", "backspace", "backspace", "backspace", "c", "o"]
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        for key in steps:
            await pilot.press(key)
            text = screen.query_one("#search-input").value
            await settle(pilot, lambda t=text: _ready(app, t))
            await pilot.pause()
            assert [_text(strip) for strip in _drawn(results)] == _expected(results), (
                f"after {key!r} ({text!r})"
            )
            chosen = results.highlighted
            if chosen is not None and chosen < results.size.height // 2:
                assert _reversed(results) == [2 * chosen, 2 * chosen + 1], f"after {key!r}"


async def test_a_query_longer_than_the_box_shows_where_the_cursor_is(seed_db):
    """The box scrolls its text to the cursor: the end as you type, the start after Home
    (its text's width lays nothing out, SearchBox, but still bounds the scroll)."""
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        text = "kazakhstan china agreement " * 4 + "END"
        await pilot.press("slash", *[("space" if ch == " " else ch) for ch in text])
        await settle(pilot, lambda: _ready(app, text))
        box = app.screen.query_one("#search-input")
        shown = box.render_line(0).text
        assert shown.rstrip().endswith("agreement END") and not shown.startswith("kazakhstan")
        await pilot.press("home")
        await pilot.pause()
        assert box.render_line(0).text.startswith("kazakhstan china agreement")


@pytest.mark.parametrize("colour", [True, False], ids=["colour", "no colour"])
async def test_the_list_draws_its_lines_as_textual_itself_would(seed_db, monkeypatch, colour):
    """HitList draws its lines without Textual's styles cache (HitList.render_lines): the same
    segments, whole or cropped, highlighted or not, in colour or without. A Textual release
    that adds something to a plain widget's lines fails here."""
    from textual.geometry import Region
    from textual.widget import Widget

    if not colour:
        monkeypatch.setenv("NO_COLOR", "1")
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        results = await _search(pilot, app, "a")
        await pilot.press("down", "down")
        await pilot.pause()
        assert results._plain_styles()  # (else it draws through Textual's own path anyway)
        width, height = results.size
        for crop in (results.size.region, Region(3, 2, width - 10, height - 5)):
            ours = [list(strip) for strip in results.render_lines(crop)]
            textual = [list(strip) for strip in Widget.render_lines(results, crop)]
            assert ours == textual
