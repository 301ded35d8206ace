"""Instant runoff (the alternative vote), repeated when several places are to be filled.

Each ballot counts for its highest-ranked candidate still in the count. A candidate with more
than half of the votes of ballots still in play is elected; otherwise the candidate with the
fewest votes is eliminated (one per round; a tie for last place goes through the stated
tie-break chain) and their ballots move to their next choice still in the count. A ballot with
no choice left is exhausted. With several seats the count is run again without those already
elected, so their ballots move on to the next choice, until every place is filled.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from lpgp.voting.ballots import Profile, shown, sortable, sum_by
from lpgp.voting.explain import names, number, ordinal, plural
from lpgp.voting.result import Evidence, Result, Round
from lpgp.voting.tiebreak import TieBreaker


def _top(places: np.ndarray, out: np.ndarray, m: int) -> np.ndarray:
    """Each ballot's highest choice not in ``out`` (-1 if none is left).

    A pass per candidate rather than ``argmin`` along the short last axis, which NumPy does
    row by row and is many times slower on tens of thousands of rows.
    """
    masked = np.where(out, m, places)
    best = masked[..., 0].copy()
    top = np.zeros(best.shape, dtype=np.int64)
    for c in range(1, m):
        column = masked[..., c]
        better = column < best
        best = np.where(better, column, best)
        top[better] = c
    return np.where(best < m, top, -1)


def _count_once(
    profile: Profile, elected: list[int], tiebreak: TieBreaker, count: int
) -> tuple[int, list[int], list[Round], list[str]]:
    """One instant-runoff count without the already ``elected``.

    Returns the winner, the order of everyone else (best first: the rest still in the count
    at the end by their votes, then the eliminated, last eliminated first), the rounds and
    the tie-breaks that decided an elimination.
    """
    m = profile.m
    cands = tiebreak.candidates
    places = profile.matrix
    cast = profile.cast_weight  # exact totals times profile.scale, shown divided by it
    scale = profile.scale
    ballots = profile.count.astype(float)
    out = np.zeros(m, dtype=bool)
    out[elected] = True
    top = _top(places, out, m)
    eliminated: list[int] = []
    rounds: list[Round] = []
    notes: list[str] = []
    number_ = 1
    while True:
        live = np.flatnonzero(~out)
        valid = top >= 0
        votes = sum_by(top[valid], cast[valid], m)
        held = np.bincount(top[valid], weights=ballots[valid], minlength=m)
        exhausted = shown(cast[~valid].sum(), scale)
        active = votes[live].sum()
        best = int(live[np.argmax(votes[live])])
        tally = {cands[i]: shown(votes[i], scale) for i in live}
        held_by = {cands[i]: int(held[i]) for i in live}
        if len(live) == 1 or votes[best] * 2 > active:
            rounds.append(Round(count, number_, tally, held_by, exhausted, elected=cands[best]))
            rest = [i for i in tiebreak.order(list(live), votes, held) if i != best]
            return best, rest + eliminated[::-1], rounds, notes
        lowest = votes[live].min()
        tied = [int(i) for i in live if votes[i] == lowest]
        note = ""
        if len(tied) > 1:
            ordered = tiebreak.order(tied, votes, held)
            loser = ordered[-1]
            note = (
                f"Count {count}, round {number_}: {names(cands[i] for i in sorted(tied))} "
                f"were level on fewest votes ({number(shown(lowest, scale))}): "
                + tiebreak.describe(ordered, votes, held, "votes", profile.weighted, scale)
                + f"; so '{cands[loser]}' was eliminated."
            )
            notes.append(note)
        else:
            loser = tied[0]
        out[loser] = True
        eliminated.append(loser)
        moved = np.flatnonzero(top == loser)
        new = _top(places[moved], out, m)
        go = new >= 0
        transfers = sum_by(new[go], cast[moved][go], m)
        top[moved] = new
        rounds.append(
            Round(
                count,
                number_,
                tally,
                held_by,
                exhausted,
                eliminated=cands[loser],
                transfers={
                    cands[i]: shown(transfers[i], scale) for i in np.flatnonzero(transfers != 0)
                },
                exhausted_now=shown(cast[moved][~go].sum(), scale),
                tie_break=note,
            )
        )
        number_ += 1


def order_in_bulk(
    profile: Profile, counts: np.ndarray, seats: int, tiebreak: TieBreaker
) -> np.ndarray:
    """The winners (in order of election) of each resample, vectorised across resamples.

    Where a ballot's vote goes depends only on who is out, not on how often it was drawn,
    so each round works out the ballots' current choices once per distinct set of
    candidates out (usually few) and tallies every resample in one weighted count.
    """
    m = profile.m
    r_count = counts.shape[0]
    places = profile.matrix
    cast = counts * profile.weight
    held = counts.astype(float)
    worst_last = np.broadcast_to(-tiebreak.static_rank(), (r_count, m))
    rows = np.arange(r_count)
    k = min(seats, m)
    winners = np.zeros((r_count, k), dtype=np.int64)
    width = m + 1  # a last column for exhausted ballots
    for s in range(k):
        out = np.zeros((r_count, m), dtype=bool)
        out[rows[:, None], winners[:, :s]] = True
        done = np.zeros(r_count, dtype=bool)
        for _ in range(m):
            patterns, group = np.unique(out, axis=0, return_inverse=True)
            tops = _top(places[None, :, :], patterns[:, None, :], m)
            top = np.where(tops < 0, m, tops)[group.reshape(-1)] + width * rows[:, None]
            size = r_count * width
            votes = sum_by(top.ravel(), cast.ravel(), size).reshape(r_count, width)[:, :m]
            bal = np.bincount(top.ravel(), held.ravel(), size).reshape(r_count, width)[:, :m]
            live = m - out.sum(axis=1)
            standing = np.where(out, -np.inf, votes)
            best = standing.argmax(axis=1)
            win = ~done & ((live == 1) | (standing[rows, best] * 2 > votes.sum(axis=1)))
            winners[win, s] = best[win]
            done |= win
            if done.all():
                break
            keys = (worst_last, np.where(out, np.inf, bal), sortable(np.where(out, np.inf, votes)))
            loser = np.lexsort(keys, axis=1)[:, 0]
            going = np.flatnonzero(~done)
            out[going, loser[going]] = True
    return winners


def _outcome(r: Round, c: Any) -> str:
    if c == r.elected:
        return "elected"
    return "eliminated" if c == r.eliminated else "continues"


def irv(profile: Profile, seats: int, tiebreak: TieBreaker) -> Result:
    """Count ranked ballots by instant runoff, once per place to fill.

    >>> from lpgp.voting.ballots import profile
    >>> p = profile("ranked", [["a", "b"], ["b", "a"], ["c", "b"]], list("abc"))
    >>> irv(p, 1, TieBreaker(("a", "b", "c"), (1, 2, 3))).winners
    ('b',)
    """
    cands = tiebreak.candidates
    m = profile.m
    elected: list[int] = []
    rounds: list[Round] = []
    notes: list[str] = []
    rest: list[int] = []
    for s in range(min(seats, m)):
        winner, rest, more, tie_notes = _count_once(profile, elected, tiebreak, s + 1)
        elected.append(winner)
        rounds += more
        notes += tie_notes
    order = elected + rest
    winners = tuple(cands[i] for i in elected)
    lines = [
        f"Instant runoff for {plural(seats, 'place')} among {plural(m, 'candidate')}: "
        f"{plural(profile.ballots, 'ballot')} counted"
        + (
            f", {plural(profile.blank, 'blank ballot')} counted as abstentions"
            if profile.blank
            else ""
        )
        + ("; each ballot carries its weight" if profile.weighted else "")
        + ".",
        "Each ballot counts for its highest choice still in the count. More than half of the "
        "votes still in play elects; otherwise the candidate with the fewest votes is "
        "eliminated and their ballots move to their next choice.",
    ]
    if seats > 1:
        lines.append("For each further place the count starts again without those already elected.")
    for r in rounds:
        head = f"Count {r.count}, round {r.number}: " if seats > 1 else f"Round {r.number}: "
        tally = ", ".join(
            f"'{c}' {number(v)}" for c, v in sorted(r.votes.items(), key=lambda x: -x[1])
        )
        text = head + tally
        if r.exhausted:
            text += f" (exhausted {number(r.exhausted)})"
        if r.elected is not None:
            text += f". '{r.elected}' is elected."
        else:
            went = ", ".join(f"{number(v)} to '{c}'" for c, v in r.transfers.items())
            if r.exhausted_now:
                went = (went + ", " if went else "") + f"{number(r.exhausted_now)} exhausted"
            text += f". '{r.eliminated}' is eliminated; their ballots go {went or 'nowhere'}."
        lines.append(text)
    lines.append(
        f"Elected: '{winners[0]}'."
        if seats == 1
        else "Elected, in order: "
        + ", ".join(f"{ordinal(k + 1)} '{c}'" for k, c in enumerate(winners))
        + "."
    )
    lines += notes
    first_round = next(r for r in rounds if r.number == 1)

    def table() -> pd.DataFrame:
        return pd.DataFrame(
            [
                {
                    "count": r.count,
                    "round": r.number,
                    "candidate": c,
                    "votes": v,
                    "ballots": r.ballots[c],
                    "outcome": _outcome(r, c),
                }
                for r in rounds
                for c, v in r.votes.items()
            ]
        )

    scores: dict[Any, float] = {c: float(first_round.votes.get(c, 0.0)) for c in cands}
    return Result(
        method="irv",
        candidates=cands,
        seats=seats,
        winners=winners,
        ranking=tuple((cands[i],) for i in order),
        tie_breaks=tuple(notes),
        explanation="\n".join(lines),
        scores=scores,
        evidence=Evidence({"rounds": table}),
        rounds=tuple(rounds),
        ballots=profile.ballots,
        blank=profile.blank,
    )
