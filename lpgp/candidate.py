"""Candidate priorities a board drafts for a cycle, and the states they move through.

A candidate is drafted, may be shortlisted, goes on the practices' ballot, and ends agreed or
not taken forward. Functions take a session first and never commit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import audit, clock
from .drafting import DraftingWarning, Quality, drafting_warnings, parse_quality
from .errors import InvalidInput, NotFound, StateError
from .model import Cycle, Place, check_text
from .store.schema_shortlist import CandidateRow

TITLE_MAX = 200
NAME_MAX = 200


#: The four qualities in a few words each, for tables (the form shows the full labels).
QUALITY_WORDS: dict[Quality, str] = {
    Quality.JOINT_WORKING: "Joint working",
    Quality.INFLUENCE: "Influence on the local system",
    Quality.PRACTICAL_ACTION: "Practical actions",
    Quality.RESONATES: "Resonates with practices",
}


def headline(warning: DraftingWarning) -> str:
    """A drafting warning's first sentence, which says what tripped it, for a table (pure).

    >>> print(headline(drafting_warnings("More GP posts")[0]))
    This reads like a resource ask: 'More', 'GP posts' (more staff).
    """
    first = re.split(r"(?<=[.!?])\s+(?=[A-Z])", warning.message.strip(), maxsplit=1)[0]
    return first


class CandidateState(StrEnum):
    """Where a candidate is in the cycle."""

    DRAFT = "draft"
    SHORTLISTED = "shortlisted"
    ON_BALLOT = "on_ballot"
    AGREED = "agreed"
    NOT_TAKEN_FORWARD = "not_taken_forward"


#: Which state may follow which. A shortlisted candidate can drop back to draft only while
#: the shortlist is being redone; everything can be set aside.
TRANSITIONS: dict[CandidateState, frozenset[CandidateState]] = {
    CandidateState.DRAFT: frozenset({CandidateState.SHORTLISTED, CandidateState.NOT_TAKEN_FORWARD}),
    CandidateState.SHORTLISTED: frozenset(
        {CandidateState.ON_BALLOT, CandidateState.DRAFT, CandidateState.NOT_TAKEN_FORWARD}
    ),
    CandidateState.ON_BALLOT: frozenset({CandidateState.AGREED, CandidateState.NOT_TAKEN_FORWARD}),
    CandidateState.AGREED: frozenset({CandidateState.NOT_TAKEN_FORWARD}),
    CandidateState.NOT_TAKEN_FORWARD: frozenset({CandidateState.DRAFT}),
}


def parse_state(text: str) -> CandidateState:
    """Read a state from its id or words.

    >>> parse_state("On ballot")
    <CandidateState.ON_BALLOT: 'on_ballot'>
    """
    key = "_".join(text.strip().lower().replace("-", " ").split())
    try:
        return CandidateState(key)
    except ValueError:
        allowed = ", ".join(s.value for s in CandidateState)
        raise InvalidInput(f"'{text}' is not a candidate state; use one of: {allowed}") from None


def check_transition(old: CandidateState, new: CandidateState) -> None:
    """Refuse a move between states that the cycle does not allow (pure).

    >>> check_transition(CandidateState.DRAFT, CandidateState.AGREED)
    Traceback (most recent call last):
    ...
    lpgp.errors.StateError: a candidate cannot go from draft to agreed (allowed: not_taken_forward, shortlisted)
    """  # noqa: E501
    if new == old:
        return
    if new not in TRANSITIONS[old]:
        allowed = ", ".join(sorted(s.value for s in TRANSITIONS[old]))
        raise StateError(
            f"a candidate cannot go from {old.value} to {new.value} (allowed: {allowed})"
        )


@dataclass(frozen=True)
class CandidateInput:
    """A candidate as a form or command gives it, before it is stored."""

    title: str
    description: str = ""
    ask: str = ""
    actions: str = ""
    qualities: frozenset[Quality] = field(default_factory=frozenset)
    proposed_by: str = ""

    @classmethod
    def of(
        cls,
        title: str,
        description: str = "",
        ask: str = "",
        actions: str = "",
        qualities: Iterable[str] = (),
        proposed_by: str = "",
    ) -> CandidateInput:
        """Build one from plain strings, tidying spaces and reading quality names."""
        return cls(
            title=" ".join((title or "").split()),
            description=(description or "").strip(),
            ask=(ask or "").strip(),
            actions=(actions or "").strip(),
            qualities=frozenset(parse_quality(q) for q in qualities),
            proposed_by=" ".join((proposed_by or "").split()),
        )


def check_candidate(item: CandidateInput) -> None:
    """Refuse a candidate whose fields break a rule (pure).

    >>> check_candidate(CandidateInput.of("  "))
    Traceback (most recent call last):
    ...
    lpgp.errors.InvalidInput: title: a candidate needs a title
    """
    if not item.title.strip():
        raise InvalidInput("title: a candidate needs a title")
    for name in ("title", "description", "ask", "actions"):
        check_text(getattr(item, name), name)
    check_text(item.proposed_by, "proposed by")
    if len(item.title) > TITLE_MAX:
        raise InvalidInput(
            f"title: it is {len(item.title)} characters; keep it to {TITLE_MAX} and put the "
            "detail in the description"
        )
    if len(item.proposed_by) > NAME_MAX:
        raise InvalidInput(
            f"proposed by: the name is {len(item.proposed_by)} characters; keep it to {NAME_MAX}"
        )


@dataclass(frozen=True)
class Candidate:
    """A stored candidate priority."""

    id: int
    place_id: int
    cycle_id: int
    title: str
    description: str
    ask: str
    actions: str
    qualities: tuple[Quality, ...]
    state: CandidateState
    proposed_by: str = ""

    def warnings(self) -> list[DraftingWarning]:
        """The drafting advice for this candidate, using the qualities it claims."""
        return drafting_warnings(
            self.title,
            self.description,
            self.ask,
            self.actions,
            qualities=[q.value for q in self.qualities],
        )


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
