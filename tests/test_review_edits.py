"""The analyst's edits to proposals: fields validated against what the corpus allows, merges
that carry every link along, splits, and new proposals from a span of the article."""

from __future__ import annotations

import pytest

from tui import paths
from tui.data.corpus import load_corpus
from tui.data.extract.proposals import Proposal, propose, to_statements
from tui.data.review import Review
from tui.data.review_edits import (
    ANALYST,
    EditError,
    decide,
    edit_field,
    merge,
    new_entity,
    new_mention,
    parse_amount,
    pending_of,
    quote_span,
    sentence_span,
    split,
    split_points,
    word_spans,
)

ARTICLE = "tokayev-investment-round-table"


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(paths.SEED_DIR)


@pytest.fixture
def review(corpus) -> Review:
    article = corpus.facts[ARTICLE].article
    proposals = propose(article.body, corpus, article)
    return Review(
        paths.SEED_DIR, ARTICLE, None, article.body, proposals, {p.id: "pending" for p in proposals}
    )


def named(review: Review, name: str) -> Proposal:
    return next(p for p in review.proposals if p.name.startswith(name))


def test_accepting_and_rejecting_set_the_status_but_never_undo_an_applied_one(review):
    first, second = review.proposals[:2]
    review.status[second.id] = "applied"
    assert decide(review, [first.id, second.id], "accepted") == [first.id]
    assert review.status == {**review.status, first.id: "accepted", second.id: "applied"}
    assert first.id not in pending_of(review)
    places = pending_of(review, "place")
    assert places and all(named_p.kind == "place" for named_p in review.proposals
                          if named_p.id in places)  # fmt: skip
    with pytest.raises(EditError):
        decide(review, [first.id], "maybe")


def test_a_valid_status_amount_and_date_are_stored_as_the_corpus_wants_them(review):
    signed = named(review, "For a total of $22 billion")
    assert edit_field(review, signed.id, "amount", "$23.5 bn") == "23500000000"
    assert signed.fields["amount"] == 23_500_000_000 and signed.fields["currency"] == "USD"
    edit_field(review, signed.id, "date", "2023-05")
    assert signed.fields["date"] == "2023-05" and signed.fields["date_precision"] == "month"
    edit_field(review, signed.id, "status", "Signed")
    assert signed.fields["status"] == "signed"
    edit_field(review, signed.id, "type", "agreement")
    assert signed.fields["category"] == "agreement"


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("amount", "twenty", "is not a number"),
        ("amount", "22 GBP", "currency 'GBP' is not one of USD"),
        ("date", "18 May 2023", "is not YYYY, YYYY-MM or YYYY-MM-DD"),
        ("date", "2023-02-30", "not a date in the calendar"),
        ("status", "done", "is not one of signed, agreed"),
        ("status", "completed", "the quote prints none of “completed”"),
        ("type", "treaty", "is not one of agreement"),
        ("role", "Chairman", "a commitment has no role"),
        ("name", "  ", "a name needs letters or digits"),
    ],
)
def test_an_invalid_value_is_one_line_and_changes_nothing(review, name, value, says):
    signed = named(review, "For a total of $22 billion")
    before = (signed.name, dict(signed.fields))
    with pytest.raises(EditError) as raised:
        edit_field(review, signed.id, name, value)
    assert says in str(raised.value) and "\n" not in str(raised.value)
    assert (signed.name, signed.fields) == before


def test_amounts_are_read_as_people_write_them():
    assert parse_amount("22 billion") == (22_000_000_000, None)
    assert parse_amount("12,000") == (12_000, None)
    assert parse_amount("1,5") == (1.5, None)
    assert parse_amount("500 million KZT") == (500_000_000, "KZT")
    assert parse_amount("USD 1.6 billion") == (1_600_000_000, "USD")


def test_a_target_year_stays_a_target_and_a_typed_date_is_no_longer_relative(review):
    target = named(review, "Achieve carbon neutrality")
    edit_field(review, target.id, "date", "2050")
    assert target.fields["date_precision"] == "target_year"
    talks = named(review, "Kazakh-Chinese negotiations")
    assert talks.fields["relative"] == "yesterday"
    edit_field(review, talks.id, "date", "2023-05-16")
    assert "relative" not in talks.fields


def test_a_positions_role_is_its_links_role_too(review):
    position = next(p for p in review.proposals if p.kind == "position")
    edit_field(review, position.id, "role", "Head of State")
    assert position.fields["role"] == "Head of State"
    assert {link["role"] for link in position.links} == {"Head of State"}


def test_an_applied_proposal_is_not_edited(review):
    signed = named(review, "For a total of $22 billion")
    review.status[signed.id] = "applied"
    with pytest.raises(EditError, match="applied already"):
        edit_field(review, signed.id, "amount", "1")


