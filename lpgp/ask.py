"""Asks of the system: each agreed priority carries an ask of the place-based partnership
board, and its log records what that board did with it (raised, agreed, declined, deferred),
when, at which meeting, with a note. The log is append-only.

The board is judged by its influence on the local system, so the per-priority view counts the
times each ask was made and agreed and how long it has been since anything moved.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import audit, clock
from .errors import InvalidInput
from .meeting import Board, get_meeting
from .model import Place
from .priority import Priority, get_priority, list_priorities
from .store.schema_delivery import AskEventRow, MeetingRow
from .tracker import spoken_date


class Outcome(StrEnum):
    """What the place-based board did with an ask."""

    RAISED = "raised"
    AGREED = "agreed"
    DECLINED = "declined"
    DEFERRED = "deferred"


def parse_outcome(text: str) -> Outcome:
    """Read an outcome, forgiving case and spaces.

    >>> parse_outcome(" Agreed ")
    <Outcome.AGREED: 'agreed'>
    """
    key = str(text).strip().lower()
    for outcome in Outcome:
        if key == outcome.value:
            return outcome
    allowed = ", ".join(o.value for o in Outcome)
    raise InvalidInput(f"'{text}' is not an outcome of an ask; use one of: {allowed}")


@dataclass(frozen=True)
class AskEvent:
    """One entry in an ask's log."""

    id: int
    priority_id: int
    outcome: Outcome
    on: date
    meeting_id: int | None
    meeting: str | None
    note: str | None
    recorded_at: datetime
    recorded_by: str


@dataclass(frozen=True)
class AskProgress:
    """Where a priority's ask stands with the place-based board."""

    priority_id: int
    position: int
    title: str
    ask: str
    lead: str
    made: int
    agreed: int
    declined: int
    deferred: int
    latest: Outcome | None
    last_progress: date | None
    days_since_progress: int | None


def progress(priority: Priority, events: Sequence[AskEvent], today: date) -> AskProgress:
    """Summarise one priority's ask from its log (pure).

    >>> from lpgp.priority import Priority
    >>> p = Priority(1, 1, 1, 1, "Hub", "Fund the hub", "Winter", "Waits", 3, "Dr A")
    >>> t = datetime(2027, 1, 1)
    >>> log = [AskEvent(1, 1, Outcome.RAISED, date(2027, 3, 1), None, None, None, t, "a"),
    ...        AskEvent(2, 1, Outcome.AGREED, date(2027, 4, 5), None, None, None, t, "a")]
    >>> s = progress(p, log, date(2027, 4, 19))
    >>> (s.made, s.agreed, s.latest.value, s.days_since_progress)
    (1, 1, 'agreed', 14)
    """
    mine = sorted((e for e in events if e.priority_id == priority.id), key=lambda e: (e.on, e.id))

    def count(outcome: Outcome) -> int:
        return sum(1 for e in mine if e.outcome is outcome)

    last = mine[-1].on if mine else None
    return AskProgress(
        priority_id=priority.id,
        position=priority.position,
        title=priority.title,
        ask=priority.ask,
        lead=priority.lead,
        made=count(Outcome.RAISED),
        agreed=count(Outcome.AGREED),
        declined=count(Outcome.DECLINED),
        deferred=count(Outcome.DEFERRED),
        latest=mine[-1].outcome if mine else None,
        last_progress=last,
        days_since_progress=(today - last).days if last else None,
    )


def check_entry_date(on: date | None, today: date, meeting: tuple[str, date] | None = None) -> date:
    """The date of an entry in an ask's log, checked: given, not after today, and not before
    the meeting it records (``meeting`` is its title and London date). Refused naming the
    field a form calls it.

    >>> check_entry_date(date(2027, 5, 4), date(2027, 5, 4))
    datetime.date(2027, 5, 4)
    >>> check_entry_date(date(2027, 3, 1), date(2027, 5, 4), ("Place board", date(2027, 3, 2)))
    Traceback (most recent call last):
    ...
    lpgp.errors.InvalidInput: date: 1 March 2027 is before the meeting chosen (Place board, 2 March 2027)
    """  # noqa: E501
    if on is None:
        raise InvalidInput("date: choose the date the place-based board did this")
    if on > today:
        raise InvalidInput(
            f"date: {spoken_date(on)} is after today; the log records what has happened"
        )
    if meeting is not None and on < meeting[1]:
        raise InvalidInput(
            f"date: {spoken_date(on)} is before the meeting chosen "
            f"({meeting[0]}, {spoken_date(meeting[1])})"
        )
    return on


def log_ask(
    session: Session,
    place: Place,
    priority: str | int,
    outcome: Outcome,
    *,
    on: date | None = None,
    meeting_id: int | None = None,
    note: str | None = None,
    cycle: str | int | None = None,
    actor: str | None = None,
) -> AskEvent:
    """Add an entry to a priority's ask log; the date defaults to the meeting's, else today."""
    actor = audit.acting(actor)
    target = get_priority(session, place, priority, cycle)
    when = on
    if meeting_id is not None:
        meeting = get_meeting(session, place, meeting_id)
        if meeting.board is not Board.PLACE_BASED:
            raise InvalidInput(
                f"meeting {meeting_id} is not a place-based board meeting: asks are taken there"
            )
        when = when or meeting.starts_local.date()
    when = when or clock.today()
    if when > clock.today():
        raise InvalidInput(f"an ask's log cannot record a date in the future ({when})")
    row = AskEventRow(
        place_id=place.id,
        priority_id=target.id,
        outcome=Outcome(outcome).value,
        on=when,
        meeting_id=meeting_id,
        note=(note or "").strip() or None,
        recorded_at=clock.now(),
        recorded_by=actor,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        place.id,
        actor,
        "ask.logged",
        {"priority": target.title, "outcome": row.outcome, "on": when.isoformat()},
    )
    return ask_log(session, place, cycle, priority=target.id)[-1]


def ask_log(
    session: Session,
    place: Place,
    cycle: str | int | None = None,
    *,
    priority: str | int | None = None,
) -> list[AskEvent]:
    """The log of the cycle's asks (or one priority's), oldest first."""
    ids = [p.id for p in list_priorities(session, place, cycle)]
    if priority is not None:
        ids = [get_priority(session, place, priority, cycle).id]
    rows = session.execute(
        select(AskEventRow, MeetingRow.title)
        .outerjoin(MeetingRow, AskEventRow.meeting_id == MeetingRow.id)
        .where(AskEventRow.place_id == place.id, AskEventRow.priority_id.in_(ids))
        .order_by(AskEventRow.on, AskEventRow.id)
    )
    return [
        AskEvent(
            id=r.id,
            priority_id=r.priority_id,
            outcome=Outcome(r.outcome),
            on=r.on,
            meeting_id=r.meeting_id,
            meeting=title,
            note=r.note,
            recorded_at=r.recorded_at,
            recorded_by=r.recorded_by,
        )
        for r, title in rows
    ]


def ask_progress(
    session: Session, place: Place, cycle: str | int | None = None
) -> list[AskProgress]:
    """The per-priority view of the cycle's asks, in list order."""
    events = ask_log(session, place, cycle)
    today = clock.today()
    return [progress(p, events, today) for p in list_priorities(session, place, cycle)]
