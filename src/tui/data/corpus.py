"""Read and validate a corpus: the articles, one facts file per article, and entity identity.

A corpus is a folder (see seed/README.md):

    entities.yaml        kind -> {id: canonical name}: identity only, never a fact
    articles/...         each article verbatim
    facts/ARTICLE.yaml   the article's metadata and every statement it makes

Adding or removing an article adds or removes one facts file (and its new entities' names);
no other article's file changes. Validation stops at the first problem with a `SeedError`
naming file, line and problem.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tui.data.rules import check_article, check_own_sources, prints_alias
from tui.data.seed import (
    ARTICLE_SPEC,
    SLUG,
    Article,
    _check_fields,
    _check_value,
    _resolve_article,
    normalise_line_ends,
)
from tui.data.seedfiles import LINE, decode_text, node_name, read_bytes, read_yaml
from tui.data.statements import (
    ASSERTERS,
    MENTION,
    PROPERTIES,
    RELATIVE_WORDS,
    STATEMENT_KEYS,
    Statement,
)
from tui.errors import SeedError
from tui.kinds import RECORD_KINDS

ENTITIES_FILE = "entities.yaml"
FACTS_DIR = "facts"
ARTICLES_DIR = "articles"


@dataclass
class Facts:
    """One article and the statements it makes."""

    article: Article
    statements: list[Statement]
    file: str  # the facts file, relative to the corpus
    sha256: str  # of the facts file's bytes


@dataclass
class Corpus:
    """A validated corpus: entity names by ref, and each article's facts by article id."""

    names: dict[str, str] = field(default_factory=dict)
    facts: dict[str, Facts] = field(default_factory=dict)

    @property
    def articles(self) -> dict[str, Article]:
        return {article_id: f.article for article_id, f in self.facts.items()}

    def statements(self) -> list[Statement]:
        return [s for f in self.facts.values() for s in f.statements]


def load_names(corpus_dir: Path) -> dict[str, str]:
    """`entities.yaml`: the canonical name of every entity, by `kind:id`."""
    shown = ENTITIES_FILE
    data = read_yaml(corpus_dir / ENTITIES_FILE, shown)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise SeedError(shown, "expected a mapping of kind to {id: name}")
    names: dict[str, str] = {}
    for kind, entries in data.items():
        if kind == LINE:
            continue
        if kind not in RECORD_KINDS:
            raise SeedError(shown, f"unknown kind {kind!r} (one of {', '.join(RECORD_KINDS)})")
        if not isinstance(entries, dict):
            raise SeedError(shown, f"{kind}: expected a mapping of id to name")
        line = entries.get(LINE)
        for slug, name in entries.items():
            if slug == LINE:
                continue
            if not isinstance(slug, str) or not SLUG.fullmatch(slug):
                raise SeedError(shown, f"{kind} id {slug!r} is not a lowercase slug", line)
            if not isinstance(name, str) or not name.strip():
                raise SeedError(shown, f"{kind}:{slug}: the name must be non-empty text", line)
            names[f"{kind}:{slug}"] = name
    return names


def locate(body: str, quote: str, occurrence: int = 1) -> int | None:
    """Where the `occurrence`-th appearance of `quote` starts in `body`, or None."""
    start = -1
    for _ in range(occurrence):
        start = body.find(quote, start + 1)
        if start < 0:
            return None
    return start


def _check_ref(
    value: Any, targets: tuple[str, ...], names: dict[str, str], shown: str, what: str, line: Any
) -> None:
    if not isinstance(value, str) or ":" not in value:
        raise SeedError(shown, f"{what}: {value!r} must be a kind:id reference", line)
    kind = value.partition(":")[0]
    if targets and kind not in targets:
        raise SeedError(shown, f"{what}: {value!r} must name a {' or '.join(targets)}", line)
    if value not in names:
        raise SeedError(shown, f"{what}: {value!r} is not in {ENTITIES_FILE}", line)


def _article(corpus_dir: Path, meta: Any, shown: str, names: dict[str, str]) -> Article:
    if not isinstance(meta, dict):
        raise SeedError(shown, "expected an `article:` mapping with the article's metadata")
    _check_fields(meta, ARTICLE_SPEC, shown, f"article {meta.get('id', '?')!r}")
    if not SLUG.fullmatch(meta["id"]):
        raise SeedError(shown, f"article id {meta['id']!r} is not a lowercase slug", meta[LINE])
    if meta.get("place") is not None:
        _check_ref(f"place:{meta['place']}", ("place",), names, shown, "article place", meta[LINE])
    body, data = article_text(corpus_dir, meta["file"], shown, meta[LINE])
    return Article(meta["id"], meta["file"], body, hashlib.sha256(data).hexdigest(), meta)


