"""FollowTheMoney entities (one JSON object per line: `id`, `schema`, `properties` with lists
of strings), so the data can move into tools that read FtM (Aleph, OpenSanctions, ftm).

Entities: organizations as Company (companies, state companies, banks), PublicBody
(government) or Organization; people as Person; meetings as Event; agreements as Contract,
projects as Project and other commitments as Event; every place as Address (a country also
as a country code on what lies in it or names it); articles as Article, with their text.
Indicators have no FtM counterpart and are left out (`NO_COUNTERPART`).

Relations, one edge entity each, with its role where it has one: a position at an
organization as Directorship or Membership, at a country or other place as Occupancy of a
Position; a party to a project as ProjectParticipant; every other participant, party, place
of a commitment (site, destination, ...), `announced at` (commitment to meeting) and `part of`
(meeting to meeting) as UnknownLink. An Event also lists the people and organizations that
take part in it as `involved` (a meeting's host as `organizer`).

Ids derive from what they identify: `rt-organization-cnpc` for an entity, and for a relation
a SHA-1 of its kind, its two ends and its role, so removing one record from the seed leaves
every other id as it was. Provenance: every entity and link gets `proof` (the articles) and
its quotes in `notes` (on entities) or `summary` (on links). No source URL is invented.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
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
PROJECT_CATEGORIES = {"project"}
DIRECTOR_ROLE = re.compile(r"chair|director|president|head|ceo|board|governor", re.IGNORECASE)
ORGANIZER_ROLES = {"host", "organizer", "organiser"}
LEGAL_KINDS = {"organization", "person"}
# Kinds with no FtM form: an export of only these writes nothing.
NO_COUNTERPART = ("indicator",)
NO_COUNTERPART_KINDS = frozenset(NO_COUNTERPART)
# The properties whose values are ids of other exported entities.
REFERENCES = (
    "proof", "addressEntity", "involved", "organizer", "subject", "object", "director",
    "member", "organization", "participant", "project", "holder", "post",
)  # fmt: skip
TEXT_LIMIT = 65000  # FtM's longest `text` value, in characters


def entity_id(ref: str) -> str:
    """`organization:cnpc` -> `rt-organization-cnpc`."""
    return f"{PREFIX}-{ref.replace(':', '-')}"


def _digest(*parts: str | None) -> str:
    return hashlib.sha1("\x1f".join(p or "" for p in parts).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Link:
    """One relation: `a` (the person, participant, party, commitment or sub-meeting) to `b`
    (the organization, meeting, commitment, place or parent meeting). `number` is the row's
    `link_id` where the relation is a row of its own with evidence; `field` the column of `a`
    that holds it otherwise (`announced_at`, `part_of`)."""

    relation: str  # position, participant, party, place, related, announced at, part of, ...
    a: str
    b: str
    role: str | None
    number: int | None = None
    field: str | None = None

    @property
    def id(self) -> str:
        """Derived from what the link is, never from its row number."""
        return f"{PREFIX}-link-{_digest(self.relation, self.a, self.b, self.role)}"


def post_id(place_ref: str, role: str) -> str:
    """A Position (the post `role` at a place, e.g. President of Kazakhstan)."""
    return f"{PREFIX}-post-{_digest(place_ref, role)}"


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
        # What an article states differently, per entity and field: (ref, field) -> articles.
        self.stated: dict[tuple[str, str], dict[str, set[str]]] = {}
        for ref, number, article, quote, field, value in conn.execute(
            """SELECT ev.entity_ref, ev.link_id, q.article_ref, q.text, ev.field, ev.value
               FROM evidence AS ev JOIN quotes AS q ON q.id = ev.quote_id
               ORDER BY q.article_ref, q.start"""
        ):
            key = ("entity", ref) if ref else ("link", number)
            if (article, quote) not in self.quotes.get(key, []):
                self.quotes.setdefault(key, []).append((article, quote))
            if ref and field:
                self.stated.setdefault((ref, field), {}).setdefault(article, set()).add(value)
        self.links = self._links()
        self.taking_part: dict[str, list[Link]] = {}
        for link in self.links:
            if link.relation in ("participant", "party"):
                self.taking_part.setdefault(link.b, []).append(link)

    def _links(self) -> list[Link]:
        links = [
            Link(kind, a, b, role, number)
            for number, a, b, role, kind in self.conn.execute(
                f"SELECT * FROM ({LINK_ENDS}) ORDER BY link_id"  # noqa: S608 - constant SQL
            )
        ]
        for ref, parent in self.conn.execute(
            "SELECT ref, part_of_ref FROM meetings WHERE part_of_ref IS NOT NULL ORDER BY ref"
        ):
            links.append(Link("part of", ref, parent, "part of", field="part_of"))
        for ref, meeting in self.conn.execute(
            """SELECT ref, announced_at_ref FROM commitments
               WHERE announced_at_ref IS NOT NULL ORDER BY ref"""
        ):
            links.append(Link("announced at", ref, meeting, "announced at", field="announced_at"))
        for ref, parent, meeting in self.conn.execute(
            """SELECT ref, part_of_ref, covers_ref FROM commitments
               WHERE part_of_ref IS NOT NULL OR covers_ref IS NOT NULL ORDER BY ref"""
        ):
            if parent is not None:
                links.append(Link("part of", ref, parent, "part of", field="part_of"))
            if meeting is not None:
                links.append(Link("total of", ref, meeting, "total of", field="covers"))
        # A relation to an entity with no FtM counterpart (an indicator) has no edge.
        return [link for link in links if NO_COUNTERPART_KINDS.isdisjoint(
            (self.kind(link.a), self.kind(link.b)))]  # fmt: skip

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

    def containing(self, place_ref: str, place_type: str) -> str | None:
        """The name of the nearest place of `place_type` that contains `place_ref`."""
        seen = {place_ref}
        within = self.places[place_ref]["within_ref"]
        while within and within not in seen and within in self.places:
            seen.add(within)
            if self.places[within]["place_type"] == place_type:
                return self.entities[within]["name"]
            within = self.places[within]["within_ref"]
        return None

    def kind(self, ref: str) -> str:
        return self.entities[ref]["kind"]

    def provenance(self, key: tuple[str, Any], field: str) -> dict[str, list[str]]:
        return self._cite(self.quotes.get(key, []), field)

    def held_provenance(self, link: Link) -> dict[str, list[str]]:
        """A relation held in a column of `a` is stated by `a`'s sources, except by an
        article that states that column differently."""
        assert link.field is not None
        target = link.b.split(":", 1)[1]
        against = {
            article
            for article, values in self.stated.get((link.a, link.field), {}).items()
            if values - {link.b, target}
        }
        cited = [(a, q) for a, q in self.quotes.get(("entity", link.a), []) if a not in against]
        return self._cite(cited, "summary")

    def _cite(self, cited: list[tuple[str, str]], field: str) -> dict[str, list[str]]:
        notes = [
            f"“{quote}” ({self.entities.get(article, {}).get('name', article)}, {article})"
            for article, quote in cited
        ]
        return _props(**{field: notes, "proof": [entity_id(a) for a, _ in cited]})

    def involved(self, ref: str) -> dict[str, list[str]]:
        """An Event's people and organizations: `organizer` for a host, else `involved`."""
        organizers: list[str] = []
        involved: list[str] = []
        for link in self.taking_part.get(ref, []):
            if self.kind(link.a) in LEGAL_KINDS:
                hosting = (link.role or "").lower() in ORGANIZER_ROLES
                (organizers if hosting else involved).append(entity_id(link.a))
        return _props(organizer=organizers, involved=involved)


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
        place_type = data.places[ref]["place_type"]
        schema = "Address"
        props = _props(
            **common, full=name,
            city=name if place_type == "city" else None,
            region=name if place_type == "region" else data.containing(ref, "region"),
            country=data.country_code(ref),
        )  # fmt: skip
    elif kind == "meeting":
        row = restate(dict(conn.execute("SELECT * FROM meetings WHERE ref = ?", (ref,)).fetchone()))
        place = row["place_ref"]
        schema = "Event"
        props = _props(
            **common, date=row["date"], summary=row["topics"],  # restated: as precise as the text
            location=data.entities[place]["name"] if place else None,
            addressEntity=entity_id(place) if place else None,
            country=data.country_code(place), keywords=fmt.label(row["meeting_type"]),
        )  # fmt: skip
        props.update(data.involved(ref))
    elif kind == "commitment":
        props, schema = _commitment(data, ref, common)
    elif kind == "article":
        return _article(data, ref)
    else:
        return None  # indicators: no FtM counterpart
    props.update(data.provenance(("entity", ref), "notes"))
    return {"id": entity_id(ref), "schema": schema, "properties": props}


