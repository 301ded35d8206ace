"""lpgp: decide a local general practice leadership board's priorities, win every practice's
backing in a vote, and deliver them.

Analysts start here::

    import lpgp
    lpgp.practices()          # DataFrame of the place's practices
    lpgp.board()              # the leadership board
    lpgp.actions()            # the action tracker, what needs attention first
"""

from __future__ import annotations

from .api import board, cycles, people, places, practices
from .delivery import actions, agenda, asks, meetings, priorities
from .errors import ImportRejected, InvalidInput, LpgpError, NotFound, StateError
from .export import export_actions, export_agenda, export_all, export_invites, export_summary
from .store import Store, default_store

__version__ = "0.1.0"

__all__ = [
    "ImportRejected",
    "InvalidInput",
    "LpgpError",
    "NotFound",
    "StateError",
    "Store",
    "actions",
    "agenda",
    "asks",
    "board",
    "cycles",
    "default_store",
    "export_actions",
    "export_agenda",
    "export_all",
    "export_invites",
    "export_summary",
    "meetings",
    "people",
    "places",
    "practices",
    "priorities",
]
