"""Screens that show what the library holds for a step as a table, and say plainly when the
capability behind a step is not part of this installation yet."""

from __future__ import annotations

import importlib
from dataclasses import dataclass

import ipywidgets as widgets

from .screen import Screen, escape, table_html


@dataclass(frozen=True)
class TableSpec:
    """A screen's title, the analyst function that feeds it, and a line of help."""

    title: str
    function: str
    help: str
    live: bool = False


SPECS = {
    "candidates": TableSpec(
        "Candidate priorities", "candidates", "The candidates the board has drafted."
    ),
    "shortlist": TableSpec(
        "Shortlist", "scores", "Board members' scores; this page updates itself.", live=True
    ),
    "vote": TableSpec("Vote set-up", "votes", "The practice votes of this cycle."),
    "results": TableSpec(
        "Results", "turnout", "Turnout so far; this page updates itself.", live=True
    ),
    "agreed": TableSpec("Agreed list", "priorities", "The priorities the board confirmed."),
    "actions": TableSpec("Action tracker", "actions", "Actions, overdue and at risk first."),
    "asks": TableSpec(
        "Asks and decisions", "asks", "What the place-based board did with each ask."
    ),
    "agendas": TableSpec("Board agendas", "meetings", "Meetings and their agendas."),
    "exports": TableSpec("Exports", "exports", "Summaries, action logs and agenda packs."),
}


class TableScreen(Screen):
    """A step's data as a table, refreshed by a button or, for live pages, every few seconds."""

    def __init__(self, viewer, spec: TableSpec, store=None) -> None:  # noqa: ANN001
        self.title = spec.title
        self.spec = spec
        super().__init__(viewer, store)
        lpgp = importlib.import_module("lpgp")
        self.function = getattr(lpgp, spec.function, None)
        self.table = widgets.HTML()
        if self.function is None:
            self.body.children = [
                widgets.HTML(
                    '<div class="lpgp-panel lpgp-panel--warning">'
                    f"<p>{escape(spec.title)} is not available yet in this installation.</p>"
                    "<p>The rest of the cycle still works; this screen fills in when its "
                    "part of lpgp is installed.</p></div>"
                )
            ]
            return
        button = self.control(widgets.Button(description="Refresh"))
        button.on_click(lambda b: self.run(b, lambda: "Up to date."))
        self.body.children = [widgets.HTML(f"<p>{escape(spec.help)}</p>"), self.table, button]
        if spec.live:
            self.keep_fresh()
        else:
            self.refresh()

    def refresh(self) -> None:
        if self.function is None:
            return
        try:
            df = self.function(place=self.viewer.place.id, store=self.store)
        except Exception as exc:  # noqa: BLE001  (a library's "nothing yet" is not a crash)
            self.table.value = f"<p>{escape(exc)}</p>"
            return
        self.table.value = table_html(df, self.spec.title)


# Screens with controls of their own: (module, class); the table stands in while the
# capability they drive is not installed.
RICH = {
    "candidates": ("lpgp.ui.candidates", "CandidatesScreen"),
    "shortlist": ("lpgp.ui.shortlist", "ShortlistScreen"),
    "vote": ("lpgp.ui.vote", "VoteSetupScreen"),
    "results": ("lpgp.ui.vote", "ResultsScreen"),
    "agendas": ("lpgp.ui.agendas", "AgendaScreen"),
    "exports": ("lpgp.ui.exports", "ExportsScreen"),
}


def screen_for(name: str, viewer, store=None) -> Screen:  # noqa: ANN001
    """The screen called ``name`` (a notebook's stem), e.g. ``screen_for("actions", viewer)``."""
    if name in RICH:
        module, cls = RICH[name]
        try:
            return getattr(importlib.import_module(module), cls)(viewer, store)
        except ImportError:
            pass
    return TableScreen(viewer, SPECS[name], store)
