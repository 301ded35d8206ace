"""Collectors: read the store and build the document model the renderers draw.

Each takes a session and a place first (like every domain module) and never writes. The
renderers never see the store, so what a file says can be tested from the model alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from .. import audit, clock, tracker
from ..agenda import Kind, agenda_items
from ..agenda import warning as agenda_warning
from ..errors import NotFound
from ..meeting import Meeting as StoredMeeting
from ..meeting import get_meeting, list_meetings
from ..model import Place
from ..place import get_cycle
from ..priority import list_priorities
from .model import (
    ActionLog,
    ActionLogRow,
    AgendaEntry,
    AgendaPack,
    AgreedPriority,
    Audience,
    Meeting,
    SummaryDoc,
)

# Audit actions that do not change what an invite says (things recorded at or after the meeting).
NOT_INVITE_CHANGES = frozenset({"meeting.added", "meeting.decision", "meeting.minutes"})


def invite_sequence(actions: Iterable[str]) -> int:
    """An invite's SEQUENCE from the meeting's audit trail: one per change since it was added.

    >>> invite_sequence(["meeting.added", "agenda.item_added", "agenda.item_moved"])
    2
    >>> invite_sequence(["meeting.added", "meeting.minutes"])
    0
    """
    return sum(1 for action in actions if action not in NOT_INVITE_CHANGES)


def _log_row(action: tracker.Action) -> ActionLogRow:
    return ActionLogRow(
        priority=action.priority,
        action=action.title,
        owner=action.owner,
        due=action.due,
        status=action.status.label,
        rag=action.rag.value.capitalize(),
        last_update_on=action.last_update,
        last_update=action.latest_note,
    )


def collect_summary(
    session: Session,
    place: Place,
    cycle: str | int | None = None,
    audience: Audience | str = Audience.PRACTICES,
) -> SummaryDoc:
    """The priority summary of a cycle: the agreed list with leads, asks and why now."""
    where = get_cycle(session, place, cycle)
    priorities = tuple(
        AgreedPriority(p.position, p.title, p.lead, p.ask, p.why_now, p.measure)
        for p in list_priorities(session, place, where.id)
    )
    return SummaryDoc(
        place=place.name,
        cycle=where.name,
        audience=Audience(audience),
        produced_on=clock.today(),
        priorities=priorities,
    )


def collect_actions(session: Session, place: Place, cycle: str | int | None = None) -> ActionLog:
    """The cycle's action log: by priority, what needs attention first within each."""
    where = get_cycle(session, place, cycle)
    actions = tracker.list_actions(session, place, where.id)
    actions.sort(key=lambda a: a.priority_position)  # stable: keeps attention order within
    return ActionLog(
        place=place.name,
        cycle=where.name,
        produced_on=clock.today(),
        rows=tuple(_log_row(a) for a in actions),
        priorities=tuple(p.title for p in list_priorities(session, place, where.id)),
    )


def _changes(session: Session, place: Place) -> dict[int, list[tuple[str, datetime]]]:
    out: dict[int, list[tuple[str, datetime]]] = {}
    for entry in audit.entries(session, place.id):
        meeting_id = (entry.detail or {}).get("meeting")
        if isinstance(meeting_id, int):
            out.setdefault(meeting_id, []).append((entry.action, entry.at))
    return out


def _meeting(
    session: Session,
    place: Place,
    stored: StoredMeeting,
    changes: Sequence[tuple[str, datetime]],
    actions: Sequence[tracker.Action],
) -> Meeting:
    titles = {p.id: p.title for p in list_priorities(session, place, stored.cycle_id)}
    entries = []
    for item in agenda_items(session, place, stored.id):
        linked = [
            a
            for a in actions
            if (item.priority_id is not None and a.priority_id == item.priority_id)
            or a.id == item.action_id
        ]
        priority = titles.get(item.priority_id) or (linked[0].priority if linked else None)
        entries.append(
            AgendaEntry(
                title=item.title,
                minutes=item.minutes,
                kind=item.kind.label,
                innovation=item.kind is Kind.INNOVATION,
                presenter=item.presenter,
                priority=priority,
                actions=tuple(_log_row(a) for a in linked),
            )
        )
    where = ", ".join(x for x in (stored.location, stored.video_link) if x) or None
    edits = [at for action, at in changes if action not in NOT_INVITE_CHANGES]
    return Meeting(
        key=str(stored.id),
        title=stored.title,
        body=stored.board.label,
        start=stored.starts_at,
        minutes=stored.duration_minutes,
        location=where,
        attendees=stored.attendees,
        items=tuple(entries),
        sequence=invite_sequence(action for action, _ in changes),
        changed_at=max(edits) if edits else None,
    )


def collect_meetings(
    session: Session, place: Place, cycle: str | int | None = None
) -> list[Meeting]:
    """Every meeting of the cycle, earliest first, with agendas and invite sequence numbers."""
    where = get_cycle(session, place, cycle)
    changes = _changes(session, place)
    actions = tracker.list_actions(session, place, where.id)
    return [
        _meeting(session, place, m, changes.get(m.id, ()), actions)
        for m in list_meetings(session, place, where.id)
    ]


def next_meeting_id(session: Session, place: Place, cycle: str | int | None = None) -> int:
    """The id of the cycle's next meeting: the first that has not ended yet."""
    now = clock.now()
    where = get_cycle(session, place, cycle)
    for stored in list_meetings(session, place, where.id):
        if stored.starts_at.timestamp() + 60 * stored.duration_minutes > now.timestamp():
            return stored.id
    raise NotFound(f"'{where.name}' has no meeting still to come: give a meeting id")


def collect_meeting(session: Session, place: Place, meeting_id: int) -> Meeting:
    """One meeting with its agenda, the linked actions and its invite sequence."""
    stored = get_meeting(session, place, meeting_id)
    actions = tracker.list_actions(session, place, stored.cycle_id)
    return _meeting(session, place, stored, _changes(session, place).get(stored.id, ()), actions)


def collect_agenda(session: Session, place: Place, meeting_id: int) -> AgendaPack:
    """The agenda pack of a meeting, with the agenda builder's warning when under the rule."""
    stored = get_meeting(session, place, meeting_id)
    meeting = collect_meeting(session, place, meeting_id)
    where = get_cycle(session, place, stored.cycle_id)
    warning = agenda_warning(agenda_items(session, place, meeting_id))
    return AgendaPack(
        place=place.name,
        cycle=where.name,
        meeting=meeting,
        produced_on=clock.today(),
        notes=(warning,) if warning else (),
    )
