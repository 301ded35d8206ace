"""The agreed list (step 5): confirm the list from the closed vote's result, edit a confirmed
priority, and carry an earlier list's unfinished actions over to the list being delivered.

The form starts from the result: the winners in order, by title and ask, each linked to the
candidate it came from. The board adds a lead, why now and a measure; putting the winners in
another order, or leaving one off, is a departure from the result and needs a reason.
"""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets
import pandas as pd

from lpgp.access.signin import Visitor
from lpgp.cycle.actions import carry_over as carrying
from lpgp.cycle.agreed.priority import (
    confirm_list,
    draft_from_result,
    edit_priority,
    get_list,
    list_priorities,
)
from lpgp.cycle.agreed.priority_rules import AgreedList, PriorityInput, ResultDraft, departure
from lpgp.cycle.board.person import list_board
from lpgp.cycle.board.place import get_cycle
from lpgp.cycle.vote import vote as votes
from lpgp.cycle.vote import vote_rules
from lpgp.errors import InvalidInput, NotFound
from lpgp.model import Cycle
from lpgp.store import Store
from lpgp.ui.delivering import CyclePicker
from lpgp.ui.format import actor as actor_name
from lpgp.ui.format import day, people_table, when, words
from lpgp.ui.screen import Screen, escape
from lpgp.ui.setup_parts import Spots, show, wide

LEAVE_OFF = 0  # the "Place on the list" choice that leaves a winner off
NO_LEAD = ""


def _area(label: str) -> widgets.Textarea:
    return wide(widgets.Textarea(description=label, rows=2))


@dataclass
class WinnerForm:
    """The fields of one winner in the confirmation form."""

    title: widgets.Text
    lead: widgets.Dropdown
    ask: widgets.Textarea
    why_now: widgets.Textarea
    measure: widgets.Textarea
    place: widgets.Dropdown
    candidate_id: int | None


def ordered(places: list[int]) -> list[int]:
    """The winners' indexes in the order the chair placed them, leaving out those left off;
    refuses two winners in one place (pure).

    >>> ordered([2, 1, 0])
    [1, 0]
    >>> ordered([1, 1])
    Traceback (most recent call last):
    ...
    lpgp.errors.InvalidInput: place on the list: winners 1 and 2 are both in place 1
    >>> ordered([0, 0])
    Traceback (most recent call last):
    ...
    lpgp.errors.InvalidInput: place on the list: keep at least one winner on the list
    """
    seen: dict[int, int] = {}
    for index, place in enumerate(places):
        if place == LEAVE_OFF:
            continue
        if place in seen:
            raise InvalidInput(
                f"place on the list: winners {seen[place] + 1} and {index + 1} are both in "
                f"place {place}"
            )
        seen[place] = index
    if not seen:
        raise InvalidInput("place on the list: keep at least one winner on the list")
    return [seen[p] for p in sorted(seen)]


