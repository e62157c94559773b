"""Journeys through the analysis views at 80x24: timeline, who met whom, totals,
corroboration, export from a pane, and copying a ref."""

from __future__ import annotations

import csv
import json
import sqlite3

from pilotkit import SIZE, detail_ready, detail_row, run_palette, screen_lines, settle
from textual.widgets import DataTable, Input, OptionList, Static

from tui.app.explorer import RoundtableApp
from tui.app.screens.corroboration import CorroborationScreen
from tui.app.screens.detail import DetailScreen
from tui.app.screens.export import ExportScreen
from tui.app.screens.main import PANES, MainScreen
from tui.app.screens.network import NetworkScreen, NetworkTree
from tui.app.screens.timeline_filter import TimelineFilterScreen
from tui.app.screens.totals import BAR_WIDTH as TOTALS_BAR_WIDTH
from tui.app.screens.totals import TotalsScreen
from tui.app.widgets.pane_bar import PaneBar
from tui.formatting import counted


def cells(table: DataTable) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_pane_bar_fits_80_columns_with_the_timeline(seed_db):
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        bar = app.screen.query_one(PaneBar)
        for index in range(len(PANES)):
            await pilot.press(str(index + 1))
            text = bar.render().plain
            assert len(text.rstrip()) <= 80, text
            assert f" {index + 1} {PANES[index][1]} " in text  # the current title is whole
            assert all(f"{i + 1} " in text for i in range(len(PANES)))
        assert "1 Compa" in text and "8 Timeline" in text


async def test_timeline_by_date_filter_by_person_and_open(seed_db, seed_conn):
    from tui.data.timeline import items

    every = items(seed_conn)
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.press("8")
        pane = app.screen.current_pane
        assert pane.kind == "timeline"
        await settle(pilot, lambda: pane.exhausted and pane.table.row_count == len(every))
        rows = cells(pane.table)
        dates = [row[0] for row in rows]
        assert dates[0] == "2015"  # the AIIB's founding
        assert dates[-2:] == ["by 2030", "by 2060"]  # target years, last, as targets
        assert [row[1] for row in rows[-2:]] == ["target yr", "target yr"]
        assert {row[2] for row in rows} == {"meeting", "commitment"}
        # f: only what Dai Houliang takes part in
        await pilot.press("f")
        await settle(pilot, lambda: isinstance(app.screen, TimelineFilterScreen))
        await settle(pilot, lambda: len(app.screen.shown) > 0)
        await pilot.press(*"Dai Houliang")
        await settle(pilot, lambda: len(app.screen.shown) == 1)
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        # his meeting, then the two plans he shared at it
        await settle(pilot, lambda: pane.exhausted and pane.table.row_count == 3)
        assert cells(pane.table)[0][3] == "Tokayev meets CNPC Chairman Dai Houliang"
        status = str(pane.query_one("#pane-status", Static).render())
        assert "with: Dai Houliang" in status
        await pilot.press("enter")
        await settle(pilot, lambda: detail_ready(app, "meeting:meeting-cnpc"))
        await pilot.press("escape")
        await pilot.press("x")
        await settle(pilot, lambda: pane.exhausted and pane.table.row_count == len(every))


async def test_timeline_filter_by_place_includes_places_within(seed_db, seed_conn):
    from tui.data.timeline import items

    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.press("8", "f")
        await settle(pilot, lambda: isinstance(app.screen, TimelineFilterScreen))
        await pilot.press(*"Zhambyl")
        await settle(pilot, lambda: len(app.screen.shown) == 1)
        await pilot.press("enter")
        pane = app.screen.current_pane
        await settle(pilot, lambda: pane.about is not None and pane.exhausted)
        assert [r[3] for r in cells(pane.table)] == [
            "One-gigawatt wind power plant in the Zhambyl Region"
        ]
        # Kazakhstan contains Southern Kazakhstan, China contains Xi'an; no quote places the
        # Zhambyl Region within Kazakhstan, so its plant stays out of Kazakhstan's timeline
        kazakhstan = [item["ref"] for item in items(seed_conn, "place:kazakhstan")]
        assert "commitment:southern-thermal-power-plant" in kazakhstan
        assert "commitment:zhambyl-wind-power-plant" not in kazakhstan
        china = [item["ref"] for item in items(seed_conn, "place:china")]
        assert "meeting:roundtable" in china


