"""Board members score candidates against weighted criteria, until the board locks scoring.

Each member gives each candidate 0-5 on each criterion, or "can't judge". A cell nobody has
marked is *not scored*, never zero. Weights need not add up to anything: they are normalised
when scores are combined. A member may declare an interest in a candidate (say one their own
PCN leads); the aggregate then shows scores with and without them.

Session functions (for the scoring sheet, the CLI and the notebooks) take a session first and
never commit; the rules (:func:`~lpgp.cycle.shortlist.scoring_rules.parse_score`,
:func:`~lpgp.cycle.shortlist.scoring_rules.check_criteria`,
:func:`~lpgp.cycle.shortlist.scoring_rules.normalised_weights`) are pure, in
:mod:`lpgp.cycle.shortlist.scoring_rules`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from lpgp import audit, clock
from lpgp.cycle.board.person import get_board_member, list_board
from lpgp.cycle.candidates.candidate import list_candidates
from lpgp.cycle.candidates.candidate_rules import Candidate, CandidateState
from lpgp.cycle.shortlist.scoring_rules import (
    CANT_JUDGE,
    DEFAULT_CRITERIA,
    CandidateProgress,
    Cell,
    Criterion,
    Interest,
    MemberProgress,
    ScoreKey,
    ScoreRecord,
    ScoringProgress,
    ScoringSheet,
    _flatten,
    check_criteria,
    criteria_fixed_reason,
    parse_score,
)
from lpgp.errors import InvalidInput, NotFound, StateError
from lpgp.model import BoardMember, Cycle, Place
from lpgp.store.schema_shortlist import (
    CandidateRow,
    CriterionRow,
    InterestRow,
    ScoreRow,
    ScoringLockRow,
    ShortlistRow,
)

# --- criteria in the store ------------------------------------------------------------------


def _criterion_rows(session: Session, place: Place, cycle: Cycle) -> list[CriterionRow]:
    return list(
        session.scalars(
            select(CriterionRow)
            .where(CriterionRow.place_id == place.id, CriterionRow.cycle_id == cycle.id)
            .order_by(CriterionRow.position)
        )
    )


def list_criteria(session: Session, place: Place, cycle: Cycle) -> list[Criterion]:
    """The cycle's criteria, or the defaults if the board has not set any."""
    rows = _criterion_rows(session, place, cycle)
    if not rows:
        return list(DEFAULT_CRITERIA)
    return [Criterion(r.key, r.label, r.weight) for r in rows]


def _ensure_criteria(session: Session, place: Place, cycle: Cycle) -> dict[str, CriterionRow]:
    """The cycle's criteria rows, storing the defaults first if there are none.

    Members often submit their first scores at the same moment, so the defaults are inserted
    with "on conflict do nothing": a second writer finds them rather than failing.
    """
    rows = _criterion_rows(session, place, cycle)
    if not rows:
        values = [
            {
                "place_id": place.id,
                "cycle_id": cycle.id,
                "key": item.key,
                "label": item.label,
                "weight": item.weight,
                "position": position,
            }
            for position, item in enumerate(DEFAULT_CRITERIA)
        ]
        dialect = session.get_bind().dialect.name
        if dialect in ("postgresql", "sqlite"):
            insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
            statement = insert(CriterionRow).values(values)
            session.execute(statement.on_conflict_do_nothing(index_elements=["cycle_id", "key"]))
        else:
            session.add_all(CriterionRow(**v) for v in values)
        session.flush()
        rows = _criterion_rows(session, place, cycle)
    return {r.key: r for r in rows}


def criteria_closed(session: Session, place: Place, cycle: Cycle) -> str | None:
    """Why the cycle's criteria can no longer change, or None while the board may still
    change them (before anyone has scored)."""
    marks = session.scalar(
        select(func.count())
        .select_from(ScoreRow)
        .where(ScoreRow.place_id == place.id, ScoreRow.cycle_id == cycle.id)
    )
    return criteria_fixed_reason(int(marks or 0), is_locked(session, place, cycle))


