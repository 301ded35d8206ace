"""The package type-checks: mypy, with the settings in pyproject.toml's [tool.mypy], finds no
error in lpgp, so a wrong type or a forgotten None fails the tests like a failing assert."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# mypy's cache outside the checkout, one per checkout: a first run takes about half a minute
# on the shared machine, later ones a few seconds (mypy rechecks only what changed).
CACHE = Path(tempfile.gettempdir()) / (
    "lpgp-mypy-cache-" + hashlib.sha256(str(ROOT).encode()).hexdigest()[:12]
)


def test_the_package_type_checks() -> None:
    mypy = Path(sys.executable).with_name("mypy")
    done = subprocess.run(
        [str(mypy), "--cache-dir", str(CACHE), "--no-pretty"],  # [tool.mypy] names lpgp
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("Success: no issues found"), done.stdout


def test_the_check_finds_an_error(tmp_path: Path) -> None:
    # The check can fail: a module that hands None where text is wanted.
    bad = tmp_path / "bad.py"
    bad.write_text("def shout(text: str) -> str:\n    return text.upper()\n\n\nshout(None)\n")
    mypy = Path(sys.executable).with_name("mypy")
    done = subprocess.run(
        [str(mypy), "--cache-dir", str(tmp_path / "cache"), "--no-pretty", str(bad)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1 and '"None"; expected "str"' in done.stdout, done.stdout
