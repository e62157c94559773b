"""The layers are a contract, not a convention: a lower layer importing a higher one fails."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint(project: Path) -> subprocess.CompletedProcess[str]:
    """Run import-linter on `project` (a folder with pyproject.toml and src/tui)."""
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", str(project / "pyproject.toml")],
        cwd=project,
        env={"PYTHONPATH": str(project / "src"), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def copy_project(tmp_path: Path) -> Path:
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(ROOT / "src" / "tui", tmp_path / "src" / "tui",
                    ignore=shutil.ignore_patterns("__pycache__"))  # fmt: skip
    return tmp_path


def test_the_checkout_keeps_every_layer_contract():
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_the_data_core_importing_the_explorer_breaks_the_contract(tmp_path):
    project = copy_project(tmp_path)
    spelling = project / "src" / "tui" / "data" / "spelling.py"
    spelling.write_text(spelling.read_text() + "\nfrom tui.app import explorer\n")
    result = lint(project)
    assert result.returncode != 0
    assert "tui.data.spelling -> tui.app.explorer" in result.stdout


def test_the_data_core_importing_rich_breaks_the_contract(tmp_path):
    project = copy_project(tmp_path)
    queries = project / "src" / "tui" / "data" / "queries.py"
    queries.write_text(queries.read_text() + "\nimport rich.text\n")
    result = lint(project)
    assert result.returncode != 0
    assert "tui.data is not allowed to import rich" in result.stdout


def test_the_explorer_starts_without_the_modules_its_first_screen_does_not_show():
    """What is imported before the first screen is waited for: the YAML parser (the seed's
    loader), the screens beyond the panes and the search come when first needed (see
    tui/app/explorer.py)."""
    code = "import sys, tui.cli.main, tui.app.explorer; print(' '.join(sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60, check=True)  # fmt: skip
    loaded = set(result.stdout.split())
    assert "tui.app.screens.main" in loaded  # (the check sees the explorer's imports)
    later = {
        *("yaml", "tui.data.seed", "tui.data.search", "tui.data.details", "tui.app.palette"),
        *("tui.app.screens.detail", "tui.app.screens.help", "tui.app.screens.search"),
    }
    assert sorted(loaded & later) == []
