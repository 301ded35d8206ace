"""How robust a result is: the winners under every suitable method, and a bootstrap.

The bootstrap draws the same number of ballots again, with replacement, from the ballots cast
(each keeps its weight) and counts each draw with the chosen method and the same tie-break
chain. A candidate's chance is the share of draws that put them on the list. The draws come
from a generator seeded by the tie-break seed, so anyone rerunning the check gets the same
numbers. All draws are counted together with NumPy.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from lpgp.errors import InvalidInput
from lpgp.voting.ballots import Profile
from lpgp.voting.registry import check_seats, get, prepare
from lpgp.voting.tiebreak import TieBreaker

SUITED = {
    "ranked": ("borda", "schulze", "irv"),
    "approval": ("approval",),
    "points": ("points", "approval"),
}


class Robustness(NamedTuple):
    """``methods``: each candidate's place under every suitable method (1 = first elected);
    ``bootstrap``: each candidate's chance of making the list over the resamples."""

    methods: pd.DataFrame
    bootstrap: pd.DataFrame


def side_by_side(prof: Profile, seats: int, tiebreak: TieBreaker) -> pd.DataFrame:
    """Each candidate's place under every method suiting the ballots, and how many elect it."""
    table = pd.DataFrame({"candidate": list(tiebreak.candidates)})
    elected_by = np.zeros(prof.m, dtype=np.int64)
    for method_id in SUITED[prof.kind]:
        result = get(method_id).count(prof, seats, tiebreak)
        order = [c for tier in result.ranking for c in tier]
        place = {c: k + 1 for k, c in enumerate(order)}
        table[method_id] = [place[c] for c in tiebreak.candidates]
        elected_by += np.array([c in result.winners for c in tiebreak.candidates])
    table["elected_by"] = elected_by
    return table


def resample_counts(prof: Profile, resamples: int, seed: str) -> Iterator[np.ndarray]:
    """How often each distinct ballot occurs in each bootstrap draw, in blocks of draws.

    Blocks keep memory bounded for large votes (each block holds at most a few million
    numbers); their size depends only on the vote's size, so a recount draws the same.
    """
    n = prof.ballots
    u = len(prof.count)
    digest = hashlib.sha256(f"bootstrap:{seed}".encode()).digest()
    rng = np.random.default_rng(int.from_bytes(digest[:8], "big"))
    group = np.repeat(np.arange(u), prof.count)  # each cast ballot's distinct ballot
    step = max(1, 4_000_000 // max(n, u, 1))
    for start in range(0, resamples, step):
        size = min(step, resamples - start)
        if n == 0:
            yield np.zeros((size, u), dtype=np.int64)
            continue
        drawn = group[rng.integers(0, n, size=(size, n))] + u * np.arange(size)[:, None]
        yield np.bincount(drawn.ravel(), minlength=size * u).reshape(size, u)


def bootstrap(
    method_id: str, prof: Profile, seats: int, tiebreak: TieBreaker, resamples: int
) -> pd.DataFrame:
    """Each candidate's chance of being elected when the ballots are drawn again."""
    method = get(method_id)
    k = min(seats, prof.m)
    hits = np.zeros(prof.m)
    for counts in resample_counts(prof, resamples, tiebreak.seed):
        winners = method.bulk(prof, counts, seats, tiebreak)[:, :k]
        hits += np.bincount(winners.ravel(), minlength=prof.m)
    actual = method.count(prof, seats, tiebreak).winners
    return pd.DataFrame(
        {
            "candidate": list(tiebreak.candidates),
            "elected": [c in actual for c in tiebreak.candidates],
            "chance": hits / resamples,
            "resamples": resamples,
        }
    )


def robustness(
    method_id: str,
    ballots: Iterable[Any] | pd.DataFrame,
    *,
    candidates: Sequence[Any] | Mapping[Any, int],
    seats: int = 1,
    weights: Iterable[Any] | None = None,
    seed: str = "",
    resamples: int = 1000,
    budget: int | None = None,
) -> Robustness:
    """The winners under every method suiting the ballots, and a seeded bootstrap.

    >>> ballots = [["a", "b", "c"]] * 6 + [["b", "c", "a"]] * 4
    >>> methods, chances = robustness("schulze", ballots, candidates=list("abc"), resamples=200)
    >>> methods.to_dict("list")["schulze"], chances["chance"].round(1).tolist()
    ([1, 2, 3], [0.8, 0.2, 0.0])
    """
    method = get(method_id)
    seats = check_seats(seats)
    if isinstance(resamples, bool) or not isinstance(resamples, int) or resamples < 1:
        raise InvalidInput(f"resamples: {resamples!r} is not a whole number of at least 1")
    prof, tiebreak = prepare(method, ballots, candidates, weights, seed, budget)
    return Robustness(
        side_by_side(prof, seats, tiebreak),
        bootstrap(method_id, prof, seats, tiebreak, resamples),
    )
