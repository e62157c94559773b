"""Meetings: "X met / received / held talks with Y", "during the meeting with Y", "X and Y
discussed", and named events (a state visit, a round table, negotiations, a forum), with
their participants, places and dates."""

from __future__ import annotations

import re

from tui.data.extract.context import Context, dates_in
from tui.data.extract.drafts import Draft, Link
from tui.data.extract.names import Mention
from tui.data.extract.text import trim

_MET = re.compile(
    r"\b(?:met with|meets with|met|received|held talks with|holds talks with|held a meeting"
    r"(?: in [A-Z][\w’'-]+)? with|had a meeting with|(?:during|at|in) (?:the|a) meeting with"
    r"|talks with|(?:after|before|while) meeting)\b",
    re.IGNORECASE,
)
_DISCUSSED = re.compile(
    r"\b(?:discussed|considered|addressed|reviewed|talked about|exchanged views on|"
    r"explored)\b"
)
_EVENTS = (
    (re.compile(r"\bstate visit\b", re.IGNORECASE), "state_visit", "state visit"),
    (re.compile(r"\b(?:official|working) visit\b", re.IGNORECASE), None, "visit"),
    (re.compile(r"\bround[ -]?table\b", re.IGNORECASE), "roundtable", "round table"),
    (re.compile(r"\bnegotiations\b|\b(?<!held )talks\b(?! with)", re.IGNORECASE), "talks", "talks"),
    (
        re.compile(
            r"\b(?:forum|summit|business council|conference|expo|exhibition|ceremony)\b",
            re.IGNORECASE,
        ),
        None,
        "event",
    ),
)
_MODIFIER = re.compile(r"(?:[A-Z][\w’'-]*|[a-z][a-z-]+)$")
_DETERMINERS = {
    "the",
    "a",
    "an",
    "this",
    "that",
    "its",
    "their",
    "his",
    "her",
    "of",
    "during",
    "at",
    "in",
    "on",
    "to",
    "with",
    "and",
    "for",
    "as",
    "part",
}


def find(ctx: Context) -> list[Draft]:
    drafts: list[Draft] = []
    for i in range(len(ctx.sentences)):
        drafts.extend(_bilateral(ctx, i))
        drafts.extend(_events(ctx, i))
    merged: dict[str, Draft] = {}
    for d in drafts:
        if d.key in merged:
            merged[d.key].absorb(d)
        else:
            merged[d.key] = d
    meetings = list(merged.values())
    _part_of(ctx, meetings)
    return meetings


def _people(ctx: Context, i: int) -> list[Mention]:
    return [
        m
        for m in ctx.names.in_sentence(i)
        if m.entity is not None and ctx.entity_kind(m) == "person"
    ]


_DELEGATION = re.compile(
    r"^ (?:the |a )?(?:leadership|management|senior management|representatives|delegation|"
    r"heads?|executives|board)(?: of)? (?:the )?$"
)


