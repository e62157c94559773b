"""A hostile corpus: the mini seed with markup and terminal escape sequences in article text, in
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

from seedkit import ARTICLE, mini_seed, write_seed

SGR_RED = "\x1b[31;41m"
OSC_TITLE = "\x1b]0;pwned\x07"
OSC_LINK = "\x1b]8;;https://evil.example\x1b\\"
C1_CSI = "\x9b2J"
C1_OSC = "\x9d0;pwned\x9c"

EVIL_NAME = f"[bold]Evil[/bold] Corp{SGR_RED}"
SHADOW_NAME = f"{OSC_TITLE}Shadow Bank{C1_CSI}"
MALLORY_NAME = "[link=https://evil.example]Mallory[/link]"
PACT_NAME = "[@click=app.quit]Evil pact[/"
PARAGRAPH = (
    f"{EVIL_NAME} signed [@click=app.quit]a pact[/] with {SHADOW_NAME} on "
    f"[link=https://evil.example]May 4[/link].\r\x1b[2J Mallory{OSC_LINK} was there\x07, "
    f"said \u202eseussi{C1_OSC} nothing.\n"
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


def hostile_seed() -> dict[str, Any]:
    data = mini_seed(HOSTILE_ARTICLE)
    data["articles"][0]["title"] = TITLE

    def s(quote: str) -> list[dict[str, str]]:
        assert quote in HOSTILE_ARTICLE, quote
        return [{"article": "mini", "quote": quote}]

    data["organization"] += [
        {
            "id": "evil-corp",
            "name": EVIL_NAME,
            "org_type": "company",
            "aliases": ["[@click=app.quit]", f"Evil{OSC_TITLE}"],
            "description": f"Says [red]{C1_CSI}[/red]\tand\nmore",
            "sources": s(f"{EVIL_NAME} signed"),
        },
        {
            "id": "shadow-bank",
            "name": SHADOW_NAME,
            "org_type": "bank",
            "sources": s(f"with {SHADOW_NAME} on"),
        },
    ]
    data["person"].append(
        {
            "id": "mallory",
            "name": MALLORY_NAME,
            "sources": s(f"Mallory{OSC_LINK} was there\x07"),
            "positions": [
                {
                    "organization": "evil-corp",
                    "role": f"[blink]boss[/blink]{SGR_RED}",
                    "sources": s(f"\r\x1b[2J Mallory{OSC_LINK}"),
                }
            ],
        }
    )
    data["commitment"].append(
        {
            "id": "evil-pact",
            "name": PACT_NAME,
            "category": "agreement",
            "status": "signed",
            "sources": s("signed [@click=app.quit]a pact[/] with"),
            "parties": [
                {
                    "entity": "organization:evil-corp",
                    "role": "[@click=app.bell]signatory",
                    "sources": s(f"{EVIL_NAME} signed [@click=app.quit]a pact"),
                },
                {
                    "entity": "organization:shadow-bank",
                    "role": f"signatory{C1_OSC}",
                    "sources": s(f"a pact[/] with {SHADOW_NAME}"),
                },
            ],
        }
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
# Figures every commitment is given, so that each unit and currency reaches totals.
FIGURES = {"amount": 1e9, "capacity": 5, "quantity": 3, "target_value": 10, "document_count": 2}


def _free_text(spec: Any) -> bool:
    """A seed field that takes any text (not an id, a choice, a reference or a date)."""
    return spec.kind is str and not (spec.choices or spec.ref or spec.any_ref or spec.date)


def every_field_hostile_seed() -> dict[str, Any]:
    """The hostile seed with `PAYLOAD` at the start of every free-text field of every record
    (names, descriptions, currencies, units, qualifiers, sectors, metrics, periods, roles,
    titles, datelines), in an alias of each, in a quote every record and link cites, and in
    the values sources state. The fields come from the seed's own specs, so a new one is
    covered too."""
    from tui.data.seed import ARTICLE_SPEC, LINK_SPECS, RECORD_SPECS

    data = hostile_seed()
    data["article_text"] = HOSTILE_ARTICLE + PAYLOAD_QUOTE + "\n"
    payload_source = {"article": "mini", "quote": PAYLOAD_QUOTE}

    def poison(record: dict[str, Any], specs: dict[str, Any]) -> None:
        for key, spec in specs.items():
            if key != "id" and _free_text(spec):
                record[key] = PAYLOAD + str(record.get(key) or "")
        if "sources" in record:
            record["sources"] = [*record["sources"], dict(payload_source)]

    for article in data["articles"]:
        poison(article, {k: v for k, v in ARTICLE_SPEC.items() if k != "file"})
    for kind, specs in RECORD_SPECS.items():
        for number, record in enumerate(data[kind]):
            poison(record, specs)
            record["aliases"] = [*record.get("aliases", []), PAYLOAD]
            if kind == "commitment":
                record.update({k: v for k, v in FIGURES.items() if record.get(k) is None})
            if number == 0:  # reported differently: a source states another value
                record["sources"][0]["states"] = {"name": PAYLOAD}
            for field_name, link_specs in LINK_SPECS.items():
                for link in record.get(field_name) or []:
                    poison(link, link_specs)
    return data


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
