"""The bottom line: the keys that matter on the current screen, as Textual's Footer lists them.

One widget drawing one line of text. Textual's Footer makes a styled widget per key and
rebuilds them all each time the screen's bindings change (a screen opening, focus moving):
several rebuilds per screen, about a third of the time it takes to open a detail at scale.
Here a change only re-renders this line, and the same keys at the same width are the line
drawn before (a detail opening again, focus coming back): no text is laid out again.
"""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from rich.text import Text
from textual.keys import key_to_character
from textual.screen import Screen
from textual.strip import Strip
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input

# Printable keys Textual's key_to_character does not resolve (their Unicode names differ).
_PRINTABLE_NAMES = {"minus": "-", "plus": "+", "slash": "/", "underscore": "_"}


def types_a_character(key: str) -> bool:
    """Whether `key` is a printable character, which a focused text box takes as typed."""
    character = key_to_character(key) or _PRINTABLE_NAMES.get(key)
    return character is not None and character.isprintable()


HINT_S = 1.5  # how long a hint given in place of the keys stays (an unbound key's, too)


class KeyHints(Widget):
    """`key description` for every shown binding of the focused chain, disabled ones dimmed,
    and the command palette's key last. An app with an `offers(action)` method leaves out the
    keys that do nothing where the user is (such a key, pressed, says why)."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"key-hints--key", "key-hints--disabled"}
    DEFAULT_CSS = """
    KeyHints {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
    }
    KeyHints > .key-hints--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    KeyHints > .key-hints--disabled {
        text-style: dim;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._pending = False
        self._drawn: tuple[object, Strip] | None = None  # (what it shows, its line)
        self.said: Text | None = None  # a brief word shown instead of the keys (`say`)
        self._said_timer: Timer | None = None
        self.front: Screen | None = None  # a dialog open over this screen (`follow`)

    def follow(self, front: Screen | None) -> None:
        """Show the keys of `front`, a dialog open over this line's screen (None: closed).
        A dialog hides the keys of the screen under it, and has no bottom line of its own."""
        if self.front is not None:
            self.front.bindings_updated_signal.unsubscribe(self)
        self.front = front
        if front is not None:
            front.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.refresh()

    def say(self, text: Text, seconds: float) -> None:
        """Show `text` instead of the keys for `seconds` (then the keys again)."""
        if self._said_timer is not None:
            self._said_timer.stop()
        self.said = text
        self._said_timer = self.set_timer(seconds, self._unsay, name="key-hints-said")
        self.refresh()

    def _unsay(self) -> None:
        self.said = None
        self._said_timer = None
        self.refresh()

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)
        self.follow(None)

    def _bindings_changed(self, screen: Screen) -> None:
        if screen in (self.screen, self.front) and not self._pending:
            self._pending = True  # one refresh for a burst of changes
            self.call_after_refresh(self._refresh_keys)

    def _refresh_keys(self) -> None:
        self._pending = False
        self.refresh()

    def hints(self) -> tuple[list[tuple[str, str, bool]], tuple[str, str, bool] | None]:
        """(key as shown, description, enabled) in the order the Footer shows them, and the
        command palette's, which keeps its place at the right however narrow the screen."""
        found: list[tuple[str, str, bool]] = []
        seen: set[str] = set()
        palette = None
        offers = getattr(self.app, "offers", None)  # (the explorer's; any app works here)
        screen = self.front or self.screen
        typing = isinstance(screen.focused, Input)
        for _node, binding, enabled, _tooltip in screen.active_bindings.values():
            if typing and not binding.priority and types_a_character(binding.key):
                continue  # (the box would take it as a letter: pressed, it runs nothing)
            if binding.key == self.app.COMMAND_PALETTE_BINDING:
                if self.app.ENABLE_COMMAND_PALETTE:
                    palette = (self.app.get_key_display(binding), binding.description, enabled)
                continue
            if not binding.show or binding.action in seen:
                continue
            if offers is not None and not offers(binding.action):
                continue
            seen.add(binding.action)
            found.append((self.app.get_key_display(binding), binding.description, enabled))
        return found, palette

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        if y or not width:
            return Strip.blank(width, base)
        shown = (
            self.said.plain if self.said is not None else self.hints(),
            width,
            base,
            self.get_component_rich_style("key-hints--key", partial=True),
            self.get_component_rich_style("key-hints--disabled", partial=True),
        )
        if self._drawn is None or self._drawn[0] != shown:
            line = self.render().render(self.app.console)
            segments = [Segment(s.text, base + s.style if s.style else base) for s in line]
            self._drawn = (shown, Strip(segments).adjust_cell_length(width, base))
        return self._drawn[1]

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-hints--key", partial=True)
        dim = self.get_component_rich_style("key-hints--disabled", partial=True)

        def hint(key: str, description: str, enabled: bool) -> Text:
            text = Text()  # (a style given to Text() would cover the description too)
            text.append(f" {key} ", style=key_style if enabled else key_style + dim)
            text.append(f"{description} ", style="" if enabled else dim)
            return text

        if self.said is not None:
            said = self.said.copy()
            said.no_wrap, said.overflow, said.end = True, "ellipsis", ""
            said.truncate(max(0, self.size.width - 1), overflow="ellipsis")
            return Text(" ", end="") + said
        keys, palette = self.hints()
        line = Text(no_wrap=True, overflow="ellipsis", end="")
        for key in keys:
            line.append_text(hint(*key))
        if palette is None:
            return line
        right = hint(*palette)
        room = max(0, self.size.width - right.cell_len)
        if line.cell_len > room:
            line.truncate(max(0, room - 1))
            line.append("…")
        line.pad_right(room - line.cell_len)
        line.append_text(right)
        return line
