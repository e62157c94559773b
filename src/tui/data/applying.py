"""Writing an article's accepted proposals as statements.

`apply` turns the accepted proposals of a `Review` into statements in the article's facts
file, and their new entities into entries of entities.yaml, validated as `roundtable build`
validates them, and updates the database incrementally; on any error no file changes.
Accepting a statement accepts the pending proposals it names; a proposal whose statements
break a corpus rule is left accepted, with the rule it breaks.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tui.atomic import replacing
from tui.data.corpus import ENTITIES_FILE, FACTS_DIR, load_facts, load_names
from tui.data.extract.proposals import Proposal, names_of
from tui.data.factsfile import render
from tui.data.review import Review, Updater, save
from tui.data.rules import prints, problems
from tui.data.seed import Article
from tui.data.statements import Statement
from tui.data.sync import Synced, sync


@dataclass
class Applied:
    """What `apply` wrote."""

    proposals: list[str]  # ids applied
    statements: int
    entities: list[str]  # refs new to entities.yaml
    skipped: dict[str, str]  # id -> why it could not be applied (it stays accepted)
    synced: Synced | None = None


def _with_what_they_name(review: Review, accepted: list[Proposal]) -> list[Proposal]:
    """The accepted proposals, with every pending proposal they name, and what those name in
    turn (a commitment's parties, the meeting it was announced at, a position's organization):
    accepting a statement accepts its ends. A link to a rejected proposal's entity is left out
    when the statements are made."""
    by_ref = {p.ref: p for p in review.proposals if p.kind != "position"}
    chosen = {p.id: p for p in accepted}
    todo = list(accepted)
    while todo:
        p = todo.pop()
        ends = [link["ref"] for link in p.links] + ([p.ref] if p.kind == "position" else [])
        ends += [p.asserted_by] if p.asserted_by else []
        ends += list(p.field_asserted_by.values())
        for ref in ends:
            end = by_ref.get(ref)
            waiting = end is not None and review.status.get(end.id, "pending") == "pending"
            if end is not None and waiting and end.id not in chosen:
                chosen[end.id] = end
                review.status[end.id] = "accepted"
                todo.append(end)
    return list(chosen.values())


def _without_rejected_ends(review: Review, proposals: list[Proposal]) -> list[Proposal]:
    """Copies whose links (and asserted_by) name no entity the analyst rejected."""
    rejected = {
        p.ref
        for p in review.proposals
        if p.kind != "position" and review.status.get(p.id) == "rejected"
    }
    out = []
    for p in proposals:
        copy = Proposal.from_dict(p.as_dict())
        copy.links = [link for link in copy.links if link["ref"] not in rejected]
        if copy.asserted_by in rejected:
            copy.asserted_by = None
        copy.field_asserted_by = {
            k: v for k, v in copy.field_asserted_by.items() if v not in rejected
        }
        out.append(copy)
    return out


def entities_text(current: str, new: dict[str, str]) -> str:
    """entities.yaml with `new` ({ref: name}) added under their kinds, the rest untouched."""
    lines = current.splitlines()
    if lines and lines[-1].strip() == "{}":
        lines = lines[:-1]  # an empty corpus's file: `{}` until it names anything
    by_kind: dict[str, list[str]] = {}
    for ref, name in new.items():
        kind, _, key = ref.partition(":")
        by_kind.setdefault(kind, []).append(f"  {key}: {json.dumps(name, ensure_ascii=False)}")
    for kind, entries in by_kind.items():
        header = next((i for i, line in enumerate(lines) if line == f"{kind}:"), None)
        if header is None:
            lines += [f"{kind}:", *entries]
            continue
        end = header + 1
        while end < len(lines) and (lines[end].startswith((" ", "\t", "#")) or not lines[end]):
            end += 1
        while end > header + 1 and not lines[end - 1].strip():
            end -= 1
        lines[end:end] = entries
    return "\n".join(lines) + "\n"


def _statements_for(
    review: Review,
    proposals: list[Proposal],
    names: dict[str, str],
    meta: dict[str, Any],
    held: list[Statement],
) -> tuple[list[Statement], dict[str, str]]:
    """The statements the proposals make, without those of a proposal any of whose statements
    breaks a corpus rule (judged beside `held`, the article's statements so far); those
    proposals, with the first rule each breaks."""
    from tui.data.extract.proposals import to_statements

    article = Article(review.article_id, meta["file"], review.body, "", meta)
    made = {p.id: to_statements([p], review.article_id, review.body) for p in proposals}
    together = to_statements(proposals, review.article_id, review.body)
    owner: dict[int, str] = {}
    for n, s in enumerate(together):
        for p in proposals:
            if s.subject == p.ref and _same(s, made[p.id]):
                owner[n] = p.id
                break
    skipped: dict[str, str] = {}
    proposal_of = {id(s): owner.get(n) for n, s in enumerate(together)}
    while True:
        kept = [s for s in together if proposal_of[id(s)] not in skipped]
        broken = [
            (proposal_of[id(s)], why)
            for s, why in problems([*held, *kept], article, names)
            if id(s) in proposal_of
        ]
        if not broken:
            return kept, skipped
        for pid, why in broken:
            skipped.setdefault(pid or "?", why)
        if "?" in skipped:  # a statement no proposal owns breaks a rule: none can be kept
            return [], {p.id: skipped["?"] for p in proposals}


def _same(s: Statement, own: list[Statement]) -> bool:
    """`s` (made from all proposals at once, its quote maybe widened to name a link's end) is
    one of the statements `own` (made from its proposal alone) holds."""
    return any(o.prop == s.prop and o.value == s.value and o.role == s.role for o in own)


def _place_of(meta: dict[str, Any], proposals: list[Proposal], facts: list[Statement]) -> None:
    """The article's place: the accepted place its dateline names."""
    dateline = meta.get("dateline")
    if meta.get("place") or not dateline:
        return
    stated = {s.subject for s in facts}
    for p in proposals:
        if p.kind == "place" and p.ref in stated and prints(dateline, p.name):
            meta["place"] = p.ref.partition(":")[2]
            return


def apply(review: Review, db_path: Path, *, update: Updater | None = None) -> Applied:
    """Write the accepted proposals (see the module's docstring) and mark them applied."""
    corpus = review.corpus
    accepted = [p for p in review.proposals if review.status.get(p.id) == "accepted"]
    if not accepted:
        return Applied([], 0, [], {})
    accepted = _with_what_they_name(review, accepted)
    names = load_names(corpus)
    facts_file = corpus / FACTS_DIR / f"{review.article_id}.yaml"
    current = load_facts(corpus, facts_file, names)
    chosen = _without_rejected_ends(review, accepted)
    new_names = {r: n for r, n in names_of(chosen).items() if r not in names}
    statements, skipped = _statements_for(
        review, chosen, {**names, **new_names}, current.article.meta, current.statements
    )
    held = {(s.subject, s.prop, repr(s.value), s.role, s.start, s.end) for s in current.statements}
    added = [
        s
        for s in statements
        if (s.subject, s.prop, repr(s.value), s.role, s.start, s.end) not in held
    ]
    subjects = {s.subject for s in [*current.statements, *added]}
    new_names = {r: n for r, n in new_names.items() if r in subjects}
    meta = dict(current.article.meta)
    _place_of(meta, chosen, [*current.statements, *added])
    article = Article(review.article_id, meta["file"], review.body, "", meta)
    entities_file = corpus / ENTITIES_FILE
    old_entities = entities_file.read_text(encoding="utf-8")
    old_facts = facts_file.read_text(encoding="utf-8")
    text = render(article, [*current.statements, *added])
    try:
        with replacing(entities_file) as temp:
            temp.write_text(entities_text(old_entities, new_names), encoding="utf-8")
        with replacing(facts_file) as temp:
            temp.write_text(text, encoding="utf-8")
        synced = update() if update else sync(corpus, db_path)
    except BaseException:
        _restore(entities_file, old_entities)
        _restore(facts_file, old_facts)
        raise
    done = [p.id for p in accepted if p.id not in skipped]
    for proposal_id in done:
        review.status[proposal_id] = "applied"
        review.notes.pop(proposal_id, None)
    review.notes.update(skipped)
    save(review)
    return Applied(done, len(added), sorted(new_names), skipped, synced)


def _restore(path: Path, text: str) -> None:
    with contextlib.suppress(OSError), replacing(path) as temp:
        temp.write_text(text, encoding="utf-8")
