"""Human forms of amounts, capacities and dates, shared by the CLI and the explorer."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

NULL = "—"  # what a table shows where a value is not stated (dim)
NOT_STATED = "not stated"  # what a detail shows for a field no article states

# The fields a detail shows for each kind even when no article states them ("not stated"),
# by property (`country` for `country_ref`).
ALWAYS_SHOWN: dict[str, tuple[str, ...]] = {
    "organization": ("org_type", "country"),
    "person": ("country",),
    "meeting": ("meeting_type", "date", "place"),
    "commitment": ("category", "status", "amount", "capacity", "date"),
    "indicator": ("value", "period"),
    "place": ("place_type",),
    "article": ("title", "published"),
}

_CURRENCY_SIGNS = {"USD": "$", "EUR": "€", "CNY": "¥", "KZT": "₸"}
_SCALES = ((1e12, "trn"), (1e9, "bn"), (1e6, "mn"), (1e3, "k"))


def number(value: float | int | None) -> str:
    """12, 1.6, 3.5: no trailing zeros, no exponent."""
    if value is None:
        return ""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.6f}".rstrip("0").rstrip(".")


def money(amount: float | None, currency: str | None, qualifier: str | None = None) -> str:
    """'over $1.6 bn' from 1600000000, 'USD', 'over'."""
    if amount is None:
        return ""
    for scale, suffix in _SCALES:
        if abs(amount) >= scale:
            shown = f"{number(round(amount / scale, 3))} {suffix}"
            break
    else:
        shown = number(amount)
    sign = _CURRENCY_SIGNS.get(currency or "")
    text = f"{sign}{shown}" if sign else f"{shown} {currency or ''}".strip()
    return f"{qualifier} {text}" if qualifier else text


def measure(value: float | None, unit: str | None, qualifier: str | None = None) -> str:
    """'up to 200 Gcal' from 200, 'Gcal', 'up to'."""
    if value is None:
        return ""
    text = f"{number(value)}{unit}" if unit == "%" else f"{number(value)} {unit or ''}".strip()
    return f"{qualifier} {text}" if qualifier else text


def commitment_size(row: Mapping[str, Any]) -> str:
    """The one figure that best sizes a commitment: value, else capacity, quantity or target."""
    parts = []
    if row.get("document_count"):
        parts.append(f"{row['document_count']} docs")
    if row.get("amount") is not None:
        parts.append(money(row["amount"], row.get("currency"), row.get("amount_qualifier")))
    return ", ".join(parts)


def amount(row: Mapping[str, Any]) -> str:
    """A commitment's amount as a table shows it: '$22 bn', 'over $1.6 bn' (a 'total' is what
    every amount is, so it is not repeated)."""
    qualifier = row.get("amount_qualifier")
    return money(
        row.get("amount"), row.get("currency"), None if qualifier == "total" else qualifier
    )


def commitment_capacity(row: Mapping[str, Any]) -> str:
    for value, unit, qualifier in (
        ("capacity", "capacity_unit", "capacity_qualifier"),
        ("quantity", "quantity_unit", None),
        ("target_value", "target_unit", None),
    ):
        if row.get(value) is not None:
            return measure(row[value], row.get(unit), row.get(qualifier) if qualifier else None)
    return ""


def figures(row: Mapping[str, Any]) -> str:
    """A commitment's amount and capacity (or quantity, or target) in short: '$22 bn',
    'up to 200 Gcal', '$1 bn, 1 GW'; '' when it states neither."""
    return ", ".join(part for part in (amount(row), commitment_capacity(row)) if part)


# How many characters of a whole ISO date (`2030-01-01`, as the database stores every date)
# each precision shows; a date of unknown precision shows whole.
DATE_LENGTHS = {"year": 4, "target_year": 4, "month": 7, "day": 10}


def stated_date(value: str | None, precision: str | None) -> str | None:
    """A stored date as precise as the text states it: '2030' from '2030-01-01', 'year'."""
    if not value:
        return value
    return value[: DATE_LENGTHS.get(precision or "", len(value))]


def date(value: str | None, precision: str | None = None) -> str:
    """A date as precise as the text: '2023-05-18', '2015', 'by 2060' (from a stored whole
    date or from one already cut to its precision)."""
    shown = stated_date(value, precision)
    if not shown:
        return ""
    return f"by {shown}" if precision == "target_year" else shown


def label(value: str | None) -> str:
    """'state_company' -> 'state company'."""
    return (value or "").replace("_", " ")


CHOICE_FIELDS = frozenset({"org_type", "place_type", "meeting_type", "category", "status"})


def field_value(key: str, value: Any, fields: Mapping[str, Any]) -> str:
    """A field as a reader wants it: labels for choices, numbers with separators (never
    `2.2e10`), an amount also in short (`22,000,000,000  ($22 bn)`)."""
    if key in CHOICE_FIELDS:
        return label(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    shown = number(value)
    if key == "amount" and abs(value) >= 1_000:
        shown += f"  ({money(value, fields.get('currency'))})"
    return shown


def field_label(key: str) -> str:
    """A field's name for people: 'announced_at_name' -> 'announced at'."""
    return label(key.removesuffix("_name"))


def shown_fields(
    kind: str, fields: Mapping[str, Any], hidden: frozenset[str] = frozenset()
) -> list[tuple[str, str, str | None]]:
    """(key, label, value as read) for each field a detail shows, in order: those with a
    value, and those the kind always shows (`ALWAYS_SHOWN`) with None, read "not stated". A
    field naming another entity shows as its `_name`."""
    always = ALWAYS_SHOWN.get(kind, ())
    named = {key.removesuffix("_name") for key in fields if key.endswith("_name")}
    found: list[tuple[str, str, str | None]] = []
    for key, value in fields.items():
        prop = key.removesuffix("_ref")
        if key in hidden or (key.endswith("_ref") and (value or prop in named)):
            continue
        if value is None or value == "":
            if prop.removesuffix("_name") in always:
                found.append((key, field_label(prop), None))
            continue
        found.append((key, field_label(key), field_value(key, value, fields)))
    return found


# How the articles reporting a fact agree, in words (see tui/data/statements.py).
AGREEMENT_WORDS = {
    "single": "one article only",
    "corroborated": "corroborated: the articles agree",
    "consistent": "stated differently, but both can be true",
    "conflicting": "conflicting: the articles cannot all be right",
}


def agreement(value: str | None) -> str:
    """'corroborated' -> 'corroborated: the articles agree'; '' for none."""
    return AGREEMENT_WORDS.get(value or "", label(value))


def stated_value(key: str, value: Any, fields: Mapping[str, Any], name: str | None = None) -> str:
    """A statement's value for reading: the name of an entity it names, else as `field_value`
    (a choice's label, a number with separators, an amount also in short), a list joined."""
    if name:
        return name
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(stated_value(key, v, fields) for v in value)
    return field_value(key, value, fields)


def counted(count: int, one: str, many: str | None = None) -> str:
    """`1 article`, `2 articles`, `1 person`, `3 people`: a count in English."""
    return f"{count:,} {one if count == 1 else many or one + 's'}"