def _bilateral(ctx: Context, i: int) -> list[Draft]:
    s = ctx.sentences[i]
    people = _people(ctx, i)
    if not people:
        return []
    found = []
    trigger = _MET.search(s.text)
    pairs: list[tuple[Mention | None, Mention]] = []
    if trigger:
        at = s.start + trigger.start()
        before = [m for m in people if m.end <= at]
        after = [m for m in people if m.start >= s.start + trigger.end()]
        if after:
            pairs.append((before[0] if before else None, after[0]))
        elif before:
            # "held talks with the leadership of China National Nuclear Corporation"
            for m in ctx.names.in_sentence(i):
                if m.entity is None or ctx.entity_kind(m) != "organization":
                    continue
                gap = ctx.body[s.start + trigger.end() : m.start]
                if gap in ("", " ") or _DELEGATION.match(gap):
                    pairs.append((before[0], m))
                    break
    else:
        first, *rest = people
        joined = re.match(r"^(?:The |the )?", ctx.body[s.start : first.start])
        said = _DISCUSSED.search(s.text)
        if rest and joined and said and first.start - s.start < 20:
            second = rest[0]
            if ctx.body[first.end : second.start].strip() == "and" and (
                second.start < s.start + said.start()
            ):
                pairs.append((first, second))
    for host, guest in pairs:
        guest_entity = ctx.names.entities[guest.entity or 0]
        host_name = ctx.names.entities[host.entity or 0].name if host else None
        name = (
            f"{host_name} meets {guest_entity.name}"
            if host_name
            else (f"Meeting with {guest_entity.name}")
        )
        span = trim(ctx.body, s.start, s.end)
        talks = trigger is not None and "talks" in trigger.group().lower()
        d = Draft(
            "meeting",
            name,
            span.start,
            span.end,
            why="meeting verb",
            key="talks:" if talks else f"bilateral:{guest.entity}",
        )
        d.fields["meeting_type"] = "talks" if talks else "bilateral"
        verb_at = s.start + trigger.start() if trigger else s.start
        for m in ctx.names.in_sentence(i):
            if m.entity is not None and ctx.entity_kind(m) == "place":
                left = ctx.body[s.start : m.start]
                after_guest = ctx.body[guest.end : m.start]
                if (
                    re.search(r"\bvisited (?:the )?$", left)
                    or (m.start < verb_at and re.search(r"\b(?:in|at) (?:the )?$", left))
                    or re.fullmatch(r"(?: \(\w+\))? (?:in|at) (?:the )?", after_guest)
                ):
                    d.link("place", m.entity, "place")
                    break
        if host is not None:
            d.link("participant", host.entity, "participant")
        d.link("participant", guest.entity, _position_role(ctx, guest.entity or 0))
        d.link("participant", ctx.org_of(guest.entity or 0), "organization")
        _date(ctx, d, s.start, s.end)
        found.append(d)
    return found


def _position_role(ctx: Context, person: int) -> str:
    for p in ctx.positions:
        if p.person == person and p.target is not None:
            return f"{p.role} of {ctx.names.entities[p.target].name}"
    return "participant"


def _date(ctx: Context, d: Draft, start: int, end: int) -> None:
    dates = dates_in(ctx, start, end)
    if dates:
        value, precision, relative, _, _ = dates[0]
        d.fields["date"] = value
        d.fields["date_precision"] = precision
        if relative:
            d.fields["relative"] = relative


def _phrase_start(body: str, start: int, floor: int) -> int:
    """Back from an event noun over its modifiers ("the Kazakh-Chinese investment roundtable")."""
    pos = start
    while pos > floor:
        left = body[floor:pos].rstrip()
        if len(left) + floor != pos - 1:
            break
        word = re.search(r"[\w’'-]+$", left)
        if not word or word.group().lower() in _DETERMINERS or word.group().endswith(("’s", "'s")):
            break
        if not _MODIFIER.match(word.group()):
            break
        pos = floor + word.start()
    return pos


def _events(ctx: Context, i: int) -> list[Draft]:
    s = ctx.sentences[i]
    body = ctx.body
    found = []
    for pattern, meeting_type, label in _EVENTS:
        for m in pattern.finditer(s.text):
            start, end = s.start + m.start(), s.start + m.end()
            if re.search(r"meetings?\s*$", body[max(s.start, start - 12) : start]):
                continue
            head = _phrase_start(body, start, s.start)
            phrase = body[head:end]
            visitor = _visitor(ctx, i, head, end)
            d = Draft(
                "meeting",
                _event_name(ctx, phrase, label, visitor),
                head,
                end,
                why=f"named event ({label})",
                key=f"{meeting_type or label}:{phrase.lower() if not meeting_type else ''}",
            )
            if meeting_type:
                d.fields["meeting_type"] = meeting_type
            if phrase[:1].isupper() or "-" in phrase:
                d.fields["alias"] = phrase
            whole = trim(body, s.start, s.end)
            sentence_span = (whole.start, whole.end)
            if visitor is not None:
                d.link(
                    "participant",
                    visitor,
                    "visitor" if meeting_type == "state_visit" else "participant",
                    sentence_span,
                )
            for x in ctx.names.in_sentence(i):
                if x.entity is not None and ctx.entity_kind(x) == "organization":
                    if re.fullmatch(r" of (?:the )?", body[end : x.start]):
                        d.link("participant", x.entity, "participant", sentence_span)
            place = _place_after(ctx, i, end)
            if place is not None:
                d.link("place", place, "place", sentence_span)
            took = re.search(
                r"(?:took part in|participated in|attended|opened|chaired|hosted|addressed)"
                r" (?:the |a |an )?$",
                body[s.start : head],
            )
            if took:
                for p in _people(ctx, i):
                    if p.end <= s.start + took.start():
                        d.link("participant", p.entity, "participant", sentence_span)
            if re.match(r"\s+(?:was|were) attended by\b", body[end : end + 25]):
                for p in _people(ctx, i):  # "The ceremony was attended by X and Y"
                    if p.start > end:
                        d.link("participant", p.entity, "attendee", sentence_span)
            window_end = min(s.end, end + 60)
            dates = dates_in(ctx, head - 60 if head - 60 > s.start else s.start, window_end)
            if dates:
                value, precision, relative, _, _ = dates[0]
                d.fields["date"] = value
                d.fields["date_precision"] = precision
                if relative:
                    d.fields["relative"] = relative
                elif re.search(r"first day of", body[s.start : end]):
                    d.fields["relative"] = "first day of"
                for key in ("date", "date_precision"):
                    d.field_spans[key] = sentence_span
            d.start, d.end = _quote(ctx, i, head, end)
            found.append(d)
    return found


