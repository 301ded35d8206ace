"""The notebooks are thin composition roots, stored without outputs, and every one runs
(nbval, lax) against a fresh demo store."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from paths import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_there_is_a_notebook_per_screen() -> None:
    names = {p.stem for p in NOTEBOOKS}
    assert {
        "home",
        "board",
        "candidates",
        "shortlist",
        "vote",
        "results",
        "agreed",
        "actions",
        "asks",
        "agendas",
        "exports",
        "analyst",
    } <= names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_thin_and_stripped(path: Path) -> None:
    book = json.loads(path.read_text())
    code = [c for c in book["cells"] if c["cell_type"] == "code"]
    assert "parameters" in code[0]["metadata"].get("tags", [])
    assert len(code) <= 8
    for cell in code:
        assert cell["outputs"] == [] and cell["execution_count"] is None
        tree = ast.parse("".join(cell["source"]))
        banned = (
            ast.FunctionDef,
            ast.AsyncFunctionDef,
            ast.ClassDef,
            ast.Lambda,
            ast.If,
            ast.For,
            ast.While,
        )
        assert not [n for n in ast.walk(tree) if isinstance(n, banned)], path.name


@pytest.mark.slow
def test_every_notebook_runs_against_a_fresh_demo_store(tmp_path: Path) -> None:
    env = {**os.environ, "LPGP_DATA_DIR": str(tmp_path / "data")}
    env.pop("LPGP_DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "lpgp", "demo"], env=env, check=True, capture_output=True)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--nbval-lax",
            "--nbval-current-env",
            *map(str, NOTEBOOKS),
        ],
        env=env,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout[-3000:]
