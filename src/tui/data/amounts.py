"""Amounts of money in search: the one index term an amount is stored under, and the amounts a
typed query names ("$22 bn", "22 billion", "USD 1.6 billion", "₸ 500 mln").

An amount is indexed as one term of its value (`amount_term`), whatever its currency, so
"$22 bn" and "22 billion" both find what states 22,000,000,000. A number counts as an amount
only with a scale word or a currency: a bare "22" stays a word (a day, a count)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tui.data.money_words import CURRENCY_OF, CURRENCY_SIGNS, CURRENCY_WORDS, SCALES, alternation

_SIGN = alternation(CURRENCY_SIGNS)
_WORD_CURRENCY = alternation(CURRENCY_WORDS)
_SCALE = alternation(SCALES)
_AMOUNT = re.compile(
    rf"(?:(?P<before>{_SIGN}|\b(?:{_WORD_CURRENCY})\b)\s*)?"
    r"(?P<number>\d{1,15}(?:[.,]\d{1,15})*)"
    rf"(?:\s*(?P<scale>(?:{_SCALE})\b))?"
    rf"(?:\s*(?P<after>\b(?:{_WORD_CURRENCY})\b))?",
    re.IGNORECASE,
)
TERM_PREFIX = "a"  # amount terms sit in their own column: no typed word prefix-matches them


@dataclass(frozen=True)
class Amount:
    value: float
    currency: str | None
    span: tuple[int, int]  # where the query says it


def amount_term(value: float) -> str:
    """The index term of an amount: its value to six significant figures, as letters and
    digits only (one unicode61 token): 22e9 -> `a22e10`... `a` + mantissa digits + exponent."""
    mantissa, _, exponent = f"{abs(value):.5e}".partition("e")
    digits = mantissa.replace(".", "").rstrip("0") or "0"
    power = int(exponent)
    sign = "n" if value < 0 else ""
    return f"{TERM_PREFIX}{sign}{digits}e{'m' if power < 0 else ''}{abs(power)}"


def parse_number(text: str) -> float | None:
    """12,000 and 12.5 and 12,5 (a comma before exactly three digits groups thousands)."""
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", text):
        text = text.replace(",", "")
    elif text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return None


def query_amounts(text: str) -> list[Amount]:
    """The amounts `text` names: a number with a scale word or a currency (at most three)."""
    found = []
    for match in _AMOUNT.finditer(text[:1000]):
        before, scale, after = match.group("before"), match.group("scale"), match.group("after")
        if not (before or scale or after):
            continue
        value = parse_number(match.group("number"))
        if value is None:
            continue
        if scale:
            value *= SCALES[scale.lower()]
        currency_word = (before or after or "").lower()
        found.append(Amount(value, CURRENCY_OF.get(currency_word), match.span()))
        if len(found) == 3:
            break
    return found


def without_amounts(text: str, amounts: list[Amount]) -> str:
    """`text` with the amounts it names cut out (the rest are words to search)."""
    for amount in sorted(amounts, key=lambda a: a.span, reverse=True):
        start, end = amount.span
        text = text[:start] + " " + text[end:]
    return text
