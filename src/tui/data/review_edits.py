"""The analyst's edits to an article's proposals, before they are applied: decide, edit a field,
merge into a known entity, split, and make a new proposal from a span of the article.

Pure functions on a review (anything with `body`, `proposals` and `status`, as
`tui.data.review.Review`), no user interface. A value the analyst types that cannot be used
raises `EditError`, whose text is the one line to show; nothing is changed then.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any, Protocol

from tui.data.amounts import parse_number
from tui.data.extract.proposals import ENTITY_KINDS, Proposal, slug
from tui.data.extract.text import Span as TextSpan
from tui.data.extract.text import clause, sentences
from tui.data.money_words import CURRENCY_OF, CURRENCY_SIGNS, CURRENCY_WORDS, SCALES, alternation
from tui.data.rules import prints
from tui.data.seed import DATE
from tui.data.statements import CURRENCIES, STATUS_WORDS, STATUSES
from tui.data.vocabulary import CATEGORIES, MEETING_TYPES, ORG_TYPES, PLACE_TYPES
from tui.errors import UserError

ANALYST = "chosen by the analyst"
SELECTED = "selected by the analyst"
SPLIT = "split by the analyst"
# The fields an analyst edits, in the order the edit dialog offers them.
FIELDS = ("name", "type", "role", "status", "amount", "date")
# Where each kind keeps its type, and the values it may take.
TYPE_FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "organization": ("org_type", ORG_TYPES),
    "place": ("place_type", PLACE_TYPES),
    "meeting": ("meeting_type", MEETING_TYPES),
    "commitment": ("category", CATEGORIES),
}
AMOUNT_FIELDS = {"commitment": "amount", "indicator": "value"}
DATED_KINDS = ("meeting", "commitment")
MAX_NAME = 200
_AMOUNT = re.compile(
    rf"(?P<before>{alternation(CURRENCY_SIGNS)}|[a-z]{{3}}\b)?\s*(?P<number>\d+(?:[.,]\d+)*)"
    rf"\s*(?:(?P<scale>{alternation(SCALES)})\b)?\s*(?P<after>{alternation(CURRENCY_WORDS)}|[a-z]+)?",
    re.IGNORECASE,
)
# A word, with the apostrophes, hyphens and dots inside it (Xi’an, Kassym-Jomart, 1.2), not
# a possessive ending (State’s -> State).
_WORD = re.compile(r"[^\W_]+(?:(?:['’](?!s\b)|[.\-&])[^\W_]+)*")
_JOINERS = re.compile(r"^(?:\s|,|;|&|/|\band\b|\bor\b)+|(?:\s|,|;|&|/|\band\b|\bor\b)+$", re.I)
Span = tuple[int, int]


class EditError(UserError):
    """An edit that cannot be made; `str(error)` is the one line to show."""


class Reviewed(Protocol):
    body: str
    proposals: list[Proposal]
    status: dict[str, str]
    notes: dict[str, str]  # why an accepted proposal could not be applied


# -- deciding ---------------------------------------------------------------------------------


def decide(review: Reviewed, ids: Iterable[str], status: str) -> list[str]:
    """Set the status of the proposals `ids` (accepted, rejected or pending); those applied
    already stay as they are. Returns the ids changed."""
    if status not in ("pending", "accepted", "rejected"):
        raise EditError(f"{status!r} is not a decision (accepted, rejected or pending)")
    changed = []
    for pid in ids:
        if review.status.get(pid) == "applied":
            continue
        if review.status.get(pid) != status:
            review.status[pid] = status
            review.notes.pop(pid, None)  # a new decision: the last one's note is past
            changed.append(pid)
    return changed


def pending_of(review: Reviewed, kind: str | None = None) -> list[str]:
    """The ids of the pending proposals (of `kind`, or of every kind)."""
    return [
        p.id
        for p in review.proposals
        if review.status.get(p.id, "pending") == "pending" and kind in (None, p.kind)
    ]


def proposal(review: Reviewed, pid: str) -> Proposal:
    for p in review.proposals:
        if p.id == pid:
            return p
    raise EditError(f"no proposal {pid!r}")


def _editable(review: Reviewed, pid: str) -> Proposal:
    p = proposal(review, pid)
    if review.status.get(pid) == "applied":
        raise EditError(f"{pid} is applied already: edit the article's facts file instead")
    return p


# -- editing a field --------------------------------------------------------------------------


def fields_of(p: Proposal) -> tuple[str, ...]:
    """The fields of `FIELDS` a proposal of its kind has."""
    have = ["name"]
    if p.kind in TYPE_FIELDS:
        have.append("type")
    if p.kind == "position":
        have.append("role")
    if p.kind == "commitment":
        have.append("status")
    if p.kind in AMOUNT_FIELDS:
        have.append("amount")
    if p.kind in DATED_KINDS:
        have.append("date")
    return tuple(have)


def value_of(p: Proposal, name: str) -> str:
    """A field's value as the edit box shows it ("" when not stated)."""
    if name == "name":
        return p.name
    key = _key(p, name)
    value = p.fields.get(key) if key else None
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def choices_of(p: Proposal, name: str) -> tuple[str, ...]:
    """The values a field may take, where it has a fixed list."""
    if name == "type" and p.kind in TYPE_FIELDS:
        return TYPE_FIELDS[p.kind][1]
    if name == "status":
        return STATUSES
    return ()


