"""Proposals from an article: the entities, positions, meetings, commitments and indicators it
states, each with the verbatim span that states it, resolved onto a corpus's known entities.

`propose(body, corpus, article_meta)` is the one entry point (see `proposals.py`); the pipeline
is rule-based and runs offline: `text` (sentences and spans), `names` (organizations, people,
places, titles), `positions`, `meetings`, `commitments`, `indicators`, `resolve` (matching onto
a corpus) and `proposals` (the Proposal record and its statements).
"""

from __future__ import annotations

from tui.data.extract.proposals import Proposal, propose, to_statements

__all__ = ["Proposal", "propose", "to_statements"]
