"""Methods that add up a score per candidate: approval, points (dots) and Borda.

With several seats the top ``seats`` scores are elected. Borda gives, on a full ranking of m
candidates, m-1 points to the first, m-2 to the second and so on down to 0. A ballot that stops
early has ranked its choices above everyone it left out, and left those level with each other,
so the candidates it leaves out share equally the points it did not give out: ranking 2 of 5
gives 4 and 3 points, and each of the other three gets (2 + 1 + 0) / 3 = 1. This is the same
reading of an unfinished ballot that Schulze and instant runoff use, so leaving candidates off
neither helps nor harms the ones ranked; and a ballot that ranks all but one counts exactly
like the full ranking it implies.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from lpgp.voting.ballots import Profile, shown, sortable, weigh
from lpgp.voting.explain import number, ordinal, plural
from lpgp.voting.result import Evidence, Result, labelled, settle
from lpgp.voting.tiebreak import TieBreaker


def approval_points(profile: Profile) -> np.ndarray:
    """One point per approved candidate; a points ballot approves everyone given a point."""
    return (profile.matrix > 0).astype(float)


def dot_points(profile: Profile) -> np.ndarray:
    """The points each ballot gave."""
    return profile.matrix.astype(float)


def borda_points(profile: Profile) -> np.ndarray:
    """Borda points per ballot and candidate, with the shared-remainder rule for truncation.

    >>> from lpgp.voting.ballots import profile
    >>> borda_points(profile("ranked", [["a", "b"]], list("abcde"))).tolist()
    [[4.0, 3.0, 1.0, 1.0, 1.0]]
    """
    m = profile.m
    places = profile.matrix.astype(np.int64)
    unranked = (places >= m).sum(axis=1, keepdims=True)
    return np.where(places < m, m - 1 - places, (unranked - 1) / 2).astype(float)


def order_in_bulk(
    points: np.ndarray,
    profile: Profile,
    counts: np.ndarray,
    tiebreak: TieBreaker,
) -> np.ndarray:
    """Each resample's full order (best first) given how often each distinct ballot occurs."""
    weighted = weigh(counts * profile.weight, points)
    unweighted = weigh(counts.astype(float), points)
    static = np.broadcast_to(tiebreak.static_rank(), weighted.shape)
    return np.lexsort((static, -unweighted, sortable(-weighted)), axis=1)


def _count(
    method: str,
    profile: Profile,
    seats: int,
    tiebreak: TieBreaker,
    points: np.ndarray,
    unit: str,
    rule: str,
) -> Result:
    # Exact totals times the profile's scale: compared as they are, shown divided by it.
    weighted = weigh(profile.cast_weight, points)
    unweighted = weigh(profile.count.astype(float), points)
    scale = profile.scale
    settled = settle(
        -weighted,
        weighted,
        unweighted,
        tiebreak,
        seats,
        unit,
        profile.weighted,
        lambda v: plural(shown(-v, scale), unit.rstrip("s"), unit),
        scale,
    )
    ranking, order = labelled(tiebreak, settled)
    winners = order[:seats]
    total = weighted.sum()
    if method == "approval":
        base = profile.cast_weight.sum()
        share_text = "of the weight of ballots" if profile.weighted else "of ballots"
    else:
        base = total
        share_text = f"of all {unit}"
    shares = [float(v) / float(base) if base else 0.0 for v in weighted]
    value = [shown(v, scale) for v in weighted]
    index = {c: i for i, c in enumerate(tiebreak.candidates)}

    def totals() -> pd.DataFrame:
        columns = {
            "candidate": list(order),
            unit.replace(" ", "_"): [value[index[c]] for c in order],
        }
        if profile.weighted:
            columns["unweighted"] = [float(unweighted[index[c]]) for c in order]
        columns["share"] = [float(shares[index[c]]) for c in order]
        columns["place"] = list(range(1, len(order) + 1))
        columns["elected"] = [k < len(winners) for k in range(len(order))]
        return pd.DataFrame(columns)

    lines = [_opening(method, profile, seats), rule, "Totals, highest first:"]
    for k, c in enumerate(order):
        i = index[c]
        mark = " (elected)" if k < len(winners) else ""
        once = f" ({number(unweighted[i])} counting each ballot once)" if profile.weighted else ""
        lines.append(
            f"  {k + 1}. '{c}': {plural(value[i], unit.rstrip('s'), unit)}{once}, "
            f"{shares[i]:.1%} {share_text}{mark}"
        )
    lines.append(_elected(winners, seats))
    lines += list(settled.tie_breaks)
    return Result(
        method=method,
        candidates=tiebreak.candidates,
        seats=seats,
        winners=winners,
        ranking=ranking,
        tie_breaks=settled.tie_breaks,
        explanation="\n".join(lines),
        scores={c: value[index[c]] for c in tiebreak.candidates},
        evidence=Evidence({"totals": totals}),
        ballots=profile.ballots,
        blank=profile.blank,
    )


