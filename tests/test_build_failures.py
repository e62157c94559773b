"""Every way a seed can be wrong fails the build with one line naming file and problem, exit 2,
and leaves the previous database byte for byte as it was."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from seedkit import build_broken as _build_broken
from seedkit import mini_seed, write_seed

FACTS = "facts/mini.yaml"
ENTITIES = "entities.yaml"


def _edit(seed: Path, change, name: str = FACTS) -> None:
    """Load corpus file `name`, let `change` edit the data, and write it back."""
    path = seed / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _reencode(name: str, encoding: str):
    """Save corpus file `name` in another encoding, as an editor set to it would."""

    def mutate(seed: Path) -> None:
        path = seed / name
        path.write_bytes(path.read_text(encoding="utf-8").encode(encoding))

    return mutate


def _item(subject: str, index: int = 0, **values):
    """A change giving the `index`-th statement of `subject` these values."""

    def change(data):
        data["statements"][subject][index].update(values)

    return change


def _append(name: str, text: str):
    def mutate(seed: Path) -> None:
        with (seed / name).open("a", encoding="utf-8") as stream:
            stream.write(text)

    return mutate


def _second_facts_file(seed: Path) -> None:
    """A second article's facts file that names the first one's article file."""
    data = yaml.safe_load((seed / FACTS).read_text(encoding="utf-8"))
    data["article"]["id"] = "other"
    (seed / "facts" / "other.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")


CASES = {
    "quote not verbatim": (
        lambda seed: _edit(
            seed, _item("organization:acme-energy", quote="Acme Energy and Steppe Bank")
        ),
        FACTS,
        "quote not found verbatim",
    ),
    "unknown reference": (
        lambda seed: _edit(
            seed, _item("commitment:acme-steppe-agreement", 1, party="organization:nobody")
        ),
        FACTS,
        "'organization:nobody' is not in entities.yaml",
    ),
    "unknown place id": (
        lambda seed: _edit(seed, _item("place:almaty", within="place:atlantis")),
        FACTS,
        "'place:atlantis' is not in entities.yaml",
    ),
    "a reference to the wrong kind": (
        lambda seed: _edit(seed, _item("place:almaty", within="organization:acme-energy")),
        FACTS,
        "must name a place",
    ),
    "duplicate id": (
        _append(ENTITIES, "organization:\n  acme-energy: Acme Energy\n"),
        ENTITIES,
        "duplicate key 'organization'",
    ),
    "duplicate id within a kind": (
        lambda seed: (seed / ENTITIES).write_text(
            (seed / ENTITIES)
            .read_text(encoding="utf-8")
            .replace("  steppe-bank:", "  acme-energy: Acme Again\n  steppe-bank:"),
            encoding="utf-8",
        ),
        ENTITIES,
        "duplicate key 'acme-energy'",
    ),
    "one article file for two facts files": (
        _second_facts_file,
        "facts/other.yaml",
        "article file 'articles/mini.txt' is used twice",
    ),
    "bad enum": (
        lambda seed: _edit(seed, _item("commitment:acme-steppe-agreement", status="maybe")),
        FACTS,
        "status 'maybe' is not one of",
    ),
    "unknown field": (
        lambda seed: _edit(seed, _item("person:ivan-petrov", nickname="Vanya")),
        FACTS,
        "person has no property 'nickname'",
    ),
    "missing quote": (
        lambda seed: _edit(seed, lambda d: d["statements"]["place:kazakhstan"][0].pop("quote")),
        FACTS,
        "every statement needs a quote",
    ),
    "wrong type": (
        lambda seed: _edit(seed, _item("commitment:acme-steppe-agreement", amount="two billion")),
        FACTS,
        "field 'amount' must be int or float",
    ),
    "malformed yaml": (
        lambda seed: (seed / FACTS).write_text("article:\n  id: [unclosed\n", encoding="utf-8"),
        FACTS,
        "invalid YAML",
    ),
    "statements not a list": (
        lambda seed: _edit(
            seed, lambda d: d["statements"].update({"place:kazakhstan": {"place_type": "country"}})
        ),
        FACTS,
        "expected a list of statements",
    ),
    "entities not a mapping": (
        lambda seed: (seed / ENTITIES).write_text("- kazakhstan\n", encoding="utf-8"),
        ENTITIES,
        "expected a mapping of kind to {id: name}",
    ),
    "wrong encoding": (
        lambda seed: (seed / ENTITIES).write_bytes("person:\n  zhu: Zhù\n".encode("latin-1")),
        ENTITIES,
        "not valid UTF-8",
    ),
    "UTF-16 yaml": (_reencode(FACTS, "utf-16"), FACTS, "UTF-16"),
    "UTF-16 yaml without BOM": (_reencode(ENTITIES, "utf-16-le"), ENTITIES, "UTF-16"),
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
        lambda seed: (seed / FACTS).write_text("article:\n  id: a\n  id: b\n", encoding="utf-8"),
        FACTS,
        "duplicate key 'id'",
    ),
    "facts folder missing": (
        lambda seed: shutil.rmtree(seed / "facts"),
        "facts/",
        "folder not found",
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
        _edit(seed, _item("person:aigerim-nurlanova", country="place:atlantis"))

    result, _, _ = _build_broken(tmp_path, cli, mutate)
    path = tmp_path / "seed" / FACTS
    lines = path.read_text().splitlines()
    line = next(i for i, text in enumerate(lines, 1) if "person:aigerim-nurlanova:" in text) + 1
    assert lines[line - 1].startswith("  - ")  # the statement's first line
    assert f"{FACTS}:{line}:" in result.err


def test_failed_first_build_leaves_no_file(tmp_path, cli):
    data = mini_seed()
    data["statements"]["organization:acme-energy"][0]["quote"] = "words the article never says"
    seed = write_seed(tmp_path / "seed", data)
    db = tmp_path / "new.db"
    result = cli("--db", str(db), "build", "--seed", str(seed))
    assert result.code == 2
    assert not db.exists()
    assert not list(tmp_path.glob(".new.db.*"))  # no temporary file left behind


def test_missing_seed_folder(tmp_path, cli):
    result = cli("--db", str(tmp_path / "x.db"), "build", "--seed", str(tmp_path / "nope"))
    assert result.code == 2
    assert "nope: corpus folder not found" in result.err
