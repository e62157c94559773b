"""The command line at 80 columns and in pipes: the data first, labels as the explorer shows
them, and no silent empty result."""

from __future__ import annotations

import subprocess

import pytest
from termkit import clean_env, roundtable


def test_a_closed_pipe_after_the_first_line_is_not_an_error(seed_db, tmp_path):
    for command in (["show", "meeting:roundtable"], ["list", "person"], ["corroboration"]):
        piped = subprocess.run(
            f"{subprocess.list2cmdline([*roundtable(), '--db', str(seed_db), *command])}"
            " | head -1; exit ${PIPESTATUS[0]}",
            shell=True,
            executable="/bin/bash",
            env=clean_env(tmp_path),
            capture_output=True,
            timeout=60,
            check=False,
        )
        assert piped.returncode == 0, (command, piped.stderr)
        assert piped.stderr == b""


def test_at_80_columns_the_ref_goes_before_the_data(cli, seed_db, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    out = cli("--db", str(seed_db), "list", "commitment").out
    header = next(line for line in out.splitlines() if "Title" in line)
    assert "Status" in header and "Parties" in header
    assert "Ref" not in header
    assert "not shown at this width" in out and "Ref" in out.splitlines()[-1]
    monkeypatch.setenv("COLUMNS", "300")
    wide = cli("--db", str(seed_db), "list", "commitment").out
    assert "Ref" in next(line for line in wide.splitlines() if "Title" in line)


def test_where_takes_the_label_the_explorer_shows(cli, seed_db):
    by_value = cli(
        "--db",
        str(seed_db),
        "export",
        "commitment",
        "--where",
        "category=national_target",
        "--format",
        "json",
    ).json()
    by_label = cli(
        "--db",
        str(seed_db),
        "export",
        "commitment",
        "--where",
        "category=national target",
        "--format",
        "json",
    ).json()
    assert by_value and by_label == by_value


def test_where_with_an_unknown_value_lists_the_valid_ones(cli, seed_db):
    result = cli("--db", str(seed_db), "export", "commitment", "--where", "category=nope")
    assert result.code == 2
    assert result.out == ""
    line = result.err.strip()
    assert "\n" not in line
    assert "no commitment has that category" in line and "national target" in line


@pytest.mark.parametrize("word", ["commitments", "Commitments", "COMMITMENT"])
def test_a_kind_is_named_by_its_plural_or_its_panes_title_too(cli, seed_db, word):
    """`list commitments`, as the pane is named, lists what `list commitment` lists."""
    assert cli("--db", str(seed_db), "list", word, "--json").json() == (
        cli("--db", str(seed_db), "list", "commitment", "--json").json()
    )


def test_the_companies_and_sources_panes_name_their_kinds(cli, seed_db):
    companies = cli("--db", str(seed_db), "list", "companies", "--json").json()
    assert companies and all(row["ref"].startswith("organization:") for row in companies)
    header = cli("--db", str(seed_db), "export", "sources").out.splitlines()[0]
    assert header == cli("--db", str(seed_db), "export", "article").out.splitlines()[0]


def test_list_filters_as_export_does(cli, seed_db):
    """`list --where` takes the label the explorer shows and lists only those rows, as
    `export --where` exports them; an unknown value is an error, not an empty table."""
    every = cli("--db", str(seed_db), "list", "commitment", "--json").json()
    targets = cli(
        "--db", str(seed_db), "list", "commitment", "--where", "category=national target", "--json"
    ).json()
    assert targets and len(targets) < len(every)
    assert {row["category"] for row in targets} == {"national_target"}
    exported = cli(
        "--db", str(seed_db), "export", "commitment", "--where", "category=national target",
        "--format", "json",
    ).json()  # fmt: skip
    assert [row["ref"] for row in targets] == [row["ref"] for row in exported]
    wrong = cli("--db", str(seed_db), "list", "commitment", "--where", "category=nope")
    assert wrong.code == 2 and wrong.out == ""
    assert "no commitment has that category" in wrong.err and "national target" in wrong.err


def test_list_text_keeps_the_rows_that_contain_it(cli, seed_db):
    """`--text`: the rows whose name or quotes contain it (a quote can name someone else)."""
    every = cli("--db", str(seed_db), "list", "person", "--json").json()
    people = cli("--db", str(seed_db), "list", "person", "--text", "tokayev", "--json").json()
    assert "Kassym-Jomart Tokayev" in [row["name"] for row in people]
    assert 0 < len(people) < len(every)


def test_where_takes_a_facet_in_any_case_and_a_party_by_its_alias(cli, seed_db, seed_conn):
    """`--where Party=aiib`: the facet as the explorer's header writes it, the party by the
    alias the articles use, as `party=organization:aiib` would."""
    (alias,) = seed_conn.execute(
        "SELECT alias FROM aliases WHERE entity_ref = 'organization:aiib'"
    ).fetchone()
    by_ref = cli(
        "--db", str(seed_db), "list", "commitment", "--where", "party=organization:aiib", "--json"
    ).json()
    by_alias = cli(
        "--db", str(seed_db), "list", "commitment", "--where", f"Party={alias.lower()}", "--json"
    ).json()
    assert by_ref and by_alias == by_ref


def test_an_export_of_one_row_says_one_row(cli, seed_db, tmp_path):
    target = tmp_path / "one.csv"
    result = cli(
        "--db", str(seed_db), "export", "commitment", "--where", "category=decision",
        "-o", str(target),
    )  # fmt: skip
    assert result.code == 0
    assert result.err == f"Wrote 1 row to {target}\n"


def test_totals_at_80_columns_keep_every_count(cli, seed_db, monkeypatch):
    """The `n` column (commitments behind each total) is never squeezed away: the bar gives."""
    monkeypatch.setenv("COLUMNS", "80")
    out = cli("--db", str(seed_db), "totals").out
    lines = out.splitlines()
    assert all(len(line) <= 80 for line in lines)
    header = next(line for line in lines if "Amount" in line and "Total" in line)
    assert header.rstrip("┃ ").endswith("n")
    citic = next(line for line in lines if line.startswith("│ CITIC Group"))
    assert citic.split("│")[-2].strip().isdigit()


def test_search_at_80_columns_drops_the_ref_first(cli, seed_db, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    out = cli("--db", str(seed_db), "search", "copper").out
    header = next(line for line in out.splitlines() if "Snippet" in line)
    assert "Name" in header and "Ref" not in header
    assert "Copper smelter in Kazakhstan" in out  # a name on one line, not wrapped
    assert out.splitlines()[-1].endswith("not shown at this width: Ref (see --json)")
    monkeypatch.setenv("COLUMNS", "200")
    wide = cli("--db", str(seed_db), "search", "copper").out
    assert "Ref" in next(line for line in wide.splitlines() if "Snippet" in line)


def test_corroboration_at_80_columns_shows_what_each_article_states(cli, seed_db, monkeypatch):
    """What differs is the point of the table: at 80 columns its columns narrow (with "…")
    before the states or the article would be left out."""
    monkeypatch.setenv("COLUMNS", "80")
    out = cli("--db", str(seed_db), "corroboration").out
    lines = out.splitlines()
    header = next(line for line in lines if "Agreement" in line)
    assert all(word in header for word in ("Name", "Property", "States", "Article"))
    assert all(len(line) <= 80 for line in lines)
    assert "NFC (partner)" in out
