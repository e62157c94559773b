"""The detail's rows drawn line by line (Textual's line API): each row a `Hanging` cut to the
list's width once, a paint drawing only the lines in view, a move of the highlight redrawing
only the two rows it leaves and reaches.

It stands in for the `OptionList` the detail used, with the part of its surface the detail
needs (`set_options`, `options`, `highlighted`, `get_option`, the same moving keys and a
message when a row is chosen) and its looks: the same styles, under component classes of its
own. An `OptionList` re-renders every visible option through its `Visual` machinery on each
change and restyles five component classes whenever its screen is shown: 16-23 ms of the
10,005-link hub's first paint at 1M entities and 120x40, in a profile of its opening.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar, Literal, NamedTuple

from rich.segment import Segment
from textual import events
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style
from textual.widgets.option_list import Option, OptionDoesNotExist

from tui.app.keys import bindings
from tui.app.widgets.hanging import Hanging

Direction = Literal[-1, 1]
HIGHLIGHTED, DISABLED = "detail-list--highlighted", "detail-list--disabled"
STRIPS_KEPT = 4_096  # lines drawn kept (a row's lines, per style): a few screens' worth


class DetailList(ScrollView, can_focus=True):
    """Rows (`Option`s whose prompt is a `Hanging`), one highlighted; disabled rows
    (headings) are drawn dimmed and skipped by the cursor."""

    BINDINGS = bindings("detail_list")  # (enter is the detail screen's: `open_selected`)
    COMPONENT_CLASSES: ClassVar[set[str]] = {HIGHLIGHTED, DISABLED}
    # OptionList's own looks (Textual 8.2), for the classes above.
    DEFAULT_CSS = """
    DetailList {
        height: auto;
        max-height: 100%;
        color: $foreground;
        overflow-x: hidden;
        border: tall $border-blurred;
        padding: 0 1;
        background: $surface;
        & > .detail-list--highlighted {
            color: $foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus {
            border: tall $border;
            background-tint: $foreground 5%;
            & > .detail-list--highlighted {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
        }
        & > .detail-list--disabled {
            color: $text-disabled;
        }
    }
    """

    class OptionSelected(Message):
        """Enter on a row, or a click on it (never on a disabled one)."""

        def __init__(self, detail_list: DetailList, option: Option, index: int) -> None:
            super().__init__()
            self.detail_list = detail_list
            self.option = option
            self.option_id = option.id
            self.option_index = index

        @property
        def control(self) -> DetailList:
            return self.detail_list

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._options: list[Option] = []
        self._by_id: dict[str, int] = {}
        self._highlighted: int | None = None
        self._lines: list[tuple[int, int]] = []  # (row, its line) for each line
        self._first_line: list[int] = []  # each row's first line
        self._laid_out_for: int | None = None  # the width the rows were cut to
        self._strips: dict[tuple[int, Style], Strip] = {}  # (line, its style) → drawn
        self._paint: _Paint | None = None  # while a paint draws its lines

    # --- the rows ------------------------------------------------------------------------
    @property
    def options(self) -> Sequence[Option]:
        return self._options

    @property
    def option_count(self) -> int:
        return len(self._options)

    def get_option_at_index(self, index: int) -> Option:
        if not 0 <= index < len(self._options):
            raise OptionDoesNotExist(f"There is no option with an index of {index}")
        return self._options[index]

    def get_option(self, option_id: str) -> Option:
        return self.get_option_at_index(self.get_option_index(option_id))

    def get_option_index(self, option_id: str) -> int:
        try:
            return self._by_id[option_id]
        except KeyError:
            raise OptionDoesNotExist(f"There is no option with an ID of {option_id!r}") from None

    def set_options(self, options: Iterable[Option]) -> None:
        """Show `options` (none highlighted), from the top."""
        self._options = list(options)
        self._by_id = {o.id: i for i, o in enumerate(self._options) if o.id is not None}
        self._highlighted = None
        self._lay_out(self._width())
        self.scroll_to(0, 0, animate=False, immediate=True, force=True)
        self.refresh()

    def clear_options(self) -> None:
        self.set_options([])

    # --- the highlight -------------------------------------------------------------------
    @property
    def highlighted(self) -> int | None:
        return self._highlighted

    @highlighted.setter
    def highlighted(self, index: int | None) -> None:
        if index is not None:  # (as OptionList: an index past either end goes to that end)
            index = max(0, min(index, len(self._options) - 1)) if self._options else None
        before, self._highlighted = self._highlighted, index
        if index == before:
            return
        for row in (before, index):
            self._refresh_row(row)
        self.scroll_to_highlight()

    @property
    def highlighted_option(self) -> Option | None:
        return None if self._highlighted is None else self._options[self._highlighted]

    def scroll_to_highlight(self) -> None:
        index = self._highlighted
        if index is None or not self._first_line:
            return
        start, end = self._row_lines(index)
        self.scroll_to_region(
            Region(0, start, 1, end - start), animate=False, immediate=True, force=True
        )

    def _row_lines(self, index: int) -> tuple[int, int]:
        """The first line of row `index` and the line after its last."""
        after = index + 1
        return self._first_line[index], (
            self._first_line[after] if after < len(self._first_line) else len(self._lines)
        )

    def _refresh_row(self, index: int | None) -> None:
        if index is None or index >= len(self._first_line):
            return
        start, end = self._row_lines(index)
        top = start - self.scroll_offset.y
        self.refresh(Region(0, top, self.size.width, end - start))

    # --- moving ----------------------------------------------------------------------------
    def _enabled(self, indexes: Iterable[int]) -> int | None:
        return next((i for i in indexes if not self._options[i].disabled), None)

    def action_cursor_down(self) -> None:
        self._step(1)

    def action_cursor_up(self) -> None:
        self._step(-1)

    def _step(self, direction: Direction) -> None:
        """The next enabled row that way, round the end (as OptionList)."""
        count, at = len(self._options), self._highlighted
        if at is None:
            (self.action_first if direction == 1 else self.action_last)()
            return
        found = self._enabled((at + direction * step) % count for step in range(1, count + 1))
        if found is not None:
            self.highlighted = found

    def action_first(self) -> None:
        self.highlighted = self._enabled(range(len(self._options)))

    def action_last(self) -> None:
        self.highlighted = self._enabled(range(len(self._options) - 1, -1, -1))

    def action_page_down(self) -> None:
        self._page(1)

    def action_page_up(self) -> None:
        self._page(-1)

    def _page(self, direction: Direction) -> None:
        """A screen of lines that way, to the row there (past a heading, the next row)."""
        if not self._lines:
            return
        if self._highlighted is None:
            (self.action_last if direction == 1 else self.action_first)()
            return
        line = (
            self._first_line[self._highlighted] + direction * self.scrollable_content_region.height
        )
        row = self._lines[max(0, min(line, len(self._lines) - 1))][0]
        ahead, behind = range(row, len(self._options)), range(row, -1, -1)
        if direction == -1:
            ahead, behind = behind, ahead
        found = self._enabled(ahead)
        if found is None:  # only headings that way (the list's first line is one)
            found = self._enabled(behind)
        if found is not None:
            self.highlighted = found

    def action_select(self) -> None:
        index = self._highlighted
        if index is not None and not self._options[index].disabled:
            self.post_message(self.OptionSelected(self, self._options[index], index))

    def on_click(self, event: events.Click) -> None:
        number = self.scroll_offset.y + event.y
        if 0 <= number < len(self._lines):
            index = self._lines[number][0]
            if not self._options[index].disabled:
                self.highlighted = index
                self.action_select()

    # --- lines -----------------------------------------------------------------------------
    def _width(self) -> int:
        return max(0, self.scrollable_content_region.width)

    def _lay_out(self, width: int, *, exact: bool = False) -> None:
        """Each row's lines at `width` (a row's height is all a paint needs of the rows it
        does not draw). Unless `exact`: at the width the scrollbar they need (or not) leaves,
        which may not be the one it leaves now (one lay-out, not one before the scrollbar
        changes and one after)."""
        bar = self.styles.scrollbar_size_vertical
        if width and not exact and self.show_vertical_scrollbar:
            width += bar  # (laid out again below if they still overflow)
        lines, first = self._lines_at(width)
        overflows = len(lines) > self.scrollable_content_region.height
        if not exact and overflows and self.styles.overflow_y == "auto" and width > bar:
            width -= bar
            lines, first = self._lines_at(width)
        self._laid_out_for = width
        self._strips.clear()
        self._lines, self._first_line = lines, first
        size = Size(width, len(lines))
        if size != self.virtual_size:
            self.virtual_size = size
            # The scrollbar shown or hidden for it now, as OptionList does: Textual's layout
            # can miss the change (rows that fit exactly after rows that did not), and a private
            # hook, so test_the_scrollbar_follows_the_rows_set_while_its_screen_was_away fails
            # if it stops working.
            self._scroll_update(size)

    def _lines_at(self, width: int) -> tuple[list[tuple[int, int]], list[int]]:
        """(row, its line) for each line at `width`, and each row's first line."""
        lines: list[tuple[int, int]] = []
        first: list[int] = []
        for index, option in enumerate(self._options if width else ()):  # (0: not sized yet)
            first.append(len(lines))
            lines.extend((index, line) for line in range(_prompt(option).height(width)))
        return lines, first

    def on_resize(self, event: events.Resize) -> None:
        if self._width() != self._laid_out_for:
            self._lay_out(self._width())
            self.scroll_to_highlight()

    def on_show(self) -> None:
        self.scroll_to_highlight()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()  # (a theme changed: the styles drawn into them)

    def render_lines(self, crop: Region) -> list[Strip]:
        self._paint = self._begin_paint()
        try:
            return super().render_lines(crop)
        finally:
            self._paint = None

    def _begin_paint(self) -> _Paint:
        """What every line needs, once per paint, not once per line (each is a walk up the
        DOM)."""
        width = self._width()
        if width != self._laid_out_for:  # (drawn before its resize arrived)
            self._lay_out(width, exact=True)
        get = self.get_visual_style
        return _Paint(width, self.scroll_offset.y, get(), get(HIGHLIGHTED), get(DISABLED))

    def render_line(self, y: int) -> Strip:
        paint = self._paint or self._begin_paint()
        number = paint.top + y
        if not 0 <= number < len(self._lines):
            return Strip.blank(paint.width, paint.normal.rich_style)
        index, line = self._lines[number]
        option = self._options[index]
        style = (
            paint.disabled
            if option.disabled
            else paint.highlighted
            if index == self._highlighted
            else paint.normal
        )
        key = (number, style)
        if (strip := self._strips.get(key)) is None:
            if len(self._strips) > STRIPS_KEPT:
                self._strips.clear()
            start = number - line
            for offset, drawn in enumerate(self._draw(_prompt(option), paint.width, style)):
                self._strips[(start + offset, style)] = drawn
            strip = self._strips[key]
        return strip

    def _draw(self, prompt: Hanging, width: int, style: Style) -> list[Strip]:
        """A row's lines on `style`, each `width` cells wide."""
        base = style.rich_style
        if not prompt.fits(width):  # (wrapped as Content wraps)
            return [strip.extend_cell_length(width, base) for strip in prompt.strips(width, style)]
        drawn = []
        for segments, cells in zip(prompt.segments(self.app.console), prompt.widths, strict=True):
            line = list(Segment.apply_style(segments, base))
            line.append(Segment(" " * (width - cells), base))
            drawn.append(Strip(line, width))
        return drawn


class _Paint(NamedTuple):
    """What each line of one paint is drawn with."""

    width: int
    top: int  # the first line in view
    normal: Style
    highlighted: Style
    disabled: Style


def _prompt(option: Option) -> Hanging:
    prompt = option.prompt
    if isinstance(prompt, Hanging):
        return prompt
    raise TypeError(f"a detail row's prompt is a Hanging, not {type(prompt).__name__}")
