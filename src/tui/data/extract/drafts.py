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
    draft: "Draft | None" = None  # a meeting (announced_at, part_of)


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

    def link(self, prop: str, entity: int | None, role: str | None = None) -> None:
        if entity is None:
            return
        if any(x.prop == prop and x.entity == entity for x in self.links):
            return
        self.links.append(Link(prop, entity, role))
