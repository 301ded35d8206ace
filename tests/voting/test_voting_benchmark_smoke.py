"""The CI smoke run of benchmarks/tally.py: it runs end to end and keeps its output format."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # runs the benchmark script end to end

SCRIPT = Path(__file__).parents[2] / "benchmarks" / "tally.py"


def test_benchmark_smoke_run() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--smoke"], capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert re.fullmatch(r"slowest ratio vs pref_voting at 200 ballots: \d+\.\dx", lines[-1])
    assert any(
        line.startswith("60 ballots: every method + 50-resample robustness") for line in lines
    )
    rows = [line for line in lines if re.match(r"\s*200 (schulze|borda|irv)\s", line)]
    assert len(rows) == 3
