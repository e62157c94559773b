"""Totals of commitment figures by organization, sector, country or category.

Figures are only ever added within one measure and one unit: amounts per currency, capacities
per unit, quantities per unit, and document counts on their own. Targets (a share by a year)
are not additive and are left out. A commitment counts once in every group it belongs to (each
of its parties, each of its sectors), so the groups of one dimension may add up to more than
the total, which counts each commitment once.

A figure is never added into one that may contain it (`tui.data.containment`): a commitment
stated to be part of another, or one a total of a meeting's signings may include, counts only
through the larger figure, and the line says so (`Line.overlaps`).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any

from tui import formatting as fmt
from tui.data.containment import Container, containers

DIMENSIONS: tuple[str, ...] = ("organization", "sector", "country", "category")
# A place a commitment names in one of these roles does not locate it (where a deal was signed
# is not where the money goes).
NON_LOCATING_ROLES = frozenset({"signed in"})
LOWER_BOUND = frozenset({"over", "more than", "at least", "above"})
UPPER_BOUND = frozenset({"up to", "under", "less than", "at most", "nearly", "almost"})
BLOCKS = " ▏▎▍▌▋▊▉█"
NONE_LABELS = {
    "organization": "(no organization named)",
    "sector": "(no sector)",
    "country": "(no place named)",
    "category": "(no category)",
}

_FIGURES = """
    SELECT e.ref, e.name, c.category, c.sector, c.amount, c.amount_qualifier, c.currency,
           c.document_count, c.capacity, c.capacity_unit, c.capacity_qualifier,
           c.quantity, c.quantity_unit
    FROM commitments AS c JOIN entities AS e ON e.ref = c.ref
    WHERE c.amount IS NOT NULL OR c.document_count IS NOT NULL OR c.capacity IS NOT NULL
       OR c.quantity IS NOT NULL
    ORDER BY e.name, e.ref"""

# The country of each place: itself if a country, else the nearest country it lies within.
_PLACE_COUNTRY = """
    WITH RECURSIVE up(ref, at, type) AS (
        SELECT p.ref, p.ref, p.place_type FROM places AS p
        UNION ALL
        SELECT up.ref, p.within_ref, w.place_type FROM up
        JOIN places AS p ON p.ref = up.at JOIN places AS w ON w.ref = p.within_ref
        WHERE up.type <> 'country')
    SELECT up.ref, up.at, e.name FROM up JOIN entities AS e ON e.ref = up.at
    WHERE up.type = 'country'"""


@dataclass
class Line:
    """One group's sum in one measure."""

    key: str
    label: str
    ref: str | None
    value: float = 0.0
    commitments: list[str] = field(default_factory=list)  # every commitment of the group
    qualifiers: set[str] = field(default_factory=set)
    figures: dict[str, tuple[float, str | None]] = field(default_factory=dict)
    counted: list[str] = field(default_factory=list)  # those added (the others are within)
    overlaps: list[Overlap] = field(default_factory=list)

    @property
    def separate(self) -> tuple[float, str | None] | None:
        """The sum were none of the figures that may overlap included in another (each once),
        with its bound; None where no overlap is uncertain."""
        if all(o.certain for o in self.overlaps):
            return None
        certain = {o.member for o in self.overlaps if o.certain}
        kept = [f for ref, f in self.figures.items() if ref not in certain]
        return sum(v for v, _ in kept), _bound({q for _, q in kept})

    @property
    def bound(self) -> str | None:
        """'over' if any summand is a lower bound, 'up to' if an upper bound, '~' if both."""
        words = {q.casefold() for q in self.qualifiers}
        low, high = bool(words & LOWER_BOUND), bool(words & UPPER_BOUND)
        if low and high:
            return "~"
        return "over" if low else "up to" if high else None


@dataclass(frozen=True)
class Overlap:
    """A figure not added because a larger one in the same group may contain it."""

    member: str  # the commitment not added
    member_name: str
    member_value: float
    member_qualifier: str | None
    container: str  # the commitment counted in its place
    container_name: str
    certain: bool  # stated to be part of it (else: it may be included)
    why: str  # e.g. "total of State visit ...; not linked to any meeting"


@dataclass
class Measure:
    """Every group's sum of one figure in one unit, largest first, with the overall total."""

    key: str  # e.g. 'amount:USD'
    title: str  # e.g. 'Amount, USD'
    unit: str
    lines: list[Line]
    total: Line

    def show(self, value_line: Line) -> str:
        return self.figure(value_line.value, value_line.bound)

    def member_figure(self, line: Line, ref: str) -> str:
        """The figure one commitment of `line` adds to it ('' if it adds none)."""
        if ref not in line.figures:
            return ""
        value, qualifier = line.figures[ref]
        return self.figure(value, _bound({qualifier} if qualifier else set()))

    def overlap_figure(self, overlap: Overlap) -> str:
        """The figure a line leaves out because a larger one may contain it."""
        return self.figure(overlap.member_value, _bound({overlap.member_qualifier}))

    def figure(self, value: float, bound: str | None) -> str:
        """One figure in this measure: '$22 bn', 'over $1.6 bn', '47 docs'."""
        if self.key.startswith("amount:"):
            text = fmt.money(value, self.unit)
        elif self.key == "documents":
            text = f"{fmt.number(value)} doc{'s' if value != 1 else ''}"
        else:
            text = fmt.measure(value, self.unit)
        return f"{bound} {text}" if bound else text


