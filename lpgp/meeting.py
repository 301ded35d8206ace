"""Meetings of the leadership board and of the place-based partnership board: when and where,
who attends, the decisions taken and short minutes.

Starts are entered as London wall-clock times and stored in UTC; a time the clocks skip or
repeat is refused (see :func:`lpgp.clock.london_to_utc`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import audit, clock
from .errors import InvalidInput, NotFound
from .model import Place
from .person import get_person
from .priority import delivered_cycle, get_priority
from .store.schema import PersonRow
from .store.schema_delivery import AttendeeRow, DecisionRow, MeetingRow

MAX_MINUTES = 8 * 60


class Board(StrEnum):
    """Which board meets."""

    LEADERSHIP = "leadership"
    PLACE_BASED = "place_based"

    @property
    def label(self) -> str:
        return BOARD_LABELS[self]


BOARD_LABELS = {
    Board.LEADERSHIP: "General practice leadership board",
    Board.PLACE_BASED: "Place-based partnership board",
}


def parse_board(text: str) -> Board:
    """Read a board from its id or a short name.

    >>> parse_board("place")
    <Board.PLACE_BASED: 'place_based'>
    """
    key = re.sub(r"[^a-z]+", "_", str(text).strip().lower()).strip("_")
    aliases = {"gp": Board.LEADERSHIP, "lb": Board.LEADERSHIP, "place": Board.PLACE_BASED}
    for board in Board:
        if key == board.value:
            return board
    if key in aliases:
        return aliases[key]
    raise InvalidInput(f"'{text}' is not a board; use 'leadership' or 'place_based'")


START_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%d %b %Y %H:%M")


def parse_start(text: str) -> datetime:
    """A London wall-clock start as people type it (no time zone), checked against clock changes.

    >>> parse_start("2027-05-04 14:00")
    datetime.datetime(2027, 5, 4, 14, 0)
    >>> parse_start("2027-10-31 01:30")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    lpgp.errors.InvalidInput: 31 Oct 2027 01:30 happens twice in London when the clocks go back...
    """
    value = " ".join(str(text).split())
    for fmt in START_FORMATS:
        try:
            local = datetime.strptime(value, fmt)
        except ValueError:
            continue
        clock.london_to_utc(local)
        return local
    raise InvalidInput(f"'{text}' is not a start time (use e.g. 2027-05-04 14:00, London time)")


def check_duration(minutes: int) -> int:
    """A meeting lasts a positive whole number of minutes, at most eight hours.

    >>> check_duration(-5)
    Traceback (most recent call last):
    ...
    lpgp.errors.InvalidInput: a meeting lasts between 1 and 480 minutes, not -5
    """
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 0 < minutes <= MAX_MINUTES:
        raise InvalidInput(f"a meeting lasts between 1 and {MAX_MINUTES} minutes, not {minutes}")
    return minutes


@dataclass(frozen=True)
class MeetingInput:
    """A meeting as entered: ``start`` is a naive London wall-clock time."""

    board: Board
    title: str
    start: datetime
    duration_minutes: int
    location: str | None = None
    video_link: str | None = None
    attendees: tuple[str | int, ...] = ()


@dataclass(frozen=True)
class Decision:
    """A decision a meeting took."""

    id: int
    meeting_id: int
    text: str
    priority_id: int | None
    recorded_at: datetime


@dataclass(frozen=True)
class Meeting:
    """A meeting with its times in UTC and in London, attendees, decisions and minutes."""

    id: int
    place_id: int
    cycle_id: int | None
    board: Board
    title: str
    starts_at: datetime
    duration_minutes: int
    location: str | None
    video_link: str | None
    attendees: tuple[str, ...] = ()
    decisions: tuple[Decision, ...] = field(default=())
    minutes_text: str | None = None

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def starts_local(self) -> datetime:
        return self.starts_at.astimezone(clock.LONDON)


def add_meeting(
    session: Session,
    place: Place,
    item: MeetingInput,
    *,
    cycle: str | int | None = None,
    actor: str | None = None,
) -> Meeting:
    """Schedule a meeting in the caller's transaction; attendees are people of the place."""
    actor = audit.acting(actor)
    title = " ".join(item.title.split())
    if not title:
        raise InvalidInput("a meeting needs a title")
    check_duration(item.duration_minutes)
    starts_at = clock.london_to_utc(item.start)
    where = delivered_cycle(session, place, cycle)
    people = []
    for who in item.attendees:
        person = get_person(session, place, who)
        if person.id not in {p.id for p in people}:
            people.append(person)
    row = MeetingRow(
        place_id=place.id,
        cycle_id=where.id,
        board=Board(item.board).value,
        title=title,
        starts_at=starts_at,
        duration_minutes=item.duration_minutes,
        location=(item.location or "").strip() or None,
        video_link=(item.video_link or "").strip() or None,
    )
    session.add(row)
    session.flush()
    for person in people:
        session.add(AttendeeRow(place_id=place.id, meeting_id=row.id, person_id=person.id))
    session.flush()
    audit.record(session, place.id, actor, "meeting.added", {"meeting": row.id, "title": title})
    return get_meeting(session, place, row.id)


