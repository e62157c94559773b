"""Positions: who holds which title where ("Xi Guohua, Chairman of the Board of Directors of
CITIC Group Corporation"), and which person a bare title refers to ("the Kazakh President",
"Head of State": the person the article names as President)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tui.data.extract.lexicon import HEAD_OF_STATE
from tui.data.extract.names import Mention, Names

# What may stand between the pieces of a position.
_OF = re.compile(r"^ (?:of|to|in) (?:the )?$")
_NEXT = re.compile(r"^(?: \(\w+\))?,? (?:the )?$")
_LED = re.compile(r"^(?: |,? (?:led|headed) by (?:its |their )?)$")
_COMMA = re.compile(r"^, (?:the |a |an )?$")


@dataclass(frozen=True)
class Position:
    person: int  # entity index
    target: int | None  # organization or place entity index
    role: str
    start: int
    end: int
    sentence: int


def _role(title: Mention) -> str:
    text = title.role or title.text
    return text[:1].upper() + text[1:]


def _gap(body: str, a: Mention, b: Mention) -> str:
    return body[a.end : b.start]


def find(body: str, names: Names) -> list[Position]:
    """Every position the article states, and title references resolved (mention.entity)."""
    found: list[Position] = []
    heads: list[tuple[int, str | None]] = []  # (person, country) named with a head-of-state title
    by_sentence: dict[int, list[Mention]] = {}
    for m in names.mentions:
        by_sentence.setdefault(m.sentence, []).append(m)
    used: set[int] = set()  # ids of titles that belong to a position
    for items in by_sentence.values():
        for i, t in enumerate(items):
            if t.kind != "title":
                continue
            a, b, c = _at(items, i + 1), _at(items, i + 2), _at(items, i - 1)
            # TITLE of X (ABBR), PERSON
            if a and b and a.kind in ("organization", "place") and b.kind == "person":
                if _OF.match(_gap(body, t, a)) and _NEXT.match(_gap(body, a, b)):
                    found.append(_pos(b, a, t))
                    used.add(id(t))
                    if t.role and t.role.lower() in HEAD_OF_STATE and a.kind == "place":
                        heads.append((b.entity or 0, names.entities[a.entity or 0].name))
                    continue
            # X TITLE PERSON; "X (, led by its) TITLE PERSON"
            if c and a and c.kind in ("organization", "place") and a.kind == "person":
                if _LED.match(_gap(body, c, t)) and _gap(body, t, a) == " ":
                    found.append(_pos(a, c, t))
                    used.add(id(t))
                    continue
            # PERSON, TITLE of X
            if c and a and c.kind == "person" and a.kind in ("organization", "place"):
                if _COMMA.match(_gap(body, c, t)) and _OF.match(_gap(body, t, a)):
                    found.append(_pos(c, a, t))
                    used.add(id(t))
                    continue
            # "the company’s regional director Li Ming"
            if a and a.kind == "person" and _gap(body, t, a) == " ":
                owner = re.search(
                    r"\b[Tt]he (?:company|bank|group|corporation|fund)[’']s (?:[a-z]+ )?$",
                    body[max(0, t.start - 30) : t.start],
                )
                org = _last_org(names, t.start) if owner else None
                if org is not None:
                    found.append(Position(a.entity or 0, org, _role(t), t.start, a.end, t.sentence))
                    used.add(id(t))
                    continue
            # "regional akim Beibut Issabayev": the region the sentence names
            if a and a.kind == "person" and _gap(body, t, a) == " ":
                if re.search(r"\bregional $", body[max(0, t.start - 9) : t.start]):
                    region = _region(names, t.sentence)
                    if region is not None:
                        found.append(_pos(a, None, t, region))
                        used.add(id(t))
                        continue
            # TITLE PERSON: "President Kassym-Jomart Tokayev"
            if a and a.kind == "person" and _gap(body, t, a) == " " and t.capitalized:
                used.add(id(t))
                if t.role and t.role.lower() in HEAD_OF_STATE:
                    heads.append((a.entity or 0, t.country))
                if t.country:
                    place = _place(names, t.country)
                    if place is not None:
                        found.append(_pos(a, None, t, place))
                continue
    _references(body, names, heads, used, found)
    _titled_references(body, names, found, by_sentence)
    unique: dict[tuple[int, int | None], Position] = {}
    for p in found:
        unique.setdefault((p.person, p.target), p)
    return list(unique.values())


def _at(items: list[Mention], k: int) -> Mention | None:
    return items[k] if 0 <= k < len(items) else None


def _pos(
    person: Mention, target: Mention | None, title: Mention, place: int | None = None
) -> Position:
    start = min(person.start, title.start, target.start if target else person.start)
    end = max(person.end, title.end, target.end if target else person.end)
    return Position(
        person.entity or 0,
        target.entity if target else place,
        _role(title),
        start,
        end,
        title.sentence,
    )


def _region(names: Names, sentence: int) -> int | None:
    for m in names.in_sentence(sentence):
        if m.kind == "place" and m.entity is not None:
            if names.entities[m.entity].type == "region":
                return m.entity
    return None


def _last_org(names: Names, at: int) -> int | None:
    best = None
    for m in names.mentions:
        if m.start >= at:
            break
        if m.kind == "organization" and m.entity is not None:
            if names.entities[m.entity].type != "facility":
                best = m.entity
    return best


def _place(names: Names, country: str) -> int | None:
    for index, entity in enumerate(names.entities):
        if entity.kind == "place" and entity.name == country:
            return index
    return None


def _references(
    body: str,
    names: Names,
    heads: list[tuple[int, str | None]],
    used: set[int],
    found: list[Position],
) -> None:
    """A head-of-state title standing alone refers to the person the article names with it:
    the one of that country when the title says which ("Kazakh President"), else the first."""
    if not heads:
        return
    known = {person: country for person, country in reversed(heads)}
    for m in names.mentions:
        if m.kind != "title" or id(m) in used or not m.capitalized:
            continue
        if (m.role or "").lower() not in HEAD_OF_STATE:
            continue
        if body[m.end : m.end + 4] == " of ":
            continue  # "President of China ..." without a person: not a reference
        if m.country:
            same = [p for p, c in known.items() if c == m.country]
            free = [p for p, c in known.items() if c is None]
            others = [p for p, c in known.items() if c not in (None, m.country)]
            person = same[0] if same else (free[0] if len(free) == 1 or not others else None)
            if person is None and free:
                person = free[0]
        else:
            person = heads[0][0]
        if person is None:
            continue
        m.entity = person
        if m.country:
            place = _place(names, m.country)
            if place is not None:
                found.append(
                    Position(person, place, _role(m), m.qual_start or m.start, m.end, m.sentence)
                )


def _titled_references(
    body: str, names: Names, found: list[Position], by_sentence: dict[int, list[Mention]]
) -> None:
    """ "The ambassador also met ...": a title after "the" refers to the one person the article
    introduced with that title (any other title word is left alone)."""
    holders: dict[str, set[int]] = {}
    for items in by_sentence.values():
        for i, t in enumerate(items):
            if t.kind != "title" or t.entity is not None:
                continue
            word = (t.role or t.text).split()[-1].lower()
            nxt = items[i + 1] if i + 1 < len(items) else None
            if nxt is not None and nxt.kind == "person" and nxt.start - t.end <= 25:
                holders.setdefault(word, set()).add(nxt.entity or 0)
    for p in found:
        holders.setdefault(p.role.split()[-1].lower(), set()).add(p.person)
    for m in names.mentions:
        if m.kind != "title" or m.entity is not None:
            continue
        word = (m.role or m.text).split()[-1].lower()
        if word in HEAD_OF_STATE or not re.search(
            r"\b[Tt]he $", body[max(0, m.start - 4) : m.start]
        ):
            continue
        if body[m.end : m.end + 4].startswith((" of", ",")):
            continue
        people = holders.get(word, set())
        if len(people) == 1:
            m.entity = next(iter(people))
