"""Load and validate the seed: articles and the curated extraction (see seed/README.md).

Validation stops at the first problem with a `SeedError` naming file, line and problem. A seed
that loads is complete and consistent: ids unique, references resolved, every quote verbatim.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui.data.seedfiles import LINE, decode_text, read_bytes, read_yaml
from tui.data.vocabulary import (
    CATEGORIES,
    MEETING_TYPES,
    ORG_TYPES,
    PLACE_TYPES,
    PRECISIONS,
    STATUSES,
    Spec,
)
from tui.errors import SeedError
from tui.kinds import RECORD_KINDS

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")

TEXT = Spec()
NUMBER = Spec((int, float))
ALIASES = Spec(list)
SOURCES = Spec(list, required=True)
ROLE = Spec(required=True)

COMMON = {"id": Spec(required=True), "name": Spec(required=True), "description": TEXT,
          "aliases": ALIASES, "sources": SOURCES}  # fmt: skip

RECORD_SPECS: dict[str, dict[str, Spec]] = {
    "place": {**COMMON, "place_type": Spec(required=True, choices=PLACE_TYPES),
              "within": Spec(ref=("place",))},
    "organization": {**COMMON, "org_type": Spec(required=True, choices=ORG_TYPES),
                     "country": Spec(ref=("place",))},
    "person": {**COMMON, "country": Spec(ref=("place",)), "positions": Spec(list)},
    "meeting": {**COMMON, "meeting_type": Spec(required=True, choices=MEETING_TYPES),
                "date": Spec(date=True), "date_precision": Spec(choices=PRECISIONS[:3]),
                "place": Spec(ref=("place",)), "part_of": Spec(ref=("meeting",)),
                "topics": TEXT, "participants": Spec(list)},
    "commitment": {**COMMON, "category": Spec(required=True, choices=CATEGORIES),
                   "status": Spec(required=True, choices=STATUSES), "sector": TEXT,
                   "amount": NUMBER, "amount_qualifier": TEXT, "currency": TEXT,
                   "document_count": Spec(int), "capacity": NUMBER, "capacity_unit": TEXT,
                   "capacity_qualifier": TEXT, "quantity": NUMBER, "quantity_unit": TEXT,
                   "target_value": NUMBER, "target_unit": TEXT, "date": Spec(date=True),
                   "date_precision": Spec(choices=PRECISIONS),
                   "announced_at": Spec(ref=("meeting",)),
                   "parties": Spec(list), "places": Spec(list)},
    "indicator": {**COMMON, "metric": Spec(required=True), "value": NUMBER,
                  "value_qualifier": TEXT, "unit": TEXT, "currency": TEXT, "period": TEXT,
                  "subject": Spec(any_ref=True), "counterpart": Spec(any_ref=True)},
}  # fmt: skip

ARTICLE_SPEC = {
    "id": Spec(required=True), "file": Spec(required=True), "title": TEXT,
    "date": Spec(required=True, date=True),
    "date_precision": Spec(required=True, choices=PRECISIONS[:3]),
    "dateline": TEXT, "place": Spec(ref=("place",)),
}  # fmt: skip

# Sub-records: list field -> (spec of each item, the item key that holds its target).
LINK_SPECS: dict[str, dict[str, Spec]] = {
    "positions": {"organization": Spec(required=True, ref=("organization", "place")),
                  "role": ROLE, "sources": SOURCES},
    "participants": {"entity": Spec(required=True, any_ref=True), "role": ROLE, "sources": SOURCES},
    "parties": {"entity": Spec(required=True, any_ref=True), "role": ROLE, "sources": SOURCES},
    "places": {"place": Spec(required=True, ref=("place",)), "role": ROLE, "sources": SOURCES},
}  # fmt: skip
SOURCE_SPEC = {"article": Spec(required=True), "quote": Spec(required=True), "states": Spec(dict)}

KIND_FILES = {
    "place": "places.yaml", "organization": "organizations.yaml", "person": "people.yaml",
    "meeting": "meetings.yaml", "commitment": "commitments.yaml", "indicator": "indicators.yaml",
}  # fmt: skip


@dataclass
class Article:
    id: str
    file: str
    body: str
    sha256: str
    meta: dict[str, Any]


@dataclass
class Seed:
    """A validated seed: articles by id and records by kind, each record a plain dict."""

    articles: dict[str, Article] = field(default_factory=dict)
    records: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def _check_fields(record: dict[str, Any], specs: dict[str, Spec], shown: str, what: str) -> None:
    line = record.get(LINE)
    for key in record:
        if key != LINE and key not in specs:
            raise SeedError(shown, f"{what}: unknown field {key!r}", line)
    for key, spec in specs.items():
        value = record.get(key)
        if value is None:
            if spec.required:
                raise SeedError(shown, f"{what}: missing required field {key!r}", line)
            continue
        _check_value(key, spec, value, shown, what, line)
    if "id" in specs and not SLUG.fullmatch(record["id"]):
        raise SeedError(shown, f"id {record['id']!r} is not a lowercase slug (a-z, 0-9, -)", line)
    for alias in record.get("aliases") or []:
        if not isinstance(alias, str) or not alias.strip():
            raise SeedError(shown, f"{what}: every alias must be non-empty text", line)
    date, precision = record.get("date"), record.get("date_precision")
    if (
        date is not None
        and precision is not None
        and _date_form(date) != PRECISION_FORMS.get(precision)
    ):
        raise SeedError(
            shown,
            f"{what}: date {date!r} does not match date_precision {precision!r} "
            f"(which wants {PRECISION_FORMS[precision]})",
            line,
        )


def _check_value(key: str, spec: Spec, value: Any, shown: str, what: str, line: int | None) -> None:
    """One field's value against its spec: type, non-empty text, allowed value, real date."""
    expected = spec.kind
    if isinstance(value, bool) or not isinstance(value, expected):
        names = (expected,) if isinstance(expected, type) else expected
        wanted = " or ".join(t.__name__ for t in names)
        raise SeedError(
            shown, f"{what}: field {key!r} must be {wanted}, not {type(value).__name__}", line
        )
    if isinstance(value, str) and not value.strip():
        raise SeedError(shown, f"{what}: field {key!r} is empty", line)
    if spec.choices and value not in spec.choices:
        raise SeedError(
            shown, f"{what}: {key} {value!r} is not one of {', '.join(spec.choices)}", line
        )
    if spec.date:
        if not DATE.fullmatch(str(value)):
            raise SeedError(
                shown, f"{what}: {key} {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD", line
            )
        if not _real_date(str(value)):
            raise SeedError(shown, f"{what}: {key} {value!r} is not a date in the calendar", line)


