"""Build small seed folders in tests: a valid mini corpus that tests then break or poison."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

ARTICLE = (
    "ALMATY – Acme Energy and the Steppe Bank signed an agreement worth $2 billion on May 3. "
    "Acme Energy chairman Ivan Petrov met President Aigerim Nurlanova in Almaty.\n"
    "Trade between the two countries reached $5 billion in 2022.\n"
)


def mini_seed(article: str = ARTICLE) -> dict[str, Any]:
    """The records of a tiny valid seed; `write_seed` turns them into files."""
    src = "mini"

    def s(quote: str) -> list[dict[str, str]]:
        return [{"article": src, "quote": quote}]

    return {
        "articles": [
            {
                "id": src,
                "file": "articles/mini.txt",
                "date": "2023-05-03",
                "date_precision": "day",
                "dateline": "ALMATY",
                "place": "almaty",
            }
        ],
        "article_text": article,
        "place": [
            {
                "id": "kazakhstan",
                "name": "Kazakhstan",
                "place_type": "country",
                "sources": s("between the two countries"),
            },
            {
                "id": "almaty",
                "name": "Almaty",
                "place_type": "city",
                "within": "kazakhstan",
                "sources": s("ALMATY"),
            },
        ],
        "organization": [
            {
                "id": "acme-energy",
                "name": "Acme Energy",
                "org_type": "company",
                "aliases": ["Acme"],
                "sources": s("Acme Energy and the Steppe Bank"),
            },
            {
                "id": "steppe-bank",
                "name": "Steppe Bank",
                "org_type": "bank",
                "sources": s("the Steppe Bank signed"),
            },
        ],
        "person": [
            {
                "id": "ivan-petrov",
                "name": "Ivan Petrov",
                "sources": s("Ivan Petrov"),
                "positions": [
                    {
                        "organization": "acme-energy",
                        "role": "chairman",
                        "sources": s("Acme Energy chairman Ivan Petrov"),
                    }
                ],
            },
            {
                "id": "aigerim-nurlanova",
                "name": "Aigerim Nurlanova",
                "sources": s("President Aigerim Nurlanova"),
            },
        ],
        "meeting": [
            {
                "id": "almaty-meeting",
                "name": "Petrov meets Nurlanova",
                "meeting_type": "bilateral",
                "place": "almaty",
                "sources": s("met President Aigerim Nurlanova in Almaty"),
                "participants": [
                    {
                        "entity": "person:ivan-petrov",
                        "role": "guest",
                        "sources": s("Ivan Petrov met President Aigerim Nurlanova"),
                    },
                    {
                        "entity": "person:aigerim-nurlanova",
                        "role": "host",
                        "sources": s("met President Aigerim Nurlanova"),
                    },
                ],
            },
        ],
        "commitment": [
            {
                "id": "acme-steppe-agreement",
                "name": "Acme–Steppe agreement",
                "category": "agreement",
                "status": "signed",
                "amount": 2000000000,
                "currency": "USD",
                "date": "2023-05-03",
                "date_precision": "day",
                "sources": s("signed an agreement worth $2 billion on May 3"),
                "parties": [
                    {
                        "entity": "organization:acme-energy",
                        "role": "signatory",
                        "sources": s("Acme Energy and the Steppe Bank signed"),
                    },
                    {
                        "entity": "organization:steppe-bank",
                        "role": "signatory",
                        "sources": s("the Steppe Bank signed"),
                    },
                ],
                "places": [
                    {
                        "place": "kazakhstan",
                        "role": "country",
                        "sources": s("between the two countries"),
                    }
                ],
            },
        ],
        "indicator": [
            {
                "id": "trade-2022",
                "name": "Trade 2022",
                "metric": "bilateral trade",
                "value": 5000000000,
                "currency": "USD",
                "period": "2022",
                "subject": "place:kazakhstan",
                "sources": s("Trade between the two countries reached $5 billion in 2022."),
            },
        ],
    }


FILES = {
    "place": "places.yaml",
    "organization": "organizations.yaml",
    "person": "people.yaml",
    "meeting": "meetings.yaml",
    "commitment": "commitments.yaml",
    "indicator": "indicators.yaml",
}


def write_seed(folder: Path, data: dict[str, Any] | None = None) -> Path:
    """Write `data` (default: `mini_seed()`) as a seed folder and return it."""
    data = data if data is not None else mini_seed()
    (folder / "articles").mkdir(parents=True, exist_ok=True)
    (folder / "extraction").mkdir(exist_ok=True)
    (folder / "articles" / "mini.txt").write_text(data["article_text"], encoding="utf-8")
    dump = lambda value: yaml.safe_dump(value, allow_unicode=True, sort_keys=False)  # noqa: E731
    (folder / "articles.yaml").write_text(dump(data["articles"]), encoding="utf-8")
    for kind, name in FILES.items():
        (folder / "extraction" / name).write_text(dump(data[kind]), encoding="utf-8")
    return folder


def build_broken(
    tmp_path: Path, cli: Callable[..., Any], mutate: Callable[[Path], object]
) -> tuple[Any, bytes, bytes]:
    """Build a good database, break the seed with `mutate`, rebuild; return the rebuild's result
    and the database's bytes before and after it."""
    seed = write_seed(tmp_path / "seed")
    db = tmp_path / "kept.db"
    assert cli("--db", str(db), "build", "--seed", str(seed)).code == 0
    before = db.read_bytes()
    mutate(seed)
    result = cli("--db", str(db), "build", "--seed", str(seed))
    return result, before, db.read_bytes()
