"""The action tracker: actions towards each agreed priority, their owners, due dates, status
and dated updates, stored, with each action's RAG rating and attention for today.

Updates are append-only: an action's status and due date are those of its latest update, and
a correction is simply a newer update. The rules (RAG, attention order, stale, summary) are
pure functions of plain values and today's date, in :mod:`lpgp.cycle.actions.tracker_rules`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from lpgp import audit, clock
from lpgp.cycle.actions.tracker_rules import (
    ATTENTION_LABELS,
    DUE_SOON_DAYS,
    STALE_WEEKS,
    Action,
    ActionInput,
    ActionUpdate,
    PrioritySummary,
    Rag,
    Status,
    attention_group,
    attention_order,
    current_state,
    is_stale,
    parse_rag,
    parse_status,
    rag,
    summarise,
)
from lpgp.cycle.agreed.priority import get_priority, list_priorities
from lpgp.cycle.agreed.priority_rules import Priority
from lpgp.cycle.board.person import get_person
from lpgp.errors import InvalidInput, NotFound
from lpgp.model import Place
from lpgp.store.schema import PersonRow
from lpgp.store.schema_delivery import ActionRow, ActionUpdateRow


def _check_title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise InvalidInput("an action needs a title")
    return title


def add_action(
    session: Session,
    place: Place,
    item: ActionInput,
    *,
    cycle: str | int | None = None,
    on: date | None = None,
    actor: str | None = None,
) -> Action:
    """Add an action to an agreed priority; its first update, dated ``on`` (default today),
    records the starting status and due date."""
    actor = audit.acting(actor)
    title = _check_title(item.title)
    when = _check_date(on)
    priority = _resolve_priority(session, place, item.priority, cycle)
    owner = get_person(session, place, item.owner)
    row = ActionRow(
        place_id=place.id,
        priority_id=priority.id,
        title=title,
        owner_id=owner.id,
        created_at=clock.now(),
    )
    session.add(row)
    session.flush()
    _add_update(
        session,
        place,
        row.id,
        item.status,
        item.due,
        item.note or "Action added",
        when,
        actor,
    )
    audit.record(
        session,
        place.id,
        actor,
        "action.added",
        {"action": row.id, "title": title, "owner": owner.name},
    )
    return get_action(session, place, row.id)


def _check_date(on: date | None) -> date:
    when = on or clock.today()
    if when > clock.today():
        raise InvalidInput(f"an update cannot be dated in the future ({when})")
    return when


def _resolve_priority(
    session: Session, place: Place, key: str | int | Priority, cycle: str | int | None
) -> Priority:
    if isinstance(key, Priority):
        return key
    return get_priority(session, place, key, cycle)


def _add_update(
    session: Session,
    place: Place,
    action_id: int,
    status: Status,
    due: date | None,
    note: str | None,
    on: date,
    actor: str,
) -> None:
    session.add(
        ActionUpdateRow(
            place_id=place.id,
            action_id=action_id,
            on=on,
            status=status.value,
            due=due,
            note=(note or "").strip() or None,
            recorded_at=clock.now(),
            recorded_by=actor,
        )
    )
    session.flush()


def update_action(
    session: Session,
    place: Place,
    action_id: int,
    *,
    status: Status | None = None,
    due: date | None = None,
    note: str | None = None,
    on: date | None = None,
    actor: str | None = None,
) -> Action:
    """Append a dated update (default dated today); nothing earlier is changed.

    Give at least one of a status, a new due date or a note; the status carries over otherwise.
    """
    actor = audit.acting(actor)
    current = get_action(session, place, action_id)
    if status is None and due is None and not (note or "").strip():
        raise InvalidInput("an update needs a status, a new due date or a note")
    when = _check_date(on)
    _add_update(session, place, action_id, status or current.status, due, note, when, actor)
    audit.record(
        session,
        place.id,
        actor,
        "action.updated",
        {
            "action": action_id,
            "status": (status or current.status).value,
            "due": str(due) if due else None,
        },
    )
    return get_action(session, place, action_id)


def _update(row: ActionUpdateRow) -> ActionUpdate:
    return ActionUpdate(
        id=row.id,
        action_id=row.action_id,
        on=row.on,
        status=Status(row.status),
        due=row.due,
        note=row.note,
        recorded_at=row.recorded_at,
        recorded_by=row.recorded_by,
    )


def action_updates(
    session: Session, place: Place, action_id: int | None = None
) -> list[ActionUpdate]:
    """Every update of one action (or of all the place's actions), oldest first."""
    query = select(ActionUpdateRow).where(ActionUpdateRow.place_id == place.id)
    if action_id is not None:
        query = query.where(ActionUpdateRow.action_id == action_id)
    return [
        _update(r) for r in session.scalars(query.order_by(ActionUpdateRow.on, ActionUpdateRow.id))
    ]


def latest_updates(
    session: Session, place: Place, cycle: str | int | None = None
) -> list[ActionUpdate]:
    """The latest update of each action of the cycle's list, in action order."""
    ids = {a.id for a in list_actions(session, place, cycle)}
    latest: dict[int, ActionUpdate] = {}
    for update in action_updates(session, place):
        if update.action_id in ids:
            latest[update.action_id] = update
    return [latest[i] for i in sorted(latest)]


def _build(
    row: ActionRow,
    priority: Priority,
    owner: str,
    updates: Sequence[ActionUpdate],
    today: date,
    stale_weeks: int,
    soon_days: int,
) -> Action:
    status, due, last, note = current_state(updates)
    group = attention_group(status, due, today, soon_days)
    return Action(
        id=row.id,
        place_id=row.place_id,
        priority_id=priority.id,
        priority_position=priority.position,
        priority=priority.title,
        title=row.title,
        owner_id=row.owner_id,
        owner=owner,
        due=due,
        status=status,
        rag=rag(status, due, today, soon_days),
        overdue=group == 0,
        due_soon=status is not Status.DONE and today <= due <= today + timedelta(days=soon_days),
        stale=is_stale(status, last, today, stale_weeks),
        attention=ATTENTION_LABELS[group],
        last_update=last,
        days_since_update=(today - last).days,
        latest_note=note,
    )


def list_actions(
    session: Session,
    place: Place,
    cycle: str | int | None = None,
    *,
    priority: str | int | None = None,
    owner: str | int | None = None,
    status: Status | str | None = None,
    rag_is: Rag | str | None = None,
    stale_weeks: int = STALE_WEEKS,
    soon_days: int = DUE_SOON_DAYS,
) -> list[Action]:
    """The cycle's actions, what needs attention first, optionally filtered."""
    if stale_weeks < 1:
        raise InvalidInput(f"the stale threshold must be at least one week, not {stale_weeks}")
    priorities = {p.id: p for p in list_priorities(session, place, cycle)}
    if not priorities:
        return []
    query = (
        select(ActionRow, PersonRow.name)
        .join(PersonRow, ActionRow.owner_id == PersonRow.id)
        .where(ActionRow.place_id == place.id, ActionRow.priority_id.in_(list(priorities)))
    )
    if priority is not None:
        query = query.where(
            ActionRow.priority_id == _resolve_priority(session, place, priority, cycle).id
        )
    if owner is not None:
        query = query.where(ActionRow.owner_id == get_person(session, place, owner).id)
    rows = list(session.execute(query))
    updates: dict[int, list[ActionUpdate]] = {}
    for update in action_updates(session, place):
        updates.setdefault(update.action_id, []).append(update)
    today = clock.today()
    out = [
        _build(
            row,
            priorities[row.priority_id],
            name,
            updates.get(row.id, ()),
            today,
            stale_weeks,
            soon_days,
        )
        for row, name in rows
    ]
    if status is not None:
        wanted = status if isinstance(status, Status) else parse_status(status)
        out = [a for a in out if a.status is wanted]
    if rag_is is not None:
        wanted_rag = parse_rag(rag_is)
        out = [a for a in out if a.rag is wanted_rag]
    return attention_order(out)


def get_action(
    session: Session,
    place: Place,
    action_id: int,
    *,
    stale_weeks: int = STALE_WEEKS,
    soon_days: int = DUE_SOON_DAYS,
) -> Action:
    """One action by id, as the tracker shows it today."""
    row = session.execute(
        select(ActionRow, PersonRow.name)
        .join(PersonRow, ActionRow.owner_id == PersonRow.id)
        .where(ActionRow.place_id == place.id, ActionRow.id == action_id)
    ).first()
    if row is None:
        raise NotFound(f"{place.name} has no action {action_id}")
    action, owner = row
    priority = get_priority(session, place, action.priority_id)
    return _build(
        action,
        priority,
        owner,
        action_updates(session, place, action_id),
        clock.today(),
        stale_weeks,
        soon_days,
    )


def priority_summaries(
    session: Session,
    place: Place,
    cycle: str | int | None = None,
    *,
    stale_weeks: int = STALE_WEEKS,
) -> list[PrioritySummary]:
    """The per-priority summary of the cycle's actions."""
    return summarise(
        list_actions(session, place, cycle, stale_weeks=stale_weeks),
        list_priorities(session, place, cycle),
    )


def import_actions(
    session: Session,
    place: Place,
    items: Sequence[ActionInput],
    *,
    cycle: str | int | None = None,
    actor: str | None = None,
) -> list[Action]:
    """Add already-validated actions in the caller's transaction (all or nothing)."""
    actor = audit.acting(actor)
    return [add_action(session, place, item, cycle=cycle, actor=actor) for item in items]