def set_criteria(
    session: Session,
    place: Place,
    cycle: Cycle,
    criteria: Iterable[Criterion],
    *,
    actor: str | None = None,
) -> list[Criterion]:
    """Replace the cycle's criteria and weights, until the first mark is recorded (see
    :func:`criteria_fixed_reason`)."""
    actor = audit.acting(actor)
    require_open(session, place, cycle)
    items = check_criteria(criteria)
    why = criteria_closed(session, place, cycle)
    if why:
        raise StateError(why)
    existing = _ensure_criteria(session, place, cycle)
    keep = {i.key for i in items}
    for key, row in existing.items():
        if key not in keep:
            session.delete(row)  # nobody has scored yet, so no mark refers to it
    for position, item in enumerate(items):
        criterion = existing.get(item.key)
        if criterion is None:
            criterion = CriterionRow(place_id=place.id, cycle_id=cycle.id, key=item.key)
            session.add(criterion)
        criterion.label = item.label.strip()
        criterion.weight = float(item.weight)
        criterion.position = position
    session.flush()
    audit.record(
        session,
        place.id,
        actor,
        "scoring.criteria_set",
        {"cycle": cycle.name, "weights": {i.key: float(i.weight) for i in items}},
    )
    return list_criteria(session, place, cycle)


def set_weights(
    session: Session,
    place: Place,
    cycle: Cycle,
    weights: Mapping[str, float],
    *,
    actor: str | None = None,
) -> list[Criterion]:
    """Change some criteria's weights, keeping the rest as they are."""
    actor = audit.acting(actor)
    current = list_criteria(session, place, cycle)
    known = {c.key for c in current}
    for key in weights:
        if key not in known:
            raise NotFound(f"no criterion '{key}'; the criteria are: {', '.join(sorted(known))}")
    changed = [Criterion(c.key, c.label, weights.get(c.key, c.weight)) for c in current]
    return set_criteria(session, place, cycle, changed, actor=actor)


# --- locking --------------------------------------------------------------------------------


def is_locked(session: Session, place: Place, cycle: Cycle) -> bool:
    """Whether the board has locked scoring for the cycle."""
    return (
        session.scalar(
            select(ScoringLockRow.id).where(
                ScoringLockRow.place_id == place.id, ScoringLockRow.cycle_id == cycle.id
            )
        )
        is not None
    )


def require_open(session: Session, place: Place, cycle: Cycle) -> None:
    """Refuse a change to scoring once the board has locked it."""
    if is_locked(session, place, cycle):
        raise StateError(f"scoring for {cycle.name} is locked; scores can no longer change")


def lock_scoring(session: Session, place: Place, cycle: Cycle, *, actor: str | None = None) -> bool:
    """Lock scoring for the cycle; returns False if it was already locked."""
    actor = audit.acting(actor)
    if is_locked(session, place, cycle):
        return False
    session.add(
        ScoringLockRow(place_id=place.id, cycle_id=cycle.id, locked_at=clock.now(), locked_by=actor)
    )
    session.flush()
    audit.record(session, place.id, actor, "scoring.locked", {"cycle": cycle.name})
    return True


def unlock_scoring(
    session: Session, place: Place, cycle: Cycle, *, actor: str | None = None
) -> bool:
    """Reopen scoring (say it was locked by mistake); refused once the shortlist is fixed.
    Returns False if scoring was not locked."""
    actor = audit.acting(actor)
    if shortlist_fixed(session, place, cycle):
        raise StateError(f"the shortlist for {cycle.name} is fixed; scoring stays locked")
    row = session.scalar(
        select(ScoringLockRow).where(
            ScoringLockRow.place_id == place.id, ScoringLockRow.cycle_id == cycle.id
        )
    )
    if row is None:
        return False
    session.delete(row)
    session.flush()
    audit.record(session, place.id, actor, "scoring.unlocked", {"cycle": cycle.name})
    return True


def shortlist_fixed(session: Session, place: Place, cycle: Cycle) -> bool:
    """Whether the board has fixed the cycle's shortlist."""
    return (
        session.scalar(
            select(ShortlistRow.id).where(
                ShortlistRow.place_id == place.id, ShortlistRow.cycle_id == cycle.id
            )
        )
        is not None
    )


