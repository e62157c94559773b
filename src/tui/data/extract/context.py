"""One article read once: its sentences, names, positions, figures and who speaks where; the
rule modules (meetings, commitments, indicators) all read from this."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from tui.data.extract import names as names_mod
from tui.data.extract import positions as positions_mod
from tui.data.extract.lexicon import MONTHS, SAID
from tui.data.extract.names import Mention, Names
from tui.data.extract.numbers import Figure, figures
from tui.data.extract.positions import Position
from tui.data.extract.text import Span, sentences

_MONTH = "|".join(m.capitalize() for m in MONTHS)
DATE = re.compile(
    r"\b(?:(?P<m1>" + _MONTH + r")\s(?P<d1>\d{1,2})(?:,\s(?P<y1>\d{4}))?"
    r"|(?P<d2>\d{1,2})\s(?P<m2>" + _MONTH + r")(?:\s(?P<y2>\d{4}))?)\b"
)
_RELATIVE = {"yesterday": -1, "today": 0}


@dataclass
class Context:
    body: str
    sentences: list[Span]
    names: Names
    positions: list[Position]
    figures: list[list[Figure]]
    date: datetime.date | None
    speakers: dict[int, int] = field(default_factory=dict)  # sentence -> asserting entity
    # Words that stand for an entity ("the company" for the organization named before).
    called: list[tuple[int, int, int]] = field(default_factory=list)  # (entity, start, end)

    def mentions(self, sentence: int, kinds: tuple[str, ...] = ()) -> list[Mention]:
        return [
            m
            for m in self.names.in_sentence(sentence)
            if m.entity is not None and (not kinds or self.entity_kind(m) in kinds)
        ]

    def entity_kind(self, m: Mention) -> str:
        return self.names.entities[m.entity].kind if m.entity is not None else m.kind

    def org_of(self, person: int) -> int | None:
        """The organization a person holds a position in, as the article states it."""
        for p in self.positions:
            if p.person == person and p.target is not None:
                if self.names.entities[p.target].kind == "organization":
                    return p.target
        return None

    def sentence_of(self, offset: int) -> int:
        for i, s in enumerate(self.sentences):
            if s.start <= offset < s.end:
                return i
        return len(self.sentences) - 1


def read(body: str, date: str | None) -> Context:
    sents = sentences(body)
    names = names_mod.find(body, sents)
    positions = positions_mod.find(body, names)
    figs = [figures(s.text, s.start) for s in sents]
    ctx = Context(body, sents, names, positions, figs, _iso(date))
    ctx.speakers = _speakers(ctx)
    return ctx


def _iso(date: str | None) -> datetime.date | None:
    if not date:
        return None
    try:
        return datetime.date.fromisoformat(str(date)[:10])
    except ValueError:
        return None


def dates_in(ctx: Context, start: int, end: int) -> list[tuple[str, str, str | None, int, int]]:
    """(date, precision, relative word, start, end) for each date the text states in start:end;
    a date without a year takes the article's year, a relative one is resolved against the
    article's date and keeps its word."""
    text = ctx.body[start:end]
    found: list[tuple[str, str, str | None, int, int]] = []
    for m in DATE.finditer(text):
        month = MONTHS.index((m.group("m1") or m.group("m2")).lower()) + 1
        day = int(m.group("d1") or m.group("d2"))
        year_text = m.group("y1") or m.group("y2")
        year = int(year_text) if year_text else (ctx.date.year if ctx.date else None)
        if year is None:
            continue
        try:
            value = datetime.date(year, month, day).isoformat()
        except ValueError:
            continue
        found.append((value, "day", None, start + m.start(), start + m.end()))
    for word, delta in _RELATIVE.items():
        for m in re.finditer(r"\b" + word + r"\b", text, re.IGNORECASE):
            if ctx.date is not None:
                value = (ctx.date + datetime.timedelta(days=delta)).isoformat()
                found.append((value, "day", word, start + m.start(), start + m.end()))
    return sorted(found, key=lambda d: d[3])


_SAID = "|".join(SAID)


