"""The voting engine: count a practice vote by a stated method, explain it, test its robustness.

Pure functions, no store and no files (``preflib`` reads and writes PrefLib files for
recounts and tests)::

    from lpgp import voting
    voting.methods()                     # id -> Method(id, name, kind, summary)
    r = voting.tally("schulze", ballots, candidates=["a", "b", "c"], seats=2, seed="2027")
    r.winners, r.ranking, r.tie_breaks, print(r.explanation)
    voting.robustness("schulze", ballots, candidates=["a", "b", "c"], seats=2)

>>> r = tally("irv", [["a"], ["b", "a"], ["a", "b"], ["c", "b"]], candidates=["a", "b", "c"])
>>> r.winners
('a',)
"""

from __future__ import annotations

from lpgp.voting.ballots import Profile, profile
from lpgp.voting.registry import Method, ballot_kind, check_ballot, choices, methods, tally
from lpgp.voting.result import Result, Round
from lpgp.voting.robustness import Robustness, robustness
from lpgp.voting.tiebreak import lot_digest

__all__ = [
    "Method",
    "Profile",
    "Result",
    "Robustness",
    "Round",
    "ballot_kind",
    "check_ballot",
    "choices",
    "lot_digest",
    "methods",
    "profile",
    "robustness",
    "tally",
]
