"""Screens that show what the library holds for a step as a table, until the step has a
screen of its own."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import ipywidgets as widgets
import pandas as pd

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
        import lpgp  # the analyst functions, which the tables show

        self.function: Callable[..., pd.DataFrame] = getattr(lpgp, spec.function)
        self.table = widgets.HTML()
        button = self.control(widgets.Button(description="Refresh"))
        button.on_click(lambda b: self.run(b, lambda: "Up to date."))
        self.body.children = [widgets.HTML(f"<p>{escape(spec.help)}</p>"), self.table, button]
        if spec.live:
            self.keep_fresh()
        else:
            self.refresh()

    def refresh(self) -> None:
        try:
            df = self.function(place=self.viewer.place.id, store=self.store)
        except Exception as exc:  # noqa: BLE001  (a library's "nothing yet" is not a crash)
            self.table.value = f"<p>{escape(exc)}</p>"
            return
        self.table.value = table_html(df, self.spec.title)


# The screens with controls of their own: a name, the module under lpgp.ui, the class.
RICH = {
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


def _rich(name: str, viewer, store) -> Screen | None:  # noqa: ANN001
    """The screen with controls of its own for ``name``, if it has one."""
    import importlib

    if name not in RICH:
        return None
    module, cls = RICH[name]
    try:
        found = importlib.import_module(f"{__package__}.{module}")
    except ModuleNotFoundError:  # TODO(lead): remove once every delivery screen exists
        return None
    return getattr(found, cls)(viewer, store)


def screen_for(name: str, viewer, store=None) -> Screen:  # noqa: ANN001
    """The screen called ``name`` (a notebook's stem), e.g. ``screen_for("actions", viewer)``."""
    return _rich(name, viewer, store) or TableScreen(viewer, SPECS[name], store)
