"""`roundtable add PATH...` and `roundtable review [ARTICLE_REF]`: grow a corpus one article at
a time, with proposals the analyst accepts or rejects."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

# `match` is the known entity a proposal resolves to, or "new"; `add` leaves out the status
# (every proposal is pending).
REVIEW_COLUMNS = ("id", "kind", "name", "match", "why", "status")
_WIDTHS = (4, 12, 22, 24, 18, 8)


def add_parser(commands: Any, parents: list[argparse.ArgumentParser]) -> None:
    add = commands.add_parser(
        "add",
        help="add articles to the corpus, with proposals of what they state",
        description="Add each article (plain text, Markdown or HTML) to the corpus: the text "
        "is stored verbatim (a converted file's original beside it), its date, dateline and "
        "title taken from the text where it states them and from the options otherwise, and "
        "its proposals (entities, positions, meetings, commitments, indicators, each with its "
        "quote, matched to the entities the corpus knows) written for review. The corpus: "
        "--corpus, else $ROUNDTABLE_CORPUS, else your own corpus in your data folder (made "
        "from the bundled one on first use; the bundled corpus is never changed).",
        parents=parents,
    )
    add.add_argument("paths", nargs="+", metavar="PATH", help="article files")
    add.add_argument("--title", help="the title, where the text gives none")
    add.add_argument("--date", metavar="YYYY-MM-DD", help="the date, where the text gives none")
    add.add_argument("--json", action="store_true", help="print the proposals as JSON")
    add.set_defaults(run=run_add)

    review = commands.add_parser(
        "review",
        help="list, accept or reject an article's proposals",
        description="With no ARTICLE_REF, list the articles with proposals not yet applied. "
        "With one, show its proposals; --accept and --reject decide them (ids as listed, or "
        "`all`), and the accepted ones become statements in the article's facts file, the "
        "database updated at once. --interactive opens the Review screen.",
        parents=parents,
    )
    review.add_argument("article", nargs="?", metavar="ARTICLE_REF", help="article:ID")
    review.add_argument("--accept", metavar="IDS", help="`all`, or ids: p1,p4,p7")
    review.add_argument("--reject", metavar="IDS", help="ids to reject: p2,p3 (or `all`)")
    review.add_argument("--interactive", "-i", action="store_true", help="open the Review screen")
    review.add_argument("--json", action="store_true", help="print JSON")
    review.set_defaults(run=run_review)


def _corpus_for_writing(args: argparse.Namespace) -> tuple[Path, Path, str | None]:
    """The corpus an article goes to, its database, and a note when it was just made."""
    from tui import paths
    from tui.data.newcorpus import init_corpus

    corpus: Path | None = args.corpus_dir
    note = None
    if corpus is None:
        corpus = paths.user_corpus()
        if not paths.has_user_corpus():
            init_corpus(corpus, paths.SEED_DIR)
            note = (
                f"Made your own corpus in {corpus} (a copy of the bundled one); roundtable "
                "opens it from now on (--corpus selects another)."
            )
    return corpus, _database(args, corpus), note


def _database(args: argparse.Namespace, corpus: Path) -> Path:
    """The corpus's database (`--db`, else its own), brought up to date with it."""
    from tui import paths
    from tui.data.sync import ensure_database

    db = paths.database_path(args.db) if args.db else paths.corpus_database(corpus)
    ensure_database(corpus, db)
    return db


def _shown(value: Any) -> str:
    from tui.textsafe import clean

    return clean(str(value), single_line=True)


def run_add(args: argparse.Namespace) -> int:
    from tui.cli.main import _print_json, _say
    from tui.data.adding import add_article, read_incoming

    # Every file is read (and refused, if it cannot be an article) before anything is written.
    incoming = [read_incoming(Path(p), title=args.title, date=args.date) for p in args.paths]
    corpus, db, note = _corpus_for_writing(args)
    if note:
        _say(note)
    results = []
    for path, article in zip(args.paths, incoming, strict=True):
        added = add_article(corpus, article, db_path=db)
        review = added.review
        for line in added.notes:
            _say(f"note: {path}: {line}")
        if added.near_duplicate:
            ref, share = added.near_duplicate
            _say(f"note: {path}: {share:.0%} of its text is also in {ref} (a near-duplicate)")
        if args.json:
            results.append(_add_json(added, corpus))
            continue
        meta = added.meta
        said = ", ".join(str(meta[k]) for k in ("date", "dateline") if meta.get(k))
        print(f"Added {review.ref} to {_shown(corpus)} ({_shown(said)}): "
              f"{len(review.proposals)} proposals.")  # fmt: skip
        _print_proposals(review, status=False)
        print(f"Review them: roundtable review {review.ref} --accept all (or ids, and "
              "--reject ids), or --interactive.")  # fmt: skip
    if args.json:
        _print_json(results[0] if len(results) == 1 else results)
    return 0


