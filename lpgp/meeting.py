"""Meetings of the leadership board and of the place-based partnership board: when and where,
who attends, the decisions taken and short minutes.

Starts are entered as London wall-clock times and stored in UTC; a time the clocks skip or
repeat is refused (see :func:`lpgp.clock.london_to_utc`). A meeting can be edited until it is
cancelled; a cancelled meeting is kept (its invite goes out again as a cancellation) and
takes no more changes, agenda items or decisions.

Each meeting has a calendar UID, given when it is added (random, so unique across stores) and
never changed, so every invite made for it updates the same calendar entry.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import audit, clock
from .errors import InvalidInput, NotFound, StateError
from .model import Place
from .person import get_person
from .priority import delivered_cycle, get_priority
from .store.schema import PersonRow
from .store.schema_delivery import AttendeeRow, DecisionRow, MeetingRow

MAX_MINUTES = 8 * 60
MAX_DECISION_CHARS = 1000
MAX_MINUTES_CHARS = 4000  # minutes are short: what was decided and why, not a transcript


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
    raise InvalidInput(f"board: '{text}' is not a board; use 'leadership' or 'place_based'")


START_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%d %b %Y %H:%M")


def parse_start(text: str) -> datetime:
    """A London wall-clock start as people type it (no time zone), checked against clock changes.

    >>> parse_start("2027-05-04 14:00")
    datetime.datetime(2027, 5, 4, 14, 0)
    >>> parse_start("2027-10-31 01:30")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    lpgp.errors.InvalidInput: start: 31 Oct 2027 01:30 happens twice in London when the clocks go...
    """
    value = " ".join(str(text).split())
    for fmt in START_FORMATS:
        try:
            local = datetime.strptime(value, fmt)
        except ValueError:
            continue
        check_start(local)
        return local
    raise InvalidInput(
        f"start: '{text}' is not a start time (use e.g. 2027-05-04 14:00, London time)"
    )


def check_duration(minutes: int) -> int:
    """A meeting lasts a positive whole number of minutes, at most eight hours.

    >>> check_duration(-5)
    Traceback (most recent call last):
    ...
    lpgp.errors.InvalidInput: length: a meeting lasts between 1 and 480 minutes, not -5
    """
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 0 < minutes <= MAX_MINUTES:
        raise InvalidInput(
            f"length: a meeting lasts between 1 and {MAX_MINUTES} minutes, not {minutes}"
        )
    return minutes


def check_title(text: str) -> str:
    """A meeting's title with its spaces tidied; a blank one is refused.

    >>> check_title("  GP   board ")
    'GP board'
    >>> check_title(" ")
    Traceback (most recent call last):
    ...
    lpgp.errors.InvalidInput: title: a meeting needs a title
    """
    title = " ".join(str(text or "").split())
    if not title:
        raise InvalidInput("title: a meeting needs a title")
    if len(title) > 200:
        raise InvalidInput(f"title: at most 200 characters, not {len(title)}")
    return title


def check_start(local: datetime) -> datetime:
    """A London wall-clock start as the UTC instant it names; a time the clocks skip or repeat
    is refused, naming the field.

    >>> check_start(datetime(2027, 3, 28, 1, 30))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    lpgp.errors.InvalidInput: start: 28 Mar 2027 01:30 does not exist in London: the clocks go...
    """
    try:
        return clock.london_to_utc(local)
    except InvalidInput as exc:
        raise InvalidInput(f"start: {exc}") from None


def _text(value: str | None, field: str, most: int) -> str | None:
    text = " ".join(str(value or "").split())
    if len(text) > most:
        raise InvalidInput(f"{field}: at most {most} characters, not {len(text)}")
    return text or None


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
    attendee_ids: tuple[int, ...] = ()
    cancelled_at: datetime | None = None
    # The calendar UID every invite for this meeting carries (see lpgp.export.invites).
    uid: str | None = None

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def cancelled(self) -> bool:
        return self.cancelled_at is not None

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
    title = check_title(item.title)
    check_duration(item.duration_minutes)
    starts_at = check_start(item.start)
    location = _text(item.location, "location", 300)
    video_link = _text(item.video_link, "video link", 500)
    where = delivered_cycle(session, place, cycle)
    people = _attendees(session, place, item.attendees)
    row = MeetingRow(
        place_id=place.id,
        cycle_id=where.id,
        board=Board(item.board).value,
        title=title,
        starts_at=starts_at,
        duration_minutes=item.duration_minutes,
        location=location,
        video_link=video_link,
    )
    session.add(row)
    session.flush()
    for person_id in people:
        session.add(AttendeeRow(place_id=place.id, meeting_id=row.id, person_id=person_id))
    session.flush()
    audit.record(session, place.id, actor, "meeting.added", {"meeting": row.id, "title": title})
    return get_meeting(session, place, row.id)


def _attendees(session: Session, place: Place, who: Iterable[str | int]) -> list[int]:
    """The ids of the people named (by id or name), each once, in the order given."""
    ids: list[int] = []
    for key in who:
        try:
            person = get_person(session, place, key)
        except NotFound as exc:
            raise InvalidInput(f"attendees: {exc}") from None
        if person.id not in ids:
            ids.append(person.id)
    return ids


def _utc(moment: datetime | None) -> datetime | None:
    if moment is not None and moment.tzinfo is None:  # SQLite hands back naive UTC
        return moment.replace(tzinfo=UTC)
    return moment


def _meeting(session: Session, row: MeetingRow) -> Meeting:
    people = session.execute(
        select(PersonRow.id, PersonRow.name)
        .join(AttendeeRow, AttendeeRow.person_id == PersonRow.id)
        .where(AttendeeRow.meeting_id == row.id)
        .order_by(PersonRow.name, PersonRow.id)
    ).all()
    decisions = session.scalars(
        select(DecisionRow).where(DecisionRow.meeting_id == row.id).order_by(DecisionRow.id)
    )
    return Meeting(
        id=row.id,
        place_id=row.place_id,
        cycle_id=row.cycle_id,
        board=Board(row.board),
        title=row.title,
        starts_at=_utc(row.starts_at),
        duration_minutes=row.duration_minutes,
        location=row.location,
        video_link=row.video_link,
        attendees=tuple(name for _, name in people),
        decisions=tuple(
            Decision(d.id, d.meeting_id, d.text, d.priority_id, d.recorded_at) for d in decisions
        ),
        minutes_text=row.minutes_text,
        attendee_ids=tuple(pid for pid, _ in people),
        cancelled_at=_utc(row.cancelled_at),
        uid=row.uid,
    )


def _row(session: Session, place: Place, meeting_id: int) -> MeetingRow:
    row = session.scalar(
        select(MeetingRow).where(MeetingRow.place_id == place.id, MeetingRow.id == meeting_id)
    )
    if row is None:
        raise NotFound(f"{place.name} has no meeting {meeting_id}")
    return row


def get_meeting(session: Session, place: Place, meeting_id: int) -> Meeting:
    """One meeting of the place by id."""
    return _meeting(session, _row(session, place, meeting_id))


def cancelled_words(meeting: Meeting) -> str:
    """Why a cancelled meeting refuses a change, in words."""
    on = meeting.cancelled_at.astimezone(clock.LONDON) if meeting.cancelled_at else None
    when = f" on {on.day} {on:%b %Y}" if on else ""
    return f"'{meeting.title}' was cancelled{when}"


def open_meeting(session: Session, place: Place, meeting_id: int) -> Meeting:
    """A meeting that can still change: refused once it is cancelled."""
    meeting = get_meeting(session, place, meeting_id)
    if meeting.cancelled:
        raise StateError(f"{cancelled_words(meeting)}: it takes no more changes")
    return meeting


def edit_meeting(
    session: Session,
    place: Place,
    meeting_id: int,
    *,
    board: Board | str | None = None,
    title: str | None = None,
    start: datetime | None = None,
    duration_minutes: int | None = None,
    location: str | None = None,
    video_link: str | None = None,
    attendees: Sequence[str | int] | None = None,
    actor: str | None = None,
) -> Meeting:
    """Change a meeting in the caller's transaction: each field given replaces the stored one
    (``start`` a London wall-clock time; an empty location or video link clears it; attendees
    replace the list). A cancelled meeting is refused. The audit log names the fields that
    changed (each change raises the invite's SEQUENCE); an edit that changes nothing writes
    nothing."""
    actor = audit.acting(actor)
    open_meeting(session, place, meeting_id)
    row = _row(session, place, meeting_id)
    wanted: dict[str, object] = {}
    if board is not None:
        wanted["board"] = Board(board).value
    if title is not None:
        wanted["title"] = check_title(title)
    if start is not None:
        wanted["starts_at"] = check_start(start)
    if duration_minutes is not None:
        wanted["duration_minutes"] = check_duration(duration_minutes)
    if location is not None:
        wanted["location"] = _text(location, "location", 300)
    if video_link is not None:
        wanted["video_link"] = _text(video_link, "video link", 500)
    changed = [
        name
        for name, value in wanted.items()
        if (_utc(getattr(row, name)) if name == "starts_at" else getattr(row, name)) != value
    ]
    for name in changed:
        setattr(row, name, wanted[name])
    if attendees is not None:
        ids = _attendees(session, place, attendees)
        stored = {
            a.person_id: a
            for a in session.scalars(select(AttendeeRow).where(AttendeeRow.meeting_id == row.id))
        }
        if set(ids) != set(stored):
            changed.append("attendees")
            for person_id, attendee in stored.items():
                if person_id not in ids:
                    session.delete(attendee)
            for person_id in ids:
                if person_id not in stored:
                    session.add(
                        AttendeeRow(place_id=place.id, meeting_id=row.id, person_id=person_id)
                    )
    session.flush()
    if changed:
        audit.record(
            session,
            place.id,
            actor,
            "meeting.edited",
            {"meeting": row.id, "changed": [FIELD_WORDS.get(c, c) for c in changed]},
        )
    return _meeting(session, row)


FIELD_WORDS = {"starts_at": "start", "duration_minutes": "length", "video_link": "video link"}


def cancel_meeting(
    session: Session,
    place: Place,
    meeting_id: int,
    *,
    reason: str | None = None,
    actor: str | None = None,
) -> Meeting:
    """Call a meeting off: it is kept and shown as cancelled, its invite goes out again as a
    cancellation, and it takes no more changes. A meeting already over cannot be cancelled."""
    actor = audit.acting(actor)
    meeting = open_meeting(session, place, meeting_id)
    now = clock.now()
    if meeting.ends_at <= now:
        raise StateError(f"'{meeting.title}' has already taken place: it cannot be cancelled")
    row = _row(session, place, meeting_id)
    row.cancelled_at = now
    session.flush()
    note = _text(reason, "reason", 500)
    audit.record(session, place.id, actor, "meeting.cancelled", {"meeting": meeting_id}, note=note)
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
    text = (text or "").strip()
    if not text:
        raise InvalidInput("decision: say in a sentence what the meeting decided")
    if len(text) > MAX_DECISION_CHARS:
        raise InvalidInput(
            f"decision: at most {MAX_DECISION_CHARS:,} characters, not {len(text):,}"
        )
    meeting = open_meeting(session, place, meeting_id)
    _check_started(meeting, "decision", "record its decisions")
    if priority_id is not None:
        get_priority(session, place, priority_id)
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


def _check_started(meeting: Meeting, field: str, what: str) -> None:
    if meeting.starts_at > clock.now():
        local = meeting.starts_local
        raise InvalidInput(
            f"{field}: '{meeting.title}' has not started yet (it starts "
            f"{local:%a} {local.day} {local:%b %Y %H:%M}); {what} once it has"
        )


def set_minutes(
    session: Session, place: Place, meeting_id: int, text: str, *, actor: str | None = None
) -> Meeting:
    """Write the meeting's short minutes (the audit log keeps each version); only once the
    meeting has started."""
    actor = audit.acting(actor)
    if len((text or "").strip()) > MAX_MINUTES_CHARS:
        raise InvalidInput(
            f"minutes: keep them short, at most {MAX_MINUTES_CHARS:,} characters, "
            f"not {len((text or '').strip()):,}"
        )
    _check_started(get_meeting(session, place, meeting_id), "minutes", "write its minutes")
    row = _row(session, place, meeting_id)
    row.minutes_text = (text or "").strip() or None
    session.flush()
    audit.record(
        session, place.id, actor, "meeting.minutes", {"meeting": meeting_id}, note=row.minutes_text
    )
    return _meeting(session, row)