def _quote(ctx: Context, i: int, start: int, end: int) -> tuple[int, int]:
    """An event's own words: its phrase and what follows it up to the clause's end ("the China
    International Import Expo in Shanghai in November")."""
    s = ctx.sentences[i]
    rest = ctx.body[end : s.end]
    stop = re.search(r"[,.;:”]| and | which | when | where ", rest)
    cut = end + (stop.start() if stop else len(rest))
    span = trim(ctx.body, start, min(cut, end + 80))
    return span.start, span.end


def _visitor(ctx: Context, i: int, head: int, end: int) -> int | None:
    """ "Tokayev’s state visit", "the Kazakh President’s state visit", "state visit of X"."""
    body = ctx.body
    for m in ctx.names.in_sentence(i):
        if m.entity is None or ctx.entity_kind(m) != "person":
            continue
        if m.end <= head and re.fullmatch(r"[’']s\s*", body[m.end : head]):
            return m.entity
        if m.start >= end and re.fullmatch(r"\s+of\s+(?:(?:the\s+)?\w+\s+)?", body[end : m.start]):
            return m.entity
    return None


def _place_after(ctx: Context, i: int, end: int) -> int | None:
    for m in ctx.names.in_sentence(i):
        if m.entity is not None and ctx.entity_kind(m) == "place" and m.start > end:
            between = ctx.body[end : m.start]
            if re.fullmatch(
                r"\s+(?:of\s+(?:President\s+)?[\w’'-]+(?:\s[\w’'-]+)?\s+)?(?:to|in)\s+(?:the\s+)?",
                between,
            ):
                return m.entity
    return None


def _event_name(ctx: Context, phrase: str, label: str, visitor: int | None) -> str:
    if label == "state visit" and visitor is not None:
        return f"State visit of {ctx.names.entities[visitor].name}"
    return phrase[:1].upper() + phrase[1:]


def _part_of(ctx: Context, meetings: list[Draft]) -> None:
    """ "The meetings were held as part of the X round table": each bilateral meeting is part
    of that event."""
    for s in ctx.sentences:
        m = re.search(
            r"meetings were (?:held|part) (?:as part of|within|during|on the sidelines"
            r" of) ",
            s.text,
        )
        if not m:
            continue
        at = s.start + m.end()
        events = [
            d
            for d in meetings
            if d.why != "meeting verb"
            and any(a <= at + 30 and b >= at for a, b in [(d.start, d.end), *d.mentions])
        ]
        if not events:
            continue
        said = trim(ctx.body, s.start, s.end)
        for d in meetings:
            if d.why == "meeting verb":
                d.links.append(_part(events[0], (said.start, said.end)))


def _part(event: Draft, span: tuple[int, int]) -> Link:
    return Link("part_of", None, None, draft=event, span=span)
