"""Make untrusted text safe to put on a terminal.

Database values and article text may hold control characters (ESC, OSC, C1). Shown raw they
would restyle or command the terminal, so each one is replaced by a visible stand-in. Markup is
a separate concern: widgets receive `rich.text.Text`/`Content`, never a markup string.
"""

from __future__ import annotations

import json
import re
from typing import Any, TextIO

# Private-use markers that search puts around matched words in a snippet.
HIGHLIGHT_START, HIGHLIGHT_END = "\ue000", "\ue001"

# C0 controls except tab/newline, DEL, C1 controls, bidi overrides that reorder text, and lone
# surrogates: what Python makes of bytes that are not UTF-8 (a path given as `\x9b`), which a
# UTF-8 stream cannot encode and a `surrogateescape` one writes back as the raw byte.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control pictures" block: ␛ for ESC
    if code == 0x7F:
        return "\u2421"
    return "\ufffd"


def clean(text: str | None, *, single_line: bool = False) -> str:
    """`text` with every control character replaced by a visible symbol."""
    if not text:
        return ""
    if single_line:
        text = text.replace("\r\n", " ").replace("\n", " ").replace("\t", " ")
    return _CONTROL.sub(_visible, text)


# JSON escapes C0 controls itself; these it would write raw, and a terminal may act on them
# (a lone surrogate could not be written at all).
_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def json_text(value: Any, *, indent: int | None = None) -> str:
    """`value` as JSON, non-ASCII text kept, with DEL, C1 controls, bidi overrides and lone
    surrogates escaped."""
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class CleanWriter:
    """A text stream that writes to `out` what `clean` makes of it: for data written as text
    straight to a terminal or a pipe (CSV on stdout), where files keep every byte."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def write(self, text: str) -> int:
        return self.out.write(clean(text))
