"""Proposals: what an article states, each anchored to its verbatim span, resolved onto the
corpus's entities, and turned into statements for the article's facts file once accepted.

`propose(body, corpus, article_meta)` reads an article and returns its proposals: entities
(organization, person, place), positions, meetings, commitments and indicators. Each has an
`action`: `match` (an entity the corpus knows, with `score` and `why`) or `new`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tui.data.corpus import Corpus
from tui.data.extract import commitments as commitments_mod
from tui.data.extract import context, gazetteer
from tui.data.extract import indicators as indicators_mod
from tui.data.extract import meetings as meetings_mod
from tui.data.extract.drafts import Draft
from tui.data.extract.resolve import Index, Match
from tui.data.extract.text import clause
from tui.data.rules import prints
from tui.data.spelling import fold
from tui.data.statements import COMMITMENT_FIGURES, MENTION, PROPERTIES, STATUS_WORDS, Statement

ENTITY_KINDS = ("organization", "person", "place")
PROPOSAL_KINDS = (*ENTITY_KINDS, "position", "meeting", "commitment", "indicator")
_TYPE_PROP = {"organization": "org_type", "place": "place_type"}
_STATEMENT_FIELDS = {
    "meeting": ("meeting_type", "date", "date_precision", "alias"),
    "commitment": (
        "category",
        "status",
        *COMMITMENT_FIGURES,
        "date",
        "date_precision",
    ),
    "indicator": ("metric", "value", "value_qualifier", "unit", "currency", "period"),
}
_REF_LINKS = {"announced_at", "part_of", "subject", "counterpart"}  # single-valued references
_MEETING_PLACE = "place"


@dataclass
class Proposal:
    """One thing the article states, for the analyst to accept, correct or reject."""

    id: str
    kind: str
    name: str
    action: str  # new | match
    match: str | None
    score: float | None
    why: str
    quote: str
    start: int
    end: int
    ref: str  # the matched ref, or the ref a new entity would get
    fields: dict[str, Any] = field(default_factory=dict)
    links: list[dict[str, Any]] = field(default_factory=list)  # {prop, ref, role}
    asserted_by: str | None = None
    mentions: list[tuple[int, int]] = field(default_factory=list)  # every span naming it
    field_spans: dict[str, tuple[int, int]] = field(default_factory=dict)  # a field's own quote
    field_asserted_by: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "name": self.name,
            "action": self.action,
            "match": self.match,
            "score": self.score,
            "why": self.why,
            "quote": self.quote,
            "start": self.start,
            "end": self.end,
            "ref": self.ref,
            "fields": dict(self.fields),
            "links": [dict(x) for x in self.links],
            "asserted_by": self.asserted_by,
            "mentions": [list(m) for m in self.mentions],
            "field_spans": {k: list(v) for k, v in self.field_spans.items()},
            "field_asserted_by": dict(self.field_asserted_by),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Proposal:
        """The proposal `as_dict` gave (read back from a proposals file). Raises `KeyError`,
        `TypeError` or `ValueError` on a malformed one."""
        return cls(
            str(data["id"]), str(data["kind"]), str(data["name"]), str(data["action"]),
            None if data.get("match") is None else str(data["match"]),
            None if data.get("score") is None else float(data["score"]),
            str(data.get("why") or ""), str(data["quote"]), int(data["start"]), int(data["end"]),
            str(data["ref"]), dict(data.get("fields") or {}),
            [dict(x) for x in data.get("links") or []],
            None if data.get("asserted_by") is None else str(data["asserted_by"]),
            [(int(a), int(b)) for a, b in data.get("mentions") or []],
            {str(k): (int(v[0]), int(v[1])) for k, v in (data.get("field_spans") or {}).items()},
            {str(k): str(v) for k, v in (data.get("field_asserted_by") or {}).items()},
        )  # fmt: skip


def slug(text: str) -> str:
    folded = re.sub(r"[’'`]", "", fold(text))
    return re.sub(r"[^a-z0-9]+", "-", folded)[:60].strip("-") or "item"


def _meta(article_meta: Any) -> Mapping[str, Any]:
    if article_meta is None:
        return {}
    if isinstance(article_meta, Mapping):
        return article_meta
    return getattr(article_meta, "meta", {}) or {}


class _Refs:
    """New refs, unique against the corpus and each other."""

    def __init__(self, taken: set[str]) -> None:
        self.taken = set(taken)

    def new(self, kind: str, name: str) -> str:
        base = f"{kind}:{slug(name)}"
        ref, n = base, 2
        while ref in self.taken:
            ref, n = f"{base}-{n}", n + 1
        self.taken.add(ref)
        return ref


def propose(
    body: str, corpus: Corpus | Index | None = None, article_meta: Any = None
) -> list[Proposal]:
    """Every proposal for the article `body`, in kind order then text order.

    `corpus` is what to resolve names against: a loaded corpus, an `Index` (built once and
    reused, or read from the database), or None for none. `article_meta` is a mapping (or an
    Article) whose `date` (YYYY-MM-DD) dates "May 18" and "yesterday"."""
    meta = _meta(article_meta)
    ctx = context.read(body, meta.get("date"))
    index = corpus if isinstance(corpus, Index) else Index(corpus)
    refs = _Refs(index.refs())
    out: list[Proposal] = []
    entity_refs: dict[int, str] = {}
    for kind in ENTITY_KINDS:
        for i, entity in enumerate(ctx.names.entities):
            if entity.kind != kind:
                continue
            first = entity.first
            span = clause(body, ctx.sentences[first.sentence], first.start, first.end)
            aliases = [a for a in entity.aliases if a != entity.name]
            found = index.match(kind, entity.name, aliases)
            ref = found.ref if found else refs.new(kind, entity.name)
            entity_refs[i] = ref
            fields: dict[str, Any] = {}
            if aliases:
                fields["aliases"] = aliases
            if entity.type and found is None:
                fields[_TYPE_PROP.get(kind, "type")] = entity.type
            spans = sorted({(m.start, m.end) for m in entity.mentions})
            spans += sorted(
                {
                    (m.qual_start or m.start, m.end)
                    for m in ctx.names.mentions
                    if m.kind == "title" and m.entity == i
                }
            )
            out.append(
                _proposal(
                    kind,
                    entity.name,
                    found,
                    ref,
                    span.text,
                    span.start,
                    span.end,
                    fields,
                    spans,
                    "name" if found is None else "",
                )
            )
    for p in ctx.positions:
        if p.target is None:
            continue
        person, target = entity_refs[p.person], entity_refs[p.target]
        name = (
            f"{ctx.names.entities[p.person].name}, {p.role} of {ctx.names.entities[p.target].name}"
        )
        prop = _proposal(
            "position",
            name,
            None,
            person,
            body[p.start : p.end],
            p.start,
            p.end,
            {"role": p.role},
            [(p.start, p.end)],
            "title beside a name",
        )
        prop.links.append({"prop": "position", "ref": target, "role": p.role})
        prop.ref = person
        out.append(prop)
    meetings = meetings_mod.find(ctx)
    commitments = commitments_mod.find(ctx, meetings)
    indicators = indicators_mod.find(ctx, commitments)
    draft_refs: dict[int, str] = {}
    for draft in [*meetings, *commitments, *indicators]:
        links = {entity_refs[x.entity] for x in draft.links if x.entity is not None}
        aliases = [draft.fields["alias"]] if draft.fields.get("alias") else []
        found = index.match_event(draft.kind, draft.name, aliases, links)
        ref = found.ref if found else refs.new(draft.kind, draft.name)
        draft_refs[id(draft)] = ref
    for draft in [*meetings, *commitments, *indicators]:
        out.append(_from_draft(ctx, draft, entity_refs, draft_refs, index))
    by_ref = {p.ref: p for p in out if p.kind in ENTITY_KINDS}
    _add_called(ctx, by_ref, entity_refs)
    for made in out:
        _honest_status(made, body)
    for n, made in enumerate(out, start=1):
        made.id = f"p{n}"
    return out


def _proposal(
    kind: str,
    name: str,
    found: Match | None,
    ref: str,
    quote: str,
    start: int,
    end: int,
    fields: dict[str, Any],
    spans: list[tuple[int, int]],
    why_new: str,
) -> Proposal:
    return Proposal(
        "",
        kind,
        name,
        "match" if found else "new",
        found.ref if found else None,
        found.score if found else None,
        found.why if found else why_new,
        quote,
        start,
        end,
        ref,
        fields,
        [],
        None,
        spans,
    )


def _from_draft(
    ctx: context.Context,
    draft: Draft,
    entity_refs: dict[int, str],
    draft_refs: dict[int, str],
    index: Index,
) -> Proposal:
    body = ctx.body
    ref = draft_refs[id(draft)]
    known = ref in index.known
    found = Match(ref, 1.0, "") if known else None
    p = _proposal(
        draft.kind,
        draft.name,
        found,
        ref,
        body[draft.start : draft.end],
        draft.start,
        draft.end,
        dict(draft.fields),
        [(draft.start, draft.end), *draft.mentions],
        draft.why,
    )
    if known:
        links = {entity_refs[x.entity] for x in draft.links if x.entity is not None}
        aliases = [draft.fields["alias"]] if draft.fields.get("alias") else []
        m = index.match_event(draft.kind, draft.name, aliases, links)
        if m is not None:
            p.score, p.why = m.score, m.why
    for link in draft.links:
        target = entity_refs.get(link.entity) if link.entity is not None else None
        if link.draft is not None:
            target = draft_refs.get(id(link.draft))
        if target is None or target == ref:
            continue
        entry: dict[str, Any] = {"prop": link.prop, "ref": target}
        if link.role and link.prop not in _REF_LINKS:
            entry["role"] = link.role
        if link.span is not None and link.span != (draft.start, draft.end):
            entry["start"], entry["end"] = link.span
        p.links.append(entry)
    if draft.asserted_by is not None:
        p.asserted_by = entity_refs.get(draft.asserted_by)
    p.field_spans = dict(draft.field_spans)
    p.field_asserted_by = {
        k: entity_refs[v] for k, v in draft.field_asserted.items() if v in entity_refs
    }
    return p


# -- statements ------------------------------------------------------------------------------


def names_of(proposals: Iterable[Proposal]) -> dict[str, str]:
    """The canonical names of the entities proposals would create (for entities.yaml)."""
    return {p.ref: p.name for p in proposals if p.action == "new" and p.kind != "position"}


def _statement(
    p: Proposal,
    article_id: str,
    body: str,
    prop: str,
    value: Any,
    role: str | None = None,
    quote: tuple[int, int] | None = None,
    relative: str | None = None,
) -> Statement:
    """One statement of proposal `p`, quoting the field's own words where it has them."""
    start, end = quote or p.field_spans.get(prop) or (p.start, p.end)
    by = p.field_asserted_by.get(prop) if prop in p.field_spans else p.asserted_by
    return Statement(
        p.ref, prop, value, article_id, body[start:end], start, end,
        role=role, asserted_by=by, relative=relative,
    )  # fmt: skip