def _key(p: Proposal, name: str) -> str | None:
    if name == "type":
        return TYPE_FIELDS[p.kind][0] if p.kind in TYPE_FIELDS else None
    if name == "amount":
        return AMOUNT_FIELDS.get(p.kind)
    if name in ("role", "status", "date"):
        return name
    return None


def edit_field(review: Reviewed, pid: str, name: str, text: str) -> str:
    """Set field `name` of proposal `pid` to the value `text` states; an empty text clears an
    optional field. Returns the value as stored, shown. Raises `EditError` (nothing changed)
    for a field the proposal does not have or a value the corpus does not allow."""
    p = _editable(review, pid)
    if name not in fields_of(p):
        raise EditError(f"a {p.kind} has no {name} (it has {', '.join(fields_of(p))})")
    text = " ".join(text.split())
    if name == "name":
        p.name = _name(text)
        return p.name
    key = _key(p, name)
    assert key is not None
    if not text:
        if name == "role":
            raise EditError("a position needs a role (“Chairman”, “Minister of Energy”)")
        p.fields.pop(key, None)
        if name == "date":
            p.fields.pop("date_precision", None)
            p.fields.pop("relative", None)
        return ""
    if name in ("type", "status"):
        value: Any = _choice(text, choices_of(p, name), name)
        if name == "status":
            _printed_status(review.body, p, value)
        p.fields[key] = value
    elif name == "role":
        if len(text) > MAX_NAME:
            raise EditError(f"a role is at most {MAX_NAME} characters")
        p.fields["role"] = text
        for link in p.links:
            link["role"] = text
    elif name == "amount":
        value, currency = parse_amount(text)
        p.fields[key] = value
        if currency is not None:
            p.fields["currency"] = currency
    else:
        _set_date(p, text)
    return value_of(p, name)


def _name(text: str) -> str:
    if not text or not any(ch.isalnum() for ch in text):
        raise EditError("a name needs letters or digits")
    if len(text) > MAX_NAME:
        raise EditError(f"a name is at most {MAX_NAME} characters")
    return text


def _choice(text: str, choices: tuple[str, ...], name: str) -> str:
    value = text.strip().lower().replace(" ", "_").replace("-", "_")
    if value not in choices:
        raise EditError(f"{name} {text!r} is not one of {', '.join(choices)}")
    return value


def _printed_status(body: str, p: Proposal, status: str) -> None:
    """A status only where the quote prints a word for it (the corpus rules ask it)."""
    start, end = p.field_spans.get("status", (p.start, p.end))
    words = STATUS_WORDS.get(status, ())
    if not any(prints(body[start:end], w) for w in words):
        shown = ", ".join(f"“{w}”" for w in words)
        raise EditError(f"status {status}: the quote prints none of {shown}")


def parse_amount(text: str) -> tuple[int | float, str | None]:
    """A number as typed, and its currency if it names one: 22000000000, 22 billion, 22bn,
    1,5, 12,000, $31 billion, USD 1.6 billion, 500 million KZT."""
    wrong = EditError(f"amount {text!r} is not a number (22000000000, 22 billion, $3.5 bn)")
    match = _AMOUNT.fullmatch(text.strip())
    if match is None:
        raise wrong
    before, digits, scale, after = match.group("before", "number", "scale", "after")
    if after and len(after) != 3 and after.lower() not in CURRENCY_WORDS:
        raise wrong
    currency = None
    for word in (before, after):
        if word:
            currency = CURRENCY_OF.get(word.lower(), word.upper())
    if currency is not None and currency not in CURRENCIES:
        raise EditError(f"currency {currency!r} is not one of {', '.join(CURRENCIES)}")
    number = parse_number(digits)
    if number is None:
        raise wrong
    value = number * SCALES.get((scale or "").lower(), 1)
    rounded = round(value, 6)
    return (int(rounded) if rounded.is_integer() else rounded), currency


