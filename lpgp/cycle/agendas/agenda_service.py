"""Board agendas in the store: a meeting's items, in order, added, moved, retimed and dropped,
and the builder's proposal written into an empty meeting. The 80% rule, the split of a
meeting's minutes and the builder itself are the pure rules of
:mod:`lpgp.cycle.agendas.agenda_rules`.

The module is not ``lpgp.agenda``: that name is the analyst function ``lpgp.agenda(meeting)``.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lpgp import audit
from lpgp.cycle.actions.tracker import get_action, list_actions
from lpgp.cycle.agendas.agenda_rules import (
    DEFAULT_BOX,
    AgendaItem,
    AgendaView,
    Draft,
    Kind,
    TimeBox,
    check_minutes,
    propose_leadership,
    propose_place_based,
    review,
)
from lpgp.cycle.agendas.ask import ask_progress
from lpgp.cycle.agendas.ask_rules import Outcome
from lpgp.cycle.agendas.meeting import get_meeting, open_meeting
from lpgp.cycle.agendas.meeting_rules import Board
from lpgp.cycle.agreed.priority import get_priority, list_priorities
from lpgp.cycle.board.person import get_person
from lpgp.errors import InvalidInput, NotFound, StateError
from lpgp.model import Place
from lpgp.store.schema import PersonRow
from lpgp.store.schema_delivery import AgendaItemRow


def agenda_items(session: Session, place: Place, meeting_id: int) -> list[AgendaItem]:
    """A meeting's agenda items in order."""
    get_meeting(session, place, meeting_id)
    rows = session.execute(
        select(AgendaItemRow, PersonRow.name)
        .outerjoin(PersonRow, AgendaItemRow.presenter_id == PersonRow.id)
        .where(AgendaItemRow.place_id == place.id, AgendaItemRow.meeting_id == meeting_id)
        .order_by(AgendaItemRow.position, AgendaItemRow.id)
    )
    return [
        AgendaItem(
            id=r.id,
            meeting_id=r.meeting_id,
            position=r.position,
            title=r.title,
            minutes=r.minutes,
            kind=Kind(r.kind),
            priority_id=r.priority_id,
            action_id=r.action_id,
            presenter_id=r.presenter_id,
            presenter=name,
        )
        for r, name in rows
    ]


def show_agenda(session: Session, place: Place, meeting_id: int) -> AgendaView:
    """A meeting's agenda with the split and any warning."""
    return review(get_meeting(session, place, meeting_id), agenda_items(session, place, meeting_id))


def _rows(session: Session, place: Place, meeting_id: int) -> list[AgendaItemRow]:
    return list(
        session.scalars(
            select(AgendaItemRow)
            .where(AgendaItemRow.place_id == place.id, AgendaItemRow.meeting_id == meeting_id)
            .order_by(AgendaItemRow.position, AgendaItemRow.id)
        )
    )


def _renumber(rows: Sequence[AgendaItemRow]) -> None:
    for number, row in enumerate(rows, start=1):
        row.position = number


def add_item(
    session: Session,
    place: Place,
    meeting_id: int,
    item: Draft,
    *,
    position: int | None = None,
    actor: str | None = None,
) -> AgendaView:
    """Add an item (at the end, or at ``position``) and return the recalculated agenda; a
    cancelled meeting takes no new items."""
    actor = audit.acting(actor)
    title = " ".join(item.title.split())
    if not title:
        raise InvalidInput("item title: an agenda item needs a title")
    open_meeting(session, place, meeting_id)
    check_minutes(item.minutes, f"'{title}'")
    if item.priority_id is not None:
        get_priority(session, place, item.priority_id)
    if item.action_id is not None:
        get_action(session, place, item.action_id)
    presenter = (
        get_person(session, place, item.presenter).id if item.presenter is not None else None
    )
    rows = _rows(session, place, meeting_id)
    row = AgendaItemRow(
        place_id=place.id,
        meeting_id=meeting_id,
        position=0,
        title=title,
        minutes=item.minutes,
        kind=Kind(item.kind).value,
        priority_id=item.priority_id,
        action_id=item.action_id,
        presenter_id=presenter,
    )
    session.add(row)
    at = len(rows) if position is None else _check_position(position, len(rows) + 1) - 1
    rows.insert(at, row)
    _renumber(rows)
    session.flush()
    audit.record(
        session, place.id, actor, "agenda.item_added", {"meeting": meeting_id, "title": title}
    )
    return show_agenda(session, place, meeting_id)


