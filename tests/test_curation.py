"""The curated corpus and the rules that catch the fact-check's kinds of error.

Each rule's test copies the bundled corpus, makes the one slip the rule exists for in one facts
file, and asserts the one line a curator reads: file, line, problem.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from tui import paths
from tui.data.build import build
from tui.data.corpus import load_corpus
from tui.data.search import search
from tui.data.statements import STATUS_WORDS
from tui.data.vocabulary import STATUSES
from tui.errors import SeedError

ROUND_TABLE = "facts/tokayev-investment-round-table.yaml"
MEETINGS = "facts/tokayev-meetings-chinese-companies.yaml"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(paths.SEED_DIR, folder)
    return folder


def edit(corpus: Path, file: str, old: str, new: str) -> int:
    """Replace the one occurrence of `old` in a facts file; the line the edit starts on."""
    path = corpus / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not once in {file}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def error_of(corpus: Path) -> str:
    with pytest.raises(SeedError) as caught:
        load_corpus(corpus)
    return str(caught.value)


# -- the bundled corpus ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> sqlite3.Connection:
    path = tmp_path_factory.mktemp("db") / "roundtable.db"
    build(paths.SEED_DIR, path)
    return sqlite3.connect(path)


def test_bundled_corpus_loads_and_builds(db: sqlite3.Connection) -> None:
    corpus = load_corpus(paths.SEED_DIR)
    assert sorted(corpus.facts) == [
        "tokayev-investment-round-table",
        "tokayev-meetings-chinese-companies",
    ]
    refs = {row[0] for row in db.execute("SELECT ref FROM entities")}
    for ref in ("organization:cnpc", "meeting:roundtable", "commitment:copper-smelter"):
        assert ref in refs


def test_no_type_the_text_does_not_give(db: sqlite3.Connection) -> None:
    types = dict(db.execute("SELECT ref, org_type FROM organizations"))
    assert types["organization:cnpc"] == "company"
    assert types["organization:spic"] == "company"
    assert types["organization:aifc"] is None
    assert types["organization:akorda-press-service"] is None
    countries = dict(db.execute("SELECT ref, country_ref FROM organizations"))
    assert countries["organization:akorda-press-service"] is None
    within = dict(db.execute("SELECT ref, within_ref FROM places"))
    assert within["place:shymkent"] is None
    assert within["place:zhambyl-region"] is None


def test_roundtable_is_not_part_of_the_state_visit(db: sqlite3.Connection) -> None:
    (part_of,) = db.execute(
        "SELECT part_of_ref FROM meetings WHERE ref = 'meeting:roundtable'"
    ).fetchone()
    assert part_of is None


def test_tokayev_hosts_nothing(db: sqlite3.Connection) -> None:
    roles = {
        row[0]
        for row in db.execute(
            "SELECT role FROM meeting_participants "
            "WHERE entity_ref = 'person:kassym-jomart-tokayev'"
        )
    }
    assert roles and "host" not in roles


def test_unnamed_parties_are_groups_not_countries(db: sqlite3.Connection) -> None:
    parties = dict(
        db.execute(
            "SELECT commitment_ref || ' ' || entity_ref, role FROM commitment_parties "
            "WHERE commitment_ref IN ('commitment:citic-commercial-documents', "
            "'commitment:sugar-industry-invitation', 'commitment:wheat-supply')"
        )
    )
    assert parties["commitment:citic-commercial-documents organization:kazakh-partners"]
    assert parties["commitment:sugar-industry-invitation organization:chinese-companies"]
    assert not any(" place:" in key for key in parties)
    (kind,) = db.execute(
        "SELECT org_type FROM organizations WHERE ref = 'organization:kazakh-partners'"
    ).fetchone()
    assert kind == "group"


def test_wheat_is_not_dated_to_the_roundtable(db: sqlite3.Connection) -> None:
    row = db.execute(
        "SELECT announced_at_ref, date FROM commitments WHERE ref = 'commitment:wheat-supply'"
    ).fetchone()
    assert row == (None, None)


def test_who_asserts_what(db: sqlite3.Connection) -> None:
    def asserters(subject: str, prop: str) -> set[str | None]:
        rows = db.execute(
            "SELECT asserted_by_ref FROM statements WHERE subject_ref = ? AND property = ?",
            (subject, prop),
        )
        return {row[0] for row in rows}

    assert asserters("commitment:citic-commercial-documents", "amount") == {"person:zhu-hexin"}
    assert asserters("indicator:bilateral-trade-2022", "value") == {
        None,  # the May 20 article states it as the reporter's fact
        "person:kassym-jomart-tokayev",  # the May 18 article quotes his speech
    }
    assert asserters("meeting:state-visit", "opinion") == {"person:yerkin-tukumov"}


def test_the_visit_total_covers_the_visit(db: sqlite3.Connection) -> None:
    (covers,) = db.execute(
        "SELECT covers_ref FROM commitments WHERE ref = 'commitment:state-visit-documents'"
    ).fetchone()
    assert covers == "meeting:state-visit"


def test_countries_ranked_above_china_are_linked(db: sqlite3.Connection) -> None:
    rows = db.execute(
        "SELECT to_ref, role FROM relations WHERE from_ref = 'indicator:china-investor-rank'"
    )
    assert dict(rows) == {
        "place:netherlands": "ranked above",
        "place:united-states": "ranked above",
        "place:switzerland": "ranked above",
    }


@pytest.mark.parametrize("text", ["Xi’an", "Xi'an", "Xian", "xian"])
def test_xian_found_without_invented_aliases(db: sqlite3.Connection, text: str) -> None:
    (aliases,) = db.execute(
        "SELECT count(*) FROM aliases WHERE entity_ref = 'place:xian'"
    ).fetchone()
    assert aliases == 0  # the text prints no other name for it
    assert "place:xian" in [hit.ref for hit in search(db, text, kind="place")]


def test_every_status_has_its_words() -> None:
    assert set(STATUS_WORDS) == set(STATUSES)


# -- one rule, one slip, one line -----------------------------------------------------------


def test_alias_inside_the_full_name_is_not_printed(corpus: Path) -> None:
    line = edit(
        corpus,
        MEETINGS,
        '- alias: "Tokayev"\n    quote: "Tokayev’s state visit to China is bearing fruit"',
        '- alias: "Tokayev"\n    quote: "President Kassym-Jomart Tokayev held several meetings"',
    )
    assert error_of(corpus) == (
        f"{MEETINGS}:{line}: person:kassym-jomart-tokayev alias: "
        "the quote does not print the alias 'Tokayev'"
    )


def test_called_must_be_printed(corpus: Path) -> None:
    line = edit(
        corpus,
        ROUND_TABLE,
        '- called: "Head of State"\n    quote: "the Head of State said"',
        '- called: "Head of State"\n    quote: "Opening the speech, the President"',
    )
    assert error_of(corpus) == (
        f"{ROUND_TABLE}:{line}: person:kassym-jomart-tokayev called: "
        "the quote does not print 'Head of State'"
    )


def test_link_quote_must_name_the_participant(corpus: Path) -> None:
    line = edit(
        corpus,
        MEETINGS,
        '- participant: "organization:aiib"\n    role: "bank"\n'
        '    quote: "Jin Liqun, president of the Asian Infrastructure Investment Bank (AIIB), '
        'considered the financial institution’s future ambitions"',
        '- participant: "organization:aiib"\n    role: "bank"\n'
        '    quote: "The Kazakh President and Jin Liqun"',
    )
    assert error_of(corpus) == (
        f"{MEETINGS}:{line}: meeting:meeting-aiib participant: the quote does not name "
        "organization:aiib (its name, an alias or a `called` this article gives it)"
    )


def test_position_quote_must_name_the_person_too(corpus: Path) -> None:
    line = edit(
        corpus,
        MEETINGS,
        '- position: "organization:citic-group"\n    role: "Chair"\n'
        '    quote: "CITIC Group Chair Zhu Hexin"',
        '- position: "organization:citic-group"\n    role: "Chair"\n'
        '    quote: "According to CITIC Group Chair"',
    )
    assert error_of(corpus) == (
        f"{MEETINGS}:{line}: person:zhu-hexin position: the quote does not name "
        "person:zhu-hexin itself, only organization:citic-group"
    )


def test_within_needs_both_names(corpus: Path) -> None:
    line = edit(
        corpus,
        MEETINGS,
        '- place_type: "region"\n    quote: "in the Zhambyl Region"',
        '- place_type: "region"\n    within: "place:kazakhstan"\n'
        '    quote: "in the Zhambyl Region"',
    )
    assert error_of(corpus) == (
        f"{MEETINGS}:{line}: place:zhambyl-region within: the quote does not name "
        "place:kazakhstan (its name or an alias this article gives it)"
    )


def test_within_is_not_named_by_a_demonym(corpus: Path) -> None:
    line = edit(
        corpus,
        MEETINGS,
        '  place:shymkent:\n  - quote: "expanding the Shymkent oil refinery’s production capacity"',
        '  place:shymkent:\n  - within: "place:kazakhstan"\n'
        '    quote: "strengthen cooperation with the Kazakh side by expanding the Shymkent oil '
        'refinery’s production capacity"',
    )
    assert error_of(corpus) == (
        f"{MEETINGS}:{line + 1}: place:shymkent within: the quote does not name "
        "place:kazakhstan (its name or an alias this article gives it)"
    )


def test_country_is_no_signatory_for_kazakh_partners(corpus: Path) -> None:
    line = edit(
        corpus,
        MEETINGS,
        '- party: "organization:kazakh-partners"',
        '- party: "place:kazakhstan"',
    )
    assert error_of(corpus) == (
        f"{MEETINGS}:{line}: commitment:citic-commercial-documents party: place:kazakhstan is a "
        "country and the quote does not name it: record an unnamed party (“Kazakh partners”) "
        "as the group the text names"
    )


def test_country_is_no_invitee_for_chinese_companies(corpus: Path) -> None:
    line = edit(
        corpus,
        ROUND_TABLE,
        '- party: "organization:chinese-companies"',
        '- party: "place:china"',
    )
    assert error_of(corpus).startswith(
        f"{ROUND_TABLE}:{line}: commitment:sugar-industry-invitation party: place:china is a "
        "country and the quote does not name it"
    )


def test_part_of_needs_words_that_say_so(corpus: Path) -> None:
    line = edit(
        corpus,
        ROUND_TABLE,
        '  - date: "2023-05-18"\n    date_precision: "day"\n    relative: "today"',
        '  - part_of: "meeting:state-visit"\n'
        '    quote: "President Kassym-Jomart Tokayev took part in the Kazakh-Chinese investment '
        'round table"\n  - date: "2023-05-18"\n    date_precision: "day"\n    relative: "today"',
    )
    assert error_of(corpus) == (
        f"{ROUND_TABLE}:{line}: meeting:roundtable part_of: "
        "the quote does not say it is part of it (“part of”, “during”)"
    )


def test_host_needs_words_that_say_so(corpus: Path) -> None:
    line = edit(
        corpus,
        MEETINGS,
        '- participant: "person:kassym-jomart-tokayev"\n    role: "participant"\n'
        '    quote: "Tokayev also met with Qian Zhimin"',
        '- participant: "person:kassym-jomart-tokayev"\n    role: "host"\n'
        '    quote: "Tokayev also met with Qian Zhimin"',
    )
    assert error_of(corpus) == (
        f"{MEETINGS}:{line}: meeting:meeting-spic participant: "
        "the quote does not say 'host': use the role the text states"
    )


@pytest.mark.parametrize(
    ("file", "old", "new", "subject", "status"),
    [
        (
            ROUND_TABLE,
            '- category: "project"\n    quote: "the joint project of KAZ Minerals',
            '- category: "project"\n    status: "under_way"\n'
            '    quote: "the joint project of KAZ Minerals',
            "commitment:copper-smelter",
            "under_way",
        ),
        (
            MEETINGS,
            '- category: "project"\n    status: "planned"\n    asserted_by: "person:dai-houliang"\n'
            '    quote: "Dai shared plans to strengthen cooperation with the Kazakh side by '
            'expanding the Shymkent oil refinery’s production capacity"',
            '- category: "project"\n    status: "intended"\n'
            '    asserted_by: "person:dai-houliang"\n'
            '    quote: "Dai shared plans to strengthen cooperation with the Kazakh side by '
            'expanding the Shymkent oil refinery’s production capacity"',
            "commitment:shymkent-refinery-expansion",
            "intended",
        ),
        (
            ROUND_TABLE,
            '- category: "cooperation"\n    status: "discussed"\n'
            '    quote: "Kazakhstan President drew attention',
            '- category: "cooperation"\n    status: "proposed"\n'
            '    quote: "Kazakhstan President drew attention',
            "commitment:e-commerce-trade-growth",
            "proposed",
        ),
    ],
)
def test_status_must_be_worded(
    corpus: Path, file: str, old: str, new: str, subject: str, status: str
) -> None:
    line = edit(corpus, file, old, new)
    assert error_of(corpus).startswith(
        f"{file}:{line}: {subject} status: {status!r} is not what the quote says"
    )


def test_recently_reached_is_not_dated_to_the_meeting(corpus: Path) -> None:
    line = edit(
        corpus,
        ROUND_TABLE,
        "  - quantity: 1000000",
        '  - announced_at: "meeting:roundtable"\n'
        '    quote: "Recently, an agreement was reached on the supply of 1 million tons of wheat"\n'
        "  - quantity: 1000000",
    )
    assert error_of(corpus) == (
        f"{ROUND_TABLE}:{line}: commitment:wheat-supply announced_at: “recently” dates nothing: "
        "leave it undated (and not at the meeting that reports it)"
    )


def test_yesterday_is_the_day_before_the_article(corpus: Path) -> None:
    line = edit(
        corpus,
        ROUND_TABLE,
        '  - date: "2023-05-17"\n    date_precision: "day"\n    relative: "yesterday"',
        '  - date: "2023-05-16"\n    date_precision: "day"\n    relative: "yesterday"',
    )
    assert error_of(corpus) == (
        f"{ROUND_TABLE}:{line}: meeting:talks-2023-05-17 date: "
        "'yesterday' in an article of 2023-05-18 is 2023-05-17, not 2023-05-16"
    )


def test_relative_date_is_never_after_the_article(corpus: Path) -> None:
    line = edit(
        corpus,
        MEETINGS,
        '  - date: "2023-05-17"\n    date_precision: "day"\n    relative: "first day of"',
        '  - date: "2023-06-17"\n    date_precision: "day"\n    relative: "first day of"',
    )
    assert error_of(corpus) == (
        f"{MEETINGS}:{line}: meeting:state-visit date: "
        "'2023-06-17' is later than the article's date 2023-05-20"
    )


def test_first_day_of_gives_no_end_date(corpus: Path) -> None:
    line = edit(
        corpus,
        MEETINGS,
        '  - date: "2023-05-17"\n    date_precision: "day"\n    relative: "first day of"',
        '  - end_date: "2023-05-17"\n    relative: "first day of"',
    )
    assert error_of(corpus) == (
        f"{MEETINGS}:{line}: meeting:state-visit end_date: "
        "“first day of” gives a start date, not an end"
    )


def test_relative_is_only_for_dates(corpus: Path) -> None:
    line = edit(
        corpus,
        ROUND_TABLE,
        '- meeting_type: "talks"\n',
        '- meeting_type: "talks"\n    relative: "yesterday"\n',
    )
    assert error_of(corpus) == (
        f"{ROUND_TABLE}:{line}: meeting:talks-2023-05-17 meeting_type: "
        "relative is only for a date (date, end_date, period), not for meeting_type"
    )


def test_sectors_are_a_list(corpus: Path) -> None:
    line = edit(
        corpus,
        ROUND_TABLE,
        '- sector: ["sugar"]\n    quote: "fully',
        '- sector: "agriculture; sugar"\n    quote: "fully',
    )
    assert error_of(corpus) == (
        f"{ROUND_TABLE}:{line}: commitment:sugar-self-sufficiency sector: "
        "one sector per value: write a list, not 'agriculture; sugar'"
    )


def test_unit_from_the_controlled_list(corpus: Path) -> None:
    line = edit(
        corpus,
        MEETINGS,
        '- capacity: 1\n    capacity_unit: "GW"',
        '- capacity: 1\n    capacity_unit: "gigawatt"',
    )
    assert error_of(corpus) == (
        f"{MEETINGS}:{line}: commitment:zhambyl-wind-power-plant capacity_unit: "
        "capacity_unit 'gigawatt' is not one of GW, MW, Gcal, t, percent, rank, times"
    )


def test_opinion_needs_its_speaker(corpus: Path) -> None:
    old = (
        '- opinion: "The state visit will enable solving many strategic tasks and kickstart '
        'joint investment projects."\n    asserted_by: "person:yerkin-tukumov"\n'
    )
    line = edit(
        corpus, MEETINGS, old, old.replace('    asserted_by: "person:yerkin-tukumov"\n', "")
    )
    assert error_of(corpus) == (
        f"{MEETINGS}:{line}: meeting:state-visit opinion: "
        "an opinion needs asserted_by: the person whose opinion it is"
    )


def test_date_in_the_form_of_its_precision(corpus: Path) -> None:
    line = edit(
        corpus,
        MEETINGS,
        '- date: "2023-05-17"\n    date_precision: "day"\n    quote: "signed a joint statement',
        '- date: "2023-05"\n    date_precision: "day"\n    quote: "signed a joint statement',
    )
    assert error_of(corpus) == (
        f"{MEETINGS}:{line}: commitment:joint-statement date: '2023-05' is not a day (YYYY-MM-DD)"
    )


def test_agreement_across_the_two_articles(db: sqlite3.Connection) -> None:
    def verdict(subject: str, prop: str) -> str:
        (found,) = db.execute(
            "SELECT agreement FROM property_agreements WHERE subject_ref = ? AND property = ?",
            (subject, prop),
        ).fetchone()
        return str(found)

    # "Head of State" in one article, "the Kazakh President" in the other: both right
    assert verdict("person:kassym-jomart-tokayev", "called") == "consistent"
    # over $23 billion / $23.2 billion; one of the five largest / fourth largest
    assert verdict("indicator:chinese-investment-since-2005", "value") == "consistent"
    assert verdict("indicator:china-investor-rank", "value") == "consistent"
    assert verdict("indicator:bilateral-trade-2022", "value") == "corroborated"
    # China Nonferrous Metal Mining in one article, NFC in the other: that must show
    assert verdict("commitment:copper-smelter", "party") == "conflicting"


def test_an_entity_has_a_source_of_its_own(corpus: Path) -> None:
    edit(corpus, MEETINGS, '  - quote: "According to CITIC Group Chair Zhu Hexin"\n', "")
    line = edit(
        corpus,
        MEETINGS,
        '- position: "organization:citic-group"',
        '- position: "organization:citic-group"',
    )
    assert error_of(corpus) == (
        f"{MEETINGS}:{line}: person:zhu-hexin: only links, no source of its own in any "
        "article (add a mention: a `- quote:` that names it)"
    )


def test_every_entity_and_link_has_evidence(db: sqlite3.Connection) -> None:
    bare = db.execute(
        "SELECT ref FROM entities WHERE ref NOT IN "
        "(SELECT entity_ref FROM evidence WHERE entity_ref IS NOT NULL) AND kind <> 'article'"
    ).fetchall()
    unproven = db.execute(
        "SELECT id FROM links WHERE id NOT IN "
        "(SELECT link_id FROM evidence WHERE link_id IS NOT NULL)"
    ).fetchall()
    assert (bare, unproven) == ([], [])
