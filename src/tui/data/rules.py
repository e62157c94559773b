"""Curation rules: checks on one article's statements that catch the fact-check's kinds of error.

Each rule reads only the statements of one facts file (and the canonical names), so an
article's file is valid or not on its own. A broken rule is one `SeedError`: file, line,
problem. The rules are documented in seed/README.md ("Validation").
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

from tui.data.seed import PRECISION_FORMS, Article
from tui.data.statements import STATUS_WORDS, Statement
from tui.errors import SeedError

# Kinds whose canonical name is a name the text prints (a meeting's or a commitment's name
# is a description the curator wrote, so no rule asks a quote to print it).
NAMED_KINDS = ("person", "organization", "place")
# Properties whose value is the date a `relative` item resolves.
DATED = ("date", "end_date", "period")
# Words a quote must print for a claim stronger than the bare link: being a part of another
# meeting or commitment, or a role beyond taking part ("met with" is no hosting).
PART_OF_WORDS = ("part of", "during")
ROLE_WORDS = {"host": ("host", "hosts", "hosted"), "organizer": ("organizer", "organized")}
_RECENTLY = re.compile(r"\brecent(ly)?\b", re.IGNORECASE)


def folded(text: str) -> str:
    """Text compared for naming: case-folded, spaces collapsed, curly apostrophes straight."""
    return " ".join(text.replace("’", "'").replace("‘", "'").casefold().split())


def _spans(text: str, words: str) -> list[tuple[int, int]]:
    """Where `words` stand in `text` as whole words (both already folded)."""
    found = []
    for match in re.finditer(re.escape(words), text):
        start, end = match.span()
        if (start > 0 and text[start - 1].isalnum()) or (end < len(text) and text[end].isalnum()):
            continue
        found.append((start, end))
    return found


def prints(quote: str, words: str) -> bool:
    """True when `quote` prints `words` as whole words (case and apostrophes aside)."""
    return bool(words.strip()) and bool(_spans(folded(quote), folded(words)))


def prints_alias(quote: str, alias: str, name: str) -> bool:
    """True when `quote` prints `alias` as a name of its own: as whole words, and not inside
    the entity's full name ("CITIC" in "CITIC Group", "Tokayev" in "Kassym-Jomart Tokayev")."""
    text, wanted, full = folded(quote), folded(alias), folded(name)
    inside = _spans(text, full) if len(full) > len(wanted) else []
    for start, end in _spans(text, wanted):
        if not any(a <= start and end <= b for a, b in inside):
            return True
    return False


class References:
    """What this article calls each entity: its canonical name, its aliases, its `called`."""

    def __init__(self, statements: list[Statement], names: dict[str, str]) -> None:
        self.names = names
        self.aliases: dict[str, list[str]] = defaultdict(list)
        self.called: dict[str, list[str]] = defaultdict(list)
        for s in statements:
            if s.prop == "alias":
                self.aliases[s.subject].append(s.value)
            elif s.prop == "called":
                self.called[s.subject].append(s.value)

    def named(self, ref: str, quote: str, *, called: bool = True) -> bool:
        """True when `quote` names `ref`: by name or alias, or (if `called`) a `called`."""
        words = [self.names[ref], *self.aliases[ref]]
        if called:
            words += self.called[ref]
        return any(prints(quote, w) for w in words)


def check_article(statements: list[Statement], article: Article, names: dict[str, str],
                  shown: str) -> None:  # fmt: skip
    """Every curation rule, over one article's statements."""
    for s, fail in problems(statements, article, names):
        raise SeedError(shown, f"{s.subject} {s.prop}: {fail}", s.line)


def problems(
    statements: list[Statement], article: Article, names: dict[str, str]
) -> list[tuple[Statement, str]]:
    """Each statement that breaks a curation rule, with the rule it breaks, judged among all
    of the article's `statements` (a `called` in one lets another's quote name its subject)."""
    refs = References(statements, names)
    place_types = {s.subject: s.value for s in statements if s.prop == "place_type"}
    precisions = {s.subject: s.value for s in statements if s.prop == "date_precision"}
    found = []
    for s in statements:
        fail = _problem(s, refs, place_types, article)
        if fail is None and s.prop == "date" and s.subject in precisions:
            fail = _precision_problem(str(s.value), precisions[s.subject])
        if fail:
            found.append((s, fail))
    return found


