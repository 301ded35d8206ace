"""The shortlist: who has scored so far (live), and the board's aggregate."""

from __future__ import annotations

import ipywidgets as widgets

from .. import api_shortlist, scoring
from ..place import get_cycle
from .screen import Screen, escape, table_html


class ShortlistScreen(Screen):
    """Scoring progress and the aggregate, refreshed every few seconds."""

    title = "Shortlist"

    def __init__(self, viewer, store=None) -> None:  # noqa: ANN001
        super().__init__(viewer, store)
        self.progress = widgets.HTML()
        self.summary = widgets.HTML()
        self.body.children = [
            widgets.HTML("<h2>Scoring so far</h2>"),
            self.progress,
            widgets.HTML("<h2>The board's scores</h2>"),
            self.summary,
        ]
        self.keep_fresh()

    def refresh(self) -> None:
        with self.store.read() as session:
            place = self.viewer.place
            progress = scoring.scoring_progress(session, place, get_cycle(session, place))
        rows = "".join(
            f"<li>{escape(m.name)}: {escape(m.status)} ({m.marked} of {m.total})</li>"
            for m in progress.members
        )
        state = "Scoring is closed." if progress.locked else "Scoring is open."
        self.progress.value = (
            f'<p class="lpgp-status" role="status">{escape(progress.message().capitalize())}. '
            f"{state}</p><ul>{rows}</ul>"
        )
        df = api_shortlist.score_summary(place=self.viewer.place.id, store=self.store)
        self.summary.value = table_html(df, "The board's scores", "No scores yet.")
