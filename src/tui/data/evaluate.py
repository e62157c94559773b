"""Measure the proposal engine: propose from an EMPTY corpus for each article of a corpus and
compare with that corpus's curated facts (read at run time), as precision and recall per kind,
for positions, links and amounts.

Matching: an entity proposal is the curated entity its name resolves to (same kind, through
the same resolver a user's corpus would use, against that article's names and aliases); a
meeting, commitment or indicator is the curated one whose quotes its span overlaps most (one
to one); a link or a position is right when both its ends are; an amount when its value and
unit are the curated figure's and its span overlaps that figure's quote.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from tui.data.corpus import Corpus, load_corpus
from tui.data.extract.proposals import ENTITY_KINDS, Proposal, propose
from tui.data.extract.resolve import Index
from tui.data.statements import Statement

EVENT_KINDS = ("meeting", "commitment", "indicator")
ROWS = (*ENTITY_KINDS, "position", *EVENT_KINDS, "links", "amounts", "asserted_by")
LINK_PROPS = ("participant", "party", "place")
AMOUNT_PROPS = {
    "amount": "currency",
    "value": None,
    "capacity": "capacity_unit",
    "quantity": "quantity_unit",
    "target_value": "target_unit",
    "document_count": None,
}
_PROPOSAL_AMOUNTS = {
    "amount": "currency",
    "value": "currency|unit",
    "capacity": "capacity_unit",
    "quantity": "quantity_unit",
    "target_value": "target_unit",
    "document_count": None,
}


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _jaccard(a: tuple[int, int], b: tuple[int, int]) -> float:
    union = max(a[1], b[1]) - min(a[0], b[0])
    return _overlap(a, b) / union if union else 0.0


class _Tally:
    def __init__(self) -> None:
        self.tp: dict[str, int] = defaultdict(int)
        self.fp: dict[str, int] = defaultdict(int)
        self.fn: dict[str, int] = defaultdict(int)
        self.misses: dict[str, list[str]] = defaultdict(list)
        self.extras: dict[str, list[str]] = defaultdict(list)


def _entity_map(
    article_id: str,
    statements: list[Statement],
    corpus: Corpus,
    proposals: list[Proposal],
    tally: _Tally,
) -> dict[str, str]:
    """proposal ref -> curated ref, for organizations, people and places."""
    subjects = {s.subject for s in statements}
    index = Index()
    for ref in sorted(subjects):
        if ref.partition(":")[0] in ENTITY_KINDS:
            aliases = [s.value for s in statements if s.subject == ref and s.prop == "alias"]
            index.add(ref, [corpus.names[ref], *aliases])
    mapping: dict[str, str] = {}
    for kind in ENTITY_KINDS:
        gold = {r for r in subjects if r.startswith(kind + ":")}
        hit: set[str] = set()
        for p in proposals:
            if p.kind != kind:
                continue
            m = index.match(kind, p.name, p.fields.get("aliases", []))
            if m is not None and m.ref not in hit:
                hit.add(m.ref)
                mapping[p.ref] = m.ref
                tally.tp[kind] += 1
            else:
                tally.fp[kind] += 1
                tally.extras[kind].append(f"{article_id}: {p.name}")
        for ref in sorted(gold - hit):
            tally.fn[kind] += 1
            tally.misses[kind].append(f"{article_id}: {ref}")
    return mapping


def _event_map(
    article_id: str, statements: list[Statement], proposals: list[Proposal], tally: _Tally
) -> dict[str, str]:
    """proposal ref -> curated ref, for meetings, commitments and indicators, by span."""
    mapping: dict[str, str] = {}
    for kind in EVENT_KINDS:
        spans: dict[str, set[tuple[int, int]]] = defaultdict(set)
        for s in statements:
            if s.kind == kind:
                spans[s.subject].add((s.start, s.end))
        owners: dict[tuple[int, int], set[str]] = defaultdict(set)
        for ref, ss in spans.items():
            for span in ss:
                owners[span].add(ref)
        own = {ref: {x for x in ss if len(owners[x]) == 1} or ss for ref, ss in spans.items()}
        pairs = []
        mine = [p for p in proposals if p.kind == kind]
        for p in mine:
            p_spans = [(p.start, p.end)] if kind != "meeting" else [(p.start, p.end), *p.mentions]
            for ref, ss in own.items():
                score = max(_jaccard(a, b) for a in p_spans for b in ss)
                if score > 0:
                    pairs.append((score, p.ref, ref))
        used_p: set[str] = set()
        used_g: set[str] = set()
        for _score, p_ref, ref in sorted(pairs, reverse=True):
            if p_ref in used_p or ref in used_g:
                continue
            used_p.add(p_ref)
            used_g.add(ref)
            mapping[p_ref] = ref
        tally.tp[kind] += len(used_p)
        for p in mine:
            if p.ref not in used_p:
                tally.fp[kind] += 1
                tally.extras[kind].append(f"{article_id}: {p.name}")
        for ref in sorted(set(spans) - used_g):
            tally.fn[kind] += 1
            tally.misses[kind].append(f"{article_id}: {ref}")
    return mapping


def _score_sets(row: str, article_id: str, gold: set[Any], found: set[Any], tally: _Tally) -> None:
    tally.tp[row] += len(gold & found)
    tally.fp[row] += len(found - gold)
    tally.fn[row] += len(gold - found)
    tally.misses[row].extend(f"{article_id}: {x}" for x in sorted(map(str, gold - found)))
    tally.extras[row].extend(f"{article_id}: {x}" for x in sorted(map(str, found - gold)))


def _asserters(
    article_id: str,
    statements: list[Statement],
    proposals: list[Proposal],
    mapping: dict[str, str],
    tally: _Tally,
) -> None:
    """Who asserts what: (curated subject, asserter) pairs, for meetings, commitments and
    indicators."""
    gold = {(s.subject, s.asserted_by) for s in statements
            if s.asserted_by and s.kind in EVENT_KINDS}  # fmt: skip
    found = set()
    for p in proposals:
        if p.kind not in EVENT_KINDS:
            continue
        subject = mapping.get(p.ref, f"?{p.ref}")
        for by in {p.asserted_by, *p.field_asserted_by.values()} - {None}:
            found.add((subject, mapping.get(str(by), f"?{by}")))
    _score_sets("asserted_by", article_id, gold, found, tally)


def _links(
    article_id: str,
    statements: list[Statement],
    proposals: list[Proposal],
    mapping: dict[str, str],
    tally: _Tally,
) -> None:
    gold_pos = {(s.subject, s.value) for s in statements if s.prop == "position"}
    found_pos = set()
    gold_links = {
        (s.subject, s.prop, s.value)
        for s in statements
        if s.prop in LINK_PROPS and s.kind in ("meeting", "commitment")
    }
    found_links = set()
    for p in proposals:
        subject = mapping.get(p.ref, f"?{p.ref}")
        for link in p.links:
            target = mapping.get(link["ref"], f"?{link['ref']}")
            if p.kind == "position":
                found_pos.add((subject, target))
            elif link["prop"] in LINK_PROPS:
                found_links.add((subject, link["prop"], target))
    _score_sets("position", article_id, gold_pos, found_pos, tally)
    _score_sets("links", article_id, gold_links, found_links, tally)


def _same(a: Any, b: Any) -> bool:
    try:
        return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(a)))
    except (TypeError, ValueError):
        return False


def _amounts(
    article_id: str, statements: list[Statement], proposals: list[Proposal], tally: _Tally
) -> None:
    gold = [
        (s.subject, s.prop, s.value, (s.start, s.end)) for s in statements if s.prop in AMOUNT_PROPS
    ]
    found = []
    for p in proposals:
        for prop in AMOUNT_PROPS:
            if prop in p.fields:
                found.append((p, prop, p.fields[prop]))
    matched_gold: set[int] = set()
    for p, prop, value in found:
        hit = None
        for k, (_subject, g_prop, g_value, g_span) in enumerate(gold):
            if k in matched_gold or g_prop != prop or not _same(value, g_value):
                continue
            spans = [p.field_spans.get(prop, (p.start, p.end))]
            if any(_overlap(x, g_span) for x in spans):
                hit = k
                break
        if hit is None:
            tally.fp["amounts"] += 1
            tally.extras["amounts"].append(f"{article_id}: {p.name} {prop}={value}")
        else:
            matched_gold.add(hit)
            tally.tp["amounts"] += 1
    for k, (subject, prop, value, _span) in enumerate(gold):
        if k not in matched_gold:
            tally.fn["amounts"] += 1
            tally.misses["amounts"].append(f"{article_id}: {subject} {prop}={value}")


def evaluate(corpus_dir: Path | str, articles: list[str] | None = None) -> dict[str, Any]:
    """Precision and recall of proposals from an empty corpus against `corpus_dir`'s facts."""
    corpus = load_corpus(Path(corpus_dir))
    tally = _Tally()
    ids = articles or sorted(corpus.facts)
    for article_id in ids:
        facts = corpus.facts[article_id]
        body = facts.article.body
        proposals = propose(body, None, facts.article.meta)
        statements = facts.statements
        mapping = _entity_map(article_id, statements, corpus, proposals, tally)
        mapping.update(_event_map(article_id, statements, proposals, tally))
        _links(article_id, statements, proposals, mapping, tally)
        _asserters(article_id, statements, proposals, mapping, tally)
        _amounts(article_id, statements, proposals, tally)
    rows = {}
    for row in ROWS:
        tp, fp, fn = tally.tp[row], tally.fp[row], tally.fn[row]
        rows[row] = {
            "tp": tp,
            "fp": fp,
            "fn": fn,
            "precision": round(tp / (tp + fp), 3) if tp + fp else None,
            "recall": round(tp / (tp + fn), 3) if tp + fn else None,
            "missed": tally.misses[row],
            "extra": tally.extras[row],
        }
    kinds = (*ENTITY_KINDS, "position", *EVENT_KINDS)
    tp = sum(tally.tp[k] for k in kinds)
    fp = sum(tally.fp[k] for k in kinds)
    return {
        "corpus": str(corpus_dir),
        "articles": ids,
        "rows": rows,
        "overall_precision": round(tp / (tp + fp), 3) if tp + fp else None,
    }


