"""README.md's console examples, run for real.

Every ```console block of README.md is a shell session: `$ command` lines, each followed by
what it prints (standard output and standard error together, as a terminal shows them). This
module finds those blocks, runs their commands in a scratch folder holding a freshly built
database of the bundled corpus, with COLUMNS=100 as the README states, and the `roundtable`,
`sqlite-utils` and `datasette` of the environment running it. tests/test_readme_examples.py
compares the outputs with the README; `python tests/readme_examples.py --update` rewrites the
README's outputs from real runs.

A block that cannot run here is preceded by `<!-- readme-examples: skip REASON -->`; the test
lists those it expects (SKIPPED), so a block is never left out silently.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
MARKER = "<!-- cli-examples -->"
SKIP_PREFIX = "<!-- readme-examples: skip "
# Where the README shows the checkout: the scratch folder is shown as this path.
SHOWN_ROOT = "/path/to/roundtable"
# The user's data folder (where `roundtable add` makes the user's corpus), as Linux names it.
DATA_HOME = ".local/share"
SHOWN_DATA_HOME = "~/.local/share"
EXAMPLES = Path(__file__).resolve().parents[1] / "docs" / "examples"  # articles to add
TIMEOUT = 120  # seconds; a hung command fails the test instead of holding the suite

_BLOCK = re.compile(r"^```console\n(.*?)^```\n", re.MULTILINE | re.DOTALL)
# What varies between runs and nothing else: the elapsed seconds of a build.
_ELAPSED = re.compile(r"\bin \d+\.\d+ s\b")

# The blocks left out on purpose, by their first command, with why.
SKIPPED: dict[str, str] = {
    "roundtable datasette > metadata.json": "it serves Datasette until stopped",
    "vd -b db/roundtable.db -o sheets.tsv && cut -f1,2 sheets.tsv | tail -3": (
        "VisiData is not a dependency of the tests"
    ),
}


@dataclass(frozen=True)
class Step:
    """One `$ command` of a block and the output the README shows under it."""

    command: str
    expected: str


@dataclass(frozen=True)
class Block:
    """One console block: where its body lies in the README, its steps, a skip reason."""

    start: int  # offset of the body (after the opening fence) in the README text
    end: int  # offset of the closing fence
    steps: tuple[Step, ...]
    skip: str | None

    @property
    def name(self) -> str:
        return self.steps[0].command if self.steps else "(empty)"


def parse_steps(body: str) -> tuple[Step, ...]:
    """The `$ command` lines of a block body, each with the lines up to the next command."""
    steps: list[Step] = []
    command: str | None = None
    output: list[str] = []
    for line in body.splitlines(keepends=True):
        if line.startswith("$ "):
            if command is not None:
                steps.append(Step(command, "".join(output)))
            command, output = line[2:].rstrip("\n"), []
        elif command is not None:
            output.append(line)
    if command is not None:
        steps.append(Step(command, "".join(output)))
    return tuple(steps)


def find_blocks(text: str) -> list[Block]:
    """Every console block from the `<!-- cli-examples -->` marker on."""
    origin = text.index(MARKER)
    blocks: list[Block] = []
    for match in _BLOCK.finditer(text, origin):
        before = text[: match.start()].rstrip("\n").rsplit("\n", 1)[-1]
        skip = None
        if before.startswith(SKIP_PREFIX) and before.endswith("-->"):
            skip = before[len(SKIP_PREFIX) : -len("-->")].strip()
        blocks.append(Block(match.start(1), match.end(1), parse_steps(match.group(1)), skip))
    return blocks


def normalise(output: str) -> str:
    """Output with what varies between runs replaced by a fixed stand-in."""
    return _ELAPSED.sub("in N s", output)


class Session:
    """A scratch folder, as a fresh checkout's root: the bundled corpus built into db/.

    One per block, so each block runs on its own, in any order, as a reader would try it.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        bin_dir = str(Path(sys.executable).parent)  # this environment's roundtable & co.
        self.env = {
            **os.environ,
            "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""),
            "COLUMNS": "100",
            "LINES": "24",
            "ROUNDTABLE_DB": str(folder / "db" / "roundtable.db"),
            "PYTHONUNBUFFERED": "1",  # stdout and stderr interleave as on a terminal
            "PYTHONIOENCODING": "utf-8",
            "NO_COLOR": "1",
            "XDG_DATA_HOME": str(folder / DATA_HOME),
        }
        for name in ("FORCE_COLOR", "TERM_PROGRAM", "TEXTUAL"):
            self.env.pop(name, None)
        self.last_status = 0
        (folder / "db").mkdir(exist_ok=True)  # a checkout has db/; --db makes no folders
        shutil.copytree(EXAMPLES, folder / "docs" / "examples")  # as in a checkout
        self.run("roundtable build")  # every block finds the database built

    def run(self, command: str) -> str:
        """What `command` prints, run in bash in the scratch folder, paths as the README shows."""
        if command == "echo $?":
            return f"{self.last_status}\n"
        done = subprocess.run(  # the README's own commands, as it shows them
            ["bash", "-c", command],
            cwd=self.folder,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            timeout=TIMEOUT,
            check=False,
        )
        self.last_status = done.returncode
        output = done.stdout.decode("utf-8", errors="replace")
        output = output.replace(str(self.folder / DATA_HOME), SHOWN_DATA_HOME)
        return output.replace(str(self.folder), SHOWN_ROOT)

    def outputs(self, block: Block) -> list[str]:
        """The real output of each step of `block`, in order. A block that starts with
        `roundtable build` shows a first build, as a fresh checkout gets: the database the
        other blocks find is removed first."""
        if block.steps and block.steps[0].command == "roundtable build":
            (self.folder / "db" / "roundtable.db").unlink(missing_ok=True)
        if any(step.command.startswith("roundtable add") for step in block.steps):
            # Adding goes to the user's own corpus, which is the default only where no
            # database is named: as on a fresh machine.
            self.env.pop("ROUNDTABLE_DB", None)
        return [self.run(step.command) for step in block.steps]