def check_own_sources(files: dict[str, list[Statement]]) -> None:
    """Every entity has a source of its own (a statement that is not a link, or a mention) in
    some article: a link's quote is the link's, not its subject's. `files` maps each facts
    file to its statements; the error names the first file and line of a subject with none."""
    own = {s.subject for found in files.values() for s in found if not _is_link(s)}
    for shown, found in files.items():
        for s in found:
            if s.subject not in own:
                raise SeedError(
                    shown,
                    f"{s.subject}: only links, no source of its own in any article "
                    "(add a mention: a `- quote:` that names it)",
                    s.line,
                )


def _is_link(s: Statement) -> bool:
    return s.definition is not None and s.definition.link is not None


def _precision_problem(date: str, precision: str) -> str | None:
    """A date is written in the form its precision names: a day in full, a year alone."""
    form = ("YYYY", "YYYY-MM", "YYYY-MM-DD")[date.count("-")]
    if form != PRECISION_FORMS[precision]:
        return f"{date!r} is not a {precision} ({PRECISION_FORMS[precision]})"
    return None


def _problem(
    s: Statement,
    refs: References,
    place_types: dict[str, str],
    article: Article,
) -> str | None:
    definition = s.definition
    if s.prop == "called" and not prints(s.quote, s.value):
        return f"the quote does not print {s.value!r}"
    if s.prop == "opinion" and s.asserted_by is None:
        return "an opinion needs asserted_by: the person whose opinion it is"
    if s.prop == "sector" and isinstance(s.value, str) and ";" in s.value:
        return f"one sector per value: write a list, not {s.value!r}"
    if s.prop == "status" and not any(prints(s.quote, w) for w in STATUS_WORDS[s.value]):
        words = ", ".join(repr(w) for w in STATUS_WORDS[s.value])
        return f"{s.value!r} is not what the quote says (it prints none of {words})"
    if s.prop in ("date", "end_date", "announced_at") and _RECENTLY.search(s.quote):
        return "“recently” dates nothing: leave it undated (and not at the meeting that reports it)"
    if s.prop == "part_of" and not any(prints(s.quote, w) for w in PART_OF_WORDS):
        return "the quote does not say it is part of it (“part of”, “during”)"
    if s.role is not None and s.role.casefold() in ROLE_WORDS:
        if not any(prints(s.quote, w) for w in ROLE_WORDS[s.role.casefold()]):
            return f"the quote does not say {s.role!r}: use the role the text states"
    if s.relative is not None:
        if s.prop not in (*DATED, "date_precision"):
            return f"relative is only for a date ({', '.join(DATED)}), not for {s.prop}"
        problem = _relative_problem(s, article) if s.prop in DATED else None
        if problem:
            return problem
    if definition is None or not definition.is_ref:
        return None
    target = s.value
    subject_kind, target_kind = s.kind, target.partition(":")[0]
    if target_kind in NAMED_KINDS:
        within = s.prop == "within"
        if not refs.named(target, s.quote, called=not within):
            how = "its name or an alias" if within else "its name, an alias or a `called`"
            return f"the quote does not name {target} ({how} this article gives it)"
        if subject_kind in NAMED_KINDS and not refs.named(s.subject, s.quote, called=not within):
            return f"the quote does not name {s.subject} itself, only {target}"
    if (
        s.prop in ("party", "participant")
        and place_types.get(target) == "country"
        and not refs.named(target, s.quote, called=False)
    ):
        return (
            f"{target} is a country and the quote does not name it: record an unnamed party "
            "(“Kazakh partners”) as the group the text names"
        )
    return None


def _relative_problem(s: Statement, article: Article) -> str | None:
    """A relative date resolves against the article's own date, and never past it."""
    published = str(article.meta.get("date", ""))
    value = str(s.value)
    if s.prop == "period" and not re.fullmatch(r"[0-9]{4}(-[0-9]{2}){0,2}", value):
        return f"a relative period must be a date, not {value!r}"
    if value > published and not value.startswith(published):
        return f"{value!r} is later than the article's date {published}"
    if s.relative == "first day of":
        return "“first day of” gives a start date, not an end" if s.prop == "end_date" else None
    if s.relative in ("yesterday", "today"):
        try:
            day = dt.date.fromisoformat(published)
        except ValueError:
            return f"{s.relative!r} needs an article dated to the day, not {published!r}"
        want = day - dt.timedelta(days=1) if s.relative == "yesterday" else day
        if value != want.isoformat():
            return f"{s.relative!r} in an article of {published} is {want.isoformat()}, not {value}"
    if s.relative in ("last year", "this year"):
        year = int(published[:4]) - (1 if s.relative == "last year" else 0)
        if value[:4] != str(year):
            return f"{s.relative!r} in an article of {published} is {year}, not {value}"
    return None