TARGETS = {
    "organization": 0.9,
    "person": 0.9,
    "place": 0.9,
    "amounts": 0.9,
    "meeting": 0.7,
    "commitment": 0.7,
    "position": 0.7,
}


def report_table(report: dict[str, Any]) -> str:
    """The report as a plain-text table (recall targets from issue 12 beside each row)."""

    def pct(x: float | None) -> str:
        return "   -" if x is None else f"{x * 100:5.1f}%"

    lines = [f"{'':<13}{'precision':>10}{'recall':>9}{'tp':>5}{'fp':>5}{'fn':>5}  target recall"]
    for row, r in report["rows"].items():
        target = TARGETS.get(row)
        mark = ""
        if target is not None and r["recall"] is not None:
            mark = f"  >= {target:.0%} " + ("met" if r["recall"] >= target else "SHORT")
        lines.append(
            f"{row:<13}{pct(r['precision']):>10}{pct(r['recall']):>9}{r['tp']:>5}{r['fp']:>5}"
            f"{r['fn']:>5}{mark}"
        )
    if report["rows"].get("asserted_by", {}).get("recall") is None:
        lines.append(
            "(asserted_by: the curated facts record no asserter, so its precision is moot)"
        )
    overall = report["overall_precision"]
    ok = "met" if overall is not None and overall >= 0.8 else "SHORT"
    lines.append(f"{'overall':<13}{pct(overall):>10}  (precision of all proposals; >= 80% {ok})")
    return "\n".join(lines)