# --- scores ---------------------------------------------------------------------------------


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _locked_at(session: Session, place: Place, cycle: Cycle) -> datetime | None:
    moment = session.scalar(
        select(ScoringLockRow.locked_at).where(
            ScoringLockRow.place_id == place.id, ScoringLockRow.cycle_id == cycle.id
        )
    )
    return None if moment is None else _utc(moment)


def scored_candidates(session: Session, place: Place, cycle: Cycle) -> list[Candidate]:
    """The candidates being scored: all of the cycle's, except ones set aside unscored and,
    while scoring is locked, ones drafted after the lock that nobody could score."""
    candidates = list_candidates(session, place, cycle)
    out = {c.id for c in candidates if c.state == CandidateState.NOT_TAKEN_FORWARD}
    locked_at = _locked_at(session, place, cycle)
    if locked_at is not None:
        drafted = session.execute(
            select(CandidateRow.id, CandidateRow.created_at).where(
                CandidateRow.place_id == place.id, CandidateRow.cycle_id == cycle.id
            )
        )
        out |= {cid for cid, at in drafted if _utc(at) >= locked_at}
    scored = set()
    if out:  # which of those had been scored all the same (before being set aside)
        scored = set(
            session.scalars(
                select(ScoreRow.candidate_id)
                .where(
                    ScoreRow.place_id == place.id,
                    ScoreRow.cycle_id == cycle.id,
                    ScoreRow.candidate_id.in_(out),
                )
                .distinct()
            )
        )
    return [c for c in candidates if c.id not in out or c.id in scored]


def _member(session: Session, place: Place, person_id: int) -> BoardMember:
    if isinstance(person_id, bool) or not str(person_id).strip().isdigit():
        raise NotFound(f"'{person_id}' is not a board member's person id")
    return get_board_member(session, place, int(person_id))


def _member_cells(
    session: Session, place: Place, cycle: Cycle, person_id: int
) -> dict[ScoreKey, Cell]:
    rows = session.execute(
        select(ScoreRow.candidate_id, CriterionRow.key, ScoreRow.value)
        .join(CriterionRow, ScoreRow.criterion_id == CriterionRow.id)
        .where(
            ScoreRow.place_id == place.id,
            ScoreRow.cycle_id == cycle.id,
            ScoreRow.person_id == person_id,
        )
    )
    return {(cid, key): (CANT_JUDGE if value is None else value) for cid, key, value in rows}


def record_scores(
    session: Session,
    place: Place,
    cycle: Cycle,
    member_person_id: int,
    scores: Mapping,
    actor: str | None = None,
) -> dict[ScoreKey, Cell]:
    """Record one member's scores, all or nothing; returns the member's scores afterwards.

    ``scores`` maps (candidate id, criterion key) to 0-5, "can't judge", or None/"" to clear
    a cell (nested ``{candidate id: {criterion: value}}`` works too). Every cell is checked
    before anything is written: a bad score, an unknown member, candidate or criterion, or
    locked scoring refuses the lot.
    """
    actor = audit.acting(actor)
    require_open(session, place, cycle)
    member = _member(session, place, member_person_id)
    criteria = _ensure_criteria(session, place, cycle)
    candidates = {c.id: c for c in scored_candidates(session, place, cycle)}
    checked: list[tuple[int, CriterionRow, Cell | None]] = []
    for raw_candidate, raw_criterion, raw_value in _flatten(scores):
        if isinstance(raw_candidate, bool) or not str(raw_candidate).strip().isdigit():
            raise NotFound(f"'{raw_candidate}' is not a candidate id")
        candidate = candidates.get(int(str(raw_candidate).strip()))
        if candidate is None:
            raise NotFound(f"{cycle.name} has no candidate {raw_candidate} open for scoring")
        criterion = criteria.get(str(raw_criterion).strip())
        if criterion is None:
            raise NotFound(
                f"no criterion '{raw_criterion}'; the criteria are: {', '.join(criteria)}"
            )
        value = parse_score(raw_value, f"{candidate.title} / {criterion.key}")
        checked.append((candidate.id, criterion, value))
    now = clock.now()
    existing = {
        (row.candidate_id, row.criterion_id): row
        for row in session.scalars(
            select(ScoreRow).where(
                ScoreRow.place_id == place.id,
                ScoreRow.cycle_id == cycle.id,
                ScoreRow.person_id == member.person_id,
            )
        )
    }
    for candidate_id, criterion, value in checked:
        row = existing.get((candidate_id, criterion.id))
        if value is None:
            if row is not None:
                session.delete(row)
                del existing[candidate_id, criterion.id]
            continue
        if row is None:
            row = ScoreRow(
                place_id=place.id,
                cycle_id=cycle.id,
                candidate_id=candidate_id,
                person_id=member.person_id,
                criterion_id=criterion.id,
            )
            session.add(row)
            existing[candidate_id, criterion.id] = row
        row.value = None if value == CANT_JUDGE else int(value)
        row.updated_at = now
        row.updated_by = actor
    session.flush()
    audit.record(
        session,
        place.id,
        actor,
        "scores.recorded",
        {"cycle": cycle.name, "member": member.name, "cells": len(checked)},
    )
    return _member_cells(session, place, cycle, member.person_id)


