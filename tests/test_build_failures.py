"""Every way a seed can be wrong fails the build with one line naming file and problem, exit 2,
and leaves the previous database byte for byte as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from seedkit import build_broken as _build_broken
from seedkit import mini_seed, write_seed


def _edit(seed: Path, name: str, change) -> None:
    path = seed / "extraction" / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _reencode(name: str, encoding: str):
    """Save seed file `name` in another encoding, as an editor set to it would."""

    def mutate(seed: Path) -> None:
        path = seed / name
        path.write_bytes(path.read_text(encoding="utf-8").encode(encoding))

    return mutate


def _set(record_index: int, key: str, value):
    def change(data):
        data[record_index][key] = value

    return change


CASES = {
    "quote not verbatim": (
        lambda seed: _edit(
            seed,
            "organizations.yaml",
            lambda d: d[0]["sources"][0].update(quote="Acme Energy and Steppe Bank"),
        ),
        "organizations.yaml",
        "quote not found verbatim",
    ),
    "unknown reference": (
        lambda seed: _edit(
            seed,
            "commitments.yaml",
            lambda d: d[0]["parties"][0].update(entity="organization:nobody"),
        ),
        "commitments.yaml",
        "unknown organization 'nobody'",
    ),
    "unknown place id": (
        lambda seed: _edit(seed, "places.yaml", _set(1, "within", "atlantis")),
        "places.yaml",
        "unknown place 'atlantis'",
    ),
    "duplicate id": (
        lambda seed: _edit(seed, "organizations.yaml", _set(1, "id", "acme-energy")),
        "organizations.yaml",
        "duplicate organization id 'acme-energy'",
    ),
    "bad enum": (
        lambda seed: _edit(seed, "commitments.yaml", _set(0, "status", "maybe")),
        "commitments.yaml",
        "status 'maybe' is not one of",
    ),
    "unknown field": (
        lambda seed: _edit(seed, "people.yaml", _set(0, "nickname", "Vanya")),
        "people.yaml",
        "unknown field 'nickname'",
    ),
    "missing sources": (
        lambda seed: _edit(seed, "places.yaml", lambda d: d[0].pop("sources")),
        "places.yaml",
        "missing required field 'sources'",
    ),
    "wrong type": (
        lambda seed: _edit(seed, "commitments.yaml", _set(0, "amount", "two billion")),
        "commitments.yaml",
        "field 'amount' must be int or float",
    ),
    "malformed yaml": (
        lambda seed: (seed / "extraction" / "people.yaml").write_text(
            "- id: x\n  name: [unclosed\n", encoding="utf-8"
        ),
        "people.yaml",
        "invalid YAML",
    ),
    "not a list": (
        lambda seed: (seed / "extraction" / "places.yaml").write_text(
            "id: kazakhstan\n", encoding="utf-8"
        ),
        "places.yaml",
        "expected a list",
    ),
    "wrong encoding": (
        lambda seed: (seed / "extraction" / "people.yaml").write_bytes(
            "- id: zhu\n  name: Zhù\n".encode("latin-1")
        ),
        "people.yaml",
        "not valid UTF-8",
    ),
    "UTF-16 yaml": (_reencode("extraction/people.yaml", "utf-16"), "people.yaml", "UTF-16"),
    "UTF-16 yaml without BOM": (
        _reencode("extraction/people.yaml", "utf-16-le"),
        "people.yaml",
        "UTF-16",
    ),
    "UTF-16 article": (_reencode("articles/mini.txt", "utf-16"), "articles/mini.txt", "UTF-16"),
    "UTF-16 article without BOM": (  # decodes as "UTF-8": every quote would seem missing
        _reencode("articles/mini.txt", "utf-16-le"),
        "articles/mini.txt",
        "UTF-16",
    ),
    "Latin-1 article": (
        lambda seed: (seed / "articles" / "mini.txt").write_bytes(
            "Café Almaty. ".encode("latin-1")
        ),
        "articles/mini.txt",
        "not valid UTF-8",
    ),
    "article file missing": (
        lambda seed: (seed / "articles" / "mini.txt").unlink(),
        "articles/mini.txt",
        "file not found",
    ),
    "article not UTF-8": (
        lambda seed: (seed / "articles" / "mini.txt").write_bytes(b"\xff\xfe caf\xe9"),
        "articles/mini.txt",
        "not valid UTF-8",
    ),
    "duplicate yaml key": (
        lambda seed: (seed / "extraction" / "places.yaml").write_text(
            "- id: a\n  id: b\n", encoding="utf-8"
        ),
        "places.yaml",
        "duplicate key 'id'",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_seed_fails_with_one_line_and_keeps_database(tmp_path, cli, case):
    mutate, file_named, problem = CASES[case]
    result, before, after = _build_broken(tmp_path, cli, mutate)
    assert result.code == 2
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert file_named in lines[0] and problem in lines[0], lines[0]
    assert "Traceback" not in result.err
    assert after == before  # the previous database is untouched


def test_error_names_the_line(tmp_path, cli):
    def mutate(seed):
        _edit(seed, "people.yaml", _set(1, "country", "atlantis"))

    result, _, _ = _build_broken(tmp_path, cli, mutate)
    path = tmp_path / "seed" / "extraction" / "people.yaml"
    line = next(
        i
        for i, text in enumerate(path.read_text().splitlines(), 1)
        if "aigerim-nurlanova" in text and "id:" in text
    )
    assert f"people.yaml:{line}:" in result.err


def test_failed_first_build_leaves_no_file(tmp_path, cli):
    data = mini_seed()
    data["organization"][0]["sources"][0]["quote"] = "words the article never says"
    seed = write_seed(tmp_path / "seed", data)
    db = tmp_path / "new.db"
    result = cli("--db", str(db), "build", "--seed", str(seed))
    assert result.code == 2
    assert not db.exists()
    assert not list(tmp_path.glob(".new.db.*"))  # no temporary file left behind


def test_missing_seed_folder(tmp_path, cli):
    result = cli("--db", str(tmp_path / "x.db"), "build", "--seed", str(tmp_path / "nope"))
    assert result.code == 2
    assert "seed folder not found" in result.err
