"""lpgp: decide a local general practice leadership board's priorities, win every practice's
backing in a vote, and deliver them.

Analysts start here::

    import lpgp
    lpgp.practices()          # DataFrame of the place's practices
    lpgp.board()              # the leadership board
    lpgp.national_refresh(...)  # compare with (and refresh from) the national files
"""

from __future__ import annotations

from .api import board, cycles, people, places, practices
from .api_vote import ballots, results, turnout, votes
from .errors import ImportRejected, InvalidInput, LpgpError, NotFound, StateError
from .national import national_refresh
from .store import Store, default_store

__version__ = "0.1.0"

__all__ = [
    "ImportRejected",
    "InvalidInput",
    "LpgpError",
    "NotFound",
    "StateError",
    "Store",
    "ballots",
    "board",
    "cycles",
    "default_store",
    "national_refresh",
    "people",
    "places",
    "practices",
    "results",
    "turnout",
    "votes",
]
