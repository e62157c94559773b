"""Typing in search paints the letter typed together with its hits: no frame shows the new
text over the hits of the old one, and the hits are not left for a later frame. Recorded as
the terminal would receive the screen's updates, at 80x24 on the real seed."""

from __future__ import annotations

import re
from typing import Any

from pilotkit import SIZE, settle
from textual.screen import Screen

from tui.app.explorer import RoundtableApp
from tui.app.screens.search import SearchScreen
from tui.data.search import search

ESCAPE = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")


async def test_each_letter_typed_is_painted_in_the_same_update_as_its_hits(seed_db, seed_conn):
    typed = "COPP"  # capitals: the box shows them so, the hits' own text never does
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        await settle(pilot, lambda: isinstance(app.screen, SearchScreen))
        search_screen = app.screen
        assert isinstance(search_screen, SearchScreen)
        updates: list[str] = []
        display = app._display

        def recording(screen: Screen[Any], update: Any) -> None:
            display(screen, update)
            if update is not None:
                updates.append(ESCAPE.sub("", update.render_segments(app.console)))

        app._display = recording  # type: ignore[method-assign]
        for end in range(1, len(typed) + 1):
            text = typed[:end]
            updates.clear()
            await pilot.press(text[-1])
            await settle(pilot, lambda t=text: search_screen.query_text == t and bool(updates))
            await pilot.pause(0.1)  # and any paint that would follow
            first_hit = search(seed_conn, text, limit=1)[0].name
            with_text = [update for update in updates if text in update]
            assert with_text, f"{text!r} typed but never painted"
            assert first_hit[:12] in with_text[0], (
                f"{text!r} was painted before its hits ({first_hit!r})"
            )