def _figures(row: dict[str, Any]) -> list[tuple[str, str, str, float, str | None]]:
    """(measure key, title, unit, value, qualifier) for each figure a commitment states."""
    found = []
    if row["amount"] is not None:
        currency = row["currency"]
        found.append(
            (f"amount:{currency}", f"Amount, {currency}", currency, row["amount"],
             row["amount_qualifier"])
        )  # fmt: skip
    if row["capacity"] is not None:
        unit = row["capacity_unit"]
        found.append(
            (f"capacity:{unit}", f"Capacity, {unit}", unit, row["capacity"],
             row["capacity_qualifier"])
        )  # fmt: skip
    if row["quantity"] is not None:
        unit = row["quantity_unit"] or ""
        found.append(
            (f"quantity:{unit}", f"Quantity, {unit}".rstrip(", "), unit, row["quantity"], None)
        )
    if row["document_count"] is not None:
        found.append(("documents", "Documents signed (a count)", "", row["document_count"], None))
    return found


Group = tuple[str, str, "str | None"]  # (key, label, entity ref or None)


def _groups(conn: sqlite3.Connection, dimension: str, refs: list[str]) -> dict[str, list[Group]]:
    """For each commitment, its groups in `dimension` as (key, label, entity ref or None)."""
    groups: dict[str, list[Group]] = {ref: [] for ref in refs}
    if dimension == "organization":
        rows = conn.execute(
            """SELECT cp.commitment_ref, e.ref, e.name FROM commitment_parties AS cp
               JOIN entities AS e ON e.ref = cp.entity_ref WHERE e.kind = 'organization'
               ORDER BY e.name"""
        )
        for commitment, ref, name in rows:
            if commitment in groups and ref not in [g[0] for g in groups[commitment]]:
                groups[commitment].append((ref, name, ref))
    elif dimension == "country":
        country = {ref: (at, name) for ref, at, name in conn.execute(_PLACE_COUNTRY)}
        rows = conn.execute("SELECT commitment_ref, place_ref, role FROM commitment_places")
        for commitment, place, role in rows:
            if commitment not in groups or role in NON_LOCATING_ROLES or place not in country:
                continue
            at, name = country[place]
            if at not in [g[0] for g in groups[commitment]]:
                groups[commitment].append((at, name, at))
    elif dimension in ("sector", "category"):
        column = dimension  # one of two fixed names
        rows = conn.execute(f"SELECT ref, {column} FROM commitments WHERE {column} IS NOT NULL")  # noqa: S608 - fixed column
        for commitment, value in rows:
            if commitment not in groups:
                continue
            parts = [p.strip() for p in value.split(";")] if dimension == "sector" else [value]
            for part in dict.fromkeys(p for p in parts if p):
                groups[commitment].append((part, fmt.label(part), None))
    else:
        raise ValueError(f"unknown dimension {dimension!r}: use one of {', '.join(DIMENSIONS)}")
    return groups


def totals(conn: sqlite3.Connection, dimension: str) -> list[Measure]:
    """Sums per group of `dimension`, one `Measure` per figure and unit."""
    if dimension not in DIMENSIONS:
        from tui.errors import UserError

        raise UserError(f"unknown grouping {dimension!r}: use one of {', '.join(DIMENSIONS)}")
    conn_rows = [dict(zip(_KEYS, row, strict=True)) for row in conn.execute(_FIGURES)]
    groups = _groups(conn, dimension, [row["ref"] for row in conn_rows])
    names = {row["ref"]: row["name"] for row in conn_rows}
    within = containers(conn)
    measures: dict[str, Measure] = {}
    lines: dict[tuple[str, str], Line] = {}  # (measure, group) -> its line
    for row in conn_rows:
        for key, title, unit, value, qualifier in _figures(row):
            measure = measures.setdefault(
                key, Measure(key, title, unit, [], Line("*", "All commitments", None))
            )
            targets = [measure.total]
            for group_key, label, ref in groups[row["ref"]] or [("", NONE_LABELS[dimension], None)]:
                line = lines.get((key, group_key))
                if line is None:
                    line = lines[key, group_key] = Line(group_key, label, ref)
                    measure.lines.append(line)
                targets.append(line)
            for line in targets:
                line.commitments.append(row["ref"])
                line.figures[row["ref"]] = (value, qualifier)
    order = {"amount": 0, "capacity": 1, "quantity": 2, "documents": 3}
    result = sorted(measures.values(), key=lambda m: (order[m.key.split(":")[0]], m.key))
    for measure in result:
        for line in [*measure.lines, measure.total]:
            _add_up(line, within, names)
        measure.lines.sort(key=lambda li: (-li.value, li.label.casefold()))
    return result