def _opening(method_name: str, profile: Profile, seats: int) -> str:
    titles = {"approval": "Approval vote", "points": "Points vote", "borda": "Borda count"}
    title = titles.get(method_name, method_name)
    text = (
        f"{title} for {plural(seats, 'place')} among {plural(profile.m, 'candidate')}: "
        f"{plural(profile.ballots, 'ballot')} counted"
    )
    if profile.blank:
        text += f", {plural(profile.blank, 'blank ballot')} counted as abstentions"
    if profile.weighted:
        total = shown(profile.cast_weight.sum(), profile.scale)
        text += f"; each ballot carries its weight (total weight {number(total)})"
    return text + "."


def _elected(winners: tuple, seats: int) -> str:
    listed = ", ".join(f"{ordinal(k + 1)} '{c}'" for k, c in enumerate(winners))
    if seats == 1:
        return f"Elected: '{winners[0]}'."
    return f"Elected, in order: {listed}."


def approval(profile: Profile, seats: int, tiebreak: TieBreaker) -> Result:
    """Most approvals wins; with several seats the top ``seats`` are elected.

    >>> from lpgp.voting.ballots import profile
    >>> p = profile("approval", [{"a", "b"}, {"b"}], ["a", "b"])
    >>> approval(p, 1, TieBreaker(("a", "b"), (1, 2))).winners
    ('b',)
    """
    rule = "Each ballot gives one vote to every candidate it approves."
    return _count("approval", profile, seats, tiebreak, approval_points(profile), "approvals", rule)


def points(profile: Profile, seats: int, tiebreak: TieBreaker) -> Result:
    """Most points wins; a practice may put several of its points on one candidate.

    >>> from lpgp.voting.ballots import profile
    >>> p = profile("points", [{"a": 3, "b": 7}, {"a": 5}], ["a", "b"])
    >>> points(p, 1, TieBreaker(("a", "b"), (1, 2))).winners
    ('a',)
    """
    rule = "Each ballot's points are added to the candidates it gave them to."
    return _count("points", profile, seats, tiebreak, dot_points(profile), "points", rule)


def borda(profile: Profile, seats: int, tiebreak: TieBreaker) -> Result:
    """Highest Borda score wins (see the module notes for unfinished ballots).

    >>> from lpgp.voting.ballots import profile
    >>> p = profile("ranked", [["a", "b", "c"], ["b", "c", "a"], ["b", "a", "c"]], list("abc"))
    >>> borda(p, 1, TieBreaker(("a", "b", "c"), (1, 2, 3))).scores
    {'a': 3.0, 'b': 5.0, 'c': 1.0}
    """
    m = profile.m
    rule = (
        f"On a full ranking of {m} candidates the first gets {m - 1} points, the next "
        f"{max(m - 2, 0)}, and so on down to 0 for the last; candidates a ballot leaves unranked "
        "share equally the points it did not give out."
    )
    return _count("borda", profile, seats, tiebreak, borda_points(profile), "Borda points", rule)


POINTS: dict[str, Callable[[Profile], np.ndarray]] = {
    "approval": approval_points,
    "points": dot_points,
    "borda": borda_points,
}
