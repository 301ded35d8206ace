"""What ``import lpgp`` costs beside importing pandas and SQLAlchemy, and what the first use of
each analyst module adds, each timed in fresh processes (median of several runs).

    .venv/bin/python benchmarks/import_time.py [--runs 7]

Each run is a new interpreter that times its own imports (``time.perf_counter`` around the
statement), so the interpreter's start-up is left out of every figure alike. Statements take
turns run by run, so a busy moment on the machine falls on all of them. The goal (issue 20):
``import lpgp`` at most 1.3 times the baseline.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys

BASELINE = "import pandas, sqlalchemy"
STATEMENTS = {
    "baseline: import pandas, sqlalchemy": BASELINE,
    "import lpgp": "import lpgp",
    "first lpgp.practices (analyst.board)": "import lpgp; lpgp.practices",
    "first lpgp.scores (analyst.shortlist)": "import lpgp; lpgp.scores",
    "first lpgp.votes (analyst.vote)": "import lpgp; lpgp.votes",
    "first lpgp.actions (analyst.delivery)": "import lpgp; lpgp.actions",
}
_TIMED = "import time\nt = time.perf_counter()\n{}\nprint(time.perf_counter() - t)"


def seconds(statement: str) -> float:
    """How long ``statement`` takes in a fresh interpreter."""
    out = subprocess.run(
        [sys.executable, "-c", _TIMED.format(statement)],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(out.stdout.strip().splitlines()[-1])


def medians(statements: list[str], runs: int = 7) -> list[float]:
    """The median time of each statement over ``runs`` rounds, the statements taking turns."""
    times: list[list[float]] = [[] for _ in statements]
    for _ in range(runs):
        for i, statement in enumerate(statements):
            times[i].append(seconds(statement))
    return [statistics.median(t) for t in times]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="rounds per statement")
    args = parser.parse_args()
    figures = medians(list(STATEMENTS.values()), args.runs)
    base = figures[0]
    print(f"median of {args.runs} fresh processes each ({sys.executable})")
    for label, took in zip(STATEMENTS, figures, strict=True):
        print(f"  {label:<40} {took * 1000:7.0f} ms  {took / base:5.2f}x baseline")


if __name__ == "__main__":
    main()
