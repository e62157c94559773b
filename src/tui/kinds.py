"""The kinds of entity: one list in one order, and the word the explorer shows for each.

A shared leaf: the seed, the build, the queries, the command line and the explorer all read
the kinds from here.
"""

from __future__ import annotations

# Every kind, in the order counts and listings show them.
KINDS = ("organization", "person", "meeting", "commitment", "indicator", "place", "article")

# The kinds the seed's extraction files hold; articles are text files of their own.
RECORD_KINDS = tuple(kind for kind in KINDS if kind != "article")

# How a kind is named wherever it is shown (a badge, a tree mark, a Timeline cell, a search
# result, the command line): one word each, the same everywhere. (An organization is not
# called a company: ministries, banks and agencies are organizations too; the Companies pane
# keeps its title.)
KIND_LABELS = {
    "organization": "organization", "person": "person", "meeting": "meeting",
    "commitment": "commitment", "indicator": "indicator", "place": "place",
    "article": "article",
}  # fmt: skip
LABEL_WIDTH = max(len(label) for label in KIND_LABELS.values())  # a column of kinds


def kind_label(kind: str) -> str:
    """The word for `kind` wherever it is shown (an unknown kind as itself)."""
    return KIND_LABELS.get(kind, kind)


# The Main screen's pane of each kind, by its title (`tui.app.panes` orders them).
PANE_TITLES = {
    "organization": "Companies", "meeting": "Meetings", "commitment": "Commitments",
    "person": "People", "place": "Places", "indicator": "Indicators", "article": "Sources",
}  # fmt: skip
PLURALS = {
    "organization": "organizations", "person": "people", "meeting": "meetings",
    "commitment": "commitments", "indicator": "indicators", "place": "places",
    "article": "articles",
}  # fmt: skip
_NAMED = {word.lower(): kind for kind in KINDS for word in (kind, PLURALS[kind], PANE_TITLES[kind])}


def kind_named(word: str) -> str:
    """The kind `word` names as the command line takes it: the kind, its plural or its
    pane's title, in any case ("commitments", "Companies"); anything else as given."""
    return _NAMED.get(word.lower(), word)
