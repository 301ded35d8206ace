"""The Schulze method, with the strength of a link measured by winning votes.

Every pair of candidates is compared: ``d[a, b]`` is the (weighted) number of ballots ranking
``a`` above ``b``, where a ranked candidate is above every candidate the ballot leaves out.
A link ``a -> b`` exists when ``d[a, b] > d[b, a]`` and its strength is ``d[a, b]``, the
winning votes (Schulze's own definition). A path is as strong as its weakest link, and ``a``
is ranked above ``b`` when the strongest path from ``a`` to ``b`` is stronger than the one back.
This relation is transitive; the Schulze ranking takes first everyone nobody beats, then
everyone beaten only by those, and so on. With several seats the top ``seats`` are elected.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .ballots import Profile
from .explain import names, number, ordinal, plural
from .result import Result, labelled, settle
from .tiebreak import TieBreaker


def pairwise(profile: Profile, weights: np.ndarray | None = None) -> np.ndarray:
    """``d[a, b]``: the weight of ballots ranking ``a`` above ``b`` (NumPy, one pass per row).

    ``weights`` is the total weight of each distinct ballot (default: as cast); a 2-D array
    of shape (resamples, ballots) gives one matrix per resample.

    >>> from lpgp.voting.ballots import profile
    >>> pairwise(profile("ranked", [["a", "b"], ["c"]], list("abc"))).tolist()
    [[0.0, 1.0, 1.0], [0.0, 0.0, 1.0], [1.0, 1.0, 0.0]]
    """
    w = profile.cast_weight if weights is None else weights
    places = profile.matrix
    m = profile.m
    d = np.zeros(w.shape[:-1] + (m, m))
    for a in range(m):
        above = (places[:, a, None] < places).astype(float)
        d[..., a, :] = w @ above
    return d


def strongest_paths(d: np.ndarray) -> np.ndarray:
    """Strength of the strongest path between every pair (Floyd-Warshall, widest path).

    Works on one matrix or a stack of them (last two axes).

    >>> strongest_paths(np.array([[0, 3, 0], [0, 0, 2], [1, 0, 0]])).tolist()
    [[0, 3, 2], [1, 0, 2], [1, 1, 0]]
    """
    p = np.where(d > np.swapaxes(d, -1, -2), d, 0)
    m = d.shape[-1]
    for k in range(m):
        p = np.maximum(p, np.minimum(p[..., :, k : k + 1], p[..., k : k + 1, :]))
    idx = np.arange(m)
    p[..., idx, idx] = 0
    return p


def levels(p: np.ndarray) -> np.ndarray:
    """Tier of each candidate in the Schulze ranking (0 = beaten by nobody).

    A candidate's tier is one more than the highest tier of anyone who beats it, so the
    tiers peel the unbeaten candidates off one layer at a time.
    """
    beats = p > np.swapaxes(p, -1, -2)
    m = p.shape[-1]
    level = np.zeros(p.shape[:-1], dtype=np.int64)
    for _ in range(m):
        level = np.max(np.where(beats, level[..., :, None] + 1, 0), axis=-2)
    return level


def _first_preferences(profile: Profile) -> np.ndarray:
    return (profile.matrix == 0).astype(float)


def order_in_bulk(profile: Profile, counts: np.ndarray, tiebreak: TieBreaker) -> np.ndarray:
    """Each resample's Schulze order after tie-breaks, best first."""
    cast = counts * profile.weight
    p = strongest_paths(pairwise(profile, cast))
    level = levels(p)
    first = _first_preferences(profile)
    weighted = cast @ first
    unweighted = counts.astype(float) @ first
    static = np.broadcast_to(tiebreak.static_rank(), level.shape)
    return np.lexsort((static, -unweighted, -weighted, level), axis=1)


def schulze(profile: Profile, seats: int, tiebreak: TieBreaker) -> Result:
    """Count ranked ballots by the Schulze method (winning votes).

    >>> from lpgp.voting.ballots import profile
    >>> p = profile("ranked", [["a", "b", "c"], ["b", "c", "a"], ["c", "b", "a"]], list("abc"))
    >>> schulze(p, 1, TieBreaker(("a", "b", "c"), (1, 2, 3))).winners
    ('b',)
    """
    cands = tiebreak.candidates
    m = profile.m
    d = pairwise(profile)
    p = strongest_paths(d)
    level = levels(p)
    first = _first_preferences(profile)
    weighted = profile.cast_weight @ first
    unweighted = profile.count.astype(float) @ first
    settled = settle(
        level,
        weighted,
        unweighted,
        tiebreak,
        seats,
        "first preferences",
        profile.weighted,
        lambda v: "strongest paths (neither beats the other)",
    )
    ranking, order = labelled(tiebreak, settled)
    winners = order[:seats]
    beaten = (p > p.T).sum(axis=1)
    place = {c: k + 1 for k, c in enumerate(order)}
    table = pd.DataFrame(
        {
            "candidate": list(cands),
            "beats": beaten,
            "first_preferences": weighted,
            "tier": level + 1,
            "place": [place[c] for c in cands],
            "elected": [c in winners for c in cands],
        }
    ).sort_values("place", kind="stable")
    lines = [
        f"Schulze method for {plural(seats, 'place')} among {plural(m, 'candidate')}: "
        f"{plural(profile.ballots, 'ballot')} counted"
        + (
            f", {plural(profile.blank, 'blank ballot')} counted as abstentions"
            if profile.blank
            else ""
        )
        + ("; each ballot carries its weight" if profile.weighted else "")
        + ".",
        "Each pair of candidates is compared head to head; a candidate ranked on a ballot is "
        "above every candidate that ballot leaves unranked. A win is as strong as the number of "
        "ballots on the winning side (winning votes), a chain of wins is as strong as its "
        "weakest link, and one candidate ranks above another when its strongest chain to the "
        "other is stronger than the strongest chain back.",
        "Schulze ranking:",
    ]
    for k, tier in enumerate(ranking):
        lines.append(f"  {ordinal(k + 1)}: {names(tier)}")
    for w in winners:
        i = cands.index(w)
        below = [j for j in range(m) if p[i, j] > p[j, i]]
        if below:
            detail = ", ".join(
                f"'{cands[j]}' {number(p[i, j])} to {number(p[j, i])}" for j in below
            )
            lines.append(
                f"'{w}' beats {plural(len(below), 'candidate')} by strongest paths: {detail}."
            )
    lines.append(
        f"Elected: '{winners[0]}'."
        if seats == 1
        else "Elected, in order: "
        + ", ".join(f"{ordinal(k + 1)} '{c}'" for k, c in enumerate(winners))
        + "."
    )
    lines += list(settled.tie_breaks)
    labels = list(cands)
    return Result(
        method="schulze",
        candidates=cands,
        seats=seats,
        winners=winners,
        ranking=ranking,
        tie_breaks=settled.tie_breaks,
        explanation="\n".join(lines),
        scores={c: int(beaten[i]) for i, c in enumerate(cands)},
        evidence={
            "totals": table.reset_index(drop=True),
            "pairwise": pd.DataFrame(d, index=labels, columns=labels),
            "strongest_paths": pd.DataFrame(p, index=labels, columns=labels),
        },
        ballots=profile.ballots,
        blank=profile.blank,
    )
