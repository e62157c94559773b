"""A copy of the bundled corpus with one assertion stated: CITIC's amount asserted by Zhu
Hexin, as the text says ("According to CITIC Group Chair Zhu Hexin"), whether or not the
curated facts say so yet."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from tui import paths
from tui.data.build import build

CITIC = "commitment:citic-commercial-documents"
ZHU = "person:zhu-hexin"


def build_asserted(folder: Path) -> Path:
    """Build the bundled corpus, CITIC's amount asserted by Zhu Hexin, into `folder`."""
    corpus = folder / "seed"
    shutil.copytree(paths.SEED_DIR, corpus, ignore=shutil.ignore_patterns("*.db"))
    for path in (corpus / "facts").glob("*.yaml"):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        items = (doc.get("statements") or {}).get(CITIC)
        if not items:
            continue
        for item in items:
            if "amount" in item:
                item.setdefault("asserted_by", ZHU)
        path.write_text(
            yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=10_000),
            encoding="utf-8",
        )
    db = folder / "asserted.db"
    build(corpus, db)
    return db
