"""The agreed list: the priorities the board confirms for a cycle, each with a lead from the
board, the ask of the system, why now, and how success will be measured.

Confirming is one transaction and records who confirmed and when. When the vote's result is
given (its winners in order, as candidate ids), a list that departs from it needs a reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from lpgp import audit, clock
from lpgp.cycle.agreed.priority_rules import (
    AgreedList,
    Priority,
    PriorityInput,
    ResultDraft,
    check_edit,
    check_list,
)
from lpgp.cycle.board.person import get_board_member
from lpgp.cycle.board.place import get_cycle
from lpgp.cycle.candidates.candidate import get_candidate
from lpgp.errors import InvalidInput, NotFound, StateError
from lpgp.model import Cycle, Place
from lpgp.store.schema import PersonRow
from lpgp.store.schema_delivery import AgreedListRow, PriorityRow


def draft_from_result(session: Session, place: Place, vote: int | str) -> ResultDraft:
    """The closed vote's winners in order as a draft list (refused while the vote is open).

    >>> with store.read() as s:  # doctest: +SKIP
    ...     [i.title for i in draft_from_result(s, place, "2026/27 practice vote").items]
    """
    from lpgp.cycle.vote import recount
    from lpgp.cycle.vote import vote as votes

    found = votes.get_vote(session, place, vote)
    outcome = recount.results(session, found)  # refuses a vote that has not closed
    texts = {c.key: c for c in outcome.candidates}
    items = tuple(
        PriorityInput(
            title=texts[key].title,
            ask=texts[key].ask,
            why_now="",
            measure="",
            lead="",
            candidate_id=texts[key].candidate_id,
        )
        for key in outcome.result.winners
    )
    linked = [i.candidate_id for i in items if i.candidate_id is not None]
    return ResultDraft(
        vote_id=found.id,
        vote_title=found.title,
        cycle_id=int(found.cycle_id) if found.cycle_id is not None else 0,
        items=items,
        result_order=tuple(linked) if len(linked) == len(items) else (),
    )


def confirm_list(
    session: Session,
    place: Place,
    items: Sequence[PriorityInput],
    *,
    cycle: str | int | None = None,
    result_order: Sequence[int] = (),
    vote_id: int | None = None,
    departure_reason: str | None = None,
    actor: str | None = None,
) -> AgreedList:
    """Confirm the cycle's agreed list in the caller's transaction; leads must sit on the board.

    A cycle's list is confirmed once; a second confirmation is refused.
    """
    actor = audit.acting(actor)
    how = check_list(items, result_order, departure_reason)
    where = get_cycle(session, place, cycle)
    exists = session.scalar(
        select(AgreedListRow.id).where(
            AgreedListRow.place_id == place.id, AgreedListRow.cycle_id == where.id
        )
    )
    if exists:
        raise StateError(f"the list for '{where.name}' is already confirmed")
    leads = []
    for number, item in enumerate(items, start=1):
        try:
            leads.append(get_board_member(session, place, item.lead))
        except NotFound as exc:
            raise InvalidInput(f"priority {number}: {exc}; a lead must sit on the board") from exc
        if item.candidate_id is not None:
            try:
                found = get_candidate(session, place, item.candidate_id)
            except NotFound as exc:
                raise InvalidInput(f"priority {number}: {exc}") from exc
            if found.cycle_id != where.id:
                raise InvalidInput(
                    f"priority {number}: candidate {item.candidate_id} belongs to another cycle"
                )
    row = AgreedListRow(
        place_id=place.id,
        cycle_id=where.id,
        vote_id=vote_id,
        result_order=[int(c) for c in result_order],
        departure_reason=((departure_reason or "").strip() or None) if how else None,
        confirmed_at=clock.now(),
        confirmed_by=actor,
    )
    session.add(row)
    session.flush()
    for number, (item, lead) in enumerate(zip(items, leads, strict=True), start=1):
        session.add(
            PriorityRow(
                place_id=place.id,
                list_id=row.id,
                position=number,
                title=" ".join(item.title.split()),
                ask=item.ask.strip(),
                why_now=item.why_now.strip(),
                measure=item.measure.strip(),
                lead_id=lead.person_id,
                candidate_id=item.candidate_id,
            )
        )
    session.flush()
    audit.record(
        session,
        place.id,
        actor,
        "priorities.confirmed",
        {"cycle": where.name, "titles": [i.title for i in items], "departure": how},
        note=row.departure_reason,
    )
    return get_list(session, place, where.id)


def delivery_cycle(session: Session, place: Place) -> Cycle | None:
    """The cycle being delivered: the one whose agreed list was confirmed last (None before
    any list is confirmed). A place decides one cycle while it delivers this one."""
    found = session.scalar(
        select(AgreedListRow.cycle_id)
        .where(AgreedListRow.place_id == place.id)
        .order_by(AgreedListRow.confirmed_at.desc(), AgreedListRow.id.desc())
        .limit(1)
    )
    return None if found is None else get_cycle(session, place, int(found))


def confirmed_cycles(session: Session, place: Place) -> list[Cycle]:
    """The place's cycles that have a confirmed list, newest list first."""
    ids = session.scalars(
        select(AgreedListRow.cycle_id)
        .where(AgreedListRow.place_id == place.id)
        .order_by(AgreedListRow.confirmed_at.desc(), AgreedListRow.id.desc())
    )
    return [get_cycle(session, place, int(i)) for i in ids]


