"""Derive the records the entity and link tables hold from the statements about them.

One subject's record depends only on the statements about that subject (and the canonical
names of what they name), so the full build and an incremental update of one article derive
the same record by the same function.

Where articles give a single-valued property different values, the record keeps the latest
article's value (by its date, then its id) and every source says what it states, as the
agreement of that property records (`single`, `corroborated`, `consistent`, `conflicting`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tui.data.statements import (
    MENTION,
    PROPERTIES,
    Statement,
    agreement,
    sets_agreement,
    worst,
)

if TYPE_CHECKING:  # (the seed's loader imports the YAML parser: not for reading)
    from tui.data.seed import Article

# Record list field and item target key, per link property (the record form SeedWriter reads).
LINK_FIELDS: dict[tuple[str, str], tuple[str, str]] = {
    ("person", "position"): ("positions", "organization"),
    ("meeting", "participant"): ("participants", "entity"),
    ("commitment", "party"): ("parties", "entity"),
    ("commitment", "place"): ("places", "place"),
    ("organization", "related"): ("related", "entity"),
    ("indicator", "related"): ("related", "entity"),
}
# Record fields that hold a plain id rather than a kind:id reference.
PLAIN_ID_FIELDS = {"within", "country", "place", "part_of", "announced_at", "covers"}
LIST_FIELDS = {"alias": "aliases", "sector": "sectors"}
# The qualifier that goes with a number, for deciding whether two figures agree.
QUALIFIERS = {
    "amount": "amount_qualifier",
    "capacity": "capacity_qualifier",
    "value": "value_qualifier",
}


@dataclass
class Derived:
    """A subject's record, and how the articles agree on each of its properties and links."""

    record: dict[str, Any]
    agreements: dict[str, str] = field(default_factory=dict)  # property -> agreement
    link_agreements: dict[tuple[str, str], str] = field(default_factory=dict)  # (prop, target)
    articles: dict[str, int] = field(default_factory=dict)  # property -> articles stating it
    agreement: str = "single"


def article_order(articles: dict[str, Article]) -> dict[str, tuple[str, str]]:
    """A sort key per article: latest (by date) last, ties by id."""
    return {aid: (str(a.meta.get("date", "")), aid) for aid, a in articles.items()}


def _source(s: Statement) -> dict[str, Any]:
    return {"article": s.article, "quote": s.quote, "start": s.start}


def _plain(value: str) -> str:
    return value.partition(":")[2]


