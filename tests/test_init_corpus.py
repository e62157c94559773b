"""`roundtable init` makes a corpus folder; `--corpus` (or ROUNDTABLE_CORPUS) reads it
everywhere, with its database inside it unless `--db` says otherwise."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tui import paths
from tui.cli.main import main

PARTS = ("entities.yaml", "articles", "facts")


def files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.fixture(autouse=True)
def no_environment(monkeypatch):
    monkeypatch.delenv("ROUNDTABLE_CORPUS", raising=False)
    monkeypatch.delenv("ROUNDTABLE_DB", raising=False)


def test_init_copies_the_bundled_articles_and_facts(tmp_path, capsys):
    target = tmp_path / "mine"
    assert main(["init", str(target)]) == 0
    assert f"roundtable --corpus {target}" in capsys.readouterr().out
    assert sorted(p.name for p in target.iterdir()) == sorted(PARTS)
    bundled = {k: v for k, v in files(paths.SEED_DIR).items() if k.startswith(PARTS)}
    assert files(target) == bundled
    assert [p.name for p in tmp_path.iterdir()] == ["mine"]  # nothing left beside


def test_init_refuses_a_folder_that_is_not_empty(tmp_path, capsys):
    target = tmp_path / "mine"
    target.mkdir()
    (target / "notes.txt").write_text("keep me")
    assert main(["init", str(target)]) == 2
    err = capsys.readouterr().err
    refused = "already exists and is not empty; init makes a new corpus folder"
    assert err == f"roundtable: {target}: {refused}\n"
    assert files(target) == {"notes.txt": b"keep me"}
    (tmp_path / "file").write_text("x")
    assert main(["init", str(tmp_path / "file")]) == 2
    assert "is not a folder" in capsys.readouterr().err


def test_init_fills_an_empty_folder(tmp_path):
    target = tmp_path / "mine"
    target.mkdir()
    assert main(["init", str(target), "--empty"]) == 0
    assert sorted(p.name for p in target.iterdir()) == sorted(PARTS)
    assert not any((target / "facts").iterdir()) and not any((target / "articles").iterdir())


def test_an_empty_corpus_builds_into_an_empty_database(tmp_path, capsys):
    target = tmp_path / "empty"
    assert main(["init", "--empty", str(target)]) == 0
    capsys.readouterr()
    assert main(["--corpus", str(target), "list", "organization", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert (target / "roundtable.db").is_file()
    assert main(["--corpus", str(target), "search", "kazakhstan", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_an_article_added_to_an_empty_corpus_is_found(tmp_path, capsys):
    """The way a corpus grows: init --empty, then one article's text, facts and names."""
    target = tmp_path / "growing"
    assert main(["init", "--empty", str(target)]) == 0
    assert main(["--corpus", str(target), "build", "--json"]) == 0
    capsys.readouterr()
    facts = sorted((paths.SEED_DIR / "facts").glob("*.yaml"))[0]
    shutil.copy(paths.SEED_DIR / "entities.yaml", target / "entities.yaml")
    shutil.copytree(paths.SEED_DIR / "articles", target / "articles", dirs_exist_ok=True)
    shutil.copy(facts, target / "facts" / facts.name)
    assert main(["--corpus", str(target), "build", "--json"]) == 0
    done = json.loads(capsys.readouterr().out)
    assert done["mode"] == "update" and done["articles"]["added"] == [facts.stem]
    assert done["counts"]["article"] == 1
    assert main(["--corpus", str(target), "show", f"article:{facts.stem}", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["ref"] == f"article:{facts.stem}"


def test_the_corpus_from_the_environment_and_its_database(tmp_path, monkeypatch, capsys):
    target = tmp_path / "mine"
    assert main(["init", str(target)]) == 0
    capsys.readouterr()
    monkeypatch.setenv("ROUNDTABLE_CORPUS", str(target))
    assert main(["list", "meeting", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)
    assert (target / "roundtable.db").is_file()
    elsewhere = tmp_path / "elsewhere.db"
    assert main(["--db", str(elsewhere), "list", "meeting", "--json"]) == 0
    assert elsewhere.is_file()  # --db names the corpus's database instead
    monkeypatch.setenv("ROUNDTABLE_DB", str(tmp_path / "env.db"))
    assert main(["list", "meeting", "--json"]) == 0
    assert (tmp_path / "env.db").is_file()  # from the environment too, beside the corpus
    assert main(["--corpus", str(target), "list", "meeting", "--json"]) == 0  # the flag wins


def test_a_missing_corpus_is_one_line(tmp_path, capsys):
    missing = tmp_path / "nowhere"
    assert main(["--corpus", str(missing), "list", "organization"]) == 2
    assert capsys.readouterr().err == f"roundtable: {missing}: corpus folder not found\n"
    assert not missing.exists()
