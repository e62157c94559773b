"""The controlled values of the corpus's fields, and the spec of one field.

Kept apart from the seed's loader (tui.data.seed) so that what reads the database (the
explorer's panes, the queries) learns the values without importing the YAML parser.
"""

from __future__ import annotations

from dataclasses import dataclass

PLACE_TYPES = ("city", "region", "country", "area")
ORG_TYPES = (
    "company", "state_company", "bank", "intergovernmental", "government", "institute", "facility",
    "group",
)  # fmt: skip
MEETING_TYPES = ("state_visit", "talks", "roundtable", "bilateral")
CATEGORIES = (
    "agreement", "project", "intention", "supply_agreement", "national_target", "invitation",
    "cooperation", "decision",
)  # fmt: skip
STATUSES = (
    "signed", "agreed", "planned", "intended", "discussed", "under_way", "launched", "completed",
    "targeted", "proposed",
)  # fmt: skip
PRECISIONS = ("day", "month", "year", "target_year")


@dataclass(frozen=True)
class Spec:
    """One field of a seed record: its type, whether required, allowed values, what it names."""

    kind: type | tuple[type, ...] = str
    required: bool = False
    choices: tuple[str, ...] = ()
    ref: tuple[str, ...] = ()  # kinds a plain id may name
    any_ref: bool = False  # a `kind:id` reference to any entity kind
    date: bool = False
