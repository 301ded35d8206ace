"""Where the repository and the tests' shared data are, for a test module at any depth."""

from __future__ import annotations

from pathlib import Path

#: The tests' own folder (tests/), the repository around it, and the data the tests share.
TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
DATA = TESTS / "data"
