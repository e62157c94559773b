"""A list of search hits drawn line by line (Textual's line API), each hit a few lines cut to
the list's width, one of them highlighted.

Each hit's lines are made as Rich segments once per width (by the owner's line maker, e.g.
`search_hit.hit_lines`), and a paint only crops the lines in view. An `OptionList` lays out
and renders every visible option through `Content` again on each change: 15-30 ms a keystroke
for 20 two-line hits at 120x40 (measured with the search screen's profile,
docs/benchmarks.md), most of what a keystroke cost beyond the search itself.

A change repaints only the lines it changes: typing a letter more mostly brings back the same
hits with the same words marked (a snippet marks whole words), so most lines stay as painted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Generic, NamedTuple, TypeVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

if TYPE_CHECKING:
    from typing_extensions import Self  # (typing's own from Python 3.11)

Item = TypeVar("Item")


class Line(NamedTuple):
    """One line of an item, as segments, and the cells they take."""

    segments: list[Segment]
    cells: int


LineMaker = Callable[[Item, "int | None"], list[Line]]  # cut to the width given


Made = tuple["int | None", Sequence[list[Line]]]  # (the width, each item's lines at it)


class HitList(ScrollView, Generic[Item], can_focus=False):
    """Items shown by their lines, `make_lines(item, width)`; `highlighted` is the
    index of the chosen one, always scrolled into view. There is no scrollbar (its owner says
    where you are: the search screen's status line, "· 3 of 20"). It never takes the focus
    (the text box keeps it, so typing always goes on narrowing); a click posts `Chosen` (the
    search opens it)."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"hit-list--highlighted"}
    DEFAULT_CSS = """
    HitList {
        height: 1fr;
        overflow: hidden hidden;  /* (no scrollbar: it cost 3 ms a keystroke to draw) */
    }
    HitList > .hit-list--highlighted {
        color: $block-cursor-foreground;
        background: $block-cursor-background;
        text-style: bold;
    }
    """

    class Chosen(Message):
        """An item was clicked."""

        def __init__(self, hit_list: HitList[Any], index: int) -> None:
            super().__init__()
            self.hit_list = hit_list
            self.index = index

        @property
        def control(self) -> HitList[Any]:
            return self.hit_list

    def __init__(self, make_lines: LineMaker[Item], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._make_lines = make_lines
        self.items: list[Item] = []
        self._highlighted: int | None = None
        self._lines: list[tuple[int, Line]] = []  # (item index, one of its lines)
        self._first_line: list[int] = []  # each item's first line
        self._laid_out_for: int | None = None  # the width the lines were cut to
        self._strips: dict[tuple[int, bool], Strip] = {}  # (line, highlighted) → its segments
        self._drawn: dict[int, Strip] = {}  # each line on screen as last drawn (`render_lines`)
        self._drawn_for: tuple[Any, ...] | None = None  # what they were drawn with
        self._paint_styles: tuple[Style, Style] | None = None  # (plain, highlighted) this paint

    # --- the items ---------------------------------------------------------------------
    @property
    def item_count(self) -> int:
        return len(self.items)

    def set_items(self, items: Sequence[Item], made: Made | None = None) -> None:
        """Show `items` (none highlighted), from the top. Their lines `made` beforehand (off
        the UI thread, by the same line maker) are used if made at the list's width."""
        before, highlighted_before = self._lines, self._highlighted_lines()
        scrolled = self.scroll_offset.y != 0
        width_before = self._laid_out_for
        self.items = list(items)
        self._highlighted = None
        width = self.prompt_width
        self._lay_out(width, made[1] if made is not None and made[0] == width else None)
        self.scroll_to(0, 0, animate=False, immediate=True, force=True)
        if scrolled or width != width_before:
            self.refresh()
            return
        changed = [
            number
            for number in range(max(len(before), len(self._lines)))
            if number in highlighted_before
            or _line_at(before, number) != _line_at(self._lines, number)
        ]
        self._refresh_line_numbers(changed)

    @property
    def highlighted(self) -> int | None:
        return self._highlighted

    @highlighted.setter
    def highlighted(self, index: int | None) -> None:
        if index is not None and not 0 <= index < len(self.items):
            index = None
        if index == self._highlighted:
            return
        before = self._highlighted_lines()
        self._highlighted = index
        self._refresh_line_numbers(sorted(before | self._highlighted_lines()))
        if index is not None:
            self._scroll_into_view(index)

    def _item_lines(self, index: int) -> range:
        """The numbers of item `index`'s lines."""
        end = self._first_line[index + 1] if index + 1 < len(self._first_line) else len(self._lines)
        return range(self._first_line[index], end)

    def _highlighted_lines(self) -> set[int]:
        """The numbers of the highlighted item's lines (none if nothing is highlighted)."""
        index = self._highlighted
        if index is None or index >= len(self._first_line):
            return set()
        return set(self._item_lines(index))

    def _refresh_line_numbers(self, numbers: list[int]) -> None:
        """Repaint these lines only (numbers in the list, ascending, not on screen), each run
        of consecutive lines as one region."""
        runs: list[list[int]] = []
        for number in numbers:
            if runs and number == runs[-1][-1] + 1:
                runs[-1].append(number)
            else:
                runs.append([number])
        for run in runs:
            self.refresh_lines(run[0], len(run))

    def _scroll_into_view(self, index: int) -> None:
        lines = self._item_lines(index)
        self.scroll_to_region(
            Region(0, lines.start, 1, len(lines)), animate=False, immediate=True, force=True
        )  # (force: the list has no scrollbar, overflow hidden)

    # --- lines -------------------------------------------------------------------------
    @property
    def prompt_width(self) -> int | None:
        """The cells a line has; None before the list is laid out (an item is then not cut,
        and is cut on the first resize)."""
        width = self.scrollable_content_region.width
        return width if width > 0 else None

    def _lay_out(self, width: int | None, made: Sequence[list[Line]] | None = None) -> None:
        self._laid_out_for = width
        self._strips.clear()
        self._lines = []
        self._first_line = []
        for index, item in enumerate(self.items):
            self._first_line.append(len(self._lines))
            lines = made[index] if made is not None else self._make_lines(item, width)
            self._lines.extend((index, line) for line in lines)
        self.virtual_size = Size(width or 0, len(self._lines))

    def on_resize(self, event: events.Resize) -> None:
        width = self.prompt_width
        if width != self._laid_out_for:
            self._lay_out(width)
            if self._highlighted is not None:
                self._scroll_into_view(self._highlighted)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()  # (a theme changed: the styles baked into them)
        self._drawn.clear()

    def refresh(self, *regions: Region, **options: Any) -> Self:
        """As Widget's; the lines drawn in `regions` (all, without) are drawn anew."""
        if not regions:
            self._drawn.clear()
        for region in regions:
            for y in range(region.y, region.bottom):
                self._drawn.pop(y, None)
        return super().refresh(*regions, **options)

    def render_lines(self, crop: Region) -> list[Strip]:
        """The lines in `crop`, drawn here rather than through Textual's styles cache when the
        list has none of the styles that cache adds (padding, border, tint, opacity, hatch):
        its own work per line redoes what the list's lines already are (1.6 ms for a full
        list at 120x40 against 0.95 drawn here, measured). Like that cache, it keeps each line
        as drawn until it is refreshed: the screen asks for the whole list at every paint.
        tests/test_search_list.py holds the two ways to the same segments, so a Textual
        release that adds to a plain widget's lines fails it."""
        # the styles once per paint, not once per line (each is a walk up the DOM)
        base = self.rich_style
        chosen = base + self.get_component_rich_style("hit-list--highlighted")
        self._paint_styles = (base, chosen)
        if not self._plain_styles():
            return super().render_lines(crop)
        filters = self.get_line_filters()
        background = self.background_colors[1]
        drawn_for = (self.scroll_offset, self.size, base, chosen, tuple(filters), background)
        if drawn_for != self._drawn_for:
            self._drawn.clear()
            self._drawn_for = drawn_for
        drawn = self._drawn
        strips = []
        for y in crop.line_range:
            strip = drawn.get(y)
            if strip is None:
                strip = self.render_line(y)
                for line_filter in filters:
                    strip = strip.apply_filter(line_filter, background)
                drawn[y] = strip
            strips.append(strip)
        x1, x2 = crop.column_span
        if (x1, x2) != (0, self.size.width):
            strips = [strip.crop(x1, x2) for strip in strips]
        return strips

    def _plain_styles(self) -> bool:
        """Whether the list's lines are drawn as they are: nothing around or over them."""
        styles = self.styles
        return (
            not any(styles.gutter)
            and not styles.tint.a
            and styles.opacity == 1.0
            and styles.text_opacity == 1.0
            and (not styles.has_rule("hatch") or styles.hatch == "none")
            and self.size.width == self.scrollable_content_region.width
        )

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        number = scroll_y + y
        base, chosen_style = self._paint_styles or (self.rich_style, self.rich_style)
        if not 0 <= number < len(self._lines):
            return Strip.blank(width, base)
        index, line = self._lines[number]
        chosen = index == self._highlighted
        strip = self._strips.get((number, chosen))
        if strip is None:
            styled = Segment.apply_style(line.segments, base, chosen_style if chosen else None)
            strip = self._strips[(number, chosen)] = Strip(styled, line.cells)
        return strip.crop_extend(scroll_x, scroll_x + width, chosen_style if chosen else base)

    # --- the mouse ---------------------------------------------------------------------
    def on_click(self, event: events.Click) -> None:
        number = self.scroll_offset.y + event.y
        if 0 <= number < len(self._lines):
            self.post_message(self.Chosen(self, self._lines[number][0]))


def _line_at(lines: list[tuple[int, Line]], number: int) -> list[Any] | None:
    """The segments of line `number` (None past the end): equal segments paint the same."""
    return lines[number][1].segments if number < len(lines) else None