def scoring_sheet(
    session: Session, place: Place, cycle: Cycle, member_person_id: int
) -> ScoringSheet:
    """The member's sheet: every candidate being scored, the criteria, their current marks."""
    member = _member(session, place, member_person_id)
    interests = frozenset(
        session.scalars(
            select(InterestRow.candidate_id).where(
                InterestRow.place_id == place.id,
                InterestRow.cycle_id == cycle.id,
                InterestRow.person_id == member.person_id,
            )
        )
    )
    return ScoringSheet(
        member=member,
        cycle=cycle,
        candidates=tuple(scored_candidates(session, place, cycle)),
        criteria=tuple(list_criteria(session, place, cycle)),
        scores=_member_cells(session, place, cycle, member.person_id),
        interests=interests,
        locked=is_locked(session, place, cycle),
    )


def scoring_progress(session: Session, place: Place, cycle: Cycle) -> ScoringProgress:
    """Each board member's count of marked cells against the cells on their sheet, and for
    each candidate how many members have scored it; never anyone's marks."""
    candidates = {c.id: c.title for c in scored_candidates(session, place, cycle)}
    criteria = {c.key for c in list_criteria(session, place, cycle)}
    total = len(candidates) * len(criteria)
    marked: dict[int, int] = {}
    cells: dict[tuple[int, int], int] = {}
    rows = session.execute(
        select(ScoreRow.person_id, ScoreRow.candidate_id, CriterionRow.key)
        .join(CriterionRow, ScoreRow.criterion_id == CriterionRow.id)
        .where(ScoreRow.place_id == place.id, ScoreRow.cycle_id == cycle.id)
    )
    for person_id, candidate_id, key in rows:
        if candidate_id in candidates and key in criteria:
            marked[person_id] = marked.get(person_id, 0) + 1
            cells[person_id, candidate_id] = cells.get((person_id, candidate_id), 0) + 1
    full = {pair for pair, n in cells.items() if n >= len(criteria)}
    board = list_board(session, place)
    members = tuple(
        MemberProgress(
            m.person_id,
            m.name,
            marked.get(m.person_id, 0),
            total,
            sum(1 for cid in candidates if (m.person_id, cid) in full),
            len(candidates),
        )
        for m in board
    )
    on_board = {m.person_id for m in board}
    per_candidate = tuple(
        CandidateProgress(
            cid,
            title,
            sum(1 for pid in on_board if (pid, cid) in full),
            sum(1 for pid in on_board if (pid, cid) in cells),
        )
        for cid, title in candidates.items()
    )
    return ScoringProgress(members, is_locked(session, place, cycle), per_candidate)