def to_statements(proposals: Iterable[Proposal], article_id: str, body: str) -> list[Statement]:
    """The statements accepted proposals make, for the article's facts file: a mention (or the
    type the words state) per entity, its printed aliases, each position, and each field and
    link of a meeting, commitment or indicator, each quoting the words that state it."""
    out: list[Statement] = []
    for p in proposals:
        make = functools.partial(_statement, p, article_id, body)
        if p.kind in ENTITY_KINDS:
            type_prop = _TYPE_PROP.get(p.kind)
            if type_prop and p.fields.get(type_prop):
                out.append(make(type_prop, p.fields[type_prop]))
            else:
                out.append(make(MENTION, None))
            printed = list(p.fields.get("aliases", []))
            if p.action == "match" and p.why not in ("name", "alias"):
                printed.append(p.name)  # "Tokaev", "CITIC Group Corporation": printed names
            for alias in printed:
                span = _alias_span(body, p, alias)
                if span is not None:
                    out.append(make("alias", alias, quote=span))
            for called in p.fields.get("called", []):
                span = _alias_span(body, p, called)
                if span is not None:
                    out.append(make("called", called, quote=span))
        elif p.kind == "position":
            for link in p.links:
                out.append(make("position", link["ref"], role=link.get("role")))
        else:
            relative = p.fields.get("relative")
            stated = [prop for prop in _STATEMENT_FIELDS[p.kind] if p.fields.get(prop) is not None]
            for prop in stated:
                rel = relative if prop in ("date", "period") else None
                out.append(make(prop, p.fields[prop], relative=rel))
            if not stated:
                out.append(make(MENTION, None))  # a source of its own besides its links
            for link in p.links:
                prop = link["prop"]
                span = (link["start"], link["end"]) if "start" in link else None
                if (p.kind == "meeting" and prop == _MEETING_PLACE) or prop in _REF_LINKS:
                    out.append(make(prop, link["ref"], quote=span))
                else:
                    role = link.get("role") or prop
                    out.append(make(prop, link["ref"], role=role, quote=span))
    return _quotes_name_their_ends(out, list(proposals), body)


