"""Board members score candidates against weighted criteria, until the board locks scoring.

Each member gives each candidate 0-5 on each criterion, or "can't judge". A cell nobody has
marked is *not scored*, never zero. Weights need not add up to anything: they are normalised
when scores are combined. A member may declare an interest in a candidate (say one their own
PCN leads); the aggregate then shows scores with and without them.

Session functions (for the scoring sheet, the CLI and the notebooks) take a session first and
never commit; the rules (:func:`parse_score`, :func:`check_criteria`,
:func:`normalised_weights`) are pure.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from . import audit, clock
from .candidate import Candidate, CandidateState, list_candidates
from .errors import InvalidInput, NotFound, StateError
from .model import BoardMember, Cycle, Place
from .person import get_board_member, list_board
from .store.schema_shortlist import (
    CriterionRow,
    InterestRow,
    ScoreRow,
    ScoringLockRow,
    ShortlistRow,
)

LOWEST, HIGHEST = 0, 5
CANT_JUDGE = "can't judge"
_CANT_JUDGE_WORDS = {"cant judge", "can't judge", "cannot judge", "cj", "?", "n/k", "dk"}

Cell = int | str  # a score 0-5, or CANT_JUDGE
ScoreKey = tuple[int, str]  # (candidate id, criterion key)


@dataclass(frozen=True)
class Criterion:
    """A scoring criterion of a cycle: a short key, a label for people, and a weight."""

    key: str
    label: str
    weight: float = 1.0


#: The default criteria: the four qualities of a good priority, plus whether it can be done.
DEFAULT_CRITERIA: tuple[Criterion, ...] = (
    Criterion("joint_working", "Strengthens how practices are supported by working together"),
    Criterion("influence", "Names the influence general practice wants on the local system"),
    Criterion("practical_action", "Turns into practical actions"),
    Criterion("resonates", "Matters to individual practices"),
    Criterion("feasibility", "Can be delivered in this cycle"),
)

_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def parse_score(value: object, where: str = "score") -> Cell | None:
    """Read one cell: a whole number 0-5, "can't judge", or blank (None: clear the cell).

    >>> parse_score("4"), parse_score("can't judge"), parse_score("")
    (4, "can't judge", None)
    >>> parse_score(7, "Hub / feasibility")
    Traceback (most recent call last):
    ...
    lpgp.errors.InvalidInput: Hub / feasibility: 7 is not a score; use a whole number 0 to 5 or "can't judge"
    """  # noqa: E501
    prefix = f"{where}: " if where else ""
    if value is None:
        return None
    if isinstance(value, bool):
        raise InvalidInput(f'{prefix}{value!r} is not a score; use 0 to 5 or "{CANT_JUDGE}"')
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = " ".join(str(value).strip().lower().replace("’", "'").split())
        if text == "":
            return None
        if text in _CANT_JUDGE_WORDS:
            return CANT_JUDGE
        try:
            number = float(text)
        except ValueError:
            number = math.nan
    if not (math.isfinite(number) and number.is_integer() and LOWEST <= number <= HIGHEST):
        shown = int(number) if math.isfinite(number) and number.is_integer() else value
        raise InvalidInput(
            f"{prefix}{shown} is not a score; use a whole number {LOWEST} to {HIGHEST} "
            f'or "{CANT_JUDGE}"'
        )
    return int(number)


def check_criteria(criteria: Iterable[Criterion]) -> list[Criterion]:
    """Refuse a set of criteria with a bad key, a blank label, a repeated key, a negative or
    non-finite weight, or no weight above zero (pure).

    >>> check_criteria([Criterion("reach", "Reach", -1)])
    Traceback (most recent call last):
    ...
    lpgp.errors.InvalidInput: criterion 'reach': weight -1 is below 0; weights must be 0 or more
    """
    items = list(criteria)
    if not items:
        raise InvalidInput("give at least one criterion")
    seen: set[str] = set()
    for item in items:
        if not _KEY.match(item.key):
            raise InvalidInput(
                f"criterion key '{item.key}' must be lower-case letters, digits or _ "
                "(up to 40), starting with a letter"
            )
        if item.key in seen:
            raise InvalidInput(f"criterion '{item.key}' is given twice")
        seen.add(item.key)
        if not item.label.strip():
            raise InvalidInput(f"criterion '{item.key}' needs a label")
        weight = item.weight
        if isinstance(weight, bool) or not isinstance(weight, int | float):
            raise InvalidInput(f"criterion '{item.key}': weight {weight!r} is not a number")
        if not math.isfinite(weight):
            raise InvalidInput(f"criterion '{item.key}': weight {weight} is not a number")
        if weight < 0:
            shown = int(weight) if float(weight).is_integer() else weight
            raise InvalidInput(
                f"criterion '{item.key}': weight {shown} is below 0; weights must be 0 or more"
            )
    if not any(i.weight > 0 for i in items):
        raise InvalidInput("at least one criterion needs a weight above 0")
    return items


def normalised_weights(criteria: Iterable[Criterion]) -> dict[str, float]:
    """Each criterion's share of the total weight (pure).

    >>> normalised_weights([Criterion("a", "A", 3), Criterion("b", "B", 1)])
    {'a': 0.75, 'b': 0.25}
    """
    items = check_criteria(criteria)
    total = sum(float(i.weight) for i in items)
    return {i.key: float(i.weight) / total for i in items}


def parse_weight(text: str) -> tuple[str, float]:
    """Read ``key=weight`` as typed on the command line.

    >>> parse_weight("feasibility=0.5")
    ('feasibility', 0.5)
    """
    key, sep, value = text.partition("=")
    if not sep:
        raise InvalidInput(f"'{text}' should look like key=weight, e.g. feasibility=2")
    try:
        weight = float(value)
    except ValueError:
        raise InvalidInput(f"'{value}' in '{text}' is not a number") from None
    return key.strip(), weight


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


def set_criteria(
    session: Session,
    place: Place,
    cycle: Cycle,
    criteria: Iterable[Criterion],
    *,
    actor: str = "cli",
) -> list[Criterion]:
    """Replace the cycle's criteria and weights; a criterion already scored cannot be dropped."""
    require_open(session, place, cycle)
    items = check_criteria(criteria)
    existing = _ensure_criteria(session, place, cycle)
    keep = {i.key for i in items}
    for key, row in existing.items():
        if key in keep:
            continue
        used = session.scalar(select(ScoreRow.id).where(ScoreRow.criterion_id == row.id))
        if used is not None:
            raise StateError(f"criterion '{key}' has scores already; give it weight 0 instead")
        session.delete(row)
    for position, item in enumerate(items):
        row = existing.get(item.key)
        if row is None:
            row = CriterionRow(place_id=place.id, cycle_id=cycle.id, key=item.key)
            session.add(row)
        row.label = item.label.strip()
        row.weight = float(item.weight)
        row.position = position
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
    actor: str = "cli",
) -> list[Criterion]:
    """Change some criteria's weights, keeping the rest as they are."""
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


