"""The signs and words that state an amount of money, and its scale: one definition for the
three readers of amounts (the extractor reading an article, a review edit typed by the
analyst, a search query), each of which keeps its own pattern of where the words may stand.

Every currency here maps to one of the controlled currencies (`tui.data.statements`)."""

from __future__ import annotations

import re
from collections.abc import Iterable

SCALES = {
    "k": 1e3, "thousand": 1e3, "thousands": 1e3,
    "m": 1e6, "mn": 1e6, "mln": 1e6, "million": 1e6, "millions": 1e6,
    "b": 1e9, "bn": 1e9, "bln": 1e9, "billion": 1e9, "billions": 1e9,
    "tn": 1e12, "trn": 1e12, "trillion": 1e12, "trillions": 1e12,
}  # fmt: skip
CURRENCY_SIGNS = {"us$": "USD", "$": "USD", "€": "EUR", "¥": "CNY", "₸": "KZT", "₽": "RUB"}
CURRENCY_WORDS = {
    "us dollars": "USD",
    "dollars": "USD",
    "dollar": "USD",
    "usd": "USD",
    "euros": "EUR",
    "euro": "EUR",
    "eur": "EUR",
    "yuan": "CNY",
    "renminbi": "CNY",
    "cny": "CNY",
    "rmb": "CNY",
    "tenge": "KZT",
    "kzt": "KZT",
    "roubles": "RUB",
    "rouble": "RUB",
    "rubles": "RUB",
    "ruble": "RUB",
    "rub": "RUB",
}  # fmt: skip  (lower case: look a word up by its lower case)
CURRENCY_OF = {**CURRENCY_SIGNS, **CURRENCY_WORDS}


def alternation(words: Iterable[str]) -> str:
    """A regular expression group matching any of `words` literally, the longest first (so
    "us$" is not read as "$", nor "dollars" as "dollar")."""
    return "(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + ")"
