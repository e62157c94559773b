"""Commitments: what was signed, agreed, planned, intended, discussed, targeted, launched or
offered (an invitation), with parties, places, amounts, capacities, quantities, counts of
documents, targets and years; the status is the verb's, never stronger."""

from __future__ import annotations

import re

from tui.data.extract.context import Context
from tui.data.extract.drafts import Draft
from tui.data.extract.numbers import Figure
from tui.data.extract.text import trim

# (pattern, status, category), most specific first; status None where the words give none.
TRIGGERS: tuple[tuple[re.Pattern[str], str | None, str], ...] = tuple(
    (re.compile(p, re.IGNORECASE), status, category)
    for p, status, category in (
        (
            r"\b(?:were|was|been|be) signed\b|\bsigned\b|\bsign(?:ing)?\b(?= (?:a|an|the|\d))",
            "signed",
            "agreement",
        ),
        (
            r"\bagreements? (?:was|were|has been|have been) reached\b|\breached an agreement\b|"
            r"\bagreed\b",
            "agreed",
            "agreement",
        ),
        (r"\binvited\b|\binvites\b", "proposed", "invitation"),
        (
            r"\bset (?:a|the) goal\b|\bgoal (?:is|of)\b|\btarget(?:s|ed)? (?:of|to)\b|\baims? to\b",
            "targeted",
            "national_target",
        ),
        (
            r"\bintention\b|\bintends?\b|\bintended\b|\binterested in\b|\bready to\b|"
            r"\breadiness to\b|"
            r"\bwilling to\b",
            "intended",
            "intention",
        ),
        (r"\bplans?\b|\bplanned\b|\bplanning\b", "planned", "project"),
        (
            r"\b(?:were|was|been) launched\b|\blaunched\b|\bstart of (?:a|the) project\b",
            "launched",
            "project",
        ),
        (r"\bambitions\b", "discussed", "intention"),
        (r"\bjoint project\b", None, "project"),
        (
            r"\baddressed (?:investment )?cooperation\b|\bdiscussed (?:with [^.,]{1,40}? )?"
            r"(?:the )?(?:development|"
            r"expansion|prospects|implementation|creation|construction|cooperation|supplies|"
            r"supply|investments?|projects?)\b",
            "discussed",
            "cooperation",
        ),
        (r"\bopportunities for\b|\bimportance of developing\b", None, "cooperation"),
        (
            r"\b(?:has|have) completed\b|\bwas completed\b|\bcommissioned\b|"
            r"\bput into operation\b",
            "completed",
            "project",
        ),
        (r"\b(?:was|were) financed by\b|\bprovided (?:a )?loans?\b", None, "agreement"),
        (r"\b(?:is|are|was|were) considering\b", "discussed", "intention"),
        (r"\bexpressed (?:its |their )?interest in\b", "intended", "intention"),
        (
            r"\b(?:is|are) (?:currently )?implementing\b|\bunder construction\b|"
            r"\bbeing (?:built|implemented)\b",
            "under_way",
            "project",
        ),
        (r"\bexpected to reach\b(?=[^.]{0,40}\bby (?:19|20)\d\d)", "targeted", "national_target"),
        (r"\bwill (?:start|begin) \w+ing\b", "planned", "project"),
        (r"\bsigning of\b", "signed", "agreement"),
        (r"\bincluding an? (?:agreement|memorandum|contract)\b", "signed", "agreement"),
        (
            r"\b(?:increase|raise|reduce|cut|double|triple)\b(?=[^.]{0,60}\bby \d[\d.,]*%"
            r"[^.]{0,20}\bby (?:19|20)\d\d)",
            "targeted",
            "intention",
        ),
        (
            r"\bwill (?:jointly )?(?:build|construct|create|launch|open|invest|develop|implement)\b"
            r"|\bwill be (?:jointly )?(?:built|constructed|created|launched|opened|developed)\b",
            "planned",
            "project",
        ),
    )
)
_ANAPHORA = re.compile(
    r"\b[Tt]he (?:Chinese |Kazakh |national |state )?(?:company|bank|corporation|financial "
    r"institution|group|firm|investor)(?:[’']s)?\b"
)
_STEP = re.compile(r"\bby ([a-z]+ing)\b.*?\band ([a-z]+ing)\b")
_SECOND_TARGET = re.compile(
    r",? and (?:to )?(?=(?:increase|raise|reduce|cut|double|achieve|"
    r"reach|bring|expand)\b)"
)
_PREPOSITION_ROLES = {
    "in": "site",
    "to": "destination",
    "from": "origin",
    "through": "transit",
    "across": "transit",
    "into": "destination",
}


