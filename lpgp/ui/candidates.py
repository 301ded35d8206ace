"""Candidate priorities (step 2): the board's candidates for people, and a form to draft,
edit or withdraw one, with the drafting advice beside it, updated as the chair types."""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd
from sqlalchemy.orm import Session

from lpgp.access.signin import Visitor
from lpgp.cycle.board.person import list_board
from lpgp.cycle.board.place import get_cycle
from lpgp.cycle.candidates.candidate import (
    add_candidate,
    get_candidate,
    list_candidates,
    update_candidate,
    withdraw_candidate,
)
from lpgp.cycle.candidates.candidate_rules import (
    QUALITY_WORDS,
    Candidate,
    CandidateInput,
    CandidateState,
    headline,
)
from lpgp.cycle.candidates.drafting import Quality, drafting_warnings
from lpgp.errors import InvalidInput
from lpgp.store import Store
from lpgp.ui.format import EMPTY, Html, people_table, words
from lpgp.ui.screen import Screen, escape

NEW = 0  # the "Candidate to edit" choice that drafts a new one


def _text(label: str) -> widgets.Text:
    box = widgets.Text(description=label, continuous_update=True)
    box.layout.width = "100%"
    box.style.description_width = "initial"
    return box


def _area(label: str) -> widgets.Textarea:
    box = widgets.Textarea(description=label, rows=3, continuous_update=True)
    box.layout.width = "100%"
    box.style.description_width = "initial"
    return box


def _qualities(c: Candidate) -> str:
    return "; ".join(QUALITY_WORDS[q] for q in c.qualities) or "None claimed"


def _advice_cell(c: Candidate) -> Html:
    found = c.warnings()
    if not found:
        return Html("No advice")
    return Html("<ul>" + "".join(f"<li>{escape(headline(w))}</li>" for w in found) + "</ul>")


def _same(value: object) -> object:
    """A cell that is already HTML (:class:`Html`), as it is."""
    return value


def _show(display: bool, *items: widgets.Widget) -> None:
    for item in items:
        item.layout.display = "" if display else "none"


