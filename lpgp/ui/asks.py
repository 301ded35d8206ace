"""Asks of the system (step 6): each agreed priority's ask of the place-based partnership
board, where it stands in words, a form to record what that board did with it, and each ask's
log (append-only).

The screen follows the cycle being delivered unless the chair picks an earlier one."""

from __future__ import annotations

from datetime import date

import ipywidgets as widgets
import pandas as pd

from lpgp import clock
from lpgp.access.signin import Visitor
from lpgp.cycle.agendas.ask import ask_log, ask_progress, log_ask
from lpgp.cycle.agendas.ask_rules import AskEvent, AskProgress, Outcome, check_entry_date
from lpgp.cycle.agendas.meeting import list_meetings
from lpgp.cycle.agendas.meeting_rules import Board, Meeting
from lpgp.cycle.board.place import get_cycle
from lpgp.errors import InvalidInput
from lpgp.store import Store
from lpgp.ui.delivering import CyclePicker
from lpgp.ui.format import EMPTY, actor, day, people_table
from lpgp.ui.screen import Screen, escape
from lpgp.ui.setup_parts import Spots, show, wide

NONE = 0  # a "Choose …" placeholder, or "Not at a meeting"

# What the place-based board did, as the chair would say it.
OUTCOME_WORDS = {
    Outcome.RAISED: "Raised: the ask was put to the board",
    Outcome.AGREED: "Agreed: the board said yes",
    Outcome.DECLINED: "Declined: the board said no",
    Outcome.DEFERRED: "Deferred: the board put it off",
}
PAST = {
    Outcome.RAISED: "raised",
    Outcome.AGREED: "agreed",
    Outcome.DECLINED: "declined",
    Outcome.DEFERRED: "deferred",
}


def times(n: int) -> str:
    """How often, in words.

    >>> times(1), times(2), times(5)
    ('once', 'twice', '5 times')
    """
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def ago(days: int) -> str:
    """How long ago, in words.

    >>> ago(0), ago(1), ago(21)
    ('today', 'yesterday', '21 days ago')
    """
    return {0: "today", 1: "yesterday"}.get(days, f"{days} days ago")


def progress_words(p: AskProgress) -> str:
    """Where an ask stands with the place-based board, in a sentence or two.

    >>> from lpgp.cycle.agendas.ask_rules import AskProgress, Outcome
    >>> print(progress_words(AskProgress(1, 1, "Hub", "Fund it", "Dr A", 1, 1, 0, 0,
    ...                                  Outcome.AGREED, date(2026, 11, 16), 21)))
    Agreed on Mon 16 Nov 2026 (21 days ago). So far: raised once, agreed once.
    >>> print(progress_words(AskProgress(2, 2, "Visits", "Run it", "Dr B", 0, 0, 0, 0,
    ...                                  None, None, None)))
    Not yet taken to the place-based board.
    """
    if p.latest is None or p.last_progress is None:
        return "Not yet taken to the place-based board."
    counts = [
        (Outcome.RAISED, p.made),
        (Outcome.AGREED, p.agreed),
        (Outcome.DECLINED, p.declined),
        (Outcome.DEFERRED, p.deferred),
    ]
    so_far = ", ".join(f"{PAST[o]} {times(n)}" for o, n in counts if n)
    latest = PAST[p.latest].capitalize()
    since = f" ({ago(p.days_since_progress)})" if p.days_since_progress is not None else ""
    return f"{latest} on {day(p.last_progress)}{since}. So far: {so_far}."


def meeting_label(m: Meeting) -> str:
    """A meeting as the drop-down names it: its title and London date."""
    return f"{m.title}, {day(m.starts_local.date())}"


