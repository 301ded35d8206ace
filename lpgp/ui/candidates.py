"""Candidate priorities: the drafts so far, and a drafting form whose advice updates as the
facilitator types (e.g. when a candidate reads like a plain request for more resources)."""

from __future__ import annotations

import ipywidgets as widgets

from .. import api_shortlist
from ..candidate import CandidateInput, add_candidate
from ..drafting import Quality, drafting_warnings
from ..place import get_cycle
from .screen import Screen, escape, table_html


def _area(label: str) -> widgets.Textarea:
    box = widgets.Textarea(description=label, placeholder="", rows=3)
    box.layout.width = "100%"
    box.style.description_width = "10em"
    return box


class CandidatesScreen(Screen):
    """The cycle's candidates and a form to draft a new one, with live drafting advice."""

    title = "Candidate priorities"

    def __init__(self, viewer, store=None) -> None:  # noqa: ANN001
        super().__init__(viewer, store)
        self.table = widgets.HTML()
        self.title_box = self.control(widgets.Text(description="Title"))
        self.title_box.layout.width = "100%"
        self.title_box.style.description_width = "10em"
        self.description = self.control(_area("Description"))
        self.ask = self.control(_area("Ask of the system"))
        self.actions = self.control(_area("Practical actions"))
        self.qualities = self.control(
            widgets.SelectMultiple(
                options=[(q.label, q.value) for q in Quality], description="Qualities", rows=4
            )
        )
        self.qualities.layout.width = "100%"
        self.qualities.style.description_width = "10em"
        self.advice = widgets.HTML()
        self.add = self.control(widgets.Button(description="Add candidate", button_style="primary"))
        self.add.on_click(lambda b: self.run(b, self._add))
        for box in (self.title_box, self.description, self.ask, self.actions, self.qualities):
            box.observe(lambda change: self._advise(), names="value")
        self.body.children = [
            self.table,
            widgets.HTML("<h2>Draft a candidate</h2>"),
            self.title_box,
            self.description,
            self.ask,
            self.actions,
            self.qualities,
            self.advice,
            self.add,
        ]
        self.refresh()

    def refresh(self) -> None:
        df = api_shortlist.candidates(place=self.viewer.place.id, store=self.store)
        cols = [c for c in ("id", "title", "state", "ask", "warnings") if c in df.columns]
        self.table.value = table_html(df[cols], "Candidates", "No candidates drafted yet.")

    def _advise(self) -> None:
        if not self.title_box.value.strip():
            self.advice.value = ""
            return
        found = drafting_warnings(
            self.title_box.value,
            self.description.value,
            self.ask.value,
            self.actions.value,
            qualities=list(self.qualities.value),
        )
        if not found:
            self.advice.value = '<p class="lpgp-status lpgp-status--ok">No drafting advice.</p>'
            return
        items = "".join(f"<li>{escape(w.message)}</li>" for w in found)
        self.advice.value = (
            f'<div class="lpgp-warning"><strong>Advice</strong><ul>{items}</ul></div>'
        )

    def _add(self) -> str:
        item = CandidateInput.of(
            self.title_box.value,
            self.description.value,
            self.ask.value,
            self.actions.value,
            self.qualities.value,
        )

        def work(session) -> str:  # noqa: ANN001
            cycle = get_cycle(session, self.viewer.place)
            return add_candidate(
                session, self.viewer.place, cycle, item, actor=self.viewer.actor
            ).title

        title = self.store.write(work)
        for box in (self.title_box, self.description, self.ask, self.actions):
            box.value = ""
        self.qualities.value = ()
        return f"Added '{title}'."
