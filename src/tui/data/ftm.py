"""FollowTheMoney entities (one JSON object per line: `id`, `schema`, `properties` with lists
of strings), so the data can move into tools that read FtM (Aleph, OpenSanctions, ftm).

Mapping: organizations to Company (companies, state companies, banks), PublicBody
(government) or Organization; people to Person; meetings to Event; agreements to Contract and
other commitments to Event; cities, regions and areas to Address (countries become country
codes where known); positions to Directorship or Membership; participants and parties to
UnknownLink; articles to Article. Indicators have no FtM counterpart and are left out.
Provenance: every entity and link gets `proof` (the articles) and its quotes in `notes` (on
entities) or `summary` (on links). No source URL is invented: the articles do not state one.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from typing import Any

from tui import formatting as fmt
from tui.data.dates import restate
from tui.data.links import LINK_ENDS

PREFIX = "rt"
COUNTRY_CODES = {
    "kazakhstan": "kz", "china": "cn", "netherlands": "nl", "united-states": "us",
    "switzerland": "ch", "russia": "ru", "uzbekistan": "uz", "kyrgyzstan": "kg",
    "tajikistan": "tj", "turkmenistan": "tm", "mongolia": "mn", "germany": "de",
    "united-kingdom": "gb", "france": "fr", "japan": "jp", "south-korea": "kr", "india": "in",
    "turkey": "tr", "iran": "ir", "azerbaijan": "az", "georgia": "ge", "pakistan": "pk",
}  # fmt: skip
ORG_SCHEMAS = {
    "company": "Company", "state_company": "Company", "bank": "Company",
    "government": "PublicBody", "intergovernmental": "Organization",
    "institute": "Organization", "facility": "Organization",
}  # fmt: skip
ORG_TOPICS = {"state_company": "gov.soe", "bank": "fin.bank", "intergovernmental": "gov.igo"}
CONTRACT_CATEGORIES = {"agreement", "supply_agreement"}
DIRECTOR_ROLE = re.compile(r"chair|director|president|head|ceo|board|governor", re.IGNORECASE)
LEGAL_KINDS = {"organization", "person"}


def entity_id(ref: str) -> str:
    """`organization:cnpc` -> `rt-organization-cnpc`."""
    return f"{PREFIX}-{ref.replace(':', '-')}"


def link_id(number: int) -> str:
    return f"{PREFIX}-link-{number}"


def _string(value: Any) -> str:
    """FtM numbers are plain digits: 1600000000, not 1.6e9 or 1,600,000,000."""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _props(**values: Any) -> dict[str, list[str]]:
    """Properties with every value a list of non-empty strings; empty ones left out."""
    props: dict[str, list[str]] = {}
    for key, value in values.items():
        items = value if isinstance(value, (list, tuple)) else [value]
        strings = [_string(v) for v in items if v is not None and v != ""]
        if strings:
            props[key] = list(dict.fromkeys(strings))
    return props


class _Data:
    """Everything the mapping needs, read once."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.entities = {r["ref"]: dict(r) for r in conn.execute("SELECT * FROM entities")}
        self.places = {r["ref"]: dict(r) for r in conn.execute("SELECT * FROM places")}
        self.aliases: dict[str, list[str]] = {}
        for ref, alias in conn.execute("SELECT entity_ref, alias FROM aliases ORDER BY alias"):
            self.aliases.setdefault(ref, []).append(alias)
        self.quotes: dict[tuple[str, Any], list[tuple[str, str]]] = {}
        for ref, number, article, quote in conn.execute(
            """SELECT ev.entity_ref, ev.link_id, q.article_ref, q.text FROM evidence AS ev
               JOIN quotes AS q ON q.id = ev.quote_id ORDER BY q.article_ref, q.start"""
        ):
            key = ("entity", ref) if ref else ("link", number)
            if (article, quote) not in self.quotes.get(key, []):
                self.quotes.setdefault(key, []).append((article, quote))

    def country_code(self, place_ref: str | None) -> str | None:
        """The ISO code of the country `place_ref` is or lies within, where known."""
        seen = set()
        while place_ref and place_ref not in seen:
            seen.add(place_ref)
            place = self.places.get(place_ref)
            if place is None:
                return None
            if place["place_type"] == "country":
                return COUNTRY_CODES.get(place_ref.split(":", 1)[1])
            place_ref = place["within_ref"]
        return None

    def is_address(self, ref: str) -> bool:
        place = self.places.get(ref)
        return place is not None and place["place_type"] != "country"

    def provenance(self, key: tuple[str, Any], field: str) -> dict[str, list[str]]:
        cited = self.quotes.get(key, [])
        notes = [
            f"“{quote}” ({self.entities.get(article, {}).get('name', article)}, {article})"
            for article, quote in cited
        ]
        return _props(**{field: notes, "proof": [entity_id(a) for a, _ in cited]})


