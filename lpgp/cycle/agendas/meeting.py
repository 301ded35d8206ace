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

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import overload

from sqlalchemy import select
from sqlalchemy.orm import Session

from lpgp import audit, clock
from lpgp.cycle.agendas.meeting_rules import (
    Board,
    Decision,
    Meeting,
    MeetingInput,
    _text,
    cancelled_words,
    check_duration,
    check_start,
    check_title,
)
from lpgp.cycle.agreed.priority import delivered_cycle, get_priority
from lpgp.cycle.board.person import get_person
from lpgp.errors import InvalidInput, NotFound, StateError
from lpgp.model import Place
from lpgp.store.schema import PersonRow
from lpgp.store.schema_delivery import AttendeeRow, DecisionRow, MeetingRow

MAX_DECISION_CHARS = 1000
MAX_MINUTES_CHARS = 4000  # minutes are short: what was decided and why, not a transcript


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


@overload
def _utc(moment: datetime) -> datetime: ...
@overload
def _utc(moment: None) -> None: ...
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
