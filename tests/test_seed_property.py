"""The attack's method, kept in the suite: generate hostile seed folders and build each one.

Whatever the files hold, the build either succeeds or fails with exit 2 and one line on stderr
(no traceback, no "internal error", no raw control character), and a failed build leaves the
previous database byte for byte. Examples are derandomized and bounded so CI runs the same
cases every time, in a few tens of seconds. (A FIFO is left to test_seed_hostile.py, which runs
that build in a child process: here a regression would hang instead of fail.)
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hostilekit import RAW_CONTROL
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from seedkit import ENTITIES, FACTS, FILES, write_seed

from tui.cli.main import main

SEED_FILES = FILES  # entities.yaml, the article, its facts file
YAML_FILES = [ENTITIES, FACTS]


def _laughs(levels: int, width: int) -> str:
    parts = ["&l0 [" + ", ".join(["lol"] * width) + "]"]
    parts += [f"&l{n} [" + ", ".join([f"*l{n - 1}"] * width) + "]" for n in range(1, levels)]
    return "[" + ", ".join(parts) + "]"


# Values the attack put where a field's value goes: each is valid or hostile YAML.
HOSTILE_VALUES = [
    ".inf", "-.inf", ".nan", ".NaN", "1.0e+999", "-1.0e+999", "!!float 1e999", "!!float nan",
    "9" * 20, "-" + "9" * 20, "9" * 5000, "0x" + "f" * 17, "0o" + "7" * 30, "1" + ":59" * 40,
    "9223372036854775807", "-9223372036854775808", "9223372036854775808",
    '"\\ud800"', '"a\\udfffb"', '"\\U00110000"', '"\\e[31mred"', '"\\x9b2J"', '"\\0"',
    '"\\u202eevil"', "&a [*a]", "&b {k: *b}", "*nowhere", "&x1 v", "[*x1, *x1]",
    "!!binary aGVsbG8=", "!!set {a, b}", "!!timestamp 2023-05-03", "!!omap [a: 1]",
    "!!python/object/apply:os.system ['true']", "!!str", "!nonsense x",
    "[" * 100 + "]" * 100, "{a: " * 100 + "1" + "}" * 100, "[" * 3000 + "]" * 3000,
    _laughs(9, 9), _laughs(30, 2), "'2023-13-45'", "'0000-00-00'", "'2023-02-29'", "'2024-02-29'",
    "'2023-05'", "'2023'", "2023", "'99999-01-01'", "'2023-05-03\\n'", "~", "", "[]", "{}", "yes",
    "'   '", "|\n    multi\n    line", ">-", "&", "*", "!", "'", '"', "[", "{", "? x", "- x",
    "<<: {a: 1}", "{<<: [*x1, *x1]}", "\ufeffbom", "\u2028", "\x85", "\x1b]0;t\x07", "\x9b",
    "\t", "\r", "%TAG ! x", "--- x", "...",
]  # fmt: skip
FIELDS = [
    "id", "name", "file", "date", "date_precision", "end_date", "amount", "value", "currency",
    "status", "category", "capacity_unit", "unit", "quote", "article", "statements", "alias",
    "sector", "party", "participant", "position", "related", "part_of", "announced_at",
    "may_include", "asserted_by", "relative", "occurrence", "place", "role", "within", "country",
    "subject", "counterpart", "description", "mention", "place:kazakhstan", "organization:x",
    "acme-energy", "__line__", "<<", "1", "[a]", "? [a]",
]  # fmt: skip
NUMERIC_FIELDS = [
    "amount", "capacity", "quantity", "target_value", "value", "document_count", "date",
    "date_precision",
]  # fmt: skip
HOSTILE_LINES = [
    "- just words", "- [a, b]", "- 1", "- ~", "- - - -", "---", "--- !!set", "...", "%YAML 1.1",
    "%YAML 9.9", "&top", "*top", "  - &r {quote: *r}", "\ufeffarticle: x", "statements: ~",
    "  - just words", "  - [a, b]", "  - ~", "  place:kazakhstan: ~", "  place:atlantis: []",
    "  organization:nobody:", "  - quote: ''", "  - quote: [a list]", "  - quote: ALMATY",
    "    status: maybe", "    amount: .inf", "    occurrence: 0", "    occurrence: 99",
    "    asserted_by: person:nobody", "    asserted_by: person:ivan-petrov",
    "    relative: yesterday", "    relative: tomorrow", "    role: chairman",
    "    alias: " + _laughs(9, 9), "    alias: Acme", "    within: place:almaty",
    "    party: organization:acme-energy", "    date_precision: target_year",
    "  nobody: Nobody", "widget:", "  x: ~",
]  # fmt: skip

value_text = st.one_of(st.sampled_from(HOSTILE_VALUES), st.text(max_size=30))
line_text = st.one_of(
    st.sampled_from(HOSTILE_LINES),
    st.builds(lambda k, v: f"  {k}: {v}", st.sampled_from(FIELDS), value_text),
    st.text(max_size=40),
)


# Mostly structured edits, which get past decoding and parsing to the checks behind them.
OPERATIONS = ["set-field"] * 6 + ["statement"] * 3 + ["set-value"] * 3 + ["insert-line"] * 3 + [
    "truncate", "bytes", "prefix", "crlf", "special",
]  # fmt: skip


@st.composite
def edits(draw: st.DrawFn) -> tuple[str, str, object]:
    """One change to one seed file: (file, operation, argument)."""
    name = draw(st.sampled_from(SEED_FILES))
    operation = draw(st.sampled_from(OPERATIONS))
    if operation in ("set-value", "set-field", "statement"):
        name = name if operation == "set-value" else draw(st.sampled_from(YAML_FILES))
        where = draw(st.integers(0, 60))
        field = draw(st.sampled_from(NUMERIC_FIELDS + FIELDS))
        return name, operation, (where, field, draw(value_text))
    if operation == "insert-line":
        return name, operation, (draw(st.integers(0, 60)), draw(line_text))
    if operation == "truncate":
        return name, operation, draw(st.integers(0, 2000))
    if operation == "bytes":
        return name, operation, draw(st.binary(max_size=64))
    if operation == "prefix":
        return name, operation, draw(st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\x00"]))
    if operation == "special":
        return name, operation, draw(st.sampled_from(["loop", "folder", "outside", "missing"]))
    return name, operation, None


_VALUE = re.compile(r"^(\s*(?:- )?[^:\n]+: ).*$")


def _apply(seed: Path, name: str, operation: str, argument: object) -> None:
    path = seed / name
    if path.is_symlink() or not path.is_file():
        return  # an earlier edit already made it special
    data = path.read_bytes()
    if operation in ("set-value", "set-field", "statement"):
        index, field, value = argument
        lines = data.decode("utf-8", "surrogateescape").split("\n")
        if operation == "set-value":
            at = index % len(lines)
            lines[at] = _VALUE.sub(lambda m: m.group(1) + value, lines[at]) or value
        else:
            _set_field(lines, operation, index, field, value)
        data = "\n".join(lines).encode("utf-8", "surrogatepass")
    elif operation == "insert-line":
        index, line = argument
        lines = data.decode("utf-8", "surrogateescape").split("\n")
        lines.insert(index % (len(lines) + 1), line)
        data = "\n".join(lines).encode("utf-8", "surrogatepass")
    elif operation == "truncate":
        data = data[: argument % (len(data) + 1)]
    elif operation == "bytes":
        data = argument
    elif operation == "prefix":
        data = argument + data
    elif operation == "crlf":
        data = data.replace(b"\n", b"\r\n")
    elif operation == "special":
        path.unlink()
        if argument == "loop":
            path.symlink_to(path)
        elif argument == "folder":
            path.mkdir()
        elif argument == "outside":
            path.symlink_to("/etc/hostname")
        return
    path.write_bytes(data)


def _set_field(lines: list[str], operation: str, index: int, field: str, value: str) -> None:
    """Give `field` the raw YAML `value`: where the field is (replacing its value), else in a
    statement or under a kind of entities.yaml; or, for `statement`, as one more property of a
    statement (a line after one of its quotes)."""
    if operation == "statement":
        quotes = [i for i, line in enumerate(lines) if re.match(r"\s*(- )?quote: ", line)]
        if quotes:
            lines.insert(quotes[index % len(quotes)] + 1, f"    {field}: {value}")
        return
    key = re.compile(rf"^(\s*(?:- )?{re.escape(field)}: ).*$")
    present = [i for i, line in enumerate(lines) if key.match(line)]
    if present:
        at = present[index % len(present)]
        lines[at] = key.sub(lambda m: m.group(1) + value, lines[at])
        return
    holders = [i for i, line in enumerate(lines) if line.startswith("  - ") or _KIND.match(line)]
    if holders:
        at = holders[index % len(holders)]
        indent = "    " if lines[at].startswith("  - ") else "  "
        lines.insert(at + 1, f"{indent}{field}: {value}")


_KIND = re.compile(r"^[a-z]+:$")  # a kind in entities.yaml (or `article:`, `statements:`)


@pytest.fixture(scope="module")
def workspace() -> Iterator[tuple[Path, Path, Path]]:
    """A folder, a pristine mini seed, and the database it builds."""
    folder = Path(tempfile.mkdtemp(prefix="seed-property-"))
    seed = write_seed(folder / "pristine")
    db = folder / "good.db"
    assert _build(db, seed)[0] == 0
    yield folder, seed, db
    shutil.rmtree(folder, ignore_errors=True)


def _build(db: Path, seed: Path) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["--db", str(db), "build", "--seed", str(seed)])
    return code, err.getvalue()


def _assert_json_views(db: Path) -> None:
    """What a seed that builds stores is fit for JSON: no Infinity or NaN in any view."""
    for view in (["totals"], ["list", "commitment"], ["list", "indicator"]):
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()) as err:
            code = main(["--db", str(db), *view, "--json"])
        assert code == 0, err.getvalue()
        json.loads(out.getvalue(), parse_constant=lambda name: pytest.fail(f"{name} in JSON"))


@settings(
    max_examples=150,
    deadline=None,  # no timing is asserted; a hang would show as a stuck test
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(changes=st.lists(edits(), min_size=1, max_size=4))
def test_any_hostile_seed_builds_or_fails_in_one_line(workspace, changes):
    folder, pristine, good_db = workspace
    good = good_db.read_bytes()
    case = Path(tempfile.mkdtemp(dir=folder))
    try:
        seed = case / "seed"
        shutil.copytree(pristine, seed)
        for change in changes:
            _apply(seed, *change)
        db = case / "kept.db"
        db.write_bytes(good)
        code, err = _build(db, seed)
        lines = err.strip().splitlines()
        assert "Traceback" not in err and "internal error" not in err, err
        assert not re.search(RAW_CONTROL, err), repr(err)
        if code == 0:
            assert lines == [], err
            _assert_json_views(db)
        else:
            assert (code, len(lines)) == (2, 1), err
            assert db.read_bytes() == good
    finally:
        shutil.rmtree(case, ignore_errors=True)
