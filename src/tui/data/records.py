"""Statements from records of the older one-file-per-kind form (and the benchmark's corpus).

A record's own sources support all its fields: each article that has a source for a record is
taken to state each field (the value its source `states`, or the record's), with that source's
quote. Links become link statements with their own sources. This is how the bundled corpus was
first converted (then reviewed line by line), and how the benchmark's generated records become
statements for the build.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tui.data.corpus import locate
from tui.data.derive import LINK_FIELDS, PLAIN_ID_FIELDS
from tui.data.seed import LINE, Seed
from tui.data.statements import MENTION, PROPERTIES, Statement

# Record fields that are not properties of their own.
_NOT_PROPERTIES = {"id", "name", "sources", "aliases", "_file", LINE}
_REF_KINDS = {"within": "place", "country": "place", "place": "place", "part_of": None,
              "announced_at": "meeting", "covers": "meeting"}  # fmt: skip


def _as_ref(kind: str, field: str, value: Any) -> Any:
    if field not in PLAIN_ID_FIELDS:
        return value
    target = _REF_KINDS.get(field) or kind  # part_of names a record of the same kind
    return f"{target}:{value}"


def statements_of_seed(seed: Seed) -> tuple[dict[str, str], list[Statement]]:
    """Canonical names by ref, and every statement the records make."""
    names: dict[str, str] = {}
    found: list[Statement] = []
    org_ids = {r["id"] for r in seed.records.get("organization", [])}
    for kind, records in seed.records.items():
        properties = PROPERTIES[kind]
        link_fields = {lf: (prop, tk) for (k, prop), (lf, tk) in LINK_FIELDS.items() if k == kind}
        for record in records:
            subject = f"{kind}:{record['id']}"
            names[subject] = record["name"]
            found.extend(
                _record_statements(seed, subject, kind, record, properties, link_fields, org_ids)
            )
    return names, found


def _span(seed: Seed, source: dict[str, Any]) -> tuple[int, int]:
    body = seed.articles[source["article"]].body
    start = source.get("start")
    if start is None:
        start = locate(body, source["quote"])
        assert start is not None  # a loaded seed's quotes are verbatim
    return start, start + len(source["quote"])


def _record_statements(
    seed: Seed,
    subject: str,
    kind: str,
    record: dict[str, Any],
    properties: dict[str, Any],
    link_fields: dict[str, tuple[str, str]],
    org_ids: set[str],
) -> Iterator[Statement]:
    first_source: dict[str, dict[str, Any]] = {}
    for source in record["sources"]:
        first_source.setdefault(source["article"], source)
    for source in record["sources"]:
        start, end = _span(seed, source)
        if first_source[source["article"]] is not source:
            yield Statement(subject, MENTION, None, source["article"], source["quote"], start, end)
            continue
        states = source.get("states") or {}
        for alias in record.get("aliases") or []:
            yield Statement(subject, "alias", alias, source["article"], source["quote"], start, end)
        fields = {**record, **{k: v for k, v in states.items() if k not in record}}
        for field, value in fields.items():
            if field in _NOT_PROPERTIES or field in link_fields or value is None:
                continue
            value = states.get(field, value)
            if value is None:
                continue
            if field in ("sector", "sectors"):
                for part in [value] if isinstance(value, str) else value:
                    yield Statement(
                        subject, "sector", part, source["article"], source["quote"], start, end
                    )
                continue
            yield Statement(
                subject,
                field,
                _as_ref(kind, field, value),
                source["article"],
                source["quote"],
                start,
                end,
            )
        if not any(
            f not in _NOT_PROPERTIES and f not in link_fields for f in record
        ) and not record.get("aliases"):
            yield Statement(subject, MENTION, None, source["article"], source["quote"], start, end)
    for list_field, (prop, target_key) in link_fields.items():
        for item in record.get(list_field) or []:
            target = item[target_key]
            if target_key == "organization":
                target = f"{'organization' if target in org_ids else 'place'}:{target}"
            elif target_key == "place":
                target = f"place:{target}"
            for source in item["sources"]:
                start, end = _span(seed, source)
                role = (source.get("states") or {}).get("role", item["role"])
                yield Statement(
                    subject, prop, target, source["article"], source["quote"], start, end,
                    role=role,
                )  # fmt: skip