def _entity(data: _Data, ref: str) -> dict[str, Any] | None:
    base = data.entities[ref]
    kind, name = base["kind"], base["name"]
    conn = data.conn
    common = {"name": name, "alias": data.aliases.get(ref, []), "description": base["description"]}
    if kind == "organization":
        row = conn.execute("SELECT * FROM organizations WHERE ref = ?", (ref,)).fetchone()
        schema = ORG_SCHEMAS.get(row["org_type"], "Organization")
        props = _props(
            **common, country=data.country_code(row["country_ref"]),
            topics=ORG_TOPICS.get(row["org_type"]),
        )  # fmt: skip
    elif kind == "person":
        row = conn.execute("SELECT * FROM people WHERE ref = ?", (ref,)).fetchone()
        positions = [
            f"{role}, {other}"
            for role, other in conn.execute(
                """SELECT p.role, e.name FROM positions AS p
                   JOIN entities AS e ON e.ref = p.organization_ref
                   WHERE p.person_ref = ? ORDER BY e.name""",
                (ref,),
            )
        ]
        schema = "Person"
        props = _props(**common, country=data.country_code(row["country_ref"]), position=positions)
    elif kind == "place":
        place = data.places[ref]
        if place["place_type"] == "country":
            return None  # a country is a code on the entities that name it
        schema = "Address"
        props = _props(
            **common, full=name,
            city=name if place["place_type"] == "city" else None,
            region=name if place["place_type"] == "region" else None,
            country=data.country_code(place["within_ref"]),
        )  # fmt: skip
    elif kind == "meeting":
        row = restate(dict(conn.execute("SELECT * FROM meetings WHERE ref = ?", (ref,)).fetchone()))
        place = row["place_ref"]
        schema = "Event"
        props = _props(
            **common, date=row["date"], summary=row["topics"],
            location=data.entities[place]["name"] if place else None,
            addressEntity=entity_id(place) if place and data.is_address(place) else None,
            country=data.country_code(place), keywords=fmt.label(row["meeting_type"]),
        )  # fmt: skip
    elif kind == "commitment":
        props, schema = _commitment(data, ref, common)
    elif kind == "article":
        row = restate(dict(conn.execute("SELECT * FROM articles WHERE ref = ?", (ref,)).fetchone()))
        schema = "Article"
        props = _props(
            name=name, title=row["title"], publishedAt=row["published"],  # title: only if printed
            fileName=row["file"].rsplit("/", 1)[-1], contentHash=row["sha256"],
            country=data.country_code(row["place_ref"]),
        )  # fmt: skip
        return {"id": entity_id(ref), "schema": schema, "properties": props}
    else:
        return None  # indicators: no FtM counterpart
    props.update(data.provenance(("entity", ref), "notes"))
    return {"id": entity_id(ref), "schema": schema, "properties": props}