def _meeting(session: Session, row: MeetingRow) -> Meeting:
    names = session.scalars(
        select(PersonRow.name)
        .join(AttendeeRow, AttendeeRow.person_id == PersonRow.id)
        .where(AttendeeRow.meeting_id == row.id)
        .order_by(PersonRow.name)
    )
    decisions = session.scalars(
        select(DecisionRow).where(DecisionRow.meeting_id == row.id).order_by(DecisionRow.id)
    )
    starts = row.starts_at
    if starts.tzinfo is None:  # SQLite hands back naive UTC
        starts = starts.replace(tzinfo=UTC)
    return Meeting(
        id=row.id,
        place_id=row.place_id,
        cycle_id=row.cycle_id,
        board=Board(row.board),
        title=row.title,
        starts_at=starts,
        duration_minutes=row.duration_minutes,
        location=row.location,
        video_link=row.video_link,
        attendees=tuple(names),
        decisions=tuple(
            Decision(d.id, d.meeting_id, d.text, d.priority_id, d.recorded_at) for d in decisions
        ),
        minutes_text=row.minutes_text,
    )


def get_meeting(session: Session, place: Place, meeting_id: int) -> Meeting:
    """One meeting of the place by id."""
    row = session.scalar(
        select(MeetingRow).where(MeetingRow.place_id == place.id, MeetingRow.id == meeting_id)
    )
    if row is None:
        raise NotFound(f"{place.name} has no meeting {meeting_id}")
    return _meeting(session, row)


def list_meetings(
    session: Session,
    place: Place,
    cycle: str | int | None = None,
    *,
    board: Board | None = None,
) -> list[Meeting]:
    """The cycle's meetings, earliest first, optionally of one board."""
    where = delivered_cycle(session, place, cycle)
    query = select(MeetingRow).where(
        MeetingRow.place_id == place.id, MeetingRow.cycle_id == where.id
    )
    if board is not None:
        query = query.where(MeetingRow.board == Board(board).value)
    rows = session.scalars(query.order_by(MeetingRow.starts_at, MeetingRow.id))
    return [_meeting(session, r) for r in rows]


def record_decision(
    session: Session,
    place: Place,
    meeting_id: int,
    text: str,
    *,
    priority_id: int | None = None,
    actor: str | None = None,
) -> Decision:
    """Record a decision of a meeting (append-only)."""
    actor = audit.acting(actor)
    get_meeting(session, place, meeting_id)
    if priority_id is not None:
        get_priority(session, place, priority_id)
    text = text.strip()
    if not text:
        raise InvalidInput("a decision needs some words")
    row = DecisionRow(
        place_id=place.id,
        meeting_id=meeting_id,
        text=text,
        priority_id=priority_id,
        recorded_at=clock.now(),
    )
    session.add(row)
    session.flush()
    audit.record(session, place.id, actor, "meeting.decision", {"meeting": meeting_id})
    return Decision(row.id, meeting_id, text, priority_id, row.recorded_at)


def set_minutes(
    session: Session, place: Place, meeting_id: int, text: str, *, actor: str | None = None
) -> Meeting:
    """Write the meeting's short minutes (the audit log keeps each version's length)."""
    actor = audit.acting(actor)
    row = session.scalar(
        select(MeetingRow).where(MeetingRow.place_id == place.id, MeetingRow.id == meeting_id)
    )
    if row is None:
        raise NotFound(f"{place.name} has no meeting {meeting_id}")
    row.minutes_text = text.strip() or None
    session.flush()
    audit.record(
        session, place.id, actor, "meeting.minutes", {"meeting": meeting_id}, note=row.minutes_text
    )
    return _meeting(session, row)
