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

``import lpgp`` is light: each name below is imported from its module the first time it is
used (PEP 562), so a script that reads one table does not pay for the exports, the charts or
the screens.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from lpgp.errors import ImportRejected, InvalidInput, LpgpError, NotFound, StateError

if TYPE_CHECKING:
    from lpgp.analyst.board import board, cycles, people, places, practices
    from lpgp.analyst.delivery import (
        action_updates,
        actions,
        agenda,
        ask_events,
        asks,
        decisions,
        meetings,
        priorities,
    )
    from lpgp.analyst.exports import (
        export_actions,
        export_agenda,
        export_all,
        export_invites,
        export_summary,
    )
    from lpgp.analyst.list_sizes import list_sizes
    from lpgp.analyst.national import national_refresh
    from lpgp.analyst.shortlist import (
        candidates,
        criteria,
        interests,
        score_charts,
        score_summary,
        scores,
    )
    from lpgp.analyst.vote import (
        ballots,
        practice_turnout,
        published_ballots,
        results,
        turnout,
        votes,
    )
    from lpgp.cycle.candidates.drafting import DraftingWarning, drafting_warnings
    from lpgp.store import Store, default_store

__version__ = "0.1.0"

#: Where each name of the package lives; imported on first use.
_LAZY: dict[str, str] = {
    **dict.fromkeys(["board", "cycles", "people", "places", "practices"], "lpgp.analyst.board"),
    **dict.fromkeys(
        ["candidates", "criteria", "interests", "score_charts", "score_summary", "scores"],
        "lpgp.analyst.shortlist",
    ),
    **dict.fromkeys(
        ["ballots", "practice_turnout", "published_ballots", "results", "turnout", "votes"],
        "lpgp.analyst.vote",
    ),
    **dict.fromkeys(
        [
            "action_updates",
            "actions",
            "agenda",
            "ask_events",
            "asks",
            "decisions",
            "meetings",
            "priorities",
        ],
        "lpgp.analyst.delivery",
    ),
    "list_sizes": "lpgp.analyst.list_sizes",
    **dict.fromkeys(["DraftingWarning", "drafting_warnings"], "lpgp.cycle.candidates.drafting"),
    **dict.fromkeys(
        ["export_actions", "export_agenda", "export_all", "export_invites", "export_summary"],
        "lpgp.analyst.exports",
    ),
    "national_refresh": "lpgp.analyst.national",
    **dict.fromkeys(["Store", "default_store"], "lpgp.store"),
}

__all__ = [
    "DraftingWarning",
    "ImportRejected",
    "InvalidInput",
    "LpgpError",
    "NotFound",
    "StateError",
    "Store",
    "action_updates",
    "actions",
    "agenda",
    "ask_events",
    "asks",
    "ballots",
    "board",
    "candidates",
    "criteria",
    "cycles",
    "decisions",
    "default_store",
    "drafting_warnings",
    "export_actions",
    "export_agenda",
    "export_all",
    "export_invites",
    "export_summary",
    "interests",
    "list_sizes",
    "meetings",
    "national_refresh",
    "people",
    "places",
    "practice_turnout",
    "practices",
    "priorities",
    "published_ballots",
    "score_charts",
    "score_summary",
    "scores",
    "results",
    "turnout",
    "votes",
]


def __getattr__(name: str) -> Any:
    """Import a public name's module the first time the name is used."""
    where = _LAZY.get(name)
    if where is None:
        raise AttributeError(f"module 'lpgp' has no attribute '{name}'")
    value = getattr(importlib.import_module(where), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
