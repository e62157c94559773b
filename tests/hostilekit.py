"""A hostile corpus: the mini corpus with markup and terminal escape sequences in article text, in
names, aliases, descriptions and roles. Every quote is still verbatim, so the seed builds.

What each payload would do if it reached Rich/Textual markup or the terminal:
  [bold] [/ [@click=app.quit] [link=...]   restyle, fail to parse, quit the app, add a link
  ESC [31;41m                             red on red: text nobody can read
  ESC ] 0;pwned BEL, C1 OSC (U+009D)      set the window title
  ESC ] 8 ;; url ESC \\                    a hyperlink
  C1 CSI (U+009B) 2J, ESC [2J, CR         clear the screen, move the cursor
  BEL, U+202E                             ring the bell, reverse the text that follows
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from seedkit import ARTICLE, add_entity, mini_seed, write_seed

SGR_RED = "\x1b[31;41m"
OSC_TITLE = "\x1b]0;pwned\x07"
OSC_LINK = "\x1b]8;;https://evil.example\x1b\\"
C1_CSI = "\x9b2J"
C1_OSC = "\x9d0;pwned\x9c"

EVIL_NAME = f"[bold]Evil[/bold] Corp{SGR_RED}"
SHADOW_NAME = f"{OSC_TITLE}Shadow Bank{C1_CSI}"
MALLORY_NAME = "[link=https://evil.example]Mallory[/link]"
PACT_NAME = "[@click=app.quit]Evil pact[/"
ALIAS_MARKUP = "[@click=app.quit]"
ALIAS_TITLE = f"Evil{OSC_TITLE}"
PARAGRAPH = (
    f"{EVIL_NAME} signed [@click=app.quit]a pact[/] with {SHADOW_NAME} on "
    f"[link=https://evil.example]May 4[/link].\r\x1b[2J Mallory{OSC_LINK} was there\x07, "
    f"said \u202eseussi{C1_OSC} nothing. Some call it {ALIAS_MARKUP} or {ALIAS_TITLE} for short, "
    "and Mallory its boss.\n"
)
HOSTILE_ARTICLE = ARTICLE + PARAGRAPH
TITLE = f"[bold]Hostile[/bold] news {OSC_TITLE}"

NAMES = {
    "organization:evil-corp": EVIL_NAME,
    "organization:shadow-bank": SHADOW_NAME,
    "person:mallory": MALLORY_NAME,
    "commitment:evil-pact": PACT_NAME,
}
# What must never reach a terminal raw: C0 controls but newline, DEL, C1 controls, bidi overrides.
RAW_CONTROL = "[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"


def _quoted(quote: str) -> str:
    assert quote in HOSTILE_ARTICLE, quote
    return quote


def hostile_seed() -> dict[str, Any]:
    data = mini_seed(HOSTILE_ARTICLE)
    data["article"]["title"] = TITLE
    q = _quoted
    add_entity(
        data,
        "organization:evil-corp",
        EVIL_NAME,
        {
            "org_type": "company",
            "description": f"Says [red]{C1_CSI}[/red]\tand\nmore",
            "quote": q(f"{EVIL_NAME} signed"),
        },
        {"alias": [ALIAS_MARKUP, ALIAS_TITLE], "quote": q(f"{ALIAS_MARKUP} or {ALIAS_TITLE}")},
    )
    add_entity(
        data,
        "organization:shadow-bank",
        SHADOW_NAME,
        {"org_type": "bank", "quote": q(f"with {SHADOW_NAME} on")},
    )
    add_entity(
        data,
        "person:mallory",
        MALLORY_NAME,
        {"quote": q(f"\r\x1b[2J Mallory{OSC_LINK} was there\x07")},
        {"alias": "Mallory", "quote": q("and Mallory its boss")},
        {
            "position": "organization:evil-corp",
            "role": f"[blink]boss[/blink]{SGR_RED}",
            "quote": q(f"{ALIAS_TITLE} for short, and Mallory its boss"),
        },
    )
    add_entity(
        data,
        "commitment:evil-pact",
        PACT_NAME,
        {
            "category": "agreement",
            "status": "signed",
            "quote": q("signed [@click=app.quit]a pact[/] with"),
        },
        {
            "party": "organization:evil-corp",
            "role": "[@click=app.bell]signatory",
            "quote": q(f"{EVIL_NAME} signed [@click=app.quit]a pact"),
        },
        {
            "party": "organization:shadow-bank",
            "role": f"signatory{C1_OSC}",
            "quote": q(f"a pact[/] with {SHADOW_NAME}"),
        },
    )
    return data


def write_hostile_seed(folder: Path) -> Path:
    return write_seed(folder, hostile_seed())


# --- every field hostile ------------------------------------------------------------------------
# One payload that, reaching a terminal raw, writes the clipboard (OSC 52), retitles the window,
# leaves the alternate screen and clears it, paints red on red, sends C1 CSI and OSC, rings the
# bell and reverses the text; and, parsed as markup, quits the app or fails to parse.
OSC_CLIPBOARD = "\x1b]52;c;cHduZWQ=\x07"
LEAVE_AND_CLEAR = "\x1b[?1049l\x1b[2J\x1b[H"
PAYLOAD = (
    f"{OSC_CLIPBOARD}{OSC_TITLE}{LEAVE_AND_CLEAR}{SGR_RED}{C1_CSI}{C1_OSC}\x07\u202e"
    "[@click=app.quit]x[/"
)
PAYLOAD_QUOTE = f"Everyone agreed {PAYLOAD} at once."
# The payload for a sector: one value, so without the `;` a list would be split at.
SECTOR_PAYLOAD = PAYLOAD.replace(";", ",")
# Figures every commitment is given, so that each unit and currency reaches totals.
FIGURES = {
    "amount": 1e9,
    "currency": "EUR",
    "capacity": 5,
    "capacity_unit": "MW",
    "quantity": 3,
    "quantity_unit": "t",
    "target_value": 10,
    "target_unit": "percent",
    "document_count": 2,
}
LATER = "mini-later"  # a second article, which states each first entity's text otherwise


def _free_text(spec: Any) -> bool:
    """A property that takes any text (not a choice, a reference or a date)."""
    return spec.kind is str and not (spec.choices or spec.ref or spec.any_ref or spec.date)


def every_field_hostile_seed() -> dict[str, Any]:
    """The hostile corpus with `PAYLOAD` at the start of every free-text property of every
    entity (descriptions, qualifiers, sectors, metrics, periods, topics), of every name and
    every role, of the article's title and dateline, in an alias of each entity, in a quote
    every entity and every link cites, and in what a second article states otherwise. The
    properties come from the model's own definitions, so a new one is covered too.
    (Currencies and units are controlled lists: each gets a valid value. A sector is one
    value, never `;`-joined: it gets `SECTOR_PAYLOAD`.)

    Every rule of the corpus still holds: a quote that links an entity names it (each keeps
    the name its article prints as an alias), and a link's payload quote names what it links."""
    from tui.data.corpus import prints_alias
    from tui.data.statements import PROPERTIES

    data = hostile_seed()
    text = HOSTILE_ARTICLE + PAYLOAD_QUOTE + "\n"
    for key in ("title", "dateline"):
        data["article"][key] = PAYLOAD + str(data["article"].get(key) or "")
    printed = {f"{kind}:{slug}": name for kind, names in data["entities"].items()
               for slug, name in names.items()}  # fmt: skip
    for names in data["entities"].values():
        for slug, name in names.items():
            names[slug] = PAYLOAD + name
    name = {ref: PAYLOAD + old for ref, old in printed.items()}
    later: dict[str, list[dict[str, Any]]] = {}
    for subject, items in data["statements"].items():
        kind = subject.partition(":")[0]
        properties = PROPERTIES[kind]
        text_props = [
            p for p, d in properties.items() if p != "alias" and not d.is_ref and _free_text(d.spec)
        ]
        own = [item for item in items if "role" not in item]
        links = [item for item in items if "role" in item]
        for item in links:
            item["role"] = PAYLOAD + item["role"]
        for item in own:  # the name the article prints, kept as an alias
            if kind in NAMED_KINDS and prints_alias(item["quote"], printed[subject], name[subject]):
                item["alias"] = [*_listed(item.get("alias")), printed[subject]]
                break
        extra: dict[str, Any] = {p: _poisoned(p, p) for p in text_props}
        if kind == "commitment":
            extra.update(FIGURES)
        for item in own:  # the entity's own values, poisoned where it has them
            for p in list(extra):
                if p in item:
                    item[p] = _poisoned(p, str(item[p])) if p in text_props else item[p]
                    del extra[p]
        extra.pop("opinion", None)  # an opinion is a speaker's: below, with its speaker
        items.append({**extra, "alias": PAYLOAD, "quote": PAYLOAD_QUOTE})
        if "opinion" in properties:
            speaker = "person:ivan-petrov"
            items.append(
                {"opinion": PAYLOAD + "opinion", "asserted_by": speaker, "quote": PAYLOAD_QUOTE}
            )
        for link in links:  # the link again, cited by a payload quote that names both ends
            target = next(link[p] for p in link if properties.get(p) and properties[p].link)
            ends = [target, *([subject] if kind in NAMED_KINDS else [])]
            quote = f"Everyone agreed {PAYLOAD} at once on {' and '.join(name[r] for r in ends)}."
            text += quote + "\n"
            items.append({**link, "quote": quote})
        if not any(s.startswith(f"{kind}:") for s in later):  # the first of its kind
            later[subject] = [{"description": PAYLOAD + "stated otherwise", "quote": PAYLOAD_QUOTE}]
    data["article_text"] = text
    data["more"] = [
        {
            "article": {
                "id": LATER,
                "file": f"articles/{LATER}.txt",
                "date": "2023-05-04",
                "date_precision": "day",
                "title": PAYLOAD + "later",
            },
            "article_text": PAYLOAD_QUOTE + "\n",
            "statements": later,
        }
    ]
    return data


