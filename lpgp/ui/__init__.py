"""Composite ipywidgets for the facilitator notebooks, one screen area each.

Every screen offers ``freeze()``, ``unfreeze()`` and ``reset()``; its callbacks say "Working…",
call the library, and show the result or a plain error in a visible status area. All text a
user typed is escaped before it reaches an HTML widget.
"""

from __future__ import annotations

from lpgp.ui.app import SCREENS, App, ScreenSpec, screen_for
from lpgp.ui.board import BoardScreen
from lpgp.ui.header import PageHeader
from lpgp.ui.home import HomeScreen
from lpgp.ui.people import PeopleScreen
from lpgp.ui.screen import Screen, escape
from lpgp.ui.viewer import signed_in

__all__ = [
    "SCREENS",
    "App",
    "ScreenSpec",
    "BoardScreen",
    "HomeScreen",
    "PeopleScreen",
    "PageHeader",
    "Screen",
    "escape",
    "screen_for",
    "signed_in",
]
