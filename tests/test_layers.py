"""The layers the code promises, checked on the code itself by import-linter (its contracts are
in pyproject.toml), so the architecture document cannot drift from the imports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_import_contracts_hold() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run(
        [str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_a_screen_that_imports_the_web_pages_breaks_the_contract(tmp_path: Path) -> None:
    # The check can fail: a copy of the package with one screen importing the web pages.
    import shutil

    copy = tmp_path / "src"
    shutil.copytree(ROOT / "lpgp", copy / "lpgp", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    screen = copy / "lpgp" / "ui" / "home.py"
    screen.write_text("from ..web import handlers  # noqa: F401\n" + screen.read_text())
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run(
        [str(lint), "--no-cache"],
        cwd=copy,
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": str(copy), "PATH": ""},
    )
    assert done.returncode != 0 and "BROKEN" in done.stdout, done.stdout + done.stderr
