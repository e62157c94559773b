"""README.md's console examples are the program's real output.

Each example block runs as the README shows it (tests/readme_examples.py says how) and its
output must match the README's, but for the elapsed seconds of a build. When one drifts,
`python tests/readme_examples.py --update` rewrites the outputs from real runs: read the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import readme_examples as rx

BLOCKS = rx.find_blocks(rx.README.read_text(encoding="utf-8"))


@pytest.fixture
def session(tmp_path: Path) -> rx.Session:
    return rx.Session(tmp_path.resolve())


def test_the_left_out_blocks_are_the_listed_ones():
    marked = {block.name: block.skip for block in BLOCKS if block.skip is not None}
    assert marked == rx.SKIPPED


def test_every_block_is_a_session_of_commands():
    assert len(BLOCKS) >= 5
    for block in BLOCKS:
        assert block.steps, f"a console block at offset {block.start} has no `$ ` command"


@pytest.mark.parametrize(
    "block",
    [block for block in BLOCKS if block.skip is None],
    ids=lambda block: block.name[:40],
)
def test_the_example_shows_the_real_output(block: rx.Block, session: rx.Session):
    for step, output in zip(block.steps, session.outputs(block), strict=True):
        shown = rx.normalise(step.expected.rstrip("\n"))
        real = rx.normalise(output.rstrip("\n"))
        assert real == shown, (
            f"README.md's `$ {step.command}` no longer shows what it prints; "
            "rewrite it with `python tests/readme_examples.py --update` and review the diff"
        )
