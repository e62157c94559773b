"""When the explorer collects garbage: in the gaps between keys, never in the middle of typing,
and everything once the user pauses. Driven with a fake clock, against Python's real
collector: cyclic garbage (what closed screens and Textual's rendered lines leave) is either
freed or still there."""

from __future__ import annotations

import gc
import weakref
from contextlib import nullcontext

import pytest

from tui.app import collector as collector_module
from tui.app.collector import Collector


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Cycle:
    def __init__(self) -> None:
        self.me = self  # only a collection frees it


def cycles(count: int = 200) -> list[weakref.ref[Cycle]]:
    """Cyclic garbage that has survived the young collections, as a closed screen has."""
    made = [Cycle() for _ in range(count)]
    refs = [weakref.ref(c) for c in made]
    gc.collect(1)  # promoted to the oldest generation, as anything that lived a while
    del made
    return refs


def alive(refs: list[weakref.ref[Cycle]]) -> int:
    return sum(ref() is not None for ref in refs)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch):
    fake = Clock()
    monkeypatch.setattr(collector_module.time, "monotonic", fake)
    thresholds = gc.get_threshold()
    yield fake
    gc.unfreeze()
    gc.set_threshold(*thresholds)
    gc.collect()


def started(clock: Clock) -> Collector:
    collector = Collector()
    collector.settle()
    return collector


def test_garbage_is_collected_in_a_gap_between_keys(clock):
    collector = started(clock)
    refs = cycles()
    for _ in range(9):  # typing, a key every 0.1 s: no collecting in the middle of it
        clock.now += 0.1
        collector.touched()
        collector.tick()
    assert alive(refs) == len(refs)
    clock.now += 0.15  # a gap, a second after the last collection
    collector.tick()
    assert alive(refs) == 0


def test_keys_without_a_gap_never_wait_on_a_collection(clock):
    collector = started(clock)
    refs = cycles()
    for _ in range(30):  # three seconds of keys every 0.1 s
        clock.now += 0.1
        collector.touched()
        collector.tick()
    assert alive(refs) == len(refs)  # frozen, not collected: nothing walked them


def test_no_gap_while_an_answer_is_on_its_way(clock):
    """A key whose answer takes longer than the gap (a slow search, a detail being read) does
    not wait for a collection too; once nothing runs, the gap is there again."""
    collector = started(clock)
    running = [True]
    collector.busy = lambda: running[0]
    refs = cycles()
    collector.touched()
    for _ in range(5):  # half a second after the key, its worker still running
        clock.now += 0.1
        collector.tick()
    assert alive(refs) == len(refs)
    running[0] = False
    clock.now += 0.6
    collector.tick()
    assert alive(refs) == 0


def test_a_worker_that_never_ends_does_not_stop_collecting(clock):
    collector = started(clock)
    collector.busy = lambda: True
    refs = cycles()
    collector.touched()
    clock.now += collector_module.BUSY_MAX_S + 0.1
    collector.tick()
    assert alive(refs) == 0


def test_a_pause_frees_even_what_was_frozen(clock):
    collector = started(clock)
    refs = cycles()
    gc.freeze()  # as a long collection leaves what survived it
    for _ in range(15):
        clock.now += 0.1
        collector.touched()
        collector.tick()
    clock.now += 1.1  # a moment's pause: a gap, whose collection leaves the frozen alone
    collector.tick()
    assert alive(refs) == len(refs)
    clock.now += collector_module.IDLE_S  # the user pauses
    collector.tick()
    assert alive(refs) == 0


def injected_bug() -> None:
    raise RuntimeError("injected bug")


async def run_until_settled(app, crash: bool) -> None:
    """Run the explorer until it has turned full collections off; then quit, or crash."""
    from pilotkit import SIZE, settle

    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: gc.get_threshold()[2] == collector_module.FULL_NEVER)
        assert gc.get_freeze_count() > 0
        if crash:
            app.call_later(injected_bug)
            await settle(pilot, lambda: app.crash is not None)


@pytest.mark.parametrize("crash", [False, True], ids=["exit", "crash"])
async def test_the_app_gives_collecting_back_when_it_ends(seed_db, crash):
    """Once the explorer has ended, normally or by a bug, Python collects as it did before:
    its thresholds as they were, nothing left frozen."""
    from tui.app.explorer import RoundtableApp

    gc.unfreeze()
    before = gc.get_threshold()
    app = RoundtableApp(seed_db)
    try:
        with pytest.raises(RuntimeError, match="injected bug") if crash else nullcontext():
            await run_until_settled(app, crash)
    finally:
        after, frozen = gc.get_threshold(), gc.get_freeze_count()
        gc.set_threshold(*before)
        gc.unfreeze()
    assert after == before
    assert frozen == 0


def test_start_up_holds_full_collections_and_gives_them_back(clock):
    before = gc.get_threshold()
    collector = Collector()
    collector.starting()
    refs = cycles()
    imported = [[] for _ in range(300_000)]  # what start-up's imports leave: no full walk
    assert alive(refs) == len(refs)
    collector.settle()
    assert alive(refs) == 0
    collector.stop()
    assert gc.get_threshold() == before
    del imported


def test_an_explorer_that_cannot_open_gives_collecting_back(clock, tmp_path, cli):
    before = gc.get_threshold()
    result = cli("--db", str(tmp_path / "missing.db"))
    assert result.code != 0
    assert gc.get_threshold() == before


async def test_the_search_thread_waiting_for_keys_is_not_an_answer_on_its_way(seed_db):
    """The search's thread lives as long as its screen; only a search not yet answered holds
    collecting back, not the thread waiting for the next key (else nothing would be collected
    in the gaps for the rest of the session once search had been opened)."""
    from pilotkit import SIZE, settle

    from tui.app.collector import collector
    from tui.app.explorer import RoundtableApp
    from tui.app.mailbox import STANDING
    from tui.app.screens.search import SearchScreen

    app = RoundtableApp(seed_db)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("slash", "c", "o")
            await settle(
                pilot,
                lambda: (
                    isinstance(app.screen, SearchScreen)
                    and app.screen.query_text == "co"
                    and not app.screen.searching
                ),
            )
            assert any(w.group == STANDING and w.is_running for w in app.workers)
            assert not collector.busy()
            app.screen.latest += 1  # as a key just typed, its search not yet answered
            assert collector.busy()
    finally:
        gc.unfreeze()
