"""Hostile seed files: each fails the build with one line naming file, line and problem, exit 2,
without hanging or crashing, and leaves the previous database as it was. Line ends and a
byte-order mark in an article are normalised instead."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from seedkit import ARTICLE, build_broken, mini_seed, write_seed

from tui.data import seedfiles
from tui.data.seedfiles import LIMITS, Limits, read_yaml
from tui.errors import SeedError

FACTS = "facts/mini.yaml"
ENTITIES = "entities.yaml"


def _sub(name: str, old: str, new: str) -> Callable[[Path], None]:
    """Replace `old` (which must be there) by `new` in corpus file `name`, as raw UTF-8 text."""

    def mutate(seed: Path) -> None:
        path = seed / name
        text = path.read_text(encoding="utf-8")
        assert old in text, (old, text)
        path.write_bytes(text.replace(old, new, 1).encode("utf-8", "surrogatepass"))

    return mutate


def _laughs(levels: int = 9, width: int = 9) -> str:
    """A billion-laughs list in flow style: each level names the previous one `width` times."""
    parts = ["&l0 [" + ", ".join(["lol"] * width) + "]"]
    for n in range(1, levels):
        parts.append(f"&l{n} [" + ", ".join([f"*l{n - 1}"] * width) + "]")
    return "[" + ", ".join(parts) + "]"


# The mini corpus's facts file (tests/seedkit.py), at the lines the cases name:
QUOTE = "    quote: Acme Energy and the Steppe Bank\n"  # line 18, in the item of line 17
ORG_TYPE = "  - org_type: company\n"  # line 17
BANK = "  - org_type: bank\n"  # line 20
AMOUNT = "    amount: 2000000000\n"  # line 42, in the commitment's item of line 40
DATE = "    date: '2023-05-03'\n"  # line 44
ACME = "  acme-energy: Acme Energy\n"  # entities.yaml, line 5
STEPPE = "  steppe-bank: Steppe Bank\n"  # entities.yaml, line 6

# case: (mutate, "file:line", problem)
CASES: dict[str, tuple[Callable[[Path], None], str, str]] = {
    "billion laughs in a statement": (
        _sub(FACTS, QUOTE, QUOTE + f"    alias: {_laughs()}\n"),
        f"{FACTS}:19:",
        "aliases are expanded",
    ),
    "alias inside what it names": (
        _sub(FACTS, QUOTE, QUOTE + "    alias: &me [*me]\n"),
        f"{FACTS}:19:",
        "alias *me is inside the value it names",
    ),
    "nested 10,000 levels": (
        _sub(FACTS, ORG_TYPE, "  - org_type: " + "[" * 10_000 + "]" * 10_000 + "\n"),
        f"{FACTS}:17:",
        "invalid YAML: ",  # libyaml stops at its own depth limit; PyYAML's parser at ours
    ),
    "nested 10,000 levels in block style": (
        _sub(ENTITIES, ACME, "  acme-energy:\n  " + "- " * 10_000 + "deep\n"),
        f"{ENTITIES}:6:",
        "nested deeper than 64 levels",
    ),
    "lone surrogate escape": (
        _sub(ENTITIES, ACME, '  acme-energy: "Acme \\ud800 Energy"\n'),
        f"{ENTITIES}:5:",
        "invalid YAML: ",  # libyaml refuses the escape; PyYAML's parser leaves it to us
    ),
    "integer beyond 64 bits": (
        _sub(FACTS, AMOUNT, "    amount: 99999999999999999999\n"),
        f"{FACTS}:42:",
        "beyond 64 bits",
    ),
    "integer of 5,000 digits": (
        _sub(FACTS, AMOUNT, "    amount: " + "9" * 5000 + "\n"),
        f"{FACTS}:42:",
        "beyond 64 bits",
    ),
    "amount .inf": (
        _sub(FACTS, AMOUNT, "    amount: .inf\n"),
        f"{FACTS}:42:",
        ".inf is not a finite number",
    ),
    "amount -.inf": (
        _sub(FACTS, AMOUNT, "    amount: -.inf\n"),
        f"{FACTS}:42:",
        "-.inf is not a finite number",
    ),
    "amount overflowing to infinity": (
        _sub(FACTS, AMOUNT, "    amount: 1.0e+999\n"),
        f"{FACTS}:42:",
        "1.0e+999 is not a finite number",
    ),
    "amount .nan": (
        _sub(FACTS, AMOUNT, "    amount: .nan\n"),
        f"{FACTS}:42:",
        ".nan is not a finite number",
    ),
    "month 13, day 45": (
        _sub(FACTS, DATE, "    date: '2023-13-45'\n"),
        f"{FACTS}:40:",
        "date '2023-13-45' is not a date in the calendar",
    ),
    "year zero": (
        _sub(FACTS, DATE, "    date: '0000-00-00'\n"),
        f"{FACTS}:40:",
        "date '0000-00-00' is not a date in the calendar",
    ),
    "February 30": (
        _sub(FACTS, DATE, "    date: '2023-02-30'\n"),
        f"{FACTS}:40:",
        "is not a date in the calendar",
    ),
    "a month where the precision says day": (
        _sub(FACTS, DATE, "    date: '2023-05'\n"),
        f"{FACTS}:40:",
        "date: '2023-05' is not a day (YYYY-MM-DD)",
    ),
    "a day where the precision says year": (
        _sub(FACTS, "  date_precision: day\n", "  date_precision: year\n"),
        f"{FACTS}:2:",
        "date '2023-05-03' does not match date_precision 'year'",
    ),
    "a date with a trailing newline": (
        _sub(FACTS, DATE, '    date: "2023-05-03\\n"\n'),
        f"{FACTS}:40:",
        "is not YYYY, YYYY-MM or YYYY-MM-DD",
    ),
    "a date in other digits": (
        _sub(FACTS, DATE, "    date: '٢٠٢٣-05-03'\n"),
        f"{FACTS}:40:",
        "is not YYYY, YYYY-MM or YYYY-MM-DD",
    ),
    "a statement with a value its property refuses": (
        _sub(FACTS, ORG_TYPE, "  - org_type: pirate\n"),
        f"{FACTS}:17:",
        "org_type 'pirate' is not one of",
    ),
    "raw ESC in YAML": (
        _sub(ENTITIES, ACME, "  acme-energy: Acme\x1b[31m Energy\n"),
        f"{ENTITIES}:5:",
        "raw control character U+001B",
    ),
    "raw C1 CSI in YAML": (
        _sub(FACTS, QUOTE, "    quote: Acme Energy\x9b2J and the Steppe Bank\n"),
        f"{FACTS}:18:",
        "raw control character U+009B",
    ),
    "raw NEL in YAML": (
        _sub(ENTITIES, STEPPE, "  steppe-bank: Steppe\x85Bank\n"),
        f"{ENTITIES}:6:",
        "raw control character U+0085",
    ),
    "a statement that is a bare string": (
        _sub(FACTS, BANK, "  - just some words\n" + BANK),
        f"{FACTS}:20:",
        "each statement must be a mapping, found str",
    ),
    "a statement that is a list": (
        _sub(FACTS, BANK, "  - [a, b]\n" + BANK),
        f"{FACTS}:20:",
        "each statement must be a mapping, found list",
    ),
    "an unhashable key twice": (
        _sub(FACTS, ORG_TYPE, ORG_TYPE + "    ? [a]\n    : 1\n    ? [a]\n    : 2\n"),
        f"{FACTS}:",
        "invalid YAML",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_seed_fails_with_one_line_and_keeps_database(tmp_path, cli, case):
    mutate, where, problem = CASES[case]
    result, before, after = build_broken(tmp_path, cli, mutate)
    lines = result.err.strip().splitlines()
    assert (result.code, len(lines)) == (2, 1), result.err
    assert where in lines[0] and problem in lines[0], lines[0]
    assert after == before


def _loop(name: str) -> Callable[[Path], None]:
    def mutate(seed: Path) -> None:
        (seed / name).unlink()
        (seed / name).symlink_to(seed / name)

    return mutate


def _replace_with(name: str, make: Callable[[Path], None]) -> Callable[[Path], None]:
    def mutate(seed: Path) -> None:
        (seed / name).unlink()
        make(seed / name)

    return mutate


FILE_CASES = {
    "article that is a symlink loop": (_loop("articles/mini.txt"), "articles/mini.txt", "loop"),
    "facts file that is a symlink loop": (
        _loop(FACTS),
        FACTS,
        "cannot read file (Too many levels of symbolic links)",
    ),
    "entities file that is a symlink loop": (
        _loop(ENTITIES),
        ENTITIES,
        "cannot read file (Too many levels of symbolic links)",
    ),
    "facts file that is a folder": (_replace_with(FACTS, Path.mkdir), FACTS, "not a regular file"),
    "entities file that is a folder": (
        _replace_with(ENTITIES, Path.mkdir),
        ENTITIES,
        "not a regular file",
    ),
    "article over the size limit": (
        lambda seed: (seed / "articles" / "mini.txt").write_bytes(b"x" * (LIMITS.max_bytes + 1)),
        "articles/mini.txt",
        "file is larger than 4 MiB",
    ),
    "article that is a folder": (
        _replace_with("articles/mini.txt", Path.mkdir),
        "articles/mini.txt",
        "not a regular file (a folder)",
    ),
}


@pytest.mark.parametrize("case", sorted(FILE_CASES))
def test_unreadable_seed_file_fails_with_one_line(tmp_path, cli, case):
    mutate, file_named, problem = FILE_CASES[case]
    result, before, after = build_broken(tmp_path, cli, mutate)
    lines = result.err.strip().splitlines()
    assert (result.code, len(lines)) == (2, 1), result.err
    assert f"{file_named}: " in lines[0] and problem in lines[0], lines[0]
    assert after == before


@pytest.mark.parametrize("name", ["articles/mini.txt", FACTS, ENTITIES])
def test_fifo_in_the_seed_is_refused_without_blocking(tmp_path, cli, name):
    """A FIFO with no writer would block a plain read for ever. The build runs in a child process
    so that, if it did block, the test fails at the guard instead of hanging the suite."""
    seed = write_seed(tmp_path / "seed")
    db = tmp_path / "kept.db"
    assert cli("--db", str(db), "build", "--seed", str(seed)).code == 0
    before = db.read_bytes()
    (seed / name).unlink()
    os.mkfifo(seed / name)
    command = [sys.executable, "-m", "tui", "--db", str(db), "build", "--seed", str(seed)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the build blocked on the FIFO {name}")
    lines = done.stderr.strip().splitlines()
    assert (done.returncode, len(lines)) == (2, 1), done.stderr
    assert f"{name}: not a regular file (a FIFO)" in lines[0]
    assert db.read_bytes() == before


def _built(tmp_path: Path, cli, data: dict, article: bytes) -> sqlite3.Connection:
    seed = write_seed(tmp_path / "seed", data)
    (seed / "articles" / "mini.txt").write_bytes(article)
    db = tmp_path / "out.db"
    result = cli("--db", str(db), "build", "--seed", str(seed))
    assert result.code == 0, result.err
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    return conn


def _assert_quotes_hold(conn: sqlite3.Connection) -> None:
    body = conn.execute("SELECT body FROM articles").fetchone()["body"]
    quotes = conn.execute("SELECT start, end, text FROM quotes").fetchall()
    assert quotes
    for quote in quotes:
        assert body[quote["start"] : quote["end"]] == quote["text"]


def test_crlf_article_reads_as_lines_with_quotes_and_offsets_intact(tmp_path, cli):
    data = mini_seed()
    # A quote across a line break, as YAML gives it: with "\n", whatever the file has.
    data["statements"]["place:kazakhstan"][0]["quote"] = "on May 3.\nAcme Energy"
    article = ARTICLE.replace("on May 3. Acme", "on May 3.\nAcme").replace("\n", "\r\n")
    conn = _built(tmp_path, cli, data, article.encode("utf-8"))
    body = conn.execute("SELECT body FROM articles").fetchone()["body"]
    assert "\r" not in body
    assert body == article.replace("\r\n", "\n")
    _assert_quotes_hold(conn)


def test_crlf_article_matches_a_quote_written_with_crlf(tmp_path, cli):
    data = mini_seed()
    data["statements"]["place:kazakhstan"][0]["quote"] = "in Almaty.\r\nThe agreement"
    conn = _built(tmp_path, cli, data, ARTICLE.replace("\n", "\r\n").encode("utf-8"))
    _assert_quotes_hold(conn)


def test_byte_order_mark_is_dropped_from_body_and_name(tmp_path, cli):
    data = mini_seed()
    data["article"].pop("dateline")  # the name then comes from the article's first words
    raw = "\ufeff".encode() + ARTICLE.encode("utf-8")
    conn = _built(tmp_path, cli, data, raw)
    body = conn.execute("SELECT body, sha256 FROM articles").fetchone()
    assert body["body"] == ARTICLE
    names = [row[0] for row in conn.execute("SELECT name FROM entities WHERE kind = 'article'")]
    assert names and not any("\ufeff" in name for name in names)
    _assert_quotes_hold(conn)


@pytest.mark.parametrize("name", [FACTS, ENTITIES])
def test_byte_order_mark_in_yaml_is_not_part_of_the_first_key(tmp_path, cli, name):
    seed = write_seed(tmp_path / "seed")
    path = seed / name
    path.write_bytes("\ufeff".encode() + path.read_bytes())
    assert cli("--db", str(tmp_path / "x.db"), "build", "--seed", str(seed)).code == 0


def test_json_never_carries_infinity_from_the_seed(tmp_path, cli):
    """`.inf` used to build; `totals --json` then wrote `Infinity`, which is not JSON."""
    result, _, _ = build_broken(tmp_path, cli, _sub(FACTS, AMOUNT, "    amount: .inf\n"))
    assert result.code == 2
    totals = cli("--db", str(tmp_path / "kept.db"), "totals", "--json")
    assert totals.code == 0, totals.err
    json.loads(totals.out, parse_constant=lambda name: pytest.fail(f"{name} in JSON"))


# The bounded reader on its own, as other loaders will use it, with either parser.


@pytest.fixture(params=["libyaml", "python"])
def parser(request, monkeypatch):
    if request.param == "python":
        monkeypatch.setattr(seedfiles, "PARSER", yaml.SafeLoader)
    return request.param


def test_read_yaml_refuses_a_file_over_the_size_limit(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text("- " + "x" * 2000 + "\n", encoding="utf-8")
    with pytest.raises(SeedError, match=r"^big.yaml: file is larger than"):
        read_yaml(path, "big.yaml", limits=Limits(max_bytes=1024))


def _doc(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "doc.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_read_yaml_bounds_depth_and_alias_expansion(tmp_path, parser):
    path = _doc(tmp_path, "a: [[[1]]]\nb: &x [1, 2]\nc: [*x, *x, *x]\n")
    assert read_yaml(path, "doc.yaml") == {
        "a": [[[1]]], "b": [1, 2], "c": [[1, 2]] * 3, "__line__": 1,
    }  # fmt: skip
    with pytest.raises(SeedError, match=r"^doc.yaml:1: nested deeper than 3"):
        read_yaml(path, "doc.yaml", limits=Limits(max_depth=3))
    with pytest.raises(SeedError, match=r"^doc.yaml:3: .*more than 10 values"):
        read_yaml(path, "doc.yaml", limits=Limits(max_nodes=10))


READER_CASES = {  # case: (document, what the one line says after "doc.yaml:2: ")
    "deep": ("x: 1\ny: " + "[" * 5000 + "]" * 5000 + "\n", "nest"),
    "surrogate": ('x: 1\ny: "a \\ud800 b"\n', ""),
    "beyond Unicode": ('x: 1\ny: "\\U00110000"\n', ""),
    "tagged infinity": ("x: 1\ny: !!float 1e999\n", "is not a finite number"),
    "hex beyond 64 bits": ("x: 1\ny: 0x1" + "0" * 16 + "\n", "beyond 64 bits"),
    "sexagesimal beyond 64 bits": ("x: 1\ny: 1" + ":59" * 60 + "\n", "beyond 64 bits"),
}


@pytest.mark.parametrize("case", sorted(READER_CASES))
def test_read_yaml_refuses_with_the_line(tmp_path, parser, case):
    text, problem = READER_CASES[case]
    with pytest.raises(SeedError, match=r"^doc.yaml:2: ") as caught:
        read_yaml(_doc(tmp_path, text), "doc.yaml")
    assert problem in str(caught.value)


def test_python_parser_names_a_lone_surrogate(tmp_path, monkeypatch):
    monkeypatch.setattr(seedfiles, "PARSER", yaml.SafeLoader)
    with pytest.raises(SeedError, match=r"^doc.yaml:2: .*lone surrogate \\ud800"):
        read_yaml(_doc(tmp_path, 'x: 1\ny: "a \\ud800 b"\n'), "doc.yaml")
