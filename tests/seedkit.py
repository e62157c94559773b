"""Build small corpus folders in tests: a valid mini corpus that tests then break or poison.

The corpus has the bundled corpus's form (see seed/README.md): `entities.yaml` (identity
only), `articles/mini.txt` (verbatim) and `facts/mini.yaml` (the article's metadata and every
statement it makes, grouped by subject). `mini_seed` returns that content as data, so a test
can change a statement, a name or the article before `write_seed` writes it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

ARTICLE = (
    "ALMATY, Kazakhstan – Acme Energy and the Steppe Bank signed an agreement worth $2 billion "
    "on May 3. Acme Energy chairman Ivan Petrov met President Aigerim Nurlanova in Almaty.\n"
    "The agreement covers projects in Kazakhstan. "
    "Trade between Kazakhstan and its neighbours reached $5 billion in 2022.\n"
)
ARTICLE_ID = "mini"
ENTITIES = "entities.yaml"
FACTS = f"facts/{ARTICLE_ID}.yaml"
ARTICLE_FILE = f"articles/{ARTICLE_ID}.txt"
# Every file of the mini corpus, relative to its folder.
FILES = [ENTITIES, ARTICLE_FILE, FACTS]


def mini_seed(article: str = ARTICLE) -> dict[str, Any]:
    """The content of a tiny valid corpus; `write_seed` turns it into files.

    `entities`: kind -> id -> name; `article`: the facts file's metadata; `article_text`;
    `statements`: subject -> the items of the facts file (properties, `role`, `quote`)."""
    return {
        "entities": {
            "place": {"kazakhstan": "Kazakhstan", "almaty": "Almaty"},
            "organization": {"acme-energy": "Acme Energy", "steppe-bank": "Steppe Bank"},
            "person": {"ivan-petrov": "Ivan Petrov", "aigerim-nurlanova": "Aigerim Nurlanova"},
            "meeting": {"almaty-meeting": "Petrov meets Nurlanova"},
            "commitment": {"acme-steppe-agreement": "Acme–Steppe agreement"},
            "indicator": {"trade-2022": "Trade 2022"},
        },
        "article": {
            "id": ARTICLE_ID,
            "file": ARTICLE_FILE,
            "date": "2023-05-03",
            "date_precision": "day",
            "dateline": "ALMATY",
            "place": "almaty",
        },
        "article_text": article,
        "statements": {
            "place:kazakhstan": [
                {"place_type": "country", "quote": "Trade between Kazakhstan and its neighbours"}
            ],
            "place:almaty": [
                {"place_type": "city", "within": "place:kazakhstan", "quote": "ALMATY, Kazakhstan"}
            ],
            "organization:acme-energy": [
                {"org_type": "company", "quote": "Acme Energy and the Steppe Bank"}
            ],
            "organization:steppe-bank": [{"org_type": "bank", "quote": "the Steppe Bank signed"}],
            "person:ivan-petrov": [
                {"quote": "Ivan Petrov"},
                {
                    "position": "organization:acme-energy",
                    "role": "chairman",
                    "quote": "Acme Energy chairman Ivan Petrov",
                },
            ],
            "person:aigerim-nurlanova": [{"quote": "President Aigerim Nurlanova"}],
            "meeting:almaty-meeting": [
                {
                    "meeting_type": "bilateral",
                    "place": "place:almaty",
                    "quote": "met President Aigerim Nurlanova in Almaty",
                },
                {
                    "participant": "person:ivan-petrov",
                    "role": "participant",
                    "quote": "Ivan Petrov met President Aigerim Nurlanova",
                },
                {
                    "participant": "person:aigerim-nurlanova",
                    "role": "participant",
                    "quote": "met President Aigerim Nurlanova",
                },
            ],
            "commitment:acme-steppe-agreement": [
                {
                    "category": "agreement",
                    "status": "signed",
                    "amount": 2000000000,
                    "currency": "USD",
                    "date": "2023-05-03",
                    "date_precision": "day",
                    "quote": "signed an agreement worth $2 billion on May 3",
                },
                {
                    "party": "organization:acme-energy",
                    "role": "signatory",
                    "quote": "Acme Energy and the Steppe Bank signed",
                },
                {
                    "party": "organization:steppe-bank",
                    "role": "signatory",
                    "quote": "the Steppe Bank signed",
                },
                {
                    "place": "place:kazakhstan",
                    "role": "country",
                    "quote": "The agreement covers projects in Kazakhstan",
                },
            ],
            "indicator:trade-2022": [
                {
                    "metric": "bilateral trade",
                    "value": 5000000000,
                    "currency": "USD",
                    "period": "2022",
                    "subject": "place:kazakhstan",
                    "quote": (
                        "Trade between Kazakhstan and its neighbours reached $5 billion in 2022."
                    ),
                }
            ],
        },
    }


def add_entity(data: dict[str, Any], ref: str, name: str, *items: dict[str, Any]) -> None:
    """Give `data` one more entity: its name in entities.yaml and its statements."""
    kind, _, slug = ref.partition(":")
    data["entities"].setdefault(kind, {})[slug] = name
    data["statements"].setdefault(ref, []).extend(items)


def dump(value: Any) -> str:
    """YAML as the tests write it: block style, keys in the order given, long lines whole."""
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=1_000_000)


def write_seed(folder: Path, data: dict[str, Any] | None = None) -> Path:
    """Write `data` (default: `mini_seed()`) as a corpus folder and return it. Articles listed
    under `more` (each with its `article`, `article_text` and `statements`) are written too."""
    data = data if data is not None else mini_seed()
    (folder / "articles").mkdir(parents=True, exist_ok=True)
    (folder / "facts").mkdir(exist_ok=True)
    (folder / ENTITIES).write_text(dump(data["entities"]), encoding="utf-8")
    for one in [data, *data.get("more", [])]:
        (folder / one["article"]["file"]).write_text(one["article_text"], encoding="utf-8")
        facts = {"article": one["article"], "statements": one["statements"]}
        path = folder / "facts" / f"{one['article']['id']}.yaml"
        path.write_text(dump(facts), encoding="utf-8")
    return folder


def build_broken(
    tmp_path: Path, cli: Callable[..., Any], mutate: Callable[[Path], object]
) -> tuple[Any, bytes, bytes]:
    """Build a good database, break the corpus with `mutate`, rebuild; return the rebuild's
    result and the database's bytes before and after it."""
    seed = write_seed(tmp_path / "seed")
    db = tmp_path / "kept.db"
    assert cli("--db", str(db), "build", "--seed", str(seed)).code == 0
    before = db.read_bytes()
    mutate(seed)
    result = cli("--db", str(db), "build", "--seed", str(seed))
    return result, before, db.read_bytes()
