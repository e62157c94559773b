"""The statement model: every fact is one statement about one entity or one link.

A statement is `(subject, property, value, article, quote span, asserted_by)`, as in the
statement model of FollowTheMoney and nomenklatura. An article's facts file holds every
statement that article makes (see seed/README.md); the build derives the entity and link tables
the explorer reads from all of them (`tui.data.derive`).

This module is the one definition of which properties each kind has, what values they take,
and how the values several articles give for one property agree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from tui.data.vocabulary import (
    CATEGORIES,
    MEETING_TYPES,
    ORG_TYPES,
    PLACE_TYPES,
    PRECISIONS,
    STATUSES,
    Spec,
)

# How a scalar property's values agree across articles; ordered from best to worst.
AGREEMENTS = ("single", "corroborated", "consistent", "conflicting")
MENTION = "mention"  # a bare quote: the passage speaks of the subject, stating no field

# Currencies, as ISO 4217 codes.
CURRENCIES = ("USD", "EUR", "CNY", "KZT", "RUB")
# Controlled units: a capacity, a quantity or a target is in one of these.
UNITS = ("GW", "MW", "Gcal", "t", "percent", "rank", "times")


@dataclass(frozen=True)
class Property:
    """One property a kind of entity can have.

    `multi` properties hold a set of values (aliases, sectors); the others one value per
    article. A `link` property names another entity (`targets`: the kinds it may name) and
    carries a `role`; each distinct (target, role) is one link of its own.
    """

    spec: Spec
    multi: bool = False
    link: str | None = None  # the link type in the database, for link properties
    targets: tuple[str, ...] = ()  # kinds a reference may name (empty: any record kind)
    ref: bool = False  # the value is a `kind:id` reference

    @property
    def is_ref(self) -> bool:
        return self.ref or self.link is not None


TEXT = Property(Spec())
NUMBER = Property(Spec((int, float)))
COUNT = Property(Spec(int))
DATE = Property(Spec(date=True))
UNIT = Property(Spec(choices=UNITS))


def _ref(*targets: str) -> Property:
    return Property(Spec(), ref=True, targets=targets)


def _link(link_type: str, *targets: str) -> Property:
    return Property(Spec(), multi=True, link=link_type, targets=targets)


COMMON: dict[str, Property] = {
    "alias": Property(Spec(), multi=True),  # a name the text prints for it
    "called": Property(Spec(), multi=True),  # a description the text refers to it by
    "description": TEXT,
    "opinion": Property(Spec(), multi=True),  # what a named speaker holds: needs asserted_by
}

PROPERTIES: dict[str, dict[str, Property]] = {
    "place": {
        **COMMON,
        "place_type": Property(Spec(choices=PLACE_TYPES)),
        "within": _ref("place"),
    },
    "organization": {
        **COMMON,
        "org_type": Property(Spec(choices=ORG_TYPES)),
        "country": _ref("place"),
        "sector": Property(Spec(), multi=True),
        "related": _link("relation", "organization"),
    },
    "person": {
        **COMMON,
        "country": _ref("place"),
        "position": _link("position", "organization", "place"),
    },
    "meeting": {
        **COMMON,
        "meeting_type": Property(Spec(choices=MEETING_TYPES)),
        "date": DATE,
        "date_precision": Property(Spec(choices=PRECISIONS[:3])),
        "end_date": DATE,
        "place": _ref("place"),
        "part_of": _ref("meeting"),
        "topics": TEXT,
        "participant": _link("participant"),
    },
    "commitment": {
        **COMMON,
        "category": Property(Spec(choices=CATEGORIES)),
        "status": Property(Spec(choices=STATUSES)),
        "sector": Property(Spec(), multi=True),
        "amount": NUMBER,
        "amount_qualifier": TEXT,
        "currency": Property(Spec(choices=CURRENCIES)),
        "document_count": COUNT,
        "capacity": NUMBER,
        "capacity_unit": UNIT,
        "capacity_qualifier": TEXT,
        "quantity": NUMBER,
        "quantity_unit": UNIT,
        "target_value": NUMBER,
        "target_unit": UNIT,
        "date": DATE,
        "date_precision": Property(Spec(choices=PRECISIONS)),
        "announced_at": _ref("meeting"),
        "part_of": _ref("commitment"),
        "covers": _ref("meeting"),  # a total of what that meeting signed
        "may_include": Property(Spec(), multi=True, ref=True, targets=("commitment", "meeting")),
        "party": _link("party"),
        "place": _link("commitment_place", "place"),
    },
    "indicator": {
        **COMMON,
        "metric": TEXT,
        "value": NUMBER,
        "value_qualifier": TEXT,
        "unit": UNIT,
        "currency": Property(Spec(choices=CURRENCIES)),
        "period": TEXT,
        "subject": _ref(),
        "counterpart": _ref(),
        "related": _link("relation"),
    },
}

# A commitment's figures, in the order every table and listing of commitments gives them.
COMMITMENT_FIGURES = (
    "amount", "amount_qualifier", "currency", "document_count", "capacity", "capacity_unit",
    "capacity_qualifier", "quantity", "quantity_unit", "target_value", "target_unit",
)  # fmt: skip

# Fields a statement item may carry beside its property and value.
STATEMENT_KEYS = ("quote", "role", "asserted_by", "relative", "occurrence")
# What may assert a statement: a person or an organization speaking.
ASSERTERS = ("person", "organization")
# Words a relative date may be resolved from (always against the article's own date).
RELATIVE_WORDS = ("yesterday", "today", "last year", "this year", "first day of")
# The words that state each status: a status statement's quote prints one of them.
STATUS_WORDS: dict[str, tuple[str, ...]] = {
    "signed": ("signed",),
    "agreed": ("agreed", "agreement was reached"),
    "planned": ("plan", "plans", "planned"),
    "intended": ("intend", "intends", "intended", "intention", "interested"),
    "discussed": ("discussed", "addressed", "considered", "noted", "drew attention"),
    "under_way": ("under way", "underway", "ongoing", "actively"),
    "launched": ("launched", "start of", "started"),
    "completed": ("completed",),
    "targeted": ("goal", "target", "targets", "aim"),
    "proposed": ("propose", "proposed", "proposal", "invited"),
}


@dataclass(frozen=True)
class Statement:
    """One thing one article says about one entity (or, with `role`, one link of it)."""

    subject: str  # kind:id
    prop: str
    value: Any  # None for a mention
    article: str  # article id
    quote: str
    start: int
    end: int
    role: str | None = None
    asserted_by: str | None = None
    relative: str | None = None  # the words a date was resolved from, against the article date
    line: int | None = field(default=None, compare=False, repr=False)  # in its facts file

    @property
    def kind(self) -> str:
        return self.subject.partition(":")[0]

    @property
    def definition(self) -> Property | None:
        return PROPERTIES[self.kind].get(self.prop)


# -- agreement -----------------------------------------------------------------------------

# A qualifier's words and the interval of true values they allow around a stated number.
_ABOVE = ("over", "more than", "above", "at least", "exceeding")
_BELOW = ("up to", "under", "less than", "below", "at most", "nearly", "almost")
_ABOUT = ("about", "around", "approximately", "some", "roughly")


def _interval(value: float, qualifier: str | None) -> tuple[float, float]:
    """The values a number and its qualifier allow: "over 23" is (23, inf), "23.2" is a
    point, "about 23" within 5%, "one of the five largest" (a rank) is 1 to 5."""
    words = (qualifier or "").lower()
    if any(word in words for word in _ABOVE):
        return value, math.inf
    if any(word in words for word in _BELOW):
        return -math.inf, value
    if any(word in words for word in _ABOUT):
        return value * 0.95, value * 1.05
    if "one of the" in words:  # "one of the five largest": a rank between 1 and the number
        return 1, value
    return value, value


def numbers_agree(a: float, qa: str | None, b: float, qb: str | None) -> bool:
    """True when two stated figures can both be true."""
    low_a, high_a = _interval(a, qa)
    low_b, high_b = _interval(b, qb)
    return low_a <= high_b and low_b <= high_a


def dates_agree(a: str, b: str) -> bool:
    """True when two stated dates can both be true: one is the other or contains it."""
    return a.startswith(b) or b.startswith(a)


def agreement(
    values_by_article: dict[str, list[tuple[Any, Any]]], numeric: bool, dated: bool
) -> str:
    """How the articles' values for one property agree.

    `values_by_article` maps an article to the `(value, qualifier)` pairs it states."""
    if len(values_by_article) <= 1:
        return "single"
    pairs = [pair for pairs in values_by_article.values() for pair in pairs]
    if len({(repr(v), q) for v, q in pairs}) == 1:
        return "corroborated"
    for i, (value_a, qual_a) in enumerate(pairs):
        for value_b, qual_b in pairs[i + 1 :]:
            if numeric and isinstance(value_a, (int, float)) and isinstance(value_b, (int, float)):
                if not numbers_agree(value_a, qual_a, value_b, qual_b):
                    return "conflicting"
            elif dated:
                if not dates_agree(str(value_a), str(value_b)):
                    return "conflicting"
            elif value_a != value_b:
                return "conflicting"
    return "consistent"


def sets_agreement(sets_by_article: dict[str, frozenset[Any]]) -> str:
    """How the sets of links several articles give for one property agree: the same set is
    corroborated; one containing the other is consistent (one article names more); sets that
    each name what the other does not are conflicting (each article presents its own list)."""
    if len(sets_by_article) <= 1:
        return "single"
    sets = list(sets_by_article.values())
    if all(s == sets[0] for s in sets):
        return "corroborated"
    for i, a in enumerate(sets):
        for b in sets[i + 1 :]:
            if not (a <= b or b <= a):
                return "conflicting"
    return "consistent"


def worst(agreements: list[str]) -> str:
    """The weakest of several agreements (conflicting beats consistent beats the rest)."""
    return max(agreements, key=AGREEMENTS.index, default="single")
