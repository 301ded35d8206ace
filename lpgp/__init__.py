"""lpgp: decide a local general practice leadership board's priorities, win every practice's
backing in a vote, and deliver them.

Analysts start here::

    import lpgp
    lpgp.practices()          # DataFrame of the place's practices
    lpgp.board()              # the leadership board
    lpgp.national_refresh(...)  # compare with (and refresh from) the national files
    lpgp.actions()            # the action tracker, what needs attention first
    lpgp.candidates()         # candidate priorities of the current cycle
    lpgp.score_summary()      # the board's scores, aggregated, in score order
"""

from __future__ import annotations

from .api import board, cycles, people, places, practices
from .api_shortlist import candidates, criteria, interests, score_summary, scores
from .api_vote import ballots, results, turnout, votes
from .delivery import actions, agenda, asks, meetings, priorities
from .drafting import DraftingWarning, drafting_warnings
from .errors import ImportRejected, InvalidInput, LpgpError, NotFound, StateError
from .export import export_actions, export_agenda, export_all, export_invites, export_summary
from .national import national_refresh
from .store import Store, default_store

__version__ = "0.1.0"

__all__ = [
    "DraftingWarning",
    "ImportRejected",
    "InvalidInput",
    "LpgpError",
    "NotFound",
    "StateError",
    "Store",
    "actions",
    "agenda",
    "asks",
    "ballots",
    "board",
    "candidates",
    "criteria",
    "cycles",
    "default_store",
    "drafting_warnings",
    "export_actions",
    "export_agenda",
    "export_all",
    "export_invites",
    "export_summary",
    "interests",
    "meetings",
    "national_refresh",
    "people",
    "places",
    "practices",
    "priorities",
    "score_summary",
    "scores",
    "results",
    "turnout",
    "votes",
]
