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