def _article(data: _Data, ref: str) -> dict[str, Any]:
    row = data.conn.execute("SELECT * FROM articles WHERE ref = ?", (ref,)).fetchone()
    content = row["body"].encode("utf-8")
    # FtM's checksum is the SHA-1 of the file: give it only when the stored body is the file
    # byte for byte (its SHA-256 is the one the build recorded).
    same_file = hashlib.sha256(content).hexdigest() == row["sha256"]
    props = _props(
        name=data.entities[ref]["name"], title=row["title"],  # title: only if printed
        publishedAt=fmt.stated_date(row["published"], row["date_precision"]),
        fileName=row["file"].rsplit("/", 1)[-1],
        contentHash=hashlib.sha1(content).hexdigest() if same_file else None,
        fileSize=len(content) if same_file else None,
        bodyText=row["body"][:TEXT_LIMIT].strip(),  # FtM text is stripped
        country=data.country_code(row["place_ref"]),
        addressEntity=entity_id(row["place_ref"]) if row["place_ref"] else None,
    )  # fmt: skip
    return {"id": entity_id(ref), "schema": "Article", "properties": props}


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
        "addressEntity": [entity_id(p) for p in places],
    }
    target = row["date_precision"] == "target_year"
    date = fmt.stated_date(row["date"], row["date_precision"])
    money = {
        "amount": row["amount"], "currency": row["currency"],
        "amountUsd": row["amount"] if row["currency"] == "USD" else None,
    }  # fmt: skip
    if row["category"] in CONTRACT_CATEGORIES:
        props = _props(
            **common, **where, **money, title=common["name"], summary=summary,
            contractDate=None if target else date, status=fmt.label(row["status"]),
            type=fmt.label(row["category"]),
        )  # fmt: skip
        return props, "Contract"
    if row["category"] in PROJECT_CATEGORIES:
        props = _props(
            **common, **where, **money, summary=summary, status=fmt.label(row["status"]),
            date=None if target else date, endDate=date if target else None,
            keywords=row["sector"],
        )  # fmt: skip
        return props, "Project"
    props = _props(
        **common, **where, summary=summary,
        date=None if target else date, endDate=date if target else None,
        keywords=[fmt.label(row["category"]), fmt.label(row["status"])],
    )  # fmt: skip
    props.update(data.involved(ref))
    return props, "Event"