async def test_who_met_whom_tree_recentre_and_open(seed_db):
    app = RoundtableApp(seed_db, start_ref="person:dai-houliang")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: detail_ready(app))
        await pilot.press("w")
        await settle(pilot, lambda: isinstance(app.screen, NetworkScreen) and app.screen.root_node)
        tree = app.screen.query_one(NetworkTree)
        lines = [tree.get_node_at_line(i) for i in range(tree.last_line + 1)]
        labels = [node.label.plain for node in lines if node is not None]
        assert labels[0].startswith("Dai Houliang")
        assert any(label.startswith("meetings (1)") for label in labels)
        assert any(label.startswith("Kassym-Jomart Tokayev  participant") for label in labels)
        title = str(app.screen.query_one("#network-title", Static).render())
        assert "5 people and organizations two hops away" in title

        # hop two is indented below hop one, below the group
        def level(node) -> int:
            return 0 if node.parent is None else 1 + level(node.parent)

        depth = {node.label.plain.split("  ")[0]: level(node) for node in lines if node}
        assert depth["meetings (1)"] < depth["Tokayev meets CNPC Chairman Dai Houliang"]
        assert depth["Tokayev meets CNPC Chairman Dai Houliang"] < depth["Kassym-Jomart Tokayev"]
        # move down to Tokayev with the keys, and centre the tree on him
        target = next(
            i for i, n in enumerate(lines) if n and n.data == "person:kassym-jomart-tokayev"
        )
        for _ in range(target):
            await pilot.press("down")
        assert tree.cursor_node.data == "person:kassym-jomart-tokayev"
        await pilot.press("w")
        await settle(
            pilot,
            lambda: (
                isinstance(app.screen, NetworkScreen)
                and app.screen.ref == "person:kassym-jomart-tokayev"
                and app.screen.root_node is not None
            ),
        )
        tree = app.screen.query_one(NetworkTree)
        assert "meetings (8)" in [n.label.plain for n in tree.root.children]
        # enter on the root opens Tokayev's detail; back returns to his network, then Dai's
        await pilot.press("enter")
        await settle(pilot, lambda: detail_ready(app, "person:kassym-jomart-tokayev"))
        await pilot.press("escape")
        assert isinstance(app.screen, NetworkScreen)
        await pilot.press("escape")
        assert app.screen.ref == "person:dai-houliang"


async def test_who_met_whom_needs_a_person_organization_or_meeting(seed_db):
    app = RoundtableApp(seed_db, start_ref="place:china")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: detail_ready(app))
        await pilot.press("w")
        await pilot.pause(0.2)
        assert isinstance(app.screen, DetailScreen)
        message = "a person, an organization or a meeting"
        assert any(message in n.message for n in app._notifications)


async def open_totals(pilot) -> None:
    """From the panes, `T` opens the Totals, their first grouping read."""
    app = pilot.app
    await settle(pilot, lambda: isinstance(app.screen, MainScreen))
    await pilot.press("T")
    await settle(pilot, lambda: isinstance(app.screen, TotalsScreen) and app.screen.loaded)


