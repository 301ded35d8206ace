"""Asks of the system, the rules (pure): what the place-based board can do with an ask, an
entry in its log, and where a priority's ask stands worked out from that log;
:mod:`lpgp.cycle.agendas.ask` stores the log.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from lpgp.cycle.actions.tracker_rules import spoken_date
from lpgp.cycle.agreed.priority_rules import Priority
from lpgp.enums import parse_enum
from lpgp.errors import InvalidInput


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
    return parse_enum(Outcome, text, field="outcome of an ask")


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

    >>> from lpgp.cycle.agreed.priority_rules import Priority
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
