"""Read an article someone brings: plain text, Markdown or HTML, into the text the corpus keeps.

The corpus keeps an article as plain UTF-8 text, the text its quotes are found in. A plain-text
file in UTF-8 is kept byte for byte. Anything else is converted, and its original kept beside:
HTML through trafilatura (the main text and its metadata, without scripts, styles and page
furniture), Markdown with its markup taken off, text in another encoding decoded from the
encoding detected (and said). What cannot be an article (empty, binary, too large, an encoding
that cannot be told) is one `IntakeError` line naming the file.

The article's date, dateline and title are taken from its own text where it states them.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from tui.data.seedfiles import Limits, read_bytes
from tui.errors import SeedError, UserError

MAX_ARTICLE_BYTES = 4 * 1024 * 1024  # a long article is 50 KB; 4 MiB is generous
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
MARKDOWN_SUFFIXES = (".md", ".markdown")
NEAR_DUPLICATE = 0.8  # share of word shingles in common above which an article is reported


class IntakeError(UserError):
    """A file that cannot become an article."""


@dataclass
class Intake:
    """An article as read: its text, what it says of itself, and its original if converted."""

    text: str
    form: str  # "text", "markdown" or "html"
    encoding: str
    original: bytes | None  # the file as received, when `text` is not it byte for byte
    title: str | None = None
    date: str | None = None  # YYYY-MM-DD, as the text states it
    dateline: str | None = None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(normalised(self.text).encode()).hexdigest()


def normalised(text: str) -> str:
    """The text with its spacing evened out, for telling the same article twice."""
    return " ".join(text.split())


def _decode(data: bytes, shown: str) -> tuple[str, str]:
    """The text of `data` and the encoding it was read in."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise IntakeError(f"{shown}: a binary file, not text (it holds NUL bytes)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise IntakeError(f"{shown}: not text in an encoding that can be told (nor UTF-8)")
    return str(best), best.encoding


def _control_share(text: str) -> float:
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t")
    return controls / max(1, len(text))


def read_article(path: Path, shown: str | None = None) -> Intake:
    """Read the article at `path` (see the module's docstring)."""
    shown = shown or str(path)
    try:
        data = read_bytes(path, shown, Limits(max_bytes=MAX_ARTICLE_BYTES))
    except SeedError as exc:
        raise IntakeError(f"{shown}: {exc.problem}") from None
    if not data.strip():
        raise IntakeError(f"{shown}: the file is empty")
    text, encoding = _decode(data, shown)
    if _control_share(text) > 0.01:
        raise IntakeError(f"{shown}: a binary file, not text (control characters throughout)")
    suffix = path.suffix.lower()
    looks_html = re.match(r"\s*(<!doctype html|<html|<head|<body)", text[:2000], re.IGNORECASE)
    if suffix in HTML_SUFFIXES or looks_html:
        found = _from_html(text, shown)
        found.encoding, found.original = encoding, data
    elif suffix in MARKDOWN_SUFFIXES:
        found = _from_markdown(text)
        found.encoding, found.original = encoding, data
    else:
        body = text.replace("\r\n", "\n")
        original = None if encoding == "utf-8" and body.encode() == data else data
        found = Intake(body, "text", encoding, original)
    if not found.text.strip():
        raise IntakeError(f"{shown}: no article text in it")
    found.title = found.title or title_of(found.text)
    found.date = found.date or date_of(found.text)
    found.dateline = found.dateline or dateline_of(found.text)
    return found


def _from_html(text: str, shown: str) -> Intake:
    import trafilatura

    document = trafilatura.bare_extraction(
        text, include_comments=False, include_tables=False, with_metadata=True
    )
    extracted = document if document is None or isinstance(document, dict) else document.as_dict()
    if not isinstance(extracted, dict):
        raise IntakeError(f"{shown}: no article text found in the HTML")
    body = (extracted.get("text") or "").strip()
    if not body:
        raise IntakeError(f"{shown}: no article text found in the HTML")
    date = extracted.get("date") if _is_date(extracted.get("date")) else None
    title = extracted.get("title") or None
    return Intake(body + "\n", "html", "utf-8", None, title=title, date=date)