def render(block: Block, outputs: list[str]) -> str:
    """The body of `block` with the real outputs under its commands (blank lines kept)."""
    parts: list[str] = []
    for step, output in zip(block.steps, outputs, strict=True):
        trailing = step.expected[len(step.expected.rstrip("\n")) :]
        if normalise(output.rstrip("\n")) == normalise(step.expected.rstrip("\n")):
            output = step.expected  # the same but for what varies: leave the README as it is
        body = output.rstrip("\n") + "\n" if output.strip() else ""
        # The blank line that separates one example from the next stays as written.
        extra = trailing[1:] if step.expected.strip() else trailing
        parts.append(f"$ {step.command}\n{body}{extra}")
    return "".join(parts)


def update(readme: Path = README) -> int:
    """Rewrite the outputs of every runnable block of `readme`; return how many changed."""
    text = readme.read_text(encoding="utf-8")
    changed = 0
    with tempfile.TemporaryDirectory(prefix="readme-examples-") as scratch:
        pieces: list[str] = []
        position = 0
        for number, block in enumerate(find_blocks(text)):
            if block.skip is not None:
                continue
            folder = Path(scratch, str(number)).resolve()
            folder.mkdir()
            session = Session(folder)
            body = text[block.start : block.end]
            new = render(block, session.outputs(block))
            if new != body:
                changed += 1
            pieces += [text[position : block.start], new]
            position = block.end
        pieces.append(text[position:])
    readme.write_text("".join(pieces), encoding="utf-8")
    return changed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--update", action="store_true", help="rewrite README.md's outputs")
    args = parser.parse_args()
    if not args.update:
        parser.error("nothing to do: pass --update (the check is tests/test_readme_examples.py)")
    print(f"{update()} block(s) changed in {README}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