def delivered_cycle(session: Session, place: Place, cycle: str | int | None = None) -> Cycle:
    """The cycle a delivery screen, command or export works on: the one named, else the cycle
    being delivered (:func:`delivery_cycle`), else the current cycle."""
    if cycle is not None:
        return get_cycle(session, place, cycle)
    return delivery_cycle(session, place) or get_cycle(session, place)


def edit_priority(
    session: Session,
    place: Place,
    priority_id: int,
    *,
    title: str | None = None,
    ask: str | None = None,
    why_now: str | None = None,
    measure: str | None = None,
    lead: str | int | None = None,
    actor: str | None = None,
) -> Priority:
    """Change a confirmed priority's wording or lead, recording what changed, who changed it
    and when; its place on the list and the candidate it came from stay as confirmed."""
    actor = audit.acting(actor)
    changes = check_edit(
        {"title": title, "ask": ask, "why_now": why_now, "measure": measure, "lead": lead}
    )
    before = get_priority(session, place, int(priority_id))
    row = session.get(PriorityRow, before.id)
    assert row is not None  # get_priority found it
    if "title" in changes:
        key = str(changes["title"]).lower()
        for other in list_priorities(session, place, before.cycle_id):
            if other.id != before.id and other.title.lower() == key:
                raise InvalidInput(f"title: priority {other.position} already has that title")
    record: dict[str, object] = {"priority": before.id}
    for field, value in changes.items():
        if field == "lead":
            try:
                member = get_board_member(session, place, value)
            except NotFound as exc:
                raise InvalidInput(f"lead: {exc}; a lead must sit on the board") from exc
            if member.person_id != before.lead_id:
                record["lead"] = [before.lead, member.name]
                row.lead_id = member.person_id
        elif getattr(before, field) != value:
            record[field] = [getattr(before, field), value]
            setattr(row, field, value)
    if len(record) == 1:
        raise InvalidInput("nothing changed: every field already says that")
    session.flush()
    audit.record(session, place.id, actor, "priority.edited", record)
    return get_priority(session, place, before.id)


def _priority(row: PriorityRow, cycle_id: int, lead: str) -> Priority:
    return Priority(
        id=row.id,
        place_id=row.place_id,
        cycle_id=cycle_id,
        position=row.position,
        title=row.title,
        ask=row.ask,
        why_now=row.why_now,
        measure=row.measure,
        lead_id=row.lead_id,
        lead=lead,
        candidate_id=row.candidate_id,
    )


def _list_row(session: Session, place: Place, cycle: Cycle) -> AgreedListRow | None:
    return session.scalar(
        select(AgreedListRow).where(
            AgreedListRow.place_id == place.id, AgreedListRow.cycle_id == cycle.id
        )
    )


def _utc(moment: datetime) -> datetime:
    # SQLite hands back naive UTC; PostgreSQL an aware time
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def get_list(session: Session, place: Place, cycle: str | int | None = None) -> AgreedList:
    """The cycle's confirmed list (default: the cycle being delivered)."""
    where = delivered_cycle(session, place, cycle)
    row = _list_row(session, place, where)
    if row is None:
        raise NotFound(f"'{where.name}' has no agreed list yet: run 'lpgp priorities confirm'")
    return AgreedList(
        id=row.id,
        place_id=place.id,
        cycle_id=where.id,
        cycle=where.name,
        confirmed_at=_utc(row.confirmed_at),
        confirmed_by=row.confirmed_by,
        priorities=tuple(list_priorities(session, place, where.id)),
        vote_id=row.vote_id,
        result_order=tuple(row.result_order or ()),
        departure_reason=row.departure_reason,
    )


def list_priorities(
    session: Session, place: Place, cycle: str | int | None = None
) -> list[Priority]:
    """The cycle's agreed priorities in list order (default: the cycle being delivered);
    empty before the list is confirmed."""
    where = delivered_cycle(session, place, cycle)
    rows = session.execute(
        select(PriorityRow, PersonRow.name)
        .join(AgreedListRow, PriorityRow.list_id == AgreedListRow.id)
        .join(PersonRow, PriorityRow.lead_id == PersonRow.id)
        .where(PriorityRow.place_id == place.id, AgreedListRow.cycle_id == where.id)
        .order_by(PriorityRow.position)
    )
    return [_priority(r, where.id, lead) for r, lead in rows]


def get_priority(
    session: Session, place: Place, key: str | int, cycle: str | int | None = None
) -> Priority:
    """A priority by id (an int), or by its position on the cycle's list ("2") or its title."""
    if isinstance(key, int):
        row = session.execute(
            select(PriorityRow, PersonRow.name, AgreedListRow.cycle_id)
            .join(AgreedListRow, PriorityRow.list_id == AgreedListRow.id)
            .join(PersonRow, PriorityRow.lead_id == PersonRow.id)
            .where(PriorityRow.place_id == place.id, PriorityRow.id == key)
        ).first()
        if row is None:
            raise NotFound(f"{place.name} has no priority with id {key}")
        return _priority(row[0], row[2], row[1])
    text = " ".join(str(key).split())
    for item in list_priorities(session, place, cycle):
        if (text.isdigit() and item.position == int(text)) or item.title.lower() == text.lower():
            return item
    raise NotFound(f"the agreed list has no priority '{key}' (give its number or title)")
