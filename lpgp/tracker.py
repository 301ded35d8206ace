"""The action tracker: actions towards each agreed priority, their owners, due dates, status
and dated updates, with a RAG rating and an order that puts what needs attention first.

Updates are append-only: an action's status and due date are those of its latest update, and
a correction is simply a newer update. The rules (RAG, attention order, stale, summary) are
pure functions of plain values and today's date.

The RAG rule, in order:

1. done -> complete, whatever the dates say;
2. past its due date (and not done) -> red, whatever its status says;
3. off track -> red; at risk -> amber; on track -> green;
4. not started -> amber when due within the "due soon" window, otherwise grey.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import audit, clock
from .errors import InvalidInput, NotFound
from .model import Place
from .person import get_person
from .priority import Priority, get_priority, list_priorities
from .store.schema import PersonRow
from .store.schema_delivery import ActionRow, ActionUpdateRow

DUE_SOON_DAYS = 14
STALE_WEEKS = 4


class Status(StrEnum):
    """What the owner says about an action."""

    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    DONE = "done"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class Rag(StrEnum):
    """The rating the tracker derives (see the module's rule)."""

    RED = "red"
    AMBER = "amber"
    GREEN = "green"
    GREY = "grey"
    COMPLETE = "complete"


def parse_status(text: str) -> Status:
    """Read a status from its id or label, forgiving case, spaces and hyphens.

    >>> parse_status("Off-track")
    <Status.OFF_TRACK: 'off_track'>
    >>> parse_status("complete")
    <Status.DONE: 'done'>
    """
    key = re.sub(r"[^a-z]+", "_", str(text).strip().lower()).strip("_")
    aliases = {
        "complete": Status.DONE,
        "completed": Status.DONE,
        "not_yet_started": Status.NOT_STARTED,
    }
    if key in aliases:
        return aliases[key]
    for status in Status:
        if key == status.value:
            return status
    allowed = ", ".join(s.label.lower() for s in Status)
    raise InvalidInput(f"'{text}' is not a status; use one of: {allowed}")


def parse_rag(text: str) -> Rag:
    """Read a RAG rating, forgiving case and spaces.

    >>> parse_rag(" Red ")
    <Rag.RED: 'red'>
    """
    key = str(text).strip().lower()
    for value in Rag:
        if key == value.value:
            return value
    raise InvalidInput(
        f"'{text}' is not a RAG rating; use one of: {', '.join(r.value for r in Rag)}"
    )


def rag(status: Status, due: date, today: date, soon_days: int = DUE_SOON_DAYS) -> Rag:
    """The RAG rating of an action by the module's stated rule.

    >>> rag(Status.ON_TRACK, date(2027, 5, 3), today=date(2027, 5, 4))
    <Rag.RED: 'red'>
    >>> rag(Status.DONE, date(2027, 5, 3), today=date(2027, 5, 4))
    <Rag.COMPLETE: 'complete'>
    """
    if status is Status.DONE:
        return Rag.COMPLETE
    if due < today or status is Status.OFF_TRACK:
        return Rag.RED
    if status is Status.AT_RISK:
        return Rag.AMBER
    if status is Status.ON_TRACK:
        return Rag.GREEN
    return Rag.AMBER if due <= today + timedelta(days=soon_days) else Rag.GREY


def rag_reason(
    status: Status, due: date, today: date, soon_days: int = DUE_SOON_DAYS
) -> str | None:
    """Why an action's RAG is not the one its status alone would give, or None when they
    agree (pure): past its due date, an action is red whatever its status says, and one not
    started turns amber two weeks before it is due.

    >>> rag_reason(Status.ON_TRACK, date(2027, 5, 3), today=date(2027, 5, 4))
    'Red: past its due date, whatever its status says'
    >>> rag_reason(Status.NOT_STARTED, date(2027, 5, 10), today=date(2027, 5, 4))
    'Amber: not started and due within 14 days'
    >>> rag_reason(Status.AT_RISK, date(2027, 6, 1), today=date(2027, 5, 4)) is None
    True
    """
    if status is Status.DONE or status is Status.OFF_TRACK:
        return None
    if due < today:
        return "Red: past its due date, whatever its status says"
    if status is Status.NOT_STARTED and due <= today + timedelta(days=soon_days):
        return f"Amber: not started and due within {soon_days} days"
    return None


def attention_group(status: Status, due: date, today: date, soon_days: int = DUE_SOON_DAYS) -> int:
    """Where an action sorts: 0 overdue, 1 off track, 2 at risk, 3 due soon, 4 other open, 5 done.

    >>> attention_group(Status.ON_TRACK, date(2027, 5, 3), today=date(2027, 5, 4))
    0
    """
    if status is Status.DONE:
        return 5
    if due < today:
        return 0
    if status is Status.OFF_TRACK:
        return 1
    if status is Status.AT_RISK:
        return 2
    if due <= today + timedelta(days=soon_days):
        return 3
    return 4


ATTENTION_LABELS = ("overdue", "off track", "at risk", "due soon", "open", "done")


def is_stale(status: Status, last_update: date, today: date, weeks: int = STALE_WEEKS) -> bool:
    """An open action is stale when its latest update is ``weeks`` weeks old or older.

    >>> is_stale(Status.ON_TRACK, date(2027, 4, 1), date(2027, 4, 29), weeks=4)
    True
    >>> is_stale(Status.ON_TRACK, date(2027, 4, 2), date(2027, 4, 29), weeks=4)
    False
    """
    if weeks < 1:
        raise InvalidInput(f"the stale threshold must be at least one week, not {weeks}")
    return status is not Status.DONE and (today - last_update).days >= 7 * weeks


@dataclass(frozen=True)
class ActionUpdate:
    """One dated update: the status on that date, a new due date if it moved, a note."""

    id: int
    action_id: int
    on: date
    status: Status
    due: date | None
    note: str | None
    recorded_at: datetime
    recorded_by: str


@dataclass(frozen=True)
class Action:
    """An action as the tracker shows it, with everything derived for today."""

    id: int
    place_id: int
    priority_id: int
    priority_position: int
    priority: str
    title: str
    owner_id: int
    owner: str
    due: date
    status: Status
    rag: Rag
    overdue: bool
    due_soon: bool
    stale: bool
    attention: str
    last_update: date
    days_since_update: int
    latest_note: str | None = None


@dataclass(frozen=True)
class ActionInput:
    """A new action before it is stored; ``priority`` and ``owner`` are ids, numbers or names."""

    priority: str | int
    title: str
    owner: str | int
    due: date
    status: Status = Status.NOT_STARTED
    note: str | None = None


@dataclass(frozen=True)
class PrioritySummary:
    """How a priority's actions stand: counts by RAG, the next due date, the freshest update."""

    priority_id: int
    position: int
    title: str
    total: int
    counts: dict[str, int] = field(default_factory=dict)
    next_due: date | None = None
    days_since_update: int | None = None
    stale: int = 0


def current_state(updates: Sequence[ActionUpdate]) -> tuple[Status, date, date, str | None]:
    """Fold an action's updates (oldest first) into (status, due, last update date, last note).

    >>> t = datetime(2027, 1, 1)
    >>> start, due = date(2027, 1, 4), date(2027, 3, 1)
    >>> first = ActionUpdate(1, 1, start, Status.NOT_STARTED, due, None, t, "a")
    >>> later = ActionUpdate(2, 1, date(2027, 2, 1), Status.AT_RISK, None, "slipping", t, "a")
    >>> current_state([first, later])
    (<Status.AT_RISK: 'at_risk'>, datetime.date(2027, 3, 1), datetime.date(2027, 2, 1), 'slipping')
    """
    if not updates:
        raise InvalidInput("an action needs at least one update")
    due = None
    for update in updates:
        if update.due is not None:
            due = update.due
    if due is None:
        raise InvalidInput("an action needs a due date")
    last = updates[-1]
    return last.status, due, max(u.on for u in updates), last.note


def attention_order(actions: Iterable[Action]) -> list[Action]:
    """Actions in the order that needs attention first, earliest due within each group."""
    return sorted(
        actions,
        key=lambda a: (ATTENTION_LABELS.index(a.attention), a.due, a.priority_position, a.id),
    )


def summarise(actions: Iterable[Action], priorities: Sequence[Priority]) -> list[PrioritySummary]:
    """One summary per priority in list order (pure): counts by RAG, next due, freshest update."""
    by_priority: dict[int, list[Action]] = {p.id: [] for p in priorities}
    for action in actions:
        by_priority.setdefault(action.priority_id, []).append(action)
    out = []
    for p in priorities:
        mine = by_priority[p.id]
        counts = {r.value: sum(1 for a in mine if a.rag is r) for r in Rag}
        open_dues = [a.due for a in mine if a.status is not Status.DONE]
        ages = [a.days_since_update for a in mine]
        out.append(
            PrioritySummary(
                priority_id=p.id,
                position=p.position,
                title=p.title,
                total=len(mine),
                counts=counts,
                next_due=min(open_dues) if open_dues else None,
                days_since_update=min(ages) if ages else None,
                stale=sum(1 for a in mine if a.stale),
            )
        )
    return out


TITLE_LENGTH = 300  # what the store's column holds
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def spoken_date(value: date) -> str:
    """A date as a sentence says it.

    >>> spoken_date(date(2027, 5, 4))
    '4 May 2027'
    """
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def clean_title(text: str) -> str:
    """An action's title as stored: single spaces, not blank, at most :data:`TITLE_LENGTH`
    characters; refused naming the field a form calls it.

    >>> clean_title("  Book   the rooms ")
    'Book the rooms'
    >>> clean_title("   ")
    Traceback (most recent call last):
    ...
    lpgp.errors.InvalidInput: title: an action needs a title (say what will be done)
    """
    title = " ".join(str(text or "").split())
    if not title:
        raise InvalidInput("title: an action needs a title (say what will be done)")
    if len(title) > TITLE_LENGTH:
        raise InvalidInput(
            f"title: {len(title)} characters is too long; keep it to {TITLE_LENGTH} and put "
            "the detail in the note"
        )
    return title


def check_update_dates(
    on: date | None, today: date, new_due: date | None = None, latest: date | None = None
) -> date:
    """The date of an update, checked: given, not after today and not before the action's
    ``latest`` update (the latest-dated update is the action's state, so an earlier one would
    be filed under it and change nothing); a new due date, when there is one, not before the
    update (it would make the action overdue the moment it is moved). Refused naming the field
    a form calls it.

    >>> check_update_dates(date(2027, 5, 4), date(2027, 5, 4), new_due=date(2027, 6, 1))
    datetime.date(2027, 5, 4)
    >>> check_update_dates(date(2027, 5, 5), date(2027, 5, 4))
    Traceback (most recent call last):
    ...
    lpgp.errors.InvalidInput: date of the update: 5 May 2027 is after today; an update records what has happened
    >>> check_update_dates(date(2027, 5, 4), date(2027, 5, 4), new_due=date(2027, 5, 3))
    Traceback (most recent call last):
    ...
    lpgp.errors.InvalidInput: new due date: 3 May 2027 is before the date of the update (4 May 2027)
    >>> check_update_dates(date(2027, 5, 3), date(2027, 5, 4), latest=date(2027, 5, 4))
    Traceback (most recent call last):
    ...
    lpgp.errors.InvalidInput: date of the update: 3 May 2027 is before the action's latest update (4 May 2027)
    """  # noqa: E501
    if on is None:
        raise InvalidInput("date of the update: choose the date it happened")
    if on > today:
        raise InvalidInput(
            f"date of the update: {spoken_date(on)} is after today; an update records what "
            "has happened"
        )
    if latest is not None and on < latest:
        raise InvalidInput(
            f"date of the update: {spoken_date(on)} is before the action's latest update "
            f"({spoken_date(latest)})"
        )
    if new_due is not None and new_due < on:
        raise InvalidInput(
            f"new due date: {spoken_date(new_due)} is before the date of the update "
            f"({spoken_date(on)})"
        )
    return on


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