async def test_a_totals_cell_cut_by_its_column_ends_in_an_ellipsis(seed_db):
    """On the screen, a long name is cut with "…", never cropped to look whole."""
    app = RoundtableApp(seed_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_totals(pilot)
        await pilot.pause(0.1)
        shown = screen_lines(app)
        spic = [line for line in shown if "State Power Investment" in line]
        assert spic and all("State Power Investment Corpor…" in line for line in spic)
        assert not any("Corporation" in line for line in spic)


async def test_totals_keep_units_apart_and_regroup(seed_db):
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_totals(pilot)
        rows = cells(app.screen.query_one(DataTable))
        headings = [row[0] for row in rows if row[0].startswith("── ")]
        assert headings == [
            "── Amount, USD",
            "── Capacity, GW",
            "── Capacity, Gcal",
            "── Quantity, t",
            "── Documents signed (a count)",
        ]
        # each group's figures sit under its own heading, in its own unit
        sections: dict[str, list[list[str]]] = {}
        for row in rows:
            if row[0].startswith("── "):
                current = sections.setdefault(row[0][3:], [])
            else:
                current.append(row)
        assert all(r[1].endswith("GW") for r in sections["Capacity, GW"])
        assert all(r[1].endswith("Gcal") for r in sections["Capacity, Gcal"])
        assert all("$" in r[1] for r in sections["Amount, USD"])
        assert all(r[1].endswith("docs") for r in sections["Documents signed (a count)"])
        usd = {r[0]: r for r in sections["Amount, USD"]}
        # the visit's 47 documents may include CITIC's: $22 bn counted once, not $23.6 bn
        assert usd["all commitments, overlaps once"][1] == "$22 bn"
        assert any(label.strip().startswith("may include") for label in usd)
        assert usd["CITIC Group"][1] == "over $1.6 bn"
        # bars scale to the largest in the unit: $22 bn is full width, $1.6 bn a short bar
        assert len(usd["(no organization named)"][2]) == TOTALS_BAR_WIDTH
        assert 1 <= len(usd["CITIC Group"][2]) <= 2
        await pilot.press("b")
        await settle(pilot, lambda: app.screen.loaded and app.screen.dimension == "sector")
        rows = cells(app.screen.query_one(DataTable))
        wind = next(row for row in rows if row[0] == "wind power")
        assert wind[1] == "1 GW"


async def open_corroboration(pilot) -> None:
    """From the panes, `r` opens the Corroboration screen, its lists read."""
    app = pilot.app
    await settle(pilot, lambda: isinstance(app.screen, MainScreen))
    await pilot.press("r")
    await settle(pilot, lambda: isinstance(app.screen, CorroborationScreen) and app.screen.loaded)


async def test_corroboration_lists_and_opens(seed_db):
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_corroboration(pilot)
        options = app.screen.query_one(OptionList)
        prompts = [str(o.prompt) for o in options.options]
        with sqlite3.connect(seed_db) as conn:
            differing = conn.execute(
                """SELECT count(DISTINCT subject_ref) FROM property_agreements
                   WHERE agreement IN ('consistent', 'conflicting')"""
            ).fetchone()[0]
        assert (
            prompts[0] == f"── ≠ reported differently ({counted(differing, 'entity', 'entities')})"
        )
        title = str(app.screen.query_one("#corroboration-title").render())
        assert f"{differing} reported differently" in title, "the header counts the list"
        smelter = next(p for p in prompts if "Copper smelter in Kazakhstan" in p)
        with sqlite3.connect(seed_db) as conn:
            differing = conn.execute(
                """SELECT property, agreement FROM property_agreements WHERE subject_ref = ?
                   AND agreement IN ('consistent', 'conflicting')""",
                ("commitment:copper-smelter",),
            ).fetchall()
        assert differing
        for prop, agreed in differing:
            assert prop.replace("_", " ") in smelter and agreed in smelter
        assert "_" not in smelter  # choices and properties read as words
        assert any(p.startswith("── entities reported by one article only") for p in prompts)
        assert options.highlighted == 1
        await pilot.press("enter")
        await settle(pilot, lambda: detail_ready(app, "commitment:copper-smelter"))
        fields = detail_row(app, "detail-fields")
        assert "2 articles" in fields and "≠ reported differently" in fields


async def test_detail_marks_how_many_articles_report_each_link(seed_db):
    app = RoundtableApp(seed_db, start_ref="person:dai-houliang")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: detail_ready(app))
        prompts = [str(o.prompt) for o in app.screen.query_one("#detail-links").options]
        position = next(p for p in prompts if p.strip().startswith("China National Petroleum"))
        assert position.endswith("·1 article")


async def test_export_filtered_pane_to_csv_and_an_unwritable_path(seed_db, tmp_path):
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.press("3", "f", *"wind", "escape")
        pane = app.screen.current_pane
        await settle(pilot, lambda: pane.exhausted and pane.table.row_count == 2)
        await pilot.press("e")
        await settle(pilot, lambda: isinstance(app.screen, ExportScreen))
        path_box = app.screen.query_one(Input)
        assert path_box.value == "roundtable-commitment-text-wind.csv"
        await pilot.press("down")  # json
        assert path_box.value == "roundtable-commitment-text-wind.json"
        await pilot.press("up")
        assert path_box.value == "roundtable-commitment-text-wind.csv"
        # an unwritable path: one line in the dialog, no crash, the dialog stays
        path_box.value = str(tmp_path / "no" / "such" / "dir" / "x.csv")
        await pilot.press("enter")
        status = app.screen.query_one("#export-status", Static)
        await settle(pilot, lambda: "Not written" in str(status.render()))
        assert "cannot write" in str(status.render()) and isinstance(app.screen, ExportScreen)
        target = tmp_path / "wind.csv"
        path_box.value = str(target)
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        assert any(f"Wrote 2 rows to {target}" in n.message for n in app._notifications)
    with target.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 2 and all("wind" in r["name"].lower() for r in rows)
    assert all(r["source_article"].startswith("article:") and r["source_quote"] for r in rows)
    assert rows[0]["party_refs"] == "organization:spic"


