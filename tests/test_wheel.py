"""A built wheel works anywhere: installed into a fresh venv and run from another folder, it
carries its own schema and corpus and builds the database in the user's data folder.

Slow by nature (a wheel build and an install; pip's cache is reused): one module-scoped install
serves every test here.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

import tui

CHECKOUT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(
    sys.platform != "linux", reason="asserts the XDG data folder that platformdirs uses on Linux"
)


@dataclass
class Installed:
    bin: Path
    site_packages: Path
    home: Path
    data_home: Path
    elsewhere: Path
    pristine: dict[str, tuple[int, int]]  # the installation's files, as pip left them

    def env(self) -> dict[str, str]:
        """A bare environment: nothing of the developer's venv, checkout or home leaks in."""
        return {
            "PATH": f"{self.bin}{os.pathsep}{os.defpath}",
            "HOME": str(self.home),
            "XDG_DATA_HOME": str(self.data_home),
            "XDG_STATE_HOME": str(self.home / "state"),
            "XDG_CONFIG_HOME": str(self.home / "config"),
            "XDG_CACHE_HOME": str(self.home / "cache"),
            "LANG": "C.UTF-8",
            "COLUMNS": "200",
        }

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.bin / "roundtable"), *args],
            cwd=self.elsewhere,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=120,
        )


def _files(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under `folder` with its size and modification time."""
    return {
        str(path.relative_to(folder)): (path.stat().st_size, path.stat().st_mtime_ns)
        for path in folder.rglob("*")
        if path.is_file()
    }


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    work = tmp_path_factory.mktemp("wheel")
    dist, venv = work / "dist", work / "venv"
    pip = [sys.executable, "-m", "pip", "--no-input", "--disable-pip-version-check"]

    def step(*command: str) -> None:
        done = subprocess.run(command, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}"

    step(*pip, "wheel", "--no-deps", "-q", "-w", str(dist), str(CHECKOUT))
    (wheel,) = dist.glob("roundtable-*.whl")
    # No pip of its own in the new venv (ensurepip is slow): this pip installs into it.
    step(sys.executable, "-m", "venv", "--without-pip", str(venv))
    python = venv / "bin" / "python"
    step(*pip, "--python", str(python), "install", "-q", str(wheel))
    # Where the venv's own `tui` is: the installed copy, not this checkout.
    where = "import sysconfig, tui; print(sysconfig.get_path('purelib')); print(tui.__file__)"
    purelib, package = subprocess.run(
        [str(python), "-I", "-c", where], capture_output=True, text=True, check=True
    ).stdout.split("\n")[:2]
    assert Path(package).is_relative_to(purelib)
    elsewhere = work / "elsewhere"
    elsewhere.mkdir()
    site_packages = Path(purelib)
    return Installed(
        venv / "bin", site_packages, work / "home", work / "data", elsewhere, _files(site_packages)
    )


def test_version_names_the_package_version(installed: Installed) -> None:
    done = installed.run("--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"roundtable {tui.__version__}"


def test_installed_wheel_lists_the_bundled_corpus_and_keeps_its_database_in_user_data(
    installed: Installed,
) -> None:
    done = installed.run("list", "person")
    assert done.returncode == 0, done.stderr
    for name in ("Dai Houliang", "Jin Liqun", "Zhu Hexin"):
        assert name in done.stdout

    database = installed.data_home / "roundtable" / "roundtable.db"
    assert database.is_file()
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as conn:
        (people,) = conn.execute("SELECT count(*) FROM people").fetchone()
    assert people == 10
    # Nothing was written into the installation, nor into the folder it was run from.
    assert _files(installed.site_packages) == installed.pristine
    assert list(installed.elsewhere.iterdir()) == []


def test_installed_wheel_ships_the_explorer_styles(installed: Installed) -> None:
    """Without its .tcss the explorer cannot start: the wheel carries every one."""
    checkout = {p.name for p in (CHECKOUT / "src" / "tui" / "app" / "styles").glob("*.tcss")}
    shipped = {p.name for p in (installed.site_packages / "tui" / "app" / "styles").glob("*.tcss")}
    assert checkout
    assert shipped == checkout


def test_installed_wheel_adds_an_article_to_the_users_own_corpus(installed: Installed) -> None:
    """Last in this module: from here on the installation's default corpus is the user's."""
    article = installed.home / "article.txt"
    article.parent.mkdir(parents=True, exist_ok=True)
    article.write_bytes((CHECKOUT / "docs" / "examples" / "citic-abai-smelter.txt").read_bytes())
    added = installed.run("add", str(article), "--json")
    assert added.returncode == 0, added.stderr
    corpus = installed.data_home / "roundtable" / "corpus"
    assert str(corpus) in added.stderr and (corpus / "entities.yaml").is_file()
    ref = json.loads(added.stdout)["article"]
    accepted = installed.run("review", ref, "--accept", "all")
    assert accepted.returncode == 0, accepted.stderr
    shown = installed.run("show", "organization:jiangxi-copper-company")
    assert shown.returncode == 0 and "Jiangxi Copper Company" in shown.stdout, shown.stderr
    assert _files(installed.site_packages) == installed.pristine  # the bundled corpus unchanged
