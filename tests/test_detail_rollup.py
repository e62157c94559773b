"""A detail answers at a glance (issue 13, "details that roll up"): a meeting lists who took
part in the meetings it includes, a company its commitments with their figures, a place each
person once; the whole detail scrolls as one column and a wrapped value stays under itself;
a field no article states reads "not stated"; counts read as English. Checked on the screen
at 80x24, from the keyboard, and in `roundtable show`."""

from __future__ import annotations

import sqlite3

from pilotkit import SIZE, detail_ready, help_lines, screen_lines, settle

from tui.app.explorer import RoundtableApp
from tui.app.screens.network import NetworkScreen
from tui.app.widgets.key_hints import KeyHints

ROUNDTABLE = "meeting:roundtable"
DAI_VIA = "Tokayev meets CNPC Chairman Dai Houliang"


def rows(app) -> list[str]:
    """Every row of the detail, as read (scrolled into view or not)."""
    return [str(option.prompt) for option in app.screen.link_list.options]


def group(app, heading: str) -> list[str]:
    """The rows under the heading that starts with `heading`, up to the next heading."""
    found: list[str] = []
    inside = False
    for row in rows(app):
        if row.startswith("── "):
            if inside:
                break
            inside = row.startswith(heading)
        elif inside:
            found.append(row.strip())
    return found


async def open_detail(pilot, ref: str) -> None:
    await settle(pilot, lambda: detail_ready(pilot.app, ref))
    await pilot.pause(0.1)


async def test_a_meeting_lists_who_took_part_in_the_meetings_it_includes(seed_db):
    app = RoundtableApp(seed_db, start_ref=ROUNDTABLE)
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot, ROUNDTABLE)
        screen = "\n".join(screen_lines(app))
        assert "── 13 participants (12 via included meetings)" in screen
        assert "Asian Infrastructure Investment Bank  bank  via Tokayev meets AIIB" in screen
        participants = group(app, "── 13 participants")
        names = [row.split("  ")[0] for row in participants]
        assert len(names) == len(set(names)) == 13  # each once
        assert "Kassym-Jomart Tokayev  speaker" in participants[0]  # direct, not repeated
        assert not any("via" in row for row in participants if row.startswith("Kassym"))
        dai = next(row for row in participants if row.startswith("Dai Houliang"))
        assert f"via {DAI_VIA}" in dai
        # s on a rolled-up participant: the quote that states their part in that meeting
        while not str(app.screen.link_list.highlighted_option.prompt).strip().startswith("Dai"):
            await pilot.press("j")
        await pilot.press("s")
        await pilot.pause(0.1)
        at = rows(app).index(str(app.screen.link_list.highlighted_option.prompt))
        assert (
            "Chairman of China National Petroleum Corporation (CNPC) Dai Houliang"
            in (rows(app)[at + 1])
        )
        # enter on it opens them; back returns to the meeting
        await pilot.press("enter")
        await open_detail(pilot, "person:dai-houliang")
        await pilot.press("backspace")
        await open_detail(pilot, ROUNDTABLE)


async def test_w_on_a_meeting_opens_who_met_whom_and_is_offered_only_where_it_works(seed_db):
    app = RoundtableApp(seed_db, start_ref=ROUNDTABLE)
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot, ROUNDTABLE)
        assert "w Who met whom" in str(app.screen.query_one(KeyHints).render())
        await pilot.press("w")
        await settle(pilot, lambda: isinstance(app.screen, NetworkScreen))
        await settle(pilot, lambda: app.screen.root_node is not None)
        await pilot.pause(0.1)
        screen = "\n".join(screen_lines(app))
        assert "included meetings (6)" in screen and "Jin Liqun" in screen
        await pilot.press("backspace")
        await open_detail(pilot, ROUNDTABLE)
        # a commitment: who met whom cannot start there, and the bottom line does not offer it
        commitment = next(
            i for i, o in enumerate(app.screen.link_list.options)
            if (o.id or "").startswith("link-commitment")
        )  # fmt: skip
        app.screen.link_list.highlighted = commitment
        await pilot.press("enter")
        await settle(pilot, lambda: detail_ready(app) and app.screen.ref.startswith("commitment:"))
        await pilot.pause(0.1)
        assert "Who met whom" not in str(app.screen.query_one(KeyHints).render())
        assert "Who met whom" not in screen_lines(app)[-1]
        # back on the meeting, the bottom line drawn offers it again (not the line kept)
        await pilot.press("backspace")
        await open_detail(pilot, ROUNDTABLE)
        await pilot.pause(0.1)
        assert "w Who met whom" in screen_lines(app)[-1]