def test_merging_takes_the_entitys_ref_and_every_link_follows(review):
    kazakhstan = named(review, "Kazakhstan")
    linked = [p for p in review.proposals if any(x["ref"] == kazakhstan.ref for x in p.links)]
    assert linked
    merge(review, kazakhstan.id, "place:kazakh-republic")
    assert (kazakhstan.ref, kazakhstan.action, kazakhstan.match, kazakhstan.why) == (
        "place:kazakh-republic", "match", "place:kazakh-republic", ANALYST,
    )  # fmt: skip
    for p in linked:
        refs = {x["ref"] for x in p.links}
        assert "place:kazakh-republic" in refs and "place:kazakhstan" not in refs
    position = next(p for p in review.proposals if p.kind == "position")
    tokayev = named(review, "Kassym-Jomart Tokayev")
    merge(review, tokayev.id, "person:tokayev-2")
    assert position.ref == "person:tokayev-2"


def test_merging_never_crosses_kinds(review):
    kazakhstan = named(review, "Kazakhstan")
    with pytest.raises(EditError, match="cannot merge a place into a organization"):
        merge(review, kazakhstan.id, "organization:kazakhstan")
    assert kazakhstan.ref == "place:kazakhstan"


def test_splitting_makes_two_entities_each_quoting_its_own_words(review):
    nfc = named(review, "NFC")
    nfc.name = "KAZ Minerals and NFC"  # as a pipeline that joined them would propose it
    nfc.mentions = [(review.body.index("KAZ Minerals and NFC"),
                     review.body.index("KAZ Minerals and NFC") + 20)]  # fmt: skip
    project = named(review, "KAZ Minerals and NFC for the construction")
    project.links = [{"prop": "party", "ref": nfc.ref, "role": "partner"}]
    points = split_points(nfc.name)
    assert [nfc.name[:at] for at in points] == ["KAZ ", "KAZ Minerals ", "KAZ Minerals and "]
    second = split(review, nfc.id, points[1], taken=lambda ref: ref == "organization:nfc")
    assert (nfc.name, second.name) == ("KAZ Minerals", "NFC")
    assert second.ref == "organization:nfc-2" and nfc.action == second.action == "new"
    for p in (nfc, second):
        assert review.body[p.start : p.end] == p.quote and p.name in p.quote
        assert [review.body[a:b] for a, b in p.mentions] == [p.name]
    assert {x["ref"] for x in project.links} == {nfc.ref, second.ref}
    assert review.proposals.index(second) == review.proposals.index(nfc) + 1
    assert review.status[second.id] == "pending"
    with pytest.raises(EditError, match="split between two words"):
        split(review, second.id, 0)


def test_words_and_sentences_of_the_article_for_the_keyboard_selection(review):
    body = review.body
    words = word_spans(body)
    assert [body[a:b] for a, b in words[:3]] == ["President", "Kassym-Jomart", "Tokayev"]
    text = "the Head of State’s press service in Xi’an"
    assert [text[a:b] for a, b in word_spans(text)] == [
        "the", "Head", "of", "State", "press", "service", "in", "Xi’an",
    ]  # fmt: skip
    at = body.index("record high")
    start, end = sentence_span(body, at)
    assert "record high" in body[start:end] and body[start:end].startswith("– At the end")


def test_a_new_entity_from_a_span_quotes_its_sentence_verbatim(review):
    body = review.body
    start = body.index("Western Eurasia")
    made = new_entity(review, "place", start, start + len("Western Eurasia"))
    assert made.quote == body[made.start : made.end] and "Western Eurasia" in made.quote
    assert made.ref == "place:western-eurasia-2"  # the proposals have the plain one already
    assert review.status[made.id] == "accepted" and made.action == "new"
    statements = to_statements([made], ARTICLE, body)
    assert statements and all(s.quote == body[s.start : s.end] for s in statements)
    with pytest.raises(EditError, match="an organization, person or place"):
        new_entity(review, "meeting", start, start + 5)
    with pytest.raises(EditError, match="no words"):
        new_entity(review, "place", start - 1, start)


def test_a_mention_of_a_known_entity_from_a_span(review):
    body = review.body
    start = body.index("the Head of State")
    made = new_mention(review, "person:kassym-jomart-tokayev", "Kassym-Jomart Tokayev", start,
                       start + len("the Head of State"))  # fmt: skip
    assert (made.action, made.ref, made.why) == ("match", "person:kassym-jomart-tokayev", ANALYST)
    assert "the Head of State" in made.quote
    q_start, q_end = quote_span(body, start, start + 3)
    assert q_start <= start and q_end >= start + 3
