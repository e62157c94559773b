"""The benchmark's Review screen: from the request to open it (the palette's or `R`'s action)
to the first paint showing the article and its proposals, in the real explorer driven
in-process (as session.py drives it) at 80x24, against the benchmark's database.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from pathlib import Path
from typing import Any

from tui.bench.session import STEP_TIMEOUT_S, PaintClock

OPENS = 7
SIZE = (80, 24)
TARGET_S = 0.3


async def _measure(db: Path, corpus: Path, article_id: str) -> list[float]:
    from textual.widgets import OptionList

    from tui.app.explorer import RoundtableApp
    from tui.app.screens.main import MainScreen
    from tui.app.screens.review import ReviewScreen

    app = RoundtableApp(db, corpus=corpus)
    clock = PaintClock(app)
    seconds: list[float] = []
    async with app.run_test(size=SIZE):
        deadline = time.monotonic() + STEP_TIMEOUT_S
        while not isinstance(app.screen, MainScreen) and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.5)  # the first pane read and painted, as a person would wait

        def shown() -> bool:
            screen = app.screen
            return (
                isinstance(screen, ReviewScreen)
                and screen.review is not None
                and screen.query_one("#review-list", OptionList).option_count > 0
            )

        for _ in range(OPENS):
            seconds.append(await clock.step(lambda: app.open_review(article_id), shown))
            app.pop_screen()
            await asyncio.sleep(0.1)
    return seconds


def measure_review_open(db: Path, corpus: Path, article_id: str) -> dict[str, Any]:
    """Open the Review screen on `article_id` of `corpus` several times: the seconds of each."""
    seconds = asyncio.run(_measure(db, corpus, article_id))
    return {
        "opens": len(seconds),
        "median_s": round(statistics.median(seconds), 4),
        "max_s": round(max(seconds), 4),
    }