def _check_position(position: int, count: int) -> int:
    if not 1 <= position <= count:
        raise InvalidInput(f"position must be from 1 to {count}, not {position}")
    return position


def _row(session: Session, place: Place, meeting_id: int, item_id: int) -> AgendaItemRow:
    for row in _rows(session, place, meeting_id):
        if row.id == item_id:
            return row
    raise NotFound(f"meeting {meeting_id} has no agenda item {item_id}")


def move_item(
    session: Session,
    place: Place,
    meeting_id: int,
    item_id: int,
    position: int,
    *,
    actor: str | None = None,
) -> AgendaView:
    """Move an item to ``position`` (1 is first); the others close up around it."""
    actor = audit.acting(actor)
    open_meeting(session, place, meeting_id)
    rows = _rows(session, place, meeting_id)
    row = _row(session, place, meeting_id, item_id)
    _check_position(position, len(rows))
    rows.remove(row)
    rows.insert(position - 1, row)
    _renumber(rows)
    session.flush()
    audit.record(
        session,
        place.id,
        actor,
        "agenda.item_moved",
        {"meeting": meeting_id, "item": item_id, "to": position},
    )
    return show_agenda(session, place, meeting_id)


def retime_item(
    session: Session,
    place: Place,
    meeting_id: int,
    item_id: int,
    minutes: int,
    *,
    actor: str | None = None,
) -> AgendaView:
    """Give an item a new length in minutes."""
    actor = audit.acting(actor)
    open_meeting(session, place, meeting_id)
    row = _row(session, place, meeting_id, item_id)
    check_minutes(minutes, f"'{row.title}'")
    before, row.minutes = row.minutes, minutes
    session.flush()
    audit.record(
        session,
        place.id,
        actor,
        "agenda.item_retimed",
        {"meeting": meeting_id, "item": item_id, "from": before, "to": minutes},
    )
    return show_agenda(session, place, meeting_id)


def drop_item(
    session: Session, place: Place, meeting_id: int, item_id: int, *, actor: str | None = None
) -> AgendaView:
    """Take an item off the agenda."""
    actor = audit.acting(actor)
    open_meeting(session, place, meeting_id)
    row = _row(session, place, meeting_id, item_id)
    session.delete(row)
    session.flush()
    _renumber(_rows(session, place, meeting_id))
    session.flush()
    audit.record(
        session, place.id, actor, "agenda.item_dropped", {"meeting": meeting_id, "title": row.title}
    )
    return show_agenda(session, place, meeting_id)


def propose_agenda(
    session: Session,
    place: Place,
    meeting_id: int,
    *,
    system_items: Sequence[Draft] = (),
    box: TimeBox = DEFAULT_BOX,
    actor: str | None = None,
) -> tuple[AgendaView, list[str]]:
    """Fill an empty meeting's agenda with the builder's proposal for its board, kept to the
    meeting's length and to the 80% rule; returns the agenda and the notes on what was
    shortened or left out. A meeting that already has items is left alone."""
    actor = audit.acting(actor)
    meeting = open_meeting(session, place, meeting_id)
    count = session.scalar(
        select(func.count())
        .select_from(AgendaItemRow)
        .where(AgendaItemRow.meeting_id == meeting_id)
    )
    if count:
        raise StateError(
            f"meeting {meeting_id} already has {count} agenda items: edit them, or drop them first"
        )
    priorities = list_priorities(session, place, meeting.cycle_id)
    if not priorities:
        raise StateError(
            "there is no agreed list to build an agenda from: confirm priorities first"
        )
    length = meeting.duration_minutes
    if meeting.board is Board.LEADERSHIP:
        actions = list_actions(session, place, meeting.cycle_id)
        drafts, notes = propose_leadership(priorities, actions, system_items, box, length)
    else:
        settled = [
            a.priority_id
            for a in ask_progress(session, place, meeting.cycle_id)
            if a.latest in (Outcome.AGREED, Outcome.DECLINED)
        ]
        drafts, notes = propose_place_based(priorities, settled, box, system_items, length)
    if not drafts:
        raise StateError(
            "there is nothing to propose: every ask of the system has been agreed or declined; "
            "add items by hand"
        )
    for draft in drafts:
        add_item(session, place, meeting_id, draft, actor=actor)
    audit.record(
        session, place.id, actor, "agenda.proposed", {"meeting": meeting_id, "items": len(drafts)}
    )
    return show_agenda(session, place, meeting_id), notes