def _quotes_name_their_ends(
    statements: list[Statement], proposals: list[Proposal], body: str
) -> list[Statement]:
    """Each link's quote names both its ends (the corpus rules ask it): a quote that does not
    is widened to the nearest words that name the missing end, within the same stretch of
    text; a link no words nearby name is left out, and so is a date "recently" gives."""
    words: dict[str, list[str]] = {}
    spans: dict[str, list[tuple[int, int]]] = {}
    countries = set()
    for p in proposals:
        if p.kind in ENTITY_KINDS:
            words.setdefault(p.ref, []).extend(
                [p.name, *p.fields.get("aliases", []), *p.fields.get("called", [])]
            )
            spans.setdefault(p.ref, []).extend(p.mentions)
            if p.fields.get("place_type") == "country" or gazetteer.lookup(p.name) == (
                p.name,
                "country",
            ):
                countries.add(p.ref)

    def named(ref: str, quote: str, strict: bool = False) -> bool:
        names = words.get(ref, [])[: 1 + (0 if strict else len(words.get(ref, [])))]
        return any(prints(quote, w) for w in names)

    kept: list[Statement] = []
    for st in statements:
        definition = PROPERTIES[st.kind].get(st.prop)
        if st.prop in ("date", "end_date", "announced_at") and "recent" in st.quote.lower():
            continue
        if definition is None or not definition.is_ref or st.value not in words:
            kept.append(st)
            continue
        start, end = st.start, st.end
        for ref in (st.value, st.subject):
            if ref not in words or named(ref, body[start:end]):
                continue
            near = [(a, b) for a, b in spans.get(ref, []) if abs(a - start) < 300]
            if not near:
                start = -1
                break
            a, b = min(near, key=lambda x: abs(x[0] - start))
            start, end = min(start, a), max(end, b)
        if start < 0:
            continue
        quote = body[start:end]
        if st.prop in ("party", "participant") and st.value in countries:
            if not any(prints(quote, w) for w in words[st.value][:1]):
                continue  # a country is a party only where the text names it
        kept.append(
            Statement(st.subject, st.prop, st.value, st.article, quote, start, end,
                      role=st.role, asserted_by=st.asserted_by, relative=st.relative)
        )  # fmt: skip
    return kept