def _commitment(data: _Data, ref: str, common: dict[str, Any]) -> tuple[dict[str, list[str]], str]:
    row = restate(
        dict(data.conn.execute("SELECT * FROM commitments WHERE ref = ?", (ref,)).fetchone())
    )
    places = [
        p for (p,) in data.conn.execute(
            "SELECT place_ref FROM commitment_places WHERE commitment_ref = ?", (ref,)
        )
    ] + [
        p for (p,) in data.conn.execute(
            """SELECT entity_ref FROM commitment_parties
               WHERE commitment_ref = ? AND entity_ref LIKE 'place:%'""", (ref,)
        )
    ]  # fmt: skip
    figures = [
        fmt.commitment_size(dict(row)),
        fmt.commitment_capacity(dict(row)),
    ]
    summary = "; ".join(
        part for part in (fmt.label(row["category"]), fmt.label(row["status"]), row["sector"],
                          *figures) if part
    )  # fmt: skip
    where = {
        "country": [data.country_code(p) for p in places],
        "addressEntity": [entity_id(p) for p in places if data.is_address(p)],
    }
    target = row["date_precision"] == "target_year"
    if row["category"] in CONTRACT_CATEGORIES:
        props = _props(
            **common, **where, title=common["name"], summary=summary,
            contractDate=None if target else row["date"], status=fmt.label(row["status"]),
            type=fmt.label(row["category"]), amount=row["amount"], currency=row["currency"],
            amountUsd=row["amount"] if row["currency"] == "USD" else None,
        )  # fmt: skip
        return props, "Contract"
    props = _props(
        **common, **where, summary=summary,
        date=None if target else row["date"], endDate=row["date"] if target else None,
        keywords=[fmt.label(row["category"]), fmt.label(row["status"])],
    )  # fmt: skip
    return props, "Event"


# A commitment's places are not links in FtM: they are its country and addressEntity.
_LINKS = f"SELECT * FROM ({LINK_ENDS}) WHERE type <> 'place' ORDER BY link_id"  # noqa: S608 - constant SQL


def _link(data: _Data, number: int, a: str, b: str, role: str, kind: str) -> dict[str, Any] | None:
    if data.entities[a]["kind"] not in LEGAL_KINDS:
        return None  # a place as participant or party: recorded as a country/address instead
    if kind == "position":
        if data.entities[b]["kind"] != "organization":
            return None  # a head of state: `position` on the Person
        schema = "Directorship" if DIRECTOR_ROLE.search(role or "") else "Membership"
        ends = {"director": entity_id(a)} if schema == "Directorship" else {"member": entity_id(a)}
        props = _props(**ends, organization=entity_id(b), role=role)
    else:
        props = _props(subject=entity_id(a), object=entity_id(b), role=role)
        schema = "UnknownLink"
    props.update(data.provenance(("link", number), "summary"))
    return {"id": link_id(number), "schema": schema, "properties": props}


def ftm_entities(conn: sqlite3.Connection, refs: list[str] | None = None) -> Iterator[dict]:
    """FtM entities for `refs` (every entity when None), the links that touch them, the
    entities at their other ends, and the articles they cite, so every reference resolves."""
    data = _Data(conn)
    links = [tuple(row) for row in conn.execute(_LINKS)]
    wanted = set(data.entities) if refs is None else set(refs)
    chosen = [link for link in links if link[1] in wanted or link[2] in wanted]
    link_entities = [e for link in chosen if (e := _link(data, *link)) is not None]
    for link in chosen:
        wanted.update((link[1], link[2]))
    entities = []
    for ref in sorted(wanted, key=lambda r: (data.entities[r]["kind"], r)):
        found = _entity(data, ref)
        if found is not None:
            entities.append(found)
    # Addresses and articles the entities point at, so nothing dangles.
    cited = {
        value for item in entities + link_entities
        for key in ("proof", "addressEntity") for value in item["properties"].get(key, [])
    }  # fmt: skip
    have = {item["id"] for item in entities}
    for ref in sorted(data.entities):
        if entity_id(ref) in cited and entity_id(ref) not in have:
            found = _entity(data, ref)
            if found is not None:
                entities.append(found)
    yield from entities
    yield from link_entities
