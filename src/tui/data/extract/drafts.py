"""What a rule found, before it is resolved and numbered: a meeting, commitment or indicator
with its fields, the entities it links to, and the span that states it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Link:
    prop: str  # participant | party | place | announced_at | part_of | subject | counterpart
    entity: int | None  # an entity index in the article's Names
    role: str | None = None
    draft: Draft | None = None  # a meeting (announced_at, part_of)
    span: tuple[int, int] | None = None  # the words that state it, when not the draft's own


@dataclass
class Draft:
    kind: str  # meeting | commitment | indicator
    name: str
    start: int
    end: int
    fields: dict[str, Any] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)
    mentions: list[tuple[int, int]] = field(default_factory=list)
    asserted_by: int | None = None
    why: str = ""
    key: str = ""  # what makes two drafts one (a meeting's type and counterpart)
    field_spans: dict[str, tuple[int, int]] = field(default_factory=dict)  # a field's own quote
    field_asserted: dict[str, int] = field(default_factory=dict)  # a field's own asserter

    def link(
        self,
        prop: str,
        entity: int | None,
        role: str | None = None,
        span: tuple[int, int] | None = None,
    ) -> None:
        if entity is None:
            return
        if any(x.prop == prop and x.entity == entity for x in self.links):
            return
        self.links.append(Link(prop, entity, role, span=span))

    def absorb(self, other: Draft) -> None:
        """Another mention of the same event: its span, and what it adds, each quoted by the
        words of that mention."""
        own = (other.start, other.end)
        self.mentions.append(own)
        for link in other.links:
            if link.entity is not None:
                self.link(link.prop, link.entity, link.role, link.span or own)
        for key, value in other.fields.items():
            if key not in self.fields:
                self.fields[key] = value
                self.field_spans[key] = other.field_spans.get(key, own)
