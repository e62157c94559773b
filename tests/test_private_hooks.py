"""The private parts of Textual the explorer relies on, checked so that a Textual release
that moves one fails here, by name, instead of quietly undoing what it does.

- `tui.app.paste` reads the terminal through Textual's own input parser
  (`textual._xterm_parser.XTermParser`) after cutting out bracketed pastes, in place of
  `LinuxDriver.run_input_thread`: else pastes run key bindings again.
  tests/test_hostile_input_e2e.py checks the behaviour end to end.
- `tui.app.paint.paint_now` draws a search's hits as they arrive through
  `Screen._on_timer_update`, the hook Textual's own pilot calls: else they wait for a later
  frame.
"""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

import textual
from textual.app import App, ComposeResult
from textual.drivers.linux_driver import LinuxDriver
from textual.screen import Screen
from textual.widgets import Static

from tui.app.paint import paint_now
from tui.app.paste import PASTE_END, PASTE_START, PasteSafeDriver, PasteSplitter

BROKEN = f"Textual {textual.__version__} changed a private part the explorer relies on (see above)"


def test_textuals_input_parser_is_where_the_paste_guard_expects_it():
    from textual._xterm_parser import XTermParser

    parser = XTermParser()
    keys = list(parser.feed("ab"))
    assert [getattr(event, "key", None) for event in keys] == ["a", "b"], BROKEN
    assert list(parser.tick()) == [], BROKEN


def test_the_linux_driver_still_reads_its_input_in_run_input_thread():
    assert "run_input_thread" in vars(LinuxDriver), BROKEN
    # The input thread's target calls `run_input_thread()`, the method the guard replaces.
    starts = inspect.getsource(LinuxDriver.start_application_mode)
    thread_target = inspect.getsource(LinuxDriver._run_input_thread)
    assert "target=self._run_input_thread" in starts, BROKEN
    assert "self.run_input_thread()" in thread_target, BROKEN
    assert PasteSafeDriver.run_input_thread is not LinuxDriver.run_input_thread


def test_a_paste_with_keys_and_a_fake_end_inside_is_cut_out_as_text_alone():
    pieces = PasteSplitter().feed(f"x{PASTE_START}hello\x1b]T{PASTE_END}\r{PASTE_END}q")
    assert pieces == [("keys", "x"), ("paste", "hello\x1b]T\r"), ("keys", "q")]


def test_the_screen_update_paint_now_runs_is_still_the_one_the_frame_timer_runs():
    assert callable(getattr(Screen, "_on_timer_update", None)), BROKEN
    timer = inspect.getsource(Screen._on_timer_update)
    assert "self._compositor_refresh()" in timer, BROKEN
    assert "_batch_count" in timer, BROKEN  # (a held paint still waits for its batch)


class _Changing(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("before", id="text")


async def test_paint_now_draws_a_change_there_and_then_not_at_a_later_frame():
    app = _Changing()
    async with app.run_test(size=(20, 3)) as pilot:
        await pilot.pause()
        painted: list[tuple[bool, str]] = []  # (painted by paint_now, the text drawn)
        inside = [False]
        display = app._display

        def recording(screen: Screen[Any], update: Any) -> None:
            display(screen, update)
            if update is not None:
                painted.append((inside[0], update.render_segments(app.console)))

        held = app.batch_update()  # as the search holds the letter typed for its hits

        def release() -> None:  # the hits are set: the hold ends, and they are painted
            held.__exit__(None, None, None)
            inside[0] = True
            paint_now(app.screen)
            inside[0] = False
            done.set()

        done = asyncio.Event()
        app._display = recording  # type: ignore[method-assign]
        held.__enter__()
        app.query_one("#text", Static).update("after")
        app.screen.call_after_refresh(release)
        await asyncio.wait_for(done.wait(), 10)
        assert any(by_hook and "after" in text for by_hook, text in painted), BROKEN

        painted.clear()
        with app.batch_update():  # a paint held for a batch is not forced
            app.query_one("#text", Static).update("held")
            await asyncio.sleep(0.05)  # (the change reaches the screen; the batch holds it)
            inside[0] = True
            paint_now(app.screen)
            inside[0] = False
        assert not any(by_hook for by_hook, _ in painted)