def lock_scoring(session: Session, place: Place, cycle: Cycle, *, actor: str = "cli") -> bool:
    """Lock scoring for the cycle; returns False if it was already locked."""
    if is_locked(session, place, cycle):
        return False
    session.add(
        ScoringLockRow(place_id=place.id, cycle_id=cycle.id, locked_at=clock.now(), locked_by=actor)
    )
    session.flush()
    audit.record(session, place.id, actor, "scoring.locked", {"cycle": cycle.name})
    return True


def unlock_scoring(session: Session, place: Place, cycle: Cycle, *, actor: str = "cli") -> bool:
    """Reopen scoring (say it was locked by mistake); refused once the shortlist is fixed.
    Returns False if scoring was not locked."""
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


def scored_candidates(session: Session, place: Place, cycle: Cycle) -> list[Candidate]:
    """The candidates being scored: all of the cycle's, except ones set aside unscored."""
    candidates = list_candidates(session, place, cycle)
    set_aside = [c.id for c in candidates if c.state == CandidateState.NOT_TAKEN_FORWARD]
    scored = set()
    if set_aside:  # which of those had been scored before they were set aside
        scored = set(
            session.scalars(
                select(ScoreRow.candidate_id)
                .where(
                    ScoreRow.place_id == place.id,
                    ScoreRow.cycle_id == cycle.id,
                    ScoreRow.candidate_id.in_(set_aside),
                )
                .distinct()
            )
        )
    return [c for c in candidates if c.state != CandidateState.NOT_TAKEN_FORWARD or c.id in scored]


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


def _flatten(scores: Mapping) -> list[tuple[object, object, object]]:
    """Accept {(candidate, criterion): value} or {candidate: {criterion: value}}."""
    out: list[tuple[object, object, object]] = []
    for key, value in scores.items():
        if isinstance(value, Mapping):
            out.extend((key, criterion, cell) for criterion, cell in value.items())
        elif isinstance(key, tuple) and len(key) == 2:
            out.append((key[0], key[1], value))
        else:
            raise InvalidInput(
                f"scores must be keyed by (candidate id, criterion) or by candidate id; "
                f"got {key!r}"
            )
    return out


