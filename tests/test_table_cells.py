"""The panes' table (EntityTable, on Textual's line API) must look like the DataTable it
replaced: the header, colours, cursor, zebra rows, padding, styled cells, the fill to the edge
and horizontal scrolling, focused or not, in colour and on the ANSI theme (16 colours,
NO_COLOR). Each line of the one is compared with the same line of the other, with the table's
own additions off (no pinned column, no column cursor) and apart from the one cell cut to its
column: DataTable cuts it silently, the table ends it in "…"."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from rich.segment import Segment
from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.strip import Strip
from textual.widgets import DataTable

from tui.app.widgets.pane import Cell, CellValue, EntityTable

COLUMNS = (("Name", 12), ("Type", 6), ("Country", 8), ("Src", 3))
ROWS = [
    ("Samruk Fund", "agency", "Mongolia"),
    ("A name far too long for its column, cropped", "", "China"),
    ("Short", "bank", "—"),
    ("Fourth", "fund", "Korea"),
]
CUT_LINE = 2  # the header, then row 0: row 1's name is longer than its column
STYLED = Cell("2≠", style="bold", end="", no_wrap=True)


def row_cells(index: int) -> tuple[CellValue, ...]:
    return (*ROWS[index], STYLED if index == 1 else "1")


class Rows:
    """The RowSource of the table under test."""

    def row_cells(self, index: int) -> Sequence[CellValue] | None:
        return row_cells(index)

    def row_ref(self, index: int) -> str | None:
        return str(index)

    def holds(self, index: int) -> bool:
        return True


class TablesApp(App[None]):
    CSS = "EntityTable, DataTable { width: 1fr; height: 1fr; }"

    def __init__(self, theme: str) -> None:
        super().__init__(ansi_color=theme.startswith("ansi"))  # as the explorer on 16 colours
        self.theme_name = theme

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield EntityTable(Rows(), COLUMNS, pinned=0, column_cursor=False)
            yield DataTable(cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.theme = self.theme_name
        table = self.query_one(DataTable)
        for header, width in COLUMNS:
            table.add_column(header, width=width, key=header)
        for index in range(len(ROWS)):
            table.add_row(*row_cells(index), key=str(index))
        self.query_one(EntityTable).set_row_count(len(ROWS))


def _looks(strip: Strip) -> list[tuple[str, object]]:
    """What a line looks like: its text and styles (the mouse metadata apart), merged."""
    plain = Strip(
        [Segment(s.text, s.style.clear_meta_and_links() if s.style else s.style) for s in strip]
    ).simplify()
    return [(segment.text, segment.style) for segment in plain]


def _lines(widget: EntityTable | DataTable, edges: bool = True) -> list[list[tuple[str, object]]]:
    """Every line of the widget as drawn now (through the line API's `render_lines`);
    without `edges`, without the first and last cells, where ours marks a cut column."""
    strips = widget.render_lines(widget.size.region)
    if not edges:
        strips = [strip.crop(1, strip.cell_length - 1) for strip in strips]
    return [_looks(strip) for strip in strips]


def _texts(widget: EntityTable | DataTable) -> list[str]:
    return ["".join(seg.text for seg in strip) for strip in widget.render_lines(widget.size.region)]


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light", "ansi-dark"])
async def test_the_table_looks_as_datatable_does(theme):
    app = TablesApp(theme)
    async with app.run_test(size=(60, 10)) as pilot:
        ours, theirs = app.query_one(EntityTable), app.query_one(DataTable)
        await pilot.pause()
        assert ours.size == theirs.size and ours.size.width < ours.virtual_size.width
        compared = 0
        for focused in (True, False):
            for cursor in (0, 1, 3):
                ours.move_cursor(cursor)
                theirs.move_cursor(row=cursor)
                for scroll_x in (0, 7):
                    ours.scroll_to(x=scroll_x, animate=False, immediate=True)
                    theirs.scroll_to(x=scroll_x, animate=False, immediate=True)
                    drawn = []
                    for table in (ours, theirs):
                        app.set_focus(table if focused else None)
                        await pilot.pause()
                        drawn.append(_lines(table, edges=False))
                    assert ours.cursor_row == theirs.cursor_row == cursor
                    del drawn[0][CUT_LINE], drawn[1][CUT_LINE]
                    assert drawn[0] == drawn[1], (theme, focused, cursor, scroll_x)
                    compared += 1
        assert compared == 12
        # where the view's edge cuts a column's words, ours ends (or starts) in "…"
        for scroll_x, edge in ((0, -1), (7, 0)):
            ours.scroll_to(x=scroll_x, animate=False, immediate=True)
            theirs.scroll_to(x=scroll_x, animate=False, immediate=True)
            await pilot.pause()
            pairs = list(zip(_texts(ours), _texts(theirs), strict=True))
            assert any(mine[edge] == "…" != other[edge] for mine, other in pairs), scroll_x
            assert all(mine[edge] in ("…", other[edge]) for mine, other in pairs), scroll_x
        ours.scroll_to(x=0, animate=False, immediate=True)
        await pilot.pause()
        texts = ["".join(text for text, _ in line) for line in _lines(ours)]
        assert texts[0].split()[:3] == ["Name", "Type", "Country"]
        assert texts[CUT_LINE].startswith(" A name far …  ")  # cut to its column, padded
