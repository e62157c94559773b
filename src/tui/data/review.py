"""Adding an article to a corpus, and reviewing what Roundtable proposes it says.

`add_article` stores an article in a corpus (its text in `articles/`, the original beside it
when the text was converted, an empty facts file that makes it part of the corpus) and writes
its proposals, resolved against what the corpus's database knows, to
`proposals/ARTICLE.json`; the database is brought up to date, so the article shows at once.

A `Review` is one article's proposals with the analyst's decisions (`status`: pending,
accepted, rejected, applied) and edits. `save` writes it whole after each decision, so a
session that drops loses nothing. `apply` turns the accepted proposals into statements in the
article's facts file, and their new entities into entries of entities.yaml, validated as
`roundtable build` validates them, and updates the database incrementally; on any error no file
changes.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui.atomic import replacing
from tui.data.corpus import (
    ARTICLES_DIR,
    ENTITIES_FILE,
    FACTS_DIR,
    facts_paths,
    load_facts,
    load_names,
)
from tui.data.extract.proposals import Proposal, names_of, propose, slug
from tui.data.extract.resolve import Index
from tui.data.factsfile import render
from tui.data.intake import NEAR_DUPLICATE, Intake, normalised, read_article, similarity
from tui.data.rules import prints, problems
from tui.data.seed import Article
from tui.data.seedfiles import Limits, read_bytes
from tui.data.statements import Statement
from tui.data.sync import Synced, sync
from tui.errors import SeedError, UserError

PROPOSALS_DIR = "proposals"
FORMAT = 1  # of a proposals file
STATUSES = ("pending", "accepted", "rejected", "applied")
MAX_PROPOSALS_BYTES = 16 * 1024 * 1024
_ORIGINAL_SUFFIX = {"html": ".html", "markdown": ".md", "text": ".orig.txt"}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


# -- the proposals file -----------------------------------------------------------------------


@dataclass
class Review:
    """One article's proposals, as proposed and then edited, with the analyst's decisions."""

    corpus: Path
    article_id: str
    title: str | None
    body: str  # the article's text: every span indexes into it
    proposals: list[Proposal]
    status: dict[str, str] = field(default_factory=dict)  # proposal id -> one of STATUSES
    notes: dict[str, str] = field(default_factory=dict)  # proposal id -> why it was not applied

    @property
    def ref(self) -> str:
        return f"article:{self.article_id}"

    def counts(self) -> dict[str, int]:
        found = dict.fromkeys(STATUSES, 0)
        for p in self.proposals:
            found[self.status.get(p.id, "pending")] += 1
        return found

    def by_id(self, proposal_id: str) -> Proposal:
        for p in self.proposals:
            if p.id == proposal_id:
                return p
        raise UserError(f"{self.ref}: no proposal {proposal_id!r} (ids: {_ids(self.proposals)})")


def _ids(proposals: list[Proposal]) -> str:
    ids = [p.id for p in proposals]
    return ", ".join(ids[:12]) + (", …" if len(ids) > 12 else "") if ids else "none"


def proposals_path(corpus: Path, article_id: str) -> Path:
    return Path(corpus) / PROPOSALS_DIR / f"{article_id}.json"


def _as_json(review: Review) -> str:
    data = {
        "format": FORMAT,
        "article": review.ref,
        "title": review.title,
        "proposals": [
            {**p.as_dict(), "status": review.status.get(p.id, "pending")}
            | ({"note": review.notes[p.id]} if p.id in review.notes else {})
            for p in review.proposals
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def save(review: Review) -> None:
    """Write the review's proposals file whole, atomically (see the module's docstring)."""
    path = proposals_path(review.corpus, review.article_id)
    path.parent.mkdir(exist_ok=True)
    text = _as_json(review)
    with replacing(path) as temp:
        temp.write_text(text, encoding="utf-8")


def _read_json(path: Path, shown: str) -> dict[str, Any]:
    data = read_bytes(path, shown, Limits(max_bytes=MAX_PROPOSALS_BYTES))
    try:
        loaded = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise SeedError(shown, f"not a proposals file ({type(exc).__name__})") from None
    if not isinstance(loaded, dict) or not isinstance(loaded.get("proposals"), list):
        raise SeedError(shown, "not a proposals file (expected an object with `proposals`)")
    return loaded


def open_review(corpus: Path, article_id: str) -> Review:
    """The review of `article_id` (an id or `article:ID`). `UserError` if it has none."""
    corpus = Path(corpus)
    article_id = article_id.removeprefix("article:")
    path = proposals_path(corpus, article_id)
    shown = f"{PROPOSALS_DIR}/{article_id}.json"
    if not slug_ok(article_id) or not path.is_file():
        pending = ", ".join(a for a, _, _ in pending_articles(corpus)) or "none"
        raise UserError(
            f"article:{article_id}: no proposals to review in {corpus} (articles with "
            f"proposals: {pending})"
        )
    data = _read_json(path, shown)
    proposals: list[Proposal] = []
    status: dict[str, str] = {}
    notes: dict[str, str] = {}
    for n, item in enumerate(data["proposals"], start=1):
        try:
            p = Proposal.from_dict(item)
        except (KeyError, TypeError, ValueError, AttributeError):
            raise SeedError(shown, f"proposal {n} is malformed") from None
        proposals.append(p)
        found = item.get("status", "pending")
        status[p.id] = found if found in STATUSES else "pending"
        if isinstance(item.get("note"), str):
            notes[p.id] = item["note"]
    body = _article_body(corpus, article_id)
    for p in proposals:
        if not (0 <= p.start <= p.end <= len(body)) or body[p.start : p.end] != p.quote:
            raise SeedError(shown, f"{p.id}: its quote is not the article's text at its span")
    title = data.get("title") if isinstance(data.get("title"), str) else None
    return Review(corpus, article_id, title, body, proposals, status, notes)


def slug_ok(text: str) -> bool:
    return bool(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", text))


def _article_body(corpus: Path, article_id: str) -> str:
    from tui.data.seed import normalise_line_ends
    from tui.data.seedfiles import decode_text

    meta = _facts_meta(corpus, article_id)
    data = read_bytes(Path(corpus) / meta["file"], meta["file"])
    return normalise_line_ends(decode_text(data, meta["file"]))


def _facts_meta(corpus: Path, article_id: str) -> dict[str, Any]:
    """The `article:` block of a facts file, read without validating the statements."""
    from tui.data.seedfiles import read_yaml

    shown = f"{FACTS_DIR}/{article_id}.yaml"
    data = read_yaml(Path(corpus) / FACTS_DIR / f"{article_id}.yaml", shown)
    meta = data.get("article") if isinstance(data, dict) else None
    if not isinstance(meta, dict) or not isinstance(meta.get("file"), str):
        raise SeedError(shown, "expected an `article:` mapping naming its `file`")
    return meta


def pending_articles(corpus: Path) -> list[tuple[str, str | None, dict[str, int]]]:
    """Every article with proposals still pending or accepted but not applied: (id, title,
    counts by status), by id."""
    folder = Path(corpus) / PROPOSALS_DIR
    found = []
    if not folder.is_dir():
        return []
    for path in sorted(folder.glob("*.json")):
        try:
            review = open_review(corpus, path.stem)
        except UserError:
            continue  # (an article removed since, or a file not ours)
        counts = review.counts()
        if counts["pending"] or counts["accepted"]:
            found.append((review.article_id, review.title, counts))
    return found


def decide(review: Review, accept: Iterable[str] = (), reject: Iterable[str] = ()) -> None:
    """Mark proposals accepted or rejected (by id, or `all`); an applied one stays applied."""
    for ids, status in ((accept, "accepted"), (reject, "rejected")):
        for proposal_id in ids:
            chosen = review.proposals if proposal_id == "all" else [review.by_id(proposal_id)]
            for p in chosen:
                if review.status.get(p.id) != "applied":
                    review.status[p.id] = status
                    review.notes.pop(p.id, None)


# -- adding an article ------------------------------------------------------------------------


@dataclass
class Added:
    """What `add_article` did."""

    review: Review
    file: str  # the article's text, relative to the corpus
    meta: dict[str, Any]
    original: str | None  # the file as received, when the text was converted
    near_duplicate: tuple[str, float] | None  # (article ref, share of text in common)
    notes: list[str] = field(default_factory=list)
    synced: Synced | None = None


def _new_id(corpus: Path, base: str) -> str:
    base = slug(base)[:60].strip("-") or "article"
    taken = {p.stem for p in facts_paths(corpus)}
    candidate, n = base, 2
    while (
        candidate in taken
        or (Path(corpus) / ARTICLES_DIR / f"{candidate}.txt").exists()
        or proposals_path(corpus, candidate).exists()
    ):
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _similar_articles(conn: sqlite3.Connection, text: str) -> list[tuple[str, str]]:
    """Articles that may hold the same text: those sharing one of a few of its three-word
    phrases (a bounded full-text query, not a scan of every article)."""
    words = re.findall(r"\w+", text)
    if len(words) < 3:
        return []
    step = max(1, (len(words) - 3) // 8)
    phrases = {" ".join(words[i : i + 3]) for i in range(0, len(words) - 2, step)}
    query = " OR ".join(f'body : "{p}"' for p in sorted(phrases)[:16])
    refs = [
        ref
        for (ref,) in conn.execute(
            "SELECT d.ref FROM search_fts JOIN search_docs AS d ON d.rowid = search_fts.rowid "
            "WHERE search_fts MATCH ? LIMIT 50",
            (f'kind : "article" AND ({query})',),
        )
    ]
    if not refs:
        return []
    marks = ",".join("?" * len(refs))
    return conn.execute(
        f"SELECT ref, body FROM articles WHERE ref IN ({marks})",  # noqa: S608 - marks only
        refs,
    ).fetchall()


def _check_new(conn: sqlite3.Connection | None, intake: Intake) -> tuple[str, float] | None:
    """Refuse the same text twice; report the closest near-duplicate."""
    if conn is None:
        return None
    best: tuple[str, float] | None = None
    mine = normalised(intake.text)
    for ref, body in _similar_articles(conn, intake.text):
        if normalised(body) == mine:
            raise UserError(f"the same text is already in the corpus, as {ref}")
        share = similarity(intake.text, body)
        if share >= NEAR_DUPLICATE and (best is None or share > best[1]):
            best = (ref, share)
    return best


def _reading(db_path: Path | None) -> sqlite3.Connection | None:
    if db_path is None or not Path(db_path).is_file():
        return None
    from tui.data.db import open_readonly

    return open_readonly(Path(db_path))


def _meta_for(intake: Intake, title: str | None, date: str | None, notes: list[str]) -> dict:
    """The article's metadata: what its text states, else what the options give."""
    if date is not None and not _DATE.fullmatch(date):
        raise UserError(f"--date {date!r}: expected YYYY-MM-DD")
    stated = intake.date
    if stated and date and stated != date:
        notes.append(f"the text is dated {stated}; --date {date} was not used")
    chosen = stated or date
    if chosen is None:
        raise UserError("the article states no date: give it with --date YYYY-MM-DD")
    try:
        datetime.date.fromisoformat(chosen)
    except ValueError:
        raise UserError(f"date {chosen!r} is not a calendar date") from None
    meta: dict[str, Any] = {"title": intake.title or title, "date": chosen}
    if intake.title and title and intake.title != title:
        notes.append(f"the text is titled {intake.title!r}; --title was not used")
    meta["date_precision"] = "day"
    if intake.dateline:
        meta["dateline"] = intake.dateline
    return {k: v for k, v in meta.items() if v is not None}


