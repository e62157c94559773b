"""`roundtable init`: a new corpus folder, a copy of the bundled corpus or an empty one.

The folder is made under a temporary name beside the target and renamed into place once
complete, so an interrupted init leaves nothing half-copied under the name asked for.
"""

from __future__ import annotations

import os
import secrets
import shutil
from pathlib import Path

from tui.data.corpus import ARTICLES_DIR, ENTITIES_FILE, FACTS_DIR, facts_paths
from tui.errors import UserError

EMPTY_ENTITIES = (
    "# Every entity of the corpus, by kind, id and canonical name (identity only: what each\n"
    "# article says about them is in its facts file). For example:\n"
    "#   organization:\n"
    "#     cnpc: China National Petroleum Corporation\n"
    "{}\n"
)


def _refuse(target: Path) -> None:
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise UserError(
            f"{target}: already exists and is not a folder; init makes a new corpus folder"
        )
    if target.is_dir() and any(target.iterdir()):
        raise UserError(
            f"{target}: already exists and is not empty; init makes a new corpus folder"
        )


def init_corpus(target: Path, source: Path, *, empty: bool = False) -> int:
    """Create the corpus folder `target`: a copy of `source`'s entities.yaml, articles/ and
    facts/, or (`empty`) an empty one. Returns how many articles it holds. Raises
    `UserError` if `target` exists and is not an empty folder."""
    target = Path(target)
    _refuse(target)
    parent = target.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    work = parent / f".{target.name}.init-{secrets.token_hex(4)}"
    try:
        work.mkdir()
        if empty:
            (work / ENTITIES_FILE).write_text(EMPTY_ENTITIES, encoding="utf-8")
            (work / ARTICLES_DIR).mkdir()
            (work / FACTS_DIR).mkdir()
        else:
            shutil.copy2(source / ENTITIES_FILE, work / ENTITIES_FILE)
            shutil.copytree(source / ARTICLES_DIR, work / ARTICLES_DIR)
            shutil.copytree(source / FACTS_DIR, work / FACTS_DIR)
        _refuse(target)  # (made meanwhile?)
        os.replace(work, target)  # over an empty folder, or under a new name
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return len(facts_paths(target))
