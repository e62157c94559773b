"""The article the add-and-review tests add, and a corpus of the user's own with it added."""

from __future__ import annotations

from pathlib import Path

from tui.cli.main import main

CITIC = (
    "ASTANA, June 3, 2024 – Kazakh President Kassym-Jomart Tokaev received Xi Guohua, "
    "Chairman of the Board of Directors of CITIC Group Corporation, at the Akorda.\n\n"
    "The sides discussed the construction of a copper smelter in the Abai Region. CITIC "
    "Group Corporation plans to invest $1.2 billion in the project, Xi Guohua said.\n\n"
    "Jiangxi Copper Company and KAZ Minerals signed an agreement on the supply of copper "
    "concentrate, the Head of State’s press service reported.\n"
)
CITIC_SHORT = "\n\n".join(p for p in CITIC.split("\n\n") if "smelter" not in p)  # (no smelter)
CITIC_ID = "citic"


def corpus_with(tmp_path: Path, text: str, capsys) -> Path:
    """`tmp_path/corpus`, made from the bundled one, with `text` added as article `citic`:
    its proposals wait for review, its database is built. What the commands printed is
    dropped."""
    folder = tmp_path / "corpus"
    article = tmp_path / f"{CITIC_ID}.txt"
    article.write_text(text, encoding="utf-8")
    assert main(["init", str(folder)]) == 0
    assert main(["--corpus", str(folder), "add", str(article)]) == 0
    capsys.readouterr()
    return folder
