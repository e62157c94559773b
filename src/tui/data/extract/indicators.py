"""Indicators: trade and investment figures, growth multiples and rankings, with the period
and the countries the sentence names; a figure inside a commitment's words is that
commitment's, not an indicator."""

from __future__ import annotations

import re

from tui.data.extract.context import Context
from tui.data.extract.drafts import Draft
from tui.data.extract.lexicon import DEMONYMS
from tui.data.extract.numbers import number
from tui.data.extract.text import trim

_METRIC = re.compile(
    r"\b(bilateral trade|trade turnover|mutual trade|foreign trade|trade|gross inflow of "
    r"[\w ]*?investments?|(?:total |direct |foreign |accumulated )*investments?|exports? of "
    r"[\w ]+?(?= from| to|,| has| have| grew| rose)|imports? of [\w ]+?(?= from| to|,| has)|"
    r"exports?|imports?|GDP|output|production|(?:[\w ]*?)?loans?(?: to [\w ]+?)?(?= rose| grew| "
    r"increased| reached| amounted| fell| was| were|,)|lending|credit|cargo traffic|freight|"
    r"traffic|transit|shipments|turnover|revenues?|sales|profits?|exported [\w ]+? worth)\b",
    re.IGNORECASE,
)
_RANK_WORDS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
}
_RANK = re.compile(
    r"(?:\b(?:(one of the (\w+))|the (\w+)|[’']s (\w+)|[’'](s)) (?:largest|biggest|top|leading) "
    r"(?:foreign )?"
    r"(investors?|trading partners?|partners?|economies|exporters?|importers?|buyers?))\b",
    re.IGNORECASE,
)
_PERIOD = re.compile(
    r"\b(since (?:19|20)\d\d|in (?:19|20)\d\d|over the past \w+ years|last year|this year|"
    r"at the end of last year|for (?:19|20)\d\d)\b",
    re.IGNORECASE,
)


def find(ctx: Context, commitments: list[Draft]) -> list[Draft]:
    found: list[Draft] = []
    taken = [(d.start, d.end) for d in commitments]
    for i, s in enumerate(ctx.sentences):
        previous_end = s.start
        for f in ctx.figures[i]:
            if f.what not in ("money", "times", "percent"):
                continue
            if any(a <= f.start < b for a, b in taken):
                continue
            metric = _metric(ctx, previous_end, f.start, s.start)
            between = ctx.body[previous_end : f.start]
            last = found[-1] if found and ctx.sentence_of(found[-1].start) == i else None
            after = ctx.body[f.end : s.end]
            grew = f.what == "percent" and re.match(
                r"\s(?:more|higher|less|lower|up) (?:than|from|on)\b", after
            )
            if metric is None and last is not None:
                if grew or re.search(
                    r"(?:^|,)\W*(?:up|down|an increase of|a rise of|growth of)\s*$", between
                ):
                    metric = f"{last.fields['metric']} growth"
                elif re.search(
                    r"\b(?:reached|amounted to|totaled|totalled|stood at)\b|\bto\s*$", between
                ):
                    metric = str(last.fields["metric"]).removesuffix(" growth")
            if metric is None:
                share = re.match(
                    r"\s*of (?:all )?((?:bilateral |mutual |foreign )?trade|[\w ]*?investments?|"
                    r"exports?|imports?)\b",
                    ctx.body[f.end : s.end],
                )
                if share and f.what == "percent":
                    metric = f"share of {share.group(1).lower()}"
                world = re.match(r"\s*of (?:the )?world[’']s (\w+)", ctx.body[f.end : s.end])
                if world and f.what == "percent":
                    metric = f"share of world {world.group(1).lower()}"
            if metric is None:
                continue
            if (
                f.what in ("percent", "times")
                and re.search(
                    r"\b(?:grew|grown|rose|risen|increased|up|expanded)\b(?: by)?\s*$", between
                )
                and not metric.endswith("growth")
            ):
                metric = f"{metric} growth"
            start = s.start if previous_end == s.start else previous_end
            span = trim(ctx.body, start, _end_of(ctx, f.end, s.end))
            d = Draft("indicator", "", span.start, span.end, why=f"figure: {f.text}")
            d.fields["metric"] = metric
            falls = re.search(
                r"\b(?:fell|decreased|declined|dropped|shrank|down)(?: by)?\s*$", between
            )
            negative = falls is not None and f.what == "percent"
            d.fields["value"] = -f.value if negative else f.value
            if f.what == "money":
                d.fields["currency"] = f.unit
            else:
                d.fields["unit"] = f.unit
            if f.qualifier:
                d.fields["value_qualifier"] = f.qualifier
            _period(ctx, d, s.start, s.end)
            _countries(ctx, i, d)
            d.name = _title(metric, d.fields.get("period"))
            d.asserted_by = ctx.speakers.get(i)
            found.append(d)
            previous_end = f.end + 1
        for m in _RANK.finditer(s.text):
            word = "first" if m.group(5) else (m.group(2) or m.group(3) or m.group(4)).lower()
            value = _RANK_WORDS.get(word) or number(word) or _ordinal(word)
            if value is None:
                continue
            start = s.start + m.start()
            span = trim(ctx.body, start, _end_of(ctx, s.start + m.end(), s.end))
            d = Draft("indicator", "", span.start, span.end, why=f"ranking: {m.group()}")
            d.fields["metric"] = f"{m.group(6).lower()} rank"
            d.fields["value"] = value
            d.fields["unit"] = "rank"
            if m.group(1):
                d.fields["value_qualifier"] = "one of the"
            _countries(ctx, i, d)
            d.name = _title(d.fields["metric"], None)
            d.asserted_by = ctx.speakers.get(i)
            found.append(d)
    return found