async def test_a_company_shows_its_commitments_with_their_amounts_and_capacities(seed_db):
    app = RoundtableApp(seed_db, start_ref="organization:spic")
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot, "organization:spic")
        commitments = " ".join(group(app, "── 4 commitments"))
        assert "One-gigawatt wind power plant in the Zhambyl Region  developer  1 GW" in commitments
        assert "southern Kazakhstan  developer  up to 200 Gcal" in commitments
        screen = "\n".join(screen_lines(app))
        assert "1 GW" in screen
    app = RoundtableApp(seed_db, start_ref="organization:citic-group")
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot, "organization:citic-group")
        assert "$1.6 bn" in " ".join(group(app, "── 1 commitment"))
        assert "$1.6 bn" in "\n".join(screen_lines(app))


async def test_the_whole_detail_scrolls_and_a_wrapped_value_stays_under_itself(seed_db):
    app = RoundtableApp(seed_db, start_ref="place:kazakhstan")
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot, "place:kazakhstan")
        title = "Kazakhstan  place"
        assert title in screen_lines(app)[1]
        await pilot.press("G")  # the last line: the header has scrolled away with the rest
        await pilot.pause(0.1)
        assert not any(title in line for line in screen_lines(app))
        assert not any("reported by" in line for line in screen_lines(app))
        await pilot.press("g")  # the first: the header is back
        await pilot.pause(0.1)
        assert title in screen_lines(app)[1]
        lines = screen_lines(app)
        opinion = next(i for i, line in enumerate(lines) if "opinion  Given its" in line)
        column = lines[opinion].index("Given")
        following = lines[opinion + 1]
        assert following[:column].strip() == "" and following[column] != " "


async def test_a_person_linked_twice_to_a_place_is_listed_once_with_every_role(seed_db):
    app = RoundtableApp(seed_db, start_ref="place:kazakhstan")
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot, "place:kazakhstan")
        people = group(app, "── 1 person")
        assert people == ["Kassym-Jomart Tokayev  President  ·2 articles"]
        assert "── 1 person" in "\n".join(screen_lines(app))


async def test_unstated_fields_read_not_stated_and_counts_read_as_english(seed_db):
    ref = "commitment:zhambyl-wind-power-plant"
    app = RoundtableApp(seed_db, start_ref=ref)
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot, ref)
        screen = "\n".join(screen_lines(app))
        assert "amount  not stated" in screen and "date  not stated" in screen
        assert "reported by  1 article  (single source)" in screen
        assert "── 1 party" in screen and "── 1 place" in screen
        assert "None" not in screen and "(s)" not in screen


def test_show_rolls_up_included_participants_in_text_and_json(cli, seed_db):
    out = cli("--db", str(seed_db), "show", ROUNDTABLE).out
    assert "participant (13)" in out
    dai = next(line for line in out.splitlines() if line.strip().startswith("Dai Houliang"))
    assert f"via {DAI_VIA}" in dai and "person:dai-houliang" in dai
    doc = cli("--db", str(seed_db), "show", ROUNDTABLE, "--json").json()
    # the links are as before (one participant of its own); the roll-up is a key of its own
    assert [link["ref"] for link in doc["links"] if link["relation"] == "participant"] == [
        "person:kassym-jomart-tokayev"
    ]
    rolled = {item["ref"]: item for item in doc["included_participants"]}
    assert len(rolled) == 12 and "person:kassym-jomart-tokayev" not in rolled
    assert rolled["person:dai-houliang"]["via"] == [
        {"ref": "meeting:meeting-cnpc", "name": DAI_VIA}
    ]


