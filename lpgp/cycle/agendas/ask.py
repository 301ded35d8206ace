"""Asks of the system: each agreed priority carries an ask of the place-based partnership
board, and its log records what that board did with it (raised, agreed, declined, deferred),
when, at which meeting, with a note. The log is append-only.

The board is judged by its influence on the local system, so the per-priority view counts the
times each ask was made and agreed and how long it has been since anything moved.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from lpgp import audit, clock
from lpgp.cycle.agendas.ask_rules import AskEvent, AskProgress, Outcome, progress
from lpgp.cycle.agendas.meeting import get_meeting
from lpgp.cycle.agendas.meeting_rules import Board
from lpgp.cycle.agreed.priority import get_priority, list_priorities
from lpgp.errors import InvalidInput
from lpgp.model import Place
from lpgp.store.schema_delivery import AskEventRow, MeetingRow


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