def _alias_span(body: str, p: Proposal, alias: str) -> tuple[int, int] | None:
    for start, end in p.mentions:
        if body[start:end] == alias:
            return start, end
    at = body.find(f"({alias})")
    if at >= 0:
        first = p.mentions[0][0] if p.mentions else at
        return (first, at + len(alias) + 2) if first < at else (at + 1, at + 1 + len(alias))
    return None


def _add_called(
    ctx: context.Context, by_ref: dict[str, Proposal], entity_refs: dict[int, str]
) -> None:
    """The words the article uses for an entity besides its names (`called`): the titles that
    stand for a person ("Head of State", "Kazakh President"), the demonym that stands for a
    country ("Kazakh"), "the company" for the organization named before."""
    body = ctx.body
    found: list[tuple[str, int, int]] = []
    for m in ctx.names.mentions:
        if m.kind != "title":
            continue
        if m.entity is not None and m.entity in entity_refs:
            found.append((entity_refs[m.entity], m.qual_start or m.start, m.end))
        if m.country and m.qual_start is not None:
            word = body[m.qual_start : m.start].strip()
            place = next((i for i, e in enumerate(ctx.names.entities)
                          if e.kind == "place" and e.name == m.country), None)  # fmt: skip
            if place is not None and gazetteer.demonym(word) and place in entity_refs:
                found.append((entity_refs[place], m.qual_start, m.qual_start + len(word)))
    for index, named in enumerate(ctx.names.entities):
        for start, end in named.called:
            if index in entity_refs:
                found.append((entity_refs[index], start, end))
    for entity, start, end in ctx.called:
        if entity in entity_refs:
            found.append((entity_refs[entity], start, end))
    for ref, start, end in found:
        p = by_ref.get(ref)
        if p is None:
            continue
        text = body[start:end]
        called = p.fields.setdefault("called", [])
        if text not in called and text != p.name and text not in p.fields.get("aliases", []):
            called.append(text)
        if (start, end) not in p.mentions:
            p.mentions.append((start, end))


def _honest_status(p: Proposal, body: str) -> None:
    """A status only when the quote prints a word for it (the corpus rules ask the same)."""
    status = p.fields.get("status")
    start, end = p.field_spans.get("status", (p.start, p.end))
    quote = body[start:end]
    if status and not any(prints(quote, w) for w in STATUS_WORDS.get(status, ())):
        p.fields.pop("status")
        p.why = f"{p.why} (no status: the words give none the corpus knows)"
