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

from lpgp.voting.ballots import Profile, shown, sortable, weigh
from lpgp.voting.explain import names, number, ordinal, plural
from lpgp.voting.result import Evidence, Result, labelled, settle
from lpgp.voting.tiebreak import TieBreaker


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
    exact = w.dtype == object  # Python integers: keep every sum exact
    d = np.zeros(w.shape[:-1] + (m, m), dtype=object if exact else float)
    for a in range(m - 1):
        d[..., a, a + 1 :] = weigh(w, places[:, a, None] < places[:, a + 1 :])
    # A ballot ranking at least one of a pair prefers exactly one of them, so the lower
    # triangle is what is left of those ballots: half the comparisons.
    unranked = places >= m
    contested = np.broadcast_to(np.asarray(w.sum(axis=-1))[..., None, None], d.shape)
    some = unranked.any(axis=1)
    if some.any():
        z = unranked[some]
        if exact:
            both = np.swapaxes(z.astype(object) * w[..., some, None], -1, -2) @ z.astype(object)
        else:
            both = np.einsum("...u,ua,ub->...ab", w[..., some], z, z)
        contested = contested - both
    back = np.where(np.triu(np.ones((m, m), dtype=bool), 1), contested - d, 0)
    return d + np.swapaxes(back, -1, -2)


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
    m = profile.m
    if len(profile.count) * m * m <= 4_000_000 and cast.dtype != object:
        # One product for every resample: each distinct ballot's pairwise preferences times
        # how much weight each resample gives it.
        above = profile.matrix[:, :, None] < profile.matrix[:, None, :]
        d = (cast @ above.reshape(len(above), m * m).astype(float)).reshape(-1, m, m)
    else:
        d = pairwise(profile, cast)
    p = strongest_paths(d)
    level = levels(p)
    first = _first_preferences(profile)
    weighted = weigh(cast, first)
    unweighted = weigh(counts.astype(float), first)
    static = np.broadcast_to(tiebreak.static_rank(), level.shape)
    return np.lexsort((static, -unweighted, sortable(-weighted), level), axis=1)


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
    weighted = weigh(profile.cast_weight, first)
    unweighted = weigh(profile.count.astype(float), first)
    scale = profile.scale
    settled = settle(
        level,
        weighted,
        unweighted,
        tiebreak,
        seats,
        "first preferences",
        profile.weighted,
        lambda v: "strongest paths (neither beats the other)",
        scale,
    )
    ranking, order = labelled(tiebreak, settled)
    winners = order[:seats]
    beaten = (p > p.T).sum(axis=1)
    place = {c: k + 1 for k, c in enumerate(order)}
    labels = list(cands)

    def totals() -> pd.DataFrame:
        table = pd.DataFrame(
            {
                "candidate": labels,
                "beats": beaten,
                "first_preferences": [shown(v, scale) for v in weighted],
                "tier": level + 1,
                "place": [place[c] for c in cands],
                "elected": [c in winners for c in cands],
            }
        )
        return table.sort_values("place", kind="stable").reset_index(drop=True)

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
                f"'{cands[j]}' {number(shown(p[i, j], scale))} to {number(shown(p[j, i], scale))}"
                for j in below
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
    return Result(
        method="schulze",
        candidates=cands,
        seats=seats,
        winners=winners,
        ranking=ranking,
        tie_breaks=settled.tie_breaks,
        explanation="\n".join(lines),
        scores={c: int(beaten[i]) for i, c in enumerate(cands)},
        evidence=Evidence(
            {
                "totals": totals,
                "pairwise": lambda: _shown_table(d, scale, labels),
                "strongest_paths": lambda: _shown_table(p, scale, labels),
            }
        ),
        ballots=profile.ballots,
        blank=profile.blank,
    )


def _shown_table(values: np.ndarray, scale: int, labels: list) -> pd.DataFrame:
    """A matrix of exact totals as the floats a table shows."""
    return pd.DataFrame(
        [[shown(v, scale) for v in row] for row in values], index=labels, columns=labels
    )