_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")


def _from_markdown(text: str) -> Intake:
    title = None
    lines = []
    for line in text.replace("\r\n", "\n").split("\n"):
        heading = re.match(r"#{1,6}\s+(.*)", line)
        if heading:
            line = heading.group(1).strip()
            title = title or line
        line = re.sub(r"^\s{0,3}(>|[-*+]\s|\d+\.\s)\s*", "", line)
        line = _MD_LINK.sub(r"\1", line)
        line = _MD_EMPHASIS.sub(r"\2", line)
        lines.append(line)
    return Intake("\n".join(lines), "markdown", "utf-8", None, title=title)


MONTHS = {
    name: number
    for number, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
         ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
         ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
         ("december", "dec")],
        start=1,
    )
    for name in names
}  # fmt: skip
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_DATES = (
    re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"),
    re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}}),\s+(\d{{4}})\b", re.IGNORECASE),
    re.compile(rf"\b(\d{{1,2}})\s+({_MONTH})\.?\s+(\d{{4}})\b", re.IGNORECASE),
)
HEAD_CHARS = 400  # the article's own date and dateline are stated at its head


def _is_date(value: str | None) -> bool:
    try:
        datetime.date.fromisoformat(value or "")
    except ValueError:
        return False
    return True


def date_of(text: str) -> str | None:
    """The first full date stated at the head of the text, as YYYY-MM-DD."""
    head = text[:HEAD_CHARS]
    found: list[tuple[int, str]] = []
    for index, pattern in enumerate(_DATES):
        match = pattern.search(head)
        if not match:
            continue
        parts = match.groups()
        if index == 0:
            year, month, day = int(parts[0]), int(parts[1]), int(parts[2])
        elif index == 1:
            year, month, day = int(parts[2]), MONTHS[parts[0].lower()], int(parts[1])
        else:
            year, month, day = int(parts[2]), MONTHS[parts[1].lower()], int(parts[0])
        try:
            found.append((match.start(), datetime.date(year, month, day).isoformat()))
        except ValueError:
            continue
    return min(found)[1] if found else None


_DATELINE = re.compile(r"(?:^|\n|\d\s+)([A-Z][A-Z’'.\- ]{2,40}?)\s*[–—-]\s+[A-Z]")
# "ASTANA, June 3, 2024 – ...": the place in capitals, then the date, then the dash.
_DATED_DATELINE = re.compile(r"(?:^|\n)([A-Z][A-Z’'.\- ]{2,40}?),\s*[\w ,.]{3,30}?\s[–—-]\s+[A-Z]")
_PLACE_LINE = re.compile(r"^([A-Z][\w’'\- ]{1,40}(?:city|region)?,\s*[A-Z][\w ]{1,30})$", re.M)


def dateline_of(text: str) -> str | None:
    """The dateline at the head of the text: `ASTANA – ...`, or a line of its own such as
    `Xi’an city, China`."""
    head = text[:HEAD_CHARS]
    match = _DATED_DATELINE.search(head) or _DATELINE.search(head)
    if match:
        return match.group(1).strip()
    line = _PLACE_LINE.search(head)
    return line.group(1).strip() if line else None


def title_of(text: str) -> str | None:
    """The headline, where the text prints one: a short first line with no closing stop."""
    first = next((line.strip() for line in text.split("\n") if line.strip()), "")
    if 0 < len(first) <= 150 and not first.endswith((".", ":", ";", ",")) and " – " not in first:
        if not date_of(first) or len(first) > 40:
            return first
    return None


def shingles(text: str, size: int = 5) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.casefold())
    return {tuple(words[i : i + size]) for i in range(max(0, len(words) - size + 1))}


def similarity(a: str, b: str) -> float:
    """The share of word shingles two texts have in common (Jaccard), 0 to 1."""
    sa, sb = shingles(a), shingles(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)
