"""Carrying unfinished actions over from one cycle's agreed list to the next.

A board delivers one list while it decides the next. When the next list is confirmed, the old
list's unfinished actions stay with their cycle, where they can still be read; the chair may
carry any of them over to a priority of the new list. Carrying adds an action to the new
priority that continues the old one (same title and owner, its status and due date as they
stood), and records where it came from; the old action is left exactly as it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from lpgp import audit, clock
from lpgp.cycle.actions.tracker import add_action, get_action, list_actions
from lpgp.cycle.actions.tracker_rules import Action, ActionInput, Status
from lpgp.cycle.agreed.priority import delivered_cycle, get_priority
from lpgp.errors import InvalidInput, StateError
from lpgp.model import Place
from lpgp.store.schema_delivery import ActionRow, AgreedListRow, PriorityRow


@dataclass(frozen=True)
class Unfinished:
    """An action of an earlier cycle's list that was not done, and where it went if carried."""

    action: Action
    cycle_id: int
    cycle: str
    carried_to: int | None = None


def refusal(status: Status, carried_to: int | None, same_cycle: bool) -> str | None:
    """Why an action cannot be carried over, or None when it can (pure).

    >>> refusal(Status.ON_TRACK, None, False) is None
    True
    >>> refusal(Status.DONE, None, False)
    'it is done'
    >>> refusal(Status.AT_RISK, 41, False)
    'it was already carried over (as action 41)'
    >>> refusal(Status.AT_RISK, None, True)
    'it is already on the list being delivered'
    """
    if same_cycle:
        return "it is already on the list being delivered"
    if status is Status.DONE:
        return "it is done"
    if carried_to is not None:
        return f"it was already carried over (as action {carried_to})"
    return None


def carried(session: Session, place: Place) -> dict[int, int]:
    """Each carried-over action's id and the id of the action that continues it."""
    rows = session.execute(
        select(ActionRow.carried_from_id, ActionRow.id).where(
            ActionRow.place_id == place.id, ActionRow.carried_from_id.is_not(None)
        )
    )
    return {int(old): int(new) for old, new in rows if old is not None}


def unfinished(session: Session, place: Place, cycle: str | int | None = None) -> list[Unfinished]:
    """The unfinished actions of every list confirmed before the cycle's (default: the cycle
    being delivered), newest list first, with where each was carried, if it was."""
    target = delivered_cycle(session, place, cycle)
    earlier = session.execute(
        select(AgreedListRow.cycle_id)
        .where(AgreedListRow.place_id == place.id, AgreedListRow.cycle_id != target.id)
        .order_by(AgreedListRow.confirmed_at.desc(), AgreedListRow.id.desc())
    ).scalars()
    moved = carried(session, place)
    out = []
    for cycle_id in earlier:
        where = delivered_cycle(session, place, int(cycle_id))
        for action in list_actions(session, place, where.id):
            if action.status is not Status.DONE:
                out.append(Unfinished(action, where.id, where.name, moved.get(action.id)))
    return out


def carry_over(
    session: Session,
    place: Place,
    action_ids: Sequence[int],
    priority: int | str,
    *,
    actor: str | None = None,
) -> list[Action]:
    """Carry earlier cycles' unfinished actions over to a priority of the list being
    delivered, in the caller's transaction: all of them, or none if any is refused."""
    actor = audit.acting(actor)
    if not action_ids:
        raise InvalidInput("actions: choose at least one action to carry over")
    target_cycle = delivered_cycle(session, place)
    target = get_priority(session, place, priority, target_cycle.id)
    on_list = session.scalar(
        select(AgreedListRow.cycle_id)
        .join(PriorityRow, PriorityRow.list_id == AgreedListRow.id)
        .where(PriorityRow.id == target.id)
    )
    if on_list != target_cycle.id:
        raise InvalidInput(f"priority: '{target.title}' is not on the list being delivered")
    moved = carried(session, place)
    made = []
    for action_id in dict.fromkeys(int(a) for a in action_ids):
        old = get_action(session, place, action_id)
        old_cycle = get_priority(session, place, old.priority_id).cycle_id
        why = refusal(old.status, moved.get(old.id), old_cycle == target_cycle.id)
        if why:
            raise StateError(f"action {old.id} ('{old.title}') cannot be carried over: {why}")
        from_cycle = delivered_cycle(session, place, old_cycle)
        new = add_action(
            session,
            place,
            ActionInput(
                target.id,
                old.title,
                old.owner_id,
                old.due,
                old.status,
                f"Carried over from {from_cycle.name}: {old.priority} (action {old.id})",
            ),
            on=clock.today(),
            actor=actor,
        )
        row = session.get_one(ActionRow, new.id)
        row.carried_from_id = old.id
        session.flush()
        audit.record(
            session,
            place.id,
            actor,
            "action.carried_over",
            {"from": old.id, "to": new.id, "priority": target.title, "cycle": target_cycle.name},
        )
        made.append(new)
    return made