_SIGNED_BY = re.compile(
    r"^(?:The|This) (?:agreement|deal|memorandum|contract|documents?|accord) (?:was|were) "
    r"signed by\b"
)
_FOLLOW_UP = re.compile(
    r"^(?:According to [^,]+, |(?:Under|In) (?:the|this) (?:deal|agreement|contract|memorandum), "
    r"[A-Z][\w-]+ will )?"
    r"(?:The|the|This|this)? ?(?:new |first |second |planned |future )?(?:project|plant|facility|"
    r"deal|agreement|"
    r"investment|smelter|refinery|factory|station|center|centre|complex|park|zone|line|hub|"
    r"route|terminal|farm|mine|contract|memorandum)s?\b"
)


_SAME_AS_BEFORE = re.compile(
    r"\b(?:in|into|for|to|of) the (?:project|plant|hub|complex|facility|park|factory|smelter|"
    r"refinery|station|terminal|line|mine|farm)\b|^(?:The|Both) (?:two )?(?:companies|partners|"
    r"sides|parties|firms) (?:also )?(?:intend|plan|will|agreed|are)\b"
)


def find(ctx: Context, meetings: list[Draft]) -> list[Draft]:
    """Every commitment the article states; one named again ("will invest $320 million in the
    project") is the one named just before, with what the new words add."""
    merged: list[Draft] = []
    for d in _find(ctx, meetings):
        previous = [p for p in merged if ctx.sentence_of(d.start) - 2 <= ctx.sentence_of(p.start)]
        same = _SAME_AS_BEFORE.search(ctx.body[d.start : d.end])
        if same and previous and ctx.sentence_of(previous[-1].start) < ctx.sentence_of(d.start):
            previous[-1].absorb(d)
            continue
        merged.append(d)
    return merged


def _find(ctx: Context, meetings: list[Draft]) -> list[Draft]:
    found: list[Draft] = []
    for i, s in enumerate(ctx.sentences):
        if _SIGNED_BY.match(s.text) and found:
            _signatories(ctx, i, found)
            continue
        if _FOLLOW_UP.match(s.text) and not any(p.search(s.text) for p, _, _ in TRIGGERS[:8]):
            _follow_up(ctx, i, found)
            continue
        hits = []
        for pattern, status, category in TRIGGERS:
            for m in pattern.finditer(s.text):
                hits.append((s.start + m.start(), s.start + m.end(), status, category))
        hits.sort()
        chosen: list[tuple[int, int, str | None, str]] = []
        hits = [
            h for h in hits
            if not re.search(r"^(?:Under|In line with|Within|As part of) (?:an?|the) \w+ $",
                             ctx.body[s.start : h[0]])
        ]  # fmt: skip
        for hit in hits:
            prev = chosen[-1] if chosen else None
            if prev and hit[2] is None and ";" not in ctx.body[prev[1] : hit[0]]:
                continue  # "plans ... to carry out a joint project": one commitment
            separate = ctx.body[hit[0] : hit[1]].startswith("including")
            if (
                prev
                and not separate
                and hit[0] - prev[1] < 45
                and not _new_clause(ctx, prev[1], hit[0])
            ):
                if prev[2] in (None, "discussed") or hit[2] == prev[2]:
                    chosen[-1] = (prev[0], hit[1], hit[2] or prev[2], hit[3])
                continue
            chosen.append(hit)
        for k, (start, end, status, category) in enumerate(chosen):
            stop = chosen[k + 1][0] if k + 1 < len(chosen) else s.end
            pieces = _pieces(ctx, i, start, end, stop)
            for n, (a, b) in enumerate(pieces):
                d = _draft(ctx, i, a, b, start, end, status, category, meetings)
                if n:  # "... by expanding X and increasing Y": the same subject commits to both
                    first = found[-n]
                    if "status" in d.fields:  # the verb that gives the status is in the first
                        d.field_spans["status"] = (first.start, d.end)
                    for link in first.links:
                        if link.prop == "party" and link.role == "party":
                            d.link("party", link.entity, "party")
                found.append(d)
    return found


