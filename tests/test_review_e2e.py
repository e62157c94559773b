"""The Review screen in a real terminal at 80x24: `roundtable review ARTICLE --interactive`
opens it, a key accepts, and the decision is on disk before the terminal goes away."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from reviewkit import CITIC_SHORT, corpus_with
from termkit import Tmux, cells, clean_env, roundtable, wait_until


def drawn_reverse(captured: str, text: str, columns: int = 40) -> bool:
    """Whether `text` is drawn in reverse video somewhere in the first `columns` (the
    article's side of the screen)."""
    for row in cells(captured):
        left = row[:columns]
        at = "".join(c.char for c in left).find(text)
        if at >= 0 and all(c.reverse for c in left[at : at + len(text)]):
            return True
    return False


@pytest.fixture
def tmux(tmp_path: Path):
    session = Tmux(tmp_path)
    yield session
    session.kill()


@pytest.fixture
def corpus(tmp_path: Path, capsys) -> Path:
    return corpus_with(tmp_path, CITIC_SHORT, capsys)


@pytest.mark.parametrize("colour", ["16 colours", "NO_COLOR"])
def test_review_interactive_opens_the_screen_and_a_key_accepts(tmux, corpus, colour):
    env = {"TERM": "xterm"} if colour == "16 colours" else {"NO_COLOR": "1"}
    argv = [*roundtable(), "--corpus", str(corpus), "review", "article:citic", "--interactive"]
    tmux.start(argv, clean_env(tmux.workdir, **env), (80, 24))
    # The proposals, and the article beside them.
    screen = tmux.wait_for("Organizations (3)", "CITIC Group Corporation", "President Kassym")
    assert "pending · match → CITIC Group" in screen and "a Accept" in screen
    # The highlighted proposal's words stand out in the article without colour: reverse video
    # (painted with the highlight, which may come a frame after the list).
    wait_until(lambda: drawn_reverse(tmux.screen(escapes=True), "CITIC"), "CITIC in reverse")
    tmux.keys("a")
    tmux.wait_for("CITIC Group Corporation: accepted")
    data = json.loads((corpus / "proposals" / "citic.json").read_text("utf-8"))
    statuses = data.get("status") or {p["id"]: p.get("status") for p in data["proposals"]}
    assert "accepted" in statuses.values()
    # Keys typed in one burst (as over SSH) select as typed: from Jiangxi, a word on, extended.
    tmux.type("vlL")
    tmux.wait_for("Selected: “Copper Company”")
    tmux.keys("q")  # the selection ends
    tmux.wait_for("Selected:", gone=True)
    # A dialog takes the keys typed ahead of it: the type field, a value it refuses.
    tmux.keys("e", "Down")
    tmux.type("treaty")
    tmux.keys("Enter")
    tmux.wait_for("type 'companytreaty' is not one of company")  # after its value, company
    tmux.keys("Escape")
    tmux.wait_for("Edit Jiangxi", gone=True)
    tmux.keys("q")  # back to the panes, then quit
    tmux.wait_for("Companies")
    tmux.keys("q")
    assert tmux.wait_exit() == 0


def test_a_dropped_session_loses_no_decision(tmux, corpus):
    argv = [*roundtable(), "--corpus", str(corpus), "review", "article:citic", "--interactive"]
    tmux.start(argv, clean_env(tmux.workdir), (80, 24))
    tmux.wait_for("Organizations (3)", "President Kassym")
    tmux.keys("a", "x")  # CITIC accepted, Jiangxi rejected
    tmux.wait_for("Jiangxi Copper Company: rejected")
    tmux.kill()  # the terminal goes away, as an SSH hangup takes it
    data = json.loads((corpus / "proposals" / "citic.json").read_text("utf-8"))
    statuses = data.get("status") or {p["id"]: p.get("status") for p in data["proposals"]}
    names = {p["id"]: p["name"] for p in data["proposals"]}
    decided = {names[pid]: status for pid, status in statuses.items() if status != "pending"}
    assert decided == {"CITIC Group Corporation": "accepted", "Jiangxi Copper Company": "rejected"}