def derive(
    subject: str,
    statements: Iterable[Statement],
    name: str,
    order: dict[str, tuple[str, str]],
) -> Derived:
    """The record of `subject` from every statement about it (any article, any order)."""
    kind, _, slug = subject.partition(":")
    properties = PROPERTIES[kind]
    stated = sorted(statements, key=lambda s: (order[s.article], s.start, s.prop))
    record: dict[str, Any] = {"id": slug, "name": name}
    derived = Derived(record)
    by_prop: dict[str, list[Statement]] = defaultdict(list)
    for s in stated:
        by_prop[s.prop].append(s)

    entity_sources: list[dict[str, Any]] = []
    source_index: dict[tuple[str, int, int], dict[str, Any]] = {}

    def entity_source(s: Statement) -> dict[str, Any]:
        key = (s.article, s.start, s.end)
        if key not in source_index:
            source_index[key] = _source(s)
            entity_sources.append(source_index[key])
        return source_index[key]

    for s in by_prop.get(MENTION, []):
        entity_source(s)
    for prop, group in by_prop.items():
        definition = properties.get(prop)
        if definition is None or definition.link:
            continue
        for s in group:
            entity_source(s)
        if definition.multi:
            values: list[Any] = []
            for s in group:
                if s.value not in values:
                    values.append(s.value)
            record[LIST_FIELDS.get(prop, prop)] = values
            per_article: dict[str, set[Any]] = defaultdict(set)
            for s in group:
                per_article[s.article].add(s.value)
            derived.agreements[prop] = _multi_agreement(per_article)
            continue
        per: dict[str, list[tuple[Any, Any]]] = defaultdict(list)
        qualifier = QUALIFIERS.get(prop)
        for s in group:
            q = None
            if qualifier:
                q = next(
                    (o.value for o in by_prop.get(qualifier, []) if o.article == s.article),
                    None,
                )
            per[s.article].append((s.value, q))
        derived.agreements[prop] = agreement(
            per, numeric=isinstance(group[0].value, (int, float)), dated=prop.endswith("date")
        )
        latest = group[-1].value
        record[prop] = _plain(latest) if prop in PLAIN_ID_FIELDS else latest
    # Qualifiers travel with their figure: a figure's qualifier is the latest article's.
    for figure, qualifier in QUALIFIERS.items():
        if figure in record and qualifier in by_prop:
            latest_article = by_prop[figure][-1].article
            same = [s.value for s in by_prop[qualifier] if s.article == latest_article]
            if same:
                record[qualifier] = same[0]
            else:
                record.pop(qualifier, None)
    # Where the articles differ, each source says what it states.
    for prop, verdict in derived.agreements.items():
        if verdict in ("consistent", "conflicting") and not properties[prop].multi:
            for s in by_prop[prop]:
                states = entity_source(s).setdefault("states", {})
                states[prop] = _plain(s.value) if prop in PLAIN_ID_FIELDS else s.value
    record["sources"] = entity_sources

    for prop, group in by_prop.items():
        definition = properties.get(prop)
        if definition is None or not definition.link:
            continue
        list_field, target_key = LINK_FIELDS[(kind, prop)]
        items: dict[str, dict[str, Any]] = {}
        per_article_targets: dict[str, set[str]] = defaultdict(set)
        roles: dict[str, dict[str, list[tuple[Any, Any]]]] = defaultdict(lambda: defaultdict(list))
        for s in group:
            target = s.value
            per_article_targets[s.article].add(target)
            roles[target][s.article].append((s.role, None))
            item = items.get(target)
            if item is None:
                shown = _plain(target) if target_key in ("organization", "place") else target
                item = items[target] = {target_key: shown, "role": s.role, "sources": []}
            item["role"] = s.role  # the latest article's role
            item["sources"].append({**_source(s), "_role": s.role})
        for target, item in items.items():
            articles = {src["article"] for src in item["sources"]}
            role_verdict = agreement(roles[target], numeric=False, dated=False)
            if role_verdict == "conflicting":
                role_verdict = "consistent"  # two descriptions of one part: both can be true
            verdict = "corroborated" if len(articles) > 1 else "single"
            if role_verdict == "consistent":
                verdict = "consistent"
                for src in item["sources"]:
                    src["states"] = {"role": src["_role"]}
            for src in item["sources"]:
                del src["_role"]
            derived.link_agreements[(prop, target)] = verdict
        derived.agreements[prop] = sets_agreement(
            {a: frozenset(t) for a, t in per_article_targets.items()}
        )
        if kind == "person" and prop == "position":
            # positions name an organization or a country: keep the kind for the writer
            for target, item in items.items():
                item["target_kind"] = target.partition(":")[0]
        record[list_field] = list(items.values())
    for prop, group in by_prop.items():
        if prop in derived.agreements:
            derived.articles[prop] = len({s.article for s in group})
    articles = {s.article for s in stated}
    verdicts = list(derived.agreements.values()) + list(derived.link_agreements.values())
    if len(articles) > 1:  # several articles report it: corroborated unless they differ
        derived.agreement = worst([*verdicts, "corroborated"])
    return derived


def _multi_agreement(per_article: dict[str, set[Any]]) -> str:
    """Aliases, descriptions the text uses, sectors, opinions: articles giving different ones
    can all be right (one says "the President", the other "Head of State"), so at worst
    consistent. Only links (`sets_agreement` on their targets) can conflict."""
    verdict = sets_agreement({a: frozenset(v) for a, v in per_article.items()})
    return "consistent" if verdict == "conflicting" else verdict


def group_by_subject(statements: Iterable[Statement]) -> dict[str, list[Statement]]:
    """Statements by subject, subjects in first-stated order."""
    grouped: dict[str, list[Statement]] = {}
    for s in statements:
        grouped.setdefault(s.subject, []).append(s)
    return grouped