NAMED_KINDS = ("person", "organization", "place")  # kinds whose name the text prints


def _listed(value: Any) -> list[Any]:
    return [] if value is None else value if isinstance(value, list) else [value]


def _poisoned(prop: str, value: str) -> Any:
    """`value` with the payload first: for a sector, the one without `;`; what a text
    refers to an entity by (`called`) is the payload itself, which its quote prints."""
    if prop == "sector":
        return SECTOR_PAYLOAD + value
    if prop == "called":
        return PAYLOAD
    return PAYLOAD + value


def write_every_field_hostile_seed(folder: Path) -> Path:
    return write_seed(folder, every_field_hostile_seed())


# What the app itself writes: CSI sequences ending in a letter or `@`-`~` (styles, cursor
# moves, modes) and the pointer shape (OSC 22). `terminal_leaks` finds everything else.
_OWN_SEQUENCE = re.compile(r"\x1b\[[0-9;:?<>=]*[ -/]*[@-~]|\x1b\]22;[a-z-]*\x07")
_CONTROL_BYTE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# CSI sequences only the payloads hold: the app never writes these.
_PAYLOAD_SEQUENCES = frozenset({SGR_RED, "\x1b[2J", "\x1b[?1049l"})


def terminal_leaks(output: str) -> list[str]:
    """Raw control characters (ESC, C1, BEL, bidi overrides...) in what was written to a
    terminal, other than the app's own escape sequences; with some context each."""
    found = []
    for match in _OWN_SEQUENCE.finditer(output):
        if match.group() in _PAYLOAD_SEQUENCES:
            found.append(repr(output[max(0, match.start() - 20) : match.end() + 20]))
    rest = _OWN_SEQUENCE.sub("", output).replace("\r\n", "\n")  # a tty's line end
    for match in _CONTROL_BYTE.finditer(rest):
        found.append(repr(rest[max(0, match.start() - 20) : match.end() + 20]))
    return found
