"""Names in an article: organizations, people and places, and the titles beside them.

Capitalized runs of words are cut at titles ("CITIC Group Chair Zhu Hexin"), demonyms ("Kazakh
President") and joining words, then each piece is typed by what its words say: an organization
word or legal form, a known place, a personal-name pattern, a descriptor after it ("national
railway company"). A lone word is a name only when it is a known place, an abbreviation, or a
short form of a name the article gives in full ("Tokayev", "Dai", "Huawei"). Words that are
not entities ("Head of State", "the Kazakh side", "Despite", "May") never become entities.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field

from tui.data.extract import gazetteer
from tui.data.extract.lexicon import (
    CHINESE_SURNAMES,
    DIRECTIONS,
    FACILITY_MODIFIERS,
    FACILITY_NOUNS,
    LEGAL_FORMS,
    MONTHS,
    NOT_ACRONYMS,
    ORG_DESCRIPTOR_NOUNS,
    ORG_TAILS,
    ORG_WORDS,
    PLACE_WORDS,
    SAID,
    STOP_WORDS,
    SURNAME_ENDINGS,
    TITLES,
    WEEKDAYS,
)
from tui.data.extract.text import Span, Word, words
from tui.data.spelling import spelling_key

_SINGLE_TITLES = {t for t in TITLES if " " not in t}
_CONNECTORS = {"of", "for", "and", "the", "de", "on"}
_TITLE_WORDS = [t.split() for t in TITLES]
_TITLE_RE = re.compile(r"\b(" + "|".join(re.escape(t) for t in TITLES) + r")\b", re.IGNORECASE)


@dataclass
class Mention:
    """One place the article names something: an entity, or a title (never an entity)."""

    kind: str  # organization | person | place | title
    start: int
    end: int
    text: str
    sentence: int
    entity: int | None = None  # index into Names.entities
    role: str | None = None  # a title's words
    country: str | None = None  # the country a title's qualifier names ("Kazakh President")
    capitalized: bool = True
    qual_start: int | None = None  # where a title's qualifier starts


@dataclass
class Entity:
    kind: str
    name: str
    mentions: list[Mention] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    type: str | None = None  # the org_type or place_type the words state
    type_why: str | None = None
    called: list[tuple[int, int]] = field(default_factory=list)  # words that stand for it

    @property
    def first(self) -> Mention:
        return min(self.mentions, key=lambda m: m.start)


@dataclass
class Names:
    entities: list[Entity]
    mentions: list[Mention]  # every mention (titles included), in text order

    def in_sentence(self, index: int) -> list[Mention]:
        return [m for m in self.mentions if m.sentence == index]

    def entity_of(self, mention: Mention) -> Entity | None:
        return None if mention.entity is None else self.entities[mention.entity]


@dataclass
class _Tok:
    word: Word
    abbr: bool = False  # an abbreviation in parentheses: "(CNPC)"
    connector: bool = False

    @property
    def low(self) -> str:
        return self.word.text.lower()


@dataclass
class _Piece:
    toks: list[_Tok]
    sentence: int
    title: str | None = None  # set when the piece is a title
    qualifier: str | None = None  # a country named by a demonym or place before a title
    qual_start: int | None = None

    @property
    def start(self) -> int:
        return self.toks[0].word.start

    @property
    def end(self) -> int:
        return self.toks[-1].word.end + (1 if self.toks[-1].abbr else 0)

    @property
    def core(self) -> list[_Tok]:
        return [t for t in self.toks if not t.abbr]


def _lower_words(body: str) -> set[str]:
    return {w.text for w in words(body) if w.text.islower()}


def _runs(body: str, sentence: Span) -> list[list[_Tok]]:
    """Runs of capitalized words joined by single spaces, joining words and (ABBR)."""
    ws = words(sentence.text, sentence.start)
    runs: list[list[_Tok]] = []
    run: list[_Tok] = []
    for i, w in enumerate(ws):
        gap = body[run[-1].word.end : w.start] if run else ""
        closing = run and run[-1].abbr
        joined = run and (
            gap == " "
            or (closing and gap == ") ")
            or (gap == " & " and w.capitalized)
            or (gap in ("’s ", "'s ") and run[-1].word.text == "People")
        )
        is_abbr = bool(run) and gap == " (" and body[w.end : w.end + 1] == ")" and w.acronym
        if is_abbr:
            run.append(_Tok(w, abbr=True))
            continue
        if w.capitalized and joined:
            run.append(_Tok(w))
            continue
        nxt = ws[i + 1] if i + 1 < len(ws) else None
        if (
            run
            and joined
            and w.text in _CONNECTORS
            and nxt is not None
            and (nxt.capitalized or nxt.text in _CONNECTORS)
            and body[w.end : nxt.start] == " "
        ):
            run.append(_Tok(w, connector=True))
            continue
        if run:
            runs.append(run)
        run = [_Tok(w)] if w.capitalized else []
    if run:
        runs.append(run)
    return [_trim(r) for r in runs if _trim(r)]


def _trim(toks: list[_Tok]) -> list[_Tok]:
    while toks and toks[-1].connector:
        toks = toks[:-1]
    while toks and toks[0].connector:
        toks = toks[1:]
    return toks


def _is_org(toks: list[_Tok]) -> bool:
    if len(toks) > 2 and toks[0].low in ORG_WORDS and toks[1].low in ("of", "for"):
        return True  # "Bureau of National Statistics", "Bank of China"
    core = [t for t in toks if not t.abbr and not t.connector]
    return (len(core) >= 2 and any(t.low in ORG_WORDS for t in core[1:])) or (
        len(core) >= 2 and core[-1].low in ORG_WORDS
    )


def _text(toks: list[_Tok]) -> str:
    return " ".join(t.word.text for t in toks if not t.abbr)


class _Reading(threading.local):
    """The body being read and its lower-case words (per thread, so two readings never mix)."""

    body: str = ""
    lower: frozenset[str] = frozenset()


_READING = _Reading()


def _body_text(toks: list[_Tok]) -> str:
    core = [t for t in toks if not t.abbr]
    return _READING.body[core[0].word.start : core[-1].word.end] if core else ""


def _person_like(toks: list[_Tok], cue: bool) -> bool:
    core = [t for t in toks if not t.abbr]
    if not 2 <= len(core) <= 3 or any(t.connector for t in core):
        return False
    for t in core:
        w = t.word.text
        if not (w[:1].isupper() and any(c.islower() for c in w)):
            return False
        if t.low in ORG_WORDS or t.low in STOP_WORDS or t.low in MONTHS or t.low in PLACE_WORDS:
            return False
    if gazetteer.lookup(_text(core)) or gazetteer.demonym(core[0].word.text):
        return False
    if any(t.low in _READING.lower for t in core):
        return False  # "National Statistics": words the text also uses as plain words
    if cue:
        return True
    if len(core) == 2 and core[0].low in CHINESE_SURNAMES:
        return True
    last = core[-1].low.split("-")[-1]
    return any(last.endswith(e) and len(last) > len(e) + 2 for e in SURNAME_ENDINGS)


_PORTFOLIO_TITLES = {"minister", "secretary", "commissioner", "ministry"}


def _portfolio(toks: list[_Tok], j: int, match: list[_Tok]) -> list[_Tok]:
    """ "Minister of Foreign Affairs", "Minister of Trade and Integration": the portfolio is
    part of the title; a country or the person after it is not."""
    if j >= len(toks) or toks[j].low != "of":
        return match
    k = j + 1
    taken: list[_Tok] = []
    while k < len(toks):
        t = toks[k]
        rest = toks[k:]
        if (
            t.low == "of"
            or t.abbr
            or gazetteer.lookup(t.word.text)
            or gazetteer.lookup(_body_text(rest))
        ):
            break
        after_and = bool(taken) and taken[-1].connector
        if not t.connector and not after_and and taken and _person_like(rest, cue=True):
            break
        taken.append(t)
        k += 1
    while taken and taken[-1].connector:
        taken.pop()
    return [*match, toks[j], *taken] if taken else match


def _split_titles(toks: list[_Tok], sentence: int) -> list[_Piece]:
    pieces: list[_Piece] = []
    current: list[_Tok] = []
    i = 0
    while i < len(toks):
        match = None
        for title in _TITLE_WORDS:
            n = len(title)
            window = toks[i : i + n]
            if len(window) == n and [t.low for t in window] == title:
                match = window
                break
        # A title word inside an organization's own name stays there ("Presidential Fund").
        inside_org = bool(match) and bool(current) and _is_org(current + list(match or []))
        inside_org = inside_org and not _is_org(current)
        if match and match[-1].low in _PORTFOLIO_TITLES:
            match = _portfolio(toks, i + len(match), list(match))
            if (
                len(match) == 1
                and current
                and not current[-1].connector
                and not current[-1].word.acronym
                and not gazetteer.lookup(current[-1].word.text)
                and not gazetteer.demonym(current[-1].word.text)
            ):
                match = [current.pop(), *match]  # "Finance Minister", "Energy Minister"
                i -= 1  # the word taken back was already counted
        if match and not inside_org:
            if current:
                pieces.append(_Piece(current, sentence))
                current = []
            pieces.append(_Piece(list(match), sentence, title=_text(match)))
            i += len(match)
            continue
        current.append(toks[i])
        i += 1
    if current:
        pieces.append(_Piece(current, sentence))
    return pieces


def _complete(toks: list[_Tok]) -> bool:
    core = [t for t in toks if not t.abbr]
    if not core:
        return False
    if toks[-1].abbr:
        return True  # "Kazakhstan Temir Zholy (KTZ) and ..."
    if len(core) == 1:  # "Samruk-Kazyna and ...", but not "Industrial and Commercial Bank"
        return core[0].low not in ORG_WORDS and core[0].low not in _READING.lower
    return (
        core[-1].low in ORG_WORDS
        or _is_org(toks)
        or gazetteer.lookup(_text(core)) is not None
        or (_person_like(core, cue=False))
    )


def _split_connectors(piece: _Piece) -> list[_Piece]:
    """Cut at "and" / "of" unless they join one organization's or place's own name."""
    toks = piece.toks
    if gazetteer.lookup(_text(toks)) or gazetteer.lookup(_body_text(toks)):
        return [piece]
    for n in range(len(toks) - 1, 1, -1):
        if any(t.connector for t in toks[:n]) and gazetteer.lookup(_body_text(toks[:n])):
            rest = _trim(toks[n:])
            head = [_Piece(toks[:n], piece.sentence)]
            return head + (_split_connectors(_Piece(rest, piece.sentence)) if rest else [])
    for i, t in enumerate(toks):
        if not t.connector:
            continue
        left, right = toks[:i], toks[i + 1 :]
        if t.low == "and":
            right_core = [x for x in right if not x.abbr and not x.connector]
            lone = len(right_core) == 1 and not _complete(
                right
            )  # "... of Industry and Construction"
            keep = _is_org(toks) and (not _complete(left) or lone)
        else:
            keep = any(x.low in ORG_WORDS or x.low in PLACE_WORDS for x in left if not x.abbr)
        if not keep:
            out = []
            for part in (_trim(left), _trim(right)):
                if part:
                    out.extend(_split_connectors(_Piece(part, piece.sentence)))
            return out
    return [piece]


def _split_heads(piece: _Piece) -> list[_Piece]:
    """ "Sun Seven Stars Investment Group Wu Zheng": the organization, then the person;
    "China Xi Jinping": the place, then the person."""
    toks = piece.toks
    heads = [
        i for i, t in enumerate(toks) if (t.low in ORG_WORDS or t.low in PLACE_WORDS) and i > 0
    ]
    if heads:
        cut = heads[-1] + 1
        if cut < len(toks) and toks[cut].abbr:
            cut += 1
        rest = toks[cut:]
        if rest and _person_like(rest, cue=True):  # a name right after a full name: a person
            return [_Piece(toks[:cut], piece.sentence), _Piece(rest, piece.sentence)]
        return [piece]
    for n in (1, 2):
        if len(toks) > n + 1 and gazetteer.lookup(_text(toks[:n])):
            rest = toks[n:]
            if _person_like(rest, cue=False):
                return [_Piece(toks[:n], piece.sentence), _Piece(rest, piece.sentence)]
    return [piece]


def _pieces(body: str, sentence: Span, index: int, lower: set[str]) -> list[_Piece]:
    out: list[_Piece] = []
    for run in _runs(body, sentence):
        while run and (
            run[0].low in STOP_WORDS
            or run[0].low in MONTHS
            or run[0].low in WEEKDAYS
            or (
                len(run) == 1
                and run[0].low in lower
                and not run[0].word.acronym
                and run[0].low not in _SINGLE_TITLES
                and body[sentence.start : run[0].word.start].strip(' “"–—-') == ""
            )
        ):
            run = _trim(run[1:])
        run = [t for t in run if (t.low not in MONTHS and t.low not in WEEKDAYS) or t.abbr]
        if not run:
            continue
        for piece in _split_titles(run, index):
            if piece.title:
                out.append(piece)
                continue
            piece.toks = _trim(piece.toks)
            if not piece.toks:
                continue
            for part in _split_connectors(piece):
                out.extend(_split_heads(part))
    # Demonyms before a title qualify it; elsewhere they name nothing ("Kazakh-Chinese").
    kept: list[_Piece] = []
    for i, piece in enumerate(out):
        if piece.title is None and not _is_org(piece.toks):
            country = _demonym(piece.toks)
            if country is not None:
                nxt = out[i + 1] if i + 1 < len(out) else None
                if nxt is not None and nxt.title and body[piece.end : nxt.start] == " ":
                    nxt.qualifier = country
                    nxt.qual_start = piece.start
                continue
        kept.append(piece)
    return kept


def _demonym(toks: list[_Tok]) -> str | None:
    if len(toks) != 1:
        return None
    parts = toks[0].word.text.split("-")
    countries = [gazetteer.demonym(p) for p in parts]
    if all(countries):
        return countries[0] if len(parts) == 1 else ""
    return None


def _after(body: str, end: int) -> str:
    return body[end : end + 60]


_DESCRIPTOR = re.compile(r"^,? (?:the )?(?:[a-z][a-z-]+ ){0,2}([a-z]+)\b")
_FACILITY = re.compile(r"^ (?:([a-z-]+) )?([a-z]+)\b")


def _org_descriptor(body: str, end: int) -> str | None:
    match = _DESCRIPTOR.match(_after(body, end))
    if match and match.group(1) in ORG_DESCRIPTOR_NOUNS:
        return match.group(1)
    return None


def _facility_end(body: str, end: int) -> int | None:
    match = _FACILITY.match(_after(body, end))
    if not match:
        return None
    modifier, noun = match.group(1), match.group(2)
    if noun in FACILITY_NOUNS and (modifier is None or modifier in FACILITY_MODIFIERS):
        return end + match.end()
    if modifier in FACILITY_NOUNS and modifier is not None:
        return end + 1 + len(modifier)
    return None


_ORG_TYPES = {
    "bank": "bank",
    "institute": "institute",
    "academy": "institute",
    "university": "institute",
    "ministry": "government",
    "government": "government",
    "agency": "government",
    "company": "company",
    "corporation": "company",
    "group": "company",
    "fund": "company",
}


class _Builder:
    def __init__(self, body: str) -> None:
        self.body = body
        self.entities: list[Entity] = []
        self.mentions: list[Mention] = []
        self.index: dict[tuple[str, str], int] = {}

    def add(
        self,
        kind: str,
        start: int,
        end: int,
        sentence: int,
        name: str | None = None,
        type_: str | None = None,
        why: str | None = None,
        alias: bool = True,
    ) -> Mention:
        text = self.body[start:end]
        name = name or text
        key = (kind, _key(_bare_org(name) if kind == "organization" else name))
        if key not in self.index:
            self.index[key] = len(self.entities)
            self.entities.append(Entity(kind, name, type=type_, type_why=why))
        entity = self.entities[self.index[key]]
        if entity.type is None and type_ is not None:
            entity.type, entity.type_why = type_, why
        mention = Mention(kind, start, end, text, sentence, entity=self.index[key])
        entity.mentions.append(mention)
        if alias and text != entity.name and text not in entity.aliases:
            entity.aliases.append(text)
        self.mentions.append(mention)
        return mention

    def attach(self, entity_index: int, start: int, end: int, sentence: int) -> Mention:
        entity = self.entities[entity_index]
        text = self.body[start:end]
        mention = Mention(entity.kind, start, end, text, sentence, entity=entity_index)
        entity.mentions.append(mention)
        if text != entity.name and text not in entity.aliases:
            entity.aliases.append(text)
        self.mentions.append(mention)
        return mention


def _key(name: str) -> str:
    return " ".join(spelling_key(w.text) for w in words(name))


def find(body: str, sents: list[Span]) -> Names:
    """Every name in `body`, grouped into entities."""
    lower = _lower_words(body)
    _READING.body, _READING.lower = body, frozenset(lower)
    b = _Builder(body)
    all_pieces = [(i, _pieces(body, s, i, lower)) for i, s in enumerate(sents)]
    singles: list[_Piece] = []
    titles: list[_Piece] = []
    for i, pieces in all_pieces:
        for j, piece in enumerate(pieces):
            if piece.title:
                titles.append(piece)
                continue
            prev = pieces[j - 1] if j > 0 else None
            nxt = pieces[j + 1] if j + 1 < len(pieces) else None
            if not _classify(b, piece, i, prev, nxt):
                singles.append(piece)
    for piece in singles:
        _classify_single(b, piece)
    for piece in titles:
        b.mentions.append(
            Mention(
                "title",
                piece.start,
                piece.end,
                body[piece.start : piece.end],
                piece.sentence,
                role=piece.title,
                country=piece.qualifier,
                qual_start=piece.qual_start,
            )
        )
    _plural_regions(b, sents)
    _lower_titles(b, sents)
    b.mentions.sort(key=lambda m: (m.start, -m.end))
    for before, title in zip(b.mentions, b.mentions[1:], strict=False):
        # "Kazakhstan President": the place qualifies the title.
        if title.kind == "title" and before.kind == "place" and title.country is None:
            gap = body[before.end : title.start]
            if gap in (" ", "’s ", "'s ") and before.entity is not None:
                title.country = b.entities[before.entity].name
                title.qual_start = before.start
    return _without_empty(Names(b.entities, b.mentions))


def _without_empty(names: Names) -> Names:
    """Entities that lost every mention (a word re-read as part of another name) dropped."""
    keep = [i for i, e in enumerate(names.entities) if e.mentions]
    if len(keep) == len(names.entities):
        return names
    index = {old: new for new, old in enumerate(keep)}
    for m in names.mentions:
        if m.entity is not None:
            m.entity = index.get(m.entity)
    return Names([names.entities[i] for i in keep], names.mentions)


def _classify(
    b: _Builder, piece: _Piece, sentence: int, prev: _Piece | None, nxt: _Piece | None
) -> bool:
    """Type a piece of two or more words (or a lone word that says what it is); False leaves
    it for the second pass."""
    body = b.body
    core = piece.core
    start, end = piece.start, core[-1].word.end
    text = _text(core)
    tail = next((t for t in ORG_TAILS if _after(body, end).startswith(" " + t)), None)
    if tail:
        b.add("organization", start, end + 1 + len(tail), sentence)
        return True
    if _is_org(piece.toks):
        head = next((t.low for t in reversed(core) if t.low in _ORG_TYPES), None)
        mention = b.add(
            "organization", start, end, sentence, type_=_ORG_TYPES.get(head or ""), why=head
        )
        if piece.toks[-1].abbr:
            entity = b.entities[mention.entity or 0]
            if piece.toks[-1].word.text not in entity.aliases:
                entity.aliases.append(piece.toks[-1].word.text)
        return True
    place = gazetteer.lookup(text) or gazetteer.lookup(_body_text(core))
    facility = _facility_end(body, end)
    hyphen_places = all(gazetteer.lookup(p) for p in text.split("-")) and "-" in text
    unknown = not _person_like(core, cue=False) and len(core) <= 2 and not place
    if facility and (place or hyphen_places or unknown):
        b.add(
            "organization",
            start,
            facility,
            sentence,
            type_="facility",
            why=body[end:facility].split()[-1],
        )
        if place:
            b.add("place", start, end, sentence, name=place[0], type_=place[1], why="gazetteer")
        return True
    if place:
        direction = re.search(r"\b([a-z]+) $", body[max(0, start - 16) : start])
        if direction and direction.group(1) in DIRECTIONS:
            a = start - len(direction.group(1)) - 1
            name = body[a:end]
            b.add(
                "place",
                a,
                end,
                sentence,
                name=name[:1].upper() + name[1:],
                type_="area",
                why=direction.group(1),
            )
            return True
        for index, entity in enumerate(b.entities):
            # "Xinjiang" for "Xinjiang Uygur Autonomous Region" named before
            parts = words(entity.name)
            if entity.kind == "place" and entity.type == "region" and len(parts) > 1:
                if len(core) == 1 and parts[0].text.lower() == core[0].low:
                    b.attach(index, start, end, sentence)
                    return True
        b.add("place", start, end, sentence, name=place[0], type_=place[1], why="gazetteer")
        return True
    if len(core) >= 2 and core[-1].low in PLACE_WORDS:
        b.add("place", start, end, sentence, type_="region", why=core[-1].low)
        return True
    if len(core) >= 2 and core[0].low in DIRECTIONS and gazetteer.lookup(_text(core[1:])):
        b.add("place", start, end, sentence, type_="area", why=core[0].low)
        return True
    before = re.search(r"\b([a-z]+) $", body[max(0, start - 20) : start])
    if before and before.group(1) in ORG_DESCRIPTOR_NOUNS and not _person_like(core, cue=False):
        b.add("organization", start, end, sentence, why=before.group(1))
        return True  # "logistics operator COSCO Shipping Lines", "the company Sinopec"
    descriptor = _org_descriptor(body, end)
    if descriptor and len(core) >= 2 and not _person_like(core, cue=False):
        b.add(
            "organization", start, end, sentence, type_=_ORG_TYPES.get(descriptor), why=descriptor
        )
        return True
    if piece.toks[-1].abbr and not place and not _person_like(core, cue=False):
        # A name printed with its abbreviation is an organization's: "Kazakhstan Temir Zholy (KTZ)"
        mention = b.add("organization", start, end, sentence)
        entity = b.entities[mention.entity or 0]
        if piece.toks[-1].word.text not in entity.aliases:
            entity.aliases.append(piece.toks[-1].word.text)
        return True
    if len(core) == 1:
        return False
    said = re.match(r"^,? (" + "|".join(SAID) + r")\b", _after(body, end))
    titled = (prev is not None and prev.title and body[prev.end : start] in (" ", " of ")) or (
        nxt is not None and nxt.title is not None
    )
    if _person_like(core, cue=bool(said or titled)):
        b.add("person", start, end, sentence)
        return True
    signs = re.match(r"^ (?:have |has )?(?:signed|agreed|inked|concluded)\b", _after(body, end))
    if signs or (
        re.search(r"\b(?:and|with) $", body[max(0, start - 5) : start])
        and any(m.kind == "organization" and 0 < start - m.end <= 6 for m in b.mentions)
    ):
        b.add("organization", start, end, sentence, why="signatory")
        return True  # "X and China Mobile International have signed"
    return True  # an unknown phrase of several words: not proposed


def _classify_single(b: _Builder, piece: _Piece) -> None:
    body = b.body
    tok = piece.core[0]
    w = tok.word
    key = spelling_key(w.text)
    for index, entity in enumerate(b.entities):
        if entity.kind == "person":
            parts = [spelling_key(p.text) for p in words(entity.name)]
            if key in (parts[0], parts[-1]) or key in parts[-1].split("-"):
                b.attach(index, w.start, w.end, piece.sentence)
                return
    for index, entity in enumerate(b.entities):
        if entity.kind == "organization" and _short_form(w.text, entity):
            b.attach(index, w.start, w.end, piece.sentence)
            return
    starting = [
        index
        for index, entity in enumerate(b.entities)
        if entity.kind == "organization"
        and entity.type != "facility"
        and words(entity.name)[0].text.lower() == w.text.lower()
    ]
    if len(starting) == 1 and not gazetteer.lookup(w.text) and not gazetteer.demonym(w.text):
        b.attach(starting[0], w.start, w.end, piece.sentence)  # "Changan" for "Changan Automobile"
        return
    for index, entity in enumerate(b.entities):
        # "Xinjiang" for "Xinjiang Uygur Autonomous Region" named before
        if entity.kind == "place" and len(words(entity.name)) > 1:
            if words(entity.name)[0].text.lower() == w.text.lower() and entity.type == "region":
                b.attach(index, w.start, w.end, piece.sentence)
                return
    place = gazetteer.lookup(w.text)
    if place:
        b.add(
            "place", w.start, w.end, piece.sentence, name=place[0], type_=place[1], why="gazetteer"
        )
        return
    if (
        w.text.isupper()
        and re.match(r"\s*[–—-] ", body[w.end : w.end + 3])
        and (body[: w.start].strip() == "" or body[w.start - 1] == "\n")
    ):
        name = w.text.capitalize()  # the dateline: "ZHANATAS – ..." names a place
        b.add("place", w.start, w.end, piece.sentence, name=name, why="dateline")
        return
    if w.acronym and w.text.upper() not in NOT_ACRONYMS and not any(c.isdigit() for c in w.text):
        b.add("organization", w.start, w.end, piece.sentence)
        return
    after = _after(body, w.end)
    camel = re.search(r"[a-z][A-Z]", w.text) is not None
    signs = re.match(
        r"^(?: and [A-Z][\w-]+(?: [A-Z][\w-]+)*)? (?:have |has )?(?:signed|agreed|"
        r"inked|concluded)\b",
        after,
    )
    joined = re.match(r"^ and ", after) or re.search(r" and $", body[max(0, w.start - 5) : w.start])
    beside_org = False
    if joined:
        for other in b.mentions:
            if other.kind == "organization" and (
                0 < w.start - other.end <= 6 or 0 < other.start - w.end <= 6
            ):
                beside_org = True
    if camel or signs or beside_org:
        b.add("organization", w.start, w.end, piece.sentence)
        return
    titled = re.match(r"^ (?:" + "|".join(re.escape(t) for t in TITLES) + r") [A-Z]", after, re.I)
    if titled and w.capitalized and w.text.lower() not in STOP_WORDS:
        b.add("organization", w.start, w.end, piece.sentence, why="title after it")
        return
    near = re.search(
        r"\b(?:near|outside|city of|town of|village of|district of|province of|region of) $",
        body[max(0, w.start - 20) : w.start],
    )
    if near:
        b.add("place", w.start, w.end, piece.sentence, why="preposition")
        return
    if re.match(r"^,? (" + "|".join(SAID) + r")\b", after) and w.text.lower() not in STOP_WORDS:
        b.add("person", w.start, w.end, piece.sentence)


def _short_form(word: str, entity: Entity) -> bool:
    """ "Huawei" for "Huawei Technologies", "CNPC" for a name printed with "(CNPC)"."""
    if word in entity.aliases or word.lower() == entity.name.lower():
        return True
    parts = [p.text for p in words(entity.name)]
    if len(parts) >= 2 and parts[0].lower() == word.lower():
        return all(p.lower() in LEGAL_FORMS for p in parts[1:])
    return False


def _lower_titles(b: _Builder, sents: list[Span]) -> None:
    """Titles in lower case ("chairman of the State Power Investment Corporation")."""
    covered = [(m.start, m.end) for m in b.mentions if m.kind == "title"]
    for i, s in enumerate(sents):
        for match in _TITLE_RE.finditer(s.text):
            start, end = s.start + match.start(), s.start + match.end()
            if any(a <= start < z for a, z in covered) or not match.group().islower():
                continue
            b.mentions.append(
                Mention(
                    "title", start, end, match.group(), i, role=match.group(), capitalized=False
                )
            )


_PLURAL_REGIONS = re.compile(r"\b([A-Z][\w’'-]+) and ([A-Z][\w’'-]+) (regions|provinces|oblasts)\b")


def _plural_regions(b: _Builder, sents: list[Span]) -> None:
    """ "the Almaty and Zhambyl regions": two regions, "Almaty Region" and "Zhambyl Region"."""
    for i, s in enumerate(sents):
        for m in _PLURAL_REGIONS.finditer(s.text):
            word = m.group(3)[:-1].capitalize()
            for group in (1, 2):
                start, end = s.start + m.start(group), s.start + m.end(group)
                for other in [x for x in b.mentions if x.start == start and x.end == end]:
                    b.mentions.remove(other)
                    if other.entity is not None:
                        b.entities[other.entity].mentions.remove(other)
                b.add(
                    "place",
                    start,
                    end,
                    i,
                    name=f"{m.group(group)} {word}",
                    type_="region",
                    why=m.group(3),
                    alias=False,
                )
                entity = b.entities[b.mentions[-1].entity or 0]
                phrase = (s.start + m.start(), s.start + m.end())
                if phrase not in entity.called:
                    entity.called.append(phrase)  # "Almaty and Zhambyl regions"
    # An entity left with no mention (its only one was such a word) is dropped by the caller.


def _bare_org(name: str) -> str:
    """An organization's name without legal forms at its end ("Wanhua Chemical Group" is
    "Wanhua Chemical"), so both print as one entity."""
    parts = [w.text for w in words(name)]
    while len(parts) > 1 and parts[-1].lower() in LEGAL_FORMS:
        parts = parts[:-1]
    return " ".join(parts)
