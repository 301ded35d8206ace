"""Candidate priorities a board drafts for a cycle, and the states they move through.

A candidate is drafted, may be shortlisted, goes on the practices' ballot, and ends agreed or
not taken forward. Functions take a session first and never commit.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from lpgp import audit, clock
from lpgp.cycle.candidates.candidate_rules import (
    Candidate,
    CandidateInput,
    CandidateState,
    check_candidate,
    check_transition,
    parse_state,
)
from lpgp.cycle.candidates.drafting import Quality
from lpgp.errors import InvalidInput, NotFound, StateError
from lpgp.model import Cycle, Place
from lpgp.store.schema_shortlist import CandidateRow


def _candidate(row: CandidateRow) -> Candidate:
    order = list(Quality)
    qualities = sorted((Quality(q) for q in row.qualities or []), key=order.index)
    return Candidate(
        id=row.id,
        place_id=row.place_id,
        cycle_id=row.cycle_id,
        title=row.title,
        description=row.description or "",
        ask=row.ask or "",
        actions=row.actions or "",
        qualities=tuple(qualities),
        state=CandidateState(row.state),
        proposed_by=row.proposed_by or "",
    )


def _row(session: Session, place: Place, candidate_id: int) -> CandidateRow:
    row = session.scalar(
        select(CandidateRow).where(
            CandidateRow.place_id == place.id, CandidateRow.id == int(candidate_id)
        )
    )
    if row is None:
        raise NotFound(f"{place.name} has no candidate {candidate_id}")
    return row


def _title_taken(session: Session, cycle_id: int, title: str, but: int | None = None) -> bool:
    query = select(CandidateRow.id).where(
        CandidateRow.cycle_id == cycle_id, CandidateRow.title == title
    )
    if but is not None:
        query = query.where(CandidateRow.id != but)
    return session.scalar(query) is not None


def add_candidate(
    session: Session, place: Place, cycle: Cycle, item: CandidateInput, *, actor: str | None = None
) -> Candidate:
    """Draft a new candidate in a cycle; its title must be new in that cycle."""
    actor = audit.acting(actor)
    check_candidate(item)
    if _title_taken(session, cycle.id, item.title):
        raise InvalidInput(f"title: {cycle.name} already has a candidate called '{item.title}'")
    now = clock.now()
    row = CandidateRow(
        place_id=place.id,
        cycle_id=cycle.id,
        title=item.title,
        description=item.description,
        ask=item.ask,
        actions=item.actions,
        qualities=sorted(q.value for q in item.qualities),
        state=CandidateState.DRAFT.value,
        proposed_by=item.proposed_by or None,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    session.flush()
    audit.record(session, place.id, actor, "candidate.added", {"id": row.id, "title": item.title})
    return _candidate(row)


def update_candidate(
    session: Session,
    place: Place,
    candidate_id: int,
    item: CandidateInput,
    *,
    actor: str | None = None,
) -> Candidate:
    """Redraft a candidate; only drafts can change, so what was scored stays what is shown."""
    actor = audit.acting(actor)
    check_candidate(item)
    row = _row(session, place, candidate_id)
    if row.state != CandidateState.DRAFT.value:
        raise StateError(
            f"'{row.title}' is {row.state.replace('_', ' ')}; only drafts can be edited"
        )
    if _title_taken(session, row.cycle_id, item.title, but=row.id):
        raise InvalidInput(f"title: another candidate in this cycle is called '{item.title}'")
    row.title = item.title
    row.description = item.description
    row.ask = item.ask
    row.actions = item.actions
    row.qualities = sorted(q.value for q in item.qualities)
    row.proposed_by = item.proposed_by or None
    row.updated_at = clock.now()
    session.flush()
    audit.record(session, place.id, actor, "candidate.updated", {"id": row.id, "title": item.title})
    return _candidate(row)


def get_candidate(session: Session, place: Place, candidate_id: int) -> Candidate:
    """A candidate of the place by id."""
    return _candidate(_row(session, place, candidate_id))


def find_candidate(session: Session, place: Place, cycle: Cycle, key: str | int) -> Candidate:
    """A candidate of the cycle by id or exact title (case does not matter)."""
    if isinstance(key, int) or str(key).strip().isdigit():
        found = get_candidate(session, place, int(key))
        if found.cycle_id != cycle.id:
            raise NotFound(f"candidate {key} is not in {cycle.name}")
        return found
    wanted = " ".join(str(key).split()).lower()
    for candidate in list_candidates(session, place, cycle):
        if candidate.title.lower() == wanted:
            return candidate
    raise NotFound(f"{cycle.name} has no candidate called '{key}'")


def list_candidates(
    session: Session,
    place: Place,
    cycle: Cycle,
    state: CandidateState | str | None = None,
) -> list[Candidate]:
    """The cycle's candidates in the order they were drafted, optionally in one state."""
    query = select(CandidateRow).where(
        CandidateRow.place_id == place.id, CandidateRow.cycle_id == cycle.id
    )
    if state is not None:
        wanted = state if isinstance(state, CandidateState) else parse_state(state)
        query = query.where(CandidateRow.state == wanted.value)
    return [_candidate(r) for r in session.scalars(query.order_by(CandidateRow.id))]


def set_state(
    session: Session,
    place: Place,
    candidate_id: int,
    state: CandidateState | str,
    *,
    actor: str | None = None,
    reason: str | None = None,
) -> Candidate:
    """Move a candidate to another state, if the cycle allows that move."""
    actor = audit.acting(actor)
    new = state if isinstance(state, CandidateState) else parse_state(state)
    row = _row(session, place, candidate_id)
    old = CandidateState(row.state)
    check_transition(old, new)
    if new == old:
        return _candidate(row)
    row.state = new.value
    row.updated_at = clock.now()
    session.flush()
    audit.record(
        session,
        place.id,
        actor,
        "candidate.state",
        {"id": row.id, "from": old.value, "to": new.value},
        note=reason,
    )
    return _candidate(row)


def withdraw_candidate(
    session: Session,
    place: Place,
    candidate_id: int,
    *,
    actor: str | None = None,
    reason: str | None = None,
) -> Candidate:
    """Withdraw a draft: it is not taken forward, and its scores, if any, stay on record.

    Only a draft can be withdrawn; once the board has fixed the shortlist, moving a candidate
    is the board's decision (:func:`set_state`)."""
    actor = audit.acting(actor)
    row = _row(session, place, candidate_id)
    if row.state != CandidateState.DRAFT.value:
        raise StateError(
            f"'{row.title}' is {row.state.replace('_', ' ')}; only a draft can be withdrawn"
        )
    return set_state(
        session,
        place,
        row.id,
        CandidateState.NOT_TAKEN_FORWARD,
        actor=actor,
        reason=" ".join((reason or "").split()) or "withdrawn",
    )
