"""`roundtable eval`: the proposal engine measured against the curated facts, from the CLI."""

from __future__ import annotations


def test_eval_reports_precision_and_recall_per_kind(cli):
    result = cli("eval", "--json")
    assert result.code == 0
    report = result.json()
    rows = report["rows"]
    assert {"organization", "person", "place", "meeting", "commitment", "amounts"} <= set(rows)
    for name in ("organization", "person", "place", "amounts"):
        row = rows[name]
        assert row["tp"] > 0 and 0 <= row["recall"] <= 1
        assert row["recall"] == round(row["tp"] / (row["tp"] + row["fn"]), 3)
    table = cli("eval").out
    assert table.splitlines()[0].split()[:2] == ["precision", "recall"]
    assert any(line.startswith("organization") for line in table.splitlines())