class AsksScreen(Screen):
    """Each priority's ask and where it stands; a form to record what the place-based board
    did with one; each ask's log."""

    title = "Asks of the system"
    styles = ("lpgp-decide", "lpgp-vote", "lpgp-setup")
    outcomes_under_buttons = True

    def __init__(self, viewer: Visitor, store: Store | None = None) -> None:
        super().__init__(viewer, store)
        self.progress: list[AskProgress] = []
        self.events: list[AskEvent] = []
        self.meetings: list[Meeting] = []
        self.spots = Spots(self, "log")
        self.cycle_picker = CyclePicker(viewer, self.store, self._cycle_changed)
        wide(self.cycle_picker.dropdown)
        self.lead = widgets.HTML()
        self.standing = widgets.HTML()
        self.priority = self.control(wide(widgets.Dropdown(description="Priority")))
        self.outcome = self.control(
            wide(
                widgets.Dropdown(
                    description="What the board did",
                    options=[("Choose what the board did", "")]
                    + [(OUTCOME_WORDS[o], o.value) for o in Outcome],
                    value="",
                )
            )
        )
        self.meeting = self.control(wide(widgets.Dropdown(description="Meeting")))
        self.meeting.observe(lambda change: self._meeting_chosen(), names="value")
        self.when = self.control(widgets.DatePicker(description="Date"))
        self.when.style.description_width = "initial"
        self.note = self.control(wide(widgets.Textarea(description="Note (optional)", rows=2)))
        self.record = self.spots.button("Record in the log", "log", self._record, "primary")
        self.logs = widgets.HTML()
        self.none_yet = widgets.HTML()
        self.working = widgets.VBox(
            [
                widgets.HTML("<h2>Where each ask stands</h2>"),
                self.standing,
                widgets.HTML(
                    "<h2>Record what the place-based board did</h2><p>Each entry is added "
                    "to the ask's log; earlier entries are kept as they were.</p>"
                ),
                self.priority,
                self.outcome,
                self.meeting,
                widgets.HBox([self.when]),
                self.note,
                self.record,
                self.spots["log"],
                widgets.HTML("<h2>Each ask's log</h2>"),
                self.logs,
            ]
        )
        self.body.children = [self.cycle_picker, self.lead, self.none_yet, self.working]
        self.refresh()
        self._clear()

    # --- reading ----------------------------------------------------------------------------

    @property
    def cycle(self) -> int | None:
        return self.cycle_picker.cycle

    def _cycle_changed(self) -> None:
        self.say("")
        self._read()

    def refresh(self) -> None:
        self.cycle_picker.reload()
        self._read()

    def _read(self) -> None:
        place, cycle = self.viewer.place, self.cycle
        with self.store.read() as s:
            if cycle is None:
                self.progress, self.events, self.meetings, name = [], [], [], ""
            else:
                self.progress = ask_progress(s, place, cycle)
                self.events = ask_log(s, place, cycle)
                self.meetings = list_meetings(s, place, cycle, board=Board.PLACE_BASED)
                name = get_cycle(s, place, cycle).name
        has_list = bool(self.progress)
        show(not has_list, self.none_yet)
        show(has_list, self.working)
        self.none_yet.value = (
            ""
            if has_list
            else "<p>There is no agreed list to deliver yet: each priority's ask appears "
            "here once the list is confirmed on the Agreed list screen.</p>"
        )
        self.lead.value = (
            f"<p>Cycle: <strong>{escape(name)}</strong>. What the place-based partnership "
            "board has done with each of the board's asks.</p>"
            if has_list
            else ""
        )
        self._show_standing()
        self._show_logs()
        self._choices()

    def _met(self) -> list[Meeting]:
        """The cycle's place-based board meetings that have taken place (today's included, a
        cancelled one not)."""
        today = clock.today()
        return [m for m in self.meetings if m.starts_local.date() <= today and not m.cancelled]

    def _choices(self) -> None:
        labels = [(f"{p.position}. {p.title}", p.priority_id) for p in self.progress]
        options = [("Choose a priority", NONE)] + labels
        if list(self.priority.options) != options:
            keep = self.priority.value if self.priority.value in dict(labels).values() else NONE
            self.priority.options = options
            self.priority.value = keep
        meetings = [("Not at a meeting", NONE)] + [(meeting_label(m), m.id) for m in self._met()]
        if list(self.meeting.options) != meetings:
            keep = self.meeting.value if self.meeting.value in dict(meetings).values() else NONE
            self.meeting.options = meetings
            self.meeting.value = keep

    def _show_standing(self) -> None:
        rows = pd.DataFrame(
            [
                {
                    "priority": f"{p.position}. {p.title}",
                    "ask": p.ask,
                    "lead": p.lead,
                    "stands": progress_words(p),
                }
                for p in self.progress
            ],
            columns=["priority", "ask", "lead", "stands"],
        )
        self.standing.value = people_table(
            rows,
            {
                "priority": "Priority",
                "ask": "Ask of the system",
                "lead": "Lead",
                "stands": "Where it stands",
            },
            caption="Where each ask stands",
            empty="No asks yet.",
        )

    def _show_logs(self) -> None:
        parts = []
        for p in self.progress:
            mine = [e for e in self.events if e.priority_id == p.priority_id]
            rows = pd.DataFrame(
                [
                    {
                        "on": day(e.on),
                        "outcome": PAST[e.outcome].capitalize(),
                        "meeting": e.meeting or "Not at a meeting",
                        "note": e.note or EMPTY,
                        "by": actor(e.recorded_by),
                    }
                    for e in mine
                ],
                columns=["on", "outcome", "meeting", "note", "by"],
            )
            heading = f"{p.position}. {p.title}"
            parts.append(
                f"<h3>{escape(heading)}</h3>"
                + people_table(
                    rows,
                    {
                        "on": "Date",
                        "outcome": "What the board did",
                        "meeting": "Meeting",
                        "note": "Note",
                        "by": "Recorded by",
                    },
                    caption=f"Log of the ask for priority {heading}",
                    empty="Nothing recorded yet.",
                )
            )
        self.logs.value = "".join(parts)

    def _meeting_chosen(self) -> None:
        """A meeting chosen dates the entry on the meeting's day."""
        found = next((m for m in self.meetings if m.id == self.meeting.value), None)
        if found is not None:
            self.when.value = found.starts_local.date()

    def _clear(self) -> None:
        self.priority.value = NONE
        self.outcome.value = ""
        self.meeting.value = NONE
        self.when.value = clock.today()
        self.note.value = ""

    # --- actions ----------------------------------------------------------------------------

    def _record(self) -> str:
        if not self.priority.value:
            raise InvalidInput("priority: choose the priority whose ask this is")
        if not self.outcome.value:
            raise InvalidInput("what the board did: choose raised, agreed, declined or deferred")
        meeting = next((m for m in self.meetings if m.id == self.meeting.value), None)
        on: date = check_entry_date(
            self.when.value,
            clock.today(),
            (meeting.title, meeting.starts_local.date()) if meeting else None,
        )
        place, who, cycle = self.viewer.place, self.viewer.actor, self.cycle
        priority, outcome = int(self.priority.value), Outcome(self.outcome.value)
        note = self.note.value.strip() or None
        event = self.store.write(
            lambda s: log_ask(
                s,
                place,
                priority,
                outcome,
                on=on,
                meeting_id=meeting.id if meeting else None,
                note=note,
                cycle=cycle,
                actor=who,
            )
        )
        title = next((p.title for p in self.progress if p.priority_id == priority), "")
        self._clear()
        where = f" at {event.meeting}" if event.meeting else ""
        return (
            f"Recorded: the ask of '{title}' was {PAST[event.outcome]}{where} on {day(event.on)}."
        )
