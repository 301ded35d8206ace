"""Each step's screen by the name its notebook and the app's address use."""

from __future__ import annotations

import importlib

from lpgp.access.signin import Visitor
from lpgp.store import Store
from lpgp.ui.screen import Screen

# A screen's name, the module under lpgp.ui that holds it, and its class.
SCREEN_CLASSES = {
    "candidates": ("candidates", "CandidatesScreen"),
    "shortlist": ("shortlist", "ShortlistScreen"),
    "vote": ("vote", "VoteSetupScreen"),
    "results": ("vote", "ResultsScreen"),
    "agreed": ("agreed", "AgreedScreen"),
    "actions": ("actions", "ActionsScreen"),
    "asks": ("asks", "AsksScreen"),
    "agendas": ("agendas", "AgendaScreen"),
    "exports": ("exports", "ExportsScreen"),
}


def screen_for(name: str, viewer: Visitor, store: Store | None = None) -> Screen:
    """The screen called ``name`` (a notebook's stem), e.g. ``screen_for("actions", viewer)``;
    a module is imported only when its screen is first asked for."""
    module, cls = SCREEN_CLASSES[name]
    return getattr(importlib.import_module(f"{__package__}.{module}"), cls)(viewer, store)