def _link(data: _Data, link: Link, schemas: dict[str, str]) -> list[dict[str, Any]]:
    """The edge entities of one relation (an Occupancy also brings its Position)."""
    a, b = entity_id(link.a), entity_id(link.b)
    if link.field is not None:
        props = _props(subject=a, object=b, role=link.role)
        props.update(data.held_provenance(link))
        return [{"id": link.id, "schema": "UnknownLink", "properties": props}]
    legal = data.kind(link.a) in LEGAL_KINDS
    extra: list[dict[str, Any]] = []
    role = link.role or ""
    if link.relation == "position" and data.kind(link.b) == "organization":
        schema = "Directorship" if DIRECTOR_ROLE.search(role) else "Membership"
        end = "director" if schema == "Directorship" else "member"
        props = _props(**{end: a}, organization=b, role=role)
    elif link.relation == "position":  # a post at a country or another place
        post = post_id(link.b, role)
        place = data.entities[link.b]["name"]
        post_props = _props(
            name=f"{role} of {place}", country=data.country_code(link.b), addressEntity=b
        )
        post_props.update(data.provenance(("link", link.number), "notes"))
        extra.append({"id": post, "schema": "Position", "properties": post_props})
        schema = "Occupancy"
        props = _props(holder=a, post=post)
    elif link.relation == "party" and legal and schemas.get(link.b) == "Project":
        schema = "ProjectParticipant"
        props = _props(participant=a, project=b, role=role)
    else:
        schema = "UnknownLink"
        props = _props(subject=a, object=b, role=role)
    props.update(data.provenance(("link", link.number), "summary"))
    return [*extra, {"id": link.id, "schema": schema, "properties": props}]


def ftm_entities(conn: sqlite3.Connection, refs: list[str] | None = None) -> Iterator[dict]:
    """FtM entities for `refs` (every entity when None), the relations that touch them, and
    every entity those point at (the other ends, the articles they cite, the places they name),
    so every reference resolves."""
    data = _Data(conn)
    wanted = set(data.entities) if refs is None else set(refs)
    chosen = [link for link in data.links if link.a in wanted or link.b in wanted]
    by_id = {entity_id(ref): ref for ref in data.entities}
    built: dict[str, dict[str, Any] | None] = {}
    pending = wanted | {end for link in chosen for end in (link.a, link.b)}
    edges: list[dict[str, Any]] = []
    while pending:
        for ref in sorted(pending):
            built[ref] = _entity(data, ref)
        schemas = {ref: item["schema"] for ref, item in built.items() if item is not None}
        if not edges:
            edges = [edge for link in chosen for edge in _link(data, link, schemas)]
        items = [item for item in built.values() if item is not None] + edges
        pending = {
            by_id[value]
            for item in items
            for key in REFERENCES
            for value in item["properties"].get(key, [])
            if value in by_id and by_id[value] not in built
        }
    entities = [built[ref] for ref in sorted(built, key=lambda r: (data.kind(r), r))]
    yield from (item for item in entities if item is not None)
    yield from edges