_SPEAKERS = ("person", "organization")
_PRONOUN_SAID = re.compile(r",? (?:he|she) (?:said|added|noted|stressed|told reporters)\.?$")
_TRAILING_ACCORDING = re.compile(r",? according to (?:the )?[^,]+\.?$")


def _last_person(ctx: Context, before: int) -> int | None:
    """The person named last before sentence `before` ("..., he said")."""
    for i in range(before, max(-1, before - 3), -1):
        people = [m for m in ctx.names.in_sentence(i)
                  if m.entity is not None and ctx.entity_kind(m) == "person"]  # fmt: skip
        if people:
            return people[-1].entity
    return None


def _speaker_at(ctx: Context, sentence: int, end: int) -> int | None:
    """The person (or title standing for one) whose mention ends right before `end`."""
    best = None
    for m in ctx.names.in_sentence(sentence):
        if m.entity is not None and m.end <= end and ctx.entity_kind(m) in _SPEAKERS:
            best = m
    return best.entity if best else None


def _speakers(ctx: Context) -> dict[int, int]:
    """Which sentences a named speaker asserts: "According to X, ...", "X said", and quoted
    speech closed by "..., the Head of State said"."""
    body = ctx.body
    found: dict[int, int] = {}
    reported: set[int] = set()
    for i, s in enumerate(ctx.sentences):
        m = re.match(r"(?:[“\"–—-]\s*)?According to ([^,]+),", s.text)
        if m:
            speaker = None
            for mention in ctx.names.in_sentence(i):
                if mention.start < s.start + m.end(1) and mention.entity is not None:
                    if ctx.entity_kind(mention) in ("person", "organization"):
                        if speaker is None or ctx.entity_kind(mention) == "person":
                            speaker = mention.entity
            if speaker is not None:
                found[i] = speaker
            continue
        trailing = _TRAILING_ACCORDING.search(s.text)
        if trailing:  # "..., according to the National Bank of Kazakhstan."
            inside = [x for x in ctx.names.in_sentence(i) if x.entity is not None
                      and x.start >= s.start + trailing.start()
                      and ctx.entity_kind(x) in _SPEAKERS]  # fmt: skip
            if inside:
                found[i] = inside[0].entity or 0
                continue
        pronoun = _PRONOUN_SAID.search(s.text)
        if pronoun:  # "..., he said."
            person = _last_person(ctx, i)
            if person is not None:
                found[i] = person
                continue
        for said in re.finditer(r"\b(?:" + _SAID + r")\b", s.text):
            speaker = _speaker_at(ctx, i, s.start + said.start())
            if speaker is None:
                continue
            gap_start = max(
                (m.end for m in ctx.names.in_sentence(i) if m.end <= s.start + said.start()),
                default=s.start,
            )
            if body[gap_start : s.start + said.start()].strip(' ”"') in ("", "also", ","):
                found.setdefault(i, speaker)
                _quoted_before(ctx, i, s.start + said.start(), speaker, found)
                if re.match(r"(?:that|on|about) ", s.text[said.end() + 1 :]):
                    reported.add(i)  # "X noted that ...": the paragraph goes on reporting X
        _report_on(ctx, i, found, reported)
    return found


def _report_on(ctx: Context, i: int, found: dict[int, int], reported: set[int]) -> None:
    """A sentence without a speaker of its own, in the paragraph of one that reports what X
    noted, said or shared, reports X too ("The President noted that ... Recently, an
    agreement was reached ...")."""
    if i in found or i == 0 or (i - 1) not in reported:
        return
    between = ctx.body[ctx.sentences[i - 1].end : ctx.sentences[i].start]
    if "\n" in between:
        return
    found[i] = found[i - 1]
    reported.add(i)


def _quoted_before(
    ctx: Context, sentence: int, at: int, speaker: int, found: dict[int, int]
) -> None:
    """Sentences of the quotation that a "..." X said closes."""
    body = ctx.body
    close = body.rfind("”", ctx.sentences[sentence].start - 400, at)
    if close < 0 or at - close > 60:
        return
    para = body.rfind("\n", 0, close)
    opening = max(body.rfind("“", para + 1, close), para + 1)
    for j, s in enumerate(ctx.sentences):
        if s.end > opening and s.start < close:
            found.setdefault(j, speaker)
