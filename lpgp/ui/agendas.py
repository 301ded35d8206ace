"""Board agendas: each meeting's items, the split of time, and the 80% warning."""

from __future__ import annotations

import ipywidgets as widgets

from .. import delivery
from .screen import Screen, escape, table_html


class AgendaScreen(Screen):
    """Pick a meeting; see its agenda, how time splits, and a warning below 80%."""

    title = "Board agendas"

    def __init__(self, viewer, store=None) -> None:  # noqa: ANN001
        super().__init__(viewer, store)
        meetings = delivery.meetings(place=viewer.place.id, store=self.store)
        self.picker = self.control(
            widgets.Dropdown(
                options=[
                    (f"{m.title} ({m.starts_local})", int(m.id)) for m in meetings.itertuples()
                ],
                description="Meeting",
            )
        )
        self.picker.layout.width = "auto"
        self.agenda = widgets.HTML()
        self.picker.observe(lambda change: self.reset(), names="value")
        if meetings.empty:
            self.body.children = [widgets.HTML("<p>No meetings yet.</p>")]
            return
        self.body.children = [self.picker, self.agenda]
        self.refresh()

    def refresh(self) -> None:
        if self.picker.value is None:
            return
        df = delivery.agenda(self.picker.value, place=self.viewer.place.id, store=self.store)
        warning = df.attrs.get("warning")
        split = df.attrs.get("split")
        parts = []
        if warning:
            parts.append(
                f'<div class="lpgp-warning" role="alert"><strong>Below 80%.</strong> '
                f"{escape(warning)}</div>"
            )
        else:
            parts.append(
                '<p class="lpgp-status lpgp-status--ok">At least 80% of the time goes '
                "to innovation, change and improvement.</p>"
            )
        if isinstance(split, str):
            parts.append(f'<pre aria-hidden="true">{escape(split)}</pre>')
        shown = df[["position", "starts", "title", "minutes", "kind", "presenter"]].copy()
        shown["starts"] = shown["starts"].dt.strftime("%H:%M")
        parts.append(table_html(shown, "Agenda"))
        self.agenda.value = "".join(parts)
