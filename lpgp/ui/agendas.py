"""Board agendas (step 7): the meetings of both boards, a form to add, edit or cancel one, and
for the meeting picked its agenda: proposed from the priorities and actions, then changed
item by item, with the 80% split drawn as a bar and the advice on what to cut; then the
meeting's decisions and minutes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

import ipywidgets as widgets
import pandas as pd

from lpgp import clock
from lpgp.access.signin import Visitor
from lpgp.cycle.agendas.agenda_rules import (
    KIND_LABELS,
    AgendaItem,
    AgendaView,
    Draft,
    Kind,
    check_minutes,
    parse_system_items,
    review,
    split_html,
    time_split,
)
from lpgp.cycle.agendas.agenda_service import (
    add_item,
    drop_item,
    move_item,
    propose_agenda,
    retime_item,
    show_agenda,
)
from lpgp.cycle.agendas.meeting import (
    add_meeting,
    cancel_meeting,
    edit_meeting,
    list_meetings,
    record_decision,
    set_minutes,
)
from lpgp.cycle.agendas.meeting_rules import (
    BOARD_LABELS,
    MAX_MINUTES,
    Board,
    Meeting,
    MeetingInput,
    cancelled_words,
    check_duration,
)
from lpgp.cycle.agreed.priority import delivered_cycle, list_priorities
from lpgp.cycle.agreed.priority_rules import Priority
from lpgp.cycle.board.person import list_people
from lpgp.cycle.board.person_rules import is_active
from lpgp.errors import InvalidInput
from lpgp.model import Person
from lpgp.store import Store
from lpgp.ui.delivering import CyclePicker
from lpgp.ui.format import EMPTY, Html, day, people_table, when
from lpgp.ui.screen import Screen, escape
from lpgp.ui.setup_parts import Spots, show, wide
from lpgp.ui.vote import london_moment, shown_back

NEW = 0  # the "Meeting" choice that adds a meeting
NONE = 0  # "no presenter" / "no priority"


def whole_minutes(text: str, field_name: str) -> int:
    """Minutes typed in a box, as a whole number; refused naming the field.

    >>> whole_minutes(" 90 ", "meeting length in minutes")
    90
    >>> whole_minutes("1.5", "meeting length in minutes")
    Traceback (most recent call last):
    ...
    lpgp.errors.InvalidInput: meeting length in minutes: '1.5' is not a whole number of minutes
    """
    value = str(text or "").strip()
    if not value:
        raise InvalidInput(f"{field_name}: give a number of minutes")
    try:
        return int(value)
    except ValueError:
        raise InvalidInput(f"{field_name}: '{value}' is not a whole number of minutes") from None


def minutes_words(n: int) -> str:
    """Minutes in words.

    >>> minutes_words(1), minutes_words(90)
    ('1 minute', '90 minutes')
    """
    return f"{n} minute" if n == 1 else f"{n} minutes"


def meeting_state(meeting: Meeting, now: datetime) -> str:
    """Where a meeting stands, in a word or two.

    >>> from datetime import UTC
    >>> from lpgp.cycle.agendas.meeting_rules import Board
    >>> m = Meeting(1, 1, 1, Board.LEADERSHIP, "GP board",
    ...             datetime(2027, 5, 4, 13, tzinfo=UTC), 60, None, None)
    >>> [meeting_state(m, datetime(2027, 5, d, 13, 30, tzinfo=UTC)) for d in (3, 4, 5)]
    ['Coming', 'Under way', 'Held']
    """
    if meeting.cancelled:
        return "Cancelled"
    if meeting.ends_at <= now:
        return "Held"
    if meeting.starts_at <= now:
        return "Under way"
    return "Coming"


def option_label(meeting: Meeting) -> str:
    """How the meeting picker names a meeting.

    >>> from datetime import UTC
    >>> from lpgp.cycle.agendas.meeting_rules import Board
    >>> m = Meeting(1, 1, 1, Board.PLACE_BASED, "Place board",
    ...             datetime(2027, 5, 4, 9, tzinfo=UTC), 90, None, None)
    >>> option_label(m)
    'Tue 4 May 2027, 10:00: Place board (place-based partnership board)'
    """
    board = BOARD_LABELS[meeting.board].lower().replace("general practice", "GP")
    gone = ", cancelled" if meeting.cancelled else ""
    return f"{when(meeting.starts_at)}: {meeting.title} ({board}{gone})"


def nowrap(text: str) -> Html:
    """A short cell kept on one line ("13:30–13:40", "10 minutes").

    >>> nowrap("10 minutes")
    '<span class="lpgp-nowrap" style="white-space:nowrap">10 minutes</span>'
    """
    return Html(f'<span class="lpgp-nowrap" style="white-space:nowrap">{escape(text)}</span>')


def where_words(meeting: Meeting) -> str:
    parts = [x for x in (meeting.location, "online" if meeting.video_link else None) if x]
    return " and ".join(parts) if parts else EMPTY


def timed_rows(meeting: Meeting, items: list[AgendaItem]) -> pd.DataFrame:
    """The agenda as the table shows it: number, London clock times, item, length, kind."""
    rows = []
    start = meeting.starts_at
    for item in items:
        end = start + timedelta(minutes=item.minutes)
        rows.append(
            {
                "number": str(item.position),
                "time": f"{when(start)[-5:]}–{when(end)[-5:]}",
                "title": item.title,
                "minutes": minutes_words(item.minutes),
                "kind": item.kind.label,
                "presenter": item.presenter or EMPTY,
            }
        )
        start = end
    return pd.DataFrame(rows, columns=["number", "time", "title", "minutes", "kind", "presenter"])


def below_words(view: AgendaView, now: datetime) -> str:
    """A line for a meeting whose agenda is below the 80% rule: the advice while it is still
    to come, what happened once it is over."""
    m, split = view.meeting, view.split
    head = f"{m.title}, {when(m.starts_at)}: "
    if m.ends_at <= now:
        return head + (
            f"Only {split.percent}% of the time ({split.innovation} of {split.total} minutes) "
            "went to innovation, change and improvement."
        )
    return head + (view.warning or "")


def split_panel(view: AgendaView) -> str:
    """The split as a bar with its numbers in words, whether the agenda fits the meeting, and
    the advice on what to cut when it is below 80%."""
    split, length = view.split, view.meeting.duration_minutes
    legend = " · ".join(
        f"{label}: {minutes_words(minutes)}"
        for label, minutes in (
            (KIND_LABELS[Kind.INNOVATION], split.innovation),
            (KIND_LABELS[Kind.BUSINESS], split.business),
            ("Items the system brings", split.system),
        )
    )
    parts = [split_html(split), f'<p class="lpgp-agenda-legend">{escape(legend)}</p>']
    if view.meeting.cancelled:  # no advice for a meeting that will not happen
        return f'<div class="lpgp-agenda-split"><h3>How the time splits</h3>{"".join(parts)}</div>'
    if view.overrun_minutes:
        parts.append(
            '<div class="lpgp-warning"><strong>Runs over.</strong> '
            f"The items take {minutes_words(split.total)}, {minutes_words(view.overrun_minutes)} "
            f"more than the meeting's {minutes_words(length)}: shorten or drop items.</div>"
        )
    elif split.total:
        parts.append(
            f"<p>The items take {minutes_words(split.total)} of the meeting's "
            f"{minutes_words(length)}.</p>"
        )
    if view.warning:
        parts.append(
            '<div class="lpgp-warning"><strong>Below 80%.</strong> ' f"{escape(view.warning)}</div>"
        )
    elif split.total:
        parts.append(
            '<p class="lpgp-status lpgp-status--ok">At least 80% of the time goes to '
            "innovation, change and improvement.</p>"
        )
    return (
        '<div class="lpgp-agenda-split" role="status" aria-live="polite">'
        f"<h3>How the time splits</h3>{''.join(parts)}</div>"
    )


class AttendeeChoice(widgets.VBox):
    """The people to invite as a grid of large checkboxes (targets a chair can hit on a
    projector), under the heading "Attendees"; ``value`` is the ids ticked."""

    def __init__(self, screen: Screen) -> None:
        self.screen = screen
        self.boxes: dict[int, widgets.Checkbox] = {}
        self.grid = widgets.GridBox(
            layout=widgets.Layout(
                grid_template_columns="repeat(3, minmax(0, 1fr))", grid_gap="0 16px", width="100%"
            )
        )
        super().__init__([widgets.HTML('<p class="lpgp-cand-legend">Attendees</p>'), self.grid])

    def offer(self, people: list[tuple[str, int]]) -> None:
        """The people to choose from (name, id), keeping the ticks of those still offered."""
        if [(b.description, pid) for pid, b in self.boxes.items()] == people:
            return
        ticked = set(self.value)
        for box in self.boxes.values():
            self.screen._controls.remove(box)
        self.boxes = {}
        for name, pid in people:
            box = self.screen.control(widgets.Checkbox(description=name, indent=False))
            box.value = pid in ticked
            self.boxes[pid] = box
        self.grid.children = tuple(self.boxes.values())

    @property
    def value(self) -> tuple[int, ...]:
        return tuple(pid for pid, box in self.boxes.items() if box.value)

    @value.setter
    def value(self, ids: tuple[int, ...]) -> None:
        for pid, box in self.boxes.items():
            box.value = pid in ids


@dataclass
class _Seen:
    """What the store holds for the screen, read in one transaction."""

    meetings: list[Meeting] = field(default_factory=list)
    splits: dict[int, str] = field(default_factory=dict)
    people: list[Person] = field(default_factory=list)
    priorities: list[Priority] = field(default_factory=list)
    view: AgendaView | None = None
    below: list[str] = field(default_factory=list)


class AgendaScreen(Screen):
    """Both boards' meetings, a form to add, edit or cancel one, and the picked meeting's
    agenda (propose, add, move, retime, drop), its 80% split, decisions and minutes."""

    title = "Board agendas"
    styles = ("lpgp-decide", "lpgp-vote", "lpgp-setup", "lpgp-agendas")
    outcomes_under_buttons = True

    def __init__(self, viewer: Visitor, store: Store | None = None) -> None:
        super().__init__(viewer, store)
        self.seen = _Seen()
        self._quiet = False
        self._loaded: int | None = None
        self.spots = Spots(
            self, "meeting", "cancel", "propose", "item", "add", "decision", "minutes"
        )
        self.cycles = CyclePicker(viewer, self.store, self.reset)
        self.listing = widgets.HTML()
        self.below = widgets.HTML()
        self.picker = self.control(wide(widgets.Dropdown(description="Meeting")))
        self.picker.observe(lambda change: self._picked(), names="value")
        self._build_meeting_form()
        self._build_agenda()
        self._build_record()
        self.body.children = [
            self.cycles,
            widgets.HTML(
                "<p>The meetings of the leadership board and of the place-based partnership "
                "board. Pick one to change it or to build its agenda: at least 80% of the "
                "time should go to innovation, change and improvement.</p>"
            ),
            widgets.HTML("<h2>Meetings</h2>"),
            self.listing,
            self.below,
            self.picker,
            self.meeting_box,
            self.agenda_box,
            self.record_box,
        ]
        self.refresh()
        self._pick(self._default_pick())

    # --- building ---------------------------------------------------------------------------

    def _build_meeting_form(self) -> None:
        self.form_heading = widgets.HTML()
        self.board = self.control(
            wide(
                widgets.Dropdown(
                    description="Board",
                    options=[("Choose a board", "")]
                    + [(label, board.value) for board, label in BOARD_LABELS.items()],
                )
            )
        )
        self.name = self.control(wide(widgets.Text(description="Title")))
        self.day = self.control(widgets.DatePicker(description="Date"))
        self.at = self.control(widgets.TimePicker(description="Start time (London)"))
        for picker in (self.day, self.at):
            picker.style.description_width = "initial"
            picker.observe(lambda change: self._show_when(), names="value")
        self.when_shown = widgets.HTML()
        self.length = self.control(wide(widgets.Text(description="Meeting length in minutes")))
        self.length.observe(lambda change: self._show_when(), names="value")
        self.location = self.control(wide(widgets.Text(description="Location")))
        self.video = self.control(wide(widgets.Text(description="Video link")))
        self.attendees = AttendeeChoice(self)
        self.add = self.spots.button("Add meeting", "meeting", self._add, "primary")
        self.save = self.spots.button("Save changes", "meeting", self._save, "primary")
        self.clear = self.control(widgets.Button(description="Start a new meeting"))
        self.clear.layout.width = "auto"
        self.clear.on_click(lambda b: self._pick(NEW, clear=True))
        # Cancelling, with a confirmation step.
        self.cancel_text = widgets.HTML()
        self.cancel_ask = self.control(widgets.Button(description="Cancel this meeting…"))
        self.cancel_ask.layout.width = "auto"
        self.cancel_ask.on_click(lambda b: self._confirming(True))
        self.cancel_sure = widgets.HTML()
        self.cancel_reason = self.control(
            wide(widgets.Text(description="Reason for cancelling (optional)"))
        )
        self.cancel_yes = self.spots.button(
            "Yes, cancel the meeting", "cancel", self._cancel, "danger"
        )
        self.cancel_no = self.control(widgets.Button(description="Keep the meeting"))
        self.cancel_no.layout.width = "auto"
        self.cancel_no.on_click(lambda b: self._confirming(False))
        self.cancel_confirm = widgets.VBox(
            [self.cancel_sure, self.cancel_reason, widgets.HBox([self.cancel_yes, self.cancel_no])]
        )
        self.cancel_confirm.add_class("lpgp-vote-confirm")
        self.cancel_box = widgets.VBox(
            [
                widgets.HTML("<h3>Cancel the meeting</h3>"),
                self.cancel_text,
                self.cancel_ask,
                self.cancel_confirm,
            ]
        )
        self.cancelled_note = widgets.HTML()
        self.meeting_box = widgets.VBox(
            [
                self.form_heading,
                self.cancelled_note,
                self.board,
                self.name,
                widgets.HBox([self.day, self.at]),
                self.length,
                self.when_shown,
                self.location,
                self.video,
                self.attendees,
                widgets.HBox([self.add, self.save, self.clear]),
                self.spots["meeting"],
                self.cancel_box,
                self.spots["cancel"],  # outside the box, which hides once it is cancelled
            ]
        )

    def _build_agenda(self) -> None:
        self.agenda_heading = widgets.HTML()
        self.split = widgets.HTML()
        self.table = widgets.HTML()
        # Proposing.
        self.system_items = self.control(
            wide(
                widgets.Textarea(
                    description="Items the system brings (one a line: title, then minutes)",
                    rows=3,
                    placeholder="ICB update on winter funding: 15",
                )
            )
        )
        self.propose = self.spots.button("Propose an agenda", "propose", self._propose, "primary")
        self.propose_box = widgets.VBox(
            [
                widgets.HTML(
                    "<h3>Propose an agenda</h3><p>The builder puts the priorities whose "
                    "actions need attention first, asks of the system for the place-based "
                    "board, and the system's items last and time-boxed, keeping to the "
                    "meeting's length and to the 80% rule. Change it item by item after.</p>"
                ),
                self.system_items,
                self.propose,
            ]
        )
        # Changing an item.
        self.item = self.control(wide(widgets.Dropdown(description="Agenda item")))
        self.item.observe(lambda change: self._preview(), names="value")
        self.up = self.spots.button("Move up", "item", lambda: self._move(-1))
        self.down = self.spots.button("Move down", "item", lambda: self._move(1))
        self.item_minutes = self.control(
            wide(widgets.Text(description="New length in minutes", continuous_update=True))
        )
        self.item_minutes.observe(lambda change: self._preview(), names="value")
        self.preview = widgets.HTML()
        self.retime = self.spots.button("Change its length", "item", self._retime)
        self.drop = self.spots.button("Drop the item", "item", self._drop, "danger")
        self.item_box = widgets.VBox(
            [
                widgets.HTML("<h3>Change an item</h3>"),
                self.item,
                widgets.HBox([self.up, self.down]),
                self.item_minutes,
                self.preview,
                widgets.HBox([self.retime, self.drop]),
                self.spots["item"],
            ]
        )
        # Adding an item.
        self.new_title = self.control(wide(widgets.Text(description="Item title")))
        self.new_minutes = self.control(
            wide(widgets.Text(description="Item length in minutes", continuous_update=True))
        )
        self.new_kind = self.control(
            wide(
                widgets.Dropdown(
                    description="Kind of item",
                    options=[(label, kind.value) for kind, label in KIND_LABELS.items()],
                )
            )
        )
        for box in (self.new_minutes, self.new_kind):
            box.observe(lambda change: self._preview(), names="value")
        self.new_presenter = self.control(wide(widgets.Dropdown(description="Presenter")))
        self.new_priority = self.control(wide(widgets.Dropdown(description="Priority it is about")))
        self.add_preview = widgets.HTML()
        self.add_button = self.spots.button("Add the item", "add", self._add_item, "primary")
        self.add_box = widgets.VBox(
            [
                widgets.HTML("<h3>Add an item</h3>"),
                self.new_title,
                self.new_minutes,
                self.new_kind,
                self.new_presenter,
                self.new_priority,
                self.add_preview,
                self.add_button,
                self.spots["add"],
            ]
        )
        self.agenda_box = widgets.VBox(
            [
                self.agenda_heading,
                self.split,
                self.table,
                self.propose_box,
                self.spots["propose"],  # outside the box, which hides once there are items
                self.item_box,
                self.add_box,
            ]
        )

    def _build_record(self) -> None:
        self.record_text = widgets.HTML()
        self.decisions = widgets.HTML()
        self.decision = self.control(wide(widgets.Textarea(description="Decision", rows=2)))
        self.decision_priority = self.control(
            wide(widgets.Dropdown(description="Priority it concerns"))
        )
        self.decide = self.spots.button("Record the decision", "decision", self._decide, "primary")
        self.minutes = self.control(
            wide(widgets.Textarea(description="Minutes of the meeting", rows=4))
        )
        self.save_minutes = self.spots.button(
            "Save the minutes", "minutes", self._save_minutes, "primary"
        )
        self.record_form = widgets.VBox(
            [
                self.decisions,
                self.decision,
                self.decision_priority,
                self.decide,
                self.spots["decision"],
                self.minutes,
                self.save_minutes,
                self.spots["minutes"],
            ]
        )
        self.record_box = widgets.VBox(
            [widgets.HTML("<h2>Decisions and minutes</h2>"), self.record_text, self.record_form]
        )

    # --- reading ----------------------------------------------------------------------------

    def _read(self) -> _Seen:
        place = self.viewer.place
        chosen = self.picker.value or None
        with self.store.read() as s:
            meetings = list_meetings(s, place, self.cycles.cycle)
            splits = {}
            below = []
            view = None
            for m in meetings:
                shown = show_agenda(s, place, m.id)
                if shown.warning and not m.cancelled:
                    below.append(below_words(shown, clock.now()))
                splits[m.id] = (
                    f"{shown.split.percent}% of {minutes_words(shown.split.total)}"
                    if shown.items
                    else "No items yet"
                )
                if m.id == chosen:
                    view = shown
            people = list_people(s, place)
            cycle = delivered_cycle(s, place, self.cycles.cycle)
            priorities = list_priorities(s, place, cycle.id)
        return _Seen(meetings, splits, people, priorities, view, below)

    def refresh(self) -> None:
        self.cycles.reload()
        self.seen = seen = self._read()
        now = clock.now()
        rows = pd.DataFrame(
            [
                {
                    "when": when(m.starts_at),
                    "board": m.board.label,
                    "title": m.title,
                    "length": minutes_words(m.duration_minutes),
                    "where": where_words(m),
                    "agenda": seen.splits[m.id],
                    "state": meeting_state(m, now),
                }
                for m in seen.meetings
            ],
            columns=["when", "board", "title", "length", "where", "agenda", "state"],
        )
        self.listing.value = people_table(
            rows,
            {
                "when": "When (London)",
                "board": "Board",
                "title": "Meeting",
                "length": "Length",
                "where": "Where",
                "agenda": "Innovation share of the agenda",
                "state": "Status",
            },
            caption="Meetings",
            empty="No meetings in this cycle yet: add the first below.",
        )
        self.below.value = (
            '<div class="lpgp-warning" role="alert"><strong>Below 80%.</strong><ul>'
            + "".join(f"<li>{escape(line)}</li>" for line in seen.below)
            + "</ul></div>"
            if seen.below
            else ""
        )
        ids = {m.id for m in seen.meetings}
        options = [("New meeting", NEW)] + [(option_label(m), m.id) for m in seen.meetings]
        if list(self.picker.options) != options:
            keep = self.picker.value if self.picker.value in ids else NEW
            self._quiet = True
            try:
                self.picker.options = options
                self.picker.value = keep
            finally:
                self._quiet = False
            if keep != self._loaded:
                self._load()
        today = clock.today()
        chosen = self._meeting()
        invited = set(chosen.attendee_ids) if chosen else set()
        self.attendees.offer(
            [(p.name, p.id) for p in seen.people if is_active(p, today) or p.id in invited]
        )
        active = [("No presenter", NONE)] + [
            (p.name, p.id) for p in seen.people if is_active(p, today)
        ]
        self._set_options(self.new_presenter, active)
        linked = [("None", NONE)] + [(f"{p.position}. {p.title}", p.id) for p in seen.priorities]
        self._set_options(self.new_priority, linked)
        self._set_options(self.decision_priority, linked)
        self._show_agenda()

    def _set_options(self, box: widgets.Widget, options: list) -> None:
        if list(box.options) == options:
            return
        keep = box.value if box.value in dict(options).values() else options[0][1]
        box.options = options
        box.value = keep

    def _meeting(self) -> Meeting | None:
        return next((m for m in self.seen.meetings if m.id == self.picker.value), None)

    def _default_pick(self) -> int:
        """The next meeting still to come (not cancelled), else the latest, else a new one."""
        now = clock.now()
        live = [m for m in self.seen.meetings if not m.cancelled and m.ends_at > now]
        if live:
            return live[0].id
        return self.seen.meetings[-1].id if self.seen.meetings else NEW

    def _pick(self, value: int, clear: bool = False) -> None:
        """Pick a meeting from code: after an action its outcome stays where it is shown."""
        self._quiet = True
        try:
            self.picker.value = value
        finally:
            self._quiet = False
        if clear:
            self._clear_outcome()
        self.refresh()
        self._load()

    def _picked(self) -> None:
        """The chair picked a meeting: the last action's outcome is about another one."""
        if self._quiet:
            return
        self._clear_outcome()
        self.refresh()
        self._load()

    def _clear_outcome(self) -> None:
        self.say("")
        for box in self.spots.boxes.values():
            box.children = ()

    def _load(self) -> None:
        """Fill the meeting form from the picked meeting, or empty it for a new one."""
        found = self._meeting()
        self._loaded = found.id if found else NEW
        local = found.starts_local if found else None
        self.board.value = found.board.value if found else ""
        self.name.value = found.title if found else ""
        self.day.value = local.date() if local else None
        self.at.value = local.time().replace(tzinfo=None) if local else None
        self.length.value = str(found.duration_minutes) if found else ""
        self.location.value = (found.location or "") if found else ""
        self.video.value = (found.video_link or "") if found else ""
        self.attendees.value = found.attendee_ids if found else ()
        self.minutes.value = (found.minutes_text or "") if found else ""
        self.decision.value = ""
        self.cancel_reason.value = ""
        self.item_minutes.value = ""
        self._confirming(False)
        self._show_form()
        self._show_agenda()
        self._show_when()

    def _show_form(self) -> None:
        found = self._meeting()
        editing = found is not None
        gone = bool(found and found.cancelled)
        self.form_heading.value = (
            "<h2>Add a meeting</h2>"
            if found is None
            else f"<h2>The meeting: {escape(found.title)}</h2>"
        )
        self.cancelled_note.value = (
            f'<div class="lpgp-warning" role="status"><strong>Cancelled.</strong> '
            f"{escape(cancelled_words(found))}. It stays in the list; its invite goes out as a "
            "cancellation, and it takes no more changes.</div>"
            if found is not None and gone
            else ""
        )
        for w in (self.board, self.name, self.length, self.location, self.video, self.attendees):
            show(not gone, w)
        show(not gone, self.day, self.at, self.when_shown)
        show(not editing, self.add)
        show(editing and not gone, self.save, self.cancel_box)
        show(editing, self.clear)
        if found is not None and not gone:
            over = found.ends_at <= clock.now()
            self.cancel_text.value = (
                "<p>This meeting has taken place, so it cannot be cancelled.</p>"
                if over
                else "<p>A cancelled meeting stays in the list, marked as cancelled; its "
                "invite goes out again as a cancellation, and its agenda is kept.</p>"
            )
            show(not over, self.cancel_ask)

    def _confirming(self, on: bool) -> None:
        found = self._meeting()
        if on and found is not None:
            self.cancel_sure.value = (
                f'<p class="lpgp-warning">Cancel {escape(found.title)} on '
                f"{escape(when(found.starts_at))}? Everyone invited gets a cancellation when "
                "the invites are exported again. This cannot be undone.</p>"
            )
        show(on, self.cancel_confirm)
        show(not on, self.cancel_ask)

    def _show_when(self) -> None:
        if self.day.value is None and self.at.value is None:
            self.when_shown.value = ""
            return
        text = shown_back(self.day.value, self.at.value, "Starts")
        try:
            length = int(self.length.value.strip())
        except ValueError:
            length = 0
        if 0 < length <= MAX_MINUTES and self.day.value and self.at.value:
            end = datetime.combine(self.day.value, self.at.value) + timedelta(minutes=length)
            text = f"{text[:-1]}; ends {end:%H:%M}."
        self.when_shown.value = f'<p class="lpgp-vote-when">{escape(text)}</p>'

    def _show_agenda(self) -> None:
        found = self._meeting()
        view = self.seen.view if found else None
        show(view is not None, self.agenda_box, self.record_box)
        if found is None or view is None:
            return
        gone = found.cancelled
        self.agenda_heading.value = (
            f"<h2>Agenda: {escape(found.title)}</h2><p>{escape(found.board.label)}, "
            f"{escape(when(found.starts_at))}, {escape(minutes_words(found.duration_minutes))}"
            f"{' (cancelled)' if gone else ''}.</p>"
        )
        self.split.value = split_panel(view)
        self.table.value = people_table(
            timed_rows(found, list(view.items)),
            {
                "number": "No.",
                "time": "Time",
                "title": "Item",
                "minutes": "Length",
                "kind": "Kind",
                "presenter": "Presenter",
            },
            {"time": nowrap, "minutes": nowrap},
            caption="Agenda",
            empty="No items yet: propose an agenda, or add items one by one.",
        )
        show(not gone and not view.items, self.propose_box)
        show(not gone and bool(view.items), self.item_box)
        show(not gone, self.add_box)
        items = [
            (f"{i.position}. {i.title} ({minutes_words(i.minutes)})", i.id) for i in view.items
        ]
        keep = self.item.value if self.item.value in {i.id for i in view.items} else None
        if list(self.item.options) != items:
            self.item.options = items
        self.item.value = keep if keep is not None else (items[0][1] if items else None)
        self._preview()
        # Decisions and minutes: once the meeting has started, and not when it is cancelled.
        started = found.starts_at <= clock.now()
        show(started and not gone, self.record_form)
        if gone:
            self.record_text.value = "<p>A cancelled meeting takes no decisions.</p>"
        elif not started:
            self.record_text.value = (
                "<p>Record the meeting's decisions and minutes once it has started.</p>"
            )
        else:
            self.record_text.value = ""
        titles: dict[int | None, str] = {
            p.id: f"{p.position}. {p.title}" for p in self.seen.priorities
        }
        decisions = pd.DataFrame(
            [
                {
                    "on": day(d.recorded_at),
                    "text": d.text,
                    "priority": titles.get(d.priority_id, EMPTY),
                }
                for d in found.decisions
            ],
            columns=["on", "text", "priority"],
        )
        self.decisions.value = "<h3>Decisions</h3>" + people_table(
            decisions,
            {"on": "Recorded on", "text": "Decision", "priority": "Priority"},
            caption="Decisions",
            empty="No decisions recorded yet.",
        )

    def _preview(self) -> None:
        """What the split would be with the typed length, before anything is saved."""
        view = self.seen.view
        self.preview.value = self.add_preview.value = ""
        if view is None:
            return
        chosen = next((i for i in view.items if i.id == self.item.value), None)
        typed = self.item_minutes.value.strip()
        if chosen is not None and typed.isdigit() and int(typed) > 0:
            items = [replace(i, minutes=int(typed)) if i is chosen else i for i in view.items]
            self.preview.value = self._would(view, items, f"With {typed} minutes for this item")
        typed = self.new_minutes.value.strip()
        if typed.isdigit() and int(typed) > 0:
            extra = Draft("new item", int(typed), Kind(self.new_kind.value))
            self.add_preview.value = self._would(view, [*view.items, extra], "With this item added")

    @staticmethod
    def _would(view: AgendaView, items: list, lead: str) -> str:
        after = review(view.meeting, items)
        split = time_split(items)
        state = "meets" if split.meets_rule else "is below"
        over = (
            f"; it runs {minutes_words(after.overrun_minutes)} over the meeting"
            if after.overrun_minutes
            else ""
        )
        return (
            f'<p class="lpgp-agenda-preview">{escape(lead)}: {split.percent}% innovation, '
            f"change and improvement ({split.innovation} of {split.total} minutes), which "
            f"{state} the 80% rule{escape(over)}.</p>"
        )

    # --- meetings ---------------------------------------------------------------------------

    def _fields(self) -> dict:
        start = london_moment(self.day.value, self.at.value, "start")
        length = whole_minutes(self.length.value, "meeting length in minutes")
        try:
            check_duration(length)
        except InvalidInput as exc:
            raise InvalidInput(
                f"meeting length in minutes: {str(exc).removeprefix('length: ')}"
            ) from None
        return {
            "title": self.name.value,
            "start": start,
            "duration_minutes": length,
            "location": self.location.value,
            "video_link": self.video.value,
            "attendees": tuple(self.attendees.value),
        }

    def _add(self) -> str:
        if not self.board.value:
            raise InvalidInput("board: choose which board meets")
        item = MeetingInput(board=Board(self.board.value), **self._fields())
        place, actor, cycle = self.viewer.place, self.viewer.actor, self.cycles.cycle
        made = self.store.write(lambda s: add_meeting(s, place, item, cycle=cycle, actor=actor))
        self.refresh()
        self._pick(made.id)
        return f"Added {made.title} on {when(made.starts_at)}: now build its agenda below."

    def _chosen(self) -> Meeting:
        found = self._meeting()
        if found is None:
            raise InvalidInput("meeting: choose a meeting first")
        return found

    def _save(self) -> str:
        found = self._chosen()
        if not self.board.value:
            raise InvalidInput("board: choose which board meets")
        changes = self._fields()
        place, actor = self.viewer.place, self.viewer.actor
        made = self.store.write(
            lambda s: edit_meeting(
                s, place, found.id, board=Board(self.board.value), **changes, actor=actor
            )
        )
        self.refresh()
        self._load()
        if made == found:
            return f"Nothing to save: {made.title} already reads like that."
        return f"Saved the changes to {made.title} ({when(made.starts_at)})."

    def _cancel(self) -> str:
        found = self._chosen()
        reason = self.cancel_reason.value
        place, actor = self.viewer.place, self.viewer.actor
        gone = self.store.write(
            lambda s: cancel_meeting(s, place, found.id, reason=reason, actor=actor)
        )
        self.refresh()
        self._load()
        return (
            f"Cancelled {gone.title} on {when(gone.starts_at)}. Export the invites again to "
            "send everyone the cancellation."
        )

    # --- the agenda -------------------------------------------------------------------------

    def _propose(self) -> str:
        found = self._chosen()
        system = parse_system_items(self.system_items.value)
        place, actor = self.viewer.place, self.viewer.actor
        view, notes = self.store.write(
            lambda s: propose_agenda(s, place, found.id, system_items=system, actor=actor)
        )
        self.system_items.value = ""
        self.refresh()
        said = (
            f"Proposed {len(view.items)} items taking {minutes_words(view.split.total)} of "
            f"{minutes_words(found.duration_minutes)}: {view.split.percent}% innovation, change "
            "and improvement."
        )
        return said + (" Notes: " + "; ".join(notes) + "." if notes else "")

    def _item(self) -> AgendaItem:
        view = self.seen.view
        chosen = next((i for i in (view.items if view else ()) if i.id == self.item.value), None)
        if chosen is None:
            raise InvalidInput("agenda item: choose an item first")
        return chosen

    def _move(self, step: int) -> str:
        found, item = self._chosen(), self._item()
        to = item.position + step
        if to < 1:
            raise InvalidInput(f"agenda item: '{item.title}' is first already")
        if to > len(self.seen.view.items if self.seen.view else ()):
            raise InvalidInput(f"agenda item: '{item.title}' is last already")
        place, actor = self.viewer.place, self.viewer.actor
        self.store.write(lambda s: move_item(s, place, found.id, item.id, to, actor=actor))
        self.refresh()
        return f"Moved '{item.title}' to number {to}."

    def _retime(self) -> str:
        found, item = self._chosen(), self._item()
        minutes = whole_minutes(self.item_minutes.value, "new length in minutes")
        try:
            check_minutes(minutes, f"'{item.title}'")
        except InvalidInput as exc:
            raise InvalidInput(f"new length in minutes: {exc}") from None
        place, actor = self.viewer.place, self.viewer.actor
        view = self.store.write(
            lambda s: retime_item(s, place, found.id, item.id, minutes, actor=actor)
        )
        self.item_minutes.value = ""
        self.refresh()
        state = "meets" if view.split.meets_rule else "is below"
        return (
            f"'{item.title}' now takes {minutes_words(minutes)}: {view.split.percent}% "
            f"innovation, change and improvement, which {state} the 80% rule."
        )

    def _drop(self) -> str:
        found, item = self._chosen(), self._item()
        place, actor = self.viewer.place, self.viewer.actor
        self.store.write(lambda s: drop_item(s, place, found.id, item.id, actor=actor))
        self.refresh()
        return f"Dropped '{item.title}' from the agenda."

    def _add_item(self) -> str:
        found = self._chosen()
        title = " ".join(self.new_title.value.split())
        if not title:
            raise InvalidInput("item title: say what the item is")
        minutes = whole_minutes(self.new_minutes.value, "item length in minutes")
        try:
            check_minutes(minutes, f"'{title}'")
        except InvalidInput as exc:
            raise InvalidInput(f"item length in minutes: {exc}") from None
        draft = Draft(
            title,
            minutes,
            Kind(self.new_kind.value),
            priority_id=self.new_priority.value or None,
            presenter=self.new_presenter.value or None,
        )
        place, actor = self.viewer.place, self.viewer.actor
        self.store.write(lambda s: add_item(s, place, found.id, draft, actor=actor))
        self.new_title.value = self.new_minutes.value = ""
        self.refresh()
        return f"Added '{title}' ({minutes_words(minutes)}) at the end of the agenda."

    # --- decisions and minutes --------------------------------------------------------------

    def _decide(self) -> str:
        found = self._chosen()
        text, linked = self.decision.value, self.decision_priority.value or None
        place, actor = self.viewer.place, self.viewer.actor
        self.store.write(
            lambda s: record_decision(s, place, found.id, text, priority_id=linked, actor=actor)
        )
        self.decision.value = ""
        self.decision_priority.value = NONE
        self.refresh()
        return f"Recorded the decision of {found.title}."

    def _save_minutes(self) -> str:
        found = self._chosen()
        text = self.minutes.value
        place, actor = self.viewer.place, self.viewer.actor
        made = self.store.write(lambda s: set_minutes(s, place, found.id, text, actor=actor))
        self.refresh()
        if not made.minutes_text:
            return f"Cleared the minutes of {made.title}."
        return f"Saved the minutes of {made.title}."
