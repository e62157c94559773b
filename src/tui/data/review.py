"""The proposals file of an article: what Roundtable proposes the article says, with the
analyst's decisions and edits.

A `Review` is one article's proposals with the analyst's decisions (`status`: pending,
accepted, rejected, applied) and edits, kept in `proposals/ARTICLE.json` beside the corpus's
facts. `save` writes it whole after each decision, so a session that drops loses nothing.
Adding an article and its proposals is `tui.data.adding`; writing the accepted ones as
statements is `tui.data.applying`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui.atomic import replacing
from tui.data.corpus import FACTS_DIR, article_text
from tui.data.extract.proposals import Proposal
from tui.data.seed import SLUG
from tui.data.seedfiles import Limits, read_bytes
from tui.data.sync import Synced
from tui.errors import SeedError, UserError

PROPOSALS_DIR = "proposals"
FORMAT = 1  # of a proposals file
STATUSES = ("pending", "accepted", "rejected", "applied")
MAX_PROPOSALS_BYTES = 16 * 1024 * 1024

# Brings the database up to date once the corpus files are written: by default `sync` (the
# benchmark, whose database was not built from facts files, applies the one article itself).
Updater = Callable[[], "Synced | None"]


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


def proposal_data(review: Review, p: Proposal) -> dict[str, Any]:
    """A proposal as its file (and `--json`) hold it: with its status, and its note if any."""
    data = {**p.as_dict(), "status": review.status.get(p.id, "pending")}
    if p.id in review.notes:
        data["note"] = review.notes[p.id]
    return data


def as_json(review: Review) -> str:
    data = {
        "format": FORMAT,
        "article": review.ref,
        "title": review.title,
        "proposals": [proposal_data(review, p) for p in review.proposals],
    }
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def save(review: Review) -> None:
    """Write the review's proposals file whole, atomically (see the module's docstring)."""
    path = proposals_path(review.corpus, review.article_id)
    path.parent.mkdir(exist_ok=True)
    text = as_json(review)
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
    if not SLUG.fullmatch(article_id) or not path.is_file():
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


def _article_body(corpus: Path, article_id: str) -> str:
    meta = _facts_meta(corpus, article_id)
    return article_text(Path(corpus), meta["file"], f"{FACTS_DIR}/{article_id}.yaml")[0]


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