def article_text(
    corpus_dir: Path, file: str, shown: str, line: int | None = None
) -> tuple[str, bytes]:
    """The text of the article `file` (as a facts file names it, inside the corpus folder)
    that its quotes index into, and its bytes."""
    path = _resolve_article(corpus_dir, file, line or 0, shown)
    data = read_bytes(path, file)
    body = normalise_line_ends(decode_text(data, file))
    if not body.strip():
        raise SeedError(file, "article text is empty")
    return body, data


def _statements_of(
    subject: str,
    items: Any,
    article: Article,
    names: dict[str, str],
    shown: str,
    lines: dict[str, int],
) -> list[Statement]:
    line = lines.get(subject)
    if subject not in names:
        raise SeedError(shown, f"subject {subject!r} is not in {ENTITIES_FILE}", line)
    if not isinstance(items, list):
        raise SeedError(shown, f"{subject}: expected a list of statements", line)
    kind = subject.partition(":")[0]
    properties = PROPERTIES[kind]
    found: list[Statement] = []
    for item in items:
        if not isinstance(item, dict):
            raise SeedError(shown, f"{subject}: each statement must be a mapping")
        line = item.get(LINE)
        quote = item.get("quote")
        if not isinstance(quote, str) or not quote.strip():
            raise SeedError(shown, f"{subject}: every statement needs a quote", line)
        quote = normalise_line_ends(quote)
        occurrence = item.get("occurrence", 1)
        if not isinstance(occurrence, int) or isinstance(occurrence, bool) or occurrence < 1:
            raise SeedError(shown, f"{subject}: occurrence must be a whole number from 1", line)
        start = locate(article.body, quote, occurrence)
        if start is None:
            raise SeedError(
                shown,
                f"{subject}: quote not found verbatim in article {article.id!r}: {quote[:60]!r}",
                line,
            )
        asserted_by = item.get("asserted_by")
        if asserted_by is not None:
            _check_ref(asserted_by, ASSERTERS, names, shown, f"{subject} asserted_by", line)
        relative = item.get("relative")
        if relative is not None:
            if relative not in RELATIVE_WORDS:
                raise SeedError(
                    shown, f"{subject}: relative must be one of {', '.join(RELATIVE_WORDS)}", line
                )
            if relative.lower() not in quote.lower():
                raise SeedError(shown, f"{subject}: the quote does not say {relative!r}", line)
        role = item.get("role")
        props = [k for k in item if k not in STATEMENT_KEYS and k != LINE]
        unknown = [k for k in props if k not in properties]
        if unknown:
            raise SeedError(shown, f"{subject}: {kind} has no property {unknown[0]!r}", line)
        links = [k for k in props if properties[k].link]
        if len(links) > 1:
            raise SeedError(shown, f"{subject}: one link per statement ({', '.join(links)})", line)
        if links and (not isinstance(role, str) or not role.strip()):
            raise SeedError(shown, f"{subject}: a {links[0]} link needs a role", line)
        if role is not None and not links:
            raise SeedError(shown, f"{subject}: role is only for a link", line)

        template = Statement(
            subject, MENTION, None, article.id, quote, start, start + len(quote),
            asserted_by=asserted_by, relative=relative, line=line,
        )  # fmt: skip

        if not props:
            found.append(template)
        for prop, value in _expanded(item, props, properties):
            definition = properties[prop]
            what = f"{subject} {prop}"
            if value is None:
                raise SeedError(shown, f"{what}: the value is missing", line)
            if definition.is_ref:
                _check_ref(value, definition.targets, names, shown, what, line)
                if value == subject:
                    raise SeedError(shown, f"{what}: an entity cannot name itself", line)
            else:
                _check_value(prop, definition.spec, value, shown, what, line)
            if prop == "alias" and not prints_alias(quote, value, names[subject]):
                raise SeedError(
                    shown, f"{what}: the quote does not print the alias {value!r}", line
                )
            found.append(
                dataclasses.replace(
                    template, prop=prop, value=value, role=role if prop in links else None
                )
            )
    return found


def _expanded(
    item: dict[str, Any], props: list[str], properties: dict[str, Any]
) -> list[tuple[str, Any]]:
    """(property, value) pairs of an item: a list under a multi-valued property is one
    statement per value (`sector: [energy, petrochemicals]`)."""
    pairs: list[tuple[str, Any]] = []
    for prop in props:
        value = item[prop]
        if properties[prop].multi and not properties[prop].link and isinstance(value, list):
            pairs.extend((prop, v) for v in value)
        else:
            pairs.append((prop, value))
    return pairs


