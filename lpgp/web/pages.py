"""The light pages for the crowd: a practice's ballot and a board member's scoring sheet.

Each is a plain HTML form rendered on the server, usable without JavaScript. A page whose
library has not arrived in this installation says so instead of breaking.
"""

from __future__ import annotations

import importlib
from types import ModuleType

import tornado.web

from . import visitor as visitors
from .handlers import PageHandler


def library(name: str) -> ModuleType | None:
    """The lpgp module ``name`` if this installation has it, else None."""
    try:
        return importlib.import_module(f"lpgp.{name}")
    except ImportError:
        return None


class MemberPage(PageHandler):
    """Pages only a signed-in board member may open."""

    def prepare(self) -> None:
        who = self.visitor
        if who is None:
            self.redirect("/sign-in?next=" + tornado.escape.url_escape(self.request.path))
        elif who.kind != visitors.MEMBER:
            raise tornado.web.HTTPError(403)


class ScoringSheetHandler(MemberPage):
    """``/score``: the member's scoring sheet."""

    def get(self) -> None:
        self.message(
            "Scoring sheet",
            "Scoring is not available yet in this installation.",
            link=("/", "Back to your pages"),
        )


class PracticePage(PageHandler):
    """Pages only a practice signed in with its ballot code may open."""

    def prepare(self) -> None:
        who = self.visitor
        if who is None:
            self.redirect("/sign-in")
        elif who.kind != visitors.PRACTICE:
            raise tornado.web.HTTPError(403)


class BallotHandler(PracticePage):
    """``/ballot``: the practice's ballot."""

    def get(self) -> None:
        self.message("Your ballot", "Voting is not available yet in this installation.")


ROUTES = [
    (r"/score", ScoringSheetHandler),
    (r"/ballot", BallotHandler),
]