# What form of date each precision states.
PRECISION_FORMS = {"day": "YYYY-MM-DD", "month": "YYYY-MM", "year": "YYYY", "target_year": "YYYY"}


def _date_form(date: str) -> str:
    return ("YYYY", "YYYY-MM", "YYYY-MM-DD")[date.count("-")]


def _real_date(date: str) -> bool:
    """True for a YYYY[-MM[-DD]] that names a real year, month or day (year 1 to 9999)."""
    match = DATE.fullmatch(date)
    if match is None:
        return False
    year, month, day = (int(part) if part else 1 for part in match.groups())
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


def _resolve_article(seed_dir: Path, name: str, line: int, shown: str = "articles.yaml") -> Path:
    """The article file `name` names, which must lie inside the seed folder; `shown` is the
    file that names it."""
    try:
        path = (seed_dir / name).resolve()
        inside = seed_dir.resolve() in path.parents
    except RuntimeError:  # Python 3.11-3.12 report a symlink loop so
        raise SeedError(name, "cannot read file (a symlink loop)") from None
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or "not a usable file name"
        raise SeedError(name, f"cannot read file ({reason})") from None
    if not inside:
        raise SeedError(shown, f"article file {name!r} is outside the seed folder", line)
    return path


def normalise_line_ends(text: str) -> str:
    """CRLF line ends as LF, as YAML reads quotes, so a quote spanning lines still matches and
    offsets count the characters shown."""
    return text.replace("\r\n", "\n")


def _load_articles(seed_dir: Path) -> dict[str, Article]:
    shown = "articles.yaml"
    articles: dict[str, Article] = {}
    for record in read_yaml(seed_dir / shown, shown, records=True):
        _check_fields(record, ARTICLE_SPEC, shown, f"article {record.get('id', '?')!r}")
        if record["id"] in articles:
            raise SeedError(shown, f"duplicate article id {record['id']!r}", record[LINE])
        body_path = _resolve_article(seed_dir, record["file"], record[LINE])
        data = read_bytes(body_path, record["file"])
        body = normalise_line_ends(decode_text(data, record["file"]))
        if not body.strip():
            raise SeedError(record["file"], "article text is empty")
        digest = hashlib.sha256(data).hexdigest()  # the file as received
        articles[record["id"]] = Article(record["id"], record["file"], body, digest, record)
    if not articles:
        raise SeedError(shown, "no articles")
    return articles