def record_scores(
    session: Session,
    place: Place,
    cycle: Cycle,
    member_person_id: int,
    scores: Mapping,
    actor: str = "cli",
) -> dict[ScoreKey, Cell]:
    """Record one member's scores, all or nothing; returns the member's scores afterwards.

    ``scores`` maps (candidate id, criterion key) to 0-5, "can't judge", or None/"" to clear
    a cell (nested ``{candidate id: {criterion: value}}`` works too). Every cell is checked
    before anything is written: a bad score, an unknown member, candidate or criterion, or
    locked scoring refuses the lot.
    """
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


@dataclass(frozen=True)
class ScoringSheet:
    """What one member's scoring sheet shows: candidates, criteria and their marks so far."""

    member: BoardMember
    cycle: Cycle
    candidates: tuple[Candidate, ...]
    criteria: tuple[Criterion, ...]
    scores: Mapping[ScoreKey, Cell]
    interests: frozenset[int]  # candidate ids the member has declared an interest in
    locked: bool


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


@dataclass(frozen=True)
class MemberProgress:
    """How far one board member has got with their scoring."""

    person_id: int
    name: str
    marked: int  # cells with a score or "can't judge"
    total: int

    @property
    def status(self) -> str:
        """ "not started", "part scored" or "done"."""
        if self.marked == 0:
            return "not started"
        return "done" if self.marked >= self.total else "part scored"


@dataclass(frozen=True)
class ScoringProgress:
    """Who has and has not scored yet, for the facilitator's screen."""

    members: tuple[MemberProgress, ...]
    locked: bool

    @property
    def not_started(self) -> list[str]:
        return [m.name for m in self.members if m.status == "not started"]

    @property
    def unfinished(self) -> list[str]:
        return [m.name for m in self.members if m.status != "done"]

    def message(self) -> str:
        """One line such as "3 members have not scored yet".

        >>> ScoringProgress((MemberProgress(1, "A", 0, 5),), False).message()
        '1 member has not scored yet'
        """
        waiting = len(self.not_started)
        partial = len(self.unfinished) - waiting
        if waiting == 0 and partial == 0:
            return "every member has scored every candidate"
        parts = []
        if waiting:
            parts.append(f"{waiting} member{' has' if waiting == 1 else 's have'} not scored yet")
        if partial:
            parts.append(f"{partial} {'is' if partial == 1 else 'are'} part way through")
        return "; ".join(parts)


def scoring_progress(session: Session, place: Place, cycle: Cycle) -> ScoringProgress:
    """Each board member's count of marked cells against the cells on their sheet."""
    candidates = {c.id for c in scored_candidates(session, place, cycle)}
    criteria = {c.key for c in list_criteria(session, place, cycle)}
    total = len(candidates) * len(criteria)
    marked: dict[int, int] = {}
    rows = session.execute(
        select(ScoreRow.person_id, ScoreRow.candidate_id, CriterionRow.key)
        .join(CriterionRow, ScoreRow.criterion_id == CriterionRow.id)
        .where(ScoreRow.place_id == place.id, ScoreRow.cycle_id == cycle.id)
    )
    for person_id, candidate_id, key in rows:
        if candidate_id in candidates and key in criteria:
            marked[person_id] = marked.get(person_id, 0) + 1
    members = tuple(
        MemberProgress(m.person_id, m.name, marked.get(m.person_id, 0), total)
        for m in list_board(session, place)
    )
    return ScoringProgress(members, is_locked(session, place, cycle))


@dataclass(frozen=True)
class ScoreRecord:
    """One marked cell, as the analyst's long table shows it."""

    member_id: int
    member: str
    candidate_id: int
    candidate: str
    criterion: str
    score: int | None  # None when the member could not judge
    cant_judge: bool
    updated_at: datetime


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


@dataclass(frozen=True)
class Interest:
    """A member's declared interest in a candidate."""

    person_id: int
    member: str
    candidate_id: int
    reason: str


def declare_interest(
    session: Session,
    place: Place,
    cycle: Cycle,
    member_person_id: int,
    candidate_id: int,
    reason: str,
    *,
    actor: str = "cli",
) -> Interest:
    """Record (or restate) a member's interest in a candidate, with the reason."""
    if shortlist_fixed(session, place, cycle):
        raise StateError(f"the shortlist for {cycle.name} is fixed; interests can't change now")
    member = _member(session, place, member_person_id)
    reason = " ".join((reason or "").split())
    if not reason:
        raise InvalidInput("say why: an interest needs a reason, e.g. 'my PCN leads this'")
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
    actor: str = "cli",
) -> int:
    """Record several members' scores (member person id -> their cells) all or nothing;
    returns how many cells were written."""
    for member_person_id, marks in cells.items():
        record_scores(session, place, cycle, member_person_id, marks, actor=actor)
    return sum(len(m) for m in cells.values())