def _add_up(line: Line, within: dict[str, list[Container]], names: dict[str, str]) -> None:
    """Sum the line's figures, leaving out each that a larger one of the line may contain."""
    for ref in line.commitments:
        found = _counted_in(ref, line.figures, within)
        value, qualifier = line.figures[ref]
        if found is None:
            line.counted.append(ref)
            line.value += value
            if qualifier:
                line.qualifiers.add(qualifier)
            continue
        line.overlaps.append(
            Overlap(ref, names.get(ref, ref), value, qualifier, found.ref,
                    names.get(found.ref, found.ref), found.certain, found.why)
        )  # fmt: skip


def _counted_in(
    ref: str, figures: dict[str, tuple[float, str | None]], within: dict[str, list[Container]]
) -> Container | None:
    """The figure of `figures` that may contain `ref`'s (its outermost such container, so a
    chain counts once), or None if `ref` is counted itself. A container no larger than the
    figure does not absorb it."""
    found: Container | None = None
    seen = {ref}
    todo = list(within.get(ref, []))
    while todo:
        container = todo.pop(0)
        if container.ref in seen:
            continue
        seen.add(container.ref)
        if container.ref in figures and figures[container.ref][0] >= figures[ref][0]:
            certain = container.certain and (found is None or found.certain)
            found = Container(container.ref, certain, container.why)
        todo.extend(within.get(container.ref, []))
    return found


_KEYS = (
    "ref", "name", "category", "sector", "amount", "amount_qualifier", "currency",
    "document_count", "capacity", "capacity_unit", "capacity_qualifier", "quantity",
    "quantity_unit",
)  # fmt: skip


def bar(value: float, largest: float, width: int) -> str:
    """A bar of block characters, `width` cells for `largest`, in eighths of a cell."""
    if largest <= 0 or value <= 0 or width <= 0:
        return ""
    eighths = max(1, round(value / largest * width * 8))
    full, rest = divmod(eighths, 8)
    return "█" * full + (BLOCKS[rest] if rest else "")


def as_json(measures: list[Measure], dimension: str) -> dict[str, Any]:
    return {
        "by": dimension,
        "measures": [
            {
                "measure": m.key,
                "title": m.title,
                "unit": m.unit,
                "total": {
                    "value": m.total.value,
                    "bound": m.total.bound,
                    "commitments": len(m.total.commitments),
                    "shown": m.show(m.total),
                    "counted": m.total.counted,
                    "overlaps": [_overlap_json(m, o) for o in m.total.overlaps],
                    "if_none_overlap": _separate_json(m, m.total),
                },
                "groups": [
                    {
                        "group": li.label,
                        "ref": li.ref,
                        "value": li.value,
                        "bound": li.bound,
                        "shown": m.show(li),
                        "commitments": li.commitments,
                        "counted": li.counted,
                        "overlaps": [_overlap_json(m, o) for o in li.overlaps],
                        "if_none_overlap": _separate_json(m, li),
                    }
                    for li in m.lines
                ],
            }
            for m in measures
        ],
    }


def _overlap_json(measure: Measure, overlap: Overlap) -> dict[str, Any]:
    return {
        "commitment": overlap.member,
        "name": overlap.member_name,
        "value": overlap.member_value,
        "shown": measure.overlap_figure(overlap),
        "within": overlap.container,
        "within_name": overlap.container_name,
        "certain": overlap.certain,
        "inclusion": "included" if overlap.certain else "may be included",
        "why": overlap.why,
    }


def _separate_json(measure: Measure, line: Line) -> dict[str, Any] | None:
    """What the line would add up to if the figures that may overlap do not."""
    separate = line.separate
    if separate is None:
        return None
    value, bound = separate
    return {"value": value, "bound": bound, "shown": measure.figure(value, bound)}


def _bound(qualifiers: set[str | None]) -> str | None:
    return Line("", "", None, qualifiers={q for q in qualifiers if q}).bound


def overlap_notes(measure: Measure, line: Line) -> list[str]:
    """The line's figures not added, in words: one line per container, e.g. "$22 bn
    (47 documents signed during the state visit, a total of the state visit) may include:
    over $1.6 bn (CITIC Group's five commercial documents; not linked to any meeting)"."""
    by_container: dict[str, list[Overlap]] = {}
    for overlap in line.overlaps:
        by_container.setdefault(overlap.container, []).append(overlap)
    notes = []
    for container, items in by_container.items():
        value, qualifier = line.figures[container]
        head = f"{measure.figure(value, _bound({qualifier}))} ({items[0].container_name})"
        verb = "includes" if all(o.certain for o in items) else "may include"
        parts = [f"{measure.overlap_figure(o)} ({o.member_name}; {o.why})" for o in items]
        notes.append(f"{head} {verb}: {'; '.join(parts)}. Counted once, not added.")
    separate = line.separate
    if notes and separate is not None:
        notes.append(f"if none of these overlap, the sum is {measure.figure(*separate)}.")
    return notes
