"""The action tracker's rules (pure functions of plain values and today's date): statuses, the
RAG rating, the attention order, staleness and a priority's summary;
:mod:`lpgp.cycle.actions.tracker` stores the actions and their dated updates.

The RAG rule, in order:

1. done -> complete, whatever the dates say;
2. past its due date (and not done) -> red, whatever its status says;
3. off track -> red; at risk -> amber; on track -> green;
4. not started -> amber when due within the "due soon" window, otherwise grey.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from lpgp.cycle.agreed.priority_rules import Priority
from lpgp.enums import parse_enum
from lpgp.errors import InvalidInput

DUE_SOON_DAYS = 14
STALE_WEEKS = 4


class Status(StrEnum):
    """What the owner says about an action."""

    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    DONE = "done"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class Rag(StrEnum):
    """The rating the tracker derives (see the module's rule)."""

    RED = "red"
    AMBER = "amber"
    GREEN = "green"
    GREY = "grey"
    COMPLETE = "complete"


def parse_status(text: str) -> Status:
    """Read a status from its id or label, forgiving case, spaces and hyphens.

    >>> parse_status("Off-track")
    <Status.OFF_TRACK: 'off_track'>
    >>> parse_status("complete")
    <Status.DONE: 'done'>
    """
    aliases = {
        "complete": Status.DONE,
        "completed": Status.DONE,
        "not_yet_started": Status.NOT_STARTED,
    }
    return parse_enum(Status, text, field="status", aliases=aliases)


def parse_rag(text: str) -> Rag:
    """Read a RAG rating, forgiving case and spaces.

    >>> parse_rag(" Red ")
    <Rag.RED: 'red'>
    """
    return parse_enum(Rag, text, field="RAG rating")


def rag(status: Status, due: date, today: date, soon_days: int = DUE_SOON_DAYS) -> Rag:
    """The RAG rating of an action by the module's stated rule.

    >>> rag(Status.ON_TRACK, date(2027, 5, 3), today=date(2027, 5, 4))
    <Rag.RED: 'red'>
    >>> rag(Status.DONE, date(2027, 5, 3), today=date(2027, 5, 4))
    <Rag.COMPLETE: 'complete'>
    """
    if status is Status.DONE:
        return Rag.COMPLETE
    if due < today or status is Status.OFF_TRACK:
        return Rag.RED
    if status is Status.AT_RISK:
        return Rag.AMBER
    if status is Status.ON_TRACK:
        return Rag.GREEN
    return Rag.AMBER if due <= today + timedelta(days=soon_days) else Rag.GREY


def rag_reason(
    status: Status, due: date, today: date, soon_days: int = DUE_SOON_DAYS
) -> str | None:
    """Why an action's RAG is not the one its status alone would give, or None when they
    agree (pure): past its due date, an action is red whatever its status says, and one not
    started turns amber two weeks before it is due.

    >>> rag_reason(Status.ON_TRACK, date(2027, 5, 3), today=date(2027, 5, 4))
    'Red: past its due date, whatever its status says'
    >>> rag_reason(Status.NOT_STARTED, date(2027, 5, 10), today=date(2027, 5, 4))
    'Amber: not started and due within 14 days'
    >>> rag_reason(Status.AT_RISK, date(2027, 6, 1), today=date(2027, 5, 4)) is None
    True
    """
    if status is Status.DONE or status is Status.OFF_TRACK:
        return None
    if due < today:
        return "Red: past its due date, whatever its status says"
    if status is Status.NOT_STARTED and due <= today + timedelta(days=soon_days):
        return f"Amber: not started and due within {soon_days} days"
    return None


def attention_group(status: Status, due: date, today: date, soon_days: int = DUE_SOON_DAYS) -> int:
    """Where an action sorts: 0 overdue, 1 off track, 2 at risk, 3 due soon, 4 other open, 5 done.

    >>> attention_group(Status.ON_TRACK, date(2027, 5, 3), today=date(2027, 5, 4))
    0
    """
    if status is Status.DONE:
        return 5
    if due < today:
        return 0
    if status is Status.OFF_TRACK:
        return 1
    if status is Status.AT_RISK:
        return 2
    if due <= today + timedelta(days=soon_days):
        return 3
    return 4


ATTENTION_LABELS = ("overdue", "off track", "at risk", "due soon", "open", "done")


def is_stale(status: Status, last_update: date, today: date, weeks: int = STALE_WEEKS) -> bool:
    """An open action is stale when its latest update is ``weeks`` weeks old or older.

    >>> is_stale(Status.ON_TRACK, date(2027, 4, 1), date(2027, 4, 29), weeks=4)
    True
    >>> is_stale(Status.ON_TRACK, date(2027, 4, 2), date(2027, 4, 29), weeks=4)
    False
    """
    if weeks < 1:
        raise InvalidInput(f"the stale threshold must be at least one week, not {weeks}")
    return status is not Status.DONE and (today - last_update).days >= 7 * weeks


@dataclass(frozen=True)
class ActionUpdate:
    """One dated update: the status on that date, a new due date if it moved, a note."""

    id: int
    action_id: int
    on: date
    status: Status
    due: date | None
    note: str | None
    recorded_at: datetime
    recorded_by: str


@dataclass(frozen=True)
class Action:
    """An action as the tracker shows it, with everything derived for today."""

    id: int
    place_id: int
    priority_id: int
    priority_position: int
    priority: str
    title: str
    owner_id: int
    owner: str
    due: date
    status: Status
    rag: Rag
    overdue: bool
    due_soon: bool
    stale: bool
    attention: str
    last_update: date
    days_since_update: int
    latest_note: str | None = None


@dataclass(frozen=True)
class ActionInput:
    """A new action before it is stored; ``priority`` and ``owner`` are ids, numbers or names."""

    priority: str | int
    title: str
    owner: str | int
    due: date
    status: Status = Status.NOT_STARTED
    note: str | None = None


@dataclass(frozen=True)
class PrioritySummary:
    """How a priority's actions stand: counts by RAG, the next due date, the freshest update."""

    priority_id: int
    position: int
    title: str
    total: int
    counts: dict[str, int] = field(default_factory=dict)
    next_due: date | None = None
    days_since_update: int | None = None
    stale: int = 0


def current_state(updates: Sequence[ActionUpdate]) -> tuple[Status, date, date, str | None]:
    """Fold an action's updates (oldest first) into (status, due, last update date, last note).

    >>> t = datetime(2027, 1, 1)
    >>> start, due = date(2027, 1, 4), date(2027, 3, 1)
    >>> first = ActionUpdate(1, 1, start, Status.NOT_STARTED, due, None, t, "a")
    >>> later = ActionUpdate(2, 1, date(2027, 2, 1), Status.AT_RISK, None, "slipping", t, "a")
    >>> current_state([first, later])
    (<Status.AT_RISK: 'at_risk'>, datetime.date(2027, 3, 1), datetime.date(2027, 2, 1), 'slipping')
    """
    if not updates:
        raise InvalidInput("an action needs at least one update")
    due = None
    for update in updates:
        if update.due is not None:
            due = update.due
    if due is None:
        raise InvalidInput("an action needs a due date")
    last = updates[-1]
    return last.status, due, max(u.on for u in updates), last.note


def attention_order(actions: Iterable[Action]) -> list[Action]:
    """Actions in the order that needs attention first, earliest due within each group."""
    return sorted(
        actions,
        key=lambda a: (ATTENTION_LABELS.index(a.attention), a.due, a.priority_position, a.id),
    )


def summarise(actions: Iterable[Action], priorities: Sequence[Priority]) -> list[PrioritySummary]:
    """One summary per priority in list order (pure): counts by RAG, next due, freshest update."""
    by_priority: dict[int, list[Action]] = {p.id: [] for p in priorities}
    for action in actions:
        by_priority.setdefault(action.priority_id, []).append(action)
    out = []
    for p in priorities:
        mine = by_priority[p.id]
        counts = {r.value: sum(1 for a in mine if a.rag is r) for r in Rag}
        open_dues = [a.due for a in mine if a.status is not Status.DONE]
        ages = [a.days_since_update for a in mine]
        out.append(
            PrioritySummary(
                priority_id=p.id,
                position=p.position,
                title=p.title,
                total=len(mine),
                counts=counts,
                next_due=min(open_dues) if open_dues else None,
                days_since_update=min(ages) if ages else None,
                stale=sum(1 for a in mine if a.stale),
            )
        )
    return out


TITLE_LENGTH = 300  # what the store's column holds
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def spoken_date(value: date) -> str:
    """A date as a sentence says it.

    >>> spoken_date(date(2027, 5, 4))
    '4 May 2027'
    """
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def clean_title(text: str) -> str:
    """An action's title as stored: single spaces, not blank, at most :data:`TITLE_LENGTH`
    characters; refused naming the field a form calls it.

    >>> clean_title("  Book   the rooms ")
    'Book the rooms'
    >>> clean_title("   ")
    Traceback (most recent call last):
    ...
    lpgp.errors.InvalidInput: title: an action needs a title (say what will be done)
    """
    title = " ".join(str(text or "").split())
    if not title:
        raise InvalidInput("title: an action needs a title (say what will be done)")
    if len(title) > TITLE_LENGTH:
        raise InvalidInput(
            f"title: {len(title)} characters is too long; keep it to {TITLE_LENGTH} and put "
            "the detail in the note"
        )
    return title


def check_update_dates(
    on: date | None, today: date, new_due: date | None = None, latest: date | None = None
) -> date:
    """The date of an update, checked: given, not after today and not before the action's
    ``latest`` update (the latest-dated update is the action's state, so an earlier one would
    be filed under it and change nothing); a new due date, when there is one, not before the
    update (it would make the action overdue the moment it is moved). Refused naming the field
    a form calls it.

    >>> check_update_dates(date(2027, 5, 4), date(2027, 5, 4), new_due=date(2027, 6, 1))
    datetime.date(2027, 5, 4)
    >>> check_update_dates(date(2027, 5, 5), date(2027, 5, 4))
    Traceback (most recent call last):
    ...
    lpgp.errors.InvalidInput: date of the update: 5 May 2027 is after today; an update records what has happened
    >>> check_update_dates(date(2027, 5, 4), date(2027, 5, 4), new_due=date(2027, 5, 3))
    Traceback (most recent call last):
    ...
    lpgp.errors.InvalidInput: new due date: 3 May 2027 is before the date of the update (4 May 2027)
    >>> check_update_dates(date(2027, 5, 3), date(2027, 5, 4), latest=date(2027, 5, 4))
    Traceback (most recent call last):
    ...
    lpgp.errors.InvalidInput: date of the update: 3 May 2027 is before the action's latest update (4 May 2027)
    """  # noqa: E501
    if on is None:
        raise InvalidInput("date of the update: choose the date it happened")
    if on > today:
        raise InvalidInput(
            f"date of the update: {spoken_date(on)} is after today; an update records what "
            "has happened"
        )
    if latest is not None and on < latest:
        raise InvalidInput(
            f"date of the update: {spoken_date(on)} is before the action's latest update "
            f"({spoken_date(latest)})"
        )
    if new_due is not None and new_due < on:
        raise InvalidInput(
            f"new due date: {spoken_date(new_due)} is before the date of the update "
            f"({spoken_date(on)})"
        )
    return on