@contextlib.contextmanager
def _undo_on_error(written: list[Path]) -> Iterator[None]:
    """Remove the files in `written` (as it stands when an error comes) and re-raise."""
    try:
        yield
    except BaseException:
        for path in reversed(written):
            with contextlib.suppress(OSError):
                path.unlink()
        raise


def _write_new(path: Path, data: bytes, written: list[Path]) -> None:
    if path.exists():
        raise UserError(f"{path}: already exists")
    with replacing(path) as temp:
        temp.write_bytes(data)
    written.append(path)


@dataclass
class Incoming:
    """An article read and dated, not yet added: what `add_article` takes."""

    source: Path
    intake: Intake
    meta: dict[str, Any]  # title, date, date_precision, dateline
    notes: list[str]


def read_incoming(
    source: Path, *, title: str | None = None, date: str | None = None, shown: str | None = None
) -> Incoming:
    """Read the article at `source` and date it. Raises `UserError` for a file that cannot be
    an article, or an article without a date."""
    intake = read_article(Path(source), shown)
    notes: list[str] = []
    return Incoming(Path(source), intake, _meta_for(intake, title, date, notes), notes)


# Brings the database up to date once the corpus files are written: by default `sync` (the
# benchmark, whose database was not built from facts files, applies the one article itself).
Updater = Callable[[], "Synced | None"]