def _add_json(added: Any, corpus: Path) -> dict[str, Any]:
    from tui.data.review import proposal_data

    review = added.review
    return {
        "article": review.ref,
        "corpus": str(corpus),
        "file": added.file,
        "original": added.original,
        "title": added.meta.get("title"),
        "date": added.meta.get("date"),
        "dateline": added.meta.get("dateline"),
        "near_duplicate": (
            {"article": added.near_duplicate[0], "share": round(added.near_duplicate[1], 3)}
            if added.near_duplicate
            else None
        ),
        "proposals": [proposal_data(review, p) for p in review.proposals],
    }


def _print_proposals(review: Any, *, status: bool = True) -> None:
    from tui.cli.render import print_table

    rows = []
    for p in review.proposals:
        why = p.why if p.score is None or p.score >= 1 else f"{p.why} {p.score:.2f}"
        rows.append([p.id, p.kind, p.name, p.match or "new", why,
                     review.status.get(p.id, "pending")])  # fmt: skip
    keep = [i for i, name in enumerate(REVIEW_COLUMNS) if status or name != "status"]
    print_table(
        [REVIEW_COLUMNS[i] for i in keep],
        [[row[i] for i in keep] for row in rows],
        [_WIDTHS[i] for i in keep],
    )


def _chosen(review: Any, ids: list[str]) -> list[str]:
    """The proposals named (`all` for every one); an id the article has not is an error."""
    if "all" in ids:
        return [p.id for p in review.proposals]
    return [review.by_id(proposal_id).id for proposal_id in ids]


def _ids(value: str | None) -> list[str]:
    return [x.strip() for x in (value or "").split(",") if x.strip()]


def run_review(args: argparse.Namespace) -> int:
    from tui.cli.main import _print_json, _say
    from tui.data.applying import apply
    from tui.data.review import open_review, pending_articles, proposal_data, save
    from tui.data.review_edits import decide

    corpus, db = _corpus_for_reading(args)
    if args.article is None:
        if args.accept or args.reject:
            from tui.errors import UserError

            raise UserError("review: --accept and --reject need an ARTICLE_REF")
        pending = pending_articles(corpus)
        if args.json:
            _print_json([{"article": f"article:{a}", "title": t, **c} for a, t, c in pending])
            return 0
        if not pending:
            print(f"No proposals waiting in {_shown(corpus)}.")
            return 0
        counted = ("pending", "accepted", "applied", "rejected")
        for article_id, title, counts in pending:
            said = ", ".join(f"{counts[k]} {k}" for k in counted if counts[k])
            print(f"article:{article_id}  {said}" + (f"  ({_shown(title)})" if title else ""))
        return 0
    review = open_review(corpus, args.article)
    if args.interactive:
        return _interactive(args, corpus, db, review.article_id)
    applied = None
    if args.accept or args.reject:
        decide(review, _chosen(review, _ids(args.accept)), "accepted")
        decide(review, _chosen(review, _ids(args.reject)), "rejected")
        save(review)
        applied = apply(review, db)
    if args.json:
        data: dict[str, Any] = {"article": review.ref}
        if applied is not None:
            data |= {"applied": applied.proposals, "statements": applied.statements,
                     "entities": applied.entities, "skipped": applied.skipped}  # fmt: skip
        data["proposals"] = [proposal_data(review, p) for p in review.proposals]
        _print_json(data)
        return 0
    if applied is not None:
        print(f"Applied {len(applied.proposals)} proposals to {review.ref}: "
              f"{applied.statements} statements, {len(applied.entities)} new entities; "
              "the database is up to date.")  # fmt: skip
        for proposal_id, why in applied.skipped.items():
            _say(f"note: {proposal_id} not applied: {why}")
    _print_proposals(review)
    return 0


def _corpus_for_reading(args: argparse.Namespace) -> tuple[Path, Path]:
    """The corpus under review and its database: as for `add`, but never made here."""
    from tui.errors import UserError

    corpus: Path | None = args.corpus_dir
    if corpus is None:
        raise UserError(
            "review: the bundled corpus has nothing to review; add an article first "
            "(roundtable add PATH), or name a corpus with --corpus"
        )
    return corpus, _database(args, corpus)


def _interactive(args: argparse.Namespace, corpus: Path, db: Path, article_id: str) -> int:
    from tui.app.explorer import run_review
    from tui.data.db import open_readonly

    return run_review(
        db, corpus, article_id, mouse=not getattr(args, "no_mouse", False), probe=open_readonly
    )