def test_show_gives_figures_and_not_stated(cli, seed_db):
    out = cli("--db", str(seed_db), "show", "organization:spic").out
    assert "1 GW" in out and "up to 200 Gcal" in out
    out = cli("--db", str(seed_db), "show", "commitment:zhambyl-wind-power-plant").out
    amount = next(line for line in out.splitlines() if line.startswith("amount"))
    assert amount.split() == ["amount", "not", "stated"]


async def test_enter_on_a_total_lists_the_commitments_behind_it_and_back_returns(seed_db):
    from textual.widgets import DataTable

    from tui.app.screens.main import MainScreen
    from tui.app.screens.totals import TotalsScreen

    def on_totals() -> bool:
        return isinstance(app.screen, TotalsScreen) and app.screen.loaded

    async def move_to(label: str) -> None:
        table = app.screen.query_one(DataTable)
        target = next(i for i, row in enumerate(cells(table)) if row[0].startswith(label))
        while table.cursor_row < target:
            await pilot.press("down")
        while table.cursor_row > target:
            await pilot.press("up")

    def cells(table) -> list[list[str]]:
        return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]

    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.press("T")
        await settle(pilot, on_totals)
        await move_to("all commitments, overlaps once")  # the $22 bn total of Amount, USD
        await pilot.press("enter")
        await pilot.pause(0.1)
        screen = screen_lines(app)
        at = next(i for i, line in enumerate(screen) if "all commitments, overlaps once" in line)
        behind = " ".join(screen[at + 1 : at + 3])
        assert "47 documents signed" in behind and "CITIC Group’s five commerci…" in behind
        await move_to("  CITIC Group’s five commerci…")  # (cut to its column)
        await pilot.press("enter")
        await settle(pilot, lambda: detail_ready(app, "commitment:citic-commercial-documents"))
        await pilot.press("backspace")
        await settle(pilot, on_totals)
        assert "CITIC Group’s five commerci…" in "\n".join(screen_lines(app))  # still listed
        await move_to("all commitments, overlaps once")
        await pilot.press("enter")  # again: folded
        await pilot.pause(0.1)
        assert "CITIC Group’s five commerci…" not in "\n".join(screen_lines(app)[:10])


# --- labels: one name per kind; short headers explained --------------------------------------


async def test_search_and_detail_call_an_organization_an_organization(seed_db):
    from tui.app.screens.main import MainScreen
    from tui.app.screens.search import SearchScreen

    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.press("slash", *"Kazakhstan Institute")  # an institute, not a company
        await settle(
            pilot, lambda: isinstance(app.screen, SearchScreen) and len(app.screen.refs) > 0
        )
        await pilot.pause(0.2)
        screen = "\n".join(screen_lines(app))
        hits = [line.strip() for line in screen.splitlines()]
        assert "organization Kazakhstan Institute for Strategic Studies" in hits
        assert "company" not in screen
        await settle(pilot, lambda: app.screen.refs[:1] == ["organization:kaziss"])
        await pilot.press("enter")
        await open_detail(pilot, "organization:kaziss")
        title = screen_lines(app)[1]
        assert "organization" in title and "company" not in title


def test_the_cli_names_each_kind_as_the_explorer_does(cli, seed_db):
    from tui.kinds import kind_label

    found = cli("--db", str(seed_db), "search", "KazISS", "--json").json()
    out = cli("--db", str(seed_db), "search", "KazISS").out
    assert kind_label(found[0]["kind"]) in out and "company" not in out
    show = cli("--db", str(seed_db), "show", "organization:kaziss").out
    assert show.splitlines()[0].split("  ")[1] == "organization"