class AgreedScreen(Screen):
    """The list being delivered (or an earlier one), a form to confirm the current cycle's list
    from its vote, editing a confirmed priority, and carrying unfinished actions over."""

    title = "Agreed list"
    styles = ("lpgp-decide", "lpgp-setup", "lpgp-agreed")
    outcomes_under_buttons = True

    def __init__(self, viewer: Visitor, store: Store | None = None) -> None:
        super().__init__(viewer, store)
        self.spots = Spots(self, "confirm", "edit", "carry")
        self.picker = CyclePicker(viewer, self.store, self.reset)
        self.listing = widgets.HTML()

        # Confirm the current cycle's list from its vote.
        self.confirm_lead = widgets.HTML()
        self.vote = self.control(wide(widgets.Dropdown(description="Closed vote")))
        self.vote.observe(lambda change: self._draft(), names="value")
        self.winners = widgets.VBox()
        self.reason = self.control(_area("Reason for departing from the result"))
        self.departure = widgets.HTML()
        self.confirm = self.spots.button("Confirm the list", "confirm", self._confirm, "primary")
        self.add_row = self.spots.button(
            "Add a priority the board drew up", "confirm", self._add_row
        )
        self.confirm_form = widgets.VBox(
            [
                self.vote,
                self.winners,
                self.add_row,
                self.departure,
                self.reason,
                widgets.HBox([self.confirm]),
            ]
        )
        self.confirm_box = widgets.VBox(
            [
                widgets.HTML("<h2>Confirm the list</h2>"),
                self.confirm_lead,
                self.confirm_form,
                self.spots["confirm"],
            ]
        )
        self.draft: ResultDraft | None = None
        self.forms: list[WinnerForm] = []
        self.boxes: list[widgets.VBox] = []

        # Edit a confirmed priority.
        self.edit_pick = self.control(wide(widgets.Dropdown(description="Priority to edit")))
        self.edit_pick.observe(lambda change: self._load_edit(), names="value")
        self.edit_title = self.control(wide(widgets.Text(description="Title")))
        self.edit_lead = self.control(wide(widgets.Dropdown(description="Lead")))
        self.edit_ask = self.control(_area("Ask of the system"))
        self.edit_why = self.control(_area("Why now"))
        self.edit_measure = self.control(_area("Measure of success"))
        self.save = self.spots.button("Save changes", "edit", self._save, "primary")
        self.edit_box = widgets.VBox(
            [
                widgets.HTML(
                    "<h2>Edit a priority</h2><p>Change the wording or the lead of a confirmed "
                    "priority; its place on the list stays as confirmed, and the change is "
                    "recorded with who made it.</p>"
                ),
                self.edit_pick,
                self.edit_title,
                self.edit_lead,
                self.edit_ask,
                self.edit_why,
                self.edit_measure,
                self.save,
                self.spots["edit"],
            ]
        )

        # Carry unfinished actions over.
        self.carry_lead = widgets.HTML()
        self.carry_all = self.control(
            widgets.Checkbox(description="Choose every action", indent=False)
        )
        self.carry_all.observe(lambda change: self._choose_all(change["new"]), names="value")
        self.carry_choices = widgets.VBox()
        self.carry_to = self.control(wide(widgets.Dropdown(description="Carry over to")))
        self.carry = self.spots.button(
            "Carry over the chosen actions", "carry", self._carry, "primary"
        )
        self.carry_boxes: dict[int, widgets.Checkbox] = {}
        self.carry_box = widgets.VBox(
            [
                widgets.HTML("<h2>Unfinished actions of earlier lists</h2>"),
                self.carry_lead,
                self.carry_all,
                self.carry_choices,
                self.carry_to,
                self.carry,
                self.spots["carry"],
            ]
        )
        self.body.children = [
            self.picker,
            self.listing,
            self.confirm_box,
            self.edit_box,
            self.carry_box,
        ]
        self.refresh()

    # --- reading ---------------------------------------------------------------------------

    def refresh(self) -> None:
        place = self.viewer.place
        self.picker.reload()
        with self.store.read() as s:
            try:
                current: Cycle | None = get_cycle(s, place)
            except NotFound:
                current = None
            try:
                shown: AgreedList | None = get_list(s, place, self.picker.cycle)
            except NotFound:
                shown = None
            current_has_list = current is not None and bool(list_priorities(s, place, current.id))
            cycle_votes = votes.list_votes(s, place, current) if current else []
            states = {v.id: votes.state(s, v) for v in cycle_votes}
            board = [m.name for m in list_board(s, place)]
            left = carrying.unfinished(s, place) if shown else []
            delivering = (
                list_priorities(s, place) if shown is not None and left else []
            )  # the list being delivered, to carry actions to
        self.board = board
        self._show_list(shown)
        self._show_confirm(current, current_has_list, cycle_votes, states)
        self._show_edit(shown)
        self._show_carry(left, delivering)

    def _show_list(self, shown: AgreedList | None) -> None:
        if shown is None:
            self.listing.value = (
                "<p>No list has been confirmed yet: confirm the first one below, from the "
                "closed vote's result.</p>"
            )
            return
        rows = pd.DataFrame(
            [
                {
                    "position": p.position,
                    "title": p.title,
                    "lead": p.lead,
                    "ask": p.ask,
                    "why_now": p.why_now,
                    "measure": p.measure,
                    "source": "Vote winner" if p.candidate_id is not None else "Added by the board",
                }
                for p in shown.priorities
            ]
        )
        source = "from the vote’s result " if shown.vote_id is not None else ""
        lead = (
            f"<p>The list for <strong>{escape(shown.cycle)}</strong>, confirmed {source}on "
            f"{escape(when(shown.confirmed_at))} by {escape(actor_name(shown.confirmed_by))}.</p>"
        )
        if shown.departure_reason:
            lead += (
                '<p class="lpgp-hint">It departs from the vote’s result because: '
                f"{escape(shown.departure_reason)}</p>"
            )
        self.listing.value = lead + people_table(
            rows,
            {
                "position": "No.",
                "title": "Priority",
                "lead": "Lead",
                "ask": "Ask of the system",
                "why_now": "Why now",
                "measure": "Measure of success",
                "source": "Came from",
            },
            {"position": lambda n: str(int(n))},
            caption="Agreed list",
        )

    def _show_confirm(
        self,
        current: Cycle | None,
        has_list: bool,
        cycle_votes: list[vote_rules.Vote],
        states: dict[int, vote_rules.VoteState],
    ) -> None:
        if current is None:
            self.confirm_lead.value = "<p>Start a cycle on the home screen first.</p>"
            show(False, self.confirm_form)
            return
        if has_list:
            self.confirm_lead.value = (
                f"<p>The list for <strong>{escape(current.name)}</strong> is confirmed. The "
                "next list is confirmed in the next cycle: start it on the home screen when "
                "the board begins deciding again.</p>"
            )
            show(False, self.confirm_form)
            return
        closed = [v for v in cycle_votes if states[v.id] == vote_rules.VoteState.CLOSED]
        still = [v for v in cycle_votes if states[v.id] != vote_rules.VoteState.CLOSED]
        if still:  # never a list while its vote is still to be counted
            self.confirm_lead.value = (
                f"<p>The list for <strong>{escape(current.name)}</strong> is confirmed from "
                f"its vote’s result once the vote has closed: “{escape(still[0].title)}” "
                f"closes on {escape(when(vote_rules.closing_time(still[0])))}.</p>"
            )
            show(False, self.confirm_form)
            return
        show(True, self.confirm_form)
        show(bool(closed), self.vote)
        if not closed:
            self.confirm_lead.value = (
                f"<p><strong>{escape(current.name)}</strong> has no practice vote. Set one up on "
                "the Practice vote screen, or confirm a list the board drew up itself: add its "
                "priorities below.</p>"
            )
            if self.draft is not None or (self.vote.options and not closed):
                self.draft, self.forms, self.boxes = None, [], []
                self.vote.options = []
            self._renumber()
            return
        self.confirm_lead.value = (
            f"<p>Confirm the list for <strong>{escape(current.name)}</strong>. The winners of "
            "the vote are filled in, in order; add each one’s lead, why now and measure of "
            "success. Putting them in another order, leaving one off or adding a priority the "
            "board drew up departs from the result and needs a reason.</p>"
        )
        options = [(v.title, v.id) for v in sorted(closed, key=lambda v: -v.id)]
        if list(self.vote.options) != options:
            self.vote.options = options
            self.vote.value = options[0][1]
        elif self.draft is None:
            self._draft()
        self._departure()

    def _draft(self) -> None:
        """Fill the form from the chosen vote's result."""
        if self.vote.value is None:
            return
        with self.store.read() as s:
            self.draft = draft_from_result(s, self.viewer.place, int(self.vote.value))
        self.forms, self.boxes = [], []
        count = len(self.draft.items)
        for number, item in enumerate(self.draft.items, start=1):
            self._row(f"winner {number}", f"Winner {number} of {count}: {item.title}", item)
        self.reason.value = ""
        self._renumber()

    def _row(self, name: str, heading: str, item: PriorityInput) -> None:
        """One priority's fields in the form, labelled "(winner 2)" or "(added 1)"."""
        leads = [("Choose a board member", NO_LEAD)] + [(n, n) for n in self.board]
        form = WinnerForm(
            title=self.control(wide(widgets.Text(description=f"Title ({name})", value=item.title))),
            lead=self.control(
                wide(widgets.Dropdown(description=f"Lead ({name})", options=leads, value=NO_LEAD))
            ),
            ask=self.control(_area(f"Ask of the system ({name})")),
            why_now=self.control(_area(f"Why now ({name})")),
            measure=self.control(_area(f"Measure of success ({name})")),
            place=self.control(
                widgets.Dropdown(
                    description=f"Place on the list ({name})",
                    options=[(str(len(self.forms) + 1), len(self.forms) + 1)],
                )
            ),
            candidate_id=item.candidate_id,
        )
        form.ask.value = item.ask
        form.place.style.description_width = "initial"
        form.place.observe(lambda change: self._departure(), names="value")
        box = widgets.VBox(
            [
                widgets.HTML(f"<h3>{escape(heading)}</h3>"),
                form.place,
                form.title,
                form.lead,
                form.ask,
                form.why_now,
                form.measure,
            ]
        )
        box.add_class("lpgp-agreed-winner")
        self.forms.append(form)
        self.boxes.append(box)

    def _renumber(self) -> None:
        """Offer every place on the list to every row, each keeping the place it had."""
        places = [(str(n), n) for n in range(1, len(self.forms) + 1)] + [("Leave off", LEAVE_OFF)]
        for number, form in enumerate(self.forms, start=1):
            keep = form.place.value if form.place.value in dict(places).values() else number
            form.place.options = places
            form.place.value = keep
        self.winners.children = tuple(self.boxes)
        self._departure()

    def _add_row(self) -> str:
        """Add a priority the board drew up itself (not from the vote) to the form."""
        added = sum(1 for f in self.forms if f.candidate_id is None) + 1
        self._row(
            f"added {added}",
            f"Added by the board {added}",
            PriorityInput("", "", "", "", "", None),
        )
        self._renumber()
        return f"Added a blank priority in place {len(self.forms)}: fill it in, then confirm."

    def _departure(self) -> None:
        """Say, as the chair changes places, whether the list departs from the result (by the
        library's rule: the list must be the result's first winners, in order)."""
        places = [f.place.value for f in self.forms]
        if not places:
            self.departure.value = ""
            return
        try:
            order = ordered(places)
        except InvalidInput as exc:
            self.departure.value = f'<p class="lpgp-hint" role="status">{escape(exc)}</p>'
            return
        result = self.draft.result_order if self.draft else ()
        if self.draft is None:
            how = None  # a list the board drew up itself: no result to depart from
        elif result:
            how = departure([self.forms[i].candidate_id for i in order], result)
        else:  # winners with no candidate behind them: compare places
            how = None if order == list(range(len(order))) else "the winners are reordered"
        self.departure.value = (
            '<p class="lpgp-hint" role="status">The list follows the vote’s result: no reason '
            "is needed.</p>"
            if how is None
            else '<p class="lpgp-warning" role="status"><strong>The list departs from the '
            f"vote’s result</strong> ({escape(how)}). Record the reason below.</p>"
        )

    def _show_edit(self, shown: AgreedList | None) -> None:
        show(shown is not None, self.edit_box)
        if shown is None:
            return
        options = [(f"{p.position}. {p.title}", p.id) for p in shown.priorities]
        self.edit_lead.options = [(name, name) for name in self.board]
        self._editable = {p.id: p for p in shown.priorities}
        keep = self.edit_pick.value if self.edit_pick.value in self._editable else None
        self.edit_pick.options = options
        self.edit_pick.value = keep or options[0][1]
        self._load_edit()

    def _load_edit(self) -> None:
        found = getattr(self, "_editable", {}).get(self.edit_pick.value)
        if found is None:
            return
        self.edit_title.value = found.title
        if found.lead in self.board:
            self.edit_lead.value = found.lead
        self.edit_ask.value = found.ask
        self.edit_why.value = found.why_now
        self.edit_measure.value = found.measure

    def _show_carry(self, left: list[carrying.Unfinished], delivering: list) -> None:
        open_ones = [u for u in left if u.carried_to is None]
        show(bool(left), self.carry_box)
        if not left:
            return
        self.carry_lead.value = (
            "<p>These actions of earlier lists were not done. They stay with their cycle; "
            "carry any of them over to a priority of the list being delivered, and the new "
            "action records where it came from.</p>"
        )
        boxes, self.carry_boxes = [], {}
        for u in left:
            a = u.action
            label = (
                f"{a.title} ({a.owner}; {words(a.status)}; due {day(a.due)}; "
                f"{u.cycle}: {a.priority})"
            )
            if u.carried_to is not None:
                boxes.append(
                    widgets.HTML(
                        f'<p class="lpgp-hint">{escape(label)}: carried over as action '
                        f"{u.carried_to}.</p>"
                    )
                )
                continue
            box = self.control(widgets.Checkbox(description=label, indent=False))
            box.layout.width = "100%"
            self.carry_boxes[a.id] = box
            boxes.append(box)
        self.carry_choices.children = boxes
        self.carry_to.options = [("Choose a priority", None)] + [
            (f"{p.position}. {p.title}", p.id) for p in delivering
        ]
        show(bool(open_ones), self.carry_all, self.carry_to, self.carry)

    def _choose_all(self, value: bool) -> None:
        for box in self.carry_boxes.values():
            box.value = value

    # --- actions ---------------------------------------------------------------------------

    def _confirm(self) -> str:
        if not self.forms:
            raise InvalidInput("priorities: add at least one priority to the list")
        order = ordered([f.place.value for f in self.forms])
        items = [
            PriorityInput(
                title=self.forms[i].title.value,
                ask=self.forms[i].ask.value,
                why_now=self.forms[i].why_now.value,
                measure=self.forms[i].measure.value,
                lead=self.forms[i].lead.value,
                candidate_id=self.forms[i].candidate_id,
            )
            for i in order
        ]
        for number, item in enumerate(items, start=1):
            if not item.lead:
                raise InvalidInput(f"lead of priority {number}: choose a member of the board")
        draft, place, actor = self.draft, self.viewer.place, self.viewer.actor
        agreed = self.store.write(
            lambda s: confirm_list(
                s,
                place,
                items,
                cycle=get_cycle(s, place).id,
                result_order=draft.result_order if draft else (),
                vote_id=draft.vote_id if draft else None,
                departure_reason=self.reason.value,
                actor=actor,
            )
        )
        self.draft, self.forms, self.boxes = None, [], []
        self.winners.children = ()
        self.picker.reload()
        n = len(agreed.priorities)
        return (
            f"Confirmed {n} priorit{'y' if n == 1 else 'ies'} for {agreed.cycle}: it is now "
            "the list being delivered."
        )

    def _save(self) -> str:
        chosen = self.edit_pick.value
        if chosen is None:
            raise InvalidInput("priority to edit: choose a priority first")
        found = self._editable[chosen]
        changes = {
            "title": self.edit_title.value,
            "lead": self.edit_lead.value,
            "ask": self.edit_ask.value,
            "why_now": self.edit_why.value,
            "measure": self.edit_measure.value,
        }
        place, actor = self.viewer.place, self.viewer.actor
        made = self.store.write(lambda s: edit_priority(s, place, found.id, actor=actor, **changes))
        return f"Saved changes to priority {made.position}, '{made.title}'."

    def _carry(self) -> str:
        chosen = [aid for aid, box in self.carry_boxes.items() if box.value]
        if not chosen:
            raise InvalidInput("actions to carry over: tick at least one action")
        if self.carry_to.value is None:
            raise InvalidInput("carry over to: choose a priority of the list being delivered")
        target, place, actor = int(self.carry_to.value), self.viewer.place, self.viewer.actor
        made = self.store.write(
            lambda s: carrying.carry_over(s, place, chosen, target, actor=actor)
        )
        self.carry_all.value = False
        n = len(made)
        return f"Carried {n} action{'s' if n != 1 else ''} over to '{made[0].priority}'."
