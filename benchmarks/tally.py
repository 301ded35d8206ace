"""Time lpgp's counts against pref_voting, and the everyday workload of a practice vote.

    python benchmarks/tally.py            # 1,000 / 10,000 / 100,000 ballots, 12 candidates
    python benchmarks/tally.py --smoke    # a tiny run that only checks the script works

Both libraries start from the same Python list of random complete rankings (ids 0-11) and
are timed end to end: pref_voting's profile construction counts, as does lpgp's checking of
every ballot. pref_voting compiles parts of itself (numba) on first use, so each of its
methods is run once on a small profile before timing. Each figure is the best of a few runs.
The last line gives the smallest speed-up over the three methods at the largest size.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable

from pref_voting.iterative_methods import instant_runoff
from pref_voting.margin_based_methods import beat_path
from pref_voting.profiles import Profile
from pref_voting.scoring_methods import borda

from lpgp import voting

CANDIDATES = 12
PEERS = {"schulze": beat_path, "borda": borda, "irv": instant_runoff}


def best_of(runs: int, work: Callable[[], object]) -> float:
    """The fastest of ``runs`` timings of ``work``, in seconds."""
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def rankings(n: int, rng: random.Random) -> list[list[int]]:
    """``n`` random complete rankings of the candidates."""
    ids = list(range(CANDIDATES))
    return [rng.sample(ids, CANDIDATES) for _ in range(n)]


def compare(sizes: list[int], rng: random.Random) -> dict[str, float]:
    """Print lpgp's and pref_voting's times per method and size; return the ratios at the last."""
    warm = rankings(20, rng)
    for peer in PEERS.values():
        peer(Profile(warm))
    cands = list(range(CANDIDATES))
    print(f"{'ballots':>8} {'method':<8} {'lpgp (s)':>9} {'pref_voting (s)':>16} {'ratio':>7}")
    ratios: dict[str, float] = {}
    for n in sizes:
        ballots = rankings(n, rng)
        runs = 3 if n <= 10_000 else 2
        for method, peer in PEERS.items():
            ours = best_of(runs, lambda m=method, b=ballots: voting.tally(m, b, candidates=cands))
            theirs = best_of(runs, lambda p=peer, b=ballots: p(Profile(b)))
            ratios[method] = theirs / ours
            print(f"{n:>8,} {method:<8} {ours:>9.4f} {theirs:>16.4f} {theirs / ours:>6.1f}x")
    return ratios


def workload(n: int, resamples: int, rng: random.Random) -> float:
    """Every method on ``n`` ballots of its kind plus the robustness run of each; seconds."""
    cands = [f"priority {i}" for i in range(1, 9)]
    ranked = [rng.sample(cands, rng.randint(1, len(cands))) for _ in range(n)]
    approval = [set(rng.sample(cands, rng.randint(0, 4))) for _ in range(n)]
    points = []
    for _ in range(n):
        dots: dict[str, int] = {}
        for _ in range(10):
            c = rng.choice(cands[:5])
            dots[c] = dots.get(c, 0) + 1
        points.append(dots)
    weights = [rng.randint(2_000, 60_000) for _ in range(n)]
    by_kind = {"ranked": ranked, "approval": approval, "points": points}
    start = time.perf_counter()
    parts = []
    for method in voting.methods():
        ballots = by_kind[voting.ballot_kind(method)]
        t0 = time.perf_counter()
        args = dict(candidates=cands, seats=3, weights=weights, seed="2027", budget=10)
        voting.tally(method, ballots, **args)
        voting.robustness(method, ballots, resamples=resamples, **args)
        parts.append(f"{method} {time.perf_counter() - t0:.3f}s")
    total = time.perf_counter() - start
    print(
        f"{n} ballots: every method + {resamples:,}-resample robustness: {total:.3f}s "
        f"({', '.join(parts)})"
    )
    return total


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, to check it runs")
    parser.add_argument("--seed", type=int, default=2027, help="seed for the random ballots")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    sizes = [200] if args.smoke else [1_000, 10_000, 100_000]
    workload(60 if args.smoke else 600, 50 if args.smoke else 1_000, rng)
    ratios = compare(sizes, rng)
    slowest = min(ratios.values())
    print(f"slowest ratio vs pref_voting at {sizes[-1]} ballots: {slowest:.1f}x")


if __name__ == "__main__":
    main()