def add_article(
    corpus: Path, incoming: Incoming, *, db_path: Path, update: Updater | None = None
) -> Added:
    """Add the article read into `corpus` with its proposals (see the module doc). Raises
    `UserError` (and writes nothing) for the same text twice."""
    corpus = Path(corpus)
    intake, notes = incoming.intake, list(incoming.notes)
    conn = _reading(db_path)
    try:
        near = _check_new(conn, intake)
        index = _index(conn)
        article_id = _new_id(corpus, incoming.meta.get("title") or incoming.source.stem)
        meta = {"id": article_id, "file": f"{ARTICLES_DIR}/{article_id}.txt", **incoming.meta}
        proposals = propose(intake.text, index, meta)
    finally:
        if conn is not None:
            conn.close()
    review = Review(corpus, article_id, meta.get("title"), intake.text, proposals)
    review.status = {p.id: "pending" for p in proposals}
    original = None
    if intake.original is not None:
        original = f"{ARTICLES_DIR}/{article_id}{_ORIGINAL_SUFFIX.get(intake.form, '.orig')}"
    article = Article(article_id, meta["file"], intake.text, "", meta)
    written: list[Path] = []
    with _undo_on_error(written):
        (corpus / ARTICLES_DIR).mkdir(exist_ok=True)
        (corpus / FACTS_DIR).mkdir(exist_ok=True)
        (corpus / PROPOSALS_DIR).mkdir(exist_ok=True)
        _write_new(corpus / meta["file"], intake.text.encode("utf-8"), written)
        if original is not None and intake.original is not None:
            _write_new(corpus / original, intake.original, written)
        _write_new(proposals_path(corpus, article_id), _as_json(review).encode(), written)
        facts = corpus / FACTS_DIR / f"{article_id}.yaml"
        _write_new(facts, render(article, []).encode("utf-8"), written)
        synced = update() if update else sync(corpus, db_path)
    if intake.form != "text" or intake.encoding != "utf-8":
        notes.append(f"read as {intake.form} ({intake.encoding}); the original is {original}")
    return Added(review, meta["file"], meta, original, near, notes, synced)


def _index(conn: sqlite3.Connection | None) -> Index:
    if conn is None:
        return Index()
    from tui.data.known import database_index

    return database_index(conn)


# -- applying the accepted proposals ----------------------------------------------------------


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


def _entities_text(current: str, new: dict[str, str]) -> str:
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
            temp.write_text(_entities_text(old_entities, new_names), encoding="utf-8")
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


def database_for(corpus: Path) -> Path:
    """The database a corpus's review updates, unless the caller names another."""
    from tui import paths

    return paths.corpus_database(corpus)