def _iter_sources(record: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield from record["sources"]
    for list_field in LINK_SPECS:
        for item in record.get(list_field) or []:
            yield from item["sources"]


def _check_sources(
    record: dict[str, Any],
    specs: dict[str, Spec],
    articles: dict[str, Article],
    shown: str,
    what: str,
) -> None:
    sources = record["sources"]
    if not sources:
        raise SeedError(shown, f"{what}: needs at least one source", record.get(LINE))
    for source in sources:
        if not isinstance(source, dict):
            raise SeedError(shown, f"{what}: each source must be a mapping", record.get(LINE))
        _check_fields(source, SOURCE_SPEC, shown, f"{what} source")
        line = source[LINE]
        if source["article"] not in articles:
            raise SeedError(shown, f"{what}: unknown article {source['article']!r}", line)
        body = articles[source["article"]].body
        source["quote"] = normalise_line_ends(source["quote"])
        if source["quote"] not in body:
            raise SeedError(
                shown,
                f"{what}: quote not found verbatim in article "
                f"{source['article']!r}: {source['quote'][:60]!r}",
                line,
            )
        for key, value in (source.get("states") or {}).items():
            if key == LINE:
                continue
            if key not in specs or key in ("id", "sources"):
                raise SeedError(shown, f"{what}: states names unknown field {key!r}", line)
            if value is not None:
                _check_value(key, specs[key], value, shown, f"{what} states", line)


def load_seed(seed_dir: Path) -> Seed:
    """Read and validate every seed file under `seed_dir`."""
    seed_dir = Path(seed_dir)
    if not seed_dir.is_dir():
        raise SeedError(str(seed_dir), "seed folder not found")
    seed = Seed(articles=_load_articles(seed_dir))
    ids: dict[str, set[str]] = {"article": set(seed.articles)}
    for kind, filename in KIND_FILES.items():
        shown = f"extraction/{filename}"
        records = read_yaml(seed_dir / "extraction" / filename, shown, records=True)
        seen: set[str] = set()
        for record in records:
            what = f"{kind} {record.get('id', '?')!r}"
            _check_fields(record, RECORD_SPECS[kind], shown, what)
            if record["id"] in seen:
                raise SeedError(shown, f"duplicate {kind} id {record['id']!r}", record[LINE])
            seen.add(record["id"])
            for list_field, item_specs in LINK_SPECS.items():
                if list_field not in RECORD_SPECS[kind]:
                    continue
                for item in record.get(list_field) or []:
                    if not isinstance(item, dict):
                        raise SeedError(
                            shown, f"{what}: {list_field} items must be mappings", record[LINE]
                        )
                    _check_fields(item, item_specs, shown, f"{what} {list_field}")
            record["_file"] = shown
        seed.records[kind] = records
        ids[kind] = seen
    for kind, records in seed.records.items():
        for record in records:
            _check_references(record, RECORD_SPECS[kind], ids, f"{kind} {record['id']!r}")
            _check_sources(
                record,
                RECORD_SPECS[kind],
                seed.articles,
                record["_file"],
                f"{kind} {record['id']!r}",
            )
            for list_field, item_specs in LINK_SPECS.items():
                for item in record.get(list_field) or []:
                    _check_references(
                        item, item_specs, ids, f"{kind} {record['id']!r}", record["_file"]
                    )
                    _check_sources(
                        item,
                        RECORD_SPECS[kind],
                        seed.articles,
                        record["_file"],
                        f"{kind} {record['id']!r} {list_field}",
                    )
    for article in seed.articles.values():
        _check_references(
            article.meta, ARTICLE_SPEC, ids, f"article {article.id!r}", "articles.yaml"
        )
    return seed


def _check_references(
    record: dict[str, Any],
    specs: dict[str, Spec],
    ids: dict[str, set[str]],
    what: str,
    shown: str | None = None,
) -> None:
    shown = shown or record.get("_file", "?")
    line = record.get(LINE)
    for key, spec in specs.items():
        value = record.get(key)
        if value is None or not (spec.ref or spec.any_ref):
            continue
        if spec.any_ref:
            kind, _, slug = value.partition(":")
            if kind not in RECORD_KINDS or not slug:
                raise SeedError(
                    shown,
                    f"{what}: {key} {value!r} must be kind:id with kind one "
                    f"of {', '.join(RECORD_KINDS)}",
                    line,
                )
            if slug not in ids.get(kind, set()):
                raise SeedError(shown, f"{what}: {key} refers to unknown {kind} {slug!r}", line)
        elif not any(value in ids.get(kind, set()) for kind in spec.ref):
            raise SeedError(
                shown, f"{what}: {key} refers to unknown {'/'.join(spec.ref)} {value!r}", line
            )


def quotes_of(record: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every source of a record, its own and its links' (for tests and counts)."""
    return _iter_sources(record)