async def test_help_explains_every_short_column_header_from_the_column_definitions(seed_db):
    from tui.app.screens.help import HelpScreen
    from tui.app.screens.main import MainScreen
    from tui.data.listing import COLUMNS, abbreviations

    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.press("question_mark")
        await settle(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.pause()
        drawn = help_lines(app.screen)
    explained = {line.split()[0] for line in drawn if line.strip()}
    for header in ("Cmts", "Mtgs", "Src", "2≠", "Docs", "n", "—"):
        assert header in explained, header
    # each comes from a column's definition: a column with a short header says what it means
    shown = {shown for shown, _meaning in abbreviations()}
    headers = {column.header for columns in COLUMNS.values() for column in columns}
    assert {"Cmts", "Mtgs", "Src", "Docs"} <= shown & headers
    assert any(line.startswith("Cmts") and "commitments" in line for line in drawn)


def test_show_lists_a_person_linked_twice_to_a_place_once(cli, seed_db):
    out = cli("--db", str(seed_db), "show", "place:kazakhstan").out
    people = [line for line in out.splitlines() if line.strip().startswith("Kassym-Jomart")]
    assert len(people) == 1 and "President" in people[0]
    assert "person (1)" in out


async def test_a_roll_up_cut_short_says_so(seed_db, monkeypatch):
    from tui.app.screens import detail
    from tui.data import rollup

    monkeypatch.setattr(rollup, "ROLLED_UP", 5)
    monkeypatch.setattr(detail, "ROLLED_UP", 5)
    app = RoundtableApp(seed_db, start_ref=ROUNDTABLE)
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot, ROUNDTABLE)
        assert "── 6+ participants (5+ via included meetings)" in "\n".join(screen_lines(app))
        assert len(group(app, "── 6+ participants")) == 6


async def test_the_palette_names_an_organization_an_organization(seed_db):
    from textual.command import CommandPalette

    from tui.app.screens.main import MainScreen

    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.press("ctrl+p")
        await settle(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"KazISS")
        await settle(pilot, lambda: "organization:kaziss" in "\n".join(screen_lines(app)))
        hit = next(line for line in screen_lines(app) if "organization:kaziss" in line)
        assert "organization · organization:kaziss" in hit and "company" not in hit


async def test_a_page_down_and_up_as_in_less(seed_db):
    app = RoundtableApp(seed_db, start_ref="place:kazakhstan")
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot, "place:kazakhstan")
        links = app.screen.link_list
        start = links.highlighted
        went = {}
        for key in ("ctrl+d", "ctrl+f"):
            await pilot.press(key)
            await pilot.pause(0.05)
            assert links.highlighted > start + 3  # (rows further on)
            moved = went[key] = links.highlighted
            await pilot.press("ctrl+b" if key == "ctrl+f" else "ctrl+u")
            await pilot.pause(0.05)
            assert links.highlighted < moved - 3
            assert str(links.highlighted_option.prompt) in "\n".join(rows(app))
        assert went["ctrl+d"] < went["ctrl+f"]  # half a page, then a whole one


async def test_a_detail_screen_used_again_offers_the_keys_of_what_it_shows_now(seed_db):
    """Closed and opened on another entity, a detail keeps its widgets: the bottom line must be
    drawn for the new entity, not kept from the last (a meeting offers who met whom, a
    commitment does not)."""
    with sqlite3.connect(f"file:{seed_db}?mode=ro", uri=True) as conn:
        (commitment,) = conn.execute(
            "SELECT ref FROM entities WHERE kind = 'commitment' ORDER BY ref LIMIT 1"
        ).fetchone()
    app = RoundtableApp(seed_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.2)
        app.open_entity(ROUNDTABLE)
        await open_detail(pilot, ROUNDTABLE)
        meeting_screen = app.screen
        assert "w Who met whom" in screen_lines(app)[-1]
        await pilot.press("backspace")
        await settle(pilot, lambda: not detail_ready(app))
        app.open_entity(commitment)
        await open_detail(pilot, commitment)
        assert app.screen is meeting_screen  # the same screen, showing a commitment
        assert "Who met whom" not in screen_lines(app)[-1]