def _new_clause(ctx: Context, a: int, b: int) -> bool:
    return bool(re.search(r"\band\b|;", ctx.body[a:b]))


def _pieces(ctx: Context, i: int, start: int, end: int, stop: int) -> list[tuple[int, int]]:
    """The commitment's span, cut in two where one sentence states two of them ("by expanding
    X and increasing Y"; "a goal to achieve X by 2060, and increase Y by 2030")."""
    body = ctx.body
    s = ctx.sentences[i]
    left = start if body.startswith("including", start) else _left_edge(ctx, i, start)
    step = _STEP.search(body, end, stop)
    if step:
        return [(left, step.start(2) - 5), (step.start(2), _right(body, stop))]
    second = _SECOND_TARGET.search(body, end, stop)
    years = [f for f in ctx.figures[i] if f.what == "year" and end <= f.start < stop]
    if second and len(years) >= 2:
        return [(left, second.start()), (second.end(), _right(body, stop))]
    again = re.compile(r",? and to (?=[a-z]+ )").search(body, end, stop)
    infinitive = body[start:end].endswith(" to") or re.match(r"\s*to [a-z]+ ", body[end : end + 30])
    if again and infinitive:
        # "is willing to import X and to work with Y to build Z": two commitments
        return [(left, again.start()), (again.end(), _right(body, stop))]
    del s
    return [(left, _right(body, stop))]


def _left_edge(ctx: Context, i: int, start: int) -> int:
    """The commitment's span starts at its clause: after "According to X," or a leading
    "During ...," phrase."""
    s = ctx.sentences[i]
    body = ctx.body
    that = re.search(
        r".*\b(?:said|noted|stated|stressed|announced|added) that ", body[s.start : start]
    )
    if that:
        return s.start + that.end()
    comma = body.rfind(", ", s.start, start)
    if comma >= 0 and re.match(
        r"(?:According to|During|Along with|In this context|Recently|Under|In line with|Within"
        r"|As part of)",
        body[s.start : comma],
    ):
        return comma + 2
    return s.start


def _right(body: str, stop: int) -> int:
    """The end of a span, without a dangling "and" before the next commitment."""
    text = body[:stop].rstrip()
    for tail in (" and", ","):
        if text.endswith(tail):
            text = text[: -len(tail)].rstrip()
    return len(text)


def _figures_in(ctx: Context, i: int, a: int, b: int) -> list[Figure]:
    return [f for f in ctx.figures[i] if a <= f.start and f.end <= b]


def _draft(
    ctx: Context,
    i: int,
    a: int,
    b: int,
    t_start: int,
    t_end: int,
    status: str | None,
    category: str,
    meetings: list[Draft],
) -> Draft:
    body = ctx.body
    span = trim(body, a, b)
    if span.text.endswith("."):
        span = trim(body, span.start, span.end - 1)
        span = type(span)(span.start, span.end + 1, body[span.start : span.end + 1])
    obj = trim(body, max(t_end, span.start), span.end).text
    name = _name(obj, body[t_start:t_end])
    d = Draft("commitment", name, span.start, span.end, why=f"verb: {body[t_start:t_end]}")
    if category == "project" and re.search(r"\bsupply\b", obj) and status == "agreed":
        category = "supply_agreement"
    if status == "agreed" and re.search(r"\bsupply\b", obj):
        category = "supply_agreement"
    d.fields["category"] = category
    if status:
        d.fields["status"] = status
    _fill_figures(d, _figures_in(ctx, i, span.start, span.end))
    _parties(ctx, i, d, span.start, t_start, span.end)
    meeting = _meeting_for(ctx, i, meetings)
    if meeting is not None:
        from tui.data.extract.drafts import Link

        d.links.append(Link("announced_at", None, None, draft=meeting))
    speaker = ctx.speakers.get(i)
    if speaker is not None:
        d.asserted_by = speaker
    return d


