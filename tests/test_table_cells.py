"""The panes draw their cells on a short path of their own (for paging speed): it must give
exactly what DataTable's general path gives, colours, cursor, zebra rows, padding, cropping,
styled cells and the mouse metadata included, or the tables would look (or click) wrong."""

from __future__ import annotations

from rich.segment import Segment
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from tui.app.widgets.pane import Cell, EntityTable

ROWS = [
    ("Kazakh Invest", "agency", "Kazakhstan"),
    ("A name far too long for its column, cropped", "", "China"),
    ("Short", "bank", "—"),
]
STYLED = Cell("2≠", style="bold", end="", no_wrap=True)


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        table = EntityTable(cursor_type="row", zebra_stripes=True)
        yield table

    def on_mount(self) -> None:
        table = self.query_one(EntityTable)
        for header, width in (("Name", 12), ("Type", 6), ("Country", 8), ("Src", 3)):
            table.add_column(header, width=width, key=header)
        for index, row in enumerate(ROWS):
            table.add_row(*row, STYLED if index == 1 else "1", key=str(index))


def _plain(lines: list[list[Segment]]) -> list[list[tuple[str, object]]]:
    return [[(segment.text, segment.style) for segment in line] for line in lines]


async def test_the_short_path_draws_cells_as_datatable_does():
    app = TableApp()
    async with app.run_test(size=(60, 10)) as pilot:
        await pilot.pause()
        table = app.query_one(EntityTable)
        base = table.rich_style
        compared = 0
        for row in range(len(ROWS)):
            for column in range(4):
                width = table.ordered_columns[column].get_render_width(table)
                for cursor in (False, True):
                    ours = table._render_cell(row, column, base, width, cursor=cursor)
                    table._fast_cells.clear()
                    table._cell_render_cache.clear()
                    theirs = DataTable._render_cell(table, row, column, base, width, cursor=cursor)
                    assert _plain(ours) == _plain(theirs), (row, column, cursor)
                    compared += 1
        assert compared == 24