class CandidatesScreen(Screen):
    """The cycle's candidates and a form to add, edit or withdraw one, with live advice."""

    title = "Candidate priorities"
    styles = ("lpgp-decide",)
    outcomes_under_buttons = True

    def __init__(self, viewer: Visitor, store: Store | None = None) -> None:
        super().__init__(viewer, store)
        self.cycle_line = widgets.HTML()
        self.table = widgets.HTML()
        self.picker = self.control(widgets.Dropdown(description="Candidate to edit"))
        self.picker.style.description_width = "initial"
        self.picker.layout.width = "100%"
        self.title_box = self.control(_text("Title"))
        self.description = self.control(_area("Description"))
        self.ask = self.control(_area("Ask of the system"))
        self.actions = self.control(_area("Practical actions"))
        self.proposer = self.control(
            widgets.Combobox(description="Proposed by", ensure_option=False)
        )
        self.proposer.layout.width = "100%"
        self.proposer.style.description_width = "initial"
        self.quality_boxes = {
            q: self.control(widgets.Checkbox(description=q.label, indent=False)) for q in Quality
        }
        for box in self.quality_boxes.values():
            box.layout.width = "100%"
        self.advice = widgets.HTML()
        self.add = self.control(widgets.Button(description="Add candidate", button_style="primary"))
        self.save = self.control(widgets.Button(description="Save changes", button_style="primary"))
        self.withdraw = self.control(
            widgets.Button(description="Withdraw candidate", button_style="danger")
        )
        self.clear = self.control(widgets.Button(description="Start a new candidate"))
        self.add.on_click(lambda b: self.run(b, self._add))
        self.save.on_click(lambda b: self.run(b, self._save))
        self.withdraw.on_click(lambda b: self.run(b, self._withdraw))
        self.clear.on_click(lambda b: self._pick(NEW))
        self.picker.observe(lambda change: self._load(change["new"]), names="value")
        typed = (self.title_box, self.description, self.ask, self.actions)
        for box in (*typed, *self.quality_boxes.values()):
            box.observe(lambda change: self._advise(), names="value")
        form = widgets.VBox(
            [
                self.picker,
                self.title_box,
                self.description,
                self.ask,
                self.actions,
                self.proposer,
                widgets.HTML(
                    '<p class="lpgp-cand-legend" id="lpgp-qualities">Qualities it claims</p>'
                ),
                *self.quality_boxes.values(),
                widgets.HBox([self.add, self.save, self.withdraw, self.clear]),
                self.status,
            ]
        )
        form.add_class("lpgp-cand-form")
        aside = widgets.VBox([self.advice])
        aside.add_class("lpgp-cand-advice")
        columns = widgets.HBox([form, aside])
        columns.add_class("lpgp-cand-columns")
        self.body.children = [
            self.cycle_line,
            widgets.HTML("<h2>Draft or edit a candidate</h2>"),
            columns,
            widgets.HTML("<h2>Candidates</h2>"),
            self.table,
        ]
        self.refresh()
        self._pick(NEW)

    # --- reading ---------------------------------------------------------------------------

    def refresh(self) -> None:
        with self.store.read() as session:
            place = self.viewer.place
            cycle = get_cycle(session, place)
            items = list_candidates(session, place, cycle)
            board = [m.name for m in list_board(session, place)]
        self.cycle_line.value = (
            f"<p>Cycle: <strong>{escape(cycle.name)}</strong>. Draft the board's candidates; "
            "the advice beside the form says how each reads against the four qualities of a "
            "good priority.</p>"
        )
        rows = pd.DataFrame(
            [
                {
                    "title": c.title,
                    "state": words(c.state),
                    "proposed_by": c.proposed_by or EMPTY,
                    "qualities": _qualities(c),
                    "advice": _advice_cell(c),
                }
                for c in items
            ],
            columns=["title", "state", "proposed_by", "qualities", "advice"],
        )
        self.table.value = people_table(
            rows,
            {
                "title": "Candidate",
                "state": "Status",
                "proposed_by": "Proposed by",
                "qualities": "Qualities it claims",
                "advice": "Drafting advice",
            },
            {"advice": _same},
            caption="Candidates",
            empty="No candidates drafted yet.",
        )
        self.proposer.options = tuple(board)
        drafts = [(c.title, c.id) for c in items if c.state == CandidateState.DRAFT]
        options = [("New candidate", NEW), *drafts]
        if list(self.picker.options) != options:
            keep = self.picker.value if self.picker.value in dict(drafts).values() else NEW
            self.picker.options = options
            self.picker.value = keep

    def _pick(self, value: int) -> None:
        if self.picker.value == value:
            self._load(value)
        else:
            self.picker.value = value

    def _load(self, candidate_id: int | None) -> None:
        """Fill the form from the chosen draft, or empty it for a new candidate."""
        editing = bool(candidate_id)
        if candidate_id:
            with self.store.read() as session:
                found = get_candidate(session, self.viewer.place, candidate_id)
            values = (found.title, found.description, found.ask, found.actions)
            claimed, proposer = set(found.qualities), found.proposed_by
        else:
            values, claimed, proposer = ("", "", "", ""), set(), ""
        for box, value in zip(
            (self.title_box, self.description, self.ask, self.actions), values, strict=True
        ):
            box.value = value
        self.proposer.value = proposer
        for quality, box in self.quality_boxes.items():
            box.value = quality in claimed
        _show(not editing, self.add)
        _show(editing, self.save, self.withdraw, self.clear)
        self._advise()

    def _claimed(self) -> list[str]:
        return [q.value for q, box in self.quality_boxes.items() if box.value]

    def _advise(self) -> None:
        """The drafting advice for what is in the form now, as sentences."""
        if not any(b.value.strip() for b in (self.title_box, self.description, self.ask)):
            self.advice.value = (
                '<div class="lpgp-cand-advice__box" role="status" aria-live="polite">'
                "<h3>Drafting advice</h3><p>Start typing: advice on the wording appears "
                "here.</p></div>"
            )
            return
        found = drafting_warnings(
            self.title_box.value,
            self.description.value,
            self.ask.value,
            self.actions.value,
            qualities=self._claimed(),
        )
        if found:
            items = "".join(f"<li>{escape(w.message)}</li>" for w in found)
            inner = f"<ul>{items}</ul>"
            css = "lpgp-cand-advice__box lpgp-cand-advice__box--warn"
        else:
            inner = "<p>No advice: it reads as a priority the system can act on.</p>"
            css = "lpgp-cand-advice__box lpgp-cand-advice__box--ok"
        self.advice.value = (
            f'<div class="{css}" role="status" aria-live="polite">'
            f"<h3>Drafting advice</h3>{inner}</div>"
        )

    # --- actions ---------------------------------------------------------------------------

    def _item(self) -> CandidateInput:
        return CandidateInput.of(
            self.title_box.value,
            self.description.value,
            self.ask.value,
            self.actions.value,
            self._claimed(),
            proposed_by=self.proposer.value,
        )

    def _add(self) -> str:
        item = self._item()

        def work(session: Session) -> Candidate:
            cycle = get_cycle(session, self.viewer.place)
            return add_candidate(session, self.viewer.place, cycle, item, actor=self.viewer.actor)

        made = self.store.write(work)
        self.refresh()
        self._pick(NEW)
        return f"Added candidate '{made.title}'."

    def _chosen(self) -> int:
        if not self.picker.value:
            raise InvalidInput("candidate to edit: choose a draft first")
        return int(self.picker.value)

    def _save(self) -> str:
        chosen, item = self._chosen(), self._item()
        made = self.store.write(
            lambda s: update_candidate(s, self.viewer.place, chosen, item, actor=self.viewer.actor)
        )
        self.refresh()
        self._pick(made.id)
        return f"Saved changes to candidate '{made.title}'."

    def _withdraw(self) -> str:
        chosen = self._chosen()
        gone = self.store.write(
            lambda s: withdraw_candidate(s, self.viewer.place, chosen, actor=self.viewer.actor)
        )
        self.refresh()
        self._pick(NEW)
        return f"Withdrew candidate '{gone.title}': it is not taken forward."