def score_records(session: Session, place: Place, cycle: Cycle) -> list[ScoreRecord]:
    """Every marked cell of the cycle: member, candidate, criterion, score or can't judge."""
    names = {m.person_id: m.name for m in list_board(session, place)}
    titles = {c.id: c.title for c in list_candidates(session, place, cycle)}
    rows = session.execute(
        select(ScoreRow, CriterionRow.key)
        .join(CriterionRow, ScoreRow.criterion_id == CriterionRow.id)
        .where(ScoreRow.place_id == place.id, ScoreRow.cycle_id == cycle.id)
        .order_by(ScoreRow.candidate_id, ScoreRow.person_id, CriterionRow.position)
    )
    return [
        ScoreRecord(
            member_id=row.person_id,
            member=names.get(row.person_id, f"person {row.person_id}"),
            candidate_id=row.candidate_id,
            candidate=titles.get(row.candidate_id, ""),
            criterion=key,
            score=row.value,
            cant_judge=row.value is None,
            updated_at=row.updated_at,
        )
        for row, key in rows
    ]


# --- declared interests ---------------------------------------------------------------------


def declare_interest(
    session: Session,
    place: Place,
    cycle: Cycle,
    member_person_id: int,
    candidate_id: int,
    reason: str,
    *,
    actor: str | None = None,
) -> Interest:
    """Record (or restate) a member's interest in a candidate, with the reason."""
    actor = audit.acting(actor)
    if shortlist_fixed(session, place, cycle):
        raise StateError(f"the shortlist for {cycle.name} is fixed; interests can't change now")
    member = _member(session, place, member_person_id)
    reason = " ".join((reason or "").split())
    if not reason:
        raise InvalidInput(
            "what the interest is: say what it is, e.g. 'my PCN runs the pilot this grows from'"
        )
    candidates = {c.id: c for c in list_candidates(session, place, cycle)}
    if not str(candidate_id).strip().isdigit() or int(candidate_id) not in candidates:
        raise NotFound(f"{cycle.name} has no candidate {candidate_id}")
    row = session.scalar(
        select(InterestRow).where(
            InterestRow.candidate_id == int(candidate_id),
            InterestRow.person_id == member.person_id,
        )
    )
    if row is None:
        row = InterestRow(
            place_id=place.id,
            cycle_id=cycle.id,
            candidate_id=int(candidate_id),
            person_id=member.person_id,
        )
        session.add(row)
    row.reason = reason
    row.declared_at = clock.now()
    session.flush()
    audit.record(
        session,
        place.id,
        actor,
        "scoring.interest_declared",
        {"member": member.name, "candidate": int(candidate_id)},
        note=reason,
    )
    return Interest(member.person_id, member.name, int(candidate_id), reason)


def list_interests(session: Session, place: Place, cycle: Cycle) -> list[Interest]:
    """Every declared interest in the cycle's candidates."""
    names = {m.person_id: m.name for m in list_board(session, place)}
    rows = session.scalars(
        select(InterestRow)
        .where(InterestRow.place_id == place.id, InterestRow.cycle_id == cycle.id)
        .order_by(InterestRow.id)
    )
    return [
        Interest(
            r.person_id, names.get(r.person_id, f"person {r.person_id}"), r.candidate_id, r.reason
        )
        for r in rows
    ]


# --- many members at once (a spreadsheet of scores) -----------------------------------------


def sheet_names(
    session: Session, place: Place, cycle: Cycle
) -> tuple[dict[str, int], dict[str, int]]:
    """Lower-case names and ids of board members and candidates, for reading a score sheet."""
    members: dict[str, int] = {}
    for m in list_board(session, place):
        members[" ".join(m.name.lower().split())] = m.person_id
        members[str(m.person_id)] = m.person_id
    candidates: dict[str, int] = {}
    for c in scored_candidates(session, place, cycle):
        candidates[" ".join(c.title.lower().split())] = c.id
        candidates[str(c.id)] = c.id
    return members, candidates


def record_many(
    session: Session,
    place: Place,
    cycle: Cycle,
    cells: Mapping[int, Mapping],
    *,
    actor: str | None = None,
) -> int:
    """Record several members' scores (member person id -> their cells) all or nothing;
    returns how many cells were written."""
    actor = audit.acting(actor)
    for member_person_id, marks in cells.items():
        record_scores(session, place, cycle, member_person_id, marks, actor=actor)
    return sum(len(m) for m in cells.values())