# Words a name cut at its ninth word must not end on.
_LOOSE_ENDS = {
    "a", "an", "the", "of", "for", "with", "to", "in", "on", "at", "by", "and", "or", "from",
    "worth", "total", "its", "their", "his", "her", "over", "about", "into", "across", "next",
    "capacity", "than", "as",
}  # fmt: skip


def _name(obj: str, trigger: str) -> str:
    """A short name from the words after the verb, up to a comma or a dash (what follows is
    mostly who said so: ", the press service reported")."""
    clause = re.split(r",\s|\s[–—]\s", obj, maxsplit=1)[0]
    obj = clause if len(clause.split()) >= 2 else obj
    words = re.sub(r"^(?:to |of |on |the |a |an |in |about |by )+", "", obj).split()
    kept = words[:9]
    while len(kept) > 2 and kept[-1].lower().strip(",.;") in _LOOSE_ENDS:
        kept.pop()  # "... for the construction of a" -> "... for the construction"
    text = " ".join(kept).rstrip(",.;")
    if len(words) < 3:
        text = f"{trigger} {text}".strip()
    return text[:1].upper() + text[1:]


def _fill_figures(d: Draft, figs: list[Figure]) -> None:
    for f in figs:
        if f.what == "money" and "amount" not in d.fields:
            d.fields["amount"] = f.value
            d.fields["currency"] = f.unit
            if f.qualifier:
                d.fields["amount_qualifier"] = f.qualifier
        elif f.what == "count" and "document_count" not in d.fields:
            d.fields["document_count"] = f.value
        elif f.what == "capacity" and "capacity" not in d.fields:
            d.fields["capacity"] = f.value
            d.fields["capacity_unit"] = f.unit
            if f.qualifier:
                d.fields["capacity_qualifier"] = f.qualifier
        elif f.what == "quantity" and "quantity" not in d.fields:
            d.fields["quantity"] = f.value
            d.fields["quantity_unit"] = f.unit
        elif f.what == "percent" and "target_value" not in d.fields:
            d.fields["target_value"] = f.value
            d.fields["target_unit"] = "percent"
        elif f.what == "year" and f.word == "by" and "date" not in d.fields:
            d.fields["date"] = str(f.value)
            d.fields["date_precision"] = "target_year"


def _parties(ctx: Context, i: int, d: Draft, start: int, trigger: int, end: int) -> None:
    """Who commits: the subject before the verb (a person's organization where the article
    gives one), an organization named by "the company" (the last one named before), the
    organizations after the verb; the places after it, with the role their preposition says."""
    body = ctx.body
    speaker = ctx.speakers.get(i)
    s = ctx.sentences[i]
    in_positions = [(p.start, p.end) for p in ctx.positions if p.sentence == i]
    acting = d.fields.get("status") in ("signed", "agreed", "proposed", "planned", "targeted")
    for m in ctx.names.in_sentence(i):
        if m.entity is None or not (s.start <= m.start < end):
            continue
        if ctx.entity_kind(m) == "place" and any(a <= m.start < b for a, b in in_positions):
            continue  # "President of China": a title's country, not a party
        if re.match(r"[A-Z’' -]+ [–—-] ", body[s.start : m.end + 3]) and m.start == s.start:
            continue  # the dateline ("AKTAU – ..."), not a party
        kind = ctx.entity_kind(m)
        before = m.end <= trigger
        if before and m.start < start:
            continue  # in "According to X," or a leading phrase
        if kind == "person":
            if not before or (m.entity == speaker and m.start < start):
                continue
            if re.search(r"\bbriefed\b", body[m.end : trigger]) or re.search(
                r"\bbriefed (?:the )?$", body[s.start : m.start]
            ):
                continue  # told about it, not a party to it
            org = ctx.org_of(m.entity)
            if org is None and not acting:
                continue  # "Tokayev praised the start of a project": not a party to it
            d.link("party", org if org is not None else m.entity, "party")
        elif kind == "organization":
            d.link("party", m.entity, "party" if before else "partner")
            if ctx.names.entities[m.entity].type == "facility":
                for inner in ctx.names.in_sentence(i):
                    inside = m.start <= inner.start and inner.end <= m.end and inner is not m
                    if inside and inner.entity is not None and ctx.entity_kind(inner) == "place":
                        d.link("place", inner.entity, "site")
        elif kind == "place":
            prep = re.search(
                r"(\w+)\s+(?:the\s+)?(?:territory of\s+)?$",
                body[max(s.start, m.start - 25) : m.start],
            )
            role = _PREPOSITION_ROLES.get(prep.group(1).lower()) if prep else None
            if before and m.start >= start:
                if role is None and not body[m.end : m.end + 2].startswith(("’s", "'s")):
                    d.link("party", m.entity, "party")  # "Kazakhstan has set a goal"
                continue
            if role:
                d.link("place", m.entity, role)
    for hit in _ANAPHORA.finditer(body, start, end):
        org = _last_org(ctx, i, hit.start())
        if org is not None:
            d.link("party", org, "party")
            words_end = hit.end() - (2 if hit.group().endswith(("’s", "'s")) else 0)
            ctx.called.append((org, hit.start(), words_end))


