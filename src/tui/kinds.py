"""The kinds of entity: one list in one order, and the word the explorer shows for each.

A shared leaf: the seed, the build, the queries, the command line and the explorer all read
the kinds from here.
"""

from __future__ import annotations

# Every kind, in the order counts and listings show them.
KINDS = ("organization", "person", "meeting", "commitment", "indicator", "place", "article")

# The kinds the seed's extraction files hold; articles are text files of their own.
RECORD_KINDS = tuple(kind for kind in KINDS if kind != "article")

# How the explorer names a kind (a badge, a tree mark, a Timeline cell).
KIND_LABELS = {
    "organization": "company", "person": "person", "meeting": "meeting",
    "commitment": "commitment", "indicator": "indicator", "place": "place",
    "article": "source",
}  # fmt: skip


def kind_label(kind: str) -> str:
    """The explorer's word for `kind` (an unknown kind as itself)."""
    return KIND_LABELS.get(kind, kind)
