"""Composite ipywidgets for the facilitator notebooks, one screen area each.

Every screen offers ``freeze()``, ``unfreeze()`` and ``reset()``; its callbacks say "Working…",
call the library, and show the result or a plain error in a visible status area. All text a
user typed is escaped before it reaches an HTML widget.
"""

from __future__ import annotations

from .app import SCREENS, App, ScreenSpec
from .board import BoardScreen
from .header import PageHeader
from .home import HomeScreen
from .people import PeopleScreen
from .screen import Screen, escape
from .steps import screen_for
from .viewer import signed_in

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
