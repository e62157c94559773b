"""The three readers of an amount (the extractor reading an article, a review edit, a search
query) read every currency word and sign alike, so what one accepts the others find."""

from __future__ import annotations

import pytest

from tui.data.amounts import query_amounts
from tui.data.extract.numbers import figures
from tui.data.money_words import CURRENCY_SIGNS, CURRENCY_WORDS
from tui.data.review_edits import parse_amount
from tui.data.statements import CURRENCIES

TYPED = [(f"5 billion {word}", code) for word, code in sorted(CURRENCY_WORDS.items())] + [
    (f"{sign}5 billion", code) for sign, code in sorted(CURRENCY_SIGNS.items())
]


@pytest.mark.parametrize(("typed", "code"), TYPED)
def test_a_currency_word_or_sign_reads_the_same_in_articles_edits_and_search(typed, code):
    assert code in CURRENCIES
    assert parse_amount(typed) == (5_000_000_000, code)
    [asked] = query_amounts(typed)
    assert (asked.value, asked.currency) == (5e9, code)
    [figure] = [f for f in figures(f"They signed deals worth {typed} in May.") if f.what == "money"]
    assert (figure.value, figure.unit) == (5_000_000_000, code)
