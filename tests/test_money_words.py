"""The three readers of an amount (the extractor reading an article, a review edit, a search
query) read every currency word and sign alike, so what one accepts the others find."""

from __future__ import annotations

import pytest

from tui.data.amounts import query_amounts
from tui.data.extract.numbers import figures
from tui.data.money_words import CURRENCY_SIGNS, CURRENCY_WORDS
from tui.data.review_edits import parse_amount
from tui.data.statements import CURRENCIES


@pytest.mark.parametrize("word", sorted(CURRENCY_WORDS))
def test_a_currency_word_reads_the_same_in_articles_edits_and_search(word):
    code = CURRENCY_WORDS[word]
    assert code in CURRENCIES
    typed = f"5 billion {word}"
    assert parse_amount(typed) == (5_000_000_000, code)
    [asked] = query_amounts(typed)
    assert (asked.value, asked.currency) == (5e9, code)
    [figure] = [f for f in figures(f"They signed deals worth {typed} in May.") if f.what == "money"]
    assert (figure.value, figure.unit) == (5_000_000_000, code)


@pytest.mark.parametrize("sign", sorted(CURRENCY_SIGNS))
def test_a_currency_sign_reads_the_same_in_articles_edits_and_search(sign):
    code = CURRENCY_SIGNS[sign]
    assert code in CURRENCIES
    typed = f"{sign}5 billion"
    assert parse_amount(typed) == (5_000_000_000, code)
    [asked] = query_amounts(typed)
    assert (asked.value, asked.currency) == (5e9, code)
    [figure] = [f for f in figures(f"They signed deals worth {typed} in May.") if f.what == "money"]
    assert (figure.value, figure.unit) == (5_000_000_000, code)
