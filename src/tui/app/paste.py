"""Pasted text is text: a bracketed paste reaches the app as one `Paste` event, and nothing
inside it is read as keys.

Textual's input parser reads the escape sequences inside a bracketed paste as keys (pasting
`hello\\x1b]T` pressed `T`), and ends the paste at the first paste-end sequence, so a pasted
`\\x1b[201~` followed by a newline pressed Enter. `PasteSplitter` cuts every paste out of the
terminal's input before the parser sees it; `PasteSafeDriver` is Textual's Linux driver reading
its input through it.
"""

from __future__ import annotations

import os
import selectors
from codecs import getincrementaldecoder

from textual import events
from textual._xterm_parser import XTermParser  # Textual's own parser, for all but pastes
from textual.drivers.linux_driver import LinuxDriver

PASTE_START = "\x1b[200~"
PASTE_END = "\x1b[201~"
READ_BYTES = 4096
TICK_S = 0.1  # how often the parser is told that time passed (a lone ESC is the Escape key)


class PasteSplitter:
    """Cuts terminal input into ("keys", text) and ("paste", text) pieces.

    A paste runs from a paste-start to the last paste-end of the read that ends it: one the
    pasted text itself carries (a fake end) is part of the text, as are further paste markers.
    """

    def __init__(self) -> None:
        self.in_paste = False
        self.pasted: list[str] = []
        self.held = ""  # the start of a marker cut off by the end of a read

    def feed(self, data: str) -> list[tuple[str, str]]:
        pieces: list[tuple[str, str]] = []
        data, self.held = self.held + data, ""
        while data:
            if not self.in_paste:
                start = data.find(PASTE_START)
                if start < 0:
                    data, self.held = _hold_back(data, PASTE_START, least=3)
                    if data:
                        pieces.append(("keys", data))
                    break
                if start:
                    pieces.append(("keys", data[:start]))
                self.in_paste, data = True, data[start + len(PASTE_START) :]
                continue
            end = data.rfind(PASTE_END)
            if end < 0:
                data, self.held = _hold_back(data, PASTE_END, least=1)
                self.pasted.append(data)
                break
            self.pasted.append(data[:end])
            text = "".join(self.pasted)
            for marker in (PASTE_START, PASTE_END):
                text = text.replace(marker, "")
            pieces.append(("paste", text.replace("\x00", "")))
            self.in_paste, self.pasted, data = False, [], data[end + len(PASTE_END) :]
        return pieces


def _hold_back(data: str, marker: str, least: int) -> tuple[str, str]:
    """`data` without a trailing beginning of `marker` (of `least` characters or more), and
    that beginning: the rest of the marker may come with the next read."""
    for size in range(len(marker) - 1, least - 1, -1):
        if data.endswith(marker[:size]):
            return data[:-size], data[-size:]
    return data, ""


class PasteSafeDriver(LinuxDriver):
    """Textual's Linux driver, its input read through a `PasteSplitter`: pastes become
    `Paste` events whole, everything else goes to Textual's parser as before."""

    def run_input_thread(self) -> None:
        parser = XTermParser()
        splitter = PasteSplitter()
        decode = getincrementaldecoder("utf-8")(errors="replace").decode
        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        try:
            while not self.exit_event.is_set():
                for _key, mask in selector.select(TICK_S):
                    if not mask & selectors.EVENT_READ:
                        continue
                    data = decode(os.read(self.fileno, READ_BYTES))
                    for kind, text in splitter.feed(data):
                        if kind == "paste":
                            self.process_message(events.Paste(text))
                        else:
                            for event in parser.feed(text):
                                self.process_message(event)
                for event in parser.tick():
                    self.process_message(event)
        finally:
            selector.close()