async def test_export_timeline_as_json(seed_db, tmp_path):
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.press("8")
        await settle(pilot, lambda: app.screen.current_pane.exhausted)
        await pilot.press("e")
        await settle(pilot, lambda: isinstance(app.screen, ExportScreen))
        await pilot.press("down")
        target = tmp_path / "timeline.json"
        app.screen.query_one(Input).value = str(target)
        await pilot.press("enter")
        await settle(pilot, lambda: target.exists())
    rows = json.loads(target.read_text(encoding="utf-8"))
    assert len(rows) == 30 and rows[-1]["when"] == "by 2060"
    assert all(row["source_quote"] for row in rows)


async def test_copy_ref_from_detail_and_from_a_pane(seed_db):
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        await settle(pilot, lambda: app.screen.current_pane.table.row_count > 1)
        await pilot.press("down", "y")
        assert app.clipboard == "organization:aiib"  # the second company by name
        await pilot.press("enter")
        await settle(pilot, lambda: detail_ready(app, "organization:aiib"))
        await pilot.press("y")
        assert app.clipboard == "organization:aiib"
        assert any(n.message == "Copied organization:aiib" for n in app._notifications)


async def test_palette_runs_totals(seed_db):
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await run_palette(pilot, "Totals by organization")
        await settle(pilot, lambda: isinstance(app.screen, TotalsScreen))


async def test_help_lists_the_new_keys(seed_db):
    from tui.app.keys import help_sections

    keys = {key for _, section in help_sections() for key, _ in section}
    assert {"y", "w", "T", "r", "e", "8", "b / B"} <= keys
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.press("question_mark")
        await pilot.pause(0.1)
        await pilot.press("w")  # no view opens from under a dialog
        await pilot.pause(0.1)
        assert type(app.screen).__name__ == "HelpScreen"


async def test_totals_regrouped_quickly_show_the_grouping_asked_for_last(seed_db, monkeypatch):
    """`g` pressed while a grouping is still being read: that read may finish last (here the
    first, held back), and its totals must not be shown under the grouping now asked for."""
    import threading

    import tui.app.screens.totals as totals_screen

    first_read = threading.Event()
    real_totals = totals_screen.totals

    def totals(conn, dimension):
        if dimension == "organization" and not first_read.is_set():
            first_read.set()
            release.wait(5)  # finishes after the later groupings
        return real_totals(conn, dimension)

    release = threading.Event()
    monkeypatch.setattr(totals_screen, "totals", totals)
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.press("T")
        await settle(pilot, lambda: isinstance(app.screen, TotalsScreen) and first_read.is_set())
        screen = app.screen
        await pilot.press("b", "b", "b")  # sector, country, category
        await settle(pilot, lambda: screen.loaded and screen.dimension == "category")
        by_category = cells(screen.query_one(DataTable))
        release.set()  # the organizations' totals arrive last
        reading = [w for w in app.workers if w.group == "totals"]
        await settle(pilot, lambda: not any(w.is_running for w in reading))
        await pilot.pause(0.1)
        assert screen.dimension == "category"
        assert cells(screen.query_one(DataTable)) == by_category
        assert any("agreement" in row[0] for row in by_category)


async def test_corroboration_lines_wrap_under_their_own_start(seed_db):
    """At 80 columns the long lines wrap indented under where they start, never at the left
    edge, where they would read as entities of their own."""
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_corroboration(pilot)
        options = app.screen.query_one(OptionList)
        width = options.scrollable_content_region.width
        wrapped = 0
        for option in options.options:
            if option.disabled:
                continue
            lines = option.prompt.lines(width)
            starts = str(option.prompt).split("\n")
            wrapped += len(lines) - len(starts)
            for line in lines:
                assert line.plain.startswith("  "), line.plain  # (an entity's own line: 2)
        assert wrapped > 0, "some line is long enough to wrap at this width"


async def test_totals_move_by_the_keys_of_the_panes_and_b_changes_the_grouping(seed_db):
    """g / G are the first and last row here too, as everywhere; b is the grouping."""
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_totals(pilot)
        screen = app.screen
        table = screen.query_one(DataTable)
        assert table.row_count > 3
        await pilot.press("G")
        assert table.cursor_row == table.row_count - 1 and screen.dimension == "organization"
        await pilot.press("g")
        assert table.cursor_row == 0
        await pilot.press("j", "j", "k")
        assert table.cursor_row == 1
        await pilot.press("b")
        await settle(pilot, lambda: screen.loaded and screen.dimension == "sector")
        await pilot.press("B")
        await settle(pilot, lambda: screen.loaded and screen.dimension == "organization")