def _check_self_contained(statements: list[Statement], shown: str) -> None:
    """Every entity an article's statements name is a subject of that article too, so adding
    or removing one article never leaves another's statements naming a missing entity."""
    subjects = {s.subject for s in statements}
    for s in statements:
        definition = s.definition
        named = [s.asserted_by] if s.asserted_by else []
        if definition is not None and definition.is_ref:
            named.append(s.value)
        for ref in named:
            if ref not in subjects:
                raise SeedError(
                    shown,
                    f"{s.subject} {s.prop}: {ref!r} has no statement of its own in this "
                    "article (add one, e.g. a quote that names it)",
                    s.line,
                )


def load_facts(corpus_dir: Path, path: Path, names: dict[str, str]) -> Facts:
    """One facts file: its article and its statements, validated."""
    shown = str(path.relative_to(corpus_dir))
    lines: dict[str, int] = {}
    data = read_yaml(path, shown, check=lambda root: _check_items(root, shown, lines))
    if not isinstance(data, dict):
        raise SeedError(shown, "expected a mapping with `article:` and `statements:`")
    unknown = [k for k in data if k not in (LINE, "article", "statements")]
    if unknown:
        raise SeedError(shown, f"unknown top-level key {unknown[0]!r}")
    article = _article(corpus_dir, data.get("article"), shown, names)
    if path.stem != article.id:
        raise SeedError(shown, f"the file must be named after its article: {article.id}.yaml")
    subjects = data.get("statements") or {}
    if not isinstance(subjects, dict):
        raise SeedError(shown, "statements: expected a mapping of kind:id to statements")
    statements: list[Statement] = []
    for subject, items in subjects.items():
        if subject == LINE:
            continue
        statements.extend(_statements_of(subject, items, article, names, shown, lines))
    _check_one_value_each(statements, shown)
    _check_self_contained(statements, shown)
    place = article.meta.get("place")
    if place is not None and f"place:{place}" not in {s.subject for s in statements}:
        raise SeedError(
            shown,
            f"article place {place!r} has no statement of its own in this article "
            "(add one, e.g. a quote of the dateline that names it)",
            article.meta.get(LINE),
        )
    check_article(statements, article, names, shown)
    return Facts(article, statements, shown, hashlib.sha256(path.read_bytes()).hexdigest())


def _check_items(root: yaml.Node | None, shown: str, lines: dict[str, int]) -> None:
    """Before the facts file becomes data, while each value has its line: every statement is
    a mapping. Keeps each subject's line in `lines`."""
    if not isinstance(root, yaml.MappingNode):
        return
    for key, value in root.value:
        if key.value != "statements" or not isinstance(value, yaml.MappingNode):
            continue
        for subject, items in value.value:
            if not isinstance(subject, yaml.ScalarNode):
                continue
            lines[subject.value] = subject.start_mark.line + 1
            if not isinstance(items, yaml.SequenceNode):
                continue
            for item in items.value:
                if not isinstance(item, yaml.MappingNode):
                    raise SeedError(
                        shown,
                        f"{subject.value}: each statement must be a mapping, "
                        f"found {node_name(item)}",
                        item.start_mark.line + 1,
                    )


def _check_one_value_each(statements: list[Statement], shown: str) -> None:
    """Within one article a single-valued property has one value: two are a curation slip."""
    seen: dict[tuple[str, str], Any] = {}
    for s in statements:
        definition = s.definition
        if definition is None or definition.multi:
            continue
        key = (s.subject, s.prop)
        if key in seen and seen[key] != s.value:
            raise SeedError(
                shown,
                f"{s.subject}: two values for {s.prop} ({seen[key]!r}, {s.value!r})",
                s.line,
            )
        seen[key] = s.value


def facts_paths(corpus_dir: Path) -> list[Path]:
    """The corpus's facts files, in name order."""
    folder = corpus_dir / FACTS_DIR
    if not folder.is_dir():
        raise SeedError(f"{FACTS_DIR}/", "folder not found")
    return sorted(p for p in folder.iterdir() if p.suffix == ".yaml")


def load_corpus(corpus_dir: Path) -> Corpus:
    """Read and validate the whole corpus under `corpus_dir`."""
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise SeedError(str(corpus_dir), "corpus folder not found")
    corpus = Corpus(names=load_names(corpus_dir))
    bodies: dict[str, str] = {}
    for path in facts_paths(corpus_dir):
        facts = load_facts(corpus_dir, path, corpus.names)
        if facts.article.id in corpus.facts:
            raise SeedError(facts.file, f"duplicate article id {facts.article.id!r}")
        if facts.article.file in bodies:
            raise SeedError(facts.file, f"article file {facts.article.file!r} is used twice")
        bodies[facts.article.file] = facts.article.id
        corpus.facts[facts.article.id] = facts
    if not corpus.facts:
        raise SeedError(f"{FACTS_DIR}/", "no articles")
    check_own_sources({f.file: f.statements for f in corpus.facts.values()})
    return corpus
