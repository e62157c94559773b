"""The one private part of Textual the explorer relies on, checked so that a Textual release
that moves it fails here, by name, instead of quietly letting pastes run key bindings again.

`tui.app.paste` reads the terminal through Textual's own input parser
(`textual._xterm_parser.XTermParser`) after cutting out bracketed pastes, in place of
`LinuxDriver.run_input_thread`. tests/test_hostile_input_e2e.py checks the behaviour end to end.
"""

from __future__ import annotations

import inspect

import textual
from textual.drivers.linux_driver import LinuxDriver

from tui.app.paste import PASTE_END, PASTE_START, PasteSafeDriver, PasteSplitter

BROKEN = f"Textual {textual.__version__} changed what tui/app/paste.py relies on"


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
