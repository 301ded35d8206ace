"""The stated tie-break chain, the same for every method.

When a method leaves candidates level and the tie matters (who is elected, in which order, or
who is eliminated in a runoff round), it is broken by the first of these rules that separates
them:

1. the weighted count: the method's own count with each ballot's weight (approvals, points,
   Borda points, votes in the runoff round; for Schulze, first preferences);
2. the unweighted count: the same count with every ballot counted once;
3. the board's shortlist order: the candidate placed higher on the shortlist goes first;
4. a lot anyone can redraw by hand: the SHA-256 digest (hexadecimal) of the tie-break seed
   followed by the candidate id, smallest first. The seed is published before the vote opens.

Rules 1 and 2 only differ when ballots carry weights (such as list sizes). The lot is reached
only when the shortlist gives candidates the same place.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from lpgp.voting.explain import number, ordinal

#: Each candidate's total, by candidate index: a list, or the NumPy array a count builds (an
#: object array of Python integers when the totals are exact).
Totals = Sequence[float] | np.ndarray


def lot_digest(seed: str, candidate: Any) -> str:
    """The SHA-256 digest that orders a candidate in the lot (smallest digest first).

    >>> lot_digest("2027", "a")[:12]
    '4cf459e189d7'
    """
    return hashlib.sha256(f"{seed}{candidate}".encode()).hexdigest()


def shortlist_places(candidates: Sequence[Any] | Mapping[Any, int]) -> tuple[int, ...]:
    """Shortlist place of each candidate: its position, or the place a mapping gives it.

    >>> shortlist_places(["a", "b"]), shortlist_places({"a": 1, "b": 1})
    ((1, 2), (1, 1))
    """
    if isinstance(candidates, Mapping):
        return tuple(int(p) for p in candidates.values())
    return tuple(range(1, len(candidates) + 1))


@dataclass(frozen=True)
class TieBreaker:
    """Orders tied candidates by the chain above and says which rule decided."""

    candidates: tuple[Any, ...]
    shortlist: tuple[int, ...]
    seed: str = ""

    def digest(self, i: int) -> str:
        """The lot digest of candidate ``i``."""
        return lot_digest(self.seed, self.candidates[i])

    def static_rank(self) -> np.ndarray:
        """Each candidate's rank under rules 3 and 4 alone (0 = first); used in bulk counts."""
        order = sorted(
            range(len(self.candidates)), key=lambda i: (self.shortlist[i], self.digest(i))
        )
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order))
        return rank

    def order(
        self,
        tied: Sequence[int],
        weighted: Totals,
        unweighted: Totals,
    ) -> list[int]:
        """The tied candidates (indices), best first."""
        return sorted(
            tied,
            key=lambda i: (-weighted[i], -unweighted[i], self.shortlist[i], self.digest(i)),
        )

    def describe(
        self,
        ordered: Sequence[int],
        weighted: Totals,
        unweighted: Totals,
        count: str,
        is_weighted: bool,
        scale: int = 1,
    ) -> str:
        """Which rule put each candidate of an ordered tie before the next one.

        ``weighted`` holds exact totals times ``scale`` (see :class:`~.ballots.Profile`); they
        are compared as they are and shown divided by ``scale``."""
        parts = []
        for a, b in zip(ordered, ordered[1:], strict=False):
            name_a, name_b = self.candidates[a], self.candidates[b]
            if weighted[a] != weighted[b]:
                label = f"weighted {count}" if is_weighted else count
                why = (
                    f"more {label} ({number(float(weighted[a]) / scale)} to "
                    f"{number(float(weighted[b]) / scale)})"
                )
            elif unweighted[a] != unweighted[b]:
                label = f"{count}, counting each ballot once," if is_weighted else count
                why = f"more {label} ({number(unweighted[a])} to {number(unweighted[b])})"
            elif self.shortlist[a] != self.shortlist[b]:
                why = (
                    f"shortlist order ({ordinal(self.shortlist[a])} and "
                    f"{ordinal(self.shortlist[b])} on the shortlist)"
                )
            else:
                why = (
                    f"lot with seed '{self.seed}' (SHA-256 {self.digest(a)[:12]}... before "
                    f"{self.digest(b)[:12]}...)"
                )
            parts.append(f"'{name_a}' before '{name_b}' by {why}")
        return "; ".join(parts)