def _set_date(p: Proposal, text: str) -> None:
    match = DATE.fullmatch(text)
    if match is None:
        raise EditError(f"date {text!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(part) if part else 1 for part in match.groups())
    try:
        datetime.date(year, month, day)
    except ValueError:
        raise EditError(f"date {text!r} is not a date in the calendar") from None
    precision = ("year", "month", "day")[text.count("-")]
    if precision == "year" and p.fields.get("date_precision") == "target_year":
        precision = "target_year"  # a target stays a target
    p.fields["date"] = text
    p.fields["date_precision"] = precision
    p.fields.pop("relative", None)  # the analyst states it: no longer read from "yesterday"


# -- merging and splitting ---------------------------------------------------------------------


def _follow(review: Reviewed, old: str, new: str, *, also: str | None = None) -> None:
    """Every other proposal's reference to `old` now names `new` (and, with `also`, a link to
    `old` gains a twin to `also`: both halves of a split are parties)."""
    for q in review.proposals:
        twins: list[dict[str, Any]] = []
        for link in q.links:
            if link.get("ref") == old:
                link["ref"] = new
                if also is not None:
                    twins.append({**link, "ref": also})
        q.links.extend(twins)
        if q.asserted_by == old:
            q.asserted_by = new
        for key, value in q.field_asserted_by.items():
            if value == old:
                q.field_asserted_by[key] = new
        if q.kind == "position" and q.ref == old:
            q.ref = new


def merge(review: Reviewed, pid: str, ref: str) -> None:
    """Proposal `pid` is the known entity `ref`: it takes its ref (a match the analyst chose),
    and every link to the old ref follows. Never across kinds."""
    p = _editable(review, pid)
    kind = ref.partition(":")[0]
    if p.kind == "position":
        raise EditError("a position is not an entity: merge its person instead")
    if kind != p.kind:
        raise EditError(f"cannot merge a {p.kind} into a {kind or 'ref'} ({ref})")
    old = p.ref
    p.ref, p.action, p.match, p.score, p.why = ref, "match", ref, None, ANALYST
    if old != ref:
        _follow(review, old, ref)


def split_points(name: str) -> list[int]:
    """Where a name may be split: before each word after the first."""
    return [m.start() for m in _WORD.finditer(name)][1:]


def split(
    review: Reviewed, pid: str, at: int, taken: Callable[[str], bool] | None = None
) -> Proposal:
    """Split entity proposal `pid` at character `at` of its name into two new entities ("KAZ
    Minerals and NFC" -> "KAZ Minerals", "NFC"), each quoting where the article prints it.
    Links to it name the first and gain a twin to the second. Returns the second, added after
    the first with the same status. `taken(ref)`: whether the corpus has that ref already."""
    p = _editable(review, pid)
    if p.kind not in ENTITY_KINDS:
        raise EditError(f"only an organization, person or place splits, not a {p.kind}")
    first = _JOINERS.sub("", p.name[:at])
    second = _JOINERS.sub("", p.name[at:])
    if not (first and second and any(c.isalnum() for c in first + second)):
        raise EditError("split between two words of the name, each side a name")
    first_spans, second_spans = _spans_of(review.body, p, first), _spans_of(review.body, p, second)
    old = p.ref
    made = _refs(review, taken)
    p.name, p.ref = first, made(p.kind, first)
    p.action, p.match, p.score, p.why = "new", None, None, SPLIT
    p.fields = {k: v for k, v in p.fields.items() if k not in ("aliases", "called")}
    _anchor(review.body, p, first_spans)
    other = replace(p, id=next_id(review), name=second, ref=made(p.kind, second),
                    fields=dict(p.fields), links=[], mentions=[], field_spans={},
                    field_asserted_by={})  # fmt: skip
    _anchor(review.body, other, second_spans)
    _follow(review, old, p.ref, also=other.ref)
    review.proposals.insert(review.proposals.index(p) + 1, other)
    review.status[other.id] = review.status.get(p.id, "pending")
    return other


def _spans_of(body: str, p: Proposal, part: str) -> list[Span]:
    """Where the article prints `part`: within the proposal's own spans, else anywhere."""
    found: list[Span] = []
    for start, end in [*p.mentions, (p.start, p.end)]:
        at = body.find(part, start, end)
        if at >= 0 and (at, at + len(part)) not in found:
            found.append((at, at + len(part)))
    if not found:
        at = body.find(part)
        if at < 0:
            raise EditError(f"the article does not print “{part}”")
        found.append((at, at + len(part)))
    return sorted(found)


def _anchor(body: str, p: Proposal, spans: list[Span]) -> None:
    p.mentions = spans
    p.start, p.end = quote_span(body, *spans[0])
    p.quote = body[p.start : p.end]


def _refs(review: Reviewed, taken: Callable[[str], bool] | None) -> Callable[[str, str], str]:
    used = {p.ref for p in review.proposals}

    def made(kind: str, name: str) -> str:
        base = f"{kind}:{slug(name)}"
        ref, n = base, 2
        while ref in used or (taken is not None and taken(ref)):
            ref, n = f"{base}-{n}", n + 1
        used.add(ref)
        return ref

    return made


def next_id(review: Reviewed) -> str:
    numbers = [int(p.id[1:]) for p in review.proposals if re.fullmatch(r"p\d+", p.id)]
    return f"p{max(numbers, default=0) + 1}"


# -- a new proposal from a span ----------------------------------------------------------------


def word_spans(body: str) -> list[Span]:
    """The words of the article, as the keyboard selection steps through them."""
    return [
        m.span()
        for m in _WORD.finditer(body)
        if not (m.group() == "s" and m.start() > 0 and body[m.start() - 1] in "'’")
    ]


def sentence_span(body: str, offset: int) -> Span:
    """The sentence holding `offset` (or the nearest before it)."""
    found = sentences(body)
    holding = [s for s in found if s.start <= offset < s.end] or [
        s for s in found if s.start <= offset
    ]
    if not holding:
        return (0, len(body)) if not found else (found[0].start, found[0].end)
    return holding[-1].start, holding[-1].end


def quote_span(body: str, start: int, end: int) -> Span:
    """The sentence (or, in a long sentence, the clause) holding `start:end`, which it always
    contains verbatim: a span across sentences quotes all of them."""
    first, last = sentence_span(body, start), sentence_span(body, max(start, end - 1))
    sentence = TextSpan(first[0], last[1], body[first[0] : last[1]])
    found = clause(body, sentence, start, end)
    return min(found.start, start), max(found.end, end)


def _selected(body: str, start: int, end: int) -> tuple[int, int, str]:
    if not 0 <= start < end <= len(body):
        raise EditError("select some words of the article first")
    while start < end and not body[start].isalnum():
        start += 1
    while end > start and not body[end - 1].isalnum():
        end -= 1
    text = " ".join(body[start:end].split())
    if not text:
        raise EditError("the selection has no words")
    return start, end, text


def new_entity(
    review: Reviewed,
    kind: str,
    start: int,
    end: int,
    taken: Callable[[str], bool] | None = None,
) -> Proposal:
    """A new entity of `kind` named by the words at `start:end`, accepted (the analyst made
    it), quoting the sentence or clause that prints it."""
    if kind not in ENTITY_KINDS:
        raise EditError(f"a new entity is an organization, person or place, not {kind!r}")
    start, end, text = _selected(review.body, start, end)
    name = _name(text)
    made = _refs(review, taken)
    p = Proposal(next_id(review), kind, name, "new", None, None, SELECTED, "", 0, 0,
                 made(kind, name))  # fmt: skip
    _anchor(review.body, p, [(start, end)])
    review.proposals.append(p)
    review.status[p.id] = "accepted"
    return p


def new_mention(review: Reviewed, ref: str, name: str, start: int, end: int) -> Proposal:
    """A mention statement: the words at `start:end` speak of the known entity `ref` (named
    `name`), quoting the sentence or clause that holds them; accepted."""
    kind = ref.partition(":")[0]
    if kind not in ENTITY_KINDS:
        raise EditError(f"a mention names an organization, person or place, not {ref}")
    start, end, _ = _selected(review.body, start, end)
    p = Proposal(next_id(review), kind, name, "match", ref, None, ANALYST, "", 0, 0, ref)
    _anchor(review.body, p, [(start, end)])
    review.proposals.append(p)
    review.status[p.id] = "accepted"
    return p