def _last_org(ctx: Context, i: int, at: int) -> int | None:
    best = None
    for m in ctx.names.mentions:
        if m.start >= at or m.sentence < i - 2 or m.entity is None:
            continue
        entity = ctx.names.entities[m.entity]
        if entity.kind == "organization" and entity.type != "facility":
            best = m.entity
        elif entity.kind == "person":
            org = ctx.org_of(m.entity)
            if org is not None and m.sentence == i:
                best = org
    return best


def _meeting_for(ctx: Context, i: int, meetings: list[Draft]) -> Draft | None:
    """The bilateral meeting of this sentence or of the two before it."""
    best = None
    for d in meetings:
        if d.why != "meeting verb":
            continue
        j = ctx.sentence_of(d.start)
        if i - 2 <= j <= i and (best is None or j >= ctx.sentence_of(best.start)):
            best = d
    return best


def _follow_up(ctx: Context, i: int, found: list[Draft]) -> None:
    """ "The project is worth about $600 million", "The plant will produce 1.25 million tons":
    figures for the commitment just named, each quoted by this sentence."""
    previous = [d for d in found if i - 2 <= ctx.sentence_of(d.start) < i]
    if not previous:
        return
    d = previous[-1]
    s = ctx.sentences[i]
    before = set(d.fields)
    _fill_figures(d, ctx.figures[i])
    span = trim(ctx.body, _left_edge(ctx, i, s.start + 1), s.end)
    if re.search(r"\b(?:implemented|carried out|built|developed|financed|operated) by\b", s.text):
        for m in ctx.names.in_sentence(i):  # "The project will be implemented by X with Y"
            if m.entity is not None and ctx.entity_kind(m) == "organization":
                d.link("party", m.entity, "party", (span.start, span.end))
    for prop in set(d.fields) - before:
        d.field_spans[prop] = (span.start, span.end)
        if ctx.speakers.get(i) is not None:
            d.field_asserted[prop] = ctx.speakers[i]
    if set(d.fields) - before:
        d.mentions.append((span.start, span.end))


def _signatories(ctx: Context, i: int, found: list[Draft]) -> None:
    """ "The agreement was signed by X and Y": X and Y sign the commitment just named."""
    previous = [d for d in found if i - 2 <= ctx.sentence_of(d.start) < i]
    if not previous:
        return
    d = previous[-1]
    s = ctx.sentences[i]
    span = trim(ctx.body, s.start, s.end)
    for m in ctx.names.in_sentence(i):
        if m.entity is not None and ctx.entity_kind(m) in ("person", "organization"):
            d.link("party", m.entity, "signatory", (span.start, span.end))
    d.mentions.append((span.start, span.end))