def _ordinal(word: str) -> int | None:
    m = re.fullmatch(r"(\d+)(?:st|nd|rd|th)", word)
    return int(m.group(1)) if m else None


def _end_of(ctx: Context, end: int, stop: int) -> int:
    """Extend to the end of the clause (a period or a comma before a new clause)."""
    text = ctx.body[end:stop]
    m = re.search(r",\s(?:and\s|making\s|while\s|which\s)|[.;]|,\s[a-z]+ [a-z]+ –", text)
    return end + (m.start() if m else len(text))


def _metric(ctx: Context, start: int, at: int, floor: int) -> str | None:
    text = ctx.body[start:at]
    hits = list(_METRIC.finditer(text))
    if not hits:
        m = re.search(r"(?:^\s*|,\s)([a-z]+(?: [a-z]+)?) [–—-] $", text)
        return f"export of {m.group(1)}" if m else None
    metric = hits[-1].group(1).lower()
    if metric.startswith("exported "):  # "exported IT services worth": exports of IT services
        metric = "exports of " + metric.removeprefix("exported ").removesuffix(" worth")
    return metric


def _period(ctx: Context, d: Draft, start: int, end: int) -> None:
    m = _PERIOD.search(ctx.body, start, end)
    if not m:
        return
    words = m.group(1).lower()
    if "last year" in words and ctx.date is not None:
        d.fields["period"] = str(ctx.date.year - 1)
        d.fields["relative"] = "last year"
    elif "this year" in words and ctx.date is not None:
        d.fields["period"] = str(ctx.date.year)
        d.fields["relative"] = "this year"
    elif words.startswith(("in ", "for ")):
        d.fields["period"] = words.split()[-1]
    else:
        d.fields["period"] = words.removeprefix("over the ").removeprefix("over ")


def _countries(ctx: Context, i: int, d: Draft) -> None:
    """The subject and the counterpart: "from X to Y", "Chinese investments in X", "between X
    and Y", else the places in the order the sentence names them."""
    places = [
        m
        for m in ctx.names.in_sentence(i)
        if m.entity is not None and ctx.entity_kind(m) == "place"
    ]
    order: list[int] = []
    s = ctx.sentences[i]
    demonym = re.search(
        r"\b(" + "|".join(k.capitalize() for k in DEMONYMS) + r") investments?\b", s.text
    )
    if demonym:
        country = DEMONYMS[demonym.group(1).lower()]
        for m in places:
            if ctx.names.entities[m.entity or 0].name == country:
                order.append(m.entity or 0)
    for m in places:
        if (m.entity or 0) not in order:
            order.append(m.entity or 0)
    if order:
        d.link("subject", order[0])
    if len(order) > 1:
        d.link("counterpart", order[1])


def _title(metric: str, period: str | None) -> str:
    text = metric[:1].upper() + metric[1:]
    return f"{text}, {period}" if period else text
