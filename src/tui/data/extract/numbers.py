"""Figures in a sentence: amounts of money with their currency, capacities, quantities and
percentages with their unit, counts of documents, multiples, years; each with its span and the
qualifier printed before it ("over $1.6 billion", "up to 200 gigacalories")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tui.data.money_words import CURRENCY_SIGNS, CURRENCY_WORDS, SCALES, alternation

_SMALL = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "a": 1,
    "dozen": 12,
}
_UNITS = {
    "gigawatts": "GW",
    "gigawatt": "GW",
    "gw": "GW",
    "megawatts": "MW",
    "megawatt": "MW",
    "mw": "MW",
    "gigacalories": "Gcal",
    "gigacalorie": "Gcal",
    "gcal": "Gcal",
    "tons": "t",
    "tonnes": "t",
    "ton": "t",
    "tonne": "t",
    "t": "t",
    "percent": "percent",
    "per cent": "percent",
    "%": "percent",
    "times": "times",
    "fold": "times",
}
_CAPACITY_UNITS = {"GW", "MW", "Gcal"}
_DOCUMENTS = (
    "documents",
    "agreements",
    "contracts",
    "memoranda",
    "memorandums",
    "deals",
    "commercial documents",
    "investment agreements",
    "projects",
)
QUALIFIERS = (
    "more than",
    "up to",
    "at least",
    "a total of",
    "total of",
    "nearly",
    "almost",
    "about",
    "around",
    "approximately",
    "some",
    "over",
    "roughly",
    "exceeding",
    "under",
    "less than",
    "record high of",
    "a record",
    "record",
)

_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_WORDNUM = r"(?:" + "|".join(sorted((k for k in _SMALL if k != "a"), key=len, reverse=True)) + r")"
# The scale words prose puts after a number ("5 billion", "5 bn"); the one-letter "m" and "b"
# only right after a sign's number ("$5m", `MONEY`), never bare ("5 m" is a length).
_PROSE_SCALES = ("thousand", "million", "billion", "trillion", "mln", "bln", "bn", "mn", "tn")
_SCALES = alternation(_PROSE_SCALES)
_SIGN = alternation(CURRENCY_SIGNS)
_CURWORD = alternation(CURRENCY_WORDS)
_UNIT = (
    r"(?:gigawatts?|GW|megawatts?|MW|gigacalories?|Gcal|tonnes?|tons?|percent|per cent|%"
    r"|times|fold)"
)
_QUAL = r"(?:(?P<qual>" + "|".join(re.escape(q) for q in QUALIFIERS) + r")\s+(?:of\s+)?)?"

MONEY = re.compile(
    _QUAL
    + r"(?P<sign>"
    + _SIGN
    + r")\s?(?P<num>"
    + _NUM
    + r")(?:\s?(?P<scale>"
    + _SCALES
    + r"|[mb]n?)\b)?|"
    + _QUAL.replace("qual", "qual2")
    + r"(?P<num2>"
    + _NUM
    + r")\s?(?P<scale2>"
    + _SCALES
    + r")?\s(?P<cur>"
    + _CURWORD
    + r")\b",
    re.IGNORECASE,
)
MEASURE = re.compile(
    _QUAL + r"(?P<num>" + _NUM + r"|" + _WORDNUM + r")(?:\s(?P<scale>" + _SCALES + r"))?"
    r"(?:\s|-)?(?P<unit>" + _UNIT + r")(?![\w])",
    re.IGNORECASE,
)
COUNT = re.compile(
    r"\b(?P<num>\d+|" + _WORDNUM + r")\s(?:(?:new|commercial|investment|intergovernmental|"
    r"bilateral|cooperation|trade|major)\s)*(?P<what>documents|agreements|contracts|memoranda|"
    r"memorandums|deals)\b",
    re.IGNORECASE,
)
YEAR = re.compile(r"\b(?P<word>by|in|since|until|till|from|of)\s(?P<year>(?:19|20)\d\d)\b")


@dataclass(frozen=True)
class Figure:
    what: str  # money | capacity | quantity | percent | times | count | year
    value: float | int
    unit: str | None  # a currency for money, a controlled unit otherwise
    qualifier: str | None
    start: int
    end: int
    text: str
    word: str | None = None  # a year's preposition ("by 2060")


def number(text: str) -> float | int | None:
    """ "1.6" -> 1.6, "1,000" -> 1000, "five" -> 5."""
    t = text.lower().replace(",", "")
    if t in _SMALL:
        return _SMALL[t]
    try:
        value = float(t)
    except ValueError:
        return None
    return int(value) if value.is_integer() else value


def _whole(value: float) -> float | int:
    rounded = round(value, 6)
    return int(rounded) if float(rounded).is_integer() else rounded


def figures(sentence: str, offset: int = 0) -> list[Figure]:
    """Every figure in `sentence`, in text order, none overlapping another."""
    found: list[Figure] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    for m in MONEY.finditer(sentence):
        currency: str | None
        if m.group("num"):
            value = number(m.group("num"))
            scale = (m.group("scale") or "").lower()
            currency = CURRENCY_SIGNS.get(m.group("sign").lower(), "USD")
            qual = m.group("qual")
        else:
            value = number(m.group("num2"))
            scale = (m.group("scale2") or "").lower()
            currency = CURRENCY_WORDS.get(m.group("cur").lower(), None)
            qual = m.group("qual2")
        if value is None or currency is None:
            continue
        value = _whole(value * SCALES.get(scale, 1))
        found.append(_figure("money", value, currency, qual, m, offset))
        taken.append(m.span())
    for m in MEASURE.finditer(sentence):
        if not free(*m.span()):
            continue
        value = number(m.group("num"))
        if value is None:
            continue
        value = _whole(value * SCALES.get((m.group("scale") or "").lower(), 1))
        unit = _UNITS[m.group("unit").lower()]
        what = (
            "capacity"
            if unit in _CAPACITY_UNITS
            else "quantity"
            if unit == "t"
            else "percent"
            if unit == "percent"
            else "times"
        )
        found.append(_figure(what, value, unit, m.group("qual"), m, offset))
        taken.append(m.span())
    for m in COUNT.finditer(sentence):
        if not free(*m.span()):
            continue
        value = number(m.group("num"))
        if value is None:
            continue
        found.append(
            Figure("count", int(value), None, None, offset + m.start(), offset + m.end(), m.group())
        )
        taken.append(m.span())
    for m in YEAR.finditer(sentence):
        if free(*m.span()):
            found.append(
                Figure(
                    "year",
                    int(m.group("year")),
                    None,
                    None,
                    offset + m.start("year"),
                    offset + m.end("year"),
                    m.group("year"),
                    word=m.group("word"),
                )
            )
    return sorted(found, key=lambda f: f.start)


def _figure(
    what: str, value: float | int, unit: str | None, qual: str | None, m: re.Match[str], offset: int
) -> Figure:
    qualifier = qual.lower() if qual else None
    if qualifier in ("a total of", "total of"):
        qualifier = "total"
    if qualifier in ("a record", "record high of"):
        qualifier = "record"
    return Figure(what, value, unit, qualifier, offset + m.start(), offset + m.end(), m.group())
