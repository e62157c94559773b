"""Write an article's facts file: its metadata and its statements, as people read and edit it.

Statements are grouped under their subject; those of one subject that share a quote (and an
asserter) are written as one item, so a sentence that states a figure, its qualifier and its
currency reads as one entry. `tui.data.corpus.load_facts` reads the file back to the same
statements.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import yaml

from tui.data.seed import LINE, Article
from tui.data.statements import MENTION, PROPERTIES, Statement

HEADER = (
    "# Every statement this article makes, under the entity it is about. Each item states one\n"
    "# or more properties with the verbatim quote that states them (see seed/README.md).\n"
)
_ARTICLE_KEYS = ("id", "file", "title", "date", "date_precision", "dateline", "place")


class _Dumper(yaml.SafeDumper):
    """Block style, long lines kept whole, text always quoted (so `2023` stays text)."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')


def _mapping(dumper: yaml.SafeDumper, data: dict[Any, Any]) -> yaml.Node:
    """A block mapping whose keys are plain (`quote:`) and values as their representers say."""
    pairs = [
        (yaml.ScalarNode("tag:yaml.org,2002:str", str(key)), dumper.represent_data(value))
        for key, value in data.items()
    ]
    return yaml.MappingNode("tag:yaml.org,2002:map", pairs, flow_style=False)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(dict, _mapping)


def _items(statements: list[Statement]) -> list[tuple[dict[str, Any], Statement]]:
    """Items for one subject's statements, each with the statement it opens with."""
    items: list[tuple[dict[str, Any], Statement]] = []
    open_item: dict[str, Any] | None = None
    key: tuple[Any, ...] | None = None
    for s in statements:
        definition = PROPERTIES[s.kind].get(s.prop)
        is_link = definition is not None and definition.link is not None
        this_key = (s.quote, s.start, s.asserted_by, s.relative)
        if (
            open_item is not None
            and not is_link
            and key == this_key
            and (s.prop == MENTION or s.prop not in open_item or _multi(s))
        ):
            if s.prop != MENTION:
                _put(open_item, s)
            continue
        item: dict[str, Any] = {}
        if s.prop != MENTION:
            _put(item, s)
        if s.role is not None:
            item["role"] = s.role
        if s.asserted_by is not None:
            item["asserted_by"] = s.asserted_by
        if s.relative is not None:
            item["relative"] = s.relative
        item["quote"] = s.quote
        items.append((item, s))
        open_item, key = (None, None) if is_link else (item, this_key)
    return items


def _multi(s: Statement) -> bool:
    definition = PROPERTIES[s.kind].get(s.prop)
    return definition is not None and definition.multi and not definition.link


def _put(item: dict[str, Any], s: Statement) -> None:
    if s.prop in item and _multi(s):
        current = item[s.prop]
        item[s.prop] = [*current, s.value] if isinstance(current, list) else [current, s.value]
    else:
        item[s.prop] = s.value


def _ordered(item: dict[str, Any]) -> dict[str, Any]:
    tail = ("role", "asserted_by", "relative", "occurrence", "quote")
    head = {k: v for k, v in item.items() if k not in tail}
    return {**head, **{k: item[k] for k in tail if k in item}}


def _occurrence(body: str, s: Statement) -> int:
    """Which appearance of its quote a statement's span is (1 for the first)."""
    return body.count(s.quote, 0, s.start) + 1 if s.quote else 1


def render(article: Article, statements: Iterable[Statement]) -> str:
    """The facts file for `article` holding `statements`."""
    meta = {k: article.meta[k] for k in _ARTICLE_KEYS if article.meta.get(k) is not None}
    grouped: dict[str, list[Statement]] = {}
    for s in statements:
        grouped.setdefault(s.subject, []).append(s)
    body: dict[str, Any] = {}
    for subject, group in grouped.items():
        items = []
        for item, first in _items(group):
            occurrence = _occurrence(article.body, first)
            if occurrence > 1:
                item["occurrence"] = occurrence
            items.append(_ordered(item))
        body[subject] = items
    text = yaml.dump(
        {"article": meta, "statements": body},
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=10_000,
        default_flow_style=False,
    )
    # A blank line before each subject, so the file reads entity by entity.
    return HEADER + re.sub(r"\n(  [a-z]+:[a-z0-9-]+:\n)", r"\n\n\1", text)


def strip_lines(data: Any) -> Any:
    """`data` as loaded, without the line numbers the loader adds."""
    if isinstance(data, dict):
        return {k: strip_lines(v) for k, v in data.items() if k != LINE}
    if isinstance(data, list):
        return [strip_lines(v) for v in data]
    return data
