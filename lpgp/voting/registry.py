"""The registry of counting methods and the one way to call them, :func:`tally`.

Every method has the same shape, ``count(profile, seats, tiebreak) -> Result``, plus a bulk
form that orders many resamples of the same ballots at once (used by the robustness check).
The registry gives each an id (stored with a vote), a display name and the kind of ballot
it counts, which is all a method picker needs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from lpgp.errors import InvalidInput
from lpgp.voting import irv as _irv
from lpgp.voting import schulze as _schulze
from lpgp.voting import scoring
from lpgp.voting.ballots import Ballot, Kind, Profile, check_candidates, normalise, profile
from lpgp.voting.result import Result
from lpgp.voting.tiebreak import TieBreaker, shortlist_places

Count = Callable[[Profile, int, TieBreaker], Result]
Bulk = Callable[[Profile, np.ndarray, int, TieBreaker], np.ndarray]


@dataclass(frozen=True)
class Method:
    """A counting method: id, display name, ballot kind, one-line summary and its functions."""

    id: str
    name: str
    kind: Kind
    summary: str
    count: Count = field(repr=False, compare=False)
    bulk: Bulk = field(repr=False, compare=False)


def _scored(points: Callable[[Profile], np.ndarray]) -> Bulk:
    def bulk(p: Profile, counts: np.ndarray, seats: int, tiebreak: TieBreaker) -> np.ndarray:
        return scoring.order_in_bulk(points(p), p, counts, tiebreak)

    return bulk


def _schulze_bulk(p: Profile, counts: np.ndarray, seats: int, tiebreak: TieBreaker) -> np.ndarray:
    return _schulze.order_in_bulk(p, counts, tiebreak)


_METHODS = (
    Method(
        "approval",
        "Approval voting",
        "approval",
        "Each practice approves as many priorities as it likes; most approvals wins.",
        scoring.approval,
        _scored(scoring.approval_points),
    ),
    Method(
        "points",
        "Points (dot voting)",
        "points",
        "Each practice shares a budget of points between priorities; most points wins.",
        scoring.points,
        _scored(scoring.dot_points),
    ),
    Method(
        "borda",
        "Borda count",
        "ranked",
        "Practices rank priorities; each place on a ballot is worth points; most points wins.",
        scoring.borda,
        _scored(scoring.borda_points),
    ),
    Method(
        "schulze",
        "Schulze (Condorcet)",
        "ranked",
        "Practices rank priorities; every pair is compared head to head (winning votes).",
        _schulze.schulze,
        _schulze_bulk,
    ),
    Method(
        "irv",
        "Instant runoff",
        "ranked",
        "Practices rank priorities; the last is dropped round by round until one has a "
        "majority, repeated for each place.",
        _irv.irv,
        _irv.order_in_bulk,
    ),
)
_BY_ID = {m.id: m for m in _METHODS}


def methods() -> dict[str, Method]:
    """Every counting method by id, in the order a picker should show them.

    >>> list(methods())
    ['approval', 'points', 'borda', 'schulze', 'irv']
    >>> methods()["schulze"].kind
    'ranked'
    """
    return dict(_BY_ID)


def choices(kind: Kind | None = None) -> list[tuple[str, str]]:
    """(display name, id) pairs for a drop-down, optionally only one kind of ballot.

    >>> choices("approval")
    [('Approval voting', 'approval')]
    """
    return [(m.name, m.id) for m in _METHODS if kind is None or m.kind == kind]


def get(method_id: str) -> Method:
    """The method with this id, or a clear refusal listing the ids there are."""
    try:
        return _BY_ID[method_id]
    except (KeyError, TypeError):
        known = ", ".join(_BY_ID)
        raise InvalidInput(
            f"method: '{method_id}' is not a counting method (use {known})"
        ) from None


def ballot_kind(method_id: str) -> Kind:
    """The kind of ballot a method counts: "ranked", "approval" or "points".

    >>> ballot_kind("irv")
    'ranked'
    """
    return get(method_id).kind


def check_ballot(
    method_id: str, ballot: Any, candidates: Iterable[Any], budget: int | None = None
) -> Ballot:
    """One ballot checked for this method and in plain form, or InvalidInput saying why.

    Ranked ballots come back as a tuple, approval ballots as a frozenset and points ballots
    as a dict without zero entries. A blank ballot is a valid abstention.

    >>> check_ballot("schulze", ["b", "a"], ["a", "b", "c"])
    ('b', 'a')
    >>> check_ballot("points", {"a": 7, "b": 0}, ["a", "b"], budget=10)
    {'a': 7}
    >>> check_ballot("irv", ["a", "a"], ["a", "b"])
    Traceback (most recent call last):
    ...
    lpgp.errors.InvalidInput: 'a' is ranked twice
    """
    kind = ballot_kind(method_id)
    cands = check_candidates(candidates)
    return normalise(kind, ballot, {c: i for i, c in enumerate(cands)}, budget)


def check_seats(seats: Any) -> int:
    """Seats must be a whole number of at least 1."""
    if isinstance(seats, bool) or not isinstance(seats, int | np.integer) or seats < 1:
        raise InvalidInput(f"seats: {seats!r} is not a whole number of at least 1")
    return int(seats)


def prepare(
    method: Method,
    ballots: Iterable[Any] | pd.DataFrame,
    candidates: Sequence[Any] | Mapping[Any, int],
    weights: Iterable[Any] | None,
    seed: str,
    budget: int | None,
) -> tuple[Profile, TieBreaker]:
    """Check the ballots and set up the tie-break chain for one count."""
    cands = check_candidates(candidates)
    places = shortlist_places(candidates)
    bad = [p for p in places if isinstance(p, bool) or p < 0]
    if bad:
        raise InvalidInput("candidates: shortlist places must be whole numbers of 0 or more")
    tiebreak = TieBreaker(cands, places, str(seed))
    return profile(method.kind, ballots, cands, weights, budget), tiebreak


def tally(
    method_id: str,
    ballots: Iterable[Any] | pd.DataFrame,
    *,
    candidates: Sequence[Any] | Mapping[Any, int],
    seats: int = 1,
    weights: Iterable[Any] | None = None,
    seed: str = "",
    budget: int | None = None,
) -> Result:
    """Count the ballots by one method and explain the result.

    ``candidates`` is in shortlist order (or a mapping of id to shortlist place, where equal
    places leave a tie to the lot); ``weights`` are positive numbers parallel to the ballots;
    ``seed`` is the tie-break seed published before the vote opened; ``budget`` is the points
    budget (not checked when None).

    >>> r = tally("borda", [["a", "b", "c"], ["b", "a", "c"], ["a", "c", "b"]],
    ...           candidates=["a", "b", "c"], seats=2)
    >>> r.winners, r.ranking
    (('a', 'b'), (('a',), ('b',), ('c',)))
    """
    method = get(method_id)
    seats = check_seats(seats)
    prof, tiebreak = prepare(method, ballots, candidates, weights, seed, budget)
    return method.count(prof, seats, tiebreak)
