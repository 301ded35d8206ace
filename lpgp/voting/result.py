"""What a count returns: the winners, the full order, the tie-breaks, the why and the evidence."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from lpgp.voting.explain import names
from lpgp.voting.tiebreak import TieBreaker, Totals


class Evidence(Mapping[str, pd.DataFrame]):
    """The tables behind a result, each built the first time it is looked at.

    Counting many times (as the robustness check does) need not build tables nobody reads.
    """

    def __init__(self, builders: Mapping[str, Callable[[], pd.DataFrame]]) -> None:
        self._builders = dict(builders)
        self._built: dict[str, pd.DataFrame] = {}

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self._built:
            self._built[name] = self._builders[name]()
        return self._built[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._builders)

    def __len__(self) -> int:
        return len(self._builders)

    def __repr__(self) -> str:
        return f"Evidence({', '.join(self._builders)})"


@dataclass(frozen=True)
class Round:
    """One round of an instant-runoff count.

    ``count`` is which place is being filled (1 for the first winner, 2 for the next when
    several are elected), ``votes`` each continuing candidate's (weighted) votes and
    ``ballots`` how many ballots those are. ``transfers`` says where the eliminated (or, in a
    later count, the elected) candidate's ballots went next; ``exhausted`` is the weight of
    ballots with no continuing choice left.
    """

    count: int
    number: int
    votes: Mapping[Any, float]
    ballots: Mapping[Any, int]
    exhausted: float
    elected: Any = None
    eliminated: Any = None
    transfers: Mapping[Any, float] = field(default_factory=dict)
    exhausted_now: float = 0.0
    tie_break: str = ""


@dataclass(frozen=True, eq=False)
class Result:
    """The outcome of one count.

    ``winners`` are in order of election; ``ranking`` is the full social order where
    candidates the method could not separate share a tuple (for instant runoff, the order of
    election and elimination after tie-breaks); ``tie_breaks`` says in plain English what was
    broken and by which rule; ``scores`` is the method's headline count per candidate and
    ``evidence`` holds the tables behind it.
    """

    method: str
    candidates: tuple[Any, ...]
    seats: int
    winners: tuple[Any, ...]
    ranking: tuple[tuple[Any, ...], ...]
    tie_breaks: tuple[str, ...]
    explanation: str
    scores: Mapping[Any, float]
    evidence: Mapping[str, pd.DataFrame]
    rounds: tuple[Round, ...] = ()
    ballots: int = 0
    blank: int = 0

    def __str__(self) -> str:
        return self.explanation


@dataclass(frozen=True)
class Settled:
    """Candidates put in order: tiers the method left level, the order after tie-breaks."""

    tiers: tuple[tuple[int, ...], ...]
    order: tuple[int, ...]
    tie_breaks: tuple[str, ...]


def settle(
    level: Totals,
    weighted: Totals,
    unweighted: Totals,
    tiebreak: TieBreaker,
    seats: int,
    count: str,
    is_weighted: bool,
    tie_label: Callable[[float], str],
    scale: int = 1,
) -> Settled:
    """Order candidates by ``level`` (smaller is better), breaking ties that touch the seats.

    Every tie is put in order by the chain, so the order is complete; only ties that decide
    who is elected, or in which order, are reported. Levels and counts are compared exactly
    as given (exact totals times ``scale``; an object array of Python integers stays one).
    """
    levels = np.asarray(level)
    tiers: list[tuple[int, ...]] = []
    order: list[int] = []
    notes: list[str] = []
    for value in np.unique(levels):
        group = [i for i in range(len(levels)) if levels[i] == value]
        ordered = tiebreak.order(group, weighted, unweighted) if len(group) > 1 else group
        if len(group) > 1 and len(order) < seats:
            shown = [tiebreak.candidates[i] for i in sorted(group)]
            notes.append(
                f"{names(shown)} were level on {tie_label(value)}: "
                + tiebreak.describe(ordered, weighted, unweighted, count, is_weighted, scale)
                + "."
            )
        tiers.append(tuple(ordered))
        order.extend(ordered)
    return Settled(tuple(tiers), tuple(order), tuple(notes))


def labelled(tiebreak: TieBreaker, settled: Settled) -> tuple[tuple[tuple[Any, ...], ...], tuple]:
    """The ranking and the full order with candidate ids instead of indices."""
    c = tiebreak.candidates
    return tuple(tuple(c[i] for i in t) for t in settled.tiers), tuple(c[i] for i in settled.order)
